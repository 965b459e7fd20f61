#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 090-ecmp-bird: two translator nodes with the same configuration behind
# an upstream router that spreads traffic over them by ECMP, as
# etc/bird.conf.example describes.  Each node runs tunmapd and BIRD; BIRD
# learns the routes tunmapd installs into its tun (protocol 109) and
# announces them by OSPF, so that a node is a next hop only while its
# tunmapd runs.  Both nodes carry UDP flows; a ping and a 50 MB TCP
# transfer go on while one node's tunmapd is killed with SIGKILL (the
# longest gap between ping replies is printed) and the transfer arrives
# intact through the other node; restarted, the node carries traffic
# again.
#
#   client 198.51.100.2 -- 198.51.100.1 router 2001:db8::1 -- server
#                                  |     |                  2001:db8::100
#             203.0.113.1/30 -----+     +----- 203.0.113.5/30
#             2001:db8:a::1/64                 2001:db8:b::1/64
#             node A .2, ::2                    node B .6, ::2
#
# The router runs BIRD too: OSPFv2 and OSPFv3 towards the nodes, ECMP
# routes to 192.0.2.1 (the EAM) and pool6 into its kernel.  The nodes are
# one-armed: translated packets go back through the router.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

BIRD=${BIRD:-/usr/sbin/bird}
BIRDC=${BIRDC:-/usr/sbin/birdc}
NS_R=tm$$r
NS_A=tm$$a
NS_B=tm$$b
SIZE=$((50 * 1024 * 1024))
PORT=5090
declare -A NODE_NS=([A]=$NS_A [B]=$NS_B)
declare -A NODE_ID=([A]=203.0.113.2 [B]=203.0.113.6)
declare -A DPID=()

sha256() {
	sha256sum <"$1" | cut -d ' ' -f 1
}

# --- topology --------------------------------------------------------------

topology() {
	local ns

	for ns in "$NS_C" "$NS_R" "$NS_A" "$NS_B" "$NS_S"; do
		netns_add "$ns"
	done
	nsctl "$NS_C" net.ipv6.conf.all.disable_ipv6=1 &&
	nsctl "$NS_C" net.ipv6.conf.default.disable_ipv6=1 || return 1
	for ns in "$NS_R" "$NS_A" "$NS_B" "$NS_S"; do
		nsctl "$ns" net.ipv6.conf.all.accept_dad=0 &&
		nsctl "$ns" net.ipv6.conf.default.accept_dad=0 || return 1
	done
	for ns in "$NS_R" "$NS_A" "$NS_B"; do
		nsctl "$ns" net.ipv4.ip_forward=1 &&
		nsctl "$ns" net.ipv6.conf.all.forwarding=1 &&
		nsctl "$ns" net.ipv4.conf.all.rp_filter=0 &&
		nsctl "$ns" net.ipv4.conf.default.rp_filter=0 || return 1
	done
	# Hash on the ports too, so that flows spread over the nodes.
	nsctl "$NS_R" net.ipv4.fib_multipath_hash_policy=1 &&
	nsctl "$NS_R" net.ipv6.fib_multipath_hash_policy=1 || return 1

	ip -n "$NS_R" link add to-client type veth peer name eth0 \
	    netns "$NS_C" &&
	ip -n "$NS_R" link add to-server type veth peer name eth0 \
	    netns "$NS_S" &&
	ip -n "$NS_R" link add to-a type veth peer name up0 netns "$NS_A" &&
	ip -n "$NS_R" link add to-b type veth peer name up0 netns "$NS_B" &&
	ip -n "$NS_C" addr add "$V4_CLIENT/24" dev eth0 &&
	ip -n "$NS_C" link set eth0 up &&
	ip -n "$NS_C" route add default via 198.51.100.1 &&
	ip -n "$NS_R" addr add 198.51.100.1/24 dev to-client &&
	ip -n "$NS_R" addr add "$V6_GW/64" dev to-server nodad &&
	ip -n "$NS_R" addr add 203.0.113.1/30 dev to-a &&
	ip -n "$NS_R" addr add 2001:db8:a::1/64 dev to-a nodad &&
	ip -n "$NS_R" addr add 203.0.113.5/30 dev to-b &&
	ip -n "$NS_R" addr add 2001:db8:b::1/64 dev to-b nodad || return 1
	for l in to-client to-server to-a to-b; do
		ip -n "$NS_R" link set "$l" up || return 1
	done
	node_links "$NS_A" 203.0.113.2/30 203.0.113.1 2001:db8:a::2/64 \
	    2001:db8:a::1 &&
	node_links "$NS_B" 203.0.113.6/30 203.0.113.5 2001:db8:b::2/64 \
	    2001:db8:b::1 &&
	topology_server
}

