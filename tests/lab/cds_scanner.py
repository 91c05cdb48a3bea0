#!/usr/bin/env python3
# tests/lab/cds_scanner.py - a registry's CDS scanner for the lab (RFC 7344,
# RFC 8078, RFC 9615): reads CDS at every child server, checks them, and
# publishes the DS in the parent zone through `tests/lab/lab publish`.
#
#   cds_scanner.py LABDIR DOMAIN...
#
# Per domain, as a parent that scans would (every refusal names the rule):
#   - CDS at every child server (dig +norec +dnssec), the same everywhere
#     (RFC 7344 §4.1), not empty;
#   - the DNSKEY RRset signed by one of its KSKs, and the CDS RRset signed by
#     a key that signs the DNSKEY RRset (RRSIGs checked here with openssl,
#     ECDSA P-256 and P-384 only: the lab's algorithms);
#   - every CDS refers to a DNSKEY the child serves (continuity);
#   - with DS at the parent: the CDS signer is a key a DS refers to (RFC 7344
#     §4.1); without DS (bootstrapping, RFC 9615 §4.1): under every NS of the
#     delegation, _dsboot.<child>._signal.<NS> CDS exists, is validated by the
#     lab's resolver (AD bit: a chain of trust) and equals the apex CDS.
# A line per domain on stdout: "scanner: D: published N DS" or
# "scanner: D: refused: WHY".  Exit 0 when every domain was published, 1 if
# one was refused, 2 on usage errors.
import base64
import calendar
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"DNSKEY": 48, "CDS": 59, "CDNSKEY": 60, "DS": 43}


class Refuse(Exception):
    pass


def wire(name):
    name = name.lower().rstrip(".")
    out = b""
    if name:
        for label in name.split("."):
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dig(addr, name, qtype, rec=False):
    """(rcode, flags, answer records as token lists)."""
    cmd = ["dig", "+dnssec", "+time=2", "+tries=2", "+noall", "+comments", "+answer",
           "+nosplit", "+nottlunits", "@" + addr, name, qtype]
    if not rec:
        cmd.insert(1, "+norec")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    rcode, flags, rrs = None, [], []
    for line in out.splitlines():
        if "status:" in line:
            rcode = line.split("status:")[1].split(",")[0].strip()
        elif line.startswith(";; flags:"):
            flags = line.split(":")[1].split(";")[0].split()
        elif line and not line.startswith(";"):
            rrs.append(line.split())
    return rcode, flags, rrs


def rdata(tok):
    """Wire RDATA of a DS/CDS or DNSKEY/CDNSKEY record in dig's form."""
    t = tok[3]
    if t in ("DS", "CDS"):
        return int(tok[4]).to_bytes(2, "big") + bytes([int(tok[5]), int(tok[6])]) + \
            bytes.fromhex("".join(tok[7:]))
    return int(tok[4]).to_bytes(2, "big") + bytes([int(tok[5]), int(tok[6])]) + \
        base64.b64decode("".join(tok[7:]))


def key_tag(rd):
    s = 0
    for i, b in enumerate(rd):
        s += b if i & 1 else b << 8
    return (s + (s >> 16)) & 0xFFFF


def ds_of(owner, key_rd, dt):
    h = {1: hashlib.sha1, 2: hashlib.sha256, 4: hashlib.sha384}[dt]
    return key_tag(key_rd).to_bytes(2, "big") + bytes([key_rd[3], dt]) + \
        h(wire(owner) + key_rd).digest()


def when(t):
    return calendar.timegm((int(t[0:4]), int(t[4:6]), int(t[6:8]), int(t[8:10]),
                            int(t[10:12]), int(t[12:14])))


