/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the VM tests.  Raw sys_vserver wrappers, through both
 * entries: the 64-bit syscall (236) and int 0x80 into the i386 table
 * (273); the life cycle of contexts and of network contexts;
 * processes that sleep in a context; counters of /proc; and children
 * that report to the test.
 */

#ifndef VSERVER_TESTS_COMMON_H
#define VSERVER_TESTS_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/vserver.h>

#include "kselftest_harness.h"

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

/*
 * The commands under test go through the entry of the test: the 64-bit
 * syscall, or int 0x80 with their structure copied through this page.
 */
static void *int80_page;

/* @size bytes of @arg go in and, on success, come back. */
static inline long vs_call(uint32_t cmd, uint32_t id, void *arg, size_t size)
{
	long ret;

	if (!int80_page)
		return vs_sys64(cmd, id, arg);
	if (!arg)
		return vs_sys32(cmd, id, 0);
	memcpy(int80_page, arg, size);
	ret = vs_sys32(cmd, id, vs_ptr32(int80_page));
	memcpy(arg, int80_page, size);
	return ret;
}

/* The same with a pointer as it is, which must lie below 4 GiB. */
static inline long vs_call_raw(uint32_t cmd, uint32_t id, void *low)
{
	return int80_page ? vs_sys32(cmd, id, vs_ptr32(low)) :
			    vs_sys64(cmd, id, low);
}

/* Context life cycle, always through the 64-bit syscall */

static inline long create(uint32_t xid, uint64_t flags)
{
	struct vcmd_ctx_create arg = { .flagword = flags };

	return vs_sys64(VCMD_ctx_create, xid, &arg);
}

static inline long migrate(uint32_t xid, uint64_t vxm)
{
	struct vcmd_ctx_migrate arg = { .flagword = vxm };

	return vs_sys64(VCMD_ctx_migrate, xid, &arg);
}

static inline long set_flags(uint32_t xid, uint64_t flags, uint64_t mask)
{
	struct vcmd_ctx_flags_v0 arg = { .flagword = flags, .mask = mask };

	return vs_sys64(VCMD_set_cflags, xid, &arg);
}

/* Every capability of the running kernel */
static inline uint64_t all_caps(void)
{
	int last = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

static inline long ceiling_set(uint32_t xid, uint64_t bcaps, uint64_t bmask)
{
	struct vcmd_bcaps arg = { .bcaps = bcaps, .bmask = bmask };

	return vs_sys64(VCMD_set_bcaps, xid, &arg);
}

static inline long ceiling_get(uint32_t xid, uint64_t *bcaps)
{
	struct vcmd_bcaps arg = { 0 };
	long ret = vs_sys64(VCMD_get_bcaps, xid, &arg);

	*bcaps = arg.bcaps;
	return ret;
}

static inline long ccaps_set(uint32_t xid, uint64_t ccaps, uint64_t cmask)
{
	struct vcmd_ctx_caps_v1 arg = { .ccaps = ccaps, .cmask = cmask };

	return vs_sys64(VCMD_set_ccaps, xid, &arg);
}

static inline long get_flags(uint32_t xid, uint64_t *flags)
{
	struct vcmd_ctx_flags_v0 arg;
	long ret = vs_sys64(VCMD_get_cflags, xid, &arg);

	*flags = arg.flagword;
	return ret;
}

/* The tasks of a context, or -errno */
static inline long ctx_tasks(uint32_t xid)
{
	struct vcmd_ctx_stat_v0 st;
	long ret = vs_sys64(VCMD_ctx_stat, xid, &st);

	return ret < 0 ? ret : (long)st.tasks;
}

static inline long end_setup(uint32_t xid)
{
	return set_flags(xid, 0, VXF_STATE_SETUP);
}

/*
 * Fork a child that creates context @xid (persistent, with @flags too)
 * and exits; with @leave_setup the child ends its setup first.  Returns 0
 * if the child did all that, else -1.
 */
static inline int fork_persistent(uint32_t xid, uint64_t flags,
				  bool leave_setup)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		flags |= VXF_INIT_SET | VXF_PERSISTENT;
		_exit(create(xid, flags) != xid ||
		      (leave_setup && end_setup(xid)));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Context @xid, persistent and still in setup */
static inline int make_persistent(uint32_t xid, uint64_t flags)
{
	return fork_persistent(xid, flags, false);
}

/* Context @xid, persistent and past its setup */
static inline int make_persistent_past_setup(uint32_t xid)
{
	return fork_persistent(xid, 0, true);
}

/*
 * The same with every capability in its ceiling: for the tests of the
 * isolation hooks, which must hold whatever the ceiling allows, and
 * behind which the core's own permission checks must then pass.
 */
static inline int make_wide_past_setup(uint32_t xid)
{
	if (make_persistent(xid, 0) || ceiling_set(xid, ~0ULL, ~0ULL) ||
	    end_setup(xid))
		return -1;
	return 0;
}

/* Set the limits of resource @id of context @xid (64-bit entry) */
static inline long set_limit(uint32_t xid, uint32_t id, uint64_t soft,
			     uint64_t hard)
{
	struct vcmd_ctx_rlimit_v0 arg = {
		.id = id, .minimum = CRLIM_UNSET,
		.softlimit = soft, .maximum = hard,
	};

	return vs_sys64(VCMD_set_rlimit, xid, &arg);
}

/* The usage, extremes and hits of resource @id of context @xid */
static inline long limit_stat(uint32_t xid, uint32_t id,
			      struct vcmd_rlimit_stat_v0 *st)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	return vs_sys64(VCMD_rlimit_stat, xid, st);
}

