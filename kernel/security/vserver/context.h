/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - security contexts
 */

#ifndef _SECURITY_VSERVER_CONTEXT_H
#define _SECURITY_VSERVER_CONTEXT_H

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <uapi/linux/vserver.h>

#include "limit.h"
#include "space.h"

/* Flags a context may carry; anything else is refused with -EINVAL. */
#define VS_VALID_FLAGS	(VXF_INFO_PRIVATE | VXF_VIRT_UPTIME | \
			 VXF_HIDE_VINFO | VXF_ONE_TIME | VXF_PERSISTENT)

/* Context capabilities this kernel implements */
#define VS_VALID_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP)

/* Namespaces a context may be allowed to create without privilege */
#define VS_VALID_UMASK	((u64)CLONE_NEWUSER)

struct ipc_namespace;
struct uts_namespace;
struct time_namespace;
struct user_namespace;

/* The range ctx_create picks from for VX_XID_DYNAMIC. */
#define VS_XID_DYNAMIC_MIN	49152
#define VS_XID_DYNAMIC_MAX	VX_XID_MAX

/**
 * struct vs_context - a security context
 * @xid: its id, VX_XID_MIN to VX_XID_MAX
 * @usage: references: one while the context is hashed, one per member task
 *	   (held from the task's creation or entry until it is freed), and
 *	   one per caller that looked it up
 * @lock: protects the fields below
 * @flags: VXF_* flags
 * @nr_tasks: tasks in the context that have not exited yet
 * @hashed: the context can be looked up and entered; cleared once, when
 *	    its last task exits (unless it is persistent) or when persistence
 *	    ends on an empty context
 * @init_pid: the context's init process, or NULL
 * @exit_code: exit code of the last task that exited
 * @reboot_cmd: the command of a reboot(2) that ended the context, or 0
 * @name: the context's name, NUL-terminated
 * @bcaps: the capability ceiling; read locklessly by the capable hook
 * @ccaps: VXC_* context capabilities; read locklessly
 * @umask: CLONE_NEW* flags the tasks may use without privilege
 * @start: boot time when the context was created, in ns
 * @uts_ns: the UTS namespace every task of the context joins
 * @uts_owner: the user namespace that owns @uts_ns, or NULL if the
 *	       creator's owns it (see vs_context_create())
 * @time_ns: the time namespace of VXF_VIRT_UPTIME, made on first use
 * @ipc_ns: the IPC namespace every task of the context joins, until the
 *	    context is unhashed; freed after an RCU grace period
 * @spaces: the VX_SPACES spaces (see space.c), made on first use, or NULL;
 *	    released when the context is unhashed
 * @badness: the OOM bias of VCMD_set_badness
 * @nr_forks: tasks forked in the context
 * @limits: usage and limits of each resource
 * @exit_wait: wait_exit callers, woken when @hashed is cleared
 * @event_pending: limit events to send, one bit per resource and kind
 * @event_work: sends them (see event.c)
 * @free_work: frees the context after a grace period
 */
struct vs_context {
	u32 xid;
	refcount_t usage;
	spinlock_t lock;	/* protects the fields below */
	u64 flags;
	unsigned int nr_tasks;
	bool hashed;
	struct pid *init_pid;
	int exit_code;
	unsigned int reboot_cmd;
	char name[VHILEN];
	u64 bcaps;
	u64 ccaps;
	u64 umask;
	u64 start;
	struct uts_namespace *uts_ns;
	struct user_namespace *uts_owner;
	struct time_namespace *time_ns;
	struct ipc_namespace *ipc_ns;
	struct vs_space *spaces;
	s64 badness;
	atomic_t nr_forks;
	struct vs_limit limits[VS_NR_RES];
	wait_queue_head_t exit_wait;
	unsigned long event_pending;
	struct work_struct event_work;
	struct rcu_work free_work;
};

extern atomic_t vs_nr_contexts;
extern atomic_t vs_nr_hashed;

struct vs_context *vs_context_create(u32 xid, u64 flags);
void vs_context_publish(struct vs_context *ctx);
struct vs_context *vs_context_lookup(u32 xid);
struct vs_context *vs_context_next(unsigned long *xid);
bool vs_context_hashed(u32 xid);
void vs_context_get(struct vs_context *ctx);
void vs_context_put(struct vs_context *ctx);
int vs_context_add_task(struct vs_context *ctx, bool limited, bool admit);
void vs_context_remove_task(struct vs_context *ctx, const int *exit_code);
void vs_context_unhash_if_empty(struct vs_context *ctx);
void vs_context_discard(struct vs_context *ctx);
pid_t vs_context_init_nr(struct vs_context *ctx);
int vs_context_kill(struct vs_context *ctx, int sig, bool spare_init);
struct time_namespace *vs_context_time_ns(struct vs_context *ctx);

#endif /* _SECURITY_VSERVER_CONTEXT_H */
