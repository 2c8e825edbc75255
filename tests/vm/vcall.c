// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcall: issue raw sys_vserver(cmd, id, data) calls, for the tests of the
 * binary interface.
 *
 *   vcall [-3] [-o N] CMD ID [HEXBYTES|-] [+ CALL...] [-- PROGRAM [ARG...]]
 *
 * The argument structure is given as bytes in memory order and printed
 * back the same way after the call, so a test compares exactly what the
 * kernel read and wrote.  The buffer ends where a PROT_NONE page begins:
 * a kernel that reads or writes one byte past the size given fails with
 * EFAULT instead of going unnoticed.
 *
 * Calls joined with "+" are made by the same process, in order, as a tool
 * makes them: what the kernel allows a task only until it executes a
 * program (configuring the context it just created) stays allowed from
 * one call to the next.
 */

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/vserver.h>

#define PAGE		4096UL
#define MAX_BYTES	PAGE
#define MAX_CALLS	32

struct call {
	uint32_t cmd, id;
	int i386;		/* through int 0x80 */
	int null;		/* data is NULL */
	size_t size;		/* bytes of the structure */
	unsigned char *buf;	/* the structure, ending at a guard page */
};

static void usage(FILE *out)
{
	fprintf(out,
		"\nUsage:\n"
		" vcall [options] <cmd> <id> [<hexbytes>|-] [+ <call>]... [-- <program> [<arg>...]]\n"
		"\nIssue sys_vserver(cmd, id, data) calls and print their results.\n"
		"\n<cmd> and <id> are numbers, decimal or hexadecimal with 0x.\n"
		"<hexbytes> is the argument structure as bytes in memory order\n"
		"(a little-endian u64 of 7 is 0700000000000000); '.', ':' and '_'\n"
		"may separate them.  '-' or nothing passes NULL.  The structure\n"
		"ends where an unmapped page begins.\n"
		"\nMore calls, each with its own options, follow after '+'; the same\n"
		"process makes them in order and stops at the first that fails.\n"
		"\nOptions (of the call they are given with):\n"
		" -3, --i386       call through int 0x80 (the i386 entry, 273), with\n"
		"                  the structure below 4 GiB; default: syscall 236\n"
		" -o, --size <n>   make the structure <n> bytes, zero-filled past\n"
		"                  <hexbytes> (default: the length of <hexbytes>)\n"
		" -h, --help       display this help\n"
		"\nOutput, one line per call: ret=<result> errno=<name or 0>, then\n"
		"data=<hexbytes> with the structure after the call, if it has any\n"
		"bytes.  An error gives ret=-1.  With a program after '--', the\n"
		"program is executed in place of vcall if every call succeeded.\n"
		"\nExit status: 0; 1 if a program was given and a call failed;\n"
		"2 on a usage error; 127 if the program cannot be executed.\n");
}

static void __attribute__((noreturn)) bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "vcall: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'vcall --help' for more information.\n");
	exit(2);
}

/* A u32 in decimal or 0x hexadecimal */
static uint32_t parse_u32(const char *s, const char *what)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	if (!isxdigit((unsigned char)s[base == 16 ? 2 : 0]))
		bad_usage(what, s);
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > UINT32_MAX)
		bad_usage(what, s);
	return (uint32_t)v;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Bytes of @arg into @buf; returns how many */
