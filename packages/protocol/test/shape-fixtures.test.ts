import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadShapeFixture } from '../src/fixtures.js';
import {
  MIME_TYPES,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  parseHistogramsAnswer,
  parseMetricMetadata,
  parseRunListing,
  parseRunMetadata,
  parseTableOutput,
  parseWorkspaceOutput,
  type RunOutputData,
} from '../src/index.js';

// The files are written by kernel-bridge/tests/shape_fixtures.py from real runs, and test_shape_fixtures.py
// checks that Python still produces them: what parses here is what the Python side sends.

const data = (name: string) => loadShapeFixture(name).data as Record<string, unknown>;

test('run.json of a running run parses with its config, tags and define_metric', () => {
  const meta = parseRunMetadata(data('run-json/running'), 'k3x9q2ab');
  assert.equal(meta.state, 'running');
  assert.equal(meta.name, 'first run');
  assert.equal(meta.finished_at, null);
  assert.deepEqual(meta.config, { lr: 0.001, layers: [64, 32] });
  assert.deepEqual(meta.tags, ['baseline']);
  assert.deepEqual(meta.summary, {});
  assert.equal(meta.metrics.loss?.step_metric, null);
  assert.equal(meta.degraded, null);
  assert.deepEqual(meta.files, []);
  assert.deepEqual(meta.alerts, []);
});

test('run.json of a finished run parses with its summary and end time', () => {
  const meta = parseRunMetadata(data('run-json/finished'), 'k3x9q2ab');
  assert.equal(meta.state, 'finished');
  assert.equal(typeof meta.finished_at, 'number');
  assert.ok((meta.finished_at ?? 0) >= (meta.created_at ?? Infinity));
  assert.deepEqual(meta.summary.loss, { min: 0.25 });
  assert.equal(meta.summary.acc, 0.75);
});

test('each bundle is keyed by its Spyglass MIME type and its data passes the guard', () => {
  const inline = data('bundles/table-inline');
  const parsedInline = parseTableOutput(inline[MIME_TYPES.table]);
  assert.equal(parsedInline.kind, 'ok');
  if (parsedInline.kind === 'ok') {
    assert.equal(parsedInline.data.nrows, 2);
    assert.equal(parsedInline.data.run_dir, null);
    assert.ok((parsedInline.data.inline_arrow ?? '').length > 0);
    assert.deepEqual(
      parsedInline.data.columns.map((c) => c.name),
      ['image_id', 'label', 'score'],
    );
  }
  const logged = parseTableOutput(data('bundles/table-logged')[MIME_TYPES.table]);
  assert.equal(logged.kind, 'ok');
  if (logged.kind === 'ok') {
    assert.equal(logged.data.inline_arrow, null);
    assert.match(logged.data.path ?? '', /^media\/table\/predictions_3_[0-9a-f]{8}\.parquet$/);
    assert.equal(logged.data.key, 'predictions');
  }
  const workspace = parseWorkspaceOutput(data('bundles/workspace')[MIME_TYPES.workspace]);
  assert.deepEqual(workspace, {
    kind: 'ok',
    data: { store_root: '/home/user/spyglass', project: 'demo', layout_key: 'demo' },
  });
  for (const name of ['bundles/table-inline', 'bundles/table-logged', 'bundles/workspace']) {
    assert.equal(typeof data(name)['text/plain'], 'string', `${name} carries a text fallback`);
  }
  const run = data('bundles/run')[MIME_TYPES.run] as RunOutputData;
  assert.deepEqual(run.protocol, { major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR });
  assert.equal(run.run_dir, `/home/user/spyglass/demo/${run.run_id}`);
});

test('the /runs answer passes the guard: flat config and summary, effective state', () => {
  const listing = parseRunListing(data('server/runs'));
  assert.deepEqual(listing.projects, ['demo']);
  assert.deepEqual(
    listing.runs.map((r) => [r.run_id, r.state]),
    [
      ['k3x9q2ab', 'finished'],
      ['p7m2c4xd', 'running'],
    ],
  );
  const [finished] = listing.runs;
  assert.equal(finished.config.layers, '[64,32]', 'lists travel as compact JSON text');
  assert.equal(finished.summary['loss.min'], 0.25, 'nested summaries are flattened with "."');
  assert.deepEqual(finished.metrics, ['acc', 'epoch', 'loss']);
});

test('a /runs answer of the wrong shape is refused naming the field', () => {
  const listing = structuredClone(data('server/runs')) as { runs: Record<string, unknown>[] };
  listing.runs[0].tags = 'baseline';
  assert.throws(() => parseRunListing(listing), /'tags'/);
  assert.throws(() => parseRunListing({ runs: [] }), /'projects'/);
});

test('the /metric metadata passes the guard for rows and for the step overview', () => {
  const rows = parseMetricMetadata((data('server/metric') as { metadata: unknown }).metadata);
  assert.deepEqual(rows.run_ids, ['k3x9q2ab', 'p7m2c4xd']);
  assert.deepEqual(Object.keys(rows.cursors), ['p7m2c4xd'], 'only the running run has a cursor');
  assert.equal(rows.level, undefined);
  const overview = parseMetricMetadata((data('server/metric-overview') as { metadata: unknown }).metadata);
  assert.equal(overview.level, overview.max_level);
  assert.deepEqual(overview.stats?.p7m2c4xd, { rows: 3, finite: 2, max_step: 2 });
  assert.throws(() => parseMetricMetadata({ ...rows, cursors: { x: 'one' } }), /'cursors'/);
  assert.throws(() => parseMetricMetadata({ ...rows, axis: 'time' }), /'axis'/);
});

test('the /histograms answer parses with its bins and counts', () => {
  const answer = parseHistogramsAnswer(data('server/histograms'));
  assert.deepEqual(answer.runs.k3x9q2ab, [{ step: 3, bins: [0, 0.5, 1, 1.5], values: [1, 3, 2] }]);
  assert.deepEqual(answer.skipped, {});
});
