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
 * stays for the next context with the same id (see proc.c), so nothing
 * in the end of a context waits for a reader.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/reboot.h>
#include <linux/vserver.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <linux/xarray.h>

#include "context.h"
#include "event.h"
#include "proc.h"
#include "setup.h"
#include "task.h"

static DEFINE_XARRAY_ALLOC(vs_contexts);

/* Context objects in memory, and hashed contexts (/proc/virtual/status) */
atomic_t vs_nr_contexts = ATOMIC_INIT(0);
atomic_t vs_nr_hashed = ATOMIC_INIT(0);

/* After a grace period, in process context: namespaces may sleep. */
static void vs_context_free_work(struct work_struct *work)
{
	struct vs_context *ctx = container_of(to_rcu_work(work),
					      struct vs_context, free_work);

	put_pid(ctx->init_pid);
	if (ctx->time_ns)
		put_time_ns(ctx->time_ns);
	if (ctx->uts_ns)
		put_uts_ns(ctx->uts_ns);
	if (ctx->uts_owner)
		put_user_ns(ctx->uts_owner);
	if (ctx->ipc_ns)
		put_ipc_ns(ctx->ipc_ns);
	vs_spaces_release(ctx->spaces);
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
		queue_rcu_work(system_wq, &ctx->free_work);
}

/**
 * vs_context_hashed - is a context with this id hashed?
 * @xid: the context id
 *
 * Return: the answer, which may change at any moment.
 */
