#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# The build and VM scripts: splat detection, and the patch series checks.

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
REF=/usr/src/linux-source-6.12.tar.xz

setup() {
	tmp=$(mktemp -d)
}

teardown() {
	rm -rf "$tmp"
}

@test "splat.sh accepts a clean boot log" {
	printf 'Linux version 6.12\nLock dependency validator: Copyright\nRun /init as init process\n' > "$tmp/log"
	run "$TOP/scripts/splat.sh" "$tmp/log"
	assert_success
}

@test "Try to pass a log with a splat of each kind through splat.sh" {
	for line in \
		'BUG: KASAN: slab-use-after-free in vs_context_put+0x1/0x2' \
		'WARNING: CPU: 0 PID: 1 at security/vserver/context.c:10' \
		'UBSAN: shift-out-of-bounds in security/vserver/syscall.c:1:2' \
		'WARNING: possible circular locking dependency detected' \
		'BUG: KFENCE: out-of-bounds read in x' \
		'rcu: INFO: rcu_preempt self-detected stall on CPU' \
		'Kernel panic - not syncing: Fatal exception' \
		'Oops: general protection fault, probably for non-canonical address' \
		'unreferenced object 0xffff888003c2d000 (size 64):' \
		'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'; do
		printf 'Linux version 6.12\n%s\n' "$line" > "$tmp/log"
		run --separate-stderr "$TOP/scripts/splat.sh" "$tmp/log"
		assert_failure 1
		[[ "$stderr" == *"$line"* ]]
	done
}

# A stand-in for a kernel tree: only the files the series touches.
fake_tree() {
	[ -f "$REF" ] || skip "$REF is not installed"
	mkdir -p "$tmp/src"
	files=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$TOP"/kernel-patches/*.patch | sort -u)
	tar -C "$tmp/src" -xJf "$REF" --strip-components=1 \
		linux-source-6.12/Makefile $(printf 'linux-source-6.12/%s ' $files)
}

@test "make patch writes a series that applies" {
	fake_tree
	run env KSRC="$tmp/src" BUILD="$tmp/build" "$TOP/scripts/patch.sh"
	assert_success
	n=$(grep -vc '^#' "$TOP/kernel-patches/series")
	[ "$(ls "$tmp/build/patches" | wc -l)" -eq $((n + 1)) ]
	(cd "$tmp/src" && patch -p1 --dry-run -s < "$tmp/build/patch-6.12-vserver.diff")
}

@test "Try to prepare a tree the series does not apply to" {
	fake_tree
	sed -i '/cgroup_exit(tsk);/d' "$tmp/src/kernel/exit.c"
	run --separate-stderr env KSRC="$tmp/src" BUILD="$tmp/build" "$TOP/scripts/kernel.sh" tree
	assert_failure 1
	[[ "$stderr" == *"kernel-patches/0004-exit-let-vserver-see-a-task-leave-its-context.patch does not apply"* ]]
	[[ "$stderr" == *"kernel/exit.c"* ]]
	# Nothing was prepared.
	[ ! -e "$tmp/build/linux" ]
}

@test "Try to use a KSRC that is not a kernel tree" {
	run --separate-stderr env KSRC="$tmp" BUILD="$tmp/build" "$TOP/scripts/kernel.sh" tree
	assert_failure 1
	assert_equal "$stderr" "kernel.sh: KSRC=$tmp is not a kernel source tree"
}
