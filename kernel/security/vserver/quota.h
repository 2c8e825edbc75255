/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - disk limits: project quotas a context cannot lift
 */

#ifndef _SECURITY_VSERVER_QUOTA_H
#define _SECURITY_VSERVER_QUOTA_H

#include <linux/init.h>

void __init vs_add_quota_hooks(void);

#endif /* _SECURITY_VSERVER_QUOTA_H */
