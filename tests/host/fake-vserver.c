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
 * The network context commands answer from a directory, which also
 * stands in for /proc/virtnet, so that a context made by one process is
 * there for the next:
 *
 *   FAKE_VSERVER_NET_DIR=DIR  the network contexts: DIR/<nid>/info and
 *                             DIR/<nid>/status in the formats of
 *                             /proc/virtnet, and DIR/<nid>/state, what
 *                             the fake keeps; opendir("/proc/virtnet")
 *                             and fopen("/proc/virtnet/...") read DIR.
 *                             Unset: every network command fails with
 *                             EOPNOTSUPP, as on a kernel without network
 *                             contexts, and /proc/virtnet does not exist
 *   FAKE_VSERVER_NETS="NID:TASKS:FLAGWORD:NCAPS[:ADDR,...] ..."
 *                             the network contexts that exist before the
 *                             first command (written into DIR once);
 *                             ADDR is A/P, IPv4 or IPv6
 *   FAKE_VSERVER_TASK_NIDS="PID:NID ..."
 *                             VCMD_task_nid answers for these pids (0: the
 *                             caller); any other process is in the nid
 *                             that created or entered it, or one of its
 *                             ancestors, else in the host (0)
 *   FAKE_VSERVER_NETNS=1      VCMD_net_create gives the caller a new
 *                             network namespace for real, with lo up, and
 *                             keeps it (bind mount on DIR/<nid>/netns);
 *                             VCMD_net_migrate enters it (a context of
 *                             FAKE_VSERVER_NETS has none: the caller
 *                             stays where it is).  Needs the
 *                             privilege to unshare the network namespace
 *                             and to mount: run the test in a scratch
 *                             namespace ("unshare -rnm"), never on the
 *                             host's own network
 *   FAKE_VSERVER_NO_IPV6=1    VCMD_net_add_ipv6 and VCMD_net_remove_ipv6
 *                             fail with EOPNOTSUPP (a kernel without IPv6)
 *
 * They check what the kernel checks: nid 2..65535 (EINVAL) and not taken
 * (EEXIST) on create, an address type the command takes (EINVAL), a
 * duplicate address (EEXIST), an address to remove that is not there
 * (ESRCH), a context without NXF_STATE_ADMIN for net_migrate, the address
 * commands, set_nflags and set_ncaps (EACCES), a caller in a process
 * context for those (EPERM), NULL data where data is needed (EFAULT).  A
 * context made by VCMD_net_create is gone once the processes that created
 * or entered it have exited, unless it is persistent.  FAKE_VSERVER_LOG
 * gets a line per network command too, and FAKE_VSERVER_ERRNO_<CMD> takes
 * TASK_NID, NX_INFO, NET_CREATE, NET_MIGRATE, NET_ADD_IPV4, NET_REM_IPV4,
 * NET_ADD_IPV6, NET_REMOVE_IPV6, GET_NFLAGS, SET_NFLAGS, GET_NCAPS and
 * SET_NCAPS.
 *
 * Contexts can also outlive the process that made them, for the tests of
 * guests that start, end and start again:
 *
 *   FAKE_VSERVER_CTX_DIR=DIR  a context made by VCMD_ctx_create is the
 *                             file DIR/<xid>, which every process sees;
 *                             its tasks are the process group of its
 *                             creator, and it ends with the last of them
 *                             unless it is persistent.  VCMD_set_cflags
 *                             and the context name of VCMD_set_vhi_name
 *                             change it, VCMD_ctx_kill signals its init
 *                             (pid 1) or its tasks for real, and
 *                             VCMD_wait_exit waits for its end.  Writing
 *                             "REBOOT_CMD EXIT_CODE" into DIR/<xid>.end
 *                             ends it as the kernel would after reboot(2)
 *                             or the exit of its last task: its tasks are
 *                             killed, and wait_exit answers those two
 *                             numbers (else 0 and the last signal
 *                             VCMD_ctx_kill sent, or 0).  A wait_exit
 *                             on the context whose init is PID makes
 *                             DIR/<xid>.waiting-<PID> first, so that a
 *                             test can tell that its end will be seen
 *   FAKE_VSERVER_NODEV=1      mknod() of a device makes an empty regular
 *                             file and mount() of proc mounts nothing, so
 *                             that a start can set up a guest's root in a
 *                             user namespace ("unshare -rm")
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
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
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
typedef int (*mknod_fn)(const char *, mode_t, dev_t);
typedef int (*mount_fn)(const char *, const char *, const char *,
			unsigned long, const void *);
typedef int (*rmdir_fn)(const char *);
typedef FILE *(*setmntent_fn)(const char *, const char *);
typedef FILE *(*fopen_fn)(const char *, const char *);

/* The C library's opendir(), past the one below */
static DIR *opendir_real(const char *name)
{
	static opendir_fn real;

	if (!real)
		real = (opendir_fn)dlsym(RTLD_NEXT, "opendir");
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	return real(name);
}

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
	{ "EOPNOTSUPP", EOPNOTSUPP },	{ "EFAULT", EFAULT },
	{ "ENOMEM", ENOMEM },	{ "ENODEV", ENODEV },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
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

/*
 * Contexts that live longer than the process that made them.  With
 * FAKE_VSERVER_CTX_DIR, a context made by VCMD_ctx_create is the file
 * DIR/<xid> ("name", "initpid", "flagword", "bcaps", "ccaps", "umask" and
 * "signal" lines), so that every process sees it: the start that made it,
 * the supervisor that waits for it, the stop that ends it.  Its tasks are
 * the processes of the process group of its creator (the init, which
 * leads a session of its own); it ends when the last of them has exited,
 * unless it is persistent.  The creator may have left the directory
 * behind (pivot_root(2)): it is reached through a descriptor opened just
 * before.
 */
static int ctx_dir_fd = -1;

