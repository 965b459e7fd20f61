/* SPDX-License-Identifier: ISC */
/*
 * siit_priv.h: what siit.c (the IP headers and transport checksums) and
 * siit_icmp.c (ICMP messages, the packets quoted in ICMP errors, and the
 * errors the translator sends itself) share: the parsed headers, the
 * header writers and the sums.  The writers are inline because the fast
 * paths of siit.c write their headers with them.
 */
#ifndef TUNMAPD_SIIT_PRIV_H
#define TUNMAPD_SIIT_PRIV_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "checksum.h"
#include "siit.h"

/* An IPv4 header, outer or inside an ICMP error. */
struct hdr4 {
	uint8_t		*h;
	size_t		 hl;		/* header length */
	size_t		 tot;		/* total length the header claims */
	size_t		 avail;		/* bytes present from h on */
	uint8_t		 tos, ttl, proto;
	uint16_t	 id, frag;	/* flags and offset, host order */
	uint32_t	 src, dst;
};

/* An IPv6 header and its extension headers, outer or inner. */
struct hdr6 {
	uint8_t		*h;
	size_t		 hl;		/* 40 + extension headers */
	size_t		 plen;		/* payload length the header claims */
	size_t		 avail;
	uint8_t		 tclass, hlim, nh;	/* nh: upper layer */
	struct in6_addr	 src, dst;
	int		 frag;		/* a Fragment header was present */
	uint32_t	 fid;
	uint16_t	 foff;		/* offset in 8-byte units */
	int		 mf;
	int		 rh_sl;		/* offset of a non-zero Segments Left */
};

/* The sum of two IPv6 addresses: a pseudo-header's. */
static inline uint32_t
sum6(const struct in6_addr *a, const struct in6_addr *b)
{
	return (csum_words(a, 16, csum_words(b, 16, 0)));
}

/* The sum of two IPv4 addresses. */
static inline uint32_t
sum4(uint32_t a, uint32_t b)
{
	uint32_t	w[2] = { a, b };

	return (csum_words(w, sizeof w, 0));
}

/* The sum of an IPv6 pseudo-header's length and next header fields. */
static inline uint32_t
pseudo6_rest(size_t len, uint8_t nh)
{
	uint32_t	w[2];

	w[0] = htonl((uint32_t)len);
	w[1] = htonl(nh);
	return (csum_words(w, sizeof w, 0));
}

/* The verdict for a packet dropped for reason r. */
static inline enum verdict
drop(enum drop_reason *why, enum drop_reason r)
{
	*why = r;
	return (VERDICT_DROP);
}

