# shellcheck shell=bash disable=SC2034 # its variables are used by the scripts
# SPDX-License-Identifier: ISC
#
# lib.sh: shared set-up for the end-to-end tests, sourced by each script.
#
# Three network namespaces, named after the script's PID:
#   client      IPv4 only, 198.51.100.2/24, default via 198.51.100.1
#   translator  198.51.100.1/24 towards the client, 2001:db8::1/64 towards
#               the server, runs src/tunmapd from the build tree
#   server      IPv6 only, 2001:db8::100/64, default via 2001:db8::1
# The server is published to IPv4 as 192.0.2.1 (an EAM) and sees the client
# as 2001:db8:64::c633:6402 (pool6 2001:db8:64::/96 + 198.51.100.2).
#
# Output is TAP.  Nothing outside the namespaces created here is touched;
# cleanup kills only the processes started here, by saved PID.

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
if [ -z "${top_builddir:-}" ]; then
	top_builddir=$top_srcdir
	[ -x "$top_srcdir/build/src/tunmapd" ] && top_builddir=$top_srcdir/build
fi
export top_srcdir top_builddir

TUNMAPD=$top_builddir/src/tunmapd
TUN=tunmap0
NS_C=tm$$c
NS_T=tm$$t
NS_S=tm$$s

V4_CLIENT=198.51.100.2
V4_GW=198.51.100.1
V4_SERVER=192.0.2.1
V6_GW=2001:db8::1
V6_SERVER=2001:db8::100
POOL6=2001:db8:64::/96
V6_CLIENT=2001:db8:64::c633:6402
V6_UNMAPPED=2001:db8:ffff::1
V4_NO_EAM=192.0.2.99
# A second server address, inside pool6: 192.0.2.20 without an EAM.
V6_SERVER_P6=2001:db8:64::c000:214
V4_SERVER_P6=192.0.2.20

TM_TMP=
TM_LOG=
TM_CONF=
TM_DAEMON_PID=
tm_pids=()
tm_netns=()
tm_n=0
tm_failed=0
tm_lastpid=

# --- TAP -------------------------------------------------------------------

plan() { echo "1..$1"; }
ok() { tm_n=$((tm_n + 1)); echo "ok $tm_n - $*"; }
not_ok() {
	tm_n=$((tm_n + 1))
	tm_failed=$((tm_failed + 1))
	echo "not ok $tm_n - $*"
}
diag() { sed 's/^/# /'; }
# note: a comment in the TAP stream, even from inside check (fd 3 is the
# script's stdout, fd 4 its stderr).
note() { echo "# $*" >&3; }

# check description command...: one test point; the output of a failing
# command goes into the log as diagnostics.
check() {
	local desc=$1 out=$TM_TMP/check.out

	shift
	if "$@" >"$out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		diag <"$out"
	fi
}

# Overridable: scripts/demo.sh prints its own kind of error.
fatal() {
	echo "Bail out! $*"
	exit 1
}

# --- start and end ---------------------------------------------------------

