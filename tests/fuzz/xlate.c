/* SPDX-License-Identifier: ISC */
/*
 * xlate.c: tables chosen by the first bytes of an input, and the checks
 * made after every translation.  The packet sits in a heap buffer of
 * exactly PKT_HEADROOM + len + tail bytes, so AddressSanitizer stops any
 * access outside it.  What is checked, by verdict:
 *
 *  all but DROP	the packet lies inside the buffer and head + len +
 *			tail is the buffer's size; the drop reason of a
 *			REPLY is a real one
 *  DROP		a real drop reason, and the packet bytes unchanged
 *  FORWARD		the expected IP version, length fields that agree
 *			with the length, a right IPv4 header checksum, a
 *			right transport checksum when the input's was right
 *			(ICMP errors: always; the packet they quote: when
 *			whole), no larger than the tun MTU, no IPv6
 *			extension header made of IPv4 payload
 *  REPLY		an ICMP error back to the sender, quoting the start
 *			of its packet byte for byte, with a sane MTU or
 *			pointer
 *  FRAGMENT		an IPv6 packet with a Fragment header that frag6_next
 *			cuts into pieces of at most the lowest IPv6 MTU,
 *			which put back together give the payload again
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "frag.h"
#include "fuzz.h"
#include "pkt.h"
#include "siit.h"
#include "tables.h"

/* A failed check shows the input and the translator's output. */
#define XA(cond, ...) do {						\
	if (!(cond)) {							\
		xdump();						\
		fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
	}								\
} while (0)

enum l4state {
	L4_NONE,		/* fragment, unknown protocol or wrong sum */
	L4_VALID,		/* whole, and its checksum is right */
	L4_UDP0,		/* IPv4 UDP without a checksum */
};

/* What the harness itself reads from an input packet. */
struct l4info {
	enum l4state	 state;
	uint8_t		 proto;		/* as on the wire */
	size_t		 ulp;		/* offset of the transport header */
	size_t		 len;		/* length the IP header claims */
	int		 icmp_error;	/* an ICMP error, whatever its sum */
	int		 frag;		/* an IPv4 fragment */
};

static struct {
	const uint8_t	*in, *out;
	size_t		 inlen, outlen;
	int		 verdict, why;
	const char	*dir;
} ctx;

static const char *const pools[] = {
	"2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48",
	"2001:db8:122:300::/56", "2001:db8:122:344::/64",
	"2001:db8:64::/96", "64:ff9b::/96",
};

/*
 * EAM entries; sets 1, 2 and 3 take the first 2, 5 and 6.  They nest in
 * IPv4 and in IPv6 (RFC 7757 3.2), one lies inside the /96 pool6, and the
 * last maps all of IPv4.
 */
static const char *const eams[][2] = {
	{ "198.51.100.0/24", "2001:db8:6::/120" },
	{ "192.0.2.1", "2001:db8:ea::1" },
	{ "198.51.100.128/25", "2001:db8:7::/121" },
	{ "198.51.100.200", "2001:db8:6::1" },
	{ "203.0.113.64/26", "2001:db8:64::cb00:7140/122" },
	{ "0.0.0.0/0", "2001:db8:ff00::/96" },
};
static const size_t neams[] = { 0, 2, 5, 6 };

static const uint16_t mtus[] = {
	1280, 1281, 1283, 1288, 1300, 1320, 1400, 1480,
	1500, 1501, 1600, 2000, 4000, 8192, 8999, 9000,
};
static const uint16_t lowest[] = {
	1280, 1281, 1287, 1300, 1400, 1500, 1600, 9000,
};

static void
xdump(void)
{
	fprintf(stderr, "\n%s verdict %d, reason %d\n", ctx.dir, ctx.verdict,
	    ctx.why);
	if (ctx.in != NULL)
		fz_hexdump("input", ctx.in, ctx.inlen);
	if (ctx.out != NULL)
		fz_hexdump("output", ctx.out, ctx.outlen);
}

static void
prefix4(const char *s, struct prefix4 *p)
{
	const char	*why;

	if (addr_parse4(s, p, &why) == -1)
		abort();
}

