#!/bin/sh
# tests/epp/mkcerts.sh - make the test PKI for the EPP test server with the openssl command
#
# usage: mkcerts.sh DIR IP...
# DIR/ca.pem            CA that signs the server certificate (the client trusts it)
# DIR/server.{pem,key}  server certificate for epp.test and every IP given
# DIR/clientca.pem      CA the server requires client certificates from
# DIR/client.{pem,key}  client certificate (key mode 0600)
# DIR/wrongca.pem, DIR/wrong.{pem,key}  a server certificate from another CA
set -eu
dir=$1
shift
mkdir -p "$dir"
cd "$dir"
umask 077
san="DNS:epp.test"
for ip in "$@"; do san="$san,IP:$ip"; done

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
mkca() {
	newkey "$1.key"
	openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 2 -out "$1.pem" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
# sign NAME CA CN EXT
sign() {
	newkey "$1.key"
	openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr" 2>/dev/null
	printf '%s\n' "$4" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
	    -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
mkca ca "dsreg EPP test CA"
mkca clientca "dsreg EPP test client CA"
mkca wrongca "dsreg wrong CA"
sign server ca epp.test "subjectAltName=$san
extendedKeyUsage=serverAuth"
sign client clientca registrar "extendedKeyUsage=clientAuth"
sign wrong wrongca epp.test "subjectAltName=$san
extendedKeyUsage=serverAuth"
chmod 600 ./*.key
chmod 644 ./*.pem
