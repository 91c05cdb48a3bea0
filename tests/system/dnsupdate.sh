#!/bin/sh
# tests/system/dnsupdate.sh - `type = dnsupdate` against a real primary: a
# Knot primary of upd.lab. (automatic DNSSEC signing, TSIG-signed UPDATE
# allowed for one key and one child) transfers to an NSD secondary;
# upd.lab. is delegated, with DS, from the lab's lab. (tests/lab `extra`);
# its children kid.upd.lab. and other.upd.lab. are signed, without DS, on
# an NSD of ours.  apply adds the DS by UPDATE and it appears at both
# parent servers (audit ok); a wrong secret (BADSIG), an unknown key
# (BADKEY) and a child the key may not change are refused (exit 3), and no
# secret is ever printed.  Net 127.84.
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "dnsupdate: needs root for port 53"; exit 77; }
for p in knotd knotc nsd dig dnssec-keygen dnssec-signzone dnssec-dsfromkey; do
	command -v $p > /dev/null 2>&1 || { echo "dnsupdate: no $p"; exit 77; }
done
NET=127.84
P1=$NET.20.1          # ns1.upd.lab.: Knot, primary, signs upd.lab.
S2=$NET.20.2          # ns2.upd.lab.: NSD, secondary
CH=$NET.20.3          # ns.upd.lab.: NSD serving the children
K=$W/knot
N2=$W/nsd2
NC=$W/nsdc
SOCK=$(mktemp -d /tmp/dsreg-upd.XXXXXX)
mkdir -p "$K/db" "$N2" "$NC" "$W/keys" "$W/sign"

stop_all() {
	for p in $FIX_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	FIX_PIDS=""
	[ -f "$LAB/pids.json" ] && "$SRCDIR/tests/lab/lab" stop "$LAB" >/dev/null 2>&1
	rm -rf "$SOCK"
	return 0
}
trap stop_all EXIT
trap 'exit 1' INT TERM

"$SRCDIR/tests/lab/lab" start "$LAB" --net "$NET" > "$W/lab.log" 2>&1 ||
	{ cat "$W/lab.log"; fail "lab start"; }
RES=$("$SRCDIR/tests/lab/lab" resolver "$LAB")

# --- the TSIG keys (BIND syntax, as tsig-keygen writes them) ------------
SECRET=$(head -c 32 /dev/urandom | base64)
WRONG=$(head -c 32 /dev/urandom | base64)
keyfile() {     # keyfile PATH NAME SECRET
	printf 'key "%s" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' \
	    "$2" "$3" > "$1"
	chmod 600 "$1"
}
keyfile "$W/upd.key" dsreg-upd "$SECRET"
keyfile "$W/wrong.key" dsreg-upd "$WRONG"
keyfile "$W/unknown.key" nobody-knows "$SECRET"

# --- the children: signed zones on an NSD of ours ------------------------
for c in kid other; do
	z=$c.upd.lab.
	d=$W/keys/$c.upd.lab
	mkdir -p "$d"
	ksk=$(dnssec-keygen -q -K "$d" -a ECDSAP256SHA256 -f KSK "$z")
	zsk=$(dnssec-keygen -q -K "$d" -a ECDSAP256SHA256 "$z")
	{
		printf '$TTL 300\n%s SOA ns.upd.lab. hostmaster.%s 1 3600 900 604800 60\n' "$z" "$z"
		printf '%s NS ns.upd.lab.\n%s A 127.0.0.1\n' "$z" "$z"
		cat "$d/$ksk.key" "$d/$zsk.key"
	} > "$W/sign/$c.unsigned"
	dnssec-signzone -q -x -o "$z" -d "$W/sign" -K "$d" \
	    -f "$NC/$c.zone" "$W/sign/$c.unsigned" "$d/$ksk" "$d/$zsk" \
	    > /dev/null 2>&1 || fail "signing $z"
done
cat > "$NC/nsd.conf" <<EOC
server:
  ip-address: $CH
  port: 53
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$NC"
  pidfile: "$NC/nsd.pid"
  logfile: "$NC/nsd.log"
  xfrdfile: "$NC/xfrd.state"
  zonelistfile: "$NC/zone.list"
  server-count: 1
  reuseport: no
remote-control:
  control-enable: no
zone:
  name: "kid.upd.lab."
  zonefile: "$NC/kid.zone"
zone:
  name: "other.upd.lab."
  zonefile: "$NC/other.zone"
EOC
nsd -d -c "$NC/nsd.conf" > "$NC/out" 2>&1 &
FIX_PIDS="$FIX_PIDS $!"

