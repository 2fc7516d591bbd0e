// Workspace benchmark (issue 4): 100 finished runs × 100k steps × 10 metrics plus one run logging at 100 steps/s,
// read through the real Jupyter server endpoints into the workspace data layer on DuckDB-WASM in headless Chromium.
// Prints medians, p95 and the ratio against the naive way (every raw point of the metric handed to Vega).
//
//   node bench/workspace/bench.mjs [--runs 100] [--steps 100000] [--buckets 1000] [--naive-runs 5] [--zooms 40]
//                                  [--live-seconds 15]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../e2e/support/browser.mjs';
import { buildPage } from './build-page.mjs';
import { python, startJupyter, startPageServer } from './serve.mjs';
import { fmt, quantile, zoomWindows } from './zoom-windows.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = {};
for (const [i, arg] of process.argv.entries())
  if (arg.startsWith('--')) args[arg.slice(2)] = process.argv[i + 1];
const RUNS = Number(args.runs ?? 100);
const STEPS = Number(args.steps ?? 100_000);
const NAIVE_RUNS = Number(args['naive-runs'] ?? 5);
const ZOOMS = Number(args.zooms ?? 40);
const LIVE_SECONDS = Number(args['live-seconds'] ?? 15);
const BUCKETS = Number(args.buckets ?? 1000);
const METRIC = 'train/loss';
const base = process.env.SG_WS_BENCH_DIR ?? '/tmp/sg-ws-bench';
const store = join(base, `store-${RUNS}x${STEPS}`);

const windows = (n, seed) => zoomWindows(n, seed, STEPS);

