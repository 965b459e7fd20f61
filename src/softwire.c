/* SPDX-License-Identifier: ISC */
/*
 * softwire.c: the lwAFTR of RFC 7596 and the 4over6 mesh routes.  An
 * IPv4 packet goes into IPv6 (RFC 2473) towards the lwB4 its destination
 * address and port are bound to, or towards the mesh peer its destination
 * is routed to; an IPv6 packet from a lwB4 or a peer gives back its IPv4
 * packet once the binding of its source address and port (or the route
 * to its source) says that this lwB4 (or peer) may send it.  The inner
 * packet never moves: the outer header is written in front of it, or
 * skipped.  The node counts as one router hop for the inner packet, and
 * the kernel takes that hop off its TTL, and answers when it runs out:
 * as it routes an IPv4 packet into the tun device, or routes on one read
 * from it.  So the TTL is left alone here, but for a packet from a
 * softwire hairpinned straight into another, which the kernel never sees
 * as IPv4: its TTL goes down by one here, with the header checksum
 * updated incrementally, and a TTL of 1 is answered with a time
 * exceeded.  A TTL of 0 is dropped either way.  The ICMP messages made
 * here are summed in full, over at most 576 (IPv4) or 1280 (IPv6) bytes.
 * ECN crosses the tunnel as RFC 6040 says in normal mode: the inner ECN
 * field is copied out on the way in, and a congestion mark on the outer
 * header is carried in on the way out.
 * No I/O, no allocation on the packet path, no logging: a verdict and a
 * reason.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "icmp.h"
#include "psid.h"
#include "softwire.h"

#define IP6_MAX_EXT	8		/* extension headers walked at most */
#define ICMP4_ERR_MAX	576		/* RFC 1812 4.3.2.3 */
#define ICMP6_ERR_MAX	1280		/* RFC 4443 2.4 (c) */
#define IPV4_MIN_MTU	68
#define IPPROTO_IPIP_	4
#define IPPROTO_DCCP_	33
#define IPPROTO_SCTP_	132
#define IPPROTO_UDPLITE_ 136
#define ICMP4_UNREACH_HOST	1
#define ICMP4_UNREACH_ADMIN	13
#define ICMP6_UNREACH_POLICY	5
#define REPLY_TTL	64		/* of the messages made here */
#define IP6_MIN_MTU	1280
#define ECN_MASK	0x03		/* of a TOS or traffic class */
#define ECN_NOT_ECT	0
#define ECN_ECT1	1
#define ECN_ECT0	2
#define ECN_CE		3
#define PORT_SRC	0		/* offsets of the ports */
#define PORT_DST	2

struct sw_tables {
	struct sw_settings	 s;
	struct bindings		 b;
	struct sw_route		*routes;	/* longest prefix first */
	size_t			 nroutes;
};

/* An IPv4 header, outer or quoted by an ICMP error. */
struct ip4 {
	uint8_t		*h;
	size_t		 hl;
	size_t		 tot;		/* of a quoted one: what is there */
	uint8_t		 ttl, proto;
	uint16_t	 frag;		/* flags and offset, host order */
	uint16_t	 id;
	uint32_t	 src, dst;	/* network order */
};

/* An IPv6 header and the extension headers before its payload. */
struct ip6 {
	uint8_t		*h;
	size_t		 hl;		/* 40 + extension headers */
	size_t		 len;		/* 40 + payload length */
	uint8_t		 nh;		/* of the payload */
	struct in6_addr	 src, dst;
};

/* The softwire a packet came by, which an answer to it goes back by. */
struct tunnel {
	struct in6_addr	 local, remote;
};

static inline bool
same6(const struct in6_addr *a, const struct in6_addr *b)
{
	return (memcmp(a, b, sizeof *a) == 0);
}

static enum verdict
drop(enum drop_reason *why, enum drop_reason r)
{
	*why = r;
	return (VERDICT_DROP);
}

/* The sum of an IPv6 pseudo-header (RFC 8200 8.1). */
static uint32_t
pseudo6(const struct in6_addr *src, const struct in6_addr *dst, size_t len,
    uint8_t nh)
{
	uint32_t	w[2];

	w[0] = htonl((uint32_t)len);
	w[1] = htonl(nh);
	return (csum_partial(src, 16, 0) + csum_partial(dst, 16, 0) +
	    csum_partial(w, sizeof w, 0));
}

/* ---- tables ------------------------------------------------------------- */

static int
route_cmp(const void *a, const void *b)
{
	const struct sw_route	*x = a, *y = b;

	if (x->p4.len != y->p4.len)
		return (x->p4.len > y->p4.len ? -1 : 1);
	return (memcmp(&x->p4.addr, &y->p4.addr, 4));
}

/*
 * The snapshot of one instance.  The binding list must outlive it: the
 * tables point into its arrays.
 */
