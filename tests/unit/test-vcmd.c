// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command word encoding and constants of <linux/vserver.h> against the
 * documented values.  Compile-time checks come first; the same facts are
 * checked again at run time so that they show up in the TAP report.
 */

#include <stddef.h>
#include <stdint.h>

#include <linux/vserver.h>

#include "tap.h"

/* Documented values of the historic VCI interface */
_Static_assert(VCMD_get_version == 0x00000000, "VCMD_get_version");
_Static_assert(VCMD_get_vci == 0x00010000, "VCMD_get_vci");
_Static_assert(VC_CMD(0x3F, 0xFF, 0xFFF) == 0x3FFF0FFF, "VC_CMD maximum");
_Static_assert((VC_CMD(0x3F, 0xFF, 0xFFF) & VC_CMD_RESERVED_BITS) == 0,
	       "VC_CMD sets no reserved bit");
_Static_assert((0x3FFF0FFFu | VC_CMD_RESERVED_BITS) == 0xFFFFFFFFu,
	       "every bit is either a command bit or reserved");
_Static_assert(VSERVER_NR_X86_64 == 236, "x86_64 syscall number");
_Static_assert(VSERVER_NR_I386 == 273, "i386 syscall number");

_Static_assert(VCI_NO_DYNAMIC == 0x00000001, "VCI_NO_DYNAMIC");
_Static_assert(VCI_PROC_SECURE == 0x00000010, "VCI_PROC_SECURE");
_Static_assert(VCI_COWBL == 0x00000100, "VCI_COWBL");
_Static_assert(VCI_FULLCOWBL == 0x00000200, "VCI_FULLCOWBL");
_Static_assert(VCI_SPACES == 0x00000400, "VCI_SPACES");
_Static_assert(VCI_NETV2 == 0x00000800, "VCI_NETV2");
_Static_assert(VCI_MEMCG == 0x00001000, "VCI_MEMCG");
_Static_assert(VCI_MEMCG_SWAP == 0x00002000, "VCI_MEMCG_SWAP");
_Static_assert(VCI_DEBUG == 0x00010000, "VCI_DEBUG");
_Static_assert(VCI_HISTORY == 0x00100000, "VCI_HISTORY");
_Static_assert(VCI_TAGGED_MASK == 0x07000000, "VCI_TAGGED_MASK");
_Static_assert(VCI_PPTAG == 0x10000000, "VCI_PPTAG");

/* Capability commands: the historic command words and layouts */
_Static_assert(sizeof(struct vcmd_bcaps) == 16, "struct vcmd_bcaps");
_Static_assert(sizeof(struct vcmd_ctx_caps_v1) == 16,
	       "struct vcmd_ctx_caps_v1");
_Static_assert(sizeof(struct vcmd_umask) == 16, "struct vcmd_umask");
_Static_assert(VXC_SET_UTSNAME == 0x1, "VXC_SET_UTSNAME");
_Static_assert(VXC_RAW_ICMP == 0x100, "VXC_RAW_ICMP");

#define ENTRY(name)	{ name, #name }

static const struct {
	uint32_t value;
	const char *name;
	uint32_t documented;
} commands[] = {
	{ VCMD_get_ccaps,	"VCMD_get_ccaps",	0x34030001 },
	{ VCMD_set_ccaps,	"VCMD_set_ccaps",	0x34040001 },
	{ VCMD_get_bcaps,	"VCMD_get_bcaps",	0x34090000 },
	{ VCMD_set_bcaps,	"VCMD_set_bcaps",	0x340A0000 },
	{ VCMD_get_umask,	"VCMD_get_umask",	0x340D0000 },
	{ VCMD_set_umask,	"VCMD_set_umask",	0x340E0000 },
	{ VCMD_set_vhi_name,	"VCMD_set_vhi_name",	0x02010000 },
	{ VCMD_get_vhi_name,	"VCMD_get_vhi_name",	0x02020000 },
};

static const struct {
	uint32_t value;
	const char *name;
} categories[] = {
	ENTRY(VC_CAT_VERSION),	ENTRY(VC_CAT_VSETUP),	ENTRY(VC_CAT_VHOST),
	ENTRY(VC_CAT_DEVICE),	ENTRY(VC_CAT_VPROC),	ENTRY(VC_CAT_PROCALT),
	ENTRY(VC_CAT_PROCMIG),	ENTRY(VC_CAT_PROCTRL),	ENTRY(VC_CAT_SCHED),
	ENTRY(VC_CAT_MEMCTRL),	ENTRY(VC_CAT_VNET),	ENTRY(VC_CAT_NETALT),
	ENTRY(VC_CAT_NETMIG),	ENTRY(VC_CAT_NETCTRL),	ENTRY(VC_CAT_TAGMIG),
	ENTRY(VC_CAT_DLIMIT),	ENTRY(VC_CAT_INODE),	ENTRY(VC_CAT_VSTAT),
	ENTRY(VC_CAT_VINFO),	ENTRY(VC_CAT_EVENT),	ENTRY(VC_CAT_FLAGS),
	ENTRY(VC_CAT_VSPACE),	ENTRY(VC_CAT_DEBUG),	ENTRY(VC_CAT_RLIMIT),
	ENTRY(VC_CAT_SYSTEST),	ENTRY(VC_CAT_COMPAT),
};

