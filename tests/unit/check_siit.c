/* SPDX-License-Identifier: ISC */
/*
 * check_siit.c: RFC 7915 translation, byte for byte.  Each test builds the
 * input packet and, independently, the packet the RFC says must come out
 * (pktbuild.c, with checksums from full sums), runs the translator and
 * compares.  The translator chooses the IPv4 Identification (RFC 7915
 * 5.1), so that field is copied from its output before comparing.
 *
 * Addresses: IPv4 clients in 203.0.113.0/24 reach IPv6 through pool6
 * 2001:db8:64::/96; IPv6 servers in 2001:db8:6::/120 appear to IPv4 as
 * 198.51.100.0/24 through an EAM entry (RFC 7757).  The tables count no
 * hop of their own (one-hop off) unless a test says otherwise, so TTL and
 * Hop Limit are copied.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pktbuild.h"
#include "siit.h"
#include "tables.h"

#define CLIENT4		"203.0.113.5"
#define POOL6		"2001:db8:64::/96"
#define CLIENT6		"2001:db8:64::cb00:7105"	/* in POOL6 */
#define SERVER4		"198.51.100.10"
#define SERVER6		"2001:db8:6::a"		/* the /24 EAM */
#define ROUTER4		"203.0.113.254"
#define ROUTER6		"2001:db8:64::cb00:71fe"
#define MTU		1500

typedef enum verdict	(*xlate_fn)(const struct tables *, struct pkt *,
			    enum drop_reason *);

static struct tables	*t_pool;	/* pool6 and EAM */
static struct tables	*t_eam;		/* EAM only */
static struct tables	*t_p64;		/* pool6 at /64 only */

static struct pb_buf	 buf;
static uint8_t		 raw[PB_BUFSIZE], want[PB_BUFSIZE];
static uint8_t		 inner[PB_BUFSIZE], inner2[PB_BUFSIZE];

static void
prefix4(const char *s, struct prefix4 *p)
{
	const char	*why;

	if (addr_parse4(s, p, &why) == -1)
		ck_abort_msg("%s: %s", s, why);
}

static void
prefix6(const char *s, struct prefix6 *p)
{
	const char	*why;

	if (addr_parse6(s, p, &why) == -1)
		ck_abort_msg("%s: %s", s, why);
}

/*
 * Tables from a configuration with the defaults, pool6 if given, the
 * EAM entries below if eam, and whatever tweak changes.
 */
static struct tables *
mk_tables(const char *pool6, bool eam, void (*tweak)(struct config_instance *))
{
	static const char	*map[][2] = {
		{ "198.51.100.0/24", "2001:db8:6::/120" },
		{ "198.51.100.128/25", "2001:db8:7::/121" },	/* nested */
		{ "192.0.2.1", "2001:db8:ea::1" },
	};
	struct config_eam	 e[3];
	struct config_instance	 c;
	struct tables		*t;
	size_t			 i;

	memset(&c, 0, sizeof c);
	memset(e, 0, sizeof e);
	config_defaults(&c);
	c.mtu = MTU;
	c.one_hop = false;
	if (pool6 != NULL) {
		c.has_pool6 = true;
		prefix6(pool6, &c.pool6);
	}
	if (eam) {
		for (i = 0; i < 3; i++) {
			prefix4(map[i][0], &e[i].p4);
			prefix6(map[i][1], &e[i].p6);
			e[i].line = (int)i + 1;
			e[i].index = (int)i;
		}
		c.eam = e;
		c.neam = 3;
	}
	if (tweak != NULL)
		tweak(&c);
	t = tables_build(&c);
	ck_assert_ptr_nonnull(t);
	return (t);
}

static void
setup(void)
{
	t_pool = mk_tables(POOL6, true, NULL);
	t_eam = mk_tables(NULL, true, NULL);
	t_p64 = mk_tables("2001:db8:122:344::/64", false, NULL);
}

static void
teardown(void)
{
	tables_free(t_pool);
	tables_free(t_eam);
	tables_free(t_p64);
}

/* Defaults for a packet from an IPv4 client to an IPv6 server. */
static struct pb_ip4
ip4_out(void)
{
	struct pb_ip4	ip = { .src = CLIENT4, .dst = SERVER4, .ttl = 64,
	    .id = 0x1234 };

	return (ip);
}

static struct pb_ip6
ip6_out(void)
{
	struct pb_ip6	ip = { .src = CLIENT6, .dst = SERVER6,
	    .hlim = 64 };

	return (ip);
}

/* And the other way. */
static struct pb_ip6
ip6_back(void)
{
	struct pb_ip6	ip = { .src = SERVER6, .dst = CLIENT6,
	    .hlim = 64 };

	return (ip);
}

static struct pb_ip4
ip4_back(void)
{
	struct pb_ip4	ip = { .src = SERVER4, .dst = CLIENT4, .ttl = 64 };

	return (ip);
}

static struct pb_l4
echo(uint8_t proto, uint8_t type, size_t paylen)
{
	struct pb_l4	l = { .proto = proto, .type = type, .id = 0xbeef,
	    .seq = 1, .paylen = paylen, .fill = 0x10 };

	return (l);
}

/* An ICMP error of type and code quoting len bytes at q. */
static struct pb_l4
icmp_err(uint8_t proto, uint8_t type, uint8_t code, uint32_t word,
    const uint8_t *q, size_t len)
{
	struct pb_l4	l = { .proto = proto, .type = type, .code = code,
	    .id = (uint16_t)(word >> 16), .seq = (uint16_t)word,
	    .payload = q, .paylen = len };

	return (l);
}

static struct pb_l4
tcp(size_t paylen)
{
	struct pb_l4	l = { .proto = IPPROTO_TCP, .sport = 49152,
	    .dport = 80, .tcpseq = 0x01020304, .tcpack = 0xa0b0c0d0,
	    .tcpflags = 0x18, .paylen = paylen, .fill = 0x41 };

	return (l);
}

static struct pb_l4
udp(size_t paylen)
{
	struct pb_l4	l = { .proto = IPPROTO_UDP, .sport = 5353,
	    .dport = 53, .paylen = paylen, .fill = 0x61 };

	return (l);
}

/* The ICMP numbering of the other family, for an expected packet. */
static struct pb_l4
as_icmp6(struct pb_l4 l)
{
	l.proto = IPPROTO_ICMPV6;
	l.type = l.type == 8 ? 128 : l.type == 0 ? 129 : l.type;
	return (l);
}

static struct pb_l4
as_icmp4(struct pb_l4 l)
{
	l.proto = IPPROTO_ICMP;
	l.type = l.type == 128 ? 8 : l.type == 129 ? 0 : l.type;
	return (l);
}

static const char *
reason(enum drop_reason r)
{
	return (r < DROP_MAX ? stats_drop_name(r) : "none");
}

/*
 * In an expected IPv4 packet, take what the translator may choose from
 * the output: the Identification, and that of a packet quoted by an ICMP
 * error, whose checksums are then made again.
 */
static void
adopt_ipv4_ids(uint8_t *w, size_t wn, const uint8_t *out)
{
	uint8_t		*q = w + 28;
	uint16_t	 ck;

	if (w[9] == IPPROTO_ICMP && wn >= 48 &&
	    (w[20] == 3 || w[20] == 11 || w[20] == 12) && q[0] >> 4 == 4) {
		q[4] = out[28 + 4];
		q[5] = out[28 + 5];
		pb_fix4(q);
		w[22] = w[23] = 0;
		ck = (uint16_t)~pb_sum(w + 20, wn - 20, 0);
		w[22] = (uint8_t)(ck >> 8);
		w[23] = (uint8_t)ck;
	}
	w[4] = out[4];
	w[5] = out[5];
	pb_fix4(w);
}

/*
 * Run fn on the n bytes in raw: it must give verdict v (and reason r,
 * unless it forwards) and the wn bytes in want.
 */
static struct pkt
xlate(xlate_fn fn, const struct tables *t, size_t n, enum verdict v,
    enum drop_reason r, size_t wn)
{
	struct pkt		 p;
	enum drop_reason	 why = DROP_MAX;
	enum verdict		 got;

	pb_load(&buf, &p, raw, n);
	got = fn(t, &p, &why);
	ck_assert_msg(got == v, "verdict %d, not %d (reason %s)", got, v,
	    reason(why));
	if (v == VERDICT_REPLY || v == VERDICT_DROP)
		ck_assert_msg(why == r, "reason %s, not %s", reason(why),
		    reason(r));
	ck_assert_uint_eq(p.len, wn);
	if (wn >= 20 && want[0] >> 4 == 4) {
		ck_assert(pb_check4(p.data));
		adopt_ipv4_ids(want, wn, p.data);
	}
	ck_assert_mem_eq(p.data, want, wn);
	ck_assert_uint_eq(p.head, (size_t)(p.data - buf.mem));
	return (p);
}

/*
 * The payload stays where it was: the header is rewritten in front of
 * it, and the buffer's accounting adds up.
 */
static void
check_in_place(const struct pkt *p, size_t end)
{
	ck_assert_ptr_eq(p->data + p->len, buf.mem + PKT_HEADROOM + end);
	ck_assert_uint_eq(p->head + p->len + p->tail, sizeof buf.mem);
}

/* IPv4 in raw to the IPv6 packet in want, forwarded in place. */
static void
run_4to6(const struct tables *t, size_t n, size_t wn)
{
	struct pkt	p;

	p = xlate(siit_4to6, t, n, VERDICT_FORWARD, DROP_MAX, wn);
	check_in_place(&p, (size_t)(raw[2] << 8 | raw[3]));
}

/* The same, for a packet the caller must cut into fragments. */
static void
frag_4to6(const struct tables *t, size_t n, size_t wn)
{
	struct pkt	p;

	p = xlate(siit_4to6, t, n, VERDICT_FRAGMENT, DROP_MAX, wn);
	check_in_place(&p, (size_t)(raw[2] << 8 | raw[3]));
}

/* IPv6 in raw to the IPv4 packet in want; returns the Identification. */
static uint16_t
run_6to4(const struct tables *t, size_t n, size_t wn)
{
	struct pkt	p;

	p = xlate(siit_6to4, t, n, VERDICT_FORWARD, DROP_MAX, wn);
	if (want[9] != IPPROTO_ICMP || (want[20] != 3 && want[20] != 11 &&
	    want[20] != 12))
		check_in_place(&p, 40 + (size_t)(raw[4] << 8 | raw[5]));
	return ((uint16_t)(p.data[4] << 8 | p.data[5]));
}

/*
 * The packet in raw must be dropped for reason r.  It is left as it came,
 * so that an ICMP error can still be made from it.
 */
static void
drop(xlate_fn fn, const struct tables *t, size_t n, enum drop_reason r)
{
	struct pkt		 p;
	enum drop_reason	 why = DROP_MAX;
	enum verdict		 v;

	pb_load(&buf, &p, raw, n);
	v = fn(t, &p, &why);
	ck_assert_msg(v == VERDICT_DROP, "verdict %d, not a drop (%s)", v,
	    reason(why));
	ck_assert_msg(why == r, "dropped as %s, not %s", reason(why),
	    reason(r));
	ck_assert_mem_eq(buf.mem + PKT_HEADROOM, raw, n);
}

