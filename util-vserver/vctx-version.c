// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx version - show the kernel's VCI version, the system call number in
 * use and the VCI feature mask.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <vserver.h>

#include "common.h"
#include "vctx.h"

/*
 * Names of the VCI feature bits, in bit order.  An entry whose mask has
 * more than one bit is a numeric field and is shown as "name=value".
 */
static const struct vci_feature {
	uint32_t mask;
	const char *name;
} vci_features[] = {
	{ VCI_NO_DYNAMIC,	"no_dynamic" },
	{ VCI_PROC_SECURE,	"proc_secure" },
	{ VCI_COWBL,		"cowbl" },
	{ VCI_FULLCOWBL,	"fullcowbl" },
	{ VCI_SPACES,		"spaces" },
	{ VCI_NETV2,		"netv2" },
	{ VCI_MEMCG,		"memcg" },
	{ VCI_MEMCG_SWAP,	"memcg_swap" },
	{ VCI_DEBUG,		"debug" },
	{ VCI_HISTORY,		"history" },
	{ VCI_TAGGED_MASK,	"tagged" },
	{ VCI_PPTAG,		"pptag" },
};

#define NR_VCI_FEATURES	(sizeof(vci_features) / sizeof(vci_features[0]))

static bool is_field(uint32_t mask)
{
	return (mask & (mask - 1)) != 0;
}

static uint32_t field_value(uint32_t vci, uint32_t mask)
{
	return (vci & mask) >> __builtin_ctz(mask);
}

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]\n", vctx_cmd);
	fputs("\nShow the vserver interface version and features of the "
	      "running kernel.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -J, --json     print one JSON object on one line\n", out);
	fputs("\n -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* "no_dynamic,spaces,tagged=2,0x00000040", or "none" */
static void print_feature_list(FILE *out, uint32_t vci)
{
	uint32_t known = 0;
	bool first = true;
	size_t i;

	for (i = 0; i < NR_VCI_FEATURES; i++) {
		const struct vci_feature *f = &vci_features[i];

		known |= f->mask;
		if (!(vci & f->mask))
			continue;
		fputs(first ? "" : ",", out);
		first = false;
		if (is_field(f->mask))
			fprintf(out, "%s=%u", f->name,
				field_value(vci, f->mask));
		else
			fputs(f->name, out);
	}
	if (vci & ~known) {
		fputs(first ? "" : ",", out);
		first = false;
		fprintf(out, "0x%08x", vci & ~known);
	}
	if (first)
		fputs("none", out);
}

static void print_text(int version, uint32_t vci)
{
	uint32_t v = (uint32_t)version;

	printf("VCI version:   0x%08x (%04x:%04x)\n", v, v >> 16, v & 0xFFFF);
	printf("syscall:       %d\n", VS_SYSCALL_NR);
	printf("features:      0x%08x (", vci);
	print_feature_list(stdout, vci);
	fputs(")\n", stdout);
}

/*
 * One object on one line.  feature_names holds the names of the set
 * single-bit features; fields and unknown bits are only in "features".
 */
static void print_json(int version, uint32_t vci)
{
	char hex[sizeof("0x00000000")];
	bool first = true, first_name = true;
	size_t i;

	snprintf(hex, sizeof(hex), "0x%08x", (uint32_t)version);

	putchar('{');
	json_key(stdout, &first, "vci_version");
	printf("%d", version);
	json_key(stdout, &first, "vci_version_hex");
	json_print_string(stdout, hex);
	json_key(stdout, &first, "syscall");
	printf("%d", VS_SYSCALL_NR);
	json_key(stdout, &first, "features");
	printf("%u", vci);
	json_key(stdout, &first, "feature_names");
	putchar('[');
	for (i = 0; i < NR_VCI_FEATURES; i++) {
		const struct vci_feature *f = &vci_features[i];

		if (!(vci & f->mask) || is_field(f->mask))
			continue;
		if (!first_name)
			putchar(',');
		first_name = false;
		json_print_string(stdout, f->name);
	}
	fputs("]}\n", stdout);
}

int vctx_version(int argc, char **argv)
{
	static const char optstring[] = ":Jh";
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'J' },
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	bool json = false;
	uint32_t vci;
	int version;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'h':
			usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind < argc)
		usage_error(vctx_cmd, "unexpected argument '%s'", argv[optind]);

	version = require_vserver();
	if (vs_get_vci(&vci) < 0)
		die_vserver_call("get_vci");

	if (json)
		print_json(version, vci);
	else
		print_text(version, vci);
	return VS_EXIT_SUCCESS;
}
