// Workspace scale benchmark (issue 18): RUNS finished runs × STEPS steps × 10 metrics, the real Jupyter server and the
// workspace data layer on DuckDB-WASM in headless Chromium, measured two ways side by side in fresh browsers:
// - windows: the product's way. A large metric stays on the server: the page keeps its overview, and every zoom
//   is a window the server's native DuckDB answers (M4 buckets only cross the wire);
// - rows: the way before it. Every metric's rows are loaded into the page and zooms are answered there.
// Prints medians, p95 and ratios; page memory is the browser's renderer process (the page and its DuckDB worker).
//
//   node bench/workspace_scale/bench.mjs [--runs 1000] [--steps 100000] [--buckets 250] [--zooms 40]
//                                        [--metrics 10] [--modes windows,rows] [--budget-gib 0.375] [--build no]
// --build no reuses bench/workspace/page/dist as it is (webpack takes minutes on the shared machine).
// Finished runs carry overview.arrow (generate_store.py): the first chart reads those, not every run's rows.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../e2e/support/browser.mjs';
import { buildPage } from '../workspace/build-page.mjs';
import { python, startJupyter, startPageServer } from '../workspace/serve.mjs';
import { fmt, quantile, zoomWindows } from '../workspace/zoom-windows.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = {};
for (const [i, arg] of process.argv.entries())
  if (arg.startsWith('--')) args[arg.slice(2)] = process.argv[i + 1];
const RUNS = Number(args.runs ?? 1000);
const STEPS = Number(args.steps ?? 100_000);
const BUCKETS = Number(args.buckets ?? 250);
const ZOOMS = Number(args.zooms ?? 40);
const METRICS = Number(args.metrics ?? 10);
const MODES = (args.modes ?? 'windows,rows').split(',');
const BUDGET = Number(args['budget-gib'] ?? 0.375) * 1024 ** 3; // the product's default budget
const base = process.env.SG_WS_SCALE_DIR ?? '/tmp/sg-ws-scale';
const store = join(base, `store-${RUNS}x${STEPS}`);
const METRIC = 'train/loss';

const windows = (n, seed) => zoomWindows(n, seed, STEPS);

const median = (xs) => quantile(xs, 0.5);
const mib = (bytes) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/**
 * Resident memory of this benchmark's browser renderer processes (the page and its DuckDB-WASM worker), in bytes:
 * Chromium renderers descending from this process (other browsers on the machine are not counted).
 */
function rendererBytes() {
  const processes = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pid, ppid, rss, ...rest] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss) * 1024, command: rest.join(' ') };
    });
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes)
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
  }
  return processes
    .filter((p) => ours.has(p.pid) && p.command.includes('--type=renderer'))
    .reduce((total, p) => total + p.rss, 0);
}

/** Where the page's memory is after a step: renderer RSS, the page's JS heap (CDP) and DuckDB's own accounting. */
async function memorySnapshot(page, cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const duckdb = await page.evaluate(() => window.bench.duckdbMemory()).catch(() => ({ total: 0 }));
  return { rss: rendererBytes(), jsHeap: heap, duckdb: duckdb.total, duckdbTags: duckdb.tags };
}
const memoryLine = (m) => `renderer ${mib(m.rss)}, page JS heap ${mib(m.jsHeap)}, DuckDB ${mib(m.duckdb)}`;

