import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkspaceRun } from '@spyglass/protocol';
import { ema, weightedEma } from '../../src/ema.js';
import type { SqlEngine } from '../../src/engine.js';
import { parseMetricIPC } from '../../src/metric-ipc.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { runsTableIPC } from '../../src/runs-table.js';
import { mergeBuckets } from '../../src/workspace/buckets.js';
import { WorkspaceMemoryError } from '../../src/workspace/data.js';
import { WorkspaceStore } from '../../src/workspace/WorkspaceStore.js';
import { prng as random } from '../support/prng.js';
import { FakeSource } from '../support/workspace-source.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

async function storeOf(source: FakeSource, memoryBudgetBytes?: number): Promise<WorkspaceStore> {
  const store = new WorkspaceStore({ engine, source, memoryBudgetBytes });
  await store.listRuns();
  return store;
}

describe('M4 over the visible range', () => {
  test('a spike anywhere survives at every zoom level and every point drawn is a real point', async () => {
    const rand = random(7);
    const source = new FakeSource();
    const N = 6000;
    const spikes = new Map<string, { step: number; value: number }>();
    const data = new Map<string, number[]>();
    for (let r = 0; r < 24; r++) {
      let y = 0;
      const values = range(N).map(() => (y += rand() - 0.5));
      const step = Math.floor(rand() * N);
      const value = (r % 2 ? 1 : -1) * 1e6;
      values[step] = value;
      spikes.set(`r${r}`, { step, value });
      data.set(`r${r}`, values);
      source.add({ run_id: `r${r}`, steps: range(N), metrics: { loss: values } });
    }
    const store = await storeOf(source);
    const runIds = [...spikes.keys()];
    for (let trial = 0; trial < 80; trial++) {
      const a = Math.floor(rand() * N);
      const width = Math.max(1, Math.floor(N * rand() ** 3));
      const lo = Math.max(0, a - Math.floor(width / 2));
      const hi = Math.min(N - 1, lo + width);
      const buckets = 1 + Math.floor(rand() * 400);
      const lines = await store.lineSeries({
        metric: 'loss',
        runIds,
        xAxis: 'step',
        range: [lo, hi],
        buckets,
      });
      for (const line of lines) {
        const spike = spikes.get(line.runId) as { step: number; value: number };
        const values = data.get(line.runId) as number[];
        const bound = line.downsampled ? 4 * (buckets + 2) : 1000;
        assert.ok(line.points.length <= bound, `${line.points.length} points for ${buckets} buckets`);
        for (const p of line.points)
          assert.equal(values[p.x], p.y, `point (${p.x}, ${p.y}) is not in the data`);
        for (let i = 1; i < line.points.length; i++) assert.ok(line.points[i].x > line.points[i - 1].x);
        if (spike.step >= lo && spike.step <= hi) {
          assert.ok(
            line.points.some((p) => p.x === spike.step && p.y === spike.value),
            `spike at ${spike.step} lost in [${lo}, ${hi}] with ${buckets} buckets (trial ${trial})`,
          );
        }
        const inRange = values.slice(lo, hi + 1);
        const shown = line.points.filter((p) => p.x >= lo && p.x <= hi).map((p) => p.y);
        assert.equal(Math.max(...shown), Math.max(...inRange), 'the maximum in range is drawn');
        assert.equal(Math.min(...shown), Math.min(...inRange), 'the minimum in range is drawn');
      }
    }
  });

  test('the same holds on the wall-time axis (raw M4, no pyramid)', async () => {
    const rand = random(11);
    const N = 5000;
    const values = range(N).map(() => rand());
    values[1234] = 50;
    const source = new FakeSource().add({
      run_id: 'w',
      steps: range(N),
      wall: range(N).map((s) => 1000 + s * 0.5),
      metrics: { loss: values },
    });
    const store = await storeOf(source);
    for (const [lo, hi, buckets] of [
      [1000, 3500, 100],
      [1500, 1700, 7],
      [1616, 1618, 1],
    ] as const) {
      const [line] = await store.lineSeries({
        metric: 'loss',
        runIds: ['w'],
        xAxis: 'wall',
        range: [lo, hi],
        buckets,
      });
      assert.ok(line.points.some((p) => p.x === 1000 + 1234 * 0.5 && p.y === 50));
    }
  });

  test('points exactly on bucket edges are kept and land in one bucket', async () => {
    // wall = step: with range [0, 1000] and 10 buckets the edges are 0, 100, ..., 1000.
    const steps = range(1001);
    const values = steps.map((s) => (s % 100 === 0 ? 1000 + s : 0));
    const source = new FakeSource().add({
      run_id: 'e',
      steps,
      wall: steps.map(Number),
      metrics: { m: values },
    });
    const store = await storeOf(source);
    const [line] = await store.lineSeries({
      metric: 'm',
      runIds: ['e'],
      xAxis: 'wall',
      range: [0, 1000],
      buckets: 10,
      maxRawPoints: 100,
    });
    assert.equal(line.downsampled, true);
    for (let edge = 0; edge <= 1000; edge += 100) {
      assert.ok(
        line.points.some((p) => p.x === edge && p.y === 1000 + edge),
        `edge ${edge}`,
      );
    }
    assert.ok(line.points.length <= 40);
    // Step axis with pyramid buckets aligned to powers of two: edge steps 0, 64, 128, ...
    const pow = new FakeSource().add({
      run_id: 'p',
      steps: range(4096),
      metrics: { m: range(4096).map((s) => (s % 64 ? 0 : s)) },
    });
    const p = await storeOf(pow);
    const [aligned] = await p.lineSeries({ metric: 'm', runIds: ['p'], xAxis: 'step', buckets: 64 });
    for (let edge = 64; edge < 4096; edge += 64)
      assert.ok(aligned.points.some((q) => q.x === edge && q.y === edge));
  });

  test('below maxRawPoints every point is returned as it is', async () => {
    const steps = range(900);
    const values = steps.map((s) => Math.sin(s));
    const store = await storeOf(new FakeSource().add({ run_id: 'a', steps, metrics: { m: values } }));
    const [line] = await store.lineSeries({ metric: 'm', runIds: ['a'], xAxis: 'step', buckets: 100 });
    assert.equal(line.downsampled, false);
    assert.deepEqual(
      line.points,
      steps.map((s) => ({ x: s, y: values[s] })),
    );
    const big = new FakeSource().add({
      run_id: 'b',
      steps: range(100_000),
      metrics: { m: range(100_000).map(Math.cos) },
    });
    const zoomed = await storeOf(big);
    const [z] = await zoomed.lineSeries({
      metric: 'm',
      runIds: ['b'],
      xAxis: 'step',
      range: [5000, 5499],
      buckets: 1000,
    });
    assert.equal(z.points.length, 500);
    assert.equal(z.downsampled, false);
    const [all] = await zoomed.lineSeries({ metric: 'm', runIds: ['b'], xAxis: 'step', buckets: 1000 });
    assert.equal(all.downsampled, true);
    assert.ok(all.points.length <= 4004 && all.points.length > 1000, `${all.points.length}`);
  });

  test('a single point, an empty series, an all-NaN series and a range outside the data', async () => {
    const source = new FakeSource()
      .add({ run_id: 'one', steps: [5], metrics: { m: [2.5] } })
      .add({ run_id: 'none', steps: [], metrics: { other: [] } })
      .add({
        run_id: 'nan',
        steps: range(3000),
        metrics: { m: range(3000).map((i) => (i % 2 ? Number.NaN : Infinity)) },
      })
      .add({ run_id: 'ok', steps: range(3000), metrics: { m: range(3000).map((i) => i) } });
    const store = await storeOf(source);
    const lines = await store.lineSeries({
      metric: 'm',
      runIds: ['one', 'none', 'nan', 'ok', 'ghost'],
      xAxis: 'step',
      buckets: 50,
    });
    const by = new Map(lines.map((l) => [l.runId, l]));
    assert.deepEqual(by.get('one')?.points, [{ x: 5, y: 2.5 }]);
    assert.equal(by.get('one')?.emptyReason, null);
    assert.match(by.get('none')?.emptyReason ?? '', /has not logged "m"/);
    assert.match(by.get('nan')?.emptyReason ?? '', /NaN or infinite/);
    assert.deepEqual(by.get('nan')?.points, []);
    assert.match(by.get('ghost')?.emptyReason ?? '', /no longer in the store/);
    assert.ok((by.get('ok')?.points.length ?? 0) > 0);
    const outside = await store.lineSeries({
      metric: 'm',
      runIds: ['ok'],
      xAxis: 'step',
      range: [10_000, 20_000],
      buckets: 50,
    });
    assert.deepEqual(outside[0].points, []);
    assert.match(outside[0].emptyReason ?? '', /visible range/);
    const bands = await store.groupBands({
      metric: 'm',
      groups: [{ key: 'g', runIds: ['nan', 'ghost'] }],
      xAxis: 'step',
      buckets: 10,
    });
    assert.deepEqual(bands, [{ key: 'g', points: [] }]);
  });
});

