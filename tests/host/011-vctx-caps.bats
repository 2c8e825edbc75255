#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The capability ceiling, the context capabilities, the unshare mask and
# the names of a context: "vctx caps", "vctx uname" and the options of
# "vctx create" that set them up, against the faked kernel of
# fake-vserver.c, which checks their arguments as the kernel does.

bats_require_minimum_version 1.5.0

load helpers

# The "vctx create --secure" ceiling, VX_BCAPS_DEFAULT: the one a new
# context starts with
SECURE=0xb40404fb
SECURE_NAMES=cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_net_bind_service,cap_sys_chroot,cap_sys_tty_config,cap_lease,cap_audit_write,cap_setfcap

setup_file() {
	build_fake_vserver
}

# Context 2 has left its setup with CHOWN and DAC_OVERRIDE and RAW_ICMP;
# context 5 is still being set up, with the secure ceiling, SET_UTSNAME
# and CLONE_NEWUSER; context 7 has the words of a new context.
setup() {
	require_vctx
	use_fake_vserver
	fake_contexts "2:web:1:40:$PERSISTENT:0x3:0x100:0" \
		"5:db:1:0:$SETUP:$SECURE:0x1:0x10000000" "7::0:0:0"
}

# assert_usage_error COMMAND MESSAGE: the last run failed with MESSAGE and
# the "Try" line of COMMAND
assert_usage_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $2" "Try 'vctx $1 --help' for more information."
}

# assert_error MESSAGE: the last run failed with MESSAGE alone
assert_error() {
	assert_failure 1
	assert_output ''
	assert_stderr "vctx: $1"
}

require_jq() {
	command -v jq >/dev/null || skip 'jq is not installed'
}

@test "vctx caps --help prints its usage and the names it accepts" {
	run --separate-stderr "$VCTX" caps --help
	assert_success
	assert_line --index 0 'Usage:'
	assert_line --index 1 ' vctx caps [options] <xid>|<name>'
	assert_line '     --bcaps <list>  change the capability ceiling'
	assert_line '     --ccaps <list>  change the context capabilities'
	assert_line '     --umask <list>  change the namespaces it may create'
	assert_line ' -J, --json          print one JSON object on one line'
	assert_line ' -h, --help          display this help'
	assert_line 'Capabilities (--bcaps):'
	assert_line ' the names of capabilities(7), with or without cap_'
	assert_line 'Context capabilities (--ccaps):'
	assert_line ' set_utsname (utsname)'
	assert_line ' raw_icmp (icmp, ping)'
	assert_line 'Namespaces (--umask):'
	assert_line ' user'
	# Names the kernel lacks are understood but not offered
	refute_line --partial 'secure_mount'
	refute_line ' net'
	assert_line --index -1 'For more details see vctx(8).'
	assert_equal "$stderr" ''
	assert_calls
}

@test "vctx uname --help prints its usage and every field" {
	run --separate-stderr "$VCTX" uname --help
	assert_success
	assert_line --index 1 ' vctx uname [options] <xid>|<name>'
	assert_line ' -s, --set <field>=<value>  change a field; may be given more than once'
	assert_line 'Fields:'
	local field
	for field in context sysname nodename release version machine domainname; do
		assert_line --regexp "^ $field +[a-z]"
	done
	assert_line --index -1 'For more details see vctx(8).'
	assert_calls
}

@test "vctx create --help names the capability options" {
	run --separate-stderr "$VCTX" create --help
	assert_success
	assert_line '     --secure           limit the capability ceiling to a safe set'
	assert_line '     --bcaps <list>     change the capability ceiling (after --secure)'
	assert_line '     --ccaps <list>     change the context capabilities'
	assert_line '     --hostname <name>  set the host name of the context'
	assert_line ' raw_icmp (icmp, ping)'
	assert_calls
}

@test "vctx caps shows the ceiling, the ccaps and the umask of a context" {
	run --separate-stderr "$VCTX" caps 2
	assert_success
	assert_output "$(printf 'bcaps:  cap_chown,cap_dac_override\nccaps:  raw_icmp\numask:  none')"
	assert_equal "$stderr" ''
	assert_calls 'get_bcaps 2' 'get_ccaps 2' 'get_umask 2'
	run --separate-stderr "$VCTX" caps db
	assert_success
	assert_output "$(printf 'bcaps:  %s\nccaps:  set_utsname\numask:  user' "$SECURE_NAMES")"
}

