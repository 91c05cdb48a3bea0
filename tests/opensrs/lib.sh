# tests/opensrs/lib.sh - shared helpers for the OpenSRS system tests (sourced, POSIX sh)
#
# Before sourcing set OSRS_ADDR (an address in 127.30.0.0/16, one per test
# script).  Provides: osrs_setup (certificates, data, key, config),
# osrs_start [emulator args...], osrs_stop, faults JSON, log_calls,
# state_get, run (dsreg with the test config, output in $OUT/$ERR, status
# in $RC), check/fail helpers.  Everything lives in $T; every process
# started is stopped by saved PID on exit.

set -u
: "${SRCDIR:?}" "${DSREG:?}" "${TMPDIR:?}" "${OSRS_ADDR:?}"
PY=/usr/bin/python3
T=$TMPDIR/osrs
EMU_PID=
mkdir -p "$T"

osrs_stop() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null
		wait "$EMU_PID" 2>/dev/null
		EMU_PID=
	fi
}
trap osrs_stop EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	[ -f "$T/out" ] && { echo "--- stdout"; cat "$T/out"; }
	[ -f "$T/err" ] && { echo "--- stderr"; tail -n 40 "$T/err"; }
	[ -f "$T/requests.jsonl" ] && { echo "--- requests"; tail -n 20 "$T/requests.jsonl"; }
	exit 1
}

# Certificates made now with openssl: a CA and a server cert for OSRS_ADDR.
osrs_certs() {
	[ -x "$(command -v openssl)" ] || { echo "openssl missing"; exit 77; }
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/ca.key" -out "$T/ca.pem" -days 2 \
	    -subj "/CN=dsreg OpenSRS test CA" 2>/dev/null || fail "make CA"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/srv.key" -out "$T/srv.csr" -subj "/CN=$OSRS_ADDR" \
	    2>/dev/null || fail "make server key"
	printf 'subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\n' "$OSRS_ADDR" \
	    > "$T/srv.ext"
	openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
	    -CAcreateserial -out "$T/srv.pem" -days 2 -extfile "$T/srv.ext" \
	    2>/dev/null || fail "sign server cert"
}

# Test data: resellers alpha (sub-reseller subco) and beta, domains with
# lock states and DS sets (and one listed name with a newline in it).  KEY_ALPHA / KEY_BETA are the API keys.
KEY_ALPHA=7f3c0a9e55d1b2c48e6a1f09d3b7c2e5a8d4f6b1c0e9a7d3f5b2c8e1a4d6f9b0c3e7a2d5f8b1c4e7a0d3f6b9c2e5a8d1f4b7c0e3a6d9f2b5c8e1a4d7f0b3c6e9
KEY_BETA=beta-secret-key-0123456789abcdef
DIG1=E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766
DIG2=0B5C4A6E8F3D2A1B9C7E5F4D3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B
osrs_data() {
	$PY - "$T/data.json" "$KEY_ALPHA" "$KEY_BETA" "$DIG1" "$DIG2" <<'EOF'
import json, sys
path, ka, kb, d1, d2 = sys.argv[1:]
doms = {
    "locked.lab": {"owner": "alpha", "locked": True, "expiredate": "2027-03-01 00:00:00",
                   "ds": [{"key_tag": 11111, "algorithm": 13, "digest_type": 2, "digest": d2}]},
    "open.lab": {"owner": "alpha", "locked": False, "expiredate": "2027-04-01 00:00:00"},
    "other.lab": {"owner": "beta", "locked": False, "expiredate": "2027-05-01 00:00:00"},
    "sub.lab": {"owner": "alpha", "sub": "subco", "locked": True,
                "expiredate": "2028-01-01 00:00:00"},
    # a hostile name: the client must skip it, not print a forged line
    "evil\nforged.lab 2030-01-01": {"owner": "alpha", "expiredate": "2027-01-01 00:00:00"},
}
for i in range(23):
    doms["bulk%02d.lab" % i] = {"owner": "alpha", "locked": i % 2 == 0,
                               "expiredate": "2029-%02d-15 00:00:00" % (i % 12 + 1)}
json.dump({"resellers": {"alpha": {"key": ka, "subresellers": ["subco"]},
                         "beta": {"key": kb}},
           "domains": doms}, open(path, "w"), indent=1)
EOF
}

