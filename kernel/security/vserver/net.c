// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - network contexts
 *
 * A network context (nid) is a network namespace with a list of the
 * addresses its sockets may use.  The namespace gives each guest its own
 * interfaces, loopback, ports, routes and socket tables, so wildcard
 * binds, port conflicts, source selection and what "ip addr" or
 * /proc/net show are right by construction; the list, checked by the
 * hooks below, keeps a guest to its addresses even where the namespace
 * alone would not (a freebind socket, a forged IP_PKTINFO source) and
 * gates the socket families.  The kernel makes no network device: the
 * host links the namespace to its own network (util-vserver does it with
 * a veth pair), as for any container.
 *
 * Network contexts live in an xarray indexed by nid.  The namespace's
 * per-net data points back to its context, so a socket's context is that
 * of the namespace it was made in, whoever holds it later.  A context is
 * hashed until its namespace ends: the namespace lives while a task is in
 * it, a socket was made in it, or the context is persistent, which holds
 * a reference to it.  The context holds a passive reference to the
 * namespace, so the structure stays readable to the end.
 */

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/lsm_hooks.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/user_namespace.h>
#include <linux/xarray.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "net.h"
#include "proc.h"
#include "setup.h"
#include "task.h"

atomic_t vs_nr_nets = ATOMIC_INIT(0);
atomic_t vs_nr_nets_hashed = ATOMIC_INIT(0);

static DEFINE_XARRAY(vs_nets);

/* The per-namespace data: the context the namespace belongs to */
struct vs_net_pernet {
	struct vs_net __rcu *nx;
};

static unsigned int vs_net_id __read_mostly;
static bool vs_net_ready __read_mostly;

void vs_net_get(struct vs_net *nx)
{
	refcount_inc(&nx->usage);
}

/**
 * vs_net_put - drop a reference to a network context
 * @nx: the context, or NULL
 *
 * May be called from an RCU callback (a task or socket being freed).
 */
void vs_net_put(struct vs_net *nx)
{
	if (nx && refcount_dec_and_test(&nx->usage)) {
		struct vs_net_entry *e, *n;

		list_for_each_entry_safe(e, n, &nx->v4, list)
			kfree(e);
		list_for_each_entry_safe(e, n, &nx->v6, list)
			kfree(e);
		if (nx->net)
			net_passive_dec(nx->net);
		atomic_dec(&vs_nr_nets);
		kfree_rcu(nx, rcu);
	}
}

/* The context of a network namespace, under RCU; NULL for the host's. */
static struct vs_net *vs_net_of(const struct net *net)
{
	struct vs_net_pernet *pn;

	if (!vs_net_ready || !net || net_eq(net, &init_net))
		return NULL;
	pn = net_generic(net, vs_net_id);
	return rcu_dereference(pn->nx);
}

/* Is @nx still alive: hashed, and its namespace not ending? */
static bool vs_net_alive(const struct vs_net *nx)
{
	/* Pairs with the release in vs_net_create(): @net is set */
	return smp_load_acquire(&nx->hashed) && check_net(nx->net);
}

/**
 * vs_net_lookup - find a live network context and take a reference
 * @nid: its id
 *
 * Return: the context, or NULL.
 */
struct vs_net *vs_net_lookup(u32 nid)
{
	struct vs_net *nx;

	rcu_read_lock();
	nx = xa_load(&vs_nets, nid);
	if (nx && (!vs_net_alive(nx) || !refcount_inc_not_zero(&nx->usage)))
		nx = NULL;
	rcu_read_unlock();
	return nx;
}

/**
 * vs_net_hashed - is a live network context with this id there?
 * @nid: its id
 *
 * Return: the answer, which may change at any moment.
 */
bool vs_net_hashed(u32 nid)
{
	struct vs_net *nx;
	bool alive;

	rcu_read_lock();
	nx = xa_load(&vs_nets, nid);
	alive = nx && vs_net_alive(nx);
	rcu_read_unlock();
	return alive;
}

/**
 * vs_net_visible - may the current task see network context @nid?
 * @nid: its id
 *
 * The host and spectators (of either kind of context) see every network
 * context, a task in a network context only its own.
 *
 * Return: the answer.
 */
