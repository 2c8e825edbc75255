// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vserver NAME start   - start the init of a guest in a new context
 * vserver NAME stop    - stop a guest and every process in it
 * vserver NAME restart - stop it if it runs, then start it
 * vserver NAME enter - root's login shell inside a guest
 * vserver NAME exec  - a command inside a guest
 *
 * A guest runs in a context of its own and in a mount namespace of its
 * own, whose root is the guest's root directory.  The start forks the
 * init-to-be, which
 *
 *   1. forks the helper that binds the context to its cgroup, which
 *      stays in the host's mount namespace (ctxexec.c);
 *   2. when the guest has addresses, opens a netlink socket on the host,
 *      creates the guest's network context (or enters it, if it exists),
 *      which moves it into the context's network namespace, sets its
 *      capabilities, flags and addresses, and links it to the host
 *      (netlink.c): the calls of util-vserver's chbind, in its order;
 *   3. unshares its mount namespace and makes every mount private, so
 *      that nothing it mounts reaches the host;
 *   4. binds the root directory onto itself, makes it the root with
 *      pivot_root(2) and detaches the host's root, then mounts /proc, a
 *      small /dev, /dev/pts, /dev/shm and /tmp inside, all while it is
 *      still in the host with the host's capabilities;
 *   5. creates the context with the limits, names and ccaps, and is now
 *      in it, with the capabilities of the context's default ceiling
 *      (the kernel lets it configure the context during setup until it
 *      executes a program);
 *   6. sets the capability ceiling, becomes the context's init (and the
 *      subreaper of its orphans) and ends its setup;
 *   7. closes every file descriptor but 0, which goes to /dev/null, and
 *      1 and 2, which go to a pipe, and executes the init.
 *
 * It reports to "vserver start" on a close-on-exec pipe: MSG_EXEC just
 * before it executes the init; if that fails, MSG_FAILED, the exit
 * status and the message.  When it dies before, it has said why on
 * stderr.  Then vserver start leaves the guest's supervisor behind,
 * which copies what the init writes to the pipe into the guest's log and
 * waits for the context to end (see supervise()).
 *
 * Entering a guest joins the mount namespace of one of its processes
 * (the init, if it has one), then its cgroup, its network context (that
 * of the process) and its context.
 */

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/reboot.h>
#include <vserver.h>

#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "ctxexec.h"
#include "guestconf.h"
#include "netlink.h"
#include "vserver.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* How long stop waits at each step, unless --timeout says */
#define STOP_TIMEOUT	10

/* The log of a guest becomes <name>.log.1 when it would pass this */
#define LOG_MAX		(1024 * 1024)

/* A guest that reboots more often than this is left stopped */
#define RESTART_BURST	5	/* restarts, at most, */
#define RESTART_WINDOW	60	/* within this many seconds */

/* What the start child tells vserver start */
#define MSG_EXEC	'X'	/* the init is about to be executed */
#define MSG_FAILED	'F'	/* it was not: int status, then the text */

/* The device nodes of a guest's /dev */
static const struct {
	const char *name;
	unsigned int major, minor;
} dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct {
	const char *name;
	const char *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* A usage text with only --help, and the lines given */
static void __attribute__((noreturn)) simple_usage(const char *args,
						    const char *what,
						    const char *options)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]%s\n", vserver_usage_cmd, args);
	fprintf(out, "\n%s\n", what);
	fputs("\nOptions:\n", out);
	if (options)
		fprintf(out, "%s\n -h, --help               display this "
			"help\n", options);
	else
		fputs(" -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vserver(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* Parse options that are only --help; '+' leaves a command alone */
static void help_only(int argc, char **argv, bool command, const char *args,
		      const char *what)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *optstring = command ? "+:h" : ":h";
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			simple_usage(args, what, NULL);
		default:
			getopt_error(c, argv, optstring, vserver_cmd);
		}
	}
}

/* The root the hooks are told: where vdir points, if it does */
static char *hook_vdir(const struct guest_config *c)
{
	char *vdir, *real;

	if (c->root)
		return strdup(c->root);
	if (asprintf(&vdir, "%s/vdir", c->dir) < 0)
		return NULL;
	real = realpath(vdir, NULL);
	free(vdir);
	return real;
}

/*
 * Run a hook of guest c on the host, if it has one: argv is the hook,
 * its name and the guest's name; VSERVER_NAME, VSERVER_XID,
 * VSERVER_CFGDIR and VSERVER_VDIR describe the guest.  Returns 0 when it
 * succeeded (or there is none), else -1 after saying how it failed.
 */
static int run_hook(const struct guest_config *c, enum guest_hook hook)
{
	const char *path = c->hooks[hook];
	char xid[16], *vdir;
	int status;
	pid_t pid;

	if (!path)
		return 0;
	snprintf(xid, sizeof(xid), "%u", c->xid);
	vdir = hook_vdir(c);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		warn("cannot fork");
		free(vdir);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)path, (char *)guest_hook_names[hook],
				 (char *)c->name, NULL };

		if (setenv("VSERVER_NAME", c->name, 1) != 0 ||
		    setenv("VSERVER_XID", xid, 1) != 0 ||
		    setenv("VSERVER_CFGDIR", c->dir, 1) != 0 ||
		    (vdir && setenv("VSERVER_VDIR", vdir, 1) != 0) ||
		    close_range(3, ~0U, 0) != 0) {
			warn("cannot run %s", path);
			_exit(VS_EXIT_FAILURE);
		}
		execv(path, argv);
		warn("failed to execute %s", path);
		_exit(errno == ENOENT ? VS_EXIT_NOT_FOUND :
		      VS_EXIT_CANNOT_EXEC);
	}
	free(vdir);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for %s", path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		warnx("%s: killed by signal %d", path, WTERMSIG(status));
	else
		warnx("%s: exited with status %d", path, WEXITSTATUS(status));
	return -1;
}

/* Write all of buf to fd, whatever happens */
static void tell(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* The init could not be run: say so on fd, and exit with status */
static void __attribute__((noreturn, format(printf, 3, 4)))
start_failed(int fd, int status, const char *fmt, ...)
{
	char msg[PATH_MAX + 128], tag = MSG_FAILED;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tell(fd, &tag, 1);
	tell(fd, &status, sizeof(status));
	tell(fd, msg, strlen(msg));
	_exit(status);
}

/* Mount a file system on target inside the guest, making target */
static void guest_mount(const char *source, const char *target,
			const char *type, unsigned long flags,
			const char *data, mode_t mode)
{
	if (mkdir(target, mode) != 0 && errno != EEXIST)
		err(VS_EXIT_FAILURE, "cannot create %s in the guest", target);
	if (mount(source, target, type, flags, data) != 0)
		err(VS_EXIT_FAILURE, "cannot mount %s on %s in the guest",
		    type, target);
}

/* Make root the root directory of the caller, with its file systems */
static void setup_root(const char *root)
{
	size_t i;

	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) != 0)
		err(VS_EXIT_FAILURE, "cannot bind %s", root);
	if (chdir(root) != 0)
		err(VS_EXIT_FAILURE, "cannot change directory to %s", root);
	/* The old root ends up on top of the new one, then goes */
	if (syscall(SYS_pivot_root, ".", ".") != 0)
		err(VS_EXIT_FAILURE, "cannot make %s the root directory",
		    root);
	if (umount2(".", MNT_DETACH) != 0)
		err(VS_EXIT_FAILURE, "cannot detach the host's root "
		    "directory");
	if (chdir("/") != 0)
		err(VS_EXIT_FAILURE, "cannot change directory to /");

	/* From here on, every path is inside the guest */
	guest_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		    NULL, 0555);
	guest_mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
		    "mode=0755,size=64k", 0755);
	for (i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		dev_t dev = makedev(dev_nodes[i].major, dev_nodes[i].minor);
		char path[32];

		snprintf(path, sizeof(path), "/dev/%s", dev_nodes[i].name);
		if (mknod(path, S_IFCHR | 0666, dev) != 0 ||
		    chmod(path, 0666) != 0)
			err(VS_EXIT_FAILURE, "cannot create %s in the guest",
			    path);
	}
	for (i = 0; i < ARRAY_SIZE(dev_links); i++) {
		char path[32];

		snprintf(path, sizeof(path), "/dev/%s", dev_links[i].name);
		if (symlink(dev_links[i].target, path) != 0)
			err(VS_EXIT_FAILURE, "cannot create %s in the guest",
			    path);
	}
	guest_mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		    "newinstance,ptmxmode=0666,mode=0620", 0755);
	guest_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
		    "mode=1777", 01777);
	guest_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		    "mode=1777", 01777);
}

