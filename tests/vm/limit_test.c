// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resource limits of contexts: the commands (get/set_rlimit,
 * get_rlimit_mask, rlimit_stat, reset_hits, reset_minmax), their argument
 * checks and permissions, the i386 layout of the rlimit structure, and the
 * enforcement of each limit on the objects that tasks of a context make.
 *
 * The commands' argument checks run through both the 64-bit syscall and
 * int 0x80 (the "cmds" fixture).  The enforcement tests drive a "guest": a
 * child process that enters a context and makes or releases one object at
 * a time when the test asks it to, through a pair of pipes.  The test
 * process itself stays in the host, sets the limits and reads the usage.
 *
 * Contexts of this file have xids 5000-5099.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

/* The resources this kernel counts, in /proc/virtual/<xid>/limit order */
static const struct {
	uint32_t id;
	const char *label;
} resources[] = {
	{ RLIMIT_NPROC, "PROC" },
	{ RLIMIT_NOFILE, "FILES" },
	{ VLIMIT_NSOCK, "SOCK" },
	{ RLIMIT_MSGQUEUE, "MSGQ" },
	{ VLIMIT_SHMEM, "SHM" },
	{ VLIMIT_SEMARY, "SEMA" },
	{ VLIMIT_NSEMS, "SEMS" },
};

#define NR_RESOURCES	ARRAY_SIZE(resources)

/* Their bits in get_rlimit_mask */
#define LIMIT_MASK	0x003910C0U

static bool supported(uint32_t id)
{
	return id < 32 && (LIMIT_MASK & (1U << id));
}

/*
 * get/set_rlimit: the i386 entry takes the packed 28-byte layout, so the
 * structure is converted on the way to int 0x80 and back.
 */
static long rlimit_call(uint32_t cmd, uint32_t xid,
			struct vcmd_ctx_rlimit_v0 *arg)
{
	struct vcmd_ctx_rlimit_v0_i386 *p = int80_page;
	long ret;

	if (!p)
		return vs_sys64(cmd, xid, arg);
	memset(p, 0xa5, sizeof(*p));
	p->id = arg->id;
	p->minimum = arg->minimum;
	p->softlimit = arg->softlimit;
	p->maximum = arg->maximum;
	ret = vs_sys32(cmd, xid, vs_ptr32(p));
	arg->id = p->id;
	arg->minimum = p->minimum;
	arg->softlimit = p->softlimit;
	arg->maximum = p->maximum;
	return ret;
}

static long set_rlimit(uint32_t xid, uint32_t id, uint64_t soft,
		       uint64_t hard)
{
	struct vcmd_ctx_rlimit_v0 arg = {
		.id = id, .minimum = CRLIM_UNSET,
		.softlimit = soft, .maximum = hard,
	};

	return rlimit_call(VCMD_set_rlimit, xid, &arg);
}

static long get_rlimit(uint32_t xid, uint32_t id,
		       struct vcmd_ctx_rlimit_v0 *arg)
{
	memset(arg, 0xa5, sizeof(*arg));
	arg->id = id;
	return rlimit_call(VCMD_get_rlimit, xid, arg);
}

static long get_stat(uint32_t xid, uint32_t id,
		     struct vcmd_rlimit_stat_v0 *st)
{
	memset(st, 0xa5, sizeof(*st));
	st->id = id;
	return vs_call(VCMD_rlimit_stat, xid, st, sizeof(*st));
}

static long reset_hits(uint32_t xid)
{
	return vs_call(VCMD_reset_hits, xid, NULL, 0);
}

static long reset_minmax(uint32_t xid)
{
	return vs_call(VCMD_reset_minmax, xid, NULL, 0);
}

/*
 * Context objects are freed after an RCU grace period, from a workqueue:
 * give them up to 5 s to go.  Returns the number left in memory.
 */
static int contexts_in_memory(int before)
{
	int i, now = read_counter("#CTotal:");

	for (i = 0; i < 500 && now > before; i++) {
		usleep(10000);
		now = read_counter("#CTotal:");
	}
	return now;
}

/*
 * The context objects in memory once those of contexts that ended are
 * freed (objects that are never freed stay counted).
 */
static int settled_contexts(void)
{
	return contexts_in_memory(read_counter("#CActive:"));
}

/*
 * Guests.  A guest is a child process in a context that makes and
 * releases objects on request; it answers each request with 0 or -errno.
 * Objects are released in the reverse order of their making.
 */

enum kind {
	K_TASK,		/* a child process, which waits to be killed */
	K_THREAD,	/* a thread, which lasts as long as the guest */
	K_FILE,		/* open("/") */
	K_DUP,		/* dup() of a descriptor: no new file */
	K_PIPE,		/* pipe(): two files */
	K_SOCK,		/* an AF_UNIX datagram socket */
	K_PAIR,		/* socketpair(): two connected sockets */
	K_LISTEN,	/* a stream socket listening on listen_addr() */
	K_ACCEPT,	/* a connection accepted on the last K_LISTEN */
	K_MSGQ,		/* a message queue */
	K_SHM,		/* a shared memory segment of one page */
	K_SEM,		/* a semaphore array of @arg semaphores (1 if 0) */
};

enum op {
	OP_MAKE,	/* make an object of @kind; SysV IPC: with @key */
	OP_RELEASE,	/* release the last @arg objects */
	OP_LOOKUP,	/* find the SysV IPC object of @kind with @key */
	OP_CLOSE,	/* close descriptor @arg */
	OP_EXIT,	/* end the tasks; release the rest too unless @arg */
};

struct request {
	int op;
	int kind;
	int arg;
	int key;
};

struct guest {
	pid_t pid;
	int in;		/* requests, to the guest */
	int out;	/* answers, from the guest */
};

/* The guest's side */

struct object {
	int kind;
	int a, b;
};

static struct object objects[64];
static int nr_objects;
static uint32_t guest_xid;
static int guest_in;

/*
 * The AF_UNIX address of the listening socket of context @xid: a path,
 * since the host may not reach the abstract sockets of a context.
 */
