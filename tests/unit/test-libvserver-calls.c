// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What libvserver hands the kernel and what it makes of the answers,
 * checked against a kernel faked in this program: syscall() is defined
 * here, so the library's calls land in it instead of in the C library.
 * Built twice, against the static and the shared library.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <vserver.h>

#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The last call that reached the fake kernel, and how to answer it */
static struct {
	int calls;
	long nr;
	uint32_t cmd;
	uint32_t id;
	void *data;		/* the caller's buffer, gone after the call */
	union {			/* what it held when the call returned */
		struct vcmd_ctx_create create;
		struct vcmd_ctx_migrate migrate;
		struct vcmd_ctx_flags_v0 flags;
		struct vcmd_ctx_kill_v0 kill;
		struct vcmd_vhi_name_v0 name;
		struct vcmd_bcaps bcaps;
		struct vcmd_ctx_caps_v1 ccaps;
		struct vcmd_umask umask;
		struct vcmd_net_create net_create;
		struct vcmd_net_addr_ipv4_v1 addr4;
		struct vcmd_net_addr_ipv6_v1 addr6;
		struct vcmd_net_flags_v0 nflags;
		struct vcmd_net_caps_v0 ncaps;
	} in;
	union {			/* what a get command writes back */
		struct vcmd_bcaps bcaps;
		struct vcmd_ctx_caps_v1 ccaps;
		struct vcmd_umask umask;
		struct vcmd_nx_info_v0 nx_info;
		struct vcmd_net_flags_v0 nflags;
		struct vcmd_net_caps_v0 ncaps;
	} out;
	long result;		/* returned when err is 0 */
	int err;
	const char *name;	/* VCMD_get_vhi_name writes it, if set */
	size_t name_len;
} k;

/* The size of the structure command cmd reads, 0 if it reads none */
static size_t input_size(uint32_t cmd)
{
	switch (cmd) {
	case VCMD_ctx_create:
		return sizeof(struct vcmd_ctx_create);
	case VCMD_ctx_migrate:
		return sizeof(struct vcmd_ctx_migrate);
	case VCMD_set_cflags:
		return sizeof(struct vcmd_ctx_flags_v0);
	case VCMD_ctx_kill:
		return sizeof(struct vcmd_ctx_kill_v0);
	case VCMD_set_vhi_name:
	case VCMD_get_vhi_name:
		return sizeof(struct vcmd_vhi_name_v0);
	case VCMD_set_bcaps:
		return sizeof(struct vcmd_bcaps);
	case VCMD_set_ccaps:
		return sizeof(struct vcmd_ctx_caps_v1);
	case VCMD_set_umask:
		return sizeof(struct vcmd_umask);
	case VCMD_net_create:
		return sizeof(struct vcmd_net_create);
	case VCMD_net_add_ipv4_v1:
	case VCMD_net_rem_ipv4_v1:
		return sizeof(struct vcmd_net_addr_ipv4_v1);
	case VCMD_net_add_ipv6:
	case VCMD_net_remove_ipv6:
		return sizeof(struct vcmd_net_addr_ipv6_v1);
	case VCMD_set_nflags:
		return sizeof(struct vcmd_net_flags_v0);
	case VCMD_set_ncaps:
		return sizeof(struct vcmd_net_caps_v0);
	default:
		return 0;
	}
}

/* The size of k.out that command cmd writes back, 0 if it writes none */
static size_t output_size(uint32_t cmd)
{
	switch (cmd) {
	case VCMD_get_bcaps:
		return sizeof(struct vcmd_bcaps);
	case VCMD_get_ccaps:
		return sizeof(struct vcmd_ctx_caps_v1);
	case VCMD_get_umask:
		return sizeof(struct vcmd_umask);
	case VCMD_nx_info:
		return sizeof(struct vcmd_nx_info_v0);
	case VCMD_get_nflags:
		return sizeof(struct vcmd_net_flags_v0);
	case VCMD_get_ncaps:
		return sizeof(struct vcmd_net_caps_v0);
	default:
		return 0;
	}
}

static void kernel_reset(long result, int err)
{
	memset(&k, 0, sizeof(k));
	k.result = result;
	k.err = err;
}

