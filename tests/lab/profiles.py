# tests/lab/profiles.py - zone specs of the DNS lab profiles (functional, scale, demo)
#
# A profile is data: the servers, the infrastructure zones and a list of zone
# specs.  tests/lab/lab turns it into keys, signed zone files, running servers
# and manifest.json.  Zone spec fields:
#   name, parent (None for the root), ns [names]
#   keys [{id, alg, ksk, served, signs, store, retired, only_on, share}]
#       served: DNSKEY published by the child (default yes)
#       signs: signs with it (default yes; KSKs sign only DNSKEY/CDS/CDNSKEY)
#       store: K-files copied to the operator's key store LABDIR/keys
#       retired: key-store metadata says Inactive/Delete in the past
#       only_on: served only by these servers (inconsistent child)
#       share: one key pair reused by every zone with the same share name
#   ds_spec [(key id, digest type) | {key, digest, alg} | "raw DS text"]
#   ds_spec_by_server {parent server: ds_spec} (inconsistent parent)
#   cds None | "keys" | "delete"   (RFC 8078 delete: CDS 0 0 0 00, CDNSKEY 0 3 0 AA==)
#   sign "normal" | "expired";  signer "bind" (dnssec-signzone) | "ldns"
#   nsec3: sign with NSEC3 (no salt, 0 iterations, no opt-out) instead of NSEC
#   parent_break {server, what}: that parent server serves a broken signature
#       for this delegation: "ds-expired" (RRSIG over the DS expired 2020-02-01),
#       "ds-bogus" (RRSIG over the DS with flipped bits), "nsec3-bogus" (the RRSIG
#       over the NSEC3 that proves there is no DS has flipped bits)
#   serve: False = the named servers do not load the zone (lame)
#   store: the zone's keys go to the key store; store_flat: at its top level
#   verdict, verdict_without_keys, verdict_without_our_ns, findings, notes
# findings are substrings; "{ID}" is replaced by the tag of key ID, "{net}" by 127.N.

OUR = ["ns1.provider.labnet.", "ns2.provider.labnet."]


def key(kid, alg=13, ksk=False, **kw):
    k = {"id": kid, "alg": alg, "ksk": ksk}
    k.update(kw)
    return k


def ksk(kid="ksk", alg=13, **kw):
    return key(kid, alg, True, **kw)


def zsk(kid="zsk", alg=13, **kw):
    return key(kid, alg, False, **kw)


def infra(net):
    def a(x):
        return "%s.%s" % (net, x)
    servers = [
        {"name": "a.root.lab.", "addr": a("0.11"), "kind": "nsd", "role": "root"},
        {"name": "b.root.lab.", "addr": a("0.12"), "kind": "knot", "role": "root"},
        {"name": "ns1.nic.lab.", "addr": a("1.1"), "kind": "nsd", "role": "tld lab."},
        {"name": "ns2.nic.lab.", "addr": a("1.2"), "kind": "knot", "role": "tld lab."},
        {"name": "ns.nic.labnet.", "addr": a("1.3"), "kind": "nsd", "role": "tld labnet."},
        {"name": "ns1.co.lab.", "addr": a("2.1"), "kind": "nsd", "role": "second-level co.lab."},
        {"name": "ns1.provider.labnet.", "addr": a("3.1"), "kind": "nsd", "role": "provider"},
        {"name": "ns2.provider.labnet.", "addr": a("3.2"), "kind": "knot", "role": "provider"},
        {"name": "ns1.otherdns.labnet.", "addr": a("4.1"), "kind": "nsd", "role": "foreign"},
        {"name": "ns9.provider.labnet.", "addr": a("5.1"), "kind": "blackhole",
         "role": "drops every query"},
    ]

    def z(name, parent, ns):
        return {"name": name, "parent": parent, "ns": ns, "keys": [ksk(), zsk()],
                "ds_spec": [("ksk", 2)] if parent is not None else [], "store": False}
    zones = [
        z(".", None, ["a.root.lab.", "b.root.lab."]),
        z("lab.", ".", ["ns1.nic.lab.", "ns2.nic.lab."]),
        z("labnet.", ".", ["ns.nic.labnet."]),
        z("co.lab.", "lab.", ["ns1.co.lab."]),
        z("provider.labnet.", "labnet.", OUR),
        z("otherdns.labnet.", "labnet.", ["ns1.otherdns.labnet."]),
    ]
    return {"servers": servers, "zones": zones, "names": {"ns.glue.lab.": a("3.2")},
            "resolver": a("0.1"), "our_ns": OUR, "tlds": ["lab.", "labnet."]}


