/* SPDX-License-Identifier: ISC */
/*
 * pktbuild.h: build whole IPv4 and IPv6 packets with an ICMP, TCP or UDP
 * header for the translation tests.  Every checksum is computed by a full,
 * byte-by-byte sum written here, never with src/checksum.c, so a packet
 * built here is an independent oracle for what the translator produces.
 */
#ifndef TUNMAPD_PKTBUILD_H
#define TUNMAPD_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

#define PB_BUFSIZE	(PKT_HEADROOM + PKT_MAXLEN + 64)

/*
 * The transport part.  proto is the number on the wire (ICMPv6 is 58).
 * An ICMP error is an ICMP message whose payload is the packet in error;
 * its fourth word is id and seq.
 */
struct pb_l4 {
	uint8_t		 proto;
	uint8_t		 type, code;	/* ICMP */
	uint16_t	 id, seq;	/* ICMP echo */
	uint16_t	 sport, dport;	/* TCP, UDP */
	uint32_t	 tcpseq, tcpack;
	uint8_t		 tcpflags;
	bool		 udp_nocsum;	/* send UDP checksum 0 */
	const uint8_t	*payload;	/* NULL: a counting pattern */
	size_t		 paylen;
	uint8_t		 fill;		/* first pattern byte */
};

struct pb_ip4 {
	const char	*src, *dst;
	uint8_t		 tos, ttl;
	uint16_t	 id;
	uint16_t	 frag;		/* flags and offset, host order */
	const uint8_t	*opt;		/* options, a multiple of 4 */
	size_t		 optlen;
	uint16_t	 tot;		/* Total Length if not 0 */
};

struct pb_ip6 {
	const char	*src, *dst;
	uint8_t		 tclass, hlim;
	uint32_t	 flow;
	const uint8_t	*ext;		/* extension headers */
	size_t		 extlen;
	uint8_t		 ext_nh;	/* next header naming ext */
	uint16_t	 plen;		/* Payload Length if not 0 */
};

/* A buffer with headroom, as the tun reader gives one to the translator. */
struct pb_buf {
	uint8_t		 mem[PB_BUFSIZE];
};

size_t		pb_build4(uint8_t *, const struct pb_ip4 *,
		    const struct pb_l4 *);
size_t		pb_build6(uint8_t *, const struct pb_ip6 *,
		    const struct pb_l4 *);
size_t		pb_l4_4(uint8_t *, const struct pb_ip4 *,
		    const struct pb_l4 *);
size_t		pb_l4_6(uint8_t *, const struct pb_ip6 *,
		    const struct pb_l4 *);
size_t		pb_raw4(uint8_t *, const struct pb_ip4 *, uint8_t,
		    const uint8_t *, size_t);
size_t		pb_raw6(uint8_t *, const struct pb_ip6 *, uint8_t,
		    const uint8_t *, size_t);
void		pb_frag6(uint8_t *, uint8_t, uint16_t, bool, uint32_t);
uint16_t	pb_sum(const uint8_t *, size_t, uint32_t);
void		pb_fix4(uint8_t *);
bool		pb_check4(const uint8_t *);
void		pb_load(struct pb_buf *, struct pkt *, const uint8_t *,
		    size_t);

#endif
