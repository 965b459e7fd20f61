#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 070-privileges: running as a service.  With -u nobody, tunmapd ends up
# with nobody's ids, no supplementary group and CAP_NET_ADMIN as its only
# capability; it still translates, and a reload that changes the tun MTU,
# which needs that capability, works.  An unknown user stops it before
# anything is set up.  Started with NOTIFY_SOCKET, as systemd starts it,
# it stays in the foreground and speaks the sd_notify protocol: READY=1
# once the tun is up, RELOADING=1 then READY=1 around a reload, with a
# status that says when a file was refused, and STOPPING=1 on the way out.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

USER_NAME=nobody
NET_ADMIN=0000000000001000	# 1 << CAP_NET_ADMIN (12)

# conf mtu: the test's configuration, readable by nobody; the test sets
# the routes itself, and the control socket is its own.
conf() {
	cat >"$TM_CONF.new" <<EOF
tun = { name = "$TUN"; mtu = $1; routes = false; };
control = { socket = "$TM_TMP/tunmapd.sock"; };
siit = {
	pool6 = "$POOL6";
	eam = ( { ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; } );
};
EOF
	chmod 644 "$TM_CONF.new"
	mv "$TM_CONF.new" "$TM_CONF"
}

# start command...: runs the command (tunmapd and its options) with -f and
# the test's file in the translator namespace, waits for the tun to be up
# and routes the server's IPv4 address and pool6 into it.
start() {
	spawn "$NS_T" "$TM_LOG" "$@" -f "$TM_CONF"
	TM_DAEMON_PID=$tm_lastpid
	tun_wait_up || fatal "tun $TUN did not come up"
	if ! ip -n "$NS_T" route replace "$V4_SERVER/32" dev "$TUN" ||
	    ! ip -n "$NS_T" -6 route replace "$POOL6" dev "$TUN"; then
		fatal "cannot add the routes to $TUN"
	fi
}

# status field: that line of /proc/PID/status of tunmapd, without its name.
status() {
	awk -v f="$1:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' \
	    "/proc/$TM_DAEMON_PID/status"
}

# ids_are Uid|Gid id: the four uids (or gids) of tunmapd are all id.
ids_are() {
	local s

	s=$(status "$1")
	echo "$1: $s"
	[ "$s" = "$2 $2 $2 $2" ]
}

# switched: tunmapd says it runs as the user, which it does once its
# ids and capabilities are all set (the uids change before the last of
# the capabilities do).
switched() {
	grep -q "running as user $USER_NAME " "$TM_LOG"
}

# caps_are value field...: each capability set named is value.
caps_are() {
	local v=$1 f rc=0

	shift
	for f in "$@"; do
		echo "$f: $(status "$f")"
		[ "$(status "$f")" = "$v" ] || rc=1
	done
	return "$rc"
}

