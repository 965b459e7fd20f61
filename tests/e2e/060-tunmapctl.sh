#!/bin/bash
# SPDX-License-Identifier: ISC
#
# 060-tunmapctl: the control socket and tunmapctl.  A stale socket is
# replaced at start and a live one refused; status, stats (counters move
# with traffic), show mappings of 25,000 EAM entries paged through in
# text and JSON, each entry exactly once, lookup (EAM, pool6, both
# directions, untranslatable, unmapped, ports), reload of a good file (the
# new mapping answers) and of a bad one (file:line reported, the old
# mapping answers, same process), a client that leaves during a reload,
# the bounds of the protocol, the peer check against other users, the
# mode and group of the socket, its removal at exit, and the exit codes.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
NEAM=25000
V4_NEW=192.0.2.30
V6_NEW=2001:db8::130
NOBODY=65534

# ctl args...: tunmapctl on the test's socket.
ctl() {
	"$CTL" -s "$SOCK" "$@"
}

# as_user gid [setpriv option...] -- command...: runs a command as uid
# 65534 with primary group gid and no supplementary group.
as_user() {
	local gid=$1

	shift
	setpriv --reuid="$NOBODY" --regid="$gid" --clear-groups "$@"
}

# The generated EAM entries, as configuration lines and as the lines of
# "show mappings" they give; the entries of the file come first.
gen_entries() {
	"$PY" - "$NEAM" "$TM_TMP/eam.conf" "$TM_TMP/expected" \
	    "$V4_SERVER" "$V6_SERVER" "$POOL6" <<'EOF'
import ipaddress, sys
n = int(sys.argv[1])
v4 = ipaddress.IPv4Address("100.64.0.0")
v6 = ipaddress.IPv6Address("2001:db8:100::")
with open(sys.argv[2], "w") as conf, open(sys.argv[3], "w") as want:
    want.write("eam %s %s\n" % (sys.argv[4], sys.argv[5]))
    for i in range(n):
        conf.write('\t\t{ ipv4 = "%s"; ipv6 = "%s"; }%s\n'
            % (v4 + i, v6 + i, "," if i < n - 1 else ""))
        want.write("eam %s %s\n" % (v4 + i, v6 + i))
    want.write("pool6 %s\n" % sys.argv[6])
EOF
}

# conf_write [eam-line]: the configuration, with one more EAM entry if
# given; routes are added here, so that only tunmapctl is under test.
conf_write() {
	{
		cat <<EOF
tun = { name = "$TUN"; mtu = 1500; routes = false; };
control = { socket = "$SOCK"; group = "$GROUP"; };
siit = {
	pool6 = "$POOL6";
	eam = (
		{ ipv4 = "$V4_SERVER"; ipv6 = "$V6_SERVER"; },
EOF
		[ -z "${1:-}" ] || printf '\t\t%s,\n' "$1"
		cat "$TM_TMP/eam.conf"
		printf '\t);\n};\n'
	} >"$TM_CONF"
}

# field key: the value of "key value" lines on stdin.
field() {
	awk -v k="$1" '$1 == k { sub(/^[^ ]* /, ""); print; exit }'
}

ping_ok() {
	ping_each "$NS_C" 2 "$1"
}

stale_socket() {
	"$PY" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])' "$SOCK" && [ -S "$SOCK" ]
}

socket_mode() {
	local m

	m=$(stat -c '%a %G' "$SOCK")
	expect_eq "mode and group of $SOCK" "660 $GROUP" "$m"
}

status_ok() {
	local s v

	s=$(ctl status) || return 1
	echo "$s"
	v=$("$TUNMAPD" -V | awk '{ print $2 }')
	expect_eq version "$v" "$(echo "$s" | field version)" &&
	expect_eq pid "$TM_DAEMON_PID" "$(echo "$s" | field pid)" &&
	expect_eq tun "$TUN" "$(echo "$s" | field tun)" &&
	expect_eq eam-entries "$((NEAM + 1))" \
	    "$(echo "$s" | field eam-entries)" &&
	expect_eq pool6 "$POOL6" "$(echo "$s" | field pool6)" &&
	expect_eq last-reload none "$(echo "$s" | field last-reload)" &&
	expect_eq reloading no "$(echo "$s" | field reloading)"
}

