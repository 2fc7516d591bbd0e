import { type Data, DataType, tableFromIPC, type Vector } from 'apache-arrow';
import type { TraceCall } from './call-types.js';

/**
 * A /calls/trace?format=arrow answer (an Arrow IPC stream: the calls as columns, the head as schema metadata
 * `spyglass`) as the JSON answer's shape, so the panel reads either. Columns are read from their buffers (a
 * string column is decoded once when it is ASCII, then sliced), not a value at a time through apache-arrow's
 * `get`, which cost more than parsing the JSON answer (docs/server-api.md#calls).
 */
export function traceAnswerFromArrow(bytes: Uint8Array): Record<string, unknown> {
  const table = tableFromIPC(bytes);
  let head: Record<string, unknown> = {};
  try {
    head = JSON.parse(table.schema.metadata.get('spyglass') ?? '{}') as Record<string, unknown>;
  } catch {
    throw new Error('the trace answer has no readable spyglass metadata');
  }
  const rows = table.numRows;
  const none: unknown[] = new Array(rows).fill(null);
  const column = (name: string): unknown[] => {
    const vector = table.getChild(name);
    return vector ? readColumn(vector, rows) : none;
  };
  const [id, traceId, parentId, opName, status] = ['id', 'trace_id', 'parent_id', 'op_name', 'status'].map(
    column,
  );
  const [started, ended, latency, exception, cost] = [
    'started_at',
    'ended_at',
    'latency',
    'exception',
    'cost',
  ].map(column);
  const [threadName, task, runId, sessionId] = ['thread_name', 'task', 'run_id', 'session_id'].map(column);
  const [inputs, output, attributes, usage] = VALUES.map((name) => column(`${name}_json`));
  const [inputsCut, outputCut, attributesCut, usageCut] = VALUES.map((name) => column(`${name}_truncated`));
  const [inputsSize, outputSize, attributesSize, usageSize] = VALUES.map((name) => column(`${name}_size`));
  // One object literal per call: a fixed shape is several times faster to build than keys set in a loop.
  const calls = new Array<TraceCall>(rows);
  for (let r = 0; r < rows; r++) {
    calls[r] = {
      id: id?.[r],
      trace_id: traceId?.[r],
      parent_id: parentId?.[r],
      op_name: opName?.[r],
      status: status?.[r],
      started_at: started?.[r],
      ended_at: ended?.[r],
      latency: latency?.[r],
      exception: exception?.[r],
      cost: cost?.[r],
      thread_name: threadName?.[r],
      task: task?.[r],
      run_id: runId?.[r],
      session_id: sessionId?.[r],
      inputs_json: inputs?.[r],
      output_json: output?.[r],
      attributes_json: attributes?.[r],
      usage_json: usage?.[r],
      inputs_truncated: inputsCut?.[r] === true,
      output_truncated: outputCut?.[r] === true,
      attributes_truncated: attributesCut?.[r] === true,
      usage_truncated: usageCut?.[r] === true,
      inputs_size: inputsSize?.[r],
      output_size: outputSize?.[r],
      attributes_size: attributesSize?.[r],
      usage_size: usageSize?.[r],
    } as TraceCall;
  }
  return { ...head, calls };
}

const utf8 = new TextDecoder();
const VALUES = ['inputs', 'output', 'attributes', 'usage'];

/** A column as plain values (null kept; 64-bit integers as numbers). */
function readColumn(vector: Vector, rows: number): unknown[] {
  const out = new Array<unknown>(rows);
  let at = 0;
  for (const data of vector.data) {
    if (DataType.isUtf8(data.type)) readStrings(data as Data<DataType>, out, at);
    else if (DataType.isFloat(data.type) || (DataType.isInt(data.type) && data.type.bitWidth <= 32)) {
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) out[at + i] = valid(data, i) ? values[i] : null;
    } else if (DataType.isBool(data.type)) {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        const bit = data.offset + i;
        out[at + i] = valid(data, i) ? ((bits[bit >> 3] as number) & (1 << (bit & 7))) !== 0 : null;
      }
    } else {
      for (let i = 0; i < data.length; i++) {
        const value = vector.get(at + i) as unknown;
        out[at + i] = typeof value === 'bigint' ? Number(value) : (value ?? null);
      }
    }
    at += data.length;
  }
  return out;
}

function valid(data: Data, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap) return true;
  const bit = data.offset + i;
  return ((data.nullBitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

function readStrings(data: Data<DataType>, out: unknown[], at: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const first = offsets[0] as number;
  const last = offsets[data.length] as number;
  let ascii = true;
  for (let i = first; i < last; i++) {
    if ((bytes[i] as number) > 0x7f) {
      ascii = false;
      break;
    }
  }
  // ASCII: one decode, then each value is a slice at its byte offsets (bytes and characters coincide).
  const text = ascii ? utf8.decode(bytes.subarray(first, last)) : '';
  for (let i = 0; i < data.length; i++) {
    if (!valid(data, i)) {
      out[at + i] = null;
      continue;
    }
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    out[at + i] = ascii ? text.slice(start - first, end - first) : utf8.decode(bytes.subarray(start, end));
  }
}