bool vs_context_hashed(u32 xid)
{
	struct vs_context *ctx;
	bool hashed;

	rcu_read_lock();
	ctx = xa_load(&vs_contexts, xid);
	hashed = ctx && READ_ONCE(ctx->hashed);
	rcu_read_unlock();
	return hashed;
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

/**
 * vs_context_next - the hashed context with the lowest xid from *@xid up
 * @xid: where to start; set to the xid of the context found
 *
 * Return: the context, with a reference, or NULL if there is none.
 */
struct vs_context *vs_context_next(unsigned long *xid)
{
	struct vs_context *ctx;

	rcu_read_lock();
	for (ctx = xa_find(&vs_contexts, xid, VX_XID_MAX, XA_PRESENT); ctx;
	     ctx = xa_find_after(&vs_contexts, xid, VX_XID_MAX, XA_PRESENT))
		if (READ_ONCE(ctx->hashed) && refcount_inc_not_zero(&ctx->usage))
			break;
	rcu_read_unlock();
	return ctx;
}

/*
 * The caller cleared ctx->hashed under ctx->lock: release the IPC
 * namespace, free its id, tell the listeners if they were told of its
 * creation (@announced), wake the waiters and drop the hash's reference.
 */
static void vs_context_unhashed(struct vs_context *ctx, bool announced)
{
	unsigned int reboot_cmd;
	struct ipc_namespace *ipc;
	struct vs_space *spaces;
	int exit_code;

	/*
	 * IPC objects hold references to the context that is charged for
	 * them, and only the end of their namespace frees the ones left:
	 * let go of it now, and of the namespaces the spaces hold, or the
	 * two keep each other forever.  Tasks still in it hold their own
	 * references.
	 */
	spin_lock(&ctx->lock);
	ipc = ctx->ipc_ns;
	ctx->ipc_ns = NULL;
	spaces = ctx->spaces;
	ctx->spaces = NULL;
	exit_code = ctx->exit_code;
	reboot_cmd = ctx->reboot_cmd;
	spin_unlock(&ctx->lock);
	if (ipc)
		put_ipc_ns(ipc);
	vs_spaces_release(spaces);

	xa_erase(&vs_contexts, ctx->xid);
	atomic_dec(&vs_nr_hashed);
	/*
	 * The id is free: a listener may create a context with it again.
	 * Limit events still pending go out before the end.
	 */
	if (announced) {
		flush_work(&ctx->event_work);
		vs_event_ended(ctx, exit_code, reboot_cmd);
	}
	wake_up_all(&ctx->exit_wait);
	vs_context_put(ctx);
}

/*
 * Give the context its own UTS namespace, a copy of the creator's.  It is
 * owned by a user namespace of its own, whose owner is the creator's
 * euid: root in the context then passes the capability check of
 * sethostname() without holding CAP_SYS_ADMIN, and the capable hook
 * decides with VXC_SET_UTSNAME (see hook_capable()).  Nothing else refers
 * to that user namespace.  Without user namespaces the creator's owns the
 * copy, and the guest needs CAP_SYS_ADMIN in its ceiling as well.
 */
static int vs_context_make_uts(struct vs_context *ctx)
{
	struct user_namespace *owner = current_user_ns();
	struct uts_namespace *uts;
	struct cred *cred;

	if (IS_ENABLED(CONFIG_USER_NS)) {
		cred = prepare_creds();
		if (!cred)
			return -ENOMEM;
		if (!create_user_ns(cred)) {
			ctx->uts_owner = get_user_ns(cred->user_ns);
			owner = ctx->uts_owner;
		}
		abort_creds(cred);
	}
	uts = copy_utsname(CLONE_NEWUTS, owner, current->nsproxy->uts_ns);
	if (IS_ERR(uts))
		return PTR_ERR(uts);
	ctx->uts_ns = uts;
	return 0;
}

/*
 * Give the context its own IPC namespace: SysV IPC objects of one context
 * are out of reach of the others, and the namespace counts semaphores.
 */
static int vs_context_make_ipc(struct vs_context *ctx)
{
	struct ipc_namespace *ipc;

	ipc = copy_ipcs(CLONE_NEWIPC, current_user_ns(),
			current->nsproxy->ipc_ns);
	if (IS_ERR(ipc))
		return PTR_ERR(ipc);
	ctx->ipc_ns = ipc;
	return 0;
}

/**
 * vs_context_time_ns - the time namespace of a context with virtual uptime
 * @ctx: the context
 *
 * Made on first use: its boot time starts when the context was created.
 *
 * Return: the namespace, without a reference of its own (the context
 * holds one until it is freed), or an ERR_PTR().
 */
struct time_namespace *vs_context_time_ns(struct vs_context *ctx)
{
	struct time_namespace *ns, *old;

	ns = READ_ONCE(ctx->time_ns);
	if (ns)
		return ns;
	ns = copy_time_ns(CLONE_NEWTIME, current_user_ns(),
			  current->nsproxy->time_ns);
	if (IS_ERR(ns))
		return ns;
	ns->offsets.boottime = ns_to_timespec64(-(s64)ctx->start);
	old = cmpxchg(&ctx->time_ns, NULL, ns);
	if (old) {
		put_time_ns(ns);
		return old;
	}
	return ns;
}

/**
 * vs_context_create - create a new, empty context and reserve its id
 * @xid: the id, or VX_XID_DYNAMIC for a free one
 * @flags: its VXF_* flags
 *
 * The context has its /proc/virtual directory, but lookups do not find
 * it, and a create of the same id waits, until vs_context_publish(): its
 * creator enters it first, so nobody can end it before that.
 *
 * Return: the context with one reference for the caller (the hash holds
 * another), or an ERR_PTR(): -EEXIST if @xid is taken by a context past
 * setup, -EBUSY if it is taken by one still in setup, -ENOSPC if no
 * dynamic id is free, -EINTR if a fatal signal came while the id was
 * being freed, -ENOMEM.
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
	INIT_WORK(&ctx->event_work, vs_event_work);
	INIT_RCU_WORK(&ctx->free_work, vs_context_free_work);
	ctx->flags = flags;
	ctx->bcaps = VX_BCAPS_DEFAULT;
	ctx->start = ktime_get_boottime_ns();
	ctx->hashed = true;
	vs_limits_init(ctx->limits);
	atomic_inc(&vs_nr_contexts);
	err = vs_context_make_uts(ctx) ?: vs_context_make_ipc(ctx);
	if (err) {
		refcount_set(&ctx->usage, 1);
		vs_context_put(ctx);
		return ERR_PTR(err);
	}
	atomic_inc(&vs_nr_hashed);

	if (xid == VX_XID_DYNAMIC) {
		err = xa_alloc(&vs_contexts, &ctx->xid, NULL,
			       XA_LIMIT(VS_XID_DYNAMIC_MIN, VS_XID_DYNAMIC_MAX),
			       GFP_KERNEL);
		if (err == -EBUSY)
			err = -ENOSPC;
		goto inserted;
	}

	ctx->xid = xid;
	for (;;) {
		err = xa_insert(&vs_contexts, xid, NULL, GFP_KERNEL);
		if (err != -EBUSY)
			break;
		old = vs_context_lookup(xid);
		if (!old) {
			/*
			 * It is being unhashed, or its creator has not
			 * entered it yet: either way, that ends soon.
			 */
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
		refcount_set(&ctx->usage, 1);
		vs_context_put(ctx);
		return ERR_PTR(err);
	}

	err = vs_proc_add_context(ctx->xid);
	if (err) {
		/* Still never visible to anyone */
		xa_erase(&vs_contexts, ctx->xid);
		atomic_dec(&vs_nr_hashed);
		refcount_set(&ctx->usage, 1);
		vs_context_put(ctx);
		return ERR_PTR(err);
	}
	return ctx;
}

