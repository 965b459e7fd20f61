#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 104-softwire-mesh: a 4over6 mesh route (softwire.routes) between two
# IPv4 islands.  Island A, 192.0.2.0/25, hangs off the aftr namespace;
# island B, 192.0.2.128/25, sits behind a peer at 2001:db8:b::1 whose own
# IPv4-in-IPv6 tunnel goes to the BR address.  Ping and TCP both ways.
#
#   island A 192.0.2.10 -- .1 aftr == access bridge == peer 2001:db8:b::1
#                                                     .129 -- 192.0.2.130
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

NS_X=sw$$x
NS_P=sw$$p
NS_Y=sw$$y
PEER6=2001:db8:b::1
HOST_A=192.0.2.10
HOST_B=192.0.2.130

islands_up() {
	sw_ns "$NS_X" && sw_ns "$NS_P" && sw_ns "$NS_Y" &&
	# island A behind the aftr
	ip -n "$NS_A" link add isla type veth peer name eth0 netns "$NS_X" &&
	ip -n "$NS_A" addr add 192.0.2.1/25 dev isla &&
	ip -n "$NS_A" link set isla up &&
	ip -n "$NS_X" addr add "$HOST_A/25" dev eth0 &&
	ip -n "$NS_X" link set eth0 up &&
	ip -n "$NS_X" route add default via 192.0.2.1 &&
	# the peer on the access bridge, its tunnel endpoint routed to it
	sw_bridge_port eth0 "$NS_P" &&
	ip -n "$NS_P" addr add 2001:db8:a::fe/64 dev eth0 nodad &&
	sw_b4_tunnel "$NS_P" "$PEER6" "$BR" &&
	ip -n "$NS_A" -6 route add 2001:db8:b::/64 via 2001:db8:a::fe &&
	# island B behind the peer; 1460: the peer's tunnel MTU
	ip -n "$NS_P" link add islb mtu 1460 type veth peer name eth0 \
	    netns "$NS_Y" &&
	ip -n "$NS_P" addr add 192.0.2.129/25 dev islb &&
	ip -n "$NS_P" link set islb up &&
	ip -n "$NS_Y" link set eth0 mtu 1460 &&
	ip -n "$NS_Y" addr add "$HOST_B/25" dev eth0 &&
	ip -n "$NS_Y" link set eth0 up &&
	ip -n "$NS_Y" route add default via 192.0.2.129
}

kernel_mesh() {
	ip -n "$NS_A" route add 192.0.2.128/25 encap seg6 mode encap.red \
	    segs "$PEER6" dev access
}

# seen log addr: the server saw a connection or datagram from addr.
seen() {
	cat "$2"
	grep -q "^$1 " "$2"
}

tm_begin 9 nft ss ping
sw_topology_up 1
islands_up || fatal "cannot set up the islands"
sw_write_tools
sw_conf "" "	routes = ( { prefix = \"192.0.2.128/25\"; remote = \"$PEER6\"; } );"
sw_aftr_start
[ "$SW_AFTR" = kernel ] && { kernel_mesh || fatal "cannot route the mesh"; }
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$NS_X" || fatal "island A's server did not start"
sw_serve "$NS_Y" || fatal "island B's server did not start"

check "island A pings island B" sw_ping "$NS_X" "$HOST_B"
check "island B pings island A" sw_ping "$NS_Y" "$HOST_A"
check "island A -> island B: 4 MiB over TCP, sha256 matches" \
    sw_tcp "$NS_X" "$HOST_B" $((4 * 1024 * 1024))
check "island B -> island A: 4 MiB over TCP, sha256 matches" \
    sw_tcp "$NS_Y" "$HOST_A" $((4 * 1024 * 1024))
check "island B's server saw $HOST_A" seen "$HOST_A" "$TM_TMP/tcp-$NS_Y"
check "island A's server saw $HOST_B" seen "$HOST_B" "$TM_TMP/tcp-$NS_X"
check "UDP both ways" eval "sw_udp $NS_X $HOST_B 5 1000 && sw_udp $NS_Y $HOST_A 5 1000"
if [ "$SW_AFTR" = kernel ]; then
	ok "# SKIP tunmapd not running"
else
	check "tunmapd exits with status 0 on SIGTERM" daemon_stop
fi
tm_end
