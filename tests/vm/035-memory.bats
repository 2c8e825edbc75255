#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Memory limits from the shell: a context bound to its memory cgroup by
# vlimit or "vctx create --limit", a process that touches more than the
# hard limit stopped inside the cgroup while the host and other contexts
# carry on, the counters vlimit shows, and the cgroup of an ended context.

load helpers

# vlimit from the same build as the vctx under test
VLIMIT=${VLIMIT:-$(dirname "$VCTX")/vlimit}

CG=/sys/fs/cgroup

# A command to put in the background inside a context: it sleeps with no
# file descriptor of bats open (bats waits for those).
SLEEPER='sleep 1000 < /dev/null > /dev/null 2>&1 3>&-'

# What the check of the VM's console log takes for a kernel splat
SPLAT='(BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|KFENCE:|'
SPLAT+='possible circular locking|possible recursive locking|inconsistent lock state|'
SPLAT+='lockdep|suspicious RCU usage|rcu_.*stall|INFO: task .* blocked|'
SPLAT+='Kernel panic|kernel BUG|unreferenced object|Call Trace:)'

setup() {
	require_vserver
	[ -x "$VLIMIT" ] || fail "vlimit not found at $VLIMIT"
	grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/self/mounts ||
		fail "the cgroup2 hierarchy is not mounted on $CG"
	grep -qw memory "$CG/cgroup.controllers" ||
		fail "the memory controller is not in $CG/cgroup.controllers"
}

teardown() {
	# Release what a failed test may have left behind.
	for x in 3501 3502; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	for x in 3501 3502; do
		remove_cgroup "$CG/vserver/$x"
	done
	restore_console
	return 0
}

