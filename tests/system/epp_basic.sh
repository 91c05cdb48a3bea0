#!/bin/sh
# tests/system/epp_basic.sh - dsreg epp hello/info/add-ds/rem-ds/rem-all over real TLS
# against tests/epp/server.py: output, JSON, what the server received (XSD
# valid, only domain-1.0 + secDNS-1.1 announced), publish files, exit codes,
# and that neither the trace file nor -vvv stderr contain the password or authInfo.
. "$SRCDIR/tests/epp/lib.sh"
epp_setup 127.20.1.1
epp_keys

epp_start --domain example.lab --domain empty.lab \
    --publish-dir "$TMPDIR/pub" --publish-cmd "echo published >> $TMPDIR/pubcmd"
epp_config "server_name = epp.test"

# hello: greeting, secDNS chosen
dsr epp reg hello
expect_rc 0 hello
expect_in "$TMPDIR/out" '^server: dsreg test registry' hello
expect_in "$TMPDIR/out" '^secDNS in use: 1.1' hello
expect_in "$TMPDIR/out" '^login: 1000 ' hello
expect_in "$TMPDIR/server.log" 'LOGIN reg1 objURIs=urn:ietf:params:xml:ns:domain-1.0 extURIs=urn:ietf:params:xml:ns:secDNS-1.1$' "login announces domain-1.0 and secDNS-1.1 only"
expect_in "$TMPDIR/server.log" '^HELLO' hello

# add two DS (one word and four words), with the trace on
dsr epp --trace "$TMPDIR/trace" reg add-ds example.lab "$DS1" $DS2
expect_rc 0 add-ds
expect_in "$TMPDIR/out" '^add-ds: 1000 Command completed successfully (svTRID SV-' add-ds
expect_in "$TMPDIR/server.log" "UPDATE example.lab add=$T1/13/2 add=$T2/13/2 -> 1000" add-ds
[ "$(stat -c %a "$TMPDIR/trace")" = 600 ] || fail "trace file mode"
[ "$(count_in "$TMPDIR/pub/example.lab.ds" ' IN DS ')" -eq 2 ] || fail "publish file"
expect_in "$TMPDIR/pub/example.lab.ds" "^example.lab. 3600 IN DS $DS1\$" "publish format"
expect_in "$TMPDIR/pubcmd" published "publish command ran"

# the trace shows the XML exchanged, with the password and authInfo redacted
expect_in "$TMPDIR/trace" '<pw>\[redacted\]</pw>' "trace redacts the password"
expect_in "$TMPDIR/trace" '<domain:pw>\[redacted\]</domain:pw>' "trace redacts authInfo"
expect_in "$TMPDIR/trace" 'C: .*<secDNS:add>' "trace has the update"
expect_in "$TMPDIR/trace" 'S: .*<svTRID>' "trace has the answers"
expect_not_in "$TMPDIR/trace" 'Secret-pw-42' "password in trace"
expect_not_in "$TMPDIR/trace" 'authsecret' "authInfo in trace"
# every command carries its own clTRID, echoed by the server
grep -o 'C: .*<clTRID>[^<]*' "$TMPDIR/trace" | sed 's/.*<clTRID>//' > "$TMPDIR/trids"
[ "$(wc -l < "$TMPDIR/trids")" -ge 3 ] || fail "clTRIDs in the trace"
[ -z "$(sort "$TMPDIR/trids" | uniq -d)" ] || fail "clTRIDs not unique"
for t in $(cat "$TMPDIR/trids"); do
	grep -q "S: .*<clTRID>$t</clTRID>" "$TMPDIR/trace" || fail "clTRID $t not echoed"
done

# info, text and JSON
dsr epp reg info example.lab
expect_rc 0 info
expect_in "$TMPDIR/out" "^example.lab. IN DS $DS1\$" "info shows DS 1"
expect_in "$TMPDIR/out" "^example.lab. IN DS $DS2\$" "info shows DS 2"
expect_in "$TMPDIR/out" '^status: ok$' "info status"
expect_in "$TMPDIR/out" '^ns: ns1.example.lab$' "info ns"
dsr --format json epp reg info example.lab
expect_rc 0 "info json"
"$PY" - "$TMPDIR/out" "$DS1" "$DS2" <<'PYEOF' || fail "info json content"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["code"] == 1000 and o["svTRID"].startswith("SV-"), o
assert o["domain"] == "example.lab" and o["statuses"] == ["ok"], o
assert sorted(o["ds"]) == sorted(sys.argv[2:4]), o["ds"]
assert o["secdns"] == "1.1" and o["interface"] == "ds" and o["keys"] == []
assert o["ns"] == ["ns1.example.lab", "ns2.example.lab"]
PYEOF

