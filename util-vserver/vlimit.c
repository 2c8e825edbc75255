// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vlimit - show or change the resource limits of a vserver context
 *
 * The resources, their names and what they count come from the table in
 * rlimit.c.  A change is checked whole before the kernel is asked to make
 * it: one bad argument, and no limit changes (ctxlimit.c).  Memory is the
 * memory cgroup of the context (cgroup.c), shown when the context has one.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vserver.h>

#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "ctxlimit.h"
#include "rlimit.h"

/* What --reset resets */
#define RESET_MINMAX	0x1
#define RESET_HITS	0x2

struct options {
	bool list;
	bool json;
	bool noheadings;
	bool raw;
	bool verbose;
	unsigned int reset;	/* RESET_* */
};

/*
 * A column of the output: text, or the same in one JSON key per row.  A
 * number that a row does not have is "-", and null in JSON.
 */
enum column_type {
	COL_TEXT,		/* a JSON string, left-aligned */
	COL_NUMBER,		/* a JSON number, right-aligned */
	COL_LIMIT,		/* a number, or "unlimited" and JSON null */
};

struct column {
	const char *heading;
	const char *key;	/* in JSON */
	enum column_type type;
};

#define MAX_COLUMNS	8

struct row {
	const char *cell[MAX_COLUMNS];
	char buf[MAX_COLUMNS][LIM_VALUE_LEN];
	char text[96];		/* a longer cell */
	const char *extra_key;	/* a number in JSON only, or NULL */
	char extra[LIM_VALUE_LEN];
};

struct table {
	const char *key;	/* JSON key of the array of rows */
	const struct column *columns;
	size_t ncolumns;
	struct row *rows;
	size_t nrows;
};

/* The columns of "vlimit XID"; DESCRIPTION only with --verbose */
static const struct column limit_columns[] = {
	{ "RESOURCE",	 "resource",	COL_TEXT },
	{ "CURRENT",	 "current",	COL_NUMBER },
	{ "MIN",	 "min",		COL_NUMBER },
	{ "MAX",	 "max",		COL_NUMBER },
	{ "SOFT",	 "soft",	COL_LIMIT },
	{ "HARD",	 "hard",	COL_LIMIT },
	{ "HITS",	 "hits",	COL_NUMBER },
	{ "DESCRIPTION", "description",	COL_TEXT },
};

