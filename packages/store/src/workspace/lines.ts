import { toRows } from '../arrow-rows.js';
import { weightedEma } from '../ema.js';
import type { SqlEngine } from '../engine.js';
import { type AxisOverview, axisOverviewBuckets } from './axis-overview.js';
import { type Buckets, queryBuckets, runSpans } from './buckets.js';
import type { LineSeries, LineSeriesQuery, XYPoint } from './data.js';
import { messages } from './messages.js';
import {
  type ChartContext,
  clampBuckets,
  emptyReason,
  overviewAxisOf,
  pyramidBuckets,
  rawAxis,
  servable,
  stepGrid,
} from './query.js';
import { farBuckets, remoteStepBuckets, splitRuns } from './remote.js';
import type { MetricSlot } from './slot.js';
import { type MetricTables, type RawAxis, rawCountSql, rawM4Sql, rawPointsSql } from './sql.js';

const DEFAULT_MAX_RAW = 1000;

interface LineResult {
  points: XYPoint[];
  downsampled: boolean;
  pointsInRange: number;
  smoothingInput?: { xs: number[]; buckets: { y: number; n: number }[] };
}

declare module './data.js' {
  interface LineSeries {
    /** Internal: the EMA input, removed before the result is returned. */
    smoothingInput?: { xs: number[]; buckets: { y: number; n: number }[] };
  }
}

/** WorkspaceData.lineSeries for a loaded slot: one line per asked run, ≤ 4 points per bucket, or why it is empty. */
export async function lineSeries(
  context: ChartContext,
  slot: MetricSlot,
  query: LineSeriesQuery,
): Promise<LineSeries[]> {
  const buckets = clampBuckets(query.buckets);
  const overview = await servable(context, slot, query.xAxis, query.range, buckets);
  const maxRaw = query.maxRawPoints ?? DEFAULT_MAX_RAW;
  const results = new Map<string, LineSeries>();
  const active: number[] = [];
  for (const runId of query.runIds) {
    const reason = emptyReason(slot, context.listing(), runId);
    results.set(runId, { runId, points: [], downsampled: false, pointsInRange: 0, emptyReason: reason });
    if (reason === null) active.push(slot.runIndex.get(runId) as number);
  }
  if (active.length) {
    const perRun = overview
      ? overviewLines(overview, active, buckets, query.smoothing !== undefined)
      : slot.remote
        ? await context.serial(() => remoteLines(context, slot, active, query, buckets, maxRaw))
        : await context.serial(() => queryLines(context.engine, slot, active, query, buckets, maxRaw));
    for (const [run, line] of perRun) {
      const result = results.get(slot.runIds[run]);
      if (result) Object.assign(result, line);
    }
    for (const run of active) {
      const result = results.get(slot.runIds[run]);
      if (result && result.points.length === 0) result.emptyReason = messages.noPointsInRange;
    }
  }
  if (query.smoothing) {
    for (const result of results.values()) {
      if (!result.smoothingInput) continue;
      const smoothed = weightedEma(result.smoothingInput.buckets, query.smoothing.ema);
      result.raw = result.points;
      result.points = result.smoothingInput.xs.map((x, i) => ({ x, y: smoothed[i] }));
    }
  }
  for (const result of results.values()) delete result.smoothingInput;
  return [...results.values()];
}

async function queryLines(
  engine: SqlEngine,
  slot: MetricSlot,
  runs: number[],
  query: LineSeriesQuery,
  buckets: number,
  maxRaw: number,
): Promise<Map<number, LineResult>> {
  const out = new Map<number, LineResult>();
  const axis = rawAxis(query.xAxis);
  let rawRuns = runs;
  if (axis.kind === 'step') {
    const grid = await stepGrid(engine, slot, runs, query.range, buckets);
    if (grid) {
      const rows = await pyramidBuckets(engine, slot, grid, runs);
      // Before the raw rows arrive, a short line is drawn from the overview too (re-queried once they are in).
      rawRuns = gridLines(rows, runs, maxRaw, () => slot.rawReady, query.smoothing !== undefined, out);
    }
  }
  const smooth = query.smoothing !== undefined;
  if (rawRuns.length)
    await rawLines(engine, slot.tables, rawRuns, axis, query.range, buckets, maxRaw, smooth, out);
  return out;
}