# remove_cgroup DIR: remove the cgroup DIR if it exists, waiting up to 5
# seconds for the processes in it to exit.
remove_cgroup() {
	local _
	for _ in $(seq 50); do
		[ -d "$1" ] || return 0
		rmdir "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# The kernel reports an OOM kill with a stack dump ("Call Trace:"), which
# the check of the console log would take for a splat.  While a test
# provokes one, only errors and worse reach the console (the first field
# of /proc/sys/kernel/printk); assert_no_splat then checks that part of
# the kernel log instead, leaving out the stack dumps of the report.
quiet_console() {
	saved_printk=$(cut -f1 /proc/sys/kernel/printk)
	marker="035-memory: $BATS_TEST_NUMBER $$ $RANDOM"
	echo 4 > /proc/sys/kernel/printk
	echo "$marker" > /dev/kmsg
}

restore_console() {
	[ -n "${saved_printk:-}" ] || return 0
	# Records still on their way to the console are dropped at this level
	sleep 1
	echo "$saved_printk" > /proc/sys/kernel/printk
	saved_printk=
}

# The kernel log since quiet_console has no splat but the stack dumps of
# OOM reports (each from "Call Trace:" to "</TASK>").
assert_no_splat() {
	local log hits
	log=$(dmesg | awk -v m="$marker" 'index($0, m) { on = 1 } on')
	[ -n "$log" ] || fail "the kernel log no longer has the marker '$marker'"
	hits=$(sed '/Call Trace:/,/<\/TASK>/d' <<< "$log" | grep -E "$SPLAT" || true)
	[ -z "$hits" ] || fail "the kernel log has a splat: $hits"
}

# jq_memory FILTER: FILTER applied to the memory row of "vlimit --json XID",
# by default of 3501
jq_memory() {
	"$VLIMIT" --json "${2:-3501}" | jq -r ".limits[] | select(.resource == \"memory\") | $1"
}

# event NAME: the counter NAME of memory.events of context 3501
event() {
	awk -v n="$1" '$1 == n { print $2 }' "$CG/vserver/3501/memory.events"
}

# The pids of context XID, sorted
context_pids() {
	"$VCTX" ps --json "$1" | jq -r '.processes[].pid' | sort -n
}

@test "vlimit --list names memory, limited by the memory cgroup" {
	run --separate-stderr "$VLIMIT" --list --noheadings
	assert_success
	assert_line --regexp '^memory +- ENOMEM +OOM kill,allocations +bytes of memory \(memory cgroup\)$'
}

@test "vlimit binds a running context to its memory cgroup" {
	"$VCTX" create --xid 3501 --persistent -- sh -c "$SLEEPER & $SLEEPER & exit 0"
	[ ! -e "$CG/vserver/3501" ]
	run --separate-stderr "$VLIMIT" 3501 memory=16M
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	grep -qw memory "$CG/cgroup.subtree_control"
	grep -qw memory "$CG/vserver/cgroup.subtree_control"
	assert_equal "$(cat "$CG/vserver/3501/memory.max")" 16777216
	assert_equal "$(cat "$CG/vserver/3501/memory.high")" 16777216
	# Both sleepers, and nothing else
	assert_equal "$(sort -n "$CG/vserver/3501/cgroup.procs")" "$(context_pids 3501)"
	assert_equal "$(wc -l < "$CG/vserver/3501/cgroup.procs")" 2
	run cat "/proc/$(head -n 1 "$CG/vserver/3501/cgroup.procs")/cgroup"
	assert_output '0::/vserver/3501'
	run jq_memory '[.soft, .hard, .min, .hits, .oom_kill] | @text'
	assert_output '[16777216,16777216,null,0,0]'
	run --separate-stderr "$VLIMIT" 3501
	assert_line --regexp '^memory +[0-9]+ +- +[0-9]+ +16777216 +16777216 +0$'
}

@test "vctx create --limit memory starts the command in the context's cgroup" {
	run --separate-stderr "$VCTX" create --xid 3501 --limit memory=32M:48M,nproc=20 -- \
		sh -c "cat /proc/self/cgroup $CG/vserver/3501/memory.high $CG/vserver/3501/memory.max"
	assert_success
	assert_output "$(printf '0::/vserver/3501\n33554432\n50331648')"
	assert_equal "$stderr" ''
}

@test "Processes of a bound context are born in its cgroup and cannot leave it" {
	"$VCTX" create --xid 3501 --persistent --limit memory=64M -- sh -c "$SLEEPER & exit 0"
	run --separate-stderr "$VCTX" enter 3501 -- sh -c \
		"$SLEEPER & cat /proc/self/cgroup; echo \$\$ > $CG/cgroup.procs"
	assert_failure
	assert_output '0::/vserver/3501'
	[[ "$stderr" == *"Permission denied"* ]]
	assert_equal "$(sort -n "$CG/vserver/3501/cgroup.procs")" "$(context_pids 3501)"
	assert_equal "$(wc -l < "$CG/vserver/3501/cgroup.procs")" 2
}

@test "A process that touches 64M under memory=16M is stopped in its cgroup, and the rest carries on" {
	quiet_console
	run --separate-stderr "$VCTX" create --xid 3501 --persistent --limit memory=16M -- \
		sh -c 'dd if=/dev/zero of=/dev/null bs=67108864 count=1 2>/dev/null; echo "dd: $?"'
	assert_success
	# dd was killed by the OOM killer of the cgroup (SIGKILL), or its
	# allocation failed; the shell that ran it lived on.
	assert_output --regexp '^dd: (137|1)$'
	# The usage reached the hard limit; the peak passed it by no more than
	# what the kernel charges without fail.
	[ "$(event max)" -ge 1 ]
	[ "$(jq_memory .hits)" -eq "$(event max)" ]
	[ "$(jq_memory .max)" -ge 8388608 ]
	[ "$(jq_memory .max)" -le $((16777216 + 1048576)) ]
	if [ "$output" = 'dd: 137' ]; then
		[ "$(event oom_kill)" -ge 1 ]
		[ "$(jq_memory .oom_kill)" -eq "$(event oom_kill)" ]
	fi
	run --separate-stderr "$VLIMIT" 3501
	assert_line --regexp '^memory +[0-9]+ +- +[0-9]+ +16777216 +16777216 +[1-9][0-9]*$'

	# The host, another context and the context itself keep working.
	run dd if=/dev/zero of=/dev/null bs=33554432 count=1
	assert_success
	run --separate-stderr "$VCTX" create --xid 3502 -- \
		sh -c 'dd if=/dev/zero of=/dev/null bs=33554432 count=1 2>/dev/null && cat /proc/self/cgroup'
	assert_success
	assert_output '0::/'
	run --separate-stderr "$VCTX" enter 3501 -- sh -c 'echo alive; cat /proc/self/cgroup'
	assert_success
	assert_output "$(printf 'alive\n0::/vserver/3501')"
	assert_no_splat

	# Once the context has ended, its cgroup can go.
	"$VCTX" flags --set ~persistent 3501
	run "$VCTX" wait --timeout 10 3501
	[ ! -e /proc/virtual/3501 ]
	remove_cgroup "$CG/vserver/3501"
	[ ! -e "$CG/vserver/3501" ]
}

@test "vlimit memory=unlimited lifts both memory limits" {
	"$VCTX" create --xid 3501 --persistent --limit memory=16M:32M -- true
	run --separate-stderr "$VLIMIT" 3501 memory=:64M
	assert_success
	assert_equal "$(cat "$CG/vserver/3501/memory.high")" 16777216
	assert_equal "$(cat "$CG/vserver/3501/memory.max")" 67108864
	run --separate-stderr "$VLIMIT" 3501 memory=unlimited
	assert_success
	assert_equal "$(cat "$CG/vserver/3501/memory.high")" max
	assert_equal "$(cat "$CG/vserver/3501/memory.max")" max
	[ "$(jq_memory '[.soft, .hard] | @text')" = '[null,null]' ]
}

@test "A context's cgroup can be removed once the context has ended" {
	"$VCTX" create --xid 3501 --persistent --limit memory=16M -- sh -c "$SLEEPER & exit 0"
	# Not while a process is in it
	run rmdir "$CG/vserver/3501"
	assert_failure
	"$VCTX" kill -s KILL 3501
	"$VCTX" flags --set ~persistent 3501
	run "$VCTX" wait --timeout 10 3501
	[ ! -e /proc/virtual/3501 ]
	remove_cgroup "$CG/vserver/3501"
	[ ! -e "$CG/vserver/3501" ]
}

@test "A new context does not inherit the cgroup of an ended one with its xid" {
	"$VCTX" create --xid 3501 --limit memory=16M -- true
	[ -d "$CG/vserver/3501" ]
	run --separate-stderr "$VCTX" create --xid 3501 --persistent -- true
	assert_success
	[ ! -e "$CG/vserver/3501" ]
	run --separate-stderr "$VLIMIT" --noheadings 3501
	assert_success
	refute_line --regexp '^memory '
}

@test "Try to set memory limits from inside a context" {
	run --separate-stderr "$VCTX" create --xid 3501 --setup -- "$VLIMIT" self memory=16M
	assert_failure 1
	assert_equal "$stderr" 'vlimit: memory: cannot be set from inside a context'
	[ ! -e "$CG/vserver/3501" ]
}

@test "Try to set memory limits as an unprivileged user" {
	"$VCTX" create --xid 3501 --persistent -- true
	run --separate-stderr as_nobody "$VLIMIT" 3501 memory=16M
	assert_failure 1
	[[ "$stderr" =~ ^"vlimit: memory: cannot ".*": Permission denied"$ ]]
	[ ! -e "$CG/vserver/3501" ]
}
