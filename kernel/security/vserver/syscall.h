/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - the vserver system call
 */

#ifndef _SECURITY_VSERVER_SYSCALL_H
#define _SECURITY_VSERVER_SYSCALL_H

#include <linux/types.h>

u32 vs_vci_features(void);

#endif /* _SECURITY_VSERVER_SYSCALL_H */
