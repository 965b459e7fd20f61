/* SPDX-License-Identifier: ISC */
/*
 * log.c: messages read "object: what: why", lower case, no full stop.
 * In the foreground they go to stderr, otherwise to syslog (daemon).
 * errno is kept across every call, so a caller can log and then use it.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int	log_to_stderr = 1;
static int	log_verbose;

static void __attribute__((format(printf, 2, 0)))
vlog(int pri, const char *fmt, va_list ap)
{
	int	saved = errno;

	if (pri == LOG_DEBUG && !log_verbose) {
		errno = saved;
		return;
	}
	if (log_to_stderr) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
	errno = saved;
}

static void __attribute__((format(printf, 2, 3)))
logit(int pri, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* libevent's own warnings go to the same place as ours. */
static void
log_event_cb(int severity, const char *msg)
{
	if (severity == EVENT_LOG_DEBUG)
		logit(LOG_DEBUG, "libevent: %s", msg);
	else
		logit(LOG_WARNING, "libevent: %s", msg);
}

void
log_init(int foreground, int verbose)
{
	log_to_stderr = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog("tunmapd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	event_set_log_callback(log_event_cb);
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

/* Whether debug messages go out: callers skip work for them if not. */
int
log_is_verbose(void)
{
	return (log_verbose);
}

/* With errno's message appended. */
static void __attribute__((format(printf, 2, 0)))
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char	*msg;
	int	 saved = errno;

	if (vasprintf(&msg, fmt, ap) == -1) {
		logit(pri, "%s", strerror(saved));
		return;
	}
	logit(pri, "%s: %s", msg, strerror(saved));
	free(msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
