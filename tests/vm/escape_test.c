// SPDX-License-Identifier: GPL-2.0-only
/*
 * Escapes from a guest: what root in a context with the tools' default
 * guest settings must not be able to do to the host, one test per class
 * of attack, with the exact errno.
 *
 * A guest is set up as util-vserver's vserver-run.c sets one up: a task
 * in a mount namespace of its own, every mount private, the guest's root
 * directory (a directory of the host's root file system, with a few
 * files) bound onto itself and made the root with pivot_root(2), the
 * host's root detached, a fresh /proc and the host's /sys inside.  That
 * task then enters a context whose ceiling is VX_BCAPS_DEFAULT, without
 * ccaps, past its setup.  Each case forks a guest of its own and runs
 * one function in it; the function reports how many of its checks went
 * wrong (each logs what it got and what it wanted).
 *
 * The first part holds the regression tests of escapes that were found
 * in the kernel side: the default ceiling, file handles, lone tasks,
 * /proc/PID/net, abstract unix sockets, keyrings, the UTS namespace's
 * owner, SysV undos, readers of /proc/virtual, IP_HDRINCL, configuration
 * in setup and the lowering of a running task's ceiling.  The second part
 * is the attack matrix.
 *
 * Contexts of this file have xids 4200-4299.
 */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/loop.h>
#include <linux/nsfs.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "common.h"

#define CAP(c)		(1ULL << (c))

/* How long a step may take before it counts as hung: never a speed limit */
#define HANG_MS		60000

/* A guest function's answer for "the kernel lacks this": the test skips */
#define NOT_BUILT	1000

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE	1
#endif
#ifndef KEXEC_ARCH_DEFAULT
#define KEXEC_ARCH_DEFAULT 0
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

/* The host's secret, a file outside every guest root */
#define HOST_DIR	"/tmp/escape_test.host"
#define HOST_SECRET	HOST_DIR "/secret"

/* sys_vserver commands that common.h has no wrapper for */

static long ctx_kill(uint32_t xid, int pid, int sig)
{
	struct vcmd_ctx_kill_v0 arg = { .pid = pid, .sig = sig };

	return vs_sys64(VCMD_ctx_kill, xid, &arg);
}

static long wait_exit(uint32_t xid)
{
	struct vcmd_wait_exit_v0 arg;

	return vs_sys64(VCMD_wait_exit, xid, &arg);
}

/* Small helpers */

/* A descriptor or id, or -errno as the wrappers return it: 0 or -errno */
static long ok0(long ret)
{
	return ret < 0 ? ret : 0;
}

/* The result of a call that returns a descriptor: 0 (closed) or -errno */
static int fd_result(long fd)
{
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

static int open_for(const char *path, int flags)
{
	return fd_result(open(path, flags));
}

/* Open and read @path: 0 if it has something to read, or -errno */
static int read_result(const char *path)
{
	int fd = open(path, O_RDONLY), ret;
	char buf[64];

	if (fd < 0)
		return -errno;
	ret = read(fd, buf, sizeof(buf)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -EIO;
	close(fd);
	return ret;
}

/* An int through a pipe; INT_MIN when the other end is gone or hung */
static void send_int(int fd, int val)
{
	if (write(fd, &val, sizeof(val)) != sizeof(val))
		return;
}

static int recv_int(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int val;

	if (poll(&p, 1, HANG_MS) != 1 ||
	    read(fd, &val, sizeof(val)) != sizeof(val))
		return INT_MIN;
	return val;
}

/* Effective and permitted capabilities of task @pid (0: the caller) */
static int task_caps(pid_t pid, uint64_t *eff, uint64_t *prm)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = pid,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, d))
		return -errno;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	return 0;
}

/* A Cap* line of /proc/@pid/status, or ~0 if there is none */
static uint64_t status_caps(pid_t pid, const char *field)
{
	unsigned long long val = ~0ULL;
	size_t len = strlen(field);
	char line[128], path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) &&
		    sscanf(line + len, " %llx", &val) != 1)
			val = ~0ULL;
	fclose(f);
	return val;
}

/* In a child: log a result that is neither of two wanted ones; 1 if so. */
static int differs2(struct __test_metadata *_metadata, const char *what,
		    long long want1, long long want2, long long got)
{
	if (got == want1 || got == want2)
		return 0;
	TH_LOG("%s: got %lld, want %lld or %lld", what, got, want1, want2);
	return 1;
}

#define CHECK2(want1, want2, got)					\
	differs2(_metadata, #got, (long long)(want1), (long long)(want2), \
		 (long long)(got))

static int rm_entry(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	rmdir(dir);
}

/* The host's secret file; 0 or -1 */
static int make_host_secret(void)
{
	if (mkdir(HOST_DIR, 0700) && errno != EEXIST)
		return -1;
	return write_file(HOST_SECRET, "host-secret", 0600) ? -1 : 0;
}

static void remove_host_secret(void)
{
	unlink(HOST_SECRET);
	rmdir(HOST_DIR);
}

/* A child of the test, for what must not happen in the test process */

typedef int (*task_fn)(struct __test_metadata *_metadata, void *arg);

/* Run @fn in a child process and return what it returned, or INT_MIN. */
static int run_child(struct __test_metadata *_metadata, task_fn fn, void *arg)
{
	int fds[2], ret = INT_MIN;
	pid_t pid;

	if (pipe(fds))
		return INT_MIN;
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		ret = fn(_metadata, arg);
		send_int(fds[1], ret);
		_exit(0);
	}
	close(fds[1]);
	if (pid > 0) {
		ret = recv_int(fds[0]);
		waitpid(pid, NULL, 0);
	}
	close(fds[0]);
	return ret;
}

/*
 * Guests.  The host makes the context persistent, sets its ceiling and
 * ccaps and ends its setup before the guest enters it, so the guest's
 * credentials are cut down to the ceiling as it enters.
 */

/* What a guest function gets: pipes to the host, and the test's argument */
struct guest_io {
	int up;			/* to the host */
	int down;		/* from the host */
	uint32_t xid;
	void *arg;
};

typedef int (*guest_fn)(struct __test_metadata *_metadata,
			struct guest_io *io);

struct guest_opts {
	uint64_t ccaps;
	/* Leave the ceiling the kernel gives a new context */
	bool kernel_ceiling;
	/*
	 * Run as the host in the guest's mount namespace, before
	 * pivot_root(): @root is the guest's root directory.  0 or -1.
	 */
	int (*prepare)(struct __test_metadata *_metadata, const char *root,
		       void *arg);
	/* Run as the host in the guest, just before it enters: 0 or -1 */
	int (*before)(struct __test_metadata *_metadata, struct guest_io *io);
};

static const struct guest_opts default_guest;

struct guest {
	uint32_t xid;
	pid_t pid;
	int up, down, result;
	char root[64];
};

/* A fresh guest root directory with a few files, on the host's root fs */
static int make_guest_root(struct __test_metadata *_metadata, char *root)
{
	static const char *const dirs[] = {
		"proc", "sys", "tmp", "dev", "etc", "mnt",
	};
	char path[128];
	size_t i;

	strcpy(root, "/tmp/escape_test.XXXXXX");
	if (!mkdtemp(root)) {
		TH_LOG("cannot make a guest root: %s", strerror(errno));
		return -1;
	}
	chmod(root, 0755);
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/tmp", root);
	chmod(path, 01777);
	snprintf(path, sizeof(path), "%s/guest-marker", root);
	if (write_file(path, "guest\n", 0644))
		return -1;
	snprintf(path, sizeof(path), "%s/etc/hostname", root);
	if (write_file(path, "escape-guest\n", 0644))
		return -1;
	snprintf(path, sizeof(path), "%s/dev/null", root);
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)))
		return -1;
	return 0;
}

/*
 * In the guest-to-be, as the host: a mount namespace of its own with
 * @root as its root, as vserver-run.c makes it; then into context @xid.
 */
static int guest_enter(struct __test_metadata *_metadata, const char *root,
		       const struct guest_opts *o, struct guest_io *io)
{
	char path[128];

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL)) {
		TH_LOG("cannot make the guest's mounts: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/proc", root);
	if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL)) {
		TH_LOG("cannot mount /proc in the guest: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/sys", root);
	if (mount("/sys", path, NULL, MS_BIND | MS_REC, NULL)) {
		TH_LOG("cannot bind /sys in the guest: %s", strerror(errno));
		return -1;
	}
	if (o->prepare && o->prepare(_metadata, root, io->arg))
		return -1;
	/* The old root ends up on top of the new one, then goes */
	if (chdir(root) || syscall(SYS_pivot_root, ".", ".") ||
	    umount2(".", MNT_DETACH) || chdir("/")) {
		TH_LOG("cannot make %s the root: %s", root, strerror(errno));
		return -1;
	}
	if (o->before && o->before(_metadata, io))
		return -1;
	if (migrate(io->xid, 0) < 0) {
		TH_LOG("cannot enter context %u: %s", io->xid,
		       strerror(errno));
		return -1;
	}
	return 0;
}

/* Make context @xid as @o says, and start @fn in a guest in it. */
static int guest_start(struct __test_metadata *_metadata, struct guest *g,
		       uint32_t xid, const struct guest_opts *o, guest_fn fn,
		       void *arg)
{
	int up[2], down[2], res[2];

	g->xid = xid;
	g->pid = -1;
	g->root[0] = '\0';
	if (make_guest_root(_metadata, g->root))
		return -1;
	if (make_persistent(xid, 0)) {
		TH_LOG("cannot create context %u", xid);
		return -1;
	}
	if ((!o->kernel_ceiling && ceiling_set(xid, VX_BCAPS_DEFAULT, ~0ULL)) ||
	    ccaps_set(xid, o->ccaps, ~0ULL) || end_setup(xid)) {
		TH_LOG("cannot configure context %u", xid);
		return -1;
	}
	if (pipe(up) || pipe(down) || pipe(res))
		return -1;
	fflush(stderr);
	g->pid = fork();
	if (g->pid == 0) {
		struct guest_io io = {
			.up = up[1], .down = down[0], .xid = xid, .arg = arg,
		};
		int ret = INT_MIN;

		close(up[0]);
		close(down[1]);
		close(res[0]);
		if (!guest_enter(_metadata, g->root, o, &io))
			ret = fn(_metadata, &io);
		send_int(res[1], ret);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	close(res[1]);
	g->up = up[0];
	g->down = down[1];
	g->result = res[0];
	return g->pid < 0 ? -1 : 0;
}

/* End context @xid and whatever still runs in it. */
static void end_context(uint32_t xid)
{
	int i;

	end_persistent(xid);
	for (i = 0; i < 600 && ctx_tasks(xid) >= 0; i++) {
		ctx_kill(xid, 0, SIGKILL);
		usleep(10000);
	}
}

/*
 * What the guest's function returned (INT_MIN if it never said), once
 * the guest, its context and its root are gone.
 */
static int guest_finish(struct __test_metadata *_metadata, struct guest *g)
{
	int ret = INT_MIN, r;

	if (g->pid > 0) {
		r = read(g->result, &ret, sizeof(ret));
		if (r != sizeof(ret))
			ret = INT_MIN;
		waitpid(g->pid, NULL, 0);
		close(g->up);
		close(g->down);
		close(g->result);
	}
	end_context(g->xid);
	if (g->root[0])
		remove_tree(g->root);
	return ret;
}

/* Run @fn in a guest in context @xid, made as @o says. */
static int run_guest(struct __test_metadata *_metadata, uint32_t xid,
		     const struct guest_opts *o, guest_fn fn, void *arg)
{
	struct guest g;

	if (guest_start(_metadata, &g, xid, o, fn, arg)) {
		guest_finish(_metadata, &g);
		return INT_MIN;
	}
	return guest_finish(_metadata, &g);
}

/* A case of the matrix: @fn in a guest with the default settings */
#define GUEST_TEST(name, xid, fn, arg)					\
	TEST(name)							\
	{								\
		EXPECT_EQ(0, run_guest(_metadata, xid, &default_guest,	\
				       fn, arg));			\
	}

/*
 * Part A: regressions
 */

/* A new context's ceiling is exactly VX_BCAPS_DEFAULT. */

static int creds_are_the_default(struct __test_metadata *_metadata,
				 struct guest_io *io)
{
	uint64_t eff, prm;
	int bad = 0;

	if (task_caps(0, &eff, &prm))
		return INT_MIN;
	bad += CHECK(VX_BCAPS_DEFAULT, eff);
	bad += CHECK(VX_BCAPS_DEFAULT, prm);
	bad += CHECK(VX_BCAPS_DEFAULT, status_caps(getpid(), "CapBnd:"));
	return bad;
}

TEST(a_new_context_starts_with_the_default_ceiling)
{
	const struct guest_opts kernel_default = { .kernel_ceiling = true };
	uint64_t bcaps;

	ASSERT_EQ(0, make_persistent(4200, 0));
	ASSERT_EQ(0, ceiling_get(4200, &bcaps));
	EXPECT_EQ(VX_BCAPS_DEFAULT, bcaps);
	end_context(4200);
	/* And a task that enters it holds no more than that */
	EXPECT_EQ(0, run_guest(_metadata, 4200, &kernel_default,
			       creds_are_the_default, NULL));
}

/*
 * 1. open_by_handle_at(): a handle that the host made of a file outside
 * the guest's root, on the same file system, decoded against the guest's
 * "/", would open that file.
 */

union file_handle_buf {
	struct file_handle fh;
	char space[sizeof(struct file_handle) + MAX_HANDLE_SZ];
};

static union file_handle_buf secret_handle;

static int open_host_file_by_handle(struct __test_metadata *_metadata,
				    struct guest_io *io)
{
	union file_handle_buf own = { .fh.handle_bytes = MAX_HANDLE_SZ };
	int root, fd, ret, mnt, bad = 0;
	char buf[64];
	ssize_t n;

	root = open("/", O_RDONLY | O_DIRECTORY);
	if (root < 0)
		return INT_MIN;
	fd = open_by_handle_at(root, &secret_handle.fh, O_RDONLY);
	ret = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		TH_LOG("the guest opened the host's %s: \"%s\"", HOST_SECRET,
		       buf);
		close(fd);
	}
	bad += CHECK(-EPERM, ret);
	/* Its own files still have handles */
	bad += CHECK(0, ret_errno(name_to_handle_at(AT_FDCWD, "/guest-marker",
						    &own.fh, &mnt, 0)));
	close(root);
	return bad;
}

