#!/bin/sh
# tests/bench/gone.sh - dsreg audit of a long, out-of-date list against servers
# with response rate limiting: 100,000 names of which 99% no longer exist,
# the scale lab (net 127.66) with RRL written out in NSD and Knot (200/s,
# slip 2), dsreg at its defaults (-j 64, max_qps_per_server 100).  Prints the
# total time, the verdicts, and the queries each authoritative server
# address got from dsreg per second.
# Targets: no name that exists comes out unreachable, every gone name is
# not-delegated, no server address above the cap.
#
# Knobs: GONE_BENCH_NAMES (100000), GONE_BENCH_LIVE (1% of it),
# GONE_BENCH_JOBS (64), GONE_BENCH_RRL (200).
set -u
SRCDIR=${SRCDIR:-$(pwd)}
DSREG=${DSREG:-$SRCDIR/build/dsreg}
N=${GONE_BENCH_NAMES:-100000}
LIVE=${GONE_BENCH_LIVE:-$((N / 100))}
JOBS=${GONE_BENCH_JOBS:-64}
RRL=${GONE_BENCH_RRL:-200}
NET=127.66
PY=/usr/bin/python3
LAB="$SRCDIR/tests/lab/lab"

[ "$(id -u)" -eq 0 ] || { echo "gone bench: needs root (port 53 on loopback)"; exit 77; }
for p in nsd knotd unbound; do
	command -v "$p" >/dev/null 2>&1 || { echo "gone bench: $p not installed"; exit 77; }
done
[ -x "$DSREG" ] || { echo "gone bench: $DSREG not built"; exit 1; }
base=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
W=$(mktemp -d "$base/dsreg-bench-gone.XXXXXX") || exit 1
cleanup() {
	[ -f "$W/lab/pids.json" ] && "$LAB" stop "$W/lab" >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

"$LAB" start "$W/lab" --net $NET --profile scale --count "$LIVE" --rrl "$RRL" > "$W/start.txt" || {
	echo "gone bench: lab start failed"; exit 1; }
cat "$W/start.txt"
RES=$("$LAB" resolver "$W/lab")
$PY - "$W/lab/manifest.json" "$W/domains.txt" "$N" <<'EOF'
import json, random, sys
m = json.load(open(sys.argv[1]))
live = [d["name"] for d in m["domains"]]
n = int(sys.argv[3])
names = live + ["gone%06d.lab." % i for i in range(n - len(live))]
random.Random(1).shuffle(names)
open(sys.argv[2], "w").write("\n".join(names) + "\n")
EOF
: > "$W/dsreg.conf"      # the defaults: the cap is max_qps_per_server = 100
/usr/bin/time -v -o "$W/time.txt" "$DSREG" -c "$W/dsreg.conf" --resolver "$RES" \
	--format jsonl -j "$JOBS" audit --domains "$W/domains.txt" > "$W/audit.jsonl" 2> "$W/audit.err"
rc=$?
echo "dsreg exit $rc"
$PY - "$W" "$N" "$LIVE" "$JOBS" "$RRL" <<'EOF'
import json, re, sys
w, n, live, jobs, rrl = sys.argv[1:]
n, live = int(n), int(live)
t = open(w + "/time.txt").read()
wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss):")[1].split()[0]
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
verdicts, per_addr, bad = {}, {}, 0
for line in open(w + "/audit.jsonl"):
    o = json.loads(line)
    v = o["verdict"]
    verdicts[v] = verdicts.get(v, 0) + 1
    gone = o["domain"].startswith("gone")
    if gone and v != "not-delegated" or not gone and v in ("unreachable", "not-delegated"):
        bad += 1
        if bad <= 3:
            print("  WRONG: %s %s %s" % (o["domain"], v, o["findings"][:2]))
    for s in o["servers"]:
        k = "%s %s" % (s["name"], s.get("address", "-"))
        per_addr[k] = per_addr.get(k, 0) + len(s.get("answers", {}))
total = sum(verdicts.values())
print("dsreg audit -j %s, %d names (%d exist, %d gone), lab RRL %s/s slip 2, cap 100/s per server:" % (
    jobs, n, live, n - live, rrl))
print("  %d results in %.1fs = %.0f names/s; peak RSS %.1f MB" % (total, secs, total / secs, rss))
print("  verdicts: %s" % ", ".join("%s %d" % kv for kv in sorted(verdicts.items())))
print("  questions per authoritative server address (from dsreg's answers), per second of the run:")
peak = 0
for k, c in sorted(per_addr.items(), key=lambda kv: -kv[1])[:6]:
    print("    %-36s %7d  %6.1f/s" % (k, c, c / secs))
    peak = max(peak, c / secs)
print("targets:")
print("  every name judged right (gone: not-delegated; existing: never unreachable): %s (%d wrong)" % (
    "met" if bad == 0 and total == n else "MISSED", bad + (n - total)))
print("  average rate per server address <= cap 100/s: %s (%.1f/s)" % ("met" if peak <= 100 else "MISSED", peak))
sys.exit(0 if bad == 0 and total == n and peak <= 100 else 1)
EOF
# its status is the bench's: 1 when a target was missed (make bench fails)
