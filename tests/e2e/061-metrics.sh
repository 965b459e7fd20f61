#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 061-metrics: the Prometheus endpoint.  A scrape of /metrics inside the
# translator's namespace passes a strict parser of the text exposition
# format 0.0.4 written here (every line in the grammar, HELP and TYPE
# once each and before the samples, counters named *_total and never
# negative, label values escaped, no series twice, families not
# interleaved); the counters move with traffic and the reload gauges with
# reloads; other paths are 404; a port already bound stops a second
# daemon from starting; an IPv6 loopback address serves too.  promtool
# also checks the scrape where it is installed.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
PORT=9646

# conf_metrics listen [siit-line]: write_conf's configuration with the
# metrics endpoint, and a control socket of the test's own.
conf_metrics() {
	write_conf_with "$TM_CONF" "${2:-}"
	echo "metrics = { listen = \"$1\"; };" >>"$TM_CONF"
	grep -q '^control' "$TM_CONF" ||
	    echo "control = { socket = \"$TM_TMP/ctl.sock\"; };" >>"$TM_CONF"
}

# scrape url file: GET url from inside the translator, body to file.
scrape() {
	in_ns "$NS_T" 10 curl -sS -f -g -o "$2" -D "$2.headers" "$1"
}

# check_format file: the strict parser.
check_format() {
	"$PY" - "$1" <<'EOF'
import math, re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
LVALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
VALUE = r"(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)"
SAMPLE = re.compile(r"^(%s)(?:\{((?:%s=%s)(?:,%s=%s)*,?)?\})? (%s)(?: (-?[0-9]+))?$"
    % (NAME, LABEL, LVALUE, LABEL, LVALUE, VALUE))
PAIR = re.compile(r"(%s)=(%s)" % (LABEL, LVALUE))
HELP = re.compile(r"^# HELP (%s) ((?:[^\\\n]|\\[\\n])*)$" % NAME)
TYPE = re.compile(r"^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$"
    % NAME)

data = open(sys.argv[1], "rb").read()
errors = []
def err(n, msg, line):
    errors.append("line %d: %s: %r" % (n, msg, line))

try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8: %s" % e)
if not text.endswith("\n"):
    errors.append("the last line does not end with a newline")
helps, types, seen, done = {}, {}, set(), set()
current = None
samples = 0
for n, line in enumerate(text.split("\n")[:-1], 1):
    if line.startswith("#"):
        m = HELP.match(line) or TYPE.match(line)
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            if not m:
                err(n, "bad HELP or TYPE line", line)
                continue
            name = m.group(1)
            table = helps if line.startswith("# HELP ") else types
            if name in table:
                err(n, "second %s for %s" % (line[2:6], name), line)
            if name in done or name == current:
                err(n, "%s after the samples of %s" % (line[2:6], name),
                    line)
            table[name] = m.group(2)
        continue
    if line == "":
        err(n, "empty line", line)
        continue
    m = SAMPLE.match(line)
    if not m:
        err(n, "not a sample line of the grammar", line)
        continue
    samples += 1
    name, labels, value = m.group(1), m.group(2) or "", m.group(3)
    if name not in helps or name not in types:
        err(n, "no HELP and TYPE before the first sample of %s" % name,
            line)
    if name != current:
        if name in done:
            err(n, "samples of %s interleaved with another family" % name,
                line)
        if current is not None:
            done.add(current)
        current = name
    pairs = PAIR.findall(labels)
    keys = [k for k, v in pairs]
    if len(keys) != len(set(keys)):
        err(n, "a label twice", line)
    if any(k.startswith("__") for k in keys):
        err(n, "reserved label name", line)
    series = (name, tuple(sorted(pairs)))
    if series in seen:
        err(n, "series twice", line)
    seen.add(series)
    if types.get(name) == "counter":
        if not name.endswith("_total"):
            err(n, "counter not named *_total", line)
        v = float(value)
        if math.isnan(v) or v < 0:
            err(n, "counter negative or NaN", line)
    if types.get(name) in ("histogram", "summary"):
        err(n, "no histogram or summary expected here", line)
for name in set(helps) | set(types):
    if name not in helps or name not in types:
        errors.append("%s has HELP or TYPE but not both" % name)
if samples == 0:
    errors.append("no sample at all")
print("%d lines, %d samples, %d families, %d errors" % (
    text.count("\n"), samples, len(types), len(errors)))
for e in errors[:20]:
    print(e)
sys.exit(1 if errors else 0)
EOF
}

