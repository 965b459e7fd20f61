/* SPDX-License-Identifier: ISC */
/*
 * check_softwire.c: the lwAFTR (RFC 7596, RFC 2473) and the mesh routes,
 * byte for byte.  Each test builds the packet that goes in and,
 * independently, the one that must come out (pktbuild.c, checksums from
 * full sums), runs sw_4to6 or sw_6to4 and compares.  IPv4 fragments
 * from a shared address go through the reassembly first, as the loop
 * has them do.
 *
 * The bindings: 192.0.2.10 whole to B4_10; 192.0.2.20 shared by 16 port
 * sets (k = 4 after the default offset a = 6), set 1 to B4_21 through
 * BR, set 2 to B4_22 through BR2, set 3 bound to no one.  Mesh routes:
 * 203.0.113.0/24 to PEER1, 203.0.113.128/25 to PEER2.  Our own IPv4
 * address is OWN4; Internet hosts are HOST4.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "pktbuild.h"
#include "reasm.h"
#include "softwire.h"

#define BR		"2001:db8:ffff::1"
#define BR2		"2001:db8:ffff::2"
#define B4_10		"2001:db8:b4::10"
#define B4_21		"2001:db8:b4::21"
#define B4_22		"2001:db8:b4::22"
#define WHOLE4		"192.0.2.10"
#define SHARED4		"192.0.2.20"
#define UNBOUND4	"192.0.2.99"
#define OWN4		"198.51.100.1"
#define HOST4		"198.51.100.77"
#define ROUTER6		"2001:db8:1::1"
#define PEER1		"2001:db8:eeee::1"
#define PEER2		"2001:db8:eeee::2"
#define ISLAND1		"203.0.113.5"		/* behind PEER1 */
#define ISLAND2		"203.0.113.200"		/* behind PEER2 */
/* Ports of 192.0.2.20: A = 1, then the PSID, then j = 5 (RFC 7597 5.1). */
#define PORT_SET1	(1 << 10 | 1 << 6 | 5)
#define PORT_SET2	(1 << 10 | 2 << 6 | 5)
#define PORT_SET3	(1 << 10 | 3 << 6 | 5)
#define MTU6		1500

typedef enum verdict	(*sw_fn)(const struct sw_tables *, struct pkt *,
			    enum drop_reason *);

static struct binding		 blist[3];
static struct in6_addr		 brs[2];
static struct binding_list	 bl = { blist, 3, brs, 2, 3 };
static struct sw_route		 routes[2];
static struct sw_tables		*t_def;

static struct pb_buf	 buf;
static uint8_t		 raw[PB_BUFSIZE], want[PB_BUFSIZE];
static uint8_t		 inner[PB_BUFSIZE], inner2[PB_BUFSIZE];

static void
a6(const char *s, struct in6_addr *a)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, a), 1);
}

static uint32_t
a4(const char *s)
{
	struct in_addr	a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return (a.s_addr);
}

static void
mkbind(struct binding *b, const char *ip, uint8_t k, uint16_t psid,
    const char *b4, uint32_t br)
{
	memset(b, 0, sizeof *b);
	b->ipv4 = a4(ip);
	b->psid_len = k;
	b->psid_offset = k > 0 ? 6 : 0;
	b->psid = psid;
	a6(b4, &b->b4);
	b->br = br;
}

/* The defaults of the tests; tweak changes what a test needs. */
static struct sw_tables *
mk(void (*tweak)(struct sw_settings *))
{
	struct sw_settings	 s;
	struct sw_tables	*t;

	memset(&s, 0, sizeof s);
	a6(BR, &s.br);
	s.has_ipv4 = true;
	s.ipv4 = a4(OWN4);
	s.hairpinning = true;
	s.ipv6_mtu = MTU6;
	s.hop_limit = 64;
	s.unreach4 = SW_UNREACH_HOST;
	s.policy6 = true;
	if (tweak != NULL)
		tweak(&s);
	t = sw_tables_build(&s, &bl, routes, 2);
	ck_assert_ptr_nonnull(t);
	return (t);
}

static void
setup(void)
{
	a6(BR, &brs[0]);
	a6(BR2, &brs[1]);
	mkbind(&blist[0], WHOLE4, 0, 0, B4_10, 0);
	mkbind(&blist[1], SHARED4, 4, 1, B4_21, 0);
	mkbind(&blist[2], SHARED4, 4, 2, B4_22, 1);
	/* Shorter first: the tables must sort them. */
	routes[0].p4.addr = a4("203.0.113.0");
	routes[0].p4.len = 24;
	a6(PEER1, &routes[0].remote);
	routes[1].p4.addr = a4("203.0.113.128");
	routes[1].p4.len = 25;
	a6(PEER2, &routes[1].remote);
	t_def = mk(NULL);
}

static void
teardown(void)
{
	sw_tables_free(t_def);
}

/* ---- packets ------------------------------------------------------------ */

static size_t	policy_err(uint8_t *, const char *, const char *,
		    const uint8_t *, size_t);

static struct pb_l4
udp(uint16_t sport, uint16_t dport, size_t paylen)
{
	struct pb_l4	l = { .proto = IPPROTO_UDP, .sport = sport,
	    .dport = dport, .paylen = paylen, .fill = 0x61 };

	return (l);
}

static struct pb_l4
tcp(uint16_t sport, uint16_t dport, size_t paylen)
{
	struct pb_l4	l = { .proto = IPPROTO_TCP, .sport = sport,
	    .dport = dport, .tcpseq = 0x01020304, .tcpack = 0xa0b0c0d0,
	    .tcpflags = 0x18, .paylen = paylen, .fill = 0x41 };

	return (l);
}

