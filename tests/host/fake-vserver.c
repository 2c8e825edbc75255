// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD shim that answers the vserver system call for the host tests,
 * so that vctx's output can be checked on a kernel without vserver support.
 * It replaces glibc's syscall(); libvserver calls the kernel through it.
 *
 *   FAKE_VSERVER_VERSION=N    VCMD_get_version returns N (strtoul base 0);
 *                             unset: every vserver command fails with ENOSYS
 *   FAKE_VSERVER_DISABLED=1   vserver is built in but not an active LSM:
 *                             every vserver command fails with EOPNOTSUPP,
 *                             whatever else is set, and /proc/virtual does
 *                             not exist
 *   FAKE_VSERVER_VCI=N        VCMD_get_vci returns N as a 32-bit int
 *   FAKE_VSERVER_VERSION_ERRNO=E, FAKE_VSERVER_VCI_ERRNO=E
 *                             make that command fail with errno E instead
 *
 * The context commands answer from a list of contexts:
 *
 *   FAKE_VSERVER_CONTEXTS="XID:NAME:TASKS:INITPID:FLAGWORD[:CAPS] ..."
 *                             the contexts that exist, separated by spaces;
 *                             CAPS is BCAPS:CCAPS:UMASK;
 *                             NAME may be empty, FLAGWORD and the optional
 *                             capability words are strtoull base 0 (by
 *                             default those of a new context: the ceiling
 *                             VX_BCAPS_DEFAULT, no ccaps, an empty umask);
 *                             a context this process creates with
 *                             VCMD_ctx_create is added for its lifetime,
 *                             with those words
 *   FAKE_VSERVER_UTS_<FIELD>=VALUE
 *                             VCMD_get_vhi_name answers VALUE for FIELD,
 *                             one of SYSNAME, NODENAME, RELEASE, VERSION,
 *                             MACHINE, DOMAINNAME, in every context; by
 *                             default Linux, fake, 6.12.0-vserver,
 *                             "#1 SMP PREEMPT_DYNAMIC", x86_64, (none)
 *   FAKE_VSERVER_TASK_XIDS="PID:XID ..."
 *                             VCMD_task_xid answers for these pids (0: the
 *                             caller); every other pid is in the host
 *   FAKE_VSERVER_WAIT=block   VCMD_wait_exit waits for a signal and fails
 *                             with EINTR; otherwise it returns at once
 *   FAKE_VSERVER_ERRNO_<CMD>=E
 *                             make command CMD fail with errno E, where CMD
 *                             is TASK_XID, VX_INFO, CTX_STAT, CTX_CREATE,
 *                             CTX_MIGRATE, GET_CFLAGS, SET_CFLAGS, CTX_KILL,
 *                             WAIT_EXIT, SET_VHI_NAME, GET_VHI_NAME,
 *                             GET_RLIMIT_MASK, GET_BCAPS, SET_BCAPS,
 *                             GET_CCAPS, SET_CCAPS, GET_UMASK or SET_UMASK;
 *                             for TASK_XID only the pids not in
 *                             FAKE_VSERVER_TASK_XIDS fail
 *   FAKE_VSERVER_LOG=FILE     append one line per context command to FILE:
 *                             its name, the id and the data it was given
 *   FAKE_VSERVER_PROC_VIRTUAL=DIR
 *                             opendir("/proc/virtual") opens DIR instead
 *
 * The resource limit commands answer from a file:
 *
 *   FAKE_VSERVER_RLIMIT_MASK=N
 *                             VCMD_get_rlimit_mask answers N (strtoul base
 *                             0) as its softlimit and maximum masks, and
 *                             the other limit commands fail with EINVAL
 *                             for an id not in N; by default N is 0
 *   FAKE_VSERVER_RLIMITS=FILE the limits of the contexts, one line
 *                             "XID ID SOFT HARD CURRENT MIN MAX HITS" per
 *                             limit, -1 for unlimited; a limit not in FILE
 *                             is unlimited and unused.  VCMD_set_rlimit,
 *                             VCMD_reset_hits and VCMD_reset_minmax write
 *                             their changes back to FILE
 *
 * FAKE_VSERVER_ERRNO_<CMD> also takes GET_RLIMIT, SET_RLIMIT, RLIMIT_STAT,
 * RESET_HITS and RESET_MINMAX, and SET_RLIMIT_<ID> to fail VCMD_set_rlimit
 * for limit id ID only.  As in the kernel, VCMD_set_rlimit fails
 * with EINVAL when the soft limit would end up above the hard limit, and
 * with EPERM when the caller (pid 0 of FAKE_VSERVER_TASK_XIDS) is in the
 * context and the context has left its setup; the reset commands fail
 * with EPERM when the caller is in a context.
 *
 * The memory cgroups of the contexts live in a directory that imitates
 * cgroupfs, which vctx and vlimit use when VSERVER_CGROUP_ROOT names it:
 *
 *   FAKE_VSERVER_CGROUP_ROOT=DIR
 *                             mkdir() of DIR or of a directory below it
 *                             adds the interface files cgroupfs would
 *                             have: cgroup.procs, cgroup.controllers
 *                             ("cpuset cpu io memory pids") and
 *                             cgroup.subtree_control, empty but for the
 *                             controllers; below DIR also memory.current
 *                             and memory.peak (0), memory.high and
 *                             memory.max (max) and memory.events (every
 *                             count 0).  rmdir() of a directory below DIR
 *                             fails with EBUSY when its cgroup.procs is
 *                             not empty, and removes those files first
 *   FAKE_VSERVER_MOUNTS=FILE  setmntent("/proc/self/mounts") opens FILE
 *
 * E is a number or a name such as EPERM.  Context commands on a context
 * that is not in the list fail with ESRCH; commands that change something
 * change nothing but the log.  They check their arguments as the kernel
 * does, though: a name field beyond VHIN_DOMAINNAME, a ccap other than
 * SET_UTSNAME and RAW_ICMP, or a umask bit other than CLONE_NEWUSER fail
 * with EINVAL, and a capability word that would gain a bit fails with
 * EPERM once the context has left its setup.  Other system calls are
 * passed on to the real syscall().
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/vserver.h>

