// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Signals by name or number; see signame.h.
 */

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "signame.h"

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP",	SIGHUP },
	{ "INT",	SIGINT },
	{ "QUIT",	SIGQUIT },
	{ "ILL",	SIGILL },
	{ "TRAP",	SIGTRAP },
	{ "ABRT",	SIGABRT },
	{ "IOT",	SIGIOT },
	{ "BUS",	SIGBUS },
	{ "FPE",	SIGFPE },
	{ "KILL",	SIGKILL },
	{ "USR1",	SIGUSR1 },
	{ "SEGV",	SIGSEGV },
	{ "USR2",	SIGUSR2 },
	{ "PIPE",	SIGPIPE },
	{ "ALRM",	SIGALRM },
	{ "TERM",	SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT",	SIGSTKFLT },
#endif
	{ "CHLD",	SIGCHLD },
	{ "CLD",	SIGCHLD },
	{ "CONT",	SIGCONT },
	{ "STOP",	SIGSTOP },
	{ "TSTP",	SIGTSTP },
	{ "TTIN",	SIGTTIN },
	{ "TTOU",	SIGTTOU },
	{ "URG",	SIGURG },
	{ "XCPU",	SIGXCPU },
	{ "XFSZ",	SIGXFSZ },
	{ "VTALRM",	SIGVTALRM },
	{ "PROF",	SIGPROF },
	{ "WINCH",	SIGWINCH },
	{ "IO",		SIGIO },
	{ "POLL",	SIGPOLL },
#ifdef SIGPWR
	{ "PWR",	SIGPWR },
#endif
	{ "SYS",	SIGSYS },
};

#define NR_SIGNALS	(sizeof(signals) / sizeof(signals[0]))

const char *signal_name(int sig)
{
	size_t i;

	for (i = 0; i < NR_SIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n", within SIGRTMIN..SIGRTMAX */
static int parse_realtime(const char *str)
{
	bool from_min = strncasecmp(str, "RTMIN", 5) == 0;
	uint32_t offset = 0;
	int sig;

	if (!from_min && strncasecmp(str, "RTMAX", 5) != 0)
		return -1;
	str += 5;
	if (*str) {
		if (*str != (from_min ? '+' : '-') ||
		    parse_u32(str + 1, 10, &offset) != 0 ||
		    offset > (uint32_t)(SIGRTMAX - SIGRTMIN))
			return -1;
	}
	sig = from_min ? SIGRTMIN + (int)offset : SIGRTMAX - (int)offset;
	return sig;
}

int parse_signal(const char *str)
{
	uint32_t num;
	size_t i;
	int sig;

	if (isdigit((unsigned char)*str)) {
		if (parse_u32(str, 10, &num) == 0 && num <= (uint32_t)SIGRTMAX)
			return (int)num;
		errno = EINVAL;
		return -1;
	}
	if (strncasecmp(str, "SIG", 3) == 0)
		str += 3;
	for (i = 0; i < NR_SIGNALS; i++)
		if (strcasecmp(signals[i].name, str) == 0)
			return signals[i].sig;
	sig = parse_realtime(str);
	if (sig < 0)
		errno = EINVAL;
	return sig;
}
