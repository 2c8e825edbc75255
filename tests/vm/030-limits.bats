#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Resource limits from the shell: vlimit's table and JSON, limits that
# refuse a fork or an open at the hard limit and count hits, the counters
# and their reset, and limits locked once a context has left its setup.

load helpers

# vlimit from the same build as the vctx under test
VLIMIT=${VLIMIT:-$(dirname "$VCTX")/vlimit}

# What this kernel limits, in vlimit's order; and what vlimit --list
# names, with memory from the memory cgroup (035-memory.bats)
RESOURCES='["nproc","nofile","msgqueue","nsock","shmem","semary","nsems"]'
LISTED='["nproc","nofile","msgqueue","nsock","shmem","semary","nsems","memory"]'

# A command to put in the background inside a context: it sleeps with no
# file descriptor of bats open (bats waits for those).
SLEEPER='sleep 1000 < /dev/null > /dev/null 2>&1 3>&-'

setup() {
	require_vserver
	[ -x "$VLIMIT" ] || fail "vlimit not found at $VLIMIT"
}

teardown() {
	# Release what a failed test may have left behind.
	for x in 3001 3002; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	return 0
}

# An empty persistent context 3001, every limit unlimited.
empty_context() {
	"$VCTX" create --xid 3001 --persistent -- true
}

# jq_limit RESOURCE FILTER: FILTER applied to the row of RESOURCE in
# "vlimit --json 3001"
jq_limit() {
	"$VLIMIT" --json 3001 | jq -r ".limits[] | select(.resource == \"$1\") | $2"
}

@test "vlimit --list names every resource this kernel limits" {
	run --separate-stderr "$VLIMIT" --list --json
	assert_success
	run jq -c '[.resources[].resource]' <<< "$output"
	assert_output "$LISTED"
	run --separate-stderr "$VLIMIT" --list --noheadings
	assert_success
	assert_line --regexp '^nproc +6 EAGAIN +fork,clone +tasks, threads included$'
	assert_line --regexp '^nofile +7 ENFILE '
	assert_line --regexp '^nsock +16 ENOBUFS '
	assert_line --regexp '^memory +- ENOMEM '
	assert_equal "${#lines[@]}" 8
}

@test "vlimit shows a new context unlimited, with nothing in use" {
	empty_context
	run --separate-stderr "$VLIMIT" 3001
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 0 --regexp '^RESOURCE +CURRENT +MIN +MAX +SOFT +HARD +HITS$'
	# The context's one process has come and gone.
	assert_line --index 1 --regexp '^nproc +0 +0 +[1-9][0-9]* +unlimited +unlimited +0$'
	assert_line --index 2 --regexp '^nofile +[0-9]+ +0 +[0-9]+ +unlimited +unlimited +0$'
	local r
	for r in msgqueue nsock shmem semary nsems; do
		assert_line --regexp "^$r +0 +0 +0 +unlimited +unlimited +0$"
	done
	assert_equal "${#lines[@]}" 8
}

@test "vlimit --json shows the same, with null for unlimited" {
	empty_context
	run --separate-stderr "$VLIMIT" --json 3001
	assert_success
	assert_equal "${#lines[@]}" 1
	run jq -c '[.xid, [.limits[].resource],
		    all(.limits[]; .soft == null and .hard == null and .hits == 0),
		    (.limits[0] | [.current, .min])]' <<< "$output"
	assert_success
	assert_output "[3001,$RESOURCES,true,[0,0]]"
}

@test "vlimit self inside a context shows that context" {
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VLIMIT" --json self
	assert_success
	run jq -c '[.xid, .limits[0].resource, .limits[0].current >= 1]' <<< "$output"
	assert_output '[3001,"nproc",true]'
}

@test "Try to read the limits of another context from inside a context" {
	"$VCTX" create --xid 3002 --persistent -- true
	run --separate-stderr "$VCTX" create --xid 3001 -- "$VLIMIT" 3002
	assert_failure 1
	assert_equal "$stderr" "vlimit: no context 3002"
}

