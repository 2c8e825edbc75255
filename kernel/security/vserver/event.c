// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - events over generic netlink
 *
 * The family VS_GENL_NAME multicasts what happens to contexts to the
 * host's listeners: their lifecycle, and the refusals and soft-limit
 * crossings of their limits.  It has no commands.  Only the host may
 * listen, three ways over: the groups need CAP_SYS_ADMIN, the family is
 * not in any network namespace but the initial one, and a socket made in
 * a context (which a host task may hold later) never gets an event.
 *
 * One request, a dump of every context, lets the host's tools list the
 * contexts in one call instead of walking /proc/virtual.
 *
 * Nothing is built when nobody listens.  Lifecycle events are sent at
 * once, from process context, so those of one context arrive in order.
 * Limit events come from the charge paths, which may hold locks or run
 * in atomic context: the charge only marks the resource and queues the
 * context's work, which sends them.  At most VS_EVENT_LIMIT_RATE of them
 * go out per second for one resource of one context, so a fork bomb
 * cannot flood the listeners; the next one sent counts those left out.
 */

#include <linux/jiffies.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <uapi/linux/vserver.h>

#include "context.h"
#include "event.h"
#include "isolation.h"
#include "limit.h"
#include "setup.h"

/* Shortest time between two limit events of one resource of a context */
#define VS_EVENT_INTERVAL	(HZ / VS_EVENT_LIMIT_RATE)

enum vs_event_group {
	VS_GROUP_LIFECYCLE,
	VS_GROUP_LIMITS,
};

static const struct genl_multicast_group vs_event_groups[] = {
	[VS_GROUP_LIFECYCLE] = { .name = VS_GENL_MCGRP_LIFECYCLE,
				 .flags = GENL_MCAST_CAP_SYS_ADMIN },
	[VS_GROUP_LIMITS] = { .name = VS_GENL_MCGRP_LIMITS,
			      .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

static int vs_event_dump(struct sk_buff *skb, struct netlink_callback *cb);

static const struct genl_small_ops vs_event_ops[] = {
	{
		.cmd = VS_EVENT_CONTEXT,
		.validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,
		.flags = GENL_ADMIN_PERM,
		.dumpit = vs_event_dump,
	},
};

static struct genl_family vs_genl_family = {
	.name = VS_GENL_NAME,
	.version = VS_GENL_VERSION,
	.maxattr = VS_EVENT_A_MAX,
	.netnsok = false,
	.module = THIS_MODULE,
	.small_ops = vs_event_ops,
	.n_small_ops = ARRAY_SIZE(vs_event_ops),
	.resv_start_op = VS_EVENT_CONTEXT + 1,
	.mcgrps = vs_event_groups,
	.n_mcgrps = ARRAY_SIZE(vs_event_groups),
};

static bool vs_events_ready __ro_after_init;

/* The largest event: every attribute once, but the name */
static size_t vs_event_size(void)
{
	return 8 * nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8)) +
	       5 * nla_total_size_64bit(sizeof(u64));
}

/* Is anyone listening to @group? */
static bool vs_event_wanted(enum vs_event_group group)
{
	return READ_ONCE(vs_events_ready) &&
	       genl_has_listeners(&vs_genl_family, &init_net, group);
}

/*
 * A message of @cmd about @ctx, with the attributes every event has, or
 * NULL.  *@hdr is the generic netlink header for vs_event_send().
 */
static struct sk_buff *vs_event_new(struct vs_context *ctx, u8 cmd,
				    void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(vs_event_size(), GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &vs_genl_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(skb, VS_EVENT_A_XID, ctx->xid) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_TIME, ktime_get_boottime_ns(),
			      VS_EVENT_A_PAD)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Sockets made in a context get nothing, whoever holds them now. */
static int vs_event_filter(struct sock *dsk, struct sk_buff *skb, void *data)
{
	return vs_sock(dsk)->xid != VX_XID_HOST;
}

static void vs_event_send(struct sk_buff *skb, void *hdr,
			  enum vs_event_group group)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns_filtered(&vs_genl_family, &init_net, skb, 0,
					 group, GFP_KERNEL, vs_event_filter,
					 NULL);
}

