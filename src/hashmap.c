/* SPDX-License-Identifier: ISC */
/*
 * hashmap.c: linear-probing open addressing with keys inline in the slot,
 * so a lookup touches one or two cache lines whatever the table size.  The
 * load factor stays at or under 3/4.  No I/O; allocation only when built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

#define HASHMAP_EMPTY	UINT32_MAX

/* Slot layout: a 32-bit value (HASHMAP_EMPTY when free), then the key. */
static inline uint8_t *
hashmap_slot(const struct hashmap *h, uint32_t i)
{
	return (h->slots + (size_t)i * h->slotlen);
}

static inline uint32_t
hashmap_hash(const void *key, size_t len)
{
	const uint8_t	*p = key;
	uint64_t	 x = 0x9e3779b97f4a7c15ULL ^ len;
	uint32_t	 w;
	size_t		 i;

	for (i = 0; i < len; i += 4) {
		memcpy(&w, p + i, 4);
		x = (x ^ w) * 0xff51afd7ed558ccdULL;
		x ^= x >> 32;
	}
	x *= 0xc4ceb9fe1a85ec53ULL;
	return ((uint32_t)(x >> 32));
}

static int
hashmap_alloc(struct hashmap *h, size_t nslots)
{
	size_t	i;

	h->slots = malloc(nslots * h->slotlen);
	if (h->slots == NULL)
		return (-1);
	h->mask = (uint32_t)(nslots - 1);
	h->count = 0;
	for (i = 0; i < nslots; i++)
		memset(hashmap_slot(h, (uint32_t)i), 0xff, 4);
	return (0);
}

/* Set up an empty table for keys of keylen bytes, sized for expect keys. */
int
hashmap_init(struct hashmap *h, size_t keylen, size_t expect)
{
	size_t	nslots = 8;

	if (keylen == 0 || keylen % 4 != 0 || keylen > HASHMAP_KEYMAX ||
	    expect > (1U << 30)) {
		errno = EINVAL;
		return (-1);
	}
	while (nslots * 3 / 4 < expect)
		nslots *= 2;
	h->keylen = (uint16_t)keylen;
	h->slotlen = (uint16_t)(4 + keylen);
	return (hashmap_alloc(h, nslots));
}

void
hashmap_free(struct hashmap *h)
{
	free(h->slots);
	h->slots = NULL;
	h->mask = h->count = 0;
}

static void
hashmap_put(struct hashmap *h, const void *key, uint32_t value)
{
	uint32_t	 i = hashmap_hash(key, h->keylen) & h->mask;
	uint8_t		*s;

	for (;; i = (i + 1) & h->mask) {
		s = hashmap_slot(h, i);
		if (memcmp(s, &(uint32_t){ HASHMAP_EMPTY }, 4) == 0)
			break;
	}
	memcpy(s, &value, 4);
	memcpy(s + 4, key, h->keylen);
	h->count++;
}

static int
hashmap_grow(struct hashmap *h)
{
	struct hashmap	 old = *h;
	uint32_t	 i, v;
	uint8_t		*s;

	if (old.mask >= (1U << 31) - 1) {
		errno = ENOMEM;
		return (-1);
	}
	if (hashmap_alloc(h, ((size_t)old.mask + 1) * 2) == -1) {
		*h = old;
		return (-1);
	}
	for (i = 0; i <= old.mask; i++) {
		s = hashmap_slot(&old, i);
		memcpy(&v, s, 4);
		if (v != HASHMAP_EMPTY)
			hashmap_put(h, s + 4, v);
	}
	free(old.slots);
	return (0);
}

/*
 * Insert key with value (which must not be UINT32_MAX).  Returns 0 when
 * inserted, 1 when the key was already there (its value goes to *old and
 * is kept), -1 when out of memory.  One probe finds the key or its place.
 */
int
hashmap_insert(struct hashmap *h, const void *key, uint32_t value,
    uint32_t *old)
{
	uint32_t	 i, v;
	uint8_t		*s;

	if ((size_t)(h->count + 1) * 4 > ((size_t)h->mask + 1) * 3 &&
	    hashmap_grow(h) == -1)
		return (-1);
	i = hashmap_hash(key, h->keylen) & h->mask;
	for (;; i = (i + 1) & h->mask) {
		s = hashmap_slot(h, i);
		memcpy(&v, s, 4);
		if (v == HASHMAP_EMPTY)
			break;
		if (memcmp(s + 4, key, h->keylen) == 0) {
			*old = v;
			return (1);
		}
	}
	memcpy(s, &value, 4);
	memcpy(s + 4, key, h->keylen);
	h->count++;
	return (0);
}

/* Look key up; its value goes to *value. */
bool
hashmap_find(const struct hashmap *h, const void *key, uint32_t *value)
{
	uint32_t	 i, v;
	const uint8_t	*s;

	if (h->slots == NULL)
		return (false);
	i = hashmap_hash(key, h->keylen) & h->mask;
	for (;; i = (i + 1) & h->mask) {
		s = hashmap_slot(h, i);
		memcpy(&v, s, 4);
		if (v == HASHMAP_EMPTY)
			return (false);
		if (memcmp(s + 4, key, h->keylen) == 0) {
			*value = v;
			return (true);
		}
	}
}

/* Bytes the table holds on the heap. */
size_t
hashmap_memory(const struct hashmap *h)
{
	if (h->slots == NULL)
		return (0);
	return (((size_t)h->mask + 1) * h->slotlen);
}