static void open_by_handle_case(struct __test_metadata *_metadata,
				uint32_t xid, const struct guest_opts *o)
{
	int mnt;

	ASSERT_EQ(0, make_host_secret());
	secret_handle.fh.handle_bytes = MAX_HANDLE_SZ;
	ASSERT_EQ(0, name_to_handle_at(AT_FDCWD, HOST_SECRET,
				       &secret_handle.fh, &mnt, 0));
	EXPECT_EQ(0, run_guest(_metadata, xid, o, open_host_file_by_handle,
			       NULL));
	remove_host_secret();
}

TEST(open_by_handle_at_of_a_host_file_fails_with_eperm_in_a_guest)
{
	open_by_handle_case(_metadata, 4201, &default_guest);
}

TEST(open_by_handle_at_of_a_host_file_fails_with_eperm_with_the_kernels_default_ceiling)
{
	const struct guest_opts kernel_default = { .kernel_ceiling = true };

	open_by_handle_case(_metadata, 4202, &kernel_default);
}

/*
 * 2. Entering a context needs a lone task: one that shares no memory,
 * file table or fs_struct with a task left in the host.
 */

struct enter_req {
	uint32_t xid;
	bool migrate;
	unsigned long clone_flags;
	long ret;
};

static long enter_ctx(const struct enter_req *r)
{
	return r->migrate ? migrate(r->xid, 0) : create(r->xid, VXF_INIT_SET);
}

/* Results as -errno, and 0 for any success */
static int enter_result(long ret)
{
	return ret < 0 ? (int)ret : 0;
}

static void *enter_thread(void *p)
{
	struct enter_req *r = p;

	r->ret = enter_ctx(r);
	return NULL;
}

/* In a child: a second thread enters, the first stays in the host. */
static int enter_from_a_thread(struct __test_metadata *_metadata, void *p)
{
	struct enter_req *r = p;
	pthread_t th;

	if (pthread_create(&th, NULL, enter_thread, r))
		return INT_MIN;
	pthread_join(th, NULL);
	return enter_result(r->ret);
}

/* sys_vserver without libc, for a child that shares the parent's memory */
static long raw_vserver(uint32_t cmd, uint32_t id, void *data)
{
	long ret;

	asm volatile ("syscall"
		      : "=a" (ret)
		      : "0" ((long)VSERVER_NR_X86_64), "D" ((long)cmd),
			"S" ((long)id), "d" (data)
		      : "rcx", "r11", "memory");
	return ret;
}

static int vfork_body(void *p)
{
	struct enter_req *r = p;
	struct vcmd_ctx_create arg = { .flagword = VXF_INIT_SET };

	r->ret = raw_vserver(VCMD_ctx_create, r->xid, &arg);
	return 0;
}

/* In a child: a vfork child creates a context while its parent waits. */
static int enter_from_a_vfork_child(struct __test_metadata *_metadata,
				    void *p)
{
	const size_t size = 64 * 1024;
	struct enter_req *r = p;
	char *stack;
	pid_t pid;

	stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return INT_MIN;
	r->ret = INT_MIN;
	pid = clone(vfork_body, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD,
		    r);
	if (pid < 0)
		return INT_MIN;
	waitpid(pid, NULL, 0);
	return enter_result(r->ret);
}

/*
 * In a child: a child made with @r->clone_flags (0: a plain fork) enters
 * and says how it went in its exit status.
 */
static int enter_from_a_clone_child(struct __test_metadata *_metadata,
				    void *p)
{
	struct enter_req *r = p;
	int status;
	long pid;

	pid = syscall(SYS_clone, r->clone_flags | SIGCHLD, NULL, NULL, NULL,
		      NULL);
	if (pid == 0) {
		long ret = enter_ctx(r);

		_exit(ret < 0 ? (int)-ret : 0);
	}
	if (pid < 0 || waitpid((pid_t)pid, &status, 0) != pid ||
	    !WIFEXITED(status))
		return INT_MIN;
	return -WEXITSTATUS(status);
}

TEST(a_thread_of_a_multithreaded_process_cannot_create_a_context)
{
	struct enter_req r = { .xid = 4203 };

	EXPECT_EQ(-EUSERS, run_child(_metadata, enter_from_a_thread, &r));
	/* A refused creation leaves nothing behind */
	EXPECT_EQ(-ESRCH, ctx_tasks(4203));
	end_context(4203);
}

TEST(a_thread_of_a_multithreaded_process_cannot_enter_a_context)
{
	struct enter_req r = { .xid = 4204, .migrate = true };

	ASSERT_EQ(0, make_persistent_past_setup(4204));
	EXPECT_EQ(-EUSERS, run_child(_metadata, enter_from_a_thread, &r));
	EXPECT_EQ(0, ctx_tasks(4204));
	end_context(4204);
}

TEST(a_vfork_child_cannot_create_a_context)
{
	struct enter_req r = { .xid = 4205 };

	EXPECT_EQ(-EUSERS, run_child(_metadata, enter_from_a_vfork_child, &r));
	EXPECT_EQ(-ESRCH, ctx_tasks(4205));
	end_context(4205);
}

TEST(a_child_sharing_the_file_table_cannot_create_a_context)
{
	struct enter_req r = { .xid = 4206, .clone_flags = CLONE_FILES };

	EXPECT_EQ(-EUSERS, run_child(_metadata, enter_from_a_clone_child, &r));
	EXPECT_EQ(-ESRCH, ctx_tasks(4206));
	end_context(4206);
}

TEST(a_child_sharing_the_fs_struct_cannot_create_a_context)
{
	struct enter_req r = { .xid = 4207, .clone_flags = CLONE_FS };

	EXPECT_EQ(-EUSERS, run_child(_metadata, enter_from_a_clone_child, &r));
	EXPECT_EQ(-ESRCH, ctx_tasks(4207));
	end_context(4207);
}

TEST(a_plain_fork_child_creates_and_enters_contexts)
{
	struct enter_req r = { .xid = 4208 };

	EXPECT_EQ(0, run_child(_metadata, enter_from_a_clone_child, &r));
	ASSERT_EQ(0, make_persistent_past_setup(4208));
	r.migrate = true;
	EXPECT_EQ(0, run_child(_metadata, enter_from_a_clone_child, &r));
	end_context(4208);
}

/*
 * 4. /proc/PID/net holds the files of the network namespace, which the
 * host shares: not writable from a context, although it lies below
 * /proc/PID.  The ceiling has CAP_DAC_OVERRIDE, so only the LSM refuses.
 * The file is one that the host can open for writing (most of those made
 * with seq_open_net() refuse that to everyone).
 */

static int write_proc_net(struct __test_metadata *_metadata,
			  struct guest_io *io)
{
	const char *name = io->arg;
	char path[96];
	int bad = 0;

	snprintf(path, sizeof(path), "/proc/self/net/%s", name);
	bad += CHECK(-EACCES, open_for(path, O_WRONLY));
	bad += CHECK(-EACCES, open_for(path, O_RDWR));
	/* Reading stays allowed */
	bad += CHECK(0, open_for(path, O_RDONLY));
	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", name);
	bad += CHECK(-EACCES, open_for(path, O_WRONLY));
	snprintf(path, sizeof(path), "/proc/self/task/%d/net/%s", gettid(),
		 name);
	bad += CHECK(-EACCES, open_for(path, O_WRONLY));
	snprintf(path, sizeof(path), "/proc/%d/net/%s", getpid(), name);
	bad += CHECK(-EACCES, open_for(path, O_WRONLY));
	snprintf(path, sizeof(path), "/proc/net/%s", name);
	bad += CHECK(-EACCES, open_for(path, O_WRONLY));
	/* The task's own files stay writable */
	bad += CHECK(0, open_for("/proc/self/comm", O_WRONLY));
	bad += CHECK(0, open_for("/proc/self/oom_score_adj", O_WRONLY));
	return bad;
}

TEST(proc_pid_net_files_are_not_writable_from_a_guest)
{
	static const char *const names[] = {
		"snmp", "netstat", "sockstat", "softnet_stat", "dev",
	};
	const char *name = NULL;
	char path[64];
	size_t i;

	/* A file of /proc/PID/net that the host can open so */
	for (i = 0; i < ARRAY_SIZE(names) && !name; i++) {
		snprintf(path, sizeof(path), "/proc/self/net/%s", names[i]);
		if (!open_for(path, O_WRONLY))
			name = names[i];
	}
	ASSERT_NE(NULL, name) {
		TH_LOG("the host can open none of /proc/self/net/{snmp,...} "
		       "for writing");
	}
	EXPECT_EQ(0, run_guest(_metadata, 4209, &default_guest,
			       write_proc_net, (void *)name));
}

/*
 * 5. Abstract unix sockets have no file that a root directory could
 * hide: a socket reaches only those of its own context, both ways, and
 * keeps the context it was made in.
 */

struct abstract_names {
	char stream[64];
	char dgram[64];
};

static socklen_t abstract_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path + 1, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void name_sockets(struct abstract_names *n, const char *who)
{
	snprintf(n->stream, sizeof(n->stream), "escape_test.%d.%s.stream",
		 getpid(), who);
	snprintf(n->dgram, sizeof(n->dgram), "escape_test.%d.%s.dgram",
		 getpid(), who);
}

