#!/bin/sh
# tests/system/fix_epp_key.sh - apply at an EPP registry that takes keys
# (RFC 5910 keyData) instead of DS: the DNSKEY goes in, the parent publishes
# its DS, and a second run sees that the registry holds it and sends nothing.
OSRS_DOMAINS="stale.lab"
LOCKED=""
EPP_DOMAINS="missing.lab roll-one.lab"
EPP_INTERFACE=key
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "fix_epp_key: needs root for the lab's port 53"; exit 77; }
fix_world 127.14

run --format jsonl apply --yes --wait 60 missing.lab
[ "$RC" -eq 0 ] || fail "apply: exit $RC"
grep -q '"change":"applied"' "$W/out" || fail "missing.lab not applied"
grep -q '"published":true' "$W/out" || fail "missing.lab not published"
grep -q "^UPDATE missing.lab .*-> 1000" "$EPP_LOG" || fail "no update at the registry"
key=$(grep -v '^;' "$LAB"/keys/missing.lab/Kmissing.lab.+013+*.key | grep 'DNSKEY 257' | awk '{print $NF}' | head -n 1)
run epp registry info missing.lab
grep -qF "$key" "$W/out" || fail "the registry does not hold the KSK as keyData"
run --format jsonl audit missing.lab
grep -q '"verdict":"ok"' "$W/out" || fail "missing.lab not ok after apply"
run --format jsonl apply --yes --wait 5 missing.lab
[ "$(grep -c "^UPDATE missing.lab" "$EPP_LOG")" = 1 ] || fail "a second apply updated the registry again"
echo "fix_epp_key: ok"
