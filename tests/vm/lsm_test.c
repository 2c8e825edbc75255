// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver built into the kernel but not enabled: the kernel was booted
 * with an lsm= (or security=) list that leaves it out, as a distribution
 * kernel with its own list of LSMs is.  Then vserver has no blobs and no
 * hooks, and must stay out of the way:
 *
 * - every sys_vserver command, known or not, through both entries, as
 *   root and as nobody, with any pointer, answers -EOPNOTSUPP and writes
 *   nothing;
 * - /proc/virtual does not exist and /proc/PID/status has no VxID line;
 * - semget() beyond SEMMNS, where the kernel calls vserver, is ENOSPC;
 * - fork, exec, files, sockets, signals, ptrace, SysV IPC, /proc and
 *   getpriority() behave as on a kernel without vserver.
 *
 * When vserver is an active LSM (the normal VM run), the whole test is
 * one skip.  tests/vm/lsm-stack boots the VM with such lists and runs it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

#define NOBODY		65534
#define PAGE		4096

/* Command words */

struct word {
	const char *name;
	uint32_t cmd;
};

#define WORD(c)	{ #c, VCMD_##c }

/* Every command of the UAPI header, then words no kernel knows */
static const struct word words[] = {
	WORD(get_version),
	WORD(get_vci),
	WORD(task_xid),
	WORD(vx_info),
	WORD(ctx_stat),
	WORD(ctx_create_v0),
	WORD(ctx_create),
	WORD(ctx_migrate_v0),
	WORD(ctx_migrate),
	WORD(get_cflags),
	WORD(set_cflags),
	WORD(ctx_kill),
	WORD(wait_exit),
	WORD(get_vhi_name),
	WORD(set_vhi_name),
	WORD(get_bcaps),
	WORD(set_bcaps),
	WORD(get_ccaps),
	WORD(set_ccaps),
	WORD(get_umask),
	WORD(set_umask),
	WORD(get_rlimit),
	WORD(set_rlimit),
	WORD(get_rlimit_mask),
	WORD(rlimit_stat),
	WORD(reset_hits),
	WORD(reset_minmax),
	{ "unknown command of category 0", VC_CMD(VC_CAT_VERSION, 2, 0) },
	{ "unknown category", VC_CMD(VC_CAT_SYSTEST, 0, 0) },
	{ "get_version with a reserved bit", VCMD_get_version | 0x1000 },
	{ "all ones", 0xffffffff },
};

/* Ids: none, the spectator, contexts, a pid (set at run time), self */
static uint32_t ids[] = {
	0, 1, 2, 42, 65535, 0 /* getpid() */, VX_XID_SELF, VX_XID_DYNAMIC,
};

static void set_pid_id(void)
{
	ids[5] = (uint32_t)getpid();
}

/*
 * A well-formed argument of @cmd in @page: what a caller that meant it
 * would pass (a valid name field, a valid limit id, ...); zeros else.
 */
static void well_formed(void *page, uint32_t cmd, bool int80)
{
	memset(page, 0, PAGE);
	switch (cmd) {
	case VCMD_get_vhi_name:
	case VCMD_set_vhi_name: {
		struct vcmd_vhi_name_v0 *n = page;

		n->field = VHIN_NODENAME;
		strcpy(n->name, "lsm-test");
		break;
	}
	case VCMD_get_rlimit:
	case VCMD_set_rlimit:
		if (int80) {
			struct vcmd_ctx_rlimit_v0_i386 *r = page;

			r->id = RLIMIT_NPROC;
			r->softlimit = r->maximum = 100;
		} else {
			struct vcmd_ctx_rlimit_v0 *r = page;

			r->id = RLIMIT_NPROC;
			r->softlimit = r->maximum = 100;
		}
		break;
	case VCMD_rlimit_stat:
		((struct vcmd_rlimit_stat_v0 *)page)->id = RLIMIT_NPROC;
		break;
	case VCMD_ctx_create:
		((struct vcmd_ctx_create *)page)->flagword = VXF_INIT_SET;
		break;
	case VCMD_set_cflags:
		((struct vcmd_ctx_flags_v0 *)page)->mask = VXF_STATE_SETUP;
		break;
	case VCMD_set_bcaps:
		((struct vcmd_bcaps *)page)->bmask = ~0ULL;
		break;
	case VCMD_ctx_kill:
		((struct vcmd_ctx_kill_v0 *)page)->sig = SIGCONT;
		break;
	}
}

