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

int vs_support(void)
{
	int saved = errno, support;

	if (vs_get_version() >= 0)
		return VS_SUPPORT_ENABLED;
	if (errno == ENOSYS)
		support = VS_SUPPORT_MISSING;
	else if (errno == EOPNOTSUPP)
		support = VS_SUPPORT_DISABLED;
	else
		return -1;
	/* Either is the state of the kernel, not a failure of this call */
	errno = saved;
	return support;
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

int vs_get_bcaps(uint32_t xid, struct vcmd_bcaps *caps)
{
	struct vcmd_bcaps data = { 0 };

	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_bcaps, xid, &data) == -1)
		return -1;
	*caps = data;
	return 0;
}

int vs_set_bcaps(uint32_t xid, uint64_t bcaps, uint64_t bmask)
{
	struct vcmd_bcaps data = { .bcaps = bcaps, .bmask = bmask };

	return vs_zero_result(vs_syscall(VCMD_set_bcaps, xid, &data));
}

int vs_get_ccaps(uint32_t xid, struct vcmd_ctx_caps_v1 *caps)
{
	struct vcmd_ctx_caps_v1 data = { 0 };

	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_ccaps, xid, &data) == -1)
		return -1;
	*caps = data;
	return 0;
}

int vs_set_ccaps(uint32_t xid, uint64_t ccaps, uint64_t cmask)
{
	struct vcmd_ctx_caps_v1 data = { .ccaps = ccaps, .cmask = cmask };

	return vs_zero_result(vs_syscall(VCMD_set_ccaps, xid, &data));
}

int vs_get_umask(uint32_t xid, struct vcmd_umask *umask)
{
	struct vcmd_umask data = { 0 };

	if (!umask) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_umask, xid, &data) == -1)
		return -1;
	*umask = data;
	return 0;
}

int vs_set_umask(uint32_t xid, uint64_t umask, uint64_t mask)
{
	struct vcmd_umask data = { .umask = umask, .mask = mask };

	return vs_zero_result(vs_syscall(VCMD_set_umask, xid, &data));
}

/*
 * struct vcmd_ctx_rlimit_v0 has a hole after @id on x86_64, which an
 * initializer need not clear: clear the whole structure, so that no stack
 * garbage reaches the kernel.
 */
static void vs_rlimit_init(struct vcmd_ctx_rlimit_v0 *data, uint32_t id)
{
	memset(data, 0, sizeof(*data));
	data->id = id;
}

int vs_get_rlimit(uint32_t xid, uint32_t id,
		  struct vcmd_ctx_rlimit_v0 *limit)
{
	struct vcmd_ctx_rlimit_v0 data;

	if (!limit) {
		errno = EINVAL;
		return -1;
	}
	vs_rlimit_init(&data, id);
	if (vs_syscall(VCMD_get_rlimit, xid, &data) == -1)
		return -1;
	*limit = data;
	return 0;
}

int vs_set_rlimit(uint32_t xid, uint32_t id, uint64_t softlimit,
		  uint64_t maximum)
{
	struct vcmd_ctx_rlimit_v0 data;

	vs_rlimit_init(&data, id);
	/* The kernel ignores the minimum; say "unchanged" all the same */
	data.minimum = CRLIM_KEEP;
	data.softlimit = softlimit;
	data.maximum = maximum;
	return vs_zero_result(vs_syscall(VCMD_set_rlimit, xid, &data));
}

int vs_rlimit_stat(uint32_t xid, uint32_t id,
		   struct vcmd_rlimit_stat_v0 *stat)
{
	struct vcmd_rlimit_stat_v0 data = { .id = id };

	if (!stat) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_rlimit_stat, xid, &data) == -1)
		return -1;
	*stat = data;
	return 0;
}

int vs_reset_hits(uint32_t xid)
{
	return vs_zero_result(vs_syscall(VCMD_reset_hits, xid, NULL));
}

