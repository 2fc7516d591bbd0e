import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import {
  PARALLEL_LINES,
  PARALLEL_TICKS,
  parallelAxisNames,
  parallelCoordinatesData,
  parallelCoordinatesSpec,
} from '../src/sweep/parallel-coordinates.js';
import { vertexCount } from './support/render.js';
import { firstTrials, markPaths, sweepFixture } from './support/sweep-fixture.js';

async function render(
  spec: ReturnType<typeof parallelCoordinatesSpec>,
  replaceWith?: ReturnType<typeof parallelCoordinatesData>,
) {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  if (replaceWith) {
    view.data(PARALLEL_LINES, replaceWith.lines);
    view.data(PARALLEL_TICKS, replaceWith.ticks);
  }
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

test('the axes are the varying parameters in sweep order, then the metric; constants are left out', () => {
  assert.deepEqual(parallelAxisNames(sweepFixture()), [
    'optimizer.lr',
    'optimizer.name',
    'model.layers',
    'model.dropout',
    'val/loss',
  ]);
});

test('each axis is scaled on its own: log parameters in log space, categories evenly spaced', () => {
  const { lines } = parallelCoordinatesData(sweepFixture());
  const at = (trial: number, axis: string) => lines.find((r) => r.trial === trial && r.axis === axis)?.norm;
  // lr 0.00312 on a 1e-5…0.1 log axis sits at (log10(0.00312) + 5) / 4, not near the bottom as on a linear one.
  assert.ok(Math.abs((at(0, 'optimizer.lr') ?? 0) - (Math.log10(0.00312) + 5) / 4) < 1e-9);
  assert.deepEqual([at(0, 'optimizer.name'), at(1, 'optimizer.name'), at(2, 'optimizer.name')], [0, 0.5, 1]);
  assert.equal(at(0, 'model.layers'), (3 - 1) / 5);
  assert.equal(at(8, 'val/loss'), 0, 'the lowest loss is at the bottom of the metric axis');
  assert.ok(lines.every((r) => r.norm >= 0 && r.norm <= 1));
});

test('renders one line per trial: ten coloured by their metric, the failed and the silent running trial grey', async () => {
  const svg = await render(parallelCoordinatesSpec({ snapshot: sweepFixture(), width: 600 }));
  const paths = markPaths(svg, 'line');
  assert.equal(paths.length, 12);
  assert.deepEqual(
    paths.map(vertexCount).sort(),
    [4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
    'trials without a metric end at the last parameter axis',
  );
  assert.equal((svg.match(/stroke="#9e9e9e"/g) ?? []).length, 2);
  assert.match(svg, /stroke-dasharray="4,2,1,2"/, 'the failed trial is drawn dash-dotted');
  assert.match(svg, /stroke-dasharray="2,2"/, 'running trials are dotted');
});

test('tick labels show raw values: log decades, categories and the metric range', async () => {
  const svg = await render(parallelCoordinatesSpec({ snapshot: sweepFixture(), width: 600 }));
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  for (const label of ['0.00001', '0.001', '0.1', 'adam', 'sgd', 'adamw', '0.329', '0.912'])
    assert.ok(texts.includes(label), `tick label ${label} in ${texts.join(' | ')}`);
});

test('a later snapshot fits the same spec, so a live view only swaps its datasets', async () => {
  const full = sweepFixture();
  const early = parallelCoordinatesSpec({ snapshot: firstTrials(full, 3), width: 600 });
  assert.equal(markPaths(await render(early), 'line').length, 3);
  assert.equal(markPaths(await render(early, parallelCoordinatesData(full)), 'line').length, 12);
});

test('a sweep with no trials yet renders an empty chart', async () => {
  const svg = await render(parallelCoordinatesSpec({ snapshot: firstTrials(sweepFixture(), 0), width: 400 }));
  assert.equal(markPaths(svg, 'line').length, 0);
  assert.match(svg, /^<svg/);
});

test('tick and axis labels are at least 11 px and take the theme text colour; the rules take its line colour', async () => {
  const theme = { text: 'rgba(255, 255, 255, 0.87)', line: '#616161' };
  const svg = await render(parallelCoordinatesSpec({ snapshot: sweepFixture(), width: 600, theme }));
  const ticks = svg.match(/<g class="mark-text role-mark[^"]*"[^>]*>.*?<\/g>/gs)?.join('') ?? '';
  const tickTags = ticks.match(/<text [^>]*>/g) ?? [];
  assert.ok(tickTags.length >= 8, `tick labels drawn: ${tickTags.length}`);
  for (const tag of tickTags) {
    assert.ok(Number(/font-size="([\d.]+)px"/.exec(tag)?.[1]) >= 11, tag);
    assert.match(tag, /fill="rgba\(255, 255, 255, 0.87\)"/);
  }
  const axis = svg.match(/<g class="mark-text role-axis-label"[^>]*>.*?<\/g>/gs)?.join('') ?? '';
  assert.ok(axis.includes('font-size="11px"'), 'axis names at 11 px');
  assert.ok(axis.includes('fill="rgba(255, 255, 255, 0.87)"'), 'axis names in the theme colour');
  assert.match(svg, /class="mark-rule role-mark[^"]*"[^>]*>.*?stroke="#616161"/s);
  assert.ok(!svg.includes('#757575') && !svg.includes('#bdbdbd'), 'no fixed grey left');
});

test('without a theme the labels use the light default, readable on white (contrast over 4.5:1)', async () => {
  const svg = await render(parallelCoordinatesSpec({ snapshot: sweepFixture(), width: 600 }));
  assert.match(svg, /font-size="11px"[^>]*fill="#616161"|fill="#616161"[^>]*font-size="11px"/);
});
