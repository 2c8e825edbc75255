// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - spaces: the namespaces a context remembers
 *
 * A context has two spaces, each a set of namespaces that set_space took
 * from its caller and that enter_space lets a task join, as util-vserver
 * uses them to enter a guest's mount namespace.  Each namespace is taken
 * and joined through its own proc_ns_operations, so joining one asks
 * exactly what setns(2) asks (capabilities, a single-threaded caller for
 * a user namespace, an unshared fs_struct for a mount namespace, a pid
 * namespace below the caller's).  CLONE_FS stores the caller's root and
 * working directory, which a task joining the mount namespace then takes.
 *
 * The spaces are made on first use and released when the context ends:
 * an IPC namespace holds objects charged to the context, which hold the
 * context, and a network or mount namespace can be large.
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/slab.h>

#include "context.h"
#include "space.h"
#include "task.h"

/* The namespace types, in the order setns() installs them */
static const struct {
	u64 flag;
	const struct proc_ns_operations *ops;
} vs_space_types[VS_SPACE_NR] = {
#ifdef CONFIG_USER_NS
	[VS_SPACE_USER] = { CLONE_NEWUSER, &userns_operations },
#endif
	[VS_SPACE_MNT] = { CLONE_NEWNS, &mntns_operations },
#ifdef CONFIG_UTS_NS
	[VS_SPACE_UTS] = { CLONE_NEWUTS, &utsns_operations },
#endif
#ifdef CONFIG_IPC_NS
	[VS_SPACE_IPC] = { CLONE_NEWIPC, &ipcns_operations },
#endif
#ifdef CONFIG_PID_NS
	[VS_SPACE_PID] = { CLONE_NEWPID, &pidns_for_children_operations },
#endif
#ifdef CONFIG_NET_NS
	[VS_SPACE_NET] = { CLONE_NEWNET, &netns_operations },
#endif
};

/* setns() installs the user namespace first: it decides the others */
static const enum vs_space_type vs_space_order[VS_SPACE_NR] = {
	VS_SPACE_USER, VS_SPACE_MNT, VS_SPACE_UTS, VS_SPACE_IPC,
	VS_SPACE_PID, VS_SPACE_NET,
};

/**
 * vs_space_mask - the CLONE_* bits a space can hold on this kernel
 * @v0: as get_space_mask_v0 answers: without CLONE_NEWPID and CLONE_NEWNET
 *
 * Return: CLONE_FS and the bits of the namespace types configured.
 */
u64 vs_space_mask(bool v0)
{
	u64 mask = CLONE_FS;
	int i;

	for (i = 0; i < VS_SPACE_NR; i++)
		mask |= vs_space_types[i].flag;
	if (v0)
		mask &= ~(u64)(CLONE_NEWPID | CLONE_NEWNET);
	return mask;
}

/**
 * vs_space_default - the CLONE_* bits util-vserver stores by default
 *
 * Return: CLONE_FS, CLONE_NEWNS, and CLONE_NEWUTS and CLONE_NEWIPC where
 * configured.
 */
u64 vs_space_default(void)
{
	return vs_space_mask(true) & ~(u64)CLONE_NEWUSER;
}

static void vs_space_clear(struct vs_space *space)
{
	int i;

	for (i = 0; i < VS_SPACE_NR; i++)
		if (space->ns[i])
			space->ns[i]->ops->put(space->ns[i]);
	path_put(&space->root);
	path_put(&space->pwd);
	memset(space, 0, sizeof(*space));
}

/**
 * vs_spaces_release - drop what the spaces of a context hold
 * @spaces: the array of VX_SPACES spaces, or NULL; freed
 *
 * May sleep.
 */
void vs_spaces_release(struct vs_space *spaces)
{
	int i;

	if (!spaces)
		return;
	for (i = 0; i < VX_SPACES; i++)
		vs_space_clear(&spaces[i]);
	kfree(spaces);
}

/**
 * vs_space_set - store the caller's namespaces in a space of a context
 * @ctx: the context
 * @index: the space, below VX_SPACES
 * @mask: CLONE_* bits within vs_space_mask(false)
 * @setup: only while the context still has VXF_STATE_SETUP
 *
 * The namespaces of @mask replace those stored before; the space's mask
 * becomes the union.
 *
 * Return: 0, -EINVAL for a bad @index or @mask, or a namespace that cannot
 * be joined (a pid namespace for children without its init yet), -ESRCH
 * if the context ended meanwhile, -EPERM if @setup and it left setup, or
 * -ENOMEM.
 */
int vs_space_set(struct vs_context *ctx, u32 index, u64 mask, bool setup)
{
	struct vs_space new = { .mask = mask }, *spaces, *space;
	int i, err = 0;

	if (index >= VX_SPACES || (mask & ~vs_space_mask(false)))
		return -EINVAL;
	spaces = kcalloc(VX_SPACES, sizeof(*spaces), GFP_KERNEL_ACCOUNT);
	if (!spaces)
		return -ENOMEM;
	for (i = 0; i < VS_SPACE_NR; i++) {
		if (!(mask & vs_space_types[i].flag))
			continue;
		new.ns[i] = vs_space_types[i].ops->get(current);
		/* A pid namespace for children that has no init yet */
		if (!new.ns[i])
			err = -EINVAL;
	}
	if (mask & CLONE_FS) {
		get_fs_root(current->fs, &new.root);
		get_fs_pwd(current->fs, &new.pwd);
	}

	if (err)
		goto out;
	spin_lock(&ctx->lock);
	if (!ctx->hashed) {
		err = -ESRCH;
	} else if (setup && !(ctx->flags & VXF_STATE_SETUP)) {
		err = -EPERM;
	} else {
		if (!ctx->spaces) {
			ctx->spaces = spaces;
			spaces = NULL;
		}
		/* Swap in what is new; @new keeps what it replaces */
		space = &ctx->spaces[index];
		for (i = 0; i < VS_SPACE_NR; i++)
			if (mask & vs_space_types[i].flag)
				swap(space->ns[i], new.ns[i]);
		if (mask & CLONE_FS) {
			swap(space->root, new.root);
			swap(space->pwd, new.pwd);
		}
		space->mask |= mask;
	}
	spin_unlock(&ctx->lock);
out:
	vs_space_clear(&new);
	kfree(spaces);
	return err;
}

/* References to what @space holds of @mask, taken under the lock */
static void vs_space_get(const struct vs_space *space, u64 mask,
			 struct vs_space *copy)
{
	int i;

	copy->mask = mask;
	for (i = 0; i < VS_SPACE_NR; i++) {
		if (!(mask & vs_space_types[i].flag))
			continue;
		copy->ns[i] = space->ns[i];
		refcount_inc(&copy->ns[i]->count);
	}
	if (mask & CLONE_FS) {
		copy->root = space->root;
		copy->pwd = space->pwd;
		path_get(&copy->root);
		path_get(&copy->pwd);
	}
}

/* setns() into every namespace of @space, then commit as setns() does */
static int vs_space_join(const struct vs_space *space)
{
	struct nsset nsset = { .flags = space->mask };
	enum vs_space_type type;
	int i, err;

	err = vs_nsproxy_copy(&nsset.nsproxy);
	if (err)
		return err;
	err = -ENOMEM;
	if (space->mask & CLONE_NEWUSER)
		nsset.cred = prepare_creds();
	else
		nsset.cred = get_current_cred();
	if (!nsset.cred)
		goto out_nsproxy;
	nsset.fs = copy_fs_struct(current->fs);
	if (!nsset.fs)
		goto out_cred;

	for (i = 0; i < VS_SPACE_NR; i++) {
		type = vs_space_order[i];
		if (!space->ns[type])
			continue;
		err = space->ns[type]->ops->install(&nsset, space->ns[type]);
		if (err)
			goto out_fs;
	}
	if (space->mask & CLONE_FS) {
		set_fs_root(nsset.fs, &space->root);
		set_fs_pwd(nsset.fs, &space->pwd);
	}

	if (space->mask & CLONE_NEWUSER) {
		commit_creds(nsset_cred(&nsset));
		nsset.cred = NULL;
	}
	if (space->mask & (CLONE_NEWNS | CLONE_FS)) {
		set_fs_root(current->fs, &nsset.fs->root);
		set_fs_pwd(current->fs, &nsset.fs->pwd);
	}
	if (space->mask & CLONE_NEWIPC) {
		exit_sem(current);
		exit_shm(current);
		shm_init_task(current);
	}
	switch_task_namespaces(current, nsset.nsproxy);
	nsset.nsproxy = NULL;
	err = 0;

out_fs:
	free_fs_struct(nsset.fs);
out_cred:
	if (nsset.cred)
		put_cred(nsset.cred);
out_nsproxy:
	if (nsset.nsproxy)
		put_nsproxy(nsset.nsproxy);
	return err;
}

/**
 * vs_space_enter - join the namespaces stored in a space of a context
 * @ctx: the context
 * @index: the space, below VX_SPACES
 * @mask: CLONE_* bits within those stored, or 0 for all of them
 *
 * CLONE_FS goes with CLONE_NEWNS: a root directory means something only
 * in its mount namespace.
 *
 * Return: 0, -EINVAL for a bad @index or @mask, or what joining a
 * namespace returns in setns(2) (-EPERM, -EINVAL, -EUSERS, -ENOMEM).
 */
int vs_space_enter(struct vs_context *ctx, u32 index, u64 mask)
{
	struct vs_space space = { };
	u64 stored = 0;
	int err;

	if (index >= VX_SPACES)
		return -EINVAL;
	spin_lock(&ctx->lock);
	if (ctx->spaces)
		stored = ctx->spaces[index].mask;
	if (!mask)
		mask = stored;
	err = -EINVAL;
	if (!(mask & ~stored) &&
	    !((mask & CLONE_FS) && !(mask & CLONE_NEWNS))) {
		err = 0;
		if (mask)
			vs_space_get(&ctx->spaces[index], mask, &space);
	}
	spin_unlock(&ctx->lock);
	if (!err && mask)
		err = vs_space_join(&space);
	vs_space_clear(&space);
	return err;
}
