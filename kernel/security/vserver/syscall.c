// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - the vserver system call
 *
 * One entry point, sys_vserver(cmd, id, data), multiplexes every command.
 * Each command is one entry of vs_commands[], which says who may call it
 * and how its argument structure crosses the user boundary.  The
 * dispatcher enforces the entry before the handler runs, so a handler
 * only ever sees an authorised caller and a kernel copy of its argument.
 *
 * The checks run in this order, and the first that fails decides the
 * error:
 *
 * 0. vserver is an active LSM, else -EOPNOTSUPP for every command (built
 *    in, but left out of the "lsm=" list: its blobs were never set up);
 * 1. @cmd is a command of this kernel, else -EOPNOTSUPP;
 * 2. the caller holds the command's permission, else -EPERM;
 * 3. an input structure is copied in, else -EFAULT;
 * 4. the target context is looked up from @id, else -ESRCH;
 * 5. the handler runs; its errors are documented with it;
 * 6. an output structure is copied out, else -EFAULT.
 *
 * The target of a command is looked up from @id like this: 2 to 65535 name
 * a context; an id with the top bit set (VX_XID_SELF, VX_XID_DYNAMIC)
 * names the caller's own context; 0 and 1 name no context.  A task in a
 * context sees no other context, so for it every other id is -ESRCH.
 */

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/wait.h>
#include <uapi/linux/vserver.h>

#include "caps.h"
#include "context.h"
#include "event.h"
#include "space.h"
#include "limit.h"
#include "net.h"
#include "syscall.h"
#include "task.h"

/**
 * enum vs_perm - what a caller needs to issue a command
 * @VS_PERM_ANY: nothing; the command reads what the caller can see anyway
 * @VS_PERM_HOST_ADMIN: CAP_SYS_ADMIN, in the host context
 * @VS_PERM_SETUP: CAP_SYS_ADMIN in the host context; or, in the target
 *	context while it still has VXF_STATE_SETUP (checked by the handler,
 *	under the context's lock), being a task the host put there that has
 *	not called execve or changed its ids or capabilities since, or
 *	CAP_SYS_ADMIN within the ceiling
 */
enum vs_perm {
	VS_PERM_ANY,
	VS_PERM_HOST_ADMIN,
	VS_PERM_SETUP,
};

/* How the argument structure of a command crosses the user boundary */
#define VS_ARG_IN	BIT(0)	/* copied in before the handler runs */
#define VS_ARG_OUT	BIT(1)	/* copied out after the handler succeeds */
/* The command acts on the context named by @id, see the top of the file */
#define VS_TARGET	BIT(2)
/* ... on the network context named by @id */
#define VS_NET_TARGET	BIT(3)
/* ... which must still have NXF_STATE_ADMIN */
#define VS_NET_ADMIN	BIT(4)

/**
 * union vs_arg - kernel copy of any command's argument structure
 * @rlimit_mask: for VCMD_get_rlimit_mask
 * @vx_info: for VCMD_vx_info
 * @ctx_stat: for VCMD_ctx_stat
 * @create: for VCMD_ctx_create
 * @migrate: for VCMD_ctx_migrate
 * @flags: for VCMD_get_cflags and VCMD_set_cflags
 * @kill: for VCMD_ctx_kill
 * @wait_exit: for VCMD_wait_exit
 * @vhi_name: for VCMD_get_vhi_name and VCMD_set_vhi_name
 * @bcaps: for VCMD_get_bcaps and VCMD_set_bcaps
 * @ccaps: for VCMD_get_ccaps and VCMD_set_ccaps
 * @umask: for VCMD_get_umask and VCMD_set_umask
 * @rlimit: for VCMD_get_rlimit and VCMD_set_rlimit
 * @rlimit_i386: the same, as i386 callers lay it out
 * @rlimit_stat: for VCMD_rlimit_stat
 * @virt_stat: for VCMD_virt_stat
 * @badness: for VCMD_get_badness and VCMD_set_badness
 * @space: for VCMD_get_space_mask, its v0, VCMD_get_space_default, and
 *	   the v1 of VCMD_set_space and VCMD_enter_space
 * @space_v2: for VCMD_set_space and VCMD_enter_space
 * @nx_info: for VCMD_nx_info
 * @net_addr_v0: for VCMD_net_add and VCMD_net_remove
 * @net_ipv4_v1: for VCMD_net_add_ipv4_v1 and VCMD_net_rem_ipv4_v1
 * @net_ipv4_v2: for VCMD_net_add_ipv4 and VCMD_net_rem_ipv4
 * @net_ipv6: for VCMD_net_add_ipv6 and VCMD_net_remove_ipv6
 * @nflags: for VCMD_get_nflags and VCMD_set_nflags
 * @ncaps: for VCMD_get_ncaps and VCMD_set_ncaps
 */
union vs_arg {
	struct vcmd_ctx_rlimit_mask_v0 rlimit_mask;
	struct vcmd_vx_info_v0 vx_info;
	struct vcmd_ctx_stat_v0 ctx_stat;
	struct vcmd_ctx_create create;
	struct vcmd_ctx_migrate migrate;
	struct vcmd_ctx_flags_v0 flags;
	struct vcmd_ctx_kill_v0 kill;
	struct vcmd_wait_exit_v0 wait_exit;
	struct vcmd_vhi_name_v0 vhi_name;
	struct vcmd_bcaps bcaps;
	struct vcmd_ctx_caps_v1 ccaps;
	struct vcmd_umask umask;
	struct vcmd_ctx_rlimit_v0 rlimit;
	struct vcmd_ctx_rlimit_v0_i386 rlimit_i386;
	struct vcmd_rlimit_stat_v0 rlimit_stat;
	struct vcmd_virt_stat_v0 virt_stat;
	struct vcmd_badness_v0 badness;
	struct vcmd_space_mask_v1 space;
	struct vcmd_space_mask_v2 space_v2;
	struct vcmd_nx_info_v0 nx_info;
	struct vcmd_net_addr_v0 net_addr_v0;
	struct vcmd_net_addr_ipv4_v1 net_ipv4_v1;
	struct vcmd_net_addr_ipv4_v2 net_ipv4_v2;
	struct vcmd_net_addr_ipv6_v1 net_ipv6;
	struct vcmd_net_flags_v0 nflags;
	struct vcmd_net_caps_v0 ncaps;
};

/**
 * struct vs_call - one call of sys_vserver, as the handler sees it
 * @id: the id argument
 * @ctx: the target context, with a reference, for VS_TARGET commands
 * @nx: the target network context, with a reference, for VS_NET_TARGET
 * @data: the data argument, for commands that read it themselves
 * @admin: the caller has CAP_SYS_ADMIN in the host context
 * @compat: the caller came through the i386 entry
 * @arg: the kernel copy of the argument structure
 */
struct vs_call {
	u32 id;
	struct vs_context *ctx;
	struct vs_net *nx;
	void __user *data;
	bool admin;
	bool compat;
	union vs_arg arg;
};

/**
 * struct vs_command - one command of sys_vserver
 * @cmd: the command word, VC_CMD(category, command, version)
 * @perm: what the caller needs, checked before anything else happens
 * @flags: VS_ARG_IN, VS_ARG_OUT and VS_TARGET
 * @size: size of the argument structure, for VS_ARG_IN and VS_ARG_OUT
 * @compat_size: its size for i386 callers, if that differs, else 0
 * @handler: does the work
 */
struct vs_command {
	u32 cmd;
	enum vs_perm perm;
	unsigned int flags;
	size_t size;
	size_t compat_size;
	long (*handler)(struct vs_call *call);
};

/**
 * vs_vci_features - the feature bits reported by VCMD_get_vci
 *
 * Only features this kernel really has are reported: VCI_SPACES (the
 * space commands) and VCI_NETV2 (network contexts with the v1 address
 * commands).  Dynamic context ids are supported, so VCI_NO_DYNAMIC is
 * clear; tagging (VCI_PPTAG) and the historic memory cgroup layout
 * (VCI_MEMCG) are not there.
 *
 * Return: the VCI_* bit mask.
 */
u32 vs_vci_features(void)
{
	return VCI_SPACES | VCI_NETV2;
}

/*
 * May the caller configure @ctx?  The host's administrator may, and so may
 * a task of the context while the context is still in setup.  Caller
 * holds ctx->lock.
 */
static bool vs_may_configure(const struct vs_call *call)
{
	return call->admin || (vs_task(current)->ctx == call->ctx &&
			       (call->ctx->flags & VXF_STATE_SETUP));
}

/**
 * vc_get_version - VCMD_get_version: the VCI level of this kernel
 * @call: @id is ignored (util-vserver passes 63); no argument structure
 *
 * Permission: any caller.
 *
 * Return: VCI_VERSION.  This command does not fail.
 */
static long vc_get_version(struct vs_call *call)
{
	return VCI_VERSION;
}

/**
 * vc_get_vci - VCMD_get_vci: the features of this kernel
 * @call: @id is ignored (util-vserver passes 0); no argument structure
 *
 * Permission: any caller.
 *
 * Return: the VCI_* feature mask, see vs_vci_features().  This command
 * does not fail.
 */
static long vc_get_vci(struct vs_call *call)
{
	return vs_vci_features();
}

/**
 * vc_get_rlimit_mask - VCMD_get_rlimit_mask: which limits can be set
 * @call: @id is ignored; writes struct vcmd_ctx_rlimit_mask_v0: one bit
 *	  per limit id with a soft and a hard limit; no id has a minimum
 *
 * Permission: any caller.  The answer does not depend on a context.
 *
 * Return: 0, or %EFAULT: the structure cannot be written.
 */
static long vc_get_rlimit_mask(struct vs_call *call)
{
	call->arg.rlimit_mask.minimum = 0;
	call->arg.rlimit_mask.softlimit = vs_limit_mask();
	call->arg.rlimit_mask.maximum = vs_limit_mask();
	return 0;
}

/**
 * vc_task_xid - VCMD_task_xid: the context of a task
 * @call: @id is a pid in the caller's pid namespace, or 0 for the caller
 *
 * Permission: any caller, for the tasks it can see.
 *
 * Return: the task's xid, or %ESRCH: no task @id that the caller can see.
 */
