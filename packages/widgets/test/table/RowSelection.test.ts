import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue } from '@spyglass/store';
import { RowSelection } from '../../src/table/RowSelection.js';

const rowAt = (i: number): CellValue[] | undefined => (i === 3 ? undefined : [i]);

test('a click toggles one row and a shift-click adds the loaded rows up to the last click', () => {
  const selection = new RowSelection();
  selection.click(1, [1], false, rowAt);
  selection.click(5, [5], true, rowAt);
  assert.deepEqual([...selection.indices()], [1, 2, 4, 5]);
  selection.click(2, [2], false, rowAt);
  assert.deepEqual(selection.values(), [[1], [4], [5]]);
  selection.clear();
  assert.equal(selection.size, 0);
  selection.click(7, [7], true, rowAt);
  assert.deepEqual([...selection.indices()], [7]);
});
