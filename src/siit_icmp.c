/* SPDX-License-Identifier: ISC */
/*
 * siit_icmp.c: the ICMP side of RFC 7915.  Echo messages change type and
 * pseudo-header (4.2, 5.2); errors are translated with the packet they
 * quote (4.2-4.3, 5.2-5.3), cut to the RFC 4884 length they claim; and
 * the errors the translator sends itself (source route refused, Packet
 * Too Big, Fragmentation Needed) are made here.  The IP headers and
 * transport checksums are siit.c's; the type and code tables icmp.c's.
 * An error's checksum is the one thing summed in full, over at most 1280
 * bytes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "icmp.h"
#include "siit_priv.h"

#define ICMP4_ERR_MAX	576		/* RFC 1812 4.3.2.3 */
#define ICMP6_ERR_MAX	1280		/* RFC 4443 2.4 (c) */

/* ---- echo ------------------------------------------------------------- */

/*
 * ICMP echo: new type, and the ICMPv6 pseudo-header (ph) added or taken
 * away.  len is the ICMP length the packet claims, which is what the
 * pseudo-header of a truncated inner echo counts.
 */
static void
echo_translate(uint8_t *icmp, size_t avail, uint8_t type, uint32_t ph,
    int to6)
{
	uint16_t	oldw, neww, ck;

	if (avail < 4) {
		icmp[0] = type;		/* a quote cut short: no checksum */
		return;
	}
	oldw = htons(get16(icmp));
	icmp[0] = type;
	neww = htons(get16(icmp));
	memcpy(&ck, icmp + 2, 2);
	if (to6)
		ck = csum_replace(ck, oldw, neww + ph);
	else
		ck = csum_replace(ck, oldw + ph, neww);
	/* RFC 1624 eqn 3 gives 0 for an all-zero message; 0xffff verifies. */
	if (ck == 0)
		ck = 0xffff;
	memcpy(icmp + 2, &ck, 2);
}

/* ICMPv4 echo to ICMPv6 echo. */
void
siit_icmp_echo4to6(struct pkt *p, const struct hdr4 *x,
    const struct in6_addr *src6, const struct in6_addr *dst6)
{
	uint8_t	*icmp = p->data + x->hl;
	size_t	 len = x->tot - x->hl;

	echo_translate(icmp, len, icmp_map4to6(icmp[0], 0).type,
	    sum6(src6, dst6) + pseudo6_rest(len, IPPROTO_ICMPV6), 1);
}

/* ICMPv6 echo to ICMPv4 echo. */
void
siit_icmp_echo6to4(struct pkt *p, const struct hdr6 *x)
{
	uint8_t	*icmp = p->data + x->hl;
	size_t	 len = x->avail - x->hl;

	echo_translate(icmp, len, icmp_map6to4(icmp[0], icmp[1]).type,
	    sum6(&x->src, &x->dst) + pseudo6_rest(len, IPPROTO_ICMPV6), 0);
}

/* ---- errors the translator sends itself ------------------------------- */

/* An ICMPv4 error to the sender of the IPv4 packet at p (RFC 792). */
enum verdict
siit_icmp_reply4(const struct tables *t, struct pkt *p, const struct hdr4 *x,
    uint8_t type, uint8_t code, uint32_t word)
{
	size_t		 len;

	len = x->tot;
	if (len > ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN)
		len = ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN;
	pkt_trim(p, len);
	pkt_push(p, IP4_HLEN + ICMP_HLEN);
	icmp_put(p->data + IP4_HLEN, type, code, word, len, 0);
	write4(p->data, 0, p->len, 0, 0, 64, IPPROTO_ICMP, t->icmp_src4,
	    x->src);
	return (VERDICT_REPLY);
}

