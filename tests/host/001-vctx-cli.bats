#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vctx command line handling on the host: help, version, usage errors, and
# the report on a kernel without the vserver system call.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	require_vctx
}

@test "vctx --help prints the usage on stdout and exits 0" {
	run --separate-stderr "$VCTX" --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vctx [options] <command> [<args>]'
	assert_line 'Commands:'
	assert_line --regexp '^ version +show the kernel.s vserver interface version and features$'
	assert_line ' -h, --help     display this help'
	assert_line ' -V, --version  display version'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
}

@test "vctx -h prints the same usage as vctx --help" {
	run --separate-stderr "$VCTX" --help
	local long="$output"
	run --separate-stderr "$VCTX" -h
	assert_success
	assert_output "$long"
}

@test "vctx --version prints the package name and version" {
	run --separate-stderr "$VCTX" --version
	assert_success
	assert_output 'vctx from vserver-utils 0.1'
	assert_equal "$stderr" ''
}

@test "vctx version --help prints the usage of the version command" {
	run --separate-stderr "$VCTX" version --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vctx version [options]'
	assert_line ' -J, --json     print one JSON object on one line'
	assert_line ' -h, --help     display this help'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
}

@test "Try to run vctx with an unknown long option" {
	run --separate-stderr "$VCTX" --bogus
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: unrecognized option '--bogus'" \
		"Try 'vctx --help' for more information."
}

@test "Try to run vctx with an unknown short option" {
	run --separate-stderr "$VCTX" -x
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: invalid option -- 'x'" \
		"Try 'vctx --help' for more information."
}

@test "Try to run vctx without a command" {
	run --separate-stderr "$VCTX"
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: no command specified' \
		"Try 'vctx --help' for more information."
}

@test "Try to run an unknown vctx command" {
	run --separate-stderr "$VCTX" frobnicate
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: unknown command 'frobnicate'" \
		"Try 'vctx --help' for more information."
}

@test "Try to pass an extra argument to vctx version" {
	run --separate-stderr "$VCTX" version extra
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: unexpected argument 'extra'" \
		"Try 'vctx version --help' for more information."
}

@test "Try to pass an unknown option to vctx version" {
	run --separate-stderr "$VCTX" version --bogus
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: unrecognized option '--bogus'" \
		"Try 'vctx version --help' for more information."
}

@test "Try to give the --json option of vctx version a value" {
	run --separate-stderr "$VCTX" version --json=yes
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: option '--json' doesn't allow an argument" \
		"Try 'vctx version --help' for more information."
}

@test "Try to run vctx version on a kernel without vserver support" {
	if kernel_has_vserver; then
		skip 'the running kernel has vserver support'
	fi
	run --separate-stderr "$VCTX" version
	assert_failure 1
	assert_output ''
	assert_stderr "$ENOSYS_MESSAGE"
}

@test "Try to run vctx version --json on a kernel without vserver support" {
	if kernel_has_vserver; then
		skip 'the running kernel has vserver support'
	fi
	run --separate-stderr "$VCTX" version --json
	assert_failure 1
	assert_output ''
	assert_stderr "$ENOSYS_MESSAGE"
}

@test "vctx version --json prints valid JSON on a kernel with vserver support" {
	if ! kernel_has_vserver; then
		skip 'the running kernel has no vserver support'
	fi
	if ! command -v jq >/dev/null; then
		skip 'jq is not installed'
	fi
	run --separate-stderr "$VCTX" version --json
	assert_success
	assert_equal "${#lines[@]}" 1
	run jq -e '(.vci_version | type) == "number" and
		   (.vci_version_hex | test("^0x[0-9a-f]{8}$")) and
		   .syscall == 236 and
		   (.features | type) == "number" and
		   (.feature_names | type) == "array"' <<<"$output"
	assert_success
}

@test "Try to write the vctx version text to a full device" {
	if [[ ! -w /dev/full ]]; then
		skip '/dev/full is not available'
	fi
	run --separate-stderr bash -c '"$1" --version >/dev/full' bash "$VCTX"
	assert_failure 1
	assert_stderr 'vctx: write error: No space left on device'
}