status_json() {
	ctl -j status >"$TM_TMP/status.json" || return 1
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d)
sys.exit(d["tun"] != sys.argv[2] or d["reloading"] is not False)' \
	    "$TM_TMP/status.json" "$TUN"
}

stat_of() {
	ctl stats | field "$1"
}

stats_move() {
	local in4 out6

	in4=$(stat_of in4) && out6=$(stat_of out6) || return 1
	ping_ok "$V4_SERVER" || return 1
	echo "in4 $in4 -> $(stat_of in4), out6 $out6 -> $(stat_of out6)"
	[ "$(stat_of in4)" -ge $((in4 + 2)) ] &&
	[ "$(stat_of out6)" -ge $((out6 + 2)) ]
}

# Every counter of stats.h is there, once, in both forms.
stats_all() {
	ctl stats >"$TM_TMP/stats.txt" && ctl -j stats >"$TM_TMP/stats.json" ||
	    return 1
	"$PY" - "$TM_TMP/stats.txt" "$TM_TMP/stats.json" \
	    "$top_srcdir/src/stats.h" "$top_srcdir/src/reasm.h" <<'EOF'
import json, re, sys
text = [l.split() for l in open(sys.argv[1])]
js = json.load(open(sys.argv[2]))
h = open(sys.argv[3]).read() + open(sys.argv[4]).read()
body = lambda m: h[h.index("#define " + m + "("):].split("\n\n")[0]
want = re.findall(r'X\([A-Z0-9_]+, "([^"]+)"', body("STATS_TRAFFIC"))
want += ["drop-" + d for d in
    re.findall(r'X\([A-Z0-9_]+, "([^"]+)"', body("DROP_REASONS"))]
want += ["reassembly-" + d for d in
    re.findall(r'X\([A-Z0-9_]+, "([^"]+)"', body("REASM_REASONS"))]
names = [t[0] for t in text]
print(len(names), "counters,", len(want), "in stats.h")
ok = names == want and list(js) == want and all(
    len(t) == 2 and t[1].isdigit() and isinstance(js[t[0]], int)
    for t in text)
sys.exit(not ok)
EOF
}

mappings_text() {
	ctl show mappings >"$TM_TMP/got" || return 1
	echo "$(wc -l <"$TM_TMP/got") lines," \
	    "$(sort -u "$TM_TMP/got" | wc -l) distinct," \
	    "$(wc -l <"$TM_TMP/expected") expected"
	[ "$(sort "$TM_TMP/got" | uniq -d | wc -l)" -eq 0 ] &&
	    diff <(sort "$TM_TMP/expected") <(sort "$TM_TMP/got")
}

mappings_json() {
	ctl -j show mappings >"$TM_TMP/got.json" || return 1
	"$PY" -m json.tool "$TM_TMP/got.json" >/dev/null || return 1
	"$PY" - "$TM_TMP/got.json" "$TM_TMP/expected" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
got = [" ".join([r["type"]] + ([r["ipv4"]] if "ipv4" in r else []) +
    [r["ipv6"]]) for r in rows]
want = open(sys.argv[2]).read().splitlines()
print(len(got), "rows,", len(set(got)), "distinct,", len(want), "expected")
sys.exit(len(got) != len(set(got)) or sorted(got) != sorted(want))
EOF
}

mappings_page() {
	local got

	got=$(ctl show mappings --offset 10 --limit 5) || return 1
	echo "$got"
	expect_eq "rows 10 to 14" "$(sed -n 11,15p "$TM_TMP/expected")" "$got"
}

mappings_limit() {
	local rc=0

	ctl show mappings --limit 10001 || rc=$?
	expect_eq "exit status" 1 "$rc"
}

