#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 010-siit-ping: ICMP echo through the translator in both directions, the
# addresses each side sees, a server address inside pool6, the drop of an IPv6 destination that is
# neither in pool6 nor in an EAM, and an IPv4 destination without an EAM
# that is routed into the tun anyway.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# ping_all ns dst: three echoes, every one answered by dst itself.
ping_all() {
	local out=$TM_TMP/ping.out rc=0

	ping_each "$1" 3 "$2" >"$out" || rc=$?
	cat "$out"
	[ "$rc" -eq 0 ] &&
	[ "$(grep -c "bytes from $2: icmp_seq=" "$out")" -eq 3 ]
}

# ping_none ns dst [count]: no echo reply at all.
ping_none() {
	local out=$TM_TMP/ping.out

	in_ns "$1" 10 ping -n -c "${3:-2}" -i 0.2 -W 1 "$2" >"$out"
	cat "$out"
	grep -q ' 0 received' "$out" && ! grep -q 'bytes from' "$out"
}

stat_in4() {
	daemon_stats | awk '$2 == "in4" { print $3 }'
}

# loop_bounded before: V4_NO_EAM is in no EAM, so pool6 makes it an IPv6
# destination inside pool6, which the kernel routes back into the tun.  The
# hop count must run out: with TTL 64 and two kernel hops per round trip
# that is at most 32 rounds, far below 200 IPv4 packets.
loop_bounded() {
	local after

	sleep 1
	after=$(stat_in4)
	echo "in4 packets: $1 before the ping, $after one second after"
	[ -n "$1" ] && [ -n "$after" ] && [ $((after - $1)) -lt 200 ]
}

# capture ns filter: tcpdump of three packets in the background; its output
# goes to $TM_TMP/cap-<ns>.
capture() {
	local log=$TM_TMP/cap-$1

	spawn "$1" "$log" timeout 20 tcpdump -n -l -i eth0 -c 3 "$2"
	cap_pid=$tm_lastpid
	wait_for 15 grep -q 'listening on' "$log"
}

# seen ns pattern: the capture saw three packets that match the pattern.
seen() {
	local log=$TM_TMP/cap-$1

	wait_pid "$cap_pid" 15
	cat "$log"
	[ "$(grep -c -- "$2" "$log")" -eq 3 ]
}

tm_begin 12 ping tcpdump nstat
topology_up
daemon_start
ok "tunmapd runs and $TUN is up"

capture "$NS_S" "icmp6 and ip6[40] == 128" || fatal "tcpdump did not start"
check "client pings $V4_SERVER" ping_all "$NS_C" "$V4_SERVER"
check "server sees the echo requests from $V6_CLIENT" \
    seen "$NS_S" "IP6 $V6_CLIENT > $V6_SERVER: ICMP6, echo request"

capture "$NS_C" "icmp[icmptype] == icmp-echo" || fatal "tcpdump did not start"
check "server pings $V6_CLIENT" ping_all "$NS_S" "$V6_CLIENT"
check "client sees the echo requests from $V4_SERVER" \
    seen "$NS_C" "IP $V4_SERVER > $V4_CLIENT: ICMP echo request"

# The server also has an address inside pool6: IPv4 reaches it without an
# EAM, through pool6 on both sides.
if ! ip -n "$NS_S" addr add "$V6_SERVER_P6/128" dev eth0 nodad ||
    ! ip -n "$NS_T" -6 route add "$V6_SERVER_P6/128" via "$V6_SERVER" ||
    ! ip -n "$NS_T" route add "$V4_SERVER_P6/32" dev "$TUN"; then
	fatal "cannot add $V6_SERVER_P6 to the server"
fi
check "client pings $V4_SERVER_P6, the server's address in pool6" \
    ping_all "$NS_C" "$V4_SERVER_P6"

ip -n "$NS_T" -6 route add "$V6_UNMAPPED/128" dev "$TUN" ||
    fatal "cannot route $V6_UNMAPPED to $TUN"
check "no answer from unmapped $V6_UNMAPPED" ping_none "$NS_S" "$V6_UNMAPPED"
check "SIGUSR1 stats count dst-unmapped drops" drop_counted dst-unmapped

ip -n "$NS_T" route add "$V4_NO_EAM/32" dev "$TUN" ||
    fatal "cannot route $V4_NO_EAM to $TUN"
before=$(stat_in4)
check "no answer from $V4_NO_EAM, which has no EAM" \
    ping_none "$NS_C" "$V4_NO_EAM" 1
check "its packet does not loop between the tun and the kernel" \
    loop_bounded "$before"
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
