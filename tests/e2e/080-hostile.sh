#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 080-hostile: a flood of malformed and adversarial packets from both
# sides at once (tests/e2e/scapy/hostile.py), with valid sequence-numbered
# UDP datagrams mixed in, through the running daemon.  Checked: the daemon
# stays the same process and answers tunmapctl during and after; every
# packet the kernel queued into the tun was read; every packet read has
# exactly one outcome; everything written was taken by the kernel; all the
# valid datagrams arrive intact; the memory it uses stays bounded.
#
# Accounting (src/instance.c): each packet read counts in4 or in6, and a
# DROP or REPLY verdict counts one drop reason; a REPLY then counts
# icmp-sent when written, or icmp-rate-limited (a second drop counter)
# when not; FORWARD writes one packet, FRAGMENT writes fragments-out
# packets.  With no write errors and no packet fragmented (none sent here
# needs it, so fragments-out stays 0):
#   in4 + in6 = (out4 + out6 - icmp-sent - fragments-out)
#               + (drops - icmp-rate-limited)
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

RATE=30000		# frames a second, both sides together
HOSTILE=55000		# hostile frames from each side
VALID=1000		# valid datagrams each way
RSS_SLACK=4096		# kB

ctl() {
	timeout 5 "$CTL" -s "$TM_TMP/ctl.sock" "$@"
}

# snapshot file: the daemon's counters and the tun's, as "name value".
snapshot() {
	{
		ctl stats || return 1
		ip -n "$NS_T" -s link show "$TUN" | awk '
		    /RX:/ { getline; print "tun-rx", $2 }
		    /TX:/ { getline; print "tun-tx", $2; print "tun-tx-dropped", $4 }'
	} >"$1"
}

# snapshot_quiet file: a snapshot that a second one, half a second later,
# repeats (the reassembly counters left aside: they also move when held
# fragments expire).  The daemon's counters and the tun's are read one
# after the other, so a packet between the two readings, such as one of
# the kernel's IPv6 reports on the tun, would skew the sums compared.
snapshot_quiet() {
	local i

	for ((i = 0; i < 20; i++)); do
		snapshot "$1" || return 1
		sleep 0.5
		snapshot "$1.again" || return 1
		cmp -s <(grep -v '^reassembly-' "$1") \
		    <(grep -v '^reassembly-' "$1.again") && return 0
	done
	return 1
}

# val file name
val() {
	awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$1"
}

# delta name: the change of a counter over the flood.
delta() {
	echo $(($(val "$TM_TMP/after" "$1") - $(val "$TM_TMP/before" "$1")))
}

drops_sum() {
	awk '$1 ~ /^drop-/ { n += $2 } END { print n + 0 }' "$1"
}

# Quiet once the packets read stay the same for half a second.
settle() {
	local a b i

	for ((i = 0; i < 20; i++)); do
		a=$(ctl stats | awk '$1 == "in4" || $1 == "in6" { n += $2 } END { print n }')
		sleep 0.5
		b=$(ctl stats | awk '$1 == "in4" || $1 == "in6" { n += $2 } END { print n }')
		[ "$a" = "$b" ] && return 0
	done
	return 1
}

rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$TM_DAEMON_PID/status"
}

warm_up() {
	ping_each "$NS_C" 3 "$V4_SERVER" >/dev/null
}

# The flood in the background; tunmapctl status is asked every half
# second meanwhile, and must answer each time.
flood() {
	local pid rc=0 asked=0 answered=0

	TM_NS_C=$NS_C TM_NS_T=$NS_T TM_NS_S=$NS_S \
	    timeout 180 "$TM_PY" -B "$TM_SCAPY/hostile.py" "$RATE" "$HOSTILE" \
	    "$VALID" >"$TM_TMP/flood.out" 2>&1 &
	pid=$!
	tm_pids+=("$pid")
	while kill -0 "$pid" 2>/dev/null; do
		asked=$((asked + 1))
		ctl status 2>&1 | grep -q "^pid $TM_DAEMON_PID\$" &&
		    answered=$((answered + 1))
		sleep 0.5
	done
	wait "$pid" || rc=$?
	forget_pid "$pid"
	echo "$asked $answered" >"$TM_TMP/status.count"
	return "$rc"
}

status_during() {
	local asked answered

	read -r asked answered <"$TM_TMP/status.count"
	note "tunmapctl status answered $answered of $asked times during the flood"
	[ "$asked" -ge 3 ] && [ "$answered" -eq "$asked" ]
}

same_daemon() {
	kill -0 "$TM_DAEMON_PID" || return 1
	ctl status | grep "^pid $TM_DAEMON_PID\$"
}

hostile_sent() {
	awk '$1 == "sent" { n += $3 } END { print n + 0 }' "$TM_TMP/flood.out"
}

enough_sent() {
	local n

	n=$(hostile_sent)
	note "$n hostile frames sent"
	grep -q '^senderrors 0$' "$TM_TMP/flood.out" && [ "$n" -ge 100000 ]
}

