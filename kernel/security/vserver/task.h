/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - which context a task belongs to
 */

#ifndef _SECURITY_VSERVER_TASK_H
#define _SECURITY_VSERVER_TASK_H

#include <linux/cred.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "context.h"
#include "net.h"
#include "setup.h"

/**
 * struct vs_task_security - the vserver part of a task's security blob
 * @ctx: the task's context, with a reference; NULL in the host (xid 0)
 *	 and for spectators (xid 1)
 * @xid: the task's context id; read locklessly by other tasks
 * @counted: the task is counted in @ctx->nr_tasks (until it exits)
 * @raw_icmp: the task is creating a raw ICMP socket under VXC_RAW_ICMP
 * @work_flags: VS_TASK_CAPS_PENDING: @caps_work is queued
 * @caps_work: replaces the task's credentials after the ceiling changed
 *	       (see vs_caps_changed())
 * @entry_cred: for a task the host put into the context (it created or
 *		was migrated into it) and that has not called execve or
 *		changed its ids or capabilities since, the credentials it
 *		had in the host, with a reference; else NULL.  Such a task
 *		may configure its context during setup, and gets back what a
 *		raised ceiling allows of them.
 * @nx: the task's network context, with a reference; NULL in the host's
 *	network (nid 0) and for network spectators (nid 1)
 * @nid: the task's network context id; read locklessly by other tasks
 * @nx_counted: the task is counted in @nx->nr_tasks (until it exits)
 */
struct vs_task_security {
	struct vs_context *ctx;
	u32 xid;
	bool counted;
	bool raw_icmp;
	unsigned long work_flags;
	struct callback_head caps_work;
	const struct cred *entry_cred;
	struct vs_net *nx;
	u32 nid;
	bool nx_counted;
};

#define VS_TASK_CAPS_PENDING	0

/**
 * struct vs_cred_security - the vserver part of a cred's security blob
 * @ctx: the context of the task the credentials belong to, with a
 *	 reference, for the hooks that only see credentials; NULL in the
 *	 host and for spectators
 * @xid: that context's id
 */
struct vs_cred_security {
	struct vs_context *ctx;
	u32 xid;
};

static inline struct vs_task_security *
vs_task(const struct task_struct *task)
{
	return task->security + vs_blob_sizes.lbs_task;
}

static inline struct vs_cred_security *vs_cred(const struct cred *cred)
{
	return cred->security + vs_blob_sizes.lbs_cred;
}

static inline u32 vs_task_xid(const struct task_struct *task)
{
	return READ_ONCE(vs_task(task)->xid);
}

static inline u32 vs_current_xid(void)
{
	return vs_task_xid(current);
}

/* The host may act on every task, others only on their own context. */
static inline bool vs_may_act_on(u32 xid)
{
	u32 cur = vs_current_xid();

	return cur == VX_XID_HOST || cur == xid;
}

/* The host and spectators see every task, others only their own. */
static inline bool vs_may_see(u32 xid)
{
	u32 cur = vs_current_xid();

	return cur == VX_XID_HOST || cur == VX_XID_SPECTATOR || cur == xid;
}

struct nsproxy;

int vs_task_enter(struct vs_context *ctx, u32 xid, bool admit);
int vs_nsproxy_copy(struct nsproxy **nsp);
void vs_badness_apply(struct task_struct *task, s64 bias);

void __init vs_add_task_hooks(void);

#endif /* _SECURITY_VSERVER_TASK_H */
