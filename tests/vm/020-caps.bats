#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Capability ceilings, context capabilities, the unshare mask and the
# names of a context, from the shell: what vctx sets up, and what a
# process inside can and cannot do with it.

load helpers

# The ceiling of a new context and of "vctx create --secure"
# (VX_BCAPS_DEFAULT), as libcap names it, and as the Cap* lines of
# /proc/PID/status show it
SECURE_NAMES=cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_net_bind_service,cap_sys_chroot,cap_sys_tty_config,cap_lease,cap_audit_write,cap_setfcap
SECURE_HEX=00000000b40404fb

setup() {
	require_vserver
	host_name=$(hostname)
	pid_max=$(cat /proc/sys/kernel/pid_max)
	last_cap=$(cat /proc/sys/kernel/cap_last_cap)
	all_caps=$(( (1 << (last_cap + 1)) - 1 ))
}

teardown() {
	for x in 3101 3102; do
		"$VCTX" flags --set ~persistent "$x" 2>/dev/null
		"$VCTX" kill -s KILL "$x" 2>/dev/null
	done
	umount /mnt 2>/dev/null
	rm -f /tmp/vs-suid-bash /tmp/vs-show-caps
	# A failed test must not leave the VM renamed
	[ "$(hostname)" = "$host_name" ] || hostname "$host_name"
	return 0
}

# The value of the Cap* line $1 of /proc/self/status of "vctx create $2..."
cap_line() {
	local line=$1
	shift
	"$VCTX" create "$@" -- grep "^$line:" /proc/self/status
}

@test "A new context has the default ceiling, no ccap and an empty umask" {
	run "$VCTX" create --xid 3101 --persistent -- true
	assert_success
	run --separate-stderr "$VCTX" caps --json 3101
	assert_success
	run jq -r '[.bcapword, (.bcaps | length), (.ccaps | length), .ccapword, .umaskword] | @tsv' <<< "$output"
	assert_output "$(printf '%d\t13\t0\t0\t0' $((0x$SECURE_HEX)))"
	run --separate-stderr "$VCTX" caps 3101
	assert_line --index 1 'ccaps:  none'
	assert_line --index 2 'umask:  none'
}

@test "vctx create --secure limits the ceiling to the safe set" {
	run "$VCTX" create --xid 3101 --persistent --secure -- true
	assert_success
	run --separate-stderr "$VCTX" caps 3101
	assert_success
	assert_line --index 0 "bcaps:  $SECURE_NAMES"
	run --separate-stderr "$VCTX" info --json 3101
	assert_success
	run jq -r '.bcaps | join(",")' <<< "$output"
	assert_output "$SECURE_NAMES"
}

@test "capsh --print in a secure context shows the reduced bounding set" {
	run --separate-stderr "$VCTX" create --secure -- capsh --print
	assert_success
	assert_line "Bounding set =$SECURE_NAMES"
}

@test "The capability sets of a process in a secure context are within the ceiling" {
	local line
	for line in CapBnd CapPrm CapEff; do
		run --separate-stderr cap_line "$line" --secure
		assert_success
		assert_output "$(printf '%s:\t%s' "$line" "$SECURE_HEX")"
	done
	run --separate-stderr cap_line CapBnd
	assert_output "$(printf 'CapBnd:\t%s' "$SECURE_HEX")"
	# Raised during setup, the ceiling reaches the program
	run --separate-stderr cap_line CapBnd --bcaps all
	assert_output "$(printf 'CapBnd:\t%016x' "$all_caps")"
}

@test "vctx create --bcaps takes capabilities from the ceiling" {
	run --separate-stderr cap_line CapBnd --bcaps all,~sys_admin,~net_admin
	assert_success
	assert_output "$(printf 'CapBnd:\t%016x' $(( all_caps & ~(1 << 21) & ~(1 << 12) )))"
	run --separate-stderr cap_line CapEff --secure --bcaps net_raw,~kill
	assert_success
	assert_output "$(printf 'CapEff:\t%016x' $(( (0x$SECURE_HEX | (1 << 13)) & ~(1 << 5) )))"
}

@test "Try to mount a file system in a secure context" {
	# The same mount works with the full ceiling
	run --separate-stderr "$VCTX" create --bcaps all -- sh -c 'mount -t tmpfs x /mnt && umount /mnt'
	assert_success
	run --separate-stderr "$VCTX" create --secure -- sh -c 'mount -t tmpfs x /mnt'
	assert_failure
	assert_equal "$stderr" 'mount: permission denied (are you root?)'
	# A context with the default ceiling is a secure one
	run --separate-stderr "$VCTX" create -- sh -c 'mount -t tmpfs x /mnt'
	assert_failure
	assert_equal "$stderr" 'mount: permission denied (are you root?)'
	run grep ' /mnt ' /proc/mounts
	assert_failure
}