/* Abandon a message that did not fit; vs_event_size() is too small. */
static void vs_event_drop(struct sk_buff *skb)
{
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
}

/**
 * struct vs_event_args - the attributes of a lifecycle event beyond the
 *	xid and the time
 * @have: BIT(VS_EVENT_A_*) of each attribute to send
 * @flags: VS_EVENT_A_FLAGS
 * @pid: VS_EVENT_A_PID
 * @persistent: VS_EVENT_A_PERSISTENT
 * @exit_code: VS_EVENT_A_EXIT_CODE
 * @reboot_cmd: VS_EVENT_A_REBOOT_CMD
 */
struct vs_event_args {
	u32 have;
	u64 flags;
	u32 pid;
	u8 persistent;
	s32 exit_code;
	u32 reboot_cmd;
};

#define VS_HAS(attr)	BIT(VS_EVENT_A_##attr)

/* Send lifecycle event @cmd of @ctx with the attributes of @args */
static void vs_event_lifecycle(struct vs_context *ctx, u8 cmd,
			       const struct vs_event_args *args)
{
	struct sk_buff *skb;
	u32 have = args->have;
	void *hdr;

	skb = vs_event_new(ctx, cmd, &hdr);
	if (!skb)
		return;
	if (((have & VS_HAS(FLAGS)) &&
	     nla_put_u64_64bit(skb, VS_EVENT_A_FLAGS, args->flags,
			       VS_EVENT_A_PAD)) ||
	    ((have & VS_HAS(PID)) &&
	     nla_put_u32(skb, VS_EVENT_A_PID, args->pid)) ||
	    ((have & VS_HAS(PERSISTENT)) &&
	     nla_put_u8(skb, VS_EVENT_A_PERSISTENT, args->persistent)) ||
	    ((have & VS_HAS(EXIT_CODE)) &&
	     nla_put_s32(skb, VS_EVENT_A_EXIT_CODE, args->exit_code)) ||
	    ((have & VS_HAS(REBOOT_CMD)) &&
	     nla_put_u32(skb, VS_EVENT_A_REBOOT_CMD, args->reboot_cmd))) {
		vs_event_drop(skb);
		return;
	}
	vs_event_send(skb, hdr, VS_GROUP_LIFECYCLE);
}

/**
 * vs_event_created - a context was created, its creator in it
 * @ctx: the context
 */
void vs_event_created(struct vs_context *ctx)
{
	struct vs_event_args args = {
		.have = VS_HAS(FLAGS) | VS_HAS(PID),
		.flags = READ_ONCE(ctx->flags),
		.pid = task_tgid_nr(current),
	};

	if (vs_event_wanted(VS_GROUP_LIFECYCLE))
		vs_event_lifecycle(ctx, VS_EVENT_CREATED, &args);
}

/**
 * vs_event_flags - the flags of a context changed
 * @ctx: the context
 * @old: its flags before
 * @new: its flags now
 *
 * Sends VS_EVENT_SETUP_DONE when VXF_STATE_SETUP was cleared, and
 * VS_EVENT_PERSISTENT when VXF_PERSISTENT changed.
 */
void vs_event_flags(struct vs_context *ctx, u64 old, u64 new)
{
	struct vs_event_args args = {
		.have = VS_HAS(FLAGS),
		.flags = new,
		.persistent = !!(new & VXF_PERSISTENT),
	};

	if (!vs_event_wanted(VS_GROUP_LIFECYCLE))
		return;
	if (old & ~new & VXF_STATE_SETUP)
		vs_event_lifecycle(ctx, VS_EVENT_SETUP_DONE, &args);
	args.have |= VS_HAS(PERSISTENT);
	if ((old ^ new) & VXF_PERSISTENT)
		vs_event_lifecycle(ctx, VS_EVENT_PERSISTENT, &args);
}

/**
 * vs_event_reboot - a task of a context called reboot(2)
 * @ctx: the context
 * @cmd: the LINUX_REBOOT_CMD_*
 */
