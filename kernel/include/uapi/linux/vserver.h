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

#include <linux/const.h>
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
 * VCI level spoken by this kernel, as returned by VCMD_get_version:
 * 2.3.4, the level of the indexed space commands (enter/set_space v2,
 * get_space_mask v1, get_space_default) on top of ctx_create v1 and ccaps
 * v1 with separate bcaps, whose words and layouts the commands here
 * follow.  Below 2.3.6, util-vserver reads usage with virt_stat and
 * rlimit_stat.  Commands of that level this kernel does not implement
 * (network and scheduler contexts, disk limits, tagging) answer
 * EOPNOTSUPP.
 */
#define VCI_VERSION		0x00020304

/* Version queries: id is ignored (util-vserver passes 63), data is NULL */
#define VCMD_get_version	VC_CMD(VC_CAT_VERSION, 0, 0)
#define VCMD_get_vci		VC_CMD(VC_CAT_VERSION, 1, 0)

/*
 * Feature bits returned by VCMD_get_vci.  This kernel sets only the bits
 * of features it really has; see Documentation/userspace-api/vserver.rst.
 */
#define VCI_NO_DYNAMIC		0x00000001u	/* no dynamic xid allocation */
#define VCI_PROC_SECURE		0x00000010u
#define VCI_COWBL		0x00000100u
#define VCI_FULLCOWBL		0x00000200u
#define VCI_SPACES		0x00000400u
#define VCI_NETV2		0x00000800u
#define VCI_MEMCG		0x00001000u
#define VCI_MEMCG_SWAP		0x00002000u
#define VCI_DEBUG		0x00010000u
#define VCI_HISTORY		0x00100000u
#define VCI_TAGGED_SHIFT	24
#define VCI_TAGGED_MASK		0x07000000u
#define VCI_PPTAG		0x10000000u

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

/* Context ids (xids) */
#define VX_XID_HOST		0	/* the host: no context */
#define VX_XID_SPECTATOR	1	/* sees every context, signals none */
#define VX_XID_MIN		2	/* first id of a real context */
#define VX_XID_MAX		65535	/* last id of a real context */
#define VX_XID_DYNAMIC		0xFFFFFFFFu	/* ctx_create: pick a free id */
#define VX_XID_SELF		0xFFFFFFFEu	/* the caller's own context */

/*
 * Context flags (struct vcmd_ctx_flags_v0, struct vcmd_ctx_create).
 * The STATE_* bits are one-way: once cleared they never come back.
 */
#define VXF_INFO_PRIVATE	_BITULL(3)	/* no entering after setup */
#define VXF_VIRT_UPTIME		_BITULL(17)	/* uptime counts from the start */
#define VXF_HIDE_VINFO		_BITULL(26)	/* no VxID in /proc/PID/status */
#define VXF_STATE_SETUP		_BITULL(32)	/* still being configured */
#define VXF_STATE_INIT		_BITULL(33)	/* no init process yet */
#define VXF_STATE_ADMIN		_BITULL(34)	/* the host may still enter */
#define VXF_PERSISTENT		_BITULL(38)	/* survives its last task */

#define VXF_ONE_TIME		(VXF_STATE_SETUP | VXF_STATE_INIT | \
				 VXF_STATE_ADMIN)
#define VXF_INIT_SET		VXF_ONE_TIME

/* ctx_migrate v1 flags (struct vcmd_ctx_migrate) */
#define VXM_SET_INIT		0x1	/* the caller becomes the context's init */
#define VXM_SET_REAPER		0x2	/* the caller becomes its child reaper */

/*
 * The xid of a task.  id is a pid in the caller's pid namespace, or 0 for
 * the caller; data is unused.  Returns the xid.
 */
#define VCMD_task_xid		VC_CMD(VC_CAT_VINFO, 1, 0)

/* id: xid; data: struct vcmd_vx_info_v0, written */
#define VCMD_vx_info		VC_CMD(VC_CAT_VINFO, 5, 0)

/**
 * struct vcmd_vx_info_v0 - identity of a context
 * @xid: the context id
 * @initpid: pid of the context's init, 0 when it has none
 */
struct vcmd_vx_info_v0 {
	__u32 xid;
	__u32 initpid;
};

/* id: xid; data: struct vcmd_ctx_stat_v0, written */
#define VCMD_ctx_stat		VC_CMD(VC_CAT_VSTAT, 0, 0)

/**
 * struct vcmd_ctx_stat_v0 - counts of a context
 * @usecnt: references to the context
 * @tasks: tasks in the context
 */
