/* SPDX-License-Identifier: ISC */
/*
 * check_bindings.c: the binding table of RFC 7596 with the port sets of
 * RFC 7597 5.1: PSID arithmetic against the RFC's examples, lookups at
 * the edges of a port set, and the table against a linear scan at scale.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindings.h"
#include "config.h"
#include "psid.h"

/*
 * Under valgrind (make check-valgrind sets TUNMAPD_UNIT_QUICK), some
 * fifty times slower, the same checks on a fiftieth of the entries:
 * valgrind is there for memory errors, the full runs for scale.
 */
static size_t
quick(size_t n)
{
	return (getenv("TUNMAPD_UNIT_QUICK") != NULL ? n / 50 : n);
}

static uint32_t
v4(const char *s)
{
	struct in_addr	a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return (a.s_addr);
}

static struct in6_addr
v6(const char *s)
{
	struct in6_addr	a;

	ck_assert_int_eq(inet_pton(AF_INET6, s, &a), 1);
	return (a);
}

static struct binding
mk(const char *b4, const char *ipv4, uint16_t psid, uint8_t k, uint8_t a)
{
	struct binding	b;

	memset(&b, 0, sizeof b);
	b.b4 = v6(b4);
	b.ipv4 = v4(ipv4);
	b.psid = psid;
	b.psid_len = k;
	b.psid_offset = a;
	return (b);
}

/* A list of bindings, default BR only, built; the caller frees both. */
static void
build(struct binding_list *l, struct bindings *t, const struct binding *b,
    size_t n)
{
	struct in6_addr	br = v6("2001:db8:ffff::1");
	size_t		i;

	memset(l, 0, sizeof *l);
	ck_assert_int_eq(bindings_br(l, &br), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(bindings_add(l, &b[i]), 0);
	ck_assert_int_eq(bindings_build(t, l), 0);
}

/*
 * The ports of one set of (k, a, psid) as RFC 7597 5.1 defines them:
 * for each A in 1..2^a-1 (0..0 when a = 0), the 2^m ports
 * A << (16 - a) | psid << m | j.
 */
static void
ref_set(bool *in, uint8_t k, uint8_t a, uint16_t psid)
{
	unsigned int	m = 16 - a - k, A, j;

	memset(in, k == 0, 65536 * sizeof *in);
	if (k == 0)
		return;
	for (A = a == 0 ? 0 : 1; A < (1u << a); A++)
		for (j = 0; j < (1u << m); j++)
			in[(A << (16 - a)) | ((unsigned int)psid << m) | j] =
			    true;
}

/*
 * RFC 7597 Appendix B, example 1: PSID 0x34 of length 8 at the default
 * offset 6 has 63 ranges of 4 ports, 1232-1235, 2256-2259, ...,
 * 63696-63699, 64720-64723.
 */
START_TEST(test_rfc7597_b_example1_ranges)
{
	static const uint16_t	edge[][2] = {
		{ 1232, 1235 }, { 2256, 2259 }, { 63696, 63699 },
		{ 64720, 64723 },
	};
	unsigned int		i, port, n = 0;

	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(psid_of_port(edge[i][0], 8, 6), 0x34);
		ck_assert_uint_eq(psid_of_port(edge[i][1], 8, 6), 0x34);
		ck_assert(psid_port_in_sets(edge[i][0], 8, 6));
		ck_assert_uint_ne(psid_of_port(edge[i][0] - 1, 8, 6), 0x34);
		ck_assert_uint_ne(psid_of_port(edge[i][1] + 1, 8, 6), 0x34);
	}
	for (port = 0; port < 65536; port++)
		if (psid_port_in_sets((uint16_t)port, 8, 6) &&
		    psid_of_port((uint16_t)port, 8, 6) == 0x34)
			n++;
	ck_assert_uint_eq(n, 63 * 4);
}
END_TEST

/*
 * The same PSID with a = 4 (RFC 7597 5.1's formula): m = 4, so 15
 * ranges of 16 ports, A << 12 | 0x34 << 4: 4928-4943 ... 62272-62287;
 * the ports 0-4095 (A = 0) are in no set.
 */
