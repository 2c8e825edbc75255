#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# stress-ng inside a context with resource limits, per group of
# stressors: the highest usage vlimit reports never goes above a hard
# limit, the refusals are counted as hits, the host keeps running commands
# meanwhile, every usage counter is back at 0 once stress-ng is gone, and
# the context, once ended, leaves nothing in memory.  A group runs until
# its stressors have pressed against each limit it names and for at least
# a few seconds, however slow the machine: about half a minute in the VM.
# The stressors of a group press against different limits: one that takes
# every file the context may open would starve the others of theirs.
#
# stress-ng reports the limits it runs into as failures of its own (exit
# status 2, or 3 when a stressor cannot even start): that is expected
# here; what is checked is what the kernel counted and refused.

load helpers

STRESS_NG=${STRESS_NG:-/usr/bin/stress-ng}

# The context of every test
XID=3601

# How long each group of stressors runs at least.  Under emulation
# stress-ng takes several more seconds to start and to stop its workers.
STRESS_SECONDS=${STRESS_SECONDS:-2}

# stress-ng is stopped that long after it started even if it has not
# pressed against every limit it should (the test then fails on the
# missing hits), and the test gives up on it a minute later.
STRESS_DEADLINE=120

setup() {
	require_vserver
	[ -x "$VLIMIT" ] || fail "vlimit not found at $VLIMIT"
	[ -x "$STRESS_NG" ] || skip "stress-ng is not installed at $STRESS_NG"
	[ ! -e "/proc/virtual/$XID" ] || fail "context $XID exists before the test"
	total_before=$(context_counter '#CTotal:')
	active_before=$(context_counter '#CActive:')
	mark=$(kmsg_mark)
	log=$BATS_TEST_TMPDIR/stress-ng.log
	yaml=$BATS_TEST_TMPDIR/stress-ng.yaml
	samples=$BATS_TEST_TMPDIR/samples
	: > "$samples"
	stress_pid=
}

teardown() {
	local i
	[ -n "${stress_pid:-}" ] && kill -KILL "$stress_pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		"$VCTX" flags --set ~persistent $XID 2>/dev/null
		"$VCTX" kill -s KILL $XID 2>/dev/null
		[ -e /proc/virtual/$XID ] || break
		sleep 0.1
	done
	return 0
}

# limit_of RESOURCE FILTER: FILTER applied to the row of RESOURCE in
# "vlimit --json $XID"
limit_of() {
	"$VLIMIT" --json $XID | jq -r ".limits[] | select(.resource == \"$1\") | $2"
}

# A line of the log of stress-ng, for a message: warnings as stress-ng
# words them would look like kernel splats on the VM's console.
tame() {
	sed 's/WARNING/warning/g; s/BUG/bug/g'
}

# sample: append the context's task count and its usage, as
# /proc/virtual/$XID/status and limit show them, to $samples.  Shell
# builtins only: a sampler that forks would slow the stress down.
sample() {
	local line
	{
		while IFS= read -r line; do
			[[ $line == Tasks:* ]] && echo "$line"
		done < /proc/virtual/$XID/status
		while IFS= read -r line; do
			[[ $line == Limit* ]] || echo "$line"
		done < /proc/virtual/$XID/limit
	} >> "$samples" 2>/dev/null
}

# hits_of RESOURCE: set hits to the hits of RESOURCE (a vlimit name) in
# context $XID, from /proc/virtual/$XID/limit, with shell builtins only:
# the loop that calls it must not slow the stress down.  Its lines are
# LABEL: current min/ max soft/ hard hits.
hits_of() {
	local want label rest
	case $1 in
	nproc) want=PROC: ;;
	nofile) want=FILES: ;;
	nsock) want=SOCK: ;;
	msgqueue) want=MSGQ: ;;
	shmem) want=SHM: ;;
	semary) want=SEMA: ;;
	nsems) want=SEMS: ;;
	*) return 1 ;;
	esac
	while read -r label rest; do
		if [ "$label" = "$want" ]; then
			hits=${rest##*[[:space:]]}
			return 0
		fi
	done < /proc/virtual/$XID/limit
	return 1
}

