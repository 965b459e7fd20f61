/* SPDX-License-Identifier: ISC */
/*
 * siit.c: RFC 7915 translation between IPv4 and IPv6 over a buffer with
 * headroom.  The payload never moves: new headers are written just in
 * front of it, and transport checksums are adjusted by the difference of
 * the pseudo-headers (RFC 1624), so the cost does not grow with the
 * payload.  ICMP messages, and the packets ICMP errors quote, are
 * siit_icmp.c's.  No I/O, no allocation, no logging: a verdict and a
 * reason.
 *
 * A packet read with tun offloads may be unfinished (p->off, vnet.c): its
 * TCP or UDP checksum field may hold only the pseudo-header's sum, and it
 * may stand for many segments.  Translated, it stays so, and the kernel
 * finishes it on the way out.  Quoted in an ICMP error or fragmented, it
 * must be finished first: a checksum is completed here, a super-packet
 * goes back to the caller to be cut (VERDICT_SEGMENT), untouched.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "icmp.h"
#include "siit_priv.h"
#include "vnet.h"

#define IP6_MAX_EXT	8		/* extension headers walked at most */
#define IPOPT_LSRR	131
#define IPOPT_SSRR	137
#define IPPROTO_UDPLITE_	136
#define IPPROTO_DCCP_	33

/* The sum of an IPv4 header: one without options is summed inline. */
static inline uint32_t
sum_hdr4(const uint8_t *h, size_t hl)
{
	if (hl == IP4_HLEN)
		return (csum_words(h, IP4_HLEN, 0));
	return (csum_partial(h, hl, 0));
}

/* ---- addresses --------------------------------------------------------- */

#define SIIT_INLINE	static inline __attribute__((__always_inline__))

SIIT_INLINE bool map4_hint(const struct tables *, uint32_t,
		    struct in6_addr *, bool *, uint8_t, uint64_t);
SIIT_INLINE bool map6_hint(const struct tables *, const struct in6_addr *,
		    uint32_t *, bool *, uint8_t, uint64_t);

/* map4_hint() and map6_hint() with nothing known. */
#define map4_eam(t, a, out, eam) \
	map4_hint((t), (a), (out), (eam), TABLES_HINT_NONE, 0)
#define map6_eam(t, a, out, eam) \
	map6_hint((t), (a), (out), (eam), TABLES_HINT_NONE, 0)

/* RFC 7915 4.1 / RFC 6890: addresses a translator never translates. */
#define untranslatable4(t, a)	tables_untranslatable4((t), (a))

/* Unspecified, loopback, link-local and multicast IPv6 addresses. */
static inline bool
untranslatable6(const struct in6_addr *a)
{
	uint64_t	w[2];

	memcpy(w, a, sizeof w);
	/* ::1 in the host order its last 8 bytes are read in. */
	return (a->s6_addr[0] == 0xff ||
	    (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80) ||
	    (w[0] == 0 && (w[1] == 0 || w[1] == htobe64(1))));
}

/*
 * RFC 6890 special-purpose IPv4 space that is not globally reachable.
 * Most addresses are global: a bitmap of the first octets the list
 * starts with sends them back before the loop.
 */
static bool
nonglobal4(uint32_t a)
{
	static const struct { uint32_t net; uint8_t len; } r[] = {
		{ 0x00000000, 8 }, { 0x0a000000, 8 }, { 0x64400000, 10 },
		{ 0x7f000000, 8 }, { 0xa9fe0000, 16 }, { 0xac100000, 12 },
		{ 0xc0000000, 24 }, { 0xc0000200, 24 }, { 0xc0a80000, 16 },
		{ 0xc6120000, 15 }, { 0xc6336400, 24 }, { 0xcb007100, 24 },
		{ 0xf0000000, 4 },
	};
	/* Octets 0, 10, 100, 127, 169, 172, 192, 198, 203 and 240-255. */
	static const uint64_t	first[4] = {
		1ULL << 0 | 1ULL << 10, 1ULL << (100 - 64) | 1ULL << (127 - 64),
		1ULL << (169 - 128) | 1ULL << (172 - 128),
		1ULL << (192 - 192) | 1ULL << (198 - 192) |
		    1ULL << (203 - 192) | 0xffffULL << 48,
	};
	uint32_t	h = ntohl(a);
	size_t		i;

	if ((first[h >> 30] >> (h >> 24 & 63) & 1) == 0)
		return (false);
	for (i = 0; i < sizeof r / sizeof r[0]; i++)
		if ((h & ~0U << (32 - r[i].len)) == r[i].net)
			return (true);
	return (false);
}

/*
 * The IPv6 address for IPv4 address a: EAM, else pool6.  RFC 6052 3.1:
 * the well-known prefix must not carry non-global IPv4 addresses.
 */
bool
siit_map4(const struct tables *t, uint32_t a, struct in6_addr *out)
{
	return (map4_eam(t, a, out, NULL));
}