@test "vlimit sets limits and reads them back" {
	empty_context
	run --separate-stderr "$VLIMIT" 3001 nproc=100 nofile=1000:2K nsock=50: \
		semary=unlimited nsems=1K
	assert_success
	assert_output ''
	run --separate-stderr "$VLIMIT" --json 3001
	assert_success
	run jq -c '[.limits[] | [.resource, .soft, .hard]]' <<< "$output"
	assert_output '[["nproc",100,100],["nofile",1000,2048],["msgqueue",null,null],["nsock",50,null],["shmem",null,null],["semary",null,null],["nsems",1024,1024]]'
	# Back to unlimited
	run --separate-stderr "$VLIMIT" 3001 nproc=unlimited
	assert_success
	[ "$(jq_limit nproc '[.soft, .hard] | @text')" = '[null,null]' ]
}

@test "Try to lower only the hard limit below an unlimited soft limit" {
	empty_context
	run --separate-stderr "$VLIMIT" 3001 nofile=10 nproc=:5
	assert_failure 1
	assert_equal "$stderr" 'vlimit: nproc: soft limit above hard limit (the soft limit stays unlimited)'
	# Neither limit changed.
	[ "$(jq_limit nofile .hard)" = null ]
	[ "$(jq_limit nproc .hard)" = null ]
}

@test "A sixth process cannot fork under nproc=:5, and the refusal is a hit" {
	empty_context
	"$VLIMIT" 3001 nproc=3:
	run --separate-stderr "$VLIMIT" 3001 nproc=:5
	assert_success
	# The shell is the first task, four sleepers make five: the fifth
	# sleeper would be the sixth task.
	run --separate-stderr "$VCTX" enter 3001 -- sh -c \
		"for i in 1 2 3 4 5 6; do $SLEEPER & echo \$i; done"
	assert_failure 2
	assert_output "$(printf '1\n2\n3\n4')"
	[[ "$stderr" == *"can't fork: Resource temporarily unavailable"* ]]
	# The shell is gone, its four sleepers are left.
	[ "$("$VCTX" info --json 3001 | jq .tasks)" -eq 4 ]
	[ "$(jq_limit nproc .current)" -eq 4 ]
	[ "$(jq_limit nproc .max)" -eq 5 ]
	# The crossing of the soft limit and the refusal at the hard one
	[ "$(jq_limit nproc .hits)" -ge 2 ]
}

@test "Crossing the soft limit counts a hit and refuses nothing" {
	empty_context
	"$VLIMIT" 3001 nproc=2:10
	run --separate-stderr "$VCTX" enter 3001 -- sh -c \
		"$SLEEPER & $SLEEPER & $SLEEPER & exit 0"
	assert_success
	[ "$("$VCTX" info --json 3001 | jq .tasks)" -eq 3 ]
	[ "$(jq_limit nproc .hits)" -ge 1 ]
}

@test "A hard limit below the current usage is accepted and refuses new tasks" {
	"$VCTX" create --xid 3001 --persistent -- sh -c "$SLEEPER & $SLEEPER & exit 0"
	run --separate-stderr "$VLIMIT" 3001 nproc=1
	assert_success
	[ "$(jq_limit nproc .current)" -eq 2 ]
	# A shell that enters cannot fork (if it may enter at all).
	run --separate-stderr "$VCTX" enter 3001 -- sh -c "$SLEEPER & echo forked"
	assert_failure
	refute_output forked
	[ "$(jq_limit nproc .current)" -eq 2 ]
}

@test "A context cannot open more files than its nofile limit" {
	empty_context
	# How many files a shell in the context can open, as a number on stdout
	local open_files='n=0; while [ $n -lt 1000 ] && exec {fd}</dev/null; do n=$((n + 1)); done; echo $n'
	"$VLIMIT" 3001 nofile=20
	run --separate-stderr "$VCTX" enter 3001 -- bash -c "$open_files"
	assert_success
	local under20=$output
	[[ "$stderr" == *"Too many open files in system"* ]]
	[ "$under20" -gt 0 ] && [ "$under20" -le 20 ]
	# Five more allowed, five more opened: the shell's own files are the same
	"$VLIMIT" 3001 nofile=25
	run --separate-stderr "$VCTX" enter 3001 -- bash -c "$open_files"
	assert_success
	[ "$output" -eq $((under20 + 5)) ]
	[ "$(jq_limit nofile .hits)" -ge 2 ]
	[ "$(jq_limit nofile .max)" -eq 25 ]
	# The files were closed with the shell.
	[ "$(jq_limit nofile .current)" -eq 0 ]
}

