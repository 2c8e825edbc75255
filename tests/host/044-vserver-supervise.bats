#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The supervisor that "vserver NAME start" leaves behind: it copies the
# output of the guest's init to the guest's log, starts the guest again
# when it reboots (at most 5 times within 60 seconds), cleans up when it
# halts, powers off or ends, and leaves a guest that "vserver NAME stop"
# stopped alone.  Then "vserver NAME restart" and "vserver NAME log".
#
# The guests really start, from a static busybox, in a user and mount
# namespace of their own ("unshare -rm"), against fake-vserver.c, whose
# contexts here outlive the process that made them and end when the test
# says how (end_context): as after a reboot(2) inside, or the exit of the
# init.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vserver_tool
	use_guest_dirs
	G=$CONF/web
	LOG=$VSERVER_LOGDIR/web.log
	RUN=$VSERVER_RUNDIR/web
}

teardown() {
	kill_guests
}

# web: context 42, a busybox root, an init that says hello on both of its
# outputs and then sleeps; and a faked kernel to start it on
build_web() {
	require_static_busybox
	require_userns
	run --separate-stderr "$VSERVER" web build -m busybox --context 42
	assert_success
	printf '%s\n' /bin/sh -c \
		'echo hello-from-init; echo to-stderr >&2; exec sleep 100000' \
		>"$G/apps/init/cmd.start"
	fake_guest_kernel
}

# start_web: start web, which succeeds and says nothing
start_web() {
	run --separate-stderr in_userns "$VSERVER" web start
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	wait_until watching
}

# The pid in a file of web's run directory
run_file() {
	cat "$RUN/$1"
}

# The pid of web's init, once it is another than $1
new_init() {
	[[ -f "$RUN/pid" && "$(cat "$RUN/pid")" != "$1" ]]
}

# Process $1 has exited (a zombie that nobody reaps yet counts)
dead() {
	local state
	state=$(sed -E 's/^.*\) ([A-Z]).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
	[[ "$state" == Z || "$state" == X ]]
}

# web's supervisor has logged the start of the init it has now, and its
# waiter is in VCMD_wait_exit: a context that ended before would not be
# waited for (the kernel's events cover that; the fake has none)
watching() {
	local sup pid
	sup=$(run_file supervisor) && pid=$(run_file pid) &&
		log_lines | grep -qE "^vserver: (re)?started: context 42, init pid $pid\$" &&
		[[ -n "$(ps -o pid= --ppid "$sup")" ]] &&
		[[ -e "$CTXDIR/42.waiting-$pid" ]]
}

# web's supervisor $1 has exited and the run directory is gone
supervisor_gone() {
	dead "$1" && [[ ! -e "$RUN" ]]
}

# The log, the older file first, without its time stamps: "<date> <time>
# vserver: " becomes "vserver: "
log_lines() {
	cat "$LOG.1" "$LOG" 2>/dev/null |
		sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} vserver: /vserver: /'
}

# The log says LINE, exactly, on a line of its own
log_has() {
	log_lines | grep -qxF "$1"
}

@test "vserver start leaves a detached supervisor, which logs the start and the output of the init" {
	build_web
	start_web
	local init sup
	init=$(run_file pid)
	sup=$(run_file supervisor)
	if dead "$sup"; then fail "the supervisor exited"; fi
	# A session of its own, nothing but /dev/null as 0, 1 and 2, and
	# only the pipe and the log besides
	assert_equal "$(ps -o sid= -p "$sup" | tr -d ' ')" "$sup"
	assert_equal "$(ps -o tty= -p "$sup" | tr -d ' ')" '?'
	local fd
	for fd in 0 1 2; do
		assert_equal "$(readlink "/proc/$sup/fd/$fd")" /dev/null
	done
	# (and the pipe from its waiter, blocked in VCMD_wait_exit)
	run ls "/proc/$sup/fd"
	assert_equal "${#lines[@]}" 6
	run sh -c "readlink /proc/$sup/fd/* | grep -v -e '^pipe:' -e '^/dev/null\$'"
	assert_output "$LOG"
	# The init writes into a pipe the supervisor reads, not into the log
	local out
	out=$(readlink "/proc/$init/fd/1")
	[[ "$out" == pipe:* ]] || fail "fd 1 of the init is $out"
	assert_equal "$(readlink "/proc/$init/fd/2")" "$out"
	run sh -c "readlink /proc/$sup/fd/* | grep -cxF '$out'"
	assert_output 1
	run sh -c "readlink /proc/$sup/fd/* | grep -cxF '$LOG'"
	assert_output 1
	wait_until log_has to-stderr
	run log_lines
	assert_output "$(printf '%s\n' "vserver: started: context 42, init pid $init" \
		hello-from-init to-stderr)"
	# Every line of the supervisor has a time stamp
	run grep -c -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} vserver: started: ' "$LOG"
	assert_output 1
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line "initpid:   $init"
	assert_line "supervisor: $sup"
	run --separate-stderr "$VSERVER" web status --json
	assert_output --partial "\"supervisor\":$sup,"
}

