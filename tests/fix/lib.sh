# tests/fix/lib.sh - the world of the plan/apply tests: the DNS lab, the
# OpenSRS emulator and the EPP test registry publishing into it, and a
# dsreg.conf with both accounts (sourced, POSIX sh).
#
# fix_world NET [PROFILE]  starts everything on NET addresses under $W:
#   lab (functional profile by default), OpenSRS emulator on NET.200.1
#   (reseller alpha, domains = discover) and EPP registry on NET.200.2
#   (registrar reg1, globs), each seeded with the DS sets the lab's parent
#   serves.  OSRS_DOMAINS / EPP_DOMAINS / LOCKED say who holds what; when
#   OSRS_DOMAINS is empty they come from the manifest's "registrar" fields
#   (demo profile), every OpenSRS domain locked.
# Sets RES (resolver), CONF, OSRS_LOG, EPP_LOG; stops everything on exit.
set -u
: "${SRCDIR:?}" "${DSREG:?}" "${TMPDIR:?}"
PY=/usr/bin/python3
W=$TMPDIR/world
LAB=$W/lab
FIX_PIDS=""
mkdir -p "$W"

fail() {
	echo "FAIL: $*"
	for f in "$W/out" "$W/err"; do
		[ -s "$f" ] && { echo "--- $f"; tail -c 3000 "$f"; echo; }
	done
	exit 1
}

fix_stop() {
	for p in $FIX_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	FIX_PIDS=""
	[ -f "$LAB/pids.json" ] && "$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1
	return 0
}

# wait_ready FILE PID: the server printed its READY line
wait_ready() {
	i=0
	while ! grep -q '^READY ' "$1" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || fail "server died: $(cat "$1.err" 2>/dev/null)"
		i=$((i + 1))
		[ $i -lt 300 ] || fail "server not ready after 30 s"
		sleep 0.1
	done
}

# start_osrs: (re)start the OpenSRS emulator keeping its state file
start_osrs() {
	$PY "$SRCDIR/tests/opensrs/emulator.py" --addr "$OSRS_IP" \
	    --port "${OSRS_PORT:-0}" --cert "$W/pki/server.pem" \
	    --key "$W/pki/server.key" --data "$W/osrs.json" \
	    --faults "$W/osrs-faults.json" --log "$OSRS_LOG" \
	    --state "$W/osrs-state.json" --secrets-log "$W/osrs-sigs" \
	    --publish-dir "$LAB/publish" \
	    --publish-cmd "'$SRCDIR/tests/lab/lab' publish '$LAB' >> '$W/publish.log' 2>&1" \
	    > "$W/osrs.out" 2> "$W/osrs.out.err" &
	OSRS_PID=$!
	FIX_PIDS="$FIX_PIDS $OSRS_PID"
	wait_ready "$W/osrs.out" "$OSRS_PID"
	OSRS_PORT=$(awk '/^READY /{print $3}' "$W/osrs.out")
}

