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

# torch, lightning, transformers, keras, xgboost, lightgbm, scikit-learn for kernel-bridge/tests/integrations:
# their own venv, built once per requirements file and cached outside the checkout.
scripts/setup-integrations.sh

# SeaweedFS, the S3-compatible server the team-store tests run against, built from its pinned Go module, and the
# engines that read a team store without Spyglass (DuckDB + httpfs, PySpark + S3A jars) in .venv-engines; both
# built once and cached outside the checkout.
scripts/setup-s3.sh
scripts/setup-engines.sh

say "Building TypeScript packages and the prebuilt JupyterLab extension"
PATH="$root/.venv/bin:$PATH" npm run build --silent

say "Installing the spyglass wheel (it ships the prebuilt extension)"
rm -rf kernel-bridge/dist
.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w kernel-bridge/dist ./kernel-bridge
.venv/bin/python -m pip install -q --force-reinstall --no-deps kernel-bridge/dist/spyglass-*.whl
.venv/bin/jupyter labextension list 2>&1 | grep -q '@spyglass/labextension.*enabled.*OK' \
  || { echo "spyglass setup: the JupyterLab extension is not installed correctly" >&2; .venv/bin/jupyter labextension list; exit 1; }
say "Setup done"
