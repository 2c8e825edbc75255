#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "vctx monitor" on the host: its help, every usage error, and its reports
# on a kernel without vserver events.  The host's kernel has no vserver
# event family: the output is checked against events that a preloaded shim
# (written out below) hands to vctx in place of the kernel, and the events
# of the real kernel are tested in the VM.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	build_fake_vserver
	build_fake_events
}

# The shim answers the questions libvserver asks libnl-genl about the
# family and its groups, and makes recvmsg() return, one per call, the
# messages below as the kernel would send them, then EAGAIN; poll()
# reports them readable until they are gone.
#   FAKE_EVENTS_RESOLVE_GRP=N  resolving a group fails with libnl error -N
#   FAKE_EVENTS_JOIN=N         joining a group fails with libnl error -N
build_fake_events() {
	local cc="${CC:-cc}"

	cat >"$BATS_FILE_TMPDIR/fake-events.c" <<'EOF_C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vserver.h>

#define FAMILY	0x1c

struct nl_sock;

int genl_ctrl_resolve(struct nl_sock *sk, const char *name)
{
	(void)sk;
	return strcmp(name, VS_GENL_NAME) == 0 ? FAMILY : -12;
}

int genl_ctrl_resolve_grp(struct nl_sock *sk, const char *family,
			  const char *group)
{
	const char *fail = getenv("FAKE_EVENTS_RESOLVE_GRP");

	(void)sk;
	(void)family;
	if (fail)
		return -atoi(fail);
	if (strcmp(group, VS_GENL_MCGRP_LIFECYCLE) == 0)
		return 5;
	return strcmp(group, VS_GENL_MCGRP_LIMITS) == 0 ? 6 : -12;
}

int nl_socket_add_membership(struct nl_sock *sk, int group)
{
	const char *fail = getenv("FAKE_EVENTS_JOIN");

	(void)sk;
	(void)group;
	return fail ? -atoi(fail) : 0;
}

static unsigned char msg[4096] __attribute__((aligned(8)));
static size_t len;

static void start(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr nlh = { .nlmsg_type = type };
	struct genlmsghdr gh = { .cmd = cmd, .version = VS_GENL_VERSION };

	memset(msg, 0, sizeof(msg));
	memcpy(msg, &nlh, sizeof(nlh));
	memcpy(msg + NLMSG_HDRLEN, &gh, sizeof(gh));
	len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void put(uint16_t type, const void *data, size_t n)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + n, .nla_type = type };

	memcpy(msg + len, &nla, sizeof(nla));
	if (n)
		memcpy(msg + len + NLA_HDRLEN, data, n);
	len += NLA_ALIGN(NLA_HDRLEN + n);
}

static void u8(uint16_t type, uint8_t v) { put(type, &v, 1); }
static void u32(uint16_t type, uint32_t v) { put(type, &v, 4); }

static void u64(uint16_t type, uint64_t v)
{
	if ((len + NLA_HDRLEN) % 8)
		put(VS_EVENT_A_PAD, NULL, 0);
	put(type, &v, 8);
}

static void event(uint8_t cmd, uint32_t xid)
{
	start(FAMILY, cmd);
	u32(VS_EVENT_A_XID, xid);
	u64(VS_EVENT_A_TIME, UINT64_C(1234567890123));
}

static int step;
#define STEPS	15

