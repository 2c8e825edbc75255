// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - capability ceilings and context capabilities
 *
 * A context's bcaps are a ceiling: its tasks never use a capability
 * outside it.  The capable hook enforces the ceiling as it is now, so
 * lowering it takes effect at once.  A task's credentials are cut down
 * to it whenever they are made in the context (entry, fork, execve,
 * setuid, ...), and when the ceiling changes every task of the context
 * replaces its own on its way back to user space (a task_work, as
 * keyctl's session-to-parent uses); capget() reports the live ceiling
 * even before that.  So capget() and /proc/PID/status tell the truth and
 * a setuid program gains nothing outside the ceiling.  Only a task that
 * the host put into the context, until it calls execve, gets back what
 * it had in the host when the ceiling is raised during setup.
 *
 * The ccaps grant what the ceiling alone cannot express:
 * - VXC_SET_UTSNAME: the context's UTS namespace is owned by a user
 *   namespace of its own (see vs_context_create()), so the only capability
 *   checks against that namespace are sethostname()'s and
 *   setdomainname()'s, and they pass exactly when the ccap is set (or,
 *   as historic kernels had it, CAP_SYS_ADMIN is in the ceiling).  No
 *   task lives in that user namespace, and none can join it: opening it
 *   (NS_GET_USERNS on the UTS namespace) is refused.
 * - VXC_RAW_ICMP: CAP_NET_RAW stays in the credentials, but when it is
 *   outside the ceiling it is honoured only while the task creates an
 *   AF_INET raw socket for ICMP (until socket_post_create, in limit.c),
 *   and such a socket cannot be told to take the IP header from the user
 *   (IP_HDRINCL), so it sends ICMP from the host's own addresses only.
 *
 * Loading modules needs CAP_SYS_MODULE, and a task in a context cannot
 * make the host load one for it either: the kernel's automatic loading
 * (a socket family, a crypto algorithm, a device not yet there) would run
 * the host's modprobe with a name the context chose and widen the kernel
 * it can attack.  The host's administrator loads what guests need.
 *
 * A task in a context cannot push input into a terminal (TIOCSTI) without
 * CAP_SYS_ADMIN in its ceiling: the terminal it was started on may be the
 * host's, whose shell would read that input once the context's program
 * ends.  The kernel asks no capability for one's own controlling terminal
 * with CONFIG_LEGACY_TIOCSTI.
 *
 * A task in a context also cannot write to the kernel's global knobs:
 * procfs outside /proc/PID and in /proc/PID/net (the network namespace's
 * files, which the host shares), sysfs, cgroupfs, debugfs, tracefs and
 * securityfs, which root could otherwise write by file permissions alone.
 */

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/lsm_hooks.h>
#include <linux/magic.h>
#include <linux/net.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <linux/termios.h>
#include <linux/user_namespace.h>
#include <uapi/linux/vserver.h>

#include "caps.h"
#include "net.h"
#include "setup.h"
#include "task.h"

/*
 * May root in @ctx set its host and domain names?  With VXC_SET_UTSNAME,
 * or, as historic kernels allowed, with CAP_SYS_ADMIN in the ceiling.
 */
static bool vs_may_set_utsname(const struct vs_context *ctx)
{
	return (READ_ONCE(ctx->ccaps) & VXC_SET_UTSNAME) ||
	       (READ_ONCE(ctx->bcaps) & BIT_ULL(CAP_SYS_ADMIN));
}

/*
 * The capabilities @task of @ctx may hold in its credentials: the
 * ceiling, and CAP_NET_RAW for raw ICMP sockets under VXC_RAW_ICMP or
 * its network context's NXC_RAW_ICMP (the capable hook grants it for
 * nothing else).
 */
static u64 vs_cred_ceiling(const struct vs_context *ctx,
			   const struct task_struct *task)
{
	u64 caps = READ_ONCE(ctx->bcaps);

	if ((READ_ONCE(ctx->ccaps) & VXC_RAW_ICMP) ||
	    vs_net_task_raw_icmp(task))
		caps |= BIT_ULL(CAP_NET_RAW);
	return caps;
}