static struct pb_l4
echo(uint8_t proto, uint8_t type, uint16_t id, size_t paylen)
{
	struct pb_l4	l = { .proto = proto, .type = type, .id = id,
	    .seq = 7, .paylen = paylen, .fill = 0x10 };

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

/* An IPv4 packet into out. */
static size_t
v4(uint8_t *out, const char *src, const char *dst, uint8_t ttl,
    uint16_t frag, struct pb_l4 l)
{
	struct pb_ip4	ip = { .src = src, .dst = dst, .ttl = ttl,
	    .id = 0x1234, .frag = frag };

	return (pb_build4(out, &ip, &l));
}

/* The n bytes at in, tunnelled from src to dst into out (RFC 2473). */
static size_t
tun6(uint8_t *out, const char *src, const char *dst, uint8_t tclass,
    const uint8_t *in, size_t n)
{
	struct pb_ip6	ip = { .src = src, .dst = dst, .hlim = 64,
	    .tclass = tclass };

	return (pb_raw6(out, &ip, 4, in, n));
}

/* An ICMPv4 error of ours from OWN4 to dst quoting n bytes at q. */
static size_t
err4(uint8_t *out, const char *dst, uint8_t type, uint8_t code,
    uint32_t word, const uint8_t *q, size_t n)
{
	struct pb_ip4	ip = { .src = OWN4, .dst = dst, .ttl = 64 };
	struct pb_l4	l = icmp_err(IPPROTO_ICMP, type, code, word, q, n);

	if (n > 548)
		l.paylen = 548;
	return (pb_build4(out, &ip, &l));
}

static const char *
reason(enum drop_reason r)
{
	return (r < DROP_MAX ? stats_drop_name(r) : "none");
}

/*
 * Run fn on the n bytes in raw: verdict v, reason r (unless it
 * forwards), and the wn bytes of want.
 */
static struct pkt
run(sw_fn fn, const struct sw_tables *t, size_t n, enum verdict v,
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
	if (v == VERDICT_DROP) {
		ck_assert_mem_eq(buf.mem + PKT_HEADROOM, raw, n);
		return (p);
	}
	if (v == VERDICT_FRAGMENT) {
		/* The translator picks the Identification. */
		ck_assert_uint_ge(p.len, 48);
		ck_assert(memcmp(p.data + 44, "\0\0\0\0", 4) != 0);
		memcpy(want + 44, p.data + 44, 4);
	}
	ck_assert_uint_eq(p.len, wn);
	ck_assert_mem_eq(p.data, want, wn);
	ck_assert_ptr_eq(p.data, buf.mem + p.head);
	ck_assert_uint_eq(p.head + p.len + p.tail, sizeof buf.mem);
	return (p);
}

static void
fwd4(const struct sw_tables *t, size_t n, size_t wn)
{
	run(sw_4to6, t, n, VERDICT_FORWARD, DROP_MAX, wn);
}

static void
fwd6(const struct sw_tables *t, size_t n, size_t wn)
{
	run(sw_6to4, t, n, VERDICT_FORWARD, DROP_MAX, wn);
}

static void
reply4(const struct sw_tables *t, size_t n, enum drop_reason r, size_t wn)
{
	run(sw_4to6, t, n, VERDICT_REPLY, r, wn);
}

static void
reply6(const struct sw_tables *t, size_t n, enum drop_reason r, size_t wn)
{
	run(sw_6to4, t, n, VERDICT_REPLY, r, wn);
}

static void
drop4(const struct sw_tables *t, size_t n, enum drop_reason r)
{
	run(sw_4to6, t, n, VERDICT_DROP, r, 0);
}

static void
drop6(const struct sw_tables *t, size_t n, enum drop_reason r)
{
	run(sw_6to4, t, n, VERDICT_DROP, r, 0);
}

/* ---- RFC 7596 5.2, 8.1: from the Internet to a subscriber --------------- */

/* An address bound whole: any port, to its lwB4, the TTL as it came. */
START_TEST(test_4to6_tcp_to_whole_address)
{
	size_t	n, wn;

	n = v4(raw, HOST4, WHOLE4, 64, 0, tcp(80, 40000, 20));
	wn = v4(inner, HOST4, WHOLE4, 64, 0, tcp(80, 40000, 20));
	wn = tun6(want, BR, B4_10, 0, inner, wn);
	fwd4(t_def, n, wn);
}
END_TEST

/* A shared address: the destination port picks the set, and its BR. */
START_TEST(test_4to6_udp_port_picks_binding)
{
	size_t	n, wn;

	n = v4(raw, HOST4, SHARED4, 50, 0, udp(53, PORT_SET1, 30));
	wn = v4(inner, HOST4, SHARED4, 50, 0, udp(53, PORT_SET1, 30));
	fwd4(t_def, n, tun6(want, BR, B4_21, 0, inner, wn));

	n = v4(raw, HOST4, SHARED4, 50, 0, udp(53, PORT_SET2, 30));
	wn = v4(inner, HOST4, SHARED4, 50, 0, udp(53, PORT_SET2, 30));
	fwd4(t_def, n, tun6(want, BR2, B4_22, 0, inner, wn));
}
END_TEST

/* An echo reply goes by its identifier. */
START_TEST(test_4to6_echo_reply_by_identifier)
{
	size_t	n, wn;

	n = v4(raw, HOST4, SHARED4, 9, 0, echo(IPPROTO_ICMP, 0, PORT_SET2,
	    56));
	wn = v4(inner, HOST4, SHARED4, 9, 0, echo(IPPROTO_ICMP, 0,
	    PORT_SET2, 56));
	fwd4(t_def, n, tun6(want, BR2, B4_22, 0, inner, wn));
}
END_TEST

/* An ICMP error goes by the source port of the packet it quotes. */
START_TEST(test_4to6_icmp_error_by_quoted_source_port)
{
	size_t	q, n, wn;

	q = v4(inner2, SHARED4, HOST4, 1, 0, udp(PORT_SET1, 53, 12));
	n = v4(raw, HOST4, SHARED4, 64, 0, icmp_err(IPPROTO_ICMP, 3, 3, 0,
	    inner2, q));
	wn = v4(inner, HOST4, SHARED4, 64, 0, icmp_err(IPPROTO_ICMP, 3, 3,
	    0, inner2, q));
	fwd4(t_def, n, tun6(want, BR, B4_21, 0, inner, wn));

	/* The quoted packet from someone else: no binding. */
	q = v4(inner2, WHOLE4, HOST4, 1, 0, udp(PORT_SET1, 53, 12));
	n = v4(raw, HOST4, SHARED4, 64, 0, icmp_err(IPPROTO_ICMP, 3, 3, 0,
	    inner2, q));
	drop4(t_def, n, DROP_NO_BINDING);
}
END_TEST

static void
copy_tos(struct sw_settings *s)
{
	s->copy_tos = true;
}

/* RFC 2473 5.1: the traffic class from the inner TOS when asked. */
START_TEST(test_4to6_copy_tos)
{
	struct sw_tables	*t = mk(copy_tos);
	struct pb_ip4		 ip = { .src = HOST4, .dst = WHOLE4,
	    .ttl = 64, .tos = 0xb8 };
	struct pb_l4		 l = udp(1, 2, 3);
	size_t			 n, wn;

	n = pb_build4(raw, &ip, &l);
	wn = pb_build4(inner, &ip, &l);
	fwd4(t, n, tun6(want, BR, B4_10, 0xb8, inner, wn));
	/* And never without. */
	wn = tun6(want, BR, B4_10, 0, inner, wn);
	fwd4(t_def, n, wn);
	sw_tables_free(t);
}
END_TEST

/* Link-layer padding after Total Length goes. */
START_TEST(test_4to6_padding_goes)
{
	size_t	n, wn;

	n = v4(raw, HOST4, WHOLE4, 64, 0, udp(1, 2, 3));
	memset(raw + n, 0, 10);
	wn = v4(inner, HOST4, WHOLE4, 64, 0, udp(1, 2, 3));
	fwd4(t_def, n + 10, tun6(want, BR, B4_10, 0, inner, wn));
}
END_TEST

/* ---- unbound destinations ----------------------------------------------- */

static void
unreach_none(struct sw_settings *s)
{
	s->unreach4 = SW_UNREACH_NONE;
}

static void
unreach_admin(struct sw_settings *s)
{
	s->unreach4 = SW_UNREACH_ADMIN;
}

static void
no_ipv4(struct sw_settings *s)
{
	s->has_ipv4 = false;
}

/* unreach4: none drops, host and admin answer 3/1 and 3/13. */
START_TEST(test_4to6_unreach_policies)
{
	struct sw_tables	*t;
	size_t			 n, wn;

	n = v4(raw, HOST4, UNBOUND4, 64, 0, tcp(80, 40000, 10));
	memcpy(inner, raw, n);
	wn = err4(want, HOST4, 3, 1, 0, inner, n);
	reply4(t_def, n, DROP_NO_BINDING, wn);

	t = mk(unreach_admin);
	wn = err4(want, HOST4, 3, 13, 0, inner, n);
	reply4(t, n, DROP_NO_BINDING, wn);
	sw_tables_free(t);

	t = mk(unreach_none);
	drop4(t, n, DROP_NO_BINDING);
	sw_tables_free(t);

	/* No address of our own: no error. */
	t = mk(no_ipv4);
	drop4(t, n, DROP_NO_BINDING);
	sw_tables_free(t);
}
END_TEST

/* A port in no bound set, or below every set; an error is not answered. */
START_TEST(test_4to6_port_outside_sets)
{
	size_t	n, wn, q;

	n = v4(raw, HOST4, SHARED4, 64, 0, udp(53, PORT_SET3, 10));
	memcpy(inner, raw, n);
	wn = err4(want, HOST4, 3, 1, 0, inner, n);
	reply4(t_def, n, DROP_NO_BINDING, wn);

	n = v4(raw, HOST4, SHARED4, 64, 0, udp(53, 80, 10));
	memcpy(inner, raw, n);
	wn = err4(want, HOST4, 3, 1, 0, inner, n);
	reply4(t_def, n, DROP_NO_BINDING, wn);

	/* RFC 1812 4.3.2.7: no error about an ICMP error. */
	q = v4(inner2, UNBOUND4, HOST4, 1, 0, udp(1, 2, 3));
	n = v4(raw, HOST4, UNBOUND4, 64, 0, icmp_err(IPPROTO_ICMP, 11, 0, 0,
	    inner2, q));
	drop4(t_def, n, DROP_NO_BINDING);
}
END_TEST

/* The quote of an error of ours stops at 576 bytes. */
START_TEST(test_4to6_unreach_quote_is_cut_at_576)
{
	size_t	n, wn;

	n = v4(raw, HOST4, UNBOUND4, 64, 0, udp(1, 2, 1000));
	memcpy(inner, raw, n);
	wn = err4(want, HOST4, 3, 1, 0, inner, n);
	ck_assert_uint_eq(wn, 576);
	reply4(t_def, n, DROP_NO_BINDING, wn);
}
END_TEST

/* ---- echo ---------------------------------------------------------------- */

static void
reply_shared(struct sw_settings *s)
{
	s->reply_shared_echo = true;
}

/* RFC 7596 8.1: to a shared address, dropped or answered by us. */
START_TEST(test_4to6_echo_to_shared_address)
{
	struct sw_tables	*t;
	struct pb_ip4		 ip = { .src = SHARED4, .dst = HOST4,
	    .ttl = 64 };
	struct pb_l4		 l = echo(IPPROTO_ICMP, 0, PORT_SET1, 20);
	size_t			 n, wn;

	n = v4(raw, HOST4, SHARED4, 64, 0, echo(IPPROTO_ICMP, 8, PORT_SET1,
	    20));
	drop4(t_def, n, DROP_SHARED_ECHO);

	t = mk(reply_shared);
	wn = pb_build4(want, &ip, &l);
	reply4(t, n, DROP_SHARED_ECHO, wn);
	sw_tables_free(t);
}
END_TEST

/* To an address bound whole, the subscriber answers. */
START_TEST(test_4to6_echo_to_whole_address_is_forwarded)
{
	size_t	n, wn;

	n = v4(raw, HOST4, WHOLE4, 64, 0, echo(IPPROTO_ICMP, 8, 3, 20));
	wn = v4(inner, HOST4, WHOLE4, 64, 0, echo(IPPROTO_ICMP, 8, 3, 20));
	fwd4(t_def, n, tun6(want, BR, B4_10, 0, inner, wn));
}
END_TEST

/* Our own ipv4-address answers echo, and takes nothing else. */
START_TEST(test_4to6_echo_to_own_address)
{
	struct pb_ip4	ip = { .src = OWN4, .dst = HOST4, .ttl = 64 };
	struct pb_l4	l = echo(IPPROTO_ICMP, 0, 0x4242, 100);
	size_t		n, wn;

	n = v4(raw, HOST4, OWN4, 3, 0, echo(IPPROTO_ICMP, 8, 0x4242, 100));
	wn = pb_build4(want, &ip, &l);
	reply4(t_def, n, DROP_LOCAL, wn);

	n = v4(raw, HOST4, OWN4, 3, 0, udp(1, 2, 3));
	drop4(t_def, n, DROP_LOCAL);

	/* A request with a wrong checksum is not answered. */
	n = v4(raw, HOST4, OWN4, 3, 0, echo(IPPROTO_ICMP, 8, 0x4242, 100));
	raw[n - 1] ^= 0x80;
	drop4(t_def, n, DROP_BAD_CHECKSUM);
}
END_TEST

/* RFC 1624: a reply of zeros carries 0xffff, which verifies, never 0. */
START_TEST(test_4to6_echo_reply_of_zeros)
{
	static const uint8_t	zero[16];
	struct pb_ip4		ip = { .src = OWN4, .dst = HOST4, .ttl = 64 };
	struct pb_l4		l = { .proto = IPPROTO_ICMP, .type = 0,
	    .payload = zero, .paylen = sizeof zero };
	size_t			n, wn;

	wn = pb_build4(want, &ip, &l);
	ck_assert_uint_eq(want[22] << 8 | want[23], 0xffff);
	l.type = 8;
	n = v4(raw, HOST4, OWN4, 3, 0, l);
	reply4(t_def, n, DROP_LOCAL, wn);
}
END_TEST

/* ---- TTL, MTU ------------------------------------------------------------ */

/*
 * The kernel answered a TTL of 1 when it routed the packet into the tun
 * device, and took the hop off: what comes with 1 goes on with 1, even
 * with no address of our own; 0 should not come at all.
 */
START_TEST(test_4to6_ttl_one_goes_on)
{
	struct sw_tables	*t;
	size_t			 n, wn;

	n = v4(raw, HOST4, WHOLE4, 1, 0, udp(1, 2, 30));
	wn = tun6(want, BR, B4_10, 0, raw, n);
	fwd4(t_def, n, wn);

	t = mk(no_ipv4);
	fwd4(t, n, wn);
	sw_tables_free(t);

	n = v4(raw, HOST4, WHOLE4, 0, 0, udp(1, 2, 30));
	drop4(t_def, n, DROP_TTL_EXPIRED);
	n = v4(raw, HOST4, ISLAND1, 0, 0, udp(1, 2, 30));
	drop4(t_def, n, DROP_TTL_EXPIRED);
}
END_TEST

/* Exactly ipv6-mtu fits. */
START_TEST(test_4to6_mtu_exactly)
{
	size_t	n, wn;

	n = v4(raw, HOST4, WHOLE4, 64, 0x4000, udp(1, 2, MTU6 - 40 - 28));
	wn = v4(inner, HOST4, WHOLE4, 64, 0x4000, udp(1, 2,
	    MTU6 - 40 - 28));
	wn = tun6(want, BR, B4_10, 0, inner, wn);
	ck_assert_uint_eq(wn, MTU6);
	fwd4(t_def, n, wn);
}
END_TEST

/* One byte more with DF: fragmentation needed, MTU ipv6-mtu - 40. */
START_TEST(test_4to6_df_too_big_needs_fragmentation)
{
	size_t	n, wn;

	n = v4(raw, HOST4, WHOLE4, 64, 0x4000, udp(1, 2, MTU6 - 40 - 27));
	memcpy(inner, raw, n);
	wn = err4(want, HOST4, 3, 4, MTU6 - 40, inner, n);
	reply4(t_def, n, DROP_TOO_BIG, wn);
}
END_TEST

/*
 * DF clear: a Fragment header (offset 0, M clear) for frag6_next, which
 * cuts pieces of at most ipv6-mtu that put back together give the
 * packet.
 */
START_TEST(test_4to6_df_clear_gets_fragment_header)
{
	uint8_t		frag[8], out[MTU6];
	struct pb_ip6	ip = { .src = BR, .dst = B4_10, .hlim = 64,
	    .ext = frag, .extlen = 8, .ext_nh = IPPROTO_FRAGMENT };
	struct pkt	p;
	size_t		n, wn, in, done = 0, got = 0, k;
	int		pieces = 0;

	n = v4(raw, HOST4, WHOLE4, 64, 0, udp(1, 2, 3000));
	in = v4(inner, HOST4, WHOLE4, 64, 0, udp(1, 2, 3000));
	pb_frag6(frag, 4, 0, false, 0);
	wn = pb_raw6(want, &ip, 4, inner, in);
	p = run(sw_4to6, t_def, n, VERDICT_FRAGMENT, DROP_MAX, wn);
	while ((k = frag6_next(&p, MTU6, &done, out)) > 0) {
		ck_assert_uint_le(k, MTU6);
		ck_assert_mem_eq(out + 8, want + 8, 32);
		ck_assert_mem_eq(out + 48, inner + got, k - 48);
		got += k - 48;
		pieces++;
	}
	ck_assert_uint_eq(got, in);
	ck_assert_int_eq(pieces, 3);
}
END_TEST

/* ---- mesh ---------------------------------------------------------------- */

/* The longest route to the destination names the peer. */
START_TEST(test_4to6_mesh_longest_match)
{
	size_t	n, wn;

	n = v4(raw, HOST4, ISLAND1, 64, 0, udp(1, 2, 3));
	wn = v4(inner, HOST4, ISLAND1, 64, 0, udp(1, 2, 3));
	fwd4(t_def, n, tun6(want, BR, PEER1, 0, inner, wn));

	n = v4(raw, HOST4, ISLAND2, 64, 0, udp(1, 2, 3));
	wn = v4(inner, HOST4, ISLAND2, 64, 0, udp(1, 2, 3));
	fwd4(t_def, n, tun6(want, BR, PEER2, 0, inner, wn));
}
END_TEST

/* From a peer, for the island behind it: accepted; from another: not. */
START_TEST(test_6to4_mesh_peer)
{
	size_t	n, wn, in;

	in = v4(inner, ISLAND1, HOST4, 64, 0, udp(1, 2, 3));
	n = tun6(raw, PEER1, BR, 0, inner, in);
	wn = v4(want, ISLAND1, HOST4, 64, 0, udp(1, 2, 3));
	fwd6(t_def, n, wn);

	n = tun6(raw, PEER2, BR, 0, inner, in);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR, PEER2, inner2, n);
	reply6(t_def, n, DROP_INGRESS, wn);
}
END_TEST

