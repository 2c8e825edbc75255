#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Command line handling of the context commands: their help texts and the
# usage errors caught before the kernel is asked.  The fake vserver shim
# is preloaded, with a kernel that has no contexts, so that no test here
# depends on the running kernel.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vctx
	use_fake_vserver
	fake_contexts
}

# assert_help COMMAND SYNOPSIS: "vctx COMMAND --help" prints its usage
assert_help() {
	run --separate-stderr "$VCTX" "$1" --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 " vctx $1 $2"
	assert_line --regexp '^ -h, --help +display this help$'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
	assert_calls
}

# assert_usage_error COMMAND MESSAGE: the last run failed with MESSAGE and
# the "Try" line of COMMAND
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $2" "Try 'vctx $1 --help' for more information."
}

@test "vctx --help lists every command with its summary" {
	run --separate-stderr "$VCTX" --help
	assert_success
	assert_line --regexp '^ caps +show or change the capabilities of a context$'
	assert_line --regexp '^ create +create a context and run a command in it$'
	assert_line --regexp '^ enter +run a command in an existing context$'
	assert_line --regexp '^ flags +show or change the flags of a context$'
	assert_line --regexp '^ info +show the details of a context$'
	assert_line --regexp '^ kill +send a signal to the processes of a context$'
	assert_line --regexp '^ list +list the contexts$'
	assert_line --regexp '^ ps +list processes with their contexts$'
	assert_line --regexp '^ uname +show or change the names of a context$'
	assert_line --regexp '^ wait +wait until a context is gone$'
	assert_line --regexp '^ whoami +show the context of the calling process$'
}

@test "vctx create --help prints its usage and the flag names" {
	assert_help create '[options] [--] [<command> [<argument>...]]'
	assert_line ' -x, --xid <xid>        the id of the new context (default: a free one)'
	assert_line ' -p, --persistent       keep the context after its last process exits'
	assert_line ' state_setup (setup)'
	assert_line ' persistent'
}

@test "vctx enter --help prints its usage" {
	assert_help enter '[options] <xid>|<name> [--] <command> [<argument>...]'
}

@test "vctx flags --help prints its usage and the flag names" {
	assert_help flags '[options] <xid>|<name>'
	assert_line ' -s, --set <list>   set the flags named in list, clear those prefixed with ~'
	assert_line ' private'
	assert_line ' state_admin (admin)'
}

@test "vctx info --help prints its usage" {
	assert_help info '[options] <xid>|<name>'
	assert_line ' -J, --json         print one JSON object on one line'
}

@test "vctx kill --help prints its usage" {
	assert_help kill '[options] <xid>|<name>'
	assert_line ' -s, --signal <signal>  the signal, by name or number (default: TERM)'
}

@test "vctx list --help prints its usage" {
	assert_help list '[options]'
	assert_line " -n, --noheadings   don't print headings"
}

@test "vctx ps --help prints its usage" {
	assert_help ps '[options] [<xid>|<name>]'
}

@test "vctx wait --help prints its usage" {
	assert_help wait '[options] <xid>|<name>'
	assert_line ' -t, --timeout <seconds>  give up after this long (exit status 2)'
}

@test "vctx whoami --help prints its usage" {
	assert_help whoami '[options]'
}

@test "Try to run the context commands without a context" {
	local cmd
	for cmd in caps enter flags info kill uname wait; do
		run --separate-stderr "$VCTX" "$cmd"
		assert_usage_error "$cmd" 'no context specified'
	done
	assert_calls
}

@test "Try to name a context by an id out of range" {
	local cmd
	for cmd in caps flags info kill uname wait; do
		run --separate-stderr "$VCTX" "$cmd" 70000
		assert_usage_error "$cmd" "invalid context id '70000'"
	done
	run --separate-stderr "$VCTX" enter 70000 true
	assert_usage_error enter "invalid context id '70000'"
	assert_calls
}

