// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx create - create a context, move into it and run a command there.
 * vctx enter  - move into an existing context and run a command there.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vserver.h>

#include "caps.h"
#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "flags.h"
#include "ctxlimit.h"
#include "rlimit.h"
#include "vctx.h"

/* Run argv; on failure exit 127 if the program is not there, else 126 */
static void __attribute__((noreturn)) exec_command(char **argv)
{
	execvp(argv[0], argv);
	err(errno == ENOENT ? VS_EXIT_NOT_FOUND : VS_EXIT_CANNOT_EXEC,
	    "failed to execute %s", argv[0]);
}

/* $SHELL, or /bin/sh */
static void __attribute__((noreturn)) exec_shell(void)
{
	char *shell = getenv("SHELL");
	char *argv[2];

	if (!shell || !*shell)
		shell = "/bin/sh";
	argv[0] = shell;
	argv[1] = NULL;
	exec_command(argv);
}

static void __attribute__((noreturn)) create_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] [--] [<command> [<argument>...]]\n",
		vctx_cmd);
	fputs("\nCreate a context, move into it and run a command there.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -x, --xid <xid>        the id of the new context "
	      "(default: a free one)\n", out);
	fputs(" -n, --name <name>      name the context\n", out);
	fputs(" -f, --flags <list>     set or clear flags at creation\n",
	      out);
	fputs(" -p, --persistent       keep the context after its last "
	      "process exits\n", out);
	fputs(" -s, --setup            leave the context in its setup "
	      "state, without init\n", out);
	fputs(" -v, --verbose          print the id of the new context\n",
	      out);
	fputs("     --secure           limit the capability ceiling to a "
	      "safe set\n", out);
	fputs("     --bcaps <list>     change the capability ceiling "
	      "(after --secure)\n", out);
	fputs("     --ccaps <list>     change the context capabilities\n",
	      out);
	fputs("     --hostname <name>  set the host name of the context\n",
	      out);
	fputs("     --limit <list>     set resource limits: "
	      "<resource>=<limits>,...\n", out);
	fputs("\n -h, --help             display this help\n", out);
	cflags_usage(out);
	fputs(CAPLIST_USAGE, out);
	capword_usage(out, &capword_bcaps);
	capword_usage(out, &capword_ccaps);
	fputs(RLIMIT_LIMITS_USAGE, out);
	rlimit_usage(out);
	fputs("\nThe command defaults to $SHELL, or /bin/sh.\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* The --flags argument as bits to set and bits to clear; usage error if bad */
void parse_flag_list(const char *list, uint64_t *set, uint64_t *clear)
{
	const char *bad;
	size_t badlen;

	if (cflags_parse(list, set, clear, &bad, &badlen) != 0)
		usage_error(vctx_cmd, "unknown flag '%.*s'", (int)badlen, bad);
}

/* The settings of the --limit options, one "<resource>=<limits>" each */
struct limit_args {
	char **args;
	size_t n;
	size_t alloc;
};

/* Add the comma separated settings of list to *a */
static void add_limit_list(struct limit_args *a, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (a->n == a->alloc) {
			a->alloc = a->alloc ? 2 * a->alloc : 8;
			a->args = reallocarray(a->args, a->alloc,
					       sizeof(*a->args));
			if (!a->args)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
		}
		a->args[a->n] = strndup(p, len);
		if (!a->args[a->n])
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		a->n++;
		if (!p[len])
			break;
		p += len + 1;
	}
}

static void free_limit_args(struct limit_args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->args[i]);
	free(a->args);
}

/*
 * The memory cgroup of a new context is bound by a helper process that
 * stays in the host, because cgroupfs is read-only for vctx once it is in
 * the context.  The helper is forked before the context is created, reads
 * its xid from a pipe, creates the cgroup with the memory limits, moves
 * vctx (the only process of the context) into it, and exits 0; or it
 * says why it could not, and exits 1.
 */
struct binder {
	pid_t pid;		/* the helper; 0 when there is none */
	int fd;			/* where the xid goes */
};

