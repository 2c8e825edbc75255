#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Command line handling of vlimit: its help text, and every bad argument,
# each of which must be refused before the kernel is asked to change
# anything.  The fake vserver shim is preloaded and logs every call, so
# that "no call was made" can be checked.

bats_require_minimum_version 1.5.0

load helpers

# The limit ids of this kernel: nproc (6), nofile (7), msgqueue (12),
# nsock (16), shmem (19), semary (20), nsems (21)

setup_file() {
	build_fake_vserver
}

setup() {
	require_vlimit
	use_fake_vserver
	fake_contexts "42:web:3:41:0"
	export FAKE_VSERVER_RLIMIT_MASK=$ALL_LIMITS
	export FAKE_VSERVER_RLIMITS="$BATS_TEST_TMPDIR/rlimits"
	: >"$FAKE_VSERVER_RLIMITS"
}

# assert_usage_error MESSAGE: the last run failed with MESSAGE and the
# "Try" line, and asked the kernel nothing
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vlimit: $1" "Try 'vlimit --help' for more information."
	assert_calls
}

# refuse ARGUMENT MESSAGE: "vlimit 42 ARGUMENT" is a usage error with
# MESSAGE, and no limit changed
refuse() {
	run --separate-stderr "$VLIMIT" 42 "$1"
	assert_usage_error "$2"
	assert_equal "$(cat "$FAKE_VSERVER_RLIMITS")" ''
}

@test "vlimit --help prints its usage, its options and every resource" {
	run --separate-stderr "$VLIMIT" --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vlimit [options] <xid>|<name>|self [<resource>=<limits>...]'
	assert_line --index 2 ' vlimit [options] --list'
	assert_line --index 3 'Show or change the resource limits of a vserver context.'
	assert_line --index 4 'Options:'
	assert_line ' -l, --list          list the resources the kernel can limit'
	assert_line '     --reset <what>  reset the usage counters: minmax, hits or all'
	assert_line ' -J, --json          print one JSON object on one line'
	assert_line ' -n, --noheadings    don'"'"'t print headings'
	assert_line ' -r, --raw           use the raw output format'
	assert_line ' -v, --verbose       add a DESCRIPTION column'
	assert_line ' -h, --help          display this help'
	assert_line ' -V, --version       display version'
	assert_line 'Resources:'
	assert_line ' nproc     tasks, threads included'
	assert_line ' nofile    open file descriptions'
	assert_line ' msgqueue  SysV message queues'
	assert_line ' nsock     sockets'
	assert_line ' shmem     SysV shared memory segments'
	assert_line ' semary    SysV semaphore arrays'
	assert_line ' nsems     SysV semaphores'
	assert_line --index -1 'For more details see vlimit(8).'
	assert_equal "$stderr" ''
	assert_calls
}

@test "vlimit --help lists the options before --help and --version" {
	run --separate-stderr "$VLIMIT" -h
	assert_success
	local text="$output"
	[[ "$text" == *'--verbose'*'--help'*'--version'*'Resources:'*'vlimit(8).' ]]
}

@test "vlimit --version names the package" {
	run --separate-stderr "$VLIMIT" --version
	assert_success
	assert_output --regexp '^vlimit from vserver-utils [0-9]+\.[0-9]+$'
	assert_calls
}

@test "Try to run vlimit without a context" {
	run --separate-stderr "$VLIMIT"
	assert_usage_error 'no context specified'
}

@test "Try to set a limit without naming the context" {
	run --separate-stderr "$VLIMIT" nproc=5
	assert_usage_error 'no context specified'
}

@test "Try to give vlimit an unknown option" {
	run --separate-stderr "$VLIMIT" --frobnicate 42
	assert_usage_error "unrecognized option '--frobnicate'"
	run --separate-stderr "$VLIMIT" -x 42
	assert_usage_error "invalid option -- 'x'"
}

@test "Try to give --reset without an argument" {
	run --separate-stderr "$VLIMIT" 42 --reset
	assert_usage_error "option '--reset' requires an argument"
}

@test "Try to reset an unknown counter" {
	run --separate-stderr "$VLIMIT" 42 --reset max
	assert_usage_error "--reset: unknown argument 'max'"
}

@test "Try to reset the counters and change a limit at once" {
	run --separate-stderr "$VLIMIT" 42 --reset hits nproc=5
	assert_usage_error '--reset cannot be combined with a change'
}

