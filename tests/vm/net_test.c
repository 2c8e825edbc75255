// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network contexts (nid): the commands, in the dispatcher's order of
 * checks, through both entries; who may use them; util-vserver's start
 * sequence; and the policy a network context puts on its sockets: which
 * families it may open, which addresses they may bind and send from,
 * the socket options it may not set, raw ICMP, its own loopback, ports
 * and views of the network (/proc/net, rtnetlink, /proc/virtnet), that
 * the rules go with a socket passed to the host, how long a network
 * context lives, and the spectator.
 *
 * Most cases fork a child that creates a network context (it is then in
 * it, with the host's capabilities, in a fresh network namespace) and
 * runs the checks there; each logs what it got and what it wanted, and
 * the child reports how many went wrong.  The kernel makes no device:
 * addresses are put on the namespace's loopback where a case needs them
 * there, so that the address list alone can be told from the namespace.
 *
 * Run as "net_test peer MODE ..." it is the small client and server of
 * the BATS suite 080-net.bats instead (see peer_main()).
 *
 * Network contexts and contexts of this file have ids 4300-4339; the
 * BATS suite uses 4340-4399.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "kselftest_harness.h"
#include "common.h"

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL		36
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT	75
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND		78
#endif
#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT		19
#endif

#define CAP(c)		(1ULL << (c))

/* The flags util-vserver's guests end up with (vci-net-abi.md 6.3) */
#define UTIL_FLAGS	0x0000000406000200ULL

/* A structure big enough for every network command */
#define ARG_MAX		64

/* Small helpers */

static uint32_t ip4(const char *s)
{
	struct in_addr a = { 0 };

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static void ip6(const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	inet_pton(AF_INET6, s, out);
}

/* A descriptor as a result: 0 (closing it), or -errno */
static int fd_result(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The contents of @path in @buf (NUL-terminated): its length, or -errno */
static int slurp(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	n = n < 0 ? -errno : 0;
	close(fd);
	buf[got] = 0;
	return n < 0 ? (int)n : (int)got;
}

/* Does @path contain @text? 1, 0, or -errno if it cannot be read */
static int file_has(const char *path, const char *text)
{
	static char buf[65536];
	int n = slurp(path, buf, sizeof(buf));

	return n < 0 ? n : strstr(buf, text) != NULL;
}

/* Is there an entry @name in directory @dir? 1, 0, or -errno */
static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (!strcmp(e->d_name, name))
			found = 1;
	closedir(d);
	return found;
}

/* The entries of @dir that are not "." or "..", joined by spaces */
static void dir_list(const char *dir, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	out[0] = 0;
	if (!d) {
		snprintf(out, len, "(%s)", strerror(errno));
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n += snprintf(out + n, n < len ? len - n : 0, "%s%s",
				      n ? " " : "", e->d_name);
	closedir(d);
}

/* Is network context @nid in /proc/virtnet? (the host's view) */
static bool nid_listed(uint32_t nid)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", nid);
	return dir_has("/proc/virtnet", name) == 1;
}

/* Wait up to about 5 s until network context @nid is gone */
static bool nid_gone(uint32_t nid)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!nid_listed(nid))
			return true;
		usleep(50000);
	}
	return false;
}

/* A line of /proc/virtnet/@nid/@file that starts with @prefix, or "" */
static const char *virtnet_line(uint32_t nid, const char *file,
				const char *prefix)
{
	static char buf[4096], line[512];
	char path[64], *p, *end;

	snprintf(path, sizeof(path), "/proc/virtnet/%u/%s", nid, file);
	line[0] = 0;
	if (slurp(path, buf, sizeof(buf)) < 0)
		return line;
	for (p = buf; p && *p; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(line, sizeof(line), "%.*s",
				 end ? (int)(end - p) : (int)strlen(p), p);
			break;
		}
	}
	return line;
}

#define CHECK_STR(want, got)						\
	check_str(_metadata, #got, (want), (got))

static int check_str(struct __test_metadata *_metadata, const char *what,
		     const char *want, const char *got)
{
	if (!strcmp(want, got))
		return 0;
	TH_LOG("%s: got '%s', want '%s'", what, got, want);
	return 1;
}

/* The commands, through the entry of the test (see vs_call()) */

static long add4_type(uint32_t nid, uint16_t type, const char *ip,
		      const char *mask)
{
	struct vcmd_net_addr_ipv4_v1 a = {
		.type = type, .ip = ip4(ip), .mask = ip4(mask),
	};

	return vs_call(VCMD_net_add_ipv4_v1, nid, &a, sizeof(a));
}

static long rem4_type(uint32_t nid, uint16_t type, const char *ip,
		      const char *mask)
{
	struct vcmd_net_addr_ipv4_v1 a = {
		.type = type, .ip = ip4(ip), .mask = ip4(mask),
	};

	return vs_call(VCMD_net_rem_ipv4_v1, nid, &a, sizeof(a));
}

static long addr4_v2(uint32_t cmd, uint32_t nid, uint16_t type,
		     const char *ip, const char *ip2, const char *mask)
{
	struct vcmd_net_addr_ipv4_v2 a = {
		.type = type, .ip = ip4(ip), .ip2 = ip4(ip2),
		.mask = ip4(mask),
	};

	return vs_call(cmd, nid, &a, sizeof(a));
}

static long addr6(uint32_t cmd, uint32_t nid, uint16_t type,
		  uint32_t prefix, const char *ip, const char *mask)
{
	struct vcmd_net_addr_ipv6_v1 a = { .type = type, .prefix = prefix };

	ip6(ip, a.ip);
	if (mask)
		ip6(mask, a.mask);
	return vs_call(cmd, nid, &a, sizeof(a));
}

static long add_v0(uint32_t nid, uint16_t type, uint16_t count,
		   const char *const *ips, const char *mask)
{
	struct vcmd_net_addr_v0 a = { .type = type, .count = count };
	int i;

	for (i = 0; i < NX_ADDR_V0_MAX && ips && ips[i]; i++) {
		a.ip[i] = ip4(ips[i]);
		a.mask[i] = ip4(mask);
	}
	return vs_call(VCMD_net_add, nid, &a, sizeof(a));
}

static long remove_v0(uint32_t nid, uint16_t type)
{
	struct vcmd_net_addr_v0 a = { .type = type };

	return vs_call(VCMD_net_remove, nid, &a, sizeof(a));
}

/* Shorthands through the 64-bit entry */

static long add4(uint32_t nid, const char *ip, const char *mask)
{
	return net_add4(nid, NXA_TYPE_ADDR, ip4(ip), ip4(mask));
}

static long add6(uint32_t nid, const char *ip, uint32_t prefix)
{
	uint8_t a[16];

	ip6(ip, a);
	return net_add6(nid, NXA_TYPE_ADDR, prefix, a, NULL);
}

static long add6_mask(uint32_t nid, const char *ip, const char *mask,
		      uint32_t prefix)
{
	uint8_t a[16], m[16];

	ip6(ip, a);
	ip6(mask, m);
	return net_add6(nid, NXA_TYPE_MASK, prefix, a, m);
}

static uint64_t nflags(uint32_t nid)
{
	uint64_t flags = 0;

	net_get_flags(nid, &flags, NULL);
	return flags;
}

static uint64_t ncaps(uint32_t nid)
{
	uint64_t caps = 0;

	net_get_caps(nid, &caps);
	return caps;
}

/* rtnetlink: addresses of the caller's network namespace */

struct nlreq {
	struct nlmsghdr nh;
	struct ifaddrmsg ifa;
	char attrs[64];
};

static void nl_attr(struct nlreq *r, int type, const void *data, int len)
{
	struct rtattr *rta = (void *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/*
 * Add (RTM_NEWADDR) or delete (RTM_DELADDR) @addr/@prefix on the device
 * @ifindex (1: lo), without duplicate address detection: 0 or -errno.
 */
static int nl_addr(int type, const char *addr, int prefix, int ifindex)
{
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	int len = family == AF_INET ? 4 : 16, fd, ret = -EIO;
	struct nlreq req;
	char buf[1024];
	struct nlmsghdr *nh = (void *)buf;
	uint8_t a[16];
	ssize_t n;

	memset(&req, 0, sizeof(req));
	inet_pton(family, addr, a);
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.nh.nlmsg_type = type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWADDR)
		req.nh.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	req.ifa.ifa_family = family;
	req.ifa.ifa_prefixlen = prefix;
	req.ifa.ifa_flags = IFA_F_NODAD;
	req.ifa.ifa_index = ifindex;
	nl_attr(&req, IFA_LOCAL, a, len);
	nl_attr(&req, IFA_ADDRESS, a, len);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		ret = -errno;
	} else {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			ret = -errno;
		else if (NLMSG_OK(nh, n) && nh->nlmsg_type == NLMSG_ERROR)
			ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	}
	close(fd);
	return ret;
}

/*
 * The addresses an RTM_GETADDR dump of the caller's namespace lists, as
 * " IFINDEX:ADDR/PREFIX" items in @out: 0 or -errno.
 */
static int nl_dump_addrs(char *out, size_t len)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
			.nlmsg_type = RTM_GETADDR,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.ifa = { .ifa_family = AF_UNSPEC },
	};
	static char buf[32768];
	size_t used = 0;
	int fd, ret = 0;
	bool done = false;

	out[0] = 0;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		done = (ret = -errno);
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh = (void *)buf;

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			struct ifaddrmsg *ifa = NLMSG_DATA(nh);
			struct rtattr *rta = IFA_RTA(ifa);
			int alen = IFA_PAYLOAD(nh);
			char text[INET6_ADDRSTRLEN] = "?";

			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				done = true;
				break;
			}
			if (nh->nlmsg_type != RTM_NEWADDR)
				continue;
			for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen))
				if (rta->rta_type == IFA_ADDRESS)
					inet_ntop(ifa->ifa_family, RTA_DATA(rta),
						  text, sizeof(text));
			used += snprintf(out + used, used < len ? len - used : 0,
					 " %u:%s/%u", ifa->ifa_index, text,
					 ifa->ifa_prefixlen);
		}
	}
	close(fd);
	return ret;
}

/* Sockets */

struct saddr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	};
	socklen_t len;
};

/* @addr (IPv4, or IPv6 if it has a colon) and @port */
static struct saddr saddr_of(const char *addr, int port)
{
	struct saddr s;

	memset(&s, 0, sizeof(s));
	if (strchr(addr, ':')) {
		s.in6.sin6_family = AF_INET6;
		s.in6.sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s.in6.sin6_addr);
		s.len = sizeof(s.in6);
	} else {
		s.in.sin_family = AF_INET;
		s.in.sin_port = htons(port);
		inet_pton(AF_INET, addr, &s.in.sin_addr);
		s.len = sizeof(s.in);
	}
	return s;
}

#define B_FREEBIND	0x1	/* the namespace alone would let it bind */
#define B_V6ONLY	0x2