@test "vlimit --reset minmax sets the lowest and highest usage to the current" {
	"$VCTX" create --xid 3001 --persistent -- sh -c "$SLEEPER & $SLEEPER & exit 0"
	[ "$(jq_limit nproc .max)" -ge 3 ]
	run --separate-stderr "$VLIMIT" 3001 --reset minmax
	assert_success
	assert_output ''
	[ "$(jq_limit nproc '[.current, .min, .max] | @text')" = '[2,2,2]' ]
}

@test "vlimit --reset hits zeroes the hits" {
	empty_context
	"$VLIMIT" 3001 nproc=1
	"$VCTX" enter 3001 -- sh -c "$SLEEPER & exit 0" 2>/dev/null || true
	[ "$(jq_limit nproc .hits)" -ge 1 ]
	run --separate-stderr "$VLIMIT" 3001 --reset hits
	assert_success
	[ "$(jq_limit nproc .hits)" -eq 0 ]
	[ "$(jq_limit nproc .hard)" -eq 1 ]
}

@test "Try to set the limits of a context in setup from a program without cap_sys_admin" {
	run --separate-stderr "$VCTX" create --xid 3001 --persistent --setup -- \
		"$VLIMIT" self nproc=50
	assert_failure 1
	assert_equal "$stderr" 'vlimit: permission denied: set the nproc limit of context 3001'
	[ "$(jq_limit nproc .hard)" = null ]
}

@test "/proc/virtual/<xid>/limit shows the same numbers" {
	"$VCTX" create --xid 3001 --persistent -- sh -c "$SLEEPER & $SLEEPER & exit 0"
	"$VLIMIT" 3001 --reset all
	"$VLIMIT" 3001 nofile=100:200
	run grep '^PROC:' /proc/virtual/3001/limit
	assert_output "$(printf 'PROC:\t%8s\t%8s/%8s\t%8s/%8s\t%6s' 2 2 2 -1 -1 0)"
	run grep '^FILES:' /proc/virtual/3001/limit
	assert_output --regexp "$(printf '^FILES:\t +[0-9]+\t +[0-9]+/ +[0-9]+\t +100/ +200\t +0$')"
}

@test "A context sets its own limits during its setup, and they are locked after" {
	# A program run in it needs cap_sys_admin within the ceiling for that
	run --separate-stderr "$VCTX" create --xid 3001 --persistent --setup --bcaps all -- \
		sh -c '"$1" self nproc=50 && "$2" flags --set ~setup 3001 && "$1" self nproc=60' \
		sh "$VLIMIT" "$VCTX"
	assert_failure 1
	assert_equal "$stderr" 'vlimit: limits of context 3001 are locked (it has left setup)'
	[ "$(jq_limit nproc '[.soft, .hard] | @text')" = '[50,50]' ]
	# The host's administrator still may.
	run --separate-stderr "$VLIMIT" 3001 nproc=60
	assert_success
	[ "$(jq_limit nproc .hard)" -eq 60 ]
}

@test "Try to reset the counters from inside a context" {
	run --separate-stderr "$VCTX" create --xid 3001 --setup -- "$VLIMIT" self --reset hits
	assert_failure 1
	assert_equal "$stderr" 'vlimit: permission denied: reset the hit counters of context 3001'
}

@test "Try to change the limits as an unprivileged user" {
	empty_context
	run --separate-stderr as_nobody "$VLIMIT" 3001 nproc=5
	assert_failure 1
	assert_equal "$stderr" 'vlimit: permission denied: set the nproc limit of context 3001'
	run --separate-stderr as_nobody "$VLIMIT" 3001 --reset minmax
	assert_failure 1
	assert_equal "$stderr" 'vlimit: permission denied: reset the minimum and maximum usage of context 3001'
	# Reading is allowed to anyone who can see the context.
	run --separate-stderr as_nobody "$VLIMIT" 3001
	assert_success
	[ "$(jq_limit nproc .hard)" = null ]
}
