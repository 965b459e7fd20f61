/* SPDX-License-Identifier: ISC */
/*
 * fuzz_softwire.c: sw_4to6 and sw_6to4 on any bytes, with the bindings
 * of tests/unit/check_softwire.c (an address bound whole, one shared by
 * two lwB4s through two BR addresses) and two nested mesh routes.
 *
 * Input: 4 option bytes, then the packet as read from the tun.
 *  byte 0: bit 0 the direction (0 IPv4 in, 1 IPv6 in), 1 hairpinning,
 *	2 copy-tos, 3 an ipv4-address of our own, 4-5 unreach4 (none, host,
 *	admin), 6 policy6, 7 reply-shared-echo
 *  byte 1: bits 0-2 ipv6-mtu, 3 steer the addresses: bits 4-6 pick a
 *	known IPv4 destination (IPv4 in) or a lwB4 or peer with the
 *	IPv4 source that goes with it (IPv6 in), 7 the second BR address
 *  byte 2: bits 0-5 tail room after the packet, 6 make the IPv4 header
 *	checksum (outer, or inside the tunnel), the ICMPv4 checksum (IPv4
 *	in) and the ICMPv6 checksum right before the call
 *  byte 3: the hop limit of the tunnel
 * Checked: the verdict and its reason; a dropped packet unchanged; the
 * packet inside its buffer; length fields that agree with the length; the
 * IPv4 header checksum, also after a hairpinned packet's TTL went down;
 * the checksums of every ICMP message made; error sizes (576, 1280); the
 * tunnel's addresses and hop limit; ipv6-mtu on what is forwarded; and
 * for FRAGMENT, pieces cut by frag6_next of at most ipv6-mtu that put
 * together give the packet.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "fuzz.h"
#include "softwire.h"

#define SA(cond, ...) do {						\
	if (!(cond)) {							\
		dump();							\
		fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
	}								\
} while (0)

static const uint16_t mtus[] = { 1280, 1281, 1300, 1400, 1480, 1500, 1501,
    9000 };
static const char *const dst4[] = { "192.0.2.10", "192.0.2.20",
    "192.0.2.99", "198.51.100.1", "203.0.113.5", "203.0.113.200",
    "198.51.100.77", "0.0.0.0" };
/* A lwB4 or peer, and the IPv4 source it may send from. */
static const char *const from6[][2] = {
	{ "2001:db8:b4::10", "192.0.2.10" },
	{ "2001:db8:b4::21", "192.0.2.20" },
	{ "2001:db8:b4::22", "192.0.2.20" },
	{ "2001:db8:eeee::1", "203.0.113.5" },
	{ "2001:db8:eeee::2", "203.0.113.200" },
	{ "2001:db8:b4::21", "192.0.2.99" },
	{ "2001:db8:ffff::1", "198.51.100.1" },
	{ "2001:db8:1::1", "192.0.2.10" },
};

static struct binding		 blist[3];
static struct in6_addr		 brs[2];
static struct binding_list	 bl = { blist, 3, brs, 2, 3 };
static struct sw_route		 routes[2];

static struct {
	const uint8_t	*in, *out;
	size_t		 inlen, outlen;
	int		 verdict, why;
} ctx;

static void
dump(void)
{
	fprintf(stderr, "\nverdict %d, reason %d\n", ctx.verdict, ctx.why);
	if (ctx.in != NULL)
		fz_hexdump("input", ctx.in, ctx.inlen);
	if (ctx.out != NULL)
		fz_hexdump("output", ctx.out, ctx.outlen);
}

static void
pton(int af, const char *s, void *out)
{
	if (inet_pton(af, s, out) != 1)
		abort();
}

static void
mkbind(struct binding *b, const char *ip, uint8_t k, uint16_t psid,
    const char *b4, uint32_t br)
{
	memset(b, 0, sizeof *b);
	pton(AF_INET, ip, &b->ipv4);
	b->psid_len = k;
	b->psid_offset = k > 0 ? 6 : 0;
	b->psid = psid;
	pton(AF_INET6, b4, &b->b4);
	b->br = br;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pton(AF_INET6, "2001:db8:ffff::1", &brs[0]);
	pton(AF_INET6, "2001:db8:ffff::2", &brs[1]);
	mkbind(&blist[0], "192.0.2.10", 0, 0, "2001:db8:b4::10", 0);
	mkbind(&blist[1], "192.0.2.20", 4, 1, "2001:db8:b4::21", 0);
	mkbind(&blist[2], "192.0.2.20", 4, 2, "2001:db8:b4::22", 1);
	pton(AF_INET, "203.0.113.0", &routes[0].p4.addr);
	routes[0].p4.len = 24;
	pton(AF_INET6, "2001:db8:eeee::1", &routes[0].remote);
	pton(AF_INET, "203.0.113.128", &routes[1].p4.addr);
	routes[1].p4.len = 25;
	pton(AF_INET6, "2001:db8:eeee::2", &routes[1].remote);
	return (0);
}

