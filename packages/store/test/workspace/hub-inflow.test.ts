// One inflow per page: the workspace's live tail reads a run a kernel delivers from the run hub's rows (the same
// DuckDB database, another connection), polls /history only for runs no kernel delivers, and a run that changes
// hands (the kernel goes away, or the hub catches up) keeps every point exactly once.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { type ReplayChannel, RunHub } from '../../src/live/RunHub.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { workspaceConnection } from '../../src/workspace/connection.js';
import { WorkspaceStore } from '../../src/workspace/WorkspaceStore.js';
import { FakeSource } from '../support/workspace-source.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** A FakeSource that counts the /history reads of the live tail. */
class CountingSource extends FakeSource {
  historyReads: number[] = [];
  override history(runDir: string, afterSeq: number): Promise<Uint8Array> {
    this.historyReads.push(afterSeq);
    return super.history(runDir, afterSeq);
  }
}

/** A kernel's comm as the hub sees it; replays are not needed here (frames are offered in order). */
const kernel: ReplayChannel = { sendReplay: () => undefined };

let engine: SqlEngine;
/** A connection to `engine` for the test's hub (the hub closes it), or for a workspace. */
const connect = () => (engine.connect as () => Promise<SqlEngine>)();
let hub: RunHub;
/** Each test's run has its own id: the hubs of all tests share one database (starting DuckDB takes seconds). */
let runId = '';
let runs = 0;
let store: WorkspaceStore;
/** The store a test opened (disposed after it). */
let opened: { store: WorkspaceStore; connection: SqlEngine } | null = null;
let source: CountingSource;
let updates: string[][];

before(async () => {
  engine = await createNodeEngine();
});
after(() => engine.close());

beforeEach(async () => {
  hub = new RunHub({ startEngine: connect });
  await hub.database();
  runId = `live-${runs++}`;
  source = new CountingSource().add({ run_id: runId, state: 'running', steps: [], metrics: {} });
  updates = [];
});
afterEach(async () => {
  await opened?.store.dispose();
  await opened?.connection.close();
  opened = null;
  hub.dispose();
});

async function openStore(xMetric?: string): Promise<void> {
  const connection = await workspaceConnection(connect);
  store = new WorkspaceStore({ engine: connection, source, hub });
  opened = { store, connection };
  await store.listRuns();
  await store.loadMetric('loss', xMetric ? { xMetric } : {});
  store.onMetricUpdated((_m, ids) => updates.push(ids));
}

/** The run logs `n` more steps: one frame in its framed log (the store) and returns its seq. */
function log(n: number, extra: Record<string, (s: number) => number> = {}): number {
  const run = source.runs.get(runId);
  const from = run?.steps.length ?? 0;
  const steps = range(n, from);
  const metrics: Record<string, number[]> = { loss: steps.map((s) => s / 10) };
  for (const [name, f] of Object.entries(extra)) metrics[name] = steps.map(f);
  source.appendRows(runId, steps, metrics);
  return (run?.frames?.length ?? 0) - 1;
}

/** The kernel sends frames `seqs` of the run over its comm (one chunk each). */
function offer(...seqs: number[]): void {
  const frames = source.runs.get(runId)?.frames ?? [];
  for (const seq of seqs) {
    const payload = frames[seq];
    hub.offerChunk(
      { run_id: runId, seq, rows: 0, total_bytes: payload.byteLength, offset: 0 },
      payload,
      kernel,
    );
  }
}

/** As offer, and resolves once the hub has ingested what it released. */
async function deliver(...seqs: number[]): Promise<void> {
  const ingested = new Promise<void>((resolve) => {
    const done = () => {
      hub.historyIngested.disconnect(done);
      resolve();
    };
    hub.historyIngested.connect(done);
  });
  offer(...seqs);
  await ingested;
}

async function liveSteps(xAxis = 'step'): Promise<number[]> {
  const [line] = await store.lineSeries({ metric: 'loss', runIds: [runId], xAxis, buckets: 1000 });
  return line.points.map((p) => p.x);
}

