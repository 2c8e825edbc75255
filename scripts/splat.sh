#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fail when a kernel log shows a splat: BUG, WARNING, Oops, KASAN, UBSAN,
# KFENCE, lockdep, RCU stall, panic, kmemleak.  Prints each one with some context.
#
#   scripts/splat.sh LOGFILE

set -u
log=${1:?usage: splat.sh LOGFILE}
pattern='(BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|KFENCE:|'
pattern+='possible circular locking|possible recursive locking|inconsistent lock state|'
pattern+='lockdep|suspicious RCU usage|rcu_.*stall|INFO: task .* blocked|'
pattern+='Kernel panic|kernel BUG|unreferenced object|suspected memory leaks|Call Trace:)'

# lockdep prints its self-test summary at boot; that is not a splat.
hits=$(grep -naE "$pattern" "$log" | grep -vE 'lockdep: fixing up|Lock dependency validator' || true)
[ -z "$hits" ] && exit 0
echo "splat.sh: $(echo "$hits" | wc -l) suspicious line(s) in $log:" >&2
echo "$hits" | head -n 20 | sed 's/^/  /' >&2
exit 1
