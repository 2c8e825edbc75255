// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of resource limits and the parsers of vlimit
 * (util-vserver/rlimit.c).
 */

#include <errno.h>
#include <string.h>

#include <vserver.h>

#include "rlimit.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define INF	CRLIM_INFINITY
#define KEEP	CRLIM_KEEP

static const struct {
	const char *str;
	uint64_t value;
	int err;		/* 0: parses */
} values[] = {
	{ "0",			0,			0 },
	{ "5",			5,			0 },
	{ "007",		7,			0 },
	{ "1K",			1024,			0 },
	{ "1k",			1024,			0 },
	{ "3M",			3ULL << 20,		0 },
	{ "2G",			2ULL << 30,		0 },
	{ "1T",			1ULL << 40,		0 },
	{ "1P",			1ULL << 50,		0 },
	{ "15E",		15ULL << 60,		0 },
	{ "0E",			0,			0 },
	{ "18446744073709551613", LIM_VALUE_MAX,	0 },
	{ "unlimited",		INF,			0 },
	{ "Unlimited",		INF,			0 },
	{ "infinity",		INF,			0 },
	{ "inf",		INF,			0 },
	{ "-1",			INF,			0 },
	{ "18446744073709551614", 0,			ERANGE },
	{ "18446744073709551615", 0,			ERANGE },
	{ "18446744073709551616", 0,			ERANGE },
	{ "99999999999999999999999", 0,			ERANGE },
	{ "16E",		0,			ERANGE },
	{ "17179869184G",	0,			ERANGE },
	{ "16777216T",		0,			ERANGE },
	{ "",			0,			EINVAL },
	{ "K",			0,			EINVAL },
	{ "12x",		0,			EINVAL },
	{ "1.5K",		0,			EINVAL },
	{ "5KB",		0,			EINVAL },
	{ "5Z",			0,			EINVAL },
	{ "-5",			0,			EINVAL },
	{ "-2",			0,			EINVAL },
	{ "+5",			0,			EINVAL },
	{ " 5",			0,			EINVAL },
	{ "5 ",			0,			EINVAL },
	{ "0x10",		0,			EINVAL },
	{ "unlimitedx",		0,			EINVAL },
	{ "in",			0,			EINVAL },
};

static const struct {
	const char *arg;
	const char *name;	/* NULL: no resource found */
	uint64_t soft;
	uint64_t hard;
	enum rlimit_parse_error why;	/* 0: parses */
	const char *bad;
} settings[] = {
	{ "nproc=100",		"nproc", 100, 100, 0, NULL },
	{ "NOFILE=1000:2000",	"nofile", 1000, 2000, 0, NULL },
	{ "nsock=:50",		"nsock", KEEP, 50, 0, NULL },
	{ "shmem=10:",		"shmem", 10, KEEP, 0, NULL },
	{ "semary=unlimited",	"semary", INF, INF, 0, NULL },
	{ "nsems=1K:inf",	"nsems", 1024, INF, 0, NULL },
	{ "msgqueue=5:5",	"msgqueue", 5, 5, 0, NULL },
	{ "memory=512M",	"memory", 512ULL << 20, 512ULL << 20, 0, NULL },
	{ "Memory=256M:1G",	"memory", 256ULL << 20, 1ULL << 30, 0, NULL },
	{ "memory=:unlimited",	"memory", KEEP, INF, 0, NULL },
	{ "nproc=0",		"nproc", 0, 0, 0, NULL },
	{ "nproc=-1:",		"nproc", INF, KEEP, 0, NULL },
	{ "nproc",		NULL, 0, 0, LIM_NO_EQUALS, "nproc" },
	{ "",			NULL, 0, 0, LIM_NO_EQUALS, "" },
	{ "nprocs=5",		NULL, 0, 0, LIM_UNKNOWN, "nprocs" },
	{ "npro=5",		NULL, 0, 0, LIM_UNKNOWN, "npro" },
	{ "=5",			NULL, 0, 0, LIM_UNKNOWN, "" },
	{ "nproc=",		"nproc", 0, 0, LIM_EMPTY, "" },
	{ "nproc=:",		"nproc", 0, 0, LIM_EMPTY, ":" },
	{ "nproc=x",		"nproc", 0, 0, LIM_INVALID, "x" },
	{ "nproc=5:x",		"nproc", 0, 0, LIM_INVALID, "x" },
	{ "nproc=x:5",		"nproc", 0, 0, LIM_INVALID, "x" },
	{ "nproc=1:2:3",	"nproc", 0, 0, LIM_INVALID, "2:3" },
	{ "nproc=5=6",		"nproc", 0, 0, LIM_INVALID, "5=6" },
	{ "nproc=16E",		"nproc", 0, 0, LIM_RANGE, "16E" },
	{ "nproc=1:16E",	"nproc", 0, 0, LIM_RANGE, "16E" },
	{ "nofile=2000:1000",	"nofile", 0, 0, LIM_SOFT_ABOVE_HARD,
	  "2000:1000" },
	{ "nofile=inf:5",	"nofile", 0, 0, LIM_SOFT_ABOVE_HARD, "inf:5" },
};

