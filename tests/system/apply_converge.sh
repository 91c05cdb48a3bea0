#!/bin/sh
# tests/system/apply_converge.sh - a KSK rollover that adds a DS and must
# keep the old one for the DS TTL converges in ONE apply run when --wait
# covers the TTL: apply records the time it sees the new set at every
# parent server (not the next run's plan), waits the TTL out from there,
# then removes the old DS.  The lab publishes DS sets with a 6 s TTL.
# Net 127.43.  No secret in any output.
OSRS_DOMAINS="roll-one.lab"
LOCKED="roll-one.lab"
EPP_DOMAINS="broken-alg.lab"
LAB_PUBLISH_TTL=6
export LAB_PUBLISH_TTL
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "apply_converge: needs root for the lab's port 53"; exit 77; }
command -v sqlite3 >/dev/null || { echo "apply_converge: sqlite3 missing"; exit 77; }
command -v dnssec-settime >/dev/null || { echo "apply_converge: dnssec-settime missing"; exit 77; }
fix_world 127.43

# the parent serves roll-one.lab's DS set (as it is) with the short TTL
mkdir -p "$LAB/publish"
$PY -c "import json; m=json.load(open('$LAB/manifest.json')); print('\n'.join(r for d in m['domains'] if d['name'] == 'roll-one.lab.' for r in d['parent_ds']))" \
    > "$LAB/publish/roll-one.lab.ds" || fail "publish file"
"$SRCDIR/tests/lab/lab" publish "$LAB" > "$W/publish0.log" 2>&1 || { cat "$W/publish0.log"; fail "lab publish"; }
run --format jsonl audit roll-one.lab
grep -q '"verdict":"incomplete"' "$W/out" || fail "roll-one.lab is not incomplete before"

# retire the old KSK: the plan adds the new KSK's DS, and removes the old
# one only once the new set has been at every parent server for the TTL
old=$($PY -c "import json; m=json.load(open('$LAB/manifest.json')); print([k['tag'] for d in m['domains'] if d['name']=='roll-one.lab.' for k in d['keys'] if k['id']=='ksk'][0])")
f=$(ls "$LAB"/keys/roll-one.lab/Kroll-one.lab.+013+*"$old".key)
dnssec-settime -I now -D +1d -K "$(dirname "$f")" "$(basename "$f" .key)" > /dev/null 2>&1 ||
	fail "dnssec-settime"
run --format jsonl plan roll-one.lab
grep -q "until the new DS set is published" "$W/out" || fail "the plan does not keep the old DS for now"

t0=$(date +%s)
run --format jsonl apply --yes --wait 40 roll-one.lab
t1=$(date +%s)
[ "$RC" -eq 0 ] || fail "apply --wait 40: exit $RC, want 0 (converged in this run)"
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 2 ] ||
	fail "roll-one.lab: $(count_osrs SET_DNSSEC_INFO roll-one.lab) DS change(s) in one run, want 2 (add, then remove after the TTL)"
# the removal came the TTL after the first change was published, not later
$PY - "$OSRS_LOG" <<'PY' || fail "timing of the two changes"
import json, sys
t = [r["t"] for r in map(json.loads, open(sys.argv[1]))
     if r.get("action") == "SET_DNSSEC_INFO" and r.get("applied")]
gap = t[1] - t[0]
print("add -> remove: %.1f s" % gap)
sys.exit(0 if 6 <= gap <= 6 + 8 else 1)
PY
since=$(sqlite3 "$W/state.db" "SELECT since FROM ds_seen WHERE domain = 'roll-one.lab.'")
[ -n "$since" ] && [ "$since" -ge "$t0" ] && [ "$since" -le "$t1" ] ||
	fail "ds_seen for roll-one.lab: '$since', want the time of this run ($t0..$t1)"
run --format jsonl audit roll-one.lab
grep -q '"verdict":"ok"' "$W/out" || fail "roll-one.lab is not ok after one run"
[ "$(count_osrs MODIFY roll-one.lab)" = 4 ] || fail "roll-one.lab: not unlocked and relocked for each change"

grep -qF "$KEY" "$W/all-output" && fail "the API key appears in dsreg's output"
while read -r sig; do
	[ -n "$sig" ] && grep -qF "$sig" "$W/all-output" && fail "a request signature appears in dsreg's output"
done < "$W/osrs-sigs"
echo "apply_converge: ok"
exit 0
