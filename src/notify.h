/* SPDX-License-Identifier: ISC */
/*
 * notify.h: telling systemd how the daemon is doing (sd_notify(3)).
 */
#ifndef TUNMAPD_NOTIFY_H
#define TUNMAPD_NOTIFY_H

#include <stdbool.h>

struct tunmapd;

bool	notify_supervised(void);
void	notify_ready(const struct tunmapd *);
void	notify_reloading(void);
void	notify_stopping(void);

#endif
