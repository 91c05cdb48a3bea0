#!/bin/sh
# tests/system/command_hook.sh - `type = command` over the DNS lab: a hook
# script records what it is given and, for missing.lab., publishes the DS
# into the lab's parent the way a registry would (tests/lab publish).  It
# is run once per change, with exactly the JSON of the change on stdin, a
# clean environment and no descriptor of dsreg's but 0-2; its note line is
# journalled; a hook that exits non-zero makes apply fail (exit 3,
# "failed"), and one that hangs is killed with its process group after the
# account's timeout.  The audit after apply is ok for missing.lab.  A
# kill -9 of dsreg during a hook run converges with the hook run once.
# Net 127.84.
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "command_hook: needs root for the lab's port 53"; exit 77; }
command -v sqlite3 > /dev/null || { echo "command_hook: no sqlite3"; exit 77; }
NET=127.84
trap fix_stop EXIT
trap 'exit 1' INT TERM
"$SRCDIR/tests/lab/lab" start "$LAB" --net "$NET" > "$W/lab.log" 2>&1 ||
	{ cat "$W/lab.log"; fail "lab start"; }
RES=$("$SRCDIR/tests/lab/lab" resolver "$LAB")

# The hook: records stdin, argv, environment and open descriptors, then
# acts by domain.
cat > "$W/hook.py" <<'PY'
#!/usr/bin/python3
import json, os, subprocess, sys, time
fds = []
for fd in range(3, 256):
    try:
        os.fstat(fd)
        fds.append(fd)
    except OSError:
        pass
calls, lab, labtool = sys.argv[1:4]
data = sys.stdin.read()
with open(calls, "a") as f:
    f.write(json.dumps({"stdin": data, "argv": sys.argv[1:], "fds": fds,
                        "env": dict(os.environ), "pgid": os.getpgid(0),
                        "pid": os.getpid()}) + "\n")
req = json.loads(data)
dom = req["domain"]
if dom in ("missing.lab.", "delete.lab."):
    with open(os.path.join(lab, "publish", dom + "ds"), "w") as f:
        for ds in req["target_ds"]:
            f.write("%s 300 IN DS %s\n" % (dom, ds))
    subprocess.run([labtool, "publish", lab], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    if dom == "delete.lab.":       # dsreg is killed meanwhile
        open(calls + ".published", "w").close()
        time.sleep(5)
    print("published %d DS for %s at the lab parent" % (len(req["target_ds"]), dom))
    print("a second line that is not the note")
elif dom == "stale.lab.":
    print("registry says no: 2306 parameter value policy error")
    sys.exit(3)
else:
    child = subprocess.Popen(["sleep", "300"])
    with open(calls + ".child", "w") as f:
        f.write("%d\n" % child.pid)
    sys.stdout.write("still working\n")
    sys.stdout.flush()
    time.sleep(300)
PY
chmod 755 "$W/hook.py"
CALLS=$W/calls.jsonl
CONF=$W/dsreg.conf
cat > "$CONF" <<EOC
[dsreg]
resolver = $RES
keys = $LAB/keys
our_ns = ns1.provider.labnet. ns2.provider.labnet.
state = $W/state.db
max_qps_per_server = 0

[account hook]
type = command
command = $W/hook.py $CALLS $LAB $SRCDIR/tests/lab/lab
domains = missing.lab stale.lab

[account slow]
type = command
command = $W/hook.py $CALLS $LAB $SRCDIR/tests/lab/lab
timeout = 2
domains = roll-one.lab
EOC

# 1. apply: one hook run per change; fd 7 is open (not close-on-exec) and
# a variable is set in dsreg's environment: neither may reach the hook
start=$(date +%s)
DSREG_HOOK_LEAK=leaked-value "$DSREG" -c "$CONF" --format jsonl apply --yes \
    --wait 60 missing.lab stale.lab roll-one.lab > "$W/out" 2> "$W/err" 7> "$W/fd7"
RC=$?
secs=$(( $(date +%s) - start ))
[ "$RC" -eq 3 ] || fail "apply with a failing and a hanging hook: exit $RC, want 3"
[ "$secs" -lt 40 ] || fail "the hanging hook was not killed after its timeout (${secs}s)"
[ "$(wc -l < "$CALLS")" -eq 3 ] || fail "$(wc -l < "$CALLS") hook runs, want 3 (one per change)"

$PY - "$W/out" "$CALLS" "$LAB" <<'PY' || fail "hook input or outcome"
import base64, glob, hashlib, json, os, sys
out, calls, lab = sys.argv[1:]
man = {d["name"]: d for d in json.load(open(os.path.join(lab, "manifest.json")))["domains"]}
bad = 0
def check(cond, msg):
    global bad
    if not cond:
        print(msg)
        bad = 1
def wire(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".")) + b"\0"
def ksk_of(name):
    """DNSKEY RDATA text and DS RDATA text (SHA-256) of the zone's KSKs in the key store."""
    keys, dss = [], []
    for f in sorted(glob.glob(os.path.join(lab, "keys", name.rstrip("."), "K*.key"))):
        for line in open(f):
            t = line.split()
            if line.startswith(";") or "DNSKEY" not in t:
                continue
            i = t.index("DNSKEY")
            flags, proto, alg, b64 = int(t[i + 1]), int(t[i + 2]), int(t[i + 3]), "".join(t[i + 4:])
            if flags != 257:
                continue
            rd = flags.to_bytes(2, "big") + bytes([proto, alg]) + base64.b64decode(b64)
            acc = sum(b if j & 1 else b << 8 for j, b in enumerate(rd))
            tag = (acc + ((acc >> 16) & 0xFFFF)) & 0xFFFF
            keys.append("%d %d %d %s" % (flags, proto, alg, b64))
            dss.append("%d %d 2 %s" % (tag, alg, hashlib.sha256(wire(name) + rd).hexdigest().upper()))
    return keys, dss