bool vs_net_visible(u32 nid)
{
	u32 own = READ_ONCE(vs_task(current)->nid);
	u32 xid = vs_current_xid();

	if (own >= VX_XID_MIN)
		return own == nid;
	return xid == VX_XID_HOST || xid == VX_XID_SPECTATOR;
}

/*
 * The namespace ends: nothing in it is left, no task, no socket, no
 * persistence.  Its context ends with it.
 */
static void __net_exit vs_net_exit(struct net *net)
{
	struct vs_net_pernet *pn = net_generic(net, vs_net_id);
	struct vs_net *nx = rcu_dereference_protected(pn->nx, true);

	if (!nx)
		return;
	spin_lock(&nx->lock);
	WRITE_ONCE(nx->hashed, false);
	spin_unlock(&nx->lock);
	xa_erase(&vs_nets, nx->nid);
	atomic_dec(&vs_nr_nets_hashed);
	RCU_INIT_POINTER(pn->nx, NULL);
	vs_net_put(nx);
}

static struct pernet_operations vs_net_ops = {
	.exit = vs_net_exit,
	.id = &vs_net_id,
	.size = sizeof(struct vs_net_pernet),
};

/* Move the current task into @nx, whose namespace @net it holds. */
static int vs_net_switch(struct vs_net *nx, struct net *net)
{
	struct vs_task_security *ts = vs_task(current);
	struct vs_net *old = ts->nx;
	struct nsproxy *nsp;
	int err;

	err = vs_nsproxy_copy(&nsp);
	if (err) {
		put_net(net);
		return err;
	}
	put_net(nsp->net_ns);
	nsp->net_ns = net;
	switch_task_namespaces(current, nsp);

	vs_net_get(nx);
	atomic_inc(&nx->nr_tasks);
	ts->nx = nx;
	WRITE_ONCE(ts->nid, nx->nid);
	if (old) {
		if (ts->nx_counted)
			atomic_dec(&old->nr_tasks);
		vs_net_put(old);
	}
	ts->nx_counted = true;
	return 0;
}

/**
 * vs_net_create - create a network context and move the caller into it
 * @nid: its id, 2 to VX_NID_MAX
 * @flags: its NXF_* flags, as given
 *
 * The context gets a new network namespace, owned by the initial user
 * namespace, with its loopback device up and nothing else.
 *
 * Return: @nid, or -EINVAL for a bad @nid, -EEXIST if @nid exists (-EBUSY
 * if it is still in setup), -EINTR, -ENOMEM, or what creating the
 * namespace returns.
 */
int vs_net_create(u32 nid, u64 flags)
{
	struct vs_net_pernet *pn;
	struct vs_net *nx, *old;
	struct net *net;
	int err;

	if (nid < VX_XID_MIN || nid > VX_NID_MAX)
		return -EINVAL;
	nx = kzalloc(sizeof(*nx), GFP_KERNEL);
	if (!nx)
		return -ENOMEM;
	nx->nid = nid;
	refcount_set(&nx->usage, 1);
	spin_lock_init(&nx->lock);
	INIT_LIST_HEAD(&nx->v4);
	INIT_LIST_HEAD(&nx->v6);
	nx->flags = flags;
	nx->bcast = htonl(INADDR_BROADCAST);
	nx->lback = htonl(0x7f000001 | ((nid >> 8) & 0xff) << 16 |
			  (nid & 0xff) << 8);
	atomic_set(&nx->nr_tasks, 0);
	atomic_inc(&vs_nr_nets);

	/* Wait for an ending context of the same id to be gone */
	for (;;) {
		err = xa_insert(&vs_nets, nid, nx, GFP_KERNEL);
		if (err != -EBUSY)
			break;
		old = vs_net_lookup(nid);
		if (old) {
			err = READ_ONCE(old->flags) & NXF_STATE_SETUP ?
			      -EBUSY : -EEXIST;
			vs_net_put(old);
			goto out_put;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto out_put;
		}
		schedule_timeout_killable(msecs_to_jiffies(10));
	}
	if (err)
		goto out_put;

	net = copy_net_ns(CLONE_NEWNET, &init_user_ns,
			  current->nsproxy->net_ns);
	if (IS_ERR(net)) {
		err = PTR_ERR(net);
		goto out_erase;
	}
	net_passive_inc(net);
	nx->net = net;

	rtnl_lock();
	err = dev_change_flags(net->loopback_dev,
			       net->loopback_dev->flags | IFF_UP, NULL);
	rtnl_unlock();
	if (err)
		goto out_net;

	/* From here on, the end of the namespace ends the context */
	pn = net_generic(net, vs_net_id);
	vs_net_get(nx);
	rcu_assign_pointer(pn->nx, nx);
	/* Lookups that see it hashed see @net */
	smp_store_release(&nx->hashed, true);
	atomic_inc(&vs_nr_nets_hashed);
	if (flags & NXF_PERSISTENT)
		nx->persist = get_net(net);

	err = vs_proc_add_net(nid);
	if (!err)
		err = vs_net_switch(nx, net);
	else
		put_net(net);
	if (err) {
		vs_net_set_flags(nx, 0, NXF_PERSISTENT);
		vs_net_put(nx);
		return err;
	}
	vs_net_put(nx);
	return nid;

out_net:
	put_net(net);
out_erase:
	xa_erase(&vs_nets, nid);
out_put:
	vs_net_put(nx);
	return err;
}

