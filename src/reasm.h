/* SPDX-License-Identifier: ISC */
/*
 * reasm.h: bounded reassembly of IPv4 (RFC 791) and IPv6 (RFC 8200 4.5)
 * fragments.  The lwAFTR needs it (RFC 7596 5.1): only the first fragment
 * of a packet carries the ports its binding is looked up by.  That goes
 * for IPv4 fragments a lwB4 tunnels one by one too (RFC 7597 8.3.3):
 * reasm_input_4in6() puts those together inside the IPv6 header of the
 * first, keyed by the IPv6 addresses as well, so that two lwB4s never
 * mix theirs; they share the table, its limits and its counters.
 *
 * Pure: no I/O and no clock.  The caller passes the time in milliseconds
 * from any monotonic origin, and calls reasm_expire() from a timer.  One
 * table per packet loop; it is not thread-safe.
 *
 * Memory: reasm_new() allocates the table for limits.packets packets of
 * limits.fragments fragments each, about 600 + 4 x fragments bytes a
 * packet.  The data of a packet goes to a buffer that grows, in powers of
 * two from 2 KB, to the largest offset seen and is kept for the next
 * packet, so the steady state allocates nothing.  The bound is
 * packets x (64 KB + the table), reached only if every packet held is
 * close to 64 KB long.
 *
 * When limits.packets packets are held, a fragment of a further packet is
 * dropped (after timed-out packets are expired): the packets already held
 * are the ones closest to completion, and evicting them would let any
 * burst of new first fragments ruin every reassembly under way.  Each one
 * held is freed after limits.timeout_ms at most, counted from its first
 * fragment.
 */
#ifndef TUNMAPD_REASM_H
#define TUNMAPD_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

/* Largest limits reasm_new() accepts; a packet has 8192 fragments at most. */
#define REASM_PACKETS_MAX	(1U << 20)
#define REASM_FRAGMENTS_MAX	8192U
/* Headers kept from the first fragment: IPv4 with options, IPv6 and
 * the extension headers before the Fragment header, or IPv6 and its
 * extension headers and the IPv4 header in it. */
#define REASM_HDR_MAX		512

struct reasm_limits {
	uint32_t	packets;	/* held at once; 0: drop all fragments */
	uint32_t	fragments;	/* per packet, at least 1 */
	uint32_t	timeout_ms;	/* from the first fragment of a packet */
};

enum reasm_result {
	REASM_NOT_FRAGMENT,		/* p untouched: not a fragment, or too
					   cut short to tell */
	REASM_HELD,			/* p copied into the table; drop it */
	REASM_DONE,			/* p is now the whole packet */
	REASM_DROP,			/* p untouched; count why */
};

/*
 * X(id, name, what it counts): every outcome of reasm_input() but
 * REASM_NOT_FRAGMENT, and of reasm_expire() and reasm_set_limits().  A
 * "packet" reason drops the fragment given and every one held with it;
 * a "fragment" reason drops the fragment given alone.
 */
#define REASM_REASONS(X)						\
	X(HELD, "held",							\
	    "fragments held until their packet is whole")		\
	X(DONE, "reassembled",						\
	    "packets made whole from their fragments")			\
	X(ATOMIC, "atomic",						\
	    "IPv6 atomic fragments passed on whole (RFC 6946)")		\
	X(DUPLICATE, "duplicate",					\
	    "fragments dropped: the same bytes as one held")		\
	X(BAD_HEADER, "bad-header",					\
	    "fragments dropped: header cut short, malformed, over "	\
	    "512 bytes, or with a wrong IPv4 checksum")			\
	X(LENGTH, "length",						\
	    "fragments or packets dropped: empty, not a multiple of 8 "	\
	    "bytes before the last, or a packet over 65535 bytes or "	\
	    "over the buffer")						\
	X(TOO_MANY_PACKETS, "too-many-packets",				\
	    "fragments dropped: the packet limit was reached")		\
	X(TOO_MANY_FRAGMENTS, "too-many-fragments",			\
	    "packets dropped: more fragments than the limit")		\
	X(OVERLAP, "overlap",						\
	    "packets dropped: fragments overlap (RFC 5722)")		\
	X(INCONSISTENT, "inconsistent",					\
	    "packets dropped: fragments disagree on where it ends")	\
	X(TIMEOUT, "timeout",						\
	    "packets dropped: not whole within the timeout")		\
	X(FLUSHED, "flushed",						\
	    "packets dropped: the limits changed")			\
	X(NO_MEMORY, "no-memory",					\
	    "fragments dropped: no memory for their data")

enum reasm_why {
	REASM_WHY_NONE,			/* not a fragment: not counted */
#define REASM_WHY_ENUM(e, name, desc)	REASM_WHY_##e,
	REASM_REASONS(REASM_WHY_ENUM)
#undef REASM_WHY_ENUM
	REASM_WHY_MAX
};

struct reasm_stats {
	uint64_t	n[REASM_WHY_MAX];	/* by outcome */
	uint64_t	discarded;	/* fragments held, then dropped
					   with their packet */
	uint64_t	used;		/* fragments in reassembled packets */
	uint32_t	packets;	/* held now */
	uint32_t	fragments;	/* held now */
	size_t		memory;		/* bytes allocated now */
};

struct reasm;

struct reasm	*reasm_new(const struct reasm_limits *);
void		 reasm_free(struct reasm *);
int		 reasm_set_limits(struct reasm *, const struct reasm_limits *);
enum reasm_result reasm_input(struct reasm *, struct pkt *, uint64_t,
		    enum reasm_why *);
/*
 * p is IPv6 carrying an IPv4 fragment (RFC 2473) after the extension
 * headers a tunnel end point skips.  REASM_DONE: p is the IPv6 headers
 * of the first fragment, Payload Length set, around the whole IPv4
 * packet.  REASM_NOT_FRAGMENT: p is no such packet.
 */
enum reasm_result reasm_input_4in6(struct reasm *, struct pkt *, uint64_t,
		    enum reasm_why *);
void		 reasm_expire(struct reasm *, uint64_t);
const struct reasm_stats *reasm_stats(const struct reasm *);
size_t		 reasm_memory_bound(const struct reasm_limits *);
const char	*reasm_why_name(enum reasm_why);
const char	*reasm_why_desc(enum reasm_why);

#endif
