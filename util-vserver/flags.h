/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flag words by name: the context flags (VXF_*), the network context
 * flags (NXF_*) and the network capabilities (NXC_*).  One table per word
 * is what parsing, the output of the tools and the man pages agree on.
 *
 * A flag list is a comma separated list of names; a name prefixed with
 * '~' or '!' is cleared instead of set.  Names are matched without regard
 * to case, and may carry the table's prefix ("nxf_", "nxc_").  Later
 * entries win over earlier ones for the same bit.  The ncap list also
 * takes "all" (every named bit) and "none" (clear every named bit).
 */

#ifndef VSERVER_UTILS_FLAGS_H
#define VSERVER_UTILS_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cflag_name {
	const char *name;
	uint64_t bit;
};

/* The names of one flag word */
struct flag_table {
	const struct cflag_name *names;	/* canonical first, then aliases */
	size_t nr_names;
	const char *prefix;		/* a name may start with it, or NULL */
	const char *what;		/* "flag": the object in messages */
	const char *title;		/* "Flags": the usage heading */
	bool all_none;			/* "all" and "none" are entries */
};

extern const struct flag_table cflag_table;	/* VXF_* */
extern const struct flag_table nflag_table;	/* NXF_* */
extern const struct flag_table ncap_table;	/* NXC_* */

/*
 * flag_list_parse - parse a list of t's names into the bits to set and to
 * clear.
 *
 * Returns 0 and stores the bits in *set and *clear (disjoint).  Returns -1
 * with errno EINVAL for a bad entry (unknown name, empty entry) and points
 * *bad at its start and *badlen at its length; *set and *clear are not
 * touched then.
 */
int flag_list_parse(const struct flag_table *t, const char *list,
		    uint64_t *set, uint64_t *clear, const char **bad,
		    size_t *badlen);

/* The canonical name of a single bit of t, or NULL if it has none */
const char *flag_name(const struct flag_table *t, uint64_t bit);

/*
 * flag_list_print - print the set bits of word as "name,name", bits
 * without a name as one hex number at the end, "none" if no bit is set.
 */
void flag_list_print(FILE *f, const struct flag_table *t, uint64_t word);

/* flag_list_print_json - the names of the set named bits as a JSON array */
void flag_list_print_json(FILE *f, const struct flag_table *t,
			  uint64_t word);

/*
 * flag_table_usage - the "<title>:" section of a usage text: every name,
 * with its aliases in parentheses.
 */
void flag_table_usage(FILE *f, const struct flag_table *t);

/* The context flags, as before the tables above: cflag_table */
extern const struct cflag_name cflag_names[];
extern const size_t nr_cflag_names;

const char *cflag_name(uint64_t bit);
int cflags_parse(const char *list, uint64_t *set, uint64_t *clear,
		 const char **bad, size_t *badlen);
void cflags_print(FILE *f, uint64_t flagword);
void cflags_print_json(FILE *f, uint64_t flagword);
void cflags_usage(FILE *f);

#endif /* VSERVER_UTILS_FLAGS_H */
