#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Network contexts: "vctx net" and "vctx create --ip", against the faked
# kernel of fake-vserver.c, which keeps its network contexts in a
# directory that stands in for /proc/virtnet.  The tests that build links
# run in a scratch user, network and mount namespace ("unshare -rnm"),
# where the fake gives each new network context a network namespace of
# its own, as the kernel does: they never touch the host's network.

bats_require_minimum_version 1.5.0

load helpers

# The flags of a new network context, NXF_INIT_SET, and their names
INIT_SET=0x406000200
INIT_NAMES=lback_remap,hide_netif,hide_lback,state_admin
NXF_PERSISTENT=0x4000000000

setup_file() {
	build_fake_vserver
}

# Network context 42 has two addresses and raw_icmp; 43 has none and has
# lost state_admin.  No context runs a task of this process.
setup() {
	require_vctx
	use_fake_vserver
	fake_contexts
	export FAKE_VSERVER_VERSION=0x00020304
	export FAKE_VSERVER_NET_DIR="$BATS_TEST_TMPDIR/virtnet"
	export FAKE_VSERVER_NETS="42:1:$INIT_SET:0x100:10.0.0.2/24,2001:db8::5/64 43:0:0x6000200:0"
}

# assert_usage_error COMMAND MESSAGE: the last run failed with MESSAGE and
# the "Try" line of COMMAND
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $2" "Try 'vctx $1 --help' for more information."
}

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1"
}

require_jq() {
	command -v jq >/dev/null || skip 'jq is not installed'
}

# Skip unless this machine lets the tests make a scratch user, network and
# mount namespace, and has ip(8) to look into it.
require_scratch_netns() {
	command -v unshare >/dev/null || skip 'unshare(1) is not installed'
	command -v ip >/dev/null || skip 'ip(8) is not installed'
	LD_PRELOAD= unshare -rnm true 2>/dev/null ||
		skip 'cannot make a user, network and mount namespace'
	LD_PRELOAD= unshare -rn ip link add name vst0 type veth peer name \
		vst1 2>/dev/null || skip 'cannot make veth devices'
}

# in_netns COMMAND...: run COMMAND in a scratch user, network and mount
# namespace, with lo up and the fake's network namespaces on.  A sleeper
# stays in the scratch namespace while COMMAND runs: a tool that moves
# into a network context of its own and executes a program leaves no task
# or socket there, and the end of the namespace would take the host side
# of the guest's link, so its guest side, with it.
in_netns() {
	FAKE_VSERVER_NETNS=1 unshare -rnm --propagation private sh -c '
		ip link set lo up || exit
		sleep 600 </dev/null >/dev/null 2>&1 &
		keeper=$!
		"$@"
		rc=$?
		kill "$keeper"
		exit "$rc"' sh "$@"
}

# The calls logged that concern network contexts
net_calls() {
	grep -E '^(task_nid|nx_info|net_|get_n|set_n)' "$FAKE_VSERVER_LOG" || true
}

assert_net_calls() {
	local expected
	expected="$(printf '%s\n' "$@")"
	assert_equal "$(net_calls)" "${expected%$'\n'}"
}

@test "vctx --help lists the net command" {
	run --separate-stderr "$VCTX" --help
	assert_success
	assert_line --regexp '^ net +manage network contexts and their addresses$'
}

@test "vctx net --help lists every subcommand with its summary" {
	run --separate-stderr "$VCTX" net --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vctx net <command> [<args>]'
	assert_line --regexp '^ add +add addresses to a network context$'
	assert_line --regexp '^ caps +show or change the capabilities of a network context$'
	assert_line --regexp '^ create +create a network context and run a command in it$'
	assert_line --regexp '^ destroy +let a network context end and remove its link$'
	assert_line --regexp '^ enter +run a command in an existing network context$'
	assert_line --regexp '^ flags +show or change the flags of a network context$'
	assert_line --regexp '^ info +show the details of a network context$'
	assert_line --regexp '^ list +list the network contexts$'
	assert_line --regexp '^ remove +remove addresses from a network context$'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
}

