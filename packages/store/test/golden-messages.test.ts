import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseMessage } from '@spyglass/protocol';
import { loadMessageFixtures } from '@spyglass/protocol/fixtures';
import { tableFromIPC } from 'apache-arrow';
import type { SqlEngine } from '../src/engine.js';
import { FrameAssembler } from '../src/live/frame-assembler.js';
import { RunDatabase } from '../src/live/RunDatabase.js';
import { createNodeEngine } from '../src/node-engine.js';

// The protocol tests check the golden messages' shape; these check that their payloads are real frames.
const frameFixtures = loadMessageFixtures().filter((f) => f.name === 'frames' || f.name === 'frames_chunked');

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

test('the golden frames fixtures exist', () => {
  assert.deepEqual(
    frameFixtures.map((f) => f.name),
    ['frames', 'frames_chunked'],
  );
});

for (const fixture of frameFixtures) {
  test(`golden ${fixture.name}.json reassembles into an Arrow frame that ingests with the announced row count`, async () => {
    const message = parseMessage(fixture.data, fixture.buffers.length);
    assert.equal(message.kind, 'frames');
    if (message.kind !== 'frames') return;
    const assembler = new FrameAssembler();
    const frames = message.chunks
      .map((c, i) => assembler.add(c, fixture.buffers[i]))
      .filter((f) => f !== null);
    assert.equal(frames.length, 1, 'the chunks complete exactly one frame');
    const [frame] = frames;
    const table = tableFromIPC(frame.payload);
    assert.equal(table.numRows, frame.rows);
    assert.ok(table.getChild('_step'), 'history rows carry _step');
    const db = new RunDatabase(engine);
    await db.init();
    // Both fixtures may carry the same run and seq; start each from an empty cache.
    await db.query('DELETE FROM frames');
    await db.query('DELETE FROM points');
    assert.equal(await db.ingestFrame(frame.runId, frame.seq, frame.payload), frame.rows);
    assert.equal(await db.rowCount(frame.runId), frame.rows);
  });
}
