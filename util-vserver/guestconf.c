// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration of a guest; see guestconf.h.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "common.h"
#include "flags.h"
#include "guestconf.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The largest configuration file read */
#define MAX_FILE_SIZE	65536

static const struct {
	const char *env;
	const char *fallback;
} dirs[NR_GUEST_DIRS] = {
	[GUEST_CONFDIR] = { "VSERVER_CONFDIR", "/etc/vservers" },
	[GUEST_ROOTDIR] = { "VSERVER_ROOTDIR", "/vservers" },
	[GUEST_RUNDIR] = { "VSERVER_RUNDIR", "/run/vservers" },
	[GUEST_LOGDIR] = { "VSERVER_LOGDIR", "/var/log/vservers" },
};

const char *guest_dir(enum guest_dir which)
{
	const char *dir = getenv(dirs[which].env);

	return dir && *dir ? dir : dirs[which].fallback;
}

const char *guest_dir_env(enum guest_dir which)
{
	return dirs[which].env;
}

/* Format the error into err, return -1 */
static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int guest_dirs_check(char *err, size_t errlen)
{
	int i;

	for (i = 0; i < NR_GUEST_DIRS; i++)
		if (guest_dir(i)[0] != '/')
			return fail(err, errlen, "%s must be an absolute path, "
				    "not '%s'", dirs[i].env, guest_dir(i));
	return 0;
}

const char *const guest_reserved_names[] = {
	"build", "delete", "enter", "exec", "list", "log", "restart",
	"start", "status", "stop", NULL,
};

const char *guest_name_check(const char *name)
{
	size_t i;

	if (!isalpha((unsigned char)name[0]))
		return "it must start with a letter";
	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-')
			return "only letters, digits, '.', '_' and '-' are "
			       "allowed";
	if (i > GUEST_NAME_MAX)
		return "it is longer than 64 characters";
	for (i = 0; guest_reserved_names[i]; i++)
		if (strcmp(name, guest_reserved_names[i]) == 0)
			return "it is a command of vserver";
	return NULL;
}

const char *const guest_hook_names[NR_GUEST_HOOKS] = {
	[HOOK_PRE_START] = "pre-start",
	[HOOK_POST_START] = "post-start",
	[HOOK_PRE_STOP] = "pre-stop",
	[HOOK_POST_STOP] = "post-stop",
};

/* The name fields of uts/, by VHIN_* */
static const char *const uts_fields[VHIN_DOMAINNAME + 1] = {
	[VHIN_SYSNAME] = "sysname",
	[VHIN_NODENAME] = "nodename",
	[VHIN_RELEASE] = "release",
	[VHIN_VERSION] = "version",
	[VHIN_MACHINE] = "machine",
	[VHIN_DOMAINNAME] = "domainname",
};

/* The entries of a configuration directory */
static const char *const top_files[] = {
	"context", "name", "uts", "bcapabilities", "ccapabilities", "cflags",
	"rlimits", "vdir", "apps", "scripts", "ncontext", "noncontext",
	"nflags", "ncapabilities", "interfaces",
};

/*
 * The whole contents of the regular file path, NUL-terminated, in a
 * malloc'ed buffer; its length in *len.  -1 with errno: ENOENT, EINVAL
 * (not a regular file), EFBIG, or what open() and read() say.
 */
static int read_file(const char *path, char **data, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	struct stat st;
	ssize_t r;
	int fd, saved;

	/* O_NONBLOCK: a FIFO must not block, it is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	buf = malloc(MAX_FILE_SIZE + 1);
	if (!buf)
		goto fail;
	for (;;) {
		r = read(fd, buf + n, MAX_FILE_SIZE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > MAX_FILE_SIZE) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

int guest_read_value(const char *path, char **value)
{
	size_t len;
	char *buf;

	if (read_file(path, &buf, &len) != 0)
		return -1;
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strlen(buf) != len || strchr(buf, '\n')) {
		free(buf);
		errno = EINVAL;
		return -1;
	}
	*value = buf;
	return 0;
}

/* The reason a file could not be read, for a message */
static const char *read_error(int err)
{
	switch (err) {
	case EINVAL:
		return "not a regular file";
	case EFBIG:
		return "larger than 64 KiB";
	default:
		return strerror(err);
	}
}

/*
 * One value from file <dir>/<name>: 1 and the value in *value, 0 when
 * there is no such file, -1 with the error in err.
 */
static int read_value(const char *path, char **value, char *err,
		      size_t errlen)
{
	char *buf;
	size_t len;

	if (read_file(path, &buf, &len) != 0) {
		if (errno == ENOENT)
			return 0;
		return fail(err, errlen, "%s: %s", path, read_error(errno));
	}
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		return fail(err, errlen, "%s: contains a NUL byte", path);
	}
	if (strchr(buf, '\n')) {
		free(buf);
		return fail(err, errlen, "%s: more than one line", path);
	}
	*value = buf;
	return 1;
}

/* dir/name in a malloc'ed string, or NULL */
static char *join(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	return path;
}

