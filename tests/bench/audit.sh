#!/bin/sh
# tests/bench/audit.sh - issue 3 "Must show" #4: dsreg audit over a scale lab of
# 10,000 delegated, signed zones (tests/lab/lab --profile scale, net 127.11),
# beside (a) a plain shell auditor (dig + dnssec-dsfromkey) timed on a sample
# and scaled, and (b) what the lab's servers answer themselves (dnsperf with
# the same query mix dsreg sends).  Prints the figures and the ratios against
# the targets: >= 100x the shell auditor, within 3x of the servers' rate,
# peak RSS <= 100 MB.  Traffic goes only to 127.11.x; every load is bounded
# in count and time.
#
# Knobs: AUDIT_BENCH_ZONES (10000), AUDIT_BENCH_SAMPLE (100),
# AUDIT_BENCH_JOBS (64, dsreg -j), AUDIT_BENCH_PERF_SECONDS (5).
set -u
SRCDIR=${SRCDIR:-$(pwd)}
DSREG=${DSREG:-$SRCDIR/build/dsreg}
N=${AUDIT_BENCH_ZONES:-10000}
SAMPLE=${AUDIT_BENCH_SAMPLE:-100}
JOBS=${AUDIT_BENCH_JOBS:-64}
PERF_SECONDS=${AUDIT_BENCH_PERF_SECONDS:-5}
NET=127.11
PY=/usr/bin/python3
LAB="$SRCDIR/tests/lab/lab"

[ "$(id -u)" -eq 0 ] || { echo "audit bench: needs root (port 53 on loopback)"; exit 77; }
for p in nsd knotd unbound dig dnssec-dsfromkey cc; do
	command -v "$p" >/dev/null 2>&1 || { echo "audit bench: $p not installed"; exit 77; }
done