/* A socket of @type (and @proto) for @addr's family, with options */
static int sock_for(const char *addr, int type, int proto, int opts)
{
	int v6 = strchr(addr, ':') != NULL, one = 1, zero = 0;
	int fd = socket(v6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -errno;
	if ((opts & B_FREEBIND) &&
	    setsockopt(fd, v6 ? SOL_IPV6 : SOL_IP,
		       v6 ? IPV6_FREEBIND : IP_FREEBIND, &one, sizeof(one)))
		goto fail;
	/* Raw sockets are IPv6 only, and take no IPV6_V6ONLY */
	if (v6 && type != SOCK_RAW &&
	    setsockopt(fd, SOL_IPV6, IPV6_V6ONLY,
		       opts & B_V6ONLY ? &one : &zero, sizeof(one)))
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
fail:
	one = -errno;
	close(fd);
	return one;
}

/* Bind a new socket to @addr:@port: 0 or -errno (of socket() too) */
static int try_bind(const char *addr, int type, int proto, int opts)
{
	struct saddr s = saddr_of(addr, 0);
	int fd = sock_for(addr, type, proto, opts), ret;

	if (fd < 0)
		return fd;
	ret = bind(fd, &s.sa, s.len) ? -errno : 0;
	close(fd);
	return ret;
}

/* A TCP socket listening on @addr:@port, or -errno */
static int listener(const char *addr, int port, int opts)
{
	struct saddr s = saddr_of(addr, port);
	int fd = sock_for(addr, SOCK_STREAM, 0, opts), err;

	if (fd < 0)
		return fd;
	if (bind(fd, &s.sa, s.len) || listen(fd, 16)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Connect a TCP socket to @addr:@port: the socket, or -errno */
static int connect_to(const char *addr, int port)
{
	struct saddr s = saddr_of(addr, port);
	struct timeval tv = { .tv_sec = 5 };
	int fd = sock_for(addr, SOCK_STREAM, 0, 0), err;

	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, &s.sa, s.len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int try_connect(const char *addr, int port)
{
	return fd_result(connect_to(addr, port));
}

static int set_opt(int fd, int level, int name)
{
	int one = 1;

	return ret_errno(setsockopt(fd, level, name, &one, sizeof(one)));
}

/* setsockopt(@level, @name, 1) on a new socket: 0 or -errno */
static int try_opt(int family, int type, int proto, int level, int name)
{
	int fd = socket(family, type | SOCK_CLOEXEC, proto), ret;

	if (fd < 0)
		return -errno;
	ret = set_opt(fd, level, name);
	close(fd);
	return ret;
}

static int try_socket(int family, int type, int proto)
{
	return fd_result(socket(family, type | SOCK_CLOEXEC, proto));
}

/*
 * Send a datagram from UDP socket @fd to @to:@port with the source
 * address @src in an IP_PKTINFO (IPV6_PKTINFO) control message: the
 * bytes sent, or -errno.
 */
static long send_pktinfo(int fd, const char *src, const char *to, int port)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct saddr dst = saddr_of(to, port);
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = {
		.msg_name = &dst.sa, .msg_namelen = dst.len,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf,
	};
	struct cmsghdr *c;

	memset(&ctl, 0, sizeof(ctl));
	msg.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&msg);
	if (strchr(src, ':')) {
		struct in6_pktinfo pi = { 0 };

		inet_pton(AF_INET6, src, &pi.ipi6_addr);
		c->cmsg_level = SOL_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in_pktinfo pi = { 0 };

		inet_pton(AF_INET, src, &pi.ipi_spec_dst);
		c->cmsg_level = SOL_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(fd, &msg, 0) < 0 ? -errno : 1;
}

/*
 * The source address of the datagram that came to @fd within 200 ms, as
 * text ("" if none came)
 */
static const char *recv_source(int fd)
{
	static char text[INET6_ADDRSTRLEN];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct saddr from;
	char b[8];

	text[0] = 0;
	from.len = sizeof(from.in6);
	if (poll(&p, 1, 200) != 1 ||
	    recvfrom(fd, b, sizeof(b), MSG_DONTWAIT, &from.sa, &from.len) < 0)
		return text;
	if (from.sa.sa_family == AF_INET6)
		inet_ntop(AF_INET6, &from.in6.sin6_addr, text, sizeof(text));
	else
		inet_ntop(AF_INET, &from.in.sin_addr, text, sizeof(text));
	return text;
}

/* A UDP socket bound to @addr:@port, or -errno */
static int udp_bound(const char *addr, int port)
{
	struct saddr s = saddr_of(addr, port);
	int fd = sock_for(addr, SOCK_DGRAM, 0, 0), err;

	if (fd < 0)
		return fd;
	if (bind(fd, &s.sa, s.len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* File descriptors over a unix socket */

static int send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char b;
	struct iovec iov = { .iov_base = &b, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* One byte through a pipe: 0 on success */
static int say(int fd)
{
	return write(fd, "x", 1) == 1 ? 0 : -1;
}

static int hear(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

/* Children */

/*
 * Run @fn in a child: what it returns (how many checks went wrong), or
 * INT_MIN if the child died.
 */
static int in_child(struct __test_metadata *_metadata, child_fn fn,
		    const void *arg)
{
	return run_in(_metadata, 0, fn, (const char *)arg);
}

/* In a child: create network context @nid with @flags and stay in it */
static int enter_new(struct __test_metadata *_metadata, uint32_t nid,
		     uint64_t flags)
{
	long ret = net_create(nid, flags);

	if (ret == nid)
		return 0;
	TH_LOG("net_create(%u): got %ld, want %u", nid, ret, nid);
	return -1;
}

/* A child that sleeps in network context @nid, made with @flags */
static pid_t start_in_net(uint32_t nid, uint64_t flags)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (net_create(nid, flags) != nid)
			_exit(1);
		say(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid > 0 && hear(fds[0])) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

static void stop_child(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* In a child: become the unprivileged user nobody */
static int become_nobody(void)
{
	return setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534);
}

/* The dispatcher, command by command */

struct net_cmd {
	const char *name;
	uint32_t cmd;
	size_t size;
};

/* The commands that configure a network context */
static const struct net_cmd config_cmds[] = {
	{ "net_add", VCMD_net_add, sizeof(struct vcmd_net_addr_v0) },
	{ "net_remove", VCMD_net_remove, sizeof(struct vcmd_net_addr_v0) },
	{ "net_add_ipv4_v1", VCMD_net_add_ipv4_v1,
	  sizeof(struct vcmd_net_addr_ipv4_v1) },
	{ "net_rem_ipv4_v1", VCMD_net_rem_ipv4_v1,
	  sizeof(struct vcmd_net_addr_ipv4_v1) },
	{ "net_add_ipv4", VCMD_net_add_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v2) },
	{ "net_rem_ipv4", VCMD_net_rem_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v2) },
	{ "net_add_ipv6", VCMD_net_add_ipv6,
	  sizeof(struct vcmd_net_addr_ipv6_v1) },
	{ "net_remove_ipv6", VCMD_net_remove_ipv6,
	  sizeof(struct vcmd_net_addr_ipv6_v1) },
	{ "set_nflags", VCMD_set_nflags, sizeof(struct vcmd_net_flags_v0) },
	{ "set_ncaps", VCMD_set_ncaps, sizeof(struct vcmd_net_caps_v0) },
};

/* The commands that read one */
static const struct net_cmd info_cmds[] = {
	{ "nx_info", VCMD_nx_info, sizeof(struct vcmd_nx_info_v0) },
	{ "get_nflags", VCMD_get_nflags, sizeof(struct vcmd_net_flags_v0) },
	{ "get_ncaps", VCMD_get_ncaps, sizeof(struct vcmd_net_caps_v0) },
};

#define NR(a)	(sizeof(a) / sizeof((a)[0]))

/* Log a result of command @c that is not the one wanted; 1 if so */
static int check_cmd(struct __test_metadata *_metadata,
		     const struct net_cmd *c, const char *what, long want,
		     long got)
{
	if (want == got)
		return 0;
	TH_LOG("%s, %s: got %ld, want %ld", c->name, what, got, want);
	return 1;
}

/*
 * An address the kernel cannot read: the structure of a command placed
 * so that its last byte lies in an unmapped page.  @page is two pages,
 * the second PROT_NONE.
 */
static void *straddling(void *page, size_t size)
{
	return (char *)page + 4096 - size + 1;
}

static void *guarded_pages(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + 4096, 4096, PROT_NONE)) {
		munmap(p, 8192);
		return NULL;
	}
	return p;
}

#define NID_OPEN	4300	/* persistent, NXF_INIT_SET */
#define NID_NOADMIN	4301	/* no NXF_STATE_ADMIN, held by a child */
#define NID_SETUP	4302	/* persistent, private, in setup */
#define NID_PRIVATE	4303	/* persistent, private, past setup */
#define NID_FREE	4339	/* never created */

static int nobody_calls(struct __test_metadata *_metadata, const char *arg)
{
	char buf[ARG_MAX] = { 0 };
	uint64_t flags = 0;
	unsigned int i;
	int bad = 0;

	if (become_nobody())
		return -1;
	for (i = 0; i < NR(config_cmds); i++) {
		/* Before anything is copied or looked up */
		if (differs(_metadata, config_cmds[i].name, -EPERM,
			    vs_sys64(config_cmds[i].cmd, 0, (void *)8)))
			bad++;
		if (differs(_metadata, config_cmds[i].name, -EPERM,
			    vs_sys64(config_cmds[i].cmd, NID_OPEN, buf)))
			bad++;
	}
	bad += CHECK(-EPERM, vs_sys64(VCMD_net_create, 1, (void *)8));
	bad += CHECK(-EPERM, vs_sys64(VCMD_net_create, NID_FREE, NULL));
	bad += CHECK(-EPERM, vs_sys64(VCMD_net_create_v0, NID_FREE, NULL));
	bad += CHECK(-EPERM, net_migrate(NID_OPEN));
	bad += CHECK(-EPERM, net_migrate(0));
	bad += CHECK(-EPERM, net_migrate(VX_NID_WATCH));
	/* An unknown word says so before the permission */
	bad += CHECK(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_NETALT, 5, 0),
					   NID_OPEN, buf));
	/* Reading is for anyone who can see the network context */
	bad += CHECK(0, net_get_flags(NID_OPEN, &flags, NULL));
	bad += CHECK(NXF_INIT_SET | NXF_PERSISTENT, flags);
	bad += CHECK(0, net_task_nid(0));
	bad += CHECK(0, vs_sys64(VCMD_nx_info, NID_OPEN, buf));
	return bad;
}

TEST(network_commands_check_in_the_documented_order)
{
	char buf[ARG_MAX], *page = guarded_pages();
	uint64_t flags, mask;
	unsigned int i;
	int bad = 0;
	pid_t holder;

	ASSERT_NE(NULL, page);
	ASSERT_EQ(0, net_make_persistent(NID_OPEN, NXF_INIT_SET));
	holder = start_in_net(NID_NOADMIN, NXF_INIT_SET & ~NXF_STATE_ADMIN);
	ASSERT_LT(0, holder);

	/* The words are util-vserver's */
	EXPECT_EQ(0x2E020000, VCMD_task_nid);
	EXPECT_EQ(0x2E060000, VCMD_nx_info);
	EXPECT_EQ(0x19010000, VCMD_net_create_v0);
	EXPECT_EQ(0x19010001, VCMD_net_create);
	EXPECT_EQ(0x1B010000, VCMD_net_migrate);
	EXPECT_EQ(0x1A010001, VCMD_net_add_ipv4_v1);
	EXPECT_EQ(0x1A030001, VCMD_net_add_ipv6);
	EXPECT_EQ(0x34050000, VCMD_get_nflags);
	EXPECT_EQ(0x34080000, VCMD_set_ncaps);
	EXPECT_EQ(0x0000000406000200ULL, NXF_INIT_SET);

	/* Words of the categories that name no command */
	EXPECT_EQ(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_NETALT, 5, 0), 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_NETALT, 1, 3), 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_NETCTRL, 1, 0), 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_NETMIG, 1, 1), 0, NULL));
	EXPECT_EQ(-EOPNOTSUPP, vs_sys64(VC_CMD(VC_CAT_VNET, 1, 2), 0, NULL));

	/* Permission comes first */
	EXPECT_EQ(0, in_child(_metadata, nobody_calls, NULL));

	for (i = 0; i < NR(config_cmds); i++) {
		const struct net_cmd *c = &config_cmds[i];

		memset(buf, 0, sizeof(buf));
		/* The structure is copied before the target is looked up */
		bad += check_cmd(_metadata, c, "id 0, NULL", -EFAULT,
				 vs_sys64(c->cmd, 0, NULL));
		bad += check_cmd(_metadata, c, "NULL", -EFAULT,
				 vs_sys64(c->cmd, NID_OPEN, NULL));
		bad += check_cmd(_metadata, c, "a byte short", -EFAULT,
				 vs_sys64(c->cmd, NID_FREE,
					  straddling(page, c->size)));
		/* ... exactly its size, no byte more */
		memset(page, 0, 4096);
		bad += check_cmd(_metadata, c, "exact size", -ESRCH,
				 vs_sys64(c->cmd, NID_FREE,
					  page + 4096 - c->size));
		/* Then the target: 0, 1, beyond 65535, absent, not own */
		bad += check_cmd(_metadata, c, "id 0", -ESRCH,
				 vs_sys64(c->cmd, 0, buf));
		bad += check_cmd(_metadata, c, "id 1", -ESRCH,
				 vs_sys64(c->cmd, VX_NID_WATCH, buf));
		bad += check_cmd(_metadata, c, "id 65536", -ESRCH,
				 vs_sys64(c->cmd, VX_NID_MAX + 1, buf));
		bad += check_cmd(_metadata, c, "absent id", -ESRCH,
				 vs_sys64(c->cmd, NID_FREE, buf));
		bad += check_cmd(_metadata, c, "own, from the host", -ESRCH,
				 vs_sys64(c->cmd, 0x80000000U | NID_OPEN,
					  buf));
		/* Then NXF_STATE_ADMIN */
		bad += check_cmd(_metadata, c, "no NXF_STATE_ADMIN", -EACCES,
				 vs_sys64(c->cmd, NID_NOADMIN, buf));
	}

	for (i = 0; i < NR(info_cmds); i++) {
		const struct net_cmd *c = &info_cmds[i];

		memset(buf, 0xa5, sizeof(buf));
		bad += check_cmd(_metadata, c, "id 0", -ESRCH,
				 vs_sys64(c->cmd, 0, buf));
		bad += check_cmd(_metadata, c, "id 1", -ESRCH,
				 vs_sys64(c->cmd, VX_NID_WATCH, buf));
		bad += check_cmd(_metadata, c, "id 65536", -ESRCH,
				 vs_sys64(c->cmd, VX_NID_MAX + 1, buf));
		bad += check_cmd(_metadata, c, "absent id, NULL", -ESRCH,
				 vs_sys64(c->cmd, NID_FREE, NULL));
		bad += check_cmd(_metadata, c, "own, from the host", -ESRCH,
				 vs_sys64(c->cmd, 0x80000000U, buf));
		/* The output is written last, and only on success */
		bad += check_cmd(_metadata, c, "output untouched", 0xa5,
				 (unsigned char)buf[0]);
		bad += check_cmd(_metadata, c, "NULL", -EFAULT,
				 vs_sys64(c->cmd, NID_OPEN, NULL));
		bad += check_cmd(_metadata, c, "a byte short", -EFAULT,
				 vs_sys64(c->cmd, NID_OPEN,
					  straddling(page, c->size)));
		bad += check_cmd(_metadata, c, "exact size", 0,
				 vs_sys64(c->cmd, NID_OPEN,
					  page + 4096 - c->size));
		/* Reading does not need NXF_STATE_ADMIN */
		bad += check_cmd(_metadata, c, "no NXF_STATE_ADMIN", 0,
				 vs_sys64(c->cmd, NID_NOADMIN, buf));
	}
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, vs_sys64(VCMD_nx_info, NID_OPEN, buf));
	EXPECT_EQ((uint32_t)NID_OPEN, *(uint32_t *)buf);

	/* The flags without NXF_STATE_ADMIN, and what get_nflags says */
	ASSERT_EQ(0, net_get_flags(NID_NOADMIN, &flags, &mask));
	EXPECT_EQ(NXF_INIT_SET & ~NXF_STATE_ADMIN, flags);
	EXPECT_EQ(~NXF_ONE_TIME, mask);
	ASSERT_EQ(0, net_get_flags(NID_OPEN, &flags, &mask));
	EXPECT_EQ(~NXF_STATE_SETUP, mask);

	/* task_nid: any pid the caller can see */
	EXPECT_EQ(0, net_task_nid(0));
	EXPECT_EQ(0, net_task_nid(1));
	EXPECT_EQ(NID_NOADMIN, net_task_nid(holder));
	EXPECT_EQ(-ESRCH, net_task_nid(4194305));
	EXPECT_EQ(-ESRCH, net_task_nid(0x7fffffff));

	/* net_create reads its structure before it checks the id */
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_net_create, 1, (void *)8));
	EXPECT_EQ(-EFAULT, vs_sys64(VCMD_net_create, NID_OPEN,
				    straddling(page, 8)));
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_net_create, 0, NULL));
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_net_create, 1, NULL));
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_net_create, VX_NID_MAX + 1, NULL));
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_net_create, 0xffffffffU, NULL));
	EXPECT_EQ(-EEXIST, vs_sys64(VCMD_net_create, NID_OPEN, NULL));
	EXPECT_EQ(-EEXIST, net_create(NID_NOADMIN, 0));
	/* v0 ignores its data */
	EXPECT_EQ(-EINVAL, vs_sys64(VCMD_net_create_v0, 1, (void *)8));
	EXPECT_EQ(-EEXIST, vs_sys64(VCMD_net_create_v0, NID_OPEN, (void *)8));

	/* Still in setup: EBUSY; private: no migrate past setup */
	ASSERT_EQ(0, net_make_persistent(NID_SETUP, NXF_INIT_SET |
					 NXF_STATE_SETUP | NXF_INFO_PRIVATE));
	ASSERT_EQ(0, net_make_persistent(NID_PRIVATE, NXF_INIT_SET |
					 NXF_INFO_PRIVATE));
	EXPECT_EQ(-EBUSY, net_create(NID_SETUP, NXF_INIT_SET));
	EXPECT_EQ(-EEXIST, net_create(NID_PRIVATE, NXF_INIT_SET));

	/* net_migrate: its own checks */
	EXPECT_EQ(-ESRCH, net_migrate(0));
	EXPECT_EQ(-ESRCH, net_migrate(VX_NID_MAX + 1));
	EXPECT_EQ(-ESRCH, net_migrate(NID_FREE));
	EXPECT_EQ(-ESRCH, net_migrate(0x80000000U | NID_OPEN));
	EXPECT_EQ(-EACCES, net_migrate(NID_NOADMIN));
	EXPECT_EQ(-EACCES, net_migrate(NID_PRIVATE));
	EXPECT_EQ(0, net_task_nid(0));

	stop_child(holder);
	net_end_persistent(NID_OPEN);
	net_end_persistent(NID_SETUP);
	net_end_persistent(NID_PRIVATE);
	EXPECT_TRUE(nid_gone(NID_NOADMIN));
	EXPECT_TRUE(nid_gone(NID_OPEN));
	EXPECT_TRUE(nid_gone(NID_SETUP));
	EXPECT_TRUE(nid_gone(NID_PRIVATE));
	munmap(page, 8192);
}

