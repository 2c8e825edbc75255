// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connectivity of network contexts with rtnetlink; see netlink.h.
 *
 * Every request goes through libnl-route-3 and is acknowledged by the
 * kernel before the next; libnl's error numbers are turned back into
 * errno values.  Nothing here prints.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "netlink.h"

/* The host's address on every guest link, the guests' IPv6 gateway */
#define GATEWAY6	"fe80::1"
#define GATEWAY6_PREFIX	64

struct vs_netlink {
	struct nl_sock *sk;
	dev_t ns_dev;		/* the namespace the socket speaks to */
	ino_t ns_ino;
};

int vs_net_parse_addr(const char *s, struct vs_net_addr *a)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t hostlen = slash ? (size_t)(slash - s) : strlen(s);
	struct vs_net_addr out = { 0 };
	unsigned int max;

	if (hostlen == 0 || hostlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hostlen);
	host[hostlen] = '\0';
	if (inet_pton(AF_INET, host, out.addr) == 1) {
		out.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, out.addr) == 1) {
		out.family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	out.prefix = max;
	if (slash) {
		const char *p = slash + 1;
		struct in_addr mask;
		unsigned long n;
		char *end;

		if (*p >= '0' && *p <= '9' && !strchr(p, '.')) {
			errno = 0;
			n = strtoul(p, &end, 10);
			if (*end || errno || n > max)
				return -EINVAL;
			out.prefix = (unsigned int)n;
		} else if (out.family == AF_INET &&
			   inet_pton(AF_INET, p, &mask) == 1) {
			uint32_t m = ntohl(mask.s_addr);

			/* A contiguous mask: ones, then zeros */
			if (m & (~m >> 1))
				return -EINVAL;
			out.prefix = (unsigned int)__builtin_popcount(m);
		} else {
			return -EINVAL;
		}
	}
	*a = out;
	return 0;
}

int vs_net_format_addr(const struct vs_net_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	int n;

	if (a->family != AF_INET && a->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (!inet_ntop(a->family, a->addr, host, sizeof(host)))
		return -errno;
	n = snprintf(buf, len, "%s/%u", host, a->prefix);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

/* libnl's error number (negative) as a negative errno */
static int nlerr(int err)
{
	static const int map[] = {
		[NLE_FAILURE] = EIO,
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_NOATTR] = ENOENT,
		[NLE_MISSING_ATTR] = EINVAL,
		[NLE_AF_MISMATCH] = EAFNOSUPPORT,
		[NLE_SEQ_MISMATCH] = EPROTO,
		[NLE_MSG_OVERFLOW] = EMSGSIZE,
		[NLE_MSG_TRUNC] = EMSGSIZE,
		[NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
		[NLE_MSG_TOOSHORT] = EPROTO,
		[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
		[NLE_OBJ_MISMATCH] = EINVAL,
		[NLE_NOCACHE] = ENOENT,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_PKTLOC_FILE] = ENOENT,
		[NLE_PARSE_ERR] = EINVAL,
		[NLE_NODEV] = ENODEV,
		[NLE_IMMUTABLE] = EPERM,
		[NLE_DUMP_INTR] = EINTR,
		[NLE_ATTRSIZE] = EINVAL,
	};
	int e = err < 0 ? -err : err;

	if (e == 0)
		return 0;
	if ((size_t)e < sizeof(map) / sizeof(map[0]) && map[e])
		return -map[e];
	return -EIO;
}

/* Answers that mean "it is there already" or "it is not there" */
static bool exists_err(int err)
{
	return err == -EEXIST;
}

static bool absent_err(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -ESRCH ||
	       err == -EADDRNOTAVAIL;
}

/* The network namespace of the caller, to tell host and guest apart */
static int current_ns(dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) != 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static struct nl_sock *rtnl_open(int *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret < 0) {
		nl_socket_free(sk);
		*err = nlerr(ret);
		return NULL;
	}
	return sk;
}

struct vs_netlink *vs_netlink_open(void)
{
	struct vs_netlink *nl = calloc(1, sizeof(*nl));
	int err = 0;

	if (!nl)
		return NULL;
	err = current_ns(&nl->ns_dev, &nl->ns_ino);
	if (!err)
		nl->sk = rtnl_open(&err);
	if (err) {
		free(nl);
		errno = -err;
		return NULL;
	}
	return nl;
}

void vs_netlink_close(struct vs_netlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* The interface index of name in the namespace of sk, or a negative errno */
static int ifindex(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int ret;

	ret = rtnl_link_get_kernel(sk, 0, name, &link);
	if (ret < 0)
		return nlerr(ret) == -ENOENT ? -ENODEV : nlerr(ret);
	ret = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ret > 0 ? ret : -ENODEV;
}

/* Bring link name up; with proxy ARP on when proxy_arp */
static int link_up(struct nl_sock *sk, const char *name, bool proxy_arp)
{
	struct rtnl_link *link, *change;
	int ret;

	ret = rtnl_link_get_kernel(sk, 0, name, &link);
	if (ret < 0)
		return nlerr(ret) == -ENOENT ? -ENODEV : nlerr(ret);
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(link);
		return -ENOMEM;
	}
	rtnl_link_set_flags(change, IFF_UP);
	if (proxy_arp) {
		ret = rtnl_link_inet_set_conf(change, IPV4_DEVCONF_PROXY_ARP,
					      1);
		if (ret < 0)
			goto out;
	}
	ret = rtnl_link_change(sk, link, change, 0);
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	return nlerr(ret);
}

static struct nl_addr *make_addr(int family, const void *bytes,
				 unsigned int prefix)
{
	struct nl_addr *a = nl_addr_build(family, bytes,
					  family == AF_INET ? 4 : 16);

	if (a)
		nl_addr_set_prefixlen(a, (int)prefix);
	return a;
}

/* Add (add true) or delete address a with its prefix on interface index */
static int change_addr(struct nl_sock *sk, int index,
		       const struct vs_net_addr *a, bool add)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local;
	int ret;

	if (!addr)
		return -ENOMEM;
	local = make_addr(a->family, a->addr, a->prefix);
	if (!local) {
		rtnl_addr_put(addr);
		return -ENOMEM;
	}
	rtnl_addr_set_ifindex(addr, index);
	rtnl_addr_set_family(addr, a->family);
	ret = rtnl_addr_set_local(addr, local);
	if (ret >= 0) {
		rtnl_addr_set_prefixlen(addr, (int)a->prefix);
		if (a->family == AF_INET6)
			rtnl_addr_set_flags(addr, IFA_F_NODAD);
		ret = add ? rtnl_addr_add(sk, addr, 0) :
			    rtnl_addr_delete(sk, addr, 0);
	}
	nl_addr_put(local);
	rtnl_addr_put(addr);
	return nlerr(ret);
}

