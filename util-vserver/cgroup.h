/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory cgroup of a context.
 *
 * The kernel's vserver code does not count memory: the memory cgroup
 * (cgroup v2) does.  The cgroup of context XID is <root>/vserver/XID,
 * where <root> is the unified hierarchy, /sys/fs/cgroup.  Binding a
 * context creates it, with the memory controller enabled on the way,
 * and moves the processes of the context into it.  Processes in a context
 * cannot write to cgroupfs, so they cannot leave it; their children are
 * born in it.
 *
 * Nothing here prints.  Functions return 0 (or a count, or a state), or
 * -1 with errno; cgroup_what() then says what failed, as "<verb> <path>"
 * ("write /sys/fs/cgroup/vserver/42/memory.max"), for the tools to word
 * the message.
 */

#ifndef VSERVER_UTILS_CGROUP_H
#define VSERVER_UTILS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where the unified hierarchy is mounted */
#define CGROUP_ROOT		"/sys/fs/cgroup"

/*
 * The environment variable that replaces CGROUP_ROOT, for tests: a
 * directory that imitates cgroupfs.
 */
#define CGROUP_ROOT_ENV		"VSERVER_CGROUP_ROOT"

/* The directory below the root that holds one cgroup per context */
#define CGROUP_PARENT		"vserver"

/* The root in use: $VSERVER_CGROUP_ROOT, or CGROUP_ROOT */
const char *cgroup_root(void);

/*
 * cgroup_path - the path of file (NULL: the directory itself) in the
 * cgroup of context xid, in buf of len bytes.  Returns 0, or -1 with
 * errno ENAMETOOLONG.
 */
int cgroup_path(char *buf, size_t len, uint32_t xid, const char *file);

/* Whether memory cgroups can be used, as cgroup_probe() finds */
enum cgroup_state {
	CGROUP_READY,		/* cgroup2 at the root, with memory */
	CGROUP_NOT_MOUNTED,	/* no cgroup2 entry for the root in mounts */
	CGROUP_NO_MEMORY,	/* "memory" is not in cgroup.controllers */
};

/*
 * cgroup_probe - whether the root is a cgroup2 mount (an entry in
 * /proc/self/mounts) whose controllers include memory.  Returns an enum
 * cgroup_state, or -1 with errno when a file cannot be read.
 */
int cgroup_probe(void);

/*
 * cgroup_exists - 1 when context xid has a cgroup directory, 0 when not,
 * -1 with errno on another error.
 */
int cgroup_exists(uint32_t xid);

/*
 * The memory of a cgroup.  Limits and the peak are bytes, CRLIM_INFINITY
 * for "max"; the counts are those of memory.events.
 */
struct cgroup_memory {
	uint64_t current;	/* memory.current */
	uint64_t peak;		/* memory.peak, when has_peak */
	bool has_peak;		/* kernels before 5.19 have no memory.peak */
	uint64_t high;		/* memory.high: the soft limit */
	uint64_t max;		/* memory.max: the hard limit */
	uint64_t events_max;	/* times the usage was about to go over max */
	uint64_t events_oom;	/* times the cgroup was out of memory */
	uint64_t events_oom_kill; /* processes the OOM killer killed */
};

/*
 * cgroup_read_memory - the memory of the cgroup of context xid into *m.
 * Returns 0, or -1 with errno (ENOENT when the context has no cgroup).
 */
int cgroup_read_memory(uint32_t xid, struct cgroup_memory *m);

/*
 * cgroup_create - make the cgroup of context xid, if it does not exist:
 * <root>/vserver (if missing) and <root>/vserver/xid, with "+memory"
 * written into the cgroup.subtree_control of <root> and of
 * <root>/vserver where memory is not enabled yet.  Returns 0, or -1 with
 * errno.
 */
int cgroup_create(uint32_t xid);

/*
 * cgroup_set_memory - write the soft limit high into memory.high and the
 * hard limit max into memory.max of the cgroup of context xid: a number
 * of bytes, CRLIM_INFINITY ("max"), or CRLIM_KEEP (not written).  The
 * hard limit is written first.  Returns 0, or -1 with errno.
 */
int cgroup_set_memory(uint32_t xid, uint64_t high, uint64_t max);

/*
 * cgroup_move - move process pid into the cgroup of context xid (its
 * cgroup.procs).  Returns 0, or -1 with errno (ESRCH: no such process).
 */
int cgroup_move(uint32_t xid, pid_t pid);

/*
 * cgroup_move_context - move every process of context xid into its
 * cgroup: each pid in /proc whose vs_task_xid() is xid.  Processes that
 * exit meanwhile are skipped.  Returns the number moved, or -1 with errno.
 */
int cgroup_move_context(uint32_t xid);

/*
 * cgroup_remove - remove the cgroup directory of context xid.  Returns 0,
 * or -1 with errno (ENOENT: there is none; EBUSY: processes are in it).
 */
int cgroup_remove(uint32_t xid);

/*
 * cgroup_what - what the last failing call above failed to do, as "<verb>
 * <object>": "create /sys/fs/cgroup/vserver/42", "read
 * /proc/self/mounts", "enable the memory controller in /sys/fs/cgroup",
 * "move process 123 into /sys/fs/cgroup/vserver/42".
 */
const char *cgroup_what(void);

#endif /* VSERVER_UTILS_CGROUP_H */
