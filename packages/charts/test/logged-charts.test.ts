import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loggedCharts } from '../src/logged-charts.js';

const spec = { mark: 'bar', data: { name: 'table' } };
const table = (path: string, extra: object = {}) =>
  JSON.stringify({ _type: 'table', path, nrows: 2, ...extra });

test('summary values that are table references with a spec are the run charts, sorted by key', () => {
  const summary = {
    roc: table('media/table/roc_5_a.parquet', { spec }),
    confusion_matrix: table('media/table/confusion_matrix_2_b.parquet', { spec }),
    loss: 0.25,
    preds: table('media/table/preds_3_c.parquet'),
    pic: JSON.stringify({ _type: 'image', path: 'media/images/p.png', spec }),
    note: '{"spec": "not a reference"',
  };
  assert.deepEqual(loggedCharts(summary), [
    { key: 'confusion_matrix', path: 'media/table/confusion_matrix_2_b.parquet', spec },
    { key: 'roc', path: 'media/table/roc_5_a.parquet', spec },
  ]);
});

test('a spec that is not an object, or no summary at all, gives no charts', () => {
  assert.deepEqual(loggedCharts({ x: table('media/table/x.parquet', { spec: 'wandb/line/v0' }) }), []);
  assert.deepEqual(loggedCharts({ x: table('media/table/x.parquet', { spec: [spec] }) }), []);
  assert.deepEqual(loggedCharts(null), []);
});
