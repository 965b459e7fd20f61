#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 103-softwire-mtu: an ipv6-mtu of 1300 towards the lwB4s while the
# Internet side sends 1500-byte packets.  TCP to a subscriber completes by
# Path MTU discovery (the lwAFTR answers "fragmentation needed", MTU 1260,
# and the server's route learns it); large UDP echoes with DF clear reach
# the LAN in fragments; and the other way, an lwB4 that cuts its
# IPv4-in-IPv6 packet into IPv6 fragments is reassembled by the lwAFTR.
# So are IPv4 fragments from the shared address, each tunnelled on its
# own (a LAN host's large datagram cut on its way by the NAT): put
# together, they pass the ingress filter as one datagram; with a port
# of another subscriber's set, they do not.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

SW_IPV6_MTU=1300

# frag_send size sport: one UDP datagram of size bytes from subscriber 1's
# address and sport, in one IPv4 packet, in IPv6 fragments of 1280 bytes
# at most (scapy in lwB4 1: the seg6 lwB4 does not fragment).
frag_send() {
	cat >"$TM_TMP/frag.py" <<'EOF'
import os, sys
from scapy.all import IPv6, IPv6ExtHdrFragment, IP, UDP, fragment6, send
b4, br, src4, dst4, size, sport = sys.argv[1:7]
p = IPv6(src=b4, dst=br) / IPv6ExtHdrFragment(id=0x5e1f) / \
    IP(src=src4, dst=dst4, flags=0) / UDP(sport=int(sport), dport=7) / \
    os.urandom(int(size))
frags = fragment6(p, 1280)
send(frags, verbose=False)
print(len(frags), "fragments of at most 1280 bytes:",
      [len(f) for f in frags])
EOF
	in_ns "$(ns_b4 1)" 20 "$SW_PY" "$TM_TMP/frag.py" "${SUB_B4[1]}" "$BR" \
	    "$SHARED" "$INET" "$1" "$2"
}

# inner_frag_send size sport: one UDP datagram of size bytes from
# subscriber 1's address and sport, cut into IPv4 fragments of 1232 bytes
# as a NAT would, each in an IPv6 packet of its own, the last first.
inner_frag_send() {
	cat >"$TM_TMP/ifrag.py" <<'EOF'
import os, sys
from scapy.all import IPv6, IP, UDP, fragment, send
b4, br, src4, dst4, size, sport = sys.argv[1:7]
p = IP(src=src4, dst=dst4, flags=0, id=int(sport)) / \
    UDP(sport=int(sport), dport=7) / os.urandom(int(size))
frags = fragment(p, 1232)
send([IPv6(src=b4, dst=br) / f for f in reversed(frags)], verbose=False)
print(len(frags), "IPv4 fragments:", [len(f) for f in frags])
EOF
	in_ns "$(ns_b4 1)" 20 "$SW_PY" "$TM_TMP/ifrag.py" "${SUB_B4[1]}" \
	    "$BR" "$SHARED" "$INET" "$1" "$2"
}

# inner_frag_spoofed size sport: the same with a port that is not
# subscriber 1's; the server gets nothing.
inner_frag_spoofed() {
	inner_frag_send "$1" "$2" || return 1
	sleep 1
	! grep "^$SHARED $2 " "$TM_TMP/udp-$NS_I"
}

frag_seen() {
	wait_for 15 grep -q "^$SHARED $2 $1\$" "$TM_TMP/udp-$NS_I" || {
		cat "$TM_TMP/udp-$NS_I"
		return 1
	}
}

# pmtu_learnt: the server's route to the shared address has MTU 1260.
pmtu_learnt() {
	local r

	r=$(ip -n "$NS_I" route get "$SHARED")
	echo "$r"
	echo "$r" | grep -q 'mtu 1260'
}

kernel_skip() {
	[ "$SW_AFTR" = kernel ] || return 1
	ok "# SKIP the kernel stand-in has no MTU handling"
}

need_scapy
tm_begin 11 nft ss
sw_topology_up 1
sw_write_tools
sw_aftr_start
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$NS_I" || fatal "the Internet server did not start"

kernel_skip || check "4 MiB over TCP from the server, sha256 matches" \
    sw_get "$(ns_lan 1)" "$INET" $((4 * 1024 * 1024))
kernel_skip || check "the server learnt a path MTU of 1260" pmtu_learnt
kernel_skip || check "UDP echoes of 1400 bytes, DF clear, arrive" \
    sw_udp "$(ns_lan 1)" "$INET" 10 1400
r=$(port_range 1 7)
check "lwB4 1 sends 3000 bytes of UDP in IPv6 fragments" \
    frag_send 3000 "${r%-*}"
check "... reassembled: the server got the datagram" \
    frag_seen 3000 "${r%-*}"
kernel_skip || check "lwB4 1 tunnels 3000 bytes of UDP in IPv4 fragments" \
    inner_frag_send 3000 $((${r%-*} + 1))
kernel_skip || check "... put together: the server got the datagram" \
    frag_seen 3000 $((${r%-*} + 1))
r2=$(port_range 2 7)
kernel_skip || check "... with a port of subscriber 2's set: refused" \
    inner_frag_spoofed 3000 "${r2%-*}"
kernel_skip || check "a LAN host's 3000-byte UDP datagrams, cut by the NAT, echoed" \
    sw_udp "$(ns_lan 1)" "$INET" 3 3000
if [ "$SW_AFTR" = kernel ]; then
	ok "# SKIP tunmapd not running"
else
	check "tunmapd exits with status 0 on SIGTERM" daemon_stop
fi
tm_end
