// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands of VCI 2.3.4 beyond contexts, caps and limits: spaces,
 * virt_stat and badness, through both entries; and the historic rules of
 * set_rlimit that util-vserver's vlimit relies on.
 */

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "common.h"

#define SPACE_MASK_ALL	0x7C020200ULL	/* FS|NS|UTS|IPC|USER|PID|NET */
#define SPACE_MASK_V0	0x1C020200ULL	/* FS|NS|UTS|IPC|USER */
#define SPACE_DEFAULT	0x0C020200ULL	/* FS|NS|UTS|IPC */

static long set_space(uint32_t xid, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask_v2 arg = { .mask = mask, .index = index };

	return vs_sys64(VCMD_set_space, xid, &arg);
}

static long enter_space(uint32_t xid, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask_v2 arg = { .mask = mask, .index = index };

	return vs_sys64(VCMD_enter_space, xid, &arg);
}

/* The inode of /proc/self/ns/@name, or 0 */
static unsigned long ns_inode(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &st) ? 0 : st.st_ino;
}

TEST(the_space_masks_are_the_historic_ones)
{
	struct vcmd_space_mask_v1 m;
	uint32_t *low = vs_low_alloc();

	ASSERT_NE(NULL, low);
	ASSERT_EQ(0, vs_sys64(VCMD_get_space_mask, 0, &m));
	EXPECT_EQ(SPACE_MASK_ALL, m.mask);
	ASSERT_EQ(0, vs_sys64(VCMD_get_space_mask_v0, 0, &m));
	EXPECT_EQ(SPACE_MASK_V0, m.mask);
	ASSERT_EQ(0, vs_sys64(VCMD_get_space_default, 0, &m));
	EXPECT_EQ(SPACE_DEFAULT, m.mask);
	/* int 0x80 answers the same */
	ASSERT_EQ(0, vs_sys32(VCMD_get_space_default, 0, vs_ptr32(low)));
	EXPECT_EQ(SPACE_DEFAULT, *(uint64_t *)low);
	EXPECT_EQ(VCI_SPACES, vs_sys64(VCMD_get_vci, 0, NULL) & VCI_SPACES);
	EXPECT_EQ(0x00020304, vs_sys64(VCMD_get_version, 63, NULL));
	munmap(low, 4096);
}

/*
 * A task with mount and UTS namespaces of its own stores them in space 0
 * of a persistent context; another host task joins them.
 */
TEST(a_host_task_joins_the_namespaces_a_space_stored)
{
	unsigned long uts, mnt, got[2];
	int fds[2], status;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(7201, 0));
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS | CLONE_NEWUTS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    chdir("/tmp") ||
		    set_space(7201, CLONE_FS | CLONE_NEWNS | CLONE_NEWUTS, 0))
			_exit(1);
		got[0] = ns_inode("uts");
		got[1] = ns_inode("mnt");
		_exit(write(fds[1], got, sizeof(got)) == sizeof(got) ? 0 : 2);
	}
	close(fds[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ((ssize_t)sizeof(got), read(fds[0], got, sizeof(got)));
	uts = got[0];
	mnt = got[1];
	close(fds[0]);
	ASSERT_NE(uts, ns_inode("uts"));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char cwd[64];

		/* Not stored: refused as a whole */
		if (enter_space(7201, CLONE_NEWNET, 0) != -EINVAL)
			_exit(10);
		if (enter_space(7201, CLONE_FS, 0) != -EINVAL)
			_exit(11);
		if (enter_space(7201, 0, 2) != -EINVAL)
			_exit(12);
		if (enter_space(7201, 0, 0))
			_exit(13);
		if (ns_inode("uts") != uts || ns_inode("mnt") != mnt)
			_exit(14);
		/* CLONE_FS: the working directory the space stored */
		if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/tmp"))
			_exit(15);
		/* Joining is not entering the context */
		_exit(vs_sys64(VCMD_task_xid, 0, NULL) == 0 ? 0 : 16);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	end_persistent(7201);
}

TEST(space_commands_check_their_arguments_and_the_caller)
{
	struct vcmd_space_mask_v2 arg = { .mask = CLONE_NEWUTS };
	uint32_t *low = vs_low_alloc();
	int status;
	pid_t pid;

	ASSERT_NE(NULL, low);
	ASSERT_EQ(0, make_persistent(7202, 0));
	EXPECT_EQ(-EINVAL, set_space(7202, CLONE_NEWUTS, 2));
	EXPECT_EQ(-EINVAL, set_space(7202, CLONE_VM, 0));
	EXPECT_EQ(-ESRCH, set_space(7299, CLONE_NEWUTS, 0));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_set_space, 7202, NULL));
	/* i386 callers pass 12 bytes: the last 4 of a page are enough */
	memcpy((char *)low + 4096 - 12, &arg, 12);
	EXPECT_EQ(0, vs_sys32(VCMD_set_space, 7202,
			      vs_ptr32((char *)low + 4096 - 12)));
	EXPECT_EQ(0, vs_sys64(VCMD_set_space_v1, 7202, &arg.mask));
	/* Nothing stored in space 1: joining all of it joins nothing */
	EXPECT_EQ(0, enter_space(7202, 0, 1));
	EXPECT_EQ(-EINVAL, enter_space(7202, CLONE_NEWUTS, 1));

	/* An unprivileged host user may do neither */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(1);
		_exit(set_space(7202, CLONE_NEWUTS, 0) == -EPERM &&
		      enter_space(7202, 0, 0) == -EPERM ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* A task of the context may store during setup only */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (migrate(7202, 0))
			_exit(1);
		if (set_space(VX_XID_SELF, CLONE_NEWUTS, 1))
			_exit(2);
		if (enter_space(VX_XID_SELF, 0, 1) != -EPERM)
			_exit(3);
		if (end_setup(VX_XID_SELF))
			_exit(4);
		_exit(set_space(VX_XID_SELF, CLONE_NEWUTS, 1) == -EPERM ?
		      0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The host still may, and private contexts past setup stay shut */
	EXPECT_EQ(0, set_space(7202, CLONE_NEWUTS, 1));
	EXPECT_EQ(0, set_flags(7202, VXF_INFO_PRIVATE, VXF_INFO_PRIVATE));
	EXPECT_EQ(-EACCES, enter_space(7202, 0, 0));
	end_persistent(7202);
	munmap(low, 4096);
}

/* Kill every task of context @xid and wait until the context is gone */
static int end_context(uint32_t xid)
{
	struct vcmd_ctx_kill_v0 kill = { .pid = 0, .sig = SIGKILL };
	struct vcmd_wait_exit_v0 wait;
	long ret = vs_sys64(VCMD_ctx_kill, xid, &kill);

	if (ret && ret != -ESRCH)
		return -1;
	ret = vs_sys64(VCMD_wait_exit, xid, &wait);
	return ret && ret != -ESRCH ? -1 : 0;
}

/* For start_sleepers(): make context @xid and stay in it */
static int make_and_stay(uint32_t xid)
{
	return create(xid, 0) == (long)xid ? 0 : -1;
}

/* For start_sleepers(): enter context @xid */
static int migrate_to(uint32_t xid)
{
	return migrate(xid, 0) < 0 ? -1 : 0;
}

TEST(virt_stat_counts_the_tasks_forks_and_time_of_a_context)
{
	struct vcmd_virt_stat_v0 a, b;
	pid_t pid;

	pid = start_sleepers(7203, 3, make_and_stay);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, vs_sys64(VCMD_virt_stat, 7203, &a));
	EXPECT_EQ(3U, a.nr_threads);
	EXPECT_EQ(2U, a.nr_forks);
	EXPECT_EQ(0ULL, a.offset);
	EXPECT_EQ(0U, a.load[0]);
	usleep(10000);
	ASSERT_EQ(0, vs_sys64(VCMD_virt_stat, 7203, &b));
	EXPECT_LT(a.uptime, b.uptime);
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_virt_stat, 7298, &b));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_virt_stat, 7203, NULL));
	EXPECT_EQ(0, end_context(7203));
	waitpid(pid, NULL, 0);
}