/* The default ceiling spells out these capabilities */
static_assert(VX_BCAPS_DEFAULT ==
	      (BIT_ULL(CAP_CHOWN) | BIT_ULL(CAP_DAC_OVERRIDE) |
	       BIT_ULL(CAP_FOWNER) | BIT_ULL(CAP_FSETID) | BIT_ULL(CAP_KILL) |
	       BIT_ULL(CAP_SETGID) | BIT_ULL(CAP_SETUID) |
	       BIT_ULL(CAP_NET_BIND_SERVICE) | BIT_ULL(CAP_SYS_CHROOT) |
	       BIT_ULL(CAP_SYS_TTY_CONFIG) | BIT_ULL(CAP_LEASE) |
	       BIT_ULL(CAP_AUDIT_WRITE) | BIT_ULL(CAP_SETFCAP)));

/**
 * vs_caps_limit_cred - cut credentials down to a context's ceiling
 * @cred: credentials being prepared
 * @ctx: the context they are for
 */
void vs_caps_limit_cred(struct cred *cred, struct vs_context *ctx)
{
	kernel_cap_t ceiling = { .val = vs_cred_ceiling(ctx, current) };

	cred->cap_bset = cap_intersect(cred->cap_bset, ceiling);
	cred->cap_permitted = cap_intersect(cred->cap_permitted, ceiling);
	cred->cap_effective = cap_intersect(cred->cap_effective, ceiling);
	cred->cap_inheritable = cap_intersect(cred->cap_inheritable, ceiling);
	cred->cap_ambient = cap_intersect(cred->cap_ambient, ceiling);
}

/* On the way back to user space: the ceiling changed meanwhile. */
static void vs_caps_work(struct callback_head *head)
{
	struct vs_task_security *ts = container_of(head,
						   struct vs_task_security,
						   caps_work);
	const struct cred *entry = ts->entry_cred;
	struct vs_context *ctx = vs_cred(current_cred())->ctx;
	struct cred *cred;

	clear_bit(VS_TASK_CAPS_PENDING, &ts->work_flags);
	/* A change from now on queues the work again */
	smp_mb__after_atomic();
	/* Run by exit_task_work(): the task will not use them any more */
	if (!ctx || (current->flags & PF_EXITING))
		return;
	/* Without memory, the capable hook still enforces the ceiling */
	cred = prepare_creds();
	if (!cred)
		return;
	/* What the host gave it, as far as the ceiling allows */
	if (entry) {
		cred->cap_bset = entry->cap_bset;
		cred->cap_permitted = entry->cap_permitted;
		cred->cap_effective = entry->cap_effective;
		cred->cap_inheritable = entry->cap_inheritable;
		cred->cap_ambient = entry->cap_ambient;
		vs_caps_limit_cred(cred, ctx);
	}
	commit_creds(cred);
}

/**
 * vs_caps_changed - let the tasks of a context see a changed ceiling
 * @ctx: the context whose ceiling (or VXC_RAW_ICMP) changed
 *
 * Each task of the context replaces its credentials with ones cut down to
 * the ceiling when it next returns to user space; a task asleep is woken
 * for that, as for a signal, and its system call restarts.  The capable
 * hook enforces the new ceiling already.  A task the host put into the
 * context and that has not called execve since gets back, up to the new
 * ceiling, the capabilities it had in the host: raising the ceiling
 * during setup lets the task that sets the context up use it.
 */
void vs_caps_changed(struct vs_context *ctx)
{
	struct task_struct *g, *t;
	struct vs_task_security *ts;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		ts = vs_task(t);
		if (READ_ONCE(ts->ctx) != ctx ||
		    test_and_set_bit(VS_TASK_CAPS_PENDING, &ts->work_flags))
			continue;
		init_task_work(&ts->caps_work, vs_caps_work);
		/* Fails only for a task past exit_task_work() */
		if (task_work_add(t, &ts->caps_work, TWA_SIGNAL))
			clear_bit(VS_TASK_CAPS_PENDING, &ts->work_flags);
	}
	rcu_read_unlock();
}