describe('EMA smoothing', () => {
  /** TensorBoard's / wandb's debiased EMA, written out independently. */
  function reference(ys: number[], weight: number): number[] {
    let last = 0;
    let count = 0;
    return ys.map((y) => {
      last = last * weight + (1 - weight) * y;
      count++;
      return last / (1 - weight ** count);
    });
  }

  test('matches the reference on full-resolution series', async () => {
    const rand = random(3);
    const ys = range(700).map(() => rand() * 10);
    assert.deepEqual(
      ema(ys, 0.9).map((v) => v.toFixed(9)),
      reference(ys, 0.9).map((v) => v.toFixed(9)),
    );
    const store = await storeOf(new FakeSource().add({ run_id: 's', steps: range(700), metrics: { m: ys } }));
    const [line] = await store.lineSeries({
      metric: 'm',
      runIds: ['s'],
      xAxis: 'step',
      buckets: 100,
      smoothing: { ema: 0.6 },
    });
    const want = reference(ys, 0.6);
    for (const [i, p] of line.points.entries()) assert.ok(Math.abs(p.y - want[i]) < 1e-9);
    assert.equal(line.raw?.length, 700);
    assert.equal(line.raw?.[10].y, ys[10]);
  });

  test('a bucket of n equal values decays the average as n single points do', () => {
    const a = weightedEma(
      [
        { y: 1, n: 3 },
        { y: 5, n: 2 },
      ],
      0.8,
    );
    const b = ema([1, 1, 1, 5, 5], 0.8);
    assert.ok(Math.abs(a[1] - b[4]) < 1e-12);
  });

  test('a downsampled smoothed line stays close to the full-resolution EMA', async () => {
    const N = 50_000;
    const ys = range(N).map((s) => Math.exp(-s / 20_000) + 0.01 * Math.sin(s));
    const store = await storeOf(new FakeSource().add({ run_id: 'd', steps: range(N), metrics: { m: ys } }));
    const [line] = await store.lineSeries({
      metric: 'm',
      runIds: ['d'],
      xAxis: 'step',
      buckets: 200,
      smoothing: { ema: 0.99 },
    });
    const want = reference(ys, 0.99);
    assert.ok(line.points.length <= 210);
    for (const p of line.points)
      assert.ok(Math.abs(p.y - want[p.x]) < 0.01, `at ${p.x}: ${p.y} vs ${want[p.x]}`);
  });
});

