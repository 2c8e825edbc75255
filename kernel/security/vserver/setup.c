// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - LSM registration
 */

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "caps.h"
#include "isolation.h"
#include "keys.h"
#include "limit.h"
#include "net.h"
#include "quota.h"
#include "setup.h"
#include "task.h"

bool vs_initialized __ro_after_init;

const struct lsm_id vs_lsmid = {
	.name = VSERVER_NAME,
	.id = LSM_ID_VSERVER,
};

struct lsm_blob_sizes vs_blob_sizes __ro_after_init = {
	.lbs_cred = sizeof(struct vs_cred_security),
	.lbs_file = sizeof(struct vs_file_security),
	.lbs_ipc = sizeof(struct vs_object_security),
	.lbs_key = sizeof(struct vs_key_security),
	.lbs_sock = sizeof(struct vs_object_security),
	.lbs_task = sizeof(struct vs_task_security),
};

static int __init vs_init(void)
{
	vs_add_task_hooks();
	vs_add_isolation_hooks();
	vs_add_caps_hooks();
	vs_add_limit_hooks();
	vs_add_keys_hooks();
	vs_add_net_hooks();
	vs_add_quota_hooks();
	vs_initialized = true;
	pr_info("vserver: up and running\n");
	return 0;
}

DEFINE_LSM(vserver) = {
	.name = VSERVER_NAME,
	.init = vs_init,
	.blobs = &vs_blob_sizes,
};
