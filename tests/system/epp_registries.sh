#!/bin/sh
# tests/system/epp_registries.sh - registries that differ: a greeting with only
# secDNS-1.0 (RFC 4310: add, rem by keyTag, chg), a keyData-only registry (RFC
# 5910 §4.2), a clientUpdateProhibited domain (2304), a domain of another
# registrar (2201).
. "$SRCDIR/tests/epp/lib.sh"
epp_setup 127.20.4.1
epp_keys
OPTS="--backoff 100"

# --- secDNS-1.0 only
epp_start --secdns 1.0 --domain example.lab
epp_config
dsr epp reg hello
expect_rc 0 "1.0 hello"
expect_in "$TMPDIR/out" '^secDNS in use: 1.0' "1.0 chosen"
expect_in "$TMPDIR/server.log" 'extURIs=urn:ietf:params:xml:ns:secDNS-1.0$' "login announces 1.0 only"
dsr epp $OPTS reg add-ds example.lab "$DS1" "$DS1b" "$DS2"
expect_rc 0 "1.0 add"
expect_in "$TMPDIR/server.log" "UPDATE example.lab add=$T1/13/2 add=$T1/13/4 add=$T2/13/2 -> 1000" "1.0 add"
# removing one of two DS with the same tag must keep the other: chg
dsr epp $OPTS reg rem-ds example.lab "$DS1"
expect_rc 0 "1.0 rem shared tag"
expect_in "$TMPDIR/server.log" "UPDATE example.lab chg=$T1/13/4,$T2/13/2 -> 1000" "1.0 rem by chg"
# removing every DS of a tag: rem by keyTag
dsr epp $OPTS reg rem-ds example.lab "$DS2"
expect_rc 0 "1.0 rem by tag"
expect_in "$TMPDIR/server.log" "UPDATE example.lab remtag=$T2 -> 1000" "1.0 rem by keyTag"
dsr epp reg info example.lab
expect_rc 0 "1.0 info"
expect_in "$TMPDIR/out" '^secDNS: 1.0' "1.0 info"
[ "$(count_in "$TMPDIR/out" ' IN DS ')" -eq 1 ] || fail "1.0: one DS left"
expect_in "$TMPDIR/out" "IN DS $DS1b\$" "1.0: the SHA-384 DS kept"
dsr epp $OPTS reg rem-all example.lab
expect_rc 0 "1.0 rem-all"
expect_in "$TMPDIR/server.log" "UPDATE example.lab remtag=$T1 -> 1000" "1.0 rem-all by keyTag"
dsr epp $OPTS reg rem-all example.lab
expect_rc 0 "1.0 rem-all when empty"
expect_in "$TMPDIR/out" 'nothing to do' "1.0 rem-all empty"
expect_not_in "$TMPDIR/server.log" 'INVALID\|UNANNOUNCED' "1.0: valid, announced"
# secdns = 1.1 forced against a 1.0-only server: clear refusal
epp_config "secdns = 1.1"
dsr epp reg hello
expect_rc 3 "1.1 forced"
expect_in "$TMPDIR/err" 'secdns = 1.1 but the greeting does not offer' "1.1 forced message"
epp_stop

# --- no secDNS at all: info works, DS changes are refused with the reason
epp_start --secdns "" --domain example.lab
epp_config
dsr epp reg hello
expect_rc 0 "no secDNS hello"
expect_in "$TMPDIR/out" '^secDNS in use: none' "no secDNS"
expect_in "$TMPDIR/err" 'offers no secDNS extension' "no secDNS warning"
expect_in "$TMPDIR/server.log" 'LOGIN reg1 objURIs=urn:ietf:params:xml:ns:domain-1.0 extURIs=$' "login without extensions"
dsr epp reg add-ds example.lab "$DS1"
expect_rc 3 "no secDNS add-ds"
expect_in "$TMPDIR/err" 'announced neither secDNS-1.1 nor secDNS-1.0' "no secDNS add-ds message"
expect_not_in "$TMPDIR/server.log" '^UPDATE' "no update without secDNS"
epp_stop

