/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Making a new context and running a program in it, and joining an
 * existing one: the steps "vctx create", "vctx enter" and the guest
 * manager share.  Every step reports its errors in the words the tools
 * share and exits 1.
 *
 * A new context is made in this order, each step a call here:
 *
 *	ctxexec_check()		before anything changes: the limits
 *				can be set on this kernel
 *	ctxexec_prepare()	the helper that binds the memory cgroup,
 *				forked while the caller is still in the host
 *	ctxexec_create()	create the context and move into it, bind
 *				the cgroup, set limits, names and ccaps
 *	ctxexec_set_ceiling()	lower the capability ceiling, which may
 *				take from the caller what it still needs
 *	ctxexec_end_setup()	become the init, end the setup
 *
 * The caller may do its own work between the steps, e.g. set up mounts
 * while it still has every capability.
 */

#ifndef VSERVER_UTILS_CTXEXEC_H
#define VSERVER_UTILS_CTXEXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <vserver.h>

#include "rlimit.h"

/* What a new context is made with */
struct ctx_spec {
	uint32_t xid;			/* VX_XID_DYNAMIC: a free one */
	uint64_t flagword;		/* VXF_* at creation */
	const char *name;		/* VHIN_CONTEXT, or NULL */
	/* VHIN_SYSNAME..VHIN_DOMAINNAME, NULL for those that stay */
	const char *uts[VHIN_DOMAINNAME + 1];
	bool secure;			/* start from bcaps_secure */
	uint64_t bcaps[2];		/* bits to set and to clear */
	uint64_t ccaps[2];		/* bits to set and to clear */
	const struct rlimit_setting *limits;
	size_t nlimits;
};

/* The helper of ctxexec_prepare(); zero when there is none */
struct ctx_binder {
	pid_t pid;
	int fd;			/* where the xid goes */
};

/* ctxexec_check - the limits of s can be set on a new context here */
void ctxexec_check(const struct ctx_spec *s);

/*
 * ctxexec_prepare - when s limits memory, fork the helper that binds the
 * new context to its memory cgroup: cgroupfs is read-only for a process
 * in a context, so the helper stays in the host.  It waits for the xid
 * from ctxexec_create(), then moves the caller into the cgroup.
 */
void ctxexec_prepare(struct ctx_binder *b, const struct ctx_spec *s);

/*
 * ctxexec_create - create the context of s and move the caller into it,
 * with VXF_STATE_SETUP as s->flagword has it; remove an empty cgroup an
 * earlier context with the same xid left; let the helper bind the
 * cgroup; set the kernel's limits, the names and the ccaps.  Returns the
 * xid.
 */
uint32_t ctxexec_create(struct ctx_binder *b, const struct ctx_spec *s);

/* ctxexec_set_ceiling - apply the capability ceiling of s to context xid */
void ctxexec_set_ceiling(uint32_t xid, const struct ctx_spec *s);

/*
 * ctxexec_end_setup - the caller, in context xid, becomes its init, then
 * the setup of the context ends.
 */
void ctxexec_end_setup(uint32_t xid);

/*
 * ctxexec_join_cgroup - from the host, move the caller into the memory
 * cgroup of context xid, if it has one, so that what it runs is limited
 * as the context is.  Nothing happens for xids below VX_XID_MIN, or when
 * the caller is not in the host (it could not leave its cgroup).
 */
void ctxexec_join_cgroup(uint32_t xid);

/*
 * ctxexec_exec - execvp(argv); on failure "failed to execute <argv[0]>"
 * and exit VS_EXIT_NOT_FOUND when the program is not there, else
 * VS_EXIT_CANNOT_EXEC.
 */
void __attribute__((noreturn)) ctxexec_exec(char **argv);

#endif /* VSERVER_UTILS_CTXEXEC_H */
