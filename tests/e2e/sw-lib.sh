# shellcheck shell=bash disable=SC2034 # its variables are used by the scripts
# SPDX-License-Identifier: ISC
#
# sw-lib.sh: the lwAFTR (RFC 7596) end-to-end topology, sourced by the
# tests/e2e/1xx-softwire-*.sh scripts after lib.sh, whose TAP output,
# cleanup and daemon start it uses.
#
#   inet 203.0.113.10 --- 203.0.113.1 aftr 2001:db8:a::1 --- core (bridge)
#                          tunmapd on lwaftr0,                 |  |  |
#                          BR 2001:db8:ffff::1          b4 1  b4 2  b4 3 ...
#
# Each subscriber N is three namespaces, like a home gateway cut in three:
#   swN  the lwB4: 2001:db8:a::bN on the access bridge, IPv4 default route
#        into the softwire to the BR, decapsulation of what the BR sends
#   cpeN the NAT: its own traffic and its LAN's is SNATed by nftables to
#        the binding's public address and ports of its port set
#   lanN a host on the subscriber's LAN, 198.51.100.16N/28
#
# The lwB4's IPv4 MTU is SW_B4_MTU, 1460, set on the link to the NAT: the
# NAT fragments or sends "fragmentation needed" as an ip6tnl device of
# that MTU would; the seg6 route itself would drop larger packets silently.
#
# The kernel of these machines has no ip6_tunnel, so the lwB4 is built
# from seg6 lightweight tunnels: "encap seg6 mode encap.red" with a single
# segment (the BR) adds a bare IPv6 header, next header 4, as RFC 2473
# does; a seg6local End.DX4 route decapsulates and routes by the inner
# destination.  A route with a lightweight tunnel leaves the IPv4
# POSTROUTING hook out, hence the NAT in a namespace of its own.  seg6
# cannot add the Tunnel Encapsulation Limit option; the scripts craft
# packets with it where it matters.
#
# SW_AFTR=kernel replaces tunmapd with a kernel stand-in (seg6 again, port
# sets routed by fib rules on the destination port): it validates the
# topology itself; ICMP to a shared address goes to subscriber 1 only.

TUN=lwaftr0
NS_I=sw$$i
NS_A=sw$$a
NS_K=sw$$k
NS_T=$NS_A		# where lib.sh's daemon_start runs tunmapd

BR=2001:db8:ffff::1
AFTR6=2001:db8:a::1
AFTR4=203.0.113.1
AFTR_SELF4=192.0.2.254
INET=203.0.113.10
SHARED=198.51.100.1
WHOLE=198.51.100.2
PSID_LEN=6
PSID_OFF=6
SW_B4_MTU=1460
SW_AFTR=${SW_AFTR:-tunmapd}

# Per subscriber: B4 address, public IPv4, PSID (empty: a whole address).
# Subscriber 4 is a spoofer: no binding, it claims subscriber 1's set.
declare -A SUB_B4=([1]=2001:db8:a::b1 [2]=2001:db8:a::b2 [3]=2001:db8:a::b3
    [4]=2001:db8:a::b4)
declare -A SUB_V4=([1]=$SHARED [2]=$SHARED [3]=$WHOLE [4]=$SHARED)
declare -A SUB_PSID=([1]=1 [2]=2 [3]="" [4]=1)
sw_subs=()

ns_b4() { echo "sw$$b$1"; }
ns_cpe() { echo "sw$$c$1"; }
ns_lan() { echo "sw$$l$1"; }
# lan_addr N: the LAN host of subscriber N; cpe_lan N: its gateway.
lan_addr() { echo "198.51.100.$((16 * $1 + 2))"; }
cpe_lan() { echo "198.51.100.$((16 * $1 + 1))"; }
# The link between the lwB4 and the NAT: b4 .(200+4N+1), cpe +2.
b4_link() { echo "198.51.100.$((200 + 4 * $1 + 1))"; }
cpe_link() { echo "198.51.100.$((200 + 4 * $1 + 2))"; }

