#!/usr/bin/env bash
# `npm test`: set up what is missing, then lint, unit tests (jest), integration tests (pytest:
# protocol conformance, notebooks through nbclient, interrupts, signatures) and UI tests
# (Playwright driving JupyterLab in Chromium; screenshots in test-results/). Ends with one line
# adding up the three runners' counts.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
step() {
  local name=$1 title=$2
  shift 2
  echo
  echo "=== $title"
  "$@" 2>&1 | tee "$logs/$name.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
}
# Sums "N <word>" over the runners' closing lines (jest: "Tests: 3 failed, 5 passed, 8 total";
# pytest: "5 passed, 1 failed in 2s"; Playwright: "5 passed (1.2m)").
count() {
  grep -hE "^(Tests: |[0-9]+ (passed|failed|skipped)|  [0-9]+ (passed|failed|skipped|flaky))" "$logs"/*.log 2>/dev/null \
    | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'
}

step lint "lint (tsc, eslint, prettier)" npm run --silent lint
step unit "unit tests (jest)" npx jest --ci
step integration "integration tests (pytest, real Jupyter clients)" \
  .venv/bin/python -m pytest tests/integration -q -p no:cacheprovider
step ui "UI tests (Playwright: JupyterLab with the extension, in Chromium)" \
  npx playwright test -c tests/ui/playwright.config.ts

failed=$(count failed)
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1 # a step that failed without a test count (lint)
echo
echo "$(count passed) passed, $failed failed, $(count skipped) skipped"
exit $status