/* Names that are not configuration: hidden files and backups */
static bool ignored(const char *name)
{
	size_t len = strlen(name);

	return name[0] == '.' || (len && name[len - 1] == '~');
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The entries of directory path that are not ignored, sorted, in
 * *names.  Returns their number (0 when there is no such directory), or
 * -1 with the error in err.
 */
static ssize_t list_dir(const char *path, char ***names, char *err,
			size_t errlen)
{
	char **list = NULL, **grown;
	size_t n = 0, alloc = 0;
	struct dirent *d;
	DIR *dir;

	*names = NULL;
	dir = opendir(path);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR)
			return fail(err, errlen, "%s: not a directory", path);
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	while ((errno = 0, d = readdir(dir)) != NULL) {
		if (ignored(d->d_name))
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			grown = reallocarray(list, alloc, sizeof(*list));
			if (!grown)
				goto nomem;
			list = grown;
		}
		list[n] = strdup(d->d_name);
		if (!list[n])
			goto nomem;
		n++;
	}
	if (errno) {
		fail(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	closedir(dir);
	if (n)
		qsort(list, n, sizeof(*list), compare_names);
	*names = list;
	return (ssize_t)n;
nomem:
	fail(err, errlen, "cannot allocate memory");
out:
	closedir(dir);
	free_names(list, n);
	return -1;
}

/* Everything a loader needs */
struct loader {
	struct guest_config *c;
	char *err;
	size_t errlen;
};

#define FAIL(l, ...)	fail((l)->err, (l)->errlen, __VA_ARGS__)

/*
 * Call fn(l, path, value) for the file name of the configuration, if it
 * exists; returns what fn returns, 0 without the file.
 */
static int with_value(struct loader *l, const char *name,
		      int (*fn)(struct loader *, const char *, char *))
{
	char *path = join(l->c->dir, name), *value = NULL;
	int ret;

	if (!path)
		return FAIL(l, "cannot allocate memory");
	ret = read_value(path, &value, l->err, l->errlen);
	if (ret > 0)
		ret = fn(l, path, value);
	free(value);
	free(path);
	return ret;
}

/* A context id (what: "context id") in min..max into *id */
static int parse_id(struct loader *l, const char *path, const char *value,
		    const char *what, unsigned long min, unsigned long max,
		    uint32_t *id)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)value[0]))
		return FAIL(l, "%s: invalid %s '%s'", path, what, value);
	errno = 0;
	n = strtoul(value, &end, 10);
	if (*end)
		return FAIL(l, "%s: invalid %s '%s'", path, what, value);
	if (errno == ERANGE || n < min || n > max)
		return FAIL(l, "%s: %s '%s' is out of range (%lu to %lu)",
			    path, what, value, min, max);
	*id = (uint32_t)n;
	return 1;
}

static int parse_context(struct loader *l, const char *path, char *value)
{
	return parse_id(l, path, value, "context id", VX_XID_MIN, VX_XID_MAX,
			&l->c->xid);
}

static int parse_name(struct loader *l, const char *path, char *value)
{
	if (!value[0] || isdigit((unsigned char)value[0]))
		return FAIL(l, "%s: invalid context name '%s'", path, value);
	if (strlen(value) >= VHILEN)
		return FAIL(l, "%s: context name '%s' is longer than %d "
			    "characters", path, value, VHILEN - 1);
	strcpy(l->c->ctxname, value);
	return 0;
}

static int load_ident(struct loader *l)
{
	int ret = with_value(l, "context", parse_context);
	char *path;

	if (ret < 0)
		return -1;
	if (ret == 0) {
		path = join(l->c->dir, "context");
		FAIL(l, "%s: missing (the context id of the guest)",
		     path ? path : "context");
		free(path);
		return -1;
	}
	strcpy(l->c->ctxname, l->c->name);
	return with_value(l, "name", parse_name);
}

/* uts/<field> of path into field */
static int uts_value(struct loader *l, const char *path, int field)
{
	char *value = NULL;
	int got = read_value(path, &value, l->err, l->errlen);

	if (got == 0)
		return FAIL(l, "%s: not a regular file", path);
	if (got < 0)
		return -1;
	if (!value[0])
		got = FAIL(l, "%s: empty", path);
	else if (strlen(value) >= VHILEN)
		got = FAIL(l, "%s: longer than %d bytes", path, VHILEN - 1);
	else
		strcpy(l->c->uts[field], value);
	free(value);
	return got < 0 ? -1 : 0;
}

static int load_uts(struct loader *l)
{
	char *dir = join(l->c->dir, "uts"), **names = NULL, *path;
	ssize_t n, i;
	int field, ret = -1;

	if (!dir)
		return FAIL(l, "cannot allocate memory");
	n = list_dir(dir, &names, l->err, l->errlen);
	for (i = 0; i < n; i++) {
		for (field = VHIN_SYSNAME; field <= VHIN_DOMAINNAME; field++)
			if (strcmp(names[i], uts_fields[field]) == 0)
				break;
		path = join(dir, names[i]);
		if (!path) {
			FAIL(l, "cannot allocate memory");
			goto out;
		}
		if (field > VHIN_DOMAINNAME)
			FAIL(l, "%s: unknown field (sysname, nodename, "
			     "release, version, machine or domainname)", path);
		else if (uts_value(l, path, field) == 0)
			field = -1;
		free(path);
		if (field >= 0)
			goto out;
	}
	ret = n < 0 ? -1 : 0;
out:
	free_names(names, n > 0 ? (size_t)n : 0);
	free(dir);
	return ret;
}

/*
 * Call fn(l, path, line) for each line of list file name that is not
 * blank or a comment, with white space around it removed.
 */
static int each_line(struct loader *l, const char *name,
		     int (*fn)(struct loader *, const char *, char *))
{
	char *path = join(l->c->dir, name), *data = NULL, *line, *next;
	size_t len;
	int ret = 0;

	if (!path)
		return FAIL(l, "cannot allocate memory");
	if (read_file(path, &data, &len) != 0) {
		if (errno != ENOENT)
			ret = FAIL(l, "%s: %s", path, read_error(errno));
		goto out;
	}
	if (strlen(data) != len) {
		ret = FAIL(l, "%s: contains a NUL byte", path);
		goto out;
	}
	for (line = data; line && ret == 0; line = next) {
		char *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t' || *line == '\r')
			line++;
		end = line + strlen(line);
		while (end > line && (end[-1] == ' ' || end[-1] == '\t' ||
				      end[-1] == '\r'))
			*--end = '\0';
		if (!*line || *line == '#')
			continue;
		ret = fn(l, path, line);
	}
out:
	free(data);
	free(path);
	return ret;
}