struct vcmd_ctx_stat_v0 {
	__u32 usecnt;
	__u32 tasks;
};

/*
 * Create a context and move the caller into it.  id: the new xid, or
 * VX_XID_DYNAMIC.  v0 takes no data and sets VXF_INIT_SET; v1 reads
 * struct vcmd_ctx_create.  Returns the new xid.
 */
#define VCMD_ctx_create_v0	VC_CMD(VC_CAT_VPROC, 1, 0)
#define VCMD_ctx_create		VC_CMD(VC_CAT_VPROC, 1, 1)

/**
 * struct vcmd_ctx_create - arguments of ctx_create v1
 * @flagword: the new context's flags (VXF_*)
 */
struct vcmd_ctx_create {
	__u64 flagword;
};

/*
 * Move the caller into a context.  id: xid.  v0 takes no data; v1 reads
 * struct vcmd_ctx_migrate.  id 1 makes the caller a spectator.
 */
#define VCMD_ctx_migrate_v0	VC_CMD(VC_CAT_PROCMIG, 1, 0)
#define VCMD_ctx_migrate	VC_CMD(VC_CAT_PROCMIG, 1, 1)

/**
 * struct vcmd_ctx_migrate - arguments of ctx_migrate v1
 * @flagword: VXM_* flags
 */
struct vcmd_ctx_migrate {
	__u64 flagword;
};

/* id: xid; data: struct vcmd_ctx_flags_v0, written by get, read by set */
#define VCMD_get_cflags		VC_CMD(VC_CAT_FLAGS, 1, 0)
#define VCMD_set_cflags		VC_CMD(VC_CAT_FLAGS, 2, 0)

/**
 * struct vcmd_ctx_flags_v0 - context flags
 * @flagword: the flags (VXF_*)
 * @mask: get: the bits that can still change; set: the bits to change
 */
struct vcmd_ctx_flags_v0 {
	__u64 flagword;
	__u64 mask;
};

/* id: xid; data: struct vcmd_ctx_kill_v0, read */
#define VCMD_ctx_kill		VC_CMD(VC_CAT_PROCTRL, 1, 0)

/**
 * struct vcmd_ctx_kill_v0 - signal the tasks of a context
 * @pid: 0: every task; -1: every task but init; 1: the init (or pid 1);
 *	 other: that task, if it is in the context
 * @sig: the signal
 */
struct vcmd_ctx_kill_v0 {
	__s32 pid;
	__s32 sig;
};

/* id: xid; data: struct vcmd_wait_exit_v0, written.  Blocks. */
#define VCMD_wait_exit		VC_CMD(VC_CAT_EVENT, 99, 0)

/**
 * struct vcmd_wait_exit_v0 - how a context ended
 * @reboot_cmd: the last reboot(2) command seen in the context
 * @exit_code: the exit code of its last task
 */
struct vcmd_wait_exit_v0 {
	__s32 reboot_cmd;
	__s32 exit_code;
};

/*
 * Names of a context.  id: xid; data: struct vcmd_vhi_name_v0, read by
 * set; get reads @field and writes the whole structure back.
 */
#define VCMD_set_vhi_name	VC_CMD(VC_CAT_VHOST, 1, 0)
#define VCMD_get_vhi_name	VC_CMD(VC_CAT_VHOST, 2, 0)

/* Fields of struct vcmd_vhi_name_v0 */
#define VHIN_CONTEXT		0	/* the context's own name */
#define VHIN_SYSNAME		1
#define VHIN_NODENAME		2
#define VHIN_RELEASE		3
#define VHIN_VERSION		4
#define VHIN_MACHINE		5
#define VHIN_DOMAINNAME		6

#define VHILEN			65	/* with the terminating NUL */

/**
 * struct vcmd_vhi_name_v0 - one name of a context
 * @field: which name, VHIN_*
 * @name: the name, NUL-terminated
 * @__pad: zero
 */
struct vcmd_vhi_name_v0 {
	__u32 field;
	char name[VHILEN];
	__u8 __pad[3];
};

/*
 * Capabilities.  A context has a capability ceiling, the bcaps: its tasks
 * never hold or use a capability outside it.  Bit N is capability N
 * (CAP_CHOWN is bit 0); bits of capabilities this kernel does not have are
 * ignored.  New contexts start with VX_BCAPS_DEFAULT (below).
 *
 * id: xid; data: struct vcmd_bcaps, written by get, read by set.  Set
 * changes the bits in @bmask to their value in @bcaps.  Bits can be
 * cleared at any time, but set only while the context is in setup.
 */