@test "Try to name a context by something that is neither an id nor a name" {
	run --separate-stderr "$VCTX" info 12abc
	assert_usage_error info "invalid context id '12abc'"
	run --separate-stderr "$VCTX" kill ''
	assert_usage_error kill "invalid context id ''"
}

@test "Try to name the host or the spectator where only real contexts fit" {
	run --separate-stderr "$VCTX" info 0
	assert_usage_error info "invalid context id '0'"
	run --separate-stderr "$VCTX" kill 1
	assert_usage_error kill "invalid context id '1'"
	run --separate-stderr "$VCTX" enter 0 true
	assert_usage_error enter "invalid context id '0'"
}

@test "Try to create a context with an id out of range" {
	run --separate-stderr "$VCTX" create --xid 1 true
	assert_usage_error create "invalid context id '1'"
	run --separate-stderr "$VCTX" create --xid 65536 true
	assert_usage_error create "invalid context id '65536'"
	assert_calls
}

@test "Try to create a context with an unknown flag" {
	run --separate-stderr "$VCTX" create --flags private,xyz true
	assert_usage_error create "unknown flag 'xyz'"
	assert_calls
}

@test "Try to create a context with a name that looks like an id or is too long" {
	run --separate-stderr "$VCTX" create --name 42web true
	assert_usage_error create "invalid context name '42web'"
	local long
	long="$(printf 'n%.0s' {1..65})"
	run --separate-stderr "$VCTX" create --name "$long" true
	assert_usage_error create "context name '$long' is longer than 64 characters"
	assert_calls
}

@test "Try to set an unknown flag" {
	run --separate-stderr "$VCTX" flags 42 --set '~private,!xyz'
	assert_usage_error flags "unknown flag '!xyz'"
	run --separate-stderr "$VCTX" flags 42 --set ''
	assert_usage_error flags "unknown flag ''"
	assert_calls
}

@test "Try to set flags and print them as JSON at once" {
	run --separate-stderr "$VCTX" flags 42 --set private --json
	assert_usage_error flags '--set and --json are mutually exclusive'
}

@test "Try to send a bad signal" {
	local sig
	for sig in TERMX 65 -9 SIG; do
		run --separate-stderr "$VCTX" kill 42 -s "$sig"
		assert_usage_error kill "invalid signal '$sig'"
	done
	assert_calls
}

@test "Try to signal a bad pid" {
	run --separate-stderr "$VCTX" kill 42 --pid -2
	assert_usage_error kill "invalid pid '-2'"
	run --separate-stderr "$VCTX" kill 42 --pid x
	assert_usage_error kill "invalid pid 'x'"
}

@test "Try to wait with a bad timeout" {
	run --separate-stderr "$VCTX" wait 42 --timeout 1.5
	assert_usage_error wait "invalid timeout '1.5'"
	run --separate-stderr "$VCTX" wait 42 --timeout
	assert_usage_error wait "option '--timeout' requires an argument"
}

@test "Try to enter a context without a command" {
	run --separate-stderr "$VCTX" enter 42
	assert_usage_error enter 'no command specified'
	run --separate-stderr "$VCTX" enter 42 --
	assert_usage_error enter 'no command specified'
	assert_calls
}

@test "Try to pass extra arguments to the context commands" {
	run --separate-stderr "$VCTX" info 42 43
	assert_usage_error info "unexpected argument '43'"
	run --separate-stderr "$VCTX" list 42
	assert_usage_error list "unexpected argument '42'"
	run --separate-stderr "$VCTX" whoami me
	assert_usage_error whoami "unexpected argument 'me'"
	run --separate-stderr "$VCTX" ps 0 1
	assert_usage_error ps "unexpected argument '1'"
	run --separate-stderr "$VCTX" wait 42 43
	assert_usage_error wait "unexpected argument '43'"
}

@test "Try to give vctx info an option it does not have" {
	run --separate-stderr "$VCTX" info --noheadings 42
	assert_usage_error info "unrecognized option '--noheadings'"
	run --separate-stderr "$VCTX" info -n 42
	assert_usage_error info "invalid option -- 'n'"
}