static int caps_line(struct loader *l, const char *path, char *line,
		     const struct capword *w, uint64_t word[2])
{
	enum caplist_error why;
	const char *bad;
	size_t badlen;

	if (caplist_parse(w, line, &word[0], &word[1], &bad, &badlen,
			  &why) == 0)
		return 0;
	if (why == CAPLIST_UNSUPPORTED)
		return FAIL(l, "%s: %s '%.*s' %s", path, w->what, (int)badlen,
			    bad, w->unsupported);
	return FAIL(l, "%s: unknown %s '%.*s'", path, w->what, (int)badlen,
		    bad);
}

static int bcaps_line(struct loader *l, const char *path, char *line)
{
	return caps_line(l, path, line, &capword_bcaps, l->c->bcaps);
}

static int ccaps_line(struct loader *l, const char *path, char *line)
{
	return caps_line(l, path, line, &capword_ccaps, l->c->ccaps);
}

/* One flag at a time, to name the one at fault */
static int cflags_line(struct loader *l, const char *path, char *line)
{
	char *token = line;

	for (;;) {
		size_t len = strcspn(token, ",");
		uint64_t set, clear;
		const char *bad;
		size_t badlen;
		char saved = token[len];

		token[len] = '\0';
		if (cflags_parse(token, &set, &clear, &bad, &badlen) != 0)
			return FAIL(l, "%s: unknown flag '%.*s'", path,
				    (int)badlen, bad);
		if ((set | clear) & VXF_ONE_TIME)
			return FAIL(l, "%s: flag '%s' is managed by vserver",
				    path, token);
		l->c->cflags = (l->c->cflags | set) & ~clear;
		if (!saved)
			return 0;
		token += len + 1;
	}
}

/* What rlimits/ says about one resource */
struct limit_files {
	bool given[3];		/* <res>, <res>.soft, <res>.hard */
	uint64_t value[3];
	char *path[3];
};

enum { LIM_BOTH, LIM_SOFT, LIM_HARD };

/*
 * Which resource and which limit the file name of rlimits/ sets, and the
 * length of the resource's part of the name in *len.  Names are exact:
 * "NPROC" is no resource here.
 */
static const struct rlimit_resource *limit_file(const char *name, int *which,
						size_t *len)
{
	const struct rlimit_resource *r;

	*len = strlen(name);
	*which = LIM_BOTH;
	if (*len > 5 && strcmp(name + *len - 5, ".soft") == 0) {
		*which = LIM_SOFT;
		*len -= 5;
	} else if (*len > 5 && strcmp(name + *len - 5, ".hard") == 0) {
		*which = LIM_HARD;
		*len -= 5;
	}
	r = rlimit_find(name, *len);
	return r && strncmp(r->name, name, *len) == 0 ? r : NULL;
}

/* The limits of f into s, or the error if the soft one is above */
static int merge_limits(struct loader *l, const struct limit_files *f,
			struct rlimit_setting *s)
{
	char sbuf[LIM_VALUE_LEN], hbuf[LIM_VALUE_LEN];
	uint64_t soft, hard;

	hard = f->given[LIM_HARD] ? f->value[LIM_HARD] :
	       f->given[LIM_BOTH] ? f->value[LIM_BOTH] : CRLIM_INFINITY;
	/* Without a soft limit of its own, the hard limit is both */
	soft = f->given[LIM_SOFT] ? f->value[LIM_SOFT] :
	       f->given[LIM_BOTH] ? f->value[LIM_BOTH] : hard;
	if (soft > hard)
		return FAIL(l, "%s: soft limit %s above hard limit %s",
			    f->path[f->given[LIM_SOFT] ? LIM_SOFT : LIM_HARD],
			    rlimit_format(soft, sbuf),
			    rlimit_format(hard, hbuf));
	s->soft = soft;
	s->hard = hard;
	return 0;
}

static int load_rlimits(struct loader *l)
{
	char *dir = join(l->c->dir, "rlimits"), **names = NULL, *value;
	struct limit_files *files;
	ssize_t n = 0, i;
	size_t r;
	int ret = -1, which, got;

	files = calloc(nr_rlimit_resources, sizeof(*files));
	l->c->limits = calloc(nr_rlimit_resources, sizeof(*l->c->limits));
	if (!dir || !files || !l->c->limits) {
		FAIL(l, "cannot allocate memory");
		goto out;
	}
	n = list_dir(dir, &names, l->err, l->errlen);
	for (i = 0; i < n; i++) {
		size_t len;
		const struct rlimit_resource *res = limit_file(names[i],
							       &which, &len);
		char *path = join(dir, names[i]);
		uint64_t v;

		if (!path) {
			FAIL(l, "cannot allocate memory");
			goto out;
		}
		if (!res) {
			FAIL(l, "%s: unknown resource '%.*s'", path, (int)len,
			     names[i]);
			free(path);
			goto out;
		}
		r = (size_t)(res - rlimit_resources);
		files[r].path[which] = path;
		got = read_value(path, &value, l->err, l->errlen);
		if (got == 0)
			FAIL(l, "%s: not a regular file", path);
		if (got <= 0)
			goto out;
		got = rlimit_parse_value(value, strlen(value), &v);
		if (got != 0 && errno == ERANGE)
			FAIL(l, "%s: limit '%s' is out of range", path, value);
		else if (got != 0)
			FAIL(l, "%s: invalid limit '%s'", path, value);
		free(value);
		if (got != 0)
			goto out;
		files[r].given[which] = true;
		files[r].value[which] = v;
	}
	if (n < 0)
		goto out;
	for (r = 0; r < nr_rlimit_resources; r++) {
		struct limit_files *f = &files[r];
		struct rlimit_setting *s = &l->c->limits[l->c->nlimits];

		if (!f->given[LIM_BOTH] && !f->given[LIM_SOFT] &&
		    !f->given[LIM_HARD])
			continue;
		if (merge_limits(l, f, s) != 0)
			goto out;
		s->r = &rlimit_resources[r];
		l->c->nlimits++;
	}
	ret = 0;
out:
	if (files)
		for (r = 0; r < nr_rlimit_resources; r++)
			for (which = 0; which < 3; which++)
				free(files[r].path[which]);
	free(files);
	free_names(names, n > 0 ? (size_t)n : 0);
	free(dir);
	return ret;
}