# value file series: the value of one series, written exactly as here.
value() {
	awk -v s="$2" 'index($0, s " ") == 1 { print $NF; found = 1; exit }
	    END { exit !found }' "$1"
}

# grew before after series [n]: the series grew by at least n (default 1).
grew() {
	local a b

	a=$(value "$1" "$3") && b=$(value "$2" "$3") || {
		echo "no series $3"
		return 1
	}
	echo "$3: $a -> $b"
	[ "$b" -ge $((a + ${4:-1})) ]
}

first_scrape() {
	scrape "$URL" "$TM_TMP/m1" || return 1
	check_format "$TM_TMP/m1"
}

content_type() {
	cat "$TM_TMP/m1.headers"
	grep -qi '^Content-Type: text/plain; version=0.0.4' \
	    "$TM_TMP/m1.headers"
}

# The series every scrape must have, with the instance label.
series_there() {
	local s rc=0 i="instance=\"$TUN\""

	for s in "tunmapd_packets_total{$i,direction=\"in\",family=\"ipv4\"}" \
	    "tunmapd_bytes_total{$i,direction=\"out\",family=\"ipv6\"}" \
	    "tunmapd_tun_errors_total{$i,op=\"write\"}" \
	    "tunmapd_icmp_errors_sent_total{$i}" \
	    "tunmapd_fragments_out_total{$i}" \
	    "tunmapd_drops_total{$i,reason=\"dst-unmapped\"}" \
	    "tunmapd_drops_total{$i,reason=\"ttl-expired\"}" \
	    "tunmapd_eam_entries{$i}" \
	    tunmapd_uptime_seconds \
	    tunmapd_last_reload_timestamp_seconds \
	    tunmapd_last_reload_success; do
		value "$TM_TMP/m1" "$s" >/dev/null || {
			echo "missing: $s"
			rc=1
		}
	done
	expect_eq "EAM entries" 1 "$(value "$TM_TMP/m1" \
	    "tunmapd_eam_entries{$i}")" && return "$rc"
}

