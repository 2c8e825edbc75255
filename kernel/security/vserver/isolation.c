// SPDX-License-Identifier: GPL-2.0-only
/*
 * vserver - isolation between contexts
 *
 * A task in a context sees and acts on tasks of its own context only.
 * The host (xid 0) sees and acts on every task; a spectator (xid 1) sees
 * every task and acts on spectators only.  Where the interface allows,
 * a task of another context looks absent (-ESRCH) rather than forbidden.
 * Signals are refused with -EPERM: kill_pid_info() takes -ESRCH from
 * the security check for a task that died meanwhile, and retries.
 *
 * Visibility in procfs is not an LSM hook: see vs_task_visible(), which
 * fs/proc calls.
 *
 * Abstract unix sockets have no file, so no root directory confines them:
 * a socket connects and sends only to abstract sockets made in its own
 * context, the host's included, both ways (spectators count as the host).
 * A socket keeps the context it was made in, so one that the host hands
 * to a context still reaches what the host can.  Pathname sockets are
 * files, reached through the context's own root.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/vserver.h>
#include <net/af_unix.h>

#include "isolation.h"
#include "setup.h"
#include "task.h"

/**
 * vs_task_visible - may the current task see @task in procfs?
 * @task: the task behind a /proc/PID entry
 *
 * Return: true for the host and spectators, and for tasks of the caller's
 * own context.
 */
bool vs_task_visible(struct task_struct *task)
{
	if (!vs_initialized)
		return true;
	return vs_may_see(vs_task_xid(task));
}

static int vs_check_act(const struct task_struct *p)
{
	return vs_may_act_on(vs_task_xid(p)) ? 0 : -ESRCH;
}

static int vs_check_see(const struct task_struct *p)
{
	return vs_may_see(vs_task_xid(p)) ? 0 : -ESRCH;
}

static int hook_task_kill(struct task_struct *p, struct kernel_siginfo *info,
			  int sig, const struct cred *cred)
{
	u32 xid = vs_task_xid(p);

	/* Sent on behalf of other credentials (USB asynchronous I/O) */
	if (cred)
		return vs_cred(cred)->xid == VX_XID_HOST ||
		       vs_cred(cred)->xid == xid ? 0 : -EPERM;
	return vs_may_act_on(xid) ? 0 : -EPERM;
}

static int hook_ptrace_access_check(struct task_struct *child,
				    unsigned int mode)
{
	if (mode & PTRACE_MODE_ATTACH)
		return vs_check_act(child) ? -EPERM : 0;
	/* Reading (kcmp, /proc/PID/stat, ...) needs only visibility. */
	return vs_check_see(child) ? -EPERM : 0;
}

static int hook_ptrace_traceme(struct task_struct *parent)
{
	/* The tracer would act on us: it must be allowed to. */
	u32 xid = vs_task_xid(parent);

	return xid == VX_XID_HOST || xid == vs_current_xid() ? 0 : -EPERM;
}

static int hook_task_setpgid(struct task_struct *p, pid_t pgid)
{
	return vs_check_act(p);
}

static int hook_task_getpgid(struct task_struct *p)
{
	return vs_check_see(p);
}

static int hook_task_getsid(struct task_struct *p)
{
	return vs_check_see(p);
}

static int hook_task_setnice(struct task_struct *p, int nice)
{
	return vs_check_act(p);
}

static int hook_task_setioprio(struct task_struct *p, int ioprio)
{
	return vs_check_act(p);
}

static int hook_task_getioprio(struct task_struct *p)
{
	return vs_check_see(p);
}

static int hook_task_prlimit(const struct cred *cred, const struct cred *tcred,
			     unsigned int flags)
{
	u32 cur = vs_cred(cred)->xid, xid = vs_cred(tcred)->xid;

	if (cur == VX_XID_HOST || cur == xid)
		return 0;
	if (!(flags & LSM_PRLIMIT_WRITE) && cur == VX_XID_SPECTATOR)
		return 0;
	return -ESRCH;
}

