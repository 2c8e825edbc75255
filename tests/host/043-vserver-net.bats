#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The network of guests: "vserver build --ip/--dev", the interfaces/ of
# the configuration as status and list show it, the calls "vserver NAME
# start" makes for the network context (those of util-vserver's chbind,
# before the context is created), and what stop, exec and a failed start
# take down again.  fake-vserver.c answers the network commands from a
# directory and logs them.
#
# Whatever links a guest to the host (a veth pair, routes, proxy
# neighbour entries) is made for real, so every command that may make or
# remove one runs in a scratch user, network and mount namespace
# ("unshare -rnm"), never on the network of the machine that runs the
# tests.  There the host device of the guests is "lo".

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
}

setup() {
	require_vserver_tool
	use_guest_dirs
	G=$CONF/web
}

# A faked kernel with network contexts, the contexts given (see
# fake_contexts), and the network contexts of $FAKE_VSERVER_NETS
fake_kernel() {
	use_fake_vserver
	fake_contexts "$@"
	export FAKE_VSERVER_NET_DIR="$BATS_TEST_TMPDIR/net"
	mkdir -p "$FAKE_VSERVER_NET_DIR"
}

# Skip unless a scratch namespace can be made, and ip(8) is there
require_sandbox() {
	command -v ip >/dev/null || skip "no ip (install iproute2)"
	unshare -rnm true 2>/dev/null ||
		skip "cannot make a user and network namespace (unshare -rnm)"
}

# sandbox COMMAND...: run COMMAND in a scratch user, network and mount
# namespace.  $SANDBOX_SETUP runs first there; afterwards the links and
# the proxy neighbour entries of that network are in $BATS_TEST_TMPDIR/links
# and .../proxies.  The status is COMMAND's.
sandbox() {
	local t=$BATS_TEST_TMPDIR

	# The shim answers only COMMAND's calls, not unshare's or ip's
	# shellcheck disable=SC2016
	env -u LD_PRELOAD unshare -rnm sh -c '
		t=$1
		shift
		eval "${SANDBOX_SETUP:-:}" || exit 99
		LD_PRELOAD=$FAKE_PRELOAD "$@"
		rc=$?
		ip -o link show | sed "s/^[0-9]*: \([^:@]*\).*/\1/" >"$t/links"
		{ ip neigh show proxy; ip -6 neigh show proxy; } >"$t/proxies"
		exit $rc
	' sh "$t" "$@"
}

# Make the fake shim of use_fake_vserver reach only what sandbox runs
sandbox_preload() {
	export FAKE_PRELOAD=$LD_PRELOAD
}

# web: context 42, two addresses through lo, and a pre-start hook that
# leaves a mark
build_web() {
	run --separate-stderr "$VSERVER" web build -m skeleton --context 42 \
		--ip 192.168.1.10/24 --ip 2001:db8::5/64 --dev lo
	assert_success
	printf '#!/bin/sh\ntouch "%s/hook-ran"\n' "$BATS_TEST_TMPDIR" >"$G/scripts/pre-start"
	chmod +x "$G/scripts/pre-start"
}

# The file rel of the configuration: its contents, or "(none)"
conf() {
	if [[ -e "$G/$1" ]]; then
		cat "$G/$1"
	else
		echo '(none)'
	fi
}

@test "vserver build --ip writes one interface per address, with --dev" {
	run --separate-stderr "$VSERVER" web build -m skeleton --context 42 \
		--ip 192.168.1.10/24 --ip 2001:DB8:0::5 --ip 10.1.2.3/255.255.0.0 --dev eth0
	assert_success
	assert_output ''
	run ls "$G/interfaces"
	assert_output "$(printf '0\n1\n2')"
	assert_equal "$(conf interfaces/0/ip) $(conf interfaces/0/prefix) $(conf interfaces/0/dev)" \
		'192.168.1.10 24 eth0'
	assert_equal "$(conf interfaces/1/ip) $(conf interfaces/1/prefix) $(conf interfaces/1/dev)" \
		'2001:db8::5 (none) eth0'
	assert_equal "$(conf interfaces/2/ip) $(conf interfaces/2/prefix) $(conf interfaces/2/dev)" \
		'10.1.2.3 16 eth0'
	[[ ! -e "$G/interfaces/0/nodev" && ! -e "$G/ncontext" ]]
}

