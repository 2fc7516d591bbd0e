// The live core end to end without a browser: the real RunHub, FramePipeline and RunDatabase over DuckDB-WASM's
// Node bundle, real Arrow IPC frames and framed logs; only the kernel comm and the server are fakes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunHub } from '../../src/live/RunHub.js';
import type { RunChange } from '../../src/live/run-source.js';
import { StoreFollowers } from '../../src/live/StoreFollowers.js';
import {
  FakeKernel,
  FakeStore,
  pause,
  recordChanges,
  stepsOf,
  storedSteps,
  testHub,
  until,
} from '../support/live-hub.js';

const FAST = { poll: { minMs: 20, maxMs: 80 }, metadataPollMs: 40 };

/** Runs a test on a fresh hub; `follow` starts store followers that end with the test, passed or not. */
async function withHub(
  body: (hub: RunHub, followersOf: (store: FakeStore) => StoreFollowers) => Promise<void>,
): Promise<void> {
  const hub = testHub();
  const made: StoreFollowers[] = [];
  const followersOf = (store: FakeStore) => {
    const followers = new StoreFollowers(hub, store, FAST);
    made.push(followers);
    return followers;
  };
  try {
    await body(hub, followersOf);
  } finally {
    for (const followers of made) followers.dispose();
    hub.dispose();
  }
}

const rowChanges = (changes: RunChange[]) => changes.filter((c) => c.kind === 'rows').length;

async function hasSteps(hub: RunHub, runId: string, frames: number): Promise<boolean> {
  return (await storedSteps(hub, runId)).length >= frames * 4;
}

test('a gap asks its kernel for one replay, and the replayed frames fill it exactly once', () =>
  withHub(async (hub) => {
    const kernel = new FakeKernel(hub);
    kernel.answerAtOnce = false;
    kernel.write('a', 6);
    const changes = recordChanges(hub.run('a'));
    kernel.deliver('a', 0, 1, 3); // frame 2 lost on the way
    assert.deepEqual(kernel.replays, [{ runId: 'a', afterSeq: 1, stream: 'history' }]);
    kernel.deliver('a', 4); // still missing 2: the replay on its way covers it, none is asked again
    assert.equal(kernel.replays.length, 1);
    await until(() => hasSteps(hub, 'a', 2), 'frames 0 and 1');
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(2), 'frames after the gap wait in order');

    kernel.answerReplays(); // frames 2..5, of which 3 and 4 arrived already
    await until(() => hasSteps(hub, 'a', 6), 'the replayed frames');
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(6));
    assert.equal(hub.stats().framesIngested, 6, 'each frame ingested once');
    assert.equal(hub.lastSeq('a'), 5);
    assert.equal(kernel.replays.length, 1);
    assert.deepEqual(hub.run('a').status(), { kind: 'ready' });
    assert.ok(rowChanges(changes) >= 2 && changes.every((c) => c.kind !== 'status'));
  }));

test('after a page reload the hub catches up from the store once, then follows the kernel live without duplicates', () =>
  withHub(async (hub, followersOf) => {
    const store = new FakeStore();
    const kernel = new FakeKernel(hub);
    kernel.write('a', 12);
    store.write('a', 'running', 10); // the store holds frames 0..9; 10 and 11 are still being written
    const followers = followersOf(store);
    const changes = recordChanges(hub.run('a'));

    kernel.hello('a'); // the reloaded page reattaches to the kernel's comm
    assert.equal(kernel.replays.length, 0, 'a whole-history replay waits for the panel to read the store');
    followers.follow('a', '/store/p/a'); // the run's panel mounts
    kernel.deliver('a', 10, 11); // live frames arrive while the store is read
    await until(() => hasSteps(hub, 'a', 12), 'the store frames and the live ones');
    await until(() => kernel.replays.length > 0, 'the replay for what the store may have missed');
    assert.deepEqual(
      kernel.replays,
      [{ runId: 'a', afterSeq: 11, stream: 'history' }],
      'never the history again',
    );
    assert.deepEqual(store.historyReads, [{ runDir: '/store/p/a', afterSeq: -1 }]);

    kernel.write('a', 2);
    kernel.deliver('a', 12, 13);
    await until(() => hasSteps(hub, 'a', 14), 'live frames after the catch-up');
    await pause(200); // the follower only re-reads run.json while the kernel delivers the run
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(14));
    assert.equal(store.historyReads.length, 1);
    assert.ok(store.metadataReads >= 2);
    assert.equal(hub.stats().framesIngested, 14);
    assert.deepEqual(hub.run('a').status(), { kind: 'ready' });
    assert.ok(changes.some((c) => c.kind === 'details') && rowChanges(changes) >= 2);
  }));