@test "A reboot inside the guest starts a new init in the same context, and the log says so" {
	build_web
	start_web
	local first second third sup
	first=$(run_file pid)
	sup=$(run_file supervisor)
	end_context 42 0x01234567 9
	wait_until new_init "$first"
	wait_until watching
	second=$(run_file pid)
	assert_equal "$(run_file xid)" 42
	assert_equal "$(run_file supervisor)" "$sup"
	wait_until log_has "vserver: restarted: context 42, init pid $second"
	run --separate-stderr "$VSERVER" web status
	assert_line 'state:     running'
	assert_line "initpid:   $second"
	# RESTART2 too
	end_context 42 0xA1B2C3D4 9
	wait_until new_init "$second"
	wait_until watching
	third=$(run_file pid)
	wait_until log_has "vserver: restarted: context 42, init pid $third"
	wait_until test "$(grep -c to-stderr "$LOG")" = 3
	# What the new init writes and the supervisor's "restarted" come in
	# either order
	run sh -c "grep -v 'vserver: restarted: ' '$LOG' | sed 's/^.* vserver: /vserver: /'"
	assert_output "$(printf '%s\n' "vserver: started: context 42, init pid $first" \
		hello-from-init to-stderr 'vserver: the guest rebooted' \
		hello-from-init to-stderr \
		'vserver: the guest rebooted' hello-from-init to-stderr)"
	run grep -n 'vserver: \(the guest rebooted\|restarted: \)' "$LOG"
	assert_line --index 0 --regexp '^4:.* vserver: the guest rebooted$'
	assert_line --index 1 --regexp ":.* vserver: restarted: context 42, init pid $second\$"
	assert_line --index 2 --regexp ':.* vserver: the guest rebooted$'
	assert_line --index 3 --regexp ":.* vserver: restarted: context 42, init pid $third\$"
	assert_equal "${#lines[@]}" 4
	if dead "$sup"; then fail "the supervisor exited"; fi
	dead "$first"
}

