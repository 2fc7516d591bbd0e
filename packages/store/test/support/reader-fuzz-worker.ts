// Runs the TypeScript reader fuzz inputs in a worker thread, so a hang or a crash is seen by the test (a silent
// or dead worker) instead of stopping it. Posts one message per input, from `from` on.
import { parentPort, workerData } from 'node:worker_threads';
import { tableFromCheckedIPC } from '../../src/arrow-stream-check.js';
import { DamagedFrameError } from '../../src/errors.js';
import { type LogFrame, readFramedLogPrefix } from '../../src/framed-log.js';
import { planIngest } from '../../src/live/ingest-plan.js';
import { prng } from './prng.js';
import { checkReading, type FuzzKind, fuzzSources, mutate } from './reader-fuzz-cases.js';

export interface FuzzWork {
  seed: number;
  plan: [FuzzKind, number][];
  from: number;
}

export interface FuzzResult {
  i: number;
  kind: FuzzKind;
  source: string;
  problem: string | null;
  ms: number;
}

/** The rows of a frame as the page reads it (planIngest, then every value), or 'damaged' when refused. */
function readRows(frame: LogFrame): number | 'damaged' {
  try {
    planIngest('fuzz', [{ seq: frame.seq, payload: frame.payload }], '_step');
  } catch (error) {
    if (error instanceof DamagedFrameError) return 'damaged';
    throw error;
  }
  const table = tableFromCheckedIPC(frame.payload);
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name);
    for (let r = 0; column && r < table.numRows; r++) column.get(r);
  }
  return table.numRows;
}

const { seed, plan, from } = workerData as FuzzWork;
const sources = fuzzSources();
let i = 0;
for (const [kind, count] of plan) {
  for (let n = 0; n < count; n++, i++) {
    if (i < from) continue;
    const src = sources[n % sources.length];
    const [bytes, expect] = mutate(kind, src, prng(seed * 100_003 + i));
    const started = performance.now();
    let problem: string | null;
    try {
      const prefix = readFramedLogPrefix(bytes);
      problem = checkReading(src, expect, {
        frames: prefix.frames.length,
        torn: prefix.torn !== null,
        corrupt: prefix.corrupt?.offset ?? null,
        rows: prefix.frames.map(readRows),
      });
    } catch (error) {
      problem = `untyped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    parentPort?.postMessage({
      i,
      kind,
      source: src.name,
      problem,
      ms: performance.now() - started,
    } satisfies FuzzResult);
  }
}
