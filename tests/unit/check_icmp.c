/* SPDX-License-Identifier: ISC */
/*
 * check_icmp.c: the RFC 7915 ICMP maps, table by table, the MTU
 * arithmetic of Packet Too Big / Fragmentation Needed, the token bucket,
 * and IPv6 fragmentation (frag.c).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "icmp.h"

/* RFC 7915 4.2: every ICMPv4 type and code, and what it becomes. */
static const struct {
	uint8_t	type, code;
	int	kind;
	uint8_t	type6, code6;
} map46[] = {
	{ 8, 0, ICMP_INFO, 128, 0 },		/* echo */
	{ 0, 0, ICMP_INFO, 129, 0 },		/* echo reply */
	{ 3, 0, ICMP_ERROR, 1, 0 },		/* net unreachable */
	{ 3, 1, ICMP_ERROR, 1, 0 },		/* host unreachable */
	{ 3, 2, ICMP_ERROR, 4, 1 },		/* protocol -> param problem */
	{ 3, 3, ICMP_ERROR, 1, 4 },		/* port unreachable */
	{ 3, 4, ICMP_ERROR, 2, 0 },		/* frag needed -> too big */
	{ 3, 5, ICMP_ERROR, 1, 0 },		/* source route failed */
	{ 3, 6, ICMP_ERROR, 1, 0 },
	{ 3, 7, ICMP_ERROR, 1, 0 },
	{ 3, 8, ICMP_ERROR, 1, 0 },
	{ 3, 9, ICMP_ERROR, 1, 1 },		/* net admin prohibited */
	{ 3, 10, ICMP_ERROR, 1, 1 },		/* host admin prohibited */
	{ 3, 11, ICMP_ERROR, 1, 0 },
	{ 3, 12, ICMP_ERROR, 1, 0 },
	{ 3, 13, ICMP_ERROR, 1, 1 },		/* comm. admin prohibited */
	{ 3, 14, ICMP_DROP, 0, 0 },		/* host precedence violation */
	{ 3, 15, ICMP_ERROR, 1, 1 },		/* precedence cutoff */
	{ 3, 16, ICMP_DROP, 0, 0 },		/* unknown code */
	{ 4, 0, ICMP_DROP, 0, 0 },		/* source quench */
	{ 5, 0, ICMP_DROP, 0, 0 },		/* redirect */
	{ 9, 0, ICMP_DROP, 0, 0 },		/* router advertisement */
	{ 10, 0, ICMP_DROP, 0, 0 },		/* router solicitation */
	{ 11, 0, ICMP_ERROR, 3, 0 },		/* time exceeded in transit */
	{ 11, 1, ICMP_ERROR, 3, 1 },		/* reassembly time exceeded */
	{ 12, 0, ICMP_ERROR, 4, 0 },		/* param problem, pointer */
	{ 12, 1, ICMP_DROP, 0, 0 },		/* missing required option */
	{ 12, 2, ICMP_ERROR, 4, 0 },		/* bad length */
	{ 13, 0, ICMP_DROP, 0, 0 },		/* timestamp */
	{ 14, 0, ICMP_DROP, 0, 0 },
	{ 15, 0, ICMP_DROP, 0, 0 },		/* information request */
	{ 16, 0, ICMP_DROP, 0, 0 },
	{ 17, 0, ICMP_DROP, 0, 0 },		/* address mask */
	{ 18, 0, ICMP_DROP, 0, 0 },
	{ 42, 0, ICMP_DROP, 0, 0 },		/* unknown type */
};

START_TEST(test_rfc7915_4_2_type_code_map)
{
	struct icmp_map	m = icmp_map4to6(map46[_i].type, map46[_i].code);

	ck_assert_msg((int)m.kind == map46[_i].kind, "%u/%u: kind %d",
	    map46[_i].type, map46[_i].code, m.kind);
	if (m.kind != ICMP_DROP) {
		ck_assert_uint_eq(m.type, map46[_i].type6);
		ck_assert_uint_eq(m.code, map46[_i].code6);
	}
}
END_TEST

/* RFC 7915 5.2: every ICMPv6 type and code, and what it becomes. */
static const struct {
	uint8_t	type, code;
	int	kind;
	uint8_t	type4, code4;
} map64[] = {
	{ 128, 0, ICMP_INFO, 8, 0 },
	{ 129, 0, ICMP_INFO, 0, 0 },
	{ 1, 0, ICMP_ERROR, 3, 1 },		/* no route */
	{ 1, 1, ICMP_ERROR, 3, 10 },		/* admin prohibited */
	{ 1, 2, ICMP_ERROR, 3, 1 },		/* beyond scope */
	{ 1, 3, ICMP_ERROR, 3, 1 },		/* address unreachable */
	{ 1, 4, ICMP_ERROR, 3, 3 },		/* port unreachable */
	{ 1, 5, ICMP_DROP, 0, 0 },
	{ 2, 0, ICMP_ERROR, 3, 4 },		/* packet too big */
	{ 3, 0, ICMP_ERROR, 11, 0 },		/* hop limit exceeded */
	{ 3, 1, ICMP_ERROR, 11, 1 },		/* reassembly time exceeded */
	{ 4, 0, ICMP_ERROR, 12, 0 },		/* erroneous header field */
	{ 4, 1, ICMP_ERROR, 3, 2 },		/* unrecognized next header */
	{ 4, 2, ICMP_DROP, 0, 0 },		/* unrecognized option */
	{ 130, 0, ICMP_DROP, 0, 0 },		/* MLD query */
	{ 133, 0, ICMP_DROP, 0, 0 },		/* router solicitation */
	{ 135, 0, ICMP_DROP, 0, 0 },		/* neighbour solicitation */
	{ 137, 0, ICMP_DROP, 0, 0 },		/* redirect */
	{ 200, 0, ICMP_DROP, 0, 0 },		/* unknown informational */
	{ 100, 0, ICMP_DROP, 0, 0 },		/* unknown error */
};

