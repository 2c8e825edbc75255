#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# trinity, the system call fuzzer, for 50 seconds as the user nobody
# inside a context with the safe capability ceiling (vctx create
# --secure) and resource limits, while canaries run on the host and in a
# second context.  A canary is a shell that writes a count to a file of
# its own every half second, and first checks that the file still holds
# the count it wrote last and that it is still in its context, as root.
# Afterwards: the kernel logged no splat and is not tainted, the canaries
# are alive, their counts went on all along and their files are
# untouched, and trinity's context is killed and gone from memory.
#
# No system call is excluded: as an unprivileged user, within its limits
# and its memory cgroup, nothing trinity may call should reach beyond its
# context.  The files it works on are a few of its own (-V) instead of
# those of /dev, /proc and /sys, whose scan takes most of the time under
# emulation; and it makes no sockets in advance (--disable-fds=sockets):
# trinity 2023.01's main process crashes while it builds that cache here.
# Its children still call socket() and the rest of the network calls.

load helpers

TRINITY=${TRINITY:-/usr/bin/trinity}

# trinity's context and the second canary's
FUZZ_XID=3701
CANARY_XID=3702

# How long trinity runs, start-up included
FUZZ_SECONDS=${FUZZ_SECONDS:-50}

# The canary: CANARY FILE XID.  It exits with a message in FILE.err when
# something is wrong, and runs until killed otherwise.  It uses shell
# builtins only, so that it keeps its pace however busy the machine is
# with forks: it sleeps by waiting for a line from a FIFO nobody writes.
CANARY='
f=$1 xid=$2 n=0 last=
mkfifo "$f.fifo" && exec 7<> "$f.fifo" || exit 1
while :; do
	if [ -n "$last" ]; then
		read -r value < "$f"
		if [ "$value" != "$last" ]; then
			echo "count $last became $value" > "$f.err"
			exit 1
		fi
	fi
	vxid=
	while read -r key value; do
		[ "$key" = VxID: ] && vxid=$value
	done < /proc/$BASHPID/status
	if [ "$vxid" != "$xid" ]; then
		echo "in context $vxid, not $xid" > "$f.err"
		exit 1
	fi
	if [ "$EUID" != 0 ] || [ "$UID" != 0 ]; then
		echo "uid $UID, euid $EUID" > "$f.err"
		exit 1
	fi
	n=$((n + 1))
	echo "$n" > "$f" && last=$n
	read -r -t 0.5 -u 7
done'

setup() {
	require_vserver
	[ -x "$TRINITY" ] || skip "trinity is not installed at $TRINITY"
	grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
		fail "the memory controller is not in /sys/fs/cgroup/cgroup.controllers"
	for x in $FUZZ_XID $CANARY_XID; do
		[ ! -e "/proc/virtual/$x" ] || fail "context $x exists before the test"
	done
	total_before=$(context_counter '#CTotal:')
	active_before=$(context_counter '#CActive:')
	taint_before=$(cat /proc/sys/kernel/tainted)
	# The canaries' files: out of reach of nobody
	canaries=$(mktemp -d /root/canaries.XXXXXX)
	# trinity's working directory, where it writes its logs and test files
	scratch=$(mktemp -d /tmp/trinity.XXXXXX)
	mkdir "$scratch/victims" "$scratch/victims/dir"
	for i in 1 2 3 4 5 6 7 8; do
		echo "victim $i" > "$scratch/victims/file$i"
	done
	mkfifo "$scratch/victims/fifo"
	ln -s file1 "$scratch/victims/link"
	chown -R nobody:nogroup "$scratch"
	out=$BATS_TEST_TMPDIR/trinity.out
	host_canary= ctx_canary= fuzz_pid=
}

teardown() {
	local x i
	for x in $FUZZ_XID $CANARY_XID; do
		for ((i = 0; i < 100; i++)); do
			"$VCTX" flags --set ~persistent $x 2>/dev/null
			"$VCTX" kill -s KILL $x 2>/dev/null
			[ -e /proc/virtual/$x ] || break
			sleep 0.1
		done
	done
	[ -z "$host_canary" ] || kill -KILL "$host_canary" 2>/dev/null
	rm -rf "$scratch" "$canaries"
	return 0
}

# count NAME: the count in the canary file NAME (which is empty for a
# moment while the canary writes it)
count() {
	local n= i=0
	while [ -z "$n" ] && [ $((i++)) -lt 10 ]; do
		read -r n < "$canaries/$1" || sleep 0.05
	done
	echo "${n:-0}"
}

# What process PID and its children are doing, for a message
tree_state() {
	local p
	for p in $1 $(grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null |
		      cut -d/ -f3); do
		echo "$p $(grep -h '^State:' /proc/$p/status 2>/dev/null)" \
			"wchan=$(cat /proc/$p/wchan 2>/dev/null)" \
			"$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-60)"
		sed 's/^/    /' /proc/$p/stack 2>/dev/null | head -8
	done
}