START_TEST(test_rfc7597_offset4_ranges)
{
	unsigned int	port, n = 0;

	ck_assert_uint_eq(psid_of_port(4928, 8, 4), 0x34);
	ck_assert_uint_eq(psid_of_port(4943, 8, 4), 0x34);
	ck_assert_uint_eq(psid_of_port(62272, 8, 4), 0x34);
	ck_assert_uint_eq(psid_of_port(62287, 8, 4), 0x34);
	ck_assert(!psid_port_in_sets(4095, 8, 4));
	ck_assert(psid_port_in_sets(4096, 8, 4));
	for (port = 0; port < 65536; port++)
		if (psid_port_in_sets((uint16_t)port, 8, 4) &&
		    psid_of_port((uint16_t)port, 8, 4) == 0x34)
			n++;
	ck_assert_uint_eq(n, 15 * 16);
}
END_TEST

/* Every (k, a) of a small set: psid_of_port agrees with the definition. */
START_TEST(test_psid_of_port_matches_definition)
{
	static const uint8_t	ka[][2] = {
		{ 1, 6 }, { 4, 0 }, { 6, 6 }, { 8, 4 }, { 10, 6 }, { 16, 0 },
		{ 2, 14 }, { 3, 13 },
	};
	static bool		ref[65536];
	unsigned int		i, port;
	uint16_t		psid;
	uint8_t			k, a;
	bool			in;

	for (i = 0; i < sizeof ka / sizeof ka[0]; i++) {
		k = ka[i][0];
		a = ka[i][1];
		psid = (uint16_t)((1u << k) - 1) & 0x5;
		ref_set(ref, k, a, psid);
		for (port = 0; port < 65536; port++) {
			in = psid_port_in_sets((uint16_t)port, k, a) &&
			    psid_of_port((uint16_t)port, k, a) == psid;
			ck_assert_msg(in == ref[port], "k %u a %u port %u", k,
			    a, port);
		}
	}
}
END_TEST

START_TEST(test_find_hits_and_misses)
{
	struct binding		b[] = {
		mk("2001:db8:b4::1", "198.51.100.1", 1, 6, 6),
		mk("2001:db8:b4::2", "198.51.100.1", 2, 6, 6),
		mk("2001:db8:b4::3", "198.51.100.2", 0, 0, 0),
	};
	struct binding_list	l;
	struct bindings		t;
	const struct binding	*f;
	uint8_t			k, a;

	build(&l, &t, b, 3);
	/* psid 1/6 at a 6: A << 10 | 1 << 4 | j: 1040-1055, ... */
	f = bindings_find(&t, v4("198.51.100.1"), 1040);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->psid, 1);
	ck_assert_ptr_nonnull(bindings_find(&t, v4("198.51.100.1"), 1055));
	f = bindings_find(&t, v4("198.51.100.1"), 1056);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->psid, 2);
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.1"), 1039));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.1"), 1072));
	/* Below 1024 no port belongs to a set. */
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.1"), 16));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.3"), 1040));
	/* Bound whole: every port, 0 included. */
	f = bindings_find(&t, v4("198.51.100.2"), 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_eq(f, bindings_find(&t, v4("198.51.100.2"), 65535));
	ck_assert(bindings_addr(&t, v4("198.51.100.1"), &k, &a));
	ck_assert_uint_eq(k, 6);
	ck_assert_uint_eq(a, 6);
	ck_assert(bindings_addr(&t, v4("198.51.100.2"), &k, &a));
	ck_assert_uint_eq(k, 0);
	ck_assert_uint_eq(a, 0);
	ck_assert(!bindings_addr(&t, v4("198.51.100.3"), &k, &a));
	bindings_free(&t);
	bindings_list_free(&l);
}
END_TEST

/* k = 16 gives one port per set; a = 0 makes each set one range. */
START_TEST(test_find_k16_and_a0)
{
	struct binding		b[] = {
		mk("2001:db8:b4::1", "198.51.100.1", 80, 16, 0),
		mk("2001:db8:b4::2", "198.51.100.2", 3, 4, 0),
	};
	struct binding_list	l;
	struct bindings		t;

	build(&l, &t, b, 2);
	ck_assert_ptr_nonnull(bindings_find(&t, v4("198.51.100.1"), 80));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.1"), 81));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.1"), 79));
	/* psid 3 of 4 bits, no offset: 3 << 12 = 12288-16383, 0 allowed. */
	ck_assert_ptr_nonnull(bindings_find(&t, v4("198.51.100.2"), 12288));
	ck_assert_ptr_nonnull(bindings_find(&t, v4("198.51.100.2"), 16383));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.2"), 12287));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.2"), 16384));
	bindings_free(&t);
	bindings_list_free(&l);
}
END_TEST

