// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The read-only commands:
 *   vctx list    - one row per visible context
 *   vctx info    - the details of one context
 *   vctx ps      - processes and their contexts
 *   vctx whoami  - the context (and network context) of the caller
 */

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "flags.h"
#include "vctx.h"

struct context {
	uint32_t xid;
	char name[VHILEN];	/* "" when unnamed */
	uint32_t tasks;
	uint32_t usecnt;
	uint32_t initpid;
	uint64_t flagword;
	bool has_caps;		/* caps[] was read: the kernel has them */
	uint64_t caps[NR_CAPWORDS];
};

/* Everything known about context xid; -1 with errno if it cannot be read */
static int read_context(uint32_t xid, struct context *ctx)
{
	struct vcmd_vx_info_v0 info;
	struct vcmd_ctx_stat_v0 stat;
	struct vcmd_ctx_flags_v0 flags;

	if (vs_vx_info(xid, &info) != 0 || vs_ctx_stat(xid, &stat) != 0 ||
	    vs_get_cflags(xid, &flags) != 0 || context_name(xid, ctx->name))
		return -1;
	ctx->xid = xid;
	ctx->tasks = stat.tasks;
	ctx->usecnt = stat.usecnt;
	ctx->initpid = info.initpid;
	ctx->flagword = flags.flagword;
	return 0;
}

/*
 * The capability words of context xid into ctx; -1 with errno if they
 * cannot be read.  A kernel without the capability commands has none.
 */
static int read_caps(uint32_t xid, struct context *ctx)
{
	size_t i;

	ctx->has_caps = true;
	for (i = 0; i < NR_CAPWORDS && ctx->has_caps; i++) {
		if (ctx_capwords[i].get(xid, &ctx->caps[i]) == 0)
			continue;
		if (errno != EOPNOTSUPP)
			return -1;
		ctx->has_caps = false;
	}
	return 0;
}

/* The capability words of c as JSON members, if the kernel has them */
static void json_caps(const struct context *c, bool *first)
{
	size_t i;

	if (!c->has_caps)
		return;
	for (i = 0; i < NR_CAPWORDS; i++) {
		const struct ctx_capword *cw = &ctx_capwords[i];

		json_key(stdout, first, cw->w->key);
		capword_print_json(stdout, cw->w, c->caps[i]);
		json_key(stdout, first, cw->json_word);
		printf("%" PRIu64, c->caps[i]);
	}
}

/* Room for a name field as text output shows it */
#define NAME_TEXT_SIZE	SAFE_STRING_SIZE(VHILEN)

/*
 * A name as text output shows it: escaped (see safe_string()), or "-"
 * when there is none.  *width, if not NULL, gets the columns it takes.
 */
static const char *name_text(const char *name, char buf[NAME_TEXT_SIZE],
			     size_t *width)
{
	if (*name)
		return safe_string(name, buf, NAME_TEXT_SIZE, width);
	if (width)
		*width = 1;
	return "-";
}

/* A name, or null when there is none */
static void json_name(FILE *f, const char *name)
{
	if (*name)
		json_print_string(f, name);
	else
		fputs("null", f);
}

/* parse_listing() for a vctx command, with args and what for its --help */
static int parse_listing_opts(int argc, char **argv, struct listing_opts *opts,
			      const char *args, const char *what,
			      bool headings)
{
	const struct listing_help help = {
		.cmd = vctx_cmd,
		.synopsis = vctx_cmd,
		.args = args,
		.what = what,
		.manpage = "vctx(8)",
		.headings = headings,
	};

	return parse_listing(argc, argv, opts, &help);
}

/* No more than max arguments after the options */
static void check_args(int argc, char **argv, int first, int max)
{
	if (argc - first > max)
		usage_error(vctx_cmd, "unexpected argument '%s'",
			    argv[first + max]);
}

/* The contexts of a dump, as vs_context_dump() gives them */
struct dumped {
	struct context *ctxs;
	size_t n, size;
};

static int add_dumped(const struct vs_event_info *ev, void *arg)
{
	struct dumped *d = arg;
	struct context *c;

	if (d->n == d->size) {
		d->size = d->size ? 2 * d->size : 64;
		c = reallocarray(d->ctxs, d->size, sizeof(*c));
		if (!c)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		d->ctxs = c;
	}
	c = &d->ctxs[d->n++];
	memset(c, 0, sizeof(*c));
	c->xid = ev->xid;
	memcpy(c->name, ev->name, sizeof(c->name));
	c->tasks = ev->tasks;
	c->initpid = ev->pid;
	c->flagword = ev->flags;
	return 0;
}

