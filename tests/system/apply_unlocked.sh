#!/bin/sh
# tests/system/apply_unlocked.sh - a domain dsreg unlocked stays on the
# books until a lock read-back confirms it locked again:
#   A the OpenSRS service answers HTTP 500 for 6 s right after an unlock
#     (every relock try fails): exit 3, LEFT UNLOCKED, `report` lists it
#     (text and JSON) and exits 3;
#   B the next run cannot relock either (435): it does not change the
#     domain (no DS set sent to an unlocked domain) and exits 3 again;
#   C the next run relocks it first, reads the lock back, then makes the
#     change with unlock -> set -> relock, exits 0; report lists nothing;
#   D the service exits right after an unlock: after a restart the next
#     run relocks first and converges.
# Net 127.40.  No secret in any output.
OSRS_DOMAINS="missing.lab stale.lab"
LOCKED="missing.lab stale.lab"
EPP_DOMAINS="broken-alg.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "apply_unlocked: needs root for the lab's port 53"; exit 77; }
command -v sqlite3 >/dev/null || { echo "apply_unlocked: sqlite3 missing"; exit 77; }
fix_world 127.40

faults() { printf '%s\n' "$1" > "$W/osrs-faults.json.tmp"; mv "$W/osrs-faults.json.tmp" "$W/osrs-faults.json"; }
locked() {
	$PY -c "import json,sys; s=json.load(open('$W/osrs-state.json')); d=s.get('domains', s); print(1 if d['$1']['locked'] else 0)"
}
# requests for DOMAIN (action:lock_state) since log line N
calls_since() {
	tail -n +"$(($1 + 1))" "$OSRS_LOG" | $PY -c "
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if (r.get('domain') or '').rstrip('.') == sys.argv[1]:
        print('%s:%s %s' % (r['action'], r.get('lock_state') or r.get('type') or '-', 'applied' if r['applied'] else r.get('code') or r.get('fault')))
" "$2"
}
logn() { wc -l < "$OSRS_LOG"; }

# A: the service falls over right after the unlock
faults '[{"match": {"action": "MODIFY", "lock_state": "0", "domain": "missing.lab."}, "fault": "down_after_apply", "seconds": 6, "count": 1}]'
t0=$(date +%s)
run apply --yes --wait 0 missing.lab
[ "$RC" -eq 3 ] || fail "A: exit $RC, want 3"
grep -q "missing.lab. LEFT UNLOCKED" "$W/err" || fail "A: no LEFT UNLOCKED"
[ "$(locked missing.lab)" = 0 ] || fail "A: the fault did not leave it unlocked"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 0 ] || fail "A: set applied"
while [ $(($(date +%s) - t0)) -le 7 ]; do sleep 1; done
faults '[]'
run report
[ "$RC" -eq 3 ] || fail "A: report exit $RC while a domain is left unlocked, want 3"
grep -q "^  missing.lab\. *tucows *unlocked since " "$W/out" || fail "A: report does not list missing.lab as unlocked"
run --format json report
$PY -c '
import json, sys
u = json.load(open(sys.argv[1]))["unlocked"]
assert [x["domain"] for x in u] == ["missing.lab."] and u[0]["account"] == "tucows" and u[0]["since"] > 0, u
' "$W/out" || fail "A: report JSON has no unlocked list with missing.lab"

# B: relocking fails again: still on the books, not changed, exit 3
faults '[{"match": {"action": "MODIFY", "lock_state": "1", "domain": "missing.lab."}, "fault": "code", "code": 435, "text": "Permission denied"}]'
n=$(logn)
run apply --yes --wait 0 missing.lab
[ "$RC" -eq 3 ] || fail "B: exit $RC while the domain stays unlocked, want 3"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 0 ] || fail "B: the DS set was sent to a domain left unlocked"
calls_since "$n" missing.lab | grep -q "^MODIFY:1 435" || fail "B: no relock tried first"
grep -q "missing.lab. LEFT UNLOCKED" "$W/err" || fail "B: no LEFT UNLOCKED"
run report
[ "$RC" -eq 3 ] || fail "B: report exit $RC"

# C: the service is well: relock first, read back, then the change
faults '[]'
n=$(logn)
run --format jsonl apply --yes --wait 30 missing.lab
[ "$RC" -eq 0 ] || fail "C: exit $RC, want 0"
got=$(calls_since "$n" missing.lab | tr '\n' '|')
want="GET:status 200|MODIFY:1 applied|GET:status 200|"
case "$got" in
"$want"*) ;;
*) fail "C: the run did not relock (and read back) first: $got" ;;
esac
case "$got" in
*"MODIFY:0 applied|SET_DNSSEC_INFO:- applied|MODIFY:1 applied|GET:status 200|") ;;
*) fail "C: the change was not unlock, set, relock, read back: $got" ;;
esac
[ "$(locked missing.lab)" = 1 ] || fail "C: left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "C: set not applied once"
[ "$(sqlite3 "$W/state.db" "SELECT count(*) FROM journal WHERE parent IS NULL AND step = 'relock' AND outcome = 'ok' AND domain = 'missing.lab.'")" = 1 ] ||
	fail "C: the relock is not in the journal"
run report
[ "$RC" -eq 0 ] || fail "C: report exit $RC"
grep -q "0 LEFT UNLOCKED" "$W/out" || fail "C: report still lists a domain"

# D: the service exits right after the unlock; restarted with its state
faults '[{"match": {"action": "MODIFY", "lock_state": "0", "domain": "stale.lab."}, "fault": "exit_after_apply", "count": 1}]'
run apply --yes --wait 0 stale.lab
[ "$RC" -eq 3 ] || fail "D: exit $RC, want 3"
[ "$(locked stale.lab)" = 0 ] || fail "D: the fault did not leave it unlocked"
wait "$OSRS_PID" 2>/dev/null
faults '[]'
$PY - "$W/osrs.json" "$W/osrs-state.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
d["domains"] = s.get("domains", s)
json.dump(d, open(sys.argv[1], "w"), indent=1)
PY
start_osrs
run apply --yes --wait 30 stale.lab
[ "$RC" -eq 0 ] || fail "D: exit $RC after the restart, want 0"
grep -q "stale.lab.: locked again" "$W/err" || fail "D: not relocked first"
[ "$(locked stale.lab)" = 1 ] || fail "D: left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 1 ] || fail "D: set not applied once"

grep -qF "$KEY" "$W/all-output" && fail "the API key appears in dsreg's output"
while read -r sig; do
	[ -n "$sig" ] && grep -qF "$sig" "$W/all-output" && fail "a request signature appears in dsreg's output"
done < "$W/osrs-sigs"
echo "apply_unlocked: ok"
exit 0
