// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capabilities of contexts: the ceiling (bcaps), the context capabilities
 * (ccaps), the unshare mask, the names of a context (vhi_name), virtual
 * uptime, and writes to the kernel's own interfaces from inside.
 *
 * The commands' argument checks and permissions run through both the
 * 64-bit syscall and int 0x80 (the "cmds" fixture).  The enforcement tests
 * run each operation in a child process that enters a context the host
 * configured, so the test process itself stays in the host.
 *
 * Contexts of this file have xids 4000-4099.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/reboot.h>

#include "kselftest_harness.h"
#include "common.h"

/* The VCI level of a kernel with these commands */
#define VCI_LEVEL_CAPS		VCI_VERSION

#define CAP(c)			(1ULL << (c))

/* The "safe" ceiling of vctx create --secure */
#define SAFE_CAPS	(CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) |	\
			 CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_FOWNER) |	\
			 CAP(CAP_FSETID) | CAP(CAP_KILL) |		\
			 CAP(CAP_SETGID) | CAP(CAP_SETUID) |		\
			 CAP(CAP_NET_BIND_SERVICE) |			\
			 CAP(CAP_SYS_CHROOT) | CAP(CAP_SYS_PTRACE) |	\
			 CAP(CAP_SYS_TTY_CONFIG) | CAP(CAP_LEASE) |	\
			 CAP(CAP_SETFCAP) | CAP(CAP_AUDIT_WRITE))

/* The flags ctx_create and set_cflags accept */
#define KNOWN_FLAGS	(VXF_INFO_PRIVATE | VXF_VIRT_UPTIME | VXF_HIDE_VINFO | \
			 VXF_ONE_TIME | VXF_PERSISTENT)

/* The argument that makes this program report its capabilities */
#define REPORT_ARG	"--report-caps"

static long set_bcaps(uint32_t xid, uint64_t bcaps, uint64_t bmask)
{
	struct vcmd_bcaps arg = { .bcaps = bcaps, .bmask = bmask };

	return vs_call(VCMD_set_bcaps, xid, &arg, sizeof(arg));
}

static long get_bcaps(uint32_t xid, struct vcmd_bcaps *arg)
{
	memset(arg, 0xa5, sizeof(*arg));
	return vs_call(VCMD_get_bcaps, xid, arg, sizeof(*arg));
}

static long set_ccaps(uint32_t xid, uint64_t ccaps, uint64_t cmask)
{
	struct vcmd_ctx_caps_v1 arg = { .ccaps = ccaps, .cmask = cmask };

	return vs_call(VCMD_set_ccaps, xid, &arg, sizeof(arg));
}

static long get_ccaps(uint32_t xid, struct vcmd_ctx_caps_v1 *arg)
{
	memset(arg, 0xa5, sizeof(*arg));
	return vs_call(VCMD_get_ccaps, xid, arg, sizeof(*arg));
}

static long set_umask(uint32_t xid, uint64_t umask, uint64_t mask)
{
	struct vcmd_umask arg = { .umask = umask, .mask = mask };

	return vs_call(VCMD_set_umask, xid, &arg, sizeof(arg));
}

static long get_umask(uint32_t xid, struct vcmd_umask *arg)
{
	memset(arg, 0xa5, sizeof(*arg));
	return vs_call(VCMD_get_umask, xid, arg, sizeof(*arg));
}

static long set_name(uint32_t xid, uint32_t field, const char *name)
{
	struct vcmd_vhi_name_v0 arg = { .field = field };

	snprintf(arg.name, sizeof(arg.name), "%s", name);
	return vs_call(VCMD_set_vhi_name, xid, &arg, sizeof(arg));
}

/*
 * A name without a NUL in its 65 bytes is reported as -EOVERFLOW, which
 * the kernel never returns here.
 */
static long get_name(uint32_t xid, uint32_t field, char name[VHILEN])
{
	struct vcmd_vhi_name_v0 arg = { .field = field };
	long ret;

	memset(arg.name, 0xa5, sizeof(arg.name));
	ret = vs_call(VCMD_get_vhi_name, xid, &arg, sizeof(arg));
	if (!ret && !memchr(arg.name, '\0', sizeof(arg.name)))
		ret = -EOVERFLOW;
	memcpy(name, arg.name, VHILEN);
	name[VHILEN - 1] = '\0';
	return ret;
}

/* Children */

/* In a child: differs() for strings */
static int differs_str(struct __test_metadata *_metadata, const char *what,
		       const char *want, const char *got)
{
	if (!strcmp(want, got))
		return 0;
	TH_LOG("%s: got \"%s\", want \"%s\"", what, got, want);
	return 1;
}

#define CHECK_STR(want, got)	differs_str(_metadata, #got, want, got)

/* Files */

/* Read a small file, without its trailing newline: its length or -errno. */
static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), len;

	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0)
		len = -errno;
	close(fd);
	if (len < 0)
		return len;
	buf[len] = '\0';
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(fd);
	return ret;
}

static int open_for(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Capabilities of the caller */

struct caps {
	unsigned long long eff, prm, inh, bnd;
	unsigned int euid;
};

static int read_caps(struct caps *c)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	int cap;

	if (syscall(SYS_capget, &hdr, d))
		return -errno;
	c->eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	c->prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	c->inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	c->bnd = 0;
	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap) == 1)
			c->bnd |= CAP(cap);
	c->euid = geteuid();
	return 0;
}

/* A Cap* line of /proc/self/status, or ~0 if there is none */
static unsigned long long status_caps(const char *field)
{
	unsigned long long val = ~0ULL;
	size_t len = strlen(field);
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return val;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) &&
		    sscanf(line + len, " %llx", &val) != 1)
			val = ~0ULL;
	fclose(f);
	return val;
}

/* This program, run with REPORT_ARG: print the capabilities it runs with. */
static int report_caps(void)
{
	struct caps c;

	if (read_caps(&c))
		return 1;
	printf("%llx %llx %llx %u\n", c.eff, c.prm, c.bnd, c.euid);
	return 0;
}

/* In a child: run @prog to report its capabilities into @out. */
static void exec_report(const char *prog, int out)
{
	if (dup2(out, STDOUT_FILENO) < 0)
		_exit(126);
	execl(prog, prog, REPORT_ARG, (char *)NULL);
	_exit(127);
}

static int read_report(int fd, struct caps *c)
{
	char buf[256];
	ssize_t n, len = 0;

	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	return sscanf(buf, "%llx %llx %llx %u",
		      &c->eff, &c->prm, &c->bnd, &c->euid) == 4 ? 0 : -1;
}

/*
 * The commands, through each entry.  Context 4001 is persistent and in
 * setup when each test starts.
 */
FIXTURE_CMDS(4001)

TEST_F(cmds, get_version_reports_the_level_with_capabilities)
{
	EXPECT_EQ(VCI_LEVEL_CAPS, vs_call(VCMD_get_version, 63, NULL, 0));
}

TEST_F(cmds, new_contexts_have_the_default_ceiling_no_ccaps_no_umask)
{
	struct vcmd_ctx_caps_v1 c;
	struct vcmd_umask u;
	struct vcmd_bcaps b;

	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(VX_BCAPS_DEFAULT, b.bcaps);
	EXPECT_EQ(~0ULL, b.bmask);
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(0ULL, c.ccaps);
	EXPECT_EQ(~0ULL, c.cmask);
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ(0ULL, u.umask);
	EXPECT_EQ(~0ULL, u.mask);
}

