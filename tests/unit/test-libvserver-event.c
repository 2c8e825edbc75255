// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The events of libvserver: the parser of one message, fed with messages
 * built here byte by byte as the kernel lays them out, and the checks the
 * event functions make before they touch a socket.  Each message is
 * parsed from a heap copy of exactly the bytes handed over, so that the
 * sanitizer build catches a read past them.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <vserver.h>

#include "event.h"
#include "tap.h"

/* The family id the tests pretend the kernel gave VS_GENL_NAME */
#define FAMILY		0x1c
#define OTHER_FAMILY	0x1d

/* A message under construction */
struct msg {
	unsigned char b[512] __attribute__((aligned(8)));
	size_t len;
};

static void msg_start(struct msg *m, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr nlh = { .nlmsg_type = type };
	struct genlmsghdr gh = { .cmd = cmd, .version = VS_GENL_VERSION };

	memset(m, 0, sizeof(*m));
	memcpy(m->b, &nlh, sizeof(nlh));
	memcpy(m->b + NLMSG_HDRLEN, &gh, sizeof(gh));
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* An attribute whose header says len bytes of payload, padded */
static void put_attr(struct msg *m, uint16_t type, const void *data,
		     size_t len)
{
	struct nlattr nla = {
		.nla_len = (uint16_t)(NLA_HDRLEN + len),
		.nla_type = type,
	};

	memcpy(m->b + m->len, &nla, sizeof(nla));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

/* As nla_put_u64_64bit(): a PAD attribute first when it aligns the value */
static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	if ((m->len + NLA_HDRLEN) % 8)
		put_attr(m, VS_EVENT_A_PAD, NULL, 0);
	put_attr(m, type, &v, sizeof(v));
}

/* The header's length: the whole message */
static void msg_end(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;

	memcpy(m->b, &len, sizeof(len));
}

/* The attributes every event has */
static void msg_event(struct msg *m, uint8_t cmd, uint32_t xid,
		      uint64_t time_ns)
{
	msg_start(m, FAMILY, cmd);
	put_u32(m, VS_EVENT_A_XID, xid);
	put_u64(m, VS_EVENT_A_TIME, time_ns);
}

/*
 * vs_event_parse() on the first len bytes of m, from a buffer of exactly
 * that size, as the family, into *ev filled with 0xAA first; errno is its
 * errno, or 0 on success.
 */
static int parse_n(const struct msg *m, size_t len, int family,
		   struct vs_event_info *ev)
{
	void *copy = malloc(len ? len : 1);
	int ret, err;

	if (!copy) {
		tap_diag("out of memory");
		exit(1);
	}
	memcpy(copy, m->b, len);
	memset(ev, 0xAA, sizeof(*ev));
	errno = 0;
	ret = vs_event_parse(copy, len, family, ev);
	err = errno;
	free(copy);
	errno = ret == 0 ? 0 : err;
	return ret;
}

static int parse(const struct msg *m, struct vs_event_info *ev)
{
	return parse_n(m, m->len, FAMILY, ev);
}

#define BIT(a)	(UINT64_C(1) << (a))

/* ev holds nothing but its fill pattern: the parser left it alone */
static bool untouched(const struct vs_event_info *ev)
{
	const unsigned char *p = (const unsigned char *)ev;
	size_t i;

	for (i = 0; i < sizeof(*ev); i++)
		if (p[i] != 0xAA)
			return false;
	return true;
}

static void test_lifecycle(void)
{
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_event(&m, VS_EVENT_CREATED, 42, UINT64_C(1234567890123));
	put_u64(&m, VS_EVENT_A_FLAGS, UINT64_C(0x700000000));
	put_u32(&m, VS_EVENT_A_PID, 4711);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_CREATED && ev.xid == 42 &&
	       ev.time_ns == UINT64_C(1234567890123) &&
	       ev.flags == UINT64_C(0x700000000) && ev.pid == 4711,
	       "a created event gives its xid, time, flags and pid");
	tap_ok(r == 0 && ev.present == (BIT(VS_EVENT_A_XID) |
					BIT(VS_EVENT_A_TIME) |
					BIT(VS_EVENT_A_FLAGS) |
					BIT(VS_EVENT_A_PID)) &&
	       VS_EVENT_PRESENT(&ev, VS_EVENT_A_PID) &&
	       !VS_EVENT_PRESENT(&ev, VS_EVENT_A_PAD),
	       "present has the bits of the attributes received, not PAD's");
	tap_ok(r == 0 && ev.exit_code == 0 && ev.reboot_cmd == 0 &&
	       ev.resource == 0 && ev.usage == 0 && ev.soft == 0 &&
	       ev.hard == 0 && ev.hits == 0 && ev.dropped == 0 &&
	       ev.persistent == 0,
	       "the fields of attributes not received are 0");

	msg_event(&m, VS_EVENT_SETUP_DONE, 43, 5);
	put_u64(&m, VS_EVENT_A_FLAGS, UINT64_C(0x4000000000));
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_SETUP_DONE && ev.xid == 43 &&
	       ev.time_ns == 5 && ev.flags == UINT64_C(0x4000000000) &&
	       ev.present == (BIT(VS_EVENT_A_XID) | BIT(VS_EVENT_A_TIME) |
			      BIT(VS_EVENT_A_FLAGS)),
	       "a setup-done event gives its flags");

	msg_event(&m, VS_EVENT_PERSISTENT, 44, 6);
	put_u8(&m, VS_EVENT_A_PERSISTENT, 1);
	put_u64(&m, VS_EVENT_A_FLAGS, UINT64_C(0x4000000000));
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_PERSISTENT && ev.xid == 44 &&
	       ev.persistent == 1 && ev.flags == UINT64_C(0x4000000000) &&
	       VS_EVENT_PRESENT(&ev, VS_EVENT_A_PERSISTENT),
	       "a persistent event gives persistent and the flags");

	msg_event(&m, VS_EVENT_REBOOT, 45, 7);
	put_u32(&m, VS_EVENT_A_REBOOT_CMD, 0xCDEF0123);
	put_u32(&m, VS_EVENT_A_PID, 99);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_REBOOT &&
	       ev.reboot_cmd == 0xCDEF0123 && ev.pid == 99,
	       "a reboot event gives the command and the caller's pid");

	msg_event(&m, VS_EVENT_ENDED, 46, 8);
	put_u32(&m, VS_EVENT_A_EXIT_CODE, 0x0300);
	put_u32(&m, VS_EVENT_A_REBOOT_CMD, 0);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_ENDED && ev.exit_code == 0x300 &&
	       ev.reboot_cmd == 0 &&
	       VS_EVENT_PRESENT(&ev, VS_EVENT_A_REBOOT_CMD),
	       "an ended event gives the wait status and the reboot command");

	msg_event(&m, VS_EVENT_ENDED, 46, 8);
	put_u32(&m, VS_EVENT_A_EXIT_CODE, 0xFFFFFFFF);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.exit_code == -1,
	       "the exit code is signed");
}

