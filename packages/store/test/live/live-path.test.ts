import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FrameChunk } from '@spyglass/protocol';
import type { SqlEngine } from '../../src/engine.js';
import { readFramedLog } from '../../src/framed-log.js';
import { FrameAssembler } from '../../src/live/frame-assembler.js';
import { RunDatabase } from '../../src/live/RunDatabase.js';
import { SequenceTracker } from '../../src/live/SequenceTracker.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { concat, fileHeader, framedLog } from '../support/framed-log-writer.js';
import { historyIPC } from '../support/history-batch.js';

const RUN = 'k3x9q2ab';
const FRAMES = 20;
const ROWS = 50;
const payloads = Array.from({ length: FRAMES }, (_, seq) => {
  const steps = Array.from({ length: ROWS }, (_, i) => seq * ROWS + i);
  return historyIPC(steps, {
    loss: steps.map((s) => 1 / (s + 1)),
    acc: steps.map((s) => (s % 3 ? s / 1000 : null)),
  });
});
const store = framedLog(payloads);

/** Splits a payload into comm buffers of at most `size` bytes, as the kernel does for large frames. */
function chunks(seq: number, size: number): [FrameChunk, Uint8Array][] {
  const payload = payloads[seq];
  const out: [FrameChunk, Uint8Array][] = [];
  for (let offset = 0; offset < payload.length; offset += size) {
    const chunk = { run_id: RUN, seq, rows: ROWS, total_bytes: payload.length, offset };
    out.push([chunk, payload.subarray(offset, offset + size)]);
  }
  return out;
}

/** What the server's history endpoint answers: the file header and every frame after `afterSeq`. */
function logSlice(afterSeq: number): Uint8Array {
  const frames = readFramedLog(store).frames.filter((f) => f.seq > afterSeq);
  return concat(
    fileHeader(),
    ...frames.map((f) => store.subarray(f.offset, f.offset + 24 + f.payload.length)),
  );
}

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

test('after a reload, live chunks racing a replay from the store leave every row in the database exactly once', async () => {
  const db = new RunDatabase(engine);
  await db.init();
  const assembler = new FrameAssembler();
  const tracker = new SequenceTracker();
  const ingests: Promise<number>[] = [];
  let replayAfter: number | null = null;
  const deliver = (seq: number, payload: Uint8Array) => {
    const { ready, gapAfter } = tracker.offer(RUN, seq, payload);
    for (const frame of ready) ingests.push(db.ingestFrame(RUN, frame.seq, frame.payload));
    if (gapAfter !== null && replayAfter === null) replayAfter = gapAfter;
  };
  const live = (seq: number) => {
    for (const [chunk, buffer] of chunks(seq, 300)) {
      const frame = assembler.add(chunk, buffer);
      if (frame) deliver(frame.seq, frame.payload);
    }
  };

  // The page reloads while the run is at frame 12: live frames arrive first and reveal the gap.
  live(12);
  live(13);
  assert.equal(replayAfter, -1);
  // The replay (read from the store, which already holds frames 0..15) interleaves with live frames 14..19.
  const replayed = readFramedLog(logSlice(replayAfter ?? -1), { anyFirstSeq: true }).frames.slice(0, 16);
  for (const frame of replayed) {
    deliver(frame.seq, frame.payload);
    if (frame.seq === 5) live(14);
    if (frame.seq === 9) live(15);
  }
  for (let seq = 16; seq < FRAMES; seq++) live(seq);
  live(19);

  await Promise.all(ingests);
  assert.equal(tracker.lastSeq(RUN), FRAMES - 1);
  assert.equal(tracker.heldCount(RUN), 0);
  assert.equal(assembler.heldBytes, 0);
  assert.equal(await db.rowCount(RUN), FRAMES * ROWS);
  const [dupes] = await db.query(
    `SELECT count(*) - count(DISTINCT (step, metric)) AS n FROM points WHERE run_id = '${RUN}'`,
  );
  assert.equal(dupes.n, 0);
  assert.equal((await db.series(RUN, 'loss', { maxPoints: 10_000 })).length, FRAMES * ROWS);
});
