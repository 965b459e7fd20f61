/* SPDX-License-Identifier: ISC */
/*
 * siit.c: RFC 7915 header translation between IPv4 and IPv6 over a buffer
 * with headroom.  The new header is written just in front of the payload,
 * which never moves; transport checksums are adjusted by the difference of
 * the pseudo-headers (RFC 1624), so the cost does not grow with the
 * payload.  No I/O, no allocation, no logging: a verdict and a drop reason.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "siit.h"

#define IP4_HLEN	20
#define IP6_HLEN	40
#define IP4_DF		0x4000
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff

#define ICMP4_ECHOREPLY	0
#define ICMP4_ECHO	8
#define ICMP6_ECHO	128
#define ICMP6_ECHOREPLY	129

/* What the two translations share: the layer-4 part and its addresses. */
struct l4 {
	uint8_t		*data;		/* transport header */
	size_t		 len;
	uint8_t		 proto;		/* IPv4 numbering (ICMP = 1) */
	uint32_t	 sum4;		/* sum of the IPv4 addresses */
	uint32_t	 sum6;		/* sum of the IPv6 addresses */
	struct in6_addr	 src6, dst6;
};

static inline uint16_t
get16(const uint8_t *p)
{
	uint16_t	v;

	memcpy(&v, p, 2);
	return (ntohs(v));
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, 2);
}

/* The sum of an IPv6 pseudo-header's length and next header fields. */
static uint32_t
pseudo6_rest(size_t len, uint8_t nh)
{
	uint32_t	w[2];

	w[0] = htonl((uint32_t)len);
	w[1] = htonl(nh);
	return (csum_partial(w, sizeof w, 0));
}

/*
 * Fix the transport checksum for the new addresses and, for ICMP, the new
 * type and the pseudo-header ICMPv6 has and ICMPv4 lacks.  to6 says which
 * way we translate.  ICMP types were already rewritten by the caller, with
 * the old and new type words in oldw and neww.
 */
static void
siit_l4_checksum(struct l4 *l, int to6, uint16_t oldw, uint16_t neww)
{
	uint32_t	 from, to, ph;
	uint16_t	 ck;
	uint8_t		*ckp;

	switch (l->proto) {
	case IPPROTO_TCP:
		ckp = l->data + 16;
		break;
	case IPPROTO_UDP:
		ckp = l->data + 6;
		break;
	default:
		/* ICMP: only the type word and the ICMPv6 pseudo-header. */
		ckp = l->data + 2;
		ph = csum_partial(&l->src6, 16, 0);
		ph = csum_partial(&l->dst6, 16, ph);
		ph += pseudo6_rest(l->len, IPPROTO_ICMPV6);
		from = htons(oldw);
		to = htons(neww);
		if (to6)
			to += ph;
		else
			from += ph;
		memcpy(&ck, ckp, 2);
		ck = csum_replace(ck, from, to);
		memcpy(ckp, &ck, 2);
		return;
	}
	memcpy(&ck, ckp, 2);
	if (to6)
		ck = csum_replace(ck, l->sum4, l->sum6);
	else
		ck = csum_replace(ck, l->sum6, l->sum4);
	/* UDP says "no checksum" with 0; a computed 0 is sent as 0xffff. */
	if (l->proto == IPPROTO_UDP && ck == 0)
		ck = 0xffff;
	memcpy(ckp, &ck, 2);
}

/* RFC 7915 4.5: a zero IPv4 UDP checksum is computed from scratch. */
static void
siit_udp_fill(struct l4 *l)
{
	uint32_t	s;
	uint16_t	ck;

	s = csum_partial(&l->src6, 16, 0);
	s = csum_partial(&l->dst6, 16, s);
	s += pseudo6_rest(l->len, IPPROTO_UDP);
	s = csum_partial(l->data, l->len, s);
	ck = csum_finish(s);
	if (ck == 0)
		ck = 0xffff;
	memcpy(l->data + 6, &ck, 2);
}

/* Check that the transport header fits; ICMP echo is all that passes. */
static enum verdict
siit_l4_check(const struct l4 *l, int from6, enum drop_reason *why)
{
	uint8_t	type;

	switch (l->proto) {
	case IPPROTO_TCP:
		if (l->len < 20)
			goto truncated;
		return (VERDICT_FORWARD);
	case IPPROTO_UDP:
		if (l->len < 8)
			goto truncated;
		return (VERDICT_FORWARD);
	case IPPROTO_ICMP:
		if (l->len < 8)
			goto truncated;
		type = l->data[0];
		if (from6 ? (type == ICMP6_ECHO || type == ICMP6_ECHOREPLY) :
		    (type == ICMP4_ECHO || type == ICMP4_ECHOREPLY))
			return (VERDICT_FORWARD);
		*why = DROP_ICMP_TYPE;
		return (VERDICT_DROP);
	default:
		*why = DROP_PROTOCOL;
		return (VERDICT_DROP);
	}
truncated:
	*why = DROP_TRUNCATED;
	return (VERDICT_DROP);
}

