# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared setup of the host tests: bats libraries and the vctx under test.
#
#   VCTX=/path/to/vctx  binary to test
#                       (default: build/user/bin/vctx at the top of the tree)

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
VCTX="${VCTX:-$BATS_TEST_DIRNAME/../../build/user/bin/vctx}"

ENOSYS_MESSAGE='vctx: this kernel has no vserver support: syscall 236 returned ENOSYS; boot a kernel built with CONFIG_VSERVER'

# Fail early, with a clear reason, when the binary has not been built.
require_vctx() {
	[[ -x "$VCTX" ]] || fail "vctx not found at $VCTX (build it, or set VCTX)"
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
