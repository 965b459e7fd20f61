/* SPDX-License-Identifier: ISC */
/*
 * check_tables.c: EAM lookups (RFC 7757 3.2, longest prefix match in
 * both directions) against a plain reference: a linear scan over the
 * same entries.  100,000 random entries of mixed lengths, host entries
 * (/32 <-> /128) most of them, nested ones included, and queries both
 * inside and outside them; the covering entry the control socket shows,
 * and prefetching, which must change nothing.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tables.h"

#define NENTRIES	quick(100000)
#define NQUERIES	quick(200000)

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

static struct config_eam	*ents;
static size_t			 nents;
static struct tables		*tab;

/* xorshift: reproducible pseudo-random numbers. */
static uint64_t	rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)(rng >> 16));
}

/*
 * Random entries: mostly hosts, then /24../31 and /16../23 prefixes, some
 * nested in earlier ones.
 */
static void
make_entries(void)
{
	struct config_instance	c;
	size_t		i;
	uint8_t		len;
	uint32_t	a;

	ents = calloc(NENTRIES, sizeof *ents);
	ck_assert_ptr_nonnull(ents);
	for (i = 0; i < NENTRIES; i++) {
		switch (rnd() % 8) {
		case 0:
			len = (uint8_t)(16 + rnd() % 8);
			break;
		case 1:
		case 2:
			len = (uint8_t)(24 + rnd() % 8);
			break;
		default:
			len = 32;
			break;
		}
		a = (i % 10 == 9 && i > 0) ?	/* nested in an earlier one */
		    ntohl(ents[rnd() % i].p4.addr) | (rnd() & 0xff) :
		    0xc0000000U | (rnd() & 0x0fffffff);
		ents[i].p4.addr = htonl(a) & addr_mask4(len);
		ents[i].p4.len = len;
		/* The IPv6 side: a /96+ prefix that encodes i, host bits 0. */
		memset(&ents[i].p6.addr, 0, 16);
		ents[i].p6.addr.s6_addr[0] = 0x20;
		ents[i].p6.addr.s6_addr[1] = 0x01;
		ents[i].p6.addr.s6_addr[2] = 0x0d;
		ents[i].p6.addr.s6_addr[3] = 0xb8;
		memcpy(&ents[i].p6.addr.s6_addr[8], &(uint32_t){ htonl(
		    (uint32_t)i) }, 4);
		ents[i].p6.len = (uint8_t)(96 + len);
	}
	/* Repeated IPv4 prefixes are a config error: keep the first. */
	nents = 0;
	for (i = 0; i < NENTRIES; i++) {
		size_t	j;
		int	dup = 0;

		for (j = i > 64 ? i - 64 : 0; j < i && !dup; j++)
			dup = ents[j].p4.addr == ents[i].p4.addr &&
			    ents[j].p4.len == ents[i].p4.len;
		if (!dup)
			ents[nents++] = ents[i];
	}
	memset(&c, 0, sizeof c);
	config_defaults(&c);
	c.eam = ents;
	c.neam = nents;
	tab = tables_build(&c);
	ck_assert_ptr_nonnull(tab);
}

/* The reference: the longest entry containing a, by a full scan. */
static long
ref_lookup4(uint32_t a)
{
	long	best = -1;
	size_t	i;

	for (i = 0; i < nents; i++)
		if ((a & addr_mask4(ents[i].p4.len)) == ents[i].p4.addr &&
		    (best < 0 || ents[i].p4.len > ents[best].p4.len))
			best = (long)i;
	return (best);
}

