import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatchUpCoordinator } from '../src/CatchUpCoordinator.js';
import { SequenceTracker } from '../src/SequenceTracker.js';

const RUN = 'c4tchup0';

/** A page's view of one run: the tracker, a coordinator over it, and every frame delivered or transferred. */
function page(options: { now?: () => number } = {}) {
  const tracker = new SequenceTracker<number>();
  const view = {
    lastSeq: (runId: string) => tracker.lastSeq(runId),
    gapAfter: (runId: string) => (tracker.heldCount(runId) > 0 ? tracker.lastSeq(runId) : null),
  };
  const coordinator = new CatchUpCoordinator<string>(view, options);
  const delivered: number[] = [];
  let transferred = 0;
  const offer = (seqs: number[]) => {
    for (const seq of seqs) {
      transferred += 1;
      for (const frame of tracker.offer(RUN, seq, seq).ready) delivered.push(frame.seq);
    }
  };
  return { tracker, coordinator, delivered, offer, transferred: () => transferred };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test('a live frame arriving before the store read is held, and the read fills the gap without a replay', () => {
  const { coordinator, delivered, offer, transferred } = page();
  offer([40]); // live, right after the reload
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'gap')?.afterSeq, -1);
  // The replay is in flight, so the panel's store read waits; the replay brings the history instead.
  assert.equal(coordinator.beginStoreRead(RUN), false);
  offer(range(0, 40));
  coordinator.replayAnswered(RUN);
  assert.deepEqual(delivered, range(0, 41));
  assert.equal(transferred(), 41, 'the history travelled once');
});

test('while the store is read, gap replays wait; afterwards only the gap that remains is replayed', () => {
  const { coordinator, delivered, offer, transferred } = page();
  assert.equal(coordinator.beginStoreRead(RUN), true);
  offer([45, 46]); // live frames during the read: held
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'gap'), null, 'deferred, not sent');
  offer(range(0, 42)); // the store had 0..41; 42..44 were sent before the comm was heard
  assert.deepEqual(coordinator.endStoreRead(RUN, true), { channel: 'kernel', runId: RUN, afterSeq: 41 });
  offer([42, 43, 44, 45, 46]); // the replay's answer
  coordinator.replayAnswered(RUN);
  offer([47]); // live
  assert.deepEqual(delivered, range(0, 48));
  assert.equal(transferred(), 48 + 2, 'only the two live frames the replay also carried travelled twice');
});

test('when the store read covers the frames held meanwhile, no replay is asked for at all', () => {
  const { coordinator, delivered, offer } = page();
  coordinator.beginStoreRead(RUN);
  offer([10]);
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'gap'), null);
  offer(range(0, 11));
  assert.equal(coordinator.endStoreRead(RUN, true), null);
  assert.deepEqual(delivered, range(0, 11));
});

test('a kernel announcing the run during the read gets a tail replay after the last stored frame', () => {
  const { coordinator, offer } = page();
  coordinator.beginStoreRead(RUN);
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'announced'), null);
  offer(range(0, 30));
  // Frames sent before the comm was heard may be missing with nothing held to show it: ask for what follows 29.
  assert.deepEqual(coordinator.endStoreRead(RUN, true), { channel: 'kernel', runId: RUN, afterSeq: 29 });
});

test('a failed store read falls back to a comm replay of everything, or to nothing without a kernel', () => {
  const { coordinator } = page();
  coordinator.beginStoreRead(RUN);
  assert.equal(coordinator.endStoreRead(RUN, false), null, 'no kernel holds the run');
  coordinator.carry(RUN, 'kernel');
  coordinator.beginStoreRead(RUN);
  assert.deepEqual(coordinator.endStoreRead(RUN, false), { channel: 'kernel', runId: RUN, afterSeq: -1 });
  assert.equal(coordinator.isCatchingUp(RUN), true);
});

test('a replay in flight covers later gaps until it expires; a re-announcement is always answered', () => {
  let now = 0;
  const { coordinator } = page({ now: () => now });
  assert.ok(coordinator.requestReplay(RUN, 'kernel', 3, 'gap'));
  now = 1000;
  assert.equal(coordinator.requestReplay(RUN, 'kernel', 5, 'gap'), null);
  assert.ok(coordinator.requestReplay(RUN, 'kernel', 5, 'announced'), 'a reattached comm may have lost it');
  now = 7000;
  assert.deepEqual(coordinator.requestReplay(RUN, 'kernel', 6, 'gap'), {
    channel: 'kernel',
    runId: RUN,
    afterSeq: 6,
  });
  coordinator.replayAnswered(RUN);
  assert.equal(coordinator.beginStoreRead(RUN), true);
});

test('a channel that goes away orphans the runs only it held and cancels its replays', () => {
  const { coordinator } = page();
  coordinator.carry(RUN, 'a');
  coordinator.carry('shared', 'a');
  coordinator.carry('shared', 'b');
  coordinator.requestReplay(RUN, 'a', -1, 'gap');
  assert.deepEqual(coordinator.dropChannel('a'), [RUN]);
  assert.equal(coordinator.isCarried(RUN), false);
  assert.equal(coordinator.isCarried('shared'), true);
  assert.equal(coordinator.isCatchingUp(RUN), false);
  coordinator.dropCarrier('shared', 'b');
  assert.equal(coordinator.isCarried('shared'), false);
});
