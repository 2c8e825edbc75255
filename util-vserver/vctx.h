/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vctx - internal interface between the command dispatcher (vctx.c) and the
 * commands (vctx-<command>.c).
 *
 * Adding a command: write vctx-<name>.c with an "int vctx_<name>(int argc,
 * char **argv)" handler, declare it below, add one row to the commands[]
 * table in vctx.c and the file to VCTX_SRCS in the Makefile.
 */

#ifndef VSERVER_UTILS_VCTX_H
#define VSERVER_UTILS_VCTX_H

struct vctx_command {
	const char *name;		/* word on the command line */
	int (*run)(int argc, char **argv);
	const char *summary;		/* one line for "vctx --help" */
};

/*
 * The command line prefix of the running command, e.g. "vctx version", for
 * usage texts and "Try '... --help'" lines.  Set before a handler runs.
 */
extern const char *vctx_cmd;

/*
 * Handlers.  argv[0] is the command name and getopt is reset, so a handler
 * parses its own options with getopt_long() as if it were main().  The
 * return value is the exit status; handlers may also exit directly.
 */
int vctx_version(int argc, char **argv);

#endif /* VSERVER_UTILS_VCTX_H */
