/* SPDX-License-Identifier: ISC */
/*
 * hashmap.c: building the tables hashmap.h reads.  Cuckoo hashing over
 * 64-byte buckets of a few slots each: a key goes to whichever of its two
 * buckets has room, and when both are full it takes the place of a key
 * there, which moves to its own other bucket, and so on.  Any number of
 * buckets, so a table sized from its count sits at the load it was made
 * for (4/5 with 3 slots or more) instead of anywhere between 3/8 and 3/4.
 * Large tables live
 * on huge pages: a lookup in a table of hundreds of megabytes then misses
 * the cache but rarely the TLB.  No I/O; allocation only when built or
 * grown.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

#define HASHMAP_HUGE	(2U << 20)	/* a huge page, and when to use them */
#define HASHMAP_KICKS	500		/* moves before an insert grows */

/*
 * Loads in percent, by slots per bucket (1, 2, 3 or more): what a table
 * is sized for, and where it grows.  Cuckoo hashing with two choices
 * fills to about 50%, 89% and 95% of slots; moves get long near those.
 */
static const uint8_t	hashmap_size_pct[] = { 40, 70, 80 };
static const uint8_t	hashmap_grow_pct[] = { 45, 80, 87 };

static unsigned int
hashmap_pct_index(size_t nslots)
{
	return (nslots >= 3 ? 2 : (unsigned int)nslots - 1);
}

/* Zeroed, cache-line aligned room for nbuckets buckets. */
static int
hashmap_alloc(struct hashmap *h, size_t nbuckets)
{
	size_t		 len = nbuckets * HASHMAP_BUCKET;
	uintptr_t	 p;

	if (nbuckets > UINT32_MAX) {
		errno = ENOMEM;
		return (-1);
	}
	h->memlen = 0;
	if (len >= HASHMAP_HUGE) {
		h->mem = mmap(NULL, len + HASHMAP_HUGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h->mem == MAP_FAILED)
			return (-1);
		h->memlen = len + HASHMAP_HUGE;
		p = ((uintptr_t)h->mem + HASHMAP_HUGE - 1) &
		    ~(uintptr_t)(HASHMAP_HUGE - 1);
#ifdef MADV_HUGEPAGE
		/* Only advice: without huge pages it is just slower. */
		(void)madvise((void *)p, len, MADV_HUGEPAGE);
#endif
	} else {
		if ((h->mem = calloc(1, len + HASHMAP_BUCKET - 1)) == NULL)
			return (-1);
		p = ((uintptr_t)h->mem + HASHMAP_BUCKET - 1) &
		    ~(uintptr_t)(HASHMAP_BUCKET - 1);
	}
	h->buckets = (uint8_t *)p;
	h->nbuckets = (uint32_t)nbuckets;
	h->count = 0;
	h->limit = (uint32_t)(nbuckets * h->nslots *
	    hashmap_grow_pct[hashmap_pct_index(h->nslots)] / 100);
	return (0);
}

static void
hashmap_release(struct hashmap *h)
{
	if (h->memlen != 0)
		munmap(h->mem, h->memlen);
	else
		free(h->mem);
	h->mem = NULL;
	h->memlen = 0;
}

/*
 * Set up an empty table for keys of keylen bytes (a multiple of 4) and
 * values of vallen bytes, sized for expect keys (at a load of 4/5 when a
 * bucket has room for 3 or more).
 */
int
hashmap_init_kv(struct hashmap *h, size_t keylen, size_t vallen,
    size_t expect)
{
	size_t	nslots, nbuckets, pct;

	if (keylen == 0 || keylen % 4 != 0 || keylen > HASHMAP_KEYMAX ||
	    vallen == 0 || vallen > HASHMAP_VALMAX || expect > (1U << 30)) {
		errno = EINVAL;
		return (-1);
	}
	memset(h, 0, sizeof *h);
	h->keylen = (uint8_t)keylen;
	h->vallen = (uint8_t)vallen;
	nslots = HASHMAP_SLOTS(keylen, vallen);
	h->nslots = (uint8_t)nslots;
	h->valoff = (uint8_t)(HASHMAP_HDR + nslots * keylen);
	pct = hashmap_size_pct[hashmap_pct_index(nslots)];
	nbuckets = (expect * 100 + nslots * pct - 1) / (nslots * pct);
	return (hashmap_alloc(h, nbuckets > 0 ? nbuckets : 1));
}

