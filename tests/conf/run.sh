#!/bin/sh
# SPDX-License-Identifier: ISC
#
# tests/conf/run.sh: configuration regression tests, in TAP.
#
#   NN-name.conf      must pass; "tunmapd -nv -f" prints NN-name.ok, and
#                     that output must parse again and print itself
#   bad-NN-name.conf  must fail; stderr is exactly bad-NN-name.err
#
# Each file is checked from its own directory under its bare name, so the
# "file:line:" in messages does not depend on where the tree is.  Also: the
# shipped example passes -n, and a missing file is reported by path.
#
#   run.sh            run the tests (make check does, with top_srcdir and
#                     top_builddir set)
#   run.sh --update   rewrite the .ok and .err files from what tunmapd
#                     prints now; review the diff before committing it

set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
given_builddir=${top_builddir:-}
if [ -z "$given_builddir" ]; then
	if [ -x "$PWD/src/tunmapd" ]; then
		top_builddir=$PWD
	else
		top_builddir=$top_srcdir
	fi
fi
confdir=$top_srcdir/tests/conf
tunmapd=${TUNMAPD:-$top_builddir/src/tunmapd}

update=0
case "${1:-}" in
--update)
	update=1
	;;
"")
	;;
*)
	echo "usage: run.sh [--update]" >&2
	exit 2
	;;
esac

# Under make check a missing daemon is an error; run by hand, a skip.
if [ ! -x "$tunmapd" ]; then
	if [ -n "$given_builddir" ] || [ $update -eq 1 ]; then
		echo "Bail out! $tunmapd not built"
		exit 99
	fi
	echo "1..0 # SKIP $tunmapd not built"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tunmapd-conf.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# Print a file as TAP diagnostics.
diag() {
	sed 's/^/# /' "$1"
}

# Compare actual output $2 with expected file $1; diagnostics on a difference.
same() {
	if [ -f "$1" ] && diff -u "$1" "$2" >"$tmp/diff" 2>&1; then
		return 0
	fi
	[ -f "$1" ] || echo "missing $1" >"$tmp/diff"
	diag "$tmp/diff"
	return 1
}

# Run tunmapd in the directory of $2 with the flags in $1, on the file's
# bare name: stdout to $tmp/out, stderr to $tmp/err, status in $rc.
check_file() {
	(cd "$(dirname "$2")" && exec "$tunmapd" "$1" -f "$(basename "$2")") \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# NN-name.conf: accepted, normalized output as expected, and stable.
for conf in "$confdir"/[0-9]*.conf; do
	[ -e "$conf" ] || continue
	name=$(basename "$conf" .conf)
	expect=$confdir/$name.ok
	check_file -nv "$conf"
	if [ $update -eq 1 ]; then
		if [ $rc -eq 0 ]; then
			cp "$tmp/out" "$expect"
			ok "$name: wrote $name.ok"
		else
			diag "$tmp/err"
			not_ok "$name: rejected, $name.ok not written"
		fi
		continue
	fi
	if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
		echo "# exit status $rc, stderr:"
		diag "$tmp/err"
		not_ok "$name: accepted"
		continue
	fi
	if same "$expect" "$tmp/out"; then
		ok "$name: accepted, -nv prints $name.ok"
	else
		not_ok "$name: accepted, -nv prints $name.ok"
	fi

	# The normalized form is itself a configuration that prints the same;
	# the files it names are taken from next to it.
	cp "$tmp/out" "$tmp/printed.conf"
	for f in "$confdir/$name".bindings; do
		[ -e "$f" ] && cp "$f" "$tmp/"
	done
	check_file -nv "$tmp/printed.conf"
	if [ $rc -eq 0 ] && same "$expect" "$tmp/out"; then
		ok "$name: -nv output parses again and prints the same"
	else
		echo "# exit status $rc, stderr:"
		diag "$tmp/err"
		not_ok "$name: -nv output parses again and prints the same"
	fi
done

# bad-NN-name.conf: rejected, every error reported exactly.
for conf in "$confdir"/bad-*.conf; do
	[ -e "$conf" ] || continue
	name=$(basename "$conf" .conf)
	expect=$confdir/$name.err
	check_file -n "$conf"
	if [ $update -eq 1 ]; then
		if [ $rc -eq 1 ]; then
			cp "$tmp/err" "$expect"
			ok "$name: wrote $name.err"
		else
			echo "# exit status $rc"
			not_ok "$name: accepted, $name.err not written"
		fi
		continue
	fi
	if [ $rc -ne 1 ]; then
		echo "# exit status $rc, expected 1; stdout:"
		diag "$tmp/out"
		not_ok "$name: rejected as in $name.err"
	elif [ -s "$tmp/out" ]; then
		echo "# stdout not empty:"
		diag "$tmp/out"
		not_ok "$name: rejected as in $name.err"
	elif same "$expect" "$tmp/err"; then
		ok "$name: rejected as in $name.err"
	else
		not_ok "$name: rejected as in $name.err"
	fi
done

[ $update -eq 1 ] && { echo "1..$n"; [ $failed -eq 0 ]; exit $?; }

# The examples shipped with the daemon pass the check.
for example in tunmapd.conf.example lwaftr.conf.example; do
	if [ ! -f "$top_srcdir/etc/$example" ]; then
		skip "etc/$example passes -n" "file missing"
		continue
	fi
	check_file -n "$top_srcdir/etc/$example"
	if [ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "configuration OK" ] &&
	    [ ! -s "$tmp/err" ]; then
		ok "etc/$example passes -n"
	else
		echo "# exit status $rc; stdout, then stderr:"
		diag "$tmp/out"
		diag "$tmp/err"
		not_ok "etc/$example passes -n"
	fi
done

# A missing file: exit 1 and an error naming the path and the cause.
missing=$tmp/no-such-dir/tunmapd.conf
"$tunmapd" -n -f "$missing" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
    grep -F "$missing" "$tmp/err" | grep -q "No such file or directory"; then
	ok "a missing file is reported with its path"
else
	echo "# exit status $rc; stderr:"
	diag "$tmp/err"
	not_ok "a missing file is reported with its path"
fi

echo "1..$n"
[ $failed -eq 0 ]
