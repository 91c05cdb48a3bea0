#!/usr/bin/python3
# tests/epp/server.py - EPP registry test server (RFC 5730/5731/5734, secDNS RFC 5910/4310)
#
# Real TLS with a required client certificate, every command validated against
# the XSDs in fixtures/epp (lxml), stateful registrars/domains/DS or key sets,
# scripted faults, and the "publish" contract of the DNS lab.  Prints
# "READY <port>" on stdout once it listens.  Only /usr/bin/python3 + lxml.
#
# usage: server.py --addr 127.20.0.1 [--port 0] --cert C --key K --client-ca CA
#   --registrar CLID:PASSWORD ...   --domain NAME[:SPONSOR[:STATUS,...]] ...
#   [--ds NAME=TAG,ALG,TYPE,HEX ...] [--dnskey NAME=FLAGS,PROTO,ALG,B64 ...]
#   [--secdns 1.1,1.0] [--interface ds|key] [--max-sessions N]
#   [--fault KIND[:CMD][=N] ...] [--slow SECONDS] [--log FILE]
#   [--publish-dir DIR] [--publish-cmd CMD] [--schema fixtures/epp/all.xsd]
# Fault kinds: 2400, 2500, drop (close before answering), drop-after-update
# (apply the update, then close without answering), garbage (answer without
# the RFC 5734 length header, then close), wrong-cltrid (a 1000 answer
# echoing another clTRID, as a stale answer would).  CMD: info, update, hello, any
# (default: info/update).  N: how many times (default 1; "always" = forever).
# Connection faults (CMD implied): close-after-greeting (close right after
# the greeting), drip-greeting (send the greeting at 2 bytes/s), echo-pw
# (refuse the login with the password echoed in <msg> and <reason>, as a
# careless server might), stall-login (read the login, never answer).
import argparse
import base64
import datetime
import hashlib
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
NS_EPP = "urn:ietf:params:xml:ns:epp-1.0"
NS_DOM = "urn:ietf:params:xml:ns:domain-1.0"
NS_HOST = "urn:ietf:params:xml:ns:host-1.0"
NS_S11 = "urn:ietf:params:xml:ns:secDNS-1.1"
NS_S10 = "urn:ietf:params:xml:ns:secDNS-1.0"
FRAME_MAX = 1 << 20

MSGS = {
    1000: "Command completed successfully",
    1500: "Command completed successfully; ending session",
    2001: "Command syntax error",
    2002: "Command use error",
    2103: "Unimplemented extension",
    2200: "Authentication error",
    2201: "Authorization error",
    2303: "Object does not exist",
    2304: "Object status prohibits operation",
    2306: "Parameter value policy error",
    2307: "Unimplemented object service",
    2400: "Command failed",
    2500: "Command failed; server closing connection",
    2501: "Authentication error; server closing connection",
    2502: "Session limit exceeded; server closing connection",
}


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


# faults of the connection itself, and the command they apply to
CONN_FAULTS = {"close-after-greeting": "greeting", "drip-greeting": "greeting",
               "echo-pw": "login", "stall-login": "login"}


class Fault:
    def __init__(self, spec):
        count = "1"
        if "=" in spec:
            spec, count = spec.split("=", 1)
        kind, _, cmd = spec.partition(":")
        self.kind = kind
        self.cmd = cmd or CONN_FAULTS.get(kind, "any")
        self.left = -1 if count == "always" else int(count)

    def matches(self, cmd):
        if self.left == 0:
            return False
        if self.kind == "drop-after-update" and cmd != "update":
            return False
        if self.cmd == "any":
            return cmd in ("info", "update")
        return self.cmd == cmd


