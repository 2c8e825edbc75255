#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Guests on the patched kernel: three busybox guests built and started
# with vserver, what each of them can see and do, how they stop, and the
# odd cases: a second start, a stop of a stopped guest, an init that
# exits at once or ignores SIGTERM, a broken configuration.  web has two
# addresses of its own (a network context); the others share the host's
# network.
#
# Every test costs seconds under emulation before it runs a command, so
# the tests are few, and each checks one behaviour from several sides.

load helpers

# The guests, their context ids and host names
GUESTS=(web db mail)
declare -gA XID=([web]=5001 [db]=5002 [mail]=5003)
declare -gA HOST=([web]=www1 [db]=db1 [mail]=mail1)

# web's addresses, and the host's address on the dummy device they are
# proxied on (the host needs an IPv4 address to talk to the guest from)
WEB_IPS=(10.78.0.2 10.78.0.12)
HOST_IP=10.78.1.1

CONF=/etc/vservers
ROOTS=/vservers
MARKER=/root/vserver-host-marker

setup_file() {
	require_vserver
	local g
	grep -v " $ROOTS/" /proc/mounts >"$BATS_FILE_TMPDIR/mounts.before"
	echo host >"$MARKER"
	ip link show dummy0 >/dev/null 2>&1 || ip link add dummy0 type dummy
	ip addr add "$HOST_IP/24" dev dummy0
	ip link set dummy0 up
	"$VSERVER" web build -m busybox --context "${XID[web]}" \
		--hostname "${HOST[web]}" --ip "${WEB_IPS[0]}/24" \
		--ip "${WEB_IPS[1]}/24" --dev dummy0
	for g in db mail; do
		"$VSERVER" "$g" build -m busybox --context "${XID[$g]}" \
			--hostname "${HOST[$g]}"
	done
	# web: at most 10 tasks; mail: no chown, 32 MiB of memory
	echo 10 >"$CONF/web/rlimits/nproc"
	echo '~chown' >>"$CONF/mail/bcapabilities"
	echo 32M >"$CONF/mail/rlimits/memory"
	for g in "${GUESTS[@]}"; do
		"$VSERVER" "$g" start
	done
}

teardown_file() {
	local g
	for g in "${GUESTS[@]}"; do
		"$VSERVER" "$g" stop --timeout 1 >/dev/null 2>&1
		"$VSERVER" "$g" delete >/dev/null 2>&1
	done
	rm -f "$MARKER"
	ip addr del "$HOST_IP/24" dev dummy0 2>/dev/null
	return 0
}

setup() {
	require_vserver
}

# initpid GUEST: the pid of the guest's init, as the host sees it
initpid() {
	"$VSERVER" "$1" status --json | jq -r .initpid
}

# gone GUEST: the context of GUEST ends within 5 seconds
gone() {
	local i
	for i in $(seq 50); do
		[ -e "/proc/virtual/${XID[$1]}" ] || return 0
		sleep 0.1
	done
	fail "the context of $1 is still there"
}

@test "Three busybox guests run, each in a context of its own with its own host name" {
	local g before
	before=$(hostname)
	for g in "${GUESTS[@]}"; do
		run "$VSERVER" "$g" exec sh -c 'grep VxID /proc/self/status; hostname'
		assert_success
		assert_output "$(printf 'VxID:\t%s\n%s' "${XID[$g]}" "${HOST[$g]}")"
	done
	assert_equal "$(hostname)" "$before"
	run "$VSERVER" list --json
	run jq -c '[.guests[] | [.name, .xid, .state]]' <<<"$output"
	assert_output '[["db",5002,"running"],["mail",5003,"running"],["web",5001,"running"]]'
	run "$VSERVER" web status --json
	run jq -c '[.state, .hostname, .tasks, .uptime >= 0, .limits]' <<<"$output"
	assert_output '["running","www1",2,true,[{"resource":"nproc","soft":10,"hard":10,"current":2}]]'
	# enter: a shell in the guest's root, with the guest's PATH
	run "$VSERVER" db enter <<<'hostname; pwd; echo $PATH'
	assert_success
	assert_output "$(printf 'db1\n/\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')"
}

