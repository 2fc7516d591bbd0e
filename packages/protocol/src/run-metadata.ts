import type { RunDegraded, RunState } from './messages.js';

/**
 * A run's state as run.json (and the server's /run endpoint) may hold it: the comm's RunState plus 'preempting'
 * (run.mark_preempting(); protocol 1.x reports such a run as 'running').
 */
export type StoredRunState = RunState | 'preempting';

/** A define_metric() entry of run.json "metrics", keyed by metric name or "prefix*" glob. */
export interface MetricDefinition {
  step_metric: string | null;
  hidden: boolean;
}

/** A file run.save() copied into the run's files/ directory (run.json "files"); size is null until copied. */
export interface SavedFile {
  path: string;
  policy: string;
  size: number | null;
}

/** An alert recorded by run.alert() (run.json "alerts"); `at` is seconds since the epoch. */
export interface RunAlert {
  title: string;
  text: string;
  level: 'INFO' | 'WARN' | 'ERROR';
  at: number | null;
}

/**
 * What the frontend reads from a run.json (docs/store-format.md; issue 3 fields are additive). Every field but
 * run_id may be missing from older or partly written files, so absent ones are null or empty here.
 */
export interface RunMetadata {
  run_id: string;
  name: string | null;
  project: string | null;
  state: StoredRunState | null;
  /** Seconds since the epoch. */
  created_at: number | null;
  finished_at: number | null;
  heartbeat_at: number | null;
  updated_at: number | null;
  config: Record<string, unknown>;
  /** JSON-safe: NaN and ±inf arrive as the strings "NaN", "Infinity", "-Infinity". */
  summary: Record<string, unknown>;
  tags: string[];
  notes: string | null;
  group: string | null;
  job_type: string | null;
  metrics: Record<string, MetricDefinition>;
  /** Why the run's rows could not be stored when run.json was last written (null: they were). */
  degraded?: RunDegraded | null;
  /** Rows dropped while too many waited for the store (0 when none). */
  dropped_rows?: number;
  /** Absent in objects built by hand (tests); parseRunMetadata always fills them. */
  files?: SavedFile[];
  alerts?: RunAlert[];
}

const STORED_STATES = new Set(['running', 'finished', 'failed', 'crashed', 'preempting']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (o: Json, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
const finite = (o: Json, k: string) =>
  typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : null;

function metricDefinitions(value: unknown): Record<string, MetricDefinition> {
  const out: Record<string, MetricDefinition> = {};
  if (!isObject(value)) return out;
  for (const [name, raw] of Object.entries(value)) {
    if (!isObject(raw)) continue;
    out[name] = { step_metric: text(raw, 'step_metric'), hidden: raw.hidden === true };
  }
  return out;
}

function savedFiles(value: unknown): SavedFile[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((f) => {
    const path = text(f, 'path');
    return path === null ? [] : [{ path, policy: text(f, 'policy') ?? 'live', size: finite(f, 'size') }];
  });
}

const LEVELS = new Set(['INFO', 'WARN', 'ERROR']);

function runAlerts(value: unknown): RunAlert[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((a) => {
    const title = text(a, 'title');
    const level = text(a, 'level') ?? 'INFO';
    if (title === null) return [];
    return [
      {
        title,
        text: text(a, 'text') ?? '',
        level: (LEVELS.has(level) ? level : 'INFO') as RunAlert['level'],
        at: finite(a, 'at'),
      },
    ];
  });
}

/**
 * Reads a `degraded` object (run.json, or the comm's RunInfo in protocol 1.2); null when it is absent or lacks a
 * reason and a path. Counts missing or mistyped read as 0, an unknown `since` as 0.
 */
export function parseRunDegraded(value: unknown): RunDegraded | null {
  if (!isObject(value)) return null;
  const reason = text(value, 'reason');
  const path = text(value, 'path');
  if (reason === null || path === null) return null;
  return {
    reason,
    path,
    message: text(value, 'message') ?? reason,
    since: finite(value, 'since') ?? 0,
    unstored_rows: finite(value, 'unstored_rows') ?? 0,
    dropped_rows: finite(value, 'dropped_rows') ?? 0,
  };
}

/**
 * Reads the fields the frontend shows from a run.json object, tolerating missing and mistyped fields (a file
 * from an older or newer writer must still show what it can). `runId` is used when the file names none.
 */
export function parseRunMetadata(value: unknown, runId: string): RunMetadata {
  const o = isObject(value) ? value : {};
  const state = text(o, 'state');
  return {
    run_id: text(o, 'run_id') ?? runId,
    name: text(o, 'name'),
    project: text(o, 'project'),
    state: state !== null && STORED_STATES.has(state) ? (state as StoredRunState) : null,
    created_at: finite(o, 'created_at'),
    finished_at: finite(o, 'finished_at'),
    heartbeat_at: finite(o, 'heartbeat_at'),
    updated_at: finite(o, 'updated_at'),
    config: isObject(o.config) ? o.config : {},
    summary: isObject(o.summary) ? o.summary : {},
    tags: Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : [],
    notes: text(o, 'notes'),
    group: text(o, 'group'),
    job_type: text(o, 'job_type'),
    metrics: metricDefinitions(o.metrics),
    degraded: parseRunDegraded(o.degraded),
    dropped_rows: finite(o, 'dropped_rows') ?? 0,
    files: savedFiles(o.files),
    alerts: runAlerts(o.alerts),
  };
}
