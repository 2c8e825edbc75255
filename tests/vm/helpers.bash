# SPDX-License-Identifier: GPL-2.0-only
# Shared setup of the BATS suites that run inside the test VM.

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# The tool under test: the plain build, or the sanitizer build when
# run-all sets VCTX to it.
VCTX=${VCTX:-/usr/sbin/vctx}

# vlimit from the same build as the vctx under test
VLIMIT=${VLIMIT:-$(dirname "$VCTX")/vlimit}

# Skip with a reason when the kernel lacks vserver, and fail on anything
# else unexpected: these suites only make sense on the patched kernel.
require_vserver() {
	[ -r /proc/virtual/info ] ||
		fail "/proc/virtual/info is missing: this is not the patched kernel"
}

# Run a command as the unprivileged user nobody (busybox has no
# setpriv --reuid, so su with an explicit shell).
as_nobody() {
	su -s /bin/bash nobody -c "$(printf '%q ' "$@")"
}

# What the check of the VM's console log (scripts/splat.sh on the host)
# takes for a kernel splat
KERNEL_SPLAT='(BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|KFENCE:|'
KERNEL_SPLAT+='possible circular locking|possible recursive locking|inconsistent lock state|'
KERNEL_SPLAT+='lockdep|suspicious RCU usage|rcu_.*stall|INFO: task .* blocked|'
KERNEL_SPLAT+='Kernel panic|kernel BUG|unreferenced object|suspected memory leaks|Call Trace:)'

# kmsg_mark: write a line that names the running test into the kernel log,
# and print it, for kernel_splats_since.
kmsg_mark() {
	local mark="bats: ${BATS_TEST_NAME:-test} $$ $RANDOM"
	echo "$mark" > /dev/kmsg
	echo "$mark"
}

# kernel_splats_since MARK: print the splats the kernel logged after the
# line MARK; fail when the log no longer holds MARK.
kernel_splats_since() {
	local log
	log=$(dmesg | awk -v m="$1" 'on; index($0, m) { on = 1 }')
	dmesg | grep -qF "$1" || fail "the kernel log no longer has the mark '$1'"
	grep -E "$KERNEL_SPLAT" <<< "$log" |
		grep -vE 'lockdep: fixing up|Lock dependency validator' || true
}

# context_counter NAME: a counter of /proc/virtual/status (#CTotal:,
# #CActive:)
context_counter() {
	awk -v n="$1" '$1 == n { print $2 }' /proc/virtual/status
}

# poll TRIES COMMAND...: run COMMAND every 0.1 s until it succeeds, at
# most TRIES times.
poll() {
	local tries=$1
	shift
	until "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# no_context XID: context XID does not exist
no_context() {
	[ ! -e "/proc/virtual/$1" ]
}

# contexts_freed: the counters of /proc/virtual/status are back at
# $total_before and $active_before, which the test read before it made
# its contexts
contexts_freed() {
	[ "$(context_counter '#CTotal:')" -eq "$total_before" ] &&
		[ "$(context_counter '#CActive:')" -eq "$active_before" ]
}

# vserver (the guest manager) from the same build as the vctx under test
VSERVER=${VSERVER:-$(dirname "$VCTX")/vserver}
