// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx net - network contexts: create one with its addresses and its
 * link, enter it, change its addresses, flags and capabilities, show and
 * list them, destroy one.  The subcommands come from one table, as the
 * commands of vctx do.
 *
 * The kernel keeps a network context's addresses as policy; the link
 * that makes them reachable (a veth pair, see netlink.h) is built here,
 * from the host's side and from inside the context's namespace.
 */

#include <arpa/inet.h>
#include <assert.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vserver.h>

#include "common.h"
#include "ctxexec.h"
#include "flags.h"
#include "netlink.h"
#include "vctx.h"

/* One decimal directory per network context the caller can see */
#define PROC_VIRTNET	"/proc/virtnet"

/* Room for an address as vs_net_format_addr() writes it */
#define ADDR_TEXT_SIZE	(INET6_ADDRSTRLEN + 8)

uint32_t parse_nid_arg(const char *arg, uint32_t min)
{
	uint32_t nid;
	int ret = parse_u32(arg, 10, &nid);

	if (ret != 0 && errno != ERANGE)
		usage_error(vctx_cmd, "invalid network context id '%s'", arg);
	if (ret != 0 || nid < min || nid > VX_NID_MAX)
		usage_error(vctx_cmd, "network context id '%s' is out of "
			    "range (%u-%u)", arg, min, VX_NID_MAX);
	return nid;
}

