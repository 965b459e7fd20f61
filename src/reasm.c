/* SPDX-License-Identifier: ISC */
/*
 * reasm.c: bounded reassembly of IPv4 and IPv6 fragments, and of IPv4
 * fragments tunnelled in IPv6 (RFC 2473) one by one.  A fixed array
 * of packet slots, found by a chained hash of their key, kept on a list
 * oldest first for expiry and on a free list when unused.  A slot holds
 * the headers of its first fragment, the fragmentable part at its
 * offsets in a buffer of its own, and the byte ranges received, which
 * are what overlaps are found with and completion is decided on.
 */
#include <sys/queue.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "reasm.h"

#define NH_HOPOPTS	0
#define NH_IPIP		4
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_DSTOPTS	60
#define BUF_MIN		2048		/* a fragmented 1500-byte packet */
#define ECN_CE		3

/* What a key is of: the families of the fragment and its carrier. */
enum kind {
	KIND_IP4 = 1,
	KIND_IP6,
	KIND_IP4_IN_IP6,		/* an IPv4 fragment, the IPv6 packet
					   around it whole */
};

/*
 * What a fragment belongs to: RFC 791 (source, destination, protocol,
 * identification), RFC 8200 (source, destination, identification).  An
 * IPv4 fragment in IPv6 goes by both: two tunnel end points may send
 * the same IPv4 key (two lwB4s sharing an address), and those must not
 * mix.  Zeroed before it is filled, so that memcmp compares keys.
 */
struct rkey {
	uint8_t		 src[16];	/* IPv6 */
	uint8_t		 dst[16];
	uint8_t		 src4[4];	/* IPv4 */
	uint8_t		 dst4[4];
	uint32_t	 id;
	uint8_t		 kind;
	uint8_t		 proto;		/* IPv4 only */
	uint8_t		 pad[2];
};

/* Bytes [start, end) of the fragmentable part, as one fragment gave them. */
struct range {
	uint16_t	 start, end;
};

/* A fragment as parsed, pointing into the caller's packet. */
struct frag {
	struct rkey	 key;
	const uint8_t	*hdr;		/* the headers before the data */
	size_t		 hdrlen;
	size_t		 in4;		/* IPv4: where its header is in hdr,
					   after the IPv6 one around it */
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	bool		 more;
	uint8_t		 ecn;
	bool		 outer_ce;	/* IPv4 in IPv6: the IPv6 one's ECN
					   field said CE */
	size_t		 prevnh;	/* IPv6: the Next Header field that
					   names the Fragment header */
	uint8_t		 nh;		/* IPv6: the Fragment header's */
};

/* A packet being reassembled. */
struct rpkt {
	struct rkey		 key;
	uint64_t		 first_ms;
	TAILQ_ENTRY(rpkt)	 link;		/* age or free list */
	struct rpkt		*hnext;		/* hash chain */
	uint8_t			*buf;		/* the fragmentable part */
	uint32_t		 cap;
	uint32_t		 total;		/* its length; 0: last fragment
						   not seen */
	uint32_t		 maxend;	/* largest end held */
	uint32_t		 bytes;		/* held */
	uint32_t		 nfrag;
	struct range		*frag;		/* limits.fragments of them */
	uint16_t		 hdrlen;	/* 0: first fragment not seen */
	uint16_t		 in4;
	uint16_t		 prevnh;
	uint8_t			 nh;
	bool			 ce;		/* a fragment was marked CE */
	bool			 outer_ce;	/* the IPv6 header of one was */
	uint8_t			 hdr[REASM_HDR_MAX];
};

TAILQ_HEAD(rpkt_list, rpkt);

struct reasm {
	struct reasm_limits	 lim;
	struct rpkt		*pk;		/* lim.packets slots */
	struct range		*ranges;	/* lim.fragments per slot */
	struct rpkt		**bucket;
	uint32_t		 mask;		/* buckets - 1 */
	uint64_t		 seed;		/* of key_hash, random */
	struct rpkt_list	 age;		/* held, oldest first */
	struct rpkt_list	 free;
	struct reasm_stats	 st;
};

static const char *const why_names[] = {
	"none",
#define REASM_WHY_NAME(e, name, desc)	name,
	REASM_REASONS(REASM_WHY_NAME)
#undef REASM_WHY_NAME
};

static const char *const why_descs[] = {
	"not a fragment",
#define REASM_WHY_DESC(e, name, desc)	desc,
	REASM_REASONS(REASM_WHY_DESC)
#undef REASM_WHY_DESC
};

