/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vsfuzz: what the fuzzer knows of sys_vserver.  Every command of
 * include/uapi/linux/vserver.h with its word, permission, argument
 * structure (size through each entry) and the errors
 * Documentation/userspace-api/vserver.rst lists for it; the raw entries
 * (the 64-bit syscall and int 0x80); and the command words of VCI
 * categories that this kernel leaves unimplemented.
 */

#ifndef VSFUZZ_H
#define VSFUZZ_H

#include <errno.h>
#include <stdint.h>
#include <linux/capability.h>
#include <linux/vserver.h>

/* Who may issue a command (the dispatcher's coarse check) */
enum vf_perm {
	VF_ANY,		/* anyone */
	VF_HOST,	/* CAP_SYS_ADMIN in the host context */
	VF_SETUP,	/* the host's admin, or a task in a context */
};

/* How a command treats its arguments */
#define VF_IN		0x01	/* the structure is copied in first */
#define VF_OUT		0x02	/* the structure is copied out on success */
#define VF_TARGET	0x04	/* @id names a context */
#define VF_ENTER	0x08	/* success moves the caller into a context */
#define VF_CONFIG	0x10	/* changes a context */
#define VF_KILL		0x20	/* signals the tasks of a context */
#define VF_BLOCK	0x40	/* may block until a context ends */
#define VF_JOIN		0x80	/* success joins namespaces a context stored */
#define VF_NTARGET	0x100	/* @id names a network context */
#define VF_NENTER	0x200	/* success moves the caller into a network
				   context (or makes it a spectator) */
#define VF_NCONFIG	0x400	/* changes a network context, which must
				   still have NXF_STATE_ADMIN */
#define VF_OPTIN	0x800	/* the structure is copied in, unless the
				   pointer is NULL */

#define VF_MAX_ERRS	8

struct vf_cmd {
	const char *name;
	uint32_t cmd;
	enum vf_perm perm;
	unsigned int flags;
	unsigned int size;	/* bytes copied through the 64-bit entry */
	unsigned int size32;	/* bytes copied through int 0x80 */
	int errs[VF_MAX_ERRS];	/* the documented errors, 0-terminated */
};

#define VF_SZ(type)	sizeof(struct type), sizeof(struct type)
#define VF_SPACE_V2_SIZE32	12	/* mask and index, no padding */

/*
 * The v0 commands without a structure share the v1 commands' list of
 * errors, less those that only a structure can cause (EFAULT, and EINVAL
 * for unknown VXM_* flags; enter_space_v0 keeps EINVAL, which setns(2)
 * gives).
 */
