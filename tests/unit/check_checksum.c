/* SPDX-License-Identifier: ISC */
/*
 * check_checksum.c: checksum.c against a naive RFC 1071 reference that
 * reads the data byte by byte in network order, over random buffers,
 * random alignments and random incremental edits (RFC 1624), plus known
 * answers.  The reference is written here so that it shares no code with
 * the implementation it checks.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"

#define MAXBUF		4096
#define ROUNDS		20000

/* RFC 1071 4.1, byte by byte: 16-bit big-endian words, end-around carry. */
static uint16_t
ref_sum(const uint8_t *p, size_t len)
{
	uint32_t	sum = 0;
	size_t		i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len % 2 == 1) {
		sum += (uint32_t)p[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return ((uint16_t)sum);
}

/* A folded host-order sum, as the implementation returns it, read as wire. */
static uint16_t
wire16(uint16_t host)
{
	uint8_t	b[2];

	memcpy(b, &host, 2);
	return ((uint16_t)(b[0] << 8 | b[1]));
}

static void
fill_random(uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)random();
}

/* RFC 1071 3: the example bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2. */
START_TEST(test_rfc1071_example_sums_to_ddf2)
{
	static const uint8_t	b[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
	};
	uint16_t		folded;

	ck_assert_uint_eq(ref_sum(b, sizeof b), 0xddf2);
	folded = csum_fold(csum_partial(b, sizeof b, 0));
	ck_assert_uint_eq(wire16(folded), 0xddf2);
	ck_assert_uint_eq(wire16(csum_finish(csum_partial(b, sizeof b, 0))),
	    (uint16_t)~0xddf2);
}
END_TEST

/*
 * RFC 791 header of a well-known example: 45 00 00 73 00 00 40 00 40 11
 * .. .. c0 a8 00 01 c0 a8 00 c7 has the checksum b8 61.
 */
START_TEST(test_ipv4_header_known_checksum)
{
	uint8_t		h[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
		0xc0, 0xa8, 0x00, 0xc7
	};
	uint16_t	c;

	c = csum_finish(csum_partial(h, sizeof h, 0));
	memcpy(h + 10, &c, 2);
	ck_assert_uint_eq(h[10], 0xb8);
	ck_assert_uint_eq(h[11], 0x61);
	/* A header with a correct checksum sums to all ones (RFC 1071 1). */
	ck_assert_uint_eq(csum_fold(csum_partial(h, sizeof h, 0)), 0xffff);
	ck_assert_uint_eq(csum_finish(csum_partial(h, sizeof h, 0)), 0);
}
END_TEST

START_TEST(test_empty_and_zero_data_sum_to_zero)
{
	static const uint8_t	z[64];

	ck_assert_uint_eq(csum_partial(z, 0, 0), 0);
	ck_assert_uint_eq(csum_fold(csum_partial(z, sizeof z, 0)), 0);
	ck_assert_uint_eq(csum_finish(csum_partial(z, sizeof z, 0)), 0xffff);
	ck_assert_uint_eq(csum_fold(csum_partial(z, 7, 0)), 0);
}
END_TEST

/* An odd trailing byte is the high byte of a word padded with zero. */
START_TEST(test_odd_length_pads_trailing_byte)
{
	static const uint8_t	b[] = { 0x12, 0x34, 0xab };

	ck_assert_uint_eq(wire16(csum_fold(csum_partial(b, 3, 0))),
	    0x1234 + 0xab00);
	ck_assert_uint_eq(wire16(csum_fold(csum_partial(b + 2, 1, 0))),
	    0xab00);
}
END_TEST

/* One's-complement addition of two 16-bit values. */
static uint16_t
ones_add(uint16_t a, uint16_t b)
{
	uint32_t	s = (uint32_t)a + b;

	return ((uint16_t)((s & 0xffff) + (s >> 16)));
}

/* Carries out of 32 bits are not lost, starting from a large sum. */
START_TEST(test_large_start_sum_does_not_lose_carries)
{
	uint8_t		*b;
	uint32_t	 s;

	b = malloc(65535);
	ck_assert_ptr_nonnull(b);
	memset(b, 0xff, 65535);
	s = csum_partial(b, 65534, 0xffffffffU);
	ck_assert_uint_eq(wire16(csum_fold(s)), 0xffff);
	s = csum_partial(b, 65535, 0xffffffffU);
	ck_assert_uint_eq(wire16(csum_fold(s)), 0xff00);
	fill_random(b, 65535);
	s = csum_partial(b, 65535, 0xfffffffeU);
	/* The start sum is in host order like the result. */
	ck_assert_uint_eq(wire16(csum_fold(s)),
	    ones_add(ref_sum(b, 65535), wire16(csum_fold(0xfffffffeU))));
	free(b);
}
END_TEST