static bool
limits_ok(const struct reasm_limits *l)
{
	return (l->packets <= REASM_PACKETS_MAX && l->fragments >= 1 &&
	    l->fragments <= REASM_FRAGMENTS_MAX && l->timeout_ms >= 1);
}

/* Buckets for n packets: a power of two, at least twice n. */
static uint32_t
nbuckets(uint32_t n)
{
	uint32_t	b = 16;

	while (b < 2 * (uint64_t)n)
		b *= 2;
	return (b);
}

/* What reasm_new() allocates for l, data buffers left out. */
static size_t
table_size(const struct reasm_limits *l)
{
	return (sizeof(struct reasm) +
	    (size_t)l->packets * sizeof(struct rpkt) +
	    (size_t)l->packets * l->fragments * sizeof(struct range) +
	    (size_t)nbuckets(l->packets) * sizeof(struct rpkt *));
}

/* The most a table with limits l ever holds: every buffer at 64 KB. */
size_t
reasm_memory_bound(const struct reasm_limits *l)
{
	return (table_size(l) + (size_t)l->packets * (PKT_MAXLEN + 1));
}

/* Allocate the slots of r for l; r is left as it was on failure. */
static int
table_alloc(struct reasm *r, const struct reasm_limits *l)
{
	struct rpkt	*pk;
	struct range	*ranges;
	struct rpkt	**bucket;
	uint32_t	 i, nb = nbuckets(l->packets);

	pk = calloc(l->packets + 1, sizeof *pk);
	ranges = calloc((size_t)l->packets * l->fragments + 1,
	    sizeof *ranges);
	bucket = calloc(nb, sizeof *bucket);
	if (pk == NULL || ranges == NULL || bucket == NULL) {
		free(pk);
		free(ranges);
		free(bucket);
		return (-1);
	}
	r->lim = *l;
	r->pk = pk;
	r->ranges = ranges;
	r->bucket = bucket;
	r->mask = nb - 1;
	TAILQ_INIT(&r->age);
	TAILQ_INIT(&r->free);
	for (i = 0; i < l->packets; i++) {
		pk[i].frag = ranges + (size_t)i * l->fragments;
		TAILQ_INSERT_TAIL(&r->free, &pk[i], link);
	}
	r->st.packets = 0;
	r->st.fragments = 0;
	r->st.memory = table_size(l);
	return (0);
}

static void
table_release(struct reasm *r)
{
	uint32_t	i;

	for (i = 0; i < r->lim.packets; i++)
		free(r->pk[i].buf);
	free(r->pk);
	free(r->ranges);
	free(r->bucket);
}

struct reasm *
reasm_new(const struct reasm_limits *l)
{
	struct reasm	*r;

	if (!limits_ok(l) || (r = calloc(1, sizeof *r)) == NULL)
		return (NULL);
	if (table_alloc(r, l) == -1) {
		free(r);
		return (NULL);
	}
	/*
	 * The sender picks every byte of the key: with a hash it could
	 * predict, one chain could hold the whole table and each fragment
	 * would walk it.
	 */
	arc4random_buf(&r->seed, sizeof r->seed);
	return (r);
}

void
reasm_free(struct reasm *r)
{
	if (r == NULL)
		return;
	table_release(r);
	free(r);
}

static uint32_t
key_hash(const struct reasm *r, const struct rkey *k)
{
	const uint8_t	*p = (const uint8_t *)k;
	uint64_t	 x = 0x9e3779b97f4a7c15ULL ^ r->seed;
	uint32_t	 w;
	size_t		 i;

	for (i = 0; i < sizeof *k; i += 4) {
		memcpy(&w, p + i, 4);
		x = (x ^ w) * 0xff51afd7ed558ccdULL;
		x ^= x >> 32;
	}
	return ((uint32_t)(x >> 32));
}

static struct rpkt *
pkt_find(struct reasm *r, const struct rkey *k)
{
	struct rpkt	*s;

	for (s = r->bucket[key_hash(r, k) & r->mask]; s != NULL; s = s->hnext)
		if (memcmp(&s->key, k, sizeof *k) == 0)
			return (s);
	return (NULL);
}

