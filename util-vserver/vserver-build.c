// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vserver NAME build  - make a new guest: its configuration and its root
 * vserver NAME delete - remove a stopped guest
 *
 * Removing never follows a symbolic link and never enters another mount:
 * whatever a guest made of its root directory, nothing outside it goes.
 */

#include <dirent.h>
#include <elf.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "guestconf.h"
#include "netlink.h"
#include "vserver.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Where busybox comes from, unless $VSERVER_BUSYBOX says */
#define BUSYBOX_ENV		"VSERVER_BUSYBOX"
#define BUSYBOX_DEFAULT		"/usr/bin/busybox"

#define DEBOOTSTRAP_SUITE	"bookworm"
#define DEBOOTSTRAP_MIRROR	"http://deb.debian.org/debian"

/* The init that build installs, and the first xid it gives away */
#define GUEST_INIT		"/sbin/vserver-init"
#define FIRST_XID		100

enum build_method {
	METHOD_BUSYBOX,
	METHOD_SKELETON,
	METHOD_DEBOOTSTRAP,
	NR_METHODS
};

static const char *const method_names[NR_METHODS] = {
	[METHOD_BUSYBOX] = "busybox",
	[METHOD_SKELETON] = "skeleton",
	[METHOD_DEBOOTSTRAP] = "debootstrap",
};

/* The printf-formatted path, malloc'ed; exits when out of memory */
static char * __attribute__((format(printf, 1, 2))) pathf(const char *fmt,
							  ...)
{
	va_list ap;
	char *path;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&path, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	return path;
}

/*
 * The mount id and the type of name in directory dirfd, without
 * following a symbolic link: a mount point has the id of the mount on it.
 */
