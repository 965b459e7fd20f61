/* SPDX-License-Identifier: ISC */
/*
 * addr.h: IPv4/IPv6 prefixes, their parsing and printing, and the RFC 6052
 * embedding of IPv4 addresses in IPv6 prefixes.  IPv4 addresses travel as
 * uint32_t in network byte order, exactly as they sit in a header.
 */
#ifndef TUNMAPD_ADDR_H
#define TUNMAPD_ADDR_H

#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct prefix4 {
	uint32_t	addr;		/* network byte order */
	uint8_t		len;
};

struct prefix6 {
	struct in6_addr	addr;
	uint8_t		len;
};

#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 4)

int		addr_parse4(const char *, struct prefix4 *, const char **);
int		addr_parse6(const char *, struct prefix6 *, const char **);
const char	*addr_str4(const struct prefix4 *, char *, size_t);
const char	*addr_str6(const struct prefix6 *, char *, size_t);
void		addr_mask6(struct in6_addr *, uint8_t);
bool		addr_in6(const struct prefix6 *, const struct in6_addr *);
bool		addr_valid6052_len(uint8_t);
void		addr_embed6052_any(const struct prefix6 *, uint32_t,
		    struct in6_addr *);
bool		addr_extract6052_any(const struct prefix6 *,
		    const struct in6_addr *, uint32_t *);

/*
 * The helpers below are inline: the packet path calls them for every
 * packet, and the common cases are a few instructions.
 */

/* The netmask of a /len, in network byte order. */
static inline uint32_t
addr_mask4(uint8_t len)
{
	if (len == 0)
		return (0);
	return (htonl(0xffffffffU << (32 - len)));
}

/* Embed v4 in the prefix p (RFC 6052 2.2); the suffix is zero. */
static inline void
addr_embed6052(const struct prefix6 *p, uint32_t v4, struct in6_addr *out)
{
	/* A /96, the usual pool6, has the IPv4 address as its last word. */
	if (p->len == 96) {
		*out = p->addr;
		memcpy(&out->s6_addr[12], &v4, 4);
		return;
	}
	addr_embed6052_any(p, v4, out);
}

/*
 * Extract the IPv4 address from a inside p.  False when a is outside p,
 * or when its u octet or suffix is not zero (RFC 6052 2.2 requires both
 * to be zero, so such an address was not made by a translator).
 */
static inline bool
addr_extract6052(const struct prefix6 *p, const struct in6_addr *a,
    uint32_t *v4)
{
	uint64_t	x[2], y[2], m;

	/*
	 * A /96 has no u octet and no suffix: the prefix, then IPv4.  In
	 * 8-byte words, the IPv4 bytes masked off: a prefix with any of
	 * them set matches nothing.
	 */
	if (p->len == 96) {
		memcpy(x, a, 16);
		memcpy(y, &p->addr, 16);
		m = htobe64(0xffffffff00000000ULL);
		if (((x[0] ^ y[0]) | ((x[1] & m) ^ y[1])) != 0)
			return (false);
		memcpy(v4, &a->s6_addr[12], 4);
		return (true);
	}
	return (addr_extract6052_any(p, a, v4));
}

#endif
