/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libvserver: the parser of one event message, reachable from
 * the static library so that the unit tests can feed it messages.  The
 * shared library does not export it.
 */

#ifndef LIBVSERVER_EVENT_H
#define LIBVSERVER_EVENT_H

#include <stddef.h>

#include "vserver.h"

/*
 * vs_event_parse - read the netlink message at msg, of which len bytes
 * may be read, as an event of the generic netlink family family.
 *
 * Returns 0 with *ev filled in (fields of attributes not received are 0,
 * and their bits are clear in ev->present).  Fails with ENOMSG when the
 * message is no event of the family (another family, a control message,
 * command 0), and with EBADMSG when it is one but cannot be read: shorter
 * than its headers, longer than len, an attribute of the wrong length, or
 * no VS_EVENT_A_XID or VS_EVENT_A_TIME.  *ev is not touched on failure.
 * Nothing beyond msg[len - 1] is read.
 */
int vs_event_parse(const void *msg, size_t len, int family,
		   struct vs_event_info *ev);

#endif /* LIBVSERVER_EVENT_H */
