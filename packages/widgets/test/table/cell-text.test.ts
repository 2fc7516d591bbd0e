import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellText, displayText, MAX_CELL_CHARS } from '../../src/table/cell-text.js';

test('a 1 MB string is cut for display but copied whole', () => {
  const long = 'x'.repeat(1_000_000);
  const shown = displayText(long);
  assert.equal(shown.truncated, true);
  assert.equal(shown.text.length, MAX_CELL_CHARS);
  assert.equal(shown.length, 1_000_000);
  assert.equal(cellText(long).length, 1_000_000);
});

test('markup and formulas are passed through unchanged as text (the grid writes textContent)', () => {
  for (const value of ['<img src=x onerror="window.__xss=1">', '=HYPERLINK("http://x")', 'a\u202eb']) {
    assert.deepEqual(displayText(value), { text: value, truncated: false, length: value.length });
  }
});

test('numbers are compacted for display, nulls are empty', () => {
  assert.equal(displayText(0.123456789).text, '0.123457');
  assert.equal(displayText(42).text, '42');
  assert.equal(displayText(null).text, '');
  assert.equal(displayText(true).text, 'true');
});
