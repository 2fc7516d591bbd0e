import { DataType, type Schema, Table, tableToIPC, type Vector } from 'apache-arrow';
import { tableFromCheckedIPC } from '../arrow-stream-check.js';
import { DamagedFrameError } from '../errors.js';
import { type HistogramRow, histogramRows } from '../histogram-rows.js';

/** A frame payload (one Arrow IPC stream) as received. */
export interface FrameInput {
  seq: number;
  payload: Uint8Array;
}

/**
 * Consecutive frames with the same numeric columns, concatenated into one Arrow stream whose metric columns are
 * renamed to slots (`m0`, `m1`, ... indexing `IngestPlan.metrics`). DuckDB matches column names
 * case-insensitively, so staging `Loss` and `loss` under their own names would read one column twice.
 */
export interface IngestGroup {
  ipc: Uint8Array;
  slots: number[];
  hasTimestamp: boolean;
  frames: { seq: number; rows: number }[];
}

export interface IngestPlan {
  /** Every metric of the batch, in order of first appearance; slot k is metrics[k]. */
  metrics: string[];
  groups: IngestGroup[];
  /** Histograms (sg.Histogram references) in the frames' string columns; history frames only. */
  histograms: HistogramRow[];
}

/**
 * Turns frames into an IngestPlan: planIngest on the calling thread by default; the page passes one that runs it
 * in a Web Worker with a time budget, so a payload that still made apache-arrow spin could not freeze the tab.
 * Rejects with DamagedFrameError when a frame cannot be read.
 */
export type IngestPlanner = (runId: string, frames: FrameInput[], indexColumn: string) => Promise<IngestPlan>;

/** The planner that decodes on the calling thread (Node, tests, and the page when no worker can start). */
export const planOnThisThread: IngestPlanner = async (runId, frames, indexColumn) =>
  planIngest(runId, frames, indexColumn);

/** Numeric history columns become metrics; `_`-prefixed columns are reserved (step, timestamp, runtime). */
export function metricColumns(schema: Schema): string[] {
  return schema.fields
    .filter((f) => !f.name.startsWith('_') && (DataType.isFloat(f.type) || DataType.isInt(f.type)))
    .map((f) => f.name);
}

function decode(runId: string, frame: FrameInput, indexColumn: string): Table {
  let table: Table;
  try {
    table = tableFromCheckedIPC(frame.payload);
  } catch (cause) {
    throw new DamagedFrameError(runId, frame.seq, cause instanceof Error ? cause.message : String(cause), {
      cause,
    });
  }
  if (table.schema.fields.length === 0)
    throw new DamagedFrameError(runId, frame.seq, 'the payload is not an Arrow IPC stream (no columns)');
  if (!table.getChild(indexColumn))
    throw new DamagedFrameError(runId, frame.seq, `the payload has no ${indexColumn} column`);
  return table;
}

/**
 * Decodes a batch of frames and groups consecutive frames with the same numeric columns, so the engine loads
 * each group with one insert: a staging table per frame costs milliseconds in DuckDB-WASM, which made replaying a
 * long history of small frames take minutes. String columns are dropped here, so dictionaries never need merging.
 * `indexColumn` is the column every row must have: `_step` for history, `_runtime` for system samples. Each
 * payload is checked (checkArrowStream) before apache-arrow decodes it; a bad one throws DamagedFrameError.
 */
export function planIngest(runId: string, frames: FrameInput[], indexColumn = '_step'): IngestPlan {
  const slotOf = new Map<string, number>();
  const groups: { key: string; tables: Table[]; seqs: number[]; slots: number[]; hasTimestamp: boolean }[] =
    [];
  const histograms: HistogramRow[] = [];
  for (const frame of frames) {
    const table = decode(runId, frame, indexColumn);
    if (indexColumn === '_step') histograms.push(...histogramRows(table));
    const index = table.getChild(indexColumn) as Vector;
    const timestamp = table.getChild('_timestamp');
    const columns: Record<string, Vector> = {
      [indexColumn]: index,
      ...(timestamp ? { _timestamp: timestamp } : {}),
    };
    const slots: number[] = [];
    for (const name of metricColumns(table.schema)) {
      if (!slotOf.has(name)) slotOf.set(name, slotOf.size);
      const slot = slotOf.get(name) as number;
      slots.push(slot);
      columns[`m${slot}`] = table.getChild(name) as Vector;
    }
    const staged = new Table(columns);
    const key = staged.schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
    const last = groups.at(-1);
    if (last && last.key === key) {
      last.tables.push(staged);
      last.seqs.push(frame.seq);
    } else {
      groups.push({ key, tables: [staged], seqs: [frame.seq], slots, hasTimestamp: timestamp !== null });
    }
  }
  return {
    metrics: [...slotOf.keys()],
    groups: groups.map(({ tables, seqs, slots, hasTimestamp }) => ({
      ipc: tableToIPC(tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1)), 'stream'),
      slots,
      hasTimestamp,
      frames: seqs.map((seq, i) => ({ seq, rows: tables[i].numRows })),
    })),
    histograms,
  };
}
