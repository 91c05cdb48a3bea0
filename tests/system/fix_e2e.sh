#!/bin/sh
# tests/system/fix_e2e.sh - audit -> plan -> apply -> audit over the DNS lab
# with both registries (OpenSRS emulator, EPP test registry) publishing into
# it: every fixable domain is fixed and seen at every parent server, each
# change is made exactly once (emulator logs), nothing is left unlocked,
# manual domains get instructions, and a KSK rollover goes add -> (the DS
# TTL passes; DSREG_NOW) -> remove.  Net 127.14.
OSRS_DOMAINS="missing.lab stale.lab delete.lab roll-one.lab"
LOCKED="missing.lab stale.lab roll-one.lab"
EPP_DOMAINS="broken-alg.lab sha1.lab keystore-extra.lab"
MANUAL="broken-zsk.lab lame.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "fix_e2e: needs root for the lab's port 53"; exit 77; }
fix_world 127.14
D="$OSRS_DOMAINS $EPP_DOMAINS $MANUAL ok-alg13.lab"

# verdicts DOMAIN=VERDICT... against the last jsonl output
verdicts() {
	$PY - "$W/out" "$@" <<'PY' || fail "verdicts"
import json, sys
rows = {r["domain"]: r for r in map(json.loads, open(sys.argv[1])) if "verdict" in r}
bad = 0
for spec in sys.argv[2:]:
    d, v = spec.split("=")
    got = rows.get(d + ".", {}).get("verdict")
    if got != v:
        print("%s: verdict %s, want %s; findings %s" % (d, got, v, rows.get(d + ".", {}).get("findings")))
        bad = 1
sys.exit(bad)
PY
}

# 1. before
run --format jsonl audit $D
[ "$RC" -eq 1 ] || fail "audit before: exit $RC"
verdicts missing.lab=missing stale.lab=stale delete.lab=delete-requested \
    roll-one.lab=incomplete broken-alg.lab=broken sha1.lab=deprecated-digest \
    keystore-extra.lab=incomplete broken-zsk.lab=broken lame.lab=lame \
    ok-alg13.lab=ok

# 2. plan: accounts (discovery for OpenSRS, globs for EPP) and safe steps
run --format jsonl plan $D
[ "$RC" -eq 1 ] || fail "plan: exit $RC"
$PY - "$W/out" <<'PY' || fail "plan content"
import json, sys
rows = {r["domain"].rstrip("."): r for r in map(json.loads, open(sys.argv[1]))}
want = {"missing.lab": ("tucows", "change"), "stale.lab": ("tucows", "change"),
        "delete.lab": ("tucows", "change"), "roll-one.lab": ("tucows", "change"),
        "broken-alg.lab": ("registry", "change"), "sha1.lab": ("registry", "wait"),
        "keystore-extra.lab": ("registry", "refuse"), "broken-zsk.lab": (None, "change"),
        "lame.lab": (None, "refuse"), "ok-alg13.lab": (None, "nothing")}
bad = 0
for d, (acct, kind) in want.items():
    r = rows[d]
    if r.get("account") != acct or r.get("plan") != kind:
        print(d, r.get("account"), r.get("plan"), r.get("actions")); bad = 1
    if not isinstance(r.get("actions"), list):
        print(d, "no actions array"); bad = 1
# never remove a validating DS before its replacement: sha1 keeps SHA-1
if not any("keep DS" in a for a in rows["sha1.lab"]["actions"]): bad = 1
if not any("not served" in a for a in rows["keystore-extra.lab"]["actions"]): bad = 1
sys.exit(bad)
PY
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 0 ] || fail "plan changed something"

# 3. apply without --yes and without a terminal: only plans
run apply $D < /dev/null
[ "$RC" -eq 1 ] || fail "apply without --yes: exit $RC"
grep -q "no terminal and no --yes" "$W/err" || fail "apply without --yes did not say so"
[ "$(count_osrs SET_DNSSEC_INFO missing.lab)" = 0 ] || fail "apply without --yes changed something"

# 4. apply
run --format jsonl apply --yes --wait 60 $D
[ "$RC" -eq 1 ] || fail "apply: exit $RC (manual/refused/waiting domains remain: want 1)"
$PY - "$W/out" <<'PY' || fail "apply results"
import json, sys
ch = {r["domain"].rstrip("."): r for r in map(json.loads, open(sys.argv[1])) if "change" in r}
want = ["missing.lab", "stale.lab", "delete.lab", "roll-one.lab", "broken-alg.lab"]
bad = 0
for d in want:
    r = ch.get(d)
    if r is None or r["change"] != "applied" or not r["published"]:
        print(d, r); bad = 1
for d in ch:
    if d not in want:
        print("unexpected change", d, ch[d]); bad = 1
sys.exit(bad)
PY
for d in missing.lab stale.lab delete.lab roll-one.lab; do
	[ "$(count_osrs SET_DNSSEC_INFO $d)" = 1 ] || fail "$d: SET_DNSSEC_INFO applied $(count_osrs SET_DNSSEC_INFO $d) times"