/**
 * vs_net_enter - move the current task into a network context
 * @nx: the context, with a reference the caller keeps
 *
 * Return: 0, -ESRCH if the context is ending, or -ENOMEM.
 */
int vs_net_enter(struct vs_net *nx)
{
	struct net *net;

	if (vs_task(current)->nx == nx &&
	    net_eq(current->nsproxy->net_ns, nx->net))
		return 0;
	if (!READ_ONCE(nx->hashed))
		return -ESRCH;
	net = maybe_get_net(nx->net);
	if (!net)
		return -ESRCH;
	return vs_net_switch(nx, net);
}

/**
 * vs_net_spectate - make the current task a network spectator (nid 1)
 *
 * It leaves its network context, if any, but keeps its namespace.
 */
void vs_net_spectate(void)
{
	struct vs_task_security *ts = vs_task(current);
	struct vs_net *old = ts->nx;

	ts->nx = NULL;
	WRITE_ONCE(ts->nid, VX_NID_WATCH);
	if (old) {
		if (ts->nx_counted)
			atomic_dec(&old->nr_tasks);
		vs_net_put(old);
	}
	ts->nx_counted = false;
}

static bool vs_entry_equal(const struct vs_net_entry *a,
			   const struct vs_net_entry *b, bool v6)
{
	if (a->type != b->type || a->flags != b->flags)
		return false;
	if (v6)
		return a->prefix == b->prefix &&
		       ipv6_addr_equal(&a->ip6, &b->ip6) &&
		       ipv6_addr_equal(&a->mask6, &b->mask6);
	return a->ip == b->ip && a->ip2 == b->ip2 && a->mask == b->mask;
}

