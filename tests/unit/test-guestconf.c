// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration of a guest (util-vserver/guestconf.c): every file of
 * a configuration directory, read from a temporary directory, with its
 * good values and each kind of bad one, and the message that names it.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vserver.h>

#include "guestconf.h"
#include "rlimit.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static char top[64];		/* the temporary directory */
static char confdir[128];	/* top/etc: the guests' configurations */
static char gdir[256];		/* confdir/web: the guest's */
static char root[128];		/* top/root: its root directory */

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Write text to the file rel of the guest's configuration, with mode */
static void put(const char *rel, const char *text, mode_t mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", gdir, rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	chmod(path, mode);
}

static void sub(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", gdir, rel);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", gdir, rel);
	unlink(path);
	if (symlink(target, path) != 0) {
		perror(path);
		exit(1);
	}
}

static void drop(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", gdir, rel);
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh guest "web": context 42 and vdir, nothing else */
static void fresh(void)
{
	nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(top, 0755) != 0 || mkdir(confdir, 0755) != 0 ||
	    mkdir(gdir, 0755) != 0 || mkdir(root, 0755) != 0) {
		perror(top);
		exit(1);
	}
	put("context", "42\n", 0644);
	link_to(root, "vdir");
}

/* Load the whole configuration of web; its error, or "" */
static const char *load(struct guest_config *c)
{
	static char err[1024];

	if (guest_config_load(confdir, "web", GUEST_CONF_ALL, c, err,
			      sizeof(err)) == 0)
		return "";
	return err;
}

/* The message expected for the file rel, with the reason */
static const char *expect(const char *rel, const char *reason)
{
	static char msg[2048];

	snprintf(msg, sizeof(msg), "%s/%s: %s", gdir, rel, reason);
	return msg;
}

/* A loaded configuration is refused with exactly want */
static void refused(const char *what, const char *want)
{
	struct guest_config c;
	const char *got = load(&c);

	if (!tap_ok(strcmp(got, want) == 0, "%s is refused", what))
		tap_diag("got '%s', expected '%s'", got, want);
	if (!*got)
		guest_config_free(&c);
}

static void test_defaults(void)
{
	struct guest_config c;
	const char *e;
	int i;

	fresh();
	e = load(&c);
	if (!tap_ok(!*e, "a context id and a vdir are a whole configuration"))
		tap_diag("%s", e);
	if (*e) {
		for (i = 0; i < 9; i++)
			tap_skip("no configuration");
		return;
	}
	tap_ok(c.xid == 42, "the context id is read");
	tap_ok(strcmp(c.ctxname, "web") == 0,
	       "the context name defaults to the guest's name");
	tap_ok(c.uts[VHIN_NODENAME][0] == '\0', "no host name is set");
	tap_ok(!c.bcaps[0] && !c.bcaps[1] && !c.ccaps[0] && !c.ccaps[1] &&
	       !c.cflags, "no capability or flag is changed");
	tap_ok(c.nlimits == 0, "no limit is set");
	tap_ok(strcmp(c.root, root) == 0, "the root is where vdir points");
	tap_ok(c.start_argv && strcmp(c.start_argv[0], "/sbin/init") == 0 &&
	       !c.start_argv[1], "the init defaults to /sbin/init");
	tap_ok(!c.stop_argv, "there is no stop command");
	for (i = 0; i < NR_GUEST_HOOKS && !c.hooks[i]; i++)
		;
	tap_ok(i == NR_GUEST_HOOKS, "there is no hook");
	guest_config_free(&c);
}

/* The limit of resource name in c, or NULL */
static const struct rlimit_setting *limit_of(const struct guest_config *c,
					     const char *name)
{
	size_t i;

	for (i = 0; i < c->nlimits; i++)
		if (strcmp(c->limits[i].r->name, name) == 0)
			return &c->limits[i];
	return NULL;
}

