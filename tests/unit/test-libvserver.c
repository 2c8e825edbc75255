// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvserver's behaviour that can be checked on any kernel: argument checks,
 * and the error convention when the running kernel lacks the system call.
 * Built twice, against the static and the shared library.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <vserver.h>

#include "tap.h"

#define SKIP_HAS_VSERVER	"running kernel has vserver support"
#define SKIP_NO_VSERVER		"running kernel has no vserver support"

int main(void)
{
	uint32_t vci = 0xDEADBEEF;
	bool nosys, disabled;
	int r, support;
	long ret;

	tap_plan(8);

	errno = 0;
	r = vs_get_vci(NULL);
	tap_ok(r == -1 && errno == EINVAL,
	       "vs_get_vci(NULL) fails with EINVAL");

#if defined(__x86_64__)
	tap_ok(VS_SYSCALL_NR == VSERVER_NR_X86_64,
	       "VS_SYSCALL_NR is VSERVER_NR_X86_64 on x86_64");
#else
	tap_ok(VS_SYSCALL_NR == VSERVER_NR_I386,
	       "VS_SYSCALL_NR is VSERVER_NR_I386 on i386");
#endif

	/* Ask the kernel directly, the way the library does */
	errno = 0;
	ret = syscall(VS_SYSCALL_NR, 0UL, 63UL, NULL);
	nosys = ret == -1 && errno == ENOSYS;
	disabled = ret == -1 && errno == EOPNOTSUPP;
	tap_diag("raw syscall(%d, 0, 63, NULL) = %ld, errno %d",
		 VS_SYSCALL_NR, ret, ret == -1 ? errno : 0);

	if (nosys) {
		errno = 0;
		r = vs_get_version();
		tap_ok(r == -1 && errno == ENOSYS,
		       "vs_get_version() fails with ENOSYS without kernel "
		       "support");
		errno = 0;
		r = vs_get_vci(&vci);
		tap_ok(r == -1 && errno == ENOSYS,
		       "vs_get_vci() fails with ENOSYS without kernel support");
		tap_ok(vci == 0xDEADBEEF, "vs_get_vci() leaves *vci alone on "
		       "failure");
		tap_skip(SKIP_NO_VSERVER);
		tap_skip(SKIP_NO_VSERVER);
	} else {
		tap_skip(SKIP_HAS_VSERVER);
		tap_skip(SKIP_HAS_VSERVER);
		tap_skip(SKIP_HAS_VSERVER);
		errno = 0;
		r = vs_get_version();
		tap_ok(r >= 0 && r == ret && errno == 0,
		       "vs_get_version() returns the kernel's answer and "
		       "leaves errno alone");
		r = vs_get_vci(&vci);
		tap_ok(r == 0 && errno == 0,
		       "vs_get_vci() succeeds and leaves errno alone");
	}

	support = nosys ? VS_SUPPORT_MISSING :
		  disabled ? VS_SUPPORT_DISABLED : VS_SUPPORT_ENABLED;
	errno = 0;
	r = vs_support();
	tap_ok(r == support && errno == 0,
	       "vs_support() says %s and leaves errno alone",
	       nosys ? "VS_SUPPORT_MISSING" : disabled ?
	       "VS_SUPPORT_DISABLED" : "VS_SUPPORT_ENABLED");
	return tap_done();
}
