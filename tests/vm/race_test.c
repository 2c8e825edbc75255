// SPDX-License-Identifier: GPL-2.0-only
/*
 * Races on the same contexts.  Processes ("actors") create, enter, leave
 * (by exiting), kill, wait on and reconfigure the same few contexts at
 * once, for a few seconds per test; then the test checks what the kernel
 * is left with:
 *
 * - the tasks it counts in a context (ctx_stat, /proc/virtual/<xid>/status
 *   and the NPROC usage) are the tasks a scan of /proc finds in it;
 * - every usage counter is back where it started once the tasks are gone;
 * - contexts that should have ended are gone, and /proc/virtual/status
 *   counts as many context objects as before the test.
 *
 * One more test races an accept() that waits against the NSOCK limit.
 *
 * Actors never use the harness's ASSERT/EXPECT: they are separate
 * processes.  They tell the test about a result that should not happen
 * through a shared page ("the board"), and the test fails on it.
 *
 * The test process is a child subreaper: tasks of a context whose parent
 * died come back to it, and it reaps them, so that no zombie keeps a
 * reference to a context after the test.
 *
 * Contexts of this file have xids 6000-6099.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "common.h"

/* How long the actors of one test run (TCG is slow: keep it short) */
#define RUN_MS		3000

/* How long the kernel may take to settle: exits, RCU, workqueues */
#define SETTLE_MS	10000

/* How long actors may outlive their run if the test process dies */
#define GRACE_MS	30000

#define MAX_ACTORS	16

/* The program re-executes itself with this argument in the execve race. */
#define EXEC_REPORT	"--race-exec-report"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * The board: a page shared by the test and its actors.  Counters below
 * C_REAPED are each test's own.
 */
enum {
	C_REAPED = 13,	/* actors that have reaped their children */
	C_IN = 14,	/* actors that have entered a context */
	C_READS = 15,	/* rounds of the readers */
};

struct board {
	int stop;		/* set by the test: actors leave their loops */
	int parked;		/* actors that have left their loops */
	int phase;		/* a test's own phases */
	int bad;		/* results that should not happen */
	char first_bad[256];	/* the first of them */
	long long born;		/* when the test began */
	long long deadline;	/* actors stop by then whatever happens */
	long count[16];
	int pids[64];		/* recent pids of tasks in a context */
};

static struct board *board_new(void)
{
	struct board *b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->born = now_ms();
	b->deadline = b->born + RUN_MS + GRACE_MS;
	return b;
}

static bool running(struct board *b)
{
	return !__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE) &&
	       now_ms() < b->deadline;
}

static void bump(struct board *b, int i)
{
	__atomic_fetch_add(&b->count[i], 1, __ATOMIC_RELAXED);
}

static long counted(struct board *b, int i)
{
	return __atomic_load_n(&b->count[i], __ATOMIC_RELAXED);
}

/* From any process: record a result that should not happen. */
static void __attribute__((format(printf, 2, 3)))
note_bad(struct board *b, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&b->bad, 1, __ATOMIC_SEQ_CST))
		return;
	va_start(ap, fmt);
	vsnprintf(b->first_bad, sizeof(b->first_bad), fmt, ap);
	va_end(ap);
}

/*
 * @ret must be one of the @n values of @ok (0, a positive value, or a
 * negative errno); returns whether it was.
 */
static bool check_ret(struct board *b, const char *what, long ret,
		      const long *ok, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ret == ok[i])
			return true;
	note_bad(b, "%s returned %ld (%s)", what, ret,
		 ret < 0 ? strerror(-ret) : "?");
	return false;
}

#define OK_LIST(...)	(const long[]){ __VA_ARGS__ },			\
			sizeof((const long[]){ __VA_ARGS__ }) / sizeof(long)
#define EXPECT_RET(b, what, ret, ...)					\
	check_ret(b, what, ret, OK_LIST(__VA_ARGS__))

/*
 * A child of an actor ended: it may have exited with 0 or been killed by
 * one of the signals the killers send; anything else is noted.
 */
static void judge_child(struct board *b, pid_t pid, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status) &&
	    (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGTERM ||
	     WTERMSIG(status) == SIGUSR1))
		return;
	if (WIFEXITED(status))
		note_bad(b, "child %d exited with %d", pid, WEXITSTATUS(status));
	else
		note_bad(b, "child %d ended with status 0x%x", pid, status);
}

/* Reap the children that have ended; with @block, all of them. */
static void reap(struct board *b, bool block)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, block ? 0 : WNOHANG);
		if (pid > 0) {
			judge_child(b, pid, status);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		break;
	}
}

/* An actor leaves its loop: it says so, then waits for its children. */
static void park(struct board *b)
{
	__atomic_fetch_add(&b->parked, 1, __ATOMIC_SEQ_CST);
	reap(b, true);
}

typedef void (*actor_fn)(struct board *b, const uint32_t *xids, int nx);

struct cast {
	struct board *b;
	pid_t pid[MAX_ACTORS];
	int n;
	const uint32_t *xids;
	int nx;
	bool end_contexts;	/* waiters wait for the contexts to end */
};

/* Start an actor: a process that runs @fn and exits. */
static bool spawn(struct cast *c, actor_fn fn)
{
	pid_t pid;

	if (c->n == MAX_ACTORS)
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		srandom(getpid() ^ (unsigned int)now_ms());
		fn(c->b, c->xids, c->nx);
		_exit(0);
	}
	c->pid[c->n++] = pid;
	return true;
}

static uint32_t pick(const uint32_t *xids, int nx)
{
	return xids[random() % nx];
}

static long kill_ctx(uint32_t xid, int pid, int sig)
{
	struct vcmd_ctx_kill_v0 k = { .pid = pid, .sig = sig };

	return vs_sys64(VCMD_ctx_kill, xid, &k);
}

/* The current usage of resource @id in @xid, or -errno */
static long long usage(uint32_t xid, uint32_t id)
{
	struct vcmd_rlimit_stat_v0 st;
	long ret = limit_stat(xid, id, &st);

	return ret < 0 ? ret : (long long)st.value;
}

static long get_ccaps(uint32_t xid, uint64_t *caps)
{
	struct vcmd_ctx_caps_v1 arg;
	long ret = vs_sys64(VCMD_get_ccaps, xid, &arg);

	*caps = arg.ccaps;
	return ret;
}

static long set_umask(uint32_t xid, uint64_t umask, uint64_t mask)
{
	struct vcmd_umask arg = { .umask = umask, .mask = mask };

	return vs_sys64(VCMD_set_umask, xid, &arg);
}

static long wait_exit(uint32_t xid, int *code)
{
	struct vcmd_wait_exit_v0 w = { .exit_code = -1 };
	long ret = vs_sys64(VCMD_wait_exit, xid, &w);

	if (code)
		*code = w.exit_code;
	return ret;
}

/* The resources this kernel counts */
static const uint32_t resources[] = {
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MSGQUEUE, VLIMIT_NSOCK,
	VLIMIT_SHMEM, VLIMIT_SEMARY, VLIMIT_NSEMS,
};

#define NR_RESOURCES	ARRAY_SIZE(resources)

/*
 * What a test compares before and after: /proc/virtual/info and the
 * counters of /proc/virtual/status.
 */
struct globals {
	char info[256];
	int total, active;
};

static void read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	buf[n < 0 ? 0 : n] = '\0';
	if (fd >= 0)
		close(fd);
}

static void read_globals(struct globals *g)
{
	read_file("/proc/virtual/info", g->info, sizeof(g->info));
	g->total = read_counter("#CTotal:");
	g->active = read_counter("#CActive:");
}

/*
 * The counters come back once contexts are freed, after an RCU grace
 * period and from a workqueue.
 */
static void expect_globals_back(struct __test_metadata *_metadata,
				const struct globals *before)
{
	struct globals now;
	long long end = now_ms() + SETTLE_MS;

	do {
		read_globals(&now);
		if (now.total == before->total && now.active == before->active)
			break;
		usleep(20000);
	} while (now_ms() < end);
	EXPECT_EQ(before->total, now.total);
	EXPECT_EQ(before->active, now.active);
	EXPECT_STREQ(before->info, now.info);
}

/* The field after @key at the start of a line of a status file, or NULL */
static const char *status_field(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len))
			return p + len;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/*
 * A scan of /proc: the tasks (threads included) of context @xid that
 * have not exited.  A task whose context hides its VxID line is asked
 * about with task_xid.  Zombies have left their context's count.
 */
static int scan_proc(uint32_t xid)
{
	char path[600], text[4096];
	struct dirent *p, *t;
	const char *state, *vxid;
	DIR *procs, *tasks;
	long task_xid;
	int n = 0;

	procs = opendir("/proc");
	if (!procs)
		return -1;
	while ((p = readdir(procs))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		tasks = opendir(path);
		if (!tasks)
			continue;
		while ((t = readdir(tasks))) {
			if (t->d_name[0] < '1' || t->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/status",
				 p->d_name, t->d_name);
			read_file(path, text, sizeof(text));
			state = status_field(text, "State:\t");
			if (!state || *state == 'Z' || *state == 'X')
				continue;
			vxid = status_field(text, "VxID:\t");
			if (vxid)
				task_xid = atol(vxid);
			else
				task_xid = vs_sys64(VCMD_task_xid,
						    atoi(t->d_name), NULL);
			n += task_xid == xid;
		}
		closedir(tasks);
	}
	closedir(procs);
	return n;
}