/**
 * Lines of a metric kept on the server (remote.ts): local runs as queryLines draws them, far runs from the
 * page's overview where it answers exactly (the whole range at a level it holds) and from the source's windows
 * otherwise. A far run's line is always its M4 (≤ 4 points per bucket), even with few points in range.
 */
async function remoteLines(
  context: ChartContext,
  slot: MetricSlot,
  runs: number[],
  query: LineSeriesQuery,
  buckets: number,
  maxRaw: number,
): Promise<Map<number, LineResult>> {
  const smooth = query.smoothing !== undefined;
  const axis = rawAxis(query.xAxis);
  if (axis.kind === 'step') {
    const step = await remoteStepBuckets(context, slot, runs, query.range, buckets);
    if (step) {
      const out = new Map<number, LineResult>();
      const local = (run: number) => slot.localRuns.has(run);
      const rawRuns = gridLines(step.rows, runs, maxRaw, local, smooth, out);
      if (rawRuns.length)
        await rawLines(context.engine, slot.tables, rawRuns, axis, query.range, buckets, maxRaw, smooth, out);
      return out;
    }
  }
  const { local, far } = splitRuns(slot, runs);
  const out = new Map<number, LineResult>();
  if (local.length)
    await rawLines(context.engine, slot.tables, local, axis, query.range, buckets, maxRaw, smooth, out);
  if (!far.length) return out;
  const overviewAxis = overviewAxisOf(query.xAxis);
  if (!query.range && overviewAxis !== 'step') {
    const overview = await context.axisOverview(slot, overviewAxis);
    if (overview) {
      for (const [run, line] of overviewLines(overview, far, buckets, smooth)) out.set(run, line);
      return out;
    }
  }
  // A step chart too narrow for the pyramid, or a whole-range chart off the step axis with no overview.
  const [lo, hi] = query.range ?? (await farExtent(context, slot, overviewAxis));
  m4Lines(await farBuckets(context, slot, far, { axis: overviewAxis, lo, hi, buckets }), smooth, out);
  return out;
}

/** The x extent of a remote slot's runs on an axis: its overview's range (the step extent from the pyramid). */
async function farExtent(
  context: ChartContext,
  slot: MetricSlot,
  axis: ReturnType<typeof overviewAxisOf>,
): Promise<[number, number]> {
  if (axis === 'step') {
    let maxStep = 0;
    for (const s of slot.stats.values()) maxStep = Math.max(maxStep, s.maxStep);
    return [0, maxStep];
  }
  const overview = await context.axisOverview(slot, axis);
  return overview ? [overview.grid.x0, overview.grid.x1] : [0, 0];
}

/**
 * M4 lines of grid buckets into `out`, except for the runs with at most `maxRaw` points in range that `raw` says
 * the raw rows can draw whole: those are returned, for rawLines.
 */
function gridLines(
  rows: Buckets,
  runs: number[],
  maxRaw: number,
  raw: (run: number) => boolean,
  smooth: boolean,
  out: Map<number, LineResult>,
): number[] {
  const rawRuns: number[] = [];
  const spans = runSpans(rows);
  for (const run of runs) {
    const [start, end] = spans.get(run) ?? [0, 0];
    let total = 0;
    for (let i = start; i < end; i++) total += rows.n[i];
    if (total <= maxRaw && raw(run)) rawRuns.push(run);
    else out.set(run, m4Line(rows, start, end, total, smooth));
  }
  return rawRuns;
}