@test "vctx caps shows the ceiling of a new context: the secure set" {
	run --separate-stderr "$VCTX" caps 7
	assert_success
	assert_output "$(printf 'bcaps:  %s\nccaps:  none\numask:  none' "$SECURE_NAMES")"
	refute_output --partial 'cap_dac_read_search'
	refute_output --partial 'cap_sys_ptrace'
	refute_output --partial 'cap_sys_admin'
}

@test "vctx caps shows bits without a name as a number" {
	fake_contexts "3::0:0:0:0:0x10000000101:0x10000001"
	run --separate-stderr "$VCTX" caps 3
	assert_success
	assert_output "$(printf 'bcaps:  none\nccaps:  set_utsname,raw_icmp,0x10000000000\numask:  user,0x1')"
}

@test "vctx caps --json prints one object" {
	run --separate-stderr "$VCTX" caps 2 --json
	assert_success
	assert_output '{"xid":2,"bcaps":["cap_chown","cap_dac_override"],"bcapword":3,"ccaps":["raw_icmp"],"ccapword":256,"umask":[],"umaskword":0}'
}

@test "vctx caps --json is valid JSON" {
	require_jq
	run --separate-stderr "$VCTX" caps 7 --json
	assert_success
	run jq -e '.xid == 7 and (.bcaps | length) == 13 and
		   (.bcaps | map(select(. == "cap_sys_admin")) | length) == 0 and
		   .bcapword == 3020162299 and .ccaps == [] and
		   .umask == [] and .umaskword == 0' <<<"$output"
	assert_success
	run --separate-stderr "$VCTX" caps 5 --json
	run jq -r '[(.bcaps | join(",")), .ccaps[0], .umask[0]] | @tsv' <<<"$output"
	assert_output "$(printf '%s\tset_utsname\tuser' "$SECURE_NAMES")"
}

@test "vctx caps --bcaps takes names with or without cap_, in any case" {
	run --separate-stderr "$VCTX" caps 5 --bcaps 'CAP_SYS_ADMIN,net_raw,Cap_Sys_Time,~CAP_KILL,!setuid'
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	# SYS_ADMIN 21, NET_RAW 13, SYS_TIME 25; KILL 5, SETUID 7
	assert_calls 'set_bcaps 5 bcaps=0x2202000 bmask=0x22020a0'
}

@test "vctx caps --bcaps takes all and none, and later entries win" {
	run --separate-stderr "$VCTX" caps 5 --bcaps all
	assert_success
	run --separate-stderr "$VCTX" caps 5 --bcaps none
	assert_success
	run --separate-stderr "$VCTX" caps 5 --bcaps none,chown,kill
	assert_success
	run --separate-stderr "$VCTX" caps 5 --bcaps all,~sys_admin
	assert_success
	run --separate-stderr "$VCTX" caps 5 --bcaps chown,~chown --bcaps kill
	assert_success
	assert_calls 'set_bcaps 5 bcaps=0xffffffffffffffff bmask=0xffffffffffffffff' \
		'set_bcaps 5 bcaps=0x0 bmask=0xffffffffffffffff' \
		'set_bcaps 5 bcaps=0x21 bmask=0xffffffffffffffff' \
		'set_bcaps 5 bcaps=0xffffffffffdfffff bmask=0xffffffffffffffff' \
		'set_bcaps 5 bcaps=0x20 bmask=0x21'
}

@test "vctx caps --ccaps takes the names and their aliases" {
	run --separate-stderr "$VCTX" caps 5 --ccaps set_utsname,raw_icmp
	assert_success
	run --separate-stderr "$VCTX" caps 5 --ccaps UTSNAME,icmp
	assert_success
	run --separate-stderr "$VCTX" caps 5 --ccaps '~ping'
	assert_success
	run --separate-stderr "$VCTX" caps 5 --ccaps all
	assert_success
	run --separate-stderr "$VCTX" caps 5 --ccaps none
	assert_success
	assert_calls 'set_ccaps 5 ccaps=0x101 cmask=0x101' \
		'set_ccaps 5 ccaps=0x101 cmask=0x101' \
		'set_ccaps 5 ccaps=0x0 cmask=0x100' \
		'set_ccaps 5 ccaps=0x101 cmask=0x101' \
		'set_ccaps 5 ccaps=0x0 cmask=0xffffffffffffffff'
}