START_TEST(test_add_rejects_bad_params)
{
	struct binding_list	l;
	struct in6_addr		br = v6("2001:db8:ffff::1");
	struct binding		b;

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(bindings_br(&l, &br), 0);
	b = mk("2001:db8:b4::1", "198.51.100.1", 64, 6, 6);
	ck_assert_int_eq(bindings_add(&l, &b), -1);
	ck_assert_int_eq(errno, EINVAL);
	b = mk("2001:db8:b4::1", "198.51.100.1", 1, 11, 6);
	ck_assert_int_eq(bindings_add(&l, &b), -1);
	b = mk("2001:db8:b4::1", "198.51.100.1", 0, 0, 6);
	ck_assert_int_eq(bindings_add(&l, &b), -1);
	b = mk("2001:db8:b4::1", "198.51.100.1", 1, 6, 6);
	b.br = 1;
	ck_assert_int_eq(bindings_add(&l, &b), -1);
	ck_assert_uint_eq(l.n, 0);
	bindings_list_free(&l);
}
END_TEST

/* Two bindings for one port: the build refuses rather than pick one. */
START_TEST(test_build_refuses_overlap)
{
	struct binding		b[] = {
		mk("2001:db8:b4::1", "198.51.100.1", 1, 6, 6),
		mk("2001:db8:b4::2", "198.51.100.1", 0, 0, 0),
	};
	struct binding_list	l;
	struct bindings		t;
	struct in6_addr		br = v6("2001:db8:ffff::1");

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(bindings_br(&l, &br), 0);
	ck_assert_int_eq(bindings_add(&l, &b[0]), 0);
	ck_assert_int_eq(bindings_add(&l, &b[1]), 0);
	ck_assert_int_eq(bindings_build(&t, &l), -1);
	ck_assert_int_eq(errno, EEXIST);
	bindings_list_free(&l);
}
END_TEST


/* Write text to a scratch file; its path in path. */
static void
write_file(char *path, size_t len, const char *text)
{
	FILE	*f;

	snprintf(path, len, "/tmp/check_bindings-%d.txt", (int)getpid());
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* msg without every occurrence of path, in a static buffer. */
static const char *
strip(const char *msg, const char *path)
{
	static char	 buf[1024];
	const char	*p;
	size_t		 n = 0, plen = strlen(path);

	while ((p = strstr(msg, path)) != NULL) {
		memcpy(buf + n, msg, (size_t)(p - msg));
		n += (size_t)(p - msg);
		msg = p + plen;
	}
	snprintf(buf + n, sizeof buf - n, "%s", msg);
	return (buf);
}

/*
 * Load text as a bindings file after the default BR, validate it unless
 * the load failed, and compare every message, without the file's path,
 * with want (NULL-terminated).
 */
static void
load_expect(struct binding_list *l, const char *text, const char **want)
{
	struct config_errors	 errs = { NULL, 0 };
	struct in6_addr		 br = v6("2001:db8:ffff::1");
	char			 path[64];
	size_t			 i;
	int			 rv;

	write_file(path, sizeof path, text);
	memset(l, 0, sizeof *l);
	ck_assert_int_eq(bindings_br(l, &br), 0);
	rv = bindings_file_load(l, path, &errs);
	if (rv == 0)
		rv = bindings_validate(l, path, "tunmapd.conf", &errs);
	unlink(path);
	for (i = 0; i < errs.n && want[i] != NULL; i++)
		ck_assert_str_eq(strip(errs.msg[i], path), want[i]);
	ck_assert_msg(want[i] == NULL && i == errs.n,
	    "%zu messages, first unexpected: %s", errs.n,
	    i < errs.n ? errs.msg[i] : want[i]);
	ck_assert_int_eq(rv, errs.n == 0 ? 0 : -1);
	config_errors_clear(&errs);
}

START_TEST(test_file_good)
{
	static const char	*none[] = { NULL };
	struct binding_list	 l;
	struct bindings		 t;
	const struct binding	*f;

	load_expect(&l,
	    "# bindings\n"
	    "\n"
	    "2001:db8:b4::1 198.51.100.1 1/6\n"
	    "   2001:db8:b4::3\t198.51.100.2   # whole\n"
	    "2001:db8:b4::4 198.51.100.3 5/8 offset 4 br 2001:db8:ffff::2\n"
	    "2001:db8:b4::5 198.51.100.3 6/8 br 2001:db8:ffff::2 offset 4\r\n"
	    "2001:db8:b4::6 198.51.100.4 0/0\n"
	    "2001:db8:b4::7 198.51.100.5 65535/16 offset 0", none);
	ck_assert_uint_eq(l.n, 6);
	ck_assert_uint_eq(l.nbr, 2);
	/* Sorted by address, then PSID. */
	ck_assert_uint_eq(l.b[0].line, 3);
	ck_assert_uint_eq(l.b[0].psid_offset, 6);
	ck_assert_uint_eq(l.b[1].line, 4);
	ck_assert_uint_eq(l.b[1].psid_len, 0);
	ck_assert_uint_eq(l.b[1].psid_offset, 0);
	ck_assert_uint_eq(l.b[2].psid, 5);
	ck_assert_uint_eq(l.b[2].psid_offset, 4);
	ck_assert_uint_eq(l.b[2].br, 1);
	ck_assert_uint_eq(l.b[3].br, 1);
	ck_assert_uint_eq(l.b[4].psid_len, 0);
	ck_assert_uint_eq(l.b[5].psid, 65535);
	ck_assert_int_eq(bindings_build(&t, &l), 0);
	/* 5/8 at a = 4: A << 12 | 5 << 4, 16 ports. */
	f = bindings_find(&t, v4("198.51.100.3"), 4096 | 5 << 4);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->line, 5);
	f = bindings_find(&t, v4("198.51.100.3"), 4096 | 6 << 4 | 15);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->line, 6);
	ck_assert_ptr_nonnull(bindings_find(&t, v4("198.51.100.5"), 65535));
	ck_assert_ptr_null(bindings_find(&t, v4("198.51.100.5"), 65534));
	bindings_free(&t);
	bindings_list_free(&l);
}
END_TEST