/*
 * Every context the caller can see into *ctxs; returns how many.  The
 * host's administrator gets them in one dump of the event family; others,
 * and kernels without it, from /proc/virtual and a few calls each.
 */
static size_t read_contexts(struct context **ctxs)
{
	struct dumped d = { 0 };
	uint32_t *xids;
	size_t n, i, shown = 0;

	if (vs_context_dump(add_dumped, &d) == 0) {
		*ctxs = d.ctxs;
		return d.n;
	}
	free(d.ctxs);
	n = list_contexts(&xids);
	*ctxs = calloc(n ? n : 1, sizeof(**ctxs));
	if (!*ctxs)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < n; i++) {
		if (read_context(xids[i], &(*ctxs)[shown]) != 0) {
			if (errno == ESRCH)
				continue;	/* gone meanwhile */
			die_context(xids[i], "read context %u", xids[i]);
		}
		shown++;
	}
	free(xids);
	return shown;
}

int vctx_list(int argc, char **argv)
{
	struct listing_opts opts;
	struct context *ctxs;
	char text[NAME_TEXT_SIZE];
	size_t i, shown, width = strlen("NAME"), w;
	bool first = true;

	check_args(argc, argv, parse_listing_opts(argc, argv, &opts, "",
		   "List the contexts the caller can see.", true), 0);

	shown = read_contexts(&ctxs);
	for (i = 0; i < shown; i++) {
		name_text(ctxs[i].name, text, &w);
		if (w > width)
			width = w;
	}

	if (opts.json) {
		fputs("{\"contexts\":[", stdout);
		for (i = 0; i < shown; i++) {
			const struct context *c = &ctxs[i];

			fputs(i ? ",{" : "{", stdout);
			first = true;
			json_key(stdout, &first, "xid");
			printf("%u", c->xid);
			json_key(stdout, &first, "name");
			json_name(stdout, c->name);
			json_key(stdout, &first, "tasks");
			printf("%u", c->tasks);
			json_key(stdout, &first, "initpid");
			printf("%u", c->initpid);
			json_key(stdout, &first, "flags");
			cflags_print_json(stdout, c->flagword);
			json_key(stdout, &first, "flagword");
			printf("%" PRIu64 "}", c->flagword);
		}
		fputs("]}\n", stdout);
		free(ctxs);
		return VS_EXIT_SUCCESS;
	}

	if (!opts.noheadings)
		printf("%5s %-*s %5s %7s %s\n", "XID", (int)width, "NAME",
		       "TASKS", "INITPID", "FLAGS");
	for (i = 0; i < shown; i++) {
		const struct context *c = &ctxs[i];

		/* Padded by hand: printf() would count bytes, not columns */
		printf("%5u %s", c->xid, name_text(c->name, text, &w));
		printf("%*s %5u %7u ", (int)(width - w), "", c->tasks,
		       c->initpid);
		cflags_print(stdout, c->flagword);
		putchar('\n');
	}
	free(ctxs);
	return VS_EXIT_SUCCESS;
}

int vctx_info(int argc, char **argv)
{
	struct listing_opts opts;
	char text[NAME_TEXT_SIZE];
	struct context c;
	bool first = true;
	uint32_t xid;
	size_t i;
	int arg;

	arg = parse_listing_opts(argc, argv, &opts, " <xid>|<name>",
			    "Show the details of a context.", false);
	if (arg >= argc)
		usage_error(vctx_cmd, "no context specified");
	check_args(argc, argv, arg, 1);
	xid = context_arg(argv[arg], VX_XID_MIN, vctx_cmd);

	if (read_context(xid, &c) != 0 || read_caps(xid, &c) != 0)
		die_context(xid, "read context %u", xid);

	if (opts.json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%u", c.xid);
		json_key(stdout, &first, "name");
		json_name(stdout, c.name);
		json_key(stdout, &first, "tasks");
		printf("%u", c.tasks);
		json_key(stdout, &first, "usecnt");
		printf("%u", c.usecnt);
		json_key(stdout, &first, "initpid");
		printf("%u", c.initpid);
		json_key(stdout, &first, "flags");
		cflags_print_json(stdout, c.flagword);
		json_key(stdout, &first, "flagword");
		printf("%" PRIu64, c.flagword);
		json_caps(&c, &first);
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}

	printf("xid:       %u\n", c.xid);
	printf("name:      %s\n", name_text(c.name, text, NULL));
	printf("tasks:     %u\n", c.tasks);
	printf("usecnt:    %u\n", c.usecnt);
	printf("initpid:   %u\n", c.initpid);
	fputs("flags:     ", stdout);
	cflags_print(stdout, c.flagword);
	printf("\nflagword:  0x%016" PRIx64 "\n", c.flagword);
	for (i = 0; c.has_caps && i < NR_CAPWORDS; i++) {
		const char *key = ctx_capwords[i].w->key;

		printf("%s:%*s", key, 10 - (int)strlen(key), "");
		capword_print(stdout, ctx_capwords[i].w, c.caps[i]);
		putchar('\n');
	}
	return VS_EXIT_SUCCESS;
}