static int load_context(struct loader *l)
{
	if (load_uts(l) != 0 ||
	    each_line(l, "bcapabilities", bcaps_line) != 0 ||
	    each_line(l, "ccapabilities", ccaps_line) != 0 ||
	    each_line(l, "cflags", cflags_line) != 0)
		return -1;
	return load_rlimits(l);
}

static int load_root(struct loader *l)
{
	char *path = join(l->c->dir, "vdir"), target[PATH_MAX], *real = NULL;
	struct stat st;
	ssize_t len;
	int ret = -1;

	if (!path)
		return FAIL(l, "cannot allocate memory");
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			FAIL(l, "%s: missing (a symbolic link to the root "
			     "directory of the guest)", path);
		else
			FAIL(l, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISLNK(st.st_mode)) {
		FAIL(l, "%s: not a symbolic link", path);
		goto out;
	}
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0) {
		FAIL(l, "%s: %s", path, strerror(errno));
		goto out;
	}
	target[len] = '\0';
	if (target[0] != '/') {
		FAIL(l, "%s: points to '%s', not to an absolute path", path,
		     target);
		goto out;
	}
	real = realpath(target, NULL);
	if (!real) {
		if (errno == ENOENT)
			FAIL(l, "%s: root directory %s does not exist", path,
			     target);
		else
			FAIL(l, "%s: root directory %s: %s", path, target,
			     strerror(errno));
		goto out;
	}
	if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		FAIL(l, "%s: root directory %s is not a directory", path,
		     target);
		goto out;
	}
	if (strcmp(real, "/") == 0) {
		FAIL(l, "%s: the root directory of a guest cannot be /", path);
		goto out;
	}
	l->c->root = real;
	real = NULL;
	ret = 0;
out:
	free(real);
	free(path);
	return ret;
}

static void free_argv(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}

/*
 * The command in file name of apps/init, one argument per line, in
 * *argv; NULL when there is no such file.
 */
static int load_command(struct loader *l, const char *name, char ***argv)
{
	char *path, *data = NULL, *line, *next;
	size_t len, n = 0, lines = 0, i;
	char **args = NULL;
	int ret = -1;

	*argv = NULL;
	if (asprintf(&path, "%s/apps/init/%s", l->c->dir, name) < 0)
		return FAIL(l, "cannot allocate memory");
	if (read_file(path, &data, &len) != 0) {
		ret = errno == ENOENT ? 0 :
		      FAIL(l, "%s: %s", path, read_error(errno));
		goto out;
	}
	if (strlen(data) != len) {
		FAIL(l, "%s: contains a NUL byte", path);
		goto out;
	}
	while (len && data[len - 1] == '\n')
		data[--len] = '\0';
	if (!len) {
		FAIL(l, "%s: empty (one argument per line)", path);
		goto out;
	}
	for (i = 0; i < len; i++)
		lines += data[i] == '\n';
	args = calloc(lines + 2, sizeof(*args));
	if (!args) {
		FAIL(l, "cannot allocate memory");
		goto out;
	}
	for (line = data; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line) {
			FAIL(l, "%s: line %zu is empty (one argument per "
			     "line)", path, n + 1);
			goto out;
		}
		args[n] = strdup(line);
		if (!args[n++]) {
			FAIL(l, "cannot allocate memory");
			goto out;
		}
	}
	*argv = args;
	args = NULL;
	ret = 0;
out:
	free_argv(args);
	free(data);
	free(path);
	return ret;
}

static int load_init(struct loader *l)
{
	if (load_command(l, "cmd.start", &l->c->start_argv) != 0 ||
	    load_command(l, "cmd.stop", &l->c->stop_argv) != 0)
		return -1;
	if (!l->c->start_argv) {
		l->c->start_argv = calloc(2, sizeof(char *));
		if (!l->c->start_argv)
			return FAIL(l, "cannot allocate memory");
		l->c->start_argv[0] = strdup(GUEST_DEFAULT_INIT);
		if (!l->c->start_argv[0])
			return FAIL(l, "cannot allocate memory");
	}
	return 0;
}

static int load_hooks(struct loader *l)
{
	char *dir = join(l->c->dir, "scripts"), **names = NULL;
	struct stat st;
	ssize_t n = 0, i;
	int hook, ret = -1;

	if (!dir)
		return FAIL(l, "cannot allocate memory");
	n = list_dir(dir, &names, l->err, l->errlen);
	for (i = 0; i < n; i++) {
		char *path = join(dir, names[i]);

		if (!path) {
			FAIL(l, "cannot allocate memory");
			goto out;
		}
		for (hook = 0; hook < NR_GUEST_HOOKS; hook++)
			if (strcmp(names[i], guest_hook_names[hook]) == 0)
				break;
		if (hook == NR_GUEST_HOOKS)
			FAIL(l, "%s: unknown hook (pre-start, post-start, "
			     "pre-stop or post-stop)", path);
		else if (stat(path, &st) != 0)
			FAIL(l, "%s: %s", path, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			FAIL(l, "%s: not a regular file", path);
		else if (!(st.st_mode & 0111))
			FAIL(l, "%s: not executable", path);
		else {
			l->c->hooks[hook] = path;
			continue;
		}
		free(path);
		goto out;
	}
	ret = n < 0 ? -1 : 0;
out:
	free_names(names, n > 0 ? (size_t)n : 0);
	free(dir);
	return ret;
}

/*
 * The network of a guest
 */

const char *guest_dev_check(const char *name)
{
	size_t i, len = strlen(name);

	if (!len)
		return "empty";
	if (len > GUEST_DEV_MAX)
		return "longer than 15 bytes";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "not a device name";
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' ||
		    isspace((unsigned char)name[i]) ||
		    !isprint((unsigned char)name[i]))
			return "not a device name";
	return NULL;
}

