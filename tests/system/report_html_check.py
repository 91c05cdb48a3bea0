# tests/system/report_html_check.py - check the HTML report as Chromium rendered
# it (used by tests/system/report_html.sh; python3 stdlib + lxml only).
#
#   report_html_check.py dom DOM.html STATE.db HOSTILE   the DOM Chromium built
#   report_html_check.py png SHOT.png                    the screenshot
import sqlite3
import struct
import sys
import zlib

from lxml import html


def text(el):
    return " ".join("".join(el.itertext()).split())


def check_dom(path, db_path, hostile):
    doc = html.parse(path).getroot()
    db = sqlite3.connect(db_path)
    # nothing from the data became an element: no script at all, no
    # element carrying an event handler, nothing that fetches
    assert not doc.xpath("//script"), "a <script> element in the DOM"
    assert not doc.xpath("//*[@*[starts-with(name(), 'on')]]"), "an on* attribute"
    assert not doc.xpath("//img|//iframe|//link|//object|//embed"), "a fetching element"
    # the chart: one bar group per audit run that kept counts, each with a
    # segment per verdict, and a legend
    svg = doc.xpath("//*[local-name()='svg']")
    assert len(svg) == 1, "%d svg elements" % len(svg)
    runs = db.execute("SELECT id, counts FROM runs WHERE counts IS NOT NULL ORDER BY id").fetchall()
    bars = svg[0].xpath(".//*[local-name()='g'][@class='run']")
    assert len(bars) == len(runs) >= 3, "%d bars, %d audit runs" % (len(bars), len(runs))
    for g, (rid, counts) in zip(bars, runs):
        assert g.get("data-run") == str(rid), "bar of run %s for %s" % (g.get("data-run"), rid)
        import json
        c = {k: v for k, v in json.loads(counts).items() if v > 0}
        titles = sorted(text(t) for t in g.xpath(".//*[local-name()='title']"))
        assert len(titles) == len(c), "run %s: %s vs %s" % (rid, titles, c)
        for v, n in c.items():
            assert any(t.endswith(": %s %d" % (v, n)) for t in titles), \
                "run %s: no segment %s %d in %s" % (rid, v, n, titles)
    legend = [text(t) for t in svg[0].xpath(".//*[local-name()='g'][@class='legend']/*[local-name()='text']")]
    assert "ok" in legend and "missing" in legend, "legend %s" % legend
    axis = [text(t) for t in svg[0].xpath(".//*[local-name()='text']")]
    assert "domains" in axis and any("run" in a for a in axis), "axis labels %s" % axis
    # the domains that needed action, with their route and fix time
    rows = {}
    for tr in doc.xpath("//table[@id='domains']/tbody/tr"):
        cells = [text(td) for td in tr.xpath("td")]
        rows[cells[0]] = cells
    want = {d for (d,) in db.execute("SELECT DISTINCT domain FROM results WHERE verdict NOT IN ('ok', 'unsigned', 'not-ours')")}
    assert set(rows) == want, "domains table %s, database %s" % (sorted(rows), sorted(want))
    assert rows["missing.lab."][1] == "missing" and rows["missing.lab."][3] == "tucows", rows["missing.lab."]
    assert rows["missing.lab."][4].startswith("20"), "missing.lab. not fixed: %s" % rows["missing.lab."]
    assert rows["broken-alg.lab."][3] == "registry", rows["broken-alg.lab."]
    assert rows["stale.lab."][3] == "tucows" and rows["stale.lab."][4].startswith("20"), rows["stale.lab."]
    assert rows["lame.lab."][3] == "manual" and rows["lame.lab."][4] == "not yet", rows["lame.lab."]
    # the changes, with their outcomes; the registrar's hostile message as text
    changes = [[text(td) for td in tr.xpath("td")]
               for tr in doc.xpath("//table[@id='changes']/tbody/tr")]
    n = db.execute("SELECT count(*) FROM journal WHERE parent IS NULL").fetchone()[0]
    assert len(changes) == n >= 4, "%d change rows, journal has %d" % (len(changes), n)
    outcomes = sorted(c[3] for c in changes)
    assert "applied" in outcomes, outcomes
    hit = [c for c in changes if hostile in c[4]]
    # the registrar answered with an error after the request went out:
    # the journal says failed or unknown
    assert hit and hit[0][1] == "stale.lab." and hit[0][3] in ("failed", "unknown"), \
        "hostile registrar text not shown as text: %s" % changes
    print("dom: %d bars, %d domains, %d changes, hostile text shown as text: ok"
          % (len(bars), len(rows), len(changes)))


def png_pixels(path):
    """(width, height, rows of RGB(A) tuples) of an 8-bit RGB/RGBA PNG"""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "PNG type %d/%d" % (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    out = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        out.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, out


def check_png(path):
    w, h, rows = png_pixels(path)
    colours = {}
    for r in rows:
        for px in r:
            colours[px] = colours.get(px, 0) + 1
    assert len(colours) >= 20, "only %d colours: blank page?" % len(colours)
    white = colours.get((255, 255, 255), 0)
    assert white < 0.97 * w * h, "%.1f%% white" % (100.0 * white / (w * h))
    # the chart's bars are drawn: solid areas of the ok and missing colours
    for name, rgb in (("ok", (0x2c, 0xa0, 0x2c)), ("missing", (0xff, 0x7f, 0x0e))):
        assert colours.get(rgb, 0) >= 200, "%s bars not drawn (%d px of %s)" % (
            name, colours.get(rgb, 0), rgb)
    print("png: %dx%d, %d colours, ok and missing bars drawn: ok" % (w, h, len(colours)))


if __name__ == "__main__":
    try:
        if sys.argv[1] == "dom":
            check_dom(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            check_png(sys.argv[2])
    except (AssertionError, KeyError, IndexError) as e:
        print("FAIL: %s: %r" % (sys.argv[1], e))
        sys.exit(1)