long syscall(long nr, ...)
{
	va_list ap;

	va_start(ap, nr);
	k.calls++;
	k.nr = nr;
	k.cmd = (uint32_t)va_arg(ap, unsigned long);
	k.id = (uint32_t)va_arg(ap, unsigned long);
	k.data = va_arg(ap, void *);
	va_end(ap);
	if (k.data)
		memcpy(&k.in, k.data, input_size(k.cmd));

	if (k.err) {
		errno = k.err;
		return -1;
	}
	if (k.cmd == VCMD_get_vhi_name && k.name) {
		struct vcmd_vhi_name_v0 *v = k.data;

		memcpy(v->name, k.name, k.name_len);
	}
	if (k.data)
		memcpy(k.data, &k.out, output_size(k.cmd));
	return k.result;
}

/* A call that must fail with err before reaching the kernel */
#define CHECK_REFUSED(call, err, what)					\
	do {								\
		int r_;							\
									\
		kernel_reset(0, 0);					\
		errno = 0;						\
		r_ = (call);						\
		tap_ok(r_ == -1 && errno == (err) && k.calls == 0,	\
		       "%s fails with %s without a system call", what,	\
		       #err);						\
	} while (0)

static void test_refused(void)
{
	char long_name[VHILEN + 1];

	memset(long_name, 'x', VHILEN);
	long_name[VHILEN] = '\0';

	CHECK_REFUSED(vs_get_vci(NULL), EINVAL, "vs_get_vci(NULL)");
	CHECK_REFUSED(vs_get_rlimit_mask(NULL), EINVAL,
		      "vs_get_rlimit_mask(NULL)");
	CHECK_REFUSED(vs_task_xid(-1), EINVAL, "vs_task_xid(-1)");
	CHECK_REFUSED(vs_vx_info(2, NULL), EINVAL, "vs_vx_info(2, NULL)");
	CHECK_REFUSED(vs_ctx_stat(2, NULL), EINVAL, "vs_ctx_stat(2, NULL)");
	CHECK_REFUSED(vs_get_cflags(2, NULL), EINVAL,
		      "vs_get_cflags(2, NULL)");
	CHECK_REFUSED(vs_wait_exit(2, NULL), EINVAL, "vs_wait_exit(2, NULL)");
	CHECK_REFUSED(vs_get_vhi_name(2, VHIN_CONTEXT, NULL, 0), EINVAL,
		      "vs_get_vhi_name() with a NULL buffer");
	CHECK_REFUSED(vs_set_vhi_name(2, VHIN_CONTEXT, NULL), EINVAL,
		      "vs_set_vhi_name() with a NULL name");
	CHECK_REFUSED(vs_set_vhi_name(2, VHIN_CONTEXT, long_name),
		      ENAMETOOLONG, "vs_set_vhi_name() with VHILEN characters");
	CHECK_REFUSED(vs_get_bcaps(2, NULL), EINVAL, "vs_get_bcaps(2, NULL)");
	CHECK_REFUSED(vs_get_ccaps(2, NULL), EINVAL, "vs_get_ccaps(2, NULL)");
	CHECK_REFUSED(vs_get_umask(2, NULL), EINVAL, "vs_get_umask(2, NULL)");
}

static void test_command_words(void)
{
	struct vcmd_ctx_rlimit_mask_v0 rmask;
	struct vcmd_vx_info_v0 info;
	struct vcmd_ctx_stat_v0 stat;
	struct vcmd_ctx_flags_v0 flags;
	struct vcmd_wait_exit_v0 status;
	struct vcmd_bcaps bcaps;
	struct vcmd_ctx_caps_v1 ccaps;
	struct vcmd_umask umask;
	char buf[VHILEN];
	int r;

/* expr succeeds and makes exactly one system call: command on xid */
#define CALL(expr, command, xid)					\
	do {								\
		kernel_reset(0, 0);					\
		r = (expr);						\
		tap_ok(r == 0 && k.calls == 1 &&			\
		       k.nr == VS_SYSCALL_NR && k.cmd == (command) &&	\
		       k.id == (xid),					\
		       "%s issues %s with id %u", #expr, #command,	\
		       (unsigned)(xid));				\
	} while (0)

	CALL(vs_get_rlimit_mask(&rmask), VCMD_get_rlimit_mask, 0);
	CALL(vs_task_xid(0), VCMD_task_xid, 0);
	CALL(vs_vx_info(7, &info), VCMD_vx_info, 7);
	CALL(vs_ctx_stat(8, &stat), VCMD_ctx_stat, 8);
	CALL(vs_ctx_create(VX_XID_DYNAMIC, 0), VCMD_ctx_create,
	     VX_XID_DYNAMIC);
	CALL(vs_ctx_migrate(VX_XID_SPECTATOR, 0), VCMD_ctx_migrate,
	     VX_XID_SPECTATOR);
	CALL(vs_get_cflags(VX_XID_SELF, &flags), VCMD_get_cflags,
	     VX_XID_SELF);
	CALL(vs_set_cflags(9, 0, 0), VCMD_set_cflags, 9);
	CALL(vs_ctx_kill(10, 0, 15), VCMD_ctx_kill, 10);
	CALL(vs_wait_exit(11, &status), VCMD_wait_exit, 11);
	CALL(vs_get_vhi_name(12, VHIN_CONTEXT, buf, sizeof(buf)),
	     VCMD_get_vhi_name, 12);
	CALL(vs_get_bcaps(13, &bcaps), VCMD_get_bcaps, 13);
	CALL(vs_set_bcaps(14, 0, 0), VCMD_set_bcaps, 14);
	CALL(vs_get_ccaps(15, &ccaps), VCMD_get_ccaps, 15);
	CALL(vs_set_ccaps(16, 0, 0), VCMD_set_ccaps, 16);
	CALL(vs_get_umask(17, &umask), VCMD_get_umask, 17);
	CALL(vs_set_umask(18, 0, 0), VCMD_set_umask, 18);
#undef CALL
}

static void test_arguments(void)
{
	const struct vcmd_ctx_create *create = &k.in.create;
	const struct vcmd_ctx_migrate *migrate = &k.in.migrate;
	const struct vcmd_ctx_flags_v0 *flags = &k.in.flags;
	const struct vcmd_ctx_kill_v0 *kill = &k.in.kill;
	const struct vcmd_vhi_name_v0 *name = &k.in.name;
	char max_name[VHILEN];
	bool zero_tail = true;
	size_t i;
	int r;

	kernel_reset(42, 0);
	r = vs_ctx_create(42, VXF_INIT_SET | VXF_PERSISTENT);
	tap_ok(r == 42 && k.data &&
	       create->flagword == (VXF_INIT_SET | VXF_PERSISTENT),
	       "vs_ctx_create() passes the flagword and returns the new xid");

	kernel_reset(5, 0);
	r = vs_ctx_migrate(5, VXM_SET_INIT);
	tap_ok(r == 5 && k.data && migrate->flagword == VXM_SET_INIT,
	       "vs_ctx_migrate() passes the VXM_* flags");

	kernel_reset(0, 0);
	r = vs_set_cflags(3, VXF_INFO_PRIVATE, VXF_INFO_PRIVATE |
			  VXF_STATE_SETUP);
	tap_ok(r == 0 && k.data && flags->flagword == VXF_INFO_PRIVATE &&
	       flags->mask == (VXF_INFO_PRIVATE | VXF_STATE_SETUP),
	       "vs_set_cflags() passes the flagword and the mask");

	kernel_reset(0, 0);
	r = vs_ctx_kill(4, -1, 9);
	tap_ok(r == 0 && k.data && kill->pid == -1 && kill->sig == 9,
	       "vs_ctx_kill() passes the pid and the signal");

	memset(max_name, 'n', VHILEN - 1);
	max_name[VHILEN - 1] = '\0';
	kernel_reset(0, 0);
	r = vs_set_vhi_name(6, VHIN_NODENAME, max_name);
	for (i = 0; i < sizeof(name->__pad); i++)
		if (name->__pad[i])
			zero_tail = false;
	tap_ok(r == 0 && k.calls == 1 && k.data &&
	       name->field == VHIN_NODENAME &&
	       strcmp(name->name, max_name) == 0 && zero_tail,
	       "vs_set_vhi_name() passes a name of VHILEN - 1 characters, "
	       "NUL-terminated and zero-padded");

	kernel_reset(0, 0);
	r = vs_set_bcaps(7, 1ULL << 21, (1ULL << 21) | (1ULL << 40));
	tap_ok(r == 0 && k.data && k.in.bcaps.bcaps == 1ULL << 21 &&
	       k.in.bcaps.bmask == ((1ULL << 21) | (1ULL << 40)),
	       "vs_set_bcaps() passes the ceiling and the mask");

	kernel_reset(0, 0);
	r = vs_set_ccaps(7, VXC_SET_UTSNAME, VXC_SET_UTSNAME | VXC_RAW_ICMP);
	tap_ok(r == 0 && k.data && k.in.ccaps.ccaps == VXC_SET_UTSNAME &&
	       k.in.ccaps.cmask == (VXC_SET_UTSNAME | VXC_RAW_ICMP),
	       "vs_set_ccaps() passes the ccaps and the mask");

	kernel_reset(0, 0);
	r = vs_set_umask(7, 0x10000000, ~0ULL);
	tap_ok(r == 0 && k.data && k.in.umask.umask == 0x10000000 &&
	       k.in.umask.mask == ~0ULL,
	       "vs_set_umask() passes the umask and the mask");
}

/* Every name field reaches the kernel as it is, both ways */
static void test_name_fields(void)
{
	static const char *const values[] = {
		[VHIN_SYSNAME] = "Linux",
		[VHIN_NODENAME] = "h1",
		[VHIN_RELEASE] = "6.12.0-vserver",
		[VHIN_VERSION] = "#1 SMP PREEMPT_DYNAMIC",
		[VHIN_MACHINE] = "x86_64",
		[VHIN_DOMAINNAME] = "(none)",
	};
	uint32_t field;

	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++) {
		char buf[VHILEN] = "";
		bool set_ok, get_ok;
		int r;

		kernel_reset(0, 0);
		r = vs_set_vhi_name(3, field, values[field]);
		set_ok = r == 0 && k.calls == 1 &&
			 k.cmd == VCMD_set_vhi_name && k.id == 3 &&
			 k.in.name.field == field &&
			 strcmp(k.in.name.name, values[field]) == 0;

		kernel_reset(0, 0);
		k.name = values[field];
		k.name_len = strlen(values[field]) + 1;
		r = vs_get_vhi_name(3, field, buf, sizeof(buf));
		get_ok = r == 0 && k.calls == 1 &&
			 k.cmd == VCMD_get_vhi_name && k.id == 3 &&
			 k.in.name.field == field &&
			 strcmp(buf, values[field]) == 0;

		tap_ok(set_ok && get_ok, "name field %u is passed to the "
		       "kernel by vs_set_vhi_name() and vs_get_vhi_name()",
		       field);
	}
}