class Registry:
    def __init__(self, args):
        self.lock = threading.RLock()
        self.args = args
        self.registrars = {}
        for r in args.registrar:
            clid, pw = r.split(":", 1)
            self.registrars[clid] = pw
        first = args.registrar[0].split(":", 1)[0]
        self.domains = {}
        for i, d in enumerate(args.domain):
            parts = d.split(":")
            name = parts[0].lower().rstrip(".")
            sponsor = parts[1] if len(parts) > 1 and parts[1] else first
            st = [s for s in parts[2].split(",") if s] if len(parts) > 2 else []
            self.domains[name] = {
                "roid": "D%d-DSREG" % (i + 1), "sponsor": sponsor,
                "statuses": st or ["ok"], "ds": [], "keys": [],
                "maxSigLife": 0, "authpw": "authsecret%d" % (i + 1),
                "ns": ["ns1." + name, "ns2." + name]}
        for spec in args.ds:
            name, v = spec.split("=", 1)
            t, a, dt, h = v.split(",")
            self.domains[name.rstrip(".")]["ds"].append(
                (int(t), int(a), int(dt), h.upper()))
        for spec in args.dnskey:
            name, v = spec.split("=", 1)
            f, p, a, b = v.split(",", 3)
            self.domains[name.rstrip(".")]["keys"].append(
                (int(f), int(p), int(a), b))
        self.secdns = [v.strip() for v in args.secdns.split(",") if v.strip()]
        self.faults = [Fault(f) for f in args.fault]
        self.sessions = 0
        self.svtrid = 0
        self.logf = open(args.log, "a") if args.log else None
        self.schema = etree.XMLSchema(etree.parse(args.schema))

    def log(self, msg):
        if self.logf:
            with self.lock:
                self.logf.write(msg + "\n")
                self.logf.flush()

    def take_fault(self, cmd, kinds):
        with self.lock:
            for f in self.faults:
                if f.kind in kinds and f.matches(cmd):
                    if f.left > 0:
                        f.left -= 1
                    return f.kind
        return None

    def next_svtrid(self):
        with self.lock:
            self.svtrid += 1
            return "SV-%06d" % self.svtrid


def keytag(rdata):
    acc = 0
    for i, b in enumerate(rdata):
        acc += b if i & 1 else b << 8
    acc += (acc >> 16) & 0xFFFF
    return acc & 0xFFFF


def wire_name(name):
    out = b""
    for label in name.rstrip(".").lower().split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def key_ds(name, key):
    flags, proto, alg, b64 = key
    rdata = struct.pack("!HBB", flags, proto, alg) + base64.b64decode(b64)
    dig = hashlib.sha256(wire_name(name) + rdata).hexdigest().upper()
    return (keytag(rdata), alg, 2, dig)