static const struct vf_cmd vf_cmds[] = {
	{ "get_version", VCMD_get_version, VF_ANY, 0, 0, 0, { 0 } },
	{ "get_vci", VCMD_get_vci, VF_ANY, 0, 0, 0, { 0 } },
	{ "get_rlimit_mask", VCMD_get_rlimit_mask, VF_ANY, VF_OUT,
	  VF_SZ(vcmd_ctx_rlimit_mask_v0), { EFAULT } },
	{ "task_xid", VCMD_task_xid, VF_ANY, 0, 0, 0, { ESRCH } },
	{ "vx_info", VCMD_vx_info, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_vx_info_v0), { ESRCH, EFAULT } },
	{ "ctx_stat", VCMD_ctx_stat, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_ctx_stat_v0), { ESRCH, EFAULT } },
	{ "ctx_create_v0", VCMD_ctx_create_v0, VF_HOST, VF_ENTER, 0, 0,
	  { EPERM, EINVAL, EACCES, EEXIST, EBUSY, ENOSPC, ENOMEM } },
	{ "ctx_create", VCMD_ctx_create, VF_HOST, VF_IN | VF_ENTER,
	  VF_SZ(vcmd_ctx_create),
	  { EPERM, EINVAL, EACCES, EEXIST, EBUSY, ENOSPC, ENOMEM, EFAULT } },
	{ "ctx_migrate_v0", VCMD_ctx_migrate_v0, VF_HOST, VF_ENTER, 0, 0,
	  { EPERM, ESRCH, EACCES, ENOMEM } },
	{ "ctx_migrate", VCMD_ctx_migrate, VF_HOST, VF_IN | VF_ENTER,
	  VF_SZ(vcmd_ctx_migrate),
	  { EPERM, ESRCH, EACCES, EINVAL, ENOMEM, EFAULT } },
	{ "get_cflags", VCMD_get_cflags, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_ctx_flags_v0), { ESRCH, EFAULT } },
	{ "set_cflags", VCMD_set_cflags, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_ctx_flags_v0),
	  { ESRCH, EPERM, EINVAL, EFAULT } },
	{ "ctx_kill", VCMD_ctx_kill, VF_HOST, VF_TARGET | VF_IN | VF_KILL,
	  VF_SZ(vcmd_ctx_kill_v0), { EPERM, ESRCH, EINVAL, EFAULT } },
	{ "wait_exit", VCMD_wait_exit, VF_ANY,
	  VF_TARGET | VF_OUT | VF_BLOCK, VF_SZ(vcmd_wait_exit_v0),
	  { ESRCH, EINTR, EFAULT } },
	{ "get_vhi_name", VCMD_get_vhi_name, VF_ANY,
	  VF_TARGET | VF_IN | VF_OUT, VF_SZ(vcmd_vhi_name_v0),
	  { ESRCH, EINVAL, EFAULT } },
	{ "set_vhi_name", VCMD_set_vhi_name, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_vhi_name_v0),
	  { ESRCH, EPERM, EINVAL, EFAULT } },
	{ "get_bcaps", VCMD_get_bcaps, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_bcaps), { ESRCH, EFAULT } },
	{ "set_bcaps", VCMD_set_bcaps, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_bcaps),
	  { ESRCH, EPERM, EFAULT } },
	{ "get_ccaps", VCMD_get_ccaps, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_ctx_caps_v1), { ESRCH, EFAULT } },
	{ "set_ccaps", VCMD_set_ccaps, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_ctx_caps_v1),
	  { ESRCH, EPERM, EINVAL, EFAULT } },
	{ "get_umask", VCMD_get_umask, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_umask), { ESRCH, EFAULT } },
	{ "set_umask", VCMD_set_umask, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_umask),
	  { ESRCH, EPERM, EINVAL, EFAULT } },
	{ "get_rlimit", VCMD_get_rlimit, VF_ANY,
	  VF_TARGET | VF_IN | VF_OUT, sizeof(struct vcmd_ctx_rlimit_v0),
	  sizeof(struct vcmd_ctx_rlimit_v0_i386), { ESRCH, EINVAL, EFAULT } },
	{ "set_rlimit", VCMD_set_rlimit, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, sizeof(struct vcmd_ctx_rlimit_v0),
	  sizeof(struct vcmd_ctx_rlimit_v0_i386),
	  { ESRCH, EINVAL, EPERM, EFAULT } },
	{ "rlimit_stat", VCMD_rlimit_stat, VF_ANY,
	  VF_TARGET | VF_IN | VF_OUT, VF_SZ(vcmd_rlimit_stat_v0),
	  { ESRCH, EINVAL, EFAULT } },
	{ "reset_hits", VCMD_reset_hits, VF_HOST, VF_TARGET | VF_CONFIG,
	  0, 0, { EPERM, ESRCH } },
	{ "reset_minmax", VCMD_reset_minmax, VF_HOST, VF_TARGET | VF_CONFIG,
	  0, 0, { EPERM, ESRCH } },
	{ "virt_stat", VCMD_virt_stat, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_virt_stat_v0), { ESRCH, EFAULT } },
	{ "get_badness", VCMD_get_badness, VF_ANY, VF_TARGET | VF_OUT,
	  VF_SZ(vcmd_badness_v0), { ESRCH, EFAULT } },
	{ "set_badness", VCMD_set_badness, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_badness_v0),
	  { ESRCH, EPERM, EFAULT } },
	{ "get_space_mask", VCMD_get_space_mask, VF_ANY, VF_OUT,
	  VF_SZ(vcmd_space_mask_v1), { EFAULT } },
	{ "get_space_mask_v0", VCMD_get_space_mask_v0, VF_ANY, VF_OUT,
	  VF_SZ(vcmd_space_mask_v1), { EFAULT } },
	{ "get_space_default", VCMD_get_space_default, VF_ANY, VF_OUT,
	  VF_SZ(vcmd_space_mask_v1), { EFAULT } },
	/* i386 callers pass struct vcmd_space_mask_v2 in 12 bytes */
	{ "set_space", VCMD_set_space, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, sizeof(struct vcmd_space_mask_v2),
	  VF_SPACE_V2_SIZE32, { ESRCH, EPERM, EINVAL, ENOMEM, EFAULT } },
	{ "set_space_v1", VCMD_set_space_v1, VF_SETUP,
	  VF_TARGET | VF_IN | VF_CONFIG, VF_SZ(vcmd_space_mask_v1),
	  { ESRCH, EPERM, EINVAL, ENOMEM, EFAULT } },
	{ "enter_space", VCMD_enter_space, VF_HOST,
	  VF_TARGET | VF_IN | VF_JOIN, sizeof(struct vcmd_space_mask_v2),
	  VF_SPACE_V2_SIZE32,
	  { EPERM, ESRCH, EACCES, EINVAL, ENOMEM, EFAULT } },
	{ "enter_space_v1", VCMD_enter_space_v1, VF_HOST,
	  VF_TARGET | VF_IN | VF_JOIN, VF_SZ(vcmd_space_mask_v1),
	  { EPERM, ESRCH, EACCES, EINVAL, ENOMEM, EFAULT } },
	{ "enter_space_v0", VCMD_enter_space_v0, VF_HOST,
	  VF_TARGET | VF_JOIN, 0, 0,
	  { EPERM, ESRCH, EACCES, EINVAL, ENOMEM } },
	/* Network contexts */
	{ "task_nid", VCMD_task_nid, VF_ANY, 0, 0, 0, { ESRCH } },
	{ "nx_info", VCMD_nx_info, VF_ANY, VF_NTARGET | VF_OUT,
	  VF_SZ(vcmd_nx_info_v0), { ESRCH, EFAULT } },
	{ "net_create_v0", VCMD_net_create_v0, VF_HOST, VF_NENTER, 0, 0,
	  { EPERM, EINVAL, EEXIST, EBUSY, EINTR, ENOMEM } },
	{ "net_create", VCMD_net_create, VF_HOST, VF_OPTIN | VF_NENTER,
	  VF_SZ(vcmd_net_create),
	  { EPERM, EFAULT, EINVAL, EEXIST, EBUSY, EINTR, ENOMEM } },
	{ "net_migrate", VCMD_net_migrate, VF_HOST, VF_NENTER, 0, 0,
	  { EPERM, ESRCH, EACCES, ENOMEM } },
	{ "net_add", VCMD_net_add, VF_HOST, VF_NTARGET | VF_IN | VF_NCONFIG,
	  VF_SZ(vcmd_net_addr_v0),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL, EEXIST, ENOMEM } },
	{ "net_remove", VCMD_net_remove, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_v0),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL } },
	{ "net_add_ipv4_v1", VCMD_net_add_ipv4_v1, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv4_v1),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL, EEXIST, ENOMEM } },
	{ "net_rem_ipv4_v1", VCMD_net_rem_ipv4_v1, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv4_v1),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL } },
	{ "net_add_ipv4", VCMD_net_add_ipv4, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv4_v2),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL, EEXIST, ENOMEM } },
	{ "net_rem_ipv4", VCMD_net_rem_ipv4, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv4_v2),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL } },
	{ "net_add_ipv6", VCMD_net_add_ipv6, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv6_v1),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL, EEXIST, ENOMEM } },
	{ "net_remove_ipv6", VCMD_net_remove_ipv6, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_addr_ipv6_v1),
	  { EPERM, EFAULT, ESRCH, EACCES, EINVAL } },
	{ "get_nflags", VCMD_get_nflags, VF_ANY, VF_NTARGET | VF_OUT,
	  VF_SZ(vcmd_net_flags_v0), { ESRCH, EFAULT } },
	{ "set_nflags", VCMD_set_nflags, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_flags_v0),
	  { EPERM, EFAULT, ESRCH, EACCES } },
	{ "get_ncaps", VCMD_get_ncaps, VF_ANY, VF_NTARGET | VF_OUT,
	  VF_SZ(vcmd_net_caps_v0), { ESRCH, EFAULT } },
	{ "set_ncaps", VCMD_set_ncaps, VF_HOST,
	  VF_NTARGET | VF_IN | VF_NCONFIG, VF_SZ(vcmd_net_caps_v0),
	  { EPERM, EFAULT, ESRCH, EACCES } },
};

