#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 050-routes: the routes tunmapd installs into its tun.  At start the IPv4
# side of every EAM entry and pool6, with tunmapd's protocol (109), and
# nothing else; pings pass without a route added by hand.  A reload adds
# and removes exactly the routes of the entries that came and went, sends
# nothing when nothing changed, and leaves the operator's own routes on
# the tun alone, even one for a prefix it would route itself.
# tun.routes = false removes them on reload and installs none at start;
# on SIGTERM tunmapd removes them.  10,000 EAM entries make 10,000 routes
# (the time it took is printed).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PROTO=109
NET1=203.0.113.0/28		# an EAM prefix at start, removed by a reload
NET1_6=2001:db8:1::/124
V4_NEW=192.0.2.2		# an EAM added by a reload
V6_NEW=2001:db8::102
OP_OWN=203.0.113.128/25		# the operator's route on the tun
OP_EAM=203.0.113.64/28		# the operator's too, then an EAM prefix
OP_EAM_6=2001:db8:2::/124
BIG=10000

# conf file routes eam...: pool6 and the given "ipv4 ipv6" EAM entries.
conf() {
	local f=$1 routes=$2 sep="" e a4 a6

	shift 2
	{
		echo "tun = { name = \"$TUN\"; routes = $routes; };"
		echo "siit = {"
		echo "	pool6 = \"$POOL6\";"
		printf '\team = ('
		for e in "$@"; do
			read -r a4 a6 <<<"$e"
			printf '%s\n\t\t{ ipv4 = "%s"; ipv6 = "%s"; }' "$sep" \
			    "$a4" "$a6"
			sep=,
		done
		echo " );"
		echo "};"
	} >"$f.new"
	mv "$f.new" "$f"
}

# big_conf file n: n host entries from 198.18.0.0 (RFC 2544) up.
big_conf() {
	/usr/bin/python3 - "$1" "$2" "$POOL6" "$TUN" <<'PYEOF'
import sys
path, n, pool6, tun = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, "w") as f:
    f.write('tun = { name = "%s"; };\nsiit = {\n\tpool6 = "%s";\n\team = (\n'
            % (tun, pool6))
    for i in range(n):
        a = (198 << 24) + (18 << 16) + i
        f.write('\t\t{ ipv4 = "%d.%d.%d.%d"; ipv6 = "2001:db8:b::%x"; }%s\n'
                % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, i,
                   "," if i < n - 1 else ""))
    f.write("\t);\n};\n")
PYEOF
}

# routes4, routes6: the routes through the tun, numeric, sorted; the
# kernel's own IPv6 link-local route left out.
routes4() {
	ip -n "$NS_T" -N -4 route show dev "$TUN" | sed 's/ *$//' | sort
}

routes6() {
	ip -n "$NS_T" -N -6 route show dev "$TUN" | grep -v ' proto 2 ' |
	    sed 's/ *$//' | sort
}

# expect_routes family line...: the routes through the tun are these.
expect_routes() {
	local fam=$1 got want

	shift
	got=$("routes$fam")
	want=$(printf '%s\n' "$@" | sort)
	echo "got:"
	echo "$got"
	[ "$got" = "$want" ] || { echo "expected:"; echo "$want"; return 1; }
}

# ours: the routes of tunmapd's protocol, of both families, anywhere.
ours() {
	ip -n "$NS_T" -4 route show proto "$PROTO"
	ip -n "$NS_T" -6 route show proto "$PROTO"
}

no_routes_of_ours() {
	local r

	r=$(ours)
	echo "$r"
	[ -z "$r" ]
}

# reload n: SIGHUP, and wait for the n-th "reload: ... loaded".
reload() {
	kill -HUP "$TM_DAEMON_PID" || return 1
	wait_for 30 loaded "$1"
}

loaded() {
	[ "$(grep -c 'reload: .* loaded' "$TM_LOG")" -ge "$1" ]
}

sync_lines() {
	grep -c "tun $TUN: routes: " "$TM_LOG" || true
}

removed3() {
	grep -c "tun $TUN: routes: 0 added, 3 removed, 0 failed" "$TM_LOG" ||
	    true
}

ping_ok() {
	ping_each "$1" 2 "$2"
}

# logged pattern: the log has a line matching the pattern.
logged() {
	grep -E -- "$1" "$TM_LOG"
}