class Session:
    def __init__(self, reg, conn, peer):
        self.reg = reg
        self.conn = conn
        self.peer = peer
        self.clid = None
        self.exts = []
        self.counted = False

    # ---- framing ----
    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.conn.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def read_frame(self):
        hdr = self.recv_exact(4)
        if hdr is None:
            return None
        (total,) = struct.unpack("!I", hdr)
        if total <= 4 or total > FRAME_MAX:
            self.reg.log("BADFRAME length=%d" % total)
            return None
        return self.recv_exact(total - 4)

    def send(self, xml):
        data = xml.encode()
        # every answer must itself follow the schemas
        doc = etree.fromstring(data)
        if not self.reg.schema.validate(doc):
            self.reg.log("SERVER-INVALID %s" % self.reg.schema.error_log.last_error)
        self.conn.sendall(struct.pack("!I", len(data) + 4) + data)

    # ---- documents ----
    def greeting(self):
        ext = "".join("<extURI>%s</extURI>" % (NS_S11 if v == "1.1" else NS_S10)
                      for v in self.reg.secdns)
        now = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.0Z")
        return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
                '<epp xmlns="%s"><greeting><svID>dsreg test registry</svID>'
                '<svDate>%s</svDate><svcMenu><version>1.0</version>'
                '<lang>en</lang><objURI>%s</objURI><objURI>%s</objURI>%s'
                '</svcMenu><dcp><access><all/></access><statement>'
                '<purpose><admin/><prov/></purpose><recipient><ours/>'
                '</recipient><retention><stated/></retention></statement>'
                '</dcp></greeting></epp>'
                % (NS_EPP, now, NS_DOM, NS_HOST,
                   "<svcExtension>%s</svcExtension>" % ext if ext else ""))

    def response(self, code, cltrid, resdata="", ext="", reason=None, msg=None):
        extval = ""
        if reason:
            extval = ("<extValue><value><text>dsreg</text></value>"
                      "<reason>%s</reason></extValue>" % esc(reason))
        tr = "<clTRID>%s</clTRID>" % esc(cltrid) if cltrid else ""
        return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
                '<epp xmlns="%s"><response><result code="%d"><msg>%s</msg>%s'
                '</result>%s%s<trID>%s<svTRID>%s</svTRID></trID></response>'
                '</epp>' % (NS_EPP, code, esc(msg or MSGS[code]), extval,
                            "<resData>%s</resData>" % resdata if resdata else "",
                            "<extension>%s</extension>" % ext if ext else "",
                            tr, self.reg.next_svtrid()))

    # ---- main loop ----
    def run(self):
        reg = self.reg
        with reg.lock:
            reg.sessions += 1
            self.counted = True
            over = reg.args.max_sessions and reg.sessions > reg.args.max_sessions
        self.over_limit = over
        reg.log("CONNECT sessions=%d" % reg.sessions)
        fault = reg.take_fault("greeting", ("close-after-greeting",
                                            "drip-greeting"))
        if fault == "drip-greeting":
            reg.log("FAULT drip-greeting")
            data = self.greeting().encode()
            data = struct.pack("!I", len(data) + 4) + data
            for i in range(0, len(data), 2):
                self.conn.sendall(data[i:i + 2])
                time.sleep(1)
            return
        self.send(self.greeting())
        if fault == "close-after-greeting":
            reg.log("FAULT close-after-greeting")
            return
        while True:
            data = self.read_frame()
            if data is None:
                reg.log("CLOSED %s" % (self.clid or "-"))
                return
            if not self.handle(data):
                return

    def finish(self):
        if self.counted:
            with self.reg.lock:
                self.reg.sessions -= 1

    def handle(self, data):
        reg = self.reg
        parser = etree.XMLParser(resolve_entities=False, no_network=True,
                                 load_dtd=False)
        try:
            doc = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as e:
            reg.log("INVALID not well-formed: %s" % e)
            self.send(self.response(2001, None, reason="not well-formed"))
            return True
        if not reg.schema.validate(doc):
            err = reg.schema.error_log.last_error
            reg.log("INVALID %s" % err)
            self.send(self.response(2001, None, reason=str(err.message)[:200]))
            return True
        root = doc
        if root.find("{%s}hello" % NS_EPP) is not None:
            reg.log("HELLO")
            self.send(self.greeting())
            return True
        cmd = root.find("{%s}command" % NS_EPP)
        if cmd is None:
            self.send(self.response(2001, None, reason="no command"))
            return True
        cltrid = cmd.findtext("{%s}clTRID" % NS_EPP)
        verb = cmd[0]
        name = etree.QName(verb).localname
        if name == "login":
            return self.login(verb, cltrid)
        if name == "logout":
            reg.log("LOGOUT %s" % self.clid)
            self.send(self.response(1500, cltrid))
            return False
        if self.clid is None:
            self.send(self.response(2002, cltrid, reason="not logged in"))
            return True
        kind = {"info": "info", "update": "update"}.get(name)
        if kind is None:
            self.send(self.response(2307 if name in ("create", "delete")
                                    else 2002, cltrid))
            return True
        fault = reg.take_fault(kind, ("2400", "2500", "drop", "garbage",
                                      "wrong-cltrid"))
        if reg.args.slow:
            time.sleep(reg.args.slow)
        if fault == "drop":
            reg.log("FAULT drop %s" % kind)
            return False
        if fault == "garbage":
            reg.log("FAULT garbage %s" % kind)
            body = self.response(1000, cltrid).encode()
            self.conn.sendall(body)   # no RFC 5734 length header
            return False
        if fault == "wrong-cltrid":
            reg.log("FAULT wrong-cltrid %s" % kind)
            self.send(self.response(1000, "STALE-0001"))
            return True
        if fault in ("2400", "2500"):
            reg.log("FAULT %s %s" % (fault, kind))
            self.send(self.response(int(fault), cltrid))
            return fault != "2500"
        ext = cmd.find("{%s}extension" % NS_EPP)
        for child in (ext if ext is not None else []):
            ns = etree.QName(child).namespace
            if ns not in self.exts:
                reg.log("UNANNOUNCED %s" % ns)
                self.send(self.response(2103, cltrid,
                                        reason="extension %s not announced at login" % ns))
                return True
        dom = verb.find("{%s}%s" % (NS_DOM, name))
        if dom is None:
            self.send(self.response(2307, cltrid))
            return True
        dname = dom.findtext("{%s}name" % NS_DOM).strip().lower().rstrip(".")
        if kind == "info":
            return self.info(dname, cltrid)
        return self.update(dname, ext, cltrid)

    def login(self, verb, cltrid):
        reg = self.reg
        clid = verb.findtext("{%s}clID" % NS_EPP)
        pw = verb.findtext("{%s}pw" % NS_EPP)
        svcs = verb.find("{%s}svcs" % NS_EPP)
        objs = [e.text for e in svcs.findall("{%s}objURI" % NS_EPP)]
        exts = [e.text for e in svcs.iter("{%s}extURI" % NS_EPP)]
        reg.log("LOGIN %s objURIs=%s extURIs=%s" % (clid, ",".join(objs),
                                                   ",".join(exts)))
        fault = reg.take_fault("login", ("echo-pw", "stall-login"))
        if fault == "stall-login":
            reg.log("FAULT stall-login %s" % clid)
            time.sleep(120)
            return False
        if fault == "echo-pw":
            reg.log("FAULT echo-pw %s" % clid)
            self.send(self.response(2200, cltrid,
                                    msg="Authentication error: password %s "
                                        "is not valid for %s" % (pw, clid),
                                    reason="wrong password: %s" % pw))
            return True
        if self.over_limit:
            reg.log("SESSION-LIMIT %s" % clid)
            self.send(self.response(2502, cltrid))
            return False
        if reg.registrars.get(clid) != pw:
            self.send(self.response(2200, cltrid))
            return True
        offered = [NS_S11 if v == "1.1" else NS_S10 for v in reg.secdns]
        bad = [e for e in exts if e not in offered]
        if bad:
            self.send(self.response(2103, cltrid, reason="not offered: " + " ".join(bad)))
            return True
        self.clid = clid
        self.exts = exts
        self.send(self.response(1000, cltrid))
        return True

    def secdns_ns(self):
        if NS_S11 in self.exts:
            return NS_S11
        if NS_S10 in self.exts:
            return NS_S10
        return None

    def info(self, name, cltrid):
        reg = self.reg
        with reg.lock:
            d = reg.domains.get(name)
            d = dict(d, ds=list(d["ds"]), keys=list(d["keys"])) if d else None
        if d is None:
            reg.log("INFO %s -> 2303" % name)
            self.send(self.response(2303, cltrid))
            return True
        st = "".join('<domain:status s="%s"/>' % s for s in d["statuses"])
        ns = "".join("<domain:hostObj>%s</domain:hostObj>" % h for h in d["ns"])
        auth = ""
        if d["sponsor"] == self.clid:
            auth = ("<domain:authInfo><domain:pw>%s</domain:pw>"
                    "</domain:authInfo>" % d["authpw"])
        res = ('<domain:infData xmlns:domain="%s"><domain:name>%s</domain:name>'
               '<domain:roid>%s</domain:roid>%s<domain:ns>%s</domain:ns>'
               '<domain:clID>%s</domain:clID>%s</domain:infData>'
               % (NS_DOM, name, d["roid"], st, ns, d["sponsor"], auth))
        ext = ""
        sns = self.secdns_ns()
        if sns and (d["ds"] or d["keys"]):
            ext = '<secDNS:infData xmlns:secDNS="%s">' % sns
            if sns == NS_S11:
                if d["maxSigLife"]:
                    ext += "<secDNS:maxSigLife>%d</secDNS:maxSigLife>" % d["maxSigLife"]
                if reg.args.interface == "key":
                    ext += "".join(self.key_xml(k) for k in d["keys"])
                else:
                    ext += "".join(self.ds_xml(x) for x in d["ds"])
            else:
                ext += "".join(self.ds_xml(x, d["maxSigLife"]) for x in d["ds"])
            ext += "</secDNS:infData>"
        reg.log("INFO %s -> 1000" % name)
        self.send(self.response(1000, cltrid, res, ext))
        return True

    @staticmethod
    def ds_xml(x, life=0):
        return ("<secDNS:dsData><secDNS:keyTag>%d</secDNS:keyTag><secDNS:alg>%d"
                "</secDNS:alg><secDNS:digestType>%d</secDNS:digestType>"
                "<secDNS:digest>%s</secDNS:digest>%s</secDNS:dsData>"
                % (x[0], x[1], x[2], x[3],
                   "<secDNS:maxSigLife>%d</secDNS:maxSigLife>" % life if life else ""))

    @staticmethod
    def key_xml(k):
        return ("<secDNS:keyData><secDNS:flags>%d</secDNS:flags><secDNS:protocol>%d"
                "</secDNS:protocol><secDNS:alg>%d</secDNS:alg><secDNS:pubKey>%s"
                "</secDNS:pubKey></secDNS:keyData>" % k)

    @staticmethod
    def parse_ds(e, ns):
        return (int(e.findtext("{%s}keyTag" % ns)), int(e.findtext("{%s}alg" % ns)),
                int(e.findtext("{%s}digestType" % ns)),
                e.findtext("{%s}digest" % ns).strip().upper())

    @staticmethod
    def parse_key(e, ns):
        return (int(e.findtext("{%s}flags" % ns)), int(e.findtext("{%s}protocol" % ns)),
                int(e.findtext("{%s}alg" % ns)),
                "".join(e.findtext("{%s}pubKey" % ns).split()))

    def update(self, name, ext, cltrid):
        reg = self.reg
        upd = None
        if ext is not None:
            upd = ext.find("{%s}update" % NS_S11)
            if upd is None:
                upd = ext.find("{%s}update" % NS_S10)
        with reg.lock:
            d = reg.domains.get(name)
            if d is None:
                code, reason = 2303, None
            elif d["sponsor"] != self.clid:
                code, reason = 2201, "domain is sponsored by another registrar"
            elif ("clientUpdateProhibited" in d["statuses"] or
                  "serverUpdateProhibited" in d["statuses"]):
                code, reason = 2304, "status %s" % " ".join(d["statuses"])
            elif upd is None:
                code, reason = 1000, None
            else:
                code, reason, summary = self.apply(d, upd)
                if code == 1000:
                    reg.log("UPDATE %s %s -> 1000" % (name, summary))
        if code != 1000 or upd is None:
            reg.log("UPDATE %s -> %d%s" % (name, code, " (%s)" % reason if reason else ""))
            self.send(self.response(code, cltrid, reason=reason))
            return True
        self.publish(name)
        if reg.take_fault("update", ("drop-after-update",)):
            reg.log("FAULT drop-after-update %s" % name)
            return False
        self.send(self.response(1000, cltrid))
        return True

    def apply(self, d, upd):
        ns = etree.QName(upd).namespace
        reg = self.reg
        ds, keys, life = list(d["ds"]), list(d["keys"]), d["maxSigLife"]
        q = lambda n: "{%s}%s" % (ns, n)
        if ns == NS_S11:
            keyif = reg.args.interface == "key"
            rem, add, chg = upd.find(q("rem")), upd.find(q("add")), upd.find(q("chg"))
            for part in (rem, add):
                if part is None:
                    continue
                if keyif and part.find(q("dsData")) is not None:
                    return 2306, "dsData not accepted: this registry uses the keyData interface (RFC 5910 section 4.2)", ""
                if not keyif and part.find(q("keyData")) is not None:
                    return 2306, "keyData not accepted: this registry uses the dsData interface (RFC 5910 section 4.1)", ""
            summary = []
            if rem is not None:
                if rem.findtext(q("all")) in ("true", "1"):
                    ds, keys = [], []
                    summary.append("rem=all")
                for e in rem.findall(q("dsData")):
                    x = self.parse_ds(e, ns)
                    ds = [y for y in ds if y != x]
                    summary.append("rem=%d/%d/%d" % x[:3])
                for e in rem.findall(q("keyData")):
                    k = self.parse_key(e, ns)
                    keys = [y for y in keys if y != k]
                    summary.append("remkey=%d" % key_ds("x", k)[0])
            if add is not None:
                for e in add.findall(q("dsData")):
                    x = self.parse_ds(e, ns)
                    if x not in ds:
                        ds.append(x)
                    summary.append("add=%d/%d/%d" % x[:3])
                for e in add.findall(q("keyData")):
                    k = self.parse_key(e, ns)
                    if k not in keys:
                        keys.append(k)
                    summary.append("addkey=%d" % key_ds("x", k)[0])
            if chg is not None and chg.findtext(q("maxSigLife")):
                life = int(chg.findtext(q("maxSigLife")))
                summary.append("maxSigLife=%d" % life)
        else:
            summary = []
            add, chg, rem = upd.find(q("add")), upd.find(q("chg")), upd.find(q("rem"))
            if add is not None:
                for e in add.findall(q("dsData")):
                    x = self.parse_ds(e, ns)
                    if x not in ds:
                        ds.append(x)
                    summary.append("add=%d/%d/%d" % x[:3])
            if chg is not None:
                ds = [self.parse_ds(e, ns) for e in chg.findall(q("dsData"))]
                summary.append("chg=" + ",".join("%d/%d/%d" % x[:3] for x in ds))
            if rem is not None:
                tags = [int(t.text) for t in rem.findall(q("keyTag"))]
                ds = [x for x in ds if x[0] not in tags]
                summary.append("remtag=" + ",".join(map(str, tags)))
        d["ds"], d["keys"], d["maxSigLife"] = ds, keys, life
        return 1000, None, " ".join(summary) or "no-op"

    def publish(self, name):
        args = self.reg.args
        if not args.publish_dir:
            return
        with self.reg.lock:
            d = self.reg.domains[name]
            recs = list(d["ds"]) + [key_ds(name, k) for k in d["keys"]]
        lines = "".join("%s. 3600 IN DS %d %d %d %s\n" % ((name,) + x) for x in recs)
        os.makedirs(args.publish_dir, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=args.publish_dir, prefix=".tmp-")
        with os.fdopen(fd, "w") as f:
            f.write(lines)
        os.rename(tmp, os.path.join(args.publish_dir, name + ".ds"))
        self.reg.log("PUBLISH %s %d" % (name, len(recs)))
        if args.publish_cmd:
            subprocess.run(args.publish_cmd, shell=True, check=False)


