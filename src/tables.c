/* SPDX-License-Identifier: ISC */
/*
 * tables.c: builds the lookup snapshot from a validated configuration and
 * answers the packet path's questions about addresses.  EAM entries of
 * each prefix length in use sit in their own hash table, keyed by the
 * masked address, and are probed longest first: a longest-prefix match
 * costs one hash lookup per length in use, whatever the number of entries.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tables.h"

/*
 * The level for prefix length len, made with room for n entries if it is
 * not there yet.  Levels stay sorted, longest prefix first.
 */
static struct eam_level *
tables_level(struct eam_level *lv, int *n, uint8_t len, size_t keylen,
    size_t count)
{
	int	i;

	for (i = 0; i < *n; i++)
		if (lv[i].len == len)
			return (&lv[i]);
	for (i = *n; i > 0 && lv[i - 1].len < len; i--)
		lv[i] = lv[i - 1];
	lv[i].len = len;
	if (hashmap_init(&lv[i].map, keylen, count) == -1) {
		for (; i < *n; i++)
			lv[i] = lv[i + 1];
		return (NULL);
	}
	(*n)++;
	return (&lv[i]);
}

/*
 * Add entry idx.  Sized from the count of its prefix length, each level
 * is allocated once: a million entries cause no rehash.
 */
static int
tables_add_eam(struct tables *t, uint32_t idx, const uint32_t *count4,
    const uint32_t *count6)
{
	const struct eam	*e = &t->eam[idx];
	struct eam_level	*lv;
	uint32_t		 old;

	if ((lv = tables_level(t->by4, &t->nby4, e->p4.len, 4,
	    count4[e->p4.len])) == NULL ||
	    hashmap_insert(&lv->map, &e->p4.addr, idx, &old) == -1)
		return (-1);
	if ((lv = tables_level(t->by6, &t->nby6, e->p6.len, 16,
	    count6[e->p6.len])) == NULL ||
	    hashmap_insert(&lv->map, &e->p6.addr, idx, &old) == -1)
		return (-1);
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
	uint32_t	 count4[33] = { 0 }, count6[129] = { 0 };
	size_t		 i;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return (NULL);
	if (tables_options(t, c) == -1)
		goto fail;
	if (c->neam > 0 && (t->eam = calloc(c->neam, sizeof *t->eam)) == NULL)
		goto fail;
	for (i = 0; i < c->neam; i++) {
		count4[c->eam[i].p4.len]++;
		count6[c->eam[i].p6.len]++;
	}
	for (i = 0; i < c->neam; i++) {
		t->eam[i].p4 = c->eam[i].p4;
		t->eam[i].p6 = c->eam[i].p6;
		t->neam++;
		if (tables_add_eam(t, (uint32_t)i, count4, count6) == -1)
			goto fail;
	}
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
	free(t->eam);
	free(t->deny4);
	free(t);
}

/* EAM translation of an IPv4 address (RFC 7757 3.2), longest match. */
bool
tables_eam4(const struct tables *t, uint32_t a, struct in6_addr *out)
{
	const struct eam	*e;
	uint32_t		 key, idx, host;
	int			 i;

	for (i = 0; i < t->nby4; i++) {
		key = a & addr_mask4(t->by4[i].len);
		if (!hashmap_find(&t->by4[i].map, &key, &idx))
			continue;
		e = &t->eam[idx];
		/* The host part goes, unchanged, to the end of the IPv6. */
		host = a & ~addr_mask4(e->p4.len);
		*out = e->p6.addr;
		for (int b = 0; b < 4; b++)
			out->s6_addr[12 + b] |= ((uint8_t *)&host)[b];
		return (true);
	}
	return (false);
}

/* EAM translation of an IPv6 address (RFC 7757 3.2), longest match. */
bool
tables_eam6(const struct tables *t, const struct in6_addr *a, uint32_t *out)
{
	const struct eam	*e;
	struct in6_addr		 key;
	uint32_t		 idx, host;
	int			 i;

	for (i = 0; i < t->nby6; i++) {
		key = *a;
		addr_mask6(&key, t->by6[i].len);
		if (!hashmap_find(&t->by6[i].map, &key, &idx))
			continue;
		e = &t->eam[idx];
		memcpy(&host, &a->s6_addr[12], 4);
		*out = e->p4.addr | (host & ~addr_mask4(e->p4.len));
		return (true);
	}
	return (false);
}

/* The IPv6 address that stands for IPv4 address a: EAM, else pool6. */
bool
tables_map4(const struct tables *t, uint32_t a, struct in6_addr *out)
{
	if (tables_eam4(t, a, out))
		return (true);
	if (!t->has_pool6)
		return (false);
	addr_embed6052(&t->pool6, a, out);
	return (true);
}

/* The IPv4 address that IPv6 address a stands for: EAM, else pool6. */
bool
tables_map6(const struct tables *t, const struct in6_addr *a, uint32_t *out)
{
	if (tables_eam6(t, a, out))
		return (true);
	return (t->has_pool6 && addr_extract6052(&t->pool6, a, out));
}
