#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The command line of vserver, the guest manager: its help texts, every
# usage error, building guests into the test's own directories, listing
# them and showing their status, deleting them, and the commands on a
# guest that is not running.  Where the kernel is asked, fake-vserver.c
# answers, so that the states and the calls can be checked on the host.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vserver_tool
	use_guest_dirs
}

teardown() {
	# A mount a test made inside a root
	if [[ -n "${mounted:-}" ]]; then
		umount "$mounted" 2>/dev/null
	fi
	return 0
}

# assert_usage_error CMD MESSAGE: the last run failed with MESSAGE and
# the "Try 'CMD --help'" line, and printed nothing on stdout
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: $2" "Try '$1 --help' for more information."
}

# A kernel with no context but those given (see fake_contexts), and a log
# of the calls
fake_kernel() {
	use_fake_vserver
	fake_contexts "$@"
}

@test "vserver --help prints the synopsis, the commands, the exit statuses and the environment" {
	run --separate-stderr "$VSERVER" --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vserver [options] <name> <command> [<args>]'
	assert_line --index 2 ' vserver [options] list [<args>]'
	assert_line 'Commands:'
	assert_line ' build    make a new guest: its configuration and its root directory'
	assert_line ' start    start the guest'"'"'s init in a new context'
	assert_line ' stop     stop the guest and every process in it'
	assert_line ' enter    run a shell inside the guest'
	assert_line ' exec     run a command inside the guest'
	assert_line ' status   show whether the guest is running, and its context'
	assert_line ' delete   remove a stopped guest: its configuration and its root'
	assert_line ' list     list the guests and their states'
	assert_line ' -h, --help     display this help'
	assert_line ' -V, --version  display version'
	assert_line 'Exit status:'
	assert_line '   0  success'
	assert_line '   1  failure, bad usage or a broken configuration'
	assert_line '   2  the guest did not stop in time, even after SIGKILL'
	assert_line '   3  the guest is running (start, delete, build --force)'
	assert_line '   4  the guest is not running (stop, enter, exec)'
	assert_line ' 126  the command or the init could not be run'
	assert_line ' 127  the command or the init was not found'
	assert_line ' VSERVER_CONFDIR  the configurations (default: /etc/vservers)'
	assert_line ' VSERVER_ROOTDIR  the root directories (default: /vservers)'
	assert_line ' VSERVER_RUNDIR   the state of running guests (default: /run/vservers)'
	assert_line --index -1 'For more details see vserver(8).'
	assert_equal "$stderr" ''
}

@test "vserver --version names the package" {
	run --separate-stderr "$VSERVER" --version
	assert_success
	assert_output 'vserver from vserver-utils 0.1'
	run --separate-stderr "$VSERVER" -V
	assert_output 'vserver from vserver-utils 0.1'
}

@test "Every command has --help, with its usage and the man page" {
	local cmd
	for cmd in build start stop enter exec status delete; do
		run --separate-stderr "$VSERVER" web "$cmd" --help
		assert_success
		assert_line --index 0 'Usage:'
		assert_line --index 1 --regexp "^ vserver <name> $cmd "
		assert_line --regexp '^ -h, --help +display this help$'
		assert_line --index -1 'For more details see vserver(8).'
		assert_equal "$stderr" ''
	done
	run --separate-stderr "$VSERVER" list --help
	assert_success
	assert_line --index 1 ' vserver list [options]'
	assert_line ' -J, --json         print one JSON object on one line'
	assert_line ' -n, --noheadings   don'"'"'t print headings'
}

@test "The help of a command can be asked for without a guest" {
	run --separate-stderr "$VSERVER" build --help
	assert_success
	assert_line --index 1 ' vserver <name> build -m <method> [options]'
	assert_line ' -m, --method <method>   how to fill the root: busybox, skeleton or'
	assert_line ' -c, --context <xid>     the context id (default: the lowest free one'
	assert_line ' -f, --force             replace a stopped guest of that name'
	assert_line ' busybox      a small working system from a static busybox'
	run --separate-stderr "$VSERVER" stop -h
	assert_success
	assert_line ' -t, --timeout <seconds>  how long to wait at each step (default: 10)'
}