static void start_binder(struct binder *b, const struct rlimit_setting *s,
			 size_t n)
{
	pid_t vctx = getpid();
	uint32_t xid;
	int pipefd[2];
	ssize_t len;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		err(VS_EXIT_FAILURE, "cannot create a pipe");
	fflush(stdout);
	b->pid = fork();
	if (b->pid < 0)
		err(VS_EXIT_FAILURE, "cannot fork");
	if (b->pid > 0) {
		close(pipefd[0]);
		b->fd = pipefd[1];
		return;
	}

	close(pipefd[1]);
	do
		len = read(pipefd[0], &xid, sizeof(xid));
	while (len < 0 && errno == EINTR);
	if (len != (ssize_t)sizeof(xid))
		_exit(VS_EXIT_SUCCESS);		/* no context was created */
	ctxlimit_apply(xid, s, n, CTXLIMIT_KIND(RLIMIT_KIND_CGROUP), vctx);
	exit(VS_EXIT_SUCCESS);
}

/* Let the helper bind context xid, and wait until it has */
static void finish_binder(struct binder *b, uint32_t xid)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, saved;
	ssize_t len;
	int status;

	/* A helper that is gone is reported below, not by SIGPIPE */
	sigaction(SIGPIPE, &ignore, &saved);
	do
		len = write(b->fd, &xid, sizeof(xid));
	while (len < 0 && errno == EINTR);
	close(b->fd);
	sigaction(SIGPIPE, &saved, NULL);
	while (waitpid(b->pid, &status, 0) < 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot wait for process %d",
			    (int)b->pid);
	if (WIFSIGNALED(status))
		errx(VS_EXIT_FAILURE, "cannot bind context %u to its cgroup: "
		     "process %d was killed by signal %d", xid, (int)b->pid,
		     WTERMSIG(status));
	/* The helper said why */
	if (WEXITSTATUS(status) != VS_EXIT_SUCCESS)
		exit(VS_EXIT_FAILURE);
}

/*
 * Set up the new context xid while it still has VXF_STATE_SETUP: its
 * names first, then its ccaps, then its ceiling, which may take from
 * vctx what it would need for the rest.
 */
static void setup_context(uint32_t xid, const char *name,
			  const char *hostname, bool secure,
			  const uint64_t bcaps[2], const uint64_t ccaps[2])
{
	uint64_t set = bcaps[0], clear = bcaps[1];

	if (name && vs_set_vhi_name(xid, VHIN_CONTEXT, name) != 0)
		die_context(xid, "name context %u", xid);
	if (hostname && vs_set_vhi_name(xid, VHIN_NODENAME, hostname) != 0)
		die_context(xid, "set the host name of context %u", xid);
	if (ccaps[0] | ccaps[1])
		set_capword(xid, &vctx_capwords[CAPWORD_CCAPS], ccaps[0],
			    ccaps[1]);
	if (secure) {
		/* Exactly the preset, then what --bcaps adds or removes */
		set |= bcaps_secure & ~clear;
		clear = ~set;
	}
	if (set | clear)
		set_capword(xid, &vctx_capwords[CAPWORD_BCAPS], set, clear);
}

