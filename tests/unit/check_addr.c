/* SPDX-License-Identifier: ISC */
/*
 * check_addr.c: prefix parsing and printing, masks, and the RFC 6052
 * address format.  The 6052 cases are the table of RFC 6052 section 2.4,
 * written out here as the RFC prints it.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

static struct in6_addr
in6(const char *s)
{
	struct in6_addr	a;

	ck_assert_msg(inet_pton(AF_INET6, s, &a) == 1, "bad literal %s", s);
	return (a);
}

static uint32_t
in4(const char *s)
{
	struct in_addr	a;

	ck_assert_msg(inet_pton(AF_INET, s, &a) == 1, "bad literal %s", s);
	return (a.s_addr);
}

static struct prefix6
pfx6(const char *s)
{
	struct prefix6	 p;
	const char	*why = NULL;

	ck_assert_msg(addr_parse6(s, &p, &why) == 0, "%s: %s", s, why);
	return (p);
}

/* Parsing IPv4. */

START_TEST(test_parse4_host_is_slash_32)
{
	struct prefix4	 p;
	const char	*why = NULL;

	ck_assert_int_eq(addr_parse4("192.0.2.1", &p, &why), 0);
	ck_assert_uint_eq(p.addr, in4("192.0.2.1"));
	ck_assert_uint_eq(p.len, 32);
}
END_TEST

START_TEST(test_parse4_prefix)
{
	struct prefix4	 p;
	const char	*why = NULL;

	ck_assert_int_eq(addr_parse4("198.51.100.0/24", &p, &why), 0);
	ck_assert_uint_eq(p.addr, in4("198.51.100.0"));
	ck_assert_uint_eq(p.len, 24);
	ck_assert_int_eq(addr_parse4("0.0.0.0/0", &p, &why), 0);
	ck_assert_uint_eq(p.addr, 0);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_int_eq(addr_parse4("192.0.2.7/32", &p, &why), 0);
	ck_assert_uint_eq(p.len, 32);
}
END_TEST

static const struct {
	const char	*in;
	const char	*why;
} bad4[] = {
	{ "", "not an address" },
	{ "/24", "not an address" },
	{ "192.0.2.0/", "bad prefix length" },
	{ "192.0.2.0/33", "bad prefix length" },
	{ "192.0.2.0/-1", "bad prefix length" },
	{ "192.0.2.0/+8", "bad prefix length" },
	{ "192.0.2.0/24x", "bad prefix length" },
	{ "192.0.2.0/ 24", "bad prefix length" },
	{ "192.0.2.0/99999999999999999999", "bad prefix length" },
	{ "192.0.2.1/24", "host bits set after the prefix length" },
	{ "128.0.0.0/0", "host bits set after the prefix length" },
	{ "192.0.2.128/25x", "bad prefix length" },
	{ "192.0.2", "not an IPv4 address" },
	{ "192.0.2.256", "not an IPv4 address" },
	{ "192.0.2.1 ", "not an IPv4 address" },
	{ "2001:db8::1", "not an IPv4 address" },
	{ "a.b.c.d/8", "not an IPv4 address" },
	{ "255.255.255.255.255.255.255.255.255.255", "not an address" },
};

START_TEST(test_parse4_rejects_bad_input)
{
	struct prefix4	 p;
	const char	*why = NULL;

	ck_assert_msg(addr_parse4(bad4[_i].in, &p, &why) == -1,
	    "\"%s\" accepted", bad4[_i].in);
	ck_assert_str_eq(why, bad4[_i].why);
}
END_TEST

/* Parsing IPv6. */

START_TEST(test_parse6_host_is_slash_128)
{
	struct prefix6	p = pfx6("2001:db8::1");
	struct in6_addr	a = in6("2001:db8::1");

	ck_assert_mem_eq(&p.addr, &a, 16);
	ck_assert_uint_eq(p.len, 128);
}
END_TEST

START_TEST(test_parse6_prefix)
{
	struct prefix6	p;
	struct in6_addr	a;

	p = pfx6("64:ff9b::/96");
	a = in6("64:ff9b::");
	ck_assert_mem_eq(&p.addr, &a, 16);
	ck_assert_uint_eq(p.len, 96);
	p = pfx6("::/0");
	ck_assert_uint_eq(p.len, 0);
	p = pfx6("2001:db8:8000::/33");
	ck_assert_uint_eq(p.len, 33);
	p = pfx6("2001:DB8:0:0:0:0:0:0/32");
	a = in6("2001:db8::");
	ck_assert_mem_eq(&p.addr, &a, 16);
}
END_TEST

