#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vlimit against the faked kernel of fake-vserver.c, which keeps the limits
# and the usage of its contexts in a file, checks the arguments of the
# limit commands as the kernel does, and logs every call: the table, its
# JSON form, --list, changes read back, --reset, and the errors of the
# kernel in vlimit's words.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

# Context 42 (web) has left its setup, with 3 tasks, nproc limited to a
# hard 5 and nofile to 1000:2000; context 43 (db) is still being set up,
# with every limit unlimited.
setup() {
	require_vlimit
	use_fake_vserver
	fake_contexts "42:web:3:41:$PERSISTENT" "43:db:1:0:$SETUP"
	export FAKE_VSERVER_RLIMIT_MASK=$ALL_LIMITS
	export FAKE_VSERVER_RLIMITS="$BATS_TEST_TMPDIR/rlimits"
	# XID ID SOFT HARD CURRENT MIN MAX HITS
	printf '%s\n' '42 6 -1 5 3 1 5 2' '42 7 1000 2000 12 4 40 0' \
		>"$FAKE_VSERVER_RLIMITS"
}

# The table of context 42, as the fake kernel starts
TABLE_42='RESOURCE CURRENT MIN MAX      SOFT      HARD HITS
nproc          3   1   5 unlimited         5    2
nofile        12   4  40      1000      2000    0
msgqueue       0   0   0 unlimited unlimited    0
nsock          0   0   0 unlimited unlimited    0
shmem          0   0   0 unlimited unlimited    0
semary         0   0   0 unlimited unlimited    0
nsems          0   0   0 unlimited unlimited    0'

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vlimit: $1"
}

require_jq() {
	command -v jq >/dev/null || skip 'jq is not installed'
}

# The calls that read every limit of context xid $1
read_calls() {
	local id
	echo 'get_rlimit_mask 0'
	for id in 6 7 12 16 19 20 21; do
		echo "get_rlimit $1 id=$id"
		echo "rlimit_stat $1 id=$id"
	done
}

@test "vlimit shows one row per resource with its usage and limits" {
	run --separate-stderr "$VLIMIT" 42
	assert_success
	assert_output "$TABLE_42"
	assert_equal "$stderr" ''
	assert_equal "$(cat "$FAKE_VSERVER_LOG")" "$(read_calls 42)"
}

@test "vlimit finds a context by its name" {
	run --separate-stderr "$VLIMIT" web
	assert_success
	assert_output "$TABLE_42"
}

@test "vlimit self shows the limits of the caller's context" {
	export FAKE_VSERVER_TASK_XIDS=0:43
	run --separate-stderr "$VLIMIT" self --noheadings
	assert_success
	assert_line --index 0 'nproc    0 0 0 unlimited unlimited 0'
	assert_equal "${#lines[@]}" 7
	assert_equal "$(head -n 2 "$FAKE_VSERVER_LOG")" \
		"$(printf 'task_xid 0\nget_rlimit_mask 0')"
}

@test "Try to use self outside any context" {
	run --separate-stderr "$VLIMIT" self
	assert_error 'self: the calling process is not in a context'
	assert_calls 'task_xid 0'
}

@test "vlimit shows only the resources the kernel has" {
	export FAKE_VSERVER_RLIMIT_MASK=0x80c0	# nproc, nofile, bit 15
	run --separate-stderr "$VLIMIT" 42
	assert_success
	assert_output "$(cat <<-'END'
		RESOURCE CURRENT MIN MAX      SOFT HARD HITS
		nproc          3   1   5 unlimited    5    2
		nofile        12   4  40      1000 2000    0
		END
	)"
	assert_equal "$(cat "$FAKE_VSERVER_LOG")" \
		"$(read_calls 42 | head -n 5)"
	# A kernel with no limits at all: the headings alone
	export FAKE_VSERVER_RLIMIT_MASK=0
	run --separate-stderr "$VLIMIT" 42
	assert_success
	assert_output 'RESOURCE CURRENT MIN MAX SOFT HARD HITS'
}

@test "vlimit --noheadings leaves out the heading line" {
	run --separate-stderr "$VLIMIT" -n 42
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_line --index 0 'nproc     3 1  5 unlimited         5 2'
	assert_line --index 6 'nsems     0 0  0 unlimited unlimited 0'
}

@test "vlimit --verbose adds what each resource counts" {
	run --separate-stderr "$VLIMIT" --verbose 42
	assert_success
	assert_line --index 0 'RESOURCE CURRENT MIN MAX      SOFT      HARD HITS DESCRIPTION'
	assert_line --index 1 'nproc          3   1   5 unlimited         5    2 tasks, threads included'
	assert_line --index 7 'nsems          0   0   0 unlimited unlimited    0 SysV semaphores'
}