@test "vserver build --ip without --dev writes nodev; without --ip there is no interfaces/" {
	run --separate-stderr "$VSERVER" web build -m skeleton --ip 10.0.0.5
	assert_success
	run ls "$G/interfaces/0"
	assert_output "$(printf 'ip\nnodev')"
	assert_equal "$(conf interfaces/0/ip)" 10.0.0.5
	assert_equal "$(stat -c %s "$G/interfaces/0/nodev")" 0
	run --separate-stderr "$VSERVER" db build -m skeleton
	assert_success
	[[ ! -e "$CONF/db/interfaces" ]]
}

@test "Try to build with a bad address, a bad device, or --dev without --ip" {
	run --separate-stderr "$VSERVER" web build -m skeleton --ip 10.0.0
	assert_failure 1
	assert_stderr "vserver: invalid address '10.0.0' (IPv4 or IPv6, with an optional /prefix)" \
		"Try 'vserver web build --help' for more information."
	run --separate-stderr "$VSERVER" web build -m skeleton --ip 10.0.0.1/33
	assert_failure 1
	assert_equal "${stderr%%$'\n'*}" "vserver: invalid address '10.0.0.1/33' (IPv4 or IPv6, with an optional /prefix)"
	run --separate-stderr "$VSERVER" web build -m skeleton --ip 10.0.0.1 --ip 10.0.0.1/8
	assert_failure 1
	assert_equal "${stderr%%$'\n'*}" "vserver: address '10.0.0.1/8' is given twice"
	run --separate-stderr "$VSERVER" web build -m skeleton --ip 10.0.0.1 --dev eth0:1
	assert_failure 1
	assert_equal "${stderr%%$'\n'*}" "vserver: invalid device name 'eth0:1': not a device name"
	run --separate-stderr "$VSERVER" web build -m skeleton --dev eth0
	assert_failure 1
	assert_stderr "vserver: --dev is only for addresses given with --ip" \
		"Try 'vserver web build --help' for more information."
	[[ ! -e "$G" && ! -e "$ROOTS/web" ]]
}

@test "vserver build --help names --ip and --dev" {
	run --separate-stderr "$VSERVER" web build --help
	assert_success
	assert_line '     --ip <addr>[/<prefix>]'
	assert_line '     --dev <device>      the host device whose LAN reaches the addresses'
}

@test "vserver status and list show the addresses of a stopped guest, and its nid" {
	build_web
	echo 77 >"$G/ncontext"
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_output "$(cat <<-END
		name:      web
		state:     stopped
		xid:       42
		nid:       77
		root:      $ROOTS/web
		hostname:  web
		address:   192.168.1.10/24 dev lo
		address:   2001:db8::5/64 dev lo
		END
	)"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output '{"name":"web","state":"stopped","xid":42,"nid":77,"root":"'"$ROOTS"'/web","hostname":"web","initpid":null,"tasks":null,"uptime":null,"limits":[],"addresses":[{"interface":"0","address":"192.168.1.10/24","dev":"lo"},{"interface":"1","address":"2001:db8::5/64","dev":"lo"}]}'
	run "$VSERVER" db build -m skeleton --context 43
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(cat <<-'END'
		NAME   XID STATE   TASKS ADDRESSES
		db      43 stopped     - -
		web     42 stopped     - 192.168.1.10/24,2001:db8::5/64
		END
	)"
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"db","xid":43,"state":"stopped","tasks":null,"nid":null,"addresses":[]},{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":77,"addresses":["192.168.1.10/24","2001:db8::5/64"]}]}'
}

@test "vserver status and list show the nid of a running guest as the kernel has it" {
	build_web
	fake_kernel "42:web:3:41:0"
	export FAKE_VSERVER_TASK_NIDS="41:99"
	run --separate-stderr "$VSERVER" web status
	assert_success
	assert_line 'nid:       99'
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"web","xid":42,"state":"running","tasks":3,"nid":99,"addresses":["192.168.1.10/24","2001:db8::5/64"]}]}'
	# An init in the host's network has none
	export FAKE_VSERVER_TASK_NIDS="41:0"
	run --separate-stderr "$VSERVER" web status --json
	assert_success
	assert_output --partial '"xid":42,"nid":null,'
}

