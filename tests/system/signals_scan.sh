#!/bin/sh
# tests/system/signals_scan.sh - a parent that scans CDS (tests/lab/cds_scanner.py,
# the lab's scan.lab.), net 127.85:
#   the audit verifies the signals: a KSK rollover's CDS (ok signals), an
#   insecure delegation bootstrappable by RFC 9615 (_dsboot under both NS),
#   the _dsboot signal missing under one NS (finding names it and the rule),
#   a CDS for a key the child does not serve (finding names server and rule);
#   the scanner publishes the first two (the audit then says ok) and refuses
#   the other two.
set -u
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "signals_scan: needs root for port 53 on loopback"; exit 77; }
for p in nsd knotd unbound dnssec-keygen dig openssl; do
	command -v "$p" >/dev/null 2>&1 || { echo "signals_scan: $p not installed"; exit 77; }
done
LAB="$TMPDIR/lab"
trap '"$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1' EXIT
"$SRCDIR/tests/lab/lab" start "$LAB" --net 127.85 --profile signals > "$TMPDIR/lab.out" 2>&1 ||
	{ cat "$TMPDIR/lab.out"; echo "FAIL: lab start"; exit 1; }
M="$LAB/manifest.json"
get() { $PY -c "import json,sys; m=json.load(open('$M')); print($1)"; }
RES=$(get "m['resolver']")
KEYS=$(get "m['keys']")
fail() { echo "FAIL: $*"; exit 1; }
audit() { "$DSREG" --resolver "$RES" --format jsonl audit --keys "$KEYS" "$@"; }

D="roll.scan.lab boot.scan.lab noboot.scan.lab badcds.scan.lab"
audit $D > "$TMPDIR/before.jsonl" 2> "$TMPDIR/err.txt"
$PY - "$TMPDIR/before.jsonl" <<'PY' || fail "audit before the scan"
import json, sys
r = {o["domain"]: o for o in map(json.loads, open(sys.argv[1]))}
def has(d, *frags):
    for f in frags:
        assert any(f in x for x in r[d]["findings"]), (d, f, r[d]["findings"])
roll, boot, nob, bad = (r[d + "."] for d in ("roll.scan.lab", "boot.scan.lab",
                                             "noboot.scan.lab", "badcds.scan.lab"))
assert roll["verdict"] == "incomplete" and roll["signals"]["ok"], roll["signals"]
assert roll["signals"]["consistent"] and roll["signals"]["signed"]
assert not roll["signals"]["dsboot_checked"], roll["signals"]
assert boot["verdict"] == "missing", boot["verdict"]
assert boot["signals"]["ok"] and boot["signals"]["dsboot_ok"], boot["signals"]
assert [b["present"] and b["signed"] and b["equal"] for b in boot["signals"]["dsboot"]] == [True, True]
assert boot["signals"]["dsboot"][0]["zone"] == "provider.labnet.", boot["signals"]["dsboot"]
assert not any("_dsboot" in f for f in boot["findings"]), boot["findings"]
assert not nob["signals"]["dsboot_ok"]
has("noboot.scan.lab.", "_dsboot.noboot.scan.lab._signal.ns2.provider.labnet.: missing (RFC 9615 §4.1")
assert not any("ns1.provider.labnet.: missing" in f for f in nob["findings"]), nob["findings"]
assert not bad["signals"]["ok"] and not bad["signals"]["match_expected"]
has("badcds.scan.lab.", "child server ns1.provider.labnet. (127.85.3.1): CDS", "for no expected key (RFC 7344 §4.1")
PY

# the registry's scanner: publishes what is right, refuses the rest
"$PY" "$SRCDIR/tests/lab/cds_scanner.py" "$LAB" roll.scan.lab boot.scan.lab > "$TMPDIR/scan1.out" 2>&1 ||
	{ cat "$TMPDIR/scan1.out"; fail "the scanner refused a good domain"; }
grep -q "roll.scan.lab.: published 2 DS" "$TMPDIR/scan1.out" || { cat "$TMPDIR/scan1.out"; fail "roll"; }
grep -q "boot.scan.lab.: published 1 DS" "$TMPDIR/scan1.out" || { cat "$TMPDIR/scan1.out"; fail "boot"; }
rc=0
"$PY" "$SRCDIR/tests/lab/cds_scanner.py" "$LAB" noboot.scan.lab badcds.scan.lab > "$TMPDIR/scan2.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMPDIR/scan2.out"; fail "scanner exit $rc for bad domains"; }
grep -q "noboot.scan.lab.: refused: _dsboot.noboot.scan.lab._signal.ns2.provider.labnet.: missing (RFC 9615" "$TMPDIR/scan2.out" ||
	{ cat "$TMPDIR/scan2.out"; fail "noboot not refused for its missing signal"; }
grep -q "badcds.scan.lab.: refused: .*matches no DNSKEY" "$TMPDIR/scan2.out" ||
	{ cat "$TMPDIR/scan2.out"; fail "badcds not refused"; }

# after the scan: the audit sees the DS
audit roll.scan.lab boot.scan.lab noboot.scan.lab > "$TMPDIR/after.jsonl" 2>> "$TMPDIR/err.txt"
$PY - "$TMPDIR/after.jsonl" <<'PY' || fail "audit after the scan"
import json, sys
r = {o["domain"]: o for o in map(json.loads, open(sys.argv[1]))}
assert r["roll.scan.lab."]["verdict"] == "ok", r["roll.scan.lab."]["findings"]
assert r["boot.scan.lab."]["verdict"] == "ok", r["boot.scan.lab."]["findings"]
assert len(r["boot.scan.lab."]["parent_ds"]) == 1
assert r["noboot.scan.lab."]["verdict"] == "missing"
PY
echo "signals_scan: ok"
