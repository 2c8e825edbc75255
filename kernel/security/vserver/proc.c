// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - /proc/virtual and the VxID line of /proc/PID/status
 *
 * /proc/virtual/info tells which interface this kernel speaks:
 *
 *	VCIVersion:	0001:0000
 *	VCISyscall:	236
 *	VCIKernel:	00000000
 *
 * The version is VCI_VERSION as two 16-bit halves, the syscall is the
 * native number of sys_vserver, and the last line is the VCMD_get_vci mask.
 *
 * /proc/virtual/status counts the context objects in memory and the
 * contexts that can be entered:
 *
 *	#CTotal:	3
 *	#CActive:	2
 *
 * Each context has a directory /proc/virtual/<xid>/ with "info" (ID, Init)
 * and "status" (UseCnt, Tasks, Flags).  Tasks that cannot see the context
 * find neither the directory (see vs_proc_entry_visible(), which procfs
 * asks) nor its files.
 *
 * A directory is made when the first context with its xid is created and
 * is never removed: removing a procfs entry waits for its readers, and a
 * reader can be made to wait forever (its buffer on a FUSE or userfaultfd
 * page), which would hang the last task of the context in its exit.  The
 * directory is hidden while no context has its xid, and its files then
 * read as absent.  Each xid ever used costs the four entries.
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/vserver.h>
#include <linux/xarray.h>
#include <asm/unistd.h>
#include <uapi/linux/vserver.h>

#include "context.h"
#include "limit.h"
#include "net.h"
#include "proc.h"
#include "setup.h"
#include "syscall.h"
#include "task.h"

static struct proc_dir_entry *vs_proc_dir;

/* The directories of /proc/virtual, by xid; never erased */
static DEFINE_XARRAY(vs_proc_dirs);

/* The data of /proc/virtual, which tells its entries from all others */
static const char vs_proc_dir_tag;

static struct proc_dir_entry *vs_proc_net_dir;

/* The directories of /proc/virtnet, by nid; never erased */
static DEFINE_XARRAY(vs_proc_net_dirs);

/* The data of /proc/virtnet */
static const char vs_proc_net_tag;

/**
 * vs_proc_entry_visible - may the current task see a procfs entry?
 * @parent_data: the data of the entry's directory
 * @data: the data of the entry; for /proc/virtual/<xid>, the xid
 *
 * Return: false only for the directory of a context that the caller
 * cannot see, or that does not exist.
 */
bool vs_proc_entry_visible(const void *parent_data, const void *data)
{
	u32 id = (uintptr_t)data;

	if (!vs_initialized || !data)
		return true;
	if (parent_data == &vs_proc_dir_tag)
		return vs_may_see(id) && vs_context_hashed(id);
	if (parent_data == &vs_proc_net_tag)
		return vs_net_visible(id) && vs_net_hashed(id);
	return true;
}

/**
 * vs_proc_entry_may_hide - may vs_proc_entry_visible() hide an entry?
 * @parent_data: the data of the entry's directory
 *
 * Procfs looks such entries up on every path walk instead of trusting a
 * cached dentry: whether they are hidden changes.
 *
 * Return: true for the entries of /proc/virtual.
 */
bool vs_proc_entry_may_hide(const void *parent_data)
{
	return parent_data == &vs_proc_dir_tag || parent_data == &vs_proc_net_tag;
}

static int vs_proc_info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "VCIVersion:\t%04x:%04x\n",
		   VCI_VERSION >> 16, VCI_VERSION & 0xffff);
	seq_printf(m, "VCISyscall:\t%d\n", __NR_vserver);
	seq_printf(m, "VCIKernel:\t%08x\n", vs_vci_features());
	return 0;
}

static int vs_proc_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#CTotal:\t%d\n", atomic_read(&vs_nr_contexts));
	seq_printf(m, "#CActive:\t%d\n", atomic_read(&vs_nr_hashed));
	return 0;
}