@test "Try to run vserver without a guest or a command" {
	run --separate-stderr "$VSERVER"
	assert_usage_error vserver 'no guest specified'
	run --separate-stderr "$VSERVER" web
	assert_usage_error vserver "no command specified for guest 'web'"
}

@test "Try to give a command before the guest" {
	run --separate-stderr "$VSERVER" start web
	assert_usage_error vserver "no guest specified before 'start'"
}

@test "Try to run an unknown command or option" {
	run --separate-stderr "$VSERVER" web frobnicate
	assert_usage_error vserver "unknown command 'frobnicate'"
	run --separate-stderr "$VSERVER" web list
	assert_usage_error vserver 'list takes no guest name'
	run --separate-stderr "$VSERVER" --frobnicate
	assert_usage_error vserver "unrecognized option '--frobnicate'"
	run --separate-stderr "$VSERVER" web status --frobnicate
	assert_usage_error 'vserver web status' "unrecognized option '--frobnicate'"
	run --separate-stderr "$VSERVER" web start now
	assert_usage_error 'vserver web start' "unexpected argument 'now'"
	run --separate-stderr "$VSERVER" list --noheading=yes
	assert_usage_error 'vserver list' "option '--noheading' doesn't allow an argument"
}

@test "Try to build without a method, or with an unknown one" {
	run --separate-stderr "$VSERVER" web build
	assert_usage_error 'vserver web build' 'no method specified (-m busybox, skeleton or debootstrap)'
	run --separate-stderr "$VSERVER" web build -m lxc
	assert_usage_error 'vserver web build' "unknown method 'lxc' (busybox, skeleton or debootstrap)"
	run --separate-stderr "$VSERVER" web build -m busybox --suite bookworm
	assert_usage_error 'vserver web build' '--suite is only for -m debootstrap'
	run --separate-stderr "$VSERVER" web build --method
	assert_usage_error 'vserver web build' "option '--method' requires an argument"
	[[ ! -e "$CONF" && ! -e "$ROOTS" ]]
}

@test "Try to build with a bad context id or host name" {
	run --separate-stderr "$VSERVER" web build -m skeleton --context 1
	assert_usage_error 'vserver web build' "invalid context id '1'"
	run --separate-stderr "$VSERVER" web build -m skeleton -c 65536
	assert_usage_error 'vserver web build' "invalid context id '65536'"
	run --separate-stderr "$VSERVER" web build -m skeleton -c web
	assert_usage_error 'vserver web build' "invalid context id 'web'"
	local long
	long=$(printf 'h%.0s' {1..65})
	run --separate-stderr "$VSERVER" web build -m skeleton --hostname "$long"
	assert_usage_error 'vserver web build' "hostname '$long' is longer than 64 bytes"
	run --separate-stderr "$VSERVER" web build -m skeleton --hostname ''
	assert_usage_error 'vserver web build' "invalid host name ''"
	[[ ! -e "$CONF" && ! -e "$ROOTS" ]]
}

@test "Try to build guests whose names cannot name a guest" {
	run --separate-stderr "$VSERVER" 1web build -m skeleton
	assert_usage_error 'vserver 1web build' "invalid guest name '1web': it must start with a letter"
	run --separate-stderr "$VSERVER" ../web build -m skeleton
	assert_usage_error 'vserver ../web build' "invalid guest name '../web': it must start with a letter"
	run --separate-stderr "$VSERVER" we/b build -m skeleton
	assert_usage_error 'vserver we/b build' "invalid guest name 'we/b': only letters, digits, '.', '_' and '-' are allowed"
	[[ ! -e "$CONF" && ! -e "$ROOTS" ]]
}

@test "Try to use relative directories for the guests" {
	VSERVER_CONFDIR=etc run --separate-stderr "$VSERVER" web build -m skeleton
	assert_failure 1
	assert_stderr "vserver: VSERVER_CONFDIR must be an absolute path, not 'etc'"
	VSERVER_RUNDIR=run run --separate-stderr "$VSERVER" list
	assert_failure 1
	assert_stderr "vserver: VSERVER_RUNDIR must be an absolute path, not 'run'"
}

