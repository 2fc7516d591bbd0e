import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { type Buckets, columnsToBuckets, mergeBuckets } from './buckets.js';
import type { AxisOverviewGrid, MetricResponse } from './data.js';
import type { MetricSlot } from './slot.js';

/**
 * The server's overview of a loaded metric on a non-step axis (wall, relative, a step metric): plain M4 rows in
 * `grid.buckets` equal buckets over the whole x range of every run (see workspace_data/overview.py). There is no
 * pyramid on these axes, so it answers only whole-range charts, and only until the raw rows are in. Small
 * (≤ 4 points per bucket per run), so it stays in JS rather than in DuckDB, whose queue the rows' ingest holds.
 */
export interface AxisOverview {
  grid: AxisOverviewGrid;
  /** Ordered by run (the slot's run numbers), then q. */
  rows: Buckets;
}

/** The overview in `response`, its runs renumbered as the slot's, or null when the answer is not one. */
export function axisOverviewOf(slot: MetricSlot, response: MetricResponse): AxisOverview | null {
  if (!response.axisOverview) return null;
  const rows = columnsToBuckets(tableFromCheckedIPC(response.ipc));
  const runs = Int32Array.from(rows.run, (r) => slot.runIndex.get(response.runIds[r]) ?? -1);
  return { grid: response.axisOverview, rows: { ...rows, run: runs } };
}

/**
 * The overview's buckets for `runs` at no more than `buckets` buckets: of the overview buckets from the first to
 * the last one these runs touch, every k = ⌈that count / buckets⌉ consecutive ones merged, so the grid stays
 * equal buckets over the runs' range (between buckets/2 and buckets of them, or the overview's own where the runs
 * span fewer), each still the exact M4 of its raw points. `center` is the x of a merged bucket's middle.
 */
export function axisOverviewBuckets(
  overview: AxisOverview,
  runs: number[],
  buckets: number,
): { rows: Buckets; center: (q: number) => number } {
  const { x0, x1, buckets: count } = overview.grid;
  const wanted = new Set(runs);
  const { run, q } = overview.rows;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < overview.rows.length; i++) {
    if (!wanted.has(run[i])) continue;
    first = Math.min(first, q[i]);
    last = Math.max(last, q[i]);
  }
  if (first > last) [first, last] = [0, 0];
  const factor = Math.max(1, Math.ceil((last - first + 1) / buckets));
  const rows = mergeBuckets(overview.rows, (r) => wanted.has(r), factor, first);
  const width = (x1 - x0) / count;
  return { rows, center: (merged) => x0 + (first + (merged + 0.5) * factor) * width };
}