def serve_conn(reg, ctx, sock, peer):
    try:
        conn = ctx.wrap_socket(sock, server_side=True)
    except (ssl.SSLError, OSError) as e:
        reg.log("TLS-FAIL %s" % e)
        sock.close()
        return
    sess = Session(reg, conn, peer)
    try:
        sess.run()
    except (ssl.SSLError, OSError, BrokenPipeError) as e:
        reg.log("CONN-ERROR %s" % e)
    finally:
        sess.finish()
        try:
            conn.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.20.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--client-ca", required=True)
    p.add_argument("--schema", default=os.path.join(HERE, "..", "..", "fixtures", "epp", "all.xsd"))
    p.add_argument("--registrar", action="append", default=[])
    p.add_argument("--domain", action="append", default=[])
    p.add_argument("--ds", action="append", default=[])
    p.add_argument("--dnskey", action="append", default=[])
    p.add_argument("--secdns", default="1.1,1.0")
    p.add_argument("--interface", choices=["ds", "key"], default="ds")
    p.add_argument("--max-sessions", type=int, default=0)
    p.add_argument("--fault", action="append", default=[])
    p.add_argument("--slow", type=float, default=0)
    p.add_argument("--log")
    p.add_argument("--publish-dir")
    p.add_argument("--publish-cmd")
    args = p.parse_args()
    if not args.registrar:
        p.error("at least one --registrar CLID:PASSWORD")
    reg = Registry(args)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(args.client_ca)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.addr, args.port))
    srv.listen(64)
    print("READY %d" % srv.getsockname()[1], flush=True)
    while True:
        sock, peer = srv.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve_conn, args=(reg, ctx, sock, peer),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