#define VCMD_get_bcaps		VC_CMD(VC_CAT_FLAGS, 9, 0)
#define VCMD_set_bcaps		VC_CMD(VC_CAT_FLAGS, 10, 0)

/**
 * struct vcmd_bcaps - the capability ceiling of a context
 * @bcaps: bit N set: capability N is within the ceiling
 * @bmask: get: all ones; set: the bits to change
 */
struct vcmd_bcaps {
	__u64 bcaps;
	__u64 bmask;
};

/*
 * The ceiling a new context starts with, and the tools' "secure" preset:
 * what root in a guest needs to run a distribution, and nothing that
 * reaches past the context.  Left out on purpose, among others:
 * CAP_DAC_READ_SEARCH (open_by_handle_at() opens any inode of a
 * filesystem the guest can see a mount of, outside its root too),
 * CAP_SYS_PTRACE (userfaultfd for kernel faults, which can stall host
 * tasks that read a guest's memory), CAP_SYS_ADMIN, CAP_SYS_MODULE,
 * CAP_SYS_RAWIO, CAP_MKNOD, CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_TIME.
 * Documentation/userspace-api/vserver.rst lists the reasons.
 */
#define VX_BCAPS_DEFAULT	(_BITULL(0)  /* CAP_CHOWN */		| \
				 _BITULL(1)  /* CAP_DAC_OVERRIDE */	| \
				 _BITULL(3)  /* CAP_FOWNER */		| \
				 _BITULL(4)  /* CAP_FSETID */		| \
				 _BITULL(5)  /* CAP_KILL */		| \
				 _BITULL(6)  /* CAP_SETGID */		| \
				 _BITULL(7)  /* CAP_SETUID */		| \
				 _BITULL(10) /* CAP_NET_BIND_SERVICE */	| \
				 _BITULL(18) /* CAP_SYS_CHROOT */	| \
				 _BITULL(26) /* CAP_SYS_TTY_CONFIG */	| \
				 _BITULL(28) /* CAP_LEASE */		| \
				 _BITULL(29) /* CAP_AUDIT_WRITE */	| \
				 _BITULL(31) /* CAP_SETFCAP */)

/*
 * Context capabilities (ccaps): privileged operations a context may be
 * granted on top of its ceiling.  id: xid; data: struct vcmd_ctx_caps_v1,
 * written by get, read by set.  Same rules as the bcaps; unknown bits are
 * refused with EINVAL.
 */
#define VCMD_get_ccaps		VC_CMD(VC_CAT_FLAGS, 3, 1)
#define VCMD_set_ccaps		VC_CMD(VC_CAT_FLAGS, 4, 1)

#define VXC_SET_UTSNAME		_BITULL(0)	/* sethostname, setdomainname */
#define VXC_SET_RLIMIT		_BITULL(1)	/* not implemented */
#define VXC_FS_SECURITY		_BITULL(2)	/* not implemented */
#define VXC_FS_TRUSTED		_BITULL(3)	/* not implemented */
#define VXC_TIOCSTI		_BITULL(4)	/* not implemented */
#define VXC_RAW_ICMP		_BITULL(8)	/* raw ICMP sockets (ping) */
#define VXC_SYSLOG		_BITULL(12)	/* not implemented */
#define VXC_OOM_ADJUST		_BITULL(13)	/* not implemented */
#define VXC_AUDIT_CONTROL	_BITULL(14)	/* not implemented */
#define VXC_SECURE_MOUNT	_BITULL(16)	/* not implemented */
#define VXC_SECURE_REMOUNT	_BITULL(17)	/* not implemented */
#define VXC_BINARY_MOUNT	_BITULL(18)	/* not implemented */
#define VXC_DEV_MOUNT		_BITULL(19)	/* not implemented */
#define VXC_QUOTA_CTL		_BITULL(20)	/* not implemented */
#define VXC_ADMIN_MAPPER	_BITULL(21)	/* not implemented */
#define VXC_ADMIN_CLOOP		_BITULL(22)	/* not implemented */
#define VXC_KTHREAD		_BITULL(24)	/* not implemented */
#define VXC_NAMESPACE		_BITULL(25)	/* not implemented */

/**
 * struct vcmd_ctx_caps_v1 - the context capabilities of a context
 * @ccaps: the VXC_* bits
 * @cmask: get: all ones; set: the bits to change
 */
