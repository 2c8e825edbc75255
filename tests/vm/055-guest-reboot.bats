#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Guests that reboot, halt or power off themselves on the patched kernel:
# reboot(2) inside a guest ends its context and never the machine, and
# the guest's supervisor starts it again or leaves it stopped, which its
# log tells; what the guest's init writes lands in that log too.  And the
# hostile side: a user in a guest without CAP_KILL cannot reboot it, and a
# guest that reboots leaves the others alone.
#
# busybox's reboot, halt and poweroff without -f signal pid 1, which a
# guest cannot see; with -f they call reboot(2).

load helpers

GUESTS=(boot1 boot2 boot3)
declare -gA XID=([boot1]=5101 [boot2]=5102 [boot3]=5103)
# boot3 has an address of its own, on a link the start makes
BOOT3_IP=10.79.0.2

CONF=/etc/vservers
LOGDIR=/var/log/vservers

setup_file() {
	require_vserver
	local g ip
	ip link show dummy1 >/dev/null 2>&1 || ip link add dummy1 type dummy
	ip link set dummy1 up
	for g in "${GUESTS[@]}"; do
		ip=()
		[ "$g" = boot3 ] && ip=(--ip "$BOOT3_IP/24" --dev dummy1)
		"$VSERVER" "$g" build -m busybox --context "${XID[$g]}" "${ip[@]}"
		# An init that says hello, then waits: sleep as a child, so
		# that the init is a shell the guest's processes run beside
		printf '%s\n' /bin/sh -c \
			'echo hello-from-init; echo warn-from-init >&2; while :; do sleep 1; done' \
			>"$CONF/$g/apps/init/cmd.start"
		rm -f "$LOGDIR/$g.log" "$LOGDIR/$g.log.1"
	done
}

teardown_file() {
	local g
	for g in "${GUESTS[@]}"; do
		"$VSERVER" "$g" stop --timeout 1 >/dev/null 2>&1
		"$VSERVER" "$g" delete >/dev/null 2>&1
		rm -f "$LOGDIR/$g.log" "$LOGDIR/$g.log.1"
	done
	ip link del dummy1 2>/dev/null
	return 0
}

setup() {
	require_vserver
}

# Each test starts the guests it needs: none is left running for the next
teardown() {
	local g
	for g in "${GUESTS[@]}"; do
		"$VSERVER" "$g" stop --timeout 2 >/dev/null 2>&1
	done
	return 0
}

# initpid GUEST: the pid of the guest's init, as the host sees it
initpid() {
	"$VSERVER" "$1" status --json | jq -r .initpid
}

# running_with_new_init GUEST OLDPID: the guest runs, with another init
running_with_new_init() {
	local pid
	pid=$(initpid "$1") && [ "$pid" != null ] && [ "$pid" != "$2" ]
}

