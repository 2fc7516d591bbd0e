import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { parseQuickFilter, type QuickFilter } from '../../src/table/quick-filter.js';
import { registerParquet, type TableSource } from '../../src/table/register.js';
import { DIRECT_WINDOW_ROWS, viewWindows } from '../../src/table/view-order.js';
import { planView } from '../../src/table/view-plan.js';
import { fetchWindow } from '../../src/table/window-fetch.js';
import { codec, MILLION_ROWS, parquetOf } from './support.js';

async function orderTables(engine: SqlEngine): Promise<string[]> {
  const t = await engine.query(
    `SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'spyglass_order_%'`,
  );
  return t.toArray().map((r) => String(r.table_name));
}

// Windows of sorted/filtered views come from a temp table in display order; they must equal the OFFSET answer.
describe('ordered windows over a 1M-row table', () => {
  let engine: SqlEngine;
  let table: TableSource;
  before(async () => {
    engine = await createNodeEngine();
    table = await registerParquet(engine, await parquetOf(engine, MILLION_ROWS), codec);
  });
  after(() => engine.close());

  test('deep windows of a sorted + filtered view return exactly the rows of the sorted query', async () => {
    const score = table.columns.find((c) => c.name === 'score');
    assert.ok(score);
    const view = await planView(engine, table, {
      filters: [parseQuickFilter(score, '0.2..0.3') as QuickFilter],
      sort: [{ column: 'shuffled', descending: true }],
    });
    assert.ok(view.count > 100_000);
    const windows = viewWindows(engine, view);
    const first = await windows.fetch(0, 64);
    assert.deepEqual(first, await fetchWindow(engine, view, 0, 64));
    for (const offset of [DIRECT_WINDOW_ROWS, 54_321, Math.floor(view.count / 2), view.count - 50]) {
      const got = await windows.fetch(offset, 128);
      const want = await fetchWindow(engine, view, offset, 128);
      assert.deepEqual(got, want, `window at ${offset}`);
    }
    const tail = await windows.fetch(view.count - 10, 128);
    assert.equal(tail?.rows.length, 10);
    // Independently of OFFSET: the last row is the smallest `shuffled` in the filter.
    const min = await engine.query(
      `SELECT min(shuffled)::BIGINT AS m FROM ${table.relation} WHERE score BETWEEN 0.2 AND 0.3`,
    );
    const last = tail?.rows[9][tail.columns.indexOf('shuffled')];
    assert.equal(last, Number(min.getChild('m')?.get(0)));
    await windows.dispose();
  });

  test('a request no longer wanted is dropped, and dispose drops the temp table', async () => {
    const view = await planView(engine, table, { sort: [{ column: 'y' }] });
    const windows = viewWindows(engine, view);
    assert.equal(await windows.fetch(500_000, 128, () => false), null);
    const name = windows.orderTable;
    assert.ok(name);
    assert.deepEqual(await orderTables(engine), [name]);
    await windows.dispose();
    await windows.dispose();
    assert.deepEqual(await orderTables(engine), []);
    assert.equal(await windows.fetch(0, 10), null);
  });

  test('an unsorted, unfiltered view makes no temp table; a view never fetched leaves none', async () => {
    const plain = viewWindows(engine, await planView(engine, table, {}));
    const w = await plain.fetch(999_990, 50);
    assert.equal(w?.rows.length, 10);
    const unused = viewWindows(engine, await planView(engine, table, { sort: [{ column: 'x' }] }));
    await unused.dispose();
    await plain.dispose();
    assert.deepEqual(await orderTables(engine), []);
  });
});