# all_pressed RESOURCE...: each RESOURCE has been refused at least once
all_pressed() {
	local r hits
	for r in "$@"; do
		hits_of "$r" || return 1
		[ "$hits" -gt 0 ] || return 1
	done
}

# stress LIMITS PRESSED OPTION...: create context $XID, persistent and
# limited by LIMITS ("vctx create --limit"), and run stress-ng with OPTIONs
# in it until the resources in PRESSED (comma-separated vlimit names) have
# each been refused once and STRESS_SECONDS have passed, or until
# STRESS_DEADLINE.  Meanwhile take a sample of the usage every half second
# and, every two seconds, run a command on the host that must complete.
# Sets stress_status.
stress() {
	local limits=$1 start next_host=$((SECONDS + 1)) host_rounds=0
	local err=$BATS_TEST_TMPDIR/host.err stopped= pressed
	IFS=, read -r -a pressed <<< "$2"
	shift 2
	run --separate-stderr "$VCTX" create --xid $XID --persistent --limit "$limits" -- true
	assert_success
	start=$SECONDS
	"$VCTX" enter $XID -- "$STRESS_NG" --timeout "$((STRESS_DEADLINE + 60))s" \
		--metrics-brief --yaml "$yaml" --temp-path "$BATS_TEST_TMPDIR" "$@" \
		< /dev/null > "$log" 2>&1 3>&- &
	stress_pid=$!
	while kill -0 "$stress_pid" 2>/dev/null; do
		sample
		if [ "$SECONDS" -ge "$next_host" ]; then
			host_rounds=$((host_rounds + 1))
			timeout 120 sh -c 'ls / | grep -qx proc' < /dev/null > /dev/null 2> "$err" 3>&- ||
				fail "round $host_rounds: the host could not run ls: $(cat "$err")"
			next_host=$((SECONDS + 2))
		fi
		# stress-ng stops its stressors and reports on SIGINT
		if [ -z "$stopped" ] && [ "$host_rounds" -ge 1 ] &&
		   { [ $((SECONDS - start)) -ge $STRESS_DEADLINE ] ||
		     { [ $((SECONDS - start)) -ge "$STRESS_SECONDS" ] &&
		       all_pressed "${pressed[@]}"; }; }; then
			kill -INT "$stress_pid" 2>/dev/null
			stopped=$SECONDS
		fi
		[ $((SECONDS - start)) -lt $((STRESS_DEADLINE + 60)) ] ||
			fail "stress-ng still runs $((SECONDS - start)) s after it started: $(tail -5 "$log" | tame)"
		sleep 0.5
	done
	stress_status=0
	wait "$stress_pid" || stress_status=$?
	stress_pid=
	[ "$host_rounds" -ge 1 ] || fail "no command ran on the host during the stress"
	echo "# stress-ng $* exited $stress_status after $((SECONDS - start)) s" \
		"($(grep -o 'dispatching hogs:.*' "$log"));" \
		"$(ops) bogo ops; $(grep -c '^Tasks:' "$samples") samples;" \
		"$host_rounds host commands" >&3
}

# The bogo ops of each stressor of the last run, as "name: ops, ..."
ops() {
	awk '/- stressor:/ { s = $3 } /bogo-ops:/ && s { printf "%s%s: %s", sep, s, $2; sep = ", "; s = "" }' \
		"$yaml" 2>/dev/null
}

# stress-ng ended as it does when it runs into limits, or succeeded: 0,
# 2 (a stressor failed) or 3 (a stressor could not get its resources).
assert_stress_ended() {
	case $stress_status in
	0|2|3) ;;
	*) fail "stress-ng exited $stress_status: $(tail -5 "$log" | tame)" ;;
	esac
	grep -q 'dispatching hogs' "$log" || fail "stress-ng never started: $(tail -5 "$log" | tame)"
}