@test "Every vctx net subcommand has a --help" {
	local sub
	declare -A synopsis=(
		[add]='[options] <nid> <addr>[/<prefix>]...'
		[caps]='[options] <nid>'
		[create]='[options] <nid> [--] [<command> [<argument>...]]'
		[destroy]='[options] <nid>'
		[enter]='[options] <nid> [--] <command> [<argument>...]'
		[flags]='[options] <nid>'
		[info]='[options] <nid>'
		[list]='[options]'
		[remove]='[options] <nid> <addr>[/<prefix>]...|--all'
	)
	for sub in "${!synopsis[@]}"; do
		run --separate-stderr "$VCTX" net "$sub" --help
		assert_success
		assert_line --index 0 'Usage:'
		assert_line --index 1 " vctx net $sub ${synopsis[$sub]}"
		assert_line --regexp '^ -h, --help +display this help$'
		assert_line --index -1 'For more details see vctx(8).'
		assert_equal "$stderr" ''
	done
	assert_calls
}

@test "vctx net create --help names the flags and capabilities" {
	run --separate-stderr "$VCTX" net create --help
	assert_success
	assert_line ' -i, --ip <addr>[/<prefix>]  give the context an address (repeatable)'
	assert_line 'Network flags (prefix ~ or ! to clear):'
	assert_line ' private (info_private)'
	assert_line ' lback_remap (remap_lback)'
	assert_line ' persistent'
	assert_line 'Network capabilities (prefix ~ or ! to clear; all, none):'
	assert_line ' tun_create'
	assert_line ' raw_icmp'
	assert_line ' multicast'
}

@test "Try vctx net without a subcommand, or with an unknown one" {
	run --separate-stderr "$VCTX" net
	assert_usage_error net 'no command specified'
	run --separate-stderr "$VCTX" net frobnicate
	assert_usage_error net "unknown command 'frobnicate'"
	run --separate-stderr "$VCTX" net --bogus
	assert_usage_error net "unrecognized option '--bogus'"
	assert_calls
}

@test "Try to name a network context by a bad id" {
	local sub
	for sub in create enter info flags caps add remove destroy; do
		run --separate-stderr "$VCTX" net "$sub"
		assert_usage_error "net $sub" 'no network context specified'
		run --separate-stderr "$VCTX" net "$sub" web
		assert_usage_error "net $sub" "invalid network context id 'web'"
		run --separate-stderr "$VCTX" net "$sub" 70000
		assert_usage_error "net $sub" "network context id '70000' is out of range ($([[ $sub == enter ]] && echo 1 || echo 2)-65535)"
	done
	run --separate-stderr "$VCTX" net create 1
	assert_usage_error 'net create' "network context id '1' is out of range (2-65535)"
	run --separate-stderr "$VCTX" net info 0
	assert_usage_error 'net info' "network context id '0' is out of range (2-65535)"
	run --separate-stderr "$VCTX" net enter 0 true
	assert_usage_error 'net enter' "network context id '0' is out of range (1-65535)"
	run --separate-stderr "$VCTX" net info -- -5
	assert_usage_error 'net info' "invalid network context id '-5'"
	run --separate-stderr "$VCTX" net info 42 43
	assert_usage_error 'net info' "unexpected argument '43'"
	run --separate-stderr "$VCTX" net list 42
	assert_usage_error 'net list' "unexpected argument '42'"
	assert_calls
}

