#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# vctx monitor against the kernel's event family: the lifecycle of a
# context in order, a reboot inside one, a fork bomb's refusals at a
# bounded rate with the count of those left out, and who may not listen
# (a host user other than root, root inside a context).  Contexts
# 3800-3809.

load helpers

setup() {
	require_vserver
	MON_OUT=$BATS_TEST_TMPDIR/monitor.out
	MON_ERR=$BATS_TEST_TMPDIR/monitor.err
	mon_pid=
}

teardown() {
	local x
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null
	for x in 3800 3801 3802 3803 3804; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	poll 100 no_context 3803 || true
}

# start_monitor ARG...: vctx monitor ARG... -x 3809 in the background,
# returning once it hears events: until then, a context 3809 is made and
# ends again, whose events the caller's filters must let through.
start_monitor() {
	local i
	"$VCTX" monitor "$@" -x 3809 > "$MON_OUT" 2> "$MON_ERR" &
	mon_pid=$!
	for ((i = 0; i < 100; i++)); do
		"$VCTX" create -x 3809 -- true
		poll 10 grep -qE '^[0-9.]+ 3809 |"xid":3809,' "$MON_OUT" && return 0
		kill -0 "$mon_pid" 2>/dev/null ||
			fail "vctx monitor ended: $(cat "$MON_ERR")"
	done
	fail "vctx monitor heard nothing of context 3809 in 100 tries"
}

# events_of XID: the event names of XID's lines, one per line
events_of() {
	awk -v x="$1" '$2 == x { print $3 }' "$MON_OUT"
}

@test "vctx monitor shows the lifecycle of a context in order, with its exit status" {
	start_monitor -g lifecycle -x 3800
	"$VCTX" create -x 3800 -- sh -c 'exit 3' || [ "$?" = 3 ]
	poll 100 grep -q '^[0-9.]* 3800 ended ' "$MON_OUT" ||
		fail "no end of 3800: $(cat "$MON_OUT")"
	run events_of 3800
	assert_output "$(printf '%s\n' created setup-done ended)"
	run grep '^[0-9.]* 3800 ended ' "$MON_OUT"
	assert_output --regexp ' 3800 ended status=3 cmd=none$'
	run grep '^[0-9.]* 3800 created ' "$MON_OUT"
	assert_output --regexp '^[0-9]+\.[0-9]{6} 3800 created pid=[0-9]+ flags=0x[0-9a-f]+$'
	# Only the contexts asked for
	run awk '$2 != 3800 && $2 != 3809' "$MON_OUT"
	assert_output ""
}

@test "vctx monitor --json gives one object per line, and a persistent context's end follows its persistence" {
	start_monitor --json -g lifecycle -x 3801
	"$VCTX" create -x 3801 --persistent -- true
	"$VCTX" flags --set ~persistent 3801
	poll 100 grep -q '"xid":3801,"event":"ended"' "$MON_OUT" ||
		fail "no end of 3801: $(cat "$MON_OUT")"
	run jq -r 'select(.xid == 3801) | .event + " " + (if has("persistent") then (.persistent | tostring) else "" end)' "$MON_OUT"
	assert_output "$(printf '%s\n' 'created ' 'setup-done ' 'persistent false' 'ended ')"
	# Every line is one JSON object with time and xid
	run jq -e -s 'all(.[]; (.time | type) == "number" and (.xid | type) == "number")' "$MON_OUT"
	assert_success
}

@test "a reboot inside a context is an event, and the context ends with the command" {
	start_monitor -g lifecycle -x 3802
	run "$VCTX" create -x 3802 -- sh -c 'sleep 100 & busybox reboot -f; echo returned'
	# The shell and its sleep were killed; reboot never returned
	assert_equal "$status" 137
	refute_output --partial returned
	poll 100 grep -q '^[0-9.]* 3802 ended ' "$MON_OUT" ||
		fail "no end of 3802: $(cat "$MON_OUT")"
	run events_of 3802
	assert_output "$(printf '%s\n' created setup-done reboot ended)"
	run grep '^[0-9.]* 3802 \(reboot\|ended\) ' "$MON_OUT"
	assert_line --index 0 --regexp ' 3802 reboot cmd=restart pid=[0-9]+$'
	assert_line --index 1 --regexp ' 3802 ended signal=KILL cmd=restart$'
	no_context 3802
	# The machine is up: this test goes on, and the host runs commands
	uptime
}

@test "a fork bomb against nproc gives limit events at a bounded rate, with the count of those left out" {
	local start elapsed events max dropped hits i
	start_monitor --json -g limits -g lifecycle -x 3803
	"$VCTX" create -x 3803 --persistent --limit nproc=32 -- true
	start=$SECONDS
	# Every process of the bomb starts two more and exits; at the limit
	# bash retries a refused fork, so the bomb keeps pressing against it.
	"$VCTX" enter 3803 -- bash -c 'f() { f | f & }; f' < /dev/null > /dev/null 2>&1 3>&- &
	sleep 4
	# Kill until the bomb is gone; the context stays, being persistent
	for ((i = 0; i < 300; i++)); do
		"$VCTX" kill -s KILL 3803 2>/dev/null || break
		sleep 0.1
	done
	elapsed=$((SECONDS - start))
	hits=$("$VLIMIT" --json 3803 | jq -r '.limits[] | select(.resource == "nproc") | .hits')
	"$VCTX" flags --set ~persistent 3803
	poll 100 grep -q '"xid":3803,"event":"ended"' "$MON_OUT" ||
		fail "no end of 3803: $(cat "$MON_OUT")"
	events=$(jq -s '[.[] | select(.xid == 3803 and .event == "limit-refused")] | length' "$MON_OUT")
	dropped=$(jq -s '[.[] | select(.xid == 3803 and .event == "limit-refused") | .dropped] | add // 0' "$MON_OUT")
	max=$((10 * (elapsed + 1) + 1))
	echo "# $events events in about $elapsed s, $dropped left out, $hits hits" >&3
	[ "$events" -ge 1 ] || fail "no limit event: $(cat "$MON_OUT")"
	[ "$events" -le "$max" ] || fail "$events events in $elapsed s: more than $max"
	[ "$dropped" -gt 0 ] || fail "no event counts any left out"
	[ $((events + dropped)) -le "$hits" ] ||
		fail "$events events and $dropped left out, but only $hits hits"
	run jq -r -s '[.[] | select(.xid == 3803 and .event == "limit-refused")][0] | "\(.resource) \(.hard)"' "$MON_OUT"
	assert_output "nproc 32"
	# Its limit events all come before its end
	run jq -r -s '[.[] | select(.xid == 3803) | .event] | last' "$MON_OUT"
	assert_output "ended"
}

@test "a host user other than root cannot monitor, and nothing is printed" {
	run --separate-stderr as_nobody "$VCTX" monitor -n 1
	assert_failure
	assert_output ""
	[[ "$stderr" == *"permission denied"* ]] || fail "stderr: $stderr"
}

@test "root inside a context cannot monitor" {
	run --separate-stderr "$VCTX" create -x 3804 -- "$VCTX" monitor -n 1
	assert_failure
	assert_output ""
	[[ "$stderr" == *"inside context 3804"* ]] || fail "stderr: $stderr"
}
