#!/usr/bin/env bash
# Brings a clone to a runnable state, doing only what is missing or stale:
#   npm packages, the Python environment (.venv) for JupyterLab, the build, the kernelspec and the
#   extension installed into .venv; with --test, also the test servers (.venv-mlflow, a Pushgateway,
#   Prometheus). Used by `npm start`, `npm test` and Binder-like setups.
# Usage: scripts/setup.sh [--test]   (--test adds the Python test packages)
set -euo pipefail
cd "$(dirname "$0")/.."

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
# One Debian package, as root: bounded (a held dpkg lock or a slow mirror must not hang CI), with
# the package lists refreshed once if the first try fails. A failure is a warning: the tests that
# need the package then fail and say why, the rest still run.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local apt=(timeout 900 apt-get -o DPkg::Lock::Timeout=120 -o Acquire::Retries=3)
  "${apt[@]}" install -y -q --no-install-recommends "$1" < /dev/null \
    || { "${apt[@]}" update -q < /dev/null && "${apt[@]}" install -y -q --no-install-recommends "$1" < /dev/null; } \
    || echo "gaissa setup: could not install $1; the tests that need it will fail" >&2
}
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# --- npm packages (npm ci is exact and never downloads binaries from outside the registry: .npmrc;
# Playwright drives Debian's Chromium and must never fetch a browser of its own)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
lock_hash=$(hash_of package-lock.json)
if ! stamp_ok node_modules/.gaissa-stamp "$lock_hash"; then
  echo "gaissa setup: installing npm packages"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.gaissa-stamp
fi

# --- Python environment with JupyterLab (binder/jupyter-requirements.txt: Binder installs it too,
# with a Node.js wheel that a local set-up does not need)
python=${PYTHON:-python3}
reqs=(binder/jupyter-requirements.txt)
[ "${1:-}" = "--test" ] && reqs+=(tests/requirements.txt)
[ -x .venv/bin/python ] || "$python" -m venv .venv
# One stamp per requirements file, so that switching between start and test reinstalls nothing.
for r in "${reqs[@]}"; do
  stamp=.venv/.gaissa-stamp-$(basename "$(dirname "$r")")
  if ! stamp_ok "$stamp" "$(hash_of "$r")"; then
    echo "gaissa setup: installing $r into .venv"
    .venv/bin/python -m pip install --disable-pip-version-check -q -r "$r"
    hash_of "$r" > "$stamp"
  fi
done

# --- the team-sink and JupyterHub tests' servers: MLflow in its own environment (.venv-mlflow), and
# Debian's Prometheus Pushgateway and Prometheus, installed when running as root (CI)
if [ "${1:-}" = "--test" ]; then
  [ -x .venv-mlflow/bin/python ] || "$python" -m venv .venv-mlflow
  stamp=.venv-mlflow/.gaissa-stamp
  if ! stamp_ok "$stamp" "$(hash_of tests/requirements-mlflow.txt)"; then
    echo "gaissa setup: installing tests/requirements-mlflow.txt into .venv-mlflow"
    .venv-mlflow/bin/python -m pip install --disable-pip-version-check -q -r tests/requirements-mlflow.txt
    hash_of tests/requirements-mlflow.txt > "$stamp"
  fi
  # Debian's packages start their own services on install; the tests start their own instances
  # (own ports and storage in a temporary folder) and do not use those.
  for tool in prometheus-pushgateway prometheus; do
    command -v "$tool" > /dev/null && continue
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      echo "gaissa setup: installing $tool for the team-sink and JupyterHub tests"
      apt_install "$tool"
    else
      echo "gaissa setup: no $tool; the team-sink and JupyterHub tests need it" \
        "(sudo apt-get install $tool)" >&2
    fi
  done
fi

# --- the UI tests' browser: Debian's Chromium (Playwright never downloads one here), installed when
# running as root (CI)
if [ "${1:-}" = "--test" ] && [ -z "${GAISSA_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "gaissa setup: installing chromium for the UI tests"
    apt_install chromium
  else
    echo "gaissa setup: no /usr/bin/chromium; the UI tests need it (sudo apt-get install chromium," \
      "or GAISSA_CHROMIUM=/path/to/chromium)" >&2
  fi
fi

# --- build, then install kernelspec (+ extension) into .venv
echo "gaissa setup: building"
npm run --silent build
node bin/gaissa.js install --sys-prefix --python .venv/bin/python