def cust(name, verdict, keys=None, ds=None, **kw):
    z = {"name": name, "parent": "lab.", "ns": OUR, "verdict": verdict, "store": True,
         "keys": [ksk(), zsk()] if keys is None else keys,
         "ds_spec": [("ksk", 2)] if ds is None else ds,
         "findings": []}
    z.update(kw)
    return z


# A second-level parent signed with NSEC3, served under its own names by two
# existing server processes (no process more to start): ns1.n3.lab. is the NSD
# of ns1.co.lab., ns2.n3.lab. the NSD of ns.nic.labnet.
N3_NAMES = {"ns1.n3.lab.": "2.1", "ns2.n3.lab.": "1.3"}
N3_PARENT = {"name": "n3.lab.", "parent": "lab.", "ns": sorted(N3_NAMES),
             "keys": [ksk(), zsk()], "ds_spec": [("ksk", 2)], "store": False, "nsec3": True}


def functional():
    return [
        cust("ok-alg13.lab.", "ok", store_flat=True,
             notes="KSK+ZSK ECDSAP256SHA256, DS SHA-256; K-files at the top of the key store"),
        cust("ok-alg8.lab.", "ok", keys=[ksk(alg=8), zsk(alg=8)], algorithm=8,
             notes="RSASHA256 2048-bit"),
        cust("ok-alg14.lab.", "ok", keys=[ksk(alg=14), zsk(alg=14)], algorithm=14,
             notes="ECDSAP384SHA384"),
        cust("ok-alg15.lab.", "ok", keys=[ksk(alg=15), zsk(alg=15)], algorithm=15,
             notes="ED25519"),
        cust("ok-alg16.lab.", "ok", keys=[ksk(alg=16), zsk(alg=16)], algorithm=16,
             notes="ED448"),
        cust("ok-sha384.lab.", "ok", ds=[("ksk", 4)], notes="only a SHA-384 DS (digest type 4)"),
        cust("ok-csk.lab.", "ok", keys=[ksk("csk")], ds=[("csk", 2)],
             notes="single CSK (flags 257) signs everything"),
        cust("ok-cds.lab.", "ok", cds="keys",
             notes="publishes CDS/CDNSKEY for its KSK, which the DS matches"),
        cust("roll-both.lab.", "ok", keys=[ksk(), ksk("ksk2"), zsk()], ds=[("ksk", 2), ("ksk2", 2)],
             notes="KSK rollover: two KSKs served, both sign the DNSKEY RRset, DS for both"),
        cust("roll-one.lab.", "incomplete", keys=[ksk(), ksk("ksk2"), zsk()], ds=[("ksk", 2)],
             findings=["{ksk2}"],
             notes="KSK rollover: two KSKs served and signing, DS only for the first"),
        cust("keystore-extra.lab.", "incomplete", verdict_without_keys="ok",
             keys=[ksk(), zsk(), ksk("ksknext", served=False)], findings=["{ksknext}"],
             notes="key store holds a second active KSK that is not served and has no DS"),
        cust("keystore-retired.lab.", "ok",
             keys=[ksk(), zsk(), ksk("retired", served=False, retired=True)],
             notes="key store also holds a retired KSK (Inactive/Delete in the past): not expected"),
        cust("sub.co.lab.", "ok", parent="co.lab.",
             notes="parent is the second-level zone co.lab. (one server, ns1.co.lab.)"),
        cust("glue.lab.", "ok", ns=["ns1.provider.labnet.", "ns.glue.lab."],
             notes="in-bailiwick NS ns.glue.lab. with glue (address of ns2.provider.labnet.)"),
        cust("missing.lab.", "missing", ds=[], findings=["{ksk}"],
             notes="signed, no DS at the parent, no delete signal"),
        cust("unsigned.lab.", "unsigned", keys=[], ds=[], store=False,
             notes="no DNSKEY, no DS"),
        cust("unsigned-cds.lab.", "unsigned", ds=[], cds="delete",
             notes="signed, no DS, publishes CDS/CDNSKEY delete: insecure by request"),
        cust("delete.lab.", "delete-requested", cds="delete", findings=["{ksk}"],
             notes="DS present, child publishes CDS 0 0 0 00 and CDNSKEY 0 3 0 AA=="),
        cust("stale.lab.", "stale", keys=[ksk(), zsk(), ksk("gone", served=False, store=False)],
             ds=[("ksk", 2), ("gone", 2)], findings=["{gone}"],
             notes="a second DS for a key the child no longer serves"),
        cust("sha1.lab.", "deprecated-digest", ds=[("ksk", 1), ("ksk", 2)], findings=["{ksk}"],
             notes="SHA-256 and SHA-1 DS for the same KSK"),
        cust("broken-zsk.lab.", "broken", ds=[("zsk", 2)], findings=["{zsk}"],
             notes="only DS is for the ZSK, which does not sign the DNSKEY RRset"),
        cust("broken-alg.lab.", "broken", ds=[{"key": "ksk", "digest": 2, "alg": 8}],
             findings=["{ksk}"],
             notes="DS digest of the ECDSA KSK but algorithm field 8 (algorithm mismatch)"),
        cust("broken-expired.lab.", "broken", sign="expired", findings=["{ksk}"],
             notes="every RRSIG (also over DNSKEY) expired 2020-02-01"),
        cust("broken-unsigned.lab.", "broken", keys=[ksk(served=False)], findings=["{ksk}"],
             notes="DS at the parent, zone served unsigned"),
        cust("lame.lab.", "lame", serve=False,
             findings=["ns1.provider.labnet", "ns2.provider.labnet"],
             notes="provider's servers do not load the zone: REFUSED"),
        cust("lame-referral.lab.", "lame", serve=False, ns=["ns1.provider.labnet.", "ns1.nic.lab."],
             findings=["ns1.nic.lab"],
             notes="ns1.provider.labnet. answers REFUSED, ns1.nic.lab. answers a referral (no AA)"),
        cust("unreach.lab.", "unreachable", ns=["ns1.provider.labnet.", "ns9.provider.labnet."],
             findings=["ns9.provider.labnet", "{net}.5.1"],
             notes="ns9.provider.labnet. reads UDP and never answers, TCP never accepts"),
        cust("incons-parent.lab.", "inconsistent-parent",
             keys=[ksk(), zsk(), ksk("other", served=False, store=False)],
             ds_spec_by_server={"ns2.nic.lab.": [("ksk", 2), ("other", 2)]},
             findings=["ns2.nic.lab", "{other}"],
             notes="ns1.nic.lab. serves DS for the KSK; ns2.nic.lab. adds a DS for a foreign key"),
        cust("incons-child.lab.", "inconsistent-child",
             keys=[ksk(), zsk(), zsk("zsk2", only_on=["ns2.provider.labnet."])],
             findings=["ns2.provider.labnet", "{zsk2}"],
             notes="ns2.provider.labnet. serves (and signs with) an extra ZSK"),
        # the parent's own signatures over the delegation, per parent server
        cust("parent-expired.lab.", "broken",
             parent_break={"server": "ns2.nic.lab.", "what": "ds-expired"},
             findings=["ns2.nic.lab", "{net}.1.2", "RRSIG(DS) expired"],
             notes="child fine; ns2.nic.lab. serves an RRSIG over its DS that expired 2020-02-01"),
        cust("parent-bogus.lab.", "broken",
             parent_break={"server": "ns2.nic.lab.", "what": "ds-bogus"},
             findings=["ns2.nic.lab", "{net}.1.2", "RRSIG(DS) bogus"],
             notes="child fine; ns2.nic.lab. serves an RRSIG over its DS with flipped bits"),
        N3_PARENT,
        cust("ok.n3.lab.", "ok", parent="n3.lab.",
             notes="parent n3.lab. is signed with NSEC3; DS and its RRSIG fine"),
        cust("nods.n3.lab.", "broken", parent="n3.lab.", ds=[],
             parent_break={"server": "ns2.n3.lab.", "what": "nsec3-bogus"},
             findings=["ns2.n3.lab", "no-DS proof (NSEC3) bogus"],
             notes="signed, no DS; ns2.n3.lab. (the NSD of ns.nic.labnet.) serves an NSEC3 "
                   "no-DS proof whose RRSIG does not validate (else it would be missing)"),
        cust("insecure.n3.lab.", "unsigned", parent="n3.lab.", keys=[], ds=[], store=False,
             parent_break={"server": "ns2.n3.lab.", "what": "nsec3-bogus"},
             findings=["ns2.n3.lab", "no-DS proof (NSEC3) bogus"],
             notes="unsigned insecure delegation; ns2.n3.lab. serves a bogus NSEC3 no-DS "
                   "proof: a finding, the verdict stays unsigned"),
        cust("foreign.lab.", "not-ours", ns=["ns1.otherdns.labnet."], store=False,
             verdict_without_our_ns="ok", findings=["ns1.otherdns.labnet"],
             notes="signed and fine, but delegated only to someone else's server"),
    ]


