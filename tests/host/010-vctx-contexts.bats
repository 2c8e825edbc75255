#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The context commands against a faked kernel: fake-vserver.c answers the
# vserver system call from a list of contexts, logs every call, and fails
# a command with the errno a test asks for, so that each output, each
# error message and each exit status can be checked on the host.

bats_require_minimum_version 1.5.0

load helpers

# Flagwords of the fake contexts
SETUP_PRIVATE=0x700000008	# VXF_INIT_SET | VXF_INFO_PRIVATE
# Their capability words: CHOWN and DAC_OVERRIDE, RAW_ICMP, no umask; the
# "vctx create --secure" ceiling, SET_UTSNAME, CLONE_NEWUSER
CAPS_2=0x3:0x100:0
CAPS_5=0xb40404fb:0x1:0x10000000

setup_file() {
	build_fake_vserver
}

setup() {
	require_vctx
	use_fake_vserver
	fake_contexts "2:web:3:41:$PERSISTENT:$CAPS_2" \
		"5::1:0:$SETUP_PRIVATE:$CAPS_5"
}

# An executable file in the test's directory
make_script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$BATS_TEST_TMPDIR/$1"
	chmod +x "$BATS_TEST_TMPDIR/$1"
}

@test "vctx list shows one row per context, in xid order" {
	run --separate-stderr "$VCTX" list
	assert_success
	assert_output "$(cat <<-'END'
		  XID NAME TASKS INITPID FLAGS
		    2 web      3      41 persistent
		    5 -        1       0 private,state_setup,state_init,state_admin
		END
	)"
	assert_equal "$stderr" ''
}

@test "vctx list --noheadings leaves out the heading line" {
	run --separate-stderr "$VCTX" list --noheadings
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 '    2 web      3      41 persistent'
}

@test "vctx list widens the name column for long names" {
	fake_contexts "7:a-rather-long-name:0:0:0"
	run --separate-stderr "$VCTX" list
	assert_success
	assert_line --index 0 '  XID NAME               TASKS INITPID FLAGS'
	assert_line --index 1 '    7 a-rather-long-name     0       0 none'
}

@test "vctx list --json prints one object with one entry per context" {
	run --separate-stderr "$VCTX" list --json
	assert_success
	assert_output '{"contexts":[{"xid":2,"name":"web","tasks":3,"initpid":41,"flags":["persistent"],"flagword":274877906944},{"xid":5,"name":null,"tasks":1,"initpid":0,"flags":["private","state_setup","state_init","state_admin"],"flagword":30064771080}]}'
}

@test "vctx list --json is valid JSON" {
	if ! command -v jq >/dev/null; then
		skip 'jq is not installed'
	fi
	run --separate-stderr "$VCTX" list --json
	assert_success
	run jq -e '(.contexts | length) == 2 and .contexts[0].name == "web" and
		   .contexts[1].name == null' <<<"$output"
	assert_success
}

@test "vctx list prints only the heading, or an empty array, without contexts" {
	fake_contexts
	run --separate-stderr "$VCTX" list
	assert_success
	assert_output '  XID NAME TASKS INITPID FLAGS'
	run --separate-stderr "$VCTX" list --json
	assert_success
	assert_output '{"contexts":[]}'
}

@test "vctx list skips a context that is gone before it is read" {
	# /proc/virtual still lists 9, the kernel no longer knows it
	mkdir "$FAKE_VSERVER_PROC_VIRTUAL/9"
	run --separate-stderr "$VCTX" list --noheadings
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" ''
}

@test "vctx info shows the details of a context named by id or by name" {
	run --separate-stderr "$VCTX" info 2
	assert_success
	assert_output "$(cat <<-'END'
		xid:       2
		name:      web
		tasks:     3
		usecnt:    4
		initpid:   41
		flags:     persistent
		flagword:  0x0000004000000000
		bcaps:     cap_chown,cap_dac_override
		ccaps:     raw_icmp
		umask:     none
		END
	)"
	local by_id="$output"
	run --separate-stderr "$VCTX" info web
	assert_success
	assert_output "$by_id"
}

@test "vctx info --json prints one object" {
	run --separate-stderr "$VCTX" info 5 --json
	assert_success
	assert_output '{"xid":5,"name":null,"tasks":1,"usecnt":2,"initpid":0,"flags":["private","state_setup","state_init","state_admin"],"flagword":30064771080,"bcaps":["cap_chown","cap_dac_override","cap_fowner","cap_fsetid","cap_kill","cap_setgid","cap_setuid","cap_net_bind_service","cap_sys_chroot","cap_sys_tty_config","cap_lease","cap_audit_write","cap_setfcap"],"bcapword":3020162299,"ccaps":["set_utsname"],"ccapword":1,"umask":["user"],"umaskword":268435456}'
}