#define VF_NR_CMDS	(sizeof(vf_cmds) / sizeof(vf_cmds[0]))

/*
 * Words of VCI categories and commands this kernel does not implement
 * (scheduler contexts, disk limits, inode tags, the address matches of
 * network contexts, the historic commands the latest VCI kernel had
 * dropped, ...), and older or newer versions of implemented commands: all
 * of them must answer EOPNOTSUPP.
 */
static const uint32_t vf_unimplemented[] = {
	VC_CMD(VC_CAT_VERSION, 2, 0),
	VC_CMD(VC_CAT_VSETUP, 1, 0),
	VC_CMD(VC_CAT_VHOST, 3, 0),
	VC_CMD(VC_CAT_DEVICE, 1, 0),
	VC_CMD(VC_CAT_VPROC, 1, 2),
	VC_CMD(VC_CAT_PROCALT, 1, 3),		/* enter_space "v3" */
	VC_CMD(VC_CAT_PROCALT, 2, 0),		/* cleanup_namespace */
	VC_CMD(VC_CAT_PROCALT, 3, 0),		/* set_space_v0 */
	VC_CMD(VC_CAT_PROCALT, 4, 1),
	VC_CMD(VC_CAT_PROCALT, 5, 0),		/* get_pflags */
	VC_CMD(VC_CAT_PROCALT, 6, 0),		/* set_pflags */
	VC_CMD(VC_CAT_PROCMIG, 1, 2),
	VC_CMD(VC_CAT_PROCTRL, 1, 1),
	VC_CMD(VC_CAT_SCHED, 1, 0),
	VC_CMD(VC_CAT_SCHED, 1, 3),
	VC_CMD(VC_CAT_MEMCTRL, 1, 0),
	VC_CMD(VC_CAT_MEMCTRL, 5, 1),
	VC_CMD(VC_CAT_VNET, 1, 2),
	VC_CMD(VC_CAT_VNET, 2, 0),
	VC_CMD(VC_CAT_NETALT, 1, 3),
	VC_CMD(VC_CAT_NETALT, 3, 0),
	VC_CMD(VC_CAT_NETALT, 5, 0),		/* add_match_ipv4 */
	VC_CMD(VC_CAT_NETALT, 6, 0),		/* get_match_ipv4 */
	VC_CMD(VC_CAT_NETALT, 7, 0),		/* add_match_ipv6 */
	VC_CMD(VC_CAT_NETALT, 8, 0),		/* get_match_ipv6 */
	VC_CMD(VC_CAT_NETMIG, 1, 1),
	VC_CMD(VC_CAT_NETCTRL, 1, 0),
	VC_CMD(VC_CAT_TAGMIG, 1, 0),
	VC_CMD(VC_CAT_DLIMIT, 1, 0),
	VC_CMD(VC_CAT_INODE, 1, 1),
	VC_CMD(VC_CAT_VSTAT, 2, 0),
	VC_CMD(VC_CAT_VSTAT, 3, 1),
	VC_CMD(VC_CAT_VINFO, 2, 1),
	VC_CMD(VC_CAT_VINFO, 3, 0),		/* task_tag */
	VC_CMD(VC_CAT_VINFO, 5, 1),
	VC_CMD(VC_CAT_VINFO, 6, 1),
	VC_CMD(VC_CAT_EVENT, 1, 0),
	VC_CMD(VC_CAT_EVENT, 99, 1),
	VC_CMD(VC_CAT_FLAGS, 3, 0),
	VC_CMD(VC_CAT_FLAGS, 4, 0),
	VC_CMD(VC_CAT_FLAGS, 5, 1),
	VC_CMD(VC_CAT_FLAGS, 8, 1),
	VC_CMD(VC_CAT_FLAGS, 9, 1),
	VC_CMD(VC_CAT_FLAGS, 11, 0),
	VC_CMD(VC_CAT_FLAGS, 15, 0),		/* get_wmask */
	VC_CMD(VC_CAT_FLAGS, 16, 0),		/* set_wmask */
	VC_CMD(VC_CAT_VSPACE, 0, 0),
	VC_CMD(VC_CAT_VSPACE, 1, 1),
	VC_CMD(VC_CAT_DEBUG, 1, 0),
	VC_CMD(VC_CAT_RLIMIT, 1, 1),
	VC_CMD(VC_CAT_RLIMIT, 3, 1),
	VC_CMD(VC_CAT_RLIMIT, 8, 0),
	VC_CMD(VC_CAT_SYSTEST, 1, 0),
	VC_CMD(VC_CAT_COMPAT, 1, 0),
	VC_CMD(VC_CAT_COMPAT, 1, 1),		/* new_s_context */
};