static const struct {
	const char	*in;
	const char	*why;
} bad6[] = {
	{ "", "not an address" },
	{ "/64", "not an address" },
	{ "2001:db8::/", "bad prefix length" },
	{ "2001:db8::/129", "bad prefix length" },
	{ "2001:db8::/-1", "bad prefix length" },
	{ "2001:db8::/64/64", "bad prefix length" },
	{ "2001:db8::/0x20", "bad prefix length" },
	{ "2001:db8::1/64", "host bits set after the prefix length" },
	{ "2001:db8:8000::/32", "host bits set after the prefix length" },
	{ "2001:db8::1/127", "host bits set after the prefix length" },
	{ "2001:db8::g", "not an IPv6 address" },
	{ "2001:db8:::1", "not an IPv6 address" },
	{ "192.0.2.1", "not an IPv6 address" },
	{ "1:2:3:4:5:6:7:8:9", "not an IPv6 address" },
	{ "2001:db8::%eth0", "not an IPv6 address" },
	{ "2001:0db8:0000:0000:0000:0000:0000:0000:0000:0000/32",
	    "not an address" },
};

START_TEST(test_parse6_rejects_bad_input)
{
	struct prefix6	 p;
	const char	*why = NULL;

	ck_assert_msg(addr_parse6(bad6[_i].in, &p, &why) == -1,
	    "\"%s\" accepted", bad6[_i].in);
	ck_assert_str_eq(why, bad6[_i].why);
}
END_TEST

/* Printing. */

START_TEST(test_str4_omits_slash_32)
{
	struct prefix4	p;
	char		buf[ADDR_STRLEN];

	p.addr = in4("192.0.2.1");
	p.len = 32;
	ck_assert_str_eq(addr_str4(&p, buf, sizeof buf), "192.0.2.1");
	p.addr = in4("198.51.100.0");
	p.len = 24;
	ck_assert_str_eq(addr_str4(&p, buf, sizeof buf), "198.51.100.0/24");
	p.addr = 0;
	p.len = 0;
	ck_assert_str_eq(addr_str4(&p, buf, sizeof buf), "0.0.0.0/0");
}
END_TEST

