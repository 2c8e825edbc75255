// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx flags - show or change the flags of a context.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "flags.h"
#include "vctx.h"

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>\n", vctx_cmd);
	fputs("\nShow or change the flags of a context.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -s, --set <list>   set the flags named in list, clear those "
	      "prefixed with ~\n", out);
	fputs(" -J, --json         print one JSON object on one line\n", out);
	fputs("\n -h, --help         display this help\n", out);
	cflags_usage(out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vctx_flags(int argc, char **argv)
{
	static const char optstring[] = ":s:Jh";
	static const struct option longopts[] = {
		{ "set",	required_argument,	NULL,	's' },
		{ "json",	no_argument,		NULL,	'J' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct vcmd_ctx_flags_v0 flags;
	uint64_t set = 0, clear = 0;
	bool change = false, json = false, first = true;
	uint32_t xid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			parse_flag_list(optarg, &set, &clear);
			change = true;
			break;
		case 'J':
			json = true;
			break;
		case 'h':
			usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (change && json)
		usage_error(vctx_cmd, "--set and --json are mutually "
			    "exclusive");
	xid = the_context_arg(argc, argv, VX_XID_MIN, vctx_cmd);

	if (change) {
		if (vs_set_cflags(xid, set, set | clear) != 0)
			die_context(xid, "set the flags of context %u", xid);
		return VS_EXIT_SUCCESS;
	}

	if (vs_get_cflags(xid, &flags) != 0)
		die_context(xid, "read the flags of context %u", xid);
	if (json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%u", xid);
		json_key(stdout, &first, "flags");
		cflags_print_json(stdout, flags.flagword);
		json_key(stdout, &first, "flagword");
		printf("%" PRIu64, (uint64_t)flags.flagword);
		json_key(stdout, &first, "mask");
		printf("%" PRIu64 "}\n", (uint64_t)flags.mask);
		return VS_EXIT_SUCCESS;
	}
	cflags_print(stdout, flags.flagword);
	putchar('\n');
	return VS_EXIT_SUCCESS;
}
