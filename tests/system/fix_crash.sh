#!/bin/sh
# tests/system/fix_crash.sh - kill -9 dsreg apply at each step in turn:
#   A after the unlock (the DS set is outstanding and not applied),
#   B after the DS set was applied (its answer outstanding),
#   C before the relock is done (relock outstanding, not applied),
#   D with an EPP update outstanding.
# The next run converges each time; at the end no domain is left unlocked
# and every change was applied exactly once (emulator and registry logs).
# A second apply while one runs is refused.
OSRS_DOMAINS="missing.lab stale.lab roll-one.lab"
LOCKED="missing.lab stale.lab roll-one.lab"
EPP_DOMAINS="broken-alg.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "fix_crash: needs root for the lab's port 53"; exit 77; }
command -v sqlite3 >/dev/null || { echo "fix_crash: sqlite3 missing"; exit 77; }
EPP_SLOW=1.5
fix_world 127.14

faults() { printf '%s\n' "$1" > "$W/osrs-faults.json.tmp"; mv "$W/osrs-faults.json.tmp" "$W/osrs-faults.json"; }

# open_step DOMAIN STEP: a journal row for STEP of DOMAIN is begun, not ended
open_step() {
	[ "$(sqlite3 "$W/state.db" "SELECT count(*) FROM journal WHERE domain = '$1.' AND step = '$2' AND outcome IS NULL" 2>/dev/null)" = 1 ]
}

locked() {
	$PY -c "import json,sys; s=json.load(open('$W/osrs-state.json')); d=s.get('domains', s); print(1 if d['$1']['locked'] else 0)"
}

# crash DOMAIN STEP [extra condition command]: start apply, wait until STEP
# of DOMAIN is outstanding (and the condition holds), kill -9 it.
crash() {
	"$DSREG" -c "$CONF" apply --yes --wait 5 "$1" > "$W/crash.out" 2>&1 &
	pid=$!
	i=0
	until open_step "$1" "$2" && { [ -z "${3:-}" ] || eval "$3"; }; do
		kill -0 "$pid" 2>/dev/null || { cat "$W/crash.out"; fail "$1: apply ended before $2"; }
		i=$((i + 1))
		[ $i -lt 300 ] || { kill -9 "$pid"; fail "$1: $2 never outstanding"; }
		sleep 0.1
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	echo "killed apply of $1 during $2"
}

# converge DOMAIN: the next run fixes it; verified at every parent server
converge() {
	run --format jsonl apply --yes --wait 60 "$1"
	[ "$RC" -eq 0 ] || fail "$1: apply after the crash: exit $RC"
	grep -q "resolved after an interrupted run" "$W/err" ||
		fail "$1: the interrupted change was not resolved first"
	run --format jsonl audit "$1"
	grep -q '"verdict":"ok"' "$W/out" || fail "$1: not ok after the next run"
}

# second_apply: another apply while one runs is refused (exit 3)
second_apply() {
	"$DSREG" -c "$CONF" apply --yes --wait 0 missing.lab > "$W/second.out" 2>&1
	rc=$?
	[ "$rc" -eq 3 ] && grep -q "another dsreg apply is running" "$W/second.out" && return 0
	echo "FAIL: a second apply during a running one: exit $rc"
	cat "$W/second.out"
	exit 1
}

# A: kill after the unlock, while the DS set hangs (not applied); while it
#    hangs, a second apply (an overlapping cron run) is refused
faults '[{"match": {"action": "SET_DNSSEC_INFO", "domain": "missing.lab."}, "fault": "hang", "seconds": 20, "count": 1}]'
crash missing.lab set-ds second_apply
[ "$(locked missing.lab)" = 0 ] || fail "A: the crash window was not real (domain locked)"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 0 ] || fail "A: set applied"
faults '[]'
converge missing.lab
[ "$(locked missing.lab)" = 1 ] || fail "A: left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "A: DS set applied $(count_osrs SET_DNSSEC_INFO missing.lab) times"

# B: kill after the DS set was applied, before its answer came back
faults '[{"match": {"action": "SET_DNSSEC_INFO", "domain": "stale.lab."}, "fault": "hang_after_apply", "seconds": 20, "count": 1}]'
crash stale.lab set-ds '[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 1 ]'
[ "$(locked stale.lab)" = 0 ] || fail "B: the crash window was not real"
faults '[]'
converge stale.lab
[ "$(locked stale.lab)" = 1 ] || fail "B: left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 1 ] || fail "B: DS set applied $(count_osrs SET_DNSSEC_INFO stale.lab) times"

# C: kill before the relock is done (it hangs, not applied)
faults '[{"match": {"action": "MODIFY", "lock_state": "1", "domain": "roll-one.lab."}, "fault": "hang", "seconds": 20, "count": 1}]'
crash roll-one.lab relock
[ "$(locked roll-one.lab)" = 0 ] || fail "C: the crash window was not real"
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 1 ] || fail "C: set not applied before the relock"
faults '[]'
converge roll-one.lab
[ "$(locked roll-one.lab)" = 1 ] || fail "C: left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 1 ] || fail "C: DS set applied $(count_osrs SET_DNSSEC_INFO roll-one.lab) times"

# D: kill with an EPP update outstanding (the registry answers slowly and
#    applies it after the client is gone)
crash broken-alg.lab update
i=0
until grep -q "^UPDATE broken-alg.lab .*-> 1000" "$EPP_LOG"; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "D: the registry never applied the update"; sleep 0.1
done
converge broken-alg.lab
n=$(grep -c "^UPDATE broken-alg.lab .*-> 1000" "$EPP_LOG")
[ "$n" = 1 ] || fail "D: EPP update applied $n times"

# nothing open in the journal, nothing unlocked, nothing else touched
[ "$(sqlite3 "$W/state.db" "SELECT count(*) FROM journal WHERE parent IS NULL AND outcome IS NULL")" = 0 ] ||
	fail "open journal entries remain"
for d in missing.lab stale.lab roll-one.lab elsewhere.lab; do
	[ "$(locked $d)" = 1 ] || fail "$d unlocked at the end"
done
[ "$(count_osrs MODIFY elsewhere.lab)" = 0 ] || fail "elsewhere.lab touched"
echo "fix_crash: ok"
