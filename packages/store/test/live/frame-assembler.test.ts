import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameChunk } from '@spyglass/protocol';
import { FrameAssemblyError } from '../../src/errors.js';
import { FrameAssembler } from '../../src/live/frame-assembler.js';

const payload = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
const chunk = (offset: number, seq = 3, runId = 'r1'): FrameChunk => ({
  run_id: runId,
  seq,
  rows: 10,
  total_bytes: payload.length,
  offset,
});

test('a frame in one buffer is returned at once, without a copy', () => {
  const frame = new FrameAssembler().add(chunk(0), payload);
  assert.equal(frame?.payload, payload);
  assert.deepEqual({ ...frame, payload: undefined }, { runId: 'r1', seq: 3, rows: 10, payload: undefined });
});

test('chunks in any order reassemble the payload byte for byte', () => {
  const assembler = new FrameAssembler();
  assert.equal(assembler.add(chunk(600), payload.subarray(600)), null);
  assert.equal(assembler.add(chunk(0), payload.subarray(0, 300)), null);
  const frame = assembler.add(chunk(300), payload.subarray(300, 600));
  assert.deepEqual(frame?.payload, payload);
  assert.equal(assembler.heldBytes, 0);
});

test('a chunk received twice (live and replay) is ignored the second time', () => {
  const assembler = new FrameAssembler();
  assembler.add(chunk(0), payload.subarray(0, 500));
  assert.equal(assembler.add(chunk(0), payload.subarray(0, 500)), null);
  assert.deepEqual(assembler.add(chunk(500), payload.subarray(500))?.payload, payload);
});

test('a frame cut differently by live and replay still completes, from overlapping chunks or a whole copy', () => {
  const assembler = new FrameAssembler();
  assembler.add(chunk(0), payload.subarray(0, 300));
  assert.equal(assembler.add(chunk(200), payload.subarray(200, 700)), null);
  assert.deepEqual(assembler.add(chunk(650), payload.subarray(650))?.payload, payload);
  assembler.add(chunk(0), payload.subarray(0, 300));
  assert.deepEqual(assembler.add(chunk(0), payload)?.payload, payload);
  assert.equal(assembler.heldBytes, 0);
});

test('frames of different runs with the same seq are kept apart', () => {
  const assembler = new FrameAssembler();
  assembler.add(chunk(0, 3, 'a'), payload.subarray(0, 500));
  assembler.add(chunk(0, 3, 'b'), payload.subarray(0, 500));
  assert.equal(assembler.add(chunk(500, 3, 'a'), payload.subarray(500))?.runId, 'a');
  assert.equal(assembler.heldBytes, 1000);
  assembler.discardRun('b');
  assert.equal(assembler.heldBytes, 0);
});

test('inconsistent chunks raise FrameAssemblyError naming the run and seq', () => {
  const assembler = new FrameAssembler();
  assembler.add(chunk(0), payload.subarray(0, 500));
  const isAssemblyError = (e: unknown) =>
    e instanceof FrameAssemblyError && /frame 3 of run r1/.test(e.message);
  assert.throws(
    () => assembler.add({ ...chunk(500), total_bytes: 999 }, payload.subarray(500, 999)),
    isAssemblyError,
  );
  assembler.add(chunk(0), payload.subarray(0, 500));
  assert.throws(() => assembler.add({ ...chunk(500), rows: 11 }, payload.subarray(500)), isAssemblyError);
  assert.throws(() => assembler.add(chunk(900), payload.subarray(0, 200)), /outside/);
  assembler.add(chunk(0), payload.subarray(0, 500));
  const tampered = payload.slice(400, 700);
  tampered[50] ^= 1;
  assert.throws(() => assembler.add(chunk(400), tampered), /disagree on the bytes at \[400, 500\)/);
  assert.equal(assembler.heldBytes, 0, 'a failed frame is dropped, not held');
});

test('memory stays bounded: the oldest incomplete frames are evicted', () => {
  const assembler = new FrameAssembler({ maxPendingBytes: 2500 });
  for (let seq = 0; seq < 5; seq++) assembler.add(chunk(0, seq), payload.subarray(0, 10));
  assert.equal(assembler.heldBytes, 2000);
  assert.throws(
    () => new FrameAssembler({ maxPendingBytes: 500 }).add(chunk(0), payload.subarray(0, 10)),
    /limit/,
  );
});