struct counts {
	int scan;		/* tasks found in /proc */
	long stat;		/* ctx_stat */
	int status;		/* /proc/virtual/<xid>/status */
	long long nproc;	/* NPROC usage */
};

static void read_counts(uint32_t xid, struct counts *c)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/virtual/%u/status", xid);
	c->stat = ctx_tasks(xid);
	c->status = read_number(path, "Tasks:");
	c->nproc = usage(xid, RLIMIT_NPROC);
	c->scan = scan_proc(xid);
}

static bool counts_agree(const struct counts *c)
{
	return c->stat >= 0 && c->stat == c->scan && c->stat == c->status &&
	       c->stat == c->nproc;
}

/*
 * The kernel's counts of the tasks of @xid agree with each other and with
 * /proc, once tasks that are still on their way in or out have arrived.
 * Returns the number of tasks.
 */
static long expect_counts_agree(struct __test_metadata *_metadata,
				uint32_t xid)
{
	long long end = now_ms() + SETTLE_MS;
	struct counts c;

	do {
		read_counts(xid, &c);
		if (counts_agree(&c))
			break;
		usleep(20000);
	} while (now_ms() < end);
	EXPECT_LE(0, c.stat);
	EXPECT_EQ(c.stat, c.scan);
	EXPECT_EQ(c.stat, c.status);
	EXPECT_EQ(c.stat, c.nproc);
	return c.stat;
}

/* Every usage counter of @xid is what @before says */
static void expect_usage(struct __test_metadata *_metadata, uint32_t xid,
			 const long long *before)
{
	long long end = now_ms() + SETTLE_MS, now[NR_RESOURCES];
	bool same;
	size_t i;

	do {
		same = true;
		for (i = 0; i < NR_RESOURCES; i++) {
			now[i] = usage(xid, resources[i]);
			same &= now[i] == before[i];
		}
		if (same)
			break;
		usleep(20000);
	} while (now_ms() < end);
	for (i = 0; i < NR_RESOURCES; i++) {
		if (now[i] != before[i])
			TH_LOG("context %u, limit id %u", xid, resources[i]);
		EXPECT_EQ(before[i], now[i]);
	}
}

static void read_usage(uint32_t xid, long long *values)
{
	size_t i;

	for (i = 0; i < NR_RESOURCES; i++)
		values[i] = usage(xid, resources[i]);
}

static bool context_gone(uint32_t xid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/virtual/%u", xid);
	return ctx_tasks(xid) == -ESRCH && access(path, F_OK) && errno == ENOENT;
}

/* Context @xid ends, or has ended: lookups and /proc agree. */
static void expect_gone(struct __test_metadata *_metadata, uint32_t xid)
{
	struct vcmd_vx_info_v0 info;
	long long end = now_ms() + SETTLE_MS;

	while (!context_gone(xid) && now_ms() < end)
		usleep(20000);
	EXPECT_TRUE(context_gone(xid)) {
		TH_LOG("context %u is still there with %ld tasks", xid,
		       ctx_tasks(xid));
	}
	EXPECT_EQ(-ESRCH, vs_sys64(VCMD_vx_info, xid, &info));
}

/* Reap what has ended among the children of the test process. */
static void reap_orphans(struct cast *c)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < c->n; i++)
			if (c->pid[i] == pid) {
				c->pid[i] = 0;
				/* Actors in a context are killed by drain(). */
				if (WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGKILL &&
				    __atomic_load_n(&c->b->stop, __ATOMIC_ACQUIRE))
					continue;
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					note_bad(c->b, "actor %d ended with 0x%x",
						 pid, status);
			}
	}
}

static bool actors_left(struct cast *c)
{
	int i;

	reap_orphans(c);
	for (i = 0; i < c->n; i++)
		if (c->pid[i])
			return true;
	return false;
}

/* Let the actors run for @ms, reaping orphans meanwhile. */
static void let_run(struct cast *c, int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		usleep(20000);
		reap_orphans(c);
	}
}

/*
 * Stop the actors and wait until they have all left their loops; with
 * end_contexts, end the persistence of the contexts meanwhile, so that
 * waiters return.
 */
static void stop_actors(struct __test_metadata *_metadata, struct cast *c)
{
	long long end = now_ms() + SETTLE_MS;
	int i;

	__atomic_store_n(&c->b->stop, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&c->b->parked, __ATOMIC_ACQUIRE) < c->n &&
	       now_ms() < end) {
		for (i = 0; c->end_contexts && i < c->nx; i++)
			end_persistent(c->xids[i]);
		usleep(10000);
		reap_orphans(c);
	}
	EXPECT_EQ(c->n, __atomic_load_n(&c->b->parked, __ATOMIC_ACQUIRE));
}

/*
 * Kill every task of the contexts of @c until the actors, which wait for
 * their children, have ended and the contexts are empty; then reap every
 * orphan.  Persistent contexts stay; the others end.
 */
static void drain(struct __test_metadata *_metadata, struct cast *c)
{
	long long end = now_ms() + SETTLE_MS;
	bool busy;
	pid_t pid;
	int i;

	do {
		busy = actors_left(c);
		for (i = 0; i < c->nx; i++) {
			kill_ctx(c->xids[i], 0, SIGKILL);
			busy |= ctx_tasks(c->xids[i]) > 0;
		}
		if (!busy)
			break;
		usleep(10000);
	} while (now_ms() < end);
	EXPECT_FALSE(busy) {
		for (i = 0; i < c->nx; i++)
			TH_LOG("context %u: %ld tasks", c->xids[i],
			       ctx_tasks(c->xids[i]));
	}
	/*
	 * What is left are orphans that were killed: reap them all, as
	 * zombies hold their contexts in memory.
	 */
	do {
		pid = waitpid(-1, NULL, WNOHANG);
		if (!pid)
			usleep(10000);
	} while (pid >= 0 && now_ms() < end);
	EXPECT_EQ(-1, pid) {
		TH_LOG("children of the test are left");
	}
}

/* The actors saw nothing that should not happen. */
static void expect_no_bad(struct __test_metadata *_metadata, struct board *b)
{
	EXPECT_EQ(0, b->bad) {
		TH_LOG("first: %s", b->first_bad);
	}
}

