#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# The binary interface as util-vserver's tools use it: each test makes,
# through bin/vcall, the exact sys_vserver calls of one tool (vcontext,
# vattribute, vlimit, vuname, vkill, vwait, the space commands), in the
# order the tool makes them, and compares return values, errnos and the
# bytes of every structure with the historic VCI 2.3 interface, and with
# this kernel's documented differences (Documentation/userspace-api/
# vserver.rst).  Contexts of this suite: xids 7000 to 7099.

load helpers

VCALL=${VCALL:-/opt/vserver/tests/bin/vcall}

# Command words, as util-vserver issues them
VCMD_get_version=0x00000000
VCMD_get_vci=0x00010000
VCMD_task_xid=0x2E010000
VCMD_ctx_stat=0x28000000
VCMD_virt_stat=0x28030000
VCMD_ctx_create=0x09010001
VCMD_ctx_migrate=0x0B010001
VCMD_get_cflags=0x34010000
VCMD_set_cflags=0x34020000
VCMD_get_ccaps=0x34030001
VCMD_set_ccaps=0x34040001
VCMD_get_bcaps=0x34090000
VCMD_set_bcaps=0x340A0000
VCMD_ctx_kill=0x0C010000
VCMD_wait_exit=0x30630000
VCMD_set_vhi_name=0x02010000
VCMD_get_vhi_name=0x02020000
VCMD_get_rlimit=0x3C010000
VCMD_set_rlimit=0x3C020000
VCMD_get_rlimit_mask=0x3C030000
VCMD_enter_space_v0=0x0A010000
VCMD_enter_space_v1=0x0A010001
VCMD_enter_space=0x0A010002
VCMD_set_space_v1=0x0A030001
VCMD_set_space=0x0A030002
VCMD_get_space_mask_v0=0x0A040000
VCMD_get_space_mask=0x36000001
VCMD_get_space_default=0x36010000
VCMD_get_badness=0x14050000
VCMD_set_badness=0x14060000

# Constants
VCI_VERSION=$((0x00020304))
VCI_NO_DYNAMIC=$((0x1))
VCI_SPACES=$((0x400))
VXF_INFO_PRIVATE=$((0x8))
VXF_VIRT_UPTIME=$((0x20000))
VXF_STATE_SETUP=$((1 << 32))
VXF_ONE_TIME=$((0x0000000700000000))
VXF_PERSISTENT=$((1 << 38))
CRLIM_KEEP=$((0xFFFFFFFFFFFFFFFE))
CLONE_FS=$((0x00000200))
CLONE_NEWNS=$((0x00020000))
CLONE_NEWUTS=$((0x04000000))
CLONE_NEWIPC=$((0x08000000))
# The ceiling of a new context (VX_BCAPS_DEFAULT)
BCAPS_DEFAULT=$((0xB40404FB))
CAP_SYS_ADMIN_BIT=$((1 << 21))

setup() {
	require_vserver
	[ -x "$VCALL" ] || fail "vcall not found at $VCALL"
	bg_pids=()
}