/*
 * As siit_map4(); *eam says whether an explicit mapping gave the answer.
 * hint and hash are what the reader learnt of a (struct tables_hint), if
 * anything.  Always inline, the EAM lookup too, with the filter asked
 * once: the fast paths map both addresses without a call, and a call
 * would cost them more than the lookup's own instructions once the table
 * is in cache (the saving of registers, the spills around it).
 */
SIIT_INLINE bool
map4_hint(const struct tables *t, uint32_t a, struct in6_addr *out,
    bool *eam, uint8_t hint, uint64_t hash)
{
	if (eam != NULL)
		*eam = false;
	if (hint == TABLES_HINT_NONE)
		hint = tables_hint4(t, a, &hash);
	if (hint == TABLES_HINT_HASH && tables_eam4_past(t, a, &hash, out)) {
		if (eam != NULL)
			*eam = true;
		return (true);
	}
	if (!t->has_pool6 || (t->pool6_wkp && !t->wkp_nonglobal &&
	    nonglobal4(a)))
		return (false);
	addr_embed6052(&t->pool6, a, out);
	return (true);
}

bool
siit_map6(const struct tables *t, const struct in6_addr *a, uint32_t *out)
{
	return (map6_eam(t, a, out, NULL));
}

SIIT_INLINE bool
map6_hint(const struct tables *t, const struct in6_addr *a, uint32_t *out,
    bool *eam, uint8_t hint, uint64_t hash)
{
	if (eam != NULL)
		*eam = false;
	if (hint == TABLES_HINT_NONE)
		hint = tables_hint6(t, a, &hash);
	if (hint == TABLES_HINT_HASH && tables_eam6_past(t, a, &hash, out)) {
		if (eam != NULL)
			*eam = true;
		return (true);
	}
	if (!t->has_pool6 || !addr_extract6052(&t->pool6, a, out))
		return (false);
	return (!t->pool6_wkp || t->wkp_nonglobal || !nonglobal4(*out));
}

/* RFC 6791: an IPv4 source for an error from an untranslatable router. */
static uint32_t
pool6791_4(const struct tables *t, const struct in6_addr *a)
{
	uint32_t	host, n, h;

	if (t->pool6791_4.len >= 31)
		return (t->pool6791_4.addr);
	n = ~ntohl(addr_mask4(t->pool6791_4.len)) - 1;	/* usable hosts */
	h = csum_fold(csum_words(a, 16, 0));
	host = 1 + h % n;
	return (t->pool6791_4.addr | htonl(host));
}

/* ---- transport checksums ---------------------------------------------- */

/* Offset of the checksum field of an IPv4-numbered protocol, or -1. */
static int
csum_offset(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return (16);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE_:
	case IPPROTO_DCCP_:
		return (6);
	case IPPROTO_ICMPV6:		/* only when it stays IPv6 */
		return (2);
	default:
		return (-1);
	}
}

/*
 * Adjust the checksum of a transport header for new pseudo-header
 * addresses.  Only the first fragment holds the header, and the packet
 * in error inside an ICMP message may be cut short of the field.  When
 * partial, the field holds the pseudo-header's sum itself, not the
 * complement of a sum, so the difference is applied the other way: P' =
 * P - m + m' is ~csum_replace(~P, m, m').  The length in the IPv4 and
 * IPv6 pseudo-headers sums the same, so only the addresses count.
 */
void
siit_l4_readdress(uint8_t *l4, size_t avail, uint8_t proto, uint32_t from,
    uint32_t to, int partial)
{
	int		off = csum_offset(proto);
	uint16_t	ck;

	if (off < 0 || avail < (size_t)off + 2)
		return;
	memcpy(&ck, l4 + off, 2);
	if (partial) {
		ck = (uint16_t)~csum_replace((uint16_t)~ck, from, to);
		memcpy(l4 + off, &ck, 2);
		return;
	}
	if (proto == IPPROTO_UDP && ck == 0)
		return;		/* no checksum: the caller decided */
	ck = csum_replace(ck, from, to);
	/*
	 * 0xffff verifies whenever 0 does; UDP needs it (0 says "none"),
	 * and eqn 3 of RFC 1624 gives 0 where only 0xffff is right.
	 */
	if (ck == 0)
		ck = 0xffff;
	memcpy(l4 + off, &ck, 2);
}

/* ---- parsing ----------------------------------------------------------- */

/*
 * Parse an IPv4 header.  An outer header must be whole and its checksum
 * right; an inner one (quoted by an ICMP error) may be cut short.
 */