/* The context behind a /proc/virtual/<xid>/ file, if the reader sees it. */
static struct vs_context *vs_proc_context(struct seq_file *m)
{
	u32 xid = (uintptr_t)m->private;

	if (!vs_may_see(xid))
		return NULL;
	return vs_context_lookup(xid);
}

static int vs_proc_ctx_info_show(struct seq_file *m, void *v)
{
	struct vs_context *ctx = vs_proc_context(m);

	if (!ctx)
		return -ENOENT;
	seq_printf(m, "ID:\t%u\n", ctx->xid);
	seq_printf(m, "Init:\t%d\n", vs_context_init_nr(ctx));
	vs_context_put(ctx);
	return 0;
}

static int vs_proc_ctx_status_show(struct seq_file *m, void *v)
{
	struct vs_context *ctx = vs_proc_context(m);
	unsigned int usage, tasks;
	u64 flags, bcaps, ccaps, umask;

	if (!ctx)
		return -ENOENT;
	spin_lock(&ctx->lock);
	/* Not counting the reference this reader holds */
	usage = refcount_read(&ctx->usage) - 1;
	tasks = ctx->nr_tasks;
	flags = ctx->flags;
	bcaps = ctx->bcaps;
	ccaps = ctx->ccaps;
	umask = ctx->umask;
	spin_unlock(&ctx->lock);
	seq_printf(m, "UseCnt:\t%u\n", usage);
	seq_printf(m, "Tasks:\t%u\n", tasks);
	seq_printf(m, "Flags:\t%016llx\n", flags);
	seq_printf(m, "BCaps:\t%016llx\n", bcaps);
	seq_printf(m, "CCaps:\t%016llx\n", ccaps);
	seq_printf(m, "Umask:\t%16llx\n", umask);
	vs_context_put(ctx);
	return 0;
}

static int vs_proc_ctx_limit_show(struct seq_file *m, void *v)
{
	struct vs_context *ctx = vs_proc_context(m);

	if (!ctx)
		return -ENOENT;
	vs_limits_show(m, ctx);
	vs_context_put(ctx);
	return 0;
}

/* The network context behind a /proc/virtnet/<nid>/ file, if visible. */
static struct vs_net *vs_proc_net(struct seq_file *m)
{
	u32 nid = (uintptr_t)m->private;

	if (!vs_net_visible(nid))
		return NULL;
	return vs_net_lookup(nid);
}

static int vs_proc_net_info_show(struct seq_file *m, void *v)
{
	struct vs_net *nx = vs_proc_net(m);

	if (!nx)
		return -ENOENT;
	vs_net_show_info(m, nx);
	vs_net_put(nx);
	return 0;
}

static int vs_proc_net_status_show(struct seq_file *m, void *v)
{
	struct vs_net *nx = vs_proc_net(m);

	if (!nx)
		return -ENOENT;
	vs_net_show_status(m, nx);
	vs_net_put(nx);
	return 0;
}

static int vs_proc_net_total_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#CTotal:\t%d\n", atomic_read(&vs_nr_nets));
	seq_printf(m, "#CActive:\t%d\n", atomic_read(&vs_nr_nets_hashed));
	return 0;
}

/**
 * struct vs_proc_file - a file of a per-id directory
 * @name: its name
 * @show: what it shows, for the id in the seq_file's private data
 */
struct vs_proc_file {
	const char *name;
	int (*show)(struct seq_file *m, void *v);
};

static const struct vs_proc_file vs_proc_ctx_files[] = {
	{ "info", vs_proc_ctx_info_show },
	{ "status", vs_proc_ctx_status_show },
	{ "limit", vs_proc_ctx_limit_show },
};

static const struct vs_proc_file vs_proc_net_files[] = {
	{ "info", vs_proc_net_info_show },
	{ "status", vs_proc_net_status_show },
};

