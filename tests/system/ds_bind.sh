#!/bin/sh
# tests/system/ds_bind.sh - dsreg ds byte for byte against BIND's dnssec-dsfromkey
# (and field for field against ldns-key2ds) for keys made by dnssec-keygen.
set -eu
: "${DSREG:?}" "${TMPDIR:?}"
W="$TMPDIR/ds_bind"
rm -rf "$W"
mkdir -p "$W/keys"
cd "$W"
fails=0
checks=0

same() {	# same NAME FILE1 FILE2
	checks=$((checks + 1))
	if [ ! -s "$2" ]; then
		echo "FAIL: $1: reference output is empty"
		fails=$((fails + 1))
	elif cmp -s "$2" "$3"; then
		:
	else
		echo "FAIL: $1"
		diff "$2" "$3" | head -10
		fails=$((fails + 1))
	fi
}

# Keys for every algorithm we support that BIND 9.18 can make.
# 5 and 7 (RSASHA1) are NOT RECOMMENDED for signing but still seen in the wild.
for alg in 5 7 8 10 13 14 15 16; do
	case $alg in 5|7|8|10) bits="-b 2048" ;; *) bits="" ;; esac
	zone="alg$alg.example"
	[ "$alg" = 7 ] && nsec3="-3" || nsec3=""
	dnssec-keygen -q -K keys $bits $nsec3 -a $alg -f KSK "$zone" >/dev/null 2>&1
	dnssec-keygen -q -K keys $bits $nsec3 -a $alg "$zone" >/dev/null 2>&1