static size_t parse_hex(const char *arg, unsigned char *buf)
{
	const char *s = arg;
	size_t n = 0;
	int hi, lo;

	while (*s) {
		if (*s == '.' || *s == ':' || *s == '_') {
			s++;
			continue;
		}
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			bad_usage("invalid hex bytes: '%s'", arg);
		if (n == MAX_BYTES)
			bad_usage("more than 4096 bytes: '%s'", arg);
		buf[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

/*
 * Two pages, the second PROT_NONE; below 4 GiB for the i386 entry.
 * Returns the start of the buffer of @size bytes that ends at the guard.
 */
static unsigned char *guarded(size_t size, int low)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (low ? MAP_32BIT : 0);
	unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				flags, -1, 0);

	if (p == MAP_FAILED || mprotect(p + PAGE, PAGE, PROT_NONE)) {
		perror("vcall: mmap");
		exit(2);
	}
	return p + PAGE - size;
}

/* One call of @argv[0..argc-1]: options and up to three arguments */
static void parse_call(int argc, char **argv, struct call *c)
{
	static unsigned char bytes[MAX_BYTES];
	const char *pos[3], *arg, *size = NULL;
	size_t len = 0;
	int i, npos = 0;

	memset(c, 0, sizeof(*c));
	c->null = 1;
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (!strcmp(arg, "-3") || !strcmp(arg, "--i386")) {
			c->i386 = 1;
		} else if (!strcmp(arg, "-o") || !strcmp(arg, "--size")) {
			if (i + 1 == argc)
				bad_usage("option '%s' requires an argument",
					  arg);
			size = argv[++i];
		} else if (!strncmp(arg, "-o", 2)) {
			size = arg + 2;
		} else if (!strncmp(arg, "--size=", 7)) {
			size = arg + 7;
		} else if (arg[0] == '-' && arg[1]) {
			bad_usage("invalid option '%s'", arg);
		} else if (npos == 3) {
			bad_usage("too many arguments: '%s'", arg);
		} else {
			pos[npos++] = arg;
		}
	}
	if (npos < 2)
		bad_usage("%s", "need <cmd> and <id>");
	c->cmd = parse_u32(pos[0], "invalid command word: '%s'");
	c->id = parse_u32(pos[1], "invalid id: '%s'");
	if (npos == 3 && strcmp(pos[2], "-")) {
		len = parse_hex(pos[2], bytes);
		c->null = 0;
	}
	c->size = len;
	if (size) {
		if (npos == 3 && c->null)
			bad_usage("%s", "a size for a NULL structure");
		c->size = parse_u32(size, "invalid size: '%s'");
		if (c->size > MAX_BYTES)
			bad_usage("size above 4096: '%s'", size);
		if (c->size < len)
			bad_usage("the size is below the %s given",
				  "hex bytes");
		c->null = 0;
	}
	if (!c->null) {
		c->buf = guarded(c->size, c->i386);
		memset(c->buf, 0, c->size);
		memcpy(c->buf, bytes, len);
	}
}

static long call64(uint32_t cmd, uint32_t id, void *data)
{
	return syscall(VSERVER_NR_X86_64, cmd, id, data);
}

/* int 0x80: every argument is cut to 32 bits, so @data is below 4 GiB */
static long call32(uint32_t cmd, uint32_t id, void *data)
{
	long ret;

	asm volatile ("int $0x80"
		      : "=a" (ret)
		      : "a" ((long)VSERVER_NR_I386), "b" (cmd), "c" (id),
			"d" ((uint32_t)(uintptr_t)data)
		      : "memory", "r8", "r9", "r10", "r11");
	ret = (int)ret;
	if (ret < 0 && ret >= -4095) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* Make the call and print its line; returns its errno, or 0 */
static int issue(const struct call *c)
{
	long ret;
	size_t i;
	int err;

	ret = c->i386 ? call32(c->cmd, c->id, c->buf) :
			call64(c->cmd, c->id, c->buf);
	err = ret < 0 ? errno : 0;
	if (err)
		printf("ret=-1 errno=%s", strerrorname_np(err) ?
		       strerrorname_np(err) : "?");
	else
		printf("ret=%ld errno=0", ret);
	if (c->size) {
		printf(" data=");
		for (i = 0; i < c->size; i++)
			printf("%02x", c->buf[i]);
	}
	printf("\n");
	fflush(stdout);
	return err;
}

int main(int argc, char **argv)
{
	static struct call calls[MAX_CALLS];
	char **prog = NULL;
	int i, start, n = 0, err = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			/* What follows is the program, never vcall's */
			prog = &argv[i + 1];
			argc = i;
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	}
	if (prog && !*prog)
		bad_usage("%s", "no program after '--'");
	/* Every call is parsed before the first is made */
	for (start = i = 1; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], "+"))
			continue;
		if (n == MAX_CALLS)
			bad_usage("%s", "more than 32 calls");
		parse_call(i - start, argv + start, &calls[n++]);
		start = i + 1;
	}
	for (i = 0; i < n && !err; i++)
		err = issue(&calls[i]);

	if (!prog)
		return 0;
	if (err)
		return 1;
	execvp(prog[0], prog);
	fprintf(stderr, "vcall: cannot execute %s: %s\n", prog[0],
		strerror(errno));
	return 127;
}
