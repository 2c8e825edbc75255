#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the patched kernel in QEMU.
#
#   scripts/vm.sh shell|demo|check      scripts/vm.sh cmd 'COMMAND'
#
# Environment: SHARE (a host directory, copied into the guest as /share),
# VM_TIMEOUT (seconds before a hung guest is killed; default 1500 for
# check, none for shell), VM_MEM (default 1024M), VM_CPUS (default 2),
# VM_NAME (the directory under build/ for this machine's files; default
# vm, so that machines can run side by side), VM_SHARD (I/N: "check" runs
# the Ith machine's share of the suites, see tests/vm/run-all), VM_APPEND (more
# kernel parameters, e.g. kmemleak=off).
#
# The guest's exit status comes back through QEMU's isa-debug-exit device:
# QEMU exits with (status << 1) | 1.  Any other QEMU exit means the guest
# never reported (a panic reboots, and -no-reboot turns that into exit 0).
# Every run then fails if the kernel log shows a splat.
#
# Files: build/vm/console.log (the serial console), and for "check"
# build/vm/results.tap (TAP from the tests, on the second serial port);
# build/$VM_NAME/ when VM_NAME is set.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
mode=${1:?usage: vm.sh shell|demo|check|cmd COMMAND}
cmd=${2:-}
vmdir=$build/${VM_NAME:-vm}
console=$vmdir/console.log
results=$vmdir/results.tap

die() { echo "vm.sh: $*" >&2; exit 1; }

case $mode in
shell) timeout_s=${VM_TIMEOUT:-0} ;;
check) timeout_s=${VM_TIMEOUT:-1500} ;;
demo|cmd) timeout_s=${VM_TIMEOUT:-600} ;;
*) die "unknown mode '$mode'" ;;
esac
[ "$mode" != cmd ] || [ -n "$cmd" ] || die "cmd needs a command"

kernel=$build/bzImage
[ -f "$kernel" ] || die "$kernel is missing; run 'make kernel'"
mkdir -p "$vmdir/guest"
gcc -O2 -static -Wall -Wextra -Werror -o "$vmdir/guest/vm-exit" "$top/scripts/guest/vm-exit.c"
GUEST=$vmdir/guest "$top/scripts/initramfs.sh" "$vmdir/initramfs.cpio" "$mode" "$cmd" "${SHARE:-}"

: > "$console"
: > "$results"
# No 5-level paging: during boot, identify_cpu() clears the CPU's feature
# bits and reads them again with interrupts on, and an interrupt in that
# window sees pgtable_l5_enabled() false; KASAN then takes the 5-level
# direct map for wild memory (a false "wild-memory-access" report in
# __common_interrupt, seen under load).  4-level paging has no such window.
# Each CPU is a socket of its own: the kernel has no ACPI, and the MP table
# of the firmware lists only the first CPU of each socket.
qemu=(qemu-system-x86_64 -M pc -cpu max,la57=off -smp "${VM_CPUS:-2},sockets=${VM_CPUS:-2}" -m "${VM_MEM:-1024M}"
	-kernel "$kernel" -initrd "$vmdir/initramfs.cpio"
	-append "console=ttyS0 panic=-1 oops=panic loglevel=6 ${VM_APPEND:-}"
	-no-reboot -display none -monitor none -nodefaults
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)

qemu+=(-serial chardev:con -serial "file:$results")
case $mode in
shell)	# Ctrl-A X leaves QEMU; Ctrl-A C is its monitor.
	qemu+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$console"
		-mon chardev=con,mode=readline) ;;
check)	qemu+=(-chardev "file,id=con,path=$console") ;;
*)	qemu+=(-chardev "stdio,id=con,signal=off,logfile=$console") ;;
esac
if [ "$timeout_s" != 0 ]; then
	qemu=(timeout -k 10 "$timeout_s" "${qemu[@]}")
fi

set +e
if [ "$mode" = shell ]; then
	"${qemu[@]}" 2> "$vmdir/qemu.err"
else
	"${qemu[@]}" < /dev/null 2> "$vmdir/qemu.err"
fi
rc=$?
set -e

status=
case $rc in
124|137) echo "vm.sh: the guest did not finish within ${timeout_s}s and was killed" >&2 ;;
*)
	if [ $((rc & 1)) = 1 ]; then
		status=$((rc >> 1))
	else
		echo "vm.sh: the guest stopped without reporting a status (QEMU exit $rc; panic?)" >&2
		sed 's/^/  qemu: /' "$vmdir/qemu.err" >&2
	fi
	;;
esac

if ! "$top/scripts/splat.sh" "$console"; then
	echo "vm.sh: the kernel log has a splat; see $console" >&2
	[ -z "$status" ] || [ "$status" != 0 ] || status=1
	exit "${status:-1}"
fi
exit "${status:-1}"
