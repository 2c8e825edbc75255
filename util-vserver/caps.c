// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capability words of a context by name; see caps.h.
 */

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include <vserver.h>

#include "caps.h"
#include "common.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CAP_BIT(cap)	(1ULL << (cap))

/*
 * Context capabilities: every VXC_* bit of the ABI has its historic name,
 * so that a list written for another kernel is understood, but only the
 * bits marked supported are passed on.
 */
static const struct capname ccap_names[] = {
	{ "set_utsname",	VXC_SET_UTSNAME,	true },
	{ "set_rlimit",		VXC_SET_RLIMIT,		false },
	{ "fs_security",	VXC_FS_SECURITY,	false },
	{ "fs_trusted",		VXC_FS_TRUSTED,		false },
	{ "tiocsti",		VXC_TIOCSTI,		false },
	{ "raw_icmp",		VXC_RAW_ICMP,		true },
	{ "syslog",		VXC_SYSLOG,		false },
	{ "oom_adjust",		VXC_OOM_ADJUST,		false },
	{ "audit_control",	VXC_AUDIT_CONTROL,	false },
	{ "secure_mount",	VXC_SECURE_MOUNT,	false },
	{ "secure_remount",	VXC_SECURE_REMOUNT,	false },
	{ "binary_mount",	VXC_BINARY_MOUNT,	false },
	{ "dev_mount",		VXC_DEV_MOUNT,		false },
	{ "quota_ctl",		VXC_QUOTA_CTL,		false },
	{ "admin_mapper",	VXC_ADMIN_MAPPER,	false },
	{ "admin_cloop",	VXC_ADMIN_CLOOP,	false },
	{ "kthread",		VXC_KTHREAD,		false },
	{ "namespace",		VXC_NAMESPACE,		false },
	/* aliases: never printed */
	{ "utsname",		VXC_SET_UTSNAME,	true },
	{ "icmp",		VXC_RAW_ICMP,		true },
	{ "ping",		VXC_RAW_ICMP,		true },
};

/* The namespaces of unshare(1); only user namespaces can be in a umask */
static const struct capname umask_names[] = {
	{ "mount",		CLONE_NEWNS,		false },
	{ "uts",		CLONE_NEWUTS,		false },
	{ "ipc",		CLONE_NEWIPC,		false },
	{ "user",		CLONE_NEWUSER,		true },
	{ "pid",		CLONE_NEWPID,		false },
	{ "net",		CLONE_NEWNET,		false },
	{ "cgroup",		CLONE_NEWCGROUP,	false },
	{ "time",		CLONE_NEWTIME,		false },
};

const struct capword capword_bcaps = {
	.key = "bcaps",
	.what = "capability",
	.title = "Capabilities",
};

const struct capword capword_ccaps = {
	.key = "ccaps",
	.what = "ccap",
	.title = "Context capabilities",
	.unsupported = "is not supported by this kernel",
	.names = ccap_names,
	.nr_names = ARRAY_SIZE(ccap_names),
};

const struct capword capword_umask = {
	.key = "umask",
	.what = "namespace",
	.title = "Namespaces",
	.unsupported = "cannot be in the umask on this kernel",
	.names = umask_names,
	.nr_names = ARRAY_SIZE(umask_names),
};

/* The kernel's default ceiling is the preset: one definition, in the ABI */
const uint64_t bcaps_secure = VX_BCAPS_DEFAULT;

uint64_t capword_all(const struct capword *w)
{
	uint64_t bits = 0;
	size_t i;

	if (!w->names)
		return ~0ULL;
	for (i = 0; i < w->nr_names; i++)
		if (w->names[i].supported)
			bits |= w->names[i].bit;
	return bits;
}

uint64_t bcaps_valid(void)
{
	unsigned int n = cap_max_bits();

	return n >= 64 ? ~0ULL : CAP_BIT(n) - 1;
}

/*
 * The capability named name[0..len), "cap_chown", "CAP_CHOWN" or "chown",
 * as a bit in *bit.  cap_from_name() also takes numbers and matches only
 * a prefix ("cap_chownx"), so a name counts only when libcap gives it
 * back unchanged.
 */
static int lookup_capability(const char *name, size_t len, uint64_t *bit)
{
	char buf[sizeof("cap_") + 64];
	cap_value_t value;
	size_t off = 0, i;
	char *canonical;
	bool same;

	if (len == 0 || len >= 64)
		return -1;
	if (len <= 4 || strncasecmp(name, "cap_", 4) != 0) {
		memcpy(buf, "cap_", 4);
		off = 4;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && c != '_')
			return -1;
		buf[off + i] = (char)tolower(c);
	}
	buf[off + len] = '\0';

	if (cap_from_name(buf, &value) != 0 || value < 0 || value >= 64)
		return -1;
	canonical = cap_to_name(value);
	same = canonical && strcmp(canonical, buf) == 0;
	cap_free(canonical);
	if (!same)
		return -1;
	*bit = CAP_BIT(value);
	return 0;
}

