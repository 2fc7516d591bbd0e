// Jupyter Notebook 7 runs the same prebuilt extension as JupyterLab: a notebook that logs a run, shows a table and
// embeds the workspace, opened in Notebook 7's own page (/notebooks/...), shows the live run panel, the table
// explorer and the workspace, with every logged row charted and nothing fetched from outside the machine; a cell
// showing sg.display_traces() shows its traced calls' tree in the live trace panel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns } from './support/store.mjs';

const STEPS = 120;

const CELLS = [
  `import math, time
import spyglass as sg

run = sg.init(project="nb7", config={"lr": 0.05})  # shows the live run panel here
for step in range(${STEPS}):
    run.log({"train": {"loss": 2 * math.exp(-step / 40)}, "lr": 0.05 * (1 - step / ${STEPS})})
    time.sleep(0.01)
run.finish()`,
  `table = sg.Table(columns=["id", "word", "score"], data=[[i, f"w{i}", i / 10] for i in range(20)])
trun = sg.init(project="nb7", name="tables", display=False)
trun.log({"words": table})
trun.finish()
table`,
  'sg.workspace("nb7")',
  `sg.display_traces("nb7-traces", dir="spyglass")
sg.init_traces("nb7-traces", dir="spyglass")

@sg.op
def step(i):
    time.sleep(0.2)
    return i * i

@sg.op
def loop(n):
    return [step(i) for i in range(n)]

loop(4)`,
];

const session = useLabAndBrowser({
  prepare: (lab) => writeNotebook(join(lab.rootDir, 'nb7.ipynb'), CELLS),
});

test('Notebook 7 shows the live run panel, the table explorer and the workspace', async () => {
  const { page } = session.browser;
  await page.goto(`${session.lab.url}/notebooks/nb7.ipynb`);
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  // Notebook 7's application, not JupyterLab's.
  assert.equal(await page.evaluate(() => window.jupyterapp.name), 'Jupyter Notebook');
  await page.waitForFunction(
    () => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle',
    null,
    { timeout: 60_000 },
  );
  await runAllCells(page);

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(
    () => listRuns(storeRoot, 'nb7').find((r) => r.name !== 'tables'),
    'the run to appear in the store',
  );
  const panel = `[data-spyglass-run-id="${run.run_id}"]`;
  await page.waitForSelector(panel, { timeout: 30_000 });
  await waitFor(
    () =>
      page.$eval(panel, (p) => p.getAttribute('data-rows') === String(120) && p.dataset.state === 'finished'),
    'the panel to show every row of the finished run',
    60_000,
  );
  const loss = await page.$eval(`${panel} [data-metric="train/loss"]`, (chart) => ({
    points: Number(chart.getAttribute('data-points')),
    lines: chart.querySelectorAll('svg path[d*="L"]').length,
  }));
  assert.equal(loss.points, STEPS);
  assert.ok(loss.lines > 0, 'the loss chart draws its line');

  const table = await waitFor(
    () =>
      page.evaluate(() => {
        const explorer = document.querySelector('.sg-table-explorer');
        if (explorer?.dataset.state !== 'ready') return null;
        const words = [...explorer.querySelectorAll('.sg-grid-row:not(.sg-loading) .sg-grid-cell')].map(
          (c) => c.textContent,
        );
        return words.includes('w0') ? words : null;
      }),
    'the table explorer with its rows',
    60_000,
  );
  assert.ok(table.includes('w19') || table.length >= 20, `the table's rows show: ${table.slice(0, 9)}`);

  await page.waitForSelector(
    '.jp-SpyglassWorkspaceOutput .jp-SpyglassWorkspace[data-status="ready"][data-runs="2"]',
    {
      timeout: 60_000,
    },
  );
  const names = await page.$$eval('.jp-SpyglassWorkspaceOutput .jp-SpyglassRunsTable-row', (rows) =>
    rows.map((r) => r.textContent),
  );
  assert.equal(names.length, 2, `the workspace lists both runs: ${names}`);
  assert.ok(names.some((n) => n.includes('tables')));

  const tree = await waitFor(
    async () => {
      const rows = await page.$$eval('.jp-SpyglassTracesOutput [data-spyglass-tree-row]', (nodes) =>
        nodes.map((r) => `${r.getAttribute('data-spyglass-tree-row')}:${r.getAttribute('data-status')}`),
      );
      return rows.length === 5 && rows[0] === 'loop:success' ? rows : null;
    },
    'the trace panel with the loop and its four steps',
    60_000,
  );
  assert.deepEqual(tree, ['loop:success', ...Array(4).fill('step:success')]);

  const outside = session.browser.requests.filter(
    (u) => !u.startsWith(session.lab.url) && !u.startsWith('data:') && !u.startsWith('blob:'),
  );
  assert.deepEqual(outside, [], 'the page must not fetch anything from outside the machine');
  assert.deepEqual(
    session.browser.consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
    'no Spyglass error in the console',
  );
});