@test "vserver build -m skeleton makes the configuration and the directories" {
	run --separate-stderr "$VSERVER" web build -m skeleton --context 42 --hostname www1
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_equal "$(cat "$CONF/web/context")" 42
	assert_equal "$(cat "$CONF/web/name")" web
	assert_equal "$(cat "$CONF/web/uts/nodename")" www1
	assert_equal "$(cat "$CONF/web/apps/init/cmd.start")" /sbin/init
	assert_equal "$(readlink "$CONF/web/vdir")" "$ROOTS/web"
	[[ -d "$CONF/web/rlimits" && -d "$CONF/web/scripts" ]]
	# The list files hold only comments
	run grep -hv '^#' "$CONF/web/bcapabilities" "$CONF/web/ccapabilities" "$CONF/web/cflags"
	assert_output ''
	[[ ! -e "$CONF/web/apps/init/cmd.stop" ]]
	local d
	for d in bin dev etc home proc root run sbin tmp usr/bin usr/sbin var/log var/tmp; do
		[[ -d "$ROOTS/web/$d" ]] || fail "no $d in the root"
	done
	assert_equal "$(stat -c %a "$ROOTS/web/tmp")" 1777
	assert_equal "$(stat -c %a "$ROOTS/web/root")" 700
	assert_equal "$(stat -c %a "$ROOTS")" 700
	[[ -z "$(find "$ROOTS/web" -type f)" ]]
}

@test "vserver build -m busybox makes a small system with a static busybox" {
	require_static_busybox
	run --separate-stderr "$VSERVER" web build -m busybox
	assert_success
	assert_equal "$stderr" ''
	local r="$ROOTS/web"
	[[ -x "$r/bin/busybox" ]]
	cmp "${VSERVER_BUSYBOX:-/usr/bin/busybox}" "$r/bin/busybox"
	assert_equal "$(readlink "$r/bin/sh")" /bin/busybox
	assert_equal "$(readlink "$r/bin/ls")" /bin/busybox
	# busybox's own init is not linked: the guest has its own
	[[ ! -e "$r/sbin/init" && ! -L "$r/sbin/init" ]]
	[[ -x "$r/sbin/vserver-init" ]]
	assert_equal "$(head -1 "$r/sbin/vserver-init")" '#!/bin/sh'
	assert_equal "$(cat "$CONF/web/apps/init/cmd.start")" /sbin/vserver-init
	assert_equal "$(cat "$r/etc/hostname")" web
	assert_equal "$(head -1 "$r/etc/passwd")" 'root:x:0:0:root:/root:/bin/sh'
	assert_equal "$(head -1 "$r/etc/group")" 'root:x:0:'
	# Every link stays inside the root
	run find "$r" -type l -lname '../*'
	assert_output ''
}

@test "The init of a busybox guest ends on SIGTERM, and sends nothing outside a context" {
	require_static_busybox
	[[ $EUID -eq 0 ]] || skip 'a PID namespace needs root'
	command -v unshare >/dev/null || skip 'no unshare(1)'
	unshare --pid --fork --mount-proc true 2>/dev/null ||
		skip 'cannot make a PID namespace here'
	run "$VSERVER" web build -m busybox
	assert_success
	# In a PID namespace of its own, where kill -1 would reach only the
	# sleeper, should the init send it outside a context
	run unshare --pid --fork --mount-proc /usr/bin/busybox sh -c '
		sleep 1000 &
		sleeper=$!
		sh "$1" &
		init=$!
		sleep 0.5
		kill -TERM $init
		wait $init
		echo "init exited $?"
		kill -0 $sleeper && echo "the sleeper lives"
		kill $sleeper' sh "$ROOTS/web/sbin/vserver-init"
	assert_success
	assert_output "$(printf 'init exited 0\nthe sleeper lives')"
}

@test "vserver build gives each guest the lowest free context id from 100 up" {
	run "$VSERVER" a build -m skeleton
	assert_success
	run "$VSERVER" b build -m skeleton --context 101
	assert_success
	run "$VSERVER" c build -m skeleton
	assert_success
	assert_equal "$(cat "$CONF/a/context")" 100
	assert_equal "$(cat "$CONF/c/context")" 102
}

@test "Try to build a guest with the context id of another guest" {
	run "$VSERVER" db build -m skeleton --context 42
	assert_success
	run --separate-stderr "$VSERVER" web build -m skeleton --context 42
	assert_failure 1
	assert_stderr "vserver: context 42 is already used by guest 'db'"
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}