/* A bound socket of @type (a listener for SOCK_STREAM), or -errno */
static int abstract_bound(int type, const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun, name);
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, len) ||
	    (type == SOCK_STREAM && listen(fd, 8))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Bind both sockets of @n; 0 or -errno */
static int bind_both(const struct abstract_names *n, int fds[2])
{
	fds[0] = abstract_bound(SOCK_STREAM, n->stream);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = abstract_bound(SOCK_DGRAM, n->dgram);
	if (fds[1] < 0) {
		close(fds[0]);
		return fds[1];
	}
	return 0;
}

static void close_both(int fds[2])
{
	close(fds[0]);
	close(fds[1]);
}

static int connect_abstract(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun, name);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ret;

	if (fd < 0)
		return INT_MIN;
	ret = ret_errno(connect(fd, (struct sockaddr *)&sun, len));
	close(fd);
	return ret;
}

static int sendto_abstract(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun, name);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return INT_MIN;
	ret = ret_errno(sendto(fd, "x", 1, 0, (struct sockaddr *)&sun, len));
	close(fd);
	return ret;
}

/* Reach the sockets of io->arg: both must be refused. */
static int reach_others_sockets(struct __test_metadata *_metadata,
				struct guest_io *io)
{
	const struct abstract_names *n = io->arg;
	int bad = 0;

	bad += CHECK(-EPERM, connect_abstract(n->stream));
	bad += CHECK(-EPERM, sendto_abstract(n->dgram));
	return bad;
}

TEST(abstract_sockets_of_the_host_are_out_of_reach_of_a_guest)
{
	struct abstract_names host;
	int fds[2];

	name_sockets(&host, "host");
	ASSERT_EQ(0, bind_both(&host, fds));
	EXPECT_EQ(0, run_guest(_metadata, 4210, &default_guest,
			       reach_others_sockets, &host));
	/* The host still reaches its own */
	EXPECT_EQ(0, connect_abstract(host.stream));
	EXPECT_EQ(0, sendto_abstract(host.dgram));
	close_both(fds);
}

/* Bind the sockets of io->arg, say so, and hold them until told. */
static int hold_sockets(struct __test_metadata *_metadata,
			struct guest_io *io)
{
	int fds[2], ret = bind_both(io->arg, fds);

	send_int(io->up, ret);
	if (ret)
		return ret;
	recv_int(io->down);
	close_both(fds);
	return 0;
}

TEST(abstract_sockets_of_a_guest_are_out_of_reach_of_another_guest_and_of_the_host)
{
	struct abstract_names a;
	struct guest g;

	name_sockets(&a, "guest-a");
	ASSERT_EQ(0, guest_start(_metadata, &g, 4211, &default_guest,
				 hold_sockets, &a));
	ASSERT_EQ(0, recv_int(g.up));
	EXPECT_EQ(0, run_guest(_metadata, 4212, &default_guest,
			       reach_others_sockets, &a));
	/* Strict both ways: the host cannot reach them either */
	EXPECT_EQ(-EPERM, connect_abstract(a.stream));
	EXPECT_EQ(-EPERM, sendto_abstract(a.dgram));
	send_int(g.down, 0);
	EXPECT_EQ(0, guest_finish(_metadata, &g));
}

static int reach_own_sockets(struct __test_metadata *_metadata,
			     struct guest_io *io)
{
	const struct abstract_names *n = io->arg;
	int fds[2], status, bad = 0;
	pid_t pid;

	if (bind_both(n, fds))
		return INT_MIN;
	bad += CHECK(0, connect_abstract(n->stream));
	bad += CHECK(0, sendto_abstract(n->dgram));
	/* And from another task of the guest */
	pid = fork();
	if (pid == 0)
		_exit(connect_abstract(n->stream) || sendto_abstract(n->dgram));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return INT_MIN;
	bad += CHECK(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	close_both(fds);
	return bad;
}

TEST(abstract_sockets_within_one_guest_connect)
{
	struct abstract_names own;

	name_sockets(&own, "own");
	EXPECT_EQ(0, run_guest(_metadata, 4214, &default_guest,
			       reach_own_sockets, &own));
}

/* io->arg: a stream and a dgram socketpair end of the host's */
static int use_inherited_pair(struct __test_metadata *_metadata,
			      struct guest_io *io)
{
	const int *ends = io->arg;
	int bad = 0;
	char c = 0;

	bad += CHECK(1, read(ends[0], &c, 1));
	bad += CHECK('h', c);
	bad += CHECK(1, write(ends[0], "s", 1));
	bad += CHECK(1, send(ends[1], "d", 1, 0));
	return bad;
}

TEST(a_socketpair_of_the_host_still_works_in_a_guest)
{
	int stream[2], dgram[2], ends[2];
	char c = 0;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, stream));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, dgram));
	ends[0] = stream[1];
	ends[1] = dgram[1];
	ASSERT_EQ(1, write(stream[0], "h", 1));
	EXPECT_EQ(0, run_guest(_metadata, 4215, &default_guest,
			       use_inherited_pair, ends));
	EXPECT_EQ(1, recv(stream[0], &c, 1, MSG_DONTWAIT));
	EXPECT_EQ('s', c);
	EXPECT_EQ(1, recv(dgram[0], &c, 1, MSG_DONTWAIT));
	EXPECT_EQ('d', c);
	close(stream[0]);
	close(stream[1]);
	close(dgram[0]);
	close(dgram[1]);
}

/* io->arg: a dgram socket of the host's, connected to the host's */
static int send_on_inherited_socket(struct __test_metadata *_metadata,
				    struct guest_io *io)
{
	const int *tx = io->arg;

	return CHECK(1, send(*tx, "x", 1, 0));
}

TEST(a_socket_connected_on_the_host_still_sends_after_its_holder_enters_a_guest)
{
	struct abstract_names host;
	struct sockaddr_un sun;
	socklen_t len;
	int rx, tx;
	char c = 0;

	name_sockets(&host, "host-rx");
	rx = abstract_bound(SOCK_DGRAM, host.dgram);
	ASSERT_LE(0, rx);
	tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_LE(0, tx);
	len = abstract_addr(&sun, host.dgram);
	ASSERT_EQ(0, connect(tx, (struct sockaddr *)&sun, len));
	EXPECT_EQ(0, run_guest(_metadata, 4216, &default_guest,
			       send_on_inherited_socket, &tx));
	EXPECT_EQ(1, recv(rx, &c, 1, MSG_DONTWAIT));
	EXPECT_EQ('x', c);
	close(tx);
	close(rx);
}

/*
 * 6. Keyrings are shared by uid, which the contexts share with the host:
 * a context reaches only its own keys, and cannot make the host run
 * /sbin/request-key or install a keyring in a host task.
 */

static long kctl(int cmd, unsigned long a2, unsigned long a3,
		 unsigned long a4, unsigned long a5)
{
	long ret = syscall(SYS_keyctl, cmd, a2, a3, a4, a5);

	return ret < 0 ? -errno : ret;
}

static long add_user_key(const char *desc, const char *payload, long ring)
{
	long ret = syscall(SYS_add_key, "user", desc, payload,
			   strlen(payload), ring);

	return ret < 0 ? -errno : ret;
}

/* The length read, or -errno */
static long read_key(long key, char *buf, size_t size)
{
	return kctl(KEYCTL_READ, key, (unsigned long)buf, size, 0);
}

static long describe_key(long key)
{
	char buf[256];

	return ok0(kctl(KEYCTL_DESCRIBE, key, (unsigned long)buf, sizeof(buf),
			0));
}