def verify(rrset, sig, key_rd):
    """Does the RRSIG (token list) over rrset (token lists) validate with the key?"""
    tcov, alg, labels, ottl = sig[4], int(sig[5]), int(sig[6]), int(sig[7])
    exp, inc, tag, signer = when(sig[8]), when(sig[9]), int(sig[10]), sig[11]
    sigb = base64.b64decode("".join(sig[12:]))
    if key_tag(key_rd) != tag or key_rd[3] != alg or alg not in (13, 14):
        return False
    half, md, curve = (32, "-sha256", "prime256v1") if alg == 13 else (48, "-sha384", "secp384r1")
    data = TYPES[tcov].to_bytes(2, "big") + bytes([alg, labels]) + ottl.to_bytes(4, "big") + \
        exp.to_bytes(4, "big") + inc.to_bytes(4, "big") + tag.to_bytes(2, "big") + wire(signer)
    for rd in sorted(rdata(r) for r in rrset):
        data += wire(rrset[0][0]) + TYPES[tcov].to_bytes(2, "big") + b"\0\1" + \
            ottl.to_bytes(4, "big") + len(rd).to_bytes(2, "big") + rd
    pub = key_rd[4:]
    prefix = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200" if alg == 13 else
                           "3076301006072a8648ce3d020106052b81040022036200")
    der_pub = prefix + b"\4" + pub

    def der_int(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return b"\2" + bytes([len(b)]) + b
    body = der_int(sigb[:half]) + der_int(sigb[half:])
    der_sig = b"\x30" + bytes([len(body)]) + body
    with tempfile.TemporaryDirectory() as d:
        pem = os.path.join(d, "k.pem")
        with open(pem, "w") as f:
            f.write("-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" %
                    base64.b64encode(der_pub).decode())
        for fn, b in (("s.der", der_sig), ("d.bin", data)):
            with open(os.path.join(d, fn), "wb") as f:
                f.write(b)
        r = subprocess.run(["openssl", "dgst", md, "-verify", pem, "-signature",
                            os.path.join(d, "s.der"), os.path.join(d, "d.bin")],
                           capture_output=True, text=True)
        return r.returncode == 0 and "Verified OK" in r.stdout


def split(rrs, t):
    return [r for r in rrs if r[3] == t], [r for r in rrs if r[3] == "RRSIG" and r[4] == t]


def scan(m, dom):
    d = next((x for x in m["domains"] if x["name"] == dom), None)
    if d is None:
        raise Refuse("not a domain of this lab")
    cds_at, signer = {}, None
    for srv, addr in sorted(d["servers"].items()):
        rc, _, rrs = dig(addr, dom, "CDS")
        rc2, _, krrs = dig(addr, dom, "DNSKEY")
        if rc != "NOERROR" or rc2 != "NOERROR":
            raise Refuse("child server %s (%s): CDS %s, DNSKEY %s" % (srv, addr, rc, rc2))
        cds, cds_sigs = split(rrs, "CDS")
        keys, key_sigs = split(krrs, "DNSKEY")
        cds_at[srv] = sorted(rdata(r) for r in cds)
        if not cds:
            raise Refuse("child server %s (%s): no CDS" % (srv, addr))
        krd = [rdata(k) for k in keys]
        signing = [k for k in krd if k[1] & 1 and any(verify(keys, s, k) for s in key_sigs)]
        if not signing:
            raise Refuse("child server %s (%s): no KSK signs the DNSKEY RRset" % (srv, addr))
        by = [k for k in signing if any(verify(cds, s, k) for s in cds_sigs)]
        if not by:
            raise Refuse("child server %s (%s): CDS not signed by a key that signs the "
                         "DNSKEY RRset (RFC 7344 §4.1)" % (srv, addr))
        signer = by
        for c in cds_at[srv]:
            if not any(ds_of(dom, k, c[3]) == c for k in krd if k[3] == c[2]):
                raise Refuse("child server %s (%s): CDS %d matches no DNSKEY it serves "
                             "(RFC 7344 §4.1)" % (srv, addr, int.from_bytes(c[:2], "big")))
        cds_tokens = cds
    first = next(iter(cds_at.values()))
    for srv, v in cds_at.items():
        if v != first:
            raise Refuse("child server %s: CDS differs from the other servers (RFC 7344 §4.1: "
                         "the same at every server)" % srv)
    paddr = next(iter(d["parent_servers"].values()))
    _, _, prrs = dig(paddr, dom, "DS")
    ds_now = [rdata(r) for r in prrs if r[3] == "DS"]
    if ds_now:
        if not any(ds_of(dom, k, x[3]) == x for k in signer for x in ds_now):
            raise Refuse("CDS signed by no key a DS refers to (RFC 7344 §4.1)")
    else:
        for ns in d["ns"]:
            name = "_dsboot.%s_signal.%s" % (dom, ns)
            rc, flags, rrs = dig(m["resolver"], name, "CDS", rec=True)
            sig = sorted(rdata(r) for r in rrs if r[3] == "CDS")
            if rc != "NOERROR" or not sig:
                raise Refuse("%s: missing (RFC 9615 §4.1)" % name)
            if "ad" not in flags:
                raise Refuse("%s: not validated (RFC 9615 §4.1)" % name)
            if sig != first:
                raise Refuse("%s: differs from the CDS at the apex (RFC 9615 §4.1)" % name)
    lines = []
    for r in cds_tokens:
        if r[4] == "0" and r[5] == "0":
            continue                    # the delete signal: no DS
        lines.append("%s 300 IN DS %s %s %s %s" % (dom, r[4], r[5], r[6], "".join(r[7:]).upper()))
    with open(os.path.join(m["publish_dir"], dom.rstrip(".") + ".ds"), "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([os.path.join(HERE, "lab"), "publish", os.path.dirname(m["publish_dir"])],
                   check=True, capture_output=True)
    return len(lines)


def main(argv):
    if len(argv) < 3:
        print("usage: cds_scanner.py LABDIR DOMAIN...", file=sys.stderr)
        return 2
    with open(os.path.join(argv[1], "manifest.json")) as f:
        m = json.load(f)
    bad = 0
    for dom in argv[2:]:
        dom = dom.lower().rstrip(".") + "."
        try:
            n = scan(m, dom)
            print("scanner: %s: published %d DS" % (dom, n))
        except Refuse as e:
            print("scanner: %s: refused: %s" % (dom, e))
            bad = 1
        sys.stdout.flush()
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
