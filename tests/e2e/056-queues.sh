#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 056-queues: a tun with two queues (tun.queues = 2), each served by its
# own loop, one on a thread.  Eight TCP transfers at once, both ways,
# arrive intact while the configuration is reloaded ten times, which
# swaps the snapshot under both loops; the device has two queues; the
# daemon runs a thread for the second; SIGTERM stops both cleanly.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SIZE=$((4 * 1024 * 1024))
N=8

sha256() {
	sha256sum <"$1" | cut -d ' ' -f 1
}

queues_of_tun() {
	local n

	n=$(ip netns exec "$NS_T" sh -c \
	    "ls -d /sys/class/net/$TUN/queues/rx-* | wc -l")
	expect_eq "rx queues of $TUN" 2 "$n"
}

threads_of_daemon() {
	local n

	n=$(ls /proc/"$TM_DAEMON_PID"/task | wc -l)
	echo "tunmapd runs $n threads"
	[ "$n" -ge 2 ]
}

# transfers: N socat connections at once, half uploads, half downloads,
# while SIGHUP reloads the configuration every 0.3 s.
transfers() {
	local i port pids=() rc=0

	for ((i = 0; i < N; i++)); do
		port=$((5600 + i))
		head -c "$SIZE" /dev/urandom >"$TM_TMP/src$i" || return 1
		if ((i % 2 == 0)); then
			spawn "$NS_S" "$TM_TMP/l$i.log" timeout 60 socat -u \
			    "TCP6-LISTEN:$port,reuseaddr" "CREATE:$TM_TMP/dst$i"
		else
			spawn "$NS_S" "$TM_TMP/l$i.log" timeout 60 socat -u \
			    "OPEN:$TM_TMP/src$i" "TCP6-LISTEN:$port,reuseaddr"
		fi
		pids+=("$tm_lastpid")
		wait_listen "$NS_S" tcp "$port" || return 1
	done
	for ((i = 0; i < N; i++)); do
		port=$((5600 + i))
		if ((i % 2 == 0)); then
			spawn "$NS_C" "$TM_TMP/c$i.log" timeout 60 socat -u \
			    "OPEN:$TM_TMP/src$i" "TCP4:$V4_SERVER:$port"
		else
			spawn "$NS_C" "$TM_TMP/c$i.log" timeout 60 socat -u \
			    "TCP4:$V4_SERVER:$port" "CREATE:$TM_TMP/dst$i"
		fi
		pids+=("$tm_lastpid")
	done
	for ((i = 0; i < 10; i++)); do
		kill -HUP "$TM_DAEMON_PID"
		sleep 0.3
	done
	for i in "${pids[@]}"; do
		wait_pid "$i" 60 || rc=1
	done
	[ "$rc" -eq 0 ] || { echo "a transfer failed"; return 1; }
	for ((i = 0; i < N; i++)); do
		[ "$(sha256 "$TM_TMP/src$i")" = "$(sha256 "$TM_TMP/dst$i")" ] ||
		    { echo "transfer $i differs"; return 1; }
	done
}

reloads_ok() {
	local n

	n=$(grep -c 'reload: .* loaded' "$TM_LOG")
	echo "$n reloads done"
	[ "$n" -ge 5 ] && ! grep -q 'reload: .* has errors' "$TM_LOG"
}

tm_begin 6 socat ss sha256sum
topology_up
write_conf "$TM_CONF"
sed -i 's/mtu = 1500;/mtu = 1500; queues = 2;/' "$TM_CONF"
daemon_start
ok "tunmapd runs with tun.queues = 2"
check "the tun has two queues" queues_of_tun
check "tunmapd runs a thread for the second queue" threads_of_daemon
check "$N transfers of $((SIZE >> 20)) MiB at once, reloaded 10 times" \
    transfers
check "the reloads swapped the tables" reloads_ok
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
