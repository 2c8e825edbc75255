// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - disk limits: project quotas a context cannot lift
 *
 * A guest's disk space and inodes are limited by the quota of a project
 * whose id is the guest's xid.  The host gives every file of the guest's
 * tree that project id and every directory the PROJINHERIT flag, so that
 * what the guest creates is counted too, and sets the project's limits
 * with quotactl(2).  The filesystem then refuses with EDQUOT whatever
 * goes over them.  Nothing here counts anything; this file keeps a task
 * in a context from getting out of its project:
 *
 * - fileattr_set_prepare() refuses to change a project id or the
 *   PROJINHERIT flag when vs_project_locked() says so, as it does for
 *   tasks outside the initial user namespace (FS_IOC_FSSETXATTR and
 *   FS_IOC_SETFLAGS, under the inode lock and against what the
 *   filesystem reported, where an LSM hook would only see a pointer to
 *   user memory the caller can still change);
 * - quotactl(2) changes nothing in a context: no limits, no grace times,
 *   no quota on or off, whatever the ceiling.  It reads only the quota of
 *   the context's own project (which the kernel lets only CAP_SYS_ADMIN
 *   read), or of the caller's own user and group as the kernel allows
 *   anyone, and never walks the quotas of others.
 */

#include <linux/cred.h>
#include <linux/dqblk_xfs.h>
#include <linux/lsm_hooks.h>
#include <linux/quota.h>
#include <linux/sched.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/vserver.h>

#include "quota.h"
#include "setup.h"
#include "task.h"

/**
 * vs_project_locked - whether current may not change project quota ids
 *
 * Called by fileattr_set_prepare() before a change of the project id or
 * the PROJINHERIT flag of an inode.
 *
 * Return: true for a task in a vserver context, which gets EINVAL.
 */
bool vs_project_locked(void)
{
	return vs_initialized && vs_task(current)->ctx;
}

/* The reads quotactl(2) lets a task in a context make */
static bool vs_quota_readable(const struct vs_context *ctx, int cmd,
			      int type, int id)
{
	switch (cmd) {
	case Q_GETFMT:
	case Q_GETINFO:
	case Q_SYNC:
	case Q_XGETQSTAT:
	case Q_XGETQSTATV:
	case Q_XQUOTASYNC:
		return true;
	case Q_GETQUOTA:
	case Q_XGETQUOTA:
		switch (type) {
		case PRJQUOTA:
			return id >= 0 && (u32)id == ctx->xid;
		case USRQUOTA:
			return uid_eq(current_euid(),
				      make_kuid(current_user_ns(), id));
		case GRPQUOTA:
			return in_egroup_p(make_kgid(current_user_ns(), id));
		}
		return false;
	}
	return false;
}

static int hook_quotactl(int cmds, int type, int id,
			 const struct super_block *sb)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (!ctx || vs_quota_readable(ctx, cmds, type, id))
		return 0;
	return -EPERM;
}

static struct security_hook_list vs_quota_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(quotactl, hook_quotactl),
};

void __init vs_add_quota_hooks(void)
{
	security_add_hooks(vs_quota_hooks, ARRAY_SIZE(vs_quota_hooks),
			   &vs_lsmid);
}