/* Random data at random offsets and lengths, odd ones included. */
START_TEST(test_random_buffers_match_reference)
{
	static uint8_t	buf[MAXBUF + 8];
	size_t		off, len;
	int		i;

	srandom(1071);
	for (i = 0; i < ROUNDS; i++) {
		off = (size_t)random() % 8;
		len = (size_t)random() % (i < 1000 ? 40 : MAXBUF);
		fill_random(buf + off, len);
		ck_assert_uint_eq(wire16(csum_fold(csum_partial(buf + off, len,
		    0))), ref_sum(buf + off, len));
		ck_assert_uint_eq(wire16(csum_finish(csum_partial(buf + off,
		    len, 0))), (uint16_t)~ref_sum(buf + off, len));
	}
}
END_TEST

/*
 * checksum.h: csum_partial() returns a sum folded to 16 bits, so that a
 * few sums added with + keep every end-around carry.
 */
START_TEST(test_partial_result_is_folded)
{
	static uint8_t	buf[MAXBUF];
	uint32_t	s, a, b;
	size_t		len;
	int		i;

	srandom(1141);
	for (i = 0; i < ROUNDS; i++) {
		len = (size_t)random() % MAXBUF;
		fill_random(buf, len);
		s = csum_partial(buf, len, (uint32_t)random() << 1);
		ck_assert_uint_le(s, 0xffff);
		ck_assert_uint_eq(csum_fold(s), s);
	}
	/* Two sums near the top added with + fold like the whole. */
	memset(buf, 0xff, 64);
	buf[63] = 0xfe;
	a = csum_partial(buf, 32, 0);
	b = csum_partial(buf + 32, 32, 0);
	ck_assert_uint_eq(wire16(csum_fold(a + b)), ref_sum(buf, 64));
}
END_TEST

/* Summing in even-length pieces, chained through the sum, is the same. */
START_TEST(test_chained_partial_sums_match_reference)
{
	static uint8_t	buf[MAXBUF + 8];
	size_t		off, len, cut;
	uint32_t	s;
	int		i;

	srandom(791);
	for (i = 0; i < ROUNDS; i++) {
		off = (size_t)random() % 8;
		len = 2 + (size_t)random() % (MAXBUF - 2);
		cut = ((size_t)random() % len) & ~(size_t)1;
		fill_random(buf + off, len);
		s = csum_partial(buf + off, cut, 0);
		s = csum_partial(buf + off + cut, len - cut, s);
		ck_assert_uint_eq(wire16(csum_fold(s)),
		    ref_sum(buf + off, len));
	}
}
END_TEST

/*
 * RFC 1624 3: change random 16-bit-aligned words of random data; updating
 * the checksum from the sums of the old and new words must give what a
 * full re-sum gives.
 */
START_TEST(test_random_incremental_edits_match_full_resum)
{
	static uint8_t	buf[MAXBUF + 8], old[64];
	size_t		off, len, at, n;
	uint16_t	check, want;
	uint32_t	sold, snew;
	int		i, j, edits;

	srandom(1624);
	for (i = 0; i < ROUNDS; i++) {
		off = (size_t)random() % 8;
		len = 2 * (1 + (size_t)random() % (MAXBUF / 2));
		fill_random(buf + off, len);
		buf[off] |= 1;		/* never all zero: no -0 vs +0 */
		check = csum_finish(csum_partial(buf + off, len, 0));
		edits = 1 + random() % 4;
		for (j = 0; j < edits; j++) {
			at = 2 * ((size_t)random() % (len / 2));
			n = 2 * (1 + (size_t)random() % 16);
			if (at + n > len)
				n = len - at;
			memcpy(old, buf + off + at, n);
			fill_random(buf + off + at, n);
			if (at == 0)
				buf[off] |= 1;
			sold = csum_partial(old, n, 0);
			snew = csum_partial(buf + off + at, n, 0);
			check = csum_replace(check, sold, snew);
		}
		want = (uint16_t)~ref_sum(buf + off, len);
		ck_assert_uint_eq(wire16(check), want);
	}
}
END_TEST