/* The context of guest c as ctxexec.c makes it */
static void guest_spec(const struct guest_config *c, struct ctx_spec *s)
{
	int field;

	memset(s, 0, sizeof(*s));
	s->xid = c->xid;
	s->flagword = VXF_INIT_SET | c->cflags;
	s->name = c->ctxname;
	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++)
		if (c->uts[field][0])
			s->uts[field] = c->uts[field];
	s->secure = true;
	s->bcaps[0] = c->bcaps[0];
	s->bcaps[1] = c->bcaps[1];
	s->ccaps[0] = c->ccaps[0];
	s->ccaps[1] = c->ccaps[1];
	s->limits = c->limits;
	s->nlimits = c->nlimits;
}

/* Write the one-line file name of the run directory of guest c */
static int write_run_file(const struct guest_config *c, const char *name,
			  const char *fmt, ...)
{
	char *path = run_path(c->name, name), text[64];
	va_list ap;
	FILE *f;
	int ret = 0;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f = fopen(path, "we");
	if (!f || fprintf(f, "%s\n", text) < 0)
		ret = -1;
	if (f && fclose(f) != 0)
		ret = -1;
	if (ret != 0)
		warn("cannot write %s", path);
	free(path);
	return ret;
}

/*
 * The network of a guest.  A guest with addresses runs in a network
 * context of its own, whose nid is in its configuration: the kernel makes
 * a network namespace for it and keeps its addresses as the list its
 * sockets may use; netlink.c links it to the host.  The run directory
 * keeps the nid and the addresses as the start set them up ("nid",
 * "interfaces": one "<address>/<prefix> <device>" per line, "-" for
 * none), so that stop takes down what start made whatever the
 * configuration says by then.
 */

/* The failure of a command on network context nid: say why, exit 1 */
static void __attribute__((noreturn, format(printf, 2, 3)))
die_net(uint32_t nid, const char *what, ...)
{
	int saved = errno;
	char *text;
	va_list ap;

	die_if_vserver_unavailable(saved);
	switch (saved) {
	case ESRCH:
		errx(VS_EXIT_FAILURE, "no network context %u", nid);
	case EBUSY:
		errx(VS_EXIT_FAILURE, "network context %u is still being set "
		     "up", nid);
	case EACCES:
		errx(VS_EXIT_FAILURE, "network context %u refuses it: it is "
		     "private, or no longer state_admin", nid);
	}
	va_start(ap, what);
	if (vasprintf(&text, what, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	if (saved == EPERM)
		errx(VS_EXIT_FAILURE, "permission denied: %s", text);
	if (saved == EOPNOTSUPP)
		errx(VS_EXIT_FAILURE, "cannot %s: this kernel has no network "
		     "contexts", text);
	errx(VS_EXIT_FAILURE, "cannot %s: %s", text, strerror(saved));
}

/* a as text, "A/P" */
static const char *addr_text(const struct vs_net_addr *a, char *buf,
			     size_t len)
{
	if (vs_net_format_addr(a, buf, len) != 0)
		snprintf(buf, len, "?");
	return buf;
}

/* The netmask of a prefix length, family's size, network byte order */
static void prefix_mask(unsigned int prefix, unsigned char *mask, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned int bits = prefix > 8 * i ? prefix - 8 * i : 0;

		mask[i] = bits >= 8 ? 0xff : (unsigned char)(0xff00 >> bits);
	}
}

/* Add an IPv4 entry of type (NXA_*) to the list of network context nid */
static int add_ipv4(uint32_t nid, uint16_t type, const struct vs_net_addr *a)
{
	struct vcmd_net_addr_ipv4_v1 v4 = { .type = type };

	memcpy(&v4.ip, a->addr, 4);
	prefix_mask(a->prefix, (unsigned char *)&v4.mask, 4);
	return vs_net_add_ipv4(nid, &v4);
}

/* Add address a to the list of network context nid; there already is ok */
static void add_address(uint32_t nid, const struct vs_net_addr *a)
{
	struct vcmd_net_addr_ipv6_v1 v6 = { .type = NXA_TYPE_ADDR };
	char text[INET6_ADDRSTRLEN + 8];
	int ret;

	if (a->family == AF_INET) {
		ret = add_ipv4(nid, NXA_TYPE_ADDR, a);
	} else {
		v6.prefix = a->prefix;
		memcpy(v6.ip, a->addr, 16);
		prefix_mask(a->prefix, v6.mask, 16);
		ret = vs_net_add_ipv6(nid, &v6);
		if (ret != 0 && errno == EOPNOTSUPP)
			errx(VS_EXIT_FAILURE, "cannot add address %s to network "
			     "context %u: this kernel has no IPv6",
			     addr_text(a, text, sizeof(text)), nid);
	}
	if (ret != 0 && errno != EEXIST)
		die_net(nid, "add address %s to network context %u",
			addr_text(a, text, sizeof(text)), nid);
}

/*
 * Call fn once per host device of the n addresses of links (dev "" for
 * none, given as NULL), with the addresses that go through it, in the
 * order of the first address of each.  Returns the first error of fn, or
 * 0.
 */
static int each_dev(const struct guest_iface *links, size_t n,
		    int (*fn)(void *arg, const struct vs_net_addr *addrs,
			      size_t n, const char *dev), void *arg)
{
	struct vs_net_addr *addrs = calloc(n ? n : 1, sizeof(*addrs));
	size_t i, j, k;
	int ret = 0, r;

	if (!addrs)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < n; i++) {
		const char *dev = links[i].dev;

		for (j = 0; j < i; j++)
			if (strcmp(links[j].dev, dev) == 0)
				break;
		if (j < i)
			continue;
		for (j = i, k = 0; j < n; j++)
			if (strcmp(links[j].dev, dev) == 0)
				addrs[k++] = links[j].addr;
		r = fn(arg, addrs, k, dev[0] ? dev : NULL);
		if (r && !ret)
			ret = r;
	}
	free(addrs);
	return ret;
}

/* What the callbacks of each_dev() need */
struct net_link {
	struct vs_netlink *host;
	uint32_t nid;
	const char *guest;
};

static int setup_dev(void *arg, const struct vs_net_addr *addrs, size_t n,
		     const char *dev)
{
	const struct net_link *l = arg;
	int ret = vs_netlink_guest_setup(l->host, l->nid, addrs, n, dev);

	if (ret == -ENODEV && dev)
		errx(VS_EXIT_FAILURE, "cannot connect guest '%s': no host "
		     "device '%s'", l->guest, dev);
	if (ret == -EAFNOSUPPORT)
		errx(VS_EXIT_FAILURE, "cannot connect guest '%s': this "
		     "kernel has no IPv6", l->guest);
	if (ret == -EEXIST)
		errx(VS_EXIT_FAILURE, "cannot connect guest '%s': network "
		     "context %u has an " VS_NETLINK_GUESTDEV " already, but "
		     "the host has no " VS_NETLINK_HOSTDEV_FMT, l->guest,
		     l->nid, l->nid);
	if (ret < 0)
		errx(VS_EXIT_FAILURE, "cannot connect guest '%s' to the host: "
		     "%s", l->guest, strerror(-ret));
	return 0;
}

static int teardown_dev(void *arg, const struct vs_net_addr *addrs,
			size_t n, const char *dev)
{
	const struct net_link *l = arg;
	int ret = vs_netlink_teardown(l->host, l->nid, addrs, n, dev);

	if (ret < 0)
		warnx("cannot remove the link of guest '%s' to the host: %s",
		      l->guest, strerror(-ret));
	return ret;
}

