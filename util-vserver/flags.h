/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Context flags (VXF_*) by name: the one table that parsing, "vctx flags"
 * output, "vctx list" and the man page agree on.
 *
 * A flag list is a comma separated list of names; a name prefixed with
 * '~' or '!' is cleared instead of set.  Names are matched without regard
 * to case.  Later entries win over earlier ones for the same bit.
 */

#ifndef VSERVER_UTILS_FLAGS_H
#define VSERVER_UTILS_FLAGS_H

#include <stdint.h>
#include <stdio.h>

struct cflag_name {
	const char *name;
	uint64_t bit;
};

/* Canonical names first, in bit order; aliases after them */
extern const struct cflag_name cflag_names[];
extern const size_t nr_cflag_names;

/* The canonical name of a single VXF_* bit, or NULL if it has none */
const char *cflag_name(uint64_t bit);

/*
 * cflags_parse - parse a flag list into the bits to set and to clear.
 *
 * Returns 0 and stores the bits in *set and *clear (disjoint).  Returns -1
 * with errno EINVAL for a bad entry (unknown name, empty entry) and points
 * *bad at its start and *badlen at its length; *set and *clear are not
 * touched then.
 */
int cflags_parse(const char *list, uint64_t *set, uint64_t *clear,
		 const char **bad, size_t *badlen);

/*
 * cflags_print - print the set bits of flagword as "name,name", bits
 * without a name as one hex number at the end, "none" if no bit is set.
 */
void cflags_print(FILE *f, uint64_t flagword);

/* cflags_print_json - the names of the set named bits as a JSON array */
void cflags_print_json(FILE *f, uint64_t flagword);

/*
 * cflags_usage - the "Flags:" section of a usage text: every name, with
 * its aliases in parentheses.
 */
void cflags_usage(FILE *f);

#endif /* VSERVER_UTILS_FLAGS_H */