@test "vctx caps --umask takes user" {
	run --separate-stderr "$VCTX" caps 5 --umask user
	assert_success
	run --separate-stderr "$VCTX" caps 5 --umask '!user'
	assert_success
	run --separate-stderr "$VCTX" caps 5 --umask none
	assert_success
	assert_calls 'set_umask 5 umask=0x10000000 mask=0x10000000' \
		'set_umask 5 umask=0x0 mask=0x10000000' \
		'set_umask 5 umask=0x0 mask=0xffffffffffffffff'
}

@test "vctx caps changes the three words at once, by context name" {
	run --separate-stderr "$VCTX" caps --umask user --ccaps utsname db --bcaps ~chown
	assert_success
	assert_calls 'get_vhi_name 2 field=0' 'get_vhi_name 5 field=0' \
		'get_vhi_name 7 field=0' \
		'set_bcaps 5 bcaps=0x0 bmask=0x1' \
		'set_ccaps 5 ccaps=0x1 cmask=0x1' \
		'set_umask 5 umask=0x10000000 mask=0x10000000'
}

@test "vctx caps lowers the words of a context that has left its setup" {
	run --separate-stderr "$VCTX" caps 2 --bcaps ~dac_override --ccaps none --umask none
	assert_success
	assert_equal "$stderr" ''
	assert_calls 'set_bcaps 2 bcaps=0x0 bmask=0x2' \
		'set_ccaps 2 ccaps=0x0 cmask=0xffffffffffffffff' \
		'set_umask 2 umask=0x0 mask=0xffffffffffffffff'
}

@test "Try to give vctx caps an unknown capability" {
	local list
	for list in cap_foo foo '~cap_foo' cap_chown1 12 cap_ '' 'chown,' \
		    '~' '~all' '!none' 'chown kill'; do
		run --separate-stderr "$VCTX" caps 5 --bcaps "$list"
		case $list in
		chown,) assert_usage_error caps "unknown capability ''" ;;
		*) assert_usage_error caps "unknown capability '$list'" ;;
		esac
	done
	run --separate-stderr "$VCTX" caps 5 --bcaps 'chown,cap_foo,kill'
	assert_usage_error caps "unknown capability 'cap_foo'"
	assert_calls
}

@test "Try to give vctx caps an unknown ccap or namespace" {
	run --separate-stderr "$VCTX" caps 5 --ccaps utsname,hostname
	assert_usage_error caps "unknown ccap 'hostname'"
	run --separate-stderr "$VCTX" caps 5 --ccaps cap_sys_admin
	assert_usage_error caps "unknown ccap 'cap_sys_admin'"
	run --separate-stderr "$VCTX" caps 5 --umask users
	assert_usage_error caps "unknown namespace 'users'"
	assert_calls
}

@test "Try to give vctx caps a ccap this kernel does not implement" {
	local ccap
	for ccap in set_rlimit fs_security fs_trusted tiocsti syslog oom_adjust \
		    audit_control secure_mount secure_remount binary_mount \
		    dev_mount quota_ctl admin_mapper admin_cloop kthread \
		    namespace; do
		run --separate-stderr "$VCTX" caps 5 --ccaps "utsname,$ccap"
		assert_error "ccap '$ccap' is not supported by this kernel"
	done
	run --separate-stderr "$VCTX" caps 5 --ccaps '~SYSLOG'
	assert_error "ccap '~SYSLOG' is not supported by this kernel"
	assert_calls
}

@test "Try to let a context create namespaces other than user namespaces" {
	local ns
	for ns in mount uts ipc pid net cgroup time; do
		run --separate-stderr "$VCTX" caps 5 --umask "user,$ns"
		assert_error "namespace '$ns' cannot be in the umask on this kernel"
	done
	assert_calls
}

