/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - isolation between contexts
 */

#ifndef _SECURITY_VSERVER_ISOLATION_H
#define _SECURITY_VSERVER_ISOLATION_H

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/types.h>
#include <net/sock.h>

#include "limit.h"
#include "setup.h"

struct vs_context;

/**
 * struct vs_file_security - the vserver part of a file's security blob
 * @charged: the context charged for the file (VS_RES_NOFILE), with a
 *	     reference, or NULL
 * @accepting: for the file of a socket being accepted, the context whose
 *	       NSOCK place the connection will take, with a reference, or
 *	       NULL
 * @owner_xid: context of the task that last set the file's owner, which
 *	       is where its SIGIO and SIGURG may go
 */
struct vs_file_security {
	struct vs_context *charged;
	struct vs_context *accepting;
	u32 owner_xid;
};

static inline struct vs_file_security *vs_file(const struct file *file)
{
	return file->f_security + vs_blob_sizes.lbs_file;
}

static inline struct vs_object_security *vs_sock(const struct sock *sk)
{
	return sk->sk_security + vs_blob_sizes.lbs_sock;
}

void __init vs_add_isolation_hooks(void);

#endif /* _SECURITY_VSERVER_ISOLATION_H */
