// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parsers of the utilities: context flag lists and their output
 * (util-vserver/flags.c), capability lists and their output (caps.c),
 * signal names (signame.c) and context ids (context.c).
 */

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include <vserver.h>

#include "caps.h"
#include "context.h"
#include "flags.h"
#include "signame.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *list;
	uint64_t set;
	uint64_t clear;
	const char *bad;	/* NULL: parses */
} flag_lists[] = {
	{ "private",		VXF_INFO_PRIVATE, 0, NULL },
	{ "persistent,hide_vinfo", VXF_PERSISTENT | VXF_HIDE_VINFO, 0, NULL },
	{ "~persistent",	0, VXF_PERSISTENT, NULL },
	{ "!private,setup",	VXF_STATE_SETUP, VXF_INFO_PRIVATE, NULL },
	{ "state_setup,state_init,state_admin", VXF_ONE_TIME, 0, NULL },
	{ "~setup,~init,~admin", 0, VXF_ONE_TIME, NULL },
	{ "PRIVATE,Persistent",	VXF_INFO_PRIVATE | VXF_PERSISTENT, 0, NULL },
	{ "private,~private",	0, VXF_INFO_PRIVATE, NULL },
	{ "~private,private",	VXF_INFO_PRIVATE, 0, NULL },
	{ "xyz",		0, 0, "xyz" },
	{ "private,xyz,init",	0, 0, "xyz" },
	{ "",			0, 0, "" },
	{ "private,",		0, 0, "" },
	{ "~",			0, 0, "~" },
	{ "~~private",		0, 0, "~~private" },
	{ " private",		0, 0, " private" },
	{ "priv",		0, 0, "priv" },
};

static const struct {
	uint64_t flagword;
	const char *text;
	const char *json;
} flag_outputs[] = {
	{ 0,			"none",		"[]" },
	{ VXF_PERSISTENT,	"persistent",	"[\"persistent\"]" },
	{ VXF_INIT_SET | VXF_INFO_PRIVATE,
	  "private,state_setup,state_init,state_admin",
	  "[\"private\",\"state_setup\",\"state_init\",\"state_admin\"]" },
	{ VXF_HIDE_VINFO | (1ULL << 63) | 1,
	  "hide_vinfo,0x8000000000000001", "[\"hide_vinfo\"]" },
	{ 1ULL << 40,		"0x10000000000", "[]" },
};

#define CAP(n)		(1ULL << (n))
#define ALL		(~0ULL)

static const struct {
	const struct capword *w;
	const char *list;
	uint64_t set;
	uint64_t clear;
	const char *bad;	/* NULL: parses */
	enum caplist_error why;
} cap_lists[] = {
	{ &capword_bcaps, "cap_chown",		CAP(0), 0, NULL, 0 },
	{ &capword_bcaps, "CAP_SYS_ADMIN",	CAP(21), 0, NULL, 0 },
	{ &capword_bcaps, "sys_admin,Net_Raw",	CAP(21) | CAP(13), 0, NULL, 0 },
	{ &capword_bcaps, "~kill,!setuid",	0, CAP(5) | CAP(7), NULL, 0 },
	{ &capword_bcaps, "cap_checkpoint_restore", CAP(40), 0, NULL, 0 },
	{ &capword_bcaps, "all",		ALL, 0, NULL, 0 },
	{ &capword_bcaps, "ALL,~chown",	ALL & ~CAP(0), CAP(0), NULL, 0 },
	{ &capword_bcaps, "none",		0, ALL, NULL, 0 },
	{ &capword_bcaps, "none,kill",	CAP(5), ALL & ~CAP(5), NULL, 0 },
	{ &capword_bcaps, "chown,~chown",	0, CAP(0), NULL, 0 },
	{ &capword_bcaps, "cap_foo",	0, 0, "cap_foo", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "chown,foo,kill",	0, 0, "foo", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "cap_chown1",		0, 0, "cap_chown1",
	  CAPLIST_UNKNOWN },
	{ &capword_bcaps, "cap_chow",		0, 0, "cap_chow",
	  CAPLIST_UNKNOWN },
	{ &capword_bcaps, "12",			0, 0, "12", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "cap_",		0, 0, "cap_", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "",			0, 0, "", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "chown,",		0, 0, "", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "~",			0, 0, "~", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "~all",		0, 0, "~all", CAPLIST_UNKNOWN },
	{ &capword_bcaps, " chown",	0, 0, " chown", CAPLIST_UNKNOWN },
	{ &capword_bcaps, "cap-chown",		0, 0, "cap-chown",
	  CAPLIST_UNKNOWN },
	{ &capword_ccaps, "set_utsname",	VXC_SET_UTSNAME, 0, NULL, 0 },
	{ &capword_ccaps, "utsname,PING", VXC_SET_UTSNAME | VXC_RAW_ICMP, 0,
	  NULL, 0 },
	{ &capword_ccaps, "~icmp",		0, VXC_RAW_ICMP, NULL, 0 },
	{ &capword_ccaps, "all",	VXC_SET_UTSNAME | VXC_RAW_ICMP, 0,
	  NULL, 0 },
	{ &capword_ccaps, "none",		0, ALL, NULL, 0 },
	{ &capword_ccaps, "utsname,syslog",	0, 0, "syslog",
	  CAPLIST_UNSUPPORTED },
	{ &capword_ccaps, "~secure_mount",	0, 0, "~secure_mount",
	  CAPLIST_UNSUPPORTED },
	{ &capword_ccaps, "hostname",		0, 0, "hostname",
	  CAPLIST_UNKNOWN },
	{ &capword_umask, "user",		CLONE_NEWUSER, 0, NULL, 0 },
	{ &capword_umask, "!user",		0, CLONE_NEWUSER, NULL, 0 },
	{ &capword_umask, "all",		CLONE_NEWUSER, 0, NULL, 0 },
	{ &capword_umask, "net",	0, 0, "net", CAPLIST_UNSUPPORTED },
	{ &capword_umask, "users",	0, 0, "users", CAPLIST_UNKNOWN },
};