static void garbage(void *page, uint32_t cmd, bool int80)
{
	memset(page, 0xa5, PAGE);
}

/*
 * The fixture "entry": the calls go through the 64-bit syscall or
 * int 0x80, as root or as nobody.  Its pages lie below 4 GiB, so that
 * both entries reach them: @rw is readable and writable and is followed
 * by the inaccessible @none; @ro is read-only.
 */
FIXTURE(entry) {
	uint8_t *rw, *none, *ro;
	uint8_t image[PAGE];
	int failures;
};

FIXTURE_VARIANT(entry) {
	bool int80;
	bool nobody;
};

FIXTURE_VARIANT_ADD(entry, syscall_root) { .int80 = false, .nobody = false };
FIXTURE_VARIANT_ADD(entry, syscall_nobody) { .int80 = false, .nobody = true };
FIXTURE_VARIANT_ADD(entry, int80_root) { .int80 = true, .nobody = false };
FIXTURE_VARIANT_ADD(entry, int80_nobody) { .int80 = true, .nobody = true };

/* In a test's own process: become nobody, who may still be traced. */
static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

FIXTURE_SETUP(entry)
{
	self->rw = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, self->rw);
	self->none = self->rw + PAGE;
	self->ro = self->rw + 2 * PAGE;
	memset(self->ro, 0xa5, PAGE);
	ASSERT_EQ(0, mprotect(self->none, PAGE, PROT_NONE));
	ASSERT_EQ(0, mprotect(self->ro, PAGE, PROT_READ));
	set_pid_id();
	if (variant->nobody)
		ASSERT_EQ(0, become_nobody());
}

FIXTURE_TEARDOWN(entry)
{
	munmap(self->rw, 3 * PAGE);
}

static long vs_raw(bool int80, uint32_t cmd, uint32_t id, uintptr_t data)
{
	if (int80)
		return vs_sys32(cmd, id, (uint32_t)data);
	return vs_sys64(cmd, id, (void *)data);
}

/*
 * Every word with every id, @data as the pointer: each must answer
 * -EOPNOTSUPP.  With @fill, @self->rw is filled before each call and
 * must be unchanged after it.
 */
static void every_word(struct __test_metadata *_metadata,
		       FIXTURE_DATA(entry) *self,
		       const FIXTURE_VARIANT(entry) *variant,
		       const char *what, uintptr_t data,
		       void (*fill)(void *page, uint32_t cmd, bool int80))
{
	size_t w, i;
	long ret;

	for (w = 0; w < ARRAY_SIZE(words); w++) {
		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			if (fill) {
				fill(self->rw, words[w].cmd, variant->int80);
				memcpy(self->image, self->rw, PAGE);
			}
			ret = vs_raw(variant->int80, words[w].cmd, ids[i],
				     data);
			if (ret != -EOPNOTSUPP && self->failures++ < 20)
				TH_LOG("%s (0x%08x), id %u, %s: got %ld, want %d",
				       words[w].name, words[w].cmd, ids[i],
				       what, ret, -EOPNOTSUPP);
			if (fill && memcmp(self->image, self->rw, PAGE) &&
			    self->failures++ < 20)
				TH_LOG("%s (0x%08x), id %u, %s: the data changed",
				       words[w].name, words[w].cmd, ids[i], what);
		}
	}
}

TEST_F(entry, every_word_with_a_well_formed_argument_is_not_supported)
{
	every_word(_metadata, self, variant, "well-formed argument",
		   (uintptr_t)self->rw, well_formed);
	EXPECT_EQ(0, self->failures);
}

