// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - per-context resource limits
 *
 * Each context counts what its tasks hold of a few resources, with the
 * LSM's own object hooks: tasks (task_alloc, and do_exit through
 * vs_task_exit()), open files (file_alloc/file_free), sockets
 * (socket_post_create and sock_graft/sk_free) and SysV IPC objects (the
 * ipc alloc/free hooks).  A charge is one atomic operation on the
 * context's own counter: no lock is shared between contexts, and none is
 * taken on fork or open.
 *
 * The hard limit refuses a charge that would exceed it, with the errno
 * the operation uses for exhaustion anyway; the soft limit only counts
 * its crossings.  Both are counted in the resource's hits.  An object is
 * uncharged from the context that was charged for it, which the object's
 * blob remembers.
 */

#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/ipc.h>
#include <linux/ipc_namespace.h>
#include <linux/lsm_hooks.h>
#include <linux/net.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/vserver.h>
#include <net/sock.h>
#include <uapi/linux/vserver.h>

#include "context.h"
#include "event.h"
#include "isolation.h"
#include "limit.h"
#include "setup.h"
#include "task.h"

/**
 * struct vs_resource_info - what the ABI and /proc call a resource
 * @id: the limit id, RLIMIT_* or VLIMIT_*
 * @label: its label in /proc/virtual/<xid>/limit
 */
struct vs_resource_info {
	u32 id;
	const char *label;
};

static const struct vs_resource_info vs_resources[VS_NR_RES] = {
	[VS_RES_NPROC] = { RLIMIT_NPROC, "PROC" },
	[VS_RES_NOFILE] = { RLIMIT_NOFILE, "FILES" },
	[VS_RES_NSOCK] = { VLIMIT_NSOCK, "SOCK" },
	[VS_RES_MSGQUEUE] = { RLIMIT_MSGQUEUE, "MSGQ" },
	[VS_RES_SHMEM] = { VLIMIT_SHMEM, "SHM" },
	[VS_RES_SEMARY] = { VLIMIT_SEMARY, "SEMA" },
	[VS_RES_NSEMS] = { VLIMIT_NSEMS, "SEMS" },
};

/**
 * vs_limit_mask - the limit ids this kernel implements
 *
 * Return: one bit per id of vs_resources[].
 */
u32 vs_limit_mask(void)
{
	u32 mask = 0;
	int i;

	for (i = 0; i < VS_NR_RES; i++)
		mask |= BIT(vs_resources[i].id);
	return mask;
}

/**
 * vs_limit_id_to_res - the resource behind a limit id
 * @id: RLIMIT_* or VLIMIT_*
 *
 * Return: the resource, or -EINVAL if this kernel does not implement @id.
 */
int vs_limit_id_to_res(u32 id)
{
	int i;

	for (i = 0; i < VS_NR_RES; i++)
		if (vs_resources[i].id == id)
			return i;
	return -EINVAL;
}

void vs_limits_init(struct vs_limit *limits)
{
	int i;

	for (i = 0; i < VS_NR_RES; i++) {
		limits[i].soft = CRLIM_INFINITY;
		limits[i].hard = CRLIM_INFINITY;
		limits[i].event_next = jiffies;
	}
}

static void vs_track_max(atomic64_t *max, s64 value)
{
	s64 old = atomic64_read(max);

	while (value > old && !atomic64_try_cmpxchg(max, &old, value))
		;
}

static void vs_track_min(atomic64_t *min, s64 value)
{
	s64 old = atomic64_read(min);

	while (value < old && !atomic64_try_cmpxchg(min, &old, value))
		;
}

/*
 * Count @n more units of @res in @ctx; with @check, refuse beyond hard.
 * The usage changes only if the charge is taken, so no reader ever sees
 * it above the hard limit, and a refusal never makes another charge fail.
 */
static bool __vs_limit_charge(struct vs_context *ctx, enum vs_resource res,
			      s64 n, bool check)
{
	struct vs_limit *l = &ctx->limits[res];
	u64 soft = READ_ONCE(l->soft), hard = READ_ONCE(l->hard);
	s64 old = atomic64_read(&l->value), value;

	do {
		value = old + n;
		if (check && (u64)value > hard) {
			atomic_inc(&l->hits);
			vs_event_limit(ctx, res, true);
			return false;
		}
	} while (!atomic64_try_cmpxchg(&l->value, &old, value));
	if ((u64)value > soft && (u64)old <= soft) {
		atomic_inc(&l->hits);
		vs_event_limit(ctx, res, false);
	}
	vs_track_max(&l->max, value);
	return true;
}

