#!/bin/sh
# tests/system/state_busy.sh - the state database while something else writes:
# during a slow audit, report, plan and apply work at once; while another
# process holds a write transaction, report still works and what must
# write exits 3 saying the database is busy (never 2, a config error).
set -u
: "${SRCDIR:?}" "${DSREG:?}" "${TMPDIR:?}"
PY=/usr/bin/python3
NET=127.45.0
DB=$TMPDIR/state.db
CONF=$TMPDIR/dsreg.conf
PIDS=""

stop_all() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=""
}
trap stop_all EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	for f in "$TMPDIR/out" "$TMPDIR/err" "$TMPDIR/audit.err"; do
		[ -s "$f" ] && { echo "--- $f"; tail -c 2000 "$f"; }
	done
	exit 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# dsr ARGS...: dsreg with the test config; RC, MS (how long it took)
dsr() {
	t0=$(now_ms)
	"$DSREG" -c "$CONF" --resolver "$NET.1@$PORT" "$@" > "$TMPDIR/out" \
	    2> "$TMPDIR/err"
	RC=$?
	MS=$(( $(now_ms) - t0 ))
}

expect() {   # expect RCS MAX_MS WHAT: status one of RCS, done within MAX_MS
	case " $1 " in *" $RC "*) ;; *) fail "$3: exit $RC, expected $1" ;; esac
	[ "$MS" -le "$2" ] || fail "$3: took $MS ms (waited for the writer?)"
}

# A resolver that answers REFUSED at once, except for names under a TLD
# "slow..." which it never answers: each such audit takes its whole retry
# budget (about 2.4 s; one TLD each, so nothing is cached).
$PY - "$NET.1" > "$TMPDIR/sink.out" 2>&1 <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
print("READY", s.getsockname()[1], flush=True)
while True:
    q, peer = s.recvfrom(4096)
    i, labels = 12, []
    while i < len(q) and q[i] != 0:
        labels.append(q[i + 1:i + 1 + q[i]].lower())
        i += 1 + q[i]
    if labels and labels[-1].startswith(b"slow"):
        continue
    r = bytearray(q[:i + 5])
    r[2] = 0x80 | (q[2] & 0x01)
    r[3] = 0x05
    r[6:12] = bytes(6)
    s.sendto(bytes(r), peer)
EOF
PIDS="$PIDS $!"
i=0
until grep -q '^READY ' "$TMPDIR/sink.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "resolver not ready: $(cat "$TMPDIR/sink.out")"
	sleep 0.1
done
PORT=$(awk '/^READY /{print $2}' "$TMPDIR/sink.out")

printf '[dsreg]\nstate = %s\n' "$DB" > "$CONF"
dsr report
expect 0 3000 "report on a new database"

# 1. An audit in progress: its first result is in, the rest take seconds.
"$DSREG" -c "$CONF" --resolver "$NET.1@$PORT" -j 1 audit a.fast s1.slow1 \
    s2.slow2 s3.slow3 s4.slow4 > "$TMPDIR/audit.out" 2> "$TMPDIR/audit.err" &
AUDIT=$!
PIDS="$PIDS $AUDIT"
sleep 1
kill -0 "$AUDIT" 2>/dev/null || fail "the audit ended too early"
dsr report
expect 0 2000 "report during an audit"
dsr plan a.fast
expect 1 2000 "plan during an audit"
dsr apply --yes a.fast
expect 1 2000 "apply during an audit"
kill -0 "$AUDIT" 2>/dev/null || fail "the audit ended before the checks"
wait "$AUDIT"
RC=$?
PIDS=$(echo "$PIDS" | sed "s/ $AUDIT//")
[ "$RC" -eq 1 ] || fail "audit: exit $RC, expected 1"
dsr --format json report
expect 0 3000 "report after the audit"
grep -q '"command": "audit"' "$TMPDIR/out" || fail "the audit's run is not in the report"
grep -q '"unreachable": 5' "$TMPDIR/out" || fail "the audit's counts are not in the report"

# 2. Another process holds a write transaction for as long as we look.
$PY - "$DB" "$TMPDIR/holder.ready" > "$TMPDIR/holder.out" 2>&1 <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO runs (command, started) VALUES ('holder', 1)")
open(sys.argv[2], "w").close()
time.sleep(300)
EOF
HOLDER=$!
PIDS="$PIDS $HOLDER"
i=0
until [ -e "$TMPDIR/holder.ready" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "holder: $(cat "$TMPDIR/holder.out")"
	sleep 0.1
done
dsr report
expect 0 2000 "report while another process writes"
grep -q holder "$TMPDIR/out" && fail "report shows an uncommitted run"
for cmd in "plan a.fast" "apply --yes a.fast" "audit a.fast"; do
	# shellcheck disable=SC2086
	dsr $cmd
	expect 3 15000 "$cmd while another process writes"
	grep -q "state database $DB is busy: .*held its write lock for more than 5000 ms" \
	    "$TMPDIR/err" || fail "$cmd: no clear busy message"
done
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
PIDS=$(echo "$PIDS" | sed "s/ $HOLDER//")
dsr plan a.fast
expect 1 3000 "plan once the writer is gone"
exit 0