START_TEST(test_rfc7915_5_2_type_code_map)
{
	struct icmp_map	m = icmp_map6to4(map64[_i].type, map64[_i].code);

	ck_assert_msg((int)m.kind == map64[_i].kind, "%u/%u: kind %d",
	    map64[_i].type, map64[_i].code, m.kind);
	if (m.kind != ICMP_DROP) {
		ck_assert_uint_eq(m.type, map64[_i].type4);
		ck_assert_uint_eq(m.code, map64[_i].code4);
	}
}
END_TEST

/* RFC 7915 figure 3, every IPv4 header byte. */
START_TEST(test_rfc7915_fig3_pointer_4to6)
{
	static const int want[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1,
		8, 8, 8, 8, 24, 24, 24, 24
	};
	int	i;

	for (i = 0; i < 20; i++)
		ck_assert_int_eq(icmp_pointer4to6((uint8_t)i), want[i]);
	ck_assert_int_eq(icmp_pointer4to6(20), -1);	/* options */
}
END_TEST

/* RFC 7915 figure 6, every IPv6 header byte. */
START_TEST(test_rfc7915_fig6_pointer_6to4)
{
	int	i;

	ck_assert_int_eq(icmp_pointer6to4(0), 0);
	ck_assert_int_eq(icmp_pointer6to4(1), 1);
	ck_assert_int_eq(icmp_pointer6to4(2), -1);	/* flow label */
	ck_assert_int_eq(icmp_pointer6to4(3), -1);
	ck_assert_int_eq(icmp_pointer6to4(4), 2);
	ck_assert_int_eq(icmp_pointer6to4(5), 2);
	ck_assert_int_eq(icmp_pointer6to4(6), 9);
	ck_assert_int_eq(icmp_pointer6to4(7), 8);
	for (i = 8; i < 24; i++)
		ck_assert_int_eq(icmp_pointer6to4((uint8_t)i), 12);
	for (i = 24; i < 40; i++)
		ck_assert_int_eq(icmp_pointer6to4((uint8_t)i), 16);
	ck_assert_int_eq(icmp_pointer6to4(40), -1);
}
END_TEST

/* RFC 7915 4.2: MTU + 20, capped by our IPv6 side, never under 1280. */
START_TEST(test_rfc7915_4_2_mtu_arithmetic)
{
	ck_assert_uint_eq(icmp_mtu4to6(1400, 1500, 1500), 1420);
	ck_assert_uint_eq(icmp_mtu4to6(1480, 1500, 1500), 1500);
	ck_assert_uint_eq(icmp_mtu4to6(1492, 1500, 1500), 1500);
	ck_assert_uint_eq(icmp_mtu4to6(576, 1500, 1500), 1280);
	ck_assert_uint_eq(icmp_mtu4to6(9000, 9000, 9000), 9000);
}
END_TEST

/* RFC 7915 4.2 + RFC 1191: a router that says 0 gets a plateau. */
START_TEST(test_rfc1191_plateau_when_mtu_zero)
{
	/* Largest plateau below 1500 is 1492: + 20. */
	ck_assert_uint_eq(icmp_mtu4to6(0, 1500, 9000), 1512);
	/* Below 4400: 4352. */
	ck_assert_uint_eq(icmp_mtu4to6(0, 4400, 9000), 4372);
	/* Below 1400: 1006, + 20 is under the IPv6 minimum. */
	ck_assert_uint_eq(icmp_mtu4to6(0, 1400, 9000), 1280);
}
END_TEST

/* RFC 7915 5.2: MTU - 20, capped by our IPv4 side, never under 68. */
START_TEST(test_rfc7915_5_2_mtu_arithmetic)
{
	ck_assert_uint_eq(icmp_mtu6to4(1280, 1500), 1260);
	ck_assert_uint_eq(icmp_mtu6to4(1500, 1500), 1480);
	ck_assert_uint_eq(icmp_mtu6to4(9000, 1500), 1500);
	ck_assert_uint_eq(icmp_mtu6to4(10, 1500), 68);
	ck_assert_uint_eq(icmp_mtu6to4(100000, 65535), 65535);
}
END_TEST