/* Message step in msg, or an errno for recvmsg() to fail with */
static int build(void)
{
	switch (step) {
	case 0:
		event(VS_EVENT_CREATED, 42);
		u64(VS_EVENT_A_FLAGS, UINT64_C(0x700000000));
		u32(VS_EVENT_A_PID, 812);
		break;
	case 1:
		event(VS_EVENT_SETUP_DONE, 42);
		u64(VS_EVENT_A_FLAGS, 0);
		break;
	case 2:
		event(VS_EVENT_PERSISTENT, 43);
		u8(VS_EVENT_A_PERSISTENT, 1);
		u64(VS_EVENT_A_FLAGS, UINT64_C(0x4000000000));
		break;
	case 3:
		event(VS_EVENT_REBOOT, 42);
		u32(VS_EVENT_A_REBOOT_CMD, 0xCDEF0123);
		u32(VS_EVENT_A_PID, 900);
		break;
	case 4:
		return ENOBUFS;
	case 5:
		event(VS_EVENT_ENDED, 42);
		u32(VS_EVENT_A_EXIT_CODE, 3 << 8);
		u32(VS_EVENT_A_REBOOT_CMD, 0xCDEF0123);
		break;
	case 6:
		event(VS_EVENT_ENDED, 43);
		u32(VS_EVENT_A_EXIT_CODE, 9);
		u32(VS_EVENT_A_REBOOT_CMD, 0);
		break;
	case 7:		/* another family */
		start(FAMILY + 1, 1);
		u32(VS_EVENT_A_XID, 42);
		break;
	case 8:		/* no time */
		start(FAMILY, VS_EVENT_CREATED);
		u32(VS_EVENT_A_XID, 42);
		break;
	case 9:		/* a stopped task: no exit, no signal */
		event(VS_EVENT_ENDED, 44);
		u32(VS_EVENT_A_EXIT_CODE, 0x137f);
		u32(VS_EVENT_A_REBOOT_CMD, 0x1234);
		break;
	case 10:
		event(VS_EVENT_LIMIT_REFUSED, 42);
		u32(VS_EVENT_A_RESOURCE, 6);		/* RLIMIT_NPROC */
		u64(VS_EVENT_A_USAGE, 2);
		u64(VS_EVENT_A_SOFT, CRLIM_INFINITY);
		u64(VS_EVENT_A_HARD, 2);
		u32(VS_EVENT_A_HITS, 1);
		u32(VS_EVENT_A_DROPPED, 0);
		break;
	case 11:
		event(VS_EVENT_LIMIT_SOFT, 42);
		u32(VS_EVENT_A_RESOURCE, VLIMIT_MAPPED);
		u64(VS_EVENT_A_USAGE, 20);
		u64(VS_EVENT_A_SOFT, 10);
		u64(VS_EVENT_A_HARD, CRLIM_INFINITY);
		u32(VS_EVENT_A_HITS, 4);
		u32(VS_EVENT_A_DROPPED, 7);
		break;
	case 12:	/* a newer event, with a newer attribute */
		event(200, 42);
		u32(VS_EVENT_A_PID, 5);
		u32(VS_EVENT_A_MAX + 7, 7);
		u32(VS_EVENT_A_REBOOT_CMD, 0x01234567);
		break;
	case 13:
		event(VS_EVENT_ENDED, 45);
		u32(VS_EVENT_A_EXIT_CODE, 64);
		break;
	case 14:
		event(VS_EVENT_CREATED, 46);
		break;
	}
	memcpy(msg, &(uint32_t){ (uint32_t)len }, 4);
	return 0;
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	struct sockaddr_nl *from = m->msg_name;
	int err;

	(void)fd;
	(void)flags;
	if (step >= STEPS) {
		errno = EAGAIN;
		return -1;
	}
	err = build();
	step++;
	if (err) {
		errno = err;
		return -1;
	}
	memset(from, 0, sizeof(*from));
	from->nl_family = AF_NETLINK;
	m->msg_namelen = sizeof(*from);
	m->msg_flags = 0;
	memcpy(m->msg_iov[0].iov_base, msg, len);
	return (ssize_t)len;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int (*real)(struct pollfd *, nfds_t, int) = dlsym(RTLD_NEXT, "poll");
	nfds_t i;

	if (step >= STEPS)
		return real(fds, n, timeout);
	for (i = 0; i < n; i++)
		fds[i].revents = 0;
	fds[0].revents = POLLIN;
	return 1;
}
EOF_C
	"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC \
		-I"$TOP/kernel/include/uapi" \
		-o "$BATS_FILE_TMPDIR/fake-events.so" \
		"$BATS_FILE_TMPDIR/fake-events.c" -ldl
}

