// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory cgroup of a context; see cgroup.h.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vserver.h>

#include "cgroup.h"

#define MOUNTS		"/proc/self/mounts"

/* Room for the contents of the small files read here */
#define FILE_LEN	512

/* What the last failing call failed to do; see cgroup_what() */
static char what[PATH_MAX + 64];

/* Record what failed, keep errno, return -1 */
static int __attribute__((format(printf, 1, 2))) failed(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

const char *cgroup_what(void)
{
	return what;
}

const char *cgroup_root(void)
{
	const char *root = getenv(CGROUP_ROOT_ENV);

	return root && *root ? root : CGROUP_ROOT;
}

/* The length of the root without trailing slashes ("/" stays itself) */
static int root_len(const char *root)
{
	size_t len = strlen(root);

	while (len > 1 && root[len - 1] == '/')
		len--;
	return (int)len;
}

/* The root without trailing slashes, in buf of PATH_MAX bytes */
static int root_dir(char *buf)
{
	const char *root = cgroup_root();
	int len = root_len(root);

	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return failed("find the cgroups below %s", root);
	}
	memcpy(buf, root, (size_t)len);
	buf[len] = '\0';
	return 0;
}

/* The root, then "/" and the formatted rest, in buf of PATH_MAX bytes */
static int __attribute__((format(printf, 2, 3)))
root_path(char *buf, const char *fmt, ...)
{
	size_t len;
	va_list ap;
	int n;

	if (root_dir(buf) != 0)
		return -1;
	len = strlen(buf);
	va_start(ap, fmt);
	n = vsnprintf(buf + len + 1, PATH_MAX - len - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= PATH_MAX - len - 1) {
		errno = ENAMETOOLONG;
		return failed("find the cgroups below %s", cgroup_root());
	}
	buf[len] = '/';
	return 0;
}

int cgroup_path(char *buf, size_t len, uint32_t xid, const char *file)
{
	char path[PATH_MAX];

	if (root_path(path, "%s/%u%s%s", CGROUP_PARENT, xid, file ? "/" : "",
		      file ? file : "") != 0)
		return -1;
	if (strlen(path) >= len) {
		errno = ENAMETOOLONG;
		return failed("find the cgroup of context %u", xid);
	}
	strcpy(buf, path);
	return 0;
}

/* The contents of path into buf of FILE_LEN bytes, NUL-terminated */
static int read_file(const char *path, char *buf)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return failed("read %s", path);
	while (len < FILE_LEN - 1) {
		n = read(fd, buf + len, FILE_LEN - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			failed("read %s", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return 0;
}

/*
 * Write text to path in one write(), as cgroupfs wants it: flags add
 * O_TRUNC for a value, O_APPEND for a list.
 */
static int write_file(const char *path, const char *text, int flags)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return -1;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n != len)
		errno = EIO;
	if (n < 0 || (size_t)n != len) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/* True when the white-space separated list has word */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while (*p) {
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, " \t\n");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
	}
	return false;
}

/* A value of a memory file: "max", or a number of bytes, and a newline */
static int parse_value(const char *text, uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (strcmp(text, "max\n") == 0 || strcmp(text, "max") == 0) {
		*value = CRLIM_INFINITY;
		return 0;
	}
	if (!isdigit((unsigned char)*text)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || (*end && strcmp(end, "\n") != 0) || v >= CRLIM_KEEP) {
		errno = EINVAL;
		return -1;
	}
	*value = v;
	return 0;
}

/* The value in file of the cgroup of context xid */
static int read_value(uint32_t xid, const char *file, uint64_t *value)
{
	char path[PATH_MAX], buf[FILE_LEN];

	if (cgroup_path(path, sizeof(path), xid, file) != 0 ||
	    read_file(path, buf) != 0)
		return -1;
	if (parse_value(buf, value) != 0)
		return failed("read %s", path);
	return 0;
}

/* The counters of memory.events we show: max, oom and oom_kill */
static int read_events(uint32_t xid, struct cgroup_memory *m)
{
	char path[PATH_MAX], buf[FILE_LEN];
	char *line, *save = NULL;

	if (cgroup_path(path, sizeof(path), xid, "memory.events") != 0 ||
	    read_file(path, buf) != 0)
		return -1;
	m->events_max = m->events_oom = m->events_oom_kill = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[32];
		uint64_t count;

		if (sscanf(line, "%31s %" SCNu64, key, &count) != 2)
			continue;
		if (strcmp(key, "max") == 0)
			m->events_max = count;
		else if (strcmp(key, "oom") == 0)
			m->events_oom = count;
		else if (strcmp(key, "oom_kill") == 0)
			m->events_oom_kill = count;
	}
	return 0;
}

/* The last entry of /proc/self/mounts for dir is a cgroup2 mount */
static int is_cgroup2_mount(const char *dir, bool *mounted)
{
	int len = root_len(dir);
	char buf[8192];
	struct mntent ent;
	FILE *f;

	f = setmntent(MOUNTS, "r");
	if (!f)
		return failed("read %s", MOUNTS);
	*mounted = false;
	while (getmntent_r(f, &ent, buf, sizeof(buf)))
		if (strlen(ent.mnt_dir) == (size_t)len &&
		    strncmp(ent.mnt_dir, dir, (size_t)len) == 0)
			*mounted = strcmp(ent.mnt_type, "cgroup2") == 0;
	endmntent(f);
	return 0;
}

