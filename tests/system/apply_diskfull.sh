#!/bin/sh
# tests/system/apply_diskfull.sh - the file system of the state database
# fills up while a change is in flight (the OpenSRS set answers slowly; a
# file fills a 2 MB tmpfs meanwhile): the journal writes that follow fail,
# and apply exits 3 (not 0), saying so.  With space again, the next run
# finds what the journal could not close and converges (exit 0).
# Net 127.42.  Needs root (tmpfs mount).  No secret in any output.
OSRS_DOMAINS="missing.lab"
LOCKED="missing.lab"
EPP_DOMAINS="broken-alg.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "apply_diskfull: needs root (lab port 53, tmpfs mount)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "apply_diskfull: sqlite3 missing"; exit 77; }
M=$TMPDIR/full
mkdir -p "$M"
mount -t tmpfs -o size=2m,mode=0700 dsreg-test "$M" 2>"$TMPDIR/mount.err" || {
	echo "apply_diskfull: cannot mount a small tmpfs ($(cat "$TMPDIR/mount.err")): skipped"
	exit 77
}
fix_world 127.42
trap 'fix_stop; umount "$M" 2>/dev/null' EXIT
sed -i "s|^state = .*|state = $M/state.db|" "$CONF"

faults() { printf '%s\n' "$1" > "$W/osrs-faults.json.tmp"; mv "$W/osrs-faults.json.tmp" "$W/osrs-faults.json"; }
locked() {
	$PY -c "import json,sys; s=json.load(open('$W/osrs-state.json')); d=s.get('domains', s); print(1 if d['$1']['locked'] else 0)"
}
q() { sqlite3 "$M/state.db" "$1" 2>/dev/null; }

faults '[{"match": {"action": "SET_DNSSEC_INFO", "domain": "missing.lab."}, "fault": "slow", "seconds": 3, "count": 1}]'
"$DSREG" -c "$CONF" apply --yes --wait 0 missing.lab > "$W/out" 2> "$W/err" &
pid=$!
i=0
until [ "$(q "SELECT count(*) FROM journal WHERE step = 'set-ds' AND outcome IS NULL")" = 1 ]; do
	kill -0 "$pid" 2>/dev/null || fail "apply ended before the set was in flight"
	i=$((i + 1))
	[ $i -lt 300 ] || { kill -9 "$pid"; fail "the set never in flight"; }
	sleep 0.1
done
dd if=/dev/zero of="$M/fill" bs=4k > /dev/null 2>&1
[ "$(df -P "$M" | awk 'NR == 2 {print $4}')" = 0 ] || fail "the tmpfs is not full"
wait "$pid"
RC=$?
cat "$W/out" "$W/err" >> "$W/all-output"
[ "$RC" -eq 3 ] || fail "journal writes failed (disk full) but apply exited $RC, want 3"
grep -q "full" "$W/err" || fail "no word on the full disk"
grep -q "the state database could not be written" "$W/err" || fail "no summary of the journal failure"
[ "$(locked missing.lab)" = 1 ] || fail "left unlocked"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "set not applied once"

# space again: the next run resolves what the journal could not close
rm -f "$M/fill"
run apply --yes --wait 30 missing.lab
[ "$RC" -eq 0 ] || fail "the run after the disk-full one: exit $RC, want 0"
[ "$(q "SELECT count(*) FROM journal WHERE parent IS NULL AND outcome IS NULL")" = 0 ] ||
	fail "open journal entries remain"
[ "$(q "SELECT count(*) FROM unlocked")" = 0 ] || fail "still on the books of unlocked domains"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "the next run set the DS again"

grep -qF "$KEY" "$W/all-output" && fail "the API key appears in dsreg's output"
while read -r sig; do
	[ -n "$sig" ] && grep -qF "$sig" "$W/all-output" && fail "a request signature appears in dsreg's output"
done < "$W/osrs-sigs"
echo "apply_diskfull: ok"
exit 0
