// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Changing the limits of a context; see ctxlimit.h.
 */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <vserver.h>

#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "ctxlimit.h"

void ctxlimit_parse(char *const *args, size_t n, struct rlimit_setting *s,
		    const char *cmd)
{
	enum rlimit_parse_error why;
	const char *bad;
	size_t badlen, i, j;

	for (i = 0; i < n; i++) {
		if (rlimit_parse_setting(args[i], &s[i], &why, &bad,
					 &badlen) != 0) {
			const char *name = s[i].r ? s[i].r->name : "";

			switch (why) {
			case LIM_NO_EQUALS:
				usage_error(cmd, "missing '=' in '%s'",
					    args[i]);
			case LIM_UNKNOWN:
				usage_error(cmd, "unknown resource '%.*s'",
					    (int)badlen, bad);
			case LIM_EMPTY:
				usage_error(cmd, "%s: no limit given", name);
			case LIM_INVALID:
				usage_error(cmd, "%s: invalid limit '%.*s'",
					    name, (int)badlen, bad);
			case LIM_RANGE:
				usage_error(cmd, "%s: limit '%.*s' is out of "
					    "range", name, (int)badlen, bad);
			case LIM_SOFT_ABOVE_HARD:
				usage_error(cmd, "%s: soft limit above hard "
					    "limit", name);
			}
			usage_error(cmd, "invalid argument '%s'", args[i]);
		}
		for (j = 0; j < i; j++)
			if (s[j].r == s[i].r)
				usage_error(cmd, "%s: given more than once",
					    s[i].r->name);
	}
}

bool ctxlimit_have(const struct rlimit_setting *s, size_t n,
		   enum rlimit_kind kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i].r->kind == kind)
			return true;
	return false;
}

/* Exit with "<name>: cannot <what failed>: <errno>" after a cgroup call */
static void __attribute__((noreturn)) die_cgroup(const char *name)
{
	errx(VS_EXIT_FAILURE, "%s: cannot %s: %s", name, cgroup_what(),
	     strerror(errno));
}

/* The kernel has every kernel resource of s[0..n) */
static void check_supported(const struct rlimit_setting *s, size_t n)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;
	size_t i;

	if (!ctxlimit_have(s, n, RLIMIT_KIND_KERNEL))
		return;
	if (vs_get_rlimit_mask(&mask) != 0)
		die_vserver_call("get_rlimit_mask");
	for (i = 0; i < n; i++)
		if (s[i].r->kind == RLIMIT_KIND_KERNEL &&
		    !rlimit_supported(&mask, s[i].r))
			errx(VS_EXIT_FAILURE, "%s: not supported by this "
			     "kernel", s[i].r->name);
}

/* Memory cgroups can be used, or exit saying why not */
static void check_cgroup(const char *name)
{
	switch (cgroup_probe()) {
	case CGROUP_READY:
		return;
	case CGROUP_NOT_MOUNTED:
		errx(VS_EXIT_FAILURE, "%s: the cgroup2 hierarchy is not "
		     "mounted on %s", name, cgroup_root());
	case CGROUP_NO_MEMORY:
		errx(VS_EXIT_FAILURE, "%s: the memory controller is not "
		     "available in %s", name, cgroup_root());
	}
	die_cgroup(name);
}

/*
 * Memory of existing context xid can be limited from here: the context
 * exists, the caller is in the host (cgroupfs is read-only in a context),
 * and the cgroups can be used.
 */
static void check_memory(uint32_t xid, const char *name)
{
	struct vcmd_ctx_stat_v0 stat;
	int self = vs_task_xid(0);

	if (self < 0)
		die_vserver_call("task_xid");
	if (self != VX_XID_HOST)
		errx(VS_EXIT_FAILURE, "%s: cannot be set from inside a "
		     "context", name);
	if (vs_ctx_stat(xid, &stat) != 0)
		die_context(xid, "find context %u", xid);
	check_cgroup(name);
}

/* The limits of s->r that context xid has now, into *soft and *hard */
static void current_limits(uint32_t xid, const struct rlimit_setting *s,
			   uint64_t *soft, uint64_t *hard)
{
	struct vcmd_ctx_rlimit_v0 cur;
	struct cgroup_memory m;
	int bound;

	if (s->r->kind == RLIMIT_KIND_KERNEL) {
		if (vs_get_rlimit(xid, s->r->id, &cur) != 0)
			die_context(xid, "read the %s limit of context %u",
				    s->r->name, xid);
		*soft = cur.softlimit;
		*hard = cur.maximum;
		return;
	}
	bound = cgroup_exists(xid);
	if (bound < 0 || (bound && cgroup_read_memory(xid, &m) != 0))
		die_cgroup(s->r->name);
	*soft = bound ? m.high : CRLIM_INFINITY;
	*hard = bound ? m.max : CRLIM_INFINITY;
}