static int mount_of(int dirfd, const char *name, int flags, uint64_t *id,
		    mode_t *mode)
{
	struct statx stx;

	if (statx(dirfd, name, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
		  STATX_TYPE | STATX_MNT_ID, &stx) != 0)
		return -1;
	if (!(stx.stx_mask & STATX_MNT_ID)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	*id = stx.stx_mnt_id;
	*mode = stx.stx_mode;
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory fd (consumed), sorted; -1 with errno */
static ssize_t read_names(int fd, char ***names)
{
	char **list = NULL, **grown;
	size_t n = 0, alloc = 0;
	struct dirent *d;
	DIR *dir;

	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	while ((errno = 0, d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			grown = reallocarray(list, alloc, sizeof(*list));
			if (!grown)
				err(VS_EXIT_FAILURE, "cannot allocate memory");
			list = grown;
		}
		list[n] = strdup(d->d_name);
		if (!list[n++])
			err(VS_EXIT_FAILURE, "cannot allocate memory");
	}
	if (errno) {
		int saved = errno;

		closedir(dir);
		while (n)
			free(list[--n]);
		free(list);
		errno = saved;
		return -1;
	}
	closedir(dir);
	if (n)
		qsort(list, n, sizeof(*list), compare_strings);
	*names = list;
	return (ssize_t)n;
}

typedef int (*entry_fn)(int dirfd, const char *name, const char *path,
			uint64_t mnt);

/*
 * Call fn for each entry of directory fd (path for messages, on mount
 * mnt), in name order, until one fails: -1 after a warning, or 0.
 */
static int for_each_entry(int fd, const char *path, uint64_t mnt,
			  entry_fn fn)
{
	char **names = NULL;
	ssize_t n, i;
	int ret = 0;

	n = read_names(dup(fd), &names);
	if (n < 0) {
		warn("cannot read %s", path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *sub = pathf("%s/%s", path, names[i]);

		if (ret == 0 && fn(fd, names[i], sub, mnt) != 0)
			ret = -1;
		free(sub);
		free(names[i]);
	}
	free(names);
	return ret;
}

/*
 * Remove name in directory dirfd, path for messages, and what is below
 * it, all on mount mnt.
 */
static int remove_at(int dirfd, const char *name, const char *path,
		     uint64_t mnt)
{
	uint64_t id, again;
	mode_t mode;
	int fd, ret;

	if (mount_of(dirfd, name, 0, &id, &mode) != 0) {
		if (errno == ENOENT)
			return 0;
		warn("cannot remove %s", path);
		return -1;
	}
	if (!S_ISDIR(mode)) {
		if (unlinkat(dirfd, name, 0) != 0 && errno != ENOENT) {
			warn("cannot remove %s", path);
			return -1;
		}
		return 0;
	}
	if (id != mnt) {
		warnx("cannot remove %s: it is a mount point", path);
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	/* Still on the same mount: nothing was swapped in meanwhile */
	if (fd >= 0 && (mount_of(fd, "", AT_EMPTY_PATH, &again, &mode) != 0 ||
			again != mnt)) {
		close(fd);
		errno = EXDEV;
		fd = -1;
	}
	if (fd < 0) {
		warn("cannot remove %s", path);
		return -1;
	}
	ret = for_each_entry(fd, path, mnt, remove_at);
	close(fd);
	if (ret == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0 &&
	    errno != ENOENT) {
		warn("cannot remove %s", path);
		ret = -1;
	}
	return ret;
}

/*
 * Find a mount below name in directory dirfd (path for messages), which
 * is on mount mnt: -1 after a warning that names it, or when the tree
 * cannot be read; 0 when there is none.
 */
static int find_mount(int dirfd, const char *name, const char *path,
		      uint64_t mnt)
{
	uint64_t id;
	mode_t mode;
	int fd, ret;

	if (mount_of(dirfd, name, 0, &id, &mode) != 0) {
		if (errno == ENOENT)
			return 0;
		warn("cannot read %s", path);
		return -1;
	}
	if (!S_ISDIR(mode))
		return 0;
	if (id != mnt) {
		warnx("cannot remove %s: it is a mount point", path);
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	if (fd < 0) {
		warn("cannot read %s", path);
		return -1;
	}
	ret = for_each_entry(fd, path, mnt, find_mount);
	close(fd);
	return ret;
}

int remove_tree(const char *path)
{
	char *copy = strdup(path), *slash, *base;
	const char *parent;
	uint64_t mnt;
	mode_t mode;
	int dirfd, ret;

	if (!copy)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	slash = strrchr(copy, '/');
	if (!slash || !slash[1]) {
		warnx("cannot remove %s: not a path to remove", path);
		free(copy);
		return -1;
	}
	*slash = '\0';
	parent = slash == copy ? "/" : copy;
	base = slash + 1;
	dirfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || mount_of(dirfd, "", AT_EMPTY_PATH, &mnt, &mode) != 0) {
		warn("cannot remove %s", path);
		ret = -1;
	} else {
		/* Nothing goes when something cannot: look first */
		ret = find_mount(dirfd, base, path, mnt);
		if (ret == 0)
			ret = remove_at(dirfd, base, path, mnt);
	}
	if (dirfd >= 0)
		close(dirfd);
	free(copy);
	return ret;
}

/* mkdir path with exactly mode; -1 after a warning */
static int make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 || chmod(path, mode) != 0) {
		warn("cannot create %s", path);
		return -1;
	}
	return 0;
}

int make_dirs(const char *path, mode_t mode)
{
	char *copy = strdup(path), *p;
	struct stat st;
	int ret = 0;

	if (!copy)
		err(VS_EXIT_FAILURE, "cannot allocate memory");
	for (p = copy + 1; ret == 0 && copy[1]; p++) {
		bool end = *p == '\0';

		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (stat(copy, &st) != 0) {
			if (errno != ENOENT) {
				warn("cannot create %s", copy);
				ret = -1;
			} else if (make_dir(copy, mode) != 0) {
				ret = -1;
			}
		} else if (!S_ISDIR(st.st_mode)) {
			warnx("cannot create %s: not a directory", copy);
			ret = -1;
		}
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	return ret;
}

/* A new file with text and exactly mode; -1 after a warning */
static int write_text(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0) {
		warn("cannot create %s", path);
		return -1;
	}
	while (len) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		text += n;
		len -= (size_t)n;
	}
	if (len || fchmod(fd, mode) != 0) {
		warn("cannot write %s", path);
		close(fd);
		return -1;
	}
	if (close(fd) != 0) {
		warn("cannot write %s", path);
		return -1;
	}
	return 0;
}

/* A symbolic link path pointing to target; -1 after a warning */
static int make_link(const char *target, const char *path)
{
	if (symlink(target, path) != 0) {
		warn("cannot create %s", path);
		return -1;
	}
	return 0;
}

/* Run argv and wait for it; its exit status, or -1 after a warning */
static int run_program(char **argv, int out_fd)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		warn("cannot fork");
		return -1;
	}
	if (pid == 0) {
		if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(VS_EXIT_CANNOT_EXEC);
		execvp(argv[0], argv);
		warn("failed to execute %s", argv[0]);
		_exit(errno == ENOENT ? VS_EXIT_NOT_FOUND :
		      VS_EXIT_CANNOT_EXEC);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			warn("cannot wait for %s", argv[0]);
			return -1;
		}
	if (WIFSIGNALED(status)) {
		warnx("%s was killed by signal %d", argv[0], WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}

/* The directories every root gets, with their modes */
static const struct {
	const char *path;
	mode_t mode;
} root_dirs[] = {
	{ "bin", 0755 }, { "dev", 0755 }, { "etc", 0755 }, { "home", 0755 },
	{ "proc", 0555 }, { "root", 0700 }, { "run", 0755 }, { "sbin", 0755 },
	{ "tmp", 01777 }, { "usr", 0755 }, { "usr/bin", 0755 },
	{ "usr/sbin", 0755 }, { "var", 0755 }, { "var/log", 0755 },
	{ "var/tmp", 01777 },
};

static int make_skeleton(const char *root)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(root_dirs) && ret == 0; i++) {
		char *path = pathf("%s/%s", root, root_dirs[i].path);

		ret = make_dir(path, root_dirs[i].mode);
		free(path);
	}
	return ret;
}

