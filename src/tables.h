/* SPDX-License-Identifier: ISC */
/*
 * tables.h: the immutable lookup snapshot built from a validated
 * configuration.  The packet path only reads it; a reload builds a new one
 * and swaps a pointer.
 */
#ifndef TUNMAPD_TABLES_H
#define TUNMAPD_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hashmap.h"

struct config_instance;

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
};

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
