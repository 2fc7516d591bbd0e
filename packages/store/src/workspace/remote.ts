import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { type Buckets, columnsToBuckets, concatBuckets, emptyBuckets, queryBuckets } from './buckets.js';
import type { WindowRequest } from './data.js';
import { type ChartContext, stepExtent, stepGrid } from './query.js';
import type { MetricSlot } from './slot.js';
import { gridAtLevel, type PyramidGrid, pyramidQuerySql } from './sql.js';

/**
 * Queries of a metric that stays on the server (`slot.remote`): the page holds its overview levels for every run
 * and the raw rows (with a full pyramid) of its local runs, the ones running when it loaded or added since. A
 * window over the other, far runs that the overview cannot answer exactly is answered by the source
 * (`WorkspaceSource.window`, native DuckDB in the Jupyter server), so only their M4 buckets cross the wire.
 */

/** `runs` split into those whose rows the page holds and the far ones the server answers. */
export function splitRuns(slot: MetricSlot, runs: number[]): { local: number[]; far: number[] } {
  const local: number[] = [];
  const far: number[] = [];
  for (const run of runs) (slot.localRuns.has(run) ? local : far).push(run);
  return { local, far };
}

/** The source's buckets of a window over `runs` (far runs), numbered as the slot's runs. */
export async function farBuckets(
  context: ChartContext,
  slot: MetricSlot,
  runs: number[],
  window: Omit<WindowRequest, 'metric' | 'xMetric' | 'runIds'>,
): Promise<Buckets> {
  if (!runs.length) return emptyBuckets();
  const ordered = [...runs].sort((a, b) => a - b);
  const ipc = await context.window({
    metric: slot.metric,
    ...(slot.xMetric ? { xMetric: slot.xMetric } : {}),
    runIds: ordered.map((run) => slot.runIds[run]),
    ...window,
  });
  const rows = columnsToBuckets(tableFromCheckedIPC(ipc));
  return { ...rows, run: Int32Array.from(rows.run, (asked) => ordered[asked]) };
}

/**
 * A remote slot's step-axis buckets of `runs` and their grid (see remoteGridBuckets and wholeRangeGrid), or null
 * when no pyramid grid fits (a range of a few steps per bucket, or no points).
 */
export async function remoteStepBuckets(
  context: ChartContext,
  slot: MetricSlot,
  runs: number[],
  range: [number, number] | undefined,
  buckets: number,
): Promise<{ grid: PyramidGrid; rows: Buckets } | null> {
  let grid = await stepGrid(context.engine, slot, runs, range, buckets);
  const extent = range ? null : await stepExtent(context.engine, slot, runs);
  if (extent) grid = wholeRangeGrid(slot, extent, grid);
  if (!grid) return null;
  return { grid, rows: await remoteGridBuckets(context, slot, grid, runs, range === undefined) };
}

/**
 * The grid of a whole-range step query on a remote slot: the asked one, or the overview's level when the asked
 * one is finer (the whole range then draws from the page, with fewer buckets than asked, instead of pulling
 * every far run's finer buckets over the wire: ≥ 64 per run, see overviewBucketsFor).
 */
export function wholeRangeGrid(
  slot: MetricSlot,
  extent: [number, number],
  grid: PyramidGrid | null,
): PyramidGrid {
  const level = slot.overviewLevel ?? 0;
  return grid && grid.level >= level ? grid : gridAtLevel(extent[0], extent[1], level);
}

/**
 * Buckets of a remote slot's runs on a step-axis pyramid grid: local runs from the page's pyramid and raw rows
 * (exact edges), far runs from the page's overview levels when the query is the whole range at a level they hold
 * (every bucket whole), else from the source.
 */
export async function remoteGridBuckets(
  context: ChartContext,
  slot: MetricSlot,
  grid: PyramidGrid,
  runs: number[],
  wholeRange: boolean,
): Promise<Buckets> {
  const { local, far } = splitRuns(slot, runs);
  const parts: Buckets[] = [];
  if (local.length) {
    const sql = pyramidQuerySql(slot.tables, grid, { runs: local, exactEdges: true });
    parts.push(await queryBuckets(context.engine, sql));
  }
  if (far.length && wholeRange && grid.level >= (slot.overviewLevel ?? Number.POSITIVE_INFINITY)) {
    const sql = pyramidQuerySql(slot.tables, grid, { runs: far, exactEdges: false });
    parts.push(await queryBuckets(context.engine, sql));
  } else if (far.length) {
    parts.push(
      await farBuckets(context, slot, far, { axis: 'step', lo: grid.lo, hi: grid.hi, level: grid.level }),
    );
  }
  return concatBuckets(parts);
}