static socklen_t listen_addr(uint32_t xid, struct sockaddr_un *sun)
{
	int len;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	len = snprintf(sun->sun_path, sizeof(sun->sun_path),
		       "/tmp/limit_test.%u.sock", xid);
	return offsetof(struct sockaddr_un, sun_path) + len + 1;
}

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static int make_listener(void)
{
	struct sockaddr_un sun;
	socklen_t len = listen_addr(guest_xid, &sun);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), err;

	if (fd < 0)
		return -1;
	unlink(sun.sun_path);
	if (bind(fd, (struct sockaddr *)&sun, len) || listen(fd, 8)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int accept_one(void)
{
	int i;

	for (i = nr_objects - 1; i >= 0; i--)
		if (objects[i].kind == K_LISTEN)
			return accept(objects[i].a, NULL, NULL);
	errno = EBADF;
	return -1;
}

static int make_object(const struct request *r)
{
	struct object o = { .kind = r->kind, .a = -1, .b = -1 };
	int ipc = IPC_CREAT | 0600 | (r->key ? IPC_EXCL : 0);
	int fds[2] = { -1, -1 };
	pthread_t thread;

	if (nr_objects == (int)ARRAY_SIZE(objects))
		return -ENOMEM;
	switch (r->kind) {
	case K_TASK:
		o.a = fork();
		if (o.a == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		break;
	case K_THREAD:
		return -pthread_create(&thread, NULL, idle_thread, NULL);
	case K_FILE:
		o.a = open("/", O_RDONLY | O_DIRECTORY);
		break;
	case K_DUP:
		o.a = dup(guest_in);
		break;
	case K_PIPE:
		if (!pipe(fds)) {
			o.a = fds[0];
			o.b = fds[1];
		}
		break;
	case K_SOCK:
		o.a = socket(AF_UNIX, SOCK_DGRAM, 0);
		break;
	case K_PAIR:
		if (!socketpair(AF_UNIX, SOCK_STREAM, 0, fds)) {
			o.a = fds[0];
			o.b = fds[1];
		}
		break;
	case K_LISTEN:
		o.a = make_listener();
		break;
	case K_ACCEPT:
		o.a = accept_one();
		break;
	case K_MSGQ:
		o.a = msgget(r->key, ipc);
		break;
	case K_SHM:
		o.a = shmget(r->key, 4096, ipc);
		break;
	case K_SEM:
		o.a = semget(r->key, r->arg ? r->arg : 1, ipc);
		break;
	default:
		return -EINVAL;
	}
	if (o.a < 0)
		return -errno;
	objects[nr_objects++] = o;
	return 0;
}

/* A SysV IPC object found is the guest's to release, like its own. */
static int lookup_object(const struct request *r)
{
	struct object o = { .kind = r->kind, .b = -1 };

	switch (r->kind) {
	case K_MSGQ:
		o.a = msgget(r->key, 0);
		break;
	case K_SHM:
		o.a = shmget(r->key, 0, 0);
		break;
	case K_SEM:
		o.a = semget(r->key, 0, 0);
		break;
	default:
		return -EINVAL;
	}
	if (o.a < 0)
		return -errno;
	if (nr_objects < (int)ARRAY_SIZE(objects))
		objects[nr_objects++] = o;
	return 0;
}

static void release_object(const struct object *o)
{
	switch (o->kind) {
	case K_TASK:
		kill(o->a, SIGKILL);
		waitpid(o->a, NULL, 0);
		break;
	case K_MSGQ:
		msgctl(o->a, IPC_RMID, NULL);
		break;
	case K_SHM:
		shmctl(o->a, IPC_RMID, NULL);
		break;
	case K_SEM:
		semctl(o->a, 0, IPC_RMID);
		break;
	default:
		close(o->a);
		if (o->b >= 0)
			close(o->b);
	}
}

static int release_objects(int n)
{
	if (n < 0 || n > nr_objects)
		return -EINVAL;
	while (n--)
		release_object(&objects[--nr_objects]);
	return 0;
}

/*
 * Its child processes end first, in any case: the guest's exit is then
 * the exit of the last of its tasks.
 */
static void __attribute__((noreturn)) guest_exit(bool keep)
{
	int i;

	for (i = nr_objects - 1; i >= 0; i--)
		if (!keep || objects[i].kind == K_TASK)
			release_object(&objects[i]);
	_exit(0);
}

static void __attribute__((noreturn)) guest_main(int in, int out)
{
	struct request r;
	int ret;

	guest_in = in;
	while (read(in, &r, sizeof(r)) == sizeof(r)) {
		switch (r.op) {
		case OP_MAKE:
			ret = make_object(&r);
			break;
		case OP_RELEASE:
			ret = release_objects(r.arg);
			break;
		case OP_LOOKUP:
			ret = lookup_object(&r);
			break;
		case OP_CLOSE:
			ret = ret_errno(close(r.arg));
			break;
		case OP_EXIT:
			guest_exit(r.arg);
		default:
			ret = -EINVAL;
		}
		if (write(out, &ret, sizeof(ret)) != sizeof(ret))
			break;
	}
	/* The test is gone. */
	guest_exit(false);
}

/* The test's side */

/*
 * Start a guest in context @xid: it enters the context, or with @flags
 * creates it.  Returns what ctx_migrate or ctx_create returned, INT_MIN
 * if the guest never said.
 */
static int start_guest(struct guest *g, uint32_t xid, uint64_t flags)
{
	int req[2], ans[2], ret = INT_MIN;

	/* A guest that died must not kill the test with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	g->pid = 0;
	if (pipe(req))
		return INT_MIN;
	if (pipe(ans)) {
		close(req[0]);
		close(req[1]);
		return INT_MIN;
	}
	g->pid = fork();
	if (g->pid == 0) {
		close(req[1]);
		close(ans[0]);
		guest_xid = xid;
		ret = flags ? create(xid, flags) : migrate(xid, 0);
		if (write(ans[1], &ret, sizeof(ret)) == sizeof(ret) && ret >= 0)
			guest_main(req[0], ans[1]);
		_exit(0);
	}
	close(req[0]);
	close(ans[1]);
	g->in = req[1];
	g->out = ans[0];
	if (g->pid < 0 || read(g->out, &ret, sizeof(ret)) != sizeof(ret))
		ret = INT_MIN;
	if (ret < 0) {
		close(g->in);
		close(g->out);
		if (g->pid > 0)
			waitpid(g->pid, NULL, 0);
		g->pid = 0;
	}
	return ret;
}

static int guest_request(struct guest *g, int op, int kind, int arg, int key)
{
	struct request r = { .op = op, .kind = kind, .arg = arg, .key = key };
	int ret;

	if (g->pid <= 0 || write(g->in, &r, sizeof(r)) != sizeof(r) ||
	    read(g->out, &ret, sizeof(ret)) != sizeof(ret))
		return INT_MIN;
	return ret;
}

static int make(struct guest *g, int kind)
{
	return guest_request(g, OP_MAKE, kind, 0, 0);
}

static int make_n(struct guest *g, int kind, int n)
{
	int ret = 0;

	while (n-- && !ret)
		ret = make(g, kind);
	return ret;
}

static int make_sems(struct guest *g, int nsems)
{
	return guest_request(g, OP_MAKE, K_SEM, nsems, 0);
}

static int make_keyed(struct guest *g, int kind, int key)
{
	return guest_request(g, OP_MAKE, kind, 0, key);
}

static int release(struct guest *g, int n)
{
	return guest_request(g, OP_RELEASE, 0, n, 0);
}

static int lookup(struct guest *g, int kind, int key)
{
	return guest_request(g, OP_LOOKUP, kind, 0, key);
}

/*
 * End a guest and wait until it is gone: its tasks end; its other objects
 * are released first unless @keep, else they go as it exits.
 */
static int stop_guest(struct guest *g, bool keep)
{
	struct request r = { .op = OP_EXIT, .arg = keep };
	int status = -1;

	if (g->pid <= 0)
		return -1;
	if (write(g->in, &r, sizeof(r)) != sizeof(r))
		kill(g->pid, SIGKILL);
	close(g->in);
	close(g->out);
	if (waitpid(g->pid, &status, 0) != g->pid)
		status = -1;
	g->pid = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The current usage of a resource, or -errno */
static long long usage(uint32_t xid, uint32_t id)
{
	struct vcmd_rlimit_stat_v0 st;
	long ret = get_stat(xid, id, &st);

	return ret < 0 ? ret : (long long)st.value;
}

/*
 * Wait for the usage to be @want: 0 if it is at once, else how long it
 * took in ms plus 1, or -1 if it never got there within 5 s.
 */
static int late_usage(uint32_t xid, uint32_t id, uint64_t want)
{
	struct timespec t0, t1;
	int i;

	if (usage(xid, id) == (long long)want)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 5000; i++) {
		usleep(1000);
		if (usage(xid, id) == (long long)want) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			return (t1.tv_sec - t0.tv_sec) * 1000 +
			       (t1.tv_nsec - t0.tv_nsec) / 1000000 + 1;
		}
	}
	return -1;
}

/*
 * The commands, through each entry.  Context 5001 is persistent and in
 * setup when each test starts; 5099 never exists.
 */
FIXTURE_CMDS(5001)

TEST_F(cmds, get_rlimit_mask_names_the_seven_resources)
{
	struct vcmd_ctx_rlimit_mask_v0 *mask = self->low;
	unsigned char *page = self->low;
	uint32_t bits = 0;
	size_t i;

	for (i = 0; i < NR_RESOURCES; i++)
		bits |= 1U << resources[i].id;
	ASSERT_EQ(LIMIT_MASK, bits);

	memset(page, 0xa5, 64);
	ASSERT_EQ(0, vs_call_raw(VCMD_get_rlimit_mask, 5001, mask));
	EXPECT_EQ(0U, mask->minimum);
	EXPECT_EQ(LIMIT_MASK, mask->softlimit);
	EXPECT_EQ(LIMIT_MASK, mask->maximum);
	EXPECT_EQ(0xa5, page[12]);
	/* It is the same for any id, a context or not. */
	EXPECT_EQ(0, vs_call_raw(VCMD_get_rlimit_mask, 5099, mask));
	EXPECT_EQ(0, vs_call_raw(VCMD_get_rlimit_mask, 0, mask));
	EXPECT_EQ(LIMIT_MASK, mask->maximum);
}

TEST_F(cmds, new_contexts_have_no_limits_and_no_usage)
{
	struct vcmd_ctx_rlimit_v0 r;
	struct vcmd_rlimit_stat_v0 st;
	size_t i;

	for (i = 0; i < NR_RESOURCES; i++) {
		uint32_t id = resources[i].id;

		TH_LOG("resource %s", resources[i].label);
		ASSERT_EQ(0, get_rlimit(5001, id, &r));
		EXPECT_EQ(id, r.id);
		EXPECT_EQ(CRLIM_UNSET, r.minimum);
		EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
		EXPECT_EQ(CRLIM_INFINITY, r.maximum);

		ASSERT_EQ(0, get_stat(5001, id, &st));
		EXPECT_EQ(id, st.id);
		EXPECT_EQ(0U, st.hits);
		EXPECT_EQ(0ULL, st.value);
		EXPECT_EQ(0ULL, st.minimum);
		/* The task that created the context was in it for a while. */
		EXPECT_EQ(id == RLIMIT_NPROC ? 1ULL : 0ULL, st.maximum);
	}
}

TEST_F(cmds, set_and_get_round_trip)
{
	struct vcmd_ctx_rlimit_v0 r;
	size_t i;

	/* Values above 32 bits, different for each resource */
	for (i = 0; i < NR_RESOURCES; i++) {
		ASSERT_EQ(0, set_rlimit(5001, resources[i].id,
					(1ULL << 40) + i, (1ULL << 41) + i));
	}
	for (i = 0; i < NR_RESOURCES; i++) {
		TH_LOG("resource %s", resources[i].label);
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(resources[i].id, r.id);
		EXPECT_EQ(CRLIM_UNSET, r.minimum);
		EXPECT_EQ((1ULL << 40) + i, r.softlimit);
		EXPECT_EQ((1ULL << 41) + i, r.maximum);
	}
	/* Equal limits, zero, and none at all */
	for (i = 0; i < NR_RESOURCES; i++) {
		TH_LOG("resource %s", resources[i].label);
		EXPECT_EQ(0, set_rlimit(5001, resources[i].id, 7, 7));
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(7ULL, r.softlimit);
		EXPECT_EQ(7ULL, r.maximum);
		EXPECT_EQ(0, set_rlimit(5001, resources[i].id, 0, 0));
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(0ULL, r.softlimit);
		EXPECT_EQ(0ULL, r.maximum);
		EXPECT_EQ(0, set_rlimit(5001, resources[i].id, 3,
					CRLIM_INFINITY));
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(3ULL, r.softlimit);
		EXPECT_EQ(CRLIM_INFINITY, r.maximum);
		EXPECT_EQ(0, set_rlimit(5001, resources[i].id,
					CRLIM_INFINITY, CRLIM_INFINITY));
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
		EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	}
}

TEST_F(cmds, keep_leaves_a_limit_as_it_is)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, set_rlimit(5001, RLIMIT_NOFILE, 5, 10));
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NOFILE, CRLIM_KEEP, 20));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NOFILE, &r));
	EXPECT_EQ(5ULL, r.softlimit);
	EXPECT_EQ(20ULL, r.maximum);
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NOFILE, 7, CRLIM_KEEP));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NOFILE, &r));
	EXPECT_EQ(7ULL, r.softlimit);
	EXPECT_EQ(20ULL, r.maximum);
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NOFILE, CRLIM_KEEP, CRLIM_KEEP));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NOFILE, &r));
	EXPECT_EQ(7ULL, r.softlimit);
	EXPECT_EQ(20ULL, r.maximum);
	/* Keeping unlimited limits keeps them unlimited. */
	EXPECT_EQ(0, set_rlimit(5001, VLIMIT_NSOCK, CRLIM_KEEP, CRLIM_KEEP));
	ASSERT_EQ(0, get_rlimit(5001, VLIMIT_NSOCK, &r));
	EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	EXPECT_EQ(0, set_rlimit(5001, VLIMIT_NSOCK, 4, CRLIM_KEEP));
	ASSERT_EQ(0, get_rlimit(5001, VLIMIT_NSOCK, &r));
	EXPECT_EQ(4ULL, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	/* Other resources are untouched. */
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NPROC, &r));
	EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
}