enum verdict
siit_parse4(uint8_t *h, size_t avail, int inner, struct hdr4 *x,
    enum drop_reason *why)
{
	if (avail < IP4_HLEN)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_TRUNCATED));
	if (h[0] >> 4 != 4)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_BAD_VERSION));
	x->h = h;
	x->avail = avail;
	x->hl = (size_t)(h[0] & 0x0f) * 4;
	x->tot = get16(h + 2);
	if (x->hl < IP4_HLEN || x->tot < x->hl)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_BAD_HEADER));
	if (x->hl > avail)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_TRUNCATED));
	if (!inner) {
		if (x->tot > avail)
			return (drop(why, DROP_TRUNCATED));
		if (csum_fold(sum_hdr4(h, x->hl)) != 0xffff)
			return (drop(why, DROP_BAD_CHECKSUM));
		x->avail = x->tot;	/* link-layer padding goes */
	} else if (x->tot < x->avail)
		x->avail = x->tot;
	x->tos = h[1];
	x->id = get16(h + 4);
	x->frag = get16(h + 6);
	x->ttl = h[8];
	x->proto = h[9];
	memcpy(&x->src, h + 12, 4);
	memcpy(&x->dst, h + 16, 4);
	return (VERDICT_FORWARD);
}

/* Walk the extension headers RFC 7915 5.1 lets a translator skip. */
static enum verdict
parse6_ext(struct hdr6 *x, int inner, enum drop_reason *why)
{
	const uint8_t	*e;
	uint8_t		 nh = x->h[6];
	size_t		 len;
	int		 n;

	for (n = 0; n < IP6_MAX_EXT; n++) {
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING &&
		    nh != IPPROTO_DSTOPTS && nh != IPPROTO_FRAGMENT) {
			x->nh = nh;
			return (VERDICT_FORWARD);
		}
		if (nh == IPPROTO_HOPOPTS && n != 0)
			break;		/* only right after the header */
		e = x->h + x->hl;
		if (x->hl + FRAG_HLEN > x->avail)
			break;
		len = nh == IPPROTO_FRAGMENT ? FRAG_HLEN :
		    ((size_t)e[1] + 1) * 8;
		if (x->hl + len > x->avail)
			break;
		if (nh == IPPROTO_FRAGMENT) {
			if (x->frag)
				break;
			x->frag = 1;
			x->foff = get16(e + 2) >> 3;
			x->mf = e[3] & 1;
			memcpy(&x->fid, e + 4, 4);
			x->fid = ntohl(x->fid);
			if (x->foff != 0) {
				/* Only data follows: no more headers. */
				x->hl += len;
				x->nh = e[0];
				return (VERDICT_FORWARD);
			}
		} else if (nh == IPPROTO_ROUTING && e[3] != 0 && x->rh_sl == 0)
			x->rh_sl = (int)(x->hl + 3);
		nh = e[0];
		x->hl += len;
	}
	return (drop(why, inner ? DROP_ICMP_INNER : DROP_EXT_HEADER));
}

/* Parse an IPv6 header and its extension headers, outer or inner. */
enum verdict
siit_parse6(uint8_t *h, size_t avail, int inner, struct hdr6 *x,
    enum drop_reason *why)
{
	/* Field by field: a memset of the struct is a slow rep stos. */
	x->frag = x->mf = x->rh_sl = 0;
	x->fid = 0;
	x->foff = 0;
	x->nh = 0;
	if (avail < IP6_HLEN)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_TRUNCATED));
	if (h[0] >> 4 != 6)
		return (drop(why, inner ? DROP_ICMP_INNER : DROP_BAD_VERSION));
	x->h = h;
	x->hl = IP6_HLEN;
	x->plen = get16(h + 4);
	x->avail = avail;
	if (IP6_HLEN + x->plen < avail)
		x->avail = IP6_HLEN + x->plen;
	else if (!inner && IP6_HLEN + x->plen > avail)
		return (drop(why, DROP_TRUNCATED));
	x->tclass = (uint8_t)(get16(h) >> 4);
	x->hlim = h[7];
	memcpy(&x->src, h + 8, 16);
	memcpy(&x->dst, h + 24, 16);
	return (parse6_ext(x, inner, why));
}

/* Whether an IPv4 option list holds an unexpired source route. */
static bool
source_routed(const struct hdr4 *x)
{
	const uint8_t	*o = x->h + IP4_HLEN;
	size_t		 i = 0, n = x->hl - IP4_HLEN, len;

	while (i < n) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			break;
		/* RFC 791: the route is done once the pointer passes it. */
		if ((o[i] == IPOPT_LSRR || o[i] == IPOPT_SSRR) && len >= 3 &&
		    o[i + 2] <= len)
			return (true);
		i += len;
	}
	return (false);
}

/*
 * RFC 7915 5.1: the Identification of an unfragmented translated packet.
 * Nothing is kept per flow, so it comes from the flow and the transport
 * checksum, which changes from one packet of a flow to the next.
 */
uint16_t
siit_make_ipid(const uint8_t *l4, size_t avail, uint8_t proto, uint32_t src4,
    uint32_t dst4, int partial)
{
	uint16_t	ck = 0;
	int		off = proto == IPPROTO_ICMP ? 2 : csum_offset(proto);

	/* A partial checksum is the same for every packet: the sequence. */
	if (partial && proto == IPPROTO_TCP && avail >= 8)
		off = 6;
	if (off >= 0 && avail >= (size_t)off + 2)
		memcpy(&ck, l4 + off, 2);
	return (ipid_mix(src4, dst4, ck));
}

