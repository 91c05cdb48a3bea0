#!/bin/sh
# tests/system/opensrs_lab.sh - end to end with the DNS lab: the emulator
# publishes an accepted DS change into the lab's parent zone (publish
# contract), so after `dsreg opensrs set-ds` both servers of lab. serve
# exactly the DS that `dsreg ds -K` computed from the zone's keys; removing
# it empties the DS RRset again, and the domain ends locked as it started.
OSRS_ADDR=127.30.200.1
. "$SRCDIR/tests/opensrs/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "opensrs_lab: needs root for the lab's port 53"; exit 77; }
for p in nsd knotd unbound dig; do
	command -v "$p" >/dev/null 2>&1 || { echo "opensrs_lab: $p not installed"; exit 77; }
done
LAB="$T/lab"
cleanup() {
	osrs_stop
	[ -f "$LAB/pids.json" ] && "$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1
	return 0
}
trap cleanup EXIT

"$SRCDIR/tests/lab/lab" start "$LAB" --net 127.30 --profile functional > "$T/lab.log" 2>&1 ||
	{ cat "$T/lab.log"; fail "lab start"; }
osrs_setup
$PY - "$T/data.json" "$KEY_ALPHA" <<'PY'
import json, sys
json.dump({"resellers": {"alpha": {"key": sys.argv[2]}},
           "domains": {"missing.lab": {"owner": "alpha", "locked": True}}},
          open(sys.argv[1], "w"))
PY
osrs_start --publish-dir "$LAB/publish" --publish-cmd "'$SRCDIR/tests/lab/lab' publish '$LAB' >> '$T/publish.log' 2>&1"

. "$SRCDIR/tests/lab/lib.sh"
parent_ds() { lab_parent_ds 127.30 missing.lab; }
[ "$(parent_ds)" = "--
--" ] || fail "missing.lab has a DS before the test: $(parent_ds)"

"$DSREG" ds -K "$LAB/keys" missing.lab > "$T/ds.txt" 2>&1 || { cat "$T/ds.txt"; fail "dsreg ds"; }
ds=$(awk '$3 == "DS" { print $4, $5, $6, $7 }' "$T/ds.txt")
[ -n "$ds" ] || fail "no DS computed"

run opensrs tucows set-ds missing.lab "$ds"
expect_rc 0 "set-ds missing.lab"
[ "$(parent_ds)" = "$ds
--
$ds
--" ] || { cat "$T/publish.log"; fail "parent servers do not serve the new DS: $(parent_ds)"; }
[ "$(state_get missing.lab locked)" = 1 ] || fail "missing.lab not relocked"

run opensrs tucows set-ds missing.lab
expect_rc 0 "remove DS"
[ "$(parent_ds)" = "--
--" ] || fail "DS still served after removal: $(parent_ds)"
exit 0
