// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvserver - one wrapper per sys_vserver command.
 *
 * See vserver.h for the error convention: -1 and errno on failure, never
 * print, never exit, no state.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "vserver.h"
#include "syscall.h"

/*
 * The version queries ignore their id.  Pass the value historic tools pass,
 * so that a kernel tracing its callers sees what it expects.
 */
#define VS_ID_ANY	63u

/*
 * The kernel's non-negative result as an int, or -1 with errno: a result
 * that does not fit a non-negative int cannot be returned.
 */
static int vs_int_result(long ret)
{
	if (ret == -1)
		return -1;
	if (ret < 0 || ret > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)ret;
}

/* Zero or -1 with errno, for the commands whose result carries no value */
static int vs_zero_result(long ret)
{
	return ret == -1 ? -1 : 0;
}

int vs_get_version(void)
{
	/* A version word that is not a non-negative int cannot be returned */
	return vs_int_result(vs_syscall(VCMD_get_version, VS_ID_ANY, NULL));
}

int vs_get_vci(uint32_t *vci)
{
	long ret;

	if (!vci) {
		errno = EINVAL;
		return -1;
	}
	ret = vs_syscall(VCMD_get_vci, VS_ID_ANY, NULL);
	/*
	 * The mask is returned as the syscall result, so a mask with bit 31
	 * set arrives negative; only -1 (errno set) means failure.
	 */
	if (ret == -1)
		return -1;
	*vci = (uint32_t)ret;
	return 0;
}

int vs_get_rlimit_mask(struct vcmd_ctx_rlimit_mask_v0 *mask)
{
	struct vcmd_ctx_rlimit_mask_v0 data = { 0 };

	if (!mask) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_rlimit_mask, 0, &data) == -1)
		return -1;
	*mask = data;
	return 0;
}

int vs_task_xid(pid_t pid)
{
	if (pid < 0) {
		errno = EINVAL;
		return -1;
	}
	return vs_int_result(vs_syscall(VCMD_task_xid, (uint32_t)pid, NULL));
}

int vs_vx_info(uint32_t xid, struct vcmd_vx_info_v0 *info)
{
	struct vcmd_vx_info_v0 data = { 0 };

	if (!info) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_vx_info, xid, &data) == -1)
		return -1;
	*info = data;
	return 0;
}

int vs_ctx_stat(uint32_t xid, struct vcmd_ctx_stat_v0 *stat)
{
	struct vcmd_ctx_stat_v0 data = { 0 };

	if (!stat) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_ctx_stat, xid, &data) == -1)
		return -1;
	*stat = data;
	return 0;
}

int vs_ctx_create(uint32_t xid, uint64_t flags)
{
	struct vcmd_ctx_create data = { .flagword = flags };

	return vs_int_result(vs_syscall(VCMD_ctx_create, xid, &data));
}

int vs_ctx_migrate(uint32_t xid, uint64_t vxm_flags)
{
	struct vcmd_ctx_migrate data = { .flagword = vxm_flags };

	return vs_int_result(vs_syscall(VCMD_ctx_migrate, xid, &data));
}

int vs_get_cflags(uint32_t xid, struct vcmd_ctx_flags_v0 *flags)
{
	struct vcmd_ctx_flags_v0 data = { 0 };

	if (!flags) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_cflags, xid, &data) == -1)
		return -1;
	*flags = data;
	return 0;
}

int vs_set_cflags(uint32_t xid, uint64_t flags, uint64_t mask)
{
	struct vcmd_ctx_flags_v0 data = { .flagword = flags, .mask = mask };

	return vs_zero_result(vs_syscall(VCMD_set_cflags, xid, &data));
}

int vs_ctx_kill(uint32_t xid, int pid, int sig)
{
	struct vcmd_ctx_kill_v0 data = { .pid = pid, .sig = sig };

	return vs_zero_result(vs_syscall(VCMD_ctx_kill, xid, &data));
}

int vs_wait_exit(uint32_t xid, struct vcmd_wait_exit_v0 *status)
{
	struct vcmd_wait_exit_v0 data = { 0 };

	if (!status) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_wait_exit, xid, &data) == -1)
		return -1;
	*status = data;
	return 0;
}

int vs_get_vhi_name(uint32_t xid, uint32_t field, char *buf, size_t len)
{
	struct vcmd_vhi_name_v0 data = { .field = field };
	size_t namelen;

	if (!buf) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_vhi_name, xid, &data) == -1)
		return -1;
	/* Do not trust the terminating NUL to be there */
	namelen = strnlen(data.name, sizeof(data.name));
	if (namelen >= len) {
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, data.name, namelen);
	buf[namelen] = '\0';
	return 0;
}

int vs_set_vhi_name(uint32_t xid, uint32_t field, const char *name)
{
	struct vcmd_vhi_name_v0 data = { .field = field };
	size_t namelen;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	namelen = strlen(name);
	if (namelen >= sizeof(data.name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(data.name, name, namelen);
	return vs_zero_result(vs_syscall(VCMD_set_vhi_name, xid, &data));
}
