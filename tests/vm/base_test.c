// SPDX-License-Identifier: GPL-2.0-only
/*
 * sys_vserver: the entry points, the version queries and the dispatcher's
 * error contract (unknown command, bad pointer), through both the 64-bit
 * syscall and int 0x80.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

/* nproc, nofile, msgqueue, nsock, shmem, semary, nsems */
#define VS_LIMIT_MASK	((1U << RLIMIT_NPROC) | (1U << RLIMIT_NOFILE) |	\
			 (1U << RLIMIT_MSGQUEUE) | (1U << VLIMIT_NSOCK) |	\
			 (1U << VLIMIT_SHMEM) | (1U << VLIMIT_SEMARY) |	\
			 (1U << VLIMIT_NSEMS))

TEST(get_version_returns_the_vci_level)
{
	EXPECT_EQ(VCI_VERSION, vs_sys64(VCMD_get_version, 63, NULL));
	/* The id is ignored, whatever it is. */
	EXPECT_EQ(VCI_VERSION, vs_sys64(VCMD_get_version, 0, NULL));
	EXPECT_EQ(VCI_VERSION, vs_sys64(VCMD_get_version, 0xffffffff, NULL));
}

TEST(get_vci_returns_the_feature_mask)
{
	long vci = vs_sys64(VCMD_get_vci, 0, NULL);

	ASSERT_LE(0, vci);
	/* Reserved, never set. */
	EXPECT_EQ(0, vci & (1u << 31));
	/* Historic features that this kernel does not have. */
	EXPECT_EQ(0, vci & (VCI_COWBL | VCI_FULLCOWBL | VCI_TAGGED_MASK |
			    VCI_PPTAG | VCI_HISTORY | VCI_DEBUG));
}

TEST(int80_gives_the_same_answers)
{
	uint32_t *low = vs_low_alloc();

	ASSERT_NE(NULL, low);
	EXPECT_EQ(vs_sys64(VCMD_get_version, 63, NULL),
		  vs_sys32(VCMD_get_version, 63, 0));
	EXPECT_EQ(vs_sys64(VCMD_get_vci, 0, NULL),
		  vs_sys32(VCMD_get_vci, 0, 0));
	EXPECT_EQ(-EOPNOTSUPP, vs_sys32(0x3fff0fff, 0, 0));
	EXPECT_EQ(-EFAULT, vs_sys32(VCMD_get_rlimit_mask, 0, 0));

	memset(low, 0xa5, 4096);
	EXPECT_EQ(0, vs_sys32(VCMD_get_rlimit_mask, 0, vs_ptr32(low)));
	EXPECT_EQ(0U, low[0]);
	EXPECT_EQ(VS_LIMIT_MASK, low[1]);
	EXPECT_EQ(VS_LIMIT_MASK, low[2]);
	/* Exactly 12 bytes are written. */
	EXPECT_EQ(0xa5a5a5a5U, low[3]);
	munmap(low, 4096);
}

/* Unknown command words: each field out of range, and reserved bits. */
static const uint32_t unknown_cmds[] = {
	VC_CMD(VC_CAT_VERSION, 0, 1),		/* get_version, bad version */
	VC_CMD(VC_CAT_VERSION, 2, 0),		/* no such command */
	VC_CMD(VC_CAT_VERSION, 0xff, 0xfff),
	VC_CMD(VC_CAT_SYSTEST, 0, 0),		/* no such category here */
	VC_CMD(VC_CAT_COMPAT, 1, 1),		/* legacy new_s_context */
	VC_CMD(VC_CAT_VPROC, 1, 2),		/* ctx_create "v2", never real */
	VC_CMD(VC_CAT_PROCMIG, 1, 2),		/* ctx_migrate "v2" */
	VC_CMD(VC_CAT_FLAGS, 3, 0),		/* get_ccaps v0, retired */
	VCMD_get_version | 0x1000,		/* reserved bits 12-15 */
	VCMD_get_version | 0x40000000,		/* reserved bits 30-31 */
	VCMD_get_vci | 0x80000000,
	VCMD_get_rlimit_mask | 0x8000,
	0xffffffff,
};

TEST(unknown_commands_are_not_supported)
{
	size_t i;

	for (i = 0; i < sizeof(unknown_cmds) / sizeof(unknown_cmds[0]); i++) {
		TH_LOG("command 0x%08x", unknown_cmds[i]);
		EXPECT_EQ(-EOPNOTSUPP, vs_sys64(unknown_cmds[i], 0, NULL));
		EXPECT_EQ(-EOPNOTSUPP, vs_sys32(unknown_cmds[i], 0, 0));
	}
}

TEST(only_the_low_32_bits_of_cmd_and_id_count)
{
	/* The high halves of the 64-bit registers are ignored. */
	EXPECT_EQ(VCI_VERSION, syscall(VSERVER_NR_X86_64,
				       0xdead000000000000UL | VCMD_get_version,
				       0xbeef000000000000UL | 63, NULL));
}

TEST(get_rlimit_mask_reports_the_counted_resources)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;

	memset(&mask, 0xff, sizeof(mask));
	ASSERT_EQ(0, vs_sys64(VCMD_get_rlimit_mask, 0, &mask));
	EXPECT_EQ(0U, mask.minimum);
	EXPECT_EQ(VS_LIMIT_MASK, mask.softlimit);
	EXPECT_EQ(VS_LIMIT_MASK, mask.maximum);
}

TEST(bad_pointers_fault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;

	/* NULL, a kernel address, and a page that is not mapped. */
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit_mask, 0, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit_mask, 0,
				    (void *)0xffffffff81000000UL));
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit_mask, 0, map + page));

	/* A structure that straddles into the unmapped page. */
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit_mask, 0, map + page - 4));

	/* A read-only page cannot take the answer. */
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit_mask, 0, map));

	/* The last whole structure before the hole is fine. */
	ASSERT_EQ(0, mprotect(map, page, PROT_READ | PROT_WRITE));
	EXPECT_EQ(0, vs_sys64(VCMD_get_rlimit_mask, 0, map + page - 12));
	munmap(map, page);
}

TEST(misaligned_structures_are_accepted)
{
	char buf[32] __attribute__((aligned(8)));

	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(0, vs_sys64(VCMD_get_rlimit_mask, 0, buf + 1));
	EXPECT_EQ(0x5a, buf[0]);
	EXPECT_EQ(0, buf[1]);
	EXPECT_EQ(0, buf[12]);
	EXPECT_EQ(0x5a, buf[13]);
}

TEST(unprivileged_callers_may_query)
{
	/* Drop to nobody; the queries need no privilege. */
	if (getuid() == 0)
		ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	EXPECT_EQ(VCI_VERSION, vs_sys64(VCMD_get_version, 63, NULL));
	EXPECT_LE(0, vs_sys64(VCMD_get_vci, 0, NULL));
	EXPECT_EQ(VCI_VERSION, vs_sys32(VCMD_get_version, 63, 0));
}

TEST_HARNESS_MAIN
