// SPDX-License-Identifier: GPL-2.0-only
/*
 * vsfuzz: a structure-aware fuzzer of sys_vserver(cmd, id, data).
 *
 * Workers (forked processes, each restarted when it ends or is killed)
 * issue calls built from the command table in vsfuzz.h: known, mutated
 * and random command words; ids of the fuzzer's own contexts, of contexts
 * that do not exist and out-of-range ones; argument structures filled
 * with boundary values, flag bits and valid masks, then sometimes mutated;
 * and data pointers that are valid, misaligned, read-only, NULL, unmapped,
 * in kernel space, non-canonical, or a structure that straddles into an
 * unmapped page.  Every call goes through the 64-bit syscall or int 0x80.
 *
 * Workers take roles in turn: the host context (whose calls that may
 * move it run in a short-lived child), a context of their own still in
 * setup, one past setup, a spectator, a network context of their own (in
 * the host context), and (with more than one worker) a multi-threaded
 * process whose threads act at once.  Tasks in a context also make and
 * release the objects its limits count.
 *
 * Each result is checked against what the documentation allows: the
 * errors listed for the command, the order of the dispatcher's checks
 * (unknown command, permission, copy in, target), what is certain about
 * the caller's own context, that failed calls leave the structure alone
 * and that no call writes past its structure.  Valid probes follow every
 * burst of calls; a call that does not return within HANG_MS is a hang.
 * At the end every context the fuzzer made must be gone and the counters
 * of /proc/virtual back to where they started.
 *
 * Safety: the fuzzer never signals, changes or moves into a context or
 * network context it did not make, never names xid 0 in a command that
 * changes, signals or enters an existing context, and sends only signal 0
 * to pids it does not own.  It never makes a network context that would
 * stay persistent without NXF_STATE_ADMIN, which nothing could end.
 * Contexts of the fuzzer: xids 9000 to 9099 and dynamic ones; network
 * contexts: nids 9000 to 9099.
 * Each of the first NR_PRIVATE workers also has an xid that no one else
 * creates: when its ctx_create fails in entering the new context, the
 * xid must be free again afterwards.
 *
 * Output is TAP; the seed comes first and "--seed S --threads 1" replays
 * the same sequence of calls.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include "vsfuzz.h"

#define PAGE		4096u
#define SLACK		64u	/* bytes after a structure that must stay */
#define MAX_WORKERS	64
#define MT_THREADS	3	/* threads of a multi-threaded worker */
#define MAX_SLOTS	(MAX_WORKERS * MT_THREADS)
#define POOL_SIZE	8	/* static xids of the fuzzer */
#define POOL_FIRST	9000u
#define POOL_LAST	9099u
#define NR_PRIVATE	16	/* workers with a static xid of their own */
#define NR_FRESH	12	/* xids that exist nowhere at the start */
#define CREATED_RING	256
#define PROBE_EVERY	64	/* calls between two probes */
#define HANG_MS		30000	/* a call that takes longer hangs */
#define MAX_FAIL_LINES	100
#define FAIL_LOG	24
#define FAIL_LEN	640
#define JANITOR_CAP	40	/* fuzzer contexts before empty ones go */
#define JANITOR_NET_CAP	16	/* the same for network contexts */

/* Exit codes of a worker */
#define WX_RETIRED	0	/* did its share: next role */
#define WX_BUG		1	/* the fuzzer itself failed */
#define WX_DRIFTED	3	/* a host worker ended up in a context (when
				   it could not use a child) */
#define WX_NOROLE	4	/* could not take its role */

enum role { R_HOST, R_SETUP, R_ACTIVE, R_SPECTATOR, R_NET, R_MT, NR_ROLES };

static const char *const role_names[NR_ROLES] = {
	"host", "context in setup", "context past setup", "spectator",
	"network context", "multi-threaded",
};

enum entry { E64, E32, NR_ENTRIES };

static const char *const entry_names[NR_ENTRIES] = { "syscall", "int 0x80" };

/* Where the data pointer points */
enum pkind {
	PK_GOOD,	/* a buffer below 4 GiB */
	PK_HIGH,	/* a buffer anywhere (64-bit entry only) */
	PK_MISALIGNED,	/* a buffer at an odd address */
	PK_END,		/* a buffer that ends at the end of its page */
	PK_RO,		/* read-only memory */
	PK_STRADDLE,	/* crosses into an unmapped page */
	PK_NULL,
	PK_SMALL,	/* the first page */
	PK_UNMAPPED,	/* a PROT_NONE page */
	PK_KERNEL,	/* kernel space, or the end of 32-bit space */
	PK_NONCANON,	/* non-canonical, or across the end of user space */
	NR_PKINDS,
};

static const char *const pkind_names[NR_PKINDS] = {
	"good", "high", "misaligned", "page-end", "read-only", "straddle",
	"null", "small", "unmapped", "kernel", "noncanonical",
};

/* Results by errno, for the statistics */
static const int stat_errnos[] = {
	0, EPERM, ESRCH, EINTR, EFAULT, EBUSY, EEXIST, EINVAL, ENOSPC,
	ENOMEM, EACCES, EUSERS, EOPNOTSUPP, EAGAIN,
};

#define NR_STAT_ERRNOS	(sizeof(stat_errnos) / sizeof(stat_errnos[0]))
#define NR_RESULTS	(NR_STAT_ERRNOS + 1)	/* the last: any other */
#define CMD_UNKNOWN	VF_NR_CMDS		/* stats row of unknown words */

/* What a worker (thread) is doing, for the hang detector */
struct slot {
	int tid;
	int busy;
	uint64_t since_ms;
	uint64_t n;
	uint32_t cmd, id;
	int entry, pkind, widx, gen, tidx;
	uint64_t ptr;
	unsigned int len;
	unsigned char data[80];
	int reported;
};

/* Shared by the runner and every worker */
struct shared {
	int stop;
	uint64_t claimed;		/* generated calls so far */
	uint64_t calls[VF_NR_CMDS + 1][NR_RESULTS];
	uint64_t entry_calls[NR_ENTRIES];
	uint64_t role_calls[NR_ROLES];
	uint64_t caller_calls[3];	/* host, spectator, context */
	uint64_t pkind_calls[NR_PKINDS];
	uint64_t mutated, probes, probe_failures;
	uint64_t objects, refused;	/* see churn() */
	uint64_t failures, fail_lines;
	uint64_t sent_signals;		/* bit N: signal N may have been sent */
	uint32_t created[CREATED_RING];	/* dynamic xids the fuzzer made */
	uint32_t nr_created;
	int worker_pids[MAX_WORKERS];
	uint32_t live[MAX_SLOTS];	/* the context each thread is in */
	uint32_t live_nid[MAX_SLOTS];	/* the network context of each */
	uint32_t fail_count;
	char fail_log[FAIL_LOG][FAIL_LEN];
	struct slot slots[MAX_SLOTS];
};

/* Options and what the runner found at the start, read-only in workers */
static struct {
	uint64_t seed;
	unsigned int seconds;
	uint64_t iterations;
	unsigned int threads;
	bool verbose;
	bool have_int80;
	uint32_t vci;
	pid_t runner;
	uint32_t pool[POOL_SIZE];
	uint32_t private_xid[NR_PRIVATE];	/* only worker N creates it */
	uint32_t fresh[NR_FRESH];
	uint32_t foreign[16];	/* contexts that existed at the start */
	unsigned int nr_foreign;
	uint32_t nid_pool[POOL_SIZE];	/* nids of the fuzzer */
	uint32_t nid_fresh[NR_FRESH];	/* nids that exist nowhere at first */
	uint32_t nid_foreign[16];	/* network contexts at the start */
	unsigned int nr_nid_foreign;
	uintptr_t kernel32;	/* an unmapped address near 4 GiB, or 0 */
	uintptr_t usertop;	/* an address across the end of user space */
} opt;

static struct shared *sh;

/* Random numbers: splitmix64 over a counter */

