/* SPDX-License-Identifier: ISC */
/*
 * log.h: logging to stderr in the foreground, to syslog as a daemon.
 */
#ifndef TUNMAPD_LOG_H
#define TUNMAPD_LOG_H

#include <stdarg.h>

void	log_init(int, int);
void	log_setverbose(int);
int	log_is_verbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
