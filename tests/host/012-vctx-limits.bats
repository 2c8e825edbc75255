#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Limits and cgroups of "vctx create" and "vctx enter", against the faked
# kernel of fake-vserver.c and a directory that imitates cgroupfs
# ($VSERVER_CGROUP_ROOT, see fake_cgroup): --limit applies the limits to
# the new context during its setup, memory in a cgroup the command starts
# in, and "vctx enter" joins the cgroup of the context it enters.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

# Context 2 (web) exists; the kernel has every limit; no cgroup2
# hierarchy until a test asks for one with fake_cgroup.
setup() {
	require_vctx
	use_fake_vserver
	fake_contexts "2:web:3:41:$PERSISTENT"
	export FAKE_VSERVER_RLIMIT_MASK=$ALL_LIMITS
	export FAKE_VSERVER_RLIMITS="$BATS_TEST_TMPDIR/rlimits"
	: >"$FAKE_VSERVER_RLIMITS"
	CG=$VSERVER_CGROUP_ROOT
}

# The calls of "vctx create --xid 42" without other options but --limit,
# around the limit calls given as arguments
create_calls() {
	echo 'ctx_create 42 flagword=0x700000000'
	[[ $# -eq 0 ]] || printf '%s\n' "$@"
	echo 'set_cflags 42 flagword=0x0 mask=0x200000000'
	echo 'set_cflags 42 flagword=0x0 mask=0x100000000'
}

# assert_usage_error MESSAGE: the last run of "vctx create" failed with
# MESSAGE and the "Try" line, and asked the kernel nothing
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1" "Try 'vctx create --help' for more information."
	assert_calls
}

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1"
}

@test "vctx create --help names --limit and the resources" {
	run --separate-stderr "$VCTX" create --help
	assert_success
	assert_line '     --limit <list>     set resource limits: <resource>=<limits>,...'
	assert_line 'Resources:'
	assert_line ' nproc     tasks, threads included'
	assert_line ' memory    bytes of memory (memory cgroup)'
	local text="$output"
	[[ "$text" == *'--limit'*'--help'*'Resources:'*'vctx(8).' ]]
}

@test "vctx create --limit sets the limits of the new context during its setup" {
	run --separate-stderr "$VCTX" create --xid 42 --limit nproc=100,nofile=1K:2K \
		--limit nsock=50: -- echo ok
	assert_success
	assert_output 'ok'
	assert_equal "$stderr" ''
	assert_equal "$(cat "$FAKE_VSERVER_LOG")" "$(echo 'get_rlimit_mask 0'; create_calls \
		'set_rlimit 42 id=6 minimum=keep softlimit=100 maximum=100' \
		'set_rlimit 42 id=7 minimum=keep softlimit=1024 maximum=2048' \
		'set_rlimit 42 id=16 minimum=keep softlimit=50 maximum=keep')"
}

@test "vctx create --limit sets the limits before the names and the ceiling" {
	run --separate-stderr "$VCTX" create --xid 42 --name db --secure \
		--limit nproc=10 -- true
	assert_success
	assert_equal "$(sed -n '3,5p' "$FAKE_VSERVER_LOG" | cut -d' ' -f1)" \
		"$(printf 'set_rlimit\nset_vhi_name\nset_bcaps')"
}

@test "vctx create --setup --limit leaves the setup to the command" {
	run --separate-stderr "$VCTX" create --setup --xid 42 --limit shmem=5 true
	assert_success
	assert_calls 'get_rlimit_mask 0' 'ctx_create 42 flagword=0x700000000' \
		'set_rlimit 42 id=19 minimum=keep softlimit=5 maximum=5'
}

@test "vctx create --limit memory binds the new context's cgroup before the command runs" {
	fake_cgroup
	run --separate-stderr "$VCTX" create --xid 42 --limit memory=32M -- \
		sh -c 'echo $$; cat "$1/cgroup.procs"' sh "$CG/vserver/42"
	assert_success
	assert_equal "$stderr" ''
	# The command's process, vctx before it ran the command, and only it
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[1]}" "${lines[0]}"
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 33554432
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 33554432
	assert_equal "$(cat "$CG/cgroup.subtree_control")" '+memory'
	assert_equal "$(cat "$CG/vserver/cgroup.subtree_control")" '+memory'
	# Memory asks the kernel nothing
	assert_calls "$(create_calls)"
}

@test "vctx create --limit memory binds the xid the kernel picked" {
	fake_cgroup
	run --separate-stderr "$VCTX" create --verbose --limit nproc=5,memory=1M:2M -- true
	assert_success
	assert_output 'created context 3'
	assert_equal "$(cat "$CG/vserver/3/memory.high")" 1048576
	assert_equal "$(cat "$CG/vserver/3/memory.max")" 2097152
	assert_equal "$(grep -c '^set_rlimit 3 id=6 ' "$FAKE_VSERVER_LOG")" 1
}

@test "vctx create replaces the empty cgroup an earlier context left with its xid" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/42"
	echo 1048576 >"$CG/vserver/42/memory.max"
	echo 'low 0 high 0 max 9 oom 9 oom_kill 9' >"$CG/vserver/42/memory.events"
	run --separate-stderr "$VCTX" create --xid 42 -- true
	assert_success
	[[ ! -e "$CG/vserver/42" ]]
	mkdir "$CG/vserver/42"
	echo 1048576 >"$CG/vserver/42/memory.max"
	run --separate-stderr "$VCTX" create --xid 42 --limit memory=2M -- true
	assert_success
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 2097152
	assert_equal "$(grep '^oom_kill ' "$CG/vserver/42/memory.events")" 'oom_kill 0'
}