# Preload the shim of build_fake_events
use_fake_events() {
	export LD_PRELOAD="$BATS_FILE_TMPDIR/fake-events.so"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
}

# The lines of the events of the shim that vctx prints, and its warnings
EVENT_LINES=(
	'1234.567890 42 created pid=812 flags=0x700000000'
	'1234.567890 42 setup-done flags=0x0'
	'1234.567890 43 persistent persistent=yes flags=0x4000000000'
	'1234.567890 42 reboot cmd=halt pid=900'
	'1234.567890 42 ended status=3 cmd=halt'
	'1234.567890 43 ended signal=KILL cmd=none'
	'1234.567890 44 ended code=0x137f cmd=0x1234'
	'1234.567890 42 limit-refused resource=nproc usage=2 soft=inf hard=2 hits=1 dropped=0'
	'1234.567890 42 limit-soft resource=23 usage=20 soft=10 hard=inf hits=4 dropped=7'
	'1234.567890 42 event-200 pid=5 cmd=restart'
	'1234.567890 45 ended signal=64'
	'1234.567890 46 created'
)
EVENT_JSON=(
	'{"time":1234.567890,"xid":42,"event":"created","pid":812,"flags":30064771072}'
	'{"time":1234.567890,"xid":42,"event":"setup-done","flags":0}'
	'{"time":1234.567890,"xid":43,"event":"persistent","persistent":true,"flags":274877906944}'
	'{"time":1234.567890,"xid":42,"event":"reboot","cmd":"halt","pid":900}'
	'{"time":1234.567890,"xid":42,"event":"ended","status":3,"cmd":"halt"}'
	'{"time":1234.567890,"xid":43,"event":"ended","signal":"KILL","cmd":"none"}'
	'{"time":1234.567890,"xid":44,"event":"ended","code":4991,"cmd":"0x1234"}'
	'{"time":1234.567890,"xid":42,"event":"limit-refused","resource":"nproc","usage":2,"soft":null,"hard":2,"hits":1,"dropped":0}'
	'{"time":1234.567890,"xid":42,"event":"limit-soft","resource":"23","usage":20,"soft":10,"hard":null,"hits":4,"dropped":7}'
	'{"time":1234.567890,"xid":42,"event":"event-200","pid":5,"cmd":"restart"}'
	'{"time":1234.567890,"xid":45,"event":"ended","signal":"64"}'
	'{"time":1234.567890,"xid":46,"event":"created"}'
)
SHIM_WARNINGS=(
	'vctx: events were lost: they came faster than they were read'
	'vctx: skipped an event that could not be read: Bad message'
)

setup() {
	require_vctx
}

# assert_usage_error MESSAGE: the last run failed with MESSAGE and the
# "Try" line of vctx monitor, and printed nothing on stdout
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1" \
		"Try 'vctx monitor --help' for more information."
}

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1"
}

# A faked kernel with vserver, over a real kernel without its events
fake_vserver_without_events() {
	if kernel_has_vserver; then
		skip 'the running kernel has vserver: its events are tested in the VM'
	fi
	use_fake_vserver
	fake_contexts
}

@test "vctx monitor --help prints the usage on stdout and exits 0" {
	run --separate-stderr "$VCTX" monitor --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vctx monitor [options]'
	assert_line 'Print the events of contexts as they happen, one line each.'
	assert_line ' -x, --xid <xid>      only the events of this context (repeatable)'
	assert_line ' -g, --group <group>  only the events of this group (repeatable)'
	assert_line ' -n, --count <n>      exit after printing <n> events'
	assert_line ' -J, --json           print one JSON object per line'
	assert_line ' -h, --help           display this help'
	assert_line 'Groups (default: all):'
	assert_line ' lifecycle  contexts created, set up, made persistent, rebooted, ended'
	assert_line ' limits     charges refused at a hard limit, soft limits crossed'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
}

@test "vctx monitor -h prints the same usage as --help" {
	run --separate-stderr "$VCTX" monitor --help
	local long="$output"
	run --separate-stderr "$VCTX" monitor -h
	assert_success
	assert_output "$long"
}

