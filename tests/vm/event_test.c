// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events and reboot(2) in contexts.
 *
 * The generic netlink family VS_GENL_NAME: that it resolves in the initial
 * network namespace only, with its two groups and no command; who may
 * join the groups (root of the host; not a user without CAP_SYS_ADMIN,
 * and a socket made in a context never sees an event); the life cycle
 * events of one context in their order and with every attribute; the
 * limit events, their rate limit and what they count.
 *
 * reboot(2) called in a context ends that context: the call never
 * returns, every task of the context is killed, VCMD_wait_exit and the
 * VS_EVENT_ENDED event report the command.  Bad magic numbers, unknown
 * commands and a caller without CAP_KILL are refused, CAD_ON and CAD_OFF
 * do nothing, and the context lives on.
 *
 * reboot(2) is only ever called through guest_reboot(), which refuses
 * (and exits) unless the calling process is in a context of xid >= 2,
 * and which drops CAP_SYS_BOOT first: whatever the kernel does, the
 * machine that runs the tests cannot reboot because of this file.
 *
 * The events are read with a raw NETLINK_GENERIC socket: the helpers at
 * the top resolve the family and its groups (CTRL_CMD_GETFAMILY), join
 * the groups and parse the attributes of each event.  Processes that
 * enter a context are forked children; they never use ASSERT/EXPECT but
 * log with TH_LOG and report through their exit status or a pipe.
 *
 * Contexts of this file have xids 4400-4499.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/reboot.h>

#include "kselftest_harness.h"
#include "common.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

#define CAP(c)			(1ULL << (c))

/* How far before the test's own reading of CLOCK_BOOTTIME a TIME may be */
#define TIME_SLACK_NS		10000000ULL

/* How long to wait for something that should come at once (TCG is slow) */
#define WAIT_MS			10000

/* How long to listen for an event that must not come */
#define QUIET_MS		300

/* Exit codes of guest_reboot() when it refuses to call reboot(2) */
#define EXIT_NOT_IN_CONTEXT	90
#define EXIT_KEEPS_SYS_BOOT	91

/* Clocks */

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

static int64_t now_ms(void)
{
	return (int64_t)(clock_ns(CLOCK_MONOTONIC) / 1000000ULL);
}

/* Generic netlink: the family and its groups */

/**
 * struct vs_genl - the family as the controller describes it
 * @family: its id (the nlmsg_type of its messages), 0 if unknown
 * @version: CTRL_ATTR_VERSION
 * @lifecycle: the id of group VS_GENL_MCGRP_LIFECYCLE, 0 if absent
 * @limits: the id of group VS_GENL_MCGRP_LIMITS, 0 if absent
 * @groups: how many groups the family has
 * @has_ops: the family lists commands (CTRL_ATTR_OPS)
 */
struct vs_genl {
	uint16_t family;
	uint32_t version;
	uint32_t lifecycle;
	uint32_t limits;
	int groups;
	bool has_ops;
};

/* A netlink attribute that fits in the @rem bytes at @a */
static bool attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem;
}

static const struct nlattr *attr_first(const void *p, int len, int *rem)
{
	*rem = len;
	return attr_ok(p, len) ? p : NULL;
}

static const struct nlattr *attr_next(const struct nlattr *a, int *rem)
{
	int step = NLA_ALIGN(a->nla_len);

	*rem -= step;
	a = (const void *)((const char *)a + step);
	return attr_ok(a, *rem) ? a : NULL;
}

static const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (attr_len(a) >= 4)
		memcpy(&v, attr_data(a), 4);
	return v;
}

/* A NETLINK_GENERIC socket, bound: its descriptor, or -errno */
static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int size = 1 << 20, err;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	/* Room for a burst of events; the default is enough if refused. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/* Join multicast group @group: 0 or -errno */
static int nl_join(int fd, uint32_t group)
{
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		return -errno;
	return 0;
}

/*
 * One datagram into @buf within @ms: its length, -ETIMEDOUT, -EMSGSIZE
 * if it did not fit, or -errno (-ENOBUFS: messages were lost).
 */
static int nl_recv(int fd, void *buf, size_t len, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t deadline = now_ms() + ms;
	ssize_t n;
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, ms < 0 ? 0 : ms);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret > 0) {
			n = recv(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC);
			if (n >= 0)
				return (size_t)n > len ? -EMSGSIZE : (int)n;
			if (errno != EAGAIN && errno != EINTR)
				return -errno;
		}
		ms = (int)(deadline - now_ms());
		if (ms <= 0 && ret == 0)
			return -ETIMEDOUT;
	}
}

static uint32_t nl_seq = 1;

/*
 * Send a generic netlink request of @cmd to family @type, with string
 * attribute @attr = @str unless @str is NULL: its sequence number, or
 * -errno.
 */
static int genl_send(int fd, uint16_t type, uint16_t flags, uint8_t cmd,
		     uint16_t attr, const char *str)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		char attrs[128];
	} req;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlattr *a = (struct nlattr *)req.attrs;
	size_t len = NLMSG_LENGTH(GENL_HDRLEN);

	memset(&req, 0, sizeof(req));
	if (str) {
		a->nla_type = attr;
		a->nla_len = NLA_HDRLEN + strlen(str) + 1;
		memcpy((char *)a + NLA_HDRLEN, str, strlen(str) + 1);
		len += NLA_ALIGN(a->nla_len);
	}
	req.nh.nlmsg_len = len;
	req.nh.nlmsg_type = type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req.nh.nlmsg_seq = ++nl_seq;
	req.gh.cmd = cmd;
	req.gh.version = 1;
	if (sendto(fd, &req, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return (int)req.nh.nlmsg_seq;
}

/* The groups of a CTRL_ATTR_MCAST_GROUPS attribute into @g */
static void parse_groups(const struct nlattr *groups, struct vs_genl *g)
{
	const struct nlattr *grp, *a;
	int rem, rem2;

	for (grp = attr_first(attr_data(groups), attr_len(groups), &rem); grp;
	     grp = attr_next(grp, &rem)) {
		const char *name = NULL;
		uint32_t id = 0;

		for (a = attr_first(attr_data(grp), attr_len(grp), &rem2); a;
		     a = attr_next(a, &rem2)) {
			if (attr_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    attr_len(a) > 0 &&
			    memchr(attr_data(a), 0, attr_len(a)))
				name = attr_data(a);
			else if (attr_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = attr_u32(a);
		}
		g->groups++;
		if (name && !strcmp(name, VS_GENL_MCGRP_LIFECYCLE))
			g->lifecycle = id;
		else if (name && !strcmp(name, VS_GENL_MCGRP_LIMITS))
			g->limits = id;
	}
}

/*
 * Resolve the family through socket @fd: 0 with @g filled in, or the
 * controller's error (-ENOENT: no such family here), or -errno.
 */
static int genl_resolve(int fd, struct vs_genl *g)
{
	char buf[8192];
	int seq, n, rem;

	memset(g, 0, sizeof(*g));
	seq = genl_send(fd, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY,
			CTRL_ATTR_FAMILY_NAME, VS_GENL_NAME);
	if (seq < 0)
		return seq;
	for (;;) {
		const struct nlmsghdr *nh = (const void *)buf;
		const struct nlattr *a;

		n = nl_recv(fd, buf, sizeof(buf), 5000);
		if (n < 0)
			return n;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != (uint32_t)seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				return e->error ? e->error : -EPROTO;
			}
			if (nh->nlmsg_type != GENL_ID_CTRL ||
			    nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			for (a = attr_first((const char *)NLMSG_DATA(nh) +
					    GENL_HDRLEN,
					    nh->nlmsg_len -
					    NLMSG_LENGTH(GENL_HDRLEN), &rem);
			     a; a = attr_next(a, &rem)) {
				switch (attr_type(a)) {
				case CTRL_ATTR_FAMILY_ID:
					if (attr_len(a) >= 2)
						memcpy(&g->family,
						       attr_data(a), 2);
					break;
				case CTRL_ATTR_VERSION:
					g->version = attr_u32(a);
					break;
				case CTRL_ATTR_OPS:
					g->has_ops = attr_len(a) > 0;
					break;
				case CTRL_ATTR_MCAST_GROUPS:
					parse_groups(a, g);
					break;
				}
			}
			return g->family ? 0 : -EPROTO;
		}
	}
}

/* The same through a socket of its own */
static int genl_resolve_new(struct vs_genl *g)
{
	int fd = nl_open(), ret;

	if (fd < 0)
		return fd;
	ret = genl_resolve(fd, g);
	close(fd);
	return ret;
}

/* Send command @cmd to the family and return the kernel's answer */
static int genl_command(int fd, uint16_t family, uint8_t cmd)
{
	char buf[4096];
	int seq = genl_send(fd, family, NLM_F_ACK, cmd, 0, NULL), n;

	if (seq < 0)
		return seq;
	for (;;) {
		const struct nlmsghdr *nh = (const void *)buf;

		n = nl_recv(fd, buf, sizeof(buf), 5000);
		if (n < 0)
			return n;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n))
			if (nh->nlmsg_seq == (uint32_t)seq &&
			    nh->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)
					NLMSG_DATA(nh))->error;
	}
}

