// The benchmark page: the workspace data layer (@spyglass/store's WorkspaceStore) on DuckDB-WASM's EH bundle in a
// worker, as the labextension runs it, plus Vega rendering of what a panel would draw. Driven by bench.mjs.
import { drawnLineOf, LINES_DATASET, workspaceLineSpec } from '@spyglass/charts';
import { parseMetricIPC, WorkspaceSourceError, WorkspaceStore } from '@spyglass/store';
import { createBrowserEngine } from '@spyglass/widgets/browser-engine';
import { LinePlotView } from '@spyglass/widgets/line-plot-view';
import { embedChart, refillDataset } from '@spyglass/widgets/vega-render';

/** The product's engine (DuckDB-WASM's EH bundle in a worker), as the labextension starts it. */
async function createEngine() {
  return timedEngine(
    await createBrowserEngine({
      workerUrl: '/duckdb/duckdb-browser-eh.worker.js',
      wasmUrl: '/duckdb/duckdb-eh.wasm',
    }),
  );
}

/** Time spent in the engine since the last reset, by kind of call (ingests, level builds, other queries). */
const engineTimes = { ingestMs: 0, buildMs: 0, sqlMs: 0, fetchMs: 0, parseMs: 0 };
function timedEngine(engine) {
  const timed = async (kind, fn) => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      engineTimes[kind] += performance.now() - t0;
    }
  };
  return {
    query: (sql) =>
      timed(/^\s*(INSERT|CREATE|ALTER|DROP)/i.test(sql) ? 'buildMs' : 'sqlMs', () => engine.query(sql)),
    insertArrowIPC: (table, ipc, options) =>
      timed('ingestMs', () => engine.insertArrowIPC(table, ipc, options)),
    connect: engine.connect && (() => engine.connect()),
    close: () => engine.close(),
  };
}
const resetEngineTimes = () => {
  for (const key of Object.keys(engineTimes)) engineTimes[key] = 0;
};

/** WorkspaceSource over plain fetch (the proxy adds the Jupyter token); same requests as WorkspaceClient. */
class FetchSource {
  constructor(storeRoot, project) {
    this.base = { store_root: storeRoot, project };
  }
  async get(endpoint, params) {
    const response = await fetch(`/spyglass/api/v1/${endpoint}?${params}`);
    if (!response.ok) throw new WorkspaceSourceError(endpoint, response.status, await response.text());
    return response;
  }
  async listRuns() {
    return (await this.get('runs', new URLSearchParams(this.base))).json();
  }
  async metric(request) {
    const params = new URLSearchParams(this.base);
    params.append('metric', request.metric);
    for (const id of request.runIds) params.append('run_id', id);
    if (request.xMetric) params.append('x_metric', request.xMetric);
    if (request.overviewBuckets && !window.benchNoOverview)
      params.append('overview_buckets', String(request.overviewBuckets));
    if (request.overviewAxis && !window.benchNoOverview) params.append('overview_axis', request.overviewAxis);
    const t0 = performance.now();
    const response = await this.get('metric', params);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const t1 = performance.now();
    const parsed = parseMetricIPC(bytes);
    engineTimes.fetchMs += t1 - t0;
    engineTimes.parseMs += performance.now() - t1;
    return parsed;
  }
  async history(runDir, afterSeq) {
    const params = new URLSearchParams({ run_dir: runDir, after_seq: String(afterSeq) });
    return new Uint8Array(await (await this.get('history', params)).arrayBuffer());
  }
  /** The server's zoom windows (the request WorkspaceClient.window sends). */
  async window(request) {
    const { xMetric, runIds, level, buckets, ...rest } = request;
    const body = {
      ...rest,
      x_metric: xMetric ?? null,
      run_ids: runIds,
      ...(level !== undefined ? { level } : { buckets }),
    };
    const response = await fetch(`/spyglass/api/v1/metric_window?${new URLSearchParams(this.base)}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new WorkspaceSourceError('metric_window', response.status, await response.text());
    return new Uint8Array(await response.arrayBuffer());
  }
}

const CHART_WIDTH = 800;
const CHART_HEIGHT = 180;
/** Each way of drawing keeps its own chart on the page, so alternating between them never re-embeds. */
function slot(name) {
  let element = document.querySelector(`#chart-${name}`);
  if (!element) {
    element = document.createElement('div');
    element.id = `chart-${name}`;
    document.querySelector('#chart').append(element);
  }
  return element;
}
const frame = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));

// Draws exactly what a workspace line panel draws, through the product's LinePlotView (Vega frame for axes and
// legend, per-run lines painted on a canvas through the frame's scales), refilled in place on every zoom.
let plot = null;
const drawTimes = { convert: 0, show: 0, paint: 0 };
async function render(lines, runs, range = null) {
  if (!plot) {
    plot = new LinePlotView();
    slot('lines').replaceChildren(plot.node);
  }
  const t0 = performance.now();
  const drawn = lines.map((l) => drawnLineOf(l.runId, l.points, null, (x) => x));
  const t1 = performance.now();
  const options = { metric: 'bench', runs, width: CHART_WIDTH, height: CHART_HEIGHT };
  await plot.show(options, drawn, range, []);
  const t2 = performance.now();
  // Count the frame the browser paints the result in, as a user would see it.
  await frame();
  Object.assign(drawTimes, {
    convert: t1 - t0,
    show: t2 - t1,
    paint: plot.lastPaintMs,
    frame: performance.now() - t2,
  });
}