done
[ "$(count_osrs SET_DNSSEC_INFO elsewhere.lab)" = 0 ] || fail "elsewhere.lab touched"
n=$(grep -c "^UPDATE broken-alg.lab .*-> 1000" "$EPP_LOG")
[ "$n" = 1 ] || fail "broken-alg.lab: $n EPP updates"
grep -q "^UPDATE sha1.lab\|^UPDATE keystore-extra.lab" "$EPP_LOG" && fail "EPP update for a waiting/refused domain"
# nothing left unlocked
$PY - "$W/osrs-state.json" <<'PY' || fail "a domain was left unlocked"
import json, sys
s = json.load(open(sys.argv[1]))
doms = s.get("domains", s)
bad = [d for d in ("missing.lab", "stale.lab", "roll-one.lab", "elsewhere.lab") if not doms[d]["locked"]]
print("unlocked:", bad) if bad else None
sys.exit(1 if bad else 0)
PY

# 5. after: fixed at every parent server
run --format jsonl audit $D
verdicts missing.lab=ok stale.lab=ok delete.lab=unsigned roll-one.lab=ok \
    broken-alg.lab=ok sha1.lab=deprecated-digest keystore-extra.lab=incomplete \
    broken-zsk.lab=broken lame.lab=lame ok-alg13.lab=ok

# 6. a second apply sends nothing
run --format jsonl apply --yes --wait 10 $D
for d in missing.lab stale.lab delete.lab roll-one.lab; do
	[ "$(count_osrs SET_DNSSEC_INFO $d)" = 1 ] || fail "$d changed again by a second apply"
done
[ "$(grep -c "^UPDATE broken-alg.lab" "$EPP_LOG")" = 1 ] || fail "broken-alg.lab updated again"

# 7. instructions for the domains no account may change
run instructions $D
grep -q "^== broken-zsk.lab. (broken" "$W/out" || fail "no instructions for broken-zsk.lab"
want=$("$DSREG" ds -K "$LAB/keys" broken-zsk.lab | awk '{print $4, $5, $6, $7}')
grep -q "broken-zsk.lab. IN DS $want" "$W/out" || fail "instructions lack the DS $want"
grep -q "broken-zsk.lab. IN DNSKEY 257 3 13 " "$W/out" || fail "instructions lack the DNSKEY form"
grep -q "^== lame.lab. (lame" "$W/out" || fail "no word on lame.lab"
grep -q "missing.lab" "$W/out" && fail "instructions for a domain an account handles"

# 8. KSK rollover of roll-one.lab: retire the old KSK; its DS goes only
#    once the new one has validated everywhere for the DS TTL (300 s).
old=$($PY -c "import json,sys; m=json.load(open('$LAB/manifest.json')); print([k['tag'] for d in m['domains'] if d['name']=='roll-one.lab.' for k in d['keys'] if k['id']=='ksk'][0])")
f=$(ls "$LAB"/keys/roll-one.lab/Kroll-one.lab.+013+*"$old".key)
dnssec-settime -I now -D +1d -K "$(dirname "$f")" "$(basename "$f" .key)" > /dev/null 2>&1 ||
	fail "dnssec-settime"
run --format jsonl apply --yes --wait 10 roll-one.lab sha1.lab
verdicts roll-one.lab=stale sha1.lab=deprecated-digest
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 1 ] || fail "old DS removed before the TTL passed"
grep -q "until the DS TTL" "$W/out" || fail "no word on waiting for the DS TTL"
later=$(( $(date +%s) + 301 ))
DSREG_NOW=$later run --format jsonl apply --yes --wait 60 roll-one.lab sha1.lab
[ "$(count_osrs SET_DNSSEC_INFO roll-one.lab)" = 2 ] || fail "old DS not removed after the TTL"
[ "$(grep -c "^UPDATE sha1.lab .*-> 1000" "$EPP_LOG")" = 1 ] || fail "sha1.lab SHA-1 DS not removed"
run --format jsonl audit roll-one.lab sha1.lab
verdicts roll-one.lab=ok sha1.lab=ok

# 9. the report shows the scorecard over time and when domains were fixed
run report
grep -q "missing.lab. .*fixed" "$W/out" || fail "report does not list missing.lab as fixed"
grep -q "Changes made at registrars" "$W/out" || fail "report has no changes"

# 10. credentials readable by others are refused, naming the file and rule
chmod 644 "$W/alpha.key"
run plan missing.lab
[ "$RC" -eq 2 ] || fail "plan with a 0644 API key file: exit $RC, want 2"
grep -q "alpha.key: credentials file is readable by group or others (mode 0644)" "$W/err" ||
	fail "no clear message for the 0644 key file"
chmod 600 "$W/alpha.key"
chmod 644 "$W/reg1.pw"
run epp registry hello
[ "$RC" -eq 2 ] || fail "epp with a 0644 password file: exit $RC, want 2"
grep -q "reg1.pw: credentials file is readable by group or others" "$W/err" ||
	fail "no clear message for the 0644 password file"
chmod 600 "$W/reg1.pw"
# a traced run of every command, then: no secret anywhere in dsreg's output
run -vvv --format jsonl plan $D
run -vvv --format jsonl apply --yes --wait 0 $D
run -vvv opensrs tucows info missing.lab
run -vvv epp registry info broken-alg.lab
grep -q "X-Signature" "$W/all-output" || fail "traces were not on (no HTTP headers seen)"
grep -q "<login>\|&lt;login&gt;\|login" "$W/all-output" || fail "EPP traces were not on"
grep -qF "$KEY" "$W/all-output" && fail "the OpenSRS API key appears in dsreg's output"
grep -qF "Reg1-secret-pw" "$W/all-output" && fail "the EPP password appears in dsreg's output"
while read -r sig; do
	[ -n "$sig" ] && grep -qF "$sig" "$W/all-output" && fail "a request signature appears in dsreg's output"
done < "$W/osrs-sigs"
echo "fix_e2e: ok"
