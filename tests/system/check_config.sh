#!/bin/sh
# tests/system/check_config.sh - dsreg check-config: one FILE:LINE line per
# problem (missing file, a key readable by others, a certificate that does
# not belong to its key, an unknown key, a repeated account, a bad type),
# every problem found in one run, exit 0/2; --online logs in to the EPP test
# server (real TLS, client certificate) and the OpenSRS emulator, and a
# refused login is a problem naming account and server, never the secret.
OSRS_ADDR=127.81.0.2
TIMEOUT=5
. "$SRCDIR/tests/opensrs/lib.sh"
. "$SRCDIR/tests/epp/lib.sh"
epp_setup 127.81.0.1
trap 'osrs_stop; epp_cleanup' EXIT
osrs_setup
osrs_start
epp_start --domain example.lab
PW=Secret-pw-42
WRONG_PW=Wrong-pw-99-Zq

mkdir -p "$TMPDIR/keys" "$TMPDIR/state"
cp "$SRCDIR"/fixtures/keys/Kexample.net.+013+59679.key "$TMPDIR/keys/"
printf '%s\n' "$WRONG_PW" > "$TMPDIR/wrong.pw"
chmod 600 "$TMPDIR/wrong.pw"
C=$TMPDIR/check.conf

# conf [EPP LINES...]: a clean config (an EPP and an OpenSRS account), the
# EPP account's keys replaced by the lines given (KEY = VALUE).
conf() {
	{
		echo "[dsreg]"
		echo "keys = $TMPDIR/keys"
		echo "state = $TMPDIR/state/state.db"
		echo
		echo "[account reg]"
		echo "type = epp"
		echo "host = 127.81.0.1"
		echo "port = $EPP_PORT"
		echo "ca_file = $TMPDIR/pki/ca.pem"
		echo "cert_file = $TMPDIR/pki/client.pem"
		echo "key_file = $TMPDIR/pki/client.key"
		echo "username = reg1"
		echo "password_file = $TMPDIR/reg1.pw"
		echo "timeout = 5"
		echo
		echo "[account tucows]"
		echo "type = opensrs"
		echo "url = $URL"
		echo "username = alpha"
		echo "key_file = $T/alpha.key"
		echo "ca_file = $T/ca.pem"
		echo "domains = discover"
		echo "timeout = 5"
	} > "$C"
	for l in "$@"; do
		k=${l%% *}
		# replace the EPP account's line (lines 5-14), else add it there
		if sed -n '5,14p' "$C" | grep -q "^$k = "; then
			sed -i "5,14{/^$k = /c\\
$l
}" "$C"
		else
			sed -i "14a\\
$l" "$C"
		fi
	done
}

# line PATTERN: the number of the first line of $C matching the pattern
line() { grep -n -e "$1" "$C" | head -n 1 | cut -d: -f1; }

ck() {
	"$DSREG" "$@" > "$TMPDIR/out" 2> "$TMPDIR/err"
	RC=$?
	cat "$TMPDIR/out" "$TMPDIR/err" >> "$TMPDIR/all-output"
}

show() { echo "--- stdout"; cat "$TMPDIR/out"; echo "--- stderr"; cat "$TMPDIR/err"; }
want_rc() { [ "$RC" -eq "$1" ] || { show; fail "$2: exit $RC, expected $1"; }; }
# want LINE TEXT WHAT: stdout has "$C:LINE: ...TEXT..."
want() {
	grep -F -- "$C:$1: " "$TMPDIR/out" | grep -q -F -- "$2" ||
	    { show; fail "$3: no line '$C:$1: ...$2...'"; }
}
# lines N WHAT: stdout has exactly N lines
lines() {
	n=$(wc -l < "$TMPDIR/out")
	[ "$n" -eq "$1" ] || { show; fail "$2: $n lines, expected $1"; }
}

: > "$TMPDIR/all-output"

# --- a clean config: exit 0, one ok line; -c after the command too; -q quiet
conf
ck -c "$C" check-config
want_rc 0 "clean"
grep -qxF "$C: ok (2 accounts)" "$TMPDIR/out" || { show; fail "clean: no ok line"; }
lines 1 "clean"
[ -s "$TMPDIR/err" ] && { show; fail "clean: stderr not empty"; }
ck check-config -c "$C"
want_rc 0 "clean, check-config -c FILE"
grep -qxF "$C: ok (2 accounts)" "$TMPDIR/out" || { show; fail "-c after the command"; }
ck -q -c "$C" check-config
want_rc 0 "clean -q"
lines 0 "clean -q"
# no network without --online
[ -s "$T/requests.jsonl" ] && fail "offline check-config talked to OpenSRS"
grep -q CONNECT "$TMPDIR/server.log" && fail "offline check-config talked to EPP"