/**
 * vs_limit_charge - count one more unit of a resource
 * @ctx: the context
 * @res: the resource
 *
 * Return: true, or false if that would exceed the hard limit; both the
 * refusal and a crossing of the soft limit count as a hit.
 */
bool vs_limit_charge(struct vs_context *ctx, enum vs_resource res)
{
	return __vs_limit_charge(ctx, res, 1, true);
}

/**
 * vs_limit_force - count one more unit, even beyond the hard limit
 * @ctx: the context
 * @res: the resource
 *
 * For objects that exist already when the context learns of them.
 */
void vs_limit_force(struct vs_context *ctx, enum vs_resource res)
{
	__vs_limit_charge(ctx, res, 1, false);
}

/**
 * vs_limit_uncharge - count one unit of a resource less
 * @ctx: the context
 * @res: the resource
 */
void vs_limit_uncharge(struct vs_context *ctx, enum vs_resource res)
{
	struct vs_limit *l = &ctx->limits[res];

	vs_track_min(&l->min, atomic64_sub_return(1, &l->value));
}

/*
 * Semaphores are counted by the context's IPC namespace, whose own limit
 * (SEMMNS) enforces the hard limit: no hook sees how many a new array
 * has.  The namespace goes when the context ends, after a grace period.
 */
static s64 vs_nsems(struct vs_context *ctx)
{
	struct ipc_namespace *ipc;
	s64 nsems = 0;

	rcu_read_lock();
	ipc = READ_ONCE(ctx->ipc_ns);
	if (ipc)
		nsems = READ_ONCE(ipc->used_sems);
	rcu_read_unlock();
	return nsems;
}

/*
 * Copy the namespace's count into the resource, with its minimum, maximum
 * and a crossing of the soft limit.  This runs before every new array and
 * every semctl() in the context, and on every read of the limits.  The
 * count only drops with semctl(IPC_RMID) or at the end of the context, so
 * no peak goes unseen; a crossing is counted at the next look.
 */
static void vs_nsems_sync(struct vs_context *ctx)
{
	struct vs_limit *l = &ctx->limits[VS_RES_NSEMS];
	u64 soft = READ_ONCE(l->soft);
	s64 value = vs_nsems(ctx);
	s64 old = atomic64_xchg(&l->value, value);

	if ((u64)value > soft && (u64)old <= soft) {
		atomic_inc(&l->hits);
		vs_event_limit(ctx, VS_RES_NSEMS, false);
	}
	vs_track_max(&l->max, value);
	vs_track_min(&l->min, value);
}

/**
 * vs_sem_refused - count a semget() refused for the semaphore limit
 *
 * Called by ipc/sem.c when a new array would exceed the limit of the IPC
 * namespace, which in a context is the context's NSEMS hard limit.
 */
void vs_sem_refused(void)
{
	struct vs_context *ctx;

	if (!vs_initialized)
		return;
	ctx = vs_task(current)->ctx;
	if (!ctx)
		return;
	vs_nsems_sync(ctx);
	atomic_inc(&ctx->limits[VS_RES_NSEMS].hits);
	vs_event_limit(ctx, VS_RES_NSEMS, true);
}

/**
 * vs_limit_read - the state of one resource
 * @ctx: the context
 * @res: the resource
 * @stat: filled with the usage, min/max and hits
 */
void vs_limit_read(struct vs_context *ctx, enum vs_resource res,
		   struct vcmd_rlimit_stat_v0 *stat)
{
	struct vs_limit *l = &ctx->limits[res];
	s64 value;

	if (res == VS_RES_NSEMS)
		vs_nsems_sync(ctx);
	value = atomic64_read(&l->value);
	stat->id = vs_resources[res].id;
	stat->hits = atomic_read(&l->hits);
	stat->value = max(value, 0LL);
	stat->minimum = max(atomic64_read(&l->min), 0LL);
	stat->maximum = max(atomic64_read(&l->max), 0LL);
}

/**
 * vs_limit_set - change the limits of a resource
 * @ctx: the context, whose lock the caller holds
 * @res: the resource
 * @soft: the soft limit, or CRLIM_KEEP
 * @hard: the hard limit, or CRLIM_KEEP
 *
 * A soft limit that is kept is lowered to a new hard limit below it, as
 * historic kernels did: util-vserver's vlimit sets a hard limit alone.
 *
 * Return: 0, or -EINVAL if a soft limit given would exceed the hard limit.
 */