TEST_F(cmds, set_changes_only_the_bits_in_the_mask)
{
	struct vcmd_ctx_caps_v1 c;
	struct vcmd_umask u;
	struct vcmd_bcaps b;

	/* In setup the host may raise the ceiling to every capability */
	EXPECT_EQ(0, set_bcaps(4001, ~0ULL, ~0ULL));
	EXPECT_EQ(0, set_bcaps(4001, 0, CAP(CAP_SYS_ADMIN) | CAP(CAP_MKNOD)));
	EXPECT_EQ(0, set_bcaps(4001, ~0ULL, 0));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(all_caps() & ~(CAP(CAP_SYS_ADMIN) | CAP(CAP_MKNOD)), b.bcaps);

	EXPECT_EQ(0, set_ccaps(4001, VXC_SET_UTSNAME | VXC_RAW_ICMP,
			       VXC_SET_UTSNAME));
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(VXC_SET_UTSNAME, c.ccaps);
	EXPECT_EQ(0, set_ccaps(4001, VXC_RAW_ICMP, VXC_RAW_ICMP));
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(VXC_SET_UTSNAME | VXC_RAW_ICMP, c.ccaps);

	EXPECT_EQ(0, set_umask(4001, CLONE_NEWUSER, 0));
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ(0ULL, u.umask);
	EXPECT_EQ(0, set_umask(4001, CLONE_NEWUSER, CLONE_NEWUSER));
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ((uint64_t)CLONE_NEWUSER, u.umask);
}

TEST_F(cmds, bits_above_the_last_capability_are_ignored)
{
	struct vcmd_bcaps b;

	ASSERT_EQ(0, set_bcaps(4001, 0, ~0ULL));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(0ULL, b.bcaps);
	/* In setup the host may raise; only real capabilities stick. */
	EXPECT_EQ(0, set_bcaps(4001, ~0ULL, ~0ULL));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(all_caps(), b.bcaps);
	/* After setup, a bit that does not exist is no raise. */
	ASSERT_EQ(0, end_setup(4001));
	EXPECT_EQ(0, set_bcaps(4001, CAP(63), CAP(63)));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(all_caps(), b.bcaps);
}

TEST_F(cmds, after_setup_the_host_may_lower_but_not_raise)
{
	struct vcmd_ctx_caps_v1 c;
	struct vcmd_umask u;
	struct vcmd_bcaps b;
	uint64_t want = all_caps() & ~CAP(CAP_SYS_ADMIN);

	ASSERT_EQ(0, set_bcaps(4001, ~0ULL, ~0ULL));
	ASSERT_EQ(0, set_ccaps(4001, VXC_SET_UTSNAME | VXC_RAW_ICMP, ~0ULL));
	ASSERT_EQ(0, set_umask(4001, CLONE_NEWUSER, ~0ULL));
	ASSERT_EQ(0, end_setup(4001));

	EXPECT_EQ(0, set_bcaps(4001, 0, CAP(CAP_SYS_ADMIN)));
	EXPECT_EQ(-EPERM, set_bcaps(4001, ~0ULL, CAP(CAP_SYS_ADMIN)));
	/* Lowering one bit and raising another is refused as a whole. */
	EXPECT_EQ(-EPERM, set_bcaps(4001, CAP(CAP_SYS_ADMIN),
				    CAP(CAP_SYS_ADMIN) | CAP(CAP_MKNOD)));
	/* Setting a bit that is already set raises nothing. */
	EXPECT_EQ(0, set_bcaps(4001, CAP(CAP_CHOWN), CAP(CAP_CHOWN)));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(want, b.bcaps);

	EXPECT_EQ(0, set_ccaps(4001, 0, VXC_RAW_ICMP));
	EXPECT_EQ(-EPERM, set_ccaps(4001, VXC_RAW_ICMP, VXC_RAW_ICMP));
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(VXC_SET_UTSNAME, c.ccaps);

	EXPECT_EQ(0, set_umask(4001, 0, CLONE_NEWUSER));
	EXPECT_EQ(-EPERM, set_umask(4001, CLONE_NEWUSER, CLONE_NEWUSER));
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ(0ULL, u.umask);
}

TEST_F(cmds, unknown_ccaps_are_invalid)
{
	struct vcmd_ctx_caps_v1 c;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		if (CAP(bit) & (VXC_SET_UTSNAME | VXC_RAW_ICMP))
			continue;
		EXPECT_EQ(-EINVAL, set_ccaps(4001, CAP(bit), CAP(bit))) {
			TH_LOG("ccap bit %d", bit);
		}
		/* Outside the mask it changes nothing, so it does no harm. */
		EXPECT_EQ(0, set_ccaps(4001, CAP(bit), 0)) {
			TH_LOG("ccap bit %d", bit);
		}
	}
	/* A refused call changes nothing, not even its valid bits. */
	EXPECT_EQ(-EINVAL, set_ccaps(4001, VXC_SET_UTSNAME | VXC_SET_RLIMIT,
				     ~0ULL));
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(0ULL, c.ccaps);
	/* Clearing is fine, with any mask. */
	EXPECT_EQ(0, set_ccaps(4001, VXC_RAW_ICMP, ~0ULL));
	EXPECT_EQ(0, set_ccaps(4001, 0, ~0ULL));
	ASSERT_EQ(0, get_ccaps(4001, &c));
	EXPECT_EQ(0ULL, c.ccaps);
}

TEST_F(cmds, unknown_umask_bits_are_invalid)
{
	static const uint64_t bad[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_VM,
		CAP(32), CAP(63),
	};
	struct vcmd_umask u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, set_umask(4001, bad[i], ~0ULL)) {
			TH_LOG("umask 0x%llx", (unsigned long long)bad[i]);
		}
		EXPECT_EQ(-EINVAL, set_umask(4001, bad[i] | CLONE_NEWUSER,
					     ~0ULL)) {
			TH_LOG("umask 0x%llx", (unsigned long long)bad[i]);
		}
	}
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ(0ULL, u.umask);
	EXPECT_EQ(0, set_umask(4001, CLONE_NEWUSER, ~0ULL));
	ASSERT_EQ(0, get_umask(4001, &u));
	EXPECT_EQ((uint64_t)CLONE_NEWUSER, u.umask);
}

TEST_F(cmds, names_round_trip)
{
	char name[VHILEN], want[VHILEN];
	uint32_t field;

	for (field = VHIN_CONTEXT; field <= VHIN_DOMAINNAME; field++) {
		snprintf(want, sizeof(want), "name-%u", field);
		EXPECT_EQ(0, set_name(4001, field, want));
	}
	for (field = VHIN_CONTEXT; field <= VHIN_DOMAINNAME; field++) {
		snprintf(want, sizeof(want), "name-%u", field);
		EXPECT_EQ(0, get_name(4001, field, name));
		EXPECT_STREQ(want, name);
	}
	/* The host may rename a context after its setup too. */
	ASSERT_EQ(0, end_setup(4001));
	EXPECT_EQ(0, set_name(4001, VHIN_NODENAME, "renamed"));
	EXPECT_EQ(0, get_name(4001, VHIN_NODENAME, name));
	EXPECT_STREQ("renamed", name);
}

/* A name that fills its 65 bytes, with no room for the NUL */
static long set_unterminated_name(uint32_t xid, uint32_t field)
{
	struct vcmd_vhi_name_v0 arg = { .field = field };

	memset(arg.name, 'x', sizeof(arg.name));
	return vs_call(VCMD_set_vhi_name, xid, &arg, sizeof(arg));
}