int vs_reset_minmax(uint32_t xid)
{
	return vs_zero_result(vs_syscall(VCMD_reset_minmax, xid, NULL));
}

int vs_task_nid(pid_t pid)
{
	if (pid < 0) {
		errno = EINVAL;
		return -1;
	}
	return vs_int_result(vs_syscall(VCMD_task_nid, (uint32_t)pid, NULL));
}

int vs_nx_info(uint32_t nid, struct vcmd_nx_info_v0 *info)
{
	struct vcmd_nx_info_v0 data = { 0 };

	if (!info) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_nx_info, nid, &data) == -1)
		return -1;
	*info = data;
	return 0;
}

int vs_net_create(uint32_t nid, const uint64_t *flagword)
{
	struct vcmd_net_create data = { 0 };

	/* NULL data asks for the kernel's default flags */
	if (!flagword)
		return vs_int_result(vs_syscall(VCMD_net_create, nid, NULL));
	data.flagword = *flagword;
	return vs_int_result(vs_syscall(VCMD_net_create, nid, &data));
}

int vs_net_migrate(uint32_t nid)
{
	return vs_int_result(vs_syscall(VCMD_net_migrate, nid, NULL));
}

int vs_net_add_ipv4(uint32_t nid, const struct vcmd_net_addr_ipv4_v1 *addr)
{
	struct vcmd_net_addr_ipv4_v1 data;

	if (!addr) {
		errno = EINVAL;
		return -1;
	}
	data = *addr;
	return vs_zero_result(vs_syscall(VCMD_net_add_ipv4_v1, nid, &data));
}

int vs_net_rem_ipv4(uint32_t nid, const struct vcmd_net_addr_ipv4_v1 *addr)
{
	struct vcmd_net_addr_ipv4_v1 data;

	if (!addr) {
		errno = EINVAL;
		return -1;
	}
	data = *addr;
	return vs_zero_result(vs_syscall(VCMD_net_rem_ipv4_v1, nid, &data));
}

int vs_net_add_ipv6(uint32_t nid, const struct vcmd_net_addr_ipv6_v1 *addr)
{
	struct vcmd_net_addr_ipv6_v1 data;

	if (!addr) {
		errno = EINVAL;
		return -1;
	}
	data = *addr;
	return vs_zero_result(vs_syscall(VCMD_net_add_ipv6, nid, &data));
}

int vs_net_remove_ipv6(uint32_t nid,
		       const struct vcmd_net_addr_ipv6_v1 *addr)
{
	struct vcmd_net_addr_ipv6_v1 data;

	if (!addr) {
		errno = EINVAL;
		return -1;
	}
	data = *addr;
	return vs_zero_result(vs_syscall(VCMD_net_remove_ipv6, nid, &data));
}

int vs_get_nflags(uint32_t nid, struct vcmd_net_flags_v0 *flags)
{
	struct vcmd_net_flags_v0 data = { 0 };

	if (!flags) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_nflags, nid, &data) == -1)
		return -1;
	*flags = data;
	return 0;
}

int vs_set_nflags(uint32_t nid, uint64_t flags, uint64_t mask)
{
	struct vcmd_net_flags_v0 data = { .flagword = flags, .mask = mask };

	return vs_zero_result(vs_syscall(VCMD_set_nflags, nid, &data));
}

int vs_get_ncaps(uint32_t nid, struct vcmd_net_caps_v0 *caps)
{
	struct vcmd_net_caps_v0 data = { 0 };

	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	if (vs_syscall(VCMD_get_ncaps, nid, &data) == -1)
		return -1;
	*caps = data;
	return 0;
}

int vs_set_ncaps(uint32_t nid, uint64_t ncaps, uint64_t cmask)
{
	struct vcmd_net_caps_v0 data = { .ncaps = ncaps, .cmask = cmask };

	return vs_zero_result(vs_syscall(VCMD_set_ncaps, nid, &data));
}
