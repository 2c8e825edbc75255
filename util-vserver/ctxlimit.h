/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Changing the limits of a context, for vlimit and "vctx create --limit":
 * the checks made before anything changes, the changes, and their
 * messages.  Kernel limits go through libvserver, memory through the
 * memory cgroup of the context (cgroup.h).  Errors are reported in the
 * words the tools share, and exit 1.
 */

#ifndef VSERVER_UTILS_CTXLIMIT_H
#define VSERVER_UTILS_CTXLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rlimit.h"

/* Which resources ctxlimit_apply() changes: bits of enum rlimit_kind */
#define CTXLIMIT_KIND(kind)	(1u << (kind))
#define CTXLIMIT_ALL		(CTXLIMIT_KIND(RLIMIT_KIND_KERNEL) | \
				 CTXLIMIT_KIND(RLIMIT_KIND_CGROUP))

/*
 * ctxlimit_parse - the settings args[0..n) ("nproc=100", "memory=1G") into
 * s[0..n), or a usage error of cmd naming the first bad one ("unknown
 * resource 'nprocs'", "nofile: soft limit above hard limit", "nproc:
 * given more than once").  Nothing here asks the kernel.
 */
void ctxlimit_parse(char *const *args, size_t n, struct rlimit_setting *s,
		    const char *cmd);

/* True when one of s[0..n) is a resource of kind */
bool ctxlimit_have(const struct rlimit_setting *s, size_t n,
		   enum rlimit_kind kind);

/*
 * ctxlimit_check - check the settings s[0..n) of context xid before
 * anything changes, and exit with the reason if one cannot be made: a
 * resource the kernel cannot limit ("nproc: not supported by this
 * kernel"); memory without cgroup2 and its memory controller, or from
 * inside a context; a soft limit that would end up above the hard limit,
 * counting the limit that stays.
 */
void ctxlimit_check(uint32_t xid, const struct rlimit_setting *s, size_t n);

/*
 * ctxlimit_check_new - the same for a context still to be created: every
 * limit of a new context starts unlimited.
 */
void ctxlimit_check_new(const struct rlimit_setting *s, size_t n);

/*
 * ctxlimit_apply - make the settings of s[0..n) whose kinds are in the
 * CTXLIMIT_KIND() bits kinds, in order.  Memory binds context xid to its
 * cgroup first: cgroup_create(), the limits, then process pid moved into
 * it, or every process of the context when pid is 0.  When a change
 * fails, the changes made before are named ("changed before the error
 * below: nproc nsock"), then the error, and the process exits 1.
 */
void ctxlimit_apply(uint32_t xid, const struct rlimit_setting *s, size_t n,
		    unsigned int kinds, pid_t pid);

#endif /* VSERVER_UTILS_CTXLIMIT_H */
