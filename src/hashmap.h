/* SPDX-License-Identifier: ISC */
/*
 * hashmap.h: open-addressing hash table from a fixed-size key to a 32-bit
 * value, keys stored inline.  Built once and then only read, so there is
 * no delete: a new configuration builds a new table.
 */
#ifndef TUNMAPD_HASHMAP_H
#define TUNMAPD_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HASHMAP_KEYMAX	20

struct hashmap {
	uint8_t		*slots;
	uint32_t	 mask;		/* number of slots - 1 */
	uint32_t	 count;
	uint16_t	 keylen;
	uint16_t	 slotlen;
};

int		hashmap_init(struct hashmap *, size_t, size_t);
void		hashmap_free(struct hashmap *);
int		hashmap_insert(struct hashmap *, const void *, uint32_t,
		    uint32_t *);
bool		hashmap_find(const struct hashmap *, const void *, uint32_t *);
size_t		hashmap_memory(const struct hashmap *);

#endif
