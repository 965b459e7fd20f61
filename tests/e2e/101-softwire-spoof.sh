#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 101-softwire-spoof: the lwAFTR's ingress filter (RFC 7596 5.2).  A
# fourth lwB4 without a binding sends as subscriber 1 (its address and
# port set); lwB4 2 sends from subscriber 1's ports and from an address
# bound to nobody.  All are dropped and counted as ingress-filter drops,
# the unbound lwB4 gets ICMPv6 "source address failed ingress/egress
# policy" (type 1 code 5), and subscribers 1 and 2 carry on unharmed.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

# spoof b4ns b4addr src4 sport: one UDP datagram to the server's port 7
# carried by a softwire from b4addr, made by scapy in b4ns.
spoof() {
	in_ns "$1" 20 "$SW_PY" "$TM_TMP/spoof.py" "$2" "$BR" "$3" "$INET" "$4"
}

write_spoof() {
	cat >"$TM_TMP/spoof.py" <<'EOF'
import sys
from scapy.all import IPv6, IP, UDP, send
b4, br, src4, dst4, sport = sys.argv[1:6]
send(IPv6(src=b4, dst=br) / IP(src=src4, dst=dst4) /
     UDP(sport=int(sport), dport=7) / b"spoofed", count=3, inter=0.1,
     verbose=False)
EOF
}

fails() {
	! "$@"
}

# not_seen port: the server got nothing from that source port.
not_seen() {
	sleep 1
	! grep " $1 " "$TM_TMP/udp-$NS_I"
}

ingress_grew() {
	drops_grew ingress-filter "$1" "${2:-1}"
}

# policy_capture: ICMPv6 type 1 code 5 to the spoofer, seen in its lwB4.
policy_capture() {
	spawn "$(ns_b4 4)" "$TM_TMP/cap-policy" timeout 30 tcpdump -n -l \
	    -i eth0 -c 1 "icmp6 and ip6[40] == 1 and ip6[41] == 5"
	cap_pid=$tm_lastpid
	wait_for 15 grep -q 'listening on' "$TM_TMP/cap-policy"
}

policy_seen() {
	wait_pid "$cap_pid" 15
	cat "$TM_TMP/cap-policy"
	grep -q "> ${SUB_B4[4]}: ICMP6, destination unreachable" \
	    "$TM_TMP/cap-policy"
}

[ "$SW_AFTR" = kernel ] && skip_all "the kernel stand-in has no ingress filter"
need_scapy
tm_begin 13 nft ss tcpdump
SW_UNBOUND=4
sw_topology_up 1 2 4
sw_write_tools
write_spoof
sw_aftr_start
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$NS_I" || fatal "the Internet server did not start"

policy_capture || fatal "tcpdump did not start"
before=$(drop_count ingress-filter)
check "unbound lwB4 4: UDP as subscriber 1 gets no echo" \
    fails sw_udp "$(ns_lan 4)" "$INET" 1 100
check "unbound lwB4 4: TCP as subscriber 1 does not connect" \
    fails in_ns "$(ns_lan 4)" 5 "$SW_PY" "$TM_TMP/tcpsend.py" "$INET" 9 1000
check "... counted as ingress-filter drops" ingress_grew "$before" 4
check "... and answered with ICMPv6 1/5 (icmp-policy)" policy_seen

r=$(port_range 1 5)
before=$(drop_count ingress-filter)
check "lwB4 2 sends from subscriber 1's port ${r%-*}" \
    spoof "$(ns_b4 2)" "${SUB_B4[2]}" "$SHARED" "${r%-*}"
check "... which does not reach the server" not_seen "${r%-*}"
check "... and is counted" ingress_grew "$before" 3
before=$(drop_count ingress-filter)
check "lwB4 2 sends from 198.51.100.9, bound to nobody" \
    spoof "$(ns_b4 2)" "${SUB_B4[2]}" 198.51.100.9 1100
check "... which is counted" ingress_grew "$before" 3

for n in 1 2; do
	check "subscriber $n still carries TCP and UDP" \
	    eval "sw_tcp $(ns_lan "$n") $INET 100000 && sw_udp $(ns_lan "$n") $INET 5 500"
done
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