/** Lines from the raw rows: every point of a run with at most `maxRaw` in range, M4 buckets for the others. */
async function rawLines(
  engine: SqlEngine,
  tables: MetricTables,
  runs: number[],
  axis: RawAxis,
  range: [number, number] | undefined,
  buckets: number,
  maxRaw: number,
  smooth: boolean,
  out: Map<number, LineResult>,
): Promise<void> {
  const counts = toRows(await engine.query(rawCountSql(tables, runs, axis, range))) as {
    run: number;
    n: number;
    x0: number;
    x1: number;
  }[];
  const small = counts.filter((c) => c.n <= maxRaw).map((c) => c.run);
  const big = counts.filter((c) => c.n > maxRaw);
  if (small.length) {
    const table = await engine.query(rawPointsSql(tables, small, axis, range));
    const run = table.getChild('run')?.toArray() as Int32Array;
    const xs = table.getChild('x')?.toArray() as Float64Array;
    const ys = table.getChild('y')?.toArray() as Float64Array;
    for (let i = 0; i < table.numRows; i++) {
      let line = out.get(run[i]);
      if (!line) {
        line = {
          points: [],
          downsampled: false,
          pointsInRange: 0,
          smoothingInput: smooth ? { xs: [], buckets: [] } : undefined,
        };
        out.set(run[i], line);
      }
      line.points.push({ x: xs[i], y: ys[i] });
      line.pointsInRange++;
      line.smoothingInput?.xs.push(xs[i]);
      line.smoothingInput?.buckets.push({ y: ys[i], n: 1 });
    }
  }
  if (big.length) {
    const x0 = range ? range[0] : Math.min(...big.map((c) => c.x0));
    const x1 = range ? range[1] : Math.max(...big.map((c) => c.x1));
    const rows = await queryBuckets(
      engine,
      rawM4Sql(
        tables,
        big.map((c) => c.run),
        axis,
        { x0, x1, buckets },
        range,
      ),
    );
    m4Lines(rows, smooth, out);
  }
}

/**
 * Lines of a whole-range chart from the server's overview on its axis, before the raw rows are in: M4 lines even
 * for short runs (re-queried, point for point, once the rows arrive, as on the step axis).
 */
function overviewLines(
  overview: AxisOverview,
  runs: number[],
  buckets: number,
  smooth: boolean,
): Map<number, LineResult> {
  const out = new Map<number, LineResult>();
  m4Lines(axisOverviewBuckets(overview, runs, buckets).rows, smooth, out);
  return out;
}

/** One M4 line per run of `rows` into `out`. */
function m4Lines(rows: Buckets, smooth: boolean, out: Map<number, LineResult>): void {
  for (const [run, [start, end]] of runSpans(rows)) {
    let total = 0;
    for (let i = start; i < end; i++) total += rows.n[i];
    out.set(run, m4Line(rows, start, end, total, smooth));
  }
}

/** The four extreme points of buckets [start, end) in x order (repeats dropped), and the EMA input per bucket. */
function m4Line(b: Buckets, start: number, end: number, total: number, smooth: boolean): LineResult {
  const points: XYPoint[] = [];
  const xs: number[] = [];
  const buckets: { y: number; n: number }[] = [];
  const px = [0, 0, 0, 0];
  const py = [0, 0, 0, 0];
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  for (let i = start; i < end; i++) {
    px[0] = b.x_first[i];
    py[0] = b.y_first[i];
    // The extremes lie between first and last; order the two by x.
    const lowFirst = b.x_min[i] <= b.x_max[i];
    px[1] = lowFirst ? b.x_min[i] : b.x_max[i];
    py[1] = lowFirst ? b.y_min[i] : b.y_max[i];
    px[2] = lowFirst ? b.x_max[i] : b.x_min[i];
    py[2] = lowFirst ? b.y_max[i] : b.y_min[i];
    px[3] = b.x_last[i];
    py[3] = b.y_last[i];
    for (let k = 0; k < 4; k++) {
      if (px[k] === lastX && py[k] === lastY) continue;
      lastX = px[k];
      lastY = py[k];
      points.push({ x: lastX, y: lastY });
    }
    if (!smooth) continue;
    xs.push(b.x_last[i]);
    buckets.push({ y: b.y_sum[i] / b.n[i], n: b.n[i] });
  }
  return {
    points,
    downsampled: true,
    pointsInRange: total,
    smoothingInput: smooth ? { xs, buckets } : undefined,
  };
}
