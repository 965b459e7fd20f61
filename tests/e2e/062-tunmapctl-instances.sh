#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 062-tunmapctl-instances: the control socket of a daemon with two
# instances, the SIIT translator of lib.sh on $TUN and an lwAFTR on a
# second tun with inline bindings (it needs no traffic).  status lists
# both, stats -i and stats --all give each instance's counters, show
# bindings pages the bindings in text and JSON, lookup finds the binding
# of an address and port, says why an unbound port or address has none
# and lists the bindings of a lwB4; -i with an unknown tun, and each
# "show" on the other mode, are clear errors.  The metrics of both
# instances pass the strict parser of 061-metrics.sh.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
LW=lw$$
BR=2001:db8:ffff::1
B4_1=2001:db8:a::b1
B4_2=2001:db8:a::b2
B4_3=2001:db8:a::b3
SHARED=203.0.113.1
WHOLE=203.0.113.2
OWN=203.0.113.254
PORT=9647

ctl() {
	"$CTL" -s "$TM_TMP/ctl.sock" "$@"
}

# field key: the value of "key value" lines on stdin.
field() {
	awk -v k="$1" '$1 == k { sub(/^[^ ]* /, ""); print; exit }'
}

conf_two() {
	cat >"$TM_CONF" <<EOF
control = { socket = "$TM_TMP/ctl.sock"; };
metrics = { listen = "127.0.0.1:$PORT"; };
instances = (
	{
		tun = { name = "$TUN"; mtu = 1500; routes = false;$(tm_offload) };
		siit = {
			pool6 = "$POOL6";
			eam = ( { ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; } );
		};
	},
	{
		tun = { name = "$LW"; mtu = 1460; routes = false; queues = 2; };
		softwire = {
			br-address = "$BR";
			ipv4-address = "$OWN";
			bindings = (
				{ b4 = "$B4_1"; ipv4 = "$SHARED"; psid = 1; psid-length = 6; },
				{ b4 = "$B4_2"; ipv4 = "$SHARED"; psid = 2; psid-length = 6; },
				{ b4 = "$B4_3"; ipv4 = "$WHOLE"; }
			);
			routes = ( { prefix = "192.0.2.128/25"; remote = "2001:db8:b::1"; } );
		};
	}
);
EOF
}

status_text() {
	local s

	s=$(ctl status) || return 1
	echo "$s"
	expect_eq tun "$TUN" "$(echo "$s" | field tun)" &&
	expect_eq eam-entries 1 "$(echo "$s" | field eam-entries)" &&
	expect_eq "instances" "$TUN $LW" \
	    "$(echo "$s" | awk '$1 == "instance" { printf "%s%s", n++ ? " " : "", $2 }')" &&
	echo "$s" | grep -qx "	mode softwire" &&
	echo "$s" | grep -qx "	bindings 3" &&
	echo "$s" | grep -qx "	br-address $BR" &&
	echo "$s" | grep -qx "	ipv4-address $OWN" &&
	echo "$s" | grep -qx "	queues 2"
}

status_json() {
	ctl -j status >"$TM_TMP/status.json" || return 1
	"$PY" - "$TM_TMP/status.json" "$TUN" "$LW" "$BR" "$OWN" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(d, indent=1))
i = d["instances"]
siit, lw = i[0], i[1]
ok = (d["tun"] == sys.argv[2] and [x["tun"] for x in i] == sys.argv[2:4]
    and siit["mode"] == "siit" and siit["eam-entries"] == 1
    and siit["pool6"] == "2001:db8:64::/96" and siit["queues"] == 1
    and isinstance(siit["offload"], bool)
    and lw["mode"] == "softwire" and lw["mtu"] == 1460
    and lw["queues"] == 2 and lw["bindings"] == 3 and lw["routes"] == 1
    and lw["br-address"] == sys.argv[4] and lw["ipv4-address"] == sys.argv[5]
    and (lw["offloads"] is None) == (not lw["offload"]))
sys.exit(not ok)
EOF
}

# status -i: the fields of old describe the instance named.
status_selected() {
	local s

	s=$(ctl -i "$LW" status) || return 1
	echo "$s" | head -n 12
	expect_eq tun "$LW" "$(echo "$s" | field tun)" &&
	expect_eq mtu 1460 "$(echo "$s" | field mtu)" &&
	expect_eq eam-entries 0 "$(echo "$s" | field eam-entries)"
}

