// The workspace over a generated store: 12 runs × 20k steps × 3 metrics (one run with a spike) and one damaged run.
// Opened from the command palette; filter, group, select, zoom, add a panel, and the layout survives a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { runPython } from './support/store.mjs';

const PROJECT = 'ws';
const RUNS = 12;
const STEPS = 20_000;
const SPIKE_STEP = 15_000;
const SPIKE = 50;
// M4 over at most 250 buckets keeps at most 4 points per bucket: never more than 1000 points per line.
const MAX_POINTS_PER_LINE = 1000;

const GENERATOR = `
import json, math, os, sys
import spyglass as sg
store, runs, steps, spike_step, spike = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
for i in range(runs):
    run = sg.init(project="${PROJECT}", dir=store, name=f"run-{i:02d}", group="g%d" % (i % 2),
                  config={"lr": [0.1, 0.01, 0.001][i % 3], "opt": ["adam", "sgd"][i % 2], "seed": i},
                  settings={"x_disable_stats": True})
    for step in range(steps):
        loss = 1.0 / (1 + step / 1000) + 0.01 * math.sin(step / 50 + i)
        if i == 3 and step == spike_step:
            loss = spike
        run.log({"train/loss": loss, "train/acc": 1 - loss / 2, "val/loss": loss * 1.1}, step=step)
    run.finish()
broken = os.path.join(store, "${PROJECT}", "broken-run")
os.makedirs(broken)
with open(os.path.join(broken, "run.json"), "w") as f:
    f.write('{"run_id": "broken-run", "state": "finis')
`;

const session = useLabAndBrowser({
  prepare: (lab) => runPython(GENERATOR, [join(lab.rootDir, 'spyglass'), RUNS, STEPS, SPIKE_STEP, SPIKE]),
});

const WORKSPACE = '.jp-SpyglassWorkspace';
const chart = (metric) => `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="${metric}"]`;