# --- upd.lab.: Knot primary (signs it) and NSD secondary -----------------
cat > "$K/upd.lab.zone" <<EOZ
\$TTL 300
upd.lab. SOA ns1.upd.lab. hostmaster.upd.lab. 1 3600 900 604800 60
upd.lab. NS ns1.upd.lab.
upd.lab. NS ns2.upd.lab.
ns1.upd.lab. A $P1
ns2.upd.lab. A $S2
ns.upd.lab. A $CH
kid.upd.lab. NS ns.upd.lab.
other.upd.lab. NS ns.upd.lab.
EOZ
cat > "$K/knot.conf" <<EOC
server:
    rundir: "$K"
    listen: $P1@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$K/db"
control:
    listen: "$SOCK/knot.sock"
log:
  - target: "$K/knot.log"
    any: info
key:
  - id: dsreg-upd
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: secondary
    address: $S2@53
    via: $P1
acl:
  - id: update
    key: dsreg-upd
    action: update
    update-owner: name
    update-owner-match: equal
    update-owner-name: [ kid.upd.lab. ]
  - id: transfer
    address: $S2
    action: transfer
policy:
  - id: auto
    algorithm: ecdsap256sha256
    nsec3: off
    dnskey-ttl: 300
zone:
  - domain: upd.lab.
    storage: "$K"
    file: "upd.lab.zone"
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
    dnssec-signing: on
    dnssec-policy: auto
    notify: secondary
    acl: [ update, transfer ]
EOC
knotd -c "$K/knot.conf" > "$K/out" 2>&1 &
FIX_PIDS="$FIX_PIDS $!"
cat > "$N2/nsd.conf" <<EOC
server:
  ip-address: $S2
  port: 53
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$N2"
  pidfile: "$N2/nsd.pid"
  logfile: "$N2/nsd.log"
  xfrdfile: "$N2/xfrd.state"
  xfrdir: "$N2"
  zonelistfile: "$N2/zone.list"
  server-count: 1
  reuseport: no
  zonefiles-write: 0
remote-control:
  control-enable: no
zone:
  name: "upd.lab."
  zonefile: "$N2/upd.lab.zone"
  request-xfr: $P1 NOKEY
  allow-notify: $P1 NOKEY
  outgoing-interface: $S2
EOC

# serial SERVER: the SOA serial of upd.lab. it serves (empty: none)
serial() {
	dig +norec +time=1 +tries=1 @"$1" upd.lab. SOA +short 2>/dev/null |
	    awk '{ print $3 }'
}
# wait_for WHAT SECONDS COMMAND...: until COMMAND succeeds
wait_for() {
	what=$1 n=$(($2 * 10))
	shift 2
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || fail "$what: not within the time"
		sleep 0.1
	done
}
signed() { dig +norec +time=1 +tries=1 @"$P1" upd.lab. DNSKEY +short | grep -q '^257 '; }
same_serial() { s=$(serial "$P1"); [ -n "$s" ] && [ "$s" = "$(serial "$S2")" ]; }
wait_for "Knot signing upd.lab." 30 signed
nsd -d -c "$N2/nsd.conf" > "$N2/out" 2>&1 &
FIX_PIDS="$FIX_PIDS $!"
wait_for "the secondary's copy" 30 same_serial
dig +norec +time=1 +tries=1 @"$CH" kid.upd.lab. SOA +short | grep -q . ||
	fail "the children's NSD does not serve kid.upd.lab."

# upd.lab. delegated from lab., with the DS of Knot's KSK
dig +norec @"$P1" upd.lab. DNSKEY +noall +answer |
    dnssec-dsfromkey -2 -f - upd.lab. > "$W/upd.ds" 2>"$W/err" ||
	fail "DS of upd.lab."
{
	printf 'upd.lab. NS ns1.upd.lab.\nupd.lab. NS ns2.upd.lab.\n'
	printf 'ns1.upd.lab. A %s\nns2.upd.lab. A %s\n' "$P1" "$S2"
	cat "$W/upd.ds"
} > "$W/extra"
"$SRCDIR/tests/lab/lab" extra "$LAB" lab. "$W/extra" >> "$W/lab.log" 2>&1 ||
	{ cat "$W/lab.log"; fail "lab extra"; }

conf() {    # conf FILE KEYFILE: a config with the dnsupdate account
	cat > "$1" <<EOC
[dsreg]
resolver = $RES
keys = $W/keys
our_ns = ns.upd.lab.
state = $W/state.db
max_qps_per_server = 0

[account corp]
type = dnsupdate
zone = upd.lab.
server = $P1
tsig_key_file = $2
timeout = 5
domains = kid.upd.lab other.upd.lab
EOC
}
conf "$W/good.conf" "$W/upd.key"
conf "$W/wrong.conf" "$W/wrong.key"
conf "$W/unknown.conf" "$W/unknown.key"
CONF=$W/good.conf

