import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { m4AggregatesSql, m4BucketSql, m4MergeSql, m4Sql } from '../src/downsample-m4.js';
import type { SqlEngine } from '../src/engine.js';
import { createNodeEngine } from '../src/node-engine.js';

describe('m4Sql', () => {
  let engine: SqlEngine;
  before(async () => {
    engine = await createNodeEngine();
    // A sawtooth with ties: every bucket has repeated minima and maxima.
    await engine.query('CREATE TABLE t AS SELECT i AS x, (i % 10)::DOUBLE AS y FROM range(1000) r(i)');
  });
  after(() => engine.close());

  const run = async (buckets: number, source = 't') => {
    const table = await engine.query(m4Sql({ source, x: 'x', y: 'y', buckets }));
    const xs = Array.from(table.getChild('x')?.toArray() ?? [], Number);
    const ys = Array.from(table.getChild('y')?.toArray() ?? [], Number);
    return xs.map((x, i) => [x, ys[i]]);
  };

  test('keeps at most four rows per bucket even when values tie', async () => {
    for (const buckets of [1, 7, 50, 100]) {
      const rows = await run(buckets);
      assert.ok(rows.length <= 4 * buckets, `${buckets} buckets gave ${rows.length} rows`);
    }
  });

  test('keeps the first and last x, the global minimum and maximum, ordered by x', async () => {
    const rows = await run(10);
    assert.deepEqual(rows[0], [0, 0]);
    assert.deepEqual(rows.at(-1), [999, 9]);
    assert.ok(rows.some(([, y]) => y === 9) && rows.some(([, y]) => y === 0));
    assert.ok(rows.every(([x], i) => i === 0 || x > rows[i - 1][0]));
  });

  test('with more buckets than rows every row is kept', async () => {
    assert.equal((await run(5000)).length, 1000);
  });

  test('a single row or an empty source works', async () => {
    assert.deepEqual(await run(10, '(SELECT 5 AS x, 1.5::DOUBLE AS y)'), [[5, 1.5]]);
    assert.deepEqual(await run(10, '(SELECT * FROM t WHERE false)'), []);
  });

  test('refuses a bucket count that is not a positive integer', () => {
    assert.throws(() => m4Sql({ source: 't', x: 'x', y: 'y', buckets: 0 }), RangeError);
    assert.throws(() => m4Sql({ source: 't', x: 'x', y: 'y', buckets: 2.5 }), RangeError);
  });

  const rowsOf = async (sql: string) =>
    (await engine.query(sql))
      .toArray()
      .map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v)));

  test('buckets cut the range into equal parts and clamp x outside it to the first or last', async () => {
    const q = m4BucketSql('x', '0', '10', 5);
    const table = await engine.query(
      `SELECT ${q} AS b FROM (VALUES (-3), (0), (1.99), (2), (9.99), (10), (42)) v(x)`,
    );
    assert.deepEqual(Array.from(table.getChild('b')?.toArray() ?? [], Number), [0, 0, 0, 1, 4, 4, 4]);
    assert.throws(() => m4BucketSql('x', '0', '1', 0), RangeError);
  });

  test('merging the M4 rows of fine buckets gives the M4 of their points (how the pyramid builds its levels)', async () => {
    const points = `(SELECT x, y, x // 10 AS fine, x // 100 AS coarse FROM t)`;
    const direct = await rowsOf(
      `SELECT coarse, ${m4AggregatesSql('x', 'y')} FROM ${points} GROUP BY coarse ORDER BY coarse`,
    );
    const merged = await rowsOf(
      `SELECT coarse, ${m4MergeSql()} FROM (SELECT coarse, fine, ${m4AggregatesSql('x', 'y')} FROM ${points}
        GROUP BY coarse, fine) GROUP BY coarse ORDER BY coarse`,
    );
    assert.equal(direct.length, 10);
    // Ties (the sawtooth repeats its extremes) may pick another x of the same extreme; the values must agree.
    const values = (rows: string[]) =>
      rows.map((r) => {
        const { coarse, x_first, y_first, x_last, y_last, y_min, y_max } = JSON.parse(r);
        return [coarse, x_first, y_first, x_last, y_last, y_min, y_max];
      });
    assert.deepEqual(values(merged), values(direct));
  });
});
