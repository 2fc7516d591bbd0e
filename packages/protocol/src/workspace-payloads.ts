/**
 * The answers of the server's workspace endpoints (docs/server-api.md#workspace-issue-4), as the Python server
 * builds them (spyglass.workspace_data). Golden answers live in ../fixtures/server/, checked by both test suites.
 */
import { ProtocolError } from './errors.js';
import type { RunAlert } from './run-metadata.js';

/** A scalar cell of a flattened config or summary (nested dicts are flattened with "."). */
export type FlatValue = string | number | boolean | null;

/** One run as `GET /spyglass/api/v1/runs` lists it. */
export interface WorkspaceRun {
  run_dir: string;
  run_id: string;
  name: string;
  /** Effective state: a "running" run whose heartbeat went stale is "crashed". */
  state: 'running' | 'finished' | 'failed' | 'crashed' | 'preempting' | (string & {});
  /** Unix seconds. */
  created_at: number | null;
  /** Seconds from created_at to finished_at (or to the last heartbeat while running). */
  duration: number | null;
  tags: string[];
  group: string | null;
  job_type: string | null;
  config: Record<string, FlatValue>;
  summary: Record<string, FlatValue>;
  /** Numeric metric names in the run's history (not the `_` columns), sorted. */
  metrics: string[];
  /** Why the run's files cannot be read (the run is listed anyway), or null. */
  damaged: string | null;
  /** define_metric step metrics: metric name (or glob "val/*") → its step metric. Absent when none. */
  step_metrics?: Record<string, string>;
  /** run.alert()'s alerts, newest last (the latest 20). Absent when the run has none. */
  alerts?: RunAlert[];
}

/** The answer of `GET /spyglass/api/v1/runs`. */
export interface RunListing {
  runs: WorkspaceRun[];
  /** Every project in the store root, sorted. */
  projects: string[];
  /** Present when the project does not exist (yet): the store's projects named like it (a case slip, a typo). */
  close_matches?: string[];
}

/** The axes an overview can be bucketed on; "x" is the step metric asked for with `x_metric`. */
export type OverviewAxis = 'step' | 'wall' | 'relative' | 'x';

/** Per run, what an overview covers. */
export interface RunOverviewStats {
  rows: number;
  finite: number;
  max_step: number;
}

/** Schema metadata key under which `/metric` puts its MetricMetadata (JSON text). */
export const METRIC_METADATA_KEY = 'spyglass';

/**
 * The schema metadata of a `GET /spyglass/api/v1/metric` answer (an Arrow IPC stream). Rows: `run_ids`, `cursors`
 * (running runs: last framed-log seq included), `skipped`. A step overview adds `level`, `max_level`, `stats`; an
 * overview on another axis adds `axis`, `x0`, `x1`, `buckets`, `stats`.
 */
export interface MetricMetadata {
  run_ids: string[];
  cursors: Record<string, number>;
  skipped: Record<string, string>;
  level?: number;
  max_level?: number;
  stats?: Record<string, RunOverviewStats>;
  axis?: OverviewAxis;
  x0?: number;
  x1?: number;
  buckets?: number;
}

/** A histogram as `/histograms` answers it: the step, the n + 1 bin edges and the n counts. */
export interface HistogramPoint {
  step: number;
  bins: number[];
  values: number[];
}

