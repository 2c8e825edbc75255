/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The resource limits of a context by name: the one table that parsing,
 * the columns and rows of "vlimit", its usage text, "vlimit --list" and
 * "vctx create --limit" agree on.  Most resources are counted and limited
 * by the kernel's vserver code; memory is limited by the memory cgroup of
 * the context (cgroup.h).
 *
 * A setting is "<resource>=<limits>", where <limits> is one of
 *
 *   N          soft and hard limit N
 *   SOFT:HARD  both
 *   SOFT:      the soft limit; the hard limit stays
 *   :HARD      the hard limit; the soft limit stays
 *
 * and a value is a decimal count with an optional suffix K, M, G, T, P or
 * E (powers of 1024, in either case), or "unlimited", "infinity", "inf" or
 * "-1".  Resource names are matched without regard to case.
 */

#ifndef VSERVER_UTILS_RLIMIT_H
#define VSERVER_UTILS_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <vserver.h>

/* The largest count: the values above it mean "unchanged" and "unlimited" */
#define LIM_VALUE_MAX	(CRLIM_KEEP - 1)

/* Room for a value as rlimit_format() writes it, with its NUL */
#define LIM_VALUE_LEN	sizeof("18446744073709551615")

/* Who limits a resource */
enum rlimit_kind {
	RLIMIT_KIND_KERNEL,	/* the vserver code: VCMD_*_rlimit */
	RLIMIT_KIND_CGROUP,	/* the memory cgroup of the context */
};

/* One resource a context can be limited in */
struct rlimit_resource {
	const char *name;	/* "nproc": argument, row and JSON name */
	enum rlimit_kind kind;
	uint32_t id;		/* RLIMIT_* (x86) or VLIMIT_*; kernel only */
	const char *counts;	/* what is counted: the DESCRIPTION column */
	const char *error;	/* "EAGAIN": how a refused request fails */
	const char *calls;	/* "fork,clone": the calls that fail so */
};

/* The kernel's in id order, then the cgroup's */
extern const struct rlimit_resource rlimit_resources[];
extern const size_t nr_rlimit_resources;

/* The syntax of <limits>, for usage texts */
#define RLIMIT_LIMITS_USAGE \
	"\n<limits> is <soft>:<hard>, <soft>: or :<hard> (the other limit " \
	"stays),\nor one value for both.  A value is a count with an " \
	"optional K, M, G,\nT, P or E suffix (powers of 1024), or " \
	"unlimited.  Memory counts bytes.\n"

/* The resource named by the len bytes at name, or NULL */
const struct rlimit_resource *rlimit_find(const char *name, size_t len);

/*
 * True when the kernel's mask says it has the limit of resource r; never
 * for a resource of the cgroup.
 */
bool rlimit_supported(const struct vcmd_ctx_rlimit_mask_v0 *mask,
		      const struct rlimit_resource *r);

/*
 * rlimit_parse_value - the len bytes at str as one value (see above).
 *
 * Returns 0 and stores the count, or CRLIM_INFINITY, in *value.  Returns
 * -1 with errno EINVAL (not a value) or ERANGE (above LIM_VALUE_MAX);
 * *value is not touched then.
 */
int rlimit_parse_value(const char *str, size_t len, uint64_t *value);

/* One parsed setting; CRLIM_KEEP for a limit that stays as it is */
struct rlimit_setting {
	const struct rlimit_resource *r;
	uint64_t soft;
	uint64_t hard;
};

/* Why rlimit_parse_setting() refused an argument */
enum rlimit_parse_error {
	LIM_NO_EQUALS = 1,	/* no '=': bad is the whole argument */
	LIM_UNKNOWN,		/* bad is the name */
	LIM_EMPTY,		/* "nproc=" or "nproc=:" */
	LIM_INVALID,		/* bad is the value that is not one */
	LIM_RANGE,		/* bad is the value that is too large */
	LIM_SOFT_ABOVE_HARD,	/* both given, soft > hard */
};

/*
 * rlimit_parse_setting - parse "<resource>=<limits>" into *s.
 *
 * Returns 0.  Returns -1 when the argument is bad: *why says what is
 * wrong, *bad and *badlen point at the part at fault, s->r is the resource
 * when it was found (NULL otherwise), and the limits in *s are not set.
 */
int rlimit_parse_setting(const char *arg, struct rlimit_setting *s,
			 enum rlimit_parse_error *why, const char **bad,
			 size_t *badlen);

/* rlimit_format - value as text: "unlimited" or the decimal count */
const char *rlimit_format(uint64_t value, char buf[LIM_VALUE_LEN]);

/*
 * rlimit_usage - the "Resources:" section of a usage text: every name
 * with what it counts.
 */
void rlimit_usage(FILE *f);

#endif /* VSERVER_UTILS_RLIMIT_H */
