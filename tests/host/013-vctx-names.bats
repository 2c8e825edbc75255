#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Names that root in a context may set, shown by vctx: the context's own
# name, the uname fields and the command names of its processes may hold
# any byte.  Text output escapes what is not printable UTF-8 (and the
# backslash) as \xHH; JSON output escapes it as JSON does, and stays
# valid JSON whatever the bytes.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

# Contexts 2 to 7 are named with an escape sequence, a newline, a tab, a
# backslash, a DEL and UTF-8 text.  The UTF-8 name takes 6 columns but 9
# bytes: the widest name shown takes 8 columns.
setup() {
	require_vctx
	use_fake_vserver
	fake_contexts "2:"$'\e[2Jx'":1:0:0" "3:"$'a\nb'":1:0:0" \
		"4:"$'a\tb'":1:0:0" '5:a\b:1:0:0' "6:"$'a\x7fb'":1:0:0" \
		'7:café-€:1:0:0'
}

require_jq() {
	command -v jq >/dev/null || skip 'jq is not installed'
}

# The last output holds no control character but its line ends
refute_control_characters() {
	local raw
	raw="$(tr -d '\n' <<<"$output" | LC_ALL=C tr -d -c '\000-\037\177' | od -An -tx1)"
	assert_equal "$raw" ''
}

@test "vctx list shows names escaped, in a column as wide as they are shown" {
	run --separate-stderr "$VCTX" list
	assert_success
	assert_output "$(cat <<-'END'
		  XID NAME     TASKS INITPID FLAGS
		    2 \x1b[2Jx     1       0 none
		    3 a\x0ab       1       0 none
		    4 a\x09b       1       0 none
		    5 a\x5cb       1       0 none
		    6 a\x7fb       1       0 none
		    7 café-€       1       0 none
		END
	)"
	refute_control_characters
	assert_equal "$stderr" ''
}

@test "vctx list --json escapes control characters as JSON does" {
	run --separate-stderr "$VCTX" list --json
	assert_success
	assert_output '{"contexts":[{"xid":2,"name":"\u001b[2Jx","tasks":1,"initpid":0,"flags":[],"flagword":0},{"xid":3,"name":"a\nb","tasks":1,"initpid":0,"flags":[],"flagword":0},{"xid":4,"name":"a\tb","tasks":1,"initpid":0,"flags":[],"flagword":0},{"xid":5,"name":"a\\b","tasks":1,"initpid":0,"flags":[],"flagword":0},{"xid":6,"name":"a\u007fb","tasks":1,"initpid":0,"flags":[],"flagword":0},{"xid":7,"name":"café-€","tasks":1,"initpid":0,"flags":[],"flagword":0}]}'
	refute_control_characters
}

@test "vctx list --json gives back the names byte for byte" {
	require_jq
	run --separate-stderr "$VCTX" list --json
	assert_success
	run jq -e '[.contexts[].name] ==
		   ["\u001b[2Jx", "a\nb", "a\tb", "a\\b", "a\u007fb", "café-€"]' <<<"$output"
	assert_success
}

@test "vctx list shows bytes that are not UTF-8, and C1 controls, escaped" {
	fake_contexts "8:"$'a\xffb'":0:0:0" "9:"$'\xc2\x9b''1m:0:0:0' \
		"10:"$'\xe2\x82'":0:0:0"
	run --separate-stderr "$VCTX" list --noheadings
	assert_success
	assert_output "$(cat <<-'END'
		    8 a\xffb         0       0 none
		    9 \xc2\x9b1m     0       0 none
		   10 \xe2\x82       0       0 none
		END
	)"
	refute_control_characters
	run --separate-stderr "$VCTX" list --json
	assert_success
	assert_output --partial '"name":"a\ufffdb"'
	assert_output --partial '"name":"\u009b1m"'
	assert_output --partial '"name":"\ufffd\ufffd"'
	if command -v jq >/dev/null; then
		run jq -e '[.contexts[].name] == ["a\ufffdb", "\u009b1m", "\ufffd\ufffd"]' <<<"$output"
		assert_success
	fi
}

@test "vctx info and vctx whoami show the name escaped" {
	run --separate-stderr "$VCTX" info 2
	assert_success
	assert_line --index 1 'name:      \x1b[2Jx'
	refute_control_characters
	run --separate-stderr "$VCTX" info 2 --json
	assert_success
	assert_output --partial '"name":"\u001b[2Jx"'
	FAKE_VSERVER_TASK_XIDS=0:3 run --separate-stderr "$VCTX" whoami
	assert_success
	assert_output "$(printf 'xid:   3\nname:  a\\x0ab')"
	FAKE_VSERVER_TASK_XIDS=0:3 run --separate-stderr "$VCTX" whoami --json
	assert_success
	assert_output '{"xid":3,"name":"a\nb"}'
}

@test "vctx uname shows the names and the uname fields escaped" {
	export FAKE_VSERVER_UTS_NODENAME=$'h\e]0;x\a'
	export FAKE_VSERVER_UTS_DOMAINNAME='dom\ain-ä'
	run --separate-stderr "$VCTX" uname 4
	assert_success
	assert_output "$(cat <<-'END'
		context:    a\x09b
		sysname:    Linux
		nodename:   h\x1b]0;x\x07
		release:    6.12.0-vserver
		version:    #1 SMP PREEMPT_DYNAMIC
		machine:    x86_64
		domainname: dom\x5cain-ä
		END
	)"
	refute_control_characters
	run --separate-stderr "$VCTX" uname 4 --json
	assert_success
	assert_output '{"xid":4,"context":"a\tb","sysname":"Linux","nodename":"h\u001b]0;x\u0007","release":"6.12.0-vserver","version":"#1 SMP PREEMPT_DYNAMIC","machine":"x86_64","domainname":"dom\\ain-ä"}'
}

@test "vctx ps shows command names escaped" {
	local prog=$'s\e[1mp' pid
	cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/$prog"
	"$BATS_TEST_TMPDIR/$prog" 30 &
	pid=$!
	# The name is the kernel's once the program runs
	while [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$prog" ]]; do
		sleep 0.1
	done
	FAKE_VSERVER_TASK_XIDS="$pid:6" run --separate-stderr "$VCTX" ps 6 --noheadings
	local text_status=$status text_output=$output
	FAKE_VSERVER_TASK_XIDS="$pid:6" run --separate-stderr "$VCTX" ps 6 --json
	kill "$pid"
	wait "$pid" || true
	assert_success
	assert_output "{\"processes\":[{\"pid\":$pid,\"xid\":6,\"command\":\"s\\u001b[1mp\"}]}"
	assert_equal "$text_status" 0
	assert_equal "$text_output" "$(printf '%7d %5d %s' "$pid" 6 's\x1b[1mp')"
}