/* The command name of process pid into buf; -1 if it is gone */
static int read_comm(uint32_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int vctx_ps(int argc, char **argv)
{
	struct listing_opts opts;
	bool filter = false, first_row = true;
	uint32_t want = 0;
	struct dirent *d;
	DIR *dir;
	int arg;

	arg = parse_listing_opts(argc, argv, &opts, " [<xid>|<name>]",
			    "List processes and their contexts, all of them or "
			    "those of one context.", true);
	check_args(argc, argv, arg, 1);
	if (arg < argc) {
		want = context_arg(argv[arg], VX_XID_HOST, vctx_cmd);
		filter = true;
	}

	require_vserver();	/* before the headings */
	dir = opendir("/proc");
	if (!dir)
		err(VS_EXIT_FAILURE, "cannot open /proc");

	if (opts.json)
		fputs("{\"processes\":[", stdout);
	else if (!opts.noheadings)
		printf("%7s %5s %s\n", "PID", "XID", "COMMAND");

	while ((errno = 0, d = readdir(dir)) != NULL) {
		char comm[64], text[SAFE_STRING_SIZE(sizeof(comm))];
		bool first = true;
		uint32_t pid;
		int xid;

		if (parse_u32(d->d_name, 10, &pid) != 0 || pid == 0 ||
		    pid > INT32_MAX)
			continue;
		xid = vs_task_xid((pid_t)pid);
		if (xid < 0) {
			if (errno == ESRCH)
				continue;	/* gone, or not visible */
			die_if_vserver_unavailable(errno);
			err(VS_EXIT_FAILURE, "cannot read the context of "
			    "process %u", pid);
		}
		if (filter && (uint32_t)xid != want)
			continue;
		if (read_comm(pid, comm, sizeof(comm)) != 0)
			continue;

		if (!opts.json) {
			printf("%7u %5d %s\n", pid, xid,
			       safe_string(comm, text, sizeof(text), NULL));
			continue;
		}
		fputs(first_row ? "{" : ",{", stdout);
		first_row = false;
		json_key(stdout, &first, "pid");
		printf("%u", pid);
		json_key(stdout, &first, "xid");
		printf("%d", xid);
		json_key(stdout, &first, "command");
		json_print_string(stdout, comm);
		putchar('}');
	}
	if (errno)
		err(VS_EXIT_FAILURE, "cannot read /proc");
	closedir(dir);
	if (opts.json)
		fputs("]}\n", stdout);
	return VS_EXIT_SUCCESS;
}

int vctx_whoami(int argc, char **argv)
{
	struct listing_opts opts;
	char name[VHILEN] = "", text[NAME_TEXT_SIZE];
	bool first = true;
	int xid, nid;

	check_args(argc, argv, parse_listing_opts(argc, argv, &opts, "",
		   "Show the context of the calling process.", false), 0);

	xid = vs_task_xid(0);
	if (xid < 0)
		die_vserver_call("task_xid");
	/* A kernel without network contexts has no nid to show */
	nid = vs_task_nid(0);
	if (nid < 0 && errno != EOPNOTSUPP)
		die_vserver_call("task_nid");
	/* The host and the spectator context have no name */
	if (xid >= VX_XID_MIN && context_name((uint32_t)xid, name) != 0)
		die_context((uint32_t)xid, "read the name of context %d", xid);

	if (opts.json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%d", xid);
		json_key(stdout, &first, "name");
		json_name(stdout, name);
		if (nid >= 0) {
			json_key(stdout, &first, "nid");
			printf("%d", nid);
		}
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}
	printf("xid:   %d\n", xid);
	if (*name)
		printf("name:  %s\n", name_text(name, text, NULL));
	if (nid >= 0)
		printf("nid:   %d\n", nid);
	return VS_EXIT_SUCCESS;
}