# port_range N A: the 16 ports of subscriber N's set whose offset bits are
# A, as "lo-hi" (PSID length 6, offset 6: A<<10 | PSID<<4 | 0..15).
port_range() {
	local lo=$(($2 << 10 | ${SUB_PSID[$1]} << 4))

	echo "$lo-$((lo + 15))"
}

# in_port_set N port: the port belongs to subscriber N's set.
in_port_set() {
	local p=$2 k=$PSID_LEN a=$PSID_OFF

	[ -z "${SUB_PSID[$1]}" ] && return 0
	[ $((p >> (16 - a))) -ne 0 ] &&
	[ $(((p >> (16 - a - k)) & ((1 << k) - 1))) -eq "${SUB_PSID[$1]}" ]
}

# --- topology --------------------------------------------------------------

# sw_sysctl ns: DAD off (a tentative address delays the first packets),
# forwarding on, no reverse path filter, before any link is made.
sw_sysctl() {
	nsctl "$1" net.ipv6.conf.all.accept_dad=0 &&
	nsctl "$1" net.ipv6.conf.default.accept_dad=0 &&
	nsctl "$1" net.ipv4.ip_forward=1 &&
	nsctl "$1" net.ipv6.conf.all.forwarding=1 &&
	nsctl "$1" net.ipv4.conf.all.rp_filter=0 &&
	nsctl "$1" net.ipv4.conf.default.rp_filter=0
}

sw_ns() {
	netns_add "$1"
	sw_sysctl "$1" || fatal "cannot set up namespace $1"
}

