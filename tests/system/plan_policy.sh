#!/bin/sh
# tests/system/plan_policy.sh - the per-parent-zone policy in plan, apply,
# instructions and audit over the DNS lab: every planned domain has a route
# (the account's type, registry-scan where the parent reads CDS, manual,
# none); a digest type the parent refuses (SHA-1) is never planned nor
# sent, also through an account; a change past the parent's DS limit is
# refused; instructions and audit JSON carry the policy row.  The lab's
# TLD is fictional: the config gives it a [tld lab] row.  Net 127.83.
OSRS_DOMAINS="missing.lab"
LOCKED="missing.lab"
EPP_DOMAINS="broken-alg.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "plan_policy: needs root for the lab's port 53"; exit 77; }
fix_world 127.83
BASE=$CONF

# conf NAME DIGESTS [TLD-LINES]: a config with those digests and [tld lab]
conf() {
	CONF=$W/$1.conf
	sed "s/^\[dsreg\]\$/[dsreg]\ndigests = $2/" "$BASE" > "$CONF"
	if [ -n "${3:-}" ]; then
		printf '\n[tld lab]                 ; the lab'"'"'s TLD\n%s\n' "$3" >> "$CONF"
	fi
}

D="missing.lab broken-alg.lab stale.lab sha1.lab nods.n3.lab ok-alg13.lab sub.co.lab"

# field DOMAIN KEY: a member of DOMAIN's object in the last jsonl output
field() {
	$PY - "$W/out" "$1" "$2" <<'PY'
import json, sys
out, dom, key = sys.argv[1:]
for line in open(out):
    r = json.loads(line)
    if r.get("domain", "").rstrip(".") == dom:
        v = r.get(key)
        print(json.dumps(v) if not isinstance(v, str) else v)
        break
else:
    print("NO-OBJECT")
PY
}

# 1. a parent that scans CDS and refuses SHA-1
conf scan "sha1 sha256" "reads = cds
bootstrap = delay
scan_delay_hours = 2
refuses = sha1
source = tests/system/plan_policy.sh"
run --format jsonl plan $D
[ "$RC" -eq 1 ] || fail "plan: exit $RC, want 1 (action pending)"
for spec in missing.lab=opensrs broken-alg.lab=epp stale.lab=registry-scan \
    sha1.lab=registry-scan nods.n3.lab=manual ok-alg13.lab=none \
    sub.co.lab=none; do
	d=${spec%%=*}
	want=${spec#*=}
	got=$(field "$d" route)
	[ "$got" = "$want" ] || fail "$d: route $got, want $want"
done
[ "$(field stale.lab plan)" = change ] || fail "stale.lab: plan $(field stale.lab plan)"
field stale.lab actions | grep -q "the registry of lab picks the DS up from CDS within about 2 hours: nothing to send" ||
	fail "stale.lab: no registry-scan note: $(field stale.lab actions)"
field stale.lab actions | grep -q "manual: no account" &&
	fail "stale.lab: still called manual"
field nods.n3.lab actions | grep -q "manual: no account may change it" ||
	fail "nods.n3.lab: not manual: $(field nods.n3.lab actions)"
# stale.lab's change is the scan's; nods.n3.lab is refused, sha1.lab waits
grep -q "2 changes at accounts, 0 manual, 1 refused, 1 waiting, 1 left to the registry's CDS scan" "$W/err" ||
	fail "summary does not count the scan apart: $(cat "$W/err")"
# SHA-1 is never planned for this parent, with or without an account
for d in missing.lab sha1.lab stale.lab; do
	field "$d" actions | grep -q "the registry of lab refuses SHA-1 DS records: not sent" ||
		fail "$d: no note that SHA-1 is not sent: $(field "$d" actions)"
	field "$d" actions | grep -Eq '"add DS [0-9]+ [0-9]+ 1 ' &&
		fail "$d: SHA-1 DS planned: $(field "$d" actions)"
done
field missing.lab actions | grep -Eq '"add DS [0-9]+ 13 2 ' ||
	fail "missing.lab: the SHA-256 DS is not planned: $(field missing.lab actions)"

# the same plan without the row: SHA-1 is planned, stale.lab is manual
conf plain "sha1 sha256"
run --format jsonl plan missing.lab stale.lab
field missing.lab actions | grep -Eq '"add DS [0-9]+ 13 1 ' ||
	fail "without the policy row the SHA-1 DS should be planned (control)"
[ "$(field stale.lab route)" = manual ] || fail "stale.lab without the row: route $(field stale.lab route)"
grep -q "0 left to the registry's CDS scan" "$W/err" || fail "summary without the row: $(cat "$W/err")"

# 2. apply sends the account's change without SHA-1
conf scan "sha1 sha256" "reads = cds
scan_delay_hours = 2
refuses = sha1
source = tests/system/plan_policy.sh"
run --format jsonl apply --yes --wait 30 missing.lab stale.lab
[ "$RC" -eq 1 ] || fail "apply: exit $RC, want 1 (stale.lab waits for the registry's scan)"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 1 ] || fail "missing.lab not changed once"
[ "$(count_osrs SET_DNSSEC_INFO stale.lab)" = 0 ] || fail "stale.lab sent to a registrar"
grep -q "1 left to the registry's CDS scan" "$W/err" || fail "apply summary: $(cat "$W/err")"
run --format jsonl audit missing.lab
$PY - "$W/out" <<'PY' || fail "missing.lab: the parent's DS after apply"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
types = sorted({int(ds.split()[5]) for ds in r["parent_ds"]})
print("digest types at the parent:", types)
sys.exit(0 if types == [2] else 1)
PY
[ "$(field missing.lab parent_policy | $PY -c 'import json,sys; p=json.load(sys.stdin); print(p["zone"], p["reads"], p["refuses"], p["scan_delay_hours"])')" = "lab cds ['sha1'] 2" ] ||
	fail "audit parent_policy: $(field missing.lab parent_policy)"