TEST_F(cmds, names_must_have_a_valid_field_and_fit)
{
	char name[VHILEN], longest[VHILEN];
	uint32_t field;

	EXPECT_EQ(-EINVAL, set_name(4001, VHIN_DOMAINNAME + 1, "x"));
	EXPECT_EQ(-EINVAL, set_name(4001, 0xffffffff, "x"));
	EXPECT_EQ(-EINVAL, get_name(4001, VHIN_DOMAINNAME + 1, name));
	EXPECT_EQ(-EINVAL, get_name(4001, 0xffffffff, name));

	memset(longest, 'n', sizeof(longest));
	longest[VHILEN - 1] = '\0';
	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++) {
		EXPECT_EQ(-EINVAL, set_unterminated_name(4001, field)) {
			TH_LOG("field %u", field);
		}
		/* 64 characters and the NUL fit exactly. */
		EXPECT_EQ(0, set_name(4001, field, longest));
		EXPECT_EQ(0, get_name(4001, field, name));
		EXPECT_STREQ(longest, name);
	}
}

TEST_F(cmds, gets_write_exactly_their_structure)
{
	static const struct {
		uint32_t cmd;
		size_t size;
	} gets[] = {
		{ VCMD_get_bcaps, sizeof(struct vcmd_bcaps) },
		{ VCMD_get_ccaps, sizeof(struct vcmd_ctx_caps_v1) },
		{ VCMD_get_umask, sizeof(struct vcmd_umask) },
		{ VCMD_get_vhi_name, sizeof(struct vcmd_vhi_name_v0) },
	};
	struct vcmd_vhi_name_v0 *name = self->low;
	unsigned char *page = self->low;
	size_t i, j;

	/* The same sizes for both entries */
	ASSERT_EQ(16U, sizeof(struct vcmd_bcaps));
	ASSERT_EQ(16U, sizeof(struct vcmd_ctx_caps_v1));
	ASSERT_EQ(16U, sizeof(struct vcmd_umask));
	ASSERT_EQ(72U, sizeof(struct vcmd_vhi_name_v0));

	ASSERT_EQ(0, set_name(4001, VHIN_NODENAME, "n"));
	for (i = 0; i < ARRAY_SIZE(gets); i++) {
		memset(page, 0xa5, 256);
		name->field = VHIN_NODENAME;
		EXPECT_EQ(0, vs_call_raw(gets[i].cmd, 4001, page)) {
			TH_LOG("command 0x%08x", gets[i].cmd);
		}
		EXPECT_EQ(0xa5, page[gets[i].size]) {
			TH_LOG("command 0x%08x", gets[i].cmd);
		}
	}
	/* The name comes from a zeroed buffer: nothing after its NUL. */
	EXPECT_EQ((uint32_t)VHIN_NODENAME, name->field);
	EXPECT_STREQ("n", name->name);
	for (j = 2; j < sizeof(name->name); j++)
		EXPECT_EQ(0, name->name[j]);
	for (j = 0; j < sizeof(name->__pad); j++)
		EXPECT_EQ(0, name->__pad[j]);
}

static const struct {
	uint32_t cmd;
	size_t size;
	bool get;
} caps_cmds[] = {
	{ VCMD_get_bcaps, sizeof(struct vcmd_bcaps), true },
	{ VCMD_set_bcaps, sizeof(struct vcmd_bcaps), false },
	{ VCMD_get_ccaps, sizeof(struct vcmd_ctx_caps_v1), true },
	{ VCMD_set_ccaps, sizeof(struct vcmd_ctx_caps_v1), false },
	{ VCMD_get_umask, sizeof(struct vcmd_umask), true },
	{ VCMD_set_umask, sizeof(struct vcmd_umask), false },
	{ VCMD_get_vhi_name, sizeof(struct vcmd_vhi_name_v0), false },
	{ VCMD_set_vhi_name, sizeof(struct vcmd_vhi_name_v0), false },
};

TEST_F(cmds, bad_pointers_fault)
{
	struct vcmd_bcaps b;
	void *ro;
	size_t i;

	ro = mmap(NULL, 4096, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	for (i = 0; i < ARRAY_SIZE(caps_cmds); i++) {
		EXPECT_EQ(-EFAULT, vs_call(caps_cmds[i].cmd, 4001, NULL, 0)) {
			TH_LOG("command 0x%08x", caps_cmds[i].cmd);
		}
	}
	/* A read-only page cannot take an answer... */
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_bcaps, 4001, ro));
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_ccaps, 4001, ro));
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_umask, 4001, ro));
	EXPECT_EQ(-EFAULT, vs_call_raw(VCMD_get_vhi_name, 4001, ro));
	/* ...but holds a question: zeroes, which change nothing. */
	EXPECT_EQ(0, vs_call_raw(VCMD_set_bcaps, 4001, ro));
	EXPECT_EQ(0, vs_call_raw(VCMD_set_ccaps, 4001, ro));
	EXPECT_EQ(0, vs_call_raw(VCMD_set_umask, 4001, ro));
	ASSERT_EQ(0, get_bcaps(4001, &b));
	EXPECT_EQ(VX_BCAPS_DEFAULT, b.bcaps);
	munmap(ro, 4096);
}

TEST_F(cmds, unknown_contexts_are_not_found)
{
	union {
		struct vcmd_bcaps b;
		struct vcmd_ctx_caps_v1 c;
		struct vcmd_umask u;
		struct vcmd_vhi_name_v0 n;
	} arg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(caps_cmds); i++) {
		memset(&arg, 0, sizeof(arg));
		arg.n.field = VHIN_NODENAME;
		EXPECT_EQ(-ESRCH, vs_call(caps_cmds[i].cmd, 4099, &arg,
					  caps_cmds[i].size)) {
			TH_LOG("command 0x%08x", caps_cmds[i].cmd);
		}
		/* The host is no context. */
		EXPECT_EQ(-ESRCH, vs_call(caps_cmds[i].cmd, VX_XID_SELF, &arg,
					  caps_cmds[i].size)) {
			TH_LOG("command 0x%08x", caps_cmds[i].cmd);
		}
		/* Arguments are read first, answers written only on success. */
		EXPECT_EQ(caps_cmds[i].get ? -ESRCH : -EFAULT,
			  vs_call(caps_cmds[i].cmd, 4099, NULL, 0)) {
			TH_LOG("command 0x%08x", caps_cmds[i].cmd);
		}
	}
}

/*
 * A context changes its own capabilities only while in setup, and only
 * down; other contexts do not exist for it.
 */
