/*
 * NOTE FOR THE WORKSPACE-UI HELPER (issue 4): this file is the contract between the data layer and the UI.
 * - Code against `WorkspaceData` (created with `createWorkspaceData({ engine, source })`, implemented in
 *   workspace-store.ts). The labextension's `WorkspaceClient` (labextension/src/WorkspaceClient.ts) implements
 *   `WorkspaceSource` over the server endpoints `GET /spyglass/api/v1/runs` and `GET /spyglass/api/v1/metric`
 *   (plus the existing `/history` for the live tail).
 * - Everything here is DOM-free and stable; additions will be optional fields only. Runs are keyed by `run_id`
 *   within one (store_root, project); run ids are unique inside a project.
 * - Call `loadMetric(metric)` before `lineSeries`/`groupBands` for that metric (they load it on demand too, but
 *   loadMetric gives you progress and the memory error early). Nothing is loaded until a panel asks.
 *   loadMetric resolves as soon as the server's overview (one M4 level, enough for the whole-range step chart) is
 *   in; the raw rows follow in the background, then the full pyramid, and `onMetricUpdated(metric, [])` fires when
 *   it is in: re-query then (edges become exact, short runs come back point for point). A whole-range chart on
 *   another axis (wall, relative, a step metric) is drawn from the server's overview on that axis: pass the
 *   chart's axis as `loadMetric(metric, { xAxis })` so it is the one fetched first (else it is fetched when the
 *   chart asks). Any other query that needs the rows before they arrive (a zoom finer than the overview, a zoom
 *   off the step axis) simply waits for them.
 * - `onMetricUpdated(metric, runIds)` also fires for live rows (runIds = the runs that grew) and new runs.
 * - `lineSeries` returns at most ~4 points per bucket per run (M4: first, last, min, max of each x bucket over the
 *   visible range), every point when the visible range holds ≤ `maxRawPoints` (default 1000) points of that run.
 *   Re-query on every zoom/pan with the new `range`.
 * - Errors: `WorkspaceMemoryError` (show its message, the page stays usable), `WorkspaceSourceError` (server said
 *   no), `QueryError` (bad SQL in `sql()`), all subclasses of `StoreError`.
 * - `sql(query)` runs over the table `runs` (one row per run: run_id, run_dir, name, state, created_at, duration,
 *   tags VARCHAR[], "group", job_type, damaged, then one column per flattened config key named "config.<key>"
 *   and per summary key "summary.<key>"; a key whose values are all numbers is DOUBLE, all booleans BOOLEAN,
 *   anything mixed VARCHAR). Quote such column names: SELECT "config.lr", "summary.loss" FROM runs.
 */
import type { HistogramsAnswer, OverviewAxis, RunListing, RunOverviewStats } from '@spyglass/protocol';
import type { SqlEngine } from '../engine.js';
import { StoreError } from '../errors.js';
import type { HubRows } from './hub-rows.js';

/**
 * The x axis of a line plot: the step, wall-clock time (unix seconds), seconds since the run's first row, or the
 * name of a metric logged in the same rows (a define_metric step metric, e.g. "epoch"). The names "step", "wall"
 * and "relative" always mean the built-in axes.
 */
export type XAxis = 'step' | 'wall' | 'relative' | (string & {});

export interface XYPoint {
  x: number;
  y: number;
}

export interface LineSeriesQuery {
  metric: string;
  runIds: string[];
  xAxis: XAxis;
  /** Visible x range, inclusive; the whole series when absent. */
  range?: [number, number];
  /** x buckets (about the plot's width in pixels; clamped to 1..1000). At most 4 points per bucket are returned. */
  buckets: number;
  /** EMA smoothing: the debiased exponential moving average of wandb, with weight `ema` in [0, 1) on the past. */
  smoothing?: { ema: number };
  /** Below this many points in range a run's series is returned whole (default 1000). */
  maxRawPoints?: number;
}

export interface LineSeries {
  runId: string;
  /** Ordered by x. Smoothed when `smoothing` was given. Never contains NaN or ±inf. */
  points: XYPoint[];
  /** The unsmoothed (downsampled) points at the same x, present only when smoothing was asked for. */
  raw?: XYPoint[];
  /** True when M4 reduced the series (more points in range than maxRawPoints). */
  downsampled: boolean;
  /** Finite points of this run inside the range (before downsampling). */
  pointsInRange: number;
  /** Why `points` is empty (e.g. "every value is NaN or infinite"), else null. */
  emptyReason: string | null;
}

export interface GroupBandQuery {
  metric: string;
  groups: { key: string; runIds: string[] }[];
  xAxis: XAxis;
  range?: [number, number];
  /** Shared x grid: the range is cut into this many equal buckets (clamped to 1..1000). */
  buckets: number;
  /** Applied per run before aggregating across runs. */
  smoothing?: { ema: number };
}

