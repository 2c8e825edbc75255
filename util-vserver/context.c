// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Naming, finding and reporting contexts; see context.h.
 */

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "common.h"
#include "context.h"

int parse_xid(const char *str, uint32_t min, uint32_t *xid)
{
	uint32_t val;

	if (parse_u32(str, 10, &val) != 0)
		return -1;
	if (val < min || val > VX_XID_MAX) {
		errno = ERANGE;
		return -1;
	}
	*xid = val;
	return 0;
}

bool looks_like_xid(const char *str)
{
	return *str == '\0' || isdigit((unsigned char)*str);
}

static int compare_xids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

size_t list_contexts(uint32_t **xids)
{
	uint32_t *ids = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir(PROC_VIRTUAL);
	if (!dir) {
		int saved = errno;

		/* Tell a kernel without vserver support apart */
		require_vserver();
		errno = saved;
		err(VS_EXIT_FAILURE, "cannot open %s", PROC_VIRTUAL);
	}
	while ((errno = 0, d = readdir(dir)) != NULL) {
		uint32_t xid;

		if (parse_xid(d->d_name, VX_XID_MIN, &xid) != 0)
			continue;	/* "info", "status", ... */
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			ids = reallocarray(ids, alloc, sizeof(*ids));
			if (!ids)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
		}
		ids[n++] = xid;
	}
	if (errno)
		err(VS_EXIT_FAILURE, "cannot read %s", PROC_VIRTUAL);
	closedir(dir);

	if (n)
		qsort(ids, n, sizeof(*ids), compare_xids);
	*xids = ids;
	return n;
}

int context_name(uint32_t xid, char *buf)
{
	if (vs_get_vhi_name(xid, VHIN_CONTEXT, buf, VHILEN) == 0)
		return 0;
	/* A kernel may also report a name never set as missing */
	if (errno == ENOENT || errno == ENODATA) {
		buf[0] = '\0';
		return 0;
	}
	return -1;
}

/* The xid of the one visible context named name; exits if there is none */
static uint32_t find_context(const char *name)
{
	uint32_t *xids, found = 0;
	char buf[VHILEN];
	size_t n, i;

	n = list_contexts(&xids);
	for (i = 0; i < n; i++) {
		if (context_name(xids[i], buf) != 0) {
			if (errno == ESRCH)
				continue;	/* gone meanwhile */
			die_context(xids[i], "read the name of context %u",
				    xids[i]);
		}
		if (strcmp(buf, name) != 0)
			continue;
		if (found)
			errx(VS_EXIT_FAILURE, "more than one context named "
			     "'%s': %u and %u", name, found, xids[i]);
		found = xids[i];
	}
	free(xids);
	if (!found)
		errx(VS_EXIT_FAILURE, "no context named '%s'", name);
	return found;
}

uint32_t context_arg(const char *arg, uint32_t min, const char *cmd)
{
	uint32_t xid;

	if (!looks_like_xid(arg))
		return find_context(arg);
	if (parse_xid(arg, min, &xid) != 0)
		usage_error(cmd, "invalid context id '%s'", arg);
	return xid;
}

uint32_t the_context_arg(int argc, char **argv, uint32_t min,
			 const char *cmd)
{
	if (optind >= argc)
		usage_error(cmd, "no context specified");
	if (optind + 1 < argc)
		usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	return context_arg(argv[optind], min, cmd);
}

void check_context_name(const char *name, const char *cmd)
{
	if (looks_like_xid(name))
		usage_error(cmd, "invalid context name '%s'", name);
	if (strlen(name) >= VHILEN)
		usage_error(cmd, "context name '%s' is longer than %d "
			    "characters", name, VHILEN - 1);
}

void check_name_length(const char *what, const char *value,
		       const char *cmd)
{
	if (strlen(value) >= VHILEN)
		usage_error(cmd, "%s '%s' is longer than %d bytes", what,
			    value, VHILEN - 1);
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/*
 * The timer interrupts the wait after seconds, and every 100ms after
 * that: should the first signal arrive between the check of timed_out
 * and the system call, the next one ends the wait.
 */
int context_wait(uint32_t xid, uint32_t seconds)
{
	struct itimerval it = {
		.it_value = { .tv_sec = seconds },
		.it_interval = { .tv_usec = 100000 },
	}, off = { 0 };
	struct vcmd_wait_exit_v0 status;
	struct sigaction sa, old;
	int ret = 0, saved;

	timed_out = 0;
	if (seconds) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;	/* no SA_RESTART */
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGALRM, &sa, &old) != 0)
			return -1;
		if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
			saved = errno;
			sigaction(SIGALRM, &old, NULL);
			errno = saved;
			return -1;
		}
	}
	while (vs_wait_exit(xid, &status) != 0) {
		if (errno != EINTR) {
			ret = -1;
			break;
		}
		if (timed_out) {
			ret = 1;
			break;
		}
	}
	if (seconds) {
		saved = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		sigaction(SIGALRM, &old, NULL);
		errno = saved;
	}
	return ret;
}

void die_context(uint32_t xid, const char *what, ...)
{
	int saved = errno;
	char *text;
	va_list ap;

	die_if_vserver_unavailable(saved);
	switch (saved) {
	case ESRCH:
		errx(VS_EXIT_FAILURE, "no context %u", xid);
	case EEXIST:
		errx(VS_EXIT_FAILURE, "context %u already exists", xid);
	case EBUSY:
		errx(VS_EXIT_FAILURE, "context %u is still being set up", xid);
	case EACCES:
		errx(VS_EXIT_FAILURE, "context %u is private", xid);
	case ENOSPC:
		errx(VS_EXIT_FAILURE, "no free context id");
	}

	va_start(ap, what);
	if (vasprintf(&text, what, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	if (saved == EPERM)
		errx(VS_EXIT_FAILURE, "permission denied: %s", text);
	if (saved == EOPNOTSUPP)
		errx(VS_EXIT_FAILURE, "cannot %s: this kernel does not "
		     "support it", text);
	errno = saved;
	err(VS_EXIT_FAILURE, "cannot %s", text);
}
