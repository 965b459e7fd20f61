#!/bin/sh
# SPDX-License-Identifier: ISC
#
# doc-coverage.sh: the manual pages document what the code has.
#  - every key of the tables in src/config.c is an ".It Ic key" entry of
#    tunmapd.conf.5: for top_keys anywhere in the page; for another table,
#    inside the section named after it, singular or plural (TUN for
#    tun_keys, INSTANCES for instance_keys), or else after the group that
#    holds its entries (eam is a key of siit_keys, so the keys of eam_keys
#    belong in SIIT; bindings is a key of softwire_keys, so the keys of
#    binding_keys belong in SOFTWIRE; see holders below for a table named
#    otherwise than its key);
#  - every ".It Ic" entry of tunmapd.conf.5 is a key of those tables;
#  - every counter of STATS_COUNTERS in src/stats.h, that is every name of
#    STATS_TRAFFIC (such as in4 or icmp-sent), every drop reason of
#    DROP_REASONS and, as "reassembly-<name>", every outcome of
#    REASM_REASONS in src/reasm.h, is an ".It Li name" entry of the
#    COUNTERS section of tunmapd.8;
#  - every option letter of the getopt string in src/main.c is an
#    ".It Fl X" entry of tunmapd.8;
#  - every command of the table in src/tunmapctl.c is an ".It Cm command"
#    entry of tunmapctl.8, and every option letter of its getopt string an
#    ".It Fl X" entry.
# The sources are parsed, not compiled, so a new key, counter or option
# fails here until it is documented.  Output is TAP.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

config_c=$top_srcdir/src/config.c
stats_h=$top_srcdir/src/stats.h
reasm_h=$top_srcdir/src/reasm.h
main_c=$top_srcdir/src/main.c
ctl_c=$top_srcdir/src/tunmapctl.c
conf5=$top_srcdir/man/tunmapd.conf.5
page8=$top_srcdir/man/tunmapd.8
ctl8=$top_srcdir/man/tunmapctl.8
default_opts="df:hnvV"

for f in "$config_c" "$stats_h" "$reasm_h" "$ctl_c" "$conf5" "$page8" \
    "$ctl8"; do
	if [ ! -r "$f" ]; then
		echo "Bail out! cannot read $f"
		exit 99
	fi
done