TEST_F(cmds, soft_above_hard_is_invalid_and_changes_nothing)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, 5, 10));
	EXPECT_EQ(-EINVAL, set_rlimit(5001, RLIMIT_NPROC, 11, 10));
	EXPECT_EQ(-EINVAL, set_rlimit(5001, RLIMIT_NPROC, CRLIM_INFINITY, 10));
	/* A soft limit given above a kept hard limit */
	EXPECT_EQ(-EINVAL, set_rlimit(5001, RLIMIT_NPROC, 11, CRLIM_KEEP));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NPROC, &r));
	EXPECT_EQ(5ULL, r.softlimit);
	EXPECT_EQ(10ULL, r.maximum);
}

/*
 * util-vserver's vlimit sets a hard limit alone ({KEEP, KEEP, max}): a
 * kept soft limit follows a lower hard limit down, as historic kernels
 * had it.
 */
TEST_F(cmds, a_kept_soft_limit_follows_the_hard_limit_down)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, 5, 10));
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, CRLIM_KEEP, 4));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NPROC, &r));
	EXPECT_EQ(4ULL, r.softlimit);
	EXPECT_EQ(4ULL, r.maximum);
	/* A soft limit below stays as it is */
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, CRLIM_KEEP, 8));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NPROC, &r));
	EXPECT_EQ(4ULL, r.softlimit);
	EXPECT_EQ(8ULL, r.maximum);
	/* A new context's soft limit is unlimited: a hard limit alone */
	EXPECT_EQ(0, set_rlimit(5001, VLIMIT_SHMEM, CRLIM_KEEP, 3));
	ASSERT_EQ(0, get_rlimit(5001, VLIMIT_SHMEM, &r));
	EXPECT_EQ(3ULL, r.softlimit);
	EXPECT_EQ(3ULL, r.maximum);
}

TEST_F(cmds, the_minimum_is_ignored)
{
	struct vcmd_ctx_rlimit_v0 r = {
		.id = VLIMIT_SEMARY, .minimum = 12345,
		.softlimit = 20, .maximum = 30,
	};
	struct vcmd_rlimit_stat_v0 st;

	EXPECT_EQ(0, rlimit_call(VCMD_set_rlimit, 5001, &r));
	ASSERT_EQ(0, get_rlimit(5001, VLIMIT_SEMARY, &r));
	EXPECT_EQ(CRLIM_UNSET, r.minimum);
	EXPECT_EQ(20ULL, r.softlimit);
	EXPECT_EQ(30ULL, r.maximum);
	ASSERT_EQ(0, get_stat(5001, VLIMIT_SEMARY, &st));
	EXPECT_EQ(0ULL, st.minimum);
}

TEST_F(cmds, unsupported_ids_are_invalid)
{
	static const uint32_t big[] = { 1000, 0x7fffffff, 0xffffffff };
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	uint32_t id;
	size_t i;

	for (id = 0; id < 64; id++) {
		if (supported(id))
			continue;
		EXPECT_EQ(-EINVAL, get_rlimit(5001, id, &r)) {
			TH_LOG("id %u", id);
		}
		EXPECT_EQ(-EINVAL, set_rlimit(5001, id, 1, 2)) {
			TH_LOG("id %u", id);
		}
		EXPECT_EQ(-EINVAL, set_rlimit(5001, id, CRLIM_KEEP,
					      CRLIM_KEEP)) {
			TH_LOG("id %u", id);
		}
		EXPECT_EQ(-EINVAL, get_stat(5001, id, &st)) {
			TH_LOG("id %u", id);
		}
	}
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		EXPECT_EQ(-EINVAL, get_rlimit(5001, big[i], &r));
		EXPECT_EQ(-EINVAL, set_rlimit(5001, big[i], 1, 2));
		EXPECT_EQ(-EINVAL, get_stat(5001, big[i], &st));
	}
	/* Nothing changed on the way. */
	for (i = 0; i < NR_RESOURCES; i++) {
		ASSERT_EQ(0, get_rlimit(5001, resources[i].id, &r));
		EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
		EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	}
}

TEST_F(cmds, unknown_contexts_are_not_found)
{
	static const uint32_t xids[] = {
		5099, VX_XID_HOST, VX_XID_SPECTATOR, VX_XID_SELF, 65536,
	};
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xids); i++) {
		TH_LOG("xid %u", xids[i]);
		EXPECT_EQ(-ESRCH, get_rlimit(xids[i], RLIMIT_NPROC, &r));
		EXPECT_EQ(-ESRCH, set_rlimit(xids[i], RLIMIT_NPROC, 1, 2));
		EXPECT_EQ(-ESRCH, get_stat(xids[i], RLIMIT_NPROC, &st));
		EXPECT_EQ(-ESRCH, reset_hits(xids[i]));
		EXPECT_EQ(-ESRCH, reset_minmax(xids[i]));
	}
	/* Arguments are read before the context is looked up. */
	EXPECT_EQ(-EFAULT, vs_call(VCMD_get_rlimit, 5099, NULL, 0));
	EXPECT_EQ(-EFAULT, vs_call(VCMD_set_rlimit, 5099, NULL, 0));
	EXPECT_EQ(-EFAULT, vs_call(VCMD_rlimit_stat, 5099, NULL, 0));
}

TEST_F(cmds, bad_pointers_fault)
{
	struct vcmd_ctx_rlimit_v0_i386 *r32;
	struct vcmd_ctx_rlimit_v0 *r64, r;
	struct vcmd_rlimit_stat_v0 *st;
	void *ro;

	EXPECT_EQ(-EFAULT, vs_call(VCMD_get_rlimit, 5001, NULL, 0));
	EXPECT_EQ(-EFAULT, vs_call(VCMD_set_rlimit, 5001, NULL, 0));
	EXPECT_EQ(-EFAULT, vs_call(VCMD_rlimit_stat, 5001, NULL, 0));
	EXPECT_EQ(-EFAULT, vs_call(VCMD_get_rlimit_mask, 5001, NULL, 0));

	/* A read-only page holds a question but cannot take an answer. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	r32 = ro;
	r64 = ro;
	if (variant->int80) {
		r32->id = RLIMIT_NOFILE;
		r32->softlimit = 7;
		r32->maximum = 9;
	} else {
		r64->id = RLIMIT_NOFILE;
		r64->softlimit = 7;
		r64->maximum = 9;
	}
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(0, vs_call_raw(VCMD_set_rlimit, 5001, ro));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NOFILE, &r));
	EXPECT_EQ(7ULL, r.softlimit);
	EXPECT_EQ(9ULL, r.maximum);
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_rlimit, 5001, ro));
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_rlimit_mask, 5001, ro));
	/* The id at the start of the page is RLIMIT_NOFILE for both. */
	st = ro;
	EXPECT_EQ((uint32_t)RLIMIT_NOFILE, st->id);
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_rlimit_stat, 5001, ro));
	munmap(ro, 4096);
}

TEST_F(cmds, resets_take_no_argument)
{
	struct vcmd_rlimit_stat_v0 st;

	EXPECT_EQ(0, reset_hits(5001));
	EXPECT_EQ(0, reset_minmax(5001));
	ASSERT_EQ(0, get_stat(5001, RLIMIT_NPROC, &st));
	EXPECT_EQ(0U, st.hits);
	/* min = max = current, which is 0 */
	EXPECT_EQ(0ULL, st.minimum);
	EXPECT_EQ(0ULL, st.maximum);
}

TEST_F(cmds, the_host_may_change_limits_after_setup)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, end_setup(5001));
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, 10, 20));
	EXPECT_EQ(0, set_rlimit(5001, RLIMIT_NPROC, 30, 40));
	ASSERT_EQ(0, get_rlimit(5001, RLIMIT_NPROC, &r));
	EXPECT_EQ(30ULL, r.softlimit);
	EXPECT_EQ(40ULL, r.maximum);
	EXPECT_EQ(0, reset_hits(5001));
	EXPECT_EQ(0, reset_minmax(5001));
}

/* Permissions */

static int configure_during_setup(struct __test_metadata *_metadata,
				  const char *arg)
{
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	int bad = 0;

	if (create(5003, VXF_INIT_SET | VXF_PERSISTENT) != 5003)
		return 100;
	bad += CHECK(0, set_rlimit(VX_XID_SELF, RLIMIT_NOFILE, 30, 50));
	bad += CHECK(0, set_rlimit(5003, RLIMIT_NOFILE, CRLIM_KEEP, 40));
	bad += CHECK(-EINVAL, set_rlimit(5003, RLIMIT_NOFILE, 41, CRLIM_KEEP));
	bad += CHECK(-EINVAL, set_rlimit(5003, 17, 1, 2));
	bad += CHECK(0, get_rlimit(VX_XID_SELF, RLIMIT_NOFILE, &r));
	bad += CHECK(30, r.softlimit);
	bad += CHECK(40, r.maximum);
	/* The resets are the host's, setup or not. */
	bad += CHECK(-EPERM, reset_hits(VX_XID_SELF));
	bad += CHECK(-EPERM, reset_minmax(VX_XID_SELF));
	bad += CHECK(-EPERM, reset_hits(5003));
	bad += CHECK(-EPERM, reset_minmax(5003));

	bad += CHECK(0, end_setup(VX_XID_SELF));
	bad += CHECK(-EPERM, set_rlimit(VX_XID_SELF, RLIMIT_NOFILE, 1, 2));
	bad += CHECK(-EPERM, set_rlimit(5003, RLIMIT_NOFILE, CRLIM_INFINITY,
					CRLIM_INFINITY));
	bad += CHECK(-EPERM, reset_hits(VX_XID_SELF));
	bad += CHECK(0, get_rlimit(5003, RLIMIT_NOFILE, &r));
	bad += CHECK(40, r.maximum);
	bad += CHECK(0, get_stat(VX_XID_SELF, RLIMIT_NPROC, &st));
	bad += CHECK(1, st.value);
	return bad;
}