async function measure(mode, metrics, distinct) {
  const browser = await launchBrowser();
  const { page } = browser;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const result = { mode, firsts: [], zoomQuery: [], zoomDraw: [], spikes: [0, 0], refused: null };
  try {
    await page.goto(`${pages.url}/page/index.html`);
    await page.waitForFunction(() => window.bench);
    const idle = rendererBytes();
    console.log(`[${mode}] page open: ${memoryLine(await memorySnapshot(page, cdp))}`);
    await page.evaluate(
      ([root, options]) => window.bench.open(root, 'bench', options),
      [store, { windows: mode === 'windows', budgetBytes: BUDGET }],
    );
    console.log(`[${mode}] engine started: ${memoryLine(await memorySnapshot(page, cdp))}`);
    // First chart of one metric across all runs, cold (list, overview, M4, draw).
    try {
      result.firsts.push(await page.evaluate(([m, b]) => window.bench.firstChart(m, b), [METRIC, BUCKETS]));
    } catch (error) {
      result.refused = String(error).split('\n')[0];
      return result;
    }
    console.log(
      `[${mode}] first chart ${METRIC}: ${fmt(result.firsts[0].totalMs)} (${JSON.stringify(result.firsts[0])}); ` +
        memoryLine(await memorySnapshot(page, cdp)),
    );
    // A failed window (the server's error) is counted and the run goes on to the other metrics' memory.
    result.zoomErrors = [];
    for (const range of windows(ZOOMS, 1)) {
      try {
        const z = await page.evaluate(
          ([m, r, b]) => window.bench.zoom(m, r, b, true),
          [METRIC, range, BUCKETS],
        );
        result.zoomQuery.push(z.queryMs);
        result.zoomDraw.push(z.totalMs);
      } catch (error) {
        result.zoomErrors.push(String(error).split('\n')[0]);
      }
    }
    for (const range of windows(20, 3)) {
      try {
        const s = await page.evaluate(
          ([m, r, b, n, d]) => window.bench.spikesKept(m, r, b, n, d),
          [METRIC, range, BUCKETS, STEPS, distinct],
        );
        result.spikes[0] += s.kept;
        result.spikes[1] += s.expected;
      } catch (error) {
        result.zoomErrors.push(String(error).split('\n')[0]);
      }
    }
    if (result.zoomErrors.length)
      console.log(`[${mode}] ${result.zoomErrors.length} zoom windows failed:`, result.zoomErrors[0]);
    console.log(`[${mode}] after the zooms: ${memoryLine(await memorySnapshot(page, cdp))}`);
    // The other metrics, one chart each: memory after opening them all.
    for (const metric of metrics.slice(1)) {
      try {
        const first = await page.evaluate(([m, b]) => window.bench.firstChart(m, b), [metric, BUCKETS]);
        result.firsts.push(first);
        const parts = ['listMs', 'fetchMs', 'parseMs', 'ingestMs', 'buildMs', 'sqlMs', 'queryMs', 'drawMs']
          .map((k) => `${k.replace('Ms', '')} ${fmt(first[k])}`)
          .join(', ');
        console.log(
          `[${mode}] first chart ${metric}: ${fmt(first.totalMs)} (${parts}); ` +
            memoryLine(await memorySnapshot(page, cdp)),
        );
      } catch (error) {
        console.log(`[${mode}] ${metric}: ${String(error).split('\n')[0]}`);
      }
    }
    result.memory = await page.evaluate(() => window.bench.memory());
    result.snapshot = await memorySnapshot(page, cdp);
    console.log(
      `[${mode}] after ${metrics.length} metrics: ${memoryLine(result.snapshot)}`,
      result.snapshot.duckdbTags,
    );
    result.rendererBytes = rendererBytes();
    result.idleRendererBytes = idle;
    if (browser.consoleErrors.length)
      console.log(`[${mode}] page errors:`, browser.consoleErrors.slice(0, 3));
    return result;
  } catch (error) {
    // A page that dies (out of memory) or fails ends this mode; what was measured so far is still printed.
    result.failed = String(error).split('\n')[0];
    console.log(`[${mode}] failed: ${result.failed}`);
    return result;
  } finally {
    const q = (xs, p) => (xs.length ? fmt(quantile(xs, p)) : 'n/a');
    console.log(
      `[${mode}] zooms ${result.zoomQuery.length}: query median ${q(result.zoomQuery, 0.5)} p95 ` +
        `${q(result.zoomQuery, 0.95)}; query + redraw median ${q(result.zoomDraw, 0.5)} p95 ` +
        `${q(result.zoomDraw, 0.95)}; renderer ${mib(rendererBytes())}`,
    );
    await browser.close();
  }
}

const gen = spawnSync(
  python,
  [join(here, 'generate_store.py'), store, '--runs', String(RUNS), '--steps', String(STEPS)],
  { stdio: 'inherit' },
);
if (gen.status !== 0) throw new Error('store generation failed');
const { metrics: allMetrics, distinct } = JSON.parse(
  readFileSync(join(store, `.bench-${RUNS}x${STEPS}.json`), 'utf8'),
);
if (args.build !== 'no') await buildPage();
const jupyter = await startJupyter(base, store);
const pages = await startPageServer(jupyter.url);
const results = [];
try {
  for (const mode of MODES) results.push(await measure(mode, allMetrics.slice(0, METRICS), distinct ?? RUNS));
} finally {
  jupyter.child.kill('SIGTERM');
  pages.server.close();
}

console.log(
  `\n${RUNS} runs × ${STEPS} steps × ${allMetrics.length} metrics, ${BUCKETS} buckets, budget ${mib(BUDGET)}`,
);
console.log('| operation | windows (server answers zooms) | rows in the page (before) | ratio |');
console.log('|---|---|---|---|');
const [ours, before] = [results.find((r) => r.mode === 'windows'), results.find((r) => r.mode === 'rows')];
const broken = (r) => r.refused ?? r.failed;
const cell = (r, f) => (!r ? '—' : broken(r) ? `no answer: ${broken(r)}` : f(r));
const ratio = (f) =>
  ours && before && !broken(ours) && !broken(before) ? `${(f(before) / f(ours)).toFixed(2)}×` : '—';
const rows = [
  [
    'first chart, 1 metric × all runs (cold), median of the metrics opened',
    (r) => median(r.firsts.map((f) => f.totalMs)),
  ],
  ['first chart of the first metric (cold server)', (r) => r.firsts[0].totalMs],
  ['zoom/pan re-query, median', (r) => median(r.zoomQuery)],
  ['zoom/pan re-query, p95', (r) => quantile(r.zoomQuery, 0.95)],
  ['zoom/pan re-query + redraw, median', (r) => median(r.zoomDraw)],
  ['zoom/pan re-query + redraw, p95', (r) => quantile(r.zoomDraw, 0.95)],
];
for (const [name, f] of rows)
  console.log(
    `| ${name} | ${cell(ours, (r) => fmt(f(r)))} | ${cell(before, (r) => fmt(f(r)))} | ${ratio(f)} |`,
  );
const memoryRows = [
  [`workspace tables after opening ${METRICS} metrics (estimate)`, (r) => r.memory.usedBytes],
  [`renderer process RSS after opening ${METRICS} metrics`, (r) => r.rendererBytes],
];
for (const [name, f] of memoryRows)
  console.log(
    `| ${name} | ${cell(ours, (r) => mib(f(r)))} | ${cell(before, (r) => mib(f(r)))} | ${ratio(f)} |`,
  );
for (const r of results)
  if (!broken(r))
    console.log(
      `[${r.mode}] spikes kept ${r.spikes[0]}/${r.spikes[1]}; metrics held: ${r.memory.metrics.length}; ` +
        `renderer before opening: ${mib(r.idleRendererBytes)}`,
    );
