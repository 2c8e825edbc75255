// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capability words of a context as the kernel holds them; see
 * ctxcaps.h.
 */

#include <err.h>
#include <errno.h>
#include <stdbool.h>

#include <vserver.h>

#include "common.h"
#include "context.h"
#include "ctxcaps.h"

static int get_bcaps(uint32_t xid, uint64_t *word)
{
	struct vcmd_bcaps caps;

	if (vs_get_bcaps(xid, &caps) != 0)
		return -1;
	*word = caps.bcaps;
	return 0;
}

static int get_ccaps(uint32_t xid, uint64_t *word)
{
	struct vcmd_ctx_caps_v1 caps;

	if (vs_get_ccaps(xid, &caps) != 0)
		return -1;
	*word = caps.ccaps;
	return 0;
}

static int get_umask(uint32_t xid, uint64_t *word)
{
	struct vcmd_umask umask;

	if (vs_get_umask(xid, &umask) != 0)
		return -1;
	*word = umask.umask;
	return 0;
}

const struct ctx_capword ctx_capwords[NR_CAPWORDS] = {
	[CAPWORD_BCAPS] = {
		.w = &capword_bcaps,
		.noun = "capability ceiling",
		.json_word = "bcapword",
		.help = "change the capability ceiling",
		.get = get_bcaps,
		.set = vs_set_bcaps,
	},
	[CAPWORD_CCAPS] = {
		.w = &capword_ccaps,
		.noun = "ccaps",
		.json_word = "ccapword",
		.help = "change the context capabilities",
		.get = get_ccaps,
		.set = vs_set_ccaps,
	},
	[CAPWORD_UMASK] = {
		.w = &capword_umask,
		.noun = "umask",
		.json_word = "umaskword",
		.help = "change the namespaces it may create",
		.get = get_umask,
		.set = vs_set_umask,
	},
};

/*
 * The kernel refused a change with EPERM: was it because the change sets
 * a bit the word lacks, after the setup?  errno is kept.
 */
static bool raises_after_setup(uint32_t xid, const struct ctx_capword *cw,
			       uint64_t set)
{
	struct vcmd_ctx_flags_v0 flags;
	int saved = errno;
	uint64_t old, valid = ~0ULL;
	bool raises = false;

	if (cw->w == &capword_bcaps)
		valid = bcaps_valid();
	if (cw->get(xid, &old) == 0 && vs_get_cflags(xid, &flags) == 0)
		raises = !(flags.flagword & VXF_STATE_SETUP) &&
			 (set & ~old & valid);
	errno = saved;
	return raises;
}

void set_capword(uint32_t xid, const struct ctx_capword *cw, uint64_t set,
		 uint64_t clear)
{
	if (cw->set(xid, set, set | clear) == 0)
		return;
	if (errno == EPERM && raises_after_setup(xid, cw, set))
		errx(VS_EXIT_FAILURE, "cannot add to the %s of context %u: it "
		     "has left its setup", cw->noun, xid);
	die_context(xid, "change the %s of context %u", cw->noun, xid);
}
