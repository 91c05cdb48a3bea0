#!/bin/sh
# tests/system/ds_include_secret.sh - a key store must not show other files:
# a K-file holding "$INCLUDE /path/to/secret", or whose first token is the
# secret itself, makes dsreg audit --keys and dsreg ds -K name the file,
# line and rule, never the secret.  Zone files follow $INCLUDE only with
# --allow-include, and never quote an included file.
set -u
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
W=$TMPDIR/ds_include_secret
rm -rf "$W"
mkdir -p "$W/store/sub"
cd "$W"
SECRET=tucows-api-key-5f2b9c0e1d7a4386
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# no_secret NAME FILE: FILE (stdout+stderr of a run) does not show SECRET
no_secret() {
	if grep -q "$SECRET" "$2"; then
		fail "$1 shows the secret:"
		sed 's/^/    /' "$2"
	fi
}

printf '%s\n' "$SECRET" > tucows.key
chmod 600 tucows.key
printf '$INCLUDE %s\n' "$W/tucows.key" > store/Kexample.net.+013+55648.key
printf '%s\n' "$SECRET" > store/sub/Kexample.org.+013+55649.key
printf '$%s\n' "$SECRET" > store/sub/Kexample.com.+013+55650.key
cp "$SRCDIR/fixtures/keys/Kexample.net.+013+52546.key" store/

# 1. dsreg audit --keys (a resolver that refuses: the audit itself does not
#    matter, only what is said about the key store).
"$DSREG" --resolver 127.55.0.1@9 audit --keys store > audit.out 2>&1
no_secret "audit --keys" audit.out
grep -q "store/Kexample.net.+013+55648.key:1: \$INCLUDE is not followed" audit.out ||
	fail "audit --keys does not name the K-file with \$INCLUDE: $(cat audit.out)"
grep -q "store/sub/Kexample.org.+013+55649.key:1: relative owner name" audit.out ||
	fail "audit --keys does not name the bad K-file and rule: $(cat audit.out)"

# 2. dsreg ds -K: the good key is printed, the bad ones named, exit non-zero.
if "$DSREG" ds -K store > ds.out 2>&1; then
	fail "ds -K with bad key files exited 0"
fi
no_secret "ds -K" ds.out
grep -q "^example.net. IN DS 52546 13 2 " ds.out || fail "ds -K lost the good key"
grep -q "Kexample.com.+013+55650.key:1: unsupported directive (" ds.out ||
	fail "ds -K does not name the bad directive: $(cat ds.out)"

# 3. A zone file with $INCLUDE: refused without --allow-include; with it
#    the included file (not named by the user) is named, not quoted.
{
	echo "\$TTL 3600"
	echo "\$ORIGIN example.net."
	sed -n 's/^example.net. /@ /p' "$SRCDIR/fixtures/keys/Kexample.net.+013+52546.key"
	echo "\$INCLUDE $W/tucows.key"
} > zone.db
if "$DSREG" ds -f zone.db example.net > zone.out 2>&1; then
	fail "\$INCLUDE followed without --allow-include"
fi
grep -q "zone.db:4: \$INCLUDE is not followed.*--allow-include" zone.out ||
	fail "no clear refusal of \$INCLUDE: $(cat zone.out)"
if "$DSREG" ds --allow-include -f zone.db example.net > zone.out 2>&1; then
	fail "an included file that is not a zone file was accepted"
fi
no_secret "ds --allow-include -f" zone.out
grep -q "tucows.key:1: " zone.out ||
	fail "the included file is not named: $(cat zone.out)"
sed '$d' zone.db > plain.db
echo "\$INCLUDE $SRCDIR/fixtures/keys/Kexample.net.+013+59679.key" >> plain.db
"$DSREG" ds --allow-include --zsk -f plain.db example.net > plain.out 2>&1 ||
	fail "--allow-include does not follow \$INCLUDE: $(cat plain.out)"
test "$(grep -c ' IN DS ' plain.out)" -eq 2 ||
	fail "expected 2 DS records through \$INCLUDE: $(cat plain.out)"

echo "ds_include_secret: $fails failed"
[ "$fails" -eq 0 ]