# lookup_is address key value [key value ...]
lookup_is() {
	local out a=$1

	shift
	out=$(ctl lookup "$a") || return 1
	echo "$out"
	while [ $# -ge 2 ]; do
		expect_eq "$1" "$2" "$(echo "$out" | field "$1")" || return 1
		shift 2
	done
}

lookup_bad() {
	local rc=0

	ctl lookup 192.0.2.300 || rc=$?
	expect_eq "exit status" 1 "$rc"
}

route_new() {
	ip -n "$NS_S" addr add "$V6_NEW/128" dev eth0 nodad &&
	ip -n "$NS_T" route add "$V4_NEW/32" dev "$TUN"
}

reload_good() {
	local s

	conf_write "{ ipv4 = \"$V4_NEW\"; ipv6 = \"$V6_NEW\"; }"
	ctl reload || return 1
	s=$(ctl status) || return 1
	echo "$s"
	expect_eq last-reload-ok yes "$(echo "$s" | field last-reload-ok)" &&
	[ "$(echo "$s" | field last-reload)" != none ] &&
	expect_eq eam-entries "$((NEAM + 2))" \
	    "$(echo "$s" | field eam-entries)"
}

reload_bad() {
	local rc=0 line

	conf_write "{ ipv4 = \"192.0.2.300\"; ipv6 = \"$V6_NEW\"; }"
	line=$(grep -n '192.0.2.300' "$TM_CONF" | cut -d: -f1)
	ctl reload 2>"$TM_TMP/reload.err" || rc=$?
	cat "$TM_TMP/reload.err"
	expect_eq "exit status" 1 "$rc" &&
	grep -q "^$TM_CONF:$line: .*192.0.2.300" "$TM_TMP/reload.err"
}

same_process() {
	local s

	kill -0 "$TM_DAEMON_PID" || return 1
	s=$(ctl status) || return 1
	echo "$s"
	expect_eq pid "$TM_DAEMON_PID" "$(echo "$s" | field pid)" &&
	expect_eq last-reload-ok no "$(echo "$s" | field last-reload-ok)"
}

loaded_more() {
	[ "$(grep -c 'reload: .* loaded' "$TM_LOG")" -gt "$1" ]
}

# A client that sends "reload" and leaves at once: the daemon finishes
# the reload, and goes on answering.
reload_gone() {
	local n

	conf_write "{ ipv4 = \"$V4_NEW\"; ipv6 = \"$V6_NEW\"; }"
	n=$(grep -c 'reload: .* loaded' "$TM_LOG")
	"$PY" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"reload\n")
s.close()' "$SOCK" || return 1
	wait_for 30 loaded_more "$n" || return 1
	ctl status | grep '^last-reload'
	kill -0 "$TM_DAEMON_PID" && ping_ok "$V4_NEW"
}

# Two reloads at once: one is done, the other refused, not queued.  If
# the first was over before the second came (the client was kept off
# the CPU between its two requests), both are "ok": tried again, up to
# five times in all.
reload_busy() {
	conf_write "{ ipv4 = \"$V4_NEW\"; ipv6 = \"$V6_NEW\"; }"
	"$PY" - "$SOCK" <<'EOF'
import socket, sys

def both():
    conns = []
    for i in range(2):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(30)
        s.connect(sys.argv[1])
        conns.append(s)
    for s in conns:
        s.sendall(b"reload\n")
    firsts = []
    for s in conns:
        r = b""
        while True:
            b = s.recv(4096)
            if not b:
                break
            r += b
        firsts.append(r.decode().split("\n")[0])
    print(firsts)
    return firsts

for _ in range(5):
    firsts = both()
    if firsts != ["ok", "ok"]:
        break
sys.exit(sorted(firsts) != ["error: a reload is under way", "ok"])
EOF
}

