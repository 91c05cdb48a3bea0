#!/bin/sh
# tests/system/audit_lab.sh - dsreg audit over the loopback DNS lab (net 127.12):
# every domain's verdict and findings against the manifest, every verdict word,
# attribution of inconsistent servers, bounded time for a dropping server,
# per-line errors for a bad domain list, json/csv/state DB, exit status.
set -u
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "audit_lab: needs root for port 53 on loopback"; exit 77; }
for p in nsd knotd unbound dnssec-keygen; do
	command -v "$p" >/dev/null 2>&1 || { echo "audit_lab: $p not installed"; exit 77; }
done

LAB="$TMPDIR/lab"
trap '"$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1' EXIT
"$SRCDIR/tests/lab/lab" start "$LAB" --net 127.12 || { echo "FAIL: lab start"; exit 1; }
M="$LAB/manifest.json"
get() { $PY -c "import json,sys; m=json.load(open('$M')); print($1)"; }
RES=$(get "m['resolver']")
KEYS=$(get "m['keys']")
OURNS=$(get "','.join(m['our_ns'])")
DOMAINS=$(get "' '.join(d['name'] for d in m['domains'])")
fail=0

# 1. the whole lab, jsonl, with a state DB
cat > "$TMPDIR/dsreg.conf" <<EOF
[dsreg]
state = $TMPDIR/state.db
EOF
start=$(date +%s)
"$DSREG" -c "$TMPDIR/dsreg.conf" --resolver "$RES" --format jsonl -v audit \
	--keys "$KEYS" --our-ns "$OURNS" $DOMAINS > "$TMPDIR/out.jsonl" 2> "$TMPDIR/err.txt"
rc=$?
secs=$(( $(date +%s) - start ))
echo "full lab audit: exit $rc in ${secs}s"
[ "$rc" -eq 1 ] || { echo "FAIL: exit status $rc, expected 1 (some domains need action)"; cat "$TMPDIR/err.txt"; fail=1; }
# parent discovery is cached per parent zone: lab., co.lab. and n3.lab., once each
NPARENTS=$(get "len({d['parent'] for d in m['domains']})")
grep "parent zone discoveries" "$TMPDIR/err.txt"
grep -q " $NPARENTS parent zone discoveries" "$TMPDIR/err.txt" || { echo "FAIL: expected $NPARENTS parent discoveries"; fail=1; }

$PY - "$M" "$TMPDIR/out.jsonl" "$TMPDIR/state.db" <<'EOF' || fail=1
import json, sqlite3, sys
m = json.load(open(sys.argv[1]))
res = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    for f in ("domain", "verdict", "parent", "findings", "parent_ds", "expected_ds", "servers"):
        assert f in o, "field %s missing in %s" % (f, o.get("domain"))
    res[o["domain"]] = o
bad = 0
for d in m["domains"]:
    o = res.get(d["name"])
    if o is None:
        print("FAIL: %s: no result" % d["name"]); bad += 1; continue
    if o["verdict"] != d["verdict"]:
        print("FAIL: %s: verdict %s, expected %s; findings %s" % (d["name"], o["verdict"], d["verdict"], o["findings"]))
        bad += 1
    if o["parent"] != d["parent"]:
        print("FAIL: %s: parent %s, expected %s" % (d["name"], o["parent"], d["parent"])); bad += 1
    text = "\n".join(o["findings"])
    for f in d["findings"]:
        if f not in text:
            print("FAIL: %s: no finding contains %r: %s" % (d["name"], f, o["findings"])); bad += 1
    # the DS the lab published are what dsreg reports
    if d["verdict"] not in ("not-ours", "unreachable"):
        want = sorted(" ".join(x.split()[-4:]).upper() for x in d["parent_ds"])
        got = sorted(" ".join(x.split()[-4:]).upper() for x in o["parent_ds"])
        if not d.get("parent_ds_by_server") and want != got:
            print("FAIL: %s: parent_ds %s, expected %s" % (d["name"], got, want)); bad += 1
    # every parent server of the domain was asked
    asked = {s["name"] for s in o["servers"] if s["role"] == "parent"}
    if d["verdict"] != "unreachable" and set(d["parent_servers"]) - asked:
        print("FAIL: %s: parent servers not asked: %s" % (d["name"], set(d["parent_servers"]) - asked)); bad += 1
    # what each parent server signs about the delegation: the one the lab
    # broke is named with its failure, every other one validates
    pb = d.get("parent_break")
    want_res = {"ds-expired": "expired", "ds-bogus": "bogus", "nsec3-bogus": "bogus"}
    if d["verdict"] not in ("not-ours", "unreachable"):
        for s in o["servers"]:
            if s["role"] != "parent":
                continue
            got = s.get("delegation_signatures", {}).get("result")
            want = want_res[pb["what"]] if pb and s["name"] == pb["server"] else "ok"
            if got != want:
                print("FAIL: %s: parent server %s: delegation signatures %s, expected %s (%s)" % (
                    d["name"], s["name"], got, want, s.get("delegation_signatures")))
                bad += 1