none_lost_at_tun() {
	local rd tx

	rd=$(($(delta in4) + $(delta in6)))
	tx=$(delta tun-tx)
	note "read $rd, queued into the tun $tx, dropped at the tun $(delta tun-tx-dropped)"
	[ "$rd" -eq "$tx" ] && [ "$(delta tun-tx-dropped)" -eq 0 ] &&
	    [ "$(delta read-errors)" -eq 0 ]
}

accounted() {
	local rd out fwd drops rl

	rd=$(($(delta in4) + $(delta in6)))
	out=$(($(delta out4) + $(delta out6)))
	rl=$(delta drop-icmp-rate-limited)
	drops=$(($(drops_sum "$TM_TMP/after") - $(drops_sum "$TM_TMP/before")))
	fwd=$((out - $(delta icmp-sent) - $(delta fragments-out)))
	note "read $rd = forwarded $fwd + fragmented 0 + dropped or answered $((drops - rl))"
	note "write-errors $(delta write-errors), fragments-out $(delta fragments-out)"
	[ "$(delta write-errors)" -eq 0 ] && [ "$(delta fragments-out)" -eq 0 ] &&
	    [ "$rd" -eq $((fwd + drops - rl)) ]
}

all_written_taken() {
	local out rx

	out=$(($(delta out4) + $(delta out6)))
	rx=$(delta tun-rx)
	note "written $out, taken by the kernel from the tun $rx"
	[ "$out" -eq "$rx" ]
}

# valid_ok direction: all the valid datagrams arrived, each intact.
valid_ok() {
	local l

	l=$(grep "^valid $1 " "$TM_TMP/flood.out") || return 1
	note "$l (received, intact, sent)"
	echo "$l" | awk '{ exit !($3 == $5 && $4 == $5) }'
}

rss_bounded() {
	note "VmRSS $RSS_BEFORE kB before, $RSS_AFTER kB after"
	[ $((RSS_AFTER - RSS_BEFORE)) -lt "$RSS_SLACK" ]
}

figures() {
	local f

	sed -n 's/^sent /sent: /p; s/^frames /frames: /p' "$TM_TMP/flood.out"
	for f in in4 in6 out4 out6 icmp-sent fragments-out tun-tx tun-rx; do
		echo "$f: $(delta "$f")"
	done
	awk '$1 ~ /^drop-/ { print $1 }' "$TM_TMP/after" | while read -r f; do
		[ "$(delta "$f")" -eq 0 ] || echo "$f: $(delta "$f")"
	done
}

need_scapy
tm_begin 11 ping
CTL=$top_builddir/src/tunmapctl
[ -x "$CTL" ] || fatal "$CTL not built"
topology_up
translator_no_rp_filter || fatal "cannot set rp_filter on the translator"
daemon_start
# The flood comes at 30,000 frames a second; the tun's queue of 500
# packets holds a sixtieth of a second of it, less than the daemon may
# be kept off a loaded 2-vCPU machine (more so under the sanitizers),
# and the kernel drops what overflows.  A third of a second of queue: the
# daemon must still read every packet, at the flood's rate on average.
ip -n "$NS_T" link set "$TUN" txqueuelen 10000 ||
    fatal "cannot lengthen the queue of $TUN"
# Untranslatable destinations routed into the tun, so that they reach it.
if ! ip -n "$NS_T" route add "$V4_NO_EAM/32" dev "$TUN" ||
    ! ip -n "$NS_T" -6 route add "${V6_UNMAPPED%::*}::/64" dev "$TUN"; then
	fatal "cannot add the routes to $TUN"
fi
wait_for 20 ctl status || fatal "no answer on $TM_TMP/ctl.sock"
warm_up || fatal "no ping through the translator before the flood"
ok "tunmapd runs, $TUN is up, a ping goes through"

settle || fatal "traffic does not settle before the flood"
RSS_BEFORE=$(rss)
snapshot_quiet "$TM_TMP/before" ||
    fatal "no quiet stats before the flood (10 s)"
check "the flood is sent (both sides, $RATE frames a second)" flood
check "at least 100,000 hostile frames sent, no send errors" enough_sent
check "tunmapctl status answered throughout the flood" status_during
settle || note "traffic still moving 10 s after the flood"
snapshot_quiet "$TM_TMP/after" ||
    fatal "no quiet stats after the flood (10 s)"
RSS_AFTER=$(rss)
figures | diag
check "the same tunmapd answers after the flood" same_daemon
check "every packet the kernel queued into the tun was read (in4 + in6 = tun TX)" \
    none_lost_at_tun
check "each packet read has exactly one outcome (in = forwarded + dropped/answered)" \
    accounted
check "every packet written was taken by the kernel (out4 + out6 = tun RX)" \
    all_written_taken
check "all $VALID valid datagrams client to server arrived intact" \
    valid_ok 4to6
check "all $VALID valid datagrams server to client arrived intact" \
    valid_ok 6to4
check "VmRSS grew by less than $RSS_SLACK kB" rss_bounded
tm_end