@test "vlimit --raw separates columns with one space and escapes spaces" {
	run --separate-stderr "$VLIMIT" --raw -v 42
	assert_success
	assert_line --index 0 'RESOURCE CURRENT MIN MAX SOFT HARD HITS DESCRIPTION'
	assert_line --index 1 'nproc 3 1 5 unlimited 5 2 tasks,\x20threads\x20included'
	assert_line --index 2 'nofile 12 4 40 1000 2000 0 open\x20file\x20descriptions'
	run --separate-stderr "$VLIMIT" --raw --noheadings 42
	assert_line --index 0 'nproc 3 1 5 unlimited 5 2'
}

@test "vlimit --json prints the table as one object, unlimited as null" {
	run --separate-stderr "$VLIMIT" --json 42
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_output --partial '{"xid":42,"limits":[{"resource":"nproc","current":3,"min":1,"max":5,"soft":null,"hard":5,"hits":2},{"resource":"nofile","current":12,"min":4,"max":40,"soft":1000,"hard":2000,"hits":0},'
	assert_output --partial '{"resource":"nsems","current":0,"min":0,"max":0,"soft":null,"hard":null,"hits":0}]}'
}

@test "vlimit --json is valid JSON with every resource of the kernel" {
	require_jq
	run --separate-stderr "$VLIMIT" --json 42
	assert_success
	run jq -c '[.xid, [.limits[].resource], .limits[0].hard, .limits[1].soft,
		    ([.limits[] | select(.soft == null)] | length)]' <<<"$output"
	assert_success
	assert_output '[42,["nproc","nofile","msgqueue","nsock","shmem","semary","nsems"],5,1000,6]'
}

@test "vlimit --json --verbose adds the descriptions" {
	require_jq
	run --separate-stderr "$VLIMIT" -J -v 42
	assert_success
	run jq -r '.limits[] | "\(.resource): \(.description)"' <<<"$output"
	assert_line --index 0 'nproc: tasks, threads included'
	assert_line --index 6 'nsems: SysV semaphores'
}

@test "vlimit --list names each resource, what it counts and its errno" {
	run --separate-stderr "$VLIMIT" --list
	assert_success
	assert_output "$(cat <<-'END'
		RESOURCE ID ERRNO   CALLS                    DESCRIPTION
		nproc     6 EAGAIN  fork,clone               tasks, threads included
		nofile    7 ENFILE  open,pipe,socket,...     open file descriptions
		msgqueue 12 ENOSPC  msgget                   SysV message queues
		nsock    16 ENOBUFS socket,socketpair,accept sockets
		shmem    19 ENOSPC  shmget                   SysV shared memory segments
		semary   20 ENOSPC  semget                   SysV semaphore arrays
		nsems    21 ENOSPC  semget                   SysV semaphores
		END
	)"
	assert_calls 'get_rlimit_mask 0'
}

@test "vlimit --list leaves out what the kernel does not have" {
	export FAKE_VSERVER_RLIMIT_MASK=0x10040	# nproc, nsock
	run --separate-stderr "$VLIMIT" --list --noheadings
	assert_success
	assert_output "$(printf '%s\n' \
		'nproc  6 EAGAIN  fork,clone               tasks, threads included' \
		'nsock 16 ENOBUFS socket,socketpair,accept sockets')"
}

@test "vlimit --list --json is valid JSON" {
	require_jq
	run --separate-stderr "$VLIMIT" --list --json
	assert_success
	run jq -c '[.resources[] | [.resource, .id, .errno]] | .[0], .[3], length' <<<"$output"
	assert_output "$(printf '%s\n' '["nproc",6,"EAGAIN"]' '["nsock",16,"ENOBUFS"]' 7)"
}

@test "vlimit sets limits, and the table shows them" {
	run --separate-stderr "$VLIMIT" 42 nproc=100 nofile=:3000 nsock=50: \
		shmem=10:20 semary=unlimited nsems=1K
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_calls 'get_rlimit_mask 0' \
		'get_rlimit 42 id=6' 'get_rlimit 42 id=7' 'get_rlimit 42 id=16' \
		'get_rlimit 42 id=19' 'get_rlimit 42 id=20' 'get_rlimit 42 id=21' \
		'set_rlimit 42 id=6 minimum=keep softlimit=100 maximum=100' \
		'set_rlimit 42 id=7 minimum=keep softlimit=keep maximum=3000' \
		'set_rlimit 42 id=16 minimum=keep softlimit=50 maximum=keep' \
		'set_rlimit 42 id=19 minimum=keep softlimit=10 maximum=20' \
		'set_rlimit 42 id=20 minimum=keep softlimit=inf maximum=inf' \
		'set_rlimit 42 id=21 minimum=keep softlimit=1024 maximum=1024'
	run --separate-stderr "$VLIMIT" 42
	assert_success
	assert_output "$(cat <<-'END'
		RESOURCE CURRENT MIN MAX      SOFT      HARD HITS
		nproc          3   1   5       100       100    2
		nofile        12   4  40      1000      3000    0
		msgqueue       0   0   0 unlimited unlimited    0
		nsock          0   0   0        50 unlimited    0
		shmem          0   0   0        10        20    0
		semary         0   0   0 unlimited unlimited    0
		nsems          0   0   0      1024      1024    0
		END
	)"
}