static void test_full(void)
{
	const struct rlimit_setting *l;
	struct guest_config c;
	char link[1024];
	const char *e;
	int i;

	fresh();
	put("name", "www\n", 0644);
	sub("uts");
	put("uts/nodename", "www1\n", 0644);
	put("uts/domainname", "example.org", 0644);
	put("bcapabilities", "# extra\nnet_raw\n\n  ~cap_sys_chroot  \n"
	    "CAP_KILL,!kill\n", 0644);
	put("ccapabilities", "utsname\n", 0644);
	put("cflags", "# flags\nprivate,hide_vinfo\n~private\npersistent\n",
	    0644);
	sub("rlimits");
	put("rlimits/nproc", "100\n", 0644);
	put("rlimits/nofile.soft", "50", 0644);
	put("rlimits/nofile.hard", "unlimited\n", 0644);
	put("rlimits/nsock.hard", "20\n", 0644);
	put("rlimits/memory", "64M\n", 0644);
	put("rlimits/shmem.soft", "5\n", 0644);
	sub("apps");
	sub("apps/init");
	put("apps/init/cmd.start", "/bin/sh\n-c\nexec sleep 1000\n", 0644);
	put("apps/init/cmd.stop", "/bin/halt\n", 0644);
	sub("scripts");
	put("scripts/pre-start", "#!/bin/sh\n", 0755);
	put("scripts/post-stop", "#!/bin/sh\n", 0700);
	/* Backups and hidden files are not configuration */
	put("context~", "garbage", 0644);
	put(".notes", "garbage", 0644);
	put("rlimits/nproc~", "garbage", 0644);

	e = load(&c);
	if (!tap_ok(!*e, "a configuration with every file is read")) {
		tap_diag("%s", e);
		for (i = 0; i < 15; i++)
			tap_skip("no configuration");
		return;
	}
	tap_ok(strcmp(c.ctxname, "www") == 0, "name gives the context name");
	tap_ok(strcmp(c.uts[VHIN_NODENAME], "www1") == 0 &&
	       strcmp(c.uts[VHIN_DOMAINNAME], "example.org") == 0 &&
	       !c.uts[VHIN_SYSNAME][0], "uts/ gives the name fields");
	tap_ok(c.bcaps[0] == (1ULL << CAP_NET_RAW) &&
	       c.bcaps[1] == ((1ULL << CAP_SYS_CHROOT) | (1ULL << CAP_KILL)),
	       "bcapabilities adds and removes, line by line, later wins");
	tap_ok(c.ccaps[0] == VXC_SET_UTSNAME && !c.ccaps[1],
	       "ccapabilities takes aliases");
	tap_ok(c.cflags == (VXF_HIDE_VINFO | VXF_PERSISTENT),
	       "cflags sets and clears flags, later lines win");
	l = limit_of(&c, "nproc");
	tap_ok(l && l->soft == 100 && l->hard == 100,
	       "rlimits/<res> sets both limits");
	l = limit_of(&c, "nofile");
	tap_ok(l && l->soft == 50 && l->hard == CRLIM_INFINITY,
	       "rlimits/<res>.soft and .hard set one each");
	l = limit_of(&c, "nsock");
	tap_ok(l && l->soft == 20 && l->hard == 20,
	       "a hard limit alone is the soft limit too");
	l = limit_of(&c, "shmem");
	tap_ok(l && l->soft == 5 && l->hard == CRLIM_INFINITY,
	       "a soft limit alone leaves the hard limit unlimited");
	l = limit_of(&c, "memory");
	tap_ok(l && l->soft == 64ULL << 20 && l->hard == 64ULL << 20 &&
	       l->r->kind == RLIMIT_KIND_CGROUP, "memory takes a suffix");
	tap_ok(c.nlimits == 5 && c.limits[0].r == &rlimit_resources[0],
	       "the limits come in the order of the table of resources");
	tap_ok(c.start_argv && strcmp(c.start_argv[2], "exec sleep 1000") == 0
	       && !c.start_argv[3], "cmd.start has one argument per line");
	tap_ok(c.stop_argv && strcmp(c.stop_argv[0], "/bin/halt") == 0 &&
	       !c.stop_argv[1], "cmd.stop is read");
	snprintf(link, sizeof(link), "%s/scripts/pre-start", gdir);
	tap_ok(c.hooks[HOOK_PRE_START] &&
	       strcmp(c.hooks[HOOK_PRE_START], link) == 0 &&
	       c.hooks[HOOK_POST_STOP] && !c.hooks[HOOK_POST_START],
	       "scripts/ gives the hooks");
	guest_config_free(&c);

	/* Without those files, a partial read still needs only its own */
	fresh();
	put("bcapabilities", "CAP_FOO\n", 0644);
	e = "";
	if (guest_config_load(confdir, "web", GUEST_CONF_IDENT, &c, link,
			      sizeof(link)) != 0)
		e = link;
	tap_ok(!*e, "reading the context id only ignores a bad "
	       "bcapabilities");
	if (!*e)
		guest_config_free(&c);
}

