import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runColumns, type TableRun } from '../src/workspace/run-columns.js';
import { headerAccessibleName, headerBands } from '../src/workspace/runs-table-header.js';
import { tableRun } from './support/table-run.js';

const run = (id: string, config: Record<string, unknown>, summary: Record<string, unknown>): TableRun =>
  tableRun(id, { config, summary });

// `lr` is both a config key and a logged metric: the case the grouped header exists for.
const COLUMNS = runColumns([run('a', { lr: 0.1, opt: 'adam' }, { lr: 0.05, loss: 0.2 })]);

describe('runs table header groups', () => {
  test('put run fields, config keys and summary metrics under one band each', () => {
    const bands = headerBands(COLUMNS);
    assert.deepEqual(
      bands.map((b) => [b.label, b.start, b.span]),
      [
        ['Run', 0, 7],
        ['Config', 7, 2],
        ['Summary', 9, 2],
      ],
    );
    assert.equal(
      bands.reduce((n, b) => n + b.span, 0),
      COLUMNS.length,
    );
  });

  test('leave no two equal labels under the same band', () => {
    for (const band of headerBands(COLUMNS)) {
      const labels = COLUMNS.slice(band.start, band.start + band.span).map((c) => c.label);
      assert.equal(new Set(labels).size, labels.length, `duplicate label under ${band.label}`);
    }
    const lr = COLUMNS.filter((c) => c.label === 'lr');
    assert.equal(lr.length, 2);
  });

  test('split a kind into two bands when the user moved a column between them', () => {
    const byId = new Map(COLUMNS.map((c) => [c.id, c]));
    const order = ['name', 'config.lr', 'summary.lr', 'config.opt'].map((id) => byId.get(id));
    const bands = headerBands(order.filter((c) => c !== undefined));
    assert.deepEqual(
      bands.map((b) => [b.label, b.start, b.span]),
      [
        ['Run', 0, 1],
        ['Config', 1, 1],
        ['Summary', 2, 1],
        ['Config', 3, 1],
      ],
    );
  });

  test('are empty for no columns', () => {
    assert.deepEqual(headerBands([]), []);
  });

  test('name each header cell with its group for screen readers', () => {
    const names = COLUMNS.filter((c) => c.label === 'lr').map(headerAccessibleName);
    assert.deepEqual(names, ['Config lr', 'Summary lr']);
    assert.equal(headerAccessibleName(COLUMNS[0]), 'name');
  });
});