# node_links ns addr4 gw4 addr6 gw6: the uplink of a node.  Only the
# client and server networks are routed back to the router: a packet for
# the translated prefixes that comes while tunmapd is down is
# unreachable, not looped.
node_links() {
	ip -n "$1" addr add "$2" dev up0 &&
	ip -n "$1" addr add "$4" dev up0 nodad &&
	ip -n "$1" link set up0 up &&
	ip -n "$1" route add 198.51.100.0/24 via "$3" &&
	ip -n "$1" -6 route add 2001:db8::/64 via "$5"
}

# --- BIRD ------------------------------------------------------------------

# bird_conf file router-id role: the router's configuration, or a node's
# as etc/bird.conf.example has it.
bird_conf() {
	local f=$1 id=$2 role=$3 fam v iface exp extra

	{
		echo "router id $id;"
		echo "log stderr all;"
		echo "protocol device { scan time 10; }"
		if [ "$role" = node ]; then
			for fam in ipv4 ipv6; do
				cat <<EOF
protocol kernel kernel$fam {
	learn;
	scan time 1;
	$fam { import where krt_source = 109; export none; };
}
EOF
			done
		else
			for fam in ipv4 ipv6; do
				echo "protocol kernel { $fam { import none; export all; }; }"
			done
		fi
		for v in 2 3; do
			fam=ipv4
			[ "$v" = 3 ] && fam=ipv6
			if [ "$role" = node ]; then
				iface='"up0"'
				extra=
				exp="import none; export where proto = \"kernel$fam\";"
			else
				iface='"to-a", "to-b"'
				exp="import all; export none;"
				# ECMP over the nodes: their externals are equal.
				extra="merge external yes;"
			fi
			cat <<EOF
protocol ospf v$v {
	ecmp yes;
	$extra
	tick 1;
	$fam { $exp };
	area 0 {
		interface $iface {
			type ptp;
			hello 1;
			dead 3;
			retransmit 2;
		};
	};
}
EOF
		done
	} >"$f"
}

bird_start() {
	local name=$1 ns=$2

	"$BIRD" -p -c "$TM_TMP/bird-$name.conf" ||
	    fatal "BIRD rejects bird-$name.conf"
	spawn "$ns" "$TM_TMP/bird-$name.log" "$BIRD" -f \
	    -c "$TM_TMP/bird-$name.conf" -s "$TM_TMP/bird-$name.ctl" \
	    -P "$TM_TMP/bird-$name.pid"
}

# nexthops prefix: the number of next hops the router has for it.
nexthops() {
	local fam=-4

	case $1 in *:*) fam=-6 ;; esac
	ip -n "$NS_R" "$fam" route show "$1" |
	    grep -c -E '(^|[[:space:]])via [0-9a-f.:]+ dev to-[ab]' || true
}

has_nexthops() {
	[ "$(nexthops "$1")" -eq "$2" ]
}

both_paths() {
	has_nexthops "$V4_SERVER" 2 && has_nexthops "$POOL6" 2
}

one_path() {
	has_nexthops "$V4_SERVER" 1 && has_nexthops "$POOL6" 1
}

show_paths() {
	ip -n "$NS_R" -4 route show "$V4_SERVER"
	ip -n "$NS_R" -6 route show "$POOL6"
}