@test "Try to change the capabilities and print them as JSON at once" {
	run --separate-stderr "$VCTX" caps 5 --bcaps chown --json
	assert_usage_error caps '--bcaps and --json are mutually exclusive'
	run --separate-stderr "$VCTX" caps 5 --json --umask user --ccaps none
	assert_usage_error caps '--umask and --json are mutually exclusive'
	assert_calls
}

@test "Try to raise the ceiling of a context that has left its setup" {
	run --separate-stderr "$VCTX" caps 2 --bcaps sys_admin
	assert_error 'cannot add to the capability ceiling of context 2: it has left its setup'
	assert_calls 'set_bcaps 2 bcaps=0x200000 bmask=0x200000' 'get_bcaps 2' \
		'get_cflags 2'
	run --separate-stderr "$VCTX" caps 2 --bcaps all
	assert_error 'cannot add to the capability ceiling of context 2: it has left its setup'
}

@test "Try to add ccaps or namespaces to a context that has left its setup" {
	run --separate-stderr "$VCTX" caps 2 --ccaps utsname
	assert_error 'cannot add to the ccaps of context 2: it has left its setup'
	run --separate-stderr "$VCTX" caps web --umask user
	assert_error 'cannot add to the umask of context 2: it has left its setup'
}

@test "Try to change the capabilities of a context without permission" {
	# Nothing is raised: the kernel refused the caller
	FAKE_VSERVER_ERRNO_SET_BCAPS=EPERM \
		run --separate-stderr "$VCTX" caps 2 --bcaps ~chown
	assert_error 'permission denied: change the capability ceiling of context 2'
	FAKE_VSERVER_ERRNO_SET_CCAPS=EPERM \
		run --separate-stderr "$VCTX" caps 5 --ccaps utsname
	assert_error 'permission denied: change the ccaps of context 5'
}

@test "Try to set a ccap the kernel refuses" {
	FAKE_VSERVER_ERRNO_SET_CCAPS=EINVAL \
		run --separate-stderr "$VCTX" caps 5 --ccaps ping
	assert_error 'cannot change the ccaps of context 5: Invalid argument'
}

@test "Try to show the capabilities of a context that does not exist" {
	run --separate-stderr "$VCTX" caps 42
	assert_error 'no context 42'
	run --separate-stderr "$VCTX" caps 42 --bcaps ~chown
	assert_error 'no context 42'
	run --separate-stderr "$VCTX" caps mail
	assert_error "no context named 'mail'"
}

@test "Try vctx caps on a kernel without the capability commands" {
	FAKE_VSERVER_ERRNO_GET_BCAPS=EOPNOTSUPP run --separate-stderr "$VCTX" caps 2
	assert_error 'cannot read the capability ceiling of context 2: this kernel does not support it'
	FAKE_VSERVER_ERRNO_SET_UMASK=EOPNOTSUPP \
		run --separate-stderr "$VCTX" caps 5 --umask user
	assert_error 'cannot change the umask of context 5: this kernel does not support it'
}

@test "Try to pass vctx caps two contexts" {
	run --separate-stderr "$VCTX" caps 2 5
	assert_usage_error caps "unexpected argument '5'"
	run --separate-stderr "$VCTX" caps 2 --bcaps
	assert_usage_error caps "option '--bcaps' requires an argument"
}

@test "vctx uname shows the names of a context" {
	run --separate-stderr "$VCTX" uname 2
	assert_success
	assert_output "$(cat <<-'END'
		context:    web
		sysname:    Linux
		nodename:   fake
		release:    6.12.0-vserver
		version:    #1 SMP PREEMPT_DYNAMIC
		machine:    x86_64
		domainname: (none)
		END
	)"
	assert_equal "$stderr" ''
	assert_calls 'get_vhi_name 2 field=0' 'get_vhi_name 2 field=1' \
		'get_vhi_name 2 field=2' 'get_vhi_name 2 field=3' \
		'get_vhi_name 2 field=4' 'get_vhi_name 2 field=5' \
		'get_vhi_name 2 field=6'
}

@test "vctx uname shows a context without a name as -" {
	FAKE_VSERVER_UTS_NODENAME=h1 run --separate-stderr "$VCTX" uname 7
	assert_success
	assert_line --index 0 'context:    -'
	assert_line --index 2 'nodename:   h1'
}

