#!/bin/sh
# tests/system/signals_notify.sh - RFC 9859 NOTIFY(CDS) via DSYNC, net 127.86:
#   the lab's dsync.lab. publishes *._dsync.dsync.lab. (port 5300) and
#   special._dsync.dsync.lab. (port 5301); tests/lab/notify_receiver.py
#   listens there, checks the message on the wire and, as a registry would,
#   scans the child and publishes the DS.  plan routes cds.dsync.lab. and
#   special.dsync.lab. to "notify" (the child-specific record first), and
#   nodsync.co.lab. (no DSYNC at co.lab.) not; apply sends one NOTIFY per
#   domain, journals it, and the DS then appears at every parent server.
set -u
: "${DSREG:?}" "${SRCDIR:?}" "${TMPDIR:?}"
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "signals_notify: needs root for port 53 on loopback"; exit 77; }
for p in nsd knotd unbound dnssec-keygen dig openssl sqlite3; do
	command -v "$p" >/dev/null 2>&1 || { echo "signals_notify: $p not installed"; exit 77; }
done
LAB="$TMPDIR/lab"
RPID=
cleanup() {
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	"$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1
}
trap cleanup EXIT
"$SRCDIR/tests/lab/lab" start "$LAB" --net 127.86 --profile signals > "$TMPDIR/lab.out" 2>&1 ||
	{ cat "$TMPDIR/lab.out"; echo "FAIL: lab start"; exit 1; }
M="$LAB/manifest.json"
get() { $PY -c "import json,sys; m=json.load(open('$M')); print($1)"; }
RES=$(get "m['resolver']")
KEYS=$(get "m['keys']")
fail() { echo "FAIL: $*"; [ -f "$TMPDIR/notify.log" ] && cat "$TMPDIR/notify.log"; exit 1; }
LOG="$TMPDIR/notify.log"
: > "$LOG"
"$PY" "$SRCDIR/tests/lab/notify_receiver.py" "$LAB" 127.86.6.1 5300,5301 "$LOG" 2> "$TMPDIR/recv.err" &
RPID=$!
cat > "$TMPDIR/dsreg.conf" <<CONF
[dsreg]
state = $TMPDIR/state.db
CONF
run() { "$DSREG" -c "$TMPDIR/dsreg.conf" --resolver "$RES" --format jsonl "$@"; }

run plan --keys "$KEYS" cds.dsync.lab special.dsync.lab nodsync.co.lab > "$TMPDIR/plan.jsonl" 2> "$TMPDIR/plan.err"
$PY - "$TMPDIR/plan.jsonl" <<'PY' || fail "plan"
import json, sys
r = {o["domain"]: o for o in map(json.loads, open(sys.argv[1]))}
c, s, n = r["cds.dsync.lab."], r["special.dsync.lab."], r["nodsync.co.lab."]
assert c["account"] == "notify", c.get("account")
# the child-specific name is asked first; the wildcard answers it
assert c["signals"]["dsync"]["owner"] == "cds._dsync.dsync.lab.", c["signals"]["dsync"]
assert c["signals"]["dsync"]["target"] == "notify.dsync.lab." and c["signals"]["dsync"]["port"] == 5300
assert s["account"] == "notify" and s["signals"]["dsync"]["owner"] == "special._dsync.dsync.lab."
assert s["signals"]["dsync"]["port"] == 5301, s["signals"]["dsync"]
assert n["account"] is None, n.get("account")
assert n["signals"]["dsync"]["target"] is None
assert "no DSYNC target for NOTIFY(CDS)" in n["signals"]["dsync"]["note"], n["signals"]["dsync"]
PY
[ -s "$LOG" ] && fail "plan sent something"

rc=0
run apply --yes --wait 60 --keys "$KEYS" cds.dsync.lab special.dsync.lab > "$TMPDIR/apply.out" 2> "$TMPDIR/apply.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$TMPDIR/apply.out" "$TMPDIR/apply.err"; fail "apply exit $rc"; }
$PY - "$LOG" <<'PY' || fail "the NOTIFY messages on the wire"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = [x for x in rows if "opcode" in x]
assert len(n) == 2, n
by = {x["qname"]: x for x in n}
for d, port in (("cds.dsync.lab.", 5300), ("special.dsync.lab.", 5301)):
    x = by[d]
    assert x["verdict"] == "ok" and x["opcode"] == 4 and x["qr"] == 0 and x["aa"] == 1, x
    assert x["qtype"] == "CDS" and x["qclass"] == 1 and x["qdcount"] == 1, x
    assert x["port"] == port and x["from"].startswith("127."), x
scans = [x for x in rows if "scan" in x]
assert len(scans) == 2 and all(x["exit"] == 0 for x in scans), scans
PY
q() { sqlite3 "$TMPDIR/state.db" "$1"; }
[ "$(q "SELECT group_concat(x, ' ') FROM (SELECT account || ':' || step || '=' || outcome AS x FROM journal WHERE domain = 'cds.dsync.lab.' ORDER BY id)")" = "notify:change=applied notify:update=ok" ] ||
	fail "journal: $(q "SELECT step, outcome, note FROM journal WHERE domain = 'cds.dsync.lab.'")"
run audit --keys "$KEYS" cds.dsync.lab special.dsync.lab > "$TMPDIR/after.jsonl" 2>/dev/null
$PY - "$TMPDIR/after.jsonl" <<'PY' || fail "audit after the NOTIFY"
import json, sys
for o in map(json.loads, open(sys.argv[1])):
    assert o["verdict"] == "ok", (o["domain"], o["verdict"], o["findings"])
PY
echo "signals_notify: ok"
