// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration of a guest (util-vserver/guestconf.c): every file of
 * a configuration directory, read from a temporary directory, with its
 * good values and each kind of bad one, and the message that names it.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
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

/* The directory rel and those above it, below the guest's */
static void subs(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s", rel);
	for (p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		sub(path);
		*p = '/';
	}
	sub(path);
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
		for (i = 0; i < 11; i++)
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
	tap_ok(!c.nifaces && !guest_has_net(&c) && !c.noncontext &&
	       !c.has_bcast && !c.has_lback,
	       "there is no address, so no network context");
	tap_ok(c.nid == 42 && !c.nflags[0] && !c.nflags[1] && !c.ncaps[0] &&
	       !c.ncaps[1], "the nid is the xid, no network flag or "
	       "capability is changed");
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
	{ "an unknown file", "fstab.old", "none /tmp tmpfs\n", 0644,
	  "unknown configuration file" },
	{ "util-vserver's fstab", "fstab", "none /tmp tmpfs\n", 0644,
	  "util-vserver's fstab is not supported: mount in a pre-start "
	  "hook (scripts/pre-start)" },
	{ "util-vserver's apps/init/mark", "apps/init/mark", "default\n",
	  0644, "util-vserver's mark is not supported: start the guest from "
	  "the host's init system" },
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
			subs(dir);
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

/* a is the address text, with its prefix length */
static bool addr_is(const struct vs_net_addr *a, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 8];

	return vs_net_format_addr(a, buf, sizeof(buf)) == 0 &&
	       strcmp(buf, text) == 0;
}

