// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - /proc/virtual
 *
 * /proc/virtual/info tells which interface this kernel speaks:
 *
 *	VCIVersion:	0001:0000
 *	VCISyscall:	236
 *	VCIKernel:	00000000
 *
 * The version is VCI_VERSION as two 16-bit halves, the syscall is the
 * native number of sys_vserver, and the last line is the VCMD_get_vci mask.
 */

#include <linux/init.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <asm/unistd.h>
#include <uapi/linux/vserver.h>

#include "setup.h"
#include "syscall.h"

static int vs_proc_info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "VCIVersion:\t%04x:%04x\n",
		   VCI_VERSION >> 16, VCI_VERSION & 0xffff);
	seq_printf(m, "VCISyscall:\t%d\n", __NR_vserver);
	seq_printf(m, "VCIKernel:\t%08x\n", vs_vci_features());
	return 0;
}

static int __init vs_proc_init(void)
{
	struct proc_dir_entry *dir;

	if (!vs_initialized)
		return 0;

	dir = proc_mkdir("virtual", NULL);
	if (!dir)
		goto err;
	if (!proc_create_single("info", 0444, dir, vs_proc_info_show))
		goto err_remove_dir;
	return 0;

err_remove_dir:
	proc_remove(dir);
err:
	pr_err("vserver: cannot create /proc/virtual\n");
	return -ENOMEM;
}
fs_initcall(vs_proc_init);