# sw_topology_up [subscriber...]: the Internet, the aftr namespace (no
# AFTR yet), the access bridge and the subscribers (default 1 2).
sw_topology_up() {
	local n subs=("$@")

	[ $# -eq 0 ] && subs=(1 2)
	sw_ns "$NS_I"
	sw_ns "$NS_A"
	sw_ns "$NS_K"
	sw_core_up || fatal "cannot set up the Internet and access links"
	for n in "${subs[@]}"; do
		sw_subscriber_up "$n" || fatal "cannot set up subscriber $n"
		sw_subs+=("$n")
	done
}

sw_core_up() {
	ip -n "$NS_A" link add inet type veth peer name eth0 netns "$NS_I" &&
	ip -n "$NS_I" addr add "$INET/24" dev eth0 &&
	ip -n "$NS_I" link set eth0 up &&
	ip -n "$NS_I" route add default via "$AFTR4" &&
	ip -n "$NS_A" addr add "$AFTR4/24" dev inet &&
	ip -n "$NS_A" link set inet up &&
	ip -n "$NS_K" link add br0 type bridge mcast_snooping 0 &&
	ip -n "$NS_K" link set br0 up &&
	sw_bridge_port access "$NS_A" &&
	ip -n "$NS_A" addr add "$AFTR6/64" dev access nodad
}

# sw_bridge_port name ns: a veth from the bridge to ns, called name there.
sw_bridge_port() {
	local port="p-$2"

	ip -n "$NS_K" link add "${port:0:15}" type veth peer name "$1" \
	    netns "$2" &&
	ip -n "$NS_K" link set "${port:0:15}" master br0 up &&
	ip -n "$2" link set "$1" up
}

# sw_subscriber_up N: the lwB4, the NAT and the LAN host of subscriber N.
sw_subscriber_up() {
	local n=$1 b4 cpe lan

	b4=$(ns_b4 "$n") cpe=$(ns_cpe "$n") lan=$(ns_lan "$n")
	sw_ns "$b4" && sw_ns "$cpe" && sw_ns "$lan" &&
	sw_bridge_port eth0 "$b4" &&
	sw_b4_tunnel "$b4" "${SUB_B4[$n]}" "$BR" &&
	# lwB4 <-> NAT
	ip -n "$b4" link add cpe type veth peer name wan netns "$cpe" &&
	ip -n "$b4" addr add "$(b4_link "$n")/30" dev cpe &&
	ip -n "$b4" link set cpe mtu "$SW_B4_MTU" up &&
	ip -n "$b4" route add "${SUB_V4[$n]}/32" via "$(cpe_link "$n")" &&
	# Whatever the NAT sends goes into the softwire, even to its own
	# shared address (another port set: hairpinning).
	ip -n "$b4" rule add pref 20 iif cpe lookup 200 &&
	ip -n "$b4" route add default table 200 encap seg6 mode encap.red \
	    segs "$BR" dev eth0 &&
	ip -n "$cpe" addr add "$(cpe_link "$n")/30" dev wan &&
	sw_cpe_addr "$n" &&
	ip -n "$cpe" link set wan mtu "$SW_B4_MTU" up &&
	ip -n "$cpe" route add default via "$(b4_link "$n")" &&
	# NAT <-> LAN
	ip -n "$cpe" link add lan type veth peer name eth0 netns "$lan" &&
	ip -n "$cpe" addr add "$(cpe_lan "$n")/28" dev lan &&
	ip -n "$cpe" link set lan up &&
	ip -n "$lan" addr add "$(lan_addr "$n")/28" dev eth0 &&
	ip -n "$lan" link set eth0 up &&
	ip -n "$lan" route add default via "$(cpe_lan "$n")" &&
	sw_nat "$n"
}

# sw_cpe_addr N: a whole public address is the NAT's own, it answers
# ping; a shared one is not, so that the NAT sends packets for the other
# port sets of the address into the softwire (hairpinning).
sw_cpe_addr() {
	[ -n "${SUB_PSID[$1]}" ] && return 0
	ip -n "$(ns_cpe "$1")" addr add "${SUB_V4[$1]}/32" dev lo
}

# sw_b4_tunnel ns local remote [dev]: the softwire of an lwB4 (or a mesh
# peer) in ns: local on dev (eth0), IPv4 by default to remote in IPv6,
# IPv4-in-IPv6 to local decapsulated and routed.  local stays a plain
# address of the link (neighbour discovery, ping, ICMPv6 to it); fib
# rules before the local table send only protocol 4 to the End.DX4.
sw_b4_tunnel() {
	local ns=$1 local6=$2 remote=$3 dev=${4:-eth0}

	ip -n "$ns" addr add "$local6/64" dev "$dev" nodad &&
	ip -n "$ns" -6 route add default via "$AFTR6" dev "$dev" &&
	ip -n "$ns" sr tunsrc set "$local6" &&
	ip -n "$ns" route add default encap seg6 mode encap.red \
	    segs "$remote" dev "$dev" &&
	ip -n "$ns" -6 rule add pref 100 lookup local &&
	ip -n "$ns" -6 rule del pref 0 &&
	ip -n "$ns" -6 rule add pref 10 to "$local6/128" ipproto 4 \
	    lookup 100 &&
	ip -n "$ns" -6 route add "$local6/128" table 100 \
	    encap seg6local action End.DX4 nh4 0.0.0.0 dev "$dev" &&
	sw_defrag6 "$ns"
}

# sw_defrag6 ns: conntrack on, hence IPv6 reassembly before routing: the
# fib rule above sees protocol 4 only in a whole packet.
sw_defrag6() {
	ip netns exec "$1" nft -f - <<EOF
table ip6 defrag {
	chain pre {
		type filter hook prerouting priority -100;
		ct state invalid counter
	}
}
EOF
}

# sw_nat N: the NAT of subscriber N: TCP, UDP and ICMP echo from the LAN
# and from the NAT itself leave as SUB_V4 with ports (echo identifiers)
# of the port set, alternating between the ranges A = 1 and A = 2.
sw_nat() {
	local n=$1 nat

	if [ -z "${SUB_PSID[$n]}" ]; then
		nat="oifname \"wan\" snat ip to ${SUB_V4[$n]}"
	else
		nat="oifname \"wan\" meta l4proto { tcp, udp, icmp } numgen inc mod 2 0 snat ip to ${SUB_V4[$n]}:$(port_range "$n" 1)
		oifname \"wan\" meta l4proto { tcp, udp, icmp } snat ip to ${SUB_V4[$n]}:$(port_range "$n" 2)
		oifname \"wan\" drop"
	fi
	ip netns exec "$(ns_cpe "$n")" nft -f - <<EOF
table ip filter {
	chain forward {
		type filter hook forward priority filter;
		iifname "wan" oifname "wan" drop
	}
}
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat;
	}
	chain post {
		type nat hook postrouting priority srcnat;
		$nat
	}
}
EOF
}

