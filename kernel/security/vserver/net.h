/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - network contexts
 */

#ifndef _SECURITY_VSERVER_NET_H
#define _SECURITY_VSERVER_NET_H

#include <linux/in6.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/vserver.h>

struct net;

/* Flags and capabilities a network context acts on; others are stored */
#define VS_NET_INIT_FLAGS	NXF_INIT_SET

/**
 * struct vs_net_entry - one address entry of a network context
 * @list: in vs_net.v4 or vs_net.v6, in the order of addition
 * @type: NXA_TYPE_ADDR, NXA_TYPE_MASK or NXA_TYPE_RANGE
 * @flags: as given; compared, no other meaning
 * @prefix: IPv6: the prefix length as given
 * @ip: IPv4: the address, or the start of a range
 * @ip2: IPv4: the end of a range (excluded)
 * @mask: IPv4: the netmask
 * @ip6: IPv6: the address
 * @mask6: IPv6: the mask
 */
struct vs_net_entry {
	struct list_head list;
	u16 type;
	u16 flags;
	u32 prefix;
	__be32 ip;
	__be32 ip2;
	__be32 mask;
	struct in6_addr ip6;
	struct in6_addr mask6;
};

/**
 * struct vs_net - a network context
 * @nid: its id
 * @usage: references to this structure
 * @lock: protects the fields below it
 * @flags: NXF_* flags
 * @ncaps: NXC_* capabilities
 * @bcast: the broadcast address, network byte order
 * @lback: the loopback address, network byte order
 * @v4: IPv4 entries, struct vs_net_entry
 * @v6: IPv6 entries
 * @nr_v4: number of @v4 entries
 * @nr_v6: number of @v6 entries
 * @persist: a reference to @net while NXF_PERSISTENT is set
 * @hashed: can be looked up and entered
 * @nr_tasks: tasks whose nid this is
 * @net: the network namespace, with a passive reference
 * @rcu: frees the structure
 */
struct vs_net {
	u32 nid;
	refcount_t usage;
	spinlock_t lock;	/* protects flags to persist */
	u64 flags;
	u64 ncaps;
	__be32 bcast;
	__be32 lback;
	struct list_head v4;
	struct list_head v6;
	unsigned int nr_v4;
	unsigned int nr_v6;
	struct net *persist;
	bool hashed;
	atomic_t nr_tasks;
	struct net *net;
	struct rcu_head rcu;
};

extern atomic_t vs_nr_nets;
extern atomic_t vs_nr_nets_hashed;

struct vs_net *vs_net_lookup(u32 nid);
bool vs_net_hashed(u32 nid);
bool vs_net_visible(u32 nid);
void vs_net_get(struct vs_net *nx);
void vs_net_put(struct vs_net *nx);

int vs_net_create(u32 nid, u64 flags);
int vs_net_enter(struct vs_net *nx);
void vs_net_spectate(void);
int vs_net_add_v4(struct vs_net *nx, const struct vs_net_entry *e);
int vs_net_add_special(struct vs_net *nx, u16 mod, __be32 ip);
int vs_net_remove_v4(struct vs_net *nx, const struct vs_net_entry *e);
int vs_net_add_v6(struct vs_net *nx, const struct vs_net_entry *e);
int vs_net_remove_v6(struct vs_net *nx, const struct vs_net_entry *e);
void vs_net_remove_all(struct vs_net *nx, bool v4, bool v6);
void vs_net_get_flags(struct vs_net *nx, u64 *flags, u64 *mask);
void vs_net_set_flags(struct vs_net *nx, u64 flags, u64 mask);
void vs_net_show_info(struct seq_file *m, struct vs_net *nx);
void vs_net_show_status(struct seq_file *m, struct vs_net *nx);

void vs_net_task_fork(struct task_struct *child);
void vs_net_task_exit(struct task_struct *task);
void vs_net_task_free(struct task_struct *task);
bool vs_net_raw_icmp(int family, int type, int protocol);
bool vs_net_task_raw_icmp(const struct task_struct *task);
int vs_net_socket_create(int family, int type, int protocol, int kern);

void __init vs_add_net_hooks(void);

#endif /* _SECURITY_VSERVER_NET_H */
