// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vctx monitor - print the events of contexts as the kernel sends them,
 * one line each, until interrupted or until a number of them is printed.
 *
 * The groups, the events and the keys of an event's line each come from
 * one table: the groups drive --group and the usage text, the events say
 * which keys each one prints, and one function prints every key, as text
 * and as JSON.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <linux/reboot.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "rlimit.h"
#include "signame.h"
#include "vctx.h"

/* The multicast groups, in the order --help lists them */
static const struct event_group {
	const char *name;	/* --group */
	const char *what;	/* for --help */
} event_groups[] = {
	{ VS_GENL_MCGRP_LIFECYCLE,
	  "contexts created, set up, made persistent, rebooted, ended" },
	{ VS_GENL_MCGRP_LIMITS,
	  "charges refused at a hard limit, soft limits crossed" },
};

#define NR_EVENT_GROUPS	(sizeof(event_groups) / sizeof(event_groups[0]))

/* The keys after the event name, each from one attribute */
enum event_key {
	KEY_END,		/* ends a list of keys */
	KEY_PID,
	KEY_FLAGS,
	KEY_PERSISTENT,
	KEY_CMD,
	KEY_EXIT,		/* status= or signal= (or code=) */
	KEY_RESOURCE,
	KEY_USAGE,
	KEY_SOFT,
	KEY_HARD,
	KEY_HITS,
	KEY_DROPPED,
	NR_EVENT_KEYS,
};

/* The attribute each key shows; a key is left out without it */
static const int key_attr[NR_EVENT_KEYS] = {
	[KEY_PID]	 = VS_EVENT_A_PID,
	[KEY_FLAGS]	 = VS_EVENT_A_FLAGS,
	[KEY_PERSISTENT] = VS_EVENT_A_PERSISTENT,
	[KEY_CMD]	 = VS_EVENT_A_REBOOT_CMD,
	[KEY_EXIT]	 = VS_EVENT_A_EXIT_CODE,
	[KEY_RESOURCE]	 = VS_EVENT_A_RESOURCE,
	[KEY_USAGE]	 = VS_EVENT_A_USAGE,
	[KEY_SOFT]	 = VS_EVENT_A_SOFT,
	[KEY_HARD]	 = VS_EVENT_A_HARD,
	[KEY_HITS]	 = VS_EVENT_A_HITS,
	[KEY_DROPPED]	 = VS_EVENT_A_DROPPED,
};

#define MAX_EVENT_KEYS	6

/* The events: their names and their keys in the order printed */
static const struct event_kind {
	uint32_t type;
	const char *name;
	enum event_key keys[MAX_EVENT_KEYS + 1];
} event_kinds[] = {
	{ VS_EVENT_CREATED, "created", { KEY_PID, KEY_FLAGS } },
	{ VS_EVENT_SETUP_DONE, "setup-done", { KEY_FLAGS } },
	{ VS_EVENT_PERSISTENT, "persistent", { KEY_PERSISTENT, KEY_FLAGS } },
	{ VS_EVENT_REBOOT, "reboot", { KEY_CMD, KEY_PID } },
	{ VS_EVENT_ENDED, "ended", { KEY_EXIT, KEY_CMD } },
	{ VS_EVENT_LIMIT_REFUSED, "limit-refused",
	  { KEY_RESOURCE, KEY_USAGE, KEY_SOFT, KEY_HARD, KEY_HITS,
	    KEY_DROPPED } },
	{ VS_EVENT_LIMIT_SOFT, "limit-soft",
	  { KEY_RESOURCE, KEY_USAGE, KEY_SOFT, KEY_HARD, KEY_HITS,
	    KEY_DROPPED } },
};

#define NR_EVENT_KINDS	(sizeof(event_kinds) / sizeof(event_kinds[0]))

/* The reboot(2) commands by name: cmd= */
static const struct {
	uint32_t cmd;
	const char *name;
} reboot_cmds[] = {
	{ 0, "none" },
	{ LINUX_REBOOT_CMD_RESTART, "restart" },
	{ LINUX_REBOOT_CMD_RESTART2, "restart2" },
	{ LINUX_REBOOT_CMD_HALT, "halt" },
	{ LINUX_REBOOT_CMD_POWER_OFF, "power-off" },
};

/* Room for "0x" and 8 hex digits, or a decimal u32, with the NUL */
#define NAME_BUF_SIZE	16