void die_net(uint32_t nid, const char *what, ...)
{
	int saved = errno;
	char *text;
	va_list ap;

	die_if_vserver_unavailable(saved);
	switch (saved) {
	case ESRCH:
		errx(VS_EXIT_FAILURE, "no network context %u", nid);
	case EEXIST:
		errx(VS_EXIT_FAILURE, "network context %u already exists",
		     nid);
	case EBUSY:
		errx(VS_EXIT_FAILURE, "network context %u is still being set "
		     "up", nid);
	}
	va_start(ap, what);
	if (vasprintf(&text, what, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	switch (saved) {
	case EPERM:
		errx(VS_EXIT_FAILURE, "permission denied: %s", text);
	case EACCES:
		errx(VS_EXIT_FAILURE, "cannot %s: network context %u is "
		     "private or no longer has state_admin", text, nid);
	case EOPNOTSUPP:
		errx(VS_EXIT_FAILURE, "cannot %s: this kernel has no network "
		     "contexts", text);
	}
	errno = saved;
	err(VS_EXIT_FAILURE, "cannot %s", text);
}

void net_addr_arg(struct net_addrs *l, const char *arg)
{
	struct vs_net_addr a;
	const char *slash = strchr(arg, '/');

	if (vs_net_parse_addr(arg, &a) != 0) {
		char *host = strndup(arg, slash ? (size_t)(slash - arg) :
				     strlen(arg));

		if (!host)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		/* Tell a bad address from a bad prefix */
		if (slash && vs_net_parse_addr(host, &a) == 0)
			usage_error(vctx_cmd, "invalid prefix length or "
				    "netmask '%s' in '%s'", slash + 1, arg);
		usage_error(vctx_cmd, "invalid address '%s'", arg);
	}
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 4;
		l->a = reallocarray(l->a, l->alloc, sizeof(*l->a));
		if (!l->a)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
	}
	l->a[l->n++] = a;
}

void net_dev_arg(const char *arg)
{
	if (!*arg || strlen(arg) >= IFNAMSIZ || strchr(arg, '/') ||
	    strpbrk(arg, " \t\n"))
		usage_error(vctx_cmd, "invalid device name '%s'", arg);
}

/* a as text: "10.0.0.2/24" */
static const char *addr_text(const struct vs_net_addr *a,
			     char buf[ADDR_TEXT_SIZE])
{
	if (vs_net_format_addr(a, buf, ADDR_TEXT_SIZE) != 0)
		snprintf(buf, ADDR_TEXT_SIZE, "?");
	return buf;
}

/* The kernel's entry for address a: an address with a's netmask */
static void to_ipv4(const struct vs_net_addr *a,
		    struct vcmd_net_addr_ipv4_v1 *v4)
{
	uint32_t mask = a->prefix ? ~0u << (32 - a->prefix) : 0;

	memset(v4, 0, sizeof(*v4));
	v4->type = NXA_TYPE_ADDR;
	memcpy(&v4->ip, a->addr, sizeof(v4->ip));
	v4->mask = htonl(mask);
}

static void to_ipv6(const struct vs_net_addr *a,
		    struct vcmd_net_addr_ipv6_v1 *v6)
{
	unsigned int i;

	memset(v6, 0, sizeof(*v6));
	v6->type = NXA_TYPE_ADDR;
	v6->prefix = a->prefix;
	memcpy(v6->ip, a->addr, sizeof(v6->ip));
	for (i = 0; i < a->prefix; i++)
		v6->mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

/* Add (add) or remove address a to or from the list of nid; -1, errno */
static int kernel_addr(uint32_t nid, const struct vs_net_addr *a, bool add)
{
	struct vcmd_net_addr_ipv4_v1 v4;
	struct vcmd_net_addr_ipv6_v1 v6;

	if (a->family == AF_INET) {
		to_ipv4(a, &v4);
		return add ? vs_net_add_ipv4(nid, &v4) :
			     vs_net_rem_ipv4(nid, &v4);
	}
	to_ipv6(a, &v6);
	return add ? vs_net_add_ipv6(nid, &v6) : vs_net_remove_ipv6(nid, &v6);
}

/* Exit for a failed kernel_addr() of a */
static void __attribute__((noreturn))
die_addr(uint32_t nid, const struct vs_net_addr *a, bool add)
{
	char text[ADDR_TEXT_SIZE];
	int saved = errno;

	addr_text(a, text);
	errno = saved;
	if (errno == EEXIST && add)
		errx(VS_EXIT_FAILURE, "network context %u has %s already",
		     nid, text);
	if (errno == ESRCH && !add)
		errx(VS_EXIT_FAILURE, "network context %u does not have %s",
		     nid, text);
	if (errno == EOPNOTSUPP && a->family == AF_INET6 &&
	    vs_nx_info(nid, &(struct vcmd_nx_info_v0){ 0 }) == 0)
		errx(VS_EXIT_FAILURE, "cannot %s %s: this kernel has no IPv6",
		     add ? "add" : "remove", text);
	die_net(nid, add ? "add %s to network context %u" :
		"remove %s from network context %u", text, nid);
}

void net_kernel_add(uint32_t nid, const struct vs_net_addr *a, size_t n)
{
	size_t i, j;
	int saved;

	for (i = 0; i < n; i++) {
		if (kernel_addr(nid, &a[i], true) == 0)
			continue;
		/* Nothing of this call stays */
		saved = errno;
		for (j = i; j-- > 0;)
			kernel_addr(nid, &a[j], false);
		errno = saved;
		die_addr(nid, &a[i], true);
	}
}

/*
 * What a creation made and must take back when it fails before the
 * command runs: the link, and the persistence that would keep the
 * context.  An exit handler does it; exec() skips it.
 */
static struct {
	bool armed;
	uint32_t nid;
	bool persistent;
	struct vs_netlink *nl;	/* the link is up */
	const struct vs_net_addr *addrs;
	size_t n;
	const char *dev;
} pending;

static void undo_pending(void)
{
	if (!pending.armed)
		return;
	pending.armed = false;
	if (pending.nl)
		vs_netlink_teardown(pending.nl, pending.nid, pending.addrs,
				    pending.n, pending.dev);
	if (pending.persistent)
		vs_set_nflags(pending.nid, 0, NXF_PERSISTENT);
}

static void arm_pending(uint32_t nid, bool persistent)
{
	static bool registered;

	if (!registered && atexit(undo_pending) != 0)
		errx(VS_EXIT_FAILURE, "cannot register an exit handler");
	registered = true;
	pending.armed = true;
	pending.nid = nid;
	pending.persistent = persistent;
}

void net_commit(void)
{
	pending.armed = false;
}

/* Report a failed link operation of network context nid */
static void warn_link(int ret, const char *dev, uint32_t nid)
{
	if (ret == -ENODEV && dev)
		warnx("no network device '%s'", dev);
	else if (ret == -EAFNOSUPPORT)
		warnx("cannot give network context %u an IPv6 address: this "
		      "kernel has no IPv6", nid);
	else {
		errno = -ret;
		warn("cannot set up the link of network context %u", nid);
	}
}

struct vs_netlink *net_open_host(const char *dev)
{
	struct vs_netlink *nl = vs_netlink_open();

	if (!nl)
		err(VS_EXIT_FAILURE, "cannot open an rtnetlink socket");
	if (dev && if_nametoindex(dev) == 0) {
		if (errno == ENODEV || errno == ENXIO)
			errx(VS_EXIT_FAILURE, "no network device '%s'", dev);
		err(VS_EXIT_FAILURE, "cannot look up network device '%s'",
		    dev);
	}
	return nl;
}

void net_create_in(uint32_t nid, const uint64_t *flagword, bool persistent)
{
	if (vs_net_create(nid, flagword) < 0) {
		if (errno == EPERM)
			errx(VS_EXIT_FAILURE, "only root in the host context "
			     "may create network contexts");
		if (errno == EACCES)
			errx(VS_EXIT_FAILURE, "cannot create network context "
			     "%u: a private context needs state_setup", nid);
		die_net(nid, "create network context %u", nid);
	}
	arm_pending(nid, persistent);
}

void net_link_up(struct vs_netlink *nl, uint32_t nid,
		 const struct vs_net_addr *a, size_t n, const char *dev)
{
	int ret = vs_netlink_guest_setup(nl, nid, a, n, dev);

	if (ret) {
		warn_link(ret, dev, nid);
		exit(VS_EXIT_FAILURE);
	}
	pending.nl = nl;
	pending.addrs = a;
	pending.n = n;
	pending.dev = dev;
}

/* $SHELL, or /bin/sh */
static void __attribute__((noreturn)) exec_shell(void)
{
	char *shell = getenv("SHELL");
	char *argv[2];

	if (!shell || !*shell)
		shell = "/bin/sh";
	argv[0] = shell;
	argv[1] = NULL;
	ctxexec_exec(argv);
}

/*
 * An address entry of /proc/virtnet/<nid>/info; only entries of type
 * NXA_TYPE_ADDR and NXA_TYPE_MASK have a prefix.
 */
struct net_entry {
	struct vs_net_addr a;
	unsigned int type;	/* NXA_TYPE_* */
};

/* What the kernel shows of a network context */
struct net_info {
	uint32_t nid;
	uint32_t tasks, usecnt;
	uint64_t flags, ncaps;
	char bcast[INET_ADDRSTRLEN], lback[INET_ADDRSTRLEN];
	struct net_entry *e;
	size_t n;
};

/* The text between "[" and "]" of an address line into *e; false if bad */
static bool parse_entry(char *s, struct net_entry *e)
{
	char *colon = strrchr(s, ':'), *slash, *dash, *end;
	struct in_addr mask;
	unsigned long v;

	if (!colon)
		return false;
	*colon = '\0';
	v = strtoul(colon + 1, &end, 16);
	if (*end)
		return false;
	e->type = (unsigned int)v;
	memset(&e->a, 0, sizeof(e->a));
	dash = strchr(s, '-');
	if (dash) {
		/* IPv4: ip-ip2/mask */
		*dash = '\0';
		slash = strchr(dash + 1, '/');
		if (!slash || inet_pton(AF_INET, s, e->a.addr) != 1 ||
		    inet_pton(AF_INET, slash + 1, &mask) != 1)
			return false;
		e->a.family = AF_INET;
		e->a.prefix = (unsigned int)__builtin_popcount(mask.s_addr);
		return true;
	}
	/* IPv6: ip/mask/prefix */
	slash = strchr(s, '/');
	if (!slash)
		return false;
	*slash = '\0';
	slash = strchr(slash + 1, '/');
	if (!slash || inet_pton(AF_INET6, s, e->a.addr) != 1)
		return false;
	v = strtoul(slash + 1, &end, 10);
	if (*end || v > 128)
		return false;
	e->a.family = AF_INET6;
	e->a.prefix = (unsigned int)v;
	return true;
}

/* Open /proc/virtnet/<nid>/<file>; NULL with errno */
static FILE *open_proc(uint32_t nid, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), PROC_VIRTNET "/%u/%s", nid, file);
	return fopen(path, "re");
}

