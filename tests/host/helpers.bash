# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared setup of the host tests: bats libraries and the vctx under test.
#
#   VCTX=/path/to/vctx  binary to test
#                       (default: build/user/bin/vctx at the top of the tree)
#   VLIMIT=/path/to/vlimit
#                       (default: vlimit next to $VCTX, so that the sanitizer
#                       build is tested with the sanitizer build)

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
VCTX="${VCTX:-$BATS_TEST_DIRNAME/../../build/user/bin/vctx}"
VLIMIT="${VLIMIT:-$(dirname "$VCTX")/vlimit}"

# Flags and limit masks as the faked kernel takes them
ALL_LIMITS=0x3910c0		# ids 6, 7, 12, 16, 19, 20, 21
PERSISTENT=0x4000000000		# VXF_PERSISTENT
SETUP=0x700000000		# VXF_INIT_SET

ENOSYS_MESSAGE='vctx: this kernel has no vserver support: syscall 236 returned ENOSYS; boot a kernel built with CONFIG_VSERVER'
# vserver built in, but left out of the active LSMs (fake_disabled_vserver)
DISABLED_MESSAGE='vctx: vserver is built into this kernel but not enabled: add vserver to the lsm= boot parameter'

# Fail early, with a clear reason, when the binary has not been built.
require_vctx() {
	[[ -x "$VCTX" ]] || fail "vctx not found at $VCTX (build it, or set VCTX)"
}

require_vlimit() {
	[[ -x "$VLIMIT" ]] || fail "vlimit not found at $VLIMIT (build it, or set VLIMIT)"
}

# True when the running kernel answers the vserver system call.
kernel_has_vserver() {
	"$VCTX" version >/dev/null 2>&1
}

# Compare stderr of the last "run --separate-stderr" with the arguments,
# one argument per line.
assert_stderr() {
	local expected
	expected="$(printf '%s\n' "$@")"
	assert_equal "$stderr" "${expected%$'\n'}"
}

# Build the fake vserver shim (fake-vserver.c) once per file; call from
# setup_file.  Skips the file without a C compiler.
build_fake_vserver() {
	local cc="${CC:-cc}"

	if ! command -v "$cc" >/dev/null; then
		skip "no C compiler ($cc) to build the fake vserver shim"
	fi
	"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC \
		-I"$TOP/kernel/include/uapi" \
		-o "$BATS_FILE_TMPDIR/fake-vserver.so" \
		"$BATS_TEST_DIRNAME/fake-vserver.c" -ldl
}

# Preload the shim built by build_fake_vserver; call from setup.  The
# tools keep memory cgroups below $VSERVER_CGROUP_ROOT, a directory of the
# test that does not exist until fake_cgroup makes it: the tests never
# touch the host's /sys/fs/cgroup.
use_fake_vserver() {
	export LD_PRELOAD="$BATS_FILE_TMPDIR/fake-vserver.so"
	# A sanitized vctx would insist on its runtime coming first
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export VSERVER_CGROUP_ROOT="$BATS_TEST_TMPDIR/cgroup"
}

# fake_cgroup [unmounted]
# Imitate a cgroup2 hierarchy with the memory controller at
# $VSERVER_CGROUP_ROOT (see fake-vserver.c): directories made below it get
# the interface files of a cgroup.  With "unmounted", the root exists but
# is not a cgroup2 mount.
fake_cgroup() {
	export FAKE_VSERVER_CGROUP_ROOT="$VSERVER_CGROUP_ROOT"
	export FAKE_VSERVER_MOUNTS="$BATS_TEST_TMPDIR/mounts"
	printf 'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' \
		>"$FAKE_VSERVER_MOUNTS"
	if [[ "${1:-mounted}" == mounted ]]; then
		printf 'cgroup2 %s cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n' \
			"$VSERVER_CGROUP_ROOT" >>"$FAKE_VSERVER_MOUNTS"
	fi
	mkdir "$VSERVER_CGROUP_ROOT"
}

# fake_contexts XID:NAME:TASKS:INITPID:FLAGWORD...
# Fake a VCI 1.0 kernel with these contexts, and a /proc/virtual that
# lists them; the calls vctx makes are logged to $FAKE_VSERVER_LOG.
fake_contexts() {
	local dir="$BATS_TEST_TMPDIR/proc-virtual" entry

	mkdir -p "$dir"
	: >"$dir/info"
	for entry in "$@"; do
		mkdir -p "$dir/${entry%%:*}"
	done
	export FAKE_VSERVER_VERSION=0x00010000
	export FAKE_VSERVER_CONTEXTS="$*"
	export FAKE_VSERVER_PROC_VIRTUAL="$dir"
	export FAKE_VSERVER_LOG="$BATS_TEST_TMPDIR/calls"
	: >"$FAKE_VSERVER_LOG"
}