@test "vctx info leaves out the capabilities on a kernel without them" {
	FAKE_VSERVER_ERRNO_GET_BCAPS=EOPNOTSUPP run --separate-stderr "$VCTX" info 2
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_line --index 6 'flagword:  0x0000004000000000'
	FAKE_VSERVER_ERRNO_GET_BCAPS=EOPNOTSUPP run --separate-stderr "$VCTX" info 2 --json
	assert_success
	assert_output '{"xid":2,"name":"web","tasks":3,"usecnt":4,"initpid":41,"flags":["persistent"],"flagword":274877906944}'
}

@test "Try to show a context whose capabilities cannot be read" {
	FAKE_VSERVER_ERRNO_GET_UMASK=EPERM run --separate-stderr "$VCTX" info 2
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: permission denied: read context 2'
}

@test "Try to show a context that does not exist" {
	run --separate-stderr "$VCTX" info 42
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: no context 42'
}

@test "Try to show a context by a name no context has" {
	run --separate-stderr "$VCTX" info db
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: no context named 'db'"
}

@test "Try to name a context by a name two contexts have" {
	fake_contexts "2:web:0:0:0" "3:web:0:0:0"
	run --separate-stderr "$VCTX" info web
	assert_failure 1
	assert_stderr "vctx: more than one context named 'web': 2 and 3"
}

@test "vctx flags prints the flag names of a context" {
	run --separate-stderr "$VCTX" flags 5
	assert_success
	assert_output 'private,state_setup,state_init,state_admin'
	run --separate-stderr "$VCTX" flags web --json
	assert_success
	assert_output '{"xid":2,"flags":["persistent"],"flagword":274877906944,"mask":18446744043644780543}'
}

@test "vctx flags --set sets the named flags and clears those with ~ or !" {
	run --separate-stderr "$VCTX" flags web --set 'private,~persistent,!setup'
	assert_success
	assert_output ''
	assert_calls 'get_vhi_name 2 field=0' 'get_vhi_name 5 field=0' \
		'set_cflags 2 flagword=0x8 mask=0x4100000008'
}

@test "Try to set the flags of a context without permission" {
	FAKE_VSERVER_ERRNO_SET_CFLAGS=EPERM \
		run --separate-stderr "$VCTX" flags 2 --set private
	assert_failure 1
	assert_stderr 'vctx: permission denied: set the flags of context 2'
}

@test "Try to set a flag the kernel refuses" {
	FAKE_VSERVER_ERRNO_SET_CFLAGS=EINVAL \
		run --separate-stderr "$VCTX" flags 2 --set setup
	assert_failure 1
	assert_stderr 'vctx: cannot set the flags of context 2: Invalid argument'
}

@test "vctx whoami shows the host and a named context" {
	run --separate-stderr "$VCTX" whoami
	assert_success
	assert_output 'xid:   0'
	FAKE_VSERVER_TASK_XIDS=0:2 run --separate-stderr "$VCTX" whoami
	assert_success
	assert_output "$(printf 'xid:   2\nname:  web')"
	FAKE_VSERVER_TASK_XIDS=0:2 run --separate-stderr "$VCTX" whoami --json
	assert_success
	assert_output '{"xid":2,"name":"web"}'
	run --separate-stderr "$VCTX" whoami --json
	assert_output '{"xid":0,"name":null}'
}

@test "vctx ps lists processes with their context and command" {
	local comm
	comm="$(cat /proc/$$/comm)"
	FAKE_VSERVER_TASK_XIDS="$$:2" run --separate-stderr "$VCTX" ps
	assert_success
	assert_line --index 0 '    PID   XID COMMAND'
	assert_line "$(printf '%7d %5d %s' $$ 2 "$comm")"
	assert_line --regexp '^ +1 +0 '
}

@test "vctx ps XID shows only the processes of that context" {
	local comm
	comm="$(cat /proc/$$/comm)"
	FAKE_VSERVER_TASK_XIDS="$$:2" run --separate-stderr "$VCTX" ps web
	assert_success
	assert_output "$(printf '    PID   XID COMMAND\n%7d %5d %s' $$ 2 "$comm")"
	FAKE_VSERVER_TASK_XIDS="$$:2" run --separate-stderr "$VCTX" ps 2 -n --json
	assert_success
	assert_output "{\"processes\":[{\"pid\":$$,\"xid\":2,\"command\":\"$comm\"}]}"
}

