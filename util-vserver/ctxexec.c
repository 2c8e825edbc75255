// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Making a new context, joining one, running a program there; see
 * ctxexec.h.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vserver.h>

#include "caps.h"
#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "ctxcaps.h"
#include "ctxexec.h"
#include "ctxlimit.h"

void ctxexec_exec(char **argv)
{
	execvp(argv[0], argv);
	err(errno == ENOENT ? VS_EXIT_NOT_FOUND : VS_EXIT_CANNOT_EXEC,
	    "failed to execute %s", argv[0]);
}

void ctxexec_check(const struct ctx_spec *s)
{
	if (s->nlimits)
		ctxlimit_check_new(s->limits, s->nlimits);
}

/*
 * The helper reads the xid from a pipe, creates the cgroup with the
 * memory limits, moves the caller (the only process of the context) into
 * it, and exits 0; or it says why it could not, and exits 1.  A closed
 * pipe without an xid means no context was made.
 */
void ctxexec_prepare(struct ctx_binder *b, const struct ctx_spec *s)
{
	pid_t caller = getpid();
	uint32_t xid;
	int pipefd[2];
	ssize_t len;

	b->pid = 0;
	b->fd = -1;
	if (!ctxlimit_have(s->limits, s->nlimits, RLIMIT_KIND_CGROUP))
		return;
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
	/* The caller may no longer see the host's cgroups: see below */
	cgroup_remove(xid);
	ctxlimit_apply(xid, s->limits, s->nlimits,
		       CTXLIMIT_KIND(RLIMIT_KIND_CGROUP), caller);
	exit(VS_EXIT_SUCCESS);
}

/* Let the helper bind context xid, and wait until it has */
static void finish_binder(struct ctx_binder *b, uint32_t xid)
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

uint32_t ctxexec_create(struct ctx_binder *b, const struct ctx_spec *s)
{
	uint32_t xid = s->xid, field;
	int ret;

	ret = vs_ctx_create(xid, s->flagword);
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
	if (b->pid)
		finish_binder(b, xid);
	ctxlimit_apply(xid, s->limits, s->nlimits,
		       CTXLIMIT_KIND(RLIMIT_KIND_KERNEL), 0);

	/* The names first, then the ccaps; the ceiling comes last */
	if (s->name && vs_set_vhi_name(xid, VHIN_CONTEXT, s->name) != 0)
		die_context(xid, "name context %u", xid);
	for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++)
		if (s->uts[field] &&
		    vs_set_vhi_name(xid, field, s->uts[field]) != 0)
			die_context(xid, field == VHIN_NODENAME ?
				    "set the host name of context %u" :
				    "set the names of context %u", xid);
	if (s->ccaps[0] | s->ccaps[1])
		set_capword(xid, &ctx_capwords[CAPWORD_CCAPS], s->ccaps[0],
			    s->ccaps[1]);
	return xid;
}

void ctxexec_set_ceiling(uint32_t xid, const struct ctx_spec *s)
{
	uint64_t set = s->bcaps[0], clear = s->bcaps[1];

	if (s->secure) {
		/* Exactly the preset, then what is added or removed */
		set |= bcaps_secure & ~clear;
		clear = ~set;
	}
	if (set | clear)
		set_capword(xid, &ctx_capwords[CAPWORD_BCAPS], set, clear);
}

void ctxexec_end_setup(uint32_t xid)
{
	if (vs_set_cflags(xid, 0, VXF_STATE_INIT) != 0)
		die_context(xid, "become init of context %u", xid);
	if (vs_set_cflags(xid, 0, VXF_STATE_SETUP) != 0)
		die_context(xid, "end the setup of context %u", xid);
}

void ctxexec_join_cgroup(uint32_t xid)
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