struct sw_tables *
sw_tables_build(const struct sw_settings *s, const struct binding_list *bl,
    const struct sw_route *r, size_t nr)
{
	struct sw_tables	*t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return (NULL);
	t->s = *s;
	if (bindings_build(&t->b, bl) == -1) {
		free(t);
		return (NULL);
	}
	if (nr > 0) {
		if ((t->routes = calloc(nr, sizeof *r)) == NULL) {
			sw_tables_free(t);
			return (NULL);
		}
		memcpy(t->routes, r, nr * sizeof *r);
		qsort(t->routes, nr, sizeof *r, route_cmp);
	}
	t->nroutes = nr;
	return (t);
}

void
sw_tables_free(struct sw_tables *t)
{
	if (t == NULL)
		return;
	bindings_free(&t->b);
	free(t->routes);
	free(t);
}

const struct sw_settings *
sw_tables_settings(const struct sw_tables *t)
{
	return (&t->s);
}

/* The mesh route with the longest prefix holding a, or NULL. */
static const struct sw_route *
mesh_route(const struct sw_tables *t, uint32_t a)
{
	size_t		i;
	uint32_t	m;

	for (i = 0; i < t->nroutes; i++) {
		m = addr_mask4(t->routes[i].p4.len);
		if ((a & m) == (t->routes[i].p4.addr & m))
			return (&t->routes[i]);
	}
	return (NULL);
}

const struct bindings *
sw_tables_bindings(const struct sw_tables *t)
{
	return (&t->b);
}

const struct sw_route *
sw_tables_route(const struct sw_tables *t, uint32_t a)
{
	return (mesh_route(t, a));
}

/* Whether a is one of our BR addresses. */
static bool
is_br(const struct sw_tables *t, const struct in6_addr *a)
{
	size_t	i;

	if (same6(a, &t->s.br))
		return (true);
	for (i = 0; i < t->b.nbr; i++)
		if (same6(a, &t->b.br[i]))
			return (true);
	return (false);
}

static const struct in6_addr *
br_of(const struct sw_tables *t, const struct binding *b)
{
	return (b->br < t->b.nbr ? &t->b.br[b->br] : &t->s.br);
}

/* ---- parsing ------------------------------------------------------------ */

/*
 * An IPv4 header.  An outer one (read from the tun, or tunnelled) must be
 * whole and its checksum right; a quoted one may be cut short, and its
 * tot is then what is there.
 */
static bool
parse4(uint8_t *h, size_t avail, bool quoted, struct ip4 *x,
    enum drop_reason *why)
{
	*why = quoted ? DROP_ICMP_INNER : DROP_TRUNCATED;
	if (avail < IP4_HLEN)
		return (false);
	if (h[0] >> 4 != 4) {
		*why = quoted ? DROP_ICMP_INNER : DROP_BAD_VERSION;
		return (false);
	}
	x->h = h;
	x->hl = (size_t)(h[0] & 0x0f) * 4;
	x->tot = get16(h + 2);
	if (x->hl < IP4_HLEN || x->tot < x->hl) {
		*why = quoted ? DROP_ICMP_INNER : DROP_BAD_HEADER;
		return (false);
	}
	if (x->hl > avail)
		return (false);
	if (quoted) {
		if (x->tot > avail)
			x->tot = avail;
	} else {
		if (x->tot > avail)
			return (false);
		if (csum_fold(csum_partial(h, x->hl, 0)) != 0xffff) {
			*why = DROP_BAD_CHECKSUM;
			return (false);
		}
	}
	x->ttl = h[8];
	x->proto = h[9];
	x->id = get16(h + 4);
	x->frag = get16(h + 6);
	memcpy(&x->src, h + 12, 4);
	memcpy(&x->dst, h + 16, 4);
	return (true);
}

/*
 * An IPv6 header and the extension headers a tunnel end point skips:
 * Hop-by-Hop first, Destination Options (such as the Tunnel Encapsulation
 * Limit of RFC 2473 5.1, which Linux ip6tnl adds by default) and a
 * Routing header with nothing left to route.
 */