struct monitor_opts {
	bool json;
	unsigned int groups;	/* bit i: event_groups[i]; 0: all */
	uint32_t *xids;		/* only these; none: every context */
	size_t nxids;
	uint32_t count;		/* exit after this many; 0: never */
};

static void __attribute__((noreturn)) monitor_usage(void)
{
	FILE *out = stdout;
	int width = 0;
	size_t i;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]\n", vctx_cmd);
	fputs("\nPrint the events of contexts as they happen, one line each."
	      "\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -x, --xid <xid>      only the events of this context "
	      "(repeatable)\n", out);
	fputs(" -g, --group <group>  only the events of this group "
	      "(repeatable)\n", out);
	fputs(" -n, --count <n>      exit after printing <n> events\n", out);
	fputs(" -J, --json           print one JSON object per line\n", out);
	fputs("\n -h, --help           display this help\n", out);

	for (i = 0; i < NR_EVENT_GROUPS; i++) {
		int len = (int)strlen(event_groups[i].name);

		if (len > width)
			width = len;
	}
	fputs("\nGroups (default: all):\n", out);
	for (i = 0; i < NR_EVENT_GROUPS; i++)
		fprintf(out, " %-*s  %s\n", width, event_groups[i].name,
			event_groups[i].what);
	fputs(VS_USAGE_MAN_TAIL("vctx(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

static void group_arg(struct monitor_opts *o, const char *arg)
{
	size_t i;

	for (i = 0; i < NR_EVENT_GROUPS; i++) {
		if (strcmp(event_groups[i].name, arg) == 0) {
			o->groups |= 1u << i;
			return;
		}
	}
	usage_error(vctx_cmd, "unknown group '%s'", arg);
}

static void xid_arg(struct monitor_opts *o, const char *arg)
{
	uint32_t xid;

	if (parse_xid(arg, VX_XID_MIN, &xid) != 0)
		usage_error(vctx_cmd, "invalid context id '%s'", arg);
	o->xids = reallocarray(o->xids, o->nxids + 1, sizeof(*o->xids));
	if (!o->xids)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	o->xids[o->nxids++] = xid;
}

static void parse_monitor_opts(int argc, char **argv, struct monitor_opts *o)
{
	static const char optstring[] = ":x:g:n:Jh";
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL,	'x' },
		{ "group",	required_argument,	NULL,	'g' },
		{ "count",	required_argument,	NULL,	'n' },
		{ "json",	no_argument,		NULL,	'J' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			xid_arg(o, optarg);
			break;
		case 'g':
			group_arg(o, optarg);
			break;
		case 'n':
			if (parse_u32(optarg, 10, &o->count) != 0 ||
			    o->count == 0)
				usage_error(vctx_cmd, "invalid count '%s'",
					    optarg);
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			monitor_usage();
		default:
			getopt_error(c, argv, optstring, vctx_cmd);
		}
	}
	if (optind < argc)
		usage_error(vctx_cmd, "unexpected argument '%s'", argv[optind]);
	if (!o->groups)
		o->groups = (1u << NR_EVENT_GROUPS) - 1;
}

/* The event of type, or NULL for a type newer than this table */
static const struct event_kind *find_kind(uint32_t type)
{
	size_t i;

	for (i = 0; i < NR_EVENT_KINDS; i++)
		if (event_kinds[i].type == type)
			return &event_kinds[i];
	return NULL;
}

static const char *reboot_name(uint32_t cmd, char buf[NAME_BUF_SIZE])
{
	size_t i;

	for (i = 0; i < sizeof(reboot_cmds) / sizeof(reboot_cmds[0]); i++)
		if (reboot_cmds[i].cmd == cmd)
			return reboot_cmds[i].name;
	snprintf(buf, NAME_BUF_SIZE, "0x%x", cmd);
	return buf;
}

/* The name vlimit gives limit id, or the id in decimal */
static const char *resource_name(uint32_t id, char buf[NAME_BUF_SIZE])
{
	size_t i;

	for (i = 0; i < nr_rlimit_resources; i++)
		if (rlimit_resources[i].kind == RLIMIT_KIND_KERNEL &&
		    rlimit_resources[i].id == id)
			return rlimit_resources[i].name;
	snprintf(buf, NAME_BUF_SIZE, "%" PRIu32, id);
	return buf;
}

/* Start the key: " key=" in text, the member "key": in JSON */
static void put_key(const char *key, bool json, bool *first)
{
	if (json)
		json_key(stdout, first, key);
	else
		printf(" %s=", key);
}

