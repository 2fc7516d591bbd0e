import { DataType, type Schema, type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { IngestError } from './errors.js';

/** A frame payload (one Arrow IPC stream) as received. */
export interface FrameInput {
  seq: number;
  payload: Uint8Array;
}

/** Consecutive frames with the same numeric columns, concatenated so the engine loads them in one insert. */
export interface IngestGroup {
  ipc: Uint8Array;
  metrics: string[];
  hasTimestamp: boolean;
  frames: { seq: number; rows: number }[];
}

/** Numeric history columns become metrics; `_`-prefixed columns are reserved (step, timestamp, runtime). */
export function metricColumns(schema: Schema): string[] {
  return schema.fields
    .filter((f) => !f.name.startsWith('_') && (DataType.isFloat(f.type) || DataType.isInt(f.type)))
    .map((f) => f.name);
}

function decode(
  runId: string,
  frame: FrameInput,
): { table: Table; metrics: string[]; hasTimestamp: boolean } {
  try {
    const table = tableFromIPC(frame.payload);
    const names = new Set(table.schema.fields.map((f) => f.name));
    if (names.size === 0) throw new Error('the payload is not an Arrow IPC stream (no columns)');
    if (!names.has('_step')) throw new Error('the payload has no _step column');
    return { table, metrics: metricColumns(table.schema), hasTimestamp: names.has('_timestamp') };
  } catch (cause) {
    throw new IngestError(runId, frame.seq, { cause });
  }
}

const schemaKey = (schema: Schema) => schema.fields.map((f) => `${f.name}\u0001${f.type}`).join('\u0000');

/**
 * Groups consecutive frames by their numeric columns. Loading one staging table per frame costs a few
 * milliseconds each in DuckDB-WASM, which made replaying a long history (thousands of small frames) take minutes.
 * Only the needed columns are kept, so string and dictionary columns never have to be re-encoded.
 */
export function planIngest(runId: string, frames: FrameInput[]): IngestGroup[] {
  const groups: {
    key: string;
    tables: Table[];
    inputs: FrameInput[];
    metrics: string[];
    hasTimestamp: boolean;
  }[] = [];
  for (const frame of frames) {
    const { table, metrics, hasTimestamp } = decode(runId, frame);
    const kept = table.select(['_step', ...(hasTimestamp ? ['_timestamp'] : []), ...metrics]);
    const key = schemaKey(kept.schema);
    const last = groups.at(-1);
    if (last && last.key === key) {
      last.tables.push(kept);
      last.inputs.push(frame);
    } else {
      groups.push({ key, tables: [kept], inputs: [frame], metrics, hasTimestamp });
    }
  }
  return groups.map(({ tables, inputs, metrics, hasTimestamp }) => ({
    // A lone frame goes in as received, with no re-encoding.
    ipc: inputs.length === 1 ? inputs[0].payload : tableToIPC(tables[0].concat(...tables.slice(1)), 'stream'),
    metrics,
    hasTimestamp,
    frames: inputs.map((f, i) => ({ seq: f.seq, rows: tables[i].numRows })),
  }));
}