/*
 * Put the caller, the init-to-be of guest c, in the guest's network
 * context: the calls of util-vserver's chbind, in its order, then the
 * link to the host.  The caller is still in the host's context.
 */
static void start_network(const struct guest_config *c)
{
	struct net_link l = { .nid = c->nid, .guest = c->name };
	uint64_t flags, fmask, caps, cmask;
	struct vs_net_addr bcast;
	size_t i;

	if (!guest_has_net(c))
		return;
	/* The socket stays in the host's network namespace */
	l.host = vs_netlink_open();
	if (!l.host)
		err(VS_EXIT_FAILURE, "cannot open a netlink socket for guest "
		    "'%s'", c->name);
	if (vs_net_create(c->nid, NULL) < 0) {
		if (errno != EEXIST)
			die_net(c->nid, "create network context %u", c->nid);
		/* One left by a persistent guest, or shared with another */
		if (vs_net_migrate(c->nid) < 0)
			die_net(c->nid, "enter network context %u", c->nid);
	}
	caps = (NXC_RAW_ICMP | c->ncaps[0]) & ~c->ncaps[1];
	cmask = NXC_RAW_ICMP | c->ncaps[0] | c->ncaps[1];
	if (vs_set_ncaps(c->nid, caps, cmask) != 0)
		die_net(c->nid, "set the capabilities of network context %u",
			c->nid);
	flags = (NXF_HIDE_NETIF | c->nflags[0]) & ~c->nflags[1];
	fmask = NXF_HIDE_NETIF | c->nflags[0] | c->nflags[1];
	if (vs_set_nflags(c->nid, flags, fmask) != 0)
		die_net(c->nid, "set the flags of network context %u", c->nid);
	/* As util-vserver: the broadcast address without a netmask */
	bcast = c->bcast;
	bcast.prefix = 0;
	if (c->has_bcast &&
	    add_ipv4(c->nid, NXA_TYPE_ADDR | NXA_MOD_BCAST, &bcast) != 0)
		die_net(c->nid, "set the broadcast address of network "
			"context %u", c->nid);
	if (c->has_lback &&
	    add_ipv4(c->nid, NXA_TYPE_ADDR | NXA_MOD_LBACK, &c->lback) != 0)
		die_net(c->nid, "set the loopback address of network context "
			"%u", c->nid);
	for (i = 0; i < c->nifaces; i++)
		add_address(c->nid, &c->ifaces[i].addr);
	each_dev(c->ifaces, c->nifaces, setup_dev, &l);
	vs_netlink_close(l.host);
}

/*
 * Before anything starts: guest c can have its network here.  The
 * kernel has network contexts, and the host devices exist.
 */
static void check_network(const struct guest_config *c)
{
	struct vcmd_nx_info_v0 info;
	size_t i;

	if (!guest_has_net(c))
		return;
	if (vs_nx_info(c->nid, &info) != 0 && errno != ESRCH)
		die_net(c->nid, "give guest '%s' a network context",
			c->name);
	for (i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].dev[0] &&
		    if_nametoindex(c->ifaces[i].dev) == 0)
			errx(VS_EXIT_FAILURE, "%s/interfaces/%s: no host device "
			     "'%s'", c->dir, c->ifaces[i].name,
			     c->ifaces[i].dev);
}

/* Record the network of guest c in its run directory */
static int write_net_files(const struct guest_config *c)
{
	char *path, text[INET6_ADDRSTRLEN + 8];
	size_t i;
	FILE *f;
	int ret = 0;

	if (!guest_has_net(c))
		return 0;
	if (write_run_file(c, "nid", "%u", c->nid) != 0)
		return -1;
	path = run_path(c->name, "interfaces");
	f = fopen(path, "we");
	for (i = 0; f && i < c->nifaces; i++)
		if (fprintf(f, "%s %s\n", addr_text(&c->ifaces[i].addr, text,
						    sizeof(text)),
			    c->ifaces[i].dev[0] ? c->ifaces[i].dev : "-") < 0)
			ret = -1;
	if (!f || fclose(f) != 0)
		ret = -1;
	if (ret != 0)
		warn("cannot write %s", path);
	free(path);
	return ret;
}

/*
 * The network guest name was started with, from its run directory: the
 * nid, and the addresses in *links (malloc'ed).  Returns their number, 0
 * when the guest has no network context (or its run directory is gone),
 * -1 after a warning when the files cannot be read.
 */
static ssize_t read_net_files(const char *name, uint32_t *nid,
			      struct guest_iface **links)
{
	char *path = run_path(name, "nid"), *value = NULL, *line = NULL;
	struct guest_iface *list = NULL, *grown;
	size_t n = 0, len = 0;
	ssize_t ret = -1;
	FILE *f = NULL;

	*links = NULL;
	if (guest_read_value(path, &value) != 0) {
		if (errno == ENOENT)
			ret = 0;
		else
			warn("cannot read %s", path);
		goto out;
	}
	if (parse_u32(value, 10, nid) != 0 || *nid < 2 || *nid > VX_NID_MAX) {
		warnx("%s: invalid network context id '%s'", path, value);
		goto out;
	}
	free(path);
	path = run_path(name, "interfaces");
	f = fopen(path, "re");
	if (!f) {
		warn("cannot read %s", path);
		goto out;
	}
	while (getline(&line, &len, f) > 0) {
		char addr[INET6_ADDRSTRLEN + 8], dev[GUEST_DEV_MAX + 2];
		struct guest_iface *l;

		grown = reallocarray(list, n + 1, sizeof(*list));
		if (!grown)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		list = grown;
		l = &list[n];
		memset(l, 0, sizeof(*l));
		if (sscanf(line, "%52s %16s", addr, dev) != 2 ||
		    vs_net_parse_addr(addr, &l->addr) != 0 ||
		    (strcmp(dev, "-") != 0 && guest_dev_check(dev))) {
			warnx("%s: invalid line %zu", path, n + 1);
			goto out;
		}
		if (strcmp(dev, "-") != 0)
			strcpy(l->dev, dev);
		n++;
	}
	*links = list;
	list = NULL;
	ret = (ssize_t)n;
out:
	if (f)
		fclose(f);
	free(line);
	free(list);
	free(value);
	free(path);
	return ret;
}

/*
 * Take down the link of network context nid to the host: the n
 * addresses of links.  Returns 0, or -1 after a warning.
 */
static int teardown_links(const char *name, uint32_t nid,
			  const struct guest_iface *links, size_t n)
{
	struct net_link l = { .nid = nid, .guest = name };
	int ret;

	l.host = vs_netlink_open();
	if (!l.host) {
		warn("cannot open a netlink socket for guest '%s'", name);
		return -1;
	}
	ret = each_dev(links, n, teardown_dev, &l);
	vs_netlink_close(l.host);
	return ret ? -1 : 0;
}

/*
 * The init-to-be of guest c; fd is the pipe to vserver start, out the
 * pipe the init writes its output to (see supervise())
 */
