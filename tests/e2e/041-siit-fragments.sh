#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 041-siit-fragments: fragments translated one by one in both directions
# and reassembled by the receiving kernel, DF=0 IPv4 packets split into
# IPv6 fragments of at most 1280 bytes, DF=1 packets too big once
# translated, ICMP in fragments, and an IPv6 packet too big for a tun of
# MTU 1400 (tests/e2e/scapy/fragments.py).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

f() {
	scapy_case fragments "$@"
}

need_scapy
tm_begin 15 nstat
topology_up
translator_no_rp_filter || fatal "cannot set rp_filter on the translator"
daemon_start
ok "tunmapd runs and $TUN is up"

check "RFC 7915 4.1: IPv4 fragments arrive as IPv6 fragments with the same Identification, offsets and M flags" \
    f frag4to6 fields
check "RFC 7915 4.1: the server reassembles the translated fragments" \
    f frag4to6 reassembled
check "RFC 7915 5.1.1: IPv6 fragments arrive as IPv4 fragments, Identification the low 16 bits" \
    f frag6to4 fields
check "RFC 7915 5.1.1: the client reassembles the translated fragments" \
    f frag6to4 reassembled
check "RFC 7915 4: a DF=0 IPv4 packet over 1280 bytes as IPv6 arrives in fragments of at most 1280 bytes" \
    f split
check "RFC 7915 4: a DF=1 IPv4 packet of 1500 bytes gets ICMPv4 3/4 MTU 1480 from 192.0.0.8" \
    f too-big4 1500 1480
check "RFC 7915 4: a DF=1 IPv4 packet of 1480 bytes arrives whole, 1500 bytes long" \
    f fits4 1480
before=$(drop_count fragment) || fatal "no stats from tunmapd"
check "RFC 7915 4.2: ICMPv4 echo in fragments is not translated" \
    f icmp-frag4
check "RFC 7915 5.2: ICMPv6 echo in fragments is not translated" \
    f icmp-frag6
# Three fragments each.
check "the six fragments are counted as fragment drops" \
    drops_grew fragment "$before" 6
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"

# The translator's kernel refuses what does not fit the tun before tunmapd
# sees it; what the sender learns must still be an MTU that gets through.
write_conf_with "$TM_CONF" "" 1400
daemon_restart
ok "tunmapd runs again with tun mtu 1400"
check "RFC 8201: a 1500-byte IPv6 packet gets a Packet Too Big whose MTU then reaches the client" \
    f too-big6 1500
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