static int configure_from_inside(struct __test_metadata *_metadata,
				 const char *arg)
{
	uint64_t ceiling = VX_BCAPS_DEFAULT & ~CAP(CAP_CHOWN);
	struct vcmd_ctx_caps_v1 c;
	struct vcmd_umask u;
	struct vcmd_bcaps b;
	char name[VHILEN];
	int bad = 0;

	if (create(4003, VXF_INIT_SET) != 4003)
		return 100;
	bad += CHECK(0, set_bcaps(VX_XID_SELF, 0, CAP(CAP_CHOWN)));
	bad += CHECK(0, set_ccaps(VX_XID_SELF, 0, VXC_SET_UTSNAME));
	bad += CHECK(0, set_umask(VX_XID_SELF, 0, CLONE_NEWUSER));
	bad += CHECK(0, set_name(VX_XID_SELF, VHIN_NODENAME, "inside"));
	bad += CHECK(0, end_setup(VX_XID_SELF));

	bad += CHECK(-EPERM, set_bcaps(VX_XID_SELF, 0, CAP(CAP_SYS_BOOT)));
	bad += CHECK(-EPERM, set_bcaps(VX_XID_SELF, ~0ULL, ~0ULL));
	bad += CHECK(-EPERM, set_ccaps(VX_XID_SELF, VXC_SET_UTSNAME,
				       VXC_SET_UTSNAME));
	bad += CHECK(-EPERM, set_umask(VX_XID_SELF, CLONE_NEWUSER,
				       CLONE_NEWUSER));
	bad += CHECK(-EPERM, set_name(VX_XID_SELF, VHIN_NODENAME, "again"));

	/* Looking is fine, and shows that nothing changed. */
	bad += CHECK(0, get_bcaps(VX_XID_SELF, &b));
	bad += CHECK(ceiling, b.bcaps);
	bad += CHECK(0, get_ccaps(4003, &c));
	bad += CHECK(0, c.ccaps);
	bad += CHECK(0, get_umask(4003, &u));
	bad += CHECK(0, u.umask);
	bad += CHECK(0, get_name(4003, VHIN_NODENAME, name));
	bad += CHECK_STR("inside", name);

	/* Another context */
	bad += CHECK(-ESRCH, get_bcaps(4002, &b));
	bad += CHECK(-ESRCH, get_ccaps(4002, &c));
	bad += CHECK(-ESRCH, get_umask(4002, &u));
	bad += CHECK(-ESRCH, get_name(4002, VHIN_NODENAME, name));
	return bad;
}

TEST(a_context_only_lowers_its_own_caps_and_only_in_setup)
{
	ASSERT_EQ(0, make_persistent(4002, 0));
	EXPECT_EQ(0, run_in(_metadata, 0, configure_from_inside, NULL));
	end_persistent(4002);
}

static int configure_as_nobody(struct __test_metadata *_metadata,
			       const char *arg)
{
	struct vcmd_ctx_caps_v1 c;
	struct vcmd_umask u;
	struct vcmd_bcaps b;
	char name[VHILEN];
	int bad = 0;

	if (setresuid(65534, 65534, 65534))
		return 100;
	bad += CHECK(0, get_bcaps(4004, &b));
	bad += CHECK(0, get_ccaps(4004, &c));
	bad += CHECK(0, get_umask(4004, &u));
	bad += CHECK(0, get_name(4004, VHIN_NODENAME, name));
	bad += CHECK(-EPERM, set_bcaps(4004, 0, CAP(CAP_MKNOD)));
	bad += CHECK(-EPERM, set_ccaps(4004, 0, VXC_SET_UTSNAME));
	bad += CHECK(-EPERM, set_umask(4004, 0, CLONE_NEWUSER));
	bad += CHECK(-EPERM, set_name(4004, VHIN_NODENAME, "nobody"));
	return bad;
}

TEST(unprivileged_host_users_may_look_but_not_change)
{
	struct vcmd_bcaps b;

	ASSERT_EQ(0, make_persistent(4004, 0));
	EXPECT_EQ(0, run_in(_metadata, 0, configure_as_nobody, NULL));
	ASSERT_EQ(0, get_bcaps(4004, &b));
	EXPECT_EQ(VX_BCAPS_DEFAULT, b.bcaps);
	end_persistent(4004);
}

static int create_with_bad_flags(struct __test_metadata *_metadata,
				 const char *arg)
{
	int bit, bad = 0;
	long ret;

	for (bit = 0; bit < 64; bit++) {
		if (CAP(bit) & KNOWN_FLAGS)
			continue;
		ret = create(4061, VXF_INIT_SET | CAP(bit));
		if (ret != -EINVAL) {
			TH_LOG("create with flag bit %d: %ld", bit, ret);
			bad++;
		}
	}
	return bad;
}

static int create_with_virt_uptime(struct __test_metadata *_metadata,
				   const char *arg)
{
	return create(4062, VXF_INIT_SET | VXF_VIRT_UPTIME);
}

TEST(flags_of_features_this_kernel_lacks_are_invalid)
{
	uint64_t flags;
	int bit;

	/* HIDE_NETIF (25) and SC_HELPER (36) among them */
	EXPECT_EQ(0, run_in(_metadata, 0, create_with_bad_flags, NULL));
	ASSERT_EQ(0, make_persistent(4060, 0));
	for (bit = 0; bit < 64; bit++) {
		if (CAP(bit) & KNOWN_FLAGS)
			continue;
		EXPECT_EQ(-EINVAL, set_flags(4060, CAP(bit), CAP(bit))) {
			TH_LOG("flag bit %d", bit);
		}
	}
	ASSERT_EQ(0, get_flags(4060, &flags));
	EXPECT_EQ(VXF_INIT_SET | VXF_PERSISTENT, flags);

	/* Virtual uptime is a feature now. */
	EXPECT_EQ(4062, run_in(_metadata, 0, create_with_virt_uptime, NULL));
	EXPECT_EQ(0, set_flags(4060, VXF_VIRT_UPTIME, VXF_VIRT_UPTIME));
	ASSERT_EQ(0, get_flags(4060, &flags));
	EXPECT_EQ(VXF_VIRT_UPTIME, flags & VXF_VIRT_UPTIME);
	end_persistent(4060);
}

/*
 * Root in a context whose ceiling is the safe preset: each operation,
 * run in a child in the context, with the exact result.  @arg is a
 * scratch directory of the host's.
 */

/* unshare(CLONE_NEWUSER) failed before the operation proper */
#define NO_USERNS	1

static int op_mknod_char(struct __test_metadata *_metadata, const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/null", dir);
	return ret_errno(mknod(path, S_IFCHR | 0666, makedev(1, 3)));
}

static int op_mknod_fifo(struct __test_metadata *_metadata, const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/fifo", dir);
	return ret_errno(mknod(path, S_IFIFO | 0600, 0));
}

static int op_mount_tmpfs(struct __test_metadata *_metadata, const char *dir)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/mnt", dir);
	ret = ret_errno(mount("none", path, "tmpfs", 0, NULL));
	if (!ret)
		umount2(path, MNT_DETACH);
	return ret;
}

static int op_finit_module(struct __test_metadata *_metadata, const char *dir)
{
	int fd = open("/proc/self/exe", O_RDONLY), ret;

	if (fd < 0)
		return INT_MIN;
	ret = ret_errno(syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	return ret;
}

static int op_init_module(struct __test_metadata *_metadata, const char *dir)
{
	static const char image[64];

	return ret_errno(syscall(SYS_init_module, image, sizeof(image), ""));
}

/* The time is set to what it is, should it be allowed. */
static int op_settimeofday(struct __test_metadata *_metadata, const char *dir)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return ret_errno(settimeofday(&tv, NULL));
}

static int op_clock_settime(struct __test_metadata *_metadata, const char *dir)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ret_errno(clock_settime(CLOCK_REALTIME, &ts));
}

static int op_sethostname(struct __test_metadata *_metadata, const char *dir)
{
	struct utsname u;

	uname(&u);
	return ret_errno(sethostname(u.nodename, strlen(u.nodename)));
}

static int op_setdomainname(struct __test_metadata *_metadata,
			    const char *dir)
{
	struct utsname u;

	uname(&u);
	return ret_errno(setdomainname(u.domainname, strlen(u.domainname)));
}

/*
 * CAD_OFF only turns Ctrl-Alt-Del off, harmless even if it got through:
 * in a context it does nothing and succeeds.  kexec concerns the machine
 * and is refused.  The other commands end the context (event_test.c).
 */
static int op_reboot_cad_off(struct __test_metadata *_metadata,
			     const char *dir)
{
	return ret_errno(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
				 LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF,
				 NULL));
}

