#!/bin/sh
# tests/bench/ds.sh - dsreg ds -K DIR over 10,000 K-files against 10,000
# dnssec-dsfromkey runs (same output required).  Target: at least 50x faster.
set -eu
: "${DSREG:?}"
N=${DS_BENCH_KEYS:-10000}
W=$(mktemp -d /tmp/dsreg-bench-ds.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"
mkdir keys

# One real key pair per algorithm; the key tag does not depend on the owner,
# so copies with other owners are valid K-files for other zones.
for alg in 8 13 15; do
	[ $alg = 8 ] && b="-b 2048" || b=""
	dnssec-keygen -q -K . $b -a $alg -f KSK template.example >/dev/null 2>&1
done
awk -v n="$N" '
FNR == 1 {
	f = FILENAME; sub(/^.*\//, "", f); sub(/^Ktemplate\.example\./, "", f)
	suffix[++nt] = f
}
{ body[nt] = body[nt] $0 "\n" }
END {
	for (i = 0; i < n; i++) {
		t = (i % nt) + 1
		zone = sprintf("z%05d.example.", i)
		out = sprintf("keys/K%s%s", zone, suffix[t])
		b = body[t]; gsub(/template\.example\./, zone, b)
		printf "%s", b > out
		close(out)
	}
}' Ktemplate.example.*.key
test "$(ls keys | wc -l)" -eq "$N"

now() { date +%s.%N; }
t0=$(now)
"$DSREG" ds -K keys > dsreg.out
t1=$(now)
ls keys/*.key | LC_ALL=C sort | while read -r f; do dnssec-dsfromkey "$f"; done > bind.out
t2=$(now)
if ! cmp -s dsreg.out bind.out; then
	echo "ds bench: OUTPUT DIFFERS from dnssec-dsfromkey"
	exit 1
fi
awk -v n="$N" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	d = b - a; r = c - b
	printf "ds: %d K-files: dsreg ds -K %.3f s (%.0f keys/s); %d dnssec-dsfromkey runs %.1f s; ratio %.0fx (target >= 50x) %s\n",
	    n, d, n / d, n, r, r / d, (r / d >= 50 ? "OK" : "BELOW TARGET")
	exit (r / d >= 50 ? 0 : 1)
}'
