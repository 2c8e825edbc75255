// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regressions found by the fuzzer (tests/fuzz/vsfuzz.c), one test each,
 * named after the bug.
 *
 * Contexts of this file have xids 7000-7099.
 */

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/*
 * In a child with a second thread: ctx_create(@arg's xid) with virtual
 * uptime, which a task that shares its memory cannot enter.  Returns
 * what ctx_create returned.
 */
static int create_multithreaded(struct __test_metadata *_metadata,
				const char *arg)
{
	uint32_t xid = (uint32_t)strtoul(arg, NULL, 0);
	pthread_t th;

	if (pthread_create(&th, NULL, idle_thread, NULL))
		return INT_MIN + 1;
	return (int)create(xid, VXF_INIT_SET | VXF_PERSISTENT |
				VXF_VIRT_UPTIME);
}

/* Is context @xid in /proc/virtual? */
static bool listed(uint32_t xid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/virtual/%u", xid);
	return access(path, F_OK) == 0;
}

/*
 * Fuzzing with seed 9199296164 (--threads 4) made ctx_create fail with
 * EUSERS: a task that shares its memory cannot enter a context with
 * VXF_VIRT_UPTIME.  With VXF_PERSISTENT the context it had just made
 * stayed: empty, persistent, and in the way of the next ctx_create
 * (EBUSY).  A failed ctx_create must leave nothing behind.
 */
TEST(failed_ctx_create_leaves_no_context)
{
	const uint32_t xid = 7001;
	long ret;

	ASSERT_EQ(-ESRCH, ctx_tasks(xid));
	ret = run_in(_metadata, 0, create_multithreaded, "7001");
	EXPECT_EQ(-EUSERS, ret);

	EXPECT_EQ(-ESRCH, ctx_tasks(xid))
		TH_LOG("context %u is left behind", xid);
	EXPECT_FALSE(listed(xid));
	/* A single-threaded task can create it now */
	EXPECT_EQ(0, make_persistent(xid, VXF_VIRT_UPTIME));

	end_persistent(xid);
	EXPECT_EQ(-ESRCH, ctx_tasks(xid));
}

/* Mark the xids in /proc/virtual in @map (65536 bits) */
static void list_contexts(uint8_t *map)
{
	DIR *d = opendir("/proc/virtual");
	struct dirent *de;
	unsigned long x;
	char *end;

	memset(map, 0, 65536 / 8);
	while (d && (de = readdir(d))) {
		x = strtoul(de->d_name, &end, 10);
		if (!*end && x && x <= VX_XID_MAX)
			map[x / 8] |= 1u << (x % 8);
	}
	if (d)
		closedir(d);
}

/*
 * The same with VX_XID_DYNAMIC: the caller does not even learn which
 * xid it leaked.  Nothing new may be in /proc/virtual afterwards.
 */
TEST(failed_dynamic_ctx_create_leaves_no_context)
{
	static uint8_t before[65536 / 8], after[65536 / 8];
	int leaked = 0;
	uint32_t x;
	long ret;

	list_contexts(before);
	ret = run_in(_metadata, 0, create_multithreaded, "0xffffffff");
	EXPECT_EQ(-EUSERS, ret);

	list_contexts(after);
	for (x = VX_XID_MIN; x <= VX_XID_MAX; x++) {
		if (!(after[x / 8] & (1u << (x % 8))) ||
		    (before[x / 8] & (1u << (x % 8))))
			continue;
		TH_LOG("context %u is left behind", x);
		leaked++;
		end_persistent(x);	/* clean up whatever the result */
	}
	EXPECT_EQ(0, leaked);
}

TEST_HARNESS_MAIN