START_TEST(test_file_syntax_errors)
{
	static const char	*want[] = {
		":1: B4 address \"2001:db8::g\" is not an IPv6 address",
		":2: \"198.51.100\" is not an IPv4 address",
		":3: bad PSID \"1-6\": write PSID/LENGTH, e.g. 1/6",
		":4: PSID 64 does not fit in 6 bits (at most 63)",
		":5: offset 6 and PSID length 11 are more than 16 bits",
		":6: unknown word \"ofset\"",
		":7: needs a B4 IPv6 address and an IPv4 address",
		":8: PSID length 12 with the default offset 6 is more than "
		    "16 bits: give an offset of at most 4",
		":9: PSID length 17 is more than 16",
		":10: bad PSID \"0x3/6\": write PSID/LENGTH, e.g. 1/6",
		":11: offset needs a number from 0 to 16",
		":12: offset without a PSID: the whole address is bound",
		":13: br \"x\" is not an IPv6 address",
		":14: offset given twice",
		":15: B4 address ff02::1 is not a unicast address",
		":16: IPv4 address 224.0.0.1 is not a unicast address",
		":17: br needs an IPv6 address",
		":18: unknown word \"1/6\"",
		NULL
	};
	struct binding_list	 l;

	load_expect(&l,
	    "2001:db8::g 198.51.100.1 1/6\n"
	    "2001:db8:b4::1 198.51.100 1/6\n"
	    "2001:db8:b4::1 198.51.100.1 1-6\n"
	    "2001:db8:b4::1 198.51.100.1 64/6\n"
	    "2001:db8:b4::1 198.51.100.1 1/11 offset 6\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 ofset 4\n"
	    "2001:db8:b4::1 # the IPv4 address went missing\n"
	    "2001:db8:b4::1 198.51.100.1 1/12\n"
	    "2001:db8:b4::1 198.51.100.1 1/17 offset 0\n"
	    "2001:db8:b4::1 198.51.100.1 0x3/6\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 offset -1\n"
	    "2001:db8:b4::1 198.51.100.1 offset 4\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 br x\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 offset 4 offset 4\n"
	    "ff02::1 198.51.100.1 1/6\n"
	    "2001:db8:b4::1 224.0.0.1 1/6\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 br\n"
	    "2001:db8:b4::1 198.51.100.1 br 2001:db8:ffff::2 1/6\n"
	    "2001:db8:b4::1 198.51.100.1 1/6 # this one is good\n", want);
	ck_assert_uint_eq(l.n, 1);
	bindings_list_free(&l);
}
END_TEST

