import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedFlag, sideName } from '@spyglass/store';
import { compareFlags } from '../../src/table/view-grid.js';

test('both sides of a compared column are flagged by its hidden changed-column', () => {
  const names = ['id', sideName('score', 'A'), sideName('score', 'B'), changedFlag('score')];
  const flags = compareFlags(names, ['A', 'B']);
  assert.deepEqual(
    [...flags],
    [
      [sideName('score', 'A'), 3],
      [sideName('score', 'B'), 3],
    ],
  );
});