TEST(a_context_sets_its_own_limits_only_during_setup)
{
	struct vcmd_ctx_rlimit_v0 r;

	EXPECT_EQ(0, run_in(_metadata, 0, configure_during_setup, NULL));
	ASSERT_EQ(0, get_rlimit(5003, RLIMIT_NOFILE, &r));
	EXPECT_EQ(30ULL, r.softlimit);
	EXPECT_EQ(40ULL, r.maximum);
	end_persistent(5003);
	EXPECT_EQ(-ESRCH, get_rlimit(5003, RLIMIT_NOFILE, &r));
}

static int configure_past_setup(struct __test_metadata *_metadata,
				const char *arg)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	int bad = 0;

	/* Looking is fine. */
	bad += CHECK(0, get_rlimit(VX_XID_SELF, RLIMIT_NOFILE, &r));
	bad += CHECK(10, r.softlimit);
	bad += CHECK(20, r.maximum);
	bad += CHECK(0, get_rlimit(5002, RLIMIT_NOFILE, &r));
	bad += CHECK(0, get_stat(VX_XID_SELF, RLIMIT_NPROC, &st));
	bad += CHECK(1, st.value);
	bad += CHECK(0, vs_sys64(VCMD_get_rlimit_mask, 0, &mask));
	bad += CHECK(LIMIT_MASK, mask.maximum);

	/* Changing is not, even to the same values. */
	bad += CHECK(-EPERM, set_rlimit(VX_XID_SELF, RLIMIT_NOFILE, 10, 20));
	bad += CHECK(-EPERM, set_rlimit(5002, RLIMIT_NOFILE, 1, 2));
	bad += CHECK(-EPERM, set_rlimit(5002, RLIMIT_NOFILE, CRLIM_KEEP,
					CRLIM_KEEP));
	bad += CHECK(-EPERM, set_rlimit(5002, RLIMIT_NPROC, CRLIM_INFINITY,
					CRLIM_INFINITY));
	bad += CHECK(-EPERM, reset_hits(VX_XID_SELF));
	bad += CHECK(-EPERM, reset_minmax(VX_XID_SELF));
	bad += CHECK(-EPERM, reset_hits(5002));
	bad += CHECK(-EPERM, reset_minmax(5002));

	/* Another context does not exist for it. */
	bad += CHECK(-ESRCH, get_rlimit(5004, RLIMIT_NOFILE, &r));
	bad += CHECK(-ESRCH, get_stat(5004, RLIMIT_NOFILE, &st));
	return bad;
}

TEST(a_context_past_setup_may_look_at_its_limits_but_not_change_them)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, make_persistent(5002, 0));
	ASSERT_EQ(0, make_persistent(5004, 0));
	ASSERT_EQ(0, set_rlimit(5002, RLIMIT_NOFILE, 10, 20));
	ASSERT_EQ(0, end_setup(5002));
	EXPECT_EQ(0, run_in(_metadata, 5002, configure_past_setup, NULL));
	ASSERT_EQ(0, get_rlimit(5002, RLIMIT_NOFILE, &r));
	EXPECT_EQ(10ULL, r.softlimit);
	EXPECT_EQ(20ULL, r.maximum);
	ASSERT_EQ(0, get_rlimit(5002, RLIMIT_NPROC, &r));
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	end_persistent(5002);
	end_persistent(5004);
}

/* Not the host's administrator: no change, in setup or not. */
static int configure_as_outsider(struct __test_metadata *_metadata,
				 const char *arg)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	int bad = 0;

	if (arg && setresuid(65534, 65534, 65534))
		return 100;
	bad += CHECK(0, get_rlimit(5005, RLIMIT_NOFILE, &r));
	bad += CHECK(0, get_stat(5005, RLIMIT_NOFILE, &st));
	bad += CHECK(0, vs_sys64(VCMD_get_rlimit_mask, 0, &mask));
	bad += CHECK(-EPERM, set_rlimit(5005, RLIMIT_NOFILE, 1, 2));
	bad += CHECK(-EPERM, reset_hits(5005));
	bad += CHECK(-EPERM, reset_minmax(5005));
	return bad;
}

TEST(unprivileged_host_users_and_spectators_may_only_look)
{
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, make_persistent(5005, 0));
	EXPECT_EQ(0, run_in(_metadata, 0, configure_as_outsider, "nobody"));
	EXPECT_EQ(0, run_in(_metadata, VX_XID_SPECTATOR,
			    configure_as_outsider, NULL));
	ASSERT_EQ(0, get_rlimit(5005, RLIMIT_NOFILE, &r));
	EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	end_persistent(5005);
}

/* The i386 layout, through int 0x80 */

TEST(int80_set_rlimit_reads_the_packed_layout)
{
	struct vcmd_ctx_rlimit_v0_i386 *r32 = vs_low_alloc();
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_NE(NULL, r32);
	ASSERT_EQ(28U, sizeof(*r32));
	ASSERT_EQ(0, make_persistent(5006, 0));
	memset(r32, 0xa5, 4096);
	r32->id = RLIMIT_NOFILE;
	r32->minimum = 0x1111111111111111ULL;
	r32->softlimit = 0x100000005ULL;
	r32->maximum = 0x300000007ULL;
	EXPECT_EQ(0, vs_sys32(VCMD_set_rlimit, 5006, vs_ptr32(r32)));
	r32->id = VLIMIT_NSOCK;
	r32->softlimit = 0x200000002ULL;
	r32->maximum = CRLIM_INFINITY;
	EXPECT_EQ(0, vs_sys32(VCMD_set_rlimit, 5006, vs_ptr32(r32)));

	/* Read back through the 64-bit entry */
	ASSERT_EQ(0, get_rlimit(5006, RLIMIT_NOFILE, &r));
	EXPECT_EQ((uint32_t)RLIMIT_NOFILE, r.id);
	EXPECT_EQ(CRLIM_UNSET, r.minimum);
	EXPECT_EQ(0x100000005ULL, r.softlimit);
	EXPECT_EQ(0x300000007ULL, r.maximum);
	ASSERT_EQ(0, get_rlimit(5006, VLIMIT_NSOCK, &r));
	EXPECT_EQ(0x200000002ULL, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
	/* No other resource was touched. */
	ASSERT_EQ(0, get_rlimit(5006, RLIMIT_NPROC, &r));
	EXPECT_EQ(CRLIM_INFINITY, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);

	/* soft > hard, read in the packed layout */
	r32->id = RLIMIT_NOFILE;
	r32->softlimit = 9;
	r32->maximum = 8;
	EXPECT_EQ(-EINVAL, vs_sys32(VCMD_set_rlimit, 5006, vs_ptr32(r32)));
	end_persistent(5006);
	munmap(r32, 4096);
}

TEST(int80_get_rlimit_writes_exactly_28_bytes)
{
	unsigned char *page = vs_low_alloc();
	struct vcmd_ctx_rlimit_v0_i386 *r32 = (void *)page;
	struct vcmd_ctx_rlimit_v0 *r64 = (void *)page;
	size_t i;

	ASSERT_NE(NULL, page);
	ASSERT_EQ(0, make_persistent(5007, 0));
	ASSERT_EQ(0, set_rlimit(5007, VLIMIT_NSOCK, 0x10000000aULL,
				0x20000000bULL));

	memset(page, 0xa5, 4096);
	r32->id = VLIMIT_NSOCK;
	EXPECT_EQ(0, vs_sys32(VCMD_get_rlimit, 5007, vs_ptr32(r32)));
	EXPECT_EQ((uint32_t)VLIMIT_NSOCK, r32->id);
	EXPECT_EQ(CRLIM_UNSET, r32->minimum);
	EXPECT_EQ(0x10000000aULL, r32->softlimit);
	EXPECT_EQ(0x20000000bULL, r32->maximum);
	for (i = 28; i < 64; i++) {
		EXPECT_EQ(0xa5, page[i]) {
			TH_LOG("byte %zu", i);
		}
	}

	/* The 64-bit entry writes its 32 bytes. */
	memset(page, 0xa5, 4096);
	r64->id = VLIMIT_NSOCK;
	EXPECT_EQ(0, vs_sys64(VCMD_get_rlimit, 5007, r64));
	EXPECT_EQ((uint32_t)VLIMIT_NSOCK, r64->id);
	EXPECT_EQ(CRLIM_UNSET, r64->minimum);
	EXPECT_EQ(0x10000000aULL, r64->softlimit);
	EXPECT_EQ(0x20000000bULL, r64->maximum);
	for (i = 32; i < 64; i++) {
		EXPECT_EQ(0xa5, page[i]) {
			TH_LOG("byte %zu", i);
		}
	}
	end_persistent(5007);
	munmap(page, 4096);
}

TEST(int80_reads_nothing_beyond_the_packed_layout)
{
	struct vcmd_ctx_rlimit_v0_i386 *r32;
	struct vcmd_ctx_rlimit_v0 r, *r64;
	char *map;

	ASSERT_EQ(0, make_persistent(5008, 0));
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + 4096, 4096));
	/* The structure ends exactly where the mapping does. */
	r32 = (void *)(map + 4096 - 28);
	r32->id = RLIMIT_NOFILE;
	r32->minimum = 0;
	r32->softlimit = 3;
	r32->maximum = 4;
	EXPECT_EQ(0, vs_sys32(VCMD_set_rlimit, 5008, vs_ptr32(r32)));
	r32->softlimit = 0;
	r32->maximum = 0;
	EXPECT_EQ(0, vs_sys32(VCMD_get_rlimit, 5008, vs_ptr32(r32)));
	EXPECT_EQ(3ULL, r32->softlimit);
	EXPECT_EQ(4ULL, r32->maximum);

	/* The 64-bit entry reads 32 bytes from the same place. */
	r32->softlimit = 5;
	r32->maximum = 6;
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_set_rlimit, 5008, r32));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_get_rlimit, 5008, r32));
	ASSERT_EQ(0, get_rlimit(5008, RLIMIT_NOFILE, &r));
	EXPECT_EQ(3ULL, r.softlimit);
	EXPECT_EQ(4ULL, r.maximum);
	/* Its own 32 bytes fit. */
	r64 = (void *)(map + 4096 - 32);
	r64->id = RLIMIT_NOFILE;
	EXPECT_EQ(0, vs_sys64(VCMD_get_rlimit, 5008, r64));
	EXPECT_EQ(4ULL, r64->maximum);
	end_persistent(5008);
	munmap(map, 4096);
}

