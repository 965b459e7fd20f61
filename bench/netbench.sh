#!/bin/bash
# SPDX-License-Identifier: ISC
#
# netbench.sh: what a packet costs through tunmapd, next to what it costs
# through the kernel alone, through a tun loop that translates nothing,
# and through TAYGA, all measured in the same run on the same namespaces.
# Prints numbers and ratios, never a verdict: run it as root on an idle
# machine ("make bench-net" builds what it needs first).
#
#   client      198.51.100.2, and 2001:db8:1::2 for the IPv6 row
#   translator  forwards, or runs the loop, tunmapd or TAYGA on a tun
#   server      2001:db8::100, published as 192.0.2.1 (EAM); and
#               203.0.113.100 for the rows without translation
#
# Environment: BENCH_SECONDS (5) per iperf3 run, BENCH_UDP_PPS (200000)
# small-packet UDP rate offered, BENCH_PINGS (500) pings 2 ms apart.
set -u

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
if [ -z "${top_builddir:-}" ]; then
	top_builddir=$top_srcdir
	[ -x "$top_srcdir/build/src/tunmapd" ] && top_builddir=$top_srcdir/build
fi

SECS=${BENCH_SECONDS:-5}
UDP_PPS=${BENCH_UDP_PPS:-200000}
PINGS=${BENCH_PINGS:-500}
TUNMAPD=$top_builddir/src/tunmapd
TUNLOOP=$top_builddir/bench/tunloop
TAYGA=${TAYGA:-tayga}
HZ=$(getconf CLK_TCK)

NS_C=nb$$c
NS_T=nb$$t
NS_S=nb$$s
TUN=bench0
RT_TABLE=100

V4_CLIENT=198.51.100.2
V4_GW=198.51.100.1
V4_PUBLISHED=192.0.2.1
V4_SERVER=203.0.113.100
V4_GW_S=203.0.113.1
V6_CLIENT=2001:db8:1::2
V6_GW_C=2001:db8:1::1
V6_SERVER=2001:db8::100
V6_GW=2001:db8::1
POOL6=2001:db8:64::/96
TAYGA_V4=192.0.2.254

COLS=(kernel4 kernel6 tunloop tunloop+offload tunmapd tunmapd+offload tayga)
ROWS=(tcp1 tcp1r tcp4 tcp4r udp_sent udp_recv udp_loss udp_cpu
    ping_p50 ping_p99)
declare -A ROW_NAME=(
	[tcp1]="TCP 1 stream c->s Gbit/s"
	[tcp1r]="TCP 1 stream s->c Gbit/s"
	[tcp4]="TCP 4 streams c->s Gbit/s"
	[tcp4r]="TCP 4 streams s->c Gbit/s"
	[udp_sent]="UDP 64 B sent kpps"
	[udp_recv]="UDP 64 B received kpps"
	[udp_loss]="UDP 64 B loss %"
	[udp_cpu]="UDP 64 B CPU ns/packet"
	[ping_p50]="ping RTT median ms"
	[ping_p99]="ping RTT p99 ms"
)
declare -A RES=()
NOTES=()

TMP=
pids=()
netns=()
lastpid=
busy_warnings=0

say() { echo "netbench: $*"; }
warn() { echo "WARNING: $*"; busy_warnings=$((busy_warnings + 1)); }
die() { echo "netbench: $*" >&2; exit 1; }

# --- start and end ---------------------------------------------------------

cleanup() {
	local rc=$? p n

	set +e
	trap - EXIT INT TERM
	for p in "${pids[@]}"; do
		stop_pid "$p"
	done
	for n in "${netns[@]}"; do
		ip netns delete "$n" 2>/dev/null
	done
	[ -n "$TMP" ] && rm -rf "$TMP"
	exit "$rc"
}

