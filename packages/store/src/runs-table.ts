import type { FlatValue, WorkspaceRun } from '@spyglass/protocol';
import {
  Bool,
  Field,
  Float64,
  List,
  Table,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': -Infinity,
};

/**
 * The `runs` table of the workspace's SQL as an Arrow IPC stream: the fixed columns, then one column per config
 * key ("config.<key>") and summary key ("summary.<key>"). A key whose values are all numbers (the stored
 * "NaN"/"Infinity" strings count as numbers) becomes DOUBLE, all booleans BOOLEAN, anything else VARCHAR with
 * numbers and booleans as their JSON text, so mixed types across runs never fail the table.
 */
export function runsTableIPC(runs: readonly WorkspaceRun[]): Uint8Array {
  const columns: Record<string, Vector> = {
    run_id: text(runs.map((r) => r.run_id)),
    run_dir: text(runs.map((r) => r.run_dir)),
    name: text(runs.map((r) => r.name)),
    state: text(runs.map((r) => r.state)),
    created_at: vectorFromArray(
      runs.map((r) => r.created_at),
      new Float64(),
    ),
    duration: vectorFromArray(
      runs.map((r) => r.duration),
      new Float64(),
    ),
    tags: vectorFromArray(
      runs.map((r) => r.tags),
      new List(new Field('item', new Utf8(), true)),
    ),
    group: text(runs.map((r) => r.group)),
    job_type: text(runs.map((r) => r.job_type)),
    damaged: text(runs.map((r) => r.damaged)),
  };
  for (const [prefix, pick] of [
    ['config', (r: WorkspaceRun) => r.config],
    ['summary', (r: WorkspaceRun) => r.summary],
  ] as const) {
    const keys = new Set<string>();
    for (const run of runs) for (const key of Object.keys(pick(run) ?? {})) keys.add(key);
    for (const key of [...keys].sort()) {
      const name = `${prefix}.${key}`;
      if (name in columns) continue;
      columns[name] = flatColumn(runs.map((r) => pick(r)?.[key] ?? null));
    }
  }
  return tableToIPC(new Table(columns), 'stream');
}

function text(values: (string | null)[]): Vector {
  return vectorFromArray(values, new Utf8());
}

function flatColumn(values: FlatValue[]): Vector {
  const present = values.filter((v) => v !== null);
  if (
    present.length &&
    present.every((v) => typeof v === 'number' || (typeof v === 'string' && v in NON_FINITE))
  ) {
    return vectorFromArray(
      values.map((v) => (v === null ? null : typeof v === 'number' ? v : NON_FINITE[v as string])),
      new Float64(),
    );
  }
  if (present.length && present.every((v) => typeof v === 'boolean')) {
    return vectorFromArray(values as (boolean | null)[], new Bool());
  }
  return text(values.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
}
