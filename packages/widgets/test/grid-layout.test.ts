import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridLayout } from '../src/grid-layout.js';

test('a narrow output gets one column, a notebook-wide one two, a wide one three', () => {
  assert.equal(gridLayout(400).columns, 1);
  assert.equal(gridLayout(700).columns, 2);
  assert.equal(gridLayout(1200).columns, 3);
});

test('charts fill their cell and never shrink below a readable width', () => {
  const { columns, plotWidth } = gridLayout(1200);
  assert.ok(plotWidth * columns < 1200 && plotWidth * columns > 1100, `plot width ${plotWidth}`);
  assert.ok(gridLayout(50).plotWidth >= 120);
});

test('an unattached grid (width 0) falls back to a two-column layout', () => {
  assert.equal(gridLayout(0).columns, 2);
});
