#!/bin/sh
# tests/system/opensrs_basic.sh - dsreg opensrs against the HTTPS emulator:
# multi-page listing (pages counted from 1 and from 0), info, lock, unlock,
# set-ds on unlocked and locked domains (unlock/set/relock), removal of all
# DS, JSON output, sub-reseller, refusals (wrong key, other reseller's
# domain, locked domain without relock, key file readable by others).
OSRS_ADDR=127.30.1.1
. "$SRCDIR/tests/opensrs/lib.sh"
osrs_setup
osrs_start

# --- list: 25 domains (+1 hostile name) visible to alpha, 6 per page -> 5 pages
run opensrs tucows list --page-size 6
expect_rc 0 "list"
[ "$(wc -l < "$T/out")" -eq 25 ] || fail "list: expected 25 domains"
expect_out "locked.lab 2027-03-01 00:00:00" "list"
expect_out "bulk22.lab" "list"
grep -q "other.lab\|sub.lab" "$T/out" && fail "list shows another reseller's or a sub-reseller's domain"
[ "$(sort "$T/out" | uniq -d | wc -l)" -eq 0 ] || fail "list has duplicates"
grep -q forged "$T/out" && fail "a domain name with a newline was printed"
expect_err "has no usable domain name: skipped" "hostile name"
pages=$(grep -c GET_DOMAINS_BY_EXPIREDATE "$T/requests.jsonl")
[ "$pages" -eq 5 ] || fail "list with page base 1: expected 5 requests, got $pages"
conns() { $PY -c 'import json,sys; print(" ".join(str(json.loads(l)["conn"]) for l in open(sys.argv[1])))' "$T/requests.jsonl"; }
[ "$(conns)" = "1 1 1 1 1" ] || fail "queries do not reuse the connection: $(conns)"

# --- rate = 4: requests at least 0.25 s apart
clear_log
run opensrs slow list --page-size 6
expect_rc 0 "rate-limited list"
$PY - "$T/requests.jsonl" <<'PY' || fail "rate = 4 not honoured"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])]
gaps = [b - a for a, b in zip(t, t[1:])]
# arrival times: the first request also carried the TLS handshake
# (so only the later ones, on the reused connection, are compared)
assert len(t) == 5 and min(gaps[1:]) >= 0.2 and t[4] - t[1] >= 0.7, gaps
PY

# --- the same with a server counting pages from 0
osrs_stop
clear_log
osrs_start --page-base 0
run --format json opensrs tucows list --page-size 7
expect_rc 0 "list json page base 0"
n=$($PY -c 'import json,sys; a=json.load(open(sys.argv[1])); print(len(a), len({x["domain"] for x in a}))' "$T/out")
[ "$n" = "25 25" ] || fail "list page base 0: got $n"
pages=$(grep -c GET_DOMAINS_BY_EXPIREDATE "$T/requests.jsonl")
[ "$pages" -eq 4 ] || fail "list with page base 0: expected 4 requests, got $pages"

