#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The configuration of a guest, file by file: each broken value is
# refused by "vserver NAME start" with a message that names the file and
# the reason, before the kernel is asked anything, before the pre-start
# hook runs and before anything is made.  The fake vserver shim logs the
# calls that reach the "kernel", so that "none" can be checked.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

# Guest web (context 42, a skeleton root) with a pre-start hook that
# leaves a mark, on a faked kernel with no context
setup() {
	require_vserver_tool
	use_guest_dirs
	G=$CONF/web
	run "$VSERVER" web build -m skeleton --context 42
	assert_success
	printf '#!/bin/sh\ntouch "%s/hook-ran"\n' "$BATS_TEST_TMPDIR" >"$G/scripts/pre-start"
	chmod +x "$G/scripts/pre-start"
	use_fake_vserver
	fake_contexts
}

# put FILE TEXT: write TEXT (printf format) into FILE of the configuration
put() {
	mkdir -p "$(dirname "$G/$1")"
	rm -rf "${G:?}/$1"
	# shellcheck disable=SC2059
	printf "$2" >"$G/$1"
}

# refused FILE REASON: start fails naming FILE with REASON, and nothing
# happened: no call to the kernel, no hook, no run directory
refused() {
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: $G/$1: $2"
	assert_calls
	[[ ! -e "$BATS_TEST_TMPDIR/hook-ran" ]] || fail 'the pre-start hook ran'
	[[ ! -e "$VSERVER_RUNDIR/web" ]] || fail 'a run directory was made'
}

@test "The configuration that build writes is valid" {
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line 'state:     stopped'
	assert_calls 'vx_info 42'
}

@test "Try to start a guest with a bad context id" {
	put context 'abc\n'
	refused context "invalid context id 'abc'"
	put context '1\n'
	refused context "context id '1' is out of range (2 to 65535)"
	put context '65536\n'
	refused context "context id '65536' is out of range (2 to 65535)"
	put context ' 42\n'
	refused context "invalid context id ' 42'"
	put context '42\n43\n'
	refused context 'more than one line'
	put context ''
	refused context "invalid context id ''"
	rm "$G/context"
	refused context 'missing (the context id of the guest)'
	mkdir "$G/context"
	refused context 'not a regular file'
}

@test "Try to start a guest with a bad context name" {
	put name '42web\n'
	refused name "invalid context name '42web'"
	local long
	long=$(printf 'n%.0s' {1..65})
	put name "$long\n"
	refused name "context name '$long' is longer than 64 characters"
}

@test "Try to start a guest with a bad host name or name field" {
	put uts/nodename '\n'
	refused uts/nodename 'empty'
	local long
	long=$(printf 'h%.0s' {1..65})
	put uts/nodename "$long"
	refused uts/nodename 'longer than 64 bytes'
	put uts/nodename 'web\n'
	put uts/hostname 'web\n'
	refused uts/hostname 'unknown field (sysname, nodename, release, version, machine or domainname)'
}

@test "Try to start a guest with an unknown capability" {
	put bcapabilities 'CAP_FOO\n'
	refused bcapabilities "unknown capability 'CAP_FOO'"
	put bcapabilities '# comment\nnet_raw\n~sys_chroot,~nope\n'
	refused bcapabilities "unknown capability '~nope'"
}

@test "Try to start a guest with an unknown or unsupported ccap" {
	put ccapabilities 'foo\n'
	refused ccapabilities "unknown ccap 'foo'"
	put ccapabilities 'utsname\nsecure_mount\n'
	refused ccapabilities "ccap 'secure_mount' is not supported by this kernel"
}

@test "Try to start a guest with an unknown flag, or one vserver sets itself" {
	put cflags 'private,xyz\n'
	refused cflags "unknown flag 'xyz'"
	put cflags 'setup\n'
	refused cflags "flag 'setup' is managed by vserver"
	put cflags '~state_init\n'
	refused cflags "flag '~state_init' is managed by vserver"
}

@test "Try to start a guest with an unknown resource" {
	put rlimits/nprocs '10\n'
	refused rlimits/nprocs "unknown resource 'nprocs'"
	rm "$G/rlimits/nprocs"
	put rlimits/nproc.min '10\n'
	refused rlimits/nproc.min "unknown resource 'nproc.min'"
}

@test "Try to start a guest with a bad limit" {
	put rlimits/nproc 'many\n'
	refused rlimits/nproc "invalid limit 'many'"
	put rlimits/nproc '10 \n'
	refused rlimits/nproc "invalid limit '10 '"
	rm "$G/rlimits/nproc"
	put rlimits/memory '16E\n'
	refused rlimits/memory "limit '16E' is out of range"
	rm "$G/rlimits/memory"
	put rlimits/nofile.soft '200\n'
	put rlimits/nofile.hard '100\n'
	refused rlimits/nofile.soft 'soft limit 200 above hard limit 100'
}

@test "Try to start a guest without its root directory" {
	rm "$G/vdir"
	refused vdir 'missing (a symbolic link to the root directory of the guest)'
	ln -s "$BATS_TEST_TMPDIR/gone" "$G/vdir"
	refused vdir "root directory $BATS_TEST_TMPDIR/gone does not exist"
	ln -sfn vservers/web "$G/vdir"
	refused vdir "points to 'vservers/web', not to an absolute path"
	ln -sfn / "$G/vdir"
	refused vdir 'the root directory of a guest cannot be /'
	rm "$G/vdir"
	mkdir "$G/vdir"
	refused vdir 'not a symbolic link'
}

