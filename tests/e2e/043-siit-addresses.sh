#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 043-siit-addresses: which addresses are translated.  Untranslatable
# IPv4 sources and destinations, an IPv6 source without a mapping,
# denylist4, the well-known prefix and non-global IPv4 (RFC 6052 3.1), and
# hairpinning between two IPv6 servers through their EAM addresses
# (RFC 7757 4.2), with a second server on a link of its own
# (tests/e2e/scapy/addresses.py).
#
# The translator's own kernel drops some untranslatable addresses before
# they reach the tun, as martians or out of scope, so tunmapd never counts
# them: IPv4 sources in 0.0.0.0/8 and 127.0.0.0/8 (not sent here), and
# IPv6 link-local, loopback and multicast addresses (a link-local source
# is sent, and only checked not to arrive).  The unit tests cover
# tunmapd's side of those.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

NS_S2=tm$$s2
V4_SERVER2=192.0.2.2
V6_SERVER2=2001:db8::200
V4_RESERVED=240.0.0.1
V6_NO_MAP=2001:db8::300
V6_MULTICAST_P=2001:db8:64::e000:1
WKP=64:ff9b::/96
V6_CLIENT_WKP=64:ff9b::c633:6402
# The two servers as each other sees them through pool6.
V6_SERVER_P=2001:db8:64::c000:201
V6_SERVER2_P=2001:db8:64::c000:202

a() {
	scapy_case addresses "$@"
}

# settle: waits until the drop counts stop moving; the tun's own IPv6
# start-up packets (MLD reports) count as untranslatable.  No drop line
# at all is a count too: zero reasons are not printed.
settle() {
	local before now i

	before=$(drop_lines) || return 1
	for ((i = 0; i < 10; i++)); do
		sleep 1
		now=$(drop_lines) || return 1
		[ "$now" = "$before" ] && return 0
		before=$now
	done
	return 1
}

drop_lines() {
	local s

	s=$(daemon_stats) || return 1
	echo "$s" | grep 'stats: drop' || true
}

# dropped_as reason case [arg...]: the addresses case finds that nothing
# arrives, and tunmapd counted the drop under reason.
dropped_as() {
	local reason=$1 before

	shift
	before=$(drop_count "$reason") || return 1
	a "$@" && drops_grew "$reason" "$before"
}

restart_with() {
	write_conf_with "$TM_CONF" "$1"
	daemon_restart
	settle || fatal "tunmapd's drop counts do not settle"
}

# server2_up: a second IPv6-only server, 2001:db8::200/128, on a link of
# its own to the translator, which reaches it by a host route.
server2_up() {
	netns_add "$NS_S2"
	nsctl "$NS_S2" net.ipv6.conf.all.accept_dad=0 &&
	nsctl "$NS_S2" net.ipv6.conf.default.accept_dad=0 &&
	ip -n "$NS_T" link add to-server2 type veth peer name eth0 \
	    netns "$NS_S2" &&
	ip -n "$NS_T" addr add fe80::1/64 dev to-server2 nodad &&
	ip -n "$NS_T" link set to-server2 up &&
	ip -n "$NS_S2" addr add "$V6_SERVER2/128" dev eth0 nodad &&
	ip -n "$NS_S2" link set eth0 up &&
	ip -n "$NS_S2" -6 route add default via fe80::1 dev eth0 &&
	ip -n "$NS_T" -6 route add "$V6_SERVER2/128" dev to-server2
}

write_conf_hairpin() {
	cat >"$TM_CONF" <<EOF
tun = { name = "$TUN"; mtu = 1500; };
siit = {
	pool6 = "$POOL6";
	eam = ( { ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; },
		{ ipv4 = "$V4_SERVER2"; ipv6 = "$V6_SERVER2"; } );
};
EOF
}

# ping_from ns dst: three echoes, every one answered by dst itself.
ping_from() {
	local out=$TM_TMP/ping.out

	ping_each "$1" 3 "$2" >"$out" || true
	cat "$out"
	[ "$(grep -c "bytes from $2: icmp_seq=" "$out")" -eq 3 ]
}

need_scapy
tm_begin 17 nstat ping
topology_up
server2_up || fatal "cannot set up the second server"
daemon_start
settle || fatal "tunmapd's drop counts do not settle"
ok "tunmapd runs and $TUN is up"

ip -n "$NS_T" route add "$V4_RESERVED/32" dev "$TUN" ||
    fatal "cannot route $V4_RESERVED into $TUN"
check "RFC 6890: IPv4 link-local source 169.254.1.1 is not translated (counted untranslatable)" \
    dropped_as untranslatable drop4 169.254.1.1 "$V4_SERVER"
check "RFC 6890: reserved IPv4 destination $V4_RESERVED routed into the tun is not translated (counted untranslatable)" \
    dropped_as untranslatable drop4 "$V4_CLIENT" "$V4_RESERVED"
check "RFC 6890: IPv6 destination $V6_MULTICAST_P, 224.0.0.1 in pool6, is not translated (counted untranslatable)" \
    dropped_as untranslatable drop6 "$V6_SERVER" "$V6_MULTICAST_P"
check "RFC 7915 5.1: IPv6 source $V6_NO_MAP, in no EAM and outside pool6, is not translated (counted src-unmapped)" \
    dropped_as src-unmapped drop6 "$V6_NO_MAP" "$V6_CLIENT"
check "an IPv6 link-local source does not arrive" \
    a drop6 fe80::1 "$V6_CLIENT"

restart_with '	denylist4 = [ "198.51.100.0/28" ];'
check "denylist4 198.51.100.0/28: the client's datagram is not translated (counted untranslatable)" \
    dropped_as untranslatable drop4 "$V4_CLIENT" "$V4_SERVER"
check "denylist4 198.51.100.0/28: the server's datagram to the client is not translated (counted untranslatable)" \
    dropped_as untranslatable drop6 "$V6_SERVER" "$V6_CLIENT"

POOL6=$WKP
restart_with ''
check "RFC 6052 3.1: with pool6 $WKP the documentation-range client is not translated" \
    a drop4 "$V4_CLIENT" "$V4_SERVER"
check "RFC 6052 3.1: nor is the server's datagram to $V6_CLIENT_WKP" \
    a drop6 "$V6_SERVER" "$V6_CLIENT_WKP"
restart_with '	allow-wkp-nonglobal = true;'
check "allow-wkp-nonglobal = true: the client's datagram arrives from $V6_CLIENT_WKP" \
    a pass4 "$V4_CLIENT" "$V4_SERVER" "$V6_CLIENT_WKP" "$V6_SERVER"
check "allow-wkp-nonglobal = true: the server's datagram to $V6_CLIENT_WKP arrives from $V4_SERVER" \
    a pass6 "$V6_SERVER" "$V6_CLIENT_WKP" "$V4_SERVER" "$V4_CLIENT"

POOL6=2001:db8:64::/96
write_conf_hairpin
daemon_restart
check "RFC 7757 4.2: $V6_SERVER2 -> $V6_SERVER_P reaches $V6_SERVER from $V6_SERVER2_P" \
    a hairpin-source "$V6_SERVER_P" "$V6_SERVER2_P"
check "RFC 7757 4.2: $V6_SERVER2 pings $V6_SERVER_P and every reply comes from it" \
    ping_from "$NS_S2" "$V6_SERVER_P"
check "RFC 7757 4.2: a UDP exchange of $V6_SERVER2 with $V6_SERVER_P works" \
    a hairpin-udp "$V6_SERVER_P"
check "no checksum errors at the client or the servers" \
    no_csum_errors "$NS_C" "$NS_S" "$NS_S2"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
