import { m4AggregatesSql, m4BucketSql, m4MergeSql } from '../downsample-m4.js';
import { sqlIdentifier, sqlNumber } from '../sql-literal.js';

/**
 * SQL of the workspace's chart data. One loaded metric lives in two tables:
 * - raw (run INTEGER, step BIGINT, wall DOUBLE, value DOUBLE[, x DOUBLE]): every row, NaN and ±inf kept;
 * - levels: an M4 pyramid over the step axis. Level k cuts each run's steps into aligned buckets of 2^k steps
 *   (bucket b holds steps [b·2^k, (b+1)·2^k)) and keeps, per bucket, the first, last, lowest and highest finite
 *   point with their real steps, plus the sum and count of the finite values. Level k+1 is built from level k
 *   (M4 of a union is the M4 of the parts' M4s), so the pyramid costs about a quarter of the raw rows.
 * A zoom query picks the level whose bucket width is the smallest power of two ≥ range / buckets and reads its
 * rows in range as they are, plus the raw rows of the partial buckets at the two edges: the result is exactly M4
 * of the raw rows over that grid (spikes survive at every zoom), touching one level row per bucket per run.
 * Every M4 aggregate here is the store's one M4 (`../downsample-m4.ts`).
 */

/** Finest pyramid level (buckets of 8 steps); below that the raw rows are read directly. */
export const MIN_LEVEL = 3;

export interface MetricTables {
  raw: string;
  levels: string;
}

export function metricTables(slot: number): MetricTables {
  return { raw: `ws_raw_${slot}`, levels: `ws_lvl_${slot}` };
}

const LEVEL_COLUMNS =
  'lvl INTEGER, run INTEGER, b BIGINT, x_first BIGINT, y_first DOUBLE, x_last BIGINT, y_last DOUBLE, ' +
  'x_min BIGINT, y_min DOUBLE, x_max BIGINT, y_max DOUBLE, y_sum DOUBLE, n BIGINT';

export function createLevelsSql(t: MetricTables): string {
  return `CREATE OR REPLACE TABLE ${t.levels} (${LEVEL_COLUMNS})`;
}

/** Filter on one run's rows from a step (aligned to the level) on, for the live tail's partial rebuilds. */
export interface RunTail {
  run: number;
  fromStep: number;
}

/** Level MIN_LEVEL from the raw rows (all runs, or one run's tail, or the steps [from, to] of every run). */
export function buildFirstLevelSql(t: MetricTables, tail?: RunTail, steps?: [number, number]): string {
  let where = 'isfinite(value)';
  if (steps) where += ` AND step BETWEEN ${sqlNumber(steps[0])} AND ${sqlNumber(steps[1])}`;
  if (tail) {
    const start = alignDown(tail.fromStep, MIN_LEVEL);
    where += ` AND run = ${sqlNumber(tail.run)} AND step >= ${sqlNumber(start)}`;
  }
  return `INSERT INTO ${t.levels} SELECT ${MIN_LEVEL}, run, step >> ${MIN_LEVEL} AS bb, ${m4AggregatesSql('step', 'value')},
  sum(value), count(*) FROM ${t.raw} WHERE ${where} GROUP BY run, bb`;
}

/** Level `level` (> MIN_LEVEL) from the level below (all of it, one run's tail, or the steps [from, to]). */
export function buildLevelSql(
  t: MetricTables,
  level: number,
  tail?: RunTail,
  steps?: [number, number],
): string {
  let where = `lvl = ${sqlNumber(level - 1)}`;
  if (steps) {
    const below = level - 1;
    where += ` AND b BETWEEN ${sqlNumber(Math.floor(steps[0] / 2 ** below))} AND ${sqlNumber(
      Math.floor(steps[1] / 2 ** below),
    )}`;
  }
  if (tail) {
    const first = alignDown(tail.fromStep, level) / 2 ** (level - 1);
    where += ` AND run = ${sqlNumber(tail.run)} AND b >= ${sqlNumber(first)}`;
  }
  return `INSERT INTO ${t.levels} SELECT ${sqlNumber(level)}, run, b >> 1 AS bb, ${m4MergeSql()}, sum(y_sum), sum(n)
FROM ${t.levels} WHERE ${where} GROUP BY run, bb`;
}

