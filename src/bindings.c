/* SPDX-License-Identifier: ISC */
/*
 * bindings.c: the lwAFTR binding table of RFC 7596.  The bindings file
 * parser, the validation that no two bindings share a port, the lookup
 * tables the packet path reads, and the one-line text of a binding that
 * lets an operator map an IPv4 address and port back to a subscriber.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindings.h"
#include "config.h"
#include "psid.h"

/* The by_psid key: both halves fixed-width so no padding is hashed. */
struct psid_key {
	uint32_t	ipv4;
	uint32_t	psid;
};

/* Whether k, a and psid make a port set (RFC 7597 5.1). */
static bool
binding_params_ok(const struct binding *b)
{
	if (b->psid_len > 16 || b->psid_offset + b->psid_len > 16)
		return (false);
	if (b->psid_len == 0)
		return (b->psid == 0 && b->psid_offset == 0);
	return (b->psid >> b->psid_len == 0);
}

/* Room for one more binding; doubling, so a million lines copy little. */
static struct binding *
list_append(struct binding_list *l)
{
	struct binding	*n;
	size_t		 ncap;

	if (l->n == l->cap) {
		ncap = l->cap < 4096 ? 4096 : l->cap * 2;
		if ((n = reallocarray(l->b, ncap, sizeof *n)) == NULL)
			return (NULL);
		l->b = n;
		l->cap = ncap;
	}
	return (&l->b[l->n]);
}

/*
 * The index of BR address a in the list, added if new.  A list holds a
 * handful (at most BINDINGS_BR_MAX), so a scan is enough.
 */
static int
br_index(struct binding_list *l, const struct in6_addr *a, uint32_t *idx)
{
	struct in6_addr	*n;
	size_t		 i;

	for (i = 0; i < l->nbr; i++)
		if (memcmp(&l->br[i], a, sizeof *a) == 0) {
			*idx = (uint32_t)i;
			return (0);
		}
	if (l->nbr >= BINDINGS_BR_MAX) {
		errno = E2BIG;
		return (-1);
	}
	if ((n = reallocarray(l->br, l->nbr + 1, sizeof *n)) == NULL)
		return (-1);
	l->br = n;
	l->br[l->nbr] = *a;
	*idx = (uint32_t)l->nbr++;
	return (0);
}

/* Add BR address a (the first call: the default, br[0]). */
int
bindings_br(struct binding_list *l, const struct in6_addr *a)
{
	uint32_t	idx;

	return (br_index(l, a, &idx));
}

/* Append a binding made elsewhere; EINVAL if its port set is not one. */
int
bindings_add(struct binding_list *l, const struct binding *b)
{
	struct binding	*n;

	if (!binding_params_ok(b) || b->br >= l->nbr) {
		errno = EINVAL;
		return (-1);
	}
	if ((n = list_append(l)) == NULL)
		return (-1);
	*n = *b;
	l->n++;
	return (0);
}

void
bindings_list_free(struct binding_list *l)
{
	free(l->b);
	free(l->br);
	memset(l, 0, sizeof *l);
}

/*
 * The two tables.  A list that slipped past validation with one port in
 * two sets fails here (EEXIST) rather than answering for one of them.
 */
int
bindings_build(struct bindings *t, const struct binding_list *l)
{
	const struct binding	*b;
	struct psid_key		 key;
	uint32_t		 ka, old;
	size_t			 i, naddr = 0;
	int			 rv;

	memset(t, 0, sizeof *t);
	for (i = 0; i < l->n; i++)
		if (i == 0 || l->b[i].ipv4 != l->b[i - 1].ipv4)
			naddr++;
	if (hashmap_init(&t->by_addr, sizeof key.ipv4, naddr) == -1)
		return (-1);
	if (hashmap_init(&t->by_psid, sizeof key, l->n) == -1) {
		hashmap_free(&t->by_addr);
		return (-1);
	}
	for (i = 0; i < l->n; i++) {
		b = &l->b[i];
		ka = b->psid_len | (uint32_t)b->psid_offset << 8;
		rv = hashmap_insert(&t->by_addr, &b->ipv4, ka, &old);
		if (rv == 1 && (old != ka || b->psid_len == 0))
			rv = -1, errno = EEXIST;
		if (rv != -1) {
			key.ipv4 = b->ipv4;
			key.psid = b->psid;
			rv = hashmap_insert(&t->by_psid, &key, (uint32_t)i,
			    &old);
			if (rv == 1)
				rv = -1, errno = EEXIST;
		}
		if (rv == -1) {
			bindings_free(t);
			return (-1);
		}
	}
	t->b = l->b;
	t->n = l->n;
	t->br = l->br;
	t->nbr = l->nbr;
	return (0);
}

void
bindings_free(struct bindings *t)
{
	hashmap_free(&t->by_addr);
	hashmap_free(&t->by_psid);
	t->b = NULL;
	t->n = 0;
}

bool
bindings_addr(const struct bindings *t, uint32_t ipv4, uint8_t *k,
    uint8_t *a)
{
	uint32_t	ka;

	if (!hashmap_find(&t->by_addr, &ipv4, &ka))
		return (false);
	*k = (uint8_t)(ka & 0xff);
	*a = (uint8_t)(ka >> 8);
	return (true);
}

const struct binding *
bindings_find(const struct bindings *t, uint32_t ipv4, uint16_t port)
{
	struct psid_key	key;
	uint32_t	idx;
	uint8_t		k, a;

	if (!bindings_addr(t, ipv4, &k, &a) || !psid_port_in_sets(port, k, a))
		return (NULL);
	key.ipv4 = ipv4;
	key.psid = psid_of_port(port, k, a);
	if (!hashmap_find(&t->by_psid, &key, &idx))
		return (NULL);
	return (&t->b[idx]);
}