/* Events */

/**
 * struct event - one event, as received
 * @cmd: VS_EVENT_*
 * @have: bit N set: attribute N was there, with the right size
 * @bad: bit N set: attribute N was there with a wrong size
 * @malformed: the attributes did not parse to the end
 * the others: the attributes' values
 */
struct event {
	int cmd;
	uint32_t have, bad;
	bool malformed;
	uint32_t xid, pid, reboot_cmd, resource, hits, dropped;
	uint64_t time, flags, usage, soft, hard;
	uint8_t persistent;
	int32_t exit_code;
	uint32_t tasks;
	char name[VHILEN];
};

#define HAS(ev, attr)		((int)(((ev)->have >> (attr)) & 1))

/* The payload size of each attribute; 0: any (PAD) */
static const uint8_t attr_size[VS_EVENT_A_MAX + 1] = {
	[VS_EVENT_A_XID] = 4,
	[VS_EVENT_A_TIME] = 8,
	[VS_EVENT_A_FLAGS] = 8,
	[VS_EVENT_A_PID] = 4,
	[VS_EVENT_A_PERSISTENT] = 1,
	[VS_EVENT_A_EXIT_CODE] = 4,
	[VS_EVENT_A_REBOOT_CMD] = 4,
	[VS_EVENT_A_RESOURCE] = 4,
	[VS_EVENT_A_USAGE] = 8,
	[VS_EVENT_A_SOFT] = 8,
	[VS_EVENT_A_HARD] = 8,
	[VS_EVENT_A_HITS] = 4,
	[VS_EVENT_A_DROPPED] = 4,
	[VS_EVENT_A_TASKS] = 4,
};

static const char *event_name(int cmd)
{
	static const char *const names[] = {
		[VS_EVENT_CREATED] = "CREATED",
		[VS_EVENT_SETUP_DONE] = "SETUP_DONE",
		[VS_EVENT_PERSISTENT] = "PERSISTENT",
		[VS_EVENT_REBOOT] = "REBOOT",
		[VS_EVENT_ENDED] = "ENDED",
		[VS_EVENT_LIMIT_REFUSED] = "LIMIT_REFUSED",
		[VS_EVENT_LIMIT_SOFT] = "LIMIT_SOFT",
		[VS_EVENT_CONTEXT] = "CONTEXT",
	};

	if (cmd > 0 && cmd <= VS_EVENT_MAX && names[cmd])
		return names[cmd];
	return "UNKNOWN";
}

/* Where attribute @type goes in @ev */
static void *event_field(struct event *ev, int type)
{
	switch (type) {
	case VS_EVENT_A_XID:		return &ev->xid;
	case VS_EVENT_A_TIME:		return &ev->time;
	case VS_EVENT_A_FLAGS:		return &ev->flags;
	case VS_EVENT_A_PID:		return &ev->pid;
	case VS_EVENT_A_PERSISTENT:	return &ev->persistent;
	case VS_EVENT_A_EXIT_CODE:	return &ev->exit_code;
	case VS_EVENT_A_REBOOT_CMD:	return &ev->reboot_cmd;
	case VS_EVENT_A_RESOURCE:	return &ev->resource;
	case VS_EVENT_A_USAGE:		return &ev->usage;
	case VS_EVENT_A_SOFT:		return &ev->soft;
	case VS_EVENT_A_HARD:		return &ev->hard;
	case VS_EVENT_A_HITS:		return &ev->hits;
	case VS_EVENT_A_TASKS:		return &ev->tasks;
	default:			return &ev->dropped;
	}
}

/* The attributes of a message of the family into @ev, generically */
static void parse_event(const struct nlmsghdr *nh, struct event *ev)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	int len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem, type;
	const struct nlattr *a;
	const void *p;

	memset(ev, 0, sizeof(*ev));
	ev->cmd = gh->cmd;
	for (a = attr_first((const char *)gh + GENL_HDRLEN, len, &rem); a;
	     a = attr_next(a, &rem)) {
		type = attr_type(a);
		p = attr_data(a);
		if (type == VS_EVENT_A_NAME) {
			/* A string with its NUL, shorter than VHILEN */
			if (attr_len(a) < 1 || attr_len(a) > VHILEN ||
			    ((const char *)p)[attr_len(a) - 1]) {
				ev->bad |= 1U << type;
				continue;
			}
			ev->have |= 1U << type;
			memcpy(ev->name, p, attr_len(a));
			continue;
		}
		if (type > VS_EVENT_A_MAX || !attr_size[type])
			continue;	/* padding, or unknown */
		if (attr_len(a) != attr_size[type]) {
			ev->bad |= 1U << type;
			continue;
		}
		ev->have |= 1U << type;
		memcpy(event_field(ev, type), p, attr_size[type]);
	}
	/* Up to 3 bytes of alignment may be left after the last one. */
	ev->malformed = rem >= (int)NLA_HDRLEN;
}

/* One line describing @ev */
static const char *event_str(const struct event *ev)
{
	static char s[512];
	int n;

	n = snprintf(s, sizeof(s), "%s(%d)", event_name(ev->cmd), ev->cmd);
#define PUT(attr, fmt, val)						\
	do {								\
		if (HAS(ev, attr) && n < (int)sizeof(s))		\
			n += snprintf(s + n, sizeof(s) - n, fmt, val);	\
	} while (0)
	PUT(VS_EVENT_A_XID, " xid %u", ev->xid);
	PUT(VS_EVENT_A_TIME, " time %llu", (unsigned long long)ev->time);
	PUT(VS_EVENT_A_FLAGS, " flags %#llx", (unsigned long long)ev->flags);
	PUT(VS_EVENT_A_PID, " pid %u", ev->pid);
	PUT(VS_EVENT_A_PERSISTENT, " persistent %u", ev->persistent);
	PUT(VS_EVENT_A_EXIT_CODE, " exit_code %#x", ev->exit_code);
	PUT(VS_EVENT_A_REBOOT_CMD, " reboot_cmd %#x", ev->reboot_cmd);
	PUT(VS_EVENT_A_RESOURCE, " resource %u", ev->resource);
	PUT(VS_EVENT_A_USAGE, " usage %llu", (unsigned long long)ev->usage);
	PUT(VS_EVENT_A_SOFT, " soft %lld", (long long)ev->soft);
	PUT(VS_EVENT_A_HARD, " hard %lld", (long long)ev->hard);
	PUT(VS_EVENT_A_HITS, " hits %u", ev->hits);
	PUT(VS_EVENT_A_DROPPED, " dropped %u", ev->dropped);
#undef PUT
	if (ev->bad && n < (int)sizeof(s))
		n += snprintf(s + n, sizeof(s) - n, " (bad sizes: %#x)",
			      ev->bad);
	if (ev->malformed && n < (int)sizeof(s))
		snprintf(s + n, sizeof(s) - n, " (malformed)");
	return s;
}

/**
 * struct listener - a socket that receives the family's events
 * @fd: the socket
 * @g: the family
 * @buf: the last datagram
 * @len: its length
 * @off: where the next message in it starts
 */
struct listener {
	int fd;
	struct vs_genl g;
	char buf[16384];
	int len, off;
};

#define LISTEN_LIFECYCLE	1
#define LISTEN_LIMITS		2

/* Open @l and join the groups in @groups: 0, or -errno */
static int listener_open(struct listener *l, int groups)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->fd = nl_open();
	if (l->fd < 0)
		return l->fd;
	ret = genl_resolve(l->fd, &l->g);
	if (!ret && (groups & LISTEN_LIFECYCLE))
		ret = l->g.lifecycle ? nl_join(l->fd, l->g.lifecycle) : -ENOENT;
	if (!ret && (groups & LISTEN_LIMITS))
		ret = l->g.limits ? nl_join(l->fd, l->g.limits) : -ENOENT;
	if (ret) {
		close(l->fd);
		l->fd = -1;
	}
	return ret;
}

