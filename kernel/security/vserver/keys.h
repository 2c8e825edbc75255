/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vserver - keys and keyrings of contexts
 */

#ifndef _SECURITY_VSERVER_KEYS_H
#define _SECURITY_VSERVER_KEYS_H

#include <linux/cred.h>
#include <linux/init.h>
#include <linux/types.h>

/**
 * struct vs_key_security - the vserver part of a key's security blob
 * @xid: the context the key was made in; the host for spectators
 */
struct vs_key_security {
	u32 xid;
};

#ifdef CONFIG_KEYS

int vs_keys_enter(struct cred *cred);
void __init vs_add_keys_hooks(void);

#else /* !CONFIG_KEYS */

static inline int vs_keys_enter(struct cred *cred)
{
	return 0;
}

static inline void vs_add_keys_hooks(void)
{
}

#endif /* CONFIG_KEYS */

#endif /* _SECURITY_VSERVER_KEYS_H */