/*
 * The init build installs: it keeps the guest up until SIGTERM, which it
 * passes on to every process of the guest (kill -1 inside a context
 * reaches that context only) before it exits.  Outside a context, where
 * kill -1 would reach the whole system, it only exits.
 */
static const char init_script[] =
	"#!/bin/sh\n"
	"# The init of a vserver guest: it keeps the guest running until\n"
	"# it gets SIGTERM (\"vserver NAME stop\"), passes the signal on to\n"
	"# every process of the guest, and exits.  kill -1 reaches only the\n"
	"# guest inside a context, so it is sent only there.\n"
	"in_context() {\n"
	"\tgrep -qs '^VxID:[[:space:]]*[1-9]' /proc/self/status\n"
	"}\n"
	"trap 'in_context && kill -TERM -1 2>/dev/null; exit 0' TERM INT\n"
	"while :; do\n"
	"\tsleep 3600 &\n"
	"\twait $!\n"
	"done\n";

/* The program headers of an ELF file: is there an interpreter? */
static int elf_is_static(int fd, bool *is_static)
{
	unsigned char ident[EI_NIDENT];
	uint64_t phoff;
	uint16_t phnum, phentsize, i;

	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return -1;
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return -1;
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return -1;
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
	} else {
		return -1;
	}
	*is_static = true;
	for (i = 0; i < phnum; i++) {
		uint32_t type;

		/* p_type is the first word of both layouts */
		if (pread(fd, &type, sizeof(type),
			  (off_t)(phoff + (uint64_t)i * phentsize)) !=
		    (ssize_t)sizeof(type))
			return -1;
		if (type == PT_INTERP)
			*is_static = false;
	}
	return 0;
}

/* busybox is there and statically linked, or exit saying why */
static void check_busybox(const char *busybox)
{
	bool is_static;
	int fd;

	fd = open(busybox, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errx(VS_EXIT_FAILURE, "%s is missing: install "
			     "busybox-static, or set %s", busybox,
			     BUSYBOX_ENV);
		err(VS_EXIT_FAILURE, "cannot open %s", busybox);
	}
	if (elf_is_static(fd, &is_static) != 0)
		errx(VS_EXIT_FAILURE, "%s is not an executable this tool "
		     "understands (ELF)", busybox);
	close(fd);
	if (!is_static)
		errx(VS_EXIT_FAILURE, "%s is dynamically linked: a guest "
		     "needs a static busybox (busybox-static)", busybox);
}

/* Copy file src to the new file dst with mode */
static int copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[65536];
	int in, out = -1, ret = -1;
	ssize_t n, w;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		warn("cannot open %s", src);
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		   mode);
	if (out < 0) {
		warn("cannot create %s", dst);
		goto out;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("cannot read %s", src);
			goto out;
		}
		if (n == 0)
			break;
		for (w = 0; w < n;) {
			ssize_t m = write(out, buf + w, (size_t)(n - w));

			if (m < 0 && errno == EINTR)
				continue;
			if (m < 0) {
				warn("cannot write %s", dst);
				goto out;
			}
			w += m;
		}
	}
	if (fchmod(out, mode) != 0) {
		warn("cannot write %s", dst);
		goto out;
	}
	ret = 0;
out:
	if (out >= 0 && close(out) != 0 && ret == 0) {
		warn("cannot write %s", dst);
		ret = -1;
	}
	close(in);
	return ret;
}

/* An applet path from "busybox --list-full" that may be linked */
static bool applet_path_ok(const char *p)
{
	const char *s;

	if (!*p || *p == '/' || strcmp(p, "linuxrc") == 0 ||
	    strcmp(p, "sbin/init") == 0)
		return false;
	for (s = p; *s; s++)
		if (*s == '/' && (s[1] == '/' || s[1] == '\0'))
			return false;
	return strcmp(p, "..") != 0 && strncmp(p, "../", 3) != 0 &&
	       !strstr(p, "/../") &&
	       !(strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0);
}