static inline void end_persistent(uint32_t xid)
{
	set_flags(xid, 0, VXF_PERSISTENT);
}

/*
 * The fixture "cmds": each test runs through the 64-bit syscall and again
 * through int 0x80 (self->low is the page of vs_call()), with context
 * @xid persistent and in setup.
 */
#define FIXTURE_CMDS(xid)						\
	FIXTURE(cmds) {							\
		void *low;						\
	};								\
									\
	FIXTURE_VARIANT(cmds) {						\
		bool int80;						\
	};								\
									\
	FIXTURE_VARIANT_ADD(cmds, syscall) { .int80 = false };		\
	FIXTURE_VARIANT_ADD(cmds, int80) { .int80 = true };		\
									\
	FIXTURE_SETUP(cmds)						\
	{								\
		self->low = vs_low_alloc();				\
		ASSERT_NE(NULL, self->low);				\
		if (variant->int80)					\
			int80_page = self->low;				\
		ASSERT_EQ(0, make_persistent(xid, 0));			\
	}								\
									\
	FIXTURE_TEARDOWN(cmds)						\
	{								\
		end_persistent(xid);					\
		munmap(self->low, 4096);				\
	}

/*
 * Network contexts (nid), through the 64-bit syscall.  Addresses are in
 * network byte order, as in the structures.
 */

/* net_create v1: the new nid, or -errno */
static inline long net_create(uint32_t nid, uint64_t flags)
{
	struct vcmd_net_create arg = { .flagword = flags };

	return vs_sys64(VCMD_net_create, nid, &arg);
}

/* net_create v1 without data, as util-vserver calls it: NXF_INIT_SET */
static inline long net_create_default(uint32_t nid)
{
	return vs_sys64(VCMD_net_create, nid, NULL);
}

static inline long net_migrate(uint32_t nid)
{
	return vs_sys64(VCMD_net_migrate, nid, NULL);
}

/* The nid of task @pid (0: the caller), or -errno */
static inline long net_task_nid(pid_t pid)
{
	return vs_sys64(VCMD_task_nid, (uint32_t)pid, NULL);
}

static inline long net_get_flags(uint32_t nid, uint64_t *flags,
				 uint64_t *mask)
{
	struct vcmd_net_flags_v0 arg = { 0 };
	long ret = vs_sys64(VCMD_get_nflags, nid, &arg);

	*flags = arg.flagword;
	if (mask)
		*mask = arg.mask;
	return ret;
}

static inline long net_set_flags(uint32_t nid, uint64_t flags, uint64_t mask)
{
	struct vcmd_net_flags_v0 arg = { .flagword = flags, .mask = mask };

	return vs_sys64(VCMD_set_nflags, nid, &arg);
}

static inline long net_get_caps(uint32_t nid, uint64_t *ncaps)
{
	struct vcmd_net_caps_v0 arg = { 0 };
	long ret = vs_sys64(VCMD_get_ncaps, nid, &arg);

	*ncaps = arg.ncaps;
	return ret;
}

static inline long net_set_caps(uint32_t nid, uint64_t ncaps, uint64_t cmask)
{
	struct vcmd_net_caps_v0 arg = { .ncaps = ncaps, .cmask = cmask };

	return vs_sys64(VCMD_set_ncaps, nid, &arg);
}

/* net_add_ipv4_v1 and net_rem_ipv4_v1 */
static inline long net_add4(uint32_t nid, uint16_t type, uint32_t ip,
			    uint32_t mask)
{
	struct vcmd_net_addr_ipv4_v1 arg = {
		.type = type, .ip = ip, .mask = mask,
	};

	return vs_sys64(VCMD_net_add_ipv4_v1, nid, &arg);
}