describe('group bands', () => {
  test('min, max and mean across the runs of each group on a shared grid', async () => {
    const N = 20_000;
    const source = new FakeSource()
      .add({ run_id: 'a', steps: range(N), metrics: { m: range(N).map(() => 1) } })
      .add({ run_id: 'b', steps: range(N), metrics: { m: range(N).map(() => 2) } })
      .add({ run_id: 'c', steps: range(N / 2), metrics: { m: range(N / 2).map(() => 6) } })
      .add({ run_id: 'd', steps: range(N), metrics: { m: range(N).map((s) => s) } });
    const store = await storeOf(source);
    const [g1, g2] = await store.groupBands({
      metric: 'm',
      groups: [
        { key: 'abc', runIds: ['a', 'b', 'c'] },
        { key: 'd', runIds: ['d'] },
      ],
      xAxis: 'step',
      buckets: 100,
    });
    assert.equal(g1.key, 'abc');
    assert.ok(g1.points.length >= 66 && g1.points.length <= 100, `${g1.points.length} buckets`);
    const early = g1.points.filter((p) => p.x < N / 2 - 500);
    const late = g1.points.filter((p) => p.x > N / 2 + 500);
    for (const p of early) assert.deepEqual([p.min, p.max, p.mean, p.runs], [1, 6, 3, 3]);
    for (const p of late) assert.deepEqual([p.min, p.max, p.mean, p.runs], [1, 2, 1.5, 2]);
    // One run with y = step: the band's mean is the bucket's mean step, centred on the bucket.
    for (const p of g2.points.filter((q) => q.x < N - 300))
      assert.ok(Math.abs(p.mean - p.x) <= 0.5 + 1e-9, `${p.mean} at ${p.x}`);
    // Same on the raw path (wall time axis).
    const [w] = await store.groupBands({
      metric: 'm',
      groups: [{ key: 'ab', runIds: ['a', 'b'] }],
      xAxis: 'wall',
      buckets: 10,
    });
    assert.equal(w.points.length, 10);
    for (const p of w.points) assert.deepEqual([p.min, p.max, p.mean], [1, 2, 1.5]);
  });
});

