/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - spaces: the namespaces a context remembers
 */

#ifndef _SECURITY_VSERVER_SPACE_H
#define _SECURITY_VSERVER_SPACE_H

#include <linux/path.h>
#include <linux/types.h>
#include <uapi/linux/vserver.h>

struct cred;
struct ns_common;
struct vs_context;

/* The namespace types a space holds, besides the credentials */
enum vs_space_type {
	VS_SPACE_MNT,
	VS_SPACE_UTS,
	VS_SPACE_IPC,
	VS_SPACE_PID,
	VS_SPACE_NET,
	VS_SPACE_USER,
	VS_SPACE_NR,
};

/**
 * struct vs_space - one space of a context
 * @mask: the CLONE_* bits stored
 * @ns: the namespace of each type stored, with a reference, or NULL
 * @root: with CLONE_FS, the root directory stored
 * @pwd: with CLONE_FS, the working directory stored
 */
struct vs_space {
	u64 mask;
	struct ns_common *ns[VS_SPACE_NR];
	struct path root;
	struct path pwd;
};

u64 vs_space_mask(bool v0);
u64 vs_space_default(void);
int vs_space_set(struct vs_context *ctx, u32 index, u64 mask, bool setup);
int vs_space_enter(struct vs_context *ctx, u32 index, u64 mask);
void vs_spaces_release(struct vs_space *spaces);

#endif /* _SECURITY_VSERVER_SPACE_H */
