#!/bin/sh
# tests/system/epp_faults.sh - the client's reaction to each scripted server fault:
# connection dropped after an applied update (verified by info, not resent),
# 2400 (retried; for an update, re-read first), 2500 (reconnect), 2502 session
# limit (back off), garbage length header, slow answers and timeouts.
. "$SRCDIR/tests/epp/lib.sh"
epp_setup 127.20.3.1

D1="11111 13 2 1111111111111111111111111111111111111111111111111111111111111111"
D2="22222 13 2 2222222222222222222222222222222222222222222222222222222222222222"
OPTS="--backoff 200 --retries 3"

# --- connection dropped after the update was applied
epp_start --domain example.lab --fault drop-after-update
epp_config
dsr epp $OPTS reg add-ds example.lab "$D1"
expect_rc 0 "drop after update"
expect_in "$TMPDIR/out" 'change verified by domain:info after: .*connection closed' "drop: verified by info"
expect_in "$TMPDIR/err" 're-reading the domain before deciding' "drop: re-read announced"
[ "$(count_in "$TMPDIR/server.log" '^UPDATE example.lab add=11111/13/2')" -eq 1 ] || fail "drop: the update was resent"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "drop: no reconnect"
sed -n '/FAULT drop-after-update/,$p' "$TMPDIR/server.log" > "$TMPDIR/after"
expect_in "$TMPDIR/after" '^INFO example.lab -> 1000' "drop: info after the drop"
expect_not_in "$TMPDIR/after" '^UPDATE' "drop: no update after the drop"
epp_stop

# --- 2400 on info: retried after a pause on the same session
epp_start --domain example.lab --fault 2400:info=1
epp_config
dsr epp $OPTS reg info example.lab
expect_rc 0 "2400 info"
expect_in "$TMPDIR/err" '2400 Command failed (later): retrying' "2400 info warning"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 1 ] || fail "2400 must not reconnect"
[ "$(count_in "$TMPDIR/server.log" '^INFO example.lab -> 1000')" -eq 1 ] || fail "2400 info retry"
epp_stop

# --- 2400 forever: gives up, exit 3, attempts bounded
epp_start --domain example.lab --fault 2400:info=always
epp_config
dsr epp --backoff 50 --retries 2 reg info example.lab
expect_rc 3 "2400 always"
expect_in "$TMPDIR/err" 'gave up after 3 attempts' "2400 always message"
[ "$(count_in "$TMPDIR/server.log" 'FAULT 2400 info')" -eq 3 ] || fail "2400 attempts"
epp_stop

# --- 2400 on update: re-read with info, not applied, then sent again
epp_start --domain example.lab --fault 2400:update=1
epp_config
dsr epp $OPTS reg add-ds example.lab "$D1"
expect_rc 0 "2400 update"
expect_in "$TMPDIR/err" 'not applied according to domain:info; sending it again' "2400 update: resend after info"
sed -n '/FAULT 2400 update/,$p' "$TMPDIR/server.log" > "$TMPDIR/after"
head -2 "$TMPDIR/after" | tail -1 | grep -q '^INFO example.lab' || fail "2400 update: info before resending"
[ "$(count_in "$TMPDIR/server.log" '^UPDATE example.lab add=11111/13/2 -> 1000')" -eq 1 ] || fail "2400 update: applied once"
epp_stop

# --- 2500: the server closes; the client reconnects and retries the info
epp_start --domain example.lab --fault 2500:info=1
epp_config
dsr epp $OPTS reg info example.lab
expect_rc 0 "2500"
expect_in "$TMPDIR/err" '2500 Command failed; server closing connection (reconnect)' "2500 warning"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "2500: no reconnect"
epp_stop

# --- 2502 session limit: another session holds the only slot for 1.5 s
epp_start --domain example.lab --max-sessions 1
epp_config
epp_hold 1.5
dsr epp --backoff 250 --retries 4 reg info example.lab
expect_rc 0 "2502 then success"
expect_in "$TMPDIR/err" 'login as reg1 refused: 2502 Session limit exceeded.*session limit (2502): backing off' "2502 back off"
expect_in "$TMPDIR/server.log" 'SESSION-LIMIT reg1' "2502 at the server"
expect_in "$TMPDIR/server.log" '^INFO example.lab -> 1000' "2502: info after backoff"
wait $HOLD
epp_stop

# --- 2502 with no retries left: exit 3, clear message
epp_start --domain example.lab --max-sessions 1
epp_config
epp_hold 5
dsr epp --backoff 20 --retries 1 reg info example.lab
expect_rc 3 "2502 exhausted"
expect_in "$TMPDIR/err" 'epp reg: .*2502 Session limit exceeded' "2502 final message"
[ "$(count_in "$TMPDIR/server.log" 'SESSION-LIMIT')" -eq 2 ] || fail "2502: attempts"
kill $HOLD 2>/dev/null; wait $HOLD 2>/dev/null
epp_stop

# --- garbage length header once: clear message, reconnect, success
epp_start --domain example.lab --fault garbage:info=1
epp_config
dsr epp $OPTS reg info example.lab
expect_rc 0 "garbage once"
expect_in "$TMPDIR/err" 'RFC 5734 §4: garbage frame header "<?xm"' "garbage message"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "garbage: no reconnect"
epp_stop