static void __attribute__((noreturn))
start_child(const struct guest_config *c, const struct ctx_spec *spec, int fd,
	    int out)
{
	struct ctx_binder binder;
	char tag = MSG_EXEC;
	uint32_t xid;
	int null;

	if (setsid() < 0)
		err(VS_EXIT_FAILURE, "cannot start a session for guest '%s'",
		    c->name);
	umask(022);
	ctxexec_prepare(&binder, spec);
	start_network(c);
	if (unshare(CLONE_NEWNS) != 0)
		err(VS_EXIT_FAILURE, "cannot make a mount namespace for "
		    "guest '%s'", c->name);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		err(VS_EXIT_FAILURE, "cannot make the mounts of guest '%s' "
		    "private", c->name);
	setup_root(c->root);

	xid = ctxexec_create(&binder, spec);
	ctxexec_set_ceiling(xid, spec);
	/* The kernel makes the init a subreaper: orphans of the guest stay */
	ctxexec_end_setup(xid);
	guest_environment();

	/*
	 * Nothing of the host stays open: 0, 2 and the pipe are left, and
	 * 1 is the output pipe (errors still go to stderr until the exec)
	 */
	if (dup2(out, STDOUT_FILENO) < 0)
		err(VS_EXIT_FAILURE, "cannot pass the output pipe to guest "
		    "'%s'", c->name);
	if ((fd > 3 && close_range(3, (unsigned int)fd - 1, 0) != 0) ||
	    close_range((unsigned int)fd + 1, ~0U, 0) != 0)
		err(VS_EXIT_FAILURE, "cannot close the files of vserver");
	tell(fd, &tag, 1);

	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
		start_failed(fd, VS_EXIT_FAILURE, "cannot open /dev/null in "
			     "guest '%s': %s", c->name, strerror(errno));
	close(null);
	execvp(c->start_argv[0], c->start_argv);
	start_failed(fd, errno == ENOENT ? VS_EXIT_NOT_FOUND :
		     VS_EXIT_CANNOT_EXEC, "failed to execute %s in guest "
		     "'%s': %s", c->start_argv[0], c->name, strerror(errno));
}

/* A fresh run directory for guest c */
static void make_run_dir(const struct guest_config *c)
{
	const char *base = guest_dir(GUEST_RUNDIR);
	char *dir = run_path(c->name, NULL);

	if (make_dirs(base, 0755) != 0)
		exit(VS_EXIT_FAILURE);
	remove_run_dir(c->name);
	if (mkdir(dir, 0755) != 0)
		err(VS_EXIT_FAILURE, "cannot create %s", dir);
	free(dir);
}

/*
 * The start of guest c failed after its child was forked, and the child
 * is gone: end the context it may have made.  The xid was free and the
 * guest is locked, so a context with it is the child's, named as the
 * guest or not named yet; another tool could only have made one with
 * another name meanwhile.
 */
static void undo_start(const struct guest_config *c)
{
	struct vcmd_vx_info_v0 info;
	char name[VHILEN];

	if (vs_vx_info(c->xid, &info) == 0 &&
	    context_name(c->xid, name) == 0 &&
	    (!name[0] || strcmp(name, c->ctxname) == 0)) {
		vs_set_cflags(c->xid, 0, VXF_PERSISTENT);
		vs_ctx_kill(c->xid, 0, SIGKILL);
		context_wait(c->xid, 5);
	}
	cgroup_remove(c->xid);
	if (guest_has_net(c)) {
		/* A persistent network context would outlive the start */
		if (c->nflags[0] & NXF_PERSISTENT)
			vs_set_nflags(c->nid, 0, NXF_PERSISTENT);
		teardown_links(c->name, c->nid, c->ifaces, c->nifaces);
	}
	remove_run_dir(c->name);
}

/*
 * The log of a guest (see vserver(8), LOG): what its init and the rest
 * of it write to their standard output and error, and what its
 * supervisor says, a time stamp and "vserver:" first.  Once it would
 * grow past LOG_MAX bytes it becomes <name>.log.1, replacing the one
 * before, and a new one begins.
 */
struct guest_log {
	char *path;		/* <logdir>/<name>.log */
	char *old;		/* <logdir>/<name>.log.1 */
	int fd;			/* -1: it cannot be written */
	off_t size;
	bool midline;		/* the last byte written ended no line */
};

/* Open log->path for appending; 0, or -1 after a warning */
static int reopen_log(struct guest_log *log)
{
	struct stat st;

	log->midline = false;
	log->fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
		       O_NOCTTY | O_CLOEXEC, 0640);
	if (log->fd < 0) {
		warn("cannot open %s", log->path);
		return -1;
	}
	if (fstat(log->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		warnx("cannot open %s: not a regular file", log->path);
		close(log->fd);
		log->fd = -1;
		return -1;
	}
	log->size = st.st_size;
	return 0;
}

/* The log of guest name, its directory made if need be; 0, or -1 */
static int open_guest_log(const char *name, struct guest_log *log)
{
	log->path = guest_log_path(name, false);
	log->old = guest_log_path(name, true);
	log->fd = -1;
	if (make_dirs(guest_dir(GUEST_LOGDIR), 0750) != 0)
		return -1;
	return reopen_log(log);
}

static void close_guest_log(struct guest_log *log)
{
	if (log->fd >= 0)
		close(log->fd);
	log->fd = -1;
	free(log->path);
	free(log->old);
}

/* Append len bytes to the log, rotating it first if it would be full */
static void log_write(struct guest_log *log, const char *buf, size_t len)
{
	if (log->fd >= 0 && log->size > 0 &&
	    log->size + (off_t)len > LOG_MAX) {
		close(log->fd);
		/* Should the rename fail, the log starts over */
		if (rename(log->path, log->old) != 0)
			unlink(log->path);
		reopen_log(log);
	}
	if (log->fd < 0 || !len)
		return;
	tell(log->fd, buf, len);
	log->size += (off_t)len;
	log->midline = buf[len - 1] != '\n';
}

/* A line of the supervisor in the log, on a line of its own */
static void __attribute__((format(printf, 2, 3)))
log_note(struct guest_log *log, const char *fmt, ...)
{
	char text[PATH_MAX + 128], line[PATH_MAX + 192], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!localtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	n = snprintf(line, sizeof(line), "%s%s vserver: %s\n",
		     log->midline ? "\n" : "", stamp, text);
	if (n > 0)
		log_write(log, line, (size_t)n < sizeof(line) ?
			  (size_t)n : sizeof(line) - 1);
}

/* Copy what the pipe *out holds to the log; at its end, close it */
static void copy_output(int *out, struct guest_log *log)
{
	char buf[4096];
	ssize_t n = read(*out, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*out);
		*out = -1;
		return;
	}
	log_write(log, buf, (size_t)n);
}

/*
 * Copy what is left in the pipe *out, without waiting for a writer that
 * may still hold it (a hook's process, say), and close it.
 */
static void drain_output(int *out, struct guest_log *log)
{
	int flags;

	if (*out < 0)
		return;
	flags = fcntl(*out, F_GETFL);
	if (flags < 0 || fcntl(*out, F_SETFL, flags | O_NONBLOCK) != 0) {
		close(*out);
		*out = -1;
		return;
	}
	while (*out >= 0) {
		char buf[4096];
		ssize_t n = read(*out, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		log_write(log, buf, (size_t)n);
	}
	if (*out >= 0)
		close(*out);
	*out = -1;
}

/*
 * Start guest c, whose configuration is checked and which is locked:
 * make its run directory, run its pre-start hook, fork its init, whose
 * standard output and error go to out, and wait until it runs.  Then
 * record it in the run directory; *code is VS_EXIT_FAILURE if that
 * failed.  Returns the pid of the init; when the start fails, undoes it
 * and exits with the reason.
 */
static pid_t launch_guest(const struct guest_config *c,
			  const struct ctx_spec *spec, int out, int *code)
{
	char buf[PATH_MAX + 256];
	struct timespec now;
	int pipefd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	make_run_dir(c);
	if (run_hook(c, HOOK_PRE_START) != 0) {
		remove_run_dir(c->name);
		errx(VS_EXIT_FAILURE, "guest '%s' not started: its pre-start "
		     "hook failed", c->name);
	}

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		err(VS_EXIT_FAILURE, "cannot create a pipe");
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		err(VS_EXIT_FAILURE, "cannot fork");
	if (pid == 0) {
		close(pipefd[0]);
		start_child(c, spec, pipefd[1], out);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + got, sizeof(buf) - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(VS_EXIT_FAILURE, "cannot read from the start of "
			    "guest '%s'", c->name);
		got += (size_t)n;
		if (got == sizeof(buf) - 1)
			break;
	}
	close(pipefd[0]);
	buf[got] = '\0';

	if (got == 1 && buf[0] == MSG_EXEC) {
		/* The init runs; the guest is up */
		clock_gettime(CLOCK_BOOTTIME, &now);
		*code = VS_EXIT_SUCCESS;
		if (write_run_file(c, "xid", "%u", c->xid) != 0 ||
		    write_run_file(c, "pid", "%d", (int)pid) != 0 ||
		    write_run_file(c, "started", "%lld",
				   (long long)now.tv_sec) != 0 ||
		    write_net_files(c) != 0)
			*code = VS_EXIT_FAILURE;
		return pid;
	}

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for process %d",
			    (int)pid);
	undo_start(c);
	if (got > 1 + sizeof(int) && buf[0] == MSG_EXEC &&
	    buf[1] == MSG_FAILED) {
		memcpy(code, buf + 2, sizeof(*code));
		errx(*code, "%s", buf + 2 + sizeof(*code));
	}
	/* The child said why on stderr */
	if (WIFSIGNALED(status))
		errx(VS_EXIT_FAILURE, "the start of guest '%s' was killed by "
		     "signal %d", c->name, WTERMSIG(status));
	exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : VS_EXIT_FAILURE);
}

