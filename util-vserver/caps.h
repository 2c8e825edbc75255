/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capability words of a context by name: the capability ceiling
 * (bcaps, bit N is capability N, named by libcap), the context
 * capabilities (ccaps, VXC_*) and the unshare mask (umask, CLONE_NEW*).
 * Parsing, the output of "vctx caps" and "vctx info", and the usage texts
 * agree on the names through the tables here.
 *
 * A list is a comma separated list of entries: a name sets its bit, a name
 * prefixed with '~' or '!' clears it, "all" sets every bit and "none"
 * clears every bit.  Later entries win over earlier ones.  Names are
 * matched without regard to case; capability names may leave out their
 * "cap_" prefix.
 */

#ifndef VSERVER_UTILS_CAPS_H
#define VSERVER_UTILS_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How lists are written, for usage texts */
#define CAPLIST_USAGE \
	"\nA list adds the names it gives; ~name or !name removes one, all " \
	"adds every\nname, none removes every one.\n"

/* One name of a ccap or umask bit */
struct capname {
	const char *name;
	uint64_t bit;
	bool supported;		/* the kernel implements the bit */
};

/* One capability word of a context */
struct capword {
	const char *key;	/* "bcaps": option, output and JSON key */
	const char *what;	/* "capability": the object in messages */
	const char *title;	/* "Capabilities": heading in usage texts */
	/* "is not supported by this kernel": what a name the kernel lacks is */
	const char *unsupported;
	/* NULL for the bcaps, named by libcap; canonical names first */
	const struct capname *names;
	size_t nr_names;
};

extern const struct capword capword_bcaps;
extern const struct capword capword_ccaps;
extern const struct capword capword_umask;

/*
 * The ceiling of "vctx create --secure" and of the guests: what a service
 * needs to start as root and drop privileges, nothing that reaches beyond
 * the context.  It is VX_BCAPS_DEFAULT, the ceiling a new context starts
 * with.
 */
extern const uint64_t bcaps_secure;

/* Why caplist_parse() refused an entry */
enum caplist_error {
	CAPLIST_UNKNOWN = 1,	/* no such name */
	CAPLIST_UNSUPPORTED,	/* a name the kernel does not implement */
};

/*
 * caplist_parse - apply the list to the bits to set, *set, and to clear,
 * *clear, which stay disjoint.
 *
 * Returns 0.  Returns -1 with errno EINVAL for a bad entry (unknown name,
 * unsupported name, empty entry): *bad points at its start, *badlen is its
 * length, *why says what is wrong with it, and *set and *clear are not
 * touched.
 */
int caplist_parse(const struct capword *w, const char *list, uint64_t *set,
		  uint64_t *clear, const char **bad, size_t *badlen,
		  enum caplist_error *why);

/*
 * capword_print - the names of the set bits of word, comma separated, bits
 * without a name as one hex number at the end, "none" if no bit is set.
 */
void capword_print(FILE *f, const struct capword *w, uint64_t word);

/*
 * capword_print_json - the names of the set bits as a JSON array; bits
 * without a name are left out (capabilities libcap does not know are
 * shown as their number, as a string).
 */
void capword_print_json(FILE *f, const struct capword *w, uint64_t word);

/*
 * capword_usage - the names a list of w accepts, for a usage text: one
 * line per supported bit with its aliases in parentheses.  Capabilities
 * get one line that points to capabilities(7).
 */
void capword_usage(FILE *f, const struct capword *w);

/*
 * capword_all - the bits "all" sets: every supported bit of a table; for
 * the bcaps all 64, of which the kernel ignores those of capabilities it
 * does not have.
 */
uint64_t capword_all(const struct capword *w);

/* The canonical name of one ccap or umask bit, or NULL */
const char *capword_name(const struct capword *w, uint64_t bit);

/*
 * bcaps_valid - the bits of the capabilities the running kernel has, as
 * far as libcap can tell.
 */
uint64_t bcaps_valid(void);

#endif /* VSERVER_UTILS_CAPS_H */
