// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vserver - manage guests: whole systems, each with its root directory,
 * its init and its own vserver context, started and stopped as one
 * unit.
 *
 * The command dispatcher, the commands that only look (list, status),
 * and the helpers the commands share.
 */

#include <dirent.h>
#include <assert.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vserver.h>

#include "cgroup.h"
#include "common.h"
#include "context.h"
#include "guestconf.h"
#include "netlink.h"
#include "rlimit.h"
#include "vserver.h"

struct vserver_command {
	const char *name;
	int (*run)(const char *name, int argc, char **argv);
	const char *summary;
};

static int vserver_list(const char *name, int argc, char **argv);

/* "list" is the one command without a guest */
static const struct vserver_command commands[] = {
	{ "build", vserver_build,
	  "make a new guest: its configuration and its root directory" },
	{ "start", vserver_start,
	  "start the guest's init in a new context" },
	{ "stop", vserver_stop,
	  "stop the guest and every process in it" },
	{ "restart", vserver_restart,
	  "stop the guest if it is running, then start it" },
	{ "enter", vserver_enter,
	  "run a shell inside the guest" },
	{ "exec", vserver_exec,
	  "run a command inside the guest" },
	{ "status", vserver_status,
	  "show whether the guest is running, and its context" },
	{ "log", vserver_log,
	  "show the output of the guest's init and its supervisor" },
	{ "delete", vserver_delete,
	  "remove a stopped guest: its configuration and its root" },
	{ "list", vserver_list,
	  "list the guests and their states" },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

const char *vserver_cmd;
const char *vserver_usage_cmd;

static void __attribute__((noreturn)) usage(void)
{
	const char *prog = program_invocation_short_name;
	FILE *out = stdout;
	size_t i;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options] <name> <command> [<args>]\n", prog);
	fprintf(out, " %s [options] list [<args>]\n", prog);
	fputs("\nManage guests: systems with a root directory, an init and a "
	      "vserver context\nof their own, started and stopped as one "
	      "unit.\n", out);
	fputs("\nCommands:\n", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, " %-7s  %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(" -V, --version  display version\n", out);
	fputs("\nExit status:\n", out);
	fputs("   0  success\n", out);
	fputs("   1  failure, bad usage or a broken configuration\n", out);
	fputs("   2  the guest did not stop in time, even after SIGKILL\n",
	      out);
	fputs("   3  the guest is running (start, delete, build --force)\n",
	      out);
	fputs("   4  the guest is not running (stop, enter, exec)\n", out);
	fputs(" 126  the command or the init could not be run\n", out);
	fputs(" 127  the command or the init was not found\n", out);
	fputs("\nEnvironment:\n", out);
	fputs(" VSERVER_CONFDIR  the configurations (default: "
	      "/etc/vservers)\n", out);
	fputs(" VSERVER_ROOTDIR  the root directories (default: "
	      "/vservers)\n", out);
	fputs(" VSERVER_RUNDIR   the state of running guests (default: "
	      "/run/vservers)\n", out);
	fputs(" VSERVER_LOGDIR   the logs of the guests (default: "
	      "/var/log/vservers)\n", out);
	fputs(VS_USAGE_MAN_TAIL("vserver(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

static const struct vserver_command *find_command(const char *word)
{
	static_assert(offsetof(struct vserver_command, name) == 0,
		      "find_named() needs the name first");
	return find_named(commands, NR_COMMANDS, sizeof(commands[0]), word);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* Set vserver_cmd and vserver_usage_cmd for command cmd of guest name */
static void set_cmd(const char *name, const struct vserver_command *cmd)
{
	const char *prog = program_invocation_short_name;
	char *line, *synopsis;
	int n;

	if (name)
		n = asprintf(&line, "%s %s %s", prog, name, cmd->name);
	else
		n = asprintf(&line, "%s %s", prog, cmd->name);
	if (n < 0 || asprintf(&synopsis, "%s%s %s", prog,
			      name ? " <name>" : "", cmd->name) < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	vserver_cmd = line;
	vserver_usage_cmd = synopsis;
}

int main(int argc, char **argv)
{
	/* '+': stop at the first word, the rest is the command's */
	static const char optstring[] = "+:hV";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *prog = program_invocation_short_name;
	const struct vserver_command *cmd;
	const char *name;
	int c;

	close_stdout_atexit();

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			getopt_error(c, argv, optstring, prog);
		}
	}
	if (optind >= argc)
		usage_error(prog, "no guest specified");

	name = argv[optind];
	cmd = find_command(name);
	if (cmd && cmd->run == vserver_list) {
		set_cmd(NULL, cmd);
		name = NULL;
	} else if (cmd) {
		/* "vserver start --help" asks for the help of start */
		set_cmd("<name>", cmd);
		if (optind + 1 < argc && is_help(argv[optind + 1]))
			name = NULL;
		else
			usage_error(prog, "no guest specified before '%s'",
				    cmd->name);
	} else {
		if (++optind >= argc)
			usage_error(prog, "no command specified for guest "
				    "'%s'", name);
		cmd = find_command(argv[optind]);
		if (cmd && cmd->run == vserver_list)
			usage_error(prog, "list takes no guest name");
		if (!cmd)
			usage_error(prog, "unknown command '%s'",
				    argv[optind]);
		set_cmd(name, cmd);
	}

	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: restart scanning, skipping argv[0] */
	return cmd->run(name, argc, argv);
}

void load_guest(const char *name, unsigned int parts, struct guest_config *c)
{
	char msg[PATH_MAX + 256];

	if (guest_dirs_check(msg, sizeof(msg)) != 0 ||
	    guest_config_load(guest_dir(GUEST_CONFDIR), name, parts, c, msg,
			      sizeof(msg)) != 0)
		errx(VS_EXIT_FAILURE, "%s", msg);
}

void probe_guest(const struct guest_config *c, struct guest_state *st)
{
	struct vcmd_vx_info_v0 info;
	struct vcmd_ctx_stat_v0 stat;

	memset(st, 0, sizeof(*st));
	if (vs_vx_info(c->xid, &info) != 0) {
		if (errno == ESRCH || vserver_unavailable(errno))
			return;
		die_context(c->xid, "read context %u", c->xid);
	}
	if (context_name(c->xid, st->other) != 0 ||
	    vs_ctx_stat(c->xid, &stat) != 0) {
		if (errno == ESRCH)
			return;		/* gone meanwhile */
		die_context(c->xid, "read context %u", c->xid);
	}
	if (strcmp(st->other, c->ctxname) != 0) {
		st->foreign = true;
		safe_string(st->other, st->other_text, sizeof(st->other_text),
			    NULL);
		return;
	}
	st->running = true;
	st->initpid = info.initpid;
	st->tasks = stat.tasks;
}

int lock_guest(const struct guest_config *c)
{
	int fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		err(VS_EXIT_FAILURE, "cannot open %s", c->dir);
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR)
			err(VS_EXIT_FAILURE, "cannot lock %s", c->dir);
	return fd;
}

char *run_path(const char *name, const char *file)
{
	char *path;
	int n;

	if (file)
		n = asprintf(&path, "%s/%s/%s", guest_dir(GUEST_RUNDIR), name,
			     file);
	else
		n = asprintf(&path, "%s/%s", guest_dir(GUEST_RUNDIR), name);
	if (n < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	return path;
}

char *guest_log_path(const char *name, bool old)
{
	char *path;

	if (asprintf(&path, "%s/%s.log%s", guest_dir(GUEST_LOGDIR), name,
		     old ? ".1" : "") < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	return path;
}

pid_t guest_supervisor(const char *name)
{
	char *path = run_path(name, "supervisor"), *value;
	uint32_t pid = 0;

	if (guest_read_value(path, &value) == 0) {
		if (parse_u32(value, 10, &pid) != 0 || pid > INT_MAX)
			pid = 0;
		free(value);
	}
	free(path);
	return (pid_t)pid;
}

void remove_run_dir(const char *name)
{
	char *dir = run_path(name, NULL);

	if (access(dir, F_OK) == 0)
		remove_tree(dir);
	free(dir);
}

void guest_environment(void)
{
	const char *term = getenv("TERM");
	char *saved = term ? strdup(term) : NULL;

	if (clearenv() != 0 ||
	    setenv("PATH", GUEST_PATH, 1) != 0 ||
	    setenv("HOME", "/root", 1) != 0 ||
	    setenv("SHELL", "/bin/sh", 1) != 0 ||
	    setenv("USER", "root", 1) != 0 ||
	    setenv("LOGNAME", "root", 1) != 0 ||
	    (saved && setenv("TERM", saved, 1) != 0))
		err(VS_EXIT_FAILURE, "cannot set up the environment");
	free(saved);
}

/* The state word of output */
static const char *state_word(const struct guest_state *st)
{
	return st->running ? "running" : "stopped";
}

/*
 * The options of list and status, which take no argument: what for
 * --help, and headings for whether -n applies.
 */
static void parse_show_opts(int argc, char **argv, struct listing_opts *o,
			    bool headings, const char *what)
{
	const struct listing_help help = {
		.cmd = vserver_cmd,
		.synopsis = vserver_usage_cmd,
		.args = "",
		.what = what,
		.manpage = "vserver(8)",
		.headings = headings,
	};
	int first = parse_listing(argc, argv, o, &help);

	if (first < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[first]);
}

/* One row of "vserver list" */
struct list_row {
	char *name;
	bool valid;
	uint32_t xid;
	struct guest_state st;
	char error[PATH_MAX + 256];
	/* Its network, when its configuration can be read */
	bool net_valid;
	long nid;		/* -1: none */
	char **addrs;		/* "A/P", NULL-terminated */
};

/*
 * The nid of guest c in state st: that of its init when it is running
 * (-1 when the kernel cannot tell, or it is in the host's network), else
 * the configured one (-1 without a network context).
 */
static long guest_nid(const struct guest_config *c,
		      const struct guest_state *st)
{
	int nid;

	if (!st->running)
		return guest_has_net(c) ? (long)c->nid : -1;
	if (!st->initpid)
		return -1;
	nid = vs_task_nid((pid_t)st->initpid);
	return nid > VX_NID_WATCH ? nid : -1;
}

/* An address of a guest as text, "A/P", in buf */
static const char *iface_text(const struct guest_iface *f, char *buf,
			      size_t len)
{
	if (vs_net_format_addr(&f->addr, buf, len) != 0)
		snprintf(buf, len, "?");
	return buf;
}

/* The network of the guest of row: nid and addresses, or why not */
static void read_row_net(const char *confdir, const char *name,
			 struct list_row *row)
{
	char text[INET6_ADDRSTRLEN + 8];
	struct guest_config c;
	size_t i;

	row->nid = -1;
	if (guest_config_load(confdir, name, GUEST_CONF_NET, &c, row->error,
			      sizeof(row->error)) != 0)
		return;
	row->net_valid = true;
	row->nid = guest_nid(&c, &row->st);
	row->addrs = calloc(c.nifaces + 1, sizeof(*row->addrs));
	if (!row->addrs)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < c.nifaces; i++) {
		row->addrs[i] = strdup(iface_text(&c.ifaces[i], text,
						  sizeof(text)));
		if (!row->addrs[i])
			err(VS_EXIT_FAILURE, "cannot allocate memory");
	}
	guest_config_free(&c);
}

static int compare_rows(const void *a, const void *b)
{
	return strcmp(((const struct list_row *)a)->name,
		      ((const struct list_row *)b)->name);
}

/* The guests below the configuration directory, sorted by name */
static size_t read_guests(struct list_row **rows)
{
	const char *confdir = guest_dir(GUEST_CONFDIR);
	struct list_row *list = NULL, *grown;
	size_t n = 0, alloc = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir(confdir);
	if (!dir) {
		if (errno == ENOENT) {
			*rows = NULL;
			return 0;
		}
		err(VS_EXIT_FAILURE, "cannot open %s", confdir);
	}
	while ((errno = 0, d = readdir(dir)) != NULL) {
		struct guest_config c;
		struct list_row *row;

		/* Whatever cannot be a guest's directory is not one */
		if (guest_name_check(d->d_name) ||
		    (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN &&
		     d->d_type != DT_LNK))
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			grown = reallocarray(list, alloc, sizeof(*list));
			if (!grown)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
			list = grown;
		}
		row = &list[n];
		memset(row, 0, sizeof(*row));
		row->nid = -1;
		if (guest_config_load(confdir, d->d_name, GUEST_CONF_IDENT, &c,
				      row->error, sizeof(row->error)) != 0) {
			struct stat st;
			char *path;

			/* A file that is not a directory is no guest */
			if (asprintf(&path, "%s/%s", confdir, d->d_name) < 0)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
			if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
				free(path);
				continue;
			}
			free(path);
		} else {
			row->valid = true;
			row->xid = c.xid;
			probe_guest(&c, &row->st);
			guest_config_free(&c);
			read_row_net(confdir, d->d_name, row);
		}
		row->name = strdup(d->d_name);
		if (!row->name)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		n++;
	}
	if (errno)
		err(VS_EXIT_FAILURE, "cannot read %s", confdir);
	closedir(dir);
	if (n)
		qsort(list, n, sizeof(*list), compare_rows);
	*rows = list;
	return n;
}

static int vserver_list(const char *name, int argc, char **argv)
{
	struct listing_opts o;
	struct list_row *rows;
	char msg[PATH_MAX + 256], text[SAFE_STRING_SIZE(GUEST_NAME_MAX)];
	size_t n, i, j, width = strlen("NAME"), w;

	(void)name;
	parse_show_opts(argc, argv, &o, true,
			"List the guests, with their states.");
	if (guest_dirs_check(msg, sizeof(msg)) != 0)
		errx(VS_EXIT_FAILURE, "%s", msg);
	n = read_guests(&rows);

	if (o.json) {
		fputs("{\"guests\":[", stdout);
		for (i = 0; i < n; i++) {
			const struct list_row *r = &rows[i];
			bool first = true;

			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &first, "name");
			json_print_string(stdout, r->name);
			json_key(stdout, &first, "xid");
			if (r->valid)
				printf("%u", r->xid);
			else
				fputs("null", stdout);
			json_key(stdout, &first, "state");
			json_print_string(stdout, r->valid ?
					  state_word(&r->st) : "invalid");
			json_key(stdout, &first, "tasks");
			if (r->st.running)
				printf("%u", r->st.tasks);
			else
				fputs("null", stdout);
			json_key(stdout, &first, "nid");
			if (r->nid >= 0)
				printf("%ld", r->nid);
			else
				fputs("null", stdout);
			json_key(stdout, &first, "addresses");
			if (r->net_valid) {
				putchar('[');
				for (j = 0; r->addrs[j]; j++) {
					if (j)
						putchar(',');
					json_print_string(stdout, r->addrs[j]);
				}
				putchar(']');
			} else {
				fputs("null", stdout);
			}
			if (!r->valid || !r->net_valid) {
				json_key(stdout, &first, "error");
				json_print_string(stdout, r->error);
			}
			putchar('}');
		}
		fputs("]}\n", stdout);
	} else {
		for (i = 0; i < n; i++) {
			safe_string(rows[i].name, text, sizeof(text), &w);
			if (w > width)
				width = w;
		}
		if (!o.noheadings)
			printf("%-*s   XID STATE   TASKS ADDRESSES\n",
			       (int)width, "NAME");
		for (i = 0; i < n; i++) {
			const struct list_row *r = &rows[i];
			char xid[16] = "-", tasks[16] = "-";

			if (r->valid)
				snprintf(xid, sizeof(xid), "%u", r->xid);
			if (r->st.running)
				snprintf(tasks, sizeof(tasks), "%u",
					 r->st.tasks);
			/* Padded by hand: printf() counts bytes */
			fputs(safe_string(r->name, text, sizeof(text), &w),
			      stdout);
			printf("%*s %5s %-7s %5s ", (int)(width - w), "", xid,
			       r->valid ? state_word(&r->st) : "invalid",
			       tasks);
			/* "?": its network configuration cannot be read */
			if (!r->net_valid)
				fputs(r->valid ? "?" : "-", stdout);
			else if (!r->addrs[0])
				fputs("-", stdout);
			for (j = 0; r->net_valid && r->addrs[j]; j++)
				printf("%s%s", j ? "," : "", r->addrs[j]);
			putchar('\n');
		}
	}
	for (i = 0; i < n; i++) {
		for (j = 0; rows[i].addrs && rows[i].addrs[j]; j++)
			free(rows[i].addrs[j]);
		free(rows[i].addrs);
		free(rows[i].name);
	}
	free(rows);
	return VS_EXIT_SUCCESS;
}

/* Seconds since the guest started, from its run directory; -1: unknown */
static long long guest_uptime(const char *name)
{
	char *path = run_path(name, "started"), *value;
	struct timespec now;
	long long started = -1;
	char *end;

	if (guest_read_value(path, &value) == 0) {
		errno = 0;
		started = strtoll(value, &end, 10);
		if (errno || *end || end == value || started < 0)
			started = -1;
		free(value);
	}
	free(path);
	if (started < 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0 ||
	    now.tv_sec < started)
		return -1;
	return (long long)now.tv_sec - started;
}

/* The limits status shows: the kernel's when running, else configured */
struct limit_row {
	const char *resource;
	uint64_t soft, hard;
	bool has_current;
	uint64_t current;
};

static void read_limit(const struct guest_config *c,
		       const struct guest_state *st,
		       const struct rlimit_setting *s, struct limit_row *row)
{
	struct vcmd_ctx_rlimit_v0 limit;
	struct vcmd_rlimit_stat_v0 stat;
	struct cgroup_memory m;

	row->resource = s->r->name;
	row->soft = s->soft;
	row->hard = s->hard;
	row->has_current = false;
	if (!st->running)
		return;
	if (s->r->kind == RLIMIT_KIND_CGROUP) {
		if (cgroup_exists(c->xid) <= 0 ||
		    cgroup_read_memory(c->xid, &m) != 0)
			return;
		row->soft = m.high;
		row->hard = m.max;
		row->current = m.current;
		row->has_current = true;
		return;
	}
	if (vs_get_rlimit(c->xid, s->r->id, &limit) != 0 ||
	    vs_rlimit_stat(c->xid, s->r->id, &stat) != 0)
		return;
	row->soft = limit.softlimit;
	row->hard = limit.maximum;
	row->current = stat.value;
	row->has_current = true;
}

static void json_limit(uint64_t value)
{
	if (value == CRLIM_INFINITY)
		fputs("null", stdout);
	else
		printf("%" PRIu64, value);
}

int vserver_status(const char *name, int argc, char **argv)
{
	struct listing_opts o;
	struct guest_state st;
	struct guest_config c;
	struct limit_row *rows;
	char host[VHILEN] = "";
	char addr[INET6_ADDRSTRLEN + 8];
	long long uptime = -1;
	char msg[PATH_MAX + 256];
	pid_t supervisor = 0;
	bool first = true;
	long nid;
	size_t i;

	parse_show_opts(argc, argv, &o, false,
			"Show whether a guest is running, its context, and "
			"its limits.");
	/* A file vserver does not read is worth a warning, not a failure */
	load_guest(name, GUEST_CONF_KNOWN, &c);
	if (guest_config_check_files(&c, msg, sizeof(msg)) != 0)
		warnx("warning: %s", msg);
	probe_guest(&c, &st);

	if (st.running) {
		uptime = guest_uptime(name);
		if (vs_get_vhi_name(c.xid, VHIN_NODENAME, host,
				    sizeof(host)) != 0)
			host[0] = '\0';
	} else {
		strcpy(host, c.uts[VHIN_NODENAME]);
	}
	/* The supervisor, if it is still there */
	if (st.running) {
		supervisor = guest_supervisor(name);
		if (supervisor && kill(supervisor, 0) != 0 && errno == ESRCH)
			supervisor = 0;
	}
	rows = calloc(c.nlimits ? c.nlimits : 1, sizeof(*rows));
	if (!rows)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < c.nlimits; i++)
		read_limit(&c, &st, &c.limits[i], &rows[i]);
	nid = guest_nid(&c, &st);

	if (o.json) {
		putchar('{');
		json_key(stdout, &first, "name");
		json_print_string(stdout, c.name);
		json_key(stdout, &first, "state");
		json_print_string(stdout, state_word(&st));
		json_key(stdout, &first, "xid");
		printf("%u", c.xid);
		json_key(stdout, &first, "nid");
		if (nid >= 0)
			printf("%ld", nid);
		else
			fputs("null", stdout);
		json_key(stdout, &first, "root");
		json_print_string(stdout, c.root);
		json_key(stdout, &first, "hostname");
		if (host[0])
			json_print_string(stdout, host);
		else
			fputs("null", stdout);
		json_key(stdout, &first, "initpid");
		if (st.running && st.initpid)
			printf("%u", st.initpid);
		else
			fputs("null", stdout);
		json_key(stdout, &first, "tasks");
		if (st.running)
			printf("%u", st.tasks);
		else
			fputs("null", stdout);
		/* Only while there is one: readers take no key as null */
		if (supervisor) {
			json_key(stdout, &first, "supervisor");
			printf("%d", (int)supervisor);
		}
		json_key(stdout, &first, "uptime");
		if (uptime >= 0)
			printf("%lld", uptime);
		else
			fputs("null", stdout);
		json_key(stdout, &first, "limits");
		putchar('[');
		for (i = 0; i < c.nlimits; i++) {
			bool f = true;

			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &f, "resource");
			json_print_string(stdout, rows[i].resource);
			json_key(stdout, &f, "soft");
			json_limit(rows[i].soft);
			json_key(stdout, &f, "hard");
			json_limit(rows[i].hard);
			json_key(stdout, &f, "current");
			if (rows[i].has_current)
				printf("%" PRIu64, rows[i].current);
			else
				fputs("null", stdout);
			putchar('}');
		}
		putchar(']');
		json_key(stdout, &first, "addresses");
		putchar('[');
		for (i = 0; i < c.nifaces; i++) {
			const struct guest_iface *f = &c.ifaces[i];
			bool fi = true;

			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &fi, "interface");
			json_print_string(stdout, f->name);
			json_key(stdout, &fi, "address");
			json_print_string(stdout, iface_text(f, addr,
							     sizeof(addr)));
			json_key(stdout, &fi, "dev");
			if (f->dev[0])
				json_print_string(stdout, f->dev);
			else
				fputs("null", stdout);
			putchar('}');
		}
		fputs("]}\n", stdout);
	} else {
		char text[SAFE_STRING_SIZE(VHILEN)];

		printf("name:      %s\n",
		       safe_string(c.name, text, sizeof(text), NULL));
		printf("state:     %s\n", state_word(&st));
		printf("xid:       %u\n", c.xid);
		if (nid >= 0)
			printf("nid:       %ld\n", nid);
		printf("root:      %s\n", c.root);
		printf("hostname:  %s\n", host[0] ?
		       safe_string(host, text, sizeof(text), NULL) : "-");
		if (st.running) {
			if (st.initpid)
				printf("initpid:   %u\n", st.initpid);
			else
				printf("initpid:   -\n");
			printf("tasks:     %u\n", st.tasks);
			if (supervisor)
				printf("supervisor: %d\n", (int)supervisor);
			else
				printf("supervisor: -\n");
			if (uptime >= 0)
				printf("uptime:    %lld:%02lld:%02lld\n",
				       uptime / 3600, uptime / 60 % 60,
				       uptime % 60);
		}
		for (i = 0; i < c.nifaces; i++) {
			printf("address:   %s",
			       iface_text(&c.ifaces[i], addr, sizeof(addr)));
			if (c.ifaces[i].dev[0])
				printf(" dev %s", c.ifaces[i].dev);
			putchar('\n');
		}
		for (i = 0; i < c.nlimits; i++) {
			char soft[LIM_VALUE_LEN], hard[LIM_VALUE_LEN];
			char cur[LIM_VALUE_LEN];

			printf("limit:     %s=%s:%s", rows[i].resource,
			       rlimit_format(rows[i].soft, soft),
			       rlimit_format(rows[i].hard, hard));
			if (rows[i].has_current)
				printf(" (current %s)",
				       rlimit_format(rows[i].current, cur));
			putchar('\n');
		}
	}
	free(rows);
	guest_config_free(&c);
	return VS_EXIT_SUCCESS;
}