@test "vctx uname --json prints one object" {
	FAKE_VSERVER_UTS_NODENAME=h1 FAKE_VSERVER_UTS_VERSION='#1 "quoted"' \
		run --separate-stderr "$VCTX" uname 7 --json
	assert_success
	assert_output '{"xid":7,"context":null,"sysname":"Linux","nodename":"h1","release":"6.12.0-vserver","version":"#1 \"quoted\"","machine":"x86_64","domainname":"(none)"}'
}

@test "vctx uname --json is valid JSON" {
	require_jq
	run --separate-stderr "$VCTX" uname web --json
	assert_success
	run jq -e '.xid == 2 and .context == "web" and .nodename == "fake" and
		   .domainname == "(none)" and (keys | length) == 8' <<<"$output"
	assert_success
}

@test "vctx uname --set changes the fields in the order given" {
	run --separate-stderr "$VCTX" uname 5 --set nodename=h1 -s domainname=example.org \
		--set NODENAME=h2 --set 'version=#2 SMP' --set context=mail --set domainname=
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_calls 'set_vhi_name 5 field=2 name=h1' \
		'set_vhi_name 5 field=6 name=example.org' \
		'set_vhi_name 5 field=2 name=h2' \
		'set_vhi_name 5 field=4 name=#2 SMP' \
		'set_vhi_name 5 field=0 name=mail' \
		'set_vhi_name 5 field=6 name='
}

@test "vctx uname --set takes a value of 64 bytes" {
	local long
	long="$(printf 'n%.0s' {1..64})"
	run --separate-stderr "$VCTX" uname 5 --set "nodename=$long"
	assert_success
	assert_calls "set_vhi_name 5 field=2 name=$long"
}

@test "Try to set a field that does not exist" {
	run --separate-stderr "$VCTX" uname 5 --set hostname=h1
	assert_usage_error uname "unknown field 'hostname'"
	run --separate-stderr "$VCTX" uname 5 --set =h1
	assert_usage_error uname "unknown field ''"
	run --separate-stderr "$VCTX" uname 5 --set nodename
	assert_usage_error uname "invalid assignment 'nodename': expected <field>=<value>"
	assert_calls
}

@test "Try to set a field to a value longer than 64 bytes" {
	local long field
	long="$(printf 'n%.0s' {1..65})"
	for field in sysname nodename release version machine domainname; do
		# The valid assignment before it is not made either
		run --separate-stderr "$VCTX" uname 5 --set nodename=ok --set "$field=$long"
		assert_usage_error uname "$field '$long' is longer than 64 bytes"
	done
	# 33 two-byte characters are 66 bytes
	long="$(printf 'é%.0s' {1..33})"
	run --separate-stderr "$VCTX" uname 5 --set "nodename=$long"
	assert_usage_error uname "nodename '$long' is longer than 64 bytes"
	assert_calls
}

@test "Try to give a context a name that looks like an id, or a long one" {
	run --separate-stderr "$VCTX" uname 5 --set context=42web
	assert_usage_error uname "invalid context name '42web'"
	local long
	long="$(printf 'n%.0s' {1..65})"
	run --separate-stderr "$VCTX" uname 5 --set "context=$long"
	assert_usage_error uname "context name '$long' is longer than 64 characters"
	assert_calls
}

@test "Try to set the names of a context and print them as JSON at once" {
	run --separate-stderr "$VCTX" uname 5 --set nodename=h1 --json
	assert_usage_error uname '--set and --json are mutually exclusive'
}

@test "Try to set the names of a context without permission" {
	FAKE_VSERVER_ERRNO_SET_VHI_NAME=EPERM \
		run --separate-stderr "$VCTX" uname 2 --set nodename=h1
	assert_error 'permission denied: set the nodename of context 2'
}

@test "Try to show the names of a context that does not exist" {
	run --separate-stderr "$VCTX" uname 42
	assert_error 'no context 42'
	run --separate-stderr "$VCTX" uname 42 --set nodename=h1
	assert_error 'no context 42'
}

