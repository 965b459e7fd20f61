/* SPDX-License-Identifier: ISC */
/*
 * addr.h: IPv4/IPv6 prefixes, their parsing and printing, and the RFC 6052
 * embedding of IPv4 addresses in IPv6 prefixes.  IPv4 addresses travel as
 * uint32_t in network byte order, exactly as they sit in a header.
 */
#ifndef TUNMAPD_ADDR_H
#define TUNMAPD_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
uint32_t	addr_mask4(uint8_t);
void		addr_mask6(struct in6_addr *, uint8_t);
bool		addr_in6(const struct prefix6 *, const struct in6_addr *);
bool		addr_valid6052_len(uint8_t);
void		addr_embed6052(const struct prefix6 *, uint32_t,
		    struct in6_addr *);
bool		addr_extract6052(const struct prefix6 *, const struct in6_addr *,
		    uint32_t *);

#endif