/* Become the reaper of the orphans of this test. */
static void become_reaper(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/*
 * Readers, in every test: they look at the contexts through every
 * command and file that reads them, while the contexts come and go.
 */
static void actor_reader(struct board *b, const uint32_t *xids, int nx)
{
	static const char *const files[] = { "info", "status", "limit" };
	struct vcmd_rlimit_stat_v0 st;
	struct vcmd_vx_info_v0 info;
	char path[64], text[1024];
	uint64_t word;
	uint32_t xid;
	unsigned int i;
	long tasks;

	while (running(b)) {
		xid = pick(xids, nx);
		EXPECT_RET(b, "vx_info", vs_sys64(VCMD_vx_info, xid, &info),
			   0, -ESRCH);
		EXPECT_RET(b, "get_cflags", get_flags(xid, &word), 0, -ESRCH);
		EXPECT_RET(b, "get_bcaps", ceiling_get(xid, &word), 0, -ESRCH);
		EXPECT_RET(b, "rlimit_stat",
			   limit_stat(xid, resources[random() % NR_RESOURCES], &st),
			   0, -ESRCH);
		tasks = ctx_tasks(xid);
		EXPECT_RET(b, "ctx_stat", tasks < 0 ? tasks : 0, 0, -ESRCH);
		for (i = 0; i < ARRAY_SIZE(files); i++) {
			snprintf(path, sizeof(path), "/proc/virtual/%u/%s",
				 xid, files[i]);
			read_file(path, text, sizeof(text));
		}
		bump(b, C_READS);
	}
	park(b);
}

/*
 * Enter and kill.  Enterers fork children that enter the context and
 * sleep there, each with a child born inside; a killer sends SIGKILL to
 * the context with every pid form of ctx_kill, single pids among them.  A
 * transient context ends when the killer empties it, and enterers then
 * create it again.
 */

/*
 * What the tasks did.  A task may be killed as soon as it is in the
 * context, before it can say so: successes are counted as attempts
 * less the failures, which happen in the host, out of the killer's reach.
 */
enum { EK_ENTRIES, EK_MISSED, EK_TRIED, EK_BUSY, EK_KILLS, EK_EMPTY };

static bool ek_persistent;

static void enterer_child(struct board *b, uint32_t xid)
{
	long ret;

	bump(b, EK_ENTRIES);
	ret = migrate(xid, 0);
	if (ret == 0) {
		b->pids[random() % ARRAY_SIZE(b->pids)] = getpid();
		if (vs_sys64(VCMD_task_xid, 0, NULL) != xid)
			note_bad(b, "entered %u but task_xid says %ld", xid,
				 vs_sys64(VCMD_task_xid, 0, NULL));
		if (fork() == 0)
			for (;;)
				pause();
		for (;;)
			pause();
	}
	if (ek_persistent) {
		/* Nothing ends a persistent context here. */
		note_bad(b, "ctx_migrate into a persistent context: %ld", ret);
		_exit(0);
	}
	if (!EXPECT_RET(b, "ctx_migrate", ret, -ESRCH))
		_exit(0);
	bump(b, EK_MISSED);
	if (vs_sys64(VCMD_task_xid, 0, NULL) != 0)
		note_bad(b, "a failed entry left the task in a context");
	/* The context ended: start it again. */
	bump(b, EK_TRIED);
	ret = create(xid, VXF_INIT_SET);
	if (ret == xid)
		for (;;)
			pause();
	if (EXPECT_RET(b, "ctx_create", ret, -EBUSY))
		bump(b, EK_BUSY);
	_exit(0);
}

static void actor_enterer(struct board *b, const uint32_t *xids, int nx)
{
	int outstanding = 0, status;
	pid_t pid;

	while (running(b)) {
		pid = fork();
		if (pid == 0)
			enterer_child(b, pick(xids, nx));
		outstanding += pid > 0;
		/* Keep at most a few children alive at once. */
		while (outstanding) {
			pid = waitpid(-1, &status, outstanding > 4 ? 0 : WNOHANG);
			if (pid <= 0)
				break;
			judge_child(b, pid, status);
			outstanding--;
		}
	}
	park(b);
}

static void actor_killer(struct board *b, const uint32_t *xids, int nx)
{
	static const int pids[] = { 0, -1, 1 };
	long ret;
	int pid;

	while (running(b)) {
		/* A task that entered, if it is still there (or its pid, reused) */
		pid = b->pids[random() % ARRAY_SIZE(b->pids)];
		if (!pid || random() % 2)
			pid = pids[random() % 3];
		ret = kill_ctx(pick(xids, nx), pid, SIGKILL);
		if (EXPECT_RET(b, "ctx_kill", ret, 0, -ESRCH))
			bump(b, ret ? EK_EMPTY : EK_KILLS);
	}
	park(b);
}

FIXTURE(enter_kill) {
	struct globals before;
	struct board *b;
};

FIXTURE_VARIANT(enter_kill) {
	bool persistent;
	uint32_t xid;
};

FIXTURE_VARIANT_ADD(enter_kill, persistent) { .persistent = true, .xid = 6001 };
FIXTURE_VARIANT_ADD(enter_kill, transient) { .persistent = false, .xid = 6002 };

FIXTURE_SETUP(enter_kill)
{
	read_globals(&self->before);
	ASSERT_LE(0, self->before.total);
	self->b = board_new();
	ASSERT_NE(NULL, self->b);
	become_reaper(_metadata);
}

FIXTURE_TEARDOWN(enter_kill)
{
	end_persistent(variant->xid);
	kill_ctx(variant->xid, 0, SIGKILL);
	munmap(self->b, sizeof(*self->b));
}

TEST_F_TIMEOUT(enter_kill, tasks_entering_while_ctx_kill_runs_are_counted_and_killed, 60)
{
	uint32_t xid = variant->xid;
	struct cast c = { .b = self->b, .xids = &xid, .nx = 1 };
	long long start[NR_RESOURCES];
	int i;

	ek_persistent = variant->persistent;
	if (variant->persistent) {
		ASSERT_EQ(0, make_persistent_past_setup(xid));
	} else {
		ASSERT_EQ(0, make_persistent(xid, 0));
	}
	read_usage(xid, start);
	if (!variant->persistent)
		/* Empty and not persistent: it ends at once. */
		end_persistent(xid);

	for (i = 0; i < 3; i++)
		ASSERT_TRUE(spawn(&c, actor_enterer));
	ASSERT_TRUE(spawn(&c, actor_killer));
	ASSERT_TRUE(spawn(&c, actor_reader));
	let_run(&c, RUN_MS);
	stop_actors(_metadata, &c);

	/* Entered tasks that escaped the last kills sleep: count them. */
	if (ctx_tasks(xid) >= 0)
		TH_LOG("%ld tasks in the context when the actors stopped",
		       expect_counts_agree(_metadata, xid));
	drain(_metadata, &c);
	TH_LOG("%ld entries, %ld missed, %ld creations (%ld busy), %ld kills (%ld on an empty context), %ld reads",
	       counted(c.b, EK_ENTRIES) - counted(c.b, EK_MISSED),
	       counted(c.b, EK_MISSED),
	       counted(c.b, EK_TRIED) - counted(c.b, EK_BUSY),
	       counted(c.b, EK_BUSY),
	       counted(c.b, EK_KILLS), counted(c.b, EK_EMPTY),
	       counted(c.b, C_READS));
	expect_no_bad(_metadata, c.b);
	EXPECT_LT(0, counted(c.b, EK_ENTRIES) - counted(c.b, EK_MISSED));
	EXPECT_LT(0, counted(c.b, EK_KILLS));

	if (variant->persistent) {
		EXPECT_EQ(0, expect_counts_agree(_metadata, xid));
		expect_usage(_metadata, xid, start);
		end_persistent(xid);
	} else {
		/* It ended, was started again, and ended again. */
		EXPECT_LT(0, counted(c.b, EK_MISSED));
		EXPECT_LT(0, counted(c.b, EK_TRIED) - counted(c.b, EK_BUSY));
	}
	expect_gone(_metadata, xid);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * The fixture of the other tests: the global counters before, the board,
 * and the test process as the reaper of its orphans.
 */
FIXTURE(race) {
	struct globals before;
	struct board *b;
};

FIXTURE_SETUP(race)
{
	read_globals(&self->before);
	ASSERT_LE(0, self->before.total);
	self->b = board_new();
	ASSERT_NE(NULL, self->b);
	become_reaper(_metadata);
}

FIXTURE_TEARDOWN(race)
{
	munmap(self->b, sizeof(*self->b));
}

/*
 * Persistence.  Creators create the context persistent and exit, leaving
 * it empty; others clear and set its persistence, enter it and exit at
 * once, and wait for its end.  Whoever leaves it empty and not persistent
 * ends it, and it is created again.
 */

enum {
	CP_CREATED, CP_BUSY, CP_CLEARED, CP_SET, CP_ENTERED, CP_MISSED,
	CP_ENDS, CP_GONE,
};

static void actor_creator(struct board *b, const uint32_t *xids, int nx)
{
	int status;
	long ret;
	pid_t pid;

	while (running(b)) {
		pid = fork();
		if (pid == 0) {
			ret = create(xids[0], VXF_INIT_SET | VXF_PERSISTENT);
			if (ret == xids[0]) {
				bump(b, CP_CREATED);
				/* A child that exits before its parent */
				if (fork() == 0)
					_exit(0);
				wait(NULL);
			} else if (EXPECT_RET(b, "ctx_create", ret, -EBUSY)) {
				bump(b, CP_BUSY);
			}
			_exit(0);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid)
			judge_child(b, pid, status);
	}
	park(b);
}

static void actor_persistence(struct board *b, const uint32_t *xids, int nx)
{
	bool clear;
	long ret;

	while (running(b)) {
		clear = random() % 3;
		ret = set_flags(xids[0], clear ? 0 : VXF_PERSISTENT,
				VXF_PERSISTENT);
		if (EXPECT_RET(b, "set_cflags", ret, 0, -ESRCH) && !ret)
			bump(b, clear ? CP_CLEARED : CP_SET);
	}
	park(b);
}

static void actor_passer(struct board *b, const uint32_t *xids, int nx)
{
	int status;
	long ret;
	pid_t pid;

	while (running(b)) {
		pid = fork();
		if (pid == 0) {
			ret = migrate(xids[0], 0);
			if (EXPECT_RET(b, "ctx_migrate", ret, 0, -ESRCH))
				bump(b, ret ? CP_MISSED : CP_ENTERED);
			_exit(0);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid)
			judge_child(b, pid, status);
	}
	park(b);
}

static void actor_waiter(struct board *b, const uint32_t *xids, int nx)
{
	long ret;

	while (running(b)) {
		ret = wait_exit(pick(xids, nx), NULL);
		if (EXPECT_RET(b, "wait_exit", ret, 0, -ESRCH))
			bump(b, ret ? CP_GONE : CP_ENDS);
		if (ret)
			usleep(1000);
	}
	park(b);
}

TEST_F_TIMEOUT(race, persistence_races_the_exit_of_the_last_task, 60)
{
	static const uint32_t xid = 6010;
	struct board *b = self->b;
	struct cast c = {
		.b = b, .xids = &xid, .nx = 1, .end_contexts = true,
	};

	ASSERT_TRUE(spawn(&c, actor_creator));
	ASSERT_TRUE(spawn(&c, actor_creator));
	ASSERT_TRUE(spawn(&c, actor_persistence));
	ASSERT_TRUE(spawn(&c, actor_passer));
	ASSERT_TRUE(spawn(&c, actor_waiter));
	ASSERT_TRUE(spawn(&c, actor_reader));
	let_run(&c, RUN_MS);
	stop_actors(_metadata, &c);
	end_persistent(xid);
	drain(_metadata, &c);

	TH_LOG("%ld creations (%ld busy), persistence %ld cleared %ld set, %ld entries (%ld missed), %ld ends seen (%ld too late), %ld reads",
	       counted(b, CP_CREATED), counted(b, CP_BUSY),
	       counted(b, CP_CLEARED), counted(b, CP_SET),
	       counted(b, CP_ENTERED), counted(b, CP_MISSED),
	       counted(b, CP_ENDS), counted(b, CP_GONE), counted(b, C_READS));
	expect_no_bad(_metadata, b);
	/* Both the creation and the end of the context happened, often. */
	EXPECT_LT(1, counted(b, CP_CREATED));
	EXPECT_LT(0, counted(b, CP_ENDS));
	expect_gone(_metadata, xid);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * Limits.  Stormers in the context fork children that open a pipe and
 * exit, and start threads that end at once, as fast as they can,
 * pressing against the NPROC and NOFILE hard limits, while a limiter changes both limits and a sampler watches the
 * usage.  At the end the limits are lowered once more and the minimum and
 * maximum reset: from then on the highest usage stays within them.
 */

enum {
	FS_FORKS, FS_EAGAIN, FS_PIPES, FS_ENFILE, FS_LIMITS, FS_SAMPLES,
	FS_OVER_TASKS, FS_OVER_CURRENT, FS_THREADS, FS_THREADS_REFUSED,
};

/* The hard limits the limiter sets, all above the stormers' own count */
#define FS_STORMERS	4
static const uint64_t fs_nproc[] = { 8, 12, 16, 24, 32 };
static const uint64_t fs_nofile[] = { 4, 8, 16, 64 };

#define FS_FINAL_NPROC	10ULL
#define FS_FINAL_NOFILE	6ULL

static void storm_child(struct board *b)
{
	int fds[2];

	if (pipe(fds) == 0) {
		bump(b, FS_PIPES);
		usleep(random() % 2000);
	} else if (errno == ENFILE) {
		bump(b, FS_ENFILE);
	} else {
		note_bad(b, "pipe: %s", strerror(errno));
	}
	_exit(0);
}

/* The threads of a stormer that have not ended */
static int storm_threads;

static void *storm_thread(void *arg)
{
	usleep((uintptr_t)arg);
	__atomic_fetch_sub(&storm_threads, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A thread that lives a moment: a task of the context like a child */
static void storm_thread_start(struct board *b)
{
	pthread_attr_t attr;
	pthread_t thread;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	__atomic_fetch_add(&storm_threads, 1, __ATOMIC_SEQ_CST);
	err = pthread_create(&thread, &attr, storm_thread,
			     (void *)(uintptr_t)(random() % 2000));
	pthread_attr_destroy(&attr);
	if (!err) {
		bump(b, FS_THREADS);
		return;
	}
	__atomic_fetch_sub(&storm_threads, 1, __ATOMIC_SEQ_CST);
	if (err == EAGAIN)
		bump(b, FS_THREADS_REFUSED);
	else
		note_bad(b, "pthread_create: %s", strerror(err));
}

static void actor_stormer(struct board *b, const uint32_t *xids, int nx)
{
	int status, outstanding = 0, round = 0;
	long ret = migrate(xids[0], 0);
	pid_t pid;

	if (ret) {
		note_bad(b, "a stormer could not enter: %s", strerror(-ret));
		park(b);
		return;
	}
	bump(b, C_IN);
	while (__atomic_load_n(&b->phase, __ATOMIC_ACQUIRE) == 0 && running(b))
		usleep(1000);
	while (running(b)) {
		if (++round % 3 == 0) {
			storm_thread_start(b);
			continue;
		}
		pid = fork();
		if (pid == 0)
			storm_child(b);
		if (pid > 0) {
			bump(b, FS_FORKS);
			outstanding++;
		} else if (errno == EAGAIN) {
			bump(b, FS_EAGAIN);
		} else {
			note_bad(b, "fork: %s", strerror(errno));
		}
		/* At the limit: wait for one child, then press again. */
		pid = waitpid(-1, &status, pid < 0 && outstanding ? 0 : WNOHANG);
		if (pid > 0) {
			judge_child(b, pid, status);
			outstanding--;
		}
	}
	__atomic_fetch_add(&b->parked, 1, __ATOMIC_SEQ_CST);
	reap(b, true);
	while (__atomic_load_n(&storm_threads, __ATOMIC_SEQ_CST))
		usleep(1000);
	bump(b, C_REAPED);
	/* Stay, so that the test counts the stormers, until killed. */
	for (;;)
		pause();
}

static void actor_limiter(struct board *b, const uint32_t *xids, int nx)
{
	uint64_t hard;
	long ret;

	while (__atomic_load_n(&b->phase, __ATOMIC_ACQUIRE) == 0 && running(b))
		usleep(1000);
	while (running(b) && __atomic_load_n(&b->phase, __ATOMIC_ACQUIRE) == 1) {
		hard = fs_nproc[random() % ARRAY_SIZE(fs_nproc)];
		ret = set_limit(xids[0], RLIMIT_NPROC,
				random() % 2 ? hard : hard / 2, hard);
		EXPECT_RET(b, "set_rlimit nproc", ret, 0);
		hard = fs_nofile[random() % ARRAY_SIZE(fs_nofile)];
		ret = set_limit(xids[0], RLIMIT_NOFILE,
				random() % 2 ? CRLIM_KEEP : hard / 2, hard);
		/* Keeping a soft limit above the new hard one is refused. */
		EXPECT_RET(b, "set_rlimit nofile", ret, 0, -EINVAL);
		if (ret == -EINVAL)
			set_limit(xids[0], RLIMIT_NOFILE, hard / 2, hard);
		bump(b, FS_LIMITS);
		usleep(random() % 5000);
	}
	park(b);
}

/* Watches the usage: never more tasks than the highest limit ever set. */
static void actor_sampler(struct board *b, const uint32_t *xids, int nx)
{
	long long top = fs_nproc[ARRAY_SIZE(fs_nproc) - 1];
	long tasks;

	while (running(b)) {
		tasks = ctx_tasks(xids[0]);
		if (tasks > top)
			bump(b, FS_OVER_TASKS);
		if (usage(xids[0], RLIMIT_NPROC) > top)
			bump(b, FS_OVER_CURRENT);
		bump(b, FS_SAMPLES);
	}
	park(b);
}

TEST_F_TIMEOUT(race, set_rlimit_races_a_fork_storm_at_the_limit, 60)
{
	static const uint32_t xid = 6020;
	struct board *b = self->b;
	struct cast c = { .b = b, .xids = &xid, .nx = 1 };
	struct vcmd_rlimit_stat_v0 nproc, nofile;
	long long start[NR_RESOURCES], end;
	long eagain, enfile;
	int i;

	ASSERT_EQ(0, make_persistent_past_setup(xid));
	read_usage(xid, start);

	for (i = 0; i < FS_STORMERS; i++)
		ASSERT_TRUE(spawn(&c, actor_stormer));
	/* The stormers count once they are in, beyond any limit. */
	end = now_ms() + SETTLE_MS;
	while (counted(b, C_IN) < FS_STORMERS && now_ms() < end)
		usleep(10000);
	ASSERT_EQ(FS_STORMERS, counted(b, C_IN));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NPROC, 16, 16));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NOFILE, 8, 8));
	ASSERT_TRUE(spawn(&c, actor_limiter));
	ASSERT_TRUE(spawn(&c, actor_sampler));
	ASSERT_TRUE(spawn(&c, actor_reader));
	__atomic_store_n(&b->phase, 1, __ATOMIC_RELEASE);
	let_run(&c, RUN_MS);

	/*
	 * The last limits, once the limiter has left: when the usage is
	 * within them, so is its peak from then on.
	 */
	__atomic_store_n(&b->phase, 2, __ATOMIC_RELEASE);
	end = now_ms() + SETTLE_MS;
	while (__atomic_load_n(&b->parked, __ATOMIC_ACQUIRE) < 1 &&
	       now_ms() < end)
		usleep(1000);
	ASSERT_EQ(1, __atomic_load_n(&b->parked, __ATOMIC_ACQUIRE));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NPROC, FS_FINAL_NPROC, FS_FINAL_NPROC));
	ASSERT_EQ(0, set_limit(xid, RLIMIT_NOFILE, FS_FINAL_NOFILE, FS_FINAL_NOFILE));
	end = now_ms() + SETTLE_MS;
	while ((usage(xid, RLIMIT_NPROC) > (long long)FS_FINAL_NPROC ||
		usage(xid, RLIMIT_NOFILE) > (long long)FS_FINAL_NOFILE) &&
	       now_ms() < end)
		usleep(1000);
	eagain = counted(b, FS_EAGAIN);
	enfile = counted(b, FS_ENFILE);
	ASSERT_EQ(0, vs_sys64(VCMD_reset_minmax, xid, NULL));
	ASSERT_EQ(0, vs_sys64(VCMD_reset_hits, xid, NULL));
	let_run(&c, RUN_MS / 3);
	ASSERT_EQ(0, limit_stat(xid, RLIMIT_NPROC, &nproc));
	ASSERT_EQ(0, limit_stat(xid, RLIMIT_NOFILE, &nofile));
	stop_actors(_metadata, &c);

	TH_LOG("%ld forks (%ld refused), %ld threads (%ld refused), %ld pipes (%ld refused), %ld limit changes, %ld samples, %ld reads",
	       counted(b, FS_FORKS), counted(b, FS_EAGAIN),
	       counted(b, FS_THREADS), counted(b, FS_THREADS_REFUSED),
	       counted(b, FS_PIPES), counted(b, FS_ENFILE),
	       counted(b, FS_LIMITS), counted(b, FS_SAMPLES), counted(b, C_READS));
	expect_no_bad(_metadata, b);
	EXPECT_LT(0, counted(b, FS_LIMITS));
	EXPECT_EQ(0, counted(b, FS_OVER_TASKS));
	/* A refused fork never shows in the usage, not even for a moment. */
	EXPECT_EQ(0, counted(b, FS_OVER_CURRENT));
	/* The storm pressed against the limits before and after the reset. */
	EXPECT_LT(0, counted(b, FS_EAGAIN));
	EXPECT_LT(eagain, counted(b, FS_EAGAIN));
	EXPECT_LT(0, counted(b, FS_ENFILE));
	EXPECT_LT(0U, nproc.hits);
	EXPECT_GE(FS_FINAL_NPROC, nproc.maximum);
	EXPECT_GE(FS_FINAL_NOFILE, nofile.maximum);
	/* Refusals counted just before the reset may be counted after it. */
	if (counted(b, FS_ENFILE) > enfile + 5)
		EXPECT_LT(0U, nofile.hits);

	/* The stormers have reaped their children and wait to be killed. */
	end = now_ms() + SETTLE_MS;
	while (counted(b, C_REAPED) < FS_STORMERS && now_ms() < end)
		usleep(10000);
	EXPECT_EQ(FS_STORMERS, expect_counts_agree(_metadata, xid));
	drain(_metadata, &c);
	EXPECT_EQ(0, expect_counts_agree(_metadata, xid));
	expect_usage(_metadata, xid, start);
	end_persistent(xid);
	expect_gone(_metadata, xid);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * Capabilities and flags against execve.  Executors in the context run
 * this program again, which checks its own capability sets and VxID line,
 * while togglers change the ceiling, the ccaps, the umask and the flags.
 * During setup bits come and go; once the test ends the setup, they can
 * only go, and every program started after a bit went must lack it.
 *
 * The capabilities: P are removed before the race and never come back,
 * T are toggled, F (all others) stay all along.
 */

