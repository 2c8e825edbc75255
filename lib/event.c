// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvserver - the events of the generic netlink family VS_GENL_NAME.
 *
 * A monitor holds one socket, which only joins groups and receives.  The
 * family and its groups are looked up when it is opened, on a socket of
 * their own that is closed at once, so that no reply to a question ever
 * mixes with the events, and a process can keep the monitor by keeping
 * the descriptor vs_event_fd() returns.
 * libnl-genl-3 resolves the names and checks the attributes; the events
 * are received here, so that every errno of recvmsg() reaches the caller
 * as it is.  See vserver.h for the error convention.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "vserver.h"
#include "event.h"

/*
 * Room for one datagram.  The kernel sends each event in a message of its
 * own, far below a page; a datagram that does not fit is reported as
 * EMSGSIZE.
 */
#define VS_EVENT_BUF_SIZE	32768

/* The groups of the family, by name */
static const char *const group_names[] = {
	VS_GENL_MCGRP_LIFECYCLE,
	VS_GENL_MCGRP_LIMITS,
};

#define NR_GROUPS	(sizeof(group_names) / sizeof(group_names[0]))

struct vs_event_monitor {
	struct nl_sock *sock;	/* the events */
	int family;		/* the id of VS_GENL_NAME */
	int groups[NR_GROUPS];	/* their ids, or -1 if the kernel has none */
	size_t len;		/* bytes received into buf */
	size_t off;		/* the next message in buf */
	unsigned char buf[VS_EVENT_BUF_SIZE]
		__attribute__((aligned(NLMSG_ALIGNTO)));
};

/* The errno a libnl error code stands for */
static int nl_errno(int nlerr)
{
	static const int map[] = {
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_MISSING_ATTR] = EBADMSG,
		[NLE_SEQ_MISMATCH] = EPROTO,
		[NLE_MSG_TRUNC] = EMSGSIZE,
		[NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_MSG_TOOSHORT] = EBADMSG,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_NODEV] = ENODEV,
	};
	unsigned int i = nlerr < 0 ? (unsigned int)-nlerr : (unsigned int)nlerr;

	if (i < sizeof(map) / sizeof(map[0]) && map[i])
		return map[i];
	return EIO;
}

/* Fail with the errno of the libnl error nlerr */
static int nl_fail(int nlerr)
{
	errno = nl_errno(nlerr);
	return -1;
}

