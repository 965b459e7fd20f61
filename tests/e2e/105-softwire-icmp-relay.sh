#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 105-softwire-icmp-relay: an ICMPv6 error on the softwire's path comes
# back to the Internet host as ICMPv4 (RFC 7596 5.1, RFC 2473 8).  The
# access link has an MTU of 1300 while tunmapd's ipv6-mtu says 1500: the
# aftr's kernel answers tunmapd's 1540-byte packets with ICMPv6 "packet
# too big" to the BR address, tunmapd relays it as "fragmentation
# needed" with MTU 1260 to the server, and a TCP download completes.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

SW_IPV6_MTU=1500
SW_B4_MTU=1260

icmp_capture() {
	spawn "$NS_I" "$TM_TMP/cap-icmp" timeout 60 tcpdump -n -l -v -i eth0 \
	    -c 1 "icmp[icmptype] == icmp-unreach and icmp[icmpcode] == 4 and
	    icmp[6:2] == 1260"
	cap_pid=$tm_lastpid
	wait_for 15 grep -q 'listening on' "$TM_TMP/cap-icmp"
}

icmp_seen() {
	wait_pid "$cap_pid" 15
	cat "$TM_TMP/cap-icmp"
	grep -q 'need to frag (mtu 1260)' "$TM_TMP/cap-icmp"
}

pmtu_learnt() {
	local r

	r=$(ip -n "$NS_I" route get "$SHARED")
	echo "$r"
	echo "$r" | grep -q 'mtu 1260'
}

too_big_sent() {
	ip netns exec "$NS_A" nstat -asz Icmp6OutPktTooBigs |
	    awk '/Icmp6OutPktTooBigs/ { print; exit $2 == 0 }'
}

[ "$SW_AFTR" = kernel ] && skip_all "the kernel stand-in relays no ICMP"
tm_begin 6 nft ss tcpdump nstat
sw_topology_up 1
ip -n "$NS_A" link set access mtu 1300 || fatal "cannot set the MTU"
sw_write_tools
sw_aftr_start
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$NS_I" || fatal "the Internet server did not start"

icmp_capture || fatal "tcpdump did not start"
check "2 MiB over TCP from the server, sha256 matches" \
    sw_get "$(ns_lan 1)" "$INET" $((2 * 1024 * 1024))
check "the aftr's kernel sent ICMPv6 packet too big" too_big_sent
check "the server got ICMPv4 fragmentation needed, MTU 1260" icmp_seen
check "the server learnt a path MTU of 1260" pmtu_learnt
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
