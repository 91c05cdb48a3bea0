#!/usr/bin/env python3
# tests/lab/notify_receiver.py - the parent's RFC 9859 NOTIFY target in the lab.
#
#   notify_receiver.py LABDIR ADDR PORT[,PORT...] LOG
#
# Listens on UDP ADDR:PORT.  Each message is checked on the wire (RFC 1996
# §3, RFC 9859 §4.2): QR=0, OPCODE NOTIFY, one question, type CDS or
# CDNSKEY, class IN; a good one is answered NOERROR (the question echoed,
# QR and AA set), anything else FORMERR or NOTIMP.  One JSON line per message
# goes to LOG: from, port, id, opcode, qr, aa, qname, qtype, verdict.  Then,
# as a registry would, the child is scanned (tests/lab/cds_scanner.py: CDS at
# every child server, checked, DS published in the parent zone); the
# scanner's line is logged too.  Runs until killed.
import json
import os
import socket
import struct
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = {59: "CDS", 60: "CDNSKEY"}


def qname_of(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n == 0:
            return ".".join(labels).lower() + ".", off + 1
        if n & 0xC0:
            raise ValueError("compressed question name")
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def handle(sock, labdir, log, lock, msg, peer, port):
    rec = {"from": peer[0], "port": port, "len": len(msg)}
    reply_rcode = 1                                   # FORMERR
    try:
        qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
        rec.update(id=qid, qr=flags >> 15, opcode=(flags >> 11) & 15, aa=(flags >> 10) & 1,
                   qdcount=qd)
        name, off = qname_of(msg, 12)
        qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        rec.update(qname=name, qtype=NAMES.get(qtype, qtype), qclass=qclass)
        if rec["qr"] or qd != 1 or qclass != 1:
            rec["verdict"] = "malformed"
        elif rec["opcode"] != 4:
            rec["verdict"] = "not a NOTIFY"
            reply_rcode = 4                           # NOTIMP
        elif qtype not in NAMES:
            rec["verdict"] = "NOTIFY for another type"
            reply_rcode = 4
        else:
            rec["verdict"] = "ok"
            reply_rcode = 0
        resp = struct.pack("!HHHHHH", qid, 0x8000 | (4 << 11) | 0x0400 | reply_rcode, 1, 0, 0,
                           0) + msg[12:off + 4]
    except (ValueError, struct.error, IndexError) as e:
        rec["verdict"] = "malformed: %s" % e
        resp = msg[:2] + struct.pack("!HHHHH", 0x8001, 0, 0, 0, 0) if len(msg) >= 2 else b""
    if resp:
        sock.sendto(resp, peer)
    with lock:
        with open(log, "a") as f:
            f.write(json.dumps(rec) + "\n")
    if rec.get("verdict") == "ok":
        r = subprocess.run([sys.executable, os.path.join(HERE, "cds_scanner.py"), labdir,
                            rec["qname"]], capture_output=True, text=True)
        with lock:
            with open(log, "a") as f:
                f.write(json.dumps({"scan": rec["qname"], "exit": r.returncode,
                                    "result": r.stdout.strip() + r.stderr.strip()}) + "\n")


def serve(labdir, addr, port, log, lock):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        msg, peer = s.recvfrom(4096)
        threading.Thread(target=handle, args=(s, labdir, log, lock, msg, peer, port),
                         daemon=True).start()


def main(argv):
    if len(argv) != 5:
        print("usage: notify_receiver.py LABDIR ADDR PORT[,PORT...] LOG", file=sys.stderr)
        return 2
    lock = threading.Lock()
    ports = [int(p) for p in argv[3].split(",")]
    for p in ports[1:]:
        threading.Thread(target=serve, args=(argv[1], argv[2], p, argv[4], lock),
                         daemon=True).start()
    serve(argv[1], argv[2], ports[0], argv[4], lock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