static void test_limits(void)
{
	static const uint8_t cmds[] = {
		VS_EVENT_LIMIT_REFUSED, VS_EVENT_LIMIT_SOFT,
	};
	struct vs_event_info ev;
	struct msg m;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cmds); i++) {
		msg_event(&m, cmds[i], 2, UINT64_C(1) << 40);
		put_u32(&m, VS_EVENT_A_RESOURCE, VLIMIT_NSOCK);
		put_u64(&m, VS_EVENT_A_USAGE, 10);
		put_u64(&m, VS_EVENT_A_SOFT, 8);
		put_u64(&m, VS_EVENT_A_HARD, CRLIM_INFINITY);
		put_u32(&m, VS_EVENT_A_HITS, 3);
		put_u32(&m, VS_EVENT_A_DROPPED, 17);
		msg_end(&m);
		r = parse(&m, &ev);
		tap_ok(r == 0 && ev.type == cmds[i] && ev.xid == 2 &&
		       ev.time_ns == UINT64_C(1) << 40 &&
		       ev.resource == VLIMIT_NSOCK && ev.usage == 10 &&
		       ev.soft == 8 && ev.hard == CRLIM_INFINITY &&
		       ev.hits == 3 && ev.dropped == 17 &&
		       ev.present == (BIT(VS_EVENT_A_XID) |
				      BIT(VS_EVENT_A_TIME) |
				      BIT(VS_EVENT_A_RESOURCE) |
				      BIT(VS_EVENT_A_USAGE) |
				      BIT(VS_EVENT_A_SOFT) |
				      BIT(VS_EVENT_A_HARD) |
				      BIT(VS_EVENT_A_HITS) |
				      BIT(VS_EVENT_A_DROPPED)),
		       "a limit event (command %u) gives the resource, usage, "
		       "limits, hits and dropped", cmds[i]);
	}
}