static long vc_task_xid(struct vs_call *call)
{
	struct task_struct *task;
	long ret = -ESRCH;

	if (!call->id)
		return vs_current_xid();
	if (call->id > PID_MAX_LIMIT)
		return -ESRCH;
	rcu_read_lock();
	task = find_task_by_vpid(call->id);
	if (task && vs_may_see(vs_task_xid(task)))
		ret = vs_task_xid(task);
	rcu_read_unlock();
	return ret;
}

/**
 * vc_vx_info - VCMD_vx_info: the id and init of a context
 * @call: target context; writes struct vcmd_vx_info_v0
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_vx_info(struct vs_call *call)
{
	call->arg.vx_info.xid = call->ctx->xid;
	call->arg.vx_info.initpid = vs_context_init_nr(call->ctx);
	return 0;
}

/**
 * vc_ctx_stat - VCMD_ctx_stat: references and tasks of a context
 * @call: target context; writes struct vcmd_ctx_stat_v0
 *
 * Permission: any caller that can see the context.  The reference count
 * includes the one this call holds.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_ctx_stat(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;

	spin_lock(&ctx->lock);
	call->arg.ctx_stat.usecnt = refcount_read(&ctx->usage);
	call->arg.ctx_stat.tasks = ctx->nr_tasks;
	spin_unlock(&ctx->lock);
	return 0;
}

static long vs_create(struct vs_call *call, u64 flags)
{
	struct vs_context *ctx;
	long err;

	if (call->id != VX_XID_DYNAMIC &&
	    (call->id < VX_XID_MIN || call->id > VX_XID_MAX))
		return -EINVAL;
	if (flags & ~VS_VALID_FLAGS)
		return -EINVAL;
	if ((flags & VXF_INFO_PRIVATE) && !(flags & VXF_STATE_SETUP))
		return -EACCES;

	ctx = vs_context_create(call->id, flags);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = vs_task_enter(ctx, ctx->xid, false);
	if (!err) {
		vs_context_publish(ctx);
		vs_event_created(ctx);
		err = ctx->xid;
	} else {
		vs_context_discard(ctx);
	}
	vs_context_put(ctx);
	return err;
}

/**
 * vc_ctx_create - VCMD_ctx_create (v1): create a context and enter it
 * @call: @id is the new xid (VX_XID_MIN to VX_XID_MAX) or VX_XID_DYNAMIC
 *	  for a free one from 49152 up; reads struct vcmd_ctx_create, whose
 *	  flagword becomes the context's flags as they are
 *
 * The caller moves into the new context.  A context without
 * VXF_PERSISTENT ends with its last task.
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: the new xid, or one of:
 * - %EINVAL: @id out of range, or unknown flags;
 * - %EACCES: VXF_INFO_PRIVATE without VXF_STATE_SETUP;
 * - %EEXIST: context @id exists and has left setup;
 * - %EBUSY: context @id exists and is still in setup;
 * - %ENOSPC: no dynamic id is free;
 * - %EUSERS: the caller shares its memory, its file table or its
 *   fs_struct with another task (a thread, a vfork parent, a CLONE_FILES
 *   or CLONE_FS child), so cannot enter;
 * - %ENOMEM, %EFAULT.
 *
 * A context that its creator could not enter is ended at once, even a
 * persistent one: a failed call leaves nothing behind.
 */
static long vc_ctx_create(struct vs_call *call)
{
	return vs_create(call, call->arg.create.flagword);
}

/**
 * vc_ctx_create_v0 - VCMD_ctx_create_v0: create a context and enter it
 * @call: as for vc_ctx_create(), without argument structure; the flags
 *	  are VXF_INIT_SET
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: as for vc_ctx_create().
 */
static long vc_ctx_create_v0(struct vs_call *call)
{
	return vs_create(call, VXF_INIT_SET);
}

static long vs_migrate(struct vs_call *call, u64 vxm)
{
	struct vs_task_security *ts = vs_task(current);
	struct vs_context *ctx;
	long err;

	if (vxm & ~(u64)(VXM_SET_INIT | VXM_SET_REAPER))
		return -EINVAL;
	if (call->id == VX_XID_SPECTATOR)
		return vs_task_enter(NULL, VX_XID_SPECTATOR, false) ?:
		       VX_XID_SPECTATOR;
	if (call->id < VX_XID_MIN || call->id > VX_XID_MAX)
		return -ESRCH;
	if (ts->ctx || ts->xid)
		return -EPERM;

	ctx = vs_context_lookup(call->id);
	if (!ctx)
		return -ESRCH;
	err = vs_task_enter(ctx, ctx->xid, true);
	if (!err && (vxm & VXM_SET_INIT)) {
		spin_lock(&ctx->lock);
		put_pid(ctx->init_pid);
		ctx->init_pid = get_pid(task_tgid(current));
		ctx->flags &= ~VXF_STATE_INIT;
		spin_unlock(&ctx->lock);
	}
	if (!err && (vxm & VXM_SET_REAPER))
		current->signal->is_child_subreaper = 1;
	vs_context_put(ctx);
	return err;
}

/**
 * vc_ctx_migrate - VCMD_ctx_migrate (v1): enter a context
 * @call: @id is the context, or VX_XID_SPECTATOR to become a spectator;
 *	  reads struct vcmd_ctx_migrate: VXM_SET_INIT makes the caller the
 *	  context's init, VXM_SET_REAPER makes it a child subreaper
 *
 * Permission: CAP_SYS_ADMIN in the host context.  Tasks in a context
 * never leave it.
 *
 * Return: 0 (1 for a spectator), or one of:
 * - %ESRCH: no context @id;
 * - %EACCES: the context is private and past setup, or no longer admits
 *   the host (VXF_STATE_ADMIN cleared);
 * - %EINVAL: unknown VXM_* flags;
 * - %EUSERS: the caller shares its memory, its file table or its
 *   fs_struct with another task;
 * - %ENOMEM, %EFAULT.
 */
static long vc_ctx_migrate(struct vs_call *call)
{
	return vs_migrate(call, call->arg.migrate.flagword);
}

/**
 * vc_ctx_migrate_v0 - VCMD_ctx_migrate_v0: enter a context
 * @call: as for vc_ctx_migrate(), without argument structure
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: as for vc_ctx_migrate().
 */
static long vc_ctx_migrate_v0(struct vs_call *call)
{
	return vs_migrate(call, 0);
}

/**
 * vc_get_cflags - VCMD_get_cflags: the flags of a context
 * @call: target context; writes struct vcmd_ctx_flags_v0: the flags, and
 *	  as mask the bits that may still change (all but the one-way
 *	  VXF_STATE_* bits that are already cleared)
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_get_cflags(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;

	spin_lock(&ctx->lock);
	call->arg.flags.flagword = ctx->flags;
	call->arg.flags.mask = ~(VXF_ONE_TIME & ~ctx->flags);
	spin_unlock(&ctx->lock);
	return 0;
}

/**
 * vc_set_cflags - VCMD_set_cflags: change the flags of a context
 * @call: target context; reads struct vcmd_ctx_flags_v0: the bits in mask
 *	  take their value from flagword
 *
 * The one-way VXF_STATE_* bits can be cleared but never set again; a
 * request to set one is ignored.  A task of the context that clears
 * VXF_STATE_INIT becomes the context's init.  Clearing VXF_PERSISTENT on
 * a context without tasks ends it.
 *
 * Permission: CAP_SYS_ADMIN in the host context; or, while the context
 * has VXF_STATE_SETUP, a task of it that the host put there and that has
 * not called execve or changed its ids or capabilities since, or one
 * with CAP_SYS_ADMIN within the ceiling.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EPERM: the caller may not configure the context (any more);
 * - %EINVAL: a flag this kernel does not know is to be set;
 * - %EFAULT.
 */
static long vc_set_cflags(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;
	u64 mask = call->arg.flags.mask, flags = call->arg.flags.flagword;
	u64 old, new;

	if (flags & mask & ~VS_VALID_FLAGS)
		return -EINVAL;

	spin_lock(&ctx->lock);
	if (!vs_may_configure(call)) {
		spin_unlock(&ctx->lock);
		return -EPERM;
	}
	old = ctx->flags;
	new = (old & ~mask) | (flags & mask);
	new &= ~VXF_ONE_TIME | old;
	ctx->flags = new;
	if ((old & ~new & VXF_STATE_INIT) && vs_task(current)->ctx == ctx) {
		put_pid(ctx->init_pid);
		ctx->init_pid = get_pid(task_tgid(current));
		current->signal->is_child_subreaper = 1;
	}
	spin_unlock(&ctx->lock);

	vs_event_flags(ctx, old, new);
	if (old & ~new & VXF_PERSISTENT)
		vs_context_unhash_if_empty(ctx);
	return 0;
}

/**
 * vc_ctx_kill - VCMD_ctx_kill: signal tasks of a context
 * @call: target context; reads struct vcmd_ctx_kill_v0: pid 0 signals
 *	  every process of the context, -1 every process but its init, 1 its
 *	  init, and any other pid that process if it is in the context
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: 0 if at least one process was signalled, or one of:
 * - %ESRCH: no such context, or no process matched;
 * - %EINVAL: the signal is not valid;
 * - %EFAULT.
 */
static long vc_ctx_kill(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;
	int pid = call->arg.kill.pid, sig = call->arg.kill.sig;
	struct task_struct *p;
	struct pid *init;
	int ret = -ESRCH;

	if (!valid_signal(sig) || sig < 0)
		return -EINVAL;

	if (pid > 1) {
		rcu_read_lock();
		p = find_task_by_vpid(pid);
		if (p && vs_task_xid(p) == ctx->xid)
			ret = group_send_sig_info(sig, SEND_SIG_PRIV, p,
						  PIDTYPE_TGID);
		rcu_read_unlock();
		return ret;
	}
	if (pid == 1) {
		spin_lock(&ctx->lock);
		init = get_pid(ctx->init_pid);
		spin_unlock(&ctx->lock);
		ret = init ? kill_pid(init, sig, 1) : -ESRCH;
		put_pid(init);
		return ret;
	}
	if (pid < -1)
		return -ESRCH;
	return vs_context_kill(ctx, sig, pid == -1);
}

