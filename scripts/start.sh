#!/usr/bin/env bash
# `npm start`: set up what is missing, then open JupyterLab on notebooks/ with the end-to-end demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=(--notebook-dir=notebooks --ServerApp.default_url=/lab/tree/demo.ipynb)
[ "$(id -u)" = 0 ] && args+=(--allow-root)
exec .venv/bin/jupyter lab "${args[@]}" "$@"