struct vcmd_ctx_caps_v1 {
	__u64 ccaps;
	__u64 cmask;
};

/*
 * The unshare mask: namespaces (CLONE_NEW* bits) the tasks of a context
 * may create without privilege.  id: xid; data: struct vcmd_umask, written
 * by get, read by set.  Same rules as the bcaps.  New contexts start
 * with 0.
 */
#define VCMD_get_umask		VC_CMD(VC_CAT_FLAGS, 13, 0)
#define VCMD_set_umask		VC_CMD(VC_CAT_FLAGS, 14, 0)

/**
 * struct vcmd_umask - the unshare mask of a context
 * @umask: CLONE_NEW* bits
 * @mask: get: all ones; set: the bits to change
 */
struct vcmd_umask {
	__u64 umask;
	__u64 mask;
};

/*
 * Resource limits of a context.  Limit ids are the RLIMIT_* numbers of
 * x86 for the resources that exist there, then the VLIMIT_* ones.
 */
#define VLIMIT_NSOCK		16	/* sockets */
#define VLIMIT_OPENFD		17	/* open file descriptors */
#define VLIMIT_ANON		18	/* anonymous memory */
#define VLIMIT_SHMEM		19	/* SysV shared memory */
#define VLIMIT_SEMARY		20	/* SysV semaphore arrays */
#define VLIMIT_NSEMS		21	/* SysV semaphores */
#define VLIMIT_DENTRY		22	/* dentries */
#define VLIMIT_MAPPED		23	/* mapped pages */
#define VLIMIT_NUM		24	/* ids are below this */

/* Limit values: all ones is "unlimited", all ones but bit 0 "unchanged" */
#define CRLIM_UNSET		0ULL
#define CRLIM_INFINITY		(~0ULL)
#define CRLIM_KEEP		(~1ULL)

/*
 * id: xid; data: struct vcmd_ctx_rlimit_v0, read by set; get reads @id
 * and writes the structure whole.
 */
#define VCMD_get_rlimit		VC_CMD(VC_CAT_RLIMIT, 1, 0)
#define VCMD_set_rlimit		VC_CMD(VC_CAT_RLIMIT, 2, 0)

/**
 * struct vcmd_ctx_rlimit_v0 - one limit of a context
 * @id: the limit id (RLIMIT_* or VLIMIT_*)
 * @minimum: get: CRLIM_UNSET; set: ignored
 * @softlimit: the soft limit: crossing it is counted, never refused
 * @maximum: the hard limit: reaching it refuses
 *
 * The one structure whose layout differs between the ABIs, as it always
 * has: natural alignment pads it to 32 bytes on x86_64 (4 bytes after
 * @id) and packs it into 28 on i386.  struct vcmd_ctx_rlimit_v0_i386 is
 * the i386 layout, for 64-bit code that calls the i386 entry.
 */
struct vcmd_ctx_rlimit_v0 {
	__u32 id;
	__u64 minimum;
	__u64 softlimit;
	__u64 maximum;
};

/**
 * struct vcmd_ctx_rlimit_v0_i386 - struct vcmd_ctx_rlimit_v0 as i386
 *	lays it out: 28 bytes, no padding
 * @id: the limit id
 * @minimum: as in struct vcmd_ctx_rlimit_v0
 * @softlimit: as in struct vcmd_ctx_rlimit_v0
 * @maximum: as in struct vcmd_ctx_rlimit_v0
 */
struct vcmd_ctx_rlimit_v0_i386 {
	__u32 id;
	__u64 minimum;
	__u64 softlimit;
	__u64 maximum;
} __attribute__((packed));

/* id: xid; data: struct vcmd_rlimit_stat_v0, @id read, the rest written */
#define VCMD_rlimit_stat	VC_CMD(VC_CAT_VSTAT, 1, 0)

/**
 * struct vcmd_rlimit_stat_v0 - usage of one resource of a context
 * @id: the limit id
 * @hits: how often the hard limit refused, or the soft limit was crossed
 * @value: the current usage
 * @minimum: the lowest usage seen since the last reset
 * @maximum: the highest usage seen since the last reset
 */
struct vcmd_rlimit_stat_v0 {
	__u32 id;
	__u32 hits;
	__aligned_u64 value;
	__aligned_u64 minimum;
	__aligned_u64 maximum;
};