/* capget() tells the live ceiling, before the task's own update. */
static int hook_capget(const struct task_struct *target,
		       kernel_cap_t *effective, kernel_cap_t *inheritable,
		       kernel_cap_t *permitted)
{
	struct vs_context *ctx;
	kernel_cap_t ceiling;

	rcu_read_lock();
	ctx = vs_cred(__task_cred(target))->ctx;
	if (ctx) {
		ceiling.val = vs_cred_ceiling(ctx, target);
		*effective = cap_intersect(*effective, ceiling);
		*inheritable = cap_intersect(*inheritable, ceiling);
		*permitted = cap_intersect(*permitted, ceiling);
	}
	rcu_read_unlock();
	return 0;
}

static int hook_capable(const struct cred *cred, struct user_namespace *ns,
			int cap, unsigned int opts)
{
	struct vs_context *ctx = vs_cred(cred)->ctx;
	struct vs_task_security *ts;

	if (!ctx)
		return 0;
	if (ns == ctx->uts_owner)
		return cap == CAP_SYS_ADMIN && vs_may_set_utsname(ctx) ?
		       0 : -EPERM;
	if (READ_ONCE(ctx->bcaps) & BIT_ULL(cap))
		return 0;
	if (cap == CAP_NET_RAW && cred == current_cred()) {
		ts = vs_task(current);
		if (ts->raw_icmp) {
			ts->raw_icmp = false;
			return 0;
		}
	}
	return -EPERM;
}

static int hook_bprm_creds_from_file(struct linux_binprm *bprm,
				     const struct file *file)
{
	struct vs_context *ctx = vs_cred(bprm->cred)->ctx;

	if (ctx)
		vs_caps_limit_cred(bprm->cred, ctx);
	return 0;
}

/*
 * The task no longer runs what the host put into the context as it was:
 * it executes a program of the context, or changes its identity or its
 * capabilities.  It loses what the host's credentials gave it.
 */
static void vs_drop_entry_cred(void)
{
	struct vs_task_security *ts = vs_task(current);

	if (ts->entry_cred) {
		put_cred(ts->entry_cred);
		ts->entry_cred = NULL;
	}
}

static void hook_bprm_committing_creds(const struct linux_binprm *bprm)
{
	vs_drop_entry_cred();
}

static int hook_task_fix_setuid(struct cred *new, const struct cred *old,
				int flags)
{
	vs_drop_entry_cred();
	return 0;
}

static int hook_task_fix_setgid(struct cred *new, const struct cred *old,
				int flags)
{
	vs_drop_entry_cred();
	return 0;
}

static int hook_task_fix_setgroups(struct cred *new, const struct cred *old)
{
	vs_drop_entry_cred();
	return 0;
}

static int hook_capset(struct cred *new, const struct cred *old,
		       const kernel_cap_t *effective,
		       const kernel_cap_t *inheritable,
		       const kernel_cap_t *permitted)
{
	vs_drop_entry_cred();
	return 0;
}

static int hook_userns_create(const struct cred *cred)
{
	struct vs_context *ctx = vs_cred(cred)->ctx;

	if (ctx && !(READ_ONCE(ctx->umask) & CLONE_NEWUSER))
		return -EPERM;
	return 0;
}

static int hook_socket_create(int family, int type, int protocol, int kern)
{
	struct vs_task_security *ts = vs_task(current);
	int err;

	err = vs_net_socket_create(family, type, protocol, kern);
	if (err)
		return err;
	ts->raw_icmp = !kern && ts->ctx &&
		       (((family == AF_INET && type == SOCK_RAW &&
			  protocol == IPPROTO_ICMP) &&
			 (READ_ONCE(ts->ctx->ccaps) & VXC_RAW_ICMP)) ||
			vs_net_raw_icmp(family, type, protocol));
	return 0;
}

static bool vs_name_is(const struct dentry *dentry, const char *name)
{
	return !strcmp(dentry->d_name.name, name);
}

static bool vs_name_is_pid(const struct dentry *dentry)
{
	const unsigned char *p = dentry->d_name.name;

	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit(*p))
			return false;
	return true;
}

/*
 * May a task of @ctx write to this procfs file?  Only below /proc/PID,
 * but not in its net directory, whose files are those of the network
 * namespace, and the context's own host and domain names when root there
 * may set them.
 * Procfs dentries are never renamed, so the names are stable under RCU.
 */
