// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx create - create a context, move into it and run a command there;
 *               with --ip, a network context with the same id too.
 * vctx enter  - move into an existing context and run a command there.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vserver.h>

#include "caps.h"
#include "common.h"
#include "context.h"
#include "ctxexec.h"
#include "flags.h"
#include "ctxlimit.h"
#include "rlimit.h"
#include "vctx.h"

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

static void __attribute__((noreturn)) create_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] [--] [<command> [<argument>...]]\n",
		vctx_cmd);
	fputs("\nCreate a context, move into it and run a command there.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -x, --xid <xid>        the id of the new context "
	      "(default: a free one)\n", out);
	fputs(" -n, --name <name>      name the context\n", out);
	fputs(" -f, --flags <list>     set or clear flags at creation\n",
	      out);
	fputs(" -p, --persistent       keep the context after its last "
	      "process exits\n", out);
	fputs(" -s, --setup            leave the context in its setup "
	      "state, without init\n", out);
	fputs(" -v, --verbose          print the id of the new context\n",
	      out);
	fputs("     --secure           limit the capability ceiling to a "
	      "safe set\n", out);
	fputs("     --bcaps <list>     change the capability ceiling "
	      "(after --secure)\n", out);
	fputs("     --ccaps <list>     change the context capabilities\n",
	      out);
	fputs("     --hostname <name>  set the host name of the context\n",
	      out);
	fputs("     --limit <list>     set resource limits: "
	      "<resource>=<limits>,...\n", out);
	fputs("     --ip <addr>[/<prefix>]\n"
	      "                        give the context a network context "
	      "and a link with\n"
	      "                          this address (repeatable; needs "
	      "--xid)\n", out);
	fputs("     --dev <device>     make the addresses reachable from the "
	      "LAN of <device>\n", out);
	fputs("\n -h, --help             display this help\n", out);
	cflags_usage(out);
	fputs(CAPLIST_USAGE, out);
	capword_usage(out, &capword_bcaps);
	capword_usage(out, &capword_ccaps);
	fputs(RLIMIT_LIMITS_USAGE, out);
	rlimit_usage(out);
	fputs("\nThe command defaults to $SHELL, or /bin/sh.\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* The --flags argument as bits to set and bits to clear; usage error if bad */
void parse_flag_list(const char *list, uint64_t *set, uint64_t *clear)
{
	const char *bad;
	size_t badlen;

	if (cflags_parse(list, set, clear, &bad, &badlen) != 0)
		usage_error(vctx_cmd, "unknown flag '%.*s'", (int)badlen, bad);
}

/* The settings of the --limit options, one "<resource>=<limits>" each */
struct limit_args {
	char **args;
	size_t n;
	size_t alloc;
};

/* Add the comma separated settings of list to *a */
static void add_limit_list(struct limit_args *a, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (a->n == a->alloc) {
			a->alloc = a->alloc ? 2 * a->alloc : 8;
			a->args = reallocarray(a->args, a->alloc,
					       sizeof(*a->args));
			if (!a->args)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
		}
		a->args[a->n] = strndup(p, len);
		if (!a->args[a->n])
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		a->n++;
		if (!p[len])
			break;
		p += len + 1;
	}
}

static void free_limit_args(struct limit_args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->args[i]);
	free(a->args);
}

