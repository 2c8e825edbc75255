// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disk limits: a project quota whose id is the xid, on an ext4 made with
 * project quotas on a loop device.  The host tags a tree with the
 * project and sets its limits; root in the context, with the default
 * ceiling, gets EDQUOT at the limits and cannot get out of the project:
 * not by changing a project id or clearing PROJINHERIT (FS_IOC_FSSETXATTR,
 * FS_IOC_SETFLAGS), not by quotactl(2).  With CAP_SYS_ADMIN in its
 * ceiling it may read its own project's quota, and no other.
 *
 * Contexts 4600-4649.
 */

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <linux/fs.h>

#include "common.h"

#define IMG		"/tmp/quota_test.img"
#define MNT		"/tmp/quota_test"
#define TREE		MNT "/guest"
#define OTHER		MNT "/other"

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd	443
#endif

#ifndef PRJQUOTA
#define PRJQUOTA	2
#endif

static long quotactl_fd(int fd, int cmd, int type, int id, void *addr)
{
	long ret = syscall(SYS_quotactl_fd, fd, QCMD(cmd, type), id, addr);

	return ret < 0 ? -errno : ret;
}

static long quota_on_dir(const char *dir, int cmd, int id, void *addr)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long ret;

	if (fd < 0)
		return -errno;
	ret = quotactl_fd(fd, cmd, PRJQUOTA, id, addr);
	close(fd);
	return ret;
}

/* Set the limits of project @id: bytes and inodes, 0 for none */
static long set_project(uint32_t id, uint64_t bytes, uint64_t inodes)
{
	struct if_dqblk q = {
		.dqb_bhardlimit = bytes / 1024,
		.dqb_bsoftlimit = bytes / 1024,
		.dqb_ihardlimit = inodes,
		.dqb_isoftlimit = inodes,
		.dqb_valid = QIF_LIMITS,
	};

	return quota_on_dir(MNT, Q_SETQUOTA, (int)id, &q);
}

static long get_project(uint32_t id, struct if_dqblk *q)
{
	memset(q, 0, sizeof(*q));
	return quota_on_dir(MNT, Q_GETQUOTA, (int)id, q);
}

static long get_fsx(const char *path, struct fsxattr *fa)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, FS_IOC_FSGETXATTR, fa) ? -errno : 0;
	close(fd);
	return ret;
}

/* Give @path project @id, with PROJINHERIT when @inherit */
static long set_fsx(const char *path, uint32_t id, bool inherit)
{
	struct fsxattr fa;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, FS_IOC_FSGETXATTR, &fa) ? -errno : 0;
	if (!ret) {
		fa.fsx_projid = id;
		if (inherit)
			fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
		else
			fa.fsx_xflags &= ~FS_XFLAG_PROJINHERIT;
		ret = ioctl(fd, FS_IOC_FSSETXATTR, &fa) ? -errno : 0;
	}
	close(fd);
	return ret;
}

/* The FS_IOC_GETFLAGS word of @path, then FS_IOC_SETFLAGS with @set and
 * @clear applied */
static long change_flags(const char *path, int set, int clear)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), flags;
	long ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, FS_IOC_GETFLAGS, &flags) ? -errno : 0;
	if (!ret) {
		flags = (flags | set) & ~clear;
		ret = ioctl(fd, FS_IOC_SETFLAGS, &flags) ? -errno : 0;
	}
	close(fd);
	return ret;
}

typedef long (*ctx_fn)(void *arg);

/*
 * Run @fn in a child that creates context @xid (and so enters it with
 * the default ceiling, as root), or with @join enters the existing one,
 * and return what @fn returned: 0 or a negative errno.  -1000 when the
 * child could not get that far.
 */
static long ctx_child(uint32_t xid, bool join, ctx_fn fn, void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long ret;

		if (join ? migrate(xid, 0) < 0 :
			   create(xid, VXF_INIT_SET) != xid)
			_exit(255);
		ret = fn(arg);
		_exit(ret > 0 || ret < -250 ? 254 : (int)-ret);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1000;
	switch (WEXITSTATUS(status)) {
	case 255:
		return -1000;
	case 254:
		return -1001;
	}
	return -WEXITSTATUS(status);
}