static void
drop4(const struct tables *t, size_t n, enum drop_reason r)
{
	drop(siit_4to6, t, n, r);
}

static void
drop6(const struct tables *t, size_t n, enum drop_reason r)
{
	drop(siit_6to4, t, n, r);
}

/*
 * RFC 7915 4.1: IPv4 -> IPv6 header.
 */

/*
 * Version 6, Traffic Class from TOS, Flow Label 0, Payload Length from
 * Total Length less the header, Hop Limit from TTL; addresses mapped.
 */
START_TEST(test_4to6_header_fields)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(100);

	i4.tos = 0xb9;
	i4.ttl = 17;
	i6.tclass = 0xb9;
	i6.hlim = 17;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

static void
no_copy_tos(struct config_instance *c)
{
	c->copy_tos = false;
}

/* "... SHOULD provide the ability to ... always set the TC to zero." */
START_TEST(test_4to6_traffic_class_zero_without_copy_tos)
{
	struct tables	*t = mk_tables(POOL6, true, no_copy_tos);
	struct pb_ip4	 i4 = ip4_out();
	struct pb_ip6	 i6 = ip6_out();
	struct pb_l4	 l = tcp(7);

	i4.tos = 0xfc;
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	tables_free(t);
}
END_TEST

/* DF and the Identification of an unfragmented packet carry nothing. */
START_TEST(test_4to6_df_and_id_are_not_carried)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = tcp(10);

	i4.frag = 0x4000;
	i4.id = 0xffff;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/* "If IPv4 options are present ... they MUST be ignored." */
START_TEST(test_4to6_options_are_dropped)
{
	static const uint8_t	opt[8] = {
		0x07, 0x07, 0x04, 0, 0, 0, 0,	/* record route, empty */
		0x00				/* end of options */
	};
	struct pb_ip4		i4 = ip4_out();
	struct pb_ip6		i6 = ip6_out();
	struct pb_l4		l = echo(IPPROTO_ICMP, 8, 32), l6;

	i4.opt = opt;
	i4.optlen = sizeof opt;
	l6 = as_icmp6(l);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
}
END_TEST

/* A source route option whose route is used up is just an option. */
START_TEST(test_4to6_expired_source_route_is_ignored)
{
	static const uint8_t	opt[8] = {
		0x01,				/* no operation */
		0x83, 0x07, 0x08, 192, 0, 2, 9	/* LSRR, used up */
	};
	struct pb_ip4		i4 = ip4_out();
	struct pb_ip6		i6 = ip6_out();
	struct pb_l4		l = udp(20);

	i4.opt = opt;
	i4.optlen = sizeof opt;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/*
 * "If an unexpired source route option is present, then the packet MUST
 * instead be discarded, and an ICMPv4 Destination Unreachable, Code 5
 * (Source Route Failed) message SHOULD be returned to the sender."
 */
START_TEST(test_4to6_unexpired_source_route_is_refused)
{
	static const uint8_t	opt[8] = {
		0x01,				/* no operation */
		0x89, 0x07, 0x04, 192, 0, 2, 9	/* SSRR, one hop left */
	};
	struct pb_ip4		i4 = ip4_out(), r4;
	struct pb_l4		l = udp(20), e;
	size_t			n;

	i4.opt = opt;
	i4.optlen = sizeof opt;
	n = pb_build4(raw, &i4, &l);
	memcpy(inner, raw, n);
	r4 = (struct pb_ip4){ .src = "192.0.0.8", .dst = CLIENT4,
	    .ttl = 64 };
	e = icmp_err(IPPROTO_ICMP, 3, 5, 0, inner, n);
	xlate(siit_4to6, t_pool, n, VERDICT_REPLY, DROP_SOURCE_ROUTE,
	    pb_build4(want, &r4, &e));
}
END_TEST

/* Bytes past Total Length (link padding) are not part of the packet. */
START_TEST(test_4to6_bytes_past_total_length_are_cut)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = tcp(0);
	size_t		n;

	n = pb_build4(raw, &i4, &l);
	memset(raw + n, 0, 6);
	run_4to6(t_pool, n + 6, pb_build6(want, &i6, &l));
}
END_TEST

/* "Next Header: ... otherwise, the protocol field MUST be copied." */
START_TEST(test_4to6_other_protocols_are_copied)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = { .proto = 132, .paylen = 28 };  /* SCTP */

	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	l.proto = 47;						/* GRE */
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/* Both addresses go through EAM first; each end can be either kind. */
START_TEST(test_4to6_eam_source_and_pool6_destination)
{
	struct pb_ip4	i4 = ip4_back();
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = tcp(3);

	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/* RFC 7757 3.2: the longest EAM prefix wins; its host part is kept. */
START_TEST(test_4to6_eam_longest_prefix_wins)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(8);

	i4.dst = "198.51.100.200";		/* in /24 and in /25 */
	i6.dst = "2001:db8:7::48";		/* .200 - .128 = 0x48 */
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	i4.dst = "198.51.100.127";		/* in /24 only */
	i6.dst = "2001:db8:6::7f";
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/* RFC 7757 3.2: a host entry (/32 <-> /128) maps just that address. */
START_TEST(test_4to6_eam_host_entry)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 0), l6 = as_icmp6(l);

	i4.dst = "192.0.2.1";
	i6.dst = "2001:db8:ea::1";
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
	/* Its neighbour is not in EAM: without pool6 it has no mapping. */
	i4.src = SERVER4;
	i4.dst = "192.0.2.2";
	drop4(t_eam, pb_build4(raw, &i4, &l), DROP_DST_UNMAPPED);
}
END_TEST

/* RFC 6052 2.2: a /64 pool6 skips the u octet. */
START_TEST(test_4to6_pool6_slash_64_skips_u_octet)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(1);

	i4.src = "192.0.2.33";
	i4.dst = "192.0.2.34";
	i6.src = "2001:db8:122:344:c0:2:2100:0";	/* RFC 6052 2.4 */
	i6.dst = "2001:db8:122:344:c0:2:2200:0";
	run_4to6(t_p64, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

static void
wkp(struct config_instance *c)
{
	prefix6("64:ff9b::/96", &c->pool6);
}

static void
wkp_any(struct config_instance *c)
{
	wkp(c);
	c->allow_wkp_nonglobal = true;
}

/*
 * RFC 6052 3.1: "The Well-Known Prefix MUST NOT be used to represent
 * non-global IPv4 addresses", unless the operator says otherwise.
 */
START_TEST(test_4to6_wkp_carries_global_addresses_only)
{
	struct tables	*t = mk_tables("64:ff9b::/96", true, wkp);
	struct pb_ip4	 i4 = ip4_out();
	struct pb_ip6	 i6 = ip6_out();
	struct pb_l4	 l = udp(12);

	drop4(t, pb_build4(raw, &i4, &l), DROP_SRC_UNMAPPED);
	i4.src = "11.0.0.1";
	i6.src = "64:ff9b::b00:1";
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	tables_free(t);
	t = mk_tables("64:ff9b::/96", true, wkp_any);
	i4.src = CLIENT4;
	i6.src = "64:ff9b::cb00:7105";
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	tables_free(t);
}
END_TEST

static void
one_hop(struct config_instance *c)
{
	c->one_hop = true;
}

/*
 * "Since the translator is a router, ... it needs to decrement either the
 * IPv4 TTL ... or the IPv6 Hop Limit."  The node's kernel decrements on
 * the way into the tun and out of it; with one-hop the translator gives
 * one back toward an EAM host, so the node counts one hop.
 */
START_TEST(test_4to6_one_hop_gives_one_back_toward_eam)
{
	struct tables	*t = mk_tables(POOL6, true, one_hop);
	struct pb_ip4	 i4 = ip4_out();
	struct pb_ip6	 i6 = ip6_out();
	struct pb_l4	 l = udp(5);

	i4.ttl = 9;
	i6.hlim = 10;
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	i4.ttl = i6.hlim = 255;
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	/* Toward pool6 the packet could come back into the tun. */
	i4 = ip4_back();
	i6 = ip6_back();
	i4.ttl = i6.hlim = 9;
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	tables_free(t);
}
END_TEST

/* With DF set, a packet of exactly the MTU after translation passes. */
START_TEST(test_4to6_df_packet_of_mtu_passes)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(MTU - 40 - 8);
	size_t		wn;

	i4.frag = 0x4000;
	wn = pb_build6(want, &i6, &l);
	ck_assert_uint_eq(wn, MTU);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), wn);
}
END_TEST

/*
 * RFC 7915 4: a DF packet too big for the IPv6 side is answered with
 * Fragmentation Needed, its MTU the IPv6 MTU less 20.
 */
START_TEST(test_4to6_df_packet_too_big_gets_frag_needed)
{
	struct pb_ip4	i4 = ip4_out(), r4;
	struct pb_l4	l = udp(MTU - 40 - 8 + 1), e;
	size_t		n;

	i4.frag = 0x4000;
	n = pb_build4(raw, &i4, &l);
	memcpy(inner, raw, 576 - 28);
	r4 = (struct pb_ip4){ .src = "192.0.0.8", .dst = CLIENT4,
	    .ttl = 64 };
	e = icmp_err(IPPROTO_ICMP, 3, 4, MTU - 20, inner, 576 - 28);
	xlate(siit_4to6, t_pool, n, VERDICT_REPLY, DROP_TOO_BIG,
	    pb_build4(want, &r4, &e));
}
END_TEST

/*
 * RFC 7915 4: without DF, a packet that would be larger than 1280 bytes
 * as IPv6 gets a Fragment header (Identification from IPv4, offset 0,
 * M 0) and is cut to 1280 by the caller.  1280 itself is not cut.
 */
START_TEST(test_4to6_large_df_clear_gets_fragment_header)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(1280 - 48);
	uint8_t		fh[8];

	i4.id = 0xabcd;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	l = udp(1280 - 48 + 1);
	pb_frag6(fh, IPPROTO_UDP, 0, false, 0xabcd);
	i6.ext = fh;
	i6.extlen = sizeof fh;
	i6.ext_nh = IPPROTO_FRAGMENT;
	frag_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	l = udp(MTU * 4);
	frag_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

/*
 * RFC 7915 4.1: an IPv4 fragment becomes an IPv6 fragment: a Fragment
 * header with the offset, M from MF, and the Identification.  The first
 * holds the transport header, whose checksum covers the whole datagram.
 */
START_TEST(test_4to6_first_fragment_gets_fragment_header)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(300);
	uint8_t		fh[8];
	size_t		len;

	len = pb_l4_4(inner, &i4, &l);
	pb_l4_6(inner2, &i6, &l);
	i4.frag = 0x2000;				/* MF */
	i4.id = 0x8001;
	pb_frag6(fh, IPPROTO_UDP, 0, true, 0x8001);
	i6.ext = fh;
	i6.extlen = sizeof fh;
	i6.ext_nh = IPPROTO_FRAGMENT;
	ck_assert_uint_gt(len, 160);
	run_4to6(t_pool, pb_raw4(raw, &i4, IPPROTO_UDP, inner, 160),
	    pb_raw6(want, &i6, IPPROTO_UDP, inner2, 160));
}
END_TEST