static const struct capname *lookup_name(const struct capword *w,
					 const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < w->nr_names; i++)
		if (strlen(w->names[i].name) == len &&
		    strncasecmp(w->names[i].name, name, len) == 0)
			return &w->names[i];
	return NULL;
}

/* name[0..len) is word */
static bool is_word(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(name, word, len) == 0;
}

int caplist_parse(const struct capword *w, const char *list, uint64_t *set,
		  uint64_t *clear, const char **bad, size_t *badlen,
		  enum caplist_error *why)
{
	uint64_t to_set = *set, to_clear = *clear;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *name = p;
		bool negate = *p == '~' || *p == '!';
		enum caplist_error error = CAPLIST_UNKNOWN;
		uint64_t bits = 0;
		size_t namelen;
		bool found;

		if (negate)
			name++;
		namelen = len - (size_t)(name - p);

		if (is_word(name, namelen, "all")) {
			found = !negate;
			bits = capword_all(w);
		} else if (is_word(name, namelen, "none")) {
			found = !negate;
			bits = ~0ULL;
			negate = true;
		} else if (!w->names) {
			found = lookup_capability(name, namelen, &bits) == 0;
		} else {
			const struct capname *c = lookup_name(w, name,
							      namelen);

			found = c && c->supported;
			if (c && !c->supported)
				error = CAPLIST_UNSUPPORTED;
			if (c)
				bits = c->bit;
		}
		if (!found) {
			*bad = p;
			*badlen = len;
			*why = error;
			errno = EINVAL;
			return -1;
		}
		if (negate) {
			to_clear |= bits;
			to_set &= ~bits;
		} else {
			to_set |= bits;
			to_clear &= ~bits;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*set = to_set;
	*clear = to_clear;
	return 0;
}

const char *capword_name(const struct capword *w, uint64_t bit)
{
	size_t i;

	for (i = 0; i < w->nr_names; i++)
		if (w->names[i].bit == bit)
			return w->names[i].name;
	return NULL;
}

/*
 * Call show(f, name, &first) for each set bit of word that has a name, in
 * bit order; return the set bits without one.
 */
static uint64_t show_names(FILE *f, const struct capword *w,
			      uint64_t word, bool *first,
			      void (*show)(FILE *, const char *, bool *))
{
	uint64_t unnamed = 0;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		char *capname;

		if (!(word & CAP_BIT(bit)))
			continue;
		if (w->names) {
			const char *name = capword_name(w, CAP_BIT(bit));

			if (name)
				show(f, name, first);
			else
				unnamed |= CAP_BIT(bit);
			continue;
		}
		capname = cap_to_name(bit);
		if (capname)
			show(f, capname, first);
		else
			unnamed |= CAP_BIT(bit);
		cap_free(capname);
	}
	return unnamed;
}

static void show_text(FILE *f, const char *name, bool *first)
{
	fprintf(f, "%s%s", *first ? "" : ",", name);
	*first = false;
}

static void show_json(FILE *f, const char *name, bool *first)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_print_string(f, name);
}

void capword_print(FILE *f, const struct capword *w, uint64_t word)
{
	bool first = true;
	uint64_t unnamed = show_names(f, w, word, &first, show_text);

	if (unnamed) {
		fprintf(f, "%s0x%llx", first ? "" : ",",
			(unsigned long long)unnamed);
		first = false;
	}
	if (first)
		fputs("none", f);
}

void capword_print_json(FILE *f, const struct capword *w, uint64_t word)
{
	bool first = true;

	fputc('[', f);
	show_names(f, w, word, &first, show_json);
	fputc(']', f);
}

void capword_usage(FILE *f, const struct capword *w)
{
	const char *sep;
	size_t i, j;

	fprintf(f, "\n%s (--%s):\n", w->title, w->key);
	if (!w->names) {
		fputs(" the names of capabilities(7), with or without cap_\n",
		      f);
		return;
	}
	for (i = 0; i < w->nr_names; i++) {
		const struct capname *c = &w->names[i];

		/* Names the kernel lacks are understood, not offered */
		if (!c->supported || capword_name(w, c->bit) != c->name)
			continue;
		fprintf(f, " %s", c->name);
		sep = " (";
		for (j = i + 1; j < w->nr_names; j++) {
			if (w->names[j].bit != c->bit)
				continue;
			fprintf(f, "%s%s", sep, w->names[j].name);
			sep = ", ";
		}
		fputs(*sep == ',' ? ")\n" : "\n", f);
	}
}
