/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vserver - internal interface between the command dispatcher
 * (vserver.c) and the commands: vserver-build.c (build, delete) and
 * vserver-run.c (start, stop, restart, enter, exec).
 */

#ifndef VSERVER_UTILS_VSERVER_H
#define VSERVER_UTILS_VSERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <vserver.h>

#include "common.h"
#include "guestconf.h"

/* Exit codes besides those of common.h (0, 1, 126, 127) */
#define VSERVER_EXIT_TIMEOUT	VS_EXIT_TIMEOUT	/* 2: it did not stop */
#define VSERVER_EXIT_RUNNING	3	/* the guest is running */
#define VSERVER_EXIT_STOPPED	4	/* the guest is not running */

/*
 * The command line prefix of the running command, "vserver web start",
 * for "Try ... --help" lines; and its synopsis prefix for usage texts,
 * "vserver <name> start".  Set before a handler runs.
 */
extern const char *vserver_cmd;
extern const char *vserver_usage_cmd;

/*
 * Handlers of the commands on a guest.  argv[0] is the command word and
 * getopt is reset, so a handler parses its own options as main() would.
 * The return value is the exit status; handlers may also exit directly.
 */
int vserver_build(const char *name, int argc, char **argv);
int vserver_delete(const char *name, int argc, char **argv);
int vserver_enter(const char *name, int argc, char **argv);
int vserver_exec(const char *name, int argc, char **argv);
int vserver_log(const char *name, int argc, char **argv);
int vserver_restart(const char *name, int argc, char **argv);
int vserver_start(const char *name, int argc, char **argv);
int vserver_status(const char *name, int argc, char **argv);
int vserver_stop(const char *name, int argc, char **argv);

/*
 * load_guest - the parts (GUEST_CONF_*) of the configuration of guest
 * name into *c, or exit 1 with the reason.
 */
void load_guest(const char *name, unsigned int parts, struct guest_config *c);

/* What the kernel says about the context of a guest */
struct guest_state {
	bool running;		/* its context exists, under its name */
	bool foreign;		/* its xid is taken by another context */
	char other[VHILEN];	/* then that context's name ("" if none) */
	/* and that name as messages show it (see safe_string()) */
	char other_text[SAFE_STRING_SIZE(VHILEN)];
	uint32_t initpid;	/* when running: 0 when it has no init */
	uint32_t tasks;
};

/*
 * probe_guest - the state of the guest of c.  A kernel that runs no
 * vserver command (see vserver_unavailable()) runs no guest; other errors
 * exit.
 */
void probe_guest(const struct guest_config *c, struct guest_state *st);

/*
 * lock_guest - hold the lock of guest c until the process exits, so that
 * start, stop and delete of one guest do not run at the same time.
 * Returns the descriptor that holds it (close-on-exec).
 */
int lock_guest(const struct guest_config *c);

/*
 * run_path - <rundir>/<name>[/<file>], malloc'ed; exits when out of
 * memory.  The run directory of a running guest holds its xid, the pid
 * of its init, its start time (CLOCK_BOOTTIME seconds) and the pid of its
 * supervisor ("supervisor"), one file each.
 */
char *run_path(const char *name, const char *file);

/*
 * guest_log_path - the log of guest name, <logdir>/<name>.log, or the
 * one before it, <name>.log.1, if old; malloc'ed, exits when out of
 * memory.
 */
char *guest_log_path(const char *name, bool old);

/*
 * guest_supervisor - the pid of the supervisor of guest name, from its
 * run directory; 0 when it names none.
 */
pid_t guest_supervisor(const char *name);

/* remove_run_dir - remove the run directory of guest name, if any */
void remove_run_dir(const char *name);

/*
 * remove_tree - remove path and everything below it, without following
 * symbolic links and without crossing into another mount.  Returns 0, or
 * -1 after a warning that names what could not be removed.
 */
int remove_tree(const char *path);

/*
 * make_dirs - mkdir -p path; the directories it makes get mode.  Returns
 * 0, or -1 after a warning.
 */
int make_dirs(const char *path, mode_t mode);

/*
 * guest_environment - replace the environment with the one commands in a
 * guest get: PATH, HOME, SHELL, USER and LOGNAME of root; TERM is kept.
 */
void guest_environment(void);

/* The PATH inside a guest */
#define GUEST_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
			"/sbin:/bin"

#endif /* VSERVER_UTILS_VSERVER_H */
