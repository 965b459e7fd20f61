#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 055-reload: a steady UDP stream of 20,000 datagrams a second through the
# translator loses nothing across 20 reloads that add and remove mappings
# it does not use, a reload that loads a million mappings from an
# eam-file, and one that is refused; then a reload that moves the
# stream's own mapping to another server address switches it cleanly, at
# one datagram.  Prints the longest gap the receiver saw (the packet
# path's worst stall) and how long the big reload took.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
PORT=7055
RATE=20000
# The stream ends 1 s after the last reload, at most after SECS.
SECS=60
V6_SERVER2=2001:db8::101

# eam_file path n base: n host mappings from 10.B.0.0 up, to 2001:db8:b:B::.
eam_file() {
	$PY - "$1" "$2" "$3" <<'PYEOF'
import sys
path, n, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as f:
    for i in range(n):
        a = (10 << 24) + (base << 16) + i
        f.write("%d.%d.%d.%d 2001:db8:b:%x::%x:%x\n" % (
            a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, base,
            i >> 16, i & 0xffff))
PYEOF
}

# conf server6 eamfile: the stream's mapping, and an eam-file.  Routes
# stay off: a million of them keep the kernel itself busy for seconds,
# and this test is about the packet path (050 is about the routes).
conf() {
	write_conf_with "$TM_CONF.new" "	eam-file = \"$2\";"
	sed -i "s/mtu = 1500;/mtu = 1500; routes = false;/" "$TM_CONF.new"
	sed -i "s|ipv6 = \"$V6_SERVER\"|ipv6 = \"$1\"|" "$TM_CONF.new"
	mv "$TM_CONF.new" "$TM_CONF"
}

# reload_and_wait n: send SIGHUP and wait for the n-th reload to end.
reload_and_wait() {
	kill -HUP "$TM_DAEMON_PID"
	wait_for 60 reloads_done "$1"
}

reloads_done() {
	[ "$(grep -cE 'reload: .* (loaded|has errors)' "$TM_LOG")" -ge "$1" ]
}

# client_tx: packets the client has sent; client_sent base n: n more.
client_tx() {
	ip netns exec "$NS_C" cat /sys/class/net/eth0/statistics/tx_packets
}

client_sent() {
	[ "$(client_tx)" -ge $(($1 + $2)) ]
}

field() {
	awk -v k="$1" '$1 == k { print $2 }' "$TM_TMP/summary"
}

tm_begin 8 ping
topology_up
ip -n "$NS_S" addr add "$V6_SERVER2/64" dev eth0 nodad ||
    fatal "cannot add $V6_SERVER2"
eam_file "$TM_TMP/small0" 100 1
eam_file "$TM_TMP/small1" 150 2
eam_file "$TM_TMP/big" 1000000 3
conf "$V6_SERVER" "$TM_TMP/small0"
daemon_start
pid=$TM_DAEMON_PID
# The tun's queue of 500 packets holds 25 ms of the stream: less than a
# loaded 2-vCPU machine may keep the loop off the CPU while the big
# reload builds its tables on the other.  Half a second of queue; the
# daemon must still read every datagram, at the stream's rate on average.
ip -n "$NS_T" link set "$TUN" txqueuelen 10000 ||
    fatal "cannot lengthen the queue of $TUN"
ok "tunmapd runs and $TUN is up"

spawn "$NS_S" "$TM_TMP/recv.log" $PY "$(dirname "$0")/stream.py" recv \
    "$PORT" 5 "$TM_TMP/summary"
recv_pid=$tm_lastpid
# Every datagram sent counts: the receiver must be bound before the first.
wait_listen "$NS_S" udp "$PORT" || fatal "the receiver did not start"
base=$(client_tx)
spawn "$NS_C" "$TM_TMP/sent" timeout $((SECS + 30)) $PY \
    "$(dirname "$0")/stream.py" send "$V4_SERVER" "$PORT" "$RATE" "$SECS" \
    "$TM_TMP/stop"
send_pid=$tm_lastpid
# The reloads are to happen under the stream: a tenth of a second of it.
wait_for 20 client_sent "$base" $((RATE / 10)) ||
    fatal "the stream did not start"

n=0
for i in $(seq 1 20); do
	conf "$V6_SERVER" "$TM_TMP/small$((i % 2))"
	n=$((n + 1))
	reload_and_wait "$n" || break
	sleep 0.1
done
check "20 reloads adding and removing unused mappings all took" \
    [ "$(grep -c 'reload: .* loaded' "$TM_LOG")" -eq 20 ]

t0=$(date +%s.%N)
conf "$V6_SERVER" "$TM_TMP/big"
n=$((n + 1))
reload_and_wait "$n"
t1=$(date +%s.%N)
check "a reload loads 1,000,000 mappings from an eam-file" \
    grep -q 'loaded, 1000001 eam entries' "$TM_LOG"
note "reload of 1,000,000 mappings took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s," \
    "from SIGHUP to the swap"

echo 'tun = { mtu = 10; };' >>"$TM_CONF"
n=$((n + 1))
reload_and_wait "$n"
check "a file with errors is refused, the same process keeps serving" \
    sh -c "grep -q 'has errors, keeping' '$TM_LOG' && kill -0 $pid"

sleep 1
conf "$V6_SERVER2" "$TM_TMP/small0"
n=$((n + 1))
reload_and_wait "$n"
# A second of the stream to the new address, then its end.
base=$(client_tx)
wait_for 20 client_sent "$base" "$RATE" || true
touch "$TM_TMP/stop"

wait_pid "$send_pid" $((SECS + 30))
wait_pid "$recv_pid" 40
sent=$(cat "$TM_TMP/sent")
cat "$TM_TMP/summary"
note "sent $sent datagrams at $RATE a second;" \
    "longest gap at the receiver: $(field max_gap_ms) ms"
note "longest the loop held packets for a swap:" \
    "$(grep -o 'held for [0-9.]* ms' "$TM_LOG" | sort -k3 -n | tail -1)"
check "every datagram arrived: $sent sent, none lost" \
    [ "$(field received)" = "$sent" ]
check "no datagram arrived twice" [ "$(field duplicates)" = 0 ]
check "the stream moved from $V6_SERVER to $V6_SERVER2 at one datagram" \
    grep -qE "^switches 0:$V6_SERVER [0-9]+:$V6_SERVER2\$" "$TM_TMP/summary"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