static void
prefix6(const char *s, struct prefix6 *p)
{
	const char	*why;

	if (addr_parse6(s, p, &why) == -1)
		abort();
}

/*
 * Options from 4 bytes:
 *  0: bits 0-2 pool6 (7: none), 3 copy-tos, 4 one-hop,
 *     5 udp-zero-checksum compute, 6-7 EAM set
 *  1: bits 0-3 tun mtu, 4-6 lowest-ipv6-mtu, 7 allow-wkp-nonglobal
 *  2: bits 0-5 tail room, 6 rfc6791-pool6, 7 denylist4 and a wider
 *     rfc6791-pool4
 *  3: checksums the harness makes right before translating (FZ_FIX_*)
 * With neither pool6 nor EAM, the first EAM set is taken, as config_load
 * refuses such a file.
 */
bool
fz_opts(const uint8_t *b, struct fz_opts *o)
{
	static struct prefix4	 deny[2];
	struct config_eam	 e[6];
	struct config_instance	 c;
	size_t			 i, pool = b[0] & 7, set = b[0] >> 6;

	memset(&c, 0, sizeof c);
	memset(e, 0, sizeof e);
	config_defaults(&c);
	if (pool < 7) {
		c.has_pool6 = true;
		prefix6(pools[pool], &c.pool6);
	} else if (set == 0)
		set = 1;
	c.copy_tos = (b[0] & 0x08) != 0;
	c.one_hop = (b[0] & 0x10) != 0;
	c.udp0_compute = (b[0] & 0x20) != 0;
	for (i = 0; i < neams[set]; i++) {
		prefix4(eams[i][0], &e[i].p4);
		prefix6(eams[i][1], &e[i].p6);
		e[i].line = (int)i + 1;
		e[i].index = (int)i;
	}
	c.eam = e;
	c.neam = neams[set];
	c.mtu = mtus[b[1] & 15];
	c.lowest_mtu = lowest[(b[1] >> 4) & 7];
	c.allow_wkp_nonglobal = (b[1] & 0x80) != 0;
	if (b[2] & 0x40) {
		c.has_pool6791_6 = true;
		prefix6("2001:db8:ffff::/64", &c.pool6791_6);
	}
	if (b[2] & 0x80) {
		prefix4("203.0.113.0/28", &deny[0]);
		prefix4("192.0.2.255", &deny[1]);
		c.deny4 = deny;
		c.ndeny4 = 2;
		prefix4("192.0.2.128/25", &c.pool6791_4);
	}
	o->tail = b[2] & 63;
	o->fix = b[3];
	o->t = tables_build(&c);
	return (o->t != NULL);
}

/* ---- what the input is -------------------------------------------------- */

static uint16_t
pseudo4(const uint8_t *src, const uint8_t *dst, uint8_t proto, size_t len)
{
	uint8_t	ph[12];

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return (fz_sum(ph, sizeof ph, 0));
}

static uint16_t
pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t nh, size_t len)
{
	uint8_t	ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	memset(ph + 36, 0, 3);
	ph[39] = nh;
	return (fz_sum(ph, sizeof ph, 0));
}

/* Whether the transport checksum at l4 is right; v6 chooses the sums. */
static bool
l4_sum_ok(const uint8_t *ip, int v6, uint8_t proto, const uint8_t *l4,
    size_t n)
{
	uint16_t	ph;

	if (proto == IPPROTO_ICMP)
		return (n >= 8 && fz_sum(l4, n, 0) == 0xffff);
	if ((proto == IPPROTO_TCP && n < 20) || n < 8)
		return (false);
	ph = v6 ? pseudo6(ip + 8, ip + 24, proto, n) :
	    pseudo4(ip + 12, ip + 16, proto, n);
	return (fz_sum(l4, n, ph) == 0xffff);
}

static bool
is_error4(uint8_t type)
{
	return (type == 3 || type == 4 || type == 5 || type == 11 ||
	    type == 12);
}

