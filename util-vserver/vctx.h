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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "ctxcaps.h"
#include "flags.h"
#include "netlink.h"

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
int vctx_monitor(int argc, char **argv);
int vctx_net(int argc, char **argv);
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

/*
 * Network contexts (vctx-net.c), shared with "vctx create --ip".  Bad
 * input is a usage error of vctx_cmd; every other failure exits 1 with
 * its reason.
 */

/* The addresses given on the command line */
struct net_addrs {
	struct vs_net_addr *a;
	size_t n;
	size_t alloc;
};

/*
 * parse_nid_arg - a nid from the command line, min..VX_NID_MAX:
 * "invalid network context id 'x'", "network context id '70000' is out
 * of range (2-65535)".
 */
uint32_t parse_nid_arg(const char *arg, uint32_t min);

/* net_addr_arg - add "A[/P]" to l: "invalid address", "invalid prefix" */
void net_addr_arg(struct net_addrs *l, const char *arg);

/* net_dev_arg - a usage error unless arg can name a network device */
void net_dev_arg(const char *arg);

/*
 * net_flag_list - apply a list of t's names to *set and *clear:
 * "unknown network flag 'x'"
 */
void net_flag_list(const struct flag_table *t, const char *list,
		   uint64_t *set, uint64_t *clear);

/*
 * die_net - report that the operation on network context nid failed with
 * errno, and exit 1, as die_context() does for contexts ("no network
 * context 42", "network context 42 already exists", ...).
 */
void __attribute__((noreturn, format(printf, 2, 3)))
die_net(uint32_t nid, const char *what, ...);

/*
 * A network context with a link is made in this order, from the host:
 *
 *	net_open_host()		the host's rtnetlink socket; checks that
 *				dev exists
 *	net_create_in()		create the context and move into it
 *	net_kernel_add()	its address list
 *	net_link_up()		the link, from inside
 *	net_commit()		before returning without exec: keep it
 *
 * Should the caller exit before it runs its command or calls
 * net_commit(), an exit handler removes the link and clears the
 * persistence the creation set, so that nothing of the context stays.
 */
struct vs_netlink *net_open_host(const char *dev);
void net_create_in(uint32_t nid, const uint64_t *flagword, bool persistent);
void net_kernel_add(uint32_t nid, const struct vs_net_addr *a, size_t n);
void net_link_up(struct vs_netlink *nl, uint32_t nid,
		 const struct vs_net_addr *a, size_t n, const char *dev);
void net_commit(void);

#endif /* VSERVER_UTILS_VCTX_H */
