// SPDX-License-Identifier: GPL-2.0-only
/*
 * sys_vserver: contexts.  Creation, entry, flags, names, kill and wait,
 * their argument checks and permissions, and the life cycle of a context
 * (it ends with its last task unless it is persistent).
 *
 * Each test runs in its own child process (kselftest_harness.h), so a
 * test may move itself into a context without disturbing the others.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

/*
 * Fork a child that creates context @xid and goes on like a child of
 * fork(); the parent returns once the child is in the context.
 */
static pid_t fork_into_new_context(uint32_t xid)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (create(xid, VXF_INIT_SET) != xid)
			_exit(1);
		return 0;
	}
	while (pid > 0 && ctx_tasks(xid) != 1)
		usleep(1000);
	return pid;
}

TEST(create_moves_the_caller_and_returns_the_xid)
{
	ASSERT_EQ(0, vs_sys64(VCMD_task_xid, 0, NULL));
	ASSERT_EQ(1000, create(1000, VXF_INIT_SET));
	EXPECT_EQ(1000, vs_sys64(VCMD_task_xid, 0, NULL));
	EXPECT_EQ(1000, vs_sys64(VCMD_task_xid, getpid(), NULL));
	EXPECT_EQ(1, ctx_tasks(VX_XID_SELF));
}

TEST(create_with_a_dynamic_id_picks_a_free_one)
{
	long xid = create(VX_XID_DYNAMIC, VXF_INIT_SET);

	ASSERT_LE(49152, xid);
	ASSERT_GE(65535, xid);
	EXPECT_EQ(xid, vs_sys64(VCMD_task_xid, 0, NULL));
}

TEST(create_v0_uses_the_default_flags)
{
	uint64_t flags;

	ASSERT_EQ(1001, vs_sys64(VCMD_ctx_create_v0, 1001, NULL));
	ASSERT_EQ(0, get_flags(VX_XID_SELF, &flags));
	EXPECT_EQ(VXF_INIT_SET, flags);
}

TEST(create_checks_its_arguments)
{
	EXPECT_EQ(-EINVAL, create(0, VXF_INIT_SET));
	EXPECT_EQ(-EINVAL, create(1, VXF_INIT_SET));
	EXPECT_EQ(-EINVAL, create(65536, VXF_INIT_SET));
	EXPECT_EQ(-EINVAL, create(0x7fffffff, VXF_INIT_SET));
	/* Unknown flags, and flags of features this kernel lacks */
	EXPECT_EQ(-EINVAL, create(1002, VXF_INIT_SET | (1ULL << 63)));
	EXPECT_EQ(-EINVAL, create(1002, VXF_INIT_SET | (1ULL << 25)));
	/* Private without setup could never be configured */
	EXPECT_EQ(-EACCES, create(1002, VXF_INFO_PRIVATE));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_ctx_create, 1002, NULL));
	/* Nothing was created, and the caller is still in the host. */
	EXPECT_EQ(-ESRCH, ctx_tasks(1002));
	EXPECT_EQ(0, vs_sys64(VCMD_task_xid, 0, NULL));
}

TEST(create_tells_busy_from_existing)
{
	ASSERT_EQ(0, make_persistent(1003, 0));
	/* Still in setup: EBUSY */
	EXPECT_EQ(-EBUSY, create(1003, VXF_INIT_SET));
	ASSERT_EQ(0, set_flags(1003, 0, VXF_STATE_SETUP));
	/* Past setup: EEXIST */
	EXPECT_EQ(-EEXIST, create(1003, VXF_INIT_SET));
	end_persistent(1003);
	EXPECT_EQ(-ESRCH, ctx_tasks(1003));
}

TEST(a_context_ends_with_its_last_task)
{
	struct vcmd_vx_info_v0 info;
	int status;
	pid_t pid = fork_into_new_context(1004);

	ASSERT_LE(0, pid);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	EXPECT_EQ(0, vs_sys64(VCMD_vx_info, 1004, &info));
	EXPECT_EQ(1004U, info.xid);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_vx_info, 1004, &info));
}

TEST(a_persistent_context_survives_until_released)
{
	ASSERT_EQ(0, make_persistent(1005, 0));
	EXPECT_EQ(0, ctx_tasks(1005));
	/* Entering and leaving (by exit) keeps it. */
	end_persistent(1005);
	EXPECT_EQ(-ESRCH, ctx_tasks(1005));
}

TEST(wait_exit_returns_when_the_context_ends)
{
	struct vcmd_wait_exit_v0 w;
	int status;
	pid_t pid = fork_into_new_context(1006);

	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(200000);
		_exit(7);
	}
	EXPECT_EQ(0, vs_sys64(VCMD_wait_exit, 1006, &w));
	EXPECT_EQ(7 << 8, w.exit_code);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_wait_exit, 1006, &w));
}