// The naive way: every raw point handed to Vega as rows of the self-contained line spec (what exports save),
// embedded once through the product's render path and refilled in place through a changeset.
let naive = null;
async function renderNaive(values, runs) {
  const key = JSON.stringify(runs);
  if (!naive || naive.key !== key) {
    naive?.view.finalize();
    const element = slot('vega');
    const spec = workspaceLineSpec({ metric: 'bench', runs, width: CHART_WIDTH, height: CHART_HEIGHT });
    naive = { key, view: await embedChart(element, spec, { renderer: 'canvas' }) };
  }
  await refillDataset(naive.view, LINES_DATASET, values, 'run', ['x', 'y', 'smoothed']);
  await frame();
}

const runsOf = (lines) => lines.map((l) => l.runId);
const pointsOf = (lines) => lines.reduce((n, l) => n + l.points.length, 0);

const state = { store: null, source: null, naive: null, liveLatencies: [] };

/** M4 lines of a step range (undefined: all of it) for the finished runs, as a zoomed chart asks. */
function stepLines(metric, range, buckets, runIds = state.runIds) {
  return state.store.lineSeries({ metric, runIds, xAxis: 'step', range, buckets });
}

window.bench = {
  /**
   * Starts the engine and the workspace store. `windows`: zooms over data the page does not hold go to the
   * server (the product's way); without, every metric's rows are loaded into the page (the way before it).
   */
  async open(storeRoot, project, { windows = false, budgetBytes = 2.5 * 1024 ** 3 } = {}) {
    const t0 = performance.now();
    const engine = await createEngine();
    const engineMs = performance.now() - t0;
    state.source = new FetchSource(storeRoot, project);
    if (!windows) state.source.window = undefined;
    state.store = new WorkspaceStore({ engine, source: state.source, memoryBudgetBytes: budgetBytes });
    return { engineMs };
  },
  /**
   * Runs table + first chart of one metric across the finished runs: list, load, M4 query, Vega draw. With
   * `tellAxis`, loadMetric is told the chart's x axis (its overview comes first).
   */
  async firstChart(metric, buckets, xAxis = 'step', tellAxis = false) {
    resetEngineTimes();
    const t0 = performance.now();
    const listing = await state.store.listRuns();
    const tList = performance.now();
    const loaded = await state.store.loadMetric(metric, tellAxis ? { xAxis } : undefined);
    const tLoad = performance.now();
    const runIds = listing.runs.filter((r) => r.state === 'finished').map((r) => r.run_id);
    const lines = await state.store.lineSeries({ metric, runIds, xAxis, buckets });
    const tQuery = performance.now();
    await render(lines, runIds);
    const tDraw = performance.now();
    state.runIds = runIds;
    const slot = [...state.store.slots.values()].find((s) => s.metric === metric);
    while (slot && !slot.rawReady) await new Promise((r) => setTimeout(r, 20));
    const rawMs = performance.now() - t0;
    await slot?.full;
    const fullMs = performance.now() - t0;
    return {
      ...engineTimes,
      rawMs,
      fullMs,
      totalMs: tDraw - t0,
      listMs: tList - t0,
      loadMs: tLoad - tList,
      queryMs: tQuery - tLoad,
      drawMs: tDraw - tQuery,
      rows: loaded.rows,
      runs: runIds.length,
      points: pointsOf(lines),
      maxPerLine: Math.max(...lines.map((l) => l.points.length)),
    };
  },
  /** A frame with nothing to draw: the floor the `frame` part of a redraw stands on. */
  async idleFrame() {
    const t0 = performance.now();
    await frame();
    return performance.now() - t0;
  },
  /** One zoom/pan: re-query the visible range, then redraw. */
  async zoom(metric, range, buckets, draw) {
    const t0 = performance.now();
    const lines = await stepLines(metric, range, buckets);
    const tQuery = performance.now();
    if (draw) await render(lines, state.runIds, range);
    return {
      queryMs: tQuery - t0,
      totalMs: performance.now() - t0,
      points: pointsOf(lines),
      ...(draw ? { ...drawTimes } : {}),
    };
  },
  /** The same zoom with the same M4 rows drawn by Vega line marks (the workspace's previous way), for the ratio. */
  async zoomVegaLines(metric, range, buckets) {
    const t0 = performance.now();
    const lines = await stepLines(metric, range, buckets);
    const rows = [];
    for (const line of lines)
      for (const p of line.points) rows.push({ run: line.runId, x: p.x, y: p.y, smoothed: null });
    await renderNaive(rows, state.runIds);
    return { totalMs: performance.now() - t0 };
  },
  /**
   * Whether each run's spike (value 100 at step (h·997) % steps, h its history: the run's index, or that modulo
   * `distinct` when runs share histories) is among the drawn points of this range.
   */
  async spikesKept(metric, range, buckets, steps, distinct = Number.POSITIVE_INFINITY) {
    const lines = await stepLines(metric, range, buckets);
    let expected = 0;
    let kept = 0;
    for (const line of lines) {
      const index = Number(line.runId.replace('bench', '')) % distinct;
      const spike = (index * 997) % steps;
      if (spike < range[0] || spike > range[1]) continue;
      expected++;
      if (line.points.some((p) => p.x === spike && p.y === 100)) kept++;
    }
    return { expected, kept };
  },
  /** The naive way: every raw point of the metric for `runs` runs handed to Vega. */
  async naiveFirstChart(metric, runs) {
    const t0 = performance.now();
    const listing = await state.source.listRuns();
    const runIds = listing.runs
      .filter((r) => r.state === 'finished')
      .slice(0, runs)
      .map((r) => r.run_id);
    const answer = await state.source.metric({ metric, runIds });
    const { tableFromIPC } = await import('apache-arrow');
    const table = tableFromIPC(answer.ipc);
    const run = table.getChild('run').toArray();
    const step = table.getChild('step').toArray();
    const value = table.getChild('value').toArray();
    const values = new Array(table.numRows);
    for (let i = 0; i < table.numRows; i++)
      values[i] = { run: answer.runIds[run[i]], x: Number(step[i]), y: value[i], smoothed: null };
    values.sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : a.x - b.x));
    const tData = performance.now();
    await renderNaive(values, runIds);
    state.naive = values;
    state.naiveRuns = runIds;
    return { totalMs: performance.now() - t0, dataMs: tData - t0, points: values.length };
  },
  async naiveZoom(range) {
    const t0 = performance.now();
    const values = state.naive.filter((v) => v.x >= range[0] && v.x <= range[1]);
    await renderNaive(values, state.naiveRuns);
    return { totalMs: performance.now() - t0, points: values.length };
  },
  /** Our path restricted to the same runs as the naive one (like-for-like ratio). */
  async subsetChart(metric, runs, buckets, range) {
    const t0 = performance.now();
    const lines = await stepLines(metric, range, buckets, state.runIds.slice(0, runs));
    await render(lines, runsOf(lines), range ?? null);
    return { totalMs: performance.now() - t0 };
  },
  /** Follows the live run: after each update, the newest drawn point's wall time vs now is the latency. */
  async startLive(metric, liveRunId) {
    state.liveLatencies = [];
    await state.store.loadMetric(metric);
    state.updates = 0;
    state.store.onMetricUpdated(async (m, ids) => {
      state.updates++;
      if (m !== metric || !ids.includes(liveRunId)) return;
      const now = Date.now() / 1000;
      const [line] = await state.store.lineSeries({
        metric,
        runIds: [liveRunId],
        xAxis: 'wall',
        range: [now - 2, now + 1],
        buckets: 100,
      });
      const newest = Math.max(...line.points.map((p) => p.x));
      if (Number.isFinite(newest)) state.liveLatencies.push((Date.now() / 1000 - newest) * 1000);
    });
    state.store.startLive({ tailMs: 100, listMs: 2000 });
  },
  liveLatencies() {
    return state.liveLatencies.slice();
  },
  liveDebug() {
    const store = state.store;
    return {
      updates: state.updates,
      slots: [...store.slots.values()].map((s) => ({
        metric: s.metric,
        ready: s.ready,
        cursors: [...s.cursors],
      })),
    };
  },
  memory() {
    return state.store.memory();
  },
  /** DuckDB's own accounting of its memory (bytes by tag) and the page's JS heap. */
  async duckdbMemory() {
    const rows = await state.store.sql(
      'SELECT tag, memory_usage_bytes::DOUBLE AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0',
    );
    const total = rows.reduce((n, r) => n + Number(r.bytes), 0);
    return { total, tags: Object.fromEntries(rows.map((r) => [r.tag, Number(r.bytes)])) };
  },
};

/** The naive live path: re-read the live run's whole metric and redraw every point, as fast as it goes. */
window.bench.naiveLive = async (metric, liveRunId, seconds) => {
  const { tableFromIPC } = await import('apache-arrow');
  const latencies = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const answer = await state.source.metric({ metric, runIds: [liveRunId] });
    const table = tableFromIPC(answer.ipc);
    const step = table.getChild('step').toArray();
    const wall = table.getChild('wall').toArray();
    const value = table.getChild('value').toArray();
    const values = [];
    let newest = 0;
    for (let i = 0; i < table.numRows; i++) {
      values.push({ run: liveRunId, x: Number(step[i]), y: value[i], smoothed: null });
      newest = Math.max(newest, wall[i]);
    }
    await renderNaive(values, [liveRunId]);
    latencies.push((Date.now() / 1000 - newest) * 1000);
  }
  return latencies;
};