@test "vserver enter runs root's login shell of the guest's /etc/passwd, or /bin/sh" {
	local root=$ROOTS/db passwd
	passwd=$(cat "$root/etc/passwd")
	printf '#!/bin/sh\necho login-shell\nexec /bin/sh "$@"\n' > "$root/bin/rootsh"
	chmod 755 "$root/bin/rootsh"
	sed -i 's|^root:\(.*\):/bin/sh$|root:\1:/bin/rootsh|' "$root/etc/passwd"
	grep -q '^root:.*:/bin/rootsh$' "$root/etc/passwd"
	run "$VSERVER" db enter <<<'echo in-guest'
	assert_success
	assert_output "$(printf 'login-shell\nin-guest')"
	# A shell that is not there: /bin/sh
	sed -i 's|/bin/rootsh$|/bin/no-such-shell|' "$root/etc/passwd"
	run "$VSERVER" db enter <<<'echo in-guest'
	assert_success
	assert_output in-guest
	# A hostile guest's passwd that never ends, or is no file: /bin/sh
	rm "$root/etc/passwd"
	ln -s /dev/zero "$root/etc/passwd"
	run timeout 60 "$VSERVER" db enter <<<'echo in-guest'
	assert_success
	assert_output in-guest
	rm "$root/etc/passwd"
	mkfifo "$root/etc/passwd"
	run timeout 60 "$VSERVER" db enter <<<'echo in-guest'
	assert_success
	assert_output in-guest
	rm "$root/etc/passwd"
	printf '%s\n' "$passwd" > "$root/etc/passwd"
	rm "$root/bin/rootsh"
}

@test "Each guest sees only its own processes" {
	local g other pids
	declare -A init
	for g in "${GUESTS[@]}"; do
		init[$g]=$(initpid "$g")
	done
	for g in "${GUESTS[@]}"; do
		pids=$("$VSERVER" "$g" exec sh -c 'ls /proc | grep -E "^[0-9]+$"')
		grep -qx "${init[$g]}" <<<"$pids" ||
			fail "$g does not see its own init"
		for other in "${GUESTS[@]}"; do
			[ "$other" = "$g" ] && continue
			! grep -qx "${init[$other]}" <<<"$pids" ||
				fail "$g sees the init of $other"
		done
		# Nor the host's init, nor this test
		! grep -qx 1 <<<"$pids" || fail "$g sees process 1"
		! grep -qx "$$" <<<"$pids" || fail "$g sees the test"
	done
}

@test "A guest's limits and capability ceiling apply to everything it runs" {
	# web: at most 10 tasks, db: no limit
	run "$VSERVER" web exec sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait'
	assert_output --partial "can't fork"
	run "$VLIMIT" --json "${XID[web]}"
	run jq -c '.limits[] | select(.resource == "nproc") | [.hard, .max, .hits > 0]' <<<"$output"
	assert_output '[10,10,true]'
	run "$VSERVER" db exec sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait'
	assert_success
	assert_output ''
	# mail: the safe set without chown
	run "$VSERVER" mail exec grep CapBnd /proc/self/status
	assert_output "$(printf 'CapBnd:\t00000000b40404fa')"
	run "$VSERVER" mail exec chown nobody /tmp
	assert_failure
	assert_output --partial 'Operation not permitted'
	run "$VSERVER" web exec chown nobody /tmp
	assert_success
	# No guest has CAP_SYS_ADMIN: no mount, no host name of its own
	run "$VSERVER" web exec mount -t tmpfs none /tmp
	assert_failure
	assert_output --partial 'permission denied'
	run "$VSERVER" web exec hostname other
	assert_failure
	assert_output --partial 'Operation not permitted'
	# mail: its memory cgroup, which what runs in it joins
	local cg=/sys/fs/cgroup/vserver/${XID[mail]}
	assert_equal "$(cat "$cg/memory.max")" 33554432
	grep -qx "$(initpid mail)" "$cg/cgroup.procs"
	run "$VSERVER" mail exec cat /proc/self/cgroup
	assert_output "0::/vserver/${XID[mail]}"
	[ ! -e "/sys/fs/cgroup/vserver/${XID[web]}" ]
}

