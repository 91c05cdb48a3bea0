#!/bin/sh
# tests/system/osrs_registrar.sh - osrs_registrar_ops (tucows/registrar.c),
# the registrar interface the engine uses, against tests/opensrs/emulator.py
# over real TLS: the unit runner's "live" case of tucows_registrar drives
# list, read, get/set_lock, holds and apply (unlocked and locked domains,
# already held, a hook that says no to the set and to the relock, a 465
# refusal, a reply lost after the set).  Here: the requests the emulator
# received, the lock states left, and no API key or signature in the output.
OSRS_ADDR=127.82.1.1
TIMEOUT=5
. "$SRCDIR/tests/opensrs/lib.sh"
[ -x "$BUILD/unit-tests" ] || { echo "no $BUILD/unit-tests: make unit"; exit 77; }
osrs_setup
osrs_start
clear_log

(cd "$SRCDIR" && DSREG_LIVE_OSRS_URL=$URL DSREG_LIVE_OSRS_KEY=$T/alpha.key \
    DSREG_LIVE_OSRS_CA=$T/ca.pem DSREG_LIVE_OSRS_FAULTS=$T/faults.json \
    CK_RUN_SUITE=tucows_registrar CK_RUN_CASE=live "$BUILD/unit-tests") \
    > "$T/out" 2> "$T/err"
rc=$?
grep -q '^100%: Checks: 1, Failures: 0, Errors: 0' "$T/out" && [ $rc -eq 0 ] ||
	fail "live case"

# Every change request went out once, each set inside an unlock/relock pair
# on locked.lab; the refused set (hook) never reached the emulator.
[ "$(log_calls | grep -c '^SET_DNSSEC_INFO')" -eq 5 ] ||
	{ log_calls; fail "want 5 SET_DNSSEC_INFO (open, locked, locked, 465, lost reply)"; }
[ "$(log_calls | grep -c '^MODIFY:0 applied')" -eq 4 ] ||
	{ log_calls; fail "want 4 unlocks (3 applies on locked.lab, 1 set_lock 0)"; }
[ "$(log_calls | grep -c '^MODIFY:1 applied')" -eq 4 ] ||
	{ log_calls; fail "want 4 relocks (3 applies on locked.lab, 1 set_lock 1)"; }
[ "$(state_get locked.lab locked)" = 1 ] || fail "locked.lab left unlocked"
[ "$(state_get open.lab locked)" = 0 ] || fail "open.lab left locked"

cat "$T/out" "$T/err" > "$T/all-output"
for s in "$KEY_ALPHA" $(sort -u "$T/signatures"); do
	grep -qF -- "$s" "$T/all-output" && fail "a secret in the output"
done
exit 0