/*
 * The addresses, broadcast and loopback of nid from its info file, and
 * its task counts from its status file; -1 with errno (ENOENT: no such
 * context) if they cannot be read.
 */
static int read_proc(uint32_t nid, struct net_info *ni)
{
	char line[256];
	size_t alloc = 0;
	FILE *f;

	f = open_proc(nid, "info");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *open = strchr(line, '['), *close = strrchr(line, ']');

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "Bcast:\t%15s", ni->bcast) == 1 ||
		    sscanf(line, "Lback:\t%15s", ni->lback) == 1)
			continue;
		if (!open || !close || close < open ||
		    !(line[0] >= '0' && line[0] <= '9'))
			continue;
		*close = '\0';
		if (ni->n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			ni->e = reallocarray(ni->e, alloc, sizeof(*ni->e));
			if (!ni->e)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
		}
		if (parse_entry(open + 1, &ni->e[ni->n]))
			ni->n++;
	}
	fclose(f);

	f = open_proc(nid, "status");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Tasks:\t%" SCNu32, &ni->tasks) == 1)
			continue;
		sscanf(line, "UseCnt:\t%" SCNu32, &ni->usecnt);
	}
	fclose(f);
	return 0;
}

/* Everything about nid; exits with the reason when it cannot be read */
static void read_net(uint32_t nid, struct net_info *ni, bool caps)
{
	struct vcmd_nx_info_v0 info;
	struct vcmd_net_flags_v0 flags;
	struct vcmd_net_caps_v0 ncaps = { 0 };

	memset(ni, 0, sizeof(*ni));
	ni->nid = nid;
	if (vs_nx_info(nid, &info) != 0 || vs_get_nflags(nid, &flags) != 0 ||
	    (caps && vs_get_ncaps(nid, &ncaps) != 0))
		die_net(nid, "read network context %u", nid);
	ni->flags = flags.flagword;
	ni->ncaps = ncaps.ncaps;
	if (read_proc(nid, ni) != 0) {
		if (errno == ENOENT)
			errx(VS_EXIT_FAILURE, "no network context %u", nid);
		err(VS_EXIT_FAILURE, "cannot read " PROC_VIRTNET "/%u", nid);
	}
}

/* The addresses of an entry list, of type NXA_TYPE_ADDR only */
static struct vs_net_addr *entry_addrs(const struct net_info *ni,
				       size_t *n)
{
	struct vs_net_addr *a = calloc(ni->n ? ni->n : 1, sizeof(*a));
	size_t i;

	if (!a)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	*n = 0;
	for (i = 0; i < ni->n; i++)
		if (ni->e[i].type == NXA_TYPE_ADDR)
			a[(*n)++] = ni->e[i].a;
	return a;
}

static const char *type_name(unsigned int type)
{
	switch (type) {
	case NXA_TYPE_ADDR:
		return "addr";
	case NXA_TYPE_MASK:
		return "mask";
	case NXA_TYPE_RANGE:
		return "range";
	default:
		return "other";
	}
}

/* The addresses as text: "10.0.0.2/24,2001:db8::5/64", or "-" */
static void print_addrs(const struct net_info *ni)
{
	char text[ADDR_TEXT_SIZE];
	size_t i;

	if (!ni->n)
		putchar('-');
	for (i = 0; i < ni->n; i++)
		printf("%s%s", i ? "," : "", addr_text(&ni->e[i].a, text));
}

static void json_addrs(const struct net_info *ni)
{
	char text[INET6_ADDRSTRLEN];
	size_t i;

	putchar('[');
	for (i = 0; i < ni->n; i++) {
		const struct net_entry *e = &ni->e[i];
		bool first = true;

		inet_ntop(e->a.family, e->a.addr, text, sizeof(text));
		fputs(i ? ",{" : "{", stdout);
		json_key(stdout, &first, "family");
		json_print_string(stdout, e->a.family == AF_INET ? "inet" :
				  "inet6");
		json_key(stdout, &first, "address");
		json_print_string(stdout, text);
		json_key(stdout, &first, "prefix");
		printf("%u", e->a.prefix);
		json_key(stdout, &first, "type");
		json_print_string(stdout, type_name(e->type));
		putchar('}');
	}
	putchar(']');
}

/* Usage texts: the synopsis and sentence come from the table below */
struct net_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;	/* after "vctx net <name>" */
	const char *summary;	/* for "vctx net --help" */
};

static const struct net_command *this_command;

/* The summary of the running subcommand as a sentence */
static const char *sentence(void)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%c%s.", this_command->summary[0] - 'a' +
		 'A', this_command->summary + 1);
	return buf;
}

/* "Usage:", the synopsis and the sentence of the running subcommand */
static void usage_head(FILE *out)
{
	fputs("Usage:\n", out);
	fprintf(out, " %s %s\n", vctx_cmd, this_command->args);
	fprintf(out, "\n%s\n", sentence());
}