/* id: xid; no data.  Zero every hit counter / set min = max = current. */
#define VCMD_reset_hits		VC_CMD(VC_CAT_RLIMIT, 7, 0)
#define VCMD_reset_minmax	VC_CMD(VC_CAT_RLIMIT, 9, 0)

/* id: xid; data: struct vcmd_virt_stat_v0, written */
#define VCMD_virt_stat		VC_CMD(VC_CAT_VSTAT, 3, 0)

/**
 * struct vcmd_virt_stat_v0 - the virtual system figures of a context
 * @offset: how far the context's boot time is ahead of the host's, in
 *	    ns: its creation with VXF_VIRT_UPTIME, else 0
 * @uptime: time since the context was created, in ns
 * @nr_threads: tasks of the context
 * @nr_running: of those, runnable
 * @nr_uninterruptible: of those, in uninterruptible sleep
 * @nr_onhold: always 0 (no scheduler holds tasks here)
 * @nr_forks: tasks forked in the context since its creation
 * @load: load averages over 1, 5 and 15 minutes, fixed point with 11
 *	  fractional bits; always 0 (not tracked per context)
 */
struct vcmd_virt_stat_v0 {
	__aligned_u64 offset;
	__aligned_u64 uptime;
	__u32 nr_threads;
	__u32 nr_running;
	__u32 nr_uninterruptible;
	__u32 nr_onhold;
	__u32 nr_forks;
	__u32 load[3];
};

/*
 * The OOM bias of a context.  id: xid; data: struct vcmd_badness_v0,
 * written by get, read by set.  Set also makes the bias, clamped to
 * -1000..1000, the oom_score_adj of every task of the context, and of
 * every task that enters it later.
 */
#define VCMD_get_badness	VC_CMD(VC_CAT_MEMCTRL, 5, 0)
#define VCMD_set_badness	VC_CMD(VC_CAT_MEMCTRL, 6, 0)

/**
 * struct vcmd_badness_v0 - the OOM bias of a context
 * @bias: added to the OOM badness of its tasks; initially 0
 */
struct vcmd_badness_v0 {
	__s64 bias;
};

/*
 * Network contexts (nid).  A network context owns a network namespace
 * and the list of addresses its sockets may use; see
 * Documentation/userspace-api/vserver.rst.  nid 0 is the host, nid 1 the
 * spectator ("watch"), created nids are 2 to VX_NID_MAX.
 *
 * task_nid: id is a pid in the caller's pid namespace, or 0 for the
 * caller; returns the nid.  nx_info: id: nid; data: struct
 * vcmd_nx_info_v0, written.
 */
#define VCMD_task_nid		VC_CMD(VC_CAT_VINFO, 2, 0)
#define VCMD_nx_info		VC_CMD(VC_CAT_VINFO, 6, 0)

#define VX_NID_WATCH		1
#define VX_NID_MAX		65535

/**
 * struct vcmd_nx_info_v0 - identity of a network context
 * @nid: the network context id
 */
struct vcmd_nx_info_v0 {
	__u32 nid;
};

/*
 * net_create: id: the new nid; data: struct vcmd_net_create (v1) or NULL
 * for NXF_INIT_SET; v0 ignores data.  Returns the nid; the caller is
 * moved into it.  net_migrate: id: nid (1: the spectator); data unused.
 */
#define VCMD_net_create_v0	VC_CMD(VC_CAT_VNET, 1, 0)
#define VCMD_net_create		VC_CMD(VC_CAT_VNET, 1, 1)
#define VCMD_net_migrate	VC_CMD(VC_CAT_NETMIG, 1, 0)

/**
 * struct vcmd_net_create - flags of a new network context
 * @flagword: its NXF_* flags, taken as given
 */
struct vcmd_net_create {
	__u64 flagword;
};

/*
 * Addresses: id: nid.  net_add/net_remove (v0) take struct
 * vcmd_net_addr_v0, the _ipv4 commands struct vcmd_net_addr_ipv4_v1 (v1)
 * or _v2 (v2), the _ipv6 commands struct vcmd_net_addr_ipv6_v1.
 */
#define VCMD_net_add		VC_CMD(VC_CAT_NETALT, 1, 0)
#define VCMD_net_remove		VC_CMD(VC_CAT_NETALT, 2, 0)
#define VCMD_net_add_ipv4_v1	VC_CMD(VC_CAT_NETALT, 1, 1)
#define VCMD_net_rem_ipv4_v1	VC_CMD(VC_CAT_NETALT, 2, 1)
#define VCMD_net_add_ipv4	VC_CMD(VC_CAT_NETALT, 1, 2)
#define VCMD_net_rem_ipv4	VC_CMD(VC_CAT_NETALT, 2, 2)
#define VCMD_net_add_ipv6	VC_CMD(VC_CAT_NETALT, 3, 1)
#define VCMD_net_remove_ipv6	VC_CMD(VC_CAT_NETALT, 4, 1)