/*
 * Add or delete the route to dst/prefix out of interface index: through
 * gateway gw when not NULL, else on the link.
 */
static int change_route(struct nl_sock *sk, int family, const void *dst,
			unsigned int prefix, int index, const void *gw,
			bool add)
{
	static const unsigned char any[16];
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = NULL;
	struct nl_addr *d = NULL, *g = NULL;
	int ret = -NLE_NOMEM;

	if (!route)
		return -ENOMEM;
	d = make_addr(family, dst ? dst : any, prefix);
	if (!d)
		goto out;
	rtnl_route_set_family(route, (uint8_t)family);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_type(route, RTN_UNICAST);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route, gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	ret = rtnl_route_set_dst(route, d);
	if (ret < 0)
		goto out;
	ret = -NLE_NOMEM;
	nh = rtnl_route_nh_alloc();
	if (!nh)
		goto out;
	rtnl_route_nh_set_ifindex(nh, index);
	if (gw) {
		g = make_addr(family, gw, family == AF_INET ? 32 : 128);
		if (!g) {
			rtnl_route_nh_free(nh);
			goto out;
		}
		rtnl_route_nh_set_gateway(nh, g);
	}
	rtnl_route_add_nexthop(route, nh);	/* the route owns it now */
	ret = add ? rtnl_route_add(sk, route, NLM_F_CREATE | NLM_F_EXCL) :
		    rtnl_route_delete(sk, route, 0);
out:
	nl_addr_put(g);
	nl_addr_put(d);
	rtnl_route_put(route);
	return nlerr(ret);
}