static int vs_net_add(struct vs_net *nx, const struct vs_net_entry *e,
		      bool v6)
{
	struct list_head *head = v6 ? &nx->v6 : &nx->v4;
	struct vs_net_entry *new, *old;
	int err = 0;

	new = kmemdup(e, sizeof(*e), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	spin_lock(&nx->lock);
	list_for_each_entry(old, head, list) {
		if (vs_entry_equal(old, new, v6)) {
			err = -EEXIST;
			break;
		}
	}
	if (!err) {
		list_add_tail(&new->list, head);
		if (v6)
			nx->nr_v6++;
		else if (++nx->nr_v4 > 1)
			nx->flags &= ~NXF_SINGLE_IP;
	}
	spin_unlock(&nx->lock);
	if (err)
		kfree(new);
	return err;
}

static int vs_net_remove(struct vs_net *nx, const struct vs_net_entry *e,
			 bool v6)
{
	struct list_head *head = v6 ? &nx->v6 : &nx->v4;
	struct vs_net_entry *old, *found = NULL;

	spin_lock(&nx->lock);
	list_for_each_entry(old, head, list) {
		if (vs_entry_equal(old, e, v6)) {
			found = old;
			list_del(&old->list);
			if (v6)
				nx->nr_v6--;
			else
				nx->nr_v4--;
			break;
		}
	}
	spin_unlock(&nx->lock);
	kfree(found);
	return found ? 0 : -ESRCH;
}

/**
 * vs_net_add_v4 - add an IPv4 entry to a network context
 * @nx: the context
 * @e: the entry: type ADDR, MASK or RANGE, and ip, ip2, mask, flags
 *
 * Adding a second entry clears NXF_SINGLE_IP.
 *
 * Return: 0, -EEXIST for an entry equal to one already there, -ENOMEM.
 */
int vs_net_add_v4(struct vs_net *nx, const struct vs_net_entry *e)
{
	return vs_net_add(nx, e, false);
}

/**
 * vs_net_remove_v4 - remove the IPv4 entry equal to @e
 * @nx: the context
 * @e: the entry
 *
 * Return: 0, or -ESRCH if there is none.
 */
int vs_net_remove_v4(struct vs_net *nx, const struct vs_net_entry *e)
{
	return vs_net_remove(nx, e, false);
}

/**
 * vs_net_add_v6 - add an IPv6 entry to a network context
 * @nx: the context
 * @e: the entry: type ADDR or MASK, and ip6, mask6, prefix, flags
 *
 * Return: 0, -EEXIST for an entry equal to one already there, -ENOMEM.
 */
int vs_net_add_v6(struct vs_net *nx, const struct vs_net_entry *e)
{
	return vs_net_add(nx, e, true);
}

/**
 * vs_net_remove_v6 - remove the IPv6 entry equal to @e
 * @nx: the context
 * @e: the entry
 *
 * Return: 0, or -ESRCH if there is none.
 */
int vs_net_remove_v6(struct vs_net *nx, const struct vs_net_entry *e)
{
	return vs_net_remove(nx, e, true);
}

/**
 * vs_net_add_special - set the broadcast or loopback address
 * @nx: the context
 * @mod: NXA_MOD_BCAST or NXA_MOD_LBACK
 * @ip: the address, network byte order
 *
 * Return: 0.
 */
int vs_net_add_special(struct vs_net *nx, u16 mod, __be32 ip)
{
	spin_lock(&nx->lock);
	if (mod == NXA_MOD_BCAST)
		nx->bcast = ip;
	else
		nx->lback = ip;
	spin_unlock(&nx->lock);
	return 0;
}

/**
 * vs_net_remove_all - drop every entry of one or both families
 * @nx: the context
 * @v4: the IPv4 entries
 * @v6: the IPv6 entries
 */
void vs_net_remove_all(struct vs_net *nx, bool v4, bool v6)
{
	struct vs_net_entry *e, *n;
	LIST_HEAD(gone);

	spin_lock(&nx->lock);
	if (v4) {
		list_splice_init(&nx->v4, &gone);
		nx->nr_v4 = 0;
	}
	if (v6) {
		list_splice_init(&nx->v6, &gone);
		nx->nr_v6 = 0;
	}
	spin_unlock(&nx->lock);
	list_for_each_entry_safe(e, n, &gone, list)
		kfree(e);
}

/**
 * vs_net_get_flags - the flags of a network context, for get_nflags
 * @nx: the context
 * @flags: set to its flags
 * @mask: set to the bits that can change: all but the one-time bits
 *	  already cleared
 */
void vs_net_get_flags(struct vs_net *nx, u64 *flags, u64 *mask)
{
	spin_lock(&nx->lock);
	*flags = nx->flags;
	spin_unlock(&nx->lock);
	*mask = ~(NXF_ONE_TIME & ~*flags);
}

/**
 * vs_net_set_flags - change the flags of a network context
 * @nx: the context
 * @flags: the new values
 * @mask: the bits to change; one-time bits only change if they are set,
 *	  so they can be cleared once and never set again
 *
 * Setting NXF_PERSISTENT makes the context hold its namespace, clearing
 * it lets go, which ends the context if nothing else is in it.
 */
void vs_net_set_flags(struct vs_net *nx, u64 flags, u64 mask)
{
	struct net *drop = NULL;
	u64 old, new;

	spin_lock(&nx->lock);
	old = nx->flags;
	mask &= ~(NXF_ONE_TIME & ~old);
	new = (old & ~mask) | (flags & mask);
	nx->flags = new;
	if ((new & NXF_PERSISTENT) && !nx->persist && nx->hashed)
		nx->persist = maybe_get_net(nx->net);
	if (!(new & NXF_PERSISTENT)) {
		drop = nx->persist;
		nx->persist = NULL;
	}
	spin_unlock(&nx->lock);
	if (drop)
		put_net(drop);
}

/**
 * vs_net_show_info - /proc/virtnet/<nid>/info
 * @m: the file
 * @nx: the context
 */
void vs_net_show_info(struct seq_file *m, struct vs_net *nx)
{
	const struct vs_net_entry *e;
	unsigned int i = 0;

	seq_printf(m, "ID:\t%u\n", nx->nid);
	/* Historically the kernel address: no pointer is shown */
	seq_printf(m, "Info:\t%016x\n", 0);
	spin_lock(&nx->lock);
	seq_printf(m, "Bcast:\t%pI4\n", &nx->bcast);
	seq_printf(m, "Lback:\t%pI4\n", &nx->lback);
	list_for_each_entry(e, &nx->v4, list)
		seq_printf(m, "%u:\t[%pI4-%pI4/%pI4:%04x]\n", i++,
			   &e->ip, &e->ip2, &e->mask, e->type);
	i = 0;
	list_for_each_entry(e, &nx->v6, list)
		seq_printf(m, "%u:\t[%pI6/%pI6/%u:%04x]\n", i++,
			   &e->ip6, &e->mask6, e->prefix, e->type);
	spin_unlock(&nx->lock);
}

/**
 * vs_net_show_status - /proc/virtnet/<nid>/status
 * @m: the file
 * @nx: the context, with the reader's reference
 */
void vs_net_show_status(struct seq_file *m, struct vs_net *nx)
{
	u64 flags, ncaps;

	spin_lock(&nx->lock);
	flags = nx->flags;
	ncaps = nx->ncaps;
	spin_unlock(&nx->lock);
	seq_printf(m, "UseCnt:\t%u\n", refcount_read(&nx->usage) - 1);
	seq_printf(m, "Tasks:\t%d\n", atomic_read(&nx->nr_tasks));
	seq_printf(m, "Flags:\t%016llx\n", flags);
	seq_printf(m, "NCaps:\t%016llx\n", ncaps);
}

/**
 * vs_net_task_fork - a new task joins its parent's network context
 * @child: the new task
 */
void vs_net_task_fork(struct task_struct *child)
{
	struct vs_task_security *parent = vs_task(current);
	struct vs_task_security *ts = vs_task(child);

	ts->nid = parent->nid;
	ts->nx = parent->nx;
	ts->nx_counted = false;
	if (ts->nx) {
		vs_net_get(ts->nx);
		atomic_inc(&ts->nx->nr_tasks);
		ts->nx_counted = true;
	}
}

/**
 * vs_net_task_exit - an exiting task no longer counts as a task
 * @task: the task
 */
void vs_net_task_exit(struct task_struct *task)
{
	struct vs_task_security *ts = vs_task(task);

	if (ts->nx_counted) {
		ts->nx_counted = false;
		atomic_dec(&ts->nx->nr_tasks);
	}
}

/**
 * vs_net_task_free - a task is freed
 * @task: the task; may be called from an RCU callback
 */
void vs_net_task_free(struct task_struct *task)
{
	struct vs_task_security *ts = vs_task(task);

	vs_net_task_exit(task);
	vs_net_put(ts->nx);
	ts->nx = NULL;
}

/* May @nx's sockets use IPv4 address @a (the NXA_MASK_BIND match)? */
static bool vs_net_v4_ok(const struct vs_net *nx, __be32 a)
{
	const struct vs_net_entry *e;

	if (a == nx->lback || a == nx->bcast)
		return true;
	list_for_each_entry(e, &nx->v4, list) {
		switch (e->type) {
		case NXA_TYPE_ADDR:
			if (a == e->ip || a == (e->ip | ~e->mask))
				return true;
			break;
		case NXA_TYPE_MASK:
			if ((a & e->mask) == e->ip)
				return true;
			break;
		case NXA_TYPE_RANGE:
			if (ntohl(e->ip) <= ntohl(a) && ntohl(a) < ntohl(e->ip2))
				return true;
			break;
		}
	}
	return false;
}

/* ... and IPv6 address @a? */
static bool vs_net_v6_ok(const struct vs_net *nx, const struct in6_addr *a)
{
	const struct vs_net_entry *e;

	list_for_each_entry(e, &nx->v6, list) {
		if (e->type == NXA_TYPE_ADDR && ipv6_addr_equal(a, &e->ip6))
			return true;
		if (e->type == NXA_TYPE_MASK &&
		    !ipv6_masked_addr_cmp(a, &e->mask6, &e->ip6))
			return true;
	}
	return false;
}

/*
 * May a socket of @nx bind to, or send from, IPv4 address @a?  The
 * wildcard and the loopback network are its own namespace's.
 */
static bool vs_net_may_use4(struct vs_net *nx, __be32 a, bool bind)
{
	bool ok;

	if (a == htonl(INADDR_ANY) || ipv4_is_loopback(a))
		return true;
	spin_lock(&nx->lock);
	ok = vs_net_v4_ok(nx, a) ||
	     (bind && ipv4_is_multicast(a) && (nx->ncaps & NXC_MULTICAST));
	spin_unlock(&nx->lock);
	return ok;
}

static bool vs_net_may_use6(struct vs_net *nx, const struct in6_addr *a,
			    bool bind)
{
	bool ok;

	if (ipv6_addr_any(a) || ipv6_addr_loopback(a))
		return true;
	if (ipv6_addr_v4mapped(a))
		return vs_net_may_use4(nx, a->s6_addr32[3], bind);
	spin_lock(&nx->lock);
	ok = vs_net_v6_ok(nx, a) ||
	     (bind && ipv6_addr_is_multicast(a) &&
	      (nx->ncaps & NXC_MULTICAST));
	spin_unlock(&nx->lock);
	return ok;
}

/**
 * vs_net_raw_icmp - may the current task make this raw ICMP socket?
 * @family: AF_INET or AF_INET6
 * @type: the socket type
 * @protocol: the protocol
 *
 * Return: true for a raw ICMP (ICMPv6) socket in a network context with
 * NXC_RAW_ICMP.
 */
bool vs_net_raw_icmp(int family, int type, int protocol)
{
	struct vs_net *nx;
	bool ok;

	if (type != SOCK_RAW ||
	    !((family == AF_INET && protocol == IPPROTO_ICMP) ||
	      (family == AF_INET6 && protocol == IPPROTO_ICMPV6)))
		return false;
	rcu_read_lock();
	nx = current->nsproxy ? vs_net_of(current->nsproxy->net_ns) : NULL;
	ok = nx && (READ_ONCE(nx->ncaps) & NXC_RAW_ICMP);
	rcu_read_unlock();
	return ok;
}

/**
 * vs_net_task_raw_icmp - has @task's network context NXC_RAW_ICMP?
 * @task: the task, current or under RCU
 *
 * Return: the answer.
 */
bool vs_net_task_raw_icmp(const struct task_struct *task)
{
	const struct vs_net *nx = READ_ONCE(vs_task(task)->nx);

	return nx && (READ_ONCE(nx->ncaps) & NXC_RAW_ICMP);
}

/**
 * vs_net_socket_create - may the current task make this socket?
 * @family: the address family
 * @type: the socket type
 * @protocol: the protocol
 * @kern: made by the kernel
 *
 * In a network context: AF_UNIX and AF_NETLINK always; AF_INET with IPv4
 * entries or NXF_LBACK_REMAP; AF_INET6 with IPv6 entries; raw sockets
 * only for ICMP (ICMPv6) under NXC_RAW_ICMP.
 *
 * Return: 0, -EAFNOSUPPORT for a family the context has no addresses of,
 * -EPERM for a raw socket it may not have.
 */
int vs_net_socket_create(int family, int type, int protocol, int kern)
{
	struct vs_net *nx;
	int err = 0;

	if (kern || family == AF_UNIX || family == AF_NETLINK)
		return 0;
	rcu_read_lock();
	nx = current->nsproxy ? vs_net_of(current->nsproxy->net_ns) : NULL;
	if (!nx)
		goto out;
	spin_lock(&nx->lock);
	if (family == AF_INET)
		err = nx->nr_v4 || (nx->flags & NXF_LBACK_REMAP) ?
		      0 : -EAFNOSUPPORT;
	else if (family == AF_INET6)
		err = nx->nr_v6 ? 0 : -EAFNOSUPPORT;
	else
		err = -EAFNOSUPPORT;
	if (!err && type == SOCK_RAW &&
	    !(((family == AF_INET && protocol == IPPROTO_ICMP) ||
	       (family == AF_INET6 && protocol == IPPROTO_ICMPV6)) &&
	      (nx->ncaps & NXC_RAW_ICMP)))
		err = -EPERM;
	spin_unlock(&nx->lock);
out:
	rcu_read_unlock();
	return err;
}

static int hook_socket_bind(struct socket *sock, struct sockaddr *address,
			    int addrlen)
{
	struct sock *sk = sock->sk;
	struct vs_net *nx;
	bool ok = true;

	rcu_read_lock();
	nx = vs_net_of(sock_net(sk));
	if (!nx)
		goto out;
	/* Other families and short addresses: the protocol refuses them */
	if (sk->sk_family == AF_INET && address->sa_family == AF_INET &&
	    addrlen >= (int)sizeof(struct sockaddr_in)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)address;

		ok = vs_net_may_use4(nx, sin->sin_addr.s_addr, true);
	} else if (sk->sk_family == AF_INET6 &&
		   address->sa_family == AF_INET6 &&
		   addrlen >= SIN6_LEN_RFC2133) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)address;

		ok = vs_net_may_use6(nx, &sin6->sin6_addr, true);
	}
