#!/bin/sh
# tests/system/ds_corpus.sh - dsreg ds against BIND's dnssec-dsfromkey on
# every file of the real-world key corpus (shared/corpus/realworld/keys):
# same records on stdout, the same success or failure, and a warning on
# stderr where BIND warns, in each mode:
#   K-file argument   dnssec-dsfromkey F            dsreg ds --zsk F
#                     (BIND's K-file mode takes every key: -A is implied)
#   standard input    dnssec-dsfromkey -f - OWNER   dsreg ds -          (K-files,
#                     after a $TTL line, as DNSKEYs from dig come with TTLs)
#   zone file         dnssec-dsfromkey -f Z ZONE    dsreg ds -f Z ZONE  (ZONES.tsv)
#   directory         dnssec-dsfromkey F, for each K*.key in DIR in name
#                     order (fails if one fails)    dsreg ds --zsk -K DIR
set -u
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
KEYS=${DSREG_CORPUS_KEYS:-$SRCDIR/../shared/corpus/realworld/keys}
if [ ! -d "$KEYS/kfiles" ] || [ ! -f "$KEYS/ZONES.tsv" ]; then
	echo "skip: key corpus not found at $KEYS (shared/ is not beside the clone)"
	exit 77
fi
command -v dnssec-dsfromkey >/dev/null ||
	{ echo "skip: dnssec-dsfromkey (bind9-utils) not installed"; exit 77; }
W=$TMPDIR/ds_corpus
rm -rf "$W"
mkdir -p "$W"
n=0
agree=0
diffs=""

# compare LABEL: bind.out/bind.rc against ds.out/ds.rc in $W
compare() {
	n=$((n + 1))
	brc=$(cat "$W/bind.rc")
	drc=$(cat "$W/ds.rc")
	bok=ok; [ "$brc" -eq 0 ] || bok=fail
	dok=ok; [ "$drc" -eq 0 ] || dok=fail
	# Where BIND succeeds with a warning about the input, dsreg warns too
	# ("addnode:" is about BIND's own database, not the input).
	warns=same
	if [ "$bok" = ok ] && [ "$dok" = ok ] &&
	    grep -v "addnode:" "$W/bind.err" | grep -q "warning:" &&
	    ! grep -q "warning:" "$W/ds.err"; then
		warns="dnssec-dsfromkey warns, dsreg does not"
	fi
	if [ "$bok" = "$dok" ] && [ "$warns" = same ] &&
	    cmp -s "$W/bind.out" "$W/ds.out"; then
		agree=$((agree + 1))
		return
	fi
	echo "DIFF: $1: dnssec-dsfromkey $bok (rc $brc), dsreg $dok (rc $drc)"
	[ "$warns" = same ] || echo "    $warns"
	diff "$W/bind.out" "$W/ds.out" | head -6 | sed 's/^/    /'
	sed 's/^/    bind: /' "$W/bind.err" | head -3
	sed 's/^/    dsreg: /' "$W/ds.err" | head -3
	diffs="$diffs
  $1"
}

run_bind() {	# run_bind ARGS... (stdin passed through)
	dnssec-dsfromkey "$@" > "$W/bind.out" 2> "$W/bind.err"
	echo $? > "$W/bind.rc"
}

run_ds() {
	"$DSREG" ds "$@" > "$W/ds.out" 2> "$W/ds.err"
	echo $? > "$W/ds.rc"
}

cd "$KEYS"

# 1 and 2: every key file as an argument and on standard input.
for f in $(find kfiles -type f | LC_ALL=C sort); do
	run_bind "$f"
	run_ds --zsk "$f"
	compare "K-file $f"
	owner=$(awk '!/^[;$]/ && NF { print $1; exit }' "$f")
	[ -n "$owner" ] || owner=.
	{ echo '$TTL 3600'; cat "$f"; } > "$W/stdin"
	run_bind -f - "$owner" < "$W/stdin"
	run_ds - < "$W/stdin"
	compare "stdin $f"
done

# 3: every zone file with the zone ZONES.tsv names.
tail -n +2 ZONES.tsv | while IFS='	' read -r f zone; do
	printf '%s\t%s\n' "$f" "$zone"
done > "$W/zones.list"
while IFS='	' read -r f zone; do
	run_bind -f "$f" "$zone"
	run_ds -f "$f" "$zone"
	compare "-f $f $zone"
done < "$W/zones.list"

# 4: every key directory.
for d in $(find kfiles -mindepth 1 -type d | LC_ALL=C sort); do
	: > "$W/bind.out"
	: > "$W/bind.err"
	rc=0
	for f in $(find "$d" -type f -name 'K*.key' | LC_ALL=C sort); do
		dnssec-dsfromkey "$f" >> "$W/bind.out" 2>> "$W/bind.err" || rc=1
	done
	echo $rc > "$W/bind.rc"
	run_ds --zsk -K "$d"
	compare "-K $d"
done

echo "ds_corpus: $agree of $n comparisons agree"
if [ "$agree" -ne "$n" ]; then
	echo "differences:$diffs"
	exit 1
fi
exit 0
