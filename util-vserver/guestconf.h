/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration of a guest: where guests live, their names, and the
 * files of a guest's configuration directory, one value per file:
 *
 *   context                  the xid, 2..65535
 *   name                     the context name (default: the guest's name)
 *   uts/<field>              sysname, nodename, release, version, machine,
 *                            domainname: what uname(2) shows inside
 *   bcapabilities            the capability ceiling: the safe set of
 *                            "vctx create --secure", with the names
 *                            listed added, those prefixed ~ or ! removed
 *   ccapabilities            the context capabilities to set
 *   cflags                   context flags to set at creation
 *   rlimits/<res>            the soft and hard limit of a resource;
 *   rlimits/<res>.soft       <res>.soft and <res>.hard override one of
 *   rlimits/<res>.hard       them
 *   vdir                     a symbolic link to the root directory
 *   apps/init/cmd.start      the init, one argument per line (default
 *                            /sbin/init)
 *   apps/init/cmd.stop       what stops the guest from inside (default:
 *                            SIGTERM to the init)
 *   scripts/<hook>           pre-start, post-start, pre-stop, post-stop:
 *                            executables run on the host
 *
 * and the network of the guest, which gets a network context of its own
 * when interfaces/ has an address:
 *
 *   ncontext                 the nid, 2..65535 (default: the xid)
 *   noncontext               (exists) no network context: the guest
 *                            shares the host's network; no interfaces
 *   nflags                   network flags to set besides hide_netif
 *   ncapabilities            network capabilities to set besides raw_icmp
 *   interfaces/dev           defaults for every interfaces/<iface>/:
 *   interfaces/prefix        the host device, the prefix length or the
 *   interfaces/mask          dotted netmask (IPv4)
 *   interfaces/bcast         the broadcast address of the context (IPv4)
 *   interfaces/lback         its loopback address (IPv4, "A" or "A/P")
 *   interfaces/<iface>/ip    an address, IPv4 or IPv6; required
 *   .../prefix, .../mask     its prefix length, or dotted netmask (IPv4);
 *                            without either, the default, else /32 or /128
 *   .../dev, .../nodev       the host device whose LAN reaches the address
 *                            (proxy ARP or NDP), or none; one is needed
 *   .../name                 a label, kept for util-vserver's layout
 *   .../disabled             (exists) the interface is left out
 *
 * Single values may end in newlines, which are dropped.  The list files
 * (bcapabilities, ccapabilities, cflags, nflags, ncapabilities) have one
 * entry, or a comma separated list, per line; blank lines and lines
 * starting with '#' are ignored.  The interfaces are read in name order.  Names starting with '.' or ending in '~' are ignored
 * everywhere; any other file is an error.
 *
 * Nothing here asks the kernel, prints or exits: an error is one message
 * naming the file and the reason ("/etc/vservers/web/bcapabilities:
 * unknown capability 'CAP_FOO'").
 */

#ifndef VSERVER_UTILS_GUESTCONF_H
#define VSERVER_UTILS_GUESTCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vserver.h>

#include "netlink.h"
#include "rlimit.h"

/* Where guests live, each replaced by its environment variable if set */
enum guest_dir {
	GUEST_CONFDIR,		/* $VSERVER_CONFDIR, /etc/vservers */
	GUEST_ROOTDIR,		/* $VSERVER_ROOTDIR, /vservers */
	GUEST_RUNDIR,		/* $VSERVER_RUNDIR, /run/vservers */
	GUEST_LOGDIR,		/* $VSERVER_LOGDIR, /var/log/vservers */
	NR_GUEST_DIRS
};

/* The directory which is, and the variable that names it */
const char *guest_dir(enum guest_dir which);
const char *guest_dir_env(enum guest_dir which);

/*
 * guest_dirs_check - every directory is an absolute path; otherwise a
 * message in err ("VSERVER_CONFDIR must be an absolute path, not 'x'")
 * and -1.
 */
int guest_dirs_check(char *err, size_t errlen);

/* The longest guest name: a context name must hold it */
#define GUEST_NAME_MAX	(VHILEN - 1)

/*
 * guest_name_check - NULL when name can name a guest, else why not: a
 * letter first, then letters, digits, '.', '_' and '-', at most
 * GUEST_NAME_MAX of them, and not a command word of vserver.
 */
const char *guest_name_check(const char *name);

/* The words a guest may not be named after */
extern const char *const guest_reserved_names[];

/* Hooks, in scripts/ */
enum guest_hook {
	HOOK_PRE_START,
	HOOK_POST_START,
	HOOK_PRE_STOP,
	HOOK_POST_STOP,
	NR_GUEST_HOOKS
};

extern const char *const guest_hook_names[NR_GUEST_HOOKS];

/* The init when apps/init/cmd.start is missing */
#define GUEST_DEFAULT_INIT	"/sbin/init"

/* The parts of a configuration guest_config_load() reads */
#define GUEST_CONF_IDENT	0x01	/* context, name */
#define GUEST_CONF_CONTEXT	0x02	/* uts, caps, cflags, rlimits */
#define GUEST_CONF_ROOT		0x04	/* vdir and the root */
#define GUEST_CONF_INIT		0x08	/* apps/init */
#define GUEST_CONF_HOOKS	0x10	/* scripts */
#define GUEST_CONF_NET		0x20	/* the network; reads IDENT too */
#define GUEST_CONF_KNOWN	0x3f	/* every part, unknown files allowed */
#define GUEST_CONF_ALL		0xff	/* all; no unknown files */

/* The longest host device name (IFNAMSIZ - 1) */
#define GUEST_DEV_MAX	15

/* One address of a guest, from interfaces/<iface>/ */
struct guest_iface {
	char *name;			/* <iface> */
	struct vs_net_addr addr;	/* ip, with its prefix length */
	char dev[GUEST_DEV_MAX + 1];	/* the host device; "" with nodev */
	char label[GUEST_DEV_MAX + 1];	/* name; "" when not set */
};

struct guest_config {
	char name[GUEST_NAME_MAX + 1];
	char *dir;		/* <confdir>/<name> */
	uint32_t xid;
	char ctxname[VHILEN];
	/* uts[VHIN_SYSNAME..VHIN_DOMAINNAME], "" when not set */
	char uts[VHIN_DOMAINNAME + 1][VHILEN];
	uint64_t bcaps[2];	/* to add to and remove from the safe set */
	uint64_t ccaps[2];	/* to set, and to clear */
	uint64_t cflags;	/* to set at creation */
	/* limits[0..nlimits), in the order of rlimit_resources[] */
	struct rlimit_setting *limits;
	size_t nlimits;
	char *root;		/* the target of vdir, canonical */
	char **start_argv;	/* NULL-terminated */
	char **stop_argv;	/* NULL when there is no cmd.stop */
	char *hooks[NR_GUEST_HOOKS];	/* paths; NULL when absent */
	/* The network: a network context when nifaces is not 0 */
	bool noncontext;
	uint32_t nid;
	uint64_t nflags[2];	/* to set and to clear, besides hide_netif */
	uint64_t ncaps[2];	/* to set and to clear, besides raw_icmp */
	bool has_bcast, has_lback;
	struct vs_net_addr bcast;	/* IPv4 */
	struct vs_net_addr lback;	/* IPv4; prefix 0 when not given */
	struct guest_iface *ifaces;	/* in name order, without disabled */
	size_t nifaces;
};

/* guest_has_net - guest c has a network context of its own */
static inline bool guest_has_net(const struct guest_config *c)
{
	return c->nifaces != 0;
}

/*
 * guest_config_load - read and check the parts (GUEST_CONF_*) of the
 * configuration of guest name below confdir into *c.
 *
 * Returns 0.  Returns -1 with the first error in err (nothing is left
 * allocated then): "no guest named 'web' in /etc/vservers", or "<file>:
 * <reason>".  Files are read in a fixed order, and the entries of a
 * directory in name order, so the same configuration always gives the
 * same message.
 */
int guest_config_load(const char *confdir, const char *name,
		      unsigned int parts, struct guest_config *c,
		      char *err, size_t errlen);

/*
 * guest_config_check_files - check that every file of the configuration
 * of c (loaded with GUEST_CONF_KNOWN) is one vserver reads.
 *
 * Returns 0, or -1 with the first unknown file in err: a file of
 * util-vserver's configuration that vserver does not read is named as
 * such, with what to use instead.
 */
int guest_config_check_files(struct guest_config *c, char *err,
			     size_t errlen);

/* guest_config_free - free what guest_config_load() allocated */
void guest_config_free(struct guest_config *c);

/*
 * guest_read_value - the contents of the regular file path, without its
 * trailing newlines, in a malloc'ed string in *value: 0, or -1 with errno
 * (ENOENT: no such file; EINVAL: not a regular file, a NUL byte, or more
 * than one line; EFBIG: larger than 64 KiB).
 */
int guest_read_value(const char *path, char **value);

/*
 * guest_dev_check - NULL when name can name a network device, else why
 * not: 1 to GUEST_DEV_MAX bytes, no '/', ':' or white space, not "." or
 * "..".
 */
const char *guest_dev_check(const char *name);

#endif /* VSERVER_UTILS_GUESTCONF_H */