@test "Try to start a guest whose root was removed" {
	rm -r "$ROOTS/web"
	refused vdir "root directory $ROOTS/web does not exist"
}

@test "Try to start a guest with an empty init command" {
	put apps/init/cmd.start '\n'
	refused apps/init/cmd.start 'empty (one argument per line)'
	put apps/init/cmd.start '/bin/sh\n\n-c\n'
	refused apps/init/cmd.start 'line 2 is empty (one argument per line)'
	put apps/init/cmd.start '/sbin/init\n'
	put apps/init/cmd.stop '\n'
	refused apps/init/cmd.stop 'empty (one argument per line)'
}

@test "Try to start a guest with a hook that cannot run or has an unknown name" {
	chmod -x "$G/scripts/pre-start"
	refused scripts/pre-start 'not executable'
	chmod +x "$G/scripts/pre-start"
	put scripts/prestart '#!/bin/sh\n'
	chmod +x "$G/scripts/prestart"
	refused scripts/prestart 'unknown hook (pre-start, post-start, pre-stop or post-stop)'
	rm "$G/scripts/prestart"
	mkdir "$G/scripts/post-stop"
	refused scripts/post-stop 'not a regular file'
}

@test "Try to start a guest with a file vserver does not know" {
	put apps/init/cmd.reload '/bin/true\n'
	refused apps/init/cmd.reload 'unknown configuration file'
	rm "$G/apps/init/cmd.reload"
	put nonsense 'x\n'
	refused nonsense 'unknown configuration file'
}

@test "Try to start a guest with files of util-vserver that vserver does not read: each says what instead" {
	put fstab 'none /tmp tmpfs\n'
	refused fstab "util-vserver's fstab is not supported: mount in a pre-start hook (scripts/pre-start)"
	rm "$G/fstab"
	put flags 'virt_uptime\n'
	refused flags "util-vserver's flags is not supported: it is the old name of cflags: rename it"
	rm "$G/flags"
	put nice '5\n'
	refused nice "util-vserver's nice is not supported: run the init under nice(1) in apps/init/cmd.start"
	rm "$G/nice"
	mkdir -p "$G/dlimits/root"
	refused dlimits "util-vserver's dlimits is not supported: disk limits are not implemented"
	rm -r "$G/dlimits"
	put apps/init/mark 'default\n'
	refused apps/init/mark "util-vserver's mark is not supported: start the guest from the host's init system"
	rm "$G/apps/init/mark"
	put apps/init/style 'sysv\n'
	refused apps/init/style "util-vserver's style is not supported: apps/init/cmd.start names the init to run"
	rm "$G/apps/init/style"
	mkdir -p "$G/apps/vshelper"
	refused apps/vshelper "util-vserver's vshelper is not supported: vserver supervises its guests itself: a reboot or halt inside is handled"
}

@test "The status of a guest with a stray file works, with a warning on stderr" {
	put fstab 'none /tmp tmpfs\n'
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line 'state:     stopped'
	assert_stderr "vserver: warning: $G/fstab: util-vserver's fstab is not supported: mount in a pre-start hook (scripts/pre-start)"
	fake_contexts "42:web:1:41:0"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	[[ "$output" == *'"state":"running"'* ]] || fail "not running: $output"
	assert_stderr "vserver: warning: $G/fstab: util-vserver's fstab is not supported: mount in a pre-start hook (scripts/pre-start)"
}

@test "Backups and hidden files in the configuration are ignored" {
	put context~ 'junk'
	put .context.swp 'junk'
	put rlimits/nproc~ 'junk'
	run --separate-stderr "$VSERVER" web status
	assert_success
}

@test "The whole configuration is checked: the last file read counts too" {
	# Every file but the last one read is fine
	put name 'www\n'
	put uts/nodename 'www1\n'
	put bcapabilities 'net_raw\n'
	put ccapabilities 'utsname\n'
	put cflags 'virt_uptime\n'
	put rlimits/nproc '100\n'
	put apps/init/cmd.stop '/bin/halt\n'
	put unknown-file 'x\n'
	refused unknown-file 'unknown configuration file'
}

@test "Try to show the status of a guest with a broken configuration" {
	put bcapabilities 'CAP_FOO\n'
	run --separate-stderr "$VSERVER" web status
	assert_failure 1
	assert_stderr "vserver: $G/bcapabilities: unknown capability 'CAP_FOO'"
	assert_calls
}

@test "A running guest with a broken capability list can still be stopped" {
	put bcapabilities 'CAP_FOO\n'
	fake_contexts "42:web:1:41:0"
	run --separate-stderr "$VSERVER" web stop
	assert_success
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'ctx_kill 42 pid=1 sig=15' 'wait_exit 42'
}

@test "Try to stop a guest whose stop command is broken" {
	put apps/init/cmd.stop ''
	fake_contexts "42:web:1:41:0"
	run --separate-stderr "$VSERVER" web stop
	assert_failure 1
	assert_stderr "vserver: $G/apps/init/cmd.stop: empty (one argument per line)"
	assert_calls
}
