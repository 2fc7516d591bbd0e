#!/usr/bin/env bash
# Sets up a development checkout from scratch: Debian chromium (for tests), npm packages, a Python venv with
# pinned dependencies, the TypeScript build and the prebuilt JupyterLab extension, then installs the `spyglass`
# wheel (the same artifact users get) into .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '\n==> %s\n' "$*"; }

for tool in node npm python3; do
  command -v "$tool" >/dev/null || { echo "spyglass setup: '$tool' is required but not on PATH" >&2; exit 1; }
done

if [ ! -x /usr/bin/chromium ] && [ "${SPYGLASS_SKIP_CHROMIUM:-0}" != 1 ]; then
  say "Installing Debian chromium (browser for the end-to-end tests)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

say "npm ci"
npm ci --no-audit --no-fund --loglevel=error

say "Python venv (.venv) with pinned dependencies"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -r kernel-bridge/requirements-dev.txt

# Three slow parts, each built once and cached outside the checkout, run side by side (they wait mostly on the
# network, apart from the Go build): the integrations venv (torch, lightning, transformers, keras, xgboost,
# lightgbm, scikit-learn for kernel-bridge/tests/integrations); SeaweedFS, the S3-compatible server of the
# team-store tests, built from its pinned Go module; the engines that read a team store without Spyglass (DuckDB +
# httpfs, PySpark + S3A jars) in .venv-engines. Each writes its log to .setup-logs/; a failure prints it.
mkdir -p .setup-logs
background=()
for part in setup-integrations setup-s3 setup-engines; do
  say "$part (in the background, log in .setup-logs/$part.log)"
  scripts/$part.sh >".setup-logs/$part.log" 2>&1 &
  background+=("$part:$!")
done

say "Building TypeScript packages and the prebuilt JupyterLab extension"
PATH="$root/.venv/bin:$PATH" npm run build --silent

for entry in "${background[@]}"; do
  part=${entry%%:*}
  if wait "${entry##*:}"; then
    say "$part done ($(tail -n 1 ".setup-logs/$part.log"))"
  else
    echo "spyglass setup: $part failed; its log (.setup-logs/$part.log) ends:" >&2
    tail -n 40 ".setup-logs/$part.log" >&2
    exit 1
  fi
done

say "Installing the spyglass wheel (it ships the prebuilt extension)"
rm -rf kernel-bridge/dist
.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w kernel-bridge/dist ./kernel-bridge
.venv/bin/python -m pip install -q --force-reinstall --no-deps kernel-bridge/dist/spyglass-*.whl
.venv/bin/jupyter labextension list 2>&1 | grep -q '@spyglass/labextension.*enabled.*OK' \
  || { echo "spyglass setup: the JupyterLab extension is not installed correctly" >&2; .venv/bin/jupyter labextension list; exit 1; }
say "Setup done"
