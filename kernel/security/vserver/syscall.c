// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - the vserver system call
 *
 * One entry point, sys_vserver(cmd, id, data), multiplexes every command.
 * Each command is one entry of vs_commands[], which says who may call it
 * and how its argument structure crosses the user boundary.  The
 * dispatcher enforces the entry before the handler runs, so a handler
 * only ever sees an authorised caller and a kernel copy of its argument.
 *
 * The checks run in this order, and the first that fails decides the
 * error:
 *
 * 1. @cmd is a command of this kernel, else -EOPNOTSUPP;
 * 2. the caller holds the command's permission, else -EPERM;
 * 3. an input structure is copied in, else -EFAULT;
 * 4. the handler runs; its errors are documented with it;
 * 5. an output structure is copied out, else -EFAULT.
 */

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <uapi/linux/vserver.h>

#include "syscall.h"
#include "task.h"

/**
 * enum vs_perm - what a caller needs to issue a command
 * @VS_PERM_ANY: nothing; the command only reads public information
 * @VS_PERM_HOST_ADMIN: CAP_SYS_ADMIN, in the host context
 */
enum vs_perm {
	VS_PERM_ANY,
	VS_PERM_HOST_ADMIN,
};

/* How the argument structure of a command crosses the user boundary */
#define VS_ARG_IN	BIT(0)	/* copied in before the handler runs */
#define VS_ARG_OUT	BIT(1)	/* copied out after the handler succeeds */

/**
 * union vs_arg - kernel copy of any command's argument structure
 * @rlimit_mask: for VCMD_get_rlimit_mask
 */
union vs_arg {
	struct vcmd_ctx_rlimit_mask_v0 rlimit_mask;
};

/**
 * struct vs_command - one command of sys_vserver
 * @cmd: the command word, VC_CMD(category, command, version)
 * @perm: what the caller needs, checked before anything else happens
 * @flags: VS_ARG_IN and VS_ARG_OUT, for commands with an argument
 * @size: size of the argument structure, when @flags is not 0
 * @handler: does the work on the kernel copy of the argument
 */
struct vs_command {
	u32 cmd;
	enum vs_perm perm;
	unsigned int flags;
	size_t size;
	long (*handler)(u32 id, union vs_arg *arg);
};

/**
 * vs_vci_features - the feature bits reported by VCMD_get_vci
 *
 * Only features this kernel really has are reported.  None of the
 * optional historic features (VCI_SPACES, VCI_MEMCG, ...) is implemented
 * yet, and dynamic context ids are not refused either, so no bit is set.
 *
 * Return: the VCI_* bit mask.
 */
u32 vs_vci_features(void)
{
	return 0;
}

/**
 * vc_get_version - VCMD_get_version: the VCI level of this kernel
 * @id: ignored; util-vserver passes 63
 * @arg: unused; callers pass NULL
 *
 * Permission: any caller.
 *
 * Return: VCI_VERSION.  This command does not fail.
 */
static long vc_get_version(u32 id, union vs_arg *arg)
{
	return VCI_VERSION;
}

/**
 * vc_get_vci - VCMD_get_vci: the features of this kernel
 * @id: ignored; util-vserver passes 0
 * @arg: unused; callers pass NULL
 *
 * Permission: any caller.
 *
 * Return: the VCI_* feature mask, see vs_vci_features().  This command
 * does not fail.
 */
static long vc_get_vci(u32 id, union vs_arg *arg)
{
	return vs_vci_features();
}

/**
 * vc_get_rlimit_mask - VCMD_get_rlimit_mask: which limits can be set
 * @id: ignored; util-vserver passes the xid it is about to query
 * @arg: &struct vcmd_ctx_rlimit_mask_v0, written to user space
 *
 * Permission: any caller.  The answer does not depend on a context.
 *
 * Return: 0, or one of:
 * - %EFAULT: the structure cannot be written at @data.
 */
static long vc_get_rlimit_mask(u32 id, union vs_arg *arg)
{
	/* No resource limit is implemented yet: every mask is empty. */
	arg->rlimit_mask.minimum = 0;
	arg->rlimit_mask.softlimit = 0;
	arg->rlimit_mask.maximum = 0;
	return 0;
}

static const struct vs_command vs_commands[] = {
	{
		.cmd = VCMD_get_version,
		.perm = VS_PERM_ANY,
		.handler = vc_get_version,
	},
	{
		.cmd = VCMD_get_vci,
		.perm = VS_PERM_ANY,
		.handler = vc_get_vci,
	},
	{
		.cmd = VCMD_get_rlimit_mask,
		.perm = VS_PERM_ANY,
		.flags = VS_ARG_OUT,
		.size = sizeof(struct vcmd_ctx_rlimit_mask_v0),
		.handler = vc_get_rlimit_mask,
	},
};

static const struct vs_command *vs_find_command(u32 cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vs_commands); i++)
		if (vs_commands[i].cmd == cmd)
			return &vs_commands[i];
	return NULL;
}

static bool vs_permitted(enum vs_perm perm)
{
	switch (perm) {
	case VS_PERM_ANY:
		return true;
	case VS_PERM_HOST_ADMIN:
		return vs_task_xid(current) == 0 && capable(CAP_SYS_ADMIN);
	}
	return false;
}

/**
 * sys_vserver - operate on vserver security contexts
 * @cmd: the command word, VC_CMD(category, command, version)
 * @id: what the command acts on, usually a context id (xid)
 * @data: the command's argument structure in user space, or NULL
 *
 * Every command is documented with its handler, vc_<command>(), together
 * with the errors it adds to those listed here.  The checks run in the
 * order given at the top of this file.
 *
 * Return: the command's result, 0 or greater, on success; or one of:
 * - %EOPNOTSUPP: @cmd is not a command of this kernel;
 * - %EPERM: the caller lacks the permission the command requires;
 * - %EFAULT: the command's structure cannot be read from, or written
 *   to, @data;
 * - an error the command documents.
 */
SYSCALL_DEFINE3(vserver, u32, cmd, u32, id, void __user *, data)
{
	const struct vs_command *command;
	union vs_arg arg;
	long ret;

	command = vs_find_command(cmd);
	if (!command)
		return -EOPNOTSUPP;
	if (!vs_permitted(command->perm))
		return -EPERM;

	memset(&arg, 0, sizeof(arg));
	if ((command->flags & VS_ARG_IN) &&
	    copy_from_user(&arg, data, command->size))
		return -EFAULT;

	ret = command->handler(id, &arg);
	if (ret < 0)
		return ret;

	if ((command->flags & VS_ARG_OUT) &&
	    copy_to_user(data, &arg, command->size))
		return -EFAULT;
	return ret;
}

/* The layouts are ABI: a change here breaks every tool built before it. */
static_assert(VCMD_get_version == 0x00000000);
static_assert(VCMD_get_vci == 0x00010000);
static_assert(VCMD_get_rlimit_mask == 0x3C030000);

static_assert(sizeof(struct vcmd_ctx_rlimit_mask_v0) == 12);
static_assert(offsetof(struct vcmd_ctx_rlimit_mask_v0, softlimit) == 4);
static_assert(offsetof(struct vcmd_ctx_rlimit_mask_v0, maximum) == 8);
