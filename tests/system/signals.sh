#!/bin/sh
# tests/system/signals.sh - dsreg signals: CDS equal to dnssec-dsfromkey -C,
# CDNSKEY equal to the DNSKEY, RFC 9615 names for out-of-bailiwick servers
# only, output loadable as zone data, exit 1 for a domain without keys.
set -eu
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
K="$SRCDIR/fixtures/keys"
cd "$TMPDIR"
rc=0
"$DSREG" signals --keys "$K" --ns ns1.provider.net,ns2.example.net \
	example.net shop.example.org nokeys.example > out.zone 2> err.txt || rc=$?
test "$rc" -eq 1 || { echo "exit $rc, want 1 (a domain has no keys)"; exit 1; }
grep -q "^; nokeys.example.: no expected KSK/CSK" out.zone

# CDS at the apex: exactly what BIND prints with -C -T 3600.
for f in "$K"/Kexample.net.*.key "$K"/Kshop.example.org.*.key; do
	grep -q "DNSKEY 257" "$f" || continue
	want=$(dnssec-dsfromkey -C -T 3600 "$f")
	grep -qxF "$want" out.zone || { echo "missing: $want"; exit 1; }
	# the same CDS under the RFC 9615 signaling name of ns1.provider.net
	z=$(echo "$want" | cut -d' ' -f1)
	echo "$want" | sed "s/^$z /_dsboot.${z}_signal.ns1.provider.net. /" > boot.want
	grep -qxF "$(cat boot.want)" out.zone || { echo "missing: $(cat boot.want)"; exit 1; }
	# CDNSKEY carries the DNSKEY RDATA
	key=$(grep -v '^;' "$f" | sed 's/.* DNSKEY //' | tr -d '()' | tr -s ' ')
	flags=$(echo "$key" | cut -d' ' -f1-3)
	b64=$(echo "$key" | cut -d' ' -f4- | tr -d ' ')
	grep -qxF "$z 3600 IN CDNSKEY $flags $b64" out.zone ||
		{ echo "missing CDNSKEY for $f"; exit 1; }
done
# ns2.example.net is inside example.net: no signal for it there, one for shop
if grep -q "^_dsboot.example.net._signal.ns2.example.net." out.zone; then
	echo "in-bailiwick server got a signal"; exit 1
fi
grep -q "^_dsboot.shop.example.org._signal.ns2.example.net. 3600 IN CDS " out.zone
# every record line parses as zone data
grep -v '^;' out.zone | grep -v '^$' > records.zone
ldns-read-zone -z records.zone > /dev/null 2> lderr.txt ||
	{ cat lderr.txt; exit 1; }
n=$(grep -c . records.zone)
# example.net: 2 keys x (CDS + CDNSKEY) x (apex + ns1) = 8; shop: 1 key x 2 x 3 = 6
test "$n" -eq 14 || { echo "expected 14 records, got $n"; exit 1; }
# JSON lines: one object per domain
"$DSREG" --format jsonl signals --keys "$K" --ns ns1.provider.net example.net > out.jsonl
/usr/bin/python3 - out.jsonl <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 1 and rows[0]["domain"] == "example.net.", rows
assert len(rows[0]["records"]) == 4 and len(rows[0]["dsboot"]) == 4, rows
PY
echo "signals: ok"
