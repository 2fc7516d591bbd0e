import { ProtocolError } from './errors.js';

// The sweep snapshot (issue 7): Python builds it (`spyglass.sweeps.snapshot`), the sweep panel renders it. The
// golden example is fixtures/sweep/snapshot.json; a pytest checks the Python side has exactly these keys.

export type SweepMethod = 'grid' | 'random' | 'bayes';
export type SweepState = 'running' | 'paused' | 'stopped' | 'finished';
export type TrialState = 'claimed' | 'running' | 'finished' | 'failed' | 'stopped_early' | 'stopped';
export type ParameterKind = 'continuous' | 'integer' | 'categorical' | 'constant';
/** A sampled parameter value: JSON scalars (a categorical may hold strings, numbers or booleans). */
export type ParamValue = number | string | boolean | null;

export interface SweepMetric {
  name: string;
  goal: 'minimize' | 'maximize';
}

export interface SweepParameter {
  /** Nested parameter names are joined by ".", e.g. "optimizer.lr". */
  name: string;
  kind: ParameterKind;
  /** Sampled on a log scale (log_uniform and friends): the panel draws its axis on a log scale. */
  log: boolean;
  min: number | null;
  max: number | null;
  /** The choices of a categorical (or the one value of a constant). */
  values: ParamValue[] | null;
}

export interface SweepInfo {
  id: string;
  project: string;
  name: string | null;
  method: SweepMethod;
  metric: SweepMetric | null;
  state: SweepState;
  run_cap: number | null;
  /** Seconds since the epoch. */
  created_at: number;
  early_terminate: Record<string, unknown> | null;
  parameters: SweepParameter[];
}

/** Trial counts by state; each trial is in exactly one of done, running, failed and stopped_early. */
export interface SweepCounts {
  /** Trials that finished, or were stopped by hand (failed and stopped-early ones are counted apart). */
  done: number;
  /** Claimed or running trials. */
  running: number;
  failed: number;
  stopped_early: number;
  /** Trials still to start; null when the sweep has no end (random/bayes without run_cap or count). */
  left: number | null;
  total: number | null;
}

export interface SweepTrial {
  index: number;
  run_id: string | null;
  run_dir: string | null;
  state: TrialState;
  params: Record<string, ParamValue>;
  /** The sweep metric as the trial last logged it; null when never logged. */
  metric: number | null;
  best_so_far: number | null;
  stopped_reason: string | null;
  /** The traceback of a failed trial. */
  error: string | null;
  agent: string | null;
  started_at: number | null;
  ended_at: number | null;
}

export interface ParameterImportance {
  param: string;
  /** Pearson correlation with the metric; null for categoricals and constant columns. */
  correlation: number | null;
  /** Random-forest importance over the finished trials (sums to about 1). */
  importance: number | null;
}

export interface SweepSnapshot {
  sweep: SweepInfo;
  counts: SweepCounts;
  trials: SweepTrial[];
  importance: ParameterImportance[] | null;
  warnings: string[];
}

/** The data of an `application/vnd.spyglass.sweep.v1+json` output. */
export interface SweepOutputData {
  sweep_dir: string;
  sweep_id: string;
  project: string;
  snapshot: SweepSnapshot;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, what: string, value: unknown): never {
  throw new ProtocolError(`Field '${path}' must be ${what}, got ${JSON.stringify(value) ?? 'nothing'}`, path);
}

function object(o: Json, key: string, path: string): Json {
  return isObject(o[key]) ? (o[key] as Json) : fail(`${path}${key}`, 'an object', o[key]);
}
function str(o: Json, key: string, path: string): string {
  return typeof o[key] === 'string' ? (o[key] as string) : fail(`${path}${key}`, 'a string', o[key]);
}
function strOrNull(o: Json, key: string, path: string): string | null {
  return o[key] == null ? null : str(o, key, path);
}
function num(o: Json, key: string, path: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fail(`${path}${key}`, 'a finite number', v);
}
function numOrNull(o: Json, key: string, path: string): number | null {
  return o[key] == null ? null : num(o, key, path);
}
function int(o: Json, key: string, path: string): number {
  return Number.isSafeInteger(o[key]) ? (o[key] as number) : fail(`${path}${key}`, 'an integer', o[key]);
}
function intOrNull(o: Json, key: string, path: string): number | null {
  return o[key] == null ? null : int(o, key, path);
}
function oneOf<T extends string>(o: Json, key: string, path: string, allowed: readonly T[]): T {
  const v = o[key];
  return allowed.includes(v as T) ? (v as T) : fail(`${path}${key}`, `one of ${allowed.join(', ')}`, v);
}
function list(o: Json, key: string, path: string): unknown[] {
  return Array.isArray(o[key]) ? (o[key] as unknown[]) : fail(`${path}${key}`, 'a list', o[key]);
}
const isParamValue = (v: unknown): v is ParamValue =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