/* RFC 7915 4.1: an IPv6 header (flow label 0). */
static inline void
write6_hdr(uint8_t *h, size_t plen, uint8_t nh, uint8_t hlim,
    const struct in6_addr *src, const struct in6_addr *dst, uint8_t tclass)
{
	uint32_t	w[2];

	w[0] = htonl(6U << 28 | (uint32_t)tclass << 20);
	w[1] = htonl((uint32_t)(uint16_t)plen << 16 | (uint32_t)nh << 8 | hlim);
	memcpy(h, w, sizeof w);
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* RFC 7915 4.1: an IPv6 header, and a Fragment header when frag. */
static inline size_t
write6(uint8_t *h, const struct hdr4 *x, size_t plen, uint8_t nh,
    uint8_t hlim, const struct in6_addr *src, const struct in6_addr *dst,
    int frag, uint8_t tclass)
{
	uint32_t	w;
	uint8_t		*f;

	write6_hdr(h, plen + (frag ? FRAG_HLEN : 0), frag ? IPPROTO_FRAGMENT :
	    nh, hlim, src, dst, tclass);
	if (!frag)
		return (IP6_HLEN);
	/* RFC 7915 4.1: the IPv4 fragment fields carry over. */
	f = h + IP6_HLEN;
	f[0] = nh;
	f[1] = 0;
	put16(f + 2, (uint16_t)((x->frag & IP4_OFFMASK) << 3 |
	    ((x->frag & IP4_MF) ? 1 : 0)));
	w = htonl(x->id);
	memcpy(f + 4, &w, 4);
	return (IP6_HLEN + FRAG_HLEN);
}

/*
 * RFC 7915 5.1: an IPv4 header.  Its words are made and summed in
 * registers: summed back from memory just after being written in bytes
 * and halves, they would wait for the stores to drain.  Inline, so that
 * the fast path's known fields fold into the words.
 */
static inline __attribute__((__always_inline__)) void
write4(uint8_t *h, uint8_t tos, size_t tot, uint16_t id, uint16_t frag,
    uint8_t ttl, uint8_t proto, uint32_t src, uint32_t dst)
{
	uint32_t	w[5];
	uint16_t	ck;

	w[0] = htonl(0x45U << 24 | (uint32_t)tos << 16 | (uint16_t)tot);
	w[1] = htonl((uint32_t)id << 16 | frag);
	w[2] = htonl((uint32_t)ttl << 24 | (uint32_t)proto << 16);
	w[3] = src;
	w[4] = dst;
	ck = csum_finish(csum_words(w, sizeof w, 0));
	memcpy(h, w, sizeof w);
	memcpy(h + 10, &ck, 2);
}

/*
 * The hop count leaving the node.  The kernel takes one off on the way
 * into the tun and one on the way out; with one-hop we give one back, so
 * the node counts once.  Only for a destination that cannot lead back
 * into the tun (an EAM server going to IPv6, a pool6 host going to
 * IPv4): otherwise a packet circling between the kernel and us, such as
 * one for an unmapped address routed into the tun, would never expire.
 */
static inline uint8_t
hops_out(const struct tables *t, uint8_t in, bool away)
{
	if (t->one_hop && away && in < 255)
		return (in + 1);
	return (in);
}

/* The Identification for a flow and the checksum of one of its packets. */
static inline uint16_t
ipid_mix(uint32_t src4, uint32_t dst4, uint16_t ck)
{
	uint32_t	s;

	s = (src4 ^ (dst4 * 0x9e3779b1U)) + ck * 0x85ebca6bU;
	s ^= s >> 16;
	return ((uint16_t)s != 0 ? (uint16_t)s : 1);
}

/* siit.c */
bool		siit_map4(const struct tables *, uint32_t, struct in6_addr *);
bool		siit_map6(const struct tables *, const struct in6_addr *,
		    uint32_t *);
enum verdict	siit_parse4(uint8_t *, size_t, int, struct hdr4 *,
		    enum drop_reason *);
enum verdict	siit_parse6(uint8_t *, size_t, int, struct hdr6 *,
		    enum drop_reason *);
void		siit_l4_readdress(uint8_t *, size_t, uint8_t, uint32_t,
		    uint32_t, int);
uint16_t	siit_make_ipid(const uint8_t *, size_t, uint8_t, uint32_t,
		    uint32_t, int);

/* siit_icmp.c */
void		siit_icmp_echo4to6(struct pkt *, const struct hdr4 *,
		    const struct in6_addr *, const struct in6_addr *);
void		siit_icmp_echo6to4(struct pkt *, const struct hdr6 *);
enum verdict	siit_icmp_error4to6(const struct tables *, struct pkt *,
		    const struct hdr4 *, struct in6_addr *,
		    const struct in6_addr *, bool, enum drop_reason *);
enum verdict	siit_icmp_error6to4(const struct tables *, struct pkt *,
		    const struct hdr6 *, uint32_t, uint32_t, bool,
		    enum drop_reason *);
enum verdict	siit_icmp_reply4(const struct tables *, struct pkt *,
		    const struct hdr4 *, uint8_t, uint8_t, uint32_t);
enum verdict	siit_icmp_reply6(const struct tables *, struct pkt *,
		    const struct hdr6 *, uint8_t, uint8_t, uint32_t);

#endif
