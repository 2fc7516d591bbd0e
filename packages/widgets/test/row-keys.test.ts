import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rowAfterKey } from '../src/row-keys.js';

describe('rowAfterKey', () => {
  test('moves one row with the arrows and stops at both ends', () => {
    assert.equal(rowAfterKey('ArrowDown', 0, 5, 3), 1);
    assert.equal(rowAfterKey('ArrowUp', 3, 5, 3), 2);
    assert.equal(rowAfterKey('ArrowDown', 4, 5, 3), 4);
    assert.equal(rowAfterKey('ArrowUp', 0, 5, 3), 0);
  });

  test('jumps a page with Page Up/Down and to the ends with Home/End', () => {
    assert.equal(rowAfterKey('PageDown', 1, 100, 10), 11);
    assert.equal(rowAfterKey('PageUp', 5, 100, 10), 0);
    assert.equal(rowAfterKey('PageDown', 95, 100, 10), 99);
    assert.equal(rowAfterKey('Home', 50, 100, 10), 0);
    assert.equal(rowAfterKey('End', 0, 100, 10), 99);
  });

  test('moves at least one row when no row fits the page', () => {
    assert.equal(rowAfterKey('PageDown', 0, 3, 0), 1);
  });

  test('ignores other keys and empty lists', () => {
    assert.equal(rowAfterKey('a', 1, 5, 3), null);
    assert.equal(rowAfterKey('Enter', 1, 5, 3), null);
    assert.equal(rowAfterKey('ArrowDown', 0, 0, 3), null);
  });
});
