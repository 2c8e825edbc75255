/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - events over generic netlink
 */

#ifndef _SECURITY_VSERVER_EVENT_H
#define _SECURITY_VSERVER_EVENT_H

#include <linux/types.h>

#include "limit.h"

struct vs_context;
struct work_struct;

void vs_event_created(struct vs_context *ctx);
void vs_event_flags(struct vs_context *ctx, u64 old, u64 new);
void vs_event_reboot(struct vs_context *ctx, unsigned int cmd);
void vs_event_ended(struct vs_context *ctx, int exit_code,
		    unsigned int reboot_cmd);
void vs_event_limit(struct vs_context *ctx, enum vs_resource res,
		    bool refused);
void vs_event_work(struct work_struct *work);

#endif /* _SECURITY_VSERVER_EVENT_H */
