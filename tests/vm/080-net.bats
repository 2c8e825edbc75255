#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
# Network contexts from the shell: two guests made with "vctx net
# create", each a server on port 80 of every address it has, reached from
# the host through the link vctx built; what a guest reaches, binds and
# sees; "vctx net info" and "list"; "vctx create --ip"; and root in a
# guest that tries to change its network.
#
# The guests run for the whole file (each costs seconds under
# emulation); every test removes what it adds.  The host's side is a
# dummy device with 10.77.1.1/24 and fd77:1::1/64.  Network contexts of
# this file have ids 4340-4399.

load helpers

NT=${NET_TEST:-/opt/vserver/tests/bin/net_test}
VCALL=${VCALL:-/opt/vserver/tests/bin/vcall}

# The guests: nid, addresses and the name their server answers with
A=4340 A4=10.77.0.2 A6=fd77::2
B=4341 B4=10.77.0.3 B6=fd77::3
HOST4=10.77.1.1 HOST6=fd77:1::1

# start_guest NID IPV4 IPV6 NAME: a network context with a server on
# 0.0.0.0:80 and [::]:80 that answers "NAME CLIENT"
start_guest() {
	local out=$BATS_FILE_TMPDIR/guest-$1
	"$VCTX" net create "$1" --ip "$2/24" --ip "$3/64" -- \
		"$NT" peer serve 80 "$4" > "$out.log" 2>&1 < /dev/null 3>&- &
	echo $! > "$out.pid"
	poll 200 grep -q '^listening$' "$out.log" ||
		fail "guest $1 did not start: $(cat "$out.log")"
}

# stop PIDFILE: kill the process whose pid the file holds
stop() {
	[ -f "$1" ] || return 0
	kill "$(cat "$1")" 2>/dev/null
	rm -f "$1"
}

# gone NID: network context NID is gone within about 10 s
gone() {
	poll 100 test ! -e "/proc/virtnet/$1"
}

setup_file() {
	require_vserver
	[ -d /proc/virtnet ] || fail "/proc/virtnet is missing"
	[ -x "$NT" ] || fail "net_test not found at $NT"
	if ! ip link show dummy0 > /dev/null 2>&1; then
		ip link add dummy0 type dummy || fail "cannot make dummy0"
		touch "$BATS_FILE_TMPDIR/made-dummy0"
	fi
	ip addr add "$HOST4/24" dev dummy0
	ip addr add "$HOST6/64" dev dummy0
	ip link set dummy0 up
	start_guest "$A" "$A4" "$A6" guestA
	start_guest "$B" "$B4" "$B6" guestB
}

teardown_file() {
	stop "$BATS_FILE_TMPDIR/guest-$A.pid"
	stop "$BATS_FILE_TMPDIR/guest-$B.pid"
	gone "$A"
	gone "$B"
	ip addr del "$HOST4/24" dev dummy0 2>/dev/null
	ip addr del "$HOST6/64" dev dummy0 2>/dev/null
	ip link set dummy0 down 2>/dev/null
	if [ -e "$BATS_FILE_TMPDIR/made-dummy0" ]; then
		ip link del dummy0 2>/dev/null
	fi
	return 0
}

setup() {
	require_vserver
	host_pids=()
}