@test "Try to build over an existing guest or root directory" {
	run "$VSERVER" web build -m skeleton --context 42
	assert_success
	run --separate-stderr "$VSERVER" web build -m skeleton
	assert_failure 1
	assert_stderr "vserver: guest 'web' already exists in $CONF"
	assert_equal "$(cat "$CONF/web/context")" 42
	mkdir -p "$ROOTS/db"
	run --separate-stderr "$VSERVER" db build -m skeleton
	assert_failure 1
	assert_stderr "vserver: root directory $ROOTS/db already exists"
	[[ ! -e "$CONF/db" ]]
}

@test "vserver build --force replaces a stopped guest" {
	run "$VSERVER" web build -m skeleton --context 42
	assert_success
	touch "$ROOTS/web/etc/old"
	run --separate-stderr "$VSERVER" web build -m skeleton --context 43 --force
	assert_success
	assert_equal "$(cat "$CONF/web/context")" 43
	[[ ! -e "$ROOTS/web/etc/old" ]]
}

@test "Try to build --force over a running guest" {
	run "$VSERVER" web build -m skeleton --context 42
	assert_success
	fake_kernel "42:web:2:41:0"
	run --separate-stderr "$VSERVER" web build -m skeleton --force
	assert_failure 3
	assert_stderr "vserver: guest 'web' is running (context 42): stop it first"
	assert_equal "$(cat "$CONF/web/context")" 42
}

@test "Try to build with debootstrap where it is not installed" {
	run --separate-stderr env PATH=/nonexistent "$VSERVER" web build -m debootstrap
	assert_failure 1
	assert_stderr 'vserver: debootstrap is not installed: install the debootstrap package, or build with -m busybox'
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}

# fake_debootstrap STATUS: a debootstrap in $PATH that logs its arguments
# to $BATS_TEST_TMPDIR/debootstrap.log, makes a small tree in its target,
# and exits with STATUS
fake_debootstrap() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/debootstrap" <<-END
		#!/bin/sh
		echo "\$@" >"$BATS_TEST_TMPDIR/debootstrap.log"
		mkdir -p "\$3/etc" "\$3/sbin" "\$3/bin"
		echo debian >"\$3/etc/hostname"
		[ $1 = 0 ] || echo "E: Failed getting release file" >&2
		exit $1
	END
	chmod +x "$BATS_TEST_TMPDIR/bin/debootstrap"
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

@test "vserver build -m debootstrap runs debootstrap with the suite and the mirror" {
	fake_debootstrap 0
	run --separate-stderr "$VSERVER" web build -m debootstrap --suite trixie \
		--mirror http://mirror.example/debian --hostname www1
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(cat "$BATS_TEST_TMPDIR/debootstrap.log")" \
		"--variant=minbase trixie $ROOTS/web http://mirror.example/debian"
	assert_equal "$(cat "$ROOTS/web/etc/hostname")" www1
	[[ -x "$ROOTS/web/sbin/vserver-init" ]]
	assert_equal "$(cat "$CONF/web/apps/init/cmd.start")" /sbin/vserver-init
	run "$VSERVER" db build -m debootstrap
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/debootstrap.log")" \
		"--variant=minbase bookworm $ROOTS/db http://deb.debian.org/debian"
}

@test "Try to build with debootstrap when the mirror cannot be reached" {
	fake_debootstrap 1
	run --separate-stderr "$VSERVER" web build -m debootstrap
	assert_failure 1
	assert_stderr 'E: Failed getting release file' \
		"vserver: debootstrap exited with status 1: see its messages above (is http://deb.debian.org/debian reachable, and is 'bookworm' a suite it has?)" \
		"vserver: guest 'web' was not built"
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}

@test "Try to build from a busybox that is missing or not static" {
	VSERVER_BUSYBOX=/nonexistent/busybox run --separate-stderr "$VSERVER" web build -m busybox
	assert_failure 1
	assert_stderr 'vserver: /nonexistent/busybox is missing: install busybox-static, or set VSERVER_BUSYBOX'
	local dynamic
	dynamic=$(command -v bash)
	VSERVER_BUSYBOX="$dynamic" run --separate-stderr "$VSERVER" web build -m busybox
	assert_failure 1
	assert_stderr "vserver: $dynamic is dynamically linked: a guest needs a static busybox (busybox-static)"
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}

