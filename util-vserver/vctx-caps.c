// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx caps - show or change the capability ceiling, the context
 * capabilities and the unshare mask of a context.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <vserver.h>

#include "caps.h"
#include "common.h"
#include "context.h"
#include "vctx.h"

void parse_cap_list(const struct capword *w, const char *list,
		    uint64_t *set, uint64_t *clear)
{
	enum caplist_error why;
	const char *bad;
	size_t badlen;

	if (caplist_parse(w, list, set, clear, &bad, &badlen, &why) == 0)
		return;
	if (why == CAPLIST_UNSUPPORTED)
		errx(VS_EXIT_FAILURE, "%s '%.*s' %s", w->what, (int)badlen,
		     bad, w->unsupported);
	usage_error(vctx_cmd, "unknown %s '%.*s'", w->what, (int)badlen, bad);
}

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;
	size_t i;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>\n", vctx_cmd);
	fputs("\nShow or change the capability ceiling, the context "
	      "capabilities and the\nnamespaces a context may create.\n",
	      out);
	fputs("\nOptions:\n", out);
	for (i = 0; i < NR_CAPWORDS; i++)
		fprintf(out, "     --%s <list>  %s\n",
			ctx_capwords[i].w->key, ctx_capwords[i].help);
	fputs(" -J, --json          print one JSON object on one line\n", out);
	fputs("\n -h, --help          display this help\n", out);
	fputs(CAPLIST_USAGE, out);
	for (i = 0; i < NR_CAPWORDS; i++)
		capword_usage(out, ctx_capwords[i].w);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vctx_caps(int argc, char **argv)
{
	enum { OPT_WORD = 0x100 };	/* + enum vctx_capword_id */
	static const char optstring[] = ":Jh";
	static const struct option longopts[] = {
		{ "bcaps",	required_argument,	NULL,
		  OPT_WORD + CAPWORD_BCAPS },
		{ "ccaps",	required_argument,	NULL,
		  OPT_WORD + CAPWORD_CCAPS },
		{ "umask",	required_argument,	NULL,
		  OPT_WORD + CAPWORD_UMASK },
		{ "json",	no_argument,		NULL,	'J' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct {
		bool given;
		uint64_t set, clear;
	} change[NR_CAPWORDS] = { 0 };
	uint64_t word[NR_CAPWORDS];
	const char *changing = NULL;	/* the first option that changes */
	bool json = false, first = true;
	uint32_t xid;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_WORD + CAPWORD_BCAPS:
		case OPT_WORD + CAPWORD_CCAPS:
		case OPT_WORD + CAPWORD_UMASK:
			i = (size_t)(c - OPT_WORD);
			parse_cap_list(ctx_capwords[i].w, optarg,
				       &change[i].set, &change[i].clear);
			change[i].given = true;
			if (!changing)
				changing = ctx_capwords[i].w->key;
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
	if (changing && json)
		usage_error(vctx_cmd, "--%s and --json are mutually exclusive",
			    changing);
	xid = the_context_arg(argc, argv, VX_XID_MIN, vctx_cmd);

	if (changing) {
		for (i = 0; i < NR_CAPWORDS; i++)
			if (change[i].given)
				set_capword(xid, &ctx_capwords[i],
					    change[i].set, change[i].clear);
		return VS_EXIT_SUCCESS;
	}

	for (i = 0; i < NR_CAPWORDS; i++)
		if (ctx_capwords[i].get(xid, &word[i]) != 0)
			die_context(xid, "read the %s of context %u",
				    ctx_capwords[i].noun, xid);

	if (json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%u", xid);
		for (i = 0; i < NR_CAPWORDS; i++) {
			const struct ctx_capword *cw = &ctx_capwords[i];

			json_key(stdout, &first, cw->w->key);
			capword_print_json(stdout, cw->w, word[i]);
			json_key(stdout, &first, cw->json_word);
			printf("%" PRIu64, word[i]);
		}
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}
	for (i = 0; i < NR_CAPWORDS; i++) {
		printf("%s:  ", ctx_capwords[i].w->key);
		capword_print(stdout, ctx_capwords[i].w, word[i]);
		putchar('\n');
	}
	return VS_EXIT_SUCCESS;
}