# --- garbage always: exit 3 with the rule named
epp_start --domain example.lab --fault garbage:info=always
epp_config
dsr epp --backoff 20 --retries 1 reg info example.lab
expect_rc 3 "garbage always"
expect_in "$TMPDIR/err" 'epp reg: domain:info (gave up after 2 attempts): RFC 5734 §4: garbage frame header' "garbage final message"
epp_stop

# --- garbage instead of the answer to an update (not applied): info, then resend
epp_start --domain example.lab --fault garbage:update=1
epp_config
dsr epp $OPTS reg add-ds example.lab "$D2"
expect_rc 0 "garbage for an update"
expect_in "$TMPDIR/err" 'domain:update example.lab: RFC 5734 §4: garbage frame header.*re-reading the domain' "garbage update: re-read"
sed -n '/FAULT garbage update/,$p' "$TMPDIR/server.log" > "$TMPDIR/after"
expect_in "$TMPDIR/after" '^INFO example.lab -> 1000' "garbage update: info first"
[ "$(count_in "$TMPDIR/server.log" '^UPDATE example.lab add=22222/13/2 -> 1000')" -eq 1 ] || fail "garbage update: applied once"
epp_stop

# --- an answer echoing another clTRID is not trusted: reconnect, ask again
epp_start --domain example.lab --fault wrong-cltrid:info=1
epp_config
dsr epp $OPTS reg info example.lab
expect_rc 0 "wrong clTRID"
expect_in "$TMPDIR/err" 'RFC 5730 §2.6: answer carries another clTRID' "wrong clTRID message"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "wrong clTRID: no reconnect"
epp_stop

# --- pipelined info of several domains (RFC 5734 §3): a 2400 and a 2500 in
# the middle of the batch are asked again one by one; 2303 is a result
epp_start --domain a.lab --domain b.lab --domain c.lab --domain d.lab \
    --ds "c.lab=33333,13,2,3333333333333333333333333333333333333333333333333333333333333333" \
    --fault 2400:info=1
epp_config
dsr --format json epp $OPTS reg info a.lab b.lab nosuch.lab c.lab d.lab
expect_rc 3 "pipelined info with a 2303"
"$PY" - "$TMPDIR/out" <<'PYEOF' || fail "pipelined info json"
import json, sys
a = json.load(open(sys.argv[1]))
assert [o["domain"] for o in a] == ["a.lab", "b.lab", "nosuch.lab", "c.lab", "d.lab"], a
assert [o["code"] for o in a] == [1000, 1000, 2303, 1000, 1000], a
assert a[3]["ds"] == ["33333 13 2 3333333333333333333333333333333333333333333333333333333333333333"], a[3]
assert len(set(o["svTRID"] for o in a)) == 5
PYEOF
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 1 ] || fail "pipelined: one session"
[ "$(count_in "$TMPDIR/server.log" '^INFO a.lab -> 1000')" -eq 1 ] || fail "pipelined: a.lab asked again after 2400"
dsr epp reg info a.lab b.lab
expect_rc 0 "pipelined text"
[ "$(count_in "$TMPDIR/out" '^info: 1000 ')" -eq 2 ] || fail "pipelined text: two results"
epp_stop
epp_start --domain a.lab --domain b.lab --domain c.lab --fault 2500:info=1
epp_config
dsr --format jsonl epp $OPTS reg info a.lab b.lab c.lab
expect_rc 0 "pipelined info with 2500"
[ "$(count_in "$TMPDIR/out" '"code": *1000')" -eq 3 ] || fail "pipelined 2500: three answers"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "pipelined 2500: reconnect"
epp_stop
epp_start --domain a.lab --domain b.lab --domain c.lab --fault drop:info=1
epp_config
dsr --format jsonl epp $OPTS reg info a.lab b.lab c.lab
expect_rc 0 "pipelined info with a dropped connection"
[ "$(count_in "$TMPDIR/out" '"code": *1000')" -eq 3 ] || fail "pipelined drop: three answers"
expect_in "$TMPDIR/err" 'pipelined domain:info: .*asking the rest one by one' "pipelined drop warning"
epp_stop

# --- slow answers within the timeout: fine
epp_start --domain example.lab --slow 1.2
epp_config "timeout = 3"
dsr epp $OPTS reg info example.lab
expect_rc 0 "slow within timeout"
expect_not_in "$TMPDIR/err" 'reconnecting' "slow: no retries needed"
epp_stop

# --- slower than the timeout: reported, reconnect attempts bounded
epp_start --domain example.lab --slow 2.5
epp_config "timeout = 1"
dsr epp --backoff 20 --retries 1 reg info example.lab
expect_rc 3 "slow beyond timeout"
expect_in "$TMPDIR/err" 'no answer within 1000 ms' "timeout message"
[ "$(count_in "$TMPDIR/server.log" '^LOGIN')" -eq 2 ] || fail "timeout: one reconnect"

expect_not_in "$TMPDIR/server.log" 'INVALID' "XSD validation"
exit 0
