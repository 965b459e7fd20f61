#!/bin/bash
# Install what the tests need, build from a clean build directory and run
# every test (unit, config, lint, end to end).  Run as root on Debian 12:
#   sudo scripts/test.sh
# It ends with the totals alone on a line, and on failure the logs of the
# failing tests.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build-test"
cd "$top" || exit 1

step() { printf '==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/test.sh: run as root: the end-to-end tests create" \
	    "network namespaces and tun devices" >&2
	exit 1
fi

step "installing dependencies"
"$top/scripts/deps.sh" || exit 1

step "configuring and building in $build"
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }
rm -rf "$build"
mkdir -p "$build" && cd "$build" || exit 1
"$top/configure" --enable-werror >configure.out 2>&1 ||
    { cat configure.out; exit 1; }
make -j"$(nproc)" >make.out 2>&1 || { cat make.out; exit 1; }

step "running the tests"
# The end-to-end tests must never skip silently here: no root or no tun
# is a failure.
TUNMAPD_TESTS_REQUIRE_ROOT=1 make -j1 check >check.out 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out

count() {
	cat $(find . -name '*.trs') 2>/dev/null |
	    grep -cE "^:test-result: ($1)" || true
}
passed=$(count 'PASS|XFAIL')
failed=$(count 'FAIL|XPASS|ERROR')
skipped=$(count SKIP)

if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
	echo
	echo "==> logs of the failing tests"
	for trs in $(grep -lE '^:test-result: (FAIL|XPASS|ERROR)' \
	    $(find . -name '*.trs')); do
		echo "---- ${trs%.trs}.log"
		cat "${trs%.trs}.log"
	done
	[ "$failed" -eq 0 ] && { tail -40 check.out; failed=1; }
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
