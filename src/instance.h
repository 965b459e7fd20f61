/* SPDX-License-Identifier: ISC */
/*
 * instance.h: one tun device, what it does (siit or softwire), the
 * snapshot it works with and its queues, each served by one libevent
 * loop: queue 0 by the main loop, the others by a thread each.
 */
#ifndef TUNMAPD_INSTANCE_H
#define TUNMAPD_INSTANCE_H

#include <event2/event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "config.h"
#include "icmp.h"
#include "pkt.h"
#include "stats.h"
#include "tables.h"
#include "tun.h"

/* Reads per callback: enough to amortize the wake-up, few enough that
 * signals and timers still run under a flood. */
#define INSTANCE_BATCH	64
/* Packets read before any is translated, so that their lookups overlap. */
#define QUEUE_RUN	16

struct sw_tables;
struct reasm;

/* What the packet path reads; replaced whole on reload, never changed. */
struct snapshot {
	enum config_mode	 mode;
	struct tables		*siit;
	struct sw_tables	*sw;
};

struct instance;

/* One queue of the tun and the loop that serves it. */
struct queue {
	struct instance		*in;
	int			 index;
	int			 fd;
	struct event_base	*base;
	struct event		*ev;
	struct event		*timer;		/* reassembly expiry */
	struct event		*stopev;	/* threaded: the stop pipe */
	int			 stop[2];
	pthread_t		 thread;
	bool			 threaded;
	bool			 running;	/* its thread is */
	_Atomic unsigned long	 seq;		/* odd while a batch runs */
	struct stats		 stats;
	struct ratelimit	 rl;		/* ICMP errors of our own */
	struct ratelimit	 droplog;	/* debug lines about drops */
	struct reasm		*reasm;		/* softwire only */
	uint8_t			*buf;		/* QUEUE_RUN of bufsize */
	size_t			 bufsize;
	uint8_t			*fragbuf;	/* one fragment at a time */
	uint8_t			*segbuf;	/* one segment at a time */
};

struct instance {
	struct tun		 tun;
	enum config_mode	 mode;
	struct snapshot *_Atomic snap;
	struct queue		*q;
	int			 nq;
};

struct snapshot	*snapshot_build(const struct config_instance *);
void		 snapshot_free(struct snapshot *);

int		instance_start(struct instance *, struct event_base *,
		    const struct config_instance *, struct snapshot *);
int		instance_threads_start(struct instance *);
void		instance_stop(struct instance *);
struct snapshot	*instance_swap(struct instance *,
		    const struct config_instance *, struct snapshot *);
void		instance_quiesce(const struct instance *);
void		instance_stats(const struct instance *, struct stats *);
void		instance_log_stats(const struct instance *);
const char	*instance_describe(const struct config_instance *);
void		 instance_log_bindings(const struct config_instance *,
		    const struct config_instance *);
enum verdict	instance_translate(const struct tables *, struct pkt *,
		    const struct tables_hint *, struct stats *,
		    enum drop_reason *);

#endif
