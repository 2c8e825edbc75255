// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared helpers of the utilities (util-vserver/common.c): checked
 * number parsing and JSON string output.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	char *buf = NULL;
	size_t i, len = 0;
	bool first = true;
	FILE *f;

	tap_plan(ARRAY_SIZE(numbers) + ARRAY_SIZE(strings) + 1);

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
	return tap_done();
}