static bool
parse6(uint8_t *h, size_t avail, struct ip6 *y, enum drop_reason *why)
{
	uint8_t	nh, *e;
	int	n;

	*why = DROP_TRUNCATED;
	if (avail < IP6_HLEN)
		return (false);
	if (h[0] >> 4 != 6) {
		*why = DROP_BAD_VERSION;
		return (false);
	}
	y->h = h;
	y->hl = IP6_HLEN;
	y->len = IP6_HLEN + (size_t)get16(h + 4);
	if (y->len > avail)
		return (false);
	memcpy(&y->src, h + 8, 16);
	memcpy(&y->dst, h + 24, 16);
	nh = h[6];
	for (n = 0; n < IP6_MAX_EXT; n++) {
		if (nh == IPPROTO_FRAGMENT) {
			*why = DROP_UNREASSEMBLED;
			return (false);
		}
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_DSTOPTS &&
		    nh != IPPROTO_ROUTING) {
			y->nh = nh;
			return (true);
		}
		*why = DROP_EXT_HEADER;
		if ((nh == IPPROTO_HOPOPTS && n != 0) ||
		    y->hl + 8 > y->len)
			return (false);
		e = h + y->hl;
		if (y->hl + ((size_t)e[1] + 1) * 8 > y->len)
			return (false);
		if (nh == IPPROTO_ROUTING && e[3] != 0) {
			*why = DROP_SOURCE_ROUTE;
			return (false);
		}
		nh = e[0];
		y->hl += ((size_t)e[1] + 1) * 8;
	}
	*why = DROP_EXT_HEADER;
	return (false);
}

/* ---- bindings ----------------------------------------------------------- */

static bool
has_ports(uint8_t proto)
{
	return (proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	    proto == IPPROTO_DCCP_ || proto == IPPROTO_SCTP_ ||
	    proto == IPPROTO_UDPLITE_);
}

static bool
is_echo_request(const struct ip4 *x)
{
	return (x->proto == IPPROTO_ICMP && x->tot - x->hl >= ICMP_HLEN &&
	    x->h[x->hl] == ICMP4_ECHO);
}

/*
 * The port that picks a binding in the packet x: its source port (off
 * PORT_SRC) or destination port (PORT_DST), or the identifier of an ICMP
 * echo, which stands for both (RFC 7596 8.1).  An ICMP error goes by the
 * packet it quotes, which went the other way: of an error coming to a
 * subscriber, the quoted packet came from the subscriber, and its source
 * port names the binding.
 */
static bool
l4_port(const struct ip4 *x, int off, bool outer, uint16_t *port)
{
	const uint8_t		*l4 = x->h + x->hl;
	size_t			 len = x->tot - x->hl;
	struct ip4		 q;
	enum drop_reason	 why;

	if (x->frag & IP4_OFFMASK)
		return (false);
	if (has_ports(x->proto)) {
		if (len < 4)
			return (false);
		*port = get16(l4 + off);
		return (true);
	}
	if (x->proto != IPPROTO_ICMP || len < ICMP_HLEN)
		return (false);
	if (l4[0] == ICMP4_ECHO || l4[0] == ICMP4_ECHOREPLY) {
		*port = get16(l4 + 4);
		return (true);
	}
	if (!outer || !icmp_is_error4(l4[0]) ||
	    !parse4((uint8_t *)l4 + ICMP_HLEN, len - ICMP_HLEN, true, &q,
	    &why))
		return (false);
	/* The quoted packet is about the very address we look up. */
	if (off == PORT_DST ? q.src != x->dst : q.dst != x->src)
		return (false);
	return (l4_port(&q, PORT_DST - off, false, port));
}

/*
 * The binding of x's destination (PORT_DST) or source (PORT_SRC), bound
 * with port set parameters k and a.  An address bound whole takes any
 * packet, with or without ports.
 */
static const struct binding *
lookup(const struct sw_tables *t, const struct ip4 *x, int off, uint8_t k,
    uint8_t a)
{
	uint32_t	addr = off == PORT_DST ? x->dst : x->src;
	uint16_t	port = 0;

	if (k != 0 && (!l4_port(x, off, true, &port) ||
	    !psid_port_in_sets(port, k, a)))
		return (NULL);
	return (bindings_find(&t->b, addr, port));
}

/*
 * Where the IPv4 packet x goes: the lwB4 its destination is bound to, or
 * the mesh peer it is routed to.  An address that is bound goes to no
 * mesh peer, whatever its port; an echo request to a shared one goes
 * nowhere (its identifier is no port of the destination).
 */
static bool
where4(const struct sw_tables *t, const struct ip4 *x,
    const struct in6_addr **src, const struct in6_addr **dst)
{
	const struct binding	*b;
	const struct sw_route	*r;
	uint8_t			 k, a;

	if (bindings_addr(&t->b, x->dst, &k, &a)) {
		if ((k > 0 && is_echo_request(x)) ||
		    (b = lookup(t, x, PORT_DST, k, a)) == NULL)
			return (false);
		*src = br_of(t, b);
		*dst = &b->b4;
		return (true);
	}
	if ((r = mesh_route(t, x->dst)) == NULL)
		return (false);
	*src = &t->s.br;
	*dst = &r->remote;
	return (true);
}

/*
 * Whether the ingress filter needs the ports of a packet from src: it is
 * a shared address.  A lwB4 may cut its IPv4 packets before it tunnels
 * them (RFC 7597 8.3.3).  Those of an address bound whole, or of a mesh
 * island, or of no one, are judged by their address alone and go on as
 * fragments; those of a shared address are put together first, since
 * only the first fragment holds the ports.
 */
