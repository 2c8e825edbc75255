#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages the build and the tests need, when missing.
# Needs root (or sudo) only when something is missing.

set -euo pipefail

pkgs=(
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
	linux-source-6.12 sparse
	# userspace
	libcap-dev libnl-genl-3-dev libnl-route-3-dev libsmartcols-dev pkg-config
	# the VM and its contents
	qemu-system-x86 busybox-static bash-static jq libcap2-bin iproute2
	e2fsprogs
	bats bats-assert bats-support
	# stressing and fuzzing inside the VM
	stress-ng trinity
)

missing=()
for p in "${pkgs[@]}"; do
	case $p in \#*) continue ;; esac
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0

echo "  DEPS    installing ${missing[*]}"
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