/* A later fragment has no transport header: its bytes are copied. */
START_TEST(test_4to6_later_fragment_is_copied)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(300);
	uint8_t		fh[8];
	size_t		len;

	len = pb_l4_4(inner, &i4, &l);
	i4.frag = 20;				/* offset 160, last */
	i4.id = 0x8001;
	pb_frag6(fh, IPPROTO_UDP, 20, false, 0x8001);
	i6.ext = fh;
	i6.extlen = sizeof fh;
	i6.ext_nh = IPPROTO_FRAGMENT;
	run_4to6(t_pool, pb_raw4(raw, &i4, IPPROTO_UDP, inner + 160,
	    len - 160), pb_raw6(want, &i6, IPPROTO_UDP, inner + 160,
	    len - 160));
	/* And a middle one of some other protocol. */
	i4.frag = 0x2000 | 1;
	pb_frag6(fh, 132, 1, true, 0x8001);
	run_4to6(t_pool, pb_raw4(raw, &i4, 132, inner, 64),
	    pb_raw6(want, &i6, 132, inner, 64));
}
END_TEST

/*
 * RFC 7915 4.2: ICMPv4 -> ICMPv6.  Echo changes type and gains the
 * pseudo-header in its checksum; errors change type and code, and the
 * packet they quote is translated as well.
 */

START_TEST(test_4to6_echo_request_becomes_128)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 56), l6 = as_icmp6(l);

	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
}
END_TEST

START_TEST(test_4to6_echo_reply_becomes_129)
{
	struct pb_ip4	i4 = ip4_back();
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = echo(IPPROTO_ICMP, 0, 56), l6 = as_icmp6(l);

	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
}
END_TEST

/* An odd length, and the sequence number at its largest. */
START_TEST(test_4to6_echo_odd_payload)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 57), l6;

	l.fill = 0xf7;
	l.seq = 0xffff;
	l6 = as_icmp6(l);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
}
END_TEST

/*
 * Sums of addresses near the top plus the pseudo-header's length and
 * next header must keep their carries.  These addresses and lengths make
 * 32-bit sums overflow on a little-endian host.
 */
START_TEST(test_4to6_checksum_keeps_carries)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 0), l6 = as_icmp6(l);

	i4.src = "203.0.113.79";
	i6.src = "2001:db8:64::cb00:714f";
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
	l = echo(IPPROTO_ICMP, 8, 1200);
	l6 = as_icmp6(l);
	i4 = ip4_out();
	i6 = ip6_out();
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
	l6 = l = udp(104);
	l.udp_nocsum = true;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l6));
}
END_TEST

/*
 * Port Unreachable (3/3) becomes Destination Unreachable code 4 (1/4),
 * and the IPv4 packet it quotes, one our IPv6 server sent, becomes that
 * IPv6 packet again.
 */
START_TEST(test_4to6_port_unreachable_quotes_translated_packet)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = udp(20), e4, e6;
	size_t		n4, n6;

	q4.ttl = q6.hlim = 60;
	q4.tos = q6.tclass = 0x10;
	n4 = pb_build4(inner, &q4, &l);
	n6 = pb_build6(inner2, &q6, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 3, 0, inner, n4);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 4, 0, inner2, n6);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/*
 * Time Exceeded (11/0 -> 3/0) from an IPv4 router, quoting an echo
 * request: the quoted echo becomes ICMPv6 too, checksum and all.
 */
START_TEST(test_4to6_time_exceeded_quotes_echo)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 24), e4, e6;
	struct pb_l4	l6 = as_icmp6(l);
	size_t		n4, n6;

	i4.src = ROUTER4;
	i6.src = ROUTER6;
	q4.ttl = q6.hlim = 1;
	n4 = pb_build4(inner, &q4, &l);
	n6 = pb_build6(inner2, &q6, &l6);
	e4 = icmp_err(IPPROTO_ICMP, 11, 0, 0, inner, n4);
	e6 = icmp_err(IPPROTO_ICMPV6, 3, 0, 0, inner2, n6);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/*
 * RFC 4884: an ICMPv4 Time Exceeded claims the length of its quote in
 * 32-bit words (byte 5), padded to 128 bytes and followed by extensions.
 * The quote is cut there, and the extensions are left out.
 */
START_TEST(test_4to6_rfc4884_length_cuts_quote)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = udp(16), e4, e6;
	static const uint8_t	ext[8] = { 0x20, 0, 0, 0, 0, 8, 1, 1 };
	size_t		n4, n6;

	i4.src = ROUTER4;
	i6.src = ROUTER6;
	q4.ttl = q6.hlim = 1;
	n4 = pb_build4(inner, &q4, &l);		/* 44 bytes: 11 words */
	n6 = pb_build6(inner2, &q6, &l);
	memset(inner + n4, 0, 128 - n4);
	memcpy(inner + 128, ext, sizeof ext);
	e4 = icmp_err(IPPROTO_ICMP, 11, 0, (uint32_t)(n4 / 4) << 16, inner,
	    128 + sizeof ext);
	e6 = icmp_err(IPPROTO_ICMPV6, 3, 0, 0, inner2, n6);
	/* Not run_4to6(): the message ends short of where the input did. */
	xlate(siit_4to6, t_pool, pb_build4(raw, &i4, &e4), VERDICT_FORWARD,
	    DROP_MAX, pb_build6(want, &i6, &e6));
}
END_TEST

/*
 * A router quotes as little as the IP header and 8 bytes (RFC 792).  The
 * UDP checksum in those 8 bytes is adjusted as if the datagram were all
 * there, and the quoted header keeps the length it claims.
 */
START_TEST(test_4to6_quoted_packet_cut_short)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = udp(100), e4, e6;

	i4.src = ROUTER4;
	i6.src = ROUTER6;
	pb_build4(inner, &q4, &l);
	pb_build6(inner2, &q6, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 1, 0, inner, 28);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 0, 0, inner2, 48);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/*
 * Fragmentation Needed (3/4) becomes Packet Too Big (2/0), its MTU
 * "minimum(advertised MTU + 20, MTU_of_IPv6_nexthop, ...)".
 */
START_TEST(test_4to6_frag_needed_becomes_packet_too_big)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = tcp(1400), e4, e6;

	i4.src = ROUTER4;
	i6.src = ROUTER6;
	q4.frag = 0x4000;
	pb_build4(inner, &q4, &l);
	pb_build6(inner2, &q6, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, 1400, inner, 28);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, 1420, inner2, 48);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
	/* More than the tun carries is capped to it. */
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, 9000, inner, 28);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, MTU, inner2, 48);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/*
 * Parameter Problem (12/0) becomes 4/0 with the pointer moved to the
 * same field in the IPv6 header (RFC 7915 figure 3): TTL 8 -> Hop Limit
 * 7, Protocol 9 -> Next Header 6.
 */
START_TEST(test_4to6_param_problem_pointer_moves)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = udp(0), e4, e6;
	size_t		n4, n6;

	i4.src = ROUTER4;
	i6.src = ROUTER6;
	n4 = pb_build4(inner, &q4, &l);
	n6 = pb_build6(inner2, &q6, &l);
	e4 = icmp_err(IPPROTO_ICMP, 12, 0, 8U << 24, inner, n4);
	e6 = icmp_err(IPPROTO_ICMPV6, 4, 0, 7, inner2, n6);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
	e4 = icmp_err(IPPROTO_ICMP, 12, 0, 9U << 24, inner, n4);
	e6 = icmp_err(IPPROTO_ICMPV6, 4, 0, 6, inner2, n6);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/* Protocol Unreachable (3/2) becomes 4/1 pointing at Next Header (6). */
START_TEST(test_4to6_protocol_unreachable_becomes_param_problem)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6	i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4	l = { .proto = 132, .paylen = 12 }, e4, e6;
	size_t		n4, n6;

	n4 = pb_build4(inner, &q4, &l);
	n6 = pb_build6(inner2, &q6, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 2, 0, inner, n4);
	e6 = icmp_err(IPPROTO_ICMPV6, 4, 1, 6, inner2, n6);
	run_4to6(t_pool, pb_build4(raw, &i4, &e4), pb_build6(want, &i6, &e6));
}
END_TEST

/* Source quench, redirect, timestamp and the like are silently dropped. */
START_TEST(test_4to6_other_icmp_is_dropped)
{
	static const uint8_t	types[] = { 4, 5, 13, 14, 15, 16, 17, 18 };
	struct pb_ip4		i4 = ip4_out();
	struct pb_l4		l = echo(IPPROTO_ICMP, 0, 28);
	size_t			i;

	for (i = 0; i < sizeof types; i++) {
		l.type = types[i];
		drop4(t_pool, pb_build4(raw, &i4, &l), DROP_ICMP_TYPE);
	}
	l.type = 128;				/* an ICMPv6 number */
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_ICMP_TYPE);
}
END_TEST

/*
 * An error from a router with no mapping (and no RFC 6791 pool6), or
 * quoting a packet that has none, cannot be translated.
 */
START_TEST(test_4to6_error_quoting_unmapped_packet_is_dropped)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_l4	l = udp(4), e4;
	size_t		n4;

	q4.src = "198.51.101.1";
	n4 = pb_build4(inner, &q4, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 3, 0, inner, n4);
	drop4(t_eam, pb_build4(raw, &i4, &e4), DROP_SRC_UNMAPPED);
	i4 = ip4_back();
	i4.dst = "192.0.2.1";
	drop4(t_eam, pb_build4(raw, &i4, &e4), DROP_ICMP_INNER);
}
END_TEST

/* The checksum is made anew, so a corrupt error must not get through. */
START_TEST(test_4to6_error_with_bad_checksum_is_dropped)
{
	struct pb_ip4	i4 = ip4_out(), q4 = ip4_back();
	struct pb_l4	l = udp(4), e4;
	size_t		n4, n;

	n4 = pb_build4(inner, &q4, &l);
	e4 = icmp_err(IPPROTO_ICMP, 3, 3, 0, inner, n4);
	n = pb_build4(raw, &i4, &e4);
	raw[n - 1] ^= 0x40;
	drop4(t_pool, n, DROP_BAD_CHECKSUM);
}
END_TEST

/* The ICMPv6 checksum covers the whole message: fragments cannot be. */
START_TEST(test_4to6_fragmented_icmp_is_dropped)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = echo(IPPROTO_ICMP, 8, 100);

	i4.frag = 0x2000;
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_FRAGMENT);
	i4.frag = 0x0010;
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_FRAGMENT);
}
END_TEST

/*
 * RFC 7915 4.5: TCP and UDP checksums follow the new pseudo-header; an
 * IPv4 UDP checksum of zero is computed for an unfragmented packet.
 */

START_TEST(test_4to6_tcp_checksum_follows_pseudo_header)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = tcp(1000);

	l.tcpflags = 0x02;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	l = tcp(999);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

START_TEST(test_4to6_udp_checksum_follows_pseudo_header)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(512);

	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	l = udp(0);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
}
END_TEST

START_TEST(test_4to6_udp_zero_checksum_is_computed)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l4 = udp(33), l6 = l4;

	l4.udp_nocsum = true;
	run_4to6(t_pool, pb_build4(raw, &i4, &l4), pb_build6(want, &i6, &l6));
	l4.paylen = l6.paylen = 0;
	run_4to6(t_pool, pb_build4(raw, &i4, &l4), pb_build6(want, &i6, &l6));
}
END_TEST