skip_all() {
	if [ "${TUNMAPD_TESTS_REQUIRE_ROOT:-0}" = 1 ]; then
		echo "Bail out! $* (TUNMAPD_TESTS_REQUIRE_ROOT=1)"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

need_env() {
	local t

	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
	[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
	for t in ip timeout "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
	done
	[ -x "$TUNMAPD" ] || fatal "$TUNMAPD not built (top_builddir=$top_builddir)"
}

# tm_begin count [tool...]: checks the environment, prints the plan, arms
# the cleanup.
tm_begin() {
	local count=$1

	shift
	need_env "$@"
	tm_init
	plan "$count"
}

tm_init() {
	exec 3>&1 4>&2
	TM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-e2e.XXXXXX")
	TM_LOG=$TM_TMP/tunmapd.log
	TM_CONF=$TM_TMP/tunmapd.conf
	trap tm_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# tm_end: the exit status says whether every test point passed.
tm_end() {
	[ "$tm_failed" -eq 0 ]
}

tm_cleanup() {
	local rc=$? pid ns

	set +e
	trap - EXIT INT TERM
	# A signal may have come while check redirected the output.
	exec >&3 2>&4
	for pid in "${tm_pids[@]}"; do
		stop_pid "$pid" >/dev/null 2>&1
	done
	if [ "$rc" -ne 0 ] || [ "$tm_failed" -ne 0 ]; then
		if [ -n "$TM_LOG" ] && [ -s "$TM_LOG" ]; then
			note "tunmapd log ($TM_LOG):"
			diag <"$TM_LOG"
		fi
	fi
	for ns in "${tm_netns[@]}"; do
		ip netns delete "$ns" 2>/dev/null
	done
	[ -n "$TM_TMP" ] && rm -rf "$TM_TMP"
	exit "$rc"
}

# --- processes -------------------------------------------------------------

# spawn ns logfile command...: runs command in the background inside ns;
# its PID is in tm_lastpid and will be stopped by the cleanup.
spawn() {
	local ns=$1 log=$2

	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	tm_lastpid=$!
	tm_pids+=("$tm_lastpid")
}

forget_pid() {
	local p keep=()

	for p in "${tm_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	tm_pids=("${keep[@]}")
}

# wait_pid pid seconds: waits for a spawned process to end and returns its
# exit status, or 124 if it is still running after that many seconds.
wait_pid() {
	local pid=$1 i rc

	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			rc=$?
			forget_pid "$pid"
			return "$rc"
		fi
		sleep 0.1
	done
	return 124
}

# stop_pid pid: SIGTERM, then SIGKILL after 15 seconds (a sanitized
# daemon checks for leaks on the way out); returns the exit status of the
# process.
stop_pid() {
	local pid=$1 rc

	kill -TERM "$pid" 2>/dev/null
	wait_pid "$pid" 15 && return 0
	rc=$?
	[ "$rc" -ne 124 ] && return "$rc"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	forget_pid "$pid"
	return "$rc"
}

# wait_for seconds command...: polls until command succeeds.
wait_for() {
	local i

	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# wait_listen ns proto port: waits until something listens on the port
# (proto: tcp or udp), up to 20 seconds: a Python server on a loaded
# machine may take seconds to start.
wait_listen() {
	local opt=-Hltn

	[ "$2" = udp ] && opt=-Hlun
	wait_for 20 listening "$1" "$opt" "$3"
}

listening() {
	[ -n "$(ip netns exec "$1" ss "$2" "sport = :$3")" ]
}

# --- topology --------------------------------------------------------------

netns_add() {
	if ip netns list | awk '{ print $1 }' | grep -qx "$1"; then
		fatal "network namespace $1 already exists"
	fi
	ip netns add "$1" || fatal "cannot create network namespace $1"
	tm_netns+=("$1")
	ip -n "$1" link set lo up
}

nsctl() {
	ip netns exec "$1" sysctl -qw "$2" >/dev/null
}

topology_up() {
	netns_add "$NS_C"
	netns_add "$NS_T"
	netns_add "$NS_S"
	if ! topology_sysctl || ! topology_links; then
		fatal "cannot set up the namespaces"
	fi
}

# Before any link exists, so that every link inherits the defaults.  DAD
# off: a tentative link-local address delays neighbour discovery by a
# second.
topology_sysctl() {
	nsctl "$NS_C" net.ipv6.conf.all.disable_ipv6=1 &&
	nsctl "$NS_C" net.ipv6.conf.default.disable_ipv6=1 &&
	nsctl "$NS_T" net.ipv4.ip_forward=1 &&
	nsctl "$NS_T" net.ipv6.conf.all.forwarding=1 &&
	nsctl "$NS_T" net.ipv6.conf.all.accept_dad=0 &&
	nsctl "$NS_T" net.ipv6.conf.default.accept_dad=0 &&
	nsctl "$NS_S" net.ipv6.conf.all.accept_dad=0 &&
	nsctl "$NS_S" net.ipv6.conf.default.accept_dad=0
}

topology_links() {
	ip -n "$NS_T" link add to-client type veth peer name eth0 \
	    netns "$NS_C" &&
	ip -n "$NS_T" link add to-server type veth peer name eth0 \
	    netns "$NS_S" &&
	ip -n "$NS_C" addr add "$V4_CLIENT/24" dev eth0 &&
	ip -n "$NS_C" link set eth0 up &&
	ip -n "$NS_C" route add default via "$V4_GW" &&
	ip -n "$NS_T" addr add "$V4_GW/24" dev to-client &&
	ip -n "$NS_T" addr add "$V6_GW/64" dev to-server nodad &&
	ip -n "$NS_T" link set to-client up &&
	ip -n "$NS_T" link set to-server up &&
	topology_server
}

topology_server() {
	ip -n "$NS_S" addr add "$V6_SERVER/64" dev eth0 nodad &&
	ip -n "$NS_S" link set eth0 up &&
	ip -n "$NS_S" -6 route add default via "$V6_GW"
}

# --- the daemon ------------------------------------------------------------

# TUNMAPD_TEST_OFFLOAD=0 runs the tests with tun.offload = false.
tm_offload() {
	[ "${TUNMAPD_TEST_OFFLOAD:-1}" = 0 ] && echo " offload = false;"
	return 0
}

write_conf() {
	cat >"$1" <<EOF
tun = { name = "$TUN"; mtu = 1500;$(tm_offload) };
siit = {
	pool6 = "$POOL6";
	eam = ( { ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; } );
};
EOF
}

# daemon_start: starts tunmapd in the translator namespace with
# $TM_CONF (written here unless the script wrote its own) and waits until
# its start-up is done: its tun up and its routes in.  tunmapd routes the
# prefixes of its configuration into the tun itself; with routes = false
# in $TM_CONF, the server's IPv4 address and pool6 are routed here.
daemon_start() {
	[ -f "$TM_CONF" ] || write_conf "$TM_CONF"
	# A control socket of the test's own: never the system's.
	grep -q '^control' "$TM_CONF" ||
	    echo "control = { socket = \"$TM_TMP/ctl.sock\"; };" >>"$TM_CONF"
	spawn "$NS_T" "$TM_LOG" "$TUNMAPD" -d -f "$TM_CONF"
	TM_DAEMON_PID=$tm_lastpid
	tun_wait_up || fatal "tun $TUN did not come up"
	daemon_wait_started || fatal "tunmapd did not finish starting"
	conf_routes_off "$TM_CONF" || return 0
	if ! ip -n "$NS_T" route add "$V4_SERVER/32" dev "$TUN" ||
	    ! ip -n "$NS_T" -6 route add "$POOL6" dev "$TUN"; then
		fatal "cannot add the routes to $TUN"
	fi
}

# conf_routes_off file: the configuration says tun.routes = false.
conf_routes_off() {
	sed 's/#.*//' "$1" |
	    grep -Eq '(^|[^-[:alnum:]])routes[[:space:]]*[=:][[:space:]]*false'
}

# daemon_wait_started: waits for the line tunmapd logs once its start-up,
# routes included, is done.
daemon_wait_started() {
	local i

	for ((i = 0; i < 600; i++)); do
		grep -q 'tunmapd .* started' "$TM_LOG" && return 0
		kill -0 "$TM_DAEMON_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

tun_wait_up() {
	local i rc

	for ((i = 0; i < 300; i++)); do
		if ! kill -0 "$TM_DAEMON_PID" 2>/dev/null; then
			wait_pid "$TM_DAEMON_PID" 1
			rc=$?
			note "tunmapd exited with status $rc during start-up"
			return 1
		fi
		ip -n "$NS_T" link show "$TUN" 2>/dev/null |
		    grep -q '[<,]UP[,>]' && return 0
		sleep 0.1
	done
	note "tunmapd still running but $TUN not up after 30 seconds"
	return 1
}

# daemon_stop: SIGTERM; succeeds if tunmapd exits with status 0.
daemon_stop() {
	stop_pid "$TM_DAEMON_PID"
}

# daemon_stats: asks for the counters with SIGUSR1 and prints the "stats:"
# lines the daemon logs in answer.  The dump has no end line, and its
# zero drop reasons are left out; so once it has begun, a second SIGUSR1
# asks for another, and the first is whole when the second begins: the
# daemon writes one dump after the other, from its event loop.
daemon_stats() {
	local before

	before=$(wc -l <"$TM_LOG")
	kill -USR1 "$TM_DAEMON_PID" || return 1
	wait_for 20 new_stats_lines "$before" || return 1
	kill -USR1 "$TM_DAEMON_PID" || return 1
	wait_for 20 stats_dump_whole "$before" || return 1
	first_stats_dump "$before"
}

# first_stats_dump line: the stats lines of the first dump after that
# line of the log, up to the next "stats: tun" line for its first tun.
first_stats_dump() {
	tail -n +"$(($1 + 1))" "$TM_LOG" | awk '
	    !/stats: / { next }
	    $2 == "tun" && first == "" { first = $3 }
	    $2 == "tun" && $3 == first && n++ { exit }
	    { print }'
}

# stats_dump_whole line: a second dump has begun after that line.
stats_dump_whole() {
	tail -n +"$(($1 + 1))" "$TM_LOG" | awk '
	    !/stats: / { next }
	    $2 == "tun" && first == "" { first = $3 }
	    $2 == "tun" && $3 == first && n++ { found = 1; exit }
	    END { exit !found }'
}

# drop_counted reason: the stats show a nonzero count for that drop
# reason, within 10 seconds: the daemon may not have read the packet yet.
drop_counted() {
	local s i

	for ((i = 0; i < 10; i++)); do
		s=$(daemon_stats) || return 1
		echo "$s" | grep -Eq "stats: drop $1 [1-9]" && break
		sleep 1
	done
	echo "$s"
	echo "$s" | grep -Eq "stats: drop $1 [1-9]"
}

new_stats_lines() {
	tail -n +"$(($1 + 1))" "$TM_LOG" | grep -q 'stats:'
}

# --- helpers for the checks ------------------------------------------------

# in_ns ns seconds command...: runs a command in a namespace, bounded.  It
# runs in the background so that a signal to the script runs the trap at
# once instead of after the command (bash defers traps while it waits for
# a foreground command, and timeout puts its command in a group of its own,
# out of reach of ^C).
in_ns() {
	local ns=$1 secs=$2 pid rc=0

	shift 2
	timeout "$secs" ip netns exec "$ns" "$@" &
	pid=$!
	tm_pids+=("$pid")
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}

# ping_each ns n dst [option...]: n echo requests to dst from ns, each
# sent by a ping of its own that waits up to 10 s for its reply; succeeds
# if every one is answered.  One ping of several waits for the last
# replies only twice the longest round trip so far (-W counts only while
# nothing has come back), a fraction of a second that a sanitized daemon
# on a loaded machine can overrun.
ping_each() {
	local ns=$1 n=$2 dst=$3 i rc=0

	shift 3
	for ((i = 0; i < n; i++)); do
		in_ns "$ns" 15 ping -n -c 1 -W 10 "$@" "$dst" || rc=1
	done
	return "$rc"
}

# socat_peer log: the peer address socat -d -d logged on accept, in the
# canonical text form.
socat_peer() {
	local a

	a=$(sed -n 's/.*accepting connection from AF=[0-9]* \(.*\):[0-9]* on .*/\1/p' \
	    "$1" | head -n 1 | tr -d '[]')
	[ -n "$a" ] || return 1
	/usr/bin/python3 -c 'import ipaddress, sys
print(ipaddress.ip_address(sys.argv[1]))' "$a"
}

# no_csum_errors ns...: the kernels in these namespaces dropped no packet
# for a bad checksum, which would be a translation that got one wrong.
no_csum_errors() {
	local ns out bad=0

	for ns in "$@"; do
		out=$(ip netns exec "$ns" nstat -asz |
		    awk '$1 ~ /CsumErrors$/ && $2 != 0 { printf " %s %s", $1, $2 }')
		[ -z "$out" ] && continue
		echo "$ns:$out"
		bad=1
	done
	return "$bad"
}

# expect_eq what expected actual: succeeds if equal, else says why.
expect_eq() {
	[ "$2" = "$3" ] && return 0
	echo "$1: expected '$2', got '$3'"
	return 1
}

# --- configurations ----------------------------------------------------------

# write_conf_with file siit-lines [mtu]: write_conf's configuration with
# more lines in the siit group and, if given, another tun MTU.
write_conf_with() {
	cat >"$1" <<EOF2
tun = { name = "$TUN"; mtu = ${3:-1500};$(tm_offload) };
siit = {
	pool6 = "$POOL6";
	eam = ( { ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; } );
$2
};
EOF2
}

# daemon_restart: stops tunmapd and starts it again with $TM_CONF as it is
# now; daemon_start puts its routes back, other routes into the tun are
# the caller's.
daemon_restart() {
	local rc=0

	daemon_stop || rc=$?
	[ "$rc" -eq 0 ] || note "tunmapd exited with status $rc on SIGTERM"
	daemon_start
}

# drop_count reason: the count of that drop reason now, 0 if none.
drop_count() {
	local s

	s=$(daemon_stats) || return 1
	echo "$s" | awk -v r="$1" '$2 == "drop" && $3 == r { n = $4 }
	    END { print n + 0 }'
}

# drops_grew reason before [n]: the count of that drop reason is at least
# n (default 1) above before, within 10 seconds: the daemon may not have
# read the last of the packets yet.
drops_grew() {
	local now i

	for ((i = 0; i < 10; i++)); do
		now=$(drop_count "$1") || return 1
		[ "$now" -ge $(($2 + ${3:-1})) ] && break
		sleep 1
	done
	echo "drop $1: $2 before, $now now"
	[ "$now" -ge $(($2 + ${3:-1})) ]
}

# translator_no_rp_filter: the translator's kernel forwards packets from
# sources it has no route back to, such as tunmapd's own ICMPv4 errors
# from 192.0.0.8, whatever the host's default rp_filter.
translator_no_rp_filter() {
	local l

	for l in all default to-client to-server; do
		nsctl "$NS_T" "net.ipv4.conf.$l.rp_filter=0" || return 1
	done
}

# --- crafted packets -----------------------------------------------------------

TM_PY=/usr/bin/python3
TM_SCAPY=$top_srcdir/tests/e2e/scapy

# need_scapy: skips the whole test without scapy for the system python.
# Call it before tm_begin, which prints the plan.
need_scapy() {
	"$TM_PY" -c 'import scapy.all' >/dev/null 2>&1 ||
	    skip_all "$TM_PY cannot import scapy (python3-scapy)"
}

# scapy_case script case [arg...]: runs one case of
# tests/e2e/scapy/script.py, bounded to 60 seconds.  The helper moves
# between the namespaces itself; it prints what it saw and exits 0 when
# the behaviour is there.
scapy_case() {
	local script=$1 pid rc=0

	shift
	TM_NS_C=$NS_C TM_NS_T=$NS_T TM_NS_S=$NS_S TM_NS_S2=${NS_S2:-} \
	    timeout 60 "$TM_PY" -B "$TM_SCAPY/$script.py" "$@" &
	pid=$!
	tm_pids+=("$pid")
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}
