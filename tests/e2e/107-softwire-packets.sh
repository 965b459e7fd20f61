#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 107-softwire-packets: the lwAFTR's packets field by field, as a
# conformance test would see them (RFC 7596, RFC 7597, RFC 2473,
# RFC 6040).  Packets are crafted with scapy (tests/e2e/scapy/softwire.py)
# on the Internet host and on a probe on the access link that holds every
# lwB4 address, and what comes out on the other side is taken apart: the
# outer IPv6 header, the inner TTL and checksums, the ICMPv4 errors for
# an unbound port and an unbound address, the ICMPv6 1/5 to a spoofer
# and to a lwB4 that uses the wrong BR address, echo to shared and whole
# addresses, GRE to shared and whole addresses, ECN marks, hairpinning,
# IPv4 fragments from lwB4s (put together when from a shared address),
# and ICMPv6 errors relayed as ICMPv4.  Then the drop counters.
#
# The probe's and the Internet host's kernels are told to drop what
# reaches them (after scapy has seen it), so that they answer nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=sw-lib.sh
. "$(dirname "$0")/sw-lib.sh"

NS_P=sw$$p
BR2=2001:db8:ffff::2
NOBODY=198.51.100.3

s() {
	NS_T=$NS_A TM_NS_I=$NS_I TM_NS_P=$NS_P scapy_case softwire "$@"
}

# The Internet host and the probe, silent; the aftr, its links.
topology() {
	local a

	sw_ns "$NS_I"
	sw_ns "$NS_A"
	sw_ns "$NS_K"
	sw_ns "$NS_P"
	sw_core_up || return 1
	sw_bridge_port eth0 "$NS_P" || return 1
	for a in b1 b2 b3 b9 99; do
		ip -n "$NS_P" addr add "2001:db8:a::$a/64" dev eth0 nodad ||
		    return 1
	done
	ip netns exec "$NS_I" nft -f - <<EOT || return 1
table ip quiet {
	chain pre {
		type filter hook prerouting priority -300; policy drop;
	}
}
EOT
	# Neighbour discovery stays; the rest is scapy's alone.
	ip netns exec "$NS_P" nft -f - <<EOT
table ip6 quiet {
	chain pre {
		type filter hook prerouting priority -300;
		meta l4proto != ipv6-icmp drop
		icmpv6 type { destination-unreachable, packet-too-big,
		    time-exceeded, parameter-problem, echo-request,
		    echo-reply } drop
	}
}
EOT
}

conf() {
	sw_conf "{ b4 = \"2001:db8:a::b1\"; ipv4 = \"$SHARED\"; psid = 1; psid-length = 6; },
		{ b4 = \"2001:db8:a::b2\"; ipv4 = \"$SHARED\"; psid = 2; psid-length = 6; br = \"$BR2\"; },
		{ b4 = \"2001:db8:a::b3\"; ipv4 = \"$WHOLE\"; }" \
	    '	hop-limit = 50;'
}

counted() {
	drops_grew "$1" 0 "$2"
}

# none reason: no drop for that reason was counted.
none() {
	local n

	n=$(drop_count "$1") || return 1
	echo "drop $1: $n"
	[ "$n" -eq 0 ]
}

# reassembled n: n packets were put together from their fragments.
reassembled() {
	local n

	n=$(daemon_stats | awk '$2 == "reassembly-reassembled" { n = $3 }
	    END { print n + 0 }') || return 1
	echo "reassembled: $n"
	[ "$n" -eq "$1" ]
}

[ "$SW_AFTR" = kernel ] && skip_all "the kernel stand-in is not under test"
need_scapy
tm_begin 36 nft
topology || fatal "cannot set up the namespaces"
conf
sw_aftr_start
ip -n "$NS_A" route add "$NOBODY/32" dev "$TUN" ||
    fatal "cannot route $NOBODY into $TUN"
ok "the lwAFTR runs"

check "RFC 7596 5.2: UDP to PSID 1's port: outer header, TTL, TOS" s in-shared
check "... PSID 2's port, bound through the second BR: from it" \
    s in-shared-br2
check "RFC 7596 5.2: a port of an unbound set: ICMPv4 3/1 from ipv4-address" \
    s unbound-port
check "RFC 7597 5.1: port 80 of a shared address (offset 6): ICMPv4 3/1" \
    s low-port
check "RFC 7596 5.2: an address bound to no one: ICMPv4 3/1" s no-binding
check "GRE to an address bound whole: tunnelled" s gre-whole
check "GRE to a shared address: no port, ICMPv4 3/1, not tunnelled" \
    s gre-shared
check "RFC 7596 8.1: echo request to a shared address: dropped" \
    s echo-shared
check "echo request to an address bound whole: tunnelled to its lwB4" \
    s echo-whole
check "RFC 7596 8.1: echo reply to a shared address: by its identifier" \
    s echo-reply-shared
check "echo request to ipv4-address: answered from it" s echo-self
check "ICMPv4 error to a shared address: by its quote's source port" \
    s error-in
check "RFC 7596 5.1: decapsulated: TTL less one hop, TOS, payload" s out-ok
check "RFC 6040 4.2: outer CE marks ECT(0) CE, drops Not-ECT" s ecn-ce
check "RFC 7596 5.1: a spoofer gets ICMPv6 1/5 from the BR address" s spoof
check "RFC 7596 5.1: the wrong BR address: ICMPv6 1/5, dropped" s wrong-br
check "RFC 7596 6.2: hairpinned to PSID 2: from BR2, TTL less one" \
    s hairpin
check "inner TTL 1: the time exceeded comes back through the softwire" \
    s ttl-one
check "inner Total Length past the end: dropped" s truncated
check "RFC 7597 8.3.3: IPv4 fragments from a whole address go on, shared whole" \
    s inner-frags
check "... from a shared address with another lwB4's port: ICMPv6 1/5" \
    s inner-frags-spoofed
check "ICMPv6 echo to the BR address: answered from it" s echo-br
check "RFC 2473 8.3: Packet Too Big 1400 relayed as ICMPv4 3/4 MTU 1360" \
    s relay-ptb
check "RFC 8201 4: Packet Too Big 1000 is not relayed" s relay-ptb-lie
check "RFC 2473 8.2: Time Exceeded relayed as ICMPv4 3/1" s relay-time

check "counted: shared-echo" counted shared-echo 1
check "counted: no-binding, 4 of them" counted no-binding 4
check "counted: ingress-filter, spoofer, wrong BR, spoofed fragments" \
    counted ingress-filter 3
check "counted: ecn" counted ecn 1
check "counted: truncated" counted truncated 1
check "counted: unreassembled, none" none unreassembled
check "counted: reassembly-reassembled, the 3 from shared addresses" \
    reassembled 3
check "counted: icmp-relayed, 2" counted icmp-relayed 2
check "counted: icmp-type, the Packet Too Big below 1280" counted icmp-type 1
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
