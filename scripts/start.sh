#!/usr/bin/env bash
# `npm start`: set up what is missing, then open JupyterLab on notebooks/ with the end-to-end demo.
# GAISSA_SETUP_DONE=1 skips the set-up (the tests, which have just run it, start the server so).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${GAISSA_SETUP_DONE:-}" = 1 ] || bash scripts/setup.sh
# JupyterLab's own default_url is what `/` redirects to (it overrides ServerApp.default_url).
args=(--notebook-dir=notebooks --LabApp.default_url=/lab/tree/demo.ipynb)
[ "$(id -u)" = 0 ] && args+=(--allow-root)
exec .venv/bin/jupyter lab "${args[@]}" "$@"