@test "A failed build leaves nothing behind" {
	# A static program that is not busybox: it has no list of applets
	[[ -x /usr/bin/bash-static ]] || skip 'no /usr/bin/bash-static'
	VSERVER_BUSYBOX=/usr/bin/bash-static run --separate-stderr "$VSERVER" web build -m busybox
	assert_failure 1
	assert_equal "${stderr_lines[-2]}" 'vserver: /usr/bin/bash-static --list-full exited with status 2'
	assert_equal "${stderr_lines[-1]}" "vserver: guest 'web' was not built"
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
	# A root that cannot be made: the directory of roots is a file
	: >"$BATS_TEST_TMPDIR/file"
	VSERVER_ROOTDIR="$BATS_TEST_TMPDIR/file" run --separate-stderr "$VSERVER" web build -m skeleton
	assert_failure 1
	assert_stderr "vserver: cannot create $BATS_TEST_TMPDIR/file/web: Not a directory"
	[[ ! -e "$CONF/web" ]]
}

@test "Try to build from a file that is not a program" {
	printf '#!/bin/sh\necho bin/sh\n' >"$BATS_TEST_TMPDIR/busybox"
	chmod +x "$BATS_TEST_TMPDIR/busybox"
	VSERVER_BUSYBOX="$BATS_TEST_TMPDIR/busybox" run --separate-stderr "$VSERVER" web build -m busybox
	assert_failure 1
	assert_stderr "vserver: $BATS_TEST_TMPDIR/busybox is not an executable this tool understands (ELF)"
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}

@test "vserver list shows nothing without guests" {
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output 'NAME   XID STATE   TASKS ADDRESSES'
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[]}'
}

@test "vserver list shows stopped guests, in name order" {
	run "$VSERVER" web build -m skeleton --context 42
	run "$VSERVER" db build -m skeleton --context 1234
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(cat <<-'END'
		NAME   XID STATE   TASKS ADDRESSES
		db    1234 stopped     - -
		web     42 stopped     - -
		END
	)"
	run --separate-stderr "$VSERVER" list --json --noheadings
	assert_success
	assert_output '{"guests":[{"name":"db","xid":1234,"state":"stopped","tasks":null,"nid":null,"addresses":[]},{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":null,"addresses":[]}]}'
	run --separate-stderr "$VSERVER" list -n
	assert_equal "${#lines[@]}" 2
}

@test "vserver list shows a running guest with its tasks, and a broken one as invalid" {
	run "$VSERVER" web build -m skeleton --context 42
	run "$VSERVER" db build -m skeleton --context 43
	run "$VSERVER" mail build -m skeleton --context 44
	echo 'forty-four' >"$CONF/mail/context"
	# Not a guest: a file, and a name no guest can have
	: >"$CONF/README"
	mkdir "$CONF/lost+found"
	fake_kernel "42:web:3:41:0" "43:other:1:50:0"
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(cat <<-'END'
		NAME   XID STATE   TASKS ADDRESSES
		db      43 stopped     - -
		mail     - invalid     - -
		web     42 running     3 -
		END
	)"
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"db","xid":43,"state":"stopped","tasks":null,"nid":null,"addresses":[]},{"name":"mail","xid":null,"state":"invalid","tasks":null,"nid":null,"addresses":null,"error":"'"$CONF"'/mail/context: invalid context id '"'forty-four'"'"},{"name":"web","xid":42,"state":"running","tasks":3,"nid":null,"addresses":[]}]}'
	if command -v jq >/dev/null; then
		run jq -e '.guests | length == 3' <<<"$output"
		assert_success
	fi
}

