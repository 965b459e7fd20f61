#!/bin/sh
# SPDX-License-Identifier: ISC
#
# man.sh: lint every manual page with mandoc -T lint, in one call, and
# require exit status 0 (no message at all, style included).  mandoc finds
# the target of an Xr reference to a sibling page (tunmapd.8 <->
# tunmapd.conf.5) only in the current directory, so it runs in man/.
# Output is TAP.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

if ! command -v mandoc >/dev/null 2>&1; then
	if [ "${TUNMAPD_TESTS_REQUIRE_ROOT:-0}" = 1 ] ||
	    [ "${CI:-}" = true ]; then
		echo "Bail out! mandoc not found (Debian package mandoc)"
		exit 99
	fi
	echo "1..0 # SKIP mandoc not found"
	exit 0
fi

echo "1..1"
if ! cd "$top_srcdir/man"; then
	echo "Bail out! no directory $top_srcdir/man"
	exit 99
fi

out=$(mandoc -T lint -- *.5 *.8 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - mandoc -T lint: all pages clean"
	exit 0
fi
echo "not ok 1 - mandoc -T lint: exit status $rc"
printf '%s\n' "$out" | sed 's/^/# /'
exit 1
