#!/bin/sh
# tests/system/opensrs_faults.sh - every emulator fault, and what dsreg does:
# reply without a status line (allow-list message), HTTP 500, code 300
# (retried with backoff, then given up as retry class "later"), 486 once
# (retried, succeeds), a hang (timeout), truncated XML, a 100 MB reply
# (cap), the connection closed right after an unlock was applied (lock
# restored, no DS change).
OSRS_ADDR=127.30.2.1
TIMEOUT=2
. "$SRCDIR/tests/opensrs/lib.sh"
osrs_setup
osrs_start

# --- no HTTP status line: the allow-list message, exactly
faults '[{"match": {"action": "GET"}, "fault": "raw"}]'
run opensrs tucows info open.lab
expect_rc 3 "raw reply"
expect_err "$OSRS_ADDR: reply without an HTTP status line: is this host's IP on the reseller's API allow-list?" "raw reply"

# --- HTTP 500
faults '[{"match": {"action": "GET"}, "fault": "http500"}]'
run opensrs tucows info open.lab
expect_rc 3 "http 500"
expect_err "HTTP status 500 from the API" "http 500"

# --- 300 rate limited, always: 3 attempts with backoff, then "later"
faults '[{"match": {"action": "GET"}, "fault": "code", "code": 300, "text": "Rate limit exceeded"}]'
clear_log
start=$(date +%s)
run opensrs tucows info open.lab
secs=$(( $(date +%s) - start ))
expect_rc 3 "code 300"
expect_err "300 Rate limit exceeded (retry: later)" "code 300"
expect_calls "GET:status - 300 code
GET:status - 300 code
GET:status - 300 code" "300 is retried up to 3 times"
[ "$secs" -ge 3 ] || fail "no backoff between retries (${secs}s for 3 attempts)"

# --- 486 once: retried and the command succeeds
faults '[{"match": {"action": "SET_DNSSEC_INFO"}, "fault": "code", "code": 486, "count": 1, "text": "Processing, retry shortly"}]'
clear_log
run -v opensrs tucows set-ds open.lab "4242 13 2 $DIG1"
expect_rc 0 "486 once"
expect_calls "GET:status - 200 
SET_DNSSEC_INFO - 486 code
SET_DNSSEC_INFO applied 200 " "486 retried once"
expect_err "486 Processing, retry shortly: retrying in 1000 ms" "486 warning"
[ "$(state_get open.lab ds)" = "4242 13 2 $DIG1" ] || fail "DS after 486 retry"

# --- a response_text with a terminal escape sequence and a newline is defused
#     (ESC itself cannot travel in XML 1.0; the C1 CSI U+009B can)
faults '[{"match": {"action": "GET"}, "fault": "code", "code": 465, "text": "bad\u009b31mred\nline"}]'
run opensrs tucows info open.lab
expect_rc 3 "control characters in response_text"
expect_err "465 bad??31mred?line" "control characters in response_text"
grep -q "$(printf '\302\233')" "$T/err" && fail "CSI reached the terminal"

# --- a hang: the client gives up after its timeout (2 s)
faults '[{"match": {"action": "GET"}, "fault": "hang", "seconds": 20}]'
start=$(date +%s)
run opensrs tucows info open.lab
secs=$(( $(date +%s) - start ))
expect_rc 3 "hang"
expect_err "no complete reply within 2 s" "hang"
[ "$secs" -le 6 ] || fail "hang took ${secs}s with timeout 2"

# --- truncated XML
faults '[{"match": {"action": "GET"}, "fault": "truncated"}]'
run opensrs tucows info open.lab
expect_rc 3 "truncated"
expect_err "not well-formed XML" "truncated"

# --- a 100 MB reply is cut at the cap
faults '[{"match": {"action": "GET"}, "fault": "huge"}]'
run opensrs tucows info open.lab
expect_rc 3 "huge"
expect_err "reply exceeds the 4194304 byte cap" "huge"

# --- connection closed right after the unlock was applied
faults '[{"match": {"action": "MODIFY", "lock_state": "0"}, "fault": "close_after_apply", "count": 1}]'
clear_log
before=$(state_get locked.lab ds)
run opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 3 "closed after unlock"
expect_err "connection closed before a complete reply" "closed after unlock"
expect_err "lock restored" "closed after unlock"
expect_calls "GET:status - 200 
MODIFY:0 applied None close_after_apply
MODIFY:1 applied 200 " "closed after unlock: relock, no set"
[ "$(state_get locked.lab locked)" = 1 ] || fail "locked.lab left unlocked"
[ "$(state_get locked.lab ds)" = "$before" ] || fail "DS changed although the set was never sent"

# --- the server drops idle keep-alive connections between our requests
#     (rate = 4: 0.25 s apart, idle timeout 0.1 s): queries still succeed
osrs_start --idle-timeout 0.1
clear_log
run opensrs slow list --page-size 6
expect_rc 0 "idle connections dropped"
[ "$(wc -l < "$T/out")" -eq 25 ] || fail "idle connections dropped: listing incomplete"
n=$($PY -c 'import json,sys; print(len({json.loads(l)["conn"] for l in open(sys.argv[1])}))' "$T/requests.jsonl")
[ "$n" -ge 2 ] || fail "idle timeout did not force new connections ($n)"

# --- faults cleared: everything works again on the same server
faults '[]'
run opensrs tucows info locked.lab
expect_rc 0 "after faults"
expect_out "locked: yes" "after faults"
# --- DS data the API should never hold is refused, not passed on
$PY - "$T/data.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
doms = d["domains"]
doms["badtag.lab"] = {"owner": "alpha", "ds": [{"key_tag": 70000, "algorithm": 13, "digest_type": 2, "digest": "AB" * 32}]}
doms["badhex.lab"] = {"owner": "alpha", "ds": [{"key_tag": 1, "algorithm": 13, "digest_type": 2, "digest": "XY" * 32}]}
doms["badlen.lab"] = {"owner": "alpha", "ds": [{"key_tag": 1, "algorithm": 13, "digest_type": 2, "digest": "AB" * 20}]}
json.dump(d, open(sys.argv[1], "w"))
PY
osrs_start
run opensrs tucows info badtag.lab
expect_rc 3 "key tag out of range"
expect_err "key_tag, algorithm, digest_type or digest missing or out of range" "key tag out of range"
run opensrs tucows info badhex.lab
expect_rc 3 "digest not hex"
expect_err "digest is not hex" "digest not hex"
run opensrs tucows info badlen.lab
expect_rc 3 "digest length"
expect_err "SHA-256 digest must be 32 octets, got 20" "digest length"
exit 0
