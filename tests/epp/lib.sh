# tests/epp/lib.sh - shared setup for the EPP system tests (sourced, POSIX sh)
#
# epp_setup IP        make certificates for IP in $TMPDIR/pki, a password file,
#                     and install the cleanup trap
# epp_start ARGS...   start the test server on $EPP_IP with ARGS (plus the
#                     certificates, registrar reg1/reg2), wait for READY,
#                     set EPP_PORT; log in $TMPDIR/server.log
# epp_config [KEY=VALUE...]  write $TMPDIR/dsreg.conf with [account reg]
# epp_stop            stop the server (by saved PID)
# fail MSG            print and exit 1
PY=/usr/bin/python3
EPP_PIDS=""

fail() { echo "FAIL: $*" >&2; exit 1; }

epp_cleanup() {
	for p in $EPP_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	EPP_PIDS=""
}

epp_setup() {
	EPP_IP=$1
	[ -x "$PY" ] || { echo "no /usr/bin/python3"; exit 77; }
	"$PY" -c 'import lxml' 2>/dev/null || { echo "python3-lxml missing"; exit 77; }
	command -v openssl >/dev/null || { echo "openssl missing"; exit 77; }
	[ -n "${EPP_NO_DSREG:-}" ] || [ -x "$DSREG" ] || fail "no program at $DSREG"
	trap epp_cleanup EXIT
	trap 'exit 1' INT TERM HUP PIPE
	sh "$SRCDIR/tests/epp/mkcerts.sh" "$TMPDIR/pki" "$EPP_IP" || fail "mkcerts"
	printf 'Secret-pw-42\n' > "$TMPDIR/reg1.pw"
	chmod 600 "$TMPDIR/reg1.pw"
}

# epp_start [--server-cert NAME] ARGS...
epp_start() {
	cert=server
	if [ "${1:-}" = "--server-cert" ]; then cert=$2; shift 2; fi
	: > "$TMPDIR/server.out"
	"$PY" "$SRCDIR/tests/epp/server.py" --addr "$EPP_IP" --port 0 \
	    --cert "$TMPDIR/pki/$cert.pem" --key "$TMPDIR/pki/$cert.key" \
	    --client-ca "$TMPDIR/pki/clientca.pem" \
	    --schema "$SRCDIR/fixtures/epp/all.xsd" \
	    --registrar reg1:Secret-pw-42 --registrar reg2:Other-pw-43 \
	    --log "$TMPDIR/server.log" "$@" \
	    > "$TMPDIR/server.out" 2> "$TMPDIR/server.err" &
	EPP_PID=$!
	EPP_PIDS="$EPP_PIDS $EPP_PID"
	i=0
	while ! grep -q '^READY ' "$TMPDIR/server.out"; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$EPP_PID" 2>/dev/null; then
			cat "$TMPDIR/server.err" >&2
			fail "EPP test server did not start"
		fi
		sleep 0.05
	done
	EPP_PORT=$(sed -n 's/^READY //p' "$TMPDIR/server.out")
}

epp_stop() {
	kill "$EPP_PID" 2>/dev/null
	wait "$EPP_PID" 2>/dev/null
	EPP_PIDS=$(echo "$EPP_PIDS" | sed "s/ $EPP_PID//")
	: > "$TMPDIR/server.log"
}

# epp_config [extra lines for the account section...]
epp_config() {
	{
		echo "[account reg]"
		echo "type = epp"
		echo "host = $EPP_IP"
		echo "port = $EPP_PORT"
		echo "ca_file = $TMPDIR/pki/ca.pem"
		echo "cert_file = $TMPDIR/pki/client.pem"
		echo "key_file = $TMPDIR/pki/client.key"
		echo "username = reg1"
		echo "password_file = $TMPDIR/reg1.pw"
		echo "timeout = 5"
	} > "$TMPDIR/dsreg.conf"
	# an extra line replaces the default of the same key: dsreg refuses
	# a single-valued key given twice
	for l in "$@"; do
		sed -i "/^${l%% *} = /d" "$TMPDIR/dsreg.conf"
		echo "$l" >> "$TMPDIR/dsreg.conf"
	done
}

# run dsreg with the test config; stdout in $TMPDIR/out, stderr in $TMPDIR/err, status in $RC
dsr() {
	"$DSREG" -c "$TMPDIR/dsreg.conf" "$@" > "$TMPDIR/out" 2> "$TMPDIR/err"
	RC=$?
}

expect_rc() {
	[ "$RC" -eq "$1" ] || {
		echo "--- stdout"; cat "$TMPDIR/out"; echo "--- stderr"; cat "$TMPDIR/err"
		echo "--- server log"; cat "$TMPDIR/server.log" 2>/dev/null
		fail "$2: exit $RC, expected $1"
	}
}

expect_in() {   # expect_in FILE PATTERN WHAT
	grep -q -e "$2" "$1" || {
		echo "--- $1"; cat "$1"
		fail "$3: '$2' not found"
	}
}

expect_not_in() {
	if grep -q -e "$2" "$1"; then
		echo "--- $1"; cat "$1"
		fail "$3: '$2' found"
	fi
}

count_in() { grep -c -e "$2" "$1"; }

# epp_keys: two KSKs for example.lab in $TMPDIR/keys; sets K1 K2 (K-files),
# DS1 DS2 (SHA-256 RDATA "TAG ALG TYPE HEX"), DS1b (SHA-384 of K1), T1 T2 (tags)
epp_keys() {
	command -v dnssec-keygen >/dev/null || { echo "bind9-utils missing"; exit 77; }
	mkdir -p "$TMPDIR/keys"
	(cd "$TMPDIR/keys" && dnssec-keygen -q -a ECDSAP256SHA256 -f KSK example.lab &&
	    dnssec-keygen -q -a ECDSAP256SHA256 -f KSK example.lab) >/dev/null || fail keygen
	set -- "$TMPDIR"/keys/*.key
	K1=$1 K2=$2
	DS1=$(dnssec-dsfromkey -2 "$K1" | awk '{print $4" "$5" "$6" "$7}')
	DS1b=$(dnssec-dsfromkey -a SHA-384 "$K1" | awk '{print $4" "$5" "$6" "$7}')
	DS2=$(dnssec-dsfromkey -2 "$K2" | awk '{print $4" "$5" "$6" "$7}')
	T1=${DS1%% *}
	T2=${DS2%% *}
}

# epp_hold SECONDS: hold one session at the server (tests/epp/hold.py) and
# wait until the server counts it; its PID in $HOLD, stopped by the cleanup
epp_hold() {
	: > "$TMPDIR/server.log"
	"$PY" "$SRCDIR/tests/epp/hold.py" "$EPP_IP" "$EPP_PORT" "$TMPDIR/pki/ca.pem" \
	    "$TMPDIR/pki/client.pem" "$TMPDIR/pki/client.key" "$1" &
	HOLD=$!
	EPP_PIDS="$EPP_PIDS $HOLD"
	i=0
	until grep -q CONNECT "$TMPDIR/server.log"; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "holder did not connect"; sleep 0.05
	done
}
