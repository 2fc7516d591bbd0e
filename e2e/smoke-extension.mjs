// Smoke test of the built labextension in a real JupyterLab + headless Chromium: the extension loads without
// console errors, DuckDB-WASM starts from the extension's own static files, nothing is fetched from outside
// 127.0.0.1, and a run logged from a notebook shows as a live panel whose row count grows.
// Run: node e2e/smoke-extension.mjs [--screenshots DIR]   (after `npm run build`)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from './smoke/lab-server.mjs';
import { launchBrowser } from './support/browser.mjs';
import { openLab, openNotebook, panelRows, querySpyglass, waitFor } from './support/lab-page.mjs';

const STEPS = 300;
const shotsDir = process.argv.includes('--screenshots')
  ? process.argv[process.argv.indexOf('--screenshots') + 1]
  : null;

const CELLS = [
  "import spyglass as sg; run = sg.init(project='demo'); run",
  `import time\nfor i in range(${STEPS}):\n    run.log({'train/loss': 2 / (1 + 0.02 * i), 'train/accuracy': 1 - 0.9 / (1 + 0.03 * i), 'learning_rate': 1e-3 * 0.99 ** (i // 10)})\n    time.sleep(0.03)\nrun.finish()`,
  // A kernel package from the future: its output and its comm must be refused politely, not crash the page.
  'from comm import create_comm\nfrom IPython.display import display\n' +
    "future = create_comm(target_name='spyglass', data={'kind': 'hello', 'protocol': {'major': 2, 'minor': 0}, 'package_version': '9.0', 'runs': []})\n" +
    "display({'application/vnd.spyglass.run.v1+json': {'run_id': 'future', 'project': 'p', 'name': 'n', 'run_dir': '/nowhere', 'protocol': {'major': 2, 'minor': 0}}, 'text/plain': 'future run'}, raw=True)",
];

function writeNotebook(path, cells) {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: 'code',
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
  };
  writeFileSync(path, JSON.stringify(notebook, null, 1));
}

const lab = await startLab();
const browser = await launchBrowser();
const { page } = browser;
try {
  await openLab(page, lab.url);
  assert.ok(
    await page.evaluate(() => window.jupyterapp.commands.hasCommand('spyglass:query')),
    'extension loaded',
  );

  // DuckDB-WASM starts lazily on first use; time it from here.
  const t0 = Date.now();
  const [answer] = await querySpyglass(page, 'SELECT 42 AS answer');
  const firstQueryMs = Date.now() - t0;
  assert.deepEqual(answer, { answer: 42 });
  const { engineStartMs } = await page.evaluate(() => window.jupyterapp.commands.execute('spyglass:stats'));
  const staticFiles = browser.requests.filter((u) =>
    u.includes('/lab/extensions/@spyglass/labextension/static/'),
  );
  assert.ok(
    staticFiles.some((u) => u.endsWith('.wasm')),
    'the wasm came from the extension static folder',
  );
  console.log(
    `DuckDB-WASM ready: engine start ${Math.round(engineStartMs)} ms, first query ${firstQueryMs} ms`,
  );

  writeNotebook(join(lab.rootDir, 'smoke.ipynb'), CELLS);
  await openNotebook(page, 'smoke.ipynb');
  await page.evaluate(() => {
    window.__spyglassSeen = [];
    // setAttribute with an unchanged value still makes a record: keep only real changes of the row count.
    new MutationObserver((records) => {
      for (const record of records) {
        const at = performance.now();
        const rows = Number(record.target.getAttribute('data-rows'));
        if (String(rows) === record.oldValue) continue;
        window.jupyterapp.commands
          .execute('spyglass:stats')
          .then((s) => window.__spyglassSeen.push({ rows, lagMs: at - s.lastFrameArrivedAt }));
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ['data-rows'],
    });
  });
  // Not runAllCells(): awaiting the command would wait for the whole notebook to finish.
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('notebook:run-all-cells');
  });
  const panel = await page.waitForSelector('[data-spyglass-run-id]', { timeout: 60_000 });
  const runId = await panel.getAttribute('data-spyglass-run-id');
  await waitFor(
    async () => (await panelRows(page, runId)) >= STEPS / 2,
    'the panel to reach half the rows',
    60_000,
  );
  if (shotsDir) await panel.screenshot({ path: join(shotsDir, 'smoke-panel-live.png') });
  await waitFor(
    async () => (await panelRows(page, runId)) === STEPS,
    `the panel to show ${STEPS} rows`,
    60_000,
  );
  await waitFor(
    async () => (await panel.getAttribute('data-state')) === 'finished',
    'the panel to show the finished state',
  );

  const seen = await page.evaluate(() => window.__spyglassSeen);
  const distinct = new Set(seen.map((s) => s.rows).filter((n) => n > 0 && n < STEPS));
  assert.ok(distinct.size >= 5, `the row count should grow live; saw ${JSON.stringify([...distinct])}`);
  const lags = seen.map((s) => s.lagMs).sort((a, b) => a - b);
  const median = lags[Math.floor(lags.length / 2)];
  const p95 = lags[Math.floor(lags.length * 0.95)];
  console.log(
    `comm message → row count visible: median ${Math.round(median)} ms, p95 ${Math.round(p95)} ms over ${lags.length} updates`,
  );

  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS points, count(DISTINCT step)::INTEGER AS steps FROM points
      WHERE run_id = '${runId}' AND metric = 'train/loss'`,
  );
  assert.deepEqual(counts, { points: STEPS, steps: STEPS }, 'every row once');
  const charts = await page.$$eval(`[data-spyglass-run-id="${runId}"] [data-metric]`, (nodes) =>
    nodes.map((n) => ({
      metric: n.getAttribute('data-metric'),
      points: Number(n.getAttribute('data-points')),
    })),
  );
  assert.deepEqual(
    charts.map((c) => c.metric),
    ['learning_rate', 'train/accuracy', 'train/loss'],
  );
  for (const chart of charts) assert.equal(chart.points, STEPS, `${chart.metric} shows every point`);
  if (shotsDir) {
    await panel.screenshot({ path: join(shotsDir, 'smoke-panel-light.png') });
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
    );
    await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false', null, {
      timeout: 10_000,
    });
    await page.waitForTimeout(500);
    await panel.screenshot({ path: join(shotsDir, 'smoke-panel-dark.png') });
  }

  const notice = await page.waitForSelector('.jp-SpyglassRunOutput-notice', { timeout: 30_000 });
  assert.match(await notice.textContent(), /newer Spyglass \(protocol 2\.0\)/);
  if (shotsDir) await page.screenshot({ path: join(shotsDir, 'smoke-page.png') });

  const outside = browser.requests.filter((u) => !u.startsWith(lab.url) && !/^(data|blob):/.test(u));
  assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
  assert.deepEqual(browser.consoleErrors, [], 'no console errors');
  console.log(`smoke OK: ${browser.requests.length} requests, all to ${lab.url}`);
} catch (error) {
  if (shotsDir) await page.screenshot({ path: join(shotsDir, 'smoke-failure.png') }).catch(() => undefined);
  console.error('console errors:', browser.consoleErrors);
  console.error(lab.serverLog().slice(-3000));
  throw error;
} finally {
  await browser.close();
  await lab.stop();
}