run --format jsonl audit sub.co.lab
[ "$(field sub.co.lab parent_policy)" = null ] || fail "sub.co.lab: parent_policy $(field sub.co.lab parent_policy), want null"

# 3. instructions: nothing to send, and why
run --format jsonl instructions stale.lab nods.n3.lab
[ "$(field stale.lab route)" = registry-scan ] || fail "instructions: stale.lab route"
[ "$(field stale.lab registry_reads_cds)" = true ] || fail "instructions: registry_reads_cds"
[ "$(field stale.lab policy | $PY -c 'import json,sys; p=json.load(sys.stdin); print(p["reads"], p["scan_delay_hours"], p["source"])')" = "cds 2 tests/system/plan_policy.sh" ] ||
	fail "instructions: policy $(field stale.lab policy)"
[ "$(field nods.n3.lab policy)" = null ] || fail "instructions: nods.n3.lab policy $(field nods.n3.lab policy)"
[ "$(field nods.n3.lab registry_reads_cds)" = false ] || fail "instructions: nods.n3.lab registry_reads_cds"
run instructions stale.lab
grep -q "^Nothing needs to be sent: the registry of lab picks the DS up from CDS within about 2 hours" "$W/out" ||
	fail "instructions text does not say nothing needs to be sent"
grep -q "(policy of lab: tests/system/plan_policy.sh)" "$W/out" || fail "instructions text: no source"

# 4. a change past the parent's DS limit is refused
conf limit "sha256 sha384" "reads = none
max_ds = 1
source = tests/system/plan_policy.sh"
run --format jsonl plan stale.lab
[ "$(field stale.lab plan)" = refuse ] || fail "max_ds: plan $(field stale.lab plan)"
field stale.lab actions | grep -q "refused: the registry of lab takes at most 1 DS records" ||
	fail "max_ds: no note: $(field stale.lab actions)"
[ "$(field stale.lab route)" = manual ] || fail "max_ds: route $(field stale.lab route)"

# 5. a bad row is a config error naming the line
conf bad "sha256" "reads = sometimes"
run plan stale.lab
[ "$RC" -eq 2 ] || fail "bad [tld] row: exit $RC, want 2"
n=$(grep -n '^reads = sometimes' "$CONF" | cut -d: -f1)
grep -q "$CONF:$n: \[tld lab\]: reads: expected cds, cdnskey, both, none or unknown" "$W/err" ||
	fail "bad [tld] row: $(cat "$W/err")"
grep -q "$(cat "$W/alpha.key")" "$W/all-output" && fail "the API key reached the output"
echo "plan_policy: ok"