int vs_limit_set(struct vs_context *ctx, enum vs_resource res, u64 soft,
		 u64 hard)
{
	struct vs_limit *l = &ctx->limits[res];

	lockdep_assert_held(&ctx->lock);
	if (hard == CRLIM_KEEP)
		hard = l->hard;
	if (soft == CRLIM_KEEP)
		soft = min(l->soft, hard);
	if (soft > hard)
		return -EINVAL;
	WRITE_ONCE(l->soft, soft);
	WRITE_ONCE(l->hard, hard);
	if (res == VS_RES_NSEMS && ctx->ipc_ns)
		WRITE_ONCE(ctx->ipc_ns->sem_ctls[1], min_t(u64, hard, SEMMNS));
	return 0;
}

/**
 * vs_limits_reset - reset the hits, or the minimum and maximum, of every
 *	resource
 * @ctx: the context
 * @hits: reset the hits if true, else min and max to the current usage
 */
void vs_limits_reset(struct vs_context *ctx, bool hits)
{
	struct vs_limit *l;
	s64 value;
	int i;

	/* A crossing not yet seen belongs before the reset. */
	vs_nsems_sync(ctx);
	for (i = 0; i < VS_NR_RES; i++) {
		l = &ctx->limits[i];
		if (hits) {
			atomic_set(&l->hits, 0);
			continue;
		}
		value = atomic64_read(&l->value);
		atomic64_set(&l->min, value);
		atomic64_set(&l->max, value);
	}
}

static long long vs_limit_show_value(u64 value)
{
	return value == CRLIM_INFINITY ? -1 : (long long)value;
}

/**
 * vs_limits_show - /proc/virtual/<xid>/limit
 * @m: the file
 * @ctx: the context
 */
void vs_limits_show(struct seq_file *m, struct vs_context *ctx)
{
	struct vcmd_rlimit_stat_v0 stat;
	struct vs_limit *l;
	int i;

	seq_puts(m, "Limit\t current\t     min/max\t\t    soft/hard\t\thits\n");
	for (i = 0; i < VS_NR_RES; i++) {
		l = &ctx->limits[i];
		vs_limit_read(ctx, i, &stat);
		seq_printf(m, "%s:\t%8llu\t%8llu/%8llu\t%8lld/%8lld\t%6u\n",
			   vs_resources[i].label, stat.value, stat.minimum,
			   stat.maximum,
			   vs_limit_show_value(READ_ONCE(l->soft)),
			   vs_limit_show_value(READ_ONCE(l->hard)), stat.hits);
	}
}

static struct vs_object_security *vs_ipc(const struct kern_ipc_perm *perm)
{
	return perm->security + vs_blob_sizes.lbs_ipc;
}

/* Charge the current task's context for an object; remember it in @slot. */
static int vs_charge_current(struct vs_context **slot, enum vs_resource res,
			     int err)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (!ctx)
		return 0;
	if (!vs_limit_charge(ctx, res))
		return err;
	vs_context_get(ctx);
	*slot = ctx;
	return 0;
}

/* May run from RCU callbacks and softirqs. */
static void vs_uncharge(struct vs_context **slot, enum vs_resource res)
{
	struct vs_context *ctx = *slot;

	if (!ctx)
		return;
	*slot = NULL;
	vs_limit_uncharge(ctx, res);
	vs_context_put(ctx);
}

static int hook_file_alloc_security(struct file *file)
{
	return vs_charge_current(&vs_file(file)->charged, VS_RES_NOFILE,
				 -ENFILE);
}

static void hook_file_free_security(struct file *file)
{
	vs_uncharge(&vs_file(file)->charged, VS_RES_NOFILE);
	vs_uncharge(&vs_file(file)->accepting, VS_RES_NSOCK);
}

static int hook_socket_post_create(struct socket *sock, int family, int type,
				   int protocol, int kern)
{
	/* The raw ICMP grant (see caps.c) ends with the socket's creation. */
	vs_task(current)->raw_icmp = false;
	if (kern || !sock->sk)
		return 0;
	return vs_charge_current(&vs_sock(sock->sk)->charged, VS_RES_NSOCK,
				 -ENOBUFS);
}