/* Address types and modifiers (the type field of the address structs) */
#define NXA_TYPE_IPV4		0x0001
#define NXA_TYPE_IPV6		0x0002
#define NXA_TYPE_NONE		0x0000
#define NXA_TYPE_ANY		0x00FF
#define NXA_TYPE_ADDR		0x0010
#define NXA_TYPE_MASK		0x0020
#define NXA_TYPE_RANGE		0x0040
#define NXA_MASK_ALL		(NXA_TYPE_ADDR | NXA_TYPE_MASK | NXA_TYPE_RANGE)
#define NXA_MOD_BCAST		0x0100
#define NXA_MOD_LBACK		0x0200
#define NXA_LOOPBACK		0x1000
#define NXA_MASK_BIND		(NXA_MASK_ALL | NXA_MOD_BCAST | NXA_MOD_LBACK)
#define NXA_MASK_SHOW		(NXA_MASK_ALL | NXA_LOOPBACK)

#define NX_ADDR_V0_MAX		4	/* addresses per net_add v0 call */

/**
 * struct vcmd_net_addr_v0 - up to four IPv4 addresses (net_add v0)
 * @type: NXA_TYPE_IPV4, optionally with NXA_MOD_BCAST or NXA_MOD_LBACK
 * @count: how many of @ip and @mask are used, 1 to 4
 * @ip: the addresses, network byte order
 * @mask: their netmasks, network byte order
 */
struct vcmd_net_addr_v0 {
	__u16 type;
	__u16 count;
	__be32 ip[NX_ADDR_V0_MAX];
	__be32 mask[NX_ADDR_V0_MAX];
};

/**
 * struct vcmd_net_addr_ipv4_v1 - one IPv4 entry
 * @type: NXA_TYPE_ADDR or _MASK, or ADDR with NXA_MOD_BCAST or _LBACK
 * @flags: stored and compared, no meaning
 * @ip: the address, network byte order
 * @mask: its netmask, network byte order
 */
struct vcmd_net_addr_ipv4_v1 {
	__u16 type;
	__u16 flags;
	__be32 ip;
	__be32 mask;
};

/**
 * struct vcmd_net_addr_ipv4_v2 - one IPv4 entry, with ranges
 * @type: as for v1, and NXA_TYPE_RANGE
 * @flags: stored and compared, no meaning
 * @ip: the address or first address of the range
 * @ip2: the end of the range (excluded)
 * @mask: the netmask
 */
struct vcmd_net_addr_ipv4_v2 {
	__u16 type;
	__u16 flags;
	__be32 ip;
	__be32 ip2;
	__be32 mask;
};

/**
 * struct vcmd_net_addr_ipv6_v1 - one IPv6 entry
 * @type: NXA_TYPE_ADDR (the mask is then all ones) or NXA_TYPE_MASK
 * @flags: stored and compared, no meaning
 * @prefix: the prefix length
 * @ip: the address
 * @mask: its mask
 */
struct vcmd_net_addr_ipv6_v1 {
	__u16 type;
	__u16 flags;
	__u32 prefix;
	__u8 ip[16];
	__u8 mask[16];
};

/*
 * Network flags and capabilities: id: nid.  get_nflags and get_ncaps
 * write, set_nflags and set_ncaps read.  Set changes the bits in the
 * mask to their value in the flagword (ncaps); the one-time flags
 * NXF_ONE_TIME can be cleared, never set.
 */
#define VCMD_get_nflags		VC_CMD(VC_CAT_FLAGS, 5, 0)
#define VCMD_set_nflags		VC_CMD(VC_CAT_FLAGS, 6, 0)
#define VCMD_get_ncaps		VC_CMD(VC_CAT_FLAGS, 7, 0)
#define VCMD_set_ncaps		VC_CMD(VC_CAT_FLAGS, 8, 0)

/**
 * struct vcmd_net_flags_v0 - flags of a network context
 * @flagword: NXF_* bits
 * @mask: get: the bits that can change; set: the bits to change
 */
struct vcmd_net_flags_v0 {
	__aligned_u64 flagword;
	__aligned_u64 mask;
};

