#!/usr/bin/python3
# tests/opensrs/emulator.py - HTTPS emulator of the Tucows OpenSRS XML API (XCP) for dsreg's tests
#
# Speaks what dsreg's tucows/ client uses: GET_DOMAINS_BY_EXPIREDATE (paged),
# GET DOMAIN type=status|dnssec, MODIFY DOMAIN data=status, SET_DNSSEC_INFO.
# Checks X-Username and X-Signature = md5hex(md5hex(body + key) + key).
#
# Usage:
#   emulator.py --addr 127.30.1.1 [--port 0] --cert CRT --key KEY --data DATA.json
#               [--faults FAULTS.json] [--log REQUESTS.jsonl] [--state STATE.json]
#               [--secrets-log FILE] [--page-base 0|1] [--strict-page]
#               [--stuck-paging] [--idle-timeout SECONDS]
#               [--publish-dir DIR] [--publish-cmd CMD]
# Prints "READY <addr> <port>" on stdout once it accepts connections.
#
# DATA.json:
#   {"resellers": {"alpha": {"key": "...", "subresellers": ["sub1"]}},
#    "domains": {"example.lab": {"owner": "alpha", "sub": null, "locked": true,
#                "expiredate": "2027-05-01 00:00:00",
#                "ds": [{"key_tag": 1, "algorithm": 13, "digest_type": 2, "digest": "AB.."}]}}}
#   A domain with "sub": "sub1" is only visible with as_subreseller=sub1.
#
# FAULTS.json (re-read whenever it changes; counters restart then): a list of
#   {"match": {"action": "MODIFY", "lock_state": "0", "domain": "x", "user": "u",
#              "type": "dnssec", "object": "DOMAIN"},
#    "fault": "raw" | "http500" | "code" | "hang" | "truncated" |
#             "close_after_apply" | "hang_after_apply" | "huge" | "slow" |
#             "down_after_apply" | "exit_after_apply",
#    "count": N (times it fires; absent: always), "code": 486, "text": "...",
#    "seconds": 30 (hang, slow, down_after_apply)}
#   raw: the XML reply with no HTTP status line (what OpenSRS sends to IPs not
#   on the allow-list); http500: HTTP 500; code: an XCP failure reply (nothing
#   applied); hang: read the request, say nothing for `seconds`, close;
#   truncated: HTTP 200 with half an XML document; close_after_apply: apply
#   the change, then close without replying; hang_after_apply: apply the
#   change, then say nothing for `seconds` and close (a client killed in that
#   window never learns the outcome); huge: a 100 MB reply body; slow: wait
#   `seconds`, then handle the request normally (a signal can land while a
#   change is in flight); down_after_apply: handle the request normally,
#   then answer every request with HTTP 500 for `seconds` (the service falls
#   over right after an unlock); exit_after_apply: handle the request,
#   reply, and exit (the service is gone until restarted; state is kept).
#
# Request log: one JSON object per request and line, written when the
# request is done: seq, t (arrival time), conn (connection number), user, subreseller, action, object, domain, type,
# lock_state, ds (for SET_DNSSEC_INFO), auth ("ok"/"bad"), fault, applied,
# code.  The secrets log lists every X-Signature received (so tests can
# assert that none leaks into the client's output).
#
# Locked domains refuse SET_DNSSEC_INFO with response_code 405 (registry
# error) and "Object status prohibits operation: domain is locked
# (clientUpdateProhibited)", as the registry's EPP 2304 comes back through
# OpenSRS.

import argparse
import hashlib
import http.server
import json
import os
import socketserver
import ssl
import subprocess
import sys
import threading
import time

from lxml import etree

DS_LEN = {1: 40, 2: 64, 4: 96}


