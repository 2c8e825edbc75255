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
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
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
	"build", "delete", "enter", "exec", "list", "start", "status",
	"stop", NULL,
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
	"rlimits", "vdir", "apps", "scripts",
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

static int parse_context(struct loader *l, const char *path, char *value)
{
	unsigned long xid;
	char *end;

	if (!isdigit((unsigned char)value[0]))
		return FAIL(l, "%s: invalid context id '%s'", path, value);
	errno = 0;
	xid = strtoul(value, &end, 10);
	if (*end)
		return FAIL(l, "%s: invalid context id '%s'", path, value);
	if (errno == ERANGE || xid < VX_XID_MIN || xid > VX_XID_MAX)
		return FAIL(l, "%s: context id '%s' is out of range (%d to "
			    "%d)", path, value, VX_XID_MIN, VX_XID_MAX);
	l->c->xid = (uint32_t)xid;
	return 1;
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
			FAIL(l, "%s/%s: unknown configuration file", dir,
			     names[i]);
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

	if (((parts & GUEST_CONF_IDENT) && load_ident(&l) != 0) ||
	    ((parts & GUEST_CONF_CONTEXT) && load_context(&l) != 0) ||
	    ((parts & GUEST_CONF_ROOT) && load_root(&l) != 0) ||
	    ((parts & GUEST_CONF_INIT) && load_init(&l) != 0) ||
	    ((parts & GUEST_CONF_HOOKS) && load_hooks(&l) != 0) ||
	    (parts == GUEST_CONF_ALL && check_unknown(&l) != 0))
		goto fail;
	return 0;
fail:
	guest_config_free(c);
	return -1;
}

void guest_config_free(struct guest_config *c)
{
	int i;

	free(c->dir);
	free(c->limits);
	free(c->root);
	free_argv(c->start_argv);
	free_argv(c->stop_argv);
	for (i = 0; i < NR_GUEST_HOOKS; i++)
		free(c->hooks[i]);
	memset(c, 0, sizeof(*c));
}
