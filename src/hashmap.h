/* SPDX-License-Identifier: ISC */
/*
 * hashmap.h: hash table from a fixed-size key to a fixed-size value, both
 * stored inline in 64-byte buckets that are cache lines.  Cuckoo hashing
 * over buckets: a key lives in one of two buckets its hash names, so a
 * lookup reads at most two cache lines, however large the table.  Keys go
 * to their first bucket when it has room, and a lookup reads it first:
 * most hits compare one bucket's keys, not two.  The caller prefetches
 * both lines ahead of the lookup, so the second is in cache when needed,
 * and the branch that decides does not wait on memory.  Built once and
 * then only read, so there is no delete: a new configuration builds a new
 * table.
 *
 * The lookup is inline: called with a constant key length it compiles to a
 * few loads and compares, which matters when the data is already in cache.
 */
#ifndef TUNMAPD_HASHMAP_H
#define TUNMAPD_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASHMAP_KEYMAX		20
#define HASHMAP_VALMAX		16
#define HASHMAP_BUCKET		64	/* bytes: one cache line */
#define HASHMAP_HDR		4	/* bytes before the keys in a bucket */
/* Byte 0 of a bucket: how many slots are used; they fill in order. */
#define HASHMAP_USED		0x0f
/* Slots in a bucket for keys and values of these sizes. */
#define HASHMAP_SLOTS(k, v)	((HASHMAP_BUCKET - HASHMAP_HDR) / ((k) + (v)))

/*
 * Always inline: left to itself GCC makes one out-of-line copy for every
 * key length, and the compares become loops over a variable length.
 */
#define HASHMAP_INLINE	static inline __attribute__((__always_inline__))

struct hashmap {
	uint8_t		*buckets;	/* nbuckets * HASHMAP_BUCKET bytes */
	uint32_t	 nbuckets;	/* any number: not a power of two */
	uint32_t	 count;
	uint32_t	 limit;		/* a count above this grows the table */
	uint8_t		 keylen;
	uint8_t		 vallen;
	uint8_t		 nslots;	/* per bucket */
	uint8_t		 valoff;	/* where the values start in a bucket */
	void		*mem;		/* what to free: buckets, unaligned */
	size_t		 memlen;	/* mmap(2)ed when non-zero */
};

int		hashmap_init(struct hashmap *, size_t, size_t);
int		hashmap_init_kv(struct hashmap *, size_t, size_t, size_t);
void		hashmap_free(struct hashmap *);
int		hashmap_insert(struct hashmap *, const void *, uint32_t,
		    uint32_t *);
int		hashmap_put(struct hashmap *, const void *, const void *,
		    const void **);
bool		hashmap_find(const struct hashmap *, const void *, uint32_t *);
size_t		hashmap_memory(const struct hashmap *);
size_t		hashmap_first(const struct hashmap *);

/*
 * Multiply-xorshift over the key's 8- and 4-byte words: a few cycles, and
 * every key bit reaches the top 32 bits, which pick the bucket.
 */
HASHMAP_INLINE uint64_t
hashmap_hash(const void *key, size_t len)
{
	const uint8_t	*p = key;
	uint64_t	 x = 0x9e3779b97f4a7c15ULL ^ len, w;
	uint32_t	 w4;
	size_t		 i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		x = (x ^ w) * 0xff51afd7ed558ccdULL;
		x ^= x >> 32;
	}
	if (i < len) {
		memcpy(&w4, p + i, 4);
		x = (x ^ w4) * 0xff51afd7ed558ccdULL;
		x ^= x >> 32;
	}
	x *= 0xc4ceb9fe1a85ec53ULL;
	return (x ^ (x >> 29));
}

/*
 * The two buckets of a hash, from its two halves: (x * n) >> 32 maps a
 * 32-bit x onto any number n of buckets.
 */
HASHMAP_INLINE const uint8_t *
hashmap_bucket(const struct hashmap *h, uint64_t hash)
{
	return (h->buckets + (((hash >> 32) * h->nbuckets) >> 32) *
	    HASHMAP_BUCKET);
}

HASHMAP_INLINE const uint8_t *
hashmap_bucket2(const struct hashmap *h, uint64_t hash)
{
	return (h->buckets + (((hash & 0xffffffff) * h->nbuckets) >> 32) *
	    HASHMAP_BUCKET);
}

HASHMAP_INLINE bool
hashmap_keyeq(const uint8_t *a, const void *key, size_t len)
{
	const uint8_t	*b = key;
	uint64_t	 x, y, d = 0;
	uint32_t	 x4, y4;
	size_t		 i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		d |= x ^ y;
	}
	if (i < len) {
		memcpy(&x4, a + i, 4);
		memcpy(&y4, b + i, 4);
		d |= x4 ^ y4;
	}
	return (d == 0);
}

/*
 * The slots of bucket b that hold key, one bit each.  Every slot is
 * compared, used or not, and the answer masked: no branch depends on
 * where the key is.
 */
HASHMAP_INLINE unsigned int
hashmap_match(const uint8_t *b, const void *key, size_t keylen,
    size_t nslots)
{
	unsigned int	i, m = 0;

#pragma GCC unroll 8
	for (i = 0; i < nslots; i++)
		m |= (unsigned int)hashmap_keyeq(b + HASHMAP_HDR + i * keylen,
		    key, keylen) << i;
	return (m & ((1U << (b[0] & HASHMAP_USED)) - 1));
}

/*
 * The value of key, whose hashmap_hash() is hash, or NULL.  keylen and
 * vallen must be the table's: as constants they make the slot count one
 * too, and the compares unrolled.  The first bucket, where most keys are,
 * is read first, the second only for a key not there.
 */
HASHMAP_INLINE const void *
hashmap_get_hashed(const struct hashmap *h, const void *key, uint64_t hash,
    size_t keylen, size_t vallen)
{
	const size_t	 nslots = HASHMAP_SLOTS(keylen, vallen);
	const uint8_t	*b;
	unsigned int	 m;

	if (h->nbuckets == 0)
		return (NULL);
	b = hashmap_bucket(h, hash);
	if ((m = hashmap_match(b, key, keylen, nslots)) == 0) {
		b = hashmap_bucket2(h, hash);
		if ((m = hashmap_match(b, key, keylen, nslots)) == 0)
			return (NULL);
	}
	return (b + HASHMAP_HDR + nslots * keylen +
	    (unsigned int)__builtin_ctz(m) * vallen);
}

HASHMAP_INLINE const void *
hashmap_get(const struct hashmap *h, const void *key, size_t keylen,
    size_t vallen)
{
	return (hashmap_get_hashed(h, key, hashmap_hash(key, keylen), keylen,
	    vallen));
}

/*
 * Start loading the buckets of a key whose hash is hash, to look it up a
 * little later.  The empty asm keeps the prefetches: GCC deletes a loop
 * that only prefetches.
 */
HASHMAP_INLINE void
hashmap_prefetch_hashed(const struct hashmap *h, uint64_t hash)
{
	const uint8_t	*b1, *b2;

	if (h->nbuckets == 0)
		return;
	b1 = hashmap_bucket(h, hash);
	b2 = hashmap_bucket2(h, hash);
	__builtin_prefetch(b1);
	__builtin_prefetch(b2);
	__asm__ volatile("" : : "r" (b1), "r" (b2));
}

HASHMAP_INLINE void
hashmap_prefetch(const struct hashmap *h, const void *key, size_t keylen)
{
	if (h->nbuckets != 0)
		hashmap_prefetch_hashed(h, hashmap_hash(key, keylen));
}

#endif