/* ---- super-packets ----------------------------------------------------- */

/*
 * Before p is quoted or fragmented: whether it is a super-packet, to be
 * cut first (it is left untouched); else its checksum is completed.
 */
static bool
must_segment(struct pkt *p)
{
	if (pkt_is_gso(p))
		return (true);
	vnet_complete(p);
	return (false);
}

/* ---- IPv4 -> IPv6 -------------------------------------------------------- */

/* The transport part of a 4->6 translation that is not an ICMP error. */
static enum verdict
l4_4to6(const struct tables *t, struct pkt *p, const struct hdr4 *x,
    const struct in6_addr *src6, const struct in6_addr *dst6,
    enum drop_reason *why)
{
	uint8_t		*l4 = p->data + x->hl;
	size_t		 len = x->tot - x->hl;
	int		 first = (x->frag & IP4_OFFMASK) == 0;
	int		 frag = (x->frag & (IP4_MF | IP4_OFFMASK)) != 0;
	uint16_t	 ck;
	uint32_t	 s;

	if (!first)
		return (VERDICT_FORWARD);	/* no transport header */
	switch (x->proto) {
	case IPPROTO_TCP:
		if (len < 20)
			return (drop(why, DROP_TRUNCATED));
		break;
	case IPPROTO_UDP:
		if (len < 8)
			return (drop(why, DROP_TRUNCATED));
		memcpy(&ck, l4 + 6, 2);
		if (ck != 0 || pkt_csum_partial(p))
			break;
		/* RFC 7915 4.5: IPv6 requires the checksum IPv4 omitted. */
		if (frag || !t->udp0_compute)
			return (drop(why, DROP_UDP_ZERO_CSUM));
		s = sum6(src6, dst6) + pseudo6_rest(len, IPPROTO_UDP);
		ck = csum_finish(csum_partial(l4, len, s));
		if (ck == 0)
			ck = 0xffff;	/* 0 would say "no checksum" */
		memcpy(l4 + 6, &ck, 2);
		return (VERDICT_FORWARD);
	case IPPROTO_ICMP:
		return (drop(why, DROP_ICMP_TYPE));	/* handled above */
	case IPPROTO_ICMPV6:
	case IPPROTO_IGMP:
		return (drop(why, DROP_PROTOCOL));
	}
	siit_l4_readdress(l4, len, x->proto, csum_words(p->data + 12, 8, 0),
	    sum6(src6, dst6), pkt_csum_partial(p));
	return (VERDICT_FORWARD);
}

/* Checks that come before the addresses: what must not be translated. */
static enum verdict
precheck4(const struct tables *t, struct pkt *p, const struct hdr4 *x,
    enum drop_reason *why)
{
	if (untranslatable4(t, x->src) || untranslatable4(t, x->dst))
		return (drop(why, DROP_UNTRANSLATABLE));
	/*
	 * These numbers name IPv6 extension headers: copied to Next Header
	 * they would let an IPv4 sender put its own Hop-by-Hop, Routing or
	 * Fragment header on the IPv6 side.
	 */
	switch (x->proto) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_FRAGMENT:
	case IPPROTO_DSTOPTS:
	case IPPROTO_NONE:
	case 135: case 139: case 140:	/* mobility, HIP, shim6 */
		return (drop(why, DROP_PROTOCOL));
	}
	if (x->ttl == 0)
		return (drop(why, DROP_TTL_EXPIRED));
	/* RFC 7915 4.1: an unexpired source route is refused. */
	if (x->hl > IP4_HLEN && source_routed(x)) {
		if (must_segment(p))
			return (VERDICT_SEGMENT);
		*why = DROP_SOURCE_ROUTE;
		return (siit_icmp_reply4(t, p, x, ICMP4_UNREACH,
		    ICMP4_UNREACH_SRCFAIL, 0));
	}
	return (VERDICT_FORWARD);
}

/*
 * How the translated packet leaves: whole, with a Fragment header (it
 * was an IPv4 fragment, or must be split), or refused for its size.
 */