/* net_migrate and net_create_v0 move the caller: in children */

static int migrate_checks(struct __test_metadata *_metadata, const char *arg)
{
	uint32_t nid = (uintptr_t)arg;
	char want[32];
	int bad = 0;

	bad += CHECK(0, net_migrate(nid));
	bad += CHECK(nid, net_task_nid(0));
	snprintf(want, sizeof(want), "NxID:\t%u\n", nid);
	bad += CHECK(1, file_has("/proc/self/status", want));
	/* Already there: nothing to do */
	bad += CHECK(0, net_migrate(nid));
	/* The own network context, by the top bit */
	bad += CHECK(0, vs_sys64(VCMD_get_nflags, 0x80000000U,
				 (char[16]){ 0 }));
	return bad;
}

static int spectator_checks(struct __test_metadata *_metadata,
			    const char *arg)
{
	int bad = 0;

	bad += CHECK(VX_NID_WATCH, net_migrate(VX_NID_WATCH));
	bad += CHECK(VX_NID_WATCH, net_task_nid(0));
	bad += CHECK(1, file_has("/proc/self/status", "NxID:\t1\n"));
	/* A spectator has no network context of its own */
	bad += CHECK(-ESRCH, vs_sys64(VCMD_get_nflags, 0x80000000U,
				      (char[16]){ 0 }));
	return bad;
}

static int create_v0_checks(struct __test_metadata *_metadata,
			    const char *arg)
{
	int bad = 0;

	bad += CHECK(4304, vs_sys64(VCMD_net_create_v0, 4304, (void *)8));
	bad += CHECK(4304, net_task_nid(0));
	bad += CHECK(NXF_INIT_SET, nflags(4304));
	bad += CHECK(0, ncaps(4304));
	return bad;
}

TEST(net_migrate_and_net_create_v0_move_the_caller)
{
	ASSERT_EQ(0, net_make_persistent(NID_OPEN, NXF_INIT_SET));
	ASSERT_EQ(0, net_make_persistent(NID_SETUP, NXF_INIT_SET |
					 NXF_STATE_SETUP | NXF_INFO_PRIVATE));
	EXPECT_EQ(1, file_has("/proc/self/status", "NxID:\t0\n"));
	EXPECT_EQ(0, in_child(_metadata, migrate_checks,
			      (void *)(uintptr_t)NID_OPEN));
	/* Private, but still in setup */
	EXPECT_EQ(0, in_child(_metadata, migrate_checks,
			      (void *)(uintptr_t)NID_SETUP));
	EXPECT_EQ(0, in_child(_metadata, spectator_checks, NULL));
	EXPECT_EQ(0, in_child(_metadata, create_v0_checks, NULL));
	EXPECT_EQ(0, net_task_nid(0));
	net_end_persistent(NID_OPEN);
	net_end_persistent(NID_SETUP);
	EXPECT_TRUE(nid_gone(4304));
	EXPECT_TRUE(nid_gone(NID_OPEN));
	EXPECT_TRUE(nid_gone(NID_SETUP));
}

/* The address commands, through both entries */

#define NID_ADDR	4305

FIXTURE(nx) {
	void *low;
};

FIXTURE_VARIANT(nx) {
	bool int80;
};

FIXTURE_VARIANT_ADD(nx, syscall) { .int80 = false };
FIXTURE_VARIANT_ADD(nx, int80) { .int80 = true };

FIXTURE_SETUP(nx)
{
	self->low = vs_low_alloc();
	ASSERT_NE(NULL, self->low);
	if (variant->int80)
		int80_page = self->low;
	ASSERT_EQ(0, net_make_persistent(NID_ADDR, NXF_INIT_SET));
}

FIXTURE_TEARDOWN(nx)
{
	net_end_persistent(NID_ADDR);
	EXPECT_TRUE(nid_gone(NID_ADDR));
	int80_page = NULL;
	munmap(self->low, 4096);
}

#define INFO(nid, prefix)	virtnet_line(nid, "info", prefix)