static struct l4info
analyse4(const uint8_t *in, size_t len)
{
	struct l4info	 li = { L4_NONE, 0, 0, 0, 0, 0 };
	size_t		 hl, tot;

	if (len < 20 || in[0] >> 4 != 4)
		return (li);
	hl = (size_t)(in[0] & 15) * 4;
	tot = get16(in + 2);
	if (hl < 20 || tot < hl || tot > len)
		return (li);
	li.proto = in[9];
	li.ulp = hl;
	li.len = tot;
	li.icmp_error = li.proto == IPPROTO_ICMP && tot > hl &&
	    is_error4(in[hl]);
	if ((li.frag = (get16(in + 6) & 0x3fff) != 0))
		return (li);
	if (li.proto == IPPROTO_UDP && tot - hl >= 8 &&
	    get16(in + hl + 6) == 0)
		li.state = L4_UDP0;
	else if ((li.proto == IPPROTO_TCP || li.proto == IPPROTO_UDP ||
	    li.proto == IPPROTO_ICMP) &&
	    l4_sum_ok(in, 0, li.proto, in + hl, tot - hl))
		li.state = L4_VALID;
	return (li);
}

/*
 * The offset of the transport header of an IPv6 packet of avail bytes,
 * its extension headers walked as RFC 7915 5.1 lets the translator walk
 * them; 0 when the walk fails or the packet is a fragment (an atomic
 * fragment is whole).
 */
static size_t
ulp6(const uint8_t *in, size_t avail, uint8_t *nhp)
{
	size_t	off = 40, elen;
	uint8_t	nh = in[6];
	int	n, frag = 0;

	for (n = 0; n < 8; n++) {
		if (nh != 0 && nh != 43 && nh != 60 && nh != 44) {
			*nhp = nh;
			return (off);
		}
		if ((nh == 0 && n != 0) || off + 8 > avail)
			return (0);
		elen = nh == 44 ? 8 : ((size_t)in[off + 1] + 1) * 8;
		if (off + elen > avail)
			return (0);
		if (nh == 44) {
			if (frag || (get16(in + off + 2) & 0xfff9) != 0)
				return (0);
			frag = 1;
		}
		nh = in[off];
		off += elen;
	}
	return (0);
}

static struct l4info
analyse6(const uint8_t *in, size_t len)
{
	struct l4info	 li = { L4_NONE, 0, 0, 0, 0, 0 };
	size_t		 avail, off;
	uint8_t		 nh;

	if (len < 40 || in[0] >> 4 != 6)
		return (li);
	avail = 40 + (size_t)get16(in + 4);
	if (avail > len)
		return (li);
	li.len = avail;
	if ((off = ulp6(in, avail, &nh)) == 0)
		return (li);
	li.proto = nh;
	li.ulp = off;
	li.icmp_error = nh == IPPROTO_ICMPV6 && avail > off && in[off] < 128;
	/* A zero UDP checksum may sum right, but stays "none" in IPv4. */
	if (nh == IPPROTO_UDP && avail - off >= 8 && get16(in + off + 6) == 0)
		return (li);
	if ((nh == IPPROTO_TCP || nh == IPPROTO_UDP ||
	    nh == IPPROTO_ICMPV6) && l4_sum_ok(in, 1, nh, in + off,
	    avail - off))
		li.state = L4_VALID;
	return (li);
}

