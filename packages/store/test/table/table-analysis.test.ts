import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { summarizeColumn } from '../../src/table/column-summary.js';
import { COMPARE_STATUS, changedFlag, compareTables, sideName } from '../../src/table/compare.js';
import { exportView, neutraliseText } from '../../src/table/export.js';
import { isMediaPath, parseMediaReference } from '../../src/table/media-cell.js';
import { registerArrowIPC, registerParquet, type TableSource } from '../../src/table/register.js';
import { planView } from '../../src/table/view-plan.js';
import { fetchWindow } from '../../src/table/window-fetch.js';
import { codec, parquetOf, predictionsIPC } from './support.js';

describe('summaries, compare and export', () => {
  let engine: SqlEngine;
  let table: TableSource;
  before(async () => {
    engine = await createNodeEngine();
    table = await registerArrowIPC(engine, predictionsIPC());
  });
  after(() => engine.close());

  test('a number column summarises as a histogram with min, max and mean', async () => {
    const s = await summarizeColumn(engine, table.relation, table.columns, 'score', { bins: 4 });
    assert.equal(s.kind, 'number');
    if (s.kind !== 'number') return;
    assert.equal(s.min, 0.1);
    assert.equal(s.max, 0.9);
    assert.equal(s.bins.length, 4);
    assert.equal(
      s.bins.reduce((n, b) => n + b.count, 0),
      6,
    );
    // 0.3 lands in the first bin: (0.3 - 0.1) / 0.2 is just below 1 in floating point.
    assert.deepEqual(
      s.bins.map((b) => b.count),
      [2, 1, 1, 2],
    );
  });

  test('a text column summarises as its top values', async () => {
    const s = await summarizeColumn(engine, table.relation, table.columns, 'label', { top: 2 });
    assert.equal(s.kind, 'text');
    if (s.kind !== 'text') return;
    assert.deepEqual(s.top, [
      { value: 'cat', count: 3 },
      { value: 'dog', count: 2 },
    ]);
  });

  test('a column of media references summarises as counts per media kind', async () => {
    const bytes = await parquetOf(
      engine,
      `SELECT i, CASE WHEN i % 3 = 0 THEN '{"_type":"image","path":"media/images/a_' || i || '.png"}'
        WHEN i % 3 = 1 THEN '{"_type":"audio","path":"media/audio/a.wav"}' ELSE NULL END AS m FROM range(9) r(i)`,
    );
    const source = await registerParquet(engine, bytes, codec);
    const s = await summarizeColumn(engine, source.relation, source.columns, 'm');
    assert.equal(s.kind, 'media');
    if (s.kind !== 'media') return;
    assert.deepEqual(s.mediaKinds, [
      { kind: 'audio', count: 3 },
      { kind: 'image', count: 3 },
    ]);
    assert.equal(s.nulls, 3);
    assert.equal(parseMediaReference(s.samples[0])?.type, 'image');
  });

  test('media references: only relative paths under media/ are usable; other text is not media', () => {
    assert.equal(parseMediaReference('{"_type":"image","path":"media/images/x.png","width":3}')?.width, 3);
    assert.equal(parseMediaReference('{"_type":"image","path":"../run.json"}'), null);
    assert.equal(parseMediaReference('{"_type":"image","path":"media/../../etc/passwd"}'), null);
    assert.equal(parseMediaReference('{"_type":"image","path":"/etc/passwd"}'), null);
    assert.equal(parseMediaReference('{"_type":"script","path":"media/x.js"}'), null);
    assert.equal(parseMediaReference('<img src=x onerror=alert(1)>'), null);
    assert.deepEqual(
      parseMediaReference('{"_type":"histogram","bins":[0,1,2],"values":[3,4]}')?.values,
      [3, 4],
    );
    assert.equal(isMediaPath('media/images/a.png?x=1'), false);
    assert.equal(isMediaPath('javascript:alert(1)'), false);
  });

  test('comparing two steps row by row flags exactly the changed cells', async () => {
    const a = await registerParquet(
      engine,
      await parquetOf(engine, `SELECT i AS id, i * 10 AS v, 'x' AS s FROM range(4) r(i)`),
      codec,
    );
    const b = await registerParquet(
      engine,
      await parquetOf(
        engine,
        `SELECT i AS id, CASE WHEN i = 2 THEN 99 ELSE i * 10 END AS v, 'x' AS s FROM range(5) r(i)`,
      ),
      codec,
    );
    const compared = await compareTables(engine, a, b, { labels: ['step 1', 'step 2'] });
    const view = await planView(engine, compared, {});
    const w = await fetchWindow(engine, view, 0, 10);
    const at = (name: string) => w.columns.indexOf(name);
    assert.deepEqual(
      w.rows.map((r) => r[at(sideName('v', 'step 2'))]),
      [0, 10, 99, 30, 40],
    );
    assert.deepEqual(
      w.rows.map((r) => r[at(changedFlag('v'))]),
      [false, false, true, false, true],
    );
    assert.deepEqual(
      w.rows.map((r) => r[at(changedFlag('s'))]),
      [false, false, false, false, true],
    );
    assert.deepEqual(
      w.rows.map((r) => r[at(COMPARE_STATUS)]),
      ['same', 'same', 'changed', 'same', 'added'],
    );
  });

  test('comparing on a key column matches rows by key, wherever they are', async () => {
    const a = await registerParquet(
      engine,
      await parquetOf(engine, `SELECT 'k' || i AS k, i AS v FROM range(3) r(i)`),
      codec,
    );
    const b = await registerParquet(
      engine,
      await parquetOf(
        engine,
        `SELECT 'k' || (2 - i) AS k, CASE WHEN i = 0 THEN 7 ELSE 2 - i END AS v FROM range(3) r(i)`,
      ),
      codec,
    );
    const compared = await compareTables(engine, a, b, { key: 'k' });
    const w = await fetchWindow(engine, await planView(engine, compared, {}), 0, 10);
    const at = (name: string) => w.columns.indexOf(name);
    assert.deepEqual(
      w.rows.map((r) => [r[at('k')], r[at('v [A]')], r[at('v [B]')], r[at(changedFlag('v'))]]),
      [
        ['k0', 0, 0, false],
        ['k1', 1, 1, false],
        ['k2', 2, 7, true],
      ],
    );
    await assert.rejects(compareTables(engine, a, b, { key: 'nope' }), /nope/);
  });

  test('CSV export neutralises formulas in text cells and headers, keeps numbers, follows the view', async () => {
    const view = await planView(engine, table, { sort: [{ column: 'id', descending: true }] });
    const csv = new TextDecoder().decode(await exportView(engine, view, 'csv', codec));
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'id,label,score,note');
    assert.match(lines[1], /^5,cat,0\.3,/);
    assert.match(csv, /'=HYPERLINK\(""http:\/\/x""\)/);
    assert.match(csv, /,'\+1\r\n/);
    assert.match(csv, /,'-2\r\n/);
    assert.match(csv, /,'@sum\r\n/);
    assert.equal(neutraliseText('=1+1'), "'=1+1");
    assert.equal(neutraliseText('\tx'), "'\tx");
    assert.equal(neutraliseText('ok'), 'ok');
  });

  test('Parquet export round-trips the current view', async () => {
    const view = await planView(engine, table, { where: "label = 'cat'" });
    const bytes = await exportView(engine, view, 'parquet', codec);
    const again = await registerParquet(engine, bytes, codec);
    assert.equal(again.nrows, 3);
    assert.deepEqual(
      again.columns.map((c) => c.name),
      ['__spyglass_row', 'id', 'label', 'score', 'note'],
    );
  });
});
