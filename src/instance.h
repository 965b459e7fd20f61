/* SPDX-License-Identifier: ISC */
/*
 * instance.h: one tun device, the snapshot it translates with, and its
 * counters, served by one libevent loop.
 */
#ifndef TUNMAPD_INSTANCE_H
#define TUNMAPD_INSTANCE_H

#include <event2/event.h>

#include "icmp.h"
#include "pkt.h"
#include "stats.h"
#include "tables.h"
#include "tun.h"

/* Reads per callback: enough to amortize the wake-up, few enough that
 * signals and timers still run under a flood. */
#define INSTANCE_BATCH	64

struct config;

struct instance {
	struct tun	 tun;
	struct event	*ev;
	struct tables	*tables;
	struct stats	 stats;
	struct ratelimit rl;		/* ICMP errors of our own */
	struct ratelimit droplog;	/* debug lines about drops */
	uint8_t		*buf;
	size_t		 bufsize;
	uint8_t		*fragbuf;	/* one fragment at a time */
	uint8_t		*segbuf;	/* one segment at a time (offloads) */
};

int		instance_start(struct instance *, struct event_base *,
		    const struct config *);
void		instance_stop(struct instance *);
struct tables	*instance_swap(struct instance *, const struct config *,
		    struct tables *);
void		instance_log_stats(const struct instance *);
enum verdict	instance_translate(const struct tables *, struct pkt *,
		    struct stats *, enum drop_reason *);

#endif