@test "vserver status shows a stopped guest" {
	run "$VSERVER" web build -m skeleton --context 42 --hostname www1
	mkdir -p "$CONF/web/rlimits"
	echo 100 >"$CONF/web/rlimits/nproc"
	echo 64M >"$CONF/web/rlimits/memory.hard"
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_output "$(cat <<-END
		name:      web
		state:     stopped
		xid:       42
		root:      $ROOTS/web
		hostname:  www1
		limit:     nproc=100:100
		limit:     memory=67108864:67108864
		END
	)"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output '{"name":"web","state":"stopped","xid":42,"nid":null,"root":"'"$ROOTS"'/web","hostname":"www1","initpid":null,"tasks":null,"uptime":null,"limits":[{"resource":"nproc","soft":100,"hard":100,"current":null},{"resource":"memory","soft":67108864,"hard":67108864,"current":null}],"addresses":[]}'
}

@test "vserver status shows a running guest as the kernel has it" {
	run "$VSERVER" web build -m skeleton --context 42
	mkdir -p "$CONF/web/rlimits"
	echo 100 >"$CONF/web/rlimits/nproc"
	fake_kernel "42:web:3:41:0"
	export FAKE_VSERVER_UTS_NODENAME=www7
	export FAKE_VSERVER_RLIMIT_MASK=0x3910c0
	export FAKE_VSERVER_RLIMITS="$BATS_TEST_TMPDIR/rlimits"
	echo '42 6 50 100 7 1 9 0' >"$FAKE_VSERVER_RLIMITS"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output '{"name":"web","state":"running","xid":42,"nid":null,"root":"'"$ROOTS"'/web","hostname":"www7","initpid":41,"tasks":3,"uptime":null,"limits":[{"resource":"nproc","soft":50,"hard":100,"current":7}],"addresses":[]}'
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line 'state:     running'
	assert_line 'initpid:   41'
	assert_line 'tasks:     3'
	assert_line 'limit:     nproc=50:100 (current 7)'
}

@test "A context with the guest's id but another name is not the guest" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:db:3:41:0"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output --partial '"state":"stopped"'
	run --separate-stderr "$VSERVER" web stop
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running (context 42 is another context, 'db')"
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "vserver: context 42 of guest 'web' is taken by another context ('db')"
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42'
}

@test "Try to show a guest that does not exist" {
	run --separate-stderr "$VSERVER" web status
	assert_failure 1
	assert_stderr "vserver: no guest named 'web' in $CONF"
}

@test "Try to stop, enter or run a command in a stopped guest" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel
	run --separate-stderr "$VSERVER" web stop
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running"
	run --separate-stderr "$VSERVER" web exec true
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running"
	run --separate-stderr "$VSERVER" web enter
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running"
	# Nothing was signalled
	run grep -c ctx_kill "$FAKE_VSERVER_LOG"
	assert_output 0
}

@test "Try to run exec without a command, or stop with a bad timeout" {
	run --separate-stderr "$VSERVER" web exec
	assert_usage_error 'vserver web exec' 'no command specified'
	run --separate-stderr "$VSERVER" web exec --
	assert_usage_error 'vserver web exec' 'no command specified'
	run --separate-stderr "$VSERVER" web stop --timeout 0
	assert_usage_error 'vserver web stop' "invalid timeout '0' (1 to 86400 seconds)"
	run --separate-stderr "$VSERVER" web stop -t 5s
	assert_usage_error 'vserver web stop' "invalid timeout '5s' (1 to 86400 seconds)"
}

