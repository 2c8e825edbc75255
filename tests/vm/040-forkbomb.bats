#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# A fork bomb in a context limited to nproc=64: it stays inside its
# context and at or below its limit while the host and another context
# run commands, three rounds of them however slow the machine, its
# refused forks are counted as hits, also during the rounds, one SIGKILL
# ends it, and its xid then starts afresh.

load helpers

# The bomb: every process starts two more in the background and exits.
# At the limit bash retries a refused fork for about 15 seconds, so the
# bomb keeps pressing against the limit instead of dying out.
BOMB_SCRIPT='f() { f | f & }; f'

setup() {
	require_vserver
	[ -x "$VLIMIT" ] || fail "vlimit not found at $VLIMIT"
	# The bomb runs as a copy of bash named vsbomb, so that its processes
	# can be told from every other shell by their command name.
	BOMB=$BATS_TEST_TMPDIR/vsbomb
	cp "$(command -v bash)" "$BOMB"
}

teardown() {
	local x i
	for x in 3200 3201; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	# Nothing of a bomb may outlive the test: kill until its context is gone.
	for ((i = 0; i < 300; i++)); do
		[ -e /proc/virtual/3200 ] || return 0
		"$VCTX" kill -s KILL 3200 2>/dev/null
		sleep 0.1
	done
	fail "context 3200 still exists 30 s after teardown began to kill it"
}

# tasks_of XID: the Tasks: line of /proc/virtual/XID/status
tasks_of() {
	local key value
	while read -r key value; do
		if [ "$key" = Tasks: ]; then
			echo "$value"
			return 0
		fi
	done < "/proc/virtual/$1/status"
	return 1
}

# nproc_of XID FILTER: FILTER applied to the nproc row of "vlimit --json XID"
nproc_of() {
	"$VLIMIT" --json "$1" | jq -r ".limits[] | select(.resource == \"nproc\") | $2"
}

# The bomb has been refused a fork at least once.
bomb_refused() {
	[ "$(nproc_of 3200 .hits)" -gt 0 ]
}

# The pids of vsbomb processes in any context but 3200, as a JSON array
escaped_bombs() {
	"$VCTX" ps --json |
		jq -c '[.processes[] | select(.command == "vsbomb" and .xid != 3200) | .pid]'
}

# The pids of vsbomb processes that have not exited (zombies are left
# out), in any context: the host sees every process in /proc.
live_bombs() {
	local stat line
	for stat in /proc/[0-9]*/stat; do
		{ read -r line < "$stat"; } 2>/dev/null || continue
		if [[ $line == *' (vsbomb) '[!ZX]* ]]; then
			echo "${line%% *}"
		fi
	done
	return 0
}

no_live_bombs() {
	[ -z "$(live_bombs)" ]
}

# Every counter of context XID at 0 and every limit unlimited; only the
# highest usage may remember what the context's processes used.
fresh_counters() {
	local stale
	stale=$("$VLIMIT" --json "$1" | jq -c '[.limits[] |
		select(.current != 0 or .min != 0 or .hits != 0 or
		       .soft != null or .hard != null) | .resource]')
	[ "$stale" = '[]' ]
}

@test "A fork bomb stays in its context under nproc=64, and the host keeps working" {
	local round hits tasks current escaped err=$BATS_TEST_TMPDIR/stderr
	run "$VCTX" create --xid 3200 --persistent -- true
	assert_success
	run --separate-stderr "$VLIMIT" 3200 nproc=64
	assert_success
	[ "$(nproc_of 3200 '[.soft, .hard] | @text')" = '[64,64]' ]

	# The bomb's first shell returns at once; its descendants have no
	# file descriptor of bats.
	"$VCTX" enter 3200 -- "$BOMB" -c "$BOMB_SCRIPT" < /dev/null > /dev/null 2>&1 3>&- &
	poll 600 bomb_refused || fail "the bomb never reached its limit of 64 tasks"

	# Three rounds, a second apart: the host and a second context run a
	# command that forks, and the bomb is within its context and limit.
	# The bomb takes most of the machine: a round may take long, and only
	# a command that hangs for minutes fails it.
	hits=$(nproc_of 3200 .hits)
	for round in 1 2 3; do
		timeout 120 sh -c 'ls / | grep -qx proc' < /dev/null > /dev/null 2> "$err" 3>&- ||
			fail "round $round: the host could not run ls: $(cat "$err")"
		timeout 120 "$VCTX" create --xid 3201 -- sh -c 'ls / | grep -qx proc' \
			< /dev/null > /dev/null 2> "$err" 3>&- ||
			fail "round $round: context 3201 could not run ls: $(cat "$err")"
		tasks=$(tasks_of 3200)
		[ "$tasks" -le 64 ] ||
			fail "round $round: context 3200 has $tasks tasks, above its limit of 64"
		current=$(nproc_of 3200 .current)
		[ "$current" -le 64 ] ||
			fail "round $round: vlimit counts $current tasks in context 3200"
		escaped=$(escaped_bombs)
		[ "$escaped" = '[]' ] ||
			fail "round $round: bomb processes outside context 3200: $escaped"
		sleep 1
	done

	# The bomb pressed against its limit while the rounds ran; it reached
	# its limit, never more, and every refused fork was a hit.
	[ "$(nproc_of 3200 .hits)" -gt "$hits" ] ||
		fail "no fork of the bomb was refused during the rounds ($hits hits before)"
	run --separate-stderr "$VLIMIT" --json 3200
	assert_success
	run jq -c '.limits[] | select(.resource == "nproc") | [.hard, .max, .hits > 0]' <<< "$output"
	assert_output '[64,64,true]'

	# One SIGKILL to the context, and without persistence it ends.
	run --separate-stderr "$VCTX" kill -s KILL 3200
	assert_success
	run --separate-stderr "$VCTX" flags --set ~persistent 3200
	assert_success
	poll 300 no_context 3200 ||
		fail "context 3200 still has $(tasks_of 3200) tasks 30 s after SIGKILL"
	run --separate-stderr "$VCTX" list --json
	assert_success
	run jq 'any(.contexts[]; .xid == 3200)' <<< "$output"
	assert_output false
	run --separate-stderr "$VCTX" info 3200
	assert_failure 1
	assert_equal "$stderr" "vctx: no context 3200"
	poll 100 no_live_bombs || fail "bomb processes left: $(live_bombs)"

	# The same xid again: a new context, nothing of the bomb's counts or
	# limit carried over.
	run "$VCTX" create --xid 3200 --persistent -- true
	assert_success
	poll 50 fresh_counters 3200 ||
		fail "context 3200 does not start afresh: $("$VLIMIT" 3200)"
	# Its own process, the only one it ever had
	[ "$(nproc_of 3200 .max)" -eq 1 ]
}