/*
 * An accepted connection exists before the context learns of it, and
 * accept() may wait long for it.  Take its NSOCK place before the wait,
 * refusing accept() at the hard limit, and keep it on the new socket's
 * file; the connection takes it over when it is grafted onto the socket,
 * and a failed accept() gives it back when the file goes.
 */
static int hook_socket_accept(struct socket *sock, struct socket *newsock)
{
	if (!newsock->file)
		return 0;
	return vs_charge_current(&vs_file(newsock->file)->accepting,
				 VS_RES_NSOCK, -ENOBUFS);
}

static void hook_sock_graft(struct sock *sk, struct socket *parent)
{
	struct vs_object_security *sks = vs_sock(sk);
	struct vs_context **accepting = NULL;
	struct vs_context *ctx;

	if (parent && parent->file)
		accepting = &vs_file(parent->file)->accepting;
	if (sks->charged) {
		/* Counted already: the place taken for it is not needed. */
		if (accepting)
			vs_uncharge(accepting, VS_RES_NSOCK);
		return;
	}
	if (accepting && *accepting) {
		sks->charged = *accepting;
		*accepting = NULL;
		return;
	}
	/* Grafted outside accept(): counted, as it exists already. */
	ctx = vs_task(current)->ctx;
	if (!ctx || !in_task())
		return;
	vs_limit_force(ctx, VS_RES_NSOCK);
	vs_context_get(ctx);
	sks->charged = ctx;
}

static void hook_sk_free_security(struct sock *sk)
{
	vs_uncharge(&vs_sock(sk)->charged, VS_RES_NSOCK);
}

static int hook_msg_queue_alloc_security(struct kern_ipc_perm *perm)
{
	return vs_charge_current(&vs_ipc(perm)->charged, VS_RES_MSGQUEUE,
				 -ENOSPC);
}

static void hook_msg_queue_free_security(struct kern_ipc_perm *perm)
{
	vs_uncharge(&vs_ipc(perm)->charged, VS_RES_MSGQUEUE);
}

static int hook_shm_alloc_security(struct kern_ipc_perm *perm)
{
	return vs_charge_current(&vs_ipc(perm)->charged, VS_RES_SHMEM,
				 -ENOSPC);
}

static void hook_shm_free_security(struct kern_ipc_perm *perm)
{
	vs_uncharge(&vs_ipc(perm)->charged, VS_RES_SHMEM);
}

static int hook_sem_alloc_security(struct kern_ipc_perm *perm)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (ctx)
		vs_nsems_sync(ctx);
	return vs_charge_current(&vs_ipc(perm)->charged, VS_RES_SEMARY,
				 -ENOSPC);
}

/* IPC_RMID lowers the semaphore count: see its peak before that. */
static int hook_sem_semctl(struct kern_ipc_perm *perm, int cmd)
{
	struct vs_context *ctx = vs_task(current)->ctx;

	if (ctx)
		vs_nsems_sync(ctx);
	return 0;
}

static void hook_sem_free_security(struct kern_ipc_perm *perm)
{
	vs_uncharge(&vs_ipc(perm)->charged, VS_RES_SEMARY);
}

static struct security_hook_list vs_limit_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_alloc_security, hook_file_alloc_security),
	LSM_HOOK_INIT(file_free_security, hook_file_free_security),
	LSM_HOOK_INIT(socket_post_create, hook_socket_post_create),
	LSM_HOOK_INIT(socket_accept, hook_socket_accept),
	LSM_HOOK_INIT(sock_graft, hook_sock_graft),
	LSM_HOOK_INIT(sk_free_security, hook_sk_free_security),
	LSM_HOOK_INIT(msg_queue_alloc_security, hook_msg_queue_alloc_security),
	LSM_HOOK_INIT(msg_queue_free_security, hook_msg_queue_free_security),
	LSM_HOOK_INIT(shm_alloc_security, hook_shm_alloc_security),
	LSM_HOOK_INIT(shm_free_security, hook_shm_free_security),
	LSM_HOOK_INIT(sem_alloc_security, hook_sem_alloc_security),
	LSM_HOOK_INIT(sem_free_security, hook_sem_free_security),
	LSM_HOOK_INIT(sem_semctl, hook_sem_semctl),
};

void __init vs_add_limit_hooks(void)
{
	security_add_hooks(vs_limit_hooks, ARRAY_SIZE(vs_limit_hooks),
			   &vs_lsmid);
}