static enum verdict
size4to6(const struct tables *t, struct pkt *p, const struct hdr4 *x,
    int *frag, enum drop_reason *why)
{
	size_t	out;

	*frag = (x->frag & (IP4_MF | IP4_OFFMASK)) != 0;
	/* RFC 791: no datagram reaches past 65535 bytes. */
	if ((size_t)(x->frag & IP4_OFFMASK) * 8 + x->tot - x->hl > 65535)
		return (drop(why, DROP_BAD_HEADER));
	/* A super-packet leaves as segments: the largest must fit. */
	out = IP6_HLEN + (*frag ? FRAG_HLEN : 0) +
	    vnet_l4seg(p, x->tot - x->hl);
	if (x->frag & IP4_DF) {
		if (out <= t->mtu)
			return (VERDICT_FORWARD);
		if (must_segment(p))
			return (VERDICT_SEGMENT);
		/* RFC 7915 4: the sender learns the MTU left for it. */
		*why = DROP_TOO_BIG;
		return (siit_icmp_reply4(t, p, x, ICMP4_UNREACH,
		    ICMP4_UNREACH_NEEDFRAG, t->mtu - (out - x->tot)));
	}
	if (out > t->lowest_mtu && !*frag) {
		*frag = 1;
		out += FRAG_HLEN;
	}
	if (IP6_HLEN + FRAG_HLEN > x->hl + p->head || out > PKT_MAXLEN)
		return (drop(why, DROP_TOO_BIG));
	if (out <= t->lowest_mtu)
		return (VERDICT_FORWARD);
	return (must_segment(p) ? VERDICT_SEGMENT : VERDICT_FRAGMENT);
}

/*
 * Whether the transport header at l4 (len bytes, of the first fragment)
 * is a TCP or UDP one whose checksum the pseudo-header difference
 * alone keeps right: the common case, which is translated in a line.
 */
static inline bool
plain_l4(const uint8_t *l4, size_t len, uint8_t proto)
{
	if (proto == IPPROTO_TCP)
		return (len >= 20);
	/* UDP without a checksum may need one computed going to IPv6. */
	return (proto == IPPROTO_UDP && len >= 8 && (l4[6] | l4[7]) != 0);
}

/*
 * siit_l4_readdress() for plain_l4(), from the old and new pseudo-header
 * addresses as they lie in memory.  Its 0 becomes 0xffff, like
 * siit_l4_readdress()'s, so the two give the same bytes.  Returns the new
 * checksum, as it is stored.
 */
static inline __attribute__((__always_inline__)) uint16_t
plain_readdress(uint8_t *l4, uint8_t proto, const void *old, size_t oldlen,
    const void *new, size_t newlen)
{
	uint8_t		*f = l4 + (proto == IPPROTO_TCP ? 16 : 6);
	uint16_t	 ck;

	memcpy(&ck, f, 2);
	ck = csum_replace_words(ck, old, oldlen, new, newlen);
	if (ck == 0)
		ck = 0xffff;
	memcpy(f, &ck, 2);
	return (ck);
}

/*
 * The common case of siit_4to6 in a straight line: a whole TCP or UDP
 * packet without options, offloads or fragmentation, between mapped
 * addresses, that fits the MTU as it is.  The steps are those of the
 * general way, decided in advance; anything else returns false with p
 * untouched, and the general way gives it the same bytes it always did.
 */
static bool
fast4to6(const struct tables *t, struct pkt *p, const struct tables_hint *hi)
{
	uint8_t		*h = p->data, proto, ttl, tos;
	struct in6_addr	 a6[2];		/* source, destination */
	uint32_t	 src, dst;
	size_t		 tot, l4len;
	uint16_t	 frag;
	bool		 away, seam;

	if (p->len < IP4_HLEN || h[0] != 0x45 || p->off.flags != 0 ||
	    pkt_is_gso(p) || p->head < IP6_HLEN + FRAG_HLEN - IP4_HLEN)
		return (false);
	tot = get16(h + 2);
	frag = get16(h + 6);
	if (tot < IP4_HLEN || tot > p->len || (frag & ~IP4_DF) != 0 ||
	    h[8] == 0 || !plain_l4(h + IP4_HLEN, tot - IP4_HLEN, h[9]) ||
	    csum_fold(csum_words(h, IP4_HLEN, 0)) != 0xffff)
		return (false);
	l4len = tot - IP4_HLEN;
	if (IP6_HLEN + l4len > (frag & IP4_DF ? t->mtu : t->lowest_mtu))
		return (false);
	memcpy(&src, h + 12, 4);
	memcpy(&dst, h + 16, 4);
	/* An address an EAM entry maps is translatable: see eam4_clean. */
	if (!map4_hint(t, dst, &a6[1], &away, hi->eam[1], hi->hash[1]) ||
	    !map4_hint(t, src, &a6[0], &seam, hi->eam[0], hi->hash[0]) ||
	    (!(away && t->eam4_clean) && untranslatable4(t, dst)) ||
	    (!(seam && t->eam4_clean) && untranslatable4(t, src)))
		return (false);
	tos = h[1];
	ttl = h[8];
	proto = h[9];
	pkt_trim(p, tot);
	plain_readdress(h + IP4_HLEN, proto, h + 12, 8, a6, sizeof a6);
	/* The IPv6 header ends where the IPv4 one did. */
	pkt_pull(p, IP4_HLEN);
	pkt_push(p, IP6_HLEN);
	write6_hdr(p->data, l4len, proto, hops_out(t, ttl, away), &a6[0],
	    &a6[1], t->copy_tos ? tos : 0);
	return (true);
}

