#!/bin/bash
# SPDX-License-Identifier: ISC
#
# deps.sh: installs the Debian 12 packages needed to build tunmapd, run its
# tests, its demo and its benchmarks.  Run as root.  Packages already
# installed are left alone; when all are there, nothing is downloaded.
set -eu

PACKAGES=(
	build-essential autoconf automake pkg-config
	libevent-dev libconfig-dev check libsubunit-dev mandoc
	libmnl-dev libsystemd-dev libcap-ng-dev clang systemd iperf3 tayga
	valgrind cppcheck clang-tools-14 bird2
	iproute2 iputils-ping procps kmod ca-certificates
	python3 python3-scapy netcat-openbsd socat tcpdump curl nftables
)

die() {
	echo "deps.sh: $*" >&2
	exit 1
}

installed() {
	dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null |
	    grep -qx installed
}

# apt_run log command...: quiet, but the whole output is shown on failure.
apt_run() {
	local log=$1

	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "deps.sh: failed: $*" >&2
		cat "$log" >&2
		return 1
	fi
}

main() {
	local p missing=() log

	[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"
	command -v apt-get >/dev/null || die "apt-get not found: Debian 12 expected"
	for p in "${PACKAGES[@]}"; do
		installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "deps.sh: all ${#PACKAGES[@]} packages already installed"
		return 0
	fi
	echo "deps.sh: installing ${missing[*]}"
	log=$(mktemp "${TMPDIR:-/tmp}/tunmapd-deps.XXXXXX")
	export DEBIAN_FRONTEND=noninteractive
	if ! apt_run "$log" timeout 600 apt-get -q update ||
	    ! apt_run "$log" timeout 1800 apt-get -q -y \
	    --no-install-recommends -o Dpkg::Use-Pty=0 install "${missing[@]}"
	then
		echo "deps.sh: log kept in $log" >&2
		return 1
	fi
	rm -f "$log"
	echo "deps.sh: done"
}

main "$@"
