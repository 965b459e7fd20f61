#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 042-siit-icmp-errors: ICMP errors translated both ways with the packet
# they quote (RFC 7915 4.2-4.3 and 5.2-5.3), every checksum recomputed at
# the receiver; RFC 6791 sources for errors from routers without a
# mapping; messages that must not be translated.  The errors are crafted
# on the far side as the peer or a router there would send them
# (tests/e2e/scapy/icmp_errors.py).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# A router on the server's link with no EAM, outside pool6.
V6_ROUTER=2001:db8::2
POOL4_6791=203.0.113.0/28

e() {
	scapy_case icmp_errors "$@"
}

need_scapy
tm_begin 32 nstat
topology_up
translator_no_rp_filter || fatal "cannot set rp_filter on the translator"
daemon_start
ok "tunmapd runs and $TUN is up"

check "RFC 7915 5.2: ICMPv6 1/0 arrives as ICMPv4 3/1, its quoted datagram translated" \
    e err6 unreach-0
check "RFC 7915 5.2: ICMPv6 1/1 arrives as ICMPv4 3/10" e err6 unreach-1
check "RFC 7915 5.2: ICMPv6 1/3 arrives as ICMPv4 3/1" e err6 unreach-3
check "RFC 7915 5.2: ICMPv6 1/4 arrives as ICMPv4 3/3" e err6 unreach-4
check "RFC 7915 5.2: Packet Too Big MTU 1400 arrives as ICMPv4 3/4 MTU 1380" \
    e err6 too-big-1400
check "RFC 7915 5.2: Packet Too Big MTU 1600 arrives as ICMPv4 3/4 MTU 1480, the IPv6 next-hop MTU less 20" \
    e err6 too-big-1600
check "RFC 7915 5.2: Time Exceeded 3/0 arrives as ICMPv4 11/0" \
    e err6 time-exceeded
check "RFC 7915 5.2: Parameter Problem 4/0 pointer 7 arrives as ICMPv4 12/0 pointer 8" \
    e err6 param-hop-limit
check "RFC 7915 5.2: Parameter Problem 4/1 arrives as ICMPv4 3/2" \
    e err6 param-next-header
check "RFC 6791: an error from $V6_ROUTER, in no EAM and not in pool6, comes from 192.0.0.8" \
    e err6 time-exceeded "$V6_ROUTER" 192.0.0.8

types=$(drop_count icmp-type) || fatal "no stats from tunmapd"
sums=$(drop_count bad-checksum) || fatal "no stats from tunmapd"
check "RFC 7915 5.2: Parameter Problem 4/2 is silently dropped" \
    e none6 param-option
check "RFC 7915 5.2: a Node Information query does not arrive" \
    e none6 node-information
check "an ICMPv6 error with a bad checksum does not arrive" \
    e none6 bad-checksum

check "RFC 7915 4.2: ICMPv4 3/1 arrives as ICMPv6 1/0, its quoted datagram translated" \
    e err4 unreach-1
check "RFC 7915 4.2: ICMPv4 3/3 arrives as ICMPv6 1/4" e err4 unreach-3
check "RFC 7915 4.2: ICMPv4 3/13 arrives as ICMPv6 1/1" e err4 unreach-13
check "RFC 7915 4.2: ICMPv4 3/2 arrives as Parameter Problem 4/1 pointer 6" \
    e err4 unreach-2
check "RFC 7915 4.2: Fragmentation Needed MTU 1400 arrives as Packet Too Big MTU 1420" \
    e need-frag 1400 1420
check "RFC 7915 4.2: Time Exceeded 11/0 arrives as ICMPv6 3/0" \
    e err4 time-exceeded
check "RFC 7915 4.2: Parameter Problem pointer 8 (TTL) arrives as 4/0 pointer 7" \
    e err4 param-ttl
check "RFC 7915 4.2: Parameter Problem pointer 12 (source) arrives as 4/0 pointer 8" \
    e err4 param-source
check "RFC 7915 4.2: an ICMPv4 timestamp request does not arrive" \
    e none4 timestamp
check "an ICMPv4 error with a bad checksum does not arrive" \
    e none4 bad-checksum
check "the two bad checksums are counted as bad-checksum drops" \
    drops_grew bad-checksum "$sums" 2
check "the three untranslated types are counted as icmp-type drops" \
    drops_grew icmp-type "$types" 3
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"

# A pool for RFC 6791, and a tun MTU that leaves room for the plateaus.
write_conf_with "$TM_CONF" "	rfc6791-pool4 = \"$POOL4_6791\";" 9000
daemon_restart
ok "tunmapd runs again with rfc6791-pool4 and tun mtu 9000"
check "RFC 6791: with rfc6791-pool4 $POOL4_6791 the error from $V6_ROUTER comes from that pool" \
    e err6 time-exceeded "$V6_ROUTER" "$POOL4_6791"
check "RFC 7915 4.2: Fragmentation Needed MTU 0 about a 1500-byte packet arrives as Packet Too Big MTU 1512 (plateau 1492 + 20)" \
    e need-frag 0 1512
check "RFC 7915 4.2: Fragmentation Needed MTU 1400 still arrives as MTU 1420" \
    e need-frag 1400 1420
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
