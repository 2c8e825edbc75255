// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - capability ceilings and context capabilities
 *
 * A context's bcaps are a ceiling: its tasks never use a capability
 * outside it.  The capable hook enforces the ceiling as it is now, so
 * lowering it takes effect at once; a task's credentials are also cut
 * down to it when the task enters the context and at every execve, so
 * capget() and /proc/PID/status tell the truth and a setuid program
 * gains nothing outside it.
 *
 * The ccaps grant what the ceiling alone cannot express:
 * - VXC_SET_UTSNAME: the context's UTS namespace is owned by a user
 *   namespace of its own (see vs_context_create()), so the only capability
 *   checks against that namespace are sethostname()'s and
 *   setdomainname()'s, and they pass exactly when the ccap is set.
 * - VXC_RAW_ICMP: CAP_NET_RAW stays in the credentials, but when it is
 *   outside the ceiling it is honoured only while the task creates an
 *   AF_INET raw socket for ICMP (until socket_post_create, in limit.c).
 *
 * A task in a context also cannot write to the kernel's global knobs:
 * procfs outside /proc/PID, sysfs, cgroupfs, debugfs, tracefs and
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
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <uapi/linux/vserver.h>

#include "caps.h"
#include "setup.h"
#include "task.h"

/* The capabilities a task of @ctx may hold in its credentials */
static u64 vs_cred_ceiling(const struct vs_context *ctx)
{
	u64 caps = READ_ONCE(ctx->bcaps);

	if (READ_ONCE(ctx->ccaps) & VXC_RAW_ICMP)
		caps |= BIT_ULL(CAP_NET_RAW);
	return caps;
}

/**
 * vs_caps_limit_cred - cut credentials down to a context's ceiling
 * @cred: credentials being prepared
 * @ctx: the context they are for
 */
void vs_caps_limit_cred(struct cred *cred, struct vs_context *ctx)
{
	kernel_cap_t ceiling = { .val = vs_cred_ceiling(ctx) };

	cred->cap_bset = cap_intersect(cred->cap_bset, ceiling);
	cred->cap_permitted = cap_intersect(cred->cap_permitted, ceiling);
	cred->cap_effective = cap_intersect(cred->cap_effective, ceiling);
	cred->cap_inheritable = cap_intersect(cred->cap_inheritable, ceiling);
	cred->cap_ambient = cap_intersect(cred->cap_ambient, ceiling);
}

static int hook_capable(const struct cred *cred, struct user_namespace *ns,
			int cap, unsigned int opts)
{
	struct vs_context *ctx = vs_cred(cred)->ctx;
	struct vs_task_security *ts;

	if (!ctx)
		return 0;
	if (ns == ctx->uts_owner)
		return cap == CAP_SYS_ADMIN &&
		       (READ_ONCE(ctx->ccaps) & VXC_SET_UTSNAME) ? 0 : -EPERM;
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

	ts->raw_icmp = !kern && ts->ctx && family == AF_INET &&
		       type == SOCK_RAW && protocol == IPPROTO_ICMP &&
		       (READ_ONCE(ts->ctx->ccaps) & VXC_RAW_ICMP);
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
 * and the context's own host and domain names under VXC_SET_UTSNAME.
 * Procfs dentries are never renamed, so the names are stable under RCU.
 */
static bool vs_proc_writable(const struct dentry *dentry,
			     const struct vs_context *ctx)
{
	const struct dentry *top, *parent;
	bool ok;

	rcu_read_lock();
	top = dentry;
	for (;;) {
		parent = READ_ONCE(top->d_parent);
		if (IS_ROOT(parent))
			break;
		top = parent;
	}
	if (vs_name_is_pid(top)) {
		ok = true;
	} else {
		parent = READ_ONCE(dentry->d_parent);
		ok = (READ_ONCE(ctx->ccaps) & VXC_SET_UTSNAME) &&
		     (vs_name_is(dentry, "hostname") ||
		      vs_name_is(dentry, "domainname")) &&
		     vs_name_is(parent, "kernel") &&
		     READ_ONCE(parent->d_parent) == top &&
		     vs_name_is(top, "sys");
	}
	rcu_read_unlock();
	return ok;
}

static int hook_file_open(struct file *file)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (!ctx || !(file->f_mode & FMODE_WRITE))
		return 0;
	switch (file_inode(file)->i_sb->s_magic) {
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

static struct security_hook_list vs_caps_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, hook_capable),
	LSM_HOOK_INIT(bprm_creds_from_file, hook_bprm_creds_from_file),
	LSM_HOOK_INIT(userns_create, hook_userns_create),
	LSM_HOOK_INIT(socket_create, hook_socket_create),
	LSM_HOOK_INIT(file_open, hook_file_open),
};

void __init vs_add_caps_hooks(void)
{
	security_add_hooks(vs_caps_hooks, ARRAY_SIZE(vs_caps_hooks),
			   &vs_lsmid);
}