def scale(count):
    return [cust("s%05d.lab." % i, "ok", keys=[ksk("csk", share="scale-csk")],
                 ds=[("csk", 2)], signer="ldns", notes="scale lab: CSK shared by all zones")
            for i in range(count)]


def demo(count):
    """Shaped like the real case: ~225 domains, most at an OpenSRS reseller."""
    out = []
    n = count or 225
    for i in range(n):
        if i < n * 122 // 225:
            reg, tld = "opensrs", "lab."
        elif i < n * 160 // 225:
            reg, tld = "epp", "lab."
        else:
            reg, tld = "other", "lab."
        r = i % 25
        # of the signed domains without DS at other registrars, a third
        # live under a parent whose registry scans CDS (scan.lab.) and a
        # third under one that announces a DSYNC target (dsync.lab.): they
        # publish CDS/CDNSKEY and RFC 9615 signals
        via = {0: "scan.lab.", 1: "dsync.lab."}.get(i % 3) if reg == "other" and r < 14 else None
        if via is not None:
            tld = via
        name = "%s%03d.%s" % ({"opensrs": "shop", "epp": "reg", "other": "misc"}[reg], i, tld)
        if via is not None:
            z = cust(name, "missing", parent=via, keys=[ksk("csk", share="demo-csk")], ds=[],
                     cds="keys", dsboot=OUR, findings=["{csk}"], signer="ldns", after_scan="ok",
                     notes="signed, no DS, CDS/CDNSKEY and RFC 9615 signals; its parent %s" %
                           ("scans CDS" if via == "scan.lab." else "takes NOTIFY(CDS) via DSYNC"))
        elif r < 14:
            z = cust(name, "missing", keys=[ksk("csk", share="demo-csk")], ds=[],
                     findings=["{csk}"], signer="ldns", notes="signed, no DS yet")
        elif r < 20:
            z = cust(name, "ok", keys=[ksk("csk", share="demo-csk")], ds=[("csk", 2)],
                     signer="ldns", notes="DS in place")
        elif r < 22:
            z = cust(name, "unsigned", keys=[], ds=[], store=False, notes="not signed")
        elif r == 22:
            z = cust(name, "stale", keys=[ksk("csk", share="demo-csk"),
                                          ksk("gone", served=False, store=False)],
                     ds=[("csk", 2), ("gone", 2)], findings=["{gone}"], signer="ldns",
                     notes="old DS left behind")
        elif r == 23:
            z = cust(name, "broken", keys=[ksk("csk", share="demo-csk"), ksk("new", served=False)],
                     ds=[("new", 2)], verdict_without_keys="broken", findings=["{new}"],
                     signer="ldns", notes="DS for a key never published")
        else:
            z = cust(name, "deprecated-digest", keys=[ksk("csk", share="demo-csk")],
                     ds=[("csk", 1), ("csk", 2)], findings=["{csk}"], signer="ldns",
                     notes="SHA-1 DS alongside SHA-256")
        z["registrar"] = reg
        out.append(z)
    return out