static void test_net(void)
{
	struct guest_config c;
	const char *e;
	int i;

	fresh();
	put("ncontext", "77\n", 0644);
	put("nflags", "# network flags\nsingle_ip,~hide_netif\n\n"
	    "NXF_PERSISTENT\n~single_ip\n", 0644);
	put("ncapabilities", "tun_create\n!raw_icmp\n", 0644);
	subs("interfaces/0");
	subs("interfaces/1");
	subs("interfaces/2");
	subs("interfaces/3");
	subs("interfaces/a");
	put("interfaces/dev", "eth0\n", 0644);
	put("interfaces/prefix", "24\n", 0644);
	put("interfaces/bcast", "10.0.0.255\n", 0644);
	put("interfaces/lback", "127.0.0.2\n", 0644);
	put("interfaces/0/ip", "10.0.0.5\n", 0644);
	put("interfaces/1/ip", "2001:db8::5", 0644);
	put("interfaces/1/prefix", "64\n", 0644);
	put("interfaces/1/nodev", "", 0644);
	put("interfaces/2/ip", "10.0.1.6\n", 0644);
	put("interfaces/2/mask", "255.255.0.0\n", 0644);
	put("interfaces/2/dev", "eth1\n", 0644);
	put("interfaces/2/name", "web\n", 0644);
	put("interfaces/3/ip", "not an address\n", 0644);
	put("interfaces/3/scope", "host\n", 0644);
	put("interfaces/3/disabled", "", 0644);
	put("interfaces/a/ip", "10.0.0.7\n", 0644);
	put("interfaces/a/prefix", "32\n", 0644);
	put("interfaces/a~", "garbage", 0644);

	e = load(&c);
	if (!tap_ok(!*e, "a configuration with every network file is read")) {
		tap_diag("%s", e);
		for (i = 0; i < 11; i++)
			tap_skip("no configuration");
		goto more;
	}
	tap_ok(c.nid == 77 && guest_has_net(&c), "ncontext gives the nid");
	tap_ok(c.nflags[0] == NXF_PERSISTENT &&
	       c.nflags[1] == (NXF_HIDE_NETIF | NXF_SINGLE_IP),
	       "nflags sets and clears, with prefixes, later lines win");
	tap_ok(c.ncaps[0] == NXC_TUN_CREATE && c.ncaps[1] == NXC_RAW_ICMP,
	       "ncapabilities sets and clears");
	tap_ok(c.has_bcast && addr_is(&c.bcast, "10.0.0.255/32"),
	       "interfaces/bcast is the broadcast address");
	tap_ok(c.has_lback && addr_is(&c.lback, "127.0.0.2/0"),
	       "interfaces/lback without a prefix has none");
	tap_ok(c.nifaces == 4, "a disabled interface is left out, whatever "
	       "it holds");
	if (c.nifaces != 4) {
		for (i = 0; i < 5; i++)
			tap_skip("not four interfaces");
		guest_config_free(&c);
		goto more;
	}
	tap_ok(strcmp(c.ifaces[0].name, "0") == 0 &&
	       strcmp(c.ifaces[1].name, "1") == 0 &&
	       strcmp(c.ifaces[2].name, "2") == 0 &&
	       strcmp(c.ifaces[3].name, "a") == 0,
	       "the interfaces come in name order");
	tap_ok(addr_is(&c.ifaces[0].addr, "10.0.0.5/24") &&
	       strcmp(c.ifaces[0].dev, "eth0") == 0 && !c.ifaces[0].label[0],
	       "an interface takes the default prefix and device");
	tap_ok(addr_is(&c.ifaces[1].addr, "2001:db8::5/64") &&
	       !c.ifaces[1].dev[0], "IPv6, its own prefix, and nodev");
	tap_ok(addr_is(&c.ifaces[2].addr, "10.0.1.6/16") &&
	       strcmp(c.ifaces[2].dev, "eth1") == 0 &&
	       strcmp(c.ifaces[2].label, "web") == 0,
	       "a netmask, a device and a name of its own");
	tap_ok(addr_is(&c.ifaces[3].addr, "10.0.0.7/32"),
	       "its own prefix wins over the default");
	guest_config_free(&c);

more:
	/* A default netmask is for IPv4 addresses; none gives /32, /128 */
	fresh();
	subs("interfaces/0");
	subs("interfaces/1");
	subs("interfaces/2");
	put("interfaces/0/ip", "10.0.0.5\n", 0644);
	put("interfaces/0/nodev", "", 0644);
	put("interfaces/1/ip", "fd00::5\n", 0644);
	put("interfaces/1/nodev", "", 0644);
	put("interfaces/2/ip", "10.0.0.6\n", 0644);
	put("interfaces/2/nodev", "", 0644);
	e = load(&c);
	tap_ok(!*e && c.nifaces == 3 &&
	       addr_is(&c.ifaces[0].addr, "10.0.0.5/32") &&
	       addr_is(&c.ifaces[1].addr, "fd00::5/128"),
	       "without a prefix, an address stands alone");
	if (!*e)
		guest_config_free(&c);
	put("interfaces/mask", "255.255.255.0\n", 0644);
	e = load(&c);
	tap_ok(!*e && c.nifaces == 3 &&
	       addr_is(&c.ifaces[0].addr, "10.0.0.5/24") &&
	       addr_is(&c.ifaces[1].addr, "fd00::5/128") &&
	       addr_is(&c.ifaces[2].addr, "10.0.0.6/24"),
	       "interfaces/mask is the prefix of the IPv4 addresses only");
	if (!*e)
		guest_config_free(&c);

	/* noncontext alone is fine, and so are nflags without addresses */
	fresh();
	put("noncontext", "", 0644);
	put("nflags", "single_ip\n", 0644);
	e = load(&c);
	tap_ok(!*e && c.noncontext && !guest_has_net(&c),
	       "noncontext without interfaces is no network context");
	if (!*e)
		guest_config_free(&c);
}