@test "Try to give a network context a bad address" {
	local bad
	for bad in 10.0.0.300 10.0.0 web 2001:db8::5::1 '' /24 10.0.0.2/; do
		run --separate-stderr "$VCTX" net create 44 --ip "$bad"
		if [[ $bad == 10.0.0.2/ ]]; then
			assert_usage_error 'net create' "invalid prefix length or netmask '' in '$bad'"
		else
			assert_usage_error 'net create' "invalid address '$bad'"
		fi
	done
	for bad in 10.0.0.2/33 10.0.0.2/-1 10.0.0.2/+8 10.0.0.2/8x \
		   10.0.0.2/255.0.255.0 2001:db8::5/129 2001:db8::5/255.255.0.0; do
		run --separate-stderr "$VCTX" net add 42 10.0.0.9 "$bad"
		assert_usage_error 'net add' "invalid prefix length or netmask '${bad#*/}' in '$bad'"
	done
	run --separate-stderr "$VCTX" create -x 44 --ip 10.0.0.2/40
	assert_usage_error create "invalid prefix length or netmask '40' in '10.0.0.2/40'"
	run --separate-stderr "$VCTX" net remove 42 nonsense
	assert_usage_error 'net remove' "invalid address 'nonsense'"
	assert_calls
}

@test "Try to give vctx net bad options" {
	run --separate-stderr "$VCTX" net create 44 --flags single_ip,bogus
	assert_usage_error 'net create' "unknown network flag 'bogus'"
	run --separate-stderr "$VCTX" net create 44 --ncaps raw_icmp,~cap_chown
	assert_usage_error 'net create' "unknown network capability '~cap_chown'"
	run --separate-stderr "$VCTX" net create 44 --dev eth0
	assert_usage_error 'net create' '--dev needs --ip'
	run --separate-stderr "$VCTX" net create 44 --ip 10.0.0.2 --dev 'a/b'
	assert_usage_error 'net create' "invalid device name 'a/b'"
	run --separate-stderr "$VCTX" net create 44 --ip 10.0.0.2 --dev waytoolongdevicename
	assert_usage_error 'net create' "invalid device name 'waytoolongdevicename'"
	run --separate-stderr "$VCTX" net create 44 --ip
	assert_usage_error 'net create' "option '--ip' requires an argument"
	run --separate-stderr "$VCTX" net create 44 --bogus
	assert_usage_error 'net create' "unrecognized option '--bogus'"
	run --separate-stderr "$VCTX" net enter 42
	assert_usage_error 'net enter' 'no command specified'
	run --separate-stderr "$VCTX" net add 42
	assert_usage_error 'net add' 'no address specified'
	run --separate-stderr "$VCTX" net add 42 --all
	assert_usage_error 'net add' "unrecognized option '--all'"
	run --separate-stderr "$VCTX" net remove 42
	assert_usage_error 'net remove' 'no address specified'
	run --separate-stderr "$VCTX" net remove 42 10.0.0.2 --all
	assert_usage_error 'net remove' '--all and addresses are mutually exclusive'
	run --separate-stderr "$VCTX" net flags 42 --set private --json
	assert_usage_error 'net flags' '--set and --json are mutually exclusive'
	run --separate-stderr "$VCTX" net caps 42 --set bogus
	assert_usage_error 'net caps' "unknown network capability 'bogus'"
	run --separate-stderr "$VCTX" net list --bogus
	assert_usage_error 'net list' "unrecognized option '--bogus'"
	run --separate-stderr "$VCTX" create --ip 10.0.0.2
	assert_usage_error create '--ip needs --xid'
	run --separate-stderr "$VCTX" create -x 44 --dev eth0
	assert_usage_error create '--dev needs --ip'
	assert_calls
}

@test "vctx net info shows a network context" {
	run --separate-stderr "$VCTX" net info 42
	assert_success
	assert_output "$(cat <<-EOF
		nid:        42
		tasks:      1
		usecnt:     2
		flags:      $INIT_NAMES
		flagword:   0x0000000406000200
		ncaps:      raw_icmp
		bcast:      255.255.255.255
		lback:      127.0.42.1
		addresses:  10.0.0.2/24,2001:db8::5/64
		EOF
	)"
	assert_net_calls 'nx_info 42' 'get_nflags 42' 'get_ncaps 42'
}

