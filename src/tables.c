/* SPDX-License-Identifier: ISC */
/*
 * tables.c: builds the lookup snapshot from a validated configuration and
 * answers the packet path's questions about addresses.  EAM entries of
 * each prefix length in use sit in their own hash table, keyed by the
 * masked address, and are probed longest first: a longest-prefix match
 * costs one hash lookup per length in use, whatever the number of entries.
 * The translation is stored inline with the key, so a hit reads one cache
 * line; tables_prefetch4/6 let a batch of packets wait on memory together.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tables.h"

#define TABLES_AHEAD		8	/* entries prefetched ahead in a build */

/*
 * One level per prefix length in use, longest first, each sized once from
 * its count: a million entries cause no rehash.  bylen[len] points to the
 * level of len, or is NULL.
 */
static int
tables_levels(struct eam_level *lv, int *n, const uint32_t *count,
    int maxlen, struct eam_level **bylen)
{
	struct in6_addr	m;
	int		len;

	for (len = maxlen; len >= 0; len--) {
		bylen[len] = NULL;
		if (count[len] == 0)
			continue;
		lv[*n].len = (uint8_t)len;
		if (maxlen == 32) {
			lv[*n].mask4 = addr_mask4((uint8_t)len);
			if (hashmap_init_kv(&lv[*n].map, 4, 16, count[len]) == -1)
				return (-1);
		} else {
			/* Its entries' IPv4 side: the same suffix length. */
			lv[*n].mask4 = len >= 96 ? addr_mask4((uint8_t)(len -
			    96)) : 0;
			memset(&m, 0xff, sizeof m);
			addr_mask6(&m, (uint8_t)len);
			memcpy(lv[*n].mask6, &m, sizeof m);
			if (hashmap_init_kv(&lv[*n].map, 16, 4, count[len]) == -1)
				return (-1);
		}
		bylen[len] = &lv[(*n)++];
	}
	return (0);
}

/* What tables_untranslatable4() refuses before its deny list. */
static const struct {
	uint32_t	first, last;	/* host order */
} tables_never4[] = {
	{ 0x00000000, 0x00ffffff }, { 0x7f000000, 0x7fffffff },
	{ 0xa9fe0000, 0xa9feffff }, { 0xe0000000, 0xffffffff },
};

/* Whether any address of p is one tables_untranslatable4() refuses. */
static bool
tables_reaches_never4(const struct tables *t, const struct prefix4 *p)
{
	uint32_t	first = ntohl(p->addr & addr_mask4(p->len));
	uint32_t	last = first | ~ntohl(addr_mask4(p->len));
	uint32_t	df, dl;
	size_t		i;

	for (i = 0; i < sizeof tables_never4 / sizeof tables_never4[0]; i++)
		if (first <= tables_never4[i].last &&
		    tables_never4[i].first <= last)
			return (true);
	for (i = 0; i < t->ndeny4; i++) {
		df = ntohl(t->deny4[i].addr & addr_mask4(t->deny4[i].len));
		dl = df | ~ntohl(addr_mask4(t->deny4[i].len));
		if (first <= dl && df <= last)
			return (true);
	}
	return (false);
}

/* Start loading the buckets entry e goes to. */
static void
tables_prefetch_eam(struct eam_level *const *l4, struct eam_level *const *l6,
    const struct config_eam *e)
{
	hashmap_prefetch(&l4[e->p4.len]->map, &e->p4.addr, 4);
	hashmap_prefetch(&l6[e->p6.len]->map, &e->p6.addr, 16);
}

/*
 * Mark where entry e lies in the filters of tables_may_eam4/6.  An IPv6
 * prefix shorter than 96 bits (none in a valid configuration) turns the
 * IPv6 filter off: every bit set.
 */