START_TEST(test_file_conflicts)
{
	static const char	*want[] = {
		":6: 198.51.100.1 psid 1/6 is already bound at :1",
		":3: 198.51.100.2 psid 1/6 overlaps 198.51.100.2 (all ports) "
		    "bound at :2",
		":4: 198.51.100.2 psid 2/6 overlaps 198.51.100.2 (all ports) "
		    "bound at :2",
		":7: 198.51.100.3 psid 2/8: mismatched PSID parameters with "
		    "198.51.100.3 psid 1/6 at :5 (an address has one PSID "
		    "length and offset)",
		":9: 198.51.100.3 psid 3/6 offset 5: mismatched PSID "
		    "parameters with 198.51.100.3 psid 1/6 at :5 (an address "
		    "has one PSID length and offset)",
		":8: B4 2001:db8:b4::5 is already bound to 198.51.100.3 psid "
		    "1/6 at :5",
		":10: B4 2001:db8:b4::1 is already bound to 198.51.100.1 psid "
		    "1/6 at :1",
		NULL
	};
	struct binding_list	 l;

	load_expect(&l,
	    "2001:db8:b4::1 198.51.100.1 1/6\n"
	    "2001:db8:b4::2 198.51.100.2\n"
	    "2001:db8:b4::3 198.51.100.2 1/6\n"
	    "2001:db8:b4::4 198.51.100.2 2/6\n"
	    "2001:db8:b4::5 198.51.100.3 1/6\n"
	    "2001:db8:b4::6 198.51.100.1 1/6\n"
	    "2001:db8:b4::7 198.51.100.3 2/8\n"
	    "2001:db8:b4::5 198.51.100.3 2/6\n"
	    "2001:db8:b4::9 198.51.100.3 3/6 offset 5\n"
	    "2001:db8:b4::1 198.51.100.4\n", want);
	bindings_list_free(&l);
}
END_TEST

/* Inline bindings name the configuration file and count as earlier. */
START_TEST(test_inline_named_by_conffile)
{
	struct config_errors	 errs = { NULL, 0 };
	struct binding_list	 l;
	struct binding		 b = mk("2001:db8:b4::1", "198.51.100.1", 1, 6,
				    6);
	struct in6_addr		 br = v6("2001:db8:ffff::1");

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(bindings_br(&l, &br), 0);
	b.line = 3;
	ck_assert_int_eq(bindings_add(&l, &b), 0);
	b.line = BINDING_INLINE | 40;
	b.b4 = v6("2001:db8:b4::2");
	ck_assert_int_eq(bindings_add(&l, &b), 0);
	ck_assert_int_eq(bindings_validate(&l, "b.txt", "t.conf", &errs), -1);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.msg[0], "b.txt:3: 198.51.100.1 psid 1/6 is "
	    "already bound at t.conf:40");
	config_errors_clear(&errs);
	bindings_list_free(&l);
}
END_TEST

/* Past 100 errors, a count. */
START_TEST(test_file_error_count)
{
	struct config_errors	 errs = { NULL, 0 };
	struct binding_list	 l;
	char			 path[64];
	FILE			*f;
	int			 i;

	snprintf(path, sizeof path, "/tmp/check_bindings-%d.txt",
	    (int)getpid());
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	for (i = 0; i < 250; i++)
		fprintf(f, "bad\n");
	fclose(f);
	memset(&l, 0, sizeof l);
	ck_assert_int_eq(bindings_file_load(&l, path, &errs), -1);
	ck_assert_uint_eq(errs.n, 101);
	ck_assert(strstr(errs.msg[99], ":100: needs a B4") != NULL);
	ck_assert(strstr(errs.msg[100], ": 150 more errors") != NULL);
	unlink(path);
	config_errors_clear(&errs);
	bindings_list_free(&l);
}
END_TEST