@test "vserver stop signals the init, waits for the context and runs the hooks" {
	run "$VSERVER" web build -m skeleton --context 42
	local s="$CONF/web/scripts" log="$BATS_TEST_TMPDIR/hooks"
	printf '#!/bin/sh\necho "$1 $2 $VSERVER_NAME $VSERVER_XID $VSERVER_VDIR" >>%s\n' "$log" >"$s/pre-stop"
	cp "$s/pre-stop" "$s/post-stop"
	chmod +x "$s/pre-stop" "$s/post-stop"
	fake_kernel "42:web:2:41:0"
	fake_cgroup
	mkdir -p "$VSERVER_CGROUP_ROOT/vserver/42" "$VSERVER_RUNDIR/web"
	run --separate-stderr "$VSERVER" web stop --timeout 1
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'ctx_kill 42 pid=1 sig=15' 'wait_exit 42'
	local root
	root=$(realpath "$ROOTS/web")
	assert_equal "$(cat "$log")" "$(printf 'pre-stop web web 42 %s\npost-stop web web 42 %s' "$root" "$root")"
	# Nothing is left: the cgroup and the run directory are gone
	[[ ! -e "$VSERVER_CGROUP_ROOT/vserver/42" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "vserver stop clears the persistent flag, so that the context ends" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:web:2:41:0x4000000000"
	run --separate-stderr "$VSERVER" web stop
	assert_success
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'set_cflags 42 flagword=0x0 mask=0x4000000000' \
		'ctx_kill 42 pid=1 sig=15' 'wait_exit 42'
}

@test "vserver stop signals every process when the guest has no init" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:web:2:0:0"
	FAKE_VSERVER_ERRNO_CTX_KILL=ESRCH run --separate-stderr "$VSERVER" web stop
	assert_success
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'ctx_kill 42 pid=1 sig=15' \
		'ctx_kill 42 pid=0 sig=15' 'wait_exit 42'
}

@test "Try to stop a guest whose context does not end, even after SIGKILL" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:web:2:41:0"
	FAKE_VSERVER_WAIT=block run --separate-stderr "$VSERVER" web stop --timeout 1
	assert_failure 2
	assert_stderr "vserver: guest 'web' did not stop: context 42 still has 2 tasks after SIGKILL"
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'ctx_kill 42 pid=1 sig=15' 'wait_exit 42' \
		'ctx_kill 42 pid=0 sig=15' 'wait_exit 42' \
		'ctx_kill 42 pid=0 sig=9' 'wait_exit 42' 'ctx_stat 42'
}

@test "A failing pre-stop hook is reported, and the guest stops anyway" {
	run "$VSERVER" web build -m skeleton --context 42
	printf '#!/bin/sh\nexit 3\n' >"$CONF/web/scripts/pre-stop"
	chmod +x "$CONF/web/scripts/pre-stop"
	fake_kernel "42:web:2:41:0"
	run --separate-stderr "$VSERVER" web stop
	assert_failure 1
	assert_stderr "vserver: $CONF/web/scripts/pre-stop: exited with status 3"
	run grep -c 'ctx_kill 42 pid=1 sig=15' "$FAKE_VSERVER_LOG"
	assert_output 1
}

@test "Try to start a guest that is already running" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:web:2:41:0"
	run --separate-stderr "$VSERVER" web start
	assert_failure 3
	assert_stderr "vserver: guest 'web' is already running (context 42)"
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42'
}