/*
 * Each resource: a guest in a persistent context makes objects of the
 * variant's kind.  The guest is the context's only task and inherited all
 * its files, so the usage starts at 1 for nproc and 0 for the others.
 */

FIXTURE(res) {
	struct guest g;
	uint64_t base;	/* the usage when the test starts */
};

FIXTURE_VARIANT(res) {
	uint32_t xid;
	uint32_t id;
	int kind;	/* what the guest makes */
	int err;	/* how the hard limit refuses it */
	bool hits;	/* refusals and crossings count as hits */
};

FIXTURE_VARIANT_ADD(res, nproc) {
	.xid = 5010, .id = RLIMIT_NPROC, .kind = K_TASK, .err = EAGAIN,
	.hits = true,
};
FIXTURE_VARIANT_ADD(res, nofile) {
	.xid = 5011, .id = RLIMIT_NOFILE, .kind = K_FILE, .err = ENFILE,
	.hits = true,
};
FIXTURE_VARIANT_ADD(res, nsock) {
	.xid = 5012, .id = VLIMIT_NSOCK, .kind = K_SOCK, .err = ENOBUFS,
	.hits = true,
};
FIXTURE_VARIANT_ADD(res, msgqueue) {
	.xid = 5013, .id = RLIMIT_MSGQUEUE, .kind = K_MSGQ, .err = ENOSPC,
	.hits = true,
};
FIXTURE_VARIANT_ADD(res, shmem) {
	.xid = 5014, .id = VLIMIT_SHMEM, .kind = K_SHM, .err = ENOSPC,
	.hits = true,
};
FIXTURE_VARIANT_ADD(res, semary) {
	.xid = 5015, .id = VLIMIT_SEMARY, .kind = K_SEM, .err = ENOSPC,
	.hits = true,
};
/* Enforced by the IPC namespace's SEMMNS, counted through vs_sem_refused() */
FIXTURE_VARIANT_ADD(res, nsems) {
	.xid = 5016, .id = VLIMIT_NSEMS, .kind = K_SEM, .err = ENOSPC,
	.hits = true,
};

FIXTURE_SETUP(res)
{
	struct vcmd_rlimit_stat_v0 st;

	ASSERT_EQ(0, make_persistent(variant->xid, 0));
	ASSERT_EQ(0, start_guest(&self->g, variant->xid, 0));
	self->base = variant->id == RLIMIT_NPROC ? 1 : 0;
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	ASSERT_EQ(self->base, st.value);
	ASSERT_EQ(0U, st.hits);
}

FIXTURE_TEARDOWN(res)
{
	stop_guest(&self->g, false);
	end_persistent(variant->xid);
}

/* The hits a variant should count, given @n for a counted resource */
static uint32_t hits(const FIXTURE_VARIANT(res) *variant, uint32_t n)
{
	return variant->hits ? n : 0;
}

/*
 * Tasks, files and sockets are uncharged as they go.  SysV IPC objects
 * are freed, and uncharged, after an RCU grace period (the kernel frees
 * them so); semaphores are counted by the namespace, at once.
 */
static bool released_in_time(const FIXTURE_VARIANT(res) *variant, int ms)
{
	if (variant->kind == K_MSGQ || variant->kind == K_SHM ||
	    (variant->kind == K_SEM && variant->id == VLIMIT_SEMARY))
		return ms >= 0;
	return ms == 0;
}

TEST_F(res, the_hard_limit_refuses_with_the_usual_errno)
{
	uint64_t n = self->base + 3;
	struct vcmd_rlimit_stat_v0 st;

	ASSERT_EQ(0, set_rlimit(variant->xid, variant->id, n, n));
	ASSERT_EQ(0, make_n(&self->g, variant->kind, 3));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(n, st.maximum);
	EXPECT_EQ(0ULL, st.minimum);
	EXPECT_EQ(0U, st.hits);

	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(n, st.maximum);
	EXPECT_EQ(hits(variant, 1), st.hits);
	/* Each refusal is a hit. */
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(n, st.maximum);
	EXPECT_EQ(hits(variant, 2), st.hits);
	if (variant->id == RLIMIT_NPROC) {
		EXPECT_EQ((long)n, ctx_tasks(variant->xid));
	}
}

TEST_F(res, the_soft_limit_counts_its_crossing_and_refuses_nothing)
{
	uint64_t soft = self->base + 2;
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, set_rlimit(variant->xid, variant->id, soft,
				CRLIM_INFINITY));
	ASSERT_EQ(0, make_n(&self->g, variant->kind, 2));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(soft, st.value);
	EXPECT_EQ(0U, st.hits);
	/* Crossing it */
	EXPECT_EQ(0, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(soft + 1, st.value);
	EXPECT_EQ(hits(variant, 1), st.hits);
	/* Going on above it is no new crossing. */
	EXPECT_EQ(0, make_n(&self->g, variant->kind, 3));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(soft + 4, st.value);
	EXPECT_EQ(soft + 4, st.maximum);
	EXPECT_EQ(hits(variant, 1), st.hits);
	ASSERT_EQ(0, get_rlimit(variant->xid, variant->id, &r));
	EXPECT_EQ(soft, r.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r.maximum);
}

TEST_F(res, releasing_lowers_the_usage)
{
	uint64_t n = self->base + 3;
	struct vcmd_rlimit_stat_v0 st;
	int ms;

	/* Soft limit base + 1: the second object crosses it. */
	ASSERT_EQ(0, set_rlimit(variant->xid, variant->id, self->base + 1, n));
	ASSERT_EQ(0, make_n(&self->g, variant->kind, 3));
	ASSERT_EQ(0, reset_minmax(variant->xid));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(n, st.minimum);
	EXPECT_EQ(n, st.maximum);
	EXPECT_EQ(hits(variant, 1), st.hits);

	ASSERT_EQ(0, release(&self->g, 2));
	ms = late_usage(variant->xid, variant->id, self->base + 1);
	EXPECT_TRUE(released_in_time(variant, ms)) {
		TH_LOG("the usage dropped %d ms after the release (-1: never)",
		       ms < 0 ? ms : ms - 1);
	}
	ASSERT_LE(0, ms);
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 1, st.value);
	EXPECT_EQ(self->base + 1, st.minimum);
	EXPECT_EQ(n, st.maximum);

	/* There is room again, and crossing the soft limit again is a hit. */
	EXPECT_EQ(0, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 2, st.value);
	EXPECT_EQ(self->base + 1, st.minimum);
	EXPECT_EQ(n, st.maximum);
	EXPECT_EQ(hits(variant, 2), st.hits);
	EXPECT_EQ(0, make(&self->g, variant->kind));
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(hits(variant, 3), st.hits);

	ASSERT_EQ(0, reset_minmax(variant->xid));
	ASSERT_EQ(0, release(&self->g, 3));
	ms = late_usage(variant->xid, variant->id, self->base);
	EXPECT_TRUE(released_in_time(variant, ms)) {
		TH_LOG("the usage dropped %d ms after the release (-1: never)",
		       ms < 0 ? ms : ms - 1);
	}
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base, st.value);
	EXPECT_EQ(self->base, st.minimum);
	EXPECT_EQ(n, st.maximum);
}

TEST_F(res, reset_minmax_restarts_from_the_usage)
{
	struct vcmd_rlimit_stat_v0 st;

	ASSERT_EQ(0, make_n(&self->g, variant->kind, 2));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(0ULL, st.minimum);
	EXPECT_EQ(self->base + 2, st.maximum);
	ASSERT_EQ(0, reset_minmax(variant->xid));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 2, st.value);
	EXPECT_EQ(self->base + 2, st.minimum);
	EXPECT_EQ(self->base + 2, st.maximum);
	EXPECT_EQ(0, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 3, st.value);
	EXPECT_EQ(self->base + 2, st.minimum);
	EXPECT_EQ(self->base + 3, st.maximum);
}

TEST_F(res, reset_hits_zeroes_the_hits)
{
	uint64_t n = self->base + 1;
	struct vcmd_rlimit_stat_v0 st;

	ASSERT_EQ(0, set_rlimit(variant->xid, variant->id, n, n));
	ASSERT_EQ(0, make(&self->g, variant->kind));
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(hits(variant, 2), st.hits);
	ASSERT_EQ(0, reset_hits(variant->xid));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(0U, st.hits);
	EXPECT_EQ(n, st.value);
	EXPECT_EQ(n, st.maximum);
	/* Counting goes on from 0. */
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(hits(variant, 1), st.hits);
}

TEST_F(res, a_hard_limit_below_the_usage_is_accepted)
{
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;

	ASSERT_EQ(0, make_n(&self->g, variant->kind, 3));
	EXPECT_EQ(0, set_rlimit(variant->xid, variant->id, self->base + 1,
				self->base + 1));
	ASSERT_EQ(0, get_rlimit(variant->xid, variant->id, &r));
	EXPECT_EQ(self->base + 1, r.softlimit);
	EXPECT_EQ(self->base + 1, r.maximum);
	/* What exists stays; nothing new comes. */
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 3, st.value);
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 3, st.value);
	EXPECT_EQ(hits(variant, 1), st.hits);
	/* Raised above the usage again, it lets one more in. */
	EXPECT_EQ(0, set_rlimit(variant->xid, variant->id, CRLIM_KEEP,
				self->base + 4));
	EXPECT_EQ(0, make(&self->g, variant->kind));
	EXPECT_EQ(-variant->err, make(&self->g, variant->kind));
	ASSERT_EQ(0, get_stat(variant->xid, variant->id, &st));
	EXPECT_EQ(self->base + 4, st.value);
	EXPECT_EQ(self->base + 4, st.maximum);
}