static int parse_nid(struct loader *l, const char *path, char *value)
{
	return parse_id(l, path, value, "network context id", 2, VX_NID_MAX,
			&l->c->nid);
}

/*
 * One line of a list file of network flags or capabilities, one entry at
 * a time, to name the one at fault: the bits go to word[0] (set) and
 * word[1] (clear).  Entries in managed are vserver's own, those in
 * unsupported the kernel refuses.
 */
static int nlist_line(struct loader *l, const char *path, char *line,
		      const struct flag_table *t, uint64_t word[2],
		      uint64_t managed, uint64_t unsupported)
{
	char *token = line;

	for (;;) {
		size_t len = strcspn(token, ",");
		uint64_t set, clear;
		const char *bad;
		size_t badlen;
		char saved = token[len];

		token[len] = '\0';
		if (flag_list_parse(t, token, &set, &clear, &bad,
				    &badlen) != 0)
			return FAIL(l, "%s: unknown %s '%.*s'", path, t->what,
				    (int)badlen, bad);
		if ((set | clear) & managed)
			return FAIL(l, "%s: %s '%s' is managed by vserver",
				    path, t->what, token);
		if ((set | clear) & unsupported)
			return FAIL(l, "%s: %s '%s' is not supported by this "
				    "kernel", path, t->what, token);
		word[0] = (word[0] | set) & ~clear;
		word[1] = (word[1] | clear) & ~set;
		if (!saved)
			return 0;
		token += len + 1;
	}
}

static int nflags_line(struct loader *l, const char *path, char *line)
{
	return nlist_line(l, path, line, &nflag_table, l->c->nflags,
			  NXF_ONE_TIME, NXF_SC_HELPER);
}

static int ncaps_line(struct loader *l, const char *path, char *line)
{
	return nlist_line(l, path, line, &ncap_table, l->c->ncaps, 0, 0);
}

/* The files of interfaces/ that are defaults, not interfaces */
static const char *const iface_defaults[] = {
	"bcast", "dev", "lback", "mask", "prefix",
};

/* The files of interfaces/<iface>/ */
static const char *const iface_files[] = {
	"dev", "disabled", "ip", "mask", "name", "nodev", "prefix",
};

/*
 * util-vserver's files for the host side of an address (ip(8) options,
 * VLAN and tun devices), which have no meaning here
 */
static const char *const iface_host_files[] = {
	"down", "extip", "gid", "indirect", "linktype", "mac", "nocsum",
	"novlandev", "peer", "scope", "shared", "tap", "tun", "uid",
	"vlandev",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* What interfaces/ gives every interface */
struct iface_defaults {
	char dev[GUEST_DEV_MAX + 1];
	char *prefix_path;	/* interfaces/prefix or mask, if any */
	bool from_mask;		/* it is mask: IPv4 only */
	unsigned int prefix;
};

/* The largest prefix length of an address family */
static unsigned int max_prefix(int family)
{
	return family == AF_INET ? 32 : 128;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* A prefix length of up to 128, the range of the family checked later */
static int parse_prefix(struct loader *l, const char *path,
			const char *value, unsigned int *prefix)
{
	uint32_t n;

	if (!isdigit((unsigned char)value[0]) || parse_u32(value, 10, &n) != 0)
		return FAIL(l, "%s: invalid prefix length '%s'", path, value);
	if (n > 128)
		return FAIL(l, "%s: prefix length '%s' is out of range (0 to "
			    "128)", path, value);
	*prefix = n;
	return 0;
}

/* A dotted IPv4 netmask, as a prefix length */
static int parse_mask(struct loader *l, const char *path, const char *value,
		      unsigned int *prefix)
{
	struct vs_net_addr a;
	char *text;
	int ret;

	if (!strchr(value, '.'))
		return FAIL(l, "%s: invalid netmask '%s' (a dotted netmask "
			    "such as 255.255.255.0; a prefix length goes in "
			    "prefix)", path, value);
	if (asprintf(&text, "0.0.0.0/%s", value) < 0)
		return FAIL(l, "cannot allocate memory");
	ret = vs_net_parse_addr(text, &a);
	free(text);
	if (ret != 0)
		return FAIL(l, "%s: invalid netmask '%s'", path, value);
	*prefix = a.prefix;
	return 0;
}

/*
 * The one-line file name of directory dir: 1 and the value in *value, 0
 * when there is none, -1 with the error; *path is its path (free it)
 */
static int dir_value(struct loader *l, const char *dir, const char *name,
		     char **path, char **value)
{
	*value = NULL;
	*path = join(dir, name);
	if (!*path)
		return FAIL(l, "cannot allocate memory");
	return read_value(*path, value, l->err, l->errlen);
}

/* A device name from file path into dev */
static int parse_dev(struct loader *l, const char *path, const char *value,
		     const char *what, char *dev)
{
	const char *why = guest_dev_check(value);

	if (why)
		return FAIL(l, "%s: invalid %s '%s': %s", path, what, value,
			    why);
	strcpy(dev, value);
	return 0;
}

/* An IPv4 address for bcast (no prefix) or lback (maybe A/P) */
static int parse_ipv4(struct loader *l, const char *path, const char *value,
		      const char *what, bool prefix, struct vs_net_addr *a)
{
	bool slash = strchr(value, '/') != NULL;

	if ((slash && !prefix) || vs_net_parse_addr(value, a) != 0 ||
	    a->family != AF_INET)
		return FAIL(l, "%s: invalid %s '%s' (an IPv4 address%s)", path,
			    what, value, prefix ? ", with an optional "
			    "/prefix" : "");
	if (!slash && prefix)
		a->prefix = 0;
	return 0;
}

/* The default files of interfaces/ (dir) into *d and the config */
static int load_iface_defaults(struct loader *l, const char *dir,
			       struct iface_defaults *d)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(iface_defaults) && ret == 0; i++) {
		const char *name = iface_defaults[i];
		char *path, *value;

		ret = dir_value(l, dir, name, &path, &value);
		if (ret > 0) {
			ret = 0;
			if (strcmp(name, "bcast") == 0) {
				ret = parse_ipv4(l, path, value,
						 "broadcast address", false,
						 &l->c->bcast);
				l->c->has_bcast = true;
			} else if (strcmp(name, "lback") == 0) {
				ret = parse_ipv4(l, path, value,
						 "loopback address", true,
						 &l->c->lback);
				l->c->has_lback = true;
			} else if (strcmp(name, "dev") == 0) {
				ret = parse_dev(l, path, value, "device",
						d->dev);
			} else if (d->prefix_path) {
				ret = FAIL(l, "%s: give either prefix or mask, "
					   "not both", path);
			} else {
				d->from_mask = strcmp(name, "mask") == 0;
				ret = d->from_mask ?
				      parse_mask(l, path, value, &d->prefix) :
				      parse_prefix(l, path, value, &d->prefix);
				if (ret == 0) {
					d->prefix_path = path;
					path = NULL;
				}
			}
		}
		free(value);
		free(path);
	}
	return ret < 0 ? -1 : 0;
}