static void
udp0_drop(struct config_instance *c)
{
	c->udp0_compute = false;
}

/*
 * "A stateless translator cannot compute the UDP checksum of fragmented
 * packets": those are dropped, and so are all when configured to.
 */
START_TEST(test_4to6_udp_zero_checksum_dropped_when_it_must_be)
{
	struct tables	*t = mk_tables(POOL6, true, udp0_drop);
	struct pb_ip4	 i4 = ip4_out();
	struct pb_l4	 l = udp(33);

	l.udp_nocsum = true;
	drop4(t, pb_build4(raw, &i4, &l), DROP_UDP_ZERO_CSUM);
	tables_free(t);
	i4.frag = 0x2000;
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_UDP_ZERO_CSUM);
}
END_TEST

/*
 * A UDP checksum that comes out as 0 is sent as ffff (RFC 768), both
 * when adjusted and when computed.  A 2-byte payload takes every sum, so
 * one value of it makes the IPv6 checksum come out as 0.
 */
START_TEST(test_4to6_udp_checksum_never_becomes_zero)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_ip6	i6 = ip6_out();
	struct pb_l4	l = udp(2);
	uint8_t		pay[2];
	size_t		wn = 0;
	int		v;

	l.payload = pay;
	for (v = 0; v < 65536; v++) {
		pay[0] = (uint8_t)(v >> 8);
		pay[1] = (uint8_t)v;
		wn = pb_build6(want, &i6, &l);
		if (want[46] == 0xff && want[47] == 0xff)
			break;
	}
	ck_assert_int_lt(v, 65536);
	run_4to6(t_pool, pb_build4(raw, &i4, &l), wn);
	l.udp_nocsum = true;
	run_4to6(t_pool, pb_build4(raw, &i4, &l), wn);
}
END_TEST

/*
 * What is not translated.  Each is dropped and counted.
 */

START_TEST(test_4to6_drop_truncated)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = tcp(0);
	size_t		n;

	n = pb_build4(raw, &i4, &l);
	drop4(t_pool, 19, DROP_TRUNCATED);
	drop4(t_pool, 0, DROP_TRUNCATED);
	drop4(t_pool, n - 1, DROP_TRUNCATED);	/* short of Total Length */
	/* A TCP header cut short, Total Length agreeing. */
	raw[3] = (uint8_t)(n - 1);
	pb_fix4(raw);
	drop4(t_pool, n - 1, DROP_TRUNCATED);
	l = udp(0);
	n = pb_build4(raw, &i4, &l);
	raw[3] = (uint8_t)(n - 1);
	pb_fix4(raw);
	drop4(t_pool, n - 1, DROP_TRUNCATED);
	l = echo(IPPROTO_ICMP, 8, 0);
	n = pb_build4(raw, &i4, &l);
	raw[3] = (uint8_t)(n - 4);
	pb_fix4(raw);
	drop4(t_pool, n - 4, DROP_TRUNCATED);
}
END_TEST

START_TEST(test_4to6_drop_bad_version)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = udp(4);
	size_t		n;

	n = pb_build4(raw, &i4, &l);
	raw[0] = (raw[0] & 0x0f) | 0x50;
	pb_fix4(raw);
	drop4(t_pool, n, DROP_BAD_VERSION);
}
END_TEST

/* IHL under 5, or a Total Length shorter than the header. */
START_TEST(test_4to6_drop_bad_header)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = udp(4);
	size_t		n;

	n = pb_build4(raw, &i4, &l);
	raw[0] = 0x44;
	drop4(t_pool, n, DROP_BAD_HEADER);
	n = pb_build4(raw, &i4, &l);
	raw[2] = 0;
	raw[3] = 19;
	pb_fix4(raw);
	drop4(t_pool, n, DROP_BAD_HEADER);
}
END_TEST

START_TEST(test_4to6_drop_bad_checksum)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = udp(4);
	size_t		n;

	n = pb_build4(raw, &i4, &l);
	raw[11] ^= 0x01;
	drop4(t_pool, n, DROP_BAD_CHECKSUM);
	n = pb_build4(raw, &i4, &l);
	raw[8]--;			/* TTL changed, checksum not */
	drop4(t_pool, n, DROP_BAD_CHECKSUM);
}
END_TEST

/* Without pool6, an address outside every EAM entry has no mapping. */
START_TEST(test_4to6_drop_unmapped)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = udp(4);

	drop4(t_eam, pb_build4(raw, &i4, &l), DROP_SRC_UNMAPPED);
	i4 = ip4_back();
	drop4(t_eam, pb_build4(raw, &i4, &l), DROP_DST_UNMAPPED);
	i4.dst = "198.51.101.10";
	drop4(t_eam, pb_build4(raw, &i4, &l), DROP_DST_UNMAPPED);
}
END_TEST

static void
deny(struct config_instance *c)
{
	static struct prefix4	d[1];

	prefix4("203.0.113.0/28", &d[0]);
	c->deny4 = d;
	c->ndeny4 = 1;
}

/*
 * RFC 7915 4.1 / RFC 6890: this network, loopback, link-local, multicast
 * and reserved addresses are never translated, nor what the operator
 * denies.
 */
START_TEST(test_4to6_drop_untranslatable)
{
	static const char	*bad[] = {
		"0.1.2.3", "127.0.0.1", "169.254.1.1", "224.0.0.5",
		"239.1.2.3", "240.0.0.1", "255.255.255.255"
	};
	struct tables		*t;
	struct pb_ip4		 i4;
	struct pb_ip6		 i6;
	struct pb_l4		 l = udp(4);
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		i4 = ip4_out();
		i4.src = bad[i];
		drop4(t_pool, pb_build4(raw, &i4, &l), DROP_UNTRANSLATABLE);
		i4 = ip4_back();
		i4.dst = bad[i];
		drop4(t_pool, pb_build4(raw, &i4, &l), DROP_UNTRANSLATABLE);
	}
	t = mk_tables(POOL6, true, deny);
	i4 = ip4_out();
	drop4(t, pb_build4(raw, &i4, &l), DROP_UNTRANSLATABLE);
	i4.src = "203.0.113.16";		/* just past the /28 */
	i6 = ip6_out();
	i6.src = "2001:db8:64::cb00:7110";
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &i6, &l));
	tables_free(t);
}
END_TEST

START_TEST(test_4to6_drop_ttl_zero)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = udp(4);

	i4.ttl = 0;
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_TTL_EXPIRED);
}
END_TEST

/* ICMPv6 numbering inside IPv4, and IGMP (RFC 7915 4.2), are dropped. */
START_TEST(test_4to6_drop_protocol)
{
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = { .proto = IPPROTO_ICMPV6, .paylen = 28 };

	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_PROTOCOL);
	l.proto = IPPROTO_IGMP;
	drop4(t_pool, pb_build4(raw, &i4, &l), DROP_PROTOCOL);
}
END_TEST

/*
 * RFC 7915 5.1: IPv6 -> IPv4 header.
 */

/*
 * Version 4, IHL 5, TOS from Traffic Class, Total Length = 20 + Payload
 * Length, MF and offset 0, TTL from Hop Limit, a valid header checksum.
 * The Flow Label is dropped.
 */
START_TEST(test_6to4_header_fields)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(100);

	i6.tclass = 0x2e;
	i6.flow = 0xabcde;
	i6.hlim = 3;
	i4.tos = 0x2e;
	i4.ttl = 3;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/* "... SHOULD provide the ability to ... set the TOS to a value." */
START_TEST(test_6to4_tos_zero_without_copy_tos)
{
	struct tables	*t = mk_tables(POOL6, true, no_copy_tos);
	struct pb_ip6	 i6 = ip6_back();
	struct pb_ip4	 i4 = ip4_back();
	struct pb_l4	 l = udp(10);

	i6.tclass = 0xff;
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	tables_free(t);
}
END_TEST

/* "If the size of the translated IPv4 packet is <= 1260, DF is zero." */
START_TEST(test_6to4_df_clear_up_to_1260)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(1260 - 28);
	size_t		wn;

	wn = pb_build4(want, &i4, &l);
	ck_assert_uint_eq(wn, 1260);
	run_6to4(t_pool, pb_build6(raw, &i6, &l), wn);
}
END_TEST

/* "... otherwise, it is set to one." */
START_TEST(test_6to4_df_set_above_1260)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(1261 - 28);

	i4.frag = 0x4000;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	l = udp(MTU - 28);
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/*
 * "Identification: Set according to a Fragment Identification generator
 * at the translator."  A packet with DF clear may be fragmented on the
 * IPv4 side, so two packets of one flow must not share it (RFC 6864 4.1).
 */
START_TEST(test_6to4_identification_differs_per_packet)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 129, 56), l4;
	uint16_t	id1, id2;

	l4 = as_icmp4(l);
	id1 = run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4,
	    &l4));
	l.seq = l4.seq = 2;
	id2 = run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4,
	    &l4));
	ck_assert_uint_ne(id1, id2);
}
END_TEST

/* Bytes past Payload Length are not part of the packet. */
START_TEST(test_6to4_bytes_past_payload_length_are_cut)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = tcp(5);
	size_t		n;

	n = pb_build6(raw, &i6, &l);
	memset(raw + n, 0xaa, 3);
	run_6to4(t_pool, n + 3, pb_build4(want, &i4, &l));
}
END_TEST