@test "Nothing of the host is within a guest's reach: no file, no descriptor, no way up" {
	# The init has /dev/null as 0, and as 1 and 2 one pipe, whose other
	# end only the guest's supervisor holds, and only its script besides
	local pid
	pid=$(initpid web)
	assert_equal "$(stat -L -c %t:%T "/proc/$pid/fd/0")" 1:3
	assert_equal "$(stat -L -c %F "/proc/$pid/fd/1")" fifo
	assert_equal "$(readlink "/proc/$pid/fd/1")" "$(readlink "/proc/$pid/fd/2")"
	run sh -c "ls /proc/$pid/fd | sort -n | tr '\n' ' '"
	assert_output '0 1 2 10 '
	# A command run in a guest gets no descriptor of the host but 0, 1, 2
	# (ls's complaint about its own directory descriptor, gone when it
	# looks at it under load, is not what is tested)
	run bash -c 'exec 7</ 8>/dev/null; "$1" db exec sh -c "ls /proc/\$\$/fd 2>/dev/null | tr \"\\n\" \" \"; ls /proc/\$\$/fd/7/ 2>&1"' sh "$VSERVER"
	assert_line --index 0 --regexp '^0 1 2 '
	refute_output --partial ' 7 '
	refute_output --partial 'vserver-host-marker'
	# .. of the root is the root
	local root
	root=$("$VSERVER" db exec ls /)
	run "$VSERVER" db exec sh -c 'cd /; cd ..; cd ../..; ls'
	assert_output "$root"
	run "$VSERVER" db exec ls /../../..
	assert_output "$root"
	run "$VSERVER" db exec cat ../../../root/vserver-host-marker
	assert_failure
}

@test "Try to escape a guest's root with chroot and a directory outside it" {
	# nsenter -r chroots into x and -w puts the shell back into /tmp,
	# outside its new root, through a descriptor opened before: the
	# classic way out of a chroot, which leads nowhere in a guest
	run "$VSERVER" db exec sh -c '
		mkdir -p /tmp/x/bin && cp /bin/busybox /tmp/x/bin/sh &&
		cd /tmp && nsenter -r/tmp/x -w/tmp /bin/sh -c "
			ls -a ../../../../../.. | tr \"\\n\" \" \"; echo
			test -e ../../../../../root/vserver-host-marker && echo ESCAPED
			test -e ../../../../../opt/vserver/tests && echo ESCAPED
			test -e ../../../../../usr/sbin/vctx && echo ESCAPED
			true"'
	assert_success
	refute_output --partial ESCAPED
	refute_output --partial 'vservers'
}

@test "Try to run commands in a guest that fail, are missing or cannot be run" {
	run "$VSERVER" web exec sh -c 'exit 7'
	assert_failure 7
	run -127 "$VSERVER" web exec vctx version
	assert_output 'vserver: failed to execute vctx: No such file or directory'
	run -126 "$VSERVER" web exec /etc/passwd
	assert_output 'vserver: failed to execute /etc/passwd: Permission denied'
	run "$VSERVER" web exec
	assert_failure 1
	assert_line --index 0 'vserver: no command specified'
}

