/* SPDX-License-Identifier: ISC */
/*
 * hashmap.h: open-addressing hash table from a fixed-size key to a
 * fixed-size value, both stored inline in 64-byte buckets that are cache
 * lines, so a lookup that hits nearly always reads one cache line, however
 * large the table.  Built once and then only read, so there is no delete:
 * a new configuration builds a new table.
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
/*
 * Byte 0 of a bucket: how many slots are used (they fill in order), and
 * whether some key whose home is this bucket lives further on.  A miss
 * stops at the first bucket without that bit, full or not.
 */
#define HASHMAP_USED		0x0f
#define HASHMAP_OVERFLOW	0x80

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

/*
 * Multiply-xorshift over the key's 8- and 4-byte words: a few cycles, and
 * every key bit reaches the top 32 bits, which pick the bucket.
 */
static inline uint64_t
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

/* The home bucket of a hash: (hash * n) >> 32 maps it onto any n. */
static inline const uint8_t *
hashmap_bucket(const struct hashmap *h, uint64_t hash)
{
	return (h->buckets + (((hash >> 32) * h->nbuckets) >> 32) *
	    HASHMAP_BUCKET);
}

static inline bool
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
 * The value of key, or NULL.  keylen must be the table's: pass it as a
 * constant.
 */
static inline const void *
hashmap_get(const struct hashmap *h, const void *key, size_t keylen)
{
	const uint8_t	*b, *end;
	unsigned int	 i, n;

	if (h->nbuckets == 0)
		return (NULL);
	b = hashmap_bucket(h, hashmap_hash(key, keylen));
	end = h->buckets + (size_t)h->nbuckets * HASHMAP_BUCKET;
	for (;;) {
		n = b[0] & HASHMAP_USED;
		for (i = 0; i < n; i++)
			if (hashmap_keyeq(b + HASHMAP_HDR + i * keylen, key,
			    keylen))
				return (b + h->valoff + i * h->vallen);
		if ((b[0] & HASHMAP_OVERFLOW) == 0)
			return (NULL);
		if ((b += HASHMAP_BUCKET) == end)
			b = h->buckets;
	}
}

/* Start loading key's bucket, to look it up a little later. */
static inline void
hashmap_prefetch(const struct hashmap *h, const void *key, size_t keylen)
{
	if (h->nbuckets != 0)
		__builtin_prefetch(hashmap_bucket(h,
		    hashmap_hash(key, keylen)));
}

#endif
