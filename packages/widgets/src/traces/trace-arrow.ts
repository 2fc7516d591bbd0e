import { tableFromIPC } from 'apache-arrow';
import type { TraceCall } from './call-types.js';

/**
 * A /calls/trace?format=arrow answer (an Arrow IPC stream: the calls as columns, the head as schema metadata
 * `spyglass`) as the JSON answer's shape, so the panel reads either. Columns are read whole, a row at a time
 * only at the end: a 10k-call tree costs no JSON parse of its values (docs/server-api.md#calls).
 */
export function traceAnswerFromArrow(bytes: Uint8Array): Record<string, unknown> {
  const table = tableFromIPC(bytes);
  let head: Record<string, unknown> = {};
  try {
    head = JSON.parse(table.schema.metadata.get('spyglass') ?? '{}') as Record<string, unknown>;
  } catch {
    throw new Error('the trace answer has no readable spyglass metadata');
  }
  const columns = new Map<string, unknown[]>();
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (vector) columns.set(field.name, readColumn(vector, table.numRows));
  }
  const names = [...columns.keys()];
  const calls: TraceCall[] = new Array(table.numRows);
  for (let row = 0; row < table.numRows; row++) {
    const call: Record<string, unknown> = {};
    for (const name of names) call[name] = (columns.get(name) as unknown[])[row];
    calls[row] = call as unknown as TraceCall;
  }
  return { ...head, calls };
}

/** A column as plain values (null kept; 64-bit integers as numbers). */
function readColumn(vector: { get(i: number): unknown; length: number }, rows: number): unknown[] {
  const out = new Array<unknown>(rows);
  for (let i = 0; i < rows; i++) {
    const value = vector.get(i);
    out[i] = typeof value === 'bigint' ? Number(value) : (value ?? null);
  }
  return out;
}