@test "A setuid-root program in a secure context gets nothing beyond the ceiling" {
	cp /usr/bin/bash /tmp/vs-suid-bash
	chmod 4755 /tmp/vs-suid-bash
	printf '%s\n' 'while read -r key value; do' \
		'if [ "$key" = CapEff: ]; then echo "$value"; fi' \
		'done < /proc/self/status' > /tmp/vs-show-caps
	# nobody becomes root through it on the host ...
	run --separate-stderr as_nobody /tmp/vs-suid-bash -p /tmp/vs-show-caps
	assert_success
	assert_output "$(printf '%016x' "$all_caps")"
	# ... but not beyond the ceiling in a context
	run --separate-stderr "$VCTX" create --secure -- \
		su -s /bin/sh nobody -c '/tmp/vs-suid-bash -p /tmp/vs-show-caps'
	assert_success
	assert_output "$SECURE_HEX"
}

@test "Try to raise the ceiling of a context that has left its setup" {
	"$VCTX" create --xid 3101 --persistent --secure -- true
	run --separate-stderr "$VCTX" caps 3101 --bcaps sys_admin
	assert_failure 1
	assert_equal "$stderr" 'vctx: cannot add to the capability ceiling of context 3101: it has left its setup'
	run --separate-stderr "$VCTX" caps 3101 --ccaps utsname
	assert_failure 1
	assert_equal "$stderr" 'vctx: cannot add to the ccaps of context 3101: it has left its setup'
	run --separate-stderr "$VCTX" caps 3101
	assert_line --index 0 "bcaps:  $SECURE_NAMES"
	assert_line --index 1 'ccaps:  none'
}

@test "The host lowers the ceiling of a running context" {
	"$VCTX" create --xid 3101 --persistent --secure -- sh -c 'sleep 1000 & exit 0' > /dev/null 2>&1 3>&-
	run --separate-stderr "$VCTX" caps 3101 --bcaps ~kill,~setuid
	assert_success
	run --separate-stderr "$VCTX" caps --json 3101
	run jq -c '[(.bcaps | index("cap_kill")), (.bcaps | length)]' <<< "$output"
	assert_output '[null,11]'
	# Processes started in it from then on get the lower ceiling
	run --separate-stderr "$VCTX" enter 3101 -- grep '^CapEff:' /proc/self/status
	assert_output "$(printf 'CapEff:\t%016x' $(( 0x$SECURE_HEX & ~(1 << 5) & ~(1 << 7) )))"
}

@test "The ceiling can be raised again during the setup" {
	"$VCTX" create --xid 3101 --persistent --setup --secure -- true
	run --separate-stderr "$VCTX" caps 3101 --bcaps sys_admin --ccaps utsname
	assert_success
	run --separate-stderr "$VCTX" caps --json 3101
	run jq -c '[(.bcaps | index("cap_sys_admin") != null), .ccaps]' <<< "$output"
	assert_output '[true,["set_utsname"]]'
}

@test "vctx create --hostname names the host inside and nothing outside" {
	run --separate-stderr "$VCTX" create --hostname h1 --ccaps utsname -- hostname
	assert_success
	assert_output h1
	run hostname
	assert_output "$host_name"
	run --separate-stderr "$VCTX" create --hostname h1 -- uname -n
	assert_success
	assert_output h1
	refute_output "$(uname -n)"
	run --separate-stderr "$VCTX" create --hostname h1 -- cat /proc/sys/kernel/hostname
	assert_output h1
}

@test "A context starts with the names of its creator" {
	run --separate-stderr "$VCTX" create -- uname -snrvm
	assert_success
	assert_output "$(uname -snrvm)"
	run --separate-stderr "$VCTX" create -- cat /proc/sys/kernel/domainname
	assert_output "$(cat /proc/sys/kernel/domainname)"
}

@test "vctx uname shows the names of a context" {
	"$VCTX" create --xid 3101 --name web --persistent --hostname h1 -- true
	run --separate-stderr "$VCTX" uname web
	assert_success
	assert_line --index 0 'context:    web'
	assert_line --index 1 "sysname:    $(uname -s)"
	assert_line --index 2 'nodename:   h1'
	assert_line --index 3 "release:    $(uname -r)"
	assert_line --index 4 "version:    $(uname -v)"
	assert_line --index 5 "machine:    $(uname -m)"
	assert_line --index 6 "domainname: $(cat /proc/sys/kernel/domainname)"
	run --separate-stderr "$VCTX" uname --json 3101
	assert_success
	run jq -r '[.xid, .context, .nodename, .release] | @tsv' <<< "$output"
	assert_output "$(printf '3101\tweb\th1\t%s' "$(uname -r)")"
}

@test "vctx uname --set changes the names a running context sees" {
	"$VCTX" create --xid 3101 --persistent --hostname h1 -- sh -c 'sleep 1000 & exit 0' > /dev/null 2>&1 3>&-
	run --separate-stderr "$VCTX" uname 3101 --set nodename=h2 --set domainname=example.org
	assert_success
	run --separate-stderr "$VCTX" enter 3101 -- sh -c 'hostname; cat /proc/sys/kernel/domainname'
	assert_success
	assert_output "$(printf 'h2\nexample.org')"
	run hostname
	assert_output "$host_name"
}