out:
	rcu_read_unlock();
	return ok ? 0 : -EADDRNOTAVAIL;
}

/* Is every source address a control message of @msg sets one of @nx's? */
static bool vs_net_cmsg_ok(struct vs_net *nx, struct msghdr *msg)
{
	struct cmsghdr *cmsg;

	if (msg->msg_control_is_user)
		return true;	/* copied and checked by the protocol later */
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			break;
		if (cmsg->cmsg_level == SOL_IP &&
		    cmsg->cmsg_type == IP_PKTINFO &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo *info = CMSG_DATA(cmsg);

			if (!vs_net_may_use4(nx, info->ipi_spec_dst.s_addr,
					     false))
				return false;
		}
		if (cmsg->cmsg_level == SOL_IPV6 &&
		    cmsg->cmsg_type == IPV6_PKTINFO &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo *info = CMSG_DATA(cmsg);

			if (!vs_net_may_use6(nx, &info->ipi6_addr, false))
				return false;
		}
	}
	return true;
}

static int hook_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			       int size)
{
	struct vs_net *nx;
	bool ok = true;

	if (!msg->msg_controllen)
		return 0;
	rcu_read_lock();
	nx = vs_net_of(sock_net(sock->sk));
	if (nx)
		ok = vs_net_cmsg_ok(nx, msg);
	rcu_read_unlock();
	return ok ? 0 : -EPERM;
}