/*
 * The supervisor of a guest.  "vserver start" leaves it behind, in a
 * session of its own, with /dev/null as 0, 1 and 2 and nothing else open
 * but the read end of the pipe the init writes to and the log.  It
 * copies that output to the log, and a waiter process of its own blocks
 * in VCMD_wait_exit until the context ends.  Then, under the lock of the
 * guest, and only while the run directory still names it:
 *
 *   - a reboot(2) that asked for a restart: the clean-up of stop, and a
 *     new start, in a task process whose output goes to the log too; at
 *     most RESTART_BURST of them within RESTART_WINDOW seconds;
 *   - a halt, a power-off or the end of the last process: the clean-up
 *     of stop, and the supervisor exits.
 *
 * "vserver stop" removes the run directory before it lets go of the
 * lock, so that a guest it stopped is never cleaned up twice nor
 * restarted; stop then waits for the supervisor to exit.
 */

/* What the waiter tells the supervisor */
struct wait_result {
	int ret;		/* of vs_wait_exit() */
	int error;		/* its errno */
	struct vcmd_wait_exit_v0 status;
};

/*
 * What the kernel's events said of the current context of the guest: its
 * end, if one came since its creation.  The waiter cannot wait for a
 * context that ended before it asked (ESRCH); the events, which the
 * supervisor listens to from before the first context was made, still
 * tell how it ended.  Without them (a kernel without the event family)
 * the supervisor only has the waiter.
 */
struct guest_events {
	struct vs_event_monitor *mon;	/* NULL without events */
	bool ended;			/* status holds the end */
	struct vcmd_wait_exit_v0 status;
};

/* Listen to the lifecycle of contexts, without blocking; quietly not */
static void open_events(struct guest_events *ev)
{
	int fd, flags;

	memset(ev, 0, sizeof(*ev));
	if (vs_event_open(&ev->mon) != 0) {
		ev->mon = NULL;
		return;
	}
	fd = vs_event_fd(ev->mon);
	flags = fcntl(fd, F_GETFL);
	if (vs_event_subscribe(ev->mon, VS_GENL_MCGRP_LIFECYCLE) != 0 ||
	    flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
		vs_event_close(ev->mon);
		ev->mon = NULL;
	}
}

/* Read the events queued so far, and keep the end of context xid */
static void read_events(struct guest_events *ev, uint32_t xid)
{
	struct vs_event_info e;

	while (ev->mon) {
		if (vs_event_recv(ev->mon, &e) != 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* Lost or bad ones: the waiter still tells */
			if (errno == EINTR || errno == ENOBUFS ||
			    errno == EBADMSG || errno == EMSGSIZE)
				continue;
			vs_event_close(ev->mon);
			ev->mon = NULL;
			return;
		}
		if (e.xid != xid)
			continue;
		if (e.type == VS_EVENT_CREATED) {
			ev->ended = false;
		} else if (e.type == VS_EVENT_ENDED) {
			ev->ended = true;
			ev->status.exit_code = e.exit_code;
			ev->status.reboot_cmd = (int32_t)e.reboot_cmd;
		}
	}
}

/* How a context ended, for the supervisor */
enum guest_end {
	END_STOPPED,		/* clean up, and that is all */
	END_RESTART,		/* clean up and start again */
	END_UNWATCHED,		/* it cannot be waited for: leave it */
};

/* Fork the waiter for context xid; the read end of its pipe, or -1 */
static int fork_waiter(uint32_t xid, pid_t *pid)
{
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (*pid == 0) {
		struct wait_result r;

		memset(&r, 0, sizeof(r));
		close(pipefd[0]);
		while ((r.ret = vs_wait_exit(xid, &r.status)) != 0 &&
		       errno == EINTR)
			;
		r.error = r.ret ? errno : 0;
		tell(pipefd[1], &r, sizeof(r));
		_exit(VS_EXIT_SUCCESS);
	}
	close(pipefd[1]);
	return pipefd[0];
}

/* Copy the output of the guest to the log until context xid ends */
static void watch_guest(uint32_t xid, int *out, struct guest_log *log,
			struct guest_events *ev, struct wait_result *r)
{
	struct pollfd fds[3];
	ssize_t n = 0;
	pid_t waiter;
	int wait_fd = fork_waiter(xid, &waiter);

	memset(r, 0, sizeof(*r));
	if (wait_fd < 0) {
		r->ret = -1;
		r->error = errno;
		return;
	}
	for (;;) {
		fds[0] = (struct pollfd){ .fd = *out, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = wait_fd, .events = POLLIN };
		fds[2] = (struct pollfd){
			.fd = ev->mon ? vs_event_fd(ev->mon) : -1,
			.events = POLLIN,
		};
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			r->ret = -1;
			r->error = errno;
			break;
		}
		if (fds[0].revents)
			copy_output(out, log);
		if (fds[2].revents)
			read_events(ev, xid);
		if (fds[1].revents) {
			do
				n = read(wait_fd, r, sizeof(*r));
			while (n < 0 && errno == EINTR);
			if (n != (ssize_t)sizeof(*r)) {
				r->ret = -1;
				r->error = n < 0 ? errno : EIO;
			}
			break;
		}
	}
	close(wait_fd);
	kill(waiter, SIGKILL);
	while (waitpid(waiter, NULL, 0) < 0 && errno == EINTR)
		;
	/* Gone before the waiter asked: its end was announced before that */
	if (r->ret != 0 && r->error == ESRCH) {
		read_events(ev, xid);
		if (ev->ended) {
			r->ret = 0;
			r->error = 0;
			r->status = ev->status;
		}
	}
}

/* Say in the log how the context ended, and what follows */
static enum guest_end log_end(struct guest_log *log,
			      const struct wait_result *r)
{
	int code = r->status.exit_code;

	if (r->ret != 0 && r->error == ESRCH) {
		log_note(log, "the context ended before it was watched");
		return END_STOPPED;
	}
	if (r->ret != 0) {
		log_note(log, "cannot wait for the context to end: %s",
			 strerror(r->error));
		return END_UNWATCHED;
	}
	switch ((unsigned int)r->status.reboot_cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		log_note(log, "the guest rebooted");
		return END_RESTART;
	case LINUX_REBOOT_CMD_HALT:
		log_note(log, "the guest halted");
		return END_STOPPED;
	case LINUX_REBOOT_CMD_POWER_OFF:
		log_note(log, "the guest powered off");
		return END_STOPPED;
	case 0:
		break;
	default:
		log_note(log, "the guest ended with reboot command 0x%x",
			 (unsigned int)r->status.reboot_cmd);
		return END_STOPPED;
	}
	if (WIFSIGNALED(code))
		log_note(log, "init was killed by signal %d", WTERMSIG(code));
	else
		log_note(log, "init exited with status %d", WEXITSTATUS(code));
	return END_STOPPED;
}

/* Take the lock of the guest whose configuration is dir; fd, or -1 */
static int lock_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	return fd;
}

