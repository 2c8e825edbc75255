// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Context flags by name; see flags.h.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <vserver.h>

#include "common.h"
#include "flags.h"

const struct cflag_name cflag_names[] = {
	{ "private",		VXF_INFO_PRIVATE },
	{ "virt_uptime",	VXF_VIRT_UPTIME },
	{ "hide_vinfo",		VXF_HIDE_VINFO },
	{ "state_setup",	VXF_STATE_SETUP },
	{ "state_init",		VXF_STATE_INIT },
	{ "state_admin",	VXF_STATE_ADMIN },
	{ "persistent",		VXF_PERSISTENT },
	/* aliases: never printed */
	{ "setup",		VXF_STATE_SETUP },
	{ "init",		VXF_STATE_INIT },
	{ "admin",		VXF_STATE_ADMIN },
};

const size_t nr_cflag_names = sizeof(cflag_names) / sizeof(cflag_names[0]);

const char *cflag_name(uint64_t bit)
{
	size_t i;

	for (i = 0; i < nr_cflag_names; i++)
		if (cflag_names[i].bit == bit)
			return cflag_names[i].name;
	return NULL;
}

static const struct cflag_name *lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nr_cflag_names; i++)
		if (strlen(cflag_names[i].name) == len &&
		    strncasecmp(cflag_names[i].name, name, len) == 0)
			return &cflag_names[i];
	return NULL;
}

int cflags_parse(const char *list, uint64_t *set, uint64_t *clear,
		 const char **bad, size_t *badlen)
{
	uint64_t to_set = 0, to_clear = 0;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *name = p;
		bool negate = *p == '~' || *p == '!';
		const struct cflag_name *f;

		if (negate)
			name++;
		f = lookup(name, len - (size_t)(name - p));
		if (!f) {
			*bad = p;
			*badlen = len;
			errno = EINVAL;
			return -1;
		}
		if (negate) {
			to_clear |= f->bit;
			to_set &= ~f->bit;
		} else {
			to_set |= f->bit;
			to_clear &= ~f->bit;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*set = to_set;
	*clear = to_clear;
	return 0;
}

/* The bits that have a name */
static uint64_t named_bits(void)
{
	uint64_t known = 0;
	size_t i;

	for (i = 0; i < nr_cflag_names; i++)
		known |= cflag_names[i].bit;
	return known;
}

void cflags_print(FILE *f, uint64_t flagword)
{
	uint64_t unnamed = flagword & ~named_bits();
	bool first = true;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(flagword & (1ULL << bit)))
			continue;
		name = cflag_name(1ULL << bit);
		if (!name)
			continue;
		fprintf(f, "%s%s", first ? "" : ",", name);
		first = false;
	}
	if (unnamed) {
		fprintf(f, "%s0x%llx", first ? "" : ",",
			(unsigned long long)unnamed);
		first = false;
	}
	if (first)
		fputs("none", f);
}

void cflags_print_json(FILE *f, uint64_t flagword)
{
	bool first = true;
	int bit;

	fputc('[', f);
	for (bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(flagword & (1ULL << bit)))
			continue;
		name = cflag_name(1ULL << bit);
		if (!name)
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		json_print_string(f, name);
	}
	fputc(']', f);
}

void cflags_usage(FILE *f)
{
	size_t i, j;

	fputs("\nFlags (prefix ~ or ! to clear):\n", f);
	for (i = 0; i < nr_cflag_names; i++) {
		bool alias = false;

		/* An entry whose bit has an earlier name is an alias */
		for (j = 0; j < i; j++)
			if (cflag_names[j].bit == cflag_names[i].bit)
				alias = true;
		if (alias)
			continue;
		fprintf(f, " %s", cflag_names[i].name);
		for (j = i + 1; j < nr_cflag_names; j++)
			if (cflag_names[j].bit == cflag_names[i].bit)
				fprintf(f, " (%s)", cflag_names[j].name);
		fputc('\n', f);
	}
}
