/* SPDX-License-Identifier: ISC */
/*
 * bindings.h: the lwAFTR binding table (RFC 7596).  Each binding gives a
 * subscriber's lwB4 (its IPv6 address) one public IPv4 address and one
 * port set of it (PSID, RFC 7597), reached through one BR address.
 * Parsed and validated with the configuration; the packet path only reads
 * the hash tables built from it.
 */
#ifndef TUNMAPD_BINDINGS_H
#define TUNMAPD_BINDINGS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"

struct config_errors;

struct binding {
	struct in6_addr	b4;		/* the lwB4's softwire address */
	uint32_t	ipv4;		/* network byte order */
	uint16_t	psid;
	uint8_t		psid_len;	/* k: 0 (whole address) to 16 */
	uint8_t		psid_offset;	/* a: 0-16, a + k <= 16 */
	uint32_t	br;		/* index in the BR address list */
	uint32_t	line;		/* of the bindings file, or the
					   config file for an inline one */
};

/* A parsed, validated, sorted list: what the configuration holds. */
struct binding_list {
	struct binding	*b;		/* sorted by (ipv4, psid) */
	size_t		 n;
	struct in6_addr	*br;		/* br[0]: softwire.br-address */
	size_t		 nbr;
};

/* The lookup tables the packet path reads. */
struct bindings {
	const struct binding	*b;	/* the list's array, not owned */
	size_t			 n;
	const struct in6_addr	*br;
	size_t			 nbr;
	struct hashmap		 by_addr;	/* ipv4 -> k | a << 8 */
	struct hashmap		 by_psid;	/* (ipv4, psid) -> index in b */
};

int	bindings_build(struct bindings *, const struct binding_list *);
void	bindings_free(struct bindings *);

/*
 * The binding whose port set of ipv4 holds port, or NULL.  For an
 * address bound whole (k = 0) any port matches.
 */
const struct binding	*bindings_find(const struct bindings *, uint32_t,
			    uint16_t);
/* Whether ipv4 is bound at all; if so its k and a. */
bool			 bindings_addr(const struct bindings *, uint32_t,
			    uint8_t *, uint8_t *);

#endif