/* A string value: bare in text, quoted in JSON */
static void put_string(const char *key, const char *value, bool json,
		       bool *first)
{
	put_key(key, json, first);
	if (json)
		json_print_string(stdout, value);
	else
		fputs(value, stdout);
}

static void put_u64(const char *key, uint64_t value, bool json, bool *first)
{
	put_key(key, json, first);
	printf("%" PRIu64, value);
}

/* A limit: "inf" in text and null in JSON for none */
static void put_limit(const char *key, uint64_t value, bool json,
		      bool *first)
{
	put_key(key, json, first);
	if (value == CRLIM_INFINITY)
		fputs(json ? "null" : "inf", stdout);
	else
		printf("%" PRIu64, value);
}

/*
 * The wait status of the context's last task: "status" for an exit,
 * "signal" for a task killed by a signal, else "code" with the raw status.
 */
static void put_exit(int32_t code, bool json, bool *first)
{
	int status = code;
	char buf[NAME_BUF_SIZE];
	const char *name;

	if (WIFEXITED(status)) {
		put_u64("status", (uint64_t)WEXITSTATUS(status), json, first);
	} else if (WIFSIGNALED(status)) {
		name = signal_name(WTERMSIG(status));
		if (!name) {
			snprintf(buf, sizeof(buf), "%d", WTERMSIG(status));
			name = buf;
		}
		put_string("signal", name, json, first);
	} else {
		put_key("code", json, first);
		printf(json ? "%" PRIu32 : "0x%" PRIx32, (uint32_t)code);
	}
}

static void put_event_key(enum event_key k, const struct vs_event_info *ev,
			  bool json, bool *first)
{
	char buf[NAME_BUF_SIZE];

	switch (k) {
	case KEY_PID:
		put_u64("pid", ev->pid, json, first);
		break;
	case KEY_FLAGS:
		put_key("flags", json, first);
		printf(json ? "%" PRIu64 : "0x%" PRIx64, ev->flags);
		break;
	case KEY_PERSISTENT:
		put_key("persistent", json, first);
		if (json)
			fputs(ev->persistent ? "true" : "false", stdout);
		else
			fputs(ev->persistent ? "yes" : "no", stdout);
		break;
	case KEY_CMD:
		put_string("cmd", reboot_name(ev->reboot_cmd, buf), json,
			   first);
		break;
	case KEY_EXIT:
		put_exit(ev->exit_code, json, first);
		break;
	case KEY_RESOURCE:
		put_string("resource", resource_name(ev->resource, buf),
			   json, first);
		break;
	case KEY_USAGE:
		put_u64("usage", ev->usage, json, first);
		break;
	case KEY_SOFT:
		put_limit("soft", ev->soft, json, first);
		break;
	case KEY_HARD:
		put_limit("hard", ev->hard, json, first);
		break;
	case KEY_HITS:
		put_u64("hits", ev->hits, json, first);
		break;
	case KEY_DROPPED:
		put_u64("dropped", ev->dropped, json, first);
		break;
	case KEY_END:
	case NR_EVENT_KEYS:
		break;
	}
}

/*
 * One line: "TIME XID EVENT key=value..." or a JSON object.  An event of
 * a type newer than the table is "event-N", with every key it has.
 */
static void print_event(const struct vs_event_info *ev, bool json)
{
	const struct event_kind *kind = find_kind(ev->type);
	char name[NAME_BUF_SIZE + 8];
	uint64_t sec = ev->time_ns / 1000000000;
	uint64_t usec = ev->time_ns % 1000000000 / 1000;
	bool first = true;
	int k;

	if (kind)
		snprintf(name, sizeof(name), "%s", kind->name);
	else
		snprintf(name, sizeof(name), "event-%" PRIu32, ev->type);

	if (json) {
		putchar('{');
		json_key(stdout, &first, "time");
		printf("%" PRIu64 ".%06" PRIu64, sec, usec);
		json_key(stdout, &first, "xid");
		printf("%" PRIu32, ev->xid);
		json_key(stdout, &first, "event");
		json_print_string(stdout, name);
	} else {
		printf("%" PRIu64 ".%06" PRIu64 " %" PRIu32 " %s", sec, usec,
		       ev->xid, name);
	}
	if (kind) {
		for (k = 0; k < MAX_EVENT_KEYS && kind->keys[k] != KEY_END;
		     k++)
			if (VS_EVENT_PRESENT(ev, key_attr[kind->keys[k]]))
				put_event_key(kind->keys[k], ev, json, &first);
	} else {
		for (k = KEY_END + 1; k < NR_EVENT_KEYS; k++)
			if (VS_EVENT_PRESENT(ev, key_attr[k]))
				put_event_key(k, ev, json, &first);
	}
	fputs(json ? "}\n" : "\n", stdout);
	/* Whoever reads the pipe sees each event as it comes */
	if (fflush(stdout) != 0)
		exit(VS_EXIT_FAILURE);	/* close_stdout() says why */
}