@test "Try to set only a hard limit below an unlimited soft limit" {
	run --separate-stderr "$VLIMIT" 43 shmem=:10
	assert_error 'shmem: soft limit above hard limit (the soft limit stays unlimited)'
	assert_calls 'get_rlimit_mask 0' 'get_rlimit 43 id=19'
}

@test "vlimit changes one half and keeps the other" {
	run --separate-stderr "$VLIMIT" 42 nofile=:1500 nproc=4:
	assert_success
	run --separate-stderr "$VLIMIT" --json 42
	assert_output --partial '{"resource":"nproc","current":3,"min":1,"max":5,"soft":4,"hard":5,"hits":2},{"resource":"nofile","current":12,"min":4,"max":40,"soft":1000,"hard":1500,"hits":0}'
}

@test "vlimit takes values with suffixes and every spelling of unlimited" {
	local spec want
	while read -r spec want; do
		: >"$FAKE_VSERVER_LOG"
		echo '42 7 1000 2000 12 4 40 0' >"$FAKE_VSERVER_RLIMITS"
		run --separate-stderr "$VLIMIT" 42 "nofile=$spec"
		assert_success
		assert_equal "$(tail -n 1 "$FAKE_VSERVER_LOG")" \
			"set_rlimit 42 id=7 minimum=keep $want"
	done <<-'END'
		0 softlimit=0 maximum=0
		1k:2K softlimit=1024 maximum=2048
		1M softlimit=1048576 maximum=1048576
		1500: softlimit=1500 maximum=keep
		:3g softlimit=keep maximum=3221225472
		:1T softlimit=keep maximum=1099511627776
		1P softlimit=1125899906842624 maximum=1125899906842624
		15E softlimit=17293822569102704640 maximum=17293822569102704640
		007 softlimit=7 maximum=7
		18446744073709551613 softlimit=18446744073709551613 maximum=18446744073709551613
		unlimited softlimit=inf maximum=inf
		infinity softlimit=inf maximum=inf
		INF softlimit=inf maximum=inf
		-1 softlimit=inf maximum=inf
		10:-1 softlimit=10 maximum=inf
		:unlimited softlimit=keep maximum=inf
	END
}

@test "A hard limit below the current usage is accepted" {
	run --separate-stderr "$VLIMIT" 42 nproc=1
	assert_success
	run --separate-stderr "$VLIMIT" --noheadings 42
	assert_line --index 0 'nproc     3 1  5         1         1 2'
}

@test "Try to set a limit the kernel does not have" {
	export FAKE_VSERVER_RLIMIT_MASK=0xc0	# nproc and nofile only
	run --separate-stderr "$VLIMIT" 42 nproc=5 nsock=10
	assert_error 'nsock: not supported by this kernel'
	assert_calls 'get_rlimit_mask 0'
	assert_equal "$(cat "$FAKE_VSERVER_RLIMITS")" \
		"$(printf '%s\n' '42 6 -1 5 3 1 5 2' '42 7 1000 2000 12 4 40 0')"
}

@test "Try to set limits on a kernel without limits" {
	export FAKE_VSERVER_RLIMIT_MASK=0
	run --separate-stderr "$VLIMIT" 42 nproc=5
	assert_error 'nproc: not supported by this kernel'
}

@test "Try to set a soft limit above the hard limit that stays" {
	run --separate-stderr "$VLIMIT" 42 nproc=1:2 nofile=:500
	assert_error 'nofile: soft limit above hard limit (the soft limit stays 1000)'
	run --separate-stderr "$VLIMIT" 42 nofile=3000:
	assert_error 'nofile: soft limit above hard limit (the hard limit stays 2000)'
	# Nothing changed, not even the good setting before the bad one
	assert_equal "$(grep -c set_rlimit "$FAKE_VSERVER_LOG")" 0
	assert_equal "$(cat "$FAKE_VSERVER_RLIMITS")" \
		"$(printf '%s\n' '42 6 -1 5 3 1 5 2' '42 7 1000 2000 12 4 40 0')"
}

