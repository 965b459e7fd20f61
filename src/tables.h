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

struct eam {
	struct prefix4	 p4;
	struct prefix6	 p6;
};

/* All EAM entries of one prefix length, keyed by their masked address. */
struct eam_level {
	uint8_t		 len;
	struct hashmap	 map;		/* masked address -> index in eam */
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

	struct eam	*eam;
	uint32_t	 neam;
	struct eam_level by4[33];	/* longest prefix first */
	int		 nby4;
	struct eam_level by6[129];
	int		 nby6;
};

struct tables	*tables_build(const struct config_instance *);
void		 tables_free(struct tables *);
bool		 tables_map4(const struct tables *, uint32_t, struct in6_addr *);
bool		 tables_map6(const struct tables *, const struct in6_addr *,
		    uint32_t *);
bool		 tables_eam4(const struct tables *, uint32_t, struct in6_addr *);
bool		 tables_eam6(const struct tables *, const struct in6_addr *,
		    uint32_t *);

#endif