START_TEST(test_ratelimit_burst_then_rate)
{
	struct ratelimit	rl = { 0, 0 };
	int			i, sent = 0;

	/* A full bucket lets the burst through at once. */
	for (i = 0; i < 100; i++)
		sent += icmp_ratelimit(&rl, 10000, 10, 5);
	ck_assert_int_eq(sent, 5);
	/* Half a second at 10 a second: 5 more. */
	sent = 0;
	for (i = 0; i < 100; i++)
		sent += icmp_ratelimit(&rl, 10500, 10, 5);
	ck_assert_int_eq(sent, 5);
	/* A rate of 0 sends nothing. */
	ck_assert(!icmp_ratelimit(&rl, 99999, 0, 5));
}
END_TEST

/* Build an IPv6 packet with a Fragment header around len payload bytes. */
static void
mkfrag6(uint8_t *b, size_t len, uint16_t off, int m, uint32_t id)
{
	uint16_t	v;
	size_t		i;

	memset(b, 0, 48);
	b[0] = 0x60;
	v = htons((uint16_t)(8 + len));
	memcpy(b + 4, &v, 2);
	b[6] = 44;
	b[7] = 64;
	b[8] = 0x20;
	b[24] = 0x20;
	b[40] = 17;
	v = htons((uint16_t)(off | (m ? 1 : 0)));
	memcpy(b + 42, &v, 2);
	id = htonl(id);
	memcpy(b + 44, &id, 4);
	for (i = 0; i < len; i++)
		b[48 + i] = (uint8_t)(i * 7 + 3);
}

/*
 * RFC 8200 4.5: the fragments carry the payload in order, each a
 * multiple of 8 bytes but the last, within the MTU, with offsets and M
 * flags that put the original back together.
 */
static void
check_split(size_t len, size_t mtu, uint16_t off0, int m0)
{
	static uint8_t	 in[70000], out[70000], back[70000];
	struct pkt	 p = { in, 48 + len, 0, 0, { 0 } };
	size_t		 done = 0, n, got = 0;
	uint16_t	 v, off;
	int		 count = 0, last_m = -1;

	mkfrag6(in, len, off0, m0, 0x12345678);
	while ((n = frag6_next(&p, mtu, &done, out)) > 0) {
		ck_assert_uint_le(n, mtu);
		memcpy(&v, out + 4, 2);
		ck_assert_uint_eq(ntohs(v), n - 40);
		memcpy(&v, out + 42, 2);
		v = ntohs(v);
		off = v & 0xfff8;
		ck_assert_uint_eq(off, off0 + got);
		last_m = v & 1;
		if (got + (n - 48) < len)
			ck_assert_msg(last_m == 1 && (n - 48) % 8 == 0,
			    "inner fragment %d", count);
		ck_assert_mem_eq(out + 44, in + 44, 4);	/* identification */
		ck_assert_mem_eq(out, in, 4);
		memcpy(back + got, out + 48, n - 48);
		got += n - 48;
		count++;
	}
	ck_assert_uint_eq(got, len);
	ck_assert_int_eq(last_m, m0);
	ck_assert_mem_eq(back, in + 48, len);
	ck_assert_int_eq(count, (int)((len + ((mtu - 48) & ~7U) - 1) /
	    ((mtu - 48) & ~7U)));
}

START_TEST(test_rfc8200_4_5_fragment_whole_packet)
{
	check_split(3000, 1280, 0, 0);
	check_split(1232, 1280, 0, 0);		/* exactly one */
	check_split(1233, 1280, 0, 0);		/* one byte over */
	check_split(65000, 1280, 0, 0);
}
END_TEST

START_TEST(test_rfc8200_4_5_fragment_of_a_fragment)
{
	/* A middle IPv4 fragment keeps its offset and its M flag. */
	check_split(1480, 1280, 1480, 1);
	check_split(1480, 1280, 2960, 0);
}
END_TEST

static Suite *
icmp_suite(void)
{
	Suite	*s = suite_create("icmp");
	TCase	*tc;

	tc = tcase_create("rfc7915-4.2");
	tcase_add_loop_test(tc, test_rfc7915_4_2_type_code_map, 0,
	    sizeof map46 / sizeof map46[0]);
	tcase_add_test(tc, test_rfc7915_fig3_pointer_4to6);
	tcase_add_test(tc, test_rfc7915_4_2_mtu_arithmetic);
	tcase_add_test(tc, test_rfc1191_plateau_when_mtu_zero);
	suite_add_tcase(s, tc);
	tc = tcase_create("rfc7915-5.2");
	tcase_add_loop_test(tc, test_rfc7915_5_2_type_code_map, 0,
	    sizeof map64 / sizeof map64[0]);
	tcase_add_test(tc, test_rfc7915_fig6_pointer_6to4);
	tcase_add_test(tc, test_rfc7915_5_2_mtu_arithmetic);
	suite_add_tcase(s, tc);
	tc = tcase_create("ratelimit");
	tcase_add_test(tc, test_ratelimit_burst_then_rate);
	suite_add_tcase(s, tc);
	tc = tcase_create("rfc8200-4.5-fragmentation");
	tcase_add_test(tc, test_rfc8200_4_5_fragment_whole_packet);
	tcase_add_test(tc, test_rfc8200_4_5_fragment_of_a_fragment);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(icmp_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