@test "vctx uname shows an empty field as it is" {
	FAKE_VSERVER_UTS_NODENAME= run --separate-stderr "$VCTX" uname 2
	assert_success
	assert_line --index 2 'nodename:   '
}

@test "vctx create --secure limits the ceiling to the safe set" {
	run --separate-stderr "$VCTX" create --secure -- echo hello
	assert_success
	assert_output 'hello'
	assert_calls 'ctx_create 4294967295 flagword=0x700000000' \
		"set_bcaps 3 bcaps=$SECURE bmask=0xffffffffffffffff" \
		'set_cflags 3 flagword=0x0 mask=0x200000000' \
		'set_cflags 3 flagword=0x0 mask=0x100000000'
}

@test "vctx create --bcaps changes the ceiling after --secure" {
	run --separate-stderr "$VCTX" create --bcaps net_raw,~kill --secure true
	assert_success
	# + NET_RAW (13), - KILL (5)
	assert_calls 'ctx_create 4294967295 flagword=0x700000000' \
		'set_bcaps 3 bcaps=0xb40424db bmask=0xffffffffffffffff' \
		'set_cflags 3 flagword=0x0 mask=0x200000000' \
		'set_cflags 3 flagword=0x0 mask=0x100000000'
}

@test "vctx create --bcaps without --secure changes only the bits named" {
	run --separate-stderr "$VCTX" create --xid 42 --bcaps ~sys_admin --bcaps '!net_admin' true
	assert_success
	assert_calls 'ctx_create 42 flagword=0x700000000' \
		'set_bcaps 42 bcaps=0x0 bmask=0x201000' \
		'set_cflags 42 flagword=0x0 mask=0x200000000' \
		'set_cflags 42 flagword=0x0 mask=0x100000000'
}

@test "vctx create sets the names, ccaps and ceiling during the setup" {
	run --separate-stderr "$VCTX" create --xid 42 --name mail --persistent \
		--flags private --hostname h1 --ccaps utsname,ping --secure -- echo ok
	assert_success
	assert_output 'ok'
	assert_calls 'ctx_create 42 flagword=0x4700000008' \
		'set_vhi_name 42 field=0 name=mail' \
		'set_vhi_name 42 field=2 name=h1' \
		'set_ccaps 42 ccaps=0x101 cmask=0x101' \
		"set_bcaps 42 bcaps=$SECURE bmask=0xffffffffffffffff" \
		'set_cflags 42 flagword=0x0 mask=0x200000000' \
		'set_cflags 42 flagword=0x0 mask=0x100000000'
}

@test "vctx create --setup sets the ceiling and leaves the setup to the command" {
	run --separate-stderr "$VCTX" create --setup --xid 42 --secure true
	assert_success
	assert_calls 'ctx_create 42 flagword=0x700000000' \
		"set_bcaps 42 bcaps=$SECURE bmask=0xffffffffffffffff"
}

@test "Try to create a context with an unknown capability or ccap" {
	run --separate-stderr "$VCTX" create --secure --bcaps cap_foo true
	assert_usage_error create "unknown capability 'cap_foo'"
	run --separate-stderr "$VCTX" create --ccaps utsname,foo true
	assert_usage_error create "unknown ccap 'foo'"
	run --separate-stderr "$VCTX" create --ccaps secure_mount true
	assert_error "ccap 'secure_mount' is not supported by this kernel"
	assert_calls
}

@test "Try to create a context with a host name longer than 64 bytes" {
	local long
	long="$(printf 'h%.0s' {1..65})"
	run --separate-stderr "$VCTX" create --hostname "$long" true
	assert_usage_error create "hostname '$long' is longer than 64 bytes"
	assert_calls
}

@test "Try to create a context whose ceiling the kernel refuses" {
	FAKE_VSERVER_ERRNO_SET_BCAPS=EPERM \
		run --separate-stderr "$VCTX" create --xid 42 --secure -- echo not run
	assert_error 'permission denied: change the capability ceiling of context 42'
	FAKE_VSERVER_ERRNO_SET_VHI_NAME=EPERM \
		run --separate-stderr "$VCTX" create --xid 42 --hostname h1 -- echo not run
	assert_error 'permission denied: set the host name of context 42'
}
