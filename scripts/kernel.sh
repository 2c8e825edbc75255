#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the patched kernel.
#
#   scripts/kernel.sh tree     extract, patch and overlay the source tree
#   scripts/kernel.sh config   tree + .config from tinyconfig and the fragment
#   scripts/kernel.sh build    config + bzImage (incremental)
#   scripts/kernel.sh lint     W=1 and sparse on security/vserver, checkpatch
#   scripts/kernel.sh patch    write the consolidated patch and a git-am series
#
# Environment:
#   KSRC   a Linux 6.12 source tree to use instead of Debian's
#          linux-source-6.12 package (it is never modified)
#   BUILD  output directory (default: build/ at the top of the project)
#   JOBS   parallel jobs (default: nproc)
#
# The pristine source is extracted once.  The work tree is a hard-linked
# copy of it with kernel-patches/series applied and kernel/ copied on top;
# it is rebuilt only when the series or the set of overlaid files changes,
# and the object directory survives, so later builds are incremental.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
jobs=${JOBS:-$(nproc)}
tarball=/usr/src/linux-source-6.12.tar.xz
tree=$build/linux
obj=$build/kobj
fragment=vserver-vm.config

die() { echo "kernel.sh: $*" >&2; exit 1; }
say() { echo "  KERNEL  $*"; }

pristine_tree() {
	if [ -n "${KSRC:-}" ]; then
		[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel source tree"
		(cd "$KSRC" && pwd)
		return
	fi
	local dir=$build/src/linux-source-6.12
	if [ ! -f "$dir/.extracted" ]; then
		[ -f "$tarball" ] || die "$tarball is missing; install linux-source-6.12 or set KSRC"
		say "extracting $tarball" >&2
		rm -rf "$build/src"
		mkdir -p "$build/src"
		tar -C "$build/src" -xJf "$tarball"
		touch "$dir/.extracted"
	fi
	echo "$dir"
}

series() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$top/kernel-patches/series"
}

overlay_files() {
	(cd "$top/kernel" && find . -type f ! -name '*.orig' | sed 's|^\./||' | LC_ALL=C sort)
}

# Files a patch touches, from its "+++ b/path" lines.
patched_files() {
	local p
	for p in $(series); do
		sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$top/kernel-patches/$p"
	done
}

# Check that the whole series applies before touching anything, and name
# the patch and hunk that does not.
check_series() {
	local src=$1 tmp p
	tmp=$(mktemp -d)
	for f in $(patched_files | LC_ALL=C sort -u); do
		mkdir -p "$tmp/$(dirname "$f")"
		[ -f "$src/$f" ] && cp "$src/$f" "$tmp/$f"
	done
	for p in $(series); do
		[ -f "$top/kernel-patches/$p" ] || die "series names $p, which does not exist"
		if ! out=$(patch -d "$tmp" -p1 -N -s < "$top/kernel-patches/$p" 2>&1); then
			echo "kernel.sh: kernel-patches/$p does not apply to $src:" >&2
			echo "$out" | sed 's/^/  /' >&2
			rm -rf "$tmp"
			exit 1
		fi
	done
	rm -rf "$tmp"
}

stamp() {
	{
		cat "$top/kernel-patches/series"
		for p in $(series); do cat "$top/kernel-patches/$p"; done
		overlay_files
		echo "src=$1"
	} | sha1sum | cut -d' ' -f1
}

# Copy kernel/ over the tree; only what differs, so make sees only that.
overlay() {
	local f
	while read -r f; do
		if ! cmp -s "$top/kernel/$f" "$tree/$f"; then
			mkdir -p "$(dirname "$tree/$f")"
			cp --remove-destination "$top/kernel/$f" "$tree/$f"
		fi
	done < <(overlay_files)
}

do_tree() {
	local src want f save
	src=$(pristine_tree)
	want=$(stamp "$src")
	if [ "$(cat "$tree/.vserver-stamp" 2>/dev/null)" != "$want" ]; then
		check_series "$src"
		say "preparing $tree"
		# Keep the files the old tree changed, to tell afterwards which
		# really changed: those get a new timestamp, the others keep
		# theirs, so a widely included header does not rebuild everything.
		save=$build/.tree-save
		rm -rf "$save"
		mkdir -p "$save"
		for f in $(cat "$tree/.vserver-files" 2>/dev/null); do
			[ -f "$tree/$f" ] || continue
			mkdir -p "$save/$(dirname "$f")"
			cp -p "$tree/$f" "$save/$f"
		done
		rm -rf "$tree"
		cp -al "$src" "$tree"
		rm -f "$tree/.extracted"
		for p in $(series); do
			patch -d "$tree" -p1 -s --no-backup-if-mismatch < "$top/kernel-patches/$p"
		done
		overlay
		{ patched_files; overlay_files; } | LC_ALL=C sort -u > "$tree/.vserver-files"
		for f in $( (cd "$save" && find . -type f | sed 's|^\./||'; cat "$tree/.vserver-files") | LC_ALL=C sort -u); do
			[ -f "$tree/$f" ] || continue
			if [ -f "$save/$f" ] && cmp -s "$save/$f" "$tree/$f"; then
				# Unchanged: break a hard link to the pristine
				# tree, then take the old timestamp back.
				cp --remove-destination "$tree/$f" "$tree/$f.tmp"
				mv "$tree/$f.tmp" "$tree/$f"
				touch -r "$save/$f" "$tree/$f"
			elif [ -f "$save/$f" ] && [ "$(stat -c %h "$tree/$f")" -gt 1 ]; then
				# Back to pristine: rebuild what uses it.
				cp --remove-destination "$tree/$f" "$tree/$f.tmp"
				mv "$tree/$f.tmp" "$tree/$f"
			fi
		done
		rm -rf "$save"
		echo "$want" > "$tree/.vserver-stamp"
	fi
	overlay
}