@test "vctx --help lists the monitor command" {
	run --separate-stderr "$VCTX" --help
	assert_success
	assert_line --regexp '^ monitor +print the events of contexts as they happen$'
}

@test "Try to monitor an unknown group" {
	run --separate-stderr "$VCTX" monitor --group lifecycles
	assert_usage_error "unknown group 'lifecycles'"
}

@test "Try to monitor a group given in capitals" {
	run --separate-stderr "$VCTX" monitor -g LIMITS
	assert_usage_error "unknown group 'LIMITS'"
}

@test "Try to monitor an empty group name" {
	run --separate-stderr "$VCTX" monitor --group=
	assert_usage_error "unknown group ''"
}

@test "Try to monitor a bad group after a good one" {
	run --separate-stderr "$VCTX" monitor -g limits -g nope
	assert_usage_error "unknown group 'nope'"
}

@test "Try to monitor a context id that is not a number" {
	run --separate-stderr "$VCTX" monitor --xid web
	assert_usage_error "invalid context id 'web'"
}

@test "Try to monitor context 1, the spectator" {
	run --separate-stderr "$VCTX" monitor -x 1
	assert_usage_error "invalid context id '1'"
}

@test "Try to monitor context 0, the host" {
	run --separate-stderr "$VCTX" monitor -x 0
	assert_usage_error "invalid context id '0'"
}

@test "Try to monitor a context id above 65535" {
	run --separate-stderr "$VCTX" monitor -x 42 -x 65536
	assert_usage_error "invalid context id '65536'"
}

@test "Try to monitor a negative context id" {
	run --separate-stderr "$VCTX" monitor --xid=-2
	assert_usage_error "invalid context id '-2'"
}

@test "Try to monitor an empty context id" {
	run --separate-stderr "$VCTX" monitor --xid ''
	assert_usage_error "invalid context id ''"
}

@test "Try to monitor a count of 0 events" {
	run --separate-stderr "$VCTX" monitor --count 0
	assert_usage_error "invalid count '0'"
}

@test "Try to monitor a count that is not a number" {
	run --separate-stderr "$VCTX" monitor -n 1x
	assert_usage_error "invalid count '1x'"
}

@test "Try to monitor a negative count" {
	run --separate-stderr "$VCTX" monitor -n -1
	assert_usage_error "invalid count '-1'"
}

@test "Try to monitor a count above 4294967295" {
	run --separate-stderr "$VCTX" monitor --count 4294967296
	assert_usage_error "invalid count '4294967296'"
}

@test "Try to run vctx monitor with an argument" {
	run --separate-stderr "$VCTX" monitor 42
	assert_usage_error "unexpected argument '42'"
}

@test "Try to run vctx monitor with an argument after its options" {
	run --separate-stderr "$VCTX" monitor -J -g limits lifecycle
	assert_usage_error "unexpected argument 'lifecycle'"
}

@test "Try to run vctx monitor with an unknown long option" {
	run --separate-stderr "$VCTX" monitor --follow
	assert_usage_error "unrecognized option '--follow'"
}

@test "Try to run vctx monitor with an unknown short option" {
	run --separate-stderr "$VCTX" monitor -f
	assert_usage_error "invalid option -- 'f'"
}

@test "Try to run vctx monitor with --xid and no context" {
	run --separate-stderr "$VCTX" monitor --xid
	assert_usage_error "option '--xid' requires an argument"
}

@test "Try to run vctx monitor with -g and no group" {
	run --separate-stderr "$VCTX" monitor -g
	assert_usage_error "option requires an argument -- 'g'"
}

@test "Try to run vctx monitor with an argument to --json" {
	run --separate-stderr "$VCTX" monitor --json=yes
	assert_usage_error "option '--json' doesn't allow an argument"
}

@test "Try to monitor events on a kernel without vserver" {
	if kernel_has_vserver; then
		skip 'the running kernel has vserver'
	fi
	run --separate-stderr "$VCTX" monitor
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" "$ENOSYS_MESSAGE"
}

