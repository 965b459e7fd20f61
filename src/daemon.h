/* SPDX-License-Identifier: ISC */
/*
 * daemon.h: the one root context of the running daemon, passed through
 * libevent's callback argument.  Nothing else is global.
 */
#ifndef TUNMAPD_DAEMON_H
#define TUNMAPD_DAEMON_H

#include <event2/event.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "instance.h"

struct reload;
struct control;
struct metrics;

struct tunmapd {
	const char		*config_file;
	struct event_base	*base;
	struct config		*conf;		/* the running configuration */
	struct instance		*inst;		/* one per conf->inst */
	size_t			 ninst;
	time_t			 started;

	struct reload		*reload;	/* under way, or NULL */
	bool			 reload_again;	/* asked for while under way */
	time_t			 reload_time;	/* of the last one, or 0 */
	bool			 reload_ok;
	char			*reload_msg;	/* its outcome, one line */

	struct control		*ctl;
	struct metrics		*metrics;
};

/*
 * Called on the loop when a reload ends: ok, and every error of a file
 * that was refused ("file:line: message").
 */
typedef void	(*reload_cb)(struct tunmapd *, bool,
		    const struct config_errors *, void *);

/* reload.c */
int	reload_start(struct tunmapd *, reload_cb, void *);
void	reload_wait(struct tunmapd *);

/* control.c */
int	control_start(struct tunmapd *);
void	control_stop(struct tunmapd *);

/* metrics.c */
int	metrics_start(struct tunmapd *);
void	metrics_stop(struct tunmapd *);

#endif