TEST(migrate_enters_a_context)
{
	uint64_t flags;

	ASSERT_EQ(0, make_persistent(1007, 0));
	ASSERT_EQ(0, migrate(1007, VXM_SET_INIT));
	EXPECT_EQ(1007, vs_sys64(VCMD_task_xid, 0, NULL));
	EXPECT_EQ(1, ctx_tasks(VX_XID_SELF));
	ASSERT_EQ(0, get_flags(VX_XID_SELF, &flags));
	EXPECT_EQ(0ULL, flags & VXF_STATE_INIT);
	/* Once inside, there is no way out or on. */
	EXPECT_EQ(-EPERM, migrate(1007, 0));
	EXPECT_EQ(-EPERM, create(VX_XID_DYNAMIC, VXF_INIT_SET));
	EXPECT_EQ(0, set_flags(VX_XID_SELF, 0, VXF_PERSISTENT));
}

TEST(migrate_checks_its_target)
{
	EXPECT_EQ(-ESRCH, migrate(1008, 0));
	EXPECT_EQ(-ESRCH, migrate(0, 0));
	EXPECT_EQ(-ESRCH, migrate(65536, 0));
	EXPECT_EQ(-EINVAL, migrate(1008, 4));
	ASSERT_EQ(0, make_persistent(1008, 0));
	ASSERT_EQ(0, set_flags(1008, VXF_INFO_PRIVATE, VXF_INFO_PRIVATE));
	ASSERT_EQ(0, set_flags(1008, 0, VXF_STATE_SETUP));
	EXPECT_EQ(-EACCES, migrate(1008, 0));
	EXPECT_EQ(0, vs_sys64(VCMD_task_xid, 0, NULL));
	end_persistent(1008);
}

TEST(migrate_to_1_makes_a_spectator)
{
	EXPECT_EQ(1, migrate(VX_XID_SPECTATOR, 0));
	EXPECT_EQ(1, vs_sys64(VCMD_task_xid, 0, NULL));
	/* A spectator is no administrator. */
	EXPECT_EQ(-EPERM, create(1009, VXF_INIT_SET));
	/* It signals nothing outside the spectators. */
	EXPECT_EQ(-1, kill(1, 0));
	EXPECT_EQ(EPERM, errno);
}

TEST(one_way_flags_never_come_back)
{
	uint64_t flags;

	ASSERT_EQ(0, make_persistent(1010, 0));
	ASSERT_EQ(0, set_flags(1010, 0, VXF_STATE_SETUP | VXF_STATE_ADMIN));
	ASSERT_EQ(0, set_flags(1010, VXF_ONE_TIME, VXF_ONE_TIME));
	ASSERT_EQ(0, get_flags(1010, &flags));
	EXPECT_EQ(VXF_STATE_INIT | VXF_PERSISTENT, flags);
	end_persistent(1010);
}

TEST(a_context_configures_itself_only_during_setup)
{
	uint64_t flags;
	struct vcmd_vhi_name_v0 name = { .field = VHIN_CONTEXT };

	ASSERT_EQ(1011, create(1011, VXF_INIT_SET));
	/* In setup: the context may name itself and change its flags. */
	strcpy(name.name, "web");
	EXPECT_EQ(0, vs_sys64(VCMD_set_vhi_name, VX_XID_SELF, &name));
	EXPECT_EQ(0, set_flags(VX_XID_SELF, VXF_HIDE_VINFO, VXF_HIDE_VINFO));
	EXPECT_EQ(0, set_flags(VX_XID_SELF, 0, VXF_STATE_SETUP));
	/* After: nothing, not even lifting its own restrictions. */
	EXPECT_EQ(-EPERM, set_flags(VX_XID_SELF, 0, VXF_HIDE_VINFO));
	EXPECT_EQ(-EPERM, vs_sys64(VCMD_set_vhi_name, VX_XID_SELF, &name));
	ASSERT_EQ(0, get_flags(1011, &flags));
	EXPECT_EQ(VXF_HIDE_VINFO, flags & VXF_HIDE_VINFO);
	memset(name.name, 0, sizeof(name.name));
	EXPECT_EQ(0, vs_sys64(VCMD_get_vhi_name, 1011, &name));
	EXPECT_STREQ("web", name.name);
}

TEST(names_must_fit)
{
	struct vcmd_vhi_name_v0 name = { .field = VHIN_CONTEXT };

	ASSERT_EQ(1012, create(1012, VXF_INIT_SET));
	memset(name.name, 'x', sizeof(name.name));
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_set_vhi_name, VX_XID_SELF, &name));
	name.name[VHILEN - 1] = '\0';
	EXPECT_EQ(0, vs_sys64(VCMD_set_vhi_name, VX_XID_SELF, &name));
	name.field = 7;
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_set_vhi_name, VX_XID_SELF, &name));
}