static void listener_close(struct listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/*
 * The next event within @ms (0: only what is queued): 1 with @ev filled
 * in, 0 if none came, or -errno.
 */
static int next_event(struct listener *l, struct event *ev, int ms)
{
	int64_t deadline = now_ms() + ms;
	int n;

	for (;;) {
		while (l->off < l->len) {
			const struct nlmsghdr *nh =
				(const void *)(l->buf + l->off);
			int left = l->len - l->off;

			if (!NLMSG_OK(nh, left)) {
				l->off = l->len;
				break;
			}
			l->off += NLMSG_ALIGN(nh->nlmsg_len);
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				if (e->error)
					return e->error;
				continue;
			}
			if (nh->nlmsg_type != l->g.family ||
			    nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			parse_event(nh, ev);
			return 1;
		}
		n = nl_recv(l->fd, l->buf, sizeof(l->buf),
			    (int)(deadline - now_ms()));
		if (n == -ETIMEDOUT)
			return 0;
		if (n < 0)
			return n;
		l->len = n;
		l->off = 0;
	}
}

/*
 * The events of context @xid, into @evs (at most @max): until one of
 * command @last came (none if @last is 0) or @ms passed; then for @quiet
 * ms more, to see anything that comes after.  Returns how many came
 * (possibly more than @max), or -errno.
 */
static int collect(struct listener *l, uint32_t xid, struct event *evs,
		   int max, int last, int ms, int quiet)
{
	int64_t deadline = now_ms() + ms;
	struct event ev;
	bool done = false;
	int n = 0, ret, left;

	for (;;) {
		left = (int)(deadline - now_ms());
		ret = next_event(l, &ev, left < 0 ? 0 : left);
		if (ret <= 0)
			return ret < 0 ? ret : n;
		if (ev.xid != xid || !HAS(&ev, VS_EVENT_A_XID))
			continue;
		if (n < max)
			evs[n] = ev;
		n++;
		if (!done && last && ev.cmd == last) {
			done = true;
			deadline = now_ms() + quiet;
		}
	}
}

static void log_events(struct __test_metadata *_metadata,
		       const struct event *evs, int n, int max)
{
	int i;

	TH_LOG("%d event(s):", n);
	for (i = 0; i < n && i < max; i++)
		TH_LOG("  %d: %s", i, event_str(&evs[i]));
}

/*
 * Every event has XID @xid and a TIME that does not decrease, between
 * @t0 (less a little slack) and @t1, and no attribute of a wrong size.
 */
static void check_common(struct __test_metadata *_metadata,
			 const struct event *evs, int n, uint32_t xid,
			 uint64_t t0, uint64_t t1)
{
	uint64_t prev = 0;
	int i;

	for (i = 0; i < n; i++) {
		const struct event *e = &evs[i];

		EXPECT_TRUE(HAS(e, VS_EVENT_A_XID))
			TH_LOG("event %d has no XID: %s", i, event_str(e));
		EXPECT_EQ(xid, e->xid);
		EXPECT_EQ(0U, e->bad)
			TH_LOG("event %d: attributes of a wrong size: %s", i,
			       event_str(e));
		EXPECT_FALSE(e->malformed)
			TH_LOG("event %d: attributes do not parse", i);
		EXPECT_TRUE(HAS(e, VS_EVENT_A_TIME))
			TH_LOG("event %d has no TIME: %s", i, event_str(e));
		if (!HAS(e, VS_EVENT_A_TIME))
			continue;
		EXPECT_LE(prev, e->time)
			TH_LOG("event %d goes back in time: %s", i,
			       event_str(e));
		EXPECT_LE(t0 - TIME_SLACK_NS, e->time)
			TH_LOG("event %d before the test began (%llu): %s", i,
			       (unsigned long long)t0, event_str(e));
		EXPECT_GE(t1, e->time)
			TH_LOG("event %d after it was received (%llu): %s", i,
			       (unsigned long long)t1, event_str(e));
		prev = e->time;
	}
}

/* The commands of @evs are exactly @want: true, or false (logged) */
static bool same_commands(struct __test_metadata *_metadata,
			  const struct event *evs, int n, int max,
			  const int *want, int nwant)
{
	int i;

	if (n == nwant) {
		for (i = 0; i < n; i++)
			if (evs[i].cmd != want[i])
				break;
		if (i == n)
			return true;
	}
	TH_LOG("expected %d event(s):", nwant);
	for (i = 0; i < nwant; i++)
		TH_LOG("  %d: %s", i, event_name(want[i]));
	log_events(_metadata, evs, n, max);
	return false;
}

/* Capabilities, without libcap */

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

/* Drop @caps from the caller's effective, permitted and inheritable sets */
static int drop_caps(uint64_t caps)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int i, ret = caps_get(d);

	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		uint32_t bits = (uint32_t)(caps >> (32 * i));

		d[i].effective &= ~bits;
		d[i].permitted &= ~bits;
		d[i].inheritable &= ~bits;
	}
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* Does the caller hold capability @cap in its effective set? */
static bool has_cap(int cap)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d))
		return true;	/* unknown: assume the worst */
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/* reboot(2), only ever from a context */

static char reboot_arg[] = "event_test";

/*
 * reboot(2) with @magic1, @magic2 and @cmd: 0 or -errno, if it returns.
 * The caller must be in a context of xid >= 2: anywhere else the process
 * exits with EXIT_NOT_IN_CONTEXT instead, so that the machine that runs
 * the tests never reboots.  CAP_SYS_BOOT is dropped first (the kernel's
 * own reboot needs it; a context's does not), and the process exits with
 * EXIT_KEEPS_SYS_BOOT if it still holds it.
 */
static long guest_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd)
{
	long xid = vs_sys64(VCMD_task_xid, 0, NULL);

	if (xid < VX_XID_MIN) {
		fprintf(stderr, "# reboot(2) refused: caller in xid %ld\n",
			xid);
		_exit(EXIT_NOT_IN_CONTEXT);
	}
	drop_caps(CAP(CAP_SYS_BOOT));
	if (has_cap(CAP_SYS_BOOT)) {
		fprintf(stderr, "# reboot(2) refused: CAP_SYS_BOOT stays\n");
		_exit(EXIT_KEEPS_SYS_BOOT);
	}
	if (syscall(SYS_reboot, magic1, magic2, cmd, reboot_arg) < 0)
		return -errno;
	return 0;
}

static long guest_reboot_cmd(uint32_t cmd)
{
	return guest_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd);
}

/* Processes */

/* Reap @pid within @ms: its pid with *@status, 0 if it did not end */
static pid_t wait_for(pid_t pid, int *status, int ms)
{
	int64_t deadline = now_ms() + ms;
	pid_t ret;

	for (;;) {
		ret = waitpid(pid, status, WNOHANG);
		if (ret != 0 || now_ms() > deadline)
			return ret;
		usleep(5000);
	}
}

/* @len bytes from @fd within @ms: @len, 0 at end of file, or -errno */
static int read_within(int fd, void *buf, size_t len, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, buf, len);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? (int)len : 0;
}

static void describe_status(struct __test_metadata *_metadata,
			    const char *who, int status)
{
	if (WIFEXITED(status))
		TH_LOG("%s exited with %d", who, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		TH_LOG("%s was killed by signal %d", who, WTERMSIG(status));
}

/* Is process @pid blocked in a sys_vserver call? */
static bool blocked_in_vserver(pid_t pid)
{
	char path[64], buf[128], state;
	long nr;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (f) {
		ok = fgets(buf, sizeof(buf), f) != NULL;
		fclose(f);
		if (ok && sscanf(buf, "%ld", &nr) == 1)
			return nr == VSERVER_NR_X86_64;
		if (ok)
			return false;	/* "running" */
	}
	/* No /proc/PID/syscall: a sleeping state will do. */
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fscanf(f, "%*d (%*[^)]) %c", &state) == 1;
	fclose(f);
	return ok && state == 'S';
}

/**
 * struct exit_report - what VCMD_wait_exit answered
 * @ret: its result
 * @w: what it wrote
 */
struct exit_report {
	long ret;
	struct vcmd_wait_exit_v0 w;
};

/*
 * A host process that waits in VCMD_wait_exit for context @xid and then
 * writes a struct exit_report to *@fd.  Returns its pid once it waits,
 * or -1.
 */
static pid_t start_exit_waiter(uint32_t xid, int *fd)
{
	struct exit_report r;
	int fds[2], i;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		memset(&r, 0, sizeof(r));
		r.w.reboot_cmd = -1;
		r.w.exit_code = -1;
		r.ret = vs_sys64(VCMD_wait_exit, xid, &r.w);
		_exit(write(fds[1], &r, sizeof(r)) != sizeof(r));
	}
	close(fds[1]);
	for (i = 0; pid > 0 && i < 1000; i++) {
		if (blocked_in_vserver(pid)) {
			*fd = fds[0];
			return pid;
		}
		usleep(5000);
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	close(fds[0]);
	return -1;
}

/* Contexts */

static bool context_exists(uint32_t xid)
{
	struct vcmd_vx_info_v0 info;

	return vs_sys64(VCMD_vx_info, xid, &info) == 0;
}

static void kill_context(uint32_t xid)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };

	vs_sys64(VCMD_ctx_kill, xid, &k);
}

