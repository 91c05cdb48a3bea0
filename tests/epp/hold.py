#!/usr/bin/python3
# tests/epp/hold.py - hold one TLS session open at the EPP test server (for the 2502 test)
# usage: hold.py IP PORT CA CERT KEY SECONDS
import socket
import ssl
import sys
import time

ip, port, ca, cert, key, secs = sys.argv[1:7]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
ctx.load_cert_chain(cert, key)
with socket.create_connection((ip, int(port))) as raw:
    with ctx.wrap_socket(raw) as s:
        s.recv(4)            # greeting header: the session is counted
        time.sleep(float(secs))
