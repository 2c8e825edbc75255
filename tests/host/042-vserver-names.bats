#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Names vserver shows that it does not choose: the host name of a guest,
# which root in the running guest may set, and the name of a context that
# holds a guest's id.  Text output escapes what is not printable UTF-8
# (and the backslash) as \xHH; JSON output escapes it as JSON does.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vserver_tool
	use_guest_dirs
	run "$VSERVER" web build -m skeleton --context 42
	assert_success
}

# A kernel with no context but those given (see fake_contexts)
fake_kernel() {
	use_fake_vserver
	fake_contexts "$@"
}

# The last output holds no control character but its line ends
refute_control_characters() {
	local raw
	raw="$(tr -d '\n' <<<"$output" | LC_ALL=C tr -d -c '\000-\037\177' | od -An -tx1)"
	assert_equal "$raw" ''
}

@test "vserver status shows the host name of a running guest escaped" {
	fake_kernel "42:web:3:41:0"
	export FAKE_VSERVER_UTS_NODENAME=$'h\e[8m\n\t\\\x7fé'
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line 'hostname:  h\x1b[8m\x0a\x09\x5c\x7fé'
	refute_control_characters
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output --partial '"hostname":"h\u001b[8m\n\t\\\u007fé"'
	refute_control_characters
	if command -v jq >/dev/null; then
		run jq -e '.hostname == "h\u001b[8m\n\t\\\u007fé"' <<<"$output"
		assert_success
	fi
}

@test "vserver status shows the configured host name of a stopped guest escaped" {
	printf 'www\e[1m\tx\\y\x7f€\n' >"$CONF/web/uts/nodename"
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_output "$(cat <<-END
		name:      web
		state:     stopped
		xid:       42
		root:      $ROOTS/web
		hostname:  www\\x1b[1m\\x09x\\x5cy\\x7f€
		END
	)"
	refute_control_characters
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output '{"name":"web","state":"stopped","xid":42,"nid":null,"root":"'"$ROOTS"'/web","hostname":"www\u001b[1m\tx\\y\u007f€","initpid":null,"tasks":null,"uptime":null,"limits":[],"addresses":[]}'
}

@test "A context that holds a guest's id is named escaped in messages" {
	fake_kernel "42:"$'db\e[2J\n\\x'":3:41:0"
	run --separate-stderr "$VSERVER" web stop
	assert_failure 4
	assert_output ''
	assert_stderr "vserver: guest 'web' is not running (context 42 is another context, 'db\\x1b[2J\\x0a\\x5cx')"
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "vserver: context 42 of guest 'web' is taken by another context ('db\\x1b[2J\\x0a\\x5cx')"
}

@test "vserver list shows a guest whose id another context holds as stopped, in both forms" {
	fake_kernel "42:"$'db\e[2J\tx'":3:41:0"
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(printf 'NAME   XID STATE   TASKS ADDRESSES\nweb     42 stopped     - -')"
	refute_control_characters
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":null,"addresses":[]}]}'
}

@test "vserver list leaves out directories whose names hold control characters" {
	mkdir "$CONF/"$'we\e[2Jb' "$CONF/"$'a\nb' "$CONF/"$'a\tb' \
		"$CONF/"'a\b' "$CONF/"$'a\x7fb' "$CONF/café"
	fake_kernel
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(printf 'NAME   XID STATE   TASKS ADDRESSES\nweb     42 stopped     - -')"
	assert_equal "$stderr" ''
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":null,"addresses":[]}]}'
}

@test "vserver list --json escapes control characters in the error of a broken guest" {
	run "$VSERVER" mail build -m skeleton --context 43
	printf 'x\e[2J\ty\\\x7f\n' >"$CONF/mail/context"
	fake_kernel
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_line 'mail     - invalid     - -'
	refute_control_characters
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"mail","xid":null,"state":"invalid","tasks":null,"nid":null,"addresses":null,"error":"'"$CONF"'/mail/context: invalid context id '"'x\\u001b[2J\\ty\\\\\\u007f'"'"},{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":null,"addresses":[]}]}'
	refute_control_characters
	if command -v jq >/dev/null; then
		run jq -e '.guests[0].error | endswith("'"'x\\u001b[2J\\ty\\\\\\u007f'"'")' <<<"$output"
		assert_success
	fi
}
