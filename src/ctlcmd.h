/* SPDX-License-Identifier: ISC */
/*
 * ctlcmd.h: between the control socket (control.c) and its commands
 * (ctlcmd.c, ctllookup.c).  The socket splits a request into a struct
 * ctl_req and picks the command; the command writes the body of the reply
 * into a struct ctl_out and says whether it is done, has failed (its
 * message in the request's err), or answers later (reload).  Private to
 * the daemon: tunmapctl knows only the protocol, in control.h.
 */
#ifndef TUNMAPD_CTLCMD_H
#define TUNMAPD_CTLCMD_H

#include <sys/types.h>
#include <sys/queue.h>
#include <stdbool.h>
#include <stddef.h>

struct bufferevent;
struct ctl_out;
struct event;
struct evconnlistener;
struct tunmapd;

#define CTL_WORDS	8	/* of a request */
#define CTL_ERRLEN	256

/* A client of the socket. */
struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct control		*ctl;
	struct bufferevent	*bev;
	bool			 replied;	/* close once it is sent */
	bool			 lingering;	/* it is: wait for the EOF */
};

/* The socket and its clients. */
struct control {
	struct tunmapd		*d;
	struct evconnlistener	*lev;
	struct event		*retry;		/* accept again after EMFILE */
	char			*path;
	dev_t			 dev;		/* of the socket file made */
	ino_t			 ino;
	gid_t			 gid;		/* its group */
	TAILQ_HEAD(, ctl_conn)	 conns;
	int			 nconns;
	struct ctl_conn		*reloading;	/* waits for the reload */
};

/* A request, split into words and options. */
struct ctl_req {
	int		 argc;
	char		*argv[CTL_WORDS];
	bool		 json;
	bool		 all;			/* --all */
	const char	*tun;			/* --instance, or NULL */
	long long	 offset, limit;		/* -1: not given */
	size_t		 inst;			/* the instance it concerns */
	char		 err[CTL_ERRLEN];
};

/* What a command returns: a reply to send, an error, or none yet. */
enum { CTL_FAIL = -1, CTL_DONE, CTL_LATER };

/* ctlcmd.c */
int	ctl_status(struct ctl_conn *, struct ctl_req *, struct ctl_out *);
int	ctl_stats(struct ctl_conn *, struct ctl_req *, struct ctl_out *);
int	ctl_mappings(struct ctl_conn *, struct ctl_req *, struct ctl_out *);
int	ctl_bindings(struct ctl_conn *, struct ctl_req *, struct ctl_out *);
int	ctl_reload(struct ctl_conn *, struct ctl_req *, struct ctl_out *);

/* ctllookup.c */
int	ctl_lookup(struct ctl_conn *, struct ctl_req *, struct ctl_out *);

#endif