/* What the faked kernel has: CAP_CHECKPOINT_RESTORE (40) is the last */
#define FAKE_ALL_BCAPS		((1ULL << 41) - 1)
/* The ceiling a new context starts with, as in the kernel */
#define FAKE_NEW_BCAPS		VX_BCAPS_DEFAULT
#define FAKE_CCAPS		(VXC_SET_UTSNAME | VXC_RAW_ICMP)
#define FAKE_UMASK		0x10000000ULL	/* CLONE_NEWUSER */

typedef long (*syscall_fn)(long, ...);
typedef DIR *(*opendir_fn)(const char *);
typedef int (*mkdir_fn)(const char *, mode_t);
typedef int (*rmdir_fn)(const char *);
typedef FILE *(*setmntent_fn)(const char *, const char *);

static long fail(int err)
{
	errno = err;
	return -1;
}

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM },	{ "ENOENT", ENOENT },	{ "ESRCH", ESRCH },
	{ "EINTR", EINTR },	{ "EACCES", EACCES },	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },	{ "EINVAL", EINVAL },	{ "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE },	{ "ENOSYS", ENOSYS },	{ "ENODATA", ENODATA },
	{ "EOPNOTSUPP", EOPNOTSUPP },
};

static int parse_errno(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, s) == 0)
			return errnos[i].value;
	return atoi(s);
}

static long answer(const char *value, const char *err_name)
{
	const char *err = getenv(err_name);

	if (err)
		return fail(parse_errno(err));
	if (!value)
		return fail(ENOSYS);
	/* The kernel returns an int: bit 31 arrives sign-extended */
	return (int32_t)(uint32_t)strtoul(value, NULL, 0);
}

struct fake_context {
	uint32_t xid;
	char name[VHILEN];
	uint32_t tasks;
	uint32_t initpid;
	uint64_t flagword;
	uint64_t bcaps;
	uint64_t ccaps;
	uint64_t umask;
};

