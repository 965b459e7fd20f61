/* SPDX-License-Identifier: ISC */
/*
 * stats.h: the counters of an instance.  STATS_COUNTERS is the one list
 * they are all made from: the index of each counter, the drop reasons,
 * the names in the log and in "tunmapctl stats", the Prometheus series,
 * and (checked by tests/lint/doc-coverage.sh) the COUNTERS section of
 * tunmapd(8); so none of these can drift from the others.
 */
#ifndef TUNMAPD_STATS_H
#define TUNMAPD_STATS_H

#include <stdint.h>

#include "reasm.h"

/* Prometheus labels of a packet or byte counter. */
#define STATS_DIR(dir, fam)	"direction=\"" dir "\",family=\"" fam "\""

/*
 * X(id, name, metric, labels): what is read from and written to the tun.
 * The series is tunmapd_<metric>_total{instance="<tun>",<labels>}.
 */
#define STATS_TRAFFIC(X)						\
	X(IN4_PACKETS, "in4", "packets", STATS_DIR("in", "ipv4"))	\
	X(IN4_BYTES, "in4-bytes", "bytes", STATS_DIR("in", "ipv4"))	\
	X(IN6_PACKETS, "in6", "packets", STATS_DIR("in", "ipv6"))	\
	X(IN6_BYTES, "in6-bytes", "bytes", STATS_DIR("in", "ipv6"))	\
	X(OUT4_PACKETS, "out4", "packets", STATS_DIR("out", "ipv4"))	\
	X(OUT4_BYTES, "out4-bytes", "bytes", STATS_DIR("out", "ipv4"))	\
	X(OUT6_PACKETS, "out6", "packets", STATS_DIR("out", "ipv6"))	\
	X(OUT6_BYTES, "out6-bytes", "bytes", STATS_DIR("out", "ipv6"))	\
	X(READ_ERRORS, "read-errors", "tun_errors", "op=\"read\"")	\
	X(WRITE_ERRORS, "write-errors", "tun_errors", "op=\"write\"")	\
	X(ICMP_SENT, "icmp-sent", "icmp_errors_sent", "")		\
	X(FRAGMENTS_OUT, "fragments-out", "fragments_out", "")

/*
 * X(id, name, what it means): why a packet was not translated.  Each is
 * the counter "drop-<name>", and the series
 * tunmapd_drops_total{instance="<tun>",reason="<name>"}.
 */
#define DROP_REASONS(X)							\
	X(TRUNCATED, "truncated",					\
	    "shorter than its headers say, or than a header")		\
	X(BAD_VERSION, "bad-version",					\
	    "IP version neither 4 nor 6")				\
	X(BAD_HEADER, "bad-header",					\
	    "IPv4 header length or total length inconsistent")		\
	X(BAD_CHECKSUM, "bad-checksum",					\
	    "IPv4 header or ICMP error checksum wrong")			\
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
	    "arrived with a TTL or hop limit of zero")			\
	X(NO_BINDING, "no-binding",					\
	    "IPv4 destination bound to no lwB4 and routed to no peer")	\
	X(INGRESS, "ingress-filter",					\
	    "tunnelled IPv4 source, port or lwB4 not of one binding")	\
	X(NOT_BR, "not-br",						\
	    "IPv6 destination that is not a BR address")		\
	X(NOT_SOFTWIRE, "not-softwire",					\
	    "IPv6 to a BR address carrying neither IPv4 nor ICMPv6")	\
	X(SHARED_ECHO, "shared-echo",					\
	    "ICMP echo request to an address shared by port sets")	\
	X(LOCAL, "local",						\
	    "for the node's own address; echo requests are answered")	\
	X(UNREASSEMBLED, "unreassembled",				\
	    "fragment that reached the softwire unreassembled")		\
	X(NO_ICMP_SOURCE, "no-icmp-source",				\
	    "ICMPv4 error to relay but no softwire ipv4-address")	\
	X(ICMP_RELAYED, "icmp-relayed",					\
	    "ICMPv6 error about a tunnelled packet, sent on as ICMPv4")	\
	X(ECN, "ecn",							\
	    "tunnelled Not-ECT IPv4 packet marked CE outside (RFC 6040)")

/*
 * Every counter: T(...) for the traffic, D(...) per drop reason, then
 * R(id, name, what it means) per outcome of the softwire reassembly
 * (REASM_REASONS of reasm.h): the counter "reassembly-<name>" and the
 * series tunmapd_reassembly_total{instance="<tun>",outcome="<name>"}.
 */
#define STATS_COUNTERS(T, D, R)	\
	STATS_TRAFFIC(T) DROP_REASONS(D) REASM_REASONS(R)

/* M(metric, help): the Prometheus families of STATS_COUNTERS. */
#define STATS_METRICS(M)						\
	M("packets", "Packets read from (in) or written to (out) the "	\
	    "tun device.")						\
	M("bytes", "Bytes of the packets read from (in) or written to "	\
	    "(out) the tun device.")					\
	M("tun_errors", "Reads from and writes to the tun device that "	\
	    "failed.")							\
	M("icmp_errors_sent", "ICMP errors the translator sent itself.") \
	M("fragments_out", "IPv6 fragments made by cutting packets to "	\
	    "lowest-ipv6-mtu.")						\
	M("drops", "Packets not translated, by reason.")		\
	M("reassembly", "Fragments and packets of the softwire "	\
	    "reassembly, by outcome.")

enum drop_reason {
#define DROP_ENUM(e, name, desc)	DROP_##e,
	DROP_REASONS(DROP_ENUM)
#undef DROP_ENUM
	DROP_MAX
};

/* The index of a counter in struct stats. */
enum stats_counter {
#define STAT_ENUM(e, name, metric, labels)	STAT_##e,
	STATS_TRAFFIC(STAT_ENUM)
#undef STAT_ENUM
	STAT_DROPS,			/* the first drop reason */
	STAT_REASM = STAT_DROPS + DROP_MAX,	/* the first outcome */
	STAT_MAX = STAT_REASM + REASM_WHY_MAX - 1
};
#define STAT_DROP(r)	(STAT_DROPS + (int)(r))
/* REASM_WHY_NONE, not a fragment, is not counted. */
#define STAT_REASM_OF(w)	(STAT_REASM + (int)(w) - 1)

struct stats {
	uint64_t	n[STAT_MAX];
};

const char	*stats_name(int);
const char	*stats_metric(int);
const char	*stats_labels(int);
const char	*stats_family(int, const char **);
const char	*stats_drop_name(enum drop_reason);
const char	*stats_drop_desc(enum drop_reason);

#endif