def rdata(rr):
    t = rr.split()
    return "%s %s %s %s" % (t[4], t[5], t[6], "".join(t[7:]).upper())
runs = [json.loads(l) for l in open(calls)]
by = {}
for r in runs:
    req = json.loads(r["stdin"])
    check(r["stdin"].endswith("}\n") and r["stdin"].count("\n") == 1, "stdin is not one JSON line")
    check(list(req) == ["domain", "parent", "current_ds", "target_ds", "add", "remove",
                        "remove_all", "dnskey"], "fields %s" % list(req))
    check(r["fds"] == [], "descriptors inherited: %s" % r["fds"])
    check(sorted(r["env"]) in (["DSREG_DOMAIN", "HOME", "PATH"],
                               ["DSREG_DOMAIN", "HOME", "LANG", "PATH"]),
          "environment %s" % sorted(r["env"]))
    check(r["env"]["DSREG_DOMAIN"] == req["domain"], "DSREG_DOMAIN")
    check(r["pgid"] == r["pid"], "not in a process group of its own")
    by[req["domain"]] = req
check(sorted(by) == ["missing.lab.", "roll-one.lab.", "stale.lab."], "domains %s" % sorted(by))
keys, dss = ksk_of("missing.lab.")
want = {"domain": "missing.lab.", "parent": "lab.", "current_ds": [], "target_ds": dss,
        "add": dss, "remove": [], "remove_all": False, "dnskey": keys}
check(by.get("missing.lab.") == want, "missing.lab. JSON\n got %s\nwant %s" % (by.get("missing.lab."), want))
cur = sorted(rdata(x) for x in man["stale.lab."]["parent_ds"])
keys, dss = ksk_of("stale.lab.")
st = by.get("stale.lab.", {})
check(sorted(st.get("current_ds", [])) == cur, "stale current_ds %s, want %s" % (st.get("current_ds"), cur))
check(st.get("target_ds") == dss and st.get("add") == [] and st.get("dnskey") == keys,
      "stale target/add/dnskey %s" % st)
check(sorted(st.get("remove", [])) == (cur if st.get("remove_all") else sorted(set(cur) - set(dss))),
      "stale remove %s" % st.get("remove"))
rows = {r["domain"]: r for r in map(json.loads, open(out)) if "change" in r}
def outcome(d):
    return rows.get(d, {})
check(outcome("missing.lab.").get("change") == "applied", "missing.lab. %s" % outcome("missing.lab."))
check(outcome("missing.lab.").get("note") == "published 1 DS for missing.lab. at the lab parent",
      "missing.lab. note %s" % outcome("missing.lab."))
