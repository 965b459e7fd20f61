#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 040-siit-headers: the IP header of translated packets, field by field
# (RFC 7915 4.1, 4.5 and 5.1).  Packets are crafted with scapy on one side
# and captured on the other (tests/e2e/scapy/headers.py); then copy-tos and
# udp-zero-checksum are switched and checked again.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

h() {
	scapy_case headers "$@"
}

need_scapy
tm_begin 22 nstat
topology_up
translator_no_rp_filter || fatal "cannot set rp_filter on the translator"
# The kernel drops source-routed IPv4 unless told otherwise; tunmapd is
# the one to refuse it here.
if ! nsctl "$NS_T" net.ipv4.conf.all.accept_source_route=1 ||
    ! nsctl "$NS_T" net.ipv4.conf.to-client.accept_source_route=1; then
	fatal "cannot let the translator forward source routes"
fi
daemon_start
ok "tunmapd runs and $TUN is up"

check "RFC 7915 4.1: Traffic Class copied from TOS 0xb8" h tclass 0xb8 0xb8
check "RFC 7915 4.1: Flow Label 0" h flow-label
check "RFC 7915 4.1: Payload Length is Total Length less the IPv4 header" \
    h payload-length
check "RFC 7915 4.1: TTL 10 sent by the client arrives as Hop Limit 9" \
    h hop-limit 10 9
check "RFC 7915 4.1: IPv4 options dropped, not translated" h options
check "RFC 7915 4.1: unexpired LSRR option answered with ICMPv4 3/5" \
    h source-route
check "RFC 7915 4.5: IPv4 UDP checksum 0 arrives computed" h udp-zero compute
check "RFC 7915 5.1: TOS copied from Traffic Class 0x48" h tos 0x48 0x48
check "RFC 7915 5.1: Total Length is Payload Length plus 20" h total-length
check "RFC 7915 5.1: Hop Limit 10 sent by the server arrives as TTL 9" \
    h ttl 10 9
check "RFC 7915 5.1: DF=0 when the IPv4 packet is 1260 bytes" \
    h dont-fragment 1260 0
check "RFC 7915 5.1: DF=1 when the IPv4 packet is 1261 bytes" \
    h dont-fragment 1261 1
check "RFC 7915 5.1: Hop-by-Hop and Destination Options headers skipped" \
    h hop-by-hop
check "RFC 7915 5.1: Routing header with Segments Left 0 skipped" \
    h routing-done
check "RFC 7915 5.1: Segments Left 1 answered with ICMPv6 4/0 pointer 43" \
    h routing-left
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"

write_conf_with "$TM_CONF" '	copy-tos = false;
	udp-zero-checksum = "drop";'
daemon_restart
check "RFC 7915 4.1: copy-tos = false makes Traffic Class 0" h tclass 0xb8 0
check "RFC 7915 5.1: copy-tos = false makes TOS 0" h tos 0x48 0
before=$(drop_count udp-zero-checksum) || fatal "no stats from tunmapd"
check "RFC 7915 4.5: udp-zero-checksum = drop drops IPv4 UDP checksum 0" \
    h udp-zero drop
check "the drop is counted as udp-zero-checksum" \
    drops_grew udp-zero-checksum "$before"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
