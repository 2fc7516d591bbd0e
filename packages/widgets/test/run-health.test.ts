import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunMetadata, type RunDegraded } from '@spyglass/protocol';
import type { RunSummary } from '@spyglass/store';
import { healthBadge } from '../src/run-health.js';

const diskFull: RunDegraded = {
  reason: 'disk full',
  path: '/store/p/r/history.sglog',
  message: '/store/p/r/history.sglog: could not append frame 4: disk full; free space on that disk.',
  since: 1764280000,
  unstored_rows: 6000,
  dropped_rows: 0,
};
const summary = (degraded?: RunDegraded | null): RunSummary => ({
  runId: 'r',
  name: 'r',
  project: 'p',
  state: 'running',
  ...(degraded === undefined ? {} : { degraded }),
});

test('a degraded run shows its reason, with the message and the waiting rows in the title', () => {
  const badge = healthBadge(summary(diskFull), null);
  assert.equal(badge?.reason, 'disk full');
  assert.equal(badge?.text, 'not stored: disk full');
  assert.ok(badge?.title.startsWith(diskFull.message));
  assert.match(badge?.title ?? '', /6,000 logged rows wait in the kernel's memory/);
});

test("the kernel's word wins over run.json, which is read only for runs no kernel of the page runs", () => {
  const stale = parseRunMetadata({ degraded: diskFull }, 'r');
  assert.equal(healthBadge(summary(null), stale), null, 'the kernel says the rows are stored again');
  assert.equal(healthBadge(summary(), stale)?.reason, 'disk full', 'no kernel: run.json says why');
  assert.equal(healthBadge(summary(), parseRunMetadata({ degraded: null }, 'r')), null);
});

test('rows dropped while the store refused writes stay visible after it accepts them again', () => {
  const meta = parseRunMetadata({ degraded: null, dropped_rows: 1234 }, 'r');
  const badge = healthBadge(summary(null), meta);
  assert.equal(badge?.reason, 'rows dropped');
  assert.match(badge?.text ?? '', /1,234 rows dropped/);
  const both = healthBadge(summary({ ...diskFull, dropped_rows: 5 }), null);
  assert.match(both?.title ?? '', /5 rows were dropped/);
});
