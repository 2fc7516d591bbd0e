import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { TableInputError, TableQueryError } from '../../src/table/errors.js';
import { parseQuickFilter } from '../../src/table/quick-filter.js';
import {
  registerArrowIPC,
  registerParquet,
  releaseSource,
  type TableSource,
} from '../../src/table/register.js';
import { planView, type TableViewSpec } from '../../src/table/view-plan.js';
import { fetchWindow } from '../../src/table/window-fetch.js';
import { codec, parquetOf, predictionsIPC } from './support.js';

describe('table views on the DuckDB-WASM Node bundle', () => {
  let engine: SqlEngine;
  let table: TableSource;
  before(async () => {
    engine = await createNodeEngine();
    table = await registerArrowIPC(engine, predictionsIPC());
  });
  after(() => engine.close());

  const rows = async (spec: TableViewSpec, offset = 0, limit = 100) => {
    const view = await planView(engine, table, spec);
    const window = await fetchWindow(engine, view, offset, limit);
    return { view, window, col: (name: string) => window.rows.map((r) => r[window.columns.indexOf(name)]) };
  };

  test('an inline Arrow table registers with its columns, kinds and row count', () => {
    assert.equal(table.nrows, 6);
    const kinds = Object.fromEntries(table.columns.map((c) => [c.name, c.kind]));
    assert.deepEqual(kinds, {
      __spyglass_row: 'number',
      id: 'number',
      label: 'string',
      score: 'number',
      note: 'string',
    });
  });

  test('a Parquet buffer registers as a view over one copy of its rows', async () => {
    const bytes = await parquetOf(engine, 'SELECT range AS n, range * 2 AS twice FROM range(1000)');
    const source = await registerParquet(engine, bytes, codec);
    assert.equal(source.nrows, 1000);
    const { rows: got } = await fetchWindow(engine, await planView(engine, source, {}), 998, 10);
    assert.deepEqual(got, [
      [998, 998, 1996],
      [999, 999, 1998],
    ]);
    await releaseSource(engine, source);
    await assert.rejects(engine.query(`SELECT * FROM ${source.relation}`));
  });

  test('windows page through the rows in order', async () => {
    const { col } = await rows({}, 2, 3);
    assert.deepEqual(col('id'), [2, 3, 4]);
  });

  test('sorting orders the shown rows and keeps ties in logged order', async () => {
    assert.deepEqual(
      (await rows({ sort: [{ column: 'score', descending: true }] })).col('id'),
      [0, 2, 4, 1, 5, 3],
    );
    assert.deepEqual((await rows({ sort: [{ column: 'label' }] })).col('id'), [3, 0, 2, 5, 1, 4]);
  });

  test('quick filters: contains (case-insensitive, % literal), equals and ranges', async () => {
    const f = (name: string, text: string) => {
      const column = table.columns.find((c) => c.name === name);
      if (!column) throw new Error(name);
      const filter = parseQuickFilter(column, text);
      if (!filter) throw new Error(text);
      return filter;
    };
    assert.deepEqual((await rows({ filters: [f('label', 'CA')] })).col('id'), [0, 2, 5]);
    assert.deepEqual((await rows({ filters: [f('label', '%')] })).col('id'), []);
    assert.deepEqual((await rows({ filters: [f('label', '=dog')] })).col('id'), [1, 4]);
    assert.deepEqual((await rows({ filters: [f('score', '0.3..0.75')] })).col('id'), [1, 2, 4, 5]);
    assert.deepEqual((await rows({ filters: [f('score', '>0.6')] })).col('id'), [0, 2]);
    assert.deepEqual((await rows({ filters: [f('id', '3')] })).col('id'), [3]);
    assert.deepEqual((await rows({ filters: [f('label', "it's")] })).col('id'), []);
    assert.throws(() => f('score', 'abc'), TableInputError);
    const { view } = await rows({ filters: [f('label', 'cat'), f('score', '<0.8')] });
    assert.equal(view.count, 2);
  });

  test('the WHERE box runs one expression and reports DuckDB errors without the generated SQL', async () => {
    assert.deepEqual((await rows({ where: "label = 'cat' AND score > 0.5" })).col('id'), [0, 2]);
    await assert.rejects(planView(engine, table, { where: '1=1; DROP TABLE x' }), TableInputError);
    await assert.rejects(planView(engine, table, { where: '1=1) UNION SELECT 1 --' }), TableInputError);
    await assert.rejects(planView(engine, table, { where: "label = 'open" }), TableInputError);
    const error = await planView(engine, table, { where: 'nope > 1' }).catch((e) => e);
    assert.ok(error instanceof TableQueryError);
    assert.match(error.message, /nope/);
    assert.doesNotMatch(error.message, /spyglass_table|LINE 1/);
  });

  test('a trailing comment in WHERE cannot swallow the closing parenthesis', async () => {
    assert.deepEqual((await rows({ where: 'id > 3 -- comment' })).col('id'), [4, 5]);
  });

  test('the SQL box replaces the table (named t) and everything else composes on its result', async () => {
    const { col, view } = await rows({
      sql: 'SELECT label, count(*) AS n FROM t GROUP BY label;',
      sort: [{ column: 'n', descending: true }],
    });
    assert.deepEqual(col('label'), ['cat', 'dog', 'bird']);
    assert.equal(view.count, 3);
    await assert.rejects(planView(engine, table, { sql: 'DELETE FROM t' }), TableInputError);
    await assert.rejects(
      planView(engine, table, { sql: "SELECT * FROM read_parquet('https://x/y.parquet')" }),
      TableInputError,
    );
  });

  test('group by yields one row per group with count, mean, min, max and sum', async () => {
    const { window } = await rows({
      groupBy: {
        columns: ['label'],
        aggregates: [
          { fn: 'count' },
          { fn: 'mean', column: 'score' },
          { fn: 'min', column: 'id' },
          { fn: 'max', column: 'id' },
          { fn: 'sum', column: 'id' },
        ],
      },
    });
    assert.deepEqual(window.columns, ['label', 'count', 'mean(score)', 'min(id)', 'max(id)', 'sum(id)']);
    const cat = window.rows.find((r) => r[0] === 'cat');
    assert.deepEqual(cat?.slice(1, 3), [3, (0.9 + 0.75 + 0.3) / 3]);
    assert.deepEqual(cat?.slice(3), [0, 5, 7]);
    assert.deepEqual(
      window.rows.map((r) => r[0]),
      ['bird', 'cat', 'dog'],
    );
  });

  test('unknown columns in sort, filter and group are refused with the column name', async () => {
    await assert.rejects(planView(engine, table, { sort: [{ column: 'zzz' }] }), /zzz/);
    await assert.rejects(planView(engine, table, { groupBy: { columns: ['zzz'], aggregates: [] } }), /zzz/);
  });
});