# sw_port_forward N proto port lanport: the NAT of subscriber N forwards
# SUB_V4:port (proto tcp or udp) to its LAN host's lanport.
sw_port_forward() {
	ip netns exec "$(ns_cpe "$1")" nft add rule ip nat pre \
	    iifname wan ip daddr "${SUB_V4[$1]}" "$2" dport "$3" \
	    dnat to "$(lan_addr "$1"):$4"
}

# --- the AFTR ----------------------------------------------------------------

# sw_conf [bindings] [more]: tunmapd's configuration for the aftr: the
# subscribers set up so far, unless bindings (libconfig list members)
# are given, and more lines in the softwire group.
sw_conf() {
	local n b="" sep=""

	if [ -n "${1:-}" ]; then
		b=$1
	else
		for n in "${sw_subs[@]}"; do
			case " ${SW_UNBOUND:-} " in *" $n "*) continue ;; esac
			b+="$sep{ b4 = \"${SUB_B4[$n]}\"; ipv4 = \"${SUB_V4[$n]}\";"
			[ -n "${SUB_PSID[$n]}" ] &&
			    b+=" psid = ${SUB_PSID[$n]}; psid-length = $PSID_LEN;"
			b+=" }"
			sep=$',\n\t\t'
		done
	fi
	cat >"$TM_CONF" <<EOF
tun = { name = "$TUN"; mtu = 1500; };
control = { socket = "$TM_TMP/ctl.sock"; };
softwire = {
	br-address = "$BR";
	ipv4-address = "$AFTR_SELF4";
	hairpinning = true;
	ipv6-mtu = ${SW_IPV6_MTU:-1500};
	icmp-unreachable = "host";
	icmp-policy = true;
	bindings = (
		$b
	);
${2:-}
};
EOF
}

# sw_aftr_start: tunmapd (or the kernel stand-in) in the aftr namespace,
# configured by $TM_CONF, written by sw_conf unless the script wrote it.
sw_aftr_start() {
	if [ "$SW_AFTR" = kernel ]; then
		sw_kernel_aftr || fatal "cannot set up the kernel stand-in"
		return 0
	fi
	[ -f "$TM_CONF" ] || sw_conf "" ""
	daemon_start
}

# The stand-in: the BR address decapsulates; each public address, and
# each port range of a shared one, is encapsulated towards its lwB4.
sw_kernel_aftr() {
	local n t a proto

	sw_defrag6 "$NS_A" &&
	ip -n "$NS_A" sr tunsrc set "$BR" &&
	ip -n "$NS_A" -6 route add "$BR/128" encap seg6local \
	    action End.DX4 nh4 0.0.0.0 dev access || return 1
	for n in "${sw_subs[@]}"; do
		t=$((100 + n))
		ip -n "$NS_A" route add "${SUB_V4[$n]}/32" table "$t" \
		    encap seg6 mode encap.red segs "${SUB_B4[$n]}" \
		    dev access || return 1
		if [ -z "${SUB_PSID[$n]}" ] || [ "$n" = 1 ]; then
			ip -n "$NS_A" route add "${SUB_V4[$n]}/32" \
			    encap seg6 mode encap.red segs "${SUB_B4[$n]}" \
			    dev access || return 1
		fi
		[ -z "${SUB_PSID[$n]}" ] && continue
		for a in 1 2; do
			for proto in tcp udp; do
				ip -n "$NS_A" rule add pref 50 \
				    to "${SUB_V4[$n]}" ipproto "$proto" \
				    dport "$(port_range "$n" "$a")" \
				    lookup "$t" || return 1
			done
		done
	done
}

# --- traffic ---------------------------------------------------------------

SW_PY=/usr/bin/python3