/* The IPv6 client side is EAM, the destination pool6, and vice versa. */
START_TEST(test_6to4_eam_and_pool6_either_way)
{
	struct pb_ip6	i6 = ip6_out();
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = tcp(40);

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	i6.src = "2001:db8:7::48";
	i4.src = "198.51.100.200";
	i6.dst = "2001:db8:ea::1";
	i4.dst = "192.0.2.1";
	run_6to4(t_eam, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/* RFC 6052 2.2 at /64: the IPv4 address is read around the u octet. */
START_TEST(test_6to4_pool6_slash_64)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(9);

	i6.src = "2001:db8:122:344:c0:2:2100:0";
	i6.dst = "2001:db8:122:344:c6:3364:a00:0";
	i4.src = "192.0.2.33";
	i4.dst = "198.51.100.10";
	run_6to4(t_p64, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/* RFC 6052 3.1, the other way. */
START_TEST(test_6to4_wkp_carries_global_addresses_only)
{
	struct tables	*t = mk_tables("64:ff9b::/96", true, wkp);
	struct pb_ip6	 i6 = ip6_back();
	struct pb_ip4	 i4 = ip4_back();
	struct pb_l4	 l = udp(12);

	i6.dst = "64:ff9b::cb00:7105";
	drop6(t, pb_build6(raw, &i6, &l), DROP_DST_UNMAPPED);
	i6.dst = "64:ff9b::b00:1";
	i4.dst = "11.0.0.1";
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	tables_free(t);
	t = mk_tables("64:ff9b::/96", true, wkp_any);
	i6.dst = "64:ff9b::cb00:7105";
	i4.dst = CLIENT4;
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	tables_free(t);
}
END_TEST

START_TEST(test_6to4_exactly_mtu_passes)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = tcp(MTU - 40);

	i4.frag = 0x4000;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/*
 * IPv6 routers do not fragment: a packet too big for the IPv4 side is
 * answered with Packet Too Big, its MTU the IPv4 MTU plus 20, quoting as
 * much of the packet as fits in 1280 bytes (RFC 4443 2.4).
 */
START_TEST(test_6to4_too_big_gets_packet_too_big)
{
	struct pb_ip6	i6 = ip6_back(), r6;
	struct pb_l4	l = tcp(MTU - 40 + 1), e;
	size_t		n;

	n = pb_build6(raw, &i6, &l);
	memcpy(inner, raw, 1280 - 48);
	r6 = (struct pb_ip6){ .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	e = icmp_err(IPPROTO_ICMPV6, 2, 0, MTU + 20, inner, 1280 - 48);
	xlate(siit_6to4, t_pool, n, VERDICT_REPLY, DROP_TOO_BIG,
	    pb_build6(want, &r6, &e));
}
END_TEST

/* "Protocol: ... otherwise copied" (SCTP, GRE: no pseudo-header). */
START_TEST(test_6to4_other_protocols_are_copied)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = { .proto = 132, .paylen = 28 };

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	l.proto = 47;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/*
 * Hop-by-Hop Options, Destination Options and a Routing header with no
 * segments left are not translated: the IPv4 packet carries what follows
 * them, and the pseudo-header counts only that.
 */
START_TEST(test_6to4_extension_headers_are_skipped)
{
	static const uint8_t	ext[32] = {
		IPPROTO_DSTOPTS, 0, 0x01, 0x04, 0, 0, 0, 0,	/* HBH */
		IPPROTO_ROUTING, 1, 0x01, 0x0c, 0, 0, 0, 0,	/* DST, 16 */
		0, 0, 0, 0, 0, 0, 0, 0,
		IPPROTO_UDP, 0, 4, 0, 0, 0, 0, 0		/* RH, SL 0 */
	};
	struct pb_ip6		i6 = ip6_back();
	struct pb_ip4		i4 = ip4_back();
	struct pb_l4		l = udp(30);

	i6.ext = ext;
	i6.extlen = sizeof ext;
	i6.ext_nh = IPPROTO_HOPOPTS;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/*
 * "If a Routing header with a non-zero Segments Left field is present,
 * then the packet MUST NOT be translated, and an ICMPv6 Parameter
 * Problem (4/0) ... with the Pointer ... indicating the first byte of the
 * Segments Left field, SHOULD be returned to the sender."
 */
START_TEST(test_6to4_routing_header_in_use_is_refused)
{
	static const uint8_t	rh[8] = {
		IPPROTO_UDP, 0, 4, 1, 0, 0, 0, 0		/* SL 1 */
	};
	struct pb_ip6		i6 = ip6_back(), r6;
	struct pb_l4		l = udp(30), e;
	size_t			n;

	i6.ext = rh;
	i6.extlen = sizeof rh;
	i6.ext_nh = IPPROTO_ROUTING;
	n = pb_build6(raw, &i6, &l);
	memcpy(inner, raw, n);
	r6 = (struct pb_ip6){ .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	e = icmp_err(IPPROTO_ICMPV6, 4, 0, 40 + 3, inner, n);
	xlate(siit_6to4, t_pool, n, VERDICT_REPLY, DROP_SOURCE_ROUTE,
	    pb_build6(want, &r6, &e));
}
END_TEST

/* One hop given back toward pool6 hosts; none toward EAM ones. */
START_TEST(test_6to4_one_hop_gives_one_back_toward_pool6)
{
	struct tables	*t = mk_tables(POOL6, true, one_hop);
	struct pb_ip6	 i6 = ip6_back();
	struct pb_ip4	 i4 = ip4_back();
	struct pb_l4	 l = udp(5);

	i6.hlim = 9;
	i4.ttl = 10;
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	i6 = ip6_out();
	i4 = ip4_out();
	i6.hlim = i4.ttl = 9;
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	tables_free(t);
}
END_TEST

/*
 * RFC 7915 5.1.1: a Fragment header becomes the IPv4 fragment fields:
 * the low 16 bits of the Identification, MF from M, the offset; DF 0.
 */
START_TEST(test_6to4_fragment_header_becomes_ipv4_fragment)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(300);
	uint8_t		fh[8];
	size_t		len;

	len = pb_l4_6(inner, &i6, &l);
	pb_l4_4(inner2, &i4, &l);
	pb_frag6(fh, IPPROTO_UDP, 0, true, 0x12345678);
	i6.ext = fh;
	i6.extlen = sizeof fh;
	i6.ext_nh = IPPROTO_FRAGMENT;
	i4.id = 0x5678;
	i4.frag = 0x2000;
	run_6to4(t_pool, pb_raw6(raw, &i6, IPPROTO_UDP, inner, 160),
	    pb_raw4(want, &i4, IPPROTO_UDP, inner2, 160));
	ck_assert_uint_eq(want[4] << 8 | want[5], 0x5678);
	/* The last fragment: copied as it is. */
	pb_frag6(fh, IPPROTO_UDP, 20, false, 0x12345678);
	i4.frag = 20;
	run_6to4(t_pool, pb_raw6(raw, &i6, IPPROTO_UDP, inner + 160,
	    len - 160), pb_raw4(want, &i4, IPPROTO_UDP, inner + 160,
	    len - 160));
	ck_assert_uint_eq(want[4] << 8 | want[5], 0x5678);
}
END_TEST

/*
 * RFC 7915 5.2: ICMPv6 -> ICMPv4.
 */

START_TEST(test_6to4_echo_request_becomes_8)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 128, 56), l4 = as_icmp4(l);

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l4));
}
END_TEST

START_TEST(test_6to4_echo_reply_becomes_0)
{
	struct pb_ip6	i6 = ip6_out();
	struct pb_ip4	i4 = ip4_out();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 129, 1), l4 = as_icmp4(l);

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l4));
}
END_TEST

/* As test_4to6_checksum_keeps_carries, the other way. */
START_TEST(test_6to4_checksum_keeps_carries)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 129, 0), l4 = as_icmp4(l);

	i6.dst = "2001:db8:64::cb00:714f";
	i4.dst = "203.0.113.79";
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l4));
}
END_TEST

/*
 * Time Exceeded (3/0 -> 11/0) from an IPv6 router with an EAM mapping,
 * quoting what our IPv4 client sent: the quoted packet becomes IPv4.
 */
START_TEST(test_6to4_time_exceeded_quotes_translated_packet)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(20), e6, e4;
	size_t		n6, n4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q6.hlim = q4.ttl = 1;
	q6.tclass = q4.tos = 0x20;
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 3, 0, 0, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 11, 0, 0, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/*
 * RFC 6791: an error from an IPv6 router that has no IPv4 address takes
 * one from the pool for that (by default the RFC 7600 192.0.0.8).
 */
START_TEST(test_6to4_error_from_unmapped_router_uses_rfc6791)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 128, 16), e6, e4;
	struct pb_l4	l4 = as_icmp4(l);
	size_t		n6, n4;

	i6.src = "2001:db8:ffff::1";
	i4.src = "192.0.0.8";
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l4);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 0, 0, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 3, 1, 0, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/*
 * Packet Too Big (2/0) becomes Fragmentation Needed (3/4), its MTU
 * "minimum(advertised MTU - 20, MTU_of_IPv4_nexthop,
 * (MTU_of_IPv6_nexthop) - 20)"; here both next hops are the tun.
 */
START_TEST(test_6to4_packet_too_big_becomes_frag_needed)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(1200), e6, e4;
	size_t		n6;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, 1400, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, 1380, inner2, 576 - 28);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/* An advertised MTU past what the IPv6 side carries: its MTU less 20. */
START_TEST(test_6to4_packet_too_big_capped_by_ipv6_side)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(100), e6, e4;
	size_t		n6, n4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, 9000, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, MTU - 20, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/*
 * RFC 4884: an ICMPv6 Time Exceeded claims the length of its quote in
 * 64-bit words (byte 4); the quote is cut there, extensions left out.
 */
START_TEST(test_6to4_rfc4884_length_cuts_quote)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(16), e6, e4;
	static const uint8_t	ext[8] = { 0x20, 0, 0, 0, 0, 8, 1, 1 };
	size_t		n6, n4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q6.hlim = q4.ttl = 1;
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);		/* 64 bytes: 8 words */
	n4 = pb_build4(inner2, &q4, &l);
	memset(inner + n6, 0, 128 - n6);
	memcpy(inner + 128, ext, sizeof ext);
	e6 = icmp_err(IPPROTO_ICMPV6, 3, 0, (uint32_t)(n6 / 8) << 24, inner,
	    128 + sizeof ext);
	e4 = icmp_err(IPPROTO_ICMP, 11, 0, 0, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/*
 * Packet Too Big has no RFC 4884 length: byte 4 is the top of its MTU,
 * and an MTU of 2^24 or more must not cut the quote to a few bytes.
 */
START_TEST(test_6to4_packet_too_big_mtu_is_no_length)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(100), e6, e4;
	size_t		n6, n4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, 0x01000000 | 9000, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, MTU - 20, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/*
 * The quoted packet is translated as in 5.1, DF included: a cut-short
 * quote of a 1440-byte packet claims that length, so DF is set.
 */
START_TEST(test_6to4_quoted_packet_follows_df_rule)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(1412), e6, e4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q4.id = 0;
	q4.frag = 0x4000;
	pb_build6(inner, &q6, &l);
	pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 2, 0, 1280, inner, 48);
	e4 = icmp_err(IPPROTO_ICMP, 3, 4, 1260, inner2, 28);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/* Parameter Problem 4/0: the pointer moves (RFC 7915 figure 6). */
START_TEST(test_6to4_param_problem_pointer_moves)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(0), e6, e4;
	size_t		n6, n4;

	i6.src = "2001:db8:6::1";
	i4.src = "198.51.100.1";
	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 4, 0, 7, inner, n6);	/* hops */
	e4 = icmp_err(IPPROTO_ICMP, 12, 0, 8U << 24, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
	e6 = icmp_err(IPPROTO_ICMPV6, 4, 0, 24, inner, n6);	/* dst */
	e4 = icmp_err(IPPROTO_ICMP, 12, 0, 16U << 24, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/* Port Unreachable: 1/4 -> 3/3. */
START_TEST(test_6to4_port_unreachable_becomes_3_3)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_ip4	i4 = ip4_back(), q4 = ip4_out();
	struct pb_l4	l = udp(8), e6, e4;
	size_t		n6, n4;

	q4.id = 0;
	n6 = pb_build6(inner, &q6, &l);
	n4 = pb_build4(inner2, &q4, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 4, 0, inner, n6);
	e4 = icmp_err(IPPROTO_ICMP, 3, 3, 0, inner2, n4);
	run_6to4(t_pool, pb_build6(raw, &i6, &e6), pb_build4(want, &i4, &e4));
}
END_TEST

/* Neighbour discovery, MLD and the like stay on their link. */
START_TEST(test_6to4_other_icmp_is_dropped)
{
	static const uint8_t	types[] = { 130, 131, 133, 134, 135, 136,
	    137, 143 };
	struct pb_ip6		i6 = ip6_back();
	struct pb_l4		l = echo(IPPROTO_ICMPV6, 0, 24);
	size_t			i;

	for (i = 0; i < sizeof types; i++) {
		l.type = types[i];
		drop6(t_pool, pb_build6(raw, &i6, &l), DROP_ICMP_TYPE);
	}
	l.type = 8;				/* an ICMPv4 number */
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_ICMP_TYPE);
}
END_TEST