# --- a missing file
conf "cert_file = $TMPDIR/pki/nothere.pem"
ck -c "$C" check-config
want_rc 2 "missing cert_file"
want "$(line '^cert_file')" "cert_file: $TMPDIR/pki/nothere.pem: No such file" "missing cert_file"
lines 1 "missing cert_file"
conf "password_file = $TMPDIR/nothere.pw"
ck -c "$C" check-config
want_rc 2 "missing password_file"
want "$(line '^password_file')" "password_file: $TMPDIR/nothere.pw: No such file" "missing password_file"

# --- a 0644 key: the TLS key, the password file, the OpenSRS API key
cp "$TMPDIR/pki/client.key" "$TMPDIR/open.key"
chmod 644 "$TMPDIR/open.key"
conf "key_file = $TMPDIR/open.key"
ck -c "$C" check-config
want_rc 2 "0644 TLS key"
want "$(line "^key_file = $TMPDIR/open.key")" "key_file: $TMPDIR/open.key: credentials file is readable by group or others (mode 0644)" "0644 TLS key"
lines 1 "0644 TLS key"
chmod 640 "$T/alpha.key"
conf
ck -c "$C" check-config
want_rc 2 "0640 API key"
want "$(line "^key_file = $T/alpha.key")" "(mode 0640)" "0640 API key"
chmod 600 "$T/alpha.key"

# --- a certificate that does not belong to its key (certificates made now)
cp "$TMPDIR/pki/wrong.key" "$TMPDIR/other.key"
chmod 600 "$TMPDIR/other.key"
conf "key_file = $TMPDIR/other.key"
ck -c "$C" check-config
want_rc 2 "mismatched key"
want "$(line "^key_file = $TMPDIR/other.key")" "does not match cert_file $TMPDIR/pki/client.pem" "mismatched key"
lines 1 "mismatched key"
# an expired client certificate, signed by the same client CA
openssl req -new -key "$TMPDIR/pki/client.key" -subj /CN=registrar \
    -out "$TMPDIR/old.csr" 2>/dev/null &&
openssl x509 -req -in "$TMPDIR/old.csr" -CA "$TMPDIR/pki/clientca.pem" \
    -CAkey "$TMPDIR/pki/clientca.key" -CAcreateserial -not_before 20200101000000Z \
    -not_after 20200201000000Z -out "$TMPDIR/old.pem" 2>/dev/null ||
openssl x509 -req -in "$TMPDIR/old.csr" -CA "$TMPDIR/pki/clientca.pem" \
    -CAkey "$TMPDIR/pki/clientca.key" -CAcreateserial -days -1 \
    -out "$TMPDIR/old.pem" 2>/dev/null || fail "make an expired certificate"
conf "cert_file = $TMPDIR/old.pem"
ck -c "$C" check-config
want_rc 2 "expired certificate"
want "$(line "^cert_file = $TMPDIR/old.pem")" "expired" "expired certificate"
# a certificate file that is no certificate
printf 'not a certificate\n' > "$TMPDIR/junk.pem"
conf "ca_file = $TMPDIR/junk.pem"
ck -c "$C" check-config
want_rc 2 "junk ca_file"
want "$(line "^ca_file = $TMPDIR/junk.pem")" "ca_file: $TMPDIR/junk.pem: no PEM certificate" "junk ca_file"

# --- an unknown key, a repeated account, a bad type: parse problems, file:line
conf "colour = blue"
ck -c "$C" check-config
want_rc 2 "unknown key"
want "$(line '^colour')" "[account reg]: unknown key 'colour'" "unknown key"
lines 1 "unknown key"
conf
printf '\n[account reg]\ntype = epp\n' >> "$C"
ck -c "$C" check-config
want_rc 2 "repeated account"
want "$(grep -n '^\[account reg\]' "$C" | tail -n 1 | cut -d: -f1)" "account 'reg' defined twice (first at line 5)" "repeated account"
lines 1 "repeated account"
conf "type = ftp"
ck -c "$C" check-config
want_rc 2 "bad type"
want "$(line '^type = ftp')" "type: expected opensrs, epp, dnsupdate or command, got 'ftp'" "bad type"
lines 1 "bad type"
# the parse is the gate of every other command: it refuses the same file
ck -c "$C" audit example.net
want_rc 2 "audit with a bad type"
grep -qF "$C:$(line '^type = ftp'): type: expected opensrs, epp, dnsupdate or command" "$TMPDIR/err" ||
    { show; fail "audit: same message"; }

# --- all of them at once: every problem found in one run, in file order
cp "$TMPDIR/pki/wrong.key" "$TMPDIR/other.key"
conf "type = ftp" "colour = blue" "cert_file = $TMPDIR/pki/client.pem" \
    "key_file = $TMPDIR/open.key"
