/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - per-context resource limits
 */

#ifndef _SECURITY_VSERVER_LIMIT_H
#define _SECURITY_VSERVER_LIMIT_H

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/types.h>

struct vs_context;
struct seq_file;

/* The resources this kernel counts, in /proc/virtual/<xid>/limit order */
enum vs_resource {
	VS_RES_NPROC,
	VS_RES_NOFILE,
	VS_RES_NSOCK,
	VS_RES_MSGQUEUE,
	VS_RES_SHMEM,
	VS_RES_SEMARY,
	VS_RES_NSEMS,
	VS_NR_RES,
};

/**
 * struct vs_limit - one resource of a context
 * @value: current usage
 * @min: lowest usage since the last reset
 * @max: highest usage since the last reset
 * @soft: soft limit: crossing it is counted in @hits
 * @hard: hard limit: a charge beyond it is refused and counted in @hits
 * @hits: refusals and soft-limit crossings
 * @event_next: jiffies before which no limit event of the resource is sent
 * @event_dropped: limit events left out since the last one sent
 *
 * Every field is updated without a lock; the limits are read with
 * READ_ONCE() and written under the context's lock.
 */
struct vs_limit {
	atomic64_t value;
	atomic64_t min;
	atomic64_t max;
	u64 soft;
	u64 hard;
	atomic_t hits;
	unsigned long event_next;
	atomic_t event_dropped;
};

struct vcmd_rlimit_stat_v0;

u32 vs_limit_mask(void);
int vs_limit_id_to_res(u32 id);
void vs_limits_init(struct vs_limit *limits);
bool vs_limit_charge(struct vs_context *ctx, enum vs_resource res);
void vs_limit_force(struct vs_context *ctx, enum vs_resource res);
void vs_limit_uncharge(struct vs_context *ctx, enum vs_resource res);
void vs_limit_read(struct vs_context *ctx, enum vs_resource res,
		   struct vcmd_rlimit_stat_v0 *stat);
int vs_limit_set(struct vs_context *ctx, enum vs_resource res, u64 soft,
		 u64 hard);
void vs_limits_reset(struct vs_context *ctx, bool hits);
void vs_limits_show(struct seq_file *m, struct vs_context *ctx);

/**
 * struct vs_object_security - the vserver part of the security blob of a
 *	socket or an IPC object
 * @charged: the context charged for the object, with a reference, or NULL
 * @xid: for a socket, the context it was made in (the host for
 *	 spectators), which it keeps whoever holds it later
 */
struct vs_object_security {
	struct vs_context *charged;
	u32 xid;
};

void __init vs_add_limit_hooks(void);

#endif /* _SECURITY_VSERVER_LIMIT_H */