# sw_write_tools: the Python servers and clients of the scripts, in TM_TMP.
#   udpecho.py port log: echoes datagrams, logs "address port length"
#   udpsend.py dst port count size: sends datagrams of size bytes one by
#     one, each until its echo arrives (3 tries); fails on a missing echo
#   tcpsink.py port log: receives TCP connections, logs
#     "address port bytes sha256" for each
sw_write_tools() {
	cat >"$TM_TMP/udpecho.py" <<'EOF'
import socket, sys

port, log = int(sys.argv[1]), open(sys.argv[2], "a")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# DF clear: large echoes may be fragmented on the way.
s.setsockopt(socket.IPPROTO_IP, 10, 0)
s.bind(("0.0.0.0", port))
while True:
    data, peer = s.recvfrom(65535)
    print(peer[0], peer[1], len(data), file=log, flush=True)
    s.sendto(data, peer)
EOF
	cat >"$TM_TMP/udpsend.py" <<'EOF'
import os, socket, sys, time

host, port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# DF clear: the datagrams may be fragmented on the way.
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
bad = 0
for i in range(count):
    payload = os.urandom(size)
    got = False
    for _ in range(3):
        s.sendto(payload, (host, port))
        end = time.monotonic() + 1
        while time.monotonic() < end and not got:
            s.settimeout(max(end - time.monotonic(), 0.01))
            try:
                data, peer = s.recvfrom(65535)
            except socket.timeout:
                break
            got = data == payload
        if got:
            break
    if not got:
        print(f"datagram {i} ({size} bytes): no echo")
        bad += 1
print(f"{count - bad} of {count} datagrams of {size} bytes echoed")
sys.exit(1 if bad else 0)
EOF
	cat >"$TM_TMP/tcpsink.py" <<'EOF'
import hashlib, socket, sys

port, log = int(sys.argv[1]), open(sys.argv[2], "a")
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(8)
while True:
    c, peer = s.accept()
    c.settimeout(60)
    h, n = hashlib.sha256(), 0
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            h.update(b)
            n += len(b)
        c.sendall(h.hexdigest().encode())
    except OSError as e:
        print("error", e, file=log, flush=True)
    c.close()
    print(peer[0], peer[1], n, h.hexdigest(), file=log, flush=True)
EOF
	cat >"$TM_TMP/tcpsend.py" <<'EOF'
import hashlib, os, socket, sys

host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = os.urandom(size)
s = socket.create_connection((host, port), timeout=30)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
back = s.recv(64).decode()
want = hashlib.sha256(data).hexdigest()
print(f"{size} bytes sent from port {s.getsockname()[1]}, sha256 {want}, "
      f"peer says {back}")
sys.exit(0 if back == want else 1)
EOF
	cat >"$TM_TMP/tcpsource.py" <<'EOF'
import hashlib, os, socket, sys

port, log = int(sys.argv[1]), open(sys.argv[2], "a")
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(8)
while True:
    c, peer = s.accept()
    c.settimeout(60)
    try:
        n = int(c.recv(32).decode())
        data = os.urandom(n)
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        c.recv(1)
    except (OSError, ValueError) as e:
        print("error", e, file=log, flush=True)
        c.close()
        continue
    c.close()
    print(peer[0], peer[1], n, hashlib.sha256(data).hexdigest(), file=log,
          flush=True)
EOF
	cat >"$TM_TMP/tcpget.py" <<'EOF'
import hashlib, socket, sys

host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection((host, port), timeout=30)
s.sendall(str(size).encode())
h, n = hashlib.sha256(), 0
while True:
    b = s.recv(65536)
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest())
sys.exit(0 if n == size else 1)
EOF
}

