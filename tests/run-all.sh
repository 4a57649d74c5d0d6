#!/usr/bin/env bash
# Runs every test program (meson test) and ends with one line
# "N passed, N failed[, N skipped]", counting the GLib test cases (TAP
# subtests); a test case or a whole program that skips is counted and named.
set -uo pipefail
cd "$(dirname "$0")/.."

# The tests need more than the app (.ci/packages-tests.txt: Xvfb, xdotool,
# PyTorch…): install what is missing, reconfigure and rebuild.
missing=0
while read -r p _; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing=1
done < <(sed 's/#.*//' .ci/packages-tests.txt)
if [ "$missing" -eq 1 ] || [ ! -f build/build.ninja ]; then
  bash .ci/setup --tests || exit 1
fi

meson test -C build --no-rebuild --print-errorlogs "$@"
status=$?

/usr/bin/python3 - build/meson-logs/testlog.json <<'PY'
import json, re, sys
passed = failed = skipped_total = 0
reasons = []
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    try:
        t = json.loads(line)
    except ValueError:   # a garbled line (two meson runs writing at once): count it failed
        print("run-all: unreadable line in testlog.json", file=sys.stderr)
        failed += 1
        continue
    out = t.get("stdout") or ""
    ok = len(re.findall(r"^ok \d+", out, re.M))
    bad = len(re.findall(r"^not ok \d+", out, re.M))
    skipped = len(re.findall(r"^ok \d+.*# SKIP", out, re.M))
    ok -= skipped
    if ok == 0 and bad == 0 and skipped == 0 and t["result"] == "SKIP":
        skipped = 1      # a whole program skipped ("1..0 # SKIP why", tests/skip.sh)
    for why in re.findall(r"# SKIP\s*(.*)$", out, re.M):
        reasons.append(f"{t['name'].split(' / ')[-1]}: {why.strip() or 'skipped'}")
    skipped_total += skipped
    if t["result"] not in ("OK", "SKIP", "EXPECTEDFAIL") and bad == 0:
        bad = 1          # crashed or timed out before reporting a failure
    if ok == 0 and bad == 0 and t["result"] == "OK":
        ok = 1           # a test that speaks no TAP
    passed += ok
    failed += bad
for why in reasons:
    print(f"skipped: {why}")
print(f"{passed} passed, {failed} failed" + (f", {skipped_total} skipped" if skipped_total else ""))
PY
exit $status