START_TEST(test_str6_compresses_and_omits_slash_128)
{
	struct prefix6	p;
	char		buf[ADDR_STRLEN];

	p = pfx6("2001:0DB8:0000::0001");
	ck_assert_str_eq(addr_str6(&p, buf, sizeof buf), "2001:db8::1");
	p = pfx6("2001:db8:0:0::/32");
	ck_assert_str_eq(addr_str6(&p, buf, sizeof buf), "2001:db8::/32");
	p = pfx6("64:ff9b::/96");
	ck_assert_str_eq(addr_str6(&p, buf, sizeof buf), "64:ff9b::/96");
	p = pfx6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124");
	ck_assert_str_eq(addr_str6(&p, buf, sizeof buf),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124");
}
END_TEST

/* What is printed parses back to the same prefix. */
START_TEST(test_str_parses_back)
{
	struct prefix4	 p4, q4;
	struct prefix6	 p6, q6;
	char		 buf[ADDR_STRLEN];
	const char	*why;
	int		 i, j, len;

	srandom(4291);
	for (i = 0; i < 2000; i++) {
		len = random() % 33;
		p4.addr = (uint32_t)random() & addr_mask4(len);
		p4.len = len;
		addr_str4(&p4, buf, sizeof buf);
		ck_assert_int_eq(addr_parse4(buf, &q4, &why), 0);
		ck_assert_uint_eq(q4.addr, p4.addr);
		ck_assert_uint_eq(q4.len, p4.len);

		len = random() % 129;
		memset(&p6, 0, sizeof p6);
		for (j = 0; j < 16; j++)
			p6.addr.s6_addr[j] = (uint8_t)random();
		addr_mask6(&p6.addr, len);
		p6.len = len;
		addr_str6(&p6, buf, sizeof buf);
		ck_assert_int_eq(addr_parse6(buf, &q6, &why), 0);
		ck_assert_mem_eq(&q6.addr, &p6.addr, 16);
		ck_assert_uint_eq(q6.len, p6.len);
	}
}
END_TEST

/* Masks. */

START_TEST(test_mask4_known_lengths)
{
	ck_assert_uint_eq(addr_mask4(0), 0);
	ck_assert_uint_eq(addr_mask4(1), htonl(0x80000000U));
	ck_assert_uint_eq(addr_mask4(8), htonl(0xff000000U));
	ck_assert_uint_eq(addr_mask4(24), htonl(0xffffff00U));
	ck_assert_uint_eq(addr_mask4(31), htonl(0xfffffffeU));
	ck_assert_uint_eq(addr_mask4(32), 0xffffffffU);
}
END_TEST

/* addr_mask6 against a bit-by-bit reference, at every length. */
START_TEST(test_mask6_keeps_exactly_len_bits)
{
	struct in6_addr	a, want;
	int		len = _i, bit;

	memset(&a, 0xff, sizeof a);
	memset(&want, 0, sizeof want);
	for (bit = 0; bit < len; bit++)
		want.s6_addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	addr_mask6(&a, (uint8_t)len);
	ck_assert_mem_eq(&a, &want, 16);
}
END_TEST

START_TEST(test_in6_matches_prefix_only)
{
	struct prefix6	p = pfx6("2001:db8:100::/40");
	struct in6_addr	a;

	a = in6("2001:db8:1ff:ffff::1");
	ck_assert(addr_in6(&p, &a));
	a = in6("2001:db8:100::");
	ck_assert(addr_in6(&p, &a));
	a = in6("2001:db8:200::");
	ck_assert(!addr_in6(&p, &a));
	a = in6("2001:db9:100::");
	ck_assert(!addr_in6(&p, &a));
	p = pfx6("::/0");
	ck_assert(addr_in6(&p, &a));
}
END_TEST

/* RFC 6052 2.2: only these prefix lengths have a format. */
START_TEST(test_6052_lengths_are_32_to_64_by_8_and_96)
{
	int	len;
	bool	want;

	for (len = 0; len <= 128; len++) {
		want = len == 32 || len == 40 || len == 48 || len == 56 ||
		    len == 64 || len == 96;
		ck_assert_msg(addr_valid6052_len((uint8_t)len) == want,
		    "/%d", len);
	}
}
END_TEST

/* RFC 6052 2.4, the example table: 192.0.2.33 in each prefix. */
static const struct {
	const char	*prefix;
	const char	*embedded;
	int		 u;	/* byte index of the u octet, or -1 */
} rfc6052[] = {
	{ "2001:db8::/32",		"2001:db8:c000:221::", 8 },
	{ "2001:db8:100::/40",		"2001:db8:1c0:2:21::", 8 },
	{ "2001:db8:122::/48",		"2001:db8:122:c000:2:2100::", 8 },
	{ "2001:db8:122:300::/56",	"2001:db8:122:3c0:0:221::", 8 },
	{ "2001:db8:122:344::/64",	"2001:db8:122:344:c0:2:2100:0", 8 },
	{ "2001:db8:122:344::/96",	"2001:db8:122:344::192.0.2.33", -1 },
};
#define NRFC6052	(int)(sizeof rfc6052 / sizeof rfc6052[0])

START_TEST(test_6052_embed_matches_rfc_table)
{
	struct prefix6	p = pfx6(rfc6052[_i].prefix);
	struct in6_addr	got, want = in6(rfc6052[_i].embedded);

	addr_embed6052(&p, in4("192.0.2.33"), &got);
	ck_assert_mem_eq(&got, &want, 16);
}
END_TEST

START_TEST(test_6052_extract_matches_rfc_table)
{
	struct prefix6	p = pfx6(rfc6052[_i].prefix);
	struct in6_addr	a = in6(rfc6052[_i].embedded);
	uint32_t	v4 = 0;

	ck_assert(addr_extract6052(&p, &a, &v4));
	ck_assert_uint_eq(v4, in4("192.0.2.33"));
}
END_TEST

/* Every IPv4 address survives embed then extract, at every length. */
START_TEST(test_6052_random_round_trip)
{
	struct prefix6	p = pfx6(rfc6052[_i].prefix);
	struct in6_addr	a;
	uint32_t	v4, out;
	int		n;

	srandom(6052 + _i);
	for (n = 0; n < 10000; n++) {
		v4 = (uint32_t)random() ^ (uint32_t)random() << 16;
		addr_embed6052(&p, v4, &a);
		ck_assert(addr_in6(&p, &a));
		if (rfc6052[_i].u >= 0)
			ck_assert_uint_eq(a.s6_addr[rfc6052[_i].u], 0);
		ck_assert(addr_extract6052(&p, &a, &out));
		ck_assert_uint_eq(out, v4);
	}
}
END_TEST

/* RFC 6052 2.2: bits 64-71 must be zero; otherwise it is not ours. */
START_TEST(test_6052_extract_rejects_nonzero_u_octet)
{
	struct prefix6	p = pfx6(rfc6052[_i].prefix);
	struct in6_addr	a = in6(rfc6052[_i].embedded);
	uint32_t	v4;

	if (rfc6052[_i].u < 0)
		return;
	a.s6_addr[rfc6052[_i].u] = 0x01;
	ck_assert(!addr_extract6052(&p, &a, &v4));
	a.s6_addr[rfc6052[_i].u] = 0x80;
	ck_assert(!addr_extract6052(&p, &a, &v4));
}
END_TEST

/* RFC 6052 2.2: the suffix is zero; each suffix byte is checked. */
START_TEST(test_6052_extract_rejects_nonzero_suffix)
{
	static const int	last_v4[] = { 7, 9, 10, 11, 12, 15 };
	struct prefix6		p = pfx6(rfc6052[_i].prefix);
	struct in6_addr		a;
	uint32_t		v4;
	int			i;

	for (i = last_v4[_i] + 1; i < 16; i++) {
		a = in6(rfc6052[_i].embedded);
		a.s6_addr[i] = 0x01;
		ck_assert_msg(!addr_extract6052(&p, &a, &v4),
		    "%s: byte %d set but accepted", rfc6052[_i].prefix, i);
	}
}
END_TEST

START_TEST(test_6052_extract_rejects_outside_prefix)
{
	struct prefix6	p = pfx6(rfc6052[_i].prefix);
	struct in6_addr	a = in6(rfc6052[_i].embedded);
	uint32_t	v4;
	int		last = p.len - 1;

	/* Flip the last bit of the prefix, then the first. */
	a.s6_addr[last / 8] ^= (uint8_t)(0x80 >> (last % 8));
	ck_assert(!addr_extract6052(&p, &a, &v4));
	a = in6(rfc6052[_i].embedded);
	a.s6_addr[0] ^= 0x80;
	ck_assert(!addr_extract6052(&p, &a, &v4));
}
END_TEST

/* The well-known prefix of RFC 6052 2.1, with the 2.4 example address. */
START_TEST(test_6052_well_known_prefix)
{
	struct prefix6	p = pfx6("64:ff9b::/96");
	struct in6_addr	got, want = in6("64:ff9b::c000:221");
	uint32_t	v4;

	addr_embed6052(&p, in4("192.0.2.33"), &got);
	ck_assert_mem_eq(&got, &want, 16);
	ck_assert(addr_extract6052(&p, &want, &v4));
	ck_assert_uint_eq(v4, in4("192.0.2.33"));
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite	*s = suite_create("addr");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse4_host_is_slash_32);
	tcase_add_test(tc, test_parse4_prefix);
	tcase_add_loop_test(tc, test_parse4_rejects_bad_input, 0,
	    (int)(sizeof bad4 / sizeof bad4[0]));
	tcase_add_test(tc, test_parse6_host_is_slash_128);
	tcase_add_test(tc, test_parse6_prefix);
	tcase_add_loop_test(tc, test_parse6_rejects_bad_input, 0,
	    (int)(sizeof bad6 / sizeof bad6[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("print");
	tcase_add_test(tc, test_str4_omits_slash_32);
	tcase_add_test(tc, test_str6_compresses_and_omits_slash_128);
	tcase_add_test(tc, test_str_parses_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_test(tc, test_mask4_known_lengths);
	tcase_add_loop_test(tc, test_mask6_keeps_exactly_len_bits, 0, 129);
	tcase_add_test(tc, test_in6_matches_prefix_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc6052-2.2");
	tcase_add_test(tc, test_6052_lengths_are_32_to_64_by_8_and_96);
	tcase_add_loop_test(tc, test_6052_extract_rejects_nonzero_u_octet, 0,
	    NRFC6052);
	tcase_add_loop_test(tc, test_6052_extract_rejects_nonzero_suffix, 0,
	    NRFC6052);
	tcase_add_loop_test(tc, test_6052_extract_rejects_outside_prefix, 0,
	    NRFC6052);
	tcase_add_loop_test(tc, test_6052_random_round_trip, 0, NRFC6052);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc6052-2.4");
	tcase_add_loop_test(tc, test_6052_embed_matches_rfc_table, 0,
	    NRFC6052);
	tcase_add_loop_test(tc, test_6052_extract_matches_rfc_table, 0,
	    NRFC6052);
	tcase_add_test(tc, test_6052_well_known_prefix);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(addr_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