# --- tunmapd ---------------------------------------------------------------

# node_start node: tunmapd on a node, with the common configuration and
# a control socket of the node's own.  Waits for its routes.
node_start() {
	local n=$1 ns=${NODE_NS[$1]} i

	cp "$TM_CONF" "$TM_TMP/tunmapd-$n.conf"
	echo "control = { socket = \"$TM_TMP/ctl-$n.sock\"; };" \
	    >>"$TM_TMP/tunmapd-$n.conf"
	spawn "$ns" "$TM_TMP/tunmapd-$n.log" "$TUNMAPD" -d \
	    -f "$TM_TMP/tunmapd-$n.conf"
	DPID[$n]=$tm_lastpid
	for ((i = 0; i < 300; i++)); do
		grep -q "tunmapd .* started" "$TM_TMP/tunmapd-$n.log" 2>/dev/null &&
		    return 0
		kill -0 "${DPID[$n]}" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TM_TMP/tunmapd-$n.log"
	return 1
}

# tun_tx node: packets the node's kernel handed to tunmapd, 0 without tun.
tun_tx() {
	ip netns exec "${NODE_NS[$1]}" \
	    cat "/sys/class/net/$TUN/statistics/tx_packets" 2>/dev/null ||
	    echo 0
}

# udp_flows n: n UDP datagrams from the client to the server, each from
# a source port of its own.
udp_flows() {
	in_ns "$NS_C" 10 /usr/bin/python3 -c '
import socket, sys
dst, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 41000 + i))
    s.sendto(b"x" * 64, (dst, 9))
    s.close()
' "$V4_SERVER" "$1"
}

# spread: 64 flows reach both nodes, within 10 s.
spread() {
	local a1 b1

	sp_a0=$(tun_tx A)
	sp_b0=$(tun_tx B)
	udp_flows 64 || return 1
	wait_for 10 both_reached || true
	a1=$(tun_tx A)
	b1=$(tun_tx B)
	echo "packets into tunmapd: A $((a1 - sp_a0)), B $((b1 - sp_b0))"
	[ $((a1 - sp_a0)) -gt 0 ] && [ $((b1 - sp_b0)) -gt 0 ]
}

# both_reached: packets went into both nodes' tuns since sp_a0 and sp_b0.
both_reached() {
	[ "$(tun_tx A)" -gt "$sp_a0" ] && [ "$(tun_tx B)" -gt "$sp_b0" ]
}

# max_gap file: the longest time between two ping replies, in ms, and
# the number of replies.
max_gap() {
	awk -F '[][]' '/bytes from/ {
		t = $2 + 0; n++
		if (n > 1 && t - last > gap) gap = t - last
		last = t
	} END { printf "%d %d\n", gap * 1000, n }' "$1"
}

# --- the test ----------------------------------------------------------------

tm_begin 11 ping socat tc ss sha256sum "$BIRD" "$BIRDC"
topology || fatal "cannot set up the namespaces"
write_conf "$TM_CONF"

check "etc/bird.conf.example parses" \
    "$BIRD" -p -c "$top_srcdir/etc/bird.conf.example"

bird_conf "$TM_TMP/bird-R.conf" 203.0.113.1 router
bird_start R "$NS_R"
for n in A B; do
	node_start "$n" || fatal "tunmapd did not start on node $n"
	bird_conf "$TM_TMP/bird-$n.conf" "${NODE_ID[$n]}" node
	bird_start "$n" "${NODE_NS[$n]}"
done
t0=$(date +%s.%N)
check "the router has both nodes as next hops for $V4_SERVER and $POOL6" \
    wait_for 30 both_paths
[ "$tm_failed" -eq 0 ] || {
	for n in R A B; do
		ns=$NS_R
		[ "$n" = R ] || ns=${NODE_NS[$n]}
		ip netns exec "$ns" "$BIRDC" -s "$TM_TMP/bird-$n.ctl" \
		    show ospf state all ospf1
		ip netns exec "$ns" "$BIRDC" -s "$TM_TMP/bird-$n.ctl" show route
		ip -n "$ns" route show
	done 2>&1 | diag
	fatal "no ECMP routes on the router"
}
note "OSPF converged in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.1f", b - a }') s"
show_paths | diag