/* An ICMPv6 error to the sender of the IPv6 packet at p (RFC 4443). */
enum verdict
siit_icmp_reply6(const struct tables *t, struct pkt *p, const struct hdr6 *x,
    uint8_t type, uint8_t code, uint32_t word)
{
	struct in6_addr	 src;
	size_t		 len;

	len = IP6_HLEN + x->plen;
	if (len > ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN)
		len = ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN;
	src = t->has_icmp_src6 ? t->icmp_src6 : x->dst;
	pkt_trim(p, len);
	pkt_push(p, IP6_HLEN + ICMP_HLEN);
	icmp_put(p->data + IP6_HLEN, type, code, word, len,
	    sum6(&src, &x->src) + pseudo6_rest(ICMP_HLEN + len,
	    IPPROTO_ICMPV6));
	memset(p->data, 0, 4);
	p->data[0] = 0x60;
	put16(p->data + 4, (uint16_t)(ICMP_HLEN + len));
	p->data[6] = IPPROTO_ICMPV6;
	p->data[7] = 64;
	memcpy(p->data + 8, &src, 16);
	memcpy(p->data + 24, &x->src, 16);
	return (VERDICT_REPLY);
}

/* ---- ICMP errors: the packet in error --------------------------------- */

/*
 * Translate the IPv4 packet quoted by an ICMPv4 error to IPv6, writing
 * its new header so that it ends at the quoted payload.  Returns the new
 * start of the inner packet, or NULL.  The quoted packet went from our
 * IPv6 side out, so its addresses map the same way as any other.
 */
static uint8_t *
inner4to6(const struct tables *t, uint8_t *h, size_t avail, size_t *len,
    enum drop_reason *why)
{
	struct hdr4	 x;
	struct in6_addr	 src6, dst6;
	uint8_t		*l4, *out, nh;
	size_t		 l4len, hl6;
	int		 frag;

	if (siit_parse4(h, avail, 1, &x, why) == VERDICT_DROP)
		return (NULL);
	if (!siit_map4(t, x.src, &src6) || !siit_map4(t, x.dst, &dst6)) {
		*why = DROP_ICMP_INNER;
		return (NULL);
	}
	l4 = h + x.hl;
	l4len = x.avail - x.hl;
	frag = (x.frag & (IP4_MF | IP4_OFFMASK)) != 0;
	nh = x.proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : x.proto;
	if ((x.frag & IP4_OFFMASK) == 0) {
		if (x.proto == IPPROTO_ICMP) {
			if (l4len < 1 || icmp_is_error4(l4[0]) ||
			    icmp_map4to6(l4[0], 0).kind != ICMP_INFO) {
				*why = DROP_ICMP_INNER;
				return (NULL);
			}
			echo_translate(l4, l4len, icmp_map4to6(l4[0], 0).type,
			    sum6(&src6, &dst6) + pseudo6_rest(x.tot - x.hl,
			    IPPROTO_ICMPV6), 1);
		} else
			siit_l4_readdress(l4, l4len, x.proto,
			    csum_words(h + 12, 8, 0), sum6(&src6, &dst6), 0);
	}
	hl6 = IP6_HLEN + (frag ? FRAG_HLEN : 0);
	out = l4 - hl6;
	write6(out, &x, x.tot - x.hl, nh, x.ttl, &src6, &dst6, frag,
	    t->copy_tos ? x.tos : 0);
	*len = hl6 + l4len;
	return (out);
}

/* The IPv6 packet quoted by an ICMPv6 error, translated to IPv4. */
static uint8_t *
inner6to4(const struct tables *t, uint8_t *h, size_t avail, size_t *len,
    enum drop_reason *why)
{
	struct hdr6	 x;
	uint32_t	 src4, dst4;
	uint8_t		*l4, *out, proto;
	size_t		 l4len, tot;
	uint16_t	 frag = 0;

	if (siit_parse6(h, avail, 1, &x, why) == VERDICT_DROP)
		return (NULL);
	if (!siit_map6(t, &x.src, &src4) || !siit_map6(t, &x.dst, &dst4)) {
		*why = DROP_ICMP_INNER;
		return (NULL);
	}
	l4 = h + x.hl;
	l4len = x.avail - x.hl;
	tot = IP6_HLEN + x.plen >= x.hl ? IP4_HLEN + IP6_HLEN + x.plen -
	    x.hl : IP4_HLEN;
	proto = x.nh == IPPROTO_ICMPV6 ? IPPROTO_ICMP : x.nh;
	if (x.frag)
		frag = (uint16_t)(x.foff | (x.mf ? IP4_MF : 0));
	else if (tot > SIIT_DF_THRESHOLD)
		frag = IP4_DF;		/* RFC 7915 5.2: as in 5.1 */
	if (x.foff == 0) {
		if (x.nh == IPPROTO_ICMPV6) {
			if (l4len < 1 || icmp_is_error6(l4[0]) ||
			    icmp_map6to4(l4[0], 0).kind != ICMP_INFO) {
				*why = DROP_ICMP_INNER;
				return (NULL);
			}
			echo_translate(l4, l4len, icmp_map6to4(l4[0], 0).type,
			    sum6(&x.src, &x.dst) + pseudo6_rest(tot - IP4_HLEN,
			    IPPROTO_ICMPV6), 0);
		} else
			siit_l4_readdress(l4, l4len, proto,
			    sum6(&x.src, &x.dst), sum4(src4, dst4), 0);
	}
	out = l4 - IP4_HLEN;
	write4(out, t->copy_tos ? x.tclass : 0, tot,
	    x.frag ? (uint16_t)x.fid : 0, frag, x.hlim, proto, src4, dst4);
	*len = IP4_HLEN + l4len;
	return (out);
}