/**
 * struct vcmd_net_caps_v0 - network capabilities of a context
 * @ncaps: NXC_* bits
 * @cmask: get: all ones; set: the bits to change
 */
struct vcmd_net_caps_v0 {
	__aligned_u64 ncaps;
	__aligned_u64 cmask;
};

/* Network context flags (NXF_*) */
#define NXF_INFO_PRIVATE	_BITULL(3)	/* migrate needs STATE_SETUP */
#define NXF_SINGLE_IP		_BITULL(8)	/* stored, see vserver.rst */
#define NXF_LBACK_REMAP		_BITULL(9)	/* AF_INET without addresses */
#define NXF_LBACK_ALLOW		_BITULL(10)	/* stored, see vserver.rst */
#define NXF_HIDE_NETIF		_BITULL(25)	/* stored: hiding is by netns */
#define NXF_HIDE_LBACK		_BITULL(26)	/* stored, see vserver.rst */
#define NXF_STATE_SETUP		_BITULL(32)	/* one-time */
#define NXF_STATE_ADMIN		_BITULL(34)	/* one-time: admin commands */
#define NXF_SC_HELPER		_BITULL(36)	/* stored: no helper runs */
#define NXF_PERSISTENT		_BITULL(38)	/* lives without tasks */

#define NXF_ONE_TIME		(NXF_STATE_SETUP | NXF_STATE_ADMIN)
#define NXF_INIT_SET		(NXF_STATE_ADMIN | NXF_HIDE_NETIF | \
				 NXF_HIDE_LBACK | NXF_LBACK_REMAP)

/* Network capabilities (NXC_*) */
#define NXC_TUN_CREATE		_BITULL(0)	/* stored: no tun in contexts */
#define NXC_RAW_ICMP		_BITULL(8)	/* raw ICMP sockets: ping */
#define NXC_MULTICAST		_BITULL(12)	/* bind multicast addresses */

/*
 * Spaces: sets of namespaces a context remembers, two per context (index
 * 0 and 1), which tasks can then join.  The masks are CLONE_* bits:
 * CLONE_FS (the root and working directory), CLONE_NEWNS, CLONE_NEWUTS,
 * CLONE_NEWIPC, CLONE_NEWUSER (the credentials), CLONE_NEWPID (for the
 * children) and CLONE_NEWNET.
 *
 * get_space_mask (v1) and _v0 and get_space_default: id is ignored, data
 * is struct vcmd_space_mask_v1, written: the bits this kernel can store
 * (v0: without NEWPID and NEWNET), and those util-vserver stores by
 * default.
 *
 * set_space: id: xid; data: struct vcmd_space_mask_v2 (v2) or
 * struct vcmd_space_mask_v1 (v1, index 0).  Stores the caller's
 * namespaces of the mask in space @index.
 *
 * enter_space: id: xid; data as for set_space (v0: none, everything of
 * space 0).  The caller joins the stored namespaces of the mask, or all
 * of them for mask 0.
 */
#define VCMD_enter_space_v0	VC_CMD(VC_CAT_PROCALT, 1, 0)
#define VCMD_enter_space_v1	VC_CMD(VC_CAT_PROCALT, 1, 1)
#define VCMD_enter_space	VC_CMD(VC_CAT_PROCALT, 1, 2)
#define VCMD_set_space_v1	VC_CMD(VC_CAT_PROCALT, 3, 1)
#define VCMD_set_space		VC_CMD(VC_CAT_PROCALT, 3, 2)
#define VCMD_get_space_mask_v0	VC_CMD(VC_CAT_PROCALT, 4, 0)
#define VCMD_get_space_mask	VC_CMD(VC_CAT_VSPACE, 0, 1)
#define VCMD_get_space_default	VC_CMD(VC_CAT_VSPACE, 1, 0)

#define VX_SPACES		2	/* spaces per context: index 0 and 1 */

/**
 * struct vcmd_space_mask_v1 - a set of namespaces
 * @mask: CLONE_* bits
 */
struct vcmd_space_mask_v1 {
	__u64 mask;
};

/**
 * struct vcmd_space_mask_v2 - a set of namespaces of one space
 * @mask: CLONE_* bits
 * @index: the space, 0 or 1
 * @__pad: ignored
 *
 * Historic i386 tools lay it out in 12 bytes, without @__pad: the kernel
 * reads 12 bytes from i386 callers.
 */
struct vcmd_space_mask_v2 {
	__u64 mask;
	__u32 index;
	__u32 __pad;
};