@test "vctx net info --json is valid JSON with every field" {
	require_jq
	run --separate-stderr "$VCTX" net info 42 --json
	assert_success
	run jq -c . <<<"$output"
	assert_success
	assert_output '{"nid":42,"tasks":1,"usecnt":2,"flags":["lback_remap","hide_netif","hide_lback","state_admin"],"flagword":17280532992,"ncaps":["raw_icmp"],"ncapword":256,"bcast":"255.255.255.255","lback":"127.0.42.1","addresses":[{"family":"inet","address":"10.0.0.2","prefix":24,"type":"addr"},{"family":"inet6","address":"2001:db8::5","prefix":64,"type":"addr"}]}'
	run --separate-stderr "$VCTX" net info -J 43
	run jq -r '.addresses | length' <<<"$output"
	assert_output 0
}

@test "vctx net list shows every network context" {
	run --separate-stderr "$VCTX" net list
	assert_success
	assert_output "$(printf '%5s %5s %-45s %s\n' NID TASKS FLAGS ADDRESSES \
		42 1 "$INIT_NAMES" 10.0.0.2/24,2001:db8::5/64 \
		43 0 lback_remap,hide_netif,hide_lback -)"
	run --separate-stderr "$VCTX" net list -n
	assert_success
	assert_line --index 0 "   42     1 $INIT_NAMES 10.0.0.2/24,2001:db8::5/64"
	assert_equal "${#lines[@]}" 2
}

@test "vctx net list --json is valid JSON" {
	require_jq
	run --separate-stderr "$VCTX" net list --json
	assert_success
	run jq -c '[.network_contexts[] | [.nid, .tasks, .flagword, (.addresses | map(.address + "/" + (.prefix | tostring)))]]' <<<"$output"
	assert_success
	assert_output '[[42,1,17280532992,["10.0.0.2/24","2001:db8::5/64"]],[43,0,100663808,[]]]'
	FAKE_VSERVER_NETS= FAKE_VSERVER_NET_DIR="$BATS_TEST_TMPDIR/empty" \
		run --separate-stderr "$VCTX" net list -J
	assert_success
	assert_output '{"network_contexts":[]}'
}

@test "vctx net flags shows and changes the flags" {
	run --separate-stderr "$VCTX" net flags 42
	assert_success
	assert_output "$INIT_NAMES"
	run --separate-stderr "$VCTX" net flags 42 -s single_ip,~hide_netif,NXF_PERSISTENT
	assert_success
	assert_output ''
	run --separate-stderr "$VCTX" net flags 42
	assert_output 'single_ip,lback_remap,hide_lback,state_admin,persistent'
	assert_net_calls 'get_nflags 42' \
		'set_nflags 42 flagword=0x4000000100 mask=0x4002000100' \
		'get_nflags 42'
}

@test "vctx net flags --json is valid JSON" {
	require_jq
	run --separate-stderr "$VCTX" net flags 43 --json
	assert_success
	# The one-time flags it lacks can no longer change
	assert_output '{"nid":43,"flags":["lback_remap","hide_netif","hide_lback"],"flagword":100663808,"mask":18446744052234715135}'
	run jq -e '.flags | length == 3' <<<"$output"
	assert_success
}

@test "vctx net caps shows and changes the capabilities" {
	run --separate-stderr "$VCTX" net caps 42
	assert_success
	assert_output 'raw_icmp'
	run --separate-stderr "$VCTX" net caps 42 --set all,~raw_icmp
	assert_success
	run --separate-stderr "$VCTX" net caps 42
	assert_output 'tun_create,multicast'
	run --separate-stderr "$VCTX" net caps 42 --set none
	run --separate-stderr "$VCTX" net caps 42 --json
	assert_output '{"nid":42,"ncaps":[],"ncapword":0}'
	assert_net_calls 'get_ncaps 42' 'set_ncaps 42 ncaps=0x1001 cmask=0x1101' \
		'get_ncaps 42' 'set_ncaps 42 ncaps=0x0 cmask=0x1101' \
		'get_ncaps 42'
}