/*
 * RFC 4884: the length an ICMP error claims for its quoted packet, or 0.
 * Only the types of its section 4 have the field: in Packet Too Big the
 * byte is part of the MTU, in an ICMPv6 Parameter Problem of the pointer.
 */
static size_t
rfc4884_len(const uint8_t *icmp, int v6)
{
	if (v6)
		return (icmp[0] == ICMP6_UNREACH ||
		    icmp[0] == ICMP6_TIME_EXCEEDED ? (size_t)icmp[4] * 8 : 0);
	return (icmp[0] == ICMP4_UNREACH || icmp[0] == ICMP4_TIMXCEED ||
	    icmp[0] == ICMP4_PARAMPROB ? (size_t)icmp[5] * 4 : 0);
}

/* ---- ICMPv4 errors to ICMPv6 ------------------------------------------ */

/* The fourth word of an ICMPv6 error made from an ICMPv4 one. */
static int
word4to6(const struct tables *t, const struct icmp_map *m,
    const uint8_t *icmp, const uint8_t *inner, uint32_t *word)
{
	int	ptr;

	switch (m->word) {
	case WORD_MTU:
		/*
		 * RFC 7915 4.2: min(MTU + 20, IPv6 next hop, IPv4 next hop
		 * + 20); both next hops are the tun, so tun.mtu.
		 */
		*word = icmp_mtu4to6(get16(icmp + 6), get16(inner + 2),
		    t->mtu);
		return (0);
	case WORD_POINTER:
		if ((ptr = icmp_pointer4to6(icmp[4])) < 0)
			return (-1);
		*word = (uint32_t)ptr;
		return (0);
	case WORD_NH_POINTER:
		*word = 6;		/* RFC 7915 4.2: the Next Header */
		return (0);
	default:
		*word = 0;
		return (0);
	}
}

/*
 * RFC 7915 4.2: an ICMPv4 error becomes an ICMPv6 error whose quoted
 * packet is translated too.  Extensions (RFC 4884) are dropped: the
 * quoted packet changes length, and 7915 allows leaving them out.
 */
enum verdict
siit_icmp_error4to6(const struct tables *t, struct pkt *p,
    const struct hdr4 *x, struct in6_addr *src6, const struct in6_addr *dst6,
    bool away, enum drop_reason *why)
{
	struct icmp_map	 m;
	uint8_t		*icmp = p->data + x->hl, *in, *out;
	size_t		 len = x->tot - x->hl, inlen, ext;
	uint32_t	 word;

	/* Both headers may grow: 20 + 20, and 8 for an inner fragment. */
	if (p->head < 2 * (IP6_HLEN - IP4_HLEN) + FRAG_HLEN)
		return (drop(why, DROP_TOO_BIG));
	m = icmp_map4to6(icmp[0], icmp[1]);
	if (m.kind == ICMP_DROP || (x->frag & (IP4_MF | IP4_OFFMASK)))
		return (drop(why, m.kind == ICMP_DROP ? DROP_ICMP_TYPE :
		    DROP_FRAGMENT));
	if (len < ICMP_HLEN + IP4_HLEN)
		return (drop(why, DROP_TRUNCATED));
	if (csum_fold(csum_partial(icmp, len, 0)) != 0xffff)
		return (drop(why, DROP_BAD_CHECKSUM));
	if ((ext = rfc4884_len(icmp, 0)) != 0 && ext + ICMP_HLEN < len)
		len = ext + ICMP_HLEN;
	if (word4to6(t, &m, icmp, icmp + ICMP_HLEN, &word) == -1)
		return (drop(why, DROP_ICMP_TYPE));
	in = inner4to6(t, icmp + ICMP_HLEN, len - ICMP_HLEN, &inlen, why);
	if (in == NULL)
		return (VERDICT_DROP);
	if (inlen > ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN)
		inlen = ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN;
	out = in - ICMP_HLEN;
	icmp_put(out, m.type, m.code, word, inlen, sum6(src6, dst6) +
	    pseudo6_rest(ICMP_HLEN + inlen, IPPROTO_ICMPV6));
	pkt_trim(p, (size_t)(in - p->data) + inlen);
	/* The ICMP header may now start before the packet did. */
	pkt_start_at(p, out);
	pkt_push(p, IP6_HLEN);
	write6(p->data, x, ICMP_HLEN + inlen, IPPROTO_ICMPV6,
	    hops_out(t, x->ttl, away), src6, dst6, 0,
	    t->copy_tos ? x->tos : 0);
	return (VERDICT_FORWARD);
}