/* The applets of busybox, one link to /bin/busybox each */
static int link_applets(const char *busybox, const char *root)
{
	char *argv[] = { (char *)busybox, "--list-full", NULL };
	char *list = NULL, *line, *next;
	size_t len = 0;
	FILE *f;
	int fd, status, ret = 0;

	/* A file, not a pipe: the list is read once busybox is done */
	fd = memfd_create("applets", MFD_CLOEXEC);
	if (fd < 0) {
		warn("cannot create a file for the list of applets");
		return -1;
	}
	status = run_program(argv, fd);
	if (status != 0) {
		if (status > 0)
			warnx("%s --list-full exited with status %d", busybox,
			      status);
		close(fd);
		return -1;
	}
	f = fdopen(fd, "r");
	if (!f || fseek(f, 0, SEEK_SET) != 0 ||
	    getdelim(&list, &len, '\0', f) < 0) {
		warnx("%s --list-full printed nothing", busybox);
		if (f)
			fclose(f);
		else
			close(fd);
		free(list);
		return -1;
	}
	fclose(f);
	for (line = list; line && ret == 0; line = next) {
		char *path, *dir;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!applet_path_ok(line))
			continue;
		path = pathf("%s/%s", root, line);
		dir = pathf("%s", path);
		*strrchr(dir, '/') = '\0';
		if (make_dirs(dir, 0755) != 0)
			ret = -1;
		else if (symlink("/bin/busybox", path) != 0 &&
			 errno != EEXIST) {
			warn("cannot create %s", path);
			ret = -1;
		}
		free(dir);
		free(path);
	}
	free(list);
	return ret;
}

/* The files of etc/ a small system needs */
static int write_etc(const char *root, const char *hostname)
{
	static const char *const files[][2] = {
		{ "passwd", "root:x:0:0:root:/root:/bin/sh\n"
			    "nobody:x:65534:65534:nobody:/nonexistent:"
			    "/bin/false\n" },
		{ "group", "root:x:0:\nnogroup:x:65534:\n" },
		{ "hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost\n" },
	};
	char *path, *text;
	size_t i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(files) && ret == 0; i++) {
		path = pathf("%s/etc/%s", root, files[i][0]);
		ret = write_text(path, files[i][1], 0644);
		free(path);
	}
	if (ret == 0) {
		path = pathf("%s/etc/hostname", root);
		text = pathf("%s\n", hostname);
		ret = write_text(path, text, 0644);
		free(text);
		free(path);
	}
	return ret;
}

static int make_busybox(const char *root, const char *busybox,
			const char *hostname)
{
	char *path;
	int ret;

	if (make_skeleton(root) != 0)
		return -1;
	path = pathf("%s/bin/busybox", root);
	ret = copy_file(busybox, path, 0755);
	free(path);
	if (ret != 0 || link_applets(busybox, root) != 0 ||
	    write_etc(root, hostname) != 0)
		return -1;
	path = pathf("%s%s", root, GUEST_INIT);
	ret = write_text(path, init_script, 0755);
	free(path);
	return ret;
}

/* True when program is in $PATH */
static bool in_path(const char *program)
{
	const char *env = getenv("PATH"), *p;
	bool found = false;

	for (p = env; p && *p && !found;) {
		size_t len = strcspn(p, ":");
		char *path = pathf("%.*s/%s", (int)len, p, program);

		found = len && access(path, X_OK) == 0;
		free(path);
		p += len;
		if (*p == ':')
			p++;
	}
	return found;
}

static int make_debootstrap(const char *root, const char *suite,
			    const char *mirror, const char *hostname)
{
	char *argv[] = { "debootstrap", "--variant=minbase", (char *)suite,
			 (char *)root, (char *)mirror, NULL };
	char *path, *text;
	int status, fd, ret;

	status = run_program(argv, -1);
	if (status != 0) {
		if (status > 0)
			warnx("debootstrap exited with status %d: see its "
			      "messages above (is %s reachable, and is '%s' "
			      "a suite it has?)", status, mirror, suite);
		return -1;
	}
	path = pathf("%s/etc/hostname", root);
	text = pathf("%s\n", hostname);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	ret = fd < 0 || write(fd, text, strlen(text)) !=
			(ssize_t)strlen(text) ? -1 : 0;
	if (ret != 0)
		warn("cannot write %s", path);
	if (fd >= 0)
		close(fd);
	free(text);
	free(path);
	if (ret != 0)
		return -1;
	path = pathf("%s%s", root, GUEST_INIT);
	ret = write_text(path, init_script, 0755);
	free(path);
	return ret;
}