/* Is key @serial listed in /proc/keys?  1, 0, or -errno */
static int proc_keys_lists(long serial)
{
	char line[512];
	unsigned long id;
	int found = 0;
	FILE *f = fopen("/proc/keys", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx", &id) == 1 && (long)id == serial)
			found = 1;
	fclose(f);
	return found;
}

/* The caller's own session keyring, for the keys of one test; its id */
static long new_session_keyring(void)
{
	return kctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
}

struct host_keys {
	long session_keyring;
	long in_session;	/* a key in the host's session keyring */
	long in_user;		/* a key in the host's user keyring */
};

static int reach_host_keys(struct __test_metadata *_metadata,
			   struct guest_io *io)
{
	const struct host_keys *k = io->arg;
	char buf[64];
	long session;
	int bad = 0;

	/*
	 * The uid-keyed keyrings are not found, and a guest may not make
	 * its own in their register, which is the host's: ENOKEY, with or
	 * without the create flag.
	 */
	bad += CHECK(-ENOKEY, ok0(kctl(KEYCTL_GET_KEYRING_ID,
				       (unsigned long)KEY_SPEC_USER_KEYRING,
				       0, 0, 0)));
	bad += CHECK(-ENOKEY,
		     ok0(kctl(KEYCTL_GET_KEYRING_ID,
			      (unsigned long)KEY_SPEC_USER_SESSION_KEYRING,
			      0, 0, 0)));
	bad += CHECK(-ENOKEY, ok0(kctl(KEYCTL_GET_KEYRING_ID,
				       (unsigned long)KEY_SPEC_USER_KEYRING,
				       1, 0, 0)));
	bad += CHECK(-ENOKEY,
		     ok0(kctl(KEYCTL_GET_KEYRING_ID,
			      (unsigned long)KEY_SPEC_USER_SESSION_KEYRING,
			      1, 0, 0)));
	bad += CHECK(-EACCES, ok0(read_key(k->in_session, buf, sizeof(buf))));
	bad += CHECK(-EACCES, ok0(read_key(k->in_user, buf, sizeof(buf))));
	bad += CHECK(-EACCES, describe_key(k->in_session));
	bad += CHECK(-EACCES, describe_key(k->in_user));
	bad += CHECK(-EACCES, describe_key(k->session_keyring));
	bad += CHECK(0, proc_keys_lists(k->in_session));
	bad += CHECK(0, proc_keys_lists(k->in_user));
	bad += CHECK(0, proc_keys_lists(k->session_keyring));
	/* The session keyring it holds is not the host's */
	session = kctl(KEYCTL_GET_KEYRING_ID,
		       (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	bad += CHECK(0, session == k->session_keyring);
	return bad;
}

TEST(the_hosts_keys_are_out_of_reach_of_a_guest)
{
	struct host_keys k;
	char buf[64];

	k.session_keyring = new_session_keyring();
	ASSERT_LT(0, k.session_keyring);
	k.in_session = add_user_key("escape_test.host-session",
				    "host-session-secret",
				    KEY_SPEC_SESSION_KEYRING);
	ASSERT_LT(0, k.in_session);
	k.in_user = add_user_key("escape_test.host-user", "host-user-secret",
				 KEY_SPEC_USER_KEYRING);
	ASSERT_LT(0, k.in_user);
	ASSERT_EQ(19, read_key(k.in_session, buf, sizeof(buf)));
	EXPECT_EQ(0, run_guest(_metadata, 4217, &default_guest,
			       reach_host_keys, &k));
	kctl(KEYCTL_UNLINK, k.in_user, (unsigned long)KEY_SPEC_USER_KEYRING,
	     0, 0);
}

/* Make a key of the guest's, let the host try it, then try persistents. */
static int use_own_keys(struct __test_metadata *_metadata,
			struct guest_io *io)
{
	char buf[64] = "";
	long key;
	int bad = 0;

	bad += CHECK(0, ok0(new_session_keyring()));
	key = add_user_key("escape_test.guest", "guest-secret",
			   KEY_SPEC_SESSION_KEYRING);
	bad += CHECK(0, ok0(key));
	bad += CHECK(12, read_key(key, buf, sizeof(buf)));
	bad += CHECK(0, memcmp(buf, "guest-secret", 12));
	send_int(io->up, (int)key);
	recv_int(io->down);
	/* The persistent keyrings belong to the whole machine */
	bad += CHECK(-EACCES, ok0(kctl(KEYCTL_GET_PERSISTENT, (unsigned long)-1,
				       (unsigned long)KEY_SPEC_SESSION_KEYRING,
				       0, 0)));
	return bad;
}

TEST(a_guest_uses_keys_of_its_own_that_the_host_cannot_read)
{
	struct guest g;
	char buf[64];
	long key;

	ASSERT_LT(0, new_session_keyring());
	ASSERT_EQ(0, guest_start(_metadata, &g, 4218, &default_guest,
				 use_own_keys, NULL));
	key = recv_int(g.up);
	EXPECT_LT(0, key);
	if (key > 0) {
		EXPECT_EQ(-EACCES, ok0(read_key(key, buf, sizeof(buf))));
		EXPECT_EQ(-EACCES, describe_key(key));
		EXPECT_EQ(0, proc_keys_lists(key));
	}
	send_int(g.down, 0);
	EXPECT_EQ(0, guest_finish(_metadata, &g));
}

#define REQUEST_KEY	"/sbin/request-key"
#define UPCALL_MARKER	"/tmp/escape_test.request-key-ran"

static int request_a_key(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	long ret = syscall(SYS_request_key, "user", "vs-upcall-test",
			   "callout", 0);

	return CHECK(-EACCES, ret < 0 ? -errno : 0);
}

TEST(request_key_in_a_guest_runs_nothing_on_the_host)
{
	struct stat st;

	if (!lstat(REQUEST_KEY, &st))
		SKIP(return, "%s exists here; not replacing it", REQUEST_KEY);
	ASSERT_LT(0, new_session_keyring());
	unlink(UPCALL_MARKER);
	ASSERT_EQ(0, write_file(REQUEST_KEY,
				"#!/bin/sh\n: > " UPCALL_MARKER "\n", 0755));
	ASSERT_EQ(0, chmod(REQUEST_KEY, 0755));
	EXPECT_EQ(0, run_guest(_metadata, 4219, &default_guest,
			       request_a_key, NULL));
	EXPECT_EQ(-ENOENT, ret_errno(access(UPCALL_MARKER, F_OK))) {
		TH_LOG("the host ran %s for a guest", REQUEST_KEY);
	}
	unlink(REQUEST_KEY);
	unlink(UPCALL_MARKER);
}

static int session_to_parent(struct __test_metadata *_metadata,
			     struct guest_io *io)
{
	long ret;

	if (new_session_keyring() < 0)
		return INT_MIN;
	ret = kctl(KEYCTL_SESSION_TO_PARENT, 0, 0, 0, 0);
	if (ret)
		TH_LOG("KEYCTL_SESSION_TO_PARENT: %ld", ret);
	return 0;
}

TEST(session_to_parent_from_a_guest_leaves_the_host_parent_its_keyring)
{
	long before, after, key;
	char buf[64];

	before = new_session_keyring();
	ASSERT_LT(0, before);
	key = add_user_key("escape_test.parent", "parent-secret",
			   KEY_SPEC_SESSION_KEYRING);
	ASSERT_LT(0, key);
	/* The guest is a child of this process */
	EXPECT_EQ(0, run_guest(_metadata, 4220, &default_guest,
			       session_to_parent, NULL));
	/* A new keyring would be installed on the way back from a call */
	after = kctl(KEYCTL_GET_KEYRING_ID,
		     (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	EXPECT_EQ(before, after);
	EXPECT_EQ(13, read_key(key, buf, sizeof(buf)));
}

/*
 * 7. VXC_SET_UTSNAME grants sethostname() through a user namespace that
 * owns the context's UTS namespace.  Nothing may join that namespace:
 * setns() into it would give CAP_SYS_ADMIN over new namespaces.
 */

/* In a child of the guest: what the user namespace would have given */
static void try_the_owner(struct __test_metadata *_metadata, int userns)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setns(userns, CLONE_NEWUSER)) {
			TH_LOG("setns(CLONE_NEWUSER): %s", strerror(errno));
			_exit(0);
		}
		TH_LOG("joined the owner of the UTS namespace; then "
		       "unshare(CLONE_NEWNS): %d, mount(tmpfs): %d",
		       ret_errno(unshare(CLONE_NEWNS)),
		       ret_errno(mount("none", "/tmp", "tmpfs", 0, NULL)));
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

static int rename_with_set_utsname(struct __test_metadata *_metadata,
				   struct guest_io *io)
{
	int ns, userns, ret, bad = 0;

	ns = open("/proc/self/ns/uts", O_RDONLY);
	if (ns < 0)
		return INT_MIN;
	userns = ioctl(ns, NS_GET_USERNS);
	ret = userns < 0 ? -errno : 0;
	if (userns >= 0) {
		try_the_owner(_metadata, userns);
		close(userns);
	}
	bad += CHECK(-EACCES, ret);
	close(ns);
	bad += CHECK(0, ret_errno(sethostname("escape-guest", 12)));
	bad += CHECK(-EPERM, ret_errno(unshare(CLONE_NEWNS)));
	bad += CHECK(-EPERM, ret_errno(unshare(CLONE_NEWUTS)));
	return bad;
}

TEST(set_utsname_gives_sethostname_and_nothing_more)
{
	const struct guest_opts utsname = { .ccaps = VXC_SET_UTSNAME };

	EXPECT_EQ(0, run_guest(_metadata, 4221, &utsname,
			       rename_with_set_utsname, NULL));
}

/*
 * 8. SysV semaphore undos belong to an IPC namespace: a task entering a
 * context leaves its undos behind (they are applied, as by
 * unshare(CLONE_NEWIPC)), or they would be applied to whatever set has
 * the same id in the context's namespace.
 */

static int semval(int id, int num)
{
	int ret = semctl(id, num, GETVAL);

	return ret < 0 ? -errno : ret;
}

static int sem_add(int id, unsigned short num, short op)
{
	struct sembuf sb = { .sem_num = num, .sem_op = op,
			     .sem_flg = SEM_UNDO };

	return ret_errno(semop(id, &sb, 1));
}

/* As the host, before entering: a set of one semaphore, raised with undo */
static int raise_host_semaphore(struct __test_metadata *_metadata,
				struct guest_io *io)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);

	if (id < 0 || sem_add(id, 0, 1))
		return -1;
	send_int(io->up, id);
	return recv_int(io->down) == 0 ? 0 : -1;
}

/* Inside: sets of 8 until one has the host set's id, used with undo */
static int use_semaphores_inside(struct __test_metadata *_metadata,
				 struct guest_io *io)
{
	int host_id, id = -1, i, bad = 0;

	send_int(io->up, 0);
	host_id = recv_int(io->down);
	for (i = 0; i < 512 && id != host_id; i++) {
		id = semget(IPC_PRIVATE, 8, IPC_CREAT | 0600);
		if (id < 0)
			return INT_MIN;
	}
	if (id != host_id)
		TH_LOG("no set here got id %d; the last got %d", host_id, id);
	bad += CHECK(0, sem_add(id, 7, 1));
	bad += CHECK(0, sem_add(id, 0, 1));
	bad += CHECK(1, semval(id, 7));
	return bad;
}

TEST(sysv_undos_are_applied_when_a_task_enters_a_context)
{
	const struct guest_opts opts = { .before = raise_host_semaphore };
	struct guest g;
	int id;

	ASSERT_EQ(0, guest_start(_metadata, &g, 4222, &opts,
				 use_semaphores_inside, NULL));
	id = recv_int(g.up);
	ASSERT_LE(0, id);
	EXPECT_EQ(1, semval(id, 0));
	send_int(g.down, 0);
	/* Entered: its undo is applied already */
	EXPECT_EQ(0, recv_int(g.up));
	EXPECT_EQ(0, semval(id, 0));
	send_int(g.down, id);
	EXPECT_EQ(0, guest_finish(_metadata, &g));
	EXPECT_EQ(0, semval(id, 0));
	semctl(id, 0, IPC_RMID);
}

/*
 * A TEST that may take @seconds, where the harness gives 30: the hang
 * detectors of the slow cases take up to a minute each when the kernel is
 * wrong.  (TEST_F_TIMEOUT's wrapper keeps its child's pid in a register
 * across setjmp(), which -Wclobbered rightly points out.)
 */
#define SLOW_TEST(name, seconds)					\
	static struct __test_metadata _##name##_object;			\
	static void __attribute__((constructor)) slow_##name(void)	\
	{								\
		_##name##_object.timeout = seconds;			\
	}								\
	TEST(name)

/*
 * 9. A host task reading /proc/virtual/<xid>/status into memory whose
 * fault userfaultfd holds is stuck in copy_to_user() with the file in
 * use.  The context must still end with its last task, and its xid be
 * free again, while the reader is stuck.
 */

struct stuck_read {
	char path[64];
	void *buf;
	ssize_t ret;
};

static void *read_into_uffd(void *p)
{
	struct stuck_read *r = p;
	int fd = open(r->path, O_RDONLY);

	if (fd < 0) {
		r->ret = -errno;
		return NULL;
	}
	r->ret = read(fd, r->buf, 4096);
	if (r->ret < 0)
		r->ret = -errno;
	close(fd);
	return NULL;
}

struct waiter {
	uint32_t xid;
	int done[2];	/* a pipe: wait_exit returned */
	long ret;
};

static void *wait_for_the_end(void *p)
{
	struct waiter *w = p;

	w->ret = wait_exit(w->xid);
	send_int(w->done[1], 0);
	return NULL;
}

/* Does a readdir() of /proc/virtual show context @xid? */
static bool proc_virtual_lists(uint32_t xid)
{
	char name[16];
	struct dirent *d;
	bool found = false;
	DIR *dir = opendir("/proc/virtual");

	if (!dir)
		return false;
	snprintf(name, sizeof(name), "%u", xid);
	while ((d = readdir(dir)))
		if (!strcmp(d->d_name, name))
			found = true;
	closedir(dir);
	return found;
}

/*
 * Create context @xid in a child that leaves it at once: 0, -errno, or
 * INT_MIN if it hung (the child is killed).
 */
static int create_again(uint32_t xid)
{
	int fds[2], ret;
	pid_t pid;

	if (pipe(fds))
		return INT_MIN;
	pid = fork();
	if (pid == 0) {
		long r = create(xid, VXF_INIT_SET);

		send_int(fds[1], r < 0 ? (int)r : 0);
		_exit(0);
	}
	close(fds[1]);
	ret = recv_int(fds[0]);
	if (ret == INT_MIN && pid > 0)
		kill(pid, SIGKILL);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	close(fds[0]);
	return ret;
}

SLOW_TEST(a_stuck_reader_of_proc_virtual_does_not_hold_up_the_end_of_a_context, 300)
{
	const uint32_t xid = 4223;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	struct uffdio_zeropage zero = { 0 };
	struct stuck_read r = { .ret = INT_MIN };
	struct waiter w = { .xid = xid };
	struct pollfd p;
	pthread_t reader, waiter;
	int uffd, ready[2], go[2], ended;
	char path[64];
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(w.done));
	/* The context's only task, forked while this process has one thread */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		long ret = create(xid, VXF_INIT_SET);

		close(go[1]);
		send_int(ready[1], ret < 0 ? (int)ret : 0);
		recv_int(go[0]);
		_exit(0);
	}
	ASSERT_EQ(0, recv_int(ready[0]));

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	ASSERT_LE(0, uffd);
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	r.buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r.buf);
	reg.range.start = (uintptr_t)r.buf;
	reg.range.len = 4096;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	snprintf(r.path, sizeof(r.path), "/proc/virtual/%u/status", xid);
	ASSERT_EQ(0, pthread_create(&reader, NULL, read_into_uffd, &r));
	/* The reader faults in copy_to_user(), and stays there */
	p = (struct pollfd){ .fd = uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, HANG_MS)) {
		TH_LOG("the read of %s did not fault on its buffer (%zd)",
		       r.path, r.ret);
	}

	/* The end of the context, while the reader is stuck */
	ASSERT_EQ(0, pthread_create(&waiter, NULL, wait_for_the_end, &w));
	send_int(go[1], 0);
	ended = recv_int(w.done[0]) == 0;
	EXPECT_TRUE(ended) {
		TH_LOG("context %u did not end within %d s of its last task's "
		       "exit while a reader of %s was stuck", xid,
		       HANG_MS / 1000, r.path);
	}
	/* Its xid is free again; creating would spin while it is not */
	if (ended)
		EXPECT_EQ(0, create_again(xid));

	/* Let the reader go */
	zero.range = reg.range;
	EXPECT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zero));
	pthread_join(reader, NULL);
	EXPECT_LT(0, r.ret);
	if (!ended) {
		EXPECT_EQ(0, recv_int(w.done[0]));
	}
	pthread_join(waiter, NULL);
	waitpid(pid, NULL, 0);
	close(uffd);
	/* Nothing is left of the context in /proc/virtual */
	EXPECT_EQ(-ESRCH, ctx_tasks(xid));
	EXPECT_FALSE(proc_virtual_lists(xid));
	snprintf(path, sizeof(path), "/proc/virtual/%u", xid);
	EXPECT_EQ(-ENOENT, ret_errno(access(path, F_OK)));
	/* Nor from a path that was looked up while it lived */
	EXPECT_EQ(-ENOENT, read_result(r.path));
	end_context(xid);
}