/* ---- ICMPv6 errors to ICMPv4 ------------------------------------------ */

/* The fourth word of an ICMPv4 error made from an ICMPv6 one. */
static int
word6to4(const struct tables *t, const struct icmp_map *m,
    const uint8_t *icmp, uint32_t *word)
{
	uint32_t	v;
	int		ptr;

	memcpy(&v, icmp + 4, 4);
	v = ntohl(v);
	switch (m->word) {
	case WORD_MTU:
		/* RFC 7915 5.2, likewise: tun.mtu - 20. */
		*word = icmp_mtu6to4(v, (uint32_t)t->mtu - 20);
		return (0);
	case WORD_POINTER:
		if (v > 255 || (ptr = icmp_pointer6to4((uint8_t)v)) < 0)
			return (-1);
		*word = (uint32_t)ptr << 24;
		return (0);
	default:
		*word = 0;
		return (0);
	}
}

/* RFC 7915 5.2: an ICMPv6 error becomes an ICMPv4 error. */
enum verdict
siit_icmp_error6to4(const struct tables *t, struct pkt *p,
    const struct hdr6 *x, uint32_t src4, uint32_t dst4, bool away,
    enum drop_reason *why)
{
	struct icmp_map	 m;
	uint8_t		*icmp = p->data + x->hl, *in, *out;
	size_t		 len = x->avail - x->hl, inlen, ext;
	uint32_t	 word, s;

	m = icmp_map6to4(icmp[0], icmp[1]);
	if (m.kind == ICMP_DROP)
		return (drop(why, DROP_ICMP_TYPE));
	if (x->frag)
		return (drop(why, DROP_FRAGMENT));
	if (len < ICMP_HLEN + IP6_HLEN)
		return (drop(why, DROP_TRUNCATED));
	s = sum6(&x->src, &x->dst) + pseudo6_rest(len, IPPROTO_ICMPV6);
	if (csum_fold(csum_partial(icmp, len, s)) != 0xffff)
		return (drop(why, DROP_BAD_CHECKSUM));
	if ((ext = rfc4884_len(icmp, 1)) != 0 && ext + ICMP_HLEN < len)
		len = ext + ICMP_HLEN;
	if (word6to4(t, &m, icmp, &word) == -1)
		return (drop(why, DROP_ICMP_TYPE));
	in = inner6to4(t, icmp + ICMP_HLEN, len - ICMP_HLEN, &inlen, why);
	if (in == NULL)
		return (VERDICT_DROP);
	if (inlen > ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN)
		inlen = ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN;
	out = in - ICMP_HLEN;
	icmp_put(out, m.type, m.code, word, inlen, 0);
	pkt_trim(p, (size_t)(in - p->data) + inlen);
	/* The ICMP header may now start before the packet did. */
	pkt_start_at(p, out);
	pkt_push(p, IP4_HLEN);
	write4(p->data, t->copy_tos ? x->tclass : 0, p->len,
	    siit_make_ipid(out, ICMP_HLEN, IPPROTO_ICMP, src4, dst4, 0), 0,
	    hops_out(t, x->hlim, away), IPPROTO_ICMP, src4, dst4);
	return (VERDICT_FORWARD);
}
