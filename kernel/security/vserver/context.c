// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - security contexts
 *
 * Contexts live in an xarray indexed by xid; readers look them up under
 * RCU and take a reference.  A context is "hashed" (it can be looked up
 * and entered) from its creation until its last task exits, or, for a
 * persistent one, until persistence ends while it is empty.  Unhashing
 * is decided once, under the context's lock; a lookup that still finds
 * the context in the xarray afterwards ignores it.  Its /proc directory
 * goes before its id is freed, so a new context with the same id never
 * meets the old directory.
 */

#include <linux/err.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "context.h"
#include "proc.h"

static DEFINE_XARRAY_ALLOC(vs_contexts);

/* Context objects in memory, and hashed contexts (/proc/virtual/status) */
atomic_t vs_nr_contexts = ATOMIC_INIT(0);
atomic_t vs_nr_hashed = ATOMIC_INIT(0);

static void vs_context_free_rcu(struct rcu_head *head)
{
	struct vs_context *ctx = container_of(head, struct vs_context, rcu);

	put_pid(ctx->init_pid);
	kfree(ctx);
	atomic_dec(&vs_nr_contexts);
}

void vs_context_get(struct vs_context *ctx)
{
	refcount_inc(&ctx->usage);
}

/* May be called from any context, including RCU callbacks. */
void vs_context_put(struct vs_context *ctx)
{
	if (ctx && refcount_dec_and_test(&ctx->usage))
		call_rcu(&ctx->rcu, vs_context_free_rcu);
}

/**
 * vs_context_lookup - find a hashed context and take a reference
 * @xid: the context id
 *
 * Return: the context, or NULL if no context @xid is hashed.
 */
struct vs_context *vs_context_lookup(u32 xid)
{
	struct vs_context *ctx;

	rcu_read_lock();
	ctx = xa_load(&vs_contexts, xid);
	if (ctx && (!READ_ONCE(ctx->hashed) ||
		    !refcount_inc_not_zero(&ctx->usage)))
		ctx = NULL;
	rcu_read_unlock();
	return ctx;
}

/*
 * The caller cleared ctx->hashed under ctx->lock: remove the context's
 * /proc directory, free its id, wake the waiters and drop the hash's
 * reference.
 */
static void vs_context_unhashed(struct vs_context *ctx)
{
	vs_proc_remove_context(ctx);
	xa_erase(&vs_contexts, ctx->xid);
	atomic_dec(&vs_nr_hashed);
	wake_up_all(&ctx->exit_wait);
	vs_context_put(ctx);
}

/**
 * vs_context_create - create and hash a new, empty context
 * @xid: the id, or VX_XID_DYNAMIC for a free one
 * @flags: its VXF_* flags
 *
 * Return: the context with one reference for the caller (the hash holds
 * another), or an ERR_PTR(): -EEXIST if @xid is taken by a context past
 * setup, -EBUSY if it is taken by one still in setup, -ENOSPC if no
 * dynamic id is free, -ENOMEM.
 */
struct vs_context *vs_context_create(u32 xid, u64 flags)
{
	struct vs_context *ctx, *old;
	int err;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	refcount_set(&ctx->usage, 2);
	spin_lock_init(&ctx->lock);
	init_waitqueue_head(&ctx->exit_wait);
	ctx->flags = flags;
	ctx->hashed = true;
	atomic_inc(&vs_nr_contexts);
	atomic_inc(&vs_nr_hashed);

	if (xid == VX_XID_DYNAMIC) {
		err = xa_alloc(&vs_contexts, &ctx->xid, ctx,
			       XA_LIMIT(VS_XID_DYNAMIC_MIN, VS_XID_DYNAMIC_MAX),
			       GFP_KERNEL);
		if (err == -EBUSY)
			err = -ENOSPC;
		goto inserted;
	}

	ctx->xid = xid;
	for (;;) {
		err = xa_insert(&vs_contexts, xid, ctx, GFP_KERNEL);
		if (err != -EBUSY)
			break;
		old = vs_context_lookup(xid);
		if (!old) {
			/* It is being unhashed: its id is free soon. */
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			cond_resched();
			continue;
		}
		spin_lock(&old->lock);
		err = (old->flags & VXF_STATE_SETUP) ? -EBUSY : -EEXIST;
		spin_unlock(&old->lock);
		vs_context_put(old);
		break;
	}
inserted:
	if (err) {
		/* Never visible to anyone */
		atomic_dec(&vs_nr_hashed);
		atomic_dec(&vs_nr_contexts);
		kfree(ctx);
		return ERR_PTR(err);
	}

	err = vs_proc_add_context(ctx);
	if (err) {
		/* Lookups may hold references by now: unhash as usual. */
		spin_lock(&ctx->lock);
		ctx->hashed = false;
		spin_unlock(&ctx->lock);
		vs_context_unhashed(ctx);
		vs_context_put(ctx);
		return ERR_PTR(err);
	}
	return ctx;
}

/**
 * vs_context_add_task - count one more task in a context
 * @ctx: the context
 *
 * Takes a reference for the task.
 *
 * Return: 0, or -ESRCH if the context was unhashed meanwhile.
 */
int vs_context_add_task(struct vs_context *ctx)
{
	int err = 0;

	spin_lock(&ctx->lock);
	if (ctx->hashed) {
		ctx->nr_tasks++;
		refcount_inc(&ctx->usage);
	} else {
		err = -ESRCH;
	}
	spin_unlock(&ctx->lock);
	return err;
}

/**
 * vs_context_remove_task - a task of the context exits
 * @ctx: the context
 * @exit_code: the task's exit code
 *
 * The task keeps its reference until it is freed.  The last task of a
 * context that is not persistent unhashes it.
 */
void vs_context_remove_task(struct vs_context *ctx, int exit_code)
{
	spin_lock(&ctx->lock);
	ctx->nr_tasks--;
	ctx->exit_code = exit_code;
	spin_unlock(&ctx->lock);
	vs_context_unhash_if_empty(ctx);
}

/**
 * vs_context_unhash_if_empty - end a context that has no task and no
 *	persistence
 * @ctx: the context
 *
 * Called when a task leaves and when persistence ends.  Whoever finds the
 * context empty first, under its lock, unhashes it; a task that entered
 * meanwhile keeps it.
 */
void vs_context_unhash_if_empty(struct vs_context *ctx)
{
	bool unhash;

	spin_lock(&ctx->lock);
	unhash = ctx->hashed && !ctx->nr_tasks &&
		 !(ctx->flags & VXF_PERSISTENT);
	if (unhash)
		ctx->hashed = false;
	spin_unlock(&ctx->lock);
	if (unhash)
		vs_context_unhashed(ctx);
}

/**
 * vs_context_init_nr - the pid of a context's init, as the caller sees it
 * @ctx: the context
 *
 * Return: the pid, or 0 if the context has no init or its init is gone.
 */
pid_t vs_context_init_nr(struct vs_context *ctx)
{
	pid_t nr = 0;

	rcu_read_lock();
	spin_lock(&ctx->lock);
	if (ctx->init_pid && pid_has_task(ctx->init_pid, PIDTYPE_TGID))
		nr = pid_vnr(ctx->init_pid);
	spin_unlock(&ctx->lock);
	rcu_read_unlock();
	return nr;
}
