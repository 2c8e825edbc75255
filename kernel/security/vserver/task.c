// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - per-task state
 */

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>

#include "setup.h"
#include "task.h"

/*
 * A new task belongs to the context of the task that creates it.  The blob
 * comes zeroed from the LSM framework, and the initial task's xid is 0, so
 * every task outside a context is in the host context.
 */
static int hook_task_alloc(struct task_struct *task,
			   unsigned long clone_flags)
{
	vs_task(task)->xid = vs_task_xid(current);
	return 0;
}

static struct security_hook_list vs_task_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, hook_task_alloc),
};

void __init vs_add_task_hooks(void)
{
	security_add_hooks(vs_task_hooks, ARRAY_SIZE(vs_task_hooks),
			   &vs_lsmid);
}