# The signals profile (RFC 7344/8078 CDS scanning, RFC 9615 bootstrapping,
# RFC 9859 NOTIFY via DSYNC): two more second-level parents, served by the
# processes of ns1.co.lab. and ns.nic.labnet. under names of their own.
# dsync.lab. publishes a wildcard DSYNC (CDS, NOTIFY, port 5300, target
# notify.dsync.lab. = {net}.6.1, where tests/lab/notify_receiver.py
# listens) and a child-specific one for special.dsync.lab. (port 5301).
# scan.lab. is a registry that scans CDS (tests/lab/cds_scanner.py).
SIG_NAMES = {"ns1.dsync.lab.": "2.1", "ns2.dsync.lab.": "1.3",
             "ns1.scan.lab.": "2.1", "ns2.scan.lab.": "1.3",
             "notify.dsync.lab.": "6.1"}


def dsync_rdata(rrtype, port, target):
    wire = b"".join(bytes([len(l)]) + l.encode() for l in target.rstrip(".").split(".")) + b"\0"
    rd = bytes([rrtype >> 8, rrtype & 255, 1, port >> 8, port & 255]) + wire
    return "\\# %d %s" % (len(rd), rd.hex())


def signal_parents():
    """dsync.lab. (DSYNC: NOTIFY to notify.dsync.lab. port 5300, 5301 for
    special.dsync.lab.) and scan.lab. (a registry that scans CDS)."""
    dsync = {"name": "dsync.lab.", "parent": "lab.", "ns": ["ns1.dsync.lab.", "ns2.dsync.lab."],
             "keys": [ksk(), zsk()], "ds_spec": [("ksk", 2)], "store": False,
             "extra": ["*._dsync.dsync.lab. 300 IN TYPE66 " +
                       dsync_rdata(59, 5300, "notify.dsync.lab."),
                       "special._dsync.dsync.lab. 300 IN TYPE66 " +
                       dsync_rdata(59, 5301, "notify.dsync.lab.")]}
    scan = {"name": "scan.lab.", "parent": "lab.", "ns": ["ns1.scan.lab.", "ns2.scan.lab."],
            "keys": [ksk(), zsk()], "ds_spec": [("ksk", 2)], "store": False}
    return [dsync, scan]