/*
 * 10a. VXC_RAW_ICMP gives a raw ICMP socket, and not the IP header:
 * IP_HDRINCL would let it forge any protocol and source address.
 */

static int raw_icmp_without_hdrincl(struct __test_metadata *_metadata,
				    struct guest_io *io)
{
	int fd, one = 1, bad = 0;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	bad += CHECK(0, fd < 0 ? -errno : 0);
	if (fd >= 0) {
		bad += CHECK(-EPERM, ret_errno(setsockopt(fd, IPPROTO_IP,
							  IP_HDRINCL, &one,
							  sizeof(one))));
		close(fd);
	}
	bad += CHECK(-EPERM, fd_result(socket(AF_INET, SOCK_RAW,
					      IPPROTO_RAW)));
	bad += CHECK(-EPERM, fd_result(socket(AF_INET, SOCK_RAW,
					      IPPROTO_UDP)));
	bad += CHECK(-EPERM, fd_result(socket(AF_PACKET, SOCK_RAW,
					      htons(ETH_P_ALL))));
	return bad;
}

TEST(raw_icmp_sockets_of_a_guest_cannot_take_the_ip_header)
{
	const struct guest_opts raw_icmp = { .ccaps = VXC_RAW_ICMP };

	EXPECT_EQ(0, run_guest(_metadata, 4224, &raw_icmp,
			       raw_icmp_without_hdrincl, NULL));
}

/*
 * 10b. Configuring a context during its setup, from inside, needs
 * CAP_SYS_ADMIN within its ceiling: being in it is not enough.  The
 * context is made by VCMD_ctx_create_v0 (VXF_INIT_SET, so in setup), the
 * host sets its ceiling, then a task enters; the task that tries is a
 * child it forks (one born in the context, as every process of a guest
 * is), or the entering task itself after it dropped to a user.
 */

struct raise_req {
	uint32_t xid;
	bool drop_to_user;
	bool born_inside;
};

/* Become user 1000 without capabilities: 0, or -1 */
static int drop_to_user(void)
{
	uint64_t eff, prm;

	if (prctl(PR_SET_KEEPCAPS, 0) || setgroups(0, NULL) ||
	    setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return -1;
	return task_caps(0, &eff, &prm) || eff || prm ? -1 : 0;
}

static int raise_own_ceiling(struct __test_metadata *_metadata, void *p)
{
	const struct raise_req *r = p;

	if (r->drop_to_user && drop_to_user())
		return INT_MIN;
	return (int)ceiling_set(r->xid, ~0ULL, ~0ULL);
}

static int enter_and_raise(struct __test_metadata *_metadata, void *p)
{
	const struct raise_req *r = p;

	if (migrate(r->xid, 0) < 0)
		return INT_MIN;
	if (r->born_inside)
		return run_child(_metadata, raise_own_ceiling, p);
	return raise_own_ceiling(_metadata, p);
}

/* ceiling_set(everything) by a task of context @r->xid with ceiling @ceiling */
static int raise_in_setup(struct __test_metadata *_metadata,
			  struct raise_req *r, uint64_t ceiling)
{
	int ready[2], go[2], ret = INT_MIN;
	uint64_t flags;
	pid_t pid;

	if (pipe(ready) || pipe(go))
		return INT_MIN;
	pid = fork();
	if (pid == 0) {
		long xid = vs_sys64(VCMD_ctx_create_v0, r->xid, NULL);

		close(go[1]);
		send_int(ready[1], (int)xid);
		recv_int(go[0]);
		_exit(0);
	}
	if (pid < 0)
		return INT_MIN;
	if (recv_int(ready[0]) == (int)r->xid && !get_flags(r->xid, &flags) &&
	    (flags & VXF_STATE_SETUP) && !ceiling_set(r->xid, ceiling, ~0ULL))
		ret = run_child(_metadata, enter_and_raise, r);
	else
		TH_LOG("cannot make context %u in setup", r->xid);
	send_int(go[1], 0);
	waitpid(pid, NULL, 0);
	end_context(r->xid);
	return ret;
}

TEST(a_task_born_in_a_context_without_capabilities_cannot_configure_it_in_setup)
{
	struct raise_req r = {
		.xid = 4225, .drop_to_user = true, .born_inside = true,
	};

	EXPECT_EQ(-EPERM, raise_in_setup(_metadata, &r,
					 VX_BCAPS_DEFAULT | CAP(CAP_SYS_ADMIN)));
}

TEST(a_task_that_entered_then_dropped_to_a_user_cannot_configure_its_context_in_setup)
{
	struct raise_req r = { .xid = 4229, .drop_to_user = true };

	EXPECT_EQ(-EPERM, raise_in_setup(_metadata, &r,
					 VX_BCAPS_DEFAULT | CAP(CAP_SYS_ADMIN)));
}

TEST(root_born_in_a_context_without_cap_sys_admin_in_the_ceiling_cannot_configure_it_in_setup)
{
	struct raise_req r = { .xid = 4226, .born_inside = true };

	EXPECT_EQ(-EPERM, raise_in_setup(_metadata, &r, VX_BCAPS_DEFAULT));
}

TEST(root_with_cap_sys_admin_in_the_ceiling_configures_its_context_in_setup)
{
	struct raise_req r = { .xid = 4227, .born_inside = true };

	EXPECT_EQ(0, raise_in_setup(_metadata, &r,
				    VX_BCAPS_DEFAULT | CAP(CAP_SYS_ADMIN)));
}

/*
 * A task that dropped to a user keeps nothing of root: raising the
 * ceiling during setup gives it no capability back.
 */
TEST(a_task_that_dropped_to_a_user_regains_nothing_when_the_ceiling_is_raised)
{
	const uint32_t xid = 4230;
	int ready[2], go[2], out[2], res[2] = { INT_MIN, INT_MIN };
	uint64_t eff = ~0ULL, prm = ~0ULL;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(xid, 0));
	ASSERT_EQ(0, ceiling_set(xid, VX_BCAPS_DEFAULT, ~0ULL));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		send_int(ready[1], migrate(xid, 0) < 0 || drop_to_user() ?
				   -1 : 0);
		recv_int(go[0]);
		if (!task_caps(0, &eff, &prm)) {
			res[0] = !!eff;
			res[1] = !!prm;
		}
		if (eff || prm)
			fprintf(stderr, "# user %d holds %llx (effective), "
				"%llx (permitted)\n", (int)geteuid(),
				(unsigned long long)eff,
				(unsigned long long)prm);
		if (write(out[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(0, recv_int(ready[0]));
	EXPECT_EQ(0, ceiling_set(xid, all_caps(), ~0ULL));
	send_int(go[1], 0);
	ASSERT_EQ((ssize_t)sizeof(res), read(out[0], res, sizeof(res)));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	waitpid(pid, NULL, 0);
	end_context(xid);
}

/*
 * 12. A lowered ceiling reaches a running task's credentials, even one
 * asleep in read(), whose call goes on as if nothing happened.
 */

SLOW_TEST(a_lowered_ceiling_reaches_a_task_asleep_in_read, 120)
{
	const uint32_t xid = 4228;
	const uint64_t gone = CAP(CAP_CHOWN) | CAP(CAP_KILL);
	int ready[2], go[2], out[2], res[2] = { INT_MIN, 0 }, i;
	uint64_t eff = 0, prm = 0, st_eff, st_prm, st_bnd;
	struct pollfd p;
	bool seen = false;
	pid_t pid;

	ASSERT_EQ(0, make_persistent(xid, 0));
	ASSERT_EQ(0, ceiling_set(xid, all_caps(), ~0ULL));
	ASSERT_EQ(0, end_setup(xid));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c = 0;
		int n;

		close(go[1]);
		if (migrate(xid, 0) < 0)
			_exit(1);
		send_int(ready[1], 0);
		n = read(go[0], &c, 1);
		res[0] = n < 0 ? -errno : n;
		res[1] = c;
		if (write(out[1], res, sizeof(res)) != sizeof(res))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(0, recv_int(ready[0]));
	ASSERT_EQ(0, task_caps(pid, &eff, &prm));
	ASSERT_EQ(gone, eff & gone);

	EXPECT_EQ(0, ceiling_set(xid, 0, gone));
	/* capget() tells the truth at once */
	EXPECT_EQ(0, task_caps(pid, &eff, &prm));
	EXPECT_EQ(0ULL, eff & gone);
	EXPECT_EQ(0ULL, prm & gone);
	/* and /proc/PID/status as soon as the task has run */
	for (i = 0; i < 300 && !seen; i++) {
		st_eff = status_caps(pid, "CapEff:");
		st_prm = status_caps(pid, "CapPrm:");
		st_bnd = status_caps(pid, "CapBnd:");
		seen = !((st_eff | st_prm | st_bnd) & gone);
		if (!seen)
			usleep(100000);
	}
	EXPECT_TRUE(seen) {
		TH_LOG("after 30 s: CapEff %llx CapPrm %llx CapBnd %llx",
		       (unsigned long long)st_eff, (unsigned long long)st_prm,
		       (unsigned long long)st_bnd);
	}
	/* Its read() has not returned: it still waits for the data */
	p = (struct pollfd){ .fd = out[0], .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(1, write(go[1], "d", 1));
	ASSERT_EQ((ssize_t)sizeof(res), read(out[0], res, sizeof(res)));
	EXPECT_EQ(1, res[0]);
	EXPECT_EQ('d', res[1]);
	waitpid(pid, NULL, 0);
	end_context(xid);
}

/*
 * Part B: the attack matrix, root in a guest with the default settings
 */

/* mount(2), umount2(2) and the new mount API: EPERM */
static int mount_things(struct __test_metadata *_metadata,
			struct guest_io *io)
{
	int bad = 0;

	bad += CHECK(-EPERM, ret_errno(mount("none", "/tmp", "tmpfs", 0,
					     NULL)));
	bad += CHECK(-EPERM, ret_errno(mount("/", "/tmp", NULL, MS_BIND,
					     NULL)));
	bad += CHECK(-EPERM, ret_errno(mount(NULL, "/", NULL,
					     MS_REMOUNT | MS_BIND | MS_RDONLY,
					     NULL)));
	bad += CHECK(-EPERM, ret_errno(mount(NULL, "/", NULL,
					     MS_REC | MS_SHARED, NULL)));
	bad += CHECK(-EPERM, ret_errno(umount2("/proc", MNT_DETACH)));
	bad += CHECK(-EPERM, ret_errno(umount2("/sys", 0)));
	bad += CHECK(-EPERM, fd_result(syscall(SYS_fsopen, "tmpfs", 0)));
	bad += CHECK(-EPERM, fd_result(syscall(SYS_open_tree, AT_FDCWD, "/",
					       OPEN_TREE_CLONE)));
	return bad;
}

GUEST_TEST(mounting_and_unmounting_fail_with_eperm_in_a_guest, 4240,
	   mount_things, NULL)

static int pivot_root_again(struct __test_metadata *_metadata,
			    struct guest_io *io)
{
	if (chdir("/"))
		return INT_MIN;
	return CHECK(-EPERM, ret_errno(syscall(SYS_pivot_root, ".", ".")));
}

GUEST_TEST(pivot_root_fails_with_eperm_in_a_guest, 4241, pivot_root_again,
	   NULL)

static const struct {
	const char *name;
	int flag;
} namespaces[] = {
	{ "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP },
	{ "time", CLONE_NEWTIME }, { "user", CLONE_NEWUSER },
};

static int unshare_each(struct __test_metadata *_metadata,
			struct guest_io *io)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(namespaces); i++)
		if (CHECK(-EPERM, ret_errno(unshare(namespaces[i].flag)))) {
			TH_LOG("unshare of a %s namespace", namespaces[i].name);
			bad++;
		}
	return bad;
}

GUEST_TEST(no_namespace_can_be_unshared_in_a_guest, 4242, unshare_each, NULL)

/* PID 1 is the host's init, which a guest cannot see: ENOENT */
static int open_hosts_namespaces(struct __test_metadata *_metadata,
				 struct guest_io *io)
{
	char path[64];
	size_t i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(namespaces); i++) {
		snprintf(path, sizeof(path), "/proc/1/ns/%s",
			 namespaces[i].name);
		if (CHECK(-ENOENT, open_for(path, O_RDONLY))) {
			TH_LOG("%s", path);
			bad++;
		}
	}
	bad += CHECK(-ENOENT, ret_errno(access("/proc/1/root", F_OK)));
	return bad;
}

GUEST_TEST(the_hosts_namespaces_cannot_be_opened_from_a_guest, 4243,
	   open_hosts_namespaces, NULL)

/* io->arg: what delete_module() said to the host, ENOSYS if not built */
static int load_modules(struct __test_metadata *_metadata,
			struct guest_io *io)
{
	static const char image[64];
	const int *host_delete = io->arg;
	int fd, bad = 0;

	bad += CHECK(-EPERM, ret_errno(syscall(SYS_init_module, image,
					       sizeof(image), "")));
	fd = open("/guest-marker", O_RDONLY);
	if (fd < 0)
		return INT_MIN;
	bad += CHECK(-EPERM, ret_errno(syscall(SYS_finit_module, fd, "", 0)));
	close(fd);
	bad += CHECK(*host_delete == -ENOSYS ? -ENOSYS : -EPERM,
		     ret_errno(syscall(SYS_delete_module, "escape_test_none",
				       O_NONBLOCK)));
	return bad;
}

TEST(kernel_modules_cannot_be_loaded_or_removed_from_a_guest)
{
	int host_delete = ret_errno(syscall(SYS_delete_module,
					    "escape_test_none", O_NONBLOCK));

	if (host_delete == -ENOSYS)
		TH_LOG("delete_module() is not built (CONFIG_MODULE_UNLOAD)");
	EXPECT_EQ(0, run_guest(_metadata, 4244, &default_guest, load_modules,
			       &host_delete));
}

static int load_a_kernel(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	int load = ret_errno(syscall(SYS_kexec_load, 0UL, 0UL, NULL,
				     (unsigned long)KEXEC_ARCH_DEFAULT));
	int file = ret_errno(syscall(SYS_kexec_file_load, -1, -1, 0UL, "",
				     0UL));
	int bad = 0;

	if (load == -ENOSYS && file == -ENOSYS)
		return NOT_BUILT;
	bad += CHECK2(-EPERM, -ENOSYS, load);
	bad += CHECK2(-EPERM, -ENOSYS, file);
	return bad;
}

TEST(kexec_fails_with_eperm_in_a_guest)
{
	int ret = run_guest(_metadata, 4245, &default_guest, load_a_kernel,
			    NULL);

	if (ret == NOT_BUILT)
		SKIP(return, "kexec_load() and kexec_file_load() are not built "
		     "(CONFIG_KEXEC, CONFIG_KEXEC_FILE)");
	EXPECT_EQ(0, ret);
}

/* A socket filter that accepts nothing, and a one-entry array */
static int load_bpf(struct __test_metadata *_metadata, struct guest_io *io)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int bad = 0;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = ARRAY_SIZE(insns);
	attr.license = (uintptr_t)"GPL";
	bad += CHECK(-EPERM, fd_result(syscall(SYS_bpf, BPF_PROG_LOAD, &attr,
					       sizeof(attr))));
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	bad += CHECK(-EPERM, fd_result(syscall(SYS_bpf, BPF_MAP_CREATE, &attr,
					       sizeof(attr))));
	return bad;
}

GUEST_TEST(bpf_programs_and_maps_cannot_be_made_in_a_guest, 4246, load_bpf,
	   NULL)

/* A CPU-wide event counts every task on the CPU: EACCES (or EPERM) */
static int open_cpu_wide_event(struct __test_metadata *_metadata,
			       struct guest_io *io)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
	};

	return CHECK2(-EACCES, -EPERM,
		      fd_result(syscall(SYS_perf_event_open, &attr, -1, 0, -1,
					0)));
}