TEST(a_context_sees_no_other_context)
{
	struct vcmd_vx_info_v0 info;

	ASSERT_EQ(0, make_persistent(1013, 0));
	ASSERT_EQ(1014, create(1014, VXF_INIT_SET));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_vx_info, 1013, &info));
	EXPECT_EQ(-ESRCH, ctx_tasks(1013));
	EXPECT_EQ(0, vs_sys64(VCMD_vx_info, 1014, &info));
	/* task_xid of a host task */
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_task_xid, 1, NULL));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_task_xid, getppid(), NULL));
}

/* In a new context @xid: its init, past the init state */
static int enter_as_init(uint32_t xid)
{
	return create(xid, VXF_INIT_SET) != xid ||
	       set_flags(xid, 0, VXF_STATE_INIT) ? -1 : 0;
}

/* Start @n sleeping processes in a new context; the first is its init. */
static pid_t start_context(uint32_t xid, int n)
{
	return start_sleepers(xid, n, enter_as_init);
}

TEST(ctx_kill_signals_the_tasks_of_a_context)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
	pid_t pid = start_context(1015, 4);
	int status;

	ASSERT_LT(0, pid);
	k.sig = 65;
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_ctx_kill, 1015, &k));
	k.sig = SIGKILL;
	k.pid = getpid();
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_kill, 1015, &k));
	k.pid = 0;
	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, 1015, &k));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	while (ctx_tasks(1015) >= 0)
		usleep(1000);
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_kill, 1015, &k));
}

TEST(unprivileged_host_users_cannot_create_or_enter)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(1016, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(10);
		if (create(1017, VXF_INIT_SET) != -EPERM)
			_exit(11);
		if (migrate(1016, 0) != -EPERM)
			_exit(12);
		if (set_flags(1016, 0, VXF_PERSISTENT) != -EPERM)
			_exit(13);
		/* Reading is allowed. */
		_exit(ctx_tasks(1016) == 0 ? 0 : 14);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, ctx_tasks(1016));
	end_persistent(1016);
}

TEST(context_commands_fault_on_bad_pointers)
{
	ASSERT_EQ(0, make_persistent(1018, 0));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_vx_info, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_ctx_stat, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_cflags, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_set_cflags, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_ctx_kill, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_vhi_name, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_set_vhi_name, 1018, NULL));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_ctx_migrate, 1018, NULL));
	/* An unknown target is ESRCH, checked after the copy. */
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_stat, 1019, &(struct vcmd_ctx_stat_v0){}));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_stat, 0, &(struct vcmd_ctx_stat_v0){}));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_stat, 1, &(struct vcmd_ctx_stat_v0){}));
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_ctx_stat, VX_XID_SELF, &(struct vcmd_ctx_stat_v0){}));
	end_persistent(1018);
}

TEST(int80_reaches_the_same_commands)
{
	struct vcmd_ctx_stat_v0 *st = vs_low_alloc();

	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, make_persistent(1020, 0));
	EXPECT_EQ(0, vs_sys32(VCMD_ctx_stat, 1020, vs_ptr32(st)));
	EXPECT_EQ(0U, st->tasks);
	EXPECT_EQ(0, vs_sys32(VCMD_task_xid, 0, 0));
	end_persistent(1020);
}

/* Creation is not fast under TCG with KASAN: give it more than 30 s. */
FIXTURE(thousand) {};
FIXTURE_SETUP(thousand) {}
FIXTURE_TEARDOWN(thousand) {}

