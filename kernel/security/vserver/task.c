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
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/init.h>
#include <linux/ipc_namespace.h>
#include <linux/lsm_hooks.h>
#include <linux/nsproxy.h>
#include <linux/oom.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <linux/vserver.h>

#include "caps.h"
#include "context.h"
#include "keys.h"
#include "setup.h"
#include "task.h"

/**
 * vs_badness_apply - give a task a context's OOM bias
 * @task: a task of the context
 * @bias: the context's bias; 0 leaves the task as it is
 *
 * The bias, clamped to OOM_SCORE_ADJ_MIN..OOM_SCORE_ADJ_MAX, becomes the
 * oom_score_adj of the task's process.
 */
void vs_badness_apply(struct task_struct *task, s64 bias)
{
	if (bias)
		WRITE_ONCE(task->signal->oom_score_adj,
			   clamp_val(bias, OOM_SCORE_ADJ_MIN,
				     OOM_SCORE_ADJ_MAX));
}

/**
 * vs_nsproxy_copy - a new nsproxy with the current task's namespaces
 * @nsp: set to it
 *
 * For the caller to change some of them and switch to it.  Needs
 * CAP_SYS_ADMIN, as unsharing does.
 *
 * Return: 0, or what unsharing a UTS namespace returns.
 */
int vs_nsproxy_copy(struct nsproxy **nsp)
{
	struct nsproxy *new;
	int err;

	/* Unsharing one namespace copies the others; take it back */
	err = unshare_nsproxy_namespaces(CLONE_NEWUTS, &new, NULL, NULL);
	if (err)
		return err;
	put_uts_ns(new->uts_ns);
	new->uts_ns = current->nsproxy->uts_ns;
	get_uts_ns(new->uts_ns);
	*nsp = new;
	return 0;
}

/*
 * The namespaces a task of @ctx lives in: the caller's, with the
 * context's UTS namespace and, for virtual uptime, its time namespace.
 */
static int vs_context_nsproxy(struct vs_context *ctx, struct nsproxy **nsp)
{
	struct time_namespace *time_ns = NULL;
	struct ipc_namespace *ipc;
	struct nsproxy *new;
	int err;

	if (READ_ONCE(ctx->flags) & VXF_VIRT_UPTIME) {
		time_ns = vs_context_time_ns(ctx);
		if (IS_ERR(time_ns))
			return PTR_ERR(time_ns);
	}
	spin_lock(&ctx->lock);
	ipc = ctx->ipc_ns;
	if (ipc)
		get_ipc_ns(ipc);
	spin_unlock(&ctx->lock);
	if (!ipc)
		return -ESRCH;	/* unhashed meanwhile */
	err = vs_nsproxy_copy(&new);
	if (err) {
		put_ipc_ns(ipc);
		return err;
	}
	put_uts_ns(new->uts_ns);
	get_uts_ns(ctx->uts_ns);
	new->uts_ns = ctx->uts_ns;
	put_ipc_ns(new->ipc_ns);
	new->ipc_ns = ipc;
	if (time_ns) {
		put_time_ns(new->time_ns);
		new->time_ns = get_time_ns(time_ns);
		put_time_ns(new->time_ns_for_children);
		new->time_ns_for_children = get_time_ns(time_ns);
	}
	*nsp = new;
	return 0;
}

/*
 * Does the current task share nothing that a task outside the context
 * could use?  A thread left behind in the host, a vfork parent, or a task
 * sharing the file table or the fs_struct would give the context a way
 * out: ptrace or process_vm_writev() into memory the host runs, the
 * host's root through /proc/PID/root, its descriptors through
 * pidfd_getfd().  setns() into a user namespace asks the same.  Only the
 * task itself could start sharing afterwards, and it is in this call.
 */
static bool vs_task_alone(void)
{
	struct fs_struct *fs = current->fs;
	bool alone;

	if (!current_is_single_threaded())
		return false;
	if (atomic_read(&current->files->count) > 1)
		return false;
	spin_lock(&fs->lock);
	alone = fs->users == 1;
	spin_unlock(&fs->lock);
	return alone;
}