int cgroup_probe(void)
{
	char path[PATH_MAX], buf[FILE_LEN];
	bool mounted = false;

	if (is_cgroup2_mount(cgroup_root(), &mounted) != 0)
		return -1;
	if (!mounted)
		return CGROUP_NOT_MOUNTED;
	if (root_path(path, "cgroup.controllers") != 0 ||
	    read_file(path, buf) != 0)
		return -1;
	return has_word(buf, "memory") ? CGROUP_READY : CGROUP_NO_MEMORY;
}

int cgroup_exists(uint32_t xid)
{
	char path[PATH_MAX];
	struct stat st;

	if (cgroup_path(path, sizeof(path), xid, NULL) != 0)
		return -1;
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode);
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return failed("read %s", path);
}

int cgroup_read_memory(uint32_t xid, struct cgroup_memory *m)
{
	char path[PATH_MAX];
	int exists = cgroup_exists(xid);

	if (exists < 0)
		return -1;
	if (!exists) {
		errno = ENOENT;
		if (cgroup_path(path, sizeof(path), xid, NULL) != 0)
			return -1;
		return failed("read %s", path);
	}
	if (read_value(xid, "memory.current", &m->current) != 0 ||
	    read_value(xid, "memory.high", &m->high) != 0 ||
	    read_value(xid, "memory.max", &m->max) != 0 ||
	    read_events(xid, m) != 0)
		return -1;
	m->has_peak = read_value(xid, "memory.peak", &m->peak) == 0;
	if (!m->has_peak && errno != ENOENT)
		return -1;
	return 0;
}

/* Enable the memory controller for the children of dir, if it is not */
static int enable_memory(const char *dir)
{
	char path[PATH_MAX], buf[FILE_LEN];

	if (snprintf(path, sizeof(path), "%s/cgroup.subtree_control",
		     dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return failed("enable the memory controller in %s", dir);
	}
	if (read_file(path, buf) != 0)
		return -1;
	if (has_word(buf, "memory"))
		return 0;
	if (write_file(path, "+memory", O_APPEND) != 0)
		return failed("enable the memory controller in %s", dir);
	return 0;
}

/* mkdir path, which may exist already */
static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	return failed("create %s", path);
}

int cgroup_create(uint32_t xid)
{
	char root[PATH_MAX], parent[PATH_MAX], dir[PATH_MAX];

	if (root_dir(root) != 0 || root_path(parent, CGROUP_PARENT) != 0 ||
	    cgroup_path(dir, sizeof(dir), xid, NULL) != 0)
		return -1;
	if (enable_memory(root) != 0 || make_dir(parent) != 0 ||
	    enable_memory(parent) != 0 || make_dir(dir) != 0)
		return -1;
	return 0;
}

/* Write limit, unless it is CRLIM_KEEP, into file of context xid */
static int write_limit(uint32_t xid, const char *file, uint64_t limit)
{
	char path[PATH_MAX], text[32];

	if (limit == CRLIM_KEEP)
		return 0;
	if (limit == CRLIM_INFINITY)
		strcpy(text, "max");
	else
		snprintf(text, sizeof(text), "%" PRIu64, limit);
	if (cgroup_path(path, sizeof(path), xid, file) != 0)
		return -1;
	if (write_file(path, text, O_TRUNC) != 0)
		return failed("write %s", path);
	return 0;
}

int cgroup_set_memory(uint32_t xid, uint64_t high, uint64_t max)
{
	if (write_limit(xid, "memory.max", max) != 0 ||
	    write_limit(xid, "memory.high", high) != 0)
		return -1;
	return 0;
}

int cgroup_move(uint32_t xid, pid_t pid)
{
	char path[PATH_MAX], text[32];

	if (cgroup_path(path, sizeof(path), xid, "cgroup.procs") != 0)
		return -1;
	snprintf(text, sizeof(text), "%d\n", (int)pid);
	if (write_file(path, text, O_APPEND) != 0) {
		path[strlen(path) - strlen("/cgroup.procs")] = '\0';
		return failed("move process %d into %s", (int)pid, path);
	}
	return 0;
}

/* The pid named by a /proc entry, or 0 when it names none */
static pid_t proc_pid(const char *name)
{
	long pid;
	char *end;

	if (!isdigit((unsigned char)*name))
		return 0;
	errno = 0;
	pid = strtol(name, &end, 10);
	if (errno || *end || pid <= 0 || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

int cgroup_move_context(uint32_t xid)
{
	struct dirent *d;
	int moved = 0;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc)
		return failed("read /proc");
	while ((errno = 0, d = readdir(proc)) != NULL) {
		pid_t pid = proc_pid(d->d_name);
		int task_xid;

		if (!pid)
			continue;
		task_xid = vs_task_xid(pid);
		if (task_xid < 0 && errno == ESRCH)
			continue;	/* gone meanwhile */
		if (task_xid < 0) {
			failed("find the context of process %d", (int)pid);
			goto fail;
		}
		if ((uint32_t)task_xid != xid)
			continue;
		if (cgroup_move(xid, pid) != 0) {
			if (errno == ESRCH)
				continue;
			goto fail;
		}
		moved++;
	}
	if (errno) {
		failed("read /proc");
		goto fail;
	}
	closedir(proc);
	return moved;
fail:
	{
		int saved = errno;

		closedir(proc);
		errno = saved;
	}
	return -1;
}

int cgroup_remove(uint32_t xid)
{
	char path[PATH_MAX];

	if (cgroup_path(path, sizeof(path), xid, NULL) != 0)
		return -1;
	if (rmdir(path) != 0)
		return failed("remove %s", path);
	return 0;
}