START_TEST(test_6to4_error_with_bad_checksum_is_dropped)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_l4	l = udp(8), e6;
	size_t		n6, n;

	n6 = pb_build6(inner, &q6, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 4, 0, inner, n6);
	n = pb_build6(raw, &i6, &e6);
	raw[n - 1] ^= 0x01;
	drop6(t_pool, n, DROP_BAD_CHECKSUM);
}
END_TEST

/* An error quoting an error, or a packet with no mapping, is dropped. */
START_TEST(test_6to4_error_with_untranslatable_inner_is_dropped)
{
	struct pb_ip6	i6 = ip6_back(), q6 = ip6_out();
	struct pb_l4	l = udp(8), e6, e6b;
	size_t		n6;

	q6.src = "2001:db8:ffff::1";
	n6 = pb_build6(inner, &q6, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 4, 0, inner, n6);
	drop6(t_pool, pb_build6(raw, &i6, &e6), DROP_ICMP_INNER);
	q6 = ip6_out();
	n6 = pb_build6(inner, &q6, &l);
	e6 = icmp_err(IPPROTO_ICMPV6, 1, 4, 0, inner, n6);
	n6 = pb_build6(inner2, &q6, &e6);
	e6b = icmp_err(IPPROTO_ICMPV6, 3, 0, 0, inner2, n6);
	drop6(t_pool, pb_build6(raw, &i6, &e6b), DROP_ICMP_INNER);
}
END_TEST

START_TEST(test_6to4_fragmented_icmp_is_dropped)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 128, 100);
	uint8_t		fh[8];

	pb_frag6(fh, IPPROTO_ICMPV6, 0, true, 7);
	i6.ext = fh;
	i6.extlen = sizeof fh;
	i6.ext_nh = IPPROTO_FRAGMENT;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_FRAGMENT);
}
END_TEST

/*
 * RFC 7915 5.5: TCP and UDP checksums follow the new pseudo-header.
 */

START_TEST(test_6to4_tcp_checksum_follows_pseudo_header)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = tcp(1);

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	l = tcp(1024);
	l.tcpflags = 0x11;
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

START_TEST(test_6to4_udp_checksum_follows_pseudo_header)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_ip4	i4 = ip4_back();
	struct pb_l4	l = udp(77);

	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
	l = udp(0);
	run_6to4(t_pool, pb_build6(raw, &i6, &l), pb_build4(want, &i4, &l));
}
END_TEST

/*
 * What is not translated.
 */

START_TEST(test_6to4_drop_truncated)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = tcp(0);
	size_t		n;

	n = pb_build6(raw, &i6, &l);
	drop6(t_pool, 39, DROP_TRUNCATED);
	drop6(t_pool, n - 1, DROP_TRUNCATED);	/* Payload Length > data */
	raw[5] = 19;				/* a TCP header cut short */
	drop6(t_pool, n - 1, DROP_TRUNCATED);
	l = echo(IPPROTO_ICMPV6, 128, 0);
	n = pb_build6(raw, &i6, &l);
	raw[5] = 7;
	drop6(t_pool, n - 1, DROP_TRUNCATED);
	l = udp(0);
	n = pb_build6(raw, &i6, &l);
	raw[5] = 0;
	drop6(t_pool, n, DROP_TRUNCATED);
}
END_TEST

START_TEST(test_6to4_drop_bad_version)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = udp(4);
	size_t		n;

	n = pb_build6(raw, &i6, &l);
	raw[0] = (raw[0] & 0x0f) | 0x40;
	drop6(t_pool, n, DROP_BAD_VERSION);
}
END_TEST

/* Outside pool6 and EAM, or in pool6 but not a 6052 address. */
START_TEST(test_6to4_drop_unmapped)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = udp(4);

	i6.src = "2001:db8:ffff::1";
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_SRC_UNMAPPED);
	i6 = ip6_back();
	i6.dst = "2001:db8:65::cb00:7105";
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_DST_UNMAPPED);
	i6 = ip6_back();
	drop6(t_eam, pb_build6(raw, &i6, &l), DROP_DST_UNMAPPED);
	/* RFC 6052 2.2: a non-zero u octet or suffix is not ours. */
	i6.dst = "2001:db8:122:344:c6:3364:a00:0";
	i6.src = "2001:db8:122:344:1c0:2:2100:0";
	drop6(t_p64, pb_build6(raw, &i6, &l), DROP_SRC_UNMAPPED);
	i6.src = "2001:db8:122:344:c0:2:2100:1";
	drop6(t_p64, pb_build6(raw, &i6, &l), DROP_SRC_UNMAPPED);
}
END_TEST

/* Hop-by-Hop Options anywhere but first, or a chain cut short. */
START_TEST(test_6to4_drop_bad_extension_headers)
{
	static const uint8_t	ext[16] = {
		IPPROTO_HOPOPTS, 0, 0x01, 0x04, 0, 0, 0, 0,	/* DST */
		IPPROTO_UDP, 0, 0x01, 0x04, 0, 0, 0, 0		/* HBH */
	};
	static const uint8_t	cut[8] = {
		IPPROTO_UDP, 4, 0x01, 0x04, 0, 0, 0, 0	/* 40 long */
	};
	struct pb_ip6		i6 = ip6_back();
	struct pb_l4		l = udp(4);

	i6.ext = ext;
	i6.extlen = sizeof ext;
	i6.ext_nh = IPPROTO_DSTOPTS;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_EXT_HEADER);
	i6.ext = cut;
	i6.extlen = sizeof cut;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_EXT_HEADER);
}
END_TEST

START_TEST(test_6to4_drop_protocol)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = { .proto = 59, .paylen = 0 };	/* none */

	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_PROTOCOL);
	l.proto = 135;					/* mobility */
	l.paylen = 8;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_PROTOCOL);
	/* ICMPv4 numbering inside IPv6 means nothing. */
	l.proto = IPPROTO_ICMP;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_PROTOCOL);
	l.type = 8;			/* even as an "echo request" */
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_PROTOCOL);
}
END_TEST

START_TEST(test_6to4_drop_hop_limit_zero)
{
	struct pb_ip6	i6 = ip6_back();
	struct pb_l4	l = udp(4);

	i6.hlim = 0;
	drop6(t_pool, pb_build6(raw, &i6, &l), DROP_TTL_EXPIRED);
}
END_TEST

/* Unspecified, loopback, link-local and multicast never cross. */
START_TEST(test_6to4_drop_untranslatable)
{
	static const char	*bad[] = {
		"::", "::1", "fe80::1", "ff02::1", "ff0e::101"
	};
	struct pb_ip6		i6;
	struct pb_l4		l = udp(4);
	size_t			i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		i6 = ip6_back();
		i6.src = bad[i];
		drop6(t_pool, pb_build6(raw, &i6, &l), DROP_UNTRANSLATABLE);
		i6 = ip6_back();
		i6.dst = bad[i];
		drop6(t_pool, pb_build6(raw, &i6, &l), DROP_UNTRANSLATABLE);
	}
}
END_TEST

/*
 * Oracle: random packets of every kind, random lengths (odd ones too) and
 * random header values, both ways, against packets built independently.
 */

static void
random_l4(struct pb_l4 *l, uint8_t *pay, int v6)
{
	size_t	i;

	memset(l, 0, sizeof *l);
	switch (random() % 4) {
	case 0:
		l->proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l->type = random() % 2 ? (v6 ? 128 : 8) : (v6 ? 129 : 0);
		break;
	case 1:
		l->proto = IPPROTO_TCP;
		break;
	default:
		l->proto = IPPROTO_UDP;
		l->udp_nocsum = !v6 && random() % 2;
		break;
	}
	l->id = (uint16_t)random();
	l->seq = (uint16_t)random();
	l->sport = (uint16_t)random();
	l->dport = (uint16_t)random();
	l->tcpseq = (uint32_t)random();
	l->tcpack = (uint32_t)random();
	l->tcpflags = (uint8_t)random();
	l->paylen = (size_t)random() % (MTU - 60);
	for (i = 0; i < l->paylen; i++)
		pay[i] = (uint8_t)random();
	l->payload = pay;
}

START_TEST(test_random_4to6_matches_oracle)
{
	static uint8_t	pay[MTU];
	struct pb_ip4	i4;
	struct pb_ip6	i6;
	struct pb_l4	l, l6;
	char		s4[INET_ADDRSTRLEN], s6[INET6_ADDRSTRLEN];
	uint8_t		a[4], fh[8];
	size_t		wn;
	int		n;

	srandom(7915);
	for (n = 0; n < 3000; n++) {
		random_l4(&l, pay, 0);
		l6 = l;
		l6.udp_nocsum = false;
		if (l.proto == IPPROTO_ICMP)
			l6 = as_icmp6(l);
		i4 = ip4_out();
		i6 = ip6_out();
		i4.tos = i6.tclass = (uint8_t)random();
		i4.ttl = i6.hlim = (uint8_t)(1 + random() % 255);
		i4.id = (uint16_t)random();
		i4.frag = random() % 2 ? 0x4000 : 0;
		/* Any client address: pool6 embeds it. */
		a[0] = 203;
		a[1] = 0;
		a[2] = 113;
		a[3] = (uint8_t)(1 + random() % 254);
		inet_ntop(AF_INET, a, s4, sizeof s4);
		snprintf(s6, sizeof s6, "2001:db8:64::cb00:71%02x", a[3]);
		i4.src = s4;
		i6.src = s6;
		wn = pb_build6(want, &i6, &l6);
		if (i4.frag == 0 && wn > 1280) {
			/* RFC 7915 4: to be cut to 1280 by the caller. */
			pb_frag6(fh, l6.proto, 0, false, i4.id);
			i6.ext = fh;
			i6.extlen = sizeof fh;
			i6.ext_nh = IPPROTO_FRAGMENT;
			frag_4to6(t_pool, pb_build4(raw, &i4, &l),
			    pb_build6(want, &i6, &l6));
		} else
			run_4to6(t_pool, pb_build4(raw, &i4, &l), wn);
	}
}
END_TEST

START_TEST(test_random_6to4_matches_oracle)
{
	static uint8_t	pay[MTU];
	struct pb_ip4	i4;
	struct pb_ip6	i6;
	struct pb_l4	l, l4;
	size_t		wn;
	int		n;

	srandom(6145);
	for (n = 0; n < 3000; n++) {
		random_l4(&l, pay, 1);
		l4 = l;
		if (l.proto == IPPROTO_ICMPV6)
			l4 = as_icmp4(l);
		i6 = ip6_back();
		i4 = ip4_back();
		i6.tclass = i4.tos = (uint8_t)random();
		i6.hlim = i4.ttl = (uint8_t)(1 + random() % 255);
		i6.flow = (uint32_t)random();
		wn = pb_build4(want, &i4, &l4);
		if (wn > 1260) {
			i4.frag = 0x4000;
			wn = pb_build4(want, &i4, &l4);
		}
		run_6to4(t_pool, pb_build6(raw, &i6, &l), wn);
	}
}
END_TEST