# The canary NAME with pid PID is alive and well, and its count has gone
# up since the last call, or goes up within a minute: a canary starved
# for a while on a slow machine is not stuck.
declare -gA last_count
assert_canary() {
	local name=$1 pid=$2 n
	[ ! -e "$canaries/$name.err" ] || fail "canary $name: $(cat "$canaries/$name.err")"
	kill -0 "$pid" 2>/dev/null || fail "canary $name (pid $pid) is dead"
	poll 600 counted_on "$name" || true
	n=$(count "$name")
	[ "$n" -gt "${last_count[$name]:-0}" ] ||
		fail "canary $name stopped counting at $n ($((SECONDS - start)) s into the run; the host canary is at $(count host)): $(tree_state "$pid")"
	last_count[$name]=$n
}

# The canary NAME counted on since the last assert_canary.
counted_on() {
	[ "$(count "$1")" -gt "${last_count[$1]:-0}" ]
}

# The pids of the processes of the user nobody that have not exited
nobody_pids() {
	local s key value state uid
	for s in /proc/[0-9]*/status; do
		state= uid=
		while read -r key value _; do
			case $key in
			State:) state=$value ;;
			Uid:) uid=$value ;;
			esac
		done 2>/dev/null < "$s"
		if [ "$uid" = 65534 ] && [ "$state" != Z ]; then
			s=${s#/proc/}
			echo "${s%/status}"
		fi
	done
}

@test "trinity fuzzes as nobody in a secure context, and the host and another context carry on" {
	local mark start ran splats stat_before stat_after

	# The canaries, counting before trinity starts
	bash -c "$CANARY" canary "$canaries/host" 0 < /dev/null > /dev/null 2>&1 3>&- &
	host_canary=$!
	"$VCTX" create --xid $CANARY_XID --persistent -- bash -c "$CANARY" canary \
		"$canaries/ctx" $CANARY_XID < /dev/null > /dev/null 2>&1 3>&- &
	ctx_canary=$!
	poll 100 test -s "$canaries/host" || fail "the host canary never counted"
	poll 100 test -s "$canaries/ctx" || fail "the canary of context $CANARY_XID never counted"
	stat_before=$(stat -c '%i %u %g %a' "$canaries/host" "$canaries/ctx")

	mark=$(kmsg_mark)
	start=$SECONDS
	# The file size limit keeps trinity from filling the tmpfs, which is
	# RAM; nobody cannot raise its hard limit.
	"$VCTX" create --xid $FUZZ_XID --persistent --secure \
		--limit nproc=256,nofile=4096,nsock=1024,memory=384M -- \
		sh -c 'ulimit -f 65536 && exec su -s /bin/sh nobody -c "$1"' sh \
		"cd $scratch && exec timeout -s INT -k 10 $FUZZ_SECONDS $TRINITY -q -C 2 -V $scratch/victims --disable-fds=sockets" \
		< /dev/null > "$out" 2>&1 3>&- &
	fuzz_pid=$!

	# Every 10 seconds of the run, the canaries are alive and counting.
	while kill -0 "$fuzz_pid" 2>/dev/null; do
		[ $((SECONDS - start)) -lt $((FUZZ_SECONDS + 60)) ] ||
			fail "trinity still runs $((SECONDS - start)) s after its start"
		sleep 10
		assert_canary host "$host_canary"
		assert_canary ctx "$ctx_canary"
	done
	wait "$fuzz_pid" || true
	ran=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' "$out" | tail -1)
	echo "# trinity ran ${ran:-no} system calls in $((SECONDS - start)) s: $(grep -o 'Ran .*' "$out" | tail -1)" >&3
	[ "${ran:-0}" -gt 0 ] ||
		fail "trinity ran no system call: $(grep -v futex "$out" | tail -15 | sed "s/WARNING/warning/g; s/BUG/bug/g")"
	! grep -qE 'became tainted|Detected kernel tainting' "$out" ||
		fail "trinity saw the kernel tainted: $(grep -i taint "$out")"

	# Its context is killed: nothing of it is left, in the table of
	# contexts or in memory.
	run --separate-stderr "$VCTX" kill -s KILL $FUZZ_XID
	run --separate-stderr "$VCTX" flags --set ~persistent $FUZZ_XID
	assert_success
	poll 300 no_context $FUZZ_XID ||
		fail "context $FUZZ_XID is left: $("$VCTX" info $FUZZ_XID) $("$VCTX" ps $FUZZ_XID)"
	[ -z "$(nobody_pids)" ] || fail "processes of nobody are left: $(nobody_pids)"

	# The canaries are still alive and counting, their files untouched.
	assert_canary host "$host_canary"
	assert_canary ctx "$ctx_canary"
	stat_after=$(stat -c '%i %u %g %a' "$canaries/host" "$canaries/ctx")
	assert_equal "$stat_after" "$stat_before"
	echo "# canaries counted to $(count host) (host) and $(count ctx) (context $CANARY_XID)" >&3

	# The canary's context ends with it, and no context object is left.
	kill -KILL "$host_canary"
	run --separate-stderr "$VCTX" flags --set ~persistent $CANARY_XID
	assert_success
	run --separate-stderr "$VCTX" kill -s KILL $CANARY_XID
	assert_success
	poll 100 no_context $CANARY_XID || fail "context $CANARY_XID did not end"
	poll 300 contexts_freed ||
		fail "context objects in memory: $(cat /proc/virtual/status), before: $total_before/$active_before"

	splats=$(kernel_splats_since "$mark")
	[ -z "$splats" ] || fail "the kernel log has a splat: $splats"
	assert_equal "$(cat /proc/sys/kernel/tainted)" "$taint_before"
}