check "UDP flows from 64 source ports go through both nodes" spread

check "the node's BIRD learned tunmapd's routes from the kernel" \
    bash -c "ip netns exec '$NS_A' '$BIRDC' -s '$TM_TMP/bird-A.ctl' \
    show route protocol kernelipv4 | grep -F '$V4_SERVER/32'"

# The ping runs through the failover.
PING_LOG=$TM_TMP/ping.log
spawn "$NS_C" "$PING_LOG" timeout 40 ping -n -D -i 0.05 -c 500 "$V4_SERVER"
ping_pid=$tm_lastpid
sleep 1
a0=$(tun_tx A)
b0=$(tun_tx B)
sleep 1
pa=$(($(tun_tx A) - a0))
pb=$(($(tun_tx B) - b0))

# A 50 MB upload from the client to the server, paced to 40 Mbit/s
# (about 10 s) so that it is under way when the node that carries most
# of it, K, is killed.
tc -n "$NS_C" qdisc add dev eth0 root tbf rate 40mbit burst 32kb \
    latency 100ms || fatal "cannot pace the client"
head -c "$SIZE" /dev/urandom >"$TM_TMP/up.src"
spawn "$NS_S" "$TM_TMP/listen.log" timeout 90 socat -d -d -u \
    "TCP6-LISTEN:$PORT,reuseaddr" "CREATE:$TM_TMP/up.dst"
listen_pid=$tm_lastpid
wait_listen "$NS_S" tcp "$PORT" || fatal "nothing listens on port $PORT"
spawn "$NS_C" "$TM_TMP/connect.log" timeout 90 socat -u \
    "OPEN:$TM_TMP/up.src" "TCP4:$V4_SERVER:$PORT"
connect_pid=$tm_lastpid
sleep 2
a0=$(tun_tx A)
b0=$(tun_tx B)
sleep 0.5
ta=$(($(tun_tx A) - a0))
tb=$(($(tun_tx B) - b0))
K=A
L=B
if [ "$tb" -gt "$ta" ]; then
	K=B
	L=A
fi
note "packets into tunmapd per second: ping A $pa, B $pb;" \
    "ping and TCP A $((ta * 2)), B $((tb * 2)); killing node $K"
kill -KILL "${DPID[$K]}"
# (bash would report the kill on standard error)
{ wait_pid "${DPID[$K]}" 5 || true; } 2>/dev/null
note "SIGKILL to tunmapd on node $K"
t0=$(date +%s.%N)
check "the router drops node $K once its tunmapd is gone" \
    wait_for 15 one_path
note "withdrawn from the router in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.0f", (b - a) * 1000 }') ms"

rc=0
wait_pid "$connect_pid" 90 || rc=$?
wait_pid "$listen_pid" 30 || rc=$?
check "the 50 MB TCP transfer completes intact through node $L" \
    expect_eq "sha256 (socat status $rc)" "$(sha256 "$TM_TMP/up.src")" \
    "$(sha256 "$TM_TMP/up.dst" 2>/dev/null || echo none)"

wait_pid "$ping_pid" 40 || true
read -r gap replies < <(max_gap "$PING_LOG")
note "ping: $replies replies, longest gap $gap ms"
check "the ping continued through node $L, longest gap under 5 s" \
    test "$replies" -gt 100 -a "$gap" -lt 5000

node_start "$K" || fatal "tunmapd did not restart on node $K"
t0=$(date +%s.%N)
check "restarted, node $K is a next hop again" wait_for 30 both_paths
note "re-announced in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.1f", b - a }') s"
check "and both nodes carry UDP flows again" spread
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
rc=0
for n in A B; do
	stop_pid "${DPID[$n]}" || rc=$?
done
check "tunmapd exits with status 0 on SIGTERM on both nodes" \
    expect_eq "status" 0 "$rc"
tm_end