/* The longest list of --ip */
#define MAX_BUILD_ADDRS	64

/* The addresses of --ip, and the --dev they go through */
struct build_net {
	struct vs_net_addr *addrs;
	size_t n;
	const char *dev;	/* NULL: nodev */
	bool prefix[MAX_BUILD_ADDRS];	/* addrs[i] came with a prefix */
};

/*
 * interfaces/0/, interfaces/1/, ... of the new guest in dir: ip, prefix
 * when one was given, and dev or nodev
 */
static int write_interfaces(const char *dir, const struct build_net *net)
{
	char text[INET6_ADDRSTRLEN + 8], *path, *value;
	size_t i;
	int ret;

	if (!net->n)
		return 0;
	path = pathf("%s/interfaces", dir);
	ret = make_dir(path, 0755);
	free(path);
	for (i = 0; i < net->n && ret == 0; i++) {
		const struct vs_net_addr *a = &net->addrs[i];

		path = pathf("%s/interfaces/%zu", dir, i);
		ret = make_dir(path, 0755);
		free(path);
		if (ret != 0)
			break;
		if (vs_net_format_addr(a, text, sizeof(text)) != 0)
			errx(VS_EXIT_FAILURE, "cannot format an address");
		*strrchr(text, '/') = '\0';
		path = pathf("%s/interfaces/%zu/ip", dir, i);
		value = pathf("%s\n", text);
		ret = write_text(path, value, 0644);
		free(value);
		free(path);
		if (ret == 0 && net->prefix[i]) {
			path = pathf("%s/interfaces/%zu/prefix", dir, i);
			value = pathf("%u\n", a->prefix);
			ret = write_text(path, value, 0644);
			free(value);
			free(path);
		}
		if (ret != 0)
			break;
		if (net->dev) {
			path = pathf("%s/interfaces/%zu/dev", dir, i);
			value = pathf("%s\n", net->dev);
		} else {
			path = pathf("%s/interfaces/%zu/nodev", dir, i);
			value = pathf("%s", "");
		}
		ret = write_text(path, value, 0644);
		free(value);
		free(path);
	}
	return ret;
}

/* The configuration of a new guest, in dir (which exists) */
static int write_config(const char *dir, const char *name, uint32_t xid,
			const char *hostname, const char *root,
			const char *init, const struct build_net *net)
{
	static const char *const subdirs[] = {
		"uts", "rlimits", "scripts", "apps", "apps/init",
	};
	const char *files[][2] = {
		{ "context", NULL },
		{ "name", NULL },
		{ "uts/nodename", NULL },
		{ "apps/init/cmd.start", NULL },
		{ "bcapabilities",
		  "# The capability ceiling is a safe set; add a capability\n"
		  "# by its name (net_raw), remove one with ~ (~sys_chroot), "
		  "one per line.\n" },
		{ "ccapabilities",
		  "# Context capabilities to set, one per line: set_utsname, "
		  "raw_icmp.\n" },
		{ "cflags",
		  "# Context flags to set, one per line: private, "
		  "virt_uptime,\n# hide_vinfo, persistent.\n" },
	};
	char *values[4], *path;
	size_t i;
	int ret = 0;

	values[0] = pathf("%u\n", xid);
	values[1] = pathf("%s\n", name);
	values[2] = pathf("%s\n", hostname);
	values[3] = pathf("%s\n", init);
	for (i = 0; i < 4; i++)
		files[i][1] = values[i];
	for (i = 0; i < ARRAY_SIZE(subdirs) && ret == 0; i++) {
		path = pathf("%s/%s", dir, subdirs[i]);
		ret = make_dir(path, 0755);
		free(path);
	}
	for (i = 0; i < ARRAY_SIZE(files) && ret == 0; i++) {
		path = pathf("%s/%s", dir, files[i][0]);
		ret = write_text(path, files[i][1], 0644);
		free(path);
	}
	if (ret == 0) {
		path = pathf("%s/vdir", dir);
		ret = make_link(root, path);
		free(path);
	}
	if (ret == 0)
		ret = write_interfaces(dir, net);
	for (i = 0; i < 4; i++)
		free(values[i]);
	return ret;
}

/*
 * The guest of another directory below the configuration directory that
 * has context xid, or NULL; with xid 0, mark every context in use in
 * used[] instead.
 */