osrs_setup() {
	osrs_certs
	osrs_data
	printf '%s\n' "$KEY_ALPHA" > "$T/alpha.key"
	printf '%s\n' "$KEY_BETA" > "$T/beta.key"
	printf 'not-the-key\n' > "$T/wrong.key"
	chmod 600 "$T/alpha.key" "$T/beta.key" "$T/wrong.key"
	: > "$T/faults.json"
}

# osrs_start [extra emulator args]: start, wait for its READY line, write
# the config for its port.
osrs_start() {
	osrs_stop
	: > "$T/emu.out"
	$PY "$SRCDIR/tests/opensrs/emulator.py" --addr "$OSRS_ADDR" \
	    --cert "$T/srv.pem" --key "$T/srv.key" --data "$T/data.json" \
	    --faults "$T/faults.json" --log "$T/requests.jsonl" \
	    ${OSRS_NO_STATE:+--no-state} --state "$T/state.json" \
	    --secrets-log "$T/signatures" "$@" \
	    > "$T/emu.out" 2> "$T/emu.err" &
	EMU_PID=$!
	i=0
	while ! grep -q '^READY ' "$T/emu.out" 2>/dev/null; do
		kill -0 "$EMU_PID" 2>/dev/null || { cat "$T/emu.err"; fail "emulator died"; }
		i=$((i + 1))
		[ $i -lt 200 ] || fail "emulator not ready after 20 s"
		sleep 0.1
	done
	PORT=$(awk '/^READY /{print $3}' "$T/emu.out")
	URL="https://$OSRS_ADDR:$PORT/"
	osrs_config
}

# account NAME USER KEYFILE [EXTRA LINES]: one [account] section on stdout.
account() {
	printf '[account %s]\ntype = opensrs\nurl = %s\nusername = %s\n' "$1" "$URL" "$2"
	printf 'key_file = %s\ndomains = discover\ntimeout = %s\n' "$T/$3" "${TIMEOUT:-10}"
	[ $# -ge 4 ] && printf '%b\n' "$4"
	echo
}

# Write $T/dsreg.conf; TIMEOUT (default 10) is the accounts' timeout.
osrs_config() {
	ca="ca_file = $T/ca.pem"
	{
		account tucows alpha alpha.key "$ca\nrelock = yes"
		account sub alpha alpha.key "$ca\nsubreseller = subco"
		account norelock alpha alpha.key "$ca\nrelock = no"
		account beta beta beta.key "$ca"
		account wrongkey alpha wrong.key "$ca"
		account noca alpha alpha.key
		account slow alpha alpha.key "$ca\nrate = 4"
	} > "$T/dsreg.conf"
}

# faults 'JSON list': replace the emulator's fault rules (counters restart).
faults() {
	printf '%s\n' "$1" > "$T/faults.json.tmp"
	mv "$T/faults.json.tmp" "$T/faults.json"
}

# Forget the request log (so a test step sees only its own calls).
clear_log() { : > "$T/requests.jsonl"; }

# log_calls: one line per logged request: ACTION[:type|:lock_state] applied code
log_calls() {
	$PY - "$T/requests.jsonl" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    a = e.get("action") or "?"
    if e.get("type"):
        a += ":" + e["type"]
    if e.get("lock_state") is not None:
        a += ":" + str(e["lock_state"])
    print(a, "applied" if e.get("applied") else "-", e.get("code"), e.get("fault") or "")
EOF
}

# state_get DOMAIN FIELD: locked -> 1/0; ds -> "tag alg type DIGEST" lines.
state_get() {
	$PY - "$T/state.json" "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["domains"][sys.argv[2]]
if sys.argv[3] == "locked":
    print(1 if d["locked"] else 0)
else:
    for r in d["ds"]:
        print(r["key_tag"], r["algorithm"], r["digest_type"], r["digest"])
EOF
}

# run ARGS...: dsreg with the test config; sets RC, output in $T/out, $T/err.
run() {
	"$DSREG" -c "$T/dsreg.conf" "$@" > "$T/out" 2> "$T/err"
	RC=$?
	cat "$T/out" "$T/err" >> "$T/all-output"
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC ($2)"; }
expect_err() { grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1' ($2)"; }
expect_out() { grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1' ($2)"; }
expect_calls() {
	got=$(log_calls)
	[ "$got" = "$1" ] || fail "requests made ($2):
$got
expected:
$1"
}