static void test_results(void)
{
	struct vcmd_vx_info_v0 info = { .xid = 0xDEADBEEF };
	char buf[VHILEN] = "untouched", long_name[VHILEN];
	int r;

	kernel_reset(17, 0);
	errno = 1234;
	r = vs_task_xid(100);
	tap_ok(r == 17 && k.id == 100 && errno == 1234,
	       "vs_task_xid() returns the kernel's answer and leaves errno "
	       "alone");

	kernel_reset((long)INT_MAX + 1, 0);
	r = vs_task_xid(0);
	tap_ok(r == -1 && errno == EOVERFLOW,
	       "vs_task_xid() fails with EOVERFLOW on an answer beyond "
	       "INT_MAX");

	kernel_reset(0, ESRCH);
	r = vs_vx_info(2, &info);
	tap_ok(r == -1 && errno == ESRCH && info.xid == 0xDEADBEEF,
	       "vs_vx_info() passes ESRCH through and leaves *info alone");

	kernel_reset(0, 0);
	k.name = "web";
	k.name_len = sizeof("web");
	r = vs_get_vhi_name(2, VHIN_CONTEXT, buf, sizeof("web"));
	tap_ok(r == 0 && strcmp(buf, "web") == 0,
	       "vs_get_vhi_name() fills a buffer that just fits");

	strcpy(buf, "untouched");
	kernel_reset(0, 0);
	k.name = "web";
	k.name_len = sizeof("web");
	r = vs_get_vhi_name(2, VHIN_CONTEXT, buf, strlen("web"));
	tap_ok(r == -1 && errno == ERANGE && strcmp(buf, "untouched") == 0,
	       "vs_get_vhi_name() fails with ERANGE when the NUL does not "
	       "fit, leaving the buffer alone");

	/* A name without its NUL must not be read beyond the structure */
	memset(long_name, 'z', sizeof(long_name));
	kernel_reset(0, 0);
	k.name = long_name;
	k.name_len = sizeof(long_name);
	r = vs_get_vhi_name(2, VHIN_CONTEXT, buf, sizeof(buf));
	tap_ok(r == -1 && errno == ERANGE,
	       "vs_get_vhi_name() fails with ERANGE on an unterminated name "
	       "and a VHILEN buffer");
}