# proto_reply request-bytes: what the daemon answers to raw bytes, or
# to nothing at all (empty argument) once its patience is out.
proto_reply() {
	"$PY" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(15)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
t = time.time()
r = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    r += b
print("%.1f %s" % (time.time() - t, r.decode().splitlines()[0] if r else "EOF"))' \
	    "$SOCK" "$1"
}

too_long() {
	local r

	r=$(proto_reply "$(printf 'x%.0s' $(seq 1 2000))") || return 1
	echo "$r"
	echo "$r" | grep -q 'error: request longer than 1024 bytes'
}

idle_closed() {
	local r

	r=$(proto_reply "") || return 1
	echo "$r"
	echo "$r" | awk '$2 == "EOF" && $1 >= 4 && $1 <= 10 { ok = 1 }
	    END { exit !ok }'
}

group_member() {
	as_user "$(getent group "$GROUP" | cut -d: -f3)" -- "$CTL_COPY" \
	    -s "$SOCK" status | grep "^pid $TM_DAEMON_PID\$"
}

group_supplementary() {
	setpriv --reuid="$NOBODY" --regid=1 \
	    --groups="$(getent group "$GROUP" | cut -d: -f3)" -- \
	    "$CTL_COPY" -s "$SOCK" status | grep "^pid $TM_DAEMON_PID\$"
}

# Not in the group: the mode of the socket stops the client.
not_member() {
	local rc=0

	as_user 1 -- "$CTL_COPY" -s "$SOCK" status 2>"$TM_TMP/err" || rc=$?
	cat "$TM_TMP/err"
	expect_eq "exit status" 2 "$rc" &&
	grep -q "$SOCK: connect: Permission denied" "$TM_TMP/err"
}

# Not in the group, but past the mode: the peer check stops it.
peer_refused() {
	local rc=0

	as_user 1 --inh-caps=+dac_override --ambient-caps=+dac_override -- \
	    "$CTL_COPY" -s "$SOCK" status 2>"$TM_TMP/err" || rc=$?
	cat "$TM_TMP/err"
	expect_eq "exit status" 1 "$rc" &&
	grep -q 'permission denied' "$TM_TMP/err" &&
	grep -q "control: refused .*uid $NOBODY" "$TM_LOG"
}

exit_codes() {
	local rc=0

	"$CTL" 2>/dev/null || rc=$?
	expect_eq "no command" 2 "$rc" || return 1
	rc=0
	"$CTL" -s "$SOCK" frobnicate 2>/dev/null || rc=$?
	expect_eq "unknown command" 2 "$rc" || return 1
	rc=0
	"$CTL" -s "$TM_TMP/none.sock" status 2>"$TM_TMP/err" || rc=$?
	cat "$TM_TMP/err"
	expect_eq "no daemon" 2 "$rc" &&
	grep -q "$TM_TMP/none.sock: connect: No such file" "$TM_TMP/err"
}

# A second daemon on the same socket does not start; the first answers.
second_refused() {
	local pid rc=0 conf2=$TM_TMP/second.conf

	sed "s/name = \"$TUN\"/name = \"tmx$$\"/" "$TM_CONF" >"$conf2"
	spawn "$NS_T" "$TM_TMP/second.log" "$TUNMAPD" -d -f "$conf2"
	pid=$tm_lastpid
	wait_pid "$pid" 20 || rc=$?
	cat "$TM_TMP/second.log"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
	grep -q "in use by another running daemon" "$TM_TMP/second.log" &&
	ctl status >/dev/null
}

socket_removed() {
	local rc=0

	daemon_stop || return 1
	[ ! -e "$SOCK" ] || { echo "$SOCK still there"; return 1; }
	ctl status 2>/dev/null || rc=$?
	expect_eq "exit status without a daemon" 2 "$rc"
}