/**
 * vc_wait_exit - VCMD_wait_exit: wait until a context ends
 * @call: target context; writes struct vcmd_wait_exit_v0 with the exit
 *	  code of its last task, and the command of the reboot(2) that
 *	  ended it (0 if none did)
 *
 * Blocks until the context is unhashed: its last task has exited and it is
 * not persistent.
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINTR: a signal arrived first (restarted if the handler allows);
 * - %EFAULT.
 */
static long vc_wait_exit(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;
	int err;

	err = wait_event_interruptible(ctx->exit_wait, !READ_ONCE(ctx->hashed));
	if (err)
		return err;
	spin_lock(&ctx->lock);
	call->arg.wait_exit.exit_code = ctx->exit_code;
	call->arg.wait_exit.reboot_cmd = ctx->reboot_cmd;
	spin_unlock(&ctx->lock);
	return 0;
}

/* The field of @uts that VHIN_* @field names; uts_sem held */
static char *vs_uts_field(struct uts_namespace *uts, u32 field)
{
	struct new_utsname *u = &uts->name;

	switch (field) {
	case VHIN_SYSNAME:
		return u->sysname;
	case VHIN_NODENAME:
		return u->nodename;
	case VHIN_RELEASE:
		return u->release;
	case VHIN_VERSION:
		return u->version;
	case VHIN_MACHINE:
		return u->machine;
	case VHIN_DOMAINNAME:
		return u->domainname;
	}
	return NULL;
}

static_assert(__NEW_UTS_LEN + 1 == VHILEN);

/**
 * vc_get_vhi_name - VCMD_get_vhi_name: a name of a context
 * @call: target context; reads struct vcmd_vhi_name_v0 for the field and
 *	  writes it back whole.  VHIN_CONTEXT is the context's own name; the
 *	  other fields are those of the context's UTS namespace, which its
 *	  tasks see in uname(2).
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: @field is not a VHIN_* field;
 * - %EFAULT.
 */
static long vc_get_vhi_name(struct vs_call *call)
{
	struct vcmd_vhi_name_v0 *arg = &call->arg.vhi_name;
	struct vs_context *ctx = call->ctx;
	const char *name;

	memset(arg->name, 0, sizeof(arg->name));
	memset(arg->__pad, 0, sizeof(arg->__pad));
	if (arg->field == VHIN_CONTEXT) {
		spin_lock(&ctx->lock);
		strscpy(arg->name, ctx->name);
		spin_unlock(&ctx->lock);
		return 0;
	}
	down_read(&uts_sem);
	name = vs_uts_field(ctx->uts_ns, arg->field);
	if (name)
		strscpy(arg->name, name);
	up_read(&uts_sem);
	return name ? 0 : -EINVAL;
}

/**
 * vc_set_vhi_name - VCMD_set_vhi_name: set a name of a context
 * @call: target context; reads struct vcmd_vhi_name_v0.  VHIN_CONTEXT is
 *	  the context's own name; the other fields change the context's UTS
 *	  namespace, so its tasks see them at once, and nobody else does.
 *
 * Permission: CAP_SYS_ADMIN in the host context; or, while the context
 * has VXF_STATE_SETUP, a task of it that the host put there and that has
 * not called execve or changed its ids or capabilities since, or one
 * with CAP_SYS_ADMIN within the ceiling.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EPERM: the caller may not configure the context (any more);
 * - %EINVAL: @field is not a VHIN_* field, or the name is not
 *   NUL-terminated within VHILEN bytes;
 * - %EFAULT.
 */
static long vc_set_vhi_name(struct vs_call *call)
{
	const struct vcmd_vhi_name_v0 *arg = &call->arg.vhi_name;
	struct vs_context *ctx = call->ctx;
	char *field;
	bool ok;

	if (arg->field > VHIN_DOMAINNAME)
		return -EINVAL;
	if (strnlen(arg->name, VHILEN) == VHILEN)
		return -EINVAL;
	spin_lock(&ctx->lock);
	ok = vs_may_configure(call);
	if (ok && arg->field == VHIN_CONTEXT)
		strscpy(ctx->name, arg->name);
	spin_unlock(&ctx->lock);
	if (!ok)
		return -EPERM;
	if (arg->field == VHIN_CONTEXT)
		return 0;

	down_write(&uts_sem);
	field = vs_uts_field(ctx->uts_ns, arg->field);
	strscpy_pad(field, arg->name, VHILEN);
	up_write(&uts_sem);
	return 0;
}

/*
 * Change the bits of @mask in *@field to their value in @value; bits
 * outside @valid are left alone.  A bit may be set only during setup.
 */
static long vs_set_mask(struct vs_call *call, u64 *field, u64 value,
			u64 mask, u64 valid)
{
	struct vs_context *ctx = call->ctx;
	long err = 0;
	u64 new;

	mask &= valid;
	spin_lock(&ctx->lock);
	new = (*field & ~mask) | (value & mask);
	if (!vs_may_configure(call))
		err = -EPERM;
	else if ((new & ~*field) && !(ctx->flags & VXF_STATE_SETUP))
		err = -EPERM;
	else
		WRITE_ONCE(*field, new);
	spin_unlock(&ctx->lock);
	return err;
}

/**
 * vc_get_bcaps - VCMD_get_bcaps: the capability ceiling of a context
 * @call: target context; writes struct vcmd_bcaps: bit N of bcaps is
 *	  capability N; bmask is all ones
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_get_bcaps(struct vs_call *call)
{
	call->arg.bcaps.bcaps = READ_ONCE(call->ctx->bcaps);
	call->arg.bcaps.bmask = ~0ULL;
	return 0;
}

/**
 * vc_set_bcaps - VCMD_set_bcaps: change the capability ceiling
 * @call: target context; reads struct vcmd_bcaps: the bits in bmask take
 *	  their value from bcaps.  Bits of capabilities this kernel does not
 *	  have are ignored.
 *
 * Tasks of the context can use no capability outside the ceiling from
 * the moment it is lowered, and capget() shows it at once; every task of
 * the context has its credentials cut down to it on its next return to
 * user space (/proc/PID/status then shows it too), and credentials made
 * in the context later never exceed it.  A task the host put into the
 * context, until it calls execve, gets back up to a raised ceiling what
 * it had in the host.
 *
 * Permission: CAP_SYS_ADMIN in the host context; or, while the context
 * has VXF_STATE_SETUP, a task of it that the host put there and that has
 * not called execve or changed its ids or capabilities since, or one
 * with CAP_SYS_ADMIN within the ceiling.
 * Capabilities can be added to the ceiling only during setup.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EPERM: the caller may not configure the context, or the change adds
 *   a capability after setup;
 * - %EFAULT.
 */
static long vc_set_bcaps(struct vs_call *call)
{
	const struct vcmd_bcaps *arg = &call->arg.bcaps;
	long err;

	err = vs_set_mask(call, &call->ctx->bcaps, arg->bcaps, arg->bmask,
			  CAP_VALID_MASK);
	if (!err && (arg->bmask & CAP_VALID_MASK))
		vs_caps_changed(call->ctx);
	return err;
}

/**
 * vc_get_ccaps - VCMD_get_ccaps (v1): the context capabilities
 * @call: target context; writes struct vcmd_ctx_caps_v1: the VXC_* bits,
 *	  and cmask all ones
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_get_ccaps(struct vs_call *call)
{
	call->arg.ccaps.ccaps = READ_ONCE(call->ctx->ccaps);
	call->arg.ccaps.cmask = ~0ULL;
	return 0;
}

/**
 * vc_set_ccaps - VCMD_set_ccaps (v1): change the context capabilities
 * @call: target context; reads struct vcmd_ctx_caps_v1: the bits in cmask
 *	  take their value from ccaps.  VXC_SET_UTSNAME and VXC_RAW_ICMP are
 *	  implemented.
 *
 * Permission: as for vc_set_bcaps(): a ccap can be granted only during
 * setup.  Taking VXC_RAW_ICMP away reaches the credentials of running
 * tasks as a lowered ceiling does.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: a ccap this kernel does not implement is to be set;
 * - %EPERM: the caller may not configure the context, or the change adds
 *   a ccap after setup;
 * - %EFAULT.
 */
static long vc_set_ccaps(struct vs_call *call)
{
	const struct vcmd_ctx_caps_v1 *arg = &call->arg.ccaps;

	long err;

	if (arg->ccaps & arg->cmask & ~VS_VALID_CCAPS)
		return -EINVAL;
	err = vs_set_mask(call, &call->ctx->ccaps, arg->ccaps, arg->cmask,
			  VS_VALID_CCAPS);
	/* VXC_RAW_ICMP keeps CAP_NET_RAW in the credentials */
	if (!err && (arg->cmask & VXC_RAW_ICMP))
		vs_caps_changed(call->ctx);
	return err;
}

/**
 * vc_get_umask - VCMD_get_umask: the unshare mask of a context
 * @call: target context; writes struct vcmd_umask: the CLONE_NEW* flags
 *	  its tasks may use without privilege, and mask all ones
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_get_umask(struct vs_call *call)
{
	call->arg.umask.umask = READ_ONCE(call->ctx->umask);
	call->arg.umask.mask = ~0ULL;
	return 0;
}

/**
 * vc_set_umask - VCMD_set_umask: change the unshare mask
 * @call: target context; reads struct vcmd_umask: the bits in mask take
 *	  their value from umask.  Only CLONE_NEWUSER is implemented: without
 *	  it, tasks of the context cannot create user namespaces.  Other
 *	  namespaces need CAP_SYS_ADMIN, which the ceiling governs, even
 *	  inside a user namespace.
 *
 * Permission: as for vc_set_bcaps(): a flag can be added only during
 * setup.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: a flag other than CLONE_NEWUSER is to be set;
 * - %EPERM: the caller may not configure the context, or the change adds
 *   a flag after setup;
 * - %EFAULT.
 */
static long vc_set_umask(struct vs_call *call)
{
	const struct vcmd_umask *arg = &call->arg.umask;

	if (arg->umask & arg->mask & ~VS_VALID_UMASK)
		return -EINVAL;
	return vs_set_mask(call, &call->ctx->umask, arg->umask, arg->mask,
			   VS_VALID_UMASK);
}

