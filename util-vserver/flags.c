// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Flag words by name; see flags.h.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <vserver.h>

#include "common.h"
#include "flags.h"

#define NR(a)	(sizeof(a) / sizeof((a)[0]))

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

const size_t nr_cflag_names = NR(cflag_names);

const struct flag_table cflag_table = {
	.names = cflag_names,
	.nr_names = NR(cflag_names),
	.what = "flag",
	.title = "Flags",
};

/* util-vserver's names (nattribute --flag, the nflags file) */
static const struct cflag_name nflag_names[] = {
	{ "private",		NXF_INFO_PRIVATE },
	{ "single_ip",		NXF_SINGLE_IP },
	{ "lback_remap",	NXF_LBACK_REMAP },
	{ "lback_allow",	NXF_LBACK_ALLOW },
	{ "hide_netif",		NXF_HIDE_NETIF },
	{ "hide_lback",		NXF_HIDE_LBACK },
	{ "state_setup",	NXF_STATE_SETUP },
	{ "state_admin",	NXF_STATE_ADMIN },
	{ "sc_helper",		NXF_SC_HELPER },
	{ "persistent",		NXF_PERSISTENT },
	/* aliases: never printed */
	{ "info_private",	NXF_INFO_PRIVATE },
	{ "remap_lback",	NXF_LBACK_REMAP },
};

const struct flag_table nflag_table = {
	.names = nflag_names,
	.nr_names = NR(nflag_names),
	.prefix = "nxf_",
	.what = "network flag",
	.title = "Network flags",
};

static const struct cflag_name ncap_names[] = {
	{ "tun_create",		NXC_TUN_CREATE },
	{ "raw_icmp",		NXC_RAW_ICMP },
	{ "multicast",		NXC_MULTICAST },
};

const struct flag_table ncap_table = {
	.names = ncap_names,
	.nr_names = NR(ncap_names),
	.prefix = "nxc_",
	.what = "network capability",
	.title = "Network capabilities",
	.all_none = true,
};

const char *flag_name(const struct flag_table *t, uint64_t bit)
{
	size_t i;

	for (i = 0; i < t->nr_names; i++)
		if (t->names[i].bit == bit)
			return t->names[i].name;
	return NULL;
}

static bool name_is(const char *name, size_t len, const char *what)
{
	return strlen(what) == len && strncasecmp(what, name, len) == 0;
}

static const struct cflag_name *lookup(const struct flag_table *t,
				       const char *name, size_t len)
{
	size_t i, plen = t->prefix ? strlen(t->prefix) : 0;

	if (plen && len > plen && strncasecmp(name, t->prefix, plen) == 0) {
		name += plen;
		len -= plen;
	}
	for (i = 0; i < t->nr_names; i++)
		if (name_is(name, len, t->names[i].name))
			return &t->names[i];
	return NULL;
}

/* The bits that have a name */
static uint64_t named_bits(const struct flag_table *t)
{
	uint64_t known = 0;
	size_t i;

	for (i = 0; i < t->nr_names; i++)
		known |= t->names[i].bit;
	return known;
}

int flag_list_parse(const struct flag_table *t, const char *list,
		    uint64_t *set, uint64_t *clear, const char **bad,
		    size_t *badlen)
{
	uint64_t to_set = 0, to_clear = 0;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *name = p;
		bool negate = *p == '~' || *p == '!';
		const struct cflag_name *f;
		size_t nlen;
		uint64_t bits;

		if (negate)
			name++;
		nlen = len - (size_t)(name - p);
		f = lookup(t, name, nlen);
		if (f) {
			bits = f->bit;
		} else if (t->all_none && !negate &&
			   name_is(name, nlen, "all")) {
			bits = named_bits(t);
		} else if (t->all_none && !negate &&
			   name_is(name, nlen, "none")) {
			bits = named_bits(t);
			negate = true;
		} else {
			*bad = p;
			*badlen = len;
			errno = EINVAL;
			return -1;
		}
		if (negate) {
			to_clear |= bits;
			to_set &= ~bits;
		} else {
			to_set |= bits;
			to_clear &= ~bits;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*set = to_set;
	*clear = to_clear;
	return 0;
}

void flag_list_print(FILE *f, const struct flag_table *t, uint64_t word)
{
	uint64_t unnamed = word & ~named_bits(t);
	bool first = true;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(word & (1ULL << bit)))
			continue;
		name = flag_name(t, 1ULL << bit);
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

void flag_list_print_json(FILE *f, const struct flag_table *t,
			  uint64_t word)
{
	bool first = true;
	int bit;

	fputc('[', f);
	for (bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(word & (1ULL << bit)))
			continue;
		name = flag_name(t, 1ULL << bit);
		if (!name)
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		json_print_string(f, name);
	}
	fputc(']', f);
}

void flag_table_usage(FILE *f, const struct flag_table *t)
{
	size_t i, j;

	fprintf(f, "\n%s (prefix ~ or ! to clear", t->title);
	if (t->all_none)
		fputs("; all, none", f);
	fputs("):\n", f);
	for (i = 0; i < t->nr_names; i++) {
		bool alias = false;

		/* An entry whose bit has an earlier name is an alias */
		for (j = 0; j < i; j++)
			if (t->names[j].bit == t->names[i].bit)
				alias = true;
		if (alias)
			continue;
		fprintf(f, " %s", t->names[i].name);
		for (j = i + 1; j < t->nr_names; j++)
			if (t->names[j].bit == t->names[i].bit)
				fprintf(f, " (%s)", t->names[j].name);
		fputc('\n', f);
	}
}

const char *cflag_name(uint64_t bit)
{
	return flag_name(&cflag_table, bit);
}

int cflags_parse(const char *list, uint64_t *set, uint64_t *clear,
		 const char **bad, size_t *badlen)
{
	return flag_list_parse(&cflag_table, list, set, clear, bad, badlen);
}

void cflags_print(FILE *f, uint64_t flagword)
{
	flag_list_print(f, &cflag_table, flagword);
}

void cflags_print_json(FILE *f, uint64_t flagword)
{
	flag_list_print_json(f, &cflag_table, flagword);
}

void cflags_usage(FILE *f)
{
	flag_table_usage(f, &cflag_table);
}