teardown() {
	local p
	for p in "${host_pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}

# serve_host PORT ADDR: a server of the host on ADDR:PORT answering
# "host CLIENT", killed by teardown
serve_host() {
	local log=$BATS_TEST_TMPDIR/serve-$1.log
	"$NT" peer serve "$1" host "$2" > "$log" 2>&1 < /dev/null 3>&- &
	host_pids+=($!)
	poll 100 grep -q '^listening$' "$log" ||
		fail "the host's server on $2:$1 did not start: $(cat "$log")"
}

# in_net NID COMMAND...: run COMMAND in network context NID
in_net() {
	"$VCTX" net enter "$1" -- "${@:2}"
}

# answer_is WANT COMMAND...: COMMAND prints WANT, within a few seconds
# (IPv6 neighbours are found a moment after the link comes up)
answer_is() {
	local want=$1 got i
	shift
	for ((i = 0; i < 50; i++)); do
		got=$("$@" 2>&1) && [ "$got" = "$want" ] && return 0
		sleep 0.1
	done
	echo "$*: want '$want', got '$got'"
	return 1
}

@test "Two guests serve the same wildcard ports, each for its own addresses" {
	answer_is "guestA $HOST4" "$NT" peer get "$A4" 80
	answer_is "guestB $HOST4" "$NT" peer get "$B4" 80
	answer_is "guestA $HOST6" "$NT" peer get "$A6" 80
	answer_is "guestB $HOST6" "$NT" peer get "$B6" 80
	# Their servers are not the host's
	run --separate-stderr "$NT" peer get 127.0.0.1 80
	assert_failure 1
	assert_equal "$stderr" "connect: Connection refused"
}

@test "A guest's connections to the host come from its own address" {
	serve_host 4377 "$HOST4"
	serve_host 4378 "$HOST6"
	answer_is "host $A4" in_net "$A" "$NT" peer get "$HOST4" 4377
	answer_is "host $B4" in_net "$B" "$NT" peer get "$HOST4" 4377
	answer_is "host $A6" in_net "$A" "$NT" peer get "$HOST6" 4378
	answer_is "host $B6" in_net "$B" "$NT" peer get "$HOST6" 4378
	# The host's loopback is not the guest's
	serve_host 4379 127.0.0.1
	answer_is "host 127.0.0.1" "$NT" peer get 127.0.0.1 4379
	run --separate-stderr in_net "$A" "$NT" peer get 127.0.0.1 4379
	assert_failure 1
	assert_equal "$stderr" "connect: Connection refused"
}

@test "A guest binds its own addresses, not the other guest's or the host's" {
	# Each with IP_FREEBIND, so that the namespace alone would allow it
	local script='for a; do
		if o=$("$NT" peer bind "$a" 8080 2>&1); then echo "$a: ok"
		else echo "$a: $o"; fi
	done'
	local refused=("$B4" "$B6" "$HOST4" "$HOST6" 10.77.0.9 fd77::9) addr
	run --separate-stderr in_net "$A" env NT="$NT" sh -c "$script" - \
		"$A4" "$A6" 127.0.0.1 0.0.0.0 :: "${refused[@]}"
	assert_success
	for addr in "$A4" "$A6" 127.0.0.1 0.0.0.0 ::; do
		assert_line "$addr: ok"
	done
	for addr in "${refused[@]}"; do
		assert_line "$addr: bind: Cannot assign requested address"
	done
	run --separate-stderr in_net "$B" "$NT" peer bind "$A4" 8080
	assert_failure 1
	assert_equal "$stderr" "bind: Cannot assign requested address"
	# The host is not held to any list
	run --separate-stderr "$NT" peer bind "$A4" 8080
	assert_success
}

@test "ip addr and ip link in a guest show only its own" {
	run --separate-stderr in_net "$A" ip addr
	assert_success
	assert_output --partial "inet $A4/24"
	assert_output --partial "inet6 $A6/64"
	refute_output --partial "$B4"
	refute_output --partial "$B6"
	refute_output --partial "$HOST4"
	refute_output --partial "$HOST6"
	run --separate-stderr in_net "$A" ip -o link
	assert_success
	[ "${#lines[@]}" -eq 3 ] || fail "3 links wanted: $output"
	assert_line --regexp '^1: lo: '
	assert_line --regexp '^[0-9]+: sit0@NONE: '
	assert_line --regexp '^[0-9]+: eth0@if[0-9]+: '
	# The host has the other ends and dummy0, none of the guests' eth0
	run --separate-stderr ip -o link
	assert_line --regexp "^[0-9]+: vsn$A@"
	assert_line --regexp "^[0-9]+: vsn$B@"
	assert_line --regexp '^[0-9]+: dummy0: '
	refute_output --partial 'eth0'
}

@test "ss in a guest lists only its own sockets" {
	command -v ss > /dev/null || fail "ss (iproute2) is not in the VM"
	serve_host 4379 127.0.0.1
	run --separate-stderr in_net "$A" ss -tln
	assert_success
	assert_line --regexp '^LISTEN +0 +16 +0\.0\.0\.0:80 +0\.0\.0\.0:\* *$'
	assert_line --regexp '^LISTEN +0 +16 +\[::\]:80 +\[::\]:\* *$'
	[ "${#lines[@]}" -eq 3 ] || fail "a heading and 2 sockets wanted: $output"
	run --separate-stderr ss -tln
	assert_success
	assert_line --regexp '^LISTEN +0 +16 +127\.0\.0\.1:4379 +0\.0\.0\.0:\* *$'
	refute_line --regexp ':80 '
}

@test "vctx net info and list show the guests in JSON" {
	run --separate-stderr "$VCTX" net info -J "$A"
	assert_success
	jq -e --arg a4 "$A4" --arg a6 "$A6" '
		.nid == 4340 and .tasks >= 1 and .flagword == 17280532992 and
		(.flags | index("lback_remap") != null) and
		(.flags | index("state_admin") != null) and .ncapword == 0 and
		.lback == "127.16.244.1" and .bcast == "255.255.255.255" and
		(.addresses | length) == 2 and
		(.addresses | any(.family == "inet" and .address == $a4 and
				  .prefix == 24 and .type == "addr")) and
		(.addresses | any(.family == "inet6" and .address == $a6 and
				  .prefix == 64 and .type == "addr"))
	' <<< "$output" || fail "unexpected: $output"
	run --separate-stderr "$VCTX" net list -J
	assert_success
	jq -e --arg b4 "$B4" '
		[.network_contexts[].nid] as $n |
		($n | index(4340) != null) and ($n | index(4341) != null) and
		(.network_contexts[] | select(.nid == 4341) |
		 .addresses | any(.address == $b4)) and
		(.network_contexts[] | select(.nid == 4341) | .tasks >= 1)
	' <<< "$output" || fail "unexpected: $output"
	# A guest lists only itself
	run --separate-stderr in_net "$A" "$VCTX" net list -J
	assert_success
	jq -e '[.network_contexts[].nid] == [4340]' <<< "$output" ||
		fail "unexpected: $output"
}

@test "vctx create --ip gives the new context a network context and a link" {
	local log=$BATS_TEST_TMPDIR/guestC.log pid
	"$VCTX" create --xid 4352 --ip 10.77.0.6/24 -- \
		"$NT" peer serve 80 guestC 0.0.0.0 > "$log" 2>&1 < /dev/null 3>&- &
	pid=$!
	host_pids+=("$pid")
	poll 200 grep -q '^listening$' "$log" ||
		fail "the guest did not start: $(cat "$log")"
	run grep -E '^(VxID|NxID):' "/proc/$pid/status"
	assert_output $'VxID:\t4352\nNxID:\t4352'
	answer_is "guestC $HOST4" "$NT" peer get 10.77.0.6 80
	run --separate-stderr "$VCTX" net info -J 4352
	assert_success
	jq -e '.addresses[0].address == "10.77.0.6" and .tasks == 1' \
		<<< "$output" || fail "unexpected: $output"
	kill "$pid"
	gone 4352
	poll 100 no_context 4352
	run ip -o link
	refute_output --partial vsn4352
}

@test "Root in a guest cannot change its network or get around it" {
	local script='
		say() { echo "$1: $2"; }
		try() { n=$1; shift; if o=$("$@" 2>&1); then say "$n" ok; else say "$n" "$o"; fi; }
		knobs() { cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ip_nonlocal_bind | tr "\n" " "; }
		before=$(knobs)
		say add "$($VCALL 0x1A010001 4353 10000000.0a4d0009.ffffff00)"
		say add-self "$($VCALL 0x1A010001 0x80000000 10000000.0a4d0009.ffffff00)"
		say flags "$($VCALL 0x34060000 4353 0000000000000000.0000000004000000)"
		say caps "$($VCALL 0x34080000 4353 0001000000000000.0001000000000000)"
		say create "$($VCALL 0x19010001 4354 -)"
		try addr ip addr add 10.77.0.9/24 dev eth0
		try move ip link set eth0 netns 1
		try down ip link set eth0 down
		try forward sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward"
		try nonlocal sh -c "echo 1 > /proc/sys/net/ipv4/ip_nonlocal_bind"
		try raw $NT peer socket inet raw icmp
		try raw6 $NT peer socket inet6 raw icmpv6
		try packet $NT peer socket packet raw 0
		try bind $NT peer bind 10.77.0.2 8080
		try own $NT peer bind 10.77.0.7 8080
		say knobs "$([ "$(knobs)" = "$before" ] && echo unchanged)"
		say links "$(ip -o link | grep -c eth0)"
	'
	run --separate-stderr env VCALL="$VCALL" NT="$NT" \
		"$VCTX" create --xid 4353 --ip 10.77.0.7/24 --ip fd77::7/64 -- \
		sh -c "$script"
	assert_success
	assert_line --regexp '^add: ret=-1 errno=EPERM( |$)'
	assert_line --regexp '^add-self: ret=-1 errno=EPERM( |$)'
	assert_line --regexp '^flags: ret=-1 errno=EPERM( |$)'
	assert_line --regexp '^caps: ret=-1 errno=EPERM( |$)'
	assert_line --regexp '^create: ret=-1 errno=EPERM( |$)'
	assert_line --regexp '^addr: .*Operation not permitted$'
	assert_line --regexp '^move: .*Operation not permitted$'
	assert_line --regexp '^down: .*Operation not permitted$'
	assert_line --regexp '^forward: .*Permission denied$'
	assert_line --regexp '^nonlocal: .*Permission denied$'
	assert_line 'raw: socket: Operation not permitted'
	assert_line 'raw6: socket: Operation not permitted'
	assert_line 'packet: socket: Address family not supported by protocol'
	assert_line 'bind: bind: Cannot assign requested address'
	assert_line 'own: ok'
	assert_line 'knobs: unchanged'
	assert_line 'links: 1'
	gone 4353
}