static const struct bad_file {
	const char *what;	/* the test's name */
	const char *rel;	/* the file to write */
	const char *text;
	mode_t mode;
	const char *reason;	/* of the message */
} bad_files[] = {
	{ "a context id that is not a number", "context", "abc\n", 0644,
	  "invalid context id 'abc'" },
	{ "a context id with a sign", "context", "+42\n", 0644,
	  "invalid context id '+42'" },
	{ "a context id with trailing text", "context", "42 web", 0644,
	  "invalid context id '42 web'" },
	{ "context id 1", "context", "1", 0644,
	  "context id '1' is out of range (2 to 65535)" },
	{ "context id 65536", "context", "65536\n", 0644,
	  "context id '65536' is out of range (2 to 65535)" },
	{ "a huge context id", "context", "99999999999999999999999", 0644,
	  "context id '99999999999999999999999' is out of range (2 to "
	  "65535)" },
	{ "an empty context file", "context", "\n", 0644,
	  "invalid context id ''" },
	{ "a context file of two lines", "context", "42\n43\n", 0644,
	  "more than one line" },
	{ "a context file with a NUL byte", "context", "42\n\0", 0644,
	  "contains a NUL byte" },
	{ "a context name that looks like an id", "name", "42web\n", 0644,
	  "invalid context name '42web'" },
	{ "an empty context name", "name", "", 0644,
	  "invalid context name ''" },
	{ "a context name of 65 characters", "name",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  0644, "context name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaa' is longer than 64 characters" },
	{ "an unknown name field", "uts/hostname", "www\n", 0644,
	  "unknown field (sysname, nodename, release, version, machine or "
	  "domainname)" },
	{ "an empty host name", "uts/nodename", "\n", 0644, "empty" },
	{ "a host name of 65 bytes", "uts/nodename",
	  "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh",
	  0644, "longer than 64 bytes" },
	{ "an unknown capability", "bcapabilities", "chown\nCAP_FOO\n", 0644,
	  "unknown capability 'CAP_FOO'" },
	{ "an empty entry in a capability list", "bcapabilities",
	  "chown,,kill\n", 0644, "unknown capability ''" },
	{ "an unknown ccap", "ccapabilities", "utsname,foo\n", 0644,
	  "unknown ccap 'foo'" },
	{ "a ccap the kernel does not have", "ccapabilities", "syslog\n",
	  0644, "ccap 'syslog' is not supported by this kernel" },
	{ "an unknown flag", "cflags", "private\nxyz\n", 0644,
	  "unknown flag 'xyz'" },
	{ "a flag that vserver manages", "cflags", "private,state_setup\n",
	  0644, "flag 'state_setup' is managed by vserver" },
	{ "clearing a flag that vserver manages", "cflags", "~admin\n", 0644,
	  "flag '~admin' is managed by vserver" },
	{ "an unknown resource", "rlimits/nprocs", "5\n", 0644,
	  "unknown resource 'nprocs'" },
	{ "a resource in capitals", "rlimits/NPROC", "5\n", 0644,
	  "unknown resource 'NPROC'" },
	{ "a minimum limit", "rlimits/nproc.min", "5\n", 0644,
	  "unknown resource 'nproc.min'" },
	{ "a limit that is not a number", "rlimits/nproc", "lots\n", 0644,
	  "invalid limit 'lots'" },
	{ "a negative limit", "rlimits/nofile.hard", "-5\n", 0644,
	  "invalid limit '-5'" },
	{ "a limit out of range", "rlimits/memory", "16E\n", 0644,
	  "limit '16E' is out of range" },
	{ "a limit of two lines", "rlimits/nproc", "5\n6\n", 0644,
	  "more than one line" },
	{ "an empty command", "apps/init/cmd.start", "\n\n", 0644,
	  "empty (one argument per line)" },
	{ "an empty argument of a command", "apps/init/cmd.stop",
	  "/bin/kill\n\n1\n", 0644,
	  "line 2 is empty (one argument per line)" },
	{ "a hook that cannot be executed", "scripts/pre-start",
	  "#!/bin/sh\n", 0644, "not executable" },
	{ "an unknown hook", "scripts/pre-stat", "#!/bin/sh\n", 0755,
	  "unknown hook (pre-start, post-start, pre-stop or post-stop)" },
	{ "an unknown file", "fstab", "none /tmp tmpfs\n", 0644,
	  "unknown configuration file" },
	{ "an unknown file in apps/init", "apps/init/cmd.restart",
	  "/bin/true\n", 0644, "unknown configuration file" },
	{ "an unknown application", "apps/web", "", 0644,
	  "unknown configuration file" },
};