/* ---- RFC 7596 5.1: from a subscriber ------------------------------------- */

/* The inner packet goes on, its TTL as it came. */
START_TEST(test_6to4_decap)
{
	size_t	n, wn, in;

	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 40));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = v4(want, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 40));
	fwd6(t_def, n, wn);

	/* Through its other BR address, the other set. */
	in = v4(inner, SHARED4, HOST4, 64, 0, tcp(PORT_SET2, 443, 0));
	n = tun6(raw, B4_22, BR2, 0, inner, in);
	wn = v4(want, SHARED4, HOST4, 64, 0, tcp(PORT_SET2, 443, 0));
	fwd6(t_def, n, wn);

	/* Echo requests by identifier. */
	in = v4(inner, SHARED4, HOST4, 64, 0, echo(IPPROTO_ICMP, 8,
	    PORT_SET1, 8));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = v4(want, SHARED4, HOST4, 64, 0, echo(IPPROTO_ICMP, 8,
	    PORT_SET1, 8));
	fwd6(t_def, n, wn);
}
END_TEST

/*
 * RFC 2473 4.1.1: the Tunnel Encapsulation Limit option that Linux adds,
 * in a Destination Options header, behind a Hop-by-Hop header.
 */
START_TEST(test_6to4_decap_skips_encapsulation_limit)
{
	static const uint8_t	ext[16] = {
		IPPROTO_DSTOPTS, 0, 1, 4, 0, 0, 0, 0,	/* hop-by-hop, PadN */
		4, 0, 4, 1, 4, 1, 1, 0,	/* limit 4, PadN */
	};
	struct pb_ip6		ip = { .src = B4_10, .dst = BR, .hlim = 64,
	    .ext = ext, .extlen = sizeof ext, .ext_nh = IPPROTO_HOPOPTS };
	size_t			n, wn, in;

	in = v4(inner, WHOLE4, HOST4, 64, 0, udp(5, 6, 7));
	n = pb_raw6(raw, &ip, 4, inner, in);
	wn = v4(want, WHOLE4, HOST4, 64, 0, udp(5, 6, 7));
	fwd6(t_def, n, wn);
}
END_TEST

