#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 085-soak: mixed traffic through the translator for SOAK_SECONDS (120 by
# default), with a reload every RELOAD_EVERY seconds alternating two
# configurations that differ in mappings the traffic does not use (SIGHUP
# and tunmapctl reload in turn): a UDP stream (stream.py), pings both
# ways and a loop of TCP transfers echoed back and compared.  The
# daemon's VmRSS and open file descriptors are sampled every SAMPLE_EVERY
# seconds.  Checks: no datagram lost, every ping and transfer answered,
# every reload applied, RSS no more than RSS_SLACK_KB above its value
# after the warm-up (the first WARMUP_RELOADS reloads), as many fds at
# the end as after the warm-up, the same process throughout, tunmapctl
# status answering.
#
# CI runs the short soak; for an operator-length one (about 70 minutes
# with the set-up and a receiver holding a few hundred MB for its set of
# sequence numbers):
#   SOAK_SECONDS=3600 make check TESTS=tests/e2e/085-soak.sh
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CTL=$top_builddir/src/tunmapctl
STREAM=$(dirname "$0")/stream.py
SOAK_SECONDS=${SOAK_SECONDS:-120}
RELOAD_EVERY=${RELOAD_EVERY:-3}
SAMPLE_EVERY=${SAMPLE_EVERY:-5}
WARMUP_RELOADS=${WARMUP_RELOADS:-4}
RSS_SLACK_KB=${RSS_SLACK_KB:-2048}
UDP_PORT=7085
UDP_RATE=1000
TCP_PORT=7086

# conf file k: the base configuration plus 50 host mappings that no
# traffic uses, from 10.85.k.0 up; the two alternate by k.
conf() {
	write_conf "$1.new"
	# One eam list: the extra mappings join the server's.
	$PY - "$1.new" "$2" <<'PYEOF'
import sys
path, k = sys.argv[1], int(sys.argv[2])
text = open(path).read()
extra = "".join(', { ipv4 = "10.85.%d.%d"; ipv6 = "2001:db8:85:%x::%x"; }'
                % (k, i, k, i) for i in range(1, 51))
text = text.replace('"; } );', '"; }' + extra + ' );', 1)
open(path, "w").write(text)
PYEOF
	echo "control = { socket = \"$TM_TMP/ctl.sock\"; };" >>"$1.new"
	mv "$1.new" "$1"
}

ctl() {
	timeout 30 ip netns exec "$NS_T" "$CTL" -s "$TM_TMP/ctl.sock" "$@"
}

# ctl_closed: the daemon holds no tunmapctl connection: it keeps its end
# until the client has closed its own, and the fds sampled must not count
# one in flight.
ctl_closed() {
	[ "$(ip netns exec "$NS_T" ss -xHn state established |
	    grep -cF "$TM_TMP/ctl.sock")" -eq 0 ]
}

reloads_done() {
	[ "$(grep -cE 'reload: .* (loaded|has errors)' "$TM_LOG")" -ge "$1" ]
}

# reload n: the n-th reload, by SIGHUP or by tunmapctl in turn; waits
# until it has ended.
reload() {
	conf "$TM_CONF" $(($1 % 2))
	if [ $(($1 % 2)) -eq 1 ]; then
		kill -HUP "$TM_DAEMON_PID" || return 1
	else
		ctl reload >/dev/null || return 1
	fi
	wait_for 30 reloads_done "$1"
}

# sample: one line "seconds rss_kb fds" for the daemon, into samples.
sample() {
	local rss fds

	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$TM_DAEMON_PID/status") ||
	    return 1
	fds=$(find "/proc/$TM_DAEMON_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
	echo "$((SECONDS - t_start)) $rss $fds" >>"$TM_TMP/samples"
}

# The TCP loop: the server echoes, the client sends 256 KiB of random
# bytes per connection until its time is up and compares what comes back.
tcp_py() {
	cat <<'PYEOF'
import os, socket, sys, threading, time

def serve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=echo, args=(c,), daemon=True).start()

def echo(c):
    with c:
        while True:
            b = c.recv(65536)
            if not b:
                return
            c.sendall(b)

def client(host, port, secs):
    end = time.monotonic() + secs
    good = bad = 0
    while time.monotonic() < end:
        data = os.urandom(256 * 1024)
        try:
            c = socket.create_connection((host, port), timeout=20)
            w = threading.Thread(target=lambda: (c.sendall(data),
                                 c.shutdown(socket.SHUT_WR)))
            w.start()
            got = bytearray()
            while True:
                b = c.recv(65536)
                if not b:
                    break
                got += b
            w.join()
            c.close()
            if got == data:
                good += 1
            else:
                bad += 1
        except OSError as e:
            print("error", e, file=sys.stderr)
            bad += 1
        time.sleep(0.2)
    print(good, bad)

if sys.argv[1] == "serve":
    serve(int(sys.argv[2]))
else:
    client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
PYEOF
}

tm_begin 11 ping ss
tcp_py >"$TM_TMP/tcp.py"
topology_up
conf "$TM_CONF" 0
daemon_start
pid=$TM_DAEMON_PID
check "tunmapd runs and $TUN is up" kill -0 "$pid"

# Traffic, all of it for SOAK_SECONDS.
spawn "$NS_S" "$TM_TMP/recv.log" $PY "$STREAM" recv "$UDP_PORT" 3 \
    "$TM_TMP/summary"