/* The oom_score_adj of @pid, or INT_MIN */
static int oom_score_adj(pid_t pid)
{
	char path[64];
	int val = INT_MIN;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &val) != 1)
			val = INT_MIN;
		fclose(f);
	}
	return val;
}

TEST(badness_becomes_the_oom_score_adj_of_the_context)
{
	struct vcmd_badness_v0 bias = { .bias = 300 }, got;
	pid_t pid, later;

	ASSERT_EQ(0, make_persistent(7204, 0));
	pid = start_sleepers(7204, 1, migrate_to);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, vs_sys64(VCMD_get_badness, 7204, &got));
	EXPECT_EQ(0LL, got.bias);
	ASSERT_EQ(0, vs_sys64(VCMD_set_badness, 7204, &bias));
	ASSERT_EQ(0, vs_sys64(VCMD_get_badness, 7204, &got));
	EXPECT_EQ(300LL, got.bias);
	EXPECT_EQ(300, oom_score_adj(pid));
	/* Beyond the range: clamped; and a task entering later gets it */
	bias.bias = -5000;
	ASSERT_EQ(0, vs_sys64(VCMD_set_badness, 7204, &bias));
	EXPECT_EQ(-1000, oom_score_adj(pid));
	later = start_sleepers(7204, 1, migrate_to);
	ASSERT_LT(0, later);
	EXPECT_EQ(-1000, oom_score_adj(later));
	end_persistent(7204);
	EXPECT_EQ(0, end_context(7204));
	waitpid(pid, NULL, 0);
	waitpid(later, NULL, 0);
}

/* vlimit -c N --nproc 10: {id, KEEP, KEEP, max} */
TEST(a_kept_soft_limit_follows_a_lower_hard_limit)
{
	struct vcmd_ctx_rlimit_v0 set = {
		.id = RLIMIT_NPROC, .minimum = CRLIM_KEEP,
		.softlimit = 50, .maximum = 50,
	}, get = { .id = RLIMIT_NPROC };

	ASSERT_EQ(0, make_persistent(7205, 0));
	ASSERT_EQ(0, vs_sys64(VCMD_set_rlimit, 7205, &set));
	set.softlimit = CRLIM_KEEP;
	set.maximum = 10;
	EXPECT_EQ(0, vs_sys64(VCMD_set_rlimit, 7205, &set));
	ASSERT_EQ(0, vs_sys64(VCMD_get_rlimit, 7205, &get));
	EXPECT_EQ(10ULL, get.softlimit);
	EXPECT_EQ(10ULL, get.maximum);
	/* A soft limit given above the hard one is still refused */
	set.softlimit = 20;
	set.maximum = CRLIM_KEEP;
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_set_rlimit, 7205, &set));
	end_persistent(7205);
}

TEST_HARNESS_MAIN