TEST_F(entry, every_word_with_garbage_is_not_supported)
{
	every_word(_metadata, self, variant, "a page of 0xa5",
		   (uintptr_t)self->rw, garbage);
	EXPECT_EQ(0, self->failures);
}

TEST_F(entry, every_word_with_null_is_not_supported)
{
	every_word(_metadata, self, variant, "NULL", 0, NULL);
	EXPECT_EQ(0, self->failures);
}

TEST_F(entry, every_word_with_a_bad_pointer_is_not_supported)
{
	every_word(_metadata, self, variant, "an inaccessible page",
		   (uintptr_t)self->none, NULL);
	every_word(_metadata, self, variant, "a read-only page",
		   (uintptr_t)self->ro, NULL);
	/* A structure that runs into the inaccessible page */
	every_word(_metadata, self, variant, "the last 4 bytes of a page",
		   (uintptr_t)self->none - 4, garbage);
	every_word(_metadata, self, variant, "a misaligned pointer",
		   (uintptr_t)self->rw + 1, garbage);
	if (variant->int80) {
		every_word(_metadata, self, variant, "the top of 4 GiB",
			   0xfffff000u, NULL);
	} else {
		every_word(_metadata, self, variant, "a kernel address",
			   0xffffffff81000000ul, NULL);
		every_word(_metadata, self, variant, "a non-canonical address",
			   0x8000000000000000ul, NULL);
	}
	EXPECT_EQ(0, self->failures);
	/* The read-only page is as it was */
	memset(self->image, 0xa5, PAGE);
	EXPECT_EQ(0, memcmp(self->image, self->ro, PAGE));
}

/* /proc */

/* Does directory @path list @name? 1 if so, 0 if not, -1 on error */
static int lists(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strcmp(e->d_name, name))
			found = 1;
	closedir(d);
	return found;
}

/* Does @path have a line that starts with @prefix? 1, 0, or -1 */
static int has_line(const char *path, const char *prefix)
{
	char line[256];
	int found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)))
			found = 1;
	fclose(f);
	return found;
}

