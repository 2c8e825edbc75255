/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Naming contexts on the command line, finding them, and reporting the
 * errors of the context commands in the words the tools share.
 */

#ifndef VSERVER_UTILS_CONTEXT_H
#define VSERVER_UTILS_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vserver.h>

/* One decimal directory per context the caller can see */
#define PROC_VIRTUAL	"/proc/virtual"

/*
 * parse_xid - a context id from str: decimal digits only, within
 * min..VX_XID_MAX.  Returns 0, or -1 with errno EINVAL (not a number) or
 * ERANGE (out of range); *xid is not touched then.
 */
int parse_xid(const char *str, uint32_t min, uint32_t *xid);

/* True when str is meant as a number (it starts with a digit) or is empty */
bool looks_like_xid(const char *str);

/*
 * context_arg - the xid named by a command line argument: a number in
 * min..VX_XID_MAX, or the name of a visible context.  A bad number is a
 * usage error of cmd ("invalid context id '70000'"); an unknown name exits
 * with "no context named 'web'".
 */
uint32_t context_arg(const char *arg, uint32_t min, const char *cmd);

/*
 * the_context_arg - the one context argument left after the options:
 * a usage error of cmd when there is none or more than one.
 */
uint32_t the_context_arg(int argc, char **argv, uint32_t min,
			 const char *cmd);

/*
 * list_contexts - the xids of the contexts the caller can see, in
 * ascending order, from PROC_VIRTUAL.  Returns their number and a
 * malloc'ed array in *xids (NULL when there is none).  Exits on errors,
 * with the message of die_if_vserver_unavailable() when the kernel runs
 * no vserver command.
 */
size_t list_contexts(uint32_t **xids);

/*
 * context_name - the name (VHIN_CONTEXT) of context xid in buf, which
 * holds VHILEN bytes; "" when it has none.  Returns 0 or -1 with errno.
 */
int context_name(uint32_t xid, char *buf);

/*
 * check_context_name - a usage error of cmd when name cannot name a
 * context: it looks like an id ("invalid context name '42web'") or is
 * too long for a name field.
 */
void check_context_name(const char *name, const char *cmd);

/*
 * check_name_length - a usage error of cmd when value does not fit a name
 * field (VHILEN with its NUL): "<what> '<value>' is longer than 64 bytes".
 */
void check_name_length(const char *what, const char *value,
		       const char *cmd);

/*
 * context_wait - wait until context xid is gone, for at most seconds (0:
 * no limit).  Returns 0 when it is gone, 1 when the time ran out first,
 * -1 with errno when the kernel refused (ESRCH: no such context).  The
 * wait is cut short by SIGALRM, whose action and timer are restored.
 */
int context_wait(uint32_t xid, uint32_t seconds);

/*
 * die_context - report that the operation on context xid failed with
 * errno, and exit 1.  The errno values with a meaning of their own get
 * their fixed message ("no context 42", "context 42 already exists",
 * "context 42 is still being set up", "context 42 is private", "no free
 * context id", the messages of die_if_vserver_unavailable()); EPERM gives
 * "permission denied: <what>", EOPNOTSUPP "cannot <what>: this kernel
 * does not support it", anything else "cannot <what>: <reason>".
 * what is printf-formatted, e.g. "signal context %u".
 */
void __attribute__((noreturn, format(printf, 2, 3)))
die_context(uint32_t xid, const char *what, ...);

#endif /* VSERVER_UTILS_CONTEXT_H */