/* A free slot for key k, or NULL when the packet limit is reached. */
static struct rpkt *
pkt_new(struct reasm *r, const struct rkey *k, uint64_t now)
{
	struct rpkt	*s, **b;

	if ((s = TAILQ_FIRST(&r->free)) == NULL)
		return (NULL);
	TAILQ_REMOVE(&r->free, s, link);
	s->key = *k;
	s->first_ms = now;
	s->total = s->maxend = s->bytes = s->nfrag = 0;
	s->hdrlen = 0;
	s->ce = s->outer_ce = false;
	b = &r->bucket[key_hash(r, k) & r->mask];
	s->hnext = *b;
	*b = s;
	TAILQ_INSERT_TAIL(&r->age, s, link);
	r->st.packets++;
	return (s);
}

/* Give the slot back; its buffer stays, for the next packet. */
static void
pkt_release(struct reasm *r, struct rpkt *s)
{
	struct rpkt	**b;

	for (b = &r->bucket[key_hash(r, &s->key) & r->mask]; *b != s;
	    b = &(*b)->hnext)
		;
	*b = s->hnext;
	TAILQ_REMOVE(&r->age, s, link);
	/* At the head: its buffer is the one most likely in cache. */
	TAILQ_INSERT_HEAD(&r->free, s, link);
	r->st.packets--;
	r->st.fragments -= s->nfrag;
}

/* Drop a packet and the held fragments of it, of which there are n. */
static void
pkt_discard(struct reasm *r, struct rpkt *s, uint32_t n)
{
	r->st.discarded += n;
	pkt_release(r, s);
}

void
reasm_expire(struct reasm *r, uint64_t now)
{
	struct rpkt	*s;

	while ((s = TAILQ_FIRST(&r->age)) != NULL && now >= s->first_ms &&
	    now - s->first_ms >= r->lim.timeout_ms) {
		r->st.n[REASM_WHY_TIMEOUT]++;
		pkt_discard(r, s, s->nfrag);
	}
}

/*
 * New limits.  A new timeout applies to the packets held; new sizes
 * drop them.  Returns -1, the old limits kept, if l is out of range or
 * memory is short (what was held is dropped all the same).
 */
int
reasm_set_limits(struct reasm *r, const struct reasm_limits *l)
{
	struct reasm	 old;
	struct rpkt	*s;

	if (!limits_ok(l))
		return (-1);
	if (l->packets == r->lim.packets && l->fragments == r->lim.fragments) {
		r->lim.timeout_ms = l->timeout_ms;
		return (0);
	}
	while ((s = TAILQ_FIRST(&r->age)) != NULL) {
		r->st.n[REASM_WHY_FLUSHED]++;
		pkt_discard(r, s, s->nfrag);
	}
	/* The arrays to free; the lists in the copy are not used. */
	old = *r;
	if (table_alloc(r, l) == -1)
		return (-1);
	table_release(&old);
	return (0);
}

/* The checks every fragment but an atomic one must pass. */
static enum reasm_why
frag_length(const struct frag *f, size_t hdrlen)
{
	if (f->len == 0 || (f->more && f->len % 8 != 0))
		return (REASM_WHY_LENGTH);
	if (hdrlen + f->off + f->len > PKT_MAXLEN)
		return (REASM_WHY_LENGTH);
	return (REASM_WHY_HELD);
}

/*
 * The IPv4 header at byte at of p, whose bytes end at lim: at 0, or
 * after the IPv6 headers of a tunnel.  What limits the length is the
 * IPv6 Payload Length around it, if any.
 */
static enum reasm_why
parse4(const struct pkt *p, size_t at, size_t lim, struct frag *f)
{
	const uint8_t	*h = p->data + at;
	size_t		 hl, tot;
	uint16_t	 fl;

	if (lim < at + IP4_HLEN || h[0] >> 4 != 4)
		return (REASM_WHY_NONE);
	fl = get16(h + 6);
	if ((fl & (IP4_MF | IP4_OFFMASK)) == 0)
		return (REASM_WHY_NONE);
	hl = (size_t)(h[0] & 0x0f) * 4;
	tot = get16(h + 2);
	/* The header checked now: reassembly writes a new checksum. */
	if (hl < IP4_HLEN || tot < hl ||
	    tot > lim - at || at + hl > REASM_HDR_MAX ||
	    csum_fold(csum_partial(h, hl, 0)) != 0xffff)
		return (REASM_WHY_BAD_HEADER);
	memset(&f->key, 0, sizeof f->key);
	memcpy(f->key.src4, h + 12, 4);
	memcpy(f->key.dst4, h + 16, 4);
	f->key.id = get16(h + 4);
	f->key.kind = KIND_IP4;
	f->key.proto = h[9];
	f->hdr = p->data;
	f->hdrlen = at + hl;
	f->in4 = at;
	f->data = h + hl;
	f->len = tot - hl;
	f->off = (size_t)(fl & IP4_OFFMASK) * 8;
	f->more = (fl & IP4_MF) != 0;
	f->ecn = h[1] & 3;
	f->outer_ce = false;
	return (frag_length(f, at == 0 ? hl : at - IP6_HLEN + hl));
}

