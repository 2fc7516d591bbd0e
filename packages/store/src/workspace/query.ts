import type { OverviewAxis, RunListing } from '@spyglass/protocol';
import { toRows } from '../arrow-rows.js';
import type { SqlEngine } from '../engine.js';
import type { AxisOverview } from './axis-overview.js';
import { type Buckets, queryBuckets } from './buckets.js';
import type { WindowRequest } from './data.js';
import { messages } from './messages.js';
import type { MetricSlot } from './slot.js';
import { type PyramidGrid, pyramidGrid, pyramidQuerySql, type RawAxis, stepExtentSql } from './sql.js';

/** The most buckets a chart query gets (and the overview's bucket count). */
export const MAX_BUCKETS = 1000;

/** What the chart queries (lineSeries, groupBands) need of the store. */
export interface ChartContext {
  engine: SqlEngine;
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Read when a query checks its runs, so a relist during the load counts. */
  listing: () => RunListing;
  /** The server's overview of a slot on a non-step axis (see loadAxisOverview), or null. */
  axisOverview: (slot: MetricSlot, axis: OverviewAxis) => Promise<AxisOverview | null>;
  /** The source's answer to a window over runs the page does not hold (remote slots only; see remote.ts). */
  window: (request: WindowRequest) => Promise<Uint8Array>;
}

export function clampBuckets(buckets: number): number {
  return Math.max(1, Math.min(MAX_BUCKETS, Math.floor(Number.isFinite(buckets) ? buckets : MAX_BUCKETS)));
}

/** The step metric an x axis names, or null for the built-in axes (they need no second metric loaded). */
export function xMetricOf(xAxis: string): string | null {
  return xAxis === 'step' || xAxis === 'wall' || xAxis === 'relative' ? null : xAxis;
}

export function rawAxis(xAxis: string): RawAxis {
  if (xAxis === 'step' || xAxis === 'wall' || xAxis === 'relative') return { kind: xAxis };
  return { kind: 'metric' };
}

/** The axis the server buckets an overview on for this x axis ("x": the slot's step metric). */
export function overviewAxisOf(xAxis: string): OverviewAxis {
  const { kind } = rawAxis(xAxis);
  return kind === 'metric' ? 'x' : kind;
}

/** Why a run draws nothing for the slot's metric, or null when it has points to query. */
export function emptyReason(slot: MetricSlot, listing: RunListing, runId: string): string | null {
  const listed = listing.runs.find((r) => r.run_id === runId);
  if (!listed) return messages.runGone;
  const run = slot.runIndex.get(runId);
  if (run === undefined) {
    if (slot.skipped[runId]) return slot.skipped[runId];
    if (listed.damaged) return messages.damaged(listed.damaged);
    return messages.notLogged(slot.metric);
  }
  const stats = slot.stats.get(run);
  if (!stats || stats.rows === 0) return messages.notLogged(slot.metric);
  if (stats.finite === 0) return messages.allNonFinite(slot.metric);
  return null;
}

/**
 * Waits for the metric's raw rows unless an overview alone answers the query exactly enough: on the step axis
 * the overview level (a zoom at that level or coarser, answered from the pyramid table), on another axis the
 * whole range, answered from the server's overview on that axis, which is returned (else null).
 */
export async function servable(
  context: ChartContext,
  slot: MetricSlot,
  xAxis: string,
  range: [number, number] | undefined,
  buckets: number,
): Promise<AxisOverview | null> {
  if (slot.rawReady) return null;
  const axis = overviewAxisOf(xAxis);
  if (axis === 'step' && slot.overviewLevel !== null) {
    let maxStep = 0;
    for (const s of slot.stats.values()) maxStep = Math.max(maxStep, s.maxStep);
    const [x0, x1] = range ?? [0, maxStep];
    const grid = pyramidGrid(x0, x1, buckets, slot.maxLevel);
    if (grid && grid.level >= slot.overviewLevel) return null;
  } else if (axis !== 'step' && range === undefined) {
    const overview = await context.axisOverview(slot, axis);
    if (slot.rawReady) return null; // the rows came first: off the step axis they answer without the pyramid
    if (overview) return overview;
  }
  await slot.full;
  return null;
}

/** The pyramid grid that answers a step-axis query, or null when the raw rows must (no extent, level not built). */
export async function stepGrid(
  engine: SqlEngine,
  slot: MetricSlot,
  runs: number[],
  range: [number, number] | undefined,
  buckets: number,
): Promise<PyramidGrid | null> {
  const extent = range ?? (await stepExtent(engine, slot, runs));
  const grid = extent ? pyramidGrid(extent[0], extent[1], buckets, slot.maxLevel) : null;
  // While the pyramid builds, only the overview's levels exist: finer zooms read the raw rows.
  if (grid && !slot.fullReady && grid.level < (slot.overviewLevel ?? Number.POSITIVE_INFINITY)) return null;
  return grid;
}

/** The grid's buckets for `runs`, read from the pyramid. */
export async function pyramidBuckets(
  engine: SqlEngine,
  slot: MetricSlot,
  grid: PyramidGrid,
  runs: number[],
): Promise<Buckets> {
  // Asking for every run of the metric: no run filter (an IN list of 100 runs costs more than the scan).
  const all = runs.length >= slot.stats.size && [...slot.stats.keys()].every((r) => runs.includes(r));
  return queryBuckets(
    engine,
    pyramidQuerySql(slot.tables, grid, { runs: all ? null : runs, exactEdges: slot.rawReady }),
  );
}

export async function stepExtent(
  engine: SqlEngine,
  slot: MetricSlot,
  runs: number[],
): Promise<[number, number] | null> {
  const [row] = toRows(await engine.query(stepExtentSql(slot.tables, runs, slot.maxLevel)));
  if (!row || row.x0 === null || row.x1 === null) return null;
  return [Number(row.x0), Number(row.x1)];
}
