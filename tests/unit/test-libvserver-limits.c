// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The resource limit functions of libvserver against a kernel faked in
 * this program: syscall() is defined here, so the library's calls land in
 * it.  What each function hands the kernel, what it makes of the answer,
 * and what it refuses without asking.  Built twice, against the static and
 * the shared library.
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* RLIMIT_*, the x86 limit ids, without <linux/resource.h>'s timeval */
#include <asm/resource.h>
#include <vserver.h>

#include "tap.h"

/* The last call that reached the fake kernel, and how to answer it */
static struct {
	int calls;
	long nr;
	uint32_t cmd;
	uint32_t id;
	void *data;		/* the caller's buffer, gone after the call */
	union {			/* what it held when the call was made */
		struct vcmd_ctx_rlimit_v0 limit;
		struct vcmd_rlimit_stat_v0 stat;
		unsigned char bytes[64];
	} in;
	union {			/* what the kernel writes back */
		struct vcmd_ctx_rlimit_v0 limit;
		struct vcmd_rlimit_stat_v0 stat;
	} out;
	int err;
} k;

static size_t data_size(uint32_t cmd)
{
	switch (cmd) {
	case VCMD_get_rlimit:
	case VCMD_set_rlimit:
		return sizeof(struct vcmd_ctx_rlimit_v0);
	case VCMD_rlimit_stat:
		return sizeof(struct vcmd_rlimit_stat_v0);
	default:
		return 0;
	}
}

static void kernel_reset(int err)
{
	memset(&k, 0, sizeof(k));
	k.err = err;
}

long syscall(long nr, ...)
{
	va_list ap;

	va_start(ap, nr);
	k.calls++;
	k.nr = nr;
	k.cmd = (uint32_t)va_arg(ap, unsigned long);
	k.id = (uint32_t)va_arg(ap, unsigned long);
	k.data = va_arg(ap, void *);
	va_end(ap);
	if (k.data)
		memcpy(&k.in, k.data, data_size(k.cmd));
	if (k.err) {
		errno = k.err;
		return -1;
	}
	/* The get commands write the structure whole */
	if (k.data && k.cmd != VCMD_set_rlimit)
		memcpy(k.data, &k.out, data_size(k.cmd));
	return 0;
}

static void test_refused(void)
{
	int r;

	kernel_reset(0);
	errno = 0;
	r = vs_get_rlimit(2, RLIMIT_NPROC, NULL);
	tap_ok(r == -1 && errno == EINVAL && k.calls == 0,
	       "vs_get_rlimit() with a NULL limit fails with EINVAL without a "
	       "system call");

	kernel_reset(0);
	errno = 0;
	r = vs_rlimit_stat(2, RLIMIT_NPROC, NULL);
	tap_ok(r == -1 && errno == EINVAL && k.calls == 0,
	       "vs_rlimit_stat() with a NULL stat fails with EINVAL without a "
	       "system call");
}

/* One call to the command on the xid, through the library's number */
static bool one_call(uint32_t cmd, uint32_t xid)
{
	return k.calls == 1 && k.nr == VS_SYSCALL_NR && k.cmd == cmd &&
	       k.id == xid;
}

static void test_get_rlimit(void)
{
	struct vcmd_ctx_rlimit_v0 limit;
	int r;

	kernel_reset(0);
	k.out.limit.id = RLIMIT_NPROC;
	k.out.limit.minimum = CRLIM_UNSET;
	k.out.limit.softlimit = CRLIM_INFINITY;
	k.out.limit.maximum = 5;
	memset(&limit, 0xAA, sizeof(limit));
	errno = 1234;
	r = vs_get_rlimit(42, RLIMIT_NPROC, &limit);
	tap_ok(r == 0 && one_call(VCMD_get_rlimit, 42) &&
	       k.in.limit.id == RLIMIT_NPROC && errno == 1234,
	       "vs_get_rlimit() issues VCMD_get_rlimit with the xid and the "
	       "limit id, and leaves errno alone");
	tap_ok(limit.id == RLIMIT_NPROC && limit.minimum == CRLIM_UNSET &&
	       limit.softlimit == CRLIM_INFINITY && limit.maximum == 5,
	       "vs_get_rlimit() stores the kernel's answer");

	kernel_reset(EINVAL);
	memset(&limit, 0xAA, sizeof(limit));
	r = vs_get_rlimit(42, VLIMIT_NUM, &limit);
	tap_ok(r == -1 && errno == EINVAL && limit.id == 0xAAAAAAAA &&
	       limit.maximum == 0xAAAAAAAAAAAAAAAAULL,
	       "vs_get_rlimit() passes EINVAL through and leaves *limit "
	       "alone");
}