# stats -i tun: every counter once, in order, reassembly included.
stats_of() {
	ctl -i "$1" stats >"$TM_TMP/stats.txt" &&
	    ctl -j -i "$1" stats >"$TM_TMP/stats.json" || return 1
	"$PY" - "$TM_TMP/stats.txt" "$TM_TMP/stats.json" \
	    "$top_srcdir/src/stats.h" "$top_srcdir/src/reasm.h" <<'EOF'
import json, re, sys
text = [l.split() for l in open(sys.argv[1])]
js = json.load(open(sys.argv[2]))
h = open(sys.argv[3]).read() + open(sys.argv[4]).read()
body = lambda m: h[h.index("#define " + m + "("):].split("\n\n")[0]
names = lambda m: re.findall(r'X\([A-Z0-9_]+, "([^"]+)"', body(m))
want = names("STATS_TRAFFIC") + ["drop-" + d for d in names("DROP_REASONS")]
want += ["reassembly-" + r for r in names("REASM_REASONS")]
got = [t[0] for t in text]
print(len(got), "counters,", len(want), "in stats.h and reasm.h")
sys.exit(not (got == want and list(js) == want and
    all(len(t) == 2 and t[1].isdigit() for t in text)))
EOF
}

stats_all() {
	local n

	ctl stats --all >"$TM_TMP/all.txt" &&
	    ctl -j stats --all >"$TM_TMP/all.json" || return 1
	n=$(ctl stats | wc -l)
	"$PY" - "$TM_TMP/all.txt" "$TM_TMP/all.json" "$n" "$TUN" "$LW" <<'EOF'
import json, sys
text = open(sys.argv[1]).read().splitlines()
js = json.load(open(sys.argv[2]))
n = int(sys.argv[3])
heads = [l.split()[1] for l in text if l.startswith("instance ")]
members = [l for l in text if l.startswith("\t")]
tuns = [i["tun"] for i in js["instances"]]
print(heads, tuns, len(members), "counter lines")
sys.exit(not (heads == sys.argv[4:6] and tuns == heads and
    len(members) == 2 * n and
    all(len(i) == n + 1 for i in js["instances"])))
EOF
}

bindings_text() {
	local got

	got=$(ctl -i "$LW" show bindings) || return 1
	echo "$got"
	expect_eq "lines" 3 "$(echo "$got" | wc -l)" &&
	echo "$got" | grep -qx "b4 $B4_1 ipv4 $SHARED psid 1/6 ports 1040-1055,2064-2079,.*,64528-64543 br $BR" &&
	echo "$got" | grep -qx "b4 $B4_2 ipv4 $SHARED psid 2/6 ports 1056-1071,.* br $BR" &&
	echo "$got" | grep -qx "b4 $B4_3 ipv4 $WHOLE ports 0-65535 br $BR"
}

bindings_json() {
	ctl -j -i "$LW" show bindings >"$TM_TMP/b.json" || return 1
	"$PY" - "$TM_TMP/b.json" "$B4_1" "$SHARED" "$BR" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
print(rows)
r = rows[0]
sys.exit(not (len(rows) == 3 and r["b4"] == sys.argv[2] and
    r["ipv4"] == sys.argv[3] and r["psid"] == 1 and r["psid-length"] == 6
    and r["psid-offset"] == 6 and r["br"] == sys.argv[4] and
    r["ports"].startswith("1040-1055,2064-2079,") and
    rows[2]["psid-length"] == 0 and rows[2]["ports"] == "0-65535"))
EOF
}

bindings_page() {
	local got

	got=$(ctl -i "$LW" show bindings --offset 1 --limit 1) || return 1
	echo "$got"
	expect_eq lines 1 "$(echo "$got" | wc -l)" &&
	echo "$got" | grep -q "^b4 $B4_2 " &&
	ctl -i "$LW" show bindings --limit 1001 && return 1
	return 0
}

