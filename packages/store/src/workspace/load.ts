import type { OverviewAxis } from '@spyglass/protocol';
import type { SqlEngine } from '../engine.js';
import { parseMetricIPC } from '../metric-ipc.js';
import { type AxisOverview, axisOverviewOf } from './axis-overview.js';
import type { LoadOptions, LoadPhase, MetricRequest, MetricResponse, WorkspaceSource } from './data.js';
import { farOverviewOf } from './far-overview.js';
import { fetchLimitBytes, guardMemory, remoteSlotBytes, rowBytes } from './memory.js';
import { MAX_BUCKETS, overviewAxisOf } from './query.js';
import type { MetricSlot } from './slot.js';

/** What loading a metric needs of the store. */
export interface SlotLoadContext {
  engine: SqlEngine;
  source: WorkspaceSource;
  budget: number;
  /** A metric whose far rows would take more bytes than this stays on the server when the source has windows. */
  localBytes: number;
  /** Runs in the listing (sizes the overview: many runs, coarser overview). */
  runCount: () => number;
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** False once the slot was evicted or unloaded. */
  holds: (slot: MetricSlot) => boolean;
  /** Evicts other metrics until `needed` more bytes fit the budget. */
  makeRoom: (slot: MetricSlot, needed: number) => Promise<void>;
  /** The raw rows of a metric first drawn from its overview are in (charts should re-query). */
  rowsLoaded: (metric: string) => void;
}

type Progress = (phase: LoadPhase, loaded: number, total: number | null) => void;

/** Overview rows the page keeps per metric at most (with the coarser levels, ~40 MB in DuckDB-WASM). */
const OVERVIEW_ROWS = 200_000;

/** Overview buckets per run: MAX_BUCKETS, fewer when there are many runs, so the overview stays bounded. */
export function overviewBucketsFor(runs: number): number {
  return Math.max(64, Math.min(MAX_BUCKETS, Math.floor(OVERVIEW_ROWS / Math.max(runs, 1))));
}

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
    await context.source.metric({
      ...request,
      overviewBuckets: overviewBucketsFor(context.runCount()),
      overviewAxis,
    }),
  );
  const stats = first.overview?.stats ?? first.axisOverview?.stats;
  if (!stats) {
    await loadRows(context, slot, first, perRow, progress);
    return;
  }
  let rows = 0;
  let farRows = 0;
  for (const [runId, s] of Object.entries(stats)) {
    rows += s.rows;
    if (!(runId in first.cursors)) farRows += s.rows;
  }
  // Running runs (the ones the answer gives a log cursor) stay in the page; the others may stay on the server.
  if (context.source.window && farRows * perRow > context.localBytes) {
    await loadRemote(context, slot, request, first, progress);
    return;
  }
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

/**
 * Keeps a large metric on the server: the page holds the overview of the far runs (in JS, far-overview.ts) and
 * fetches only the rows of the running runs; zooms over the far runs are windows the source answers (remote.ts).
 */
async function loadRemote(
  context: SlotLoadContext,
  slot: MetricSlot,
  request: MetricRequest,
  first: MetricResponse,
  progress: Progress,
): Promise<void> {
  // The step overview is the pyramid's top levels; a first chart on another axis also keeps its own overview.
  const step = first.overview
    ? first
    : withRows(
        await context.source.metric({ ...request, overviewBuckets: overviewBucketsFor(context.runCount()) }),
      );
  const running = Object.keys(step.cursors);
  const response = withRows(
    running.length
      ? await context.source.metric({ ...request, runIds: running })
      : { ipc: new Uint8Array(), runIds: [], cursors: {}, skipped: {}, rows: 0 },
  );
  // Read outside the engine's queue: charts of other metrics go on meanwhile.
  const far = farOverviewOf(step, (step.overview as NonNullable<MetricResponse['overview']>).level);
  const needed = remoteSlotBytes(far.bytes, response.rows ?? 0, slot.xMetric);
  await context.makeRoom(slot, needed);
  await context.serial(() =>
    guardMemory(slot.metric, needed, context.budget, async () => {
      await slot.ingestFarOverview(context.engine, step, far);
      if (first.axisOverview) {
        const overview = axisOverviewOf(slot, first);
        slot.axisOverviews.set(first.axisOverview.axis, Promise.resolve(overview));
      }
      await slot.ingestLocalRuns(context.engine, response, running);
    }),
  );
  slot.bytes = needed;
  slot.ready = true;
  slot.fullReady = true;
  progress('ready', response.ipc.byteLength, response.ipc.byteLength);
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