/*
 * Make sure context @xid is gone: kill its tasks, clear its persistence,
 * wait a little for it to end, and reap what this process can.
 */
static void cleanup_context(uint32_t xid)
{
	int i;

	for (i = 0; i < 400 && context_exists(xid); i++) {
		kill_context(xid);
		end_persistent(xid);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(5000);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* 1. The family, and who may listen */

TEST(the_family_resolves_with_both_groups_and_no_command)
{
	struct vs_genl g;
	int fd = nl_open();

	ASSERT_LE(0, fd) TH_LOG("NETLINK_GENERIC socket: %s", strerror(-fd));
	ASSERT_EQ(0, genl_resolve(fd, &g))
		TH_LOG("family %s does not resolve", VS_GENL_NAME);
	EXPECT_NE(0, g.family);
	EXPECT_EQ((uint32_t)VS_GENL_VERSION, g.version);
	EXPECT_EQ(2, g.groups) TH_LOG("the family has %d groups", g.groups);
	EXPECT_NE(0U, g.lifecycle)
		TH_LOG("no group %s", VS_GENL_MCGRP_LIFECYCLE);
	EXPECT_NE(0U, g.limits) TH_LOG("no group %s", VS_GENL_MCGRP_LIMITS);
	EXPECT_NE(g.lifecycle, g.limits);
	/* Events are no commands; the only one is the dump of contexts */
	EXPECT_TRUE(g.has_ops) TH_LOG("the family lists no command");
	EXPECT_EQ(-EOPNOTSUPP, genl_command(fd, g.family, VS_EVENT_CREATED));
	EXPECT_EQ(-EOPNOTSUPP, genl_command(fd, g.family, VS_EVENT_UNSPEC));
	EXPECT_EQ(-EOPNOTSUPP, genl_command(fd, g.family, VS_EVENT_CONTEXT));
	/* Root of the host may join both. */
	EXPECT_EQ(0, nl_join(fd, g.lifecycle));
	EXPECT_EQ(0, nl_join(fd, g.limits));
	close(fd);
}

static int resolve_in_new_netns(struct __test_metadata *_metadata,
				const char *arg)
{
	struct vs_genl g;

	if (unshare(CLONE_NEWNET)) {
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
		return 100;
	}
	return CHECK(-ENOENT, genl_resolve_new(&g));
}

TEST(the_family_exists_in_the_initial_network_namespace_only)
{
	struct vs_genl g;

	ASSERT_EQ(0, genl_resolve_new(&g));
	EXPECT_EQ(0, run_in(_metadata, 0, resolve_in_new_netns, NULL));
	/* And it is still there for the host. */
	EXPECT_EQ(0, genl_resolve_new(&g));
}

FIXTURE(unprivileged) {
	struct vs_genl g;
};

FIXTURE_VARIANT(unprivileged) {
	bool nobody;	/* uid 65534; else root without CAP_SYS_ADMIN */
};

FIXTURE_VARIANT_ADD(unprivileged, nobody) { .nobody = true };
FIXTURE_VARIANT_ADD(unprivileged, root_without_sys_admin) { .nobody = false };

FIXTURE_SETUP(unprivileged)
{
	ASSERT_EQ(0, genl_resolve_new(&self->g));
	ASSERT_NE(0U, self->g.lifecycle);
	ASSERT_NE(0U, self->g.limits);
}

FIXTURE_TEARDOWN(unprivileged) {}

static const struct vs_genl *unpriv_genl;

static int join_unprivileged(struct __test_metadata *_metadata,
			     const char *arg)
{
	bool nobody = arg != NULL;
	struct vs_genl g;
	int fd, bad = 0;

	if (nobody) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534)) {
			TH_LOG("cannot become nobody: %s", strerror(errno));
			return 100;
		}
	} else if (drop_caps(CAP(CAP_SYS_ADMIN))) {
		TH_LOG("cannot drop CAP_SYS_ADMIN: %s", strerror(errno));
		return 100;
	}
	if (has_cap(CAP_SYS_ADMIN)) {
		TH_LOG("CAP_SYS_ADMIN is still effective");
		return 100;
	}
	fd = nl_open();
	if (fd < 0) {
		TH_LOG("NETLINK_GENERIC socket: %s", strerror(-fd));
		return 100;
	}
	/* Anyone may look the family up ... */
	bad += CHECK(0, genl_resolve(fd, &g));
	bad += CHECK(unpriv_genl->lifecycle, g.lifecycle);
	bad += CHECK(unpriv_genl->limits, g.limits);
	/* ... but not listen. */
	bad += CHECK(-EPERM, nl_join(fd, unpriv_genl->lifecycle));
	bad += CHECK(-EPERM, nl_join(fd, unpriv_genl->limits));
	close(fd);
	return bad;
}

TEST_F(unprivileged, cannot_join_either_group)
{
	unpriv_genl = &self->g;
	EXPECT_EQ(0, run_in(_metadata, 0, join_unprivileged,
			    variant->nobody ? "nobody" : NULL));
}

/*
 * A socket made in a context: a child enters the context (it creates it,
 * or enters one with every capability in its ceiling), joins both groups
 * by their ids and ends its context's setup; the test then makes another
 * context come and go with a refused fork; the child must have received
 * nothing, while a listener of the host sees all those events.
 */
FIXTURE(inside) {
	struct listener l;
};

FIXTURE_VARIANT(inside) {
	uint32_t xid;		/* the listener's context */
	uint32_t other;		/* the other context */
	bool wide;		/* the host makes it with every capability */
};

FIXTURE_VARIANT_ADD(inside, own_context) {
	.xid = 4401, .other = 4402, .wide = false,
};
FIXTURE_VARIANT_ADD(inside, context_with_every_capability) {
	.xid = 4403, .other = 4404, .wide = true,
};

FIXTURE_SETUP(inside)
{
	int ret = listener_open(&self->l, LISTEN_LIFECYCLE | LISTEN_LIMITS);

	ASSERT_EQ(0, ret) TH_LOG("cannot listen: %s", strerror(-ret));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(inside)
{
	listener_close(&self->l);
	cleanup_context(variant->xid);
	cleanup_context(variant->other);
}

/* In the child: what the socket in the context received, logged */
static int drain_unexpected(struct __test_metadata *_metadata, int fd)
{
	struct event ev;
	char buf[8192];
	int n, got = 0;

	for (;;) {
		const struct nlmsghdr *nh = (const void *)buf;

		n = nl_recv(fd, buf, sizeof(buf), got ? 0 : QUIET_MS);
		if (n == -ETIMEDOUT)
			return got;
		if (n < 0) {
			TH_LOG("receiving in the context: %s", strerror(-n));
			return got + 1;
		}
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			got++;
			if (nh->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
				parse_event(nh, &ev);
				TH_LOG("received in a context: type %u %s",
				       nh->nlmsg_type, event_str(&ev));
			} else {
				TH_LOG("received in a context: type %u",
				       nh->nlmsg_type);
			}
		}
	}
}

