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

static int get_bcaps(uint32_t xid, uint64_t *word)
{
	struct vcmd_bcaps caps;

	if (vs_get_bcaps(xid, &caps) != 0)
		return -1;
	*word = caps.bcaps;
	return 0;
}

static int get_ccaps(uint32_t xid, uint64_t *word)
{
	struct vcmd_ctx_caps_v1 caps;

	if (vs_get_ccaps(xid, &caps) != 0)
		return -1;
	*word = caps.ccaps;
	return 0;
}

static int get_umask(uint32_t xid, uint64_t *word)
{
	struct vcmd_umask umask;

	if (vs_get_umask(xid, &umask) != 0)
		return -1;
	*word = umask.umask;
	return 0;
}

/* The words in the order of enum vctx_capword_id, which "vctx caps" shows */
const struct vctx_capword vctx_capwords[NR_CAPWORDS] = {
	[CAPWORD_BCAPS] = {
		.w = &capword_bcaps,
		.noun = "capability ceiling",
		.json_word = "bcapword",
		.help = "change the capability ceiling",
		.get = get_bcaps,
		.set = vs_set_bcaps,
	},
	[CAPWORD_CCAPS] = {
		.w = &capword_ccaps,
		.noun = "ccaps",
		.json_word = "ccapword",
		.help = "change the context capabilities",
		.get = get_ccaps,
		.set = vs_set_ccaps,
	},
	[CAPWORD_UMASK] = {
		.w = &capword_umask,
		.noun = "umask",
		.json_word = "umaskword",
		.help = "change the namespaces it may create",
		.get = get_umask,
		.set = vs_set_umask,
	},
};

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

/*
 * The kernel refused a change with EPERM: was it because the change sets
 * a bit the word lacks, after the setup?  errno is kept.
 */
static bool raises_after_setup(uint32_t xid, const struct vctx_capword *cw,
			       uint64_t set)
{
	struct vcmd_ctx_flags_v0 flags;
	int saved = errno;
	uint64_t old, valid = ~0ULL;
	bool raises = false;

	if (cw->w == &capword_bcaps)
		valid = bcaps_valid();
	if (cw->get(xid, &old) == 0 && vs_get_cflags(xid, &flags) == 0)
		raises = !(flags.flagword & VXF_STATE_SETUP) &&
			 (set & ~old & valid);
	errno = saved;
	return raises;
}

void set_capword(uint32_t xid, const struct vctx_capword *cw, uint64_t set,
		 uint64_t clear)
{
	if (cw->set(xid, set, set | clear) == 0)
		return;
	if (errno == EPERM && raises_after_setup(xid, cw, set))
		errx(VS_EXIT_FAILURE, "cannot add to the %s of context %u: it "
		     "has left its setup", cw->noun, xid);
	die_context(xid, "change the %s of context %u", cw->noun, xid);
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
			vctx_capwords[i].w->key, vctx_capwords[i].help);
	fputs(" -J, --json          print one JSON object on one line\n", out);
	fputs("\n -h, --help          display this help\n", out);
	fputs(CAPLIST_USAGE, out);
	for (i = 0; i < NR_CAPWORDS; i++)
		capword_usage(out, vctx_capwords[i].w);
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
			parse_cap_list(vctx_capwords[i].w, optarg,
				       &change[i].set, &change[i].clear);
			change[i].given = true;
			if (!changing)
				changing = vctx_capwords[i].w->key;
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
				set_capword(xid, &vctx_capwords[i],
					    change[i].set, change[i].clear);
		return VS_EXIT_SUCCESS;
	}

	for (i = 0; i < NR_CAPWORDS; i++)
		if (vctx_capwords[i].get(xid, &word[i]) != 0)
			die_context(xid, "read the %s of context %u",
				    vctx_capwords[i].noun, xid);

	if (json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%u", xid);
		for (i = 0; i < NR_CAPWORDS; i++) {
			const struct vctx_capword *cw = &vctx_capwords[i];

			json_key(stdout, &first, cw->w->key);
			capword_print_json(stdout, cw->w, word[i]);
			json_key(stdout, &first, cw->json_word);
			printf("%" PRIu64, word[i]);
		}
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}
	for (i = 0; i < NR_CAPWORDS; i++) {
		printf("%s:  ", vctx_capwords[i].w->key);
		capword_print(stdout, vctx_capwords[i].w, word[i]);
		putchar('\n');
	}
	return VS_EXIT_SUCCESS;
}