@test "Try to start a guest on a kernel without vserver support" {
	run "$VSERVER" web build -m skeleton --context 42
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$CONF/web/scripts/pre-start"
	chmod +x "$CONF/web/scripts/pre-start"
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "${ENOSYS_MESSAGE/vctx:/vserver:}"
	[[ ! -e "$BATS_TEST_TMPDIR/ran" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "Try to start a guest on a kernel with vserver built in but not enabled" {
	run "$VSERVER" web build -m skeleton --context 42
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$CONF/web/scripts/pre-start"
	chmod +x "$CONF/web/scripts/pre-start"
	fake_kernel "42:web:3:41:0"
	fake_disabled_vserver
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_output ''
	assert_stderr "${DISABLED_MESSAGE/vctx:/vserver:}"
	[[ ! -e "$BATS_TEST_TMPDIR/ran" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "A kernel with vserver built in but not enabled runs no guest" {
	fake_kernel "42:web:3:41:0"
	fake_disabled_vserver
	run --separate-stderr "$VSERVER" web build -m skeleton
	assert_success
	assert_equal "$(cat "$CONF/web/context")" 100
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(printf 'NAME   XID STATE   TASKS ADDRESSES\nweb    100 stopped     - -')"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output --partial '"state":"stopped"'
	run --separate-stderr "$VSERVER" web stop
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running"
	run --separate-stderr "$VSERVER" web delete
	assert_success
	[[ ! -e "$CONF/web" ]]
}

@test "Try to start a guest whose pre-start hook fails" {
	run "$VSERVER" web build -m skeleton --context 42
	printf '#!/bin/sh\nexit 3\n' >"$CONF/web/scripts/pre-start"
	chmod +x "$CONF/web/scripts/pre-start"
	fake_kernel
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "vserver: $CONF/web/scripts/pre-start: exited with status 3" \
		"vserver: guest 'web' not started: its pre-start hook failed"
	assert_calls 'vx_info 42'
	[[ ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "Try to start a guest with a limit the kernel does not have" {
	run "$VSERVER" web build -m skeleton --context 42
	echo 10 >"$CONF/web/rlimits/nsock"
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$CONF/web/scripts/pre-start"
	chmod +x "$CONF/web/scripts/pre-start"
	fake_kernel
	export FAKE_VSERVER_RLIMIT_MASK=0x40	# nproc only
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr 'vserver: nsock: not supported by this kernel'
	assert_calls 'vx_info 42' 'get_rlimit_mask 0'
	[[ ! -e "$BATS_TEST_TMPDIR/ran" ]]
}

@test "vserver delete removes the configuration and the root" {
	run "$VSERVER" web build -m skeleton --context 42
	run "$VSERVER" db build -m skeleton --context 43
	mkdir -p "$VSERVER_RUNDIR/web"
	run --separate-stderr "$VSERVER" web delete
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" && ! -e "$VSERVER_RUNDIR/web" ]]
	[[ -d "$CONF/db" && -d "$ROOTS/db" ]]
}

@test "vserver delete does not follow links out of the root" {
	run "$VSERVER" web build -m skeleton --context 42
	local outside="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$outside/dir"
	echo keep >"$outside/file"
	echo keep >"$outside/dir/file"
	ln -s "$outside" "$ROOTS/web/etc/to-outside"
	ln -s "$outside/file" "$ROOTS/web/etc/file-link"
	ln -s ../../../outside "$ROOTS/web/relative"
	ln "$outside/file" "$ROOTS/web/hardlink"
	run --separate-stderr "$VSERVER" web delete
	assert_success
	[[ ! -e "$ROOTS/web" ]]
	assert_equal "$(cat "$outside/file")" keep
	assert_equal "$(cat "$outside/dir/file")" keep
}

@test "vserver delete leaves a root elsewhere in place" {
	run "$VSERVER" web build -m skeleton --context 42
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -sfn "$BATS_TEST_TMPDIR/elsewhere" "$CONF/web/vdir"
	run --separate-stderr "$VSERVER" web delete
	assert_success
	assert_stderr "vserver: $CONF/web/vdir points to $BATS_TEST_TMPDIR/elsewhere, which is not $ROOTS/web: left in place"
	[[ -d "$BATS_TEST_TMPDIR/elsewhere" && ! -e "$ROOTS/web" && ! -e "$CONF/web" ]]
}

@test "Try to delete a guest with a mount inside its root" {
	run "$VSERVER" web build -m skeleton --context 42
	mkdir "$ROOTS/web/mnt"
	if ! mount -t tmpfs tmpfs "$ROOTS/web/mnt" 2>/dev/null; then
		skip 'cannot mount a tmpfs here (not root?)'
	fi
	mounted="$ROOTS/web/mnt"
	echo keep >"$ROOTS/web/mnt/file"
	run --separate-stderr "$VSERVER" web delete
	assert_failure 1
	assert_stderr "vserver: cannot remove $ROOTS/web/mnt: it is a mount point"
	# Nothing was removed: the search for mounts came first
	[[ -d "$ROOTS/web/bin" && -d "$ROOTS/web/etc" ]]
	assert_equal "$(cat "$ROOTS/web/mnt/file")" keep
	# The configuration stays for another try
	[[ -d "$CONF/web" ]]
}

@test "Try to delete a running guest" {
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel "42:web:2:41:0"
	run --separate-stderr "$VSERVER" web delete
	assert_failure 3
	assert_stderr "vserver: guest 'web' is running (context 42): stop it first"
	[[ -d "$CONF/web" && -d "$ROOTS/web" ]]
}

@test "Try to delete a guest that does not exist" {
	run --separate-stderr "$VSERVER" web delete
	assert_failure 1
	assert_stderr "vserver: no guest named 'web' in $CONF"
}

@test "A guest with a broken context id can still be deleted" {
	run "$VSERVER" web build -m skeleton --context 42
	echo junk >"$CONF/web/context"
	run --separate-stderr "$VSERVER" web delete
	assert_success
	[[ ! -e "$CONF/web" && ! -e "$ROOTS/web" ]]
}