static void test_bad_files(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_files); i++) {
		const struct bad_file *b = &bad_files[i];
		char *dir = strdup(b->rel), *slash = strrchr(dir, '/');
		char path[512];
		size_t len;
		int fd;

		fresh();
		if (slash) {
			*slash = '\0';
			sub(strncmp(dir, "apps/", 5) == 0 ? "apps" : dir);
			sub(dir);
		}
		free(dir);
		/* The NUL byte at the end of text, when the test is about it */
		len = strlen(b->text) + (strstr(b->what, "NUL") ? 1 : 0);
		snprintf(path, sizeof(path), "%s/%s", gdir, b->rel);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, b->mode);
		if (fd < 0 || write(fd, b->text, len) != (ssize_t)len ||
		    fchmod(fd, b->mode) != 0 || close(fd) != 0) {
			perror(path);
			exit(1);
		}
		refused(b->what, expect(b->rel, b->reason));
	}
}

static void test_bad_special(void)
{
	char path[512], msg[1024];

	fresh();
	drop("context");
	refused("a missing context file",
		expect("context", "missing (the context id of the guest)"));

	fresh();
	drop("context");
	sub("context");
	refused("a directory for the context id",
		expect("context", "not a regular file"));

	fresh();
	snprintf(path, sizeof(path), "%s/name", gdir);
	if (mkfifo(path, 0644) == 0)
		refused("a FIFO for the context name (without blocking)",
			expect("name", "not a regular file"));
	else
		tap_skip("cannot make a FIFO here");

	fresh();
	sub("rlimits");
	put("rlimits/nproc.soft", "200\n", 0644);
	put("rlimits/nproc.hard", "100\n", 0644);
	refused("a soft limit above the hard limit",
		expect("rlimits/nproc.soft", "soft limit 200 above hard limit "
		       "100"));

	fresh();
	sub("rlimits");
	put("rlimits/nofile", "10\n", 0644);
	put("rlimits/nofile.hard", "5\n", 0644);
	refused("a hard limit below the limit for both",
		expect("rlimits/nofile.hard", "soft limit 10 above hard limit "
		       "5"));

	fresh();
	put("uts", "nodename=web\n", 0644);
	refused("a file for uts/", expect("uts", "not a directory"));

	fresh();
	drop("vdir");
	refused("a missing vdir", expect("vdir", "missing (a symbolic link to "
					 "the root directory of the guest)"));

	fresh();
	drop("vdir");
	sub("vdir");
	refused("a directory for vdir", expect("vdir",
					       "not a symbolic link"));

	fresh();
	link_to("../root", "vdir");
	refused("a relative vdir", expect("vdir", "points to '../root', not "
					  "to an absolute path"));

	fresh();
	snprintf(path, sizeof(path), "%s/gone", top);
	link_to(path, "vdir");
	snprintf(msg, sizeof(msg), "root directory %s does not exist", path);
	refused("a root that does not exist", expect("vdir", msg));

	fresh();
	snprintf(path, sizeof(path), "%s/context", gdir);
	link_to(path, "vdir");
	snprintf(msg, sizeof(msg), "root directory %s is not a directory",
		 path);
	refused("a root that is a file", expect("vdir", msg));

	fresh();
	link_to("/", "vdir");
	refused("the host's root as the root",
		expect("vdir", "the root directory of a guest cannot be /"));

	fresh();
	snprintf(path, sizeof(path), "%s/up", root);
	if (symlink("/", path) == 0) {
		link_to(path, "vdir");
		refused("a root that leads to / through a link",
			expect("vdir", "the root directory of a guest cannot "
			       "be /"));
	} else {
		tap_skip("cannot make a link here");
	}
}