#define CAPBIT(c)	(1ULL << (c))
#define CX_P	(CAPBIT(CAP_SYS_MODULE) | CAPBIT(CAP_SYS_RAWIO) | \
		 CAPBIT(CAP_SYS_BOOT))
#define CX_T	(CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_SYS_TIME) | \
		 CAPBIT(CAP_NET_RAW) | CAPBIT(CAP_MKNOD))
#define CX_FLAGS	(VXF_HIDE_VINFO | VXF_VIRT_UPTIME)
#define CX_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP)

enum { CX_EXECS, CX_TOGGLES, CX_REFUSED, CX_ENTRIES };

/* The exit codes of the report */
enum {
	RPT_OK,
	RPT_ARGS = 10,
	RPT_STATUS,
	RPT_XID,
	RPT_VXID,
	/*
	 * + 0..4: a bit in the bounding, permitted, effective, inheritable
	 * or ambient set that must not be there
	 */
	RPT_FORBIDDEN,
	/* + 0..1: a bit missing from the bounding or permitted set */
	RPT_MISSING = RPT_FORBIDDEN + 5,
};

static uint64_t status_hex(const char *text, const char *key, bool *ok)
{
	const char *v = status_field(text, key);

	if (!v) {
		*ok = false;
		return 0;
	}
	return strtoull(v, NULL, 16);
}