/**
 * Live rows merged into the pyramid without reading the raw table: the new rows' buckets at every level (`delta`),
 * merged with the stored buckets they touch (M4 of a union is the M4 of the parts), replace those buckets.
 * `staging` holds the new rows (run, step, wall, value[, x]).
 */
export function mergeLiveRowsSql(t: MetricTables, staging: string, maxLevel: number): string[] {
  const delta = `${t.levels}_delta`;
  const merged = `${t.levels}_merged`;
  return [
    `CREATE OR REPLACE TEMP TABLE ${delta} AS SELECT k AS lvl, run, step >> k AS b, ${m4AggregatesSql('step', 'value')},
  sum(value) AS y_sum, count(*) AS n
FROM ${staging}, range(${MIN_LEVEL}, ${sqlNumber(maxLevel + 1)}) AS levels(k) WHERE isfinite(value) GROUP BY k, run, b`,
    `CREATE OR REPLACE TEMP TABLE ${merged} AS SELECT lvl, run, b, ${m4MergeSql()}, sum(y_sum), sum(n)
FROM (SELECT l.* FROM ${t.levels} l SEMI JOIN ${delta} d ON l.lvl = d.lvl AND l.run = d.run AND l.b = d.b
  UNION ALL SELECT * FROM ${delta}) GROUP BY lvl, run, b`,
    `DELETE FROM ${t.levels} USING ${delta} d WHERE ${t.levels}.lvl = d.lvl AND ${t.levels}.run = d.run AND ${t.levels}.b = d.b`,
    `INSERT INTO ${t.levels} SELECT * FROM ${merged}`,
    `DROP TABLE ${delta}`,
    `DROP TABLE ${merged}`,
  ];
}

/** Deletes one run's buckets of every level that the tail from `fromStep` touches. */
export function deleteTailSql(t: MetricTables, tail: RunTail): string {
  // Bucket b of level k covers the tail when (b + 1)·2^k > fromStep, i.e. b >= fromStep >> k.
  return `DELETE FROM ${t.levels} WHERE run = ${sqlNumber(tail.run)} AND b >= (${sqlNumber(
    Math.floor(tail.fromStep),
  )}::BIGINT >> lvl)`;
}

export function alignDown(step: number, level: number): number {
  const width = 2 ** level;
  return Math.floor(step / width) * width;
}

/**
 * The grid of a pyramid query: level, bucket width (a multiple of 2^level) and origin (aligned to 2^level). Level
 * buckets wholly inside the range are read from the pyramid; the partial ones at either edge are replaced by the
 * raw rows there, so the result is exactly M4 over the visible range.
 */
export interface PyramidGrid {
  level: number;
  width: number;
  origin: number;
  /** Range, as integer steps. */
  lo: number;
  hi: number;
  /** Level buckets wholly inside [lo, hi]: b in [firstBucket, lastBucket] (empty when first > last). */
  firstBucket: number;
  lastBucket: number;
}

/**
 * Chooses the level and grid for the visible step range [x0, x1] cut into at most `buckets` buckets: the level
 * whose bucket width is the smallest power of two at least range / buckets, so one level row is one query bucket
 * (between buckets/2 and buckets of them) and the query is a filter, not an aggregation. Null when that width is
 * below the finest level (a few thousand steps in view: read the raw rows).
 */