/*
 * Make sure @parent/<id>/ exists with @files, remembered in @dirs.  The
 * directory is hidden until the object with that id is hashed, so nobody
 * reads it yet; the caller creates that object, and nobody else one with
 * the same id meanwhile.
 */
static int vs_proc_add_dir(struct proc_dir_entry *parent,
			   struct xarray *dirs, u32 id,
			   const struct vs_proc_file *files, size_t nr)
{
	struct proc_dir_entry *dir;
	void *data = (void *)(uintptr_t)id;
	char name[12];
	size_t i;
	int err;

	if (!parent || xa_load(dirs, id))
		return 0;
	snprintf(name, sizeof(name), "%u", id);
	dir = proc_mkdir_data(name, 0, parent, data);
	if (!dir)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (!proc_create_single_data(files[i].name, 0444, dir,
					     files[i].show, data)) {
			err = -ENOMEM;
			goto out_remove;
		}
	}
	err = xa_err(xa_store(dirs, id, dir, GFP_KERNEL));
	if (err)
		goto out_remove;
	return 0;

out_remove:
	proc_remove(dir);
	return err;
}

/**
 * vs_proc_add_context - make sure /proc/virtual/<xid>/ exists
 * @xid: the id of a context being created; nobody else creates one with
 *	 this id meanwhile
 *
 * Return: 0, or -ENOMEM.
 */
int vs_proc_add_context(u32 xid)
{
	return vs_proc_add_dir(vs_proc_dir, &vs_proc_dirs, xid,
			       vs_proc_ctx_files,
			       ARRAY_SIZE(vs_proc_ctx_files));
}

/**
 * vs_proc_add_net - make sure /proc/virtnet/<nid>/ exists
 * @nid: the id of a network context being created
 *
 * As for contexts, the directory is made once per nid and then stays,
 * hidden while no network context has the id.
 *
 * Return: 0, or -ENOMEM.
 */
int vs_proc_add_net(u32 nid)
{
	return vs_proc_add_dir(vs_proc_net_dir, &vs_proc_net_dirs, nid,
			       vs_proc_net_files,
			       ARRAY_SIZE(vs_proc_net_files));
}

/**
 * vs_proc_pid_status - the VxID line of /proc/PID/status
 * @m: the status file
 * @task: the task it describes
 *
 * Shown when the reader can see the task, unless the task's context has
 * VXF_HIDE_VINFO.
 */
void vs_proc_pid_status(struct seq_file *m, struct task_struct *task)
{
	struct vs_context *ctx;

	if (!vs_initialized)
		return;
	ctx = vs_task(task)->ctx;
	if (ctx && (READ_ONCE(ctx->flags) & VXF_HIDE_VINFO))
		return;
	seq_printf(m, "VxID:\t%u\n", vs_task_xid(task));
	seq_printf(m, "NxID:\t%u\n", READ_ONCE(vs_task(task)->nid));
}

static int __init vs_proc_init(void)
{
	struct proc_dir_entry *dir;

	if (!vs_initialized)
		return 0;

	dir = proc_mkdir_data("virtual", 0, NULL, (void *)&vs_proc_dir_tag);
	if (!dir)
		goto err;
	if (!proc_create_single("info", 0444, dir, vs_proc_info_show) ||
	    !proc_create_single("status", 0444, dir, vs_proc_status_show))
		goto err_remove_dir;
	vs_proc_dir = dir;

	dir = proc_mkdir_data("virtnet", 0, NULL, (void *)&vs_proc_net_tag);
	if (!dir)
		goto err;
	if (!proc_create_single("info", 0444, dir, vs_proc_info_show) ||
	    !proc_create_single("status", 0444, dir,
				vs_proc_net_total_show))
		goto err_remove_dir;
	vs_proc_net_dir = dir;
	return 0;

err_remove_dir:
	proc_remove(dir);
err:
	pr_err("vserver: cannot create /proc/virtual or /proc/virtnet\n");
	return -ENOMEM;
}
fs_initcall(vs_proc_init);
