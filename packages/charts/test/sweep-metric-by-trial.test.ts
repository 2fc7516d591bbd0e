import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricByTrialRows, metricByTrialSpec } from '../src/sweep/metric-by-trial.js';
import { renderSVG } from './support/render.js';
import { markCount, markPaths, sweepFixture } from './support/sweep-fixture.js';

test('one row per trial in index order, with the best value so far', () => {
  const rows = metricByTrialRows(sweepFixture());
  assert.deepEqual(
    rows.map((r) => r.trial),
    [...Array(12).keys()],
  );
  assert.equal(rows[8].best, 0.329);
});

test('draws a point per trial with a metric and one best-so-far step line', async () => {
  const svg = await renderSVG(metricByTrialSpec({ snapshot: sweepFixture(), width: 400 }));
  assert.equal(markCount(svg, 'symbol'), 10, 'the failed trial and the silent running one have no point');
  const lines = markPaths(svg, 'line');
  assert.equal(lines.length, 1);
  assert.ok((lines[0].match(/[LHV]/g) ?? []).length >= 12, 'a step for each of the 12 trials');
  assert.match(svg, />val\/loss</);
});

test('the state legend is titled "Trial state", not a bare "trial"', async () => {
  const svg = await renderSVG(metricByTrialSpec({ snapshot: sweepFixture(), width: 400 }));
  const legendTitles = [...svg.matchAll(/class="mark-text role-legend-title"[^>]*>.*?>([^<]*)<\/text>/gs)];
  assert.deepEqual(
    legendTitles.map((m) => m[1]),
    ['Trial state'],
  );
});