TEST_F_TIMEOUT(inside, a_socket_in_a_context_receives_nothing, 60)
{
	bool seen_setup = false, seen_refused = false, seen_ended = false;
	int ready[2], go[2], status, fd, bad, ret;
	int joined[2] = { INT_MIN, INT_MIN };
	struct event ev;
	int64_t deadline;
	pid_t pid, other;
	char c = 'g';

	if (variant->wide) {
		ASSERT_EQ(0, make_persistent(variant->xid, 0));
		ASSERT_EQ(0, ceiling_set(variant->xid, ~0ULL, ~0ULL));
	}
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (variant->wide ? migrate(variant->xid, 0) < 0 :
		    create(variant->xid, VXF_INIT_SET) != variant->xid) {
			TH_LOG("cannot enter context %u", variant->xid);
			_exit(100);
		}
		fd = nl_open();
		if (fd < 0) {
			TH_LOG("socket in the context: %s", strerror(-fd));
			_exit(101);
		}
		joined[0] = nl_join(fd, self->l.g.lifecycle);
		joined[1] = nl_join(fd, self->l.g.limits);
		bad = 0;
		if (joined[0] != 0 && joined[0] != -EPERM)
			bad += CHECK(-EPERM, joined[0]);
		if (joined[1] != 0 && joined[1] != -EPERM)
			bad += CHECK(-EPERM, joined[1]);
		/* An event of its own context */
		bad += CHECK(0, end_setup(VX_XID_SELF));
		if (write(ready[1], joined, sizeof(joined)) != sizeof(joined))
			_exit(102);
		/* Wait until the other context has come and gone. */
		if (read(go[0], &c, 1) != 1)
			_exit(103);
		bad += drain_unexpected(_metadata, fd);
		_exit(bad > 99 ? 99 : bad);
	}
	close(ready[1]);
	close(go[0]);
	ret = read_within(ready[0], joined, sizeof(joined), WAIT_MS);
	if (ret != (int)sizeof(joined)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		describe_status(_metadata, "the listener in the context",
				status);
		ASSERT_EQ((int)sizeof(joined), ret);
	}
	TH_LOG("joining in the context: lifecycle %s, limits %s",
	       joined[0] ? strerror(-joined[0]) : "joined",
	       joined[1] ? strerror(-joined[1]) : "joined");

	/* Another context: created, setup done, a fork refused, ended */
	other = fork();
	ASSERT_LE(0, other);
	if (other == 0) {
		pid_t p;

		if (create(variant->other, VXF_INIT_SET) != variant->other ||
		    set_limit(VX_XID_SELF, RLIMIT_NPROC, 1, 1) ||
		    end_setup(VX_XID_SELF))
			_exit(100);
		p = fork();
		if (p == 0)
			_exit(0);
		_exit(p < 0 && errno == EAGAIN ? 0 : 101);
	}
	ASSERT_EQ(other, wait_for(other, &status, WAIT_MS));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		describe_status(_metadata, "the other context's task", status);

	/* The host sees them all. */
	deadline = now_ms() + WAIT_MS;
	while (!(seen_setup && seen_refused && seen_ended) &&
	       now_ms() < deadline) {
		ret = next_event(&self->l, &ev, (int)(deadline - now_ms()));
		ASSERT_LE(0, ret) TH_LOG("receiving: %s", strerror(-ret));
		if (ret == 0)
			break;
		if (ev.xid == variant->xid && ev.cmd == VS_EVENT_SETUP_DONE)
			seen_setup = true;
		if (ev.xid == variant->other &&
		    ev.cmd == VS_EVENT_LIMIT_REFUSED)
			seen_refused = true;
		if (ev.xid == variant->other && ev.cmd == VS_EVENT_ENDED)
			seen_ended = true;
	}
	EXPECT_TRUE(seen_setup)
		TH_LOG("the host saw no SETUP_DONE of %u", variant->xid);
	EXPECT_TRUE(seen_refused)
		TH_LOG("the host saw no LIMIT_REFUSED of %u", variant->other);
	EXPECT_TRUE(seen_ended)
		TH_LOG("the host saw no ENDED of %u", variant->other);

	/* The socket in the context got none of them. */
	EXPECT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(pid, wait_for(pid, &status, WAIT_MS));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		describe_status(_metadata, "the listener in the context",
				status);
	close(ready[0]);
	close(go[1]);
}

/* 2. The life cycle of a context */

FIXTURE(lifecycle) {
	struct listener l;
	struct event evs[16];
};

FIXTURE_SETUP(lifecycle)
{
	int ret = listener_open(&self->l, LISTEN_LIFECYCLE);

	ASSERT_EQ(0, ret) TH_LOG("cannot listen: %s", strerror(-ret));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(lifecycle)
{
	listener_close(&self->l);
	cleanup_context(4410);
	cleanup_context(4411);
}

TEST_F(lifecycle, events_come_in_order_with_their_attributes)
{
	static const int want[] = {
		VS_EVENT_CREATED, VS_EVENT_SETUP_DONE, VS_EVENT_PERSISTENT,
		VS_EVENT_PERSISTENT, VS_EVENT_ENDED,
	};
	uint64_t t0 = boottime_ns(), t1;
	uint64_t created, setup_done, persistent, released;
	const uint32_t xid = 4410;
	struct event *e = self->evs;
	int ready[2], go[2], status, n;
	char c = 'g';
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (create(xid, VXF_INIT_SET) != xid)
			_exit(100);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(101);
		_exit(3);
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read_within(ready[0], &c, 1, WAIT_MS))
		TH_LOG("the child did not create context %u", xid);

	/* The flags after each step, as the context has them */
	ASSERT_EQ(0, get_flags(xid, &created));
	EXPECT_EQ(VXF_STATE_SETUP, created & VXF_STATE_SETUP);
	ASSERT_EQ(0, end_setup(xid));
	ASSERT_EQ(0, get_flags(xid, &setup_done));
	ASSERT_EQ(0, set_flags(xid, VXF_PERSISTENT, VXF_PERSISTENT));
	ASSERT_EQ(0, get_flags(xid, &persistent));
	/* Setting it again changes nothing: no event. */
	ASSERT_EQ(0, set_flags(xid, VXF_PERSISTENT, VXF_PERSISTENT));
	ASSERT_EQ(0, set_flags(xid, 0, VXF_PERSISTENT));
	ASSERT_EQ(0, get_flags(xid, &released));
	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(pid, wait_for(pid, &status, WAIT_MS));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3)
		describe_status(_metadata, "the context's task", status);

	n = collect(&self->l, xid, e, 16, VS_EVENT_ENDED, WAIT_MS, QUIET_MS);
	t1 = boottime_ns();
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	ASSERT_TRUE(same_commands(_metadata, e, n, 16, want, 5));
	check_common(_metadata, e, n, xid, t0, t1);

	EXPECT_TRUE(HAS(&e[0], VS_EVENT_A_PID));
	EXPECT_EQ((uint32_t)pid, e[0].pid);
	EXPECT_TRUE(HAS(&e[0], VS_EVENT_A_FLAGS));
	EXPECT_EQ(created, e[0].flags);

	EXPECT_TRUE(HAS(&e[1], VS_EVENT_A_FLAGS));
	EXPECT_EQ(setup_done, e[1].flags);
	EXPECT_EQ(0ULL, e[1].flags & VXF_STATE_SETUP);

	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_PERSISTENT));
	EXPECT_EQ(1, e[2].persistent);
	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_FLAGS));
	EXPECT_EQ(persistent, e[2].flags);
	EXPECT_EQ(VXF_PERSISTENT, e[2].flags & VXF_PERSISTENT);

	EXPECT_TRUE(HAS(&e[3], VS_EVENT_A_PERSISTENT));
	EXPECT_EQ(0, e[3].persistent);
	EXPECT_TRUE(HAS(&e[3], VS_EVENT_A_FLAGS));
	EXPECT_EQ(released, e[3].flags);
	EXPECT_EQ(0ULL, e[3].flags & VXF_PERSISTENT);

	EXPECT_TRUE(HAS(&e[4], VS_EVENT_A_EXIT_CODE));
	EXPECT_EQ(3 << 8, e[4].exit_code);
	EXPECT_TRUE(HAS(&e[4], VS_EVENT_A_REBOOT_CMD));
	EXPECT_EQ(0U, e[4].reboot_cmd);
	EXPECT_FALSE(context_exists(xid));
	close(ready[0]);
	close(go[1]);
}

TEST_F(lifecycle, a_persistent_context_ends_when_released)
{
	static const int want[] = {
		VS_EVENT_CREATED, VS_EVENT_PERSISTENT, VS_EVENT_ENDED,
	};
	uint64_t t0 = boottime_ns(), t1;
	const uint32_t xid = 4411;
	struct event *e = self->evs;
	int status, n, n1;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(create(xid, VXF_INIT_SET | VXF_PERSISTENT) != xid);
	ASSERT_EQ(pid, wait_for(pid, &status, WAIT_MS));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the child did not create context %u", xid);

	/* Its last task is gone; it lives on. */
	n1 = collect(&self->l, xid, e, 16, 0, QUIET_MS, 0);
	ASSERT_LE(0, n1) TH_LOG("receiving: %s", strerror(-n1));
	ASSERT_GE(16, n1) log_events(_metadata, e, n1, 16);
	EXPECT_EQ(1, n1) log_events(_metadata, e, n1, 16);
	EXPECT_EQ(0, ctx_tasks(xid));

	end_persistent(xid);
	n = collect(&self->l, xid, e + n1, 16 - n1, VS_EVENT_ENDED, WAIT_MS,
		    QUIET_MS);
	t1 = boottime_ns();
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	n += n1;
	ASSERT_TRUE(same_commands(_metadata, e, n, 16, want, 3));
	check_common(_metadata, e, n, xid, t0, t1);

	EXPECT_EQ((uint32_t)pid, e[0].pid);
	EXPECT_TRUE(HAS(&e[0], VS_EVENT_A_FLAGS));
	EXPECT_EQ(VXF_PERSISTENT, e[0].flags & VXF_PERSISTENT);
	EXPECT_TRUE(HAS(&e[1], VS_EVENT_A_PERSISTENT));
	EXPECT_EQ(0, e[1].persistent);
	EXPECT_TRUE(HAS(&e[1], VS_EVENT_A_FLAGS));
	EXPECT_EQ(0ULL, e[1].flags & VXF_PERSISTENT);
	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_EXIT_CODE));
	EXPECT_EQ(0, e[2].exit_code);
	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_REBOOT_CMD));
	EXPECT_EQ(0U, e[2].reboot_cmd);
	EXPECT_FALSE(context_exists(xid));
}