GUEST_TEST(cpu_wide_perf_events_are_refused_in_a_guest, 4247,
	   open_cpu_wide_event, NULL)

static int take_io_ports(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	int bad = 0;

	bad += CHECK(-EPERM, ret_errno(syscall(SYS_iopl, 3)));
	/* Port 0x80, the POST port; nothing is written to it */
	bad += CHECK(-EPERM, ret_errno(syscall(SYS_ioperm, 0x80, 1, 1)));
	return bad;
}

GUEST_TEST(io_ports_are_out_of_reach_of_a_guest, 4248, take_io_ports, NULL)

/* The clock is set to what it is, should that be allowed. */
static int set_the_clock(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	struct timespec ts;
	struct timeval tv;
	struct timex tx = { 0 };
	int bad = 0;

	gettimeofday(&tv, NULL);
	bad += CHECK(-EPERM, ret_errno(settimeofday(&tv, NULL)));
	clock_gettime(CLOCK_REALTIME, &ts);
	bad += CHECK(-EPERM, ret_errno(clock_settime(CLOCK_REALTIME, &ts)));
	if (adjtimex(&tx) < 0)
		return INT_MIN;
	tx.modes = ADJ_FREQUENCY;
	bad += CHECK(-EPERM, ret_errno(adjtimex(&tx)));
	tx.modes = ADJ_FREQUENCY;
	bad += CHECK(-EPERM, ret_errno(clock_adjtime(CLOCK_REALTIME, &tx)));
	return bad;
}

GUEST_TEST(the_clock_cannot_be_set_from_a_guest, 4249, set_the_clock, NULL)

static int make_device_nodes(struct __test_metadata *_metadata,
			     struct guest_io *io)
{
	int bad = 0;

	/* /dev/mem and /dev/loop0 */
	bad += CHECK(-EPERM, ret_errno(mknod("/tmp/mem", S_IFCHR | 0600,
					     makedev(1, 1))));
	bad += CHECK(-EPERM, ret_errno(mknod("/tmp/loop0", S_IFBLK | 0600,
					     makedev(7, 0))));
	return bad;
}

GUEST_TEST(device_nodes_cannot_be_made_in_a_guest, 4250, make_device_nodes,
	   NULL)

static const char *const memory_devices[] = {
	"/dev/mem", "/dev/port", "/dev/kmem",
};

/* As the host, in the guest's mount namespace: the host's nodes inside */
static int place_memory_devices(struct __test_metadata *_metadata,
				const char *root, void *arg)
{
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(memory_devices); i++) {
		if (stat(memory_devices[i], &st))
			continue;
		snprintf(path, sizeof(path), "%s%s", root, memory_devices[i]);
		if (mknod(path, st.st_mode, st.st_rdev))
			return -1;
	}
	return 0;
}

static int open_memory_devices(struct __test_metadata *_metadata,
			       struct guest_io *io)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(memory_devices); i++) {
		if (access(memory_devices[i], F_OK))
			continue;
		if (CHECK(-EPERM, open_for(memory_devices[i], O_RDONLY))) {
			TH_LOG("%s", memory_devices[i]);
			bad++;
		}
	}
	return bad;
}

TEST(memory_devices_placed_in_a_guest_cannot_be_opened)
{
	const struct guest_opts opts = { .prepare = place_memory_devices };
	size_t i, found = 0;

	for (i = 0; i < ARRAY_SIZE(memory_devices); i++)
		found += !access(memory_devices[i], F_OK);
	if (!found)
		SKIP(return, "no /dev/mem, /dev/port or /dev/kmem here "
		     "(CONFIG_DEVMEM, CONFIG_DEVPORT)");
	EXPECT_EQ(0, run_guest(_metadata, 4251, &opts, open_memory_devices,
			       NULL));
}

/*
 * reboot(2) is called only where the caller has no CAP_SYS_BOOT, neither
 * in its credentials nor in the ceiling: the VM must not go down.  In a
 * context, the commands that concern the machine alone are refused, and
 * so is every call without the magic numbers; restart and power-off end
 * the context only (event_test.c).
 */
static int reboot_the_machine(struct __test_metadata *_metadata,
			      struct guest_io *io)
{
	uint64_t eff, prm, bcaps;
	int bad = 0;

	if (task_caps(0, &eff, &prm) || ceiling_get(VX_XID_SELF, &bcaps))
		return INT_MIN;
	if ((eff | prm | bcaps) & CAP(CAP_SYS_BOOT)) {
		TH_LOG("CAP_SYS_BOOT is within reach (%llx, ceiling %llx): "
		       "reboot() not tried", (unsigned long long)eff,
		       (unsigned long long)bcaps);
		return 100;
	}
	bad += CHECK(-EINVAL, ret_errno(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
						LINUX_REBOOT_MAGIC2,
						LINUX_REBOOT_CMD_KEXEC,
						NULL)));
	bad += CHECK(-EINVAL, ret_errno(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
						LINUX_REBOOT_MAGIC2C,
						LINUX_REBOOT_CMD_SW_SUSPEND,
						NULL)));
	bad += CHECK(-EINVAL, ret_errno(syscall(SYS_reboot, 0,
						LINUX_REBOOT_MAGIC2,
						LINUX_REBOOT_CMD_POWER_OFF,
						NULL)));
	bad += CHECK(-EINVAL, ret_errno(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
						0x12345678,
						LINUX_REBOOT_CMD_RESTART2,
						"escape")));
	return bad;
}

GUEST_TEST(reboot_kexec_and_suspend_are_refused_in_a_guest, 4252,
	   reboot_the_machine, NULL)

static int swap_on(struct __test_metadata *_metadata, struct guest_io *io)
{
	int bad = 0;

	if (write_file("/tmp/swap", "", 0600))
		return INT_MIN;
	bad += CHECK(-EPERM, ret_errno(swapon("/tmp/swap", 0)));
	bad += CHECK(-EPERM, ret_errno(swapoff("/tmp/swap")));
	return bad;
}

GUEST_TEST(swapon_fails_with_eperm_in_a_guest, 4253, swap_on, NULL)

