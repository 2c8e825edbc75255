// SPDX-License-Identifier: GPL-2.0-only
/*
 * Isolation between contexts: what a task in one context can see and do
 * to the tasks of another, for each actor (the host, context A, context B,
 * a spectator) and each operation, with the exact errno.
 *
 * Every case starts three target processes, each sleeping: one in the
 * host, one in context A, one in context B.  The actor is a child process
 * that moves itself into its context and then tries the operation on each
 * target.
 */

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

#define XID_A	2001
#define XID_B	2002

enum target { T_HOST, T_A, T_B, NR_TARGETS };

static const char *const target_names[NR_TARGETS] = { "host", "A", "B" };

/* In context @xid (0: the host), in a process group of its own */
static int enter_own_group(uint32_t xid)
{
	if (xid && migrate(xid, 0))
		return -1;
	setpgid(0, 0);
	return 0;
}

/* Start a process in context @xid (0: the host) that sleeps until killed. */
static pid_t start_target(uint32_t xid)
{
	return start_sleepers(xid, 1, enter_own_group);
}

/* Each operation returns 0 or -errno. */
typedef int (*op_fn)(pid_t pid);

static int op_kill(pid_t pid)
{
	return ret_errno(kill(pid, 0));
}

static int op_kill_pgrp(pid_t pid)
{
	return ret_errno(kill(-pid, 0));
}

static int op_tgkill(pid_t pid)
{
	return ret_errno(syscall(SYS_tgkill, pid, pid, 0));
}

static int op_sigqueue(pid_t pid)
{
	siginfo_t si = { .si_code = SI_QUEUE, .si_pid = getpid(),
			 .si_uid = getuid() };

	return ret_errno(syscall(SYS_rt_sigqueueinfo, pid, 0, &si));
}

static int op_pidfd_send_signal(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0), ret;

	if (fd < 0)
		return -errno;
	ret = ret_errno(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0));
	close(fd);
	return ret;
}

static int op_pidfd_getfd(pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), fd;

	if (pidfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	if (fd < 0) {
		fd = -errno;
	} else {
		close(fd);
		fd = 0;
	}
	close(pidfd);
	return fd;
}

static int op_ptrace(pid_t pid)
{
	int ret = ret_errno(ptrace(PTRACE_ATTACH, pid, NULL, NULL));

	if (!ret) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	return ret;
}

static int op_process_vm_readv(pid_t pid)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	/* A global: mapped at the same address in every forked target */
	struct iovec remote = { (void *)target_names, sizeof(buf) };

	return ret_errno(process_vm_readv(pid, &local, 1, &remote, 1, 0));
}

static int op_kcmp(pid_t pid)
{
	/* KCMP_VM = 1 */
	return ret_errno(syscall(SYS_kcmp, getpid(), pid, 1, 0, 0));
}

static int op_proc_lookup(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	return ret_errno(access(path, F_OK));
}

static int op_proc_readdir(pid_t pid)
{
	char name[16];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int ret = -ENOENT;

	if (!dir)
		return -errno;
	snprintf(name, sizeof(name), "%d", pid);
	while ((d = readdir(dir)))
		if (!strcmp(d->d_name, name))
			ret = 0;
	closedir(dir);
	return ret;
}

static int op_setpriority(pid_t pid)
{
	return ret_errno(setpriority(PRIO_PROCESS, pid, 0));
}

static int op_getpriority(pid_t pid)
{
	errno = 0;
	getpriority(PRIO_PROCESS, pid);
	return -errno;
}

static int op_sched_setaffinity(pid_t pid)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	return ret_errno(sched_setaffinity(pid, sizeof(set), &set));
}

static int op_sched_getaffinity(pid_t pid)
{
	cpu_set_t set;

	return ret_errno(sched_getaffinity(pid, sizeof(set), &set));
}

static int op_sched_setscheduler(pid_t pid)
{
	struct sched_param p = { 0 };

	return ret_errno(sched_setscheduler(pid, SCHED_OTHER, &p));
}

static int op_prlimit(pid_t pid)
{
	struct rlimit rl;

	return ret_errno(prlimit(pid, RLIMIT_NOFILE, NULL, &rl));
}

static int op_getsid(pid_t pid)
{
	return ret_errno(getsid(pid));
}

static int op_getpgid(pid_t pid)
{
	return ret_errno(getpgid(pid));
}

static int op_task_xid(pid_t pid)
{
	long ret = vs_sys64(VCMD_task_xid, pid, NULL);

	return ret < 0 ? (int)ret : 0;
}

struct op {
	const char *name;
	op_fn fn;
	/* expected result per actor (host, A, spectator) on other contexts */
	int denied;	/* errno when acting on another context */
	bool read_only;	/* a spectator may do it */
};