/* A network configuration made of up to four files, and its error */
static const struct bad_net {
	const char *what;
	const char *files[4][2];	/* rel, text; NULL rel: no more */
	const char *rel;		/* of the message */
	const char *reason;
} bad_nets[] = {
	{ "a nid that is not a number", { { "ncontext", "web\n" } },
	  "ncontext", "invalid network context id 'web'" },
	{ "nid 1", { { "ncontext", "1\n" } },
	  "ncontext", "network context id '1' is out of range (2 to 65535)" },
	{ "nid 65536", { { "ncontext", "65536" } },
	  "ncontext", "network context id '65536' is out of range (2 to "
	  "65535)" },
	{ "a nid of two lines", { { "ncontext", "42\n43\n" } },
	  "ncontext", "more than one line" },
	{ "an unknown network flag", { { "nflags", "single_ip\nfoo\n" } },
	  "nflags", "unknown network flag 'foo'" },
	{ "an empty entry in nflags", { { "nflags", "single_ip,,hide_lback" } },
	  "nflags", "unknown network flag ''" },
	{ "a network flag vserver manages", { { "nflags", "state_admin\n" } },
	  "nflags", "network flag 'state_admin' is managed by vserver" },
	{ "clearing state_setup", { { "nflags", "~nxf_state_setup\n" } },
	  "nflags", "network flag '~nxf_state_setup' is managed by vserver" },
	{ "a network flag the kernel refuses", { { "nflags", "sc_helper" } },
	  "nflags", "network flag 'sc_helper' is not supported by this "
	  "kernel" },
	{ "an unknown network capability",
	  { { "ncapabilities", "raw_icmp\nraw_socket\n" } },
	  "ncapabilities", "unknown network capability 'raw_socket'" },
	{ "noncontext with an address",
	  { { "noncontext", "" }, { "interfaces/x/ip", "10.0.0.1\n" },
	    { "interfaces/x/nodev", "" } },
	  "noncontext", "the guest has no network context, but interfaces/x "
	  "has an address" },
	{ "interfaces as a file", { { "interfaces", "10.0.0.1\n" } },
	  "interfaces", "not a directory" },
	{ "a file for an interface", { { "interfaces/eth0", "10.0.0.1\n" } },
	  "interfaces/eth0", "unknown configuration file (an interface is a "
	  "directory)" },
	{ "a host-side default", { { "interfaces/vlandev", "" } },
	  "interfaces/vlandev", "not supported (vserver makes no host-side "
	  "address, VLAN or tun device)" },
	{ "an interface without ip", { { "interfaces/0/nodev", "" } },
	  "interfaces/0/ip", "missing (the address of the interface)" },
	{ "an address that is not one",
	  { { "interfaces/0/ip", "10.0.0\n" }, { "interfaces/0/nodev", "" } },
	  "interfaces/0/ip", "invalid address '10.0.0'" },
	{ "an address with its prefix",
	  { { "interfaces/0/ip", "10.0.0.1/24\n" },
	    { "interfaces/0/nodev", "" } },
	  "interfaces/0/ip", "invalid address '10.0.0.1/24' (the prefix "
	  "length goes in prefix)" },
	{ "an address of two lines",
	  { { "interfaces/0/ip", "10.0.0.1\n10.0.0.2\n" } },
	  "interfaces/0/ip", "more than one line" },
	{ "a prefix that is not a number",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/prefix", "/24\n" } },
	  "interfaces/0/prefix", "invalid prefix length '/24'" },
	{ "an IPv4 prefix above 32",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/prefix", "33\n" } },
	  "interfaces/0/prefix", "prefix length '33' is out of range for an "
	  "IPv4 address (0 to 32)" },
	{ "an IPv6 prefix above 128",
	  { { "interfaces/0/ip", "fd00::1" },
	    { "interfaces/0/prefix", "129\n" } },
	  "interfaces/0/prefix", "prefix length '129' is out of range (0 to "
	  "128)" },
	{ "a netmask that is a prefix length",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/mask", "24\n" } },
	  "interfaces/0/mask", "invalid netmask '24' (a dotted netmask such "
	  "as 255.255.255.0; a prefix length goes in prefix)" },
	{ "a netmask with holes",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/mask", "255.0.255.0\n" } },
	  "interfaces/0/mask", "invalid netmask '255.0.255.0'" },
	{ "a netmask for an IPv6 address",
	  { { "interfaces/0/ip", "fd00::1" },
	    { "interfaces/0/mask", "255.255.255.0\n" } },
	  "interfaces/0/mask", "a netmask is for IPv4 addresses (use "
	  "prefix)" },
	{ "both prefix and mask",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/prefix", "24\n" },
	    { "interfaces/0/mask", "255.255.255.0\n" } },
	  "interfaces/0/mask", "give either prefix or mask, not both" },
	{ "both default prefix and mask",
	  { { "interfaces/prefix", "24\n" },
	    { "interfaces/mask", "255.255.255.0\n" } },
	  "interfaces/prefix", "give either prefix or mask, not both" },
	{ "a default prefix too long for an IPv4 address",
	  { { "interfaces/prefix", "64\n" },
	    { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/nodev", "" } },
	  "interfaces/prefix", "prefix length 64 is out of range for the IPv4 "
	  "address of GDIR/interfaces/0 (0 to 32)" },
	{ "an interface without a device",
	  { { "interfaces/0/ip", "10.0.0.1" } },
	  "interfaces/0", "no host device (give it in dev, or in "
	  "interfaces/dev; or create nodev)" },
	{ "both dev and nodev",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/dev", "eth0\n" },
	    { "interfaces/0/nodev", "" } },
	  "interfaces/0/dev", "give either dev or nodev, not both" },
	{ "a device name with a slash",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/dev", "../eth0\n" } },
	  "interfaces/0/dev", "invalid device '../eth0': not a device name" },
	{ "a device name of 16 bytes",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/dev", "eth0123456789012\n" } },
	  "interfaces/0/dev", "invalid device 'eth0123456789012': longer "
	  "than 15 bytes" },
	{ "an empty default device", { { "interfaces/dev", "\n" } },
	  "interfaces/dev", "invalid device '': empty" },
	{ "a label with a colon",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/nodev", "" },
	    { "interfaces/0/name", "eth0:1\n" } },
	  "interfaces/0/name", "invalid name 'eth0:1': not a device name" },
	{ "a host-side option of an interface",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/nodev", "" },
	    { "interfaces/0/peer", "10.0.0.2\n" } },
	  "interfaces/0/peer", "not supported (vserver makes no host-side "
	  "address, VLAN or tun device)" },
	{ "an unknown file of an interface",
	  { { "interfaces/0/ip", "10.0.0.1" },
	    { "interfaces/0/nodev", "" },
	    { "interfaces/0/gateway", "10.0.0.254\n" } },
	  "interfaces/0/gateway", "unknown configuration file" },
	{ "the same address twice",
	  { { "interfaces/0/ip", "fd00::1" },
	    { "interfaces/1/ip", "fd00:0::1\n" },
	    { "interfaces/dev", "eth0" } },
	  "interfaces/1/ip", "address fd00::1 is in interfaces/0 too" },
	{ "a broadcast address with a prefix",
	  { { "interfaces/bcast", "10.0.0.255/24\n" } },
	  "interfaces/bcast", "invalid broadcast address '10.0.0.255/24' (an "
	  "IPv4 address)" },
	{ "an IPv6 loopback address", { { "interfaces/lback", "::1\n" } },
	  "interfaces/lback", "invalid loopback address '::1' (an IPv4 "
	  "address, with an optional /prefix)" },
};