static const struct {
	const struct capword *w;
	uint64_t word;
	const char *text;
	const char *json;
} cap_outputs[] = {
	{ &capword_bcaps, 0,			"none",	"[]" },
	{ &capword_bcaps, CAP(0) | CAP(21),	"cap_chown,cap_sys_admin",
	  "[\"cap_chown\",\"cap_sys_admin\"]" },
	{ &capword_ccaps, 0,			"none",	"[]" },
	{ &capword_ccaps, VXC_RAW_ICMP | VXC_SET_UTSNAME,
	  "set_utsname,raw_icmp", "[\"set_utsname\",\"raw_icmp\"]" },
	{ &capword_ccaps, VXC_SET_UTSNAME | CAP(63),
	  "set_utsname,0x8000000000000000", "[\"set_utsname\"]" },
	{ &capword_umask, CLONE_NEWUSER,	"user",	"[\"user\"]" },
	{ &capword_umask, 1,			"0x1",	"[]" },
};

static const struct {
	const char *str;
	int sig;		/* -1: invalid */
} signal_names[] = {
	{ "TERM",	SIGTERM },
	{ "SIGTERM",	SIGTERM },
	{ "term",	SIGTERM },
	{ "sigkill",	SIGKILL },
	{ "HUP",	SIGHUP },
	{ "CHLD",	SIGCHLD },
	{ "CLD",	SIGCHLD },
	{ "9",		9 },
	{ "0",		0 },
	{ "15",		15 },
	{ "RTMIN",	-2 },	/* SIGRTMIN, not a constant */
	{ "RTMIN+1",	-3 },	/* SIGRTMIN + 1 */
	{ "RTMAX-1",	-4 },	/* SIGRTMAX - 1 */
	{ "SIG",	-1 },
	{ "",		-1 },
	{ "TERMX",	-1 },
	{ "-9",		-1 },
	{ "+9",		-1 },
	{ "9x",		-1 },
	{ "65",		-1 },
	{ "4294967296",	-1 },
	{ "RTMIN+",	-1 },
	{ "RTMIN-1",	-1 },
	{ "RTMAX+1",	-1 },
	{ "RTMIN+100",	-1 },
	{ "SIGSIGTERM",	-1 },
};

static const struct {
	const char *str;
	uint32_t min;
	int err;		/* 0: parses to the number */
	uint32_t xid;
} xids[] = {
	{ "2",		VX_XID_MIN,	0,	2 },
	{ "42",		VX_XID_MIN,	0,	42 },
	{ "65535",	VX_XID_MIN,	0,	65535 },
	{ "65536",	VX_XID_MIN,	ERANGE,	0 },
	{ "70000",	VX_XID_MIN,	ERANGE,	0 },
	{ "1",		VX_XID_MIN,	ERANGE,	0 },
	{ "0",		VX_XID_MIN,	ERANGE,	0 },
	{ "1",		VX_XID_SPECTATOR, 0,	1 },
	{ "0",		VX_XID_HOST,	0,	0 },
	{ "4294967295",	VX_XID_HOST,	ERANGE,	0 },
	{ "4294967296",	VX_XID_HOST,	ERANGE,	0 },
	{ "-1",		VX_XID_HOST,	EINVAL,	0 },
	{ "12abc",	VX_XID_MIN,	EINVAL,	0 },
	{ "",		VX_XID_MIN,	EINVAL,	0 },
	{ "web",	VX_XID_MIN,	EINVAL,	0 },
};