/* A table of 32-bit values: what most callers want. */
int
hashmap_init(struct hashmap *h, size_t keylen, size_t expect)
{
	return (hashmap_init_kv(h, keylen, 4, expect));
}

void
hashmap_free(struct hashmap *h)
{
	hashmap_release(h);
	h->buckets = NULL;
	h->nbuckets = h->count = h->limit = 0;
}

static unsigned int
hashmap_used(const uint8_t *b)
{
	return (b[0] & HASHMAP_USED);
}

static void
hashmap_place(struct hashmap *h, uint8_t *b, const uint8_t *kv)
{
	unsigned int	slot = hashmap_used(b);

	memcpy(b + HASHMAP_HDR + slot * h->keylen, kv, h->keylen);
	memcpy(b + h->valoff + slot * h->vallen, kv + h->keylen, h->vallen);
	b[0] = (uint8_t)(slot + 1);
	h->count++;
}

/* Trade the key and value in kv for those in slot s of bucket b. */
static void
hashmap_swap(struct hashmap *h, uint8_t *b, unsigned int s, uint8_t *kv)
{
	uint8_t	tmp[HASHMAP_KEYMAX + HASHMAP_VALMAX];
	uint8_t	*k = b + HASHMAP_HDR + s * h->keylen;
	uint8_t	*v = b + h->valoff + s * h->vallen;

	memcpy(tmp, kv, (size_t)h->keylen + h->vallen);
	memcpy(kv, k, h->keylen);
	memcpy(kv + h->keylen, v, h->vallen);
	memcpy(k, tmp, h->keylen);
	memcpy(v, tmp + h->keylen, h->vallen);
}

/*
 * Place the key and value in kv (not in the table yet) in one of the key's
 * buckets, moving keys out of the way as needed, each to its other bucket.
 * -1 when HASHMAP_KICKS moves were not enough: then kv holds the key that
 * is left without a place, and the table must grow.
 */
static int
hashmap_cuckoo(struct hashmap *h, uint8_t *kv)
{
	uint8_t		*b1, *b2, *cur;
	uint64_t	 hash, r;
	unsigned int	 kick;

	hash = hashmap_hash(kv, h->keylen);
	b1 = (uint8_t *)hashmap_bucket(h, hash);
	b2 = (uint8_t *)hashmap_bucket2(h, hash);
	cur = hashmap_used(b1) < h->nslots ? b1 : b2;
	r = hash | 1;
	for (kick = 0; kick < HASHMAP_KICKS; kick++) {
		if (hashmap_used(cur) < h->nslots) {
			hashmap_place(h, cur, kv);
			return (0);
		}
		/* A random victim: a fixed choice can cycle. */
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		hashmap_swap(h, cur, (unsigned int)(r % h->nslots), kv);
		hash = hashmap_hash(kv, h->keylen);
		b1 = (uint8_t *)hashmap_bucket(h, hash);
		b2 = (uint8_t *)hashmap_bucket2(h, hash);
		cur = b1 == cur ? b2 : b1;
	}
	return (-1);
}

/*
 * Rebuild with at least twice the buckets, every key placed again, and
 * then the homeless key in kv.
 */