/*
 * Events: the generic netlink family VS_GENL_NAME multicasts what happens
 * to contexts.  Only the host may listen: the groups need CAP_SYS_ADMIN,
 * the family exists in the initial network namespace only, and a socket
 * made in a context never receives an event.  Each message is one
 * VS_EVENT_* command with VS_EVENT_A_* attributes; every message has
 * VS_EVENT_A_XID and VS_EVENT_A_TIME, and a listener must ignore
 * attributes it does not know.
 *
 * Group VS_GENL_MCGRP_LIFECYCLE:
 * - VS_EVENT_CREATED: a context was created.  FLAGS, PID (the creator).
 * - VS_EVENT_SETUP_DONE: its setup ended (VXF_STATE_SETUP cleared).  FLAGS.
 * - VS_EVENT_PERSISTENT: VXF_PERSISTENT was set or cleared.  PERSISTENT,
 *   FLAGS.
 * - VS_EVENT_REBOOT: a task of the context called reboot(2), which ends
 *   the context.  REBOOT_CMD, PID (the caller).
 * - VS_EVENT_ENDED: the context ended.  EXIT_CODE and REBOOT_CMD, as
 *   VCMD_wait_exit reports them.
 *
 * Request VS_EVENT_CONTEXT, as a dump (NLM_F_DUMP), from the host with
 * CAP_NET_ADMIN: one VS_EVENT_CONTEXT message per context, in xid order,
 * with FLAGS, NAME, TASKS and PID (its init, if it has one, in the
 * caller's pid namespace); TIME is when the context was created.
 *
 * Group VS_GENL_MCGRP_LIMITS:
 * - VS_EVENT_LIMIT_REFUSED: a charge was refused at the hard limit.
 * - VS_EVENT_LIMIT_SOFT: the usage crossed the soft limit.
 *   Both with RESOURCE, USAGE, SOFT, HARD, HITS and DROPPED.  At most
 *   VS_EVENT_LIMIT_RATE of them are sent per second for one resource of
 *   one context; DROPPED counts those left out since the last one sent.
 */
#define VS_GENL_NAME		"vserver"
#define VS_GENL_VERSION		1
#define VS_GENL_MCGRP_LIFECYCLE	"lifecycle"
#define VS_GENL_MCGRP_LIMITS	"limits"
#define VS_EVENT_LIMIT_RATE	10

enum vs_event {
	VS_EVENT_UNSPEC,
	VS_EVENT_CREATED,
	VS_EVENT_SETUP_DONE,
	VS_EVENT_PERSISTENT,
	VS_EVENT_REBOOT,
	VS_EVENT_ENDED,
	VS_EVENT_LIMIT_REFUSED,
	VS_EVENT_LIMIT_SOFT,
	VS_EVENT_CONTEXT,

	__VS_EVENT_MAX,
};

#define VS_EVENT_MAX		(__VS_EVENT_MAX - 1)

enum vs_event_attr {
	VS_EVENT_A_UNSPEC,
	VS_EVENT_A_PAD,		/* padding of 64-bit attributes */
	VS_EVENT_A_XID,		/* u32: the context */
	VS_EVENT_A_TIME,	/* u64: CLOCK_BOOTTIME, in ns */
	VS_EVENT_A_FLAGS,	/* u64: VXF_* after the change */
	VS_EVENT_A_PID,		/* u32: in the initial pid namespace */
	VS_EVENT_A_PERSISTENT,	/* u8: 1 set, 0 cleared */
	VS_EVENT_A_EXIT_CODE,	/* s32: wait status of the last task */
	VS_EVENT_A_REBOOT_CMD,	/* u32: LINUX_REBOOT_CMD_*, or 0 */
	VS_EVENT_A_RESOURCE,	/* u32: RLIMIT_* or VLIMIT_* */
	VS_EVENT_A_USAGE,	/* u64 */
	VS_EVENT_A_SOFT,	/* u64: CRLIM_INFINITY for none */
	VS_EVENT_A_HARD,	/* u64: CRLIM_INFINITY for none */
	VS_EVENT_A_HITS,	/* u32: the resource's hits so far */
	VS_EVENT_A_DROPPED,	/* u32: events left out before this one */
	VS_EVENT_A_NAME,	/* string: the context's name, maybe empty */
	VS_EVENT_A_TASKS,	/* u32: its tasks */

	__VS_EVENT_A_MAX,
};

#define VS_EVENT_A_MAX		(__VS_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_VSERVER_H */