/*
 * Run as "race_test --race-exec-report MUST_HAVE MUST_NOT XID" in the
 * context: the capability sets hold every bit of MUST_HAVE (bounding and
 * permitted; this runs as root) and no bit of MUST_NOT, and the task is
 * in context XID.  Returns one of RPT_*.
 */
static int exec_report(int argc, char **argv)
{
	static const char *const sets[] = {
		"CapBnd:\t", "CapPrm:\t", "CapEff:\t", "CapInh:\t", "CapAmb:\t",
	};
	uint64_t must_have, must_not, set;
	const char *vxid;
	char text[4096];
	unsigned int i;
	bool ok = true;
	uint32_t xid;

	if (argc != 5)
		return RPT_ARGS;
	must_have = strtoull(argv[2], NULL, 16);
	must_not = strtoull(argv[3], NULL, 16);
	xid = strtoul(argv[4], NULL, 10);
	if (vs_sys64(VCMD_task_xid, 0, NULL) != xid)
		return RPT_XID;
	read_file("/proc/self/status", text, sizeof(text));
	vxid = status_field(text, "VxID:\t");
	if (vxid && (uint32_t)atol(vxid) != xid)
		return RPT_VXID;
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		set = status_hex(text, sets[i], &ok);
		if (!ok)
			return RPT_STATUS;
		if (set & must_not)
			return RPT_FORBIDDEN + i;
		if (i < 2 && (set & must_have) != must_have)
			return RPT_MISSING + i;
	}
	return RPT_OK;
}

static uint64_t cx_valid;

/* In a child of an executor: run the report with what must hold now. */
static void exec_checked(struct board *b, uint32_t xid)
{
	uint64_t must_not = CX_P, bcaps, ccaps, f = cx_valid & ~(CX_P | CX_T);
	char have[24], not[24], id[12];

	if (__atomic_load_n(&b->phase, __ATOMIC_ACQUIRE) == 2) {
		/* Past setup the ceiling only shrinks: what it is now or less */
		if (ceiling_get(xid, &bcaps) || get_ccaps(xid, &ccaps)) {
			note_bad(b, "cannot read the caps of %u", xid);
			_exit(0);
		}
		if (ccaps & VXC_RAW_ICMP)
			bcaps |= CAPBIT(CAP_NET_RAW);
		must_not = cx_valid & ~bcaps;
	}
	snprintf(have, sizeof(have), "%llx", (unsigned long long)f);
	snprintf(not, sizeof(not), "%llx", (unsigned long long)must_not);
	snprintf(id, sizeof(id), "%u", xid);
	execl("/proc/self/exe", "race_test", EXEC_REPORT, have, not, id,
	      (char *)NULL);
	note_bad(b, "execl: %s", strerror(errno));
	_exit(0);
}

static void actor_executor(struct board *b, const uint32_t *xids, int nx)
{
	long ret = migrate(xids[0], 0);
	int status;
	pid_t pid;

	if (ret) {
		note_bad(b, "an executor could not enter: %s", strerror(-ret));
		park(b);
		return;
	}
	while (running(b)) {
		pid = fork();
		if (pid == 0)
			exec_checked(b, xids[0]);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			continue;
		bump(b, CX_EXECS);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != RPT_OK)
			note_bad(b, "the report after execve ended with 0x%x (phase %d)",
				 status, __atomic_load_n(&b->phase, __ATOMIC_ACQUIRE));
	}
	park(b);
}

static long get_umask(uint32_t xid, uint64_t *umask)
{
	struct vcmd_umask arg;
	long ret = vs_sys64(VCMD_get_umask, xid, &arg);

	*umask = arg.umask;
	return ret;
}

/* What the togglers change: the ceiling, the ccaps and the umask */
static const struct knob {
	const char *name;
	long (*get)(uint32_t xid, uint64_t *word);
	long (*set)(uint32_t xid, uint64_t value, uint64_t mask);
	uint64_t bits;
} knobs[] = {
	{ "set_bcaps", ceiling_get, ceiling_set, CX_T },
	{ "set_ccaps", get_ccaps, ccaps_set, CX_CCAPS },
	{ "set_umask", get_umask, set_umask, CLONE_NEWUSER },
};

/*
 * Add or remove some bits of a knob: during setup anything goes; after
 * it, adding a bit that is missing must be refused.
 */