static const struct op ops[] = {
	{ "kill", op_kill, EPERM, false },
	{ "kill(-pgrp)", op_kill_pgrp, EPERM, false },
	{ "tgkill", op_tgkill, EPERM, false },
	{ "rt_sigqueueinfo", op_sigqueue, EPERM, false },
	{ "pidfd_send_signal", op_pidfd_send_signal, EPERM, false },
	{ "pidfd_getfd", op_pidfd_getfd, EPERM, false },
	{ "ptrace(ATTACH)", op_ptrace, EPERM, false },
	{ "process_vm_readv", op_process_vm_readv, EPERM, false },
	{ "kcmp", op_kcmp, EPERM, true },
	{ "setpriority", op_setpriority, ESRCH, false },
	{ "getpriority", op_getpriority, ESRCH, true },
	{ "sched_setaffinity", op_sched_setaffinity, ESRCH, false },
	{ "sched_getaffinity", op_sched_getaffinity, ESRCH, true },
	{ "sched_setscheduler", op_sched_setscheduler, ESRCH, false },
	{ "prlimit", op_prlimit, ESRCH, true },
	{ "getsid", op_getsid, ESRCH, true },
	{ "getpgid", op_getpgid, ESRCH, true },
	{ "task_xid", op_task_xid, ESRCH, true },
	{ "/proc/PID lookup", op_proc_lookup, ENOENT, true },
	{ "/proc readdir", op_proc_readdir, ENOENT, true },
};

FIXTURE(isolation) {
	pid_t targets[NR_TARGETS];
};

FIXTURE_VARIANT(isolation) {
	uint32_t actor_xid;	/* 0 host, 1 spectator, XID_A */
};

FIXTURE_VARIANT_ADD(isolation, host) { .actor_xid = 0 };
FIXTURE_VARIANT_ADD(isolation, context_a) { .actor_xid = XID_A };
FIXTURE_VARIANT_ADD(isolation, spectator) { .actor_xid = VX_XID_SPECTATOR };

FIXTURE_SETUP(isolation)
{
	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	ASSERT_EQ(0, make_wide_past_setup(XID_B));
	self->targets[T_HOST] = start_target(0);
	self->targets[T_A] = start_target(XID_A);
	self->targets[T_B] = start_target(XID_B);
	ASSERT_LT(0, self->targets[T_HOST]);
	ASSERT_LT(0, self->targets[T_A]);
	ASSERT_LT(0, self->targets[T_B]);
}

FIXTURE_TEARDOWN(isolation)
{
	int i;

	for (i = 0; i < NR_TARGETS; i++) {
		if (self->targets[i] > 0) {
			kill(self->targets[i], SIGKILL);
			waitpid(self->targets[i], NULL, 0);
		}
	}
	end_persistent(XID_A);
	end_persistent(XID_B);
}

/* What an actor in @actor gets for @op on a target in @target. */
static int expected(const struct op *op, uint32_t actor, enum target t)
{
	uint32_t txid = t == T_HOST ? 0 : t == T_A ? XID_A : XID_B;

	if (actor == 0 || actor == txid)
		return 0;
	if (actor == VX_XID_SPECTATOR && op->read_only)
		return 0;
	return -op->denied;
}

