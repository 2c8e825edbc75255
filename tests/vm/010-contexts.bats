#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Contexts from the shell: create, enter, list, kill, wait, and what a
# shell inside a context can see and do.

load helpers

setup() {
	require_vserver
}

# A sleeping host process, with no file descriptor of bats open (bats
# waits for those), killed by teardown.
start_host_sleeper() {
	sleep 1000 > /dev/null 2>&1 3>&- &
	host_pid=$!
}

teardown() {
	[ -z "${host_pid:-}" ] || kill "$host_pid" 2>/dev/null
	# Release what a failed test may have left behind.
	for x in 3001 3002 3003; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	return 0
}

@test "vctx create runs the command inside a new context" {
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VCTX" whoami
	assert_success
	assert_output --partial "3001"
}

@test "A context ends with its last process" {
	run "$VCTX" create --xid 3001 -- true
	assert_success
	run --separate-stderr "$VCTX" info 3001
	assert_failure 1
	assert_equal "$stderr" "vctx: no context 3001"
}

@test "A shell inside a context sees only its own processes" {
	start_host_sleeper
	run --separate-stderr "$VCTX" create --xid 3001 -- sh -c 'ls /proc | grep -E "^[0-9]+$"'
	assert_success
	# Only the shell and ls of the context itself.
	refute_line "$host_pid"
	refute_line "1"
	[ "${#lines[@]}" -le 3 ]
}

@test "ps inside a context lists only that context" {
	start_host_sleeper
	run --separate-stderr "$VCTX" create --xid 3001 -- ps -o pid,comm
	assert_success
	refute_output --partial "sleep"
	refute_output --partial "init"
}

@test "Try to signal a host process from inside a context" {
	start_host_sleeper
	run "$VCTX" create --xid 3001 -- kill -0 "$host_pid"
	assert_failure
	assert_output --partial "Operation not permitted"
}

@test "kill -9 -1 inside a context kills only that context" {
	start_host_sleeper
	"$VCTX" create --xid 3002 --persistent -- sh -c 'sleep 1000 & sleep 1000 & exit 0' > /dev/null 2>&1 3>&-
	run "$VCTX" create --xid 3001 -- sh -c 'sleep 1000 > /dev/null 2>&1 3>&- & kill -9 -1; sleep 1'
	# The host's sleep and the other context survive.
	kill -0 "$host_pid"
	run --separate-stderr "$VCTX" info --json 3002
	assert_success
	[ "$(jq .tasks <<< "$output")" -eq 2 ]
}

@test "vctx list and info show a persistent context with its name" {
	run "$VCTX" create --xid 3001 --name web --persistent -- true
	assert_success
	run --separate-stderr "$VCTX" list --json
	assert_success
	run jq -c '.contexts[] | select(.xid == 3001) | [.name, .tasks]' <<< "$output"
	assert_output '["web",0]'
	run --separate-stderr "$VCTX" info web
	assert_success
	assert_line --partial "3001"
	run "$VCTX" flags --set ~persistent web
	assert_success
	run --separate-stderr "$VCTX" info 3001
	assert_failure 1
}

@test "/proc/virtual/<xid>/status counts the tasks of a context" {
	"$VCTX" create --xid 3001 --persistent -- sh -c 'sleep 1000 & exit 0' > /dev/null 2>&1 3>&-
	run grep '^Tasks:' /proc/virtual/3001/status
	assert_output "$(printf 'Tasks:\t1')"
	"$VCTX" kill -s KILL 3001
	"$VCTX" flags --set ~persistent 3001
	[ ! -e /proc/virtual/3001 ]
}

@test "vctx wait returns when the context ends" {
	"$VCTX" create --xid 3001 -- sleep 1000 > /dev/null 2>&1 3>&- &
	until [ -e /proc/virtual/3001 ]; do sleep 0.1; done
	"$VCTX" wait --timeout 120 3001 > /dev/null 2>&1 3>&- &
	waiter=$!
	sleep 0.5
	# Still waiting while the context runs
	kill -0 "$waiter"
	"$VCTX" kill -s KILL 3001
	run wait "$waiter"
	assert_success
}

@test "Try to wait for a context that does not end in time" {
	"$VCTX" create --xid 3001 -- sleep 1000 > /dev/null 2>&1 3>&- &
	until [ -e /proc/virtual/3001 ]; do sleep 0.1; done
	run --separate-stderr "$VCTX" wait --timeout 1 3001
	"$VCTX" kill -s KILL 3001
	assert_failure 2
	assert_equal "$stderr" "vctx: timed out waiting for context 3001"
}

@test "vctx kill stops every process of a context" {
	"$VCTX" create --xid 3001 -- sh -c 'sleep 1000 & sleep 1000' > /dev/null 2>&1 3>&- &
	until [ -e /proc/virtual/3001 ]; do sleep 0.1; done
	run --separate-stderr "$VCTX" kill -s KILL 3001
	assert_success
	wait || true
	# The context ended with its processes.
	run --separate-stderr "$VCTX" info 3001
	assert_failure 1
	assert_equal "$stderr" "vctx: no context 3001"
}

@test "Try to create a context that already exists" {
	"$VCTX" create --xid 3001 --persistent -- true
	run --separate-stderr "$VCTX" create --xid 3001 -- true
	assert_failure 1
	assert_equal "$stderr" "vctx: context 3001 already exists"
}

@test "Try to enter a private context" {
	"$VCTX" create --xid 3001 --persistent --flags private -- true
	run --separate-stderr "$VCTX" enter 3001 -- true
	assert_failure 1
	assert_equal "$stderr" "vctx: context 3001 is private"
}

@test "Try to create a context from inside a context" {
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VCTX" create --xid 3002 -- true
	assert_failure 1
	assert_equal "$stderr" "vctx: only root in the host context may create contexts"
}

@test "Try to create a context as an unprivileged user" {
	run --separate-stderr as_nobody "$VCTX" create --xid 3001 -- true
	assert_failure 1
	assert_equal "$stderr" "vctx: only root in the host context may create contexts"
}

@test "Try to leave a context by entering another" {
	"$VCTX" create --xid 3002 --persistent -- true
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VCTX" enter 3002 -- true
	assert_failure 1
}

@test "/proc/virtual shows a context only its own directory" {
	"$VCTX" create --xid 3002 --persistent -- true
	run ls /proc/virtual
	assert_line 3002
	run --separate-stderr "$VCTX" create --xid 3001 -- ls /proc/virtual
	assert_success
	assert_output "$(printf '3001\ninfo\nstatus')"
	run --separate-stderr "$VCTX" create --xid 3001 -- cat /proc/virtual/3002/status
	assert_failure
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VCTX" list --noheadings
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	assert_line --partial 3001
}

@test "VxID in /proc/PID/status names the context" {
	run "$VCTX" create --xid 3001 -- grep VxID /proc/self/status
	assert_success
	assert_output "$(printf 'VxID:\t3001')"
	run grep VxID /proc/self/status
	assert_output "$(printf 'VxID:\t0')"
}
