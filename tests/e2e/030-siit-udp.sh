#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 030-siit-udp: UDP datagrams of many sizes echoed through the translator,
# first by the IPv6 server to the IPv4 client, then the other way round;
# contents, reply sources and the source address each echo server saw.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
PORT=7007

# echo.py bind port log: echoes every datagram, logs "source length".
write_echo() {
	cat >"$TM_TMP/echo.py" <<'EOF'
import socket, sys

host, port, log = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "a")
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((host, port))
while True:
    data, peer = s.recvfrom(65535)
    print(peer[0], len(data), file=log, flush=True)
    s.sendto(data, peer)
EOF
}

# send.py host port: sends random datagrams of many sizes, each until its
# echo comes back (3 tries, 1 s each); fails on a missing echo or on one
# from another address than host.
write_send() {
	cat >"$TM_TMP/send.py" <<'EOF'
import ipaddress, os, socket, sys, time

host, port = str(ipaddress.ip_address(sys.argv[1])), int(sys.argv[2])
sizes = [0, 1, 8, 64, 100, 512, 1000, 1200, 1400, 1452] * 3
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)


def echo(payload):
    for _ in range(3):
        s.sendto(payload, (host, port))
        end = time.monotonic() + 1
        while time.monotonic() < end:
            s.settimeout(max(end - time.monotonic(), 0.01))
            try:
                data, peer = s.recvfrom(65535)
            except socket.timeout:
                break
            if data == payload:
                return peer[0]
    return None


bad = 0
for i, n in enumerate(sizes):
    src = echo(os.urandom(n))
    if src is None:
        print(f"datagram {i} ({n} bytes): no matching echo")
        bad += 1
    elif src != host:
        print(f"datagram {i} ({n} bytes): echo from {src}, not {host}")
        bad += 1
print(f"{len(sizes) - bad} of {len(sizes)} datagrams echoed")
sys.exit(1 if bad else 0)
EOF
}

# exchange name echo_ns bind send_ns dst: starts an echo server in echo_ns
# and runs send.py against it from send_ns.
exchange() {
	local log=$TM_TMP/$1.seen pid rc=0

	: >"$log"
	spawn "$2" "$TM_TMP/$1.log" timeout 60 "$PY" "$TM_TMP/echo.py" \
	    "$3" "$PORT" "$log"
	pid=$tm_lastpid
	wait_listen "$2" udp "$PORT" || {
		echo "echo server did not start:"
		cat "$TM_TMP/$1.log"
		return 1
	}
	in_ns "$4" 120 "$PY" "$TM_TMP/send.py" "$5" "$PORT" || rc=$?
	stop_pid "$pid" || true
	return "$rc"
}

# sources_are name addr: every datagram the echo server got came from addr.
sources_are() {
	local seen=$TM_TMP/$1.seen

	[ -s "$seen" ] || {
		echo "the echo server saw nothing"
		return 1
	}
	expect_eq "sources" "$2" "$(cut -d ' ' -f 1 "$seen" | sort -u)"
}

tm_begin 7 nstat ss
[ -x "$PY" ] || fatal "$PY not found"
write_echo
write_send
topology_up
daemon_start
ok "tunmapd runs and $TUN is up"

check "client -> $V4_SERVER: every datagram echoed intact" \
    exchange c2s "$NS_S" :: "$NS_C" "$V4_SERVER"
check "server saw every datagram from $V6_CLIENT" sources_are c2s "$V6_CLIENT"
check "server -> $V6_CLIENT: every datagram echoed intact" \
    exchange s2c "$NS_C" 0.0.0.0 "$NS_S" "$V6_CLIENT"
check "client saw every datagram from $V4_SERVER" sources_are s2c "$V4_SERVER"
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
