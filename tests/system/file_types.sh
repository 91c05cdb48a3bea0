#!/bin/sh
# tests/system/file_types.sh - every file dsreg reads must be a regular file of
# bounded size: a FIFO (password_file, key_file, ds -f, $INCLUDE, -c,
# --domains, a key file) or a device (-c /dev/zero) is refused at once with a
# message naming the path, instead of blocking or reading forever.  Each run
# is under `timeout 10`, so a hang is a failure, not a stuck suite.
# No network: every refusal happens before a connection would be made
# (127.50.2.1 is never contacted).
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$DSREG" ] || fail "no program at $DSREG"
command -v mkfifo >/dev/null && command -v timeout >/dev/null ||
    { echo "mkfifo/timeout missing"; exit 77; }
T=$TMPDIR
mkfifo "$T/fifo"
chmod 600 "$T/fifo"
printf 'Secret-pw-77\n' > "$T/pw"; chmod 600 "$T/pw"

# refused WHAT PATTERN ARGS...: dsreg ARGS fails within 10 s, quickly, with
# PATTERN in its message
refused() {
	what=$1 pattern=$2
	shift 2
	t0=$(date +%s)
	timeout 10 "$DSREG" "$@" > "$T/out" 2> "$T/err" < /dev/null
	rc=$?
	t=$(( $(date +%s) - t0 ))
	[ "$rc" -ne 124 ] || fail "$what: still running after 10 s (blocked)"
	[ "$rc" -ne 0 ] || fail "$what: accepted"
	[ "$t" -le 2 ] || fail "$what: took $t s"
	grep -q -e "$pattern" "$T/err" || {
		cat "$T/err"; fail "$what: '$pattern' not in the message"; }
	if grep -q -F 'Secret-pw-77' "$T/out" "$T/err"; then
		fail "$what: the password was printed"
	fi
}

account_epp() {   # account_epp PASSWORD_FILE [extra line]
	cat > "$T/epp.conf" <<EOC
[account reg]
type = epp
host = 127.50.2.1
port = 1
username = reg1
password_file = $1
timeout = 2
${2:-}
EOC
}

# --- credentials files
account_epp "$T/fifo"
refused "password_file FIFO" "$T/fifo: is a FIFO; dsreg reads only regular files" \
    -c "$T/epp.conf" epp --retries 0 reg hello

cat > "$T/osrs.conf" <<EOC
[account os]
type = opensrs
url = https://127.50.2.1:1/
username = alpha
key_file = $T/fifo
timeout = 2
EOC
refused "OpenSRS key_file FIFO" "$T/fifo: is a FIFO; dsreg reads only regular files" \
    -c "$T/osrs.conf" opensrs os list

# --- files the TLS libraries open by name are checked first
account_epp "$T/pw" "ca_file = $T/fifo"
refused "EPP ca_file FIFO" "$T/fifo: is a FIFO" -c "$T/epp.conf" epp --retries 0 reg hello
sed "s|^key_file = .*|key_file = $T/pw\nca_file = $T/fifo|" "$T/osrs.conf" > "$T/osrs2.conf"
refused "OpenSRS ca_file FIFO" "$T/fifo: is a FIFO" -c "$T/osrs2.conf" opensrs os list

# --- the configuration itself
refused "-c /dev/zero" "/dev/zero: is a character device; dsreg reads only regular files" \
    -c /dev/zero epp reg hello
refused "-c FIFO" "$T/fifo: is a FIFO" -c "$T/fifo" epp reg hello
refused "-c directory" "$T: is a directory" -c "$T" epp reg hello
# a (sparse) 20 MiB configuration is over the cap, refused before reading
truncate -s 20M "$T/big.conf" 2>/dev/null && \
    refused "-c 20 MiB" "$T/big.conf: .* larger than the limit" -c "$T/big.conf" epp reg hello

# --- zone and key files
refused "ds -f FIFO" "$T/fifo: is a FIFO" ds -f "$T/fifo" example.lab
cat > "$T/zone" <<EOZ
\$ORIGIN example.lab.
@ 3600 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
\$INCLUDE $T/fifo
EOZ
refused "\$INCLUDE FIFO" "$T/fifo: is a FIFO" ds --allow-include -f "$T/zone" example.lab
refused "key file FIFO" "$T/fifo: is a FIFO" ds "$T/fifo"

# --- domain lists
account_epp "$T/pw"
refused "--domains FIFO" "$T/fifo: is a FIFO" -c "$T/epp.conf" audit --domains "$T/fifo"

# the regular files next to them are still read: the zone without $INCLUDE works
grep -v INCLUDE "$T/zone" > "$T/zone2"
timeout 10 "$DSREG" ds -f "$T/zone2" example.lab > "$T/out" 2> "$T/err" ||
    { cat "$T/err"; fail "a regular zone file was refused"; }
grep -q 'IN DS ' "$T/out" || { cat "$T/out"; fail "no DS from the regular zone file"; }
exit 0
