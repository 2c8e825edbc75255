#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every test: host unit tests and CLI suites (plain and sanitizer
# builds), the kernel's static checks, the VM suites on the patched
# kernel, and that kernel booted with LSM lists that leave vserver out.
# Each part writes TAP; the last line is the count:
#
#   N passed, N failed, N skipped
#
# A step that cannot run (the kernel did not build, say) is one failure,
# never a silent pass.  Exits non-zero when anything failed.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
out=$build/check
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

# step NAME COMMAND...: run one step, its TAP goes to $out/NAME.tap.
# A step whose own TAP says nothing about its failure gets a "not ok".
step() {
	local name=$1 rc
	shift
	echo "=== $name"
	"$@" > >(tee "$out/$name.tap") 2> >(tee "$out/$name.err" >&2)
	rc=$?
	wait
	if [ $rc != 0 ] && ! grep -q '^not ok' "$out/$name.tap"; then
		echo "not ok - $name exited $rc" | tee -a "$out/$name.tap"
	fi
	return $rc
}

# A step that only builds: one TAP line for it.
build_step() {
	local name=$1 log
	shift
	log=$out/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-').log
	if "$@" > "$log" 2>&1; then
		echo "ok - $name"
	else
		tail -n 30 "$log" | sed 's/^/# /'
		echo "not ok - $name (log: $log)"
		return 1
	fi
}

# The VM suites are split over VM_SHARDS machines side by side (default
# 2: QEMU emulates a machine mostly on one thread, and there are two cores).
vm_check() {
	local shards=${VM_SHARDS:-2} i rc=0 pids=()

	for ((i = 1; i <= shards; i++)); do
		VM_NAME=vm-$i VM_SHARD=$i/$shards \
			scripts/vm.sh check > "$out/vm-$i.log" 2>&1 &
		pids+=($!)
	done
	for ((i = 1; i <= shards; i++)); do
		if wait "${pids[i - 1]}"; then
			cat "$build/vm-$i/results.tap"
			echo "ok - VM $i/$shards ran its suites and its kernel log is clean"
		else
			rc=1
			cat "$build/vm-$i/results.tap"
			sed 's/^/# /' "$out/vm-$i.log"
			echo "not ok - VM $i/$shards failed; console: $build/vm-$i/console.log"
		fi
	done
	return $rc
}

# The kernel builds in the background while the host tests run: they use
# one core, the kernel build both.
# It is disowned, so that the plain "wait" in step() does not wait for it;
# it says how it ended in kernel.rc.
kernel_bg() {
	scripts/kernel.sh build > "$out/kernel.log" 2>&1
	echo $? > "$out/kernel.rc.tmp"
	mv "$out/kernel.rc.tmp" "$out/kernel.rc"
}

kernel_result() {
	while [ ! -f "$out/kernel.rc" ] && kill -0 "$kernel_pid" 2>/dev/null; do
		sleep 2
	done
	if [ "$(cat "$out/kernel.rc" 2>/dev/null)" = 0 ]; then
		echo "ok - build the patched kernel"
	else
		tail -n 30 "$out/kernel.log" | sed 's/^/# /'
		echo "not ok - build the patched kernel (log: $out/kernel.log)"
		return 1
	fi
}

# The VM booted with lsm= lists that leave vserver out, as a distribution
# kernel with its own list does (tests/vm/lsm-stack): two short boots side
# by side, while the lint runs.  Disowned like the kernel build; it says
# how it ended in lsm-stack.rc.
lsm_bg() {
	tests/vm/lsm-stack > "$out/lsm-stack.log" 2>&1
	echo $? > "$out/lsm-stack.rc.tmp"
	mv "$out/lsm-stack.rc.tmp" "$out/lsm-stack.rc"
}

lsm_result() {
	while [ ! -f "$out/lsm-stack.rc" ] && kill -0 "$lsm_pid" 2>/dev/null; do
		sleep 2
	done
	cat "$out/lsm-stack.log"
	[ "$(cat "$out/lsm-stack.rc" 2>/dev/null)" = 0 ]
}

step deps build_step "install missing packages" scripts/deps.sh
kernel_bg &
kernel_pid=$!
disown "$kernel_pid"
step user build_step "build userspace (plain and sanitizer)" make -s user
step unit make -s unit
step host make -s host-tests
if step kernel kernel_result; then
	step vm-tests build_step "build the VM tests" make -s vm-tests
	lsm_bg &
	lsm_pid=$!
	disown "$lsm_pid"
	step lint build_step "W=1, sparse and checkpatch --strict on the kernel side" scripts/kernel.sh lint
	step lsm lsm_result
	step vm vm_check
else
	echo "not ok - the VM suites and the lsm= boots did not run: the kernel did not build" > "$out/vm.tap"
fi

passed=$(cat "$out"/*.tap | grep -E '^ok ' | grep -cvE '# (SKIP|skip)')
skipped=$(cat "$out"/*.tap | grep -E '^ok ' | grep -cE '# (SKIP|skip)')
failed=$(cat "$out"/*.tap | grep -cE '^not ok ')
echo
if [ "$failed" != 0 ]; then
	echo "failures:"
	grep -hE '^not ok ' "$out"/*.tap | sed 's/^/  /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" != 0 ]
