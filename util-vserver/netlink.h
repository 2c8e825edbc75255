/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connectivity of network contexts, built with rtnetlink (libnl-route-3).
 *
 * The kernel gives each network context a network namespace of its own,
 * with only "lo" in it, and keeps the context's address list as policy
 * (which addresses its sockets may use).  It creates no network device:
 * the functions below give a guest a veth pair, "vsn<nid>" on the host
 * and "eth0" in the guest, with the guest's addresses on eth0, default
 * routes out of it, and host routes (and, optionally, proxy neighbour
 * entries on a LAN device) that lead back in.  Forwarding on the host
 * (net.ipv4.ip_forward, net.ipv6.conf.all.forwarding) is left to the
 * operator.
 *
 * Nothing here prints or exits: every function returns 0 or a negative
 * errno, and the tools report it.  No function runs ip(8).  A kernel
 * without IPv6 is fine as long as no IPv6 address is asked for.
 */

#ifndef VSERVER_UTILS_NETLINK_H
#define VSERVER_UTILS_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/* The name of the host side of a guest's veth pair: "vsn" and the nid */
#define VS_NETLINK_HOSTDEV_FMT	"vsn%u"
/* The name of the guest side */
#define VS_NETLINK_GUESTDEV	"eth0"

/* One address of a guest */
struct vs_net_addr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];	/* network byte order; IPv4 in the first 4 bytes */
	unsigned int prefix;	/* prefix length */
};

/*
 * vs_net_parse_addr - parse "A", "A/P" or, for IPv4, "A/M" with a dotted
 * netmask M ("10.0.0.2/255.255.255.0") into *a.  Without a prefix an IPv4
 * address gets 32 and an IPv6 address 128.  P must be 0..32 (IPv4) or
 * 0..128 (IPv6), in decimal without sign or leading white space; M must
 * be a contiguous mask.
 *
 * Returns 0, or -EINVAL (a is not touched then).
 */
int vs_net_parse_addr(const char *s, struct vs_net_addr *a);

/*
 * vs_net_format_addr - write a as "A/P" (IPv6 in its compressed form) to
 * buf, which holds len bytes; INET6_ADDRSTRLEN + 4 always suffice.
 *
 * Returns 0, -EAFNOSUPPORT for an unknown family or -ENOSPC when it does
 * not fit.
 */
int vs_net_format_addr(const struct vs_net_addr *a, char *buf, size_t len);

/* An rtnetlink socket and the namespace it was opened in */
struct vs_netlink;

/*
 * vs_netlink_open - open an rtnetlink socket in the caller's current
 * network namespace.  Call it on the host, before net_create or
 * net_migrate moves the process into a context: the socket keeps
 * speaking to the namespace it was opened in.
 *
 * Returns the handle, or NULL with errno set.
 */
struct vs_netlink *vs_netlink_open(void);

/*
 * vs_netlink_guest_setup - connect network context nid, whose namespace
 * the caller is now in (after net_create or net_migrate), to the host
 * whose socket host was opened before.
 *
 * When "vsn<nid>" does not exist on the host yet: creates a veth pair,
 * "vsn<nid>" on the host and its peer in the caller's namespace, named
 * "eth0"; inside, brings "lo" and "eth0" up, adds the n addresses of
 * addrs to eth0 (IPv6 without duplicate address detection) and a default
 * route "dev eth0" (IPv4, scope link) and "via fe80::1 dev eth0" (IPv6)
 * for each family that has an address; on the host, brings "vsn<nid>" up
 * with proxy ARP on, gives it fe80::1/64 when there is an IPv6 address,
 * and adds a host route (/32, /128) to each address through it.  When
 * hostdev is not NULL, each address also gets a proxy neighbour entry on
 * that host device, so that the hosts of its LAN reach the guest.
 *
 * When "vsn<nid>" exists already, only adds the n addresses, on both
 * sides as above; an address that is there already is no error.
 *
 * Returns 0 or a negative errno: -ENODEV when hostdev does not exist,
 * -EAFNOSUPPORT when an IPv6 address is asked for and the kernel has no
 * IPv6, -EEXIST when "eth0" exists in the guest but "vsn<nid>" does not
 * on the host, -EPERM without CAP_NET_ADMIN.  On failure, what the call
 * made is removed again.
 */
int vs_netlink_guest_setup(struct vs_netlink *host, uint32_t nid,
			   const struct vs_net_addr *addrs, size_t n,
			   const char *hostdev);

/*
 * vs_netlink_guest_remove_addr - take address a of network context nid
 * off the link: its host route through "vsn<nid>", its proxy neighbour
 * entry on hostdev (when not NULL) and, when the caller is inside the
 * context's namespace, the address on the guest's "eth0".  What is not
 * there is skipped.
 *
 * Returns 0 or a negative errno.
 */
int vs_netlink_guest_remove_addr(struct vs_netlink *host, uint32_t nid,
				 const struct vs_net_addr *a,
				 const char *hostdev);

/*
 * vs_netlink_teardown - remove the link of network context nid: deletes
 * "vsn<nid>" (which takes its peer, routes and addresses with it) and
 * the proxy neighbour entries of the n addresses of addrs on hostdev
 * (when not NULL).  What is not there is skipped, so it may be called
 * again.
 *
 * Returns 0 or a negative errno.
 */
int vs_netlink_teardown(struct vs_netlink *host, uint32_t nid,
			const struct vs_net_addr *addrs, size_t n,
			const char *hostdev);

/* vs_netlink_close - close the socket and free the handle; NULL is fine */
void vs_netlink_close(struct vs_netlink *nl);

#endif /* VSERVER_UTILS_NETLINK_H */
