/* SPDX-License-Identifier: ISC */
/*
 * ctlout.h: the body of a reply of the control socket, written once for
 * both of its forms: "key value" lines for people, or one JSON object for
 * scripts (tunmapctl -j).  The commands of ctlcmd.c and ctllookup.c say
 * what to write; this says how.
 */
#ifndef TUNMAPD_CTLOUT_H
#define TUNMAPD_CTLOUT_H

#include <stdbool.h>
#include <stdint.h>

struct evbuffer;

/*
 * A reply body: "key value" lines, or one JSON object.  Either may hold
 * a list of objects (ctl_out_list()): in text, each is a "key value"
 * line followed by its members indented by a tab.
 */
struct ctl_out {
	struct evbuffer	*b;
	bool		 json;
	int		 n;		/* members of the object being made */
	int		 depth;		/* 1: inside an object of a list */
	int		 outer;		/* n of the reply's object meanwhile */
	int		 items;		/* objects of the list so far */
};

void	ctl_out_open(struct ctl_out *);
void	ctl_out_str(struct ctl_out *, const char *, const char *);
void	ctl_out_num(struct ctl_out *, const char *, uint64_t);
void	ctl_out_bool(struct ctl_out *, const char *, bool);
void	ctl_out_close(struct ctl_out *);
void	ctl_out_list(struct ctl_out *, const char *);
void	ctl_out_item(struct ctl_out *, const char *, const char *,
	    const char *);
void	ctl_out_item_end(struct ctl_out *);
void	ctl_out_list_end(struct ctl_out *);

#endif
