// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx kill - send a signal to the processes of a context.
 * vctx wait - wait until a context is gone.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "signame.h"
#include "vctx.h"

static void __attribute__((noreturn)) kill_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>\n", vctx_cmd);
	fputs("\nSend a signal to the processes of a context.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -s, --signal <signal>  the signal, by name or number "
	      "(default: TERM)\n", out);
	fputs(" -p, --pid <pid>        0: every process (default), -1: all "
	      "but init,\n", out);
	fputs("                        1: the init, else that process\n",
	      out);
	fputs("\n -h, --help             display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/* -1, or a number 0..INT32_MAX */
static int parse_pid(const char *str, int *pid)
{
	uint32_t val;

	if (strcmp(str, "-1") == 0) {
		*pid = -1;
		return 0;
	}
	if (parse_u32(str, 10, &val) != 0 || val > INT32_MAX)
		return -1;
	*pid = (int)val;
	return 0;
}

/* The kernel found nothing to signal: say what was missing */
static void __attribute__((noreturn)) no_target(uint32_t xid, int pid)
{
	struct vcmd_vx_info_v0 info;

	if (pid == 0 || vs_vx_info(xid, &info) != 0)
		errx(VS_EXIT_FAILURE, "no context %u", xid);
	if (pid == -1)
		errx(VS_EXIT_FAILURE, "no process but init in context %u",
		     xid);
	if (pid == 1)
		errx(VS_EXIT_FAILURE, "context %u has no init", xid);
	errx(VS_EXIT_FAILURE, "no process %d in context %u", pid, xid);
}

int vctx_kill(int argc, char **argv)
{
	static const char optstring[] = ":s:p:h";
	static const struct option longopts[] = {
		{ "signal",	required_argument,	NULL,	's' },
		{ "pid",	required_argument,	NULL,	'p' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	int sig = SIGTERM, pid = 0;
	uint32_t xid;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			sig = parse_signal(optarg);
			if (sig < 0)
				usage_error(vctx_cmd, "invalid signal '%s'",
					    optarg);
			break;
		case 'p':
			if (parse_pid(optarg, &pid) != 0)
				usage_error(vctx_cmd, "invalid pid '%s'",
					    optarg);
			break;
		case 'h':
			kill_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	xid = the_context_arg(argc, argv, VX_XID_MIN, vctx_cmd);

	if (vs_ctx_kill(xid, pid, sig) != 0) {
		if (errno == ESRCH)
			no_target(xid, pid);
		die_context(xid, "signal context %u", xid);
	}
	return VS_EXIT_SUCCESS;
}

static void __attribute__((noreturn)) wait_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <xid>|<name>\n", vctx_cmd);
	fputs("\nWait until a context is gone.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -t, --timeout <seconds>  give up after this long "
	      "(exit status 2)\n", out);
	fputs("\n -h, --help               display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vctx_wait(int argc, char **argv)
{
	static const char optstring[] = ":t:h";
	static const struct option longopts[] = {
		{ "timeout",	required_argument,	NULL,	't' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	uint32_t xid, timeout = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_u32(optarg, 10, &timeout) != 0 ||
			    timeout > INT32_MAX)
				usage_error(vctx_cmd, "invalid timeout '%s'",
					    optarg);
			break;
		case 'h':
			wait_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	xid = the_context_arg(argc, argv, VX_XID_MIN, vctx_cmd);

	ret = context_wait(xid, timeout);
	if (ret < 0)
		die_context(xid, "wait for context %u", xid);
	if (ret > 0)
		errx(VS_EXIT_TIMEOUT, "timed out waiting for context %u", xid);
	return VS_EXIT_SUCCESS;
}