/* An edit that changes nothing leaves the checksum as it was. */
START_TEST(test_replace_same_words_keeps_checksum)
{
	static const uint8_t	b[] = { 0xc0, 0x00, 0x02, 0x21 };
	uint32_t		s = csum_partial(b, sizeof b, 0);

	ck_assert_uint_eq(csum_replace(0x1234, s, s), 0x1234);
	ck_assert_uint_eq(csum_replace(0xfffe, s, s), 0xfffe);
}
END_TEST

/* The inline sum of whole words equals csum_partial at each length. */
START_TEST(test_words_match_partial)
{
	uint8_t		b[32];
	uint32_t	start;
	int		i;

	srandom(1071);
	for (i = 0; i < ROUNDS; i++) {
		fill_random(b, sizeof b);
		if (i % 8 == 0)
			memset(b, i % 16 == 0 ? 0 : 0xff, sizeof b);
		start = (uint32_t)random() & 0x1ffff;
		ck_assert_uint_eq(csum_words(b, 8, start),
		    csum_partial(b, 8, start));
		ck_assert_uint_eq(csum_words(b, 16, start),
		    csum_partial(b, 16, start));
		ck_assert_uint_eq(csum_words(b, 20, start),
		    csum_partial(b, 20, start));
		ck_assert_uint_eq(csum_words(b, 32, start),
		    csum_partial(b, 32, start));
	}
}
END_TEST

/*
 * Pseudo-header addresses replaced in one go: the checksum of
 * csum_replace, but for 0 and 0xffff, which are the same sum.
 */
START_TEST(test_replace_words_matches_replace)
{
	uint8_t		v4[8], v6[32];
	uint16_t	check, a, b;
	int		i;

	srandom(7915);
	for (i = 0; i < ROUNDS; i++) {
		fill_random(v4, sizeof v4);
		fill_random(v6, sizeof v6);
		if (i % 8 == 0)
			memset(v6, 0, sizeof v6);
		if (i % 16 == 1)
			memset(v4, 0xff, sizeof v4);
		check = (uint16_t)random();
		a = csum_replace_words(check, v4, 8, v6, 32);
		b = csum_replace(check, csum_partial(v4, 8, 0),
		    csum_partial(v6, 32, 0));
		if (a != b)
			ck_assert(a % 0xffff == 0 && b % 0xffff == 0);
		a = csum_replace_words(check, v6, 32, v4, 8);
		b = csum_replace(check, csum_partial(v6, 32, 0),
		    csum_partial(v4, 8, 0));
		if (a != b)
			ck_assert(a % 0xffff == 0 && b % 0xffff == 0);
	}
}
END_TEST

/* csum_fold folds twice: the first fold can carry again. */
START_TEST(test_fold_carries_twice)
{
	ck_assert_uint_eq(csum_fold(0xffffffffU), 0xffff);
	ck_assert_uint_eq(csum_fold(0x0001ffffU), 0x0001);
	ck_assert_uint_eq(csum_fold(0xfffe0002U), 0x0001);
	ck_assert_uint_eq(csum_fold(0x00010000U), 0x0001);
	ck_assert_uint_eq(csum_fold(0), 0);
	ck_assert_uint_eq(csum_finish(0x0000ffffU), 0);
}
END_TEST

static Suite *
checksum_suite(void)
{
	Suite	*s = suite_create("checksum");
	TCase	*tc;

	tc = tcase_create("rfc1071-known-answers");
	tcase_add_test(tc, test_rfc1071_example_sums_to_ddf2);
	tcase_add_test(tc, test_ipv4_header_known_checksum);
	tcase_add_test(tc, test_empty_and_zero_data_sum_to_zero);
	tcase_add_test(tc, test_odd_length_pads_trailing_byte);
	tcase_add_test(tc, test_fold_carries_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc1071-oracle");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_large_start_sum_does_not_lose_carries);
	tcase_add_test(tc, test_random_buffers_match_reference);
	tcase_add_test(tc, test_partial_result_is_folded);
	tcase_add_test(tc, test_chained_partial_sums_match_reference);
	tcase_add_test(tc, test_words_match_partial);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc1624-incremental");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_incremental_edits_match_full_resum);
	tcase_add_test(tc, test_replace_same_words_keeps_checksum);
	tcase_add_test(tc, test_replace_words_matches_replace);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(checksum_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
