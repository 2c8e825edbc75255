# SPDX-License-Identifier: GPL-2.0-only
# Shared setup of the BATS suites that run inside the test VM.

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# The tool under test: the plain build, or the sanitizer build when
# run-all sets VCTX to it.
VCTX=${VCTX:-/usr/sbin/vctx}

# vlimit from the same build as the vctx under test
VLIMIT=${VLIMIT:-$(dirname "$VCTX")/vlimit}

# Skip with a reason when the kernel lacks vserver, and fail on anything
# else unexpected: these suites only make sense on the patched kernel.
require_vserver() {
	[ -r /proc/virtual/info ] ||
		fail "/proc/virtual/info is missing: this is not the patched kernel"
}

# Run a command as the unprivileged user nobody (busybox has no
# setpriv --reuid, so su with an explicit shell).
as_nobody() {
	su -s /bin/bash nobody -c "$(printf '%q ' "$@")"
}
