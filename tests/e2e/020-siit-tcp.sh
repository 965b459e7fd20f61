#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 020-siit-tcp: 10 MiB over TCP through the translator, uploaded and
# downloaded by the IPv4 client and pushed by the IPv6 server to the
# client; checksums on both ends and the peer address each side sees.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SIZE=$((10 * 1024 * 1024))

# xfer name port lns listen cns connect sender: one TCP connection from
# namespace cns (socat address connect) to a socat listening in namespace
# lns (socat address listen, on port).  The sender, "listener" or
# "connector", sends SIZE random bytes; the other side stores them.  The
# listener's log, with the peer address, is $TM_TMP/name.log.
xfer() {
	local name=$1 port=$2 lns=$3 listen=$4 cns=$5 connect=$6 sender=$7
	local src=$TM_TMP/$name.src dst=$TM_TMP/$name.dst pid t0 t1
	local l_io c_io

	head -c "$SIZE" /dev/urandom >"$src" || return 1
	if [ "$sender" = listener ]; then
		l_io=("OPEN:$src" "$listen")
		c_io=("$connect" "CREATE:$dst")
	else
		l_io=("$listen" "CREATE:$dst")
		c_io=("OPEN:$src" "$connect")
	fi
	spawn "$lns" "$TM_TMP/$name.log" timeout 60 socat -d -d -u "${l_io[@]}"
	pid=$tm_lastpid
	wait_listen "$lns" tcp "$port" || {
		echo "nothing listens on port $port"
		return 1
	}
	t0=$(date +%s.%N)
	in_ns "$cns" 60 socat -u "${c_io[@]}" || return 1
	wait_pid "$pid" 30 || {
		echo "listener failed:"
		cat "$TM_TMP/$name.log"
		return 1
	}
	t1=$(date +%s.%N)
	note "$name: $SIZE bytes in $(awk "BEGIN { print $t1 - $t0 }") s"
	expect_eq "sha256 of $name" "$(sha256 "$src")" "$(sha256 "$dst")"
}

sha256() {
	sha256sum <"$1" | cut -d ' ' -f 1
}

peer_is() {
	expect_eq "peer address" "$2" "$(socat_peer "$TM_TMP/$1.log")"
}

tm_begin 8 nstat socat ss sha256sum
topology_up
daemon_start
ok "tunmapd runs and $TUN is up"

check "10 MiB client -> server, sha256 matches" \
    xfer up 5001 "$NS_S" TCP6-LISTEN:5001,reuseaddr \
    "$NS_C" "TCP4:$V4_SERVER:5001" connector
check "server saw the client as $V6_CLIENT" peer_is up "$V6_CLIENT"
check "10 MiB server -> client, sha256 matches" \
    xfer down 5002 "$NS_S" TCP6-LISTEN:5002,reuseaddr \
    "$NS_C" "TCP4:$V4_SERVER:5002" listener
check "10 MiB server -> client on a connection the server opens" \
    xfer push 5003 "$NS_C" TCP4-LISTEN:5003,reuseaddr \
    "$NS_S" "TCP6:[$V6_CLIENT]:5003" connector
check "client saw the server as $V4_SERVER" peer_is push "$V4_SERVER"
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