/* An ICMP error from a subscriber goes by its quote's destination port. */
START_TEST(test_6to4_icmp_error_by_quoted_destination_port)
{
	size_t	q, n, wn, in;

	q = v4(inner2, HOST4, SHARED4, 50, 0, udp(53, PORT_SET2, 4));
	in = v4(inner, SHARED4, HOST4, 64, 0, icmp_err(IPPROTO_ICMP, 3, 3,
	    0, inner2, q));
	n = tun6(raw, B4_22, BR2, 0, inner, in);
	wn = v4(want, SHARED4, HOST4, 64, 0, icmp_err(IPPROTO_ICMP, 3, 3, 0,
	    inner2, q));
	fwd6(t_def, n, wn);
}
END_TEST

/* The ICMPv6 1/5 of a refused packet, from the BR it went to. */
static size_t
policy_err(uint8_t *out, const char *br, const char *b4, const uint8_t *q,
    size_t n)
{
	struct pb_ip6	ip = { .src = br, .dst = b4, .hlim = 64 };
	struct pb_l4	l = icmp_err(IPPROTO_ICMPV6, 1, 5, 0, q, n);

	return (pb_build6(out, &ip, &l));
}

static void
no_policy6(struct sw_settings *s)
{
	s->policy6 = false;
}

/* Each way of failing the ingress filter. */
START_TEST(test_6to4_ingress_filter_rejects)
{
	struct sw_tables	*t = mk(no_policy6);
	size_t			 n, wn, in;

	/* Wrong lwB4 for the set of its port. */
	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 4));
	n = tun6(raw, B4_22, BR, 0, inner, in);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR, B4_22, inner2, n);
	reply6(t_def, n, DROP_INGRESS, wn);
	drop6(t, n, DROP_INGRESS);

	/* Right lwB4, through the wrong BR address. */
	n = tun6(raw, B4_21, BR2, 0, inner, in);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR2, B4_21, inner2, n);
	reply6(t_def, n, DROP_INGRESS, wn);
	drop6(t, n, DROP_INGRESS);

	/* A port of another subscriber's set. */
	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET2, 53, 4));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t, n, DROP_INGRESS);

	/* A port of no set, and a port below every set. */
	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET3, 53, 4));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t, n, DROP_INGRESS);
	in = v4(inner, SHARED4, HOST4, 64, 0, udp(1000, 53, 4));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t, n, DROP_INGRESS);

	/* An address bound to no one. */
	in = v4(inner, UNBOUND4, HOST4, 64, 0, udp(PORT_SET1, 53, 4));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t, n, DROP_INGRESS);

	/* A mesh island's address from a subscriber. */
	in = v4(inner, ISLAND2, HOST4, 64, 0, udp(1, 2, 3));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	drop6(t, n, DROP_INGRESS);

	/* Another peer's island. */
	in = v4(inner, ISLAND1, HOST4, 64, 0, udp(1, 2, 3));
	n = tun6(raw, PEER2, BR, 0, inner, in);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR, PEER2, inner2, n);
	reply6(t_def, n, DROP_INGRESS, wn);
	sw_tables_free(t);
}
END_TEST

/* The ICMPv6 1/5 quotes no more than fits in 1280 bytes. */
START_TEST(test_6to4_policy_error_quote_is_cut_at_1280)
{
	size_t	n, wn, in;

	in = v4(inner, UNBOUND4, HOST4, 64, 0, udp(1, 2, 1400));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR, B4_21, inner2, 1280 - 48);
	ck_assert_uint_eq(wn, 1280);
	reply6(t_def, n, DROP_INGRESS, wn);
}
END_TEST

/* RFC 7596 6.2: between subscribers, straight into the other softwire. */
START_TEST(test_6to4_hairpinning)
{
	size_t	n, wn, in;

	in = v4(inner, SHARED4, SHARED4, 64, 0, udp(PORT_SET1, PORT_SET2,
	    10));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = v4(inner2, SHARED4, SHARED4, 63, 0, udp(PORT_SET1, PORT_SET2,
	    10));
	fwd6(t_def, n, tun6(want, BR2, B4_22, 0, inner2, wn));

	in = v4(inner, SHARED4, WHOLE4, 64, 0, tcp(PORT_SET1, 22, 0));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = v4(inner2, SHARED4, WHOLE4, 63, 0, tcp(PORT_SET1, 22, 0));
	fwd6(t_def, n, tun6(want, BR, B4_10, 0, inner2, wn));

	/* To a mesh island, from a subscriber. */
	in = v4(inner, WHOLE4, ISLAND2, 64, 0, udp(1, 2, 3));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	wn = v4(inner2, WHOLE4, ISLAND2, 63, 0, udp(1, 2, 3));
	fwd6(t_def, n, tun6(want, BR, PEER2, 0, inner2, wn));
}
END_TEST

static void
no_hairpin(struct sw_settings *s)
{
	s->hairpinning = false;
}

/* Without hairpinning the IPv4 packet goes out for the kernel to route. */
START_TEST(test_6to4_hairpinning_off)
{
	struct sw_tables	*t = mk(no_hairpin);
	size_t			 n, wn, in;

	in = v4(inner, SHARED4, WHOLE4, 64, 0, tcp(PORT_SET1, 22, 0));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = v4(want, SHARED4, WHOLE4, 64, 0, tcp(PORT_SET1, 22, 0));
	fwd6(t, n, wn);
	sw_tables_free(t);

	/* On, but the destination port in no set: out it goes too. */
	in = v4(inner, WHOLE4, SHARED4, 64, 0, udp(9, PORT_SET3, 0));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	wn = v4(want, WHOLE4, SHARED4, 64, 0, udp(9, PORT_SET3, 0));
	fwd6(t_def, n, wn);
}
END_TEST