run --format csv opensrs tucows list
expect_rc 0 "list csv"
[ "$(head -n 2 "$T/out")" = "account,domain,expiredate
tucows,bulk00.lab,2029-01-15 00:00:00" ] || fail "csv listing"
[ "$(wc -l < "$T/out")" -eq 26 ] || fail "csv rows"

# --- a server counting from 1 that refuses page 0
osrs_stop
clear_log
osrs_start --strict-page
run opensrs tucows list --page-size 10
expect_rc 0 "list, page 0 refused"
[ "$(wc -l < "$T/out")" -eq 25 ] || fail "list, page 0 refused: expected 25 domains"
[ "$($PY -c 'import json,sys; print(" ".join(str(json.loads(l)["code"]) for l in open(sys.argv[1])))' "$T/requests.jsonl")" = "465 200 200 200" ] ||
	fail "list, page 0 refused: requests"

# --- a server whose paging never advances: an error, not an endless loop
osrs_stop
clear_log
osrs_start --stuck-paging
run opensrs tucows list --page-size 10
expect_rc 3 "stuck paging"
expect_err "paging does not advance" "stuck paging"
[ "$(grep -c . "$T/requests.jsonl")" -eq 3 ] || fail "stuck paging: expected 3 requests"

# --- sub-reseller sees only its domain
run --format jsonl opensrs sub list
expect_rc 0 "sub list"
[ "$(cat "$T/out")" = '{"account":"sub","domain":"sub.lab","expiredate":"2028-01-01 00:00:00"}' ] ||
	fail "sub-reseller listing"
grep -q '"subreseller": "subco"' "$T/requests.jsonl" || fail "as_subreseller not sent"

# --- info
run opensrs tucows info locked.lab
expect_rc 0 "info"
expect_out "locked: yes" "info"
expect_out "ds: locked.lab. IN DS 11111 13 2 $DIG2" "info"
run --format json opensrs tucows info open.lab
expect_rc 0 "info json"
$PY -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["locked"] is False and o["ds"]==[] and o["domain"]=="open.lab", o' "$T/out" ||
	fail "info json of open.lab"

# --- set-ds on an unlocked domain: no lock calls
clear_log
run opensrs tucows set-ds open.lab "12345 13 2 $DIG1"
expect_rc 0 "set-ds open.lab"
expect_calls "GET:status - 200 
SET_DNSSEC_INFO applied 200 " "set-ds on unlocked domain"
[ "$(state_get open.lab ds)" = "12345 13 2 $DIG1" ] || fail "DS of open.lab not stored"
[ "$(state_get open.lab locked)" = 0 ] || fail "open.lab got locked"

# --- set-ds on a locked domain: unlock, set, relock (two DS, four-word form)
clear_log
run -v opensrs tucows set-ds locked.lab 12345 13 2 "$DIG1" "2222 8 2 $DIG2"
expect_rc 0 "set-ds locked.lab"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
SET_DNSSEC_INFO applied 200 
MODIFY:1 applied 200 " "unlock, set, relock"
[ "$(state_get locked.lab locked)" = 1 ] || fail "locked.lab not relocked"
[ "$(state_get locked.lab ds | sort)" = "$(printf '12345 13 2 %s\n2222 8 2 %s\n' "$DIG1" "$DIG2" | sort)" ] ||
	fail "DS set of locked.lab"
expect_out "unlocked and locked again" "set-ds text"
# queries reuse a connection, every change goes over a new one
c=$(conns); set -- $c
[ "$1" != "$2" ] || fail "GET then MODIFY: the unlock must use a new connection ($c)"
[ $# -eq 4 ] && [ "$2" != "$3" ] && [ "$3" != "$4" ] && [ "$2" != "$4" ] ||
	fail "each change on a fresh connection: $c"
expect_err "locked.lab: relock: done" "-v step log"

# --- a trailing dot is accepted; a record given twice is sent once
clear_log
run opensrs tucows set-ds open.lab. "12345 13 2 $DIG1" "12345 13 2 $(echo "$DIG1" | tr A-F a-f)"
expect_rc 0 "set-ds with trailing dot and a duplicate"
grep -q '"domain": "open.lab",.*"ds": \["12345 13 2 '"$DIG1"'"\]' "$T/requests.jsonl" ||
	fail "duplicate DS sent twice or domain sent with its dot"

# --- set-ds with no DS removes DNSSEC (and the request carries an empty array)
clear_log
run --format json opensrs tucows set-ds locked.lab
expect_rc 0 "set-ds remove"
[ -z "$(state_get locked.lab ds)" ] || fail "DS not removed"
[ "$(state_get locked.lab locked)" = 1 ] || fail "locked.lab not relocked after removal"
$PY -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["ok"] and o["was_locked"] and o["unlocked"] and o["relocked"] and not o["left_unlocked"] and o["ds"]==[], o' "$T/out" ||
	fail "set-ds json"
grep -q '"ds": \[\]' "$T/requests.jsonl" || fail "empty dnssec array not sent"

# --- lock / unlock
run opensrs tucows unlock bulk00.lab
expect_rc 0 "unlock"
expect_out "bulk00.lab: unlocked" "unlock"
[ "$(state_get bulk00.lab locked)" = 0 ] || fail "bulk00.lab still locked"
run --format jsonl opensrs tucows lock bulk00.lab
expect_rc 0 "lock"
expect_out '"locked":true' "lock json"
[ "$(state_get bulk00.lab locked)" = 1 ] || fail "bulk00.lab not locked"

# --- relock = no on a locked domain: the API's refusal is reported
clear_log
run opensrs norelock set-ds bulk02.lab "12345 13 2 $DIG1"
expect_rc 3 "set-ds without relock on a locked domain"
expect_err "405 Object status prohibits operation: domain is locked" "locked refusal"
expect_err "relock is off: if bulk02.lab is locked, unlock it first or set relock = yes" "relock hint"
expect_calls "SET_DNSSEC_INFO - 405 " "no lock calls without relock"

# --- refusals
run opensrs wrongkey info open.lab
expect_rc 3 "wrong key"
expect_err "410 Authentication Error" "wrong key"
expect_err "(retry: never)" "wrong key retry class"
run opensrs tucows info other.lab
expect_rc 3 "other reseller's domain"
expect_err "415" "other reseller's domain"
run opensrs tucows set-ds open.lab "12345 13 2 ABCD"
expect_rc 2 "bad DS argument"
clear_log
run opensrs tucows set-ds open.lab "0 0 0 00"
expect_rc 3 "delete signal as DS"
expect_err "0 0 0 00 is the CDS delete signal" "delete signal as DS"
[ -s "$T/requests.jsonl" ] && fail "delete signal: nothing may be sent"
chmod 644 "$T/alpha.key"
run opensrs tucows list
expect_rc 2 "world-readable key file"
expect_err "readable by group or others" "key file mode"
chmod 600 "$T/alpha.key"
run opensrs nosuch list
expect_rc 2 "unknown account"
run opensrs tucows frobnicate x
expect_rc 2 "unknown verb"
run opensrs tucows list --from 2027-1-1
expect_rc 2 "bad --from"
clear_log
run opensrs tucows list --from 2027-03-15 --to 2027-12-31
expect_rc 0 "list with a date range"
[ "$(cat "$T/out")" = "open.lab 2027-04-01 00:00:00" ] || fail "date range listing"

# --- TLS verification is on: the system CAs do not know the test CA
run opensrs noca list
expect_rc 3 "unknown CA"
expect_err "TLS" "unknown CA"

# --- publish contract: an accepted DS set is written to DIR/<domain>.ds
#     (complete set, presentation form; empty file = no DS), then CMD runs
osrs_start --publish-dir "$T/publish" --publish-cmd "echo ran >> '$T/publish.log'"
run opensrs tucows set-ds open.lab "12345 13 2 $DIG1" "2222 8 2 $DIG2"
expect_rc 0 "set-ds with publish"
[ "$(cat "$T/publish/open.lab.ds")" = "open.lab. 3600 IN DS 12345 13 2 $DIG1
open.lab. 3600 IN DS 2222 8 2 $DIG2" ] || fail "published DS file"
[ "$(cat "$T/publish.log")" = ran ] || fail "publish command did not run once"
run opensrs tucows set-ds open.lab
expect_rc 0 "remove with publish"
[ -f "$T/publish/open.lab.ds" ] && [ ! -s "$T/publish/open.lab.ds" ] || fail "removal must publish an empty file"
run opensrs norelock set-ds bulk02.lab "12345 13 2 $DIG1"
expect_rc 3 "refused set with publish"
[ -e "$T/publish/bulk02.lab.ds" ] && fail "a refused change was published"
[ "$(wc -l < "$T/publish.log")" -eq 2 ] || fail "publish command count"
exit 0
