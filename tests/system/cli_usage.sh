#!/bin/sh
# tests/system/cli_usage.sh - the front end's option and verb tables: usage
# errors exit 2 with the table's message, --help shows the usage generated
# from the tables and goes through the same end as any command (a full
# standard output is an error, exit 3), every verb of INTERFACE.md is in
# the epp and opensrs usage.  No network.
fail() { echo "FAIL: $*"; exit 1; }
T=$TMPDIR
cat > "$T/conf" <<CONF
[account reg]
type = epp
host = 127.0.0.1
username = u
password_file = $T/nowhere
CONF

# expect STATUS MESSAGE-OR-EMPTY ARGS...: exit status and stderr text
expect() {
	want=$1 msg=$2
	shift 2
	"$DSREG" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	[ "$rc" -eq "$want" ] || { cat "$T/err"; fail "dsreg $*: exit $rc, want $want"; }
	[ -z "$msg" ] || grep -qF -- "$msg" "$T/err" ||
		{ cat "$T/err"; fail "dsreg $*: no '$msg' on stderr"; }
}

# --help: usage on stdout, exit 0; into a full stdout: exit 3, said
for cmd in "" plan apply instructions audit signals report ds epp opensrs \
    check-config; do
	expect 0 "" $cmd --help
	grep -q "^usage: dsreg" "$T/out" || fail "dsreg $cmd --help: no usage on stdout"
	"$DSREG" $cmd --help > /dev/full 2> "$T/err"
	rc=$?
	[ "$rc" -eq 3 ] || fail "dsreg $cmd --help > /dev/full: exit $rc, want 3"
	grep -q "writing to standard output" "$T/err" ||
		fail "dsreg $cmd --help > /dev/full: not said"
done

# --version: one line "dsreg X.Y.Z" from the VERSION file, exit 0, whatever
# follows it; into a full stdout: exit 3
ver="dsreg $(cat "$SRCDIR/VERSION")"
for args in "--version" "-V" "-c /nonexistent --version audit"; do
	expect 0 "" $args
	[ "$(cat "$T/out")" = "$ver" ] ||
		fail "dsreg $args printed '$(cat "$T/out")', want '$ver'"
	[ ! -s "$T/err" ] || fail "dsreg $args wrote to stderr"
done
"$DSREG" --version > /dev/full 2> "$T/err"
rc=$?
[ "$rc" -eq 3 ] || fail "dsreg --version > /dev/full: exit $rc, want 3"
"$DSREG" --help > "$T/out"
grep -q -- "--version" "$T/out" || fail "dsreg --help does not show --version"

# the verbs of INTERFACE.md, from the verb tables
"$DSREG" epp --help > "$T/out"
for v in "hello" "info DOMAIN" "add-ds DOMAIN" "rem-ds DOMAIN" "rem-all DOMAIN"; do
	grep -q "ACCOUNT $v" "$T/out" || fail "epp usage lacks '$v'"
done
"$DSREG" opensrs --help > "$T/out"
for v in "list" "info DOMAIN" "lock DOMAIN" "unlock DOMAIN" "set-ds DOMAIN \[DS...\]"; do
	grep -q "ACCOUNT $v" "$T/out" || fail "opensrs usage lacks '$v'"
done

# usage errors: exit 2 and the table's message
expect 2 "expected a number from 1 to 4096, got '0'" -j 0 audit
expect 2 "at most 16 --resolver options" $(i=0; while [ $i -lt 17 ]; do echo --resolver 127.0.0.1; i=$((i + 1)); done) audit
expect 2 "--format: expected text, json, jsonl, csv, openmetrics or html" --format xml audit
expect 2 "--format html: not for audit" --format html audit
expect 2 "--format openmetrics: not for instructions" --format openmetrics instructions
expect 2 "--format openmetrics: not for ds" --format openmetrics ds -
expect 2 "unrecognized option" --bogus audit
expect 2 "" nosuchcommand
expect 2 "apply: --wait: expected seconds from 0 to 86400, got 'x'" apply --wait x
expect 2 "unrecognized option" plan --yes
expect 2 "invalid option" instructions -w 5
expect 2 "ds: --ttl: expected seconds" ds --ttl -1 -
expect 2 "ds: -a: unknown digest 'md5'" ds -a md5 -
expect 2 "signals: --ttl: expected seconds" signals --ttl x
expect 2 "usage: dsreg report" report extra
expect 2 "epp: bad use of 'bogus'" -c "$T/conf" epp reg bogus
expect 2 "epp: bad use of 'hello'" -c "$T/conf" epp reg hello extra
expect 2 "epp: bad use of 'rem-all'" -c "$T/conf" epp reg rem-all a.example b.example
expect 2 "--retries: expected a number from 0 to 100" epp --retries 101 reg hello
expect 2 "at most 16 --key options" epp $(i=0; while [ $i -lt 17 ]; do echo --key k; i=$((i + 1)); done) reg hello
expect 2 "usage: dsreg epp" epp reg
expect 2 "opensrs: bad use of 'list'" opensrs reg list extra
expect 2 "opensrs: 'nodot' is not a domain name" opensrs reg info nodot.
expect 2 "--from: expected YYYY-MM-DD, got '2026'" opensrs --from 2026 reg list
expect 2 "--page-size: expected a number from 1 to 10000" opensrs --page-size 0 reg list
# a configuration error (the password file is missing) is exit 2 too
expect 2 "nowhere" -c "$T/conf" epp reg hello
expect 2 "account reg is not of type opensrs" -c "$T/conf" opensrs reg list
echo "cli_usage: ok"
exit 0