/*
 * To the Internet, the kernel counts the hop as it routes the packet on:
 * a TTL of 1 goes out as it is.  Hairpinned, the packet never passes the
 * kernel as IPv4, so its TTL runs out here: the time exceeded goes back
 * to the subscriber through the softwire the packet came by.  A TTL of 0
 * is dropped either way.
 */
START_TEST(test_6to4_ttl_expires_only_hairpinned)
{
	struct sw_tables	*t;
	size_t			 n, wn, in;

	in = v4(inner, SHARED4, HOST4, 1, 0, udp(PORT_SET1, 53, 9));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);

	in = v4(inner, SHARED4, HOST4, 0, 0, udp(PORT_SET1, 53, 9));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t_def, n, DROP_TTL_EXPIRED);

	/* Hairpinned, to a subscriber and to a mesh island. */
	in = v4(inner, SHARED4, WHOLE4, 1, 0, udp(PORT_SET1, 53, 9));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	wn = err4(inner2, SHARED4, 11, 0, 0, inner, in);
	wn = tun6(want, BR, B4_21, 0, inner2, wn);
	reply6(t_def, n, DROP_TTL_EXPIRED, wn);

	t = mk(no_ipv4);
	drop6(t, n, DROP_TTL_EXPIRED);
	sw_tables_free(t);

	in = v4(inner, WHOLE4, ISLAND2, 1, 0, udp(1, 2, 3));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	wn = err4(inner2, WHOLE4, 11, 0, 0, inner, in);
	wn = tun6(want, BR, B4_10, 0, inner2, wn);
	reply6(t_def, n, DROP_TTL_EXPIRED, wn);

	in = v4(inner, SHARED4, WHOLE4, 0, 0, udp(PORT_SET1, 53, 9));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t_def, n, DROP_TTL_EXPIRED);
}
END_TEST

/*
 * The node is one router hop for the inner packet, the kernel's or ours,
 * never two: into a softwire or a mesh tunnel (the kernel took one off on
 * the way in) and out of one to the Internet (the kernel takes one off
 * on the way out) the TTL stays; hairpinned, it goes down by one here,
 * and the header checksum with it.
 */
START_TEST(test_one_hop)
{
	static const uint8_t	ttls[] = { 2, 63, 64, 128, 255 };
	size_t			n, wn, in, i;
	uint8_t			ttl, less;

	for (i = 0; i < sizeof ttls; i++) {
		ttl = ttls[i];
		less = (uint8_t)(ttl - 1);

		/* Internet to lwB4, and to a mesh peer. */
		n = v4(raw, HOST4, SHARED4, ttl, 0, udp(53, PORT_SET1, 8));
		fwd4(t_def, n, tun6(want, BR, B4_21, 0, raw, n));
		n = v4(raw, HOST4, ISLAND2, ttl, 0, udp(53, 9, 8));
		fwd4(t_def, n, tun6(want, BR, PEER2, 0, raw, n));

		/* lwB4, and mesh peer, to the Internet. */
		in = v4(inner, SHARED4, HOST4, ttl, 0, udp(PORT_SET1, 53, 8));
		n = tun6(raw, B4_21, BR, 0, inner, in);
		memcpy(want, inner, in);
		fwd6(t_def, n, in);
		in = v4(inner, ISLAND1, HOST4, ttl, 0, udp(9, 53, 8));
		n = tun6(raw, PEER1, BR, 0, inner, in);
		memcpy(want, inner, in);
		fwd6(t_def, n, in);

		/* Hairpinned: lwB4 to lwB4, and lwB4 to mesh peer. */
		in = v4(inner, SHARED4, SHARED4, ttl, 0, udp(PORT_SET1,
		    PORT_SET2, 8));
		n = tun6(raw, B4_21, BR, 0, inner, in);
		wn = v4(inner2, SHARED4, SHARED4, less, 0, udp(PORT_SET1,
		    PORT_SET2, 8));
		fwd6(t_def, n, tun6(want, BR2, B4_22, 0, inner2, wn));
		in = v4(inner, WHOLE4, ISLAND2, ttl, 0, udp(9, 53, 8));
		n = tun6(raw, B4_10, BR, 0, inner, in);
		wn = v4(inner2, WHOLE4, ISLAND2, less, 0, udp(9, 53, 8));
		fwd6(t_def, n, tun6(want, BR, PEER2, 0, inner2, wn));
	}
}
END_TEST

/* ---- RFC 6040: ECN through the tunnel ----------------------------------- */

/* An IPv4 packet with TOS tos into out. */
static size_t
v4tos(uint8_t *out, const char *src, const char *dst, uint8_t ttl,
    uint8_t tos, struct pb_l4 l)
{
	struct pb_ip4	ip = { .src = src, .dst = dst, .ttl = ttl,
	    .id = 0x1234, .tos = tos };

	return (pb_build4(out, &ip, &l));
}

/*
 * RFC 6040 4.1, normal mode: the ECN field goes out as it came, CE
 * included; without copy-tos the DSCP stays behind, the ECN field not.
 */
START_TEST(test_4to6_ecn_copied)
{
	static const uint8_t	ecn[] = { 0, 1, 2, 3 };
	struct sw_tables	*t = mk(copy_tos);
	size_t			 n, wn, i;
	uint8_t			 tos;

	for (i = 0; i < sizeof ecn; i++) {
		tos = (uint8_t)(0xb8 | ecn[i]);
		n = v4tos(raw, HOST4, WHOLE4, 64, tos, udp(1, 2, 3));
		wn = v4tos(inner, HOST4, WHOLE4, 64, tos, udp(1, 2, 3));
		fwd4(t, n, tun6(want, BR, B4_10, tos, inner, wn));
		fwd4(t_def, n, tun6(want, BR, B4_10, ecn[i], inner, wn));
	}
	sw_tables_free(t);
}
END_TEST

/*
 * RFC 6040 4.2, figure 4: the inner ECN field that leaves the tunnel,
 * by inner (row) and outer (column) field; 9 is a drop.
 */
static const uint8_t	ecn_out[4][4] = {
	/* outer:  Not-ECT ECT(1) ECT(0) CE */
	[0] = { 0, 0, 0, 9 },		/* inner Not-ECT */
	[1] = { 1, 1, 1, 3 },		/* inner ECT(1) */
	[2] = { 2, 1, 2, 3 },		/* inner ECT(0) */
	[3] = { 3, 3, 3, 3 },		/* inner CE */
};

START_TEST(test_6to4_ecn_decap)
{
	size_t	n, wn, in;
	uint8_t	i, o, dscp = 0x28;

	for (i = 0; i < 4; i++) {
		for (o = 0; o < 4; o++) {
			in = v4tos(inner, SHARED4, HOST4, 64, dscp | i,
			    udp(PORT_SET1, 53, 11));
			n = tun6(raw, B4_21, BR, (uint8_t)(0x80 | o), inner,
			    in);
			if (ecn_out[i][o] == 9) {
				drop6(t_def, n, DROP_ECN);
				continue;
			}
			wn = v4tos(want, SHARED4, HOST4, 64,
			    dscp | ecn_out[i][o], udp(PORT_SET1, 53, 11));
			fwd6(t_def, n, wn);
		}
	}
}
END_TEST

/* Hairpinned: the mark carried in, then copied out again. */
START_TEST(test_6to4_ecn_hairpinned)
{
	size_t	n, wn, in;

	in = v4tos(inner, SHARED4, WHOLE4, 64, 0x02, tcp(PORT_SET1, 22, 0));
	n = tun6(raw, B4_21, BR, 0x03, inner, in);
	wn = v4tos(inner2, SHARED4, WHOLE4, 63, 0x03, tcp(PORT_SET1, 22, 0));
	fwd6(t_def, n, tun6(want, BR, B4_10, 0x03, inner2, wn));

	/* Not ECN-capable inside, CE outside: dropped, not hairpinned. */
	in = v4tos(inner, SHARED4, WHOLE4, 64, 0, tcp(PORT_SET1, 22, 0));
	n = tun6(raw, B4_21, BR, 0x03, inner, in);
	drop6(t_def, n, DROP_ECN);
}
END_TEST

