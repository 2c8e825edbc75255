// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared helpers of the utilities (util-vserver/common.c): checked
 * number parsing, escaped and JSON string output, and telling a kernel
 * without vserver from one that has it but did not enable it.  The
 * vserver system call lands in the kernel faked here.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <vserver.h>

#include "common.h"
#include "tap.h"

static const struct {
	const char *str;
	int base;
	int err;		/* 0: parses to value */
	uint32_t value;
} numbers[] = {
	{ "0",			10, 0,		0 },
	{ "42",			10, 0,		42 },
	{ "4294967295",		10, 0,		UINT32_MAX },
	{ "4294967296",		10, ERANGE,	0 },
	{ "99999999999999999999999", 10, ERANGE, 0 },
	{ "0x10",		16, 0,		16 },
	{ "ff",			16, 0,		255 },
	{ "",			10, EINVAL,	0 },
	{ " 1",			10, EINVAL,	0 },
	{ "+1",			10, EINVAL,	0 },
	{ "-1",			10, EINVAL,	0 },
	{ "1 ",			10, EINVAL,	0 },
	{ "12abc",		10, EINVAL,	0 },
	{ "0x10",		10, EINVAL,	0 },
	{ "abc",		10, EINVAL,	0 },
};

static const struct {
	const char *in;
	const char *out;
	const char *what;
} strings[] = {
	{ "",			"\"\"",			"empty string" },
	{ "plain",		"\"plain\"",		"plain ASCII" },
	{ "a\"b\\c",		"\"a\\\"b\\\\c\"",	"quote and backslash" },
	{ "\b\f\n\r\t",		"\"\\b\\f\\n\\r\\t\"",	"short escapes" },
	{ "\x01\x1f\x7f",	"\"\\u0001\\u001f\\u007f\"",
	  "other control characters" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	  "valid UTF-8 passes through" },
	{ "a\xff" "b",		"\"a\\ufffdb\"",	"invalid byte" },
	{ "\xc3",		"\"\\ufffd\"",		"truncated sequence" },
	{ "\xc0\xaf",		"\"\\ufffd\\ufffd\"",	"overlong encoding" },
	{ "\xed\xa0\x80",	"\"\\ufffd\\ufffd\\ufffd\"",
	  "UTF-16 surrogate" },
	{ "\xf4\x90\x80\x80",	"\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
	  "code point above U+10FFFF" },
	{ "a\xc2\x9b" "b\xc2\x80\xc2\xa0", "\"a\\u009bb\\u0080\xc2\xa0\"",
	  "C1 controls escaped, U+00A0 kept" },
};

