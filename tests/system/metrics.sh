#!/bin/sh
# tests/system/metrics.sh - --format openmetrics of audit, plan and report over
# the DNS lab with both registries, parsed by Debian's prometheus_client:
# verdict counts equal those of --format json, plan kinds per account those of
# --format jsonl, the report's changes and last sessions those of the state
# database's journal, label values escaped (a hostile account name read back
# exactly); apply's changes and sessions.  Net 127.80.
OSRS_DOMAINS="missing.lab stale.lab"
LOCKED="missing.lab"
EPP_DOMAINS="broken-alg.lab sha1.lab"
MANUAL="broken-zsk.lab lame.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "metrics: needs root for the lab's port 53"; exit 77; }
"$PY" -c 'import prometheus_client.parser' 2>/dev/null ||
	{ echo "metrics: python3-prometheus-client missing (scripts/install-deps)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "metrics: sqlite3 missing"; exit 77; }
CHECK="$PY $SRCDIR/tests/system/metrics_check.py"
fix_world 127.80
D="$OSRS_DOMAINS $EPP_DOMAINS $MANUAL ok-alg13.lab"

# 1. audit: the same counts as --format json, every verdict word, the run's time
run --format json audit $D
[ "$RC" -eq 1 ] || fail "audit json: exit $RC"
cp "$W/out" "$W/audit1.json"
t0=$(date +%s)
run --format openmetrics audit $D
t1=$(date +%s)
[ "$RC" -eq 1 ] || fail "audit openmetrics: exit $RC (the same as json: some need action)"
cp "$W/out" "$W/audit1.prom"
$CHECK "$W/audit1.prom" audit "$W/audit1.json" "$t0" "$t1" || fail "audit metrics"
grep -q '^dsreg_domains{verdict="missing"} 1$' "$W/audit1.prom" || fail "missing.lab not counted"

# 2. plan: verdicts and plan kinds per account, as --format jsonl says
run --format jsonl plan $D
[ "$RC" -eq 1 ] || fail "plan jsonl: exit $RC"
cp "$W/out" "$W/plan.jsonl"
run --format openmetrics plan $D
[ "$RC" -eq 1 ] || fail "plan openmetrics: exit $RC"
cp "$W/out" "$W/plan.prom"
$CHECK "$W/plan.prom" plan "$W/plan.jsonl" || fail "plan metrics"
grep -q '^dsreg_plan_domains{kind="change",account="tucows"} 2$' "$W/plan.prom" ||
	fail "plan: two changes at tucows expected"

# 3. apply: the plan's counts, then each change's outcome and the accounts
# that took one (a history: apply, then audit again)
run --format openmetrics apply --yes --wait 60 $D
[ "$RC" -le 1 ] || fail "apply openmetrics: exit $RC"
cp "$W/out" "$W/apply.prom"
"$PY" - "$W/apply.prom" <<'PY' || fail "apply metrics"
import sys
from prometheus_client.parser import text_string_to_metric_families
s = {}
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for x in fam.samples:
        s[(x.name, tuple(sorted(x.labels.items())))] = x.value
def get(name, **l):
    return s.get((name, tuple(sorted(l.items()))), None)
assert get("dsreg_changes_total", outcome="applied") >= 3, s
assert get("dsreg_changes_total", outcome="failed") == 0, s
for a in ("tucows", "registry"):
    assert get("dsreg_account_last_session_timestamp_seconds", account=a), a
assert get("dsreg_plan_domains", kind="change", account="tucows") == 2, s
assert get("dsreg_run_duration_seconds") is not None
PY
run --format json audit $D
cp "$W/out" "$W/audit2.json"
grep -q '"verdict": *"missing"' "$W/audit2.json" && fail "missing.lab still missing after apply"

# 5. report: the latest audit, the journal's changes and sessions
run --format openmetrics report
[ "$RC" -eq 0 ] || fail "report openmetrics: exit $RC"
cp "$W/out" "$W/report.prom"
$CHECK "$W/report.prom" report "$W/state.db" "$W/audit2.json" 3 tucows registry ||
	fail "report metrics"

# 6. label values escaped: an account name with a quote, a backslash and a
# newline (written into a copy of the journal; config names cannot hold them)
cp "$W/state.db" "$W/hostile.db"
sqlite3 "$W/hostile.db" "INSERT INTO journal (run_id, parent, account, domain, step, started, finished, outcome, note) VALUES (NULL, NULL, 'we\"ird\\acct' || char(10) || 'x', 'missing.lab.', 'change', 100, 101, 'applied', 'x');" ||
	fail "sqlite3"
sed "s|^state = .*|state = $W/hostile.db|" "$CONF" > "$W/hostile.conf"
"$DSREG" -c "$W/hostile.conf" --format openmetrics report > "$W/hostile.prom" 2> "$W/err" ||
	fail "report on the hostile journal"
grep -q 'account="we\\"ird\\\\acct\\nx"' "$W/hostile.prom" || fail "label not escaped: $(grep ird "$W/hostile.prom")"
$CHECK "$W/hostile.prom" label dsreg_account_last_session_timestamp_seconds 'we"ird\\acct\nx' ||
	fail "hostile label"

# 7. the other commands do not take the format
run --format openmetrics instructions $D
[ "$RC" -eq 2 ] && [ ! -s "$W/out" ] || fail "instructions openmetrics: exit $RC"
echo "metrics: ok"
exit 0