/* Add or delete the proxy neighbour entry for a on interface index */
static int change_proxy(struct nl_sock *sk, int index,
			const struct vs_net_addr *a, bool add)
{
	struct rtnl_neigh *neigh = rtnl_neigh_alloc();
	struct nl_addr *dst;
	int ret;

	if (!neigh)
		return -ENOMEM;
	dst = make_addr(a->family, a->addr, a->family == AF_INET ? 32 : 128);
	if (!dst) {
		rtnl_neigh_put(neigh);
		return -ENOMEM;
	}
	rtnl_neigh_set_ifindex(neigh, index);
	rtnl_neigh_set_family(neigh, a->family);
	rtnl_neigh_set_flags(neigh, NTF_PROXY);
	ret = rtnl_neigh_set_dst(neigh, dst);
	if (ret >= 0)
		ret = add ? rtnl_neigh_add(sk, neigh,
					   NLM_F_CREATE | NLM_F_REPLACE) :
			    rtnl_neigh_delete(sk, neigh, 0);
	nl_addr_put(dst);
	rtnl_neigh_put(neigh);
	return nlerr(ret);
}

static void hostdev_name(uint32_t nid, char *buf)
{
	snprintf(buf, IFNAMSIZ, VS_NETLINK_HOSTDEV_FMT, nid);
}

/* What setting up one address made, to take it back on failure */
enum {
	MADE_GUEST_ADDR = 1,
	MADE_HOST_ROUTE = 2,
	MADE_PROXY = 4,
};

/* Take back what made[] records for the addresses of a setup */
static void undo_addrs(struct nl_sock *host, struct nl_sock *guest,
		       int host_index, int guest_index, int proxy_index,
		       const struct vs_net_addr *addrs, const int *made,
		       size_t n)
{
	size_t i;

	for (i = n; i-- > 0;) {
		const struct vs_net_addr *a = &addrs[i];

		if (made[i] & MADE_PROXY)
			change_proxy(host, proxy_index, a, false);
		if (made[i] & MADE_HOST_ROUTE)
			change_route(host, a->family, a->addr,
				     a->family == AF_INET ? 32 : 128,
				     host_index, NULL, false);
		if (made[i] & MADE_GUEST_ADDR)
			change_addr(guest, guest_index, a, false);
	}
}

int vs_netlink_guest_setup(struct vs_netlink *host, uint32_t nid,
			   const struct vs_net_addr *addrs, size_t n,
			   const char *hostdev)
{
	char name[IFNAMSIZ];
	struct nl_sock *guest = NULL;
	int host_index, guest_index = 0, proxy_index = 0, ret = 0;
	bool created = false, has4 = false, has6 = false;
	unsigned char gw6[16];
	int *made;
	size_t i;

	if (!host || (n && !addrs))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (addrs[i].family == AF_INET)
			has4 = true;
		else if (addrs[i].family == AF_INET6)
			has6 = true;
		else
			return -EAFNOSUPPORT;
	}
	made = calloc(n ? n : 1, sizeof(*made));
	if (!made)
		return -ENOMEM;
	inet_pton(AF_INET6, GATEWAY6, gw6);
	hostdev_name(nid, name);

	if (hostdev) {
		proxy_index = ifindex(host->sk, hostdev);
		if (proxy_index < 0) {
			ret = proxy_index;
			goto out;
		}
	}

	host_index = ifindex(host->sk, name);
	if (host_index == -ENODEV) {
		ret = rtnl_link_veth_add(host->sk, name, VS_NETLINK_GUESTDEV,
					 getpid());
		ret = nlerr(ret);
		if (ret)
			goto out;
		created = true;
		host_index = ifindex(host->sk, name);
	}
	if (host_index < 0) {
		ret = host_index;
		goto fail;
	}

	/* The guest's side, through a socket in its namespace */
	guest = rtnl_open(&ret);
	if (!guest)
		goto fail;
	guest_index = ifindex(guest, VS_NETLINK_GUESTDEV);
	if (guest_index < 0) {
		ret = guest_index;
		goto fail;
	}
	if (created) {
		ret = link_up(guest, "lo", false);
		if (!ret)
			ret = link_up(guest, VS_NETLINK_GUESTDEV, false);
		if (!ret)
			ret = link_up(host->sk, name, true);
		if (ret)
			goto fail;
	}
	if (has6) {
		struct vs_net_addr gw = { .family = AF_INET6,
					  .prefix = GATEWAY6_PREFIX };

		memcpy(gw.addr, gw6, sizeof(gw6));
		ret = change_addr(host->sk, host_index, &gw, true);
		if (ret && !exists_err(ret))
			goto fail;
	}

	for (i = 0; i < n; i++) {
		const struct vs_net_addr *a = &addrs[i];

		ret = change_addr(guest, guest_index, a, true);
		if (!ret)
			made[i] |= MADE_GUEST_ADDR;
		else if (!exists_err(ret))
			goto fail_addrs;
		ret = change_route(host->sk, a->family, a->addr,
				   a->family == AF_INET ? 32 : 128,
				   host_index, NULL, true);
		if (!ret)
			made[i] |= MADE_HOST_ROUTE;
		else if (!exists_err(ret))
			goto fail_addrs;
		if (hostdev) {
			ret = change_proxy(host->sk, proxy_index, a, true);
			if (ret)
				goto fail_addrs;
			made[i] |= MADE_PROXY;
		}
	}

	/* Default routes; one that is there already stays */
	if (has4) {
		ret = change_route(guest, AF_INET, NULL, 0, guest_index, NULL,
				   true);
		if (ret && !exists_err(ret))
			goto fail_addrs;
	}
	if (has6) {
		ret = change_route(guest, AF_INET6, NULL, 0, guest_index, gw6,
				   true);
		if (ret && !exists_err(ret))
			goto fail_addrs;
	}
	ret = 0;
	goto out;