static void test_tolerated(void)
{
	static const unsigned char blob[12] = "newer thing";
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	put_u64(&m, VS_EVENT_A_FLAGS, 3);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.flags == 3 && ev.pid == 0 &&
	       !VS_EVENT_PRESENT(&ev, VS_EVENT_A_PID),
	       "a missing pid is 0 and marked absent, the event still read");

	msg_start(&m, FAMILY, VS_EVENT_REBOOT);
	put_attr(&m, VS_EVENT_A_MAX + 1, blob, sizeof(blob));
	put_u32(&m, VS_EVENT_A_XID, 7);
	put_attr(&m, VS_EVENT_A_MAX + 9, blob, 3);
	put_u64(&m, VS_EVENT_A_TIME, 9);
	put_u32(&m, VS_EVENT_A_REBOOT_CMD, 0x01234567);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_REBOOT && ev.xid == 7 &&
	       ev.time_ns == 9 && ev.reboot_cmd == 0x01234567 &&
	       ev.present == (BIT(VS_EVENT_A_XID) | BIT(VS_EVENT_A_TIME) |
			      BIT(VS_EVENT_A_REBOOT_CMD)),
	       "attributes past VS_EVENT_A_MAX are ignored");

	msg_event(&m, VS_EVENT_MAX + 1, 8, 10);
	put_u32(&m, VS_EVENT_A_PID, 5);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_MAX + 1 && ev.xid == 8 &&
	       ev.pid == 5,
	       "a command newer than the header is handed over with its "
	       "type");

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	msg_end(&m);
	m.b[NLMSG_HDRLEN + 1] = VS_GENL_VERSION + 1;
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.xid == 42,
	       "another family version is read by the same attributes");
}

static void test_refused(void)
{
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	put_u64(&m, VS_EVENT_A_TIME, 1);
	put_u32(&m, VS_EVENT_A_PID, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "an event without an xid fails with EBADMSG, *ev untouched");

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	put_u32(&m, VS_EVENT_A_XID, 4);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "an event without a time fails with EBADMSG");

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	put_attr(&m, VS_EVENT_A_XID, "\1\0", 2);
	put_u64(&m, VS_EVENT_A_TIME, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "a 2-byte xid fails with EBADMSG");

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	put_u32(&m, VS_EVENT_A_XID, 4);
	put_u32(&m, VS_EVENT_A_TIME, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "a 4-byte time fails with EBADMSG");

	msg_event(&m, VS_EVENT_CREATED, 4, 1);
	put_u64(&m, VS_EVENT_A_PID, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "an 8-byte pid fails with EBADMSG");

	msg_event(&m, VS_EVENT_PERSISTENT, 4, 1);
	put_attr(&m, VS_EVENT_A_PERSISTENT, NULL, 0);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "an empty persistent attribute fails with EBADMSG");

	/* The last attribute claims 8 bytes more than the message has */
	msg_event(&m, VS_EVENT_CREATED, 4, 1);
	put_u32(&m, VS_EVENT_A_PID, 77);
	m.b[m.len - 8] += 8;
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && !VS_EVENT_PRESENT(&ev, VS_EVENT_A_PID) &&
	       ev.pid == 0,
	       "an attribute running past the message is not read");

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	put_u32(&m, VS_EVENT_A_XID, 4);
	m.b[m.len - 8] += 40;
	put_u64(&m, VS_EVENT_A_TIME, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "an xid whose length runs past the message fails with "
	       "EBADMSG");
}

static void test_truncated(void)
{
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	put_u32(&m, VS_EVENT_A_PID, 2);
	msg_end(&m);

	r = parse_n(&m, m.len - 4, FAMILY, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "a message longer than the bytes received fails with EBADMSG");

	r = parse_n(&m, sizeof(struct nlmsghdr) - 1, FAMILY, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "fewer bytes than a netlink header fail with EBADMSG");

	r = parse_n(&m, 0, FAMILY, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "no bytes at all fail with EBADMSG");

	msg_start(&m, FAMILY, VS_EVENT_CREATED);
	m.len = NLMSG_HDRLEN + 2;
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "a message cut inside its generic netlink header fails with "
	       "EBADMSG");

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	msg_end(&m);
	memset(m.b, 0, 4);
	m.b[0] = 8;
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG && untouched(&ev),
	       "a length below the netlink header fails with EBADMSG");

	/* A message whose last attribute was cut off with the message */
	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	put_u64(&m, VS_EVENT_A_FLAGS, 9);
	m.len -= 4;
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && !VS_EVENT_PRESENT(&ev, VS_EVENT_A_FLAGS),
	       "an attribute cut off with its message is not read");
}