static int op_reboot_kexec(struct __test_metadata *_metadata,
			   const char *dir)
{
	return ret_errno(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
				 LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC,
				 NULL));
}

static int op_iopl(struct __test_metadata *_metadata, const char *dir)
{
	return ret_errno(syscall(SYS_iopl, 3));
}

/* Port 0x80, the POST port; nothing is written to it. */
static int op_ioperm(struct __test_metadata *_metadata, const char *dir)
{
	return ret_errno(syscall(SYS_ioperm, 0x80, 1, 1));
}

static int try_socket(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_raw_icmp(struct __test_metadata *_metadata, const char *dir)
{
	return try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
}

/* The address lo has already, should it be allowed. */
static int op_siocsifaddr(struct __test_metadata *_metadata, const char *dir)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return INT_MIN;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ret = ret_errno(ioctl(fd, SIOCSIFADDR, &ifr));
	close(fd);
	return ret;
}

static int op_raise_nofile(struct __test_metadata *_metadata, const char *dir)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return INT_MIN;
	rl.rlim_max++;
	return ret_errno(setrlimit(RLIMIT_NOFILE, &rl));
}

static int op_unshare_user(struct __test_metadata *_metadata, const char *dir)
{
	return ret_errno(unshare(CLONE_NEWUSER));
}

static int op_clone_user(struct __test_metadata *_metadata, const char *dir)
{
	long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL,
			   NULL, 0);

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -errno;
	waitpid(pid, NULL, 0);
	return 0;
}

static int op_userns_unshare_mnt(struct __test_metadata *_metadata,
				 const char *dir)
{
	if (unshare(CLONE_NEWUSER))
		return NO_USERNS;
	return ret_errno(unshare(CLONE_NEWNS));
}

static int op_userns_mount(struct __test_metadata *_metadata, const char *dir)
{
	if (unshare(CLONE_NEWUSER))
		return NO_USERNS;
	return op_mount_tmpfs(_metadata, dir);
}

static int op_userns_sethostname(struct __test_metadata *_metadata,
				 const char *dir)
{
	if (unshare(CLONE_NEWUSER))
		return NO_USERNS;
	return op_sethostname(_metadata, dir);
}

static int op_chown(struct __test_metadata *_metadata, const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/owned", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return INT_MIN;
	close(fd);
	return ret_errno(chown(path, 1000, 1000));
}

/* A file of another user with no permissions at all */
static int op_read_others_file(struct __test_metadata *_metadata,
			       const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/secret", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0);
	if (fd < 0 || fchown(fd, 1000, 1000))
		return INT_MIN;
	close(fd);
	return open_for(path, O_RDONLY);
}

/*
 * Signal a child that runs as another user.  The child ends by itself
 * when the caller exits, should the signal be refused.
 */
static int op_kill_other_user(struct __test_metadata *_metadata,
			      const char *dir)
{
	int ready[2], hold[2], ret;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(hold))
		return INT_MIN;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		write(ready[1], "x", 1);
		read(hold[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1)
		ret = INT_MIN;
	else
		ret = ret_errno(kill(pid, SIGKILL));
	close(hold[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return ret;
}

static int op_bind_80(struct __test_metadata *_metadata, const char *dir)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(80),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, ret;

	if (fd < 0)
		return INT_MIN;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ret = ret_errno(bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	close(fd);
	return ret;
}

static int op_chroot(struct __test_metadata *_metadata, const char *dir)
{
	return ret_errno(chroot("/"));
}

FIXTURE(safe_preset) {
	char dir[32];
};

FIXTURE_VARIANT(safe_preset) {
	child_fn op;
	int want;
	uint64_t umask;
};

/* Outside the ceiling */
FIXTURE_VARIANT_ADD(safe_preset, mknod_char_device) {
	.op = op_mknod_char, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, mount_tmpfs) {
	.op = op_mount_tmpfs, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, finit_module) {
	.op = op_finit_module, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, init_module) {
	.op = op_init_module, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, settimeofday) {
	.op = op_settimeofday, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, clock_settime) {
	.op = op_clock_settime, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, sethostname) {
	.op = op_sethostname, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, setdomainname) {
	.op = op_setdomainname, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, reboot_cad_off) {
	.op = op_reboot_cad_off, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, reboot_kexec) {
	.op = op_reboot_kexec, .want = -EINVAL,
};
FIXTURE_VARIANT_ADD(safe_preset, iopl) {
	.op = op_iopl, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, ioperm) {
	.op = op_ioperm, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, raw_icmp_socket) {
	.op = op_raw_icmp, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, siocsifaddr_lo) {
	.op = op_siocsifaddr, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, raise_nofile_hard_limit) {
	.op = op_raise_nofile, .want = -EPERM,
};
/* Outside the unshare mask */
FIXTURE_VARIANT_ADD(safe_preset, unshare_user_ns) {
	.op = op_unshare_user, .want = -EPERM,
};
FIXTURE_VARIANT_ADD(safe_preset, clone_user_ns) {
	.op = op_clone_user, .want = -EPERM,
};
/* Inside the unshare mask: a user namespace, which grants nothing more */
FIXTURE_VARIANT_ADD(safe_preset, unshare_user_ns_in_umask) {
	.op = op_unshare_user, .want = 0, .umask = CLONE_NEWUSER,
};
FIXTURE_VARIANT_ADD(safe_preset, user_ns_then_unshare_mount_ns) {
	.op = op_userns_unshare_mnt, .want = -EPERM, .umask = CLONE_NEWUSER,
};
FIXTURE_VARIANT_ADD(safe_preset, user_ns_then_mount) {
	.op = op_userns_mount, .want = -EPERM, .umask = CLONE_NEWUSER,
};
FIXTURE_VARIANT_ADD(safe_preset, user_ns_then_sethostname) {
	.op = op_userns_sethostname, .want = -EPERM, .umask = CLONE_NEWUSER,
};
/* Inside the ceiling */
FIXTURE_VARIANT_ADD(safe_preset, chown) {
	.op = op_chown, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, read_another_users_file) {
	.op = op_read_others_file, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, kill_another_users_child) {
	.op = op_kill_other_user, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, bind_port_80) {
	.op = op_bind_80, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, chroot) {
	.op = op_chroot, .want = 0,
};
FIXTURE_VARIANT_ADD(safe_preset, mknod_fifo) {
	.op = op_mknod_fifo, .want = 0,
};

FIXTURE_SETUP(safe_preset)
{
	char path[64];

	strcpy(self->dir, "/tmp/caps_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(path, sizeof(path), "%s/mnt", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(0, make_persistent(4010, 0));
	ASSERT_EQ(0, set_bcaps(4010, SAFE_CAPS, ~0ULL));
	ASSERT_EQ(0, set_umask(4010, variant->umask, ~0ULL));
	ASSERT_EQ(0, end_setup(4010));
}

FIXTURE_TEARDOWN(safe_preset)
{
	static const char *const files[] = {
		"null", "fifo", "owned", "secret",
	};
	char path[64];
	size_t i;

	end_persistent(4010);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/mnt", self->dir);
	umount2(path, MNT_DETACH);
	rmdir(path);
	rmdir(self->dir);
}

TEST_F(safe_preset, root_inside)
{
	EXPECT_EQ(variant->want, run_in(_metadata, 4010, variant->op,
					self->dir));
}

/* Credentials */

static int creds_are_the_safe_preset(struct __test_metadata *_metadata,
				     const char *arg)
{
	struct caps c;
	int bad = 0;

	if (read_caps(&c))
		return 100;
	bad += CHECK(SAFE_CAPS, c.eff);
	bad += CHECK(SAFE_CAPS, c.prm);
	bad += CHECK(SAFE_CAPS, c.bnd);
	bad += CHECK(0, c.inh & ~SAFE_CAPS);
	bad += CHECK(SAFE_CAPS, status_caps("CapEff:"));
	bad += CHECK(SAFE_CAPS, status_caps("CapPrm:"));
	bad += CHECK(SAFE_CAPS, status_caps("CapBnd:"));
	bad += CHECK(0, status_caps("CapInh:") & ~SAFE_CAPS);
	bad += CHECK(0, status_caps("CapAmb:") & ~SAFE_CAPS);
	return bad;
}

TEST(entering_cuts_the_credentials_down_to_the_ceiling)
{
	struct caps c;

	/* Root in the host has every capability of the preset. */
	ASSERT_EQ(0, read_caps(&c));
	ASSERT_EQ(SAFE_CAPS, c.eff & SAFE_CAPS);
	ASSERT_EQ(0, make_persistent(4011, 0));
	ASSERT_EQ(0, set_bcaps(4011, SAFE_CAPS, ~0ULL));
	ASSERT_EQ(0, end_setup(4011));
	EXPECT_EQ(0, run_in(_metadata, 4011, creds_are_the_safe_preset, NULL));
	end_persistent(4011);
}

TEST(lowering_the_ceiling_reaches_running_tasks_and_their_next_exec)
{
	char file[] = "/tmp/caps_test.XXXXXX", c;
	int ready[2], go[2], out[2], fd, status, ret;
	struct caps host, caps;
	uint64_t want;
	pid_t pid;

	/* Root execs with the host's bounding set, cut to the ceiling. */
	ASSERT_EQ(0, read_caps(&host));
	want = host.bnd & VX_BCAPS_DEFAULT & ~CAP(CAP_CHOWN);
	fd = mkstemp(file);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, make_persistent(4012, 0));
	ASSERT_EQ(0, end_setup(4012));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		close(out[0]);
		if (migrate(4012, 0) < 0)
			_exit(10);
		if (chown(file, 1000, 1000))
			_exit(11);
		write(ready[1], "x", 1);
		if (read(go[0], &c, 1) != 1)
			_exit(12);
		/* The ceiling says no, whatever the credentials say */
		if (chown(file, 2000, 2000) != -1 || errno != EPERM)
			_exit(13);
		exec_report("/proc/self/exe", out[1]);
	}
	close(ready[1]);
	close(go[0]);
	close(out[1]);
	if (read(ready[0], &c, 1) == 1) {
		EXPECT_EQ(0, set_bcaps(4012, 0, CAP(CAP_CHOWN)));
		write(go[1], "x", 1);
	}
	close(go[1]);
	ret = read_report(out[0], &caps);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* 10: no entry, 11: chown refused, 13: chown still allowed */
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, ret);
	if (!ret) {
		EXPECT_EQ(want, caps.eff);
		EXPECT_EQ(want, caps.prm);
		EXPECT_EQ(want, caps.bnd);
	}
	close(ready[0]);
	close(out[0]);
	unlink(file);
	end_persistent(4012);
}

