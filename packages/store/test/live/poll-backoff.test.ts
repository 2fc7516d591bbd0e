import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PollBackoff } from '../../src/live/poll-backoff.js';

test('polls stay at the fastest rate while they find data and slow down to the cap while nothing changes', () => {
  const backoff = new PollBackoff({ minMs: 1000, maxMs: 10_000, factor: 2 });
  assert.equal(backoff.next(true), 1000);
  assert.deepEqual(
    Array.from({ length: 6 }, () => backoff.next(false)),
    [2000, 4000, 8000, 10_000, 10_000, 10_000],
  );
  assert.equal(backoff.next(true), 1000, 'new data brings the rate back at once');
  backoff.next(false);
  backoff.reset();
  assert.equal(backoff.next(false), 2000, 'reset starts the growth again from the fastest rate');
});
