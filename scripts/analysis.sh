#!/bin/bash
# SPDX-License-Identifier: ISC
#
# analysis.sh: static analysis, as TAP, one test point per tool.
#   1. scan-build-14 --status-bugs over a fresh build (in a temporary
#      directory) of tunmapd, tunmapctl and the unit tests;
#   2. cppcheck over src/ and tests/unit/, with the false positives in
#      tests/cppcheck-suppressions.txt, each with its reason.
# Findings follow a failing test point as TAP comments.  A tool that is
# not installed is a skip.  Run from anywhere:
#   scripts/analysis.sh
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
JOBS=${JOBS:-2}
SCAN_BUILD=${SCAN_BUILD:-scan-build-14}
CPPCHECK=${CPPCHECK:-cppcheck}
# shellcheck disable=SC1003 # a backslash, not a quote
QUEUE_H=$(echo '#include <sys/queue.h>' | cc -E -M -x c - 2>/dev/null |
    tr ' ' '\n' | tr -d '\\' | grep '/sys/queue\.h$' | head -n 1)

n=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-analysis.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
failed=0

result() {	# result rc description log
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$3"
		failed=1
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $*"
}

# The scan-build findings known to be false positives, one a line:
# file|message [checker]|source line, as scan-build prints them (no line
# numbers, which drift), each after the reason.
scan_build_fp() {
	cat <<'FP'
# The queue.h drain idiom: ctl_close() takes c off ctl->conns
# (TAILQ_REMOVE) before it frees it, so TAILQ_FIRST never returns it
# again; the analyzer does not follow the list head through the macro.
src/control.c|Use of memory after it is freed [unix.Malloc]|ctl_close(c);
# d.config_file is CONFIG_FILE, a string literal, or the optarg of -f,
# which getopt() sets for an option with an argument ("f:"); the
# analyzer assumes optarg may be NULL.
src/main.c|Array access (via field 'config_file') results in a null pointer dereference [core.NullDereference]|if (d.config_file[0] != '/') {
# len = 2 * (1 + random() % (MAXBUF / 2)) a few lines up is at least 2,
# so len / 2 is never 0; the analyzer drops the bound on the way.
tests/unit/check_checksum.c|Division by zero [core.DivideZero]|at = 2 * ((size_t)random() % (len / 2));
# The shuffle runs i from n - 1 down to 1: i + 1 is at least 2; the
# analyzer takes i for SIZE_MAX, where i + 1 wraps to 0.
tests/unit/check_reasm.c|Division by zero [core.DivideZero]|size_t          j = (size_t)random() % (i + 1);
FP
}

# findings make.out: file|message|source line of every finding.
findings() {
	awk -v top="$top_srcdir/" '
	    /warning: .*\[[a-z]+\.[A-Za-z.]+\]$/ {
		w = $0; getline src; sub(/^[ \t]+/, "", src)
		f = w; sub(/:[0-9]+:[0-9]+: warning: .*/, "", f)
		sub("^" top, "", f)
		m = w; sub(/.*: warning: /, "", m)
		print f "|" m "|" src
	    }' "$1" | sort -u
}

scan_build() {
	local b=$tmp/build rc t0=$SECONDS new

	mkdir -p "$b" && cd "$b" || return 1
	"$SCAN_BUILD" "$top_srcdir/configure" >configure.out 2>&1 ||
	    { cat configure.out; return 1; }
	# all and check in one make -j would build the same objects twice.
	# Run from "make check", this script inherits MAKEFLAGS with the
	# parent's TEST_LOGS=...: without clearing it, the inner "check"
	# would run the whole test suite again.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    "$SCAN_BUILD" --status-bugs -o "$tmp/report" \
	    sh -c "make -j$JOBS all && make -j$JOBS check TESTS= && touch built" \
	    >make.out 2>&1
	rc=$?
	echo "scan-build took $((SECONDS - t0)) s"
	grep -E '^scan-build: [0-9]+ bugs? found' make.out
	if [ ! -e built ]; then
		grep -E 'error|Error ' make.out | head -n 20
		echo "the build failed"
		return 1
	fi
	[ "$rc" -eq 0 ] && return 0
	findings make.out >found
	scan_build_fp | grep -v '^#' | sort -u >fp
	comm -12 found fp | sed 's/^/known false positive: /'
	new=$(comm -23 found fp)
	[ -z "$new" ] && return 0
	echo "$new"
	return 1
}

cppcheck_run() {
	local inc=()

	cd "$top_srcdir" || return 1
	[ -n "$QUEUE_H" ] && inc=(--include="$QUEUE_H")
	# sys/queue.h is forced in: cppcheck reads no system header, and
	# without its macros TAILQ_HEAD(...) is a syntax error.
	"$CPPCHECK" --enable=warning,performance,portability \
	    --error-exitcode=1 --inline-suppr -q --std=c11 \
	    -D__GNUC__ -D_GNU_SOURCE "${inc[@]}" \
	    --suppressions-list=tests/cppcheck-suppressions.txt \
	    -I src src tests/unit
}

echo "1..2"
if command -v "$SCAN_BUILD" >/dev/null 2>&1; then
	scan_build >"$tmp/scan.log" 2>&1
	rc=$?
	result "$rc" "$SCAN_BUILD finds no bug in the daemon, tunmapctl and the unit tests" \
	    "$tmp/scan.log"
	[ "$rc" -eq 0 ] && sed 's/^/# /' "$tmp/scan.log"
else
	skip "$SCAN_BUILD not installed"
fi
if command -v "$CPPCHECK" >/dev/null 2>&1; then
	cppcheck_run >"$tmp/cppcheck.log" 2>&1
	result $? "cppcheck finds nothing in src/ and tests/unit/" \
	    "$tmp/cppcheck.log"
else
	skip "$CPPCHECK not installed"
fi
[ "$failed" -eq 0 ]
