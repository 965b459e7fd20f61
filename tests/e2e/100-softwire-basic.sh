#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 100-softwire-basic: two lwB4s sharing 198.51.100.1 (PSID 1 and 2 of
# length 6) and a third with the whole 198.51.100.2 reach an IPv4 server
# on the Internet side through the lwAFTR: TCP (4 MiB, content checked),
# UDP and ping from each LAN.  The server sees the public address and
# source ports of each subscriber's own port set.  A packet from lwB4 2
# with a Tunnel Encapsulation Limit option (as a default ip6tnl sends)
# goes through too.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

SIZE=$((4 * 1024 * 1024))

# tel_udp: a UDP datagram from lwB4 2's port set, sent by scapy in its
# lwB4 namespace with a Destination Options header holding a Tunnel
# Encapsulation Limit of 4 before the IPv4 packet.
tel_udp() {
	cat >"$TM_TMP/tel.py" <<'EOF'
import sys
from scapy.all import IPv6, IPv6ExtHdrDestOpt, HBHOptUnknown, PadN, IP, UDP, send
b4, br, src4, dst4, ports = sys.argv[1:6]
sport = int(ports.split("-")[0]) + 5
opt = IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=4, optdata=b"\x04"),
                                 PadN(optdata=b"\x00")])
p = IPv6(src=b4, dst=br) / opt / IP(src=src4, dst=dst4) / \
    UDP(sport=sport, dport=7) / b"encapsulation limit"
send(p, verbose=False)
print("sent from port", sport)
EOF
	in_ns "$(ns_b4 2)" 20 "$SW_PY" "$TM_TMP/tel.py" "${SUB_B4[2]}" "$BR" \
	    "$SHARED" "$INET" "$(port_range 2 3)"
}

tel_seen() {
	local p

	p=$(port_range 2 3)
	wait_for 15 grep -q "^$SHARED $((${p%-*} + 5)) 19\$" "$TM_TMP/udp-$NS_I"
}

need_scapy
tm_begin 19 ping nft ss
sw_topology_up 1 2 3
sw_write_tools
sw_aftr_start
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$NS_I" || fatal "the Internet server did not start"

for n in 1 2 3; do
	check "subscriber $n: 4 MiB over TCP, sha256 matches" \
	    sw_tcp "$(ns_lan "$n")" "$INET" "$SIZE"
	check "subscriber $n: 20 UDP datagrams echoed" \
	    sw_udp "$(ns_lan "$n")" "$INET" 20 1000
	if [ "$SW_AFTR" = kernel ] && [ "$n" = 2 ]; then
		ok "# SKIP the stand-in sends echo replies to subscriber 1"
	else
		check "subscriber $n: ping" sw_ping "$(ns_lan "$n")" "$INET"
	fi
done
# Several connections, so that both port ranges of each set show up.
for n in 1 2 3; do
	for i in 1 2 3; do
		sw_tcp "$(ns_lan "$n")" "$INET" 1000 >/dev/null 2>&1 || true
	done
done
for n in 1 2 3; do
	check "subscriber $n: TCP seen from ${SUB_V4[$n]} and its ports" \
	    sw_seen_from "$TM_TMP/tcp-$NS_I" "$n" 2
	check "subscriber $n: UDP seen from ${SUB_V4[$n]} and its ports" \
	    sw_seen_from "$TM_TMP/udp-$NS_I" "$n" 20
done
check "lwB4 2: a packet with a Tunnel Encapsulation Limit option" tel_udp
check "... reaches the server" tel_seen
if [ "$SW_AFTR" = kernel ]; then
	ok "# SKIP tunmapd not running"
else
	check "tunmapd exits with status 0 on SIGTERM" daemon_stop
fi
tm_end