/* The i386 layout of the rlimit structure is packed: convert in place. */
static void vs_rlimit_in(struct vs_call *call)
{
	struct vcmd_ctx_rlimit_v0_i386 in = call->arg.rlimit_i386;

	if (!call->compat)
		return;
	call->arg.rlimit = (struct vcmd_ctx_rlimit_v0) {
		.id = in.id, .minimum = in.minimum,
		.softlimit = in.softlimit, .maximum = in.maximum,
	};
}

static void vs_rlimit_out(struct vs_call *call)
{
	struct vcmd_ctx_rlimit_v0 out = call->arg.rlimit;

	if (!call->compat)
		return;
	memset(&call->arg, 0, sizeof(call->arg));
	call->arg.rlimit_i386.id = out.id;
	call->arg.rlimit_i386.minimum = out.minimum;
	call->arg.rlimit_i386.softlimit = out.softlimit;
	call->arg.rlimit_i386.maximum = out.maximum;
}

/**
 * vc_get_rlimit - VCMD_get_rlimit: the limits of one resource
 * @call: target context; reads the id of struct vcmd_ctx_rlimit_v0 (the
 *	  packed 28-byte layout through the i386 entry) and writes it whole:
 *	  minimum CRLIM_UNSET, the soft and hard limits, CRLIM_INFINITY for
 *	  none
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: this kernel does not limit resource @id;
 * - %EFAULT.
 */
static long vc_get_rlimit(struct vs_call *call)
{
	struct vcmd_ctx_rlimit_v0 *arg = &call->arg.rlimit;
	struct vs_limit *l;
	int res;

	vs_rlimit_in(call);
	res = vs_limit_id_to_res(arg->id);
	if (res < 0)
		return res;
	l = &call->ctx->limits[res];
	arg->minimum = CRLIM_UNSET;
	arg->softlimit = READ_ONCE(l->soft);
	arg->maximum = READ_ONCE(l->hard);
	vs_rlimit_out(call);
	return 0;
}

/**
 * vc_set_rlimit - VCMD_set_rlimit: change the limits of one resource
 * @call: target context; reads struct vcmd_ctx_rlimit_v0 (the packed
 *	  28-byte layout through the i386 entry): CRLIM_KEEP leaves a limit
 *	  as it is, CRLIM_INFINITY removes it; minimum is ignored
 *
 * The hard limit refuses new objects beyond it, with the errno of the
 * operation (fork: EAGAIN; open: ENFILE; socket: ENOBUFS; SysV IPC:
 * ENOSPC); usage above a lowered limit is left alone.  The soft limit
 * only counts its crossings.
 *
 * Permission: CAP_SYS_ADMIN in the host context; or, while the context
 * has VXF_STATE_SETUP, a task of it that the host put there and that has
 * not called execve or changed its ids or capabilities since, or one
 * with CAP_SYS_ADMIN within the ceiling.
 *
 * A kept soft limit above a new hard limit is lowered to it (historic
 * kernels clamp it; util-vserver's vlimit sets the hard limit alone).
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: this kernel does not limit resource @id, or a soft limit
 *   given (not CRLIM_KEEP) is above the hard limit;
 * - %EPERM: the caller may not configure the context (any more);
 * - %EFAULT.
 */
static long vc_set_rlimit(struct vs_call *call)
{
	const struct vcmd_ctx_rlimit_v0 *arg = &call->arg.rlimit;
	struct vs_context *ctx = call->ctx;
	int res;
	long err;

	vs_rlimit_in(call);
	res = vs_limit_id_to_res(arg->id);
	if (res < 0)
		return res;
	spin_lock(&ctx->lock);
	if (vs_may_configure(call))
		err = vs_limit_set(ctx, res, arg->softlimit, arg->maximum);
	else
		err = -EPERM;
	spin_unlock(&ctx->lock);
	return err;
}

/**
 * vc_rlimit_stat - VCMD_rlimit_stat: the usage of one resource
 * @call: target context; reads the id of struct vcmd_rlimit_stat_v0 and
 *	  writes it whole: current usage, the lowest and highest since the
 *	  last reset, and the hits (refusals at the hard limit and crossings
 *	  of the soft limit; semaphores count none, see vs_nsems())
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EINVAL: this kernel does not count resource @id;
 * - %EFAULT.
 */
static long vc_rlimit_stat(struct vs_call *call)
{
	int res = vs_limit_id_to_res(call->arg.rlimit_stat.id);

	if (res < 0)
		return res;
	vs_limit_read(call->ctx, res, &call->arg.rlimit_stat);
	return 0;
}

/**
 * vc_reset_hits - VCMD_reset_hits: zero the hits of every resource
 * @call: target context; no argument structure
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: 0, or %ESRCH: no such context.
 */
static long vc_reset_hits(struct vs_call *call)
{
	vs_limits_reset(call->ctx, true);
	return 0;
}

/**
 * vc_reset_minmax - VCMD_reset_minmax: restart the minimum and maximum
 *	of every resource from its current usage
 * @call: target context; no argument structure
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: 0, or %ESRCH: no such context.
 */
static long vc_reset_minmax(struct vs_call *call)
{
	vs_limits_reset(call->ctx, false);
	return 0;
}

/**
 * vc_virt_stat - VCMD_virt_stat: the virtual system figures of a context
 * @call: target context; writes struct vcmd_virt_stat_v0: time since its
 *	  creation (and, with VXF_VIRT_UPTIME, that as the offset of its
 *	  boot time), its tasks, those runnable and those in uninterruptible
 *	  sleep, and the forks made in it; load averages are not tracked
 *	  per context and are 0
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_virt_stat(struct vs_call *call)
{
	struct vcmd_virt_stat_v0 *arg = &call->arg.virt_stat;
	struct vs_context *ctx = call->ctx;
	struct task_struct *g, *t;
	u64 now = ktime_get_boottime_ns();
	unsigned int state;

	arg->uptime = now - ctx->start;
	arg->offset = (READ_ONCE(ctx->flags) & VXF_VIRT_UPTIME) ?
		      ctx->start : 0;
	arg->nr_forks = atomic_read(&ctx->nr_forks);
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (vs_task(t)->ctx != ctx || (t->flags & PF_EXITING))
			continue;
		arg->nr_threads++;
		state = READ_ONCE(t->__state);
		if (state == TASK_RUNNING)
			arg->nr_running++;
		else if ((state & TASK_UNINTERRUPTIBLE) &&
			 !(state & TASK_NOLOAD))
			arg->nr_uninterruptible++;
	}
	rcu_read_unlock();
	return 0;
}

/**
 * vc_get_badness - VCMD_get_badness: the OOM bias of a context
 * @call: target context; writes struct vcmd_badness_v0
 *
 * Permission: any caller that can see the context.
 *
 * Return: 0, or %ESRCH: no such context visible to the caller; %EFAULT.
 */
static long vc_get_badness(struct vs_call *call)
{
	call->arg.badness.bias = READ_ONCE(call->ctx->badness);
	return 0;
}

/**
 * vc_set_badness - VCMD_set_badness: change the OOM bias of a context
 * @call: target context; reads struct vcmd_badness_v0
 *
 * The bias, clamped to -1000..1000, becomes the oom_score_adj of every
 * process of the context, and of every task that enters it later (a
 * bias of 0 leaves them as they are).
 *
 * Permission: as for vc_set_bcaps().
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller;
 * - %EPERM: the caller may not configure the context (any more);
 * - %EFAULT.
 */
static long vc_set_badness(struct vs_call *call)
{
	struct vs_context *ctx = call->ctx;
	s64 bias = call->arg.badness.bias;
	struct task_struct *p;
	bool ok;

	spin_lock(&ctx->lock);
	ok = vs_may_configure(call);
	if (ok)
		WRITE_ONCE(ctx->badness, bias);
	spin_unlock(&ctx->lock);
	if (!ok)
		return -EPERM;
	rcu_read_lock();
	for_each_process(p)
		if (vs_task(p)->ctx == ctx)
			vs_badness_apply(p, bias);
	rcu_read_unlock();
	return 0;
}

/**
 * vc_get_space_mask - VCMD_get_space_mask (v1): what a space can hold
 * @call: @id is ignored; writes struct vcmd_space_mask_v1: CLONE_FS and
 *	  the CLONE_NEW* bits of the namespace types this kernel has (at
 *	  most 0x7C020200)
 *
 * Permission: any caller.
 *
 * Return: 0, or %EFAULT.
 */
static long vc_get_space_mask(struct vs_call *call)
{
	call->arg.space.mask = vs_space_mask(false);
	return 0;
}

/**
 * vc_get_space_mask_v0 - VCMD_get_space_mask_v0: the same, as old tools
 *	asked it
 * @call: @id is ignored; writes struct vcmd_space_mask_v1: as for
 *	  vc_get_space_mask(), without CLONE_NEWPID and CLONE_NEWNET
 *
 * Permission: any caller.
 *
 * Return: 0, or %EFAULT.
 */
static long vc_get_space_mask_v0(struct vs_call *call)
{
	call->arg.space.mask = vs_space_mask(true);
	return 0;
}

/**
 * vc_get_space_default - VCMD_get_space_default: what tools store by
 *	default
 * @call: @id is ignored; writes struct vcmd_space_mask_v1: CLONE_FS,
 *	  CLONE_NEWNS, CLONE_NEWUTS and CLONE_NEWIPC
 *
 * Permission: any caller.
 *
 * Return: 0, or %EFAULT.
 */
static long vc_get_space_default(struct vs_call *call)
{
	call->arg.space.mask = vs_space_default();
	return 0;
}

static long vs_set_space(struct vs_call *call, u32 index, u64 mask)
{
	bool ok;

	spin_lock(&call->ctx->lock);
	ok = vs_may_configure(call);
	spin_unlock(&call->ctx->lock);
	if (!ok)
		return -EPERM;
	return vs_space_set(call->ctx, index, mask, !call->admin);
}

