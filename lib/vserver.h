/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvserver - thin C wrappers around sys_vserver(cmd, id, data)
 *
 * Error convention: every function behaves like a system call.  On failure
 * it returns -1 and sets errno; on success it returns a non-negative value
 * (0 unless the function's comment says otherwise).  errno is left alone on
 * success.  The library never prints, never exits and keeps no state, so
 * every function is safe to call from any thread; the one exception is an
 * event monitor (below), whose state the caller holds and which one
 * thread at a time may use.
 *
 * There is one function per kernel command.  The command words, constants
 * and structure layouts come from the kernel's <linux/vserver.h>, which this
 * header includes.
 */

#ifndef LIBVSERVER_VSERVER_H
#define LIBVSERVER_VSERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vserver.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * VS_SYSCALL_NR - the system call number the library uses for the ABI it is
 * compiled for.  Callers need it only to report it (e.g. in an error message
 * when the kernel answers ENOSYS).
 */
#if defined(__x86_64__) && !defined(__ILP32__)
# define VS_SYSCALL_NR		VSERVER_NR_X86_64
#elif defined(__i386__)
# define VS_SYSCALL_NR		VSERVER_NR_I386
#elif defined(__x86_64__)
# error "libvserver: x32 has no vserver system call"
#else
# error "libvserver: no vserver system call number for this architecture"
#endif

/*
 * vs_get_version - VCMD_get_version: ask the kernel which VCI level it
 * speaks.
 *
 * Returns the VCI version word (major in the high 16 bits, minor in the low
 * 16 bits, e.g. 0x00010000 for 1.0).  Fails with ENOSYS when the running
 * kernel has no vserver support, with EOPNOTSUPP when vserver is built in
 * but not enabled (see vs_support()), and with EOVERFLOW when the kernel's
 * answer is not a non-negative int.
 */
int vs_get_version(void);

/* What vs_support() finds */
enum vs_support {
	VS_SUPPORT_ENABLED = 0,	/* the kernel runs vserver commands */
	VS_SUPPORT_MISSING,	/* it has no vserver system call */
	VS_SUPPORT_DISABLED,	/* vserver is built in but not enabled */
};

/*
 * vs_support - whether the running kernel runs vserver commands, and if
 * not, why.  A kernel built without vserver has no such system call: its
 * commands fail with ENOSYS (VS_SUPPORT_MISSING).  A kernel with vserver
 * built in whose active LSMs leave it out (the "lsm=" boot parameter
 * without "vserver") fails every command, VCMD_get_version included, with
 * EOPNOTSUPP (VS_SUPPORT_DISABLED).  Since EOPNOTSUPP from any other
 * command may also mean only that the kernel lacks that command, call
 * this to tell the cases apart after a command failed with it.
 *
 * Asks VCMD_get_version.  Returns VS_SUPPORT_ENABLED, VS_SUPPORT_MISSING
 * or VS_SUPPORT_DISABLED, with errno as it was before the call; fails, as
 * vs_get_version(), when the kernel gives any other answer.
 */
int vs_support(void);

/*
 * vs_get_vci - VCMD_get_vci: read the kernel's feature mask.
 *
 * Stores the VCI_* feature bits in *vci and returns 0.  *vci is not touched
 * on failure.  Fails with EINVAL when vci is NULL and with ENOSYS when the
 * running kernel has no vserver support.
 */
int vs_get_vci(uint32_t *vci);

/*
 * vs_get_rlimit_mask - VCMD_get_rlimit_mask: which resource limits the
 * kernel accepts.
 *
 * Stores the masks in *mask and returns 0.  Fails with EINVAL when mask is
 * NULL.  *mask is not touched on failure.
 */
int vs_get_rlimit_mask(struct vcmd_ctx_rlimit_mask_v0 *mask);

/*
 * Contexts.  A context is named by its xid: VX_XID_HOST, VX_XID_SPECTATOR,
 * or VX_XID_MIN..VX_XID_MAX; VX_XID_SELF names the caller's own context
 * where the kernel accepts it.  A caller in a context sees only that
 * context: the others fail with ESRCH, as do contexts that do not exist.
 *
 * The functions below that fill in a structure fail with EINVAL, without
 * calling the kernel, when the pointer is NULL, and leave the structure
 * alone on failure.
 */

/*
 * vs_task_xid - VCMD_task_xid: the xid of process pid (in the caller's pid
 * namespace), or of the caller when pid is 0.
 *
 * Returns the xid.  Fails with EINVAL when pid is negative, and with ESRCH
 * when the caller cannot see process pid.
 */
int vs_task_xid(pid_t pid);

/*
 * vs_vx_info - VCMD_vx_info: the xid and the init pid (0: none) of context
 * xid, stored in *info.  Returns 0.
 */
int vs_vx_info(uint32_t xid, struct vcmd_vx_info_v0 *info);

/*
 * vs_ctx_stat - VCMD_ctx_stat: the reference and task counts of context
 * xid, stored in *stat.  Returns 0.
 */
int vs_ctx_stat(uint32_t xid, struct vcmd_ctx_stat_v0 *stat);

/*
 * vs_ctx_create - VCMD_ctx_create (version 1): create context xid, or one
 * with a free xid when xid is VX_XID_DYNAMIC, with the context flags flags
 * (VXF_*; VXF_INIT_SET for a context still to be set up), and move the
 * caller into it.
 *
 * Returns the new xid.  Fails with EPERM (the caller is not privileged in
 * the host context), EINVAL (xid out of range, unknown flag), EEXIST (the
 * context exists), EBUSY (the context exists and is still being set up)
 * and ENOSPC (no free xid left).
 */
int vs_ctx_create(uint32_t xid, uint64_t flags);

/*
 * vs_ctx_migrate - VCMD_ctx_migrate (version 1): move the caller into
 * context xid, with the VXM_* flags vxm_flags.  xid VX_XID_SPECTATOR makes
 * the caller a spectator.
 *
 * Returns the xid the caller is now in.  Fails with EPERM (the caller is
 * not privileged in the host context), ESRCH (no such context) and EACCES
 * (the context is private and has left its setup).
 */
int vs_ctx_migrate(uint32_t xid, uint64_t vxm_flags);

/*
 * vs_get_cflags - VCMD_get_cflags: the flags of context xid in
 * flags->flagword, and the bits that can still change in flags->mask.
 * Returns 0.
 */
int vs_get_cflags(uint32_t xid, struct vcmd_ctx_flags_v0 *flags);

/*
 * vs_set_cflags - VCMD_set_cflags: change the bits mask of the flags of
 * context xid to their values in flags; other bits keep their value.  The
 * VXF_ONE_TIME bits can only be cleared.  Returns 0.
 *
 * Fails with EINVAL (unknown bit) and EPERM (the caller is neither
 * privileged in the host context nor inside the context while it is being
 * set up).
 */
int vs_set_cflags(uint32_t xid, uint64_t flags, uint64_t mask);

/*
 * vs_ctx_kill - VCMD_ctx_kill: send signal sig to the tasks of context
 * xid: all of them when pid is 0, all but its init when pid is -1, its
 * init when pid is 1, else process pid if it is in the context.
 *
 * Returns 0.  Fails with ESRCH (no task matched), EINVAL (bad signal) and
 * EPERM.
 */
int vs_ctx_kill(uint32_t xid, int pid, int sig);

/*
 * vs_wait_exit - VCMD_wait_exit: wait until context xid is gone, and store
 * how it ended in *status.
 *
 * Returns 0.  Fails with ESRCH (no such context) and EINTR (a signal
 * arrived first; the call may be repeated).
 */
int vs_wait_exit(uint32_t xid, struct vcmd_wait_exit_v0 *status);

/*
 * Names of a context: VHIN_CONTEXT is the context's own name,
 * VHIN_SYSNAME to VHIN_DOMAINNAME are the uname(2) fields its processes
 * see (nodename is the host name).  The kernel refuses other fields with
 * EINVAL.
 */

/*
 * vs_get_vhi_name - VCMD_get_vhi_name: copy name field (VHIN_*) of context
 * xid, NUL-terminated, into buf, which holds len bytes.
 *
 * Returns 0.  Fails with EINVAL when buf is NULL, and with ERANGE, after
 * asking the kernel, when the name and its NUL do not fit in len bytes;
 * buf is not touched then.  A buffer of VHILEN bytes always suffices.
 */
int vs_get_vhi_name(uint32_t xid, uint32_t field, char *buf, size_t len);

/*
 * vs_set_vhi_name - VCMD_set_vhi_name: set name field (VHIN_*) of context
 * xid to the NUL-terminated string name.
 *
 * Returns 0.  Fails with EINVAL when name is NULL and with ENAMETOOLONG
 * when it has VHILEN or more characters, in both cases without calling
 * the kernel; EPERM as vs_set_cflags().
 */
int vs_set_vhi_name(uint32_t xid, uint32_t field, const char *name);

/*
 * Capabilities of a context.  Each word is read whole and changed through
 * a mask: the set functions change the bits of mask to their values in the
 * word and leave the others alone.  Bits can be cleared at any time, but
 * set only while the context is being set up; a caller inside the context
 * may change them only then.  These set functions fail with EPERM when the
 * caller may not change the word, or when it would set a bit the word
 * lacks after the setup has ended.
 */

/*
 * vs_get_bcaps - VCMD_get_bcaps: the capability ceiling of context xid in
 * caps->bcaps (bit N: capability N), all ones in caps->bmask.  Returns 0.
 * A new context starts with the ceiling VX_BCAPS_DEFAULT.
 */
int vs_get_bcaps(uint32_t xid, struct vcmd_bcaps *caps);

/*
 * vs_set_bcaps - VCMD_set_bcaps: change the bits bmask of the capability
 * ceiling of context xid to their values in bcaps.  Bits of capabilities
 * the kernel does not have are ignored.  Returns 0.
 */
int vs_set_bcaps(uint32_t xid, uint64_t bcaps, uint64_t bmask);

/*
 * vs_get_ccaps - VCMD_get_ccaps (version 1): the context capabilities
 * (VXC_*) of context xid in caps->ccaps, all ones in caps->cmask.
 * Returns 0.
 */
int vs_get_ccaps(uint32_t xid, struct vcmd_ctx_caps_v1 *caps);

/*
 * vs_set_ccaps - VCMD_set_ccaps (version 1): change the bits cmask of the
 * context capabilities of context xid to their values in ccaps.  Returns
 * 0.  Fails with EINVAL when it would set a bit the kernel does not
 * implement.
 */
int vs_set_ccaps(uint32_t xid, uint64_t ccaps, uint64_t cmask);

/*
 * vs_get_umask - VCMD_get_umask: the unshare mask (CLONE_NEW* bits the
 * tasks of context xid may use without privilege) in umask->umask, all
 * ones in umask->mask.  Returns 0.
 */
int vs_get_umask(uint32_t xid, struct vcmd_umask *umask);

/*
 * vs_set_umask - VCMD_set_umask: change the bits mask of the unshare mask
 * of context xid to their values in umask.  Returns 0.  Fails with EINVAL
 * when it would set a bit the kernel does not accept.
 */
int vs_set_umask(uint32_t xid, uint64_t umask, uint64_t mask);

/*
 * Resource limits of a context.  A limit is named by its id: the x86
 * RLIMIT_* number for the resources that exist there, else a VLIMIT_*
 * number; vs_get_rlimit_mask() says which ids the kernel has, and it
 * refuses the others with EINVAL.  Values are counts; CRLIM_INFINITY is
 * "unlimited".  The hard limit refuses new objects, the soft limit only
 * counts the times it is crossed.
 */

/*
 * vs_get_rlimit - VCMD_get_rlimit: limit id of context xid in *limit: the
 * soft limit in limit->softlimit, the hard limit in limit->maximum, and
 * CRLIM_UNSET in limit->minimum.  Returns 0.
 */
int vs_get_rlimit(uint32_t xid, uint32_t id,
		  struct vcmd_ctx_rlimit_v0 *limit);

/*
 * vs_set_rlimit - VCMD_set_rlimit: set the soft and the hard limit of
 * limit id of context xid; CRLIM_KEEP leaves either unchanged.  Returns
 * 0.  Fails with EINVAL when the soft limit would end up above the hard
 * limit (nothing changes then), and with EPERM when the caller is neither
 * privileged in the host context nor inside the context while it is being
 * set up.  A hard limit below the current usage is accepted.
 */
int vs_set_rlimit(uint32_t xid, uint32_t id, uint64_t softlimit,
		  uint64_t maximum);

/*
 * vs_rlimit_stat - VCMD_rlimit_stat: the usage of resource id of context
 * xid in *stat: stat->value now, stat->minimum and stat->maximum the
 * lowest and highest since the last reset, and stat->hits the refusals at
 * the hard limit plus the crossings of the soft limit.  Returns 0.
 */
int vs_rlimit_stat(uint32_t xid, uint32_t id,
		   struct vcmd_rlimit_stat_v0 *stat);

/*
 * vs_reset_hits - VCMD_reset_hits: zero every hit counter of context xid.
 * Returns 0.  Fails with EPERM unless the caller is privileged in the
 * host context.
 */
int vs_reset_hits(uint32_t xid);

/*
 * vs_reset_minmax - VCMD_reset_minmax: set the lowest and the highest
 * usage of every resource of context xid to its current usage.  Returns
 * 0.  Fails with EPERM unless the caller is privileged in the host
 * context.
 */
int vs_reset_minmax(uint32_t xid);

/*
 * Network contexts.  A network context is named by its nid: 0 is the
 * host, VX_NID_WATCH (1) the spectator, and 2 to VX_NID_MAX are real
 * contexts.  It owns a network namespace, which the kernel makes (with
 * only "lo", up) when the context is created, and a list of IPv4 and
 * IPv6 addresses its sockets may use.  Where a function takes a nid, a
 * value with bit 31 set names the caller's own network context.
 *
 * The commands that change a context (net_migrate, the address commands,
 * set_nflags, set_ncaps) fail with EACCES when the context has lost
 * NXF_STATE_ADMIN, and with EPERM when the caller is not privileged in
 * the host context.  On a kernel without network contexts every command
 * fails with EOPNOTSUPP.  The functions below that take or fill in a
 * structure fail with EINVAL, without calling the kernel, when the
 * pointer is NULL, and leave the structure alone on failure.
 */

/*
 * vs_task_nid - VCMD_task_nid: the nid of process pid (in the caller's pid
 * namespace), or of the caller when pid is 0.
 *
 * Returns the nid.  Fails with EINVAL when pid is negative, and with ESRCH
 * when there is no such process.
 */
int vs_task_nid(pid_t pid);

/*
 * vs_nx_info - VCMD_nx_info: the nid of network context nid, stored in
 * *info, which tells whether it exists.  Returns 0.  Fails with ESRCH
 * when there is no such context (nids 0 and 1 included).
 */
int vs_nx_info(uint32_t nid, struct vcmd_nx_info_v0 *info);

/*
 * vs_net_create - VCMD_net_create (version 1): create network context nid
 * with the flags *flagword (NXF_*, taken as given), or with the kernel's
 * default NXF_INIT_SET when flagword is NULL, and move the caller into it
 * and its network namespace.
 *
 * Returns the nid.  Fails with EINVAL (nid below 2 or above VX_NID_MAX, a
 * flag the kernel refuses), EEXIST (the context exists), EBUSY (it exists
 * and has NXF_STATE_SETUP), EPERM (the caller is not privileged in the
 * host context) and EACCES (NXF_INFO_PRIVATE without NXF_STATE_SETUP).
 */
int vs_net_create(uint32_t nid, const uint64_t *flagword);

/*
 * vs_net_migrate - VCMD_net_migrate: move the caller into network context
 * nid and its network namespace; VX_NID_WATCH makes it a spectator and
 * leaves its network namespace alone.
 *
 * Returns 0, or 1 for VX_NID_WATCH.  Fails with ESRCH (no such context)
 * and EACCES (the context is private and has left its setup, or has lost
 * NXF_STATE_ADMIN).
 */
int vs_net_migrate(uint32_t nid);

/*
 * vs_net_add_ipv4 - VCMD_net_add_ipv4_v1: add the IPv4 entry *addr to the
 * list of network context nid.  addr->type NXA_TYPE_ADDR adds an address
 * with its netmask, NXA_TYPE_MASK a network; NXA_TYPE_ADDR with
 * NXA_MOD_BCAST or NXA_MOD_LBACK sets the context's broadcast or loopback
 * address instead.  Addresses are in network byte order.  Returns 0.
 *
 * Fails with EINVAL (another type) and EEXIST (an equal entry is there).
 */
int vs_net_add_ipv4(uint32_t nid, const struct vcmd_net_addr_ipv4_v1 *addr);

/*
 * vs_net_rem_ipv4 - VCMD_net_rem_ipv4_v1: remove the IPv4 entry equal to
 * *addr (NXA_TYPE_ADDR) from the list of network context nid, or every
 * IPv4 entry (NXA_TYPE_ANY).  Returns 0.
 *
 * Fails with ESRCH (no equal entry) and EINVAL (another type).
 */
int vs_net_rem_ipv4(uint32_t nid, const struct vcmd_net_addr_ipv4_v1 *addr);

/*
 * vs_net_add_ipv6 - VCMD_net_add_ipv6: add the IPv6 entry *addr to the
 * list of network context nid: NXA_TYPE_ADDR an address (its mask becomes
 * all ones; addr->prefix is kept), NXA_TYPE_MASK a network.  Returns 0.
 *
 * Fails with EINVAL (another type), EEXIST (an equal entry is there) and
 * EOPNOTSUPP (the kernel has no IPv6).
 */
int vs_net_add_ipv6(uint32_t nid, const struct vcmd_net_addr_ipv6_v1 *addr);

/*
 * vs_net_remove_ipv6 - VCMD_net_remove_ipv6: remove the IPv6 address
 * equal to *addr (NXA_TYPE_ADDR) from the list of network context nid,
 * or every IPv6 entry (NXA_TYPE_ANY).  Returns 0.
 *
 * Fails with ESRCH (no equal entry), EINVAL (another type) and EOPNOTSUPP
 * (the kernel has no IPv6).
 */
int vs_net_remove_ipv6(uint32_t nid,
		       const struct vcmd_net_addr_ipv6_v1 *addr);

/*
 * vs_get_nflags - VCMD_get_nflags: the flags (NXF_*) of network context
 * nid in flags->flagword, and the bits that can still change in
 * flags->mask.  Returns 0.
 */
int vs_get_nflags(uint32_t nid, struct vcmd_net_flags_v0 *flags);

/*
 * vs_set_nflags - VCMD_set_nflags: change the bits mask of the flags of
 * network context nid to their values in flags; other bits keep their
 * value.  The NXF_ONE_TIME bits can only be cleared.  Clearing
 * NXF_PERSISTENT ends a context that has no task left.  Returns 0.
 */
int vs_set_nflags(uint32_t nid, uint64_t flags, uint64_t mask);

/*
 * vs_get_ncaps - VCMD_get_ncaps: the network capabilities (NXC_*) of
 * network context nid in caps->ncaps, all ones in caps->cmask.  Returns
 * 0.  A new context has none.
 */
int vs_get_ncaps(uint32_t nid, struct vcmd_net_caps_v0 *caps);

/*
 * vs_set_ncaps - VCMD_set_ncaps: change the bits cmask of the network
 * capabilities of network context nid to their values in ncaps.
 * Returns 0.
 */
int vs_set_ncaps(uint32_t nid, uint64_t ncaps, uint64_t cmask);

/*
 * Events.  The kernel multicasts what happens to contexts on the generic
 * netlink family VS_GENL_NAME, in the groups VS_GENL_MCGRP_LIFECYCLE and
 * VS_GENL_MCGRP_LIMITS (see <linux/vserver.h>).  Only the host may
 * listen: the family is seen in the initial network namespace only, a
 * group may be joined only with CAP_SYS_ADMIN there, and a socket made
 * inside a context receives nothing.  An event monitor is a socket with
 * its state; it is used from one thread at a time.
 *
 *	struct vs_event_monitor *mon;
 *	struct vs_event_info ev;
 *
 *	vs_event_open(&mon);
 *	vs_event_subscribe(mon, VS_GENL_MCGRP_LIFECYCLE);
 *	while (vs_event_recv(mon, &ev) == 0 || errno == ENOBUFS)
 *		...
 *	vs_event_close(mon);
 */
struct vs_event_monitor;

/* VS_EVENT_PRESENT(ev, VS_EVENT_A_PID): whether ev had that attribute */
#define VS_EVENT_PRESENT(ev, attr)	(((ev)->present >> (attr)) & 1)

/*
 * One event (struct vs_event_info: enum vs_event names the commands):
 * type is the command (VS_EVENT_*, or a newer one, which a
 * caller that does not know it should skip), the other fields the
 * attributes of the same names (VS_EVENT_A_*).  Every event has xid and
 * time_ns (CLOCK_BOOTTIME); which other attributes each type carries is
 * said in <linux/vserver.h>.  A field whose attribute was not received is
 * 0, and its bit (1 << VS_EVENT_A_x) is clear in present.
 */
struct vs_event_info {
	uint32_t type;		/* VS_EVENT_* */
	uint32_t xid;
	uint64_t time_ns;	/* CLOCK_BOOTTIME, in ns */
	uint64_t flags;		/* VXF_* after the change */
	uint32_t pid;		/* in the initial pid namespace */
	int32_t exit_code;	/* wait status, see wait(2) */
	uint32_t reboot_cmd;	/* LINUX_REBOOT_CMD_*, or 0 */
	uint32_t resource;	/* RLIMIT_* or VLIMIT_* */
	uint64_t usage;
	uint64_t soft;		/* CRLIM_INFINITY for none */
	uint64_t hard;		/* CRLIM_INFINITY for none */
	uint32_t hits;
	uint32_t dropped;	/* events left out before this one */
	uint8_t persistent;	/* 1 set, 0 cleared */
	uint64_t present;	/* bit (1 << VS_EVENT_A_x) per attribute */
	uint32_t tasks;		/* VS_EVENT_CONTEXT */
	char name[VHILEN];	/* VS_EVENT_CONTEXT; "" when unnamed */
};

/*
 * vs_event_open - open an event monitor that has joined no group yet,
 * and store it in *mon.
 *
 * Returns 0.  Fails with EINVAL when mon is NULL, with ENOENT when the
 * running kernel has no VS_GENL_NAME family (no vserver events, or a
 * caller outside the initial network namespace), with EPROTONOSUPPORT or
 * EAFNOSUPPORT when it has no generic netlink, and with ENOMEM.
 */
int vs_event_open(struct vs_event_monitor **mon);

/*
 * vs_event_subscribe - join the multicast group named group
 * (VS_GENL_MCGRP_LIFECYCLE, VS_GENL_MCGRP_LIMITS).  Joining a group twice
 * is no error.
 *
 * Returns 0.  Fails with EINVAL when mon or group is NULL, with ENOENT
 * when the family has no such group, and with EPERM when the caller lacks
 * CAP_SYS_ADMIN in the host.
 */
int vs_event_subscribe(struct vs_event_monitor *mon, const char *group);

/*
 * vs_event_fd - the descriptor of the monitor's socket, to poll(2) for
 * POLLIN.  The caller may make it non-blocking (O_NONBLOCK), but must not
 * read from it or close it.  Fails with EINVAL when mon is NULL.
 */
int vs_event_fd(const struct vs_event_monitor *mon);

/*
 * vs_event_recv - wait for the next event of the joined groups and store
 * it in *ev.  Messages of other families, and messages not sent by the
 * kernel, are skipped; attributes newer than this header are ignored.
 *
 * Returns 0.  *ev is not touched on failure.  Fails with EINVAL when mon
 * or ev is NULL; with ENOBUFS when the socket's buffer overran and events
 * were lost; with EBADMSG when a message of the family could not be read
 * (shorter than its headers, no xid or time, an attribute of the wrong
 * length), and with EMSGSIZE when a datagram was too large to receive:
 * that message is dropped.  After these three the monitor goes
 * on, and the call may be repeated.  Fails with EINTR when a signal
 * arrived first, with EAGAIN when the descriptor is non-blocking and no
 * event is waiting, and with any other error of recvmsg(2).
 */
int vs_event_recv(struct vs_event_monitor *mon, struct vs_event_info *ev);

/* vs_event_close - close the monitor and free it; NULL is ignored */
void vs_event_close(struct vs_event_monitor *mon);

/*
 * vs_context_dump - call fn(ev, arg) for every context, in xid order, as
 * one VS_EVENT_CONTEXT dump of the event family gives them: ev has xid,
 * time_ns (its creation), flags, name, tasks and, if it has an init, pid.
 * A non-zero return of fn stops the dump and is returned.
 *
 * Returns 0.  Fails with EINVAL when fn is NULL, with ENOENT when the
 * running kernel has no VS_GENL_NAME family, with EPERM when the caller
 * lacks CAP_NET_ADMIN in the host or is in a context, with EOPNOTSUPP
 * when the family has no dump (an older kernel), and with ENOMEM.
 */
int vs_context_dump(int (*fn)(const struct vs_event_info *ev, void *arg),
		    void *arg);

#ifdef __cplusplus
}
#endif

#endif /* LIBVSERVER_VSERVER_H */
