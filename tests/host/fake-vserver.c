// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD shim that answers the vserver system call for the host tests,
 * so that vctx's output can be checked on a kernel without vserver support.
 * It replaces glibc's syscall(); libvserver calls the kernel through it.
 *
 *   FAKE_VSERVER_VERSION=N    VCMD_get_version returns N (strtoul base 0);
 *                             unset: every vserver command fails with ENOSYS
 *   FAKE_VSERVER_VCI=N        VCMD_get_vci returns N as a 32-bit int
 *   FAKE_VSERVER_VERSION_ERRNO=E, FAKE_VSERVER_VCI_ERRNO=E
 *                             make that command fail with errno E instead
 *
 * The context commands answer from a list of contexts:
 *
 *   FAKE_VSERVER_CONTEXTS="XID:NAME:TASKS:INITPID:FLAGWORD ..."
 *                             the contexts that exist, separated by spaces;
 *                             NAME may be empty, FLAGWORD is strtoull base
 *                             0; a context this process creates with
 *                             VCMD_ctx_create is added for its lifetime
 *   FAKE_VSERVER_TASK_XIDS="PID:XID ..."
 *                             VCMD_task_xid answers for these pids (0: the
 *                             caller); every other pid is in the host
 *   FAKE_VSERVER_WAIT=block   VCMD_wait_exit waits for a signal and fails
 *                             with EINTR; otherwise it returns at once
 *   FAKE_VSERVER_ERRNO_<CMD>=E
 *                             make command CMD fail with errno E, where CMD
 *                             is TASK_XID, VX_INFO, CTX_STAT, CTX_CREATE,
 *                             CTX_MIGRATE, GET_CFLAGS, SET_CFLAGS, CTX_KILL,
 *                             WAIT_EXIT, SET_VHI_NAME, GET_VHI_NAME or
 *                             GET_RLIMIT_MASK; for TASK_XID only the pids
 *                             not in FAKE_VSERVER_TASK_XIDS fail
 *   FAKE_VSERVER_LOG=FILE     append one line per context command to FILE:
 *                             its name, the id and the data it was given
 *   FAKE_VSERVER_PROC_VIRTUAL=DIR
 *                             opendir("/proc/virtual") opens DIR instead
 *
 * E is a number or a name such as EPERM.  Context commands on a context
 * that is not in the list fail with ESRCH; commands that change something
 * change nothing but the log.  Other system calls are passed on to the
 * real syscall().
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/vserver.h>

typedef long (*syscall_fn)(long, ...);
typedef DIR *(*opendir_fn)(const char *);

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
		char *field[5] = { NULL }, *p = entry;
		int i;

		for (i = 0; i < 5 && p; i++) {
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
		return exists ? 0 : fail(ESRCH);
	}
	case VCMD_get_vhi_name: {
		struct vcmd_vhi_name_v0 *name = data;

		log_call("get_vhi_name %u field=%u", id, name->field);
		if ((err = forced_errno("GET_VHI_NAME")))
			return fail(err);
		if (!exists)
			return fail(ESRCH);
		if (name->field != VHIN_CONTEXT)
			return fail(EINVAL);
		memcpy(name->name, ctx.name, sizeof(name->name));
		return 0;
	}
	case VCMD_get_rlimit_mask:
		log_call("get_rlimit_mask %u", id);
		if ((err = forced_errno("GET_RLIMIT_MASK")))
			return fail(err);
		memset(data, 0, sizeof(struct vcmd_ctx_rlimit_mask_v0));
		return 0;
	default:
		return fail(ENOSYS);
	}
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
	if (redirect && strcmp(name, "/proc/virtual") == 0)
		name = redirect;
	return real(name);
}