describe('x axes, live tail, deleted runs, memory', () => {
  test('a step metric as x, relative time from the first row', async () => {
    const steps = range(100);
    const source = new FakeSource().add({
      run_id: 'x',
      steps,
      wall: steps.map((s) => 5000 + s * 2),
      metrics: { m: steps.map((s) => s * 10), epoch: steps.map((s) => Math.floor(s / 10)) },
    });
    const store = await storeOf(source);
    const [byEpoch] = await store.lineSeries({
      metric: 'm',
      runIds: ['x'],
      xAxis: 'epoch',
      buckets: 5,
      maxRawPoints: 10,
    });
    assert.ok(byEpoch.points.every((p) => p.x >= 0 && p.x <= 9));
    assert.ok(byEpoch.points.some((p) => p.y === 990));
    const [rel] = await store.lineSeries({ metric: 'm', runIds: ['x'], xAxis: 'relative', buckets: 10 });
    assert.deepEqual(rel.points[0], { x: 0, y: 0 });
    assert.deepEqual(rel.points.at(-1), { x: 198, y: 990 });
  });

  test('rows logged to a running run after the load appear after one live pass', async () => {
    const source = new FakeSource().add({ run_id: 'live', state: 'running', steps: [], metrics: {} });
    source.appendRows('live', range(10), { loss: range(10).map((s) => s / 10) });
    const store = await storeOf(source);
    await store.loadMetric('loss');
    const updates: string[][] = [];
    store.onMetricUpdated((_m, ids) => updates.push(ids));
    source.appendRows('live', range(5, 10), { loss: [7, 7, 7, 7, 99] });
    await store.pollLive();
    const [line] = await store.lineSeries({ metric: 'loss', runIds: ['live'], xAxis: 'step', buckets: 100 });
    assert.equal(line.points.length, 15);
    assert.deepEqual(line.points.at(-1), { x: 14, y: 99 });
    assert.deepEqual(updates, [['live']]);
    // Enough new rows to need more pyramid levels.
    source.appendRows('live', range(20_000, 15), {
      loss: range(20_000).map((s) => (s === 12_345 ? 1e9 : 0)),
    });
    await store.pollLive();
    const [grown] = await store.lineSeries({ metric: 'loss', runIds: ['live'], xAxis: 'step', buckets: 100 });
    assert.ok(grown.downsampled);
    assert.ok(grown.points.some((p) => p.x === 12_360 && p.y === 1e9));
  });

  test('a run deleted while open disappears; a new run is picked up', async () => {
    const source = new FakeSource()
      .add({ run_id: 'keep', steps: range(10), metrics: { m: range(10) } })
      .add({ run_id: 'drop', steps: range(10), metrics: { m: range(10) } });
    const store = await storeOf(source);
    await store.loadMetric('m');
    let changed = 0;
    store.onRunsChanged(() => changed++);
    source.runs.delete('drop');
    source.add({ run_id: 'new', steps: range(4), metrics: { m: [1, 2, 3, 4] } });
    await store.pollLive();
    assert.equal(changed, 1);
    const lines = await store.lineSeries({
      metric: 'm',
      runIds: ['keep', 'drop', 'new'],
      xAxis: 'step',
      buckets: 10,
    });
    assert.equal(lines[0].points.length, 10);
    assert.match(lines[1].emptyReason ?? '', /no longer/);
    assert.equal(lines[2].points.length, 4);
  });

  test('a metric over the memory budget fails with WorkspaceMemoryError; older metrics are evicted', async () => {
    const source = new FakeSource().add({
      run_id: 'a',
      steps: range(10_000),
      metrics: { m1: range(10_000), m2: range(10_000), m3: range(10_000) },
    });
    const tiny = await storeOf(source, 100_000);
    await assert.rejects(tiny.loadMetric('m1'), WorkspaceMemoryError);
    await assert.rejects(
      tiny.lineSeries({ metric: 'm1', runIds: ['a'], xAxis: 'step', buckets: 10 }),
      /budget/,
    );
    const two = await storeOf(source, 1_300_000);
    await two.loadMetric('m1');
    await two.loadMetric('m2');
    await two.loadMetric('m3');
    assert.deepEqual(two.memory().metrics, ['m2', 'm3']);
    assert.ok(two.memory().usedBytes <= 1_300_000);
  });
});