async function openFromPalette(page) {
  await page.evaluate(() => window.jupyterapp.commands.execute('apputils:activate-command-palette'));
  const input = page.locator('.lm-CommandPalette-input');
  await input.fill('Open Spyglass workspace');
  await page.locator('.lm-CommandPalette-item', { hasText: 'Open Spyglass workspace' }).first().click();
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="${RUNS + 1}"]`, {
    timeout: 60_000,
  });
}

/** What a line chart shows: its data attributes, the lines it painted, and its vega view (frame or bands). */
function chartState(page, metric) {
  return page.evaluate((selector) => {
    const node = document.querySelector(selector);
    if (!node) return null;
    const view = node.spyglassView;
    // Vega-Lite keeps only the dataset the spec draws: bands when runs are grouped.
    const bands = (() => {
      try {
        return view ? view.data('bands').length : 0;
      } catch {
        return 0;
      }
    })();
    const lines = node.spyglassLines ?? [];
    const perRun = {};
    let yMax = -Infinity;
    let xs = null;
    for (const line of lines) {
      perRun[line.run] = line.xs.length;
      for (const y of line.ys) yMax = Math.max(yMax, y);
      if (line.xs.length === 0) continue;
      const [lo, hi] = [line.xs[0], line.xs[line.xs.length - 1]];
      xs = xs ? [Math.min(xs[0], lo), Math.max(xs[1], hi)] : [lo, hi];
    }
    // The canvas the lines are painted on, as the user sees it: pixels with any ink.
    const canvas = node.querySelector('.jp-SpyglassLinePlot-lines');
    let inked = 0;
    if (canvas && canvas.width > 0 && canvas.height > 0) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    }
    return {
      state: node.dataset.state,
      error: node.dataset.error ?? null,
      lines: Number(node.dataset.lines),
      maxPoints: Number(node.dataset.maxPoints),
      perRun,
      yMax,
      xs,
      inked,
      bands,
      groups: Number(node.dataset.groups),
      range: node.dataset.range ? JSON.parse(node.dataset.range) : null,
      highlighted: node.dataset.highlighted ?? '',
      highlightSignal: view ? view.signal('highlight') : null,
    };
  }, chart(metric));
}

async function waitForChart(page, metric, predicate, what) {
  return waitFor(async () => {
    const state = await chartState(page, metric);
    return state && state.state === 'ready' && predicate(state) ? state : null;
  }, what);
}

/** The page position of (x, y) on a chart's plot, y mid-height when omitted (the line canvas covers the plot). */
function plotPoint(page, metric, x, y) {
  return page.evaluate(
    ([selector, xv, yv]) => {
      const node = document.querySelector(selector);
      const view = node.spyglassView;
      const box = node.querySelector('.jp-SpyglassLinePlot-lines').getBoundingClientRect();
      const top = yv === null ? view.height() / 2 : view.scale('y')(yv);
      return { x: box.left + view.scale('x')(xv), y: box.top + top };
    },
    [chart(metric), x, y ?? null],
  );
}

/** Alpha of the line canvas around a page position (3×3 device pixels, max). */
function inkAt(page, metric, at) {
  return page.evaluate(
    ([selector, { x, y }]) => {
      const canvas = document.querySelector(`${selector} .jp-SpyglassLinePlot-lines`);
      const box = canvas.getBoundingClientRect();
      const ratio = canvas.width / box.width;
      const px = Math.round((x - box.left) * ratio);
      const py = Math.round((y - box.top) * ratio);
      const data = canvas.getContext('2d').getImageData(px - 1, py - 1, 3, 3).data;
      let alpha = 0;
      for (let i = 3; i < data.length; i += 4) alpha = Math.max(alpha, data[i]);
      return alpha;
    },
    [chart(metric), at],
  );
}

test('the workspace lists every run, filters, groups, selects, zooms and keeps its layout', async () => {
  const { page, consoleErrors } = session.browser;
  await openLab(page, session.lab.url);
  await openFromPalette(page);

  // Runs table: all runs, the damaged one with its reason.
  const rows = await page.$$eval('.jp-SpyglassRunsTable-row', (els) =>
    els.map((e) => ({ id: e.dataset.runId, damaged: e.dataset.damaged ?? null, text: e.textContent })),
  );
  assert.equal(rows.length, RUNS + 1);
  const broken = rows.find((r) => r.damaged !== null);
  assert.ok(broken, 'the damaged run is listed');
  assert.match(broken.damaged, /run\.json/);
  assert.match(broken.text, /damaged: run\.json/);

  // One line panel per metric; at full range every run is a line of at most 1000 points and the spike shows.
  const full = await waitForChart(
    page,
    'train/loss',
    (s) => s.lines === RUNS,
    'train/loss drawn for every run',
  );
  assert.ok(full.maxPoints <= MAX_POINTS_PER_LINE, `points per line ${full.maxPoints}`);
  assert.equal(Object.keys(full.perRun).length, RUNS, 'one painted line per run');
  assert.ok(full.inked > 1000, `the lines are painted (${full.inked} pixels)`);
  assert.ok(Math.max(...Object.values(full.perRun)) <= MAX_POINTS_PER_LINE);
  assert.equal(full.yMax, SPIKE, 'the spike survives downsampling');
  for (const metric of ['train/acc', 'val/loss']) assert.ok(await page.$(chart(metric)), metric);

  // WHERE box: lr < 0.05 keeps 8 of the 12 healthy runs (the damaged one has no config).
  await page.fill('.jp-SpyglassWorkspace-where', '"config.lr" < 0.05');
  await page.press('.jp-SpyglassWorkspace-where', 'Enter');
  await page.waitForSelector(`${WORKSPACE}[data-shown="8"]`);
  await waitForChart(page, 'train/loss', (s) => s.lines === 8, 'the chart to follow the WHERE filter');
  await page.click('.jp-SpyglassWorkspace-whereRow button:has-text("Clear")');
  await page.waitForSelector(`${WORKSPACE}[data-shown="${RUNS + 1}"]`);

  // Group by a config key: a band and a mean line per group.
  await page.selectOption('.jp-SpyglassWorkspace-groupBy', 'config.opt');
  const grouped = await waitForChart(
    page,
    'train/loss',
    (s) => s.groups === 2 && s.bands > 0,
    'bands per group',
  );
  assert.ok(grouped.bands <= 2 * 250, `band rows ${grouped.bands}`);
  assert.ok(await page.$(`${chart('train/loss')} .mark-area`), 'the min/max band is drawn');
  await page.selectOption('.jp-SpyglassWorkspace-groupBy', '');
  await waitForChart(page, 'train/loss', (s) => s.groups === 0 && s.lines === RUNS, 'lines again');

  // Select two runs: every chart highlights them.
  const healthy = rows.filter((r) => r.damaged === null).map((r) => r.id);
  const picked = healthy.slice(0, 2);
  for (const id of picked)
    await page.click(`.jp-SpyglassRunsTable-row[data-run-id="${id}"] .jp-SpyglassRunsTable-select`);
  const highlighted = await waitForChart(
    page,
    'val/loss',
    (s) => picked.every((id) => s.highlightSignal?.includes(id)),
    'the selected runs highlighted in val/loss',
  );
  assert.deepEqual([...highlighted.highlightSignal].sort(), [...picked].sort());
  await page.mouse.move(5, 5);

  // Brush to zoom around the spike, then wheel: each re-query stays downsampled and keeps the spike.
  await page.locator(chart('train/loss')).scrollIntoViewIfNeeded();
  const from = await plotPoint(page, 'train/loss', SPIKE_STEP - 2000);
  const to = await plotPoint(page, 'train/loss', SPIKE_STEP + 2000);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  const zoomed = await waitForChart(page, 'train/loss', (s) => s.range !== null, 'the brush zoom');
  assert.ok(zoomed.range[0] > 10_000 && zoomed.range[1] < 20_000, `range ${JSON.stringify(zoomed.range)}`);
  assert.ok(zoomed.maxPoints <= MAX_POINTS_PER_LINE, `points per line ${zoomed.maxPoints}`);
  assert.equal(zoomed.yMax, SPIKE, 'the spike survives the zoom');
  assert.ok(zoomed.xs[0] >= zoomed.range[0] && zoomed.xs[1] <= zoomed.range[1], 'only the range is held');

  // The spike is painted where the axes put it, and hovering it highlights its run's row in the table.
  const spikeRun = rows.find((r) => r.text.includes('run-03')).id;
  const spikeAt = await plotPoint(page, 'train/loss', SPIKE_STEP, SPIKE);
  assert.ok((await inkAt(page, 'train/loss', spikeAt)) > 0, 'the spike is painted on the canvas');
  await page.mouse.move(spikeAt.x, spikeAt.y + 1);
  await waitFor(
    () => page.$eval(`${WORKSPACE} .jp-SpyglassRunsTable`, (n, id) => n.dataset.hoveredRun === id, spikeRun),
    'hovering the spike to highlight its run in the table',
  );
  await page.mouse.move(5, 5);

  // Ctrl+wheel zooms (a plain wheel scrolls the page, see workspace-layout.test.mjs).
  const centre = await plotPoint(page, 'train/loss', SPIKE_STEP);
  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  const wheeled = await waitForChart(
    page,
    'train/loss',
    (s) => s.range && s.range[1] - s.range[0] < zoomed.range[1] - zoomed.range[0],
    'the Ctrl+wheel zoom',
  );
  assert.ok(wheeled.range[0] <= SPIKE_STEP && wheeled.range[1] >= SPIKE_STEP, `range ${wheeled.range}`);
  assert.ok(wheeled.maxPoints <= MAX_POINTS_PER_LINE);
  assert.equal(wheeled.yMax, SPIKE, 'the spike survives the wheel zoom');

  // Wall-time axis: the zoom resets, x is epoch milliseconds, and a brush zooms to the range it covers.
  await page.selectOption('.jp-SpyglassWorkspace-xAxis', 'wall');
  const wall = await waitForChart(
    page,
    'train/loss',
    (s) => s.range === null && s.xs !== null && s.xs[0] > 1e12,
    'the wall-time axis',
  );
  assert.equal(wall.lines, RUNS);
  const span = wall.xs[1] - wall.xs[0];
  const [wallFrom, wallTo] = [wall.xs[0] + span * 0.3, wall.xs[0] + span * 0.6];
  const a = await plotPoint(page, 'train/loss', wallFrom);
  const b = await plotPoint(page, 'train/loss', wallTo);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  const wallZoom = await waitForChart(
    page,
    'train/loss',
    (s) => s.range !== null,
    'the wall-time brush zoom',
  );
  // The range is kept in seconds; the axis shows it in milliseconds.
  const domain = await page.$eval(chart('train/loss'), (n) => n.spyglassView.scale('x').domain().map(Number));
  assert.ok(Math.abs(domain[0] - wallZoom.range[0] * 1000) < 1, `domain ${domain} for ${wallZoom.range}`);
  assert.ok(Math.abs(domain[1] - wallZoom.range[1] * 1000) < 1, `domain ${domain} for ${wallZoom.range}`);
  assert.ok(Math.abs(domain[0] - wallFrom) < span * 0.02, 'the brushed range is shown');
  assert.ok(wallZoom.xs[0] >= domain[0] && wallZoom.xs[1] <= domain[1], 'lines within the zoomed range');
  await page.selectOption('.jp-SpyglassWorkspace-xAxis', 'step');
  await waitForChart(page, 'train/loss', (s) => s.range === null && s.xs[1] < 1e12, 'back to the step axis');

  // Exports: the table as CSV and Parquet, a panel as PNG and as its spec with data.
  const download = async (selector) => {
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }).catch(async (error) => {
        const shown = await page.$eval(`${WORKSPACE} > .jp-SpyglassWorkspace-message`, (n) => n.textContent);
        throw new Error(`no download from ${selector}; the workspace says: ${shown}`, { cause: error });
      }),
      page.click(selector),
    ]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  };
  const csv = await download('.jp-SpyglassWorkspace-exportCsv');
  assert.equal(csv.name, `${PROJECT}-runs.csv`);
  assert.equal(
    csv.bytes.toString('utf8').trim().split('\r\n').length,
    RUNS + 2,
    'header and one line per run',
  );
  const parquet = await download('.jp-SpyglassWorkspace-exportParquet');
  assert.equal(parquet.bytes.subarray(0, 4).toString(), 'PAR1');
  const png = await download(`${chart('train/loss')} [data-action="png"]`);
  assert.equal(png.name, 'train_loss.png');
  assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
  const spec = JSON.parse(
    (await download(`${chart('train/loss')} [data-action="spec"]`)).bytes.toString('utf8'),
  );
  assert.ok(spec.datasets.lines.length > 0 && spec.datasets.lines.length <= RUNS * MAX_POINTS_PER_LINE);

  // Add a scatter panel.
  await page.click('.jp-SpyglassWorkspace-addPanel');
  await page.selectOption('.jp-SpyglassPanelEditor-kind', 'scatter');
  await page.selectOption('.jp-SpyglassPanelEditor-x', 'config.lr');
  await page.selectOption('.jp-SpyglassPanelEditor-y', 'config.seed');
  await page.click('.jp-SpyglassPanelEditor-add');
  const scatter = `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-kind="scatter"]`;
  // Panels load when scrolled into view; the new one is at the end of the grid.
  await page.locator(scatter).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${scatter}[data-state="ready"]`);
  assert.equal(await page.$eval(scatter, (n) => n.dataset.points), String(RUNS));

  // The layout is saved to the project's workspace file and restored after a reload.
  const saves = await page.$eval(WORKSPACE, (n) => Number(n.dataset.layoutSaves));
  await waitFor(
    async () =>
      (await page.$eval(WORKSPACE, (n) => Number(n.dataset.layoutSaves))) > saves - 1 &&
      (
        await fetch(`${session.lab.url}/spyglass/api/v1/workspace_layout?project=${PROJECT}`).then((r) =>
          r.json(),
        )
      ).layout?.panels?.some((p) => p.kind === 'scatter'),
    'the layout with the scatter panel saved',
  );
  await page.reload();
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  if (!(await page.$(WORKSPACE))) await openFromPalette(page);
  await page.waitForSelector(`${scatter}`, { timeout: 60_000 });
  const selected = await page.$eval(WORKSPACE, (n) => n.dataset.selected.split(',').filter(Boolean));
  assert.deepEqual(selected.sort(), [...picked].sort(), 'the selection survived the reload');
  assert.deepEqual(
    consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
    'no Spyglass errors in the console',
  );
});