do_config() {
	do_tree
	local want
	want=$(cat "$tree/arch/x86/configs/$fragment" | sha1sum | cut -d' ' -f1)
	if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.vserver-config" 2>/dev/null)" != "$want" ]; then
		say "configuring (tinyconfig + $fragment)"
		mkdir -p "$obj"
		make -s -C "$tree" O="$obj" tinyconfig "$fragment" >/dev/null
		check_config
		echo "$want" > "$obj/.vserver-config"
	fi
}

# Every option the fragment asks for must have survived olddefconfig;
# one that did not has a missing dependency, and the VM would lack it.
check_config() {
	local line opt val got bad=0
	while read -r line; do
		case $line in
		CONFIG_*=*)
			opt=${line%%=*}; val=${line#*=} ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}; val=n ;;
		*) continue ;;
		esac
		got=$(grep -E "^$opt=|^# $opt is not set" "$obj/.config" || true)
		case $got in
		"$opt=$val") ;;
		"# $opt is not set") [ "$val" = n ] || { echo "kernel.sh: $opt=$val was dropped by olddefconfig (missing dependency?)" >&2; bad=1; } ;;
		"") [ "$val" = n ] || { echo "kernel.sh: $opt=$val is unknown to this kernel" >&2; bad=1; } ;;
		*) echo "kernel.sh: $opt: wanted $val, got ${got#*=}" >&2; bad=1 ;;
		esac
	done < "$top/kernel/arch/x86/configs/$fragment"
	[ $bad = 0 ] || die "the kernel configuration does not match kernel/arch/x86/configs/$fragment"
}

do_build() {
	do_config
	say "building bzImage ($jobs jobs, log: $build/kernel-build.log)"
	if ! make -C "$tree" O="$obj" -j"$jobs" bzImage > "$build/kernel-build.log" 2>&1; then
		tail -n 40 "$build/kernel-build.log" >&2
		die "kernel build failed; see $build/kernel-build.log"
	fi
	if grep -E '^[^ ]*security/vserver/.*(warning|error):' "$build/kernel-build.log"; then
		die "warnings in security/vserver"
	fi
	ln -sf kobj/arch/x86/boot/bzImage "$build/bzImage"
}

# Static checks of the subsystem: W=1 and sparse rebuild of
# security/vserver (the result is discarded), checkpatch --strict on
# every new file and on the series.
do_lint() {
	do_config
	local log=$build/kernel-lint.log rc=0 files
	: > "$log"
	touch "$tree"/security/vserver/*.c
	if ! make -C "$tree" O="$obj" -j"$jobs" W=1 C=1 security/vserver/ >> "$log" 2>&1; then
		echo "kernel.sh: W=1 build of security/vserver failed" >&2; rc=1
	fi
	if grep -E '(warning|error):' "$log" | grep -v '^make'; then
		echo "kernel.sh: W=1/sparse reported the lines above" >&2; rc=1
	fi
	# Rebuild normally, so the next bzImage does not carry W=1 objects.
	touch "$tree"/security/vserver/*.c
	files=$(cd "$top/kernel" && find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort)
	if ! (cd "$tree" && perl scripts/checkpatch.pl --no-tree --strict --terse -q -f $files) >> "$log" 2>&1; then
		grep -E 'ERROR|WARNING|CHECK' "$log" >&2 || true
		echo "kernel.sh: checkpatch --strict complains about kernel/" >&2; rc=1
	fi
	# kernel-doc: every documented function and structure complete
	if ! (cd "$tree" && perl scripts/kernel-doc -none -Wall security/vserver/*.[ch] include/uapi/linux/vserver.h include/linux/vserver.h) >> "$log" 2>&1 ||
	   grep -q 'warning:' "$log"; then
		grep 'warning:' "$log" >&2 || true
		echo "kernel.sh: kernel-doc complains" >&2; rc=1
	fi
	for p in $(series); do
		if ! (cd "$tree" && perl scripts/checkpatch.pl --no-tree --strict --terse -q "$top/kernel-patches/$p") >> "$log" 2>&1; then
			grep -E 'ERROR|WARNING|CHECK' "$log" >&2 || true
			echo "kernel.sh: checkpatch --strict complains about kernel-patches/$p" >&2; rc=1
		fi
	done
	[ $rc = 0 ] && say "lint clean: W=1, sparse, kernel-doc, checkpatch --strict"
	return $rc
}

case ${1:-build} in
tree) do_tree ;;
config) do_config ;;
build) do_build ;;
lint) do_lint ;;
*) die "unknown action '$1' (tree, config, build, lint)" ;;
esac