@test "Try to monitor events on a kernel with vserver built in but not enabled" {
	fake_vserver_without_events
	fake_disabled_vserver
	run --separate-stderr "$VCTX" monitor --json
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" "$DISABLED_MESSAGE"
}

@test "Try to monitor events on a kernel with vserver but without its events" {
	fake_vserver_without_events
	run --separate-stderr "$VCTX" monitor
	assert_error 'the running kernel has no vserver event family in this network namespace'
}

@test "Try to monitor one group on a kernel without vserver events" {
	fake_vserver_without_events
	run --separate-stderr "$VCTX" monitor -g limits -x 42 -n 1 -J
	assert_error 'the running kernel has no vserver event family in this network namespace'
}

@test "Try to monitor events from inside a context" {
	fake_vserver_without_events
	export FAKE_VSERVER_TASK_XIDS="0:42"
	run --separate-stderr "$VCTX" monitor
	assert_error 'cannot monitor events from inside context 42: only the host receives them'
}

@test "A usage error is reported before the kernel is asked" {
	fake_vserver_without_events
	export FAKE_VSERVER_TASK_XIDS="0:42"
	run --separate-stderr "$VCTX" monitor -g nope
	assert_usage_error "unknown group 'nope'"
	assert_equal "$(cat "$FAKE_VSERVER_LOG")" ''
}

@test "vctx monitor prints each event on one line with its keys" {
	use_fake_events
	run --separate-stderr "$VCTX" monitor --count 12
	assert_success
	assert_output "$(printf '%s\n' "${EVENT_LINES[@]}")"
	assert_stderr "${SHIM_WARNINGS[@]}"
}

@test "vctx monitor --json prints each event as one JSON object" {
	use_fake_events
	run --separate-stderr "$VCTX" monitor -J -n 12
	assert_success
	assert_output "$(printf '%s\n' "${EVENT_JSON[@]}")"
	assert_stderr "${SHIM_WARNINGS[@]}"
	if command -v jq >/dev/null; then
		jq -e . <<<"$output" >/dev/null
	fi
}

@test "vctx monitor --xid prints only the events of those contexts" {
	use_fake_events
	run --separate-stderr "$VCTX" monitor -x 43 --xid 46 --count 3
	assert_success
	assert_output "$(printf '%s\n' "${EVENT_LINES[2]}" "${EVENT_LINES[5]}" \
		"${EVENT_LINES[11]}")"
}

@test "vctx monitor --count stops after that many events" {
	use_fake_events
	run --separate-stderr "$VCTX" monitor -n 2
	assert_success
	assert_output "$(printf '%s\n' "${EVENT_LINES[@]:0:2}")"
	assert_equal "$stderr" ''
}

@test "SIGTERM ends vctx monitor with status 0" {
	command -v timeout >/dev/null || skip 'timeout(1) is not installed'
	use_fake_events
	run --separate-stderr timeout --preserve-status 1 "$VCTX" monitor -x 43
	assert_success
	assert_output "$(printf '%s\n' "${EVENT_LINES[2]}" "${EVENT_LINES[5]}")"
}

@test "SIGINT ends vctx monitor with status 0" {
	command -v timeout >/dev/null || skip 'timeout(1) is not installed'
	use_fake_events
	run --separate-stderr timeout --preserve-status -s INT 1 "$VCTX" \
		monitor -J -x 46
	assert_success
	assert_output "${EVENT_JSON[11]}"
}

@test "Try to monitor events without the permission to join a group" {
	use_fake_events
	export FAKE_EVENTS_JOIN=28	# NLE_PERM
	run --separate-stderr "$VCTX" monitor
	assert_error 'permission denied: only root in the host may monitor events'
}

@test "Try to monitor a group the kernel does not have" {
	use_fake_events
	export FAKE_EVENTS_RESOLVE_GRP=12	# NLE_OBJ_NOTFOUND
	run --separate-stderr "$VCTX" monitor -g limits
	assert_error "the running kernel has no vserver event group 'limits'"
}