def signals():
    return signal_parents() + [
        cust("cds.dsync.lab.", "missing", parent="dsync.lab.", ds=[], cds="keys", dsboot=OUR,
             findings=["{ksk}"], after_scan="ok",
             notes="signed, no DS, CDS/CDNSKEY for its KSK and RFC 9615 signals; its parent "
                   "announces a DSYNC target (wildcard): NOTIFY(CDS) makes the parent scan "
                   "and publish the DS"),
        cust("special.dsync.lab.", "missing", parent="dsync.lab.", ds=[], cds="keys", dsboot=OUR,
             findings=["{ksk}"], after_scan="ok",
             notes="as cds.dsync.lab., but the parent has a DSYNC record for this child "
                   "(port 5301), found before the wildcard"),
        cust("nodsync.co.lab.", "missing", parent="co.lab.", ds=[], cds="keys",
             findings=["{ksk}"],
             notes="signed, no DS, CDS; co.lab. publishes no DSYNC: no notify route"),
        cust("roll.scan.lab.", "incomplete", parent="scan.lab.",
             keys=[ksk(), ksk("ksk2"), zsk()], ds=[("ksk", 2)], cds="keys",
             findings=["{ksk2}"], after_scan="ok",
             notes="KSK rollover: DS for ksk, CDS for ksk and ksk2 signed by both; the "
                   "scanner (RFC 7344) publishes both"),
        cust("boot.scan.lab.", "missing", parent="scan.lab.", ds=[], cds="keys",
             dsboot=OUR, findings=["{ksk}"], after_scan="ok",
             notes="insecure delegation, CDS plus RFC 9615 signals under both name servers: "
                   "the scanner bootstraps the DS"),
        cust("noboot.scan.lab.", "missing", parent="scan.lab.", ds=[], cds="keys",
             dsboot=OUR[:1], findings=["_dsboot.noboot.scan.lab._signal.ns2.provider.labnet.: missing"],
             notes="the RFC 9615 signal only under ns1.provider.labnet.: the scanner refuses"),
        cust("badcds.scan.lab.", "incomplete", parent="scan.lab.",
             keys=[ksk(), zsk(), ksk("gone", served=False, store=False)], ds=[("ksk", 2)],
             cds="keys", cds_keys=["ksk", "gone"], findings=["{gone}"],
             notes="CDS names a key the child does not serve: the scanner refuses"),
    ]


def get(name, net, count=None):
    p = infra(net)
    if name == "functional":
        p["zones"] += functional()
        p["names"].update({n: "%s.%s" % (net, a) for n, a in N3_NAMES.items()})
    elif name == "scale":
        p["zones"] += scale(count or 10000)
    elif name == "demo":
        p["zones"] += signal_parents() + demo(count)
        p["names"].update({n: "%s.%s" % (net, a) for n, a in SIG_NAMES.items()})
    elif name == "signals":
        p["zones"] += signals()
        p["names"].update({n: "%s.%s" % (net, a) for n, a in SIG_NAMES.items()})
    else:
        raise SystemExit("lab: unknown profile %s (functional, scale, demo, signals)" % name)
    return p