#define VF_NR_UNIMPLEMENTED \
	(sizeof(vf_unimplemented) / sizeof(vf_unimplemented[0]))

/* What the kernel accepts, from the documentation */
#define VF_VALID_FLAGS	(VXF_INFO_PRIVATE | VXF_VIRT_UPTIME | VXF_HIDE_VINFO | \
			 VXF_ONE_TIME | VXF_PERSISTENT)
#define VF_VALID_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP)
#define VF_CLONE_NEWUSER	0x10000000ULL
/*
 * What a space can hold: CLONE_FS and the CLONE_NEW* bits of the namespace
 * types the kernel has, at most these; the v0 mask and the default less
 */
#define VF_SPACE_MASK	0x7C020200ULL
#define VF_SPACE_MASK_V0	0x1C020200ULL
#define VF_SPACE_DEFAULT	0x0C020200ULL
#define VF_CLONE_FS_NS	0x00020200ULL
#define VF_LIMIT_MASK	0x003910C0u
#define VF_PID_MAX_LIMIT	4194304u
#define VF_DYNAMIC_MIN	49152u
#define VF_CAP_VALID	((2ULL << CAP_LAST_CAP) - 1)
/* The network flags and capabilities the kernel names */
#define VF_NXF_KNOWN	(NXF_INFO_PRIVATE | NXF_SINGLE_IP | NXF_LBACK_REMAP | \
			 NXF_LBACK_ALLOW | NXF_HIDE_NETIF | NXF_HIDE_LBACK | \
			 NXF_ONE_TIME | NXF_SC_HELPER | NXF_PERSISTENT)