@test "Try to change a network context that has lost state_admin" {
	run --separate-stderr "$VCTX" net flags 43 --set single_ip
	assert_error 'cannot set the flags of network context 43: network context 43 is private or no longer has state_admin'
	run --separate-stderr "$VCTX" net caps 43 --set raw_icmp
	assert_error 'cannot set the capabilities of network context 43: network context 43 is private or no longer has state_admin'
	run --separate-stderr "$VCTX" net add 43 10.0.0.9
	assert_error 'cannot add 10.0.0.9/32 to network context 43: network context 43 is private or no longer has state_admin'
	run --separate-stderr "$VCTX" net enter 43 true
	assert_error 'cannot enter network context 43: network context 43 is private or no longer has state_admin'
	run --separate-stderr "$VCTX" net info 43
	assert_success
}

@test "Try to change a network context from inside a context" {
	FAKE_VSERVER_TASK_XIDS=0:5 run --separate-stderr "$VCTX" net flags 42 --set single_ip
	assert_error 'permission denied: set the flags of network context 42'
	FAKE_VSERVER_ERRNO_NET_CREATE=EPERM run --separate-stderr "$VCTX" net create 44 true
	assert_error 'only root in the host context may create network contexts'
}

@test "Try to use a network context that does not exist" {
	local args
	for args in "info 44" "flags 44" "caps 44" "flags 44 --set private" \
		    "caps 44 --set raw_icmp" "enter 44 true" "add 44 10.0.0.9" \
		    "remove 44 10.0.0.9" "remove 44 --all" "destroy 44"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VCTX" net $args
		assert_error 'no network context 44'
	done
}

@test "Try vctx net on a kernel without network contexts" {
	unset FAKE_VSERVER_NET_DIR
	run --separate-stderr "$VCTX" net list
	assert_error 'this kernel has no network contexts: /proc/virtnet is missing'
	run --separate-stderr "$VCTX" net info 42
	assert_error 'cannot read network context 42: this kernel has no network contexts'
	run --separate-stderr "$VCTX" net create 42 true
	assert_error 'cannot create network context 42: this kernel has no network contexts'
	run --separate-stderr "$VCTX" whoami
	assert_success
	assert_output 'xid:   0'
}

@test "Try vctx net on a kernel without vserver" {
	unset FAKE_VSERVER_VERSION
	run --separate-stderr "$VCTX" net list
	assert_error "${ENOSYS_MESSAGE#vctx: }"
	run --separate-stderr "$VCTX" net info 42
	assert_error "${ENOSYS_MESSAGE#vctx: }"
	export FAKE_VSERVER_VERSION=0x00020304
	fake_disabled_vserver
	run --separate-stderr "$VCTX" net create 42 true
	assert_error "${DISABLED_MESSAGE#vctx: }"
	run --separate-stderr "$VCTX" net list
	assert_error "${DISABLED_MESSAGE#vctx: }"
}

@test "vctx whoami shows the network context" {
	FAKE_VSERVER_TASK_NIDS=0:42 run --separate-stderr "$VCTX" whoami
	assert_success
	assert_output "$(printf 'xid:   0\nnid:   42')"
	FAKE_VSERVER_TASK_NIDS=0:42 run --separate-stderr "$VCTX" whoami -J
	assert_output '{"xid":0,"name":null,"nid":42}'
}

@test "vctx net create without addresses runs a command in a new network context" {
	run --separate-stderr "$VCTX" net create 44 -- sh -c "'$VCTX' whoami; '$VCTX' net info 44 | head -2"
	assert_success
	assert_output "$(printf 'xid:   0\nnid:   44\nnid:        44\ntasks:      1')"
	assert_net_calls 'net_create 44' 'task_nid 0' 'nx_info 44' \
		'get_nflags 44' 'get_ncaps 44'
	# It ended with its last task
	run --separate-stderr "$VCTX" net info 44
	assert_error 'no network context 44'
}

@test "vctx net create runs \$SHELL, and reports a command it cannot run" {
	SHELL=/bin/true run --separate-stderr "$VCTX" net create 44
	assert_success
	run -127 --separate-stderr "$VCTX" net create 44 no-such-command
	assert_failure 127
	assert_stderr 'vctx: failed to execute no-such-command: No such file or directory'
	run --separate-stderr "$VCTX" net create 44 -- /etc/passwd
	assert_failure 126
}

