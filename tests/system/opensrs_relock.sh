#!/bin/sh
# tests/system/opensrs_relock.sh - the unlock -> set DS -> relock sequence
# restores the lock on every path: a refused set, a set whose reply is
# lost after it was applied, an HTTP 500 on the set, a set that hangs
# past the timeout, an unlock answered
# with a transient code (a clearly refused unlock is not followed by
# anything); and a failed relock
# is reported loudly (exit 3, "LEFT UNLOCKED", logged at error level).
OSRS_ADDR=127.30.3.1
TIMEOUT=3
. "$SRCDIR/tests/opensrs/lib.sh"
osrs_setup
osrs_start

before=$(state_get locked.lab ds)

# --- the set is refused (465): relocked, DS unchanged
faults '[{"match": {"action": "SET_DNSSEC_INFO"}, "fault": "code", "code": 465, "text": "Invalid DS data"}]'
clear_log
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "refused set"
expect_err "465 Invalid DS data (retry: fix-request)" "refused set"
expect_err "locked.lab: lock restored" "refused set"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
SET_DNSSEC_INFO - 465 code
MODIFY:1 applied 200 " "refused set: unlock, set, relock"
[ "$(state_get locked.lab locked)" = 1 ] || fail "refused set: left unlocked"
[ "$(state_get locked.lab ds)" = "$before" ] || fail "refused set changed the DS"

# --- HTTP 500 on the set: relocked
faults '[{"match": {"action": "SET_DNSSEC_INFO"}, "fault": "http500"}]'
clear_log
run --format json opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "500 on set"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
SET_DNSSEC_INFO - None http500
MODIFY:1 applied 200 " "500 on set: relock"
$PY -c 'import json,sys; o=json.load(open(sys.argv[1])); assert not o["ok"] and o["unlocked"] and not o["set"] and o["relocked"] and not o["left_unlocked"], o' "$T/out" ||
	fail "json report of a failed set"
[ "$(state_get locked.lab locked)" = 1 ] || fail "500 on set: left unlocked"

# --- the set hangs past the timeout: relocked
faults '[{"match": {"action": "SET_DNSSEC_INFO"}, "fault": "hang", "seconds": 15}]'
clear_log
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "set hangs"
expect_err "no complete reply within 3 s" "set hangs"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
SET_DNSSEC_INFO - None hang
MODIFY:1 applied 200 " "set hangs: relock"
[ "$(state_get locked.lab locked)" = 1 ] || fail "set hangs: left unlocked"

# --- the set is applied but the connection drops before the reply:
#     reported as possibly applied, sent once, relocked
faults '[{"match": {"action": "SET_DNSSEC_INFO"}, "fault": "close_after_apply", "count": 1}]'
clear_log
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "lost set reply"
expect_err "the request may have been applied" "lost set reply"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
SET_DNSSEC_INFO applied None close_after_apply
MODIFY:1 applied 200 " "lost set reply: set once, relock"
[ "$(state_get locked.lab locked)" = 1 ] || fail "lost set reply: left unlocked"

# --- the unlock is refused for good (435): still locked, no relock, no set
faults '[{"match": {"action": "MODIFY", "lock_state": "0"}, "fault": "code", "code": 435, "text": "Permission denied"}]'
clear_log
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "unlock refused"
expect_err "435 Permission denied (retry: never)" "unlock refused"
expect_calls "GET:status - 200 
MODIFY:0 - 435 code" "unlock refused: nothing else sent"

# --- the unlock keeps timing out (705, may have happened): relock anyway
faults '[{"match": {"action": "MODIFY", "lock_state": "0"}, "fault": "code", "code": 705, "text": "Registry timeout"}]'
clear_log
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "unlock 705"
expect_err "705 Registry timeout (retry: later)" "unlock 705"
expect_calls "GET:status - 200 
MODIFY:0 - 705 code
MODIFY:0 - 705 code
MODIFY:0 - 705 code
MODIFY:1 applied 200 " "unlock 705: no set, relock"

# --- the relock fails every time: loud failure, three relock attempts
faults '[{"match": {"action": "MODIFY", "lock_state": "1"}, "fault": "code", "code": 705, "text": "Registry timeout"}]'
clear_log
run opensrs tucows set-ds bulk04.lab "4242 13 2 $DIG1"
expect_rc 3 "relock fails"
expect_err "bulk04.lab LEFT UNLOCKED: relock failed: bulk04.lab: lock: $OSRS_ADDR: MODIFY DOMAIN: 705 Registry timeout" "relock fails"
expect_err "the DS set WAS replaced; lock it by hand" "relock fails"
expect_err "dsreg: error: bulk04.lab LEFT UNLOCKED" "relock failure logged at error level"
n=$(log_calls | grep -c '^MODIFY:1 ')
[ "$n" -eq 9 ] || fail "relock: expected 3 tries x 3 attempts of 705, got $n"
[ "$(state_get bulk04.lab locked)" = 0 ] || fail "emulator state: bulk04.lab should be unlocked"
[ "$(state_get bulk04.lab ds)" = "4242 13 2 $DIG1" ] || fail "bulk04.lab DS"

# --- relock refused for good (permission): one try, loud, and the failed set is named
faults '[{"match": {"action": "MODIFY", "lock_state": "1"}, "fault": "code", "code": 435, "text": "Permission denied"},
         {"match": {"action": "SET_DNSSEC_INFO"}, "fault": "code", "code": 465, "text": "Invalid DS data"}]'
clear_log
run opensrs tucows set-ds bulk06.lab "4242 13 2 $DIG1"
expect_rc 3 "relock refused"
expect_err "bulk06.lab LEFT UNLOCKED" "relock refused"
expect_err "the DS set was not replaced" "relock refused"
expect_err "465 Invalid DS data" "relock refused names the set failure"
[ "$(log_calls | grep -c '^MODIFY:1 ')" -eq 1 ] || fail "435 on relock must not be retried"
# --- set reply lost and relock refused: the message says the set is unknown
faults '[{"match": {"action": "MODIFY", "lock_state": "1"}, "fault": "code", "code": 435, "text": "Permission denied"},
         {"match": {"action": "SET_DNSSEC_INFO"}, "fault": "close_after_apply"}]'
run opensrs tucows set-ds bulk10.lab "4242 13 2 $DIG1"
expect_rc 3 "lost set, relock refused"
expect_err "bulk10.lab LEFT UNLOCKED" "lost set, relock refused"
expect_err "the DS set may or may not have been replaced" "lost set, relock refused"
exit 0
