import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { type Buckets, columnsToBuckets, concatBuckets, emptyBuckets, queryBuckets } from './buckets.js';
import type { WindowRequest } from './data.js';
import { farExtent, farOverviewBuckets } from './far-overview.js';
import { type ChartContext, stepExtent } from './query.js';
import type { MetricSlot } from './slot.js';
import { gridAtLevel, type PyramidGrid, pyramidGrid, pyramidQuerySql } from './sql.js';

/**
 * Queries of a metric that stays on the server (`slot.remote`): the page holds the overview of its far runs (in JS,
 * far-overview.ts) and the raw rows (with a full pyramid) of its local runs, the ones running when it loaded or
 * added since. A window over the far runs that the overview cannot answer exactly is answered by the source
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
  const extent = range ?? (await remoteStepExtent(context, slot, runs));
  if (!extent) return null;
  let grid = pyramidGrid(extent[0], extent[1], buckets, slot.maxLevel);
  if (!range) grid = wholeRangeGrid(slot, extent, grid);
  if (!grid) return null;
  return { grid, rows: await remoteGridBuckets(context, slot, grid, runs, range === undefined) };
}

/** The step extent of `runs`: local ones from the page's pyramid, far ones from the overview. */
async function remoteStepExtent(
  context: ChartContext,
  slot: MetricSlot,
  runs: number[],
): Promise<[number, number] | null> {
  const { local, far } = splitRuns(slot, runs);
  const extents = [
    local.length ? await stepExtent(context.engine, slot, local) : null,
    slot.farOverview ? farExtent(slot.farOverview, far) : null,
  ].filter((e): e is [number, number] => e !== null);
  if (!extents.length) return null;
  return [Math.min(...extents.map((e) => e[0])), Math.max(...extents.map((e) => e[1]))];
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
 * (exact edges), far runs from the page's overview when the query is the whole range at its level or coarser
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
  const overview = slot.farOverview;
  if (far.length && wholeRange && overview && grid.level >= overview.level) {
    parts.push(farOverviewBuckets(overview, grid, far));
  } else if (far.length) {
    parts.push(
      await farBuckets(context, slot, far, { axis: 'step', lo: grid.lo, hi: grid.hi, level: grid.level }),
    );
  }
  return concatBuckets(parts);
}
