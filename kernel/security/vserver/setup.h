/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - LSM registration
 */

#ifndef _SECURITY_VSERVER_SETUP_H
#define _SECURITY_VSERVER_SETUP_H

#include <linux/cache.h>
#include <linux/lsm_hooks.h>

#define VSERVER_NAME "vserver"

extern bool vs_initialized;
extern struct lsm_blob_sizes vs_blob_sizes;
extern const struct lsm_id vs_lsmid;

#endif /* _SECURITY_VSERVER_SETUP_H */