/* Drop to user 1000 and run the setuid-root program @prog. */
static void exec_setuid_as_user(const char *prog, int out)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000))
		_exit(125);
	exec_report(prog, out);
}

/* Run @prog as user 1000, in context @xid unless 0, and read its report. */
static int run_setuid(uint32_t xid, const char *prog, struct caps *c)
{
	int out[2], status, ret;
	pid_t pid;

	if (pipe(out))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(out[0]);
		if (xid && migrate(xid, 0) < 0)
			_exit(124);
		exec_setuid_as_user(prog, out[1]);
	}
	close(out[1]);
	ret = pid < 0 ? -1 : read_report(out[0], c);
	close(out[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return ret;
}

/* Copy this program to @path (a mkstemp() template), setuid root. */
static int copy_setuid_root(char *path)
{
	int in = open("/proc/self/exe", O_RDONLY), out = mkstemp(path);
	char buf[65536];
	ssize_t n;
	int ret = -1;

	if (in < 0 || out < 0)
		goto close_files;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			goto close_files;
	if (n == 0 && !fchown(out, 0, 0) && !fchmod(out, 04755))
		ret = 0;
close_files:
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	return ret;
}

TEST(a_setuid_program_gains_nothing_outside_the_ceiling)
{
	char prog[] = "/tmp/caps_test.suid.XXXXXX";
	struct caps host, c;

	ASSERT_EQ(0, read_caps(&host));
	ASSERT_EQ(0, copy_setuid_root(prog));
	/* In the host, it gets root and the whole bounding set. */
	if (run_setuid(0, prog, &c) || c.euid != 0) {
		unlink(prog);
		SKIP(return, "setuid programs do not run as root here");
	}
	EXPECT_EQ(host.bnd, c.eff);

	ASSERT_EQ(0, make_persistent(4013, 0));
	ASSERT_EQ(0, set_bcaps(4013, SAFE_CAPS, ~0ULL));
	ASSERT_EQ(0, end_setup(4013));
	EXPECT_EQ(0, run_setuid(4013, prog, &c));
	EXPECT_EQ(0U, c.euid);
	EXPECT_EQ(0ULL, c.eff & ~SAFE_CAPS);
	EXPECT_EQ(0ULL, c.prm & ~SAFE_CAPS);
	EXPECT_EQ(0ULL, c.bnd & ~SAFE_CAPS);
	end_persistent(4013);
	unlink(prog);
}

/* Context capabilities */

static int rename_with_set_utsname(struct __test_metadata *_metadata,
				   const char *arg)
{
	struct utsname u;
	char buf[VHILEN];
	int bad = 0;

	bad += CHECK(0, ret_errno(sethostname("caps-guest", 10)));
	bad += CHECK(0, uname(&u));
	bad += CHECK_STR("caps-guest", u.nodename);
	bad += CHECK(10, read_text("/proc/sys/kernel/hostname", buf,
				   sizeof(buf)));
	bad += CHECK_STR("caps-guest", buf);
	bad += CHECK(0, ret_errno(setdomainname("caps-domain", 11)));
	bad += CHECK(0, uname(&u));
	bad += CHECK_STR("caps-domain", u.domainname);
	/* The same through /proc/sys */
	bad += CHECK(0, write_text("/proc/sys/kernel/hostname", "caps-guest2"));
	bad += CHECK(0, write_text("/proc/sys/kernel/domainname",
				   "caps-domain2"));
	bad += CHECK(0, uname(&u));
	bad += CHECK_STR("caps-guest2", u.nodename);
	bad += CHECK_STR("caps-domain2", u.domainname);
	return bad;
}

TEST(set_utsname_lets_root_rename_its_context)
{
	struct utsname host, now;
	char name[VHILEN];

	ASSERT_EQ(0, uname(&host));
	ASSERT_EQ(0, make_persistent(4020, 0));
	/* Without CAP_SYS_ADMIN in the ceiling */
	ASSERT_EQ(0, set_bcaps(4020, SAFE_CAPS, ~0ULL));
	ASSERT_EQ(0, set_ccaps(4020, VXC_SET_UTSNAME, ~0ULL));
	ASSERT_EQ(0, end_setup(4020));
	EXPECT_EQ(0, run_in(_metadata, 4020, rename_with_set_utsname, NULL));

	/* The host keeps its names and sees the context's. */
	ASSERT_EQ(0, uname(&now));
	EXPECT_STREQ(host.nodename, now.nodename);
	EXPECT_STREQ(host.domainname, now.domainname);
	EXPECT_EQ(0, get_name(4020, VHIN_NODENAME, name));
	EXPECT_STREQ("caps-guest2", name);
	EXPECT_EQ(0, get_name(4020, VHIN_DOMAINNAME, name));
	EXPECT_STREQ("caps-domain2", name);
	end_persistent(4020);
}

/* @arg: the host's node name, which the context started with */
static int rename_without_set_utsname(struct __test_metadata *_metadata,
				      const char *arg)
{
	struct utsname u;
	char buf[VHILEN];
	int bad = 0;

	bad += CHECK(-EPERM, ret_errno(sethostname("caps-guest", 10)));
	bad += CHECK(-EPERM, ret_errno(setdomainname("caps-domain", 11)));
	bad += CHECK(-EACCES, open_for("/proc/sys/kernel/hostname", O_WRONLY));
	bad += CHECK(-EACCES, open_for("/proc/sys/kernel/domainname",
				       O_WRONLY));
	bad += CHECK(0, uname(&u));
	bad += CHECK_STR(arg, u.nodename);
	bad += CHECK((int)strlen(arg),
		     read_text("/proc/sys/kernel/hostname", buf, sizeof(buf)));
	bad += CHECK_STR(arg, buf);
	return bad;
}

TEST(without_set_utsname_root_cannot_rename_its_context)
{
	struct utsname host;
	char name[VHILEN];

	ASSERT_EQ(0, uname(&host));
	/* Every capability, CAP_SYS_ADMIN included, but no ccaps */
	ASSERT_EQ(0, make_persistent(4021, 0));
	ASSERT_EQ(0, end_setup(4021));
	EXPECT_EQ(0, run_in(_metadata, 4021, rename_without_set_utsname,
			    host.nodename));
	EXPECT_EQ(0, get_name(4021, VHIN_NODENAME, name));
	EXPECT_STREQ(host.nodename, name);
	end_persistent(4021);
}

static int raw_sockets_with_raw_icmp(struct __test_metadata *_metadata,
				     const char *arg)
{
	int bad = 0;

	bad += CHECK(0, try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_TCP));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
	/* Once more, after the refusals */
	bad += CHECK(0, try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	bad += CHECK(CAP(CAP_NET_RAW),
		     status_caps("CapEff:") & CAP(CAP_NET_RAW));
	return bad;
}

TEST(raw_icmp_allows_raw_icmp_sockets_only)
{
	ASSERT_EQ(0, make_persistent(4022, 0));
	ASSERT_EQ(0, set_bcaps(4022, SAFE_CAPS, ~0ULL));
	ASSERT_EQ(0, set_ccaps(4022, VXC_RAW_ICMP, ~0ULL));
	ASSERT_EQ(0, end_setup(4022));
	EXPECT_EQ(0, run_in(_metadata, 4022, raw_sockets_with_raw_icmp, NULL));
	end_persistent(4022);
}

/* Names */

static const char *const uts_names[] = {
	[VHIN_SYSNAME] = "CapsOS",
	[VHIN_NODENAME] = "caps-node",
	[VHIN_RELEASE] = "9.9.9-caps",
	[VHIN_VERSION] = "#1 caps",
	[VHIN_MACHINE] = "caps64",
	[VHIN_DOMAINNAME] = "caps.domain",
};

static int uname_shows_the_names(struct __test_metadata *_metadata,
				 const char *arg)
{
	struct utsname u;
	int bad = 0;

	if (uname(&u))
		return 100;
	bad += CHECK_STR(uts_names[VHIN_SYSNAME], u.sysname);
	bad += CHECK_STR(uts_names[VHIN_NODENAME], u.nodename);
	bad += CHECK_STR(uts_names[VHIN_RELEASE], u.release);
	bad += CHECK_STR(uts_names[VHIN_VERSION], u.version);
	bad += CHECK_STR(uts_names[VHIN_MACHINE], u.machine);
	bad += CHECK_STR(uts_names[VHIN_DOMAINNAME], u.domainname);
	return bad;
}

TEST(names_set_by_the_host_show_in_uname_inside)
{
	struct utsname host, now;
	char name[VHILEN];
	uint32_t field;

	ASSERT_EQ(0, uname(&host));
	ASSERT_EQ(0, make_persistent(4030, 0));
	/* A new context starts with its creator's names. */
	EXPECT_EQ(0, get_name(4030, VHIN_SYSNAME, name));
	EXPECT_STREQ(host.sysname, name);
	EXPECT_EQ(0, get_name(4030, VHIN_NODENAME, name));
	EXPECT_STREQ(host.nodename, name);
	EXPECT_EQ(0, get_name(4030, VHIN_RELEASE, name));
	EXPECT_STREQ(host.release, name);

	ASSERT_EQ(0, end_setup(4030));
	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++)
		EXPECT_EQ(0, set_name(4030, field, uts_names[field]));
	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++) {
		EXPECT_EQ(0, get_name(4030, field, name));
		EXPECT_STREQ(uts_names[field], name);
	}
	EXPECT_EQ(0, run_in(_metadata, 4030, uname_shows_the_names, NULL));

	ASSERT_EQ(0, uname(&now));
	EXPECT_STREQ(host.sysname, now.sysname);
	EXPECT_STREQ(host.nodename, now.nodename);
	EXPECT_STREQ(host.release, now.release);
	EXPECT_STREQ(host.version, now.version);
	EXPECT_STREQ(host.machine, now.machine);
	EXPECT_STREQ(host.domainname, now.domainname);
	end_persistent(4030);
}