static const struct {
	const char *str;
	bool number;
} xid_or_name[] = {
	{ "42",		true },
	{ "12abc",	true },
	{ "",		true },
	{ "web",	false },
	{ "-1",		false },
	{ "w3",		false },
};

/* Call print(f, flagword) and return what it wrote, or NULL */
static char *capture(void (*print)(FILE *, uint64_t), uint64_t flagword)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print(f, flagword);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_flag_lists(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_lists); i++) {
		uint64_t set = 0xAA, clear = 0xBB;
		const char *bad = NULL;
		size_t badlen = 0;
		int r;

		errno = 0;
		r = cflags_parse(flag_lists[i].list, &set, &clear, &bad,
				 &badlen);
		if (!flag_lists[i].bad) {
			tap_ok(r == 0 && set == flag_lists[i].set &&
			       clear == flag_lists[i].clear,
			       "flag list '%s' parses", flag_lists[i].list);
			continue;
		}
		if (!tap_ok(r == -1 && errno == EINVAL && set == 0xAA &&
			    clear == 0xBB && bad &&
			    badlen == strlen(flag_lists[i].bad) &&
			    strncmp(bad, flag_lists[i].bad, badlen) == 0,
			    "flag list '%s' is refused at '%s'",
			    flag_lists[i].list, flag_lists[i].bad))
			tap_diag("r %d, bad '%.*s'", r, (int)badlen,
				 bad ? bad : "");
	}
}

static void test_flag_table(void)
{
	uint64_t named = 0;
	bool distinct = true;
	size_t i, j;

	for (i = 0; i < nr_cflag_names; i++) {
		uint64_t bit = cflag_names[i].bit;

		if (!bit || (bit & (bit - 1)))
			distinct = false;
		for (j = 0; j < i; j++)
			if (strcasecmp(cflag_names[i].name,
				       cflag_names[j].name) == 0)
				distinct = false;
		named |= bit;
	}
	tap_ok(distinct, "every flag name is unique and names one bit");
	tap_ok(named == (VXF_INFO_PRIVATE | VXF_VIRT_UPTIME | VXF_HIDE_VINFO |
			 VXF_ONE_TIME | VXF_PERSISTENT),
	       "the flag table names exactly the VXF_* bits of the ABI");
	tap_ok(cflag_name(VXF_STATE_SETUP) &&
	       strcmp(cflag_name(VXF_STATE_SETUP), "state_setup") == 0,
	       "state_setup, not its alias, is the name printed");
}

static void test_flag_output(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_outputs); i++) {
		char *text = capture(cflags_print, flag_outputs[i].flagword);
		char *json = capture(cflags_print_json,
				     flag_outputs[i].flagword);

		if (!tap_ok(text && strcmp(text, flag_outputs[i].text) == 0,
			    "flagword 0x%llx prints as '%s'",
			    (unsigned long long)flag_outputs[i].flagword,
			    flag_outputs[i].text))
			tap_diag("got '%s'", text ? text : "(nothing)");
		if (!tap_ok(json && strcmp(json, flag_outputs[i].json) == 0,
			    "flagword 0x%llx prints as JSON %s",
			    (unsigned long long)flag_outputs[i].flagword,
			    flag_outputs[i].json))
			tap_diag("got '%s'", json ? json : "(nothing)");
		free(text);
		free(json);
	}
}

static void test_cap_lists(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cap_lists); i++) {
		uint64_t set = 0, clear = 0;
		enum caplist_error why = 0;
		const char *bad = NULL;
		size_t badlen = 0;
		int r;

		errno = 0;
		r = caplist_parse(cap_lists[i].w, cap_lists[i].list, &set,
				  &clear, &bad, &badlen, &why);
		if (!cap_lists[i].bad) {
			if (!tap_ok(r == 0 && set == cap_lists[i].set &&
				    clear == cap_lists[i].clear,
				    "%s list '%s' parses", cap_lists[i].w->key,
				    cap_lists[i].list))
				tap_diag("r %d, set 0x%llx, clear 0x%llx", r,
					 (unsigned long long)set,
					 (unsigned long long)clear);
			continue;
		}
		if (!tap_ok(r == -1 && errno == EINVAL && set == 0 &&
			    clear == 0 && bad && why == cap_lists[i].why &&
			    badlen == strlen(cap_lists[i].bad) &&
			    strncmp(bad, cap_lists[i].bad, badlen) == 0,
			    "%s list '%s' is refused at '%s' (%s)",
			    cap_lists[i].w->key, cap_lists[i].list,
			    cap_lists[i].bad,
			    cap_lists[i].why == CAPLIST_UNKNOWN ? "unknown" :
			    "unsupported"))
			tap_diag("r %d, bad '%.*s', why %d", r, (int)badlen,
				 bad ? bad : "", why);
	}
}

