import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { fixturePath } from '@spyglass/protocol/fixtures';
import { Table, tableFromArrays, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { checkArrowStream } from '../src/arrow-stream-check.js';
import { DamagedFrameError, InvalidArrowStreamError } from '../src/errors.js';
import { FlatbufferTable } from '../src/flatbuffer-table.js';
import { readFramedLog } from '../src/framed-log.js';
import { planIngest } from '../src/live/ingest-plan.js';
import { historyIPC } from './support/history-batch.js';

const readLog = (name: string) =>
  readFramedLog(new Uint8Array(readFileSync(fixturePath('framed-log', name)))).frames;

/** Where the record batch message of a one-batch stream keeps its fields (absolute offsets into `payload`). */
function batchLayout(payload: Uint8Array) {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let pos = 0;
  for (;;) {
    const length = view.getInt32(pos + 4, true);
    const start = pos + 8;
    const message = FlatbufferTable.root(view, start, length);
    const bodyAt = start + length;
    if (message.uint8(1) === 3) {
      const batch = message.table(2) as FlatbufferTable;
      const base = (s: { data: number; view: DataView }) => s.view.byteOffset - payload.byteOffset + s.data;
      const nodes = batch.structs(1, 16) as { data: number; length: number; view: DataView };
      const buffers = batch.structs(2, 16) as { data: number; length: number; view: DataView };
      return { view, bodyAt, nodes: base(nodes), buffers: base(buffers), bufferCount: buffers.length };
    }
    pos = bodyAt + Number(message.int64(3));
  }
}

function rejects(payload: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => checkArrowStream(payload),
    (e: unknown) => e instanceof InvalidArrowStreamError && pattern.test(e.reason),
  );
}

test('every frame of the golden logs passes the check with its row count', () => {
  const shapes = readLog('valid.sglog').map((f) => checkArrowStream(f.payload));
  assert.deepEqual(
    shapes.map((s) => [s.batches, s.rows]),
    [
      [1, 3],
      [1, 2],
      [1, 1],
    ],
  );
  const mixed = tableToIPC(
    tableFromArrays({ s: ['a', 'bb', 'ccc'], b: [true, false, true], n: Float64Array.of(1, 2, 3) }),
    'stream',
  );
  assert.equal(checkArrowStream(mixed).rows, 3);
});

test('the hostile golden log (3 flipped bits, valid CRCs) is refused in milliseconds, its other frames kept', () => {
  const frames = readLog('hostile-arrow.sglog');
  assert.equal(frames.length, 3, 'the framing is intact: every CRC matches');
  const started = performance.now();
  assert.throws(() => checkArrowStream(frames[1].payload), InvalidArrowStreamError);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 50, `refused in ${elapsed.toFixed(1)} ms`);
  assert.equal(checkArrowStream(frames[0].payload).rows, 3);
  assert.equal(checkArrowStream(frames[2].payload).rows, 1);
  assert.throws(
    () => planIngest('hostile', frames),
    (e: unknown) => e instanceof DamagedFrameError && e.seq === 1 && /malformed/.test(e.message),
  );
  assert.equal(planIngest('hostile', [frames[0], frames[2]]).groups.length, 1);
});

test('the hostile frame really makes apache-arrow spin: unchecked, it does not decode within 3 s', async () => {
  const payload = readLog('hostile-arrow.sglog')[1].payload.slice();
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { tableFromIPC } = require(${JSON.stringify(createRequire(import.meta.url).resolve('apache-arrow'))});
    try { parentPort.postMessage('decoded ' + tableFromIPC(workerData).numRows); }
    catch (e) { parentPort.postMessage('threw ' + e.message); }`;
  const worker = new Worker(source, {
    eval: true,
    workerData: payload,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  const outcome = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('still decoding after 3 s'), 3000);
    worker.on('message', (m) => {
      clearTimeout(timer);
      resolve(String(m));
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      resolve(`died: ${e.message}`);
    });
  });
  await worker.terminate();
  assert.match(outcome, /still decoding|died/, `apache-arrow ${outcome}`);
});

test('lies in the stream framing are refused: message length, body length, missing schema, file format', () => {
  const good = historyIPC([0, 1], { loss: [1, 2] });
  const longHeader = good.slice();
  new DataView(longHeader.buffer).setInt32(4, good.length, true);
  rejects(longHeader, /message header of \d+ bytes runs past/);
  const { bodyAt } = batchLayout(good);
  rejects(good.slice(0, bodyAt + 4), /message body of \d+ bytes runs past/);
  rejects(new Uint8Array(0), /no schema/);
  rejects(new TextEncoder().encode('ARROW1\0\0not a stream'), /runs past|version|header/);
});

test('a buffer outside the body, a short data buffer and a miscounted node list are refused', () => {
  const good = historyIPC([0, 1, 2], { loss: [1, 2, 3] });
  const outside = good.slice();
  const layout = batchLayout(outside);
  layout.view.setBigInt64(layout.buffers + 16 * 1, 1n << 40n, true); // _step data buffer offset
  rejects(outside, /buffer at \d+ of \d+ bytes outside/);

  const short = good.slice();
  const s = batchLayout(short);
  s.view.setBigInt64(s.buffers + 16 * 3 + 8, 8n, true); // _timestamp data: 8 bytes for 3 rows
  rejects(short, /data buffer shorter/);

  const lying = good.slice();
  const l = batchLayout(lying);
  l.view.setBigInt64(l.nodes, 1n << 33n, true); // _step node length
  rejects(lying, /column node of \d+ values|a column of \d+ rows/);
});

test('a batch claiming more rows than its body has bits, and string offsets past their data, are refused', () => {
  // Plain Utf8, as pyarrow writes text (tableFromArrays would dictionary-encode it).
  const good = tableToIPC(new Table({ s: vectorFromArray(['a', 'bb', 'ccc'], new Utf8()) }), 'stream');
  const offsets = good.slice();
  const o = batchLayout(offsets);
  const offsetsBuffer = Number(o.view.getBigInt64(o.buffers + 16, true));
  o.view.setInt32(o.bodyAt + offsetsBuffer + 12, 1 << 30, true); // last offset of 3 strings
  rejects(offsets, /string offsets past the end/);

  const rows = good.slice();
  const r = batchLayout(rows);
  r.view.setBigInt64(r.nodes, 1n << 20n, true);
  rejects(rows, /column node of \d+ values|a column of \d+ rows/);
});

test('a custom_metadata vector whose length lies is refused (apache-arrow looped over it for seconds)', () => {
  // Found by the reader fuzz: one flipped bit in the schema's table made its custom_metadata vector claim
  // millions of entries; every column was sound, and tableFromIPC spent 4-6 s in decodeCustomMetadata.
  const payload = readLog('valid.sglog')[1].payload.slice();
  payload[36] = 24;
  const started = performance.now();
  assert.throws(() => checkArrowStream(payload), InvalidArrowStreamError);
  assert.ok(performance.now() - started < 50);
});