/**
 * vc_set_space - VCMD_set_space (v2): store the caller's namespaces
 * @call: target context; reads struct vcmd_space_mask_v2 (12 bytes
 *	  through the i386 entry): the caller's namespaces of @mask (see
 *	  vc_get_space_mask()), and with CLONE_FS its root and working
 *	  directory, replace those stored in space @index; the space's mask
 *	  becomes the union
 *
 * Permission: as for vc_set_bcaps().
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context visible to the caller, or it ended;
 * - %EPERM: the caller may not configure the context (any more);
 * - %EINVAL: @index is not 0 or 1, or @mask has bits a space cannot hold;
 * - %ENOMEM, %EFAULT.
 */
static long vc_set_space(struct vs_call *call)
{
	return vs_set_space(call, call->arg.space_v2.index,
			    call->arg.space_v2.mask);
}

/**
 * vc_set_space_v1 - VCMD_set_space_v1: the same for space 0
 * @call: target context; reads struct vcmd_space_mask_v1
 *
 * Permission: as for vc_set_bcaps().
 *
 * Return: as for vc_set_space().
 */
static long vc_set_space_v1(struct vs_call *call)
{
	return vs_set_space(call, 0, call->arg.space.mask);
}

static long vs_enter_space(struct vs_call *call, u32 index, u64 mask)
{
	struct vs_context *ctx = call->ctx;
	u64 flags = READ_ONCE(ctx->flags);

	if (!(flags & VXF_STATE_ADMIN) ||
	    (flags & (VXF_INFO_PRIVATE | VXF_STATE_SETUP)) == VXF_INFO_PRIVATE)
		return -EACCES;
	return vs_space_enter(ctx, index, mask);
}

/**
 * vc_enter_space - VCMD_enter_space (v2): join stored namespaces
 * @call: target context; reads struct vcmd_space_mask_v2 (12 bytes
 *	  through the i386 entry): the caller joins the namespaces of @mask
 *	  stored in space @index, all of them for mask 0, as setns(2) would
 *	  (with CLONE_FS, which needs CLONE_NEWNS, it takes the stored root
 *	  and working directory).  It does not enter the context itself.
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: 0, or one of:
 * - %ESRCH: no such context;
 * - %EACCES: the context is private and past setup, or no longer admits
 *   the host (VXF_STATE_ADMIN cleared);
 * - %EINVAL: @index is not 0 or 1, @mask has bits not stored, or
 *   CLONE_FS without CLONE_NEWNS; or as setns(2): a shared fs_struct for
 *   a mount namespace, a multi-threaded caller for a user namespace;
 * - %EPERM: as setns(2) (a namespace the caller may not join);
 * - %ENOMEM, %EFAULT.
 */
static long vc_enter_space(struct vs_call *call)
{
	return vs_enter_space(call, call->arg.space_v2.index,
			      call->arg.space_v2.mask);
}

/**
 * vc_enter_space_v1 - VCMD_enter_space_v1: the same for space 0
 * @call: target context; reads struct vcmd_space_mask_v1
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: as for vc_enter_space().
 */
static long vc_enter_space_v1(struct vs_call *call)
{
	return vs_enter_space(call, 0, call->arg.space.mask);
}

/**
 * vc_enter_space_v0 - VCMD_enter_space_v0: join all of space 0
 * @call: target context; no argument structure
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: as for vc_enter_space().
 */
static long vc_enter_space_v0(struct vs_call *call)
{
	return vs_enter_space(call, 0, 0);
}

/**
 * vc_task_nid - VCMD_task_nid: the network context of a task
 * @call: @id is a pid in the caller's pid namespace, or 0 for the caller
 *
 * Permission: any caller, for the tasks it can see.
 *
 * Return: the task's nid (0: the host's network, 1: a spectator), or
 * %ESRCH: no task @id that the caller can see.
 */
static long vc_task_nid(struct vs_call *call)
{
	struct task_struct *task;
	long ret = -ESRCH;

	if (!call->id)
		return READ_ONCE(vs_task(current)->nid);
	if (call->id > PID_MAX_LIMIT)
		return -ESRCH;
	rcu_read_lock();
	task = find_task_by_vpid(call->id);
	if (task && vs_may_see(vs_task_xid(task)))
		ret = READ_ONCE(vs_task(task)->nid);
	rcu_read_unlock();
	return ret;
}

/**
 * vc_nx_info - VCMD_nx_info: the id of a network context
 * @call: target network context; writes struct vcmd_nx_info_v0
 *
 * Permission: any caller that can see the network context.
 *
 * Return: 0, or %ESRCH: no such network context visible to the caller;
 * %EFAULT.
 */
static long vc_nx_info(struct vs_call *call)
{
	call->arg.nx_info.nid = call->nx->nid;
	return 0;
}

/**
 * vc_net_create - VCMD_net_create: create a network context and enter it
 * @call: @id is the new nid, 2 to 65535; @data is struct vcmd_net_create
 *	  with its flags, or NULL for NXF_INIT_SET
 *
 * The context gets a network namespace of its own with only a loopback
 * device, up, and no addresses.  The caller moves into it.
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: the nid, or %EFAULT: @data cannot be read; %EINVAL: @id is out
 * of range; %EEXIST: a network context @id exists; %EBUSY: it exists and
 * is still in setup (NXF_STATE_SETUP); %EINTR: a fatal signal came while
 * an ending context of that id went; %ENOMEM.
 */
static long vc_net_create(struct vs_call *call)
{
	struct vcmd_net_create arg = { .flagword = NXF_INIT_SET };

	if (call->data && copy_from_user(&arg, call->data, sizeof(arg)))
		return -EFAULT;
	return vs_net_create(call->id, arg.flagword);
}

/**
 * vc_net_create_v0 - VCMD_net_create_v0: as vc_net_create(), default flags
 * @call: @id is the new nid; @data is ignored
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: as for vc_net_create(), without %EFAULT.
 */
static long vc_net_create_v0(struct vs_call *call)
{
	return vs_net_create(call->id, NXF_INIT_SET);
}

/**
 * vc_net_migrate - VCMD_net_migrate: enter a network context
 * @call: @id is the nid, or 1 to become a network spectator (the caller
 *	  keeps its namespace); @data is ignored
 *
 * Permission: CAP_SYS_ADMIN in the host context.
 *
 * Return: 0, 1 for @id 1, or %ESRCH: no such network context, or it is
 * ending; %EACCES: it has NXF_INFO_PRIVATE without NXF_STATE_SETUP, or
 * no longer NXF_STATE_ADMIN; %ENOMEM.
 */
static long vc_net_migrate(struct vs_call *call)
{
	struct vs_net *nx;
	u64 flags;
	long err;

	if (call->id == VX_NID_WATCH) {
		vs_net_spectate();
		return VX_NID_WATCH;
	}
	if (call->id < VX_XID_MIN || call->id > VX_NID_MAX)
		return -ESRCH;
	nx = vs_net_lookup(call->id);
	if (!nx)
		return -ESRCH;
	flags = READ_ONCE(nx->flags);
	if (!(flags & NXF_STATE_ADMIN) ||
	    ((flags & NXF_INFO_PRIVATE) && !(flags & NXF_STATE_SETUP)))
		err = -EACCES;
	else
		err = vs_net_enter(nx);
	vs_net_put(nx);
	return err;
}

/* An IPv4 entry from the fields of a v0, v1 or v2 address structure */
static long vs_net_v4(struct vs_net *nx, bool add, u16 type, u16 flags,
		      __be32 ip, __be32 ip2, __be32 mask, bool range)
{
	struct vs_net_entry e = {
		.type = type, .flags = flags, .ip = ip, .ip2 = ip2,
		.mask = mask,
	};

	if (type == NXA_TYPE_ANY && !add) {
		vs_net_remove_all(nx, true, false);
		return 0;
	}
	if (add && (type == (NXA_TYPE_ADDR | NXA_MOD_BCAST) ||
		    type == (NXA_TYPE_ADDR | NXA_MOD_LBACK)))
		return vs_net_add_special(nx, type & ~NXA_TYPE_ADDR, ip);
	if (type != NXA_TYPE_ADDR && (!add || type != NXA_TYPE_MASK) &&
	    (!range || type != NXA_TYPE_RANGE))
		return -EINVAL;
	return add ? vs_net_add_v4(nx, &e) : vs_net_remove_v4(nx, &e);
}

/**
 * vc_net_add - VCMD_net_add (v0): add up to four IPv4 addresses
 * @call: target network context; reads struct vcmd_net_addr_v0: type
 *	  NXA_TYPE_IPV4 with @count addresses and masks, or
 *	  NXA_TYPE_IPV4 | NXA_MOD_BCAST (LBACK) to set the broadcast
 *	  (loopback) address to ip[0]
 *
 * Permission: CAP_SYS_ADMIN in the host context; the network context
 * must have NXF_STATE_ADMIN.
 *
 * Return: the number of addresses set, or %EINVAL: another type, or
 * @count is not 1 to 4; %EEXIST: an address is there already (those
 * before it were added); %ENOMEM; %EACCES: no NXF_STATE_ADMIN.
 */
static long vc_net_add(struct vs_call *call)
{
	struct vcmd_net_addr_v0 *a = &call->arg.net_addr_v0;
	unsigned int i;
	long err;

	switch (a->type) {
	case NXA_TYPE_IPV4 | NXA_MOD_BCAST:
	case NXA_TYPE_IPV4 | NXA_MOD_LBACK:
		vs_net_add_special(call->nx, a->type & ~NXA_TYPE_IPV4,
				   a->ip[0]);
		return 1;
	case NXA_TYPE_IPV4:
		if (a->count < 1 || a->count > NX_ADDR_V0_MAX)
			return -EINVAL;
		for (i = 0; i < a->count; i++) {
			err = vs_net_v4(call->nx, true, NXA_TYPE_ADDR, 0,
					a->ip[i], 0, a->mask[i], false);
			if (err)
				return err;
		}
		return a->count;
	}
	return -EINVAL;
}

/**
 * vc_net_remove - VCMD_net_remove (v0): remove every IPv4 address
 * @call: target network context; reads struct vcmd_net_addr_v0 with type
 *	  NXA_TYPE_ANY
 *
 * Permission: as for vc_net_add().
 *
 * Return: 0, or %EINVAL: another type; %EACCES: no NXF_STATE_ADMIN.
 */
