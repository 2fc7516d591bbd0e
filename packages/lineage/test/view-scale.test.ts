import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineageIndex } from '../src/LineageIndex.js';
import { layoutLineage } from '../src/layout.js';
import { extractNeighbourhood } from '../src/neighbourhood.js';
import {
  autoScale,
  fitScale,
  fitsAt,
  LABEL_FONT_PX,
  MIN_LABEL_PX,
  MIN_SCALE,
  readableScale,
  scrollToShow,
  VIEWPORT_HEIGHT,
  viewportHeight,
  wheelZoomFactor,
  zoomAbout,
} from '../src/view-scale.js';
import { chain } from './support/graphs.js';

/** The lineage panel's graph box in a 1400 px wide page: the page less the sidebar and the details pane. */
const PANEL_BOX = { width: 1000, height: 420 };
const smallestLabel = (scale: number) => Math.min(...Object.values(LABEL_FONT_PX)) * scale;

test('every label is drawn at 11 px or more at 1:1', () => {
  for (const [name, px] of Object.entries(LABEL_FONT_PX)) assert.ok(px >= MIN_LABEL_PX, `${name}: ${px} px`);
  assert.ok(readableScale() <= 1);
});

test('a three-run chain wider than the panel stays at a readable scale instead of shrinking to the width', () => {
  const layout = layoutLineage(extractNeighbourhood(new LineageIndex(chain(3))));
  assert.ok(layout.width > PANEL_BOX.width, `the chain is ${layout.width} px wide`);
  // The old panel fitted to the width: its smallest label then fell under 11 px.
  assert.ok(smallestLabel(fitScale(layout, PANEL_BOX)) < MIN_LABEL_PX);
  const scale = autoScale(layout, PANEL_BOX);
  assert.ok(smallestLabel(scale) >= MIN_LABEL_PX, `labels at ${smallestLabel(scale)} px`);
  assert.equal(fitsAt(layout, PANEL_BOX, scale), false, 'the rest is reached by scrolling');
});

test('a graph that fits with readable labels is fitted (never enlarged past 1:1)', () => {
  const layout = layoutLineage(extractNeighbourhood(new LineageIndex(chain(1))));
  assert.ok(layout.width < PANEL_BOX.width);
  assert.equal(autoScale(layout, PANEL_BOX), 1);
  assert.ok(fitsAt(layout, PANEL_BOX, 1));
  assert.equal(fitScale({ width: 100, height: 50 }, PANEL_BOX), 1);
  assert.equal(autoScale({ width: 1300, height: 100 }, PANEL_BOX), 1);
  assert.equal(
    fitScale({ width: 2000, height: 100 }, PANEL_BOX),
    0.5,
    'the fit button may shrink below 11 px',
  );
  assert.equal(fitScale({ width: 1e6, height: 1 }, PANEL_BOX), MIN_SCALE);
});

test('zooming keeps the content point under the pointer in place', () => {
  const content = { width: 2000, height: 300 };
  const box = { width: 1000, height: 400 };
  const view = { scale: 1, scrollLeft: 500, scrollTop: 0 };
  const anchor = { x: 300, y: 200 };
  const next = zoomAbout(view, 2, anchor, content, box);
  assert.equal(next.scale, 2);
  // Content x under the pointer: (500 + 300) / 1 = 800; after: 800 * 2 - 300 scrolled = 1300.
  assert.equal(next.scrollLeft, 1300);
  // Vertically the content (300 px) was centred in 400 px (inset 50); at 2x it is 600 tall and scrolls.
  // Content y under the pointer: (0 + 200 - 50) / 1 = 150 -> 150 * 2 - 200 = 100.
  assert.equal(next.scrollTop, 100);
  const back = zoomAbout(next, 0.5, anchor, content, box);
  assert.deepEqual(back, view);
});

test('scroll offsets stay within the scrollable range', () => {
  const content = { width: 2000, height: 300 };
  const box = { width: 1000, height: 400 };
  const centre = { x: 500, y: 200 };
  assert.deepEqual(scrollToShow({ x: 1990, y: 150 }, centre, 1, content, box), {
    scrollLeft: 1000,
    scrollTop: 0,
  });
  assert.deepEqual(scrollToShow({ x: 10, y: 150 }, centre, 1, content, box), { scrollLeft: 0, scrollTop: 0 });
  assert.deepEqual(scrollToShow({ x: 1000, y: 150 }, centre, 1, content, box), {
    scrollLeft: 500,
    scrollTop: 0,
  });
});

test('a wheel notch zooms by a modest factor, the same for pixel and line deltas', () => {
  assert.ok(wheelZoomFactor(-100) > 1 && wheelZoomFactor(-100) < 1.3);
  assert.ok(wheelZoomFactor(100) < 1);
  assert.equal(wheelZoomFactor(-3, 1), wheelZoomFactor(-48));
});

test('the viewport is as tall as the graph plus a scrollbar, within bounds', () => {
  const layout = layoutLineage(extractNeighbourhood(new LineageIndex(chain(3))));
  assert.equal(viewportHeight(layout.height), VIEWPORT_HEIGHT.min, 'one row of nodes: the shortest panel');
  assert.equal(viewportHeight(300), 320);
  assert.equal(viewportHeight(5000), VIEWPORT_HEIGHT.max);
});
