/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - the hooks that core kernel code calls
 *
 * Everything else of vserver is an LSM.  These few calls cover what no LSM
 * hook provides: procfs visibility (of tasks and of the entries in
 * /proc/virtual and /proc/virtnet), the VxID and NxID lines of
 * /proc/PID/status, getpriority(), the
 * moment a task leaves its context at exit, a semget() refused for
 * the semaphore limit, reboot(2) in a context, and a change of an
 * inode's project quota id.  Without CONFIG_VSERVER
 * they are empty inline functions, so the call sites need no #ifdef.
 */

#ifndef _LINUX_VSERVER_H
#define _LINUX_VSERVER_H

#include <uapi/linux/vserver.h>

struct seq_file;
struct task_struct;

#ifdef CONFIG_VSERVER

bool vs_task_visible(struct task_struct *task);
bool vs_proc_entry_visible(const void *parent_data, const void *data);
bool vs_proc_entry_may_hide(const void *parent_data);
void vs_proc_pid_status(struct seq_file *m, struct task_struct *task);
void vs_task_exit(struct task_struct *task);
void vs_sem_refused(void);
bool vs_reboot(int magic1, int magic2, unsigned int cmd, int *ret);
bool vs_project_locked(void);

#else /* !CONFIG_VSERVER */

static inline bool vs_task_visible(struct task_struct *task)
{
	return true;
}

static inline bool vs_proc_entry_visible(const void *parent_data,
					 const void *data)
{
	return true;
}

static inline bool vs_proc_entry_may_hide(const void *parent_data)
{
	return false;
}

static inline void vs_proc_pid_status(struct seq_file *m,
				      struct task_struct *task)
{
}

static inline void vs_task_exit(struct task_struct *task)
{
}

static inline void vs_sem_refused(void)
{
}

static inline bool vs_reboot(int magic1, int magic2, unsigned int cmd,
			     int *ret)
{
	return false;
}

static inline bool vs_project_locked(void)
{
	return false;
}

#endif /* CONFIG_VSERVER */

#endif /* _LINUX_VSERVER_H */