@test "A halt or a power-off inside the guest leaves it stopped and cleaned up" {
	build_web
	local cmd word sup
	for cmd in 0xCDEF0123:halted 0x4321FEDC:'powered off'; do
		: >"$LOG" 2>/dev/null || true
		start_web
		sup=$(run_file supervisor)
		end_context 42 "${cmd%%:*}" 9
		wait_until supervisor_gone "$sup"
		word=${cmd#*:}
		run log_lines
		assert_line "vserver: the guest $word"
		assert_line --index -1 'vserver: stopped'
		refute_output --partial restarted
		run --separate-stderr "$VSERVER" web status
		assert_line 'state:     stopped'
		[[ ! -e "$CTXDIR/42" ]]
		run --separate-stderr "$VSERVER" web stop
		assert_failure 4
		assert_stderr "vserver: guest 'web' is not running"
	done
}

@test "The end of the init is logged with its status, and the guest is cleaned up" {
	build_web
	local sup
	start_web
	sup=$(run_file supervisor)
	end_context 42 0 768
	wait_until supervisor_gone "$sup"
	run log_lines
	assert_line --index -2 'vserver: init exited with status 3'
	assert_line --index -1 'vserver: stopped'
	start_web
	sup=$(run_file supervisor)
	end_context 42 0 9
	wait_until supervisor_gone "$sup"
	run log_lines
	assert_line --index -2 'vserver: init was killed by signal 9'
	assert_line --index -1 'vserver: stopped'
}

@test "vserver stop ends a supervised guest for good, and waits for its supervisor" {
	build_web
	printf '#!/bin/sh\necho "$1" >>%s/hooks\n' "$BATS_TEST_TMPDIR" >"$G/scripts/post-stop"
	chmod +x "$G/scripts/post-stop"
	start_web
	local init sup
	init=$(run_file pid)
	sup=$(run_file supervisor)
	run --separate-stderr "$VSERVER" web stop
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	# Gone as soon as stop returns: no second clean-up, no restart
	dead "$sup"
	[[ ! -e "$RUN" && ! -e "$CTXDIR/42" ]]
	run log_lines
	assert_line --index -2 'vserver: init was killed by signal 15'
	assert_line --index -1 'vserver: stopped'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/hooks")" post-stop
	sleep 0.3
	[[ ! -e "$RUN" && ! -e "$CTXDIR/42" ]]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/hooks")" post-stop
}

@test "A guest that reboots more than 5 times within 60 seconds is left stopped" {
	build_web
	start_web
	local i pid sup
	sup=$(run_file supervisor)
	for i in 1 2 3 4 5; do
		pid=$(run_file pid)
		end_context 42 0x01234567 9
		wait_until new_init "$pid"
		wait_until watching
	done
	end_context 42 0x01234567 9
	wait_until supervisor_gone "$sup"
	run log_lines
	assert_line --index -2 'vserver: it rebooted 6 times within 60 seconds: not restarted'
	assert_line --index -1 'vserver: stopped'
	run grep -c 'vserver: restarted: ' "$LOG"
	assert_output 5
	[[ ! -e "$CTXDIR/42" ]]
}

@test "A restart that fails is logged, and the guest stays stopped" {
	build_web
	start_web
	local sup
	sup=$(run_file supervisor)
	echo CAP_FOO >>"$G/bcapabilities"
	end_context 42 0x01234567 9
	wait_until supervisor_gone "$sup"
	run log_lines
	assert_line --index -3 'vserver: the guest rebooted'
	assert_line --index -2 "vserver: $G/bcapabilities: unknown capability 'CAP_FOO'"
	assert_line --index -1 'vserver: the restart failed: the guest stays stopped'
	[[ ! -e "$CTXDIR/42" ]]
}

@test "vserver restart starts a stopped guest, and stops and starts a running one" {
	build_web
	run --separate-stderr in_userns "$VSERVER" web restart
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	wait_until watching
	local init sup
	init=$(run_file pid)
	sup=$(run_file supervisor)
	run --separate-stderr in_userns "$VSERVER" web restart --timeout 5
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	dead "$sup"
	dead "$init"
	[[ "$(run_file pid)" != "$init" && "$(run_file supervisor)" != "$sup" ]]
	wait_until log_has "vserver: started: context 42, init pid $(run_file pid)"
	run grep -c 'vserver: started: ' "$LOG"
	assert_output 2
	run log_lines
	assert_line 'vserver: init was killed by signal 15'
	refute_line 'vserver: the guest rebooted'
}

# assert_usage_error CMD MESSAGE: the last run failed with MESSAGE and
# the "Try 'CMD --help'" line, and printed nothing on stdout
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: $2" "Try '$1 --help' for more information."
}

@test "Try to restart with a bad option or argument" {
	run --separate-stderr "$VSERVER" web restart now
	assert_usage_error 'vserver web restart' "unexpected argument 'now'"
	run --separate-stderr "$VSERVER" web restart --timeout 0
	assert_usage_error 'vserver web restart' "invalid timeout '0' (1 to 86400 seconds)"
	run --separate-stderr "$VSERVER" web restart -t 5s
	assert_usage_error 'vserver web restart' "invalid timeout '5s' (1 to 86400 seconds)"
	run --separate-stderr "$VSERVER" web restart --timeout
	assert_usage_error 'vserver web restart' "option '--timeout' requires an argument"
	run --separate-stderr "$VSERVER" web restart --frobnicate
	assert_usage_error 'vserver web restart' "unrecognized option '--frobnicate'"
	run --separate-stderr "$VSERVER" web restart
	assert_failure 1
	assert_output ''
}

@test "vserver restart and log have --help, and vserver --help names them" {
	run --separate-stderr "$VSERVER" web restart --help
	assert_success
	assert_line --index 1 ' vserver <name> restart [options]'
	assert_line ' -t, --timeout <seconds>  how long to wait at each step (default: 10)'
	assert_line --index -1 'For more details see vserver(8).'
	assert_equal "$stderr" ''
	run --separate-stderr "$VSERVER" log --help
	assert_success
	assert_line --index 1 ' vserver <name> log [options]'
	assert_line ' -n, --lines <number>  show only the last <number> lines'
	assert_line ' -h, --help            display this help'
	assert_line --index -1 'For more details see vserver(8).'
	run --separate-stderr "$VSERVER" --help
	assert_line ' restart  stop the guest if it is running, then start it'
	assert_line ' log      show the output of the guest'"'"'s init and its supervisor'
	assert_line ' VSERVER_LOGDIR   the logs of the guests (default: /var/log/vservers)'
}

