import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import type { LineSeries } from '../../src/workspace/data.js';
import { FAR_ROW_BYTES } from '../../src/workspace/far-overview.js';
import { WorkspaceStore } from '../../src/workspace/WorkspaceStore.js';
import { prng as random } from '../support/prng.js';
import { FakeSource } from '../support/workspace-source.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const N = 4000;
const RUNS = 4;
const METRICS = ['m1', 'm2', 'm3'];
/** Overview rows of one metric: 4 runs get 1,000 buckets asked, level 3 (8 steps) gives N / 8 per run. */
const OVERVIEW_BYTES = RUNS * (N / 8) * FAR_ROW_BYTES;
/** Room for two metrics' overviews, not three. */
const BUDGET = Math.floor(OVERVIEW_BYTES * 2.5);

let engine: SqlEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

/** Finished runs with a spike in every metric, kept on the server (the source answers windows). */
function project(): FakeSource {
  const rand = random(5);
  const source = new FakeSource().answerWindows();
  for (let r = 0; r < RUNS; r++) {
    const metrics: Record<string, number[]> = {};
    for (const [m, name] of METRICS.entries()) {
      let y = 0;
      metrics[name] = range(N).map(() => (y += rand() - 0.5));
      metrics[name][(r * 997 + m * 131) % N] = 1e6;
    }
    source.add({ run_id: `r${r}`, steps: range(N), metrics });
  }
  return source;
}

const runIds = range(RUNS).map((r) => `r${r}`);
const whole = (metric: string) => ({ metric, runIds, xAxis: 'step' as const, buckets: 200, maxRawPoints: 0 });
const pointsOf = (lines: LineSeries[]) => lines.map((l) => ({ runId: l.runId, points: l.points }));
const overviewCalls = (source: FakeSource, metric: string) =>
  source.metricCalls.filter((c) => c.metric === metric && c.overviewBuckets !== undefined).length;

async function tablesOf(store: WorkspaceStore): Promise<string[]> {
  const rows = await store.sql(
    "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ws_%' ORDER BY 1",
  );
  return rows.map((r) => String(r.table_name));
}

describe('the memory budget of metrics kept on the server', () => {
  test('the least recently viewed metric is evicted, its tables dropped, and re-fetched when viewed again', async () => {
    const source = project();
    const store = new WorkspaceStore({
      engine,
      source,
      memoryBudgetBytes: BUDGET,
      localMetricBytes: 1000,
    });
    await store.listRuns();
    const first = pointsOf(await store.lineSeries(whole('m1')));
    const m2 = pointsOf(await store.lineSeries(whole('m2')));
    // Each metric counts its overview's bytes (the far runs' rows in JS), and two fit.
    assert.equal(store.memory().usedBytes, 2 * OVERVIEW_BYTES);
    assert.deepEqual(store.memory().metrics, ['m1', 'm2']);
    // Viewing m1 again makes m2 the least recently viewed: opening m3 evicts m2, not m1.
    assert.deepEqual(pointsOf(await store.lineSeries(whole('m1'))), first);
    await store.lineSeries(whole('m3'));
    assert.deepEqual(store.memory().metrics, ['m1', 'm3']);
    assert.ok(store.memory().usedBytes <= BUDGET, `${store.memory().usedBytes} > ${BUDGET}`);
    assert.deepEqual(await tablesOf(store), ['ws_lvl_0', 'ws_lvl_2', 'ws_raw_0', 'ws_raw_2']);
    assert.equal(overviewCalls(source, 'm1'), 1, 'a metric still held is not fetched again');
    // m2 comes back from the source, with the same lines (its spikes included); m1 is now the one to go.
    assert.deepEqual(pointsOf(await store.lineSeries(whole('m2'))), m2);
    assert.equal(overviewCalls(source, 'm2'), 2);
    assert.deepEqual(store.memory().metrics, ['m3', 'm2']);
    assert.ok(store.memory().usedBytes <= BUDGET);
    for (const line of m2)
      assert.ok(
        line.points.some((p) => p.y === 1e6),
        `spike of ${line.runId}`,
      );
    await store.dispose();
  });

  test('a zoom after an eviction is still one window of the source, exact to its spikes', async () => {
    const source = project();
    const store = new WorkspaceStore({ engine, source, memoryBudgetBytes: BUDGET, localMetricBytes: 1000 });
    await store.listRuns();
    for (const metric of METRICS) await store.lineSeries(whole(metric));
    assert.deepEqual(store.memory().metrics, ['m2', 'm3']);
    const spike = (997 * 1) % N; // run r1's spike in m1
    const zoom = { ...whole('m1'), range: [spike - 300, spike + 300] as [number, number] };
    const before = source.windowCalls.length;
    const lines = await store.lineSeries(zoom);
    assert.equal(source.windowCalls.length, before + 1);
    const r1 = lines.find((l) => l.runId === 'r1') as LineSeries;
    assert.ok(r1.points.some((p) => p.x === spike && p.y === 1e6));
    assert.ok(store.memory().usedBytes <= BUDGET);
    await store.dispose();
  });
});
