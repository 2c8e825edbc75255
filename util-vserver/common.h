/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the vserver utilities: exit codes, usage errors,
 * checked number parsing, escaped and JSON output, and the reports of a
 * kernel without vserver support.
 *
 * Messages follow util-linux: lower case, "<prog>: <object>: <reason>",
 * printed with err(3)/errx(3)/warnx(3).
 */

#ifndef VSERVER_UTILS_COMMON_H
#define VSERVER_UTILS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes.  126 and 127 are reserved for commands that exec a program. */
#define VS_EXIT_SUCCESS		0
#define VS_EXIT_FAILURE		1	/* any failure, including bad usage */
#define VS_EXIT_TIMEOUT		2	/* "vctx wait": the timeout expired */
#define VS_EXIT_CANNOT_EXEC	126	/* program found but not executable */
#define VS_EXIT_NOT_FOUND	127	/* program not found */

/* Trailer of every usage() text */
#define VS_USAGE_MAN_TAIL(page)	"\nFor more details see " page ".\n"

/*
 * Bad usage: print "<prog>: <message>" and "Try '<cmd> --help' for more
 * information." on stderr, exit 1.  cmd is the command line prefix whose
 * --help explains the mistake, e.g. "vctx" or "vctx version".
 */
void __attribute__((noreturn, format(printf, 2, 3)))
usage_error(const char *cmd, const char *fmt, ...);

/* Only the "Try ..." line of usage_error(), then exit 1. */
void __attribute__((noreturn)) errtryhelp(const char *cmd);

/*
 * Report the error getopt_long() signalled by returning c ('?' or ':') as a
 * usage error for cmd, and exit 1.  optstring is the one given to
 * getopt_long(); it must start with ':' (after an optional '+') so that a
 * missing argument is told apart.  Set opterr = 0 so getopt stays quiet.
 */
void __attribute__((noreturn))
getopt_error(int c, char *const argv[], const char *optstring,
	     const char *cmd);

/*
 * parse_u32 - checked conversion of a whole string to uint32_t.
 *
 * Accepts digits of the given base (2..36; base 16 also takes a "0x" prefix)
 * and nothing else: no sign, no white space, no trailing characters.
 * Returns 0, or -1 with errno EINVAL (not a number) or ERANGE (too large).
 */
int parse_u32(const char *str, int base, uint32_t *out);

/*
 * parse_u32_or_err - parse_u32() in base 10, exiting with
 * "<prog>: invalid <what>: '<str>'" (or "<what> out of range") on failure.
 */
uint32_t parse_u32_or_err(const char *str, const char *what);

/* Room for safe_string() of a string of len bytes: each may become \xHH */
#define SAFE_STRING_SIZE(len)	(4 * (len) + 1)

/*
 * safe_string - s as human-readable output may show it, for names that
 * come from the kernel or from other users.  Printable ASCII and valid
 * UTF-8 text stay as they are; every other byte (control characters, DEL,
 * the C1 controls U+0080..U+009F, bytes that are not valid UTF-8) and the
 * backslash become \xHH, so that nothing in a name can drive a terminal
 * or pass for other text.  The result goes to buf, which holds size
 * bytes; SAFE_STRING_SIZE(strlen(s)) always suffice, a shorter buffer cuts
 * the result between two characters or escapes.  Returns buf.  When width
 * is not NULL, *width is set to the columns the result takes, counting
 * every character as one.
 */
const char *safe_string(const char *s, char *buf, size_t size,
			size_t *width);

/*
 * json_print_string - print s as a JSON string literal (with quotes).
 * Escapes '"', '\\', control characters and the C1 controls; bytes that
 * are not valid UTF-8 are printed as U+FFFD, so the output is always valid
 * JSON.
 */
void json_print_string(FILE *f, const char *s);

/*
 * json_key - start the member "key": of an object.  *first is true before
 * the first member; a comma is printed before every later one.
 */
void json_key(FILE *f, bool *first, const char *key);

/*
 * vserver_unavailable - true when err, the errno of a failed vserver
 * command, means that the kernel runs no vserver command at all: it has
 * no vserver support (ENOSYS), or vserver is built in but not enabled
 * (EOPNOTSUPP, and the kernel says so to every command; see vs_support()).
 * errno is left alone.
 */
bool vserver_unavailable(int err);

/*
 * die_if_vserver_unavailable - when vserver_unavailable(err), exit 1 with
 * the message that says why, the only place these messages come from:
 *   "this kernel has no vserver support: syscall 236 returned ENOSYS;
 *    boot a kernel built with CONFIG_VSERVER"
 *   "vserver is built into this kernel but not enabled: add vserver to
 *    the lsm= boot parameter"
 * Otherwise return, with errno left alone.
 */
void die_if_vserver_unavailable(int err);

/*
 * die_vserver_call - report that the libvserver call op (e.g. "get_version")
 * failed, and exit 1: through die_if_vserver_unavailable(), else as
 * "<prog>: <op> failed: <strerror>".  Call right after the failing call,
 * with errno still set by it.
 */
void __attribute__((noreturn)) die_vserver_call(const char *op);

/*
 * require_vserver - check that the running kernel runs vserver commands;
 * exit through die_vserver_call() if not.  Returns the VCI version.
 */
int require_vserver(void);

/*
 * close_stdout_atexit - register an exit handler that flushes and closes
 * stdout and stderr, and turns a write error (e.g. a full disk) into
 * "<prog>: write error" and exit status 1.
 */
void close_stdout_atexit(void);

/* The options of a command that lists or shows: -J, -n */
struct listing_opts {
	bool json;
	bool noheadings;
};

/* How a listing command is named and explained in its --help */
struct listing_help {
	const char *cmd;	/* for messages: "vctx list" */
	const char *synopsis;	/* before [options]: "vserver <name> status" */
	const char *args;	/* after [options]: " <xid>|<name>", or "" */
	const char *what;	/* one sentence of what it does */
	const char *manpage;	/* "vctx(8)" */
	bool headings;		/* it prints a table, so -n applies */
};

/*
 * parse_listing - parse the options of a listing command: -J/--json,
 * -n/--noheadings (if help->headings) and -h/--help, which prints the
 * usage and exits 0.  A bad option is a usage error.  Returns the index
 * of the first argument.
 */
int parse_listing(int argc, char **argv, struct listing_opts *opts,
		  const struct listing_help *help);

/*
 * print_version - print "<prog> from <package> <version>" for --version,
 * and exit 0.
 */
void __attribute__((noreturn)) print_version(void);

/*
 * find_named - the entry of a table of n entries of size bytes each,
 * every one starting with its name (a const char *), whose name is name;
 * NULL if none is.  For the command tables of the tools.
 */
const void *find_named(const void *table, size_t n, size_t size,
		       const char *name);

#endif /* VSERVER_UTILS_COMMON_H */