/* 3. reboot(2) in a context */

FIXTURE(reboot) {
	struct listener l;
	struct event evs[16];
	pid_t waiter;
	int waiter_fd;
};

FIXTURE_VARIANT(reboot) {
	uint32_t xid;
	uint32_t cmd;
	bool persistent;
};

FIXTURE_VARIANT_ADD(reboot, restart) {
	.xid = 4420, .cmd = LINUX_REBOOT_CMD_RESTART,
};
FIXTURE_VARIANT_ADD(reboot, restart2) {
	.xid = 4421, .cmd = LINUX_REBOOT_CMD_RESTART2,
};
FIXTURE_VARIANT_ADD(reboot, halt) {
	.xid = 4422, .cmd = LINUX_REBOOT_CMD_HALT,
};
FIXTURE_VARIANT_ADD(reboot, power_off) {
	.xid = 4423, .cmd = LINUX_REBOOT_CMD_POWER_OFF,
};
FIXTURE_VARIANT_ADD(reboot, restart_persistent) {
	.xid = 4424, .cmd = LINUX_REBOOT_CMD_RESTART, .persistent = true,
};

FIXTURE_SETUP(reboot)
{
	int ret = listener_open(&self->l, LISTEN_LIFECYCLE);

	self->waiter = -1;
	self->waiter_fd = -1;
	ASSERT_EQ(0, ret) TH_LOG("cannot listen: %s", strerror(-ret));
	signal(SIGPIPE, SIG_IGN);
	/* The second task comes back here when its parent is killed. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

FIXTURE_TEARDOWN(reboot)
{
	listener_close(&self->l);
	cleanup_context(variant->xid);
	if (self->waiter > 0) {
		kill(self->waiter, SIGKILL);
		waitpid(self->waiter, NULL, 0);
	}
	if (self->waiter_fd >= 0)
		close(self->waiter_fd);
}

TEST_F_TIMEOUT(reboot, ends_the_context, 60)
{
	static const int want[] = {
		VS_EVENT_CREATED, VS_EVENT_SETUP_DONE, VS_EVENT_REBOOT,
		VS_EVENT_ENDED,
	};
	uint64_t t0 = boottime_ns(), t1;
	const uint32_t xid = variant->xid;
	struct event all[16], *e = self->evs;
	int ready[2], go[2], status, n, i, m;
	struct exit_report r;
	pid_t caller, other;
	long ret = 1;
	char c = 'g';

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		close(ready[0]);
		close(go[1]);
		if (create(xid, VXF_INIT_SET |
			   (variant->persistent ? VXF_PERSISTENT : 0)) != xid ||
		    end_setup(VX_XID_SELF))
			_exit(100);
		other = fork();
		if (other == 0) {
			for (;;)
				pause();
		}
		if (other < 0 ||
		    write(ready[1], &other, sizeof(other)) != sizeof(other) ||
		    read(go[0], &c, 1) != 1)
			_exit(101);
		ret = guest_reboot_cmd(variant->cmd);
		/* Not reached, if all is well */
		if (write(ready[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(102);
		_exit(103);
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ((int)sizeof(other),
		  read_within(ready[0], &other, sizeof(other), WAIT_MS))
		TH_LOG("the caller did not set up context %u", xid);
	EXPECT_EQ(2, ctx_tasks(xid));

	self->waiter = start_exit_waiter(xid, &self->waiter_fd);
	ASSERT_LT(0, self->waiter) TH_LOG("VCMD_wait_exit does not wait");

	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(caller, wait_for(caller, &status, WAIT_MS))
		TH_LOG("reboot(%#x) did not end the caller", variant->cmd);
	if (read_within(ready[0], &ret, sizeof(ret), 0) == sizeof(ret))
		TH_LOG("reboot(%#x) returned %ld (%s)", variant->cmd, ret,
		       ret < 0 ? strerror(-ret) : "no error");
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		describe_status(_metadata, "the caller", status);
	/* The other task was killed as well. */
	ASSERT_EQ(other, wait_for(other, &status, WAIT_MS))
		TH_LOG("the other task of the context lives on");
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		describe_status(_metadata, "the other task", status);

	/* VCMD_wait_exit reports the command. */
	ASSERT_EQ((int)sizeof(r),
		  read_within(self->waiter_fd, &r, sizeof(r), WAIT_MS))
		TH_LOG("VCMD_wait_exit did not return");
	waitpid(self->waiter, NULL, 0);
	self->waiter = -1;
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(variant->cmd, (uint32_t)r.w.reboot_cmd);
	EXPECT_TRUE(WIFSIGNALED(r.w.exit_code) &&
		    WTERMSIG(r.w.exit_code) == SIGKILL)
		TH_LOG("exit_code %#x", r.w.exit_code);
	EXPECT_FALSE(context_exists(xid));

	n = collect(&self->l, xid, all, 16, VS_EVENT_ENDED, WAIT_MS, QUIET_MS);
	t1 = boottime_ns();
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	ASSERT_GE(16, n) log_events(_metadata, all, n, 16);
	/*
	 * Reboot clears VXF_PERSISTENT, but not through set_cflags: whether
	 * that is an event is left open.  Anything else is not.
	 */
	for (i = m = 0; i < n; i++) {
		if (all[i].cmd == VS_EVENT_PERSISTENT) {
			EXPECT_TRUE(variant->persistent && !all[i].persistent)
				TH_LOG("%s", event_str(&all[i]));
			continue;
		}
		e[m++] = all[i];
	}
	check_common(_metadata, all, n, xid, t0, t1);
	ASSERT_TRUE(same_commands(_metadata, e, m, 16, want, 4));

	EXPECT_EQ((uint32_t)caller, e[0].pid);
	EXPECT_TRUE(HAS(&e[0], VS_EVENT_A_FLAGS));
	EXPECT_EQ(variant->persistent ? VXF_PERSISTENT : 0ULL,
		  e[0].flags & VXF_PERSISTENT);

	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_REBOOT_CMD));
	EXPECT_EQ(variant->cmd, e[2].reboot_cmd);
	EXPECT_TRUE(HAS(&e[2], VS_EVENT_A_PID));
	EXPECT_EQ((uint32_t)caller, e[2].pid);

	EXPECT_TRUE(HAS(&e[3], VS_EVENT_A_REBOOT_CMD));
	EXPECT_EQ(variant->cmd, e[3].reboot_cmd);
	EXPECT_TRUE(HAS(&e[3], VS_EVENT_A_EXIT_CODE));
	EXPECT_EQ(r.w.exit_code, e[3].exit_code);
	close(ready[0]);
	close(go[1]);
}

/*
 * In the context: calls that must fail or do nothing, each returning.
 * Runs with CAP_KILL.
 */
static int refused_reboots(struct __test_metadata *_metadata)
{
	int bad = 0;

	/* Bad magic numbers */
	bad += CHECK(-EINVAL, guest_reboot(0x12345678, LINUX_REBOOT_MAGIC2,
					   LINUX_REBOOT_CMD_RESTART));
	bad += CHECK(-EINVAL, guest_reboot(LINUX_REBOOT_MAGIC1, 0,
					   LINUX_REBOOT_CMD_RESTART));
	bad += CHECK(-EINVAL, guest_reboot(LINUX_REBOOT_MAGIC2,
					   LINUX_REBOOT_MAGIC1,
					   LINUX_REBOOT_CMD_HALT));
	/* Unknown commands, and those a context does not have */
	bad += CHECK(-EINVAL, guest_reboot_cmd(LINUX_REBOOT_CMD_KEXEC));
	bad += CHECK(-EINVAL, guest_reboot_cmd(0x12345678));
	bad += CHECK(-EINVAL, guest_reboot_cmd(LINUX_REBOOT_CMD_SW_SUSPEND));
	/* Ctrl-Alt-Del on or off: nothing happens */
	bad += CHECK(0, guest_reboot_cmd(LINUX_REBOOT_CMD_CAD_ON));
	bad += CHECK(0, guest_reboot_cmd(LINUX_REBOOT_CMD_CAD_OFF));
	/* Every second magic number the kernel knows will do. */
	bad += CHECK(0, guest_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A,
				     LINUX_REBOOT_CMD_CAD_ON));
	bad += CHECK(0, guest_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2B,
				     LINUX_REBOOT_CMD_CAD_OFF));
	bad += CHECK(0, guest_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C,
				     LINUX_REBOOT_CMD_CAD_ON));
	return bad;
}