need() {
	local t

	[ "$(id -u)" -eq 0 ] || die "run as root"
	[ -c /dev/net/tun ] || die "no /dev/net/tun"
	for t in ip iperf3 ping python3 timeout ss; do
		command -v "$t" >/dev/null || die "$t not installed (scripts/deps.sh)"
	done
	[ -x "$TUNMAPD" ] || die "$TUNMAPD not built"
	[ -x "$TUNLOOP" ] || die "$TUNLOOP not built (make bench/tunloop)"
	case $SECS in ''|*[!0-9]*|0) die "BENCH_SECONDS: a whole number > 0";; esac
	case $UDP_PPS in ''|*[!0-9]*|0) die "BENCH_UDP_PPS: a number > 0";; esac
	case $PINGS in ''|*[!0-9]*|0) die "BENCH_PINGS: a number > 0";; esac
}

# --- processes -------------------------------------------------------------

forget_pid() {
	local p keep=()

	for p in "${pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	pids=("${keep[@]}")
}

# spawn ns log command...: runs command in ns in the background; its PID
# (the command's own: ip netns exec execs it) is in lastpid.
spawn() {
	local ns=$1 log=$2

	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	lastpid=$!
	pids+=("$lastpid")
}

# alive pid: running, not a zombie waiting for us to reap it.
alive() {
	local line

	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	line=${line##*) }
	[ "${line%% *}" != Z ]
}

# stop_pid pid: SIGTERM, SIGKILL after 5 seconds.
stop_pid() {
	local i

	kill -TERM "$1" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		alive "$1" || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	forget_pid "$1"
}

# in_ns ns seconds command...: bounded, and in the background so that a
# signal runs the trap at once.
in_ns() {
	local ns=$1 secs=$2 pid rc=0

	shift 2
	timeout "$secs" ip netns exec "$ns" "$@" &
	pid=$!
	pids+=("$pid")
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}

wait_for() {
	local i

	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

listening() {
	[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2")" ]
}

link_up() {
	ip -n "$1" link show "$2" 2>/dev/null | grep -q '[<,]UP[,>]'
}

# --- the machine -------------------------------------------------------------

# cpu_busy_idle: "busy idle" jiffies of the whole machine.
cpu_busy_idle() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' \
	    /proc/stat
}

cpu_softirq() {
	awk '$1 == "cpu" { print $8 }' /proc/stat
}

# proc_ticks pid: utime + stime of a process, all its threads.
proc_ticks() {
	local line rest

	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	rest=${line##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $rest
	echo $((${12} + ${13}))
}

# others_snapshot file: "pid ticks comm" of every user process that is not
# ours: not in our session, not in our namespaces.  Kernel threads are
# left out: softirq threads mostly carry our own packets.
others_snapshot() {
	local d line rest comm n sid

	sid=$(ps -o sid= -p $$ | tr -d ' ')
	for d in /proc/[0-9]*; do
		read -r line 2>/dev/null <"$d/stat" || continue
		comm=${line#*(}
		comm=${comm%)*}
		rest=${line##*) }
		# shellcheck disable=SC2086
		set -- $rest
		[ "$4" = "$sid" ] && continue
		(($7 & 0x200000)) && continue
		for n in "${netns[@]}"; do
			[ "$d/ns/net" -ef "/run/netns/$n" ] && continue 2
		done
		echo "${d#/proc/} $((${12} + ${13})) ${comm// /_}"
	done >"$1"
}

# others_report before after seconds what: warns about other processes
# that used more than 5% of a CPU in between.
others_report() {
	local hogs

	hogs=$(awk -v hz="$HZ" -v s="$3" '
	    NR == FNR { t[$1] = $2; next }
	    ($1 in t) && ($2 - t[$1]) / hz / s > 0.05 {
		printf "%s%s[%s] %.0f%%", sep, $3, $1, 100 * ($2 - t[$1]) / hz / s
		sep = ", "
	    }' "$1" "$2")
	[ -n "$hogs" ] && warn "other processes used CPU during $4: $hogs"
}

# machine_check [after]: load average (before the run only: ours raises
# it), idle over a second, other busy processes.
machine_check() {
	local load b0 i0 b1 i1 idle

	read -r load _ </proc/loadavg
	read -r b0 i0 < <(cpu_busy_idle)
	others_snapshot "$TMP/others.0"
	sleep 1
	read -r b1 i1 < <(cpu_busy_idle)
	others_snapshot "$TMP/others.1"
	idle=$(awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) \
	    'BEGIN { printf "%.0f", (b + i > 0 ? 100 * i / (b + i) : 100) }')
	say "machine: $(nproc) CPUs, load average $load, ${idle}% idle over 1 s"
	[ -z "${1:-}" ] &&
	    awk -v l="$load" -v n="$(nproc)" 'BEGIN { exit !(l > n / 4) }' &&
	    warn "load average $load on $(nproc) CPUs: numbers will be noisy"
	[ "$idle" -lt 90 ] &&
	    warn "the machine is only ${idle}% idle: numbers will be noisy"
	others_report "$TMP/others.0" "$TMP/others.1" 1 \
	    "the idle check${1:+ after the run}"
}

# --- topology --------------------------------------------------------------

netns_add() {
	ip netns list | awk '{ print $1 }' | grep -qx "$1" &&
	    die "network namespace $1 already exists"
	ip netns add "$1" || die "cannot create network namespace $1"
	netns+=("$1")
	ip -n "$1" link set lo up
}

nsctl() {
	ip netns exec "$1" sysctl -qw "$2" >/dev/null
}

# Forwarding on, DAD off (a tentative address delays the first packets),
# reverse path filtering off: a packet written back into a tun arrives
# on it, not on the link towards its source.
topology_sysctl() {
	local n

	for n in "${netns[@]}"; do
		nsctl "$n" net.ipv6.conf.all.accept_dad=0 &&
		nsctl "$n" net.ipv6.conf.default.accept_dad=0 || return 1
	done
	nsctl "$NS_T" net.ipv4.ip_forward=1 &&
	nsctl "$NS_T" net.ipv6.conf.all.forwarding=1 &&
	nsctl "$NS_T" net.ipv4.conf.all.rp_filter=0 &&
	nsctl "$NS_T" net.ipv4.conf.default.rp_filter=0
}

topology_links() {
	ip -n "$NS_T" link add to-client type veth peer name eth0 \
	    netns "$NS_C" &&
	ip -n "$NS_T" link add to-server type veth peer name eth0 \
	    netns "$NS_S" &&
	ip -n "$NS_C" addr add "$V4_CLIENT/24" dev eth0 &&
	ip -n "$NS_C" addr add "$V6_CLIENT/64" dev eth0 nodad &&
	ip -n "$NS_C" link set eth0 up &&
	ip -n "$NS_C" route add default via "$V4_GW" &&
	ip -n "$NS_C" -6 route add default via "$V6_GW_C" &&
	ip -n "$NS_T" addr add "$V4_GW/24" dev to-client &&
	ip -n "$NS_T" addr add "$V6_GW_C/64" dev to-client nodad &&
	ip -n "$NS_T" addr add "$V4_GW_S/24" dev to-server &&
	ip -n "$NS_T" addr add "$V6_GW/64" dev to-server nodad &&
	ip -n "$NS_T" link set to-client up &&
	ip -n "$NS_T" link set to-server up &&
	ip -n "$NS_S" addr add "$V4_SERVER/24" dev eth0 &&
	ip -n "$NS_S" addr add "$V6_SERVER/64" dev eth0 nodad &&
	ip -n "$NS_S" link set eth0 up &&
	ip -n "$NS_S" route add default via "$V4_GW_S" &&
	ip -n "$NS_S" -6 route add default via "$V6_GW"
}

topology_up() {
	netns_add "$NS_C"
	netns_add "$NS_T"
	netns_add "$NS_S"
	if ! topology_sysctl || ! topology_links; then
		die "cannot set up the namespaces"
	fi
	# Neighbours resolved before the first measurement.
	if ! in_ns "$NS_C" 8 ping -c 1 -w 5 "$V6_SERVER" >/dev/null ||
	    ! in_ns "$NS_C" 8 ping -c 1 -w 5 "$V4_SERVER" >/dev/null; then
		die "no forwarding between the namespaces"
	fi
}

# --- measurements ------------------------------------------------------------

# iperf col row dst iperf3-options...: one iperf3 run against a one-off
# server; stores the receiver's rate in Gbit/s.
iperf() {
	local col=$1 row=$2 dst=$3 json=$TMP/$2.json srv

	shift 3
	spawn "$NS_S" "$TMP/iperf3-s.log" iperf3 -s -1 -p 5201
	srv=$lastpid
	if ! wait_for 5 listening "$NS_S" 5201; then
		stop_pid "$srv"
		RES[$row.$col]=fail
		return 1
	fi
	in_ns "$NS_C" $((SECS + 20)) iperf3 -c "$dst" -p 5201 -t "$SECS" \
	    --connect-timeout 3000 -J "$@" >"$json" 2>&1
	wait_for 5 eval "! alive $srv"
	stop_pid "$srv"
	RES[$row.$col]=$(python3 -c '
import json, sys
try:
	e = json.load(open(sys.argv[1]))["end"]
	print("%.2f" % (e["sum_received"]["bits_per_second"] / 1e9))
except Exception:
	print("fail")' "$json")
}

# counter ns dev field: a packet counter of a device in a namespace.
counter() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# udp col dst fwdpid dev: small packets at a fixed rate.  CPU per packet is
# the forwarder process's utime+stime over the packets it wrote into dev
# (the tun); without a process (the kernel) it is the whole machine's
# softirq time over the packets sent out of dev.
udp() {
	local col=$1 dst=$2 fwd=$3 dev=$4 json=$TMP/udp.json srv field
	local c0 c1 p0 p1 out

	field=rx_packets
	[ -z "$fwd" ] && field=tx_packets
	spawn "$NS_S" "$TMP/iperf3-s.log" iperf3 -s -1 -p 5201
	srv=$lastpid
	if ! wait_for 5 listening "$NS_S" 5201; then
		stop_pid "$srv"
		return 1
	fi
	p0=$(counter "$NS_T" "$dev" "$field")
	if [ -n "$fwd" ]; then c0=$(proc_ticks "$fwd"); else c0=$(cpu_softirq); fi
	in_ns "$NS_C" $((SECS + 20)) iperf3 -c "$dst" -p 5201 -t "$SECS" \
	    --connect-timeout 3000 -J -u -l 64 -b $((UDP_PPS * 64 * 8)) \
	    >"$json" 2>&1
	if [ -n "$fwd" ]; then c1=$(proc_ticks "$fwd"); else c1=$(cpu_softirq); fi
	p1=$(counter "$NS_T" "$dev" "$field")
	wait_for 5 eval "! alive $srv"
	stop_pid "$srv"
	out=$(python3 -c '
import json, sys
try:
	e = json.load(open(sys.argv[1]))["end"]["sum"]
	s = float(sys.argv[2])
	n, lost = e["packets"], e["lost_packets"]
	print("%.1f %.1f %.2f" % (n / s / 1e3, (n - lost) / s / 1e3,
	    100.0 * lost / n if n else 0))
except Exception:
	print("fail fail fail")' "$json" "$SECS")
	read -r "RES[udp_sent.$col]" "RES[udp_recv.$col]" "RES[udp_loss.$col]" \
	    <<<"$out"
	awk -v s="${RES[udp_sent.$col]}" -v o="$UDP_PPS" \
	    'BEGIN { exit !(s + 0 < 0.9 * o / 1000) }' &&
	    NOTES+=("$col: iperf3 sent ${RES[udp_sent.$col]} kpps of the $((UDP_PPS / 1000)) offered: the sender was the limit")
	if [ "$((p1 - p0))" -gt 0 ] && [ -n "$c0" ] && [ -n "$c1" ]; then
		RES[udp_cpu.$col]=$(awk -v t=$((c1 - c0)) -v n=$((p1 - p0)) \
		    -v hz="$HZ" 'BEGIN { printf "%.0f", t * 1e9 / hz / n }')
		[ -z "$fwd" ] && RES[udp_cpu.$col]="${RES[udp_cpu.$col]}*"
	fi
}

# pings col dst: RTT median and 99th percentile of PINGS pings 2 ms apart.
pings() {
	local col=$1 dst=$2 out

	out=$(in_ns "$NS_C" $((PINGS / 100 + 15)) \
	    ping -n -c "$PINGS" -i 0.002 -W 1 "$dst" |
	    sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | sort -n |
	    awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "fail fail"; exit }
		p = int(NR * 0.99 + 0.5)
		if (p < 1)
			p = 1
		printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[p] }')
	read -r "RES[ping_p50.$col]" "RES[ping_p99.$col]" <<<"$out"
}

# measure col dst fwdpid dev [restart-for-4-streams]: every test of one
# column; the last argument is run before the 4-stream tests.
measure() {
	local col=$1 dst=$2 fwd=$3 dev=$4 restart=${5:-} t

	say "$col: TCP, 1 stream"
	others_snapshot "$TMP/others.0"
	t=$SECONDS
	iperf "$col" tcp1 "$dst"
	iperf "$col" tcp1r "$dst" -R
	say "$col: UDP, 64 bytes at $UDP_PPS packets/s"
	udp "$col" "$dst" "$fwd" "$dev"
	say "$col: ping"
	pings "$col" "$dst"
	if [ -n "$restart" ]; then
		$restart || return 1
	fi
	say "$col: TCP, 4 streams"
	iperf "$col" tcp4 "$dst" -P 4
	iperf "$col" tcp4r "$dst" -P 4 -R
	others_snapshot "$TMP/others.1"
	others_report "$TMP/others.0" "$TMP/others.1" \
	    $((SECONDS - t > 0 ? SECONDS - t : 1)) "$col"
}

# --- the columns ---------------------------------------------------------------

col_kernel4() {
	measure kernel4 "$V4_SERVER" "" to-server
}

col_kernel6() {
	measure kernel6 "$V6_SERVER" "" to-server
}

# Policy routing sends what arrives from either side into the loop; what
# the loop writes back arrives on the tun and takes the main table.
col_tunloop() {
	local col=$1 pid

	shift
	spawn "$NS_T" "$TMP/tunloop.log" "$TUNLOOP" "$@" "$TUN"
	pid=$lastpid
	if ! wait_for 5 link_up "$NS_T" "$TUN"; then
		NOTES+=("$col: tunloop did not start: $(cat "$TMP/tunloop.log")")
		stop_pid "$pid"
		return 1
	fi
	if ! ip -n "$NS_T" route add default dev "$TUN" table "$RT_TABLE" ||
	    ! ip -n "$NS_T" rule add iif to-client lookup "$RT_TABLE" ||
	    ! ip -n "$NS_T" rule add iif to-server lookup "$RT_TABLE"; then
		die "cannot route into $TUN"
	fi
	measure "$col" "$V4_SERVER" "$pid" "$TUN"
	ip -n "$NS_T" rule del iif to-client lookup "$RT_TABLE"
	ip -n "$NS_T" rule del iif to-server lookup "$RT_TABLE"
	stop_pid "$pid"
	grep -h '^tunloop: offload' "$TMP/tunloop.log" |
	    sed "s/^tunloop:/$col:/" | while read -r l; do say "$l"; done
}

# tunmapd_conf file [extra tun settings]
tunmapd_conf() {
	cat >"$1" <<EOF
tun = { name = "$TUN"; mtu = 1500; $2 };
siit = {
	pool6 = "$POOL6";
	eam = ( { ipv4 = "$V4_PUBLISHED"; ipv6 = "$V6_SERVER"; } );
};
control = { socket = "$TMP/ctl.sock"; };
EOF
}

# tunmapd_accepts setting: the built tunmapd knows this tun setting.
tunmapd_accepts() {
	tunmapd_conf "$TMP/probe.conf" "$1"
	"$TUNMAPD" -n -f "$TMP/probe.conf" >/dev/null 2>&1
}

# tunmapd_start conf: starts it and waits for its start-up, routes in.
tunmapd_start() {
	local log=$TMP/tunmapd.log i

	: >"$log"
	spawn "$NS_T" "$log" "$TUNMAPD" -d -f "$1"
	for ((i = 0; i < 100; i++)); do
		grep -q 'tunmapd .* started' "$log" && return 0
		alive "$lastpid" || break
		sleep 0.1
	done
	NOTES+=("tunmapd did not start: $(tail -n 3 "$log" | tr '\n' ' ')")
	stop_pid "$lastpid"
	return 1
}

TUNMAPD_PID=
TUNMAPD_CONF4=

tunmapd_restart() {
	stop_pid "$TUNMAPD_PID"
	tunmapd_start "$TUNMAPD_CONF4" || return 1
	TUNMAPD_PID=$lastpid
}

# col_tunmapd col offload-setting: tun.offload as given, when this
# tunmapd knows the key; tun.queues = 2 for the 4 streams, likewise.
col_tunmapd() {
	local col=$1 set=$2 restart=

	tunmapd_conf "$TMP/$col.conf" "$set"
	TUNMAPD_CONF4=$TMP/$col.conf
	if tunmapd_accepts "$set queues = 2;"; then
		tunmapd_conf "$TMP/$col-q2.conf" "$set queues = 2;"
		TUNMAPD_CONF4=$TMP/$col-q2.conf
		restart=tunmapd_restart
	fi
	tunmapd_start "$TMP/$col.conf" || return 1
	TUNMAPD_PID=$lastpid
	measure "$col" "$V4_PUBLISHED" "$TUNMAPD_PID" "$TUN" "$restart"
	stop_pid "$TUNMAPD_PID"
}

col_tayga() {
	local pid conf=$TMP/tayga.conf

	cat >"$conf" <<EOF
tun-device $TUN
ipv4-addr $TAYGA_V4
prefix $POOL6
map $V4_PUBLISHED $V6_SERVER
EOF
	spawn "$NS_T" "$TMP/tayga.log" "$TAYGA" -n -c "$conf"
	pid=$lastpid
	if ! wait_for 5 ip -n "$NS_T" link show "$TUN"; then
		NOTES+=("tayga did not start: $(cat "$TMP/tayga.log")")
		stop_pid "$pid"
		return 1
	fi
	if ! ip -n "$NS_T" link set "$TUN" up ||
	    ! ip -n "$NS_T" route add "$V4_PUBLISHED/32" dev "$TUN" ||
	    ! ip -n "$NS_T" -6 route add "$POOL6" dev "$TUN"; then
		die "cannot route into TAYGA's $TUN"
	fi
	measure tayga "$V4_PUBLISHED" "$pid" "$TUN"
	stop_pid "$pid"
}

# --- the report ----------------------------------------------------------------

# One column per forwarder, as wide as its name.
print_table() {
	local r c

	printf '\n%-27s' "test"
	for c in "${COLS[@]}"; do printf ' %7s' "$c"; done
	printf '\n'
	for r in "${ROWS[@]}"; do
		printf '%-27s' "${ROW_NAME[$r]}"
		for c in "${COLS[@]}"; do
			printf ' %*s' $((${#c} > 7 ? ${#c} : 7)) \
			    "${RES[$r.$c]:--}"
		done
		printf '\n'
	done
}

# ratio a b: a / b, or "-" when either is missing.
ratio() {
	awk -v a="${1%\*}" -v b="${2%\*}" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) print "-"
		else printf "%.2f", a / b }'
}

print_ratios() {
	local r c

	printf '\n%-27s %13s %13s %13s %13s\n' "ratio" "tunmapd/" "tunmapd/" \
	    "tunmapd+off/" "tunmapd+off/"
	printf '%-27s %13s %13s %13s %13s\n' "" kernel4 tayga kernel4 tayga
	for r in tcp1 tcp1r tcp4 tcp4r udp_recv; do
		printf '%-27s' "${ROW_NAME[$r]}"
		for c in tunmapd tunmapd+offload; do
			printf ' %13s %13s' "$(ratio "${RES[$r.$c]:-}" \
			    "${RES[$r.kernel4]:-}")" "$(ratio "${RES[$r.$c]:-}" \
			    "${RES[$r.tayga]:-}")"
		done
		printf '\n'
	done
	printf '\n%-27s %13s %13s %13s %13s\n' "CPU per packet" "tunmapd/" \
	    "tunmapd/" "tunmapd+off/" "tunmapd+off/"
	printf '%-27s %13s %13s %13s %13s\n' "" tunloop tayga \
	    tunloop+off tayga
	printf '%-27s %13s %13s %13s %13s\n' "${ROW_NAME[udp_cpu]}" \
	    "$(ratio "${RES[udp_cpu.tunmapd]:-}" "${RES[udp_cpu.tunloop]:-}")" \
	    "$(ratio "${RES[udp_cpu.tunmapd]:-}" "${RES[udp_cpu.tayga]:-}")" \
	    "$(ratio "${RES[udp_cpu.tunmapd+offload]:-}" \
	    "${RES[udp_cpu.tunloop+offload]:-}")" \
	    "$(ratio "${RES[udp_cpu.tunmapd+offload]:-}" \
	    "${RES[udp_cpu.tayga]:-}")"
}

print_notes() {
	local n

	echo
	echo "UDP: iperf3 -u -l 64 at $UDP_PPS packets/s offered; CPU ns/packet"
	echo "  is the forwarder process's utime+stime (/proc/PID/stat) over"
	echo "  the packets it wrote to its tun; * = the kernel columns: the"
	echo "  whole machine's softirq time over the packets forwarded, which"
	echo "  also counts the client's and server's receive paths."
	echo "Each iperf3 run: $SECS s.  Pings: $PINGS, 2 ms apart."
	for n in "${NOTES[@]}"; do echo "$n"; done
	if [ "$busy_warnings" -gt 0 ]; then
		echo "$busy_warnings WARNING(s) above: the machine was not idle."
	fi
}

main() {
	local off=

	need
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-netbench.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	say "$(uname -sr), $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2-)"
	say "tunmapd: $TUNMAPD; BENCH_SECONDS=$SECS BENCH_UDP_PPS=$UDP_PPS BENCH_PINGS=$PINGS"
	machine_check
	topology_up
	col_kernel4
	col_kernel6
	col_tunloop tunloop
	col_tunloop tunloop+offload -o
	if tunmapd_accepts "offload = true;"; then
		off=1
		col_tunmapd tunmapd "offload = false;"
		col_tunmapd tunmapd+offload "offload = true;"
	else
		NOTES+=("tunmapd+offload: this tunmapd has no tun.offload")
		col_tunmapd tunmapd ""
	fi
	tunmapd_accepts "queues = 2;" &&
	    NOTES+=("tunmapd, 4 streams: with tun.queues = 2")
	[ -n "$off" ] && NOTES+=("tunmapd: tun.offload = false, tunmapd+offload: true")
	if command -v "$TAYGA" >/dev/null; then
		col_tayga
	else
		NOTES+=("tayga: not installed (scripts/deps.sh)")
	fi
	machine_check after
	print_table
	print_ratios
	print_notes
}

main "$@"
