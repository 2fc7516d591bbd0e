import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gridGeometry,
  MAX_SCROLL_PX,
  ROW_SIZES,
  scrollTopOfRow,
  thumbHeight,
} from '../../src/table/grid-geometry.js';

test('the row sizes give 20, 48 and 96 px thumbnails', () => {
  assert.deepEqual(Object.values(ROW_SIZES).map(thumbHeight), [20, 48, 96]);
});

test('rows sit at index × row height, and the viewport shows as many as fit', () => {
  for (const rowHeight of Object.values(ROW_SIZES)) {
    const g = gridGeometry(400, rowHeight, 500, 10 * rowHeight + 3);
    assert.equal(g.first, 10);
    assert.equal(g.y(12), 12 * rowHeight);
    assert.equal(g.visible, Math.ceil(500 / rowHeight) + 1);
    assert.equal(g.height, 400 * rowHeight);
    assert.equal(g.scaled, false);
    assert.equal(scrollTopOfRow(g, 400, rowHeight, 37), 37 * rowHeight);
  }
});

test('a viewport smaller than a row still shows one row', () => {
  assert.equal(gridGeometry(10, ROW_SIZES.large, 40, 0).visible, 2);
});

test('past the browser height cap the scrollbar maps by fraction at any row height', () => {
  const count = 1_000_000;
  for (const rowHeight of [ROW_SIZES.small, ROW_SIZES.large]) {
    const top = gridGeometry(count, rowHeight, 400, 0);
    assert.equal(top.scaled, true);
    assert.equal(top.height, MAX_SCROLL_PX);
    const end = gridGeometry(count, rowHeight, 400, top.maxScroll);
    assert.equal(end.first, count - end.visible + 1);
    // The last row is drawn inside the spacer's scrolled view.
    assert.ok(end.y(count - 1) <= top.maxScroll + 400);
    const mid = scrollTopOfRow(top, count, rowHeight, 500_000);
    assert.ok(Math.abs(gridGeometry(count, rowHeight, 400, mid).first - 500_000) <= 1);
  }
});
