#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 106-softwire-node: what the lwAFTR node itself does.  Its own IPv4
# address answers ping from the Internet and from a subscriber, its BR
# address answers ping from a lwB4; it routes its prefixes into the tun;
# it logs each binding once as it appears and as it goes, with the port
# ranges and the time, at start and on reload.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

routes_in() {
	local r

	r=$(ip -n "$NS_A" route show proto 109; ip -n "$NS_A" -6 route show \
	    proto 109)
	echo "$r"
	echo "$r" | grep -q "^$SHARED dev $TUN" &&
	    echo "$r" | grep -q "^$AFTR_SELF4 dev $TUN" &&
	    echo "$r" | grep -q "^$BR dev $TUN"
}

ping_br() {
	ping_each "$(ns_b4 1)" 3 "$BR" -6
}

# logged_binding added|removed N: one line for subscriber N's binding,
# with its port ranges and a time.
logged_binding() {
	local lines

	lines=$(grep "binding $1: b4 ${SUB_B4[$2]} ipv4 ${SUB_V4[$2]}" \
	    "$TM_LOG") || return 1
	echo "$lines"
	[ "$(echo "$lines" | wc -l)" -eq 1 ] &&
	    echo "$lines" | grep -q "psid ${SUB_PSID[$2]}/$PSID_LEN" &&
	    echo "$lines" | grep -q "ports $(port_range "$2" 1),$(port_range \
	    "$2" 2)," &&
	    echo "$lines" | grep -Eq ' at 20[0-9]{2}-[0-9]{2}-[0-9]{2}T'
}

# Reload without subscriber 2: its binding goes, subscriber 1's stays.
reload_without_2() {
	SW_UNBOUND=2 sw_conf "" ""
	kill -HUP "$TM_DAEMON_PID"
	wait_for 30 grep -q 'reload: .* loaded' "$TM_LOG"
}

tm_begin 10 nft ping
sw_topology_up 1 2
sw_aftr_start
ok "tunmapd runs the softwire on $TUN"
check "its prefixes are routed into $TUN" routes_in
check "the Internet pings the node's IPv4 address $AFTR_SELF4" \
    sw_ping "$NS_I" "$AFTR_SELF4"
check "subscriber 1 pings $AFTR_SELF4 through its softwire" \
    sw_ping "$(ns_lan 1)" "$AFTR_SELF4"
check "lwB4 1 pings the BR address $BR" ping_br
check "subscriber 1's binding logged once, with its ports and time" \
    logged_binding added 1
check "subscriber 2's binding logged once" logged_binding added 2
check "a reload drops subscriber 2's binding" reload_without_2
check "... and logs it as removed, once" logged_binding removed 2
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