/* Clean up what the start of guest name left; returns an exit status */
static int clean_up_guest(const char *name, uint32_t xid, bool cgroup);
static int start_guest(const char *name, pid_t supervisor);

/*
 * The task of the supervisor, in a process of its own whose standard
 * output and error go to the log, holding the lock: clean up after the
 * guest as stop does, and start it again if restart.  Exits with the
 * status of the start, or of the clean-up.
 */
static void __attribute__((noreturn))
supervisor_task(const char *name, uint32_t xid, bool restart,
		pid_t supervisor)
{
	char msg[PATH_MAX + 256];
	struct guest_config c;
	uint32_t nid;
	struct guest_iface *links;
	int code;

	/* A persistent network context would outlive the guest */
	if (read_net_files(name, &nid, &links) > 0)
		vs_set_nflags(nid, 0, NXF_PERSISTENT);
	free(links);
	code = clean_up_guest(name, xid, true);
	if (guest_config_load(guest_dir(GUEST_CONFDIR), name,
			      GUEST_CONF_IDENT | GUEST_CONF_INIT |
			      GUEST_CONF_HOOKS, &c, msg, sizeof(msg)) != 0) {
		warnx("%s", msg);
		code = VS_EXIT_FAILURE;
	} else {
		if (run_hook(&c, HOOK_POST_STOP) != 0)
			code = VS_EXIT_FAILURE;
		guest_config_free(&c);
	}
	if (restart)
		code = start_guest(name, supervisor);
	fflush(stdout);
	exit(code);
}

/*
 * Run supervisor_task() under the lock fd, copying its output (and that
 * of a new init) to the log, which *out reads from then on.  Returns its
 * wait status.
 */
static int run_task(const char *name, uint32_t xid, bool restart,
		    int *out, struct guest_log *log)
{
	int pipefd[2], status = VS_EXIT_FAILURE << 8;
	struct pollfd fd;
	pid_t pid, done;

	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		log_note(log, "cannot create a pipe: %s", strerror(errno));
		return status;
	}
	pid = fork();
	if (pid < 0) {
		log_note(log, "cannot fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return status;
	}
	if (pid == 0) {
		close(log->fd);
		if (dup2(pipefd[1], STDOUT_FILENO) < 0 ||
		    dup2(pipefd[1], STDERR_FILENO) < 0)
			_exit(VS_EXIT_FAILURE);
		close(pipefd[0]);
		close(pipefd[1]);
		supervisor_task(name, xid, restart, getppid());
	}
	close(pipefd[1]);
	*out = pipefd[0];
	for (;;) {
		done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			break;
		if (done < 0 && errno != EINTR) {
			log_note(log, "cannot wait for process %d: %s",
				 (int)pid, strerror(errno));
			break;
		}
		fd = (struct pollfd){ .fd = *out, .events = POLLIN };
		if (poll(&fd, 1, 100) > 0)
			copy_output(out, log);
	}
	return status;
}

/* Another restart now is one too many: record it if it is not */
static bool too_many_restarts(struct timespec *times, unsigned int *n)
{
	struct timespec now;
	unsigned int slot = *n % RESTART_BURST;

	clock_gettime(CLOCK_BOOTTIME, &now);
	if (*n >= RESTART_BURST &&
	    now.tv_sec - times[slot].tv_sec < RESTART_WINDOW)
		return true;
	times[slot] = now;
	(*n)++;
	return false;
}

/*
 * Close every descriptor from 3 up but the n of keep (negative ones are
 * not descriptors), which it sorts
 */
static int close_others(int *keep, size_t n)
{
	unsigned int from = 3;
	size_t i, j;
	int t;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned int)keep[i] < from)
			continue;
		if ((unsigned int)keep[i] > from &&
		    close_range(from, (unsigned int)keep[i] - 1, 0) != 0)
			return -1;
		from = (unsigned int)keep[i] + 1;
	}
	return close_range(from, ~0U, 0);
}

/* The supervisor of guest c, whose init is initpid; see above */
static void __attribute__((noreturn))
supervise(const struct guest_config *c, int out, struct guest_log *log,
	  struct guest_events *ev, pid_t initpid)
{
	struct timespec restarts[RESTART_BURST];
	unsigned int nrestarts = 0;
	struct wait_result r;
	enum guest_end end;
	int null, lock, status, keep[3];
	char *path, *value;

	setsid();
	umask(022);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0)
		_exit(VS_EXIT_FAILURE);
	close(null);
	if (chdir("/") != 0)
		_exit(VS_EXIT_FAILURE);
	/* Nothing else stays open: the lock of the start least of all */
	keep[0] = out;
	keep[1] = log->fd;
	keep[2] = ev->mon ? vs_event_fd(ev->mon) : -1;
	if (close_others(keep, 3) != 0)
		_exit(VS_EXIT_FAILURE);

	log_note(log, "started: context %u, init pid %d", c->xid,
		 (int)initpid);
	for (;;) {
		watch_guest(c->xid, &out, log, ev, &r);
		drain_output(&out, log);
		end = log_end(log, &r);
		if (end == END_UNWATCHED) {
			log_note(log, "no longer supervised");
			exit(VS_EXIT_FAILURE);
		}
		/* Stopped, or started again, by someone else? */
		lock = lock_dir(c->dir);
		if (lock < 0) {
			log_note(log, "cannot lock %s: %s; not cleaned up",
				 c->dir, strerror(errno));
			exit(VS_EXIT_FAILURE);
		}
		if (guest_supervisor(c->name) != getpid()) {
			close(lock);
			log_note(log, "stopped");
			exit(VS_EXIT_SUCCESS);
		}
		if (end == END_RESTART &&
		    too_many_restarts(restarts, &nrestarts)) {
			log_note(log, "it rebooted %d times within %d seconds: "
				 "not restarted", RESTART_BURST + 1,
				 RESTART_WINDOW);
			end = END_STOPPED;
		}
		status = run_task(c->name, c->xid, end == END_RESTART, &out,
				  log);
		close(lock);
		if (end != END_RESTART || status != 0)
			drain_output(&out, log);
		if (end != END_RESTART) {
			log_note(log, status == 0 ? "stopped" :
				 "stopped, but its clean-up failed");
			exit(VS_EXIT_SUCCESS);
		}
		if (status != 0) {
			log_note(log, "the restart failed: the guest stays "
				 "stopped");
			exit(VS_EXIT_SUCCESS);
		}
		path = run_path(c->name, "pid");
		if (guest_read_value(path, &value) != 0)
			value = NULL;
		log_note(log, "restarted: context %u, init pid %s", c->xid,
			 value ? value : "?");
		free(value);
		free(path);
	}
}

/* The checks of a start on guest c, which is locked */
static void check_start(const struct guest_config *c,
			const struct ctx_spec *spec)
{
	struct guest_state st;

	require_vserver();
	probe_guest(c, &st);
	if (st.running)
		errx(VSERVER_EXIT_RUNNING, "guest '%s' is already running "
		     "(context %u)", c->name, c->xid);
	if (st.foreign)
		errx(VS_EXIT_FAILURE, "context %u of guest '%s' is taken by "
		     "another context ('%s')", c->xid, c->name, st.other_text);
	ctxexec_check(spec);
	check_network(c);
}

/*
 * Start guest name.  Without a supervisor, as "vserver start": lock the
 * guest, and leave a supervisor behind that reads the init's output.
 * With one, as its task: the caller holds the lock, and the init writes
 * to the caller's standard output.  Returns the exit status; a start
 * that fails exits.
 */