static void test_table(void)
{
	bool unique = true, ordered = true, complete = true, found = true;
	const struct rlimit_resource *memory = rlimit_find("memory", 6);
	size_t i, j;

	for (i = 0; i < nr_rlimit_resources; i++) {
		const struct rlimit_resource *r = &rlimit_resources[i];
		const struct rlimit_resource *prev =
			i ? &rlimit_resources[i - 1] : NULL;
		bool kernel = r->kind == RLIMIT_KIND_KERNEL;

		for (j = 0; j < i; j++)
			if (strcmp(r->name, rlimit_resources[j].name) == 0 ||
			    (kernel && r->id == rlimit_resources[j].id))
				unique = false;
		/* The kernel's in id order, then the cgroup's */
		if (prev && (prev->kind > r->kind ||
			  (kernel && r->id <= prev->id)))
			ordered = false;
		if ((kernel && r->id >= VLIMIT_NUM) || !*r->counts ||
		    !*r->error || !*r->calls)
			complete = false;
		if (rlimit_find(r->name, strlen(r->name)) != r)
			found = false;
	}
	tap_ok(nr_rlimit_resources > 0 && unique,
	       "resource names and kernel ids are unique");
	tap_ok(ordered, "the kernel's resources are in id order, then the "
	       "cgroup's");
	tap_ok(complete, "every resource has a description, an errno and the "
	       "calls that fail, and each of the kernel an id below "
	       "VLIMIT_NUM");
	tap_ok(memory && memory->kind == RLIMIT_KIND_CGROUP,
	       "memory is limited by the memory cgroup");
	tap_ok(found, "every resource is found by its name");
	tap_ok(rlimit_find("NSOCKx", 5) && rlimit_find("NSOCKx", 5)->id ==
	       VLIMIT_NSOCK && !rlimit_find("nsock", 4),
	       "names are matched whole, without regard to case");
}

static void test_supported(void)
{
	const struct rlimit_resource *nproc = rlimit_find("nproc", 5);
	const struct rlimit_resource *nsems = rlimit_find("nsems", 5);
	struct vcmd_ctx_rlimit_mask_v0 mask = { 0 };

	tap_ok(nproc && nsems && !rlimit_supported(&mask, nproc),
	       "an empty mask supports nothing");
	mask.maximum = 1u << VLIMIT_NSEMS;
	mask.softlimit = 1u << VLIMIT_NSEMS;
	tap_ok(rlimit_supported(&mask, nsems) &&
	       !rlimit_supported(&mask, nproc),
	       "a mask supports the ids whose bits it has");
	mask.maximum = mask.softlimit = ~0u;
	tap_ok(!rlimit_supported(&mask, rlimit_find("memory", 6)),
	       "no mask supports a resource of the cgroup");
}

static void test_values(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		const char *str = values[i].str;
		uint64_t value = 0xDEAD;
		int r;

		errno = 0;
		r = rlimit_parse_value(str, strlen(str), &value);
		if (values[i].err)
			tap_ok(r == -1 && errno == values[i].err &&
			       value == 0xDEAD, "value '%s' fails with %s",
			       str, values[i].err == ERANGE ? "ERANGE" :
			       "EINVAL");
		else if (!tap_ok(r == 0 && value == values[i].value,
				 "value '%s' is %llu", str,
				 (unsigned long long)values[i].value))
			tap_diag("got %d, %llu", r, (unsigned long long)value);
	}
}

static void test_settings(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		struct rlimit_setting s = { .soft = 0xDEAD, .hard = 0xDEAD };
		enum rlimit_parse_error why = 0;
		const char *bad = NULL, *name;
		size_t badlen = 0;
		bool same_name;
		int r;

		r = rlimit_parse_setting(settings[i].arg, &s, &why, &bad,
					 &badlen);
		name = s.r ? s.r->name : NULL;
		if (!settings[i].why) {
			tap_ok(r == 0 && name &&
			       strcmp(name, settings[i].name) == 0 &&
			       s.soft == settings[i].soft &&
			       s.hard == settings[i].hard,
			       "setting '%s' parses", settings[i].arg);
			continue;
		}
		same_name = settings[i].name ?
			    name && strcmp(name, settings[i].name) == 0 :
			    !name;
		tap_ok(r == -1 && why == settings[i].why && same_name &&
		       badlen == strlen(settings[i].bad) &&
		       strncmp(bad, settings[i].bad, badlen) == 0 &&
		       s.soft == 0xDEAD && s.hard == 0xDEAD,
		       "setting '%s' is refused, pointing at '%s'",
		       settings[i].arg, settings[i].bad);
	}
}

static void test_format(void)
{
	char buf[LIM_VALUE_LEN];

	tap_ok(strcmp(rlimit_format(CRLIM_INFINITY, buf), "unlimited") == 0,
	       "CRLIM_INFINITY is shown as unlimited");
	tap_ok(strcmp(rlimit_format(LIM_VALUE_MAX, buf),
		      "18446744073709551613") == 0 &&
	       strcmp(rlimit_format(0, buf), "0") == 0,
	       "counts are shown in decimal");
}

int main(void)
{
	tap_plan(6 + 3 + ARRAY_SIZE(values) + ARRAY_SIZE(settings) + 2);
	test_table();
	test_supported();
	test_values();
	test_settings();
	test_format();
	return tap_done();
}