static void
tables_filter_eam(struct tables *t, uint32_t a4, uint8_t len4,
    const struct in6_addr *a6, uint8_t len6)
{
	uint32_t	b, first = ntohl(a4) >> 16, n;

	n = len4 >= 16 ? 1 : 1U << (16 - len4);
	for (b = first; b < first + n; b++)
		t->eam4_16[b / 64] |= 1ULL << (b % 64);
	if (len6 < 96) {
		memset(t->eam6_96, 0xff, sizeof t->eam6_96);
		return;
	}
	b = tables_filter6_bit(a6);
	t->eam6_96[b / 64] |= 1ULL << (b % 64);
}

/* Entry e, both ways.  A repeated prefix keeps the first entry. */
static int
tables_add_eam(struct tables *t, struct eam_level *const *l4,
    struct eam_level *const *l6, const struct config_eam *e)
{
	struct in6_addr	a6 = e->p6.addr;
	uint32_t	a4 = e->p4.addr & addr_mask4(e->p4.len);

	addr_mask6(&a6, e->p6.len);
	tables_filter_eam(t, a4, e->p4.len, &a6, e->p6.len);
	if (hashmap_put(&l4[e->p4.len]->map, &a4, &a6, NULL) == -1 ||
	    hashmap_put(&l6[e->p6.len]->map, &a6, &a4, NULL) == -1)
		return (-1);
	return (0);
}

/*
 * The EAM levels of n entries.  The bucket of an entry a few places ahead
 * is loaded while this one is placed, so that the build waits on memory
 * once per several entries, not twice per entry.
 */
static int
tables_build_eam(struct tables *t, const struct config_eam *eam, size_t n)
{
	struct eam_level	*l4[33], *l6[129];
	uint32_t		 count4[33] = { 0 }, count6[129] = { 0 };
	size_t			 i;

	t->eam4_clean = true;
	for (i = 0; i < n; i++) {
		count4[eam[i].p4.len]++;
		count6[eam[i].p6.len]++;
		if (t->eam4_clean && tables_reaches_never4(t, &eam[i].p4))
			t->eam4_clean = false;
	}
	if (tables_levels(t->by4, &t->nby4, count4, 32, l4) == -1 ||
	    tables_levels(t->by6, &t->nby6, count6, 128, l6) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if (i + TABLES_AHEAD < n)
			tables_prefetch_eam(l4, l6, &eam[i + TABLES_AHEAD]);
		if (tables_add_eam(t, l4, l6, &eam[i]) == -1)
			return (-1);
	}
	t->neam = (uint32_t)n;
	return (0);
}

/* The well-known prefix of RFC 6052 2.1. */
static bool
tables_is_wkp(const struct prefix6 *p)
{
	static const uint8_t wkp[12] = { 0x00, 0x64, 0xff, 0x9b };

	return (p->len == 96 && memcmp(p->addr.s6_addr, wkp, 12) == 0);
}

/* Everything but the EAM entries, worked out once for the packet path. */
static int
tables_options(struct tables *t, const struct config_instance *c)
{
	t->has_pool6 = c->has_pool6;
	t->pool6 = c->pool6;
	t->pool6_wkp = c->has_pool6 && tables_is_wkp(&c->pool6);
	t->wkp_nonglobal = c->allow_wkp_nonglobal;
	t->mtu = (uint16_t)c->mtu;
	t->lowest_mtu = (uint16_t)(c->lowest_mtu < c->mtu ? c->lowest_mtu :
	    c->mtu);
	t->copy_tos = c->copy_tos;
	t->one_hop = c->one_hop;
	t->udp0_compute = c->udp0_compute;
	t->icmp_rate = (uint32_t)c->icmp_rate;
	t->icmp_burst = (uint32_t)c->icmp_burst;
	t->pool6791_4 = c->pool6791_4;
	t->has_pool6791_6 = c->has_pool6791_6;
	t->pool6791_6 = c->pool6791_6;
	/* Our own errors come from the first address of each pool. */
	t->icmp_src4 = c->pool6791_4.len >= 31 ? c->pool6791_4.addr :
	    c->pool6791_4.addr | htonl(1);
	if (c->has_pool6791_6) {
		t->has_icmp_src6 = true;
		t->icmp_src6 = c->pool6791_6.addr;
		if (c->pool6791_6.len < 127)
			t->icmp_src6.s6_addr[15] |= 1;
	}
	if (c->ndeny4 > 0) {
		t->deny4 = calloc(c->ndeny4, sizeof *t->deny4);
		if (t->deny4 == NULL)
			return (-1);
		memcpy(t->deny4, c->deny4, c->ndeny4 * sizeof *t->deny4);
		t->ndeny4 = c->ndeny4;
	}
	return (0);
}

