import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, runDurationSeconds } from '../src/run-timing.js';

const times = { created_at: 1000, finished_at: null, heartbeat_at: null, updated_at: null };

test('a live run has run until now; an ended one until it finished or last showed life', () => {
  assert.equal(runDurationSeconds({ ...times, state: 'running' }, 1042), 42);
  assert.equal(runDurationSeconds({ ...times, state: 'preempting' }, 1050), 50);
  assert.equal(runDurationSeconds({ ...times, state: 'finished', finished_at: 1010 }, 5000), 10);
  assert.equal(runDurationSeconds({ ...times, state: 'crashed', heartbeat_at: 1020 }, 5000), 20);
  assert.equal(runDurationSeconds({ ...times, created_at: null, state: 'running' }, 5000), null);
});

test('durations read like wandb: seconds, then minutes, hours and days', () => {
  assert.equal(formatDuration(0.4), '0s');
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(187), '3m 07s');
  assert.equal(formatDuration(7500), '2h 05m');
  assert.equal(formatDuration(3 * 86_400 + 4 * 3600 + 59), '3d 4h');
});