/* Single-bit features; the tagged field is checked on its own */
static const struct {
	uint32_t value;
	const char *name;
} vci_bits[] = {
	ENTRY(VCI_NO_DYNAMIC),	ENTRY(VCI_PROC_SECURE),	ENTRY(VCI_COWBL),
	ENTRY(VCI_FULLCOWBL),	ENTRY(VCI_SPACES),	ENTRY(VCI_NETV2),
	ENTRY(VCI_MEMCG),	ENTRY(VCI_MEMCG_SWAP),	ENTRY(VCI_DEBUG),
	ENTRY(VCI_HISTORY),	ENTRY(VCI_PPTAG),
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const uint32_t numbers[] = { 0, 1, 0x55, 0x7F, 0x80, 0xFF };
static const uint32_t versions[] = { 0, 1, 0x100, 0x800, 0xFFF };

/* Every (number, version) pair of category cat round-trips cleanly */
static bool category_round_trips(uint32_t cat)
{
	size_t n, v;

	for (n = 0; n < ARRAY_SIZE(numbers); n++) {
		for (v = 0; v < ARRAY_SIZE(versions); v++) {
			uint32_t cmd = VC_CMD(cat, numbers[n], versions[v]);

			if (VC_CATEGORY(cmd) != cat ||
			    VC_COMMAND(cmd) != numbers[n] ||
			    VC_VERSION(cmd) != versions[v] ||
			    (cmd & VC_CMD_RESERVED_BITS)) {
				tap_diag("VC_CMD(%u, 0x%x, 0x%x) = 0x%08x",
					 cat, numbers[n], versions[v], cmd);
				return false;
			}
		}
	}
	return true;
}

int main(void)
{
	uint32_t seen = 0, all = 0, cmd;
	bool distinct = true;
	size_t i, j;

	tap_plan(18 + ARRAY_SIZE(categories) + ARRAY_SIZE(vci_bits) +
		 ARRAY_SIZE(commands));

	tap_is_u32(VCMD_get_version, 0x00000000,
		   "VCMD_get_version is 0x00000000");
	tap_is_u32(VCMD_get_vci, 0x00010000, "VCMD_get_vci is 0x00010000");
	tap_is_u32(VC_CMD(0x3F, 0xFF, 0xFFF), 0x3FFF0FFF,
		   "VC_CMD(0x3F, 0xFF, 0xFFF) is 0x3FFF0FFF");

	cmd = VC_CMD(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu);
	tap_is_u32(cmd & VC_CMD_RESERVED_BITS, 0,
		   "VC_CMD masks out-of-range fields instead of setting "
		   "reserved bits");
	tap_is_u32(VC_CATEGORY(0xFFFFFFFFu), VC_CAT_MASK,
		   "VC_CATEGORY extracts 6 bits");
	tap_is_u32(VC_COMMAND(0xFFFFFFFFu), VC_NUM_MASK,
		   "VC_COMMAND extracts 8 bits");
	tap_is_u32(VC_VERSION(0xFFFFFFFFu), VC_VER_MASK,
		   "VC_VERSION extracts 12 bits");
	tap_is_u32(VSERVER_NR_X86_64, 236, "VSERVER_NR_X86_64 is 236");
	tap_is_u32(VSERVER_NR_I386, 273, "VSERVER_NR_I386 is 273");

	for (i = 0; i < ARRAY_SIZE(categories); i++) {
		for (j = 0; j < i; j++)
			if (categories[i].value == categories[j].value)
				distinct = false;
		tap_ok(categories[i].value <= VC_CAT_MASK &&
		       category_round_trips(categories[i].value),
		       "%s (%u) round-trips through VC_CMD without reserved "
		       "bits", categories[i].name, categories[i].value);
	}
	tap_ok(distinct, "the %zu categories are distinct",
	       ARRAY_SIZE(categories));

	tap_is_u32(VCI_NO_DYNAMIC, 1, "VCI_NO_DYNAMIC is 1");
	tap_is_u32(VCI_SPACES, 0x400, "VCI_SPACES is 0x400");
	tap_is_u32(VCI_NETV2, 0x800, "VCI_NETV2 is 0x800");
	tap_is_u32(VCI_MEMCG, 0x1000, "VCI_MEMCG is 0x1000");
	tap_is_u32(VCI_PPTAG, 0x10000000, "VCI_PPTAG is 0x10000000");
	tap_is_u32(VCI_TAGGED_MASK, 0x07000000,
		   "VCI_TAGGED_MASK is 0x07000000");
	tap_is_u32(VCI_TAGGED_MASK >> VCI_TAGGED_SHIFT, 7,
		   "VCI_TAGGED_SHIFT puts the tagged field at bit 0");

	for (i = 0; i < ARRAY_SIZE(vci_bits); i++) {
		uint32_t v = vci_bits[i].value;

		tap_ok(v && !(v & (v - 1)) && !(v & seen) &&
		       !(v & VCI_TAGGED_MASK),
		       "%s (0x%08x) is a single bit of its own",
		       vci_bits[i].name, v);
		seen |= v;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		tap_is_u32(commands[i].value, commands[i].documented,
			   "%s is 0x%08x", commands[i].name,
			   commands[i].documented);
	all = seen | VCI_TAGGED_MASK;
	tap_is_u32(all, 0x17113F11, "all VCI feature bits together are "
		   "0x17113F11");
	return tap_done();
}
