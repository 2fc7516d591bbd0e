import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import type { LineSeries } from '../../src/workspace/data.js';
import { WorkspaceStore } from '../../src/workspace/WorkspaceStore.js';
import { prng as random } from '../support/prng.js';
import { FakeSource } from '../support/workspace-source.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const N = 20_000;

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

/** Eight finished runs with one spike each (and a NaN), plus, with `live`, one running run. */
function project(live = false): { source: FakeSource; spikes: Map<string, number> } {
  const rand = random(11);
  const source = new FakeSource();
  const spikes = new Map<string, number>();
  for (let r = 0; r < 8; r++) {
    let y = 0;
    const values = range(N).map(() => (y += rand() - 0.5));
    const at = Math.floor(rand() * N);
    values[at] = r % 2 ? 1e6 : -1e6;
    values[(at + 7) % N] = Number.NaN;
    spikes.set(`r${r}`, at);
    source.add({ run_id: `r${r}`, steps: range(N), metrics: { m: values } });
  }
  if (live)
    source.add({
      run_id: 'live',
      state: 'running',
      steps: range(100),
      metrics: { m: range(100) },
      frames: [],
    });
  return { source, spikes };
}

/** A store keeping every metric of more than `localBytes` on the server (the source answers windows). */
async function remoteStore(source: FakeSource): Promise<WorkspaceStore> {
  const store = new WorkspaceStore({ engine, source: source.answerWindows(), localMetricBytes: 1000 });
  await store.listRuns();
  return store;
}

async function localStore(source: FakeSource): Promise<WorkspaceStore> {
  const store = new WorkspaceStore({ engine, source });
  await store.listRuns();
  return store;
}

const pointsOf = (lines: LineSeries[]) => lines.map((l) => ({ runId: l.runId, points: l.points }));

describe('a metric kept on the server', () => {
  test('loads only its overview: no finished run rows enter the page, and memory counts the overview', async () => {
    const { source } = project();
    const store = await remoteStore(source);
    const loaded = await store.loadMetric('m');
    assert.equal(loaded.rows, 8 * N);
    assert.deepEqual(
      source.metricCalls.map((c) => c.overviewBuckets !== undefined),
      [true],
    );
    const [count] = await store.sql('SELECT count(*)::INTEGER AS n FROM ws_raw_0');
    assert.equal(count.n, 0);
    assert.ok(store.memory().usedBytes < (8 * N * 56) / 5, `${store.memory().usedBytes} bytes`);
    await store.dispose();
  });

  test('every zoom is answered by the source with the same lines as the page computes from all rows', async () => {
    const { source, spikes } = project();
    const remote = await remoteStore(source);
    const local = await localStore(project().source);
    const runIds = [...spikes.keys()];
    const rand = random(3);
    for (let trial = 0; trial < 30; trial++) {
      const width = Math.max(10, Math.floor(N * rand() ** 2));
      const lo = Math.floor(rand() * (N - width)) + rand();
      const query = {
        metric: 'm',
        runIds,
        xAxis: 'step' as const,
        range: [lo, lo + width] as [number, number],
        buckets: 20 + Math.floor(rand() * 300),
        maxRawPoints: 0,
      };
      const before = source.windowCalls.length;
      const far = await remote.lineSeries(query);
      assert.equal(source.windowCalls.length, before + 1, 'one window request per zoom');
      assert.deepEqual(pointsOf(far), pointsOf(await local.lineSeries(query)));
      for (const line of far) {
        const at = spikes.get(line.runId) as number;
        if (at >= query.range[0] && at <= query.range[1])
          assert.ok(
            line.points.some((p) => p.x === at && Math.abs(p.y) === 1e6),
            `spike of ${line.runId}`,
          );
      }
    }
    await remote.dispose();
    await local.dispose();
  });

  test('the whole range draws from the page without asking the source; wall-axis zooms and bands do ask', async () => {
    const { source, spikes } = project();
    const remote = await remoteStore(source);
    const local = await localStore(project().source);
    const runIds = [...spikes.keys()];
    const whole = { metric: 'm', runIds, xAxis: 'step' as const, buckets: 100, maxRawPoints: 0 };
    assert.deepEqual(pointsOf(await remote.lineSeries(whole)), pointsOf(await local.lineSeries(whole)));
    assert.equal(source.windowCalls.length, 0);
    const wall = {
      ...whole,
      xAxis: 'wall' as const,
      range: [1_764_280_100, 1_764_281_500] as [number, number],
    };
    assert.deepEqual(pointsOf(await remote.lineSeries(wall)), pointsOf(await local.lineSeries(wall)));
    assert.equal(source.windowCalls.at(-1)?.axis, 'wall');
    const groups = [
      { key: 'even', runIds: ['r0', 'r2', 'r4'] },
      { key: 'odd', runIds: ['r1', 'r3'] },
    ];
    const bands = {
      metric: 'm',
      groups,
      xAxis: 'step' as const,
      range: [500, 9000] as [number, number],
      buckets: 60,
    };
    assert.deepEqual(await remote.groupBands(bands), await local.groupBands(bands));
    await remote.dispose();
    await local.dispose();
  });

  test('a running run stays in the page, grows live and is never asked of the source', async () => {
    const { source } = project(true);
    const store = await remoteStore(source);
    await store.loadMetric('m');
    assert.deepEqual(source.metricCalls.at(-1)?.runIds, ['live']);
    source.appendRows('live', range(50, 100), { m: range(50).map(() => 7) });
    await store.pollLive();
    const [line, far] = await store.lineSeries({
      metric: 'm',
      runIds: ['live', 'r1'],
      xAxis: 'step',
      range: [90, 140],
      buckets: 10,
    });
    assert.deepEqual(
      line.points.map((p) => p.x),
      range(51, 90),
    );
    assert.ok(line.points.slice(10).every((p) => p.y === 7));
    assert.ok(far.points.length > 0);
    assert.ok(source.windowCalls.every((c) => !c.runIds.includes('live')));
    await store.dispose();
  });
});