@test "Try to set the host name inside a context without the utsname ccap" {
	run --separate-stderr "$VCTX" create -- hostname intruder
	assert_failure
	assert_equal "$stderr" 'hostname: sethostname: Operation not permitted'
	run --separate-stderr "$VCTX" create -- sh -c 'echo intruder > /proc/sys/kernel/hostname'
	assert_failure
	assert_equal "$stderr" "sh: can't create /proc/sys/kernel/hostname: Permission denied"
	run hostname
	assert_output "$host_name"
}

@test "Root in a context with the utsname ccap sets its own host name" {
	run --separate-stderr "$VCTX" create --ccaps utsname -- sh -c 'hostname h3 && uname -n'
	assert_success
	assert_output h3
	# Even without cap_sys_admin in its ceiling
	run --separate-stderr "$VCTX" create --secure --ccaps utsname -- \
		sh -c 'echo h4 > /proc/sys/kernel/hostname && hostname'
	assert_success
	assert_output h4
	run hostname
	assert_output "$host_name"
}

@test "Root in a context with cap_sys_admin in its ceiling sets its host name without the ccap" {
	run --separate-stderr "$VCTX" create --bcaps all -- sh -c 'hostname h5 && uname -n'
	assert_success
	assert_output h5
	run --separate-stderr "$VCTX" create --bcaps all -- \
		sh -c 'echo h6 > /proc/sys/kernel/hostname && hostname'
	assert_success
	assert_output h6
	run hostname
	assert_output "$host_name"
}

@test "Try to write a global sysctl (pid_max) from inside a context" {
	run --separate-stderr "$VCTX" create -- sh -c 'echo 1000 > /proc/sys/kernel/pid_max'
	assert_failure
	assert_equal "$stderr" "sh: can't create /proc/sys/kernel/pid_max: Permission denied"
	run cat /proc/sys/kernel/pid_max
	assert_output "$pid_max"
	# Reading stays allowed
	run --separate-stderr "$VCTX" create -- cat /proc/sys/kernel/pid_max
	assert_success
	assert_output "$pid_max"
}

@test "Try to create a user namespace in a context whose umask does not allow it" {
	run --separate-stderr "$VCTX" create -- unshare -U true
	assert_failure
	[[ "$stderr" == *"Operation not permitted"* ]]
}

@test "A context whose umask allows it creates user namespaces, within its ceiling" {
	# Configured from inside during setup, with cap_sys_admin in the ceiling
	run --separate-stderr "$VCTX" create --xid 3101 --setup --bcaps all -- \
		sh -c "$VCTX caps 3101 --umask user && unshare -U -m true"
	assert_success
	# A user namespace does not give back what the ceiling lacks
	"$VCTX" create --xid 3102 --persistent --setup --secure -- true
	run --separate-stderr "$VCTX" caps 3102 --umask user
	assert_success
	run --separate-stderr "$VCTX" enter 3102 -- \
		sh -c "unshare -U true && echo user && unshare -U -m true"
	assert_failure
	assert_output user
	[[ "$stderr" == *"Operation not permitted"* ]]
}

@test "Try to configure a context in setup from a program run in it" {
	# The program runs with the default ceiling: no cap_sys_admin
	run --separate-stderr "$VCTX" create --xid 3101 --setup -- \
		sh -c "$VCTX caps 3101 --bcaps all"
	assert_failure
	[[ "$stderr" == *"3101"* ]]
	run --separate-stderr "$VCTX" create --xid 3101 --setup -- \
		sh -c "$VCTX caps 3101 --umask user"
	assert_failure
}

@test "Root in a context with the icmp ccap pings without cap_net_raw" {
	ping -c 1 -W 2 127.0.0.1 > /dev/null 2>&1 ||
		skip "the VM cannot ping 127.0.0.1 at all"
	run --separate-stderr "$VCTX" create --secure -- ping -c 1 -W 2 127.0.0.1
	assert_failure
	run --separate-stderr "$VCTX" create --secure --ccaps icmp -- ping -c 1 -W 2 127.0.0.1
	assert_success
}

@test "A context with virt_uptime counts its uptime from its creation" {
	local host_uptime
	host_uptime=$(cut -d. -f1 /proc/uptime)
	[ "$host_uptime" -ge 10 ] || sleep $((10 - host_uptime))
	run --separate-stderr "$VCTX" create --flags virt_uptime -- cut -d. -f1 /proc/uptime
	assert_success
	[ "$output" -lt 5 ]
	# Without the flag, the uptime is the host's
	run --separate-stderr "$VCTX" create -- cut -d. -f1 /proc/uptime
	assert_success
	[ "$output" -ge 10 ]
}