words = ["not-ours", "unreachable", "broken", "lame", "inconsistent-parent", "inconsistent-child",
         "delete-requested", "missing", "incomplete", "stale", "deprecated-digest", "unsigned", "ok"]
seen = {o["verdict"] for o in res.values()}
for w in words:
    if w not in seen:
        print("FAIL: verdict %s never produced" % w); bad += 1
# attribution: the server that differs is named next to the record that differs
for d in m["domains"]:
    o = res[d["name"]]
    if d["verdict"] == "inconsistent-parent":
        sets = d["parent_ds_by_server"]
        for srv, dss in sets.items():
            others = [set(v) for s, v in sets.items() if s != srv]
            extra = set(dss) - set.union(*others) if others else set()
            for x in extra:
                tag = x.split()[-4]
                if not any(srv.rstrip(".") in f and tag in f for f in o["findings"]):
                    print("FAIL: %s: no finding names %s with DS %s: %s" % (d["name"], srv, tag, o["findings"])); bad += 1
    if d["verdict"] == "inconsistent-child":
        tags = d["dnskey_tags_by_server"]
        for srv, t in tags.items():
            for tag in set(t) - set.intersection(*[set(v) for v in tags.values()]):
                if not any(srv.rstrip(".") in f and str(tag) in f for f in o["findings"]):
                    print("FAIL: %s: no finding names %s with DNSKEY %s: %s" % (d["name"], srv, tag, o["findings"])); bad += 1
db = sqlite3.connect(sys.argv[3])
n = db.execute("select count(*) from results").fetchone()[0]
if n != len(m["domains"]):
    print("FAIL: state DB holds %d results, expected %d" % (n, len(m["domains"]))); bad += 1
v = db.execute("select max(version) from schema_version").fetchone()[0]
if v is None or v < 1:
    print("FAIL: schema version %s" % v); bad += 1
row = db.execute("select verdict, parent_ds from results where domain = 'stale.lab.'").fetchone()
if row is None or row[0] != "stale" or len(json.loads(row[1])) != 2:
    print("FAIL: state DB row for stale.lab.: %r" % (row,)); bad += 1
print("%d domains checked, %d problems" % (len(m["domains"]), bad))
sys.exit(1 if bad else 0)
EOF

# 2. a server that drops every packet: unreachable within a bounded time
start=$(date +%s)
"$DSREG" --resolver "$RES" --format jsonl audit --keys "$KEYS" --our-ns "$OURNS" \
	unreach.lab. > "$TMPDIR/unreach.jsonl" 2>&1
secs=$(( $(date +%s) - start ))
grep -q '"verdict":"unreachable"' "$TMPDIR/unreach.jsonl" || { echo "FAIL: unreach.lab. not unreachable"; cat "$TMPDIR/unreach.jsonl"; fail=1; }
[ "$secs" -le 15 ] || { echo "FAIL: unreach.lab. took ${secs}s (bound 15s)"; fail=1; }
echo "unreachable domain judged in ${secs}s"

