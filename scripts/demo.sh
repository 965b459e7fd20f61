#!/bin/bash
# SPDX-License-Identifier: ISC
#
# demo.sh: tunmapd in one minute.  Run from the repository as root:
#
#	sudo scripts/demo.sh
#
# Installs the build dependencies (scripts/deps.sh), builds tunmapd in
# build/ (BUILDDIR overrides), then, in three network namespaces, lets an
# IPv4-only client reach a web server on an IPv6-only host through tunmapd.
# Everything it creates is removed when it ends, whatever the outcome.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$repo/build}
PY=/usr/bin/python3

bold=
plain=
if [ -t 1 ]; then
	bold=$(printf '\033[1m')
	plain=$(printf '\033[0m')
fi

step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
say() { printf '    %s\n' "$@"; }
indent() { sed 's/^/      | /'; }

die() {
	echo "demo: failed: $*" >&2
	exit 1
}

# show ns seconds command...: prints the command as a user would type it,
# then runs it, bounded, with its output indented.
show() {
	local ns=$1 secs=$2 out rc=0

	shift 2
	printf '    # ip netns exec %s %s\n' "$ns" "$*"
	out=$TM_TMP/show.out
	in_ns "$ns" "$secs" "$@" >"$out" 2>&1 || rc=$?
	indent <"$out"
	return "$rc"
}

# quietly what command...: runs a build step with its output in a log that
# is printed only if the step fails.
quietly() {
	local what=$1 log=$builddir/demo-build.log

	shift
	say "$what"
	"$@" >>"$log" 2>&1 || {
		tail -n 40 "$log" | indent
		die "$what (full log: $log)"
	}
}

in_dir() (
	cd "$1" && "${@:2}"
)

build() {
	step "Building tunmapd in ${builddir#"$repo"/}/"
	mkdir -p "$builddir"
	: >"$builddir/demo-build.log"
	if [ ! -x "$repo/configure" ]; then
		quietly "autoreconf -fi" in_dir "$repo" autoreconf -fi
	fi
	if [ ! -f "$builddir/Makefile" ]; then
		quietly "configure" in_dir "$builddir" "$repo/configure"
	fi
	quietly "make src/tunmapd" \
	    make -C "$builddir" -j "$(nproc)" src/tunmapd
}

topology() {
	step "Three network namespaces, joined by veth pairs"
	topology_up
	printf '    %-16s %s\n' \
	    "$NS_C" "IPv4 only: $V4_CLIENT/24, default route via $V4_GW" \
	    "$NS_T" "the translator node: $V4_GW/24 towards the client," \
	    "" "$V6_GW/64 towards the server, forwarding on" \
	    "$NS_S" "IPv6 only: $V6_SERVER/64, default route via $V6_GW"
	say "The client has no IPv6 and the server has no IPv4 at all."
}

translator() {
	step "tunmapd on the translator node"
	cp "$repo/etc/tunmapd.conf.example" "$TM_CONF"
	if ! grep -q "\"$POOL6\"" "$TM_CONF" || ! grep -Eq \
	    "^[^#]*ipv4 = \"$V4_SERVER\"; *ipv6 = \"$V6_SERVER\"" "$TM_CONF"
	then
		die "etc/tunmapd.conf.example no longer has pool6 $POOL6 and" \
		    "the EAM $V4_SERVER = $V6_SERVER that this demo shows"
	fi
	say "The configuration is etc/tunmapd.conf.example; its settings:"
	grep -E '^[^#]*(name|mtu|pool6|ipv4) =' "$TM_CONF" |
	    sed 's/^[[:space:]]*//; s/[[:space:]]*#.*//' | indent
	say "pool6: every IPv4 address a.b.c.d appears on the IPv6 side as" \
	    "2001:db8:64::a.b.c.d, so the client $V4_CLIENT is $V6_CLIENT." \
	    "EAM: the server $V6_SERVER is published to IPv4 as $V4_SERVER."
	"$TUNMAPD" -n -f "$TM_CONF" 2>&1 | indent
	daemon_start
	say "tunmapd opened the tun device $TUN and routed its prefixes into" \
	    "it (protocol 109).  The kernel routes packets; tunmapd only" \
	    "rewrites them:"
	show "$NS_T" 5 ip route show proto 109
	show "$NS_T" 5 ip -6 route show proto 109
	indent <"$TM_LOG"
}