START_TEST(test_rfc7757_3_2_lpm_4to6_matches_reference)
{
	struct in6_addr	 got, want;
	uint32_t	 a, host;
	long		 r;
	int		 q, found = 0;

	make_entries();
	/* A full scan per query is slow: check a sample against it. */
	for (q = 0; q < 3000; q++) {
		/* Half inside a random entry, half anywhere in 192/4. */
		r = rnd() % nents;
		a = q % 2 ? ents[r].p4.addr | (htonl(rnd()) &
		    ~addr_mask4(ents[r].p4.len)) :
		    htonl(0xc0000000U | (rnd() & 0x0fffffff));
		r = ref_lookup4(a);
		ck_assert_int_eq(tables_eam4(tab, a, &got), r >= 0);
		if (r < 0)
			continue;
		found++;
		want = ents[r].p6.addr;
		host = a & ~addr_mask4(ents[r].p4.len);
		for (int b = 0; b < 4; b++)
			want.s6_addr[12 + b] |= ((uint8_t *)&host)[b];
		ck_assert_mem_eq(&got, &want, 16);
	}
	ck_assert_int_ge(found, 1500);
}
END_TEST

/* Every IPv6 address an entry covers maps back to the IPv4 one. */
START_TEST(test_rfc7757_3_2_lpm_6to4_round_trip)
{
	struct in6_addr	 a;
	uint32_t	 got, host;
	size_t		 i, k;

	make_entries();
	for (k = 0; k < NQUERIES; k++) {
		i = rnd() % nents;
		a = ents[i].p6.addr;
		host = htonl(rnd()) & ~addr_mask4(ents[i].p4.len);
		for (int b = 0; b < 4; b++)
			a.s6_addr[12 + b] |= ((uint8_t *)&host)[b];
		ck_assert(tables_eam6(tab, &a, &got));
		ck_assert_uint_eq(got, ents[i].p4.addr | host);
	}
	/* Outside every entry: no answer. */
	inet_pton(AF_INET6, "2001:db9::1", &a);
	ck_assert(!tables_eam6(tab, &a, &got));
}
END_TEST

/* The reference for IPv6: the longest entry containing a. */
static long
ref_lookup6(const struct in6_addr *a)
{
	long	best = -1;
	size_t	i;

	for (i = 0; i < nents; i++)
		if (addr_in6(&ents[i].p6, a) &&
		    (best < 0 || ents[i].p6.len > ents[best].p6.len))
			best = (long)i;
	return (best);
}

/*
 * IPv6 queries inside entries, and near them (random bits after byte 8:
 * most fall in no entry) against the scan; and the covering entry is the
 * reference's.
 */
START_TEST(test_rfc7757_3_2_lpm_6to4_matches_reference)
{
	struct in6_addr	 a;
	struct eam	 e;
	uint32_t	 got, host;
	long		 r;
	int		 q, b, found = 0;

	make_entries();
	for (q = 0; q < 3000; q++) {
		r = rnd() % nents;
		a = ents[r].p6.addr;
		if (q % 2) {
			for (b = 9; b < 16; b++)
				a.s6_addr[b] = (uint8_t)rnd();
		} else {
			host = htonl(rnd()) & ~addr_mask4(ents[r].p4.len);
			for (b = 0; b < 4; b++)
				a.s6_addr[12 + b] |= ((uint8_t *)&host)[b];
		}
		r = ref_lookup6(&a);
		ck_assert_int_eq(tables_eam6(tab, &a, &got), r >= 0);
		ck_assert_int_eq(tables_eam_entry6(tab, &a, &e), r >= 0);
		if (r < 0)
			continue;
		found++;
		memcpy(&host, &a.s6_addr[12], 4);
		ck_assert_uint_eq(got, ents[r].p4.addr |
		    (host & ~addr_mask4(ents[r].p4.len)));
		ck_assert_uint_eq(e.p6.len, ents[r].p6.len);
		ck_assert_mem_eq(&e.p6.addr, &ents[r].p6.addr, 16);
		ck_assert_uint_eq(e.p4.len, ents[r].p4.len);
		ck_assert_uint_eq(e.p4.addr, ents[r].p4.addr);
	}
	ck_assert_int_ge(found, 1500);
}
END_TEST