describe('runs table and metric answers', () => {
  test('config values of mixed types across runs become text columns; numbers stay numbers', async () => {
    const run = (id: string, config: WorkspaceRun['config']): WorkspaceRun => ({
      run_dir: `/s/p/${id}`,
      run_id: id,
      name: id,
      state: 'finished',
      created_at: 1,
      duration: 2,
      tags: ['t1'],
      group: null,
      job_type: null,
      config,
      summary: { loss: id === 'a' ? 0.5 : 'NaN' },
      metrics: [],
      damaged: null,
    });
    await engine.insertArrowIPC(
      'runs_t',
      runsTableIPC([run('a', { lr: 0.1, opt: 'adam', flag: true }), run('b', { lr: 'auto', flag: false })]),
    );
    const rows = (
      await engine.query(
        'SELECT run_id, "config.lr", "config.opt", "config.flag", "summary.loss", tags FROM runs_t ORDER BY run_id',
      )
    )
      .toArray()
      .map((r) => r.toJSON());
    assert.equal(rows[0]['config.lr'], '0.1');
    assert.equal(rows[1]['config.lr'], 'auto');
    assert.equal(rows[1]['config.opt'], null);
    assert.equal(rows[0]['config.flag'], true);
    assert.equal(rows[0]['summary.loss'], 0.5);
    assert.ok(Number.isNaN(rows[1]['summary.loss']));
    const store = await storeOf(new FakeSource().add({ run_id: 'q', steps: [1], metrics: { m: [1] } }));
    assert.deepEqual(await store.sql("SELECT run_id, state FROM runs WHERE state = 'finished'"), [
      { run_id: 'q', state: 'finished' },
    ]);
  });

  test('parseMetricIPC reads run ids and cursors from the schema metadata', async () => {
    const source = new FakeSource().add({ run_id: 'r', state: 'running', steps: [], metrics: {} });
    source.appendRows('r', [0, 1], { m: [1, 2] });
    const answer = await source.metric({ metric: 'm', runIds: [] });
    const parsed = parseMetricIPC(answer.ipc);
    assert.deepEqual([parsed.runIds, parsed.cursors, parsed.rows], [['r'], { r: 0 }, 2]);
  });
});