done
# A CSK-style second KSK (rollover) and an uppercase zone name.
dnssec-keygen -q -K keys -a 13 -f KSK alg13.example >/dev/null
dnssec-keygen -q -K keys -a 13 -f KSK Mixed.Case.Example >/dev/null
ls keys/*.key | wc -l | grep -qx 18 || { echo "expected 18 key files"; exit 1; }

ksks=$(grep -l "DNSKEY 257 " keys/*.key | sort)
zsks=$(grep -l "DNSKEY 256 " keys/*.key | sort)

# 1. One K-file at a time, each digest option, TTL and CDS.
for f in $ksks; do
	for opts in "" "-1" "-2" "-a SHA-384" "-1 -2 -a SHA-384" "-a sha256 -T 3600" "-C" "-C -a SHA-384 -T 0"; do
		dnssec-dsfromkey $opts "$f" > bind.out 2>/dev/null
		# dsreg spells -C as --cds and -T as --ttl; both spellings work
		dsopts=$(echo "$opts" | sed 's/-C/--cds/; s/-T/--ttl/')
		"$DSREG" ds $dsopts "$f" > dsreg.out
		same "$f [$opts]" bind.out dsreg.out
		"$DSREG" ds $opts "$f" > dsreg.out
		same "$f [$opts, BIND spelling]" bind.out dsreg.out
	done
done

# 2. ZSKs only with --zsk (KSKs/CSKs only by default).
for f in $zsks; do
	dnssec-dsfromkey "$f" > bind.out
	"$DSREG" ds --zsk "$f" > dsreg.out
	same "$f --zsk" bind.out dsreg.out
	checks=$((checks + 1))
	if "$DSREG" ds "$f" > dsreg.out 2> err.out && [ -s dsreg.out ]; then
		echo "FAIL: ZSK $f printed without --zsk"; fails=$((fails + 1))
	fi
	grep -q "zone-signing key" err.out || { echo "FAIL: no ZSK warning"; fails=$((fails + 1)); }
done

# 3. -K DIR: every KSK in the directory, in file-name order.
: > bind.out
for f in $ksks; do
	dnssec-dsfromkey "$f" >> bind.out
done
"$DSREG" ds -K keys > dsreg.out
same "-K DIR" bind.out dsreg.out
# with a zone filter and a key name argument
: > bind.out
for f in $(ls keys/Kalg13.example.+*.key | sort); do
	grep -q "DNSKEY 257" "$f" && dnssec-dsfromkey -a SHA-384 "$f" >> bind.out
done
"$DSREG" ds -a SHA-384 -K keys alg13.example > dsreg.out
same "-K DIR ZONE" bind.out dsreg.out
k=$(basename "$(echo "$ksks" | head -n 1)" .key)
dnssec-dsfromkey "keys/$k" > bind.out  # BIND uses -K only for keysets
"$DSREG" ds -K keys "$k" > dsreg.out
same "-K DIR KEYNAME" bind.out dsreg.out

# 4. -f ZONEFILE ZONE: $TTL, $ORIGIN, relative names, parentheses, $INCLUDE.
for alg in 8 13 15; do
	zone="alg$alg.example"
	{
		echo "\$TTL 3600"
		echo "\$ORIGIN $zone."
		echo "@ IN SOA ns1 hostmaster ( 1 ; serial"
		echo "        7200 3600 1209600 300 )"
		echo "  IN NS ns1.example."
		n=0
		for f in keys/K$zone.+*.key; do
			n=$((n + 1))
			if [ $n = 1 ]; then
				# split the key over lines in parentheses
				grep -v '^;' "$f" | sed "s/^$zone\\. IN DNSKEY \\([0-9]* [0-9]* [0-9]*\\) \\(.*\\)/@ IN DNSKEY \\1 ( \\2 ) ; first key/" |
					awk '{ sub(/\( /, "(\n    "); print }'
			else
				echo "\$INCLUDE $(pwd)/$f"
			fi
		done
		echo "www IN A 192.0.2.1"
	} > "$zone.db"
	dnssec-dsfromkey -f "$zone.db" "$zone" > bind.out
	"$DSREG" ds --allow-include -f "$zone.db" "$zone" > dsreg.out
	same "-f $zone" bind.out dsreg.out
	dnssec-dsfromkey -A -1 -2 -f "$zone.db" "$zone" > bind.out
	"$DSREG" ds --allow-include --zsk -1 -2 -f "$zone.db" "$zone" > dsreg.out
	same "-f $zone --zsk -1 -2" bind.out dsreg.out
done

# 5. Standard input: DNSKEY records as dig prints them.
for alg in 13 14 16; do
	zone="alg$alg.example"
	cat keys/K$zone.+*.key | grep -v '^;' | sed 's/ IN / 3600 IN /' > keyset.txt
	dnssec-dsfromkey -f - "$zone" < keyset.txt > bind.out
	"$DSREG" ds - < keyset.txt > dsreg.out
	same "stdin $zone" bind.out dsreg.out
	dnssec-dsfromkey -C -T 300 -f - "$zone" < keyset.txt > bind.out
	"$DSREG" ds --cds --ttl 300 - < keyset.txt > dsreg.out
	same "stdin $zone --cds --ttl" bind.out dsreg.out
done

# 6. ldns-key2ds: same records, compared field by field (ldns prints TTL and
#    lower-case hex).
for f in $ksks; do
	for d in 1 2 4; do
		ldns-key2ds -n -$d "$f" | awk '{ print $1, $5, $6, $7, toupper($8) }' > ldns.out
		case $d in 1) a=sha1 ;; 2) a=sha256 ;; 4) a=sha384 ;; esac
		"$DSREG" ds -a $a "$f" | awk '{ print $1, $4, $5, $6, $7 }' > dsreg.out
		same "ldns-key2ds -$d $f" ldns.out dsreg.out
	done
done

# 7. A broken K-file in the directory is named, skipped, and the rest printed.
cp -r keys badkeys
f=$(echo "$ksks" | head -n 1 | sed 's|^keys/||')
sed -i 's/ 3 \([0-9]*\) / 2 \1 /' "badkeys/$f"
checks=$((checks + 1))
if "$DSREG" ds -K badkeys > dsreg.out 2> err.out; then
	echo "FAIL: broken key file gave exit 0"; fails=$((fails + 1))
fi
grep -q "badkeys/$f:[0-9]*: RFC 4034 §2.1.2: DNSKEY protocol field is 2" err.out ||
	{ echo "FAIL: error does not name the file and rule:"; cat err.out; fails=$((fails + 1)); }
test "$(wc -l < dsreg.out)" -eq "$(( $(echo "$ksks" | wc -l) - 1 ))" ||
	{ echo "FAIL: other keys not printed"; fails=$((fails + 1)); }

echo "ds_bind: $checks comparisons, $fails failed"
[ "$fails" -eq 0 ]