/* The covering IPv4 entry is the one a full scan finds first. */
START_TEST(test_eam_entry4_matches_reference)
{
	struct eam	e;
	uint32_t	a;
	long		r;
	int		q;

	make_entries();
	for (q = 0; q < 3000; q++) {
		r = rnd() % nents;
		a = ents[r].p4.addr | (htonl(rnd()) &
		    ~addr_mask4(ents[r].p4.len));
		r = ref_lookup4(a);
		ck_assert_int_ge(r, 0);
		ck_assert(tables_eam_entry4(tab, a, &e));
		ck_assert_uint_eq(e.p4.addr, ents[r].p4.addr);
		ck_assert_uint_eq(e.p4.len, ents[r].p4.len);
		ck_assert_mem_eq(&e.p6.addr, &ents[r].p6.addr, 16);
		ck_assert_uint_eq(e.p6.len, ents[r].p6.len);
	}
}
END_TEST

/* A batch prefetched first answers exactly as one looked up alone. */
START_TEST(test_prefetch_changes_no_answer)
{
	struct in6_addr	 a6[64], got6, want6;
	uint32_t	 a4[64], got4, want4;
	int		 i, k;

	make_entries();
	for (k = 0; k < 100; k++) {
		for (i = 0; i < 64; i++) {
			a4[i] = ents[rnd() % nents].p4.addr;
			a6[i] = ents[rnd() % nents].p6.addr;
			tables_prefetch4(tab, a4[i]);
			tables_prefetch6(tab, &a6[i]);
		}
		for (i = 0; i < 64; i++) {
			ck_assert(tables_eam4(tab, a4[i], &got6));
			ck_assert(tables_eam4(tab, a4[i], &want6));
			ck_assert_mem_eq(&got6, &want6, 16);
			ck_assert(tables_eam6(tab, &a6[i], &got4));
			ck_assert(tables_eam6(tab, &a6[i], &want4));
			ck_assert_uint_eq(got4, want4);
		}
	}
}
END_TEST

/*
 * What a prefetch learns (struct tables_hint) gives the lookup the same
 * answer as asking afresh: for addresses of every level, hits in the
 * middle of a prefix, and misses next to one.
 */
START_TEST(test_prefetch_hint_changes_no_answer)
{
	struct in6_addr	 a6, got6, want6;
	uint64_t	 hash;
	uint32_t	 a4, host, got4, want4;
	uint8_t		 h;
	bool		 hit;
	int		 q;

	make_entries();
	for (q = 0; q < 20000; q++) {
		a4 = ents[rnd() % nents].p4.addr;
		host = htonl(rnd());
		a4 = q % 3 == 0 ? host : a4 | (host & htonl(0xff));
		h = tables_prefetch4_hint(tab, a4, &hash);
		ck_assert(h == TABLES_HINT_MISS || h == TABLES_HINT_HASH);
		hit = tables_eam4(tab, a4, &want6);
		if (h == TABLES_HINT_MISS)
			ck_assert(!hit);
		else {
			ck_assert(tables_eam4_past(tab, a4, &hash, &got6) ==
			    hit);
			if (hit)
				ck_assert_mem_eq(&got6, &want6, 16);
		}
		a6 = ents[rnd() % nents].p6.addr;
		a6.s6_addr[15] ^= (uint8_t)rnd();
		if (q % 3 == 0)
			a6.s6_addr[rnd() % 16] ^= (uint8_t)(1 + rnd() % 255);
		h = tables_prefetch6_hint(tab, &a6, &hash);
		ck_assert(h == TABLES_HINT_MISS || h == TABLES_HINT_HASH);
		hit = tables_eam6(tab, &a6, &want4);
		if (h == TABLES_HINT_MISS)
			ck_assert(!hit);
		else {
			ck_assert(tables_eam6_past(tab, &a6, &hash, &got4) ==
			    hit);
			if (hit)
				ck_assert_uint_eq(got4, want4);
		}
	}
}
END_TEST