class Store:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        with open(args.data) as f:
            data = json.load(f)
        self.resellers = data["resellers"]
        self.domains = data["domains"]
        for d in self.domains.values():
            d.setdefault("sub", None)
            d.setdefault("locked", False)
            d.setdefault("ds", [])
            d.setdefault("expiredate", "2027-01-01 00:00:00")
        self.seq = 0
        self.conns = 0
        self.faults = []
        self.faults_mtime = None
        self.fired = {}
        self.down_until = 0.0
        self.dump_state()

    # -- faults --------------------------------------------------------
    def reload_faults(self):
        path = self.args.faults
        if not path:
            return
        try:
            st = os.stat(path)
        except FileNotFoundError:
            self.faults, self.faults_mtime, self.fired = [], None, {}
            return
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        if key == self.faults_mtime:
            return
        with open(path) as f:
            text = f.read()
        self.faults = json.loads(text) if text.strip() else []
        self.faults_mtime = key
        self.fired = {}

    def pick_fault(self, info):
        self.reload_faults()
        for i, rule in enumerate(self.faults):
            m = rule.get("match", {})
            if all(str(info.get(k)) == str(v) for k, v in m.items()):
                n = rule.get("count")
                if n is not None and self.fired.get(i, 0) >= n:
                    continue
                self.fired[i] = self.fired.get(i, 0) + 1
                return rule
        return None

    # -- output files ----------------------------------------------------
    def dump_state(self):
        if not self.args.state or self.args.no_state:
            return
        tmp = self.args.state + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"domains": self.domains}, f, indent=1, sort_keys=True)
        os.replace(tmp, self.args.state)

    def log(self, entry):
        if not self.args.log:
            return
        with open(self.args.log, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def log_secret(self, sig):
        if self.args.secrets_log and sig:
            with open(self.args.secrets_log, "a") as f:
                f.write(sig + "\n")

    def publish(self, name, ds):
        if not self.args.publish_dir:
            return
        os.makedirs(self.args.publish_dir, exist_ok=True)
        owner = name.rstrip(".") + "."
        path = os.path.join(self.args.publish_dir, name.rstrip(".") + ".ds")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            for r in ds:
                f.write("%s 3600 IN DS %d %d %d %s\n" % (
                    owner, r["key_tag"], r["algorithm"], r["digest_type"],
                    r["digest"].upper()))
        os.replace(tmp, path)
        if self.args.publish_cmd:
            subprocess.run(self.args.publish_cmd, shell=True, check=False)


# -- XCP data model ------------------------------------------------------

def to_py(el):
    tag = el.tag
    if tag == "dt_assoc":
        return {it.get("key"): item_py(it) for it in el if it.tag == "item"}
    if tag == "dt_array":
        items = [(it.get("key"), item_py(it)) for it in el if it.tag == "item"]
        items.sort(key=lambda kv: int(kv[0]) if kv[0] and kv[0].isdigit() else 0)
        return [v for _, v in items]
    if tag == "dt_scalar":
        return el.text or ""
    raise ValueError("unexpected <%s>" % tag)


def item_py(it):
    kids = [c for c in it if isinstance(c.tag, str)]
    if kids:
        return to_py(kids[0])
    return it.text or ""


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def from_py(v, ind):
    sp = " " * ind
    if isinstance(v, dict):
        if not v:
            return sp + "<dt_assoc/>\n"
        out = sp + "<dt_assoc>\n"
        for k, x in v.items():
            out += item_xml(k, x, ind + 1)
        return out + sp + "</dt_assoc>\n"
    if isinstance(v, list):
        if not v:
            return sp + "<dt_array/>\n"
        out = sp + "<dt_array>\n"
        for i, x in enumerate(v):
            out += item_xml(str(i), x, ind + 1)
        return out + sp + "</dt_array>\n"
    return sp + "<dt_scalar>%s</dt_scalar>\n" % esc(v)


def item_xml(k, v, ind):
    sp = " " * ind
    if isinstance(v, (dict, list)):
        return '%s<item key="%s">\n%s%s</item>\n' % (sp, esc(k), from_py(v, ind + 1), sp)
    if v is None or v == "":
        return '%s<item key="%s"/>\n' % (sp, esc(k))
    return '%s<item key="%s">%s</item>\n' % (sp, esc(k), esc(v))


def envelope(data):
    return ("<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n"
            "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n"
            "<OPS_envelope>\n <header>\n  <version>0.9</version>\n </header>\n"
            " <body>\n  <data_block>\n" + from_py(data, 3) +
            "  </data_block>\n </body>\n</OPS_envelope>\n").encode()


def reply(code, text, attrs=None):
    ok = 200 <= code < 300
    d = {"protocol": "XCP", "action": "REPLY", "object": "DOMAIN",
         "is_success": "1" if ok else "0", "response_code": str(code),
         "response_text": text}
    if attrs is not None:
        d["attributes"] = attrs
    return envelope(d)


class Refuse(Exception):
    def __init__(self, code, text):
        super().__init__(text)
        self.code, self.text = code, text


def parse_request(body):
    parser = etree.XMLParser(resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False)
    root = etree.fromstring(body, parser)
    block = root.find("body/data_block")
    kids = [c for c in block if isinstance(c.tag, str)]
    return to_py(kids[0])


# -- actions --------------------------------------------------------------

class Api:
    def __init__(self, store):
        self.s = store

    def visible(self, user, sub):
        return {n: d for n, d in self.s.domains.items()
                if d["owner"] == user and d["sub"] == sub}

    def domain(self, user, sub, name):
        if not name:
            raise Refuse(460, "Missing field: domain")
        name = name.lower().rstrip(".")
        d = self.s.domains.get(name)
        if d is None:
            raise Refuse(480, "Domain %s not found" % name)
        if d["owner"] != user or d["sub"] != sub:
            raise Refuse(415, "Authentication Error: %s is not managed by "
                         "this reseller" % name)
        return name, d

    def handle(self, user, sub, req, info, apply_):
        action = str(req.get("action", "")).upper()
        obj = str(req.get("object", "")).upper()
        attrs = req.get("attributes") or {}
        if not isinstance(attrs, dict):
            attrs = {}
        if action == "GET_DOMAINS_BY_EXPIREDATE" and obj == "DOMAIN":
            return self.list(user, sub, attrs)
        if action == "GET" and obj == "DOMAIN":
            name, d = self.domain(user, sub, attrs.get("domain"))
            t = attrs.get("type")
            if t == "status":
                return 200, "Query Successful", {
                    "lock_state": "1" if d["locked"] else "0",
                    "can_modify": "1", "domain_supports": "1",
                    "parent_waiting": ""}
            if t == "dnssec":
                return 200, "Query Successful", {"dnssec": [
                    {"algorithm": str(r["algorithm"]), "key_tag": str(r["key_tag"]),
                     "digest_type": str(r["digest_type"]), "digest": r["digest"]}
                    for r in d["ds"]]}
            raise Refuse(465, "Invalid type: %s" % t)
        if action == "MODIFY" and obj == "DOMAIN":
            name, d = self.domain(user, sub, req.get("domain"))
            if attrs.get("data") != "status":
                raise Refuse(465, "Unsupported data: %s" % attrs.get("data"))
            ls = attrs.get("lock_state")
            if ls not in ("0", "1"):
                raise Refuse(465, "Invalid lock_state")
            apply_(lambda: d.__setitem__("locked", ls == "1"))
            return 200, "Domain %s %s" % (name, "locked" if ls == "1" else "unlocked"), None
        if action == "SET_DNSSEC_INFO" and obj == "DOMAIN":
            name, d = self.domain(user, sub, req.get("domain"))
            if "dnssec" not in attrs:
                raise Refuse(460, "Missing field: dnssec")
            arr = attrs["dnssec"]
            if arr == "":
                arr = []
            if not isinstance(arr, list):
                raise Refuse(465, "dnssec must be an array")
            new = []
            for r in arr:
                try:
                    rec = {"key_tag": int(r["key_tag"]), "algorithm": int(r["algorithm"]),
                           "digest_type": int(r["digest_type"]),
                           "digest": r["digest"].upper()}
                    int(rec["digest"], 16)
                except (KeyError, ValueError, TypeError, AttributeError):
                    raise Refuse(465, "Invalid DS data")
                if not 0 <= rec["key_tag"] <= 65535 or \
                        DS_LEN.get(rec["digest_type"]) != len(rec["digest"]):
                    raise Refuse(465, "Invalid DS data: digest length")
                new.append(rec)
            if d["locked"]:
                raise Refuse(405, "Object status prohibits operation: domain "
                             "is locked (clientUpdateProhibited)")

            def do():
                d["ds"] = new
                self.s.publish(name, new)
            apply_(do)
            return 200, "Command completed successfully", None
        raise Refuse(430, "Invalid command: %s %s" % (action, obj))

    def list(self, user, sub, attrs):
        lo = attrs.get("exp_from", "")
        hi = attrs.get("exp_to", "")
        if not lo or not hi:
            raise Refuse(460, "Missing field: exp_from/exp_to")
        try:
            limit = int(attrs.get("limit") or 40)
            page = int(attrs.get("page") or self.s.args.page_base)
        except ValueError:
            raise Refuse(465, "Invalid limit or page")
        base = self.s.args.page_base
        if page < base:
            if self.s.args.strict_page:
                raise Refuse(465, "Invalid page: %d" % page)
            page = base
        if self.s.args.stuck_paging:
            page = base
        names = sorted(n for n, d in self.visible(user, sub).items()
                       if lo <= d["expiredate"][:10] <= hi)
        start = (page - base) * limit
        chunk = names[start:start + limit]
        return 200, "Query Successful", {
            "exp_domains": [{"name": n, "expiredate": self.s.domains[n]["expiredate"],
                             "f_let_expire": "N", "f_auto_renew": ""}
                            for n in chunk],
            "page": str(page), "total": str(len(names)),
            "remainder": "1" if start + limit < len(names) else "0"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OpenSRS-emulator"

    def setup(self):
        super().setup()
        with self.server.store.lock:
            self.server.store.conns += 1
            self.conn_id = self.server.store.conns

    def log_message(self, fmt, *a):
        pass

    def send(self, status, body, ctype="text/xml"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        store = self.server.store
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            n = 0
        if n <= 0 or n > 1 << 20:
            self.send(411, b"length required\n", "text/plain")
            return
        body = self.rfile.read(n)
        user = self.headers.get("X-Username", "")
        sig = self.headers.get("X-Signature", "")
        entry = {"user": user, "auth": "bad", "fault": None, "applied": False,
                 "code": None, "t": round(time.time(), 3), "conn": self.conn_id}
        with store.lock:
            store.seq += 1
            entry["seq"] = store.seq
            store.log_secret(sig)
        r = store.resellers.get(user)
        if r is not None:
            key = r["key"].encode()
            inner = hashlib.md5(body + key).hexdigest().encode()
            if hashlib.md5(inner + key).hexdigest() == sig:
                entry["auth"] = "ok"
        try:
            req = parse_request(body)
        except Exception as e:  # noqa: BLE001 - any parse failure is a 400
            entry["code"] = 400
            store.log(entry)
            self.send(200, reply(400, "Invalid XML: %s" % e))
            return
        attrs = req.get("attributes") if isinstance(req.get("attributes"), dict) else {}
        sub = attrs.get("as_subreseller") or None
        entry.update({"subreseller": sub, "action": req.get("action"),
                      "object": req.get("object"),
                      "domain": req.get("domain") or attrs.get("domain"),
                      "type": attrs.get("type"), "lock_state": attrs.get("lock_state")})
        if str(req.get("action", "")).upper() == "SET_DNSSEC_INFO":
            ds = attrs.get("dnssec")
            entry["ds"] = ["%s %s %s %s" % (x.get("key_tag"), x.get("algorithm"),
                                            x.get("digest_type"), x.get("digest"))
                           for x in ds if isinstance(x, dict)] if isinstance(ds, list) else []
        with store.lock:
            down = time.time() < store.down_until
            rule = None if down else store.pick_fault(entry)
        fault = "down" if down else rule.get("fault") if rule else None
        entry["fault"] = fault
        if fault == "down":
            store.log(entry)
            self.send(500, b"<html><body>Service Unavailable</body></html>\n",
                      "text/html")
            return
        if fault == "slow":
            time.sleep(float(rule.get("seconds", 3)))
        if fault == "hang":
            store.log(entry)
            time.sleep(float(rule.get("seconds", 30)))
            self.close_connection = True
            return
        if fault == "http500":
            store.log(entry)
            self.send(500, b"<html><body>Internal Server Error</body></html>\n",
                      "text/html")
            return
        if fault == "code":
            entry["code"] = int(rule.get("code", 486))
            store.log(entry)
            self.send(200, reply(entry["code"], rule.get("text", "Fault injected")))
            return
        if fault == "huge":
            store.log(entry)
            self.send_huge()
            return
        code, text, rattrs = 200, "", None
        with store.lock:
            try:
                if entry["auth"] != "ok":
                    raise Refuse(410, "Authentication Error: bad username or signature")
                if sub is not None and sub not in r.get("subresellers", []):
                    raise Refuse(435, "Permission denied: %s is not your "
                                 "sub-reseller" % sub)

                def apply_(fn):
                    fn()
                    entry["applied"] = True
                    store.dump_state()
                code, text, rattrs = Api(store).handle(user, sub, req, entry, apply_)
            except Refuse as e:
                code, text = e.code, e.text
        if fault == "close_after_apply":
            store.log(entry)
            self.close_connection = True
            return
        if fault == "hang_after_apply":
            store.log(entry)
            time.sleep(float(rule.get("seconds", 30)))
            self.close_connection = True
            return
        entry["code"] = code
        store.log(entry)
        out = reply(code, text, rattrs)
        if fault == "down_after_apply":
            with store.lock:
                store.down_until = time.time() + float(rule.get("seconds", 3))
        if fault == "exit_after_apply":
            self.send(200, out)
            self.wfile.flush()
            os._exit(0)
        if fault == "raw":
            self.wfile.write(out)
            self.wfile.flush()
            self.close_connection = True
            return
        if fault == "truncated":
            out = out[:len(out) // 2]
        self.send(200, out)

    def send_huge(self):
        total = 100 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        chunk = b"<!-- " + b"x" * (65536 - 9) + b" -->"
        sent = 0
        try:
            while sent < total:
                part = chunk[:min(len(chunk), total - sent)]
                self.wfile.write(part)
                sent += len(part)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up are part of the tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--faults")
    ap.add_argument("--log")
    ap.add_argument("--state")
    ap.add_argument("--secrets-log")
    ap.add_argument("--idle-timeout", type=float,
                    help="close a keep-alive connection idle this many seconds")
    ap.add_argument("--no-state", action="store_true",
                    help="do not write --state (benchmarks with many domains)")
    ap.add_argument("--page-base", type=int, choices=(0, 1), default=1)
    ap.add_argument("--strict-page", action="store_true",
                    help="refuse a page below --page-base (465) instead of clamping")
    ap.add_argument("--stuck-paging", action="store_true",
                    help="broken server: always the first page, remainder=1")
    ap.add_argument("--publish-dir")
    ap.add_argument("--publish-cmd")
    args = ap.parse_args()
    if args.idle_timeout:
        Handler.timeout = args.idle_timeout  # close idle keep-alive connections
    srv = Server((args.addr, args.port), Handler)
    srv.store = Store(args)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("READY %s %d" % (args.addr, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