/* No more than max arguments after the options */
static void check_args(int argc, char **argv, int first, int max)
{
	if (argc - first > max)
		usage_error(vctx_cmd, "unexpected argument '%s'",
			    argv[first + max]);
}

/* The one nid argument of a listing command */
static uint32_t the_nid_arg(int argc, char **argv, int arg, uint32_t min)
{
	if (arg >= argc)
		usage_error(vctx_cmd, "no network context specified");
	check_args(argc, argv, arg, 1);
	return parse_nid_arg(argv[arg], min);
}

/*
 * Options, the nid and a command, in any order up to the command: parse
 * with a '+' optstring and take the first argument that is not an option
 * as the nid; the next one, or what follows "--", starts the command.
 * Calls opt() for each option; returns the index of the command (argc
 * when there is none) and stores the nid.
 */
static int parse_with_command(int argc, char **argv, const char *optstring,
			      const struct option *longopts,
			      void (*opt)(int c, void *ctx), void *ctx,
			      uint32_t min, uint32_t *nid)
{
	bool have_nid = false, ended;
	int c;

	for (;;) {
		while ((c = getopt_long(argc, argv, optstring, longopts,
					NULL)) != -1)
			opt(c, ctx);
		/* getopt_long() steps over a "--" and stops after it */
		ended = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
		if (have_nid || optind >= argc)
			break;
		*nid = parse_nid_arg(argv[optind++], min);
		have_nid = true;
		if (ended)
			break;
	}
	if (!have_nid)
		usage_error(vctx_cmd, "no network context specified");
	return optind;
}

/* vctx net create */

struct create_opts {
	struct net_addrs addrs;
	const char *dev;
	uint64_t set, clear, cset, cclear;
	bool flags, caps, persistent;
};

