/* SPDX-License-Identifier: ISC */
/*
 * hashmap.c: building the tables hashmap.h reads.  Linear probing over
 * 64-byte buckets of a few slots each; any number of buckets, so a table
 * sized from its count sits near the load it was made for (4/5) instead of
 * anywhere between 3/8 and 3/4.  Large tables live on huge pages: a lookup
 * in a table of hundreds of megabytes then misses the cache but rarely the
 * TLB.  No I/O; allocation only when built or grown.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

#define HASHMAP_HUGE	(2U << 20)	/* a huge page, and when to use them */

static uint8_t *
hashmap_bucket_at(const struct hashmap *h, uint32_t i)
{
	return (h->buckets + (size_t)i * HASHMAP_BUCKET);
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
	/* Grow past 7/8: a miss must always find a bucket not full. */
	h->limit = (uint32_t)(nbuckets * h->nslots * 7 / 8);
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
 * values of vallen bytes, sized for expect keys at a load of 4/5.
 */
int
hashmap_init_kv(struct hashmap *h, size_t keylen, size_t vallen,
    size_t expect)
{
	size_t	nslots, nbuckets;

	if (keylen == 0 || keylen % 4 != 0 || keylen > HASHMAP_KEYMAX ||
	    vallen == 0 || vallen > HASHMAP_VALMAX || expect > (1U << 30)) {
		errno = EINVAL;
		return (-1);
	}
	memset(h, 0, sizeof *h);
	h->keylen = (uint8_t)keylen;
	h->vallen = (uint8_t)vallen;
	nslots = (HASHMAP_BUCKET - HASHMAP_HDR) / (keylen + vallen);
	h->nslots = (uint8_t)nslots;
	h->valoff = (uint8_t)(HASHMAP_HDR + nslots * keylen);
	nbuckets = (expect * 5 + nslots * 4 - 1) / (nslots * 4);
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

/*
 * The bucket and slot where key is, or where it goes.  Full buckets
 * passed on the way are marked, so that lookups know to go on.
 */
static uint8_t *
hashmap_slot(struct hashmap *h, const void *key, unsigned int *slot,
    bool *found)
{
	uint8_t		*b, *end;
	unsigned int	 i, n;

	b = (uint8_t *)hashmap_bucket(h, hashmap_hash(key, h->keylen));
	end = hashmap_bucket_at(h, h->nbuckets);
	for (;;) {
		n = b[0] & HASHMAP_USED;
		for (i = 0; i < n; i++) {
			if (hashmap_keyeq(b + HASHMAP_HDR + i * h->keylen,
			    key, h->keylen)) {
				*slot = i;
				*found = true;
				return (b);
			}
		}
		if (n < h->nslots)
			break;
		b[0] |= HASHMAP_OVERFLOW;
		if ((b += HASHMAP_BUCKET) == end)
			b = h->buckets;
	}
	*slot = n;
	*found = false;
	return (b);
}

static void
hashmap_place(struct hashmap *h, uint8_t *b, unsigned int slot,
    const void *key, const void *value)
{
	memcpy(b + HASHMAP_HDR + slot * h->keylen, key, h->keylen);
	memcpy(b + h->valoff + slot * h->vallen, value, h->vallen);
	b[0] = (uint8_t)((b[0] & HASHMAP_OVERFLOW) | (slot + 1));
	h->count++;
}

/* Twice the buckets, every key placed again. */
static int
hashmap_grow(struct hashmap *h)
{
	struct hashmap	 old = *h;
	const uint8_t	*b;
	uint8_t		*nb;
	uint32_t	 i;
	unsigned int	 s, slot, n;
	bool		 found;

	if (hashmap_alloc(h, (size_t)old.nbuckets * 2) == -1) {
		*h = old;
		return (-1);
	}
	for (i = 0; i < old.nbuckets; i++) {
		b = hashmap_bucket_at(&old, i);
		n = b[0] & HASHMAP_USED;
		for (s = 0; s < n; s++) {
			nb = hashmap_slot(h, b + HASHMAP_HDR + s * h->keylen,
			    &slot, &found);
			hashmap_place(h, nb, slot, b + HASHMAP_HDR +
			    s * h->keylen, b + h->valoff + s * h->vallen);
		}
	}
	hashmap_release(&old);
	return (0);
}

/*
 * Insert key with its value (h->vallen bytes).  Returns 0 when inserted,
 * 1 when the key was already there (*old then points to its value, which
 * is kept), -1 when out of memory.  One probe finds the key or its place.
 */
int
hashmap_put(struct hashmap *h, const void *key, const void *value,
    const void **old)
{
	uint8_t		*b;
	unsigned int	 slot;
	bool		 found;

	if (h->buckets == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (h->count >= h->limit && hashmap_grow(h) == -1)
		return (-1);
	b = hashmap_slot(h, key, &slot, &found);
	if (found) {
		if (old != NULL)
			*old = b + h->valoff + slot * h->vallen;
		return (1);
	}
	hashmap_place(h, b, slot, key, value);
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
	const void	*o;
	int		 ret;

	if ((ret = hashmap_put(h, key, &value, &o)) == 1)
		memcpy(old, o, sizeof *old);
	return (ret);
}

/* Look key up in a table of 32-bit values; its value goes to *value. */
bool
hashmap_find(const struct hashmap *h, const void *key, uint32_t *value)
{
	const void	*v;

	if ((v = hashmap_get(h, key, h->keylen)) == NULL)
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