TEST_F(isolation, matrix)
{
	int status, wrong = 0;
	pid_t actor;
	size_t i;
	int t;

	/* A child is the actor: once in a context, it never comes back. */
	actor = fork();
	ASSERT_LE(0, actor);
	if (actor == 0) {
		if (variant->actor_xid && migrate(variant->actor_xid, 0) < 0)
			_exit(255);
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			for (t = 0; t < NR_TARGETS; t++) {
				int want = expected(&ops[i], variant->actor_xid, t);
				int got = ops[i].fn(self->targets[t]);

				if (got == want)
					continue;
				TH_LOG("%s on the %s task: got %d, want %d",
				       ops[i].name, target_names[t], got, want);
				wrong++;
			}
		}
		_exit(wrong > 254 ? 254 : wrong);
	}
	ASSERT_EQ(actor, waitpid(actor, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * ioprio_set has an LSM hook (task_setioprio), which the isolation uses
 * like setpriority's, but the system call exists only with CONFIG_BLOCK.
 */
TEST(ioprio_of_another_context_is_out_of_reach)
{
	const int who_process = 1, prio = (2 << 13) | 4;	/* best effort, 4 */
	pid_t a, b;
	int status;

	if (syscall(SYS_ioprio_set, who_process, getpid(), prio) &&
	    errno == ENOSYS)
		SKIP(return, "no ioprio_set: the test kernel has no CONFIG_BLOCK");
	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	ASSERT_EQ(0, make_wide_past_setup(XID_B));
	a = start_target(XID_A);
	ASSERT_LT(0, a);
	b = fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		if (migrate(XID_B, 0))
			_exit(2);
		_exit(syscall(SYS_ioprio_set, who_process, a, prio) == -1 &&
		      errno == ESRCH ? 0 : 1);
	}
	ASSERT_EQ(b, waitpid(b, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	end_persistent(XID_A);
	end_persistent(XID_B);
}

TEST(kill_minus_one_in_a_context_kills_only_that_context)
{
	pid_t host, inside, other, killer;
	int status;

	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	ASSERT_EQ(0, make_wide_past_setup(XID_B));
	host = start_target(0);
	inside = start_target(XID_A);
	other = start_target(XID_B);
	ASSERT_LT(0, host);
	ASSERT_LT(0, inside);
	ASSERT_LT(0, other);

	killer = fork();
	ASSERT_LE(0, killer);
	if (killer == 0) {
		if (migrate(XID_A, 0))
			_exit(1);
		signal(SIGKILL, SIG_DFL);
		kill(-1, SIGKILL);
		_exit(0);
	}
	ASSERT_EQ(killer, waitpid(killer, &status, 0));
	ASSERT_EQ(inside, waitpid(inside, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/* The host's and the other context's tasks live on. */
	EXPECT_EQ(0, kill(host, 0));
	EXPECT_EQ(0, kill(other, 0));
	EXPECT_EQ(0, waitpid(host, &status, WNOHANG));
	EXPECT_EQ(0, waitpid(other, &status, WNOHANG));
	kill(host, SIGKILL);
	kill(other, SIGKILL);
	waitpid(host, NULL, 0);
	waitpid(other, NULL, 0);
	end_persistent(XID_A);
	end_persistent(XID_B);
}

TEST(the_host_may_signal_tasks_of_a_context)
{
	pid_t inside;
	int status;

	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	inside = start_target(XID_A);
	ASSERT_LT(0, inside);
	EXPECT_EQ(0, kill(inside, SIGTERM));
	ASSERT_EQ(inside, waitpid(inside, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	end_persistent(XID_A);
}

/* The VxID line of the caller's status, or -1 */
static int read_vxid(void)
{
	return read_number("/proc/self/status", "VxID:\t");
}

TEST(proc_status_shows_the_context)
{
	int status;
	pid_t pid;

	EXPECT_EQ(0, read_vxid());
	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (migrate(XID_A, 0))
			_exit(1);
		_exit(read_vxid() == XID_A ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	end_persistent(XID_A);
}

static int sigio_pipe[2];

static void note_signal(int sig)
{
	write(sigio_pipe[1], "s", 1);
}

/*
 * An actor in @actor_xid makes a socket owned by a host process and
 * triggers SIGIO (as SIGUSR1).  Returns 1 if the host process got it.
 */
static int sigio_reaches_host(uint32_t actor_xid)
{
	struct pollfd pfd;
	pid_t target, actor;
	int status, got;

	if (pipe(sigio_pipe))
		return -1;
	target = fork();
	if (target == 0) {
		signal(SIGUSR1, note_signal);
		for (;;)
			pause();
	}
	usleep(100000);
	actor = fork();
	if (actor == 0) {
		int sv[2];

		if (actor_xid && migrate(actor_xid, 0))
			_exit(1);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
		    fcntl(sv[0], F_SETOWN, target) ||
		    fcntl(sv[0], F_SETSIG, SIGUSR1) ||
		    fcntl(sv[0], F_SETFL, O_ASYNC) ||
		    write(sv[1], "x", 1) != 1)
			_exit(2);
		usleep(200000);
		_exit(0);
	}
	waitpid(actor, &status, 0);
	pfd.fd = sigio_pipe[0];
	pfd.events = POLLIN;
	got = poll(&pfd, 1, 500) == 1;
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	close(sigio_pipe[0]);
	close(sigio_pipe[1]);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return got;
}

TEST(sigio_from_the_host_reaches_the_host)
{
	EXPECT_EQ(1, sigio_reaches_host(0));
}

TEST(sigio_set_up_in_a_context_never_leaves_it)
{
	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	EXPECT_EQ(0, sigio_reaches_host(XID_A));
	end_persistent(XID_A);
}

/*
 * /proc/PID of another context cannot be looked up; a directory opened
 * before entering the context does not help either: mem and environ
 * still need ptrace access.
 */
TEST(proc_mem_of_another_context_stays_closed)
{
	char path[32];
	int status, dir;
	pid_t host, actor;

	ASSERT_EQ(0, make_wide_past_setup(XID_A));
	host = start_target(0);
	ASSERT_LT(0, host);
	snprintf(path, sizeof(path), "/proc/%d", host);
	dir = open(path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dir);
	/* From the host, mem opens. */
	status = openat(dir, "mem", O_RDONLY);
	EXPECT_LE(0, status);
	if (status >= 0)
		close(status);

	actor = fork();
	ASSERT_LE(0, actor);
	if (actor == 0) {
		if (migrate(XID_A, 0))
			_exit(1);
		if (openat(dir, "mem", O_RDONLY) >= 0 || errno != EACCES)
			_exit(2);
		if (openat(dir, "environ", O_RDONLY) >= 0 || errno != EACCES)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(actor, waitpid(actor, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(dir);
	kill(host, SIGKILL);
	waitpid(host, NULL, 0);
	end_persistent(XID_A);
}

TEST_HARNESS_MAIN