@test "vctx net create sets flags and capabilities, and --persistent keeps it" {
	run --separate-stderr "$VCTX" net create 44 --flags single_ip,~hide_netif,state_setup --ncaps raw_icmp,multicast --persistent
	assert_success
	assert_output ''
	run --separate-stderr "$VCTX" net info 44
	assert_line 'flags:      single_ip,lback_remap,hide_lback,state_setup,state_admin,persistent'
	assert_line 'ncaps:      raw_icmp,multicast'
	assert_line 'tasks:      0'
	assert_net_calls 'net_create 44 flagword=0x4506000200' \
		'set_ncaps 44 ncaps=0x1100 cmask=0x1100' \
		'set_nflags 44 flagword=0x100 mask=0x2000100' \
		'nx_info 44' 'get_nflags 44' 'get_ncaps 44'
	run --separate-stderr "$VCTX" net create 44 true
	assert_error 'network context 44 is still being set up'
}

@test "vctx net create takes its options after the nid, and \"--\" before it" {
	run --separate-stderr "$VCTX" net create --persistent -- 44
	assert_success
	run --separate-stderr "$VCTX" net create 45 --persistent
	assert_success
	run --separate-stderr "$VCTX" net create 44 --persistent
	assert_error 'network context 44 already exists'
	run --separate-stderr "$VCTX" net list -n
	assert_line --regexp '^   44     0 .*persistent -$'
	assert_line --regexp '^   45     0 .*persistent -$'
}

@test "vctx net destroy lets a persistent network context end" {
	require_scratch_netns
	run --separate-stderr "$VCTX" net create 44 --persistent
	assert_success
	run --separate-stderr in_netns "$VCTX" net destroy 44
	assert_success
	assert_output ''
	run --separate-stderr "$VCTX" net info 44
	assert_error 'no network context 44'
	assert_net_calls 'net_create 44 flagword=0x4406000200' 'nx_info 44' \
		'get_nflags 44' 'set_nflags 44 flagword=0x0 mask=0x4000000000' \
		'nx_info 44'
}

@test "vctx net enter runs a command in a network context" {
	run --separate-stderr "$VCTX" net enter 42 -- sh -c "'$VCTX' whoami -J"
	assert_success
	assert_output '{"xid":0,"name":null,"nid":42}'
	run --separate-stderr "$VCTX" net enter 1 true
	assert_success
	assert_net_calls 'net_migrate 42' 'task_nid 0' 'net_migrate 1'
}

@test "vctx net add and remove change the address list" {
	require_scratch_netns
	run --separate-stderr in_netns "$VCTX" net add 42 10.0.0.3/255.255.0.0 2001:db8::6
	assert_success
	run --separate-stderr "$VCTX" net info 42
	assert_line 'addresses:  10.0.0.2/24,10.0.0.3/16,2001:db8::5/64,2001:db8::6/128'
	run --separate-stderr in_netns "$VCTX" net remove 42 10.0.0.2 2001:db8::5
	assert_success
	run --separate-stderr "$VCTX" net info 42
	assert_line 'addresses:  10.0.0.3/16,2001:db8::6/128'
	assert_net_calls \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=10.0.0.3 mask=255.255.0.0' \
		'net_add_ipv6 42 type=0x0010 flags=0 prefix=128 ip=2001:db8::6 mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' \
		'net_migrate 42' 'nx_info 42' 'get_nflags 42' 'get_ncaps 42' \
		'nx_info 42' 'get_nflags 42' \
		'net_rem_ipv4 42 type=0x0010 flags=0 ip=10.0.0.2 mask=255.255.255.0' \
		'net_remove_ipv6 42 type=0x0010 flags=0 prefix=64 ip=2001:db8::5 mask=ffff:ffff:ffff:ffff::' \
		'net_migrate 42' 'nx_info 42' 'get_nflags 42' 'get_ncaps 42'
	run --separate-stderr in_netns "$VCTX" net remove 42 --all
	assert_success
	run --separate-stderr "$VCTX" net info 42
	assert_line 'addresses:  -'
}