@test "vserver list shows a guest whose network configuration is broken, with the reason" {
	build_web
	echo 'bogus' >"$G/nflags"
	run --separate-stderr "$VSERVER" list
	assert_success
	assert_output "$(printf 'NAME   XID STATE   TASKS ADDRESSES\nweb     42 stopped     - ?')"
	run --separate-stderr "$VSERVER" list --json
	assert_success
	assert_output '{"guests":[{"name":"web","xid":42,"state":"stopped","tasks":null,"nid":null,"addresses":null,"error":"'"$G"'/nflags: unknown network flag '"'bogus'"'"}]}'
}

# refused FILE REASON: start fails naming FILE with REASON, and nothing
# happened: no call to the kernel, no hook, no run directory
refused() {
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_output ''
	assert_stderr "vserver: $G/$1: $2"
	assert_calls
	[[ ! -e "$BATS_TEST_TMPDIR/hook-ran" ]] || fail 'the pre-start hook ran'
	[[ ! -e "$VSERVER_RUNDIR/web" ]] || fail 'a run directory was made'
}

@test "Try to start a guest with a broken network configuration" {
	build_web
	fake_kernel
	echo 1 >"$G/ncontext"
	refused ncontext "network context id '1' is out of range (2 to 65535)"
	rm "$G/ncontext"
	printf 'single_ip\nstate_admin\n' >"$G/nflags"
	refused nflags "network flag 'state_admin' is managed by vserver"
	printf 'single_ip\n' >"$G/nflags"
	echo 'multicast,~raw_icmp,tun' >"$G/ncapabilities"
	refused ncapabilities "unknown network capability 'tun'"
	rm "$G/ncapabilities"
	echo '192.168.1.10/24' >"$G/interfaces/0/ip"
	refused interfaces/0/ip "invalid address '192.168.1.10/24' (the prefix length goes in prefix)"
	echo '192.168.1.10' >"$G/interfaces/0/ip"
	echo 255.255.0.0 >"$G/interfaces/1/mask"
	refused interfaces/1/mask 'give either prefix or mask, not both'
	rm "$G/interfaces/1/prefix"
	refused interfaces/1/mask 'a netmask is for IPv4 addresses (use prefix)'
	rm "$G/interfaces/1/mask"
	: >"$G/interfaces/1/nodev"
	refused interfaces/1/dev 'give either dev or nodev, not both'
	rm "$G/interfaces/1/nodev"
	echo lo >"$G/interfaces/1/tun"
	refused interfaces/1/tun 'not supported (vserver makes no host-side address, VLAN or tun device)'
	rm "$G/interfaces/1/tun"
	: >"$G/noncontext"
	refused noncontext 'the guest has no network context, but interfaces/0 has an address'
}