/*
 * Skip the extension headers routers may read (RFC 8200 4.1) from the
 * one named at *prevnh, which starts at *at; what follows them is
 * returned, and starts at *at.  An extension header cut short at lim is
 * returned as it is.
 */
static uint8_t
skip6(const uint8_t *h, size_t lim, size_t *at, size_t *prevnh)
{
	uint8_t	nh;

	for (nh = h[*prevnh]; (nh == NH_HOPOPTS || nh == NH_ROUTING ||
	    nh == NH_DSTOPTS) && *at + 8 <= lim; nh = h[*prevnh]) {
		*prevnh = *at;
		*at += ((size_t)h[*at + 1] + 1) * 8;
	}
	return (nh);
}

/*
 * The Fragment header comes after the extension headers routers may
 * read (RFC 8200 4.1); a chain of anything else has none.
 */
static enum reasm_why
parse6(const struct pkt *p, struct frag *f)
{
	const uint8_t	*h = p->data;
	size_t		 end, lim, at = IP6_HLEN, prevnh = 6;
	uint16_t	 fl;

	if (p->len < IP6_HLEN)
		return (REASM_WHY_NONE);
	end = IP6_HLEN + (size_t)get16(h + 4);
	lim = end < p->len ? end : p->len;
	if (skip6(h, lim, &at, &prevnh) != NH_FRAGMENT)
		return (REASM_WHY_NONE);
	if (at + FRAG_HLEN > lim || end > p->len || at > REASM_HDR_MAX)
		return (REASM_WHY_BAD_HEADER);
	memset(&f->key, 0, sizeof f->key);
	memcpy(f->key.src, h + 8, 16);
	memcpy(f->key.dst, h + 24, 16);
	f->key.id = get32(h + at + 4);
	f->key.kind = KIND_IP6;
	fl = get16(h + at + 2);
	f->hdr = h;
	f->hdrlen = at;
	f->data = h + at + FRAG_HLEN;
	f->len = end - at - FRAG_HLEN;
	f->off = fl & 0xfff8;
	f->more = (fl & 1) != 0;
	f->ecn = h[1] >> 4 & 3;
	f->outer_ce = false;
	f->in4 = 0;
	f->prevnh = prevnh;
	f->nh = h[at];
	if (f->off == 0 && !f->more)
		return (REASM_WHY_ATOMIC);
	return (frag_length(f, at - IP6_HLEN));
}

/*
 * An IPv4 fragment tunnelled in a whole IPv6 packet (RFC 2473), after
 * the extension headers a tunnel end point skips.  The whole packet gets
 * the IPv6 headers of its first fragment; a CE mark on the IPv6 header
 * of any fragment goes on it, for the tunnel end point to carry in or
 * drop, as it would have done to that fragment (RFC 6040 4.2).
 */
static enum reasm_why
parse4in6(const struct pkt *p, struct frag *f)
{
	const uint8_t	*h = p->data;
	size_t		 end, at = IP6_HLEN, prevnh = 6;
	enum reasm_why	 w;

	if (p->len < IP6_HLEN || h[0] >> 4 != 6)
		return (REASM_WHY_NONE);
	end = IP6_HLEN + (size_t)get16(h + 4);
	if (end > p->len || skip6(h, end, &at, &prevnh) != NH_IPIP)
		return (REASM_WHY_NONE);
	w = parse4(p, at, end, f);
	if (w == REASM_WHY_NONE || w == REASM_WHY_BAD_HEADER)
		return (w);
	memcpy(f->key.src, h + 8, 16);
	memcpy(f->key.dst, h + 24, 16);
	f->key.kind = KIND_IP4_IN_IP6;
	f->outer_ce = (h[1] >> 4 & 3) == ECN_CE;
	return (w);
}