test('sg.workspace() embeds the workspace in a notebook and keeps its layout in the notebook metadata', async () => {
  const { page } = session.browser;
  writeNotebook(join(session.lab.rootDir, 'compare.ipynb'), ['import spyglass as sg\nsg.workspace("ws")']);
  await openNotebook(page, 'compare.ipynb');
  await runAllCells(page);
  const embedded = `.jp-SpyglassWorkspaceOutput ${WORKSPACE}`;
  await page.waitForSelector(`${embedded}[data-status="ready"][data-runs="${RUNS + 1}"]`, {
    timeout: 60_000,
  });

  // In a notebook a plain wheel scrolls the notebook; Ctrl+wheel zooms the chart.
  const lossChart = `${embedded} .jp-SpyglassWorkspaceChart[data-metric="train/loss"]`;
  await page.locator(lossChart).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${lossChart}[data-state="ready"]`);
  await page.evaluate(() => {
    window.sgWheels = [];
    document.addEventListener('wheel', (e) => window.sgWheels.push(e.defaultPrevented));
  });
  const box = await page.locator(`${lossChart} .jp-SpyglassLinePlot-lines`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await waitFor(() => page.evaluate(() => window.sgWheels.length > 0), 'the plain wheel event');
  assert.deepEqual(await page.evaluate(() => window.sgWheels), [false], 'a plain wheel is left to the page');
  assert.equal(await page.$eval(lossChart, (n) => n.dataset.range), '', 'no zoom from a plain wheel');
  const moved = await page.locator(`${lossChart} .jp-SpyglassLinePlot-lines`).boundingBox();
  await page.mouse.move(moved.x + moved.width / 2, moved.y + moved.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await waitFor(
    () => page.$eval(lossChart, (n) => n.dataset.state === 'ready' && n.dataset.range !== ''),
    'Ctrl+wheel to zoom the embedded chart',
  );

  await page.selectOption(`${embedded} .jp-SpyglassWorkspace-groupBy`, 'config.opt');
  const saved = await waitFor(
    () =>
      page.evaluate(() => {
        const model = window.jupyterapp.shell.currentWidget.content.model;
        return model.getMetadata('spyglass')?.workspaces?.ws ?? null;
      }),
    'the layout in the notebook metadata',
  );
  assert.equal(saved.version, 2);
  await waitFor(
    () =>
      page.evaluate(
        () =>
          window.jupyterapp.shell.currentWidget.content.model.getMetadata('spyglass').workspaces.ws.table
            .groupBy,
      ),
    'the group-by saved',
  );
});

test('the run browser lists the projects and opens the workspace with a clicked run selected', async () => {
  const { page } = session.browser;
  await page.evaluate(() => window.jupyterapp.shell.activateById('spyglass-run-browser'));
  const project = `.jp-SpyglassRunBrowser-project[data-project="${PROJECT}"]`;
  await page.waitForSelector(project);
  if ((await page.getAttribute(project, 'aria-expanded')) !== 'true') {
    await page.click(`${project} .jp-SpyglassRunBrowser-caret`);
  }
  const run = await page.waitForSelector(`${project} .jp-SpyglassRunBrowser-run:has-text("run-05")`);
  const runId = await run.evaluate((li) => li.dataset.runId);
  await run.click();
  await waitFor(
    () =>
      page.evaluate(
        (id) =>
          [...document.querySelectorAll('.jp-SpyglassWorkspaceWidget .jp-SpyglassWorkspace')].some(
            (n) => n.dataset.selected === id,
          ),
        runId,
      ),
    'the workspace to select the clicked run',
  );
  const damaged = await page.$eval(
    `${project} .jp-SpyglassRunBrowser-run:has-text("damaged")`,
    (n) => n.textContent,
  );
  assert.match(damaged, /run\.json/);
});