export function pyramidGrid(x0: number, x1: number, buckets: number, maxLevel: number): PyramidGrid | null {
  const lo = Math.ceil(x0);
  const hi = Math.floor(x1);
  if (hi < lo) return null;
  const wanted = Math.max((hi - lo + 1) / buckets, 1);
  const level = Math.min(maxLevel, Math.ceil(Math.log2(wanted)));
  if (level < MIN_LEVEL) return null;
  return gridAtLevel(x0, x1, level);
}

/** The pyramid grid of `level` over the step range [x0, x1] (see pyramidGrid). */
export function gridAtLevel(x0: number, x1: number, level: number): PyramidGrid {
  const lo = Math.ceil(x0);
  const hi = Math.floor(x1);
  const unit = 2 ** level;
  return {
    level,
    width: unit,
    origin: alignDown(lo, level),
    lo,
    hi,
    firstBucket: Math.ceil(lo / unit),
    lastBucket: Math.floor((hi + 1) / unit) - 1,
  };
}

/** Which runs and which edges a pyramid query reads. */
export interface PyramidRead {
  /** Null: every run of the metric (no filter on run). */
  runs: number[] | null;
  /** Replace partial level buckets at the range's edges by the raw rows there (exact); false: keep them whole. */
  exactEdges: boolean;
}

/**
 * Per run and query bucket q: the M4 row (first, last, min and max points with their steps) and the sum and
 * count of finite values. Whole level buckets are read as they are; partial ones at the edges are aggregated from
 * the raw rows (or read whole when `exactEdges` is false, e.g. before the raw rows have arrived). Ordered by run, q.
 */
export function pyramidQuerySql(t: MetricTables, grid: PyramidGrid, read: PyramidRead): string {
  const unit = 2 ** grid.level;
  const runFilter = read.runs ? ` AND run IN (${runList(read.runs)})` : '';
  let first = grid.firstBucket;
  let last = grid.lastBucket;
  const edges: [number, number][] = [];
  if (read.exactEdges) {
    if (first > last) edges.push([grid.lo, grid.hi]);
    else {
      edges.push([grid.lo, first * unit - 1], [(last + 1) * unit, grid.hi]);
    }
  } else {
    first = Math.floor(grid.lo / unit);
    last = Math.floor(grid.hi / unit);
  }
  const parts = [
    `SELECT run, (b - ${sqlNumber(grid.origin / unit)})::DOUBLE AS q, x_first::DOUBLE AS x_first, y_first,
  x_last::DOUBLE AS x_last, y_last, x_min::DOUBLE AS x_min, y_min, x_max::DOUBLE AS x_max, y_max, y_sum,
  n::DOUBLE AS n
FROM ${t.levels} WHERE lvl = ${sqlNumber(grid.level)}${runFilter} AND b BETWEEN ${sqlNumber(first)} AND ${sqlNumber(last)}`,
  ];
  for (const [a, b] of edges) {
    if (b < a) continue;
    // One SELECT per edge (not an OR), so each BETWEEN can skip row groups by the step zone maps.
    parts.push(`SELECT run, ((step - ${sqlNumber(grid.origin)}) // ${sqlNumber(unit)})::DOUBLE AS q,
  ${m4AggregatesSql('step', 'value', '::DOUBLE')}, sum(value), count(*)::DOUBLE
FROM ${t.raw} WHERE step BETWEEN ${sqlNumber(a)} AND ${sqlNumber(b)}${runFilter} AND isfinite(value) GROUP BY run, q`);
  }
  return `${parts.join('\nUNION ALL\n')}\nORDER BY run, q`;
}

/** The x of a raw row on each axis; relative time is measured from the run's first row. */
export type RawAxis = { kind: 'step' } | { kind: 'wall' } | { kind: 'relative' } | { kind: 'metric' };

