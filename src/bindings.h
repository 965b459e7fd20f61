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
#include <stdio.h>

#include "hashmap.h"

struct config_errors;

/*
 * Set in binding.line for a binding the configuration file lists inline:
 * the rest is its line in that file.  Without it, line is the bindings
 * file's.
 */
#define BINDING_INLINE		0x80000000u
#define BINDING_LINE(b)		((b)->line & ~BINDING_INLINE)

/* Distinct BR addresses one list may hold. */
#define BINDINGS_BR_MAX		1024

/* Room for any port set as ranges (bindings_ports_str() shortens more). */
#define BINDINGS_LINE_MAX	1024

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
	size_t		 cap;		/* room in b, for the loaders */
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

/*
 * Building a list: bindings_br() first with softwire.br-address, so that
 * it is br[0] (later calls add other BR addresses, deduplicated, and
 * give their index for binding.br); then bindings_add() for the inline
 * bindings (line = BINDING_INLINE | their line in the configuration) and
 * bindings_file_load() for the file (a path the caller resolved), or
 * bindings_file_read() for a file the caller opened (path only names it
 * in the messages), in either order; then bindings_validate(), which
 * sorts the list and reports every conflict.  Each returns 0, or -1
 * with each reason in errs as "file:line: message", at most 100 then a
 * count (or errno for the two that take no errs: EINVAL for a binding
 * that is no port set, E2BIG past BINDINGS_BR_MAX BR addresses).  A list
 * with errors must not be built.
 *
 * The file has one binding a line, fields separated by blanks:
 *	B4-IPV6 IPV4 [PSID/K] [offset A] [br IPV6]
 * '#' starts a comment.  No PSID binds the whole address (k = 0, a = 0);
 * A defaults to PSID_OFFSET_DEFAULT, A + K <= 16, PSID < 2^K, numbers
 * are decimal.  Conflicts name the later binding's line and the earlier
 * one's; inline bindings count as earlier than the file's.
 */
int	bindings_br(struct binding_list *, const struct in6_addr *);
int	bindings_add(struct binding_list *, const struct binding *);
int	bindings_file_load(struct binding_list *, const char *,
	    struct config_errors *);
int	bindings_file_read(struct binding_list *, FILE *, const char *,
	    struct config_errors *);
int	bindings_validate(struct binding_list *, const char *, const char *,
	    struct config_errors *);
void	bindings_list_free(struct binding_list *);

/* The tables over a validated list, which must outlive them. */
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

/*
 * Text for operators: a binding's ports as ranges ("1088-1103,2112-2127,
 * ...", shortened to the first ranges, "..." and the last when the
 * buffer is too small), and one binding as a line that stands on its
 * own ("b4 B4 ipv4 IPV4 [psid P/K [offset A]] ports ... br BR", br the
 * binding's BR address).  Both return the length written, or -1 if
 * even the shortened text did not fit.
 */
int	bindings_ports_str(const struct binding *, char *, size_t);
int	bindings_str(const struct binding *, const struct in6_addr *, char *,
	    size_t);

/*
 * Call cb once per binding in old and not in new ("binding removed: ")
 * and once per binding in new and not in old ("binding added: "), each
 * a whole line.  Both lists validated; old may be empty.  Returns how
 * many lines.
 */
size_t	bindings_diff(const struct binding_list *,
	    const struct binding_list *, void (*)(void *, const char *), void *);

#endif