fail_addrs:
	if (!created)
		undo_addrs(host->sk, guest, host_index, guest_index,
			   proxy_index, addrs, made, n);
	else if (hostdev)
		/* The link takes the rest with it */
		for (i = 0; i < n; i++)
			if (made[i] & MADE_PROXY)
				change_proxy(host->sk, proxy_index, &addrs[i],
					     false);
fail:
	if (created) {
		struct rtnl_link *link = rtnl_link_alloc();

		if (link) {
			rtnl_link_set_name(link, name);
			rtnl_link_delete(host->sk, link);
			rtnl_link_put(link);
		}
	}
out:
	if (guest)
		nl_socket_free(guest);
	free(made);
	return ret;
}

/* True when the caller is in another namespace than host's socket */
static bool inside_guest(const struct vs_netlink *host)
{
	dev_t dev;
	ino_t ino;

	if (current_ns(&dev, &ino) != 0)
		return false;
	return dev != host->ns_dev || ino != host->ns_ino;
}

int vs_netlink_guest_remove_addr(struct vs_netlink *host, uint32_t nid,
				 const struct vs_net_addr *a,
				 const char *hostdev)
{
	char name[IFNAMSIZ];
	int index, ret = 0, err;

	if (!host || !a)
		return -EINVAL;
	if (a->family != AF_INET && a->family != AF_INET6)
		return -EAFNOSUPPORT;
	hostdev_name(nid, name);

	index = ifindex(host->sk, name);
	if (index > 0) {
		err = change_route(host->sk, a->family, a->addr,
				   a->family == AF_INET ? 32 : 128, index,
				   NULL, false);
		if (err && !absent_err(err))
			ret = err;
	}
	if (hostdev) {
		index = ifindex(host->sk, hostdev);
		if (index < 0) {
			if (!ret)
				ret = index;
		} else {
			err = change_proxy(host->sk, index, a, false);
			if (err && !absent_err(err) && !ret)
				ret = err;
		}
	}
	if (inside_guest(host)) {
		struct nl_sock *guest = rtnl_open(&err);

		if (!guest) {
			if (!ret)
				ret = err;
		} else {
			index = ifindex(guest, VS_NETLINK_GUESTDEV);
			if (index > 0) {
				err = change_addr(guest, index, a, false);
				if (err && !absent_err(err) && !ret)
					ret = err;
			}
			nl_socket_free(guest);
		}
	}
	return ret;
}

int vs_netlink_teardown(struct vs_netlink *host, uint32_t nid,
			const struct vs_net_addr *addrs, size_t n,
			const char *hostdev)
{
	char name[IFNAMSIZ];
	struct rtnl_link *link;
	int ret = 0, err, index;
	size_t i;

	if (!host || (n && !addrs))
		return -EINVAL;
	hostdev_name(nid, name);
	link = rtnl_link_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	err = nlerr(rtnl_link_delete(host->sk, link));
	rtnl_link_put(link);
	if (err && !absent_err(err))
		ret = err;

	if (!hostdev)
		return ret;
	index = ifindex(host->sk, hostdev);
	if (index < 0)
		return ret ? ret : (index == -ENODEV ? 0 : index);
	for (i = 0; i < n; i++) {
		err = change_proxy(host->sk, index, &addrs[i], false);
		if (err && !absent_err(err) && !ret)
			ret = err;
	}
	return ret;
}