# One series a counter of stats.h: 12 traffic ones, the drop reasons and
# the outcomes of the reassembly (reasm.h).
all_counters() {
	local n want

	want=$(awk '/^#define (STATS_TRAFFIC|DROP_REASONS|REASM_REASONS)\(/ {
		on = 1 }
	    on && /X\([A-Z0-9_]+, *"/ { n++ }
	    on && !/\\$/ { on = 0 }
	    END { print n }' "$top_srcdir/src/stats.h" "$top_srcdir/src/reasm.h")
	n=$(grep -Ec '^tunmapd_[a-z_]+_total\{' "$TM_TMP/m1")
	expect_eq "counter series" "$want" "$n"
}

ping_server() {
	ping_each "$NS_C" 3 "$V4_SERVER"
}

traffic_counted() {
	local i="instance=\"$TUN\""

	ping_server || return 1
	scrape "$URL" "$TM_TMP/m2" || return 1
	check_format "$TM_TMP/m2" &&
	grew "$TM_TMP/m1" "$TM_TMP/m2" \
	    "tunmapd_packets_total{$i,direction=\"in\",family=\"ipv4\"}" 3 &&
	grew "$TM_TMP/m1" "$TM_TMP/m2" \
	    "tunmapd_packets_total{$i,direction=\"out\",family=\"ipv6\"}" 3 &&
	grew "$TM_TMP/m1" "$TM_TMP/m2" \
	    "tunmapd_bytes_total{$i,direction=\"in\",family=\"ipv6\"}" 3
}

# drops_counted: two echoes to an unmapped address counted as drops,
# within 10 s: the daemon may not have read the second one yet when the
# ping gives up on it.
drops_counted() {
	local i="instance=\"$TUN\"" n

	ip -n "$NS_T" -6 route add "$V6_UNMAPPED/128" dev "$TUN" || return 1
	in_ns "$NS_S" 10 ping -n -c 2 -i 0.2 -W 1 "$V6_UNMAPPED" || true
	for ((n = 0; n < 10; n++)); do
		scrape "$URL" "$TM_TMP/m3" || return 1
		grew "$TM_TMP/m2" "$TM_TMP/m3" \
		    "tunmapd_drops_total{$i,reason=\"dst-unmapped\"}" 2 \
		    >/dev/null && break
		sleep 1
	done
	grew "$TM_TMP/m2" "$TM_TMP/m3" \
	    "tunmapd_drops_total{$i,reason=\"dst-unmapped\"}" 2
}

reload_gauges() {
	local t ok

	kill -HUP "$TM_DAEMON_PID" || return 1
	wait_for 30 grep -q 'reload: .* loaded' "$TM_LOG" || return 1
	scrape "$URL" "$TM_TMP/m4" || return 1
	t=$(value "$TM_TMP/m4" tunmapd_last_reload_timestamp_seconds)
	ok=$(value "$TM_TMP/m4" tunmapd_last_reload_success)
	echo "last reload at $t, success $ok"
	[ "$t" -gt 0 ] && [ "$ok" -eq 1 ] || return 1
	conf_metrics "127.0.0.1:$PORT" "	icmp-rate = -1;"
	kill -HUP "$TM_DAEMON_PID" || return 1
	wait_for 30 grep -q 'has errors, keeping' "$TM_LOG" || return 1
	scrape "$URL" "$TM_TMP/m5" || return 1
	check_format "$TM_TMP/m5" || return 1
	ok=$(value "$TM_TMP/m5" tunmapd_last_reload_success)
	conf_metrics "127.0.0.1:$PORT"
	expect_eq "success after a bad file" 0 "$ok"
}

# status path: the HTTP status of a GET of path.
status() {
	in_ns "$NS_T" 10 curl -sS -g -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$PORT$1"
}

not_found() {
	local p s rc=0

	for p in / /metric /metrics/x /favicon.ico; do
		s=$(status "$p") || return 1
		expect_eq "GET $p" 404 "$s" || rc=1
	done
	return "$rc"
}

post_refused() {
	local s

	s=$(in_ns "$NS_T" 10 curl -sS -o /dev/null -w '%{http_code}' \
	    -X POST -d x "$URL") || return 1
	echo "POST: $s"
	[ "$s" != 200 ]
}

promtool_check() {
	promtool check metrics <"$TM_TMP/m2"
}

# A second daemon for the same port does not start.
bind_fatal() {
	local pid rc=0 conf2=$TM_TMP/second.conf

	sed -e "s/name = \"$TUN\"/name = \"tmx$$\"/" \
	    -e "s|socket = \"[^\"]*\"|socket = \"$TM_TMP/ctl2.sock\"|" \
	    "$TM_CONF" >"$conf2"
	spawn "$NS_T" "$TM_TMP/second.log" "$TUNMAPD" -d -f "$conf2"
	pid=$tm_lastpid
	wait_pid "$pid" 20 || rc=$?
	cat "$TM_TMP/second.log"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
	grep -q "metrics 127.0.0.1:$PORT: bind: Address already in use" \
	    "$TM_TMP/second.log"
}

ipv6_listen() {
	conf_metrics "[::1]:$PORT"
	daemon_restart
	scrape "http://[::1]:$PORT/metrics" "$TM_TMP/m6" &&
	    check_format "$TM_TMP/m6"
}

tm_begin 14 ping curl
URL=http://127.0.0.1:$PORT/metrics
conf_metrics "127.0.0.1:$PORT"
topology_up
daemon_start
wait_for 30 scrape "$URL" "$TM_TMP/m0" || fatal "no answer at $URL"
ok "tunmapd serves $URL"

check "the scrape passes the strict format check" first_scrape
check "it is served as text/plain; version=0.0.4" content_type
check "it has the expected series, with instance=\"$TUN\"" series_there
check "one counter series for each counter of stats.h" all_counters
check "packet and byte counters move with a ping" traffic_counted
check "drops are counted by reason" drops_counted
check "the reload gauges follow a good and a bad reload" reload_gauges
check "other paths are 404" not_found
check "POST is refused" post_refused
if command -v promtool >/dev/null 2>&1; then
	check "promtool check metrics finds nothing" promtool_check
else
	ok "promtool check metrics # SKIP promtool not installed"
fi
check "a second daemon for the same port does not start" bind_fatal
check "an IPv6 loopback address serves too" ipv6_listen
check "tunmapd exits with status 0 on SIGTERM" daemon_stop
tm_end