void vs_event_reboot(struct vs_context *ctx, unsigned int cmd)
{
	struct vs_event_args args = {
		.have = VS_HAS(REBOOT_CMD) | VS_HAS(PID),
		.reboot_cmd = cmd,
		.pid = task_tgid_nr(current),
	};

	if (vs_event_wanted(VS_GROUP_LIFECYCLE))
		vs_event_lifecycle(ctx, VS_EVENT_REBOOT, &args);
}

/**
 * vs_event_ended - a context ended
 * @ctx: the context, just unhashed
 * @exit_code: what VCMD_wait_exit reports as exit_code
 * @reboot_cmd: and as reboot_cmd
 */
void vs_event_ended(struct vs_context *ctx, int exit_code,
		    unsigned int reboot_cmd)
{
	struct vs_event_args args = {
		.have = VS_HAS(EXIT_CODE) | VS_HAS(REBOOT_CMD),
		.exit_code = exit_code,
		.reboot_cmd = reboot_cmd,
	};

	if (vs_event_wanted(VS_GROUP_LIFECYCLE))
		vs_event_lifecycle(ctx, VS_EVENT_ENDED, &args);
}

/* The pending bit of an event of @res: refusal, or soft-limit crossing */
static unsigned int vs_event_bit(enum vs_resource res, bool refused)
{
	return res * 2 + refused;
}

static_assert(VS_NR_RES * 2 <= BITS_PER_LONG);

/**
 * vs_event_limit - a charge of a resource was refused, or crossed the
 *	soft limit
 * @ctx: the context
 * @res: the resource
 * @refused: a refusal at the hard limit, else a soft-limit crossing
 *
 * May be called in atomic context.  The event is sent by the context's
 * work, unless one was sent for @res less than VS_EVENT_INTERVAL ago:
 * then it is only counted, and the next one sent says how many were left
 * out.
 */
void vs_event_limit(struct vs_context *ctx, enum vs_resource res,
		    bool refused)
{
	struct vs_limit *l = &ctx->limits[res];
	unsigned long next = READ_ONCE(l->event_next);

	if (!vs_event_wanted(VS_GROUP_LIMITS))
		return;
	if (time_before(jiffies, next) ||
	    cmpxchg(&l->event_next, next, jiffies + VS_EVENT_INTERVAL) !=
	    next) {
		atomic_inc(&l->event_dropped);
		return;
	}
	set_bit(vs_event_bit(res, refused), &ctx->event_pending);
	/* The charger holds a reference; the work takes its own. */
	vs_context_get(ctx);
	if (!queue_work(system_wq, &ctx->event_work))
		vs_context_put(ctx);
}

static void vs_event_limit_send(struct vs_context *ctx, enum vs_resource res,
				bool refused)
{
	struct vcmd_rlimit_stat_v0 stat;
	struct vs_limit *l = &ctx->limits[res];
	struct sk_buff *skb;
	void *hdr;

	skb = vs_event_new(ctx, refused ? VS_EVENT_LIMIT_REFUSED :
			   VS_EVENT_LIMIT_SOFT, &hdr);
	if (!skb)
		return;
	vs_limit_read(ctx, res, &stat);
	if (nla_put_u32(skb, VS_EVENT_A_RESOURCE, stat.id) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_USAGE, stat.value,
			      VS_EVENT_A_PAD) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_SOFT, READ_ONCE(l->soft),
			      VS_EVENT_A_PAD) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_HARD, READ_ONCE(l->hard),
			      VS_EVENT_A_PAD) ||
	    nla_put_u32(skb, VS_EVENT_A_HITS, stat.hits) ||
	    nla_put_u32(skb, VS_EVENT_A_DROPPED,
			atomic_xchg(&l->event_dropped, 0))) {
		vs_event_drop(skb);
		return;
	}
	vs_event_send(skb, hdr, VS_GROUP_LIMITS);
}

/**
 * vs_event_work - send the limit events a context has pending
 * @work: the context's event_work
 *
 * Drops the reference vs_event_limit() took for it.
 */
void vs_event_work(struct work_struct *work)
{
	struct vs_context *ctx = container_of(work, struct vs_context,
					      event_work);
	unsigned int bit;

	for (bit = 0; bit < VS_NR_RES * 2; bit++)
		if (test_and_clear_bit(bit, &ctx->event_pending))
			vs_event_limit_send(ctx, bit / 2, bit % 2);
	vs_context_put(ctx);
}

