/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vctx - internal interface between the command dispatcher (vctx.c) and the
 * commands (vctx-<command>.c).
 *
 * Adding a command: write an "int vctx_<name>(int argc, char **argv)"
 * handler in vctx-<name>.c, or in the file of related commands, declare it
 * below, add one row to the commands[] table in vctx.c and a new file to
 * VCTX_SRCS in the Makefile.
 */

#ifndef VSERVER_UTILS_VCTX_H
#define VSERVER_UTILS_VCTX_H

#include <stdint.h>

#include "caps.h"
#include "ctxcaps.h"

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
int vctx_caps(int argc, char **argv);
int vctx_create(int argc, char **argv);
int vctx_enter(int argc, char **argv);
int vctx_flags(int argc, char **argv);
int vctx_info(int argc, char **argv);
int vctx_kill(int argc, char **argv);
int vctx_list(int argc, char **argv);
int vctx_ps(int argc, char **argv);
int vctx_uname(int argc, char **argv);
int vctx_version(int argc, char **argv);
int vctx_wait(int argc, char **argv);
int vctx_whoami(int argc, char **argv);

/*
 * parse_flag_list - a flag list (see flags.h) as the bits to set and to
 * clear; "unknown flag 'xyz'" is a usage error of vctx_cmd.
 */
void parse_flag_list(const char *list, uint64_t *set, uint64_t *clear);

/*
 * parse_cap_list - apply a list (see caps.h) to *set and *clear; an
 * unknown name is a usage error of vctx_cmd ("unknown capability
 * 'cap_foo'"), a name this kernel does not implement an error ("ccap
 * 'syslog' is not supported by this kernel").
 */
void parse_cap_list(const struct capword *w, const char *list,
		    uint64_t *set, uint64_t *clear);

#endif /* VSERVER_UTILS_VCTX_H */