static void test_names(void)
{
	static const struct {
		const char *name;
		const char *why;
	} names[] = {
		{ "web", NULL },
		{ "web-1.example_org", NULL },
		{ "W", NULL },
		{ "1web", "it must start with a letter" },
		{ "", "it must start with a letter" },
		{ ".web", "it must start with a letter" },
		{ "web/x", "only letters, digits, '.', '_' and '-' are "
			   "allowed" },
		{ "web x", "only letters, digits, '.', '_' and '-' are "
			   "allowed" },
		{ "list", "it is a command of vserver" },
		{ "start", "it is a command of vserver" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "it is longer than 64 characters" },
	};
	struct guest_config c;
	char err[1024], want[1024];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *why = guest_name_check(names[i].name);

		tap_ok(why == names[i].why ||
		       (why && names[i].why && strcmp(why, names[i].why) == 0),
		       "guest name '%s' is %s", names[i].name,
		       names[i].why ? names[i].why : "valid");
	}

	fresh();
	snprintf(want, sizeof(want), "no guest named 'db' in %s", confdir);
	tap_ok(guest_config_load(confdir, "db", GUEST_CONF_ALL, &c, err,
				 sizeof(err)) != 0 && strcmp(err, want) == 0,
	       "a guest without a directory is named in the message");
	tap_ok(guest_config_load(confdir, "../etc", GUEST_CONF_ALL, &c, err,
				 sizeof(err)) != 0 &&
	       strcmp(err, "invalid guest name '../etc': it must start with "
		      "a letter") == 0,
	       "a path is not a guest name");
}

static void test_dirs(void)
{
	char err[256];

	unsetenv("VSERVER_CONFDIR");
	unsetenv("VSERVER_ROOTDIR");
	unsetenv("VSERVER_RUNDIR");
	tap_ok(strcmp(guest_dir(GUEST_CONFDIR), "/etc/vservers") == 0 &&
	       strcmp(guest_dir(GUEST_ROOTDIR), "/vservers") == 0 &&
	       strcmp(guest_dir(GUEST_RUNDIR), "/run/vservers") == 0,
	       "the directories default to /etc/vservers, /vservers and "
	       "/run/vservers");
	setenv("VSERVER_ROOTDIR", "/srv/guests", 1);
	tap_ok(strcmp(guest_dir(GUEST_ROOTDIR), "/srv/guests") == 0 &&
	       guest_dirs_check(err, sizeof(err)) == 0,
	       "VSERVER_ROOTDIR replaces the root directory");
	setenv("VSERVER_RUNDIR", "run", 1);
	tap_ok(guest_dirs_check(err, sizeof(err)) != 0 &&
	       strcmp(err, "VSERVER_RUNDIR must be an absolute path, not "
		      "'run'") == 0, "a relative directory is refused");
	unsetenv("VSERVER_ROOTDIR");
	unsetenv("VSERVER_RUNDIR");
}

int main(void)
{
	tap_plan(10 + 16 + (int)ARRAY_SIZE(bad_files) + 13 + 11 + 2 + 3);

	snprintf(top, sizeof(top), "/tmp/test-guestconf-%d", (int)getpid());
	snprintf(confdir, sizeof(confdir), "%s/etc", top);
	snprintf(gdir, sizeof(gdir), "%s/web", confdir);
	snprintf(root, sizeof(root), "%s/root", top);

	test_defaults();
	test_full();
	test_bad_files();
	test_bad_special();
	test_names();
	test_dirs();

	nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