static inline long net_rem4(uint32_t nid, uint16_t type, uint32_t ip,
			    uint32_t mask)
{
	struct vcmd_net_addr_ipv4_v1 arg = {
		.type = type, .ip = ip, .mask = mask,
	};

	return vs_sys64(VCMD_net_rem_ipv4_v1, nid, &arg);
}

/* net_add_ipv6 and net_remove_ipv6; @mask may be NULL (all zero) */
static inline long net_add6(uint32_t nid, uint16_t type, uint32_t prefix,
			    const uint8_t *ip, const uint8_t *mask)
{
	struct vcmd_net_addr_ipv6_v1 arg = { .type = type, .prefix = prefix };

	memcpy(arg.ip, ip, 16);
	if (mask)
		memcpy(arg.mask, mask, 16);
	return vs_sys64(VCMD_net_add_ipv6, nid, &arg);
}

static inline long net_rem6(uint32_t nid, uint16_t type, uint32_t prefix,
			    const uint8_t *ip, const uint8_t *mask)
{
	struct vcmd_net_addr_ipv6_v1 arg = { .type = type, .prefix = prefix };

	memcpy(arg.ip, ip, 16);
	if (mask)
		memcpy(arg.mask, mask, 16);
	return vs_sys64(VCMD_net_remove_ipv6, nid, &arg);
}

/*
 * Network context @nid with @flags and NXF_PERSISTENT, made by a child
 * that then exits: 0, or -1 if the child could not make it.
 */
static inline int net_make_persistent(uint32_t nid, uint64_t flags)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(net_create(nid, flags | NXF_PERSISTENT) != nid);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Network context @nid ends once no task and no socket uses it */
static inline void net_end_persistent(uint32_t nid)
{
	net_set_flags(nid, 0, NXF_PERSISTENT);
}

/*
 * Start @n processes that sleep until killed: the first calls @enter to
 * go into context @xid, and on success forks the others.  Each says it
 * runs through a pipe: a task is counted in a context as soon as fork()
 * begins, but signals reach it only once fork() is done.  Returns the pid
 * of the first, or -1.
 */
static inline pid_t start_sleepers(uint32_t xid, int n,
				   int (*enter)(uint32_t xid))
{
	int fds[2], i;
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (enter(xid))
			_exit(1);
		for (i = 1; i < n; i++)
			if (fork() == 0)
				break;
		write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	for (i = 0; pid > 0 && i < n; i++)
		if (read(fds[0], &c, 1) != 1)
			pid = -1;
	close(fds[0]);
	return pid;
}

/* The number after @prefix at the start of a line of @path, or -1 */
static inline int read_number(const char *path, const char *prefix)
{
	char line[128];
	int val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)))
			val = atoi(line + strlen(prefix));
	fclose(f);
	return val;
}

/* A counter of /proc/virtual/status, or -1 */
static inline int read_counter(const char *name)
{
	return read_number("/proc/virtual/status", name);
}

/* Children */

/* The result of a libc call: 0, or -errno */
static inline int ret_errno(long ret)
{
	return ret < 0 ? -errno : 0;
}

/* In a child: log a result that is not the one wanted; 1 if so. */
static inline int differs(struct __test_metadata *_metadata,
			  const char *what, long long want, long long got)
{
	if (want == got)
		return 0;
	TH_LOG("%s: got %lld (0x%llx), want %lld (0x%llx)",
	       what, got, got, want, want);
	return 1;
}

#define CHECK(want, got)						\
	differs(_metadata, #got, (long long)(want), (long long)(got))

typedef int (*child_fn)(struct __test_metadata *_metadata, const char *arg);

/*
 * Run @fn in a child process, moved first into context @xid unless @xid
 * is 0, and return what @fn returned: INT_MIN if the child could not
 * enter the context or never said.
 */
static inline int run_in(struct __test_metadata *_metadata, uint32_t xid,
			 child_fn fn, const char *arg)
{
	int fds[2], ret = INT_MIN;
	pid_t pid;

	if (pipe(fds))
		return INT_MIN;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (!xid || migrate(xid, 0) >= 0)
			ret = fn(_metadata, arg);
		else
			TH_LOG("cannot enter context %u", xid);
		write(fds[1], &ret, sizeof(ret));
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &ret, sizeof(ret)) != sizeof(ret))
		ret = INT_MIN;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return ret;
}

#endif /* VSERVER_TESTS_COMMON_H */