/* Build a snapshot for c.  NULL when out of memory. */
struct tables *
tables_build(const struct config_instance *c)
{
	struct tables	*t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return (NULL);
	if (tables_options(t, c) == -1 ||
	    tables_build_eam(t, c->eam, c->neam) == -1)
		goto fail;
	return (t);
fail:
	tables_free(t);
	return (NULL);
}

void
tables_free(struct tables *t)
{
	int	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nby4; i++)
		hashmap_free(&t->by4[i].map);
	for (i = 0; i < t->nby6; i++)
		hashmap_free(&t->by6[i].map);
	free(t->deny4);
	free(t);
}

/* EAM translation of an IPv4 address (RFC 7757 3.2), longest match. */
bool
tables_eam4(const struct tables *t, uint32_t a, struct in6_addr *out)
{
	return (tables_may_eam4(t, a) && tables_eam4_past(t, a, NULL, out));
}

/* EAM translation of an IPv6 address (RFC 7757 3.2), longest match. */
bool
tables_eam6(const struct tables *t, const struct in6_addr *a, uint32_t *out)
{
	return (tables_may_eam6(t, a) && tables_eam6_past(t, a, NULL, out));
}

/* The EAM entry that covers IPv4 address a, longest match. */
bool
tables_eam_entry4(const struct tables *t, uint32_t a, struct eam *e)
{
	const struct eam_level	*lv;
	const uint8_t		*v;

	if (!tables_may_eam4(t, a) || (v = tables_find4(t, a, NULL, &lv)) == NULL)
		return (false);
	e->p4.addr = a & lv->mask4;
	e->p4.len = lv->len;
	memcpy(&e->p6.addr, v, sizeof e->p6.addr);
	e->p6.len = (uint8_t)(lv->len + 96);
	return (true);
}

/* The EAM entry that covers IPv6 address a, longest match. */
bool
tables_eam_entry6(const struct tables *t, const struct in6_addr *a,
    struct eam *e)
{
	const struct eam_level	*lv;
	const uint8_t		*v;

	if (!tables_may_eam6(t, a) || (v = tables_find6(t, a, NULL, &lv)) == NULL)
		return (false);
	e->p6.addr = *a;
	addr_mask6(&e->p6.addr, lv->len);
	e->p6.len = lv->len;
	memcpy(&e->p4.addr, v, 4);
	e->p4.len = (uint8_t)(lv->len - 96);
	return (true);
}

/*
 * Start loading what tables_eam4(t, a) will read: called for each packet
 * of a batch before any is translated, the batch waits on memory once
 * instead of once per packet.
 */
void
tables_prefetch4(const struct tables *t, uint32_t a)
{
	uint64_t	hash;

	(void)tables_prefetch4_hint(t, a, &hash);
}

void
tables_prefetch6(const struct tables *t, const struct in6_addr *a)
{
	uint64_t	hash;

	(void)tables_prefetch6_hint(t, a, &hash);
}

/* Bytes the EAM tables hold, both directions. */
size_t
tables_eam_memory(const struct tables *t)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < t->nby4; i++)
		n += hashmap_memory(&t->by4[i].map);
	for (i = 0; i < t->nby6; i++)
		n += hashmap_memory(&t->by6[i].map);
	return (n);
}