TEST_F(nx, ipv4_entries_are_added_and_removed_as_documented)
{
	static const char *const two[] = { "10.49.0.1", "10.49.0.2", NULL };
	static const char *const one[] = { "10.49.0.2", NULL };
	const uint32_t nid = NID_ADDR;

	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_ADDR, "192.168.1.10",
			       "255.255.255.0"));
	EXPECT_STREQ("0:\t[192.168.1.10-0.0.0.0/255.255.255.0:0010]",
		     INFO(nid, "0:"));
	EXPECT_EQ(-EEXIST, add4_type(nid, NXA_TYPE_ADDR, "192.168.1.10",
				     "255.255.255.0"));
	/* A network: every address inside it */
	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_MASK, "10.44.0.0", "255.255.0.0"));
	EXPECT_STREQ("1:\t[10.44.0.0-0.0.0.0/255.255.0.0:0020]",
		     INFO(nid, "1:"));
	/* Other types */
	EXPECT_EQ(-EINVAL, add4_type(nid, NXA_TYPE_RANGE, "10.48.0.1",
				     "0.0.0.0"));
	EXPECT_EQ(-EINVAL, add4_type(nid, NXA_TYPE_NONE, "10.48.0.1",
				     "0.0.0.0"));
	EXPECT_EQ(-EINVAL, add4_type(nid, NXA_TYPE_ANY, "10.48.0.1",
				     "0.0.0.0"));
	EXPECT_EQ(-EINVAL, add4_type(nid, NXA_TYPE_IPV4, "10.48.0.1",
				     "0.0.0.0"));
	EXPECT_EQ(-EINVAL, add4_type(nid, NXA_TYPE_MASK | NXA_MOD_BCAST,
				     "10.48.0.1", "0.0.0.0"));
	/* Broadcast and loopback */
	EXPECT_STREQ("Bcast:\t255.255.255.255", INFO(nid, "Bcast:"));
	EXPECT_STREQ("Lback:\t127.16.209.1", INFO(nid, "Lback:"));
	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_ADDR | NXA_MOD_BCAST,
			       "10.47.255.255", "0.0.0.0"));
	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_ADDR | NXA_MOD_LBACK,
			       "127.1.2.3", "0.0.0.0"));
	EXPECT_STREQ("Bcast:\t10.47.255.255", INFO(nid, "Bcast:"));
	EXPECT_STREQ("Lback:\t127.1.2.3", INFO(nid, "Lback:"));
	EXPECT_STREQ("", INFO(nid, "2:"));
	/* v2: ranges too */
	EXPECT_EQ(0, addr4_v2(VCMD_net_add_ipv4, nid, NXA_TYPE_RANGE,
			      "10.48.0.1", "10.48.0.9", "0.0.0.0"));
	EXPECT_STREQ("2:\t[10.48.0.1-10.48.0.9/0.0.0.0:0040]",
		     INFO(nid, "2:"));
	EXPECT_EQ(-EINVAL, addr4_v2(VCMD_net_rem_ipv4, nid, NXA_TYPE_RANGE,
				    "10.48.0.1", "10.48.0.9", "0.0.0.0"));
	EXPECT_EQ(-EINVAL, addr4_v2(VCMD_net_add_ipv4, nid, NXA_TYPE_NONE,
				    "10.48.0.1", "10.48.0.9", "0.0.0.0"));

	/* Removing: the equal entry; MASK and the specials cannot go */
	EXPECT_EQ(-ESRCH, rem4_type(nid, NXA_TYPE_ADDR, "192.168.1.10",
				    "255.255.0.0"));
	EXPECT_EQ(0, rem4_type(nid, NXA_TYPE_ADDR, "192.168.1.10",
			       "255.255.255.0"));
	EXPECT_EQ(-ESRCH, rem4_type(nid, NXA_TYPE_ADDR, "192.168.1.10",
				    "255.255.255.0"));
	EXPECT_EQ(-EINVAL, rem4_type(nid, NXA_TYPE_MASK, "10.44.0.0",
				     "255.255.0.0"));
	EXPECT_EQ(-EINVAL, rem4_type(nid, NXA_TYPE_ADDR | NXA_MOD_BCAST,
				     "10.47.255.255", "0.0.0.0"));
	EXPECT_STREQ("0:\t[10.44.0.0-0.0.0.0/255.255.0.0:0020]",
		     INFO(nid, "0:"));

	/* v0: one to four addresses, or the broadcast */
	EXPECT_EQ(-EINVAL, add_v0(nid, NXA_TYPE_IPV4, 0, two, "255.255.255.0"));
	EXPECT_EQ(-EINVAL, add_v0(nid, NXA_TYPE_IPV4, 5, two, "255.255.255.0"));
	EXPECT_EQ(-EINVAL, add_v0(nid, NXA_TYPE_ADDR, 1, two, "255.255.255.0"));
	EXPECT_EQ(2, add_v0(nid, NXA_TYPE_IPV4, 2, two, "255.255.255.0"));
	EXPECT_STREQ("3:\t[10.49.0.2-0.0.0.0/255.255.255.0:0010]",
		     INFO(nid, "3:"));
	EXPECT_EQ(-EEXIST, add_v0(nid, NXA_TYPE_IPV4, 1, one, "255.255.255.0"));
	EXPECT_EQ(1, add_v0(nid, NXA_TYPE_IPV4 | NXA_MOD_BCAST, 1, one,
			    "0.0.0.0"));
	EXPECT_STREQ("Bcast:\t10.49.0.2", INFO(nid, "Bcast:"));
	EXPECT_EQ(-EINVAL, remove_v0(nid, NXA_TYPE_ADDR));
	EXPECT_EQ(-EINVAL, remove_v0(nid, 0xffff));

	/* ANY drops every IPv4 entry and nothing else */
	EXPECT_EQ(0, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_ADDR, 64,
			   "2001:db8::5", NULL));
	EXPECT_EQ(0, remove_v0(nid, NXA_TYPE_ANY));
	EXPECT_STREQ("0:\t[2001:0db8:0000:0000:0000:0000:0000:0005/"
		     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/64:0010]",
		     INFO(nid, "0:"));
	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_ADDR, "10.49.0.7", "255.0.0.0"));
	EXPECT_EQ(0, rem4_type(nid, NXA_TYPE_ANY, "0.0.0.0", "0.0.0.0"));
	EXPECT_STREQ("", INFO(nid, "1:"));
	EXPECT_EQ(0, file_has("/proc/virtnet/4305/info", "10.49.0.7"));
}

TEST_F(nx, ipv6_entries_are_added_and_removed_as_documented)
{
	const uint32_t nid = NID_ADDR;

	/* ADDR: the mask given does not count, it is all ones */
	EXPECT_EQ(0, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_ADDR, 64,
			   "2001:db8::5", "ffff::"));
	EXPECT_STREQ("0:\t[2001:0db8:0000:0000:0000:0000:0000:0005/"
		     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/64:0010]",
		     INFO(nid, "0:"));
	EXPECT_EQ(-EEXIST, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_ADDR, 64,
				 "2001:db8::5", NULL));
	EXPECT_EQ(0, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_MASK, 64,
			   "fd44::", "ffff:ffff:ffff:ffff::"));
	EXPECT_STREQ("1:\t[fd44:0000:0000:0000:0000:0000:0000:0000/"
		     "ffff:ffff:ffff:ffff:0000:0000:0000:0000/64:0020]",
		     INFO(nid, "1:"));
	EXPECT_EQ(-EINVAL, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_RANGE, 64,
				 "fd45::", NULL));
	EXPECT_EQ(-EINVAL, addr6(VCMD_net_add_ipv6, nid,
				 NXA_TYPE_ADDR | NXA_MOD_BCAST, 64, "fd45::",
				 NULL));
	EXPECT_EQ(-EINVAL, addr6(VCMD_net_add_ipv6, nid, NXA_TYPE_ANY, 64,
				 "fd45::", NULL));
	/* Removing: ADDR with any mask, never MASK, ANY all */
	EXPECT_EQ(-ESRCH, addr6(VCMD_net_remove_ipv6, nid, NXA_TYPE_ADDR, 48,
				"2001:db8::5", NULL));
	EXPECT_EQ(0, addr6(VCMD_net_remove_ipv6, nid, NXA_TYPE_ADDR, 64,
			   "2001:db8::5", "ffff:ffff::"));
	EXPECT_EQ(-ESRCH, addr6(VCMD_net_remove_ipv6, nid, NXA_TYPE_ADDR, 64,
				"2001:db8::5", NULL));
	EXPECT_EQ(-EINVAL, addr6(VCMD_net_remove_ipv6, nid, NXA_TYPE_MASK, 64,
				 "fd44::", "ffff:ffff:ffff:ffff::"));
	EXPECT_EQ(0, add4_type(nid, NXA_TYPE_ADDR, "10.49.0.8", "255.0.0.0"));
	EXPECT_EQ(0, addr6(VCMD_net_remove_ipv6, nid, NXA_TYPE_ANY, 0, "::",
			   NULL));
	EXPECT_EQ(0, file_has("/proc/virtnet/4305/info", "fd44:"));
	EXPECT_STREQ("0:\t[10.49.0.8-0.0.0.0/255.0.0.0:0010]", INFO(nid, "0:"));
}

TEST_F(nx, flags_and_caps_change_as_documented)
{
	struct vcmd_net_flags_v0 fl;
	struct vcmd_net_caps_v0 cp;
	const uint32_t nid = NID_ADDR;
	const uint64_t unknown = 1ULL << 50;

	memset(&fl, 0xa5, sizeof(fl));
	ASSERT_EQ(0, vs_call(VCMD_get_nflags, nid, &fl, sizeof(fl)));
	EXPECT_EQ(NXF_INIT_SET | NXF_PERSISTENT, fl.flagword);
	EXPECT_EQ(~NXF_STATE_SETUP, fl.mask);
	memset(&cp, 0xa5, sizeof(cp));
	ASSERT_EQ(0, vs_call(VCMD_get_ncaps, nid, &cp, sizeof(cp)));
	EXPECT_EQ(0ULL, cp.ncaps);
	EXPECT_EQ(~0ULL, cp.cmask);

	/* A one-time bit that is clear cannot be set again */
	fl = (struct vcmd_net_flags_v0){ NXF_STATE_SETUP, NXF_STATE_SETUP };
	EXPECT_EQ(0, vs_call(VCMD_set_nflags, nid, &fl, sizeof(fl)));
	EXPECT_EQ(NXF_INIT_SET | NXF_PERSISTENT, nflags(nid));
	/* Unknown bits are stored; bits outside the mask stay */
	fl = (struct vcmd_net_flags_v0){ unknown | NXF_SINGLE_IP,
					 unknown | NXF_SINGLE_IP |
					 NXF_HIDE_LBACK };
	EXPECT_EQ(0, vs_call(VCMD_set_nflags, nid, &fl, sizeof(fl)));
	EXPECT_EQ((NXF_INIT_SET & ~NXF_HIDE_LBACK) | NXF_PERSISTENT |
		  unknown | NXF_SINGLE_IP, nflags(nid));
	EXPECT_STREQ("Flags:\t0004004402000300",
		     virtnet_line(nid, "status", "Flags:"));
	/* A second IPv4 entry clears NXF_SINGLE_IP */
	EXPECT_EQ(0, add4(nid, "10.43.5.1", "255.255.255.0"));
	EXPECT_EQ(NXF_SINGLE_IP, nflags(nid) & NXF_SINGLE_IP);
	EXPECT_EQ(0, add4(nid, "10.43.5.2", "255.255.255.0"));
	EXPECT_EQ(0ULL, nflags(nid) & NXF_SINGLE_IP);

	cp = (struct vcmd_net_caps_v0){ NXC_RAW_ICMP | unknown, ~0ULL };
	EXPECT_EQ(0, vs_call(VCMD_set_ncaps, nid, &cp, sizeof(cp)));
	EXPECT_EQ(NXC_RAW_ICMP | unknown, ncaps(nid));
	cp = (struct vcmd_net_caps_v0){ NXC_MULTICAST, unknown | NXC_MULTICAST };
	EXPECT_EQ(0, vs_call(VCMD_set_ncaps, nid, &cp, sizeof(cp)));
	EXPECT_EQ(NXC_RAW_ICMP | NXC_MULTICAST, ncaps(nid));
	EXPECT_STREQ("NCaps:\t0000000000001100",
		     virtnet_line(nid, "status", "NCaps:"));
}

/* Results of children the test talks to while they run */

/* Fork a child that runs @fn and exits with how many checks went wrong */
static pid_t spawn(struct __test_metadata *_metadata, child_fn fn,
		   const void *arg)
{
	pid_t pid = fork();
	int ret;

	if (pid == 0) {
		ret = fn(_metadata, (const char *)arg);
		_exit(ret < 0 ? 255 : ret > 100 ? 100 : ret);
	}
	return pid;
}

/* Its result: 0 to 100, or -1 if it failed to start or died */
static int reap(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

struct talk {
	int up[2];	/* child to test */
	int down[2];	/* test to child */
	int sv[2];	/* a unix socket pair, for descriptors */
};

static int talk_open(struct talk *t)
{
	return pipe(t->up) || pipe(t->down) ||
	       socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, t->sv);
}

static void talk_close(struct talk *t)
{
	close(t->up[0]);
	close(t->up[1]);
	close(t->down[0]);
	close(t->down[1]);
	close(t->sv[0]);
	close(t->sv[1]);
}

/* Who may use the commands */

TEST(state_admin_can_be_cleared_once_and_then_nothing_changes)
{
	const uint32_t nid = 4306;
	uint64_t flags, mask;
	pid_t holder = start_in_net(nid, NXF_INIT_SET);

	ASSERT_LT(0, holder);
	EXPECT_EQ(0, net_set_caps(nid, NXC_RAW_ICMP, NXC_RAW_ICMP));
	EXPECT_EQ(0, net_set_flags(nid, 0, NXF_STATE_ADMIN));
	ASSERT_EQ(0, net_get_flags(nid, &flags, &mask));
	EXPECT_EQ(NXF_INIT_SET & ~NXF_STATE_ADMIN, flags);
	EXPECT_EQ(~NXF_ONE_TIME, mask);
	EXPECT_EQ(-EACCES, net_set_flags(nid, NXF_STATE_ADMIN,
					 NXF_STATE_ADMIN));
	EXPECT_EQ(-EACCES, net_set_flags(nid, NXF_PERSISTENT, NXF_PERSISTENT));
	EXPECT_EQ(-EACCES, net_set_caps(nid, 0, ~0ULL));
	EXPECT_EQ(-EACCES, add4(nid, "10.43.6.1", "255.255.255.0"));
	EXPECT_EQ(-EACCES, add6(nid, "fd43:6::1", 64));
	EXPECT_EQ(-EACCES, net_migrate(nid));
	/* Reading still works, and nothing changed */
	EXPECT_EQ(NXC_RAW_ICMP, ncaps(nid));
	EXPECT_EQ(NXF_INIT_SET & ~NXF_STATE_ADMIN, nflags(nid));
	stop_child(holder);
	EXPECT_TRUE(nid_gone(nid));
}