/**
 * vs_task_enter - move the current task into a context
 * @ctx: the context, or NULL to become a spectator
 * @xid: the context's id, or VX_XID_SPECTATOR
 * @admit: the context must still admit the host (see
 *	   vs_context_add_task())
 *
 * The caller is in the host context and shares no memory, file table or
 * fs_struct with another task.  It joins the context's namespaces, as
 * setns() would (leaving the SysV semaphore undos and shared memory of
 * its old IPC namespace behind), gets a session keyring of the context,
 * and its capabilities are reduced to the context's ceiling.  It counts
 * as a task of the context even beyond its NPROC limit.
 *
 * Return: 0, -EUSERS if the caller shares what it must not, -EACCES if
 * @admit and the context no longer admits the host, -ESRCH if @ctx was
 * unhashed meanwhile, or -ENOMEM.
 */
int vs_task_enter(struct vs_context *ctx, u32 xid, bool admit)
{
	struct vs_task_security *ts = vs_task(current);
	struct nsproxy *nsp = NULL;
	struct cred *cred;
	int err;

	if (!vs_task_alone())
		return -EUSERS;
	cred = prepare_creds();
	if (!cred)
		return -ENOMEM;
	vs_cred(cred)->xid = xid;
	if (ctx) {
		err = vs_context_nsproxy(ctx, &nsp);
		if (err)
			goto out_creds;
		err = vs_keys_enter(cred);
		if (err)
			goto out_nsproxy;
		err = vs_context_add_task(ctx, false, admit);
		if (err)
			goto out_nsproxy;
		vs_context_get(ctx);
		vs_cred(cred)->ctx = ctx;
		vs_caps_limit_cred(cred, ctx);
	}
	if (ctx)
		ts->entry_cred = get_current_cred();
	commit_creds(cred);
	if (nsp) {
		exit_sem(current);
		exit_shm(current);
		shm_init_task(current);
		switch_task_namespaces(current, nsp);
		if (ctx->time_ns && nsp->time_ns == ctx->time_ns)
			timens_commit(current, ctx->time_ns);
	}

	ts->ctx = ctx;
	ts->counted = !!ctx;
	WRITE_ONCE(ts->xid, xid);
	if (ctx)
		vs_badness_apply(current, READ_ONCE(ctx->badness));
	return 0;

out_nsproxy:
	put_nsproxy(nsp);
out_creds:
	abort_creds(cred);
	return err;
}

static int hook_task_alloc(struct task_struct *task,
			   unsigned long clone_flags)
{
	struct vs_task_security *parent = vs_task(current);
	struct vs_task_security *child = vs_task(task);
	int err;

	if (parent->ctx) {
		err = vs_context_add_task(parent->ctx, true, false);
		if (err)
			return err;
		atomic_inc(&parent->ctx->nr_forks);
		child->ctx = parent->ctx;
		child->counted = true;
	}
	child->xid = parent->xid;
	vs_net_task_fork(task);
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
		vs_context_remove_task(ts->ctx, NULL);
	}
	vs_context_put(ts->ctx);
	ts->ctx = NULL;
	if (ts->entry_cred)
		put_cred(ts->entry_cred);
	ts->entry_cred = NULL;
	vs_net_task_free(task);
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
		vs_context_remove_task(ts->ctx, &task->exit_code);
	}
	vs_net_task_exit(task);
}

static void vs_cred_copy(struct cred *new, const struct cred *old)
{
	struct vs_context *ctx = vs_cred(old)->ctx;

	if (ctx)
		vs_context_get(ctx);
	vs_cred(new)->ctx = ctx;
	vs_cred(new)->xid = vs_cred(old)->xid;
}

/* Credentials made in a context never hold more than its ceiling. */
static int hook_cred_prepare(struct cred *new, const struct cred *old,
			     gfp_t gfp)
{
	vs_cred_copy(new, old);
	if (vs_cred(new)->ctx)
		vs_caps_limit_cred(new, vs_cred(new)->ctx);
	return 0;
}

static void hook_cred_transfer(struct cred *new, const struct cred *old)
{
	vs_cred_copy(new, old);
}

/* May run from an RCU callback: vs_context_put() is fine there. */
static void hook_cred_free(struct cred *cred)
{
	vs_context_put(vs_cred(cred)->ctx);
	vs_cred(cred)->ctx = NULL;
}

static struct security_hook_list vs_task_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, hook_task_alloc),
	LSM_HOOK_INIT(task_free, hook_task_free),
	LSM_HOOK_INIT(cred_prepare, hook_cred_prepare),
	LSM_HOOK_INIT(cred_transfer, hook_cred_transfer),
	LSM_HOOK_INIT(cred_free, hook_cred_free),
};

void __init vs_add_task_hooks(void)
{
	security_add_hooks(vs_task_hooks, ARRAY_SIZE(vs_task_hooks),
			   &vs_lsmid);
}