/* IPv4 -> IPv6 -> IPv4 gives the packet back, but for ID and flags. */
START_TEST(test_round_trip_restores_ipv4)
{
	static uint8_t		pay[MTU], orig[PB_BUFSIZE];
	struct pb_ip4		i4;
	struct pb_l4		l;
	struct pkt		p;
	enum drop_reason	why;
	size_t			n;
	int			k;

	srandom(2765);
	for (k = 0; k < 1000; k++) {
		random_l4(&l, pay, 0);
		l.udp_nocsum = false;
		i4 = ip4_out();
		i4.tos = (uint8_t)random();
		i4.ttl = (uint8_t)(1 + random() % 255);
		i4.frag = 0x4000;
		n = pb_build4(orig, &i4, &l);
		pb_load(&buf, &p, orig, n);
		ck_assert_int_eq(siit_4to6(t_pool, &p, &why), VERDICT_FORWARD);
		ck_assert_int_eq(siit_6to4(t_pool, &p, &why), VERDICT_FORWARD);
		ck_assert_uint_eq(p.len, n);
		memcpy(orig + 4, p.data + 4, 4);	/* ID, flags */
		pb_fix4(orig);
		ck_assert_mem_eq(p.data, orig, n);
	}
}
END_TEST

/*
 * Mangled packets: valid ones of every kind, ICMP errors included, cut
 * short or with random bytes changed.  Whatever the verdict, nothing is
 * read or written outside the buffer (built with a sanitizer, the buffer
 * ends where the packet does), and what leaves fits the buffer.
 */
START_TEST(test_mangled_packets_stay_in_bounds)
{
	static uint8_t		 pay[MTU];
	struct pb_ip4		 i4 = ip4_out(), q4 = ip4_back();
	struct pb_ip6		 i6 = ip6_out(), q6 = ip6_back();
	struct pb_l4		 l, e;
	struct pkt		 p;
	enum drop_reason	 why;
	enum verdict		 v;
	uint8_t			*mem;
	size_t			 n, k, cut;
	int			 i, v6;

	srandom(1812);
	for (i = 0; i < 20000; i++) {
		v6 = i % 2;
		random_l4(&l, pay, v6);
		l.paylen %= 200;
		if (random() % 3 == 0) {
			/* An error quoting a packet of the other way. */
			if (v6) {
				n = pb_build6(inner, &q6, &l);
				e = icmp_err(IPPROTO_ICMPV6, 1 + random() % 4,
				    random() % 5, 0, inner, n);
				n = pb_build6(raw, &i6, &e);
			} else {
				n = pb_build4(inner, &q4, &l);
				e = icmp_err(IPPROTO_ICMP, 3 + 8 *
				    (random() % 2), random() % 5, 0, inner, n);
				n = pb_build4(raw, &i4, &e);
			}
		} else
			n = v6 ? pb_build6(raw, &i6, &l) :
			    pb_build4(raw, &i4, &l);
		for (k = random() % 4; k > 0; k--)
			raw[random() % n] ^= (uint8_t)(1 + random() % 255);
		if (!v6 && random() % 2 == 0)
			pb_fix4(raw);	/* get past the header checksum */
		cut = random() % 4 == 0 ? (size_t)random() % (n + 1) : n;
		mem = malloc(PKT_HEADROOM + cut);
		ck_assert_ptr_nonnull(mem);
		memcpy(mem + PKT_HEADROOM, raw, cut);
		memset(&p, 0, sizeof p);	/* a finished packet */
		p.data = mem + PKT_HEADROOM;
		p.len = cut;
		p.head = PKT_HEADROOM;
		p.tail = 0;
		v = (v6 ? siit_6to4 : siit_4to6)(t_pool, &p, &why);
		ck_assert(v == VERDICT_FORWARD || v == VERDICT_DROP ||
		    v == VERDICT_REPLY || v == VERDICT_FRAGMENT);
		if (v != VERDICT_DROP) {
			ck_assert(p.data >= mem);
			ck_assert(p.data + p.len <= mem + PKT_HEADROOM + cut);
		}
		free(mem);
	}
}
END_TEST

/*
 * p translated with what a reader learns of its addresses as it reads it
 * (instance.c: tables_prefetch4/6_hint() of the bytes read), and again
 * with nothing known: the same verdict, reason and bytes.
 */
static void
same_with_hint(const struct tables *t, const uint8_t *pkt, size_t n)
{
	static struct pb_buf	 b2;
	struct tables_hint	 h;
	struct pkt		 p, q;
	struct in6_addr		 a6;
	enum drop_reason	 why = DROP_MAX, why2 = DROP_MAX;
	enum verdict		 v, v2;
	uint32_t		 a4;
	int			 v6 = n > 0 && pkt[0] >> 4 == 6;

	memset(&h, 0, sizeof h);
	if (n >= 20 && pkt[0] >> 4 == 4) {
		memcpy(&a4, pkt + 12, 4);
		h.eam[0] = tables_prefetch4_hint(t, a4, &h.hash[0]);
		memcpy(&a4, pkt + 16, 4);
		h.eam[1] = tables_prefetch4_hint(t, a4, &h.hash[1]);
	} else if (n >= 40 && v6) {
		memcpy(&a6, pkt + 8, 16);
		h.eam[0] = tables_prefetch6_hint(t, &a6, &h.hash[0]);
		memcpy(&a6, pkt + 24, 16);
		h.eam[1] = tables_prefetch6_hint(t, &a6, &h.hash[1]);
	}
	pb_load(&buf, &p, pkt, n);
	pb_load(&b2, &q, pkt, n);
	v = v6 ? siit_6to4(t, &p, &why) : siit_4to6(t, &p, &why);
	v2 = v6 ? siit_6to4_hint(t, &q, &h, &why2) :
	    siit_4to6_hint(t, &q, &h, &why2);
	ck_assert_int_eq(v2, v);
	ck_assert_int_eq(why2, why);
	ck_assert_uint_eq(q.len, p.len);
	ck_assert_uint_eq(q.head, p.head);
	ck_assert_uint_eq(q.tail, p.tail);
	ck_assert_mem_eq(q.data, p.data, p.len);
}

/*
 * The entries of mk_tables() and host entries for 192.0.2.2-255: to
 * 2001:db8:ea::2-ef (enough buckets that a wrong hash finds nothing), and
 * from .240 on to 2001:db8:64::cb00:71f0-ff, in pool6 (RFC 7757: the EAM
 * entry wins).
 */
static void
many_hosts(struct config_instance *c)
{
	static struct config_eam	e[3 + 254];
	struct config_eam		*x;
	char				s4[INET_ADDRSTRLEN];
	char				s6[INET6_ADDRSTRLEN];
	size_t				i;

	memcpy(e, c->eam, c->neam * sizeof *e);
	for (i = 2; i < 256; i++) {
		snprintf(s4, sizeof s4, "192.0.2.%zu", i);
		if (i < 240)
			snprintf(s6, sizeof s6, "2001:db8:ea::%zx", i);
		else
			snprintf(s6, sizeof s6, "2001:db8:64::cb00:71%zx", i);
		x = &e[c->neam];
		memset(x, 0, sizeof *x);
		prefix4(s4, &x->p4);
		prefix6(s6, &x->p6);
		x->line = (int)c->neam + 1;
		x->index = (int)c->neam;
		c->neam++;
	}
	c->eam = e;
}

/*
 * The hints the reader passes change nothing: random packets of every
 * kind, between addresses of every sort (EAM hosts and prefixes, nested
 * ones, pool6, unmapped, untranslatable), mangled now and then, through
 * tables with and without pool6 and EAM, small and larger.
 */
START_TEST(test_hint_changes_no_byte)
{
	static const char	*a4[] = {
		CLIENT4, SERVER4, "198.51.100.200", "192.0.2.1",
		"203.0.113.77", "100.64.0.1", "127.0.0.1", NULL,
	};
	static const char	*a6[] = {
		CLIENT6, SERVER6, "2001:db8:7::c8", "2001:db8:ea::1",
		"2001:db8:64::cb00:714d", "2001:db8:122:344:cb:0:7100:0",
		"2001:db8:65::1", "fe80::1", "2001:db8:6::1:a", NULL,
	};
	static uint8_t		 pay[MTU];
	struct tables		*many = mk_tables(POOL6, true, many_hosts);
	const struct tables	*ts[4] = { t_pool, t_eam, t_p64, many };
	struct pb_ip4		 i4 = ip4_out();
	struct pb_ip6		 i6 = ip6_out();
	struct pb_l4		 l;
	char			 h4[2][INET_ADDRSTRLEN];
	char			 h6[2][INET6_ADDRSTRLEN];
	const char		*x[2];
	size_t			 n, k, j;
	int			 i, v6;

	srandom(7757);
	for (i = 0; i < 40000; i++) {
		v6 = i % 2;
		random_l4(&l, pay, v6);
		l.paylen %= 300;
		/* The last of each list: an EAM host of many_hosts(). */
		for (j = 0; j < 2; j++) {
			snprintf(h4[j], sizeof h4[j], "192.0.2.%ld",
			    random() % 256);
			if (random() % 2)
				snprintf(h6[j], sizeof h6[j],
				    "2001:db8:ea::%lx", random() % 256);
			else
				snprintf(h6[j], sizeof h6[j],
				    "2001:db8:64::cb00:71%02lx",
				    random() % 256);
			k = v6 ? random() % (sizeof a6 / sizeof a6[0]) :
			    random() % (sizeof a4 / sizeof a4[0]);
			x[j] = v6 ? (a6[k] != NULL ? a6[k] : h6[j]) :
			    (a4[k] != NULL ? a4[k] : h4[j]);
		}
		if (v6) {
			i6.src = x[0];
			i6.dst = x[1];
			i6.hlim = (uint8_t)random();
			n = pb_build6(raw, &i6, &l);
		} else {
			i4.src = x[0];
			i4.dst = x[1];
			i4.ttl = (uint8_t)random();
			i4.frag = random() % 2 ? 0x4000 : 0;
			n = pb_build4(raw, &i4, &l);
		}
		if (random() % 4 == 0) {
			for (k = random() % 3 + 1; k > 0; k--)
				raw[random() % n] ^= (uint8_t)(1 + random() %
				    255);
			if (!v6)
				pb_fix4(raw);
		}
		same_with_hint(ts[random() % 4], raw, n);
	}
	tables_free(many);
}
END_TEST

/*
 * EAM entries in refused space: 127.0.0.2 and a deny list entry inside
 * the 198.51.100.0/24 one.
 */
static void
eam_refused(struct config_instance *c)
{
	static struct config_eam	e[4];
	static struct prefix4		d[1];

	memcpy(e, c->eam, c->neam * sizeof *e);
	memset(&e[c->neam], 0, sizeof e[0]);
	prefix4("127.0.0.2", &e[c->neam].p4);
	prefix6("2001:db8:ea::7f:2", &e[c->neam].p6);
	e[c->neam].line = (int)c->neam + 1;
	e[c->neam].index = (int)c->neam;
	c->eam = e;
	c->neam++;
	prefix4("198.51.100.16/28", &d[0]);
	c->deny4 = d;
	c->ndeny4 = 1;
}

/*
 * An address an EAM entry maps is still refused when it is one never
 * translated or a denied one, by the fast paths too, with or without
 * what the reader learnt: tables whose entries reach such space say so.
 */