sed -i "s|^key_file = $T/alpha.key|key_file = $T/nothere.key|" "$C"
printf '[account tucows]\ntype = opensrs\n' >> "$C"
ck -c "$C" check-config
want_rc 2 "all at once"
want "$(line '^type = ftp')" "type: expected opensrs, epp, dnsupdate or command" "all: type"
want "$(line '^colour')" "unknown key 'colour'" "all: unknown key"
want "$(line "^key_file = $TMPDIR/open.key")" "(mode 0644)" "all: 0644"
want "$(line "^key_file = $T/nothere.key")" "No such file" "all: missing"
want "$(grep -n '^\[account tucows\]' "$C" | tail -n 1 | cut -d: -f1)" "defined twice" "all: repeat"
lines 5 "all at once"
sort -t: -k2,2n -c "$TMPDIR/out" 2>/dev/null || { show; fail "all: not in file order"; }

# the same as JSON: the problems with their lines
ck --format json -c "$C" check-config
want_rc 2 "all at once, json"
$PY - "$TMPDIR/out" "$C" "$(line '^colour')" <<'EOF' || { show; fail "all at once, json"; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["file"] == sys.argv[2] and d["ok"] is False and d["accounts"] == 2, d
assert len(d["problems"]) == 5, d
assert {"line": int(sys.argv[3]), "message": "[account reg]: unknown key 'colour'"} in d["problems"], d
EOF

# --- the [dsreg] paths: key store and state
conf
sed -i "s|^keys = .*|keys = $TMPDIR/nokeys|; s|^state = .*|state = $TMPDIR/nostate/state.db|" "$C"
ck -c "$C" check-config
want_rc 2 "key store and state"
want 2 "keys: $TMPDIR/nokeys" "missing key store"
want 3 "state: $TMPDIR/nostate" "state directory missing"
lines 2 "key store and state"

# --- --online: log in and out once per account
conf
: > "$T/requests.jsonl"
: > "$TMPDIR/server.log"
ck -c "$C" check-config --online
want_rc 0 "online"
grep -qxF "$C: ok (2 accounts, 2 logins)" "$TMPDIR/out" || { show; fail "online: ok line"; }
[ "$(grep -c '^LOGIN reg1' "$TMPDIR/server.log")" -eq 1 ] || { cat "$TMPDIR/server.log"; fail "online: one EPP login"; }
grep -q '^LOGOUT reg1' "$TMPDIR/server.log" || { cat "$TMPDIR/server.log"; fail "online: EPP logout"; }
[ "$(wc -l < "$T/requests.jsonl")" -eq 1 ] || { cat "$T/requests.jsonl"; fail "online: one OpenSRS request"; }
grep -q '"auth": "ok"' "$T/requests.jsonl" || { cat "$T/requests.jsonl"; fail "online: OpenSRS auth"; }
ck --format jsonl -c "$C" check-config --online
want_rc 0 "online, jsonl"
grep -qxF "{\"file\":\"$C\",\"ok\":true,\"accounts\":2,\"logins\":2,\"problems\":[]}" "$TMPDIR/out" ||
    { show; fail "online, jsonl"; }

# a wrong EPP password and a wrong API key: each a problem naming account and server
conf "password_file = $TMPDIR/wrong.pw"
sed -i "s|^key_file = $T/alpha.key|key_file = $T/wrong.key|" "$C"
ck -c "$C" check-config --online
want_rc 2 "online, wrong secrets"
want "$(line '^\[account reg\]')" "[account reg]: login to 127.81.0.1:$EPP_PORT as reg1 refused: 2200" "wrong EPP password"
want "$(line '^\[account tucows\]')" "[account tucows]: request to $URL as alpha refused: 410" "wrong API key"
lines 2 "online, wrong secrets"
# an offline problem of an account: no login is tried with it
conf "key_file = $TMPDIR/open.key"
: > "$TMPDIR/server.log"
ck -c "$C" check-config --online
want_rc 2 "online after an offline problem"
grep -q CONNECT "$TMPDIR/server.log" && fail "logged in with a refused key file"
lines 1 "online after an offline problem"
# a server that echoes the password back: scrubbed
epp_stop
epp_start --domain example.lab --fault echo-pw=always
conf
ck -c "$C" check-config --online
want_rc 2 "echo-pw"
want "$(line '^\[account reg\]')" "[redacted]" "echo-pw: the marker"

# --- no secret in anything check-config printed
for s in "$PW" "$WRONG_PW" "$KEY_ALPHA" not-the-key; do
	grep -q -F -- "$s" "$TMPDIR/all-output" && fail "a secret is in the output"
done
if [ -s "$T/signatures" ]; then
	while read -r sig; do
		[ -n "$sig" ] && grep -q -F -- "$sig" "$TMPDIR/all-output" &&
		    fail "an X-Signature is in the output"
	done < "$T/signatures"
fi

# --- no config at all, and a config that is not there
ck -c "$TMPDIR/nothere.conf" check-config
want_rc 2 "missing config"
grep -qF "$TMPDIR/nothere.conf: " "$TMPDIR/out" || { show; fail "missing config: named"; }
ck check-config --bogus
want_rc 2 "bad option"
echo "check_config: ok"
exit 0