static long in_context(uint32_t xid, ctx_fn fn, void *arg)
{
	return ctx_child(xid, false, fn, arg);
}

static long in_context_join(uint32_t xid, ctx_fn fn, void *arg)
{
	return ctx_child(xid, true, fn, arg);
}

static int sh(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Write @len bytes into a new file @path: 0, or the -errno that stopped
 * it */
static long write_bytes(const char *path, size_t len)
{
	static char buf[64 * 1024];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	long ret = 0;

	if (fd < 0)
		return -errno;
	memset(buf, 'q', sizeof(buf));
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			ret = -errno;
			break;
		}
		len -= (size_t)w;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

FIXTURE(quota) {
	bool ready;
};

FIXTURE_SETUP(quota)
{
	if (access("/opt/e2fsprogs/mke2fs", X_OK)) {
		self->ready = false;
		SKIP(return, "no mke2fs in this VM");
	}
	sh("umount " MNT " 2>/dev/null; rm -f " IMG);
	ASSERT_EQ(0, sh("set -e; dd if=/dev/zero of=" IMG " bs=1M count=32 "
			"2>/dev/null; /opt/e2fsprogs/mke2fs -q -F -t ext4 -O quota,project "
			"-E quotatype=prjquota " IMG " >/dev/null; mkdir -p "
			MNT "; mount -o loop,prjquota " IMG " " MNT "; mkdir "
			TREE " " OTHER));
	self->ready = true;
}

FIXTURE_TEARDOWN(quota)
{
	if (self->ready)
		sh("umount " MNT "; rm -f " IMG);
}

static uint32_t cur_xid;

static long write_9m(void *arg)
{
	(void)arg;
	return write_bytes(TREE "/big", 9 << 20);
}

static long write_6m(void *arg)
{
	return write_bytes((const char *)arg, 6 << 20);
}

TEST_F(quota, a_guest_gets_edquot_past_its_disk_limit)
{
	struct if_dqblk q;

	cur_xid = 4600;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, set_project(cur_xid, 8 << 20, 0));
	/* What the guest writes counts against its project */
	EXPECT_EQ(-EDQUOT, in_context(cur_xid, write_9m, NULL));
	ASSERT_EQ(0, get_project(cur_xid, &q));
	EXPECT_LE(q.dqb_curspace, 8ULL << 20);
	EXPECT_GE(q.dqb_curspace, 7ULL << 20);
	/* A second file cannot go past it either, the first one stays */
	EXPECT_EQ(-EDQUOT, in_context(cur_xid, write_6m, TREE "/more"));
	/* The host is not held to it outside the project */
	EXPECT_EQ(0, write_bytes(OTHER "/host", 6 << 20));
}

static long make_files(void *arg)
{
	char path[64];
	int i, fd;

	for (i = 0; i < (int)(intptr_t)arg; i++) {
		snprintf(path, sizeof(path), TREE "/f%d", i);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return i ? -errno : -1;
		close(fd);
	}
	return 0;
}

static long make_dir(void *arg)
{
	return mkdir((const char *)arg, 0755) ? -errno : 0;
}

TEST_F(quota, a_guest_gets_edquot_past_its_inode_limit)
{
	struct if_dqblk q;

	cur_xid = 4601;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	/* The tree's directory is one of the 20 */
	ASSERT_EQ(0, set_project(cur_xid, 0, 20));
	EXPECT_EQ(0, in_context(cur_xid, make_files, (void *)(intptr_t)19));
	EXPECT_EQ(-EDQUOT, in_context(cur_xid, make_files,
				      (void *)(intptr_t)20));
	EXPECT_EQ(-EDQUOT, in_context(cur_xid, make_dir, TREE "/d"));
	ASSERT_EQ(0, get_project(cur_xid, &q));
	EXPECT_EQ(20ULL, q.dqb_curinodes);
}

struct fsx_req {
	const char *path;
	uint32_t projid;
	bool inherit;
	int set, clear;
};

static long do_set_fsx(void *arg)
{
	const struct fsx_req *r = arg;

	return set_fsx(r->path, r->projid, r->inherit);
}