static int
hashmap_grow(struct hashmap *h, uint8_t *kv)
{
	struct hashmap	 old = *h;
	uint8_t		 e[HASHMAP_KEYMAX + HASHMAP_VALMAX];
	uint8_t		 homeless[HASHMAP_KEYMAX + HASHMAP_VALMAX];
	const uint8_t	*b;
	size_t		 nbuckets = (size_t)old.nbuckets * 2;
	uint32_t	 i;
	unsigned int	 s;

	if (kv != NULL)
		memcpy(homeless, kv, (size_t)h->keylen + h->vallen);
again:
	if (hashmap_alloc(h, nbuckets) == -1) {
		*h = old;
		return (-1);
	}
	for (i = 0; i < old.nbuckets; i++) {
		b = old.buckets + (size_t)i * HASHMAP_BUCKET;
		for (s = 0; s < hashmap_used(b); s++) {
			memcpy(e, b + HASHMAP_HDR + s * h->keylen, h->keylen);
			memcpy(e + h->keylen, b + h->valoff + s * h->vallen,
			    h->vallen);
			if (hashmap_cuckoo(h, e) == -1)
				goto bigger;
		}
	}
	if (kv != NULL) {
		memcpy(e, homeless, (size_t)h->keylen + h->vallen);
		if (hashmap_cuckoo(h, e) == -1)
			goto bigger;
	}
	hashmap_release(&old);
	return (0);
bigger:
	hashmap_release(h);
	nbuckets *= 2;
	goto again;
}

/*
 * Insert key with its value (h->vallen bytes).  Returns 0 when inserted,
 * 1 when the key was already there (*old then points to its value, which
 * is kept), -1 when out of memory.
 */
int
hashmap_put(struct hashmap *h, const void *key, const void *value,
    const void **old)
{
	const void	*v;
	uint8_t		 kv[HASHMAP_KEYMAX + HASHMAP_VALMAX];

	if (h->buckets == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if ((v = hashmap_get(h, key, h->keylen, h->vallen)) != NULL) {
		if (old != NULL)
			*old = v;
		return (1);
	}
	memcpy(kv, key, h->keylen);
	memcpy(kv + h->keylen, value, h->vallen);
	if (h->count >= h->limit)
		return (hashmap_grow(h, kv));
	if (hashmap_cuckoo(h, kv) == -1)
		return (hashmap_grow(h, kv));
	return (0);
}

/*
 * Insert key with a 32-bit value.  Returns 0 when inserted, 1 when the
 * key was already there (its value goes to *old and is kept), -1 when out
 * of memory.
 */
int
hashmap_insert(struct hashmap *h, const void *key, uint32_t value,
    uint32_t *old)
{
	const void	*o = NULL;
	int		 ret;

	if ((ret = hashmap_put(h, key, &value, &o)) == 1 && o != NULL)
		memcpy(old, o, sizeof *old);
	return (ret);
}

/* Look key up in a table of 32-bit values; its value goes to *value. */
bool
hashmap_find(const struct hashmap *h, const void *key, uint32_t *value)
{
	const void	*v;

	/* Constant sizes for the usual keys: see hashmap_get(). */
	switch (h->keylen) {
	case 4:
		v = hashmap_get(h, key, 4, 4);
		break;
	case 8:
		v = hashmap_get(h, key, 8, 4);
		break;
	case 16:
		v = hashmap_get(h, key, 16, 4);
		break;
	default:
		v = hashmap_get(h, key, h->keylen, 4);
		break;
	}
	if (v == NULL)
		return (false);
	memcpy(value, v, sizeof *value);
	return (true);
}

/* Bytes the table holds on the heap. */
size_t
hashmap_memory(const struct hashmap *h)
{
	return ((size_t)h->nbuckets * HASHMAP_BUCKET);
}

/* How many keys sit in the first of their two buckets. */
size_t
hashmap_first(const struct hashmap *h)
{
	const uint8_t	*b;
	size_t		 n = 0;
	uint32_t	 i;
	unsigned int	 s;

	for (i = 0; i < h->nbuckets; i++) {
		b = h->buckets + (size_t)i * HASHMAP_BUCKET;
		for (s = 0; s < hashmap_used(b); s++)
			if (hashmap_bucket(h, hashmap_hash(b + HASHMAP_HDR +
			    s * h->keylen, h->keylen)) == b)
				n++;
	}
	return (n);
}