static const struct {
	const char *in;
	const char *out;
	size_t width;
	const char *what;
} names[] = {
	{ "", "", 0, "empty string" },
	{ "web-1.example", "web-1.example", 13, "printable ASCII" },
	{ "a\x1b[2Jb", "a\\x1b[2Jb", 9, "escape character" },
	{ "a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd", 16,
	  "newline, tab and carriage return" },
	{ "a\\b", "a\\x5cb", 6, "backslash" },
	{ "\x7f\x01", "\\x7f\\x01", 8, "DEL and a C0 control" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 8,
	  "valid UTF-8 stays, one column a character" },
	{ "\xc2\x9b" "1m", "\\xc2\\x9b" "1m", 10, "C1 control (CSI)" },
	{ "a\xff" "b", "a\\xffb", 6, "invalid byte" },
	{ "\xe2\x82", "\\xe2\\x82", 8, "truncated sequence" },
	{ "\xc0\xaf", "\\xc0\\xaf", 8, "overlong encoding" },
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80", 12, "UTF-16 surrogate" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* json_print_string(in) into a new NUL-terminated string, or NULL */
static char *capture_string(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	json_print_string(f, in);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* How the fake kernel answers: VCMD_get_version fails with version_err */
static int version_err;
static int calls;

long syscall(long nr, ...)
{
	va_list ap;
	unsigned long cmd;

	va_start(ap, nr);
	cmd = va_arg(ap, unsigned long);
	va_end(ap);
	calls++;
	if (nr != VS_SYSCALL_NR || cmd != VCMD_get_version) {
		errno = ENOSYS;
		return -1;
	}
	if (version_err) {
		errno = version_err;
		return -1;
	}
	return 0x00010000;
}

static void test_safe_string(void)
{
	char buf[SAFE_STRING_SIZE(16)], small[6];
	size_t i, width;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *out;

		memset(buf, 'X', sizeof(buf));
		width = 12345;
		out = safe_string(names[i].in, buf, sizeof(buf), &width);
		if (!tap_ok(out == buf && strcmp(out, names[i].out) == 0 &&
			    width == names[i].width,
			    "safe_string: %s", names[i].what))
			tap_diag("got \"%s\", width %zu", out, width);
	}

	/* "abc" and an escape of 4 do not fit in 6 bytes with the NUL */
	memset(small, 'X', sizeof(small));
	safe_string("abc\x1b" "d", small, sizeof(small), &width);
	tap_ok(strcmp(small, "abc") == 0 && width == 3,
	       "safe_string cuts before an escape that does not fit");
	memset(small, 'X', sizeof(small));
	safe_string("ab\xe2\x82\xac", small, 5, NULL);
	tap_ok(strcmp(small, "ab") == 0,
	       "safe_string cuts before a character that does not fit");
	small[0] = 'X';
	safe_string("abc", small, 0, NULL);
	tap_ok(small[0] == 'X', "safe_string writes nothing into 0 bytes");
}

static void test_unavailable(void)
{
	static const struct {
		int err;		/* of the failed command */
		int version_err;	/* of VCMD_get_version, asked again */
		bool unavailable;
		int calls;
		const char *what;
	} cases[] = {
		{ ENOSYS, 0, true, 0,
		  "ENOSYS means no vserver, without asking again" },
		{ EOPNOTSUPP, EOPNOTSUPP, true, 1,
		  "EOPNOTSUPP from get_version too: vserver not enabled" },
		{ EOPNOTSUPP, 0, false, 1,
		  "EOPNOTSUPP from one command only is that command missing" },
		{ ESRCH, 0, false, 0,
		  "other errors say nothing about vserver" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool r;

		version_err = cases[i].version_err;
		calls = 0;
		errno = 4321;
		r = vserver_unavailable(cases[i].err);
		tap_ok(r == cases[i].unavailable && calls == cases[i].calls &&
		       errno == 4321, "vserver_unavailable: %s",
		       cases[i].what);
	}
}

int main(void)
{
	char *buf = NULL;
	size_t i, len = 0;
	bool first = true;
	FILE *f;

	tap_plan(ARRAY_SIZE(numbers) + ARRAY_SIZE(strings) + 1 +
		 ARRAY_SIZE(names) + 3 + 4);

	for (i = 0; i < ARRAY_SIZE(numbers); i++) {
		uint32_t val = 0xDEADBEEF;
		int r;

		errno = 0;
		r = parse_u32(numbers[i].str, numbers[i].base, &val);
		if (numbers[i].err)
			tap_ok(r == -1 && errno == numbers[i].err &&
			       val == 0xDEADBEEF,
			       "parse_u32(\"%s\", %d) fails with %s",
			       numbers[i].str, numbers[i].base,
			       numbers[i].err == ERANGE ? "ERANGE" : "EINVAL");
		else
			tap_ok(r == 0 && val == numbers[i].value,
			       "parse_u32(\"%s\", %d) is %u", numbers[i].str,
			       numbers[i].base, numbers[i].value);
	}

	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		char *out = capture_string(strings[i].in);

		if (!tap_ok(out && strcmp(out, strings[i].out) == 0,
			    "json_print_string: %s", strings[i].what))
			tap_diag("got %s", out ? out : "(no output)");
		free(out);
	}

	f = open_memstream(&buf, &len);
	if (f) {
		fputc('{', f);
		json_key(f, &first, "a");
		fputc('1', f);
		json_key(f, &first, "b\"");
		fputs("[]}", f);
		fclose(f);
	}
	if (!tap_ok(buf && strcmp(buf, "{\"a\":1,\"b\\\"\":[]}") == 0,
		    "json_key separates members with commas"))
		tap_diag("got %s", buf ? buf : "(no output)");
	free(buf);

	test_safe_string();
	test_unavailable();
	return tap_done();
}
