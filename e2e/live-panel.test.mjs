// The quickstart notebook in a real JupyterLab + ipykernel + headless Chromium: the run panel charts every
// logged point, updates while the loop runs, and fetches nothing from outside the machine.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/jupyter-lab.mjs';
import {
  openLab,
  openNotebook,
  panelRows,
  querySpyglass,
  runAllCells,
  waitFor,
} from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { listRuns } from './support/store.mjs';

const STEPS = 300; // notebooks/quickstart.ipynb logs this many rows

const session = useLabAndBrowser({
  prepare: async (lab) => {
    copyFileSync(join(repoRoot, 'notebooks', 'quickstart.ipynb'), join(lab.rootDir, 'quickstart.ipynb'));
  },
});

test('the quickstart panel charts every logged row live and exactly once', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'quickstart.ipynb');
  await runAllCells(page);

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'quickstart')[0], 'the run to appear in the store');
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"]`, { timeout: 30_000 });

  // Sample the panel while the loop runs: the count must grow in several steps before the run finishes.
  const seen = new Set();
  let liveSummary = null; // the summary table while the run is still running
  const samplesUntil = Date.now() + 60_000;
  while (Date.now() < samplesUntil) {
    const rows = await panelRows(page, run.run_id);
    if (rows > 0) seen.add(rows);
    if (rows > 50 && rows < STEPS - 30 && liveSummary === null) {
      liveSummary = await page.evaluate((id) => {
        const panel = document.querySelector(`[data-spyglass-run-id="${id}"]`);
        if (panel?.getAttribute('data-state') !== 'running') return null;
        const row = panel.querySelector('[data-spyglass-summary] tr[data-key="train/loss"] td');
        return row ? { loss: Number(row.textContent), rows: Number(panel.getAttribute('data-rows')) } : null;
      }, run.run_id);
    }
    if (rows === STEPS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const partial = [...seen].filter((n) => n > 0 && n < STEPS);
  assert.ok(liveSummary, 'the summary shows the latest train/loss while the run is running');
  assert.ok(liveSummary.loss > 0 && liveSummary.loss < 2.1, `a logged loss: ${JSON.stringify(liveSummary)}`);
  assert.ok(partial.length >= 5, `the panel should update live; it showed only ${JSON.stringify([...seen])}`);
  await waitFor(() => listRuns(storeRoot, 'quickstart')[0]?.state === 'finished', 'the run to finish');
  await waitFor(async () => (await panelRows(page, run.run_id)) === STEPS, `the panel to show ${STEPS} rows`);

  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS points, count(DISTINCT step)::INTEGER AS steps, min(step)::INTEGER AS first,
            max(step)::INTEGER AS last
       FROM points WHERE run_id = '${run.run_id}' AND metric = 'train/loss'`,
  );
  assert.deepEqual(counts, { points: STEPS, steps: STEPS, first: 0, last: STEPS - 1 });

  // The logged metrics; the system section (sampled every 10 s, so a couple of points) is checked in run-details.
  const historyCharts = `[data-spyglass-run-id="${run.run_id}"] [data-section]:not([data-section="system"]) [data-metric]`;
  const charts = await page.$$eval(historyCharts, (nodes) =>
    nodes.map((n) => ({
      metric: n.getAttribute('data-metric'),
      points: Number(n.getAttribute('data-points')),
      lines: n.querySelectorAll('svg path[d*="L"]').length,
    })),
  );
  assert.deepEqual(charts.map((c) => c.metric).sort(), ['learning_rate', 'train/accuracy', 'train/loss']);
  for (const chart of charts) {
    assert.equal(chart.points, STEPS, `chart ${chart.metric} shows every point`);
    assert.ok(chart.lines > 0, `chart ${chart.metric} draws no line`);
  }
  if (process.env.SPYGLASS_SCREENSHOTS) {
    const panel = await page.$(`[data-spyglass-run-id="${run.run_id}"]`);
    await panel.screenshot({ path: join(process.env.SPYGLASS_SCREENSHOTS, 'run-panel.png') });
  }

  const outside = session.browser.requests.filter(
    (u) => !u.startsWith(session.lab.url) && !u.startsWith('data:') && !u.startsWith('blob:'),
  );
  assert.deepEqual(outside, [], 'the page must not fetch anything from outside the machine');
});

test('a logged row reaches the chart within one flush interval (250 ms) plus 250 ms', async () => {
  const { page } = session.browser;
  // Timestamps of when each row count became visible, recorded in the page as the panel's attribute changes.
  const runId = listRuns(join(session.lab.rootDir, 'spyglass'), 'quickstart')[0].run_id;
  await page.evaluate((id) => {
    window.__spyglassSeen = [];
    const observer = new MutationObserver(() => {
      for (const panel of document.querySelectorAll('[data-spyglass-run-id]')) {
        const run = panel.getAttribute('data-spyglass-run-id');
        if (run !== id)
          window.__spyglassSeen.push({ run, rows: Number(panel.getAttribute('data-rows')), at: Date.now() });
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-rows'] });
  }, runId);
  await runAllCells(page);
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  await waitFor(
    () =>
      listRuns(storeRoot, 'quickstart').length === 2 &&
      listRuns(storeRoot, 'quickstart')[0].state === 'finished',
    'the second run to finish',
    60_000,
  );
  const second = listRuns(storeRoot, 'quickstart')[0];
  await waitFor(
    async () => (await panelRows(page, second.run_id)) === STEPS,
    'the second panel to be complete',
  );
  const seen = await page.evaluate(() => window.__spyglassSeen);
  // For each visible update, when the newest row in it was flushed: the store frames carry no flush time, so
  // use the row's log time; the bound checked is log→chart ≤ flush interval (250 ms) + 250 ms.
  const rows = await querySpyglass(
    page,
    `SELECT step::INTEGER AS step, ts FROM points WHERE run_id = '${second.run_id}' AND metric = 'train/loss' ORDER BY step`,
  );
  const loggedAt = rows.map((r) => r.ts * 1000);
  const lags = seen
    .filter((s) => s.run === second.run_id && s.rows > 0)
    .map((s) => s.at - loggedAt[s.rows - 1])
    .sort((a, b) => a - b);
  assert.ok(lags.length >= 5, `expected several live updates, saw ${lags.length}`);
  const median = lags[Math.floor(lags.length / 2)];
  const p95 = lags[Math.floor(lags.length * 0.95)];
  console.log(`log→chart lag over ${lags.length} updates: median ${median} ms, p95 ${p95} ms`);
  assert.ok(p95 <= 500, `log→chart p95 ${p95} ms exceeds flush interval + 250 ms`);
});