int vctx_create(int argc, char **argv)
{
	/* Long-only options */
	enum {
		OPT_SECURE = 0x100,
		OPT_BCAPS,
		OPT_CCAPS,
		OPT_HOSTNAME,
		OPT_LIMIT,
		OPT_IP,
		OPT_DEV,
	};
	/* '+': the command to run has options of its own */
	static const char optstring[] = "+:x:n:f:psvh";
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL,	'x' },
		{ "name",	required_argument,	NULL,	'n' },
		{ "flags",	required_argument,	NULL,	'f' },
		{ "persistent",	no_argument,		NULL,	'p' },
		{ "setup",	no_argument,		NULL,	's' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "secure",	no_argument,		NULL,	OPT_SECURE },
		{ "bcaps",	required_argument,	NULL,	OPT_BCAPS },
		{ "ccaps",	required_argument,	NULL,	OPT_CCAPS },
		{ "hostname",	required_argument,	NULL,	OPT_HOSTNAME },
		{ "limit",	required_argument,	NULL,	OPT_LIMIT },
		{ "ip",		required_argument,	NULL,	OPT_IP },
		{ "dev",	required_argument,	NULL,	OPT_DEV },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct ctx_spec spec = {
		.xid = VX_XID_DYNAMIC,
		.flagword = VXF_INIT_SET,
	};
	uint64_t set = 0, clear = 0;
	bool setup = false, verbose = false;
	struct limit_args limits = { 0 };
	struct rlimit_setting *settings;
	struct ctx_binder binder;
	struct net_addrs addrs = { 0 };
	struct vs_netlink *nl = NULL;
	const char *dev = NULL;
	uint32_t xid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (parse_xid(optarg, VX_XID_MIN, &spec.xid) != 0)
				usage_error(vctx_cmd,
					    "invalid context id '%s'", optarg);
			break;
		case 'n':
			check_context_name(optarg, vctx_cmd);
			spec.name = optarg;
			break;
		case 'f':
			parse_flag_list(optarg, &set, &clear);
			spec.flagword = (spec.flagword | set) & ~clear;
			break;
		case 'p':
			spec.flagword |= VXF_PERSISTENT;
			break;
		case 's':
			setup = true;
			break;
		case 'v':
			verbose = true;
			break;
		case OPT_SECURE:
			spec.secure = true;
			break;
		case OPT_BCAPS:
			parse_cap_list(&capword_bcaps, optarg, &spec.bcaps[0],
				       &spec.bcaps[1]);
			break;
		case OPT_CCAPS:
			parse_cap_list(&capword_ccaps, optarg, &spec.ccaps[0],
				       &spec.ccaps[1]);
			break;
		case OPT_HOSTNAME:
			check_name_length("hostname", optarg, vctx_cmd);
			spec.uts[VHIN_NODENAME] = optarg;
			break;
		case OPT_LIMIT:
			add_limit_list(&limits, optarg);
			break;
		case OPT_IP:
			net_addr_arg(&addrs, optarg);
			break;
		case OPT_DEV:
			net_dev_arg(optarg);
			dev = optarg;
			break;
		case 'h':
			create_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}

	settings = calloc(limits.n ? limits.n : 1, sizeof(*settings));
	if (!settings)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	ctxlimit_parse(limits.args, limits.n, settings, vctx_cmd);
	spec.limits = settings;
	spec.nlimits = limits.n;
	if (dev && !addrs.n)
		usage_error(vctx_cmd, "--dev needs --ip");
	/* The network context takes the xid as its nid */
	if (addrs.n && spec.xid == VX_XID_DYNAMIC)
		usage_error(vctx_cmd, "--ip needs --xid");
	ctxexec_check(&spec);
	if (addrs.n)
		nl = net_open_host(dev);
	ctxexec_prepare(&binder, &spec);

	/*
	 * The network context first, while the caller still has the host's
	 * capabilities: it builds the link from both sides.
	 */
	if (addrs.n) {
		net_create_in(spec.xid, NULL, false);
		net_kernel_add(spec.xid, addrs.a, addrs.n);
		net_link_up(nl, spec.xid, addrs.a, addrs.n, dev);
	}

	xid = ctxexec_create(&binder, &spec);
	ctxexec_set_ceiling(xid, &spec);
	free(settings);
	free_limit_args(&limits);

	/* The caller becomes init, then the setup ends */
	if (!setup)
		ctxexec_end_setup(xid);

	if (verbose) {
		printf("created context %u\n", xid);
		if (fflush(stdout) != 0)
			err(VS_EXIT_FAILURE, "write error");
	}

	if (optind < argc)
		ctxexec_exec(argv + optind);
	exec_shell();
}

static void __attribute__((noreturn)) enter_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name> [--] <command> "
		"[<argument>...]\n", vctx_cmd);
	fputs("\nMove into an existing context and run a command there.\n",
	      out);
	fputs("Context 1 makes the command a spectator of every context.\n",
	      out);
	fputs("The command joins the cgroup of the context, if it has one.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vctx_enter(int argc, char **argv)
{
	static const char optstring[] = "+:h";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *target;
	uint32_t xid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			enter_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind >= argc)
		usage_error(vctx_cmd, "no context specified");
	target = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		usage_error(vctx_cmd, "no command specified");
	xid = context_arg(target, VX_XID_SPECTATOR, vctx_cmd);

	ctxexec_join_cgroup(xid);
	if (vs_ctx_migrate(xid, 0) < 0)
		die_context(xid, "enter context %u", xid);
	ctxexec_exec(argv + optind);
}
