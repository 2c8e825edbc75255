/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - per-task state
 */

#ifndef _SECURITY_VSERVER_TASK_H
#define _SECURITY_VSERVER_TASK_H

#include <linux/init.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "setup.h"

/**
 * struct vs_task_security - the vserver part of a task's security blob
 * @xid: the context the task belongs to; 0 is the host context
 */
struct vs_task_security {
	u32 xid;
};

static inline struct vs_task_security *
vs_task(const struct task_struct *task)
{
	return task->security + vs_blob_sizes.lbs_task;
}

static inline u32 vs_task_xid(const struct task_struct *task)
{
	return vs_task(task)->xid;
}

void __init vs_add_task_hooks(void);

#endif /* _SECURITY_VSERVER_TASK_H */
