#!/usr/bin/env bash
# Regenerates the README's pictures (docs/screenshots/) from the example notebooks, in a real JupyterLab and
# headless Chromium: the e2e test that checks every view's contrast in Light and Dark saves them as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SPYGLASS_SKIP_SETUP:-}" = 1 ] || bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
shots=$(mktemp -d)
SPYGLASS_SCREENSHOTS="$shots" node --test --test-concurrency=1 --test-reporter=spec e2e/theme-contrast.test.mjs
mkdir -p docs/screenshots
for view in run-panel workspace table-explorer sweep-panel lineage-panel; do
  cp "$shots/$view-light.png" docs/screenshots/
done
cp "$shots/run-panel-dark.png" "$shots/workspace-dark.png" docs/screenshots/
echo "screenshots: docs/screenshots/ updated from $shots"