# --- keyData-only registry
epp_start --interface key --domain example.lab
epp_config "interface = key"
dsr epp $OPTS reg add-ds example.lab "$DS1"
expect_rc 2 "key interface needs the key"
expect_in "$TMPDIR/err" 'uses the key interface (RFC 5910 §4.2 keyData): add-ds needs the DNSKEY; pass --key FILE' "key needed message"
expect_not_in "$TMPDIR/server.log" '^UPDATE' "no update without the key"
dsr epp $OPTS reg add-ds --key "$K1" --key "$K2" example.lab
expect_rc 0 "key add"
expect_in "$TMPDIR/server.log" "UPDATE example.lab addkey=$T1 addkey=$T2 -> 1000" "keyData add"
dsr --format json epp reg info example.lab
expect_rc 0 "key info"
"$PY" - "$TMPDIR/out" "$K1" <<'PYEOF' || fail "key info json"
import json, sys
o = json.load(open(sys.argv[1]))
key = open(sys.argv[2]).read().split("DNSKEY")[1].split()
assert o["interface"] == "key" and o["ds"] == [] and len(o["keys"]) == 2, o
assert " ".join(key[:3]) + " " + "".join(key[3:]) in o["keys"], (key, o["keys"])
PYEOF
# rem-ds with a DS: the client finds the key the registry holds for it
dsr epp $OPTS reg rem-ds example.lab "$DS1"
expect_rc 0 "key rem by DS"
expect_in "$TMPDIR/server.log" "UPDATE example.lab remkey=$T1 -> 1000" "keyData rem"
# a DS matching no key held there is refused before sending
dsr epp $OPTS reg rem-ds example.lab "$DS1"
expect_rc 2 "key rem unknown"
expect_in "$TMPDIR/err" 'matches no DNSKEY held by the registry' "key rem unknown message"
# the ds interface against this registry: 2306 with the reason shown
epp_config "interface = ds"
dsr epp $OPTS reg rem-all example.lab
expect_rc 0 "rem-all on key registry"
dsr epp $OPTS reg add-ds example.lab "$DS1"
expect_rc 3 "ds against key registry"
expect_in "$TMPDIR/out" '^add-ds: 2306 Parameter value policy error' "2306 shown"
expect_in "$TMPDIR/out" 'reason: dsData not accepted: this registry uses the keyData interface' "2306 reason"
expect_in "$TMPDIR/out" 'wrong interface (this session used the ds interface; set interface = key' "2306 hint"
expect_in "$TMPDIR/err" '2306 from the registry: wrong interface (using ds) or policy' "2306 warning"
[ "$(count_in "$TMPDIR/server.log" 'UPDATE example.lab -> 2306')" -eq 1 ] || fail "2306 must not be retried"
expect_not_in "$TMPDIR/server.log" 'INVALID' "key registry: valid"
epp_stop

# --- clientUpdateProhibited (2304) and another registrar's domain (2201)
epp_start --domain locked.lab::clientUpdateProhibited --domain theirs.lab:reg2
epp_config
dsr epp $OPTS reg add-ds locked.lab "$DS1"
expect_rc 3 "2304"
expect_in "$TMPDIR/out" '^add-ds: 2304 Object status prohibits operation' "2304 shown"
expect_in "$TMPDIR/out" 'clientUpdateProhibited: lift the lock first' "2304 hint"
[ "$(count_in "$TMPDIR/server.log" 'UPDATE locked.lab -> 2304')" -eq 1 ] || fail "2304 must not be retried"
dsr --format json epp $OPTS reg add-ds theirs.lab "$DS1"
expect_rc 3 "2201"
"$PY" -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["code"]==2201 and o["retry"]=="never" and o["changed"] is False and o["svTRID"], o' "$TMPDIR/out" || fail "2201 json"
[ "$(count_in "$TMPDIR/server.log" 'UPDATE theirs.lab -> 2201')" -eq 1 ] || fail "2201 must not be retried"
expect_not_in "$TMPDIR/server.log" 'INVALID' "valid"
exit 0
