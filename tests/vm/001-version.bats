#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# The version and feature queries, as the tools and /proc show them.

load helpers

setup() {
	require_vserver
}

@test "vctx version prints the VCI version, syscall and features" {
	run --separate-stderr "$VCTX" version
	assert_success
	assert_line --index 0 "VCI version:   0x00020304 (0002:0304)"
	assert_line --index 1 "syscall:       236"
	assert_line --index 2 "features:      0x00000c00 (spaces,netv2)"
	[ "${#lines[@]}" -eq 3 ]
	[ -z "$stderr" ]
}

@test "vctx version --json prints one object with the same facts" {
	run --separate-stderr "$VCTX" version --json
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	run jq -r '[.vci_version, .vci_version_hex, .syscall, .features, (.feature_names | length)] | @tsv' <<< "$output"
	assert_success
	assert_output "$(printf '131844\t0x00020304\t236\t3072\t2')"
}

@test "/proc/virtual/info shows the version, the syscall and the features" {
	run cat /proc/virtual/info
	assert_success
	assert_output "$(printf 'VCIVersion:\t0002:0304\nVCISyscall:\t236\nVCIKernel:\t00000c00')"
}

@test "/proc/virtual/info agrees with vctx version" {
	run --separate-stderr "$VCTX" version --json
	assert_success
	features=$(jq -r '.features' <<< "$output")
	run grep VCIKernel /proc/virtual/info
	assert_output "$(printf 'VCIKernel:\t%08x' "$features")"
}

@test "An unprivileged user can query the version" {
	run --separate-stderr as_nobody "$VCTX" version
	assert_success
	assert_line --index 0 "VCI version:   0x00020304 (0002:0304)"
}

@test "The vserver LSM is active" {
	run cat /sys/kernel/security/lsm
	if [ "$status" -ne 0 ]; then
		skip "securityfs is not mounted"
	fi
	assert_output --partial "vserver"
}

@test "Try to run an unknown vctx command in the VM" {
	run --separate-stderr "$VCTX" frobnicate
	assert_failure 1
	[[ "$stderr" == *"unknown command 'frobnicate'"* ]]
}