/* Lists apply on top of what earlier lists gave */
static void test_cap_lists_add_up(void)
{
	uint64_t set = 0, clear = 0;
	enum caplist_error why;
	const char *bad;
	size_t badlen;
	bool ok;

	ok = caplist_parse(&capword_bcaps, "chown,~kill", &set, &clear, &bad,
			   &badlen, &why) == 0 &&
	     caplist_parse(&capword_bcaps, "kill,~setuid", &set, &clear, &bad,
			   &badlen, &why) == 0;
	tap_ok(ok && set == (CAP(0) | CAP(5)) && clear == CAP(7),
	       "a second list adds to the first");
	ok = caplist_parse(&capword_bcaps, "setuid,foo", &set, &clear, &bad,
			   &badlen, &why) == -1;
	tap_ok(ok && set == (CAP(0) | CAP(5)) && clear == CAP(7),
	       "a bad list leaves what earlier lists gave alone");
}

/* Every name of a table is unique, names one bit and agrees with its alias */
static bool table_consistent(const struct capword *w)
{
	size_t i, j;

	for (i = 0; i < w->nr_names; i++) {
		uint64_t bit = w->names[i].bit;

		if (!bit || (bit & (bit - 1)))
			return false;
		for (j = 0; j < i; j++) {
			if (strcasecmp(w->names[i].name,
				       w->names[j].name) == 0)
				return false;
			if (w->names[j].bit == bit &&
			    w->names[j].supported != w->names[i].supported)
				return false;
		}
	}
	return true;
}

static void test_cap_tables(void)
{
	/* What the preset must never hold: each reaches past the context */
	const uint64_t escaping_caps = CAP(CAP_DAC_READ_SEARCH) |
		CAP(CAP_SYS_PTRACE) | CAP(CAP_SYS_ADMIN) |
		CAP(CAP_SYS_MODULE) | CAP(CAP_SYS_RAWIO) |
		CAP(CAP_MKNOD) | CAP(CAP_NET_ADMIN) |
		CAP(CAP_NET_RAW) | CAP(CAP_SYS_TIME);
	uint64_t named = 0;
	size_t i;

	tap_ok(table_consistent(&capword_ccaps),
	       "every ccap name is unique and agrees with its aliases");
	tap_ok(table_consistent(&capword_umask),
	       "every namespace name is unique and agrees with its aliases");
	for (i = 0; i < capword_ccaps.nr_names; i++)
		named |= capword_ccaps.names[i].bit;
	tap_ok(named == (VXC_SET_UTSNAME | VXC_SET_RLIMIT | VXC_FS_SECURITY |
			 VXC_FS_TRUSTED | VXC_TIOCSTI | VXC_RAW_ICMP |
			 VXC_SYSLOG | VXC_OOM_ADJUST | VXC_AUDIT_CONTROL |
			 VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT |
			 VXC_BINARY_MOUNT | VXC_DEV_MOUNT | VXC_QUOTA_CTL |
			 VXC_ADMIN_MAPPER | VXC_ADMIN_CLOOP | VXC_KTHREAD |
			 VXC_NAMESPACE),
	       "the ccap table names exactly the VXC_* bits of the ABI");
	tap_ok(capword_all(&capword_ccaps) ==
	       (VXC_SET_UTSNAME | VXC_RAW_ICMP),
	       "the supported ccaps are SET_UTSNAME and RAW_ICMP");
	tap_ok(capword_all(&capword_umask) == CLONE_NEWUSER,
	       "the supported umask is CLONE_NEWUSER");
	tap_ok(capword_name(&capword_ccaps, VXC_RAW_ICMP) &&
	       strcmp(capword_name(&capword_ccaps, VXC_RAW_ICMP),
		      "raw_icmp") == 0,
	       "raw_icmp, not its aliases, is the name printed");
	if (!tap_ok(bcaps_secure == VX_BCAPS_DEFAULT,
		    "the secure ceiling is VX_BCAPS_DEFAULT, the ceiling of "
		    "a new context"))
		tap_diag("got 0x%llx", (unsigned long long)bcaps_secure);
	tap_ok(!(bcaps_secure & escaping_caps),
	       "the secure ceiling has none of the capabilities that reach "
	       "beyond a context");
}

