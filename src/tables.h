/* SPDX-License-Identifier: ISC */
/*
 * tables.h: the immutable lookup snapshot built from a validated
 * configuration.  The packet path only reads it; a reload builds a new one
 * and swaps a pointer.
 */
#ifndef TUNMAPD_TABLES_H
#define TUNMAPD_TABLES_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "hashmap.h"

struct config_instance;

#define TABLES_FILTER_LOG	16	/* a bit per IPv4 /16 */
#define TABLES_FILTER_BITS	(1U << TABLES_FILTER_LOG)
#define TABLES_PREFETCH_LEVELS	2	/* levels a prefetch loads */

/* One EAM entry (RFC 7757): both prefixes have the same suffix length. */
struct eam {
	struct prefix4	 p4;
	struct prefix6	 p6;
};

/*
 * All EAM entries of one prefix length, keyed by their masked address,
 * each with the other side's prefix inline as its value: an IPv4 level
 * maps to 16 bytes of IPv6 prefix, an IPv6 level to 4 bytes of IPv4.  A
 * hit reads one bucket and nothing else.
 */
struct eam_level {
	uint8_t		 len;
	uint32_t	 mask4;		/* of an IPv4 level, network order */
	uint64_t	 mask6[2];	/* of an IPv6 level, as it is stored */
	struct hashmap	 map;
};

struct tables {
	bool		 has_pool6;
	struct prefix6	 pool6;
	bool		 pool6_wkp;	/* pool6 is 64:ff9b::/96 */
	bool		 wkp_nonglobal;	/* ... and may carry any IPv4 */
	uint16_t	 mtu;		/* of the tun */
	uint16_t	 lowest_mtu;	/* DF=0 IPv6 output is cut to this */
	bool		 copy_tos;
	bool		 one_hop;
	bool		 udp0_compute;
	struct prefix4	*deny4;
	size_t		 ndeny4;
	/*
	 * No EAM IPv4 prefix reaches an address tables_untranslatable4()
	 * refuses: then an address an entry maps needs no asking.
	 */
	bool		 eam4_clean;
	struct prefix4	 pool6791_4;
	bool		 has_pool6791_6;
	struct prefix6	 pool6791_6;
	uint32_t	 icmp_src4;	/* source of our own ICMPv4 errors */
	uint32_t	 icmp_rate, icmp_burst;
	bool		 has_icmp_src6;
	struct in6_addr	 icmp_src6;

	uint32_t	 neam;
	struct eam_level by4[33];	/* longest prefix first */
	int		 nby4;
	struct eam_level by6[129];
	int		 nby6;
	/*
	 * Where EAM entries may be, so that most misses, such as the source
	 * of a packet from the IPv4 Internet, cost no hash lookup: a bit
	 * for each IPv4 /16 an entry reaches into, and a bit for each hash
	 * of the first 96 bits of an IPv6 entry (all are /96 or longer).
	 */
	uint64_t	 eam4_16[TABLES_FILTER_BITS / 64];
	uint64_t	 eam6_96[TABLES_FILTER_BITS / 64];
};

/*
 * What the reader learnt of a packet's two addresses when it asked for
 * their EAM slots (tables_prefetch4/6_hint(), with the tables it then
 * translates with): whether the EAM filter lets each through, and if so
 * the hash of its key in the longest level.  The translation takes it
 * instead of asking the filter and hashing again (siit_4to6_hint()).
 */
#define TABLES_HINT_NONE	0	/* nothing known: ask */
#define TABLES_HINT_MISS	1	/* no EAM entry covers it */
#define TABLES_HINT_HASH	2	/* hash[] is its key's */

struct tables_hint {
	uint64_t	hash[2];	/* source, destination */
	uint8_t		eam[2];		/* TABLES_HINT_* */
};

/*
 * Which bit of eam6_96 the addresses of a's /96 map to: three multiplies
 * side by side, whose top bits each depend on every bit of their word.
 */
static inline uint32_t
tables_filter6_bit(const struct in6_addr *a)
{
	uint32_t	w[3];

	memcpy(w, a, sizeof w);
	return ((w[0] * 0x9e3779b1U ^ w[1] * 0x85ebca6bU ^
	    w[2] * 0xc2b2ae35U) >> (32 - TABLES_FILTER_LOG));
}