int vctx_create(int argc, char **argv)
{
	/* Long-only options */
	enum {
		OPT_SECURE = 0x100,
		OPT_BCAPS,
		OPT_CCAPS,
		OPT_HOSTNAME,
		OPT_LIMIT,
	};
	/* '+': the command to run has options of its own */
	static const char optstring[] = "+:x:n:f:psvh";
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL,	'x' },
		{ "name",	required_argument,	NULL,	'n' },
		{ "flags",	required_argument,	NULL,	'f' },
		{ "persistent",	no_argument,		NULL,	'p' },
		{ "setup",	no_argument,		NULL,	's' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "secure",	no_argument,		NULL,	OPT_SECURE },
		{ "bcaps",	required_argument,	NULL,	OPT_BCAPS },
		{ "ccaps",	required_argument,	NULL,	OPT_CCAPS },
		{ "hostname",	required_argument,	NULL,	OPT_HOSTNAME },
		{ "limit",	required_argument,	NULL,	OPT_LIMIT },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	uint64_t flagword = VXF_INIT_SET, set = 0, clear = 0;
	uint64_t bcaps[2] = { 0 }, ccaps[2] = { 0 };	/* set, clear */
	uint32_t xid = VX_XID_DYNAMIC;
	bool setup = false, verbose = false, secure = false;
	const char *name = NULL, *hostname = NULL;
	struct limit_args limits = { 0 };
	struct rlimit_setting *settings;
	struct binder binder = { 0 };
	int c, ret;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (parse_xid(optarg, VX_XID_MIN, &xid) != 0)
				usage_error(vctx_cmd,
					    "invalid context id '%s'", optarg);
			break;
		case 'n':
			check_context_name(optarg, vctx_cmd);
			name = optarg;
			break;
		case 'f':
			parse_flag_list(optarg, &set, &clear);
			flagword = (flagword | set) & ~clear;
			break;
		case 'p':
			flagword |= VXF_PERSISTENT;
			break;
		case 's':
			setup = true;
			break;
		case 'v':
			verbose = true;
			break;
		case OPT_SECURE:
			secure = true;
			break;
		case OPT_BCAPS:
			parse_cap_list(&capword_bcaps, optarg, &bcaps[0],
				       &bcaps[1]);
			break;
		case OPT_CCAPS:
			parse_cap_list(&capword_ccaps, optarg, &ccaps[0],
				       &ccaps[1]);
			break;
		case OPT_HOSTNAME:
			check_name_length("hostname", optarg, vctx_cmd);
			hostname = optarg;
			break;
		case OPT_LIMIT:
			add_limit_list(&limits, optarg);
			break;
		case 'h':
			create_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}

	settings = calloc(limits.n ? limits.n : 1, sizeof(*settings));
	if (!settings)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	ctxlimit_parse(limits.args, limits.n, settings, vctx_cmd);
	if (limits.n)
		ctxlimit_check_new(settings, limits.n);
	if (ctxlimit_have(settings, limits.n, RLIMIT_KIND_CGROUP))
		start_binder(&binder, settings, limits.n);

	ret = vs_ctx_create(xid, flagword);
	if (ret < 0) {
		if (errno == EPERM)
			errx(VS_EXIT_FAILURE, "only root in the host context "
			     "may create contexts");
		die_context(xid, "create context %u", xid);
	}
	xid = (uint32_t)ret;

	/*
	 * A cgroup left by an earlier context with this xid is not the new
	 * context's: remove it if it is empty, else it stays as it is.
	 */
	cgroup_remove(xid);
	if (binder.pid)
		finish_binder(&binder, xid);
	ctxlimit_apply(xid, settings, limits.n,
		       CTXLIMIT_KIND(RLIMIT_KIND_KERNEL), 0);
	free(settings);
	free_limit_args(&limits);
	setup_context(xid, name, hostname, secure, bcaps, ccaps);

	if (!setup) {
		/* The caller becomes init, then the setup ends */
		if (vs_set_cflags(xid, 0, VXF_STATE_INIT) != 0)
			die_context(xid, "become init of context %u", xid);
		if (vs_set_cflags(xid, 0, VXF_STATE_SETUP) != 0)
			die_context(xid, "end the setup of context %u", xid);
	}

	if (verbose) {
		printf("created context %u\n", xid);
		if (fflush(stdout) != 0)
			err(VS_EXIT_FAILURE, "write error");
	}

	if (optind < argc)
		exec_command(argv + optind);
	exec_shell();
}

static void __attribute__((noreturn)) enter_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name> [--] <command> "
		"[<argument>...]\n", vctx_cmd);
	fputs("\nMove into an existing context and run a command there.\n",
	      out);
	fputs("Context 1 makes the command a spectator of every context.\n",
	      out);
	fputs("The command joins the cgroup of the context, if it has one.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/*
 * Join the cgroup of context xid, if it has one, so that the command is
 * limited as the context is.  Only from the host: a process in a context
 * cannot write to cgroupfs, and stays in the cgroup it is in.
 */
static void join_cgroup(uint32_t xid)
{
	int exists;

	if (xid < VX_XID_MIN)
		return;
	exists = cgroup_exists(xid);
	if (exists < 0)
		err(VS_EXIT_FAILURE, "cannot %s", cgroup_what());
	/* When the caller's xid is unknown, entering fails and says why */
	if (!exists || vs_task_xid(0) != VX_XID_HOST)
		return;
	if (cgroup_move(xid, getpid()) != 0)
		err(VS_EXIT_FAILURE, "cannot %s", cgroup_what());
}

int vctx_enter(int argc, char **argv)
{
	static const char optstring[] = "+:h";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *target;
	uint32_t xid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			enter_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind >= argc)
		usage_error(vctx_cmd, "no context specified");
	target = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		usage_error(vctx_cmd, "no command specified");
	xid = context_arg(target, VX_XID_SPECTATOR, vctx_cmd);

	join_cgroup(xid);
	if (vs_ctx_migrate(xid, 0) < 0)
		die_context(xid, "enter context %u", xid);
	exec_command(argv + optind);
}