teardown() {
	local d x
	# Release what the test, failed or not, left behind.
	for d in /proc/virtual/70[0-9][0-9]; do
		[ -d "$d" ] || continue
		x=${d##*/}
		"$VCALL" $VCMD_set_cflags "$x" "$(le64 0)$(le64 $VXF_PERSISTENT)" > /dev/null
		"$VCALL" $VCMD_ctx_kill "$x" "$(le32 0)$(le32 9)" > /dev/null
	done
	for x in "${bg_pids[@]}"; do
		kill -9 "$x" 2>/dev/null
	done
	return 0
}

# le64 N, le32 N: the bytes of N in memory order (little endian), as hex
le64() {
	local v
	printf -v v '%016x' "$1"
	echo "${v:14:2}${v:12:2}${v:10:2}${v:8:2}${v:6:2}${v:4:2}${v:2:2}${v:0:2}"
}

le32() {
	local v
	printf -v v '%08x' "$(($1 & 0xFFFFFFFF))"
	echo "${v:6:2}${v:4:2}${v:2:2}${v:0:2}"
}

# hex BYTES...: the arguments joined, without the separators vcall allows
hex() {
	local s
	s=$(printf '%s' "$@")
	echo "${s//[.:_]/}"
}

# repeat BYTE N: BYTE (two hex digits) N times
repeat() {
	local s= i
	for ((i = 0; i < $2; i++)); do
		s+=$1
	done
	echo "$s"
}

# name65 STRING: STRING (ASCII) as a char[65], NUL-padded, in hex
name65() {
	local h= c i
	for ((i = 0; i < 65; i++)); do
		c=00
		[ $i -ge ${#1} ] || printf -v c '%02x' "'${1:i:1}"
		h+=$c
	done
	echo "$h"
}

# le_at HEX OFFSET SIZE: the little-endian number of SIZE bytes at byte
# OFFSET of HEX, in decimal
le_at() {
	local v= i
	for ((i = $3 - 1; i >= 0; i--)); do
		v+=${1:$((($2 + i) * 2)):2}
	done
	echo $((16#$v))
}

# boottime_ns: the host's time since boot (/proc/uptime), in ns
boottime_ns() {
	local up
	read -r up _ < /proc/uptime
	echo $(( ${up%%.*} * 1000000000 + 10#${up#*.} * 10000000 ))
}

# data_of LINE: the data= bytes of a line of vcall
data_of() {
	echo "${1##*data=}"
}

# ret_of LINE: the ret= value of a line of vcall
ret_of() {
	local r=${1#ret=}
	echo "${r%% *}"
}

# persistent XID [FLAGS]: context XID, persistent and in setup (with
# FLAGS too), made by a vcall that leaves it at once
persistent() {
	local flags out
	flags=$(le64 $((VXF_ONE_TIME | VXF_PERSISTENT | ${2:-0})))
	out=$("$VCALL" $VCMD_ctx_create "$1" "$flags")
	[ "$out" = "ret=$1 errno=0 data=$flags" ] || fail "ctx_create $1: $out"
}

# end_setup XID: clear VXF_STATE_SETUP of context XID from the host
end_setup() {
	local out
	out=$("$VCALL" $VCMD_set_cflags "$1" "$(le64 0)$(le64 $VXF_STATE_SETUP)")
	[ "${out%% data=*}" = "ret=0 errno=0" ] || fail "set_cflags $1: $out"
}

is_sleeping() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]
}

# start_bg ARGS...: run vcall ARGS... -- sleep 1000 in the background, with
# no file descriptor of bats open; its pid in $pid once it sleeps
start_bg() {
	"$VCALL" "$@" -- sleep 1000 < /dev/null > /dev/null 2>&1 3>&- &
	pid=$!
	bg_pids+=("$pid")
	poll 200 is_sleeping "$pid" || fail "vcall $* did not get to sleep"
}

# start_in XID: a process that entered context XID with ctx_migrate v1
# and sleeps there; its pid in $pid
start_in() {
	start_bg $VCMD_ctx_migrate "$1" "$(le64 0)"
}

# tasks_of XID: the tasks of context XID (ctx_stat)
tasks_of() {
	local out
	out=$("$VCALL" $VCMD_ctx_stat "$1" -o 8)
	le_at "$(data_of "$out")" 4 4
}

# The probes of util-vserver's multi-version wrappers, and what they say
probe_lines() {
	assert_line --index 0 "ret=$VCI_VERSION errno=0"
	assert_line --index 1 --regexp '^ret=[0-9]+ errno=0$'
	local vci
	vci=$(ret_of "${lines[1]}")
	(( vci & VCI_SPACES )) || fail "get_vci $vci: no VCI_SPACES"
	(( !(vci & VCI_NO_DYNAMIC) )) || fail "get_vci $vci: VCI_NO_DYNAMIC set"
}
PROBES="$VCMD_get_version 63 - + $VCMD_get_vci 0 -"

@test "get_version with id 63 and get_vci with id 0 say VCI 2.3.4, with spaces and dynamic xids, to any caller" {
	run --separate-stderr "$VCALL" $PROBES
	assert_success
	probe_lines
	assert_equal "${#lines[@]}" 2
	run --separate-stderr "$VCALL" -3 $VCMD_get_version 63 - + -3 $VCMD_get_vci 0 -
	probe_lines
	run --separate-stderr as_nobody "$VCALL" $PROBES
	probe_lines
	# /proc/virtual/info agrees
	run cat /proc/virtual/info
	assert_line --index 0 "$(printf 'VCIVersion:\t0002:0304')"
}

@test "vcontext --create makes get_version, get_vci and ctx_create v1, which returns the xid and moves the caller in" {
	run --separate-stderr "$VCALL" $PROBES \
		+ $VCMD_ctx_create 7000 0000000007000000 \
		+ $VCMD_task_xid 0 - \
		+ $VCMD_get_cflags 7000 "$(repeat a5 16)"
	assert_success
	probe_lines
	assert_line --index 2 "ret=7000 errno=0 data=0000000007000000"
	assert_line --index 3 "ret=7000 errno=0"
	# Every one-time bit is still set, and every bit may still change
	assert_line --index 4 "ret=0 errno=0 data=0000000007000000ffffffffffffffff"
	assert_equal "${#lines[@]}" 5
	# Not persistent: it ended with the vcall in it
	poll 50 no_context 7000
}

@test "vcontext --create of an existing xid still in setup fails with EBUSY" {
	# vcontext --create --xid 7001 -- sleep 1000
	start_bg $PROBES + $VCMD_ctx_create 7001 0000000007000000
	run --separate-stderr "$VCALL" $PROBES + $VCMD_ctx_create 7001 0000000007000000 \
		+ $VCMD_task_xid 0 -
	assert_success
	probe_lines
	assert_line --index 2 "ret=-1 errno=EBUSY data=0000000007000000"
	# The failed create stopped the sequence, the caller is still outside
	assert_equal "${#lines[@]}" 3
	[ "$(tasks_of 7001)" -eq 1 ]
}

@test "vcontext --create of an existing xid that left setup with --endsetup fails with EEXIST" {
	# vcontext --create --endsetup --xid 7002 -- sleep 1000: the new
	# context's creator ends its setup from inside
	start_bg $PROBES + $VCMD_ctx_create 7002 0000000007000000 \
		+ $VCMD_set_cflags 7002 0000000000000000.0000000001000000
	run --separate-stderr "$VCALL" $VCMD_get_cflags 7002 -o 16
	assert_output "ret=0 errno=0 data=0000000006000000fffffffffeffffff"
	run --separate-stderr "$VCALL" $PROBES + $VCMD_ctx_create 7002 0000000007000000
	assert_success
	probe_lines
	assert_line --index 2 "ret=-1 errno=EEXIST data=0000000007000000"
	[ "$(tasks_of 7002)" -eq 1 ]
}

@test "vcontext --migrate makes get_version and get_vci, then ctx_migrate v1 with flags 0 moves the caller in" {
	persistent 7003
	run --separate-stderr "$VCALL" $PROBES \
		+ $VCMD_ctx_migrate 7003 0000000000000000 \
		+ $VCMD_task_xid 0 -
	assert_success
	probe_lines
	assert_line --index 2 "ret=0 errno=0 data=0000000000000000"
	assert_line --index 3 "ret=7003 errno=0"
	# The caller left with vcall: the persistent context is empty again
	[ "$(tasks_of 7003)" -eq 0 ]
}

@test "vcontext --migrate --endsetup clears STATE_SETUP from the host before the probes and ctx_migrate v1" {
	persistent 7004
	run --separate-stderr "$VCALL" $VCMD_set_cflags 7004 0000000000000000.0000000001000000 \
		+ $PROBES + $VCMD_ctx_migrate 7004 0000000000000000 + $VCMD_task_xid 0 -
	assert_success
	assert_line --index 0 "ret=0 errno=0 data=00000000000000000000000001000000"
	assert_line --index 1 "ret=$VCI_VERSION errno=0"
	assert_line --index 3 "ret=0 errno=0 data=0000000000000000"
	assert_line --index 4 "ret=7004 errno=0"
	run --separate-stderr "$VCALL" $VCMD_get_cflags 7004 -o 16
	assert_output "ret=0 errno=0 data=0000000046000000fffffffffeffffff"
}

@test "vattribute --set --bcap ~CAP_SYS_ADMIN makes set_ccaps v1 {0, 0}, then set_bcaps {0, 1<<21}" {
	persistent 7005
	# CAP_SYS_ADMIN in the ceiling during setup, then the guest runs
	run --separate-stderr "$VCALL" $VCMD_set_bcaps 7005 "$(le64 $CAP_SYS_ADMIN_BIT)$(le64 $CAP_SYS_ADMIN_BIT)"
	assert_output --regexp '^ret=0 errno=0 '
	end_setup 7005
	run --separate-stderr "$VCALL" $VCMD_get_bcaps 7005 -o 16
	assert_output "ret=0 errno=0 data=$(le64 $((BCAPS_DEFAULT | CAP_SYS_ADMIN_BIT)))ffffffffffffffff"

	run --separate-stderr "$VCALL" $PROBES \
		+ $VCMD_set_ccaps 7005 0000000000000000.0000000000000000 \
		+ $VCMD_set_bcaps 7005 0000000000000000.0000200000000000
	assert_success
	probe_lines
	assert_line --index 2 "ret=0 errno=0 data=00000000000000000000000000000000"
	assert_line --index 3 "ret=0 errno=0 data=00000000000000000000200000000000"
	assert_equal "${#lines[@]}" 4
	run --separate-stderr "$VCALL" $VCMD_get_bcaps 7005 -o 16 + $VCMD_get_ccaps 7005 -o 16
	assert_line --index 0 "ret=0 errno=0 data=$(le64 $BCAPS_DEFAULT)ffffffffffffffff"
	assert_line --index 1 "ret=0 errno=0 data=0000000000000000ffffffffffffffff"
}

@test "vattribute --get reads get_ccaps v1, get_bcaps and get_cflags, each structure written whole, by any caller" {
	persistent 7006
	local garbage want_ccaps want_bcaps want_cflags
	garbage=$(repeat a5 16)
	want_ccaps="ret=0 errno=0 data=0000000000000000ffffffffffffffff"
	want_bcaps="ret=0 errno=0 data=$(le64 $BCAPS_DEFAULT)ffffffffffffffff"
	want_cflags="ret=0 errno=0 data=0000000047000000ffffffffffffffff"
	run --separate-stderr "$VCALL" $PROBES + $VCMD_get_ccaps 7006 "$garbage" \
		+ $VCMD_get_bcaps 7006 "$garbage" + $VCMD_get_cflags 7006 "$garbage"
	assert_success
	probe_lines
	assert_line --index 2 "$want_ccaps"
	assert_line --index 3 "$want_bcaps"
	assert_line --index 4 "$want_cflags"
	run --separate-stderr "$VCALL" -3 $VCMD_get_ccaps 7006 "$garbage" \
		+ -3 $VCMD_get_bcaps 7006 "$garbage" + -3 $VCMD_get_cflags 7006 "$garbage"
	assert_line --index 0 "$want_ccaps"
	assert_line --index 1 "$want_bcaps"
	assert_line --index 2 "$want_cflags"
	run --separate-stderr as_nobody "$VCALL" $VCMD_get_ccaps 7006 "$garbage" \
		+ $VCMD_get_bcaps 7006 "$garbage" + $VCMD_get_cflags 7006 "$garbage"
	assert_line --index 0 "$want_ccaps"
	assert_line --index 1 "$want_bcaps"
	assert_line --index 2 "$want_cflags"
}

@test "vlimit -c N --nproc 10 makes set_rlimit with CRLIM_KEEP and garbage in the pad, and the kept soft limit follows the hard one down" {
	persistent 7007
	# id 6, the pad (bytes 4-7) uninitialised, minimum and soft limit
	# kept, maximum 10: 32 bytes
	local arg
	arg=$(hex 06000000 deadbeef feffffffffffffff feffffffffffffff 0a00000000000000)
	run --separate-stderr "$VCALL" $VCMD_set_rlimit 7007 "$arg"
	assert_success
	assert_output "ret=0 errno=0 data=$arg"
	# get_rlimit: minimum CRLIM_UNSET; the soft limit was infinite, above
	# the new hard limit, and is lowered to it (the pad is not compared)
	run --separate-stderr "$VCALL" $VCMD_get_rlimit 7007 "06000000$(repeat 5a 28)"
	assert_output --regexp '^ret=0 errno=0 data=06000000[0-9a-f]{8}00000000000000000a000000000000000a00000000000000$'
}

@test "vlimit built for i386 passes the packed 28-byte set_rlimit through int 0x80" {
	persistent 7008
	local arg
	arg=$(hex 06000000 feffffffffffffff feffffffffffffff 0c00000000000000)
	# The structure ends at an unmapped page: reading 32 bytes would fault
	run --separate-stderr "$VCALL" -3 $VCMD_set_rlimit 7008 "$arg"
	assert_output "ret=0 errno=0 data=$arg"
	run --separate-stderr "$VCALL" -3 $VCMD_get_rlimit 7008 "06000000$(repeat 5a 24)"
	assert_output "ret=0 errno=0 data=$(hex 06000000 0000000000000000 0c00000000000000 0c00000000000000)"
	run --separate-stderr "$VCALL" $VCMD_get_rlimit 7008 "06000000$(repeat 5a 28)"
	assert_output --regexp '^ret=0 errno=0 data=06000000[0-9a-f]{8}00000000000000000c000000000000000c00000000000000$'
}

@test "set_rlimit with a soft limit given above the hard limit fails with EINVAL and changes nothing" {
	persistent 7009
	local inf=ffffffffffffffff keep=feffffffffffffff
	# soft 20 above hard 10 in the same call: a documented difference
	run --separate-stderr "$VCALL" $VCMD_set_rlimit 7009 "$(hex 06000000 00000000 $keep 1400000000000000 0a00000000000000)"
	assert_output --regexp '^ret=-1 errno=EINVAL '
	run --separate-stderr "$VCALL" $VCMD_get_rlimit 7009 06000000 -o 32
	assert_output "ret=0 errno=0 data=$(hex 06000000 00000000 0000000000000000 $inf $inf)"
	# soft 50, hard 100; then hard 30 alone: the soft limit follows it
	run --separate-stderr "$VCALL" $VCMD_set_rlimit 7009 "$(hex 06000000 00000000 $keep 3200000000000000 6400000000000000)" \
		+ $VCMD_set_rlimit 7009 "$(hex 06000000 00000000 $keep $keep 1e00000000000000)" \
		+ $VCMD_get_rlimit 7009 06000000 -o 32
	assert_line --index 0 --regexp '^ret=0 errno=0 '
	assert_line --index 1 --regexp '^ret=0 errno=0 '
	assert_line --index 2 "ret=0 errno=0 data=$(hex 06000000 00000000 0000000000000000 1e00000000000000 1e00000000000000)"
	# a soft limit of 40 alone is above the hard limit of 30
	run --separate-stderr "$VCALL" $VCMD_set_rlimit 7009 "$(hex 06000000 00000000 $keep 2800000000000000 $keep)"
	assert_output --regexp '^ret=-1 errno=EINVAL '
}

@test "vlimit -c N -a reads get_rlimit_mask, then get_rlimit for each id in the mask" {
	persistent 7010
	local mask data ids= i id calls=()
	run --separate-stderr "$VCALL" $VCMD_get_rlimit_mask 7010 "$(repeat a5 12)"
	# no minimum; soft and hard limits of NPROC, NOFILE, MSGQUEUE, NSOCK,
	# SHMEM, SEMARY and NSEMS (the resources this kernel counts)
	assert_output "ret=0 errno=0 data=00000000c0103900c0103900"
	data=$(data_of "$output")
	mask=$(($(le_at "$data" 0 4) | $(le_at "$data" 4 4) | $(le_at "$data" 8 4)))
	for ((i = 0; i < 32; i++)); do
		(( mask & (1 << i) )) || continue
		ids+=" $i"
		[ ${#calls[@]} -eq 0 ] || calls+=(+)
		calls+=($VCMD_get_rlimit 7010 "$(le32 $i)$(repeat 5a 28)")
	done
	assert_equal "$ids" " 6 7 12 16 19 20 21"
	run --separate-stderr "$VCALL" "${calls[@]}"
	assert_success
	assert_equal "${#lines[@]}" 7
	i=0
	for id in $ids; do
		assert_line --index $i --regexp "^ret=0 errno=0 data=$(le32 "$id")[0-9a-f]{8}0000000000000000ffffffffffffffffffffffffffffffff\$"
		i=$((i + 1))
	done
	# An id outside the mask
	run --separate-stderr "$VCALL" $VCMD_get_rlimit 7010 "$(le32 5)$(repeat 5a 28)"
	assert_output "ret=-1 errno=EINVAL data=$(le32 5)$(repeat 5a 28)"
}

@test "vuname --set -t nodename=x makes set_vhi_name for field 2, with garbage after the name" {
	persistent 7011
	local arg
	# "x", its NUL, then what was on util-vserver's stack
	arg=$(hex 02000000 7800 "$(repeat c3 63)" c3c3c3)
	run --separate-stderr "$VCALL" $VCMD_set_vhi_name 7011 "$arg"
	assert_output "ret=0 errno=0 data=$arg"
	run --separate-stderr "$VCALL" $VCMD_get_vhi_name 7011 "02000000$(repeat a5 68)"
	assert_output "ret=0 errno=0 data=02000000$(name65 x)000000"
	# A task of the context sees it; the host does not
	run --separate-stderr "$VCALL" $VCMD_ctx_migrate 7011 0000000000000000 -- uname -n
	assert_line --index 1 x
	run uname -n
	refute_output x
}

@test "vuname --xid N makes seven get_vhi_name calls, fields 0 to 6, each written whole" {
	persistent 7012
	local calls=() i want garbage
	run --separate-stderr "$VCALL" $VCMD_set_vhi_name 7012 "00000000$(name65 guest7012)000000"
	assert_output --regexp '^ret=0 errno=0 '
	garbage=$(repeat a5 68)
	for i in 0 1 2 3 4 5 6; do
		[ $i -eq 0 ] || calls+=(+)
		calls+=($VCMD_get_vhi_name 7012 "0${i}000000$garbage")
	done
	run --separate-stderr "$VCALL" "${calls[@]}"
	assert_success
	assert_equal "${#lines[@]}" 7
	# The context's UTS namespace began as a copy of its creator's
	want=(guest7012 "$(cat /proc/sys/kernel/ostype)" "$(cat /proc/sys/kernel/hostname)"
	      "$(cat /proc/sys/kernel/osrelease)" "$(cat /proc/sys/kernel/version)"
	      "$(uname -m)" "$(cat /proc/sys/kernel/domainname)")
	for i in 0 1 2 3 4 5 6; do
		assert_line --index $i "ret=0 errno=0 data=0${i}000000$(name65 "${want[i]}")000000"
	done
	run --separate-stderr "$VCALL" $VCMD_get_vhi_name 7012 "07000000$(repeat a5 68)"
	assert_output "ret=-1 errno=EINVAL data=07000000$(repeat a5 68)"
}

@test "vkill --xid N -s 15 makes ctx_kill {0, 15}, which ends every task of the context" {
	# vcontext --create --xid 7013 -- sleep 1000, and a second task
	start_bg $PROBES + $VCMD_ctx_create 7013 0000000007000000
	local first=$pid rc=0
	start_in 7013
	[ "$(tasks_of 7013)" -eq 2 ]
	run --separate-stderr "$VCALL" $VCMD_ctx_kill 7013 00000000.0f000000
	assert_output "ret=0 errno=0 data=000000000f000000"
	wait "$first" || rc=$?
	assert_equal "$rc" 143
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	poll 50 no_context 7013
	run --separate-stderr "$VCALL" $VCMD_ctx_kill 7013 00000000.0f000000
	assert_output "ret=-1 errno=ESRCH data=000000000f000000"
}

@test "vwait N makes wait_exit, which returns when the last task of the context exits" {
	start_bg $VCMD_ctx_create 7014 0000000007000000
	local waiter out="$BATS_TEST_TMPDIR/wait"
	"$VCALL" $VCMD_wait_exit 7014 a5a5a5a5a5a5a5a5 > "$out" 2>&1 3>&- &
	waiter=$!
	bg_pids+=("$waiter")
	sleep 1
	# Still waiting while the context has a task
	kill -0 "$waiter"
	kill -9 "$pid"
	wait "$waiter"
	# reboot_cmd 0; util-vserver ignores both fields
	run cat "$out"
	assert_output --regexp '^ret=0 errno=0 data=00000000[0-9a-f]{8}$'
	no_context 7014
}

@test "vwait for a missing context fails with ESRCH and leaves the structure alone" {
	run --separate-stderr "$VCALL" $VCMD_wait_exit 7015 a5a5a5a5a5a5a5a5
	assert_output "ret=-1 errno=ESRCH data=a5a5a5a5a5a5a5a5"
	run --separate-stderr "$VCALL" -3 $VCMD_wait_exit 7015 a5a5a5a5a5a5a5a5
	assert_output "ret=-1 errno=ESRCH data=a5a5a5a5a5a5a5a5"
}

@test "get_space_mask v1, get_space_mask_v0 and get_space_default answer any caller through both entries" {
	local g calls want
	g=$(repeat a5 8)
	calls="$VCMD_get_space_mask 0 $g + $VCMD_get_space_mask_v0 0 $g + $VCMD_get_space_default 0 $g"
	calls+=" + -3 $VCMD_get_space_mask 0 $g + -3 $VCMD_get_space_mask_v0 0 $g + -3 $VCMD_get_space_default 0 $g"
	# FS|NS|UTS|IPC|USER|PID|NET; without PID and NET; FS|NS|UTS|IPC
	want=(0002027c00000000 0002021c00000000 0002020c00000000)
	run --separate-stderr "$VCALL" $calls
	assert_success
	for i in 0 1 2 3 4 5; do
		assert_line --index $i "ret=0 errno=0 data=${want[i % 3]}"
	done
	run --separate-stderr as_nobody "$VCALL" $calls
	for i in 0 1 2 3 4 5; do
		assert_line --index $i "ret=0 errno=0 data=${want[i % 3]}"
	done
	run --separate-stderr "$VCALL" $VCMD_ctx_create 7016 0000000007000000 + $calls
	assert_line --index 0 "ret=7016 errno=0 data=0000000007000000"
	for i in 0 1 2 3 4 5; do
		assert_line --index $((i + 1)) "ret=0 errno=0 data=${want[i % 3]}"
	done
}

@test "set_space v2 from the host stores the caller's namespaces, and enter_space v2 joins them" {
	persistent 7017
	local t=$BATS_TEST_TMPDIR mask
	mask=$((CLONE_NEWUTS | CLONE_NEWNS | CLONE_FS))
	# The pad of the structure is not looked at
	run --separate-stderr unshare -u -m sh -c "hostname space7017 &&
		readlink /proc/self/ns/uts > $t/uts && readlink /proc/self/ns/mnt > $t/mnt &&
		cd /tmp && exec $VCALL $VCMD_set_space 7017 $(le64 $mask)00000000deadbeef"
	assert_output "ret=0 errno=0 data=$(le64 $mask)00000000deadbeef"
	[ "$(readlink /proc/self/ns/uts)" != "$(cat "$t/uts")" ]
	# mask 0: everything stored in space 0
	run --separate-stderr "$VCALL" $VCMD_enter_space 7017 "$(le64 0)00000000deadbeef" -- \
		sh -c 'readlink /proc/self/ns/uts; readlink /proc/self/ns/mnt; hostname; pwd'
	assert_success
	assert_line --index 0 "ret=0 errno=0 data=$(le64 0)00000000deadbeef"
	assert_line --index 1 "$(cat "$t/uts")"
	assert_line --index 2 "$(cat "$t/mnt")"
	assert_line --index 3 space7017
	assert_line --index 4 /tmp
	# The host is where it was
	run hostname
	refute_output space7017
}

@test "set_space and enter_space v2 through int 0x80 read a 12-byte structure" {
	persistent 7018
	local arg
	arg=$(le64 $CLONE_NEWUTS)00000000
	# The structure ends at an unmapped page: reading 16 bytes would fault
	run --separate-stderr unshare -u sh -c "hostname space7018 && exec $VCALL -3 $VCMD_set_space 7018 $arg"
	assert_output "ret=0 errno=0 data=$arg"
	run --separate-stderr "$VCALL" -3 $VCMD_enter_space 7018 "$arg" -- hostname
	assert_line --index 0 "ret=0 errno=0 data=$arg"
	assert_line --index 1 space7018
}

@test "set_space v1 and enter_space v1 and v0 work on space 0, set_space v2 and enter_space v2 on either" {
	persistent 7019
	local uts
	uts=$(le64 $CLONE_NEWUTS)
	run --separate-stderr unshare -u sh -c "hostname zero7019 && exec $VCALL $VCMD_set_space_v1 7019 $uts"
	assert_output "ret=0 errno=0 data=$uts"
	run --separate-stderr unshare -u sh -c "hostname one7019 && exec $VCALL $VCMD_set_space 7019 ${uts}01000000a5a5a5a5"
	assert_output "ret=0 errno=0 data=${uts}01000000a5a5a5a5"
	run --separate-stderr "$VCALL" $VCMD_enter_space_v1 7019 "$uts" -- hostname
	assert_output "$(printf 'ret=0 errno=0 data=%s\nzero7019' "$uts")"
	run --separate-stderr "$VCALL" $VCMD_enter_space_v0 7019 -- hostname
	assert_output "$(printf 'ret=0 errno=0\nzero7019')"
	run --separate-stderr "$VCALL" $VCMD_enter_space 7019 "$(le64 0)0100000000000000" -- hostname
	assert_line --index 1 one7019
	run --separate-stderr "$VCALL" -3 $VCMD_enter_space 7019 "$(le64 0)00000000" -- hostname
	assert_line --index 1 zero7019
}

@test "set_space and enter_space refuse an index of 2 or more and a mask they cannot hold with EINVAL" {
	persistent 7020
	local arg
	for arg in "$(le64 $CLONE_NEWUTS)0200000000000000" "$(le64 $CLONE_NEWUTS)ffffffff00000000" \
		   "$(le64 0x100)0000000000000000" "$(le64 0x80000000)0000000000000000" \
		   "$(le64 $((1 << 32)))0000000000000000"; do
		run --separate-stderr "$VCALL" $VCMD_set_space 7020 "$arg"
		assert_output "ret=-1 errno=EINVAL data=$arg"
	done
	run --separate-stderr "$VCALL" $VCMD_set_space_v1 7020 "$(le64 0x100)"
	assert_output "ret=-1 errno=EINVAL data=$(le64 0x100)"
	# Space 0 holds the host's UTS namespace; nothing else is stored
	run --separate-stderr "$VCALL" $VCMD_set_space 7020 "$(le64 $CLONE_NEWUTS)0000000000000000"
	assert_output --regexp '^ret=0 errno=0 '
	for arg in "$(le64 $CLONE_NEWIPC)0000000000000000" "$(le64 0)0200000000000000" \
		   "$(le64 $((CLONE_NEWUTS | CLONE_NEWNS)))0000000000000000"; do
		run --separate-stderr "$VCALL" $VCMD_enter_space 7020 "$arg"
		assert_output "ret=-1 errno=EINVAL data=$arg"
	done
	run --separate-stderr "$VCALL" $VCMD_enter_space_v1 7020 "$(le64 $CLONE_NEWIPC)"
	assert_output "ret=-1 errno=EINVAL data=$(le64 $CLONE_NEWIPC)"
	run --separate-stderr "$VCALL" $VCMD_enter_space 7020 "$(le64 $CLONE_NEWUTS)0000000000000000"
	assert_output --regexp '^ret=0 errno=0 '
}

@test "A context stores its own space during setup, but not after" {
	local t=$BATS_TEST_TMPDIR ns flags
	ns=$(le64 $CLONE_NEWNS)
	flags=$(le64 $((VXF_ONE_TIME | VXF_PERSISTENT)))
	# The creator, in a mount namespace of its own, configures its context
	# before it ends the setup, as vserver ... start does
	run --separate-stderr unshare -m sh -c "readlink /proc/self/ns/mnt > $t/mnt &&
		exec $VCALL $VCMD_ctx_create 7021 $flags + $VCMD_set_space 7021 ${ns}0000000000000000 \
		+ $VCMD_set_cflags 7021 $(le64 0)$(le64 $VXF_STATE_SETUP) \
		+ $VCMD_set_space 7021 ${ns}0100000000000000"
	assert_line --index 0 "ret=7021 errno=0 data=$flags"
	assert_line --index 1 "ret=0 errno=0 data=${ns}0000000000000000"
	assert_line --index 2 --regexp '^ret=0 errno=0 '
	assert_line --index 3 "ret=-1 errno=EPERM data=${ns}0100000000000000"
	run --separate-stderr "$VCALL" $VCMD_enter_space 7021 "$(le64 0)0000000000000000" -- readlink /proc/self/ns/mnt
	assert_line --index 0 --regexp '^ret=0 errno=0 '
	assert_line --index 1 "$(cat "$t/mnt")"
	[ "$(readlink /proc/self/ns/mnt)" != "$(cat "$t/mnt")" ]
}

@test "enter_space is for the host's administrator only, set_space for it and the context in setup" {
	persistent 7022
	local arg
	arg=$(le64 $CLONE_NEWUTS)0000000000000000
	run --separate-stderr "$VCALL" $VCMD_set_space 7022 "$arg"
	assert_output --regexp '^ret=0 errno=0 '
	run --separate-stderr as_nobody "$VCALL" $VCMD_enter_space 7022 "$arg"
	assert_output "ret=-1 errno=EPERM data=$arg"
	run --separate-stderr as_nobody "$VCALL" $VCMD_set_space 7022 "$arg"
	assert_output "ret=-1 errno=EPERM data=$arg"
	run --separate-stderr as_nobody "$VCALL" $VCMD_enter_space_v0 7022
	assert_output "ret=-1 errno=EPERM"
	# From inside the context, even in setup
	run --separate-stderr "$VCALL" $VCMD_ctx_migrate 7022 0000000000000000 \
		+ $VCMD_enter_space 7022 "$arg" + $VCMD_enter_space_v1 7022 "$(le64 0)"
	assert_line --index 0 --regexp '^ret=0 errno=0 '
	assert_line --index 1 "ret=-1 errno=EPERM data=$arg"
}

@test "enter_space into a private context past its setup fails with EACCES" {
	persistent 7023 $VXF_INFO_PRIVATE
	local arg
	arg=$(le64 $CLONE_NEWUTS)0000000000000000
	run --separate-stderr "$VCALL" $VCMD_set_space 7023 "$arg"
	assert_output --regexp '^ret=0 errno=0 '
	# In setup, private does not keep the host out
	run --separate-stderr "$VCALL" $VCMD_enter_space 7023 "$arg"
	assert_output "ret=0 errno=0 data=$arg"
	end_setup 7023
	run --separate-stderr "$VCALL" $VCMD_enter_space 7023 "$arg"
	assert_output "ret=-1 errno=EACCES data=$arg"
	run --separate-stderr "$VCALL" $VCMD_enter_space_v1 7023 "$(le64 0)"
	assert_output "ret=-1 errno=EACCES data=$(le64 0)"
	run --separate-stderr "$VCALL" $VCMD_enter_space_v0 7023
	assert_output "ret=-1 errno=EACCES"
	run --separate-stderr "$VCALL" -3 $VCMD_enter_space 7023 "$(le64 0)00000000"
	assert_output "ret=-1 errno=EACCES data=$(le64 0)00000000"
}

@test "The historic command words this kernel does not have answer EOPNOTSUPP" {
	persistent 7024
	local w g
	g=$(repeat a5 24)
	# ctx_create "v2", ctx_migrate "v2", get/set_ccaps_v0, get/set_wmask,
	# cleanup_namespace, set_space_v0, get/set_pflags, new_s_context
	for w in 0x09010002 0x0B010002 0x34030000 0x34040000 0x340F0000 0x34100000 \
		 0x0A020000 0x0A030000 0x0A050000 0x0A060000 0x3F010001; do
		run --separate-stderr "$VCALL" $w 7024 "$g"
		assert_output "ret=-1 errno=EOPNOTSUPP data=$g"
		run --separate-stderr "$VCALL" -3 $w 7024 -
		assert_output "ret=-1 errno=EOPNOTSUPP"
	done
	[ "$(tasks_of 7024)" -eq 0 ]
}

@test "virt_stat counts the tasks and the forks of a context and its uptime since creation" {
	persistent 7025
	local d1 d2 host_ns
	run --separate-stderr "$VCALL" $VCMD_virt_stat 7025 "$(repeat a5 48)"
	assert_output --regexp '^ret=0 errno=0 data=[0-9a-f]{96}$'
	d1=$(data_of "$output")
	# offset 0 without VXF_VIRT_UPTIME; no tasks, no forks, no load
	assert_equal "${d1:0:16}" 0000000000000000
	assert_equal "${d1:32}" "$(repeat 00 32)"
	host_ns=$(boottime_ns)
	(( $(le_at "$d1" 8 8) > 0 && $(le_at "$d1" 8 8) < host_ns + 1000000000 ))

	# A task enters (no fork inside); a shell inside forks twice
	start_in 7025
	run --separate-stderr "$VCALL" $VCMD_ctx_migrate 7025 0000000000000000 -- \
		sh -c 'sleep 0 & sleep 0 & wait'
	assert_success
	run --separate-stderr "$VCALL" $VCMD_virt_stat 7025 "$(repeat a5 48)"
	d2=$(data_of "$output")
	(( $(le_at "$d2" 8 8) > $(le_at "$d1" 8 8) ))
	assert_equal "${d2:0:16}" 0000000000000000
	# nr_threads 1, the sleeper; none running or in D; 2 forks
	assert_equal "${d2:32}" "$(hex 01000000 00000000 00000000 00000000 02000000 000000000000000000000000)"
}

@test "virt_stat of a context with VXF_VIRT_UPTIME has its creation as offset" {
	persistent 7026 $VXF_VIRT_UPTIME
	local d offset uptime host_ns
	run --separate-stderr "$VCALL" $VCMD_virt_stat 7026 "$(repeat a5 48)"
	assert_output --regexp '^ret=0 errno=0 data=[0-9a-f]{96}$'
	d=$(data_of "$output")
	offset=$(le_at "$d" 0 8)
	uptime=$(le_at "$d" 8 8)
	host_ns=$(boottime_ns)
	# offset + uptime is the host's boot time now, within 5 s
	(( offset > 0 && offset + uptime > host_ns - 5000000000 &&
	   offset + uptime < host_ns + 5000000000 ))
}

@test "set_badness stores the bias, and the tasks of the context get it, clamped, as oom_score_adj" {
	persistent 7027
	local first
	start_in 7027
	first=$pid
	run --separate-stderr "$VCALL" $VCMD_get_badness 7027 a5a5a5a5a5a5a5a5
	assert_output "ret=0 errno=0 data=0000000000000000"
	run --separate-stderr "$VCALL" $VCMD_set_badness 7027 f401000000000000 + $VCMD_get_badness 7027 -o 8
	assert_line --index 0 "ret=0 errno=0 data=f401000000000000"
	assert_line --index 1 "ret=0 errno=0 data=f401000000000000"
	assert_equal "$(cat /proc/$first/oom_score_adj)" 500
	# -5000 is stored as it is, and clamped to -1000 for the tasks
	run --separate-stderr "$VCALL" $VCMD_set_badness 7027 "$(le64 -5000)" + -3 $VCMD_get_badness 7027 -o 8
	assert_line --index 0 "ret=0 errno=0 data=78ecffffffffffff"
	assert_line --index 1 "ret=0 errno=0 data=78ecffffffffffff"
	assert_equal "$(cat /proc/$first/oom_score_adj)" -1000
	run --separate-stderr "$VCALL" -3 $VCMD_set_badness 7027 "$(le64 5000)"
	assert_output "ret=0 errno=0 data=8813000000000000"
	assert_equal "$(cat /proc/$first/oom_score_adj)" 1000
	# A task that enters later gets it too
	start_in 7027
	assert_equal "$(cat /proc/$pid/oom_score_adj)" 1000
	run --separate-stderr as_nobody "$VCALL" $VCMD_set_badness 7027 "$(le64 0)"
	assert_output "ret=-1 errno=EPERM data=0000000000000000"
	run --separate-stderr "$VCALL" $VCMD_get_badness 7099 -o 8
	assert_output "ret=-1 errno=ESRCH data=0000000000000000"
}

@test "sethostname in a context works with CAP_SYS_ADMIN in its ceiling and no VXC_SET_UTSNAME, and fails with neither" {
	local sysadmin
	sysadmin=$(le64 $CAP_SYS_ADMIN_BIT)
	# The creator raises the ceiling during setup, then runs hostname
	run --separate-stderr "$VCALL" $VCMD_ctx_create 7028 0000000007000000 \
		+ $VCMD_set_bcaps 7028 "$sysadmin$sysadmin" + $VCMD_get_ccaps 7028 -o 16 -- \
		sh -c 'hostname h7028 && hostname'
	assert_success
	assert_line --index 1 --regexp '^ret=0 errno=0 '
	assert_line --index 2 "ret=0 errno=0 data=0000000000000000ffffffffffffffff"
	assert_line --index 3 h7028
	run --separate-stderr "$VCALL" $VCMD_ctx_create 7029 0000000007000000 -- hostname h7029
	assert_failure
	assert_line --index 0 "ret=7029 errno=0 data=0000000007000000"
	[[ "$stderr" == *"Operation not permitted"* ]]
	run hostname
	refute_output h7028
	refute_output h7029
}