/* Translate the IPv4 packet p to IPv6 in place (RFC 7915 section 4). */
enum verdict
siit_4to6(const struct tables *t, struct pkt *p, enum drop_reason *why)
{
	static const struct tables_hint	none;

	return (siit_4to6_hint(t, p, &none, why));
}

/*
 * As siit_4to6(), with what the reader learnt of p's addresses as it
 * read p (tables_prefetch4_hint()), for t.
 */
enum verdict
siit_4to6_hint(const struct tables *t, struct pkt *p,
    const struct tables_hint *hint, enum drop_reason *why)
{
	struct hdr4	 x;
	struct in6_addr	 src6, dst6;
	enum verdict	 v, out;
	struct icmp_map	 m = { ICMP_DROP, 0, 0, WORD_COPY };
	int		 frag;
	size_t		 hl6;
	bool		 away;

	if (fast4to6(t, p, hint))
		return (VERDICT_FORWARD);
	if (siit_parse4(p->data, p->len, 0, &x, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	pkt_trim(p, x.tot);		/* link-layer padding goes */
	if ((v = precheck4(t, p, &x, why)) != VERDICT_FORWARD)
		return (v);
	/* RFC 7915 1.3: the ICMPv6 pseudo-header needs the whole message. */
	if (x.proto == IPPROTO_ICMP && (x.frag & (IP4_MF | IP4_OFFMASK)))
		return (drop(why, DROP_FRAGMENT));
	if (x.proto == IPPROTO_ICMP) {
		if (x.tot - x.hl < ICMP_HLEN)
			return (drop(why, DROP_TRUNCATED));
		m = icmp_map4to6(p->data[x.hl], p->data[x.hl + 1]);
		if (m.kind == ICMP_DROP)
			return (drop(why, DROP_ICMP_TYPE));
	}
	if (!map4_eam(t, x.dst, &dst6, &away))
		return (drop(why, DROP_DST_UNMAPPED));
	if (!siit_map4(t, x.src, &src6)) {
		/* RFC 6791: an error from a router we cannot map. */
		if (m.kind != ICMP_ERROR || !t->has_pool6791_6)
			return (drop(why, DROP_SRC_UNMAPPED));
		src6 = t->icmp_src6;
	}
	if (m.kind == ICMP_ERROR)
		return (siit_icmp_error4to6(t, p, &x, &src6, &dst6, away,
		    why));
	if ((out = size4to6(t, p, &x, &frag, why)) != VERDICT_FORWARD &&
	    out != VERDICT_FRAGMENT)
		return (out);
	if (m.kind == ICMP_INFO)
		siit_icmp_echo4to6(p, &x, &src6, &dst6);
	else if ((v = l4_4to6(t, p, &x, &src6, &dst6, why)) != VERDICT_FORWARD)
		return (v);

	/* IPv4 options are not translated (RFC 7915 4.1): they go. */
	hl6 = IP6_HLEN + (frag ? FRAG_HLEN : 0);
	pkt_pull(p, x.hl);
	pkt_push(p, hl6);
	write6(p->data, &x, x.tot - x.hl, x.proto == IPPROTO_ICMP ?
	    IPPROTO_ICMPV6 : x.proto, hops_out(t, x.ttl, away), &src6, &dst6,
	    frag,
	    t->copy_tos ? x.tos : 0);
	return (out);
}

/* ---- IPv6 -> IPv4 -------------------------------------------------------- */

/* The transport part of a 6->4 translation that is not an ICMP error. */
static enum verdict
l4_6to4(const struct tables *t, struct pkt *p, const struct hdr6 *x,
    uint32_t src4, uint32_t dst4, enum drop_reason *why)
{
	uint8_t		*l4 = p->data + x->hl;
	size_t		 len = x->avail - x->hl;

	(void)t;
	if (x->foff != 0)
		return (VERDICT_FORWARD);	/* no transport header */
	switch (x->nh) {
	case IPPROTO_TCP:
		if (len < 20)
			return (drop(why, DROP_TRUNCATED));
		break;
	case IPPROTO_UDP:
		if (len < 8)
			return (drop(why, DROP_TRUNCATED));
		break;
	case IPPROTO_ICMPV6:
		siit_icmp_echo6to4(p, x);
		return (VERDICT_FORWARD);
	case IPPROTO_NONE:
	case IPPROTO_ICMP:		/* ICMPv4 has no place in IPv6 */
	case 135: case 139: case 140:	/* mobility, HIP, shim6 */
		return (drop(why, DROP_PROTOCOL));
	}
	siit_l4_readdress(l4, len, x->nh, sum6(&x->src, &x->dst),
	    sum4(src4, dst4),
	    pkt_csum_partial(p));
	return (VERDICT_FORWARD);
}

/* Checks that come before the addresses. */
static enum verdict
precheck6(const struct tables *t, struct pkt *p, const struct hdr6 *x,
    enum drop_reason *why)
{
	if (untranslatable6(&x->src) || untranslatable6(&x->dst))
		return (drop(why, DROP_UNTRANSLATABLE));
	if (x->hlim == 0)
		return (drop(why, DROP_TTL_EXPIRED));
	/* RFC 7915 5.1: point the sender at the Segments Left it set. */
	if (x->rh_sl != 0) {
		if (must_segment(p))
			return (VERDICT_SEGMENT);
		*why = DROP_SOURCE_ROUTE;
		return (siit_icmp_reply6(t, p, x, ICMP6_PARAM_PROB,
		    ICMP6_PARAMPROB_HEADER, (uint32_t)x->rh_sl));
	}
	return (VERDICT_FORWARD);
}

/*
 * RFC 7757 4.2, hairpinning: an IPv6 host writes to another one by its
 * EAM IPv4 address in pool6.  Translated to IPv4 and back, the packet
 * would reach it from the sender's own IPv6 address, and the answer
 * would bypass the translator and come from an address the sender never
 * wrote to.  So it stays IPv6 and is re-addressed as the two
 * translations should leave it: from the sender's IPv4 address in pool6,
 * to the EAM host ("intrinsic" hairpinning, no trip through the kernel).
 */
static enum verdict
hairpin(const struct tables *t, struct pkt *p, const struct hdr6 *x,
    uint32_t src4, const struct in6_addr *dst6, enum drop_reason *why)
{
	struct in6_addr	 src6;
	uint8_t		*l4 = p->data + x->hl;
	size_t		 len = x->avail - x->hl;
	int		 off = csum_offset(x->nh);

	addr_embed6052(&t->pool6, src4, &src6);
	if (x->foff == 0) {
		if (off >= 0 && len < (size_t)off + 2)
			return (drop(why, DROP_TRUNCATED));
		siit_l4_readdress(l4, len, x->nh, sum6(&x->src, &x->dst),
		    sum6(&src6, dst6), pkt_csum_partial(p));
	}
	memcpy(p->data + 8, &src6, 16);
	memcpy(p->data + 24, dst6, 16);
	p->data[7] = hops_out(t, x->hlim, true);
	return (VERDICT_FORWARD);
}

/*
 * The common case of siit_6to4 in a straight line, as fast4to6: a whole
 * TCP or UDP packet with no extension header, no offloads, between
 * mapped addresses, not hairpinned, that fits the MTU.
 */
static bool
fast6to4(const struct tables *t, struct pkt *p, const struct tables_hint *hi)
{
	uint8_t		*h = p->data, *l4 = h + IP6_HLEN, nh, hlim, tclass;
	struct in6_addr	 src6, dst6;
	uint32_t	 a4[2], src4, dst4;
	size_t		 l4len;
	uint16_t	 frag, id;
	bool		 eam, seam;

	if (p->len < IP6_HLEN || h[0] >> 4 != 6 || p->off.flags != 0 ||
	    pkt_is_gso(p))
		return (false);
	l4len = get16(h + 4);
	nh = h[6];
	hlim = h[7];
	if (IP6_HLEN + l4len > p->len || hlim == 0 ||
	    IP4_HLEN + l4len > t->mtu || !plain_l4(l4, l4len, nh))
		return (false);
	memcpy(&src6, h + 8, 16);
	memcpy(&dst6, h + 24, 16);
	if (untranslatable6(&src6) || untranslatable6(&dst6) ||
	    !map6_hint(t, &dst6, &dst4, &eam, hi->eam[1], hi->hash[1]) ||
	    (!(eam && t->eam4_clean) && untranslatable4(t, dst4)) ||
	    !map6_hint(t, &src6, &src4, &seam, hi->eam[0], hi->hash[0]) ||
	    (!(seam && t->eam4_clean) && untranslatable4(t, src4)))
		return (false);
	/* RFC 7757 4.2: hairpinned, it stays IPv6 (hairpin()). */
	if (!eam && t->has_pool6 && tables_may_eam4(t, dst4))
		return (false);
	tclass = (uint8_t)(get16(h) >> 4);
	pkt_trim(p, IP6_HLEN + l4len);
	a4[0] = src4;
	a4[1] = dst4;
	/* siit_make_ipid() of the checksum just written. */
	id = ipid_mix(src4, dst4, plain_readdress(l4, nh, h + 8, 32, a4,
	    sizeof a4));
	frag = IP4_HLEN + l4len > SIIT_DF_THRESHOLD ? IP4_DF : 0;
	pkt_pull(p, IP6_HLEN - IP4_HLEN);
	write4(p->data, t->copy_tos ? tclass : 0, IP4_HLEN + l4len, id, frag,
	    hops_out(t, hlim, !eam), nh, src4, dst4);
	return (true);
}

/* Translate the IPv6 packet p to IPv4 in place (RFC 7915 section 5). */
enum verdict
siit_6to4(const struct tables *t, struct pkt *p, enum drop_reason *why)
{
	static const struct tables_hint	none;

	return (siit_6to4_hint(t, p, &none, why));
}

/*
 * The end of a 6->4 translation that is neither an ICMP error nor
 * hairpinned: the size, the transport header, then the IPv4 header.
 */
static enum verdict
finish6to4(const struct tables *t, struct pkt *p, const struct hdr6 *x,
    uint32_t src4, uint32_t dst4, bool away, enum drop_reason *why)
{
	uint16_t	 frag, id;
	enum verdict	 v;
	size_t		 tot, seg;

	tot = IP4_HLEN + x->avail - x->hl;
	seg = IP4_HLEN + vnet_l4seg(p, x->avail - x->hl);
	if (seg > t->mtu) {
		/* IPv6 is never fragmented on the way: tell the sender. */
		if (must_segment(p))
			return (VERDICT_SEGMENT);
		*why = DROP_TOO_BIG;
		return (siit_icmp_reply6(t, p, x, ICMP6_PACKET_TOO_BIG, 0,
		    t->mtu + (uint32_t)(x->hl - IP4_HLEN)));
	}
	if ((v = l4_6to4(t, p, x, src4, dst4, why)) != VERDICT_FORWARD)
		return (v);

	if (x->frag) {
		/* RFC 7915 5.1.1: the fragment fields carry over. */
		frag = (uint16_t)(x->foff | (x->mf ? IP4_MF : 0));
		id = (uint16_t)x->fid;
	} else {
		frag = seg > SIIT_DF_THRESHOLD ? IP4_DF : 0;
		id = siit_make_ipid(p->data + x->hl, x->avail - x->hl,
		    x->nh == IPPROTO_ICMPV6 ? IPPROTO_ICMP : x->nh, src4, dst4,
		    pkt_csum_partial(p));
	}
	pkt_pull(p, x->hl - IP4_HLEN);
	write4(p->data, t->copy_tos ? x->tclass : 0, tot, id, frag,
	    hops_out(t, x->hlim, away),
	    x->nh == IPPROTO_ICMPV6 ? IPPROTO_ICMP : x->nh,
	    src4, dst4);
	return (VERDICT_FORWARD);
}

/*
 * siit_6to4() the general way, for what fast6to4() leaves.  Never
 * inlined: the fast path's caller then has only the fast path's frame.
 */
static __attribute__((__noinline__)) enum verdict
slow6to4(const struct tables *t, struct pkt *p, enum drop_reason *why)
{
	struct hdr6	 x;
	struct icmp_map	 m = { ICMP_DROP, 0, 0, WORD_COPY };
	uint32_t	 src4, dst4;
	enum verdict	 v;
	bool		 eam;
	struct in6_addr	 dst6;

	if (siit_parse6(p->data, p->len, 0, &x, why) == VERDICT_DROP)
		return (VERDICT_DROP);
	pkt_trim(p, x.avail);
	if ((v = precheck6(t, p, &x, why)) != VERDICT_FORWARD)
		return (v);
	if (x.nh == IPPROTO_ICMPV6 && x.frag)
		return (drop(why, DROP_FRAGMENT));
	if (x.nh == IPPROTO_ICMPV6) {
		if (x.avail - x.hl < ICMP_HLEN)
			return (drop(why, DROP_TRUNCATED));
		m = icmp_map6to4(p->data[x.hl], p->data[x.hl + 1]);
		if (m.kind == ICMP_DROP)
			return (drop(why, DROP_ICMP_TYPE));
	}
	if (!map6_eam(t, &x.dst, &dst4, &eam))
		return (drop(why, DROP_DST_UNMAPPED));
	if (untranslatable4(t, dst4))
		return (drop(why, DROP_UNTRANSLATABLE));
	if (!siit_map6(t, &x.src, &src4)) {
		/* RFC 6791: an error from a router we cannot map. */
		if (m.kind != ICMP_ERROR)
			return (drop(why, DROP_SRC_UNMAPPED));
		src4 = pool6791_4(t, &x.src);
	} else if (untranslatable4(t, src4))
		return (drop(why, DROP_UNTRANSLATABLE));
	if (m.kind == ICMP_ERROR)
		return (siit_icmp_error6to4(t, p, &x, src4, dst4, !eam, why));
	if (!eam && t->has_pool6 && tables_eam4(t, dst4, &dst6))
		return (hairpin(t, p, &x, src4, &dst6, why));
	return (finish6to4(t, p, &x, src4, dst4, !eam, why));
}

/* As siit_4to6_hint(), the other way (tables_prefetch6_hint()). */
enum verdict
siit_6to4_hint(const struct tables *t, struct pkt *p,
    const struct tables_hint *hint, enum drop_reason *why)
{
	if (fast6to4(t, p, hint))
		return (VERDICT_FORWARD);
	return (slow6to4(t, p, why));
}
