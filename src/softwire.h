/* SPDX-License-Identifier: ISC */
/*
 * softwire.h: the lwAFTR of RFC 7596 and the 4over6 mesh routes, both
 * IPv4-in-IPv6 (RFC 2473), as pure functions over one packet in place.
 */
#ifndef TUNMAPD_SOFTWIRE_H
#define TUNMAPD_SOFTWIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "bindings.h"
#include "pkt.h"
#include "stats.h"

/* softwire.routes: IPv4 prefix -> remote tunnel endpoint (mesh). */
struct sw_route {
	struct prefix4	 p4;
	struct in6_addr	 remote;
	uint32_t	 line;
};

/* What an IPv4 packet for an address or port without binding gets. */
enum sw_unreach {
	SW_UNREACH_NONE,		/* dropped silently */
	SW_UNREACH_HOST,		/* ICMPv4 3/1 */
	SW_UNREACH_ADMIN,		/* ICMPv4 3/13 */
};

/* The softwire keys of one instance, as the configuration validated them. */
struct sw_settings {
	struct in6_addr	 br;		/* br-address: default BR, ours */
	bool		 has_ipv4;
	uint32_t	 ipv4;		/* ipv4-address: ours (network order) */
	bool		 hairpinning;
	uint16_t	 ipv6_mtu;	/* path MTU towards the lwB4s */
	uint8_t		 hop_limit;	/* of the encapsulating header */
	bool		 copy_tos;	/* inner TOS -> outer traffic class */
	enum sw_unreach	 unreach4;
	bool		 policy6;	/* ICMPv6 1/5 to a packet that fails
					   the ingress filter */
	bool		 reply_shared_echo;	/* answer echo requests to
						   a shared address */
	uint32_t	 icmp_rate, icmp_burst;
	uint32_t	 reasm_packets;	/* packets being reassembled, at most */
	uint32_t	 reasm_fragments;	/* fragments of one packet */
	uint32_t	 reasm_timeout_ms;
};

#endif