@test "Try to ask for JSON when changing a limit" {
	run --separate-stderr "$VLIMIT" --json 42 nproc=5
	assert_usage_error '--json cannot be combined with a change'
	run --separate-stderr "$VLIMIT" --json 42 --reset all
	assert_usage_error '--json cannot be combined with a change'
}

@test "Try to give --list a context" {
	run --separate-stderr "$VLIMIT" --list 42
	assert_usage_error "unexpected argument '42'"
	run --separate-stderr "$VLIMIT" --list --reset hits
	assert_usage_error '--list and --reset are mutually exclusive'
}

@test "Try to name a context by an id out of range" {
	run --separate-stderr "$VLIMIT" 70000
	assert_usage_error "invalid context id '70000'"
	run --separate-stderr "$VLIMIT" 1 nproc=5
	assert_usage_error "invalid context id '1'"
}

@test "Try to set a limit of an unknown resource" {
	refuse nprocs=5 "unknown resource 'nprocs'"
	refuse =5 "unknown resource ''"
	refuse 'rss=5' "unknown resource 'rss'"
}

@test "Try to set a limit without '='" {
	refuse nproc "missing '=' in 'nproc'"
	refuse '' "missing '=' in ''"
}

@test "Try to set a resource without a limit" {
	refuse nproc= 'nproc: no limit given'
	refuse nproc=: 'nproc: no limit given'
}

@test "Try to set a soft limit above the hard limit" {
	refuse nofile=2000:1000 'nofile: soft limit above hard limit'
	refuse nofile=2K:2047 'nofile: soft limit above hard limit'
	refuse nofile=unlimited:5 'nofile: soft limit above hard limit'
	refuse nofile=-1:5 'nofile: soft limit above hard limit'
}

@test "Try to set limits that are not numbers" {
	local bad
	for bad in 12x abc 1.5K -5 +5 ' 5' '5 ' 0x10 5KB 5KiB K 5Z unlimitedx \
		   -2 -1x inf:x; do
		refuse "nproc=$bad" "nproc: invalid limit '${bad#inf:}'"
	done
}

@test "Try to give more than one colon" {
	refuse nproc=1:2:3 "nproc: invalid limit '2:3'"
	refuse nproc=5::6 "nproc: invalid limit ':6'"
}

@test "Try to set limits beyond the largest count" {
	# 2^64, and the two values above 2^64 - 3 that mean unchanged and
	# unlimited to the kernel
	refuse nproc=18446744073709551616 "nproc: limit '18446744073709551616' is out of range"
	refuse nproc=18446744073709551615 "nproc: limit '18446744073709551615' is out of range"
	refuse nproc=18446744073709551614 "nproc: limit '18446744073709551614' is out of range"
	refuse nproc=99999999999999999999999 "nproc: limit '99999999999999999999999' is out of range"
	refuse nproc=16E "nproc: limit '16E' is out of range"
	refuse nproc=17179869184G "nproc: limit '17179869184G' is out of range"
	refuse nproc=5:16E "nproc: limit '16E' is out of range"
}

@test "Try to set the same resource twice" {
	run --separate-stderr "$VLIMIT" 42 nproc=1 nofile=5 NPROC=2
	assert_usage_error 'nproc: given more than once'
}

@test "Try to set good limits with one bad one among them" {
	run --separate-stderr "$VLIMIT" 42 nproc=5 nofile=10:20 nsock=x shmem=1
	assert_usage_error "nsock: invalid limit 'x'"
	assert_equal "$(cat "$FAKE_VSERVER_RLIMITS")" ''
}

@test "Usage errors come before the kernel is asked anything" {
	# Without vserver support the usage error is still the one reported
	unset FAKE_VSERVER_VERSION
	run --separate-stderr "$VLIMIT" 42 nprocs=5
	assert_usage_error "unknown resource 'nprocs'"
}

@test "Try to run vlimit on a kernel with vserver built in but not enabled" {
	fake_disabled_vserver
	local msg=${DISABLED_MESSAGE/#vctx:/vlimit:} args
	for args in '42' '42 nproc=5' '--list' '42 --reset all' 'web' 'self' \
		    '42 memory=64M'; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VLIMIT" $args
		assert_failure 1
		assert_output ''
		assert_stderr "$msg"
	done
}

@test "Try to run vlimit on a kernel without vserver support" {
	unset FAKE_VSERVER_VERSION
	local msg=${ENOSYS_MESSAGE/#vctx:/vlimit:} args
	for args in '42' '42 nproc=5' '--list' '42 --reset all' 'web'; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VLIMIT" $args
		assert_failure 1
		assert_output ''
		assert_stderr "$msg"
	done
}