#define VF_NXC_KNOWN	(NXC_TUN_CREATE | NXC_RAW_ICMP | NXC_MULTICAST)

static inline const struct vf_cmd *vf_find(uint32_t cmd)
{
	unsigned int i;

	for (i = 0; i < VF_NR_CMDS; i++)
		if (vf_cmds[i].cmd == cmd)
			return &vf_cmds[i];
	return NULL;
}

/*
 * The entries.  Both take full 64-bit registers, so the upper halves of
 * @cmd and @id (and of @data for int 0x80) can carry garbage, which the
 * kernel must ignore; @g1..@g3 fill the argument registers the call does
 * not use.  Both return the raw result: >= 0, or a negative errno.
 */
static inline long vf_sys64(uint64_t cmd, uint64_t id, uint64_t data,
			    uint64_t g1, uint64_t g2, uint64_t g3)
{
	register uint64_t r10 __asm__("r10") = g1;
	register uint64_t r8 __asm__("r8") = g2;
	register uint64_t r9 __asm__("r9") = g3;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a" (ret)
			  : "a" ((long)VSERVER_NR_X86_64), "D" (cmd), "S" (id),
			    "d" (data), "r" (r10), "r" (r8), "r" (r9)
			  : "rcx", "r11", "memory", "cc");
	return ret;
}

static inline long vf_sys32(uint64_t cmd, uint64_t id, uint64_t data,
			    uint64_t g1, uint64_t g2)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a" (ret)
			  : "a" ((long)VSERVER_NR_I386), "b" (cmd), "c" (id),
			    "d" (data), "S" (g1), "D" (g2)
			  : "memory", "cc", "r8", "r9", "r10", "r11");
	return (int)ret;
}

#endif /* VSFUZZ_H */
