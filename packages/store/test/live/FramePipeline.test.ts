import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { FramePipeline } from '../../src/live/FramePipeline.js';
import type { FrameInput } from '../../src/live/ingest-plan.js';
import { RunDatabase } from '../../src/live/RunDatabase.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { historyIPC } from '../support/history-batch.js';

const ROWS = 5;
const payload = (seq: number) => {
  const steps = Array.from({ length: ROWS }, (_, i) => seq * ROWS + i);
  return historyIPC(steps, { loss: steps.map((s) => 1 / (s + 1)) });
};
const frame = (seq: number): FrameInput => ({ seq, payload: payload(seq) });

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

let runs = 0;

/** A pipeline over the shared engine, a run id of its own, and a record of every ingestFrames call. */
async function setup() {
  const RUN = `pipeline${runs++}`;
  const database = new RunDatabase(engine);
  await database.init();
  const calls: { runId: string; seqs: number[] }[] = [];
  const ingestFrames = database.ingestFrames.bind(database);
  database.ingestFrames = (runId, frames) => {
    calls.push({ runId, seqs: frames.map((f) => f.seq) });
    return ingestFrames(runId, frames);
  };
  const ingested: { runId: string; frames: number }[] = [];
  const failures: unknown[] = [];
  const pipeline = new FramePipeline(async () => database, {
    ingested: (runId, frames) => ingested.push({ runId, frames }),
    failed: (_runId, error) => failures.push(error),
  });
  return { RUN, database, pipeline, calls, ingested, failures };
}

test('frames offered in one turn are ingested with a single ingestFrames call, in order', async () => {
  const { RUN, database, pipeline, calls } = await setup();
  for (let seq = 0; seq < 50; seq++) pipeline.offerFrames(RUN, [frame(seq)]);
  await pipeline.settled();
  assert.deepEqual(calls, [{ runId: RUN, seqs: Array.from({ length: 50 }, (_, i) => i) }]);
  assert.equal(await database.rowCount(RUN), 50 * ROWS);
  assert.deepEqual(pipeline.stats(), { framesIngested: 50, ingestCalls: 1 });
});

test('frames arriving during a drain join the next one, so a burst costs one call per run per drain', async () => {
  const { RUN, database, pipeline, calls } = await setup();
  pipeline.offerFrames(RUN, [frame(0)]);
  await Promise.resolve(); // the first drain has taken frame 0
  for (let seq = 1; seq < 20; seq++) pipeline.offerFrames(RUN, [frame(seq)]);
  pipeline.offerFrames(`${RUN}-other`, [frame(0)]);
  await pipeline.settled();
  assert.deepEqual(
    calls.map((c) => [c.runId, c.seqs.length]),
    [
      [RUN, 1],
      [RUN, 19],
      [`${RUN}-other`, 1],
    ],
  );
  assert.equal(await database.rowCount(RUN), 20 * ROWS);
});

test('duplicates and out-of-order frames go through the tracker: each seq is ingested once, in order', async () => {
  const { RUN, database, pipeline, calls } = await setup();
  assert.equal(pipeline.offerFrames(RUN, [frame(2), frame(3)]), -1, 'frames 0 and 1 are missing');
  assert.equal(pipeline.gapAfter(RUN), -1);
  assert.equal(pipeline.offerFrames(RUN, [frame(0), frame(1), frame(2), frame(0)]), null);
  await pipeline.settled();
  assert.deepEqual(
    calls.flatMap((c) => c.seqs),
    [0, 1, 2, 3],
  );
  const [dupes] = await database.query(
    `SELECT count(*) - count(DISTINCT step) AS n FROM points WHERE run_id = '${RUN}'`,
  );
  assert.equal(dupes.n, 0);
});

test('a bad payload loses only itself: the good frames batched with it are still ingested', async () => {
  const { RUN, database, pipeline, ingested, failures } = await setup();
  pipeline.offerFrames(RUN, [frame(0), { seq: 1, payload: Uint8Array.of(1, 2, 3) }, frame(2)]);
  await pipeline.settled();
  assert.equal(await database.rowCount(RUN), 2 * ROWS);
  assert.deepEqual(ingested, [{ runId: RUN, frames: 2 }]);
  assert.equal(failures.length, 1);
});

test('an engine that fails to start is reported for every run waiting', async () => {
  const failures: string[] = [];
  const pipeline = new FramePipeline(() => Promise.reject(new Error('no wasm')), {
    ingested: () => assert.fail('nothing can be ingested'),
    failed: (runId) => failures.push(runId),
  });
  pipeline.offerFrames('a', [frame(0)]);
  pipeline.offerFrames('b', [frame(0)]);
  await pipeline.settled();
  assert.deepEqual(failures.sort(), ['a', 'b']);
});

test('ingestedSoFar waits for the frames released before it, not for a live stream that keeps coming', async () => {
  const { RUN, database, pipeline } = await setup();
  pipeline.offerFrames(RUN, [frame(0), frame(1)]);
  let rowsWhenDone: number | null = null;
  const done = pipeline.ingestedSoFar().then(async () => {
    rowsWhenDone = await database.rowCount(RUN);
  });
  // A frame every few milliseconds keeps the pipeline busy: settled() would wait for the stream to stop.
  let seq = 2;
  while (rowsWhenDone === null && seq < 400) {
    pipeline.offerFrames(RUN, [frame(seq++)]);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await done;
  assert.ok(seq < 400, 'resolved while frames were still arriving');
  assert.ok((rowsWhenDone ?? 0) >= 2 * ROWS, 'the frames released before the call are queryable');
  await pipeline.settled();
  assert.equal(await database.rowCount(RUN), seq * ROWS);
  assert.equal(await pipeline.ingestedSoFar().then(() => 'now'), 'now', 'nothing queued: resolves at once');
});