static long do_change_flags(void *arg)
{
	const struct fsx_req *r = arg;

	return change_flags(r->path, r->set, r->clear);
}

TEST_F(quota, a_guest_cannot_change_a_project_id_or_projinherit)
{
	struct fsx_req other_id = { .path = TREE, .projid = 0, .inherit = true };
	struct fsx_req no_inherit = { .path = TREE, .projid = 4602, .inherit = false };
	struct fsx_req file_id = { .path = TREE "/file", .projid = 4603, .inherit = false };
	struct fsx_req same = { .path = TREE, .projid = 4602, .inherit = true };
	struct fsx_req flags_clear = { .path = TREE, .clear = FS_PROJINHERIT_FL };
	struct fsx_req flags_noatime = { .path = TREE, .set = FS_NOATIME_FL };
	struct fsx_req new_dir = { .path = TREE "/sub", .projid = 0, .inherit = false };
	struct fsxattr fa;

	cur_xid = 4602;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, write_bytes(TREE "/file", 10));
	ASSERT_EQ(0, mkdir(TREE "/sub", 0755));

	/* FS_IOC_FSSETXATTR: another id, no inheritance, for a dir, a file */
	EXPECT_EQ(-EINVAL, in_context(cur_xid, do_set_fsx, &other_id));
	EXPECT_EQ(-EINVAL, in_context(cur_xid, do_set_fsx, &no_inherit));
	EXPECT_EQ(-EINVAL, in_context(cur_xid, do_set_fsx, &file_id));
	EXPECT_EQ(-EINVAL, in_context(cur_xid, do_set_fsx, &new_dir));
	/* FS_IOC_SETFLAGS cannot clear the inheritance either */
	EXPECT_EQ(-EINVAL, in_context(cur_xid, do_change_flags,
				      &flags_clear));
	/* What leaves the project alone still works */
	EXPECT_EQ(0, in_context(cur_xid, do_set_fsx, &same));
	EXPECT_EQ(0, in_context(cur_xid, do_change_flags, &flags_noatime));

	ASSERT_EQ(0, get_fsx(TREE, &fa));
	EXPECT_EQ(cur_xid, fa.fsx_projid);
	EXPECT_TRUE(!!(fa.fsx_xflags & FS_XFLAG_PROJINHERIT));
	ASSERT_EQ(0, get_fsx(TREE "/file", &fa));
	EXPECT_EQ(cur_xid, fa.fsx_projid);
	ASSERT_EQ(0, get_fsx(TREE "/sub", &fa));
	EXPECT_EQ(cur_xid, fa.fsx_projid);
	EXPECT_TRUE(!!(fa.fsx_xflags & FS_XFLAG_PROJINHERIT));
	/* The host still may */
	EXPECT_EQ(0, set_fsx(TREE "/file", 4699, false));
}

TEST_F(quota, the_ceiling_does_not_unlock_project_ids)
{
	struct fsx_req other_id = { .path = TREE, .projid = 0, .inherit = true };

	cur_xid = 4604;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, make_persistent(cur_xid, 0));
	ASSERT_EQ(0, ceiling_set(cur_xid, all_caps(), ~0ULL));
	ASSERT_EQ(0, end_setup(cur_xid));
	/* Every capability within the ceiling, and still not */
	EXPECT_EQ(-EINVAL, in_context_join(cur_xid, do_set_fsx, &other_id));
	end_persistent(cur_xid);
}

struct qc_req {
	int cmd;
	int id;
};

static long do_quotactl(void *arg)
{
	const struct qc_req *r = arg;
	struct if_dqblk q = { .dqb_valid = QIF_LIMITS };
	struct if_dqinfo info = { 0 };
	void *addr = r->cmd == Q_SETINFO || r->cmd == Q_GETINFO ?
		     (void *)&info : (void *)&q;

	return quota_on_dir(TREE, r->cmd, r->id, addr);
}