/* text with "GDIR" replaced by the guest's directory */
static const char *with_gdir(const char *text)
{
	static char buf[1024];
	const char *at = strstr(text, "GDIR");

	if (!at)
		return text;
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - text), text, gdir,
		 at + 4);
	return buf;
}

static void test_bad_net(void)
{
	char reason[1024];
	size_t i, f;

	for (i = 0; i < ARRAY_SIZE(bad_nets); i++) {
		const struct bad_net *b = &bad_nets[i];

		fresh();
		for (f = 0; f < 4 && b->files[f][0]; f++) {
			char *dir = strdup(b->files[f][0]);
			char *slash = strrchr(dir, '/');

			if (slash) {
				*slash = '\0';
				subs(dir);
			}
			free(dir);
			put(b->files[f][0], b->files[f][1], 0644);
		}
		snprintf(reason, sizeof(reason), "%s", with_gdir(b->reason));
		refused(b->what, expect(b->rel, reason));
	}
}

static void test_devs(void)
{
	tap_ok(!guest_dev_check("eth0") && !guest_dev_check("br-lan.10") &&
	       !guest_dev_check("a23456789012345"),
	       "device names up to 15 bytes are fine");
	tap_ok(guest_dev_check("") && guest_dev_check(".") &&
	       guest_dev_check("..") && guest_dev_check("a b") &&
	       guest_dev_check("eth0:1") && guest_dev_check("a/b") &&
	       guest_dev_check("a234567890123456"),
	       "empty, dot names, white space, ':', '/' and 16 bytes are not");
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
	tap_plan(12 + 16 + (int)ARRAY_SIZE(bad_files) + 13 + 11 + 2 + 3 + 15 +
		 (int)ARRAY_SIZE(bad_nets) + 2);

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
	test_net();
	test_bad_net();
	test_devs();

	nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
