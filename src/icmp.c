/* SPDX-License-Identifier: ISC */
/*
 * icmp.c: RFC 7915 sections 4.2 and 5.2 as tables and small functions:
 * which ICMP messages are translated, into what, and how the Parameter
 * Problem pointer and the MTU of Packet Too Big move, and the header of
 * the messages the translator and the lwAFTR make.  The packet surgery
 * itself is in siit_icmp.c and softwire.c.
 */
#include <stddef.h>

#include "checksum.h"
#include "icmp.h"
#include "pkt.h"

#define IPV6_MIN_MTU	1280
#define IPV4_MIN_MTU	68

bool
icmp_is_error4(uint8_t type)
{
	return (type == 3 || type == 4 || type == 5 || type == 11 ||
	    type == 12);
}

bool
icmp_is_error6(uint8_t type)
{
	return (type < 128);
}

static struct icmp_map
map(enum icmp_kind kind, uint8_t type, uint8_t code, int word)
{
	struct icmp_map	m = { kind, type, code, WORD_COPY };

	m.word = word;
	return (m);
}

/* RFC 7915 4.2, Destination Unreachable (type 3) codes. */
static struct icmp_map
map_unreach4(uint8_t code)
{
	switch (code) {
	case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
		return (map(ICMP_ERROR, ICMP6_UNREACH, 0, WORD_COPY));
	case 2:
		return (map(ICMP_ERROR, ICMP6_PARAM_PROB,
		    ICMP6_PARAMPROB_NH, WORD_NH_POINTER));
	case 3:
		return (map(ICMP_ERROR, ICMP6_UNREACH, 4, WORD_COPY));
	case 4:
		return (map(ICMP_ERROR, ICMP6_PACKET_TOO_BIG, 0, WORD_MTU));
	case 9: case 10: case 13: case 15:
		return (map(ICMP_ERROR, ICMP6_UNREACH, 1, WORD_COPY));
	default:		/* 14, host precedence violation, and unknown */
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	}
}

/* The ICMPv6 type and code for an ICMPv4 one (RFC 7915 4.2). */
struct icmp_map
icmp_map4to6(uint8_t type, uint8_t code)
{
	switch (type) {
	case ICMP4_ECHO:
		return (map(ICMP_INFO, ICMP6_ECHO, code, WORD_COPY));
	case ICMP4_ECHOREPLY:
		return (map(ICMP_INFO, ICMP6_ECHOREPLY, code, WORD_COPY));
	case ICMP4_UNREACH:
		return (map_unreach4(code));
	case ICMP4_TIMXCEED:
		return (map(ICMP_ERROR, ICMP6_TIME_EXCEEDED, code, WORD_COPY));
	case ICMP4_PARAMPROB:
		if (code == 0 || code == 2)
			return (map(ICMP_ERROR, ICMP6_PARAM_PROB,
			    ICMP6_PARAMPROB_HEADER, WORD_POINTER));
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	default:	/* information, redirect, source quench, unknown */
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	}
}

/* RFC 7915 5.2, Destination Unreachable (type 1) codes. */
static struct icmp_map
map_unreach6(uint8_t code)
{
	switch (code) {
	case 0: case 2: case 3:
		return (map(ICMP_ERROR, ICMP4_UNREACH, 1, WORD_COPY));
	case 1:
		return (map(ICMP_ERROR, ICMP4_UNREACH, 10, WORD_COPY));
	case 4:
		return (map(ICMP_ERROR, ICMP4_UNREACH, 3, WORD_COPY));
	default:
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	}
}

/* The ICMPv4 type and code for an ICMPv6 one (RFC 7915 5.2). */
struct icmp_map
icmp_map6to4(uint8_t type, uint8_t code)
{
	switch (type) {
	case ICMP6_ECHO:
		return (map(ICMP_INFO, ICMP4_ECHO, code, WORD_COPY));
	case ICMP6_ECHOREPLY:
		return (map(ICMP_INFO, ICMP4_ECHOREPLY, code, WORD_COPY));
	case ICMP6_UNREACH:
		return (map_unreach6(code));
	case ICMP6_PACKET_TOO_BIG:
		return (map(ICMP_ERROR, ICMP4_UNREACH,
		    ICMP4_UNREACH_NEEDFRAG, WORD_MTU));
	case ICMP6_TIME_EXCEEDED:
		return (map(ICMP_ERROR, ICMP4_TIMXCEED, code, WORD_COPY));
	case ICMP6_PARAM_PROB:
		if (code == ICMP6_PARAMPROB_HEADER)
			return (map(ICMP_ERROR, ICMP4_PARAMPROB, 0,
			    WORD_POINTER));
		if (code == ICMP6_PARAMPROB_NH)
			return (map(ICMP_ERROR, ICMP4_UNREACH,
			    ICMP4_UNREACH_PROTO, WORD_COPY));
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	default:	/* MLD, neighbour discovery, unknown */
		return (map(ICMP_DROP, 0, 0, WORD_COPY));
	}
}