# parent_ds SERVER DOMAIN: the DS RDATA that server serves, sorted
parent_ds() {
	dig +norec +time=2 +tries=2 @"$1" "$2" DS +noall +answer |
	    awk '$4 == "DS" { print $5, $6, $7, toupper($8 $9) }' | sort
}
# secret_free: neither secret in anything printed so far
secret_free() {
	cat "$W/out" "$W/err" >> "$W/all-output"
	for s in "$SECRET" "$WRONG"; do
		grep -qF "$s" "$W/all-output" && fail "a TSIG secret was printed"
	done
	return 0
}

# 1. before: both children are missing their DS
run --format jsonl audit kid.upd.lab other.upd.lab
[ "$RC" -eq 1 ] || fail "audit before: exit $RC"
grep '"kid.upd.lab."' "$W/out" | grep -q '"verdict":"missing"' ||
	fail "kid.upd.lab. is not missing its DS before"
run --format jsonl plan kid.upd.lab
grep -q '"account":"corp"' "$W/out" || fail "plan: not routed to corp"

# 2. a wrong secret: BADSIG, nothing changed, exit 3
CONF=$W/wrong.conf
run --format jsonl apply --yes --wait 0 kid.upd.lab
[ "$RC" -eq 3 ] || fail "apply with a wrong secret: exit $RC, want 3"
grep -q 'BADSIG' "$W/out" "$W/err" || fail "BADSIG not named"
grep -q '"failed"' "$W/out" || fail "apply JSON does not say failed"
secret_free
[ -z "$(parent_ds "$P1" kid.upd.lab.)" ] || fail "a refused UPDATE changed the zone"

# 3. a key the primary does not know: BADKEY
CONF=$W/unknown.conf
run --format jsonl apply --yes --wait 0 kid.upd.lab
[ "$RC" -eq 3 ] || fail "apply with an unknown key: exit $RC, want 3"
grep -q 'BADKEY' "$W/out" "$W/err" || fail "BADKEY not named"
secret_free

# 4. the good key, a child it may not change: refused, exit 3
CONF=$W/good.conf
run --format jsonl apply --yes --wait 0 other.upd.lab
[ "$RC" -eq 3 ] || fail "apply of other.upd.lab.: exit $RC, want 3"
grep -q 'refused the UPDATE of other.upd.lab' "$W/out" "$W/err" ||
	fail "the refusal is not reported"
grep -q '"failed"' "$W/out" || fail "apply JSON does not say failed"
secret_free
[ -z "$(parent_ds "$P1" other.upd.lab.)" ] || fail "a refused UPDATE changed the zone"

# 5. success: the DS is added by UPDATE and shows at every parent server
run --format jsonl apply --yes --wait 60 kid.upd.lab
[ "$RC" -eq 0 ] || fail "apply kid.upd.lab.: exit $RC"
grep '"kid.upd.lab."' "$W/out" | grep -q '"applied"' || fail "not applied"
secret_free
want=$(sed -n 's/.*IN DS //p' "$W/sign/dsset-kid.upd.lab." 2>/dev/null |
    awk '$3 == 2 { print $1, $2, $3, toupper($4 $5) }' | sort)
got1=$(parent_ds "$P1" kid.upd.lab.)
got2=$(parent_ds "$S2" kid.upd.lab.)
[ -n "$got1" ] || fail "no DS at the primary"
[ "$got1" = "$got2" ] || fail "the secondary serves other DS: '$got2' vs '$got1'"
[ -z "$want" ] || [ "$got1" = "$want" ] || fail "DS '$got1', want '$want'"
run --format jsonl audit kid.upd.lab
[ "$RC" -eq 0 ] || fail "audit after: exit $RC"
grep -q '"verdict":"ok"' "$W/out" || fail "audit after is not ok"

# 6. again: nothing to change, nothing sent
n=$(grep -c 'DDNS' "$K/knot.log")
run --format jsonl apply --yes --wait 0 kid.upd.lab
[ "$RC" -eq 0 ] || fail "second apply: exit $RC"
grep -q '"change"' "$W/out" && fail "second apply made a change"
[ "$(grep -c 'DDNS' "$K/knot.log")" = "$n" ] || fail "second apply sent an UPDATE"
secret_free
echo "dnsupdate: ok"
