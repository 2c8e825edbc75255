// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The resource limits of a context by name; see rlimit.h.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * RLIMIT_*: the x86 numbers, which the vserver ABI uses as limit ids.
 * They are the part of <linux/resource.h> that does not clash with the C
 * library's struct timeval.
 */
#include <asm/resource.h>

#include "rlimit.h"

#define KERNEL	RLIMIT_KIND_KERNEL
#define CGROUP	RLIMIT_KIND_CGROUP

/*
 * What the kernel counts for each limit, and how it refuses a request
 * beyond the hard limit.  At the hard limit of memory the kernel reclaims,
 * then its OOM killer kills a process of the cgroup; what it still cannot
 * allocate fails with ENOMEM.
 */
const struct rlimit_resource rlimit_resources[] = {
	{ "nproc", KERNEL, RLIMIT_NPROC, "tasks, threads included",
	  "EAGAIN", "fork,clone" },
	{ "nofile", KERNEL, RLIMIT_NOFILE, "open file descriptions",
	  "ENFILE", "open,pipe,socket,..." },
	{ "msgqueue", KERNEL, RLIMIT_MSGQUEUE, "SysV message queues",
	  "ENOSPC", "msgget" },
	{ "nsock", KERNEL, VLIMIT_NSOCK, "sockets",
	  "ENOBUFS", "socket,socketpair,accept" },
	{ "shmem", KERNEL, VLIMIT_SHMEM, "SysV shared memory segments",
	  "ENOSPC", "shmget" },
	{ "semary", KERNEL, VLIMIT_SEMARY, "SysV semaphore arrays",
	  "ENOSPC", "semget" },
	{ "nsems", KERNEL, VLIMIT_NSEMS, "SysV semaphores",
	  "ENOSPC", "semget" },
	{ "memory", CGROUP, 0, "bytes of memory (memory cgroup)",
	  "ENOMEM", "OOM kill,allocations" },
};

const size_t nr_rlimit_resources =
	sizeof(rlimit_resources) / sizeof(rlimit_resources[0]);

const struct rlimit_resource *rlimit_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nr_rlimit_resources; i++) {
		const char *n = rlimit_resources[i].name;

		if (strlen(n) == len && strncasecmp(n, name, len) == 0)
			return &rlimit_resources[i];
	}
	return NULL;
}

bool rlimit_supported(const struct vcmd_ctx_rlimit_mask_v0 *mask,
		      const struct rlimit_resource *r)
{
	uint32_t bits = mask->softlimit | mask->maximum;

	return r->kind == RLIMIT_KIND_KERNEL && r->id < 32 &&
	       (bits & (1u << r->id));
}

/* True when the len bytes at str are word, without regard to case */
static bool is_word(const char *str, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(str, word, len) == 0;
}

int rlimit_parse_value(const char *str, size_t len, uint64_t *value)
{
	static const char suffixes[] = "KMGTPE";
	uint64_t val = 0;
	const char *suffix;
	unsigned int shift = 0;
	size_t i;

	if (is_word(str, len, "unlimited") || is_word(str, len, "infinity") ||
	    is_word(str, len, "inf") || is_word(str, len, "-1")) {
		*value = CRLIM_INFINITY;
		return 0;
	}

	for (i = 0; i < len && isdigit((unsigned char)str[i]); i++) {
		unsigned int digit = (unsigned int)(str[i] - '0');

		if (val > (UINT64_MAX - digit) / 10) {
			errno = ERANGE;
			return -1;
		}
		val = val * 10 + digit;
	}
	if (i == 0) {
		errno = EINVAL;
		return -1;
	}
	if (i < len) {
		/* One suffix letter, and nothing after it */
		suffix = i + 1 == len && str[i] ?
			 strchr(suffixes, toupper((unsigned char)str[i])) :
			 NULL;
		if (!suffix) {
			errno = EINVAL;
			return -1;
		}
		shift = 10 * (unsigned int)(suffix - suffixes + 1);
		if (val > (UINT64_MAX >> shift)) {
			errno = ERANGE;
			return -1;
		}
		val <<= shift;
	}
	if (val > LIM_VALUE_MAX) {
		errno = ERANGE;
		return -1;
	}
	*value = val;
	return 0;
}

/* Parse one half of <limits>; an empty half stays CRLIM_KEEP */
static int parse_half(const char *str, size_t len, uint64_t *value,
		      enum rlimit_parse_error *why, const char **bad,
		      size_t *badlen)
{
	if (len == 0) {
		*value = CRLIM_KEEP;
		return 0;
	}
	if (rlimit_parse_value(str, len, value) == 0)
		return 0;
	*why = errno == ERANGE ? LIM_RANGE : LIM_INVALID;
	*bad = str;
	*badlen = len;
	return -1;
}

int rlimit_parse_setting(const char *arg, struct rlimit_setting *s,
			 enum rlimit_parse_error *why, const char **bad,
			 size_t *badlen)
{
	const char *eq = strchr(arg, '='), *limits, *colon;
	uint64_t soft, hard;

	s->r = NULL;
	if (!eq) {
		*why = LIM_NO_EQUALS;
		*bad = arg;
		*badlen = strlen(arg);
		return -1;
	}
	s->r = rlimit_find(arg, (size_t)(eq - arg));
	if (!s->r) {
		*why = LIM_UNKNOWN;
		*bad = arg;
		*badlen = (size_t)(eq - arg);
		return -1;
	}

	limits = eq + 1;
	*bad = limits;
	*badlen = strlen(limits);
	colon = strchr(limits, ':');
	if (!colon) {
		if (!*limits) {
			*why = LIM_EMPTY;
			return -1;
		}
		if (parse_half(limits, strlen(limits), &soft, why, bad,
			       badlen) != 0)
			return -1;
		hard = soft;
	} else {
		if (colon == limits && !colon[1]) {
			*why = LIM_EMPTY;
			return -1;
		}
		if (parse_half(limits, (size_t)(colon - limits), &soft, why,
			       bad, badlen) != 0 ||
		    parse_half(colon + 1, strlen(colon + 1), &hard, why, bad,
			       badlen) != 0)
			return -1;
		/* A second colon is part of a bad hard limit */
	}
	if (soft != CRLIM_KEEP && hard != CRLIM_KEEP && soft > hard) {
		*why = LIM_SOFT_ABOVE_HARD;
		return -1;
	}
	s->soft = soft;
	s->hard = hard;
	return 0;
}

const char *rlimit_format(uint64_t value, char buf[LIM_VALUE_LEN])
{
	if (value == CRLIM_INFINITY)
		return "unlimited";
	snprintf(buf, LIM_VALUE_LEN, "%" PRIu64, value);
	return buf;
}

void rlimit_usage(FILE *f)
{
	int width = 0;
	size_t i;

	for (i = 0; i < nr_rlimit_resources; i++) {
		int len = (int)strlen(rlimit_resources[i].name);

		if (len > width)
			width = len;
	}
	fputs("\nResources:\n", f);
	for (i = 0; i < nr_rlimit_resources; i++)
		fprintf(f, " %-*s  %s\n", width, rlimit_resources[i].name,
			rlimit_resources[i].counts);
}
