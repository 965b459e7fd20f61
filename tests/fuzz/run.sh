#!/bin/sh
# SPDX-License-Identifier: ISC
#
# run.sh [SECONDS]: run every fuzz harness for SECONDS (default 60) on a
# copy of its seed corpus and of its regression inputs, and print one TAP
# line per harness.  A crash, a leak, a timeout or a broken invariant
# fails the harness: its reproducer and libFuzzer's report are printed.
#
# Environment: FUZZ_BINDIR (the harnesses; default tests/fuzz under
# top_builddir or .), FUZZ_OUT (logs and reproducers; default
# $FUZZ_BINDIR/out), FUZZ_TARGETS (a subset, by name), FUZZ_KEEP (a
# directory to keep the grown corpora in, to pick new seeds from by hand),
# top_srcdir.

set -u

secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
bindir=${FUZZ_BINDIR:-${top_builddir:-.}/tests/fuzz}
out=${FUZZ_OUT:-$bindir/out}
targets=${FUZZ_TARGETS:-"fuzz_siit_4to6 fuzz_siit_6to4 fuzz_icmp_errors
    fuzz_frag6 fuzz_config fuzz_config_eam fuzz_bindings fuzz_softwire
    fuzz_reasm"}

case $secs in
''|*[!0-9]*) echo "usage: run.sh [seconds]" >&2; exit 2 ;;
esac
mkdir -p "$out" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# One stat:: line of libFuzzer's final report.
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

n=0
for t in $targets; do
	n=$((n + 1))
done
echo "1..$n"

i=0
failed=0
for t in $targets; do
	i=$((i + 1))
	bin=$bindir/$t
	log=$out/$t.log
	if [ ! -x "$bin" ]; then
		echo "not ok $i - $t: $bin not built"
		failed=1
		continue
	fi
	# Copies: libFuzzer adds what it finds to the first directory.
	mkdir "$work/$t" "$work/$t.regress"
	for d in corpus regress; do
		dst=$work/$t
		[ "$d" = regress ] && dst=$work/$t.regress
		if [ -d "$srcdir/tests/fuzz/$d/$t" ]; then
			cp -R "$srcdir/tests/fuzz/$d/$t/." "$dst/"
		fi
	done
	rm -f "$out/$t"-*
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/$t-" \
	    "$work/$t" "$work/$t.regress" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	if [ -n "${FUZZ_KEEP:-}" ]; then
		mkdir -p "$FUZZ_KEEP/$t" && cp -R "$work/$t/." "$FUZZ_KEEP/$t/"
	fi
	execs=$(stat number_of_executed_units "$log")
	speed=$(stat average_exec_per_sec "$log")
	cov=$(sed -n 's/.*[[:space:]]cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	ft=$(sed -n 's/.*[[:space:]]ft: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	what="$t: ${execs:-0} executions in $((end - start)) s"
	what="$what (${speed:-0} exec/s, cov ${cov:-?}, ft ${ft:-?})"
	if [ "$rc" -eq 0 ]; then
		echo "ok $i - $what"
		continue
	fi
	failed=1
	echo "not ok $i - $what: exit $rc"
	for f in "$out/$t"-*; do
		[ -f "$f" ] && echo "# reproducer: $f"
	done
	echo "# log: $log"
	# The report: from the first sanitizer or invariant line on.
	awk '/^==[0-9]+==|^==INVARIANT==|runtime error:|ERROR: libFuzzer/ ||
	    /^ALARM/ { on = 1 }
	    on && !/^#[0-9]/ { print "# " $0; if (++k == 60) exit }' "$log"
done
exit $failed