/**
 * vs_context_publish - let lookups find a new context
 * @ctx: the context, as vs_context_create() made it, its creator in it
 *
 * The id is reserved, so storing the context there needs no memory.
 */
void vs_context_publish(struct vs_context *ctx)
{
	WARN_ON_ONCE(xa_err(xa_store(&vs_contexts, ctx->xid, ctx,
				     GFP_KERNEL)));
}

/**
 * vs_context_add_task - count one more task in a context
 * @ctx: the context
 * @limited: the task is being forked, so the NPROC hard limit applies
 * @admit: the task is entering from the host, so the context must still
 *	   admit the host: VXF_STATE_ADMIN set, and not VXF_INFO_PRIVATE past
 *	   setup.  Decided under the same lock as the count, so the flags
 *	   cannot change in between.
 *
 * Takes a reference for the task.
 *
 * Return: 0, -ESRCH if the context was unhashed meanwhile, -EACCES if
 * @admit and the context does not admit the host, or -EAGAIN if @limited
 * and the context is at its NPROC hard limit.
 */
int vs_context_add_task(struct vs_context *ctx, bool limited, bool admit)
{
	int err = 0;

	if (limited) {
		if (!vs_limit_charge(ctx, VS_RES_NPROC))
			return -EAGAIN;
	} else {
		vs_limit_force(ctx, VS_RES_NPROC);
	}
	spin_lock(&ctx->lock);
	if (!ctx->hashed) {
		err = -ESRCH;
	} else if (admit && (!(ctx->flags & VXF_STATE_ADMIN) ||
			     (ctx->flags & (VXF_INFO_PRIVATE | VXF_STATE_SETUP)) ==
			     VXF_INFO_PRIVATE)) {
		err = -EACCES;
	} else {
		ctx->nr_tasks++;
		refcount_inc(&ctx->usage);
	}
	spin_unlock(&ctx->lock);
	if (err)
		vs_limit_uncharge(ctx, VS_RES_NPROC);
	return err;
}

/**
 * vs_context_remove_task - a task of the context exits
 * @ctx: the context
 * @exit_code: the task's exit code, or NULL for a task whose fork failed,
 *	       which never ran and leaves the last exit code as it is
 *
 * The task keeps its reference until it is freed.  The last task of a
 * context that is not persistent unhashes it.
 */
void vs_context_remove_task(struct vs_context *ctx, const int *exit_code)
{
	spin_lock(&ctx->lock);
	ctx->nr_tasks--;
	if (exit_code)
		ctx->exit_code = *exit_code;
	spin_unlock(&ctx->lock);
	vs_limit_uncharge(ctx, VS_RES_NPROC);
	vs_context_unhash_if_empty(ctx);
}