@test "Try to add an address twice, or to remove one that is not there" {
	run --separate-stderr "$VCTX" net add 42 10.0.0.9 10.0.0.2/24
	assert_error 'network context 42 has 10.0.0.2/24 already'
	# The first address was taken back
	run --separate-stderr "$VCTX" net info 42
	assert_line 'addresses:  10.0.0.2/24,2001:db8::5/64'
	run --separate-stderr "$VCTX" net remove 42 10.0.0.9
	assert_error 'network context 42 does not have 10.0.0.9/32'
	assert_net_calls \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=10.0.0.9 mask=255.255.255.255' \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=10.0.0.2 mask=255.255.255.0' \
		'net_rem_ipv4 42 type=0x0010 flags=0 ip=10.0.0.9 mask=255.255.255.255' \
		'nx_info 42' 'get_nflags 42' 'get_ncaps 42' 'nx_info 42' \
		'get_nflags 42'
}

@test "Try to give an IPv6 address to a kernel without IPv6" {
	FAKE_VSERVER_NO_IPV6=1 run --separate-stderr "$VCTX" net create 44 --ip 10.0.0.7 --ip 2001:db8::7 true
	assert_error 'cannot add 2001:db8::7/128: this kernel has no IPv6'
	FAKE_VSERVER_NO_IPV6=1 run --separate-stderr "$VCTX" net info 44
	assert_error 'no network context 44'
}

@test "vctx net create --ip builds the link of the network context" {
	require_scratch_netns
	run --separate-stderr in_netns sh -c '
		"$1" net create 44 --ip 10.0.0.2/24 --ip 2001:db8::5/64 -- sh -c "
			ip -o addr show dev eth0 scope global | awk \"{print \\\$4}\"
			ip route show default; ip -6 route show default
			ip -o link show lo | grep -c LOWER_UP
			ip -o link show eth0 | grep -c LOWER_UP"
		echo host:
		# The fake notices the end of the context at the next command
		"$1" net list >/dev/null
		for i in $(seq 50); do
			ip -o link show vsn44 >/dev/null 2>&1 || break
			sleep 0.1
		done
		ip -o link show vsn44 >/dev/null 2>&1 || echo "vsn44 gone with the context"
	' sh "$VCTX"
	assert_success
	assert_output "$(cat <<-'EOF'
		10.0.0.2/24
		2001:db8::5/64
		default dev eth0 proto static scope link 
		default via fe80::1 dev eth0 proto static metric 1024 pref medium
		1
		1
		host:
		vsn44 gone with the context
		EOF
	)"
}

@test "vctx net create --ip --persistent leaves the host side up" {
	require_scratch_netns
	run --separate-stderr in_netns sh -c '
		"$1" net create 44 --ip 10.0.0.2/24 --ip 2001:db8::5 --persistent || exit
		ip -o link show vsn44 | grep -c "state UP"
		cat /proc/sys/net/ipv4/conf/vsn44/proxy_arp
		ip route show dev vsn44
		ip -6 route show dev vsn44 | grep -v "^fe80::/64"
		ip -o -6 addr show dev vsn44 scope link | grep -c "fe80::1/64"
		"$1" net enter 44 ip -o -4 addr show dev eth0 | awk "{print \$4}"
	' sh "$VCTX"
	assert_success
	assert_output "$(cat <<-'EOF'
		1
		1
		10.0.0.2 proto static scope link 
		2001:db8::5 proto static metric 1024 pref medium
		1
		10.0.0.2/24
		EOF
	)"
}