@test "vctx ps 0 shows the processes of the host" {
	FAKE_VSERVER_TASK_XIDS="$$:2" run --separate-stderr "$VCTX" ps 0 --noheadings
	assert_success
	refute_line --regexp "^ *$$ "
	assert_line --regexp '^ +1 +0 '
}

@test "vctx ps skips the processes the kernel does not show" {
	FAKE_VSERVER_TASK_XIDS="$$:2" FAKE_VSERVER_ERRNO_TASK_XID=ESRCH \
		run --separate-stderr "$VCTX" ps --noheadings
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_line --regexp "^ *$$ +2 "
}

@test "vctx create makes a dynamic context, ends its setup and runs the command" {
	run --separate-stderr "$VCTX" create -- echo hello
	assert_success
	assert_output 'hello'
	assert_equal "$stderr" ''
	assert_calls 'ctx_create 4294967295 flagword=0x700000000' \
		'set_cflags 3 flagword=0x0 mask=0x200000000' \
		'set_cflags 3 flagword=0x0 mask=0x100000000'
}

@test "vctx create --verbose names the new context" {
	run --separate-stderr "$VCTX" create --verbose echo hello
	assert_success
	assert_output "$(printf 'created context 3\nhello')"
}

@test "vctx create passes the id, the name and the flags" {
	run --separate-stderr "$VCTX" create --xid 42 --name db --persistent \
		--flags 'private,~admin' true
	assert_success
	assert_calls 'ctx_create 42 flagword=0x4300000008' \
		'set_vhi_name 42 field=0 name=db' \
		'set_cflags 42 flagword=0x0 mask=0x200000000' \
		'set_cflags 42 flagword=0x0 mask=0x100000000'
}

@test "vctx create --setup leaves the context in its setup state" {
	run --separate-stderr "$VCTX" create --setup --xid 42 true
	assert_success
	assert_calls 'ctx_create 42 flagword=0x700000000'
}

@test "vctx create runs \$SHELL without a command" {
	make_script myshell 'echo "shell $#"'
	SHELL="$BATS_TEST_TMPDIR/myshell" run --separate-stderr "$VCTX" create
	assert_success
	assert_output 'shell 0'
}

@test "Try to create a context that already exists" {
	run --separate-stderr "$VCTX" create --xid 2 true
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: context 2 already exists'
}

@test "Try to create a context that is still being set up" {
	FAKE_VSERVER_ERRNO_CTX_CREATE=EBUSY \
		run --separate-stderr "$VCTX" create --xid 5 true
	assert_failure 1
	assert_stderr 'vctx: context 5 is still being set up'
}

@test "Try to create a context without privilege" {
	FAKE_VSERVER_ERRNO_CTX_CREATE=EPERM \
		run --separate-stderr "$VCTX" create true
	assert_failure 1
	assert_stderr 'vctx: only root in the host context may create contexts'
}

@test "Try to create a context when no id is free" {
	FAKE_VSERVER_ERRNO_CTX_CREATE=ENOSPC \
		run --separate-stderr "$VCTX" create true
	assert_failure 1
	assert_stderr 'vctx: no free context id'
}

@test "Try to create a context and run a program that does not exist" {
	run -127 --separate-stderr "$VCTX" create -- no-such-program-here
	assert_failure 127
	assert_stderr 'vctx: failed to execute no-such-program-here: No such file or directory'
}

@test "Try to create a context and run a file that is not executable" {
	: >"$BATS_TEST_TMPDIR/not-executable"
	run -126 --separate-stderr "$VCTX" create "$BATS_TEST_TMPDIR/not-executable"
	assert_failure 126
	assert_stderr "vctx: failed to execute $BATS_TEST_TMPDIR/not-executable: Permission denied"
}

@test "vctx enter moves into a context by name and runs the command" {
	run --separate-stderr "$VCTX" enter web -- echo inside
	assert_success
	assert_output 'inside'
	assert_calls 'get_vhi_name 2 field=0' 'get_vhi_name 5 field=0' \
		'ctx_migrate 2 flagword=0x0'
}

@test "vctx enter 1 makes the command a spectator" {
	run --separate-stderr "$VCTX" enter 1 true
	assert_success
	assert_calls 'ctx_migrate 1 flagword=0x0'
}

@test "Try to enter a context that does not exist" {
	run --separate-stderr "$VCTX" enter 42 true
	assert_failure 1
	assert_stderr 'vctx: no context 42'
}

@test "Try to enter a private context" {
	FAKE_VSERVER_ERRNO_CTX_MIGRATE=EACCES \
		run --separate-stderr "$VCTX" enter 2 true
	assert_failure 1
	assert_stderr 'vctx: context 2 is private'
}

