#!/bin/bash
# Install what the tests need, build from clean build directories and run
# every test (unit, config, lint, end to end), then the unit, config and
# end-to-end tests again against a build with AddressSanitizer and
# UndefinedBehaviorSanitizer and the tuns without offloads, the fuzzers
# for a short while, the unit
# tests under valgrind, and make distcheck (its own check: the unit,
# config and lint tests; the tarball must hold every tracked file).  Run as root on
# Debian 12:
#   sudo scripts/test.sh
# It ends with the totals alone on a line, and on failure the logs of the
# failing tests.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

SAN_FLAGS="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# Under the sanitizers: everything but the lint, the static analysis
# and two tests that measure the daemon (055's zero loss at 20,000
# packets a second, 085's RSS), which a sanitized build skews.
SAN_TESTS="tests/unit/check_addr tests/unit/check_bindings \
tests/unit/check_checksum \
tests/unit/check_hashmap tests/unit/check_icmp tests/unit/check_netlink \
tests/unit/check_reasm \
tests/unit/check_siit tests/unit/check_softwire tests/unit/check_tables \
tests/unit/check_vnet \
tests/conf/run.sh \
tests/e2e/010-siit-ping.sh tests/e2e/020-siit-tcp.sh \
tests/e2e/030-siit-udp.sh tests/e2e/040-siit-headers.sh \
tests/e2e/041-siit-fragments.sh tests/e2e/042-siit-icmp-errors.sh \
tests/e2e/043-siit-addresses.sh tests/e2e/044-siit-hops.sh \
tests/e2e/050-routes.sh tests/e2e/056-queues.sh tests/e2e/060-tunmapctl.sh \
tests/e2e/061-metrics.sh tests/e2e/062-tunmapctl-instances.sh \
tests/e2e/070-privileges.sh \
tests/e2e/080-hostile.sh tests/e2e/090-ecmp-bird.sh \
tests/e2e/100-softwire-basic.sh tests/e2e/101-softwire-spoof.sh \
tests/e2e/102-softwire-hairpin.sh tests/e2e/103-softwire-mtu.sh \
tests/e2e/104-softwire-mesh.sh tests/e2e/105-softwire-icmp-relay.sh \
tests/e2e/106-softwire-node.sh tests/e2e/107-softwire-packets.sh"

step() { printf '==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/test.sh: run as root: the end-to-end tests create" \
	    "network namespaces and tun devices" >&2
	exit 1
fi

# Configure and build in a fresh directory: build DIR [configure args]
build() {
	local dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir" && cd "$dir" || return 1
	"$top/configure" "$@" >configure.out 2>&1 ||
	    { cat configure.out; return 1; }
	make -j"$(nproc)" >make.out 2>&1 || { cat make.out; return 1; }
	make -j"$(nproc)" check TESTS= >>make.out 2>&1 ||
	    { cat make.out; return 1; }
}

# Run make check in DIR; extra arguments go to make (e.g. TESTS=...).
# The end-to-end tests must never skip silently here: no root or no tun
# is a failure.
check() {
	local dir=$1
	shift
	cd "$dir" || return 1
	TUNMAPD_TESTS_REQUIRE_ROOT=1 make -j1 check "$@" >check.out 2>&1
	local rc=$?
	grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out |
	    sed "s|^|$(basename "$dir"): |"
	return $rc
}

step "installing dependencies"
"$top/scripts/deps.sh" || exit 1
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }

step "building in build-test/ (warnings are errors)"
build "$top/build-test" --enable-werror || exit 1
step "building in build-sanitize/ (ASan, UBSan)"
build "$top/build-sanitize" CFLAGS="$SAN_FLAGS" LDFLAGS="-fsanitize=address,undefined" || exit 1

step "running the tests"
check "$top/build-test"
rc=$?
# The first run opens the tuns with offloads (tun.offload, the default);
# this one without, so that the end-to-end tests see both.
step "running the unit, config and end-to-end tests under ASan and UBSan, tun.offload = false"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
TUNMAPD_TEST_OFFLOAD=0 \
    check "$top/build-sanitize" TESTS="$SAN_TESTS" || rc=1

step "every fuzzing harness for ${FUZZ_SECONDS:=30} s (libFuzzer, ASan, UBSan)"
if ! { rm -rf "$top/build-fuzz" && mkdir -p "$top/build-fuzz" &&
    cd "$top/build-fuzz" && CC=clang CFLAGS="-g -O1" "$top/configure" \
    --enable-fuzzing >configure.out 2>&1 &&
    make -j"$(nproc)" >make.out 2>&1 &&
    make fuzz FUZZ_SECONDS="$FUZZ_SECONDS" >fuzz.out 2>&1; }; then
	tail -n 60 "$top/build-fuzz/"*.out
	echo "fuzzing failed: see build-fuzz/fuzz.out"
	rc=1
fi
grep -E '^(ok|not ok)' "$top/build-fuzz/fuzz.out" | sed 's/^/fuzz: /'

step "the unit tests under valgrind (no error, nothing definitely lost)"
(cd "$top/build-test" && make check-valgrind) || rc=1

step "make distcheck: the release tarball builds, passes its unit, config and lint tests, installs"
# The end-to-end tests ran twice above, from the tree; the tarball must
# hold every file they use, which dist_complete checks instead.
dist_complete() {
	local tarball missing

	tarball=$(ls "$top"/build-dist/tunmapd-*.tar.gz) || return 1
	missing=$(comm -23 \
	    <(git -C "$top" ls-files | grep -vE '^(\.ci/|\.gitignore|build-aux/\.gitkeep|m4/\.gitkeep)' | sort) \
	    <(tar tzf "$tarball" | sed 's|^[^/]*/||' | sort))
	[ -z "$missing" ] && return 0
	echo "the release tarball lacks:"
	echo "$missing"
	return 1
}
if ! { rm -rf "$top/build-dist" && mkdir -p "$top/build-dist" &&
    cd "$top/build-dist" && "$top/configure" >configure.out 2>&1 &&
    TUNMAPD_TESTS_REQUIRE_ROOT=1 make distcheck \
    TESTS='$(UNIT_TESTS) $(NON_E2E_TESTS)' >distcheck.out 2>&1; }; then
	grep -E '^(FAIL|ERROR|XPASS):' "$top/build-dist/distcheck.out"
	find "$top/build-dist" -name '*.trs' -exec \
	    grep -lE '^:test-result: (FAIL|XPASS|ERROR)' {} + |
	while read -r f; do
		echo "---- ${f%.trs}.log"
		cat "${f%.trs}.log"
	done
	tail -n 40 "$top/build-dist/distcheck.out"
	echo "make distcheck failed: see build-dist/distcheck.out"
	rc=1
elif [ -d "$top/.git" ] && ! dist_complete; then
	rc=1
fi

trs=$(find "$top/build-test" "$top/build-sanitize" -name '*.trs')
count() {
	# shellcheck disable=SC2086
	cat $trs 2>/dev/null | grep -cE "^:test-result: ($1)" || true
}
passed=$(count 'PASS|XFAIL')
failed=$(count 'FAIL|XPASS|ERROR')
skipped=$(count SKIP)

if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
	echo
	echo "==> logs of the failing tests"
	# shellcheck disable=SC2086
	grep -lE '^:test-result: (FAIL|XPASS|ERROR)' $trs |
	while read -r f; do
		echo "---- ${f%.trs}.log"
		cat "${f%.trs}.log"
	done
	if [ "$failed" -eq 0 ]; then
		tail -n 40 "$top/build-test/check.out" \
		    "$top/build-sanitize/check.out"
		failed=1
	fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