# bounding_only_net_admin: nothing but CAP_NET_ADMIN is left to gain.
bounding_only_net_admin() {
	local b

	b=$(status CapBnd)
	echo "CapBnd: $b"
	[ $((16#$b & ~16#$NET_ADMIN)) -eq 0 ]
}

ping_ok() {
	ping_each "$NS_C" 3 "$V4_SERVER"
}

mtu_is() {
	ip -n "$NS_T" link show "$TUN" | grep -q " mtu $1 "
}

reloaded() {
	grep -q "reload: .* loaded" "$TM_LOG"
}

# unknown_user: exit status 1 and a message, before the tun exists.
unknown_user() {
	local log=$TM_TMP/unknown.log rc=0

	spawn "$NS_T" "$log" "$TUNMAPD" -d -u "$BAD_USER" -f "$TM_CONF"
	wait_pid "$tm_lastpid" 30 || rc=$?
	cat "$log"
	expect_eq "exit status" 1 "$rc" &&
	grep -q "user $BAD_USER: no such user" "$log" &&
	! ip -n "$NS_T" link show "$TUN" >/dev/null 2>&1
}

# --- sd_notify ---------------------------------------------------------------

# notify_listen: a datagram socket where systemd would have it; every
# message goes to $NOTIFY_LOG as one line, its fields separated by '|'.
notify_listen() {
	spawn "$NS_T" "$TM_TMP/listener.log" timeout 60 "$TM_PY" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
s.settimeout(50)
with open(sys.argv[2], "a", buffering=1) as f:
    f.write("listening\n")
    while True:
        m = s.recv(4096).decode()
        f.write(m.strip().replace("\n", "|") + "\n")
        if "STOPPING=1" in m:
            break
' "$NOTIFY_SOCK" "$NOTIFY_LOG"
	wait_for 15 grep -q listening "$NOTIFY_LOG"
}

# notified n pattern: the n-th message (listening is the 0th) matches.
notified() {
	local m

	m=$(sed -n "$(($1 + 1))p" "$NOTIFY_LOG")
	echo "message $1: $m"
	echo "$m" | grep -Eq -- "$2"
}

# notify_wait n pattern: waits for the n-th message, then checks it.
notify_wait() {
	wait_for 30 messages_past "$1"
	notified "$@"
}

messages_past() {
	[ "$(wc -l <"$NOTIFY_LOG")" -gt "$1" ]
}

stopping_notified() {
	wait_for 30 grep -q '^STOPPING=1' "$NOTIFY_LOG"
	notified "$(($(wc -l <"$NOTIFY_LOG") - 1))" '^STOPPING=1'
}

# ready_in_foreground: the process that was started is the daemon itself,
# not a parent that forked it, and it has said READY=1.
ready_in_foreground() {
	notify_wait 1 "^READY=1\|STATUS=tun $TUN mtu 1500" &&
	kill -0 "$TM_DAEMON_PID" &&
	grep -qx tunmapd "/proc/$TM_DAEMON_PID/comm"
}

reload_notified() {
	notify_wait 2 "^RELOADING=1\|.*MONOTONIC_USEC=[0-9]+" &&
	notify_wait 3 "^READY=1\|STATUS=tun $TUN mtu 1400, .*; last reload ok$"
}

refusal_notified() {
	notify_wait 4 "^RELOADING=1" &&
	notify_wait 5 "^READY=1\|STATUS=.*refused.*$TM_CONF:[0-9]+: "
}

tm_begin 17 ping python3
topology_up
# The reload rereads the file as nobody.
chmod 711 "$TM_TMP"
uid=$(id -u "$USER_NAME")
gid=$(id -g "$USER_NAME")
BAD_USER=tunmapd-no-such-user-$$
conf 1500

start "$TUNMAPD" -d -u "$USER_NAME"
ok "tunmapd -u $USER_NAME runs and $TUN is up"
wait_for 20 switched || true
check "runs with the uids of $USER_NAME" ids_are Uid "$uid"
check "runs with the gids of $USER_NAME" ids_are Gid "$gid"
check "has no supplementary group" expect_eq Groups "" "$(status Groups)"
check "CAP_NET_ADMIN is its only effective and permitted capability" \
    caps_are "$NET_ADMIN" CapEff CapPrm
check "it has no inheritable or ambient capability" \
    caps_are 0000000000000000 CapInh CapAmb
check "its bounding set holds nothing else" bounding_only_net_admin
check "client pings $V4_SERVER through it" ping_ok
conf 1400
kill -HUP "$TM_DAEMON_PID"
check "a reload as $USER_NAME is done" wait_for 30 reloaded
check "and has set the tun MTU to 1400" wait_for 20 mtu_is 1400
check "client still pings $V4_SERVER" ping_ok
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
check "an unknown user is an error at start-up" unknown_user

NOTIFY_SOCK=$TM_TMP/notify
NOTIFY_LOG=$TM_TMP/notify.log
notify_listen || fatal "the notify listener did not start"
conf 1500
start env NOTIFY_SOCKET="$NOTIFY_SOCK" "$TUNMAPD"
check "under systemd it stays in the foreground and says READY=1" \
    ready_in_foreground
conf 1400
kill -HUP "$TM_DAEMON_PID"
check "a reload says RELOADING=1 with MONOTONIC_USEC, then READY=1" \
    reload_notified
echo 'tun = {' >"$TM_CONF"
kill -HUP "$TM_DAEMON_PID"
check "after a refused file, READY=1 has the error in its status" \
    refusal_notified
daemon_stop >/dev/null || true
check "it says STOPPING=1 on SIGTERM, last" stopping_notified
tm_end