/*
 * In a child of the context's task, without CAP_KILL (as nobody, or as
 * root that dropped it): every call is refused, the permission first.
 */
static int reboot_without_cap_kill(struct __test_metadata *_metadata,
				   bool nobody)
{
	int status, bad;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (nobody ? setgroups(0, NULL) ||
			     setresgid(65534, 65534, 65534) ||
			     setresuid(65534, 65534, 65534) :
			     drop_caps(CAP(CAP_KILL)) != 0) {
			TH_LOG("cannot drop CAP_KILL: %s", strerror(errno));
			_exit(100);
		}
		if (has_cap(CAP_KILL)) {
			TH_LOG("CAP_KILL is still effective");
			_exit(100);
		}
		bad = CHECK(-EPERM,
			    guest_reboot_cmd(LINUX_REBOOT_CMD_RESTART));
		bad += CHECK(-EPERM,
			     guest_reboot_cmd(LINUX_REBOOT_CMD_POWER_OFF));
		bad += CHECK(-EPERM, guest_reboot(0x12345678, 0,
						  LINUX_REBOOT_CMD_HALT));
		bad += CHECK(-EPERM, guest_reboot_cmd(0x12345678));
		bad += CHECK(-EPERM, guest_reboot_cmd(LINUX_REBOOT_CMD_CAD_ON));
		_exit(bad);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	describe_status(_metadata, nobody ? "reboot(2) as nobody" :
			"reboot(2) without CAP_KILL", status);
	return 1;
}

FIXTURE(refused) {
	struct listener l;
	struct event evs[32];
};

FIXTURE_SETUP(refused)
{
	int ret = listener_open(&self->l, LISTEN_LIFECYCLE);

	ASSERT_EQ(0, ret) TH_LOG("cannot listen: %s", strerror(-ret));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(refused)
{
	listener_close(&self->l);
	cleanup_context(4430);
}

TEST_F_TIMEOUT(refused, reboot_errors_leave_the_context_running, 60)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
	struct vcmd_vx_info_v0 info;
	const uint32_t xid = 4430;
	struct event *e = self->evs;
	int ready[2], status, bad, n, i;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		if (create(xid, VXF_INIT_SET) != xid ||
		    end_setup(VX_XID_SELF))
			bad = 100;
		else
			bad = refused_reboots(_metadata) +
			      reboot_without_cap_kill(_metadata, true) +
			      reboot_without_cap_kill(_metadata, false);
		if (write(ready[1], &bad, sizeof(bad)) != sizeof(bad))
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ((int)sizeof(bad),
		  read_within(ready[0], &bad, sizeof(bad), WAIT_MS))
		TH_LOG("the context's task did not answer");
	EXPECT_EQ(0, bad);

	/* The context and its task are still there. */
	EXPECT_EQ(0, vs_sys64(VCMD_vx_info, xid, &info));
	EXPECT_EQ(1, ctx_tasks(xid));
	EXPECT_EQ(0, kill(pid, 0));

	/* It ends the usual way, with no reboot command. */
	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, xid, &k));
	ASSERT_EQ(pid, wait_for(pid, &status, WAIT_MS));
	n = collect(&self->l, xid, e, 32, VS_EVENT_ENDED, WAIT_MS, QUIET_MS);
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	ASSERT_GE(32, n) log_events(_metadata, e, n, 32);
	for (i = 0; i < n; i++)
		EXPECT_NE(VS_EVENT_REBOOT, e[i].cmd)
			TH_LOG("%s", event_str(&e[i]));
	ASSERT_LT(0, n);
	EXPECT_EQ(VS_EVENT_ENDED, e[n - 1].cmd)
		log_events(_metadata, e, n, 32);
	EXPECT_TRUE(HAS(&e[n - 1], VS_EVENT_A_REBOOT_CMD));
	EXPECT_EQ(0U, e[n - 1].reboot_cmd);
	EXPECT_TRUE(HAS(&e[n - 1], VS_EVENT_A_EXIT_CODE));
	EXPECT_EQ(SIGKILL, e[n - 1].exit_code);
	close(ready[0]);
}

/* 4. Limit events */

#define FLOOD_MS	2000
#define FLOOD_NPROC	10
#define MAX_LIMIT_EVENTS 512

/* What the task that forks reports */
struct fork_report {
	int made;
	int refused;	/* EAGAIN */
	int failed;	/* any other error */
};

/*
 * In context @xid: fork for @ms (or until @count children, if @count),
 * each child sleeping until killed; then report and sleep.
 */
static void __attribute__((noreturn)) forker(uint32_t xid, int ms, int count,
					     int report)
{
	struct fork_report r = { 0 };
	int64_t deadline = now_ms() + ms;
	pid_t pid;

	if (migrate(xid, 0) < 0)
		_exit(100);
	while (count ? r.made + r.refused + r.failed < count :
	       now_ms() < deadline) {
		pid = fork();
		if (pid == 0) {
			for (;;)
				pause();
		}
		if (pid > 0)
			r.made++;
		else if (errno == EAGAIN)
			r.refused++;
		else
			r.failed++;
	}
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(101);
	for (;;)
		pause();
}

FIXTURE(limits) {
	struct listener l;
	struct event evs[MAX_LIMIT_EVENTS];
};

FIXTURE_SETUP(limits)
{
	int ret = listener_open(&self->l, LISTEN_LIMITS);

	ASSERT_EQ(0, ret) TH_LOG("cannot listen: %s", strerror(-ret));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(limits)
{
	listener_close(&self->l);
	cleanup_context(4440);
	cleanup_context(4441);
}

TEST_F_TIMEOUT(limits, refused_forks_are_events_at_a_limited_rate, 60)
{
	const uint32_t xid = 4440;
	uint64_t t0 = boottime_ns(), t1, sum = 0;
	struct event *e = self->evs;
	struct vcmd_rlimit_stat_v0 st;
	struct fork_report r;
	int64_t start, end;
	int fds[2], n, i, max, with_drops = 0;
	uint32_t prev_hits = 0;
	double elapsed;
	pid_t pid;

	/* Persistent, so that its counters outlive the tasks' end */
	ASSERT_EQ(0, make_persistent(xid, 0));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NPROC, FLOOD_NPROC, FLOOD_NPROC));
	ASSERT_EQ(0, end_setup(xid));
	ASSERT_EQ(0, pipe(fds));

	start = now_ms();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fds[0]);
		forker(xid, FLOOD_MS, 0, fds[1]);
	}
	close(fds[1]);
	ASSERT_EQ((int)sizeof(r), read_within(fds[0], &r, sizeof(r),
					      FLOOD_MS + 20000))
		TH_LOG("the task that forks did not report");
	end = now_ms();
	elapsed = (end - start) / 1000.0;
	TH_LOG("%.2f s: %d forks, %d refused, %d failed otherwise", elapsed,
	       r.made, r.refused, r.failed);
	/* The task itself and its children fill the limit. */
	EXPECT_EQ(FLOOD_NPROC - 1, r.made);
	EXPECT_LT(0, r.refused);
	EXPECT_EQ(0, r.failed);

	n = collect(&self->l, xid, e, MAX_LIMIT_EVENTS, 0, QUIET_MS, 0);
	t1 = boottime_ns();
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	ASSERT_EQ(0, limit_stat(xid, RLIMIT_NPROC, &st));

	max = (int)(VS_EVENT_LIMIT_RATE * (elapsed + 1.0)) + 1;
	TH_LOG("%d events (at most %d allowed), %u hits", n, max, st.hits);
	EXPECT_LE(1, n);
	EXPECT_GE(max, n) log_events(_metadata, e, n, MAX_LIMIT_EVENTS);
	ASSERT_GE(MAX_LIMIT_EVENTS, n);
	check_common(_metadata, e, n, xid, t0, t1);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(VS_EVENT_LIMIT_REFUSED, e[i].cmd)
			TH_LOG("event %d: %s", i, event_str(&e[i]));
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_RESOURCE));
		EXPECT_EQ((uint32_t)RLIMIT_NPROC, e[i].resource);
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_USAGE));
		EXPECT_GE((uint64_t)FLOOD_NPROC, e[i].usage);
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_SOFT));
		EXPECT_EQ((uint64_t)FLOOD_NPROC, e[i].soft);
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_HARD));
		EXPECT_EQ((uint64_t)FLOOD_NPROC, e[i].hard);
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_DROPPED));
		EXPECT_TRUE(HAS(&e[i], VS_EVENT_A_HITS));
		/* The hits count at least what the events before reported. */
		EXPECT_LE(sum, (uint64_t)e[i].hits)
			TH_LOG("event %d: %s", i, event_str(&e[i]));
		EXPECT_LE(prev_hits, e[i].hits);
		EXPECT_GE(st.hits, e[i].hits);
		prev_hits = e[i].hits;
		sum += 1 + (uint64_t)e[i].dropped;
		with_drops += e[i].dropped > 0;
	}
	EXPECT_LT(0, with_drops)
		TH_LOG("no event counts dropped ones");
	EXPECT_GE((uint64_t)st.hits, sum);
	EXPECT_GE((uint64_t)r.refused, sum);

	kill_context(xid);
	EXPECT_EQ(pid, wait_for(pid, NULL, WAIT_MS));
	cleanup_context(xid);
	EXPECT_FALSE(context_exists(xid));
	close(fds[0]);
}