# sw_serve ns [udp-port] [tcp-sink-port]: UDP echo (7), a TCP sink (9)
# and a TCP source (19) in ns, for at most 600 seconds (a sanitized run of
# a whole script on a loaded machine can outlast two minutes); their logs
# are $TM_TMP/udp-<ns>, $TM_TMP/tcp-<ns> and $TM_TMP/src-<ns>.
sw_serve() {
	: >"$TM_TMP/src-$1"
	spawn "$1" "$TM_TMP/tcpsource-$1.log" timeout 600 "$SW_PY" \
	    "$TM_TMP/tcpsource.py" 19 "$TM_TMP/src-$1"
	wait_listen "$1" tcp 19 || return 1
	: >"$TM_TMP/udp-$1"
	: >"$TM_TMP/tcp-$1"
	spawn "$1" "$TM_TMP/udpecho-$1.log" timeout 600 "$SW_PY" \
	    "$TM_TMP/udpecho.py" "${2:-7}" "$TM_TMP/udp-$1"
	spawn "$1" "$TM_TMP/tcpsink-$1.log" timeout 600 "$SW_PY" \
	    "$TM_TMP/tcpsink.py" "${3:-9}" "$TM_TMP/tcp-$1"
	wait_listen "$1" udp "${2:-7}" && wait_listen "$1" tcp "${3:-9}"
}

# sw_tcp ns dst size [port]: size bytes over TCP from ns to the sink at
# dst, checked by its sha256.
sw_tcp() {
	in_ns "$1" 60 "$SW_PY" "$TM_TMP/tcpsend.py" "$2" "${4:-9}" "$3"
}

# sw_get ns dst size [srcns]: size bytes over TCP from the source at dst
# (in srcns, default the Internet) to ns,
# checked by the sha256 the source logged.
sw_get() {
	local out=$TM_TMP/get.out

	in_ns "$1" 60 "$SW_PY" "$TM_TMP/tcpget.py" "$2" 19 "$3" >"$out" ||
	    { cat "$out"; return 1; }
	cat "$out"
	wait_for 15 grep -q " $(cut -d ' ' -f 2 "$out")\$" "$TM_TMP/src-${4:-$NS_I}"
}

# sw_udp ns dst count size [port]: datagrams echoed by dst.
sw_udp() {
	in_ns "$1" 60 "$SW_PY" "$TM_TMP/udpsend.py" "$2" "${5:-7}" "$3" "$4"
}

# sw_ping ns dst [count] [size]: every echo answered.
sw_ping() {
	ping_each "$1" "${3:-3}" "$2" -s "${4:-56}"
}

# sw_no_ping ns dst: no echo answered.
sw_no_ping() {
	local out=$TM_TMP/ping.out

	in_ns "$1" 10 ping -n -c 2 -i 0.2 -W 1 "$2" >"$out"
	cat "$out"
	grep -q ' 0 received' "$out"
}

# sw_seen_from log N [count]: the server's log has at least count entries
# (default 1) from the public address of subscriber N and a port of its
# set, and none from that address and a port of no subscriber's set.
sw_seen_from() {
	local log=$1 n=$2 want=${3:-1} addr port rest m got=0 bad=0 mine

	while read -r addr port rest; do
		[ "$addr" = "${SUB_V4[$n]}" ] || continue
		mine=
		for m in "${sw_subs[@]}"; do
			[ "${SUB_V4[$m]}" = "$addr" ] &&
			    in_port_set "$m" "$port" && mine=$m
		done
		if [ -z "$mine" ]; then
			echo "port $port of $addr is in no subscriber's set"
			bad=$((bad + 1))
		elif [ "$mine" = "$n" ]; then
			got=$((got + 1))
		fi
	done <"$log"
	echo "$got entries from ${SUB_V4[$n]} in subscriber $n's port set"
	[ "$bad" -eq 0 ] && [ "$got" -ge "$want" ]
}

# link_packets ns dev: packets received + sent on dev.
link_packets() {
	ip -n "$1" -s link show "$2" | awk '
	    /RX:/ { getline; rx = $2 } /TX:/ { getline; tx = $2 }
	    END { print rx + tx }'
}

# sw_drops: every drop counter of tunmapd, "reason count" a line.
sw_drops() {
	daemon_stats | awk '$2 == "drop" { print $3, $4 }'
}

# sw_drops_total: the sum of tunmapd's drop counters.
sw_drops_total() {
	sw_drops | awk '{ n += $2 } END { print n + 0 }'
}