export interface BandPoint {
  /** Centre of the grid bucket. */
  x: number;
  /** min / max / mean across runs of each run's mean value in this bucket. */
  min: number;
  max: number;
  mean: number;
  /** Runs contributing a value to this bucket. */
  runs: number;
}

export interface GroupBand {
  key: string;
  points: BandPoint[];
}

export type LoadPhase = 'fetching' | 'ingesting' | 'indexing' | 'ready';

export interface MetricLoadProgress {
  metric: string;
  phase: LoadPhase;
  /** Bytes received so far, and the total when the server announced it. */
  loadedBytes: number;
  totalBytes: number | null;
}

export interface LoadedMetric {
  metric: string;
  /** Rows (points, including non-finite ones) held for this metric. */
  rows: number;
  /** Runs having at least one row of it. */
  runIds: string[];
  /** Estimated bytes held in DuckDB-WASM for this metric. */
  bytes: number;
  /** Runs that could not be loaded and why (e.g. the metric is text in that run, or the files are damaged). */
  skipped: Record<string, string>;
}

export interface LoadOptions {
  onProgress?: (progress: MetricLoadProgress) => void;
  /** Also load this step metric's values (required before using it as xAxis). */
  xMetric?: string;
  /**
   * The x axis the first chart will use: the server's overview is asked for on it, so a wall or relative chart
   * paints as soon as a step chart does (step charts then wait for the rows). Default: the step metric when
   * `xMetric` is given, else step. A chart asking for another axis first fetches that axis's overview too.
   */
  xAxis?: XAxis;
}

export interface MemoryUsage {
  usedBytes: number;
  budgetBytes: number;
  /** Loaded metrics, least recently used first (evicted first when a new metric needs room). */
  metrics: string[];
}

/** The data side of the workspace. One instance per (store root, project). */
export interface WorkspaceData {
  /** Lists the runs (refetches each call) and refreshes the SQL `runs` table. */
  listRuns(): Promise<RunListing>;
  /** Loads one metric across all runs (idempotent; concurrent calls share one load). */
  loadMetric(metric: string, options?: LoadOptions): Promise<LoadedMetric>;
  /** Downsampled (M4) lines for the visible range, one per requested run (in the order asked). */
  lineSeries(query: LineSeriesQuery): Promise<LineSeries[]>;
  /** Min/max/mean bands across the runs of each group on a shared x grid. */
  groupBands(query: GroupBandQuery): Promise<GroupBand[]>;
  /** Runs SQL over the `runs` table (custom panels, the WHERE box); rows as plain objects. */
  sql(query: string): Promise<Record<string, unknown>[]>;
  /** One histogram key's histograms per run (heat strip panels); read from the source each call, not cached. */
  histograms(metric: string, runIds: string[]): Promise<HistogramsAnswer>;
  /** Called after every listRuns()/poll that changed the listing (new, deleted, changed state). */
  onRunsChanged(listener: (listing: RunListing) => void): () => void;
  /** Called when live points were appended to a loaded metric (re-query the affected panels). */
  onMetricUpdated(listener: (metric: string, runIds: string[]) => void): () => void;
  /** Starts polling: running runs' new rows every `tailMs` (default 250), the run listing every `listMs` (5000). */
  startLive(options?: { tailMs?: number; listMs?: number }): void;
  stopLive(): void;
  /** Frees a loaded metric. */
  unloadMetric(metric: string): Promise<void>;
  memory(): MemoryUsage;
  dispose(): Promise<void>;
}

/** Where the data comes from: the server endpoints in the browser, anything else in tests. */
export interface WorkspaceSource {
  /** `GET /spyglass/api/v1/runs?store_root=&project=`. */
  listRuns(): Promise<RunListing>;
  /**
   * `GET /spyglass/api/v1/metric`: one metric across runs as an Arrow IPC stream with columns
   * run (int32, index into `runIds`), step (int64), wall (float64), value (float64) and, with `xMetric`,
   * x (float64); plus, per running run, the framed-log seq the data reaches (tail from there with history()).
   */
  metric(request: MetricRequest): Promise<MetricResponse>;
  /** `GET /spyglass/api/v1/history?run_dir=&after_seq=`: a framed-log slice (file header + frames > afterSeq). */
  history(runDir: string, afterSeq: number): Promise<Uint8Array>;
  /** `GET /spyglass/api/v1/histograms?metric=&run_id=…`: one histogram key per run; absent in sources with none. */
  histograms?(metric: string, runIds: string[]): Promise<HistogramsAnswer>;
  /**
   * `POST /spyglass/api/v1/metric_window`: M4 buckets of a zoom window computed where the rows are (the Jupyter
   * server's DuckDB), as an Arrow IPC stream of (run = index into `runIds`, q, x_first, y_first, x_last, y_last,
   * x_min, y_min, x_max, y_max, y_sum, n). A source with it lets the page keep only a large metric's overview and
   * the rows of its running runs; absent: every metric's rows are loaded into the page.
   */
  window?(request: WindowRequest): Promise<Uint8Array>;
}