/* Context xid from FAKE_VSERVER_CONTEXTS into *ctx; false if not there */
static bool find_context(uint32_t xid, struct fake_context *ctx)
{
	const char *list = getenv("FAKE_VSERVER_CONTEXTS");
	char *copy, *entry, *save = NULL;
	bool found = false;

	if (!list)
		return false;
	copy = strdup(list);
	if (!copy)
		return false;
	for (entry = strtok_r(copy, " ", &save); entry && !found;
	     entry = strtok_r(NULL, " ", &save)) {
		char *field[8] = { NULL }, *p = entry;
		int i;

		for (i = 0; i < 8 && p; i++) {
			field[i] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		if (!field[4] || strtoul(field[0], NULL, 10) != xid)
			continue;
		memset(ctx, 0, sizeof(*ctx));
		ctx->xid = xid;
		snprintf(ctx->name, sizeof(ctx->name), "%s", field[1]);
		ctx->tasks = (uint32_t)strtoul(field[2], NULL, 10);
		ctx->initpid = (uint32_t)strtoul(field[3], NULL, 10);
		ctx->flagword = strtoull(field[4], NULL, 0);
		ctx->bcaps = field[5] ? strtoull(field[5], NULL, 0) :
			     FAKE_NEW_BCAPS;
		ctx->ccaps = field[6] ? strtoull(field[6], NULL, 0) : 0;
		ctx->umask = field[7] ? strtoull(field[7], NULL, 0) : 0;
		found = true;
	}
	free(copy);
	return found;
}

/* The xid FAKE_VSERVER_TASK_XIDS gives pid, or -1 if it names none */
static long listed_task_xid(uint32_t pid)
{
	const char *list = getenv("FAKE_VSERVER_TASK_XIDS");
	const char *p = list;

	while (p && *p) {
		char *end;
		unsigned long entry_pid = strtoul(p, &end, 10);

		if (*end == ':') {
			unsigned long xid = strtoul(end + 1, &end, 10);

			if (entry_pid == pid)
				return (long)xid;
		}
		p = strchr(end, ' ');
		if (p)
			p++;
	}
	return -1;
}

static void log_call(const char *fmt, ...)
{
	const char *path = getenv("FAKE_VSERVER_LOG");
	va_list ap;
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	va_start(ap, fmt);
	vdprintf(fd, fmt, ap);
	va_end(ap);
	dprintf(fd, "\n");
	close(fd);
}

/* The errno FAKE_VSERVER_ERRNO_<name> asks for, or 0 */
static int forced_errno(const char *name)
{
	char var[64];
	const char *value;

	snprintf(var, sizeof(var), "FAKE_VSERVER_ERRNO_%s", name);
	value = getenv(var);
	return value ? parse_errno(value) : 0;
}

/* The first xid from VX_XID_MIN up that is not in the list */
static uint32_t free_xid(void)
{
	struct fake_context ctx;
	uint32_t xid = VX_XID_MIN;

	while (find_context(xid, &ctx))
		xid++;
	return xid;
}

/* The uname field a context shows, VHIN_SYSNAME..VHIN_DOMAINNAME */
static const char *uts_field(uint32_t field)
{
	static const struct {
		const char *var;
		const char *value;
	} fields[] = {
		[VHIN_SYSNAME] = { "FAKE_VSERVER_UTS_SYSNAME", "Linux" },
		[VHIN_NODENAME] = { "FAKE_VSERVER_UTS_NODENAME", "fake" },
		[VHIN_RELEASE] = { "FAKE_VSERVER_UTS_RELEASE",
				   "6.12.0-vserver" },
		[VHIN_VERSION] = { "FAKE_VSERVER_UTS_VERSION",
				   "#1 SMP PREEMPT_DYNAMIC" },
		[VHIN_MACHINE] = { "FAKE_VSERVER_UTS_MACHINE", "x86_64" },
		[VHIN_DOMAINNAME] = { "FAKE_VSERVER_UTS_DOMAINNAME",
				      "(none)" },
	};
	const char *value = getenv(fields[field].var);

	return value ? value : fields[field].value;
}

/*
 * Change the bits mask of old to their values in word, within valid, as
 * the kernel does: EINVAL for a bit set outside accept, EPERM for a bit
 * gained after the setup.
 */
static long change_word(const struct fake_context *ctx, uint64_t old,
			uint64_t word, uint64_t mask, uint64_t valid,
			uint64_t accept)
{
	uint64_t new;

	if (word & mask & ~accept)
		return fail(EINVAL);
	new = ((old & ~mask) | (word & mask)) & valid;
	if ((new & ~old) && !(ctx->flagword & VXF_STATE_SETUP))
		return fail(EPERM);
	return 0;
}

/* One limit of one context, a line of FAKE_VSERVER_RLIMITS */
struct fake_rlimit {
	uint32_t xid;
	uint32_t id;
	uint64_t soft, hard, current, min, max;
	uint32_t hits;
};

#define FAKE_MAX_RLIMITS	64

/* The limits in FAKE_VSERVER_RLIMITS; a missing file holds none */
static size_t read_rlimits(struct fake_rlimit *lim)
{
	const char *path = getenv("FAKE_VSERVER_RLIMITS");
	char soft[32], hard[32];
	size_t n = 0;
	FILE *f;

	f = path ? fopen(path, "re") : NULL;
	if (!f)
		return 0;
	while (n < FAKE_MAX_RLIMITS &&
	       fscanf(f, "%" SCNu32 " %" SCNu32 " %31s %31s %" SCNu64 " %"
		      SCNu64 " %" SCNu64 " %" SCNu32, &lim[n].xid, &lim[n].id,
		      soft, hard, &lim[n].current, &lim[n].min, &lim[n].max,
		      &lim[n].hits) == 8) {
		/* "-1" is all ones, CRLIM_INFINITY */
		lim[n].soft = strtoull(soft, NULL, 0);
		lim[n].hard = strtoull(hard, NULL, 0);
		n++;
	}
	fclose(f);
	return n;
}

static void write_rlimits(const struct fake_rlimit *lim, size_t n)
{
	const char *path = getenv("FAKE_VSERVER_RLIMITS");
	size_t i;
	FILE *f;

	f = path ? fopen(path, "we") : NULL;
	if (!f)
		return;
	for (i = 0; i < n; i++)
		fprintf(f, "%u %u %" PRId64 " %" PRId64 " %" PRIu64 " %" PRIu64
			" %" PRIu64 " %u\n", lim[i].xid, lim[i].id,
			(int64_t)lim[i].soft, (int64_t)lim[i].hard,
			lim[i].current, lim[i].min, lim[i].max, lim[i].hits);
	fclose(f);
}

/* Limit id of context xid in lim[], added unlimited and unused if new */
static struct fake_rlimit *find_rlimit(struct fake_rlimit *lim, size_t *n,
				       uint32_t xid, uint32_t id)
{
	static struct fake_rlimit spare;
	struct fake_rlimit *l;
	size_t i;

	for (i = 0; i < *n; i++)
		if (lim[i].xid == xid && lim[i].id == id)
			return &lim[i];
	l = *n < FAKE_MAX_RLIMITS ? &lim[(*n)++] : &spare;
	memset(l, 0, sizeof(*l));
	l->xid = xid;
	l->id = id;
	l->soft = CRLIM_INFINITY;
	l->hard = CRLIM_INFINITY;
	return l;
}

/* FAKE_VSERVER_RLIMIT_MASK: the limit ids the fake kernel has */
static uint32_t rlimit_mask(void)
{
	const char *mask = getenv("FAKE_VSERVER_RLIMIT_MASK");

	return mask ? (uint32_t)strtoul(mask, NULL, 0) : 0;
}

static bool rlimit_known(uint32_t id)
{
	return id < 32 && (rlimit_mask() & (1u << id));
}

/* A limit value in the log: keep, inf or the number */
static const char *rlimit_text(uint64_t value, char *buf, size_t len)
{
	if (value == CRLIM_KEEP)
		return "keep";
	if (value == CRLIM_INFINITY)
		return "inf";
	snprintf(buf, len, "%" PRIu64, value);
	return buf;
}

/* The caller is inside a context: FAKE_VSERVER_TASK_XIDS lists pid 0 */
static bool caller_in_context(void)
{
	return listed_task_xid(0) > VX_XID_SPECTATOR;
}

static long set_rlimit(const struct fake_context *ctx,
		       const struct vcmd_ctx_rlimit_v0 *limit)
{
	struct fake_rlimit lim[FAKE_MAX_RLIMITS], *l;
	uint64_t soft, hard;
	size_t n;

	if (!rlimit_known(limit->id))
		return fail(EINVAL);
	if (listed_task_xid(0) == (long)ctx->xid &&
	    !(ctx->flagword & VXF_STATE_SETUP))
		return fail(EPERM);
	n = read_rlimits(lim);
	l = find_rlimit(lim, &n, ctx->xid, limit->id);
	soft = limit->softlimit == CRLIM_KEEP ? l->soft : limit->softlimit;
	hard = limit->maximum == CRLIM_KEEP ? l->hard : limit->maximum;
	if (soft > hard)
		return fail(EINVAL);
	l->soft = soft;
	l->hard = hard;
	write_rlimits(lim, n);
	return 0;
}

/* VCMD_reset_hits (minmax false) and VCMD_reset_minmax for context xid */
static long reset_rlimits(uint32_t xid, bool minmax)
{
	struct fake_rlimit lim[FAKE_MAX_RLIMITS];
	size_t n = read_rlimits(lim), i;

	for (i = 0; i < n; i++) {
		if (lim[i].xid != xid)
			continue;
		if (minmax) {
			lim[i].min = lim[i].current;
			lim[i].max = lim[i].current;
		} else {
			lim[i].hits = 0;
		}
	}
	write_rlimits(lim, n);
	return 0;
}

/* A context created by this process exists from then on, empty */
static bool created;
static struct fake_context created_ctx;

static long context_command(uint32_t cmd, uint32_t id, void *data)
{
	struct fake_context ctx;
	bool exists = find_context(id, &ctx);
	int err;

	if (!exists && created && id == created_ctx.xid) {
		ctx = created_ctx;
		exists = true;
	}

	switch (cmd) {
	case VCMD_task_xid: {
		long xid;

		log_call("task_xid %u", id);
		xid = listed_task_xid(id);
		if (xid >= 0)
			return xid;
		err = forced_errno("TASK_XID");
		return err ? fail(err) : VX_XID_HOST;
	}
	case VCMD_vx_info: {
		struct vcmd_vx_info_v0 *info = data;

		log_call("vx_info %u", id);
		if ((err = forced_errno("VX_INFO")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		info->xid = ctx.xid;
		info->initpid = ctx.initpid;
		return 0;
	}
	case VCMD_ctx_stat: {
		struct vcmd_ctx_stat_v0 *stat = data;

		log_call("ctx_stat %u", id);
		if ((err = forced_errno("CTX_STAT")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		stat->tasks = ctx.tasks;
		stat->usecnt = ctx.tasks + 1;
		return 0;
	}
	case VCMD_ctx_create: {
		const struct vcmd_ctx_create *create = data;

		log_call("ctx_create %u flagword=0x%" PRIx64, id,
			 (uint64_t)create->flagword);
		if ((err = forced_errno("CTX_CREATE")))
			return fail(err);
		if (exists)
			return fail(EEXIST);
		memset(&created_ctx, 0, sizeof(created_ctx));
		created_ctx.xid = id == VX_XID_DYNAMIC ? free_xid() : id;
		created_ctx.flagword = create->flagword;
		created_ctx.bcaps = FAKE_NEW_BCAPS;
		created = true;
		return created_ctx.xid;
	}
	case VCMD_ctx_migrate: {
		const struct vcmd_ctx_migrate *migrate = data;

		log_call("ctx_migrate %u flagword=0x%" PRIx64, id,
			 (uint64_t)migrate->flagword);
		if ((err = forced_errno("CTX_MIGRATE")))
			return fail(err);
		if (!exists && id != VX_XID_SPECTATOR)
			return fail(ESRCH);
		return id;
	}
	case VCMD_get_cflags: {
		struct vcmd_ctx_flags_v0 *flags = data;

		log_call("get_cflags %u", id);
		if ((err = forced_errno("GET_CFLAGS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		flags->flagword = ctx.flagword;
		/* One-time bits that are clear can no longer change */
		flags->mask = ~(VXF_ONE_TIME & ~ctx.flagword);
		return 0;
	}
	case VCMD_set_cflags: {
		const struct vcmd_ctx_flags_v0 *flags = data;

		log_call("set_cflags %u flagword=0x%" PRIx64 " mask=0x%" PRIx64,
			 id, (uint64_t)flags->flagword, (uint64_t)flags->mask);
		if ((err = forced_errno("SET_CFLAGS")))
			return fail(err);
		return exists ? 0 : fail(ESRCH);
	}
	case VCMD_ctx_kill: {
		const struct vcmd_ctx_kill_v0 *kill = data;

		log_call("ctx_kill %u pid=%d sig=%d", id, kill->pid, kill->sig);
		if ((err = forced_errno("CTX_KILL")))
			return fail(err);
		return exists ? 0 : fail(ESRCH);
	}
	case VCMD_wait_exit: {
		struct vcmd_wait_exit_v0 *status = data;
		const char *wait = getenv("FAKE_VSERVER_WAIT");

		log_call("wait_exit %u", id);
		if ((err = forced_errno("WAIT_EXIT")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (wait && strcmp(wait, "block") == 0) {
			pause();
			return fail(EINTR);
		}
		status->reboot_cmd = 0;
		status->exit_code = 0;
		return 0;
	}
	case VCMD_set_vhi_name: {
		const struct vcmd_vhi_name_v0 *name = data;

		log_call("set_vhi_name %u field=%u name=%.*s", id, name->field,
			 (int)sizeof(name->name), name->name);
		if ((err = forced_errno("SET_VHI_NAME")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		return name->field > VHIN_DOMAINNAME ? fail(EINVAL) : 0;
	}
	case VCMD_get_vhi_name: {
		struct vcmd_vhi_name_v0 *name = data;

		log_call("get_vhi_name %u field=%u", id, name->field);
		if ((err = forced_errno("GET_VHI_NAME")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (name->field > VHIN_DOMAINNAME)
			return fail(EINVAL);
		if (name->field == VHIN_CONTEXT)
			memcpy(name->name, ctx.name, sizeof(name->name));
		else
			snprintf(name->name, sizeof(name->name), "%s",
				 uts_field(name->field));
		return 0;
	}
	case VCMD_get_bcaps: {
		struct vcmd_bcaps *caps = data;

		log_call("get_bcaps %u", id);
		if ((err = forced_errno("GET_BCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		caps->bcaps = ctx.bcaps;
		caps->bmask = ~0ULL;
		return 0;
	}
	case VCMD_set_bcaps: {
		const struct vcmd_bcaps *caps = data;

		log_call("set_bcaps %u bcaps=0x%" PRIx64 " bmask=0x%" PRIx64,
			 id, (uint64_t)caps->bcaps, (uint64_t)caps->bmask);
		if ((err = forced_errno("SET_BCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		return change_word(&ctx, ctx.bcaps, caps->bcaps, caps->bmask,
				   FAKE_ALL_BCAPS, ~0ULL);
	}
	case VCMD_get_ccaps: {
		struct vcmd_ctx_caps_v1 *caps = data;

		log_call("get_ccaps %u", id);
		if ((err = forced_errno("GET_CCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		caps->ccaps = ctx.ccaps;
		caps->cmask = ~0ULL;
		return 0;
	}
	case VCMD_set_ccaps: {
		const struct vcmd_ctx_caps_v1 *caps = data;

		log_call("set_ccaps %u ccaps=0x%" PRIx64 " cmask=0x%" PRIx64,
			 id, (uint64_t)caps->ccaps, (uint64_t)caps->cmask);
		if ((err = forced_errno("SET_CCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		return change_word(&ctx, ctx.ccaps, caps->ccaps, caps->cmask,
				   FAKE_CCAPS, FAKE_CCAPS);
	}
	case VCMD_get_umask: {
		struct vcmd_umask *umask = data;

		log_call("get_umask %u", id);
		if ((err = forced_errno("GET_UMASK")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		umask->umask = ctx.umask;
		umask->mask = ~0ULL;
		return 0;
	}
	case VCMD_set_umask: {
		const struct vcmd_umask *umask = data;

		log_call("set_umask %u umask=0x%" PRIx64 " mask=0x%" PRIx64,
			 id, (uint64_t)umask->umask, (uint64_t)umask->mask);
		if ((err = forced_errno("SET_UMASK")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		return change_word(&ctx, ctx.umask, umask->umask, umask->mask,
				   FAKE_UMASK, FAKE_UMASK);
	}
	case VCMD_get_rlimit_mask: {
		struct vcmd_ctx_rlimit_mask_v0 *mask = data;

		log_call("get_rlimit_mask %u", id);
		if ((err = forced_errno("GET_RLIMIT_MASK")))
			return fail(err);
		mask->minimum = 0;
		mask->softlimit = rlimit_mask();
		mask->maximum = rlimit_mask();
		return 0;
	}
	case VCMD_get_rlimit: {
		struct vcmd_ctx_rlimit_v0 *limit = data;
		struct fake_rlimit lim[FAKE_MAX_RLIMITS], *l;
		size_t n;

		log_call("get_rlimit %u id=%u", id, limit->id);
		if ((err = forced_errno("GET_RLIMIT")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (!rlimit_known(limit->id))
			return fail(EINVAL);
		n = read_rlimits(lim);
		l = find_rlimit(lim, &n, id, limit->id);
		limit->minimum = CRLIM_UNSET;
		limit->softlimit = l->soft;
		limit->maximum = l->hard;
		return 0;
	}
	case VCMD_set_rlimit: {
		const struct vcmd_ctx_rlimit_v0 *limit = data;
		char min[24], soft[24], hard[24], one[32];

		log_call("set_rlimit %u id=%u minimum=%s softlimit=%s "
			 "maximum=%s", id, limit->id,
			 rlimit_text(limit->minimum, min, sizeof(min)),
			 rlimit_text(limit->softlimit, soft, sizeof(soft)),
			 rlimit_text(limit->maximum, hard, sizeof(hard)));
		snprintf(one, sizeof(one), "SET_RLIMIT_%u", limit->id);
		if ((err = forced_errno("SET_RLIMIT")) ||
		    (err = forced_errno(one)))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		return set_rlimit(&ctx, limit);
	}
	case VCMD_rlimit_stat: {
		struct vcmd_rlimit_stat_v0 *stat = data;
		struct fake_rlimit lim[FAKE_MAX_RLIMITS], *l;
		size_t n;

		log_call("rlimit_stat %u id=%u", id, stat->id);
		if ((err = forced_errno("RLIMIT_STAT")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (!rlimit_known(stat->id))
			return fail(EINVAL);
		n = read_rlimits(lim);
		l = find_rlimit(lim, &n, id, stat->id);
		stat->hits = l->hits;
		stat->value = l->current;
		stat->minimum = l->min;
		stat->maximum = l->max;
		return 0;
	}
	case VCMD_reset_hits:
	case VCMD_reset_minmax:
		log_call("%s %u", cmd == VCMD_reset_hits ? "reset_hits" :
			 "reset_minmax", id);
		err = forced_errno(cmd == VCMD_reset_hits ? "RESET_HITS" :
				   "RESET_MINMAX");
		if (err)
			return fail(err);
		/* Only the host's administrator, before the context lookup */
		if (caller_in_context())
			return fail(EPERM);
		if (!exists)
			return fail(ESRCH);
		return reset_rlimits(id, cmd == VCMD_reset_minmax);
	default:
		return fail(ENOSYS);
	}
}

/* FAKE_VSERVER_DISABLED: built in, but left out of the active LSMs */
static bool vserver_disabled(void)
{
	const char *disabled = getenv("FAKE_VSERVER_DISABLED");

	return disabled && *disabled && strcmp(disabled, "0") != 0;
}

long syscall(long nr, ...)
{
	static syscall_fn real;
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr == VSERVER_NR_X86_64 || nr == VSERVER_NR_I386) {
		const char *version = getenv("FAKE_VSERVER_VERSION");

		if (vserver_disabled())
			return fail(EOPNOTSUPP);
		if (!version)
			return fail(ENOSYS);
		switch ((uint32_t)a[0]) {
		case VCMD_get_version:
			return answer(version, "FAKE_VSERVER_VERSION_ERRNO");
		case VCMD_get_vci:
			return answer(getenv("FAKE_VSERVER_VCI"),
				      "FAKE_VSERVER_VCI_ERRNO");
		default:
			return context_command((uint32_t)a[0], (uint32_t)a[1],
					       (void *)a[2]);
		}
	}

	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	if (!real)
		return fail(ENOSYS);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

DIR *opendir(const char *name)
{
	static opendir_fn real;
	const char *redirect = getenv("FAKE_VSERVER_PROC_VIRTUAL");

	if (!real)
		real = (opendir_fn)dlsym(RTLD_NEXT, "opendir");
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	if (strcmp(name, "/proc/virtual") == 0) {
		/* The kernel makes it only when vserver is active */
		if (vserver_disabled()) {
			errno = ENOENT;
			return NULL;
		}
		if (redirect)
			name = redirect;
	}
	return real(name);
}

/* The interface files of a cgroup, and what a new one holds */
static const struct {
	const char *name;
	const char *contents;
	bool root;		/* the root has it too */
} cgroup_files[] = {
	{ "cgroup.procs", "", true },
	{ "cgroup.controllers", "cpuset cpu io memory pids\n", true },
	{ "cgroup.subtree_control", "", true },
	{ "memory.current", "0\n", false },
	{ "memory.peak", "0\n", false },
	{ "memory.high", "max\n", false },
	{ "memory.max", "max\n", false },
	{ "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"
	  "oom_group_kill 0\n", false },
};

#define NR_CGROUP_FILES	(sizeof(cgroup_files) / sizeof(cgroup_files[0]))

/*
 * 1 when path is FAKE_VSERVER_CGROUP_ROOT, 2 when it is below it, 0
 * otherwise
 */
static int in_fake_cgroup(const char *path)
{
	const char *root = getenv("FAKE_VSERVER_CGROUP_ROOT");
	size_t len;

	if (!root || !*root)
		return 0;
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	if (strncmp(path, root, len) != 0)
		return 0;
	if (path[len] == '\0')
		return 1;
	return path[len] == '/' ? 2 : 0;
}

int mkdir(const char *path, mode_t mode)
{
	static mkdir_fn real;
	int where = in_fake_cgroup(path);
	char file[PATH_MAX];
	size_t i;

	if (!real)
		real = (mkdir_fn)dlsym(RTLD_NEXT, "mkdir");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	if (real(path, mode) != 0)
		return -1;
	if (!where)
		return 0;
	for (i = 0; i < NR_CGROUP_FILES; i++) {
		int fd;

		if (where == 1 && !cgroup_files[i].root)
			continue;
		snprintf(file, sizeof(file), "%s/%s", path,
			 cgroup_files[i].name);
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		if (dprintf(fd, "%s", cgroup_files[i].contents) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

int rmdir(const char *path)
{
	static rmdir_fn real;
	char file[PATH_MAX];
	struct stat st;
	size_t i;

	if (!real)
		real = (rmdir_fn)dlsym(RTLD_NEXT, "rmdir");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	if (in_fake_cgroup(path) == 2) {
		snprintf(file, sizeof(file), "%s/cgroup.procs", path);
		if (stat(file, &st) == 0 && st.st_size > 0) {
			errno = EBUSY;
			return -1;
		}
		for (i = 0; i < NR_CGROUP_FILES; i++) {
			snprintf(file, sizeof(file), "%s/%s", path,
				 cgroup_files[i].name);
			unlink(file);
		}
	}
	return real(path);
}

FILE *setmntent(const char *file, const char *type)
{
	static setmntent_fn real;
	const char *redirect = getenv("FAKE_VSERVER_MOUNTS");

	if (!real)
		real = (setmntent_fn)dlsym(RTLD_NEXT, "setmntent");
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	if (redirect && strcmp(file, "/proc/self/mounts") == 0)
		file = redirect;
	return real(file, type);
}
