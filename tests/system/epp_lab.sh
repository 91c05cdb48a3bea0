#!/bin/sh
# tests/system/epp_lab.sh - end to end with the DNS lab: the EPP test registry
# publishes accepted DS changes into the lab's parent zone (publish contract),
# so after `dsreg epp add-ds` both servers of lab. serve exactly the DS that
# `dsreg ds -K` computed; on a keyData registry the registry's DS (from the
# DNSKEY sent with --key) is served; rem-all empties the DS RRset again.
. "$SRCDIR/tests/epp/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "epp_lab: needs root for the lab's port 53"; exit 77; }
for p in nsd knotd unbound dig; do
	command -v "$p" >/dev/null 2>&1 || { echo "epp_lab: $p not installed"; exit 77; }
done
epp_setup 127.20.100.1
LAB="$TMPDIR/lab"
lab_cleanup() {
	epp_cleanup
	[ -f "$LAB/pids.json" ] && "$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1
	return 0
}
trap lab_cleanup EXIT

"$SRCDIR/tests/lab/lab" start "$LAB" --net 127.20 --profile functional > "$TMPDIR/lab.log" 2>&1 ||
	{ cat "$TMPDIR/lab.log"; fail "lab start"; }

. "$SRCDIR/tests/lab/lib.sh"
parent_ds() { lab_parent_ds 127.20 missing.lab; }
[ "$(parent_ds)" = "--
--" ] || fail "missing.lab has a DS before the test: $(parent_ds)"

"$DSREG" ds -K "$LAB/keys" missing.lab > "$TMPDIR/ds.txt" 2>&1 || { cat "$TMPDIR/ds.txt"; fail "dsreg ds"; }
ds=$(awk '$3 == "DS" { print $4, $5, $6, $7 }' "$TMPDIR/ds.txt")
[ -n "$ds" ] || fail "no DS computed"
PUBCMD="'$SRCDIR/tests/lab/lab' publish '$LAB' >> '$TMPDIR/publish.log' 2>&1"

# ds interface
epp_start --domain missing.lab --publish-dir "$LAB/publish" --publish-cmd "$PUBCMD"
epp_config
dsr epp reg add-ds missing.lab "$ds"
expect_rc 0 "add-ds missing.lab"
[ "$(parent_ds)" = "$ds
--
$ds
--" ] || { cat "$TMPDIR/publish.log"; fail "parent servers do not serve the new DS: $(parent_ds)"; }
dsr epp reg rem-all missing.lab
expect_rc 0 "rem-all"
[ "$(parent_ds)" = "--
--" ] || fail "DS still served after rem-all: $(parent_ds)"
epp_stop

# keyData registry: the client sends the DNSKEY, the registry makes the DS
kfile=$(ls "$LAB"/keys/missing.lab*/K*.key "$LAB"/keys/Kmissing.lab*.key 2>/dev/null | while read -r f; do
	grep -q 'DNSKEY 257 ' "$f" && echo "$f"; done | head -1)
[ -n "$kfile" ] || fail "no KSK K-file for missing.lab in $LAB/keys"
epp_start --interface key --domain missing.lab --publish-dir "$LAB/publish" --publish-cmd "$PUBCMD"
epp_config "interface = key"
dsr epp reg add-ds --key "$kfile" missing.lab
expect_rc 0 "add-ds --key"
[ "$(parent_ds)" = "$ds
--
$ds
--" ] || { cat "$TMPDIR/publish.log"; fail "keyData: parent servers do not serve the DS: $(parent_ds)"; }
dsr epp reg rem-ds missing.lab "$ds"
expect_rc 0 "rem-ds by DS on the key interface"
[ "$(parent_ds)" = "--
--" ] || fail "DS still served after rem-ds: $(parent_ds)"
expect_not_in "$TMPDIR/server.log" 'INVALID' "valid commands"
exit 0
