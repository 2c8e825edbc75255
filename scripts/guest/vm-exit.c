// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm-exit - power the test VM off with an exit status
 *
 * QEMU's isa-debug-exit device (iobase 0xf4) ends QEMU with the status
 * (value << 1) | 1, which the host decodes.  Only 7 bits survive that,
 * so statuses above 127 are sent as 127.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	char *end;
	long status;

	if (argc != 2)
		errx(2, "usage: vm-exit STATUS");
	status = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || status < 0)
		errx(2, "invalid status '%s'", argv[1]);
	if (status > 127)
		status = 127;
	sync();
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) != 0)
		err(1, "ioperm");
	outl((unsigned int)status, DEBUG_EXIT_PORT);
	/* Not reached when the device is present. */
	errx(1, "isa-debug-exit did not stop the machine");
}
