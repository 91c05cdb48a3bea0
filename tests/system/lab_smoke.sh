#!/bin/sh
# tests/system/lab_smoke.sh - the functional DNS lab serves what its manifest says
#
# Starts tests/lab/lab (profile functional, net 127.10), then with dig:
# every parent server serves the manifest's DS set (per server where they
# differ on purpose), every child server serves the manifest's DNSKEY tags
# authoritatively, the parent DS of ok zones equals dnssec-dsfromkey of the
# served DNSKEYs, lame servers answer REFUSED or without AA, the black hole
# times out over UDP and TCP, Unbound validates an ok zone (AD) and SERVFAILs
# broken ones, `lab publish` changes the DS at both TLD servers; after
# `lab stop` no lab process is left.
set -u
SRCDIR=${SRCDIR:-$(pwd)}
TMPDIR=${TMPDIR:-/tmp}
LAB="$SRCDIR/tests/lab/lab"
LABDIR="$TMPDIR/lab-smoke"
NET=127.10

[ "$(id -u)" -eq 0 ] || { echo "lab_smoke: needs root for port 53"; exit 77; }
for p in nsd knotd unbound dig dnssec-signzone dnssec-keygen dnssec-dsfromkey; do
	command -v "$p" >/dev/null 2>&1 || { echo "lab_smoke: $p not installed"; exit 77; }
done

cleanup() {
	[ -f "$LABDIR/pids.json" ] && "$LAB" stop "$LABDIR" >/dev/null 2>&1
	return 0
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*"; exit 1; }

"$LAB" start "$LABDIR" --net "$NET" --profile functional || fail "lab start"

# a second start on a running lab must refuse and leave it running
if "$LAB" start "$LABDIR" --net "$NET" >/dev/null 2>&1; then
	fail "second lab start on a running LABDIR succeeded"
fi

[ "$("$LAB" resolver "$LABDIR")" = "$NET.0.1" ] || fail "lab resolver"
pids=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(p) for p in json.load(open(sys.argv[1])).values()))' "$LABDIR/pids.json")
[ -n "$pids" ] || fail "no pids recorded"

/usr/bin/python3 - "$LABDIR/manifest.json" <<'EOF' || exit 1
import json, os, subprocess, sys, time

m = json.load(open(sys.argv[1]))
errors = []
checked = 0


