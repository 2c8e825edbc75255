#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write the patch series for a user's own 6.12 tree:
#
#   build/patches/NNNN-*.patch      a series for "git am"
#   build/patch-6.12-vserver.diff   the same as one diff, for "patch -p1"
#
# The first patch adds the new files (kernel/ in this project), the rest
# are kernel-patches/series.  Before anything is written, the series is
# applied to a scratch copy of the files it touches in the reference tree
# (KSRC, or Debian's linux-source-6.12); a patch that does not apply is
# named with its failing hunk.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
outdir=$build/patches
diff_out=$build/patch-6.12-vserver.diff

die() { echo "patch.sh: $*" >&2; exit 1; }

"$top/scripts/kernel.sh" tree >/dev/null
src=${KSRC:-$build/src/linux-source-6.12}
[ -f "$src/Makefile" ] || die "no reference tree at $src"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out"

new_files=$(cd "$top/kernel" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
{
	cat <<'MSG'
From: vserver developers <vserver@localhost>
Subject: [PATCH] security: add the vserver LSM

vserver groups processes into security contexts.  A process in a context
sees, signals and traces only processes of its own context, and stays
within the context's capability ceiling and resource limits.  Contexts
are driven through one multiplexed system call, sys_vserver(cmd, id,
data), whose command words and structures are compatible with the
historic Linux-VServer interface.

The subsystem is a stackable LSM with a task blob; it lives in
security/vserver/ with its UAPI header and documentation.

Signed-off-by: vserver developers <vserver@localhost>
MSG
	echo '---'
	for f in $new_files; do
		diff -u --label /dev/null --label "b/$f" /dev/null "$top/kernel/$f" || true
	done
} > "$tmp/out/0001-security-add-the-vserver-LSM.patch"

n=1
for p in $(grep -v -e '^#' -e '^[[:space:]]*$' "$top/kernel-patches/series"); do
	n=$((n + 1))
	cp "$top/kernel-patches/$p" "$tmp/out/$(printf '%04d' $n)-${p#[0-9][0-9][0-9][0-9]-}"
done

# Dry run on a scratch copy of the touched files.
mkdir -p "$tmp/tree"
for f in $(cat "$tmp"/out/*.patch | sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' | LC_ALL=C sort -u); do
	if [ -f "$src/$f" ]; then
		mkdir -p "$tmp/tree/$(dirname "$f")"
		cp "$src/$f" "$tmp/tree/$f"
	fi
done
for p in "$tmp"/out/*.patch; do
	if ! res=$(patch -d "$tmp/tree" -p1 -N -s < "$p" 2>&1); then
		echo "patch.sh: $(basename "$p") does not apply to $src:" >&2
		echo "$res" | sed 's/^/  /' >&2
		exit 1
	fi
done

rm -rf "$outdir"
mkdir -p "$outdir"
cp "$tmp"/out/*.patch "$outdir/"
cat "$outdir"/*.patch | grep -v -e '^From: ' -e '^Subject: ' > "$diff_out"
echo "  PATCH   $outdir/ ($(ls "$outdir" | wc -l) patches) and $diff_out"
echo "          apply with: git am $outdir/*.patch   or   patch -p1 < $diff_out"
