#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The output of vctx version for kernels with vserver support, faked on the
# host: fake-vserver.c is preloaded and answers the vserver system call from
# FAKE_VSERVER_* variables.  Needs a C compiler; skipped without one.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vctx
	use_fake_vserver
}

@test "vctx version shows a VCI 1.0 kernel without features" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0 \
		run --separate-stderr "$VCTX" version
	assert_success
	assert_output "$(cat <<-'END'
		VCI version:   0x00010000 (0001:0000)
		syscall:       236
		features:      0x00000000 (none)
		END
	)"
	assert_equal "$stderr" ''
}

@test "vctx version shows the minor version as four hex digits" {
	FAKE_VSERVER_VERSION=0x00020308 FAKE_VSERVER_VCI=0 \
		run --separate-stderr "$VCTX" version
	assert_success
	assert_line --index 0 'VCI version:   0x00020308 (0002:0308)'
}

@test "vctx version names every known feature bit in bit order" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0x17113f11 \
		run --separate-stderr "$VCTX" version
	assert_success
	assert_line --index 2 'features:      0x17113f11 (no_dynamic,proc_secure,cowbl,fullcowbl,spaces,netv2,memcg,memcg_swap,debug,history,tagged=7,pptag)'
}

@test "vctx version shows the tagged field as a number" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0x02000c00 \
		run --separate-stderr "$VCTX" version
	assert_success
	assert_line --index 2 'features:      0x02000c00 (spaces,netv2,tagged=2)'
}

@test "vctx version shows unnamed feature bits, bit 31 included, as one hex number" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0x80000406 \
		run --separate-stderr "$VCTX" version
	assert_success
	assert_line --index 2 'features:      0x80000406 (spaces,0x80000006)'
}

@test "vctx version --json prints one object with the documented keys" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0 \
		run --separate-stderr "$VCTX" version --json
	assert_success
	assert_output '{"vci_version":65536,"vci_version_hex":"0x00010000","syscall":236,"features":0,"feature_names":[]}'
	assert_equal "$stderr" ''
}

@test "vctx version --json lists only the single-bit features by name" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0x82000c01 \
		run --separate-stderr "$VCTX" version -J
	assert_success
	assert_output '{"vci_version":65536,"vci_version_hex":"0x00010000","syscall":236,"features":2181041153,"feature_names":["no_dynamic","spaces","netv2"]}'
}

@test "vctx version --json output is valid JSON" {
	if ! command -v jq >/dev/null; then
		skip 'jq is not installed'
	fi
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0x17113f11 \
		run --separate-stderr "$VCTX" version --json
	assert_success
	run jq -e '.vci_version == 65536 and .vci_version_hex == "0x00010000" and
		   .syscall == 236 and .features == 387006225 and
		   (.feature_names | length) == 11' <<<"$output"
	assert_success
}

@test "Try to run vctx version when the kernel refuses VCMD_get_version" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VERSION_ERRNO=1 \
		run --separate-stderr "$VCTX" version
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: get_version failed: Operation not permitted'
}

@test "Try to run vctx version when the kernel refuses VCMD_get_vci" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI_ERRNO=1 \
		run --separate-stderr "$VCTX" version
	assert_failure 1
	assert_output ''
	assert_stderr 'vctx: get_vci failed: Operation not permitted'
}

@test "Try to run vctx version when the shim fakes a kernel without vserver support" {
	run --separate-stderr "$VCTX" version
	assert_failure 1
	assert_output ''
	assert_stderr "$ENOSYS_MESSAGE"
}

@test "Try to run vctx version when vserver is built into the kernel but not enabled" {
	export FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VCI=0
	fake_disabled_vserver
	local args
	for args in version 'version --json'; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VCTX" $args
		assert_failure 1
		assert_output ''
		assert_stderr "$DISABLED_MESSAGE"
	done
}

@test "Try to run vctx version when VCMD_get_version says EOPNOTSUPP" {
	FAKE_VSERVER_VERSION=0x00010000 FAKE_VSERVER_VERSION_ERRNO=EOPNOTSUPP \
		run --separate-stderr "$VCTX" version
	assert_failure 1
	assert_output ''
	assert_stderr "$DISABLED_MESSAGE"
}