/* The get functions store the kernel's answer, and nothing on failure */
static void test_capability_words(void)
{
	struct vcmd_bcaps bcaps = { .bcaps = 0xDEAD, .bmask = 0xBEEF };
	struct vcmd_ctx_caps_v1 ccaps = { .ccaps = 0xDEAD, .cmask = 0xBEEF };
	struct vcmd_umask umask = { .umask = 0xDEAD, .mask = 0xBEEF };
	int r;

	kernel_reset(0, ESRCH);
	r = vs_get_bcaps(2, &bcaps);
	tap_ok(r == -1 && errno == ESRCH && bcaps.bcaps == 0xDEAD &&
	       bcaps.bmask == 0xBEEF,
	       "vs_get_bcaps() passes ESRCH through and leaves *caps alone");
	kernel_reset(0, 0);
	k.out.bcaps.bcaps = 0x1FFFFFFFFFFULL;
	k.out.bcaps.bmask = ~0ULL;
	r = vs_get_bcaps(2, &bcaps);
	tap_ok(r == 0 && bcaps.bcaps == 0x1FFFFFFFFFFULL &&
	       bcaps.bmask == ~0ULL, "vs_get_bcaps() stores the ceiling");

	kernel_reset(0, EPERM);
	r = vs_get_ccaps(2, &ccaps);
	tap_ok(r == -1 && errno == EPERM && ccaps.ccaps == 0xDEAD &&
	       ccaps.cmask == 0xBEEF,
	       "vs_get_ccaps() passes EPERM through and leaves *caps alone");
	kernel_reset(0, 0);
	k.out.ccaps.ccaps = VXC_RAW_ICMP;
	k.out.ccaps.cmask = ~0ULL;
	r = vs_get_ccaps(2, &ccaps);
	tap_ok(r == 0 && ccaps.ccaps == VXC_RAW_ICMP && ccaps.cmask == ~0ULL,
	       "vs_get_ccaps() stores the ccaps");

	kernel_reset(0, EOPNOTSUPP);
	r = vs_get_umask(2, &umask);
	tap_ok(r == -1 && errno == EOPNOTSUPP && umask.umask == 0xDEAD &&
	       umask.mask == 0xBEEF,
	       "vs_get_umask() passes EOPNOTSUPP through and leaves *umask "
	       "alone");
	kernel_reset(0, 0);
	k.out.umask.umask = 0x10000000;
	k.out.umask.mask = ~0ULL;
	r = vs_get_umask(2, &umask);
	tap_ok(r == 0 && umask.umask == 0x10000000 && umask.mask == ~0ULL,
	       "vs_get_umask() stores the umask");

	kernel_reset(0, EPERM);
	errno = 0;
	r = vs_set_bcaps(2, 1, 1);
	tap_ok(r == -1 && errno == EPERM && k.calls == 1,
	       "vs_set_bcaps() passes EPERM through");
}