/*
 * Writes to the kernel's interfaces.  The context has every capability:
 * the refusal does not come from the ceiling.
 */

FIXTURE(kernel_files) {
	char mnt[32];		/* where variant->fstype is mounted */
	char path[128];		/* the file under test, "" if none */
};

FIXTURE_VARIANT(kernel_files) {
	const char *what;
	const char *fstype;	/* mount it on a new directory first */
	const char *paths[5];	/* the first the host can open for writing */
};

FIXTURE_VARIANT_ADD(kernel_files, core_pattern) {
	.what = "/proc/sys/kernel/core_pattern",
	.paths = { "/proc/sys/kernel/core_pattern" },
};
FIXTURE_VARIANT_ADD(kernel_files, sysrq_trigger) {
	.what = "/proc/sysrq-trigger",
	.paths = { "/proc/sysrq-trigger" },
};
FIXTURE_VARIANT_ADD(kernel_files, pid_max) {
	.what = "/proc/sys/kernel/pid_max",
	.paths = { "/proc/sys/kernel/pid_max" },
};
FIXTURE_VARIANT_ADD(kernel_files, drop_caches) {
	.what = "/proc/sys/vm/drop_caches",
	.paths = { "/proc/sys/vm/drop_caches" },
};
FIXTURE_VARIANT_ADD(kernel_files, ip_forward) {
	.what = "/proc/sys/net/ipv4/ip_forward",
	.paths = { "/proc/sys/net/ipv4/ip_forward" },
};
FIXTURE_VARIANT_ADD(kernel_files, sysfs) {
	.what = "sysfs attribute",
	.paths = {
		"/sys/kernel/uevent_helper",
		"/sys/class/net/lo/tx_queue_len",
		"/sys/class/net/lo/mtu",
		"/sys/class/net/lo/uevent",
	},
};
FIXTURE_VARIANT_ADD(kernel_files, cgroup2) {
	.what = "cgroup2 file",
	.fstype = "cgroup2",
	.paths = { "cgroup.procs", "cgroup.subtree_control" },
};