TEST_F(limits, crossing_the_soft_limit_is_an_event)
{
	const uint32_t xid = 4441;
	uint64_t t0 = boottime_ns(), t1;
	struct event *e = self->evs;
	struct vcmd_rlimit_stat_v0 st;
	struct fork_report r;
	int fds[2], n;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(xid, 0));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NPROC, 3, 10));
	ASSERT_EQ(0, end_setup(xid));
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fds[0]);
		forker(xid, 0, 4, fds[1]);
	}
	close(fds[1]);
	ASSERT_EQ((int)sizeof(r), read_within(fds[0], &r, sizeof(r), WAIT_MS))
		TH_LOG("the task that forks did not report");
	/* Five tasks: the soft limit of 3 is crossed once. */
	EXPECT_EQ(4, r.made);
	EXPECT_EQ(5, ctx_tasks(xid));

	n = collect(&self->l, xid, e, MAX_LIMIT_EVENTS, VS_EVENT_LIMIT_SOFT,
		    WAIT_MS, QUIET_MS);
	t1 = boottime_ns();
	ASSERT_LE(0, n) TH_LOG("receiving: %s", strerror(-n));
	ASSERT_EQ(0, limit_stat(xid, RLIMIT_NPROC, &st));
	ASSERT_EQ(1, n) log_events(_metadata, e, n, MAX_LIMIT_EVENTS);
	check_common(_metadata, e, n, xid, t0, t1);
	EXPECT_EQ(VS_EVENT_LIMIT_SOFT, e[0].cmd) TH_LOG("%s", event_str(e));
	EXPECT_TRUE(HAS(e, VS_EVENT_A_RESOURCE));
	EXPECT_EQ((uint32_t)RLIMIT_NPROC, e[0].resource);
	EXPECT_TRUE(HAS(e, VS_EVENT_A_SOFT));
	EXPECT_EQ(3ULL, e[0].soft);
	EXPECT_TRUE(HAS(e, VS_EVENT_A_HARD));
	EXPECT_EQ(10ULL, e[0].hard);
	EXPECT_TRUE(HAS(e, VS_EVENT_A_USAGE));
	EXPECT_LE(4ULL, e[0].usage);
	EXPECT_GE(5ULL, e[0].usage);
	EXPECT_TRUE(HAS(e, VS_EVENT_A_DROPPED));
	EXPECT_EQ(0U, e[0].dropped);
	EXPECT_TRUE(HAS(e, VS_EVENT_A_HITS));
	EXPECT_EQ(1U, st.hits);
	EXPECT_LE(1U, e[0].hits);
	EXPECT_GE(st.hits, e[0].hits);

	kill_context(xid);
	EXPECT_EQ(pid, wait_for(pid, NULL, WAIT_MS));
	cleanup_context(xid);
	EXPECT_FALSE(context_exists(xid));
	close(fds[0]);
}

TEST_HARNESS_MAIN

/* 6. The dump of every context */

static int enter_context(uint32_t xid)
{
	return migrate(xid, 0) ? -1 : 0;
}

/*
 * Dump the contexts through @fd into @evs (at most @max): how many, or
 * -errno of the kernel's answer.
 */
static int dump_contexts(int fd, uint16_t family, struct event *evs, int max)
{
	static char buf[65536];
	int seq = genl_send(fd, family, NLM_F_DUMP, VS_EVENT_CONTEXT, 0, NULL);
	int n, count = 0;

	if (seq < 0)
		return seq;
	for (;;) {
		const struct nlmsghdr *nh = (const void *)buf;

		n = nl_recv(fd, buf, sizeof(buf), 5000);
		if (n < 0)
			return n;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != (uint32_t)seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return count;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)
					NLMSG_DATA(nh))->error;
			if (nh->nlmsg_type != family)
				continue;
			if (count == max)
				return -E2BIG;
			parse_event(nh, &evs[count++]);
		}
	}
}

/* The contexts /proc/virtual shows the host, counted */
static int proc_contexts(void)
{
	DIR *d = opendir("/proc/virtual");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

TEST(a_dump_lists_every_context_with_its_name_tasks_and_init)
{
	static struct event evs[512];
	struct vcmd_vhi_name_v0 name = { .field = VHIN_CONTEXT };
	struct vs_genl g;
	pid_t sleepers;
	int fd, n, i, seen = 0;
	uint32_t last = 0;

	cleanup_context(4490);
	cleanup_context(4491);
	ASSERT_EQ(0, make_persistent_past_setup(4490));
	strcpy(name.name, "dumped");
	ASSERT_EQ(0, vs_call(VCMD_set_vhi_name, 4490, &name, sizeof(name)));
	ASSERT_EQ(0, make_persistent(4491, 0));
	sleepers = start_sleepers(4491, 3, enter_context);
	ASSERT_LT(0, sleepers);

	fd = nl_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, genl_resolve(fd, &g));
	n = dump_contexts(fd, g.family, evs, 512);
	ASSERT_LE(0, n) TH_LOG("dump: %s", strerror(-n));
	EXPECT_EQ(proc_contexts(), n);
	for (i = 0; i < n; i++) {
		struct event *ev = &evs[i];

		EXPECT_EQ(VS_EVENT_CONTEXT, ev->cmd);
		EXPECT_FALSE(ev->malformed);
		EXPECT_EQ(0U, ev->bad);
		EXPECT_TRUE(HAS(ev, VS_EVENT_A_XID) && HAS(ev, VS_EVENT_A_TIME) &&
			    HAS(ev, VS_EVENT_A_FLAGS) &&
			    HAS(ev, VS_EVENT_A_NAME) &&
			    HAS(ev, VS_EVENT_A_TASKS));
		/* In xid order */
		EXPECT_LT(last, ev->xid);
		last = ev->xid;
		EXPECT_GE(boottime_ns(), ev->time);
		if (ev->xid == 4490) {
			seen++;
			EXPECT_STREQ("dumped", ev->name);
			EXPECT_EQ(0U, ev->tasks);
			EXPECT_FALSE(HAS(ev, VS_EVENT_A_PID));
			EXPECT_NE(0ULL, ev->flags & VXF_PERSISTENT);
			EXPECT_EQ(0ULL, ev->flags & VXF_STATE_SETUP);
		}
		if (ev->xid == 4491) {
			seen++;
			EXPECT_STREQ("", ev->name);
			EXPECT_EQ(3U, ev->tasks);
			EXPECT_NE(0ULL, ev->flags & VXF_STATE_SETUP);
		}
	}
	EXPECT_EQ(2, seen);
	close(fd);
	kill(sleepers, SIGKILL);
	cleanup_context(4491);
	cleanup_context(4490);
}

/* Dump as nobody (@arg set) or from inside a context: EPERM */
static int dump_unprivileged(struct __test_metadata *_metadata,
			     const char *arg)
{
	static struct event evs[512];
	struct vs_genl g;
	int fd, n;

	if (arg) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			return 100;
	} else if (create(4492, VXF_INIT_SET) != 4492) {
		return 101;
	}
	fd = nl_open();
	if (fd < 0 || genl_resolve(fd, &g))
		return 102;
	n = dump_contexts(fd, g.family, evs, 512);
	if (n != -EPERM) {
		TH_LOG("the dump gave %d", n);
		return 1;
	}
	return 0;
}

TEST(only_the_host_may_dump_the_contexts)
{
	static const char *const who[] = { "nobody", NULL };
	int i, status;
	pid_t pid;

	cleanup_context(4492);
	for (i = 0; i < 2; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(dump_unprivileged(_metadata, who[i]));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("%s: status %#x", who[i] ? who[i] : "in a context",
			       status);
	}
	cleanup_context(4492);
}