/* Rewrite the ICMP echo type; returns the old and new type words. */
static void
siit_icmp_echo(struct l4 *l, int to6, uint16_t *oldw, uint16_t *neww)
{
	uint8_t	t = l->data[0];

	*oldw = get16(l->data);
	if (to6)
		l->data[0] = t == ICMP4_ECHO ? ICMP6_ECHO : ICMP6_ECHOREPLY;
	else
		l->data[0] = t == ICMP6_ECHO ? ICMP4_ECHO : ICMP4_ECHOREPLY;
	*neww = get16(l->data);
}

static void
siit_l4_translate(struct l4 *l, int to6)
{
	uint16_t	oldw = 0, neww = 0, ck;

	if (l->proto == IPPROTO_ICMP)
		siit_icmp_echo(l, to6, &oldw, &neww);
	if (l->proto == IPPROTO_UDP && to6) {
		memcpy(&ck, l->data + 6, 2);
		if (ck == 0) {
			siit_udp_fill(l);
			return;
		}
	}
	siit_l4_checksum(l, to6, oldw, neww);
}

/* Validate an IPv4 header; on success *hl and the trimmed length. */
static enum verdict
siit_check4(struct pkt *p, size_t *hl, enum drop_reason *why)
{
	const uint8_t	*h = p->data;
	size_t		 tot;

	if (p->len < IP4_HLEN) {
		*why = DROP_TRUNCATED;
		return (VERDICT_DROP);
	}
	if (h[0] >> 4 != 4) {
		*why = DROP_BAD_VERSION;
		return (VERDICT_DROP);
	}
	*hl = (size_t)(h[0] & 0x0f) * 4;
	tot = get16(h + 2);
	if (*hl < IP4_HLEN || tot < *hl) {
		*why = DROP_BAD_HEADER;
		return (VERDICT_DROP);
	}
	if (*hl > p->len || tot > p->len) {
		*why = DROP_TRUNCATED;
		return (VERDICT_DROP);
	}
	if (csum_fold(csum_partial(h, *hl, 0)) != 0xffff) {
		*why = DROP_BAD_CHECKSUM;
		return (VERDICT_DROP);
	}
	p->len = tot;		/* drop link-layer padding, if any */
	return (VERDICT_FORWARD);
}

