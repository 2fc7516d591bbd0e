import type { OverviewAxis } from '@spyglass/protocol';
import type { SqlEngine } from '../engine.js';
import { parseMetricIPC } from '../metric-ipc.js';
import { type AxisOverview, axisOverviewOf } from './axis-overview.js';
import type { LoadOptions, LoadPhase, MetricResponse, WorkspaceSource } from './data.js';
import { fetchLimitBytes, guardMemory, rowBytes } from './memory.js';
import { MAX_BUCKETS, overviewAxisOf } from './query.js';
import type { MetricSlot } from './slot.js';

/** What loading a metric needs of the store. */
export interface SlotLoadContext {
  engine: SqlEngine;
  source: WorkspaceSource;
  budget: number;
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** False once the slot was evicted or unloaded. */
  holds: (slot: MetricSlot) => boolean;
  /** Evicts other metrics until `needed` more bytes fit the budget. */
  makeRoom: (slot: MetricSlot, needed: number) => Promise<void>;
  /** The raw rows of a metric first drawn from its overview are in (charts should re-query). */
  rowsLoaded: (metric: string) => void;
}

type Progress = (phase: LoadPhase, loaded: number, total: number | null) => void;

/** The axis a new slot's first overview is asked for on (see LoadOptions.xAxis). */
export function firstOverviewAxis(options: LoadOptions, xMetric: string | null): OverviewAxis {
  const axis = options.xAxis !== undefined ? overviewAxisOf(options.xAxis) : xMetric ? 'x' : 'step';
  return axis === 'x' && !xMetric ? 'step' : axis;
}

/**
 * Loads a metric: first the server's overview on `axis` (one pyramid level on the step axis, plain M4 on another;
 * enough for the whole-range chart), so the first paint does not wait; then, in the background, the raw rows and
 * the full pyramid (`slot.full`). A source that answers rows straight away (no overview) goes to the full load.
 */
export async function loadSlot(
  context: SlotLoadContext,
  slot: MetricSlot,
  options: LoadOptions,
  axis: OverviewAxis = 'step',
): Promise<void> {
  const progress: Progress = (phase, loaded, total) =>
    options.onProgress?.({ metric: slot.metric, phase, loadedBytes: loaded, totalBytes: total });
  progress('fetching', 0, null);
  const perRow = rowBytes(slot.xMetric);
  const request = {
    metric: slot.metric,
    runIds: [],
    xMetric: slot.xMetric ?? undefined,
    onProgress: (loaded: number, total: number | null) => progress('fetching', loaded, total),
    maxBytes: fetchLimitBytes(context.budget, slot.xMetric),
  };
  const overviewAxis = axis === 'step' ? undefined : axis;
  const first = withRows(
    await context.source.metric({ ...request, overviewBuckets: MAX_BUCKETS, overviewAxis }),
  );
  const stats = first.overview?.stats ?? first.axisOverview?.stats;
  if (!stats) {
    await loadRows(context, slot, first, perRow, progress);
    return;
  }
  let rows = 0;
  for (const s of Object.values(stats)) rows += s.rows;
  await context.makeRoom(slot, rows * perRow);
  await context.serial(() =>
    first.overview
      ? slot.ingestOverview(context.engine, first)
      : slot.ingestAxisOverview(context.engine, first),
  );
  slot.bytes = rows * perRow;
  slot.ready = true;
  progress('ready', first.ipc.byteLength, first.ipc.byteLength);
  slot.full = (async () => {
    const response = withRows(await context.source.metric(request));
    await loadRows(context, slot, response, perRow, progress);
    context.rowsLoaded(slot.metric);
  })();
  slot.full.catch(() => undefined); // reported to whoever awaits it (a query that needs the rows)
}

/**
 * The server's overview of a slot still waiting for its rows on a non-step axis, fetched once per axis; null when
 * the source gave none (it ignored the axis, or failed: the chart then waits for the rows).
 */
export function loadAxisOverview(
  context: SlotLoadContext,
  slot: MetricSlot,
  axis: OverviewAxis,
): Promise<AxisOverview | null> {
  let pending = slot.axisOverviews.get(axis);
  if (!pending) {
    const request = {
      metric: slot.metric,
      runIds: [],
      xMetric: slot.xMetric ?? undefined,
      overviewBuckets: MAX_BUCKETS,
      overviewAxis: axis,
    };
    pending = context.source
      .metric(request)
      .then((response) => axisOverviewOf(slot, withRows(response)))
      .catch(() => null);
    slot.axisOverviews.set(axis, pending);
  }
  return pending;
}

/** Adds runs that appeared after the metric was loaded (a new run, a run that started logging it). */
export async function appendRuns(
  context: SlotLoadContext,
  slot: MetricSlot,
  runIds: string[],
): Promise<string[]> {
  const response = await context.source.metric({
    metric: slot.metric,
    runIds,
    xMetric: slot.xMetric ?? undefined,
  });
  const parsed: MetricResponse = response.rows === undefined ? parseMetricIPC(response.ipc) : response;
  return context.serial(() => slot.append(context.engine, parsed));
}

/** Ingests the raw rows, then builds the pyramid; the slot is fullReady after. */
async function loadRows(
  context: SlotLoadContext,
  slot: MetricSlot,
  response: MetricResponse,
  perRow: number,
  progress: Progress,
): Promise<void> {
  const { engine, budget } = context;
  // Evicted or unloaded while the rows were on their way: do not bring its tables back.
  if (!context.holds(slot)) return;
  const rows = response.rows ?? 0;
  const needed = rows * perRow;
  // Read before ingesting: the IPC is handed over to DuckDB's worker, which detaches it.
  const bytes = response.ipc.byteLength;
  await context.makeRoom(slot, needed);
  progress('ingesting', bytes, bytes);
  await context.serial(() =>
    guardMemory(slot.metric, needed, budget, () => slot.ingest(engine, response, rows)),
  );
  slot.axisOverviews.clear(); // every axis is answered from the rows now
  progress('indexing', bytes, bytes);
  // One serial step at a time: chart queries (answered from the raw rows meanwhile) run in between.
  for (const step of slot.pyramidSteps()) {
    await context.serial(() => guardMemory(slot.metric, needed, budget, () => step(engine)));
  }
  slot.bytes = needed;
  slot.overviewLevel = null;
  slot.ready = true;
  slot.fullReady = true;
  progress('ready', bytes, bytes);
}

function withRows(response: MetricResponse): MetricResponse {
  return response.rows === undefined ? { ...response, ...parseMetricIPC(response.ipc) } : response;
}