static void vs_context_end_if_empty(struct vs_context *ctx, bool failed)
{
	bool unhash;

	spin_lock(&ctx->lock);
	unhash = ctx->hashed && !ctx->nr_tasks &&
		 (failed || !(ctx->flags & VXF_PERSISTENT));
	if (unhash)
		ctx->hashed = false;
	spin_unlock(&ctx->lock);
	if (unhash)
		vs_context_unhashed(ctx, !failed);
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
	vs_context_end_if_empty(ctx, false);
}

/**
 * vs_context_discard - end a context whose creator could not enter it
 * @ctx: the context, as vs_context_create() made it
 *
 * A failed VCMD_ctx_create leaves nothing behind, even a context created
 * persistent; a task that entered it meanwhile still keeps it.
 */
void vs_context_discard(struct vs_context *ctx)
{
	vs_context_end_if_empty(ctx, true);
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

/**
 * vs_context_kill - signal every process of a context
 * @ctx: the context
 * @sig: the signal
 * @spare_init: leave the context's init alone
 *
 * A process forking meanwhile either has its child counted here, or gets
 * the signal before its child is made, which then fails.
 *
 * Return: 0 if a process was signalled, or the error of the first that
 * could not be, or -ESRCH if there was none.
 */
int vs_context_kill(struct vs_context *ctx, int sig, bool spare_init)
{
	struct task_struct *p;
	struct pid *init;
	int err, ret = -ESRCH;

	spin_lock(&ctx->lock);
	init = spare_init ? get_pid(ctx->init_pid) : NULL;
	spin_unlock(&ctx->lock);

	read_lock(&tasklist_lock);
	for_each_process(p) {
		if (vs_task_xid(p) != ctx->xid)
			continue;
		if (init && task_tgid(p) == init)
			continue;
		err = group_send_sig_info(sig, SEND_SIG_PRIV, p, PIDTYPE_TGID);
		if (ret)
			ret = err;
	}
	read_unlock(&tasklist_lock);
	put_pid(init);
	return ret;
}

/* reboot(2) by a task of @ctx; see vs_reboot() */
static int vs_reboot_context(struct vs_context *ctx, int magic1, int magic2,
			     unsigned int cmd)
{
	u64 old;

	if (!capable(CAP_KILL))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		break;
	default:
		return -EINVAL;
	}

	spin_lock(&ctx->lock);
	old = ctx->flags;
	ctx->flags &= ~VXF_PERSISTENT;
	ctx->reboot_cmd = cmd;
	spin_unlock(&ctx->lock);
	vs_event_reboot(ctx, cmd);
	vs_event_flags(ctx, old, old & ~VXF_PERSISTENT);
	/* The caller too: the context ends with its last task. */
	vs_context_kill(ctx, SIGKILL, false);
	return 0;
}

/**
 * vs_reboot - reboot(2) in a context ends the context
 * @magic1: the first magic number of reboot(2)
 * @magic2: the second one
 * @cmd: the LINUX_REBOOT_CMD_*
 * @ret: where the result of reboot(2) goes when this returns true
 *
 * Called by reboot(2) before anything else.  For a task in a context,
 * restart, halt and power-off end the context, never the machine: its
 * persistence ends, every process of it is killed, the caller too, and
 * VCMD_wait_exit reports @cmd.  Which command it was is for the host to
 * act on (util-vserver's vserver restarts the guest).  Ctrl-Alt-Del
 * settings do nothing.  The task needs CAP_KILL, with which it could kill
 * every process of its context anyway.
 *
 * Return: false for a task of the host or a spectator: reboot(2) goes on
 * as usual.  Otherwise true, with *@ret 0 (the caller is being killed,
 * unless @cmd was a Ctrl-Alt-Del setting) or one of:
 * - %EPERM: the caller does not have CAP_KILL;
 * - %EINVAL: bad magic numbers, or a command other than these (kexec and
 *   suspend concern the machine).
 */
bool vs_reboot(int magic1, int magic2, unsigned int cmd, int *ret)
{
	struct vs_context *ctx;

	if (!vs_initialized)
		return false;
	ctx = vs_task(current)->ctx;
	if (!ctx)
		return false;
	*ret = vs_reboot_context(ctx, magic1, magic2, cmd);
	return true;
}