/* A file of interfaces/<iface>/ (dir) exists */
static int iface_has(struct loader *l, const char *dir, const char *name,
		     bool *has)
{
	char *path = join(dir, name);
	struct stat st;

	if (!path)
		return FAIL(l, "cannot allocate memory");
	*has = lstat(path, &st) == 0;
	if (!*has && errno != ENOENT) {
		FAIL(l, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* The address of interfaces/<iface>/ (dir): ip, then prefix or mask */
static int iface_addr(struct loader *l, const char *dir,
		      const struct iface_defaults *d, struct guest_iface *f)
{
	char *path = NULL, *value = NULL, *mpath = NULL, *mvalue = NULL;
	unsigned int prefix;
	int got, ret = -1;

	got = dir_value(l, dir, "ip", &path, &value);
	if (got == 0)
		FAIL(l, "%s: missing (the address of the interface)", path);
	if (got <= 0)
		goto out;
	if (strchr(value, '/')) {
		FAIL(l, "%s: invalid address '%s' (the prefix length goes in "
		     "prefix)", path, value);
		goto out;
	}
	if (vs_net_parse_addr(value, &f->addr) != 0) {
		FAIL(l, "%s: invalid address '%s'", path, value);
		goto out;
	}
	free(path);
	free(value);

	got = dir_value(l, dir, "prefix", &path, &value);
	if (got < 0)
		goto out;
	if (dir_value(l, dir, "mask", &mpath, &mvalue) < 0)
		goto out;
	if (got && mvalue) {
		FAIL(l, "%s: give either prefix or mask, not both", mpath);
		goto out;
	}
	if (got) {
		if (parse_prefix(l, path, value, &prefix) != 0)
			goto out;
		if (prefix > max_prefix(f->addr.family)) {
			FAIL(l, "%s: prefix length '%s' is out of range for an "
			     "%s address (0 to %u)", path, value,
			     family_name(f->addr.family),
			     max_prefix(f->addr.family));
			goto out;
		}
		f->addr.prefix = prefix;
	} else if (mvalue) {
		if (f->addr.family != AF_INET) {
			FAIL(l, "%s: a netmask is for IPv4 addresses (use "
			     "prefix)", mpath);
			goto out;
		}
		if (parse_mask(l, mpath, mvalue, &f->addr.prefix) != 0)
			goto out;
	} else if (d->prefix_path &&
		   (!d->from_mask || f->addr.family == AF_INET)) {
		if (d->prefix > max_prefix(f->addr.family)) {
			FAIL(l, "%s: prefix length %u is out of range for the "
			     "%s address of %s (0 to %u)", d->prefix_path,
			     d->prefix, family_name(f->addr.family), dir,
			     max_prefix(f->addr.family));
			goto out;
		}
		f->addr.prefix = d->prefix;
	}
	ret = 0;
out:
	free(mvalue);
	free(mpath);
	free(value);
	free(path);
	return ret;
}

/* The host device of interfaces/<iface>/ (dir): dev, nodev or default */
static int iface_dev(struct loader *l, const char *dir,
		     const struct iface_defaults *d, struct guest_iface *f)
{
	char *path, *value;
	bool nodev;
	int got, ret = 0;

	if (iface_has(l, dir, "nodev", &nodev) != 0)
		return -1;
	got = dir_value(l, dir, "dev", &path, &value);
	if (got > 0 && nodev)
		ret = FAIL(l, "%s: give either dev or nodev, not both", path);
	else if (got > 0)
		ret = parse_dev(l, path, value, "device", f->dev);
	else if (got == 0 && !nodev && !d->dev[0])
		ret = FAIL(l, "%s: no host device (give it in dev, or in "
			   "interfaces/dev; or create nodev)", dir);
	else if (got == 0 && !nodev)
		strcpy(f->dev, d->dev);
	else if (got < 0)
		ret = -1;
	free(value);
	free(path);
	if (ret != 0)
		return -1;

	got = dir_value(l, dir, "name", &path, &value);
	if (got > 0)
		ret = parse_dev(l, path, value, "name", f->label);
	free(value);
	free(path);
	return got < 0 || ret != 0 ? -1 : 0;
}

/* Every entry of interfaces/<iface>/ (dir) is known */
static int iface_check_files(struct loader *l, const char *dir)
{
	char **names = NULL;
	ssize_t n, i;
	int ret = 0;

	n = list_dir(dir, &names, l->err, l->errlen);
	for (i = 0; i < n && ret == 0; i++) {
		if (in_list(names[i], iface_files, ARRAY_SIZE(iface_files)))
			continue;
		if (in_list(names[i], iface_host_files,
			    ARRAY_SIZE(iface_host_files)))
			ret = FAIL(l, "%s/%s: not supported (vserver makes no "
				   "host-side address, VLAN or tun device)",
				   dir, names[i]);
		else
			ret = FAIL(l, "%s/%s: unknown configuration file", dir,
				   names[i]);
	}
	free_names(names, n > 0 ? (size_t)n : 0);
	return n < 0 ? -1 : ret;
}

/* The same address as an earlier interface */
static const struct guest_iface *same_addr(const struct guest_config *c,
					   const struct vs_net_addr *a)
{
	size_t i;

	for (i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].addr.family == a->family &&
		    memcmp(c->ifaces[i].addr.addr, a->addr,
			   a->family == AF_INET ? 4 : 16) == 0)
			return &c->ifaces[i];
	return NULL;
}

/* interfaces/<name>/ (dir), appended to the interfaces unless disabled */
static int load_iface(struct loader *l, const char *dir, const char *name,
		      const struct iface_defaults *d)
{
	struct guest_config *c = l->c;
	const struct guest_iface *other;
	struct guest_iface *f, *grown;
	char text[INET6_ADDRSTRLEN + 8];
	bool disabled;

	if (iface_has(l, dir, "disabled", &disabled) != 0)
		return -1;
	if (disabled)
		return 0;
	if (iface_check_files(l, dir) != 0)
		return -1;
	grown = reallocarray(c->ifaces, c->nifaces + 1, sizeof(*grown));
	if (!grown)
		return FAIL(l, "cannot allocate memory");
	c->ifaces = grown;
	f = &c->ifaces[c->nifaces];
	memset(f, 0, sizeof(*f));
	if (iface_addr(l, dir, d, f) != 0 || iface_dev(l, dir, d, f) != 0)
		return -1;
	other = same_addr(c, &f->addr);
	if (other) {
		struct vs_net_addr a = f->addr;

		a.prefix = max_prefix(a.family);
		if (vs_net_format_addr(&a, text, sizeof(text)) == 0)
			*strrchr(text, '/') = '\0';
		else
			strcpy(text, "?");
		return FAIL(l, "%s/ip: address %s is in interfaces/%s too", dir,
			    text, other->name);
	}
	f->name = strdup(name);
	if (!f->name)
		return FAIL(l, "cannot allocate memory");
	c->nifaces++;
	return 0;
}

static int load_interfaces(struct loader *l)
{
	char *dir = join(l->c->dir, "interfaces"), **names = NULL;
	struct iface_defaults d = { .prefix_path = NULL };
	struct stat st;
	ssize_t n = 0, i;
	int ret = -1;

	if (!dir)
		return FAIL(l, "cannot allocate memory");
	n = list_dir(dir, &names, l->err, l->errlen);
	if (n < 0 || load_iface_defaults(l, dir, &d) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		char *path;
		int bad;

		if (in_list(names[i], iface_defaults,
			    ARRAY_SIZE(iface_defaults)))
			continue;
		path = join(dir, names[i]);
		if (!path) {
			FAIL(l, "cannot allocate memory");
			goto out;
		}
		if (in_list(names[i], iface_host_files,
			    ARRAY_SIZE(iface_host_files)))
			bad = FAIL(l, "%s: not supported (vserver makes no "
				   "host-side address, VLAN or tun device)",
				   path);
		else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			bad = FAIL(l, "%s: unknown configuration file (an "
				   "interface is a directory)", path);
		else
			bad = load_iface(l, path, names[i], &d);
		free(path);
		if (bad)
			goto out;
	}
	ret = 0;
out:
	free(d.prefix_path);
	free_names(names, n > 0 ? (size_t)n : 0);
	free(dir);
	return ret;
}

static int load_net(struct loader *l)
{
	struct guest_config *c = l->c;
	char *path;
	int ret;

	c->nid = c->xid;
	if (with_value(l, "ncontext", parse_nid) < 0 ||
	    each_line(l, "nflags", nflags_line) != 0 ||
	    each_line(l, "ncapabilities", ncaps_line) != 0 ||
	    load_interfaces(l) != 0)
		return -1;
	path = join(c->dir, "noncontext");
	if (!path)
		return FAIL(l, "cannot allocate memory");
	c->noncontext = access(path, F_OK) == 0;
	ret = 0;
	if (c->noncontext && c->nifaces)
		ret = FAIL(l, "%s: the guest has no network context, but "
			   "interfaces/%s has an address", path,
			   c->ifaces[0].name);
	free(path);
	return ret;
}

/*
 * Files of util-vserver's configuration that vserver does not read, with
 * what to do instead.  path is relative to the guest's directory.
 */
static const struct {
	const char *path;
	const char *instead;
} historic_files[] = {
	{ "flags", "it is the old name of cflags: rename it" },
	{ "nice", "run the init under nice(1) in apps/init/cmd.start" },
	{ "fstab", "mount in a pre-start hook (scripts/pre-start)" },
	{ "fstab.remote", "mount in a pre-start hook (scripts/pre-start)" },
	{ "schedule", "CPU limits are not implemented" },
	{ "sched", "CPU limits are not implemented" },
	{ "dlimits", "disk limits are not implemented" },
	{ "cpuset", "CPU sets are not implemented" },
	{ "cgroup", "set the memory limit in rlimits/memory" },
	{ "spaces", "every guest has mount, UTS and IPC namespaces of its "
		    "own" },
	{ "namespace", "every guest has a mount namespace of its own" },
	{ "nonamespace", "every guest has a mount namespace of its own" },
	{ "personality", "execution domains are not supported" },
	{ "shell", "vserver enter runs root's login shell from the guest's "
		   "/etc/passwd" },
	{ "apps/vshelper", "vserver supervises its guests itself: a reboot "
			   "or halt inside is handled" },
	{ "apps/vunify", "unification is not supported" },
	{ "apps/init/mark", "start the guest from the host's init system" },
	{ "apps/init/depends", "start the guests in order from the host's "
			       "init system" },
	{ "apps/init/style", "apps/init/cmd.start names the init to run" },
	{ "apps/init/runlevel", "pass the runlevel in apps/init/cmd.start" },
	{ "apps/init/runlevel.start", "pass the runlevel in "
				      "apps/init/cmd.start" },
	{ "apps/init/runlevel.stop", "put the command in apps/init/cmd.stop" },
	{ "apps/init/killseq", "vserver stop sends SIGTERM, then SIGKILL "
			       "after --timeout" },
	{ "apps/init/environment", "set the environment in "
				   "apps/init/cmd.start (env(1))" },
	{ "apps/init/tty", "the init's output goes to vserver NAME log" },
	{ "apps/init/cmd.prepare", "use a pre-start hook (scripts/pre-start)" },
	{ "apps/init/cmd.post-start", "use a post-start hook "
				      "(scripts/post-start)" },
	{ "apps/init/cmd.stop-sync", "put the command in apps/init/cmd.stop" },
};

/* What to do instead of the util-vserver file name of directory sub */
static const char *historic_instead(const char *sub, const char *name)
{
	size_t i, n = sub ? strlen(sub) : 0;
	const char *p;

	for (i = 0; i < ARRAY_SIZE(historic_files); i++) {
		p = historic_files[i].path;
		if (sub && (strncmp(p, sub, n) != 0 || p[n] != '/'))
			continue;
		if (strcmp(sub ? p + n + 1 : p, name) == 0)
			return historic_files[i].instead;
	}
	return NULL;
}

/* Every entry of directory sub (of the configuration) is in known[] */
static int check_entries(struct loader *l, const char *sub,
			 const char *const *known, size_t nknown)
{
	char *dir = sub ? join(l->c->dir, sub) : strdup(l->c->dir);
	char **names = NULL;
	ssize_t n = 0, i;
	size_t k;
	int ret = -1;

	if (!dir)
		return FAIL(l, "cannot allocate memory");
	n = list_dir(dir, &names, l->err, l->errlen);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nknown; k++)
			if (strcmp(names[i], known[k]) == 0)
				break;
		if (k == nknown) {
			const char *instead = historic_instead(sub, names[i]);

			if (instead)
				FAIL(l, "%s/%s: util-vserver's %s is not "
				     "supported: %s", dir, names[i], names[i],
				     instead);
			else
				FAIL(l, "%s/%s: unknown configuration file",
				     dir, names[i]);
			goto out;
		}
	}
	ret = n < 0 ? -1 : 0;
out:
	free_names(names, n > 0 ? (size_t)n : 0);
	free(dir);
	return ret;
}