TEST_F(quota, quotactl_in_a_context_reads_only_its_own_project)
{
	struct qc_req set_own = { .cmd = Q_SETQUOTA, .id = 4605 };
	struct qc_req set_other = { .cmd = Q_SETQUOTA, .id = 4606 };
	struct qc_req setinfo = { .cmd = Q_SETINFO, .id = 0 };
	struct qc_req off = { .cmd = Q_QUOTAOFF, .id = 0 };
	struct qc_req get_own = { .cmd = Q_GETQUOTA, .id = 4605 };
	struct qc_req get_other = { .cmd = Q_GETQUOTA, .id = 4606 };
	struct qc_req get_next = { .cmd = Q_GETNEXTQUOTA, .id = 0 };
	struct qc_req getinfo = { .cmd = Q_GETINFO, .id = 0 };
	struct if_dqblk q;

	cur_xid = 4605;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, set_project(cur_xid, 8 << 20, 100));
	ASSERT_EQ(0, set_project(4606, 1 << 20, 10));

	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &set_own));
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &set_other));
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &setinfo));
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &off));
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &get_other));
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &get_next));
	/* A project's quota is CAP_SYS_ADMIN's to read, the kernel says */
	EXPECT_EQ(-EPERM, in_context(cur_xid, do_quotactl, &get_own));
	EXPECT_EQ(0, in_context(cur_xid, do_quotactl, &getinfo));

	/* Nothing changed, and quotas are still on */
	ASSERT_EQ(0, get_project(cur_xid, &q));
	EXPECT_EQ(8192ULL, q.dqb_bhardlimit);
	EXPECT_EQ(100ULL, q.dqb_ihardlimit);
	ASSERT_EQ(0, get_project(4606, &q));
	EXPECT_EQ(1024ULL, q.dqb_bhardlimit);
	EXPECT_EQ(-EDQUOT, in_context(cur_xid, write_9m, NULL));
}

TEST_F(quota, quotactl_with_every_capability_still_changes_nothing)
{
	struct qc_req set_own = { .cmd = Q_SETQUOTA, .id = 4607 };
	struct qc_req off = { .cmd = Q_QUOTAOFF, .id = 0 };
	struct qc_req get_other = { .cmd = Q_GETQUOTA, .id = 0 };
	struct qc_req get_own = { .cmd = Q_GETQUOTA, .id = 4607 };
	struct qc_req get_next = { .cmd = Q_GETNEXTQUOTA, .id = 0 };
	struct if_dqblk q;

	cur_xid = 4607;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, set_project(cur_xid, 8 << 20, 0));
	ASSERT_EQ(0, make_persistent(cur_xid, 0));
	ASSERT_EQ(0, ceiling_set(cur_xid, all_caps(), ~0ULL));
	ASSERT_EQ(0, end_setup(cur_xid));
	EXPECT_EQ(-EPERM, in_context_join(cur_xid, do_quotactl, &set_own));
	EXPECT_EQ(-EPERM, in_context_join(cur_xid, do_quotactl, &off));
	EXPECT_EQ(-EPERM, in_context_join(cur_xid, do_quotactl, &get_other));
	EXPECT_EQ(-EPERM, in_context_join(cur_xid, do_quotactl, &get_next));
	/* Its own project's it may read */
	EXPECT_EQ(0, in_context_join(cur_xid, do_quotactl, &get_own));
	end_persistent(cur_xid);
	ASSERT_EQ(0, get_project(cur_xid, &q));
	EXPECT_EQ(8192ULL, q.dqb_bhardlimit);
}

static long link_out(void *arg)
{
	(void)arg;
	return link(TREE "/file", OTHER "/file") ? -errno : 0;
}

static long rename_in(void *arg)
{
	(void)arg;
	return rename(OTHER "/outside", TREE "/outside") ? -errno : 0;
}

TEST_F(quota, files_do_not_cross_into_or_out_of_a_project)
{
	cur_xid = 4608;
	ASSERT_EQ(0, set_fsx(TREE, cur_xid, true));
	ASSERT_EQ(0, set_fsx(OTHER, 4609, true));
	ASSERT_EQ(0, write_bytes(TREE "/file", 10));
	ASSERT_EQ(0, write_bytes(OTHER "/outside", 10));
	/* The kernel's own rule, which the limits rely on */
	EXPECT_EQ(-EXDEV, in_context(cur_xid, link_out, NULL));
	EXPECT_EQ(-EXDEV, in_context(cur_xid, rename_in, NULL));
}

TEST_HARNESS_MAIN
