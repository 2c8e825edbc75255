#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write the initramfs of the test VM, without root, with the kernel's
# usr/gen_init_cpio.
#
#   scripts/initramfs.sh OUT.cpio MODE [CMD] [SHARE]
#
# MODE is what the guest's init does (shell, demo, cmd, check; see
# scripts/guest/init).  CMD is the command for "cmd".  SHARE is a host
# directory copied into the guest as /share.  Environment: GUEST, the
# directory for this machine's generated files (default build/guest, with
# vm-exit built there), VM_SHARD (I/N, for tests/vm/run-all).
#
# The guest gets busybox-static, bash-static, bats with bats-support and
# bats-assert, jq, capsh, iproute2's ss, the project's tools (and their
# sanitizer build under /opt/vserver/asan) and tests, each dynamic binary
# with its libraries.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
out=$1 mode=$2 cmd=${3:-} share=${4:-}
gen=$build/kobj/usr/gen_init_cpio
guest=${GUEST:-$build/guest}
mkdir -p "$guest"

die() { echo "initramfs.sh: $*" >&2; exit 1; }

[ -x "$gen" ] || die "$gen is missing; build the kernel first"

list=$(mktemp)
trap 'rm -f "$list"' EXIT
declare -A seen

entry() {	# entry NAME LINE
	[ -n "${seen[$1]:-}" ] && return
	seen[$1]=1
	echo "$2" >> "$list"
}

dir() {
	local d=$1 parent
	[ "$d" = / ] && return
	parent=$(dirname "$d")
	dir "$parent"
	entry "$d" "dir $d 0755 0 0"
}

file() {	# file DEST SRC [MODE]
	local mode=${3:-}
	[ -f "$2" ] || die "$2 is missing"
	[ -n "$mode" ] || mode=$(stat -c %a "$2")
	dir "$(dirname "$1")"
	entry "$1" "file $1 $2 $mode 0 0"
}

slink() {
	dir "$(dirname "$1")"
	entry "$1" "slink $1 $2 0777 0 0"
}

# A dynamic executable and the libraries it loads.
elf() {		# elf DEST SRC
	local lib real libs
	file "$1" "$2" 0755
	libs=$(ldd "$2" 2>/dev/null | grep -o '/[^ ]*' || true)
	for lib in $libs; do
		real=$(realpath "$lib")
		file "$real" "$real" 0755
		lib="$(realpath "$(dirname "$lib")")/$(basename "$lib")"
		[ "$lib" = "$real" ] || slink "$lib" "$real"
	done
}

# Merged /usr, as on the host, so library paths from ldd resolve.
for d in bin sbin lib lib64; do
	dir "/usr/$d"
	slink "/$d" "usr/$d"
done
for d in dev proc sys tmp run root mnt etc/vm opt/vserver/tests/bin; do
	dir "/$d"
done
entry /dev/console "nod /dev/console 0600 0 0 c 5 1"
entry /dev/ttyS1 "nod /dev/ttyS1 0600 0 0 c 4 65"

file /init "$top/scripts/guest/init" 0755
file /usr/sbin/vm-exit "$guest/vm-exit" 0755
file /opt/vserver/demo "$top/scripts/guest/demo" 0755
echo "root:x:0:0:root:/root:/bin/bash" > "$guest/passwd"
echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >> "$guest/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$guest/group"
file /etc/passwd "$guest/passwd" 0644
file /etc/group "$guest/group" 0644

# busybox and its applets; bash as bash
file /usr/bin/busybox /usr/bin/busybox 0755
for a in $(/usr/bin/busybox --list-full); do
	case $a in
	linuxrc|sbin/init|bin/bash) continue ;;
	esac
	a=${a#usr/}
	slink "/usr/$a" /usr/bin/busybox
done
file /usr/bin/bash /usr/bin/bash-static 0755

# bats and its libraries
for f in $(dpkg -L bats bats-support bats-assert | grep -E '^/usr/(bin|lib|libexec)/'); do
	if [ -L "$f" ]; then slink "$f" "$(readlink "$f")"
	elif [ -d "$f" ]; then dir "$f"
	else file "$f" "$f"
	fi
done
elf /usr/bin/jq /usr/bin/jq
elf /usr/sbin/capsh /usr/sbin/capsh
# iproute2's ss, for the sockets of network contexts (busybox has ip)
elf /usr/bin/ss /usr/bin/ss
elf /usr/bin/stress-ng /usr/bin/stress-ng
elf /usr/bin/trinity /usr/bin/trinity
# ext4 with project quotas, for the disk limits; chattr -p/-P and lsattr -p
# (busybox has applets of these names, without those options)
elf /opt/e2fsprogs/mke2fs /usr/sbin/mke2fs
elf /opt/e2fsprogs/chattr /usr/bin/chattr
elf /opt/e2fsprogs/lsattr /usr/bin/lsattr

# the project: tools, their sanitizer build, tests
elf /usr/sbin/vctx "$build/user/bin/vctx"
elf /opt/vserver/asan/bin/vctx "$build/user-asan/bin/vctx"
elf /usr/sbin/vlimit "$build/user/bin/vlimit"
elf /opt/vserver/asan/bin/vlimit "$build/user-asan/bin/vlimit"
elf /usr/sbin/vserver "$build/user/bin/vserver"
elf /opt/vserver/asan/bin/vserver "$build/user-asan/bin/vserver"
dir /opt/vserver/tests/vm
for f in "$top"/tests/vm/*.bats "$top"/tests/vm/*.bash; do
	[ -f "$f" ] && file "/opt/vserver/tests/vm/$(basename "$f")" "$f" 0644
done
file /opt/vserver/tests/run-all "$top/tests/vm/run-all" 0755
file /opt/vserver/tests/kmemleak "$top/tests/vm/kmemleak" 0755
file /opt/vserver/tests/lsm-stack "$top/tests/vm/lsm-stack" 0755
for f in "$build"/tests-vm/*; do
	[ -x "$f" ] && elf "/opt/vserver/tests/bin/$(basename "$f")" "$f"
done
# The fuzzer runs apart from the tests: run-all gives it a budget
for f in "$build"/fuzz/*; do
	[ -x "$f" ] && elf "/opt/vserver/tests/fuzz/$(basename "$f")" "$f"
done
# The library's own tests, which skip on a kernel without vserver, run
# for real here: plain, shared and sanitizer builds.
for v in user user-asan; do
	for t in test-libvserver test-libvserver-shared test-libvserver-event; do
		elf "/opt/vserver/tests/bin/$v-$t" "$build/$v/tests/unit/$t"
	done
done

# this run
echo "$mode" > "$guest/mode"
printf '%s\n' "$cmd" > "$guest/cmd"
file /etc/vm/mode "$guest/mode" 0644
file /etc/vm/cmd "$guest/cmd" 0644
echo "${VM_SHARD:-1/1}" > "$guest/shard"
file /etc/vm/shard "$guest/shard" 0644
if [ -n "$share" ]; then
	[ -d "$share" ] || die "SHARE=$share is not a directory"
	share=$(cd "$share" && pwd)
	dir /share
	while read -r f; do
		rel=${f#"$share"}
		if [ -L "$f" ]; then slink "/share$rel" "$(readlink "$f")"
		elif [ -d "$f" ]; then dir "/share$rel"
		else file "/share$rel" "$f"
		fi
	done < <(find "$share" -mindepth 1)
fi

"$gen" "$list" > "$out"