/* log reads the files this much at a time, and shows text in runs */
#define LOG_READ_SIZE	65536
#define LOG_RUN		1024

static void __attribute__((noreturn)) log_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]\n", vserver_usage_cmd);
	fputs("\nShow the log of a guest: what its init and its other "
	      "processes wrote to their\nstandard output and error, and "
	      "what its supervisor said, the older part\n(<name>.log.1) "
	      "first.  Control characters are shown as \\xHH.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -n, --lines <number>  show only the last <number> lines\n",
	      out);
	fputs(" -h, --help            display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vserver(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

/*
 * Append the file path to *buf (*len bytes so far); a missing file adds
 * nothing.  Returns 1 when it was there, 0 when not; exits on an error.
 */
static int read_log(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *grown;
	ssize_t n;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) != 0)
		err(VS_EXIT_FAILURE, "cannot read %s", path);
	if (!S_ISREG(st.st_mode))
		errx(VS_EXIT_FAILURE, "cannot read %s: not a regular file",
		     path);
	for (;;) {
		grown = realloc(*buf, *len + LOG_READ_SIZE);
		if (!grown)
			err(VS_EXIT_FAILURE, "cannot allocate memory");
		*buf = grown;
		n = read(fd, *buf + *len, LOG_READ_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(VS_EXIT_FAILURE, "cannot read %s", path);
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return 1;
}

/* Print len bytes of the log as safe_string() shows text, line by line */
static void print_log(const char *p, size_t len)
{
	char chunk[LOG_RUN + 1], text[SAFE_STRING_SIZE(LOG_RUN)];
	size_t i = 0, n, back;

	while (i < len) {
		if (p[i] == '\n') {
			putchar('\n');
			i++;
			continue;
		}
		if (p[i] == '\0') {
			fputs("\\x00", stdout);
			i++;
			continue;
		}
		/* A run without newline nor NUL, as much as chunk holds */
		for (n = 0; i + n < len && n < LOG_RUN &&
		     p[i + n] != '\n' && p[i + n] != '\0'; n++)
			;
		/* Never cut between the bytes of one UTF-8 character */
		for (back = 0; back < 3 && n > 1 && i + n < len &&
		     ((unsigned char)p[i + n] & 0xC0) == 0x80; back++)
			n--;
		memcpy(chunk, p + i, n);
		chunk[n] = '\0';
		fputs(safe_string(chunk, text, sizeof(text), NULL), stdout);
		i += n;
	}
	/* The last line may not be ended yet */
	if (len && p[len - 1] != '\n')
		putchar('\n');
}

int vserver_log(const char *name, int argc, char **argv)
{
	static const char optstring[] = ":n:h";
	static const struct option longopts[] = {
		{ "lines",	required_argument,	NULL,	'n' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	char msg[PATH_MAX + 256], *path, *old, *buf = NULL;
	const char *invalid;
	uint32_t lines = 0;
	bool tail = false;
	size_t len = 0, start;
	int c, found;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u32(optarg, 10, &lines) != 0)
				usage_error(vserver_cmd, "invalid number of "
					    "lines '%s'", optarg);
			tail = true;
			break;
		case 'h':
			log_usage();
		default:
			getopt_error(c, argv, optstring, vserver_cmd);
		}
	}
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	if (guest_dirs_check(msg, sizeof(msg)) != 0)
		errx(VS_EXIT_FAILURE, "%s", msg);
	invalid = guest_name_check(name);
	if (invalid)
		errx(VS_EXIT_FAILURE, "invalid guest name '%s': %s",
		     safe_string(name, msg, sizeof(msg), NULL), invalid);

	path = guest_log_path(name, false);
	old = guest_log_path(name, true);
	found = read_log(old, &buf, &len);
	found += read_log(path, &buf, &len);
	if (!found)
		errx(VS_EXIT_FAILURE, "guest '%s' has no log yet (no %s)",
		     name, path);

	start = 0;
	if (tail) {
		/* Back from the end over lines newlines; an unended line counts */
		size_t i = len, seen = 0;

		if (i && buf[i - 1] == '\n')
			i--;
		while (i > 0) {
			if (buf[i - 1] == '\n' && ++seen == lines)
				break;
			i--;
		}
		start = lines ? i : len;
	}
	print_log(buf + start, len - start);
	free(buf);
	free(path);
	free(old);
	return VS_EXIT_SUCCESS;
}