static int no_nid_checks(struct __test_metadata *_metadata, const char *arg)
{
	char buf[ARG_MAX] = { 0 }, list[256];
	int bad = 0;

	/* A task of a context without a network context sees none */
	bad += CHECK(-ESRCH, vs_sys64(VCMD_get_nflags, NID_OPEN, buf));
	bad += CHECK(-ESRCH, vs_sys64(VCMD_get_ncaps, NID_OPEN, buf));
	bad += CHECK(-ESRCH, vs_sys64(VCMD_nx_info, NID_OPEN, buf));
	bad += CHECK(-ESRCH, vs_sys64(VCMD_get_nflags, 0x80000000U, buf));
	bad += CHECK(0, net_task_nid(0));
	/* ... changes and enters none */
	bad += CHECK(-EPERM, add4(NID_OPEN, "10.43.11.1", "255.255.255.0"));
	bad += CHECK(-EPERM, net_set_flags(NID_OPEN, 0, NXF_PERSISTENT));
	bad += CHECK(-EPERM, net_create(4311, NXF_INIT_SET));
	bad += CHECK(-EPERM, net_migrate(NID_OPEN));
	bad += CHECK(-EPERM, net_migrate(VX_NID_WATCH));
	dir_list("/proc/virtnet", list, sizeof(list));
	bad += CHECK_STR("info status", list);
	bad += CHECK(-ENOENT, slurp("/proc/virtnet/4300/status", buf,
				    sizeof(buf)));
	bad += CHECK(1, file_has("/proc/self/status", "NxID:\t0\n"));
	return bad;
}

static int watch_checks(struct __test_metadata *_metadata, const char *arg)
{
	char buf[ARG_MAX] = { 0 };
	int bad = 0;

	/* A spectator of contexts sees every network context */
	bad += CHECK(0, vs_sys64(VCMD_get_nflags, NID_OPEN, buf));
	bad += CHECK(1, nid_listed(NID_OPEN));
	bad += CHECK(-EPERM, add4(NID_OPEN, "10.43.11.1", "255.255.255.0"));
	bad += CHECK(-EPERM, net_migrate(NID_OPEN));
	return bad;
}

TEST(tasks_of_contexts_neither_see_nor_change_other_network_contexts)
{
	ASSERT_EQ(0, net_make_persistent(NID_OPEN, NXF_INIT_SET));
	ASSERT_EQ(0, make_persistent(4311, 0));
	EXPECT_EQ(0, run_in(_metadata, 4311, no_nid_checks, NULL));
	ASSERT_EQ(0, end_setup(4311));
	EXPECT_EQ(0, run_in(_metadata, 4311, no_nid_checks, NULL));
	EXPECT_EQ(0, run_in(_metadata, VX_XID_SPECTATOR, watch_checks, NULL));
	end_persistent(4311);
	net_end_persistent(NID_OPEN);
	EXPECT_TRUE(nid_gone(NID_OPEN));
}

/*
 * util-vserver's start of a guest: chbind's ncontext, nattribute and
 * naddress in the host context, then vcontext.  The words and structures
 * are those of vci-net-abi.md 6.3.
 */

#define NID_UTIL	4310

static int guest_checks(struct __test_metadata *_metadata)
{
	char buf[ARG_MAX] = { 0 };
	int bad = 0;

	bad += CHECK(NID_UTIL, net_task_nid(0));
	bad += CHECK(NID_UTIL, vs_sys64(VCMD_task_xid, 0, NULL));
	bad += CHECK(1, file_has("/proc/self/status", "NxID:\t4310\n"));
	bad += CHECK(-ESRCH, net_task_nid(1));
	/* Its own network context: it may read, not change or leave it */
	bad += CHECK(0, vs_sys64(VCMD_get_nflags, NID_UTIL, buf));
	bad += CHECK(0, vs_sys64(VCMD_get_ncaps, 0x80000000U, buf));
	bad += CHECK(0, vs_sys64(VCMD_nx_info, 0x80000000U, buf));
	bad += CHECK(NID_UTIL, *(uint32_t *)buf);
	bad += CHECK(-EPERM, add4(NID_UTIL, "10.43.10.3", "255.255.255.0"));
	bad += CHECK(-EPERM, add4(0x80000000U, "10.43.10.3", "255.255.255.0"));
	bad += CHECK(-EPERM, net_rem4(NID_UTIL, NXA_TYPE_ANY, 0, 0));
	bad += CHECK(-EPERM, add6(NID_UTIL, "fd43:10::3", 64));
	bad += CHECK(-EPERM, net_set_flags(NID_UTIL, NXF_PERSISTENT,
					   NXF_PERSISTENT));
	bad += CHECK(-EPERM, net_set_flags(NID_UTIL, 0, NXF_STATE_ADMIN));
	bad += CHECK(-EPERM, net_set_caps(NID_UTIL, ~0ULL, ~0ULL));
	bad += CHECK(-EPERM, net_create(4311, NXF_INIT_SET));
	bad += CHECK(-EPERM, net_migrate(VX_NID_WATCH));
	bad += CHECK(-EPERM, net_migrate(NID_UTIL));
	/* Nor see another */
	bad += CHECK(-ESRCH, vs_sys64(VCMD_get_nflags, NID_OPEN, buf));
	bad += CHECK(0, nid_listed(NID_OPEN));
	bad += CHECK(1, nid_listed(NID_UTIL));
	/* Its sockets: its address only, no packet sockets */
	bad += CHECK(0, try_bind("10.43.10.2", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.43.10.3", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.43.11.1", SOCK_DGRAM, 0, B_FREEBIND));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_INET6, SOCK_STREAM, 0));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_PACKET, SOCK_RAW,
					       htons(ETH_P_ALL)));
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP,
				     IP_TRANSPARENT));
	/*
	 * Raw sockets for ICMP only, which NXC_RAW_ICMP (nattribute
	 * --secure) gives though the ceiling lacks CAP_NET_RAW
	 */
	bad += CHECK(0, try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_RAW, IPPROTO_ICMP, SOL_IP,
				     IP_HDRINCL));
	return bad;
}

/*
 * The guest's init: the same checks once it executes a program of its
 * own, which leaves it the credentials of the context.  The child runs
 * "net_test peer util-guest", whose exit status is the number of checks
 * that went wrong.
 */
static int guest_after_exec(struct __test_metadata *_metadata)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/proc/self/exe", "net_test", "peer", "util-guest",
		      (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		TH_LOG("the guest's program did not run");
		return 1;
	}
	if (WEXITSTATUS(status))
		TH_LOG("after execve: %d checks went wrong",
		       WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

static int util_start(struct __test_metadata *_metadata, const char *arg)
{
	struct vcmd_net_caps_v0 cp = { .ncaps = 0x100, .cmask = 0x100 };
	struct vcmd_net_flags_v0 fl = { .flagword = 0x2000000,
					.mask = 0x2000000 };
	struct vcmd_net_addr_ipv4_v1 a = {
		.type = 0x0010, .flags = 0, .ip = ip4("10.43.10.2"),
		.mask = ip4("255.255.255.0"),
	};
	int bad = 0;
	long nid;

	/* ncontext --create --nid 4310 */
	nid = syscall(VSERVER_NR_X86_64, 0x19010001, NID_UTIL, NULL);
	if (nid != NID_UTIL) {
		TH_LOG("net_create: %ld (%s)", nid, strerror(errno));
		return -1;
	}
	/* nattribute --set --secure: its own nid, then caps and flags */
	nid = syscall(VSERVER_NR_X86_64, 0x2E020000, 0, NULL);
	bad += CHECK(NID_UTIL, nid);
	bad += CHECK(0, syscall(VSERVER_NR_X86_64, 0x34080000, nid, &cp));
	bad += CHECK(0, syscall(VSERVER_NR_X86_64, 0x34060000, nid, &fl));
	/* naddress --add --ip 10.43.10.2/24 */
	bad += CHECK(0, syscall(VSERVER_NR_X86_64, 0x1A010001, nid, &a));
	bad += CHECK(UTIL_FLAGS, nflags(NID_UTIL));
	bad += CHECK(NXC_RAW_ICMP, ncaps(NID_UTIL));
	/* vcontext --create: the guest's context, then its init */
	bad += CHECK(NID_UTIL, create(NID_UTIL, VXF_INIT_SET));
	bad += CHECK(0, end_setup(NID_UTIL));
	bad += guest_checks(_metadata);
	return bad + guest_after_exec(_metadata);
}

TEST(util_vserver_starts_a_guest_that_keeps_to_its_network)
{
	ASSERT_EQ(0, net_make_persistent(NID_OPEN, NXF_INIT_SET));
	EXPECT_EQ(0, in_child(_metadata, util_start, NULL));
	/* Both end with the guest's last task */
	EXPECT_TRUE(nid_gone(NID_UTIL));
	EXPECT_EQ(-ESRCH, ctx_tasks(NID_UTIL));
	net_end_persistent(NID_OPEN);
	EXPECT_TRUE(nid_gone(NID_OPEN));
}

/* Socket families */

static int family_checks(struct __test_metadata *_metadata, const char *arg)
{
	const uint32_t self = 0x80000000U;
	int bad = 0;

	if (enter_new(_metadata, 4312, NXF_INIT_SET))
		return -1;
	/* No address yet: IPv4 through NXF_LBACK_REMAP, no IPv6 */
	bad += CHECK(0, try_socket(AF_INET, SOCK_STREAM, 0));
	bad += CHECK(0, try_socket(AF_INET, SOCK_DGRAM, 0));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_INET6, SOCK_STREAM, 0));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_INET6, SOCK_DGRAM, 0));
	bad += CHECK(0, try_socket(AF_UNIX, SOCK_STREAM, 0));
	bad += CHECK(0, try_socket(AF_UNIX, SOCK_DGRAM, 0));
	bad += CHECK(0, try_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_PACKET, SOCK_RAW,
					       htons(ETH_P_ALL)));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_PACKET, SOCK_DGRAM,
					       htons(ETH_P_IP)));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_APPLETALK, SOCK_DGRAM, 0));
	/* An IPv6 entry opens IPv6 */
	bad += CHECK(0, add6(self, "fd43:12::2", 64));
	bad += CHECK(0, try_socket(AF_INET6, SOCK_STREAM, 0));
	bad += CHECK(0, try_socket(AF_INET6, SOCK_DGRAM, 0));
	/* Without NXF_LBACK_REMAP, IPv4 needs an IPv4 entry */
	bad += CHECK(0, net_set_flags(self, 0, NXF_LBACK_REMAP));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_INET, SOCK_STREAM, 0));
	bad += CHECK(0, add4(self, "10.43.12.2", "255.255.255.0"));
	bad += CHECK(0, try_socket(AF_INET, SOCK_STREAM, 0));
	/* Removing all IPv6 entries closes IPv6 again */
	bad += CHECK(0, net_rem6(self, NXA_TYPE_ANY, 0,
				 (uint8_t[16]){ 0 }, NULL));
	bad += CHECK(-EAFNOSUPPORT, try_socket(AF_INET6, SOCK_DGRAM, 0));
	bad += CHECK(0, try_socket(AF_INET, SOCK_DGRAM, 0));
	return bad;
}