# "table key" for each { "key", CONFIG_TYPE_... } of each *_keys[] table.
keys=$(awk '
	/^static const struct key [a-z0-9_]+_keys\[\]/ {
		t = $0
		sub(/^static const struct key /, "", t)
		sub(/_keys\[\].*/, "", t)
		next
	}
	t != "" && /^};/ { t = ""; next }
	t != "" && match($0, /\{ *"[^"]+" *, *CONFIG_TYPE_/) {
		k = substr($0, RSTART, RLENGTH)
		sub(/^\{ *"/, "", k)
		sub(/".*/, "", k)
		print t, k
	}' "$config_c")

# The counter name, the second field of each X(...) of list $1 in file $2
# (stats.h by default).
counter_names() {
	awk -v list="$1" '
	index($0, "#define " list "(") == 1 { on = 1 }
	on {
		s = $0
		while (match(s, /X\([A-Z0-9_]+, *"[^"]+"/)) {
			d = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			sub(/^[^"]*"/, "", d)
			sub(/"$/, "", d)
			print d
		}
		if ($0 !~ /\\$/)
			exit
	}' "${2:-$stats_h}"
}
drops=$(counter_names DROP_REASONS)
reasm=$(counter_names REASM_REASONS "$reasm_h")
traffic=$(counter_names STATS_TRAFFIC)

# The commands of tunmapctl.c: the first string of each row of commands[].
commands=$(awk '
	/^} commands\[\] = \{/ { on = 1; next }
	on && /^};/ { exit }
	on && match($0, /^\t\{ "[^"]+"/) {
		c = substr($0, RSTART, RLENGTH)
		sub(/^\t\{ "/, "", c)
		sub(/"$/, "", c)
		print c
	}' "$ctl_c")
ctl_opts=$(tr '\n' ' ' <"$ctl_c" |
    sed -n 's/.*getopt *([^"]*"\([^"]*\)".*/\1/p')
ctl_letters=$(printf '%s\n' "$ctl_opts" | tr -d ':+-' | sed 's/./& /g')

# The option string of getopt() or getopt_long(), without the colons.
opts=
if [ -r "$main_c" ]; then
	opts=$(tr '\n' ' ' <"$main_c" |
	    sed -n 's/.*getopt\(_long\)\{0,1\} *([^"]*"\([^"]*\)".*/\2/p')
fi
[ -n "$opts" ] || opts=$default_opts
letters=$(printf '%s\n' "$opts" | tr -d ':+-' | sed 's/./& /g')

if [ -z "$keys" ]; then
	echo "Bail out! no key tables found in $config_c"
	exit 99
fi
if [ -z "$drops" ]; then
	echo "Bail out! no DROP_REASONS found in $stats_h"
	exit 99
fi
if [ -z "$reasm" ]; then
	echo "Bail out! no REASM_REASONS found in $reasm_h"
	exit 99
fi
if [ -z "$traffic" ]; then
	echo "Bail out! no STATS_TRAFFIC found in $stats_h"
	exit 99
fi
if [ -z "$commands" ] || [ -z "$ctl_opts" ]; then
	echo "Bail out! no command table or getopt string found in $ctl_c"
	exit 99
fi

# Print the body of section $2 (".Sh $2") of page $1; nothing if absent.
section() {
	awk -v title="$2" '
		/^\.Sh / { on = (substr($0, 5) == title); next }
		on' "$1"
}

# Whether the text on stdin has an ".It" line with "$1 $2" in it.
has_item() {
	awk -v macro="$1" -v word="$2" '
		$1 == ".It" {
			for (i = 2; i < NF; i++)
				if ($i == macro && $(i + 1) == word)
					found = 1
		}
		END { exit !found }'
}

nkeys=$(printf '%s\n' "$keys" | wc -l)
ndrops=$(printf '%s\n' "$drops" | wc -l)
ntraffic=$(printf '%s\n' "$traffic" | wc -l)
nreasm=$(printf '%s\n' "$reasm" | wc -l)
nopts=$(printf '%s' "$opts" | tr -d ':+-' | wc -c)
ncmds=$(printf '%s\n' "$commands" | wc -l)
nctlopts=$(printf '%s' "$ctl_opts" | tr -d ':+-' | wc -c)
echo "1..$((nkeys + 1 + ndrops + ntraffic + nreasm + nopts + ncmds + \
    nctlopts))"

n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

# Tables whose entries are the value of a key of another name, as
# "table:holder": softwire.routes holds the entries of swroute_keys.
holders="swroute:softwire"

# The section of tunmapd.conf.5 for the keys of table $1, or nothing.
table_section() {
	for t in "$1" "$1s" $(printf '%s\n' "$keys" | awk -v k="$1" '
	    $2 == k || $2 == k "s" { print $1; exit }') \
	    $(printf '%s\n' $holders | sed -n "s/^$1://p"); do
		title=$(printf '%s\n' "$t" | tr '[:lower:]' '[:upper:]')
		if [ -n "$(section "$conf5" "$title")" ]; then
			echo "$title"
			return
		fi
	done
}

while read -r table key; do
	if [ "$table" = top ]; then
		has_item Ic "$key" <"$conf5"
		result $? "top key $key: .It Ic $key in tunmapd.conf.5"
		continue
	fi
	title=$(table_section "$table")
	if [ -z "$title" ]; then
		result 1 "$table key $key: tunmapd.conf.5 has no section for $table"
		continue
	fi
	section "$conf5" "$title" | has_item Ic "$key"
	result $? "$table key $key: .It Ic $key in section $title of tunmapd.conf.5"
done <<EOF
$keys
EOF

known=$(printf '%s\n' "$keys" | awk '{ print $2 }')
stale=$(awk '$1 == ".It" && $2 == "Ic" { print $3 }' "$conf5" |
    grep -vxF "$known")
result "$([ -z "$stale" ]; echo $?)" \
    "every .It Ic of tunmapd.conf.5 is a key of config.c"
for k in $stale; do
	echo "# documented but not in config.c: $k"
done

counters=$(section "$page8" COUNTERS)
for d in $drops; do
	printf '%s\n' "$counters" | has_item Li "$d"
	result $? "drop counter $d: .It Li $d in COUNTERS of tunmapd.8"
done

for r in $reasm; do
	printf '%s\n' "$counters" | has_item Li "reassembly-$r"
	result $? "reassembly counter reassembly-$r: .It Li reassembly-$r in COUNTERS of tunmapd.8"
done

for w in $traffic; do
	printf '%s\n' "$counters" | has_item Li "$w"
	result $? "counter $w: .It Li $w in COUNTERS of tunmapd.8"
done

for o in $letters; do
	has_item Fl "$o" <"$page8"
	result $? "option -$o: .It Fl $o in tunmapd.8"
done

while read -r c; do
	grep -Eq "^\.It Cm $c( |\$)" "$ctl8"
	result $? "tunmapctl command $c: .It Cm $c in tunmapctl.8"
done <<EOF
$commands
EOF

for o in $ctl_letters; do
	has_item Fl "$o" <"$ctl8"
	result $? "tunmapctl option -$o: .It Fl $o in tunmapctl.8"
done

exit "$fail"