FIXTURE_SETUP(kernel_files)
{
	size_t i;

	ASSERT_EQ(0, make_persistent(4040, 0));
	ASSERT_EQ(0, end_setup(4040));
	if (variant->fstype) {
		strcpy(self->mnt, "/tmp/caps_test.XXXXXX");
		ASSERT_NE(NULL, mkdtemp(self->mnt));
		if (mount(variant->fstype, self->mnt, variant->fstype, 0, NULL))
			TH_LOG("cannot mount %s: %s", variant->fstype,
			       strerror(errno));
	}
	for (i = 0; i < ARRAY_SIZE(variant->paths) && variant->paths[i]; i++) {
		if (variant->fstype)
			snprintf(self->path, sizeof(self->path), "%s/%s",
				 self->mnt, variant->paths[i]);
		else
			snprintf(self->path, sizeof(self->path), "%s",
				 variant->paths[i]);
		if (!open_for(self->path, O_WRONLY))
			break;
		self->path[0] = '\0';
	}
}

FIXTURE_TEARDOWN(kernel_files)
{
	end_persistent(4040);
	if (self->mnt[0]) {
		umount2(self->mnt, MNT_DETACH);
		rmdir(self->mnt);
	}
}

static int open_write(struct __test_metadata *_metadata, const char *path)
{
	return open_for(path, O_WRONLY);
}

static int open_read(struct __test_metadata *_metadata, const char *path)
{
	return open_for(path, O_RDONLY);
}

TEST_F(kernel_files, only_the_host_and_spectators_open_for_writing)
{
	struct stat st;

	if (!self->path[0])
		SKIP(return, "no %s here that the host can open for writing",
		     variant->what);
	EXPECT_EQ(-EACCES, run_in(_metadata, 4040, open_write, self->path));
	EXPECT_EQ(0, run_in(_metadata, VX_XID_SPECTATOR, open_write,
			    self->path));
	/* Reading stays allowed. */
	ASSERT_EQ(0, stat(self->path, &st));
	if (st.st_mode & S_IRUSR)
		EXPECT_EQ(0, run_in(_metadata, 4040, open_read, self->path));
}

static int write_own_proc_files(struct __test_metadata *_metadata,
				const char *arg)
{
	char path[64], buf[64];
	int bad = 0;

	bad += CHECK(0, write_text("/proc/self/oom_score_adj", "100"));
	bad += CHECK(0, write_text("/proc/self/comm", "caps-comm"));
	bad += CHECK(0, prctl(PR_GET_NAME, buf));
	bad += CHECK_STR("caps-comm", buf);
	bad += CHECK(0, write_text("/proc/thread-self/comm", "caps-thread"));
	snprintf(path, sizeof(path), "/proc/%d/comm", getpid());
	bad += CHECK(0, write_text(path, "caps-pid"));
	bad += CHECK(8, read_text(path, buf, sizeof(buf)));
	bad += CHECK_STR("caps-pid", buf);
	bad += CHECK(5, read_text("/proc/sys/kernel/ostype", buf,
				  sizeof(buf)));
	bad += CHECK_STR("Linux", buf);
	return bad;
}

TEST(a_context_writes_its_own_proc_pid_files)
{
	ASSERT_EQ(0, make_persistent(4041, 0));
	ASSERT_EQ(0, end_setup(4041));
	EXPECT_EQ(0, run_in(_metadata, 4041, write_own_proc_files, NULL));
	end_persistent(4041);
}

/* Uptime */

static double read_uptime(void)
{
	double up = -1;
	FILE *f = fopen("/proc/uptime", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lf", &up) != 1)
		up = -1;
	fclose(f);
	return up;
}

/* Every clock of the caller says it started less than 2 s ago. */
static int uptime_is_fresh(struct __test_metadata *_metadata)
{
	struct sysinfo si = { 0 };
	struct timespec ts = { 0 };
	double up = read_uptime();
	int bad = 0;

	if (up < 0 || up >= 2) {
		TH_LOG("/proc/uptime says %.2f", up);
		bad++;
	}
	/* sysinfo() rounds up to the next second. */
	if (sysinfo(&si) || si.uptime > 2) {
		TH_LOG("sysinfo() says %ld", si.uptime);
		bad++;
	}
	if (clock_gettime(CLOCK_BOOTTIME, &ts) || ts.tv_sec >= 2) {
		TH_LOG("CLOCK_BOOTTIME says %ld", (long)ts.tv_sec);
		bad++;
	}
	return bad;
}

/* The caller's uptime is fresh, and so is that of its children. */
static int uptimes_are_fresh(struct __test_metadata *_metadata,
			     const char *arg)
{
	int bad = uptime_is_fresh(_metadata), status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(uptime_is_fresh(_metadata));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return bad + 1;
	return bad + WEXITSTATUS(status);
}

static int create_with_virtual_uptime(struct __test_metadata *_metadata,
				      const char *arg)
{
	if (create(4050, VXF_INIT_SET | VXF_VIRT_UPTIME) != 4050)
		return 100;
	return uptimes_are_fresh(_metadata, arg);
}

TEST(virtual_uptime_counts_from_the_creation_of_the_context)
{
	struct sysinfo si;
	double host;

	sleep(2);
	host = read_uptime();
	ASSERT_LE(2, host);

	/* The creator, and a task that enters later */
	EXPECT_EQ(0, run_in(_metadata, 0, create_with_virtual_uptime, NULL));
	ASSERT_EQ(0, make_persistent(4051, VXF_VIRT_UPTIME));
	ASSERT_EQ(0, end_setup(4051));
	EXPECT_EQ(0, run_in(_metadata, 4051, uptimes_are_fresh, NULL));

	/* The host's clocks go on. */
	EXPECT_LE(host, read_uptime());
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_LE(2, si.uptime);
	end_persistent(4051);
}

TEST(virtual_uptime_set_after_creation_applies_to_tasks_entering_later)
{
	sleep(2);
	ASSERT_LE(2, read_uptime());
	ASSERT_EQ(0, make_persistent(4052, 0));
	ASSERT_EQ(0, set_flags(4052, VXF_VIRT_UPTIME, VXF_VIRT_UPTIME));
	ASSERT_EQ(0, end_setup(4052));
	EXPECT_EQ(0, run_in(_metadata, 4052, uptimes_are_fresh, NULL));
	end_persistent(4052);
}

static int uptime_seconds(struct __test_metadata *_metadata, const char *arg)
{
	struct sysinfo si;
	double up = read_uptime();

	if (up < 0 || sysinfo(&si))
		return -1;
	/* Both views agree, give or take a second. */
	if (si.uptime < (long)up - 1 || si.uptime > (long)up + 2)
		return -2;
	return (int)up;
}

TEST(without_virtual_uptime_a_context_has_the_hosts)
{
	int before, inside, after;

	ASSERT_EQ(0, make_persistent(4053, 0));
	ASSERT_EQ(0, end_setup(4053));
	before = (int)read_uptime();
	inside = run_in(_metadata, 4053, uptime_seconds, NULL);
	after = (int)read_uptime();
	EXPECT_LE(before - 1, inside);
	EXPECT_GE(after + 1, inside);
	end_persistent(4053);
}

int main(int argc, char **argv)
{
	/* The setuid and execve tests run this program to report its caps. */
	if (argc == 2 && !strcmp(argv[1], REPORT_ARG))
		return report_caps();
	return test_harness_run(argc, argv);
}