# 2b. a name the parent does not have (lab. is served by NSD and Knot):
# not-delegated, exit 1, one DS question to one parent server
"$DSREG" --resolver "$RES" --format jsonl audit --keys "$KEYS" --our-ns "$OURNS" \
	gone.lab. > "$TMPDIR/gone.jsonl" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: gone.lab.: exit $rc, expected 1"; fail=1; }
$PY - "$TMPDIR/gone.jsonl" <<'EOF2' || fail=1
import json, sys
o = json.loads(open(sys.argv[1]).readline())
ok = (o["verdict"] == "not-delegated" and o["parent"] == "lab." and
      any("parent has no delegation" in f for f in o["findings"]) and
      [list(s["answers"]) for s in o["servers"]] == [["DS"]] and
      o["servers"][0]["answers"]["DS"].get("rcode") == "NXDOMAIN")
print("gone.lab.: %s %s" % (o["verdict"], o["findings"]))
sys.exit(0 if ok else 1)
EOF2

# 3. a bad domain list: per-line errors, the good domains are still audited
long63=$(printf 'a%.0s' $(seq 64))
longname=$(for i in 1 2 3 4 5; do printf '%s.' "$(printf 'b%.0s' $(seq 60))"; done)lab
cat > "$TMPDIR/domains.txt" <<EOF
# customers
ok-alg13.lab.
   missing.lab     # trailing comment, no final dot
this is garbage
$long63.lab.
$longname
bücher.lab.
foo/bar.lab.
ok-csk.lab.

EOF
"$DSREG" --resolver "$RES" --format jsonl audit --keys "$KEYS" --our-ns "$OURNS" \
	--domains "$TMPDIR/domains.txt" > "$TMPDIR/list.jsonl" 2> "$TMPDIR/list.err"
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: bad list: exit $rc, expected 2"; fail=1; }
for want in "domains.txt:4: 'this is garbage'" "domains.txt:5:" "63" "domains.txt:6:" "255" \
	"domains.txt:7:" "xn--bcher-kva.lab." "domains.txt:8:"; do
	grep -qF -- "$want" "$TMPDIR/list.err" || { echo "FAIL: bad list: no error '$want'"; cat "$TMPDIR/list.err"; fail=1; }
done
n=$(grep -c . "$TMPDIR/list.err")
[ "$n" -eq 6 ] || { echo "FAIL: bad list: $n error lines, expected 5 + summary"; cat "$TMPDIR/list.err"; fail=1; }
for d in ok-alg13.lab. missing.lab. ok-csk.lab.; do
	grep -q "\"domain\":\"$d\"" "$TMPDIR/list.jsonl" || { echo "FAIL: bad list: $d not audited"; fail=1; }
done
[ "$(grep -c . "$TMPDIR/list.jsonl")" -eq 3 ] || { echo "FAIL: bad list: expected 3 results"; fail=1; }

# 4. all-ok selection exits 0; json and csv are well formed; text has a scorecard
"$DSREG" --resolver "$RES" --format json audit --keys "$KEYS" ok-alg13.lab. ok-csk.lab. \
	> "$TMPDIR/ok.json"
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: all-ok audit exit $rc"; fail=1; }
$PY -c "import json,sys; a=json.load(open('$TMPDIR/ok.json')); assert len(a)==2 and all(o['verdict']=='ok' for o in a), a" \
	|| { echo "FAIL: json output"; fail=1; }
"$DSREG" --resolver "$RES" --format csv audit --keys "$KEYS" stale.lab. sha1.lab. > "$TMPDIR/out.csv"
$PY -c "
import csv
r = list(csv.DictReader(open('$TMPDIR/out.csv')))
assert len(r) == 2, r
v = {x['domain']: x['verdict'] for x in r}
assert v == {'stale.lab.': 'stale', 'sha1.lab.': 'deprecated-digest'}, v
" || { echo "FAIL: csv output"; fail=1; }
"$DSREG" --resolver "$RES" audit --keys "$KEYS" ok-alg13.lab. missing.lab. > "$TMPDIR/out.txt"
grep -q "^scorecard: 2 domains" "$TMPDIR/out.txt" && grep -qE "^  missing +1" "$TMPDIR/out.txt" \
	|| { echo "FAIL: text scorecard"; cat "$TMPDIR/out.txt"; fail=1; }