static void
settings(const uint8_t *o, struct sw_settings *s)
{
	memset(s, 0, sizeof *s);
	s->br = brs[0];
	s->hairpinning = o[0] & 0x02;
	s->copy_tos = o[0] & 0x04;
	s->has_ipv4 = o[0] & 0x08;
	pton(AF_INET, "198.51.100.1", &s->ipv4);
	s->unreach4 = (enum sw_unreach)((o[0] >> 4 & 3) % 3);
	s->policy6 = o[0] & 0x40;
	s->reply_shared_echo = o[0] & 0x80;
	s->ipv6_mtu = mtus[o[1] & 7];
	s->hop_limit = o[3];
}

/* The IPv4 header checksum at h, if its length is there. */
static void
fix4(uint8_t *h, size_t n)
{
	size_t	hl;

	if (n < 20 || h[0] >> 4 != 4 || (hl = (size_t)(h[0] & 15) * 4) > n)
		return;
	put16(h + 10, 0);
	put16(h + 10, (uint16_t)~fz_sum(h, hl, 0));
}

/* The checksum of an ICMPv4 message whose header is whole. */
static void
fix_icmp4(uint8_t *h, size_t n)
{
	size_t	hl = (size_t)(h[0] & 15) * 4, tot = get16(h + 2);

	if (hl < 20 || tot > n || tot < hl + 8)
		return;
	put16(h + hl + 2, 0);
	put16(h + hl + 2, (uint16_t)~fz_sum(h + hl, tot - hl, 0));
}

static uint32_t
pseudo6(const uint8_t *src, const uint8_t *dst, size_t len)
{
	uint8_t	ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	memset(ph + 32, 0, 8);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = IPPROTO_ICMPV6;
	return (fz_sum(ph, sizeof ph, 0));
}

/* Addresses that reach the bindings, and checksums that pass. */
static void
prepare(const uint8_t *o, uint8_t *pk, size_t n)
{
	size_t	idx = o[1] >> 4 & 7, plen;

	if (!(o[0] & 1)) {
		if ((o[1] & 0x08) && n >= 20)
			pton(AF_INET, dst4[idx], pk + 16);
		if (o[2] & 0x40)
			fix4(pk, n);
		if ((o[2] & 0x40) && n >= 28 && pk[9] == IPPROTO_ICMP)
			fix_icmp4(pk, n);
		return;
	}
	if (n < 40)
		return;
	if (o[1] & 0x08) {
		pton(AF_INET6, from6[idx][0], pk + 8);
		memcpy(pk + 24, &brs[o[1] >> 7], 16);
		if (pk[6] == 4 && n >= 60)
			pton(AF_INET, from6[idx][1], pk + 52);
	}
	if (!(o[2] & 0x40))
		return;
	if (pk[6] == 4)
		fix4(pk + 40, n - 40);
	plen = get16(pk + 4);
	if (pk[6] == IPPROTO_ICMPV6 && plen >= 8 && 40 + plen <= n) {
		put16(pk + 42, 0);
		put16(pk + 42, (uint16_t)~fz_sum(pk + 40, plen,
		    pseudo6(pk + 8, pk + 24, plen)));
	}
}

static bool
is_br(const uint8_t *a)
{
	return (memcmp(a, &brs[0], 16) == 0 || memcmp(a, &brs[1], 16) == 0);
}

/* An IPv4 packet that fills len: header sum, and an ICMP one's sum. */
static void
check4(const uint8_t *h, size_t len, enum verdict v, bool ours)
{
	size_t	hl;

	SA(len >= 20 && h[0] >> 4 == 4, "IPv4 of %zu bytes", len);
	hl = (size_t)(h[0] & 15) * 4;
	SA(hl >= 20 && hl <= len, "header length %zu", hl);
	SA(get16(h + 2) == len, "total length %u, not %zu", get16(h + 2),
	    len);
	SA(fz_sum(h, hl, 0) == 0xffff, "IPv4 header checksum");
	if (v != VERDICT_REPLY || !ours)
		return;
	SA(h[9] == IPPROTO_ICMP && len >= hl + 8, "reply not ICMP");
	SA(fz_sum(h + hl, len - hl, 0) == 0xffff, "ICMP checksum");
	SA(h[hl] == 0 || len <= 576, "ICMPv4 error of %zu bytes", len);
}

/* Cut pk with frag6_next, as the loop does, and put it together again. */
static void
check_fragments(const struct pkt *p, size_t mtu)
{
	uint8_t	*piece, *back;
	size_t	 done = 0, n, got = 0, data = p->len - 48;

	if ((piece = malloc(mtu)) == NULL || (back = malloc(data)) == NULL)
		abort();
	while ((n = frag6_next(p, mtu, &done, piece)) > 0) {
		SA(n <= mtu && n > 48, "fragment of %zu bytes", n);
		SA(get16(piece + 4) == n - 40, "fragment payload length");
		SA((get16(piece + 42) & 0xfff8) == got, "fragment offset");
		memcpy(back + got, piece + 48, n - 48);
		got += n - 48;
	}
	SA(got == data, "%zu bytes of %zu cut", got, data);
	SA(memcmp(back, p->data + 48, data) == 0, "fragments differ");
	free(piece);
	free(back);
}