tm_begin 38 ping setpriv getent
CTL=$top_builddir/src/tunmapctl
[ -x "$CTL" ] || fatal "$CTL not built"
GROUP=$(getent group "$NOBODY" | cut -d: -f1)
[ -n "$GROUP" ] || skip_all "no group with gid $NOBODY"
# Uid 65534 must reach the socket and run the program.
chmod 711 "$TM_TMP"
mkdir -m 755 "$TM_TMP/bin"
CTL_COPY=$TM_TMP/bin/tunmapctl
install -m 755 "$CTL" "$CTL_COPY"
SOCK=$TM_TMP/ctl.sock

gen_entries || fatal "cannot write the EAM entries"
conf_write
topology_up
stale_socket || fatal "cannot leave a stale socket at $SOCK"
daemon_start
wait_for 20 ctl status || fatal "no answer on $SOCK"
ok "tunmapd runs with $((NEAM + 1)) EAM entries and answers on $SOCK"
check "it replaced the stale socket" grep -q 'replaced a stale one' "$TM_LOG"
check "the socket has mode 0660 and group $GROUP" socket_mode

check "status: version, pid, tun, mappings, no reload yet" status_ok
check "status -j is JSON" status_json
check "stats: in4 and out6 move with a ping" stats_move
check "stats and stats -j list every counter of stats.h, in order" stats_all

check "show mappings: all $((NEAM + 2)), each once" mappings_text
check "show mappings -j: one JSON array, all $((NEAM + 2)), each once" \
    mappings_json
check "show mappings --offset 10 --limit 5: rows 10 to 14" mappings_page
check "show mappings --limit 10001 is refused" mappings_limit

check "lookup $V4_SERVER: by the EAM entry" lookup_is "$V4_SERVER" \
    result translated translation "$V6_SERVER" via eam
check "lookup $V4_CLIENT: by pool6" lookup_is "$V4_CLIENT" \
    result translated translation "$V6_CLIENT" via pool6
check "lookup $V6_CLIENT: back by pool6" lookup_is "$V6_CLIENT" \
    result translated translation "$V4_CLIENT" via pool6
check "lookup 2001:db8:100::1f4: an entry of the large table" \
    lookup_is 2001:db8:100::1f4 translation 100.64.1.244 eam-ipv6 \
    2001:db8:100::1f4
check "lookup 127.0.0.1: untranslatable" lookup_is 127.0.0.1 \
    result untranslatable translation none
check "lookup $V6_UNMAPPED: unmapped" lookup_is "$V6_UNMAPPED" \
    result unmapped translation none
check "lookup $V4_SERVER:80: port ignored" lookup_is "$V4_SERVER:80" \
    translation "$V6_SERVER" port 80
check "lookup [$V6_SERVER]:443: port ignored" lookup_is "[$V6_SERVER]:443" \
    translation "$V4_SERVER" port 443
check "lookup of a bad address exits 1" lookup_bad

route_new || fatal "cannot add $V6_NEW to the server"
check "reload of a good file: ok, and status says so" reload_good
check "the new mapping $V4_NEW answers" ping_ok "$V4_NEW"
check "reload of a bad file exits 1 with file:line" reload_bad
check "the old mappings still answer" ping_ok "$V4_NEW"
check "... and $V4_SERVER too" ping_ok "$V4_SERVER"
check "same process, and status says the reload failed" same_process
check "a client that leaves during a reload harms nothing" reload_gone
check "a reload asked for during another is refused" reload_busy

check "a request over 1024 bytes is refused" too_long
check "a silent client is dropped after 5 seconds" idle_closed

check "uid $NOBODY in group $GROUP is served" group_member
check "uid $NOBODY with $GROUP as a supplementary group is served" \
    group_supplementary
check "uid $NOBODY outside it cannot connect (exit 2)" not_member
check "uid $NOBODY past the mode is refused by the peer check (exit 1)" \
    peer_refused
check "exit status 2 for usage errors and without a daemon" exit_codes
check "a second daemon on the same socket does not start" second_refused
check "tunmapd exits on SIGTERM and removes its socket" socket_removed
check "no checksum errors at the client or the server" \
    no_csum_errors "$NS_C" "$NS_S"
tm_end