/**
 * A zoom window for the source to answer: with `level` (step axis), the pyramid grid of buckets of 2^level
 * steps over the integer steps [lo, hi], partial buckets at the edges cut to the range (q counts from lo aligned
 * down to 2^level); with `buckets`, that many equal buckets over [lo, hi] on `axis` (as `rawM4Sql`).
 */
export interface WindowRequest {
  metric: string;
  xMetric?: string;
  runIds: string[];
  axis: OverviewAxis;
  lo: number;
  hi: number;
  level?: number;
  buckets?: number;
}

export interface MetricRequest {
  metric: string;
  /** run_ids of the project to include (all runs listing the metric when empty). */
  runIds: string[];
  xMetric?: string;
  onProgress?: (loadedBytes: number, totalBytes: number | null) => void;
  /** Refuse (with WorkspaceMemoryError) an answer larger than this many bytes, before downloading it. */
  maxBytes?: number;
  /**
   * Ask for the server's overview instead of the rows: one M4 pyramid level covering the whole step range in about
   * this many buckets (`overview` is then set in the answer). A source may ignore it and answer the rows.
   */
  overviewBuckets?: number;
  /**
   * The x axis the overview is bucketed on (default step). Any other: plain M4 in `overviewBuckets` equal buckets
   * over the whole x range (`axisOverview` is then set in the answer). A source may ignore it.
   */
  overviewAxis?: OverviewAxis;
}

/**
 * The grid of an overview on a non-step axis: bucket q of `buckets` equal ones covers
 * [x0 + q·w, x0 + (q+1)·w) with w = (x1 − x0) / buckets, the last one including x1. Its rows are
 * (run, q, x_first, y_first, x_last, y_last, x_min, y_min, x_max, y_max, y_sum, n).
 */
export interface AxisOverviewGrid {
  axis: OverviewAxis;
  x0: number;
  x1: number;
  buckets: number;
  /** Per run, as the step overview's. */
  stats: MetricOverview['stats'];
}

/** The server's first-paint overview of a metric (the `level` rows of its M4 pyramid, as `ws_lvl` holds them). */
export interface MetricOverview {
  level: number;
  maxLevel: number;
  stats: Record<string, RunOverviewStats>;
}

export interface MetricResponse {
  ipc: Uint8Array;
  /** Index → run_id for the `run` column. */
  runIds: string[];
  /** run_id → last framed-log seq included, for runs still running (absent for finished runs). */
  cursors: Record<string, number>;
  /** run_id → why it was left out. */
  skipped: Record<string, string>;
  /** Rows in `ipc`, when known (parseMetricIPC counts them). */
  rows?: number;
  /** Set when `ipc` holds the overview level rather than rows. */
  overview?: MetricOverview;
  /** Set when `ipc` holds an overview on a non-step axis (`overviewAxis`) rather than rows. */
  axisOverview?: AxisOverviewGrid;
}

/** A metric would not fit in the page's memory budget even after evicting every other loaded metric. */
export class WorkspaceMemoryError extends StoreError {
  override name = 'WorkspaceMemoryError';
  constructor(
    readonly metric: string,
    readonly neededBytes: number,
    readonly budgetBytes: number,
  ) {
    super(
      `Spyglass cannot chart "${metric}": it needs about ${mib(neededBytes)} MiB in the browser, over the ` +
        `workspace budget of ${mib(budgetBytes)} MiB. Select fewer runs or close other metric panels.`,
    );
  }
}

/** The server refused or failed a workspace request; `status` is the HTTP status (0: no answer). */
export class WorkspaceSourceError extends StoreError {
  override name = 'WorkspaceSourceError';
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Spyglass workspace request ${endpoint} failed (${status || 'no answer'}): ${detail}`);
  }
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}

export interface WorkspaceDataOptions {
  engine: SqlEngine;
  source: WorkspaceSource;
  /**
   * The page's run hub, when `engine` is a connection to the hub's database (`workspaceConnection`): the live tail
   * reads the runs a kernel delivers from the hub's rows and polls `/history` only for the others.
   */
  hub?: HubRows;
  /** Bytes the loaded metrics may take in the page, DuckDB-WASM tables and far overviews (default 384 MiB). */
  memoryBudgetBytes?: number;
  /**
   * A metric whose finished runs' rows would take more than this many bytes in the page stays on the server when
   * the source answers windows: the page keeps its overview and its running runs' rows, and zooms over the other
   * runs are answered by the source (default: an eighth of the budget, so eight such metrics fit).
   */
  localMetricBytes?: number;
}
