#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vlimit and the memory cgroups of contexts, against the faked kernel of
# fake-vserver.c and a directory that imitates cgroupfs
# ($VSERVER_CGROUP_ROOT, see fake_cgroup): binding a context, its memory
# row in the table and in JSON, "vlimit --list", and every reason memory
# cannot be limited, each reported before anything changes.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

# Context 42 (web) has left its setup, context 43 (db) is still being set
# up; the kernel has every limit, all unlimited; the cgroup2 hierarchy
# has the memory controller, and no context has a cgroup yet.
setup() {
	require_vlimit
	use_fake_vserver
	fake_contexts "42:web:3:41:$PERSISTENT" "43:db:1:0:$SETUP"
	export FAKE_VSERVER_RLIMIT_MASK=$ALL_LIMITS
	export FAKE_VSERVER_RLIMITS="$BATS_TEST_TMPDIR/rlimits"
	: >"$FAKE_VSERVER_RLIMITS"
	fake_cgroup
	CG=$VSERVER_CGROUP_ROOT
	sleepers=()
}

teardown() {
	[[ ${#sleepers[@]} -eq 0 ]] || kill "${sleepers[@]}" 2>/dev/null
	return 0
}

# start_sleeper: a process of the test in the background, its pid added
# to $sleepers (it has no file descriptor of bats open)
start_sleeper() {
	sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	sleepers+=("$!")
}

# bound_context XID CURRENT PEAK HIGH MAX EVENTS_MAX OOM_KILL: a cgroup for
# context XID with these numbers, as if vlimit had bound it
bound_context() {
	[[ -d "$CG/vserver" ]] || mkdir "$CG/vserver"
	mkdir "$CG/vserver/$1"
	echo "$2" >"$CG/vserver/$1/memory.current"
	echo "$3" >"$CG/vserver/$1/memory.peak"
	echo "$4" >"$CG/vserver/$1/memory.high"
	echo "$5" >"$CG/vserver/$1/memory.max"
	printf 'low 0\nhigh 0\nmax %s\noom %s\noom_kill %s\noom_group_kill 0\n' \
		"$6" "$7" "$7" >"$CG/vserver/$1/memory.events"
}

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vlimit: $1"
}

require_jq() {
	command -v jq >/dev/null || skip 'jq is not installed'
}

@test "vlimit binds a context to a memory cgroup with its limits and processes" {
	start_sleeper
	start_sleeper
	start_sleeper
	export FAKE_VSERVER_TASK_XIDS="${sleepers[0]}:42 ${sleepers[1]}:43 ${sleepers[2]}:42"
	run --separate-stderr "$VLIMIT" 42 memory=16M
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	# The memory controller enabled on the way, the limits written
	assert_equal "$(cat "$CG/cgroup.subtree_control")" '+memory'
	assert_equal "$(cat "$CG/vserver/cgroup.subtree_control")" '+memory'
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 16777216
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 16777216
	# The two processes of context 42, not the one of 43
	assert_equal "$(sort -n "$CG/vserver/42/cgroup.procs")" \
		"$(printf '%s\n' "${sleepers[0]}" "${sleepers[2]}" | sort -n)"
	[[ ! -e "$CG/vserver/43" ]]
	# Checked first: the caller is in the host, the context exists
	assert_equal "$(head -n 2 "$FAKE_VSERVER_LOG")" \
		"$(printf 'task_xid 0\nctx_stat 42')"
	assert_equal "$(grep -c "^task_xid ${sleepers[1]}\$" "$FAKE_VSERVER_LOG")" 1
}

@test "vlimit binds a context without processes" {
	run --separate-stderr "$VLIMIT" web memory=1G
	assert_success
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 1073741824
	assert_equal "$(cat "$CG/vserver/42/cgroup.procs")" ''
}

@test "vlimit sets memory with the other limits, in one change" {
	run --separate-stderr "$VLIMIT" 42 nproc=10 memory=64M:128M nsock=5
	assert_success
	assert_equal "$(grep set_rlimit "$FAKE_VSERVER_LOG")" "$(printf '%s\n' \
		'set_rlimit 42 id=6 minimum=keep softlimit=10 maximum=10' \
		'set_rlimit 42 id=16 minimum=keep softlimit=5 maximum=5')"
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 67108864
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 134217728
}

@test "vlimit changes one memory limit and keeps the other" {
	bound_context 42 0 0 8388608 16777216 0 0
	run --separate-stderr "$VLIMIT" 42 memory=:32M
	assert_success
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 8388608
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 33554432
	run --separate-stderr "$VLIMIT" 42 memory=4M:
	assert_success
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 4194304
	assert_equal "$(cat "$CG/vserver/42/memory.max")" 33554432
	run --separate-stderr "$VLIMIT" 42 memory=unlimited
	assert_success
	assert_equal "$(cat "$CG/vserver/42/memory.high")" max
	assert_equal "$(cat "$CG/vserver/42/memory.max")" max
}

@test "vlimit shows a memory row for a context with a cgroup" {
	bound_context 42 1048576 2097152 max 16777216 3 1
	run --separate-stderr "$VLIMIT" 42
	assert_success
	assert_output "$(cat <<-'END'
		RESOURCE CURRENT MIN     MAX      SOFT      HARD HITS
		nproc          0   0       0 unlimited unlimited    0
		nofile         0   0       0 unlimited unlimited    0
		msgqueue       0   0       0 unlimited unlimited    0
		nsock          0   0       0 unlimited unlimited    0
		shmem          0   0       0 unlimited unlimited    0
		semary         0   0       0 unlimited unlimited    0
		nsems          0   0       0 unlimited unlimited    0
		memory   1048576   - 2097152 unlimited  16777216    3
		END
	)"
	assert_equal "$stderr" ''
}

@test "vlimit --verbose counts the OOM kills of the memory cgroup" {
	bound_context 42 1048576 2097152 8388608 16777216 3 2
	run --separate-stderr "$VLIMIT" --verbose --noheadings 42
	assert_success
	assert_line --index 7 'memory   1048576 - 2097152   8388608  16777216 3 bytes of memory (memory cgroup); oom_kill 2'
}

@test "vlimit --json shows memory with no minimum and the OOM kills" {
	bound_context 42 1048576 2097152 8388608 16777216 3 2
	run --separate-stderr "$VLIMIT" --json 42
	assert_success
	assert_output --partial ',{"resource":"memory","current":1048576,"min":null,"max":2097152,"soft":8388608,"hard":16777216,"hits":3,"oom_kill":2}]}'
}

@test "vlimit --json --verbose is valid JSON with the memory row" {
	require_jq
	bound_context 42 5 6 max max 0 0
	run --separate-stderr "$VLIMIT" -J -v 42
	assert_success
	run jq -c '.limits[-1] | [.resource, .current, .min, .max, .soft, .hard, .hits, .oom_kill, .description]' <<<"$output"
	assert_output '["memory",5,null,6,null,null,0,0,"bytes of memory (memory cgroup); oom_kill 0"]'
}

@test "vlimit shows - for the peak of a kernel without memory.peak" {
	bound_context 42 1048576 0 max max 0 0
	rm "$CG/vserver/42/memory.peak"
	run --separate-stderr "$VLIMIT" --noheadings --raw 42
	assert_success
	assert_line --index 7 'memory 1048576 - - unlimited unlimited 0'
	run --separate-stderr "$VLIMIT" --json 42
	assert_output --partial '"resource":"memory","current":1048576,"min":null,"max":null,'
}

@test "vlimit shows no memory row for a context without a cgroup" {
	bound_context 43 0 0 max max 0 0
	run --separate-stderr "$VLIMIT" --noheadings 42
	assert_success
	assert_equal "${#lines[@]}" 7
	refute_line --regexp '^memory '
}

@test "Try to show the memory of a cgroup whose files cannot be read" {
	bound_context 42 0 0 max max 0 0
	echo lots >"$CG/vserver/42/memory.current"
	run --separate-stderr "$VLIMIT" 42
	assert_error "cannot read $CG/vserver/42/memory.current: Invalid argument"
	rm "$CG/vserver/42/memory.events"
	echo 0 >"$CG/vserver/42/memory.current"
	run --separate-stderr "$VLIMIT" 42
	assert_error "cannot read $CG/vserver/42/memory.events: No such file or directory"
}

@test "vlimit --list names memory when the memory cgroup can be used" {
	run --separate-stderr "$VLIMIT" --list
	assert_success
	assert_equal "${#lines[@]}" 9
	assert_line --index 8 'memory    - ENOMEM  OOM kill,allocations     bytes of memory (memory cgroup)'
	run --separate-stderr "$VLIMIT" --list --json
	assert_output --partial ',{"resource":"memory","id":null,"errno":"ENOMEM","calls":"OOM kill,allocations","description":"bytes of memory (memory cgroup)"}]}'
}

@test "vlimit --list leaves out memory when the memory cgroup cannot be used" {
	echo 'cpu io pids' >"$CG/cgroup.controllers"
	run --separate-stderr "$VLIMIT" --list --noheadings
	assert_success
	assert_equal "${#lines[@]}" 7
	refute_line --regexp '^memory '
	export VSERVER_CGROUP_ROOT="$BATS_TEST_TMPDIR/elsewhere"
	run --separate-stderr "$VLIMIT" --list --noheadings
	assert_success
	assert_equal "${#lines[@]}" 7
}

@test "Try to set memory without a cgroup2 hierarchy" {
	start_sleeper
	export FAKE_VSERVER_TASK_XIDS="${sleepers[0]}:42"
	export VSERVER_CGROUP_ROOT="$BATS_TEST_TMPDIR/elsewhere"
	run --separate-stderr "$VLIMIT" 42 nproc=10 memory=16M
	assert_error "memory: the cgroup2 hierarchy is not mounted on $BATS_TEST_TMPDIR/elsewhere"
	# Nothing changed, not even the limit before
	assert_equal "$(grep -c set_rlimit "$FAKE_VSERVER_LOG")" 0
	[[ ! -e "$BATS_TEST_TMPDIR/elsewhere" ]]
	# A directory that is not a cgroup2 mount is no better
	fake_cgroup unmounted
	run --separate-stderr "$VLIMIT" 42 memory=16M
	assert_error "memory: the cgroup2 hierarchy is not mounted on $BATS_TEST_TMPDIR/elsewhere"
	[[ ! -e "$VSERVER_CGROUP_ROOT/vserver" ]]
}

@test "Try to set memory without the memory controller" {
	echo 'cpuset cpu io pids' >"$CG/cgroup.controllers"
	run --separate-stderr "$VLIMIT" 42 memory=16M
	assert_error "memory: the memory controller is not available in $CG"
	[[ ! -e "$CG/vserver" ]]
	assert_equal "$(cat "$CG/cgroup.subtree_control")" ''
}

@test "Try to set memory from inside a context" {
	export FAKE_VSERVER_TASK_XIDS=0:43
	run --separate-stderr "$VLIMIT" self memory=16M
	assert_error 'memory: cannot be set from inside a context'
	[[ ! -e "$CG/vserver" ]]
}

@test "Try to set the memory of a context that does not exist" {
	run --separate-stderr "$VLIMIT" 44 memory=16M
	assert_error 'no context 44'
	[[ ! -e "$CG/vserver" ]]
}

@test "Try to set memory limits that are not sizes" {
	local bad
	for bad in 1.5G 16MB 16m:x -16M; do
		run --separate-stderr "$VLIMIT" 42 "memory=$bad"
		assert_failure 1
		assert_stderr "vlimit: memory: invalid limit '${bad#16m:}'" \
			"Try 'vlimit --help' for more information."
	done
	run --separate-stderr "$VLIMIT" 42 memory=16E
	assert_failure 1
	assert_stderr "vlimit: memory: limit '16E' is out of range" \
		"Try 'vlimit --help' for more information."
	run --separate-stderr "$VLIMIT" 42 memory=1G memory=2G
	assert_failure 1
	assert_stderr 'vlimit: memory: given more than once' \
		"Try 'vlimit --help' for more information."
	assert_calls
}

@test "Try to set only a hard memory limit below an unlimited soft limit" {
	run --separate-stderr "$VLIMIT" 42 memory=:16M
	assert_error 'memory: soft limit above hard limit (the soft limit stays unlimited)'
	[[ ! -e "$CG/vserver" ]]
	bound_context 42 0 0 8388608 16777216 0 0
	run --separate-stderr "$VLIMIT" 42 memory=32M:
	assert_error 'memory: soft limit above hard limit (the hard limit stays 16777216)'
	assert_equal "$(cat "$CG/vserver/42/memory.high")" 8388608
}

@test "A memory cgroup that cannot be made is named after the changes made before" {
	# A file where the directory of the contexts' cgroups belongs
	: >"$CG/vserver"
	run --separate-stderr "$VLIMIT" 42 nproc=10 memory=16M
	assert_failure 1
	assert_output ''
	assert_stderr 'vlimit: changed before the error below: nproc' \
		"vlimit: memory: cannot read $CG/vserver/cgroup.subtree_control: Not a directory"
}

@test "Try to set memory when the limits of the cgroup cannot be read" {
	bound_context 42 0 0 max max 0 0
	rm "$CG/vserver/42/memory.high"
	run --separate-stderr "$VLIMIT" 42 nproc=5 memory=16M:
	assert_error "memory: cannot read $CG/vserver/42/memory.high: No such file or directory"
	assert_equal "$(cat "$CG/vserver/42/memory.max")" max
	assert_equal "$(grep -c set_rlimit "$FAKE_VSERVER_LOG")" 0
}