/* ---- IPv4 fragments from a lwB4 (RFC 7597 8.3.3) ------------------------- */

/*
 * A lwB4 may cut an IPv4 packet before it tunnels it.  From an address
 * bound whole, or a mesh island, the fragments go on to the kernel: the
 * ingress filter needs no port.  Never hairpinned straight away: the
 * kernel routes them back, and the reassembly makes them one.  From a
 * shared address, whose binding needs the ports, sw_6to4 cannot judge
 * them: they must be put together first (below).
 */
START_TEST(test_6to4_inner_fragments)
{
	size_t	n, in;

	in = v4(inner, WHOLE4, HOST4, 64, 0x2000, udp(1, 2, 64));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);

	in = v4(inner, WHOLE4, HOST4, 64, 3, udp(1, 2, 64));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);

	in = v4(inner, ISLAND1, HOST4, 64, 0x2000, udp(1, 2, 64));
	n = tun6(raw, PEER1, BR, 0, inner, in);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);

	/* To a subscriber: out to the kernel, TTL as it came. */
	in = v4(inner, WHOLE4, SHARED4, 64, 0x2000, udp(1, PORT_SET1, 64));
	n = tun6(raw, B4_10, BR, 0, inner, in);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);

	/* The ingress filter still holds. */
	in = v4(inner, WHOLE4, HOST4, 64, 3, udp(1, 2, 64));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	memcpy(inner2, raw, n);
	reply6(t_def, n, DROP_INGRESS, policy_err(want, BR, B4_21, inner2,
	    n));

	/* Shared: first and later fragments alike. */
	in = v4(inner, SHARED4, HOST4, 64, 0x2000, udp(PORT_SET1, 53, 64));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t_def, n, DROP_UNREASSEMBLED);
	in = v4(inner, SHARED4, HOST4, 64, 3, udp(PORT_SET1, 53, 64));
	n = tun6(raw, B4_21, BR, 0, inner, in);
	drop6(t_def, n, DROP_UNREASSEMBLED);
}
END_TEST

/*
 * Bytes [off, off + len) of the data of IPv4 packet o, as the fragment a
 * lwB4 tunnels from b4 to br, into raw.
 */
static size_t
tunfrag(const uint8_t *o, size_t off, size_t len, const char *b4,
    const char *br, uint8_t tclass)
{
	static uint8_t	f4[PB_BUFSIZE];
	size_t		hl = (size_t)(o[0] & 0x0f) * 4;
	bool		more = off + len < get16(o + 2) - hl;

	memcpy(f4, o, hl);
	memcpy(f4 + hl, o + hl + off, len);
	put16(f4 + 2, hl + len);
	put16(f4 + 6, (get16(o + 6) & 0x4000) | off / 8 | (more ? 0x2000 : 0));
	pb_fix4(f4);
	return (tun6(raw, b4, br, tclass, f4, hl + len));
}

static bool
picked(const struct sw_tables *t, size_t n)
{
	struct pkt	p;

	pb_load(&buf, &p, raw, n);
	return (sw_6to4_reassemble(t, &p));
}

/*
 * The fragment in raw, n bytes, to the reassembly, as the loop gives it;
 * the whole packet, once there is one, back into raw, *n its length.
 */
static enum reasm_result
reasm_feed(const struct sw_tables *t, struct reasm *rs, size_t *n)
{
	struct pkt		p;
	enum reasm_why		w;
	enum reasm_result	res;

	ck_assert(picked(t, *n));
	pb_load(&buf, &p, raw, *n);
	res = reasm_input_4in6(rs, &p, 1000, &w);
	if (res == REASM_DONE) {
		memcpy(raw, p.data, p.len);
		*n = p.len;
	}
	return (res);
}

static struct reasm *
reasm_mk(void)
{
	struct reasm_limits	 l = { 16, 64, 2000 };
	struct reasm		*rs = reasm_new(&l);

	ck_assert_ptr_nonnull(rs);
	return (rs);
}

/*
 * Tunnel inner (an IPv4 packet of 3028 bytes) from b4 to br in three
 * fragments, the order of them given by ord; the whole back in raw.
 */
static size_t
three(const struct sw_tables *t, struct reasm *rs, const uint8_t *in,
    const char *b4, const char *br, const int ord[3])
{
	static const size_t	off[3] = { 0, 1440, 2880 };
	static const size_t	len[3] = { 1440, 1440, 128 };
	size_t			n = 0;
	int			i;

	ck_assert_uint_eq(get16(in + 2), 20 + 3008);
	for (i = 0; i < 3; i++) {
		n = tunfrag(in, off[ord[i]], len[ord[i]], b4, br, 0);
		ck_assert_int_eq(reasm_feed(t, rs, &n),
		    i < 2 ? REASM_HELD : REASM_DONE);
	}
	return (n);
}

/* Which packets the loop gives the reassembly: shared sources alone. */
START_TEST(test_6to4_reassemble_picks)
{
	static const uint8_t	tel[8] = { 4, 0, 4, 1, 4, 1, 1, 0 };
	struct pb_ip6		ip = { .src = B4_21, .dst = BR, .hlim = 64,
	    .ext = tel, .extlen = 8, .ext_nh = 60 };
	size_t			in, n;

	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 3000));
	ck_assert(picked(t_def, tunfrag(inner, 0, 1440, B4_21, BR, 0)));
	ck_assert(picked(t_def, tunfrag(inner, 1440, 1440, B4_21, BR, 0)));
	ck_assert(picked(t_def, tunfrag(inner, 2880, 128, B4_21, BR, 0)));
	ck_assert(picked(t_def, tunfrag(inner, 0, 1440, B4_22, BR2, 0)));
	/* Whoever sends it: the ingress filter is for the whole. */
	ck_assert(picked(t_def, tunfrag(inner, 0, 1440, B4_10, BR, 0)));
	/* Behind the Tunnel Encapsulation Limit. */
	n = tunfrag(inner, 1440, 1440, B4_21, BR, 0);
	memcpy(inner2, raw + 40, n - 40);
	ck_assert(picked(t_def, pb_raw6(raw, &ip, 4, inner2, n - 40)));
	/* Not a fragment, not to a BR address. */
	ck_assert(!picked(t_def, tun6(raw, B4_21, BR, 0, inner, in)));
	ck_assert(!picked(t_def, tunfrag(inner, 0, 1440, B4_21, B4_22, 0)));
	/* Sources judged by their address alone. */
	v4(inner, WHOLE4, HOST4, 64, 0, udp(1, 2, 3000));
	ck_assert(!picked(t_def, tunfrag(inner, 0, 1440, B4_10, BR, 0)));
	v4(inner, ISLAND1, HOST4, 64, 0, udp(1, 2, 3000));
	ck_assert(!picked(t_def, tunfrag(inner, 0, 1440, PEER1, BR, 0)));
	v4(inner, UNBOUND4, HOST4, 64, 0, udp(1, 2, 3000));
	ck_assert(!picked(t_def, tunfrag(inner, 0, 1440, B4_21, BR, 0)));
	/* Not IPv4 in IPv6 at all. */
	n = pb_build6(raw, &ip, &(struct pb_l4){ .proto = IPPROTO_UDP,
	    .sport = 1, .dport = 2, .paylen = 8 });
	ck_assert(!picked(t_def, n));
}
END_TEST

/*
 * A 3000-byte UDP datagram from a shared address, cut by the lwB4's
 * NAT: put together, in order or not, it passes the ingress filter by
 * its source port and goes out whole, as it was sent.
 */
START_TEST(test_6to4_shared_fragments_whole)
{
	static const int	ord[3][3] = { { 0, 1, 2 }, { 2, 1, 0 },
	    { 1, 2, 0 } };
	struct reasm		*rs = reasm_mk();
	size_t			in, n;
	int			i;

	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 3000));
	memcpy(want, inner, in);
	for (i = 0; i < 3; i++) {
		n = three(t_def, rs, inner, B4_21, BR, ord[i]);
		ck_assert_uint_eq(n, 40 + in);
		fwd6(t_def, n, in);
	}
	ck_assert_uint_eq(reasm_stats(rs)->n[REASM_WHY_DONE], 3);
	ck_assert_uint_eq(reasm_stats(rs)->packets, 0);
	reasm_free(rs);
}
END_TEST