TEST_F_TIMEOUT(thousand, contexts_leave_nothing_behind, 300)
{
	int total = read_counter("#CTotal:"), active = read_counter("#CActive:");
	struct timespec t0, t1;
	int i, status;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	ASSERT_LE(0, total);
	for (i = 0; i < 1000; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(create(VX_XID_DYNAMIC, VXF_INIT_SET) < 0);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("1000 contexts created and ended in %ld ms",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	/* Objects are freed after an RCU grace period, from a workqueue. */
	for (i = 0; i < 500 && read_counter("#CTotal:") != total; i++)
		usleep(10000);
	EXPECT_EQ(total, read_counter("#CTotal:"));
	EXPECT_EQ(active, read_counter("#CActive:"));
}

TEST(ctx_kill_minus_one_spares_init_and_1_hits_init)
{
	struct vcmd_vx_info_v0 info;
	struct vcmd_ctx_kill_v0 k = { .pid = -1, .sig = SIGKILL };
	pid_t init = start_context(1021, 3);
	int status;

	ASSERT_LT(0, init);
	ASSERT_EQ(0, vs_sys64(VCMD_vx_info, 1021, &info));
	EXPECT_EQ((uint32_t)init, info.initpid);
	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, 1021, &k));
	/* Only the init is left. */
	while (ctx_tasks(1021) != 1)
		usleep(1000);
	EXPECT_EQ(0, kill(init, 0));
	k.pid = 1;
	k.sig = SIGKILL;
	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, 1021, &k));
	ASSERT_EQ(init, waitpid(init, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(-ESRCH, ctx_tasks(1021));
}

TEST(a_dead_init_is_reported_as_none)
{
	struct vcmd_vx_info_v0 info;
	int status;
	pid_t init = start_context(1027, 2);

	ASSERT_LT(0, init);
	ASSERT_EQ(0, set_flags(1027, VXF_PERSISTENT, VXF_PERSISTENT));
	kill(init, SIGKILL);
	ASSERT_EQ(init, waitpid(init, &status, 0));
	/* Its child lives on, the init is gone. */
	while (ctx_tasks(1027) != 1)
		usleep(1000);
	ASSERT_EQ(0, vs_sys64(VCMD_vx_info, 1027, &info));
	EXPECT_EQ(0U, info.initpid);
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };

	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, 1027, &k));
	set_flags(1027, 0, VXF_PERSISTENT);
}

TEST(set_reaper_makes_the_caller_a_subreaper)
{
	int is_reaper = 0;

	ASSERT_EQ(0, make_persistent(1022, 0));
	ASSERT_EQ(0, migrate(1022, VXM_SET_REAPER));
	ASSERT_EQ(0, prctl(PR_GET_CHILD_SUBREAPER, &is_reaper));
	EXPECT_EQ(1, is_reaper);
	EXPECT_EQ(0, set_flags(VX_XID_SELF, 0, VXF_PERSISTENT));
}

TEST(hide_vinfo_hides_the_vxid_line)
{
	char line[128];
	int found = 0;
	FILE *f;

	ASSERT_EQ(1023, create(1023, VXF_INIT_SET | VXF_HIDE_VINFO));
	f = fopen("/proc/self/status", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VxID:", 5))
			found = 1;
	fclose(f);
	EXPECT_EQ(0, found);
}

/* Every command, issued from inside a context that has left setup */
static int past_setup_checks(void)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = 0 };
	struct vcmd_vhi_name_v0 name = { .field = VHIN_CONTEXT };
	struct vcmd_wait_exit_v0 w;
	struct vcmd_vx_info_v0 info;
	uint64_t flags;
	int bad = 0;

	if (create(1025, VXF_INIT_SET) != 1025 ||
	    set_flags(VX_XID_SELF, 0, VXF_STATE_SETUP))
		return 100;

	/* Looking at itself is fine. */
	bad += vs_sys64(VCMD_vx_info, VX_XID_SELF, &info) != 0;
	bad += get_flags(1025, &flags) != 0;
	bad += vs_sys64(VCMD_get_vhi_name, 1025, &name) != 0;
	bad += vs_sys64(VCMD_task_xid, 0, NULL) != 1025;
	bad += vs_sys64(VCMD_get_version, 0, NULL) != VCI_VERSION;

	/* Changing anything is not. */
	bad += create(VX_XID_DYNAMIC, VXF_INIT_SET) != -EPERM;
	bad += vs_sys64(VCMD_ctx_create_v0, 1026, NULL) != -EPERM;
	bad += migrate(1024, 0) != -EPERM;
	bad += migrate(VX_XID_SPECTATOR, 0) != -EPERM;
	bad += vs_sys64(VCMD_ctx_migrate_v0, 1024, NULL) != -EPERM;
	bad += set_flags(1025, 0, VXF_INFO_PRIVATE) != -EPERM;
	bad += vs_sys64(VCMD_set_vhi_name, 1025, &name) != -EPERM;
	bad += vs_sys64(VCMD_ctx_kill, 1025, &k) != -EPERM;

	/* Other contexts do not exist for it. */
	bad += vs_sys64(VCMD_vx_info, 1024, &info) != -ESRCH;
	bad += get_flags(1024, &flags) != -ESRCH;
	bad += vs_sys64(VCMD_wait_exit, 1024, &w) != -ESRCH;
	bad += vs_sys64(VCMD_get_vhi_name, 1024, &name) != -ESRCH;
	bad += ctx_tasks(1024) != -ESRCH;
	return bad;
}

TEST(a_context_past_setup_can_only_look_at_itself)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(1024, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(past_setup_checks());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* The exit status counts the calls that did not answer as expected. */
	EXPECT_EQ(0, WEXITSTATUS(status));
	end_persistent(1024);
}

TEST_HARNESS_MAIN