/** A run a kernel delivers: 10 steps before the workspace opens, 5 after, and one live pass. */
async function followDeliveredRun(): Promise<void> {
  log(10);
  await deliver(0);
  await openStore();
  log(5);
  await deliver(1);
  await store.pollLive();
}

describe('the workspace live tail reads what the hub holds', () => {
  test('a run a kernel delivers grows from the hub with no /history read', async () => {
    await followDeliveredRun();
    assert.deepEqual(await liveSteps(), range(15));
    assert.deepEqual(updates, [[runId]]);
    log(3);
    log(4);
    await deliver(2, 3);
    await store.pollLive();
    await store.pollLive(); // nothing new: no second copy of any row
    assert.deepEqual(await liveSteps(), range(22));
    assert.deepEqual(updates, [[runId], [runId]]);
    assert.deepEqual(source.historyReads, [], 'no /history read for a delivered run');
  });

  test('a run no kernel delivers is read from /history', async () => {
    log(10);
    await openStore();
    log(5);
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(15));
    assert.deepEqual(source.historyReads, [0]);
  });

  test('a kernel that has frames missing (a reload mid-cell) leaves the run polled until the hub has them all', async () => {
    log(10);
    log(5);
    await openStore();
    log(5);
    offer(2); // frames 0 and 1 are missing: the hub holds 2 back and releases nothing
    assert.equal(hub.deliversLive(runId), false);
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(20));
    assert.deepEqual(source.historyReads, [1]);
    await deliver(0, 1); // the replay arrives: the hub has 0..2
    log(5);
    await deliver(3);
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(25), 'every step once after the switch to the hub');
    assert.deepEqual(source.historyReads, [1], 'no more /history reads once the hub delivers');
  });

  test('a hub behind the loaded data adds only the steps after it', async () => {
    log(10);
    log(5);
    await deliver(0);
    await openStore(); // the server's answer reaches frame 1, the hub frame 0
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(15));
    log(5);
    await deliver(1, 2);
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(20));
    assert.deepEqual(source.historyReads, []);
  });

  test('when the kernel goes away the run is handed to /history without a lost or repeated point', async () => {
    await followDeliveredRun();
    log(5); // written to the store while the kernel dies: never delivered
    log(5);
    hub.dropChannel(kernel);
    assert.equal(hub.deliversLive(runId), false);
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(25));
    assert.deepEqual(source.historyReads, [1], '/history from the last frame the hub had ingested');
    await store.pollLive();
    assert.deepEqual(await liveSteps(), range(25));
  });

  test('an x metric logged in the same rows comes along from the hub', async () => {
    log(10, { epoch: (s) => Math.floor(s / 5) });
    await deliver(0);
    await openStore('epoch');
    log(10, { epoch: (s) => Math.floor(s / 5) });
    await deliver(1);
    await store.pollLive();
    const [line] = await store.lineSeries({ metric: 'loss', runIds: [runId], xAxis: 'epoch', buckets: 1000 });
    assert.equal(line.pointsInRange, 20);
    assert.deepEqual([...new Set(line.points.map((p) => p.x))], [0, 1, 2, 3]);
    assert.deepEqual(source.historyReads, []);
  });
});

describe('one database per page', () => {
  test('two workspaces keep their tables apart beside the hub, and closing one drops its tables', async () => {
    const a = await workspaceConnection(connect);
    const b = await workspaceConnection(connect);
    await a.query('CREATE TABLE runs AS SELECT 1 AS n');
    await b.query('CREATE TABLE runs AS SELECT 2 AS n');
    assert.equal(Number((await a.query('SELECT n FROM runs')).getChild('n')?.get(0)), 1);
    assert.equal(Number((await b.query('SELECT n FROM runs')).getChild('n')?.get(0)), 2);
    await a.close();
    const left = await engine.query(
      "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'runs'",
    );
    assert.equal(left.getChild('n')?.get(0), 1);
    const hubRows = await b.query(`SELECT count(*)::INTEGER AS n FROM main.points WHERE run_id = '${runId}'`);
    assert.equal(hubRows.getChild('n')?.get(0), 0, "the hub's tables are readable from a workspace");
    await b.close();
  });
});