/* RFC 6946: an atomic fragment is a whole packet; take the header out. */
static void
strip_atomic(struct pkt *p, const struct frag *f)
{
	size_t	plen = f->hdrlen - IP6_HLEN + f->len;

	p->data[f->prevnh] = f->nh;
	memmove(p->data + FRAG_HLEN, p->data, f->hdrlen);
	pkt_pull(p, FRAG_HLEN);
	put16(p->data + 4, plen);
	pkt_trim(p, IP6_HLEN + plen);
}

static bool
same_bytes(const struct rpkt *s, const struct frag *f)
{
	return (memcmp(s->buf + f->off, f->data, f->len) == 0);
}

static int
pkt_grow(struct reasm *r, struct rpkt *s, size_t end)
{
	uint8_t		*b;
	size_t		 cap;

	if (end <= s->cap)
		return (0);
	for (cap = s->cap != 0 ? s->cap : BUF_MIN; cap < end; cap *= 2)
		;
	if ((b = realloc(s->buf, cap)) == NULL)
		return (-1);
	r->st.memory += cap - s->cap;
	s->buf = b;
	s->cap = (uint32_t)cap;
	return (0);
}

/*
 * Take fragment f into s.  An exact duplicate (same bytes, same place,
 * same M flag) is dropped alone: a retransmission or a duplicating link
 * is no attack.  Any other overlap drops the whole packet (RFC 5722).
 */
static enum reasm_why
pkt_add(struct reasm *r, struct rpkt *s, const struct frag *f)
{
	const struct range	*g;
	size_t			 end = f->off + f->len;
	uint32_t		 i;

	for (i = 0; i < s->nfrag; i++) {
		g = &s->frag[i];
		if (f->off >= g->end || end <= g->start)
			continue;
		if (f->off == g->start && end == g->end &&
		    f->more == (s->total != end) && same_bytes(s, f))
			return (REASM_WHY_DUPLICATE);
		return (REASM_WHY_OVERLAP);
	}
	if (s->nfrag == r->lim.fragments)
		return (REASM_WHY_TOO_MANY_FRAGMENTS);
	if ((s->total != 0 && end > s->total) ||
	    (!f->more && (s->total != 0 || s->maxend > end)))
		return (REASM_WHY_INCONSISTENT);
	if (pkt_grow(r, s, end) == -1)
		return (REASM_WHY_NO_MEMORY);
	memcpy(s->buf + f->off, f->data, f->len);
	s->frag[s->nfrag].start = (uint16_t)f->off;
	s->frag[s->nfrag].end = (uint16_t)end;
	s->nfrag++;
	r->st.fragments++;
	s->bytes += (uint32_t)f->len;
	if (end > s->maxend)
		s->maxend = (uint32_t)end;
	if (!f->more)
		s->total = (uint32_t)end;
	if (f->ecn == ECN_CE)
		s->ce = true;
	if (f->outer_ce)
		s->outer_ce = true;
	if (f->off == 0) {
		/* The unfragmentable part: the first fragment's. */
		memcpy(s->hdr, f->hdr, f->hdrlen);
		s->hdrlen = (uint16_t)f->hdrlen;
		s->in4 = (uint16_t)f->in4;
		s->prevnh = (uint16_t)f->prevnh;
		s->nh = f->nh;
	}
	return (REASM_WHY_HELD);
}

/* No overlap is held, so the bytes add up only when nothing is missing. */
static bool
pkt_complete(const struct rpkt *s)
{
	return (s->hdrlen != 0 && s->total != 0 && s->bytes == s->total);
}

/*
 * The header of the whole IPv4 packet at h, hl bytes, tot in all.
 * RFC 3168 5.3: congestion met by one fragment is the packet's.
 */
static void
build4(uint8_t *h, size_t hl, size_t tot, bool ce)
{
	uint16_t	ck;

	if (ce && (h[1] & 3) != 0)
		h[1] |= ECN_CE;
	put16(h + 2, tot);
	put16(h + 6, get16(h + 6) & ~(IP4_MF | IP4_OFFMASK));
	memset(h + 10, 0, 2);
	ck = csum_finish(csum_partial(h, hl, 0));
	memcpy(h + 10, &ck, 2);
}