# 5. without --keys (expected keys are the served signing KSK/CSKs), and
#    without --our-ns (nothing is not-ours): the manifest's other verdicts
"$DSREG" --resolver "$RES" --format jsonl audit --our-ns "$OURNS" $DOMAINS > "$TMPDIR/nokeys.jsonl"
"$DSREG" --resolver "$RES" --format jsonl audit --keys "$KEYS" $DOMAINS > "$TMPDIR/noours.jsonl"
$PY - "$M" "$TMPDIR/nokeys.jsonl" "$TMPDIR/noours.jsonl" <<'EOF' || fail=1
import json, sys
m = json.load(open(sys.argv[1]))
nokeys = {json.loads(l)["domain"]: json.loads(l) for l in open(sys.argv[2])}
noours = {json.loads(l)["domain"]: json.loads(l) for l in open(sys.argv[3])}
bad = 0
for d in m["domains"]:
    o = nokeys[d["name"]]
    if o["verdict"] != d["verdict_without_keys"]:
        print("FAIL: %s without --keys: %s, expected %s" % (d["name"], o["verdict"], d["verdict_without_keys"])); bad += 1
    for f in d.get("findings_without_keys", []):
        if not any(f in x for x in o["findings"]):
            print("FAIL: %s without --keys: no finding contains %r" % (d["name"], f)); bad += 1
    want = d.get("verdict_without_our_ns", d["verdict"])
    if noours[d["name"]]["verdict"] != want:
        print("FAIL: %s without --our-ns: %s, expected %s" % (d["name"], noours[d["name"]]["verdict"], want)); bad += 1
print("without --keys / --our-ns: %d problems" % bad)
sys.exit(1 if bad else 0)
EOF

# 6. everything from the config file: keys, our_ns, digests; no domain
#    arguments, so every zone with keys in the key store is audited
cat > "$TMPDIR/cfg2.conf" <<EOF
[dsreg]
resolver = $RES
keys = $KEYS
our_ns = $(echo "$OURNS" | tr ',' ' ')
digests = sha256 sha384
EOF
"$DSREG" -c "$TMPDIR/cfg2.conf" --format jsonl audit > "$TMPDIR/store.jsonl"
$PY - "$M" "$TMPDIR/store.jsonl" <<'EOF' || fail=1
import json, sys
m = json.load(open(sys.argv[1]))
res = {json.loads(l)["domain"]: json.loads(l) for l in open(sys.argv[2])}
want = {d["name"] for d in m["domains"] if any(k["in_key_store"] for k in d["keys"])}
bad = 0
if set(res) != want:
    print("FAIL: key store selection: extra %s, missing %s" % (set(res) - want, want - set(res))); bad += 1
for d in m["domains"]:
    o = res.get(d["name"])
    if o is None:
        continue
    if o["verdict"] != d["verdict"]:
        print("FAIL: %s from config: %s, expected %s" % (d["name"], o["verdict"], d["verdict"])); bad += 1
    if d["name"] == "ok-alg13.lab.":
        types = sorted(x.split()[-2] for x in o["expected_ds"])
        if types != ["2", "4"]:
            print("FAIL: ok-alg13.lab. expected_ds digest types %s, want 2 and 4" % types); bad += 1
print("key store selection from config: %d domains, %d problems" % (len(res), bad))
sys.exit(1 if bad else 0)
EOF

# 7. usage errors exit 2
"$DSREG" --resolver "$RES" audit >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: audit without domains exit $rc"; fail=1; }
"$DSREG" --resolver 999.1.1.1 audit ok-alg13.lab. >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: bad --resolver exit $rc"; fail=1; }

[ "$fail" -eq 0 ] && echo "audit_lab: all checks passed"
exit $fail
