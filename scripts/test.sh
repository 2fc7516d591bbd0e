#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs every test: lint, TypeScript unit tests (node's runner, real
# DuckDB-WASM and Vega), pytest (real ipykernel, real Jupyter server), and the end-to-end suite (real JupyterLab,
# real headless Chromium). Ends with one line: "spyglass: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ "${SPYGLASS_SKIP_SETUP:-0}" = 1 ] || scripts/setup.sh || { echo "spyglass: 0 passed, 1 failed (setup)"; exit 1; }
export PATH="$root/.venv/bin:$PATH"
logs=$(mktemp -d)
passed=0 failed=0

count_node() {  # node's spec reporter ends with "ℹ pass N" / "ℹ fail N"
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  [ -n "$p" ] || failed=$((failed + 1))
}
count_pytest() {  # pytest's last line: "N passed, M failed, ... in 12.3s"
  local line p f e
  line=$(grep -E '(passed|failed|error)' "$1" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | awk '{print $1}')
  f=$(grep -oE '[0-9]+ failed' <<<"$line" | awk '{print $1}')
  e=$(grep -oE '[0-9]+ errors?' <<<"$line" | awk '{print $1}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  [ -n "$p$f$e" ] || failed=$((failed + 1))
}
step() {  # step NAME COUNTER COMMAND...
  local name=$1 counter=$2; shift 2
  printf '\n==> %s\n' "$name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  if [ "$counter" = none ]; then
    if [ "$rc" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
  else
    "$counter" "$logs/$name.log"
    [ "$rc" = 0 ] || { echo "FAILED: $name (exit $rc)"; [ "$failed" -gt 0 ] || failed=1; }
  fi
}

# A step started with step_start runs beside the steps after it until step_finish prints and counts it. The
# team-store tests run so: they mostly wait on a real S3 server and on the writers' segment interval, so beside
# the main pytest they cost little of its CPU and none of its time.
declare -A started_pids started_counters
step_start() {  # step_start NAME COUNTER COMMAND...
  local name=$1 counter=$2; shift 2
  printf '\n==> %s (started; runs beside the next steps, printed when done)\n' "$name"
  "$@" >"$logs/$name.log" 2>&1 &
  started_pids[$name]=$!
  started_counters[$name]=$counter
}
step_finish() {  # step_finish NAME
  local name=$1 rc=0
  wait "${started_pids[$name]}" || rc=$?
  printf '\n==> %s\n' "$name"
  cat "$logs/$name.log"
  "${started_counters[$name]}" "$logs/$name.log"
  [ "$rc" = 0 ] || { echo "FAILED: $name (exit $rc)"; [ "$failed" -gt 0 ] || failed=1; }
}
team_store_tests=(kernel-bridge/tests/test_s3_*.py kernel-bridge/tests/test_bucket_layer.py)

step lint-python none ruff check kernel-bridge bench scripts
step format-python none ruff format --check kernel-bridge bench scripts
step lint-typescript none npx biome check packages labextension/src e2e
step typecheck none npx tsc --build tsconfig.json
step unit-typescript count_node node --test --test-reporter=spec packages/*/lib/test/*.test.js packages/*/lib/test/*/*.test.js
step_start pytest-team-store count_pytest python -m pytest -q -p no:cacheprovider "${team_store_tests[@]}"
# The LLM tracing tests wait mostly on their local model server (tests/llm_server.py), so they run beside too.
step_start pytest-llm count_pytest python -m pytest -q -p no:cacheprovider kernel-bridge/tests/llm
# --durations names the slowest tests in the log, to keep the suite's time honest.
step pytest count_pytest python -m pytest -q -p no:cacheprovider --durations=25 kernel-bridge/tests \
  --ignore=kernel-bridge/tests/integrations --ignore=kernel-bridge/tests/llm "${team_store_tests[@]/#/--ignore=}"
step_finish pytest-team-store
step_finish pytest-llm
step pytest-integrations count_pytest .venv-integrations/bin/python -m pytest -q -p no:cacheprovider \
  kernel-bridge/tests/integrations
step e2e count_node node --test --test-concurrency=1 --test-reporter=spec e2e/*.test.mjs

rm -rf "$logs"
echo
echo "spyglass: $passed passed, $failed failed"
[ "$failed" = 0 ]
