#!/usr/bin/env bash
# Every test: typecheck, lint, unit, integration (real PostgreSQL), e2e (real Chromium).
# Installs Debian's chromium and CJK fonts when missing and run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if ! (command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi 'Noto Sans CJK'); then need+=(fonts-noto-cjk); fi
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Browser tests need: ${need[*]}. On Debian: sudo apt-get install -y ${need[*]}" >&2
    echo "(or point CHROMIUM_PATH at a Chromium binary)" >&2
    exit 1
  fi
fi

# Playwright empties test-results/ when it starts, so the counts live elsewhere.
reports=.cache/test-reports
rm -rf "$reports" && mkdir -p "$reports"
step() { printf '\n== %s\n' "$1"; }
step typecheck
npm run --silent typecheck
step lint
npm run --silent lint
step build
npm run --silent build >/dev/null
step unit
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=$reports/unit.json
step integration
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=$reports/integration.json
step e2e
PLAYWRIGHT_JSON_OUTPUT_NAME=$reports/e2e.json npx playwright test --reporter=list,json

REPORTS="$reports" node -e '
const fs = require("fs")
const read = (f) => JSON.parse(fs.readFileSync(`${process.env.REPORTS}/${f}.json`, "utf8"))
let passed = 0, failed = 0, skipped = 0
for (const f of ["unit", "integration"]) {
  const r = read(f)
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests
}
const e = read("e2e").stats
passed += e.expected + e.flaky; failed += e.unexpected; skipped += e.skipped
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed ? 1 : 0)
'