function rawSource(t: MetricTables, runs: number[], axis: RawAxis, range?: [number, number]): string {
  let x: string;
  let from = t.raw;
  switch (axis.kind) {
    case 'step':
      x = 'step::DOUBLE';
      break;
    case 'wall':
      x = 'wall';
      break;
    case 'metric':
      x = 'x';
      break;
    case 'relative':
      x = 'wall - w0';
      from = `${t.raw} JOIN (SELECT run AS r0, min(wall) AS w0 FROM ${t.raw} WHERE run IN (${runList(
        runs,
      )}) GROUP BY run) ON run = r0`;
      break;
  }
  let where = `run IN (${runList(runs)}) AND isfinite(value) AND isfinite(${x})`;
  if (axis.kind === 'step' && range) {
    // Integer bounds keep the filter on the BIGINT column, so zone maps can skip row groups.
    where += ` AND step BETWEEN ${sqlNumber(Math.floor(range[0]))} AND ${sqlNumber(Math.ceil(range[1]))}`;
  } else if (range) {
    where += ` AND ${x} BETWEEN ${sqlNumber(range[0])} AND ${sqlNumber(range[1])}`;
  }
  return `SELECT run, ${x} AS x, value AS y FROM ${from} WHERE ${where}`;
}

/** Finite points per run (in range), and the x extent over all of them. */
export function rawCountSql(
  t: MetricTables,
  runs: number[],
  axis: RawAxis,
  range?: [number, number],
): string {
  return `SELECT run, count(*)::DOUBLE AS n, min(x) AS x0, max(x) AS x1 FROM (${rawSource(
    t,
    runs,
    axis,
    range,
  )}) GROUP BY run`;
}

/** Every finite point of the runs in range, ordered by run, x. */
export function rawPointsSql(
  t: MetricTables,
  runs: number[],
  axis: RawAxis,
  range?: [number, number],
): string {
  return `SELECT run, x, y FROM (${rawSource(t, runs, axis, range)}) ORDER BY run, x`;
}

/** M4 rows per run and bucket over raw points, on a grid of `buckets` equal buckets over [x0, x1]. */
export function rawM4Sql(
  t: MetricTables,
  runs: number[],
  axis: RawAxis,
  grid: { x0: number; x1: number; buckets: number },
  range?: [number, number],
): string {
  const span = Math.max(grid.x1 - grid.x0, Number.MIN_VALUE);
  const q = m4BucketSql('x', sqlNumber(grid.x0), sqlNumber(span), grid.buckets);
  return `SELECT run, ${q}::DOUBLE AS q, ${m4AggregatesSql('x', 'y')}, sum(y) AS y_sum, count(*)::DOUBLE AS n
FROM (${rawSource(t, runs, axis, range)}) GROUP BY run, q ORDER BY run, q`;
}

/** Step extent of the given runs (from the coarsest level, so it reads a handful of rows). */
export function stepExtentSql(t: MetricTables, runs: number[], maxLevel: number): string {
  return `SELECT min(x_first)::DOUBLE AS x0, max(x_last)::DOUBLE AS x1 FROM ${t.levels}
WHERE lvl = ${sqlNumber(maxLevel)} AND run IN (${runList(runs)})`;
}

/** Rows and finite rows per run: what says "every value is NaN" or "nothing logged". */
export function runStatsSql(t: MetricTables, run?: number): string {
  const where = run === undefined ? '' : ` WHERE run = ${sqlNumber(run)}`;
  return `SELECT run, count(*)::DOUBLE AS rows, count(*) FILTER (WHERE isfinite(value))::DOUBLE AS finite,
  max(step)::DOUBLE AS max_step, min(step)::DOUBLE AS min_step FROM ${t.raw}${where} GROUP BY run`;
}

export function dropMetricSql(t: MetricTables): string[] {
  return [`DROP TABLE IF EXISTS ${sqlIdentifier(t.raw)}`, `DROP TABLE IF EXISTS ${sqlIdentifier(t.levels)}`];
}

function runList(runs: number[]): string {
  return runs.length ? runs.map((r) => sqlNumber(r)).join(', ') : 'NULL';
}
