import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flattenRecord, formatNumber, formatValue, truncate } from '../src/format-value.js';

test('numbers show with sensible precision', () => {
  assert.equal(formatNumber(3), '3');
  assert.equal(formatNumber(0.01), '0.01');
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(2 / 3), '0.666667');
  assert.equal(formatNumber(123456.789), '123457');
  assert.equal(formatNumber(1.5e-7), '1.5e-7');
  assert.equal(formatNumber(2e20), '2e+20');
  assert.equal(formatNumber(-0.5), '-0.5');
  assert.equal(formatNumber(0), '0');
});

test('non-finite values show as run.json spells them, whether numbers or strings', () => {
  assert.equal(formatNumber(Number.NaN), 'NaN');
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'Infinity');
  assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '-Infinity');
  assert.equal(formatValue('-Infinity'), '-Infinity');
});

test('other JSON values become one line of text', () => {
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue('adam'), 'adam');
  assert.equal(formatValue([1, 'a']), '[1,"a"]');
});

test('nested config flattens to sorted dotted keys; arrays and empty objects stay whole; "_" keys are left out', () => {
  const rows = flattenRecord({
    lr: 0.01,
    optimizer: { name: 'adam', betas: [0.9, 0.999], extra: {} },
    _wandb: { x: 1 },
  });
  assert.deepEqual(rows, [
    { key: 'lr', value: '0.01' },
    { key: 'optimizer.betas', value: '[0.9,0.999]' },
    { key: 'optimizer.extra', value: '{}' },
    { key: 'optimizer.name', value: 'adam' },
  ]);
});

test('long text is cut with an ellipsis at the given length', () => {
  assert.equal(truncate('abcdef', 10), 'abcdef');
  assert.equal(truncate('abcdefghijkl', 5), 'abcd…');
});