struct rng {
	uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static uint64_t seed_of(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	return mix64(seed ^ mix64(a + 1) ^ mix64((b + 1) << 20) ^
		     mix64((c + 1) << 40));
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void add(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static const char *errname(int err)
{
	const char *name = err ? strerrorname_np(err) : "0";

	return name ? name : "E?";
}

/* Output: whole lines with one write(), safe from any worker */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void out(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

/* A worker thread */

struct fz {
	struct rng rng;
	int widx, gen, tidx;
	enum role role;
	bool mt;		/* others share its memory (threads, CLONE_VM) */
	uint32_t xid;		/* 0: host, 1: spectator, else its context */
	uint32_t nid;		/* 0: host, 1: spectator, else its nid */
	bool nid_left;		/* joined a namespace a space stored: its
				   network namespace may no longer be its
				   nid's, which may have ended */
	int tid;
	unsigned char *low;	/* 3 pages below 4 GiB: RW, none, RO */
	unsigned char *high;	/* 1 page anywhere */
	struct slot *slot;
	timer_t timer;
	uint64_t n;		/* calls of this thread */
	uint64_t budget;	/* calls before it retires */
	uint64_t drift_left;	/* calls left once it drifted */
	bool drifted;
	int fds[8];		/* files kept open, see churn() */
	unsigned int nfds;
	char tag[48];
};

/* One call, as built and as the kernel answered */
struct call {
	const struct vf_cmd *ci;	/* NULL: not a command of this kernel */
	uint32_t cmd, id;
	uint64_t cmd_hi, id_hi, ptr_hi;	/* garbage in the upper halves */
	enum entry entry;
	enum pkind pk;
	uintptr_t ptr;
	unsigned int size;		/* what the kernel copies */
	unsigned char arg[128];		/* the structure as generated */
	unsigned char *mem;		/* where it lies, if we can read it */
	unsigned int memlen;		/* size + slack that we can read */
	unsigned char before[128 + SLACK];
	bool mutated;
	bool fixed;			/* not generated: a role's own call */
	uint64_t n;			/* the thread's call number */
	long ret;
};

/* What the documentation makes certain about a call */
struct expect {
	int err;		/* this error and no other ... */
	int alt;		/* ... but this one, if set */
	int alt2;		/* ... or this one */
	bool ok;		/* must succeed */
	bool fail;		/* must fail */
	bool has_value;		/* a success returns @value */
	long value;
	const char *why;
};

static bool readable(enum pkind pk)
{
	return pk <= PK_RO;
}

static bool writable(enum pkind pk)
{
	return pk <= PK_END;
}

static unsigned int size_of(const struct vf_cmd *ci, enum entry e)
{
	if (!ci || !(ci->flags & (VF_IN | VF_OUT | VF_OPTIN)))
		return 0;
	return e == E32 ? ci->size32 : ci->size;
}

/* Describing calls */

static const char *cmd_name(const struct call *c)
{
	return c->ci ? c->ci->name : "unknown";
}

static int describe(char *buf, size_t len, const struct fz *f,
		    const struct call *c, bool with_result)
{
	int n, i;
	unsigned int show = c->size ? c->size : 0;
	char where[40], id[16], who[64];

	/* Our own buffers relative to their mapping: the same in a replay */
	if (c->ptr >= (uintptr_t)f->low && c->ptr < (uintptr_t)f->low + 3 * PAGE)
		snprintf(where, sizeof(where), "low+0x%x",
			 (unsigned int)(c->ptr - (uintptr_t)f->low));
	else if (c->ptr >= (uintptr_t)f->high &&
		 c->ptr < (uintptr_t)f->high + PAGE)
		snprintf(where, sizeof(where), "high+0x%x",
			 (unsigned int)(c->ptr - (uintptr_t)f->high));
	else
		snprintf(where, sizeof(where), "0x%" PRIxPTR, c->ptr);
	/* Pids differ from run to run: name them */
	snprintf(id, sizeof(id), "0x%08x", c->id);
	if (c->ci && (c->ci->cmd == VCMD_task_xid ||
		      c->ci->cmd == VCMD_task_nid) && c->id) {
		if (c->id == (uint32_t)f->tid)
			snprintf(id, sizeof(id), "tid");
		else if (c->id == (uint32_t)getpid())
			snprintf(id, sizeof(id), "pid");
		else if (c->id == (uint32_t)opt.runner)
			snprintf(id, sizeof(id), "runner");
		else
			for (i = 0; i < (int)opt.threads; i++)
				if (c->id == (uint32_t)sh->worker_pids[i])
					snprintf(id, sizeof(id), "worker%d", i);
	}
	/* The network context, when the thread is in one */
	if (f->nid)
		snprintf(who, sizeof(who), "%s/n%u", f->tag, f->nid);
	else
		snprintf(who, sizeof(who), "%s", f->tag);
	n = snprintf(buf, len,
		     "%s n=%" PRIu64 " %s %s cmd=0x%08x%s id=%s%s data=%s:%s%s%s",
		     who, f->n, entry_names[c->entry], cmd_name(c), c->cmd,
		     c->cmd_hi ? "+hi" : "", id, c->id_hi ? "+hi" : "",
		     pkind_names[c->pk], where, c->ptr_hi ? "+hi" : "",
		     c->mutated ? " mutated" : c->fixed ? " (role)" : "");
	if (show && c->mem && readable(c->pk)) {
		n += snprintf(buf + n, len - n, " {");
		for (i = 0; i < (int)show && (size_t)n < len - 4; i++)
			n += snprintf(buf + n, len - n, "%02x", c->before[i]);
		n += snprintf(buf + n, len - n, "}");
	} else if (show && c->pk == PK_STRADDLE) {
		n += snprintf(buf + n, len - n, " {");
		for (i = 0; i < (int)c->memlen && (size_t)n < len - 4; i++)
			n += snprintf(buf + n, len - n, "%02x", c->before[i]);
		n += snprintf(buf + n, len - n, "|}");
	}
	if (with_result && (size_t)n < len)
		n += snprintf(buf + n, len - n, " = %ld%s%s", c->ret,
			      c->ret < 0 ? " " : "",
			      c->ret < 0 ? errname((int)-c->ret) : "");
	return n;
}

static void failure(struct fz *f, const struct call *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void failure(struct fz *f, const struct call *c, const char *fmt, ...)
{
	char line[FAIL_LEN], why[256];
	uint32_t k;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (c) {
		describe(line, sizeof(line) - 1, f, c, true);
		size_t l = strlen(line);

		snprintf(line + l, sizeof(line) - l, ": %s", why);
	} else {
		snprintf(line, sizeof(line), "%s n=%" PRIu64 ": %s", f->tag,
			 f->n, why);
	}
	add(&sh->failures, 1);
	k = __atomic_fetch_add(&sh->fail_count, 1, __ATOMIC_RELAXED);
	if (k < FAIL_LOG)
		snprintf(sh->fail_log[k], FAIL_LEN, "%s", line);
	if (__atomic_fetch_add(&sh->fail_lines, 1, __ATOMIC_RELAXED) <
	    MAX_FAIL_LINES)
		out("# FAIL %s", line);
}

/* Values */

static const uint64_t edge64[] = {
	0, 1, 2, 3, 0x7f, 0xff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	0xfffffffffffffffeULL, 0xffffffffffffffffULL, 0x8000000000000001ULL,
	0xaaaaaaaaaaaaaaaaULL, 0x5555555555555555ULL,
};

static const uint32_t edge32[] = {
	0, 1, 2, 3, 63, 64, 65, 255, 256, 4096, 32767, 32768, 49151, 49152,
	65534, 65535, 65536, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe,
	0xffffffff, VF_PID_MAX_LIMIT, VF_PID_MAX_LIMIT + 1,
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t val64(struct fz *f)
{
	switch (below(&f->rng, 5)) {
	case 0:
		return edge64[below(&f->rng, NELEM(edge64))];
	case 1:
		return 1ULL << below(&f->rng, 64);
	case 2:
		return edge32[below(&f->rng, NELEM(edge32))];
	case 3:
		return rnd(&f->rng) & (rnd(&f->rng) | rnd(&f->rng));
	default:
		return rnd(&f->rng);
	}
}

static uint32_t val32(struct fz *f)
{
	switch (below(&f->rng, 4)) {
	case 0:
	case 1:
		return edge32[below(&f->rng, NELEM(edge32))];
	case 2:
		return 1u << below(&f->rng, 32);
	default:
		return (uint32_t)rnd(&f->rng);
	}
}

/* A mask around @valid: valid bits, a subset, one bit, or anything */
static uint64_t mask_around(struct fz *f, uint64_t valid)
{
	uint64_t bits;
	int b;

	switch (below(&f->rng, 9)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return valid;
	case 3:
	case 4:
		return valid & rnd(&f->rng);
	case 5:
		bits = valid;
		if (!bits)
			return 0;
		do
			b = below(&f->rng, 64);
		while (!(bits & (1ULL << b)));
		return 1ULL << b;
	case 6:
		return 1ULL << below(&f->rng, 64);
	case 7:
		return (valid & rnd(&f->rng)) | (1ULL << below(&f->rng, 64));
	default:
		return val64(f);
	}
}

/* Ids */

static uint32_t pool_xid(struct fz *f)
{
	return opt.pool[below(&f->rng, POOL_SIZE)];
}

static uint32_t created_xid(struct fz *f)
{
	uint32_t n = __atomic_load_n(&sh->nr_created, __ATOMIC_RELAXED);

	if (!n)
		return VX_XID_DYNAMIC;
	if (n > CREATED_RING)
		n = CREATED_RING;
	return __atomic_load_n(&sh->created[below(&f->rng, n)],
			       __ATOMIC_RELAXED);
}

static void note_created(uint32_t xid)
{
	uint32_t k = __atomic_fetch_add(&sh->nr_created, 1, __ATOMIC_RELAXED);

	__atomic_store_n(&sh->created[k % CREATED_RING], xid,
			 __ATOMIC_RELAXED);
}

/* The context of some thread of the fuzzer, or 0 */
static uint32_t live_xid(struct fz *f)
{
	unsigned int i = below(&f->rng, opt.threads * MT_THREADS);

	return __atomic_load_n(&sh->live[i], __ATOMIC_RELAXED);
}

/* The xid only this worker creates, or 0 */
static uint32_t private_xid(const struct fz *f)
{
	if (f->role == R_MT || f->widx >= NR_PRIVATE)
		return 0;
	return opt.private_xid[f->widx];
}

/* An id that names no context */
static uint32_t bad_xid(struct fz *f, bool allow_host)
{
	static const uint32_t bad[] = {
		1, 65536, 65537, 0x7fffffff, 0x10000, 0x7fff0000, 0x12345678,
	};
	uint32_t id;

	if (allow_host && chance(&f->rng, 20))
		return 0;
	if (chance(&f->rng, 50))
		return bad[below(&f->rng, NELEM(bad))];
	do
		id = (uint32_t)rnd(&f->rng) & 0x7fffffff;
	while (id <= VX_XID_MAX);
	return id;
}

/* An id with the top bit set: the caller's own context */
static uint32_t self_xid(struct fz *f)
{
	switch (below(&f->rng, 4)) {
	case 0:
		return VX_XID_SELF;
	case 1:
		return VX_XID_DYNAMIC;
	case 2:
		return 0x80000000u;
	default:
		return 0x80000000u | (uint32_t)rnd(&f->rng);
	}
}

static uint32_t pool_nid(struct fz *f)
{
	return opt.nid_pool[below(&f->rng, POOL_SIZE)];
}

static uint32_t fresh_nid(struct fz *f)
{
	return opt.nid_fresh[below(&f->rng, NR_FRESH)];
}

/* The network context of some thread of the fuzzer, or 0 */
static uint32_t live_nid(struct fz *f)
{
	unsigned int i = below(&f->rng, opt.threads * MT_THREADS);

	return __atomic_load_n(&sh->live_nid[i], __ATOMIC_RELAXED);
}

/*
 * The id of a network command.  Commands that change a network context
 * or move the caller name the fuzzer's own, ones that do not exist, or
 * ids that name none; net_create may name any id, since it fails on one
 * that exists.  Reading commands may name anything.
 */
static uint32_t gen_nid(struct fz *f, const struct vf_cmd *ci)
{
	uint32_t r = below(&f->rng, 100), live;

	if (ci->cmd == VCMD_net_create || ci->cmd == VCMD_net_create_v0) {
		if (r < 55)
			return pool_nid(f);
		if (r < 70)
			return fresh_nid(f);
		if (r < 75 && opt.nr_nid_foreign)
			return opt.nid_foreign[below(&f->rng,
						     opt.nr_nid_foreign)];
		if (r < 85)
			return bad_xid(f, true);
		return val32(f);
	}
	if (ci->flags & (VF_NENTER | VF_NCONFIG)) {
		if (ci->flags & VF_NENTER && r < 10)
			return VX_NID_WATCH;
		live = live_nid(f);
		if (r < 25 && live >= VX_XID_MIN)
			return live;
		if (r < 35)
			return f->nid >= VX_XID_MIN && chance(&f->rng, 50) ?
			       f->nid : self_xid(f);
		if (r < 70)
			return pool_nid(f);
		if (r < 85)
			return fresh_nid(f);
		return bad_xid(f, true);
	}
	/* Reading commands */
	if (r < 20)
		return f->nid >= VX_XID_MIN && chance(&f->rng, 50) ?
		       f->nid : self_xid(f);
	if (r < 45)
		return pool_nid(f);
	if (r < 55)
		return live_nid(f);
	if (r < 62 && opt.nr_nid_foreign)
		return opt.nid_foreign[below(&f->rng, opt.nr_nid_foreign)];
	if (r < 70)
		return fresh_nid(f);
	if (r < 80)
		return bad_xid(f, true);
	return val32(f);
}

/*
 * The id of a call.  Commands that change or signal a context, or move
 * the caller, only ever name contexts of the fuzzer, contexts that do not
 * exist, or ids that name no context, never the host (ctx_create may ask
 * for xid 0, which it must refuse with EINVAL before anything else).
 * Reading commands may name anything.
 */
static uint32_t gen_id(struct fz *f, const struct vf_cmd *ci)
{
	uint32_t r = below(&f->rng, 100), live;

	if (!ci)
		return chance(&f->rng, 50) ? val32(f) : pool_xid(f);
	if (ci->cmd == VCMD_get_version && chance(&f->rng, 30))
		return 63;	/* what util-vserver passes */
	if (ci->flags & (VF_NTARGET | VF_NENTER))
		return gen_nid(f, ci);
	if (ci->cmd == VCMD_task_xid || ci->cmd == VCMD_task_nid) {
		if (r < 20)
			return 0;
		if (r < 35)
			return f->tid;
		if (r < 45)
			return getpid();
		if (r < 55)
			return opt.runner;
		if (r < 70)
			return __atomic_load_n(
				&sh->worker_pids[below(&f->rng, opt.threads)],
				__ATOMIC_RELAXED);
		if (r < 80)
			return 1 + below(&f->rng, 4096);
		return val32(f);
	}
	if (ci->flags & VF_ENTER && (ci->cmd == VCMD_ctx_create ||
				     ci->cmd == VCMD_ctx_create_v0)) {
		if (r < 15 && private_xid(f))
			return private_xid(f);
		if (r < 50)
			return pool_xid(f);
		if (r < 75)
			return VX_XID_DYNAMIC;
		if (r < 80)
			return opt.fresh[below(&f->rng, NR_FRESH)];
		if (r < 85)
			return VX_XID_SELF;
		return bad_xid(f, true);
	}
	if (ci->flags & (VF_ENTER | VF_JOIN | VF_KILL | VF_CONFIG)) {
		if (ci->flags & VF_ENTER && r < 8)
			return VX_XID_SPECTATOR;
		live = live_xid(f);
		if (r < 20 && live >= VX_XID_MIN)
			return live;
		if (r < 25)
			return f->xid >= VX_XID_MIN && chance(&f->rng, 50) ?
			       f->xid : self_xid(f);
		if (r < 60)
			return pool_xid(f);
		if (r < 75)
			return created_xid(f);
		if (r < 85)
			return opt.fresh[below(&f->rng, NR_FRESH)];
		return bad_xid(f, false);
	}
	/* Reading commands */
	if (r < 20)
		return f->xid >= VX_XID_MIN && chance(&f->rng, 50) ?
		       f->xid : self_xid(f);
	if (r < 45)
		return pool_xid(f);
	if (r < 55)
		return created_xid(f);
	if (r < 62 && opt.nr_foreign)
		return opt.foreign[below(&f->rng, opt.nr_foreign)];
	if (r < 70)
		return opt.fresh[below(&f->rng, NR_FRESH)];
	if (r < 80)
		return bad_xid(f, true);
	return val32(f);
}

/* Command words */

static uint32_t gen_cmd(struct fz *f)
{
	uint32_t r = below(&f->rng, 100);
	uint32_t cmd = vf_cmds[below(&f->rng, VF_NR_CMDS)].cmd;

	if (r < 84)
		return cmd;
	if (r < 89) {
		uint32_t v = VC_VERSION(cmd);

		switch (below(&f->rng, 3)) {
		case 0:
			v++;
			break;
		case 1:
			v--;
			break;
		default:
			v = (uint32_t)rnd(&f->rng);
			break;
		}
		return (cmd & ~(uint32_t)VC_VER_MASK) | (v & VC_VER_MASK);
	}
	if (r < 92)
		return cmd ^ (1u << below(&f->rng, 32));
	if (r < 95)
		return vf_unimplemented[below(&f->rng, VF_NR_UNIMPLEMENTED)];
	if (r < 97)
		return cmd | ((uint32_t)rnd(&f->rng) & VC_CMD_RESERVED_BITS) |
		       0x1000;
	return (uint32_t)rnd(&f->rng);
}

/* Argument structures */

static void gen_name(struct fz *f, struct vcmd_vhi_name_v0 *v)
{
	static const char chars[] =
		"abcdefghijklmnopqrstuvwxyz0123456789-._ ABCXYZ";
	unsigned int len, i;

	switch (below(&f->rng, 7)) {
	case 0:
		len = 0;
		break;
	case 1:
		len = VHILEN - 1;	/* full length, still terminated */
		break;
	case 2:
		len = VHILEN;		/* not terminated */
		break;
	case 3:
		len = VHILEN - 2;
		break;
	default:
		len = below(&f->rng, VHILEN);
		break;
	}
	for (i = 0; i < len && i < VHILEN; i++)
		v->name[i] = chance(&f->rng, 90) ?
			     chars[below(&f->rng, sizeof(chars) - 1)] :
			     (char)(1 + below(&f->rng, 255));
	if (len < VHILEN)
		memset(v->name + len, chance(&f->rng, 80) ? 0 : 'x',
		       VHILEN - len);
	if (len < VHILEN)
		v->name[len] = 0;
	if (chance(&f->rng, 10))
		for (i = 0; i < sizeof(v->__pad); i++)
			v->__pad[i] = (uint8_t)rnd(&f->rng);
}

static uint32_t gen_field(struct fz *f)
{
	if (chance(&f->rng, 80))
		return below(&f->rng, VHIN_DOMAINNAME + 1);
	return chance(&f->rng, 50) ? VHIN_DOMAINNAME + 1 : val32(f);
}

static const uint32_t limit_ids[] = { 6, 7, 12, 16, 19, 20, 21 };

static uint32_t gen_limit_id(struct fz *f)
{
	if (chance(&f->rng, 70))
		return limit_ids[below(&f->rng, NELEM(limit_ids))];
	if (chance(&f->rng, 50))
		return below(&f->rng, 32);
	return val32(f);
}

static uint64_t gen_limit(struct fz *f)
{
	switch (below(&f->rng, 8)) {
	case 0:
		return CRLIM_KEEP;
	case 1:
	case 2:
		return CRLIM_INFINITY;
	case 3:
		return below(&f->rng, 4);
	case 4:
		return 16 + below(&f->rng, 4096);
	default:
		return val64(f);
	}
}

/* Signals of faults: the fuzzer never sends them */
static bool fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGSYS || sig == SIGTRAP ||
	       sig == SIGABRT;
}

/* A signal for ctx_kill: mostly harmless ones, sometimes any */
static int32_t gen_signal(struct fz *f)
{
	static const int32_t harmless[] = {
		0, 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, SIGALRM,
	};
	static const int32_t invalid[] = { -1, 65, 66, 128, INT_MAX, INT_MIN };
	uint32_t r = below(&f->rng, 100);

	if (r < 70)
		return harmless[below(&f->rng, NELEM(harmless))];
	if (r < 80)
		return invalid[below(&f->rng, NELEM(invalid))];
	if (r < 88)
		return SIGKILL;
	r = 1 + below(&f->rng, 64);
	/* Deaths by these must mean a real fault, see reap() */
	if (fault_signal((int)r))
		r = SIGTERM;
	return (int32_t)r;
}

static void gen_kill(struct fz *f, struct vcmd_ctx_kill_v0 *k)
{
	static const int32_t members[] = { 0, -1, 1 };
	static const int32_t others[] = { -2, INT_MIN, INT_MAX, 2, 4194305 };
	uint32_t r = below(&f->rng, 100);
	bool ours = true;

	if (r < 60) {
		k->pid = members[below(&f->rng, NELEM(members))];
	} else if (r < 75) {
		k->pid = __atomic_load_n(
			&sh->worker_pids[below(&f->rng, opt.threads)],
			__ATOMIC_RELAXED);
	} else if (r < 80) {
		k->pid = getpid();
	} else if (r < 85) {
		k->pid = opt.runner;
		ours = false;
	} else if (r < 92) {
		k->pid = others[below(&f->rng, NELEM(others))];
		ours = false;
	} else {
		k->pid = (int32_t)val32(f);
		ours = false;
	}
	k->sig = gen_signal(f);
	/* Pids that may not be ours get probes or invalid signals only. */
	if (!ours && k->sig > 0 && k->sig <= 64)
		k->sig = 0;
}

static uint64_t gen_create_flags(struct fz *f)
{
	static const uint64_t extra[] = {
		VXF_PERSISTENT, VXF_VIRT_UPTIME, VXF_HIDE_VINFO,
		VXF_INFO_PRIVATE,
	};
	uint64_t flags = VXF_INIT_SET;
	unsigned int i;

	switch (below(&f->rng, 10)) {
	case 0:
		return 1ULL << below(&f->rng, 64);
	case 1:
		return val64(f);
	case 2:
		return VF_VALID_FLAGS | (1ULL << below(&f->rng, 64));
	case 3:
		return VXF_INFO_PRIVATE | (rnd(&f->rng) & VF_VALID_FLAGS &
					   ~VXF_STATE_SETUP);
	case 4:
		flags = rnd(&f->rng) & VF_VALID_FLAGS;
		break;
	default:
		break;
	}
	for (i = 0; i < NELEM(extra); i++)
		if (chance(&f->rng, 20))
			flags |= extra[i];
	return flags;
}

static void gen_cflags(struct fz *f, struct vcmd_ctx_flags_v0 *v)
{
	static const uint64_t one_way[] = {
		VXF_STATE_SETUP, VXF_STATE_INIT, VXF_STATE_ADMIN, VXF_ONE_TIME,
	};

	switch (below(&f->rng, 8)) {
	case 0:		/* end a one-way state */
		v->mask = one_way[below(&f->rng, NELEM(one_way))];
		v->flagword = 0;
		break;
	case 1:		/* bring one back */
		v->mask = one_way[below(&f->rng, NELEM(one_way))];
		v->flagword = v->mask;
		break;
	case 2:		/* persistence */
		v->mask = VXF_PERSISTENT;
		v->flagword = chance(&f->rng, 50) ? VXF_PERSISTENT : 0;
		break;
	case 3:
		v->mask = mask_around(f, VF_VALID_FLAGS);
		v->flagword = mask_around(f, VF_VALID_FLAGS);
		break;
	case 4:		/* an unknown bit, inside or outside the mask */
		v->flagword = 1ULL << below(&f->rng, 64);
		v->mask = chance(&f->rng, 50) ? v->flagword : ~v->flagword;
		break;
	default:
		v->mask = val64(f);
		v->flagword = val64(f);
		break;
	}
}

/* Flags of a new network context: mostly the default, with extras */
static uint64_t gen_net_flags(struct fz *f)
{
	static const uint64_t extra[] = {
		NXF_PERSISTENT, NXF_INFO_PRIVATE, NXF_STATE_SETUP,
		NXF_SINGLE_IP, NXF_SC_HELPER,
	};
	uint64_t flags = NXF_INIT_SET;
	unsigned int i;

	switch (below(&f->rng, 10)) {
	case 0:
		return 1ULL << below(&f->rng, 64);
	case 1:
		return val64(f);
	case 2:
		flags = rnd(&f->rng) & VF_NXF_KNOWN;
		break;
	case 3:
		flags &= ~NXF_LBACK_REMAP;
		break;
	default:
		break;
	}
	for (i = 0; i < NELEM(extra); i++)
		if (chance(&f->rng, 15))
			flags |= extra[i];
	return flags;
}

static void gen_nflags(struct fz *f, struct vcmd_net_flags_v0 *v)
{
	static const uint64_t one_way[] = {
		NXF_STATE_SETUP, NXF_STATE_ADMIN, NXF_ONE_TIME,
	};

	switch (below(&f->rng, 8)) {
	case 0:		/* end a one-way state */
		v->mask = one_way[below(&f->rng, NELEM(one_way))];
		v->flagword = 0;
		break;
	case 1:		/* bring one back */
		v->mask = one_way[below(&f->rng, NELEM(one_way))];
		v->flagword = v->mask;
		break;
	case 2:
	case 3:		/* persistence */
		v->mask = NXF_PERSISTENT;
		v->flagword = chance(&f->rng, 50) ? NXF_PERSISTENT : 0;
		break;
	case 4:
		v->mask = mask_around(f, VF_NXF_KNOWN);
		v->flagword = mask_around(f, VF_NXF_KNOWN);
		break;
	case 5:		/* an unknown bit, inside or outside the mask */
		v->flagword = 1ULL << below(&f->rng, 64);
		v->mask = chance(&f->rng, 50) ? v->flagword : ~v->flagword;
		break;
	default:
		v->mask = val64(f);
		v->flagword = val64(f);
		break;
	}
}

/* A few addresses, so that entries meet again (EEXIST, ESRCH) */
static uint32_t gen_ip4(struct fz *f)
{
	static const char *const ips[] = {
		"10.90.0.1", "10.90.0.2", "10.90.0.255", "10.90.0.0",
		"0.0.0.0", "255.255.255.255", "127.0.0.1", "224.0.0.1",
		"255.255.255.0", "255.255.0.0",
	};
	struct in_addr a;

	if (chance(&f->rng, 15))
		return (uint32_t)rnd(&f->rng);
	inet_pton(AF_INET, ips[below(&f->rng, NELEM(ips))], &a);
	return a.s_addr;
}

static void gen_ip6(struct fz *f, uint8_t *out)
{
	static const char *const ips[] = {
		"fd90::1", "fd90::2", "fd90::", "::", "::1",
		"::ffff:10.90.0.1", "ff02::1", "ffff:ffff:ffff:ffff::",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	unsigned int i;

	if (chance(&f->rng, 15)) {
		for (i = 0; i < 16; i++)
			out[i] = (uint8_t)rnd(&f->rng);
		return;
	}
	inet_pton(AF_INET6, ips[below(&f->rng, NELEM(ips))], out);
}

static uint16_t gen_addr_type(struct fz *f)
{
	static const uint16_t types[] = {
		NXA_TYPE_ADDR, NXA_TYPE_ADDR, NXA_TYPE_MASK, NXA_TYPE_RANGE,
		NXA_TYPE_ANY, NXA_TYPE_ADDR | NXA_MOD_BCAST,
		NXA_TYPE_ADDR | NXA_MOD_LBACK, NXA_TYPE_IPV4,
		NXA_TYPE_IPV4 | NXA_MOD_BCAST, NXA_TYPE_IPV4 | NXA_MOD_LBACK,
		NXA_TYPE_IPV6, NXA_TYPE_NONE, NXA_TYPE_MASK | NXA_MOD_BCAST,
	};

	if (chance(&f->rng, 10))
		return (uint16_t)rnd(&f->rng);
	return types[below(&f->rng, NELEM(types))];
}

static uint16_t gen_addr_flags(struct fz *f)
{
	return chance(&f->rng, 90) ? 0 : (uint16_t)below(&f->rng, 4);
}

/* Fill the structure of @ci in @arg (the layout of @e) */
static void gen_struct(struct fz *f, const struct vf_cmd *ci, enum entry e,
		       unsigned char *arg)
{
	unsigned int i;

	/* Whatever the kernel should not read or should overwrite */
	for (i = 0; i < 128; i += 8) {
		uint64_t v = rnd(&f->rng);

		memcpy(arg + i, &v, 8);
	}
	if (!ci)
		return;
	switch (ci->cmd) {
	case VCMD_ctx_create: {
		struct vcmd_ctx_create v = { .flagword = gen_create_flags(f) };

		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_ctx_migrate: {
		static const uint64_t vxm[] = {
			0, VXM_SET_INIT, VXM_SET_REAPER,
			VXM_SET_INIT | VXM_SET_REAPER, 4,
		};
		struct vcmd_ctx_migrate v;

		v.flagword = chance(&f->rng, 80) ?
			     vxm[below(&f->rng, NELEM(vxm))] : val64(f);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_cflags: {
		struct vcmd_ctx_flags_v0 v;

		gen_cflags(f, &v);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_ctx_kill: {
		struct vcmd_ctx_kill_v0 v;

		gen_kill(f, &v);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_get_vhi_name:
	case VCMD_set_vhi_name: {
		struct vcmd_vhi_name_v0 v;

		memset(&v, 0, sizeof(v));
		v.field = gen_field(f);
		if (ci->cmd == VCMD_set_vhi_name)
			gen_name(f, &v);
		else if (chance(&f->rng, 50))
			memset(v.name, 'q', sizeof(v.name));
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_bcaps: {
		struct vcmd_bcaps v;

		switch (below(&f->rng, 4)) {
		case 0:		/* lower one capability */
			v.bmask = 1ULL << below(&f->rng, CAP_LAST_CAP + 1);
			v.bcaps = 0;
			break;
		case 1:		/* raise one */
			v.bmask = 1ULL << below(&f->rng, CAP_LAST_CAP + 1);
			v.bcaps = v.bmask;
			break;
		default:
			v.bmask = mask_around(f, VF_CAP_VALID);
			v.bcaps = mask_around(f, VF_CAP_VALID);
			break;
		}
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_ccaps: {
		struct vcmd_ctx_caps_v1 v;

		v.cmask = mask_around(f, VF_VALID_CCAPS);
		v.ccaps = mask_around(f, VF_VALID_CCAPS);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_umask: {
		static const uint64_t clones[] = {
			VF_CLONE_NEWUSER, 0x00020000, 0x04000000, 0x08000000,
			0x20000000, 0x40000000, 0x02000000, 0x00000080,
		};
		struct vcmd_umask v;

		v.mask = chance(&f->rng, 50) ?
			 clones[below(&f->rng, NELEM(clones))] :
			 mask_around(f, VF_CLONE_NEWUSER);
		v.umask = chance(&f->rng, 50) ? v.mask & VF_CLONE_NEWUSER :
			  mask_around(f, VF_CLONE_NEWUSER);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_get_rlimit:
	case VCMD_set_rlimit: {
		uint32_t id = gen_limit_id(f);
		uint64_t min = chance(&f->rng, 70) ? CRLIM_UNSET : val64(f);
		uint64_t soft = gen_limit(f), hard = gen_limit(f);

		if (chance(&f->rng, 60) && soft > hard &&
		    soft != CRLIM_KEEP && hard != CRLIM_KEEP) {
			uint64_t t = soft;

			soft = hard;
			hard = t;
		}
		if (e == E32) {
			struct vcmd_ctx_rlimit_v0_i386 v = {
				.id = id, .minimum = min,
				.softlimit = soft, .maximum = hard,
			};

			memcpy(arg, &v, sizeof(v));
		} else {
			struct vcmd_ctx_rlimit_v0 v;

			memcpy(&v, arg, sizeof(v));	/* random padding */
			v.id = id;
			v.minimum = min;
			v.softlimit = soft;
			v.maximum = hard;
			memcpy(arg, &v, sizeof(v));
		}
		break;
	}
	case VCMD_rlimit_stat: {
		uint32_t id = gen_limit_id(f);

		memcpy(arg, &id, sizeof(id));
		break;
	}
	case VCMD_set_badness: {
		static const int64_t bias[] = {
			0, 1, -1, 1000, -1000, 1001, -1001, INT64_MAX,
			INT64_MIN,
		};
		int64_t v = chance(&f->rng, 70) ?
			    bias[below(&f->rng, NELEM(bias))] :
			    (int64_t)val64(f);

		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_space:
	case VCMD_set_space_v1:
	case VCMD_enter_space:
	case VCMD_enter_space_v1: {
		/* The pad of v2 keeps the random fill: it is not looked at */
		uint64_t mask = chance(&f->rng, 25) ? 0 :
				mask_around(f, VF_SPACE_MASK);
		uint32_t index = chance(&f->rng, 85) ? below(&f->rng, 2) :
				 chance(&f->rng, 50) ? VX_SPACES : val32(f);

		memcpy(arg, &mask, sizeof(mask));
		if (ci->cmd == VCMD_set_space || ci->cmd == VCMD_enter_space)
			memcpy(arg + 8, &index, sizeof(index));
		break;
	}
	case VCMD_net_create: {
		struct vcmd_net_create v = { .flagword = gen_net_flags(f) };

		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_nflags: {
		struct vcmd_net_flags_v0 v;

		gen_nflags(f, &v);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_set_ncaps: {
		struct vcmd_net_caps_v0 v;

		v.cmask = mask_around(f, VF_NXC_KNOWN);
		v.ncaps = mask_around(f, VF_NXC_KNOWN);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_net_add:
	case VCMD_net_remove: {
		struct vcmd_net_addr_v0 v;

		memset(&v, 0, sizeof(v));
		v.type = gen_addr_type(f);
		v.count = chance(&f->rng, 80) ? 1 + below(&f->rng, 4) :
			  chance(&f->rng, 50) ? below(&f->rng, 8) :
			  (uint16_t)rnd(&f->rng);
		for (i = 0; i < NX_ADDR_V0_MAX; i++) {
			v.ip[i] = gen_ip4(f);
			v.mask[i] = gen_ip4(f);
		}
		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_net_add_ipv4_v1:
	case VCMD_net_rem_ipv4_v1: {
		struct vcmd_net_addr_ipv4_v1 v = {
			.type = gen_addr_type(f), .flags = gen_addr_flags(f),
			.ip = gen_ip4(f), .mask = gen_ip4(f),
		};

		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_net_add_ipv4:
	case VCMD_net_rem_ipv4: {
		struct vcmd_net_addr_ipv4_v2 v = {
			.type = gen_addr_type(f), .flags = gen_addr_flags(f),
			.ip = gen_ip4(f), .ip2 = gen_ip4(f), .mask = gen_ip4(f),
		};

		memcpy(arg, &v, sizeof(v));
		break;
	}
	case VCMD_net_add_ipv6:
	case VCMD_net_remove_ipv6: {
		struct vcmd_net_addr_ipv6_v1 v;

		memset(&v, 0, sizeof(v));
		v.type = gen_addr_type(f);
		v.flags = gen_addr_flags(f);
		v.prefix = chance(&f->rng, 80) ? below(&f->rng, 129) : val32(f);
		gen_ip6(f, v.ip);
		gen_ip6(f, v.mask);
		memcpy(arg, &v, sizeof(v));
		break;
	}
	default:	/* output only: the random fill stays */
		break;
	}
}

/*
 * No call may leave a network context persistent without
 * NXF_STATE_ADMIN: nothing could end it.  Applied after mutation; such
 * a structure is not placed in read-only memory, whose bytes are not the
 * fuzzer's to choose.
 */
static void keep_net_endable(struct call *c)
{
	uint64_t flags, mask;

	if (!c->ci || !c->size)
		return;
	switch (c->ci->cmd) {
	case VCMD_net_create:
		memcpy(&flags, c->arg, 8);
		if (flags & NXF_PERSISTENT)
			flags |= NXF_STATE_ADMIN;
		memcpy(c->arg, &flags, 8);
		break;
	case VCMD_set_nflags:
		memcpy(&flags, c->arg, 8);
		memcpy(&mask, c->arg + 8, 8);
		if ((mask & NXF_STATE_ADMIN) && !(flags & NXF_STATE_ADMIN)) {
			mask |= NXF_PERSISTENT;
			flags &= ~NXF_PERSISTENT;
		}
		memcpy(c->arg, &flags, 8);
		memcpy(c->arg + 8, &mask, 8);
		break;
	default:
		return;
	}
	if (c->pk == PK_RO)
		c->pk = PK_GOOD;
}

/* Sometimes damage the structure: flip bits, overwrite bytes */
static bool mutate(struct fz *f, unsigned char *arg, unsigned int size)
{
	unsigned int n, i;

	if (!size || !chance(&f->rng, 12))
		return false;
	if (chance(&f->rng, 20)) {
		for (i = 0; i < size; i++)
			arg[i] = (unsigned char)rnd(&f->rng);
		return true;
	}
	n = 1 + below(&f->rng, 4);
	while (n--) {
		i = below(&f->rng, size);
		switch (below(&f->rng, 4)) {
		case 0:
			arg[i] ^= 1u << below(&f->rng, 8);
			break;
		case 1:
			arg[i] = 0;
			break;
		case 2:
			arg[i] = 0xff;
			break;
		default:
			arg[i] = (unsigned char)rnd(&f->rng);
			break;
		}
	}
	return true;
}

/* Place the structure where the pointer kind says */
static void place(struct fz *f, struct call *c)
{
	static const uint64_t kernel64[] = {
		0xffffffff81000000ULL, 0xffff888000000000ULL,
		0xffffffffff600000ULL, 0xfffffffffffffff0ULL,
		0xffffffffffffffffULL, 0xffffc90000000000ULL,
	};
	static const uint64_t noncanon[] = {
		0x0000800000000000ULL, 0x8000000000000000ULL,
		0x00ff000000000000ULL, 0x7fff000000001000ULL,
	};
	unsigned int size = c->size, span = size + SLACK, off;
	unsigned char *page0 = f->low, *page2 = f->low + 2 * PAGE;
	enum pkind pk = c->pk;

	c->mem = NULL;
	c->memlen = 0;
	switch (pk) {
	case PK_GOOD:
		off = below(&f->rng, (PAGE - span) / 8) * 8;
		c->mem = page0 + off;
		c->memlen = span;
		break;
	case PK_HIGH:
		off = below(&f->rng, (PAGE - span) / 8) * 8;
		c->mem = f->high + off;
		c->memlen = span;
		break;
	case PK_MISALIGNED:
		off = below(&f->rng, (PAGE - span - 8) / 8) * 8 +
		      1 + below(&f->rng, 7);
		c->mem = page0 + off;
		c->memlen = span;
		break;
	case PK_END:
		c->mem = page0 + PAGE - size;
		c->memlen = size;
		break;
	case PK_RO:
		c->mem = page2 + below(&f->rng, PAGE - span);
		c->memlen = span;
		break;
	case PK_STRADDLE:
		/* 1 to size-1 bytes before the PROT_NONE page */
		off = size > 1 ? 1 + below(&f->rng, size - 1) : 1;
		c->mem = page0 + PAGE - off;
		c->memlen = off;
		break;
	case PK_NULL:
		c->ptr = 0;
		return;
	case PK_SMALL:
		c->ptr = 1 + below(&f->rng, PAGE - 1);
		return;
	case PK_UNMAPPED:
		c->ptr = (uintptr_t)(f->low + PAGE + below(&f->rng, PAGE));
		return;
	case PK_KERNEL:
		if (c->entry == E64)
			c->ptr = kernel64[below(&f->rng, NELEM(kernel64))];
		else if (opt.kernel32 && chance(&f->rng, 50))
			c->ptr = opt.kernel32 + below(&f->rng, 16);
		else
			c->ptr = (uintptr_t)(f->low + PAGE + PAGE - 8);
		return;
	case PK_NONCANON:
		if (opt.usertop && chance(&f->rng, 40))
			c->ptr = opt.usertop - below(&f->rng, 8);
		else
			c->ptr = noncanon[below(&f->rng, NELEM(noncanon))];
		return;
	default:
		return;
	}
	c->ptr = (uintptr_t)c->mem;
	if (pk != PK_RO)
		memcpy(c->mem, c->arg, c->memlen < size ? c->memlen : size);
	if (pk != PK_RO && c->memlen > size)
		memset(c->mem + size, 0xa5 ^ (c->n & 0xff), c->memlen - size);
	memcpy(c->before, c->mem, c->memlen);
}

static enum pkind gen_pkind(struct fz *f, enum entry e)
{
	static const struct {
		enum pkind pk;
		unsigned int weight;
	} w[] = {
		{ PK_GOOD, 52 }, { PK_HIGH, 8 }, { PK_MISALIGNED, 7 },
		{ PK_END, 5 }, { PK_RO, 4 }, { PK_STRADDLE, 8 },
		{ PK_NULL, 5 }, { PK_SMALL, 2 }, { PK_UNMAPPED, 3 },
		{ PK_KERNEL, 4 }, { PK_NONCANON, 2 },
	};
	uint32_t r = below(&f->rng, 100);
	unsigned int i;

	for (i = 0; i < NELEM(w); i++) {
		if (r < w[i].weight)
			break;
		r -= w[i].weight;
	}
	if (i == NELEM(w))
		i = 0;
	if (e == E32 && (w[i].pk == PK_HIGH || w[i].pk == PK_NONCANON))
		return PK_GOOD;
	return w[i].pk;
}

/* The expectations */

enum lookup { LK_FAIL, LK_OWN, LK_MAYBE };

static enum lookup lookup_of(const struct fz *f, uint32_t id)
{
	if (id & 0x80000000u)
		return f->xid >= VX_XID_MIN ? LK_OWN : LK_FAIL;
	if (id < VX_XID_MIN || id > VX_XID_MAX)
		return LK_FAIL;
	if (f->xid >= VX_XID_MIN)
		return id == f->xid ? LK_OWN : LK_FAIL;
	return LK_MAYBE;
}

/* How the lookup of a network context by @id ends for the caller */
static enum lookup nlookup_of(const struct fz *f, uint32_t id)
{
	if (id & 0x80000000u)
		return f->nid < VX_XID_MIN ? LK_FAIL :
		       f->nid_left ? LK_MAYBE : LK_OWN;
	if (id < VX_XID_MIN || id > VX_NID_MAX)
		return LK_FAIL;
	if (f->nid >= VX_XID_MIN)
		return id != f->nid ? LK_FAIL :
		       f->nid_left ? LK_MAYBE : LK_OWN;
	/* Without one: the host and spectators see every one */
	if (f->xid > VX_XID_SPECTATOR)
		return LK_FAIL;
	return LK_MAYBE;
}

/* Is @type one the address command @cmd takes? */
static bool addr_type_ok(uint32_t cmd, uint16_t type)
{
	switch (cmd) {
	case VCMD_net_add_ipv4:
		if (type == NXA_TYPE_RANGE)
			return true;
		/* fall through */
	case VCMD_net_add_ipv4_v1:
		return type == NXA_TYPE_ADDR || type == NXA_TYPE_MASK ||
		       type == (NXA_TYPE_ADDR | NXA_MOD_BCAST) ||
		       type == (NXA_TYPE_ADDR | NXA_MOD_LBACK);
	case VCMD_net_rem_ipv4_v1:
	case VCMD_net_rem_ipv4:
	case VCMD_net_remove_ipv6:
		return type == NXA_TYPE_ADDR || type == NXA_TYPE_ANY;
	case VCMD_net_add_ipv6:
		return type == NXA_TYPE_ADDR || type == NXA_TYPE_MASK;
	case VCMD_net_remove:
		return type == NXA_TYPE_ANY;
	default:
		return true;
	}
}

static void want_err(struct expect *e, int err, const char *why)
{
	if (!e->err) {
		e->err = err;
		e->why = why;
	}
}

/*
 * What the dispatcher and the handler make certain, in the documented
 * order: command, permission, copy in, target, the handler's own checks
 * of its arguments; and whether a success is possible at all.
 */
static struct expect predict(const struct fz *f, const struct call *c)
{
	const struct vf_cmd *ci = c->ci;
	struct expect e = { 0 };
	const unsigned char *a = c->mem ? c->before : NULL;
	bool admin = f->xid == VX_XID_HOST;
	bool in_ok = readable(c->pk), out_ok = writable(c->pk);
	enum lookup lk = LK_MAYBE;
	uint32_t u32;
	uint64_t u64, v64;

	if (!ci) {
		want_err(&e, EOPNOTSUPP, "not a command");
		return e;
	}
	if (ci->perm == VF_HOST && !admin)
		want_err(&e, EPERM, "host admin only");
	if (ci->perm == VF_SETUP && !admin && f->xid < VX_XID_MIN)
		want_err(&e, EPERM, "neither host admin nor in a context");
	if (ci->flags & VF_IN && !in_ok)
		want_err(&e, EFAULT, "input not readable");
	if (e.err)
		return e;
	if (ci->flags & VF_TARGET) {
		lk = lookup_of(f, c->id);
		if (lk == LK_FAIL)
			want_err(&e, ESRCH, "no such context for the caller");
	}
	if (ci->flags & VF_NTARGET) {
		lk = nlookup_of(f, c->id);
		if (lk == LK_FAIL)
			want_err(&e, ESRCH,
				 "no such network context for the caller");
	}
	if (e.err)
		return e;

	switch (ci->cmd) {
	case VCMD_get_version:
		e.ok = e.has_value = true;
		e.value = VCI_VERSION;
		break;
	case VCMD_get_vci:
		e.ok = e.has_value = true;
		e.value = opt.vci;
		break;
	case VCMD_get_rlimit_mask:
	case VCMD_get_space_mask:
	case VCMD_get_space_mask_v0:
	case VCMD_get_space_default:
		if (out_ok)
			e.ok = true;
		break;
	case VCMD_task_xid:
		if (c->id == 0 || c->id == (uint32_t)f->tid) {
			e.ok = e.has_value = true;
			e.value = f->xid;
		} else if (c->id > VF_PID_MAX_LIMIT) {
			want_err(&e, ESRCH, "no such pid");
		} else if (c->id == (uint32_t)opt.runner) {
			if (f->xid <= VX_XID_SPECTATOR) {
				e.ok = e.has_value = true;
				e.value = VX_XID_HOST;
			} else {
				want_err(&e, ESRCH, "the host is hidden");
			}
		}
		break;
	case VCMD_task_nid:
		if (c->id == 0 || c->id == (uint32_t)f->tid) {
			e.ok = true;
			e.has_value = !f->nid_left;
			e.value = f->nid;
		} else if (c->id > VF_PID_MAX_LIMIT) {
			want_err(&e, ESRCH, "no such pid");
		} else if (c->id == (uint32_t)opt.runner) {
			if (f->xid <= VX_XID_SPECTATOR) {
				e.ok = e.has_value = true;
				e.value = 0;
			} else {
				want_err(&e, ESRCH, "the host is hidden");
			}
		}
		break;
	case VCMD_nx_info:
	case VCMD_get_nflags:
	case VCMD_get_ncaps:
		if (lk == LK_OWN && out_ok)
			e.ok = true;
		break;
	case VCMD_net_create:
	case VCMD_net_create_v0:
		/* v1 reads its flags first, unless the pointer is NULL */
		if (ci->cmd == VCMD_net_create && c->pk != PK_NULL && !in_ok) {
			want_err(&e, EFAULT, "flags not readable");
		} else if (c->id < VX_XID_MIN || c->id > VX_NID_MAX) {
			want_err(&e, EINVAL, "nid out of range");
		} else {
			e.has_value = true;
			e.value = c->id;
		}
		break;
	case VCMD_net_migrate:
		if (c->id == VX_NID_WATCH) {
			e.ok = e.has_value = true;
			e.value = VX_NID_WATCH;
		} else if (c->id < VX_XID_MIN || c->id > VX_NID_MAX) {
			want_err(&e, ESRCH, "nid out of range");
		} else {
			e.has_value = true;
			e.value = 0;
		}
		break;
	case VCMD_net_add: {
		uint16_t type, count;

		memcpy(&type, a, 2);
		memcpy(&count, a + 2, 2);
		if (type == (NXA_TYPE_IPV4 | NXA_MOD_BCAST) ||
		    type == (NXA_TYPE_IPV4 | NXA_MOD_LBACK)) {
			e.has_value = true;
			e.value = 1;
		} else if (type != NXA_TYPE_IPV4 || count < 1 ||
			   count > NX_ADDR_V0_MAX) {
			want_err(&e, EINVAL, "bad type or count");
		} else {
			e.has_value = true;
			e.value = count;
		}
		break;
	}
	case VCMD_net_remove:
	case VCMD_net_add_ipv4_v1:
	case VCMD_net_rem_ipv4_v1:
	case VCMD_net_add_ipv4:
	case VCMD_net_rem_ipv4:
	case VCMD_net_add_ipv6:
	case VCMD_net_remove_ipv6: {
		uint16_t type;

		memcpy(&type, a, 2);
		if (!addr_type_ok(ci->cmd, type))
			want_err(&e, EINVAL, "bad address type");
		break;
	}
	case VCMD_vx_info:
	case VCMD_ctx_stat:
	case VCMD_get_cflags:
	case VCMD_get_bcaps:
	case VCMD_get_ccaps:
	case VCMD_get_umask:
	case VCMD_virt_stat:
	case VCMD_get_badness:
		if (lk == LK_OWN && out_ok)
			e.ok = true;
		break;
	case VCMD_ctx_create:
	case VCMD_ctx_create_v0:
		u64 = VXF_INIT_SET;
		if (ci->cmd == VCMD_ctx_create)
			memcpy(&u64, a, 8);
		if (c->id != VX_XID_DYNAMIC &&
		    (c->id < VX_XID_MIN || c->id > VX_XID_MAX))
			want_err(&e, EINVAL, "xid out of range");
		else if (u64 & ~VF_VALID_FLAGS)
			want_err(&e, EINVAL, "unknown flag");
		else if ((u64 & VXF_INFO_PRIVATE) && !(u64 & VXF_STATE_SETUP))
			want_err(&e, EACCES, "private without setup");
		break;
	case VCMD_ctx_migrate:
	case VCMD_ctx_migrate_v0:
		u64 = 0;
		if (ci->cmd == VCMD_ctx_migrate)
			memcpy(&u64, a, 8);
		if (u64 & ~(uint64_t)(VXM_SET_INIT | VXM_SET_REAPER)) {
			want_err(&e, EINVAL, "unknown VXM flag");
		} else if (c->id == VX_XID_SPECTATOR) {
			e.has_value = true;
			e.value = VX_XID_SPECTATOR;
		} else if (c->id < VX_XID_MIN || c->id > VX_XID_MAX) {
			want_err(&e, ESRCH, "xid out of range");
		}
		break;
	case VCMD_set_cflags:
		memcpy(&u64, a, 8);
		memcpy(&v64, a + 8, 8);
		if (u64 & v64 & ~VF_VALID_FLAGS)
			want_err(&e, EINVAL, "unknown flag to set");
		break;
	case VCMD_ctx_kill: {
		int32_t pid, sig;

		memcpy(&pid, a, 4);
		memcpy(&sig, a + 4, 4);
		if (sig < 0 || sig > 64)
			want_err(&e, EINVAL, "invalid signal");
		else if (pid < -1)
			want_err(&e, ESRCH, "no such pid");
		break;
	}
	case VCMD_wait_exit:
		if (lk == LK_OWN)
			want_err(&e, EINTR, "own context cannot end");
		break;
	case VCMD_get_vhi_name:
		memcpy(&u32, a, 4);
		if (u32 > VHIN_DOMAINNAME)
			want_err(&e, EINVAL, "unknown name field");
		else if (lk == LK_OWN && out_ok)
			e.ok = true;
		break;
	case VCMD_set_vhi_name:
		memcpy(&u32, a, 4);
		if (u32 > VHIN_DOMAINNAME)
			want_err(&e, EINVAL, "unknown name field");
		else if (!memchr(a + 4, 0, VHILEN))
			want_err(&e, EINVAL, "name not terminated");
		break;
	case VCMD_set_ccaps:
		memcpy(&u64, a, 8);
		memcpy(&v64, a + 8, 8);
		if (u64 & v64 & ~VF_VALID_CCAPS)
			want_err(&e, EINVAL, "unknown ccap to set");
		break;
	case VCMD_set_umask:
		memcpy(&u64, a, 8);
		memcpy(&v64, a + 8, 8);
		if (u64 & v64 & ~VF_CLONE_NEWUSER)
			want_err(&e, EINVAL, "unknown umask bit to set");
		break;
	case VCMD_set_space:
	case VCMD_set_space_v1:
		/*
		 * The permission to configure is checked first: only the
		 * host's administrator certainly gets as far as the mask.
		 */
		memcpy(&u64, a, 8);
		u32 = 0;
		if (ci->cmd == VCMD_set_space)
			memcpy(&u32, a + 8, 4);
		if (admin && (u32 >= VX_SPACES || (u64 & ~VF_SPACE_MASK)))
			want_err(&e, EINVAL, "bad space index or mask");
		break;
	case VCMD_get_rlimit:
	case VCMD_set_rlimit:
	case VCMD_rlimit_stat:
		memcpy(&u32, a, 4);
		if (u32 >= 32 || !(VF_LIMIT_MASK & (1u << u32)))
			want_err(&e, EINVAL, "unknown limit");
		else if (ci->cmd != VCMD_set_rlimit && lk == LK_OWN && out_ok)
			e.ok = true;
		break;
	default:
		break;
	}
	if (!e.err && ci->flags & VF_OUT && !out_ok) {
		e.fail = true;
		e.ok = false;
	}
	/*
	 * The target is looked up before the handler runs: if it may not
	 * exist, ESRCH comes first, and a success is not certain.  A network
	 * context may have lost NXF_STATE_ADMIN: EACCES comes next.
	 */
	if (lk == LK_MAYBE && ci->flags & (VF_TARGET | VF_NTARGET)) {
		if (e.err)
			e.alt = ESRCH;
		e.ok = false;
	}
	if (ci->flags & VF_NCONFIG && e.err == EINVAL)
		e.alt2 = EACCES;
	return e;
}

static bool documented(const struct fz *f, const struct vf_cmd *ci, int err)
{
	unsigned int i;

	if (!ci)
		return err == EOPNOTSUPP;
	for (i = 0; i < VF_MAX_ERRS && ci->errs[i]; i++)
		if (ci->errs[i] == err)
			return true;
	/*
	 * A task that shares its memory (threads, a CLONE_VM child) cannot
	 * enter a context with virtual uptime.
	 */
	return err == EUSERS && (ci->flags & VF_ENTER) && f->mt;
}

/* The contents of a structure written on success */
static void check_output(struct fz *f, const struct call *c)
{
	const unsigned char *m = c->mem;
	struct vcmd_vhi_name_v0 vn;
	uint64_t a, b;
	uint32_t x, y;

	switch (c->ci->cmd) {
	case VCMD_get_rlimit_mask: {
		struct vcmd_ctx_rlimit_mask_v0 v;

		memcpy(&v, m, sizeof(v));
		if (v.minimum || v.softlimit != VF_LIMIT_MASK ||
		    v.maximum != VF_LIMIT_MASK)
			failure(f, c, "rlimit mask %#x/%#x/%#x", v.minimum,
				v.softlimit, v.maximum);
		break;
	}
	case VCMD_get_space_mask:
	case VCMD_get_space_mask_v0:
	case VCMD_get_space_default:
		memcpy(&a, m, 8);
		b = c->ci->cmd == VCMD_get_space_mask ? VF_SPACE_MASK :
		    c->ci->cmd == VCMD_get_space_mask_v0 ? VF_SPACE_MASK_V0 :
		    VF_SPACE_DEFAULT;
		if ((a & ~b) || (a & VF_CLONE_FS_NS) != VF_CLONE_FS_NS)
			failure(f, c, "space mask %#" PRIx64, a);
		break;
	case VCMD_virt_stat: {
		struct vcmd_virt_stat_v0 vs;

		memcpy(&vs, m, sizeof(vs));
		if (vs.nr_onhold || vs.load[0] || vs.load[1] || vs.load[2] ||
		    vs.nr_running > vs.nr_threads ||
		    vs.nr_uninterruptible > vs.nr_threads)
			failure(f, c, "virt_stat threads %u running %u D %u "
				"onhold %u load %u/%u/%u", vs.nr_threads,
				vs.nr_running, vs.nr_uninterruptible,
				vs.nr_onhold, vs.load[0], vs.load[1],
				vs.load[2]);
		if (lookup_of(f, c->id) == LK_OWN && !vs.nr_threads)
			failure(f, c, "own context without threads");
		break;
	}
	case VCMD_vx_info:
		memcpy(&x, m, 4);
		y = (c->id & 0x80000000u) ? f->xid : c->id;
		if (x != y)
			failure(f, c, "vx_info says xid %u, want %u", x, y);
		break;
	case VCMD_ctx_stat:
		memcpy(&x, m, 4);
		memcpy(&y, m + 4, 4);
		if (x < y + 1)
			failure(f, c, "usecnt %u below tasks %u + 1", x, y);
		if (lookup_of(f, c->id) == LK_OWN && !y)
			failure(f, c, "own context without tasks");
		break;
	case VCMD_get_cflags:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (a & ~VF_VALID_FLAGS)
			failure(f, c, "flags %#" PRIx64 " beyond the valid ones",
				a);
		if (b != ~(VXF_ONE_TIME & ~a))
			failure(f, c, "mask %#" PRIx64 " for flags %#" PRIx64,
				b, a);
		break;
	case VCMD_get_bcaps:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (b != ~0ULL || (a & ~VF_CAP_VALID))
			failure(f, c, "bcaps %#" PRIx64 " mask %#" PRIx64, a,
				b);
		break;
	case VCMD_get_ccaps:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (b != ~0ULL || (a & ~VF_VALID_CCAPS))
			failure(f, c, "ccaps %#" PRIx64 " mask %#" PRIx64, a,
				b);
		break;
	case VCMD_get_umask:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (b != ~0ULL || (a & ~VF_CLONE_NEWUSER))
			failure(f, c, "umask %#" PRIx64 " mask %#" PRIx64, a,
				b);
		break;
	case VCMD_wait_exit:
		memcpy(&x, m, 4);
		if (x)
			failure(f, c, "reboot_cmd %u", x);
		break;
	case VCMD_nx_info:
		memcpy(&x, m, 4);
		y = (c->id & 0x80000000u) ? f->nid : c->id;
		if (x != y)
			failure(f, c, "nx_info says nid %u, want %u", x, y);
		break;
	case VCMD_get_nflags:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (b != ~(NXF_ONE_TIME & ~a))
			failure(f, c, "mask %#" PRIx64 " for network flags %#"
				PRIx64, b, a);
		break;
	case VCMD_get_ncaps:
		memcpy(&a, m, 8);
		memcpy(&b, m + 8, 8);
		if (b != ~0ULL)
			failure(f, c, "ncaps %#" PRIx64 " mask %#" PRIx64, a, b);
		break;
	case VCMD_get_vhi_name: {
		const char *nul;

		memcpy(&vn, m, sizeof(vn));
		memcpy(&x, c->before, 4);
		nul = memchr(vn.name, 0, VHILEN);
		if (vn.field != x)
			failure(f, c, "field changed to %u", vn.field);
		else if (!nul)
			failure(f, c, "name not terminated");
		else if (vn.__pad[0] | vn.__pad[1] | vn.__pad[2])
			failure(f, c, "padding not zero");
		else
			for (; nul < vn.name + VHILEN; nul++)
				if (*nul) {
					failure(f, c, "garbage after the name");
					break;
				}
		break;
	}
	case VCMD_get_rlimit: {
		uint64_t min;

		memcpy(&x, m, 4);
		memcpy(&min, m + (c->entry == E32 ? 4 : 8), 8);
		memcpy(&y, c->before, 4);
		if (x != y || min != CRLIM_UNSET)
			failure(f, c, "rlimit id %u (want %u) minimum %#" PRIx64,
				x, y, min);
		break;
	}
	case VCMD_rlimit_stat: {
		struct vcmd_rlimit_stat_v0 st;

		memcpy(&st, m, sizeof(st));
		memcpy(&y, c->before, 4);
		if (st.id != y)
			failure(f, c, "rlimit_stat id %u, want %u", st.id, y);
		break;
	}
	default:
		break;
	}
}

/* Check the result of a call against what is documented and certain */
static void check(struct fz *f, const struct call *c)
{
	const struct vf_cmd *ci = c->ci;
	struct expect e = predict(f, c);
	long ret = c->ret;
	int err = ret < 0 ? (int)-ret : 0;
	bool whole_ok = false, beyond_ok = true;
	unsigned int size = c->size;
	struct vcmd_ctx_stat_v0 st;

	if (!ci) {
		if (ret != -EOPNOTSUPP)
			failure(f, c, "want EOPNOTSUPP (not a command)");
		if (c->mem && c->pk != PK_STRADDLE &&
		    memcmp(c->mem, c->before, c->memlen))
			failure(f, c, "unknown command wrote to memory");
		return;
	}
	if (ret < 0) {
		if (!documented(f, ci, err))
			failure(f, c, "undocumented errno %s", errname(err));
		else if (e.err && err != e.err && err != e.alt &&
			 err != e.alt2)
			failure(f, c, "want %s%s%s%s%s (%s)", errname(e.err),
				e.alt ? " or " : "",
				e.alt ? errname(e.alt) : "",
				e.alt2 ? " or " : "",
				e.alt2 ? errname(e.alt2) : "", e.why);
		else if (e.ok)
			failure(f, c, "want success");
		else if (err == EFAULT && size &&
			 (!(ci->flags & (VF_IN | VF_OPTIN)) ||
			  readable(c->pk) ||
			  (ci->flags & VF_OPTIN && c->pk == PK_NULL)) &&
			 (!(ci->flags & VF_OUT) || writable(c->pk)))
			failure(f, c, "EFAULT with a valid pointer");
		whole_ok = err != EFAULT;
		/*
		 * A failed ctx_create makes nothing.  EUSERS comes from
		 * entering, after the new context was made: the xid was
		 * free, and only this worker creates it (private_xid()).
		 */
		if ((ci->cmd == VCMD_ctx_create ||
		     ci->cmd == VCMD_ctx_create_v0) &&
		    c->id == private_xid(f) && c->id && err == EUSERS &&
		    f->xid == VX_XID_HOST &&
		    vf_sys64(VCMD_ctx_stat, c->id, (uintptr_t)&st, 0, 0, 0) == 0)
			failure(f, c, "failed, yet context %u is there now",
				c->id);
	} else {
		if (e.err)
			failure(f, c, "want %s (%s), got success",
				errname(e.err), e.why);
		else if (e.fail)
			failure(f, c, "success with an unwritable pointer");
		else if (e.has_value && ret != e.value)
			failure(f, c, "want %ld", e.value);
		whole_ok = !(ci->flags & VF_OUT);
		if (ci->flags & VF_OUT && c->mem && writable(c->pk))
			check_output(f, c);
		switch (ci->cmd) {
		case VCMD_ctx_create:
		case VCMD_ctx_create_v0:
			if (c->id == VX_XID_DYNAMIC ?
			    ret < VF_DYNAMIC_MIN || ret > VX_XID_MAX :
			    ret != c->id)
				failure(f, c, "created the wrong xid");
			break;
		case VCMD_ctx_migrate:
		case VCMD_ctx_migrate_v0:
			if (ret != (c->id == VX_XID_SPECTATOR))
				failure(f, c, "migrate returned %ld", ret);
			break;
		case VCMD_task_xid:
			if (ret > VX_XID_MAX)
				failure(f, c, "xid out of range");
			break;
		case VCMD_task_nid:
			if (ret > VX_NID_MAX)
				failure(f, c, "nid out of range");
			break;
		case VCMD_net_create:
		case VCMD_net_create_v0:
			if (ret != c->id)
				failure(f, c, "created the wrong nid");
			break;
		case VCMD_net_migrate:
			if (ret != (c->id == VX_NID_WATCH))
				failure(f, c, "net_migrate returned %ld", ret);
			break;
		case VCMD_net_add:
			if (ret < 1 || ret > NX_ADDR_V0_MAX)
				failure(f, c, "net_add returned %ld", ret);
			break;
		case VCMD_get_version:
		case VCMD_get_vci:
			break;
		default:
			if (ret)
				failure(f, c, "returned %ld, want 0", ret);
			break;
		}
	}

	/* Memory: nothing past the structure; nothing at all on failure */
	if (c->mem && c->memlen > size && c->pk != PK_STRADDLE)
		beyond_ok = !memcmp(c->mem + size, c->before + size,
				    c->memlen - size);
	if (!beyond_ok)
		failure(f, c, "wrote past the %u-byte structure", size);
	else if (whole_ok && c->mem &&
		 memcmp(c->mem, c->before,
			c->memlen < size ? c->memlen : size))
		failure(f, c, ret < 0 ? "failed call changed the structure" :
				      "input-only structure changed");
}

/* Issuing calls */

static void arm_timer(struct fz *f, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_nsec = 20 * 1000 * 1000;
		its.it_interval.tv_nsec = 20 * 1000 * 1000;
	}
	timer_settime(f->timer, 0, &its, NULL);
}

static void issue(struct fz *f, struct call *c)
{
	struct slot *s = f->slot;
	uint64_t cmd = c->cmd | (c->cmd_hi << 32);
	uint64_t id = c->id | (c->id_hi << 32);
	bool block = c->ci && (c->ci->flags & VF_BLOCK);
	uint64_t g = rnd(&f->rng);

	s->n = f->n;
	s->cmd = c->cmd;
	s->id = c->id;
	s->entry = c->entry;
	s->pkind = c->pk;
	s->ptr = c->ptr;
	s->len = c->memlen < sizeof(s->data) ? c->memlen : sizeof(s->data);
	memcpy(s->data, c->before, s->len);
	__atomic_store_n(&s->since_ms, now_ms(), __ATOMIC_RELEASE);
	__atomic_store_n(&s->busy, 1, __ATOMIC_RELEASE);

	if (block)
		arm_timer(f, true);
	if (c->entry == E64)
		c->ret = vf_sys64(cmd, id, c->ptr, g, ~g, g ^ 0x5a5a5a5a);
	else
		c->ret = vf_sys32(cmd, id, c->ptr | (c->ptr_hi << 32), g,
				  ~g);
	if (block)
		arm_timer(f, false);

	__atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
}

static int stat_index(long ret)
{
	unsigned int i;
	int err = ret < 0 ? (int)-ret : 0;

	for (i = 0; i < NR_STAT_ERRNOS; i++)
		if (stat_errnos[i] == err)
			return i;
	return NR_STAT_ERRNOS;
}

static void account(struct fz *f, const struct call *c)
{
	unsigned int row = c->ci ? (unsigned int)(c->ci - vf_cmds) :
				   CMD_UNKNOWN;

	add(&sh->calls[row][stat_index(c->ret)], 1);
	add(&sh->entry_calls[c->entry], 1);
	add(&sh->role_calls[f->role], 1);
	add(&sh->caller_calls[f->xid >= VX_XID_MIN ? 2 : f->xid], 1);
	add(&sh->pkind_calls[c->pk], 1);
	if (c->mutated)
		add(&sh->mutated, 1);
}

/* After a call: follow the caller's moves, remember new contexts */
static void follow(struct fz *f, const struct call *c)
{
	if (c->ret < 0 || !c->ci ||
	    !(c->ci->flags & (VF_ENTER | VF_NENTER | VF_JOIN)))
		return;
	if (c->ci->flags & VF_JOIN) {
		/* It stays in its context and, for the kernel, its nid */
		f->nid_left = true;
		return;
	}
	if (c->ci->flags & VF_NENTER) {
		/* net_create returns the nid, net_migrate 0 or 1 */
		f->nid = c->ci->cmd == VCMD_net_migrate ? c->id :
			 (uint32_t)c->ret;
		f->nid_left = false;
		__atomic_store_n(&sh->live_nid[f->slot - sh->slots],
				 f->nid >= VX_XID_MIN ? f->nid : 0,
				 __ATOMIC_RELAXED);
	} else if (c->ci->cmd == VCMD_ctx_create ||
		   c->ci->cmd == VCMD_ctx_create_v0) {
		f->xid = (uint32_t)c->ret;
		if (c->id == VX_XID_DYNAMIC)
			note_created(f->xid);
	} else {
		f->xid = c->id;
	}
	if (!(c->ci->flags & VF_NENTER))
		snprintf(f->tag + strcspn(f->tag, "@"), 12, "@%u", f->xid);
	__atomic_store_n(&sh->live[f->slot - sh->slots],
			 f->xid >= VX_XID_MIN ? f->xid : 0, __ATOMIC_RELAXED);
	if (f->role == R_HOST && !f->drifted) {
		f->drifted = true;
		f->drift_left = 8 + below(&f->rng, 32);
	}
}

static void run_call(struct fz *f, struct call *c)
{
	char line[1024];

	if (c->ci && c->ci->cmd == VCMD_ctx_kill && c->size) {
		struct vcmd_ctx_kill_v0 k;

		memcpy(&k, c->arg, sizeof(k));
		if (k.sig > 0 && k.sig <= 64)
			__atomic_fetch_or(&sh->sent_signals, 1ULL << (k.sig - 1),
					  __ATOMIC_RELAXED);
	}
	issue(f, c);
	account(f, c);
	if (opt.verbose) {
		describe(line, sizeof(line), f, c, true);
		out("# %s", line);
	}
	check(f, c);
	follow(f, c);
	f->n++;
}

/* A call that a role makes on purpose, with a good pointer */
static long fixed_call(struct fz *f, uint32_t cmd, uint32_t id,
		       const void *arg, unsigned int len)
{
	struct call c;

	memset(&c, 0, sizeof(c));
	c.ci = vf_find(cmd);
	c.cmd = cmd;
	c.id = id;
	c.entry = E64;
	c.pk = PK_GOOD;
	c.fixed = true;
	c.n = f->n;
	c.size = size_of(c.ci, E64);
	memset(c.arg, 0, sizeof(c.arg));
	if (arg)
		memcpy(c.arg, arg, len);
	place(f, &c);
	run_call(f, &c);
	return c.ret;
}

static void gen_call(struct fz *f, struct call *c)
{
	memset(c, 0, sizeof(*c));
	c->n = f->n;
	c->cmd = gen_cmd(f);
	c->ci = vf_find(c->cmd);
	/* Moves are costly for a host worker (see run_in_child()): fewer */
	if (f->role == R_HOST && c->ci &&
	    c->ci->flags & (VF_ENTER | VF_JOIN | VF_NENTER) &&
	    chance(&f->rng, 60)) {
		c->cmd = gen_cmd(f);
		c->ci = vf_find(c->cmd);
	}
	c->id = gen_id(f, c->ci);
	c->entry = opt.have_int80 && chance(&f->rng, 45) ? E32 : E64;
	if (chance(&f->rng, 15))
		c->cmd_hi = 0xdead0000u | below(&f->rng, 0x10000);
	if (chance(&f->rng, 15))
		c->id_hi = (uint32_t)rnd(&f->rng) | 1;
	if (c->entry == E32 && chance(&f->rng, 15))
		c->ptr_hi = 0xdead0000u | below(&f->rng, 0x10000);
	c->size = size_of(c->ci, c->entry);
	gen_struct(f, c->ci, c->entry, c->arg);
	c->mutated = mutate(f, c->arg, c->size);
	c->pk = gen_pkind(f, c->entry);
	keep_net_endable(c);
	place(f, c);
}

/* Valid calls that must work whatever came before */
static void probe(struct fz *f)
{
	struct vcmd_ctx_rlimit_mask_v0 *m = (void *)(f->low + 512);
	struct vcmd_vx_info_v0 *vi = (void *)(f->low + 1024);
	long r;

	add(&sh->probes, 1);
	r = vf_sys64(VCMD_get_version, 63, 0, 0, 0, 0);
	if (r != VCI_VERSION) {
		add(&sh->probe_failures, 1);
		failure(f, NULL, "probe: get_version = %ld", r);
	}
	if (opt.have_int80) {
		r = vf_sys32(VCMD_get_version, 0, 0, 0, 0);
		if (r != VCI_VERSION) {
			add(&sh->probe_failures, 1);
			failure(f, NULL, "probe: int 0x80 get_version = %ld",
				r);
		}
	}
	r = vf_sys64(VCMD_task_xid, 0, 0, 0, 0, 0);
	if (r != f->xid) {
		add(&sh->probe_failures, 1);
		failure(f, NULL, "probe: task_xid = %ld, want %u", r, f->xid);
	}
	r = vf_sys64(VCMD_task_nid, 0, 0, 0, 0, 0);
	if (r != f->nid && !f->nid_left) {
		add(&sh->probe_failures, 1);
		failure(f, NULL, "probe: task_nid = %ld, want %u", r, f->nid);
	}
	memset(m, 0xee, sizeof(*m));
	r = vf_sys64(VCMD_get_rlimit_mask, 0, (uintptr_t)m, 0, 0, 0);
	if (r || m->softlimit != VF_LIMIT_MASK || m->maximum != VF_LIMIT_MASK) {
		add(&sh->probe_failures, 1);
		failure(f, NULL, "probe: get_rlimit_mask = %ld", r);
	}
	if (f->xid >= VX_XID_MIN) {
		memset(vi, 0xee, sizeof(*vi));
		r = vf_sys64(VCMD_vx_info, VX_XID_SELF, (uintptr_t)vi, 0, 0, 0);
		if (r || vi->xid != f->xid) {
			add(&sh->probe_failures, 1);
			failure(f, NULL, "probe: vx_info(self) = %ld xid %u", r,
				vi->xid);
		}
	}
}

/* Setting a worker up */

static void on_alarm(int sig)
{
}

/* The timer that interrupts wait_exit: for this thread only */
static int make_timer(struct fz *f)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = f->tid;
	return timer_create(CLOCK_MONOTONIC, &sev, &f->timer);
}

static int thread_init(struct fz *f, int widx, int gen, int tidx,
		       enum role role, bool mt)
{
	unsigned char *p;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->widx = widx;
	f->gen = gen;
	f->tidx = tidx;
	f->role = role;
	f->mt = mt;
	f->tid = (int)syscall(SYS_gettid);
	f->rng.s = seed_of(opt.seed, widx, gen, tidx);
	f->slot = &sh->slots[widx * MT_THREADS + tidx];
	memset(f->slot, 0, sizeof(*f->slot));
	f->slot->tid = f->tid;
	f->slot->widx = widx;
	f->slot->gen = gen;
	f->slot->tidx = tidx;
	__atomic_store_n(&sh->live[f->slot - sh->slots], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->live_nid[f->slot - sh->slots], 0,
			 __ATOMIC_RELAXED);
	snprintf(f->tag, sizeof(f->tag), "w%d.g%d.t%d@0", widx, gen, tidx);

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	f->low = p;
	for (i = 0; i < PAGE; i += 8) {
		uint64_t v = rnd(&f->rng);

		memcpy(p + 2 * PAGE + i, &v, 8);
	}
	if (mprotect(p + PAGE, PAGE, PROT_NONE) ||
	    mprotect(p + 2 * PAGE, PAGE, PROT_READ))
		return -1;
	f->high = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->high == MAP_FAILED)
		return -1;

	return make_timer(f);
}

/*
 * Take the role: a context in setup or past it, a spectator, or a
 * network context
 */
static int enter_role(struct fz *f)
{
	struct vcmd_ctx_create cr;
	struct vcmd_ctx_migrate mi;
	struct vcmd_ctx_flags_v0 fl;
	struct vcmd_net_create nc;
	uint32_t xid;
	long r;

	switch (f->role) {
	case R_NET:
		xid = pool_nid(f);
		nc.flagword = NXF_INIT_SET;
		if (chance(&f->rng, 30))
			nc.flagword |= NXF_PERSISTENT;
		if (chance(&f->rng, 10))
			nc.flagword |= NXF_STATE_SETUP;
		r = fixed_call(f, VCMD_net_create, xid, &nc, sizeof(nc));
		if (r == -EBUSY || r == -EEXIST)
			r = fixed_call(f, VCMD_net_migrate, xid, NULL, 0);
		if (r < 0)
			r = fixed_call(f, VCMD_net_create, fresh_nid(f), &nc,
				       sizeof(nc));
		return r < 0 || f->nid < VX_XID_MIN ? -1 : 0;
	case R_SPECTATOR:
		mi.flagword = 0;
		r = fixed_call(f, VCMD_ctx_migrate, VX_XID_SPECTATOR, &mi,
			       sizeof(mi));
		return r == VX_XID_SPECTATOR ? 0 : -1;
	case R_SETUP:
	case R_ACTIVE:
		xid = pool_xid(f);
		cr.flagword = VXF_INIT_SET;
		if (chance(&f->rng, 30))
			cr.flagword |= VXF_PERSISTENT;
		if (chance(&f->rng, 20))
			cr.flagword |= VXF_VIRT_UPTIME;
		if (chance(&f->rng, 20))
			cr.flagword |= VXF_HIDE_VINFO;
		if (chance(&f->rng, 10))
			cr.flagword |= VXF_INFO_PRIVATE;
		r = fixed_call(f, VCMD_ctx_create, xid, &cr, sizeof(cr));
		if (r == -EBUSY || r == -EEXIST) {
			mi.flagword = below(&f->rng, 4);
			r = fixed_call(f, VCMD_ctx_migrate, xid, &mi,
				       sizeof(mi));
		}
		if (r < 0)
			r = fixed_call(f, VCMD_ctx_create, VX_XID_DYNAMIC, &cr,
				       sizeof(cr));
		if (r < 0 || f->xid < VX_XID_MIN)
			return -1;
		if (f->role == R_ACTIVE) {
			fl.flagword = 0;
			fl.mask = VXF_STATE_SETUP;
			if (chance(&f->rng, 50))
				fl.mask |= VXF_STATE_INIT;
			fixed_call(f, VCMD_set_cflags, VX_XID_SELF, &fl,
				   sizeof(fl));
		}
		f->drifted = false;
		return 0;
	default:
		return 0;
	}
}

static bool claim(void)
{
	uint64_t k = __atomic_fetch_add(&sh->claimed, 1, __ATOMIC_RELAXED);

	return !opt.iterations || k < opt.iterations;
}

/*
 * A host worker makes the calls that may move it (ctx_create and
 * ctx_migrate that can succeed, and enter_space, which moves it into the
 * namespaces a context stored) in a child, which goes on for a few calls
 * wherever it ended up and exits, so that the worker stays in the host
 * and in its own namespaces.
 * The child shares the worker's memory (a fork costs as much as thousands
 * of calls) and works on a copy of its state, on a stack of its own.
 */
#define CHILD_STACK	(256 * 1024)

struct child {
	struct fz f;
	struct call c;
	unsigned int done;
};

static int child_main(void *p)
{
	struct child *ch = p;
	struct fz *f = &ch->f;
	size_t at = strcspn(f->tag, "@");
	unsigned int burst;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	f->tid = (int)syscall(SYS_gettid);
	f->slot->tid = f->tid;
	memmove(f->tag + at + 1, f->tag + at, strlen(f->tag + at) + 1);
	f->tag[at] = 'c';
	if (make_timer(f))
		return 0;
	run_call(f, &ch->c);
	ch->done = 1;
	burst = ch->c.ret >= 0 ? 2 + below(&f->rng, 14) : 0;
	while (burst-- && !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) &&
	       claim()) {
		gen_call(f, &ch->c);
		run_call(f, &ch->c);
		ch->done++;
	}
	return 0;
}

static unsigned int run_in_child(struct fz *f, struct call *c)
{
	static unsigned char *stack;
	static struct child ch;
	int status;
	pid_t pid;

	if (!stack) {
		stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			stack = NULL;
	}
	ch.f = *f;
	ch.f.rng.s = rnd(&f->rng);
	/* Sharing its memory, it is not single-threaded for the kernel */
	ch.f.mt = true;
	ch.c = *c;
	ch.done = 0;
	pid = stack ? clone(child_main, stack + CHILD_STACK,
			    CLONE_VM | SIGCHLD, &ch) : -1;
	if (pid < 0) {
		run_call(f, c);
		return 1;
	}
	for (;;) {
		if (waitpid(pid, &status, WUNTRACED) < 0) {
			if (errno == EINTR)
				continue;
			status = 0;
			break;
		}
		if (!WIFSTOPPED(status))
			break;
		kill(pid, SIGCONT);	/* a fuzzed SIGSTOP */
	}
	/* Killed in a call, perhaps: the worker is not */
	__atomic_store_n(&f->slot->busy, 0, __ATOMIC_RELEASE);
	f->slot->tid = f->tid;
	__atomic_store_n(&sh->live[f->slot - sh->slots], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->live_nid[f->slot - sh->slots], f->nid,
			 __ATOMIC_RELAXED);
	if (WIFSIGNALED(status) && fault_signal(WTERMSIG(status)))
		failure(f, NULL, "the child of a %s call died of signal %d",
			c->ci->name, WTERMSIG(status));
	return ch.done ? ch.done : 1;
}

static void *quick_thread(void *arg)
{
	return arg;
}

static void keep_fd(struct fz *f, int fd)
{
	unsigned int k = f->nfds++ % 8;

	if (f->nfds > 8)
		close(f->fds[k]);
	f->fds[k] = fd;
}

/*
 * Now and then a task in a context makes and releases objects that the
 * context counts: a thread, files, sockets, SysV IPC objects (some left
 * to outlive the task and the context).  The limits are fuzzed meanwhile;
 * a refusal must come with the errno the documentation gives it.  Every
 * struct file made inside counts as an open file (NOFILE, ENFILE): a
 * socket's, and the one behind a shared memory segment too.
 */
static void churn(struct fz *f)
{
	static const char *const what[] = {
		"thread", "open", "socket", "pipe", "semget", "shmget", "msgget",
	};
	static const int refusal[] = {
		EAGAIN, ENFILE, ENOBUFS, ENFILE, ENOSPC, ENOSPC, ENOSPC,
	};
	static const bool has_file[] = {
		false, true, true, true, false, true, false,
	};
	unsigned int k = below(&f->rng, 7);
	bool keep = chance(&f->rng, 30);
	int fd, p[2], id = -1, err = 0;
	pthread_t th;

	switch (k) {
	case 0:
		err = pthread_create(&th, NULL, quick_thread, NULL);
		if (!err)
			pthread_join(th, NULL);
		break;
	case 1:
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			keep ? keep_fd(f, fd) : (void)close(fd);
		break;
	case 2:
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			keep ? keep_fd(f, fd) : (void)close(fd);
		break;
	case 3:
		err = pipe2(p, O_CLOEXEC) ? errno : 0;
		if (!err) {
			close(p[0]);
			keep ? keep_fd(f, p[1]) : (void)close(p[1]);
		}
		break;
	case 4:
		id = semget(IPC_PRIVATE, 1 + below(&f->rng, 8), 0600);
		err = id < 0 ? errno : 0;
		if (id >= 0 && !keep)
			semctl(id, 0, IPC_RMID);
		break;
	case 5:
		id = shmget(IPC_PRIVATE, PAGE, 0600);
		err = id < 0 ? errno : 0;
		if (id >= 0 && !keep)
			shmctl(id, IPC_RMID, NULL);
		break;
	default:
		id = msgget(IPC_PRIVATE, 0600);
		err = id < 0 ? errno : 0;
		if (id >= 0 && !keep)
			msgctl(id, IPC_RMID, NULL);
		break;
	}
	add(&sh->objects, 1);
	if (err)
		add(&sh->refused, 1);
	if (err && err != refusal[k] && !(has_file[k] && err == ENFILE))
		failure(f, NULL, "%s in context %u refused with %s, want %s",
			what[k], f->xid, errname(err), errname(refusal[k]));
}

/* The fuzzing loop of one thread; returns its exit code */
static int fuzz_loop(struct fz *f)
{
	struct call c;

	f->budget = 200 + below(&f->rng, 1300);
	for (;;) {
		if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
			return WX_RETIRED;
		if (f->n >= f->budget)
			return WX_RETIRED;
		if (f->drifted && !f->mt && f->drift_left-- == 0)
			return WX_DRIFTED;
		if ((f->n & 255) == 255 && getppid() != opt.runner)
			return WX_RETIRED;	/* the runner is gone */
		if (!claim())
			return WX_RETIRED;
		gen_call(f, &c);
		if (f->role == R_HOST && !f->mt && f->xid == VX_XID_HOST &&
		    c.ci && c.ci->flags & (VF_ENTER | VF_JOIN | VF_NENTER) &&
		    !predict(f, &c).err) {
			f->n += run_in_child(f, &c);
			probe(f);
			continue;
		}
		run_call(f, &c);
		if (f->n % PROBE_EVERY == 0)
			probe(f);
		if (f->xid >= VX_XID_MIN && chance(&f->rng, 3))
			churn(f);
	}
}

struct mt_arg {
	struct fz *f;
	int widx, gen, tidx;
	int ret;
};

static void *mt_thread(void *p)
{
	struct mt_arg *a = p;

	a->ret = thread_init(a->f, a->widx, a->gen, a->tidx, R_MT, true);
	if (!a->ret)
		fuzz_loop(a->f);
	return NULL;
}

/* A worker process: take the role, fuzz, exit */
static int worker_main(int widx, int gen, enum role role)
{
	struct sigaction sa;
	struct rlimit nocore = { 0, 0 };
	struct fz f[MT_THREADS];
	struct mt_arg ma[MT_THREADS];
	pthread_t th[MT_THREADS];
	int i, code;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != opt.runner)
		return WX_RETIRED;
	setrlimit(RLIMIT_CORE, &nocore);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: EINTR */
	sigaction(SIGALRM, &sa, NULL);

	if (role != R_MT) {
		if (thread_init(&f[0], widx, gen, 0, role, false))
			return WX_BUG;
		if (enter_role(&f[0]))
			return WX_NOROLE;
		code = fuzz_loop(&f[0]);
		return f[0].drifted && code == WX_RETIRED ? WX_DRIFTED : code;
	}
	if (thread_init(&f[0], widx, gen, 0, role, true))
		return WX_BUG;
	for (i = 1; i < MT_THREADS; i++) {
		ma[i] = (struct mt_arg){ &f[i], widx, gen, i, 0 };
		if (pthread_create(&th[i], NULL, mt_thread, &ma[i]))
			return WX_BUG;
	}
	fuzz_loop(&f[0]);
	code = WX_RETIRED;
	for (i = 1; i < MT_THREADS; i++) {
		pthread_join(th[i], NULL);
		if (ma[i].ret)
			code = WX_BUG;
	}
	return code;
}

/* The runner: /proc/virtual */

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static long field_of(const char *path, const char *name, int base)
{
	char buf[1024], *p;

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, name);
	if (!p)
		return -1;
	return strtol(p + strlen(name), NULL, base);
}

static int counter(const char *name)
{
	return (int)field_of("/proc/virtual/status", name, 10);
}

static int net_counter(const char *name)
{
	return (int)field_of("/proc/virtnet/status", name, 10);
}

/* The ids in @dir (/proc/virtual or /proc/virtnet) as a bitmap: how many */
static int list_ids(const char *dir, uint8_t *map)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	memset(map, 0, 65536 / 8);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end;
		unsigned long x = strtoul(de->d_name, &end, 10);

		if (*end || !isdigit((unsigned char)de->d_name[0]) ||
		    x > VX_XID_MAX)
			continue;
		map[x / 8] |= 1u << (x % 8);
		n++;
	}
	closedir(d);
	return n;
}

/* The xids in /proc/virtual, as a bitmap; returns how many */
static int list_contexts(uint8_t *map)
{
	return list_ids("/proc/virtual", map);
}

static bool in_map(const uint8_t *map, uint32_t x)
{
	return x <= VX_XID_MAX && (map[x / 8] & (1u << (x % 8)));
}

static uint8_t start_map[65536 / 8], now_map[65536 / 8];
static uint8_t start_nid_map[65536 / 8], now_nid_map[65536 / 8];
static char start_info[256];
static int start_total, start_active, start_count;
static int start_net_total, start_net_active, start_net_count;

/* Contexts of the fuzzer now: those that were not there at the start */
static int our_contexts(uint32_t *xids, int max)
{
	int n = 0;
	uint32_t x;

	if (list_contexts(now_map) < 0)
		return -1;
	for (x = 0; x <= VX_XID_MAX; x++)
		if (in_map(now_map, x) && !in_map(start_map, x) && n < max)
			xids[n++] = x;
	return n;
}

/* Network contexts of the fuzzer now: those not there at the start */
static int our_nets(uint32_t *nids, int max)
{
	int n = 0;
	uint32_t x;

	if (list_ids("/proc/virtnet", now_nid_map) < 0)
		return -1;
	for (x = 0; x <= VX_NID_MAX; x++)
		if (in_map(now_nid_map, x) && !in_map(start_nid_map, x) &&
		    n < max)
			nids[n++] = x;
	return n;
}

/* Is the page at @addr unmapped? */
static bool unmapped(uintptr_t addr)
{
	unsigned char vec;

	return mincore((void *)(addr & ~(uintptr_t)(PAGE - 1)), PAGE, &vec) &&
	       errno == ENOMEM;
}

static void pick_ids(void)
{
	struct rng r = { seed_of(opt.seed, 1000, 0, 0) };
	uint32_t x;
	unsigned int n = 0, i;

	for (i = 0; i < NR_PRIVATE; i++)
		if (!in_map(start_map, POOL_LAST - i))
			opt.private_xid[i] = POOL_LAST - i;
	for (x = POOL_FIRST; x < POOL_LAST - NR_PRIVATE && n < POOL_SIZE; x++)
		if (!in_map(start_map, x))
			opt.pool[n++] = x;
	while (n < POOL_SIZE)	/* everything taken: share a free one */
		opt.pool[n++] = VX_XID_DYNAMIC;

	/* Boundaries first, then random ones in both ranges */
	n = 0;
	if (!in_map(start_map, VX_XID_MIN))
		opt.fresh[n++] = VX_XID_MIN;
	if (!in_map(start_map, VX_XID_MAX))
		opt.fresh[n++] = VX_XID_MAX;
	while (n < NR_FRESH) {
		x = n % 2 ? 40000 + below(&r, 9000) :
			    VX_XID_MAX - 1 - below(&r, 4000);
		if (in_map(start_map, x) || (x >= POOL_FIRST && x <= POOL_LAST))
			continue;
		for (i = 0; i < n && opt.fresh[i] != x; i++)
			;
		if (i == n)
			opt.fresh[n++] = x;
	}
	for (x = VX_XID_MIN; x <= VX_XID_MAX && opt.nr_foreign < 16; x++)
		if (in_map(start_map, x))
			opt.foreign[opt.nr_foreign++] = x;

	/* The same for network contexts */
	for (x = POOL_FIRST, n = 0; x <= POOL_LAST && n < POOL_SIZE; x++)
		if (!in_map(start_nid_map, x))
			opt.nid_pool[n++] = x;
	while (n < POOL_SIZE)	/* everything taken: fail with EEXIST */
		opt.nid_pool[n++] = POOL_FIRST;
	n = 0;
	if (!in_map(start_nid_map, VX_XID_MIN))
		opt.nid_fresh[n++] = VX_XID_MIN;
	if (!in_map(start_nid_map, VX_NID_MAX))
		opt.nid_fresh[n++] = VX_NID_MAX;
	while (n < NR_FRESH) {
		x = n % 2 ? 40000 + below(&r, 9000) :
			    VX_NID_MAX - 1 - below(&r, 4000);
		if (in_map(start_nid_map, x) ||
		    (x >= POOL_FIRST && x <= POOL_LAST))
			continue;
		for (i = 0; i < n && opt.nid_fresh[i] != x; i++)
			;
		if (i == n)
			opt.nid_fresh[n++] = x;
	}
	for (x = VX_XID_MIN; x <= VX_NID_MAX && opt.nr_nid_foreign < 16; x++)
		if (in_map(start_nid_map, x))
			opt.nid_foreign[opt.nr_nid_foreign++] = x;

	if (unmapped(0xfffff000) && unmapped(0x100000000ULL))
		opt.kernel32 = 0xfffffff0;
	if (unmapped(0x7fffffffe000ULL))
		opt.usertop = 0x7ffffffff000ULL - 4;
}

/* The runner: workers */

struct worker {
	pid_t pid;
	int gen;
	unsigned int rot;
	enum role role;
	unsigned int drifts;	/* in a row, in this role */
	uint64_t since;
};

static struct worker workers[MAX_WORKERS];
static uint64_t role_gens[NR_ROLES];
static uint64_t nr_started, nr_killed, nr_drifted, nr_noroles, nr_stops;
static uint64_t nr_unexplained, nr_bugs, nr_hangs;

static enum role role_for(unsigned int rot)
{
	unsigned int n = opt.threads > 1 ? NR_ROLES : NR_ROLES - 1;

	return (enum role)(rot % n);
}

static void spawn(int i)
{
	struct worker *w = &workers[i];
	pid_t pid;

	w->role = role_for(w->rot);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(worker_main(i, w->gen, w->role));
	if (pid < 0) {
		out("# fork: %s", strerror(errno));
		w->pid = 0;
		return;
	}
	w->pid = pid;
	w->since = now_ms();
	__atomic_store_n(&sh->worker_pids[i], pid, __ATOMIC_RELAXED);
	role_gens[w->role]++;
	nr_started++;
}

static bool budget_left(void)
{
	return !opt.iterations ||
	       __atomic_load_n(&sh->claimed, __ATOMIC_RELAXED) <
	       opt.iterations;
}

static int find_worker(pid_t pid)
{
	unsigned int i;

	for (i = 0; i < opt.threads; i++)
		if (workers[i].pid == pid)
			return (int)i;
	return -1;
}

/* Reap what ended; restart workers unless @stopping */
static void reap(bool stopping)
{
	int status, i, sig, t;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED | __WALL)) > 0) {
		i = find_worker(pid);
		if (WIFSTOPPED(status)) {
			nr_stops++;
			kill(pid, SIGCONT);
			continue;
		}
		if (i < 0)
			continue;	/* an orphan we adopted */
		if (WIFSIGNALED(status)) {
			sig = WTERMSIG(status);
			nr_killed++;
			if (!stopping && sig != SIGKILL &&
			    !(__atomic_load_n(&sh->sent_signals,
					      __ATOMIC_RELAXED) &
			      (1ULL << (sig - 1)))) {
				nr_unexplained++;
				out("# FAIL worker %d gen %d (%s) died of signal %d (%s) that no call sent",
				    i, workers[i].gen, role_names[workers[i].role],
				    sig, strsignal(sig));
			}
		} else if (WIFEXITED(status)) {
			switch (WEXITSTATUS(status)) {
			case WX_RETIRED:
				workers[i].drifts = 0;
				workers[i].rot++;
				break;
			case WX_DRIFTED:
				nr_drifted++;
				/* Host workers drift often: rotate now and then */
				if (++workers[i].drifts >= 6) {
					workers[i].drifts = 0;
					workers[i].rot++;
				}
				break;
			case WX_NOROLE:
				nr_noroles++;
				workers[i].rot++;
				break;
			default:
				nr_bugs++;
				workers[i].rot++;
				out("# FAIL worker %d gen %d exited %d",
				    i, workers[i].gen, WEXITSTATUS(status));
				break;
			}
		}
		/* A call it was killed in is over */
		for (t = 0; t < MT_THREADS; t++)
			__atomic_store_n(&sh->slots[i * MT_THREADS + t].busy,
					 0, __ATOMIC_RELEASE);
		workers[i].pid = 0;
		workers[i].gen++;
		if (!stopping && budget_left())
			spawn(i);
	}
}

static int alive(void)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < opt.threads; i++)
		n += workers[i].pid > 0;
	return n;
}

static void dump_stack(int tid)
{
	char path[64], buf[2048], *line, *save;

	snprintf(path, sizeof(path), "/proc/%d/stack", tid);
	if (read_file(path, buf, sizeof(buf)))
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		out("#   %s", line);
}

/* A call that does not return */
static void check_hangs(void)
{
	uint64_t now, since;
	unsigned int i, j;
	char hex[2 * 80 + 1];

	for (i = 0; i < opt.threads * MT_THREADS; i++) {
		struct slot *s = &sh->slots[i];

		if (!__atomic_load_n(&s->busy, __ATOMIC_ACQUIRE) || s->reported)
			continue;
		since = __atomic_load_n(&s->since_ms, __ATOMIC_ACQUIRE);
		now = now_ms();
		if (since >= now || now - since < HANG_MS ||
		    !__atomic_load_n(&s->busy, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&s->since_ms, __ATOMIC_ACQUIRE) != since)
			continue;
		s->reported = 1;
		nr_hangs++;
		for (j = 0; j < s->len; j++)
			sprintf(hex + 2 * j, "%02x", s->data[j]);
		hex[2 * s->len] = 0;
		out("# FAIL hang: w%d.g%d.t%d n=%" PRIu64 " %s cmd=0x%08x id=0x%08x data=%s:0x%" PRIx64 " {%s} for %" PRIu64 " ms",
		    s->widx, s->gen, s->tidx, s->n, entry_names[s->entry],
		    s->cmd, s->id, pkind_names[s->pkind], s->ptr, hex,
		    now - since);
		dump_stack(s->tid);
		if (workers[s->widx].pid > 0)
			kill(workers[s->widx].pid, SIGKILL);
	}
}

static long host_call(uint32_t cmd, uint32_t id, void *arg)
{
	return vf_sys64(cmd, id, (uintptr_t)arg, 0, 0, 0);
}

/*
 * Persistent contexts pile up: once the fuzzer has many, end those
 * without tasks.
 */
static void janitor(void)
{
	static uint32_t xids[65536];
	struct vcmd_ctx_flags_v0 fl = { 0, VXF_PERSISTENT };
	struct vcmd_net_flags_v0 nfl = { 0, NXF_PERSISTENT };
	char path[64];
	int n, i;

	n = our_contexts(xids, 65536);
	for (i = 0; n > JANITOR_CAP && i < n; i++) {
		snprintf(path, sizeof(path), "/proc/virtual/%u/status",
			 xids[i]);
		if (field_of(path, "Tasks:", 10) == 0)
			host_call(VCMD_set_cflags, xids[i], &fl);
	}
	/* Network contexts, each a namespace, go sooner */
	n = our_nets(xids, 65536);
	for (i = 0; n > JANITOR_NET_CAP && i < n; i++) {
		snprintf(path, sizeof(path), "/proc/virtnet/%u/status",
			 xids[i]);
		if (field_of(path, "Tasks:", 10) == 0)
			host_call(VCMD_set_nflags, xids[i], &nfl);
	}
}

/* End every context of the fuzzer: no persistence, kill, wait */
static int end_contexts(uint64_t deadline)
{
	static uint32_t xids[65536];
	struct vcmd_ctx_flags_v0 fl = { 0, VXF_PERSISTENT };
	struct vcmd_ctx_kill_v0 k = { 0, SIGKILL };
	struct vcmd_wait_exit_v0 we;
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	int n, i;

	for (;;) {
		reap(true);
		n = our_contexts(xids, 65536);
		if (n <= 0 || now_ms() > deadline)
			return n;
		for (i = 0; i < n; i++) {
			host_call(VCMD_set_cflags, xids[i], &fl);
			host_call(VCMD_ctx_kill, xids[i], &k);
		}
		for (i = 0; i < n; i++) {
			it.it_value.tv_usec = 200000;
			it.it_interval.tv_usec = 200000;
			setitimer(ITIMER_REAL, &it, NULL);
			host_call(VCMD_wait_exit, xids[i], &we);
			it.it_value.tv_usec = 0;
			it.it_interval.tv_usec = 0;
			setitimer(ITIMER_REAL, &it, NULL);
			reap(true);
		}
		usleep(50000);
	}
}

/*
 * End every network context of the fuzzer: no persistence; once its
 * tasks and sockets are gone, the kernel's namespace cleanup ends it
 */
static int end_nets(uint64_t deadline)
{
	static uint32_t nids[65536];
	struct vcmd_net_flags_v0 fl = { 0, NXF_PERSISTENT };
	int n, i;

	for (;;) {
		reap(true);
		n = our_nets(nids, 65536);
		if (n <= 0 || now_ms() > deadline)
			return n;
		for (i = 0; i < n; i++)
			host_call(VCMD_set_nflags, nids[i], &fl);
		usleep(50000);
	}
}

static void stop_workers(void)
{
	uint64_t t;
	unsigned int i;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (t = now_ms() + 5000; alive() && now_ms() < t;) {
		reap(true);
		usleep(10000);
	}
	for (i = 0; i < opt.threads; i++)
		if (workers[i].pid > 0)
			kill(workers[i].pid, SIGKILL);
	for (t = now_ms() + 15000; alive() && now_ms() < t;) {
		reap(true);
		check_hangs();
		usleep(10000);
	}
}

/* Statistics */

static void print_stats(double secs)
{
	uint64_t total = 0, per, ok;
	unsigned int i, j;
	char line[512];
	int n;

	for (i = 0; i <= VF_NR_CMDS; i++)
		for (j = 0; j < NR_RESULTS; j++)
			total += sh->calls[i][j];
	out("# %" PRIu64 " calls in %.1f s: %.0f calls/s; %" PRIu64 " mutated structures, %" PRIu64 " probes",
	    total, secs, secs > 0 ? total / secs : 0.0, sh->mutated,
	    sh->probes);
	out("# calls per command (results):");
	for (i = 0; i <= VF_NR_CMDS; i++) {
		per = 0;
		for (j = 0; j < NR_RESULTS; j++)
			per += sh->calls[i][j];
		ok = sh->calls[i][0];
		n = snprintf(line, sizeof(line), "#   %-16s %9" PRIu64 ":",
			     i < VF_NR_CMDS ? vf_cmds[i].name : "(unknown)",
			     per);
		if (ok)
			n += snprintf(line + n, sizeof(line) - n, " ok %" PRIu64,
				      ok);
		for (j = 1; j < NR_RESULTS; j++)
			if (sh->calls[i][j])
				n += snprintf(line + n, sizeof(line) - n,
					      " %s %" PRIu64,
					      j < NR_STAT_ERRNOS ?
					      errname(stat_errnos[j]) : "other",
					      sh->calls[i][j]);
		out("%s", line);
	}
	out("# calls per entry: syscall %" PRIu64 ", int 0x80 %" PRIu64,
	    sh->entry_calls[E64], sh->entry_calls[E32]);
	out("# objects made in contexts: %" PRIu64 ", %" PRIu64 " refused at a limit",
	    sh->objects, sh->refused);
	for (i = 0; i < NR_ROLES; i++)
		if (role_gens[i] || sh->role_calls[i])
			out("# calls per role: %-19s %9" PRIu64 " (%" PRIu64 " workers)",
			    role_names[i], sh->role_calls[i], role_gens[i]);
	out("# calls per caller: host %" PRIu64 ", spectator %" PRIu64 ", in a context %" PRIu64,
	    sh->caller_calls[0], sh->caller_calls[1], sh->caller_calls[2]);
	n = snprintf(line, sizeof(line), "# calls per pointer:");
	for (i = 0; i < NR_PKINDS; i++)
		n += snprintf(line + n, sizeof(line) - n, " %s %" PRIu64,
			      pkind_names[i], sh->pkind_calls[i]);
	out("%s", line);
	out("# workers: %" PRIu64 " started, %" PRIu64 " killed, %" PRIu64 " drifted into a context, %" PRIu64 " without their role, %" PRIu64 " stops; %u dynamic contexts made",
	    nr_started, nr_killed, nr_drifted, nr_noroles, nr_stops,
	    sh->nr_created);
}

/* Options */

static void usage(FILE *to)
{
	fprintf(to,
		"usage: vsfuzz [--seconds N] [--iterations N] [--threads N] [--seed S] [--verbose]\n"
		"\n"
		"Fuzz sys_vserver as root on a vserver kernel; TAP on stdout.\n"
		"\n"
		"  --seconds N      stop after N seconds (default 60)\n"
		"  --iterations N   stop after N generated calls (with --seconds:\n"
		"                   whichever comes first)\n"
		"  --threads N      N worker processes at once, 1 to %d (default 4);\n"
		"                   with more than one, multi-threaded workers too\n"
		"  --seed S         the seed (decimal or 0x hex); printed first as\n"
		"                   '# seed S'.  --threads 1 replays the same calls.\n"
		"  --verbose        log every call\n"
		"  --help           this text\n"
		"\n"
		"Exit status: 0 all checks passed, 1 a check failed, 2 bad usage.\n",
		MAX_WORKERS);
}

static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x < min || x > max)
		return false;
	*v = x;
	return true;
}

static int parse_args(int argc, char **argv, bool *seeded)
{
	bool have_seconds = false;
	uint64_t v;
	int i;

	opt.seconds = 60;
	opt.threads = 4;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *eq = strchr(a, '=');
		char name[32];
		size_t len = eq ? (size_t)(eq - a) : strlen(a);

		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, a, len);
		name[len] = 0;
		if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(name, "--verbose") || !strcmp(name, "-v")) {
			if (eq) {
				fprintf(stderr, "vsfuzz: %s takes no value\n",
					name);
				return -1;
			}
			opt.verbose = true;
			continue;
		}
		if (strcmp(name, "--seconds") && strcmp(name, "--iterations") &&
		    strcmp(name, "--threads") && strcmp(name, "--seed")) {
			fprintf(stderr, "vsfuzz: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		if (!val) {
			fprintf(stderr, "vsfuzz: %s needs a value\n", name);
			return -1;
		}
		if (!strcmp(name, "--seconds")) {
			if (!parse_u64(val, 1, 30 * 86400, &v))
				goto bad_value;
			opt.seconds = (unsigned int)v;
			have_seconds = true;
		} else if (!strcmp(name, "--iterations")) {
			if (!parse_u64(val, 1, UINT64_MAX / 2, &v))
				goto bad_value;
			opt.iterations = v;
		} else if (!strcmp(name, "--threads")) {
			if (!parse_u64(val, 1, MAX_WORKERS, &v))
				goto bad_value;
			opt.threads = (unsigned int)v;
		} else {
			if (!parse_u64(val, 0, UINT64_MAX, &v))
				goto bad_value;
			opt.seed = v;
			*seeded = true;
		}
		continue;
bad_value:
		fprintf(stderr, "vsfuzz: bad value for %s: '%s'\n", name,
			val ? val : "");
		return -1;
	}
	/* --iterations alone: no time bound but a generous one */
	if (opt.iterations && !have_seconds)
		opt.seconds = 30 * 86400;
	return 0;
}

/* The checks at the start */
static bool sane_table(void)
{
	unsigned int i, j;

	for (i = 0; i < VF_NR_UNIMPLEMENTED; i++)
		if (vf_find(vf_unimplemented[i]))
			return false;
	for (i = 0; i < VF_NR_CMDS; i++)
		for (j = i + 1; j < VF_NR_CMDS; j++)
			if (vf_cmds[i].cmd == vf_cmds[j].cmd)
				return false;
	return true;
}

static void settle(void)
{
	int before, i;

	/* Contexts of earlier tests may still be on their way out */
	for (i = 0; i < 50; i++) {
		before = counter("#CTotal:");
		usleep(100000);
		if (counter("#CTotal:") == before)
			break;
	}
	for (i = 0; i < 50; i++) {
		before = net_counter("#CTotal:");
		usleep(100000);
		if (net_counter("#CTotal:") == before)
			break;
	}
}

int main(int argc, char **argv)
{
	bool seeded = false, ok_calls, ok_probes, ok_workers, ok_end, ok_nets;
	uint64_t t0, deadline, last_janitor = 0, total = 0;
	struct sigaction sa;
	char info[256];
	unsigned int i, j, ncmds = 0;
	int left, total_end, active_end, count_end;
	int nleft, ntotal_end, nactive_end, ncount_end;
	double secs;
	long r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &seeded))
		return 2;
	if (!seeded) {
		if (getrandom(&opt.seed, sizeof(opt.seed), 0) !=
		    sizeof(opt.seed))
			opt.seed = (uint64_t)time(NULL) ^
				   ((uint64_t)getpid() << 32);
		opt.seed %= 10000000000ULL;
	}
	printf("# seed %" PRIu64 "\n", opt.seed);
	printf("# replay: vsfuzz --seed %" PRIu64 " --threads 1%s\n",
	       opt.seed, opt.threads > 1 ? " (exact with --threads 1 only)" : "");

	if (!sane_table()) {
		printf("1..0 # SKIP the command table of the fuzzer is broken\n");
		return 1;
	}
	r = vf_sys64(VCMD_get_version, 0, 0, 0, 0, 0);
	if (r == -ENOSYS) {
		printf("1..0 # SKIP this kernel has no sys_vserver\n");
		return 0;
	}
	if (geteuid() != 0) {
		printf("1..0 # SKIP the fuzzer needs root\n");
		return 0;
	}
	if (r != VCI_VERSION) {
		printf("1..0 # SKIP get_version says %#lx, not %#x\n", r,
		       VCI_VERSION);
		return 1;
	}
	opt.have_int80 = vf_sys32(VCMD_get_version, 0, 0, 0, 0) == VCI_VERSION;
	opt.vci = (uint32_t)vf_sys64(VCMD_get_vci, 0, 0, 0, 0, 0);
	opt.runner = getpid();

	settle();
	if (read_file("/proc/virtual/info", start_info, sizeof(start_info))) {
		printf("1..0 # SKIP no /proc/virtual/info\n");
		return 1;
	}
	start_total = counter("#CTotal:");
	start_active = counter("#CActive:");
	start_count = list_contexts(start_map);
	start_net_total = net_counter("#CTotal:");
	start_net_active = net_counter("#CActive:");
	start_net_count = list_ids("/proc/virtnet", start_nid_map);
	if (start_net_count < 0 || start_net_total < 0) {
		printf("1..0 # SKIP no /proc/virtnet\n");
		return 1;
	}
	pick_ids();

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("1..0 # SKIP mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(sh, 0, sizeof(*sh));

	/* Orphans of workers come back to us; the timer only interrupts */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	printf("1..5\n");
	printf("# %u workers, %u s%s, int 0x80 %s, start: %d contexts, #CTotal %d, #CActive %d; pool %u-%u\n",
	       opt.threads, opt.seconds, opt.iterations ? ", iterations" : "",
	       opt.have_int80 ? "on" : "off", start_count, start_total,
	       start_active, opt.pool[0], opt.pool[POOL_SIZE - 1]);
	if (opt.iterations)
		printf("# at most %" PRIu64 " generated calls\n", opt.iterations);

	t0 = now_ms();
	deadline = t0 + (uint64_t)opt.seconds * 1000;
	for (i = 0; i < opt.threads; i++) {
		workers[i].rot = i;
		spawn(i);
	}
	while (now_ms() < deadline) {
		reap(false);
		check_hangs();
		if (!alive() && !budget_left())
			break;
		if (now_ms() - last_janitor > 2000) {
			janitor();
			last_janitor = now_ms();
		}
		usleep(20000);
	}
	secs = (now_ms() - t0) / 1000.0;
	stop_workers();
	left = end_contexts(now_ms() + 30000);
	nleft = end_nets(now_ms() + 30000);

	/* Context objects go after a grace period, from a workqueue */
	for (i = 0; i < 200; i++) {
		total_end = counter("#CTotal:");
		active_end = counter("#CActive:");
		if (total_end <= start_total && active_end <= start_active)
			break;
		usleep(100000);
	}
	count_end = list_contexts(now_map);
	ok_end = left == 0 && total_end <= start_total &&
		 active_end <= start_active;
	for (j = 0; j <= VX_XID_MAX; j++)
		if (in_map(now_map, j) && !in_map(start_map, j))
			ok_end = false;

	/* Network contexts: their structures go after a grace period */
	for (i = 0; i < 100; i++) {
		ntotal_end = net_counter("#CTotal:");
		nactive_end = net_counter("#CActive:");
		if (ntotal_end <= start_net_total &&
		    nactive_end <= start_net_active)
			break;
		usleep(100000);
	}
	ncount_end = list_ids("/proc/virtnet", now_nid_map);
	ok_nets = nleft == 0 && ntotal_end <= start_net_total &&
		  nactive_end <= start_net_active;
	for (j = 0; j <= VX_NID_MAX; j++)
		if (in_map(now_nid_map, j) && !in_map(start_nid_map, j))
			ok_nets = false;
	if (read_file("/proc/virtual/info", info, sizeof(info)) ||
	    strcmp(info, start_info))
		ok_end = false;
	if (host_call(VCMD_get_version, 0, NULL) != VCI_VERSION)
		ok_end = false;

	for (i = 0; i < VF_NR_CMDS; i++) {
		uint64_t per = 0;

		for (j = 0; j < NR_RESULTS; j++)
			per += sh->calls[i][j];
		ncmds += per > 0;
	}
	for (i = 0; i <= VF_NR_CMDS; i++)
		for (j = 0; j < NR_RESULTS; j++)
			total += sh->calls[i][j];

	ok_calls = sh->failures == sh->probe_failures;
	ok_probes = sh->probe_failures == 0;
	ok_workers = !nr_unexplained && !nr_bugs && !nr_hangs && !alive();

	printf("%s 1 - %" PRIu64 " calls in %.0f s, %u commands, %s\n",
	       ok_calls ? "ok" : "not ok", total, secs, ncmds,
	       ok_calls ? "no unexpected result" :
	       "unexpected results (see FAIL lines)");
	printf("%s 2 - valid calls still work after bad ones: %" PRIu64 " probes, %" PRIu64 " failed\n",
	       ok_probes ? "ok" : "not ok", sh->probes, sh->probe_failures);
	printf("%s 3 - workers: %" PRIu64 " started, %" PRIu64 " killed by fuzzed signals, %" PRIu64 " unexplained deaths, %" PRIu64 " hangs\n",
	       ok_workers ? "ok" : "not ok", nr_started, nr_killed,
	       nr_unexplained, nr_hangs);
	printf("%s 4 - contexts and counters back to their start: %d contexts (start %d), #CTotal %d (%d), #CActive %d (%d)%s\n",
	       ok_end ? "ok" : "not ok", count_end, start_count, total_end,
	       start_total, active_end, start_active,
	       left > 0 ? ", some would not end" : "");
	printf("%s 5 - network contexts and counters back to their start: %d network contexts (start %d), #CTotal %d (%d), #CActive %d (%d)%s\n",
	       ok_nets ? "ok" : "not ok", ncount_end, start_net_count,
	       ntotal_end, start_net_total, nactive_end, start_net_active,
	       nleft > 0 ? ", some would not end" : "");
	fflush(stdout);
	print_stats(secs);
	if (sh->fail_count) {
		out("# first unexpected results (seed %" PRIu64 "):", opt.seed);
		for (i = 0; i < sh->fail_count && i < FAIL_LOG; i++)
			out("#   %s", sh->fail_log[i]);
	}
	return ok_calls && ok_probes && ok_workers && ok_end && ok_nets ? 0 : 1;
}
