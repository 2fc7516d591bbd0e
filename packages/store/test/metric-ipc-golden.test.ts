import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadShapeFixture } from '@spyglass/protocol/fixtures';
import { parseMetricIPC } from '../src/metric-ipc.js';

// Arrow streams the Python server wrote (packages/protocol/fixtures/server; test_shape_fixtures.py keeps them true).
interface ArrowAnswer {
  metadata: Record<string, unknown>;
  rows: Record<string, unknown[]>;
  ipc: string;
}

const answer = (name: string) => loadShapeFixture(name).data as ArrowAnswer;
const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

test("parseMetricIPC reads the server's /metric rows: run ids, the running run's cursor, the row count", () => {
  const golden = answer('server/metric');
  const parsed = parseMetricIPC(bytes(golden.ipc));
  assert.deepEqual(parsed.runIds, golden.metadata.run_ids);
  assert.deepEqual(parsed.cursors, golden.metadata.cursors);
  assert.deepEqual(parsed.skipped, {});
  assert.equal(parsed.rows, golden.rows.step.length);
  assert.equal(parsed.overview, undefined);
  assert.equal(parsed.axisOverview, undefined);
});

test("parseMetricIPC reads the server's step overview: its level and per-run stats", () => {
  const golden = answer('server/metric-overview');
  const parsed = parseMetricIPC(bytes(golden.ipc));
  assert.deepEqual(parsed.overview, {
    level: golden.metadata.level,
    maxLevel: golden.metadata.max_level,
    stats: golden.metadata.stats,
  });
  assert.equal(parsed.rows, golden.rows.lvl.length);
});
