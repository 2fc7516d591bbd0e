import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { summarizeColumn } from '../../src/table/column-summary.js';
import { parseQuickFilter } from '../../src/table/quick-filter.js';
import { registerParquet, type TableSource } from '../../src/table/register.js';
import { planView } from '../../src/table/view-plan.js';
import { fetchWindow } from '../../src/table/window-fetch.js';
import { codec, MILLION_ROWS, parquetOf } from './support.js';

// Correctness at the size the explorer promises; timings are printed by bench/table-explorer, not asserted.
describe('a 1M-row × 10-column table', () => {
  let engine: SqlEngine;
  let table: TableSource;
  before(async () => {
    engine = await createNodeEngine();
    table = await registerParquet(engine, await parquetOf(engine, MILLION_ROWS), codec);
  });
  after(() => engine.close());

  test('registers with every row and pages anywhere', async () => {
    assert.equal(table.nrows, 1_000_000);
    const view = await planView(engine, table, {});
    const w = await fetchWindow(engine, view, 999_990, 50);
    assert.equal(w.rows.length, 10);
    assert.equal(w.rows[9][w.columns.indexOf('id')], 999_999);
  });

  test('sorts by a shuffled column and pages deep into the sorted rows', async () => {
    const view = await planView(engine, table, { sort: [{ column: 'shuffled', descending: true }] });
    const top = await fetchWindow(engine, view, 0, 3);
    const values = top.rows.map((r) => r[top.columns.indexOf('shuffled')] as number);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => b - a),
    );
    assert.ok(values[0] >= 999_990);
    const deep = await fetchWindow(engine, view, 500_000, 2);
    assert.equal(deep.rows.length, 2);
  });

  test('filters by text and by range with exact counts', async () => {
    const label = table.columns.find((c) => c.name === 'label');
    const x = table.columns.find((c) => c.name === 'x');
    if (!label || !x) throw new Error('columns');
    const view = await planView(engine, table, {
      filters: [parseQuickFilter(label, '=class_3'), parseQuickFilter(x, '0..100')].flatMap((f) =>
        f ? [f] : [],
      ),
    });
    // ids 0..100000 with id % 17 == 3
    assert.equal(view.count, Math.floor((100_000 - 3) / 17) + 1);
  });

  test('groups a million rows and summarises the image column', async () => {
    const view = await planView(engine, table, {
      groupBy: { columns: ['label'], aggregates: [{ fn: 'count' }] },
    });
    assert.equal(view.count, 17);
    const s = await summarizeColumn(engine, table.relation, table.columns, 'image');
    assert.equal(s.kind, 'media');
    assert.equal(s.nulls, 999_990);
  });
});