static void toggle(struct board *b, const struct knob *k, uint32_t xid)
{
	int phase = __atomic_load_n(&b->phase, __ATOMIC_ACQUIRE);
	uint64_t mask = k->bits & random(), now;
	bool add = random() & 1;
	long ret;

	if (add && phase == 2) {
		/* Past setup nothing comes back: what is missing now stays so. */
		if (k->get(xid, &now)) {
			note_bad(b, "cannot read what %s changes", k->name);
			return;
		}
		mask &= ~now;
	}
	if (!mask)
		return;
	ret = k->set(xid, add ? mask : 0, mask);
	if (!add)
		EXPECT_RET(b, k->name, ret, 0);
	else if (phase == 2)
		EXPECT_RET(b, k->name, ret, -EPERM);
	else
		/* The setup may end during the call. */
		EXPECT_RET(b, k->name, ret, 0, -EPERM);
	if (ret)
		bump(b, CX_REFUSED);
	bump(b, CX_TOGGLES);
}

static void actor_toggler(struct board *b, const uint32_t *xids, int nx)
{
	uint64_t flags;
	long ret;

	while (running(b)) {
		toggle(b, &knobs[random() % ARRAY_SIZE(knobs)], xids[0]);
		/* The host may set and clear these flags at any time. */
		flags = random() & CX_FLAGS;
		ret = set_flags(xids[0], flags, CX_FLAGS);
		EXPECT_RET(b, "set_cflags", ret, 0);
	}
	park(b);
}

/* Tasks that enter while virtual uptime comes and goes */
static void actor_visitor(struct board *b, const uint32_t *xids, int nx)
{
	int status;
	pid_t pid;

	while (running(b)) {
		pid = fork();
		if (pid == 0) {
			if (EXPECT_RET(b, "ctx_migrate", migrate(xids[0], 0), 0))
				bump(b, CX_ENTRIES);
			_exit(0);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid)
			judge_child(b, pid, status);
	}
	park(b);
}

