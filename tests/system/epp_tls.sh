#!/bin/sh
# tests/system/epp_tls.sh - TLS failures happen at the handshake with a clear message:
# server certificate from the wrong CA, a name that does not match, and no
# client certificate; the right setup works with the IP or a name checked.
. "$SRCDIR/tests/epp/lib.sh"
epp_setup 127.20.2.1

# 1. server certificate from another CA
epp_start --server-cert wrong --domain example.lab
epp_config
dsr epp reg info example.lab
expect_rc 3 "wrong CA"
expect_in "$TMPDIR/err" 'TLS handshake: server certificate not accepted: unable to get local issuer certificate' "wrong CA message"
expect_in "$TMPDIR/err" "trust anchors: $TMPDIR/pki/ca.pem" "wrong CA names the CA file"
expect_not_in "$TMPDIR/err" 'reconnecting' "TLS failures are not retried"
expect_not_in "$TMPDIR/server.log" 'LOGIN' "no login over an untrusted server"
epp_stop

# 2. right CA, but the name checked does not match the certificate
epp_start --domain example.lab
epp_config "server_name = other.test"
dsr epp reg info example.lab
expect_rc 3 "name mismatch"
expect_in "$TMPDIR/err" 'server certificate not accepted: .*mismatch' "name mismatch message"
expect_not_in "$TMPDIR/server.log" 'LOGIN' "no login after a name mismatch"

# 3. the right name (SNI + host check) and the IP (IP SAN check) both work
epp_config "server_name = epp.test"
dsr epp reg info example.lab
expect_rc 0 "server_name epp.test"
epp_config
dsr epp reg info example.lab
expect_rc 0 "IP check"

# 4. no client certificate configured: the server refuses at the handshake
{
	echo "[account reg]"
	echo "type = epp"
	echo "host = $EPP_IP"
	echo "port = $EPP_PORT"
	echo "ca_file = $TMPDIR/pki/ca.pem"
	echo "username = reg1"
	echo "password_file = $TMPDIR/reg1.pw"
	echo "timeout = 5"
} > "$TMPDIR/dsreg.conf"
: > "$TMPDIR/server.log"
dsr epp reg info example.lab
expect_rc 3 "no client certificate"
expect_in "$TMPDIR/err" 'the server refused our client certificate (none configured)' "no client cert message"
expect_in "$TMPDIR/err" 'check cert_file and key_file' "no client cert hint"
expect_in "$TMPDIR/server.log" 'TLS-FAIL' "server saw a failed handshake"
expect_not_in "$TMPDIR/server.log" 'LOGIN' "no login without a client certificate"

# 5. a client certificate the server's client CA did not sign
epp_config "cert_file = $TMPDIR/pki/wrong.pem" "key_file = $TMPDIR/pki/wrong.key"
sed -i '/^cert_file = .*client.pem/d; /^key_file = .*client.key/d' "$TMPDIR/dsreg.conf"
dsr epp reg info example.lab
expect_rc 3 "foreign client certificate"
expect_in "$TMPDIR/err" 'the server refused our client certificate' "foreign client cert message"

# 6. a client key readable by others is refused before connecting
epp_config
chmod 644 "$TMPDIR/pki/client.key"
dsr epp reg info example.lab
expect_rc 2 "client key mode (a configuration error)"
expect_in "$TMPDIR/err" "client.key: credentials file is readable by group or others" "key mode message names the file"
chmod 600 "$TMPDIR/pki/client.key"

# 7. a cert_file that is not there is a configuration error too, found before connecting
epp_config "cert_file = $TMPDIR/pki/gone.pem"
: > "$TMPDIR/server.log"
dsr epp reg info example.lab
expect_rc 2 "missing cert_file (a configuration error)"
expect_in "$TMPDIR/err" "pki/gone.pem: cert_file: No such file or directory" "missing cert_file message names the file"
expect_not_in "$TMPDIR/server.log" 'LOGIN' "no connection without the client certificate"
exit 0
