#!/usr/bin/env bash
# Builds the integration virtualenv: the real frameworks (torch, lightning, transformers, keras, xgboost,
# lightgbm, scikit-learn) pinned in kernel-bridge/requirements-integrations.txt, spyglass installed editable from
# this checkout, and a Jupyter kernel for the integration notebooks. Safe to run again.
#
# The venv is several GB (torch's CUDA libraries), so it is built once per requirements file: it lives in a cache
# outside the checkout, named by the file's hash, and .venv-integrations links to it. A fresh clone (CI) with the
# same requirements reuses it; only the editable spyglass install (a second) is redone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '\n==> %s\n' "$*"; }

requirements=kernel-bridge/requirements-integrations.txt
python=${SPYGLASS_INTEGRATIONS_PYTHON:-python3}
cache=${SPYGLASS_INTEGRATIONS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spyglass}
# The hash covers the requirements and the interpreter, the two things the venv's contents depend on.
key=$( { cat "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)
venv=$cache/venv-integrations-$key
kernel=spyglass-integrations

mkdir -p "$cache"
exec 9>"$cache/venv-integrations.lock"
flock 9  # two checkouts (or CI and a developer) setting up at once build the venv once

if [ -f "$venv/.complete" ]; then
  say "Integration venv up to date ($venv)"
else
  say "Building the integration venv ($venv); downloads torch and its CUDA libraries, several GB"
  started=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q pip==26.3  # the pip the pins were resolved with
  "$venv/bin/python" -m pip install -q -r "$requirements"
  KERAS_BACKEND=torch "$venv/bin/python" -c 'import torch, lightning, transformers, keras, xgboost, lightgbm, sklearn' \
    || { echo "spyglass setup: the integration venv cannot import its frameworks" >&2; exit 1; }
  touch "$venv/.complete"
  echo "integration venv built in $(($(date +%s) - started)) s, $(du -sh "$venv" | cut -f1)"
  # Venvs of older requirements are dead weight of several GB each.
  for old in "$cache"/venv-integrations-*; do
    [ "$old" = "$venv" ] || [ ! -d "$old" ] || rm -rf "$old"
  done
fi

if [ -e .venv-integrations ] && [ ! -L .venv-integrations ]; then
  echo "spyglass setup: .venv-integrations is a directory, not the link this script makes; remove it" >&2
  exit 1
fi
ln -sfn "$venv" .venv-integrations

# spyglass editable from this checkout (the cached venv may point at another clone's, e.g. CI's).
here=$("$venv/bin/python" -c 'import spyglass; print(spyglass.__file__)' 2>/dev/null || true)
if [ "$here" != "$root/kernel-bridge/spyglass/__init__.py" ]; then
  say "Installing spyglass editable from $root/kernel-bridge into the integration venv"
  "$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e ./kernel-bridge
fi
if [ ! -f "$venv/share/jupyter/kernels/$kernel/kernel.json" ]; then
  "$venv/bin/python" -m ipykernel install --sys-prefix --name "$kernel" \
    --display-name "Python (spyglass integrations)" >/dev/null
fi
say "Integration venv ready (.venv-integrations, kernel '$kernel')"