/* Each attribute with its exact payload length; PAD has none to check */
static const struct nla_policy event_policy[VS_EVENT_A_MAX + 1] = {
	[VS_EVENT_A_XID]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_TIME]	= { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[VS_EVENT_A_FLAGS]	= { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[VS_EVENT_A_PID]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_PERSISTENT]	= { .type = NLA_U8, .minlen = 1, .maxlen = 1 },
	[VS_EVENT_A_EXIT_CODE]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_REBOOT_CMD]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_RESOURCE]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_USAGE]	= { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[VS_EVENT_A_SOFT]	= { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[VS_EVENT_A_HARD]	= { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[VS_EVENT_A_HITS]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_DROPPED]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[VS_EVENT_A_NAME]	= { .type = NLA_STRING, .maxlen = VHILEN },
	[VS_EVENT_A_TASKS]	= { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* present has bit VS_EVENT_A_x for each attribute: they must fit */
_Static_assert(VS_EVENT_A_MAX < 64, "struct vs_event_info.present is too small");

int vs_event_parse(const void *msg, size_t len, int family,
		   struct vs_event_info *ev)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct nlattr *tb[VS_EVENT_A_MAX + 1];
	struct vs_event_info e = { 0 };
	struct genlmsghdr *gh;
	int i;

	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > len) {
		errno = EBADMSG;
		return -1;
	}
	/* NLMSG_ERROR, NLMSG_DONE, other families */
	if (family <= 0 || nlh->nlmsg_type != (unsigned int)family) {
		errno = ENOMSG;
		return -1;
	}
	if (!genlmsg_valid_hdr(nlh, 0)) {
		errno = EBADMSG;
		return -1;
	}
	gh = nlmsg_data(nlh);
	if (gh->cmd == VS_EVENT_UNSPEC) {
		errno = ENOMSG;
		return -1;
	}
	/* Attributes past VS_EVENT_A_MAX are left out: they are newer */
	if (genlmsg_parse(nlh, 0, tb, VS_EVENT_A_MAX, event_policy) < 0) {
		errno = EBADMSG;
		return -1;
	}
	if (!tb[VS_EVENT_A_XID] || !tb[VS_EVENT_A_TIME]) {
		errno = EBADMSG;
		return -1;
	}

	e.type = gh->cmd;
	for (i = VS_EVENT_A_XID; i <= VS_EVENT_A_MAX; i++)
		if (tb[i])
			e.present |= UINT64_C(1) << i;
#define U32(a)	(tb[a] ? nla_get_u32(tb[a]) : 0)
#define U64(a)	(tb[a] ? nla_get_u64(tb[a]) : 0)
	e.xid = U32(VS_EVENT_A_XID);
	e.time_ns = U64(VS_EVENT_A_TIME);
	e.flags = U64(VS_EVENT_A_FLAGS);
	e.pid = U32(VS_EVENT_A_PID);
	e.exit_code = (int32_t)U32(VS_EVENT_A_EXIT_CODE);
	e.reboot_cmd = U32(VS_EVENT_A_REBOOT_CMD);
	e.resource = U32(VS_EVENT_A_RESOURCE);
	e.usage = U64(VS_EVENT_A_USAGE);
	e.soft = U64(VS_EVENT_A_SOFT);
	e.hard = U64(VS_EVENT_A_HARD);
	e.hits = U32(VS_EVENT_A_HITS);
	e.dropped = U32(VS_EVENT_A_DROPPED);
	e.persistent = tb[VS_EVENT_A_PERSISTENT] ?
		       nla_get_u8(tb[VS_EVENT_A_PERSISTENT]) : 0;
	e.tasks = U32(VS_EVENT_A_TASKS);
	if (tb[VS_EVENT_A_NAME])
		nla_strlcpy(e.name, tb[VS_EVENT_A_NAME], sizeof(e.name));
#undef U32
#undef U64
	*ev = e;
	return 0;
}

/* A libnl socket connected to generic netlink; NULL with errno */
static struct nl_sock *genl_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		errno = ENOMEM;
		return NULL;
	}
	ret = genl_connect(sk);
	if (ret < 0) {
		nl_socket_free(sk);
		nl_fail(ret);
		return NULL;
	}
	return sk;
}

void vs_event_close(struct vs_event_monitor *mon)
{
	int saved = errno;

	if (!mon)
		return;
	if (mon->sock)
		nl_socket_free(mon->sock);
	free(mon);
	errno = saved;
}

int vs_event_open(struct vs_event_monitor **mon)
{
	struct vs_event_monitor *m;
	struct nl_sock *ctrl = NULL;
	int saved = errno, ret;
	size_t i;

	if (!mon) {
		errno = EINVAL;
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -1;
	ctrl = genl_socket();
	if (!ctrl)
		goto fail;
	ret = genl_ctrl_resolve(ctrl, VS_GENL_NAME);
	if (ret < 0) {
		nl_fail(ret);
		goto fail;
	}
	m->family = ret;
	for (i = 0; i < NR_GROUPS; i++) {
		ret = genl_ctrl_resolve_grp(ctrl, VS_GENL_NAME,
					    group_names[i]);
		if (ret < 0 && nl_errno(ret) != ENOENT) {
			nl_fail(ret);
			goto fail;
		}
		m->groups[i] = ret < 0 ? -1 : ret;
	}
	nl_socket_free(ctrl);
	ctrl = NULL;
	m->sock = genl_socket();
	if (!m->sock)
		goto fail;
	*mon = m;
	errno = saved;
	return 0;

fail:
	ret = errno;
	if (ctrl)
		nl_socket_free(ctrl);
	vs_event_close(m);
	errno = ret;
	return -1;
}

int vs_event_subscribe(struct vs_event_monitor *mon, const char *group)
{
	int saved = errno, id = -1, ret;
	size_t i;

	if (!mon || !group) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < NR_GROUPS; i++)
		if (strcmp(group, group_names[i]) == 0)
			id = mon->groups[i];
	if (id < 0) {
		errno = ENOENT;
		return -1;
	}
	ret = nl_socket_add_membership(mon->sock, id);
	if (ret < 0)
		return nl_fail(ret);
	errno = saved;
	return 0;
}