static void __attribute__((constructor)) ctx_dir_open(void)
{
	const char *dir = getenv("FAKE_VSERVER_CTX_DIR");

	/* Again before a pivot_root(2): the one before may be closed */
	if (dir)
		ctx_dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Open file of the context directory; -1 without one */
static int ctx_file_open(const char *file, int flags)
{
	const char *dir = getenv("FAKE_VSERVER_CTX_DIR");
	char path[PATH_MAX];

	if (!dir) {
		errno = ENOENT;
		return -1;
	}
	/* By name where the directory is in sight, else through the fd */
	if (access(dir, F_OK) == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		return open(path, flags | O_CLOEXEC, 0644);
	}
	if (ctx_dir_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	return openat(ctx_dir_fd, file, flags | O_CLOEXEC, 0644);
}

static int ctx_file_unlink(const char *file)
{
	const char *dir = getenv("FAKE_VSERVER_CTX_DIR");
	char path[PATH_MAX];

	if (dir && access(dir, F_OK) == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		return unlink(path);
	}
	return ctx_dir_fd < 0 ? -1 : unlinkat(ctx_dir_fd, file, 0);
}

/* The whole of a small file of the context directory into buf */
static bool ctx_file_read(const char *file, char *buf, size_t len)
{
	int fd = ctx_file_open(file, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

static int ctx_file_rename(const char *from, const char *to)
{
	const char *dir = getenv("FAKE_VSERVER_CTX_DIR");
	char old[PATH_MAX], new[PATH_MAX];

	if (dir && access(dir, F_OK) == 0) {
		snprintf(old, sizeof(old), "%s/%s", dir, from);
		snprintf(new, sizeof(new), "%s/%s", dir, to);
		return rename(old, new);
	}
	return ctx_dir_fd < 0 ? -1 :
	       renameat(ctx_dir_fd, from, ctx_dir_fd, to);
}

/* Replace a file of the context directory at once: no reader sees it half
 * written */
static bool ctx_file_write(const char *file, const char *text)
{
	char tmp[64];
	int fd;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), ".%s.%d", file, (int)getpid());
	fd = ctx_file_open(tmp, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return false;
	n = write(fd, text, strlen(text));
	close(fd);
	if (n != (ssize_t)strlen(text) || ctx_file_rename(tmp, file) != 0) {
		ctx_file_unlink(tmp);
		return false;
	}
	return true;
}

/* kill(2), where a local variable hides kill() */
static int syscall_kill(pid_t pid, int sig)
{
	return kill(pid, sig);
}

/* The "signal" line: the last signal ctx_kill sent, for wait_exit */
static int ctx_signal;

static void ctx_save(const struct fake_context *ctx, int signal)
{
	char file[16], text[512];

	snprintf(file, sizeof(file), "%u", ctx->xid);
	snprintf(text, sizeof(text), "name %s\ninitpid %u\nflagword 0x%" PRIx64
		 "\nbcaps 0x%" PRIx64 "\nccaps 0x%" PRIx64 "\numask 0x%" PRIx64
		 "\nsignal %d\n", ctx->name, ctx->initpid, ctx->flagword,
		 ctx->bcaps, ctx->ccaps, ctx->umask, signal);
	ctx_file_write(file, text);
}

/*
 * The live tasks of the process group pgrp: those /proc shows, zombies
 * left out; where there is no /proc (inside a guest's root), 1 while
 * kill(2) finds the group.
 */
static uint32_t group_tasks(pid_t pgrp)
{
	uint32_t n = 0;
	struct dirent *d;
	DIR *proc;

	if (pgrp <= 0 || (kill(-pgrp, 0) != 0 && errno == ESRCH))
		return 0;
	if (access("/proc/self/stat", F_OK) != 0)
		return 1;
	proc = opendir_real("/proc");
	if (!proc)
		return 1;
	while ((d = readdir(proc)) != NULL) {
		char path[PATH_MAX], buf[512], *p, state;
		long group;
		int fd;
		ssize_t len;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* pid (comm) state ppid pgrp ...: comm may hold anything */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 1, " %c %*d %ld", &state, &group) != 2)
			continue;
		if (group == pgrp && state != 'Z' && state != 'X')
			n++;
	}
	closedir(proc);
	return n;
}

/*
 * The end of context xid whose init was initpid, as VCMD_wait_exit tells
 * it: "<xid>.ended-<initpid>" holds the reboot command and the exit code.
 * The test asks for an end by writing "<xid>.end": the same two numbers.
 */
static void ctx_end(const struct fake_context *ctx, int signal)
{
	char file[48], end[64], text[64];
	long reboot_cmd = 0, exit_code = signal;

	snprintf(file, sizeof(file), "%u.end", ctx->xid);
	if (ctx_file_read(file, end, sizeof(end))) {
		sscanf(end, "%li %li", &reboot_cmd, &exit_code);
		ctx_file_unlink(file);
	}
	snprintf(file, sizeof(file), "%u.ended-%u", ctx->xid, ctx->initpid);
	snprintf(text, sizeof(text), "%ld %ld\n", reboot_cmd, exit_code);
	ctx_file_write(file, text);
	snprintf(file, sizeof(file), "%u", ctx->xid);
	ctx_file_unlink(file);
}

/*
 * Context xid of the context directory into *ctx; false if there is none
 * or it has just ended.  An end the test asked for kills its tasks.
 */
static bool find_dir_context(uint32_t xid, struct fake_context *ctx)
{
	char file[48], text[512], *line, *save = NULL;
	int signal = 0;

	snprintf(file, sizeof(file), "%u", xid);
	if (!ctx_file_read(file, text, sizeof(text)))
		return false;
	memset(ctx, 0, sizeof(*ctx));
	ctx->xid = xid;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *value = strchr(line, ' ');

		if (!value)
			continue;
		*value++ = '\0';
		if (!strcmp(line, "name"))
			snprintf(ctx->name, sizeof(ctx->name), "%s", value);
		else if (!strcmp(line, "initpid"))
			ctx->initpid = (uint32_t)strtoul(value, NULL, 10);
		else if (!strcmp(line, "flagword"))
			ctx->flagword = strtoull(value, NULL, 0);
		else if (!strcmp(line, "bcaps"))
			ctx->bcaps = strtoull(value, NULL, 0);
		else if (!strcmp(line, "ccaps"))
			ctx->ccaps = strtoull(value, NULL, 0);
		else if (!strcmp(line, "umask"))
			ctx->umask = strtoull(value, NULL, 0);
		else if (!strcmp(line, "signal"))
			signal = atoi(value);
	}
	snprintf(file, sizeof(file), "%u.end", xid);
	if (ctx_file_read(file, text, sizeof(text)))
		kill(-(pid_t)ctx->initpid, SIGKILL);
	ctx->tasks = group_tasks((pid_t)ctx->initpid);
	ctx_signal = signal;
	if (!ctx->tasks && !(ctx->flagword & VXF_PERSISTENT)) {
		ctx_end(ctx, signal);
		return false;
	}
	return true;
}

