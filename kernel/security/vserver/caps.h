/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - capability ceilings and context capabilities
 */

#ifndef _SECURITY_VSERVER_CAPS_H
#define _SECURITY_VSERVER_CAPS_H

#include <linux/cred.h>
#include <linux/init.h>

#include "context.h"

void vs_caps_limit_cred(struct cred *cred, struct vs_context *ctx);
void vs_caps_changed(struct vs_context *ctx);

void __init vs_add_caps_hooks(void);

#endif /* _SECURITY_VSERVER_CAPS_H */