static void test_set_rlimit(void)
{
	size_t hole = offsetof(struct vcmd_ctx_rlimit_v0, minimum) -
		      sizeof(k.in.limit.id);
	bool zero_hole = true;
	size_t i;
	int r;

	kernel_reset(0);
	r = vs_set_rlimit(42, VLIMIT_NSOCK, 10, 20);
	tap_ok(r == 0 && one_call(VCMD_set_rlimit, 42) &&
	       k.in.limit.id == VLIMIT_NSOCK && k.in.limit.softlimit == 10 &&
	       k.in.limit.maximum == 20,
	       "vs_set_rlimit() passes the xid, the id and both limits");
	tap_ok(k.in.limit.minimum == CRLIM_KEEP,
	       "vs_set_rlimit() asks to keep the minimum");
	for (i = 0; i < hole; i++)
		if (k.in.bytes[sizeof(k.in.limit.id) + i])
			zero_hole = false;
	tap_ok(zero_hole, "vs_set_rlimit() zeroes the %zu bytes after the id",
	       hole);

	kernel_reset(0);
	r = vs_set_rlimit(42, RLIMIT_NOFILE, CRLIM_KEEP, CRLIM_INFINITY);
	tap_ok(r == 0 && k.in.limit.softlimit == CRLIM_KEEP &&
	       k.in.limit.maximum == CRLIM_INFINITY,
	       "vs_set_rlimit() passes CRLIM_KEEP and CRLIM_INFINITY as they "
	       "are");

	kernel_reset(EPERM);
	errno = 0;
	r = vs_set_rlimit(42, RLIMIT_NOFILE, 1, 2);
	tap_ok(r == -1 && errno == EPERM && k.calls == 1,
	       "vs_set_rlimit() passes EPERM through");
}

static void test_rlimit_stat(void)
{
	struct vcmd_rlimit_stat_v0 stat;
	int r;

	kernel_reset(0);
	k.out.stat.id = VLIMIT_SHMEM;
	k.out.stat.hits = 7;
	k.out.stat.value = 3;
	k.out.stat.minimum = 1;
	k.out.stat.maximum = 1ULL << 40;
	memset(&stat, 0xAA, sizeof(stat));
	r = vs_rlimit_stat(43, VLIMIT_SHMEM, &stat);
	tap_ok(r == 0 && one_call(VCMD_rlimit_stat, 43) &&
	       k.in.stat.id == VLIMIT_SHMEM,
	       "vs_rlimit_stat() issues VCMD_rlimit_stat with the xid and the "
	       "limit id");
	tap_ok(stat.hits == 7 && stat.value == 3 && stat.minimum == 1 &&
	       stat.maximum == 1ULL << 40,
	       "vs_rlimit_stat() stores the kernel's answer");

	kernel_reset(ESRCH);
	memset(&stat, 0xAA, sizeof(stat));
	r = vs_rlimit_stat(43, VLIMIT_SHMEM, &stat);
	tap_ok(r == -1 && errno == ESRCH && stat.hits == 0xAAAAAAAA,
	       "vs_rlimit_stat() passes ESRCH through and leaves *stat alone");
}

static void test_resets(void)
{
	int r;

	kernel_reset(0);
	r = vs_reset_hits(44);
	tap_ok(r == 0 && one_call(VCMD_reset_hits, 44) && !k.data,
	       "vs_reset_hits() issues VCMD_reset_hits with the xid and no "
	       "data");

	kernel_reset(0);
	r = vs_reset_minmax(45);
	tap_ok(r == 0 && one_call(VCMD_reset_minmax, 45) && !k.data,
	       "vs_reset_minmax() issues VCMD_reset_minmax with the xid and "
	       "no data");

	kernel_reset(EPERM);
	errno = 0;
	r = vs_reset_hits(44);
	tap_ok(r == -1 && errno == EPERM, "vs_reset_hits() passes EPERM "
	       "through");

	kernel_reset(EPERM);
	errno = 0;
	r = vs_reset_minmax(44);
	tap_ok(r == -1 && errno == EPERM, "vs_reset_minmax() passes EPERM "
	       "through");
}

int main(void)
{
	tap_plan(2 + 3 + 5 + 3 + 4);
	test_refused();
	test_get_rlimit();
	test_set_rlimit();
	test_rlimit_stat();
	test_resets();
	return tap_done();
}
