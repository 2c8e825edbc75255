// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx uname - show or change the names of a context: its own name and
 * the uname(2) fields its processes see.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "vctx.h"

/* The name fields, in VHIN_* order: parsing, help and output */
static const struct name_field {
	const char *name;
	uint32_t field;
	const char *help;
} name_fields[] = {
	{ "context",	VHIN_CONTEXT,	"the name of the context" },
	{ "sysname",	VHIN_SYSNAME,	"the name of the operating system" },
	{ "nodename",	VHIN_NODENAME,	"the host name" },
	{ "release",	VHIN_RELEASE,	"the release of the kernel" },
	{ "version",	VHIN_VERSION,	"the version of the kernel" },
	{ "machine",	VHIN_MACHINE,	"the hardware name" },
	{ "domainname",	VHIN_DOMAINNAME, "the NIS domain name" },
};

#define NR_NAME_FIELDS	(sizeof(name_fields) / sizeof(name_fields[0]))

/* The width of the longest field name */
static int field_width(void)
{
	int width = 0;
	size_t i;

	for (i = 0; i < NR_NAME_FIELDS; i++) {
		int len = (int)strlen(name_fields[i].name);

		if (len > width)
			width = len;
	}
	return width;
}

static void __attribute__((noreturn)) usage(void)
{
	int width = field_width();
	FILE *out = stdout;
	size_t i;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>\n", vctx_cmd);
	fputs("\nShow or change the name of a context and the uname fields "
	      "its processes see.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -s, --set <field>=<value>  change a field; may be given more "
	      "than once\n", out);
	fputs(" -J, --json                 print one JSON object on one "
	      "line\n", out);
	fputs("\n -h, --help                 display this help\n", out);
	fputs("\nFields:\n", out);
	for (i = 0; i < NR_NAME_FIELDS; i++)
		fprintf(out, " %-*s  %s\n", width, name_fields[i].name,
			name_fields[i].help);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

static const struct name_field *find_field(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NR_NAME_FIELDS; i++)
		if (strlen(name_fields[i].name) == len &&
		    strncasecmp(name_fields[i].name, name, len) == 0)
			return &name_fields[i];
	return NULL;
}

/* One --set */
struct assignment {
	const struct name_field *f;
	const char *value;
};

/* "field=value" as an assignment; a usage error if it is not one */
static struct assignment parse_assignment(const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct assignment a;

	if (!eq)
		usage_error(vctx_cmd, "invalid assignment '%s': expected "
			    "<field>=<value>", arg);
	a.f = find_field(arg, (size_t)(eq - arg));
	if (!a.f)
		usage_error(vctx_cmd, "unknown field '%.*s'", (int)(eq - arg),
			    arg);
	a.value = eq + 1;
	if (a.f->field == VHIN_CONTEXT)
		check_context_name(a.value, vctx_cmd);
	else
		check_name_length(a.f->name, a.value, vctx_cmd);
	return a;
}

int vctx_uname(int argc, char **argv)
{
	static const char optstring[] = ":s:Jh";
	static const struct option longopts[] = {
		{ "set",	required_argument,	NULL,	's' },
		{ "json",	no_argument,		NULL,	'J' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	char value[NR_NAME_FIELDS][VHILEN];
	struct assignment *set;
	size_t nr_set = 0, i;
	bool json = false, first = true;
	uint32_t xid;
	int c;

	/* No more assignments than arguments */
	set = calloc((size_t)argc, sizeof(*set));
	if (!set)
		err(VS_EXIT_FAILURE, "cannot allocate memory");

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			set[nr_set++] = parse_assignment(optarg);
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
	if (nr_set && json)
		usage_error(vctx_cmd, "--set and --json are mutually "
			    "exclusive");
	xid = the_context_arg(argc, argv, VX_XID_MIN, vctx_cmd);

	if (nr_set) {
		for (i = 0; i < nr_set; i++)
			if (vs_set_vhi_name(xid, set[i].f->field,
					    set[i].value) != 0)
				die_context(xid, "set the %s of context %u",
					    set[i].f->name, xid);
		free(set);
		return VS_EXIT_SUCCESS;
	}
	free(set);

	for (i = 0; i < NR_NAME_FIELDS; i++) {
		const struct name_field *f = &name_fields[i];
		int r;

		if (f->field == VHIN_CONTEXT)
			r = context_name(xid, value[i]);
		else
			r = vs_get_vhi_name(xid, f->field, value[i], VHILEN);
		if (r != 0)
			die_context(xid, "read the %s of context %u", f->name,
				    xid);
	}

	if (json) {
		putchar('{');
		json_key(stdout, &first, "xid");
		printf("%u", xid);
		for (i = 0; i < NR_NAME_FIELDS; i++) {
			json_key(stdout, &first, name_fields[i].name);
			/* A context without a name has null, as in "info" */
			if (name_fields[i].field == VHIN_CONTEXT && !*value[i])
				fputs("null", stdout);
			else
				json_print_string(stdout, value[i]);
		}
		fputs("}\n", stdout);
		return VS_EXIT_SUCCESS;
	}
	for (i = 0; i < NR_NAME_FIELDS; i++) {
		char text[SAFE_STRING_SIZE(VHILEN)];
		const char *v = value[i];

		if (name_fields[i].field == VHIN_CONTEXT && !*v)
			v = "-";
		printf("%s:%*s %s\n", name_fields[i].name,
		       field_width() - (int)strlen(name_fields[i].name), "",
		       safe_string(v, text, sizeof(text), NULL));
	}
	return VS_EXIT_SUCCESS;
}