static long vc_net_remove(struct vs_call *call)
{
	if (call->arg.net_addr_v0.type != NXA_TYPE_ANY)
		return -EINVAL;
	vs_net_remove_all(call->nx, true, false);
	return 0;
}

/**
 * vc_net_add_ipv4_v1 - VCMD_net_add_ipv4_v1: add an IPv4 entry
 * @call: target network context; reads struct vcmd_net_addr_ipv4_v1:
 *	  type NXA_TYPE_ADDR or NXA_TYPE_MASK adds an entry, ADDR with
 *	  NXA_MOD_BCAST (NXA_MOD_LBACK) sets the broadcast (loopback)
 *	  address
 *
 * Permission: CAP_SYS_ADMIN in the host context; the network context
 * must have NXF_STATE_ADMIN.
 *
 * Return: 0, or %EINVAL: another type; %EEXIST: an equal entry is there;
 * %ENOMEM; %EACCES: no NXF_STATE_ADMIN.
 */
static long vc_net_add_ipv4_v1(struct vs_call *call)
{
	struct vcmd_net_addr_ipv4_v1 *a = &call->arg.net_ipv4_v1;

	return vs_net_v4(call->nx, true, a->type, a->flags, a->ip, 0,
			 a->mask, false);
}

/**
 * vc_net_rem_ipv4_v1 - VCMD_net_rem_ipv4_v1: remove an IPv4 entry
 * @call: target network context; reads struct vcmd_net_addr_ipv4_v1:
 *	  type NXA_TYPE_ADDR removes the equal entry, NXA_TYPE_ANY all
 *
 * Permission: as for vc_net_add_ipv4_v1().
 *
 * Return: 0, or %EINVAL: another type; %ESRCH: no equal entry; %EACCES:
 * no NXF_STATE_ADMIN.
 */
static long vc_net_rem_ipv4_v1(struct vs_call *call)
{
	struct vcmd_net_addr_ipv4_v1 *a = &call->arg.net_ipv4_v1;

	return vs_net_v4(call->nx, false, a->type, a->flags, a->ip, 0,
			 a->mask, false);
}

/**
 * vc_net_add_ipv4 - VCMD_net_add_ipv4 (v2): add an IPv4 entry or range
 * @call: as for vc_net_add_ipv4_v1(), with struct vcmd_net_addr_ipv4_v2,
 *	  which also takes NXA_TYPE_RANGE (@ip to @ip2, @ip2 excluded)
 *
 * Permission: as for vc_net_add_ipv4_v1().
 *
 * Return: as for vc_net_add_ipv4_v1().
 */
static long vc_net_add_ipv4(struct vs_call *call)
{
	struct vcmd_net_addr_ipv4_v2 *a = &call->arg.net_ipv4_v2;

	return vs_net_v4(call->nx, true, a->type, a->flags, a->ip, a->ip2,
			 a->mask, true);
}

/**
 * vc_net_rem_ipv4 - VCMD_net_rem_ipv4 (v2): remove an IPv4 entry
 * @call: as for vc_net_rem_ipv4_v1(), with struct vcmd_net_addr_ipv4_v2
 *
 * Permission: as for vc_net_add_ipv4_v1().
 *
 * Return: as for vc_net_rem_ipv4_v1().
 */
static long vc_net_rem_ipv4(struct vs_call *call)
{
	struct vcmd_net_addr_ipv4_v2 *a = &call->arg.net_ipv4_v2;

	return vs_net_v4(call->nx, false, a->type, a->flags, a->ip, a->ip2,
			 a->mask, false);
}

/* An IPv6 entry from struct vcmd_net_addr_ipv6_v1 */
static void vs_net_v6_entry(const struct vcmd_net_addr_ipv6_v1 *a,
			    struct vs_net_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->type = a->type;
	e->flags = a->flags;
	e->prefix = a->prefix;
	memcpy(&e->ip6, a->ip, sizeof(e->ip6));
	if (a->type == NXA_TYPE_ADDR)
		memset(&e->mask6, 0xff, sizeof(e->mask6));
	else
		memcpy(&e->mask6, a->mask, sizeof(e->mask6));
}

/**
 * vc_net_add_ipv6 - VCMD_net_add_ipv6: add an IPv6 entry
 * @call: target network context; reads struct vcmd_net_addr_ipv6_v1:
 *	  type NXA_TYPE_ADDR (the mask becomes all ones) or NXA_TYPE_MASK
 *
 * Permission: CAP_SYS_ADMIN in the host context; the network context
 * must have NXF_STATE_ADMIN.
 *
 * Return: 0, or %EINVAL: another type; %EEXIST: an equal entry is there;
 * %ENOMEM; %EACCES: no NXF_STATE_ADMIN.
 */
static long vc_net_add_ipv6(struct vs_call *call)
{
	struct vs_net_entry e;

	if (call->arg.net_ipv6.type != NXA_TYPE_ADDR &&
	    call->arg.net_ipv6.type != NXA_TYPE_MASK)
		return -EINVAL;
	vs_net_v6_entry(&call->arg.net_ipv6, &e);
	return vs_net_add_v6(call->nx, &e);
}

/**
 * vc_net_remove_ipv6 - VCMD_net_remove_ipv6: remove an IPv6 entry
 * @call: target network context; reads struct vcmd_net_addr_ipv6_v1:
 *	  type NXA_TYPE_ADDR removes the equal entry, NXA_TYPE_ANY all
 *
 * Permission: as for vc_net_add_ipv6().
 *
 * Return: 0, or %EINVAL: another type; %ESRCH: no equal entry; %EACCES:
 * no NXF_STATE_ADMIN.
 */
static long vc_net_remove_ipv6(struct vs_call *call)
{
	struct vs_net_entry e;

	if (call->arg.net_ipv6.type == NXA_TYPE_ANY) {
		vs_net_remove_all(call->nx, false, true);
		return 0;
	}
	if (call->arg.net_ipv6.type != NXA_TYPE_ADDR)
		return -EINVAL;
	vs_net_v6_entry(&call->arg.net_ipv6, &e);
	return vs_net_remove_v6(call->nx, &e);
}

/**
 * vc_get_nflags - VCMD_get_nflags: the flags of a network context
 * @call: target network context; writes struct vcmd_net_flags_v0: the
 *	  flags, and as mask all bits but the one-time bits already cleared
 *
 * Permission: any caller that can see the network context.
 *
 * Return: 0, or %ESRCH; %EFAULT.
 */
static long vc_get_nflags(struct vs_call *call)
{
	u64 flags, mask;

	vs_net_get_flags(call->nx, &flags, &mask);
	call->arg.nflags.flagword = flags;
	call->arg.nflags.mask = mask;
	return 0;
}

/**
 * vc_set_nflags - VCMD_set_nflags: change the flags of a network context
 * @call: target network context; reads struct vcmd_net_flags_v0: the
 *	  bits of @mask take their value from @flagword; one-time bits
 *	  (NXF_ONE_TIME) can be cleared, never set; unknown bits are stored
 *
 * Clearing NXF_PERSISTENT ends a context that has no task and no socket.
 *
 * Permission: CAP_SYS_ADMIN in the host context; the network context
 * must have NXF_STATE_ADMIN.
 *
 * Return: 0, or %EACCES: no NXF_STATE_ADMIN; %EFAULT.
 */
static long vc_set_nflags(struct vs_call *call)
{
	vs_net_set_flags(call->nx, call->arg.nflags.flagword,
			 call->arg.nflags.mask);
	return 0;
}

/**
 * vc_get_ncaps - VCMD_get_ncaps: the capabilities of a network context
 * @call: target network context; writes struct vcmd_net_caps_v0, with
 *	  cmask all ones
 *
 * Permission: any caller that can see the network context.
 *
 * Return: 0, or %ESRCH; %EFAULT.
 */
static long vc_get_ncaps(struct vs_call *call)
{
	call->arg.ncaps.ncaps = READ_ONCE(call->nx->ncaps);
	call->arg.ncaps.cmask = ~0ULL;
	return 0;
}

/**
 * vc_set_ncaps - VCMD_set_ncaps: change the capabilities of a network
 *	context
 * @call: target network context; reads struct vcmd_net_caps_v0: the bits
 *	  of @cmask take their value from @ncaps; unknown bits are stored
 *
 * Permission: CAP_SYS_ADMIN in the host context; the network context
 * must have NXF_STATE_ADMIN.
 *
 * Return: 0, or %EACCES: no NXF_STATE_ADMIN; %EFAULT.
 */
static long vc_set_ncaps(struct vs_call *call)
{
	struct vs_net *nx = call->nx;

	spin_lock(&nx->lock);
	nx->ncaps = (nx->ncaps & ~call->arg.ncaps.cmask) |
		    (call->arg.ncaps.ncaps & call->arg.ncaps.cmask);
	spin_unlock(&nx->lock);
	return 0;
}