static char *guest_with_xid(uint32_t xid, const char *except,
			    unsigned char *used)
{
	const char *confdir = guest_dir(GUEST_CONFDIR);
	char msg[PATH_MAX + 256], *found = NULL;
	struct dirent *d;
	DIR *dir;

	dir = opendir(confdir);
	if (!dir)
		return NULL;
	while (!found && (d = readdir(dir)) != NULL) {
		struct guest_config c;

		if (guest_name_check(d->d_name) ||
		    strcmp(d->d_name, except) == 0 ||
		    guest_config_load(confdir, d->d_name, GUEST_CONF_IDENT, &c,
				      msg, sizeof(msg)) != 0)
			continue;
		if (used)
			used[c.xid / 8] |= (unsigned char)(1u << (c.xid % 8));
		else if (c.xid == xid)
			found = strdup(d->d_name);
		guest_config_free(&c);
	}
	closedir(dir);
	return found;
}

/* The lowest xid from FIRST_XID up no guest has and no context uses */
static uint32_t free_xid(const char *name)
{
	static unsigned char used[(VX_XID_MAX + 1) / 8];
	struct vcmd_vx_info_v0 info;
	uint32_t xid;

	guest_with_xid(0, name, used);
	for (xid = FIRST_XID; xid <= VX_XID_MAX; xid++) {
		if (used[xid / 8] & (1u << (xid % 8)))
			continue;
		if (vs_vx_info(xid, &info) != 0 &&
		    (errno == ESRCH || vserver_unavailable(errno)))
			return xid;
	}
	errx(VS_EXIT_FAILURE, "no free context id for guest '%s'", name);
}

/*
 * Remove guest c, which is not running: its root directory below the
 * root directory of guests, its run directory, its configuration.
 */
static int delete_files(const struct guest_config *c)
{
	char *root = pathf("%s/%s", guest_dir(GUEST_ROOTDIR), c->name);
	char *vdir = pathf("%s/vdir", c->dir), *target, *real;
	struct stat st;
	int ret = 0;

	/* A root elsewhere is not ours to remove */
	target = realpath(vdir, NULL);
	real = realpath(root, NULL);
	if (target && (!real || strcmp(target, real) != 0))
		warnx("%s points to %s, which is not %s: left in place", vdir,
		      target, root);
	free(target);
	free(real);
	if (lstat(root, &st) == 0)
		ret = remove_tree(root);
	if (ret == 0) {
		remove_run_dir(c->name);
		ret = remove_tree(c->dir);
	}
	free(vdir);
	free(root);
	return ret;
}

/*
 * The guest name for delete and build --force: its configuration, if
 * only the part that names its context; exits when it is running, with
 * the lock held.
 */
static void take_stopped(const char *name, struct guest_config *c)
{
	char msg[PATH_MAX + 256];
	struct guest_state st;

	if (guest_config_load(guest_dir(GUEST_CONFDIR), name, GUEST_CONF_IDENT,
			      c, msg, sizeof(msg)) == 0) {
		lock_guest(c);
		probe_guest(c, &st);
		if (st.running)
			errx(VSERVER_EXIT_RUNNING, "guest '%s' is running "
			     "(context %u): stop it first", name, c->xid);
		return;
	}
	/* A guest whose context cannot be read was never started as is */
	load_guest(name, 0, c);
	lock_guest(c);
}

/* Add the address of --ip to net, or exit with a usage error */
static void add_build_addr(struct build_net *net, const char *arg)
{
	struct vs_net_addr *a = &net->addrs[net->n];
	size_t i, len;

	if (net->n == MAX_BUILD_ADDRS)
		usage_error(vserver_cmd, "more than %d addresses",
			    MAX_BUILD_ADDRS);
	if (vs_net_parse_addr(arg, a) != 0)
		usage_error(vserver_cmd, "invalid address '%s' (IPv4 or IPv6, "
			    "with an optional /prefix)", arg);
	len = a->family == AF_INET ? 4 : 16;
	for (i = 0; i < net->n; i++)
		if (net->addrs[i].family == a->family &&
		    memcmp(net->addrs[i].addr, a->addr, len) == 0)
			usage_error(vserver_cmd, "address '%s' is given twice",
				    arg);
	net->prefix[net->n] = strchr(arg, '/') != NULL;
	net->n++;
}