/* RFC 7915 4.1: write the IPv6 header in front of the payload. */
static void
siit_write6(uint8_t *h, uint8_t tos, size_t plen, uint8_t nh, uint8_t hlim,
    const struct in6_addr *src, const struct in6_addr *dst)
{
	uint32_t	w;

	w = htonl(6U << 28 | (uint32_t)tos << 20);	/* flow label 0 */
	memcpy(h, &w, 4);
	put16(h + 4, (uint16_t)plen);
	h[6] = nh;
	h[7] = hlim;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* Translate the IPv4 packet p to IPv6 in place (RFC 7915 section 4). */
enum verdict
siit_4to6(const struct tables *t, struct pkt *p, enum drop_reason *why)
{
	struct l4	 l;
	size_t		 hl;
	uint32_t	 src4, dst4;
	uint8_t		 tos, ttl;

	if (siit_check4(p, &hl, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	if (get16(p->data + 6) & (IP4_MF | IP4_OFFMASK)) {
		*why = DROP_FRAGMENT;
		return (VERDICT_DROP);
	}
	tos = p->data[1];
	ttl = p->data[8];
	memcpy(&src4, p->data + 12, 4);
	memcpy(&dst4, p->data + 16, 4);
	l.proto = p->data[9];
	l.data = p->data + hl;
	l.len = p->len - hl;
	if (siit_l4_check(&l, 0, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	if (!tables_map4(t, src4, &l.src6)) {
		*why = DROP_SRC_UNMAPPED;
		return (VERDICT_DROP);
	}
	if (!tables_map4(t, dst4, &l.dst6)) {
		*why = DROP_DST_UNMAPPED;
		return (VERDICT_DROP);
	}
	if (IP6_HLEN + l.len > t->mtu || IP6_HLEN > hl + p->head) {
		*why = DROP_TOO_BIG;
		return (VERDICT_DROP);
	}
	l.sum4 = csum_partial(p->data + 12, 8, 0);
	l.sum6 = csum_partial(&l.src6, 16, csum_partial(&l.dst6, 16, 0));
	siit_l4_translate(&l, 1);

	/* IPv4 options are not translated (RFC 7915 4.1): they go. */
	pkt_pull(p, hl);
	pkt_push(p, IP6_HLEN);
	siit_write6(p->data, tos, l.len,
	    l.proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : l.proto, ttl,
	    &l.src6, &l.dst6);
	return (VERDICT_FORWARD);
}

/* Validate an IPv6 header and find the transport header. */
static enum verdict
siit_check6(struct pkt *p, uint8_t *nh, enum drop_reason *why)
{
	const uint8_t	*h = p->data;
	size_t		 plen;

	if (p->len < IP6_HLEN) {
		*why = DROP_TRUNCATED;
		return (VERDICT_DROP);
	}
	if (h[0] >> 4 != 6) {
		*why = DROP_BAD_VERSION;
		return (VERDICT_DROP);
	}
	plen = get16(h + 4);
	if (IP6_HLEN + plen > p->len) {
		*why = DROP_TRUNCATED;
		return (VERDICT_DROP);
	}
	p->len = IP6_HLEN + plen;
	switch (h[6]) {
	case IPPROTO_FRAGMENT:
		*why = DROP_FRAGMENT;
		return (VERDICT_DROP);
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
		*why = DROP_EXT_HEADER;
		return (VERDICT_DROP);
	case IPPROTO_ICMPV6:
		*nh = IPPROTO_ICMP;
		break;
	default:
		*nh = h[6];
		break;
	}
	return (VERDICT_FORWARD);
}

/*
 * RFC 7915 5.1: the Identification of a translated packet.  The translator
 * keeps no state, so it is derived from the flow and the transport
 * checksum, which changes from one packet of a flow to the next.
 */
static uint16_t
siit_ipid(const struct l4 *l, uint32_t src4, uint32_t dst4)
{
	uint32_t	s;
	uint16_t	ck = 0, id;

	if (l->len >= 8)
		memcpy(&ck, l->data + (l->proto == IPPROTO_TCP &&
		    l->len >= 20 ? 16 : l->proto == IPPROTO_UDP ? 6 : 2), 2);
	s = (src4 ^ (dst4 * 0x9e3779b1U)) + ck * 0x85ebca6bU;
	s ^= s >> 16;
	id = (uint16_t)s;
	return (id != 0 ? id : 1);
}

/* RFC 7915 5.1: write the IPv4 header in front of the payload. */
static void
siit_write4(uint8_t *h, uint8_t tos, size_t tot, uint16_t id, uint8_t ttl,
    uint8_t proto, uint32_t src, uint32_t dst)
{
	uint16_t	ck;

	h[0] = 0x45;
	h[1] = tos;
	put16(h + 2, (uint16_t)tot);
	put16(h + 4, id);
	put16(h + 6, tot > SIIT_DF_THRESHOLD ? IP4_DF : 0);
	h[8] = ttl;
	h[9] = proto;
	memset(h + 10, 0, 2);
	memcpy(h + 12, &src, 4);
	memcpy(h + 16, &dst, 4);
	ck = csum_finish(csum_partial(h, IP4_HLEN, 0));
	memcpy(h + 10, &ck, 2);
}

/* Translate the IPv6 packet p to IPv4 in place (RFC 7915 section 5). */
enum verdict
siit_6to4(const struct tables *t, struct pkt *p, enum drop_reason *why)
{
	struct l4	 l;
	uint32_t	 src4, dst4;
	uint8_t		 tclass, hlim;

	if (siit_check6(p, &l.proto, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	tclass = (uint8_t)(get16(p->data) >> 4);
	hlim = p->data[7];
	memcpy(&l.src6, p->data + 8, 16);
	memcpy(&l.dst6, p->data + 24, 16);
	l.data = p->data + IP6_HLEN;
	l.len = p->len - IP6_HLEN;
	if (siit_l4_check(&l, 1, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	if (!tables_map6(t, &l.src6, &src4)) {
		*why = DROP_SRC_UNMAPPED;
		return (VERDICT_DROP);
	}
	if (!tables_map6(t, &l.dst6, &dst4)) {
		*why = DROP_DST_UNMAPPED;
		return (VERDICT_DROP);
	}
	if (IP4_HLEN + l.len > t->mtu) {
		*why = DROP_TOO_BIG;
		return (VERDICT_DROP);
	}
	l.sum6 = csum_partial(&l.src6, 16, csum_partial(&l.dst6, 16, 0));
	l.sum4 = csum_partial(&src4, 4, csum_partial(&dst4, 4, 0));
	siit_l4_translate(&l, 0);

	pkt_pull(p, IP6_HLEN - IP4_HLEN);
	siit_write4(p->data, tclass, p->len, siit_ipid(&l, src4, dst4), hlim,
	    l.proto, src4, dst4);
	return (VERDICT_FORWARD);
}
