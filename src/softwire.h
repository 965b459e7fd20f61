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

/*
 * The lookup snapshot of one softwire instance: its settings, the binding
 * table, and the mesh routes, sorted longest prefix first (an instance
 * has a handful: a linear scan is the longest match).  Immutable once
 * built; the loop swaps a new one in on reload.
 */
struct sw_tables;

struct sw_tables	*sw_tables_build(const struct sw_settings *,
			    const struct binding_list *,
			    const struct sw_route *, size_t);
void			 sw_tables_free(struct sw_tables *);
const struct sw_settings *sw_tables_settings(const struct sw_tables *);
/* For the control socket: the binding tables, and the mesh route with
 * the longest prefix holding an IPv4 address (network order), or NULL. */
const struct bindings	*sw_tables_bindings(const struct sw_tables *);
const struct sw_route	*sw_tables_route(const struct sw_tables *, uint32_t);

/*
 * An IPv4 packet read from the tun (from the Internet or an IPv4 island
 * behind a mesh peer), whole: the loop reassembles fragments first.
 *  FORWARD	pkt is IPv4-in-IPv6 (RFC 2473) to the lwB4 of the binding
 *		of its destination address and port (RFC 7596 5.2, 8.1), or
 *		to the mesh peer of the longest route to its destination
 *  FRAGMENT	the same with a Fragment header after the IPv6 header: too
 *		large for ipv6-mtu with DF clear; cut it with frag6_next()
 *  REPLY	pkt is an ICMPv4 message of ours: a time exceeded, a
 *		fragmentation needed, an unreachable per unreach4, or the
 *		answer to an echo request to ipv4-address or (with
 *		reply-shared-echo) to a shared address
 *  DROP	why says why; pkt is unchanged
 */
enum verdict	sw_4to6(const struct sw_tables *, struct pkt *,
		    enum drop_reason *);

/*
 * An IPv6 packet read from the tun (from a lwB4 or a mesh peer), whole.
 * An IPv4 fragment in it from a shared address, which the ingress filter
 * cannot judge without the ports of the first fragment, must be made
 * whole first: sw_6to4_reassemble() says which, and reasm_input_4in6()
 * puts them together.  Other IPv4 fragments are judged by their source
 * address and go on as they came.
 *  FORWARD	pkt is the inner IPv4 packet, which passed the ingress
 *		filter (RFC 7596 5.1), or, hairpinned, an IPv6 packet to
 *		the lwB4 its destination is bound to
 *  FRAGMENT	a hairpinned packet to be cut, as above
 *  REPLY	pkt is an ICMPv4 error relayed from an ICMPv6 one about a
 *		packet we tunnelled (RFC 2473 8.3), an ICMPv4 error of ours
 *		going back over the softwire the packet came by, an ICMPv6
 *		1/5 to a packet the ingress filter refused (policy6), or
 *		an ICMPv6 echo reply from a BR address
 *  DROP	why says why (unreassembled: a fragment that needed the
 *		reassembly); pkt is unchanged
 */
enum verdict	sw_6to4(const struct sw_tables *, struct pkt *,
		    enum drop_reason *);
bool		sw_6to4_reassemble(const struct sw_tables *,
		    const struct pkt *);

#endif
