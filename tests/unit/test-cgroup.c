// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory cgroup of a context (util-vserver/cgroup.c), against a
 * directory that stands in for cgroupfs through VSERVER_CGROUP_ROOT: the
 * paths, the files read and written, and what a failure reports.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vserver.h>

#include "cgroup.h"
#include "tap.h"

static char root[PATH_MAX];

/* Write text to root/rel */
static void put(const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* The contents of root/rel, or "(missing)" */
static const char *get(const char *rel)
{
	static char buf[256];
	char path[PATH_MAX * 2];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return "(missing)";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void make(const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (mkdir(path, 0755) != 0) {
		perror(path);
		exit(1);
	}
}

/* A cgroup with the interface files cgroupfs would make */
static void make_cgroup(const char *rel)
{
	static const char *const files[][2] = {
		{ "cgroup.procs", "" },
		{ "cgroup.subtree_control", "" },
		{ "memory.current", "0\n" },
		{ "memory.high", "max\n" },
		{ "memory.max", "max\n" },
		{ "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n" },
	};
	char file[PATH_MAX];
	size_t i;

	make(rel);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(file, sizeof(file), "%s/%s", rel, files[i][0]);
		put(file, files[i][1]);
	}
}

static void test_paths(void)
{
	char path[PATH_MAX], want[PATH_MAX + 32], small[8];

	unsetenv(CGROUP_ROOT_ENV);
	tap_ok(strcmp(cgroup_root(), "/sys/fs/cgroup") == 0,
	       "the root is /sys/fs/cgroup by default");
	tap_ok(cgroup_path(path, sizeof(path), 42, "memory.max") == 0 &&
	       strcmp(path, "/sys/fs/cgroup/vserver/42/memory.max") == 0,
	       "the cgroup of context 42 is /sys/fs/cgroup/vserver/42");

	snprintf(want, sizeof(want), "%s///", root);
	setenv(CGROUP_ROOT_ENV, want, 1);
	snprintf(want, sizeof(want), "%s/vserver/7", root);
	tap_ok(cgroup_path(path, sizeof(path), 7, NULL) == 0 &&
	       strcmp(path, want) == 0,
	       "VSERVER_CGROUP_ROOT replaces the root, trailing slashes "
	       "left out");
	errno = 0;
	tap_ok(cgroup_path(small, sizeof(small), 7, NULL) == -1 &&
	       errno == ENAMETOOLONG,
	       "a path longer than the buffer fails with ENAMETOOLONG");
	setenv(CGROUP_ROOT_ENV, root, 1);
}

static void test_probe(void)
{
	setenv(CGROUP_ROOT_ENV, root, 1);
	tap_ok(cgroup_probe() == CGROUP_NOT_MOUNTED,
	       "a directory that is not a cgroup2 mount is not mounted");
	setenv(CGROUP_ROOT_ENV, "/proc", 1);
	tap_ok(cgroup_probe() == CGROUP_NOT_MOUNTED,
	       "a mount of another file system is not mounted");
	setenv(CGROUP_ROOT_ENV, root, 1);
}

static void test_read(void)
{
	struct cgroup_memory m;
	char want[PATH_MAX + 64];

	tap_ok(cgroup_exists(42) == 0, "a context without a directory has "
	       "no cgroup");
	errno = 0;
	snprintf(want, sizeof(want), "read %s/vserver/42", root);
	tap_ok(cgroup_read_memory(42, &m) == -1 && errno == ENOENT &&
	       strcmp(cgroup_what(), want) == 0,
	       "reading the memory of no cgroup fails with ENOENT");

	make_cgroup("vserver/42");
	put("vserver/42/memory.current", "1234\n");
	put("vserver/42/memory.high", "8388608\n");
	put("vserver/42/memory.events",
	    "low 1\nhigh 2\nmax 3\noom 4\noom_kill 5\noom_group_kill 6\n");
	tap_ok(cgroup_exists(42) == 1, "a context with a directory has a "
	       "cgroup");
	tap_ok(cgroup_read_memory(42, &m) == 0 && m.current == 1234 &&
	       m.high == 8388608 && m.max == CRLIM_INFINITY && !m.has_peak &&
	       m.events_max == 3 && m.events_oom == 4 &&
	       m.events_oom_kill == 5,
	       "the memory files are read, max as CRLIM_INFINITY, without "
	       "memory.peak");
	put("vserver/42/memory.peak", "4096\n");
	tap_ok(cgroup_read_memory(42, &m) == 0 && m.has_peak &&
	       m.peak == 4096, "memory.peak is read when it exists");

	put("vserver/42/memory.max", "lots\n");
	errno = 0;
	snprintf(want, sizeof(want), "read %s/vserver/42/memory.max", root);
	tap_ok(cgroup_read_memory(42, &m) == -1 && errno == EINVAL &&
	       strcmp(cgroup_what(), want) == 0,
	       "a value that is not one fails with EINVAL, naming the file");
	put("vserver/42/memory.max", "max\n");
}

static void test_change(void)
{
	char want[PATH_MAX + 64];

	put("cgroup.subtree_control", "cpu memory\n");
	tap_ok(cgroup_create(42) == 0 &&
	       strcmp(get("cgroup.subtree_control"), "cpu memory\n") == 0 &&
	       strcmp(get("vserver/cgroup.subtree_control"), "+memory") == 0,
	       "creating an existing cgroup enables memory where it is not");
	tap_ok(cgroup_set_memory(42, CRLIM_KEEP, 16 << 20) == 0 &&
	       strcmp(get("vserver/42/memory.max"), "16777216") == 0 &&
	       strcmp(get("vserver/42/memory.high"), "8388608\n") == 0,
	       "the hard limit goes to memory.max, a kept soft limit nowhere");
	tap_ok(cgroup_set_memory(42, 4 << 20, CRLIM_INFINITY) == 0 &&
	       strcmp(get("vserver/42/memory.max"), "max") == 0 &&
	       strcmp(get("vserver/42/memory.high"), "4194304") == 0,
	       "unlimited is written as max, the soft limit to memory.high");
	tap_ok(cgroup_move(42, 123) == 0 && cgroup_move(42, 456) == 0 &&
	       strcmp(get("vserver/42/cgroup.procs"), "123\n456\n") == 0,
	       "processes are moved by writing their pids to cgroup.procs");

	make("vserver/44");
	errno = 0;
	snprintf(want, sizeof(want), "write %s/vserver/44/memory.max", root);
	tap_ok(cgroup_set_memory(44, 1, 1) == -1 && errno == ENOENT &&
	       strcmp(cgroup_what(), want) == 0,
	       "a limit that cannot be written names the file");
	errno = 0;
	snprintf(want, sizeof(want), "move process 9 into %s/vserver/44",
		 root);
	tap_ok(cgroup_move(44, 9) == -1 && errno == ENOENT &&
	       strcmp(cgroup_what(), want) == 0,
	       "a process that cannot be moved is named with the cgroup");

	tap_ok(cgroup_remove(44) == 0 && cgroup_exists(44) == 0,
	       "an empty cgroup is removed");
	errno = 0;
	snprintf(want, sizeof(want), "remove %s/vserver/44", root);
	tap_ok(cgroup_remove(44) == -1 && errno == ENOENT &&
	       strcmp(cgroup_what(), want) == 0,
	       "removing a missing cgroup fails with ENOENT");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[PATH_MAX + 16];

	snprintf(root, sizeof(root), "%s/test-cgroup.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		return 1;
	}
	put("cgroup.controllers", "cpu memory pids\n");
	put("cgroup.subtree_control", "");
	make("vserver");
	put("vserver/cgroup.subtree_control", "");

	tap_plan(4 + 2 + 6 + 8);
	test_paths();
	test_probe();
	test_read();
	test_change();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		tap_diag("cannot remove %s", root);
	return tap_done();
}
