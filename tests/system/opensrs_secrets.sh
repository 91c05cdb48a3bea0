#!/bin/sh
# tests/system/opensrs_secrets.sh - no API key and no X-Signature value ever
# appears in dsreg's output, traces (-vvv: XML and HTTP headers) or errors,
# on success and on every failure path.  The emulator records every
# signature it received; each is searched for in everything dsreg printed.
OSRS_ADDR=127.30.4.1
TIMEOUT=2
. "$SRCDIR/tests/opensrs/lib.sh"
osrs_setup
osrs_start
: > "$T/all-output"

run -vvv opensrs tucows list --page-size 4
expect_rc 0 "list"
run -vvv opensrs tucows info locked.lab
run -vvv --format json opensrs tucows set-ds locked.lab "4242 13 2 $DIG1"
expect_rc 0 "set-ds"
run -vvv opensrs sub list
run -vvv opensrs beta info other.lab
run -vvv opensrs wrongkey info open.lab
expect_rc 3 "wrong key"
faults '[{"match": {"action": "GET"}, "fault": "raw"}]'
run -vvv opensrs tucows info open.lab
faults '[{"match": {"action": "GET"}, "fault": "code", "code": 486, "count": 1}]'
run -vvv opensrs tucows info open.lab
faults '[{"match": {"action": "GET"}, "fault": "hang", "seconds": 10}]'
run -vvv opensrs tucows info open.lab
faults '[{"match": {"action": "GET"}, "fault": "truncated"}]'
run -vvv opensrs tucows info open.lab
faults '[{"match": {"action": "MODIFY", "lock_state": "1"}, "fault": "code", "code": 435}]'
run -vvv opensrs tucows set-ds bulk08.lab "4242 13 2 $DIG1"
expect_rc 3 "relock failure"
faults '[]'

# The trace really was on: request XML and the redacted header are there.
grep -q '<item key="action">SET_DNSSEC_INFO</item>' "$T/all-output" || fail "no XML trace"
grep -q '> X-Signature: \[redacted\]' "$T/all-output" || fail "no header trace"
grep -q '> X-Username: alpha' "$T/all-output" || fail "no X-Username in trace"

nsig=$(sort -u "$T/signatures" | grep -c .)
[ "$nsig" -ge 20 ] || fail "emulator recorded only $nsig signatures"
for secret in "$KEY_ALPHA" "$KEY_BETA" not-the-key; do
	grep -qiF -- "$secret" "$T/all-output" && fail "an API key appears in dsreg's output"
done
sort -u "$T/signatures" | while read -r sig; do
	[ -n "$sig" ] || continue
	if grep -qiF -- "$sig" "$T/all-output"; then
		echo "signature $sig appears in dsreg's output"
		exit 1
	fi
done || fail "a signature leaked"
# Not even the emulator's log of requests carries the key.
grep -qF -- "$KEY_ALPHA" "$T/requests.jsonl" && fail "key in request log"
exit 0
