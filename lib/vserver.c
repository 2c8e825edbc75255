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

#include "vserver.h"
#include "syscall.h"

/*
 * The version queries ignore their id.  Pass the value historic tools pass,
 * so that a kernel tracing its callers sees what it expects.
 */
#define VS_ID_ANY	63u

int vs_get_version(void)
{
	long ret;

	ret = vs_syscall(VCMD_get_version, VS_ID_ANY, NULL);
	if (ret == -1)
		return -1;
	/* A version word that is not a non-negative int cannot be returned */
	if (ret < 0 || ret > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)ret;
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