recv_pid=$tm_lastpid
spawn "$NS_S" "$TM_TMP/tcpd.log" $PY "$TM_TMP/tcp.py" serve "$TCP_PORT"
wait_listen "$NS_S" udp "$UDP_PORT" || fatal "the UDP receiver is not up"
wait_listen "$NS_S" tcp "$TCP_PORT" || fatal "the TCP echo server is not up"
spawn "$NS_C" "$TM_TMP/sent" timeout $((SOAK_SECONDS + 60)) $PY "$STREAM" \
    send "$V4_SERVER" "$UDP_PORT" "$UDP_RATE" "$SOAK_SECONDS"
send_pid=$tm_lastpid
spawn "$NS_C" "$TM_TMP/tcp.out" timeout $((SOAK_SECONDS + 60)) \
    $PY "$TM_TMP/tcp.py" client "$V4_SERVER" "$TCP_PORT" "$SOAK_SECONDS"
tcp_pid=$tm_lastpid
npings=$((SOAK_SECONDS * 4))
spawn "$NS_C" "$TM_TMP/ping4" ping -q -n -i 0.25 -c "$npings" -W 5 \
    "$V4_SERVER"
ping4_pid=$tm_lastpid
spawn "$NS_S" "$TM_TMP/ping6" ping -6 -q -n -i 0.25 -c "$npings" -W 5 \
    "$V6_CLIENT"
ping6_pid=$tm_lastpid

t_start=$SECONDS
n=0
next_reload=$RELOAD_EVERY
next_sample=0
warm=""
while [ $((SECONDS - t_start)) -lt "$SOAK_SECONDS" ]; do
	t=$((SECONDS - t_start))
	if [ "$t" -ge "$next_reload" ]; then
		n=$((n + 1))
		reload "$n" || note "reload $n did not end within 30 s"
		next_reload=$((t + RELOAD_EVERY))
		wait_for 10 ctl_closed ||
		    note "a tunmapctl connection still open after 10 s"
	fi
	if [ -z "$warm" ] && [ "$n" -ge "$WARMUP_RELOADS" ]; then
		sample || break
		warm=$(tail -n 1 "$TM_TMP/samples")
		next_sample=$((t + SAMPLE_EVERY))
	elif [ "$t" -ge "$next_sample" ]; then
		sample || break
		next_sample=$((t + SAMPLE_EVERY))
	fi
	sleep 0.5
done

wait_pid "$send_pid" 90 || true
wait_pid "$recv_pid" 40 || true
wait_pid "$tcp_pid" 90 || true
wait_pid "$ping4_pid" 30 || true
wait_pid "$ping6_pid" 30 || true
sleep 0.5
sample || true
last=$(tail -n 1 "$TM_TMP/samples")

check "every reload took: $n, alternately by SIGHUP and tunmapctl" \
    expect_eq "loaded reloads" "$n" "$(grep -c 'reload: .* loaded' "$TM_LOG")"

sent=$(cat "$TM_TMP/sent")
note "UDP: $(tr '\n' ' ' <"$TM_TMP/summary")"
check "UDP stream: every datagram arrived ($sent sent at $UDP_RATE/s)" \
    expect_eq "received" "$sent" \
    "$(awk '$1 == "received" { print $2 }' "$TM_TMP/summary")"

note "ping 4->6: $(grep 'transmitted' "$TM_TMP/ping4")"
note "ping 6->4: $(grep 'transmitted' "$TM_TMP/ping6")"
check "pings both ways: every echo answered" \
    sh -c "grep -qE '^$npings packets transmitted, $npings received' \
    '$TM_TMP/ping4' && grep -qE '^$npings packets transmitted, $npings received' \
    '$TM_TMP/ping6'"

read -r tcp_good tcp_bad <"$TM_TMP/tcp.out" || true
note "TCP: ${tcp_good:-0} transfers of 256 KiB echoed intact, ${tcp_bad:-?} failed"
check "TCP: every transfer echoed back intact" \
    sh -c "[ '${tcp_bad:-x}' = 0 ] && [ '${tcp_good:-0}' -gt 0 ]"

# shellcheck disable=SC2086 # word splitting wanted
set -- $warm
w_t=${1:-0} w_rss=${2:-0} w_fds=${3:-0}
# shellcheck disable=SC2086
set -- $last
e_t=${1:-0} e_rss=${2:-0} e_fds=${3:-0}
s_rss=$(awk 'NR == 1 { print $2 }' "$TM_TMP/samples")
m_rss=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$TM_TMP/samples")
note "$(wc -l <"$TM_TMP/samples") samples (t rss_kB fds): $(tr '\n' ',' <"$TM_TMP/samples")"
note "VmRSS kB: start $s_rss, after warm-up $w_rss (t=$w_t s), max $m_rss," \
    "end $e_rss (t=$e_t s); fds after warm-up $w_fds, end $e_fds"
check "RSS after $n reloads within $RSS_SLACK_KB kB of its value after warm-up" \
    sh -c "[ '$w_rss' -gt 0 ] && [ '$e_rss' -le $((w_rss + RSS_SLACK_KB)) ]"
check "open fds at the end as after warm-up ($w_fds)" \
    expect_eq "fds" "$w_fds" "$e_fds"

check "no checksum errors in any namespace" \
    no_csum_errors "$NS_C" "$NS_T" "$NS_S"
ctl status >"$TM_TMP/status" 2>&1 || true
check "tunmapctl status answers" grep -q . "$TM_TMP/status"
check "the same process throughout (pid $pid)" \
    sh -c "kill -0 $pid && grep -Eq '(^|[^0-9])$pid([^0-9]|\$)' '$TM_TMP/status'"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