static bool
shared_source(const struct sw_tables *t, uint32_t src)
{
	uint8_t	k, a;

	return (bindings_addr(&t->b, src, &k, &a) && k > 0);
}

/*
 * RFC 7596 5.1: a tunnelled packet's IPv4 source, with its port, must be
 * bound to the lwB4 that sent it, through the BR address it was sent to;
 * or else be covered by the mesh route to the peer that sent it.
 */
static bool
ingress_ok(const struct sw_tables *t, const struct ip6 *y,
    const struct ip4 *x)
{
	const struct binding	*b;
	const struct sw_route	*r;
	uint8_t			 k, a;

	if (bindings_addr(&t->b, x->src, &k, &a)) {
		b = lookup(t, x, PORT_SRC, k, a);
		return (b != NULL && same6(&b->b4, &y->src) &&
		    same6(br_of(t, b), &y->dst));
	}
	r = mesh_route(t, x->src);
	return (r != NULL && same6(&r->remote, &y->src));
}

/* ---- writing ------------------------------------------------------------ */

static void
write6(uint8_t *h, uint8_t tclass, size_t plen, uint8_t nh, uint8_t hlim,
    const struct in6_addr *src, const struct in6_addr *dst)
{
	put32(h, 6U << 28 | (uint32_t)tclass << 20);	/* flow label 0 */
	put16(h + 4, (uint16_t)plen);
	h[6] = nh;
	h[7] = hlim;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* An IPv4 header of ours, for an ICMP message. */
static void
write4(uint8_t *h, size_t tot, uint32_t src, uint32_t dst)
{
	uint16_t	ck;

	h[0] = 0x45;
	h[1] = 0;
	put16(h + 2, (uint16_t)tot);
	put32(h + 4, 0);
	h[8] = REPLY_TTL;
	h[9] = IPPROTO_ICMP;
	memset(h + 10, 0, 2);
	memcpy(h + 12, &src, 4);
	memcpy(h + 16, &dst, 4);
	ck = csum_finish(csum_partial(h, IP4_HLEN, 0));
	memcpy(h + 10, &ck, 2);
}

/* Take one off the TTL, and the difference off the header checksum. */
static void
ttl_dec(struct ip4 *x)
{
	uint16_t	oldw, neww, ck;

	memcpy(&oldw, x->h + 8, 2);
	x->h[8] = --x->ttl;
	memcpy(&neww, x->h + 8, 2);
	memcpy(&ck, x->h + 10, 2);
	ck = csum_replace(ck, oldw, neww);
	memcpy(x->h + 10, &ck, 2);
}

/* The MTU left to IPv4 inside a tunnel of MTU mtu. */
static uint32_t
mtu_left(uint32_t mtu)
{
	if (mtu < IPV4_MIN_MTU + IP6_HLEN)
		return (IPV4_MIN_MTU);
	mtu -= IP6_HLEN;
	return (mtu > 65535 ? 65535 : mtu);
}

/*
 * The Identification of the Fragment header of a packet too large for
 * the tunnel: nothing is kept per flow, so it comes from the inner
 * header, whose Identification differs from one datagram to the next.
 */
static uint32_t
frag_id(const struct ip4 *x)
{
	uint32_t	h;

	h = (x->src * 0x9e3779b1U) ^ x->dst;
	h = (h ^ ((uint32_t)x->id << 8 | x->proto)) * 0x85ebca6bU;
	h ^= h >> 15;
	return (h != 0 ? h : 1);
}

/*
 * The traffic class of the header put in front of x: its TOS with
 * copy-tos, else its ECN field alone, which RFC 6040 4.1 copies out in
 * any case (normal mode) so that congestion marks survive the tunnel.
 */
static uint8_t
tclass_of(const struct sw_tables *t, const struct ip4 *x)
{
	return (t->s.copy_tos ? x->h[1] : x->h[1] & ECN_MASK);
}

/*
 * RFC 6040 4.2: the ECN field of the tunnelled x, given the outer one.
 * Outer CE marks an ECN-capable inner packet CE; outer ECT(1) turns an
 * inner ECT(0) into ECT(1); anything else leaves it alone.  An inner
 * Not-ECT packet whose outer header says CE cannot carry the mark and
 * must be dropped: false.
 */
static bool
ecn_decap(struct ip4 *x, uint8_t outer)
{
	uint8_t		in = x->h[1] & ECN_MASK, now = in;
	uint16_t	oldw, neww, ck;

	outer &= ECN_MASK;
	if (in == ECN_NOT_ECT)
		return (outer != ECN_CE);
	if (outer == ECN_CE)
		now = ECN_CE;
	else if (outer == ECN_ECT1 && in == ECN_ECT0)
		now = ECN_ECT1;
	if (now == in)
		return (true);
	memcpy(&oldw, x->h, 2);
	x->h[1] = (uint8_t)((x->h[1] & ~ECN_MASK) | now);
	memcpy(&neww, x->h, 2);
	memcpy(&ck, x->h + 10, 2);
	ck = csum_replace(ck, oldw, neww);
	memcpy(x->h + 10, &ck, 2);
	return (true);
}

/* ---- answers ------------------------------------------------------------ */

/*
 * RFC 1812 4.3.2.7: no ICMP error about an ICMP error or a later
 * fragment, nor to a source that names no one host.
 */
static bool
may_answer(const struct ip4 *x)
{
	uint32_t	s = ntohl(x->src);

	if (s >> 24 == 0 || s >> 24 == 127 || s >= 0xe0000000)
		return (false);
	if (x->frag & IP4_OFFMASK)
		return (false);
	if (x->proto == IPPROTO_ICMP && (x->tot == x->hl ||
	    icmp_is_error4(x->h[x->hl])))
		return (false);
	return (true);
}

/*
 * Turn p into an ICMPv4 error about x from our ipv4-address, quoting as
 * much as fits in 576 bytes.  When x came by a softwire the error goes
 * back by it, tunnelled; else it is IPv4 for the kernel to route.
 * Without an ipv4-address there is no error: the packet is dropped.
 */
static enum verdict
error4(const struct sw_tables *t, struct pkt *p, const struct ip4 *x,
    uint8_t type, uint8_t code, uint32_t word, const struct tunnel *back,
    enum drop_reason *why, enum drop_reason r)
{
	size_t	len = x->tot, need = IP4_HLEN + ICMP_HLEN;

	*why = r;
	if (back != NULL)
		need += IP6_HLEN;
	if (!t->s.has_ipv4 || !may_answer(x) ||
	    p->head + (size_t)(x->h - p->data) < need)
		return (VERDICT_DROP);
	if (len > ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN)
		len = ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN;
	pkt_start_at(p, x->h);
	pkt_trim(p, len);
	pkt_push(p, IP4_HLEN + ICMP_HLEN);
	icmp_put(p->data + IP4_HLEN, type, code, word, len, 0);
	write4(p->data, p->len, t->s.ipv4, x->src);
	if (back != NULL) {
		pkt_push(p, IP6_HLEN);
		write6(p->data, 0, p->len - IP6_HLEN, IPPROTO_IPIP_,
		    t->s.hop_limit, &back->local, &back->remote);
	}
	return (VERDICT_REPLY);
}

/*
 * The checksum of an echo reply made from a request by changing its
 * first word.  RFC 1624 eqn 3 gives 0 for a message of zeros, where only
 * 0xffff verifies; 0xffff verifies wherever 0 does.
 */
static uint16_t
echo_csum(uint16_t ck, uint16_t oldw, uint16_t neww)
{
	ck = csum_replace(ck, oldw, neww);
	return (ck != 0 ? ck : 0xffff);
}

/*
 * Answer the ICMPv4 echo request x from address from: an echo reply in a
 * header of our own (the request's options go), the identifier, sequence
 * and data as they came.  A request whose checksum is wrong is not
 * answered, so that no reply of ours carries a wrong one.
 */
static enum verdict
echo4(struct pkt *p, const struct ip4 *x, uint32_t from,
    enum drop_reason *why, enum drop_reason r)
{
	uint8_t		*icmp = x->h + x->hl;
	uint16_t	 oldw, neww, ck;
	uint32_t	 to = x->src;

	*why = r;
	if (!may_answer(x))
		return (VERDICT_DROP);
	if (csum_fold(csum_partial(icmp, x->tot - x->hl, 0)) != 0xffff)
		return (drop(why, DROP_BAD_CHECKSUM));
	memcpy(&oldw, icmp, 2);
	icmp[0] = ICMP4_ECHOREPLY;
	icmp[1] = 0;
	memcpy(&neww, icmp, 2);
	memcpy(&ck, icmp + 2, 2);
	ck = echo_csum(ck, oldw, neww);
	memcpy(icmp + 2, &ck, 2);
	pkt_start_at(p, icmp - IP4_HLEN);
	pkt_trim(p, IP4_HLEN + x->tot - x->hl);
	write4(p->data, p->len, from, to);
	return (VERDICT_REPLY);
}

/*
 * Answer an ICMPv6 echo request to a BR address, checksum already
 * verified: an echo reply, without the request's extension headers.
 */
static enum verdict
echo6(struct pkt *p, const struct ip6 *y, enum drop_reason *why)
{
	uint8_t		*icmp = y->h + y->hl;
	uint16_t	 oldw, neww, ck;
	struct ip6	 z = *y;

	*why = DROP_LOCAL;
	if (y->src.s6_addr[0] == 0xff || IN6_IS_ADDR_UNSPECIFIED(&y->src))
		return (VERDICT_DROP);
	memcpy(&oldw, icmp, 2);
	icmp[0] = ICMP6_ECHOREPLY;
	icmp[1] = 0;
	memcpy(&neww, icmp, 2);
	memcpy(&ck, icmp + 2, 2);
	/* The pseudo-header keeps its sum: the addresses only swap. */
	ck = echo_csum(ck, oldw, neww);
	memcpy(icmp + 2, &ck, 2);
	pkt_start_at(p, icmp - IP6_HLEN);
	pkt_trim(p, IP6_HLEN + z.len - z.hl);
	write6(p->data, 0, p->len - IP6_HLEN, IPPROTO_ICMPV6, REPLY_TTL,
	    &z.dst, &z.src);
	return (VERDICT_REPLY);
}

/*
 * RFC 7596 5.1: a packet that fails the ingress filter may be answered
 * with an ICMPv6 1/5 from the BR address it went to, quoting as much as
 * fits in 1280 bytes.
 */
static enum verdict
policy6(const struct sw_tables *t, struct pkt *p, const struct ip6 *y,
    enum drop_reason *why)
{
	size_t		len = y->len;
	struct ip6	z = *y;

	*why = DROP_INGRESS;
	if (!t->s.policy6 || y->src.s6_addr[0] == 0xff ||
	    IN6_IS_ADDR_UNSPECIFIED(&y->src) ||
	    p->head + (size_t)(y->h - p->data) < IP6_HLEN + ICMP_HLEN)
		return (VERDICT_DROP);
	if (len > ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN)
		len = ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN;
	pkt_start_at(p, y->h);
	pkt_trim(p, len);
	pkt_push(p, IP6_HLEN + ICMP_HLEN);
	icmp_put(p->data + IP6_HLEN, ICMP6_UNREACH, ICMP6_UNREACH_POLICY, 0,
	    len, pseudo6(&z.dst, &z.src, ICMP_HLEN + len, IPPROTO_ICMPV6));
	write6(p->data, 0, ICMP_HLEN + len, IPPROTO_ICMPV6, REPLY_TTL,
	    &z.dst, &z.src);
	return (VERDICT_REPLY);
}

/* ---- tunnelling --------------------------------------------------------- */

/*
 * Put the IPv4 packet x into IPv6 from src to dst (RFC 2473 3.1), or
 * answer it: its TTL runs out here (when dec: x is hairpinned, and this
 * is the hop that the kernel does not count), or it does not fit
 * ipv6-mtu with DF set.  With DF clear it gets a Fragment header for the
 * caller to cut it.  Answers go to x's sender, back by the softwire it
 * came by, if any.
 */
static enum verdict
encap(const struct sw_tables *t, struct pkt *p, struct ip4 *x, bool dec,
    const struct in6_addr *src, const struct in6_addr *dst,
    const struct tunnel *back, enum drop_reason *why)
{
	size_t	 hl6 = IP6_HLEN;
	uint32_t mtu = t->s.ipv6_mtu;
	bool	 frag = false;
	uint8_t	*f;

	if (dec && x->ttl <= 1)
		return (error4(t, p, x, ICMP4_TIMXCEED, 0, 0, back, why,
		    DROP_TTL_EXPIRED));
	if (IP6_HLEN + x->tot > mtu) {
		if (x->frag & IP4_DF)
			return (error4(t, p, x, ICMP4_UNREACH,
			    ICMP4_UNREACH_NEEDFRAG, mtu_left(mtu), back, why,
			    DROP_TOO_BIG));
		frag = true;
		hl6 += FRAG_HLEN;
	}
	if ((frag && x->tot > 65535 - FRAG_HLEN) ||
	    p->head + (size_t)(x->h - p->data) < hl6)
		return (drop(why, DROP_TOO_BIG));
	if (dec)
		ttl_dec(x);
	pkt_start_at(p, x->h);
	pkt_trim(p, x->tot);
	pkt_push(p, hl6);
	write6(p->data, tclass_of(t, x), hl6 - IP6_HLEN + x->tot,
	    frag ? IPPROTO_FRAGMENT : IPPROTO_IPIP_, t->s.hop_limit, src,
	    dst);
	if (!frag)
		return (VERDICT_FORWARD);
	f = p->data + IP6_HLEN;
	f[0] = IPPROTO_IPIP_;
	f[1] = 0;
	put16(f + 2, 0);		/* offset 0, M clear: frag6_next */
	put32(f + 4, frag_id(x));
	return (VERDICT_FRAGMENT);
}

/* An IPv4 packet to our own ipv4-address: only echo is answered. */
static enum verdict
local4(const struct sw_tables *t, struct pkt *p, const struct ip4 *x,
    enum drop_reason *why)
{
	if (!is_echo_request(x))
		return (drop(why, DROP_LOCAL));
	return (echo4(p, x, t->s.ipv4, why, DROP_LOCAL));
}

/*
 * RFC 7596 8.1: an echo request to a shared address cannot be told
 * apart by port: dropped, or answered in the subscribers' stead.
 */
static enum verdict
shared_echo(const struct sw_tables *t, struct pkt *p, const struct ip4 *x,
    enum drop_reason *why)
{
	if (!t->s.reply_shared_echo)
		return (drop(why, DROP_SHARED_ECHO));
	return (echo4(p, x, x->dst, why, DROP_SHARED_ECHO));
}

/* RFC 7596 5.2: no binding for the destination. */
static enum verdict
unreach4(const struct sw_tables *t, struct pkt *p, const struct ip4 *x,
    enum drop_reason *why)
{
	switch (t->s.unreach4) {
	case SW_UNREACH_HOST:
		return (error4(t, p, x, ICMP4_UNREACH, ICMP4_UNREACH_HOST, 0,
		    NULL, why, DROP_NO_BINDING));
	case SW_UNREACH_ADMIN:
		return (error4(t, p, x, ICMP4_UNREACH, ICMP4_UNREACH_ADMIN, 0,
		    NULL, why, DROP_NO_BINDING));
	default:
		return (drop(why, DROP_NO_BINDING));
	}
}

enum verdict
sw_4to6(const struct sw_tables *t, struct pkt *p, enum drop_reason *why)
{
	struct ip4		 x;
	const struct in6_addr	*src, *dst;
	uint8_t			 k, a;

	if (!parse4(p->data, p->len, false, &x, why))
		return (VERDICT_DROP);
	pkt_trim(p, x.tot);		/* link-layer padding goes */
	if (x.frag & (IP4_MF | IP4_OFFMASK))
		return (drop(why, DROP_UNREASSEMBLED));
	if (x.ttl == 0)
		return (drop(why, DROP_TTL_EXPIRED));
	if (t->s.has_ipv4 && x.dst == t->s.ipv4)
		return (local4(t, p, &x, why));
	if (is_echo_request(&x) && bindings_addr(&t->b, x.dst, &k, &a) &&
	    k > 0)
		return (shared_echo(t, p, &x, why));
	/* The kernel took one off on the way into the tun device. */
	if (where4(t, &x, &src, &dst))
		return (encap(t, p, &x, false, src, dst, NULL, why));
	return (unreach4(t, p, &x, why));
}

/* ---- from the softwires ------------------------------------------------- */

/*
 * RFC 2473 8.3: an ICMPv6 error about a packet we tunnelled reaches the
 * BR; its IPv4 sender learns of it as ICMPv4 from our ipv4-address.  The
 * tunnel is one hop of the IPv4 path: a packet that cannot cross it made
 * the lwB4 unreachable, whatever the reason, hop limit included (RFC 2473
 * 8.2); only a packet too big says more, the MTU left to IPv4.  A Packet
 * Too Big below the IPv6 minimum MTU is a lie (RFC 8201 4): dropped.
 */
static enum verdict
relay6(const struct sw_tables *t, struct pkt *p, const struct ip6 *y,
    enum drop_reason *why)
{
	uint8_t			*icmp = y->h + y->hl, *q = icmp + ICMP_HLEN;
	size_t			 qlen = y->len - y->hl - ICMP_HLEN;
	size_t			 off = IP6_HLEN;
	struct in6_addr		 qsrc;
	struct ip4		 x;
	uint8_t			 nh, code = ICMP4_UNREACH_HOST;
	uint32_t		 word = 0;

	if (qlen < IP6_HLEN || q[0] >> 4 != 6)
		return (drop(why, DROP_ICMP_INNER));
	memcpy(&qsrc, q + 8, 16);
	if (!is_br(t, &qsrc))
		return (drop(why, DROP_ICMP_INNER));
	if ((nh = q[6]) == IPPROTO_FRAGMENT) {
		if (qlen < off + FRAG_HLEN || (get16(q + off + 2) & 0xfff8))
			return (drop(why, DROP_ICMP_INNER));
		nh = q[off];
		off += FRAG_HLEN;
	}
	if (nh != IPPROTO_IPIP_ || !parse4(q + off, qlen - off, true, &x, why))
		return (drop(why, DROP_ICMP_INNER));
	switch (icmp[0]) {
	case ICMP6_PACKET_TOO_BIG:
		if (get32(icmp + 4) < IP6_MIN_MTU)
			return (drop(why, DROP_ICMP_TYPE));
		code = ICMP4_UNREACH_NEEDFRAG;
		word = mtu_left(get32(icmp + 4));
		break;
	case ICMP6_UNREACH:
		if (icmp[1] == 1 || icmp[1] == 5 || icmp[1] == 6)
			code = ICMP4_UNREACH_ADMIN;
		break;
	default:	/* time exceeded, parameter problem: unreachable */
		break;
	}
	if (!t->s.has_ipv4)
		return (drop(why, DROP_NO_ICMP_SOURCE));
	if (error4(t, p, &x, ICMP4_UNREACH, code, word, NULL, why,
	    DROP_ICMP_RELAYED) == VERDICT_DROP)
		return (drop(why, DROP_ICMP_INNER));
	return (VERDICT_REPLY);
}

/* ICMPv6 to a BR address: echo requests and errors about our packets. */
static enum verdict
icmp6_in(const struct sw_tables *t, struct pkt *p, const struct ip6 *y,
    enum drop_reason *why)
{
	uint8_t	*icmp = y->h + y->hl;
	size_t	 len = y->len - y->hl;

	if (len < ICMP_HLEN)
		return (drop(why, DROP_TRUNCATED));
	if (csum_fold(csum_partial(icmp, len, pseudo6(&y->src, &y->dst, len,
	    IPPROTO_ICMPV6))) != 0xffff)
		return (drop(why, DROP_BAD_CHECKSUM));
	if (icmp[0] == ICMP6_ECHO)
		return (echo6(p, y, why));
	if (icmp[0] >= ICMP6_UNREACH && icmp[0] <= ICMP6_PARAM_PROB)
		return (relay6(t, p, y, why));
	return (drop(why, DROP_ICMP_TYPE));
}

enum verdict
sw_6to4(const struct sw_tables *t, struct pkt *p, enum drop_reason *why)
{
	struct ip6		 y;
	struct ip4		 x;
	struct tunnel		 back;
	const struct in6_addr	*src, *dst;
	bool			 frag;

	if (!parse6(p->data, p->len, &y, why))
		return (VERDICT_DROP);
	pkt_trim(p, y.len);
	if (!is_br(t, &y.dst))
		return (drop(why, DROP_NOT_BR));
	if (y.nh == IPPROTO_ICMPV6)
		return (icmp6_in(t, p, &y, why));
	if (y.nh != IPPROTO_IPIP_)
		return (drop(why, DROP_NOT_SOFTWIRE));
	if (!parse4(y.h + y.hl, y.len - y.hl, false, &x, why))
		return (VERDICT_DROP);
	frag = (x.frag & (IP4_MF | IP4_OFFMASK)) != 0;
	if (frag && shared_source(t, x.src))
		return (drop(why, DROP_UNREASSEMBLED));
	if (!ingress_ok(t, &y, &x))
		return (policy6(t, p, &y, why));
	if (x.ttl == 0)
		return (drop(why, DROP_TTL_EXPIRED));
	if (!ecn_decap(&x, (uint8_t)(get16(y.h) >> 4)))
		return (drop(why, DROP_ECN));
	back.local = y.dst;
	back.remote = y.src;
	/*
	 * RFC 7596 6.2: between subscribers, straight back into a softwire,
	 * cut to ipv6-mtu if need be.  Not a fragment (of a source judged by
	 * its address alone): the kernel routes it back to us, and the
	 * reassembly puts it together with the others before its binding,
	 * which may need the ports, is looked up.
	 */
	if (t->s.hairpinning && !frag &&
	    !(t->s.has_ipv4 && x.dst == t->s.ipv4) &&
	    where4(t, &x, &src, &dst))
		return (encap(t, p, &x, true, src, dst, &back, why));
	/* The kernel takes one off, or answers, when it forwards it. */
	pkt_start_at(p, x.h);
	pkt_trim(p, x.tot);
	return (VERDICT_FORWARD);
}

/*
 * The test before sw_6to4() that picks the fragments it could not judge:
 * an IPv4 fragment tunnelled to a BR address from a shared address.
 * Most packets are told apart by two bytes: tunnelled IPv4 right after
 * the IPv6 header, and not a fragment.
 */
bool
sw_6to4_reassemble(const struct sw_tables *t, const struct pkt *p)
{
	struct ip6		 y;
	enum drop_reason	 why;
	const uint8_t		*h = p->data;
	uint32_t		 src;

	if (p->len >= IP6_HLEN + IP4_HLEN && h[6] == IPPROTO_IPIP_ &&
	    (get16(h + IP6_HLEN + 6) & (IP4_MF | IP4_OFFMASK)) == 0)
		return (false);
	if (!parse6(p->data, p->len, &y, &why) || y.nh != IPPROTO_IPIP_ ||
	    y.len - y.hl < IP4_HLEN || !is_br(t, &y.dst))
		return (false);
	h = y.h + y.hl;
	if (h[0] >> 4 != 4 ||
	    (get16(h + 6) & (IP4_MF | IP4_OFFMASK)) == 0)
		return (false);
	memcpy(&src, h + 12, 4);
	return (shared_source(t, src));
}
