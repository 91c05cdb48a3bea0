#!/bin/sh
# tests/system/apply_signals.sh - SIGTERM / SIGHUP during apply's
# unlock -> set -> relock (the OpenSRS service answers slowly, so the
# signal lands while a request is in flight):
#   A SIGTERM while the DS set is in flight: the set finishes, the domain
#     is locked again, every step is journalled, exit 143;
#   B SIGHUP while the unlock is in flight: the unlock finishes, the DS set
#     is not sent, the domain is locked again, the change is journalled as
#     not applied, exit 129;
#   C a second SIGTERM exits at once (143); the next run converges.
# Net 127.41.  No secret in any output.
OSRS_DOMAINS="missing.lab stale.lab roll-one.lab"
LOCKED="missing.lab stale.lab roll-one.lab"
EPP_DOMAINS="broken-alg.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "apply_signals: needs root for the lab's port 53"; exit 77; }
command -v sqlite3 >/dev/null || { echo "apply_signals: sqlite3 missing"; exit 77; }
fix_world 127.41

faults() { printf '%s\n' "$1" > "$W/osrs-faults.json.tmp"; mv "$W/osrs-faults.json.tmp" "$W/osrs-faults.json"; }
locked() {
	$PY -c "import json,sys; s=json.load(open('$W/osrs-state.json')); d=s.get('domains', s); print(1 if d['$1']['locked'] else 0)"
}
q() { sqlite3 "$W/state.db" "$1" 2>/dev/null; }
open_step() {
	[ "$(q "SELECT count(*) FROM journal WHERE domain = '$1.' AND step = '$2' AND outcome IS NULL")" = 1 ]
}

# bg DOMAIN STEP: start apply, wait until STEP of DOMAIN is in flight
bg() {
	"$DSREG" -c "$CONF" apply --yes --wait 0 "$1" > "$W/bg.out" 2> "$W/bg.err" &
	pid=$!
	i=0
	until open_step "$1" "$2"; do
		kill -0 "$pid" 2>/dev/null || { cat "$W/bg.err"; fail "$1: apply ended before $2"; }
		i=$((i + 1))
		[ $i -lt 300 ] || { kill -9 "$pid"; fail "$1: $2 never in flight"; }
		sleep 0.1
	done
}
# finish: wait for the background apply, its status in RC
finish() {
	wait "$pid"
	RC=$?
	cat "$W/bg.out" "$W/bg.err" >> "$W/all-output"
}

# A: SIGTERM while the DS set is in flight
faults '[{"match": {"action": "SET_DNSSEC_INFO", "domain": "missing.lab."}, "fault": "slow", "seconds": 3}]'
bg missing.lab set-ds
kill -TERM "$pid"
finish
[ "$RC" -eq 143 ] || fail "A: exit $RC, want 143 (128 + SIGTERM)"
[ "$(locked missing.lab)" = 1 ] || fail "A: SIGTERM left missing.lab unlocked"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "A: set not applied once"
[ "$(q "SELECT count(*) FROM journal WHERE domain = 'missing.lab.' AND outcome IS NULL")" = 0 ] ||
	fail "A: journal rows left open"
[ "$(q "SELECT group_concat(step || '=' || outcome, ' ') FROM journal WHERE domain = 'missing.lab.' AND parent IS NOT NULL")" = "unlock=ok set-ds=ok relock=ok" ] ||
	fail "A: journal steps: $(q "SELECT group_concat(step || '=' || outcome, ' ') FROM journal WHERE domain = 'missing.lab.'")"
[ "$(q "SELECT count(*) FROM unlocked")" = 0 ] || fail "A: still on the books of unlocked domains"
grep -q "SIGTERM: finishing the request in flight" "$W/bg.err" || fail "A: no word on the signal"

# B: SIGHUP while the unlock is in flight: no set, relocked
faults '[{"match": {"action": "MODIFY", "lock_state": "0", "domain": "stale.lab."}, "fault": "slow", "seconds": 3}]'
bg stale.lab unlock
kill -HUP "$pid"
finish
[ "$RC" -eq 129 ] || fail "B: exit $RC, want 129 (128 + SIGHUP)"
[ "$(locked stale.lab)" = 1 ] || fail "B: SIGHUP left stale.lab unlocked"
[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 0 ] || fail "B: the DS set was sent after the signal"
[ "$(q "SELECT outcome FROM journal WHERE domain = 'stale.lab.' AND parent IS NULL")" = "not-applied" ] ||
	fail "B: change journalled as '$(q "SELECT outcome FROM journal WHERE domain = 'stale.lab.' AND parent IS NULL")'"
[ "$(q "SELECT count(*) FROM journal WHERE domain = 'stale.lab.' AND outcome IS NULL")" = 0 ] ||
	fail "B: journal rows left open"

# C: a second SIGTERM exits at once; the next run converges
faults '[{"match": {"action": "SET_DNSSEC_INFO", "domain": "roll-one.lab."}, "fault": "slow", "seconds": 8, "count": 1}]'
bg roll-one.lab set-ds
kill -TERM "$pid"
sleep 0.5
t0=$(date +%s)
kill -TERM "$pid"
finish
[ "$RC" -eq 143 ] || fail "C: exit $RC after a second SIGTERM, want 143"
[ $(($(date +%s) - t0)) -le 2 ] || fail "C: the second SIGTERM did not exit at once"
grep -q "SIGTERM again: exiting now" "$W/bg.err" || fail "C: no word on the second signal"
sleep 8
faults '[]'
run apply --yes --wait 30 roll-one.lab stale.lab
[ "$RC" -eq 0 ] || fail "C: the next run: exit $RC"
[ "$(locked roll-one.lab)" = 1 ] || fail "C: roll-one.lab left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 1 ] || fail "C: roll-one.lab set $(count_osrs SET_DNSSEC_INFO roll-one.lab) times"
[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 1 ] || fail "C: stale.lab not changed by the next run"

grep -qF "$KEY" "$W/all-output" && fail "the API key appears in dsreg's output"
while read -r sig; do
	[ -n "$sig" ] && grep -qF "$sig" "$W/all-output" && fail "a request signature appears in dsreg's output"
done < "$W/osrs-sigs"
echo "apply_signals: ok"
exit 0
