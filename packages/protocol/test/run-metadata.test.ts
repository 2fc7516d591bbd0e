import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunMetadata } from '../src/run-metadata.js';

test('a full run.json gives every field the panel shows', () => {
  const meta = parseRunMetadata(
    {
      run_id: 'r1',
      name: 'hearty-sunset-1',
      project: 'p',
      state: 'preempting',
      created_at: 100,
      finished_at: null,
      heartbeat_at: 105,
      config: { lr: 0.01, optimizer: { name: 'adam' } },
      summary: { best_acc: 0.9, loss: 'NaN' },
      tags: ['baseline', 3],
      notes: 'first try',
      group: 'g',
      job_type: 'train',
      metrics: { 'train/*': { step_metric: 'epoch', hidden: false }, secret: { hidden: true }, bad: 1 },
    },
    'fallback',
  );
  assert.equal(meta.run_id, 'r1');
  assert.equal(meta.state, 'preempting');
  assert.equal(meta.finished_at, null);
  assert.deepEqual(meta.tags, ['baseline']);
  assert.deepEqual(meta.metrics, {
    'train/*': { step_metric: 'epoch', hidden: false },
    secret: { step_metric: null, hidden: true },
  });
  assert.deepEqual(meta.summary, { best_acc: 0.9, loss: 'NaN' });
});

test('saved files and alerts are read, malformed entries left out', () => {
  const meta = parseRunMetadata(
    {
      files: [{ path: 'ckpt/a.pt', policy: 'end', size: 12 }, { size: 3 }, 'x'],
      alerts: [
        { title: 'loss high', text: 'loss 3', level: 'WARN', at: 10 },
        { text: 'no title' },
        { title: 't', level: 'LOUD' },
      ],
    },
    'r',
  );
  assert.deepEqual(meta.files, [{ path: 'ckpt/a.pt', policy: 'end', size: 12 }]);
  assert.deepEqual(meta.alerts, [
    { title: 'loss high', text: 'loss 3', level: 'WARN', at: 10 },
    { title: 't', text: '', level: 'INFO', at: null },
  ]);
  assert.deepEqual(parseRunMetadata({}, 'r').files, []);
});

test('run.json "degraded" and "dropped_rows" are read; absent or without a reason they are null and 0', () => {
  const meta = parseRunMetadata(
    {
      degraded: { reason: 'directory deleted', path: '/s/p/r', message: 'gone', since: 5, unstored_rows: 7 },
      dropped_rows: 12,
    },
    'r1',
  );
  assert.deepEqual(meta.degraded, {
    reason: 'directory deleted',
    path: '/s/p/r',
    message: 'gone',
    since: 5,
    unstored_rows: 7,
    dropped_rows: 0,
  });
  assert.equal(meta.dropped_rows, 12);
  assert.equal(parseRunMetadata({ degraded: { path: '/s' } }, 'r1').degraded, null);
  assert.equal(parseRunMetadata({}, 'r1').degraded, null);
  assert.equal(parseRunMetadata({}, 'r1').dropped_rows, 0);
});

test('an older or mangled run.json still parses, with absent fields empty', () => {
  const meta = parseRunMetadata({ state: 'exploded', config: [1], created_at: 'yesterday' }, 'r2');
  assert.equal(meta.run_id, 'r2');
  assert.equal(meta.state, null);
  assert.equal(meta.created_at, null);
  assert.deepEqual(meta.config, {});
  assert.deepEqual(meta.tags, []);
  assert.deepEqual(parseRunMetadata(null, 'r3').metrics, {});
});