/* An IPv6 packet that fills len: what it carries, and how it goes. */
static void
check6(const struct sw_settings *s, const struct pkt *p, enum verdict v)
{
	const uint8_t	*h = p->data;
	size_t		 len = p->len;

	SA(len >= 48 && get16(h + 4) + 40 == len, "IPv6 payload length");
	switch (h[6]) {
	case IPPROTO_IPIP:
		SA(v != VERDICT_FRAGMENT, "fragment without header");
		SA(is_br(h + 8) && h[7] == s->hop_limit, "tunnel source");
		SA(v == VERDICT_REPLY || len <= s->ipv6_mtu, "over the MTU");
		check4(h + 40, len - 40, v, true);
		break;
	case IPPROTO_FRAGMENT:
		SA(v == VERDICT_FRAGMENT && h[40] == IPPROTO_IPIP &&
		    get16(h + 42) == 0, "fragment header");
		SA(is_br(h + 8) && len > s->ipv6_mtu, "fragmented for nothing");
		check4(h + 48, len - 48, v, false);
		check_fragments(p, s->ipv6_mtu);
		break;
	case IPPROTO_ICMPV6:
		SA(v == VERDICT_REPLY && is_br(h + 8), "ICMPv6 not ours");
		SA(fz_sum(h + 40, len - 40, pseudo6(h + 8, h + 24, len - 40)) ==
		    0xffff, "ICMPv6 checksum");
		SA(h[40] == 129 || len <= 1280, "ICMPv6 error of %zu", len);
		break;
	default:
		SA(0, "next header %u", h[6]);
	}
}

static void
run(const uint8_t *o, const uint8_t *pk, size_t n)
{
	struct sw_settings	 s;
	struct sw_tables	*t;
	struct pkt		 p;
	enum drop_reason	 why = DROP_MAX;
	enum verdict		 v;
	uint8_t			*buf;
	size_t			 tail = o[2] & 63, size = PKT_HEADROOM + n + tail;
	bool			 in6 = o[0] & 1;

	settings(o, &s);
	if ((t = sw_tables_build(&s, &bl, routes, 2)) == NULL)
		abort();
	if ((buf = malloc(size)) == NULL)
		abort();
	memset(buf, 0xee, size);
	memcpy(buf + PKT_HEADROOM, pk, n);
	p.data = buf + PKT_HEADROOM;
	p.len = n;
	p.head = PKT_HEADROOM;
	p.tail = tail;
	/* Reads alone: the buffer is compared below as before. */
	if (in6)
		(void)sw_6to4_reassemble(t, &p);
	v = in6 ? sw_6to4(t, &p, &why) : sw_4to6(t, &p, &why);
	ctx.in = pk;
	ctx.inlen = n;
	ctx.verdict = v;
	ctx.why = why;
	ctx.out = NULL;
	if (getenv("FZ_TRACE") != NULL)
		fprintf(stderr, "verdict %d reason %d\n", v, why);
	SA(v == VERDICT_FORWARD || v == VERDICT_DROP || v == VERDICT_REPLY ||
	    v == VERDICT_FRAGMENT, "verdict %d", v);
	if (v == VERDICT_DROP || v == VERDICT_REPLY)
		SA(why < DROP_MAX, "reason %d", why);
	if (v == VERDICT_DROP) {
		SA(memcmp(buf + PKT_HEADROOM, pk, n) == 0, "drop changed it");
	} else {
		SA(p.data >= buf && p.len <= size &&
		    p.data + p.len <= buf + size, "outside the buffer");
		SA(p.head == (size_t)(p.data - buf) &&
		    p.head + p.len + p.tail == size, "head, len, tail");
		ctx.out = p.data;
		ctx.outlen = p.len;
		SA(p.len >= 20, "%zu bytes", p.len);
		if (p.data[0] >> 4 == 4) {
			SA(v != VERDICT_FRAGMENT, "IPv4 to cut");
			SA(in6 || v == VERDICT_REPLY, "IPv4 in, IPv4 out");
			check4(p.data, p.len, v, !in6 || v == VERDICT_REPLY);
		} else {
			SA(p.data[0] >> 4 == 6, "version %u", p.data[0] >> 4);
			check6(&s, &p, v);
		}
	}
	free(buf);
	sw_tables_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*pk;
	size_t	 n;

	if (size < FZ_OPTBYTES)
		return (0);
	n = size - FZ_OPTBYTES;
	if ((pk = malloc(n > 0 ? n : 1)) == NULL)
		return (0);
	memcpy(pk, data + FZ_OPTBYTES, n);
	prepare(data, pk, n);
	run(data, pk, n);
	free(pk);
	return (0);
}
