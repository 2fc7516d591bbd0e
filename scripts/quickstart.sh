#!/usr/bin/env bash
# The main job: set everything up, then open notebooks/quickstart.ipynb in JupyterLab (run its cells to watch a
# run chart live). With --headless, execute the notebook with nbclient instead and print where the run was stored;
# the executed copy goes to .quickstart/quickstart.ipynb (git-ignored), never over the tracked notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SPYGLASS_SKIP_SETUP:-0}" = 1 ] || scripts/setup.sh
if [ "${1:-}" = "--headless" ]; then
  exec .venv/bin/python scripts/run_notebook.py notebooks/quickstart.ipynb --output .quickstart/quickstart.ipynb
fi
cd notebooks
exec ../.venv/bin/jupyter lab quickstart.ipynb