TEST(a_network_context_opens_only_the_families_it_has_addresses_of)
{
	/* The host may, so the refusals below are the network context's */
	EXPECT_EQ(0, try_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
	EXPECT_EQ(0, try_socket(AF_INET6, SOCK_DGRAM, 0));
	EXPECT_EQ(0, in_child(_metadata, family_checks, NULL));
	EXPECT_TRUE(nid_gone(4312));
}

/* Addresses: bind */

/*
 * The namespace of 4313 has on lo an address of the list and one that
 * is not (.9) in each family: the second shows that the list decides,
 * and B_FREEBIND binds that the namespace alone would allow.
 */
static int bind_checks(struct __test_metadata *_metadata, const char *arg)
{
	const uint32_t self = 0x80000000U;
	int bad = 0;

	if (enter_new(_metadata, 4313, NXF_INIT_SET) ||
	    add4(self, "10.43.13.2", "255.255.255.0") ||
	    net_add4(self, NXA_TYPE_MASK, ip4("10.44.0.0"),
		     ip4("255.255.0.0")) ||
	    add6(self, "fd43:13::2", 64) ||
	    add6_mask(self, "fd44:13::", "ffff:ffff:ffff:ffff::", 64) ||
	    nl_addr(RTM_NEWADDR, "10.43.13.2", 32, 1) ||
	    nl_addr(RTM_NEWADDR, "10.43.13.9", 32, 1) ||
	    nl_addr(RTM_NEWADDR, "fd43:13::2", 128, 1) ||
	    nl_addr(RTM_NEWADDR, "fd43:13::9", 128, 1)) {
		TH_LOG("cannot set up network context 4313");
		return -1;
	}
	/* IPv4, TCP and UDP */
	bad += CHECK(0, try_bind("0.0.0.0", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("127.0.0.1", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("127.9.9.9", SOCK_DGRAM, 0, 0));
	bad += CHECK(0, try_bind("10.43.13.2", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("10.43.13.2", SOCK_DGRAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("10.43.13.9", SOCK_STREAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("10.43.13.9", SOCK_DGRAM, 0, 0));
	/* An ADDR entry is its address and its network's broadcast */
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.43.13.3", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(0, try_bind("10.43.13.255", SOCK_DGRAM, 0, B_FREEBIND));
	bad += CHECK(0, try_bind("255.255.255.255", SOCK_DGRAM, 0,
				 B_FREEBIND));
	/* A MASK entry, every address of its network */
	bad += CHECK(0, try_bind("10.44.7.7", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.45.0.1", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.99.0.1", SOCK_DGRAM, 0, B_FREEBIND));
	/* The loopback and broadcast addresses it was given */
	bad += CHECK(0, add4_type(self, NXA_TYPE_ADDR | NXA_MOD_BCAST,
				  "10.46.255.255", "0.0.0.0"));
	bad += CHECK(0, try_bind("10.46.255.255", SOCK_DGRAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.46.0.1", SOCK_DGRAM, 0, B_FREEBIND));
	/* Multicast only with NXC_MULTICAST */
	bad += CHECK(-EADDRNOTAVAIL, try_bind("224.1.2.3", SOCK_DGRAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("ff0e::1:2", SOCK_DGRAM, 0, 0));
	bad += CHECK(0, net_set_caps(self, NXC_MULTICAST, NXC_MULTICAST));
	bad += CHECK(0, try_bind("224.1.2.3", SOCK_DGRAM, 0, 0));
	bad += CHECK(0, try_bind("ff0e::1:2", SOCK_DGRAM, 0, 0));
	/* IPv6 */
	bad += CHECK(0, try_bind("::", SOCK_STREAM, 0, B_V6ONLY));
	bad += CHECK(0, try_bind("::1", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("fd43:13::2", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("fd43:13::2", SOCK_DGRAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("fd43:13::9", SOCK_STREAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("fd43:13::9", SOCK_DGRAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("fd43:13::3", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(0, try_bind("fd44:13::77", SOCK_STREAM, 0, B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("fd45::1", SOCK_DGRAM, 0, B_FREEBIND));
	/* IPv4-mapped: checked against the IPv4 entries */
	bad += CHECK(0, try_bind("::ffff:10.43.13.2", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("::ffff:127.0.0.1", SOCK_DGRAM, 0, 0));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("::ffff:10.43.13.9", SOCK_STREAM, 0, 0));
	bad += CHECK(0, try_bind("::ffff:10.44.1.1", SOCK_DGRAM, 0,
				 B_FREEBIND));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("::ffff:10.99.0.1", SOCK_DGRAM,
					      0, B_FREEBIND));
	/* Raw sockets */
	bad += CHECK(0, net_set_caps(self, NXC_RAW_ICMP, NXC_RAW_ICMP));
	bad += CHECK(0, try_bind("10.43.13.2", SOCK_RAW, IPPROTO_ICMP, 0));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("10.43.13.9", SOCK_RAW, IPPROTO_ICMP, 0));
	bad += CHECK(-EADDRNOTAVAIL, try_bind("10.99.0.1", SOCK_RAW,
					      IPPROTO_ICMP, B_FREEBIND));
	bad += CHECK(0, try_bind("fd43:13::2", SOCK_RAW, IPPROTO_ICMPV6, 0));
	bad += CHECK(-EADDRNOTAVAIL,
		     try_bind("fd43:13::9", SOCK_RAW, IPPROTO_ICMPV6, 0));
	return bad;
}

TEST(sockets_of_a_network_context_bind_only_its_addresses)
{
	/* The host binds what the namespace allows */
	EXPECT_EQ(0, try_bind("10.99.0.1", SOCK_DGRAM, 0, B_FREEBIND));
	EXPECT_EQ(0, try_bind("fd45::1", SOCK_DGRAM, 0, B_FREEBIND));
	EXPECT_EQ(0, in_child(_metadata, bind_checks, NULL));
	EXPECT_TRUE(nid_gone(4313));
}

/* Addresses: sending, and the options that would get around them */

static int send_checks(struct __test_metadata *_metadata, const char *arg)
{
	const uint32_t self = 0x80000000U;
	int bad = 0, fd, rx;

	if (enter_new(_metadata, 4314, NXF_INIT_SET) ||
	    add4(self, "10.43.14.2", "255.255.255.0") ||
	    add6(self, "fd43:14::2", 64) ||
	    net_set_caps(self, NXC_RAW_ICMP, NXC_RAW_ICMP) ||
	    nl_addr(RTM_NEWADDR, "10.43.14.2", 32, 1) ||
	    nl_addr(RTM_NEWADDR, "10.43.14.9", 32, 1) ||
	    nl_addr(RTM_NEWADDR, "fd43:14::2", 128, 1) ||
	    nl_addr(RTM_NEWADDR, "fd43:14::9", 128, 1)) {
		TH_LOG("cannot set up network context 4314");
		return -1;
	}
	/* IP_PKTINFO: the source must be one of its own */
	rx = udp_bound("127.0.0.1", 43140);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bad += CHECK(1, rx >= 0 && fd >= 0);
	bad += CHECK(1, send_pktinfo(fd, "10.43.14.2", "127.0.0.1", 43140));
	bad += CHECK_STR("10.43.14.2", recv_source(rx));
	bad += CHECK(-EPERM, send_pktinfo(fd, "10.43.14.9", "127.0.0.1",
					  43140));
	bad += CHECK(-EPERM, send_pktinfo(fd, "10.99.0.1", "127.0.0.1",
					  43140));
	bad += CHECK_STR("", recv_source(rx));
	bad += CHECK(1, send_pktinfo(fd, "127.0.0.1", "127.0.0.1", 43140));
	bad += CHECK(1, send_pktinfo(fd, "0.0.0.0", "127.0.0.1", 43140));
	close(fd);
	close(rx);
	/* IPV6_PKTINFO */
	rx = udp_bound("::1", 43140);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bad += CHECK(1, rx >= 0 && fd >= 0);
	bad += CHECK(1, send_pktinfo(fd, "fd43:14::2", "::1", 43140));
	bad += CHECK_STR("fd43:14::2", recv_source(rx));
	bad += CHECK(-EPERM, send_pktinfo(fd, "fd43:14::9", "::1", 43140));
	bad += CHECK(-EPERM, send_pktinfo(fd, "::ffff:10.43.14.9", "::1",
					  43140));
	bad += CHECK_STR("", recv_source(rx));
	bad += CHECK(1, send_pktinfo(fd, "::", "::1", 43140));
	close(fd);
	close(rx);
	/* No header of its own, no transparent proxying */
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_RAW, IPPROTO_ICMP, SOL_IP,
				     IP_HDRINCL));
	bad += CHECK(-EPERM, try_opt(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6,
				     SOL_IPV6, IPV6_HDRINCL));
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP,
				     IP_TRANSPARENT));
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_STREAM, 0, SOL_IP,
				     IP_TRANSPARENT));
	bad += CHECK(-EPERM, try_opt(AF_INET6, SOCK_DGRAM, 0, SOL_IPV6,
				     IPV6_TRANSPARENT));
	/* Other options stay */
	bad += CHECK(0, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP, IP_FREEBIND));
	bad += CHECK(0, try_opt(AF_INET6, SOCK_DGRAM, 0, SOL_IPV6,
				IPV6_FREEBIND));
	bad += CHECK(0, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP, IP_PKTINFO));
	return bad;
}

TEST(a_network_context_sends_only_from_its_addresses)
{
	/* The host may set these options */
	EXPECT_EQ(0, try_opt(AF_INET, SOCK_RAW, IPPROTO_ICMP, SOL_IP,
			     IP_HDRINCL));
	EXPECT_EQ(0, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP, IP_TRANSPARENT));
	EXPECT_EQ(0, try_opt(AF_INET6, SOCK_DGRAM, 0, SOL_IPV6,
			     IPV6_TRANSPARENT));
	EXPECT_EQ(0, in_child(_metadata, send_checks, NULL));
	EXPECT_TRUE(nid_gone(4314));
}

/* Raw ICMP */

/* An ICMP echo request to 127.0.0.1 through a new raw socket: 0 or -errno */
static int ping_raw(void)
{
	unsigned char pkt[8] = { 8, 0, 0xf7, 0xff, 0, 0, 0, 0 };
	struct saddr to = saddr_of("127.0.0.1", 0);
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	int ret;

	if (fd < 0)
		return -errno;
	ret = sendto(fd, pkt, sizeof(pkt), 0, &to.sa, to.len) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int raw_host_root(struct __test_metadata *_metadata, const char *arg)
{
	const uint32_t self = 0x80000000U;
	int bad = 0;

	if (enter_new(_metadata, 4315, NXF_INIT_SET) ||
	    add6(self, "fd43:15::2", 64))
		return -1;
	/* Not even root of the host, without NXC_RAW_ICMP */
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	bad += CHECK(-EPERM, try_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	bad += CHECK(0, net_set_caps(self, NXC_RAW_ICMP, NXC_RAW_ICMP));
	bad += CHECK(0, ping_raw());
	bad += CHECK(0, try_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	/* ICMP only */
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMPV6));
	bad += CHECK(-EPERM, try_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMP));
	bad += CHECK(-EPERM, try_socket(AF_INET6, SOCK_RAW, IPPROTO_TCP));
	return bad;
}

/* A guest of context 4316 (VXC_RAW_ICMP, no CAP_NET_RAW) in a new nid */
static int raw_guest(struct __test_metadata *_metadata, const char *arg)
{
	uint32_t nid = arg ? 4316 : 4317;
	int want = arg ? 0 : -EPERM, bad = 0;

	if (enter_new(_metadata, nid, NXF_INIT_SET) ||
	    add6(0x80000000U, "fd43:16::2", 64) ||
	    (arg && net_set_caps(nid, NXC_RAW_ICMP, NXC_RAW_ICMP)) ||
	    migrate(4316, 0)) {
		TH_LOG("cannot set up the guest in network context %u", nid);
		return -1;
	}
	bad += CHECK(want, ping_raw());
	bad += CHECK(want, try_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
	bad += CHECK(-EPERM, try_socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	bad += CHECK(-EPERM, try_opt(AF_INET, SOCK_RAW, IPPROTO_ICMP, SOL_IP,
				     IP_HDRINCL));
	return bad;
}

TEST(raw_icmp_needs_the_network_capability)
{
	EXPECT_EQ(0, in_child(_metadata, raw_host_root, NULL));
	ASSERT_EQ(0, make_persistent(4316, 0));
	ASSERT_EQ(0, ccaps_set(4316, VXC_RAW_ICMP, VXC_RAW_ICMP));
	ASSERT_EQ(0, ceiling_set(4316, 0, CAP(CAP_NET_RAW)));
	ASSERT_EQ(0, end_setup(4316));
	EXPECT_EQ(0, in_child(_metadata, raw_guest, "with"));
	EXPECT_EQ(0, in_child(_metadata, raw_guest, NULL));
	end_persistent(4316);
	EXPECT_TRUE(nid_gone(4315));
	EXPECT_TRUE(nid_gone(4316));
	EXPECT_TRUE(nid_gone(4317));
}

/* Its own loopback and ports */

#define PORT_HOST	43180	/* the host listens on 127.0.0.1 */
#define PORT_GUEST	43181	/* the guest listens on 127.0.0.1 */

static int loopback_guest(struct __test_metadata *_metadata, const char *arg)
{
	const struct talk *t = (const void *)arg;
	int bad = 0, l1, l2, c, a;

	if (enter_new(_metadata, 4318, NXF_INIT_SET))
		return -1;
	/* The host's listener is not on this loopback */
	bad += CHECK(-ECONNREFUSED, try_connect("127.0.0.1", PORT_HOST));
	/* Its port is free here, and its own listener answers */
	l1 = listener("127.0.0.1", PORT_HOST, 0);
	l2 = listener("127.0.0.1", PORT_GUEST, 0);
	bad += CHECK(1, l1 >= 0 && l2 >= 0);
	c = connect_to("127.0.0.1", PORT_HOST);
	bad += CHECK(1, c >= 0);
	a = l1 >= 0 ? accept(l1, NULL, NULL) : -1;
	bad += CHECK(1, a >= 0);
	bad += CHECK(1, c >= 0 && a >= 0 && write(c, "g", 1) == 1 &&
			read(a, (char[1]){ 0 }, 1) == 1);
	close(a);
	close(c);
	say(t->up[1]);
	hear(t->down[0]);
	close(l1);
	close(l2);
	return bad;
}

TEST(a_network_context_has_its_own_loopback_and_ports)
{
	struct talk t;
	int host_l;
	pid_t pid;

	ASSERT_EQ(0, talk_open(&t));
	host_l = listener("127.0.0.1", PORT_HOST, 0);
	ASSERT_LE(0, host_l);
	pid = spawn(_metadata, loopback_guest, &t);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, hear(t.up[0]));
	/* The guest's listener is not on the host's loopback */
	EXPECT_EQ(-ECONNREFUSED, try_connect("127.0.0.1", PORT_GUEST));
	EXPECT_EQ(0, try_connect("127.0.0.1", PORT_HOST));
	say(t.down[1]);
	EXPECT_EQ(0, reap(pid));
	close(host_l);
	talk_close(&t);
	EXPECT_TRUE(nid_gone(4318));
}

/* A socket passed to the host keeps the rules of its network context */

static int passing_guest(struct __test_metadata *_metadata, const char *arg)
{
	const struct talk *t = (const void *)arg;
	struct saddr foreign = saddr_of("10.99.0.3", 0);
	int bad = 0, fd, host_fd;

	if (enter_new(_metadata, 4319, NXF_INIT_SET) ||
	    add4(0x80000000U, "10.43.19.2", "255.255.255.0"))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bad += CHECK(0, send_fd(t->sv[1], fd));
	close(fd);
	/* A socket of the host keeps the host's rules in here */
	host_fd = recv_fd(t->sv[1]);
	bad += CHECK(1, host_fd >= 0);
	bad += CHECK(0, set_opt(host_fd, SOL_IP, IP_FREEBIND));
	bad += CHECK(0, set_opt(host_fd, SOL_IP, IP_TRANSPARENT));
	bad += CHECK(0, bind(host_fd, &foreign.sa, foreign.len) ? -errno : 0);
	close(host_fd);
	return bad;
}

TEST(a_socket_passed_to_the_host_keeps_its_network_context_rules)
{
	struct saddr any = saddr_of("10.99.0.2", 0);
	struct saddr own = saddr_of("10.43.19.2", 0);
	struct talk t;
	int fd, host_fd, rx;
	pid_t pid;

	ASSERT_EQ(0, talk_open(&t));
	pid = spawn(_metadata, passing_guest, &t);
	ASSERT_LT(0, pid);
	fd = recv_fd(t.sv[0]);
	ASSERT_LE(0, fd);
	host_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_EQ(0, send_fd(t.sv[0], host_fd));
	close(host_fd);

	/* Whoever holds it: the guest's list and options */
	EXPECT_EQ(0, set_opt(fd, SOL_IP, IP_FREEBIND));
	EXPECT_EQ(-EPERM, set_opt(fd, SOL_IP, IP_TRANSPARENT));
	EXPECT_EQ(-EADDRNOTAVAIL, bind(fd, &any.sa, any.len) ? -errno : 0);
	rx = udp_bound("127.0.0.1", 43190);
	EXPECT_LE(0, rx);
	EXPECT_EQ(-EPERM, send_pktinfo(fd, "10.99.0.2", "127.0.0.1", 43190));
	EXPECT_EQ(0, bind(fd, &own.sa, own.len) ? -errno : 0);
	EXPECT_EQ(0, reap(pid));
	/* It keeps the network context too, without any task in it */
	EXPECT_TRUE(nid_listed(4319));
	close(fd);
	close(rx);
	talk_close(&t);
	EXPECT_TRUE(nid_gone(4319));
}

/* How long a network context lives */

static int socket_giver(struct __test_metadata *_metadata, const char *arg)
{
	const struct talk *t = (const void *)arg;
	int fd;

	if (enter_new(_metadata, 4320, NXF_INIT_SET))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return send_fd(t->sv[1], fd) ? 1 : 0;
}

static int exists_checks(struct __test_metadata *_metadata, const char *arg)
{
	uint32_t nid = (uintptr_t)arg;
	int bad = 0;

	bad += CHECK(-EEXIST, net_create(nid, NXF_INIT_SET));
	bad += CHECK(0, net_migrate(nid));
	bad += CHECK_STR("Tasks:\t1", virtnet_line(nid, "status", "Tasks:"));
	return bad;
}

static int net_counter(const char *name)
{
	return read_number("/proc/virtnet/status", name);
}

/* How many network contexts /proc/virtnet lists */
static int nr_listed(void)
{
	DIR *d = opendir("/proc/virtnet");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
	closedir(d);
	return n;
}

/*
 * Wait until the counters of /proc/virtnet/status are still: network
 * contexts of earlier tests may still be on their way out.
 */
static void settle_counters(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (net_counter("#CActive:\t") == nr_listed() &&
		    net_counter("#CTotal:\t") == nr_listed())
			return;
		usleep(50000);
	}
}

TEST(a_socket_keeps_its_network_context_until_it_is_closed)
{
	struct talk t;
	int fd, i, total, active;
	pid_t pid;

	settle_counters();
	total = net_counter("#CTotal:\t");
	active = net_counter("#CActive:\t");
	ASSERT_LE(0, total);
	ASSERT_EQ(0, talk_open(&t));
	pid = spawn(_metadata, socket_giver, &t);
	ASSERT_LT(0, pid);
	fd = recv_fd(t.sv[0]);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, reap(pid));
	/* No task left in it: the socket holds it */
	EXPECT_TRUE(nid_listed(4320));
	EXPECT_STREQ("Tasks:\t0", virtnet_line(4320, "status", "Tasks:"));
	EXPECT_EQ(NXF_INIT_SET, nflags(4320));
	EXPECT_EQ(active + 1, net_counter("#CActive:\t"));
	EXPECT_EQ(0, in_child(_metadata, exists_checks,
			      (void *)(uintptr_t)4320));
	close(fd);
	EXPECT_TRUE(nid_gone(4320));
	EXPECT_EQ(-ESRCH, net_get_flags(4320, &(uint64_t){ 0 }, NULL));
	for (i = 0; i < 100 && (net_counter("#CTotal:\t") != total ||
				net_counter("#CActive:\t") != active); i++)
		usleep(50000);
	EXPECT_EQ(total, net_counter("#CTotal:\t"));
	EXPECT_EQ(active, net_counter("#CActive:\t"));
	talk_close(&t);
}

TEST(a_persistent_network_context_lives_without_tasks)
{
	const uint32_t nid = 4321;
	pid_t holder;

	ASSERT_EQ(0, net_make_persistent(nid, NXF_INIT_SET));
	EXPECT_TRUE(nid_listed(nid));
	EXPECT_STREQ("Tasks:\t0", virtnet_line(nid, "status", "Tasks:"));
	EXPECT_EQ(0, in_child(_metadata, exists_checks, (void *)(uintptr_t)nid));
	EXPECT_STREQ("Tasks:\t0", virtnet_line(nid, "status", "Tasks:"));
	EXPECT_TRUE(nid_listed(nid));
	EXPECT_EQ(0, net_set_caps(nid, NXC_RAW_ICMP, NXC_RAW_ICMP));
	EXPECT_EQ(0, add4(nid, "10.43.21.2", "255.255.255.0"));
	/*
	 * Clearing the flag ends it; creating it again at once waits until
	 * the old one is gone, and gives a new one
	 */
	net_end_persistent(nid);
	ASSERT_EQ(0, net_make_persistent(nid, NXF_INIT_SET));
	EXPECT_EQ(0ULL, ncaps(nid));
	EXPECT_EQ(0, file_has("/proc/virtnet/4321/info", "10.43.21.2"));
	net_end_persistent(nid);
	EXPECT_TRUE(nid_gone(nid));
	/* Set later, it keeps a network context its last task left */
	holder = start_in_net(nid, NXF_INIT_SET);
	ASSERT_LT(0, holder);
	EXPECT_EQ(0, net_set_flags(nid, NXF_PERSISTENT, NXF_PERSISTENT));
	stop_child(holder);
	usleep(100000);
	EXPECT_TRUE(nid_listed(nid));
	EXPECT_STREQ("Tasks:\t0", virtnet_line(nid, "status", "Tasks:"));
	net_end_persistent(nid);
	EXPECT_TRUE(nid_gone(nid));
}

/* /proc/virtnet */

static int virtnet_own_only(struct __test_metadata *_metadata,
			    const char *arg)
{
	char buf[512];
	int bad = 0;

	bad += CHECK(0, net_migrate(4322));
	bad += CHECK(1, dir_has("/proc/virtnet", "4322"));
	bad += CHECK(0, dir_has("/proc/virtnet", "4323"));
	bad += CHECK(1, dir_has("/proc/virtnet", "info"));
	bad += CHECK(1, dir_has("/proc/virtnet", "status"));
	bad += CHECK(-ENOENT, slurp("/proc/virtnet/4323/status", buf,
				    sizeof(buf)));
	bad += CHECK(-ENOENT, slurp("/proc/virtnet/4323/info", buf,
				    sizeof(buf)));
	bad += CHECK(1, slurp("/proc/virtnet/4322/status", buf,
			      sizeof(buf)) > 0);
	bad += CHECK(1, slurp("/proc/virtnet/status", buf, sizeof(buf)) > 0);
	return bad;
}

static int virtnet_none(struct __test_metadata *_metadata, const char *arg)
{
	char buf[512];
	int bad = 0;

	bad += CHECK(0, dir_has("/proc/virtnet", "4322"));
	bad += CHECK(0, dir_has("/proc/virtnet", "4323"));
	bad += CHECK(-ENOENT, slurp("/proc/virtnet/4322/info", buf,
				    sizeof(buf)));
	return bad;
}

static int virtnet_all(struct __test_metadata *_metadata, const char *arg)
{
	int bad = 0;

	if (arg)
		bad += CHECK(VX_NID_WATCH, net_migrate(VX_NID_WATCH));
	bad += CHECK(1, dir_has("/proc/virtnet", "4322"));
	bad += CHECK(1, dir_has("/proc/virtnet", "4323"));
	bad += CHECK(1, file_has("/proc/virtnet/4323/status", "Tasks:"));
	return bad;
}

TEST(proc_virtnet_shows_each_task_what_it_may_see)
{
	char info[512], vinfo[512], line[128];
	int lines = 0;
	char *p;

	ASSERT_EQ(0, net_make_persistent(4322, NXF_INIT_SET));
	ASSERT_EQ(0, net_make_persistent(4323, NXF_INIT_SET));
	ASSERT_EQ(0, add4(4322, "192.168.1.10", "255.255.255.0"));
	ASSERT_EQ(0, add6(4322, "2001:db8::5", 64));

	/* The formats */
	ASSERT_LT(0, slurp("/proc/virtnet/4322/info", info, sizeof(info)));
	for (p = info; *p; p++)
		lines += *p == '\n';
	EXPECT_EQ(6, lines);
	EXPECT_STREQ("ID:\t4322", INFO(4322, "ID:"));
	snprintf(line, sizeof(line), "%s", INFO(4322, "Info:\t"));
	EXPECT_LT(6U, strlen(line));
	EXPECT_EQ(strlen(line), 6 + strspn(line + 6, "0123456789abcdef"));
	EXPECT_STREQ("Bcast:\t255.255.255.255", INFO(4322, "Bcast:"));
	EXPECT_STREQ("Lback:\t127.16.226.1", INFO(4322, "Lback:"));
	EXPECT_EQ(1, file_has("/proc/virtnet/4322/info",
			      "\n0:\t[192.168.1.10-0.0.0.0/255.255.255.0:0010]\n"
			      "0:\t[2001:0db8:0000:0000:0000:0000:0000:0005/"
			      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/64:0010]\n"));
	ASSERT_LT(0, slurp("/proc/virtnet/4323/status", info, sizeof(info)));
	EXPECT_EQ(0, strncmp(info, "UseCnt:\t", 8));
	p = strchr(info, '\n');
	ASSERT_NE(NULL, p);
	EXPECT_EQ(8 + strspn(info + 8, "0123456789"), (size_t)(p - info));
	EXPECT_STREQ("Tasks:\t0\nFlags:\t0000004406000200\n"
		     "NCaps:\t0000000000000000\n", p + 1);
	ASSERT_LT(0, slurp("/proc/virtnet/status", info, sizeof(info)));
	EXPECT_EQ(0, strncmp(info, "#CTotal:\t", 9));
	EXPECT_NE(NULL, strstr(info, "\n#CActive:\t"));
	ASSERT_LT(0, slurp("/proc/virtnet/info", info, sizeof(info)));
	ASSERT_LT(0, slurp("/proc/virtual/info", vinfo, sizeof(vinfo)));
	EXPECT_STREQ(vinfo, info);

	/* Who sees what */
	EXPECT_EQ(0, in_child(_metadata, virtnet_all, NULL));
	EXPECT_EQ(0, in_child(_metadata, virtnet_all, "spectator"));
	EXPECT_EQ(0, in_child(_metadata, virtnet_own_only, NULL));
	ASSERT_EQ(0, make_persistent(4322, 0));
	EXPECT_EQ(0, run_in(_metadata, 4322, virtnet_none, NULL));
	EXPECT_EQ(0, run_in(_metadata, VX_XID_SPECTATOR, virtnet_all, NULL));
	end_persistent(4322);

	net_end_persistent(4322);
	net_end_persistent(4323);
	EXPECT_TRUE(nid_gone(4322));
	EXPECT_TRUE(nid_gone(4323));
	/* Gone means gone for the host too */
	EXPECT_EQ(-ENOENT, slurp("/proc/virtnet/4322/info", info,
				 sizeof(info)));
}

/* What the namespace shows: /proc/net, rtnetlink */

#define PORT_TCP_HOST	43240	/* A8E8 */
#define PORT_TCP_GUEST	43241	/* A8E9 */

static int views_guest(struct __test_metadata *_metadata, const char *arg)
{
	const struct talk *t = (const void *)arg;
	char addrs[4096];
	int bad = 0, l;

	if (enter_new(_metadata, 4324, NXF_INIT_SET) ||
	    add4(0x80000000U, "10.43.24.2", "255.255.255.0") ||
	    nl_addr(RTM_NEWADDR, "10.43.24.2", 32, 1))
		return -1;
	l = listener("127.0.0.1", PORT_TCP_GUEST, 0);
	bad += CHECK(1, l >= 0);
	bad += CHECK(1, file_has("/proc/net/dev", "lo:"));
	bad += CHECK(1, file_has("/proc/net/dev", "sit0:"));
	bad += CHECK(0, file_has("/proc/net/dev", "dummy0:"));
	bad += CHECK(1, file_has("/proc/net/tcp", "0100007F:A8E9"));
	bad += CHECK(0, file_has("/proc/net/tcp", "0100007F:A8E8"));
	bad += CHECK(0, nl_dump_addrs(addrs, sizeof(addrs)));
	if (!strstr(addrs, " 1:10.43.24.2/32") ||
	    !strstr(addrs, " 1:127.0.0.1/8") ||
	    strstr(addrs, "10.43.24.99")) {
		TH_LOG("the guest's RTM_GETADDR dump:%s", addrs);
		bad++;
	}
	say(t->up[1]);
	hear(t->down[0]);
	close(l);
	return bad;
}

TEST(a_network_context_sees_only_its_devices_sockets_and_addresses)
{
	char addrs[4096];
	struct talk t;
	int l;
	pid_t pid;

	if (file_has("/proc/net/dev", "dummy0:") != 1)
		SKIP(return, "the host has no dummy0 (CONFIG_DUMMY)");
	ASSERT_EQ(0, talk_open(&t));
	l = listener("127.0.0.1", PORT_TCP_HOST, 0);
	EXPECT_LE(0, l);
	ASSERT_EQ(0, nl_addr(RTM_NEWADDR, "10.43.24.99", 32, 1));
	pid = spawn(_metadata, views_guest, &t);
	if (pid < 0)
		nl_addr(RTM_DELADDR, "10.43.24.99", 32, 1);
	ASSERT_LT(0, pid);
	if (hear(t.up[0]) == 0) {
		EXPECT_EQ(1, file_has("/proc/net/tcp", "0100007F:A8E8"));
		EXPECT_EQ(0, file_has("/proc/net/tcp", "0100007F:A8E9"));
		EXPECT_EQ(0, nl_dump_addrs(addrs, sizeof(addrs)));
		EXPECT_NE(NULL, strstr(addrs, " 1:10.43.24.99/32"));
		EXPECT_EQ(NULL, strstr(addrs, "10.43.24.2/"));
		say(t.down[1]);
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, nl_addr(RTM_DELADDR, "10.43.24.99", 32, 1));
	close(l);
	talk_close(&t);
	EXPECT_TRUE(nid_gone(4324));
}

/* The network spectator keeps the host's view */

static int spectator_view(struct __test_metadata *_metadata, const char *arg)
{
	int bad = 0;

	bad += CHECK(VX_NID_WATCH, net_migrate(VX_NID_WATCH));
	bad += CHECK(VX_NID_WATCH, net_task_nid(0));
	bad += CHECK(1, file_has("/proc/net/dev", "dummy0:"));
	bad += CHECK(1, nid_listed(4325));
	bad += CHECK(0, net_get_flags(4325, &(uint64_t){ 0 }, NULL));
	/* and the host's rules: it is in no network context */
	bad += CHECK(0, try_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
	bad += CHECK(0, try_bind("10.99.0.1", SOCK_DGRAM, 0, B_FREEBIND));
	bad += CHECK(0, try_opt(AF_INET, SOCK_DGRAM, 0, SOL_IP,
				IP_TRANSPARENT));
	/* It may still enter one */
	bad += CHECK(0, net_migrate(4325));
	bad += CHECK(4325, net_task_nid(0));
	bad += CHECK(0, file_has("/proc/net/dev", "dummy0:"));
	return bad;
}

TEST(a_network_spectator_keeps_the_host_view)
{
	if (file_has("/proc/net/dev", "dummy0:") != 1)
		SKIP(return, "the host has no dummy0 (CONFIG_DUMMY)");
	ASSERT_EQ(0, net_make_persistent(4325, NXF_INIT_SET));
	EXPECT_EQ(0, in_child(_metadata, spectator_view, NULL));
	net_end_persistent(4325);
	EXPECT_TRUE(nid_gone(4325));
}

/*
 * The peer of 080-net.bats: "net_test peer MODE ARGS...".
 *
 *   serve PORT NAME [ADDR]   listen on ADDR:PORT, or on 0.0.0.0:PORT and
 *                            [::]:PORT (IPV6_V6ONLY) at once; say
 *                            "listening", then answer every connection
 *                            with "NAME PEER" (the client's address) until
 *                            killed
 *   get ADDR PORT            connect and print the answer
 *   bind ADDR PORT           bind a TCP socket with IP_FREEBIND
 *                            (IPV6_FREEBIND), which the namespace alone
 *                            would allow
 *   socket FAMILY TYPE PROTO make a socket: FAMILY inet, inet6, packet,
 *                            unix or netlink; TYPE stream, dgram or raw;
 *                            PROTO a number, or icmp, icmpv6, udp, tcp
 *   util-guest               the checks of util-vserver's guest, after
 *                            its execve (the test runs it itself)
 *
 * A failure prints "WHAT: strerror" on stderr and exits 1; bad usage
 * exits 2.
 */

static int peer_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	return 1;
}

/* The address of @s as text, IPv4-mapped addresses as IPv4 */
static void addr_text(const struct sockaddr_storage *s, char *out, size_t len)
{
	const struct sockaddr_in6 *in6 = (const void *)s;
	const struct sockaddr_in *in = (const void *)s;

	if (s->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], out, len);
	else if (s->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &in6->sin6_addr, out, len);
	else
		inet_ntop(AF_INET, &in->sin_addr, out, len);
}

static int peer_serve(int port, const char *name, const char *addr)
{
	struct pollfd p[2];
	int n = 0, i, c;

	signal(SIGPIPE, SIG_IGN);
	if (addr) {
		p[n++].fd = listener(addr, port, B_V6ONLY);
	} else {
		p[n++].fd = listener("0.0.0.0", port, 0);
		p[n++].fd = listener("::", port, B_V6ONLY);
	}
	for (i = 0; i < n; i++) {
		if (p[i].fd < 0) {
			errno = -p[i].fd;
			return peer_fail("listen");
		}
		p[i].events = POLLIN;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if (poll(p, n, -1) < 0)
			continue;
		for (i = 0; i < n; i++) {
			struct sockaddr_storage from;
			socklen_t len = sizeof(from);
			char text[INET6_ADDRSTRLEN] = "?";

			if (!(p[i].revents & POLLIN))
				continue;
			c = accept(p[i].fd, (struct sockaddr *)&from, &len);
			if (c < 0)
				continue;
			addr_text(&from, text, sizeof(text));
			dprintf(c, "%s %s\n", name, text);
			close(c);
		}
	}
}

static int peer_get(const char *addr, int port)
{
	char buf[256];
	ssize_t n;
	int fd = connect_to(addr, port);

	if (fd < 0) {
		errno = -fd;
		return peer_fail("connect");
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	return n < 0 ? peer_fail("read") : 0;
}

static int peer_bind(const char *addr, int port)
{
	struct saddr s = saddr_of(addr, port);
	int fd = sock_for(addr, SOCK_STREAM, 0, B_FREEBIND);

	if (fd < 0) {
		errno = -fd;
		return peer_fail("socket");
	}
	if (bind(fd, &s.sa, s.len))
		return peer_fail("bind");
	close(fd);
	return 0;
}

static int peer_socket(const char *family, const char *type,
		       const char *proto)
{
	static const struct {
		const char *name;
		int value;
	} families[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 },
		{ "packet", AF_PACKET }, { "unix", AF_UNIX },
		{ "netlink", AF_NETLINK },
	}, types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM },
		{ "raw", SOCK_RAW },
	}, protos[] = {
		{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
		{ "udp", IPPROTO_UDP }, { "tcp", IPPROTO_TCP },
	};
	int f = -1, t = -1, p = -1;
	unsigned int i;
	char *end;

	for (i = 0; i < NR(families); i++)
		if (!strcmp(family, families[i].name))
			f = families[i].value;
	for (i = 0; i < NR(types); i++)
		if (!strcmp(type, types[i].name))
			t = types[i].value;
	for (i = 0; i < NR(protos); i++)
		if (!strcmp(proto, protos[i].name))
			p = protos[i].value;
	if (p < 0) {
		p = (int)strtol(proto, &end, 0);
		if (*end || !*proto)
			p = -1;
	}
	if (f < 0 || t < 0 || p < 0) {
		fprintf(stderr, "net_test peer: bad socket %s %s %s\n", family,
			type, proto);
		return 2;
	}
	if (f == AF_PACKET)
		p = htons(p ? p : ETH_P_ALL);
	if (fd_result(socket(f, t, p)))
		return peer_fail("socket");
	return 0;
}

/* The second half of util_vserver_starts_a_guest_that_keeps_to_its_network */
static int peer_util_guest(void)
{
	struct __test_metadata md;
	int bad;

	memset(&md, 0, sizeof(md));
	md.name = "util_vserver_guest_after_execve";
	bad = guest_checks(&md);
	return bad > 100 ? 100 : bad;
}

static int peer_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "serve") && (argc == 4 || argc == 5))
		return peer_serve(atoi(argv[2]), argv[3],
				  argc == 5 ? argv[4] : NULL);
	if (!strcmp(mode, "get") && argc == 4)
		return peer_get(argv[2], atoi(argv[3]));
	if (!strcmp(mode, "bind") && argc == 4)
		return peer_bind(argv[2], atoi(argv[3]));
	if (!strcmp(mode, "socket") && argc == 5)
		return peer_socket(argv[2], argv[3], argv[4]);
	if (!strcmp(mode, "util-guest") && argc == 2)
		return peer_util_guest();
	fprintf(stderr, "usage: net_test peer serve PORT NAME [ADDR] |\n"
		"       get ADDR PORT | bind ADDR PORT |\n"
		"       socket FAMILY TYPE PROTO\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "peer"))
		return peer_main(argc - 1, argv + 1);
	return test_harness_run(argc, argv);
}
