#!/bin/sh
# tests/system/report_html.sh - dsreg report --format html in a real browser.
# A history made by dsreg itself over the DNS lab with both registries:
# audit -> apply (the OpenSRS emulator refuses stale.lab with a message that
# holds markup: a registrar's text reaching the journal) -> audit -> apply ->
# audit.  The page is loaded by headless Chromium: the DOM it built has the
# SVG chart (a bar per audit, a segment per verdict), the domains table (route,
# fix time) and the changes table, the registrar's <script> as text and no
# script element; the screenshot is not blank and shows the bars.  Net 127.80.
OSRS_DOMAINS="missing.lab stale.lab"
LOCKED="missing.lab"
EPP_DOMAINS="broken-alg.lab"
MANUAL="broken-zsk.lab lame.lab"
. "$SRCDIR/tests/fix/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "report_html: needs root for the lab's port 53"; exit 77; }
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || { echo "report_html: chromium missing (scripts/install-deps)"; exit 77; }
"$PY" -c 'import lxml.html' 2>/dev/null || { echo "report_html: python3-lxml missing"; exit 77; }
CHECK="$PY $SRCDIR/tests/system/report_html_check.py"
fix_world 127.80
D="$OSRS_DOMAINS $EPP_DOMAINS $MANUAL ok-alg13.lab"
HOSTILE="<script>alert('dsreg')</script> & \"registry\" says <b>no</b>"

# 1. the history
run --format json audit $D
[ "$RC" -eq 1 ] || fail "audit 1: exit $RC"
$PY - "$W/osrs-faults.json" "$HOSTILE" <<'PY'
import json, sys
json.dump([{"match": {"action": "SET_DNSSEC_INFO", "domain": "stale.lab."},
            "fault": "code", "code": 465, "text": sys.argv[2]}], open(sys.argv[1], "w"))
PY
run --format jsonl apply --yes --wait 60 $D
[ "$RC" -eq 3 ] || fail "apply 1: exit $RC, want 3 (stale.lab refused)"
grep -q "alert('dsreg')" "$W/out" || fail "apply 1: the registrar's message is not in the outcome"
run --format json audit $D
[ "$RC" -eq 1 ] || fail "audit 2: exit $RC"
: > "$W/osrs-faults.json"
run --format jsonl apply --yes --wait 60 $D
[ "$RC" -le 1 ] || fail "apply 2: exit $RC"
run --format json audit $D
[ "$RC" -eq 1 ] || fail "audit 3: exit $RC (lame.lab and broken-zsk.lab stay)"
n=$(sqlite3 "$W/state.db" "SELECT count(*) FROM journal WHERE parent IS NULL AND note LIKE '%<script>alert(''dsreg'')%'")
[ "$n" -ge 1 ] || fail "the hostile message did not reach the journal"

# 2. the page
run --format html report
[ "$RC" -eq 0 ] || fail "report html: exit $RC"
cp "$W/out" "$W/report.html"
grep -q "<script" "$W/report.html" && fail "a <script> tag in the page"
grep -Eq '(src|href)=|@import|url\(' "$W/report.html" && fail "the page refers to something outside it"
grep -q '&lt;script&gt;alert(&#39;dsreg&#39;)&lt;/script&gt; &amp; &quot;registry&quot;' "$W/report.html" ||
	fail "the registrar's message is not escaped in the page"

# 3. Chromium: the DOM it built, and a screenshot
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --no-first-run --user-data-dir="$W/chrome" \
	    --window-size=1100,1300 "$@" "file://$W/report.html" 2>> "$W/chrome.err"
}
chrome --dump-dom > "$W/dom.html" || fail "chromium --dump-dom: $(tail -3 "$W/chrome.err")"
[ -s "$W/dom.html" ] || fail "chromium dumped nothing"
$CHECK dom "$W/dom.html" "$W/state.db" "$HOSTILE" || fail "DOM"
(cd "$W" && chrome --screenshot="$W/shot.png" > /dev/null) || fail "chromium --screenshot"
[ -s "$W/shot.png" ] || fail "no screenshot"
$CHECK png "$W/shot.png" || fail "screenshot"

# 4. html is the report's alone
run --format html audit $D
[ "$RC" -eq 2 ] && [ ! -s "$W/out" ] || fail "audit --format html: exit $RC"
echo "report_html: ok"
exit 0