# dead PID: process PID has exited (a zombie nobody reaped yet counts)
dead() {
	local state
	state=$(sed -E 's/^.*\) ([A-Z]).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
	[ "$state" = Z ] || [ "$state" = X ]
}

# stopped GUEST: the guest is stopped and its run directory gone
stopped() {
	[ "$("$VSERVER" "$1" status --json | jq -r .state)" = stopped ] &&
		[ ! -e "/run/vservers/$1" ]
}

# supervisor_waits GUEST: the guest's supervisor has logged the start of
# its current init (so its waiter is about to block on the context)
supervisor_waits() {
	local pid
	pid=$(initpid "$1") && [ "$pid" != null ] &&
		"$VSERVER" "$1" log | grep -qE "vserver: (re)?started: context ${XID[$1]}, init pid $pid\$"
}

# start GUEST: start it, and wait until its supervisor watches it
start() {
	run "$VSERVER" "$1" start
	assert_success
	assert_output ''
	poll 50 supervisor_waits "$1" || fail "the supervisor of $1 did not log its start"
	sleep 0.2
}

@test "The output of a guest's init is in its log, and the supervisor in its status" {
	start boot1
	poll 50 sh -c '"$1" boot1 log | grep -qx warn-from-init' sh "$VSERVER" ||
		fail "the output of the init is not in the log"
	run "$VSERVER" boot1 log
	assert_success
	assert_line hello-from-init
	assert_line warn-from-init
	assert_line --regexp "^[0-9-]+ [0-9:]+ vserver: started: context ${XID[boot1]}, init pid $(initpid boot1)\$"
	# The supervisor: on the host, in no context, in a session of its own
	local sup
	sup=$(cat /run/vservers/boot1/supervisor)
	run "$VSERVER" boot1 status
	assert_line "supervisor: $sup"
	assert_equal "$(awk '/^VxID:/ { print $2 }' "/proc/$sup/status")" 0
	# the session: the fourth field after the command in /proc/PID/stat
	assert_equal "$(sed -E 's/^.*\) //' "/proc/$sup/stat" | cut -d ' ' -f 4)" "$sup"
	# The init's standard output and error are a pipe, not a host file
	local pid
	pid=$(initpid boot1)
	assert_equal "$(stat -L -c %t:%T "/proc/$pid/fd/0")" 1:3
	assert_equal "$(stat -L -c %F "/proc/$pid/fd/1")" fifo
	assert_equal "$(readlink "/proc/$pid/fd/1")" "$(readlink "/proc/$pid/fd/2")"
	"$VSERVER" boot1 stop --timeout 2
}

@test "reboot -f inside a guest starts it again in the same context, with a new init" {
	start boot1
	local before sup
	before=$(initpid boot1)
	sup=$(cat /run/vservers/boot1/supervisor)
	run "$VSERVER" boot1 exec reboot -f
	# The command was killed with the rest of the guest
	poll 100 running_with_new_init boot1 "$before" ||
		fail "boot1 did not come back with a new init"
	run "$VSERVER" boot1 status --json
	run jq -c '[.state, .xid]' <<<"$output"
	assert_output "[\"running\",${XID[boot1]}]"
	assert_equal "$(cat /run/vservers/boot1/supervisor)" "$sup"
	dead "$before" || fail "the old init $before is still there"
	poll 50 supervisor_waits boot1 || fail "no restart in the log"
	run "$VSERVER" boot1 log
	assert_line --regexp '^[0-9-]+ [0-9:]+ vserver: the guest rebooted$'
	assert_line --regexp "^[0-9-]+ [0-9:]+ vserver: restarted: context ${XID[boot1]}, init pid $(initpid boot1)\$"
	# The host is still up, and this test with it
	[ -r /proc/virtual/info ]
	"$VSERVER" boot1 stop --timeout 2
}

@test "poweroff -f inside a guest leaves it stopped, with nothing behind" {
	start boot1
	run "$VSERVER" boot1 exec poweroff -f
	poll 100 stopped boot1 || fail "boot1 did not stop"
	poll 50 no_context "${XID[boot1]}" || fail "the context of boot1 is still there"
	run "$VCTX" list --noheadings
	refute_output --regexp "^ *${XID[boot1]} "
	[ ! -e "/sys/fs/cgroup/vserver/${XID[boot1]}" ]
	run grep -c " /vservers/boot1/" /proc/mounts
	assert_output 0
	poll 50 sh -c '"$1" boot1 log -n 1 | grep -q "vserver: stopped$"' sh "$VSERVER" ||
		fail "the log does not say stopped"
	run "$VSERVER" boot1 log -n 2
	assert_line --index 0 --regexp '^[0-9-]+ [0-9:]+ vserver: the guest powered off$'
	assert_line --index 1 --regexp '^[0-9-]+ [0-9:]+ vserver: stopped$'
	# It stays stopped
	sleep 1
	stopped boot1
	run "$VSERVER" boot1 stop
	assert_failure 4
}

@test "halt -f inside a guest stops it too" {
	start boot1
	run "$VSERVER" boot1 exec halt -f
	poll 100 stopped boot1 || fail "boot1 did not stop"
	poll 50 sh -c '"$1" boot1 log -n 1 | grep -q "vserver: stopped$"' sh "$VSERVER" ||
		fail "the log does not say stopped"
	run "$VSERVER" boot1 log -n 2
	assert_line --index 0 --regexp '^[0-9-]+ [0-9:]+ vserver: the guest halted$'
}

@test "Try to reboot a guest as a user without CAP_KILL inside it" {
	start boot1
	local before
	before=$(initpid boot1)
	# nobody has no capability at all in the guest
	run "$VSERVER" boot1 exec su -s /bin/sh nobody -c 'reboot -f; echo status=$?'
	assert_output --partial 'Operation not permitted'
	assert_line 'status=1'
	sleep 1
	assert_equal "$(initpid boot1)" "$before"
	# Nothing in the log since this init started
	run sh -c '"$1" boot1 log | sed -n "/, init pid $2\$/,\$p"' sh "$VSERVER" "$before"
	assert_line --index 0 --partial "init pid $before"
	refute_output --partial 'vserver: the guest rebooted'
	"$VSERVER" boot1 stop --timeout 2
}

@test "A reboot inside one guest leaves another guest alone" {
	start boot1
	start boot2
	local one two
	one=$(initpid boot1)
	two=$(initpid boot2)
	run "$VSERVER" boot1 exec reboot -f
	poll 100 running_with_new_init boot1 "$one" ||
		fail "boot1 did not come back"
	sleep 1
	assert_equal "$(initpid boot2)" "$two"
	run "$VSERVER" boot2 exec true
	assert_success
	run "$VSERVER" boot2 log
	refute_output --partial 'rebooted'
	"$VSERVER" boot1 stop --timeout 2
	"$VSERVER" boot2 stop --timeout 2
}

@test "vserver stop never lets the supervisor restart a guest" {
	start boot2
	local sup
	sup=$(cat /run/vservers/boot2/supervisor)
	run "$VSERVER" boot2 stop --timeout 2
	assert_success
	assert_output ''
	dead "$sup" || fail "the supervisor $sup is still there"
	sleep 1
	stopped boot2
	no_context "${XID[boot2]}"
	run "$VSERVER" boot2 log -n 1
	assert_output --regexp '^[0-9-]+ [0-9:]+ vserver: stopped$'
}

@test "An init that reboots or exits at once is still seen: restarted up to the bound, then left stopped" {
	local cmd=$CONF/boot2/apps/init/cmd.start saved
	saved=$(cat "$cmd")
	# The context ends before the supervisor's waiter can ask for it; the
	# supervisor learns how from the events it listens to from the start.
	printf '%s\n' /bin/sh -c 'reboot -f' > "$cmd"
	rm -f "$LOGDIR/boot2.log" "$LOGDIR/boot2.log.1"
	run "$VSERVER" boot2 start
	poll 600 stopped boot2 || fail "boot2 is still running"
	poll 50 sh -c '"$1" boot2 log | grep -q "not restarted$"' sh "$VSERVER" ||
		fail "the bound is not in the log: $("$VSERVER" boot2 log)"
	run sh -c '"$1" boot2 log | grep -c "vserver: the guest rebooted$"' sh "$VSERVER"
	assert_output 6
	run "$VSERVER" boot2 log
	refute_output --partial 'before it was watched'
	# An init that exits at once with a status: the status is logged
	printf '%s\n' /bin/sh -c 'exit 3' > "$cmd"
	rm -f "$LOGDIR/boot2.log"
	run "$VSERVER" boot2 start
	poll 100 stopped boot2 || fail "boot2 is still running"
	poll 50 sh -c '"$1" boot2 log | grep -q "vserver: stopped$"' sh "$VSERVER" ||
		fail "no stop in the log: $("$VSERVER" boot2 log)"
	run "$VSERVER" boot2 log
	assert_line --regexp '^[0-9-]+ [0-9:]+ vserver: init exited with status 3$'
	printf '%s\n' "$saved" > "$cmd"
}

# eth0 of guest GUEST has ADDR, and its host end is up
linked() {
	ip link show "vsn${XID[$1]}" >/dev/null 2>&1 &&
		"$VSERVER" "$1" exec ip -o -4 addr show dev eth0 | grep -q " $2/"
}

@test "A guest with an address of its own comes back linked after a reboot, and unlinked after poweroff" {
	start boot3
	local before
	before=$(initpid boot3)
	poll 50 linked boot3 "$BOOT3_IP" || fail "boot3 is not linked after its start"
	run "$VSERVER" boot3 exec reboot -f
	poll 100 running_with_new_init boot3 "$before" ||
		fail "boot3 did not come back: $("$VSERVER" boot3 log)"
	poll 50 supervisor_waits boot3 || fail "no restart in the log"
	poll 50 linked boot3 "$BOOT3_IP" ||
		fail "boot3 is not linked after its restart: $("$VSERVER" boot3 log)"
	# One link, not one per start
	run sh -c "ip -o link show | grep -c 'vsn${XID[boot3]}[@:]'"
	assert_output 1
	run "$VSERVER" boot3 exec poweroff -f
	poll 100 stopped boot3 || fail "boot3 did not stop"
	poll 50 sh -c "! ip link show vsn${XID[boot3]} >/dev/null 2>&1" ||
		fail "the link of boot3 outlived it"
	run "$VCTX" net list
	refute_output --regexp "^ *${XID[boot3]} "
}
