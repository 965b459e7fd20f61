/* SPDX-License-Identifier: ISC */
/*
 * stats.h: the drop reasons and the counters of an instance.  DROP_REASONS
 * is the one list that the enum, the counter names and the documentation
 * are made from, so they cannot drift apart.
 */
#ifndef TUNMAPD_STATS_H
#define TUNMAPD_STATS_H

#include <stdint.h>

/* X(enum suffix, counter name, what it means) */
#define DROP_REASONS(X)							\
	X(TRUNCATED, "truncated",					\
	    "shorter than its headers say, or than a header")		\
	X(BAD_VERSION, "bad-version",					\
	    "IP version neither 4 nor 6")				\
	X(BAD_HEADER, "bad-header",					\
	    "IPv4 header length or total length inconsistent")		\
	X(BAD_CHECKSUM, "bad-checksum",					\
	    "IPv4 header or ICMP error checksum wrong")				\
	X(SRC_UNMAPPED, "src-unmapped",					\
	    "source address has no mapping")				\
	X(DST_UNMAPPED, "dst-unmapped",					\
	    "destination address has no mapping")			\
	X(UNTRANSLATABLE, "untranslatable",				\
	    "address never translated (RFC 7915, RFC 6890, denylist4)")	\
	X(FRAGMENT, "fragment",						\
	    "ICMP in fragments, which cannot be translated")		\
	X(EXT_HEADER, "ext-header",					\
	    "IPv6 extension header chain too long or cut short")	\
	X(SOURCE_ROUTE, "source-route",					\
	    "IPv4 source route or IPv6 routing header in use")		\
	X(PROTOCOL, "protocol",						\
	    "transport protocol not translated")			\
	X(ICMP_TYPE, "icmp-type",					\
	    "ICMP type or code not translated")				\
	X(ICMP_INNER, "icmp-inner",					\
	    "ICMP error whose packet in error cannot be translated")	\
	X(UDP_ZERO_CSUM, "udp-zero-checksum",				\
	    "IPv4 UDP without checksum that cannot be completed")	\
	X(TOO_BIG, "too-big",						\
	    "larger than the tun MTU after translation")		\
	X(ICMP_RATE, "icmp-rate-limited",				\
	    "ICMP error of the translator's own not sent: rate limit")	\
	X(TTL_EXPIRED, "ttl-expired",					\
	    "arrived with a TTL or hop limit of zero")

enum drop_reason {
#define DROP_ENUM(e, name, desc)	DROP_##e,
	DROP_REASONS(DROP_ENUM)
#undef DROP_ENUM
	DROP_MAX
};

struct stats {
	uint64_t	in4_packets, in4_bytes;		/* read from tun */
	uint64_t	in6_packets, in6_bytes;
	uint64_t	out4_packets, out4_bytes;	/* written to tun */
	uint64_t	out6_packets, out6_bytes;
	uint64_t	read_errors, write_errors;
	uint64_t	icmp_sent;			/* own errors sent */
	uint64_t	fragments_out;			/* made by splitting */
	uint64_t	drops[DROP_MAX];
};

const char	*stats_drop_name(enum drop_reason);
const char	*stats_drop_desc(enum drop_reason);

#endif
