/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw sys_vserver wrappers for the VM tests, through both entries:
 * the 64-bit syscall (236) and int 0x80 into the i386 table (273).
 */

#ifndef VSERVER_TESTS_COMMON_H
#define VSERVER_TESTS_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/vserver.h>

/* Returns the raw result: >= 0, or a negative errno. */
static inline long vs_sys64(uint32_t cmd, uint32_t id, void *data)
{
	long ret = syscall(VSERVER_NR_X86_64, cmd, id, data);

	return ret < 0 ? -errno : ret;
}

/*
 * int 0x80 from a 64-bit process: the kernel takes the i386 table and
 * truncates every argument to 32 bits, so @data must lie below 4 GiB
 * (see vs_low_alloc()).  Returns the raw result like vs_sys64().
 */
static inline long vs_sys32(uint32_t cmd, uint32_t id, uint32_t data)
{
	long ret;

	asm volatile ("int $0x80"
		      : "=a" (ret)
		      : "a" (VSERVER_NR_I386), "b" (cmd), "c" (id), "d" (data)
		      : "memory", "r8", "r9", "r10", "r11");
	return (int)ret;
}

/* A zeroed page that a 32-bit pointer can reach, or NULL. */
static inline void *vs_low_alloc(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static inline uint32_t vs_ptr32(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

#endif /* VSERVER_TESTS_COMMON_H */