# Fake a kernel with vserver built in but not among its active LSMs: every
# vserver command fails with EOPNOTSUPP and /proc/virtual is missing,
# whatever fake_contexts set up.
fake_disabled_vserver() {
	export FAKE_VSERVER_DISABLED=1
}

# Compare the calls logged since fake_contexts with the arguments, one
# argument per call.
assert_calls() {
	local expected
	expected="$(printf '%s\n' "$@")"
	assert_equal "$(cat "$FAKE_VSERVER_LOG")" "${expected%$'\n'}"
}

# The guest manager from the same build as $VCTX:
#   VSERVER=/path/to/vserver  (default: vserver next to $VCTX)
VSERVER="${VSERVER:-$(dirname "$VCTX")/vserver}"

require_vserver_tool() {
	[[ -x "$VSERVER" ]] || fail "vserver not found at $VSERVER (build it, or set VSERVER)"
}

# Keep the guests of a test in its own directory: configurations, roots,
# run directories and logs (see vserver(8), ENVIRONMENT).  CONF and ROOTS name
# the first two.
use_guest_dirs() {
	export VSERVER_CONFDIR="$BATS_TEST_TMPDIR/etc/vservers"
	export VSERVER_ROOTDIR="$BATS_TEST_TMPDIR/vservers"
	export VSERVER_RUNDIR="$BATS_TEST_TMPDIR/run/vservers"
	export VSERVER_LOGDIR="$BATS_TEST_TMPDIR/log/vservers"
	CONF=$VSERVER_CONFDIR
	ROOTS=$VSERVER_ROOTDIR
}

# Skip unless a statically linked busybox is there to build guests from.
require_static_busybox() {
	local busybox="${VSERVER_BUSYBOX:-/usr/bin/busybox}"

	[[ -x "$busybox" ]] || skip "no $busybox (install busybox-static)"
	command -v readelf >/dev/null || skip "no readelf to check $busybox"
	if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'INTERP'; then
		skip "$busybox is dynamically linked (install busybox-static)"
	fi
}

# Skip unless a user and mount namespace can be made ("unshare -rm"),
# where a start can set up a guest's root without touching the host's.
require_userns() {
	command -v unshare >/dev/null || skip "no unshare (install util-linux)"
	unshare -rm true 2>/dev/null ||
		skip "cannot make a user and mount namespace (unshare -rm)"
}

# fake_guest_kernel: a faked kernel on which guests really start, in a
# user and mount namespace (see in_userns), and whose contexts outlive the
# process that made them (FAKE_VSERVER_CTX_DIR of fake-vserver.c), so
# that a guest's supervisor can wait for them.  CTXDIR names it.
fake_guest_kernel() {
	use_fake_vserver
	fake_contexts
	export FAKE_VSERVER_CTX_DIR="$BATS_TEST_TMPDIR/contexts"
	export FAKE_VSERVER_NODEV=1
	CTXDIR=$FAKE_VSERVER_CTX_DIR
	mkdir -p "$CTXDIR"
}

# in_userns COMMAND...: run COMMAND in a new user and mount namespace,
# with the shim of use_fake_vserver; what it leaves running stays there.
in_userns() {
	env -u LD_PRELOAD unshare -rm env LD_PRELOAD="$LD_PRELOAD" "$@"
}

# end_context XID REBOOT_CMD EXIT_CODE: end a context of fake_guest_kernel
# as the kernel would after reboot(2) (REBOOT_CMD 0: the exit of its last
# task, whose wait status is EXIT_CODE)
end_context() {
	echo "$2 $3" >"$CTXDIR/$1.end"
}

# wait_until COMMAND...: run COMMAND every 0.05 s until it succeeds, for
# at most 10 seconds; fails with COMMAND's output after that.
wait_until() {
	local i
	for i in $(seq 200); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "still not true after 10 seconds: $*"
}

# kill_guests: kill what the guests of fake_guest_kernel left running, by
# pid: their supervisors, then their tasks (for teardown)
kill_guests() {
	local f pid
	for f in "$VSERVER_RUNDIR"/*/supervisor; do
		[[ -f "$f" ]] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	for f in "$CTXDIR"/[0-9]*; do
		[[ "$f" == *.* || ! -f "$f" ]] && continue
		pid=$(awk '$1 == "initpid" { print $2 }' "$f")
		[[ -n "$pid" ]] && kill -KILL -- "-$pid" 2>/dev/null
	done
	return 0
}