/* The columns of "vlimit --list" */
static const struct column list_columns[] = {
	{ "RESOURCE",	 "resource",	COL_TEXT },
	{ "ID",		 "id",		COL_NUMBER },
	{ "ERRNO",	 "errno",	COL_TEXT },
	{ "CALLS",	 "calls",	COL_TEXT },
	{ "DESCRIPTION", "description",	COL_TEXT },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert(ARRAY_SIZE(limit_columns) <= MAX_COLUMNS &&
	       ARRAY_SIZE(list_columns) <= MAX_COLUMNS, "MAX_COLUMNS");

static void __attribute__((noreturn)) usage(void)
{
	const char *prog = program_invocation_short_name;
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>|self "
		"[<resource>=<limits>...]\n", prog);
	fprintf(out, " %s [options] --list\n", prog);
	fputs("\nShow or change the resource limits of a vserver context.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -l, --list          list the resources the kernel can limit\n",
	      out);
	fputs("     --reset <what>  reset the usage counters: minmax, hits or "
	      "all\n", out);
	fputs(" -J, --json          print one JSON object on one line\n", out);
	fputs(" -n, --noheadings    don't print headings\n", out);
	fputs(" -r, --raw           use the raw output format\n", out);
	fputs(" -v, --verbose       add a DESCRIPTION column\n", out);
	fputs("\n -h, --help          display this help\n", out);
	fputs(" -V, --version       display version\n", out);
	fputs(RLIMIT_LIMITS_USAGE, out);
	rlimit_usage(out);
	fputs(VS_USAGE_MAN_TAIL("vlimit(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

static unsigned int parse_reset(const char *arg)
{
	if (strcmp(arg, "minmax") == 0)
		return RESET_MINMAX;
	if (strcmp(arg, "hits") == 0)
		return RESET_HITS;
	if (strcmp(arg, "all") == 0)
		return RESET_MINMAX | RESET_HITS;
	usage_error(program_invocation_short_name,
		    "--reset: unknown argument '%s'", arg);
}

/*
 * The context named on the command line: an xid, a name, or "self" for
 * the context of the caller.
 */
static uint32_t resolve_context(const char *arg)
{
	int xid;

	if (strcmp(arg, "self") != 0)
		return context_arg(arg, VX_XID_MIN,
				   program_invocation_short_name);
	xid = vs_task_xid(0);
	if (xid < 0)
		die_vserver_call("task_xid");
	if (xid < VX_XID_MIN)
		errx(VS_EXIT_FAILURE,
		     "self: the calling process is not in a context");
	return (uint32_t)xid;
}

static void get_mask(struct vcmd_ctx_rlimit_mask_v0 *mask)
{
	if (vs_get_rlimit_mask(mask) != 0)
		die_vserver_call("get_rlimit_mask");
}

/* Text output: one cell, raw (spaces escaped) or padded to width */
static void print_cell(const char *cell, const struct column *col,
		       int width, bool raw, bool last)
{
	if (raw) {
		for (; *cell; cell++)
			if (*cell == ' ' || *cell == '\\')
				printf("\\x%02x", (unsigned char)*cell);
			else
				putchar(*cell);
	} else if (col->type != COL_TEXT) {
		printf("%*s", width, cell);
	} else if (last) {
		fputs(cell, stdout);
	} else {
		printf("%-*s", width, cell);
	}
}

static void print_text(const struct table *t, const struct options *opts)
{
	int width[MAX_COLUMNS];
	size_t r, c;

	for (c = 0; c < t->ncolumns; c++) {
		width[c] = opts->noheadings ? 0 :
			   (int)strlen(t->columns[c].heading);
		for (r = 0; r < t->nrows; r++) {
			int len = (int)strlen(t->rows[r].cell[c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	if (!opts->noheadings) {
		for (c = 0; c < t->ncolumns; c++) {
			fputs(c ? " " : "", stdout);
			print_cell(t->columns[c].heading, &t->columns[c],
				   width[c], opts->raw, c + 1 == t->ncolumns);
		}
		putchar('\n');
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncolumns; c++) {
			fputs(c ? " " : "", stdout);
			print_cell(t->rows[r].cell[c], &t->columns[c],
				   width[c], opts->raw, c + 1 == t->ncolumns);
		}
		putchar('\n');
	}
}

/* {"xid":42,"limits":[{...},...]}, without "xid" when xid is NULL */
static void print_json(const struct table *t, const uint32_t *xid)
{
	bool first = true;
	size_t r, c;

	putchar('{');
	if (xid) {
		json_key(stdout, &first, "xid");
		printf("%u", *xid);
	}
	json_key(stdout, &first, t->key);
	putchar('[');
	for (r = 0; r < t->nrows; r++) {
		bool first_key = true;

		fputs(r ? ",{" : "{", stdout);
		for (c = 0; c < t->ncolumns; c++) {
			const char *cell = t->rows[r].cell[c];

			json_key(stdout, &first_key, t->columns[c].key);
			if (t->columns[c].type == COL_TEXT)
				json_print_string(stdout, cell);
			else if (strcmp(cell, "unlimited") == 0 ||
				 strcmp(cell, "-") == 0)
				fputs("null", stdout);
			else
				fputs(cell, stdout);
		}
		if (t->rows[r].extra_key) {
			json_key(stdout, &first_key, t->rows[r].extra_key);
			fputs(t->rows[r].extra, stdout);
		}
		putchar('}');
	}
	fputs("]}\n", stdout);
}

static void print_table(const struct table *t, const struct options *opts,
			const uint32_t *xid)
{
	if (opts->json)
		print_json(t, xid);
	else
		print_text(t, opts);
}

/* A number into cell c of row */
static void set_number(struct row *row, size_t c, uint64_t value)
{
	row->cell[c] = rlimit_format(value, row->buf[c]);
}

static struct row *alloc_rows(void)
{
	struct row *rows = calloc(nr_rlimit_resources, sizeof(*rows));

	if (!rows)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	return rows;
}

/*
 * vlimit --list: the resources the running kernel can limit, memory when
 * the memory cgroup can be used
 */
static int list_resources(const struct options *opts)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;
	struct table t = {
		.key = "resources",
		.columns = list_columns,
		.ncolumns = ARRAY_SIZE(list_columns),
	};
	bool cgroup = cgroup_probe() == CGROUP_READY;
	size_t i;

	get_mask(&mask);
	t.rows = alloc_rows();
	for (i = 0; i < nr_rlimit_resources; i++) {
		const struct rlimit_resource *r = &rlimit_resources[i];
		struct row *row = &t.rows[t.nrows];

		if (r->kind == RLIMIT_KIND_CGROUP) {
			if (!cgroup)
				continue;
			row->cell[1] = "-";
		} else if (rlimit_supported(&mask, r)) {
			set_number(row, 1, r->id);
		} else {
			continue;
		}
		row->cell[0] = r->name;
		row->cell[2] = r->error;
		row->cell[3] = r->calls;
		row->cell[4] = r->counts;
		t.nrows++;
	}
	print_table(&t, opts, NULL);
	free(t.rows);
	return VS_EXIT_SUCCESS;
}

/*
 * The row of memory r of context xid, from its cgroup: no minimum, the
 * peak as maximum, memory.high and memory.max as the limits, the times
 * the usage hit memory.max as hits; and the processes the OOM killer
 * killed, in the description and in JSON.
 */
static void memory_row(uint32_t xid, const struct rlimit_resource *r,
		       struct row *row)
{
	struct cgroup_memory m;

	if (cgroup_read_memory(xid, &m) != 0)
		err(VS_EXIT_FAILURE, "cannot %s", cgroup_what());
	row->cell[0] = r->name;
	set_number(row, 1, m.current);
	row->cell[2] = "-";
	if (m.has_peak)
		set_number(row, 3, m.peak);
	else
		row->cell[3] = "-";
	set_number(row, 4, m.high);
	set_number(row, 5, m.max);
	set_number(row, 6, m.events_max);
	snprintf(row->text, sizeof(row->text), "%s; oom_kill %" PRIu64,
		 r->counts, m.events_oom_kill);
	row->cell[7] = row->text;
	row->extra_key = "oom_kill";
	snprintf(row->extra, sizeof(row->extra), "%" PRIu64,
		 m.events_oom_kill);
}

/* vlimit XID: the limits and the usage of a context */
static int show_limits(uint32_t xid, const struct options *opts)
{
	struct vcmd_ctx_rlimit_mask_v0 mask;
	struct table t = {
		.key = "limits",
		.columns = limit_columns,
		.ncolumns = ARRAY_SIZE(limit_columns) - !opts->verbose,
	};
	size_t i;

	get_mask(&mask);
	t.rows = alloc_rows();
	for (i = 0; i < nr_rlimit_resources; i++) {
		const struct rlimit_resource *r = &rlimit_resources[i];
		struct row *row = &t.rows[t.nrows];
		struct vcmd_ctx_rlimit_v0 limit;
		struct vcmd_rlimit_stat_v0 stat;
		int bound;

		if (r->kind == RLIMIT_KIND_CGROUP) {
			bound = cgroup_exists(xid);
			if (bound < 0)
				err(VS_EXIT_FAILURE, "cannot %s",
				    cgroup_what());
			if (bound) {
				memory_row(xid, r, row);
				t.nrows++;
			}
			continue;
		}
		if (!rlimit_supported(&mask, r))
			continue;
		if (vs_get_rlimit(xid, r->id, &limit) != 0 ||
		    vs_rlimit_stat(xid, r->id, &stat) != 0)
			die_context(xid, "read the %s limit of context %u",
				    r->name, xid);
		row->cell[0] = r->name;
		set_number(row, 1, stat.value);
		set_number(row, 2, stat.minimum);
		set_number(row, 3, stat.maximum);
		set_number(row, 4, limit.softlimit);
		set_number(row, 5, limit.maximum);
		set_number(row, 6, stat.hits);
		row->cell[7] = r->counts;
		t.nrows++;
	}
	print_table(&t, opts, &xid);
	free(t.rows);
	return VS_EXIT_SUCCESS;
}

/* vlimit XID SETTING...: check every setting, then make them */
static int set_limits(uint32_t xid, const struct rlimit_setting *s,
		      size_t n)
{
	ctxlimit_check(xid, s, n);
	ctxlimit_apply(xid, s, n, CTXLIMIT_ALL, 0);
	return VS_EXIT_SUCCESS;
}

/* vlimit XID --reset WHAT */
static int reset_counters(uint32_t xid, unsigned int what)
{
	if ((what & RESET_MINMAX) && vs_reset_minmax(xid) != 0)
		die_context(xid, "reset the minimum and maximum usage of "
			    "context %u", xid);
	if ((what & RESET_HITS) && vs_reset_hits(xid) != 0)
		die_context(xid, "reset the hit counters of context %u", xid);
	return VS_EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	enum { OPT_RESET = 0x100 };
	static const char optstring[] = ":lJnrvhV";
	static const struct option longopts[] = {
		{ "list",	no_argument,		NULL,	'l' },
		{ "reset",	required_argument,	NULL,	OPT_RESET },
		{ "json",	no_argument,		NULL,	'J' },
		{ "noheadings",	no_argument,		NULL,	'n' },
		{ "raw",	no_argument,		NULL,	'r' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "version",	no_argument,		NULL,	'V' },
		{ NULL,		0,			NULL,	0 }
	};
	const char *prog = program_invocation_short_name;
	struct options opts = { 0 };
	struct rlimit_setting *settings;
	const char *context;
	size_t nsettings;
	uint32_t xid;
	int c, ret;

	close_stdout_atexit();

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			opts.list = true;
			break;
		case OPT_RESET:
			opts.reset |= parse_reset(optarg);
			break;
		case 'J':
			opts.json = true;
			break;
		case 'n':
			opts.noheadings = true;
			break;
		case 'r':
			opts.raw = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			getopt_error(c, argv, optstring, prog);
		}
	}

	if (opts.list) {
		if (optind < argc)
			usage_error(prog, "unexpected argument '%s'",
				    argv[optind]);
		if (opts.reset)
			usage_error(prog, "--list and --reset are mutually "
				    "exclusive");
		return list_resources(&opts);
	}

	/* "vlimit nproc=5" forgot the context, it does not name one */
	if (optind >= argc || strchr(argv[optind], '='))
		usage_error(prog, "no context specified");
	context = argv[optind++];
	nsettings = (size_t)(argc - optind);
	if (nsettings && opts.reset)
		usage_error(prog, "--reset cannot be combined with a change");
	if ((nsettings || opts.reset) && opts.json)
		usage_error(prog, "--json cannot be combined with a change");

	settings = calloc(nsettings ? nsettings : 1, sizeof(*settings));
	if (!settings)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	ctxlimit_parse(argv + optind, nsettings, settings, prog);

	xid = resolve_context(context);
	if (opts.reset)
		ret = reset_counters(xid, opts.reset);
	else if (nsettings)
		ret = set_limits(xid, settings, nsettings);
	else
		ret = show_limits(xid, &opts);
	free(settings);
	return ret;
}
