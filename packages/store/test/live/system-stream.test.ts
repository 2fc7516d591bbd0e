import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FramePipeline } from '../../src/live/FramePipeline.js';
import { historyIPC, systemIPC } from '../support/history-batch.js';
import { useRunDatabase } from '../support/run-database.js';

const store = useRunDatabase();

const sample = (seq: number) => ({
  seq,
  payload: systemIPC([seq * 0.5 + 0.1], { 'system/cpu.percent': [10 + seq], 'system/proc.threads': [4] }),
});
const rows = (seq: number) => ({
  seq,
  payload: historyIPC([seq * 2, seq * 2 + 1], { loss: [1 / (seq + 1), 1 / (seq + 2)] }),
});

test('system samples go to their own tables, charted over runtime, apart from the history', async () => {
  await store.db.ingestSystemFrames('sys1', [sample(0), sample(1), sample(2)]);
  assert.deepEqual(await store.db.systemMetricNames('sys1'), ['system/cpu.percent', 'system/proc.threads']);
  assert.deepEqual(await store.db.metricNames('sys1'), [], 'no system metric among the history metrics');
  assert.equal(await store.db.rowCount('sys1'), 0, 'row counts are history rows');
  assert.deepEqual(await store.db.systemSeries('sys1', 'system/cpu.percent'), [
    { step: 0.1, value: 10 },
    { step: 0.6, value: 11 },
    { step: 1.1, value: 12 },
  ]);
  assert.equal(await store.db.ingestSystemFrames('sys1', [sample(1)]), 0, 'a frame seen before is skipped');
});

test('the pipeline keeps each stream in its own sequence: history and system seq 0 are both ingested', async () => {
  const ingested: string[] = [];
  const pipeline = new FramePipeline(async () => store.db, {
    ingested: (runId, frames, _at, stream) => ingested.push(`${runId}:${stream}:${frames}`),
    failed: (_runId, error) => assert.fail(String(error)),
  });
  assert.equal(pipeline.offerFrames('sys2', [rows(0), rows(1)]), null);
  assert.equal(pipeline.offerFrames('sys2', [sample(1)], 'system'), -1, 'system frame 0 is missing');
  assert.equal(pipeline.gapAfter('sys2'), null, 'the history has no gap');
  assert.equal(pipeline.offerFrames('sys2', [sample(0)], 'system'), null);
  await pipeline.settled();
  assert.deepEqual(ingested.sort(), ['sys2:history:2', 'sys2:system:2']);
  assert.equal(pipeline.lastSeq('sys2', 'system'), 1);
  assert.equal(await store.db.rowCount('sys2'), 4);
  assert.equal((await store.db.systemSeries('sys2', 'system/proc.threads')).length, 2);
});

test('a chunk naming the system stream is assembled and tracked as a system frame', async () => {
  const pipeline = new FramePipeline(async () => store.db, { ingested: () => {}, failed: () => {} });
  const { payload } = sample(0);
  const chunk = { run_id: 'sys3', seq: 0, rows: 1, total_bytes: payload.byteLength, offset: 0 };
  pipeline.offerChunk({ ...chunk, stream: 'system' }, payload);
  await pipeline.settled();
  assert.equal(pipeline.lastSeq('sys3', 'system'), 0);
  assert.equal(pipeline.lastSeq('sys3'), -1);
});

test('a metric charted against its step metric takes that metric as x, and nothing without it', async () => {
  const payload = historyIPC([0, 1, 2, 3], { 'train/loss': [4, 3, 2, 1], epoch: [0, 0, 1, 1] });
  await store.db.ingestFrames('sys4', [{ seq: 0, payload }]);
  const points = await store.db.seriesAgainst('sys4', 'train/loss', 'epoch');
  // Rows sharing an x value come in no particular order.
  points.sort((a, b) => a.step - b.step || a.value - b.value);
  assert.deepEqual(points, [
    { step: 0, value: 3 },
    { step: 0, value: 4 },
    { step: 1, value: 1 },
    { step: 1, value: 2 },
  ]);
  assert.deepEqual(await store.db.seriesAgainst('sys4', 'train/loss', 'missing'), []);
});