static int start_guest(const char *name, pid_t supervisor)
{
	struct guest_events events = { 0 };
	struct guest_config c;
	struct guest_log log;
	struct ctx_spec spec;
	int outpipe[2] = { -1, STDOUT_FILENO }, code;
	pid_t pid;

	/* The whole configuration is checked before anything starts */
	load_guest(name, GUEST_CONF_ALL, &c);
	guest_spec(&c, &spec);
	if (!supervisor)
		lock_guest(&c);
	check_start(&c, &spec);
	if (!supervisor) {
		if (open_guest_log(name, &log) != 0)
			errx(VS_EXIT_FAILURE, "guest '%s' not started: it "
			     "has no log", name);
		if (pipe2(outpipe, O_CLOEXEC) != 0)
			err(VS_EXIT_FAILURE, "cannot create a pipe");
		/* Listening before the context exists: no end goes unheard */
		open_events(&events);
	}

	pid = launch_guest(&c, &spec, outpipe[1], &code);

	if (!supervisor) {
		close(outpipe[1]);
		fflush(stdout);
		fflush(stderr);
		supervisor = fork();
		if (supervisor < 0) {
			warn("cannot fork the supervisor of guest '%s'", name);
			code = VS_EXIT_FAILURE;
		} else if (supervisor == 0) {
			supervise(&c, outpipe[0], &log, &events, pid);
		}
		close(outpipe[0]);
		close_guest_log(&log);
		vs_event_close(events.mon);
	}
	if (supervisor > 0 &&
	    write_run_file(&c, "supervisor", "%d", (int)supervisor) != 0)
		code = VS_EXIT_FAILURE;
	if (run_hook(&c, HOOK_POST_START) != 0)
		code = VS_EXIT_FAILURE;
	guest_config_free(&c);
	return code;
}

int vserver_start(const char *name, int argc, char **argv)
{
	help_only(argc, argv, false, "", "Start the init of a guest in a new "
		  "context, with the guest's root directory\nas its root, "
		  "and a supervisor that logs its output and restarts it\n"
		  "when it reboots.");
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	return start_guest(name, 0);
}

/*
 * A process of context xid whose mount namespace a command can join:
 * the init, or else the first process found in it.  Returns its pid, or
 * 0 when the context has none.
 */
static pid_t guest_process(uint32_t xid)
{
	struct vcmd_vx_info_v0 info;
	struct dirent *d;
	pid_t found = 0;
	DIR *proc;

	if (vs_vx_info(xid, &info) == 0 && info.initpid &&
	    vs_task_xid((pid_t)info.initpid) == (int)xid)
		return (pid_t)info.initpid;
	proc = opendir("/proc");
	if (!proc)
		err(VS_EXIT_FAILURE, "cannot read /proc");
	while (!found && (d = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (*end || pid <= 0 || pid > INT_MAX)
			continue;
		if (vs_task_xid((pid_t)pid) == (int)xid)
			found = (pid_t)pid;
	}
	closedir(proc);
	return found;
}

/*
 * Move the caller into running guest c: the mount namespace of one of
 * its processes (whose root is the guest's), its cgroup, its context;
 * then "/" as the working directory, nothing of the host open but 0, 1
 * and 2, and the environment of the guest.
 */
static void join_guest(const struct guest_config *c)
{
	pid_t pid = guest_process(c->xid);
	int pidfd, nid;

	if (!pid)
		errx(VSERVER_EXIT_STOPPED, "guest '%s' has no process left "
		     "to join", c->name);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 && errno == ESRCH)
		errx(VSERVER_EXIT_STOPPED, "guest '%s' has no process left "
		     "to join", c->name);
	if (pidfd < 0)
		err(VS_EXIT_FAILURE, "cannot open process %d", (int)pid);
	/* The pidfd holds the process that has the pid now: still ours? */
	if (vs_task_xid(pid) != (int)c->xid)
		errx(VS_EXIT_FAILURE, "process %d of guest '%s' exited; try "
		     "again", (int)pid, c->name);
	/* Its network context, if it has one; a kernel may have none */
	nid = vs_task_nid(pid);
	if (nid < 0 && errno == ESRCH)
		errx(VS_EXIT_FAILURE, "process %d of guest '%s' exited; try "
		     "again", (int)pid, c->name);
	if (nid < 0 && errno != EOPNOTSUPP)
		die_net(0, "read the network context of process %d",
			(int)pid);
	ctxexec_join_cgroup(c->xid);
	if (setns(pidfd, CLONE_NEWNS) != 0)
		err(VS_EXIT_FAILURE, "cannot join the mounts of guest '%s'",
		    c->name);
	close(pidfd);
	if (nid > VX_NID_WATCH && vs_net_migrate((uint32_t)nid) < 0)
		die_net((uint32_t)nid, "enter network context %d", nid);
	if (vs_ctx_migrate(c->xid, 0) < 0)
		die_context(c->xid, "enter context %u", c->xid);
	if (chdir("/") != 0)
		err(VS_EXIT_FAILURE, "cannot change directory to / in guest "
		    "'%s'", c->name);
	if (close_range(3, ~0U, 0) != 0)
		err(VS_EXIT_FAILURE, "cannot close the files of vserver");
	guest_environment();
}

/* Load what running commands need of guest name, which must run */
static void running_guest(const char *name, unsigned int parts,
			  struct guest_config *c)
{
	struct guest_state st;

	load_guest(name, parts, c);
	probe_guest(c, &st);
	if (st.foreign)
		errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running "
		     "(context %u is another context, '%s')", name, c->xid,
		     st.other_text);
	if (!st.running)
		errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running", name);
}

int vserver_exec(const char *name, int argc, char **argv)
{
	struct guest_config c;

	help_only(argc, argv, true, " [--] <command> [<argument>...]",
		  "Run a command inside a running guest: in its context, "
		  "its cgroup and its\nmounts, from its root directory.  "
		  "The exit status is the command's.");
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		usage_error(vserver_cmd, "no command specified");
	running_guest(name, GUEST_CONF_IDENT, &c);
	join_guest(&c);
	ctxexec_exec(argv + optind);
}

/* The largest /etc/passwd of a guest that enter reads */
#define PASSWD_MAX	(4 << 20)

/*
 * The login shell of root in the guest, which the caller has joined: the
 * entry of uid 0 in its /etc/passwd, read as a file (the name service
 * would load libraries of the guest's), if it names an executable file;
 * else /bin/sh.  The guest chose that file: anything but a regular file
 * of sensible size is passed over.
 */
static char *guest_shell(void)
{
	static char fallback[] = "/bin/sh";
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NONBLOCK |
		      O_NOCTTY);
	struct passwd *pw;
	char *shell = NULL;
	struct stat st;
	FILE *f;

	if (fd < 0)
		return fallback;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > PASSWD_MAX || !(f = fdopen(fd, "r"))) {
		close(fd);
		return fallback;
	}
	while ((pw = fgetpwent(f)))
		if (pw->pw_uid == 0) {
			if (pw->pw_shell && pw->pw_shell[0] == '/' &&
			    access(pw->pw_shell, X_OK) == 0)
				shell = strdup(pw->pw_shell);
			break;
		}
	fclose(f);
	return shell ? shell : fallback;
}

int vserver_enter(const char *name, int argc, char **argv)
{
	char *shell[] = { NULL, NULL };
	struct guest_config c;

	help_only(argc, argv, false, "", "Run a shell inside a running guest: "
		  "root's login shell in the guest's\n/etc/passwd, or "
		  "/bin/sh.");
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	running_guest(name, GUEST_CONF_IDENT, &c);
	join_guest(&c);
	shell[0] = guest_shell();
	ctxexec_exec(shell);
}

/* Wait up to seconds for context xid to end; true when it has */
static bool wait_gone(uint32_t xid, uint32_t seconds)
{
	int ret = context_wait(xid, seconds);

	if (ret < 0 && errno == ESRCH)
		return true;
	if (ret < 0)
		die_context(xid, "wait for context %u", xid);
	return ret == 0;
}

/* Signal the processes of context xid (pid as vs_ctx_kill() takes it) */
static bool signal_guest(uint32_t xid, int pid, int sig)
{
	if (vs_ctx_kill(xid, pid, sig) == 0)
		return true;
	if (errno != ESRCH)
		die_context(xid, "signal context %u", xid);
	return false;
}

/*
 * Run cmd.stop of guest c inside it and wait for it, at most seconds;
 * it is killed after that.  Its failure is reported, and stop goes on.
 */