/* RFC 7915 figure 3: IPv4 header offset -> IPv6; -1 has no counterpart. */
int
icmp_pointer4to6(uint8_t ptr)
{
	if (ptr <= 1)
		return (ptr);		/* version/IHL, type of service */
	if (ptr <= 3)
		return (4);		/* total length -> payload length */
	if (ptr == 8)
		return (7);		/* TTL -> hop limit */
	if (ptr == 9)
		return (6);		/* protocol -> next header */
	if (ptr >= 12 && ptr <= 15)
		return (8);		/* source address */
	if (ptr >= 16 && ptr <= 19)
		return (24);		/* destination address */
	return (-1);	/* identification, flags, checksum, options */
}

/* RFC 7915 figure 6: IPv6 header offset -> IPv4; -1 has no counterpart. */
int
icmp_pointer6to4(uint8_t ptr)
{
	if (ptr <= 1)
		return (ptr);		/* version/traffic class */
	if (ptr == 4 || ptr == 5)
		return (2);		/* payload length -> total length */
	if (ptr == 6)
		return (9);		/* next header -> protocol */
	if (ptr == 7)
		return (8);		/* hop limit -> TTL */
	if (ptr >= 8 && ptr <= 23)
		return (12);
	if (ptr >= 24 && ptr <= 39)
		return (16);
	return (-1);		/* flow label, and past the header */
}

/*
 * RFC 7915 4.2: the MTU of a Packet Too Big made from a Fragmentation
 * Needed.  mtu4 is the reported next-hop MTU, tot the total length of the
 * packet in error, mtu6 the MTU of our IPv6 side.  A router that reports
 * 0 predates RFC 1191: take the largest plateau below the packet's length.
 */
uint32_t
icmp_mtu4to6(uint16_t mtu4, uint16_t tot, uint32_t mtu6)
{
	static const uint16_t plateau[] = {
		65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296,
		68
	};
	uint32_t	 m;
	size_t		 i;

	if (mtu4 == 0) {
		mtu4 = IPV4_MIN_MTU;
		for (i = 0; i < sizeof plateau / sizeof plateau[0]; i++)
			if (plateau[i] < tot) {
				mtu4 = plateau[i];
				break;
			}
	}
	m = (uint32_t)mtu4 + 20;
	if (m > mtu6)
		m = mtu6;
	return (m < IPV6_MIN_MTU ? IPV6_MIN_MTU : m);
}

/*
 * RFC 7915 5.2: the MTU of a Fragmentation Needed made from a Packet Too
 * Big: the advertised MTU less the 20 bytes the header shrinks, and no
 * more than our own IPv4 side carries.
 */
uint16_t
icmp_mtu6to4(uint32_t mtu6, uint32_t mtu4)
{
	uint32_t	m = mtu6 >= 20 ? mtu6 - 20 : 0;

	if (m > mtu4)
		m = mtu4;
	if (m > 65535)
		m = 65535;
	return ((uint16_t)(m < IPV4_MIN_MTU ? IPV4_MIN_MTU : m));
}

/*
 * Take a token from the bucket at time now_ms; rate tokens a second, at
 * most burst saved up.  A rate of 0 sends nothing.
 */
bool
icmp_ratelimit(struct ratelimit *rl, uint64_t now_ms, uint32_t rate,
    uint32_t burst)
{
	uint64_t	cap = (uint64_t)burst * 1000;

	if (rate == 0)
		return (false);
	if (now_ms > rl->last_ms) {
		rl->tokens_milli += (now_ms - rl->last_ms) * rate;
		rl->last_ms = now_ms;
	}
	if (rl->tokens_milli > cap)
		rl->tokens_milli = cap;
	if (rl->tokens_milli < 1000)
		return (false);
	rl->tokens_milli -= 1000;
	return (true);
}

/*
 * Write an ICMP header (type, code, fourth word) in front of len bytes of
 * body and sum the message, with ph as the pseudo-header (0 for ICMPv4).
 */
void
icmp_put(uint8_t *icmp, uint8_t type, uint8_t code, uint32_t word,
    size_t len, uint32_t ph)
{
	uint16_t	ck;

	icmp[0] = type;
	icmp[1] = code;
	memset(icmp + 2, 0, 2);
	put32(icmp + 4, word);
	ck = csum_finish(csum_partial(icmp, ICMP_HLEN + len, ph));
	memcpy(icmp + 2, &ck, 2);
}