# -v -v -v traces to stderr, redacted too
dsr -v -v -v epp reg rem-ds example.lab $DS1
expect_rc 0 rem-ds
expect_in "$TMPDIR/err" 'trace: C: .*<login>' "stderr trace"
expect_not_in "$TMPDIR/err" 'Secret-pw-42' "password on stderr"
expect_not_in "$TMPDIR/err" 'authsecret' "authInfo on stderr"
expect_in "$TMPDIR/server.log" "UPDATE example.lab rem=$T1/13/2 -> 1000" rem-ds
[ "$(count_in "$TMPDIR/pub/example.lab.ds" ' IN DS ')" -eq 1 ] || fail "publish after rem"

# removing what is not there changes nothing and sends no update
n=$(count_in "$TMPDIR/server.log" '^UPDATE')
dsr epp reg rem-ds example.lab "$DS1"
expect_rc 0 "rem-ds absent"
expect_in "$TMPDIR/out" 'nothing to do' "rem-ds absent"
[ "$(count_in "$TMPDIR/server.log" '^UPDATE')" -eq "$n" ] || fail "update sent for a no-op"

# add with --key computes the DS (SHA-256) on the ds interface
dsr epp reg add-ds --key "$K1" example.lab
expect_rc 0 "add-ds --key"
expect_in "$TMPDIR/server.log" "UPDATE example.lab add=$T1/13/2 -> 1000" "add-ds --key"

dsr --format jsonl epp reg rem-all example.lab
expect_rc 0 rem-all
"$PY" -c 'import json,sys; o=json.loads(open(sys.argv[1]).read()); assert o["code"]==1000 and o["changed"] is True, o' "$TMPDIR/out" || fail "rem-all jsonl"
expect_in "$TMPDIR/server.log" 'UPDATE example.lab rem=all -> 1000' rem-all
[ -s "$TMPDIR/pub/example.lab.ds" ] && fail "publish file not empty after rem-all"

# maxSigLife (RFC 5910 §3.3) and urgent (§5.2.5)
dsr epp --trace "$TMPDIR/trace2" reg add-ds --max-sig-life 604800 --urgent example.lab "$DS2"
expect_rc 0 "add-ds --max-sig-life --urgent"
expect_in "$TMPDIR/server.log" "UPDATE example.lab add=$T2/13/2 maxSigLife=604800 -> 1000" "maxSigLife sent"
expect_in "$TMPDIR/trace2" 'C: .*<secDNS:update xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1" urgent="true">' "urgent sent"
dsr epp reg info example.lab
expect_in "$TMPDIR/out" '^maxSigLife: 604800$' "maxSigLife shown"
dsr epp reg rem-all example.lab
expect_rc 0 "rem-all again"

# registry errors are exit 3 with the result shown
dsr epp reg info nosuch.lab
expect_rc 3 "info unknown domain"
expect_in "$TMPDIR/out" '^info: 2303 Object does not exist' "2303 shown"

# usage and configuration errors are exit 2
dsr epp reg add-ds example.lab 1 2 3
expect_rc 2 "bad DS"
dsr epp nosuch info example.lab
expect_rc 2 "unknown account"
chmod 644 "$TMPDIR/reg1.pw"
dsr epp reg info example.lab
expect_rc 2 "world-readable password file"
chmod 600 "$TMPDIR/reg1.pw"
printf 'Wrong-pw-000\n' > "$TMPDIR/reg1.pw"
dsr epp reg info example.lab
expect_rc 3 "wrong password"
expect_in "$TMPDIR/err" 'login as reg1 refused: 2200' "2200 shown"
[ "$(count_in "$TMPDIR/server.log" 'LOGIN reg1')" -ge 1 ] || fail "no login"

# rate = 4 commands per second: login, info, update, logout take >= 0.75 s
printf 'Secret-pw-42\n' > "$TMPDIR/reg1.pw"
epp_config "rate = 4"
t0=$(date +%s%N)
dsr epp reg add-ds empty.lab "$DS2"
expect_rc 0 "rate-limited add-ds"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 740 ] || fail "rate = 4: four commands took only $ms ms"

# every command the server received was valid per the XSDs, and so were its answers
expect_not_in "$TMPDIR/server.log" 'INVALID' "XSD validation at the server"
exit 0