check(outcome("stale.lab.").get("change") == "failed", "stale.lab. %s" % outcome("stale.lab."))
check("registry says no" in (outcome("stale.lab.").get("note") or ""), "stale.lab. note %s" % outcome("stale.lab."))
check(outcome("roll-one.lab.").get("change") == "failed", "roll-one.lab. %s" % outcome("roll-one.lab."))
check("killed" in (outcome("roll-one.lab.").get("note") or ""), "roll-one.lab. note %s" % outcome("roll-one.lab."))
sys.exit(bad)
PY

# the hanging hook's process group is gone (its child too)
child=$(cat "$CALLS.child")
gone() {    # no such process, or a zombie waiting for init
	st=$(ps -o stat= -p "$1" 2>/dev/null)
	case "$st" in ""|Z*) return 0 ;; esac
	return 1
}
n=0
until gone "$child"; do
	n=$((n + 1))
	[ $n -lt 50 ] || fail "the hanging hook's child $child still runs"
	sleep 0.1
done

# journalled with the note line, the refusal and the timeout
q() { sqlite3 "$W/state.db" "$1"; }
[ "$(q "SELECT note FROM journal WHERE domain = 'missing.lab.' AND step = 'update'")" = \
    "published 1 DS for missing.lab. at the lab parent" ] || fail "note of missing.lab. not journalled"
q "SELECT outcome FROM journal WHERE domain = 'stale.lab.' AND step = 'update'" | grep -qx failed ||
	fail "stale.lab.'s hook run not journalled as failed"
q "SELECT outcome FROM journal WHERE domain = 'roll-one.lab.' AND step = 'update'" | grep -qx unknown ||
	fail "roll-one.lab.'s killed hook not journalled as unknown"

# 2. the hook published the DS: the audit is ok, and the next apply has
# nothing to do for it (the hook is not run again)
run --format jsonl audit missing.lab
[ "$RC" -eq 0 ] || fail "audit after: exit $RC"
grep -q '"verdict":"ok"' "$W/out" || fail "missing.lab. is not ok after the hook"
run --format jsonl apply --yes --wait 0 missing.lab
[ "$RC" -eq 0 ] || fail "second apply: exit $RC"
[ "$(wc -l < "$CALLS")" -eq 3 ] || fail "the hook ran again for a domain that needs nothing"

# 3. plan names the account
run --format jsonl plan stale.lab
grep -q '"account":"hook"' "$W/out" || fail "plan: stale.lab. not routed to the hook"

# 4. kill -9 during a hook run: the hook (in its own process group) ends
# its work; the next run finds the change open, marks it not applied (a
# hook cannot be read back), plans again, sees the DS published, and does
# not run the hook again: one run in all.
cat >> "$CONF" <<EOC

[account crash]
type = command
command = $W/hook.py $CALLS $LAB $SRCDIR/tests/lab/lab
domains = delete.lab
EOC
"$DSREG" -c "$CONF" --format jsonl apply --yes --wait 60 delete.lab \
    > "$W/out" 2> "$W/err" &
pid=$!
n=0
until [ -e "$CALLS.published" ]; do
	n=$((n + 1))
	[ $n -lt 600 ] || fail "the hook for delete.lab. never published"
	kill -0 "$pid" 2>/dev/null || fail "apply ended before the kill"
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
[ "$(grep -c '"delete.lab."' "$CALLS")" -eq 1 ] || fail "delete.lab.'s hook not run once"
run --format jsonl apply --yes --wait 0 delete.lab
[ "$RC" -eq 0 ] || fail "apply after the kill: exit $RC"
[ "$(q "SELECT outcome FROM journal WHERE domain = 'delete.lab.' AND step = 'change'")" = \
    "not-applied" ] || fail "the interrupted change is not marked not-applied"
[ "$(grep -c '"delete.lab."' "$CALLS")" -eq 1 ] || fail "the hook ran again after recovery"
[ -z "$(dig +norec +time=2 +tries=2 @"$NET.1.1" delete.lab. DS +short)" ] ||
	fail "delete.lab. still has DS"
echo "command_hook: ok"