/* Resources with more than one way in */

TEST(files_count_once_per_open_file_and_only_from_inside)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;
	int inherited;

	ASSERT_EQ(0, make_persistent(5020, 0));
	/* A file the guest inherits and closes as its last holder */
	inherited = open("/", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, inherited);
	ASSERT_EQ(0, start_guest(&g, 5020, 0));
	close(inherited);
	ASSERT_EQ(0, set_rlimit(5020, RLIMIT_NOFILE, 5, 5));
	EXPECT_EQ(0LL, usage(5020, RLIMIT_NOFILE));
	EXPECT_EQ(0, guest_request(&g, OP_CLOSE, 0, inherited, 0));
	EXPECT_EQ(0LL, usage(5020, RLIMIT_NOFILE));
	/* A new descriptor for an open file is no new file. */
	EXPECT_EQ(0, make(&g, K_DUP));
	EXPECT_EQ(0LL, usage(5020, RLIMIT_NOFILE));
	EXPECT_EQ(0, make(&g, K_FILE));
	EXPECT_EQ(1LL, usage(5020, RLIMIT_NOFILE));
	/* Two ends of a pipe, a socket's file */
	EXPECT_EQ(0, make(&g, K_PIPE));
	EXPECT_EQ(3LL, usage(5020, RLIMIT_NOFILE));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(4LL, usage(5020, RLIMIT_NOFILE));
	/* No room for two: the pipe fails whole. */
	EXPECT_EQ(-ENFILE, make(&g, K_PIPE));
	ASSERT_EQ(0, get_stat(5020, RLIMIT_NOFILE, &st));
	EXPECT_EQ(4ULL, st.value);
	EXPECT_EQ(1U, st.hits);
	EXPECT_EQ(0, make(&g, K_FILE));
	EXPECT_EQ(-ENFILE, make(&g, K_FILE));
	/* A socket needs a file too. */
	EXPECT_EQ(-ENFILE, make(&g, K_SOCK));
	EXPECT_EQ(1LL, usage(5020, VLIMIT_NSOCK));
	ASSERT_EQ(0, get_stat(5020, RLIMIT_NOFILE, &st));
	EXPECT_EQ(5ULL, st.value);
	EXPECT_EQ(3U, st.hits);
	/* Closing: the file, the socket, the pipe */
	EXPECT_EQ(0, release(&g, 1));
	EXPECT_EQ(4LL, usage(5020, RLIMIT_NOFILE));
	EXPECT_EQ(0, release(&g, 2));
	EXPECT_EQ(1LL, usage(5020, RLIMIT_NOFILE));
	EXPECT_EQ(0, stop_guest(&g, false));
	EXPECT_EQ(0LL, usage(5020, RLIMIT_NOFILE));
	end_persistent(5020);
}

TEST(socketpair_counts_two_sockets)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5021, 0));
	ASSERT_EQ(0, start_guest(&g, 5021, 0));
	ASSERT_EQ(0, set_rlimit(5021, VLIMIT_NSOCK, 3, 3));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(0, make(&g, K_PAIR));
	EXPECT_EQ(3LL, usage(5021, VLIMIT_NSOCK));
	EXPECT_EQ(3LL, usage(5021, RLIMIT_NOFILE));
	EXPECT_EQ(-ENOBUFS, make(&g, K_SOCK));
	EXPECT_EQ(-ENOBUFS, make(&g, K_PAIR));
	ASSERT_EQ(0, get_stat(5021, VLIMIT_NSOCK, &st));
	EXPECT_EQ(3ULL, st.value);
	EXPECT_EQ(3ULL, st.maximum);
	EXPECT_EQ(2U, st.hits);
	/* Both ends closed */
	EXPECT_EQ(0, release(&g, 1));
	EXPECT_EQ(1LL, usage(5021, VLIMIT_NSOCK));
	EXPECT_EQ(1LL, usage(5021, RLIMIT_NOFILE));
	/* Room for one socket only: the pair fails whole. */
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(-ENOBUFS, make(&g, K_PAIR));
	ASSERT_EQ(0, get_stat(5021, VLIMIT_NSOCK, &st));
	EXPECT_EQ(2ULL, st.value);
	EXPECT_EQ(3U, st.hits);
	EXPECT_EQ(2LL, usage(5021, RLIMIT_NOFILE));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(3LL, usage(5021, VLIMIT_NSOCK));
	EXPECT_EQ(0, stop_guest(&g, false));
	EXPECT_EQ(0LL, usage(5021, VLIMIT_NSOCK));
	end_persistent(5021);
}

/* A client in the host, connected to the guest's listening socket */
static int connect_to(uint32_t xid)
{
	struct sockaddr_un sun;
	socklen_t len = listen_addr(xid, &sun);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), err;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

TEST(accept_counts_the_connection_and_is_refused_at_the_limit)
{
	struct vcmd_rlimit_stat_v0 st;
	int client[3], i;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5022, 0));
	ASSERT_EQ(0, start_guest(&g, 5022, 0));
	ASSERT_EQ(0, make(&g, K_LISTEN));
	ASSERT_EQ(0, set_rlimit(5022, VLIMIT_NSOCK, 3, 3));
	for (i = 0; i < 3; i++) {
		client[i] = connect_to(5022);
		ASSERT_LE(0, client[i]);
	}
	/* Connections waiting to be accepted are not the context's yet. */
	EXPECT_EQ(1LL, usage(5022, VLIMIT_NSOCK));
	EXPECT_EQ(0, make(&g, K_ACCEPT));
	EXPECT_EQ(2LL, usage(5022, VLIMIT_NSOCK));
	EXPECT_EQ(0, make(&g, K_ACCEPT));
	EXPECT_EQ(3LL, usage(5022, VLIMIT_NSOCK));
	EXPECT_EQ(-ENOBUFS, make(&g, K_ACCEPT));
	ASSERT_EQ(0, get_stat(5022, VLIMIT_NSOCK, &st));
	EXPECT_EQ(3ULL, st.value);
	EXPECT_EQ(3ULL, st.maximum);
	EXPECT_EQ(1U, st.hits);
	/* The second connection closed at both ends */
	EXPECT_EQ(0, release(&g, 1));
	close(client[1]);
	EXPECT_EQ(2LL, usage(5022, VLIMIT_NSOCK));
	/* The refused accept left the third connection waiting. */
	EXPECT_EQ(0, make(&g, K_ACCEPT));
	EXPECT_EQ(3LL, usage(5022, VLIMIT_NSOCK));
	EXPECT_EQ(0, stop_guest(&g, false));
	close(client[0]);
	close(client[2]);
	EXPECT_EQ(0LL, usage(5022, VLIMIT_NSOCK));
	end_persistent(5022);
}

TEST(semaphores_count_one_by_one)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5023, 0));
	ASSERT_EQ(0, start_guest(&g, 5023, 0));
	ASSERT_EQ(0, set_rlimit(5023, VLIMIT_NSEMS, 5, 5));
	EXPECT_EQ(0, make_sems(&g, 3));
	EXPECT_EQ(3LL, usage(5023, VLIMIT_NSEMS));
	EXPECT_EQ(-ENOSPC, make_sems(&g, 3));
	EXPECT_EQ(0, make_sems(&g, 2));
	EXPECT_EQ(-ENOSPC, make_sems(&g, 1));
	ASSERT_EQ(0, get_stat(5023, VLIMIT_NSEMS, &st));
	EXPECT_EQ(5ULL, st.value);
	EXPECT_EQ(5ULL, st.maximum);
	/* Each refused semget() is a hit. */
	EXPECT_EQ(2U, st.hits);
	/* The refused arrays were not made. */
	EXPECT_EQ(2LL, usage(5023, VLIMIT_SEMARY));
	ASSERT_EQ(0, get_stat(5023, VLIMIT_SEMARY, &st));
	EXPECT_EQ(0U, st.hits);
	EXPECT_EQ(0, release(&g, 1));
	EXPECT_EQ(3LL, usage(5023, VLIMIT_NSEMS));
	EXPECT_EQ(0, make_sems(&g, 2));
	EXPECT_EQ(5LL, usage(5023, VLIMIT_NSEMS));
	EXPECT_EQ(0, stop_guest(&g, false));
	EXPECT_EQ(0LL, usage(5023, VLIMIT_NSEMS));
	end_persistent(5023);
}

/*
 * The namespace counts semaphores; the context copies its count before
 * each new array and each semctl(), so a peak that no read saw is still
 * the maximum.
 */
TEST(the_semaphore_peak_is_kept_without_a_read_in_between)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5027, 0));
	ASSERT_EQ(0, start_guest(&g, 5027, 0));
	ASSERT_EQ(0, set_rlimit(5027, VLIMIT_NSEMS, 4, CRLIM_INFINITY));
	EXPECT_EQ(0, make_sems(&g, 3));
	EXPECT_EQ(0, make_sems(&g, 2));
	EXPECT_EQ(0, release(&g, 2));
	ASSERT_EQ(0, get_stat(5027, VLIMIT_NSEMS, &st));
	EXPECT_EQ(0ULL, st.value);
	EXPECT_EQ(5ULL, st.maximum);
	EXPECT_EQ(0ULL, st.minimum);
	/* The soft limit (4) was crossed once, refusing nothing. */
	EXPECT_EQ(1U, st.hits);
	EXPECT_EQ(0, stop_guest(&g, false));
	end_persistent(5027);
}