R_SERVER="$V4_SERVER proto $PROTO scope 253"
R_NET1="$NET1 proto $PROTO scope 253"
R_NEW="$V4_NEW proto $PROTO scope 253"
R_POOL6="$POOL6 proto $PROTO metric 1024 pref medium"
R_OP_OWN="$OP_OWN scope 253"
R_OP_EAM="$OP_EAM scope 253"

tm_begin 21 ping
topology_up
conf "$TM_CONF" true "$V4_SERVER $V6_SERVER" "$NET1 $NET1_6"
daemon_start
ok "tunmapd runs and $TUN is up"

check "the IPv4 routes into $TUN are the EAM IPv4 prefixes, proto $PROTO" \
    expect_routes 4 "$R_SERVER" "$R_NET1"
check "the IPv6 route into $TUN is pool6, proto $PROTO" \
    expect_routes 6 "$R_POOL6"
check "client pings $V4_SERVER through tunmapd's routes alone" \
    ping_ok "$NS_C" "$V4_SERVER"
check "server pings $V6_CLIENT through tunmapd's routes alone" \
    ping_ok "$NS_S" "$V6_CLIENT"

# The operator's own routes, one for a prefix the next file maps.
if ! ip -n "$NS_T" route add "$OP_OWN" dev "$TUN" ||
    ! ip -n "$NS_T" route add "$OP_EAM" dev "$TUN"; then
	fatal "cannot add the operator's routes"
fi
conf "$TM_CONF" true "$V4_SERVER $V6_SERVER" "$V4_NEW $V6_NEW" \
    "$OP_EAM $OP_EAM_6"
reload 1 || fatal "the reload did not happen"
check "a reload adds $V4_NEW and removes $NET1, and no other route" \
    expect_routes 4 "$R_SERVER" "$R_NEW" "$R_OP_OWN" "$R_OP_EAM"
check "the operator's route for $OP_EAM is kept, and tunmapd says so" \
    logged "route $OP_EAM dev $TUN: add: File exists"
check "the reload logged 1 route added, 1 removed" \
    logged "tun $TUN: routes: 1 added, 1 removed, 0 failed"

before=$(sync_lines)
reload 2 || fatal "the reload did not happen"
check "a reload that changes nothing sends nothing" \
    expect_eq "route change lines in the log" "$before" "$(sync_lines)"

conf "$TM_CONF" true "$V4_SERVER $V6_SERVER" "$V4_NEW $V6_NEW"
reload 3 || fatal "the reload did not happen"
check "removing the $OP_EAM entry leaves the operator's route for it" \
    expect_routes 4 "$R_SERVER" "$R_NEW" "$R_OP_OWN" "$R_OP_EAM"
check "the IPv6 route stayed through the reloads" \
    expect_routes 6 "$R_POOL6"

conf "$TM_CONF" false "$V4_SERVER $V6_SERVER" "$V4_NEW $V6_NEW"
reload 4 || fatal "the reload did not happen"
check "a reload to routes = false removes tunmapd's routes" \
    no_routes_of_ours
check "and leaves the operator's" \
    expect_routes 4 "$R_OP_OWN" "$R_OP_EAM"

conf "$TM_CONF" true "$V4_SERVER $V6_SERVER" "$V4_NEW $V6_NEW"
reload 5 || fatal "the reload did not happen"
check "a reload to routes = true puts them back" \
    expect_routes 4 "$R_SERVER" "$R_NEW" "$R_OP_OWN" "$R_OP_EAM"

removals=$(removed3)
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
check "it removed its 3 routes itself on the way out" \
    expect_eq "lines saying so" "$((removals + 1))" "$(removed3)"
check "no route of tunmapd's protocol is left" no_routes_of_ours

conf "$TM_CONF" false "$V4_SERVER $V6_SERVER"
daemon_start
check "routes = false: tunmapd installs no route" no_routes_of_ours
check "tunmapd exits with status 0 on SIGTERM" daemon_stop

big_conf "$TM_CONF" "$BIG"
t0=$(date +%s.%N)
daemon_start
t1=$(date +%s.%N)
check "$BIG EAM entries: $BIG IPv4 routes of tunmapd's" \
    expect_eq "routes" "$BIG" \
    "$(ip -n "$NS_T" -4 route show dev "$TUN" proto "$PROTO" | wc -l)"
note "start with $BIG entries: $(awk -v a="$t0" -v b="$t1" \
    'BEGIN { printf "%.2f", b - a }') s in all;" \
    "$(sed -n "s/^tun $TUN: routes: \([0-9]*\) added.* in \(.*\)/\1 routes installed in \2/p" \
    "$TM_LOG" | tail -n 1)"
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