# 10,000 zones are ~60,000 small files: tmpfs keeps the build at disk-independent speed
base=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
W=$(mktemp -d "$base/dsreg-bench-audit.XXXXXX") || exit 1
cleanup() {
	[ -f "$W/lab/pids.json" ] && "$LAB" stop "$W/lab" >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# --- the scale lab -------------------------------------------------------------
"$LAB" start "$W/lab" --net $NET --profile scale --count "$N" > "$W/start.txt" || {
	echo "audit bench: lab start failed"; exit 1; }
cat "$W/start.txt"
M="$W/lab/manifest.json"
RES=$("$LAB" resolver "$W/lab")
$PY - "$M" "$W" "$SAMPLE" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
w, sample = sys.argv[2], int(sys.argv[3])
names = [d["name"] for d in m["domains"]]
open(w + "/domains.txt", "w").write("\n".join(names) + "\n")
step = max(1, len(names) // sample)
open(w + "/sample.txt", "w").write("\n".join(names[::step][:sample]) + "\n")
EOF
N=$(wc -l < "$W/domains.txt")
NS_SAMPLE=$(wc -l < "$W/sample.txt")

# --- dsreg audit ---------------------------------------------------------------
# The lab's servers are our own: no per-server cap (dsreg's default, 100
# queries/s per server address, would make 40,000 questions to the two lab.
# servers take 200 s; the target here is how fast dsreg itself is).
printf '[dsreg]\nmax_qps_per_server = 0\n' > "$W/dsreg.conf"
dsreg_ok=0
if [ -x "$DSREG" ] && head -n 3 "$W/domains.txt" > "$W/probe.txt" &&
	"$DSREG" -c "$W/dsreg.conf" --resolver "$RES" --format jsonl audit --domains "$W/probe.txt" > "$W/probe.jsonl" 2>/dev/null;
	[ $? -le 1 ] && [ "$(wc -l < "$W/probe.jsonl")" -eq 3 ]; then
	dsreg_ok=1
fi
if [ $dsreg_ok -eq 1 ]; then
	/usr/bin/time -v -o "$W/time.txt" "$DSREG" -c "$W/dsreg.conf" --resolver "$RES" --format jsonl -j "$JOBS" \
		audit --domains "$W/domains.txt" > "$W/audit.jsonl" 2> "$W/audit.err"
	rc=$?
	[ $rc -le 1 ] || { echo "dsreg audit: exit $rc"; tail -n 5 "$W/audit.err"; dsreg_ok=0; }
	# the cron-style run: every zone of the key store, expected keys from K-files
	KEYS=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"])' "$M")
	/usr/bin/time -v -o "$W/time-keys.txt" "$DSREG" -c "$W/dsreg.conf" --resolver "$RES" --format jsonl -j "$JOBS" \
		audit --keys "$KEYS" > "$W/audit-keys.jsonl" 2> "$W/audit-keys.err"
	echo $? > "$W/rc-keys.txt"
else
	echo "dsreg audit: not available"
fi

# --- (a) plain shell auditor on a sample -----------------------------------------
# For each domain: DS at each parent server, the delegation's first NS from a
# parent referral, DNSKEY from that child server through dnssec-dsfromkey, and
# every parent DS must be one of those.  Parent servers are found once (cached),
# child server addresses are cached by name: the shell gets every advantage.
parents=$(dig +short @"$RES" NS lab. | while read -r n; do dig +short @"$RES" A "$n"; done)
shell_audit() {
	cache=""
	while read -r d; do
		[ -n "$d" ] || continue
		bad=0
		all=""
		for p in $parents; do
			all="$all$(dig +norec +short @"$p" "$d" DS | tr -d ' ' | tr 'a-f' 'A-F')
"
		done
		p1=$(echo $parents | cut -d' ' -f1)
		ns=$(dig +norec @"$p1" "$d" NS | awk '$4 == "NS" { print $5; exit }')
		addr=$(echo "$cache" | awk -v n="$ns" '$1 == n { print $2; exit }')
		if [ -z "$addr" ]; then
			addr=$(dig +short @"$RES" A "$ns" | head -n 1)
			cache="$cache
$ns $addr"
		fi
		keys=$(dig +norec +dnssec @"$addr" "$d" DNSKEY | dnssec-dsfromkey -a SHA-256 -f - "$d" 2>/dev/null |
			awk '{ print $4 $5 $6 $7 }' | tr 'a-f' 'A-F')
		for ds in $all; do
			echo "$keys" | grep -qx "$ds" || bad=1
		done
		[ -n "$all" ] && [ -n "$(echo "$all" | tr -d '\n')" ] || bad=1
		if [ $bad -eq 0 ]; then echo "$d ok"; else echo "$d bad"; fi
	done
}
t0=$($PY -c 'import time; print(time.time())')
shell_audit < "$W/sample.txt" > "$W/shell.txt"
t1=$($PY -c 'import time; print(time.time())')

# --- (b) the servers' own rate: dnsperf, same query mix, all four at once --------
$PY - "$W" "$M" <<'EOF'
import json, os, sys
w, m = sys.argv[1], json.load(open(sys.argv[2]))
mix = {"parent": set(), "child": set()}
perdom = []
if os.path.exists(w + "/audit.jsonl"):
    for line in open(w + "/audit.jsonl"):
        o = json.loads(line)
        n = 0
        for s in o.get("servers", []):
            mix.setdefault(s.get("role", "child"), set()).update(s.get("answers", {}).keys())
            n += len(s.get("answers", {}))
        perdom.append(n)
if not mix["parent"]:
    mix["parent"] = {"DS", "NS"}
if not mix["child"]:
    mix["child"] = {"DNSKEY", "CDS", "CDNSKEY"}
qpd = sum(perdom) / len(perdom) if perdom else 10.0
names = [d["name"] for d in m["domains"]]
for role in ("parent", "child"):
    with open("%s/%s.q" % (w, role), "w") as f:
        for n in names:
            for t in sorted(mix[role]):
                f.write("%s %s\n" % (n, t))
# the servers of the scale domains: parents = lab.'s servers, children = the provider's
d0 = m["domains"][0]
with open(w + "/targets.txt", "w") as f:
    for s, a in sorted(d0["parent_servers"].items()):
        f.write("%s %s parent\n" % (s, a))
    for s, a in sorted(d0["servers"].items()):
        f.write("%s %s child\n" % (s, a))
with open(w + "/mix.txt", "w") as f:
    f.write("%.2f %s | %s\n" % (qpd, "+".join(sorted(mix["parent"])), "+".join(sorted(mix["child"]))))
EOF
perf_ok=0
if command -v dnsperf >/dev/null 2>&1; then
	while read -r name addr role; do
		case $addr in $NET.*) ;; *) echo "audit bench: refusing to load $addr"; exit 1 ;; esac
		dnsperf -s "$addr" -d "$W/$role.q" -D -l "$PERF_SECONDS" -c 4 -q 200 \
			> "$W/perf-$name.txt" 2>&1 &
	done < "$W/targets.txt"
	wait
	perf_ok=1
else
	echo "lab servers: dnsperf not installed (scripts/install-deps installs it)"
fi

# --- figures -------------------------------------------------------------------
$PY - "$W" "$N" "$NS_SAMPLE" "$t0" "$t1" "$dsreg_ok" "$perf_ok" "$JOBS" "$PERF_SECONDS" <<'EOF'
import glob, json, os, re, sys
w, n, ns, t0, t1, dsreg_ok, perf_ok, jobs, psec = sys.argv[1:]
n, ns, t0, t1 = int(n), int(ns), float(t0), float(t1)
dsreg_ok, perf_ok = dsreg_ok == "1", perf_ok == "1"
qpd, mixdesc = open(w + "/mix.txt").read().split(" ", 1)
qpd = float(qpd)