@test "Try to start a guest with addresses on a kernel without network contexts" {
	build_web
	fake_kernel
	unset FAKE_VSERVER_NET_DIR
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "vserver: cannot give guest 'web' a network context: this kernel has no network contexts"
	assert_calls 'vx_info 42'
	[[ ! -e "$BATS_TEST_TMPDIR/hook-ran" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "Try to start a guest whose host device does not exist" {
	build_web
	echo vsnope0 >"$G/interfaces/1/dev"
	fake_kernel
	run --separate-stderr "$VSERVER" web start
	assert_failure 1
	assert_stderr "vserver: $G/interfaces/1: no host device 'vsnope0'"
	assert_calls 'vx_info 42' 'nx_info 42'
	[[ ! -e "$BATS_TEST_TMPDIR/hook-ran" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "vserver start makes the network context first, as util-vserver's chbind does" {
	require_sandbox
	build_web
	echo 192.168.1.255 >"$G/interfaces/bcast"
	echo 127.0.42.9/8 >"$G/interfaces/lback"
	printf 'single_ip\n~hide_netif\n' >"$G/nflags"
	echo tun_create >"$G/ncapabilities"
	fake_kernel
	export FAKE_VSERVER_NETNS=1
	sandbox_preload
	unset LD_PRELOAD
	run --separate-stderr sandbox "$VSERVER" web start
	# A scratch user namespace cannot mount /proc: the start ends there,
	# after the network and before the context
	assert_failure 1
	assert_stderr 'vserver: cannot mount proc on /proc in the guest: Operation not permitted'
	assert_calls 'vx_info 42' 'nx_info 42' 'net_create 42' \
		'set_ncaps 42 ncaps=0x101 cmask=0x101' \
		'set_nflags 42 flagword=0x100 mask=0x2000100' \
		'net_add_ipv4 42 type=0x0110 flags=0 ip=192.168.1.255 mask=0.0.0.0' \
		'net_add_ipv4 42 type=0x0210 flags=0 ip=127.0.42.9 mask=255.0.0.0' \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=192.168.1.10 mask=255.255.255.0' \
		'net_add_ipv6 42 type=0x0010 flags=0 prefix=64 ip=2001:db8::5 mask=ffff:ffff:ffff:ffff::' \
		'vx_info 42'
	# The link the start made went with it
	run cat "$BATS_TEST_TMPDIR/links" "$BATS_TEST_TMPDIR/proxies"
	assert_output lo
	[[ ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "vserver start enters a network context that exists, and keeps its addresses" {
	require_sandbox
	build_web
	echo persistent >"$G/nflags"
	fake_kernel
	# Left by an earlier start of a persistent guest, with the address
	export FAKE_VSERVER_NETS="42:0:0x4406000200:0x100:192.168.1.10/24"
	sandbox_preload
	unset LD_PRELOAD
	run --separate-stderr sandbox "$VSERVER" web start
	assert_failure 1
	assert_stderr 'vserver: cannot mount proc on /proc in the guest: Operation not permitted'
	# The persistent flag of the configuration goes with the failed start
	assert_calls 'vx_info 42' 'nx_info 42' 'net_create 42' 'net_migrate 42' \
		'set_ncaps 42 ncaps=0x100 cmask=0x100' \
		'set_nflags 42 flagword=0x4002000000 mask=0x4002000000' \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=192.168.1.10 mask=255.255.255.0' \
		'net_add_ipv6 42 type=0x0010 flags=0 prefix=64 ip=2001:db8::5 mask=ffff:ffff:ffff:ffff::' \
		'vx_info 42' 'set_nflags 42 flagword=0x0 mask=0x4000000000'
	run cat "$BATS_TEST_TMPDIR/links" "$BATS_TEST_TMPDIR/proxies"
	assert_output lo
}

@test "Try to start a guest whose network context refuses an address" {
	require_sandbox
	build_web
	fake_kernel
	export FAKE_VSERVER_NETNS=1 FAKE_VSERVER_ERRNO_NET_ADD_IPV6=EACCES
	sandbox_preload
	unset LD_PRELOAD
	run --separate-stderr sandbox "$VSERVER" web start
	assert_failure 1
	assert_stderr 'vserver: network context 42 refuses it: it is private, or no longer state_admin'
	assert_calls 'vx_info 42' 'nx_info 42' 'net_create 42' \
		'set_ncaps 42 ncaps=0x100 cmask=0x100' \
		'set_nflags 42 flagword=0x2000000 mask=0x2000000' \
		'net_add_ipv4 42 type=0x0010 flags=0 ip=192.168.1.10 mask=255.255.255.0' \
		'net_add_ipv6 42 type=0x0010 flags=0 prefix=64 ip=2001:db8::5 mask=ffff:ffff:ffff:ffff::' \
		'vx_info 42'
	[[ -e "$BATS_TEST_TMPDIR/hook-ran" && ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "Try to start a guest with an IPv6 address on a kernel without IPv6" {
	require_sandbox
	build_web
	fake_kernel
	export FAKE_VSERVER_NETNS=1 FAKE_VSERVER_NO_IPV6=1
	sandbox_preload
	unset LD_PRELOAD
	run --separate-stderr sandbox "$VSERVER" web start
	assert_failure 1
	assert_stderr 'vserver: cannot add address 2001:db8::5/64 to network context 42: this kernel has no IPv6'
}

# web running as context 42 with init 41, started with its network:
# the run directory as start leaves it, and network context 42
running_web() {
	build_web
	fake_kernel "42:web:2:41:0"
	export FAKE_VSERVER_NETS="42:2:0x4406000200:0x100:192.168.1.10/24"
	mkdir -p "$VSERVER_RUNDIR/web"
	echo 42 >"$VSERVER_RUNDIR/web/nid"
	printf '192.168.1.10/24 lo\n2001:db8::5/64 lo\n' >"$VSERVER_RUNDIR/web/interfaces"
	# What the start linked: vsn42, and a proxy entry per address
	export SANDBOX_SETUP='ip link add vsn42 type veth peer name vsn42p &&
		ip neigh add proxy 192.168.1.10 dev lo &&
		ip -6 neigh add proxy 2001:db8::5 dev lo'
	sandbox_preload
	unset LD_PRELOAD
}

@test "vserver stop clears the persistent network flag and takes the link down" {
	require_sandbox
	running_web
	run --separate-stderr sandbox "$VSERVER" web stop
	assert_success
	assert_equal "$stderr" ''
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'get_cflags 42' 'set_nflags 42 flagword=0x0 mask=0x4000000000' \
		'ctx_kill 42 pid=1 sig=15' 'wait_exit 42'
	run cat "$BATS_TEST_TMPDIR/links" "$BATS_TEST_TMPDIR/proxies"
	assert_output lo
	[[ ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "vserver stop takes down the link of a guest that ended by itself" {
	require_sandbox
	running_web
	export FAKE_VSERVER_CONTEXTS=
	run --separate-stderr sandbox "$VSERVER" web stop
	assert_failure 4
	assert_stderr "vserver: guest 'web' is not running"
	run cat "$BATS_TEST_TMPDIR/links" "$BATS_TEST_TMPDIR/proxies"
	assert_output lo
	[[ ! -e "$VSERVER_RUNDIR/web" ]]
}

@test "vserver stop takes down the link the start made, whatever the configuration says now" {
	require_sandbox
	running_web
	rm -r "$G/interfaces"
	run --separate-stderr sandbox "$VSERVER" web stop
	assert_success
	run cat "$BATS_TEST_TMPDIR/links" "$BATS_TEST_TMPDIR/proxies"
	assert_output lo
}

@test "vserver exec enters the network context of the guest before its context" {
	require_sandbox
	build_web
	fake_kernel
	sandbox_preload
	unset LD_PRELOAD
	export FAKE_VSERVER_NETS="42:1:0x406000200:0x100:192.168.1.10/24"
	# The init: a process of the sandbox, whose mount namespace exec joins
	# shellcheck disable=SC2016
	run --separate-stderr sandbox sh -c '
		sleep 100 &
		pid=$!
		export FAKE_VSERVER_CONTEXTS="42:web:1:$pid:0" \
			FAKE_VSERVER_TASK_XIDS="$pid:42" \
			FAKE_VSERVER_TASK_NIDS="$pid:42"
		LD_PRELOAD=$FAKE_PRELOAD "$0" web exec echo inside
		rc=$?
		kill $pid
		sed -i "s/ $pid\$/ PID/" "$FAKE_VSERVER_LOG"
		exit $rc
	' "$VSERVER"
	assert_success
	assert_output inside
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'vx_info 42' 'task_xid PID' 'task_xid PID' 'task_nid PID' \
		'net_migrate 42' 'ctx_migrate 42 flagword=0x0'
}

@test "vserver exec leaves the network alone for a guest in the host's network" {
	require_sandbox
	run "$VSERVER" web build -m skeleton --context 42
	fake_kernel
	sandbox_preload
	unset LD_PRELOAD
	# shellcheck disable=SC2016
	run --separate-stderr sandbox sh -c '
		sleep 100 &
		pid=$!
		export FAKE_VSERVER_CONTEXTS="42:web:1:$pid:0" \
			FAKE_VSERVER_TASK_XIDS="$pid:42"
		LD_PRELOAD=$FAKE_PRELOAD "$0" web exec true
		rc=$?
		kill $pid
		sed -i "s/ $pid\$/ PID/" "$FAKE_VSERVER_LOG"
		exit $rc
	' "$VSERVER"
	assert_success
	assert_calls 'vx_info 42' 'get_vhi_name 42 field=0' 'ctx_stat 42' \
		'vx_info 42' 'task_xid PID' 'task_xid PID' 'task_nid PID' \
		'ctx_migrate 42 flagword=0x0'
}