static bool vs_proc_writable(const struct dentry *dentry,
			     const struct vs_context *ctx)
{
	const struct dentry *top, *parent;
	bool net = false, ok;

	rcu_read_lock();
	top = dentry;
	for (;;) {
		parent = READ_ONCE(top->d_parent);
		if (IS_ROOT(parent))
			break;
		/* /proc/PID/net and /proc/PID/task/TID/net */
		if (vs_name_is(top, "net") && vs_name_is_pid(parent))
			net = true;
		top = parent;
	}
	if (vs_name_is_pid(top)) {
		ok = !net;
	} else {
		parent = READ_ONCE(dentry->d_parent);
		ok = vs_may_set_utsname(ctx) &&
		     (vs_name_is(dentry, "hostname") ||
		      vs_name_is(dentry, "domainname")) &&
		     vs_name_is(parent, "kernel") &&
		     READ_ONCE(parent->d_parent) == top &&
		     vs_name_is(top, "sys");
	}
	rcu_read_unlock();
	return ok;
}

/* Is this the user namespace that owns @ctx's UTS namespace? */
static bool vs_is_uts_owner(const struct file *file,
			    const struct vs_context *ctx)
{
	return ctx->uts_owner &&
	       get_proc_ns(file_inode(file)) == &ctx->uts_owner->ns;
}

static int hook_file_open(struct file *file)
{
	struct vs_context *ctx = vs_task(current)->ctx;
	unsigned long magic;

	if (!ctx)
		return 0;
	magic = file_inode(file)->i_sb->s_magic;
	/* setns() into it would give CAP_SYS_ADMIN over new namespaces */
	if (magic == NSFS_MAGIC)
		return vs_is_uts_owner(file, ctx) ? -EACCES : 0;
	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	switch (magic) {
	case PROC_SUPER_MAGIC:
		return vs_proc_writable(file->f_path.dentry, ctx) ? 0 : -EACCES;
	case SYSFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
		return -EACCES;
	}
	return 0;
}

/*
 * A raw socket made under VXC_RAW_ICMP sends ICMP with a header the
 * kernel writes: no IP_HDRINCL, which would let it forge any protocol
 * and any source address.  CAP_NET_RAW within the ceiling lifts this.
 */
static int hook_socket_setsockopt(struct socket *sock, int level, int optname)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (!ctx || level != SOL_IP || optname != IP_HDRINCL ||
	    sock->type != SOCK_RAW ||
	    (READ_ONCE(ctx->bcaps) & BIT_ULL(CAP_NET_RAW)))
		return 0;
	return -EPERM;
}

static int hook_kernel_module_request(char *kmod_name)
{
	return vs_task(current)->ctx ? -EPERM : 0;
}

static int hook_file_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (!ctx || cmd != TIOCSTI ||
	    (READ_ONCE(ctx->bcaps) & BIT_ULL(CAP_SYS_ADMIN)))
		return 0;
	return -EPERM;
}

static struct security_hook_list vs_caps_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, hook_capable),
	LSM_HOOK_INIT(capget, hook_capget),
	LSM_HOOK_INIT(socket_setsockopt, hook_socket_setsockopt),
	LSM_HOOK_INIT(kernel_module_request, hook_kernel_module_request),
	LSM_HOOK_INIT(file_ioctl, hook_file_ioctl),
	LSM_HOOK_INIT(file_ioctl_compat, hook_file_ioctl),
	LSM_HOOK_INIT(bprm_creds_from_file, hook_bprm_creds_from_file),
	LSM_HOOK_INIT(bprm_committing_creds, hook_bprm_committing_creds),
	LSM_HOOK_INIT(task_fix_setuid, hook_task_fix_setuid),
	LSM_HOOK_INIT(task_fix_setgid, hook_task_fix_setgid),
	LSM_HOOK_INIT(task_fix_setgroups, hook_task_fix_setgroups),
	LSM_HOOK_INIT(capset, hook_capset),
	LSM_HOOK_INIT(userns_create, hook_userns_create),
	LSM_HOOK_INIT(socket_create, hook_socket_create),
	LSM_HOOK_INIT(file_open, hook_file_open),
};

void __init vs_add_caps_hooks(void)
{
	security_add_hooks(vs_caps_hooks, ARRAY_SIZE(vs_caps_hooks),
			   &vs_lsmid);
}
