// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx - manage vserver security contexts
 *
 * The command dispatcher: global options, then one command from the
 * commands[] table, which also drives "vctx --help".
 */

#include <assert.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "vctx.h"

static const struct vctx_command commands[] = {
	{ "caps", vctx_caps,
	  "show or change the capabilities of a context" },
	{ "create", vctx_create,
	  "create a context and run a command in it" },
	{ "enter", vctx_enter,
	  "run a command in an existing context" },
	{ "flags", vctx_flags,
	  "show or change the flags of a context" },
	{ "info", vctx_info,
	  "show the details of a context" },
	{ "kill", vctx_kill,
	  "send a signal to the processes of a context" },
	{ "list", vctx_list,
	  "list the contexts" },
	{ "monitor", vctx_monitor,
	  "print the events of contexts as they happen" },
	{ "net", vctx_net,
	  "manage network contexts and their addresses" },
	{ "ps", vctx_ps,
	  "list processes with their contexts" },
	{ "uname", vctx_uname,
	  "show or change the names of a context" },
	{ "version", vctx_version,
	  "show the kernel's vserver interface version and features" },
	{ "wait", vctx_wait,
	  "wait until a context is gone" },
	{ "whoami", vctx_whoami,
	  "show the context of the calling process" },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

const char *vctx_cmd;

static void __attribute__((noreturn)) usage(void)
{
	const char *prog = program_invocation_short_name;
	FILE *out = stdout;
	int width = 0;
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++) {
		int len = (int)strlen(commands[i].name);

		if (len > width)
			width = len;
	}

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <command> [<args>]\n", prog);
	fputs("\nManage vserver security contexts.\n", out);

	fputs("\nCommands:\n", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, " %-*s  %s\n", width, commands[i].name,
			commands[i].summary);

	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(" -V, --version  display version\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

static const struct vctx_command *find_command(const char *name)
{
	static_assert(offsetof(struct vctx_command, name) == 0,
		      "find_named() needs the name first");
	return find_named(commands, NR_COMMANDS, sizeof(commands[0]), name);
}

int main(int argc, char **argv)
{
	/* '+': stop at the command word, its options are its own */
	static const char optstring[] = "+:hV";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *prog = program_invocation_short_name;
	const struct vctx_command *cmd;
	char *cmdline;
	int c;

	close_stdout_atexit();

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			getopt_error(c, argv, optstring, prog);
		}
	}

	if (optind >= argc)
		usage_error(prog, "no command specified");
	cmd = find_command(argv[optind]);
	if (!cmd)
		usage_error(prog, "unknown command '%s'", argv[optind]);

	if (asprintf(&cmdline, "%s %s", prog, cmd->name) < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	vctx_cmd = cmdline;

	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: restart scanning, skipping argv[0] */
	return cmd->run(argc, argv);
}