TEST(threads_count_as_tasks)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5024, 0));
	ASSERT_EQ(0, start_guest(&g, 5024, 0));
	ASSERT_EQ(0, set_rlimit(5024, RLIMIT_NPROC, 3, 3));
	EXPECT_EQ(0, make(&g, K_THREAD));
	EXPECT_EQ(2LL, usage(5024, RLIMIT_NPROC));
	EXPECT_EQ(0, make(&g, K_TASK));
	EXPECT_EQ(-EAGAIN, make(&g, K_THREAD));
	EXPECT_EQ(-EAGAIN, make(&g, K_TASK));
	ASSERT_EQ(0, get_stat(5024, RLIMIT_NPROC, &st));
	EXPECT_EQ(3ULL, st.value);
	EXPECT_EQ(3ULL, st.maximum);
	EXPECT_EQ(2U, st.hits);
	EXPECT_EQ(3, ctx_tasks(5024));
	EXPECT_EQ(0, stop_guest(&g, false));
	EXPECT_EQ(0LL, usage(5024, RLIMIT_NPROC));
	EXPECT_EQ(0, ctx_tasks(5024));
	end_persistent(5024);
}

TEST(entering_is_never_refused_by_nproc)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g1, g2;

	ASSERT_EQ(0, make_persistent(5025, 0));
	ASSERT_EQ(0, start_guest(&g1, 5025, 0));
	ASSERT_EQ(0, set_rlimit(5025, RLIMIT_NPROC, 1, 1));
	EXPECT_EQ(0, start_guest(&g2, 5025, 0));
	ASSERT_EQ(0, get_stat(5025, RLIMIT_NPROC, &st));
	EXPECT_EQ(2ULL, st.value);
	EXPECT_EQ(2ULL, st.maximum);
	/* The soft limit was crossed. */
	EXPECT_EQ(1U, st.hits);
	EXPECT_EQ(2, ctx_tasks(5025));
	/* Forking is refused. */
	EXPECT_EQ(-EAGAIN, make(&g2, K_TASK));
	EXPECT_EQ(-EAGAIN, make(&g1, K_TASK));
	ASSERT_EQ(0, get_stat(5025, RLIMIT_NPROC, &st));
	EXPECT_EQ(2ULL, st.value);
	EXPECT_EQ(3U, st.hits);
	EXPECT_EQ(0, stop_guest(&g2, false));
	EXPECT_EQ(0, stop_guest(&g1, false));
	end_persistent(5025);
}

TEST(the_resets_act_on_every_resource)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;
	size_t i;

	ASSERT_EQ(0, make_persistent(5026, 0));
	ASSERT_EQ(0, start_guest(&g, 5026, 0));
	/* A refusal or a crossing on five resources */
	ASSERT_EQ(0, set_rlimit(5026, RLIMIT_NPROC, 1, 1));
	EXPECT_EQ(-EAGAIN, make(&g, K_TASK));
	ASSERT_EQ(0, set_rlimit(5026, RLIMIT_MSGQUEUE, 1, 1));
	EXPECT_EQ(0, make(&g, K_MSGQ));
	EXPECT_EQ(-ENOSPC, make(&g, K_MSGQ));
	ASSERT_EQ(0, set_rlimit(5026, VLIMIT_NSOCK, 1, 1));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(-ENOBUFS, make(&g, K_SOCK));
	ASSERT_EQ(0, set_rlimit(5026, RLIMIT_NOFILE, 2, 2));
	EXPECT_EQ(0, make(&g, K_FILE));
	EXPECT_EQ(-ENFILE, make(&g, K_FILE));
	ASSERT_EQ(0, set_rlimit(5026, VLIMIT_SEMARY, 0, CRLIM_INFINITY));
	EXPECT_EQ(0, make(&g, K_SEM));
	for (i = 0; i < NR_RESOURCES; i++) {
		uint32_t id = resources[i].id;

		ASSERT_EQ(0, get_stat(5026, id, &st));
		EXPECT_EQ(id == VLIMIT_SHMEM || id == VLIMIT_NSEMS ? 0U : 1U,
			  st.hits) {
			TH_LOG("resource %s", resources[i].label);
		}
	}

	ASSERT_EQ(0, reset_hits(5026));
	for (i = 0; i < NR_RESOURCES; i++) {
		TH_LOG("resource %s", resources[i].label);
		ASSERT_EQ(0, get_stat(5026, resources[i].id, &st));
		EXPECT_EQ(0U, st.hits);
	}
	EXPECT_EQ(1LL, usage(5026, RLIMIT_NPROC));
	EXPECT_EQ(2LL, usage(5026, RLIMIT_NOFILE));
	EXPECT_EQ(1LL, usage(5026, VLIMIT_NSOCK));
	EXPECT_EQ(1LL, usage(5026, RLIMIT_MSGQUEUE));
	EXPECT_EQ(0LL, usage(5026, VLIMIT_SHMEM));
	EXPECT_EQ(1LL, usage(5026, VLIMIT_SEMARY));
	EXPECT_EQ(1LL, usage(5026, VLIMIT_NSEMS));

	ASSERT_EQ(0, reset_minmax(5026));
	for (i = 0; i < NR_RESOURCES; i++) {
		TH_LOG("resource %s", resources[i].label);
		ASSERT_EQ(0, get_stat(5026, resources[i].id, &st));
		EXPECT_EQ(st.value, st.minimum);
		EXPECT_EQ(st.value, st.maximum);
	}
	EXPECT_EQ(0, stop_guest(&g, false));
	end_persistent(5026);
}

/* SysV IPC */

#define KEY_HOST	0x50300001
#define KEY_GUEST	0x50300002

static const int ipc_kinds[] = { K_SHM, K_MSGQ, K_SEM };
static const char *const ipc_names[] = { "shm", "msg", "sem" };

/* In the host: the id of the object of @kind with @key, or -errno */
static int host_lookup(int kind, int key)
{
	int id = kind == K_SHM ? shmget(key, 0, 0) :
		 kind == K_MSGQ ? msgget(key, 0) : semget(key, 0, 0);

	return id < 0 ? -errno : id;
}

TEST(ipc_objects_of_the_host_and_of_other_contexts_are_invisible)
{
	struct guest a1, a2, b;
	int host[3];
	size_t i;

	host[0] = shmget(KEY_HOST, 4096, IPC_CREAT | 0600);
	host[1] = msgget(KEY_HOST, IPC_CREAT | 0600);
	host[2] = semget(KEY_HOST, 1, IPC_CREAT | 0600);
	ASSERT_LE(0, host[0]);
	ASSERT_LE(0, host[1]);
	ASSERT_LE(0, host[2]);
	ASSERT_EQ(0, make_persistent(5030, 0));
	ASSERT_EQ(0, make_persistent(5031, 0));
	ASSERT_EQ(0, start_guest(&a1, 5030, 0));
	ASSERT_EQ(0, start_guest(&a2, 5030, 0));
	ASSERT_EQ(0, start_guest(&b, 5031, 0));

	for (i = 0; i < ARRAY_SIZE(ipc_kinds); i++) {
		int kind = ipc_kinds[i];

		TH_LOG("%s", ipc_names[i]);
		/* The host's is not found, and its key is free. */
		EXPECT_EQ(-ENOENT, lookup(&a1, kind, KEY_HOST));
		EXPECT_EQ(0, make_keyed(&a1, kind, KEY_GUEST));
		EXPECT_EQ(-EEXIST, make_keyed(&a1, kind, KEY_GUEST));
		/* Every task of the context sees the context's. */
		EXPECT_EQ(0, lookup(&a2, kind, KEY_GUEST));
		/* Another context sees none of them. */
		EXPECT_EQ(-ENOENT, lookup(&b, kind, KEY_GUEST));
		EXPECT_EQ(-ENOENT, lookup(&b, kind, KEY_HOST));
		EXPECT_EQ(0, make_keyed(&b, kind, KEY_GUEST));
		EXPECT_EQ(0, make_keyed(&b, kind, KEY_HOST));
		/* Neither does the host. */
		EXPECT_EQ(-ENOENT, host_lookup(kind, KEY_GUEST));
		EXPECT_EQ(host[i], host_lookup(kind, KEY_HOST));
	}
	EXPECT_EQ(0, stop_guest(&b, false));
	EXPECT_EQ(0, stop_guest(&a2, false));
	EXPECT_EQ(0, stop_guest(&a1, false));
	shmctl(host[0], IPC_RMID, NULL);
	msgctl(host[1], IPC_RMID, NULL);
	semctl(host[2], 0, IPC_RMID);
	end_persistent(5030);
	end_persistent(5031);
}

/* The end of a context */

TEST(a_context_ends_with_its_last_task_whatever_it_holds)
{
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_ctx_rlimit_v0 r;
	int total = settled_contexts(), left;
	struct guest g;

	ASSERT_LE(0, total);
	ASSERT_EQ(5040, start_guest(&g, 5040, VXF_INIT_SET));
	EXPECT_EQ(0, make(&g, K_TASK));
	EXPECT_EQ(0, make(&g, K_FILE));
	EXPECT_EQ(0, make(&g, K_PIPE));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(0, make(&g, K_PAIR));
	EXPECT_EQ(2, ctx_tasks(5040));
	EXPECT_EQ(6LL, usage(5040, RLIMIT_NOFILE));
	EXPECT_EQ(0, access("/proc/virtual/5040/limit", R_OK));
	/* Its tasks exit holding all of it. */
	EXPECT_EQ(0, stop_guest(&g, true));
	EXPECT_EQ(-ESRCH, ctx_tasks(5040));
	EXPECT_EQ(-ESRCH, get_stat(5040, RLIMIT_NPROC, &st));
	EXPECT_EQ(-ESRCH, get_rlimit(5040, RLIMIT_NPROC, &r));
	EXPECT_EQ(-ESRCH, reset_hits(5040));
	EXPECT_EQ(-1, access("/proc/virtual/5040", F_OK));
	EXPECT_EQ(ENOENT, errno);
	left = contexts_in_memory(total);
	EXPECT_GE(total, left);
}

