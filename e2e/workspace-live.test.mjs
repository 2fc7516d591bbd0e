// The workspace follows the store while it is open: a plain Python script (no kernel, no comm) starts a run that
// appears in the table and charts and grows live, its row stays the same node across relists (so a click on it is
// never lost), it ends with every point drawn once; a run deleted from disk leaves the table and the charts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openLab, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { listRuns, runPython, startPython } from './support/store.mjs';

const PROJECT = 'livews';
const METRIC = 'train/loss';
// ~15 s of logging: long enough for the workspace's 5 s relist to find the run and follow it for a while.
const LIVE_STEPS = 600;
const WORKSPACE = '.jp-SpyglassWorkspace';
const CHART = `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="${METRIC}"]`;

const FINISHED = `
import sys
import spyglass as sg
for name in ("old-a", "old-b"):
    run = sg.init(project="${PROJECT}", dir=sys.argv[1], name=name, settings={"x_disable_stats": True})
    for step in range(200):
        run.log({"${METRIC}": 1 / (step + 1)}, step=step)
    run.finish()
`;

const LOGGING = `
import sys, time
import spyglass as sg
run = sg.init(project="${PROJECT}", dir=sys.argv[1], name="tail", settings={"x_disable_stats": True})
for step in range(${LIVE_STEPS}):
    run.log({"${METRIC}": 2 / (step + 1)}, step=step)
    time.sleep(0.025)
run.finish()
`;

const session = useLabAndBrowser({
  prepare: (lab) => runPython(FINISHED, [join(lab.rootDir, 'spyglass')]),
});

let logger;
after(() => {
  if (logger && logger.exitCode === null) logger.kill('SIGKILL');
});

/** The runs table and the metric's chart as the user sees them. */
function workspaceState(page, runId) {
  return page.evaluate(
    ([chartSelector, id]) => {
      const ws = document.querySelector('.jp-SpyglassWorkspace');
      const chart = document.querySelector(chartSelector);
      const row = ws?.querySelector(`.jp-SpyglassRunsTable-row[data-run-id="${id}"]`) ?? null;
      const lines = chart?.spyglassLines ?? [];
      return {
        runs: Number(ws?.dataset.runs ?? 0),
        rows: ws ? ws.querySelectorAll('.jp-SpyglassRunsTable-row').length : 0,
        rowText: row?.textContent ?? null,
        sameRow: row !== null && window.__liveRow === row,
        selected: (ws?.dataset.selected ?? '').split(',').filter(Boolean),
        chartRuns: lines.map((l) => l.run).sort(),
        points: lines.find((l) => l.run === id)?.xs.length ?? 0,
        highlighted: chart?.dataset.highlighted ?? '',
      };
    },
    [CHART, runId],
  );
}

test('a script run appears, grows live and ends complete; its row keeps its node; a deleted run leaves', async () => {
  const { page, consoleErrors } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-workspace', { project }),
    PROJECT,
  );
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="2"]`, { timeout: 60_000 });
  await waitFor(
    () => page.$eval(CHART, (n) => (n.spyglassLines ?? []).length === 2).catch(() => false),
    'both finished runs charted',
  );

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const script = startPython(['-c', LOGGING, storeRoot]);
  logger = script.child;
  const live = await waitFor(
    () => listRuns(storeRoot, PROJECT).find((r) => r.name === 'tail'),
    'the script run to start',
  );

  // The relist finds the new run: a running row, and a line in the chart.
  const first = await waitFor(async () => {
    const s = await workspaceState(page, live.run_id);
    return s.rowText?.includes('running') && s.points > 0 ? s : null;
  }, 'the script run in the table and the chart');
  assert.equal(first.runs, 3);
  await page.evaluate((id) => {
    window.__liveRow = document.querySelector(`.jp-SpyglassRunsTable-row[data-run-id="${id}"]`);
  }, live.run_id);

  // Sample while the script logs: the line grows with no kernel delivering it.
  const counts = new Set();
  while (logger.exitCode === null) {
    const s = await workspaceState(page, live.run_id);
    if (logger.exitCode !== null) break;
    if (s.points > 0 && s.points < LIVE_STEPS) counts.add(s.points);
    if (counts.size >= 3) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(counts.size >= 3, `the live line should grow; it showed ${[...counts].join(', ')} points`);

  // Selecting the live run works while it logs, and the chart highlights it.
  await page.click(`.jp-SpyglassRunsTable-row[data-run-id="${live.run_id}"] .jp-SpyglassRunsTable-select`);
  const picked = await waitFor(async () => {
    const s = await workspaceState(page, live.run_id);
    return s.selected.includes(live.run_id) && s.highlighted.includes(live.run_id) ? s : null;
  }, 'the live run selected and highlighted');
  assert.ok(picked.sameRow, 'selecting re-rendered the table in place');

  assert.equal(await script.exited, 0, `the logging script failed: ${script.stderr()}`);
  // After the run ends and the next relist: finished, every point drawn once (600 < 1000 draws them all).
  const done = await waitFor(
    async () => {
      const s = await workspaceState(page, live.run_id);
      return s.rowText?.includes('finished') && s.points === LIVE_STEPS ? s : null;
    },
    'the run to show as finished with all its points',
    30_000,
  );
  assert.ok(done.sameRow, 'the live run kept its row node through every relist');
  assert.deepEqual(done.selected, [live.run_id], 'the selection survived the relists');

  // A run deleted from disk while the workspace is open leaves the table and the charts at the next relist.
  const doomed = listRuns(storeRoot, PROJECT).find((r) => r.name === 'old-a');
  rmSync(join(storeRoot, PROJECT, doomed.run_id), { recursive: true, force: true });
  const pruned = await waitFor(
    async () => {
      const s = await workspaceState(page, live.run_id);
      return s.runs === 2 && !s.chartRuns.includes(doomed.run_id) ? s : null;
    },
    'the deleted run to leave',
    30_000,
  );
  assert.equal(pruned.rows, 2);
  assert.equal(pruned.chartRuns.length, 2);
  assert.ok(pruned.sameRow, 'the remaining rows were kept');
  assert.deepEqual(
    consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
    'no Spyglass errors in the console',
  );
});
