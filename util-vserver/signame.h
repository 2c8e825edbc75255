/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signals by name or number, as kill(1) takes them.
 */

#ifndef VSERVER_UTILS_SIGNAME_H
#define VSERVER_UTILS_SIGNAME_H

/*
 * parse_signal - the signal named by str: a number 0..SIGRTMAX, a name with
 * or without the "SIG" prefix in any case ("TERM", "sigterm"), or
 * "RTMIN+n" / "RTMAX-n".  Returns the signal, or -1 with errno EINVAL.
 */
int parse_signal(const char *str);

/* The name of signal sig without "SIG" ("TERM"), or NULL */
const char *signal_name(int sig);

#endif /* VSERVER_UTILS_SIGNAME_H */