@test "Try to enter a context without privilege" {
	FAKE_VSERVER_ERRNO_CTX_MIGRATE=EPERM \
		run --separate-stderr "$VCTX" enter 2 true
	assert_failure 1
	assert_stderr 'vctx: permission denied: enter context 2'
}

@test "Try to enter a context and run a program that does not exist" {
	run -127 --separate-stderr "$VCTX" enter 2 no-such-program-here
	assert_failure 127
	assert_stderr 'vctx: failed to execute no-such-program-here: No such file or directory'
}

@test "vctx kill sends TERM to every process of a context by default" {
	run --separate-stderr "$VCTX" kill web
	assert_success
	assert_output ''
	assert_calls 'get_vhi_name 2 field=0' 'get_vhi_name 5 field=0' \
		'ctx_kill 2 pid=0 sig=15'
}

@test "vctx kill takes signals by number and by name, and a pid" {
	run --separate-stderr "$VCTX" kill 2 -s 9 -p -1
	assert_success
	run --separate-stderr "$VCTX" kill 2 --signal SIGHUP --pid 1
	assert_success
	run --separate-stderr "$VCTX" kill -s usr1 2 -p 77
	assert_success
	assert_calls 'ctx_kill 2 pid=-1 sig=9' 'ctx_kill 2 pid=1 sig=1' \
		'ctx_kill 2 pid=77 sig=10'
}

@test "Try to signal a context that does not exist" {
	run --separate-stderr "$VCTX" kill 42
	assert_failure 1
	assert_stderr 'vctx: no context 42'
	run --separate-stderr "$VCTX" kill 42 -p 7
	assert_failure 1
	assert_stderr 'vctx: no context 42'
}

@test "Try to signal a process that is not in the context" {
	FAKE_VSERVER_ERRNO_CTX_KILL=ESRCH run --separate-stderr "$VCTX" kill 2 -p 7
	assert_failure 1
	assert_stderr 'vctx: no process 7 in context 2'
	FAKE_VSERVER_ERRNO_CTX_KILL=ESRCH run --separate-stderr "$VCTX" kill 5 -p 1
	assert_failure 1
	assert_stderr 'vctx: context 5 has no init'
	FAKE_VSERVER_ERRNO_CTX_KILL=ESRCH run --separate-stderr "$VCTX" kill 2 -p -1
	assert_failure 1
	assert_stderr 'vctx: no process but init in context 2'
}

@test "Try to signal a context without permission" {
	FAKE_VSERVER_ERRNO_CTX_KILL=EPERM run --separate-stderr "$VCTX" kill 2
	assert_failure 1
	assert_stderr 'vctx: permission denied: signal context 2'
}

@test "vctx wait returns once the context is gone" {
	run --separate-stderr "$VCTX" wait web
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
}

@test "Try to wait for a context that does not exist" {
	run --separate-stderr "$VCTX" wait 42
	assert_failure 1
	assert_stderr 'vctx: no context 42'
}

@test "Try to wait for a context longer than the timeout" {
	FAKE_VSERVER_WAIT=block run --separate-stderr "$VCTX" wait 2 --timeout 1
	assert_failure 2
	assert_output ''
	assert_stderr 'vctx: timed out waiting for context 2'
}

@test "Try to use the context commands on a kernel without vserver support" {
	unset FAKE_VSERVER_VERSION
	local args
	for args in list 'info 2' 'info web' 'flags 2' 'kill 2' 'wait 2' \
		    whoami ps 'create true' 'enter 2 true' 'caps 2' \
		    'caps 2 --bcaps ~chown' 'uname 2' 'uname 2 --set nodename=x' \
		    'create --secure true'; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VCTX" $args
		assert_failure 1
		assert_output ''
		assert_stderr "$ENOSYS_MESSAGE"
	done
}

@test "Try to use the context commands on a kernel with vserver built in but not enabled" {
	fake_disabled_vserver
	local args
	for args in list 'info 2' 'info web' 'flags 2' 'flags 2 --set private' \
		    'kill 2' 'wait 2' whoami ps 'ps 2' 'create true' \
		    'enter 2 true' 'caps 2' 'caps 2 --bcaps ~chown' 'uname 2' \
		    'uname 2 --set nodename=x' 'create --secure true' \
		    'create --limit nproc=5 true'; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VCTX" $args
		assert_failure 1
		assert_output ''
		assert_stderr "$DISABLED_MESSAGE"
	done
}

@test "A command the kernel lacks is not taken for vserver not being enabled" {
	FAKE_VSERVER_ERRNO_VX_INFO=EOPNOTSUPP run --separate-stderr "$VCTX" info 2
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: cannot read context 2: this kernel does not support it'
}
