#!/bin/sh
# tests/system/epp_registrar.sh - epp_registrar_ops (epp/registrar.c), the
# registrar interface the engine uses, against tests/epp/server.py over
# real TLS: the unit runner's "live" case of epp_registrar drives open,
# read, holds and apply (applied, already, a hook that says no, rem all,
# a 2304 refusal, a domain:info error), then the same on a key-interface
# registry (keys for the DS; a DS whose key is unknown is not sent).
# Here: what the server received, and no password in any output.
. "$SRCDIR/tests/epp/lib.sh"
[ -x "$BUILD/unit-tests" ] || { echo "no $BUILD/unit-tests: make unit"; exit 77; }
epp_setup 127.82.0.1

# live IFACE: run the live case against the server on $EPP_PORT
live() {
	(cd "$SRCDIR" && DSREG_LIVE_EPP_DIR=$TMPDIR DSREG_LIVE_EPP_HOST=$EPP_IP \
	    DSREG_LIVE_EPP_PORT=$EPP_PORT DSREG_LIVE_EPP_IFACE=$1 \
	    CK_RUN_SUITE=epp_registrar CK_RUN_CASE=live "$BUILD/unit-tests") \
	    > "$TMPDIR/live.$1" 2>&1
	rc=$?
	cat "$TMPDIR/live.$1" >> "$TMPDIR/all-output"
	grep -q '^100%: Checks: 1, Failures: 0, Errors: 0' "$TMPDIR/live.$1" && [ $rc -eq 0 ] || {
		cat "$TMPDIR/live.$1"; echo "--- server log"; cat "$TMPDIR/server.log"
		fail "live case, $1 interface"
	}
}

# --- ds interface
epp_start --domain live.lab --domain locked.lab::clientUpdateProhibited
live ds
# add A; A -> B after the refused hook (sent once); rem all + A, C
[ "$(count_in "$TMPDIR/server.log" '^UPDATE live.lab .*-> 1000')" -eq 3 ] ||
	{ cat "$TMPDIR/server.log"; fail "ds: want 3 updates of live.lab"; }
expect_in "$TMPDIR/server.log" '^UPDATE live.lab rem=all add=' "ds: rem all"
[ "$(count_in "$TMPDIR/server.log" '^UPDATE locked.lab -> 2304')" -eq 1 ] ||
	fail "ds: locked.lab not sent once"
expect_not_in "$TMPDIR/server.log" 'UPDATE nope.lab' "ds: nothing sent for a domain that does not exist"
cp "$TMPDIR/server.log" "$TMPDIR/server.ds.log"
epp_stop

# --- key interface (RFC 5910 §4.2)
epp_start --interface key --domain live.lab
live key
[ "$(count_in "$TMPDIR/server.log" '^UPDATE live.lab .*-> 1000')" -eq 2 ] ||
	{ cat "$TMPDIR/server.log"; fail "key: want 2 updates of live.lab"; }
expect_not_in "$TMPDIR/server.log" '^UPDATE .*-> 2306' "key: the registry got dsData"

expect_not_in "$TMPDIR/all-output" 'Secret-pw-42' "password in the output"
exit 0