/* The report for a program started in @xid now, checked with @must_not */
static int report_now(uint32_t xid, uint64_t must_have, uint64_t must_not)
{
	char have[24], not[24], id[12];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (migrate(xid, 0))
			_exit(100);
		snprintf(have, sizeof(have), "%llx", (unsigned long long)must_have);
		snprintf(not, sizeof(not), "%llx", (unsigned long long)must_not);
		snprintf(id, sizeof(id), "%u", xid);
		execl("/proc/self/exe", "race_test", EXEC_REPORT, have, not,
		      id, (char *)NULL);
		_exit(101);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(race, cap_and_flag_changes_race_execve_in_the_context, 60)
{
	static const uint32_t xid = 6030;
	struct board *b = self->b;
	struct cast c = { .b = b, .xids = &xid, .nx = 1 };
	long long start[NR_RESOURCES];
	uint64_t f, bcaps, ccaps, umask;
	int i;

	cx_valid = all_caps();
	f = cx_valid & ~(CX_P | CX_T);
	ASSERT_EQ(CX_P | CX_T, cx_valid & (CX_P | CX_T));
	ASSERT_EQ(0, make_persistent(xid, 0));
	/* Every capability, as the test's bits ask, then CX_P away */
	ASSERT_EQ(0, ceiling_set(xid, ~0ULL, ~0ULL));
	ASSERT_EQ(0, ceiling_set(xid, 0, CX_P));
	read_usage(xid, start);
	__atomic_store_n(&b->phase, 1, __ATOMIC_RELEASE);

	for (i = 0; i < 3; i++)
		ASSERT_TRUE(spawn(&c, actor_executor));
	ASSERT_TRUE(spawn(&c, actor_toggler));
	ASSERT_TRUE(spawn(&c, actor_toggler));
	ASSERT_TRUE(spawn(&c, actor_visitor));
	ASSERT_TRUE(spawn(&c, actor_reader));
	let_run(&c, RUN_MS / 2);
	/* The setup ends: from now on bits only go. */
	ASSERT_EQ(0, end_setup(xid));
	__atomic_store_n(&b->phase, 2, __ATOMIC_RELEASE);
	let_run(&c, RUN_MS / 2);
	stop_actors(_metadata, &c);

	TH_LOG("%ld execs checked, %ld toggles (%ld refused), %ld entries, %ld reads",
	       counted(b, CX_EXECS), counted(b, CX_TOGGLES),
	       counted(b, CX_REFUSED), counted(b, CX_ENTRIES), counted(b, C_READS));
	expect_no_bad(_metadata, b);
	EXPECT_LT(0, counted(b, CX_EXECS));
	EXPECT_LT(0, counted(b, CX_ENTRIES));

	/* Take every toggled bit away: exactly F is left, for new programs too. */
	EXPECT_EQ(0, ceiling_set(xid, 0, CX_T));
	EXPECT_EQ(0, ccaps_set(xid, 0, CX_CCAPS));
	EXPECT_EQ(0, set_umask(xid, 0, CLONE_NEWUSER));
	EXPECT_EQ(-EPERM, ceiling_set(xid, CX_T, CX_T));
	ASSERT_EQ(0, ceiling_get(xid, &bcaps));
	ASSERT_EQ(0, get_ccaps(xid, &ccaps));
	ASSERT_EQ(0, get_umask(xid, &umask));
	EXPECT_EQ(f, bcaps & cx_valid);
	EXPECT_EQ(0ULL, ccaps);
	EXPECT_EQ(0ULL, umask);
	EXPECT_EQ(RPT_OK, report_now(xid, f, cx_valid & ~f));

	expect_counts_agree(_metadata, xid);
	drain(_metadata, &c);
	EXPECT_EQ(0, expect_counts_agree(_metadata, xid));
	expect_usage(_metadata, xid, start);
	end_persistent(xid);
	expect_gone(_metadata, xid);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * Waiters.  Each round a context is created with one task, its init,
 * whose children have come and gone.  Waiters in the host and spectators
 * block in wait_exit (the test makes sure they do), one of them is
 * killed while it waits, and more start just as the init exits: every
 * waiter that was blocked returns 0 with the init's exit code, and those
 * that started late either that or ESRCH.
 */

#define WX_XID		6040
#define WX_STEADY	6	/* blocked before the end: host and spectators */
#define WX_RACING	2	/* started as the end comes */
#define WX_WAITERS	(WX_STEADY + WX_RACING)
#define WX_ROUNDS	40

struct wx_result {
	long ret;
	int code;
};

struct wx_waiter {
	pid_t pid;
	int go;		/* the test writes a byte per round */
	int res;	/* the waiter answers with a struct wx_result */
};

static void wx_waiter_main(int go, int res, bool spectator)
{
	struct wx_result r;
	char c;

	if (spectator && migrate(VX_XID_SPECTATOR, 0) != VX_XID_SPECTATOR)
		_exit(1);
	while (read(go, &c, 1) == 1 && c == 'w') {
		r.code = -1;
		r.ret = wait_exit(WX_XID, &r.code);
		if (write(res, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	_exit(0);
}

static bool wx_start(struct wx_waiter *w, bool spectator)
{
	int go[2], res[2];

	if (pipe(go) || pipe(res))
		return false;
	w->pid = fork();
	if (w->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		close(res[0]);
		wx_waiter_main(go[0], res[1], spectator);
	}
	close(go[0]);
	close(res[1]);
	w->go = go[1];
	w->res = res[0];
	return w->pid > 0;
}

/* Is task @pid blocked in sys_vserver?  /proc/PID/syscall says. */
static bool in_vserver_call(pid_t pid)
{
	char path[64], text[128];

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	read_file(path, text, sizeof(text));
	return atoi(text) == VSERVER_NR_X86_64 && text[0] != 'r';
}

static bool wait_blocked(pid_t pid)
{
	long long end = now_ms() + SETTLE_MS;

	while (!in_vserver_call(pid)) {
		if (now_ms() > end)
			return false;
		usleep(2000);
	}
	return true;
}

/*
 * The init of a round: creates the context, has two children that exit,
 * says it is ready and exits with @code when told.
 */
static pid_t wx_init(int code, int *ready, int *go)
{
	int r[2], g[2];
	pid_t pid;
	char c;

	if (pipe(r) || pipe(g))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(r[0]);
		close(g[1]);
		if (create(WX_XID, VXF_INIT_SET) != WX_XID ||
		    set_flags(WX_XID, 0, VXF_STATE_INIT))
			_exit(100);
		if (fork() == 0)
			_exit(1);
		if (fork() == 0)
			_exit(2);
		while (wait(NULL) > 0)
			;
		if (write(r[1], "r", 1) != 1 || read(g[0], &c, 1) != 1)
			_exit(101);
		_exit(code);
	}
	close(r[1]);
	close(g[0]);
	*ready = r[0];
	*go = g[1];
	return pid;
}

TEST_F_TIMEOUT(race, many_waiters_see_the_last_task_exit, 90)
{
	struct wx_waiter w[WX_WAITERS];
	int i, round, ready, go, status, late = 0, blocked = 0;
	struct wx_result r;
	long long end;
	pid_t init, doomed;
	char c;

	for (i = 0; i < WX_WAITERS; i++)
		ASSERT_TRUE(wx_start(&w[i], i % 3 == 2));

	end = now_ms() + RUN_MS;
	for (round = 0; round < WX_ROUNDS && now_ms() < end; round++) {
		init = wx_init(round + 1, &ready, &go);
		ASSERT_LT(0, init);
		ASSERT_EQ(1, read(ready, &c, 1));
		ASSERT_EQ(1, ctx_tasks(WX_XID));

		for (i = 0; i < WX_STEADY; i++)
			ASSERT_EQ(1, write(w[i].go, "w", 1));
		doomed = fork();
		if (doomed == 0)
			_exit(wait_exit(WX_XID, NULL) == 0 ? 10 : 11);
		ASSERT_LT(0, doomed);
		for (i = 0; i < WX_STEADY; i++)
			ASSERT_TRUE(wait_blocked(w[i].pid));
		ASSERT_TRUE(wait_blocked(doomed));
		blocked += WX_STEADY;
		kill(doomed, SIGKILL);

		/* The racing waiters start, and the init exits. */
		for (i = WX_STEADY; i < WX_WAITERS; i++)
			ASSERT_EQ(1, write(w[i].go, "w", 1));
		ASSERT_EQ(1, write(go, "g", 1));
		close(go);
		close(ready);

		for (i = 0; i < WX_WAITERS; i++) {
			ASSERT_EQ((ssize_t)sizeof(r),
				  read(w[i].res, &r, sizeof(r)));
			if (i >= WX_STEADY && r.ret == -ESRCH) {
				late++;
				continue;
			}
			EXPECT_EQ(0, r.ret) {
				TH_LOG("round %d, waiter %d", round, i);
			}
			EXPECT_EQ((round + 1) << 8, r.code) {
				TH_LOG("round %d, waiter %d", round, i);
			}
		}
		ASSERT_EQ(doomed, waitpid(doomed, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		ASSERT_EQ(init, waitpid(init, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == round + 1);
		EXPECT_TRUE(context_gone(WX_XID));
		/* Orphans of the init's children, if any */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	TH_LOG("%d rounds, %d waits blocked before the end, %d late starts of %d",
	       round, blocked, late, round * WX_RACING);
	EXPECT_LE(3, round);

	/* Each waiter holds the pipes of those started before it: say quit. */
	for (i = 0; i < WX_WAITERS; i++) {
		EXPECT_EQ(1, write(w[i].go, "q", 1));
		close(w[i].go);
		close(w[i].res);
		EXPECT_EQ(w[i].pid, waitpid(w[i].pid, &status, 0));
		EXPECT_EQ(0, status);
	}
	expect_gone(_metadata, WX_XID);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * Everything at once on three contexts: creating (persistent or not, some
 * leaving setup at once), entering, exiting, forking inside, killing with
 * every signal form, waiting, changing flags, capabilities and limits,
 * resetting counters, and reading it all.
 */

/* Successes counted as attempts less failures, as in the enter race */
enum {
	AO_CREATES, AO_NOT_CREATED, AO_ENTRIES, AO_MISSED, AO_KILLS, AO_ENDS,
	AO_CHANGES, AO_REFUSED,
};

/* A task in a context: lives a little, with a child or two, and exits. */
static void ao_guest(void)
{
	int i, n = random() % 3;

	for (i = 0; i < n; i++)
		if (fork() == 0) {
			usleep(random() % 50000);
			_exit(0);
		}
	usleep(random() % 50000);
	while (wait(NULL) > 0)
		;
	_exit(0);
}

static void ao_child(struct board *b, const uint32_t *xids, int nx,
		     bool creator)
{
	uint32_t xid = pick(xids, nx);
	uint64_t flags = VXF_INIT_SET;
	long ret;

	if (creator) {
		if (random() % 2)
			flags |= VXF_PERSISTENT;
		bump(b, AO_CREATES);
		ret = create(xid, flags);
		if (ret == xid) {
			if (random() % 4 == 0)
				EXPECT_RET(b, "end of setup", end_setup(xid), 0);
			ao_guest();
		}
		EXPECT_RET(b, "ctx_create", ret, -EBUSY, -EEXIST);
		bump(b, AO_NOT_CREATED);
		_exit(0);
	}
	bump(b, AO_ENTRIES);
	ret = migrate(xid, 0);
	if (ret == 0)
		ao_guest();
	EXPECT_RET(b, "ctx_migrate", ret, -ESRCH);
	bump(b, AO_MISSED);
	_exit(0);
}

static void ao_spawner(struct board *b, const uint32_t *xids, int nx,
		       bool creator)
{
	int outstanding = 0, status;
	pid_t pid;

	while (running(b)) {
		if (outstanding < 3) {
			pid = fork();
			if (pid == 0)
				ao_child(b, xids, nx, creator);
			outstanding += pid > 0;
		}
		pid = waitpid(-1, &status, outstanding >= 3 ? 0 : WNOHANG);
		if (pid > 0) {
			judge_child(b, pid, status);
			outstanding--;
		}
		usleep(random() % 2000);
	}
	park(b);
}

static void actor_ao_creator(struct board *b, const uint32_t *xids, int nx)
{
	ao_spawner(b, xids, nx, true);
}

static void actor_ao_enterer(struct board *b, const uint32_t *xids, int nx)
{
	ao_spawner(b, xids, nx, false);
}

static void actor_ao_killer(struct board *b, const uint32_t *xids, int nx)
{
	static const int pids[] = { 0, -1, 1 };
	static const int sigs[] = { SIGKILL, SIGTERM, SIGUSR1, 0 };
	long ret;

	while (running(b)) {
		ret = kill_ctx(pick(xids, nx), pids[random() % 3],
			       sigs[random() % 4]);
		if (EXPECT_RET(b, "ctx_kill", ret, 0, -ESRCH) && !ret)
			bump(b, AO_KILLS);
		usleep(random() % 20000);
	}
	park(b);
}

static void actor_ao_waiter(struct board *b, const uint32_t *xids, int nx)
{
	long ret;

	while (running(b)) {
		ret = wait_exit(pick(xids, nx), NULL);
		if (EXPECT_RET(b, "wait_exit", ret, 0, -ESRCH) && !ret)
			bump(b, AO_ENDS);
		if (ret)
			usleep(random() % 5000);
	}
	park(b);
}

static void ao_change(struct board *b, uint32_t xid)
{
	static const uint64_t flags = VXF_PERSISTENT | VXF_HIDE_VINFO |
				      VXF_VIRT_UPTIME | VXF_STATE_INIT;
	long ret;

	switch (random() % 6) {
	case 0:
		ret = set_flags(xid, random() & flags, random() & flags);
		EXPECT_RET(b, "set_cflags", ret, 0, -ESRCH);
		break;
	case 1:
		/* Adding is refused past setup, removing never. */
		ret = ceiling_set(xid, random() & CX_T, CX_T);
		EXPECT_RET(b, "set_bcaps", ret, 0, -ESRCH, -EPERM);
		break;
	case 2:
		ret = ccaps_set(xid, random() & CX_CCAPS, CX_CCAPS);
		EXPECT_RET(b, "set_ccaps", ret, 0, -ESRCH, -EPERM);
		break;
	case 3:
		ret = set_limit(xid, RLIMIT_NPROC, CRLIM_INFINITY,
				CRLIM_INFINITY);
		if (!ret) {
			ret = set_limit(xid, RLIMIT_NPROC, 2 + random() % 8,
					10 + random() % 20);
			/* The context may end between the two. */
			EXPECT_RET(b, "set_rlimit nproc", ret, 0, -ESRCH);
		}
		EXPECT_RET(b, "set_rlimit", ret, 0, -ESRCH);
		break;
	case 4:
		ret = set_limit(xid, RLIMIT_NOFILE, CRLIM_KEEP,
				random() % 2 ? CRLIM_INFINITY : 1000);
		EXPECT_RET(b, "set_rlimit nofile", ret, 0, -ESRCH, -EINVAL);
		break;
	default:
		ret = vs_sys64(random() % 2 ? VCMD_reset_minmax :
			       VCMD_reset_hits, xid, NULL);
		EXPECT_RET(b, "reset", ret, 0, -ESRCH);
		break;
	}
	bump(b, ret ? AO_REFUSED : AO_CHANGES);
}

static void actor_ao_changer(struct board *b, const uint32_t *xids, int nx)
{
	while (running(b))
		ao_change(b, pick(xids, nx));
	park(b);
}

TEST_F_TIMEOUT(race, every_command_races_on_the_same_contexts, 90)
{
	static const uint32_t xids[] = { 6050, 6051, 6052 };
	struct board *b = self->b;
	struct cast c = {
		.b = b, .xids = xids, .nx = ARRAY_SIZE(xids),
		.end_contexts = true,
	};
	long long none[NR_RESOURCES] = { 0 };
	unsigned int i;
	int left = 0;

	ASSERT_TRUE(spawn(&c, actor_ao_creator));
	ASSERT_TRUE(spawn(&c, actor_ao_creator));
	ASSERT_TRUE(spawn(&c, actor_ao_enterer));
	ASSERT_TRUE(spawn(&c, actor_ao_enterer));
	ASSERT_TRUE(spawn(&c, actor_ao_killer));
	ASSERT_TRUE(spawn(&c, actor_ao_waiter));
	ASSERT_TRUE(spawn(&c, actor_ao_waiter));
	ASSERT_TRUE(spawn(&c, actor_ao_changer));
	ASSERT_TRUE(spawn(&c, actor_ao_changer));
	ASSERT_TRUE(spawn(&c, actor_reader));
	let_run(&c, RUN_MS * 5 / 3);
	stop_actors(_metadata, &c);
	drain(_metadata, &c);

	TH_LOG("%ld creations, %ld entries, %ld kills, %ld ends seen, %ld changes (%ld refused), %ld reads",
	       counted(b, AO_CREATES) - counted(b, AO_NOT_CREATED),
	       counted(b, AO_ENTRIES) - counted(b, AO_MISSED),
	       counted(b, AO_KILLS), counted(b, AO_ENDS),
	       counted(b, AO_CHANGES), counted(b, AO_REFUSED), counted(b, C_READS));
	expect_no_bad(_metadata, b);
	EXPECT_LT(0, counted(b, AO_CREATES) - counted(b, AO_NOT_CREATED));
	EXPECT_LT(0, counted(b, AO_ENTRIES) - counted(b, AO_MISSED));

	/*
	 * A context made persistent again after the stop may be left, empty:
	 * its counts agree and its usage is back to nothing.
	 */
	for (i = 0; i < ARRAY_SIZE(xids); i++) {
		if (ctx_tasks(xids[i]) < 0)
			continue;
		left++;
		EXPECT_EQ(0, expect_counts_agree(_metadata, xids[i]));
		expect_usage(_metadata, xids[i], none);
		end_persistent(xids[i]);
	}
	if (left)
		TH_LOG("%d contexts were left persistent", left);
	for (i = 0; i < ARRAY_SIZE(xids); i++)
		expect_gone(_metadata, xids[i]);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

/*
 * accept() and the NSOCK limit.  The connection an accept() returns
 * arrives when nothing can refuse it any more, so accept() takes its
 * place before it waits.  A socket made while it waits finds that place
 * taken and is refused; the connection then arrives within the limit,
 * and an accept() that fails gives its place back.
 */

#define AC_XID		6060
#define AC_LIMIT	2ULL

static void ac_address(struct sockaddr_un *addr, socklen_t *len)
{
	/* A path: the host may not reach a context's abstract sockets */
	static const char name[] = "/tmp/vserver-race-accept.sock";

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path, name, sizeof(name));
	*len = offsetof(struct sockaddr_un, sun_path) + sizeof(name);
}

/* Is task @pid blocked in accept() or accept4()? */
static bool in_accept(pid_t pid)
{
	char path[64], text[128];
	int nr;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	read_file(path, text, sizeof(text));
	nr = atoi(text);
	return text[0] != 'r' && (nr == __NR_accept || nr == __NR_accept4);
}

/*
 * In the context: listen on a socket of @type, and accept() there; answer
 * 0 or -errno on @out, then sleep until killed.  With @ready, also say
 * when listening, before accept().
 */
static void ac_accept(int out, int type, bool ready)
{
	struct sockaddr_un addr;
	socklen_t len;
	int s, ret;

	ac_address(&addr, &len);
	if (migrate(AC_XID, 0))
		_exit(1);
	s = socket(AF_UNIX, type, 0);
	unlink(addr.sun_path);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, len) || listen(s, 4))
		_exit(2);
	ret = 0;
	if (ready && write(out, &ret, sizeof(ret)) != sizeof(ret))
		_exit(3);
	ret = accept(s, NULL, NULL) < 0 ? -errno : 0;
	if (write(out, &ret, sizeof(ret)) != sizeof(ret))
		_exit(4);
	for (;;)
		pause();
}

/* Listens, says so, and accept() waits for a connection. */
static void ac_acceptor(int out)
{
	ac_accept(out, SOCK_STREAM, true);
}

/* accept() without waiting, with nothing to accept: it fails. */
static void ac_failing_acceptor(int out)
{
	ac_accept(out, SOCK_STREAM | SOCK_NONBLOCK, false);
}

/* In the context: open one socket, answer 0 or -errno, sleep. */
static void ac_taker(int out)
{
	int ret;

	if (migrate(AC_XID, 0))
		_exit(1);
	ret = socket(AF_UNIX, SOCK_DGRAM, 0) < 0 ? -errno : 0;
	if (write(out, &ret, sizeof(ret)) != sizeof(ret))
		_exit(4);
	for (;;)
		pause();
}

static pid_t ac_start(void (*fn)(int out), int *in)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		fn(fds[1]);
	}
	close(fds[1]);
	*in = fds[0];
	return pid;
}

TEST_F_TIMEOUT(race, an_accept_that_waits_stays_within_the_nsock_limit, 60)
{
	struct vcmd_rlimit_stat_v0 st;
	int acceptor_out, taker_out, ret, status, c;
	pid_t acceptor, taker;
	struct sockaddr_un addr;
	long long end;
	socklen_t len;

	ASSERT_EQ(0, make_persistent_past_setup(AC_XID));
	ASSERT_EQ(0, set_limit(AC_XID, VLIMIT_NSOCK, AC_LIMIT, AC_LIMIT));

	/*
	 * The listener takes the first place, and the accept() waiting for
	 * its connection the last one.
	 */
	acceptor = ac_start(ac_acceptor, &acceptor_out);
	ASSERT_LT(0, acceptor);
	ASSERT_EQ((ssize_t)sizeof(ret), read(acceptor_out, &ret, sizeof(ret)));
	end = now_ms() + SETTLE_MS;
	while (!in_accept(acceptor) && now_ms() < end)
		usleep(2000);
	ASSERT_TRUE(in_accept(acceptor));
	ASSERT_EQ((long long)AC_LIMIT, usage(AC_XID, VLIMIT_NSOCK));

	/* Another socket finds every place taken. */
	taker = ac_start(ac_taker, &taker_out);
	ASSERT_LT(0, taker);
	ASSERT_EQ((ssize_t)sizeof(ret), read(taker_out, &ret, sizeof(ret)));
	EXPECT_EQ(-ENOBUFS, ret);
	ASSERT_EQ((long long)AC_LIMIT, usage(AC_XID, VLIMIT_NSOCK));

	/* The host connects: the waiting accept() has its connection. */
	ac_address(&addr, &len);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&addr, len));
	ASSERT_EQ((ssize_t)sizeof(ret), read(acceptor_out, &ret, sizeof(ret)));
	TH_LOG("the waiting accept() returned %d (%s)", ret,
	       ret ? strerror(-ret) : "accepted");
	ASSERT_EQ(0, limit_stat(AC_XID, VLIMIT_NSOCK, &st));
	TH_LOG("NSOCK usage %llu, highest %llu, limit %llu, %u hits",
	       (unsigned long long)st.value, (unsigned long long)st.maximum,
	       AC_LIMIT, st.hits);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(AC_LIMIT, st.value);
	EXPECT_GE(AC_LIMIT, st.maximum);
	EXPECT_LE(1U, st.hits);

	close(c);
	kill(acceptor, SIGKILL);
	kill(taker, SIGKILL);
	EXPECT_EQ(acceptor, waitpid(acceptor, &status, 0));
	EXPECT_EQ(taker, waitpid(taker, &status, 0));
	close(acceptor_out);
	close(taker_out);

	/* An accept() that fails gives its place back: only its listener is left. */
	end = now_ms() + SETTLE_MS;
	while (usage(AC_XID, VLIMIT_NSOCK) && now_ms() < end)
		usleep(2000);
	ASSERT_EQ(0, usage(AC_XID, VLIMIT_NSOCK));
	acceptor = ac_start(ac_failing_acceptor, &acceptor_out);
	ASSERT_LT(0, acceptor);
	ASSERT_EQ((ssize_t)sizeof(ret), read(acceptor_out, &ret, sizeof(ret)));
	EXPECT_EQ(-EAGAIN, ret);
	end = now_ms() + SETTLE_MS;
	while (usage(AC_XID, VLIMIT_NSOCK) != 1 && now_ms() < end)
		usleep(2000);
	EXPECT_EQ(1, usage(AC_XID, VLIMIT_NSOCK));
	kill(acceptor, SIGKILL);
	EXPECT_EQ(acceptor, waitpid(acceptor, &status, 0));
	close(acceptor_out);

	end_persistent(AC_XID);
	expect_gone(_metadata, AC_XID);
	expect_globals_back(_metadata, &self->before);
	TH_LOG("%lld ms in all", now_ms() - self->b->born);
}

int main(int argc, char **argv)
{
	/* The execve race runs this program again to report its caps. */
	if (argc >= 2 && !strcmp(argv[1], EXEC_REPORT))
		return exec_report(argc, argv);
	return test_harness_run(argc, argv);
}