#define VS_CMD(_cmd, _perm, _handler)				\
	{ .cmd = VCMD_##_cmd, .perm = _perm, .handler = _handler }
#define VS_CMD_ARG(_cmd, _perm, _flags, _type, _handler)	\
	{ .cmd = VCMD_##_cmd, .perm = _perm, .flags = _flags,	\
	  .size = sizeof(struct _type), .handler = _handler }
#define VS_CMD_RLIMIT(_cmd, _perm, _flags, _handler)		\
	{ .cmd = VCMD_##_cmd, .perm = _perm, .flags = _flags,	\
	  .size = sizeof(struct vcmd_ctx_rlimit_v0),		\
	  .compat_size = sizeof(struct vcmd_ctx_rlimit_v0_i386),	\
	  .handler = _handler }

/* i386 callers lay struct vcmd_space_mask_v2 out in 12 bytes */
#define VS_CMD_SPACE(_cmd, _perm, _handler)			\
	{ .cmd = VCMD_##_cmd, .perm = _perm,			\
	  .flags = VS_TARGET | VS_ARG_IN,			\
	  .size = sizeof(struct vcmd_space_mask_v2),		\
	  .compat_size = offsetofend(struct vcmd_space_mask_v2, index), \
	  .handler = _handler }

/* A command that configures a network context */
#define VS_CMD_NET(_cmd, _type, _handler)				\
	VS_CMD_ARG(_cmd, VS_PERM_HOST_ADMIN,				\
		   VS_NET_TARGET | VS_NET_ADMIN | VS_ARG_IN, _type, _handler)

static const struct vs_command vs_commands[] = {
	VS_CMD(get_version, VS_PERM_ANY, vc_get_version),
	VS_CMD(get_vci, VS_PERM_ANY, vc_get_vci),
	VS_CMD_ARG(get_rlimit_mask, VS_PERM_ANY, VS_ARG_OUT,
		   vcmd_ctx_rlimit_mask_v0, vc_get_rlimit_mask),
	VS_CMD(task_xid, VS_PERM_ANY, vc_task_xid),
	VS_CMD_ARG(vx_info, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_vx_info_v0, vc_vx_info),
	VS_CMD_ARG(ctx_stat, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_ctx_stat_v0, vc_ctx_stat),
	VS_CMD(ctx_create_v0, VS_PERM_HOST_ADMIN, vc_ctx_create_v0),
	VS_CMD_ARG(ctx_create, VS_PERM_HOST_ADMIN, VS_ARG_IN,
		   vcmd_ctx_create, vc_ctx_create),
	VS_CMD(ctx_migrate_v0, VS_PERM_HOST_ADMIN, vc_ctx_migrate_v0),
	VS_CMD_ARG(ctx_migrate, VS_PERM_HOST_ADMIN, VS_ARG_IN,
		   vcmd_ctx_migrate, vc_ctx_migrate),
	VS_CMD_ARG(get_cflags, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_ctx_flags_v0, vc_get_cflags),
	VS_CMD_ARG(set_cflags, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_ctx_flags_v0, vc_set_cflags),
	VS_CMD_ARG(ctx_kill, VS_PERM_HOST_ADMIN, VS_TARGET | VS_ARG_IN,
		   vcmd_ctx_kill_v0, vc_ctx_kill),
	VS_CMD_ARG(wait_exit, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_wait_exit_v0, vc_wait_exit),
	VS_CMD_ARG(get_vhi_name, VS_PERM_ANY,
		   VS_TARGET | VS_ARG_IN | VS_ARG_OUT,
		   vcmd_vhi_name_v0, vc_get_vhi_name),
	VS_CMD_ARG(set_vhi_name, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_vhi_name_v0, vc_set_vhi_name),
	VS_CMD_ARG(get_bcaps, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_bcaps, vc_get_bcaps),
	VS_CMD_ARG(set_bcaps, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_bcaps, vc_set_bcaps),
	VS_CMD_ARG(get_ccaps, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_ctx_caps_v1, vc_get_ccaps),
	VS_CMD_ARG(set_ccaps, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_ctx_caps_v1, vc_set_ccaps),
	VS_CMD_ARG(get_umask, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_umask, vc_get_umask),
	VS_CMD_ARG(set_umask, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_umask, vc_set_umask),
	VS_CMD_RLIMIT(get_rlimit, VS_PERM_ANY,
		      VS_TARGET | VS_ARG_IN | VS_ARG_OUT, vc_get_rlimit),
	VS_CMD_RLIMIT(set_rlimit, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		      vc_set_rlimit),
	VS_CMD_ARG(rlimit_stat, VS_PERM_ANY,
		   VS_TARGET | VS_ARG_IN | VS_ARG_OUT,
		   vcmd_rlimit_stat_v0, vc_rlimit_stat),
	{ .cmd = VCMD_reset_hits, .perm = VS_PERM_HOST_ADMIN,
	  .flags = VS_TARGET, .handler = vc_reset_hits },
	{ .cmd = VCMD_reset_minmax, .perm = VS_PERM_HOST_ADMIN,
	  .flags = VS_TARGET, .handler = vc_reset_minmax },
	VS_CMD_ARG(virt_stat, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_virt_stat_v0, vc_virt_stat),
	VS_CMD_ARG(get_badness, VS_PERM_ANY, VS_TARGET | VS_ARG_OUT,
		   vcmd_badness_v0, vc_get_badness),
	VS_CMD_ARG(set_badness, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_badness_v0, vc_set_badness),
	VS_CMD_ARG(get_space_mask, VS_PERM_ANY, VS_ARG_OUT,
		   vcmd_space_mask_v1, vc_get_space_mask),
	VS_CMD_ARG(get_space_mask_v0, VS_PERM_ANY, VS_ARG_OUT,
		   vcmd_space_mask_v1, vc_get_space_mask_v0),
	VS_CMD_ARG(get_space_default, VS_PERM_ANY, VS_ARG_OUT,
		   vcmd_space_mask_v1, vc_get_space_default),
	VS_CMD_SPACE(set_space, VS_PERM_SETUP, vc_set_space),
	VS_CMD_ARG(set_space_v1, VS_PERM_SETUP, VS_TARGET | VS_ARG_IN,
		   vcmd_space_mask_v1, vc_set_space_v1),
	VS_CMD_SPACE(enter_space, VS_PERM_HOST_ADMIN, vc_enter_space),
	VS_CMD_ARG(enter_space_v1, VS_PERM_HOST_ADMIN, VS_TARGET | VS_ARG_IN,
		   vcmd_space_mask_v1, vc_enter_space_v1),
	{ .cmd = VCMD_enter_space_v0, .perm = VS_PERM_HOST_ADMIN,
	  .flags = VS_TARGET, .handler = vc_enter_space_v0 },
	VS_CMD(task_nid, VS_PERM_ANY, vc_task_nid),
	VS_CMD_ARG(nx_info, VS_PERM_ANY, VS_NET_TARGET | VS_ARG_OUT,
		   vcmd_nx_info_v0, vc_nx_info),
	VS_CMD(net_create_v0, VS_PERM_HOST_ADMIN, vc_net_create_v0),
	VS_CMD(net_create, VS_PERM_HOST_ADMIN, vc_net_create),
	VS_CMD(net_migrate, VS_PERM_HOST_ADMIN, vc_net_migrate),
	VS_CMD_NET(net_add, vcmd_net_addr_v0, vc_net_add),
	VS_CMD_NET(net_remove, vcmd_net_addr_v0, vc_net_remove),
	VS_CMD_NET(net_add_ipv4_v1, vcmd_net_addr_ipv4_v1, vc_net_add_ipv4_v1),
	VS_CMD_NET(net_rem_ipv4_v1, vcmd_net_addr_ipv4_v1, vc_net_rem_ipv4_v1),
	VS_CMD_NET(net_add_ipv4, vcmd_net_addr_ipv4_v2, vc_net_add_ipv4),
	VS_CMD_NET(net_rem_ipv4, vcmd_net_addr_ipv4_v2, vc_net_rem_ipv4),
	VS_CMD_NET(net_add_ipv6, vcmd_net_addr_ipv6_v1, vc_net_add_ipv6),
	VS_CMD_NET(net_remove_ipv6, vcmd_net_addr_ipv6_v1,
		   vc_net_remove_ipv6),
	VS_CMD_ARG(get_nflags, VS_PERM_ANY, VS_NET_TARGET | VS_ARG_OUT,
		   vcmd_net_flags_v0, vc_get_nflags),
	VS_CMD_NET(set_nflags, vcmd_net_flags_v0, vc_set_nflags),
	VS_CMD_ARG(get_ncaps, VS_PERM_ANY, VS_NET_TARGET | VS_ARG_OUT,
		   vcmd_net_caps_v0, vc_get_ncaps),
	VS_CMD_NET(set_ncaps, vcmd_net_caps_v0, vc_set_ncaps),
};

static const struct vs_command *vs_find_command(u32 cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vs_commands); i++)
		if (vs_commands[i].cmd == cmd)
			return &vs_commands[i];
	return NULL;
}

static bool vs_host_admin(void)
{
	return vs_current_xid() == VX_XID_HOST && capable(CAP_SYS_ADMIN);
}

/* The coarse check, before anything is copied or looked up. */
static bool vs_permitted(enum vs_perm perm, bool admin)
{
	switch (perm) {
	case VS_PERM_ANY:
		return true;
	case VS_PERM_HOST_ADMIN:
		return admin;
	case VS_PERM_SETUP:
		return admin ||
		       (vs_task(current)->ctx && (vs_task(current)->entry_cred ||
						  capable(CAP_SYS_ADMIN)));
	}
	return false;
}

/* The target of a VS_TARGET command, with a reference. */
static struct vs_context *vs_lookup_target(u32 id)
{
	struct vs_context *own = vs_task(current)->ctx;
	u32 cur = vs_current_xid();

	if (id & 0x80000000u) {
		if (!own)
			return ERR_PTR(-ESRCH);
		vs_context_get(own);
		return own;
	}
	if (id < VX_XID_MIN || id > VX_XID_MAX)
		return ERR_PTR(-ESRCH);
	if (!vs_may_see(id))
		return ERR_PTR(-ESRCH);
	if (cur >= VX_XID_MIN) {
		vs_context_get(own);
		return own;
	}
	return vs_context_lookup(id) ?: ERR_PTR(-ESRCH);
}

/*
 * The target of a VS_NET_TARGET command, with a reference: an id with the
 * top bit set names the caller's own network context, 2 to 65535 one the
 * caller can see, 0 and 1 none.
 */
static struct vs_net *vs_lookup_net_target(u32 id)
{
	struct vs_net *own = vs_task(current)->nx;
	struct vs_net *nx;

	if (id & 0x80000000u) {
		/* It may have ended after the task left its namespace */
		if (!own)
			return ERR_PTR(-ESRCH);
		nx = vs_net_lookup(own->nid);
		if (nx != own) {
			vs_net_put(nx);
			return ERR_PTR(-ESRCH);
		}
		return nx;
	}
	if (id < VX_XID_MIN || id > VX_NID_MAX || !vs_net_visible(id))
		return ERR_PTR(-ESRCH);
	nx = vs_net_lookup(id);
	return nx ?: ERR_PTR(-ESRCH);
}

