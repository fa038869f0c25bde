#!/usr/bin/env bash
# `npm test`: set up what is missing, then lint, unit tests (jest), integration tests (pytest:
# protocol conformance, notebooks through nbclient, interrupts, signatures) and UI tests
# (Playwright driving JupyterLab in Chromium; screenshots in test-results/).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1

status=0
step() {
  echo
  echo "=== $1"
  shift
  "$@" || status=1
}
step "lint (tsc, eslint, prettier)" npm run --silent lint
step "unit tests (jest)" npx jest --ci
step "integration tests (pytest, real Jupyter clients)" .venv/bin/python -m pytest tests/integration -q -p no:cacheprovider
step "UI tests (Playwright: JupyterLab with the extension, in Chromium)" npx playwright test -c tests/ui/playwright.config.ts
exit $status
