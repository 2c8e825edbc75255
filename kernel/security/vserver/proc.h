/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - /proc/virtual
 */

#ifndef _SECURITY_VSERVER_PROC_H
#define _SECURITY_VSERVER_PROC_H

#include "context.h"

int vs_proc_add_context(u32 xid);

#endif /* _SECURITY_VSERVER_PROC_H */
