#!/usr/bin/python3
# tests/system/scale_dns.py - a tiny resolver + authoritative server pair for
# the politeness tests (rate cap, slipped answers, lossy path).
#
#   scale_dns.py RESOLVER_ADDR AUTH_ADDR LOGFILE [--loss P] [--delay MS] [--slip]
#
# Zone "t." is served at AUTH_ADDR:53 (UDP and TCP), which is also the
# server of every child zone.  Names:
#   g*.t.   do not exist (NXDOMAIN at the resolver and at AUTH)
#   other   delegated to ns.NAME (glue AUTH_ADDR), unsigned: NOERROR, no DNSKEY
# RESOLVER_ADDR answers RD=1 questions the way a recursive resolver would.
# --slip: every UDP answer of AUTH is truncated as RRL slips do, every
# other one without its question section; TCP answers in full.
# --loss P: each UDP query to AUTH and each UDP answer from it is lost with
# probability P (seeded), and every UDP answer waits --delay MS: a lossy
# path without netem.  Every query arriving at AUTH is logged as
# "MONOTONIC_SECONDS udp|tcp QNAME QTYPE" to LOGFILE.
import heapq, random, select, socket, struct, sys, time

T_A, T_NS, T_SOA, T_AAAA, T_DS, T_DNSKEY, T_CDS, T_CDNSKEY = 1, 2, 6, 28, 43, 48, 59, 60

args = sys.argv[1:]
RES, AUTH, LOG = args[0], args[1], args[2]
loss = float(args[args.index("--loss") + 1]) if "--loss" in args else 0.0
delay = float(args[args.index("--delay") + 1]) / 1000 if "--delay" in args else 0.0
slip = "--slip" in args
rnd = random.Random(4242)


def wname(n):
    out = b""
    for label in n.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_q(m):
    if len(m) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", m[:6])
    if qd != 1:
        return None
    p, labels = 12, []
    while p < len(m) and m[p] != 0:
        labels.append(m[p + 1:p + 1 + m[p]].decode("ascii", "replace").lower())
        p += 1 + m[p]
    p += 1
    qtype, = struct.unpack("!H", m[p:p + 2])
    return qid, flags, ".".join(labels) + ".", qtype, m[12:p + 4]


def rr(name, rtype, rdata, ttl=60):
    return wname(name) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa(zone):
    return rr(zone, T_SOA, wname("ns." + zone) + wname("h." + zone) + struct.pack("!IIIII", 1, 60, 60, 600, 60))


def a_rec(name, addr):
    return rr(name, T_A, socket.inet_aton(addr))


def msg(qid, flags, question, rcode=0, aa=True, tc=False, an=(), ns=(), ar=(), noq=False):
    f = 0x8000 | (flags & 0x0100) | (0x0400 if aa else 0) | (0x0200 if tc else 0) | rcode
    if flags & 0x0100:
        f |= 0x0080          # RA
    hdr = struct.pack("!HHHHHH", qid, f, 0 if noq else 1, len(an), len(ns), len(ar))
    return hdr + (b"" if noq else question) + b"".join(an) + b"".join(ns) + b"".join(ar)


def zone_of(name):
    """The child zone NAME belongs to (second label under t.), or None."""
    labels = name.rstrip(".").split(".")
    if len(labels) >= 2 and labels[-1] == "t":
        return labels[-2] + ".t."
    return None


def answer(m, recursive_server):
    q = parse_q(m)
    if q is None:
        return None
    qid, flags, name, qtype, question = q
    child = zone_of(name)
    gone = child is not None and child.startswith("g")
    if recursive_server:
        if name == "t.":
            if qtype == T_SOA:
                return msg(qid, flags, question, aa=False, an=[soa("t.")])
            if qtype == T_NS:
                return msg(qid, flags, question, aa=False, an=[rr("t.", T_NS, wname("ns.t."))],
                           ar=[a_rec("ns.t.", AUTH)])
            return msg(qid, flags, question, aa=False, ns=[soa("t.")])
        if name == "ns.t." or (child and name == "ns." + child and not gone):
            if qtype == T_A:
                return msg(qid, flags, question, aa=False, an=[a_rec(name, AUTH)])
            return msg(qid, flags, question, aa=False, ns=[soa("t.")])
        if gone:
            return msg(qid, flags, question, rcode=3, aa=False, ns=[soa("t.")])
        if child and name == child and qtype in (T_DS,):
            return msg(qid, flags, question, aa=False, ns=[soa("t.")])
        return msg(qid, flags, question, aa=False, ns=[soa(child or "t.")])
    # authoritative for t. and every child zone
    if child is None:
        return msg(qid, flags, question, rcode=5, aa=False)
    if gone:
        return msg(qid, flags, question, rcode=3, ns=[soa("t.")])
    if name == child and qtype == T_DS:
        return msg(qid, flags, question, ns=[soa("t.")])
    if name == child and qtype == T_NS:
        return msg(qid, flags, question, aa=False, ns=[rr(child, T_NS, wname("ns." + child))],
                   ar=[a_rec("ns." + child, AUTH)])
    if name == child and qtype in (T_DNSKEY, T_CDS, T_CDNSKEY):
        return msg(qid, flags, question, ns=[soa(child)])
    return msg(qid, flags, question, ns=[soa(child)])


def main():
    udp = {}
    for addr in (RES, AUTH):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, 53))
        s.setblocking(False)
        udp[s] = addr
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((AUTH, 53))
    tcp.listen(128)
    log = open(LOG, "a", buffering=1)
    later = []      # (time, seq, sock, data, dest)
    seq = 0
    nslip = 0
    conns = {}
    while True:
        timeout = max(0.0, later[0][0] - time.monotonic()) if later else 1.0
        socks = list(udp) + [tcp] + list(conns)
        r, _, _ = select.select(socks, [], [], timeout)
        now = time.monotonic()
        while later and later[0][0] <= now:
            _, _, s, data, dest = heapq.heappop(later)
            try:
                s.sendto(data, dest)
            except OSError:
                pass
        for s in r:
            if s is tcp:
                c, _ = tcp.accept()
                conns[c] = b""
                continue
            if s in conns:
                try:
                    data = s.recv(65535)
                except OSError:
                    data = b""
                if not data:
                    s.close()
                    del conns[s]
                    continue
                buf = conns[s] + data
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    m, buf = buf[2:2 + n], buf[2 + n:]
                    q = parse_q(m)
                    if q:
                        log.write("%.6f tcp %s %d\n" % (time.monotonic(), q[2], q[3]))
                    a = answer(m, False)
                    if a:
                        s.sendall(struct.pack("!H", len(a)) + a)
                conns[s] = buf
                continue
            try:
                m, src = s.recvfrom(4096)
            except OSError:
                continue
            is_auth = udp[s] == AUTH
            q = parse_q(m)
            if is_auth and q:
                log.write("%.6f udp %s %d\n" % (time.monotonic(), q[2], q[3]))
            if loss and rnd.random() < loss:
                continue        # the query is lost on the way
            a = answer(m, not is_auth)
            if a is None:
                continue
            if is_auth and slip and q:
                nslip += 1
                a = msg(q[0], q[1], q[4], tc=True, noq=nslip % 2 == 0)
            if loss and rnd.random() < loss:
                continue        # the answer is lost on the way back
            if delay:
                seq += 1
                heapq.heappush(later, (now + 2 * delay, seq, s, a, src))
            else:
                s.sendto(a, src)


if __name__ == "__main__":
    main()
