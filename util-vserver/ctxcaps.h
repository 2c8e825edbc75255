/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capability words of a context as the kernel holds them: how each
 * is read and changed through libvserver, and the messages of a refused
 * change.  Shared by "vctx caps", "vctx info", "vctx create" and the
 * guest manager, which set them up and show them the same way.
 */

#ifndef VSERVER_UTILS_CTXCAPS_H
#define VSERVER_UTILS_CTXCAPS_H

#include <stdint.h>

#include "caps.h"

/* The capability words of a context, in the order "vctx caps" shows them */
enum ctx_capword_id {
	CAPWORD_BCAPS,
	CAPWORD_CCAPS,
	CAPWORD_UMASK,
	NR_CAPWORDS
};

struct ctx_capword {
	const struct capword *w;	/* names, option and output key */
	const char *noun;		/* "capability ceiling", in messages */
	const char *json_word;		/* JSON key of the word as a number */
	const char *help;		/* the option's line in usage texts */
	int (*get)(uint32_t xid, uint64_t *word);
	int (*set)(uint32_t xid, uint64_t word, uint64_t mask);
};

extern const struct ctx_capword ctx_capwords[NR_CAPWORDS];

/*
 * set_capword - set the bits set and clear the bits clear of a word of
 * context xid, or exit with a message: "cannot add to the capability
 * ceiling of context 42: it has left its setup" when the kernel refused
 * a bit the word lacked after the setup, die_context() otherwise.
 */
void set_capword(uint32_t xid, const struct ctx_capword *cw, uint64_t set,
		 uint64_t clear);

#endif /* VSERVER_UTILS_CTXCAPS_H */
