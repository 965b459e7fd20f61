/* SPDX-License-Identifier: ISC */
/*
 * icmp.h: the RFC 7915 maps between ICMPv4 and ICMPv6 types, codes,
 * Parameter Problem pointers and Packet Too Big / Fragmentation Needed
 * MTUs.  Pure functions of their arguments.
 */
#ifndef TUNMAPD_ICMP_H
#define TUNMAPD_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#define ICMP4_ECHOREPLY		0
#define ICMP4_UNREACH		3
#define ICMP4_ECHO		8
#define ICMP4_TIMXCEED		11
#define ICMP4_PARAMPROB		12
#define ICMP4_UNREACH_PROTO	2
#define ICMP4_UNREACH_NEEDFRAG	4
#define ICMP4_UNREACH_SRCFAIL	5

#define ICMP6_UNREACH		1
#define ICMP6_PACKET_TOO_BIG	2
#define ICMP6_TIME_EXCEEDED	3
#define ICMP6_PARAM_PROB	4
#define ICMP6_ECHO		128
#define ICMP6_ECHOREPLY		129
#define ICMP6_PARAMPROB_HEADER	0
#define ICMP6_PARAMPROB_NH	1

/* What a message is, and what becomes of it. */
enum icmp_kind {
	ICMP_DROP,		/* not translated: count and drop */
	ICMP_INFO,		/* echo: no inner packet */
	ICMP_ERROR,		/* carries the packet in error */
};

/* A translated type and code, and how to fill the fourth word. */
struct icmp_map {
	enum icmp_kind	kind;
	uint8_t		type, code;
	enum { WORD_COPY, WORD_MTU, WORD_POINTER, WORD_NH_POINTER }
			word;
};

/* A token bucket for the errors the translator sends itself. */
struct ratelimit {
	uint64_t	last_ms;
	uint64_t	tokens_milli;	/* thousandths of a token */
};

void		icmp_put(uint8_t *, uint8_t, uint8_t, uint32_t, size_t,
		    uint32_t);
bool		icmp_ratelimit(struct ratelimit *, uint64_t, uint32_t,
		    uint32_t);
bool		icmp_is_error4(uint8_t);
bool		icmp_is_error6(uint8_t);
struct icmp_map	icmp_map4to6(uint8_t, uint8_t);
struct icmp_map	icmp_map6to4(uint8_t, uint8_t);
int		icmp_pointer4to6(uint8_t);
int		icmp_pointer6to4(uint8_t);
uint32_t	icmp_mtu4to6(uint16_t, uint16_t, uint32_t);
uint16_t	icmp_mtu6to4(uint32_t, uint32_t);

#endif