def dig(server, name, qtype, *opts):
    p = subprocess.run(["dig", "+norec", "+dnssec", "+time=2", "+tries=1", "@" + server,
                        name, qtype] + list(opts),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.stdout


def status(out):
    for line in out.splitlines():
        if "status:" in line:
            return line.split("status:")[1].split(",")[0].strip()
    return None


def aa(out):
    for line in out.splitlines():
        if line.startswith(";; flags:"):
            return " aa" in line.split(";")[2]
    return False


def rrs(out, qname, qtype):
    got = []
    for line in out.splitlines():
        t = line.split()
        if len(t) > 4 and not line.startswith(";") and t[0].lower() == qname.lower() and t[3] == qtype:
            got.append(t)
    return got


def norm_ds(text):
    t = text.split()
    i = t.index("DS")
    return " ".join([t[i + 1], t[i + 2], t[i + 3], "".join(t[i + 4:]).upper()])


def err(msg):
    errors.append(msg)
    print("  mismatch:", msg)


need = {"not-ours", "unreachable", "broken", "lame", "inconsistent-parent", "inconsistent-child",
        "delete-requested", "missing", "incomplete", "stale", "deprecated-digest", "unsigned", "ok"}
have = {d["verdict"] for d in m["domains"]}
if need - have:
    err("no lab zone for verdicts %s" % sorted(need - have))
algs = {k["alg"] for d in m["domains"] for k in d["keys"] if d["verdict"] == "ok"}
for a in (8, 13, 14, 15):
    if a not in algs:
        err("no ok zone with algorithm %d" % a)

for d in m["domains"]:
    name = d["name"]
    # parent side: every parent server, its expected DS set
    for ps, paddr in d["parent_servers"].items():
        want = sorted(norm_ds(x) for x in d.get("parent_ds_by_server", {}).get(ps, d["parent_ds"]))
        out = dig(paddr, name, "DS")
        got = sorted(norm_ds(" ".join(r)) for r in rrs(out, name, "DS"))
        checked += 1
        if got != want:
            err("%s DS at %s: got %s want %s" % (name, ps, got, want))
        if status(out) != "NOERROR" or not aa(out):
            err("%s DS at %s: not an authoritative NOERROR" % (name, ps))
    # child side
    for cs, caddr in d["servers"].items():
        out = dig(caddr, name, "DNSKEY")
        checked += 1
        if status(out) != "NOERROR" or not aa(out):
            err("%s DNSKEY at %s: %s aa=%s" % (name, cs, status(out), aa(out)))
        want = d["dnskey_tags_by_server"].get(cs, [])
        tags = sorted(int(x) for x in
                      subprocess.run(["sh", "-c", "awk '$4==\"DNSKEY\"' | dnssec-dsfromkey -A -a SHA-256 -f - " + name],
                                     input=out, stdout=subprocess.PIPE, text=True).stdout.split()[3::7]) \
            if want else []
        if tags != want:
            err("%s DNSKEY tags at %s: got %s want %s" % (name, cs, tags, want))
        if d["verdict"] == "ok" and want:
            # independent check of the lab's DS arithmetic: BIND's own dnssec-dsfromkey
            bind = subprocess.run(["sh", "-c", "awk '$4==\"DNSKEY\"' | dnssec-dsfromkey -a SHA-256 -a SHA-384 -f - " + name],
                                  input=out, stdout=subprocess.PIPE, text=True).stdout
            bind = {norm_ds(x) for x in bind.splitlines() if x.strip()}
            for x in d["parent_ds"]:
                if norm_ds(x) not in bind:
                    err("%s: parent DS %s is not dnssec-dsfromkey of a served key" % (name, x))
    if d["verdict"] == "lame":
        for ns in d["ns"]:
            out = dig(m["servers"][ns], name, "SOA")
            checked += 1
            if status(out) == "NOERROR" and aa(out):
                err("%s: lame server %s answers authoritatively" % (name, ns))
    if d["verdict"] == "unreachable":
        for ns in d["ns"]:
            if ns in d["servers"]:
                continue
            for tcp in ([], ["+tcp"]):
                t0 = time.time()
                out = dig(m["servers"][ns], name, "SOA", "+time=1", *tcp)
                checked += 1
                if "timed out" not in out and "no servers could be reached" not in out:
                    err("%s: %s %s answered" % (name, ns, tcp))
                if time.time() - t0 > 5:
                    err("%s: %s took %.1fs" % (name, ns, time.time() - t0))

# the resolver: validation through the lab's own trust anchor
res = m["resolver"]
def ask(name):
    p = subprocess.run(["dig", "+time=5", "+tries=1", "+dnssec", "@" + res, name, "SOA"],
                       stdout=subprocess.PIPE, text=True)
    flags = [l for l in p.stdout.splitlines() if l.startswith(";; flags:")]
    return status(p.stdout), (" ad" in flags[0]) if flags else False

for d in m["domains"]:
    if d["verdict"] == "ok":
        st, ad = ask(d["name"])
        checked += 1
        if st != "NOERROR" or not ad:
            err("resolver: %s gives %s ad=%s, want NOERROR with AD" % (d["name"], st, ad))
    # one parent server broken on purpose: Unbound moves to the good one
    if d["verdict"] == "broken" and not d.get("parent_break"):
        st, ad = ask(d["name"])
        checked += 1
        if st != "SERVFAIL":
            err("resolver: %s gives %s, want SERVFAIL" % (d["name"], st))
st, ad = ask("unsigned.lab.")
if st != "NOERROR" or ad:
    err("resolver: unsigned.lab. gives %s ad=%s, want insecure NOERROR" % (st, ad))

# the parent servers broken on purpose (parent_break) serve a copy of the
# parent zone that does not verify (ldns-verify-zone); the others' copies do
state = json.load(open(os.path.join(os.path.dirname(sys.argv[1]), "state.json")))
for z in state["zones"]:
    if not z.get("breaks"):
        continue
    for host, path in sorted(z["files"].items()):
        p = subprocess.run(["ldns-verify-zone", path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        checked += 1
        if (p.returncode == 0) == (host in z["breaks"]):
            err("zone %s served by %s: ldns-verify-zone exit %d (%s)" % (
                z["name"], host, p.returncode, p.stdout.strip().splitlines()[-1:] ))

print("checked %d server answers" % checked)
if errors:
    print("%d mismatches" % len(errors))
    sys.exit(1)
EOF

# publish: give missing.lab. the DS of its KSK, empty stale.lab.'s DS set
kfile=$(grep -l 'key-signing' "$LABDIR"/keys/missing.lab/*.key | head -n 1)
[ -n "$kfile" ] || fail "no KSK for missing.lab. in the key store"
dnssec-dsfromkey -2 "$kfile" > "$LABDIR/publish/missing.lab.ds.tmp" || fail "dsfromkey"
mv "$LABDIR/publish/missing.lab.ds.tmp" "$LABDIR/publish/missing.lab.ds"
: > "$LABDIR/publish/stale.lab.ds"
want=$(awk '{print $(NF-3), $(NF-2), $(NF-1), $NF}' "$LABDIR/publish/missing.lab.ds")
for s in $NET.1.1 $NET.1.2; do
	n=$(dig +norec +short @$s missing.lab DS | wc -l)
	[ "$n" -eq 0 ] || fail "missing.lab. already has DS at $s"
done
"$LAB" publish "$LABDIR" || fail "lab publish"
for s in $NET.1.1 $NET.1.2; do
	got=$(dig +norec +short @$s missing.lab DS | tr -d '\n' | awk '{print $1, $2, $3, $4 $5 $6}')
	[ "$got" = "$want" ] || fail "after publish $s serves DS '$got', want '$want'"
	n=$(dig +norec +short @$s stale.lab DS | wc -l)
	[ "$n" -eq 0 ] || fail "after publish $s still serves $n DS for stale.lab."
	st=$(dig +norec @$s lab SOA +dnssec | grep -c 'RRSIG.*SOA')
	[ "$st" -ge 1 ] || fail "re-signed lab. at $s has no SOA RRSIG"
done
# and the resolver validates the new chain
dig +dnssec @$NET.0.1 missing.lab SOA | grep -q 'flags:.* ad' || fail "missing.lab. not validated after publish"
echo "publish: DS changed at $NET.1.1 and $NET.1.2"

# a malformed DS file is refused before any zone changes
before=$(dig +norec +short @$NET.2.1 sub.co.lab DS)
[ -n "$before" ] || fail "sub.co.lab. has no DS at ns1.co.lab."
echo "sub.co.lab. 3600 IN DS 1 13 2 ABCD" > "$LABDIR/publish/sub.co.lab.ds"
if "$LAB" publish "$LABDIR" 2>"$TMPDIR/publish.err"; then
	fail "lab publish accepted a 2-octet SHA-256 digest"
fi
grep -q 'digest type 2' "$TMPDIR/publish.err" || fail "no clear publish error: $(cat "$TMPDIR/publish.err")"
[ "$(dig +norec +short @$NET.2.1 sub.co.lab DS)" = "$before" ] || fail "sub.co.lab. DS changed by a refused publish"
rm -f "$LABDIR/publish/sub.co.lab.ds"

"$LAB" stop "$LABDIR" || fail "lab stop"
sleep 0.2
for p in $pids; do
	if kill -0 "$p" 2>/dev/null; then
		fail "process $p still running after lab stop"
	fi
	if pgrep -g "$p" >/dev/null 2>&1; then
		fail "process group $p still has members after lab stop"
	fi
done
for s in $NET.0.1 $NET.1.1 $NET.3.2 $NET.5.1; do
	if ss -Hlnu "src $s:53" | grep -q .; then
		fail "something still listens on $s:53"
	fi
done
echo "lab_smoke: ok"