fix_world() {
	NET=$1
	OSRS_IP=$NET.200.1
	EPP_IP=$NET.200.2
	OSRS_LOG=$W/osrs-requests.jsonl
	EPP_LOG=$W/epp.log
	trap fix_stop EXIT
	trap 'exit 1' INT TERM
	"$SRCDIR/tests/lab/lab" start "$LAB" --net "$NET" \
	    --profile "${2:-functional}" > "$W/lab.log" 2>&1 ||
		{ cat "$W/lab.log"; fail "lab start"; }
	RES=$("$SRCDIR/tests/lab/lab" resolver "$LAB")
	if [ -z "${OSRS_DOMAINS:-}" ]; then
		by_registrar() {
			$PY -c "import json,sys; print(' '.join(d['name'].rstrip('.') for d in json.load(open(sys.argv[1]))['domains'] if d.get('registrar') == sys.argv[2]))" "$LAB/manifest.json" "$1"
		}
		OSRS_DOMAINS=$(by_registrar opensrs)
		EPP_DOMAINS=$(by_registrar epp)
		LOCKED=$OSRS_DOMAINS
	fi
	sh "$SRCDIR/tests/epp/mkcerts.sh" "$W/pki" "$OSRS_IP" "$EPP_IP" \
	    > /dev/null 2>&1 || fail "certificates"
	KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf '%s\n' "$KEY" > "$W/alpha.key"
	printf 'Reg1-secret-pw\n' > "$W/reg1.pw"
	chmod 600 "$W/alpha.key" "$W/reg1.pw"
	: > "$W/osrs-faults.json"
	# seed both registries with what the lab's parent really serves
	$PY - "$LAB/manifest.json" "$W/osrs.json" "$W/epp.args" "$KEY" \
	    "$OSRS_DOMAINS" "$EPP_DOMAINS" "$LOCKED" <<'PY'
import json, sys
man, osrs_out, epp_out, key, osrs_doms, epp_doms, locked = sys.argv[1:]
m = {d["name"].rstrip("."): d for d in json.load(open(man))["domains"]}
def ds_of(name):
    out = []
    for rr in m[name]["parent_ds"]:
        f = rr.split()
        out.append((int(f[4]), int(f[5]), int(f[6]), "".join(f[7:]).upper()))
    return out
doms = {}
for n in osrs_doms.split():
    doms[n] = {"owner": "alpha", "locked": n in locked.split(),
               "expiredate": "2027-06-01 00:00:00",
               "ds": [{"key_tag": t, "algorithm": a, "digest_type": d,
                       "digest": h} for t, a, d, h in ds_of(n)]}
# a domain of the account that the run is not about
doms["elsewhere.lab"] = {"owner": "alpha", "locked": True,
                         "expiredate": "2027-06-01 00:00:00"}
json.dump({"resellers": {"alpha": {"key": key}}, "domains": doms},
          open(osrs_out, "w"), indent=1)
with open(epp_out, "w") as fp:
    for n in epp_doms.split():
        fp.write("--domain\n%s:reg1\n" % n)
        for t, a, d, h in ds_of(n):
            fp.write("--ds\n%s=%d,%d,%d,%s\n" % (n, t, a, d, h))
PY
	start_osrs
	# shellcheck disable=SC2046
	IFS='
'
	set -- $(cat "$W/epp.args")
	unset IFS
	$PY "$SRCDIR/tests/epp/server.py" --addr "$EPP_IP" --port 0 \
	    --cert "$W/pki/server.pem" --key "$W/pki/server.key" \
	    --client-ca "$W/pki/clientca.pem" \
	    --schema "$SRCDIR/fixtures/epp/all.xsd" \
	    --registrar reg1:Reg1-secret-pw --log "$EPP_LOG" \
	    ${EPP_SLOW:+--slow "$EPP_SLOW"} \
	    --interface "${EPP_INTERFACE:-ds}" \
	    --publish-dir "$LAB/publish" \
	    --publish-cmd "'$SRCDIR/tests/lab/lab' publish '$LAB' >> '$W/publish.log' 2>&1" \
	    "$@" > "$W/epp.out" 2> "$W/epp.out.err" &
	EPP_PID=$!
	FIX_PIDS="$FIX_PIDS $EPP_PID"
	wait_ready "$W/epp.out" "$EPP_PID"
	EPP_PORT=$(sed -n 's/^READY //p' "$W/epp.out")
	CONF=$W/dsreg.conf
	cat > "$CONF" <<EOC
[dsreg]
resolver = $RES
keys = $LAB/keys
our_ns = ns1.provider.labnet. ns2.provider.labnet.
state = $W/state.db
max_qps_per_server = 0   ; the lab's servers are our own (default: 100 per address)

[account tucows]
type = opensrs
url = https://$OSRS_IP:$OSRS_PORT/
username = alpha
key_file = $W/alpha.key
ca_file = $W/pki/ca.pem
domains = discover
relock = yes
timeout = 10

[account registry]
type = epp
host = $EPP_IP
port = $EPP_PORT
ca_file = $W/pki/ca.pem
cert_file = $W/pki/client.pem
key_file = $W/pki/client.key
username = reg1
password_file = $W/reg1.pw
interface = ${EPP_INTERFACE:-ds}
timeout = 10
domains =
EOC
	for d in $EPP_DOMAINS; do
		printf '    %s\n' "$d" >> "$CONF"
	done
}

# dsreg with the world's config; output in $W/out, $W/err, status in $RC
run() {
	"$DSREG" -c "$CONF" "$@" > "$W/out" 2> "$W/err"
	RC=$?
	cat "$W/out" "$W/err" >> "$W/all-output"
}

# count_osrs ACTION DOMAIN: requests of that action for that domain that
# the emulator applied
count_osrs() {
	$PY - "$OSRS_LOG" "$1" "$2" <<'PY'
import json, sys
log, action, dom = sys.argv[1:]
n = 0
for line in open(log):
    r = json.loads(line)
    if r.get("action") == action and (r.get("domain") or "").rstrip(".") == dom and r.get("applied"):
        n += 1
print(n)
PY
}