/*
 * The limits would end up with the soft limit above the hard one once the
 * limit that stays (soft or hard, as it is now) is taken into account.
 */
static void check_result(const struct rlimit_setting *s, uint64_t cur_soft,
			 uint64_t cur_hard)
{
	uint64_t soft = s->soft == CRLIM_KEEP ? cur_soft : s->soft;
	uint64_t hard = s->hard == CRLIM_KEEP ? cur_hard : s->hard;
	char buf[LIM_VALUE_LEN];

	if (soft <= hard)
		return;
	errx(VS_EXIT_FAILURE, "%s: soft limit above hard limit (the %s limit "
	     "stays %s)", s->r->name, s->soft == CRLIM_KEEP ? "soft" : "hard",
	     rlimit_format(s->soft == CRLIM_KEEP ? soft : hard, buf));
}

void ctxlimit_check(uint32_t xid, const struct rlimit_setting *s, size_t n)
{
	uint64_t soft, hard;
	size_t i;

	check_supported(s, n);
	for (i = 0; i < n; i++)
		if (s[i].r->kind == RLIMIT_KIND_CGROUP)
			check_memory(xid, s[i].r->name);
	for (i = 0; i < n; i++) {
		current_limits(xid, &s[i], &soft, &hard);
		check_result(&s[i], soft, hard);
	}
}

void ctxlimit_check_new(const struct rlimit_setting *s, size_t n)
{
	size_t i;

	check_supported(s, n);
	for (i = 0; i < n; i++) {
		if (s[i].r->kind == RLIMIT_KIND_CGROUP)
			check_cgroup(s[i].r->name);
		check_result(&s[i], CRLIM_INFINITY, CRLIM_INFINITY);
	}
}

/*
 * The caller is inside context xid, which has left its setup: the kernel
 * refuses any change to its limits from there.  errno is kept.
 */
static bool limits_locked(uint32_t xid)
{
	struct vcmd_ctx_flags_v0 flags;
	int saved = errno;
	bool locked;

	locked = vs_task_xid(0) == (int)xid &&
		 vs_get_cflags(xid, &flags) == 0 &&
		 !(flags.flagword & VXF_STATE_SETUP);
	errno = saved;
	return locked;
}

/*
 * Setting s[failed] failed with errno; the ones before it of kinds were
 * made.
 */
static void __attribute__((noreturn))
die_setting(uint32_t xid, const struct rlimit_setting *s, size_t failed,
	    unsigned int kinds)
{
	int saved = errno;
	bool first = true;
	size_t i;

	for (i = 0; i < failed; i++) {
		if (!(kinds & CTXLIMIT_KIND(s[i].r->kind)))
			continue;
		if (first)
			fprintf(stderr, "%s: changed before the error below:",
				program_invocation_short_name);
		fprintf(stderr, " %s", s[i].r->name);
		first = false;
	}
	if (!first)
		fputc('\n', stderr);
	errno = saved;
	if (s[failed].r->kind == RLIMIT_KIND_CGROUP)
		die_cgroup(s[failed].r->name);
	if (errno == EPERM && limits_locked(xid))
		errx(VS_EXIT_FAILURE, "limits of context %u are locked (it has "
		     "left setup)", xid);
	die_context(xid, "set the %s limit of context %u", s[failed].r->name,
		    xid);
}

/* Bind context xid to its cgroup with the limits of s, and move pid in */
static int set_memory(uint32_t xid, const struct rlimit_setting *s,
		      pid_t pid)
{
	if (cgroup_create(xid) != 0 ||
	    cgroup_set_memory(xid, s->soft, s->hard) != 0)
		return -1;
	if (pid)
		return cgroup_move(xid, pid);
	return cgroup_move_context(xid) < 0 ? -1 : 0;
}

void ctxlimit_apply(uint32_t xid, const struct rlimit_setting *s, size_t n,
		    unsigned int kinds, pid_t pid)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!(kinds & CTXLIMIT_KIND(s[i].r->kind)))
			continue;
		if (s[i].r->kind == RLIMIT_KIND_CGROUP)
			ret = set_memory(xid, &s[i], pid);
		else
			ret = vs_set_rlimit(xid, s[i].r->id, s[i].soft,
					    s[i].hard);
		if (ret != 0)
			die_setting(xid, s, i, kinds);
	}
}