static void test_context(void)
{
	static const char name[] = "web";
	char long_name[VHILEN + 8];
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_event(&m, VS_EVENT_CONTEXT, 42, 1000);
	put_u64(&m, VS_EVENT_A_FLAGS, 0x400000000ULL);
	put_attr(&m, VS_EVENT_A_NAME, name, sizeof(name));
	put_u32(&m, VS_EVENT_A_TASKS, 3);
	put_u32(&m, VS_EVENT_A_PID, 77);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.type == VS_EVENT_CONTEXT && ev.xid == 42 &&
	       ev.flags == 0x400000000ULL && strcmp(ev.name, "web") == 0 &&
	       ev.tasks == 3 && ev.pid == 77 &&
	       VS_EVENT_PRESENT(&ev, VS_EVENT_A_NAME) &&
	       VS_EVENT_PRESENT(&ev, VS_EVENT_A_TASKS),
	       "a context of a dump gives its name, tasks and init");

	/* A name longer than a context's is refused, never overflows */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	msg_event(&m, VS_EVENT_CONTEXT, 42, 1000);
	put_attr(&m, VS_EVENT_A_NAME, long_name, sizeof(long_name));
	msg_end(&m);
	errno = 0;
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == EBADMSG,
	       "a name longer than VHILEN fails with EBADMSG");

	/* No name: an empty one */
	msg_event(&m, VS_EVENT_CONTEXT, 43, 1000);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == 0 && ev.name[0] == '\0' &&
	       !VS_EVENT_PRESENT(&ev, VS_EVENT_A_NAME),
	       "a context without a name has an empty one");

	errno = 0;
	r = vs_context_dump(NULL, NULL);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_context_dump() without a function fails with EINVAL");
}

static void test_skipped(void)
{
	struct vs_event_info ev;
	struct msg m;
	int r;

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	msg_end(&m);
	r = parse_n(&m, m.len, OTHER_FAMILY, &ev);
	tap_ok(r == -1 && errno == ENOMSG && untouched(&ev),
	       "a message of another family fails with ENOMSG");

	msg_start(&m, NLMSG_ERROR, 0);
	m.len = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == ENOMSG && untouched(&ev),
	       "an NLMSG_ERROR message fails with ENOMSG");

	msg_event(&m, VS_EVENT_UNSPEC, 42, 1);
	msg_end(&m);
	r = parse(&m, &ev);
	tap_ok(r == -1 && errno == ENOMSG && untouched(&ev),
	       "command 0 fails with ENOMSG");

	msg_event(&m, VS_EVENT_CREATED, 42, 1);
	msg_end(&m);
	r = parse_n(&m, m.len, 0, &ev);
	tap_ok(r == -1 && errno == ENOMSG && untouched(&ev),
	       "no message belongs to family 0");
}

static void test_arguments(void)
{
	struct vs_event_monitor *mon = NULL;
	struct vs_event_info ev;
	int r;

	errno = 0;
	r = vs_event_open(NULL);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_event_open(NULL) fails with EINVAL");
	errno = 0;
	r = vs_event_subscribe(NULL, VS_GENL_MCGRP_LIFECYCLE);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_event_subscribe() without a monitor fails with EINVAL");
	errno = 0;
	r = vs_event_fd(NULL);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_event_fd() without a monitor fails with EINVAL");
	errno = 0;
	r = vs_event_recv(NULL, &ev);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_event_recv() without a monitor fails with EINVAL");
	errno = 1234;
	vs_event_close(NULL);
	tap_ok(errno == 1234, "vs_event_close(NULL) does nothing");

	/* The running kernel decides; both answers are checked */
	errno = 1234;
	r = vs_event_open(&mon);
	if (r == -1) {
		tap_ok(errno == ENOENT || errno == EPROTONOSUPPORT ||
		       errno == EAFNOSUPPORT,
		       "vs_event_open() on a kernel without the family fails "
		       "with ENOENT (got %d)", errno);
		tap_skip("the running kernel has no vserver event family");
		tap_skip("the running kernel has no vserver event family");
		return;
	}
	tap_ok(errno == 1234 && mon, "vs_event_open() succeeds and leaves "
	       "errno alone");
	errno = 0;
	r = vs_event_subscribe(mon, "no-such-group");
	tap_ok(r == -1 && errno == ENOENT,
	       "vs_event_subscribe() of an unknown group fails with ENOENT");
	errno = 0;
	r = vs_event_recv(mon, NULL);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_event_recv() without an event fails with EINVAL");
	vs_event_close(mon);
}

int main(void)
{
	tap_plan(44);
	test_lifecycle();
	test_limits();
	test_tolerated();
	test_refused();
	test_truncated();
	test_skipped();
	test_context();
	test_arguments();
	return tap_done();
}