/*
 * RFC 7915 4.1 / RFC 6890: IPv4 addresses a translator never translates
 * (network order): 0/8, 127/8, 169.254/16, and 224/4 with 240/4 above
 * it (tables_never4[] in tables.c), and the deny list.
 */
static inline bool
tables_untranslatable4(const struct tables *t, uint32_t a)
{
	uint32_t	h = ntohl(a);
	size_t		i;

	if (h >> 24 == 0 || h >> 24 == 127 || h >> 16 == 0xa9fe ||
	    h >= 0xe0000000U)
		return (true);
	for (i = 0; i < t->ndeny4; i++)
		if ((a & addr_mask4(t->deny4[i].len)) == t->deny4[i].addr)
			return (true);
	return (false);
}

/* False when no EAM entry covers IPv4 address a (network order). */
static inline bool
tables_may_eam4(const struct tables *t, uint32_t a)
{
	uint32_t	b = ntohl(a) >> 16;

	return ((t->eam4_16[b / 64] >> (b % 64) & 1) != 0);
}

/* False when no EAM entry covers IPv6 address a. */
static inline bool
tables_may_eam6(const struct tables *t, const struct in6_addr *a)
{
	uint32_t	b = tables_filter6_bit(a);

	return ((t->eam6_96[b / 64] >> (b % 64) & 1) != 0);
}

/*
 * The inline value of a's longest match, and its level; or NULL.  For an
 * address the filter has let through: the packet path asks the filter
 * first, inline, and then looks up here without asking it again.  hash0,
 * when not NULL, is the hash of a's key in the longest level, worked out
 * when its slots were prefetched (tables_prefetch4_hint()).
 */
static inline __attribute__((__always_inline__)) const uint8_t *
tables_find4(const struct tables *t, uint32_t a, const uint64_t *hash0,
    const struct eam_level **lvp)
{
	const struct eam_level	*lv = t->by4;
	const uint8_t		*v;
	uint32_t		 key;

	if (t->nby4 == 0)
		return (NULL);
	key = a & lv->mask4;
	v = hashmap_get_hashed(&lv->map, &key, hash0 != NULL ? *hash0 :
	    hashmap_hash(&key, 4), 4, 16);
	for (; v == NULL && ++lv < t->by4 + t->nby4;) {
		key = a & lv->mask4;
		v = hashmap_get(&lv->map, &key, 4, 16);
	}
	*lvp = lv;
	return (v);
}

static inline __attribute__((__always_inline__)) const uint8_t *
tables_find6(const struct tables *t, const struct in6_addr *a,
    const uint64_t *hash0, const struct eam_level **lvp)
{
	const struct eam_level	*lv = t->by6;
	const uint8_t		*v;
	uint64_t		 w[2], key[2];

	if (t->nby6 == 0)
		return (NULL);
	memcpy(w, a, sizeof w);
	key[0] = w[0] & lv->mask6[0];
	key[1] = w[1] & lv->mask6[1];
	v = hashmap_get_hashed(&lv->map, key, hash0 != NULL ? *hash0 :
	    hashmap_hash(key, 16), 16, 4);
	for (; v == NULL && ++lv < t->by6 + t->nby6;) {
		key[0] = w[0] & lv->mask6[0];
		key[1] = w[1] & lv->mask6[1];
		v = hashmap_get(&lv->map, key, 16, 4);
	}
	*lvp = lv;
	return (v);
}

/*
 * tables_eam4() of an address tables_may_eam4() let through (RFC 7757
 * 3.2, longest match); hash0 as for tables_find4().
 */
static inline __attribute__((__always_inline__)) bool
tables_eam4_past(const struct tables *t, uint32_t a, const uint64_t *hash0,
    struct in6_addr *out)
{
	const struct eam_level	*lv;
	const uint8_t		*v;
	uint32_t		 w;

	if ((v = tables_find4(t, a, hash0, &lv)) == NULL)
		return (false);
	memcpy(out, v, sizeof *out);
	/* The host part goes, unchanged, to the end of the IPv6. */
	memcpy(&w, &out->s6_addr[12], 4);
	w |= a & ~lv->mask4;
	memcpy(&out->s6_addr[12], &w, 4);
	return (true);
}