@test "vserver log shows the older file first, and -n the last lines of both" {
	mkdir -p "$VSERVER_LOGDIR"
	printf 'one\ntwo\n' >"$LOG.1"
	printf 'three\nfour\nfive' >"$LOG"
	run --separate-stderr "$VSERVER" web log
	assert_success
	assert_output "$(printf 'one\ntwo\nthree\nfour\nfive')"
	assert_equal "$stderr" ''
	run --separate-stderr "$VSERVER" web log -n 2
	assert_output "$(printf 'four\nfive')"
	printf '\n' >>"$LOG"
	run --separate-stderr "$VSERVER" web log --lines=4
	assert_output "$(printf 'two\nthree\nfour\nfive')"
	run --separate-stderr "$VSERVER" web log -n 100
	assert_output "$(printf 'one\ntwo\nthree\nfour\nfive')"
	run --separate-stderr "$VSERVER" web log -n 0
	assert_success
	assert_output ''
	# Whatever a guest writes cannot drive the terminal
	rm "$LOG.1"
	printf 'a\033[2Jb\tc\\d\000e\ncafé\n' >"$LOG"
	run --separate-stderr "$VSERVER" web log
	assert_output "$(printf '%s\n' 'a\x1b[2Jb\x09c\x5cd\x00e' 'café')"
	# Only the older file is there: that is the log
	mv "$LOG" "$LOG.1"
	run --separate-stderr "$VSERVER" web log -n 1
	assert_output 'café'
}

@test "Try to show a log that is not there, or with a bad option or argument" {
	run --separate-stderr "$VSERVER" web log
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: guest 'web' has no log yet (no $LOG)"
	run --separate-stderr "$VSERVER" web log -n ten
	assert_usage_error 'vserver web log' "invalid number of lines 'ten'"
	run --separate-stderr "$VSERVER" web log -n -1
	assert_usage_error 'vserver web log' "invalid number of lines '-1'"
	run --separate-stderr "$VSERVER" web log --lines
	assert_usage_error 'vserver web log' "option '--lines' requires an argument"
	run --separate-stderr "$VSERVER" web log all
	assert_usage_error 'vserver web log' "unexpected argument 'all'"
	run --separate-stderr "$VSERVER" web log --frobnicate
	assert_usage_error 'vserver web log' "unrecognized option '--frobnicate'"
	run --separate-stderr "$VSERVER" 9web log
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: invalid guest name '9web': it must start with a letter"
	VSERVER_LOGDIR=logs run --separate-stderr "$VSERVER" web log
	assert_failure 1
	assert_stderr "vserver: VSERVER_LOGDIR must be an absolute path, not 'logs'"
}

@test "The log is rotated at 1 MiB into one older file" {
	build_web
	# 3000 lines of 400 bytes: 1.2 MB, so one rotation
	printf '%s\n' /bin/sh -c \
		'l=$(printf "%0395d" 0); i=0; while [ $i -lt 3000 ]; do echo "$i $l"; i=$((i + 1)); done; exec sleep 100000' \
		>"$G/apps/init/cmd.start"
	start_web
	wait_until grep -q '^2999 ' "$LOG"
	local size
	size=$(stat -c %s "$LOG.1")
	(( size <= 1048576 && size > 1048576 - 8192 )) || fail "web.log.1 has $size bytes"
	(( $(stat -c %s "$LOG") < 1048576 ))
	head -n 1 "$LOG.1" | grep -q 'vserver: started: '
	# Together they hold every line, once, in order
	run sh -c '"$1" web log | grep -E "^[0-9]+ 0+$" | cut -d" " -f1' sh "$VSERVER"
	assert_equal "${#lines[@]}" 3000
	assert_equal "${lines[0]}" 0
	assert_equal "${lines[2999]}" 2999
	# Another 1.2 MB: the oldest lines are gone, the log stays below 2 MiB
	local sup init
	sup=$(run_file supervisor)
	init=$(run_file pid)
	end_context 42 0x01234567 9
	wait_until new_init "$init"
	wait_until log_has "vserver: restarted: context 42, init pid $(run_file pid)"
	wait_until sh -c "grep -c '^2999 ' '$LOG' '$LOG.1' | grep -q ':1\$'"
	wait_until sh -c '"$1" web log -n 2 | grep -q "^2999 "' sh "$VSERVER"
	run sh -c '"$1" web log | grep -c -E "^0 0+$"' sh "$VSERVER"
	assert_output 1
	(( $(stat -c %s "$LOG") + $(stat -c %s "$LOG.1") <= 2 * 1048576 ))
	assert_equal "$(run_file supervisor)" "$sup"
}