@test "A process in a context sets its limits while the context is set up" {
	export FAKE_VSERVER_TASK_XIDS=0:43
	run --separate-stderr "$VLIMIT" self nproc=10
	assert_success
	assert_equal "$(tail -n 1 "$FAKE_VSERVER_LOG")" \
		'set_rlimit 43 id=6 minimum=keep softlimit=10 maximum=10'
	run --separate-stderr "$VLIMIT" db --json
	assert_output --partial '{"xid":43,"limits":[{"resource":"nproc","current":0,"min":0,"max":0,"soft":10,"hard":10,"hits":0}'
}

@test "Try to change the limits from inside a context that has left its setup" {
	export FAKE_VSERVER_TASK_XIDS=0:42
	run --separate-stderr "$VLIMIT" self nproc=10
	assert_error 'limits of context 42 are locked (it has left setup)'
	run --separate-stderr "$VLIMIT" 42 nofile=:1500
	assert_error 'limits of context 42 are locked (it has left setup)'
	assert_equal "$(cat "$FAKE_VSERVER_RLIMITS")" \
		"$(printf '%s\n' '42 6 -1 5 3 1 5 2' '42 7 1000 2000 12 4 40 0')"
}

@test "Try to change the limits without privilege" {
	export FAKE_VSERVER_ERRNO_SET_RLIMIT=EPERM
	run --separate-stderr "$VLIMIT" 42 nproc=10
	assert_error 'permission denied: set the nproc limit of context 42'
}

@test "A change the kernel refuses after others names those made before" {
	# The context ended between two changes, say
	export FAKE_VSERVER_ERRNO_SET_RLIMIT_7=ESRCH
	run --separate-stderr "$VLIMIT" 42 nproc=10 nsock=20 nofile=5:6 shmem=1
	assert_failure 1
	assert_output ''
	assert_stderr 'vlimit: changed before the error below: nproc nsock' \
		'vlimit: no context 42'
	assert_equal "$(grep -c set_rlimit "$FAKE_VSERVER_LOG")" 3
}

@test "Try to show or change the limits of a context that does not exist" {
	run --separate-stderr "$VLIMIT" 44
	assert_error 'no context 44'
	run --separate-stderr "$VLIMIT" 44 nproc=5
	assert_error 'no context 44'
	run --separate-stderr "$VLIMIT" 44 --reset hits
	assert_error 'no context 44'
	run --separate-stderr "$VLIMIT" mail
	assert_error "no context named 'mail'"
}

@test "Try to read the limits from a kernel without the limit commands" {
	export FAKE_VSERVER_ERRNO_GET_RLIMIT=EOPNOTSUPP
	run --separate-stderr "$VLIMIT" 42
	assert_error 'cannot read the nproc limit of context 42: this kernel does not support it'
}

@test "Try to read the limit mask and fail" {
	export FAKE_VSERVER_ERRNO_GET_RLIMIT_MASK=EOPNOTSUPP
	run --separate-stderr "$VLIMIT" --list
	assert_error 'get_rlimit_mask failed: Operation not supported'
}

@test "vlimit --reset minmax sets the lowest and highest usage to the current" {
	run --separate-stderr "$VLIMIT" 42 --reset minmax
	assert_success
	assert_output ''
	assert_calls 'reset_minmax 42'
	run --separate-stderr "$VLIMIT" --noheadings 42
	assert_line --index 0 'nproc     3  3  3 unlimited         5 2'
	assert_line --index 1 'nofile   12 12 12      1000      2000 0'
}

@test "vlimit --reset hits zeroes the hit counters" {
	run --separate-stderr "$VLIMIT" web --reset hits
	assert_success
	assert_equal "$(tail -n 1 "$FAKE_VSERVER_LOG")" 'reset_hits 42'
	run --separate-stderr "$VLIMIT" --noheadings 42
	assert_line --index 0 'nproc     3 1  5 unlimited         5 0'
}

@test "vlimit --reset all resets both" {
	run --separate-stderr "$VLIMIT" --reset all 42
	assert_success
	assert_calls 'reset_minmax 42' 'reset_hits 42'
	run --separate-stderr "$VLIMIT" --noheadings 42
	assert_line --index 0 'nproc     3  3  3 unlimited         5 0'
}

@test "Try to reset the counters from inside a context" {
	export FAKE_VSERVER_TASK_XIDS=0:43
	run --separate-stderr "$VLIMIT" self --reset hits
	assert_error 'permission denied: reset the hit counters of context 43'
	run --separate-stderr "$VLIMIT" self --reset minmax
	assert_error 'permission denied: reset the minimum and maximum usage of context 43'
}