/* tables_eam6() of an address tables_may_eam6() let through. */
static inline __attribute__((__always_inline__)) bool
tables_eam6_past(const struct tables *t, const struct in6_addr *a,
    const uint64_t *hash0, uint32_t *out)
{
	const struct eam_level	*lv;
	const uint8_t		*v;
	uint32_t		 host;

	if ((v = tables_find6(t, a, hash0, &lv)) == NULL)
		return (false);
	memcpy(out, v, 4);
	memcpy(&host, &a->s6_addr[12], 4);
	*out |= host & ~lv->mask4;
	return (true);
}

/*
 * What the lookup of a needs to know first (struct tables_hint):
 * TABLES_HINT_MISS when no EAM entry covers a, else TABLES_HINT_HASH with the
 * hash of its key in the longest level in *hash.
 */
static inline __attribute__((__always_inline__)) uint8_t
tables_hint4(const struct tables *t, uint32_t a, uint64_t *hash)
{
	uint32_t	key;

	if (!tables_may_eam4(t, a) || t->nby4 == 0)
		return (TABLES_HINT_MISS);
	key = a & t->by4[0].mask4;
	*hash = hashmap_hash(&key, 4);
	return (TABLES_HINT_HASH);
}

static inline __attribute__((__always_inline__)) uint8_t
tables_hint6(const struct tables *t, const struct in6_addr *a,
    uint64_t *hash)
{
	uint64_t	w[2], key[2];

	if (!tables_may_eam6(t, a) || t->nby6 == 0)
		return (TABLES_HINT_MISS);
	memcpy(w, a, sizeof w);
	key[0] = w[0] & t->by6[0].mask6[0];
	key[1] = w[1] & t->by6[0].mask6[1];
	*hash = hashmap_hash(key, 16);
	return (TABLES_HINT_HASH);
}

/*
 * Start loading what the lookup of a will read, and return its
 * tables_hint4() for the lookup to reuse.  Only the longest levels are
 * loaded: they are where host entries are, and a prefetch that is not
 * used costs bandwidth.  Nothing for an address no entry covers.
 * Inline: the reader calls it twice a packet.
 */
static inline __attribute__((__always_inline__)) uint8_t
tables_prefetch4_hint(const struct tables *t, uint32_t a, uint64_t *hash)
{
	uint32_t	key;
	int		i;

	if (tables_hint4(t, a, hash) == TABLES_HINT_MISS)
		return (TABLES_HINT_MISS);
	hashmap_prefetch_hashed(&t->by4[0].map, *hash);
	for (i = 1; i < t->nby4 && i < TABLES_PREFETCH_LEVELS; i++) {
		key = a & t->by4[i].mask4;
		hashmap_prefetch(&t->by4[i].map, &key, 4);
	}
	return (TABLES_HINT_HASH);
}

static inline __attribute__((__always_inline__)) uint8_t
tables_prefetch6_hint(const struct tables *t, const struct in6_addr *a,
    uint64_t *hash)
{
	uint64_t	w[2], key[2];
	int		i;

	if (tables_hint6(t, a, hash) == TABLES_HINT_MISS)
		return (TABLES_HINT_MISS);
	hashmap_prefetch_hashed(&t->by6[0].map, *hash);
	memcpy(w, a, sizeof w);
	for (i = 1; i < t->nby6 && i < TABLES_PREFETCH_LEVELS; i++) {
		key[0] = w[0] & t->by6[i].mask6[0];
		key[1] = w[1] & t->by6[i].mask6[1];
		hashmap_prefetch(&t->by6[i].map, key, 16);
	}
	return (TABLES_HINT_HASH);
}

struct tables	*tables_build(const struct config_instance *);
void		 tables_free(struct tables *);
bool		 tables_eam4(const struct tables *, uint32_t, struct in6_addr *);
bool		 tables_eam6(const struct tables *, const struct in6_addr *,
		    uint32_t *);
bool		 tables_eam_entry4(const struct tables *, uint32_t,
		    struct eam *);
bool		 tables_eam_entry6(const struct tables *,
		    const struct in6_addr *, struct eam *);
void		 tables_prefetch4(const struct tables *, uint32_t);
void		 tables_prefetch6(const struct tables *, const struct in6_addr *);
size_t		 tables_eam_memory(const struct tables *);

#endif
