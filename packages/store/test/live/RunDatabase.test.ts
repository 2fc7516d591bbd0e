import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { SqlEngine } from '../../src/engine.js';
import { IngestError } from '../../src/errors.js';
import { RunDatabase } from '../../src/live/RunDatabase.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { historyIPC } from '../support/history-batch.js';

const ODD = `it's "odd" / ok`;

describe('RunDatabase on the DuckDB-WASM Node bundle', () => {
  let engine: SqlEngine;
  let db: RunDatabase;
  before(async () => {
    engine = await createNodeEngine();
    db = new RunDatabase(engine);
    await db.init();
    await db.init();
  });
  after(() => engine.close());

  test('ingesting a frame stores its rows and one point per non-null metric value', async () => {
    const rows = await db.ingestFrame(
      'sparse',
      0,
      historyIPC([0, 1, 2], { loss: [1, null, 3], acc: [null, 0.5, null] }),
    );
    assert.equal(rows, 3);
    assert.equal(await db.rowCount('sparse'), 3);
    assert.deepEqual(await db.metricNames('sparse'), ['acc', 'loss']);
    assert.deepEqual(await db.series('sparse', 'loss'), [
      { step: 0, value: 1 },
      { step: 2, value: 3 },
    ]);
    const [point] = await db.query("SELECT step, ts FROM points WHERE run_id = 'sparse' AND metric = 'acc'");
    assert.deepEqual(point, { step: 1, ts: 1_764_280_000.1 });
  });

  test('metric names with quotes, slashes and spaces survive as they are', async () => {
    await db.ingestFrame('odd', 0, historyIPC([0, 1], { [ODD]: [4, 5], 'train/loss x': [1, 2] }));
    assert.deepEqual(await db.metricNames('odd'), [ODD, 'train/loss x']);
    assert.deepEqual(await db.series('odd', ODD), [
      { step: 0, value: 4 },
      { step: 1, value: 5 },
    ]);
  });

  test('frames with differing schemas add metrics as they appear; strings and reserved columns are skipped', async () => {
    await db.ingestFrame('evolving', 0, historyIPC([0, 1], { loss: [2, 1] }));
    const second = tableFromArrays({
      _step: BigInt64Array.of(2n, 3n),
      _timestamp: Float64Array.of(10, 11),
      _runtime: Float64Array.of(1, 2),
      epoch: Int32Array.of(1, 1),
      lr: Float32Array.of(0.5, 0.25),
      phase: ['train', 'eval'],
    });
    await db.ingestFrame('evolving', 1, tableToIPC(second, 'stream'));
    assert.deepEqual(await db.metricNames('evolving'), ['epoch', 'loss', 'lr']);
    assert.deepEqual(await db.series('evolving', 'lr'), [
      { step: 2, value: 0.5 },
      { step: 3, value: 0.25 },
    ]);
    assert.equal(await db.rowCount('evolving'), 4);
  });

  test('a frame ingested twice is counted once', async () => {
    const payload = historyIPC([0, 1], { loss: [1, 2] });
    assert.equal(await db.ingestFrame('twice', 0, payload), 2);
    assert.equal(await db.ingestFrame('twice', 0, payload), 0);
    assert.equal(await db.rowCount('twice'), 2);
    assert.equal((await db.series('twice', 'loss')).length, 2);
  });

  test('concurrent ingests are serialized and keep their order', async () => {
    const calls = Array.from({ length: 20 }, (_, seq) =>
      db.ingestFrame('concurrent', seq, historyIPC([seq * 2, seq * 2 + 1], { x: [seq, seq] })),
    );
    assert.deepEqual(await Promise.all(calls), new Array(20).fill(2));
    const order = await db.query("SELECT seq FROM frames WHERE run_id = 'concurrent' ORDER BY rowid");
    assert.deepEqual(
      order.map((r) => r.seq),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(await db.rowCount('concurrent'), 40);
  });

  test('a payload that is not Arrow fails with IngestError and leaves the database as it was', async () => {
    await assert.rejects(db.ingestFrame('broken', 0, Uint8Array.of(1, 2, 3, 4)), IngestError);
    await assert.rejects(
      db.ingestFrame('broken', 0, tableToIPC(tableFromArrays({ loss: [1] }), 'stream')),
      /_step/,
    );
    assert.equal(await db.rowCount('broken'), 0);
    assert.equal(
      await db.ingestFrame('broken', 0, historyIPC([0], { loss: [1] })),
      1,
      'later ingests still work',
    );
  });

  test('timeAtStep gives the time a step was logged, null for a step the run does not have', async () => {
    await db.ingestFrame('timed', 0, historyIPC([0, 1, 2], { loss: [3, 2, 1] }));
    const logged = await db.query(
      `SELECT step, max(ts) AS ts FROM points WHERE run_id = 'timed' GROUP BY step`,
    );
    const at = Object.fromEntries(logged.map((r) => [Number(r.step), Number(r.ts)]));
    assert.equal(await db.timeAtStep('timed', 1), at[1]);
    assert.ok(Number.isFinite(at[1]));
    assert.equal(await db.timeAtStep('timed', 7), null);
  });

  test('latestValues gives each metric its value at the highest step, whatever order the frames came in', async () => {
    await db.ingestFrame('latest', 1, historyIPC([3, 4], { loss: [0.4, 0.3], acc: [0.7, null] }));
    await db.ingestFrame('latest', 0, historyIPC([1, 2], { loss: [0.9, 0.6], acc: [0.2, 0.5] }));
    assert.deepEqual(await db.latestValues('latest'), { loss: 0.3, acc: 0.7 });
    assert.deepEqual(await db.latestValues('no such run'), {});
  });

  test('ingestFrames loads a replayed history with changing columns in one go, skipping what it has', async () => {
    const frames = Array.from({ length: 30 }, (_, seq) => ({
      seq,
      payload: historyIPC(
        [seq * 2, seq * 2 + 1],
        seq < 10 ? { loss: [seq, seq] } : { loss: [1, 2], acc: [null, 3] },
      ),
    }));
    assert.equal(await db.ingestFrame('replayed', 3, frames[3].payload), 2);
    assert.equal(
      await db.ingestFrames('replayed', [...frames, frames[29]]),
      58,
      'seq 3 and the repeat are skipped',
    );
    assert.equal(await db.rowCount('replayed'), 60);
    assert.equal((await db.series('replayed', 'loss')).length, 60);
    assert.equal((await db.series('replayed', 'acc')).length, 20);
    assert.equal(await db.ingestFrames('replayed', frames), 0);
  });

  test('ingestFrames is all or nothing: one bad frame leaves no rows from the others', async () => {
    const good = { seq: 0, payload: historyIPC([0], { loss: [1] }) };
    const bad = { seq: 1, payload: tableToIPC(tableFromArrays({ loss: [1] }), 'stream') };
    await assert.rejects(
      db.ingestFrames('atomic', [good, bad]),
      (e: unknown) => e instanceof IngestError && e.seq === 1,
    );
    assert.equal(await db.rowCount('atomic'), 0);
    assert.deepEqual(await db.metricNames('atomic'), []);
  });

  test('metrics whose names differ only in case stay apart, within a batch and across frames', async () => {
    await db.ingestFrames('cases', [
      { seq: 0, payload: historyIPC([0], { Loss: [1] }) },
      { seq: 1, payload: historyIPC([1], { loss: [2] }) },
    ]);
    await db.ingestFrame('cases', 2, historyIPC([2], { LOSS: [3], loss: [4] }));
    assert.deepEqual(await db.metricNames('cases'), ['LOSS', 'Loss', 'loss']);
    assert.deepEqual(await db.series('cases', 'loss'), [
      { step: 1, value: 2 },
      { step: 2, value: 4 },
    ]);
    assert.deepEqual(await db.series('cases', 'LOSS'), [{ step: 2, value: 3 }]);
  });

  test('metrics named like the columns of the points table are stored as any other', async () => {
    const names = ['value', 'step', 'metric', 'ts', 'm0', 'M1'];
    await db.ingestFrame('clash', 0, historyIPC([5], Object.fromEntries(names.map((n, i) => [n, [i]]))));
    assert.deepEqual(await db.metricNames('clash'), [...names].sort());
    for (const [i, n] of names.entries())
      assert.deepEqual(await db.series('clash', n), [{ step: 5, value: i }], n);
  });

  test('rowCount and metricNames of an unknown run are empty', async () => {
    assert.equal(await db.rowCount('nobody'), 0);
    assert.deepEqual(await db.metricNames('nobody'), []);
    assert.deepEqual(await db.series('nobody', 'loss'), []);
  });

  test('a run id with quotes is data, not SQL', async () => {
    const runId = "x' OR '1'='1";
    await db.ingestFrame(runId, 0, historyIPC([0], { loss: [1] }));
    assert.equal(await db.rowCount(runId), 1);
    assert.deepEqual(await db.metricNames(runId), ['loss']);
  });

  test('100k points are M4-downsampled to at most maxPoints and keep the spike', async () => {
    const n = 100_000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map((i) => Math.sin(i / 500));
    values[61_234] = 1000;
    values[7_777] = -1000;
    for (let start = 0; start < n; start += 25_000) {
      await db.ingestFrame(
        'big',
        start / 25_000,
        historyIPC(steps.slice(start, start + 25_000), { loss: values.slice(start, start + 25_000) }),
      );
    }
    assert.equal(await db.rowCount('big'), n);
    const series = await db.series('big', 'loss');
    assert.ok(series.length <= 1000 && series.length > 500, `got ${series.length} points`);
    assert.ok(
      series.some((p) => p.step === 61_234 && p.value === 1000),
      'keeps the maximum spike',
    );
    assert.ok(
      series.some((p) => p.step === 7_777 && p.value === -1000),
      'keeps the minimum spike',
    );
    assert.deepEqual(series[0], { step: 0, value: 0 }, 'keeps the first point');
    assert.equal(series.at(-1)?.step, n - 1, 'keeps the last point');
    assert.ok(
      series.every((p, i) => i === 0 || p.step > series[i - 1].step),
      'ordered by step',
    );
    const wide = await db.series('big', 'loss', { maxPoints: 16_000 });
    assert.ok(wide.length <= 16_000 && wide.length > 8_000, `got ${wide.length} points`);
  });

  test('non-finite values are stored but left out of series, so downsampling keeps the real extremes', async () => {
    const n = 5000;
    const values = Array.from({ length: n }, (_, i) => (i % 100 === 0 ? Number.NaN : Math.sin(i / 50)));
    values[2501] = 500;
    values[2502] = Number.POSITIVE_INFINITY;
    await db.ingestFrame(
      'nan',
      0,
      historyIPC(
        Array.from({ length: n }, (_, i) => i),
        { loss: values },
      ),
    );
    const [{ stored }] = await db.query("SELECT count(*) AS stored FROM points WHERE run_id = 'nan'");
    assert.equal(stored, n);
    const full = await db.series('nan', 'loss', { maxPoints: n });
    assert.equal(full.length, n - 51);
    const downsampled = await db.series('nan', 'loss', { maxPoints: 100 });
    assert.ok(downsampled.every((p) => Number.isFinite(p.value)));
    assert.ok(downsampled.some((p) => p.value === 500));
  });

  test('a step range restricts the series and is downsampled only when still too long', async () => {
    const window = await db.series('big', 'loss', { stepRange: [61_000, 61_500] });
    assert.equal(window.length, 501);
    assert.equal(window[0].step, 61_000);
    assert.ok(window.some((p) => p.value === 1000));
    const zoomed = await db.series('big', 'loss', { stepRange: [50_000, 70_000], maxPoints: 400 });
    assert.ok(zoomed.length <= 400 && zoomed[0].step >= 50_000 && (zoomed.at(-1)?.step ?? 0) <= 70_000);
    assert.ok(zoomed.some((p) => p.value === 1000));
  });
});