/*
 * VCMD_wait_exit on a context of the directory: poll until it ends (a
 * signal interrupts it, as in the kernel), then answer how.
 */
static long wait_dir_context(const struct fake_context *ctx,
			     struct vcmd_wait_exit_v0 *status)
{
	struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
	struct fake_context now;
	char file[48], text[64];
	long reboot_cmd, exit_code;

	/* For the tests: a waiter is in wait_exit from now on */
	snprintf(file, sizeof(file), "%u.waiting-%u", ctx->xid, ctx->initpid);
	ctx_file_write(file, "");
	while (find_dir_context(ctx->xid, &now) &&
	       now.initpid == ctx->initpid)
		if (nanosleep(&tick, NULL) != 0)
			return fail(EINTR);
	snprintf(file, sizeof(file), "%u.ended-%u", ctx->xid, ctx->initpid);
	if (!ctx_file_read(file, text, sizeof(text)) ||
	    sscanf(text, "%ld %ld", &reboot_cmd, &exit_code) != 2)
		return fail(ESRCH);
	status->reboot_cmd = (int32_t)reboot_cmd;
	status->exit_code = (int32_t)exit_code;
	return 0;
}

/* A context created by this process exists from then on, empty */
static bool created;
static struct fake_context created_ctx;

static long context_command(uint32_t cmd, uint32_t id, void *data)
{
	struct fake_context ctx;
	bool exists = find_context(id, &ctx), in_dir = false;
	int err;

	if (!exists && created && id == created_ctx.xid) {
		ctx = created_ctx;
		exists = true;
	}
	if (!exists && getenv("FAKE_VSERVER_CTX_DIR"))
		exists = in_dir = find_dir_context(id, &ctx);

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
		if (getenv("FAKE_VSERVER_CTX_DIR")) {
			/* Its creator leads the group of its tasks */
			created_ctx.initpid = (uint32_t)getpid();
			ctx_save(&created_ctx, 0);
			return created_ctx.xid;
		}
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
		if (in_dir) {
			ctx.flagword = (ctx.flagword & ~flags->mask) |
				       (flags->flagword & flags->mask);
			ctx_save(&ctx, ctx_signal);
		}
		return exists ? 0 : fail(ESRCH);
	}
	case VCMD_ctx_kill: {
		const struct vcmd_ctx_kill_v0 *kill = data;

		log_call("ctx_kill %u pid=%d sig=%d", id, kill->pid, kill->sig);
		if ((err = forced_errno("CTX_KILL")))
			return fail(err);
		if (in_dir) {
			/* pid 1 is the init, any other the whole context */
			pid_t to = kill->pid == 1 ? (pid_t)ctx.initpid :
				   -(pid_t)ctx.initpid;

			/* Saved first: the end it causes reports it */
			ctx_save(&ctx, kill->sig);
			if (syscall_kill(to, kill->sig) != 0)
				return fail(ESRCH);
		}
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
		if (in_dir)
			return wait_dir_context(&ctx, status);
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
		if (name->field > VHIN_DOMAINNAME)
			return fail(EINVAL);
		if (in_dir && name->field == VHIN_CONTEXT) {
			snprintf(ctx.name, sizeof(ctx.name), "%.*s",
				 (int)sizeof(name->name), name->name);
			ctx_save(&ctx, ctx_signal);
		}
		return 0;
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

/*
 * Network contexts.  Each lives in FAKE_VSERVER_NET_DIR/<nid>: "state",
 * which the fake reads and writes, and "info" and "status", written from
 * it after every change in the formats of /proc/virtnet/<nid>.
 */

#define FAKE_NET_MAX	64	/* entries, pids */

struct fake_net_v4 {
	struct in_addr ip, ip2, mask;
	uint16_t type, flags;
};

struct fake_net_v6 {
	struct in6_addr ip, mask;
	uint32_t prefix;
	uint16_t type, flags;
};

struct fake_net {
	uint32_t nid;
	uint64_t flags, ncaps;
	struct in_addr bcast, lback;
	uint32_t tasks;			/* seeded: tasks besides pids[] */
	bool created;			/* made by VCMD_net_create */
	size_t npids, nv4, nv6;
	pid_t pids[FAKE_NET_MAX];
	struct fake_net_v4 v4[FAKE_NET_MAX];
	struct fake_net_v6 v6[FAKE_NET_MAX];
};

static const char *net_dir(void)
{
	const char *dir = getenv("FAKE_VSERVER_NET_DIR");

	return dir && *dir ? dir : NULL;
}

static bool env_true(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

/* The kernel's full form: eight groups of four hex digits */
static void ip6_full(const struct in6_addr *a, char *buf, size_t len)
{
	const uint8_t *b = a->s6_addr;

	snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
		 "%02x%02x:%02x%02x:%02x%02x:%02x%02x", b[0], b[1], b[2], b[3],
		 b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

/* A full-form IPv6 address back; inet_pton takes it as it is */
static bool ip6_parse(const char *s, struct in6_addr *a)
{
	return inet_pton(AF_INET6, s, a) == 1;
}

static bool ip4_parse(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

static void net_path(char *buf, size_t len, uint32_t nid, const char *file)
{
	snprintf(buf, len, "%s/%u%s%s", net_dir(), nid, file ? "/" : "",
		 file ? file : "");
}

static bool pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

static uint32_t net_tasks(const struct fake_net *n)
{
	uint32_t tasks = n->tasks;
	size_t i;

	for (i = 0; i < n->npids; i++)
		if (pid_alive(n->pids[i]))
			tasks++;
	return tasks;
}

/* Write info and status from n, as the kernel shows them */
static void net_write_proc(const struct fake_net *n)
{
	char path[PATH_MAX], a[INET6_ADDRSTRLEN * 2], b[INET_ADDRSTRLEN],
	     c[INET6_ADDRSTRLEN * 2];
	size_t i;
	FILE *f;

	net_path(path, sizeof(path), n->nid, "info");
	f = fopen(path, "we");
	if (f) {
		fprintf(f, "ID:\t%u\nInfo:\t%p\n", n->nid, (void *)n);
		inet_ntop(AF_INET, &n->bcast, a, sizeof(a));
		fprintf(f, "Bcast:\t%s\n", a);
		inet_ntop(AF_INET, &n->lback, a, sizeof(a));
		fprintf(f, "Lback:\t%s\n", a);
		for (i = 0; i < n->nv4; i++) {
			inet_ntop(AF_INET, &n->v4[i].ip, a, sizeof(a));
			inet_ntop(AF_INET, &n->v4[i].ip2, b, sizeof(b));
			inet_ntop(AF_INET, &n->v4[i].mask, c, sizeof(c));
			fprintf(f, "%zu:\t[%s-%s/%s:%04x]\n", i, a, b, c,
				n->v4[i].type);
		}
		for (i = 0; i < n->nv6; i++) {
			ip6_full(&n->v6[i].ip, a, sizeof(a));
			ip6_full(&n->v6[i].mask, c, sizeof(c));
			fprintf(f, "%zu:\t[%s/%s/%u:%04x]\n", i, a, c,
				n->v6[i].prefix, n->v6[i].type);
		}
		fclose(f);
	}
	net_path(path, sizeof(path), n->nid, "status");
	f = fopen(path, "we");
	if (f) {
		fprintf(f, "UseCnt:\t%u\nTasks:\t%u\nFlags:\t%016" PRIx64
			"\nNCaps:\t%016" PRIx64 "\n", net_tasks(n) + 1,
			net_tasks(n), n->flags, n->ncaps);
		fclose(f);
	}
}

static void net_save(const struct fake_net *n)
{
	char path[PATH_MAX], a[INET6_ADDRSTRLEN * 2], b[INET_ADDRSTRLEN],
	     c[INET6_ADDRSTRLEN * 2];
	size_t i;
	FILE *f;

	net_path(path, sizeof(path), n->nid, NULL);
	mkdir(path, 0755);
	net_path(path, sizeof(path), n->nid, "state");
	f = fopen(path, "we");
	if (!f)
		return;
	inet_ntop(AF_INET, &n->bcast, a, sizeof(a));
	inet_ntop(AF_INET, &n->lback, b, sizeof(b));
	fprintf(f, "flags 0x%" PRIx64 "\nncaps 0x%" PRIx64 "\nbcast %s\n"
		"lback %s\ntasks %u\ncreated %d\n", n->flags, n->ncaps, a, b,
		n->tasks, n->created);
	for (i = 0; i < n->npids; i++)
		fprintf(f, "pid %d\n", (int)n->pids[i]);
	for (i = 0; i < n->nv4; i++) {
		inet_ntop(AF_INET, &n->v4[i].ip, a, sizeof(a));
		inet_ntop(AF_INET, &n->v4[i].ip2, b, sizeof(b));
		inet_ntop(AF_INET, &n->v4[i].mask, c, sizeof(c));
		fprintf(f, "v4 %s %s %s %u %u\n", a, b, c, n->v4[i].type,
			n->v4[i].flags);
	}
	for (i = 0; i < n->nv6; i++) {
		ip6_full(&n->v6[i].ip, a, sizeof(a));
		ip6_full(&n->v6[i].mask, c, sizeof(c));
		fprintf(f, "v6 %s %s %u %u %u\n", a, c, n->v6[i].prefix,
			n->v6[i].type, n->v6[i].flags);
	}
	fclose(f);
	net_write_proc(n);
}

/* Remove the directory of nid, and the namespace kept there */
static void net_remove(uint32_t nid)
{
	static const char *const files[] = { "state", "info", "status" };
	char path[PATH_MAX];
	size_t i;

	net_path(path, sizeof(path), nid, "netns");
	umount2(path, MNT_DETACH);
	unlink(path);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		net_path(path, sizeof(path), nid, files[i]);
		unlink(path);
	}
	net_path(path, sizeof(path), nid, NULL);
	rmdir(path);
}

static bool net_read(uint32_t nid, struct fake_net *n)
{
	char path[PATH_MAX], line[256], w[5][64];
	FILE *f;

	net_path(path, sizeof(path), nid, "state");
	f = fopen(path, "re");
	if (!f)
		return false;
	memset(n, 0, sizeof(*n));
	n->nid = nid;
	while (fgets(line, sizeof(line), f)) {
		int k = sscanf(line, "%63s %63s %63s %63s %63s", w[0], w[1],
			       w[2], w[3], w[4]);

		if (k < 2)
			continue;
		if (!strcmp(w[0], "flags")) {
			n->flags = strtoull(w[1], NULL, 0);
		} else if (!strcmp(w[0], "ncaps")) {
			n->ncaps = strtoull(w[1], NULL, 0);
		} else if (!strcmp(w[0], "bcast")) {
			ip4_parse(w[1], &n->bcast);
		} else if (!strcmp(w[0], "lback")) {
			ip4_parse(w[1], &n->lback);
		} else if (!strcmp(w[0], "tasks")) {
			n->tasks = (uint32_t)strtoul(w[1], NULL, 10);
		} else if (!strcmp(w[0], "created")) {
			n->created = atoi(w[1]) != 0;
		} else if (!strcmp(w[0], "pid") && n->npids < FAKE_NET_MAX) {
			n->pids[n->npids++] = (pid_t)atoi(w[1]);
		} else if (!strcmp(w[0], "v4") && k == 5 &&
			   n->nv4 < FAKE_NET_MAX) {
			struct fake_net_v4 *e = &n->v4[n->nv4++];

			ip4_parse(w[1], &e->ip);
			ip4_parse(w[2], &e->ip2);
			ip4_parse(w[3], &e->mask);
			if (sscanf(line, "%*s %*s %*s %*s %hu %hu", &e->type,
				   &e->flags) != 2)
				n->nv4--;
		} else if (!strcmp(w[0], "v6") && k == 5 &&
			   n->nv6 < FAKE_NET_MAX) {
			struct fake_net_v6 *e = &n->v6[n->nv6++];

			ip6_parse(w[1], &e->ip);
			ip6_parse(w[2], &e->mask);
			if (sscanf(line, "%*s %*s %*s %u %hu %hu", &e->prefix,
				   &e->type, &e->flags) != 3)
				n->nv6--;
		}
	}
	fclose(f);
	/* A created context ends with its last task, unless persistent */
	if (n->created && !n->tasks && !(n->flags & NXF_PERSISTENT) &&
	    net_tasks(n) == 0) {
		net_remove(nid);
		return false;
	}
	/* Its task count as it is now */
	net_write_proc(n);
	return true;
}

/* A new context as the kernel makes it: loopback 127.<nid>.1 */
static void net_init(struct fake_net *n, uint32_t nid, uint64_t flags)
{
	memset(n, 0, sizeof(*n));
	n->nid = nid;
	n->flags = flags;
	n->bcast.s_addr = INADDR_BROADCAST;
	n->lback.s_addr = htonl(0x7f000001u | ((nid >> 8 & 0xff) << 16) |
				((nid & 0xff) << 8));
}

/* Mask of prefix bits, for IPv4 (network order) and IPv6 */
static void prefix_mask(int family, unsigned int prefix, void *mask)
{
	uint8_t *m = mask;
	size_t len = family == AF_INET ? 4 : 16, i;

	for (i = 0; i < len; i++) {
		unsigned int bits = prefix > 8 * i ? prefix - 8 * i : 0;

		m[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
	}
}

/* FAKE_VSERVER_NETS, written into the directory before the first use */
static void net_seed(void)
{
	const char *list = getenv("FAKE_VSERVER_NETS");
	char path[PATH_MAX], *copy, *entry, *save = NULL;
	int fd;

	if (!net_dir())
		return;
	mkdir(net_dir(), 0755);
	snprintf(path, sizeof(path), "%s/.seeded", net_dir());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	close(fd);
	snprintf(path, sizeof(path), "%s/info", net_dir());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dprintf(fd, "VCIVersion:\t%04x:%04x\nVCISyscall:\t%d\n"
			"VCIKernel:\t%08x\n", VCI_VERSION >> 16,
			VCI_VERSION & 0xffff, VSERVER_NR_X86_64, 0);
		close(fd);
	}
	if (!list)
		return;
	copy = strdup(list);
	if (!copy)
		return;
	for (entry = strtok_r(copy, " ", &save); entry;
	     entry = strtok_r(NULL, " ", &save)) {
		char *field[5] = { NULL }, *p = entry, *addr, *asave = NULL;
		struct fake_net n;
		int i;

		for (i = 0; i < 5 && p; i++) {
			field[i] = p;
			p = i < 4 ? strchr(p, ':') : NULL;
			if (p)
				*p++ = '\0';
		}
		if (!field[3])
			continue;
		net_init(&n, (uint32_t)strtoul(field[0], NULL, 10),
			 strtoull(field[2], NULL, 0));
		n.tasks = (uint32_t)strtoul(field[1], NULL, 10);
		n.ncaps = strtoull(field[3], NULL, 0);
		for (addr = field[4] ? strtok_r(field[4], ",", &asave) : NULL;
		     addr; addr = strtok_r(NULL, ",", &asave)) {
			char *slash = strchr(addr, '/');
			unsigned int prefix;

			if (slash)
				*slash++ = '\0';
			if (strchr(addr, ':') && n.nv6 < FAKE_NET_MAX) {
				struct fake_net_v6 *e = &n.v6[n.nv6];

				prefix = slash ? (unsigned int)atoi(slash) : 128;
				if (!ip6_parse(addr, &e->ip))
					continue;
				memset(&e->mask, 0xff, sizeof(e->mask));
				e->prefix = prefix;
				e->type = NXA_TYPE_ADDR;
				n.nv6++;
			} else if (n.nv4 < FAKE_NET_MAX) {
				struct fake_net_v4 *e = &n.v4[n.nv4];

				prefix = slash ? (unsigned int)atoi(slash) : 32;
				if (!ip4_parse(addr, &e->ip))
					continue;
				prefix_mask(AF_INET, prefix, &e->mask);
				e->type = NXA_TYPE_ADDR;
				n.nv4++;
			}
		}
		net_save(&n);
	}
	free(copy);
}

/* Remove the created contexts whose tasks are all gone, as the kernel does */
static void net_reap(void)
{
	struct fake_net n;
	struct dirent *d;
	DIR *dir;

	if (!net_dir())
		return;
	dir = opendir_real(net_dir());
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
			net_read((uint32_t)strtoul(d->d_name, NULL, 10), &n);
	closedir(dir);
}

/* The nid FAKE_VSERVER_TASK_NIDS gives pid, or -1 */
static long listed_task_nid(uint32_t pid)
{
	const char *p = getenv("FAKE_VSERVER_TASK_NIDS");

	while (p && *p) {
		char *end;
		unsigned long entry_pid = strtoul(p, &end, 10);

		if (*end == ':') {
			unsigned long nid = strtoul(end + 1, &end, 10);

			if (entry_pid == pid)
				return (long)nid;
		}
		p = strchr(end, ' ');
		if (p)
			p++;
	}
	return -1;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	int ppid = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return (pid_t)ppid;
}

/* The nid a process created or entered, or that of its nearest ancestor */
static long task_nid(pid_t pid)
{
	struct fake_net n;
	struct dirent *d;
	long nid = 0;
	DIR *dir;

	if (!net_dir())
		return 0;
	for (; pid > 1 && !nid; pid = parent_of(pid)) {
		long best = -1;

		dir = opendir_real(net_dir());
		if (!dir)
			return 0;
		while ((d = readdir(dir))) {
			uint32_t id;
			size_t i;

			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			id = (uint32_t)strtoul(d->d_name, NULL, 10);
			if (!net_read(id, &n))
				continue;
			for (i = 0; i < n.npids; i++)
				if (n.pids[i] == pid)
					best = id;
		}
		closedir(dir);
		if (best >= 0)
			nid = best;
	}
	return nid;
}

static long self_nid(void)
{
	long nid = listed_task_nid(0);

	return nid >= 0 ? nid : task_nid(getpid());
}

/* Record the caller as a task of n; leave any other context */
static void net_join(struct fake_net *n)
{
	pid_t self = getpid();
	struct fake_net other;
	long old = task_nid(self);
	size_t i, j;

	if (old > 1 && (uint32_t)old != n->nid && net_read((uint32_t)old,
							   &other)) {
		for (i = j = 0; i < other.npids; i++)
			if (other.pids[i] != self)
				other.pids[j++] = other.pids[i];
		other.npids = j;
		net_save(&other);
		net_read((uint32_t)old, &other);
	}
	for (i = 0; i < n->npids; i++)
		if (n->pids[i] == self)
			return;
	if (n->npids < FAKE_NET_MAX)
		n->pids[n->npids++] = self;
}

/* FAKE_VSERVER_NETNS: a network namespace of the context's own */
static int netns_create(uint32_t nid)
{
	char path[PATH_MAX];
	struct ifreq ifr;
	int fd, sock;

	if (!env_true("FAKE_VSERVER_NETNS"))
		return 0;
	if (unshare(CLONE_NEWNET) != 0)
		return -errno;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0) {
			ifr.ifr_flags |= IFF_UP;
			ioctl(sock, SIOCSIFFLAGS, &ifr);
		}
		close(sock);
	}
	net_path(path, sizeof(path), nid, "netns");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) != 0)
		return -errno;
	return 0;
}

