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
 * Other system calls are passed on to the real syscall().
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include <linux/vserver.h>

typedef long (*syscall_fn)(long, ...);

static long fail(int err)
{
	errno = err;
	return -1;
}

static long answer(const char *value, const char *err_name)
{
	const char *err = getenv(err_name);

	if (err)
		return fail(atoi(err));
	if (!value)
		return fail(ENOSYS);
	/* The kernel returns an int: bit 31 arrives sign-extended */
	return (int32_t)(uint32_t)strtoul(value, NULL, 0);
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
			return fail(ENOSYS);
		}
	}

	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	if (!real)
		return fail(ENOSYS);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