describe('first paint from the server overview', () => {
  test('the whole-range chart is drawn from the overview, the same as from the full pyramid', async () => {
    const rand = random(21);
    const source = new FakeSource();
    const open = source.holdRows();
    for (let r = 0; r < 5; r++) {
      const values = range(20_000).map(() => rand());
      values[(r * 3571) % 20_000] = 9;
      source.add({ run_id: `o${r}`, steps: range(20_000), metrics: { m: values } });
    }
    const store = await storeOf(source);
    const loaded = await store.loadMetric('m');
    assert.equal(loaded.rows, 100_000);
    const runIds = range(5).map((r) => `o${r}`);
    const early = await store.lineSeries({ metric: 'm', runIds, xAxis: 'step', buckets: 200 });
    for (const [r, line] of early.entries())
      assert.ok(line.points.some((p) => p.x === (r * 3571) % 20_000 && p.y === 9));
    let updated = false;
    store.onMetricUpdated(() => {
      updated = true;
    });
    // A zoom finer than the overview waits for the rows.
    const zoom = store.lineSeries({ metric: 'm', runIds, xAxis: 'step', range: [100, 999], buckets: 200 });
    open();
    const zoomed = await zoom;
    assert.ok(updated);
    assert.equal(zoomed[0].points.length, 900); // every point: the raw rows are in
    const late = await store.lineSeries({ metric: 'm', runIds, xAxis: 'step', buckets: 200 });
    assert.deepEqual(
      late.map((l) => l.points),
      early.map((l) => l.points),
    );
  });
});