static int netns_enter(uint32_t nid)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	if (!env_true("FAKE_VSERVER_NETNS"))
		return 0;
	net_path(path, sizeof(path), nid, "netns");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	/* A context of FAKE_VSERVER_NETS shares the caller's namespace */
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (setns(fd, CLONE_NEWNET) != 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The admin commands: the caller in the host, the context admin */
static long net_admin(const struct fake_net *n)
{
	if (caller_in_context())
		return fail(EPERM);
	if (!(n->flags & NXF_STATE_ADMIN))
		return fail(EACCES);
	return 0;
}

static long net_add4(struct fake_net *n, const struct vcmd_net_addr_ipv4_v1 *a,
		     uint32_t ip2, bool v2)
{
	struct fake_net_v4 e = {
		.ip.s_addr = a->ip, .ip2.s_addr = ip2, .mask.s_addr = a->mask,
		.type = a->type, .flags = a->flags,
	};
	size_t i;

	switch (a->type) {
	case NXA_TYPE_ADDR | NXA_MOD_BCAST:
		n->bcast.s_addr = a->ip;
		return 0;
	case NXA_TYPE_ADDR | NXA_MOD_LBACK:
		n->lback.s_addr = a->ip;
		return 0;
	case NXA_TYPE_RANGE:
		if (!v2)
			return fail(EINVAL);
		break;
	case NXA_TYPE_ADDR:
	case NXA_TYPE_MASK:
		break;
	default:
		return fail(EINVAL);
	}
	for (i = 0; i < n->nv4; i++)
		if (!memcmp(&n->v4[i], &e, sizeof(e)))
			return fail(EEXIST);
	if (n->nv4 >= FAKE_NET_MAX)
		return fail(ENOMEM);
	n->v4[n->nv4++] = e;
	if (n->nv4 > 1)
		n->flags &= ~NXF_SINGLE_IP;
	return 0;
}

static long net_rem4(struct fake_net *n, const struct vcmd_net_addr_ipv4_v1 *a,
		     uint32_t ip2)
{
	struct fake_net_v4 e = {
		.ip.s_addr = a->ip, .ip2.s_addr = ip2, .mask.s_addr = a->mask,
		.type = a->type, .flags = a->flags,
	};
	size_t i;

	if (a->type == NXA_TYPE_ANY) {
		n->nv4 = 0;
		return 0;
	}
	if (a->type != NXA_TYPE_ADDR)
		return fail(EINVAL);
	for (i = 0; i < n->nv4; i++) {
		if (memcmp(&n->v4[i], &e, sizeof(e)))
			continue;
		memmove(&n->v4[i], &n->v4[i + 1],
			(n->nv4 - i - 1) * sizeof(e));
		n->nv4--;
		return 0;
	}
	return fail(ESRCH);
}

static long net_add6(struct fake_net *n,
		     const struct vcmd_net_addr_ipv6_v1 *a, bool add)
{
	struct fake_net_v6 e = {
		.prefix = a->prefix, .type = a->type, .flags = a->flags,
	};
	size_t i;

	memcpy(&e.ip, a->ip, sizeof(e.ip));
	memcpy(&e.mask, a->mask, sizeof(e.mask));
	if (!add && a->type == NXA_TYPE_ANY) {
		n->nv6 = 0;
		return 0;
	}
	if (a->type == NXA_TYPE_ADDR)
		memset(&e.mask, 0xff, sizeof(e.mask));
	else if (a->type != NXA_TYPE_MASK || !add)
		return fail(EINVAL);
	for (i = 0; i < n->nv6; i++) {
		if (memcmp(&n->v6[i], &e, sizeof(e)))
			continue;
		if (add)
			return fail(EEXIST);
		memmove(&n->v6[i], &n->v6[i + 1],
			(n->nv6 - i - 1) * sizeof(e));
		n->nv6--;
		return 0;
	}
	if (!add)
		return fail(ESRCH);
	if (n->nv6 >= FAKE_NET_MAX)
		return fail(ENOMEM);
	n->v6[n->nv6++] = e;
	return 0;
}

static void log_addr4(const char *cmd, uint32_t id,
		      const struct vcmd_net_addr_ipv4_v1 *a)
{
	char ip[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->ip, ip, sizeof(ip));
	inet_ntop(AF_INET, &a->mask, mask, sizeof(mask));
	log_call("%s %u type=0x%04x flags=%u ip=%s mask=%s", cmd, id, a->type,
		 a->flags, ip, mask);
}

static void log_addr6(const char *cmd, uint32_t id,
		      const struct vcmd_net_addr_ipv6_v1 *a)
{
	char ip[INET6_ADDRSTRLEN], mask[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a->ip, ip, sizeof(ip));
	inet_ntop(AF_INET6, a->mask, mask, sizeof(mask));
	log_call("%s %u type=0x%04x flags=%u prefix=%u ip=%s mask=%s", cmd, id,
		 a->type, a->flags, a->prefix, ip, mask);
}

static bool is_net_command(uint32_t cmd)
{
	switch (cmd) {
	case VCMD_task_nid:
	case VCMD_nx_info:
	case VCMD_net_create:
	case VCMD_net_create_v0:
	case VCMD_net_migrate:
	case VCMD_net_add_ipv4_v1:
	case VCMD_net_rem_ipv4_v1:
	case VCMD_net_add_ipv4:
	case VCMD_net_rem_ipv4:
	case VCMD_net_add_ipv6:
	case VCMD_net_remove_ipv6:
	case VCMD_get_nflags:
	case VCMD_set_nflags:
	case VCMD_get_ncaps:
	case VCMD_set_ncaps:
		return true;
	default:
		return false;
	}
}

/* The id of a command that names a network context, as the kernel reads it */
static uint32_t net_id(uint32_t id)
{
	long self;

	if ((int32_t)id >= 0)
		return id;
	self = self_nid();
	return self > 1 ? (uint32_t)self : 0;
}

static long net_command(uint32_t cmd, uint32_t id, void *data)
{
	struct fake_net n;
	bool exists;
	long ret;
	int err;

	if (!net_dir())
		return fail(EOPNOTSUPP);
	net_seed();

	switch (cmd) {
	case VCMD_task_nid: {
		long nid;

		log_call("task_nid %u", id);
		nid = listed_task_nid(id);
		if (nid >= 0)
			return nid;
		if ((err = forced_errno("TASK_NID")))
			return fail(err);
		if (id && !pid_alive((pid_t)id))
			return fail(ESRCH);
		return task_nid(id ? (pid_t)id : getpid());
	}
	case VCMD_net_create:
	case VCMD_net_create_v0: {
		const struct vcmd_net_create *create = data;
		uint64_t flags = NXF_INIT_SET;

		if (cmd == VCMD_net_create && create) {
			flags = create->flagword;
			log_call("net_create %u flagword=0x%" PRIx64, id, flags);
		} else {
			log_call("net_create%s %u", cmd == VCMD_net_create ?
				 "" : "_v0", id);
		}
		if ((err = forced_errno("NET_CREATE")))
			return fail(err);
		if (id < 2 || id > VX_NID_MAX)
			return fail(EINVAL);
		if (net_read(id, &n))
			return fail(n.flags & NXF_STATE_SETUP ? EBUSY : EEXIST);
		if (flags & NXF_SC_HELPER)
			return fail(EINVAL);
		if ((flags & NXF_INFO_PRIVATE) && !(flags & NXF_STATE_SETUP))
			return fail(EACCES);
		net_init(&n, id, flags);
		n.created = true;
		net_join(&n);
		net_save(&n);
		err = netns_create(id);
		if (err) {
			net_remove(id);
			return fail(-err);
		}
		return id;
	}
	default:
		break;
	}

	if (cmd == VCMD_net_migrate && id == VX_NID_WATCH) {
		log_call("net_migrate %u", id);
		if ((err = forced_errno("NET_MIGRATE")))
			return fail(err);
		return VX_NID_WATCH;
	}
	id = net_id(id);
	exists = id > 1 && net_read(id, &n);

	switch (cmd) {
	case VCMD_nx_info: {
		struct vcmd_nx_info_v0 *info = data;

		log_call("nx_info %u", id);
		if ((err = forced_errno("NX_INFO")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (!info)
			return fail(EFAULT);
		info->nid = id;
		return 0;
	}
	case VCMD_net_migrate:
		log_call("net_migrate %u", id);
		if ((err = forced_errno("NET_MIGRATE")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if ((ret = net_admin(&n)))
			return ret;
		if ((n.flags & NXF_INFO_PRIVATE) &&
		    !(n.flags & NXF_STATE_SETUP))
			return fail(EACCES);
		err = netns_enter(id);
		if (err)
			return fail(-err);
		net_join(&n);
		net_save(&n);
		return 0;
	case VCMD_net_add_ipv4_v1:
	case VCMD_net_rem_ipv4_v1:
	case VCMD_net_add_ipv4:
	case VCMD_net_rem_ipv4: {
		bool add = cmd == VCMD_net_add_ipv4_v1 ||
			   cmd == VCMD_net_add_ipv4;
		bool v2 = cmd == VCMD_net_add_ipv4 || cmd == VCMD_net_rem_ipv4;
		struct vcmd_net_addr_ipv4_v1 a = { 0 };
		uint32_t ip2 = 0;

		if (data && v2) {
			const struct vcmd_net_addr_ipv4_v2 *a2 = data;

			a.type = a2->type;
			a.flags = a2->flags;
			a.ip = a2->ip;
			a.mask = a2->mask;
			ip2 = a2->ip2;
		} else if (data) {
			a = *(const struct vcmd_net_addr_ipv4_v1 *)data;
		}
		log_addr4(add ? (v2 ? "net_add_ipv4_v2" : "net_add_ipv4") :
			  (v2 ? "net_rem_ipv4_v2" : "net_rem_ipv4"), id, &a);
		if ((err = forced_errno(add ? "NET_ADD_IPV4" : "NET_REM_IPV4")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if ((ret = net_admin(&n)))
			return ret;
		if (!data)
			return fail(EFAULT);
		ret = add ? net_add4(&n, &a, ip2, v2) : net_rem4(&n, &a, ip2);
		if (!ret)
			net_save(&n);
		return ret;
	}
	case VCMD_net_add_ipv6:
	case VCMD_net_remove_ipv6: {
		bool add = cmd == VCMD_net_add_ipv6;
		struct vcmd_net_addr_ipv6_v1 a = { 0 };

		if (data)
			a = *(const struct vcmd_net_addr_ipv6_v1 *)data;
		log_addr6(add ? "net_add_ipv6" : "net_remove_ipv6", id, &a);
		if (env_true("FAKE_VSERVER_NO_IPV6"))
			return fail(EOPNOTSUPP);
		if ((err = forced_errno(add ? "NET_ADD_IPV6" :
					"NET_REMOVE_IPV6")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if ((ret = net_admin(&n)))
			return ret;
		if (!data)
			return fail(EFAULT);
		ret = net_add6(&n, &a, add);
		if (!ret)
			net_save(&n);
		return ret;
	}
	case VCMD_get_nflags: {
		struct vcmd_net_flags_v0 *flags = data;

		log_call("get_nflags %u", id);
		if ((err = forced_errno("GET_NFLAGS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (!flags)
			return fail(EFAULT);
		flags->flagword = n.flags;
		flags->mask = ~(NXF_ONE_TIME & ~n.flags);
		return 0;
	}
	case VCMD_set_nflags: {
		const struct vcmd_net_flags_v0 *flags = data;
		uint64_t mask;

		if (flags)
			log_call("set_nflags %u flagword=0x%" PRIx64 " mask=0x%"
				 PRIx64, id, (uint64_t)flags->flagword,
				 (uint64_t)flags->mask);
		else
			log_call("set_nflags %u NULL", id);
		if ((err = forced_errno("SET_NFLAGS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if ((ret = net_admin(&n)))
			return ret;
		if (!flags)
			return fail(EFAULT);
		/* One-time bits can be cleared once, never set */
		mask = flags->mask & ~(NXF_ONE_TIME & ~n.flags);
		n.flags = (n.flags & ~mask) | (flags->flagword & mask);
		net_save(&n);
		/* Without persistence and tasks, the context ends */
		net_read(id, &n);
		return 0;
	}
	case VCMD_get_ncaps: {
		struct vcmd_net_caps_v0 *caps = data;

		log_call("get_ncaps %u", id);
		if ((err = forced_errno("GET_NCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (!caps)
			return fail(EFAULT);
		caps->ncaps = n.ncaps;
		caps->cmask = ~0ULL;
		return 0;
	}
	case VCMD_set_ncaps: {
		const struct vcmd_net_caps_v0 *caps = data;

		if (caps)
			log_call("set_ncaps %u ncaps=0x%" PRIx64 " cmask=0x%"
				 PRIx64, id, (uint64_t)caps->ncaps,
				 (uint64_t)caps->cmask);
		else
			log_call("set_ncaps %u NULL", id);
		if ((err = forced_errno("SET_NCAPS")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if ((ret = net_admin(&n)))
			return ret;
		if (!caps)
			return fail(EFAULT);
		n.ncaps = (n.ncaps & ~caps->cmask) | (caps->ncaps & caps->cmask);
		net_save(&n);
		return 0;
	}
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

	/* The context directory stays within reach of the new root */
	if (nr == SYS_pivot_root)
		ctx_dir_open();
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
			if (is_net_command((uint32_t)a[0]))
				return net_command((uint32_t)a[0],
						   (uint32_t)a[1],
						   (void *)a[2]);
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
	const char *redirect = getenv("FAKE_VSERVER_PROC_VIRTUAL");

	if (strcmp(name, "/proc/virtual") == 0) {
		/* The kernel makes it only when vserver is active */
		if (vserver_disabled()) {
			errno = ENOENT;
			return NULL;
		}
		if (redirect)
			name = redirect;
	} else if (strcmp(name, "/proc/virtnet") == 0) {
		if (vserver_disabled() || !net_dir()) {
			errno = ENOENT;
			return NULL;
		}
		net_seed();
		net_reap();
		name = net_dir();
	}
	return opendir_real(name);
}

/* fopen("/proc/virtnet/...") reads FAKE_VSERVER_NET_DIR */
static FILE *fopen_redirect(const char *path, const char *mode,
			    const char *sym)
{
	static const char virtnet[] = "/proc/virtnet";
	char file[PATH_MAX];
	fopen_fn real;

	real = (fopen_fn)dlsym(RTLD_NEXT, sym);
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	if (strncmp(path, virtnet, sizeof(virtnet) - 1) == 0 &&
	    (path[sizeof(virtnet) - 1] == '/' ||
	     path[sizeof(virtnet) - 1] == '\0')) {
		if (vserver_disabled() || !net_dir()) {
			errno = ENOENT;
			return NULL;
		}
		net_seed();
		net_reap();
		snprintf(file, sizeof(file), "%s%s", net_dir(),
			 path + sizeof(virtnet) - 1);
		path = file;
	}
	return real(path, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	return fopen_redirect(path, mode, "fopen");
}

FILE *fopen64(const char *path, const char *mode)
{
	return fopen_redirect(path, mode, "fopen64");
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

/*
 * FAKE_VSERVER_NODEV=1: what a user namespace cannot do, in the root a
 * start sets up.  mknod() of a device makes an empty regular file, and
 * mount() of a proc file system mounts nothing.
 */
static bool nodev(void)
{
	return env_true("FAKE_VSERVER_NODEV");
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	static mknod_fn real;
	int fd;

	if (nodev() && (S_ISCHR(mode) || S_ISBLK(mode))) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  mode & 07777);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	if (!real)
		real = (mknod_fn)dlsym(RTLD_NEXT, "mknod");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(path, mode, dev);
}

int mount(const char *source, const char *target, const char *type,
	  unsigned long flags, const void *data)
{
	static mount_fn real;

	if (nodev() && type && strcmp(type, "proc") == 0)
		return 0;
	if (!real)
		real = (mount_fn)dlsym(RTLD_NEXT, "mount");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(source, target, type, flags, data);
}