web() {
	local www=$TM_TMP/www

	step "A web server on the IPv6-only server, listening on [::]:80"
	mkdir -p "$www"
	echo "Hello from $V6_SERVER, an IPv6-only web server." >"$www/index.html"
	spawn "$NS_S" "$TM_TMP/http.log" timeout 120 \
	    "$PY" -m http.server --bind :: --directory "$www" 80
	wait_listen "$NS_S" tcp 80 || die "the web server did not start"
	say "python3 -m http.server; the server has no IPv4 address."

	step "The IPv4-only client fetches http://$V4_SERVER/"
	spawn "$NS_T" "$TM_TMP/syn.cap" timeout 20 tcpdump -n -l -i "$TUN" \
	    -c 4 'tcp[13] & 2 != 0 or (ip6[6] == 6 and ip6[53] & 2 != 0)'
	local cap=$tm_lastpid
	wait_for 5 grep -q 'listening on' "$TM_TMP/syn.cap" ||
	    die "tcpdump did not start"
	show "$NS_C" 15 curl -sS --max-time 10 "http://$V4_SERVER/" ||
	    die "the client could not fetch the page"
	wait_pid "$cap" 5 || true
	say "The connection's first packets on $TUN (tcpdump):"
	sed -En 's/^[0-9:.]+ (IP6? .*Flags \[[^]]*\]).*/\1/p' "$TM_TMP/syn.cap" |
	    indent
	say "1: the client's IPv4 SYN, which the kernel routed into $TUN." \
	    "2: the same SYN as IPv6, written back by tunmapd (source from" \
	    "   pool6, destination from the EAM); the kernel forwards it to" \
	    "   the server.  3-4: the server's answer, the other way round."

	step "What the web server saw"
	grep '"GET / ' "$TM_TMP/http.log" | indent
	grep -q "^$V6_CLIENT .*\"GET / " "$TM_TMP/http.log" ||
	    die "the server log does not show $V6_CLIENT"
	say "To the server, the client is $V6_CLIENT: an ordinary IPv6" \
	    "address, which its logs, ACLs and replies can use."
}

pings() {
	step "Ping, both ways"
	show "$NS_C" 15 ping -n -c 3 -i 0.2 -W 2 "$V4_SERVER" ||
	    die "the client cannot ping $V4_SERVER"
	show "$NS_S" 15 ping -n -c 3 -i 0.2 -W 2 "$V6_CLIENT" ||
	    die "the server cannot ping $V6_CLIENT"
	say "The server can open connections to IPv4 hosts too, by their" \
	    "pool6 addresses."
}

ctl() {
	ip netns exec "$NS_T" "$builddir/src/tunmapctl" -s "$TM_TMP/ctl.sock" \
	    "$@"
}

stats() {
	local out

	step "tunmapd's counters (tunmapctl stats)"
	out=$(ctl stats) || die "no stats from tunmapd"
	echo "$out" | grep -v ' 0$' | indent
	say "in4/out6: IPv4 packets read from $TUN and the IPv6 packets" \
	    "written back; in6/out4 the other way.  Dropped packets are" \
	    "counted by reason (counters at 0 not shown); tunmapd(8) lists" \
	    "them."
	if echo "$out" | grep -q 'drop-untranslatable [1-9]'; then
		say "The untranslatable ones are the kernel's own link-local" \
		    "IPv6 packets on $TUN (multicast listener reports)."
	fi
}

# A second server address, mapped by editing the file and reloading.
reload() {
	step "A reload: map 192.0.2.2 to a second server address, 2001:db8::200"
	ip -n "$NS_S" addr add 2001:db8::200/64 dev eth0 nodad ||
	    die "cannot add 2001:db8::200 to the server"
	sed -i 's|{ ipv4 = "192.0.2.1"; ipv6 = "2001:db8::100"; }|&,\n\t\t{ ipv4 = "192.0.2.2"; ipv6 = "2001:db8::200"; }|' \
	    "$TM_CONF"
	grep -E 'ipv4 = "192.0.2.[12]"' "$TM_CONF" | indent
	say "# tunmapctl reload"
	ctl reload | indent || die "the reload was refused"
	say "(exit status 0: the file was good and its tables are in use;" \
	    "a bad file would be refused with every file:line, and the" \
	    "running tables kept)"
	say "The new tables were built off the packet path and swapped in" \
	    "between two packets; the route for 192.0.2.2 came with them:"
	show "$NS_T" 5 ip route show proto 109
	show "$NS_C" 10 ping -n -c 2 -i 0.2 -W 2 192.0.2.2 ||
	    die "192.0.2.2 does not answer"
	say "# tunmapctl lookup 192.0.2.2"
	ctl lookup 192.0.2.2 | indent
}

main() {
	[ "$(id -u)" -eq 0 ] || die "run as root: sudo scripts/demo.sh"
	step "Installing dependencies (scripts/deps.sh)"
	"$repo/scripts/deps.sh" | indent
	[ "${PIPESTATUS[0]}" -eq 0 ] || die "scripts/deps.sh"
	build

	top_srcdir=$repo top_builddir=$builddir
	# shellcheck source-path=SCRIPTDIR source=../tests/e2e/lib.sh
	. "$repo/tests/e2e/lib.sh"
	fatal() { die "$@"; }
	NS_C=demo-client NS_T=demo-translator NS_S=demo-server
	tm_init

	topology
	translator
	web
	pings
	reload
	stats
	step "Cleaning up: stopping tunmapd and the web server, deleting the" \
	    "namespaces"
}

main "$@"
