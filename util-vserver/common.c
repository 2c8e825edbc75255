// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers shared by the vserver utilities; see common.h.
 */

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vserver.h>

#include "common.h"

void errtryhelp(const char *cmd)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", cmd);
	exit(VS_EXIT_FAILURE);
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	errtryhelp(cmd);
}

void getopt_error(int c, char *const argv[], const char *optstring,
		  const char *cmd)
{
	/*
	 * For long options and missing arguments getopt_long() has moved
	 * optind past the offending element.  For an unknown short option
	 * inside a cluster ("-ax") it may not have, so that case is told by
	 * optopt alone: an unknown short option is not in optstring, while a
	 * long option that was given an argument it does not take reports
	 * its val, which is either a known short option or not a character.
	 */
	const char *arg = argv[optind - 1];
	bool is_long;

	if (c == ':') {
		if (strncmp(arg, "--", 2) != 0)
			usage_error(cmd, "option requires an argument -- '%c'",
				    optopt);
		usage_error(cmd, "option '%s' requires an argument", arg);
	}
	if (!optopt)
		usage_error(cmd, "unrecognized option '%s'", arg);
	is_long = optopt > 0xFF ||
		  (optopt != ':' && optopt != '+' && strchr(optstring, optopt));
	if (is_long)
		usage_error(cmd, "option '%.*s' doesn't allow an argument",
			    (int)strcspn(arg, "="), arg);
	usage_error(cmd, "invalid option -- '%c'", optopt);
}

int parse_u32(const char *str, int base, uint32_t *out)
{
	unsigned long val;
	char *end;

	/* strtoul() would skip white space and accept a sign: refuse both */
	if (!str || !isalnum((unsigned char)*str)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	val = strtoul(str, &end, base);
	if (errno == EINVAL || end == str || *end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || val > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = (uint32_t)val;
	return 0;
}

uint32_t parse_u32_or_err(const char *str, const char *what)
{
	uint32_t val;

	if (parse_u32(str, 10, &val) == 0)
		return val;
	if (errno == ERANGE)
		errx(VS_EXIT_FAILURE, "%s out of range: '%s'", what, str);
	errx(VS_EXIT_FAILURE, "invalid %s: '%s'", what, str);
}

/* Length of the well-formed UTF-8 sequence at p, or 0 if there is none. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4;
	else
		return 0;

	/* Second byte limits: no overlong forms, surrogates or > U+10FFFF */
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return len;
}

/* The UTF-8 sequence of len bytes at p is a C1 control, U+0080..U+009F */
static bool utf8_is_c1(const unsigned char *p, size_t len)
{
	return len == 2 && p[0] == 0xC2 && p[1] < 0xA0;
}

const char *safe_string(const char *s, char *buf, size_t size, size_t *width)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t len, out = 0, cols = 0, i;

	while (size && *p) {
		len = utf8_len(p);
		if (len == 1 && *p >= 0x20 && *p < 0x7F && *p != '\\') {
			if (out + 1 >= size)
				break;
			buf[out++] = (char)*p++;
			cols++;
			continue;
		}
		if (len > 1 && !utf8_is_c1(p, len)) {
			if (out + len >= size)
				break;
			memcpy(buf + out, p, len);
			out += len;
			p += len;
			cols++;
			continue;
		}
		/* One byte at a time: a C1 control is two of them */
		for (i = 0; i < (len ? len : 1); i++, p++) {
			if (out + 4 >= size)
				goto full;
			buf[out++] = '\\';
			buf[out++] = 'x';
			buf[out++] = hex[*p >> 4];
			buf[out++] = hex[*p & 0xF];
			cols += 4;
		}
	}
full:
	if (size)
		buf[out] = '\0';
	if (width)
		*width = cols;
	return buf;
}

void json_print_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p) {
		len = utf8_len(p);
		if (len == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		/* Valid JSON raw, but a terminal may act on it */
		if (utf8_is_c1(p, len)) {
			fprintf(f, "\\u%04x", p[1]);
			p += len;
			continue;
		}
		if (len > 1) {
			fwrite(p, 1, len, f);
			p += len;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7F)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
			break;
		}
		p++;
	}
	fputc('"', f);
}