/* One context in a dump; -EMSGSIZE when @skb is full */
static int vs_event_fill(struct sk_buff *skb, struct netlink_callback *cb,
			 struct vs_context *ctx)
{
	char name[VHILEN];
	u32 tasks;
	pid_t pid;
	void *hdr;
	u64 flags;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vs_genl_family, NLM_F_MULTI, VS_EVENT_CONTEXT);
	if (!hdr)
		return -EMSGSIZE;
	pid = vs_context_init_nr(ctx);
	spin_lock(&ctx->lock);
	memcpy(name, ctx->name, sizeof(name));
	tasks = ctx->nr_tasks;
	flags = ctx->flags;
	spin_unlock(&ctx->lock);
	name[sizeof(name) - 1] = '\0';
	if (nla_put_u32(skb, VS_EVENT_A_XID, ctx->xid) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_TIME, ctx->start,
			      VS_EVENT_A_PAD) ||
	    nla_put_u64_64bit(skb, VS_EVENT_A_FLAGS, flags, VS_EVENT_A_PAD) ||
	    nla_put_string(skb, VS_EVENT_A_NAME, name) ||
	    nla_put_u32(skb, VS_EVENT_A_TASKS, tasks) ||
	    (pid > 0 && nla_put_u32(skb, VS_EVENT_A_PID, pid))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * VS_EVENT_CONTEXT: every context, in xid order, from where the last part
 * of the dump ended (cb->args[0]).  A socket made in a context gets
 * nothing, as for events.
 */
static int vs_event_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long xid = cb->args[0];
	struct vs_context *ctx;
	int err;

	if (vs_sock(NETLINK_CB(cb->skb).sk)->xid != VX_XID_HOST)
		return -EPERM;
	while ((ctx = vs_context_next(&xid))) {
		err = vs_event_fill(skb, cb, ctx);
		vs_context_put(ctx);
		if (err)
			break;
		xid++;
	}
	cb->args[0] = xid;
	return skb->len;
}

static int __init vs_event_init(void)
{
	int err;

	if (!vs_initialized)
		return 0;
	err = genl_register_family(&vs_genl_family);
	if (err) {
		pr_err("vserver: cannot register the event family: %d\n", err);
		return err;
	}
	WRITE_ONCE(vs_events_ready, true);
	return 0;
}

/* After genetlink itself (subsys_initcall) */
device_initcall(vs_event_init);

/* The ABI: command and attribute numbers never change. */
static_assert(VS_GENL_VERSION == 1);
static_assert(VS_EVENT_CREATED == 1);
static_assert(VS_EVENT_SETUP_DONE == 2);
static_assert(VS_EVENT_PERSISTENT == 3);
static_assert(VS_EVENT_REBOOT == 4);
static_assert(VS_EVENT_ENDED == 5);
static_assert(VS_EVENT_LIMIT_REFUSED == 6);
static_assert(VS_EVENT_LIMIT_SOFT == 7);
static_assert(VS_EVENT_A_PAD == 1);
static_assert(VS_EVENT_A_XID == 2);
static_assert(VS_EVENT_A_TIME == 3);
static_assert(VS_EVENT_A_FLAGS == 4);
static_assert(VS_EVENT_A_PID == 5);
static_assert(VS_EVENT_A_PERSISTENT == 6);
static_assert(VS_EVENT_A_EXIT_CODE == 7);
static_assert(VS_EVENT_A_REBOOT_CMD == 8);
static_assert(VS_EVENT_A_RESOURCE == 9);
static_assert(VS_EVENT_A_USAGE == 10);
static_assert(VS_EVENT_A_SOFT == 11);
static_assert(VS_EVENT_A_HARD == 12);
static_assert(VS_EVENT_A_HITS == 13);
static_assert(VS_EVENT_A_DROPPED == 14);
static_assert(VS_EVENT_CONTEXT == 8);
static_assert(VS_EVENT_A_NAME == 15);
static_assert(VS_EVENT_A_TASKS == 16);
static_assert(VS_EVENT_A_MAX == VS_EVENT_A_TASKS);