async function main() {
  mkdirSync(base, { recursive: true });
  const gen = spawnSync(
    python,
    [join(here, 'generate_store.py'), store, '--runs', String(RUNS), '--steps', String(STEPS)],
    { stdio: 'inherit' },
  );
  if (gen.status !== 0) throw new Error('store generation failed');
  // Always rebundle: the page draws through the built product packages (spec builder + render path).
  await buildPage();
  rmSync(join(store, 'bench', 'live'), { recursive: true, force: true });
  const jupyter = await startJupyter(base, store);
  const pages = await startPageServer(jupyter.url);
  const logger = spawn(python, [join(here, 'live_logger.py'), store, String(LIVE_SECONDS + 120)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((ok) => logger.stdout.once('data', ok));
  const browser = await launchBrowser();
  const results = [];
  try {
    const { page } = browser;
    await page.goto(`${pages.url}/page/index.html`);
    await page.waitForFunction(() => window.bench);
    const opened = await page.evaluate(([root]) => window.bench.open(root, 'bench'), [store]);
    console.log(`DuckDB-WASM engine start: ${fmt(opened.engineMs)}`);

    // 1. First chart, one metric across all finished runs (cold load of each metric: list, fetch, ingest, M4, draw).
    const firsts = [];
    for (const metric of args.quick ? [METRIC] : [METRIC, 'val/loss', 'train/acc']) {
      const first = await page.evaluate(([m, b]) => window.bench.firstChart(m, b), [metric, BUCKETS]);
      firsts.push(first);
      console.log(
        `first chart ${metric}: ${fmt(first.totalMs)} (list ${fmt(first.listMs)}, fetch+ingest+pyramid ${fmt(first.loadMs)}, ` +
          `M4 ${fmt(first.queryMs)}, draw ${fmt(first.drawMs)}; rows in (every zoom exact) after ${fmt(first.rawMs)}, ` +
          `full pyramid after ${fmt(first.fullMs)}); ` +
          `${first.rows.toLocaleString()} rows, ${first.runs} runs, ` +
          `${first.points.toLocaleString()} points drawn (max ${first.maxPerLine}/line)`,
      );
    }
    // First chart on the wall and relative axes (cold: metrics not loaded yet): loadMetric told the axis (its
    // overview first), and not told (a step overview, then the chart asks for its axis's).
    const firstsOn = { 'wall axis': [], 'relative axis': [], 'wall axis, loadMetric not told it': [] };
    const axisMetrics = [
      ['wall', 'train/lr', true],
      ['wall', 'train/grad_norm', true],
      ['relative', 'val/acc', true],
      ['relative', 'perf/throughput', true],
      ['wall', 'perf/memory', false],
    ];
    for (const [xAxis, metric, told] of args.quick ? [] : axisMetrics) {
      const first = await page.evaluate(
        ([m, b, x, t]) => window.bench.firstChart(m, b, x, t),
        [metric, BUCKETS, xAxis, told],
      );
      const key = told ? `${xAxis} axis` : `${xAxis} axis, loadMetric not told it`;
      firstsOn[key].push(first);
      console.log(
        `first chart ${metric} on the ${key}: ${fmt(first.totalMs)} (load ${fmt(first.loadMs)}, ` +
          `M4 ${fmt(first.queryMs)}, draw ${fmt(first.drawMs)}; rows in after ${fmt(first.rawMs)}); ` +
          `${first.points.toLocaleString()} points drawn (max ${first.maxPerLine}/line)`,
      );
    }
    // Back to the first metric (it may have been evicted by the budget; the loads above show the cold path).
    await page.evaluate(([m, b]) => window.bench.firstChart(m, b), [METRIC, BUCKETS]);
    console.log('memory', JSON.stringify(await page.evaluate(() => window.bench.memory())));

    // 2. Zoom / pan re-query across all runs.
    const zoomQ = [];
    const zoomDraw = [];
    const drawParts = [];
    for (const range of windows(ZOOMS, 1)) {
      const z = await page.evaluate(
        ([m, r, b]) => window.bench.zoom(m, r, b, false),
        [METRIC, range, BUCKETS],
      );
      zoomQ.push(z.queryMs);
    }
    for (const range of windows(ZOOMS, 2)) {
      const z = await page.evaluate(
        ([m, r, b]) => window.bench.zoom(m, r, b, true),
        [METRIC, range, BUCKETS],
      );
      zoomDraw.push(z.totalMs);
      drawParts.push(z);
    }
    const vegaLines = [];
    for (const range of windows(Math.min(ZOOMS, 15), 2))
      vegaLines.push(
        (await page.evaluate(([m, r, b]) => window.bench.zoomVegaLines(m, r, b), [METRIC, range, BUCKETS]))
          .totalMs,
      );
    const idle = [];
    for (let i = 0; i < 20; i++) idle.push(await page.evaluate(() => window.bench.idleFrame()));
    const part = (k, q) =>
      fmt(
        quantile(
          drawParts.map((z) => z[k]),
          q,
        ),
      );
    console.log(
      `redraw parts, median / p95: query ${part('queryMs', 0.5)} / ${part('queryMs', 0.95)}, ` +
        `rows to lines ${part('convert', 0.5)} / ${part('convert', 0.95)}, ` +
        `frame + paint ${part('show', 0.5)} / ${part('show', 0.95)} (canvas paint ${part('paint', 0.5)} / ${part('paint', 0.95)}), ` +
        `browser frame ${part('frame', 0.5)} / ${part('frame', 0.95)} (an idle frame: ${fmt(quantile(idle, 0.5))})`,
    );
    let expected = 0;
    let kept = 0;
    for (const range of windows(20, 3)) {
      const s = await page.evaluate(
        ([m, r, b, n]) => window.bench.spikesKept(m, r, b, n),
        [METRIC, range, BUCKETS, STEPS],
      );
      expected += s.expected;
      kept += s.kept;
    }
    console.log(`spikes kept over 20 random zoom windows: ${kept}/${expected}`);

    // 3. Naive: every raw point of the metric for NAIVE_RUNS runs to Vega; ours on the same runs and windows.
    const naiveFirst = await page.evaluate(
      ([m, n]) => window.bench.naiveFirstChart(m, n),
      [METRIC, NAIVE_RUNS],
    );
    const naiveZoom = [];
    const oursSubset = [];
    for (const range of windows(8, 4)) {
      naiveZoom.push((await page.evaluate((r) => window.bench.naiveZoom(r), range)).totalMs);
      oursSubset.push(
        (
          await page.evaluate(
            ([m, n, b, r]) => window.bench.subsetChart(m, n, b, r),
            [METRIC, NAIVE_RUNS, BUCKETS, range],
          )
        ).totalMs,
      );
    }
    const oursSubsetFull = (
      await page.evaluate(
        ([m, n, b]) => window.bench.subsetChart(m, n, b, undefined),
        [METRIC, NAIVE_RUNS, BUCKETS],
      )
    ).totalMs;

    // 4. Live: newest point of the running run drawn vs its log time.
    await page.evaluate(([m]) => window.bench.startLive(m, 'live'), [METRIC]);
    await new Promise((r) => setTimeout(r, LIVE_SECONDS * 1000));
    const live = await page.evaluate(() => window.bench.liveLatencies());
    console.log(
      'live debug',
      JSON.stringify(await page.evaluate(() => window.bench.liveDebug())),
      browser.consoleErrors.slice(0, 3),
    );
    const naiveLive = await page.evaluate(
      ([m, s]) => window.bench.naiveLive(m, 'live', s),
      [METRIC, Math.min(LIVE_SECONDS, 10)],
    );

    const median = (xs) => quantile(xs, 0.5);
    results.push(
      [
        'first chart, 1 metric × all runs (cold)',
        median(firsts.map((f) => f.totalMs)),
        quantile(
          firsts.map((f) => f.totalMs),
          0.95,
        ),
        null,
        null,
      ],
      ...Object.entries(firstsOn)
        .filter(([, fs]) => fs.length)
        .map(([xAxis, fs]) => {
          const totals = fs.map((f) => f.totalMs);
          const name = `first chart on the ${xAxis}, 1 metric × all runs (cold)`;
          return [name, median(totals), quantile(totals, 0.95), null, null];
        }),
      [
        'raw rows in the page: every zoom answered exactly (background)',
        median(firsts.map((f) => f.rawMs)),
        quantile(
          firsts.map((f) => f.rawMs),
          0.95,
        ),
        null,
        null,
      ],
      [
        'all rows + full pyramid in the page (background)',
        median(firsts.map((f) => f.fullMs)),
        quantile(
          firsts.map((f) => f.fullMs),
          0.95,
        ),
        null,
        null,
      ],
      ['zoom/pan re-query, all runs', median(zoomQ), quantile(zoomQ, 0.95), null, null],
      [
        'zoom/pan re-query + redraw (frame + canvas lines), all runs; other: same rows as Vega line marks',
        median(zoomDraw),
        quantile(zoomDraw, 0.95),
        median(vegaLines),
        median(vegaLines) / median(zoomDraw),
      ],
      [
        `first chart, ${NAIVE_RUNS} runs (ours: M4 query + draw, data loaded)`,
        oursSubsetFull,
        oursSubsetFull,
        naiveFirst.totalMs,
        naiveFirst.totalMs / oursSubsetFull,
      ],
      [
        `zoom/pan + redraw, ${NAIVE_RUNS} runs`,
        median(oursSubset),
        quantile(oursSubset, 0.95),
        median(naiveZoom),
        median(naiveZoom) / median(oursSubset),
      ],
      [
        'live point latency (logged → queryable)',
        median(live),
        quantile(live, 0.95),
        median(naiveLive),
        median(naiveLive) / median(live),
      ],
    );
    console.log(
      `\nnaive first chart: ${naiveFirst.points.toLocaleString()} raw points of ${NAIVE_RUNS} runs to Vega (data ${fmt(naiveFirst.dataMs)})`,
    );
    console.log(`live samples: ours ${live.length}, naive ${naiveLive.length}\n`);
    console.log('| operation | spyglass median | spyglass p95 | naive (or other) median | ratio |');
    console.log('|---|---|---|---|---|');
    for (const [name, med, p95, naive, ratio] of results) {
      console.log(
        `| ${name} | ${fmt(med)} | ${fmt(p95)} | ${naive === null ? '—' : fmt(naive)} | ${ratio === null ? '—' : `${ratio.toFixed(1)}×`} |`,
      );
    }
    if (browser.consoleErrors.length) console.log('\npage errors:', browser.consoleErrors.slice(0, 5));
  } finally {
    await browser.close();
    logger.kill('SIGTERM');
    jupyter.child.kill('SIGTERM');
    pages.server.close();
  }
}

await main();