static void __attribute__((noreturn)) build_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s -m <method> [options]\n", vserver_usage_cmd);
	fputs("\nMake a new guest: its configuration and its root "
	      "directory.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -m, --method <method>   how to fill the root: busybox, "
	      "skeleton or\n"
	      "                         debootstrap\n", out);
	fputs(" -c, --context <xid>     the context id (default: the lowest "
	      "free one\n"
	      "                         from 100 up)\n", out);
	fputs(" -n, --hostname <name>   the host name inside (default: the "
	      "guest's name)\n", out);
	fputs(" -f, --force             replace a stopped guest of that "
	      "name\n", out);
	fputs("     --suite <suite>     debootstrap: the distribution "
	      "(default: " DEBOOTSTRAP_SUITE ")\n", out);
	fputs("     --mirror <url>      debootstrap: the mirror (default:\n"
	      "                         " DEBOOTSTRAP_MIRROR ")\n", out);
	fputs("     --ip <addr>[/<prefix>]\n"
	      "                         an address of the guest, IPv4 or IPv6; "
	      "repeat for\n"
	      "                         more: the guest gets a network "
	      "context of its own\n", out);
	fputs("     --dev <device>      the host device whose LAN reaches the "
	      "addresses\n"
	      "                         (default: none, only the host does)\n",
	      out);
	fputs("\n -h, --help              display this help\n", out);
	fputs("\nMethods:\n", out);
	fputs(" busybox      a small working system from a static busybox\n",
	      out);
	fputs(" skeleton     the directories only\n", out);
	fputs(" debootstrap  a minimal Debian, from a mirror\n", out);
	fputs(VS_USAGE_MAN_TAIL("vserver(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vserver_build(const char *name, int argc, char **argv)
{
	enum { OPT_SUITE = 0x100, OPT_MIRROR, OPT_IP, OPT_DEV };
	static const char optstring[] = ":m:c:n:fh";
	static const struct option longopts[] = {
		{ "method",	required_argument,	NULL,	'm' },
		{ "context",	required_argument,	NULL,	'c' },
		{ "hostname",	required_argument,	NULL,	'n' },
		{ "force",	no_argument,		NULL,	'f' },
		{ "suite",	required_argument,	NULL,	OPT_SUITE },
		{ "mirror",	required_argument,	NULL,	OPT_MIRROR },
		{ "ip",		required_argument,	NULL,	OPT_IP },
		{ "dev",	required_argument,	NULL,	OPT_DEV },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	const char *hostname = NULL, *suite = NULL, *mirror = NULL;
	const char *busybox = getenv(BUSYBOX_ENV), *why, *init;
	static struct vs_net_addr addrs[MAX_BUILD_ADDRS];
	struct build_net net = { .addrs = addrs };
	char msg[PATH_MAX + 256], *dir, *root, *other;
	int method = -1, c, ret;
	bool force = false;
	uint32_t xid = 0;
	struct stat st;
	size_t i;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			for (i = 0; i < NR_METHODS; i++)
				if (strcmp(optarg, method_names[i]) == 0)
					method = (int)i;
			if (method < 0)
				usage_error(vserver_cmd, "unknown method '%s' "
					    "(busybox, skeleton or "
					    "debootstrap)", optarg);
			break;
		case 'c':
			if (parse_xid(optarg, VX_XID_MIN, &xid) != 0)
				usage_error(vserver_cmd, "invalid context id "
					    "'%s'", optarg);
			break;
		case 'n':
			if (!*optarg || strchr(optarg, '\n'))
				usage_error(vserver_cmd, "invalid host name "
					    "'%s'", optarg);
			check_name_length("hostname", optarg, vserver_cmd);
			hostname = optarg;
			break;
		case 'f':
			force = true;
			break;
		case OPT_SUITE:
			suite = optarg;
			break;
		case OPT_MIRROR:
			mirror = optarg;
			break;
		case OPT_IP:
			add_build_addr(&net, optarg);
			break;
		case OPT_DEV:
			why = guest_dev_check(optarg);
			if (why)
				usage_error(vserver_cmd, "invalid device name "
					    "'%s': %s", optarg, why);
			net.dev = optarg;
			break;
		case 'h':
			build_usage();
		default:
			getopt_error(c, argv, optstring, vserver_cmd);
		}
	}
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	if (method < 0)
		usage_error(vserver_cmd, "no method specified (-m busybox, "
			    "skeleton or debootstrap)");
	if ((suite || mirror) && method != METHOD_DEBOOTSTRAP)
		usage_error(vserver_cmd, "--%s is only for -m debootstrap",
			    suite ? "suite" : "mirror");
	if (net.dev && !net.n)
		usage_error(vserver_cmd, "--dev is only for addresses given "
			    "with --ip");
	why = guest_name_check(name);
	if (why)
		usage_error(vserver_cmd, "invalid guest name '%s': %s", name,
			    why);
	if (guest_dirs_check(msg, sizeof(msg)) != 0)
		errx(VS_EXIT_FAILURE, "%s", msg);
	if (!hostname)
		hostname = name;
	if (!busybox || !*busybox)
		busybox = BUSYBOX_DEFAULT;
	suite = suite ? suite : DEBOOTSTRAP_SUITE;
	mirror = mirror ? mirror : DEBOOTSTRAP_MIRROR;

	/* What the method needs is there, before anything is made */
	if (method == METHOD_BUSYBOX)
		check_busybox(busybox);
	if (method == METHOD_DEBOOTSTRAP && !in_path("debootstrap"))
		errx(VS_EXIT_FAILURE, "debootstrap is not installed: install "
		     "the debootstrap package, or build with -m busybox");

	umask(022);
	dir = pathf("%s/%s", guest_dir(GUEST_CONFDIR), name);
	root = pathf("%s/%s", guest_dir(GUEST_ROOTDIR), name);
	if (lstat(dir, &st) == 0) {
		struct guest_config old;

		if (!force)
			errx(VS_EXIT_FAILURE, "guest '%s' already exists in %s",
			     name, guest_dir(GUEST_CONFDIR));
		take_stopped(name, &old);
		if (delete_files(&old) != 0)
			errx(VS_EXIT_FAILURE, "cannot replace guest '%s'",
			     name);
		guest_config_free(&old);
	}
	if (lstat(root, &st) == 0) {
		if (!force)
			errx(VS_EXIT_FAILURE, "root directory %s already "
			     "exists", root);
		if (remove_tree(root) != 0)
			errx(VS_EXIT_FAILURE, "cannot replace guest '%s'",
			     name);
	}
	if (xid) {
		other = guest_with_xid(xid, name, NULL);
		if (other)
			errx(VS_EXIT_FAILURE, "context %u is already used by "
			     "guest '%s'", xid, other);
	} else {
		xid = free_xid(name);
	}

	/* The base directories; a new one for roots is for root only */
	if (make_dirs(guest_dir(GUEST_CONFDIR), 0755) != 0 ||
	    (access(guest_dir(GUEST_ROOTDIR), F_OK) != 0 &&
	     make_dirs(guest_dir(GUEST_ROOTDIR), 0700) != 0))
		return VS_EXIT_FAILURE;
	if (mkdir(dir, 0755) != 0)
		err(VS_EXIT_FAILURE, "cannot create %s", dir);
	if (mkdir(root, 0755) != 0) {
		warn("cannot create %s", root);
		rmdir(dir);
		return VS_EXIT_FAILURE;
	}

	init = method == METHOD_SKELETON ? GUEST_DEFAULT_INIT : GUEST_INIT;
	switch (method) {
	case METHOD_BUSYBOX:
		ret = make_busybox(root, busybox, hostname);
		break;
	case METHOD_DEBOOTSTRAP:
		ret = make_debootstrap(root, suite, mirror, hostname);
		break;
	default:
		ret = make_skeleton(root);
		break;
	}
	if (ret == 0)
		ret = write_config(dir, name, xid, hostname, root, init,
				   &net);
	if (ret != 0) {
		/* Leave nothing half made */
		remove_tree(root);
		remove_tree(dir);
		warnx("guest '%s' was not built", name);
		ret = VS_EXIT_FAILURE;
	}
	free(root);
	free(dir);
	return ret;
}

static void __attribute__((noreturn)) delete_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]\n", vserver_usage_cmd);
	fputs("\nRemove a stopped guest: its root directory and its "
	      "configuration.\n", out);
	fputs("\nOptions:\n", out);
	fputs(" -h, --help     display this help\n", out);
	fputs(VS_USAGE_MAN_TAIL("vserver(8)"), out);
	exit(VS_EXIT_SUCCESS);
}

int vserver_delete(const char *name, int argc, char **argv)
{
	static const char optstring[] = ":h";
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	struct guest_config c;
	char msg[PATH_MAX + 256];
	int ch, ret;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			delete_usage();
		default:
			getopt_error(ch, argv, optstring, vserver_cmd);
		}
	}
	if (optind < argc)
		usage_error(vserver_cmd, "unexpected argument '%s'",
			    argv[optind]);
	if (guest_dirs_check(msg, sizeof(msg)) != 0)
		errx(VS_EXIT_FAILURE, "%s", msg);

	take_stopped(name, &c);
	ret = delete_files(&c);
	guest_config_free(&c);
	return ret == 0 ? VS_EXIT_SUCCESS : VS_EXIT_FAILURE;
}