shell = open(w + "/shell.txt").read().split("\n")
shell_ok = sum(1 for l in shell if l.endswith(" ok"))
shell_secs = t1 - t0
shell_dps = ns / shell_secs if shell_secs > 0 else 0
print("shell auditor (dig DS at each parent server, NS referral, dig DNSKEY | dnssec-dsfromkey):")
print("  %d sample domains in %.1fs = %.1f domains/s (%d judged ok); 10,000 would take %.0fs" % (
    ns, shell_secs, shell_dps, shell_ok, 10000 / shell_dps if shell_dps else 0))

dps = rss_mb = None
if dsreg_ok:
    t = open(w + "/time.txt").read()
    wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss):")[1].split()[0]
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
    syst = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    verdicts = {}
    lines = 0
    for line in open(w + "/audit.jsonl"):
        lines += 1
        v = json.loads(line)["verdict"]
        verdicts[v] = verdicts.get(v, 0) + 1
    dps = lines / secs if secs > 0 else 0
    print("dsreg audit -j %s --format jsonl:" % jobs)
    print("  %d domains in %.2fs = %.0f domains/s; peak RSS %.1f MB; CPU %.1fs user + %.1fs sys" % (
        lines, secs, dps, rss_mb, user, syst))
    print("  verdicts: %s; %.1f queries per domain" % (
        ", ".join("%s %d" % kv for kv in sorted(verdicts.items())), qpd))
    if lines != n or verdicts.get("ok", 0) != n:
        print("  WARNING: expected %d domains all ok" % n)
    tk = open(w + "/time-keys.txt").read() if os.path.exists(w + "/time-keys.txt") else ""
    if "Elapsed" in tk:
        wall = tk.split("Elapsed (wall clock) time (h:mm:ss or m:ss):")[1].split()[0]
        ksecs = 0.0
        for part in wall.split(":"):
            ksecs = ksecs * 60 + float(part)
        krss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tk).group(1)) / 1024
        kv = {}
        for line in open(w + "/audit-keys.jsonl"):
            v = json.loads(line)["verdict"]
            kv[v] = kv.get(v, 0) + 1
        kn = sum(kv.values())
        print("dsreg audit -j %s --keys KEYSTORE (no domain list; exit %s):" % (
            jobs, open(w + "/rc-keys.txt").read().strip()))
        print("  %d domains in %.2fs = %.0f domains/s; peak RSS %.1f MB; verdicts: %s" % (
            kn, ksecs, kn / ksecs if ksecs else 0, krss,
            ", ".join("%s %d" % x for x in sorted(kv.items()))))
else:
    print("dsreg audit: not available")

srv_qps = None
if perf_ok:
    srv_qps = 0.0
    print("lab servers (dnsperf -D, %ss, all at once; parent %s):" % (psec, mixdesc.strip()))
    for f in sorted(glob.glob(w + "/perf-*.txt")):
        txt = open(f).read()
        mm = re.search(r"Queries per second:\s+([\d.]+)", txt)
        lost = re.search(r"Queries lost:\s+(\d+)", txt)
        q = float(mm.group(1)) if mm else 0.0
        srv_qps += q
        print("  %-24s %8.0f queries/s (lost %s)" % (os.path.basename(f)[5:-4], q,
                                                   lost.group(1) if lost else "?"))
    print("  total %.0f queries/s = %.0f domains/s at %.1f queries per domain" % (
        srv_qps, srv_qps / qpd, qpd))

print("targets:")
missed = dps is None
if dps is not None and shell_dps:
    r = dps / shell_dps
    print("  dsreg vs shell auditor:  %7.1fx  (target >= 100x)  %s" % (r, "met" if r >= 100 else "MISSED"))
    missed = missed or r < 100
if dps is not None and srv_qps:
    r = (srv_qps / qpd) / dps
    print("  servers' rate vs dsreg:  %7.1fx  (target <= 3x)    %s" % (r, "met" if r <= 3 else "MISSED"))
    missed = missed or r > 3
if rss_mb is not None:
    print("  peak RSS:                %7.1f MB (target <= 100 MB) %s" % (rss_mb, "met" if rss_mb <= 100 else "MISSED"))
    missed = missed or rss_mb > 100
if dps is None:
    print("  dsreg figures: not available")
sys.exit(1 if missed else 0)
EOF
# its status is the bench's: 1 when a target was missed (make bench fails)
