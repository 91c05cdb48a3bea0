#!/bin/sh
# tests/bench/opensrs.sh - dsreg opensrs against the local HTTPS emulator:
# listing 10,000 domains (100 per page: 100 signed requests over one reused
# TLS connection) and 50 unlock/set/relock sequences (each change on a fresh
# connection).  Prints wall time, requests per second and dsreg's peak RSS.
# Targets: the listing in under 30 s and under 50 MB RSS; a sequence in
# under 0.5 s.  The emulator is Python, so these are mostly its speed; the
# figures are for spotting regressions (e.g. lost connection reuse).
# Knobs: OSRS_BENCH_DOMAINS (10000), OSRS_BENCH_SEQ (50).
set -u
: "${SRCDIR:?}" "${DSREG:?}"
N=${OSRS_BENCH_DOMAINS:-10000}
SEQ=${OSRS_BENCH_SEQ:-50}
TMPDIR=$(mktemp -d /tmp/dsreg-bench-osrs.XXXXXX)
export TMPDIR
OSRS_ADDR=127.30.250.1
OSRS_NO_STATE=1
. "$SRCDIR/tests/opensrs/lib.sh"
trap 'osrs_stop; rm -rf "$TMPDIR"' EXIT
osrs_setup
$PY - "$T/data.json" "$KEY_ALPHA" "$N" <<'PY'
import json, sys
n = int(sys.argv[3])
doms = {"d%05d.lab" % i: {"owner": "alpha", "locked": True,
                          "expiredate": "2030-%02d-%02d 00:00:00" % (i % 12 + 1, i % 28 + 1)}
        for i in range(n)}
json.dump({"resellers": {"alpha": {"key": sys.argv[2]}}, "domains": doms},
          open(sys.argv[1], "w"))
PY
osrs_start
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

now() { date +%s.%N; }
t0=$(now)
if [ -n "$TIME" ]; then
	$TIME -f '%M' -o "$T/rss" "$DSREG" -c "$T/dsreg.conf" opensrs tucows list --page-size 100 > "$T/list" 2> "$T/err"
else
	"$DSREG" -c "$T/dsreg.conf" opensrs tucows list --page-size 100 > "$T/list" 2> "$T/err"
fi
rc=$?
t1=$(now)
[ $rc -eq 0 ] || { cat "$T/err"; echo "opensrs bench: list failed"; exit 1; }
got=$(wc -l < "$T/list")
[ "$got" -eq "$N" ] || { echo "opensrs bench: listed $got of $N"; exit 1; }
reqs=$(grep -c . "$T/requests.jsonl")
conns=$($PY -c 'import json,sys; print(len({json.loads(l)["conn"] for l in open(sys.argv[1])}))' "$T/requests.jsonl")
rss=$( [ -n "$TIME" ] && tail -n 1 "$T/rss" || echo "?")
$PY - "$t0" "$t1" "$N" "$reqs" "$conns" "$rss" <<'PY'
import sys
t0, t1, n, reqs, conns, rss = sys.argv[1:]
secs = float(t1) - float(t0)
print("list: %s domains, %s requests over %s connection(s) in %.2f s "
      "(%.0f domains/s, %.1f requests/s), peak RSS %s KB; target < 30 s, < 50 MB"
      % (n, reqs, conns, secs, int(n) / secs, int(reqs) / secs, rss))
sys.exit(0 if secs < 30 and (not rss.isdigit() or int(rss) < 50 * 1024) else 1)
PY
[ $? -eq 0 ] || missed=1

clear_log
t0=$(now)
i=0
while [ $i -lt "$SEQ" ]; do
	d=$(printf 'd%05d.lab' $i)
	"$DSREG" -c "$T/dsreg.conf" opensrs tucows set-ds "$d" "4242 13 2 $DIG1" > /dev/null 2> "$T/err" ||
		{ cat "$T/err"; echo "opensrs bench: set-ds $d failed"; exit 1; }
	i=$((i + 1))
done
t1=$(now)
reqs=$(grep -c . "$T/requests.jsonl")
$PY - "$t0" "$t1" "$SEQ" "$reqs" <<'PY'
import sys
t0, t1, n, reqs = sys.argv[1:]
secs = float(t1) - float(t0)
print("set-ds with relock: %s sequences (%s requests) in %.2f s, %.3f s per sequence; "
      "target < 0.5 s" % (n, reqs, secs, secs / int(n)))
sys.exit(0 if secs / int(n) < 0.5 else 1)
PY
[ $? -eq 0 ] || missed=1
# 1 when a target was missed (make bench fails)
exit "${missed:-0}"