/*
 * A socket of a network context writes no IP header of its own, and
 * does not send from or receive for addresses that are not its own.
 */
static int hook_socket_setsockopt(struct socket *sock, int level,
				  int optname)
{
	bool refused;

	if (level != SOL_IP && level != SOL_IPV6)
		return 0;
	refused = (level == SOL_IP &&
		   (optname == IP_HDRINCL || optname == IP_TRANSPARENT)) ||
		  (level == SOL_IPV6 &&
		   (optname == IPV6_HDRINCL || optname == IPV6_TRANSPARENT));
	if (!refused)
		return 0;
	rcu_read_lock();
	refused = !!vs_net_of(sock_net(sock->sk));
	rcu_read_unlock();
	return refused ? -EPERM : 0;
}

static struct security_hook_list vs_net_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(socket_bind, hook_socket_bind),
	LSM_HOOK_INIT(socket_sendmsg, hook_socket_sendmsg),
	LSM_HOOK_INIT(socket_setsockopt, hook_socket_setsockopt),
};

void __init vs_add_net_hooks(void)
{
	security_add_hooks(vs_net_hooks, ARRAY_SIZE(vs_net_hooks), &vs_lsmid);
}

static int __init vs_net_init(void)
{
	int err;

	if (!vs_initialized)
		return 0;
	err = register_pernet_subsys(&vs_net_ops);
	if (err) {
		pr_err("vserver: no network contexts: %d\n", err);
		return err;
	}
	vs_net_ready = true;
	return 0;
}
subsys_initcall(vs_net_init);