static int check_unknown(struct loader *l)
{
	static const char *const apps[] = { "init" };
	static const char *const init[] = { "cmd.start", "cmd.stop" };

	if (check_entries(l, NULL, top_files, ARRAY_SIZE(top_files)) != 0 ||
	    check_entries(l, "apps", apps, ARRAY_SIZE(apps)) != 0)
		return -1;
	return check_entries(l, "apps/init", init, ARRAY_SIZE(init));
}

int guest_config_check_files(struct guest_config *c, char *err,
			     size_t errlen)
{
	struct loader l = { .c = c, .err = err, .errlen = errlen };

	return check_unknown(&l);
}

int guest_config_load(const char *confdir, const char *name,
		      unsigned int parts, struct guest_config *c,
		      char *err, size_t errlen)
{
	struct loader l = { .c = c, .err = err, .errlen = errlen };
	const char *why;
	struct stat st;

	memset(c, 0, sizeof(*c));
	why = guest_name_check(name);
	if (why)
		return fail(err, errlen, "invalid guest name '%s': %s", name,
			    why);
	strcpy(c->name, name);
	c->dir = join(confdir, name);
	if (!c->dir)
		return fail(err, errlen, "cannot allocate memory");
	if (stat(c->dir, &st) != 0) {
		if (errno == ENOENT)
			fail(err, errlen, "no guest named '%s' in %s", name,
			     confdir);
		else
			fail(err, errlen, "%s: %s", c->dir, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		fail(err, errlen, "%s: not a directory", c->dir);
		goto fail;
	}

	if (parts & GUEST_CONF_NET)
		parts |= GUEST_CONF_IDENT;	/* the nid defaults to the xid */
	if (((parts & GUEST_CONF_IDENT) && load_ident(&l) != 0) ||
	    ((parts & GUEST_CONF_CONTEXT) && load_context(&l) != 0) ||
	    ((parts & GUEST_CONF_ROOT) && load_root(&l) != 0) ||
	    ((parts & GUEST_CONF_INIT) && load_init(&l) != 0) ||
	    ((parts & GUEST_CONF_HOOKS) && load_hooks(&l) != 0) ||
	    ((parts & GUEST_CONF_NET) && load_net(&l) != 0) ||
	    (parts == GUEST_CONF_ALL && check_unknown(&l) != 0))
		goto fail;
	return 0;
fail:
	guest_config_free(c);
	return -1;
}

void guest_config_free(struct guest_config *c)
{
	size_t n;
	int i;

	free(c->dir);
	free(c->limits);
	free(c->root);
	free_argv(c->start_argv);
	free_argv(c->stop_argv);
	for (i = 0; i < NR_GUEST_HOOKS; i++)
		free(c->hooks[i]);
	for (n = 0; n < c->nifaces; n++)
		free(c->ifaces[n].name);
	free(c->ifaces);
	memset(c, 0, sizeof(*c));
}
