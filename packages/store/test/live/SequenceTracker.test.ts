import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SequenceTracker } from '../../src/live/SequenceTracker.js';

const seqs = (result: { ready: { seq: number }[] }) => result.ready.map((f) => f.seq);

test('frames in order are released at once and no gap is reported', () => {
  const tracker = new SequenceTracker<string>();
  assert.deepEqual(tracker.offer('r', 0, 'a'), { ready: [{ seq: 0, payload: 'a' }], gapAfter: null });
  assert.deepEqual(seqs(tracker.offer('r', 1, 'b')), [1]);
  assert.equal(tracker.lastSeq('r'), 1);
  assert.equal(tracker.lastSeq('other'), -1);
});

test('duplicates are dropped', () => {
  const tracker = new SequenceTracker<string>();
  tracker.offer('r', 0, 'a');
  assert.deepEqual(tracker.offer('r', 0, 'a'), { ready: [], gapAfter: null });
});

test('an early frame is held, the gap reported, and both released in order once the gap fills', () => {
  const tracker = new SequenceTracker<string>();
  tracker.offer('r', 0, 'a');
  assert.deepEqual(tracker.offer('r', 3, 'd'), { ready: [], gapAfter: 0 });
  assert.deepEqual(tracker.offer('r', 3, 'd'), { ready: [], gapAfter: 0 });
  assert.equal(tracker.heldCount('r'), 1);
  assert.deepEqual(tracker.offer('r', 1, 'b'), { ready: [{ seq: 1, payload: 'b' }], gapAfter: 1 });
  assert.deepEqual(tracker.offer('r', 2, 'c'), {
    ready: [
      { seq: 2, payload: 'c' },
      { seq: 3, payload: 'd' },
    ],
    gapAfter: null,
  });
});

test('after a page reload, live frames racing an overlapping replay deliver each seq exactly once, in order', () => {
  // The reloaded page first hears live frames 7 and 8, asks for a replay after -1 and gets 0..8, while live 9
  // and 10 arrive in the middle of the replay.
  const tracker = new SequenceTracker<number>();
  const delivered: number[] = [];
  const offer = (seq: number) => {
    const result = tracker.offer('run', seq, seq * 10);
    for (const f of result.ready) {
      assert.equal(f.payload, f.seq * 10);
      delivered.push(f.seq);
    }
    return result.gapAfter;
  };
  assert.equal(offer(7), -1);
  assert.equal(offer(8), -1);
  for (const seq of [0, 1, 2, 3, 4]) offer(seq);
  offer(9);
  for (const seq of [5, 6, 7, 8]) offer(seq);
  assert.equal(offer(10), null);
  assert.deepEqual(delivered, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('after a kernel restart, a replay of the whole history duplicates nothing already delivered', () => {
  const tracker = new SequenceTracker<number>();
  const delivered: number[] = [];
  for (const seq of [0, 1, 2, 3]) delivered.push(...seqs(tracker.offer('run', seq, seq)));
  for (const seq of [0, 1, 2, 3, 4, 5]) delivered.push(...seqs(tracker.offer('run', seq, seq)));
  assert.deepEqual(delivered, [0, 1, 2, 3, 4, 5]);
});

test('runs are tracked independently and reset forgets one run', () => {
  const tracker = new SequenceTracker<number>();
  tracker.offer('a', 0, 0);
  tracker.offer('b', 1, 1);
  assert.equal(tracker.lastSeq('a'), 0);
  assert.equal(tracker.lastSeq('b'), -1);
  tracker.reset('a');
  assert.deepEqual(seqs(tracker.offer('a', 0, 0)), [0]);
});

test('held frames are bounded per run; frames past the bound are left for the replay', () => {
  const tracker = new SequenceTracker<number>({ maxHeldPerRun: 2 });
  for (const seq of [5, 6, 7]) tracker.offer('r', seq, seq);
  assert.equal(tracker.heldCount('r'), 2);
  const released = [0, 1, 2, 3, 4].flatMap((s) => seqs(tracker.offer('r', s, s)));
  assert.deepEqual(released, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(seqs(tracker.offer('r', 7, 7)), [7]);
});
