#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 102-softwire-hairpin: subscriber 1 reaches a server on subscriber 2's
# LAN, port-forwarded by subscriber 2's NAT from 198.51.100.1 and a port of
# its set: TCP and UDP from one port set of the shared address to another.
# The lwAFTR sends the packets straight back into the softwire
# (hairpinning, RFC 7596 6.3): nothing appears on its Internet side.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

# inet_capture: every packet to or from the public addresses on the aftr's
# Internet link.
inet_capture() {
	spawn "$NS_A" "$TM_TMP/cap-inet" timeout 60 tcpdump -n -l -i inet \
	    "net 198.51.100.0/24"
	cap_pid=$tm_lastpid
	wait_for 15 grep -q 'listening on' "$TM_TMP/cap-inet"
}

inet_quiet() {
	local n

	sleep 0.5
	stop_pid "$cap_pid"
	n=$(grep -c ' IP ' "$TM_TMP/cap-inet" || true)
	echo "$n packets of the public addresses on the aftr's Internet link;" \
	    "link packets $1 before, $(link_packets "$NS_A" inet) after"
	cat "$TM_TMP/cap-inet"
	[ "$n" -eq 0 ]
}

tm_begin 7 nft ss tcpdump
sw_topology_up 1 2
sw_write_tools
r=$(port_range 2 1)
FWD=$((${r%-*} + 3))
if ! sw_port_forward 2 tcp "$FWD" 9 || ! sw_port_forward 2 udp "$FWD" 7; then
	fatal "cannot set up the port forwarding"
fi
sw_aftr_start
ok "the lwAFTR ($SW_AFTR) runs"
sw_serve "$(ns_lan 2)" || fatal "the LAN server did not start"

inet_capture || fatal "tcpdump did not start"
before=$(link_packets "$NS_A" inet)
check "subscriber 1 -> $SHARED:$FWD (subscriber 2's LAN): 1 MiB TCP" \
    sw_tcp "$(ns_lan 1)" "$SHARED" $((1024 * 1024)) "$FWD"
check "subscriber 1 -> $SHARED:$FWD: 10 UDP datagrams echoed" \
    sw_udp "$(ns_lan 1)" "$SHARED" 10 800 "$FWD"
check "subscriber 2's server saw subscriber 1's ports (TCP)" \
    sw_seen_from "$TM_TMP/tcp-$(ns_lan 2)" 1
check "subscriber 2's server saw subscriber 1's ports (UDP)" \
    sw_seen_from "$TM_TMP/udp-$(ns_lan 2)" 1 10
check "nothing went out to the Internet side" inet_quiet "$before"
if [ "$SW_AFTR" = kernel ]; then
	ok "# SKIP tunmapd not running"
else
	check "tunmapd exits with status 0 on SIGTERM" daemon_stop
fi
tm_end
