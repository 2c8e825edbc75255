// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx create - create a context, move into it and run a command there.
 * vctx enter  - move into an existing context and run a command there.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "flags.h"
#include "vctx.h"

/* Run argv; on failure exit 127 if the program is not there, else 126 */
static void __attribute__((noreturn)) exec_command(char **argv)
{
	execvp(argv[0], argv);
	err(errno == ENOENT ? VS_EXIT_NOT_FOUND : VS_EXIT_CANNOT_EXEC,
	    "failed to execute %s", argv[0]);
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
	exec_command(argv);
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
	fputs(" -x, --xid <xid>      the id of the new context "
	      "(default: a free one)\n", out);
	fputs(" -n, --name <name>    name the context\n", out);
	fputs(" -f, --flags <list>   set or clear flags at creation\n", out);
	fputs(" -p, --persistent     keep the context after its last "
	      "process exits\n", out);
	fputs(" -s, --setup          leave the context in its setup state, "
	      "without init\n", out);
	fputs(" -v, --verbose        print the id of the new context\n", out);
	fputs("\n -h, --help           display this help\n", out);
	cflags_usage(out);
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

static void check_name(const char *name)
{
	if (looks_like_xid(name))
		usage_error(vctx_cmd, "invalid context name '%s'", name);
	if (strlen(name) >= VHILEN)
		usage_error(vctx_cmd, "context name '%s' is longer than %d "
			    "characters", name, VHILEN - 1);
}

int vctx_create(int argc, char **argv)
{
	/* '+': the command to run has options of its own */
	static const char optstring[] = "+:x:n:f:psvh";
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL,	'x' },
		{ "name",	required_argument,	NULL,	'n' },
		{ "flags",	required_argument,	NULL,	'f' },
		{ "persistent",	no_argument,		NULL,	'p' },
		{ "setup",	no_argument,		NULL,	's' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	uint64_t flagword = VXF_INIT_SET, set = 0, clear = 0;
	uint32_t xid = VX_XID_DYNAMIC;
	bool setup = false, verbose = false;
	const char *name = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (parse_xid(optarg, VX_XID_MIN, &xid) != 0)
				usage_error(vctx_cmd,
					    "invalid context id '%s'", optarg);
			break;
		case 'n':
			check_name(optarg);
			name = optarg;
			break;
		case 'f':
			parse_flag_list(optarg, &set, &clear);
			flagword = (flagword | set) & ~clear;
			break;
		case 'p':
			flagword |= VXF_PERSISTENT;
			break;
		case 's':
			setup = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			create_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}

	ret = vs_ctx_create(xid, flagword);
	if (ret < 0) {
		if (errno == EPERM)
			errx(VS_EXIT_FAILURE, "only root in the host context "
			     "may create contexts");
		die_context(xid, "create context %u", xid);
	}
	xid = (uint32_t)ret;

	if (name && vs_set_vhi_name(xid, VHIN_CONTEXT, name) != 0)
		die_context(xid, "name context %u", xid);

	if (!setup) {
		/* The caller becomes init, then the setup ends */
		if (vs_set_cflags(xid, 0, VXF_STATE_INIT) != 0)
			die_context(xid, "become init of context %u", xid);
		if (vs_set_cflags(xid, 0, VXF_STATE_SETUP) != 0)
			die_context(xid, "end the setup of context %u", xid);
	}

	if (verbose) {
		printf("created context %u\n", xid);
		if (fflush(stdout) != 0)
			err(VS_EXIT_FAILURE, "write error");
	}

	if (optind < argc)
		exec_command(argv + optind);
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

	if (vs_ctx_migrate(xid, 0) < 0)
		die_context(xid, "enter context %u", xid);
	exec_command(argv + optind);
}
