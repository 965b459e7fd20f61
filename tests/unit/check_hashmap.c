/* SPDX-License-Identifier: ISC */
/*
 * check_hashmap.c: hashmap.c against a sorted array searched with
 * bsearch(3), at scale and at each key size the tables use (4, 8, 16 and
 * 20 bytes), with 4-byte values and with the inline 16- and 4-byte values
 * of the EAM tables; plus the contract of insert (duplicates keep the old
 * value) and the layout: bucket counts that are not powers of two, the
 * load a table is sized for, keys moved to their second bucket, and growth
 * when moves find no place.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

#define NKEYS		quick(100000)

/* The reference: keys with their values, sorted by key bytes. */
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

struct ref {
	uint8_t		key[HASHMAP_KEYMAX];
	uint32_t	value;
};

static size_t	ref_keylen;

static int
ref_cmp(const void *a, const void *b)
{
	return (memcmp(((const struct ref *)a)->key,
	    ((const struct ref *)b)->key, ref_keylen));
}

/*
 * A random key; a narrow one has bytes 0-3 only (0-4 for a probe), so that
 * duplicates, keys differing in one byte, and near misses all occur.
 */
static void
random_key(uint8_t *k, size_t len, int narrow)
{
	size_t	i;

	for (i = 0; i < len; i++)
		k[i] = (uint8_t)(narrow ? random() % narrow : random());
}

START_TEST(test_empty_table_finds_nothing)
{
	struct hashmap	h;
	uint8_t		k[8] = { 0 };
	uint32_t	v = 7;

	ck_assert_int_eq(hashmap_init(&h, 8, 0), 0);
	ck_assert(!hashmap_find(&h, k, &v));
	ck_assert_uint_eq(v, 7);
	ck_assert_uint_eq(h.count, 0);
	hashmap_free(&h);
	ck_assert(!hashmap_find(&h, k, &v));
	ck_assert_uint_eq(hashmap_memory(&h), 0);
}
END_TEST

START_TEST(test_insert_then_find)
{
	struct hashmap	h;
	uint32_t	k1 = 0x0200000a, k2 = 0x0300000a, v, old;

	ck_assert_int_eq(hashmap_init(&h, 4, 2), 0);
	ck_assert_int_eq(hashmap_insert(&h, &k1, 11, &old), 0);
	ck_assert_int_eq(hashmap_insert(&h, &k2, 0, &old), 0);
	ck_assert(hashmap_find(&h, &k1, &v));
	ck_assert_uint_eq(v, 11);
	ck_assert(hashmap_find(&h, &k2, &v));
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(h.count, 2);
	hashmap_free(&h);
}
END_TEST

/* A duplicate returns 1 and the old value, and the old value stays. */
START_TEST(test_duplicate_keeps_old_value)
{
	struct hashmap	h;
	uint8_t		k[20];
	uint32_t	v, old = 0;

	memset(k, 0xab, sizeof k);
	ck_assert_int_eq(hashmap_init(&h, 20, 1), 0);
	ck_assert_int_eq(hashmap_insert(&h, k, 5, &old), 0);
	ck_assert_int_eq(hashmap_insert(&h, k, 6, &old), 1);
	ck_assert_uint_eq(old, 5);
	ck_assert(hashmap_find(&h, k, &v));
	ck_assert_uint_eq(v, 5);
	ck_assert_uint_eq(h.count, 1);
	hashmap_free(&h);
}
END_TEST

/* Keys differing only in their last byte are different keys. */
START_TEST(test_keys_differ_in_last_byte)
{
	struct hashmap	h;
	uint8_t		k[20];
	uint32_t	v, old, i;

	ck_assert_int_eq(hashmap_init(&h, 20, 0), 0);
	memset(k, 0, sizeof k);
	for (i = 0; i < 256; i++) {
		k[19] = (uint8_t)i;
		ck_assert_int_eq(hashmap_insert(&h, k, i, &old), 0);
	}
	for (i = 0; i < 256; i++) {
		k[19] = (uint8_t)i;
		ck_assert(hashmap_find(&h, k, &v));
		ck_assert_uint_eq(v, i);
	}
	hashmap_free(&h);
}
END_TEST