static void run_stop_command(const struct guest_config *c, uint32_t seconds)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	unsigned long waited;
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		err(VS_EXIT_FAILURE, "cannot fork");
	if (pid == 0) {
		join_guest(c);
		ctxexec_exec(c->stop_argv);
	}
	for (waited = 0; waited < seconds * 20UL; waited++) {
		pid_t done = waitpid(pid, &status, WNOHANG);

		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for process %d",
			    (int)pid);
		nanosleep(&tick, NULL);
	}
	if (waited == seconds * 20UL) {
		warnx("%s/apps/init/cmd.stop did not finish within %u "
		      "seconds: killed", c->dir, seconds);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return;
	}
	if (WIFSIGNALED(status))
		warnx("%s/apps/init/cmd.stop was killed by signal %d", c->dir,
		      WTERMSIG(status));
	else if (WEXITSTATUS(status))
		warnx("%s/apps/init/cmd.stop exited with status %d", c->dir,
		      WEXITSTATUS(status));
}

/*
 * Clean up what the start of guest name (context xid) left, once its
 * context is gone: its cgroup (unless cgroup is false: the xid is
 * another context's), the link of its network to the host and its run
 * directory.  Returns the exit status: VS_EXIT_FAILURE after a warning.
 */
static int clean_up_guest(const char *name, uint32_t xid, bool cgroup)
{
	struct guest_iface *links = NULL;
	int code = VS_EXIT_SUCCESS;
	uint32_t nid = 0;
	ssize_t nlinks;

	if (cgroup && cgroup_remove(xid) != 0 && errno != ENOENT) {
		warn("cannot %s", cgroup_what());
		code = VS_EXIT_FAILURE;
	}
	nlinks = read_net_files(name, &nid, &links);
	if (nlinks < 0 ||
	    (nlinks > 0 && teardown_links(name, nid, links, (size_t)nlinks)))
		code = VS_EXIT_FAILURE;
	free(links);
	remove_run_dir(name);
	return code;
}

/*
 * Wait up to seconds for the supervisor whose pidfd is fd (-1: none) to
 * exit, once stop has let go of the lock it needs to see that.
 */
static void wait_supervisor(int fd, const char *name, pid_t pid,
			    uint32_t seconds)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ret;

	if (fd < 0)
		return;
	while ((ret = poll(&p, 1, (int)seconds * 1000)) < 0 && errno == EINTR)
		;
	if (ret == 0)
		warnx("the supervisor of guest '%s' (process %d) did not exit "
		      "within %u seconds", name, (int)pid, seconds);
	close(fd);
}

/*
 * Stop guest name, waiting up to timeout seconds at each step.  A guest
 * that is not running is an error, unless restarting: then what it left
 * is cleaned up, and that is all.  Returns the exit status.
 */
static int stop_guest(const char *name, uint32_t timeout, bool restarting)
{
	struct vcmd_ctx_flags_v0 flags;
	struct guest_iface *links = NULL;
	uint32_t nid = 0;
	ssize_t nlinks;
	struct guest_config c;
	struct guest_state st;
	bool gone, hook_failed;
	int lock, pidfd = -1;
	pid_t supervisor;

	load_guest(name, GUEST_CONF_IDENT | GUEST_CONF_INIT | GUEST_CONF_HOOKS,
		   &c);
	lock = lock_guest(&c);
	probe_guest(&c, &st);
	if (!st.running) {
		/* What a guest that ended by itself left behind */
		clean_up_guest(name, c.xid, !st.foreign);
		if (st.foreign)
			errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running "
			     "(context %u is another context, '%s')", name,
			     c.xid, st.other_text);
		if (!restarting)
			errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running",
			     name);
		close(lock);
		guest_config_free(&c);
		return VS_EXIT_SUCCESS;
	}
	/* Held before the run directory goes: the pid is still its own */
	supervisor = guest_supervisor(name);
	if (supervisor)
		pidfd = (int)syscall(SYS_pidfd_open, supervisor, 0);

	hook_failed = run_hook(&c, HOOK_PRE_STOP) != 0;
	/* A persistent context must end with its last process */
	if (vs_get_cflags(c.xid, &flags) == 0 &&
	    (flags.flagword & VXF_PERSISTENT) &&
	    vs_set_cflags(c.xid, 0, VXF_PERSISTENT) != 0 && errno != ESRCH)
		die_context(c.xid, "clear the persistent flag of context %u",
			    c.xid);
	/* And so must its network context; it may have none left */
	nlinks = read_net_files(name, &nid, &links);
	if (nlinks > 0)
		vs_set_nflags(nid, 0, NXF_PERSISTENT);
	free(links);

	if (c.stop_argv)
		run_stop_command(&c, timeout);
	else if (!signal_guest(c.xid, 1, SIGTERM))
		signal_guest(c.xid, 0, SIGTERM);	/* no init */
	gone = wait_gone(c.xid, timeout);
	if (!gone) {
		signal_guest(c.xid, 0, SIGTERM);
		gone = wait_gone(c.xid, timeout);
	}
	if (!gone) {
		signal_guest(c.xid, 0, SIGKILL);
		gone = wait_gone(c.xid, timeout);
	}
	if (!gone) {
		struct vcmd_ctx_stat_v0 stat;

		if (vs_ctx_stat(c.xid, &stat) != 0)
			stat.tasks = 0;
		errx(VSERVER_EXIT_TIMEOUT, "guest '%s' did not stop: context "
		     "%u still has %u tasks after SIGKILL", name, c.xid,
		     stat.tasks);
	}

	/* The supervisor finds the run directory gone: not its to clean */
	if (clean_up_guest(name, c.xid, true) != 0)
		hook_failed = true;
	if (run_hook(&c, HOOK_POST_STOP) != 0)
		hook_failed = true;
	guest_config_free(&c);
	close(lock);
	wait_supervisor(pidfd, name, supervisor, timeout);
	return hook_failed ? VS_EXIT_FAILURE : VS_EXIT_SUCCESS;
}

/* The --timeout of stop and restart */
static uint32_t parse_timeout(const char *arg)
{
	uint32_t timeout;

	if (parse_u32(arg, 10, &timeout) != 0 || timeout == 0 ||
	    timeout > 86400)
		usage_error(vserver_cmd, "invalid timeout '%s' (1 to 86400 "
			    "seconds)", arg);
	return timeout;
}

#define TIMEOUT_HELP	" -t, --timeout <seconds>  how long to wait at each " \
			"step (default: 10)\n"

static void __attribute__((noreturn)) stop_usage(void)
{
	simple_usage("", "Stop a guest: run cmd.stop inside it, or send "
		     "SIGTERM to its init; then\nSIGTERM to every process of "
		     "it, then SIGKILL, each after the timeout.",
		     TIMEOUT_HELP);
}

static void __attribute__((noreturn)) restart_usage(void)
{
	simple_usage("", "Restart a guest: stop it as stop does, if it is "
		     "running, then start it\nas start does.  If the stop "
		     "fails, it is not started again.",
		     TIMEOUT_HELP);
}

/* Parse the options of stop or restart; returns the timeout */
static uint32_t parse_stop_opts(int argc, char **argv,
				void (*usage)(void))
{
	static const char optstring[] = ":t:h";
	static const struct option longopts[] = {
		{ "timeout",	required_argument,	NULL,	't' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	uint32_t timeout = STOP_TIMEOUT;
	int ch;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			timeout = parse_timeout(optarg);
			break;
		case 'h':
			usage();
			break;
		default:
			getopt_error(ch, argv, optstring, vserver_cmd);
		}
	}
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	return timeout;
}

int vserver_stop(const char *name, int argc, char **argv)
{
	uint32_t timeout = parse_stop_opts(argc, argv, stop_usage);

	return stop_guest(name, timeout, false);
}

int vserver_restart(const char *name, int argc, char **argv)
{
	uint32_t timeout = parse_stop_opts(argc, argv, restart_usage);
	int code = stop_guest(name, timeout, true);

	if (code != VS_EXIT_SUCCESS)
		return code;
	return start_guest(name, 0);
}