static int hook_task_setscheduler(struct task_struct *p)
{
	return vs_check_act(p);
}

static int hook_task_getscheduler(struct task_struct *p)
{
	return vs_check_see(p);
}

static int hook_task_movememory(struct task_struct *p)
{
	return vs_check_act(p);
}

static void hook_file_set_fowner(struct file *file)
{
	vs_file(file)->owner_xid = vs_current_xid();
}

static int hook_file_send_sigiotask(struct task_struct *tsk,
				    struct fown_struct *fown, int sig)
{
	u32 owner = vs_file(fown->file)->owner_xid;

	return owner == VX_XID_HOST || owner == vs_task_xid(tsk) ? 0 : -EPERM;
}

/* The context whose sockets a socket made now reaches */
static u32 vs_sock_owner(void)
{
	u32 xid = vs_current_xid();

	return xid == VX_XID_SPECTATOR ? VX_XID_HOST : xid;
}

/* Sockets made in softirq context (TCP children) are set by the clone. */
static int hook_sk_alloc_security(struct sock *sk, int family, gfp_t priority)
{
	vs_sock(sk)->xid = in_task() ? vs_sock_owner() : VX_XID_HOST;
	return 0;
}

static void hook_sk_clone_security(const struct sock *sk, struct sock *newsk)
{
	vs_sock(newsk)->xid = vs_sock(sk)->xid;
}

static bool vs_unix_abstract(const struct sock *sk)
{
	const struct unix_address *addr = unix_sk(sk)->addr;

	return addr && addr->len > offsetof(struct sockaddr_un, sun_path) &&
	       !addr->name->sun_path[0];
}

static int vs_unix_may_reach(const struct sock *sk, const struct sock *other)
{
	if (!vs_unix_abstract(other))
		return 0;
	return vs_sock(sk)->xid == vs_sock(other)->xid ? 0 : -EPERM;
}

static int hook_unix_stream_connect(struct sock *sk, struct sock *other,
				    struct sock *newsk)
{
	int err = vs_unix_may_reach(sk, other);

	/* The server's end of the connection is the listener's */
	if (!err)
		vs_sock(newsk)->xid = vs_sock(other)->xid;
	return err;
}

static int hook_unix_may_send(struct socket *sock, struct socket *other)
{
	return vs_unix_may_reach(sock->sk, other->sk);
}

static struct security_hook_list vs_isolation_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_kill, hook_task_kill),
	LSM_HOOK_INIT(ptrace_access_check, hook_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, hook_ptrace_traceme),
	LSM_HOOK_INIT(task_setpgid, hook_task_setpgid),
	LSM_HOOK_INIT(task_getpgid, hook_task_getpgid),
	LSM_HOOK_INIT(task_getsid, hook_task_getsid),
	LSM_HOOK_INIT(task_setnice, hook_task_setnice),
	LSM_HOOK_INIT(task_setioprio, hook_task_setioprio),
	LSM_HOOK_INIT(task_getioprio, hook_task_getioprio),
	LSM_HOOK_INIT(task_prlimit, hook_task_prlimit),
	LSM_HOOK_INIT(task_setscheduler, hook_task_setscheduler),
	LSM_HOOK_INIT(task_getscheduler, hook_task_getscheduler),
	LSM_HOOK_INIT(task_movememory, hook_task_movememory),
	LSM_HOOK_INIT(file_set_fowner, hook_file_set_fowner),
	LSM_HOOK_INIT(file_send_sigiotask, hook_file_send_sigiotask),
	LSM_HOOK_INIT(sk_alloc_security, hook_sk_alloc_security),
	LSM_HOOK_INIT(sk_clone_security, hook_sk_clone_security),
	LSM_HOOK_INIT(unix_stream_connect, hook_unix_stream_connect),
	LSM_HOOK_INIT(unix_may_send, hook_unix_may_send),
};

void __init vs_add_isolation_hooks(void)
{
	security_add_hooks(vs_isolation_hooks, ARRAY_SIZE(vs_isolation_hooks),
			   &vs_lsmid);
}