# No resource was ever used beyond its hard limit: not in the highest
# usage vlimit reports, not in any sample; and no sample saw more tasks
# than the nproc hard limit.
assert_limits_held() {
	local over nproc
	over=$("$VLIMIT" --json $XID | jq -c '.limits[] |
		select(.hard != null and .max > .hard) | [.resource, .max, .hard]')
	[ -z "$over" ] || fail "usage above a hard limit: $over"
	grep -q '^Tasks:' "$samples" || fail "no sample of the usage was taken"
	# Limit lines: LABEL: current min/ max soft/ hard hits
	over=$(awk '$1 ~ /:$/ && $1 != "Tasks:" && $6 != -1 && $4 > $6' "$samples" | sort -u)
	[ -z "$over" ] || fail "samples above a hard limit: $over"
	nproc=$(limit_of nproc .hard)
	if [ "$nproc" != null ]; then
		over=$(awk -v n="$nproc" '$1 == "Tasks:" && $2 > n' "$samples" | sort -u)
		[ -z "$over" ] || fail "more tasks than nproc=$nproc: $over"
	fi
}

# RESOURCE... reached their hard limits and were refused: hits.
assert_refused() {
	local r hits
	for r in "$@"; do
		hits=$(limit_of "$r" .hits)
		[ "$hits" -gt 0 ] || fail "stress-ng never hit the $r limit: $("$VLIMIT" $XID)"
	done
}

no_tasks() {
	[ "$("$VCTX" info --json $XID | jq .tasks)" -eq 0 ]
}

nothing_in_use() {
	[ "$("$VLIMIT" --json $XID | jq '[.limits[] | select(.current != 0)] | length')" -eq 0 ]
}

# After stress-ng: its leftovers killed, every counter is back at 0; the
# context ends, and its object is freed, so nothing still holds it; and
# the kernel logged no splat.
assert_all_released() {
	local maxes splats
	"$VCTX" kill -s KILL $XID 2>/dev/null || true
	poll 100 no_tasks || fail "context $XID still has tasks: $("$VCTX" ps $XID)"
	poll 300 nothing_in_use || fail "usage left in context $XID: $("$VLIMIT" $XID)"
	maxes=$("$VLIMIT" --json $XID | jq -r '[.limits[] | select(.max > 0) |
		"\(.resource) \(.max)/\(.hard // "-") (\(.hits) hits)"] | join(", ")')
	echo "# highest usage: $maxes" >&3
	run --separate-stderr "$VCTX" flags --set ~persistent $XID
	assert_success
	poll 100 no_context $XID || fail "context $XID did not end"
	poll 300 contexts_freed ||
		fail "context objects in memory: $(cat /proc/virtual/status), before: $total_before/$active_before"
	splats=$(kernel_splats_since "$mark")
	[ -z "$splats" ] || fail "the kernel log has a splat: $splats"
}

@test "The fork and clone stressors stay within nproc=8 while the host runs commands" {
	stress nproc=8 nproc --fork 2 --fork-max 8 --clone 1 --clone-max 8
	assert_stress_ended
	assert_limits_held
	assert_refused nproc
	assert_all_released
}

@test "The open and mmap stressors stay within nofile=64 while the host runs commands" {
	# The open stressor takes every file the context may open: the other
	# stressors here open none.
	stress nofile=64 nofile --open 2 --mmap 1 --mmap-bytes 256K
	assert_stress_ended
	assert_limits_held
	assert_refused nofile
	assert_all_released
}

@test "The sock and shm stressors stay within nsock=4 and shmem=1" {
	stress nsock=4,shmem=1 nsock,shmem --sock 2 --shm-sysv 2 --shm-sysv-segs 8 \
		--shm-sysv-bytes 1M
	assert_stress_ended
	assert_limits_held
	# Each sock worker has a listener, a client and what it accepts; the
	# two shm-sysv workers want a segment each at once.
	assert_refused nsock shmem
	assert_all_released
}

@test "The sem and msg stressors stay within semary=1 and msgqueue=2" {
	stress semary=1,msgqueue=2 msgqueue --sem-sysv 2 --msg 2
	assert_stress_ended
	assert_limits_held
	# Each msg worker wants a queue of its own, and stress-ng one more to
	# see whether it may; the sem-sysv workers share one array.
	assert_refused msgqueue
	assert_all_released
}