TEST(proc_virtual_does_not_exist)
{
	struct stat st;

	EXPECT_EQ(-1, stat("/proc/virtual", &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open("/proc/virtual/info", O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, open("/proc/virtual/status", O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, lists("/proc", "virtual"));
	/* What is around it is there */
	EXPECT_EQ(1, lists("/proc", "self"));
	EXPECT_EQ(1, lists("/proc", "meminfo"));
}

static int status_of_nobody(struct __test_metadata *_metadata,
			    const char *arg)
{
	if (become_nobody())
		return -1;
	return has_line("/proc/self/status", "VxID:") +
	       has_line("/proc/1/status", "VxID:");
}

TEST(status_has_no_vxid_line)
{
	char path[64];
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	ASSERT_LT(0, pid);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	EXPECT_EQ(0, has_line("/proc/self/status", "VxID:"));
	EXPECT_EQ(0, has_line("/proc/1/status", "VxID:"));
	EXPECT_EQ(0, has_line(path, "VxID:"));
	EXPECT_EQ(1, has_line(path, "Pid:"));
	EXPECT_EQ(0, run_in(_metadata, 0, status_of_nobody, NULL));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* SysV semaphores beyond SEMMNS, where the kernel calls vserver */

static int semget_as_nobody(struct __test_metadata *_metadata,
			    const char *arg)
{
	if (become_nobody())
		return -1;
	if (semget(IPC_PRIVATE, atoi(arg), IPC_CREAT | 0600) != -1)
		return -2;
	return errno;
}

TEST(semget_beyond_semmns_is_enospc)
{
	int fd, i, a, b, c;

	/* A namespace of its own, whose limits nothing else sees */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	fd = open("/proc/sys/kernel/sem", O_WRONLY);
	ASSERT_LE(0, fd);
	/* SEMMSL SEMMNS SEMOPM SEMMNI */
	ASSERT_EQ(11, write(fd, "8 16 32 16\n", 11));
	close(fd);

	a = semget(IPC_PRIVATE, 8, IPC_CREAT | 0600);
	ASSERT_LE(0, a);
	b = semget(IPC_PRIVATE, 8, IPC_CREAT | 0600);
	ASSERT_LE(0, b);
	/* 16 of 16 used */
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-1, semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
		EXPECT_EQ(ENOSPC, errno);
	}
	EXPECT_EQ(ENOSPC, run_in(_metadata, 0, semget_as_nobody, "1"));
	EXPECT_EQ(ENOSPC, run_in(_metadata, 0, semget_as_nobody, "8"));
	/* More than SEMMSL in one array is another error */
	EXPECT_EQ(-1, semget(IPC_PRIVATE, 9, IPC_CREAT | 0600));
	EXPECT_EQ(EINVAL, errno);

	/* Room again once an array is gone */
	EXPECT_EQ(0, semctl(a, 0, IPC_RMID));
	c = semget(IPC_PRIVATE, 8, IPC_CREAT | 0600);
	EXPECT_LE(0, c);
	EXPECT_EQ(-1, semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	EXPECT_EQ(ENOSPC, errno);
	semctl(b, 0, IPC_RMID);
	if (c >= 0)
		semctl(c, 0, IPC_RMID);
}

/*
 * The fixture "ops": what every program does, as root and as nobody,
 * works as on a kernel without vserver.
 */
FIXTURE(ops) {
};

FIXTURE_VARIANT(ops) {
	bool nobody;
};

FIXTURE_VARIANT_ADD(ops, root) { .nobody = false };
FIXTURE_VARIANT_ADD(ops, nobody) { .nobody = true };

FIXTURE_SETUP(ops)
{
	if (variant->nobody)
		ASSERT_EQ(0, become_nobody());
}

FIXTURE_TEARDOWN(ops)
{
}

/*
 * The harness's wrapper of a TEST_F() calls setjmp() and then fork();
 * unless the test is inlined into it, GCC warns that the result of
 * fork() might be clobbered by the longjmp() of a failed ASSERT.
 */
#define OPS_TEST(name)							\
	static inline void ops_##name(struct __test_metadata *_metadata,	\
				      FIXTURE_DATA(ops) *self,		\
				      const FIXTURE_VARIANT(ops) *variant)	\
		__attribute__((always_inline));				\
	TEST_F(ops, name)

/* The exit status of @pid, or -1 if it did not exit */
static int exit_status(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static pid_t start_pauser(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void *thread_fn(void *arg)
{
	return (char *)arg + 1;
}

OPS_TEST(fork_threads_and_exec)
{
	char *argv[] = { "lsm_test", "--exit", "42", NULL };
	char *envp[] = { NULL };
	pthread_t th;
	void *res;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(3);
	EXPECT_EQ(3, exit_status(pid));

	/* A grandchild, reaped by the child */
	pid = fork();
	if (pid == 0) {
		pid_t grandchild = fork();

		if (grandchild == 0)
			_exit(5);
		_exit(exit_status(grandchild));
	}
	EXPECT_EQ(5, exit_status(pid));

	ASSERT_EQ(0, pthread_create(&th, NULL, thread_fn, (char *)0x1000));
	ASSERT_EQ(0, pthread_join(th, &res));
	EXPECT_EQ((char *)0x1001, res);

	pid = fork();
	if (pid == 0) {
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	EXPECT_EQ(42, exit_status(pid));
}

OPS_TEST(files)
{
	char dir[] = "/dev/shm/lsm-test.XXXXXX", a[64], b[64], buf[16];
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;
	char *map;
	int fd, p[2], n;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);

	fd = open(a, O_RDWR | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(0, fsync(fd));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(5, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(getuid(), st.st_uid);
	EXPECT_EQ(0, fchmod(fd, 0640));
	EXPECT_EQ(0, flock(fd, LOCK_EX));
	EXPECT_EQ(0, fcntl(fd, F_SETLK, &lk));
	map = mmap(NULL, 5, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 'j';
	EXPECT_EQ(0, msync(map, 5, MS_SYNC));
	munmap(map, 5);
	EXPECT_EQ(0, ftruncate(fd, 4));
	close(fd);

	EXPECT_EQ(0, rename(a, b));
	EXPECT_EQ(0, link(b, a));
	EXPECT_EQ(0, unlink(a));
	EXPECT_EQ(0, symlink("b", a));
	n = readlink(a, buf, sizeof(buf));
	EXPECT_EQ(1, n);
	fd = open(a, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "jell", 4));
	close(fd);
	EXPECT_EQ(0, unlink(a));
	EXPECT_EQ(0, unlink(b));
	EXPECT_EQ(0, rmdir(dir));

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(3, write(p[1], "abc", 3));
	EXPECT_EQ(0, ioctl(p[0], FIONREAD, &n));
	EXPECT_EQ(3, n);
	close(p[0]);
	close(p[1]);

	/* Permissions are still the usual ones */
	EXPECT_EQ(1, has_line("/etc/passwd", "root:"));
	fd = open("/lsm-test-denied", O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (variant->nobody) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EACCES, errno);
	} else {
		EXPECT_LE(0, fd);
		close(fd);
		unlink("/lsm-test-denied");
	}
}

OPS_TEST(sockets)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int sv[2], l, c, s, u;
	char buf[8];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT_EQ(4, send(sv[0], "ping", 4, 0));
	EXPECT_EQ(4, recv(sv[1], buf, sizeof(buf), 0));
	close(sv[0]);
	close(sv[1]);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	EXPECT_EQ(4, send(sv[1], "pong", 4, 0));
	EXPECT_EQ(4, recv(sv[0], buf, sizeof(buf), 0));
	close(sv[0]);
	close(sv[1]);

	/* TCP over the loopback */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(l, 1));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&sin, &len));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(5, send(c, "hello", 5, 0));
	EXPECT_EQ(5, recv(s, buf, sizeof(buf), 0));
	close(s);
	close(c);
	close(l);

	/* UDP to itself */
	sin.sin_port = 0;
	u = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, u);
	ASSERT_EQ(0, bind(u, (struct sockaddr *)&sin, sizeof(sin)));
	len = sizeof(sin);
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&sin, &len));
	EXPECT_EQ(3, sendto(u, "udp", 3, 0, (struct sockaddr *)&sin,
			    sizeof(sin)));
	EXPECT_EQ(3, recv(u, buf, sizeof(buf), 0));
	close(u);
}