/** The answer of `GET /spyglass/api/v1/histograms`: run id → histograms by step, and the runs left out. */
export interface HistogramsAnswer {
  runs: Record<string, HistogramPoint[]>;
  /** run id → why it was left out. */
  skipped: Record<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNumberList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isFlat = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function need(ok: boolean, field: string, what: string, answer: string): void {
  if (!ok) throw new ProtocolError(`The server's ${answer} answer has no valid '${field}' (${what})`, field);
}

function stringRecord(o: Json, field: string, answer: string, valueType: 'string' | 'number'): void {
  need(
    isObject(o[field]) && Object.values(o[field] as Json).every((v) => typeof v === valueType),
    field,
    `an object of ${valueType}s`,
    answer,
  );
}

function checkRun(run: unknown): void {
  need(isObject(run), 'runs', 'a list of objects', '/runs');
  const r = run as Json;
  for (const key of ['run_dir', 'run_id', 'name', 'state'])
    need(typeof r[key] === 'string', key, 'text', '/runs');
  for (const key of ['created_at', 'duration'])
    need(r[key] === null || typeof r[key] === 'number', key, 'a number or null', '/runs');
  for (const key of ['group', 'job_type', 'damaged'])
    need(r[key] === null || typeof r[key] === 'string', key, 'text or null', '/runs');
  for (const key of ['tags', 'metrics']) need(isStringList(r[key]), key, 'a list of text', '/runs');
  for (const key of ['config', 'summary'])
    need(
      isObject(r[key]) && Object.values(r[key] as Json).every(isFlat),
      key,
      'an object of scalars',
      '/runs',
    );
  if (r.step_metrics !== undefined) stringRecord(r, 'step_metrics', '/runs', 'string');
  if (r.alerts !== undefined) need(Array.isArray(r.alerts), 'alerts', 'a list', '/runs');
}

/** Validates a `/runs` answer; throws ProtocolError naming the first field that is wrong. */
export function parseRunListing(value: unknown): RunListing {
  need(isObject(value), 'runs', 'an object', '/runs');
  const o = value as Json;
  need(Array.isArray(o.runs), 'runs', 'a list', '/runs');
  for (const run of o.runs as unknown[]) checkRun(run);
  need(isStringList(o.projects), 'projects', 'a list of text', '/runs');
  if (o.close_matches !== undefined)
    need(isStringList(o.close_matches), 'close_matches', 'a list of text', '/runs');
  return o as unknown as RunListing;
}

const AXES = new Set<unknown>(['step', 'wall', 'relative', 'x']);

/** Validates the schema metadata of a `/metric` answer; throws ProtocolError naming the first wrong field. */
export function parseMetricMetadata(value: unknown): MetricMetadata {
  need(isObject(value), 'run_ids', 'an object', '/metric');
  const o = value as Json;
  need(isStringList(o.run_ids), 'run_ids', 'a list of text', '/metric');
  stringRecord(o, 'cursors', '/metric', 'number');
  stringRecord(o, 'skipped', '/metric', 'string');
  for (const key of ['level', 'max_level', 'x0', 'x1', 'buckets'])
    if (o[key] !== undefined) need(typeof o[key] === 'number', key, 'a number', '/metric');
  if (o.axis !== undefined) need(AXES.has(o.axis), 'axis', 'step, wall, relative or x', '/metric');
  if (o.stats !== undefined) {
    need(
      isObject(o.stats) &&
        Object.values(o.stats).every(
          (s) => isObject(s) && ['rows', 'finite', 'max_step'].every((k) => typeof s[k] === 'number'),
        ),
      'stats',
      'run id → {rows, finite, max_step}',
      '/metric',
    );
  }
  return o as unknown as MetricMetadata;
}

/** Reads a `/histograms` answer; a histogram of the wrong shape is dropped, an answer of the wrong shape refused. */
export function parseHistogramsAnswer(value: unknown): HistogramsAnswer {
  if (!isObject(value) || !isObject(value.runs)) {
    throw new ProtocolError('the histograms answer has no "runs" object', 'runs');
  }
  const o = value as { runs: Json; skipped?: unknown };
  const runs: Record<string, HistogramPoint[]> = {};
  for (const [runId, list] of Object.entries(o.runs)) {
    if (!Array.isArray(list)) continue;
    runs[runId] = list.flatMap((h: { step?: unknown; bins?: unknown; values?: unknown }) =>
      typeof h?.step === 'number' &&
      isNumberList(h.bins) &&
      isNumberList(h.values) &&
      h.bins.length === h.values.length + 1
        ? [{ step: h.step, bins: h.bins, values: h.values }]
        : [],
    );
  }
  const skipped: Record<string, string> = {};
  if (isObject(o.skipped)) {
    for (const [runId, why] of Object.entries(o.skipped)) skipped[runId] = String(why);
  }
  return { runs, skipped };
}