static void __attribute__((noreturn)) create_usage(void)
{
	FILE *out = stdout;

	usage_head(out);
	fputs("\nOptions:\n", out);
	fputs(" -i, --ip <addr>[/<prefix>]  give the context an address "
	      "(repeatable)\n", out);
	fputs(" -d, --dev <device>          make its addresses reachable "
	      "from the LAN of\n"
	      "                               <device> (proxy ARP/NDP "
	      "entries)\n", out);
	fputs(" -f, --flags <list>          set or clear network flags\n",
	      out);
	fputs("     --ncaps <list>          set or clear network "
	      "capabilities\n", out);
	fputs(" -p, --persistent            keep the context without "
	      "processes; without\n"
	      "                               a command, return at once\n",
	      out);
	fputs("\n -h, --help                  display this help\n", out);
	flag_table_usage(out, &nflag_table);
	flag_table_usage(out, &ncap_table);
	fputs("\nAn address is IPv4 or IPv6, with a prefix length or an "
	      "IPv4 netmask\n(default /32, /128).  The command defaults to "
	      "$SHELL, or /bin/sh.\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

void net_flag_list(const struct flag_table *t, const char *list,
		   uint64_t *set, uint64_t *clear)
{
	const char *bad;
	size_t badlen;
	uint64_t s, c;

	if (flag_list_parse(t, list, &s, &c, &bad, &badlen) != 0)
		usage_error(vctx_cmd, "unknown %s '%.*s'", t->what,
			    (int)badlen, bad);
	*set = (*set | s) & ~c;
	*clear = (*clear | c) & ~s;
}

enum { OPT_NCAPS = 0x100 };

static char *const *getopt_argv;
static const char *getopt_optstring;

/* getopt_error() with the argv and optstring of the running parse */
static void __attribute__((noreturn)) opt_error(int c)
{
	getopt_error(c, getopt_argv, getopt_optstring, vctx_cmd);
}

static void create_opt(int c, void *ctx)
{
	struct create_opts *o = ctx;

	switch (c) {
	case 'i':
		net_addr_arg(&o->addrs, optarg);
		break;
	case 'd':
		net_dev_arg(optarg);
		o->dev = optarg;
		break;
	case 'f':
		net_flag_list(&nflag_table, optarg, &o->set, &o->clear);
		o->flags = true;
		break;
	case OPT_NCAPS:
		net_flag_list(&ncap_table, optarg, &o->cset, &o->cclear);
		o->caps = true;
		break;
	case 'p':
		o->persistent = true;
		break;
	case 'h':
		create_usage();
	default:
		opt_error(c);
	}
}

static int net_create_cmd(int argc, char **argv)
{
	static const char optstring[] = "+:i:d:f:ph";
	static const struct option longopts[] = {
		{ "ip",		required_argument,	NULL,	'i' },
		{ "dev",	required_argument,	NULL,	'd' },
		{ "flags",	required_argument,	NULL,	'f' },
		{ "ncaps",	required_argument,	NULL,	OPT_NCAPS },
		{ "persistent",	no_argument,		NULL,	'p' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct create_opts o = { 0 };
	struct vs_netlink *nl = NULL;
	uint64_t flagword, rest;
	uint32_t nid = 0;
	int cmd;

	getopt_argv = argv;
	getopt_optstring = optstring;
	cmd = parse_with_command(argc, argv, optstring, longopts, create_opt,
				 &o, VX_XID_MIN, &nid);
	if (o.dev && !o.addrs.n)
		usage_error(vctx_cmd, "--dev needs --ip");

	/* The host's socket, before the caller leaves the host */
	if (o.addrs.n)
		nl = net_open_host(o.dev);

	/*
	 * The one-time flags can only be given at creation; the others
	 * come last, so that the context keeps state_admin, and may be
	 * entered, until its addresses and capabilities are set.
	 */
	flagword = NXF_INIT_SET | (o.set & NXF_ONE_TIME);
	if (o.persistent)
		flagword |= NXF_PERSISTENT;
	net_create_in(nid, o.flags || o.persistent ? &flagword : NULL,
		      o.persistent);
	if (o.caps && vs_set_ncaps(nid, o.cset, o.cset | o.cclear) != 0)
		die_net(nid, "set the capabilities of network context %u",
			nid);
	net_kernel_add(nid, o.addrs.a, o.addrs.n);
	if (nl)
		net_link_up(nl, nid, o.addrs.a, o.addrs.n, o.dev);
	rest = o.set & ~NXF_ONE_TIME;
	if ((rest | o.clear) &&
	    vs_set_nflags(nid, rest, rest | o.clear) != 0)
		die_net(nid, "set the flags of network context %u", nid);

	if (cmd >= argc && o.persistent) {
		net_commit();
		return VS_EXIT_SUCCESS;
	}
	if (cmd < argc)
		ctxexec_exec(argv + cmd);
	exec_shell();
}

/* vctx net enter */

static void enter_opt(int c, void *ctx)
{
	(void)ctx;
	if (c == 'h') {
		usage_head(stdout);
		fputs("Network context 1 makes the command a spectator of "
		      "every network context.\n", stdout);
		fputs("\nOptions:\n", stdout);
		fputs(" -h, --help     display this help\n", stdout);
		fputs(VS_USAGE_MAN_TAIL("vctx(8)"), stdout);
		exit(VS_EXIT_SUCCESS);
	}
	opt_error(c);
}

static int net_enter_cmd(int argc, char **argv)
{
	static const char optstring[] = "+:h";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	uint32_t nid = 0;
	int cmd;

	getopt_argv = argv;
	getopt_optstring = optstring;
	cmd = parse_with_command(argc, argv, optstring, longopts, enter_opt,
				 NULL, VX_NID_WATCH, &nid);
	if (cmd >= argc)
		usage_error(vctx_cmd, "no command specified");
	if (vs_net_migrate(nid) < 0)
		die_net(nid, "enter network context %u", nid);
	ctxexec_exec(argv + cmd);
}

/*
 * Run fn in a child that enters network context nid and then works with
 * nl, the host's socket; the child reports its own errors.  The parent
 * closes nl.  Returns whether the child succeeded.
 */
static bool in_context(struct vs_netlink *nl, uint32_t nid,
		       int (*fn)(struct vs_netlink *nl, uint32_t nid,
				 void *ctx), void *ctx)
{
	int status, ret;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		err(VS_EXIT_FAILURE, "cannot fork");
	if (pid == 0) {
		/* Nothing to flush or undo here: exit() is fine */
		if (vs_net_migrate(nid) < 0)
			die_net(nid, "enter network context %u", nid);
		ret = fn(nl, nid, ctx);
		fflush(stderr);
		_exit(ret ? VS_EXIT_FAILURE : VS_EXIT_SUCCESS);
	}
	vs_netlink_close(nl);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for process %d",
			    (int)pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == VS_EXIT_SUCCESS;
}

/* vctx net add */

struct addr_opts {
	struct net_addrs addrs;
	const char *dev;
	bool all;
};

static void __attribute__((noreturn)) addr_usage(bool remove)
{
	FILE *out = stdout;

	usage_head(out);
	fputs("\nOptions:\n", out);
	if (remove)
		fputs(" -a, --all             remove every address\n", out);
	fputs(" -d, --dev <device>    the device of the LAN the addresses "
	      "were made\n"
	      "                         reachable from (proxy entries)\n",
	      out);
	fputs("\n -h, --help            display this help\n", out);
	fputs("\nAn address is IPv4 or IPv6, with a prefix length or an "
	      "IPv4 netmask\n(default /32, /128).\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* Parse the options and arguments of add and remove; returns the nid */
static uint32_t parse_addr_cmd(int argc, char **argv, struct addr_opts *o,
			       bool remove)
{
	/* The last entry, --all, is remove's only */
	static const struct option longopts[] = {
		{ "dev",	required_argument,	NULL,	'd' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "all",	no_argument,		NULL,	'a' },
		{ NULL,		0,			NULL,	0 }
	};
	static const struct option add_longopts[] = {
		{ "dev",	required_argument,	NULL,	'd' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	const char *optstring = remove ? ":ad:h" : ":d:h";
	uint32_t nid;
	int c, i;

	while ((c = getopt_long(argc, argv, optstring,
				remove ? longopts : add_longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case 'd':
			net_dev_arg(optarg);
			o->dev = optarg;
			break;
		case 'h':
			addr_usage(remove);
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind >= argc)
		usage_error(vctx_cmd, "no network context specified");
	nid = parse_nid_arg(argv[optind++], VX_XID_MIN);
	for (i = optind; i < argc; i++)
		net_addr_arg(&o->addrs, argv[i]);
	if (o->all && o->addrs.n)
		usage_error(vctx_cmd, "--all and addresses are mutually "
			    "exclusive");
	if (!o->all && !o->addrs.n)
		usage_error(vctx_cmd, "no address specified");
	return nid;
}

struct link_job {
	const struct vs_net_addr *a;
	size_t n;
	const char *dev;
};

static int link_add(struct vs_netlink *nl, uint32_t nid, void *ctx)
{
	const struct link_job *j = ctx;
	int ret = vs_netlink_guest_setup(nl, nid, j->a, j->n, j->dev);

	if (ret)
		warn_link(ret, j->dev, nid);
	return ret;
}

static int net_add_cmd(int argc, char **argv)
{
	struct addr_opts o = { 0 };
	struct vs_netlink *nl;
	struct link_job job;
	uint32_t nid;
	size_t i;

	nid = parse_addr_cmd(argc, argv, &o, false);
	nl = net_open_host(o.dev);
	net_kernel_add(nid, o.addrs.a, o.addrs.n);
	job = (struct link_job){ o.addrs.a, o.addrs.n, o.dev };
	if (in_context(nl, nid, link_add, &job)) {
		free(o.addrs.a);
		return VS_EXIT_SUCCESS;
	}
	/* The addresses stay only with their link */
	for (i = o.addrs.n; i-- > 0;)
		kernel_addr(nid, &o.addrs.a[i], false);
	free(o.addrs.a);
	return VS_EXIT_FAILURE;
}

/* vctx net remove */

static int link_remove(struct vs_netlink *nl, uint32_t nid, void *ctx)
{
	const struct link_job *j = ctx;
	char text[ADDR_TEXT_SIZE];
	int ret, status = 0;
	size_t i;

	for (i = 0; i < j->n; i++) {
		ret = vs_netlink_guest_remove_addr(nl, nid, &j->a[i], j->dev);
		if (!ret)
			continue;
		errno = -ret;
		warn("cannot take %s off the link of network context %u",
		     addr_text(&j->a[i], text), nid);
		status = ret;
	}
	return status;
}

/* The listed address equal to a, or NULL */
static const struct net_entry *find_entry(const struct net_info *ni,
					  const struct vs_net_addr *a)
{
	size_t i;

	for (i = 0; i < ni->n; i++)
		if (ni->e[i].type == NXA_TYPE_ADDR &&
		    ni->e[i].a.family == a->family &&
		    memcmp(ni->e[i].a.addr, a->addr,
			   a->family == AF_INET ? 4 : 16) == 0)
			return &ni->e[i];
	return NULL;
}

static int net_remove_cmd(int argc, char **argv)
{
	struct addr_opts o = { 0 };
	struct vs_netlink *nl;
	struct net_info ni;
	struct link_job job;
	struct vs_net_addr *a;
	size_t n, i;
	uint32_t nid;
	int status = VS_EXIT_SUCCESS;

	nid = parse_addr_cmd(argc, argv, &o, true);
	read_net(nid, &ni, false);
	nl = net_open_host(o.dev);
	if (o.all) {
		struct vcmd_net_addr_ipv4_v1 v4 = { .type = NXA_TYPE_ANY };
		struct vcmd_net_addr_ipv6_v1 v6 = { .type = NXA_TYPE_ANY };
		bool has6 = false;

		a = entry_addrs(&ni, &n);
		for (i = 0; i < ni.n; i++)
			has6 |= ni.e[i].a.family == AF_INET6;
		if (vs_net_rem_ipv4(nid, &v4) != 0)
			die_net(nid, "remove the addresses of network context "
				"%u", nid);
		/* A kernel without IPv6 has no IPv6 address to remove */
		if (vs_net_remove_ipv6(nid, &v6) != 0 &&
		    (errno != EOPNOTSUPP || has6))
			die_net(nid, "remove the addresses of network context "
				"%u", nid);
	} else {
		a = o.addrs.a;
		n = o.addrs.n;
		/* The entry as listed: with the netmask it was added with */
		for (i = 0; i < n; i++) {
			const struct net_entry *e = find_entry(&ni, &a[i]);
			char text[ADDR_TEXT_SIZE];

			if (!e)
				errx(VS_EXIT_FAILURE, "network context %u does "
				     "not have %s", nid, addr_text(&a[i], text));
			a[i] = e->a;
		}
		for (i = 0; i < n; i++)
			if (kernel_addr(nid, &a[i], false) != 0)
				die_addr(nid, &a[i], false);
	}
	job = (struct link_job){ a, n, o.dev };
	if (!n)
		vs_netlink_close(nl);
	else if (!in_context(nl, nid, link_remove, &job))
		status = VS_EXIT_FAILURE;
	if (a != o.addrs.a)
		free(a);
	free(o.addrs.a);
	free(ni.e);
	return status;
}

/* vctx net info, list */

static int parse_listing_opts(int argc, char **argv,
			      struct listing_opts *opts, const char *args,
			      bool headings)
{
	const struct listing_help help = {
		.cmd = vctx_cmd,
		.synopsis = vctx_cmd,
		.args = args,
		.what = sentence(),
		.manpage = "vctx(8)",
		.headings = headings,
	};

	return parse_listing(argc, argv, opts, &help);
}

static int net_info_cmd(int argc, char **argv)
{
	struct listing_opts opts;
	struct net_info ni;
	bool first = true;
	uint32_t nid;
	int arg;

	arg = parse_listing_opts(argc, argv, &opts, " <nid>", false);
	nid = the_nid_arg(argc, argv, arg, VX_XID_MIN);
	read_net(nid, &ni, true);

	if (opts.json) {
		putchar('{');
		json_key(stdout, &first, "nid");
		printf("%u", ni.nid);
		json_key(stdout, &first, "tasks");
		printf("%u", ni.tasks);
		json_key(stdout, &first, "usecnt");
		printf("%u", ni.usecnt);
		json_key(stdout, &first, "flags");
		flag_list_print_json(stdout, &nflag_table, ni.flags);
		json_key(stdout, &first, "flagword");
		printf("%" PRIu64, ni.flags);
		json_key(stdout, &first, "ncaps");
		flag_list_print_json(stdout, &ncap_table, ni.ncaps);
		json_key(stdout, &first, "ncapword");
		printf("%" PRIu64, ni.ncaps);
		json_key(stdout, &first, "bcast");
		json_print_string(stdout, ni.bcast);
		json_key(stdout, &first, "lback");
		json_print_string(stdout, ni.lback);
		json_key(stdout, &first, "addresses");
		json_addrs(&ni);
		fputs("}\n", stdout);
		free(ni.e);
		return VS_EXIT_SUCCESS;
	}
	printf("nid:        %u\n", ni.nid);
	printf("tasks:      %u\n", ni.tasks);
	printf("usecnt:     %u\n", ni.usecnt);
	fputs("flags:      ", stdout);
	flag_list_print(stdout, &nflag_table, ni.flags);
	printf("\nflagword:   0x%016" PRIx64 "\n", ni.flags);
	fputs("ncaps:      ", stdout);
	flag_list_print(stdout, &ncap_table, ni.ncaps);
	printf("\nbcast:      %s\n", ni.bcast);
	printf("lback:      %s\n", ni.lback);
	fputs("addresses:  ", stdout);
	print_addrs(&ni);
	putchar('\n');
	free(ni.e);
	return VS_EXIT_SUCCESS;
}

static int compare_nids(const void *a, const void *b)
{
	uint32_t x = ((const struct net_info *)a)->nid;
	uint32_t y = ((const struct net_info *)b)->nid;

	return (x > y) - (x < y);
}

/* The network contexts in /proc/virtnet; exits on errors */
static size_t list_nets(struct net_info **out)
{
	struct net_info *nets = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir(PROC_VIRTNET);
	if (!dir) {
		int saved = errno;

		require_vserver();
		if (saved == ENOENT)
			errx(VS_EXIT_FAILURE, "this kernel has no network "
			     "contexts: " PROC_VIRTNET " is missing");
		errno = saved;
		err(VS_EXIT_FAILURE, "cannot open " PROC_VIRTNET);
	}
	while ((errno = 0, d = readdir(dir)) != NULL) {
		struct vcmd_net_flags_v0 flags;
		struct net_info ni = { 0 };
		uint32_t nid;

		if (parse_u32(d->d_name, 10, &nid) != 0 || nid < VX_XID_MIN ||
		    d->d_name[0] == '0')
			continue;	/* "info", "status" */
		ni.nid = nid;
		if (vs_get_nflags(nid, &flags) != 0) {
			if (errno == ESRCH)
				continue;	/* gone meanwhile */
			die_net(nid, "read network context %u", nid);
		}
		ni.flags = flags.flagword;
		if (read_proc(nid, &ni) != 0) {
			free(ni.e);
			if (errno == ENOENT)
				continue;
			err(VS_EXIT_FAILURE, "cannot read " PROC_VIRTNET
			    "/%u", nid);
		}
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			nets = reallocarray(nets, alloc, sizeof(*nets));
			if (!nets)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
		}
		nets[n++] = ni;
	}
	if (errno)
		err(VS_EXIT_FAILURE, "cannot read " PROC_VIRTNET);
	closedir(dir);
	if (n)
		qsort(nets, n, sizeof(*nets), compare_nids);
	*out = nets;
	return n;
}

static int net_list_cmd(int argc, char **argv)
{
	struct listing_opts opts;
	struct net_info *nets;
	size_t n, i, width = strlen("FLAGS");

	check_args(argc, argv, parse_listing_opts(argc, argv, &opts, "",
						   true), 0);
	n = list_nets(&nets);

	if (opts.json) {
		fputs("{\"network_contexts\":[", stdout);
		for (i = 0; i < n; i++) {
			bool first = true;

			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &first, "nid");
			printf("%u", nets[i].nid);
			json_key(stdout, &first, "tasks");
			printf("%u", nets[i].tasks);
			json_key(stdout, &first, "flags");
			flag_list_print_json(stdout, &nflag_table,
					     nets[i].flags);
			json_key(stdout, &first, "flagword");
			printf("%" PRIu64, nets[i].flags);
			json_key(stdout, &first, "addresses");
			json_addrs(&nets[i]);
			putchar('}');
		}
		fputs("]}\n", stdout);
		goto out;
	}

	/* The flags as they are printed, for the width of their column */
	for (i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (!f)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		flag_list_print(f, &nflag_table, nets[i].flags);
		fclose(f);
		if (len > width)
			width = len;
		free(text);
	}
	if (!opts.noheadings)
		printf("%5s %5s %-*s %s\n", "NID", "TASKS", (int)width,
		       "FLAGS", "ADDRESSES");
	for (i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (!f)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		flag_list_print(f, &nflag_table, nets[i].flags);
		fclose(f);
		printf("%5u %5u %-*s ", nets[i].nid, nets[i].tasks,
		       (int)width, text);
		free(text);
		print_addrs(&nets[i]);
		putchar('\n');
	}
out:
	for (i = 0; i < n; i++)
		free(nets[i].e);
	free(nets);
	return VS_EXIT_SUCCESS;
}

/* vctx net flags, caps */

static void __attribute__((noreturn)) word_usage(const struct flag_table *t)
{
	FILE *out = stdout;

	usage_head(out);
	fputs("\nOptions:\n", out);
	fputs(" -s, --set <list>   set the names in list, clear those "
	      "prefixed with ~\n", out);
	fputs(" -J, --json         print one JSON object on one line\n", out);
	fputs("\n -h, --help         display this help\n", out);
	flag_table_usage(out, t);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* flags (caps false) or caps of a network context: show or change */
static int net_word_cmd(int argc, char **argv, bool caps)
{
	static const char optstring[] = ":s:Jh";
	static const struct option longopts[] = {
		{ "set",	required_argument,	NULL,	's' },
		{ "json",	no_argument,		NULL,	'J' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	const struct flag_table *t = caps ? &ncap_table : &nflag_table;
	const char *noun = caps ? "capabilities" : "flags";
	uint64_t set = 0, clear = 0, word, mask = 0;
	bool change = false, json = false, first = true;
	uint32_t nid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			net_flag_list(t, optarg, &set, &clear);
			change = true;
			break;
		case 'J':
			json = true;
			break;
		case 'h':
			word_usage(t);
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (change && json)
		usage_error(vctx_cmd, "--set and --json are mutually "
			    "exclusive");
	nid = the_nid_arg(argc, argv, optind, VX_XID_MIN);

	if (change) {
		if ((caps ? vs_set_ncaps(nid, set, set | clear) :
			    vs_set_nflags(nid, set, set | clear)) != 0)
			die_net(nid, "set the %s of network context %u", noun,
				nid);
		return VS_EXIT_SUCCESS;
	}
	if (caps) {
		struct vcmd_net_caps_v0 nc;

		if (vs_get_ncaps(nid, &nc) != 0)
			die_net(nid, "read the %s of network context %u",
				noun, nid);
		word = nc.ncaps;
	} else {
		struct vcmd_net_flags_v0 nf;

		if (vs_get_nflags(nid, &nf) != 0)
			die_net(nid, "read the %s of network context %u",
				noun, nid);
		word = nf.flagword;
		mask = nf.mask;
	}
	if (json) {
		putchar('{');
		json_key(stdout, &first, "nid");
		printf("%u", nid);
		json_key(stdout, &first, caps ? "ncaps" : "flags");
		flag_list_print_json(stdout, t, word);
		json_key(stdout, &first, caps ? "ncapword" : "flagword");
		printf("%" PRIu64, word);
		if (!caps) {
			json_key(stdout, &first, "mask");
			printf("%" PRIu64, mask);
		}
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}
	flag_list_print(stdout, t, word);
	putchar('\n');
	return VS_EXIT_SUCCESS;
}

static int net_flags_cmd(int argc, char **argv)
{
	return net_word_cmd(argc, argv, false);
}

static int net_caps_cmd(int argc, char **argv)
{
	return net_word_cmd(argc, argv, true);
}

/* vctx net destroy */

static int net_destroy_cmd(int argc, char **argv)
{
	static const char optstring[] = ":d:h";
	static const struct option longopts[] = {
		{ "dev",	required_argument,	NULL,	'd' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	const char *dev = NULL;
	struct vs_netlink *nl;
	struct vs_net_addr *a;
	struct net_info ni;
	uint32_t nid;
	size_t n;
	int c, ret;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			net_dev_arg(optarg);
			dev = optarg;
			break;
		case 'h':
			usage_head(stdout);
			fputs("It ends once its last process has left.\n",
			      stdout);
			fputs("\nOptions:\n", stdout);
			fputs(" -d, --dev <device>  remove the proxy entries "
			      "of its addresses on <device>\n", stdout);
			fputs("\n -h, --help          display this help\n",
			      stdout);
			fputs(VS_USAGE_MAN_TAIL("vctx(8)"), stdout);
			exit(VS_EXIT_SUCCESS);
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	nid = the_nid_arg(argc, argv, optind, VX_XID_MIN);
	read_net(nid, &ni, false);
	a = entry_addrs(&ni, &n);
	nl = net_open_host(dev);
	if (vs_set_nflags(nid, 0, NXF_PERSISTENT) != 0)
		die_net(nid, "destroy network context %u", nid);
	ret = vs_netlink_teardown(nl, nid, a, n, dev);
	vs_netlink_close(nl);
	free(a);
	free(ni.e);
	if (ret) {
		errno = -ret;
		err(VS_EXIT_FAILURE, "cannot remove the link of network "
		    "context %u", nid);
	}
	return VS_EXIT_SUCCESS;
}

static const struct net_command net_commands[] = {
	{ "add", net_add_cmd, "[options] <nid> <addr>[/<prefix>]...",
	  "add addresses to a network context" },
	{ "caps", net_caps_cmd, "[options] <nid>",
	  "show or change the capabilities of a network context" },
	{ "create", net_create_cmd,
	  "[options] <nid> [--] [<command> [<argument>...]]",
	  "create a network context and run a command in it" },
	{ "destroy", net_destroy_cmd, "[options] <nid>",
	  "let a network context end and remove its link" },
	{ "enter", net_enter_cmd,
	  "[options] <nid> [--] <command> [<argument>...]",
	  "run a command in an existing network context" },
	{ "flags", net_flags_cmd, "[options] <nid>",
	  "show or change the flags of a network context" },
	{ "info", net_info_cmd, "[options] <nid>",
	  "show the details of a network context" },
	{ "list", net_list_cmd, "[options]",
	  "list the network contexts" },
	{ "remove", net_remove_cmd,
	  "[options] <nid> <addr>[/<prefix>]...|--all",
	  "remove addresses from a network context" },
};

#define NR_NET_COMMANDS	(sizeof(net_commands) / sizeof(net_commands[0]))

static void __attribute__((noreturn)) net_usage(void)
{
	FILE *out = stdout;
	int width = 0;
	size_t i;

	for (i = 0; i < NR_NET_COMMANDS; i++) {
		int len = (int)strlen(net_commands[i].name);

		if (len > width)
			width = len;
	}
	fputs("Usage:\n", out);
	fprintf(out, " %s <command> [<args>]\n", vctx_cmd);
	fputs("\nManage network contexts: their addresses, links, flags and "
	      "capabilities.\n", out);
	fputs("\nCommands:\n", out);
	for (i = 0; i < NR_NET_COMMANDS; i++)
		fprintf(out, " %-*s  %s\n", width, net_commands[i].name,
			net_commands[i].summary);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vctx_net(int argc, char **argv)
{
	static const char optstring[] = "+:h";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *parent = vctx_cmd;
	char *cmdline;
	int c;

	static_assert(offsetof(struct net_command, name) == 0,
		      "find_named() needs the name first");
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			net_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind >= argc)
		usage_error(vctx_cmd, "no command specified");
	this_command = find_named(net_commands, NR_NET_COMMANDS,
				  sizeof(net_commands[0]), argv[optind]);
	if (!this_command)
		usage_error(vctx_cmd, "unknown command '%s'", argv[optind]);
	if (asprintf(&cmdline, "%s %s", parent, this_command->name) < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	vctx_cmd = cmdline;

	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: restart scanning, skipping argv[0] */
	return this_command->run(argc, argv);
}
