/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - /proc/virtual and /proc/virtnet
 */

#ifndef _SECURITY_VSERVER_PROC_H
#define _SECURITY_VSERVER_PROC_H

#include "context.h"

int vs_proc_add_context(u32 xid);
int vs_proc_add_net(u32 nid);

#endif /* _SECURITY_VSERVER_PROC_H */