# lookup_is [-i tun] words... -- key value [key value ...]
lookup_is() {
	local out args=()

	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	out=$(ctl "${args[@]}") || return 1
	echo "$out"
	while [ $# -ge 2 ]; do
		expect_eq "$1" "$2" "$(echo "$out" | field "$1")" || return 1
		shift 2
	done
}

lookup_b4_json() {
	ctl -j -i "$LW" lookup "$B4_2" >"$TM_TMP/l.json" || return 1
	"$PY" - "$TM_TMP/l.json" "$SHARED" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(d)
sys.exit(not (d["result"] == "b4" and d["ipv4"] == sys.argv[2] and
    d["psid"] == 2 and d["psid-length"] == 6 and d["psid-offset"] == 6))
EOF
}

# fails_with message command...: exits 1 with message on stderr.
fails_with() {
	local msg=$1 rc=0

	shift
	ctl "$@" 2>"$TM_TMP/err" || rc=$?
	cat "$TM_TMP/err"
	expect_eq "exit status" 1 "$rc" && grep -qF "$msg" "$TM_TMP/err"
}

usage_fails() {
	local rc=0

	"$CTL" -s "$TM_TMP/ctl.sock" -i "$LW" reload 2>/dev/null || rc=$?
	expect_eq "-i with reload" 2 "$rc" || return 1
	rc=0
	"$CTL" -s "$TM_TMP/ctl.sock" -i "$LW" stats --all 2>/dev/null || rc=$?
	expect_eq "-i with stats --all" 2 "$rc"
}

# The metrics of both instances, through 061-metrics.sh's strict parser.
metrics_valid() {
	local parser=$TM_TMP/parse.py

	sed -n "/^check_format() {/,/^}/p" \
	    "$top_srcdir/tests/e2e/061-metrics.sh" |
	    sed -n "/<<'EOF'/,/^EOF/p" | sed '1d;$d' >"$parser"
	[ -s "$parser" ] || { echo "no parser in 061-metrics.sh"; return 1; }
	in_ns "$NS_T" 10 curl -sS -f -o "$TM_TMP/m" \
	    "http://127.0.0.1:$PORT/metrics" || return 1
	"$PY" "$parser" "$TM_TMP/m" || return 1
	grep "^tunmapd_bindings{" "$TM_TMP/m"
	grep -q "^tunmapd_bindings{instance=\"$LW\"} 3\$" "$TM_TMP/m" &&
	grep -q "instance=\"$TUN\",outcome=\"held\"" "$TM_TMP/m" &&
	grep -q "instance=\"$LW\",outcome=\"held\"" "$TM_TMP/m"
}

tm_begin 28 ping curl
CTL=$top_builddir/src/tunmapctl
[ -x "$CTL" ] || fatal "$CTL not built"
conf_two
topology_up
daemon_start
wait_for 20 ctl status || fatal "no answer on the control socket"
ok "tunmapd runs a siit instance on $TUN and a softwire one on $LW"

check "status: the first instance as before, and both instances" status_text
check "status -j: an instances array with the fields of each mode" \
    status_json
check "status -i $LW: the top fields describe $LW" status_selected
check "stats -i $TUN: every counter, reassembly included" stats_of "$TUN"
check "stats -i $LW: every counter, reassembly included" stats_of "$LW"
check "stats --all and -j stats --all: each instance's counters" stats_all
check "stats -i nosuch0: no such instance (exit 1)" \
    fails_with 'no instance on tun "nosuch0"; the tuns are' -i nosuch0 stats

check "show bindings: one line each, with the ports" bindings_text
check "show bindings -j: one JSON array" bindings_json
check "show bindings --offset 1 --limit 1; --limit 1001 refused" \
    bindings_page
check "show bindings on a siit instance points to show mappings" \
    fails_with 'is a SIIT instance: see "show mappings"' show bindings
check "show mappings on a softwire instance points to show bindings" \
    fails_with 'is a softwire instance: see "show bindings"' \
    -i "$LW" show mappings

check "lookup $SHARED:1045: the binding of psid 1" \
    lookup_is -i "$LW" lookup "$SHARED:1045" -- result bound b4 "$B4_1" \
    psid 1 psid-length 6 br "$BR"
check "lookup $SHARED 1060: the same with the port as a word" \
    lookup_is -i "$LW" lookup "$SHARED" 1060 -- result bound b4 "$B4_2" \
    psid 2
check "lookup $SHARED:1200: a port set that no binding holds" \
    lookup_is -i "$LW" lookup "$SHARED:1200" -- result unbound-port \
    psid-length 6 bindings 2
check "lookup $SHARED:80: a port in no port set" \
    lookup_is -i "$LW" lookup "$SHARED:80" -- result unbound-port \
    reason "port 80 is in no port set (the ports below 1024 are not shared out)"
check "lookup $SHARED: shared, a port needed" \
    lookup_is -i "$LW" lookup "$SHARED" -- result shared bindings 2
check "lookup $WHOLE: bound whole, any port" \
    lookup_is -i "$LW" lookup "$WHOLE" -- result bound b4 "$B4_3" \
    psid-length 0 ports 0-65535
check "lookup 192.0.2.200:80: routed by the mesh route" \
    lookup_is -i "$LW" lookup 192.0.2.200:80 -- result routed \
    route 192.0.2.128/25 remote 2001:db8:b::1
check "lookup 203.0.113.9: not bound" \
    lookup_is -i "$LW" lookup 203.0.113.9 -- result unbound
check "lookup $OWN: the softwire's own address" \
    lookup_is -i "$LW" lookup "$OWN" -- result local
check "lookup -j $B4_2: its binding" lookup_b4_json
check "lookup $BR: a BR address" \
    lookup_is -i "$LW" lookup "$BR" -- result br-address
check "lookup without -i still asks the siit instance" \
    lookup_is lookup "$V4_SERVER" -- result translated translation \
    "$V6_SERVER"
check "-i with reload, and with stats --all, are usage errors (exit 2)" \
    usage_fails
check "metrics of both instances pass the strict parser" metrics_valid
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