START_TEST(test_ports_str)
{
	struct binding	b = mk("2001:db8:b4::1", "198.51.100.1", 1, 6, 6);
	char		buf[1024], small[40], exact[1024];
	int		n;

	/* 63 ranges of 16: A << 10 | 1 << 4. */
	ck_assert_int_gt(bindings_ports_str(&b, buf, sizeof buf), 0);
	ck_assert(strncmp(buf, "1040-1055,2064-2079,", 20) == 0);
	ck_assert(strstr(buf, ",64528-64543") != NULL);
	ck_assert_int_eq(bindings_ports_str(&b, small, sizeof small),
	    (int)strlen(small));
	ck_assert_str_eq(small, "1040-1055,2064-2079,...,64528-64543");
	/* All of them in a buffer just large enough, not shortened. */
	n = bindings_ports_str(&b, buf, sizeof buf);
	ck_assert_int_eq(bindings_ports_str(&b, exact, (size_t)n + 1), n);
	ck_assert_str_eq(exact, buf);
	ck_assert_int_lt(bindings_ports_str(&b, exact, (size_t)n), n);
	ck_assert(strstr(exact, ",...,64528-64543") != NULL);
	b = mk("2001:db8:b4::1", "198.51.100.1", 0, 0, 0);
	bindings_ports_str(&b, buf, sizeof buf);
	ck_assert_str_eq(buf, "0-65535");
	b = mk("2001:db8:b4::1", "198.51.100.1", 80, 16, 0);
	bindings_ports_str(&b, buf, sizeof buf);
	ck_assert_str_eq(buf, "80");
	b = mk("2001:db8:b4::1", "198.51.100.1", 3, 4, 0);
	bindings_ports_str(&b, buf, sizeof buf);
	ck_assert_str_eq(buf, "12288-16383");
	ck_assert_int_eq(bindings_ports_str(&b, small, 5), -1);
}
END_TEST

struct lines {
	char	buf[8192];
	size_t	n;
};

static void
collect(void *arg, const char *line)
{
	struct lines	*c = arg;
	size_t		 len = strlen(c->buf);

	snprintf(c->buf + len, sizeof c->buf - len, "%s\n", line);
	c->n++;
}

START_TEST(test_diff_added_removed_unchanged)
{
	static const char	*none[] = { NULL };
	struct binding_list	 old, new, empty;
	struct lines		 c;

	load_expect(&old,
	    "2001:db8:b4::1 198.51.100.1 1/12 offset 4\n"
	    "2001:db8:b4::2 198.51.100.2\n"
	    "2001:db8:b4::3 198.51.100.3 3/15 offset 1\n", none);
	load_expect(&new,
	    "2001:db8:b4::3 198.51.100.3 3/15 offset 1 br 2001:db8:ffff::2\n"
	    "2001:db8:b4::1 198.51.100.1 1/12 offset 4\n"
	    "2001:db8:b4::4 198.51.100.4 2/14 offset 0\n", none);
	memset(&c, 0, sizeof c);
	ck_assert_uint_eq(bindings_diff(&old, &new, collect, &c), 4);
	ck_assert_str_eq(c.buf,
	    "binding removed: b4 2001:db8:b4::2 ipv4 198.51.100.2 "
	    "ports 0-65535 br 2001:db8:ffff::1\n"
	    "binding removed: b4 2001:db8:b4::3 ipv4 198.51.100.3 "
	    "psid 3/15 offset 1 ports 32771 br 2001:db8:ffff::1\n"
	    "binding added: b4 2001:db8:b4::3 ipv4 198.51.100.3 "
	    "psid 3/15 offset 1 ports 32771 br 2001:db8:ffff::2\n"
	    "binding added: b4 2001:db8:b4::4 ipv4 198.51.100.4 "
	    "psid 2/14 offset 0 ports 8-11 br 2001:db8:ffff::1\n");
	memset(&empty, 0, sizeof empty);
	memset(&c, 0, sizeof c);
	ck_assert_uint_eq(bindings_diff(&empty, &old, collect, &c), 3);
	/* m = 0: one port a range, A << 12 | 1. */
	c.buf[strlen("binding added: b4 2001:db8:b4::1 ipv4 198.51.100.1 "
	    "psid 1/12 offset 4 ports 4097,8193,")] = '\0';
	ck_assert_str_eq(c.buf, "binding added: b4 2001:db8:b4::1 ipv4 "
	    "198.51.100.1 psid 1/12 offset 4 ports 4097,8193,");
	memset(&c, 0, sizeof c);
	ck_assert_uint_eq(bindings_diff(&new, &new, collect, &c), 0);
	bindings_list_free(&old);
	bindings_list_free(&new);
}
END_TEST