test('a restarted kernel continuing the same run is caught up after its last frame, nothing duplicated', () =>
  withHub(async (hub, followersOf) => {
    const store = new FakeStore();
    const kernel = new FakeKernel(hub);
    kernel.write('a', 5);
    store.write('a', 'running', 5);
    const orphaned: string[] = [];
    hub.orphaned.connect((_, runId) => orphaned.push(runId));
    const followers = followersOf(store);
    kernel.deliver('a', 0, 1, 2, 3, 4);
    followers.follow('a', '/store/p/a');
    await until(() => hasSteps(hub, 'a', 5), 'the first kernel frames');

    kernel.drop(); // restart: JupyterLab disposes the comm
    assert.deepEqual(orphaned, ['a']);
    assert.equal(hub.isCarried('a'), false);
    kernel.write('a', 3); // the new process resumes the run: frames 5..7, the store gets them too
    store.write('a', 'running', 3);
    kernel.hello('a');
    kernel.deliver('a', 7);
    await until(() => hasSteps(hub, 'a', 8), 'the resumed frames');
    await pause(150); // any poll the orphaned follower started has ended
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(8));
    assert.equal(
      hub.stats().framesIngested,
      8,
      'each frame once, whether it came by replay, live or the store',
    );
    assert.ok(hub.isCarried('a'));
    assert.deepEqual(hub.run('a').status(), { kind: 'ready' });
  }));

test('a restarted kernel starting a new run leaves the old run as it was and fills the new one', () =>
  withHub(async (hub) => {
    const kernel = new FakeKernel(hub);
    kernel.write('a', 3);
    kernel.deliver('a', 0, 1, 2);
    await until(() => hasSteps(hub, 'a', 3), 'the first run');
    kernel.drop();
    kernel.write('b', 4);
    const changesA = recordChanges(hub.run('a'));
    kernel.hello('b');
    kernel.deliver('b', 0, 1, 2, 3);
    await until(() => hasSteps(hub, 'b', 4), 'the new run');
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(3));
    assert.deepEqual(await storedSteps(hub, 'b'), stepsOf(4));
    assert.equal(hub.isCarried('a'), false);
    assert.ok(hub.isCarried('b'));
    assert.deepEqual(changesA, [], 'the old run hears nothing of the new one');
    assert.equal(hub.run('b').summary().name, 'name-b');
  }));

test('two kernels deliver different runs: each gap is replayed by its own kernel, a drop orphans only its runs', () =>
  withHub(async (hub) => {
    const one = new FakeKernel(hub);
    const two = new FakeKernel(hub);
    one.write('a', 4);
    two.write('b', 4);
    one.deliver('a', 0);
    two.deliver('b', 0, 2); // b's frame 1 lost
    one.deliver('a', 1, 2, 3);
    two.deliver('b', 3);
    await until(async () => (await hasSteps(hub, 'a', 4)) && (await hasSteps(hub, 'b', 4)), 'both runs');
    assert.deepEqual(one.replays, []);
    assert.deepEqual(two.replays, [{ runId: 'b', afterSeq: 0, stream: 'history' }]);
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(4));
    assert.deepEqual(await storedSteps(hub, 'b'), stepsOf(4));

    const orphaned: string[] = [];
    hub.orphaned.connect((_, runId) => orphaned.push(runId));
    one.drop();
    assert.deepEqual(orphaned, ['a']);
    assert.ok(hub.isCarried('b'));
  }));

test('a run finished elsewhere is polled from the store until run.json says finished, then polling stops', () =>
  withHub(async (hub, followersOf) => {
    const store = new FakeStore();
    store.write('a', 'running', 3); // a script or another kernel writes it; no kernel of this page delivers it
    const followers = followersOf(store);
    const changes = recordChanges(hub.run('a'));
    followers.follow('a', '/store/p/a');
    await until(() => hasSteps(hub, 'a', 3), 'the first read');
    await until(() => store.historyReads.length >= 3, 'polls of the running run');
    assert.equal(hub.run('a').summary().state, 'running');

    store.write('a', 'finished', 2);
    await until(() => hub.run('a').summary().state === 'finished', 'the finished state');
    const reads = store.historyReads.length;
    await pause(300); // several poll intervals
    assert.equal(store.historyReads.length, reads, 'no poll after the run ended');
    assert.deepEqual(await storedSteps(hub, 'a'), stepsOf(5));
    assert.equal(hub.stats().framesIngested, 5);
    assert.deepEqual(hub.run('a').status(), { kind: 'ready' });
    // The header says finished only after the rows logged before it are queryable.
    const lastRows = changes.map((c) => c.kind).lastIndexOf('rows');
    const finished = changes.map((c) => c.kind).lastIndexOf('details');
    assert.ok(lastRows >= 0 && finished > lastRows);
    // Each poll asked only for what the page lacked.
    assert.ok(
      store.historyReads.every((r, i) => i === 0 || r.afterSeq >= store.historyReads[i - 1].afterSeq),
    );
  }));
