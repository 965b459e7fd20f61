#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 044-siit-hops: the translator node as a router hop (RFC 7915 4.1 and
# 5.1: the TTL or the Hop Limit is decremented once).  With the default
# one-hop the node counts once, from either side and in a traceroute;
# with one-hop = false its kernel counts the IPv4 and the IPv6 hop
# (tests/e2e/scapy/hops.py).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# The translator's address on the client's link, in pool6.
V6_GW4_P=2001:db8:64::c633:6401

x() {
	scapy_case hops "$@"
}

need_scapy
tm_begin 14 nstat
topology_up
translator_no_rp_filter || fatal "cannot set rp_filter on the translator"
daemon_start
ok "tunmapd runs and $TUN is up"

check "RFC 7915 4.1: TTL 1 from the client gets exactly one ICMPv4 Time Exceeded, from the node ($V4_GW)" \
    x expire4 1 "$V4_GW"
check "RFC 7915 4.1: TTL 2 from the client reaches the server with Hop Limit 1" \
    x arrive4 2 1
check "RFC 7915 5.1: Hop Limit 1 from the server gets exactly one ICMPv6 Time Exceeded, from the node ($V6_GW)" \
    x expire6 1 "$V6_GW"
check "RFC 7915 5.1: Hop Limit 2 from the server reaches the client with TTL 1" \
    x arrive6 2 1
check "a traceroute from the client shows the node once, then $V4_SERVER with port unreachable" \
    x trace "$V4_GW:11" "$V4_SERVER:3"

write_conf_with "$TM_CONF" '	one-hop = false;'
daemon_restart
ok "tunmapd runs again with one-hop = false"
check "one-hop = false: TTL 2 from the client expires on the node's IPv6 side (Time Exceeded from 192.0.0.8)" \
    x expire4 2 192.0.0.8
check "one-hop = false: TTL 3 from the client reaches the server with Hop Limit 1" \
    x arrive4 3 1
check "one-hop = false: Hop Limit 2 from the server expires on the node's IPv4 side (from $V6_GW4_P)" \
    x expire6 2 "$V6_GW4_P"
check "one-hop = false: Hop Limit 3 from the server reaches the client with TTL 1" \
    x arrive6 3 1
check "one-hop = false: a traceroute shows the node twice, then $V4_SERVER" \
    x trace "$V4_GW:11" 192.0.0.8:11 "$V4_SERVER:3"
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