static int account_processes(struct __test_metadata *_metadata,
			     struct guest_io *io)
{
	int ret;

	if (write_file("/tmp/acct", "", 0600))
		return INT_MIN;
	ret = ret_errno(acct("/tmp/acct"));
	if (ret == -ENOSYS)
		return NOT_BUILT;
	return CHECK(-EPERM, ret) + CHECK(-EPERM, ret_errno(acct(NULL)));
}

TEST(process_accounting_cannot_be_switched_from_a_guest)
{
	int ret = run_guest(_metadata, 4254, &default_guest,
			    account_processes, NULL);

	if (ret == NOT_BUILT)
		SKIP(return, "acct() is not built (CONFIG_BSD_PROCESS_ACCT)");
	EXPECT_EQ(0, ret);
}

/*
 * Quotas: an ext2 file system on a loop device, mounted in the guest's
 * mount namespace, with the device's node in its /dev.
 */

struct loop_fs {
	char image[64];
	char node[32];		/* the device, in the host and the guest */
	int loop;		/* the loop device, held by the host */
};

/* mke2fs of busybox, or of the system */
static int make_ext2(const char *image)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("mke2fs", "mke2fs", "-F", image, "1024", (char *)NULL);
		execl("/usr/bin/busybox", "busybox", "mke2fs", "-F", image,
		      "1024", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/* An ext2 image on a free loop device: 0, or -1 with @why set */
static int setup_loop_fs(struct loop_fs *l, const char **why)
{
	struct loop_config cfg = { 0 };
	int ctl, img, n, fd;

	l->loop = -1;
	strcpy(l->image, "/tmp/escape_test.ext2.XXXXXX");
	fd = mkstemp(l->image);
	if (fd < 0) {
		*why = "cannot make an image file";
		return -1;
	}
	close(fd);
	if (make_ext2(l->image)) {
		*why = "cannot run mke2fs";
		return -1;
	}
	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0) {
		*why = "no /dev/loop-control";
		return -1;
	}
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0) {
		*why = "no free loop device";
		return -1;
	}
	snprintf(l->node, sizeof(l->node), "/dev/loop%d", n);
	l->loop = open(l->node, O_RDWR);
	img = open(l->image, O_RDWR);
	if (l->loop < 0 || img < 0) {
		*why = "cannot open the loop device or the image";
		return -1;
	}
	cfg.fd = img;
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	if (ioctl(l->loop, LOOP_CONFIGURE, &cfg)) {
		close(img);
		*why = "cannot configure the loop device";
		return -1;
	}
	close(img);
	return 0;
}

static void cleanup_loop_fs(struct loop_fs *l)
{
	if (l->loop >= 0)
		close(l->loop);
	unlink(l->image);
}

static int mount_loop_fs(struct __test_metadata *_metadata, const char *root,
			 void *arg)
{
	const struct loop_fs *l = arg;
	char node[128], mnt[128];
	struct stat st;

	if (stat(l->node, &st))
		return -1;
	snprintf(node, sizeof(node), "%s%s", root, l->node);
	snprintf(mnt, sizeof(mnt), "%s/mnt", root);
	if (mknod(node, S_IFBLK | 0600, st.st_rdev) ||
	    mount(l->node, mnt, "ext2", 0, NULL)) {
		TH_LOG("cannot mount %s: %s", l->node, strerror(errno));
		return -1;
	}
	return 0;
}

static int change_quotas(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	const struct loop_fs *l = io->arg;
	struct if_dqinfo info = { 0 };
	struct dqblk dq = { 0 };
	int fd, bad = 0;

	/* Quota is off there: it takes no privilege to learn that */
	bad += CHECK(-ESRCH, ret_errno(quotactl(QCMD(Q_GETINFO, USRQUOTA),
						l->node, 0, (caddr_t)&info)));
	bad += CHECK(-EPERM, ret_errno(quotactl(QCMD(Q_QUOTAOFF, USRQUOTA),
						l->node, 0, NULL)));
	bad += CHECK(-EPERM, ret_errno(quotactl(QCMD(Q_SETINFO, USRQUOTA),
						l->node, 0, (caddr_t)&info)));
	bad += CHECK(-EPERM, ret_errno(quotactl(QCMD(Q_SETQUOTA, USRQUOTA),
						l->node, 1000, (caddr_t)&dq)));
	fd = open("/mnt", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return INT_MIN;
	bad += CHECK(-EPERM, ret_errno(syscall(SYS_quotactl_fd, fd,
					       QCMD(Q_QUOTAOFF, USRQUOTA), 0,
					       NULL)));
	close(fd);
	return bad;
}

TEST(quotas_cannot_be_changed_from_a_guest)
{
	const struct guest_opts opts = { .prepare = mount_loop_fs };
	const char *why = NULL;
	struct loop_fs l;

	if (setup_loop_fs(&l, &why)) {
		cleanup_loop_fs(&l);
		SKIP(return, "no ext2 file system on a loop device: %s", why);
	}
	EXPECT_EQ(0, run_guest(_metadata, 4255, &opts, change_quotas, &l));
	cleanup_loop_fs(&l);
}

static int clear_the_log(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	char buf[16];
	int bad = 0;

	/* SYSLOG_ACTION_CLEAR and SYSLOG_ACTION_READ_CLEAR */
	bad += CHECK(-EPERM, ret_errno(klogctl(5, NULL, 0)));
	bad += CHECK(-EPERM, ret_errno(klogctl(4, buf, sizeof(buf))));
	return bad;
}

GUEST_TEST(the_kernel_log_cannot_be_cleared_from_a_guest, 4256,
	   clear_the_log, NULL)

/*
 * The kernel's global knobs: each group's first file that the host can
 * open for writing.  Opening is enough; nothing is ever written.
 */
static const char *const knob_groups[][4] = {
	{ "/proc/sys/kernel/hostname" },
	{ "/proc/sys/vm/drop_caches" },
	{ "/proc/sysrq-trigger" },
	{ "/proc/sys/kernel/core_pattern" },
	{ "/proc/sys/kernel/modprobe" },
	{ "/sys/kernel/uevent_helper", "/sys/class/net/lo/mtu",
	  "/sys/class/net/lo/tx_queue_len" },
	{ "/sys/fs/cgroup/cgroup.procs",
	  "/sys/fs/cgroup/cgroup.subtree_control" },
	{ "/sys/kernel/security/apparmor/.load",
	  "/sys/kernel/security/apparmor/.remove" },
};

struct knobs {
	const char *paths[ARRAY_SIZE(knob_groups)];
	size_t n;
};

static void find_knobs(struct __test_metadata *_metadata, struct knobs *k)
{
	size_t g, i;

	k->n = 0;
	for (g = 0; g < ARRAY_SIZE(knob_groups); g++) {
		for (i = 0; i < 4 && knob_groups[g][i]; i++)
			if (!open_for(knob_groups[g][i], O_WRONLY))
				break;
		if (i < 4 && knob_groups[g][i])
			k->paths[k->n++] = knob_groups[g][i];
		else
			TH_LOG("not here, or not writable by the host: %s",
			       knob_groups[g][0]);
	}
}

static int open_knobs(struct __test_metadata *_metadata, struct guest_io *io)
{
	const struct knobs *k = io->arg;
	size_t i;
	int bad = 0;

	for (i = 0; i < k->n; i++) {
		if (CHECK(-EACCES, open_for(k->paths[i], O_WRONLY))) {
			TH_LOG("%s", k->paths[i]);
			bad++;
		}
	}
	return bad;
}

TEST(kernel_knobs_in_proc_and_sys_cannot_be_opened_for_writing_in_a_guest)
{
	struct knobs k;

	find_knobs(_metadata, &k);
	if (!k.n)
		SKIP(return, "no knob here that the host can write");
	EXPECT_EQ(0, run_guest(_metadata, 4257, &default_guest, open_knobs,
			       &k));
}

/* Host processes */

static volatile char host_bytes[16] = "host-bytes";

static int stay_in_the_host(uint32_t xid)
{
	return 0;
}

static int act_on_host_process(struct __test_metadata *_metadata,
			       struct guest_io *io)
{
	const pid_t *pid = io->arg;
	char buf[sizeof(host_bytes)], path[32];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)host_bytes, sizeof(buf) };
	int bad = 0;

	bad += CHECK(-EPERM, ret_errno(kill(*pid, 0)));
	bad += CHECK(-EPERM, ret_errno(kill(*pid, SIGKILL)));
	bad += CHECK(-EPERM, ret_errno(ptrace(PTRACE_ATTACH, *pid, NULL,
					      NULL)));
	bad += CHECK(-EPERM, ret_errno(ptrace(PTRACE_SEIZE, *pid, NULL,
					      NULL)));
	bad += CHECK(-EPERM, ret_errno(process_vm_readv(*pid, &local, 1,
							&remote, 1, 0)));
	bad += CHECK(-EPERM, ret_errno(process_vm_writev(*pid, &local, 1,
							 &remote, 1, 0)));
	snprintf(path, sizeof(path), "/proc/%d/mem", *pid);
	bad += CHECK(-ENOENT, open_for(path, O_RDONLY));
	return bad;
}