@test "vctx create leaves alone an earlier cgroup with processes in it" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/42"
	echo 1 >"$CG/vserver/42/cgroup.procs"
	run --separate-stderr "$VCTX" create --xid 42 -- true
	assert_success
	assert_equal "$(cat "$CG/vserver/42/cgroup.procs")" 1
}

@test "Try to create a context with a bad --limit" {
	run --separate-stderr "$VCTX" create --limit nprocs=5 true
	assert_usage_error "unknown resource 'nprocs'"
	run --separate-stderr "$VCTX" create --limit nproc=5 --limit NPROC=6 true
	assert_usage_error 'nproc: given more than once'
	run --separate-stderr "$VCTX" create --limit nproc=5, true
	assert_usage_error "missing '=' in ''"
	run --separate-stderr "$VCTX" create --limit memory=1.5G true
	assert_usage_error "memory: invalid limit '1.5G'"
	run --separate-stderr "$VCTX" create --limit nofile=2:1 true
	assert_usage_error 'nofile: soft limit above hard limit'
	run --separate-stderr "$VCTX" create --limit
	assert_usage_error "option '--limit' requires an argument"
}

@test "Try to create a context with limits it cannot have" {
	export FAKE_VSERVER_RLIMIT_MASK=0xc0	# nproc and nofile only
	run --separate-stderr "$VCTX" create --limit nproc=5,nsock=10 true
	assert_error 'nsock: not supported by this kernel'
	assert_calls 'get_rlimit_mask 0'
	# A new context's limits are unlimited: the soft limit would stay so
	run --separate-stderr "$VCTX" create --limit nofile=:100 true
	assert_error 'nofile: soft limit above hard limit (the soft limit stays unlimited)'
	fake_cgroup
	run --separate-stderr "$VCTX" create --limit memory=:1G true
	assert_error 'memory: soft limit above hard limit (the soft limit stays unlimited)'
	[[ ! -e "$CG/vserver" ]]
	assert_equal "$(grep -c ctx_create "$FAKE_VSERVER_LOG")" 0
}

@test "Try to create a context with a memory limit without a cgroup2 hierarchy" {
	run --separate-stderr "$VCTX" create --xid 42 --limit nproc=5,memory=16M true
	assert_error "memory: the cgroup2 hierarchy is not mounted on $CG"
	assert_calls 'get_rlimit_mask 0'
	fake_cgroup
	echo 'cpu io pids' >"$CG/cgroup.controllers"
	run --separate-stderr "$VCTX" create --xid 42 --limit memory=16M true
	assert_error "memory: the memory controller is not available in $CG"
	[[ ! -e "$CG/vserver" ]]
}

@test "Try to create a context whose memory cgroup cannot be made" {
	fake_cgroup
	: >"$CG/vserver"
	run --separate-stderr "$VCTX" create --xid 42 --limit memory=16M,nproc=5 \
		-- echo not run
	assert_error "memory: cannot read $CG/vserver/cgroup.subtree_control: Not a directory"
	# The context was created, and nothing else happened in it
	assert_calls 'get_rlimit_mask 0' 'ctx_create 42 flagword=0x700000000'
}

@test "Try to create a context whose limits the kernel refuses" {
	export FAKE_VSERVER_ERRNO_SET_RLIMIT_7=EPERM
	run --separate-stderr "$VCTX" create --xid 42 --limit nproc=5,nofile=10 \
		-- echo not run
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: changed before the error below: nproc' \
		'vctx: permission denied: set the nofile limit of context 42'
}

@test "vctx enter joins the cgroup of the context before entering it" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/2"
	run --separate-stderr "$VCTX" enter web -- sh -c 'echo $$'
	assert_success
	assert_equal "$(cat "$CG/vserver/2/cgroup.procs")" "$output"
	assert_calls 'get_vhi_name 2 field=0' 'task_xid 0' 'ctx_migrate 2 flagword=0x0'
}

@test "vctx enter does not touch the cgroups of a context without one" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/3"
	run --separate-stderr "$VCTX" enter 2 true
	assert_success
	assert_equal "$(cat "$CG/vserver/3/cgroup.procs")" ''
	assert_calls 'ctx_migrate 2 flagword=0x0'
	run --separate-stderr "$VCTX" enter 1 true
	assert_success
}

@test "vctx enter from inside a context stays in its cgroup" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/2"
	export FAKE_VSERVER_TASK_XIDS=0:2
	run --separate-stderr "$VCTX" enter 2 true
	assert_success
	assert_equal "$(cat "$CG/vserver/2/cgroup.procs")" ''
	assert_calls 'task_xid 0' 'ctx_migrate 2 flagword=0x0'
}

@test "Try to enter a context whose cgroup cannot be joined" {
	fake_cgroup
	mkdir "$CG/vserver"
	mkdir "$CG/vserver/2"
	rm "$CG/vserver/2/cgroup.procs"
	run --separate-stderr "$VCTX" enter 2 -- echo not run
	assert_failure 1
	assert_output ''
	[[ "$stderr" =~ ^"vctx: cannot move process "[0-9]+" into $CG/vserver/2: No such file or directory"$ ]]
	assert_calls 'task_xid 0'
}
