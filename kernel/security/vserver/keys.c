// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - keys and keyrings of contexts
 *
 * Every key remembers the context it was made in, and a task sees and
 * uses only the keys of its own context: the host's keys are out of reach
 * of the contexts, and theirs out of the host's.  Spectators count as the
 * host.
 *
 * Some keyrings belong to the machine, not to one context: the user and
 * user-session keyrings (found by uid, which the contexts share with the
 * host), the persistent keyrings, and the authorisation key through which
 * request_key() runs /sbin/request-key on the host.  A context cannot
 * make them, so it can neither deny them to the host by making them
 * first nor make the host run a program for it; the host's are out of
 * reach anyway.  A task that enters a context gets a fresh session
 * keyring of the context instead of its old keyrings, and a keyring of a
 * context is never installed in a host task by KEYCTL_SESSION_TO_PARENT.
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/key-type.h>
#include <linux/lsm_hooks.h>
#include <linux/string.h>
#include <uapi/linux/vserver.h>

#include "keys.h"
#include "setup.h"
#include "task.h"

static struct vs_key_security *vs_key(const struct key *key)
{
	return key->security + vs_blob_sizes.lbs_key;
}

/* The context whose keys @cred may use */
static u32 vs_keys_owner(const struct cred *cred)
{
	u32 xid = vs_cred(cred)->xid;

	return xid == VX_XID_SPECTATOR ? VX_XID_HOST : xid;
}

/* Is @key one of the keys that belong to the whole machine? */
static bool vs_key_machine_wide(const struct key *key, unsigned long flags)
{
	const char *desc = key->description;

	if (flags & KEY_ALLOC_UID_KEYRING)
		return true;
	/* The type is private to security/keys; its name is unique */
	if (!strcmp(key->type->name, ".request_key_auth"))
		return true;
	return key->type == &key_type_keyring && desc &&
	       (!strcmp(desc, ".persistent_register") ||
		str_has_prefix(desc, "_persistent."));
}

/**
 * vs_keys_enter - the keyrings of a task entering a context
 * @cred: the credentials being prepared for it, with the context's xid
 *
 * Drops the thread, process and session keyrings of the host, which the
 * task could no longer use, and gives it a new session keyring of the
 * context, as a login gets one.
 *
 * Return: 0, or -ENOMEM, -EDQUOT.
 */
int vs_keys_enter(struct cred *cred)
{
	struct key *keyring;

	keyring = keyring_alloc("_ses", cred->uid, cred->gid, cred,
				KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ,
				KEY_ALLOC_QUOTA_OVERRUN, NULL, NULL);
	if (IS_ERR(keyring))
		return PTR_ERR(keyring);
	key_put(cred->thread_keyring);
	cred->thread_keyring = NULL;
	key_put(cred->process_keyring);
	cred->process_keyring = NULL;
	key_put(cred->session_keyring);
	cred->session_keyring = keyring;
	key_put(cred->request_key_auth);
	cred->request_key_auth = NULL;
	return 0;
}

static int hook_key_alloc(struct key *key, const struct cred *cred,
			  unsigned long flags)
{
	u32 xid = vs_keys_owner(cred);

	if (xid != VX_XID_HOST && vs_key_machine_wide(key, flags))
		return -EACCES;
	vs_key(key)->xid = xid;
	return 0;
}

static int hook_key_permission(key_ref_t key_ref, const struct cred *cred,
			       enum key_need_perm need_perm)
{
	const struct key *key = key_ref_to_ptr(key_ref);

	/* The caller checks what it needs later, and says EACCES then */
	if (need_perm == KEY_DEFER_PERM_CHECK)
		return 0;
	return vs_key(key)->xid == vs_keys_owner(cred) ? 0 : -EACCES;
}

/*
 * KEYCTL_SESSION_TO_PARENT: @new will replace the parent's credentials
 * @old, with the child's session keyring.  A child in a context whose
 * parent is in the host (it entered, its parent did not) keeps its
 * keyring to itself: the parent keeps its own.
 */
static void hook_cred_transfer(struct cred *new, const struct cred *old)
{
	struct key *keyring = new->session_keyring;

	if (!keyring || vs_key(keyring)->xid == vs_keys_owner(old))
		return;
	new->session_keyring = key_get(old->session_keyring);
	key_put(keyring);
}

static struct security_hook_list vs_keys_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(key_alloc, hook_key_alloc),
	LSM_HOOK_INIT(key_permission, hook_key_permission),
	LSM_HOOK_INIT(cred_transfer, hook_cred_transfer),
};

void __init vs_add_keys_hooks(void)
{
	security_add_hooks(vs_keys_hooks, ARRAY_SIZE(vs_keys_hooks),
			   &vs_lsmid);
}