/* Write the whole packet over the fragment in p. */
static enum reasm_why
pkt_build(const struct rpkt *s, struct pkt *p)
{
	size_t		 len = (size_t)s->hdrlen + s->total;
	size_t		 room = p->len + p->tail;
	uint8_t		*h = p->data;

	if (len > room || (s->key.kind == KIND_IP4 ? len : len - IP6_HLEN) >
	    PKT_MAXLEN)
		return (REASM_WHY_LENGTH);
	memcpy(h, s->hdr, s->hdrlen);
	memcpy(h + s->hdrlen, s->buf, s->total);
	switch (s->key.kind) {
	case KIND_IP4:
		build4(h, s->hdrlen, len, s->ce);
		break;
	case KIND_IP4_IN_IP6:
		build4(h + s->in4, s->hdrlen - s->in4, len - s->in4, s->ce);
		if (s->outer_ce)
			h[1] |= ECN_CE << 4;
		put16(h + 4, len - IP6_HLEN);
		break;
	default:
		if (s->ce && (h[1] & 0x30) != 0)
			h[1] |= ECN_CE << 4;
		h[s->prevnh] = s->nh;
		put16(h + 4, len - IP6_HLEN);
		break;
	}
	p->len = len;
	p->tail = room - len;
	return (REASM_WHY_DONE);
}

static enum reasm_result
outcome(struct reasm *r, enum reasm_why w, enum reasm_why *why)
{
	r->st.n[w]++;
	*why = w;
	switch (w) {
	case REASM_WHY_HELD:
		return (REASM_HELD);
	case REASM_WHY_DONE:
	case REASM_WHY_ATOMIC:
		return (REASM_DONE);
	default:
		return (REASM_DROP);
	}
}

/* The fragment is taken into s: hold it, or finish the packet. */
static enum reasm_why
pkt_finish(struct reasm *r, struct rpkt *s, struct pkt *p)
{
	enum reasm_why	w;

	if (!pkt_complete(s))
		return (REASM_WHY_HELD);
	/* The fragment in p is counted by its outcome, not as held. */
	if ((w = pkt_build(s, p)) == REASM_WHY_DONE) {
		r->st.used += s->nfrag - 1;
		pkt_release(r, s);
	} else
		pkt_discard(r, s, s->nfrag - 1);
	return (w);
}

/* The fragment f of p, parsed with the outcome w: take it. */
static enum reasm_result
frag_input(struct reasm *r, struct pkt *p, struct frag *f, enum reasm_why w,
    uint64_t now, enum reasm_why *why)
{
	struct rpkt	*s;

	if (w == REASM_WHY_NONE) {
		*why = w;
		return (REASM_NOT_FRAGMENT);
	}
	if (w != REASM_WHY_HELD)
		return (outcome(r, w, why));
	if ((s = pkt_find(r, &f->key)) == NULL &&
	    (s = pkt_new(r, &f->key, now)) == NULL)
		return (outcome(r, REASM_WHY_TOO_MANY_PACKETS, why));
	switch (w = pkt_add(r, s, f)) {
	case REASM_WHY_HELD:
		w = pkt_finish(r, s, p);
		break;
	case REASM_WHY_DUPLICATE:
	case REASM_WHY_NO_MEMORY:
		/* This fragment alone; a new slot it was to fill goes. */
		if (s->nfrag == 0)
			pkt_release(r, s);
		break;
	default:
		pkt_discard(r, s, s->nfrag);
		break;
	}
	return (outcome(r, w, why));
}

enum reasm_result
reasm_input(struct reasm *r, struct pkt *p, uint64_t now,
    enum reasm_why *why)
{
	struct frag	 f;
	enum reasm_why	 w;

	reasm_expire(r, now);
	if (p->len > 0 && p->data[0] >> 4 == 4)
		w = parse4(p, 0, p->len, &f);
	else if (p->len > 0 && p->data[0] >> 4 == 6) {
		if ((w = parse6(p, &f)) == REASM_WHY_ATOMIC)
			strip_atomic(p, &f);
	} else {
		*why = REASM_WHY_NONE;
		return (REASM_NOT_FRAGMENT);
	}
	return (frag_input(r, p, &f, w, now, why));
}

enum reasm_result
reasm_input_4in6(struct reasm *r, struct pkt *p, uint64_t now,
    enum reasm_why *why)
{
	struct frag	f;

	reasm_expire(r, now);
	return (frag_input(r, p, &f, parse4in6(p, &f), now, why));
}

const struct reasm_stats *
reasm_stats(const struct reasm *r)
{
	return (&r->st);
}

const char *
reasm_why_name(enum reasm_why w)
{
	if ((unsigned)w >= REASM_WHY_MAX)
		return ("?");
	return (why_names[w]);
}

const char *
reasm_why_desc(enum reasm_why w)
{
	if ((unsigned)w >= REASM_WHY_MAX)
		return ("?");
	return (why_descs[w]);
}
