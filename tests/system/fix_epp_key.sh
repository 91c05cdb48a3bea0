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

# apply when no thread can be made (pthread_create fails, as under
# RLIMIT_NPROC): each account's changes run in the calling thread instead
# of joining a thread that was never started.  Not under ASan (its runtime
# must come first).
if command -v cc >/dev/null && ! ldd "$DSREG" 2>/dev/null | grep -q asan; then
	cc -shared -fPIC -o "$W/nothreads.so" "$SRCDIR/tests/fix/nothreads.c" ||
		fail "building the pthread_create shim"
	LD_PRELOAD="$W/nothreads.so" run --format jsonl apply --yes --wait 60 stale.lab
	[ "$RC" -eq 0 ] || { cat "$W/err"; fail "apply without threads: exit $RC, want 0"; }
	grep -q '"change":"applied"' "$W/out" || fail "apply without threads: stale.lab not applied"
	grep -q "no thread for account" "$W/err" || fail "apply without threads: not said"
	[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 1 ] ||
		fail "apply without threads: stale.lab changed $(count_osrs SET_DNSSEC_INFO stale.lab) times, want 1"
else
	echo "fix_epp_key: no cc, or an ASan build: apply without threads not tested"
fi
echo "fix_epp_key: ok"
