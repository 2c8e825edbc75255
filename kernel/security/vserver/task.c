// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - which context a task belongs to
 *
 * A task's context lives in its task blob, with a copy of the xid in its
 * credentials for the hooks that only see credentials.  A new task joins
 * the context of the task that creates it; a task leaves its context only
 * by exiting (vs_task_exit(), called from do_exit()).  Only a task in the
 * host context can enter another one (vs_task_enter()).
 */

#include <linux/cred.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>
#include <linux/vserver.h>

#include "context.h"
#include "setup.h"
#include "task.h"

/**
 * vs_task_enter - move the current task into a context
 * @ctx: the context, or NULL to become a spectator
 * @xid: the context's id, or VX_XID_SPECTATOR
 *
 * The caller is in the host context.
 *
 * Return: 0, -ESRCH if @ctx was unhashed meanwhile, or -ENOMEM.
 */
int vs_task_enter(struct vs_context *ctx, u32 xid)
{
	struct vs_task_security *ts = vs_task(current);
	struct cred *cred;
	int err;

	cred = prepare_creds();
	if (!cred)
		return -ENOMEM;
	if (ctx) {
		err = vs_context_add_task(ctx);
		if (err) {
			abort_creds(cred);
			return err;
		}
	}
	vs_cred(cred)->xid = xid;
	commit_creds(cred);

	ts->ctx = ctx;
	ts->counted = !!ctx;
	WRITE_ONCE(ts->xid, xid);
	return 0;
}

static int hook_task_alloc(struct task_struct *task,
			   unsigned long clone_flags)
{
	struct vs_task_security *parent = vs_task(current);
	struct vs_task_security *child = vs_task(task);
	int err;

	if (parent->ctx) {
		err = vs_context_add_task(parent->ctx);
		if (err)
			return err;
		child->ctx = parent->ctx;
		child->counted = true;
	}
	child->xid = parent->xid;
	return 0;
}

/*
 * Called when the task struct is freed, possibly from an RCU callback.
 * Only a task whose fork failed is still counted here; that happens in
 * process context.
 */
static void hook_task_free(struct task_struct *task)
{
	struct vs_task_security *ts = vs_task(task);

	if (ts->counted) {
		ts->counted = false;
		vs_context_remove_task(ts->ctx, 0);
	}
	vs_context_put(ts->ctx);
	ts->ctx = NULL;
}

/**
 * vs_task_exit - a task leaves its context as it exits
 * @task: the exiting task, current
 *
 * Called from do_exit().  The last task of a context ends it, unless the
 * context is persistent.  The task keeps its xid (a zombie still belongs
 * to its context) and its reference until it is freed.
 */
void vs_task_exit(struct task_struct *task)
{
	struct vs_task_security *ts;

	if (!vs_initialized)
		return;
	ts = vs_task(task);
	if (ts->counted) {
		ts->counted = false;
		vs_context_remove_task(ts->ctx, task->exit_code);
	}
}

static int hook_cred_prepare(struct cred *new, const struct cred *old,
			     gfp_t gfp)
{
	vs_cred(new)->xid = vs_cred(old)->xid;
	return 0;
}

static void hook_cred_transfer(struct cred *new, const struct cred *old)
{
	vs_cred(new)->xid = vs_cred(old)->xid;
}

static struct security_hook_list vs_task_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, hook_task_alloc),
	LSM_HOOK_INIT(task_free, hook_task_free),
	LSM_HOOK_INIT(cred_prepare, hook_cred_prepare),
	LSM_HOOK_INIT(cred_transfer, hook_cred_transfer),
};

void __init vs_add_task_hooks(void)
{
	security_add_hooks(vs_task_hooks, ARRAY_SIZE(vs_task_hooks),
			   &vs_lsmid);
}