START_TEST(test_init_rejects_bad_key_length)
{
	struct hashmap	h;

	errno = 0;
	ck_assert_int_eq(hashmap_init(&h, 0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(hashmap_init(&h, 6, 1), -1);
	ck_assert_int_eq(hashmap_init(&h, HASHMAP_KEYMAX + 4, 1), -1);
}
END_TEST

/* Sized for nothing, the table grows through every doubling. */
START_TEST(test_growth_from_empty_keeps_every_key)
{
	struct hashmap	h;
	uint32_t	k, v, old;
	size_t		mem = 0;

	ck_assert_int_eq(hashmap_init(&h, 4, 0), 0);
	for (k = 0; k < NKEYS; k++) {
		ck_assert_int_eq(hashmap_insert(&h, &k, k * 3, &old), 0);
		ck_assert_uint_le((size_t)h.count * 8,
		    (size_t)h.nbuckets * h.nslots * 7);
		ck_assert_uint_ge(hashmap_memory(&h), mem);
		mem = hashmap_memory(&h);
	}
	ck_assert_uint_eq(h.count, NKEYS);
	for (k = 0; k < NKEYS; k++) {
		ck_assert(hashmap_find(&h, &k, &v));
		ck_assert_uint_eq(v, k * 3);
	}
	k = NKEYS;
	ck_assert(!hashmap_find(&h, &k, &v));
	hashmap_free(&h);
}
END_TEST

/* The value stored with key number i: its bytes all depend on i. */
static void
value_of(uint32_t i, uint8_t *v, size_t vallen)
{
	size_t	b;

	memcpy(v, &i, 4);
	for (b = 4; b < vallen; b++)
		v[b] = (uint8_t)(i * 7 + b);
}

/*
 * The oracle: NKEYS random keys of keylen bytes go into both the table
 * and a list; the list is sorted and its first occurrence of each key is
 * the value the table must hold.  Then as many random probes, most of
 * them absent, are looked up in both.  Values of 4 bytes go through the
 * 32-bit interface, others through the inline one.
 */
static void
oracle_kv(size_t keylen, size_t vallen, size_t expect, int narrow)
{
	struct hashmap	 h;
	struct ref	*r, *hit, probe;
	const void	*o;
	const uint8_t	*got;
	uint8_t		 val[HASHMAP_VALMAX];
	uint32_t	 v, old = 0;
	size_t		 i, n, nuniq;
	int		 ret;

	r = calloc(NKEYS, sizeof *r);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(hashmap_init_kv(&h, keylen, vallen, expect), 0);
	ref_keylen = keylen;
	nuniq = 0;
	for (i = 0; i < NKEYS; i++) {
		random_key(r[i].key, keylen, narrow);
		r[i].value = (uint32_t)i;
		if (vallen == 4) {
			ret = hashmap_insert(&h, r[i].key, r[i].value, &old);
		} else {
			value_of(r[i].value, val, vallen);
			ret = hashmap_put(&h, r[i].key, val, &o);
			if (ret == 1)
				memcpy(&old, o, 4);
		}
		ck_assert_int_ge(ret, 0);
		if (ret == 0)
			nuniq++;
		else
			ck_assert_uint_lt(old, i);
	}
	ck_assert_uint_eq(h.count, nuniq);

	/* qsort is not stable: the first insert has the smallest value. */
	qsort(r, NKEYS, sizeof *r, ref_cmp);
	for (i = 0; i < NKEYS; i = n) {
		for (n = i + 1; n < NKEYS && ref_cmp(&r[i], &r[n]) == 0; n++)
			if (r[n].value < r[i].value)
				r[i].value = r[n].value;
		got = hashmap_get(&h, r[i].key, keylen, vallen);
		ck_assert_ptr_nonnull(got);
		value_of(r[i].value, val, vallen);
		ck_assert_mem_eq(got, val, vallen);
		if (vallen == 4) {
			ck_assert(hashmap_find(&h, r[i].key, &v));
			ck_assert_uint_eq(v, r[i].value);
		}
		nuniq--;
	}
	ck_assert_uint_eq(nuniq, 0);

	for (i = 0; i < NKEYS; i++) {
		random_key(probe.key, keylen, narrow ? narrow + 1 : 0);
		hit = bsearch(&probe, r, NKEYS, sizeof *r, ref_cmp);
		ck_assert_int_eq(hashmap_get(&h, probe.key, keylen, vallen) != NULL,
		    hit != NULL);
	}
	hashmap_free(&h);
	free(r);
}

static void
oracle(size_t keylen, size_t expect, int narrow)
{
	oracle_kv(keylen, 4, expect, narrow);
}

START_TEST(test_oracle_4_byte_keys)
{
	srandom(4);
	oracle(4, 0, 0);
}
END_TEST

START_TEST(test_oracle_4_byte_keys_dense)
{
	/* 4^4 = 256 distinct keys among NKEYS: nearly all are duplicates. */
	srandom(44);
	oracle(4, 16, 4);
}
END_TEST

START_TEST(test_oracle_8_byte_keys)
{
	srandom(8);
	oracle(8, NKEYS, 0);
}
END_TEST

START_TEST(test_oracle_8_byte_keys_dense)
{
	/* 4^8 = 65536 distinct keys: many duplicates, many unique. */
	srandom(88);
	oracle(8, NKEYS / 2, 4);
}
END_TEST

START_TEST(test_oracle_20_byte_keys)
{
	srandom(20);
	oracle(20, 1000, 0);
}
END_TEST

START_TEST(test_oracle_20_byte_keys_dense)
{
	srandom(2020);
	oracle(20, 0, 4);
}
END_TEST

START_TEST(test_oracle_16_byte_keys)
{
	srandom(16);
	oracle(16, NKEYS, 0);
}
END_TEST

/* The EAM tables: IPv4 -> 16-byte IPv6, IPv6 -> 4-byte IPv4, inline. */
START_TEST(test_oracle_inline_16_byte_values)
{
	srandom(416);
	oracle_kv(4, 16, NKEYS, 0);
}
END_TEST

START_TEST(test_oracle_inline_16_byte_values_dense)
{
	srandom(4164);
	oracle_kv(4, 16, 100, 4);
}
END_TEST

START_TEST(test_oracle_inline_4_byte_values_16_byte_keys)
{
	srandom(164);
	oracle_kv(16, 4, NKEYS / 3, 0);
}
END_TEST

START_TEST(test_oracle_inline_4_byte_values_16_byte_keys_dense)
{
	srandom(1644);
	oracle_kv(16, 4, NKEYS, 4);
}
END_TEST

/* 20-byte keys with 16-byte values: one slot a bucket, and growth. */
START_TEST(test_oracle_one_slot_buckets)
{
	srandom(2016);
	oracle_kv(20, 16, 1000, 0);
}
END_TEST

START_TEST(test_init_rejects_bad_value_length)
{
	struct hashmap	h;

	errno = 0;
	ck_assert_int_eq(hashmap_init_kv(&h, 4, 0, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(hashmap_init_kv(&h, 4, HASHMAP_VALMAX + 1, 1), -1);
}
END_TEST

/*
 * Sized from its count, a table gets the bucket count that count needs at
 * a load of 4/5, a power of two or not, and filling it to that count does
 * not grow it.  Small tables and huge-page ones alike are cache aligned.
 */
START_TEST(test_sized_without_power_of_two)
{
	static const size_t	 counts[] = { 1000, 300000 };
	struct hashmap		 h;
	uint8_t			 v[16] = { 0 };
	uint32_t		 k, nb;
	size_t			 c, n;

	for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		n = counts[c];
		ck_assert_int_eq(hashmap_init_kv(&h, 4, 16, n), 0);
		ck_assert_uint_eq(h.nslots, 3);
		nb = (uint32_t)((n * 5 + 11) / 12);
		ck_assert_uint_eq(h.nbuckets, nb);
		ck_assert_uint_ne(nb & (nb - 1), 0);
		ck_assert_uint_eq(hashmap_memory(&h), (size_t)nb * 64);
		ck_assert_uint_eq((uintptr_t)h.buckets % 64, 0);
		for (k = 0; k < n; k++) {
			memcpy(v, &k, 4);
			ck_assert_int_eq(hashmap_put(&h, &k, v, NULL), 0);
		}
		ck_assert_uint_eq(h.nbuckets, nb);
		ck_assert_uint_ge(n * 100, (size_t)nb * 3 * 79);
		for (k = 0; k < n; k++) {
			memcpy(v, &k, 4);
			ck_assert_mem_eq(hashmap_get(&h, &k, 4, 16), v, 16);
		}
		k = (uint32_t)n;
		ck_assert_ptr_null(hashmap_get(&h, &k, 4, 16));
		hashmap_free(&h);
	}
}
END_TEST

/* The next key from *k on whose two buckets are b1 and b2 of h. */
static uint32_t
key_in(const struct hashmap *h, uint32_t b1, uint32_t b2, uint32_t *k)
{
	uint64_t	hash;

	for (;; (*k)++) {
		hash = hashmap_hash(k, 4);
		if (hashmap_bucket(h, hash) == h->buckets + b1 * 64 &&
		    hashmap_bucket2(h, hash) == h->buckets + b2 * 64)
			return ((*k)++);
	}
}

/*
 * Keys that all want bucket 0 first fill it, and the rest go to their
 * second bucket; with both full, a key moves an earlier one on.
 */
START_TEST(test_full_first_bucket_sends_keys_to_second)
{
	struct hashmap	h;
	uint32_t	k = 0, keys[14], v, old, i;

	/* 4-byte keys and values: 7 slots a bucket, 5 buckets. */
	ck_assert_int_eq(hashmap_init(&h, 4, 28), 0);
	ck_assert_uint_eq(h.nslots, 7);
	ck_assert_uint_eq(h.nbuckets, 5);
	for (i = 0; i < 14; i++) {
		keys[i] = key_in(&h, 0, 1 + i % 4, &k);
		ck_assert_int_eq(hashmap_insert(&h, &keys[i], i, &old), 0);
	}
	ck_assert_uint_eq(h.nbuckets, 5);
	ck_assert_uint_eq(h.buckets[0], 7);
	ck_assert_uint_eq(h.buckets[64] + h.buckets[128] + h.buckets[192] +
	    h.buckets[256], 7);
	for (i = 0; i < 14; i++) {
		ck_assert(hashmap_find(&h, &keys[i], &v));
		ck_assert_uint_eq(v, i);
	}
	ck_assert_uint_eq(hashmap_first(&h), 7);
	ck_assert_int_eq(hashmap_insert(&h, &keys[3], 99, &old), 1);
	ck_assert_uint_eq(old, 3);
	/* Absent, with its first bucket full: the second is read too. */
	keys[0] = key_in(&h, 0, 2, &k);
	ck_assert(!hashmap_find(&h, &keys[0], &v));
	hashmap_free(&h);
}
END_TEST

/*
 * Fifteen keys with the same two buckets of seven slots: the fifteenth
 * has no place however keys move, and the table grows instead.
 */
START_TEST(test_no_place_after_moves_grows)
{
	struct hashmap	h;
	uint32_t	k = 0, keys[15], v, old, i;

	ck_assert_int_eq(hashmap_init(&h, 4, 28), 0);
	ck_assert_uint_eq(h.nbuckets, 5);
	for (i = 0; i < 15; i++)
		keys[i] = key_in(&h, 1, 3, &k);
	for (i = 0; i < 14; i++)
		ck_assert_int_eq(hashmap_insert(&h, &keys[i], i, &old), 0);
	ck_assert_uint_eq(h.nbuckets, 5);
	ck_assert_int_eq(hashmap_insert(&h, &keys[14], 14, &old), 0);
	ck_assert_uint_ge(h.nbuckets, 10);
	ck_assert_uint_eq(h.count, 15);
	for (i = 0; i < 15; i++) {
		ck_assert(hashmap_find(&h, &keys[i], &v));
		ck_assert_uint_eq(v, i);
	}
	hashmap_free(&h);
}
END_TEST

/* Filled to the load where it grows (87%), by moves alone. */
START_TEST(test_fills_to_limit_without_growing)
{
	struct hashmap	h;
	uint8_t		v[4];
	uint32_t	k, nb;

	ck_assert_int_eq(hashmap_init_kv(&h, 16, 4, 30000), 0);
	nb = h.nbuckets;
	ck_assert_uint_eq(h.limit, nb * 3 * 87 / 100);
	srandom(7);
	while (h.count < h.limit) {
		uint8_t	key[16];

		random_key(key, 16, 0);
		memcpy(v, key, 4);
		ck_assert_int_ge(hashmap_put(&h, key, v, NULL), 0);
	}
	ck_assert_uint_eq(h.nbuckets, nb);
	srandom(7);
	for (k = 0; k < h.count; k++) {
		uint8_t	key[16];

		random_key(key, 16, 0);
		ck_assert_mem_eq(hashmap_get(&h, key, 16, 4), key, 4);
	}
	hashmap_free(&h);
}
END_TEST

static Suite *
hashmap_suite(void)
{
	Suite	*s = suite_create("hashmap");
	TCase	*tc;

	tc = tcase_create("contract");
	tcase_add_test(tc, test_empty_table_finds_nothing);
	tcase_add_test(tc, test_insert_then_find);
	tcase_add_test(tc, test_duplicate_keeps_old_value);
	tcase_add_test(tc, test_keys_differ_in_last_byte);
	tcase_add_test(tc, test_init_rejects_bad_key_length);
	tcase_add_test(tc, test_growth_from_empty_keeps_every_key);
	tcase_add_test(tc, test_init_rejects_bad_value_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_test(tc, test_sized_without_power_of_two);
	tcase_add_test(tc, test_full_first_bucket_sends_keys_to_second);
	tcase_add_test(tc, test_no_place_after_moves_grows);
	tcase_add_test(tc, test_fills_to_limit_without_growing);
	suite_add_tcase(s, tc);

	tc = tcase_create("oracle");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_oracle_4_byte_keys);
	tcase_add_test(tc, test_oracle_4_byte_keys_dense);
	tcase_add_test(tc, test_oracle_8_byte_keys);
	tcase_add_test(tc, test_oracle_8_byte_keys_dense);
	tcase_add_test(tc, test_oracle_20_byte_keys);
	tcase_add_test(tc, test_oracle_20_byte_keys_dense);
	tcase_add_test(tc, test_oracle_16_byte_keys);
	tcase_add_test(tc, test_oracle_inline_16_byte_values);
	tcase_add_test(tc, test_oracle_inline_16_byte_values_dense);
	tcase_add_test(tc, test_oracle_inline_4_byte_values_16_byte_keys);
	tcase_add_test(tc,
	    test_oracle_inline_4_byte_values_16_byte_keys_dense);
	tcase_add_test(tc, test_oracle_one_slot_buckets);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(hashmap_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