const METHODS = ['grid', 'random', 'bayes'] as const;
const SWEEP_STATES = ['running', 'paused', 'stopped', 'finished'] as const;
const TRIAL_STATES = ['claimed', 'running', 'finished', 'failed', 'stopped_early', 'stopped'] as const;
const KINDS = ['continuous', 'integer', 'categorical', 'constant'] as const;

function parameter(value: unknown, path: string): SweepParameter {
  if (!isObject(value)) fail(path, 'an object', value);
  const values = value.values == null ? null : list(value, 'values', path);
  if (values && !values.every(isParamValue)) fail(`${path}values`, 'a list of JSON scalars', values);
  return {
    name: str(value, 'name', path),
    kind: oneOf(value, 'kind', path, KINDS),
    log: value.log === true,
    min: numOrNull(value, 'min', path),
    max: numOrNull(value, 'max', path),
    values: values as ParamValue[] | null,
  };
}

function sweepInfo(o: Json): SweepInfo {
  const p = 'sweep.';
  const metric = o.metric == null ? null : object(o, 'metric', p);
  return {
    id: str(o, 'id', p),
    project: str(o, 'project', p),
    name: strOrNull(o, 'name', p),
    method: oneOf(o, 'method', p, METHODS),
    metric: metric && {
      name: str(metric, 'name', `${p}metric.`),
      goal: oneOf(metric, 'goal', `${p}metric.`, ['minimize', 'maximize'] as const),
    },
    state: oneOf(o, 'state', p, SWEEP_STATES),
    run_cap: intOrNull(o, 'run_cap', p),
    created_at: num(o, 'created_at', p),
    early_terminate: o.early_terminate == null ? null : object(o, 'early_terminate', p),
    parameters: list(o, 'parameters', p).map((v, i) => parameter(v, `${p}parameters[${i}].`)),
  };
}

function trial(value: unknown, path: string): SweepTrial {
  if (!isObject(value)) fail(path, 'an object', value);
  const params = object(value, 'params', path);
  for (const [name, v] of Object.entries(params))
    if (!isParamValue(v)) fail(`${path}params.${name}`, 'a scalar', v);
  return {
    index: int(value, 'index', path),
    run_id: strOrNull(value, 'run_id', path),
    run_dir: strOrNull(value, 'run_dir', path),
    state: oneOf(value, 'state', path, TRIAL_STATES),
    params: params as Record<string, ParamValue>,
    metric: numOrNull(value, 'metric', path),
    best_so_far: numOrNull(value, 'best_so_far', path),
    stopped_reason: strOrNull(value, 'stopped_reason', path),
    error: strOrNull(value, 'error', path),
    agent: strOrNull(value, 'agent', path),
    started_at: numOrNull(value, 'started_at', path),
    ended_at: numOrNull(value, 'ended_at', path),
  };
}

function importance(value: unknown, path: string): ParameterImportance {
  if (!isObject(value)) fail(path, 'an object', value);
  return {
    param: str(value, 'param', path),
    correlation: numOrNull(value, 'correlation', path),
    importance: numOrNull(value, 'importance', path),
  };
}

/**
 * Validates a sweep snapshot and returns it typed; throws ProtocolError naming the first wrong field. Optional
 * fields (null in the contract) may also be missing, so a snapshot from an older writer still shows.
 */
export function parseSweepSnapshot(value: unknown): SweepSnapshot {
  if (!isObject(value)) fail('snapshot', 'an object', value);
  const counts = object(value, 'counts', '');
  const c = 'counts.';
  return {
    sweep: sweepInfo(object(value, 'sweep', '')),
    counts: {
      done: int(counts, 'done', c),
      running: int(counts, 'running', c),
      failed: int(counts, 'failed', c),
      stopped_early: int(counts, 'stopped_early', c),
      left: intOrNull(counts, 'left', c),
      total: intOrNull(counts, 'total', c),
    },
    trials: list(value, 'trials', '').map((t, i) => trial(t, `trials[${i}].`)),
    importance:
      value.importance == null
        ? null
        : list(value, 'importance', '').map((v, i) => importance(v, `importance[${i}].`)),
    warnings:
      value.warnings == null
        ? []
        : list(value, 'warnings', '').filter((w): w is string => typeof w === 'string'),
  };
}

/** Validates the data of a sweep output bundle, snapshot included. */
export function parseSweepOutput(value: unknown): SweepOutputData {
  if (!isObject(value)) fail('data', 'an object', value);
  return {
    sweep_dir: str(value, 'sweep_dir', ''),
    sweep_id: str(value, 'sweep_id', ''),
    project: str(value, 'project', ''),
    snapshot: parseSweepSnapshot(value.snapshot),
  };
}

/** True while trials may still start or end, so a panel keeps polling. */
export function isSweepLive(state: SweepState): boolean {
  return state === 'running' || state === 'paused';
}