/*
 * 100,000 random bindings over 2,000 addresses, each address with its
 * own k and a (k = 0 for some), against a scan of the whole list.
 */
START_TEST(test_random_table_against_scan)
{
	struct config_errors	 errs = { NULL, 0 };
	struct binding_list	 l;
	struct bindings		 t;
	struct in6_addr		 br = v6("2001:db8:ffff::1");
	static uint8_t		 ka[2000][2];
	const struct binding	*f, *want;
	struct binding		 b;
	uint32_t		 addr;
	uint16_t		 port;
	size_t			 i, j;
	unsigned int		 seed = 7;

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(bindings_br(&l, &br), 0);
	for (i = 0; i < 2000; i++) {
		ka[i][0] = (uint8_t)(rand_r(&seed) % 17);
		ka[i][1] = ka[i][0] == 0 ? 0 :
		    (uint8_t)(rand_r(&seed) % (17 - ka[i][0]));
	}
	for (i = 0; i < quick(100000); i++) {
		memset(&b, 0, sizeof b);
		j = (size_t)rand_r(&seed) % 2000;
		b.ipv4 = htonl(0xc6336400u + (uint32_t)j * 7);
		b.psid_len = ka[j][0];
		b.psid_offset = ka[j][1];
		b.psid = b.psid_len == 0 ? 0 :
		    (uint16_t)(rand_r(&seed) & ((1u << b.psid_len) - 1));
		b.b4.s6_addr[0] = 0x20;
		memcpy(b.b4.s6_addr + 8, &i, sizeof i);
		b.line = (uint32_t)i + 1;
		ck_assert_int_eq(bindings_add(&l, &b), 0);
	}
	/* Drop the repeats validation reports, keep the first of each. */
	bindings_validate(&l, "r.txt", "r.conf", &errs);
	config_errors_clear(&errs);
	for (i = j = 0; i < l.n; i++)
		if (j == 0 || l.b[i].ipv4 != l.b[j - 1].ipv4 ||
		    l.b[i].psid != l.b[j - 1].psid)
			l.b[j++] = l.b[i];
	l.n = j;
	ck_assert_int_eq(bindings_validate(&l, "r.txt", "r.conf", &errs), 0);
	ck_assert_int_eq(bindings_build(&t, &l), 0);
	for (i = 0; i < quick(20000); i++) {
		j = (size_t)rand_r(&seed) % 2100;
		addr = htonl(0xc6336400u + (uint32_t)j * 7);
		port = (uint16_t)rand_r(&seed);
		want = NULL;
		for (j = 0; j < l.n && want == NULL; j++)
			if (l.b[j].ipv4 == addr && psid_port_in_sets(port,
			    l.b[j].psid_len, l.b[j].psid_offset) &&
			    psid_of_port(port, l.b[j].psid_len,
			    l.b[j].psid_offset) == l.b[j].psid)
				want = &l.b[j];
		f = bindings_find(&t, addr, port);
		ck_assert_ptr_eq(f, want);
	}
	bindings_free(&t);
	bindings_list_free(&l);
}
END_TEST

static Suite *
bindings_suite(void)
{
	Suite	*s = suite_create("bindings");
	TCase	*tc;

	tc = tcase_create("rfc7597-5.1 psid");
	tcase_add_test(tc, test_rfc7597_b_example1_ranges);
	tcase_add_test(tc, test_rfc7597_offset4_ranges);
	tcase_add_test(tc, test_psid_of_port_matches_definition);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc7596 lookup");
	tcase_add_test(tc, test_find_hits_and_misses);
	tcase_add_test(tc, test_find_k16_and_a0);
	tcase_add_test(tc, test_add_rejects_bad_params);
	tcase_add_test(tc, test_build_refuses_overlap);
	suite_add_tcase(s, tc);

	tc = tcase_create("bindings file");
	tcase_add_test(tc, test_file_good);
	tcase_add_test(tc, test_file_syntax_errors);
	tcase_add_test(tc, test_file_conflicts);
	tcase_add_test(tc, test_inline_named_by_conffile);
	tcase_add_test(tc, test_file_error_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc7596 binding log");
	tcase_add_test(tc, test_ports_str);
	tcase_add_test(tc, test_diff_added_removed_unchanged);
	suite_add_tcase(s, tc);

	tc = tcase_create("oracle");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_random_table_against_scan);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(bindings_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
