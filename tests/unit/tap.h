/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal TAP (Test Anything Protocol) producer for the unit tests.
 *
 *	tap_plan(n);
 *	tap_ok(cond, "description %d", x);
 *	tap_skip("reason");
 *	return tap_done();
 *
 * Output goes to stdout: "1..n", then "ok N - ..." / "not ok N - ..." /
 * "ok N # SKIP ...", with "# ..." diagnostics.  tap_done() returns the exit
 * status: 0 only if every test passed and the plan was met.
 */

#ifndef VS_TESTS_TAP_H
#define VS_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

static int tap_planned;
static int tap_run;
static int tap_failed;

static inline void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void __attribute__((format(printf, 1, 2)))
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline bool __attribute__((format(printf, 2, 3)))
tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return pass;
}

/* tap_ok() on two 32-bit values, with a diagnostic when they differ */
#define tap_is_u32(got, want, ...)					\
	do {								\
		uint32_t got_ = (got), want_ = (want);			\
									\
		if (!tap_ok(got_ == want_, __VA_ARGS__))		\
			tap_diag("got 0x%08x, expected 0x%08x",		\
				 got_, want_);				\
	} while (0)

static inline void tap_skip(const char *reason)
{
	tap_run++;
	printf("ok %d # SKIP %s\n", tap_run, reason);
	fflush(stdout);
}

static inline int tap_done(void)
{
	if (tap_run != tap_planned) {
		tap_diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed) {
		tap_diag("failed %d of %d tests", tap_failed, tap_run);
		return 1;
	}
	return 0;
}

#endif /* VS_TESTS_TAP_H */