/**
 * sys_vserver - operate on vserver security contexts
 * @cmd: the command word, VC_CMD(category, command, version)
 * @id: what the command acts on, usually a context id (xid)
 * @data: the command's argument structure in user space, or NULL
 *
 * Every command is documented with its handler, vc_<command>(), together
 * with the errors it adds to those listed here.  The checks run in the
 * order given at the top of this file.
 *
 * Return: the command's result, 0 or greater, on success; or one of:
 * - %EOPNOTSUPP: @cmd is not a command of this kernel, or vserver is
 *   built in but not an active LSM;
 * - %EPERM: the caller lacks the permission the command requires;
 * - %EFAULT: the command's structure cannot be read from, or written
 *   to, @data;
 * - %ESRCH: the command's target context does not exist, or the caller
 *   cannot see it;
 * - an error the command documents.
 */
SYSCALL_DEFINE3(vserver, u32, cmd, u32, id, void __user *, data)
{
	const struct vs_command *command;
	struct vs_call call = { .id = id };
	size_t size;
	long ret;

	if (!vs_initialized)
		return -EOPNOTSUPP;
	command = vs_find_command(cmd);
	if (!command)
		return -EOPNOTSUPP;
	call.compat = in_compat_syscall() && command->compat_size;
	size = call.compat ? command->compat_size : command->size;
	if (command->perm != VS_PERM_ANY)
		call.admin = vs_host_admin();
	if (!vs_permitted(command->perm, call.admin))
		return -EPERM;

	if ((command->flags & VS_ARG_IN) &&
	    copy_from_user(&call.arg, data, size))
		return -EFAULT;

	if (command->flags & VS_TARGET) {
		call.ctx = vs_lookup_target(id);
		if (IS_ERR(call.ctx))
			return PTR_ERR(call.ctx);
	}
	if (command->flags & VS_NET_TARGET) {
		call.nx = vs_lookup_net_target(id);
		if (IS_ERR(call.nx))
			return PTR_ERR(call.nx);
		if ((command->flags & VS_NET_ADMIN) &&
		    !(READ_ONCE(call.nx->flags) & NXF_STATE_ADMIN)) {
			vs_net_put(call.nx);
			return -EACCES;
		}
	}
	call.data = data;

	ret = command->handler(&call);
	vs_context_put(call.ctx);
	vs_net_put(call.nx);
	if (ret < 0)
		return ret;

	if ((command->flags & VS_ARG_OUT) &&
	    copy_to_user(data, &call.arg, size))
		return -EFAULT;
	return ret;
}

/* The layouts are ABI: a change here breaks every tool built before it. */
static_assert(VCMD_get_version == 0x00000000);
static_assert(VCMD_get_vci == 0x00010000);
static_assert(VCMD_get_rlimit_mask == 0x3C030000);
static_assert(VCMD_task_xid == 0x2E010000);
static_assert(VCMD_vx_info == 0x2E050000);
static_assert(VCMD_ctx_stat == 0x28000000);
static_assert(VCMD_ctx_create_v0 == 0x09010000);
static_assert(VCMD_ctx_create == 0x09010001);
static_assert(VCMD_ctx_migrate_v0 == 0x0B010000);
static_assert(VCMD_ctx_migrate == 0x0B010001);
static_assert(VCMD_get_cflags == 0x34010000);
static_assert(VCMD_set_cflags == 0x34020000);
static_assert(VCMD_ctx_kill == 0x0C010000);
static_assert(VCMD_wait_exit == 0x30630000);
static_assert(VCMD_set_vhi_name == 0x02010000);
static_assert(VCMD_get_vhi_name == 0x02020000);
static_assert(VCMD_get_ccaps == 0x34030001);
static_assert(VCMD_set_ccaps == 0x34040001);
static_assert(VCMD_get_bcaps == 0x34090000);
static_assert(VCMD_set_bcaps == 0x340A0000);
static_assert(VCMD_get_umask == 0x340D0000);
static_assert(VCMD_set_umask == 0x340E0000);

static_assert(sizeof(struct vcmd_ctx_rlimit_mask_v0) == 12);
static_assert(offsetof(struct vcmd_ctx_rlimit_mask_v0, softlimit) == 4);
static_assert(offsetof(struct vcmd_ctx_rlimit_mask_v0, maximum) == 8);
static_assert(sizeof(struct vcmd_vx_info_v0) == 8);
static_assert(sizeof(struct vcmd_ctx_stat_v0) == 8);
static_assert(sizeof(struct vcmd_ctx_create) == 8);
static_assert(sizeof(struct vcmd_ctx_migrate) == 8);
static_assert(sizeof(struct vcmd_ctx_flags_v0) == 16);
static_assert(offsetof(struct vcmd_ctx_flags_v0, mask) == 8);
static_assert(sizeof(struct vcmd_ctx_kill_v0) == 8);
static_assert(offsetof(struct vcmd_ctx_kill_v0, sig) == 4);
static_assert(sizeof(struct vcmd_wait_exit_v0) == 8);
static_assert(sizeof(struct vcmd_vhi_name_v0) == 72);
static_assert(offsetof(struct vcmd_vhi_name_v0, name) == 4);
static_assert(sizeof(struct vcmd_bcaps) == 16);
static_assert(offsetof(struct vcmd_bcaps, bmask) == 8);
static_assert(sizeof(struct vcmd_ctx_caps_v1) == 16);
static_assert(offsetof(struct vcmd_ctx_caps_v1, cmask) == 8);
static_assert(sizeof(struct vcmd_umask) == 16);
static_assert(offsetof(struct vcmd_umask, mask) == 8);
static_assert(VXF_VIRT_UPTIME == 0x0000000000020000ULL);
static_assert(VCMD_get_rlimit == 0x3C010000);
static_assert(VCMD_set_rlimit == 0x3C020000);
static_assert(VCMD_rlimit_stat == 0x28010000);
static_assert(VCMD_reset_hits == 0x3C070000);
static_assert(VCMD_reset_minmax == 0x3C090000);
static_assert(sizeof(struct vcmd_ctx_rlimit_v0_i386) == 28);
static_assert(!IS_ENABLED(CONFIG_X86_64) ||
	      sizeof(struct vcmd_ctx_rlimit_v0) == 32);
static_assert(offsetof(struct vcmd_ctx_rlimit_v0_i386, softlimit) == 12);
static_assert(sizeof(struct vcmd_rlimit_stat_v0) == 32);
static_assert(offsetof(struct vcmd_rlimit_stat_v0, value) == 8);
static_assert(VXC_SET_UTSNAME == 0x1 && VXC_RAW_ICMP == 0x100);
static_assert(VXF_ONE_TIME == 0x0000000700000000ULL);
static_assert(VXF_PERSISTENT == 0x0000004000000000ULL);
static_assert(VCI_VERSION == 0x00020304);
static_assert(VCMD_virt_stat == 0x28030000);
static_assert(VCMD_get_badness == 0x14050000);
static_assert(VCMD_set_badness == 0x14060000);
static_assert(VCMD_enter_space_v0 == 0x0A010000);
static_assert(VCMD_enter_space_v1 == 0x0A010001);
static_assert(VCMD_enter_space == 0x0A010002);
static_assert(VCMD_set_space_v1 == 0x0A030001);
static_assert(VCMD_set_space == 0x0A030002);
static_assert(VCMD_get_space_mask_v0 == 0x0A040000);
static_assert(VCMD_get_space_mask == 0x36000001);
static_assert(VCMD_get_space_default == 0x36010000);
static_assert(sizeof(struct vcmd_virt_stat_v0) == 48);
static_assert(offsetof(struct vcmd_virt_stat_v0, nr_threads) == 16);
static_assert(offsetof(struct vcmd_virt_stat_v0, load) == 36);
static_assert(sizeof(struct vcmd_badness_v0) == 8);
static_assert(sizeof(struct vcmd_space_mask_v1) == 8);
static_assert(sizeof(struct vcmd_space_mask_v2) == 16);
static_assert(offsetofend(struct vcmd_space_mask_v2, index) == 12);
static_assert(VX_SPACES == 2);
static_assert(VCMD_task_nid == 0x2E020000);
static_assert(VCMD_nx_info == 0x2E060000);
static_assert(VCMD_net_create_v0 == 0x19010000);
static_assert(VCMD_net_create == 0x19010001);
static_assert(VCMD_net_migrate == 0x1B010000);
static_assert(VCMD_net_add == 0x1A010000);
static_assert(VCMD_net_remove == 0x1A020000);
static_assert(VCMD_net_add_ipv4_v1 == 0x1A010001);
static_assert(VCMD_net_rem_ipv4_v1 == 0x1A020001);
static_assert(VCMD_net_add_ipv4 == 0x1A010002);
static_assert(VCMD_net_rem_ipv4 == 0x1A020002);
static_assert(VCMD_net_add_ipv6 == 0x1A030001);
static_assert(VCMD_net_remove_ipv6 == 0x1A040001);
static_assert(VCMD_get_nflags == 0x34050000);
static_assert(VCMD_set_nflags == 0x34060000);
static_assert(VCMD_get_ncaps == 0x34070000);
static_assert(VCMD_set_ncaps == 0x34080000);
static_assert(sizeof(struct vcmd_nx_info_v0) == 4);
static_assert(sizeof(struct vcmd_net_create) == 8);
static_assert(sizeof(struct vcmd_net_addr_v0) == 36);
static_assert(offsetof(struct vcmd_net_addr_v0, mask) == 20);
static_assert(sizeof(struct vcmd_net_addr_ipv4_v1) == 12);
static_assert(offsetof(struct vcmd_net_addr_ipv4_v1, mask) == 8);
static_assert(sizeof(struct vcmd_net_addr_ipv4_v2) == 16);
static_assert(offsetof(struct vcmd_net_addr_ipv4_v2, mask) == 12);
static_assert(sizeof(struct vcmd_net_addr_ipv6_v1) == 40);
static_assert(offsetof(struct vcmd_net_addr_ipv6_v1, ip) == 8);
static_assert(offsetof(struct vcmd_net_addr_ipv6_v1, mask) == 24);
static_assert(sizeof(struct vcmd_net_flags_v0) == 16);
static_assert(sizeof(struct vcmd_net_caps_v0) == 16);
static_assert(NXF_INIT_SET == 0x0000000406000200ULL);
static_assert(NXF_ONE_TIME == 0x0000000500000000ULL);
static_assert(NXF_PERSISTENT == 0x0000004000000000ULL);
static_assert(NXC_RAW_ICMP == 0x100 && NXC_MULTICAST == 0x1000);