int vs_event_fd(const struct vs_event_monitor *mon)
{
	if (!mon) {
		errno = EINVAL;
		return -1;
	}
	return nl_socket_get_fd(mon->sock);
}

/*
 * Receive the next datagram into mon->buf.  Those not sent by the kernel
 * are dropped: only the kernel sends events.
 */
static int receive(struct vs_event_monitor *mon)
{
	struct sockaddr_nl from;
	struct iovec iov = { mon->buf, sizeof(mon->buf) };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		msg.msg_namelen = sizeof(from);
		n = recvmsg(nl_socket_get_fd(mon->sock), &msg, 0);
		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		if (msg.msg_namelen != sizeof(from) ||
		    from.nl_family != AF_NETLINK || from.nl_pid != 0)
			continue;
		mon->len = (size_t)n;
		mon->off = 0;
		return 0;
	}
}

int vs_event_recv(struct vs_event_monitor *mon, struct vs_event_info *ev)
{
	int saved = errno;

	if (!mon || !ev) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		const struct nlmsghdr *nlh;
		size_t rest;

		if (mon->off >= mon->len) {
			if (receive(mon) != 0)
				return -1;
			continue;
		}
		nlh = (const struct nlmsghdr *)(mon->buf + mon->off);
		rest = mon->len - mon->off;
		if (rest < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > rest) {
			/* The rest of the datagram cannot be split */
			mon->off = mon->len;
			errno = EBADMSG;
			return -1;
		}
		mon->off += NLMSG_ALIGN(nlh->nlmsg_len) < rest ?
			    NLMSG_ALIGN(nlh->nlmsg_len) : rest;
		if (vs_event_parse(nlh, nlh->nlmsg_len, mon->family, ev) == 0) {
			errno = saved;
			return 0;
		}
		if (errno != ENOMSG)
			return -1;
	}
}

/* What vs_context_dump() hands to its caller's function */
struct dump {
	int family;
	int (*fn)(const struct vs_event_info *ev, void *arg);
	void *arg;
	int ret;		/* of fn, when it stopped the dump */
	int error;		/* an errno of a bad message */
};

static int dump_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct dump *d = arg;
	struct vs_event_info ev;

	if (vs_event_parse(nlh, nlh->nlmsg_len, d->family, &ev) != 0) {
		if (errno == ENOMSG)
			return NL_SKIP;
		d->error = errno;
		return NL_STOP;
	}
	if (ev.type != VS_EVENT_CONTEXT)
		return NL_SKIP;
	d->ret = d->fn(&ev, d->arg);
	return d->ret ? NL_STOP : NL_OK;
}

int vs_context_dump(int (*fn)(const struct vs_event_info *ev, void *arg),
		    void *arg)
{
	struct dump d = { .fn = fn, .arg = arg };
	int saved = errno, ret;
	struct nl_sock *sk;

	if (!fn) {
		errno = EINVAL;
		return -1;
	}
	sk = genl_socket();
	if (!sk)
		return -1;
	ret = genl_ctrl_resolve(sk, VS_GENL_NAME);
	if (ret < 0)
		goto nl_error;
	d.family = ret;
	ret = nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, dump_valid,
				  &d);
	if (ret < 0)
		goto nl_error;
	ret = genl_send_simple(sk, d.family, VS_EVENT_CONTEXT, VS_GENL_VERSION,
			       NLM_F_DUMP);
	if (ret < 0)
		goto nl_error;
	ret = nl_recvmsgs_default(sk);
	if (ret < 0 && !d.ret && !d.error)
		goto nl_error;
	nl_socket_free(sk);
	if (d.error) {
		errno = d.error;
		return -1;
	}
	errno = saved;
	return d.ret;

nl_error:
	nl_socket_free(sk);
	return nl_fail(ret);
}