static void print_bcaps(FILE *f, uint64_t word)
{
	capword_print(f, &capword_bcaps, word);
}

static void print_bcaps_json(FILE *f, uint64_t word)
{
	capword_print_json(f, &capword_bcaps, word);
}

static void print_ccaps(FILE *f, uint64_t word)
{
	capword_print(f, &capword_ccaps, word);
}

static void print_ccaps_json(FILE *f, uint64_t word)
{
	capword_print_json(f, &capword_ccaps, word);
}

static void print_umask(FILE *f, uint64_t word)
{
	capword_print(f, &capword_umask, word);
}

static void print_umask_json(FILE *f, uint64_t word)
{
	capword_print_json(f, &capword_umask, word);
}

static void test_cap_output(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cap_outputs); i++) {
		const struct capword *w = cap_outputs[i].w;
		void (*print)(FILE *, uint64_t) =
			w == &capword_bcaps ? print_bcaps :
			w == &capword_ccaps ? print_ccaps : print_umask;
		void (*print_json)(FILE *, uint64_t) =
			w == &capword_bcaps ? print_bcaps_json :
			w == &capword_ccaps ? print_ccaps_json :
			print_umask_json;
		char *text = capture(print, cap_outputs[i].word);
		char *json = capture(print_json, cap_outputs[i].word);

		if (!tap_ok(text && strcmp(text, cap_outputs[i].text) == 0,
			    "%s 0x%llx prints as '%s'", w->key,
			    (unsigned long long)cap_outputs[i].word,
			    cap_outputs[i].text))
			tap_diag("got '%s'", text ? text : "(nothing)");
		if (!tap_ok(json && strcmp(json, cap_outputs[i].json) == 0,
			    "%s 0x%llx prints as JSON %s", w->key,
			    (unsigned long long)cap_outputs[i].word,
			    cap_outputs[i].json))
			tap_diag("got '%s'", json ? json : "(nothing)");
		free(text);
		free(json);
	}
}

static void test_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(signal_names); i++) {
		int want = signal_names[i].sig, got;

		if (want == -2)
			want = SIGRTMIN;
		else if (want == -3)
			want = SIGRTMIN + 1;
		else if (want == -4)
			want = SIGRTMAX - 1;
		errno = 0;
		got = parse_signal(signal_names[i].str);
		if (want < 0)
			tap_ok(got == -1 && errno == EINVAL,
			       "signal '%s' is refused", signal_names[i].str);
		else if (!tap_ok(got == want, "signal '%s' is %d",
				 signal_names[i].str, want))
			tap_diag("got %d", got);
	}
	tap_ok(signal_name(SIGTERM) && strcmp(signal_name(SIGTERM),
					      "TERM") == 0,
	       "signal %d is named TERM", SIGTERM);
}

static void test_xids(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xids); i++) {
		uint32_t xid = 0xDEADBEEF;
		int r;

		errno = 0;
		r = parse_xid(xids[i].str, xids[i].min, &xid);
		if (xids[i].err)
			tap_ok(r == -1 && errno == xids[i].err &&
			       xid == 0xDEADBEEF,
			       "context id '%s' (minimum %u) fails with %s",
			       xids[i].str, xids[i].min,
			       xids[i].err == ERANGE ? "ERANGE" : "EINVAL");
		else
			tap_ok(r == 0 && xid == xids[i].xid,
			       "context id '%s' (minimum %u) is %u",
			       xids[i].str, xids[i].min, xids[i].xid);
	}
	for (i = 0; i < ARRAY_SIZE(xid_or_name); i++)
		tap_ok(looks_like_xid(xid_or_name[i].str) ==
		       xid_or_name[i].number, "'%s' is taken as a %s",
		       xid_or_name[i].str,
		       xid_or_name[i].number ? "number" : "name");
}

int main(void)
{
	tap_plan(ARRAY_SIZE(flag_lists) + 3 + 2 * ARRAY_SIZE(flag_outputs) +
		 ARRAY_SIZE(cap_lists) + 2 + 8 + 2 * ARRAY_SIZE(cap_outputs) +
		 ARRAY_SIZE(signal_names) + 1 + ARRAY_SIZE(xids) +
		 ARRAY_SIZE(xid_or_name));
	test_flag_lists();
	test_flag_table();
	test_flag_output();
	test_cap_lists();
	test_cap_lists_add_up();
	test_cap_tables();
	test_cap_output();
	test_signals();
	test_xids();
	return tap_done();
}
