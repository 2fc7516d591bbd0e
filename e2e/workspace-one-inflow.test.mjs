// One inflow per page: a run a notebook's kernel delivers is shown in its run panel and in the workspace at once,
// and the workspace reads its live rows from the page's run hub instead of polling /history for them. Measured
// side by side over the same window: the workspace opened with `live_inflow: 'server'` (every running run polled
// from the server, the behaviour before the hub inflow) and as it opens by default.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, querySpyglass, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, readStoredHistory } from './support/store.mjs';

const PROJECT = 'oneinflow';
const METRIC = 'train/loss';
const WINDOW_MS = 5_000;
// At most this many steps, so the finished line is drawn point for point (≤ 1,000); the test stops it sooner.
const MAX_STEPS = 990;
const STOP_FILE = 'stop-logging';
const WORKSPACE = '.jp-SpyglassWorkspace';
const CHART = `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="${METRIC}"]`;
const HISTORY = '/spyglass/api/v1/history';

const LOGGING = `
import os, time
import spyglass as sg
run = sg.init(project="${PROJECT}", name="live", settings={"x_disable_stats": True})
for step in range(${MAX_STEPS}):
    if os.path.exists("${STOP_FILE}"):
        break
    run.log({"${METRIC}": 1 / (step + 1)})
    time.sleep(0.1)
run.finish()
`;

const session = useLabAndBrowser({
  prepare: (lab) => writeNotebook(join(lab.rootDir, 'one-inflow.ipynb'), [LOGGING]),
});

/** Every /history request the page makes from now on, with its response body size. */
function recordHistoryRequests(page) {
  const seen = [];
  page.on('requestfinished', async (request) => {
    if (!request.url().includes(HISTORY)) return;
    const entry = { at: Date.now(), bytes: 0 };
    seen.push(entry);
    entry.bytes = (await request.sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize;
  });
  return seen;
}

/** The live run's line in the workspace chart: its xs. */
function liveLine(page, runId) {
  return page.evaluate(
    ([chart, id]) =>
      Array.from((document.querySelector(chart)?.spyglassLines ?? []).find((l) => l.run === id)?.xs ?? []),
    [CHART, runId],
  );
}

async function openWorkspace(page, args) {
  await page.evaluate((a) => window.jupyterapp.commands.execute('spyglass:open-workspace', a), {
    project: PROJECT,
    ...args,
  });
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="1"]`, { timeout: 60_000 });
  // Side by side with the notebook, so its run panel stays in view while the workspace follows the run too.
  await page.evaluate(() => {
    const app = window.jupyterapp;
    const main = [...app.shell.widgets('main')];
    const notebook = main.find((w) => w.context?.path === 'one-inflow.ipynb');
    const workspace = main.find((w) => w.id.startsWith('spyglass-workspace-'));
    if (notebook && workspace) app.shell.add(notebook, 'main', { mode: 'split-left', ref: workspace.id });
  });
}

function closeWorkspace(page) {
  return page.evaluate(() => {
    for (const w of [...window.jupyterapp.shell.widgets('main')])
      if (w.id.startsWith('spyglass-workspace-')) w.close();
  });
}

/** /history requests and bytes over one window while the workspace follows the live line. */
async function measure(page, runId, requests) {
  const before = (await liveLine(page, runId)).length;
  const from = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const inWindow = requests.filter((r) => r.at >= from && r.at < from + WINDOW_MS);
  const grew = (await liveLine(page, runId)).length - before;
  return { requests: inWindow.length, bytes: inWindow.reduce((n, r) => n + r.bytes, 0), grew };
}

test('a kernel-delivered run open in a run panel and the workspace is polled by neither', async () => {
  const { page, consoleErrors } = session.browser;
  const requests = recordHistoryRequests(page);
  await openLab(page, session.lab.url);
  await openNotebook(page, 'one-inflow.ipynb');
  await runAllCells(page);
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, PROJECT)[0], 'the notebook run to start');
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"]`, { timeout: 30_000 });

  // Before: the workspace polls the server for the running run although the hub holds its rows.
  await openWorkspace(page, { live_inflow: 'server' });
  await waitFor(async () => (await liveLine(page, run.run_id)).length > 0, 'the live line (server inflow)');
  const polled = await measure(page, run.run_id, requests);
  await closeWorkspace(page);

  // After: the same run, the same window, read from the hub.
  await openWorkspace(page, {});
  await waitFor(async () => (await liveLine(page, run.run_id)).length > 0, 'the live line (hub inflow)');
  const fromHub = await measure(page, run.run_id, requests);
  assert.equal(listRuns(storeRoot, PROJECT)[0].state, 'running', 'the run was still logging while measured');
  console.log(
    `/history over ${WINDOW_MS / 1000} s with the run open in a run panel and the workspace: ` +
      `server inflow ${polled.requests} requests, ${polled.bytes} bytes (line +${polled.grew} points); ` +
      `hub inflow ${fromHub.requests} requests, ${fromHub.bytes} bytes (line +${fromHub.grew} points)`,
  );
  assert.ok(polled.requests > 0, 'the server inflow polls /history for the running run');
  assert.equal(fromHub.requests, 0, 'nothing polls /history for a run a kernel delivers');
  assert.ok(fromHub.grew > 0, 'the workspace line grows live from the hub');

  // The run ends: the workspace shows every logged point once.
  writeFileSync(join(session.lab.rootDir, STOP_FILE), '');
  await waitFor(() => listRuns(storeRoot, PROJECT)[0].state === 'finished', 'the run to finish', 60_000);
  const stored = readStoredHistory(join(storeRoot, PROJECT, run.run_id)).steps;
  assert.ok(
    stored.length > 0 && stored.length < MAX_STEPS,
    `the test stopped the run (${stored.length} steps)`,
  );
  await waitFor(
    async () => (await liveLine(page, run.run_id)).length === stored.length,
    `the workspace line to hold all ${stored.length} points`,
  );
  const xs = await liveLine(page, run.run_id);
  assert.deepEqual(xs, stored, 'every logged step drawn once, in order');
  // One engine per page: the workspace's rows sit in the hub's database, in a schema of the workspace's own.
  const [table] = await querySpyglass(
    page,
    "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables " +
      "WHERE regexp_matches(table_name, '^ws_raw_[0-9]+$')",
  );
  assert.ok(table, "the workspace's table is in the page's one database");
  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS rows, count(DISTINCT step)::INTEGER AS steps FROM ${table.name}`,
  );
  assert.deepEqual(counts, { rows: stored.length, steps: stored.length });
  assert.equal(
    requests.filter((r) => r.at > Date.now() - 1_000).length,
    0,
    'no /history polling once the run finished',
  );
  assert.deepEqual(
    consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
    'no Spyglass errors in the console',
  );
});
