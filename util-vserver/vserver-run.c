// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vserver NAME start - start the init of a guest in a new context
 * vserver NAME stop  - stop a guest and every process in it
 * vserver NAME enter - a shell inside a guest
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
 *   7. closes every file descriptor but 0, 1 and 2, which go to
 *      /dev/null, and executes the init.
 *
 * It reports to "vserver start" on a close-on-exec pipe: MSG_EXEC just
 * before it executes the init; if that fails, MSG_FAILED, the exit
 * status and the message.  When it dies before, it has said why on
 * stderr.  Entering a guest joins the mount namespace of one of its
 * processes (the init, if it has one), then its cgroup, its network
 * context (that of the process) and its context.
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
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
 * Take down what the start of guest name left of its network, from its
 * run directory.  Returns 0, or -1 after a warning.
 */
static int teardown_network(const char *name)
{
	struct guest_iface *links;
	uint32_t nid;
	ssize_t n = read_net_files(name, &nid, &links);
	int ret;

	if (n <= 0)
		return (int)n;
	ret = teardown_links(name, nid, links, (size_t)n);
	free(links);
	return ret;
}

/* The init-to-be of guest c; fd is the pipe to vserver start */
static void __attribute__((noreturn))
start_child(const struct guest_config *c, const struct ctx_spec *spec, int fd)
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

	/* Nothing of the host stays open: 0, 1, 2 and the pipe are left */
	if ((fd > 3 && close_range(3, (unsigned int)fd - 1, 0) != 0) ||
	    close_range((unsigned int)fd + 1, ~0U, 0) != 0)
		err(VS_EXIT_FAILURE, "cannot close the files of vserver");
	tell(fd, &tag, 1);

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0)
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

int vserver_start(const char *name, int argc, char **argv)
{
	char buf[PATH_MAX + 256];
	struct guest_config c;
	struct guest_state st;
	struct ctx_spec spec;
	struct timespec now;
	int pipefd[2], status, code;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	help_only(argc, argv, false, "", "Start the init of a guest in a new "
		  "context, with the guest's root directory\nas its root.");
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);

	/* The whole configuration is checked before anything starts */
	load_guest(name, GUEST_CONF_ALL, &c);
	guest_spec(&c, &spec);
	lock_guest(&c);
	require_vserver();
	probe_guest(&c, &st);
	if (st.running)
		errx(VSERVER_EXIT_RUNNING, "guest '%s' is already running "
		     "(context %u)", name, c.xid);
	if (st.foreign)
		errx(VS_EXIT_FAILURE, "context %u of guest '%s' is taken by "
		     "another context ('%s')", c.xid, name, st.other_text);
	ctxexec_check(&spec);
	check_network(&c);
	make_run_dir(&c);

	if (run_hook(&c, HOOK_PRE_START) != 0) {
		remove_run_dir(name);
		errx(VS_EXIT_FAILURE, "guest '%s' not started: its pre-start "
		     "hook failed", name);
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
		start_child(&c, &spec, pipefd[1]);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf + got, sizeof(buf) - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(VS_EXIT_FAILURE, "cannot read from the start of "
			    "guest '%s'", name);
		got += (size_t)n;
		if (got == sizeof(buf) - 1)
			break;
	}
	close(pipefd[0]);
	buf[got] = '\0';

	if (got == 1 && buf[0] == MSG_EXEC) {
		/* The init runs; the guest is up */
		clock_gettime(CLOCK_BOOTTIME, &now);
		code = VS_EXIT_SUCCESS;
		if (write_run_file(&c, "xid", "%u", c.xid) != 0 ||
		    write_run_file(&c, "pid", "%d", (int)pid) != 0 ||
		    write_run_file(&c, "started", "%lld",
				   (long long)now.tv_sec) != 0 ||
		    write_net_files(&c) != 0)
			code = VS_EXIT_FAILURE;
		if (run_hook(&c, HOOK_POST_START) != 0)
			code = VS_EXIT_FAILURE;
		guest_config_free(&c);
		return code;
	}

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for process %d",
			    (int)pid);
	undo_start(&c);
	if (got > 1 + sizeof(int) && buf[0] == MSG_EXEC &&
	    buf[1] == MSG_FAILED) {
		memcpy(&code, buf + 2, sizeof(code));
		errx(code, "%s", buf + 2 + sizeof(code));
	}
	/* The child said why on stderr */
	if (WIFSIGNALED(status))
		errx(VS_EXIT_FAILURE, "the start of guest '%s' was killed by "
		     "signal %d", name, WTERMSIG(status));
	return WEXITSTATUS(status) ? WEXITSTATUS(status) : VS_EXIT_FAILURE;
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

int vserver_enter(const char *name, int argc, char **argv)
{
	char *shell[] = { "/bin/sh", NULL };
	struct guest_config c;

	help_only(argc, argv, false, "", "Run a shell, /bin/sh, inside a "
		  "running guest.");
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	running_guest(name, GUEST_CONF_IDENT, &c);
	join_guest(&c);
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

static void __attribute__((noreturn)) stop_usage(void)
{
	simple_usage("", "Stop a guest: run cmd.stop inside it, or send "
		     "SIGTERM to its init; then\nSIGTERM to every process of "
		     "it, then SIGKILL, each after the timeout.",
		     " -t, --timeout <seconds>  how long to wait at each "
		     "step (default: 10)\n");
}

int vserver_stop(const char *name, int argc, char **argv)
{
	static const char optstring[] = ":t:h";
	static const struct option longopts[] = {
		{ "timeout",	required_argument,	NULL,	't' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct vcmd_ctx_flags_v0 flags;
	struct guest_iface *links = NULL;
	uint32_t timeout = STOP_TIMEOUT, nid = 0;
	ssize_t nlinks;
	struct guest_config c;
	struct guest_state st;
	bool gone, hook_failed;
	int ch;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (parse_u32(optarg, 10, &timeout) != 0 ||
			    timeout == 0 || timeout > 86400)
				usage_error(vserver_cmd, "invalid timeout "
					    "'%s' (1 to 86400 seconds)",
					    optarg);
			break;
		case 'h':
			stop_usage();
		default:
			getopt_error(ch, argv, optstring, vserver_cmd);
		}
	}
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);

	load_guest(name, GUEST_CONF_IDENT | GUEST_CONF_INIT | GUEST_CONF_HOOKS,
		   &c);
	lock_guest(&c);
	probe_guest(&c, &st);
	if (!st.running) {
		/* What a guest that ended by itself left behind */
		if (!st.foreign)
			cgroup_remove(c.xid);
		teardown_network(name);
		remove_run_dir(name);
		if (st.foreign)
			errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running "
			     "(context %u is another context, '%s')", name,
			     c.xid, st.other_text);
		errx(VSERVER_EXIT_STOPPED, "guest '%s' is not running", name);
	}

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

	if (cgroup_remove(c.xid) != 0 && errno != ENOENT) {
		warn("cannot %s", cgroup_what());
		hook_failed = true;
	}
	if (nlinks < 0 ||
	    (nlinks > 0 && teardown_links(name, nid, links, (size_t)nlinks)))
		hook_failed = true;
	free(links);
	remove_run_dir(name);
	if (run_hook(&c, HOOK_POST_STOP) != 0)
		hook_failed = true;
	guest_config_free(&c);
	return hook_failed ? VS_EXIT_FAILURE : VS_EXIT_SUCCESS;
}
