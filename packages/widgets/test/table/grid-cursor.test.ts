import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cursorAfterKey } from '../../src/table/grid-cursor.js';

describe('cursorAfterKey', () => {
  test('moves across columns with Left/Right and stops at the edges', () => {
    assert.deepEqual(cursorAfterKey('ArrowRight', { row: 2, column: 0 }, 10, 3, 5), { row: 2, column: 1 });
    assert.deepEqual(cursorAfterKey('ArrowRight', { row: 2, column: 2 }, 10, 3, 5), { row: 2, column: 2 });
    assert.deepEqual(cursorAfterKey('ArrowLeft', { row: 2, column: 0 }, 10, 3, 5), { row: 2, column: 0 });
  });

  test('moves rows with Up/Down, Page Up/Down, Home/End and keeps the column', () => {
    assert.deepEqual(cursorAfterKey('ArrowDown', { row: 2, column: 1 }, 10, 3, 5), { row: 3, column: 1 });
    assert.deepEqual(cursorAfterKey('PageDown', { row: 2, column: 1 }, 10, 3, 5), { row: 7, column: 1 });
    assert.deepEqual(cursorAfterKey('End', { row: 2, column: 1 }, 10, 3, 5), { row: 9, column: 1 });
    assert.deepEqual(cursorAfterKey('Home', { row: 2, column: 1 }, 10, 3, 5), { row: 0, column: 1 });
  });

  test('pulls a cursor left over from a larger view back inside the grid', () => {
    assert.deepEqual(cursorAfterKey('ArrowDown', { row: 50, column: 9 }, 10, 3, 5), { row: 9, column: 2 });
  });

  test('ignores other keys and empty grids', () => {
    assert.equal(cursorAfterKey('x', { row: 0, column: 0 }, 10, 3, 5), null);
    assert.equal(cursorAfterKey('ArrowDown', { row: 0, column: 0 }, 0, 3, 5), null);
  });
});
