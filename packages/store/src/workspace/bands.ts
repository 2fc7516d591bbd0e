import { toRows } from '../arrow-rows.js';
import { weightedEma } from '../ema.js';
import type { SqlEngine } from '../engine.js';
import { axisOverviewBuckets } from './axis-overview.js';
import { type Buckets, concatBuckets, emptyBuckets, queryBuckets, runSpans } from './buckets.js';
import type { BandPoint, GroupBand, GroupBandQuery } from './data.js';
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
import { type PyramidGrid, rawCountSql, rawM4Sql } from './sql.js';

/** The x centre of a pyramid grid's bucket q. */
function gridCenter(grid: PyramidGrid): (q: number) => number {
  return (q) => grid.origin + (q + 0.5) * grid.width - 0.5;
}

/** WorkspaceData.groupBands for a loaded slot: per group and bucket, min/max/mean over its runs' bucket means. */
export async function groupBands(
  context: ChartContext,
  slot: MetricSlot,
  query: GroupBandQuery,
): Promise<GroupBand[]> {
  const buckets = clampBuckets(query.buckets);
  const overview = await servable(context, slot, query.xAxis, query.range, buckets);
  const runs = new Set<number>();
  for (const group of query.groups) {
    for (const runId of group.runIds)
      if (emptyReason(slot, context.listing(), runId) === null) runs.add(slot.runIndex.get(runId) as number);
  }
  // Before the rows are in, a whole-range band off the step axis comes from the server's overview on its axis.
  const { rows, center } = overview
    ? axisOverviewBuckets(overview, [...runs], buckets)
    : await context.serial(() =>
        slot.remote
          ? remoteBucketMeans(context, slot, [...runs], query, buckets)
          : bucketMeans(context.engine, slot, [...runs], query, buckets),
      );
  // Per run: bucket → mean (smoothed per run first when asked).
  const means = new Map<number, Map<number, number>>();
  for (const [run, [start, end]] of runSpans(rows)) {
    const values: { y: number; n: number }[] = [];
    for (let i = start; i < end; i++) values.push({ y: rows.y_sum[i] / rows.n[i], n: rows.n[i] });
    const ys = query.smoothing ? weightedEma(values, query.smoothing.ema) : values.map((v) => v.y);
    const byQ = new Map<number, number>();
    for (let i = start; i < end; i++) byQ.set(rows.q[i], ys[i - start]);
    means.set(run, byQ);
  }
  return query.groups.map((group) => {
    const acc = new Map<number, { min: number; max: number; sum: number; runs: number }>();
    for (const runId of group.runIds) {
      const run = slot.runIndex.get(runId);
      const m = run === undefined ? undefined : means.get(run);
      if (!m) continue;
      for (const [q, y] of m) {
        if (!Number.isFinite(y)) continue;
        const a = acc.get(q);
        if (a) {
          a.min = Math.min(a.min, y);
          a.max = Math.max(a.max, y);
          a.sum += y;
          a.runs++;
        } else acc.set(q, { min: y, max: y, sum: y, runs: 1 });
      }
    }
    const points: BandPoint[] = [...acc.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([q, a]) => ({ x: center(q), min: a.min, max: a.max, mean: a.sum / a.runs, runs: a.runs }));
    return { key: group.key, points };
  });
}

/**
 * bucketMeans of a metric kept on the server: one grid for every run (the pyramid grid on the step axis, equal
 * buckets over the range or the overview's extent otherwise), local runs answered in the page, far runs by the
 * source (or the page's overview levels for a whole-range step band they answer).
 */
async function remoteBucketMeans(
  context: ChartContext,
  slot: MetricSlot,
  runs: number[],
  query: GroupBandQuery,
  buckets: number,
): Promise<{ rows: Buckets; center: (q: number) => number }> {
  if (!runs.length) return { rows: emptyBuckets(), center: (q) => q };
  const axis = rawAxis(query.xAxis);
  if (axis.kind === 'step') {
    const step = await remoteStepBuckets(context, slot, runs, query.range, buckets);
    if (step) return { rows: step.rows, center: gridCenter(step.grid) };
  }
  const overviewAxis = overviewAxisOf(query.xAxis);
  let range = query.range;
  if (!range) {
    const overview = overviewAxis === 'step' ? null : await context.axisOverview(slot, overviewAxis);
    if (!overview) return { rows: emptyBuckets(), center: (q) => q };
    range = [overview.grid.x0, overview.grid.x1];
  }
  const [x0, x1] = range;
  const { local, far } = splitRuns(slot, runs);
  const parts = [await farBuckets(context, slot, far, { axis: overviewAxis, lo: x0, hi: x1, buckets })];
  if (local.length)
    parts.push(
      await queryBuckets(context.engine, rawM4Sql(slot.tables, local, axis, { x0, x1, buckets }, range)),
    );
  const width = (x1 - x0) / buckets;
  return { rows: concatBuckets(parts), center: (q) => x0 + (q + 0.5) * width };
}

/** The runs' buckets (from the pyramid when it answers, else M4 over the raw rows) and each bucket's x center. */
async function bucketMeans(
  engine: SqlEngine,
  slot: MetricSlot,
  runs: number[],
  query: GroupBandQuery,
  buckets: number,
): Promise<{ rows: Buckets; center: (q: number) => number }> {
  if (!runs.length) return { rows: emptyBuckets(), center: (q) => q };
  const axis = rawAxis(query.xAxis);
  if (axis.kind === 'step') {
    const grid = await stepGrid(engine, slot, runs, query.range, buckets);
    if (grid) {
      return { rows: await pyramidBuckets(engine, slot, grid, runs), center: gridCenter(grid) };
    }
  }
  let range = query.range;
  if (!range) {
    const counts = toRows(await engine.query(rawCountSql(slot.tables, runs, axis))) as {
      x0: number;
      x1: number;
    }[];
    if (!counts.length) return { rows: emptyBuckets(), center: (q) => q };
    range = [Math.min(...counts.map((c) => c.x0)), Math.max(...counts.map((c) => c.x1))];
  }
  const [x0, x1] = range;
  const rows = await queryBuckets(engine, rawM4Sql(slot.tables, runs, axis, { x0, x1, buckets }, range));
  const width = (x1 - x0) / buckets;
  return { rows, center: (q) => x0 + (q + 0.5) * width };
}
