# tests/system/metrics_check.py - parse dsreg's --format openmetrics output with
# Debian's prometheus_client (the parser the Python exporter ecosystem uses) and
# check the structure node_exporter's textfile collector relies on; used by
# tests/system/metrics.sh.
#
#   metrics_check.py FILE CHECK ARGS...   exit 0 when every check holds
import json
import sqlite3
import sys

from prometheus_client.parser import text_string_to_metric_families

VERDICTS = ["not-ours", "not-delegated", "unreachable", "broken", "lame",
            "inconsistent-parent", "inconsistent-child", "delete-requested",
            "missing", "incomplete", "stale", "deprecated-digest", "unsigned",
            "ok"]
SETTLED = {"not-ours", "unsigned", "ok"}   # verdicts needing no action


def parse(path):
    """(families by name, samples as {(name, frozenset(labels)): value})"""
    text = open(path, encoding="utf-8").read()
    assert text.endswith("\n"), "output does not end with a newline"
    # the structure the text format requires and the parser is lenient on:
    # HELP and TYPE once per family, before its samples, samples grouped
    declared, current = {}, None
    for line in text.splitlines():
        assert line.strip() == line and line, "blank or padded line %r" % line
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            name = line.split()[2]
            kind = line.split()[1]
            assert (name, kind) not in declared, "%s %s twice" % (kind, name)
            declared[(name, kind)] = True
            current = name
            continue
        assert not line.startswith("#"), "stray comment %r" % line
        assert current is not None and line.startswith(current), \
            "sample %r outside its family %s" % (line, current)
    fams = {}
    samples = {}
    for f in text_string_to_metric_families(text):
        assert f.documentation, "%s has no HELP" % f.name
        assert f.type in ("gauge", "counter"), "%s: type %s" % (f.name, f.type)
        assert f.name.startswith("dsreg_"), f.name
        fams[f.name] = f
        for s in f.samples:
            key = (s.name, frozenset(s.labels.items()))
            assert key not in samples, "duplicate series %s %s" % key
            samples[key] = s.value
    return fams, samples


def by_label(samples, name, label):
    return {dict(k[1])[label]: v for k, v in samples.items() if k[0] == name}


def check_verdicts(samples, counts):
    got = by_label(samples, "dsreg_domains", "verdict")
    assert sorted(got) == sorted(VERDICTS), "verdict words: %s" % sorted(got)
    for v in VERDICTS:
        assert got[v] == counts.get(v, 0), \
            "dsreg_domains{verdict=%s} %s, json says %s" % (v, got[v], counts.get(v, 0))


def json_counts(path):
    """verdict counts of an audit's --format json output"""
    c = {}
    for o in json.load(open(path)):
        c[o["verdict"]] = c.get(o["verdict"], 0) + 1
    return c


def main():
    path, check = sys.argv[1], sys.argv[2]
    fams, samples = parse(path)
    if check == "audit":
        # audit JSON T0 T1: verdict counts as the json format says; the run
        # started between T0 and T1 and lasted no longer
        counts = json_counts(sys.argv[3])
        t0, t1 = float(sys.argv[4]), float(sys.argv[5])
        check_verdicts(samples, counts)
        assert sum(counts.values()) > 0
        start = samples[("dsreg_run_start_timestamp_seconds", frozenset())]
        dur = samples[("dsreg_run_duration_seconds", frozenset())]
        assert t0 - 1 <= start <= t1 + 1, "start %s not in [%s, %s]" % (start, t0, t1)
        assert 0 <= dur <= t1 - t0 + 1, "duration %s" % dur
        assert fams["dsreg_domains"].type == "gauge"
        assert "dsreg_plan_domains" not in fams
    elif check == "plan":
        # plan JSONL: verdicts, and domains per (plan kind, account)
        rows = [json.loads(l) for l in open(sys.argv[3])]
        counts, kinds = {}, {}
        for r in rows:
            counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
            k = (r["plan"], r.get("account") or "")
            kinds[k] = kinds.get(k, 0) + 1
        check_verdicts(samples, counts)
        got = {(dict(k[1])["kind"], dict(k[1])["account"]): v
               for k, v in samples.items() if k[0] == "dsreg_plan_domains"}
        for k, n in kinds.items():
            assert got.get(k) == n, "plan %s: %s, jsonl says %d" % (k, got.get(k), n)
        for k, n in got.items():
            assert n == kinds.get(k, 0), "plan %s: %s, jsonl says none" % (k, n)
        for kind in ("nothing", "change", "wait", "refuse"):
            assert any(k[0] == kind for k in got), "kind %s absent" % kind
        assert len(kinds) >= 3, "a dull plan: %s" % kinds
    elif check == "report":
        # report STATE_DB LAST_AUDIT_JSON: the latest audit's counts, the
        # journal's changes and sessions, computed here from the database
        db = sqlite3.connect(sys.argv[3])
        check_verdicts(samples, json_counts(sys.argv[4]))
        applied = failed = unpublished = 0
        changes = db.execute("SELECT id, domain, outcome, coalesce(finished, started) "
                             "FROM journal WHERE parent IS NULL ORDER BY id").fetchall()
        latest = {d: (v, t) for d, v, t in db.execute(
            "SELECT domain, verdict, max(time) FROM results GROUP BY domain")}
        last_applied = {}
        for cid, dom, out, t in changes:
            if out == "applied":
                last_applied[dom] = (cid, t)
        for cid, dom, out, t in changes:
            if out is None:
                continue
            if out != "applied":
                failed += 1
                continue
            applied += 1
            if last_applied[dom][0] == cid:
                v, when = latest.get(dom, (None, 0))
                if v is None or when < t or v not in SETTLED:
                    unpublished += 1
        got = by_label(samples, "dsreg_changes_total", "outcome")
        want = {"applied": applied, "failed": failed, "unpublished": unpublished}
        assert got == want, "changes %s, the journal says %s" % (got, want)
        assert fams["dsreg_changes"].type == "counter"
        assert applied >= int(sys.argv[5]), "only %d applied changes" % applied
        sess = by_label(samples, "dsreg_account_last_session_timestamp_seconds", "account")
        want = {a: t for a, t in db.execute(
            "SELECT account, max(coalesce(finished, started)) FROM journal "
            "WHERE outcome IN ('ok', 'applied') GROUP BY account")}
        assert sess == want, "sessions %s, the journal says %s" % (sess, want)
        for a in sys.argv[6:]:
            assert a in sess, "no session of account %r: %s" % (a, sess)
        run = db.execute("SELECT started, finished FROM runs WHERE counts IS NOT NULL "
                         "ORDER BY id DESC LIMIT 1").fetchone()
        assert samples[("dsreg_run_start_timestamp_seconds", frozenset())] == run[0]
        assert samples[("dsreg_run_duration_seconds", frozenset())] == run[1] - run[0]
    elif check == "label":
        # label NAME VALUE: a sample of NAME has a label holding exactly VALUE
        name, value = sys.argv[3], sys.argv[4].encode().decode("unicode_escape")
        vals = [v for k, _ in samples.items() if k[0] == name for _, v in k[1]]
        assert value in vals, "no %s label %r among %r" % (name, value, vals)
    else:
        sys.exit("unknown check " + check)
    print("%s: %d families, %d samples: ok" % (check, len(fams), len(samples)))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAIL: %s: %s" % (sys.argv[2], e))
        sys.exit(1)
