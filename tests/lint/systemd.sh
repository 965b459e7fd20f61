#!/bin/sh
# SPDX-License-Identifier: ISC
#
# systemd.sh: the systemd unit and the sysusers.d file, checked offline,
# without a running systemd.  The unit is made again from
# etc/tunmapd.service.in as make makes it, but pointing at the tunmapd of
# this build, so that "systemd-analyze verify" finds every command it
# names; the manual pages it names are looked up in man/.  Its exposure
# by "systemd-analyze security" must stay below 3.0.  The sysusers.d
# file must create the user, in a scratch root.
# Output is TAP.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
MAX_EXPOSURE=3.0

if ! command -v systemd-analyze >/dev/null 2>&1; then
	if [ "${TUNMAPD_TESTS_REQUIRE_ROOT:-0}" = 1 ] ||
	    [ "${CI:-}" = true ]; then
		echo "Bail out! systemd-analyze not found (Debian package systemd)"
		exit 99
	fi
	echo "1..0 # SKIP systemd-analyze not found"
	exit 0
fi
if [ ! -x "$top_builddir/src/tunmapd" ]; then
	echo "Bail out! $top_builddir/src/tunmapd not built"
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-systemd.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

diag() {
	sed 's/^/# /' "$@"
}

# The unit as installed, with this build's binary in place of @sbindir@.
make_unit() {
	mkdir -p "$tmp/unit" "$tmp/man/man5" "$tmp/man/man8" &&
	sed -e "s|@sbindir[@]|$top_builddir/src|g" \
	    -e "s|@sysconfdir[@]|$tmp/etc|g" \
	    "$top_srcdir/etc/tunmapd.service.in" >"$tmp/unit/tunmapd.service" &&
	cp "$top_srcdir"/man/*.5 "$tmp/man/man5/" &&
	cp "$top_srcdir"/man/*.8 "$tmp/man/man8/"
}

echo "1..4"
make_unit || { echo "Bail out! cannot make the unit in $tmp"; exit 99; }

# 1. make's unit: every @variable@ was replaced.
unit=$top_builddir/etc/tunmapd.service
if [ ! -f "$unit" ]; then
	skip "$unit not made"
elif grep -n '@[a-z_]*@' "$unit" >"$tmp/left"; then
	not_ok "$unit has unreplaced variables"
	diag "$tmp/left"
else
	ok "$unit has every path filled in"
fi

# 2. systemd-analyze verify: no message at all.  Without man(1) (a
# minimal system), the Documentation= pages cannot be checked.
man_opt=--man=yes
command -v man >/dev/null 2>&1 || man_opt=--man=no
if MANPATH=$tmp/man systemd-analyze verify "$man_opt" \
    "$tmp/unit/tunmapd.service" >"$tmp/verify" 2>&1 &&
    [ ! -s "$tmp/verify" ]; then
	ok "systemd-analyze verify $man_opt: no message"
else
	not_ok "systemd-analyze verify $man_opt"
	diag "$tmp/verify"
fi

# 3. systemd-analyze security: the exposure score, below the limit.
systemd-analyze security --offline=yes "$tmp/unit/tunmapd.service" \
    >"$tmp/security" 2>&1
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' \
    "$tmp/security")
if [ -z "$score" ]; then
	not_ok "systemd-analyze security: no score found"
	diag "$tmp/security"
elif awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s < m) }'; then
	ok "systemd-analyze security: exposure $score, below $MAX_EXPOSURE"
	echo "# exposure level of tunmapd.service: $score"
else
	not_ok "systemd-analyze security: exposure $score, not below $MAX_EXPOSURE"
	grep '✗' "$tmp/security" | diag
fi

# 4. The sysusers.d file creates the user tunmapd, with no login shell.
mkdir -p "$tmp/root/etc"
if ! command -v systemd-sysusers >/dev/null 2>&1; then
	skip "systemd-sysusers not found"
elif ! systemd-sysusers --root="$tmp/root" \
    "$top_srcdir/etc/tunmapd.sysusers" >"$tmp/sysusers" 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		skip "systemd-sysusers --root needs root here"
	else
		not_ok "systemd-sysusers failed"
		diag "$tmp/sysusers"
	fi
elif grep -q '^tunmapd:[^:]*:[0-9]*:[0-9]*:[^:]*:[^:]*:.*nologin$' \
    "$tmp/root/etc/passwd" &&
    grep -q '^tunmapd:' "$tmp/root/etc/group"; then
	ok "sysusers.d creates the user and group tunmapd"
else
	not_ok "sysusers.d did not create the user and group tunmapd"
	diag "$tmp/sysusers" "$tmp/root/etc/passwd" "$tmp/root/etc/group"
fi

[ "$failed" -eq 0 ]
