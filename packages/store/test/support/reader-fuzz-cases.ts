import { readFileSync } from 'node:fs';
import { fixturePath } from '@spyglass/protocol/fixtures';
import {
  Bool,
  Float64,
  Int64,
  Table,
  tableFromArrays,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { crc32c } from '../../src/crc32c.js';
import { FILE_HEADER_BYTES, FRAME_HEADER_BYTES, readFramedLogPrefix } from '../../src/framed-log.js';
import { framedLog } from './framed-log-writer.js';

/** A real log to mutate: its bytes and, per frame, where it lies and how many rows it holds. */
export interface FuzzSource {
  name: string;
  bytes: Uint8Array;
  spans: [number, number][];
  rows: number[];
}

export type FuzzKind = 'flip-crc' | 'message-length' | 'truncate' | 'length-lie' | 'overwrite';
export type Expectation = { intact: number } | { cut: number } | { damaged: number };

function source(name: string, bytes: Uint8Array, rows: number[]): FuzzSource {
  const { frames } = readFramedLogPrefix(bytes);
  return {
    name,
    bytes,
    spans: frames.map((f) => [f.offset, f.offset + FRAME_HEADER_BYTES + f.payload.length]),
    rows,
  };
}

/** A batch shaped as pyarrow writes history (plain Utf8, booleans, nulls), rows from `first`. */
function historyBatch(first: number, count: number): Uint8Array {
  const steps = Array.from({ length: count }, (_, i) => first + i);
  const table = new Table({
    _step: vectorFromArray(steps.map(BigInt), new Int64()),
    _timestamp: vectorFromArray(
      steps.map((s) => 1_764_280_000 + s),
      new Float64(),
    ),
    loss: vectorFromArray(
      steps.map((s) => (s % 7 ? 1 / (s + 1) : null)),
      new Float64(),
    ),
    phase: vectorFromArray(
      steps.map((s) => (s % 3 ? 'train' : 'eval')),
      new Utf8(),
    ),
    ok: vectorFromArray(
      steps.map((s) => s % 2 === 0),
      new Bool(),
    ),
  });
  return tableToIPC(table, 'stream');
}

/** The golden log, a pyarrow-shaped log of several frames and one as apache-arrow writes (dictionary text). */
export function fuzzSources(): FuzzSource[] {
  const golden = new Uint8Array(readFileSync(fixturePath('framed-log', 'valid.sglog')));
  const sizes = [40, 25, 60, 5];
  let first = 0;
  const payloads = sizes.map((n) => {
    const payload = historyBatch(first, n);
    first += n;
    return payload;
  });
  const dictionary = [0, 1, 2].map((f) =>
    tableToIPC(
      tableFromArrays({ _step: Float64Array.from([f * 2, f * 2 + 1]), tag: ['a', f % 2 ? 'b' : 'c'] }),
      'stream',
    ),
  );
  return [
    source('golden', golden, [3, 2, 1]),
    source('history', framedLog(payloads), sizes),
    source('dictionary', framedLog(dictionary), [2, 2, 2]),
  ];
}

function reframe(bytes: Uint8Array, offset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(offset + 4, true);
  const payload = bytes.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length);
  view.setUint32(offset + 16, crc32c(payload), true);
  view.setUint32(offset + 20, crc32c(bytes.subarray(offset, offset + 20)), true);
}

/** One mutated copy of `src` and what the documented reading rules say it must read as. */
export function mutate(kind: FuzzKind, src: FuzzSource, random: () => number): [Uint8Array, Expectation] {
  const bytes = src.bytes.slice();
  const view = new DataView(bytes.buffer);
  const int = (n: number) => Math.floor(random() * n);
  const k = int(src.spans.length);
  const [start, end] = src.spans[k];
  const payloadAt = start + FRAME_HEADER_BYTES;
  switch (kind) {
    case 'flip-crc': {
      const flips = 1 + int(3);
      for (let i = 0; i < flips; i++) {
        // Most flips land in the message headers, where a lie is structural rather than a changed value.
        const span = random() < 0.7 ? Math.min(end - payloadAt, 512) : end - payloadAt;
        const bit = int(span * 8);
        bytes[payloadAt + (bit >> 3)] ^= 1 << (bit & 7);
      }
      reframe(bytes, start);
      return [bytes, { intact: k }];
    }
    case 'message-length': {
      const schemaLength = view.getInt32(payloadAt + 4, true);
      const at = random() < 0.5 ? payloadAt + 4 : payloadAt + 8 + schemaLength + 4;
      const lies = [0, 1, 7, 0x7fffffff, -8, 1 + int(1 << 20), end - payloadAt + int(33) - 16];
      if (at + 4 <= end) view.setInt32(at, lies[int(lies.length)], true);
      reframe(bytes, start);
      return [bytes, { intact: k }];
    }
    case 'truncate': {
      const cut = int(bytes.length);
      return [bytes.slice(0, cut), { cut }];
    }
    case 'length-lie': {
      const length = view.getUint32(start + 4, true);
      const lies = [0, 1, length - 1, length + 1, length + 2 + int(4096), 0xffffffff, length * 2];
      view.setUint32(start + 4, lies[int(lies.length)] >>> 0, true);
      view.setUint32(start + 20, crc32c(bytes.subarray(start, start + 20)), true);
      return [bytes, { damaged: k }];
    }
    case 'overwrite': {
      bytes[start + int(end - start)] ^= 1 + int(255);
      return [bytes, { damaged: k }];
    }
  }
}

/** Why a reading breaks the rules for its mutation, or null. `rows` is per frame: a count or 'damaged'. */
export function checkReading(
  src: FuzzSource,
  expect: Expectation,
  reading: { frames: number; torn: boolean; corrupt: number | null; rows: (number | 'damaged')[] },
): string | null {
  const samePrefix = () => {
    const bad = reading.rows.findIndex((r, j) => r !== src.rows[j]);
    return bad < 0 ? null : `prefix frame ${bad} read ${reading.rows[bad]}, was ${src.rows[bad]}`;
  };
  if ('intact' in expect) {
    if (reading.frames !== src.spans.length || reading.torn || reading.corrupt !== null)
      return `framing changed: ${JSON.stringify(reading)}`;
    const bad = reading.rows.findIndex((r, j) => j !== expect.intact && r !== src.rows[j]);
    return bad < 0 ? null : `frame ${bad} read ${reading.rows[bad]}, was ${src.rows[bad]}`;
  }
  if ('cut' in expect) {
    const whole = src.spans.filter(([, e]) => e <= expect.cut).length;
    const boundary =
      expect.cut === 0 || expect.cut === FILE_HEADER_BYTES || src.spans.some(([, e]) => e === expect.cut);
    if (reading.corrupt !== null || reading.frames !== whole || reading.torn === boundary)
      return `a cut at ${expect.cut} read as ${JSON.stringify(reading)}`;
    return samePrefix();
  }
  const offset = src.spans[expect.damaged][0];
  if (reading.corrupt !== null)
    return reading.corrupt === offset ? samePrefix() : `corrupt at ${reading.corrupt}, damage at ${offset}`;
  if (reading.frames !== expect.damaged || !reading.torn)
    return `damage in frame ${expect.damaged} read as ${JSON.stringify(reading)}`;
  return samePrefix();
}