@test "vctx net add, remove and destroy change the link" {
	require_scratch_netns
	run --separate-stderr in_netns sh -c '
		ip link add name lan0 type veth peer name lan1
		"$1" net create 44 --ip 10.0.0.2 --dev lan0 --persistent || exit
		"$1" net add 44 10.0.0.3/24 2001:db8::7/64 --dev lan0 || exit
		ip neigh show proxy dev lan0 | sort
		ip route show dev vsn44
		"$1" net enter 44 ip -o addr show dev eth0 scope global | awk "{print \$4}"
		echo remove:
		"$1" net remove 44 10.0.0.2 --dev lan0 || exit
		ip neigh show proxy dev lan0 | sort
		ip route show dev vsn44
		"$1" net enter 44 ip -o -4 addr show dev eth0 | awk "{print \$4}"
		echo destroy:
		"$1" net destroy 44 --dev lan0 || exit
		ip neigh show proxy dev lan0
		ip -o link show vsn44 2>/dev/null || echo "no vsn44"
		"$1" net destroy 44 --dev lan0
	' sh "$VCTX"
	assert_failure 1
	assert_output "$(cat <<-'EOF'
		10.0.0.2 proxy 
		10.0.0.3 proxy 
		2001:db8::7 proxy 
		10.0.0.2 proto static scope link 
		10.0.0.3 proto static scope link 
		10.0.0.2/32
		10.0.0.3/24
		2001:db8::7/64
		remove:
		10.0.0.3 proxy 
		2001:db8::7 proxy 
		10.0.0.3 proto static scope link 
		10.0.0.3/24
		destroy:
		no vsn44
		EOF
	)"
	assert_stderr 'vctx: no network context 44'
}

@test "Try to build a link on a device that does not exist" {
	require_scratch_netns
	run --separate-stderr in_netns "$VCTX" net create 44 --ip 10.0.0.2 --dev lan9 true
	assert_error "no network device 'lan9'"
	assert_net_calls
	run --separate-stderr in_netns "$VCTX" net add 42 10.0.0.9 --dev lan9
	assert_error "no network device 'lan9'"
	run --separate-stderr in_netns "$VCTX" net remove 42 10.0.0.2 --dev lan9
	assert_error "no network device 'lan9'"
	run --separate-stderr in_netns "$VCTX" net destroy 42 --dev lan9
	assert_error "no network device 'lan9'"
	# Nothing changed
	assert_net_calls 'nx_info 42' 'get_nflags 42' 'nx_info 42' \
		'get_nflags 42'
}

@test "A network context whose link fails leaves nothing behind" {
	require_scratch_netns
	# A device of that name on the host, which is not the context's
	run --separate-stderr in_netns sh -c '
		ip link add name vsn44 type veth peer name other
		"$1" net create 44 --ip 10.0.0.2 --persistent
		echo "status $?"
		"$1" net list -n
		ip -o link show vsn44 | grep -c vsn44
	' sh "$VCTX"
	assert_success
	assert_output "$(cat <<-'EOF'
		status 1
		   42     1 lback_remap,hide_netif,hide_lback,state_admin 10.0.0.2/24,2001:db8::5/64
		   43     0 lback_remap,hide_netif,hide_lback             -
		1
		EOF
	)"
	assert_stderr 'vctx: cannot set up the link of network context 44: No such device'
}

@test "vctx create --ip gives a context a network context with its link" {
	require_scratch_netns
	run --separate-stderr in_netns "$VCTX" create -x 44 --ip 10.0.0.2/24 -- \
		sh -c "'$VCTX' whoami | tail -1; ip -o -4 addr show dev eth0 | awk '{print \$4}'"
	assert_success
	assert_output "$(printf 'nid:   44\n10.0.0.2/24')"
	run grep -nE '^(net_create|net_add|ctx_create)' "$FAKE_VSERVER_LOG"
	assert_output "$(cat <<-EOF
		1:net_create 44
		2:net_add_ipv4 44 type=0x0010 flags=0 ip=10.0.0.2 mask=255.255.255.0
		3:ctx_create 44 flagword=0x700000000
		EOF
	)"
}

@test "vctx create without --ip makes no network context" {
	run --separate-stderr "$VCTX" create -x 44 true
	assert_success
	assert_net_calls
}