TEST(a_persistent_context_counts_nothing_once_its_tasks_exit)
{
	struct vcmd_rlimit_stat_v0 st;
	struct guest g;

	ASSERT_EQ(0, make_persistent(5041, 0));
	ASSERT_EQ(0, start_guest(&g, 5041, 0));
	EXPECT_EQ(0, make_n(&g, K_TASK, 2));
	EXPECT_EQ(0, make(&g, K_FILE));
	EXPECT_EQ(0, make(&g, K_PIPE));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(0, make(&g, K_PAIR));
	EXPECT_EQ(0, make_keyed(&g, K_MSGQ, 0x50410001));
	EXPECT_EQ(3LL, usage(5041, RLIMIT_NPROC));
	EXPECT_EQ(6LL, usage(5041, RLIMIT_NOFILE));
	EXPECT_EQ(3LL, usage(5041, VLIMIT_NSOCK));
	EXPECT_EQ(0, stop_guest(&g, true));

	EXPECT_EQ(0, ctx_tasks(5041));
	ASSERT_EQ(0, get_stat(5041, RLIMIT_NPROC, &st));
	EXPECT_EQ(0ULL, st.value);
	EXPECT_EQ(3ULL, st.maximum);
	ASSERT_EQ(0, get_stat(5041, RLIMIT_NOFILE, &st));
	EXPECT_EQ(0ULL, st.value);
	EXPECT_EQ(6ULL, st.maximum);
	ASSERT_EQ(0, get_stat(5041, VLIMIT_NSOCK, &st));
	EXPECT_EQ(0ULL, st.value);
	EXPECT_EQ(3ULL, st.maximum);
	/* The queue lives on in the context's IPC namespace... */
	EXPECT_EQ(1LL, usage(5041, RLIMIT_MSGQUEUE));
	/* ...where the next task finds it. */
	ASSERT_EQ(0, start_guest(&g, 5041, 0));
	EXPECT_EQ(0, lookup(&g, K_MSGQ, 0x50410001));
	EXPECT_EQ(0, stop_guest(&g, false));
	end_persistent(5041);
	EXPECT_EQ(-ESRCH, ctx_tasks(5041));
}

TEST(a_context_that_ends_with_ipc_objects_is_freed)
{
	int total = settled_contexts(), left;
	struct guest g;

	ASSERT_LE(0, total);
	ASSERT_EQ(5042, start_guest(&g, 5042, VXF_INIT_SET));
	EXPECT_EQ(0, make(&g, K_MSGQ));
	EXPECT_EQ(0, make(&g, K_SHM));
	EXPECT_EQ(0, make(&g, K_SEM));
	EXPECT_EQ(0, stop_guest(&g, true));
	EXPECT_EQ(-ESRCH, ctx_tasks(5042));
	/* Nothing can reach its IPC namespace any more. */
	left = contexts_in_memory(total);
	EXPECT_GE(total, left) {
		TH_LOG("%d context objects stay in memory", left - total);
	}
}

/*
 * /proc/virtual/<xid>/limit: "NAME:", current, min/max, soft/hard (-1 for
 * none) and hits
 */
#define LIMIT_LINE	"%15[^:]: %llu %llu/%llu %lld/%lld %u%n"

TEST(proc_limit_shows_what_rlimit_stat_says)
{
	struct vcmd_rlimit_stat_v0 st[NR_RESOURCES];
	struct vcmd_ctx_rlimit_v0 r[NR_RESOURCES];
	unsigned long long cur, min, max;
	long long soft, hard;
	char line[256], label[16];
	unsigned int hit;
	struct guest g;
	size_t i, n;
	int end;
	FILE *f;

	ASSERT_EQ(0, make_persistent(5050, 0));
	ASSERT_EQ(0, start_guest(&g, 5050, 0));
	ASSERT_EQ(0, set_rlimit(5050, RLIMIT_NPROC, 2, 8));
	ASSERT_EQ(0, set_rlimit(5050, RLIMIT_NOFILE, 1, 6));
	ASSERT_EQ(0, set_rlimit(5050, VLIMIT_NSOCK, 2, 2));
	EXPECT_EQ(0, make(&g, K_TASK));
	EXPECT_EQ(0, make(&g, K_FILE));
	ASSERT_EQ(0, reset_minmax(5050));
	EXPECT_EQ(0, make(&g, K_TASK));
	EXPECT_EQ(0, make(&g, K_SOCK));
	EXPECT_EQ(0, make(&g, K_MSGQ));
	EXPECT_EQ(0, make_sems(&g, 2));
	EXPECT_EQ(-ENOBUFS, make(&g, K_PAIR));

	for (i = 0; i < NR_RESOURCES; i++) {
		ASSERT_EQ(0, get_stat(5050, resources[i].id, &st[i]));
		ASSERT_EQ(0, get_rlimit(5050, resources[i].id, &r[i]));
	}
	f = fopen("/proc/virtual/5050/limit", "r");
	ASSERT_NE(NULL, f);
	/* A header, then one line per resource */
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_GT(7, sscanf(line, LIMIT_LINE, label, &cur, &min, &max,
			    &soft, &hard, &hit, &end));
	for (n = 0; fgets(line, sizeof(line), f); n++) {
		ASSERT_GT(NR_RESOURCES, n);
		end = 0;
		ASSERT_EQ(7, sscanf(line, LIMIT_LINE, label, &cur, &min, &max,
				    &soft, &hard, &hit, &end)) {
			TH_LOG("line %zu: %s", n + 1, line);
		}
		EXPECT_STREQ("\n", line + end);
		EXPECT_STREQ(resources[n].label, label);
		EXPECT_EQ(st[n].value, cur);
		EXPECT_EQ(st[n].minimum, min);
		EXPECT_EQ(st[n].maximum, max);
		EXPECT_EQ(st[n].hits, hit);
		EXPECT_EQ(r[n].softlimit == CRLIM_INFINITY ?
			  -1 : (long long)r[n].softlimit, soft);
		EXPECT_EQ(r[n].maximum == CRLIM_INFINITY ?
			  -1 : (long long)r[n].maximum, hard);
	}
	fclose(f);
	EXPECT_EQ(NR_RESOURCES, n);

	/* What the guest did, as the lines above said it */
	EXPECT_EQ(3ULL, st[0].value);
	EXPECT_EQ(2ULL, st[0].minimum);
	EXPECT_EQ(1U, st[0].hits);
	EXPECT_EQ(8ULL, r[0].maximum);
	EXPECT_EQ(2ULL, st[1].value);
	EXPECT_EQ(1U, st[1].hits);
	EXPECT_EQ(1ULL, st[2].value);
	EXPECT_EQ(1U, st[2].hits);
	EXPECT_EQ(1ULL, st[3].value);
	EXPECT_EQ(CRLIM_INFINITY, r[4].softlimit);
	EXPECT_EQ(CRLIM_INFINITY, r[4].maximum);
	EXPECT_EQ(2ULL, st[6].value);
	EXPECT_EQ(0, stop_guest(&g, false));
	end_persistent(5050);
}

/* A fork bomb */

#define BOMB_NPROC	16
#define BOMB_CAP	64	/* forks after which a runaway bomb gives up */

/*
 * Each task forks until it is refused, and each child does the same; a
 * refused task reports the errno (0 if it gave up) and waits to be killed.
 */
static void __attribute__((noreturn)) fork_bomb(int report,
						unsigned int *forks)
{
	unsigned char err = 0;
	pid_t pid;

	for (;;) {
		if (__atomic_load_n(forks, __ATOMIC_SEQ_CST) >= BOMB_CAP)
			break;
		pid = fork();
		if (pid > 0) {
			__atomic_add_fetch(forks, 1, __ATOMIC_SEQ_CST);
		} else if (pid < 0) {
			err = errno;
			break;
		}
	}
	if (write(report, &err, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

TEST(a_fork_bomb_stays_within_nproc)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_wait_exit_v0 w;
	struct pollfd pfd;
	unsigned int *forks;
	unsigned char err;
	int rep[2], n;
	long ret;
	pid_t pid;

	forks = mmap(NULL, sizeof(*forks), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, forks);
	ASSERT_EQ(0, pipe(rep));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(rep[0]);
		err = 255;
		if (create(5060, VXF_INIT_SET) != 5060 ||
		    set_rlimit(VX_XID_SELF, RLIMIT_NPROC, BOMB_NPROC,
			       BOMB_NPROC) ||
		    end_setup(VX_XID_SELF)) {
			write(rep[1], &err, 1);
			_exit(1);
		}
		fork_bomb(rep[1], forks);
	}
	close(rep[1]);

	/* Every task of the bomb says it was refused. */
	pfd.fd = rep[0];
	pfd.events = POLLIN;
	for (n = 0; n < BOMB_NPROC; n++) {
		if (poll(&pfd, 1, 20000) != 1 || read(rep[0], &err, 1) != 1)
			break;
		EXPECT_EQ(EAGAIN, err);
		EXPECT_GE(BOMB_NPROC, ctx_tasks(5060));
	}
	EXPECT_EQ(BOMB_NPROC, n);
	EXPECT_EQ(BOMB_NPROC, ctx_tasks(5060));
	EXPECT_EQ(BOMB_NPROC - 1U, *forks);
	EXPECT_EQ(0, get_stat(5060, RLIMIT_NPROC, &st));
	EXPECT_EQ((uint64_t)BOMB_NPROC, st.value);
	EXPECT_GE((uint64_t)BOMB_NPROC, st.maximum);
	/* Each task was refused once. */
	EXPECT_EQ((uint32_t)BOMB_NPROC, st.hits);

	EXPECT_EQ(0, vs_sys64(VCMD_ctx_kill, 5060, &k));
	/* It ends with its last task: at once, or while we wait */
	ret = vs_sys64(VCMD_wait_exit, 5060, &w);
	EXPECT_TRUE(ret == 0 || ret == -ESRCH);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	/* No task holds the pipe any more. */
	EXPECT_EQ(0, read(rep[0], &err, 1));
	EXPECT_EQ(-ESRCH, ctx_tasks(5060));
	EXPECT_EQ(-ESRCH, get_stat(5060, RLIMIT_NPROC, &st));
	close(rep[0]);
	munmap(forks, sizeof(*forks));
}

TEST_HARNESS_MAIN