/* Tables with no entries answer nothing, and prefetch nothing. */
START_TEST(test_no_entries)
{
	struct config_instance	 c;
	struct tables		*t;
	struct in6_addr		 a, out;
	struct eam		 e;
	uint64_t		 h;
	uint32_t		 v;

	memset(&c, 0, sizeof c);
	config_defaults(&c);
	t = tables_build(&c);
	ck_assert_ptr_nonnull(t);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	tables_prefetch4(t, htonl(0xc0000201));
	tables_prefetch6(t, &a);
	ck_assert_uint_eq(tables_prefetch4_hint(t, htonl(0xc0000201), &h),
	    TABLES_HINT_MISS);
	ck_assert_uint_eq(tables_prefetch6_hint(t, &a, &h), TABLES_HINT_MISS);
	ck_assert(!tables_eam4(t, htonl(0xc0000201), &out));
	ck_assert(!tables_eam6(t, &a, &v));
	ck_assert(!tables_eam_entry4(t, htonl(0xc0000201), &e));
	ck_assert(!tables_eam_entry6(t, &a, &e));
	ck_assert_uint_eq(tables_eam_memory(t), 0);
	tables_free(t);
}
END_TEST

/*
 * The filter in front of the lookups: a short prefix marks every /16 it
 * spans, so both of its ends are found, and an address past it is not.
 */
START_TEST(test_filter_spans_short_prefixes)
{
	static const struct { const char *p4, *p6; uint8_t len; } e[] = {
		{ "10.0.0.0", "2001:db8:a::", 8 },
		{ "172.16.0.0", "2001:db8:ac::", 12 },
	};
	struct config_eam	 eam[2];
	struct config_instance	 c;
	struct tables		*t;
	struct in6_addr		 out, a;
	uint32_t		 v;
	size_t			 i;

	memset(&c, 0, sizeof c);
	config_defaults(&c);
	memset(eam, 0, sizeof eam);
	for (i = 0; i < 2; i++) {
		inet_pton(AF_INET, e[i].p4, &eam[i].p4.addr);
		eam[i].p4.len = e[i].len;
		inet_pton(AF_INET6, e[i].p6, &eam[i].p6.addr);
		eam[i].p6.len = (uint8_t)(96 + e[i].len);
	}
	c.eam = eam;
	c.neam = 2;
	t = tables_build(&c);
	ck_assert_ptr_nonnull(t);
	ck_assert(tables_eam4(t, htonl(0x0a000001), &out));
	ck_assert(tables_eam4(t, htonl(0x0affffff), &out));
	ck_assert(tables_eam4(t, htonl(0xac1fffff), &out));
	ck_assert(!tables_eam4(t, htonl(0x0b000000), &out));
	ck_assert(!tables_eam4(t, htonl(0xac200000), &out));
	ck_assert(tables_eam6(t, &out, &v));
	ck_assert_uint_eq(v, htonl(0xac1fffff));
	inet_pton(AF_INET6, "2001:db8:ad::1", &a);
	ck_assert(!tables_eam6(t, &a, &v));
	c.eam = NULL;
	c.neam = 0;
	tables_free(t);
}
END_TEST

static void
teardown(void)
{
	tables_free(tab);
	free(ents);
	tab = NULL;
	ents = NULL;
}

static Suite *
tables_suite(void)
{
	Suite	*s = suite_create("tables");
	TCase	*tc = tcase_create("rfc7757-3.2");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rfc7757_3_2_lpm_4to6_matches_reference);
	tcase_add_test(tc, test_rfc7757_3_2_lpm_6to4_round_trip);
	tcase_add_test(tc, test_rfc7757_3_2_lpm_6to4_matches_reference);
	tcase_add_test(tc, test_eam_entry4_matches_reference);
	tcase_add_test(tc, test_prefetch_changes_no_answer);
	tcase_add_test(tc, test_prefetch_hint_changes_no_answer);
	tcase_add_test(tc, test_no_entries);
	tcase_add_test(tc, test_filter_spans_short_prefixes);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(tables_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