/*
 * The two lwB4s of 192.0.2.20 send datagrams with the same IPv4 key
 * (source, destination, protocol, Identification), their fragments
 * interleaved: each is put together from its own lwB4's, and passes.
 */
START_TEST(test_6to4_shared_fragments_two_lwb4s)
{
	struct reasm		*rs = reasm_mk();
	size_t			 in, in2, n;

	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 3000));
	in2 = v4(inner2, SHARED4, HOST4, 64, 0, udp(PORT_SET2, 53, 3000));
	ck_assert_uint_eq(get16(inner + 4), get16(inner2 + 4));
	n = tunfrag(inner, 1440, 1440, B4_21, BR, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner2, 0, 1440, B4_22, BR2, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner, 2880, 128, B4_21, BR, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner2, 1440, 1440, B4_22, BR2, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner2, 2880, 128, B4_22, BR2, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_DONE);
	memcpy(want, inner2, in2);
	fwd6(t_def, n, in2);
	n = tunfrag(inner, 0, 1440, B4_21, BR, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_DONE);
	memcpy(want, inner, in);
	fwd6(t_def, n, in);
	reasm_free(rs);
}
END_TEST

/*
 * RFC 7596 5.1 on the whole datagram: lwB4 22 sends with a port of set
 * 1, lwB4 10 (bound to another address) as 192.0.2.20.  Refused with
 * ICMPv6 1/5 quoting the datagram put together, or dropped, and counted
 * as ingress-filter either way.
 */
START_TEST(test_6to4_shared_fragments_spoofed)
{
	static const int	 ord[3] = { 0, 1, 2 };
	struct sw_tables	*t = mk(no_policy6);
	struct reasm		*rs = reasm_mk();
	size_t			 n, wn;

	v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 3000));
	n = three(t_def, rs, inner, B4_22, BR2, ord);
	memcpy(inner2, raw, n);
	wn = policy_err(want, BR2, B4_22, inner2, 1280 - 48);
	reply6(t_def, n, DROP_INGRESS, wn);
	drop6(t, n, DROP_INGRESS);
	n = three(t_def, rs, inner, B4_10, BR, ord);
	drop6(t, n, DROP_INGRESS);
	/* Only whole does it pass. */
	n = three(t_def, rs, inner, B4_21, BR, ord);
	memcpy(want, inner, n - 40);
	fwd6(t, n, n - 40);
	reasm_free(rs);
	sw_tables_free(t);
}
END_TEST

static void
mtu1280(struct sw_settings *s)
{
	s->ipv6_mtu = 1280;
}

/*
 * RFC 7596 6.2: put together, then hairpinned to the other lwB4 of the
 * address, TTL less one, in IPv6 fragments cut to ipv6-mtu.
 */
START_TEST(test_6to4_shared_fragments_hairpinned)
{
	static const int	 ord[3] = { 2, 0, 1 };
	uint8_t			 frag[8], out[1280];
	struct pb_ip6		 ip = { .src = BR2, .dst = B4_22, .hlim = 64,
	    .ext = frag, .extlen = 8, .ext_nh = IPPROTO_FRAGMENT };
	struct sw_tables	*t = mk(mtu1280);
	struct reasm		*rs = reasm_mk();
	struct pkt		 p;
	size_t			 n, wn, in, done = 0, got = 0, k;
	int			 pieces = 0;

	v4(inner, SHARED4, SHARED4, 64, 0, udp(PORT_SET1, PORT_SET2, 3000));
	n = three(t, rs, inner, B4_21, BR, ord);
	in = v4(inner2, SHARED4, SHARED4, 63, 0, udp(PORT_SET1, PORT_SET2,
	    3000));
	pb_frag6(frag, 4, 0, false, 0);
	wn = pb_raw6(want, &ip, 4, inner2, in);
	p = run(sw_6to4, t, n, VERDICT_FRAGMENT, DROP_MAX, wn);
	while ((k = frag6_next(&p, 1280, &done, out)) > 0) {
		ck_assert_uint_le(k, 1280);
		ck_assert_mem_eq(out + 8, want + 8, 32);
		ck_assert_mem_eq(out + 48, inner2 + got, k - 48);
		got += k - 48;
		pieces++;
	}
	ck_assert_uint_eq(got, in);
	ck_assert_int_eq(pieces, 3);
	reasm_free(rs);
	sw_tables_free(t);
}
END_TEST

/*
 * RFC 6040 4.2 as if on each fragment: CE on the IPv6 header of one
 * marks an ECN-capable datagram CE, and drops a Not-ECT one.
 */
START_TEST(test_6to4_shared_fragments_ecn)
{
	struct reasm	*rs = reasm_mk();
	size_t		 in, n;

	in = v4(inner, SHARED4, HOST4, 64, 0, udp(PORT_SET1, 53, 3000));
	n = tunfrag(inner, 0, 1440, B4_21, BR, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner, 2880, 128, B4_21, BR, 0);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner, 1440, 1440, B4_21, BR, 0x03);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_DONE);
	drop6(t_def, n, DROP_ECN);

	inner[1] = 0x02;			/* ECT(0) */
	pb_fix4(inner);
	n = tunfrag(inner, 0, 1440, B4_21, BR, 0x02);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner, 2880, 128, B4_21, BR, 0x03);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_HELD);
	n = tunfrag(inner, 1440, 1440, B4_21, BR, 0x02);
	ck_assert_int_eq(reasm_feed(t_def, rs, &n), REASM_DONE);
	memcpy(want, inner, in);
	want[1] = 0x03;
	pb_fix4(want);
	fwd6(t_def, n, in);
	reasm_free(rs);
}
END_TEST

/* ---- RFC 2473 8.3: ICMPv6 errors about packets we tunnelled -------------- */

/* An ICMPv6 error from ROUTER6 to BR quoting our tunnelled packet. */
static size_t
icmp6_about_ours(uint8_t *out, uint8_t type, uint8_t code, uint32_t word,
    const uint8_t *in4, size_t in4len, const char *qsrc)
{
	struct pb_ip6	ip = { .src = ROUTER6, .dst = BR, .hlim = 60 };
	struct pb_l4	l;
	size_t		q;

	q = tun6(inner2, qsrc, B4_10, 0, in4, in4len);
	l = icmp_err(IPPROTO_ICMPV6, type, code, word, inner2, q);
	return (pb_build6(out, &ip, &l));
}

static void
relay(uint8_t type6, uint8_t code6, uint32_t word6, uint8_t type4,
    uint8_t code4, uint32_t word4)
{
	size_t	in, n, wn;

	in = v4(inner, HOST4, WHOLE4, 63, 0x4000, tcp(80, 40000, 100));
	n = icmp6_about_ours(raw, type6, code6, word6, inner, in, BR);
	wn = err4(want, HOST4, type4, code4, word4, inner, in);
	reply6(t_def, n, DROP_ICMP_RELAYED, wn);
}

START_TEST(test_relay_packet_too_big)
{
	static const uint32_t	lies[] = { 0, 100, 1279 };
	size_t			in, n, i;

	relay(2, 0, 1400, 3, 4, 1360);
	relay(2, 0, 1280, 3, 4, 1240);
	relay(2, 0, 0x10000 + 40, 3, 4, 65535);
	/* RFC 8201 4: below the IPv6 minimum MTU, discarded. */
	in = v4(inner, HOST4, WHOLE4, 63, 0x4000, tcp(80, 40000, 100));
	for (i = 0; i < sizeof lies / sizeof lies[0]; i++) {
		n = icmp6_about_ours(raw, 2, 0, lies[i], inner, in, BR);
		drop6(t_def, n, DROP_ICMP_TYPE);
	}
}
END_TEST

START_TEST(test_relay_unreachable)
{
	relay(1, 0, 0, 3, 1, 0);
	relay(1, 3, 0, 3, 1, 0);
	relay(1, 4, 0, 3, 1, 0);
	relay(1, 1, 0, 3, 13, 0);
	relay(1, 5, 0, 3, 13, 0);
	relay(1, 6, 0, 3, 13, 0);
}
END_TEST