START_TEST(test_eam_does_not_make_refused_translatable)
{
	struct tables	*t = mk_tables(POOL6, true, eam_refused);
	struct pb_ip4	 i4 = ip4_back(), o4 = ip4_back();
	struct pb_ip6	 i6 = ip6_back(), o6 = ip6_back();
	struct pb_l4	 l = udp(4);
	size_t		 n;

	ck_assert(!t->eam4_clean);
	ck_assert(t_pool->eam4_clean);
	i4.src = "127.0.0.2";
	n = pb_build4(raw, &i4, &l);
	drop4(t, n, DROP_UNTRANSLATABLE);
	same_with_hint(t, raw, n);
	i4.src = "198.51.100.20";		/* denied, in the /24 */
	n = pb_build4(raw, &i4, &l);
	drop4(t, n, DROP_UNTRANSLATABLE);
	same_with_hint(t, raw, n);
	i6.src = "2001:db8:ea::7f:2";
	n = pb_build6(raw, &i6, &l);
	drop6(t, n, DROP_UNTRANSLATABLE);
	same_with_hint(t, raw, n);
	i6.src = "2001:db8:6::14";		/* 198.51.100.20 */
	n = pb_build6(raw, &i6, &l);
	drop6(t, n, DROP_UNTRANSLATABLE);
	same_with_hint(t, raw, n);
	/* Next to the denied /28, the same entry translates, both ways. */
	i6.src = "2001:db8:6::20";
	o4.src = "198.51.100.32";
	run_6to4(t, pb_build6(raw, &i6, &l), pb_build4(want, &o4, &l));
	i4.src = "198.51.100.32";
	o6.src = "2001:db8:6::20";
	run_4to6(t, pb_build4(raw, &i4, &l), pb_build6(want, &o6, &l));
	tables_free(t);
}
END_TEST

/*
 * RFC 7757 4.2: an EAM host writing to another EAM host by its IPv4
 * address in pool6 reaches it from its own IPv4 address in pool6, so the
 * reply comes back through the translator to the address it wrote to.
 * The packet stays IPv6 (ICMPv6 echo and UDP, checksums refitted).
 */
START_TEST(test_6to4_hairpin_between_eam_hosts)
{
	struct pb_ip6	i6 = { .src = SERVER6, .dst = "2001:db8:64::c000:201",
			    .hlim = 30 };
	struct pb_ip6	o6 = { .src = "2001:db8:64::c633:640a",
			    .dst = "2001:db8:ea::1", .hlim = 30 };
	struct pb_l4	u = udp(77), e = as_icmp6(echo(IPPROTO_ICMPV6, 128,
			    40));

	xlate(siit_6to4, t_pool, pb_build6(raw, &i6, &u),
	    VERDICT_FORWARD, DROP_MAX, pb_build6(want, &o6, &u));
	xlate(siit_6to4, t_pool, pb_build6(raw, &i6, &e),
	    VERDICT_FORWARD, DROP_MAX, pb_build6(want, &o6, &e));
}
END_TEST

static Suite *
siit_suite(void)
{
	Suite	*s = suite_create("siit");
	TCase	*tc;

#define TC(name)	do {						\
	tc = tcase_create(name);					\
	tcase_add_checked_fixture(tc, setup, teardown);			\
	suite_add_tcase(s, tc);						\
} while (0)

	TC("rfc7915-4.1");
	tcase_add_test(tc, test_4to6_header_fields);
	tcase_add_test(tc, test_4to6_traffic_class_zero_without_copy_tos);
	tcase_add_test(tc, test_4to6_df_and_id_are_not_carried);
	tcase_add_test(tc, test_4to6_options_are_dropped);
	tcase_add_test(tc, test_4to6_expired_source_route_is_ignored);
	tcase_add_test(tc, test_4to6_unexpired_source_route_is_refused);
	tcase_add_test(tc, test_4to6_bytes_past_total_length_are_cut);
	tcase_add_test(tc, test_4to6_other_protocols_are_copied);
	tcase_add_test(tc, test_4to6_eam_source_and_pool6_destination);
	tcase_add_test(tc, test_4to6_eam_longest_prefix_wins);
	tcase_add_test(tc, test_4to6_eam_host_entry);
	tcase_add_test(tc, test_4to6_pool6_slash_64_skips_u_octet);
	tcase_add_test(tc, test_4to6_wkp_carries_global_addresses_only);
	tcase_add_test(tc, test_4to6_one_hop_gives_one_back_toward_eam);
	tcase_add_test(tc, test_4to6_df_packet_of_mtu_passes);
	tcase_add_test(tc, test_4to6_df_packet_too_big_gets_frag_needed);
	tcase_add_test(tc, test_4to6_large_df_clear_gets_fragment_header);
	tcase_add_test(tc, test_4to6_first_fragment_gets_fragment_header);
	tcase_add_test(tc, test_4to6_later_fragment_is_copied);

	TC("rfc7915-4.2");
	tcase_add_test(tc, test_4to6_echo_request_becomes_128);
	tcase_add_test(tc, test_4to6_echo_reply_becomes_129);
	tcase_add_test(tc, test_4to6_echo_odd_payload);
	tcase_add_test(tc, test_4to6_checksum_keeps_carries);
	tcase_add_test(tc, test_4to6_port_unreachable_quotes_translated_packet);
	tcase_add_test(tc, test_4to6_time_exceeded_quotes_echo);
	tcase_add_test(tc, test_4to6_rfc4884_length_cuts_quote);
	tcase_add_test(tc, test_4to6_quoted_packet_cut_short);
	tcase_add_test(tc, test_4to6_frag_needed_becomes_packet_too_big);
	tcase_add_test(tc, test_4to6_param_problem_pointer_moves);
	tcase_add_test(tc,
	    test_4to6_protocol_unreachable_becomes_param_problem);
	tcase_add_test(tc, test_4to6_other_icmp_is_dropped);
	tcase_add_test(tc, test_4to6_error_quoting_unmapped_packet_is_dropped);
	tcase_add_test(tc, test_4to6_error_with_bad_checksum_is_dropped);
	tcase_add_test(tc, test_4to6_fragmented_icmp_is_dropped);

	TC("rfc7915-4.5");
	tcase_add_test(tc, test_4to6_tcp_checksum_follows_pseudo_header);
	tcase_add_test(tc, test_4to6_udp_checksum_follows_pseudo_header);
	tcase_add_test(tc, test_4to6_udp_zero_checksum_is_computed);
	tcase_add_test(tc, test_4to6_udp_zero_checksum_dropped_when_it_must_be);
	tcase_add_test(tc, test_4to6_udp_checksum_never_becomes_zero);

	TC("rfc7915-4-drops");
	tcase_add_test(tc, test_4to6_drop_truncated);
	tcase_add_test(tc, test_4to6_drop_bad_version);
	tcase_add_test(tc, test_4to6_drop_bad_header);
	tcase_add_test(tc, test_4to6_drop_bad_checksum);
	tcase_add_test(tc, test_4to6_drop_unmapped);
	tcase_add_test(tc, test_4to6_drop_untranslatable);
	tcase_add_test(tc, test_4to6_drop_ttl_zero);
	tcase_add_test(tc, test_4to6_drop_protocol);

	TC("rfc7915-5.1");
	tcase_add_test(tc, test_6to4_header_fields);
	tcase_add_test(tc, test_6to4_tos_zero_without_copy_tos);
	tcase_add_test(tc, test_6to4_df_clear_up_to_1260);
	tcase_add_test(tc, test_6to4_df_set_above_1260);
	tcase_add_test(tc, test_6to4_identification_differs_per_packet);
	tcase_add_test(tc, test_6to4_bytes_past_payload_length_are_cut);
	tcase_add_test(tc, test_6to4_eam_and_pool6_either_way);
	tcase_add_test(tc, test_6to4_pool6_slash_64);
	tcase_add_test(tc, test_6to4_wkp_carries_global_addresses_only);
	tcase_add_test(tc, test_6to4_hairpin_between_eam_hosts);
	tcase_add_test(tc, test_6to4_exactly_mtu_passes);
	tcase_add_test(tc, test_6to4_too_big_gets_packet_too_big);
	tcase_add_test(tc, test_6to4_other_protocols_are_copied);
	tcase_add_test(tc, test_6to4_extension_headers_are_skipped);
	tcase_add_test(tc, test_6to4_routing_header_in_use_is_refused);
	tcase_add_test(tc, test_6to4_one_hop_gives_one_back_toward_pool6);

	TC("rfc7915-5.1.1");
	tcase_add_test(tc, test_6to4_fragment_header_becomes_ipv4_fragment);

	TC("rfc7915-5.2");
	tcase_add_test(tc, test_6to4_echo_request_becomes_8);
	tcase_add_test(tc, test_6to4_echo_reply_becomes_0);
	tcase_add_test(tc, test_6to4_checksum_keeps_carries);
	tcase_add_test(tc, test_6to4_time_exceeded_quotes_translated_packet);
	tcase_add_test(tc, test_6to4_error_from_unmapped_router_uses_rfc6791);
	tcase_add_test(tc, test_6to4_packet_too_big_becomes_frag_needed);
	tcase_add_test(tc, test_6to4_packet_too_big_capped_by_ipv6_side);
	tcase_add_test(tc, test_6to4_rfc4884_length_cuts_quote);
	tcase_add_test(tc, test_6to4_packet_too_big_mtu_is_no_length);
	tcase_add_test(tc, test_6to4_quoted_packet_follows_df_rule);
	tcase_add_test(tc, test_6to4_param_problem_pointer_moves);
	tcase_add_test(tc, test_6to4_port_unreachable_becomes_3_3);
	tcase_add_test(tc, test_6to4_other_icmp_is_dropped);
	tcase_add_test(tc, test_6to4_error_with_bad_checksum_is_dropped);
	tcase_add_test(tc,
	    test_6to4_error_with_untranslatable_inner_is_dropped);
	tcase_add_test(tc, test_6to4_fragmented_icmp_is_dropped);

	TC("rfc7915-5.5");
	tcase_add_test(tc, test_6to4_tcp_checksum_follows_pseudo_header);
	tcase_add_test(tc, test_6to4_udp_checksum_follows_pseudo_header);

	TC("rfc7915-5-drops");
	tcase_add_test(tc, test_6to4_drop_truncated);
	tcase_add_test(tc, test_6to4_drop_bad_version);
	tcase_add_test(tc, test_6to4_drop_unmapped);
	tcase_add_test(tc, test_6to4_drop_bad_extension_headers);
	tcase_add_test(tc, test_6to4_drop_protocol);
	tcase_add_test(tc, test_6to4_drop_hop_limit_zero);
	tcase_add_test(tc, test_6to4_drop_untranslatable);

	TC("oracle");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_4to6_matches_oracle);
	tcase_add_test(tc, test_random_6to4_matches_oracle);
	tcase_add_test(tc, test_round_trip_restores_ipv4);
	tcase_add_test(tc, test_mangled_packets_stay_in_bounds);
	tcase_add_test(tc, test_hint_changes_no_byte);
	tcase_add_test(tc, test_eam_does_not_make_refused_translatable);
#undef TC
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(siit_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