# answer ADDRESS PORT: what a server at ADDRESS:PORT says, polled for a
# few seconds while it starts; fails if nothing answers
answer() {
	local i out
	for i in $(seq 50); do
		out=$(nc -w 1 "$1" "$2" </dev/null 2>/dev/null) && [ -n "$out" ] &&
			{ echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}

@test "A guest with two addresses serves on both of them and nowhere else, and sees only them" {
	local a
	run "$VSERVER" list --json
	run jq -c '[.guests[] | [.name, .nid, .addresses]]' <<<"$output"
	assert_output '[["db",null,[]],["mail",null,[]],["web",5001,["10.78.0.2/24","10.78.0.12/24"]]]'
	# A server on every address of the guest, port 8080
	"$VSERVER" web exec sh -c \
		'nc -ll -p 8080 -e hostname </dev/null >/dev/null 2>&1 &'
	for a in "${WEB_IPS[@]}"; do
		run answer "$a" 8080
		assert_success
		assert_output www1
	done
	# ... but not on the host's addresses, which the host keeps
	run nc -w 1 127.0.0.1 8080 </dev/null
	assert_failure
	run nc -w 1 "$HOST_IP" 8080 </dev/null
	assert_failure
	# The guest sees its own interfaces and addresses, no host device
	run "$VSERVER" web exec sh -c \
		'ip -o -4 addr | awk "{print \$2, \$4}"; grep -c dummy /proc/net/dev'
	assert_output "$(printf 'lo 127.0.0.1/8\neth0 10.78.0.2/24\neth0 10.78.0.12/24\n0')"
	# Its own listener is the only one in its /proc/net/tcp (port 8080)
	run "$VSERVER" web exec sh -c 'awk "NR > 1 && \$4 == \"0A\" {print \$2}" /proc/net/tcp'
	assert_output '00000000:1F90'
	# Its 127.0.0.1 is its own: a host service there is out of reach
	nc -ll -p 8081 -e echo host </dev/null >/dev/null 2>&1 &
	local server=$!
	run answer 127.0.0.1 8081
	assert_output host
	run "$VSERVER" web exec sh -c 'nc -w 1 127.0.0.1 8081 </dev/null'
	kill "$server"
	assert_failure
	refute_output host
	# A guest without addresses of its own shares the host's network
	run "$VSERVER" db exec cat /proc/self/status
	assert_line "$(printf 'NxID:\t0')"
	run "$VSERVER" web exec cat /proc/self/status
	assert_line "$(printf 'NxID:\t%s' "${XID[web]}")"
}

@test "Stopping the guests ends their contexts and leaves no mount, cgroup or run directory behind" {
	local g
	for g in "${GUESTS[@]}"; do
		run "$VSERVER" "$g" stop
		assert_success
		assert_output ''
		[ ! -e "/proc/virtual/${XID[$g]}" ] || fail "context of $g left"
		[ ! -e "/run/vservers/$g" ] || fail "run directory of $g left"
	done
	run grep -v " $ROOTS/" /proc/mounts
	assert_output "$(cat "$BATS_FILE_TMPDIR/mounts.before")"
	run grep -c " $ROOTS/" /proc/mounts
	assert_output 0
	[ ! -e "/sys/fs/cgroup/vserver/${XID[mail]}" ]
	# web's link and network context are gone with it
	run ip link show vsn5001
	assert_failure
	local i
	for i in $(seq 50); do
		[ -e /proc/virtnet/5001 ] || break
		sleep 0.1
	done
	[ ! -e /proc/virtnet/5001 ] || fail "network context of web left"
	run "$VSERVER" list --json
	run jq -c '[.guests[].state] | unique' <<<"$output"
	assert_output '["stopped"]'
}

@test "Try to start a running guest, or to stop or enter a stopped one" {
	run "$VSERVER" web stop
	assert_failure 4
	assert_output "vserver: guest 'web' is not running"
	run "$VSERVER" web exec true
	assert_failure 4
	run "$VSERVER" web enter </dev/null
	assert_failure 4
	run "$VSERVER" web start
	assert_success
	local tasks
	tasks=$(grep Tasks "/proc/virtual/${XID[web]}/status")
	run "$VSERVER" web start
	assert_failure 3
	assert_output "vserver: guest 'web' is already running (context ${XID[web]})"
	assert_equal "$(grep Tasks "/proc/virtual/${XID[web]}/status")" "$tasks"
	run "$VSERVER" web stop
	assert_success
	run "$VSERVER" web stop
	assert_failure 4
}

@test "A stopped guest starts again, with its hooks around the start and the stop, and stops through its own stop command" {
	local s=$CONF/db/scripts log=$BATS_TEST_TMPDIR/hooks h
	for h in pre-start post-start pre-stop post-stop; do
		printf '#!/bin/sh\necho "$1 $2 $VSERVER_XID $VSERVER_VDIR $(vctx list --noheadings | grep -c " db ")" >>%s\n' \
			"$log" >"$s/$h"
		chmod +x "$s/$h"
	done
	printf '%s\n' /bin/sh -c 'echo stopped >/root/stop-ran; killall vserver-init' \
		>"$CONF/db/apps/init/cmd.stop"
	run "$VSERVER" db start
	assert_success
	run "$VSERVER" db exec hostname
	assert_output db1
	run "$VSERVER" db stop --timeout 5
	rm "$s"/* "$CONF/db/apps/init/cmd.stop"
	assert_success
	assert_output ''
	gone db
	assert_equal "$(cat "$ROOTS/db/root/stop-ran")" stopped
	# The context exists between the start's hooks and the stop's
	assert_equal "$(cat "$log")" "$(printf '%s\n' \
		"pre-start db 5002 $ROOTS/db 0" "post-start db 5002 $ROOTS/db 1" \
		"pre-stop db 5002 $ROOTS/db 1" "post-stop db 5002 $ROOTS/db 0")"
}

@test "A guest whose init exits at once ends by itself and leaves nothing" {
	echo /bin/true >"$CONF/web/apps/init/cmd.start"
	run "$VSERVER" web start
	echo /sbin/vserver-init >"$CONF/web/apps/init/cmd.start"
	assert_success
	gone web
	run "$VSERVER" web status --json
	run jq -r .state <<<"$output"
	assert_output stopped
	run "$VSERVER" web stop
	assert_failure 4
	[ ! -e /run/vservers/web ]
	run grep -c " $ROOTS/" /proc/mounts
	assert_output 0
}

@test "A hung guest whose init ignores SIGTERM is killed by the stop sequence" {
	printf '%s\n' /bin/sh -c "trap '' TERM; while :; do sleep 1; done" \
		>"$CONF/web/apps/init/cmd.start"
	run "$VSERVER" web start
	echo /sbin/vserver-init >"$CONF/web/apps/init/cmd.start"
	assert_success
	"$VSERVER" web exec sh -c 'sleep 1000 & exit 0' >/dev/null 2>&1 3>&-
	run "$VSERVER" web stop --timeout 1
	assert_success
	assert_output ''
	[ ! -e "/proc/virtual/${XID[web]}" ]
	run grep -c " $ROOTS/" /proc/mounts
	assert_output 0
}

@test "Try to start a guest whose init does not exist, or whose configuration is broken" {
	echo /sbin/no-such-init >"$CONF/mail/apps/init/cmd.start"
	run -127 "$VSERVER" mail start
	echo /sbin/vserver-init >"$CONF/mail/apps/init/cmd.start"
	assert_output "vserver: failed to execute /sbin/no-such-init in guest 'mail': No such file or directory"
	[ ! -e "/proc/virtual/${XID[mail]}" ]
	[ ! -e "/sys/fs/cgroup/vserver/${XID[mail]}" ]
	[ ! -e /run/vservers/mail ]
	echo CAP_FOO >>"$CONF/db/bcapabilities"
	run "$VSERVER" db start
	sed -i '/CAP_FOO/d' "$CONF/db/bcapabilities"
	assert_failure 1
	assert_output "vserver: $CONF/db/bcapabilities: unknown capability 'CAP_FOO'"
	echo lots >"$CONF/db/rlimits/nofile"
	run "$VSERVER" db start
	rm "$CONF/db/rlimits/nofile"
	assert_failure 1
	assert_output "vserver: $CONF/db/rlimits/nofile: invalid limit 'lots'"
	[ ! -e "/proc/virtual/${XID[db]}" ]
}

@test "A deleted guest leaves nothing on the host" {
	run "$VSERVER" db delete
	assert_success
	assert_output ''
	[ ! -e "$CONF/db" ] && [ ! -e "$ROOTS/db" ]
	run "$VSERVER" db status
	assert_failure 1
	assert_output "vserver: no guest named 'db' in $CONF"
}
