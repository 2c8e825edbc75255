/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vserver: security contexts for process isolation
 *
 * The userspace interface of sys_vserver(cmd, id, data).  Command words,
 * constants and structure layouts are binary compatible with the historic
 * Linux-VServer "VCI" interface for every command this kernel implements.
 *
 * Every structure here has a fixed layout: fields are __u32/__u64 (or
 * __aligned_u64) with explicit padding, so that 32-bit and 64-bit callers
 * see the same bytes except where a compatibility layout says otherwise.
 */

#ifndef _UAPI_LINUX_VSERVER_H
#define _UAPI_LINUX_VSERVER_H

#include <linux/types.h>

/*
 * System call numbers.  They were reserved for vserver long ago and are
 * still named so in the syscall tables: x86_64 has 236 (no x32 entry),
 * i386 has 273, which is also the entry for int 0x80 on x86_64 kernels.
 */
#define VSERVER_NR_X86_64	236
#define VSERVER_NR_I386		273

/* Command words: VC_CMD(category, command, version) */
#define VC_CAT_SHIFT		24
#define VC_CAT_MASK		0x3F
#define VC_NUM_SHIFT		16
#define VC_NUM_MASK		0xFF
#define VC_VER_MASK		0xFFF

#define VC_CMD(c, n, v)	((((c) & VC_CAT_MASK) << VC_CAT_SHIFT) |	\
			 (((n) & VC_NUM_MASK) << VC_NUM_SHIFT) |	\
			 ((v) & VC_VER_MASK))

#define VC_CATEGORY(cmd)	(((cmd) >> VC_CAT_SHIFT) & VC_CAT_MASK)
#define VC_COMMAND(cmd)		(((cmd) >> VC_NUM_SHIFT) & VC_NUM_MASK)
#define VC_VERSION(cmd)		((cmd) & VC_VER_MASK)

/* Bits of a command word that no valid command sets */
#define VC_CMD_RESERVED_BITS	0xC000F000u

/* Command categories */
#define VC_CAT_VERSION		0
#define VC_CAT_VSETUP		1
#define VC_CAT_VHOST		2
#define VC_CAT_DEVICE		6
#define VC_CAT_VPROC		9
#define VC_CAT_PROCALT		10
#define VC_CAT_PROCMIG		11
#define VC_CAT_PROCTRL		12
#define VC_CAT_SCHED		14
#define VC_CAT_MEMCTRL		20
#define VC_CAT_VNET		25
#define VC_CAT_NETALT		26
#define VC_CAT_NETMIG		27
#define VC_CAT_NETCTRL		28
#define VC_CAT_TAGMIG		35
#define VC_CAT_DLIMIT		36
#define VC_CAT_INODE		38
#define VC_CAT_VSTAT		40
#define VC_CAT_VINFO		46
#define VC_CAT_EVENT		48
#define VC_CAT_FLAGS		52
#define VC_CAT_VSPACE		54
#define VC_CAT_DEBUG		56
#define VC_CAT_RLIMIT		60
#define VC_CAT_SYSTEST		61
#define VC_CAT_COMPAT		63

/*
 * VCI level spoken by this kernel, as returned by VCMD_get_version.
 * Tools gate features on it, so it only names levels whose commands are
 * all implemented.
 */
#define VCI_VERSION		0x00010000

/* Version queries: id is ignored (util-vserver passes 63), data is NULL */
#define VCMD_get_version	VC_CMD(VC_CAT_VERSION, 0, 0)
#define VCMD_get_vci		VC_CMD(VC_CAT_VERSION, 1, 0)

/*
 * Feature bits returned by VCMD_get_vci.  This kernel sets only the bits
 * of features it really has; see Documentation/userspace-api/vserver.rst.
 */
#define VCI_NO_DYNAMIC		(1u << 0)	/* no dynamic xid allocation */
#define VCI_PROC_SECURE		(1u << 4)
#define VCI_COWBL		(1u << 8)
#define VCI_FULLCOWBL		(1u << 9)
#define VCI_SPACES		(1u << 10)
#define VCI_NETV2		(1u << 11)
#define VCI_MEMCG		(1u << 12)
#define VCI_MEMCG_SWAP		(1u << 13)
#define VCI_DEBUG		(1u << 16)
#define VCI_HISTORY		(1u << 20)
#define VCI_TAGGED_SHIFT	24
#define VCI_TAGGED_MASK		(7u << VCI_TAGGED_SHIFT)
#define VCI_PPTAG		(1u << 28)

/*
 * Resource limit capabilities: which limit ids this kernel accepts.
 * id is ignored; data points to struct vcmd_ctx_rlimit_mask_v0.
 */
#define VCMD_get_rlimit_mask	VC_CMD(VC_CAT_RLIMIT, 3, 0)

/**
 * struct vcmd_ctx_rlimit_mask_v0 - limit ids this kernel supports
 * @minimum: bit N set: limit id N has a settable minimum
 * @softlimit: bit N set: limit id N has a settable soft limit
 * @maximum: bit N set: limit id N has a settable hard limit
 */
struct vcmd_ctx_rlimit_mask_v0 {
	__u32 minimum;
	__u32 softlimit;
	__u32 maximum;
};

#endif /* _UAPI_LINUX_VSERVER_H */