static bool wanted(const struct monitor_opts *o, uint32_t xid)
{
	size_t i;

	if (!o->nxids)
		return true;
	for (i = 0; i < o->nxids; i++)
		if (o->xids[i] == xid)
			return true;
	return false;
}

/* The monitor with the chosen groups joined; exits on failure */
static struct vs_event_monitor *open_monitor(const struct monitor_opts *o)
{
	struct vs_event_monitor *mon;
	int xid;
	size_t i;

	/* The kernel sends nothing to a socket made inside a context */
	xid = vs_task_xid(0);
	if (xid >= VX_XID_MIN)
		errx(VS_EXIT_FAILURE, "cannot monitor events from inside "
		     "context %d: only the host receives them", xid);

	if (vs_event_open(&mon) != 0) {
		if (errno != ENOENT)
			err(VS_EXIT_FAILURE, "cannot open a generic netlink "
			    "socket");
		/* Tell a kernel without vserver support apart */
		require_vserver();
		errx(VS_EXIT_FAILURE, "the running kernel has no vserver "
		     "event family in this network namespace");
	}
	for (i = 0; i < NR_EVENT_GROUPS; i++) {
		const char *group = event_groups[i].name;

		if (!(o->groups & (1u << i)) ||
		    vs_event_subscribe(mon, group) == 0)
			continue;
		if (errno == EPERM || errno == EACCES)
			errx(VS_EXIT_FAILURE, "permission denied: only root in "
			     "the host may monitor events");
		if (errno == ENOENT)
			errx(VS_EXIT_FAILURE, "the running kernel has no "
			     "vserver event group '%s'", group);
		err(VS_EXIT_FAILURE, "cannot join the event group '%s'",
		    group);
	}
	return mon;
}

/*
 * Print the events waiting on mon, as far as o wants them.  Returns true
 * once o->count events are printed.
 */
static bool drain(struct vs_event_monitor *mon, const struct monitor_opts *o,
		  uint32_t *printed)
{
	struct vs_event_info ev;

	for (;;) {
		if (vs_event_recv(mon, &ev) != 0) {
			switch (errno) {
			case EAGAIN:
				return false;
			case EINTR:
				continue;
			case ENOBUFS:
				warnx("events were lost: they came faster "
				      "than they were read");
				continue;
			case EBADMSG:
			case EMSGSIZE:
				warn("skipped an event that could not be read");
				continue;
			}
			err(VS_EXIT_FAILURE, "cannot receive events");
		}
		if (!wanted(o, ev.xid))
			continue;
		print_event(&ev, o->json);
		if (o->count && ++*printed == o->count)
			return true;
	}
}

int vctx_monitor(int argc, char **argv)
{
	struct monitor_opts o = { 0 };
	struct vs_event_monitor *mon;
	struct pollfd pfd[2];
	uint32_t printed = 0;
	sigset_t stop;
	int fd, flags;

	parse_monitor_opts(argc, argv, &o);
	mon = open_monitor(&o);

	/* SIGINT and SIGTERM end the loop below, through a descriptor */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0)
		err(VS_EXIT_FAILURE, "cannot block SIGINT and SIGTERM");
	pfd[1].fd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (pfd[1].fd < 0)
		err(VS_EXIT_FAILURE, "cannot make a signalfd");
	pfd[1].events = POLLIN;

	/* Read until none is waiting, then poll */
	fd = vs_event_fd(mon);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
		err(VS_EXIT_FAILURE, "cannot make the event socket "
		    "non-blocking");
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(VS_EXIT_FAILURE, "cannot wait for events");
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents && drain(mon, &o, &printed))
			break;
	}
	vs_event_close(mon);
	free(o.xids);
	return VS_EXIT_SUCCESS;
}