describe('first paint on the wall, relative and step-metric axes from the server overview', () => {
  /** Five runs of 20,000 points, one spike each, started 500 s apart (wall = start + step), rows held back. */
  function overviewSource(): { source: FakeSource; open: () => void; spikeAt: (r: number) => number } {
    const rand = random(33);
    const source = new FakeSource();
    const open = source.holdRows();
    const spikeAt = (r: number) => (r * 3571 + 17) % 20_000;
    for (let r = 0; r < 5; r++) {
      const values = range(20_000).map(() => rand());
      values[spikeAt(r)] = 9;
      const epoch = range(20_000).map((s) => s / 1000);
      const wall = range(20_000, 1_764_280_000 + r * 500);
      source.add({ run_id: `w${r}`, steps: range(20_000), wall, metrics: { m: values, epoch } });
    }
    return { source, open, spikeAt };
  }
  const runIds = range(5).map((r) => `w${r}`);

  test('wall and relative whole-range charts draw before the rows arrive, every spike kept', async () => {
    const { source, open, spikeAt } = overviewSource();
    const store = await storeOf(source);
    await store.loadMetric('m');
    const wall = await store.lineSeries({ metric: 'm', runIds, xAxis: 'wall', buckets: 200 });
    const relative = await store.lineSeries({ metric: 'm', runIds, xAxis: 'relative', buckets: 200 });
    for (const [r, line] of wall.entries()) {
      const start = 1_764_280_000 + r * 500;
      assert.ok(line.points.some((p) => p.x === start + spikeAt(r) && p.y === 9));
      assert.ok(line.downsampled && line.points.length <= 4 * 200 && line.pointsInRange === 20_000);
      for (const p of line.points) assert.ok(Number.isInteger(p.x - start) && p.x - start < 20_000);
    }
    for (const [r, line] of relative.entries()) {
      // Each run's relative time starts at its own first row, whatever its wall-clock start.
      assert.equal(line.points[0].x, 0);
      assert.equal(line.points.at(-1)?.x, 19_999);
      assert.ok(line.points.some((p) => p.x === spikeAt(r) && p.y === 9));
      assert.ok(line.points.length <= 4 * 200);
    }
    const asked = source.metricCalls.map((c) => c.overviewAxis ?? null);
    assert.deepEqual(asked.sort(), ['relative', 'wall', null, null].sort());
    // Once the rows are in, the same whole-range query answered from them gives the same lines (same grid).
    const updated = new Promise<void>((resolve) => store.onMetricUpdated(() => resolve()));
    open();
    await updated;
    const late = await store.lineSeries({ metric: 'm', runIds, xAxis: 'wall', buckets: 200 });
    assert.deepEqual(
      late.map((l) => l.points),
      wall.map((l) => l.points),
    );
  });

  test('a zoom off the step axis still waits for the rows; bands and a step metric use the overview', async () => {
    const { source, open, spikeAt } = overviewSource();
    const store = await storeOf(source);
    await store.loadMetric('m', { xMetric: 'epoch' });
    const byEpoch = await store.lineSeries({ metric: 'm', runIds, xAxis: 'epoch', buckets: 100 });
    for (const [r, line] of byEpoch.entries()) {
      assert.ok(line.points.some((p) => p.x === spikeAt(r) / 1000 && p.y === 9));
      assert.ok(line.points.length <= 4 * 100);
    }
    const bands = await store.groupBands({
      metric: 'm',
      groups: [{ key: 'all', runIds }],
      xAxis: 'relative',
      buckets: 300,
    });
    // 1000 overview buckets merged by ⌈1000 / 300⌉ = 4: 250 equal buckets over [0, 19999].
    assert.equal(bands[0].points.length, 250);
    assert.equal(bands[0].points[0].x, (0.5 * 4 * 19_999) / 1000);
    assert.ok(bands[0].points.every((p) => p.runs === 5 && p.min <= p.mean && p.mean <= p.max));
    let settled = false;
    const zoom = store
      .lineSeries({ metric: 'm', runIds, xAxis: 'relative', range: [100, 999], buckets: 200 })
      .then((lines) => {
        settled = true;
        return lines;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false);
    open();
    const zoomed = await zoom;
    assert.equal(zoomed[0].points.length, 900); // every point: the raw rows are in
  });

  test('told the chart axis, the load asks for that overview first and step charts wait for the rows', async () => {
    const { source, open, spikeAt } = overviewSource();
    const store = await storeOf(source);
    const loaded = await store.loadMetric('m', { xAxis: 'relative' });
    assert.equal(loaded.rows, 100_000);
    assert.deepEqual(
      source.metricCalls.map((c) => c.overviewAxis),
      ['relative', undefined], // the overview, then the rows in the background: no step overview
    );
    const lines = await store.lineSeries({ metric: 'm', runIds, xAxis: 'relative', buckets: 250 });
    for (const [r, line] of lines.entries())
      assert.ok(line.points.some((p) => p.x === spikeAt(r) && p.y === 9));
    let settled = false;
    const step = store.lineSeries({ metric: 'm', runIds, xAxis: 'step', buckets: 250 }).then((l) => {
      settled = true;
      return l;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false);
    open();
    const [first] = await step;
    assert.ok(first.points.some((p) => p.x === spikeAt(0) && p.y === 9));
    assert.equal(source.metricCalls.length, 2);
  });

  test('a filtered subset of runs is bucketed over its own range, at the overview grid', async () => {
    const source = new FakeSource();
    source.holdRows();
    const values = range(1000).map((i) => Math.sin(i / 10));
    values[421] = 50;
    source.add({ run_id: 'a', steps: range(1000), wall: range(1000), metrics: { m: values } });
    source.add({ run_id: 'b', steps: range(1000), wall: range(1000, 99_000), metrics: { m: values } });
    const store = await storeOf(source);
    await store.loadMetric('m');
    // The overview cuts [0, 99999] in 1000 buckets of 100 s: run a touches 10 of them, each kept whole.
    const [a] = await store.lineSeries({ metric: 'm', runIds: ['a'], xAxis: 'wall', buckets: 100 });
    assert.ok(a.points.length > 4 * 5 && a.points.length <= 4 * 10);
    assert.ok(a.points.some((p) => p.x === 421 && p.y === 50));
    const [band] = await store.groupBands({
      metric: 'm',
      groups: [{ key: 'a', runIds: ['a'] }],
      xAxis: 'wall',
      buckets: 4,
    });
    // 10 overview buckets (width 99.999 s) merged by ⌈10 / 4⌉ = 3 from the first: 4 buckets, the last of one.
    const centres = [1.5, 4.5, 7.5, 10.5].map((k) => k * 99.999);
    assert.equal(band.points.length, 4);
    for (const [i, p] of band.points.entries()) assert.ok(Math.abs(p.x - centres[i]) < 1e-9);
  });

  test('a single point, an all-NaN run and a run without the metric on the wall axis', async () => {
    const source = new FakeSource();
    source.overviews = true;
    source.rowsGate = new Promise<void>(() => undefined); // the rows never come
    source.add({ run_id: 'one', steps: [7], wall: [1_764_280_123.5], metrics: { m: [2.5] } });
    source.add({ run_id: 'nan', steps: [0, 1, 2], metrics: { m: [Number.NaN, Number.NaN, Number.NaN] } });
    source.add({ run_id: 'none', steps: [0, 1], metrics: { other: [1, 2] } });
    const store = await storeOf(source);
    await store.loadMetric('m');
    const ids = ['one', 'nan', 'none'];
    for (const xAxis of ['wall', 'relative']) {
      const [one, nan, none] = await store.lineSeries({ metric: 'm', runIds: ids, xAxis, buckets: 50 });
      assert.deepEqual(one.points, [{ x: xAxis === 'wall' ? 1_764_280_123.5 : 0, y: 2.5 }]);
      assert.match(nan.emptyReason ?? '', /NaN/);
      assert.equal(none.points.length, 0);
      assert.notEqual(none.emptyReason, null);
    }
  });
});

describe('merging overview buckets', () => {
  test('k consecutive buckets become one: earliest first, latest last, extremes with ties to the earlier', () => {
    const column = (xs: number[]) => Float64Array.from(xs);
    // Run 0 has buckets q = 0..3, run 1 has q = 1; rows ordered by run, q.
    const b = {
      length: 5,
      run: column([0, 0, 0, 0, 1]),
      q: column([0, 1, 2, 3, 1]),
      x_first: column([0, 10, 20, 30, 12]),
      y_first: column([1, 2, 3, 4, 5]),
      x_last: column([9, 19, 29, 39, 13]),
      y_last: column([1.5, 2.5, 3.5, 4.5, 5.5]),
      x_min: column([5, 15, 25, 35, 12]),
      y_min: column([-1, -1, -3, 0, 5]),
      x_max: column([6, 16, 26, 36, 13]),
      y_max: column([8, 8, 7, 9, 5.5]),
      y_sum: column([10, 20, 30, 40, 10.5]),
      n: column([10, 10, 10, 10, 2]),
    };
    const merged = mergeBuckets(b, (run) => run === 0, 2);
    assert.equal(merged.length, 2);
    assert.deepEqual(
      [...'run q x_first y_first x_last y_last x_min y_min x_max y_max y_sum n'.split(' ')].map((k) => [
        ...Array.from(merged[k as keyof typeof merged] as ArrayLike<number>),
      ]),
      [
        [0, 0],
        [0, 1],
        [0, 20],
        [1, 3],
        [19, 39],
        [2.5, 4.5],
        [5, 25],
        [-1, -3],
        [6, 36],
        [8, 9],
        [30, 70],
        [20, 20],
      ],
    );
    const both = mergeBuckets(b, () => true, 4);
    assert.deepEqual(Array.from(both.run), [0, 1]);
    assert.deepEqual(Array.from(both.n), [40, 2]);
  });
});
