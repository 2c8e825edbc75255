/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libvserver: the raw system call.
 */

#ifndef LIBVSERVER_SYSCALL_H
#define LIBVSERVER_SYSCALL_H

#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "vserver.h"	/* VS_SYSCALL_NR, chosen per architecture there */

/*
 * vs_syscall - call sys_vserver(cmd, id, data).
 *
 * Returns what syscall(2) returns: the kernel's non-negative result, or -1
 * with errno set.  cmd and id are widened explicitly: syscall(2) is
 * variadic, and the kernel reads whole registers.
 */
static inline long vs_syscall(uint32_t cmd, uint32_t id, void *data)
{
	return syscall(VS_SYSCALL_NR, (unsigned long)cmd, (unsigned long)id,
		       data);
}

#endif /* LIBVSERVER_SYSCALL_H */