/*
 * RFC 2473 8.2: the tunnel is one hop of the IPv4 path, and a packet
 * that could not cross it found the host unreachable; the IPv4 TTL did
 * not run out.
 */
START_TEST(test_relay_time_exceeded_and_parameter_problem)
{
	relay(3, 0, 0, 3, 1, 0);
	relay(3, 1, 0, 3, 1, 0);
	relay(4, 0, 12, 3, 1, 0);
	relay(4, 1, 6, 3, 1, 0);
}
END_TEST

/* Not ours, no address of our own, not IPv4 inside: dropped. */
START_TEST(test_relay_refused)
{
	struct sw_tables	*t = mk(no_ipv4);
	size_t			 in, n;

	in = v4(inner, HOST4, WHOLE4, 63, 0x4000, tcp(80, 40000, 100));
	n = icmp6_about_ours(raw, 2, 0, 1400, inner, in, B4_21);
	drop6(t_def, n, DROP_ICMP_INNER);
	n = icmp6_about_ours(raw, 2, 0, 1400, inner, in, BR);
	drop6(t, n, DROP_NO_ICMP_SOURCE);
	/* Quoting too little to hold an IPv4 header. */
	n = icmp6_about_ours(raw, 2, 0, 1400, inner, 10, BR);
	drop6(t_def, n, DROP_ICMP_INNER);
	/* A wrong ICMPv6 checksum. */
	n = icmp6_about_ours(raw, 2, 0, 1400, inner, in, BR);
	raw[n - 1] ^= 1;
	drop6(t_def, n, DROP_BAD_CHECKSUM);
	sw_tables_free(t);
}
END_TEST

/* An echo request to a BR address is answered; other ICMPv6 is not. */
START_TEST(test_6to4_echo_to_br)
{
	struct pb_ip6	ip = { .src = B4_21, .dst = BR2, .hlim = 64 };
	struct pb_ip6	rip = { .src = BR2, .dst = B4_21, .hlim = 64 };
	struct pb_l4	l = echo(IPPROTO_ICMPV6, 128, 99, 64);
	struct pb_l4	rl = echo(IPPROTO_ICMPV6, 129, 99, 64);
	size_t		n, wn;

	n = pb_build6(raw, &ip, &l);
	wn = pb_build6(want, &rip, &rl);
	reply6(t_def, n, DROP_LOCAL, wn);

	l.type = 135;			/* neighbour solicitation */
	n = pb_build6(raw, &ip, &l);
	drop6(t_def, n, DROP_ICMP_TYPE);
}
END_TEST

/* ---- malformed and stray ------------------------------------------------- */

START_TEST(test_drops)
{
	uint8_t		frag[8];
	struct pb_ip6	ip = { .src = B4_10, .dst = BR, .hlim = 64,
	    .ext = frag, .extlen = 8, .ext_nh = IPPROTO_FRAGMENT };
	struct pb_ip6	u = { .src = B4_10, .dst = BR, .hlim = 64 };
	struct pb_l4	l = udp(1, 2, 3);
	size_t		n, in;

	/* Fragments reach us reassembled, or not at all. */
	n = v4(raw, HOST4, WHOLE4, 64, 0x2000, udp(1, 2, 3));
	drop4(t_def, n, DROP_UNREASSEMBLED);
	in = v4(inner, WHOLE4, HOST4, 64, 0, udp(1, 2, 3));
	pb_frag6(frag, 4, 0, true, 1);
	n = pb_raw6(raw, &ip, 4, inner, in);
	drop6(t_def, n, DROP_UNREASSEMBLED);

	/* Not to a BR address; to one, but no softwire. */
	n = tun6(raw, B4_10, B4_21, 0, inner, in);
	drop6(t_def, n, DROP_NOT_BR);
	n = pb_build6(raw, &u, &l);
	drop6(t_def, n, DROP_NOT_SOFTWIRE);

	/* Cut short, or a bad inner header. */
	n = tun6(raw, B4_10, BR, 0, inner, in);
	drop6(t_def, n - 1, DROP_TRUNCATED);
	raw[40 + 10] ^= 1;
	drop6(t_def, n, DROP_BAD_CHECKSUM);
	n = v4(raw, HOST4, WHOLE4, 64, 0, udp(1, 2, 3));
	drop4(t_def, n - 1, DROP_TRUNCATED);
	raw[0] = 0x65;
	drop4(t_def, n, DROP_BAD_VERSION);
}
END_TEST

static Suite *
softwire_suite(void)
{
	Suite	*s = suite_create("softwire");
	TCase	*tc;

#define TC(name)							\
	tc = tcase_create(name);					\
	tcase_add_checked_fixture(tc, setup, teardown);			\
	suite_add_tcase(s, tc)

	TC("rfc7596-5.2");
	tcase_add_test(tc, test_4to6_tcp_to_whole_address);
	tcase_add_test(tc, test_4to6_udp_port_picks_binding);
	tcase_add_test(tc, test_4to6_echo_reply_by_identifier);
	tcase_add_test(tc, test_4to6_icmp_error_by_quoted_source_port);
	tcase_add_test(tc, test_4to6_copy_tos);
	tcase_add_test(tc, test_4to6_padding_goes);
	tcase_add_test(tc, test_4to6_unreach_policies);
	tcase_add_test(tc, test_4to6_port_outside_sets);
	tcase_add_test(tc, test_4to6_unreach_quote_is_cut_at_576);

	TC("rfc7596-8.1-echo");
	tcase_add_test(tc, test_4to6_echo_to_shared_address);
	tcase_add_test(tc, test_4to6_echo_to_whole_address_is_forwarded);
	tcase_add_test(tc, test_4to6_echo_to_own_address);
	tcase_add_test(tc, test_4to6_echo_reply_of_zeros);
	tcase_add_test(tc, test_6to4_echo_to_br);

	TC("rfc2473-ttl-mtu");
	tcase_add_test(tc, test_4to6_ttl_one_goes_on);
	tcase_add_test(tc, test_4to6_mtu_exactly);
	tcase_add_test(tc, test_4to6_df_too_big_needs_fragmentation);
	tcase_add_test(tc, test_4to6_df_clear_gets_fragment_header);
	tcase_add_test(tc, test_6to4_ttl_expires_only_hairpinned);
	tcase_add_test(tc, test_one_hop);

	TC("mesh");
	tcase_add_test(tc, test_4to6_mesh_longest_match);
	tcase_add_test(tc, test_6to4_mesh_peer);

	TC("rfc7596-5.1");
	tcase_add_test(tc, test_6to4_decap);
	tcase_add_test(tc, test_6to4_decap_skips_encapsulation_limit);
	tcase_add_test(tc, test_6to4_icmp_error_by_quoted_destination_port);
	tcase_add_test(tc, test_6to4_ingress_filter_rejects);
	tcase_add_test(tc, test_6to4_policy_error_quote_is_cut_at_1280);

	TC("rfc7596-6.2-hairpinning");
	tcase_add_test(tc, test_6to4_hairpinning);
	tcase_add_test(tc, test_6to4_hairpinning_off);

	TC("rfc2473-8.3-relay");
	tcase_add_test(tc, test_relay_packet_too_big);
	tcase_add_test(tc, test_relay_unreachable);
	tcase_add_test(tc, test_relay_time_exceeded_and_parameter_problem);
	tcase_add_test(tc, test_relay_refused);

	TC("rfc6040-ecn");
	tcase_add_test(tc, test_4to6_ecn_copied);
	tcase_add_test(tc, test_6to4_ecn_decap);
	tcase_add_test(tc, test_6to4_ecn_hairpinned);

	TC("inner-fragments");
	tcase_add_test(tc, test_6to4_inner_fragments);
	tcase_add_test(tc, test_6to4_reassemble_picks);
	tcase_add_test(tc, test_6to4_shared_fragments_whole);
	tcase_add_test(tc, test_6to4_shared_fragments_two_lwb4s);
	tcase_add_test(tc, test_6to4_shared_fragments_spoofed);
	tcase_add_test(tc, test_6to4_shared_fragments_hairpinned);
	tcase_add_test(tc, test_6to4_shared_fragments_ecn);

	TC("drops");
	tcase_add_test(tc, test_drops);
#undef TC
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(softwire_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