TEST(host_processes_cannot_be_traced_read_or_signalled_from_a_guest)
{
	pid_t pid = start_sleepers(0, 1, stay_in_the_host);

	ASSERT_LT(0, pid);
	EXPECT_EQ(0, run_guest(_metadata, 4258, &default_guest,
			       act_on_host_process, &pid));
	/* Still there: the SIGKILL did not get through */
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The pid namespace is shared, so a pidfd of a host process can be had
 * (docs/security.md lists that its existence shows); nothing can be done
 * through it.
 */
static int open_host_pidfd(struct __test_metadata *_metadata,
			   struct guest_io *io)
{
	const pid_t *pid = io->arg;
	int fd = syscall(SYS_pidfd_open, *pid, 0), bad = 0;

	if (fd < 0)
		return CHECK2(-ESRCH, -EPERM, -errno);
	bad += CHECK(-EPERM, ret_errno(syscall(SYS_pidfd_send_signal, fd,
					       SIGKILL, NULL, 0)));
	bad += CHECK(-EPERM, ret_errno(setns(fd, CLONE_NEWNS)));
	bad += CHECK(-EPERM, ret_errno(syscall(SYS_pidfd_getfd, fd, 0, 0)));
	close(fd);
	return bad;
}

TEST(a_pidfd_of_a_host_process_reaches_nothing_from_a_guest)
{
	pid_t pid = start_sleepers(0, 1, stay_in_the_host);

	ASSERT_LT(0, pid);
	EXPECT_EQ(0, run_guest(_metadata, 4259, &default_guest,
			       open_host_pidfd, &pid));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Kernel faults held by userfaultfd need CAP_SYS_PTRACE: EPERM */
static int handle_kernel_faults(struct __test_metadata *_metadata,
				struct guest_io *io)
{
	int bad = 0;

	bad += CHECK(-EPERM, fd_result(syscall(SYS_userfaultfd, O_CLOEXEC)));
	/* User faults only: allowed to everyone */
	bad += CHECK(0, fd_result(syscall(SYS_userfaultfd,
					  O_CLOEXEC | UFFD_USER_MODE_ONLY)));
	return bad;
}

GUEST_TEST(userfaultfd_for_kernel_faults_is_refused_in_a_guest, 4260,
	   handle_kernel_faults, NULL)

/* io->arg: another context, persistent and past its setup */
static int use_sys_vserver(struct __test_metadata *_metadata,
			   struct guest_io *io)
{
	const uint32_t *other = io->arg;
	uint64_t bcaps;
	int bad = 0;

	bad += CHECK(-EPERM, ok0(create(VX_XID_DYNAMIC, VXF_INIT_SET)));
	bad += CHECK(-EPERM, ok0(vs_sys64(VCMD_ctx_create_v0, *other + 1,
					  NULL)));
	bad += CHECK(-EPERM, ok0(migrate(*other, 0)));
	bad += CHECK(-EPERM, ok0(migrate(VX_XID_SPECTATOR, 0)));
	bad += CHECK(-EPERM, ceiling_set(VX_XID_SELF, CAP(CAP_SYS_ADMIN),
				       CAP(CAP_SYS_ADMIN)));
	bad += CHECK(-EPERM, ccaps_set(VX_XID_SELF, VXC_SET_UTSNAME,
				       VXC_SET_UTSNAME));
	bad += CHECK(-EPERM, set_flags(VX_XID_SELF, VXF_HIDE_VINFO,
				       VXF_HIDE_VINFO));
	bad += CHECK(-EPERM, ctx_kill(*other, 0, 0));
	bad += CHECK(-EPERM, ctx_kill(VX_XID_SELF, 0, 0));
	bad += CHECK(-ESRCH, ceiling_get(*other, &bcaps));
	bad += CHECK(0, ceiling_get(VX_XID_SELF, &bcaps));
	bad += CHECK(VX_BCAPS_DEFAULT, bcaps);
	/* No immunity from the OOM killer, no namespaces stored or joined */
	bad += CHECK(-EPERM, ok0(vs_sys64(VCMD_set_badness, VX_XID_SELF,
					  &(struct vcmd_badness_v0){ -1000 })));
	bad += CHECK(-EPERM, ok0(vs_sys64(VCMD_set_space, VX_XID_SELF,
					  &(struct vcmd_space_mask_v2){
						  .mask = CLONE_NEWNS })));
	bad += CHECK(-EPERM, ok0(vs_sys64(VCMD_enter_space, VX_XID_SELF,
					  &(struct vcmd_space_mask_v2){ 0 })));
	bad += CHECK(-EPERM, ok0(vs_sys64(VCMD_enter_space_v0, *other,
					  NULL)));
	return bad;
}

TEST(sys_vserver_cannot_create_enter_raise_kill_or_join_from_a_guest)
{
	uint32_t other = 4290;

	ASSERT_EQ(0, make_persistent_past_setup(other));
	EXPECT_EQ(0, run_guest(_metadata, 4261, &default_guest,
			       use_sys_vserver, &other));
	EXPECT_EQ(0, ctx_tasks(other));
	EXPECT_EQ(-ESRCH, ctx_tasks(other + 1));
	end_context(other);
}

/* Where a task of the guest is after one of the chroot escapes */
static int still_inside(struct __test_metadata *_metadata,
			const struct stat *root)
{
	struct stat st;
	int bad = 0;

	if (stat("/", &st))
		return INT_MIN;
	bad += CHECK(root->st_dev, st.st_dev);
	bad += CHECK(root->st_ino, st.st_ino);
	bad += CHECK(0, ret_errno(access("/guest-marker", F_OK)));
	bad += CHECK(-ENOENT, ret_errno(access("/init", F_OK)));
	bad += CHECK(-ENOENT, ret_errno(access(HOST_SECRET, F_OK)));
	return bad;
}

static int chroot_escape(struct __test_metadata *_metadata,
			 struct guest_io *io)
{
	struct stat root;
	int i, fd, status, bad = 0;
	pid_t pid;

	if (stat("/", &root) || mkdir("/tmp/x", 0755))
		return INT_MIN;
	/* chroot into a subdirectory, climb out of it, chroot there */
	pid = fork();
	if (pid == 0) {
		if (chroot("/tmp/x"))
			_exit(100);
		for (i = 0; i < 64; i++)
			if (chdir(".."))
				_exit(101);
		if (chroot("."))
			_exit(102);
		_exit(still_inside(_metadata, &root) != 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return INT_MIN;
	bad += CHECK(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	/* The same with a directory held open across the chroot */
	fd = open("/", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || chroot("/tmp/x") || fchdir(fd))
		return INT_MIN;
	close(fd);
	for (i = 0; i < 64; i++)
		if (chdir(".."))
			return INT_MIN;
	if (chroot("."))
		return INT_MIN;
	bad += still_inside(_metadata, &root);
	return bad;
}

TEST(the_chroot_escape_stays_inside_the_guest_root)
{
	ASSERT_EQ(0, make_host_secret());
	EXPECT_EQ(0, run_guest(_metadata, 4262, &default_guest, chroot_escape,
			       NULL));
	remove_host_secret();
}

/* Even a handle of the guest's own root: decoding needs privilege */
static int open_own_root_by_handle(struct __test_metadata *_metadata,
				   struct guest_io *io)
{
	union file_handle_buf h = { .fh.handle_bytes = MAX_HANDLE_SZ };
	int root, mnt, ret;

	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mnt, 0))
		return INT_MIN;
	root = open("/", O_RDONLY | O_DIRECTORY);
	if (root < 0)
		return INT_MIN;
	ret = fd_result(open_by_handle_at(root, &h.fh, O_RDONLY));
	close(root);
	return CHECK(-EPERM, ret);
}

GUEST_TEST(open_by_handle_at_fails_with_eperm_in_a_guest, 4263,
	   open_own_root_by_handle, NULL)

/* io_uring: the same opens, through a ring */

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* 0, or -errno of io_uring_setup() */
static int ring_open(struct ring *r)
{
	struct io_uring_params p = { 0 };
	size_t sq_len, cq_len;
	char *sq, *cq;

	r->fd = syscall(SYS_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if ((p.features & IORING_FEAT_SINGLE_MMAP) && cq_len > sq_len)
		sq_len = cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return INT_MIN;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return INT_MIN;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return INT_MIN;
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* IORING_OP_OPENAT of @path: 0 (closed), -errno, or INT_MIN */
static int ring_openat(struct ring *r, const char *path, int flags,
		       bool async)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (uintptr_t)path;
	sqe->open_flags = flags;
	sqe->flags = async ? IOSQE_ASYNC : 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return INT_MIN;
	head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return INT_MIN;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	if (res >= 0) {
		close(res);
		res = 0;
	}
	return res;
}

/* io->arg: a knob the host can open for writing */
static int open_through_a_ring(struct __test_metadata *_metadata,
			       struct guest_io *io)
{
	const char *knob = io->arg;
	struct ring r;
	int ret, async, bad = 0;

	ret = ring_open(&r);
	if (ret == -ENOSYS || ret == -EPERM) {
		TH_LOG("io_uring_setup(): %d", ret);
		return NOT_BUILT;
	}
	if (ret)
		return INT_MIN;
	for (async = 0; async < 2; async++) {
		bad += CHECK(0, ring_openat(&r, "/guest-marker", O_RDONLY,
					    async));
		bad += CHECK(-ENOENT, ring_openat(&r, "/init", O_RDONLY,
						  async));
		bad += CHECK(-ENOENT, ring_openat(&r, HOST_SECRET, O_RDONLY,
						  async));
		bad += CHECK(-EACCES, ring_openat(&r, knob, O_WRONLY, async));
	}
	close(r.fd);
	return bad;
}

TEST(io_uring_opens_only_what_open_may_in_a_guest)
{
	static const char *const knobs[] = {
		"/proc/sysrq-trigger", "/proc/sys/vm/drop_caches",
		"/proc/sys/kernel/hostname",
	};
	const char *knob = NULL;
	struct ring r;
	size_t i;
	int ret;

	ret = ring_open(&r);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "no io_uring here (%d)", ret);
	ASSERT_EQ(0, ret);
	close(r.fd);
	for (i = 0; i < ARRAY_SIZE(knobs) && !knob; i++)
		if (!open_for(knobs[i], O_WRONLY))
			knob = knobs[i];
	ASSERT_NE(NULL, knob);
	ASSERT_EQ(0, make_host_secret());
	ret = run_guest(_metadata, 4264, &default_guest, open_through_a_ring,
			(void *)knob);
	remove_host_secret();
	if (ret == NOT_BUILT)
		SKIP(return, "io_uring is refused in a guest, as it may be");
	EXPECT_EQ(0, ret);
}

/*
 * TIOCSTI: a guest program started on a terminal of the host (vserver
 * enter, vctx enter) must not push input that the host's shell reads
 * after it: EPERM, though the kernel's legacy rule needs no capability
 * for one's own controlling terminal.
 */
/* 0, or -errno of TIOCSTI on @slave as a new session's terminal */
static int push_terminal_input(int slave)
{
	int status;
	pid_t pid;
	char c = 'x';

	pid = fork();
	if (pid < 0)
		return INT_MIN;
	if (pid == 0) {
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0))
			_exit(255);
		_exit(ioctl(slave, TIOCSTI, &c) ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return INT_MIN;
	return -WEXITSTATUS(status);
}

static int push_input_in_a_guest(struct __test_metadata *_metadata,
				 struct guest_io *io)
{
	return CHECK(-EPERM, push_terminal_input(*(int *)io->arg));
}

TEST(a_guest_cannot_push_input_into_its_terminal)
{
	int master, slave, status;
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ASSERT_LE(0, master);
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ASSERT_LE(0, slave);
	/* The host's own process may: the test can tell the two apart */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(push_terminal_input(slave) == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		SKIP(goto out, "TIOCSTI is refused on the host too");
	EXPECT_EQ(0, run_guest(_metadata, 4265, &default_guest,
			       push_input_in_a_guest, &slave));
out:
	close(slave);
	close(master);
}

/*
 * Automatic module loading: a socket of a family the kernel lacks makes
 * it run the host's modprobe ("net-pf-N"); from a guest it must not.
 */
#define MODPROBE_KNOB	"/proc/sys/kernel/modprobe"
#define MODPROBE	"/tmp/escape_test.modprobe"
#define MODPROBE_MARKER	"/tmp/escape_test.modprobe-ran"
#define ABSENT_FAMILY	9	/* AF_X25, not in the VM's kernel */

static int open_absent_family(struct __test_metadata *_metadata,
			      struct guest_io *io)
{
	int fd = socket(ABSENT_FAMILY, SOCK_STREAM, 0);

	if (fd >= 0)
		close(fd);
	return CHECK(-EAFNOSUPPORT, fd < 0 ? -errno : 0);
}

TEST(a_guest_cannot_make_the_host_load_a_module)
{
	char saved[PATH_MAX] = "";
	int fd, len;

	fd = open(MODPROBE_KNOB, O_RDONLY);
	if (fd < 0)
		SKIP(return, "no %s: no module loading", MODPROBE_KNOB);
	len = read(fd, saved, sizeof(saved) - 1);
	close(fd);
	ASSERT_LT(0, len);
	saved[len] = '\0';
	ASSERT_EQ(0, write_file(MODPROBE,
				"#!/bin/sh\n: > " MODPROBE_MARKER "\n", 0755));
	ASSERT_EQ(0, chmod(MODPROBE, 0755));
	ASSERT_EQ(0, write_file(MODPROBE_KNOB, MODPROBE, 0644));
	/* The host's own socket() runs it: the test can tell */
	unlink(MODPROBE_MARKER);
	fd = socket(ABSENT_FAMILY, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
	if (access(MODPROBE_MARKER, F_OK)) {
		write_file(MODPROBE_KNOB, saved, 0644);
		unlink(MODPROBE);
		SKIP(return, "the host's socket() ran no modprobe");
	}
	unlink(MODPROBE_MARKER);
	EXPECT_EQ(0, run_guest(_metadata, 4266, &default_guest,
			       open_absent_family, NULL));
	EXPECT_EQ(-ENOENT, ret_errno(access(MODPROBE_MARKER, F_OK))) {
		TH_LOG("the host ran modprobe for a guest");
	}
	write_file(MODPROBE_KNOB, saved, 0644);
	unlink(MODPROBE);
	unlink(MODPROBE_MARKER);
}

TEST_HARNESS_MAIN