void json_key(FILE *f, bool *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_print_string(f, key);
	fputc(':', f);
}

/*
 * What err, the errno of a failed vserver command, says about the kernel:
 * a VS_SUPPORT_* value.  ENOSYS is the system call missing; EOPNOTSUPP
 * from every command, VCMD_get_version included, is vserver left out of
 * the active LSMs, while from one command it is only that command
 * missing.  errno is left alone.
 */
static int support_after(int err)
{
	int saved = errno, support;

	if (err == ENOSYS)
		return VS_SUPPORT_MISSING;
	if (err != EOPNOTSUPP)
		return VS_SUPPORT_ENABLED;
	support = vs_support();
	errno = saved;
	return support == VS_SUPPORT_DISABLED ? support : VS_SUPPORT_ENABLED;
}

bool vserver_unavailable(int err)
{
	return support_after(err) != VS_SUPPORT_ENABLED;
}

void die_if_vserver_unavailable(int err)
{
	switch (support_after(err)) {
	case VS_SUPPORT_MISSING:
		errx(VS_EXIT_FAILURE,
		     "this kernel has no vserver support: syscall %d returned "
		     "ENOSYS; boot a kernel built with CONFIG_VSERVER",
		     VS_SYSCALL_NR);
	case VS_SUPPORT_DISABLED:
		errx(VS_EXIT_FAILURE,
		     "vserver is built into this kernel but not enabled: add "
		     "vserver to the lsm= boot parameter");
	}
}

void die_vserver_call(const char *op)
{
	die_if_vserver_unavailable(errno);
	err(VS_EXIT_FAILURE, "%s failed", op);
}

int require_vserver(void)
{
	int version = vs_get_version();

	if (version < 0)
		die_vserver_call("get_version");
	return version;
}

static int close_stream(FILE *stream)
{
	bool had_error = ferror(stream);

	if (fclose(stream) != 0)
		return -1;
	if (had_error) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void close_stdout(void)
{
	if (close_stream(stdout) != 0) {
		warn("write error");
		_exit(VS_EXIT_FAILURE);
	}
	if (close_stream(stderr) != 0)
		_exit(VS_EXIT_FAILURE);
}

void close_stdout_atexit(void)
{
	atexit(close_stdout);
}

void print_version(void)
{
	printf("%s from %s %s\n", program_invocation_short_name,
	       PACKAGE_NAME, PACKAGE_VERSION);
	exit(VS_EXIT_SUCCESS);
}

const void *find_named(const void *table, size_t n, size_t size,
		       const char *name)
{
	const char *entry = table;
	size_t i;

	for (i = 0; i < n; i++, entry += size)
		if (strcmp(*(const char *const *)entry, name) == 0)
			return entry;
	return NULL;
}

static void __attribute__((noreturn))
listing_usage(const struct listing_help *help)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s [options]%s\n", help->synopsis, help->args);
	fprintf(out, "\n%s\n", help->what);
	fputs("\nOptions:\n", out);
	fputs(" -J, --json         print one JSON object on one line\n", out);
	if (help->headings)
		fputs(" -n, --noheadings   don't print headings\n", out);
	fputs("\n -h, --help         display this help\n", out);
	fprintf(out, VS_USAGE_MAN_TAIL("%s"), help->manpage);
	exit(VS_EXIT_SUCCESS);
}

int parse_listing(int argc, char **argv, struct listing_opts *opts,
		  const struct listing_help *help)
{
	static const struct option with_headings[] = {
		{ "json",	no_argument,	NULL,	'J' },
		{ "help",	no_argument,	NULL,	'h' },
		{ "noheadings",	no_argument,	NULL,	'n' },
		{ NULL,		0,		NULL,	0 }
	};
	static const struct option without_headings[] = {
		{ "json",	no_argument,	NULL,	'J' },
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 }
	};
	const char *optstring = help->headings ? ":Jnh" : ":Jh";
	const struct option *longopts =
		help->headings ? with_headings : without_headings;
	int c;

	memset(opts, 0, sizeof(*opts));
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			opts->json = true;
			break;
		case 'n':
			opts->noheadings = true;
			break;
		case 'h':
			listing_usage(help);
		default:
			getopt_error(c, argv, optstring, help->cmd);
		}
	}
	return optind;
}