/* vs_support() tells the kernel's state from VCMD_get_version */
static void test_support(void)
{
	static const struct {
		int err;		/* of VCMD_get_version; 0: it answers */
		int support;
		const char *what;
	} cases[] = {
		{ 0, VS_SUPPORT_ENABLED, "an answer means enabled" },
		{ ENOSYS, VS_SUPPORT_MISSING, "ENOSYS means missing" },
		{ EOPNOTSUPP, VS_SUPPORT_DISABLED,
		  "EOPNOTSUPP means built in but not enabled" },
	};
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		kernel_reset(0x00010000, cases[i].err);
		errno = 1234;
		r = vs_support();
		tap_ok(r == cases[i].support && errno == 1234 &&
		       k.calls == 1 && k.cmd == VCMD_get_version,
		       "vs_support(): %s, and errno stays", cases[i].what);
	}

	kernel_reset(0, EPERM);
	errno = 0;
	r = vs_support();
	tap_ok(r == -1 && errno == EPERM,
	       "vs_support() fails with any other error of get_version");
}

/* Network contexts: refusals, command words, arguments and results */
static void test_network(void)
{
	struct vcmd_net_addr_ipv4_v1 a4 = {
		.type = NXA_TYPE_ADDR,
		.ip = htonl(0x0a000002),
		.mask = htonl(0xffffff00),
	};
	struct vcmd_net_addr_ipv6_v1 a6 = {
		.type = NXA_TYPE_ADDR,
		.prefix = 64,
		.ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 },
		.mask = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	struct vcmd_nx_info_v0 info = { .nid = 0xDEADBEEF };
	struct vcmd_net_flags_v0 nflags = { .flagword = 1, .mask = 2 };
	struct vcmd_net_caps_v0 ncaps = { .ncaps = 3, .cmask = 4 };
	uint64_t flagword = NXF_INIT_SET | NXF_PERSISTENT;
	int r;

	CHECK_REFUSED(vs_task_nid(-1), EINVAL, "vs_task_nid(-1)");
	CHECK_REFUSED(vs_nx_info(2, NULL), EINVAL, "vs_nx_info(2, NULL)");
	CHECK_REFUSED(vs_net_add_ipv4(2, NULL), EINVAL,
		      "vs_net_add_ipv4(2, NULL)");
	CHECK_REFUSED(vs_net_rem_ipv4(2, NULL), EINVAL,
		      "vs_net_rem_ipv4(2, NULL)");
	CHECK_REFUSED(vs_net_add_ipv6(2, NULL), EINVAL,
		      "vs_net_add_ipv6(2, NULL)");
	CHECK_REFUSED(vs_net_remove_ipv6(2, NULL), EINVAL,
		      "vs_net_remove_ipv6(2, NULL)");
	CHECK_REFUSED(vs_get_nflags(2, NULL), EINVAL,
		      "vs_get_nflags(2, NULL)");
	CHECK_REFUSED(vs_get_ncaps(2, NULL), EINVAL, "vs_get_ncaps(2, NULL)");

/* expr makes exactly one system call: command on id, and returns want */
#define NET_CALL(expr, command, nid, want)				\
	do {								\
		r = (expr);						\
		tap_ok(r == (want) && k.calls == 1 &&			\
		       k.nr == VS_SYSCALL_NR && k.cmd == (command) &&	\
		       k.id == (nid),					\
		       "%s issues %s with id %u", #expr, #command,	\
		       (unsigned)(nid));				\
	} while (0)

	kernel_reset(42, 0);
	NET_CALL(vs_task_nid(0), VCMD_task_nid, 0, 42);
	kernel_reset(0, 0);
	NET_CALL(vs_task_nid(1234), VCMD_task_nid, 1234, 0);

	kernel_reset(0, 0);
	k.out.nx_info.nid = 42;
	NET_CALL(vs_nx_info(42, &info), VCMD_nx_info, 42, 0);
	tap_ok(info.nid == 42, "vs_nx_info() stores the nid");

	kernel_reset(42, 0);
	NET_CALL(vs_net_create(42, NULL), VCMD_net_create, 42, 42);
	tap_ok(k.data == NULL, "vs_net_create(42, NULL) passes NULL data: "
	       "the kernel's default flags");
	kernel_reset(43, 0);
	NET_CALL(vs_net_create(43, &flagword), VCMD_net_create, 43, 43);
	tap_ok(k.data && k.in.net_create.flagword == flagword,
	       "vs_net_create() passes the flagword");

	kernel_reset(1, 0);
	NET_CALL(vs_net_migrate(VX_NID_WATCH), VCMD_net_migrate,
		 VX_NID_WATCH, 1);
	tap_ok(k.data == NULL, "vs_net_migrate() passes no data");

	kernel_reset(0, 0);
	NET_CALL(vs_net_add_ipv4(42, &a4), VCMD_net_add_ipv4_v1, 42, 0);
	tap_ok(k.data && k.data != (void *)&a4 &&
	       memcmp(&k.in.addr4, &a4, sizeof(a4)) == 0,
	       "vs_net_add_ipv4() passes a copy of the address");
	kernel_reset(0, 0);
	NET_CALL(vs_net_rem_ipv4(42, &a4), VCMD_net_rem_ipv4_v1, 42, 0);
	tap_ok(memcmp(&k.in.addr4, &a4, sizeof(a4)) == 0,
	       "vs_net_rem_ipv4() passes the address");
	kernel_reset(0, 0);
	NET_CALL(vs_net_add_ipv6(42, &a6), VCMD_net_add_ipv6, 42, 0);
	tap_ok(k.data && memcmp(&k.in.addr6, &a6, sizeof(a6)) == 0,
	       "vs_net_add_ipv6() passes the address");
	kernel_reset(0, 0);
	NET_CALL(vs_net_remove_ipv6(42, &a6), VCMD_net_remove_ipv6, 42, 0);
	tap_ok(memcmp(&k.in.addr6, &a6, sizeof(a6)) == 0,
	       "vs_net_remove_ipv6() passes the address");

	kernel_reset(0, 0);
	k.out.nflags.flagword = NXF_INIT_SET;
	k.out.nflags.mask = ~0ULL;
	NET_CALL(vs_get_nflags(42, &nflags), VCMD_get_nflags, 42, 0);
	tap_ok(nflags.flagword == NXF_INIT_SET && nflags.mask == ~0ULL,
	       "vs_get_nflags() stores the flags and the mask");
	kernel_reset(0, 0);
	NET_CALL(vs_set_nflags(42, NXF_PERSISTENT, NXF_PERSISTENT |
			       NXF_SINGLE_IP), VCMD_set_nflags, 42, 0);
	tap_ok(k.in.nflags.flagword == NXF_PERSISTENT &&
	       k.in.nflags.mask == (NXF_PERSISTENT | NXF_SINGLE_IP),
	       "vs_set_nflags() passes the flags and the mask");

	kernel_reset(0, 0);
	k.out.ncaps.ncaps = NXC_RAW_ICMP;
	k.out.ncaps.cmask = ~0ULL;
	NET_CALL(vs_get_ncaps(42, &ncaps), VCMD_get_ncaps, 42, 0);
	tap_ok(ncaps.ncaps == NXC_RAW_ICMP && ncaps.cmask == ~0ULL,
	       "vs_get_ncaps() stores the capabilities and the mask");
	kernel_reset(0, 0);
	NET_CALL(vs_set_ncaps(42, NXC_RAW_ICMP, NXC_RAW_ICMP |
			      NXC_TUN_CREATE), VCMD_set_ncaps, 42, 0);
	tap_ok(k.in.ncaps.ncaps == NXC_RAW_ICMP &&
	       k.in.ncaps.cmask == (NXC_RAW_ICMP | NXC_TUN_CREATE),
	       "vs_set_ncaps() passes the capabilities and the mask");
#undef NET_CALL

	/* Failures pass errno on and leave the structures alone */
	kernel_reset(0, ESRCH);
	info.nid = 7;
	r = vs_nx_info(99, &info);
	tap_ok(r == -1 && errno == ESRCH && info.nid == 7,
	       "vs_nx_info() fails with the kernel's errno and leaves the "
	       "structure alone");
	kernel_reset(0, EACCES);
	nflags.flagword = 9;
	r = vs_get_nflags(99, &nflags);
	tap_ok(r == -1 && errno == EACCES && nflags.flagword == 9,
	       "vs_get_nflags() fails with the kernel's errno and leaves "
	       "the structure alone");
	kernel_reset(0, EEXIST);
	r = vs_net_add_ipv4(42, &a4);
	tap_ok(r == -1 && errno == EEXIST, "vs_net_add_ipv4() fails with the "
	       "kernel's errno");
	kernel_reset(0, EOPNOTSUPP);
	r = vs_net_create(42, NULL);
	tap_ok(r == -1 && errno == EOPNOTSUPP,
	       "vs_net_create() fails with the kernel's errno");
	kernel_reset((long)INT_MAX + 1, 0);
	r = vs_task_nid(0);
	tap_ok(r == -1 && errno == EOVERFLOW,
	       "vs_task_nid() refuses a nid that is no int");
}

int main(void)
{
	tap_plan(13 + 17 + 8 + 6 + 6 + 7 + 4 + 8 + 14 + 12 + 5);
	test_refused();
	test_command_words();
	test_arguments();
	test_name_fields();
	test_results();
	test_capability_words();
	test_support();
	test_network();
	return tap_done();
}
