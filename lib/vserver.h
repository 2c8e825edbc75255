/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvserver - thin C wrappers around sys_vserver(cmd, id, data)
 *
 * Error convention: every function behaves like a system call.  On failure
 * it returns -1 and sets errno; on success it returns a non-negative value
 * (0 unless the function's comment says otherwise).  errno is left alone on
 * success.  The library never prints, never exits and keeps no state, so
 * every function is safe to call from any thread.
 *
 * There is one function per kernel command.  The command words, constants
 * and structure layouts come from the kernel's <linux/vserver.h>, which this
 * header includes.
 */

#ifndef LIBVSERVER_VSERVER_H
#define LIBVSERVER_VSERVER_H

#include <stdint.h>
#include <linux/vserver.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * VS_SYSCALL_NR - the system call number the library uses for the ABI it is
 * compiled for.  Callers need it only to report it (e.g. in an error message
 * when the kernel answers ENOSYS).
 */
#if defined(__x86_64__) && !defined(__ILP32__)
# define VS_SYSCALL_NR		VSERVER_NR_X86_64
#elif defined(__i386__)
# define VS_SYSCALL_NR		VSERVER_NR_I386
#elif defined(__x86_64__)
# error "libvserver: x32 has no vserver system call"
#else
# error "libvserver: no vserver system call number for this architecture"
#endif

/*
 * vs_get_version - VCMD_get_version: ask the kernel which VCI level it
 * speaks.
 *
 * Returns the VCI version word (major in the high 16 bits, minor in the low
 * 16 bits, e.g. 0x00010000 for 1.0).  Fails with ENOSYS when the running
 * kernel has no vserver support, and with EOVERFLOW when the kernel's answer
 * is not a non-negative int.
 */
int vs_get_version(void);

/*
 * vs_get_vci - VCMD_get_vci: read the kernel's feature mask.
 *
 * Stores the VCI_* feature bits in *vci and returns 0.  *vci is not touched
 * on failure.  Fails with EINVAL when vci is NULL and with ENOSYS when the
 * running kernel has no vserver support.
 */
int vs_get_vci(uint32_t *vci);

#ifdef __cplusplus
}
#endif

#endif /* LIBVSERVER_VSERVER_H */
