import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatchUpCoordinator } from '../../src/live/CatchUpCoordinator.js';
import { SequenceTracker } from '../../src/live/SequenceTracker.js';

const RUN = 'c4tchup0';

/** A page's view of one run: the tracker, a coordinator over it, and every frame delivered or transferred. */
function page() {
  let now = 0;
  const tracker = new SequenceTracker<number>();
  const view = {
    lastSeq: (runId: string) => tracker.lastSeq(runId),
    gapAfter: (runId: string) => (tracker.heldCount(runId) > 0 ? tracker.lastSeq(runId) : null),
  };
  const coordinator = new CatchUpCoordinator<string>(view, { now: () => now, parkMs: 2000 });
  const delivered: number[] = [];
  let transferred = 0;
  const offer = (seqs: number[]) => {
    for (const seq of seqs) {
      transferred += 1;
      for (const frame of tracker.offer(RUN, seq, seq).ready) delivered.push(frame.seq);
    }
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return { coordinator, delivered, offer, advance, transferred: () => transferred };
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test('a live frame before the panel mounts parks the whole-history replay; the store read then serves it once', () => {
  const { coordinator, delivered, offer, transferred } = page();
  offer([40]); // live, right after the reload, before the panel has mounted
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'gap'), null, 'parked, not sent');
  assert.equal(coordinator.beginStoreRead(RUN, 'first'), true);
  offer([41]); // live during the read: held
  offer(range(0, 41)); // the store had 0..40
  assert.equal(coordinator.endStoreRead(RUN, true), null, 'nothing is missing, so no replay at all');
  assert.equal(coordinator.releaseParked(RUN), null);
  assert.deepEqual(delivered, range(0, 42));
  assert.equal(transferred(), 42 + 1, 'only frame 40 travelled twice (live, then in the store read)');
});

test('while the store is read, gap replays wait; afterwards only the gap that remains is replayed', () => {
  const { coordinator, delivered, offer, transferred } = page();
  assert.equal(coordinator.beginStoreRead(RUN, 'first'), true);
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

test('a kernel announcing the run during the read gets a tail replay after the last stored frame', () => {
  const { coordinator, offer } = page();
  coordinator.beginStoreRead(RUN, 'first');
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'announced'), null);
  offer(range(0, 30));
  // Frames sent before the comm was heard may be missing with nothing held to show it: ask for what follows 29.
  assert.deepEqual(coordinator.endStoreRead(RUN, true), { channel: 'kernel', runId: RUN, afterSeq: 29 });
});

test('a parked replay no panel claims is sent after the parking time, and only for what is still missing', () => {
  const { coordinator, advance } = page();
  assert.equal(coordinator.requestReplay(RUN, 'kernel', -1, 'announced'), null);
  advance(1000);
  assert.equal(coordinator.parkedDueIn(RUN), 1000);
  assert.equal(coordinator.releaseParked(RUN), null, 'still within the parking time');
  advance(1000);
  assert.deepEqual(coordinator.releaseParked(RUN), { channel: 'kernel', runId: RUN, afterSeq: -1 });
  assert.equal(coordinator.parkedDueIn(RUN), null, 'nothing is parked any more');

  // A run the kernel just created streams from seq 0: once that is contiguous, nothing is replayed.
  const fresh = page();
  fresh.coordinator.requestReplay(RUN, 'kernel', -1, 'gap');
  fresh.offer([0, 1, 2]);
  fresh.advance(2000);
  assert.equal(fresh.coordinator.releaseParked(RUN), null);
});

test("a panel's first store read goes ahead while a replay is on its way (a busy kernel answers late)", () => {
  const { coordinator } = page();
  coordinator.beginStoreRead(RUN, 'first');
  coordinator.endStoreRead(RUN, true);
  assert.ok(coordinator.requestReplay(RUN, 'kernel', 10, 'gap'));
  assert.equal(coordinator.beginStoreRead(RUN, 'poll'), false, 'a poll waits for the replay');
  assert.equal(coordinator.beginStoreRead(RUN, 'first'), true, "a panel's first read does not");
  assert.equal(coordinator.beginStoreRead(RUN, 'first'), false, 'but never two reads at once');
});

test('a failed store read falls back to a comm replay of everything, or to nothing without a kernel', () => {
  const { coordinator } = page();
  coordinator.beginStoreRead(RUN, 'first');
  assert.equal(coordinator.endStoreRead(RUN, false), null, 'no kernel holds the run');
  coordinator.carry(RUN, 'kernel');
  coordinator.beginStoreRead(RUN, 'first');
  assert.deepEqual(coordinator.endStoreRead(RUN, false), { channel: 'kernel', runId: RUN, afterSeq: -1 });
  assert.equal(coordinator.isCatchingUp(RUN), true);
});

test('a replay in flight covers later gaps until it expires; a re-announcement is always answered', () => {
  const { coordinator, advance } = page();
  assert.ok(coordinator.requestReplay(RUN, 'kernel', 3, 'gap'));
  advance(1000);
  assert.equal(coordinator.requestReplay(RUN, 'kernel', 5, 'gap'), null);
  assert.ok(coordinator.requestReplay(RUN, 'kernel', 5, 'announced'), 'a reattached comm may have lost it');
  advance(6000);
  assert.deepEqual(coordinator.requestReplay(RUN, 'kernel', 6, 'gap'), {
    channel: 'kernel',
    runId: RUN,
    afterSeq: 6,
  });
  coordinator.replayAnswered(RUN);
  assert.equal(coordinator.beginStoreRead(RUN, 'poll'), true);
});

test('a channel that goes away orphans the runs only it held and cancels its replays', () => {
  const { coordinator } = page();
  coordinator.carry(RUN, 'a');
  coordinator.carry('shared', 'a');
  coordinator.carry('shared', 'b');
  coordinator.requestReplay(RUN, 'a', 3, 'gap');
  assert.deepEqual(coordinator.dropChannel('a'), [RUN]);
  assert.equal(coordinator.isCarried(RUN), false);
  assert.equal(coordinator.isCarried('shared'), true);
  assert.equal(coordinator.isCatchingUp(RUN), false);
  coordinator.dropCarrier('shared', 'b');
  assert.equal(coordinator.isCarried('shared'), false);
});