/* Make the transport checksum at l4 right, as a sender would. */
static void
fix_l4(uint8_t *ip, int v6, uint8_t proto, uint8_t *l4, size_t n)
{
	uint16_t	ph = 0, c;
	size_t		off;

	if (n < 8 || (proto == IPPROTO_TCP && n < 20))
		return;
	if (proto == IPPROTO_TCP)
		off = 16;
	else if (proto == IPPROTO_UDP && get16(l4 + 6) != 0)
		off = 6;
	else if (proto == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		off = 2;
	else
		return;
	if (proto != IPPROTO_ICMP)
		ph = v6 ? pseudo6(ip + 8, ip + 24, proto, n) :
		    pseudo4(ip + 12, ip + 16, proto, n);
	put16(l4 + off, 0);
	c = (uint16_t)~fz_sum(l4, n, ph);
	put16(l4 + off, proto == IPPROTO_UDP && c == 0 ? 0xffff : c);
}

/* Make the checksums fix names right in the packet p (FZ_FIX_*). */
void
fz_fix(int v6, uint8_t *p, size_t len, uint8_t fix)
{
	size_t	hl, tot, off;
	uint8_t	nh;

	if (!v6) {
		if (len < 20 || p[0] >> 4 != 4)
			return;
		hl = (size_t)(p[0] & 15) * 4;
		tot = get16(p + 2);
		if ((fix & FZ_FIX_L4) && hl >= 20 && tot >= hl && tot <= len &&
		    (get16(p + 6) & 0x3fff) == 0)
			fix_l4(p, 0, p[9], p + hl, tot - hl);
		if ((fix & FZ_FIX_IP4) && hl >= 20 && hl <= len) {
			put16(p + 10, 0);
			put16(p + 10, (uint16_t)~fz_sum(p, hl, 0));
		}
		return;
	}
	if (!(fix & FZ_FIX_L4) || len < 40 || p[0] >> 4 != 6)
		return;
	tot = 40 + (size_t)get16(p + 4);
	if (tot <= len && (off = ulp6(p, tot, &nh)) != 0)
		fix_l4(p, 1, nh, p + off, tot - off);
}

/* ---- what the output must be -------------------------------------------- */

static void
check_bounds(const struct pkt *p, const uint8_t *buf, size_t size)
{
	XA(p->data >= buf && p->data <= buf + size, "data outside buffer");
	XA(p->len <= size - (size_t)(p->data - buf), "len past buffer");
	XA(p->head == (size_t)(p->data - buf), "head %zu, data at %zu",
	    p->head, (size_t)(p->data - buf));
	XA(p->head + p->len + p->tail == size, "head %zu + len %zu + "
	    "tail %zu != %zu", p->head, p->len, p->tail, size);
	XA(p->len <= PKT_MAXLEN, "len %zu", p->len);
}

/* An IPv4 header as write4() makes it; returns the fragment field. */
static uint16_t
check_ip4(const uint8_t *o, size_t len)
{
	XA(len >= 20, "IPv4 output of %zu bytes", len);
	XA(o[0] == 0x45, "version/IHL %02x", o[0]);
	XA(get16(o + 2) == len, "total length %u, packet %zu",
	    get16(o + 2), len);
	XA(fz_sum(o, 20, 0) == 0xffff, "IPv4 header checksum");
	XA(o[8] != 0, "TTL 0 leaves");
	return (get16(o + 6));
}

/*
 * An IPv6 header; returns the offset of what follows it, or of what
 * follows the Fragment header the translator must have written (fh).
 * *frag: 1 for such a header, 2 if it also makes a real fragment.
 */
static size_t
check_ip6(const uint8_t *o, size_t len, int fh, int *frag)
{
	uint16_t	f;

	XA(len >= 40, "IPv6 output of %zu bytes", len);
	XA(o[0] >> 4 == 6, "version %u", o[0] >> 4);
	XA(40 + (size_t)get16(o + 4) == len, "payload length %u, "
	    "packet %zu", get16(o + 4), len);
	XA(o[7] != 0, "hop limit 0 leaves");
	*frag = 0;
	if (!fh)
		return (40);
	XA(o[6] == IPPROTO_FRAGMENT && len >= 48, "no Fragment header");
	f = get16(o + 42);
	XA(o[41] == 0 && (f & 6) == 0, "Fragment header reserved bits");
	*frag = (f & 0xfff9) != 0 ? 2 : 1;
	return (48);
}

/*
 * What follows the IPv6 header (and the translator's Fragment header)
 * of a 4->6 translation comes from the IPv4 payload.  It must not be
 * read as an IPv6 extension header: an IPv4 sender could otherwise put
 * a Hop-by-Hop, Routing or Fragment header of its own making on the IPv6
 * side, which RFC 7915 4.1 refuses it in the shape of IPv4 options.
 */
static void
check_upper6(const uint8_t *o, size_t ulp)
{
	uint8_t	nh = ulp == 48 ? o[40] : o[6];

	XA(nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING &&
	    nh != IPPROTO_FRAGMENT && nh != IPPROTO_DSTOPTS,
	    "IPv4 payload leaves as IPv6 extension header %u", nh);
}

/* An ICMPv4 error: translated from ICMPv6 (xl) or the translator's own. */
static void
check_icmp4_error(const struct tables *t, const uint8_t *o, size_t len,
    int xl)
{
	const uint8_t	*icmp = o + 20, *in = o + 28;
	uint16_t	 mtu;

	XA(o[9] == IPPROTO_ICMP && len >= 28, "ICMPv4 error too short");
	XA((get16(o + 6) & 0x3fff) == 0, "ICMPv4 error in fragments");
	XA(len <= 576, "ICMPv4 error of %zu bytes (RFC 1812 4.3.2.3)", len);
	XA(fz_sum(icmp, len - 20, 0) == 0xffff, "ICMPv4 error checksum");
	XA(icmp[0] == 3 || icmp[0] == 11 || icmp[0] == 12, "ICMPv4 type %u",
	    icmp[0]);
	if (icmp[0] == 3 && icmp[1] == 4) {
		mtu = get16(icmp + 6);
		XA(get16(icmp + 4) == 0, "Fragmentation Needed unused field");
		XA(mtu >= 68, "next-hop MTU %u", mtu);
		XA(!xl || mtu <= t->mtu - 20, "next-hop MTU %u, tun MTU %u",
		    mtu, t->mtu);
	}
	if (xl && len >= 48) {
		XA(in[0] == 0x45, "inner version/IHL %02x", in[0]);
		XA(fz_sum(in, 20, 0) == 0xffff, "inner IPv4 header checksum");
	}
}

/* An ICMPv6 error translated from ICMPv4, or the translator's own. */
static void
check_icmp6_error(const struct tables *t, const uint8_t *o, size_t len,
    int xl)
{
	const uint8_t	*icmp = o + 40;
	uint32_t	 mtu;

	XA(o[6] == IPPROTO_ICMPV6 && len >= 48, "ICMPv6 error too short");
	XA(len <= 1280, "ICMPv6 error of %zu bytes (RFC 4443 2.4)", len);
	XA(fz_sum(icmp, len - 40, pseudo6(o + 8, o + 24, IPPROTO_ICMPV6,
	    len - 40)) == 0xffff, "ICMPv6 error checksum");
	XA(icmp[0] >= 1 && icmp[0] <= 4, "ICMPv6 type %u", icmp[0]);
	if (icmp[0] == 2 && xl) {
		mtu = get32(icmp + 4);
		XA(mtu >= 1280 && mtu <= t->mtu, "Packet Too Big MTU %u", mtu);
	}
	if (xl && len >= 88)
		XA(icmp[8] >> 4 == 6, "inner version %u", icmp[8] >> 4);
}

/* Whether siit_6to4 may keep p IPv6: hairpinning of RFC 7757 4.2. */
static bool
hairpin_ok(const struct tables *t, const uint8_t *in)
{
	struct in6_addr	 dst, a6;
	uint32_t	 a4;

	memcpy(&dst, in + 24, 16);
	return (t->has_pool6 && !tables_eam6(t, &dst, &a4) &&
	    addr_extract6052(&t->pool6, &dst, &a4) &&
	    tables_eam4(t, a4, &a6));
}

/* The transport checksum of a whole output, when the input's was right. */
static void
check_l4(const struct tables *t, const struct l4info *li, const uint8_t *o,
    size_t len, int v6, size_t ulp, uint8_t proto)
{
	uint8_t	 want = li->proto;

	if (li->state == L4_NONE || li->icmp_error)
		return;
	if (want == IPPROTO_ICMP && v6)
		want = IPPROTO_ICMPV6;
	else if (want == IPPROTO_ICMPV6 && !v6)
		want = IPPROTO_ICMP;
	XA(proto == want, "protocol %u became %u", li->proto, proto);
	if (li->state == L4_UDP0) {
		XA(t->udp0_compute, "UDP without checksum kept");
		XA(get16(o + ulp + 6) != 0, "UDP checksum left 0 in IPv6");
	}
	XA(l4_sum_ok(o, v6, proto, o + ulp, len - ulp),
	    "transport checksum of protocol %u", proto);
}

/* VERDICT_FORWARD out of siit_4to6: IPv6. */
static void
check_fwd4to6(const struct tables *t, const struct l4info *li,
    const uint8_t *o, size_t len)
{
	size_t	ulp;
	int	frag;

	ulp = check_ip6(o, len, li->frag, &frag);
	XA(len <= t->mtu, "%zu bytes forwarded, tun MTU %u", len, t->mtu);
	if (li->icmp_error)
		check_icmp6_error(t, o, len, 1);
	else {
		check_upper6(o, ulp);
		if (li->state != L4_NONE)
			check_l4(t, li, o, len, 1, ulp, o[6]);
	}
}

/* VERDICT_FORWARD out of siit_6to4: IPv4, or IPv6 when hairpinned. */
static void
check_fwd6to4(const struct tables *t, const struct l4info *li,
    const uint8_t *in, const uint8_t *o, size_t len)
{
	int	frag;

	if (len > 0 && o[0] >> 4 == 6) {
		XA(hairpin_ok(t, in), "IPv6 out of siit_6to4, no hairpin");
		(void)check_ip6(o, len, 0, &frag);
		XA(len == li->len, "hairpin changed length");
		XA(o[6] == in[6] && memcmp(o + 40, in + 40,
		    (li->ulp > 0 ? li->ulp : 40) - 40) == 0,
		    "hairpin changed the extension headers");
		if (li->state == L4_VALID && li->proto != IPPROTO_ICMP)
			XA(l4_sum_ok(o, 1, li->proto, o + li->ulp,
			    len - li->ulp), "hairpin: transport checksum");
		return;
	}
	(void)check_ip4(o, len);
	XA(li->len == 0 || len + 20 <= li->len, "IPv4 output of %zu bytes "
	    "from %zu of IPv6", len, li->len);
	if (li->icmp_error)
		check_icmp4_error(t, o, len, 1);
	else if (li->state != L4_NONE) {
		XA((get16(o + 6) & 0x3fff) == 0, "whole packet, fragment out");
		check_l4(t, li, o, len, 0, 20, o[9]);
	}
}

/* VERDICT_REPLY to IPv4: the translator's own ICMPv4 error. */
static void
check_reply4(const struct tables *t, const uint8_t *in, const uint8_t *o,
    size_t len)
{
	size_t	quoted, claimed;

	(void)check_ip4(o, len);
	check_icmp4_error(t, o, len, 0);
	XA(memcmp(o + 16, in + 12, 4) == 0, "not to the sender");
	XA(o[20] == 3 && (o[21] == 4 || o[21] == 5), "type %u code %u",
	    o[20], o[21]);
	claimed = get16(in + 2);
	quoted = claimed < 548 ? claimed : 548;
	XA(len - 28 == quoted, "quotes %zu bytes of %zu", len - 28, claimed);
	XA(memcmp(o + 28, in, quoted) == 0, "quoted packet changed");
	if (o[21] == 4)
		XA(get16(o + 26) < claimed, "MTU %u for a packet of %zu",
		    get16(o + 26), claimed);
}

/* VERDICT_REPLY to IPv6: the translator's own ICMPv6 error. */
static void
check_reply6(const struct tables *t, const uint8_t *in, const uint8_t *o,
    size_t len)
{
	size_t		quoted, claimed;
	uint32_t	word;
	int		frag;

	XA(len > 0 && o[0] >> 4 == 6, "reply to IPv6 is not IPv6");
	(void)check_ip6(o, len, 0, &frag);
	check_icmp6_error(t, o, len, 0);
	XA(memcmp(o + 24, in + 8, 16) == 0, "not to the sender");
	claimed = 40 + (size_t)get16(in + 4);
	quoted = claimed < 1232 ? claimed : 1232;
	XA(len - 48 == quoted, "quotes %zu bytes of %zu", len - 48, claimed);
	XA(memcmp(o + 48, in, quoted) == 0, "quoted packet changed");
	word = get32(o + 44);
	if (o[40] == 2)
		XA(word >= 1280 && word < claimed, "MTU %u for a packet of %zu",
		    word, claimed);
	else {
		XA(o[40] == 4 && o[41] == 0, "type %u code %u", o[40], o[41]);
		XA(word < claimed, "pointer %u past %zu bytes", word, claimed);
	}
}

/*
 * The packet quoted by a translated ICMP error: when it was whole and its
 * transport checksum right, the translator updates that checksum for the
 * new addresses (RFC 7915 4.2, 5.2), so it must still be right, unless
 * the quote was cut to fit.  RFC 4884 lengths (types 1 and 3 of ICMPv6,
 * 3, 11 and 12 of ICMPv4) cut the quote as in siit_icmp.c.
 */
static void
check_inner(int from6, const uint8_t *in, const struct l4info *li,
    const uint8_t *o, size_t len)
{
	const uint8_t	*icmp = in + li->ulp;
	struct l4info	 ii;
	size_t		 n = li->len - li->ulp, ext, at, hl;
	uint8_t		 proto;

	if (n < 8 + 20)
		return;
	if (from6)
		ext = icmp[0] == 1 || icmp[0] == 3 ? (size_t)icmp[4] * 8 : 0;
	else
		ext = icmp[0] == 3 || icmp[0] == 11 || icmp[0] == 12 ?
		    (size_t)icmp[5] * 4 : 0;
	if (ext != 0 && ext + 8 < n)
		n = ext + 8;
	ii = from6 ? analyse6(icmp + 8, n - 8) : analyse4(icmp + 8, n - 8);
	at = from6 ? 28 : 48;		/* the quote in the output */
	hl = from6 ? 20 : 40;		/* its new IP header */
	if (ii.state != L4_VALID || len - at != hl + ii.len - ii.ulp)
		return;
	proto = ii.proto;
	if (proto == IPPROTO_ICMP)
		proto = IPPROTO_ICMPV6;
	else if (proto == IPPROTO_ICMPV6)
		proto = IPPROTO_ICMP;
	XA(l4_sum_ok(o + at, !from6, proto, o + at + hl, ii.len - ii.ulp),
	    "transport checksum of protocol %u in the quoted packet", proto);
}

/* VERDICT_FRAGMENT: cut with the real frag6_next, as the daemon does. */
static void
check_fragment(const struct tables *t, const struct l4info *li,
    const uint8_t *o, size_t len)
{
	int	frag;

	(void)check_ip6(o, len, 1, &frag);
	XA(len > t->lowest_mtu, "%zu bytes need no cutting at %u", len,
	    t->lowest_mtu);
	check_upper6(o, 48);
	if (li->state != L4_NONE && !li->icmp_error) {
		XA(frag == 1, "a whole packet became a fragment");
		check_l4(t, li, o, len, 1, 48, o[40]);
	}
	fz_frag6_check(o, len, t->lowest_mtu, 1);
}

/*
 * Translate a copy of in (from6: IPv6 to IPv4) with tables and tail room
 * from o, and check the result.
 */
void
fz_xlate(const struct fz_opts *o, int from6, const uint8_t *in, size_t len)
{
	const struct tables	*t = o->t;
	struct l4info		 li;
	struct pkt		 p;
	enum drop_reason	 why = (enum drop_reason)(DROP_MAX + 1);
	enum verdict		 v;
	uint8_t			*buf;
	size_t			 size;
	static int		 trace = -1;	/* FZ_TRACE: print verdicts */

	if (len > PKT_MAXLEN)
		return;
	size = PKT_HEADROOM + len + o->tail;
	if ((buf = malloc(size)) == NULL)
		return;
	memset(buf, 0xa5, size);
	memcpy(buf + PKT_HEADROOM, in, len);
	p.data = buf + PKT_HEADROOM;
	p.len = len;
	p.head = PKT_HEADROOM;
	p.tail = o->tail;
	memset(&p.off, 0, sizeof p.off);
	li = from6 ? analyse6(in, len) : analyse4(in, len);
	v = from6 ? siit_6to4(t, &p, &why) : siit_4to6(t, &p, &why);

	if (trace < 0)
		trace = getenv("FZ_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "%s: %zu bytes: verdict %d, reason %s\n",
		    from6 ? "siit_6to4" : "siit_4to6", len, (int)v,
		    v == VERDICT_DROP || v == VERDICT_REPLY ?
		    stats_drop_name(why) : "-");

	memset(&ctx, 0, sizeof ctx);
	ctx.dir = from6 ? "siit_6to4" : "siit_4to6";
	ctx.in = in;
	ctx.inlen = len;
	ctx.verdict = (int)v;
	ctx.why = (int)why;
	if (v != VERDICT_DROP) {
		check_bounds(&p, buf, size);
		ctx.out = p.data;
		ctx.outlen = p.len;
	}
	switch (v) {
	case VERDICT_DROP:
		XA((unsigned)why < DROP_MAX, "drop reason %d", (int)why);
		XA(memcmp(buf + PKT_HEADROOM, in, len) == 0,
		    "a dropped packet was changed");
		break;
	case VERDICT_FORWARD:
		if (from6)
			check_fwd6to4(t, &li, in, p.data, p.len);
		else
			check_fwd4to6(t, &li, p.data, p.len);
		if (li.icmp_error)
			check_inner(from6, in, &li, p.data, p.len);
		break;
	case VERDICT_REPLY:
		XA((unsigned)why < DROP_MAX, "reply reason %d", (int)why);
		if (from6)
			check_reply6(t, in, p.data, p.len);
		else
			check_reply4(t, in, p.data, p.len);
		break;
	case VERDICT_FRAGMENT:
		XA(!from6, "siit_6to4 asks for IPv6 fragments");
		check_fragment(t, &li, p.data, p.len);
		break;
	default:
		XA(0, "verdict %d", (int)v);
	}
	memset(&ctx, 0, sizeof ctx);
	free(buf);
}

/*
 * Cut pk (IPv6 + Fragment header + data) with frag6_next into pieces of
 * at most mtu bytes, each in a buffer of exactly mtu bytes.  strict: the
 * fragments' offsets must not wrap, which a caller that checked the
 * offsets (siit) owes; frag6_next alone cannot refuse.
 */
void
fz_frag6_check(const uint8_t *pk, size_t len, size_t mtu, int strict)
{
	struct pkt	 p = { (uint8_t *)(uintptr_t)pk, len, 0, 0,
			     { 0 } };
	size_t		 done = 0, prev, n, data, pieces = 0;
	uint16_t	 field, f;
	uint8_t		*out;
	int		 last, own = ctx.in == NULL;

	if ((out = malloc(mtu > 0 ? mtu : 1)) == NULL)
		return;
	if (own) {
		ctx.dir = "frag6_next";
		ctx.in = pk;
		ctx.inlen = len;
	}
	data = len > 48 ? len - 48 : 0;
	field = len >= 44 ? get16(pk + 42) : 0;
	for (;;) {
		prev = done;
		if ((n = frag6_next(&p, mtu, &done, out)) == 0)
			break;
		XA(mtu >= 56 && len > 48, "a fragment from %zu bytes at MTU "
		    "%zu", len, mtu);
		XA(n <= mtu && n > 48, "fragment of %zu bytes, MTU %zu", n,
		    mtu);
		XA(done == prev + n - 48, "done %zu after %zu + %zu", done,
		    prev, n - 48);
		XA(memcmp(out, pk, 4) == 0 && memcmp(out + 6, pk + 6, 34) == 0,
		    "IPv6 header changed");
		XA(get16(out + 4) == n - 40, "payload length %u of %zu",
		    get16(out + 4), n);
		XA(out[40] == pk[40] && out[41] == pk[41] &&
		    memcmp(out + 44, pk + 44, 4) == 0, "Fragment header");
		f = get16(out + 42);
		last = done == data;
		XA((f & 6) == 0, "reserved bits %x", f & 6);
		XA((f & 1) == (last ? (field & 1) : 1), "M flag %d", f & 1);
		if (strict || (size_t)(field & 0xfff8) + data <= 65535)
			XA((size_t)(f & 0xfff8) == (field & 0xfff8) + prev,
			    "offset %u for byte %zu after %u", f & 0xfff8,
			    prev, field & 0xfff8);
		if (!last)
			XA((n - 48) % 8 == 0, "%zu data bytes", n - 48);
		XA(memcmp(out + 48, pk + 48 + prev, n - 48) == 0,
		    "data changed");
		XA(++pieces <= data / 8 + 1, "%zu pieces", pieces);
	}
	XA(done == (mtu >= 56 ? data : 0), "cut %zu of %zu bytes", done, data);
	if (own)
		memset(&ctx, 0, sizeof ctx);
	free(out);
}
