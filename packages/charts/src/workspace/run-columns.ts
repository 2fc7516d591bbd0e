import type { RunAlert, WorkspaceRun } from '@spyglass/protocol';
import { formatValue } from '../format-value.js';

/**
 * A run as the runs table needs it: an entry of GET /spyglass/api/v1/runs (protocol's WorkspaceRun), read loosely
 * (a name or state may be missing, config and summary cells may be any value).
 */
export type TableRun = Pick<
  WorkspaceRun,
  | 'run_dir'
  | 'run_id'
  | 'created_at'
  | 'duration'
  | 'tags'
  | 'group'
  | 'job_type'
  | 'metrics'
  | 'damaged'
  | 'alerts'
> & {
  name: string | null;
  state: string | null;
  /** Flat: nested keys joined by '.'. */
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
};

export type ColumnKind = 'run' | 'config' | 'summary';

/** A column of the runs table. Ids are stable strings saved in layouts: `name`, `config.lr`, `summary.loss`. */
export interface RunColumn {
  id: string;
  kind: ColumnKind;
  /** The header text: the field, config key or metric name. */
  label: string;
  value: (run: TableRun) => unknown;
}

const RUN_FIELDS: [id: string, label: string, value: (run: TableRun) => unknown][] = [
  ['name', 'name', (r) => r.name ?? r.run_id],
  ['state', 'state', (r) => (r.damaged !== null ? 'damaged' : r.state)],
  ['created', 'created', (r) => r.created_at],
  ['duration', 'duration', (r) => r.duration],
  ['tags', 'tags', (r) => (r.tags.length > 0 ? r.tags.join(', ') : null)],
  ['group', 'group', (r) => r.group],
  ['job_type', 'job type', (r) => r.job_type],
];

/** Ids of the run fields, always first in the default column order. */
export const RUN_FIELD_IDS: readonly string[] = RUN_FIELDS.map(([id]) => id);

/** The alerts column (a run field, there only when some run has alerts): "<count> · <level> <latest title>". */
const ALERTS_COLUMN: RunColumn = {
  id: 'alerts',
  kind: 'run',
  label: 'alerts',
  value: (r) => alertsCell(r.alerts),
};

/** A run's alerts as one cell: how many, and the latest with its level; null when it has none. */
export function alertsCell(alerts: readonly RunAlert[] | undefined): string | null {
  const latest = alerts?.at(-1);
  return latest ? `${alerts?.length} · ${latest.level} ${latest.title}` : null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every column the runs can fill: the run fields, then every config key, then every summary metric (each sorted),
 * so a key only some runs have still gets a column (empty for the others).
 */
export function runColumns(runs: readonly TableRun[]): RunColumn[] {
  const config = new Set<string>();
  const summary = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.config)) config.add(key);
    for (const key of Object.keys(run.summary)) summary.add(key);
  }
  const alerts = runs.some((run) => (run.alerts?.length ?? 0) > 0) ? [ALERTS_COLUMN] : [];
  return [
    ...RUN_FIELDS.map(([id, label, value]): RunColumn => ({ id, kind: 'run', label, value })),
    ...alerts,
    ...[...config].sort(byText).map(
      (key): RunColumn => ({
        id: `config.${key}`,
        kind: 'config',
        label: key,
        value: (r) => r.config[key],
      }),
    ),
    ...[...summary].sort(byText).map(
      (key): RunColumn => ({
        id: `summary.${key}`,
        kind: 'summary',
        label: key,
        value: (r) => r.summary[key],
      }),
    ),
  ];
}

/** A cell's text: empty for missing values; otherwise as the run overview shows values. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return formatValue(value);
}

/** A cell value as a number when it is one (numbers, and run.json's "NaN"/"Infinity" spellings), else null. */
export function numericValue(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return null;
}

/**
 * Orders two cell values of possibly mixed types (config values differ across runs): missing last, then numbers
 * by value (NaN after the other numbers), then everything else by its text.
 */
export function compareCells(a: unknown, b: unknown): number {
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const numA = typeof a === 'number' ? a : null;
  const numB = typeof b === 'number' ? b : null;
  if (numA !== null && numB !== null) {
    if (Number.isNaN(numA) || Number.isNaN(numB))
      return Number(Number.isNaN(numA)) - Number(Number.isNaN(numB));
    return numA - numB;
  }
  if (numA !== null) return -1;
  if (numB !== null) return 1;
  return byText(cellText(a), cellText(b));
}