OPS_TEST(signals)
{
	pid_t pid = start_pauser();
	int status;

	ASSERT_LT(0, pid);
	EXPECT_EQ(0, kill(pid, 0));
	EXPECT_EQ(0, kill(pid, SIGTERM));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGTERM, WTERMSIG(status));

	/* The usual rules: nobody signals only its own processes */
	if (variant->nobody) {
		EXPECT_EQ(-1, kill(1, 0));
		EXPECT_EQ(EPERM, errno);
	} else {
		EXPECT_EQ(0, kill(1, 0));
	}
}

static volatile long marker = 0x5eed;

OPS_TEST(ptrace)
{
	pid_t pid = start_pauser();
	int status;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSTOPPED(status));
	errno = 0;
	EXPECT_EQ(0x5eed, ptrace(PTRACE_PEEKDATA, pid, (void *)&marker, NULL));
	EXPECT_EQ(0, errno);
	EXPECT_EQ(0, ptrace(PTRACE_DETACH, pid, NULL, NULL));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	if (variant->nobody) {
		EXPECT_EQ(-1, ptrace(PTRACE_ATTACH, 1, NULL, NULL));
		EXPECT_EQ(EPERM, errno);
	}
}

OPS_TEST(proc_and_priorities)
{
	pid_t pid = start_pauser();
	char name[16], path[64];

	ASSERT_LT(0, pid);
	snprintf(name, sizeof(name), "%d", pid);
	EXPECT_EQ(1, lists("/proc", name));
	snprintf(name, sizeof(name), "%d", getpid());
	EXPECT_EQ(1, lists("/proc", name));
	EXPECT_EQ(1, lists("/proc", "1"));
	EXPECT_EQ(1, lists("/proc/self/net", "unix"));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	EXPECT_EQ(1, has_line(path, "Name:"));

	EXPECT_EQ(0, setpriority(PRIO_PROCESS, pid, 5));
	errno = 0;
	EXPECT_EQ(5, getpriority(PRIO_PROCESS, pid));
	EXPECT_EQ(0, errno);
	getpriority(PRIO_PGRP, 0);
	EXPECT_EQ(0, errno);
	getpriority(PRIO_USER, getuid());
	EXPECT_EQ(0, errno);
	errno = 0;
	getpriority(PRIO_PROCESS, 1);
	EXPECT_EQ(0, errno);

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

OPS_TEST(sysv_ipc)
{
	struct { long type; char text[8]; } msg = { 1, "hello" };
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int q, shm, sem;
	char *p;

	q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	ASSERT_LE(0, q);
	EXPECT_EQ(0, msgsnd(q, &msg, sizeof(msg.text), 0));
	memset(&msg, 0, sizeof(msg));
	EXPECT_EQ((ssize_t)sizeof(msg.text),
		  msgrcv(q, &msg, sizeof(msg.text), 0, IPC_NOWAIT));
	EXPECT_STREQ("hello", msg.text);
	EXPECT_EQ(0, msgctl(q, IPC_RMID, NULL));

	shm = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
	ASSERT_LE(0, shm);
	p = shmat(shm, NULL, 0);
	ASSERT_NE((void *)-1, p);
	strcpy(p, "shared");
	EXPECT_EQ(0, shmdt(p));
	EXPECT_EQ(0, shmctl(shm, IPC_RMID, NULL));

	sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	ASSERT_LE(0, sem);
	EXPECT_EQ(0, semop(sem, &op, 1));
	EXPECT_EQ(1, semctl(sem, 0, GETVAL));
	EXPECT_EQ(0, semctl(sem, 0, IPC_RMID));
}

OPS_TEST(namespaces)
{
	struct utsname u;

	/* nobody needs a user namespace of its own first */
	ASSERT_EQ(0, unshare((variant->nobody ? CLONE_NEWUSER : 0) |
			     CLONE_NEWUTS));
	ASSERT_EQ(0, sethostname("lsm-test", 8));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ("lsm-test", u.nodename);
}


/* The active LSMs, in @buf; 0, or -1 if they cannot be read */
static int lsm_list(char *buf, size_t size)
{
	const char *path = "/sys/kernel/security/lsm";
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		mount("securityfs", "/sys/kernel/security", "securityfs", 0,
		      NULL);
		fd = open(path, O_RDONLY);
	}
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static bool lists_vserver(const char *list)
{
	char copy[256], *save, *name;

	snprintf(copy, sizeof(copy), "%s", list);
	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save))
		if (!strcmp(name, "vserver"))
			return true;
	return false;
}

TEST(the_active_lsms_leave_vserver_out)
{
	char list[256];

	ASSERT_EQ(0, lsm_list(list, sizeof(list)));
	TH_LOG("active LSMs: %s", list);
	EXPECT_FALSE(lists_vserver(list));
}

int main(int argc, char **argv)
{
	char list[256];

	/* The program that fork_threads_and_exec runs */
	if (argc == 3 && !strcmp(argv[1], "--exit"))
		return atoi(argv[2]);

	if (lsm_list(list, sizeof(list)) == 0 && lists_vserver(list)) {
		ksft_print_header();
		ksft_set_plan(1);
		ksft_test_result_skip("lsm_test: vserver is an active LSM (%s); these tests are for a kernel booted without it (tests/vm/lsm-stack)\n",
				      list);
		ksft_finished();
	}
	return test_harness_run(argc, argv);
}
