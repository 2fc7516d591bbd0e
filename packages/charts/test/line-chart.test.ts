import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from 'vega-lite';
import { type ChartPoint, lineChartSpec } from '../src/line-chart.js';
import { runColor } from '../src/palette.js';
import { linePaths, renderSVG, vertexCount } from './support/render.js';

const series = (run: string, n: number, f = (i: number) => Math.cos(i / 7)): ChartPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i * 10, value: f(i), run }));

describe('lineChartSpec', () => {
  test('compiles to a Vega spec whose "points" dataset holds the given rows', () => {
    const points = series('a', 5);
    const vgSpec = compile(lineChartSpec({ metric: 'loss', points })).spec;
    const data = vgSpec.data?.find((d) => d.name === 'points');
    assert.deepEqual((data as { values?: unknown }).values, points);
  });

  test('renders one path with a vertex per point, and step and metric axis titles', async () => {
    const svg = await renderSVG(lineChartSpec({ metric: 'loss', width: 400, points: series('a', 37) }));
    const paths = linePaths(svg);
    assert.equal(paths.length, 1);
    assert.equal(vertexCount(paths[0]), 37);
    assert.match(svg, /<text[^>]*>step<\/text>/);
    assert.match(svg, /<text[^>]*>loss<\/text>/);
  });

  test('rows streamed in with view.data replace the inline ones', async () => {
    const svg = await renderSVG(lineChartSpec({ metric: 'acc', width: 300, runs: ['a', 'b'] }), [
      ...series('a', 12),
      ...series('b', 20),
    ]);
    assert.deepEqual(linePaths(svg).map(vertexCount).sort(), [12, 20]);
  });

  test('each run is drawn in its own stable colour, whatever other runs are present', async () => {
    const alone = await renderSVG(lineChartSpec({ metric: 'loss', width: 300, points: series('run-b', 5) }));
    const together = await renderSVG(
      lineChartSpec({ metric: 'loss', width: 300, points: [...series('run-a', 5), ...series('run-b', 5)] }),
    );
    assert.match(alone, new RegExp(`stroke="${runColor('run-b')}"`));
    assert.match(together, new RegExp(`stroke="${runColor('run-b')}"`));
    assert.match(together, new RegExp(`stroke="${runColor('run-a')}"`));
  });

  test('odd metric names are escaped in the SVG and never used as field names', async () => {
    const metric = `it's "odd" / <b>&ok</b> a.b[0]`;
    const spec = lineChartSpec({ metric, width: 300, points: series('a', 4) });
    const svg = await renderSVG(spec);
    assert.equal(vertexCount(linePaths(svg)[0]), 4);
    const escaped = `it's "odd" / &lt;b&gt;&amp;ok&lt;/b&gt; a.b[0]`;
    const titles = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.equal(titles.filter((t) => t === escaped).length, 2, 'chart title and y-axis title, escaped');
    assert.ok(!svg.includes('<b>'), 'no markup leaks through');
  });

  test('the default width follows the container and the spec has no remote URLs or custom expressions', () => {
    const spec = lineChartSpec({ metric: 'loss' });
    assert.equal((spec as { width?: unknown }).width, 'container');
    const text = JSON.stringify({ ...spec, $schema: undefined });
    assert.ok(!/https?:/.test(text), 'no URLs');
    assert.ok(!/"(calculate|filter|expr)"/.test(text), 'no expressions');
  });

  test('a container-width chart still renders headless (falls back to a default width)', async () => {
    const svg = await renderSVG(lineChartSpec({ metric: 'loss', points: series('a', 3) }));
    assert.equal(vertexCount(linePaths(svg)[0]), 3);
  });

  test('an empty dataset renders an empty chart without error', async () => {
    const svg = await renderSVG(lineChartSpec({ metric: 'loss', width: 200 }));
    assert.deepEqual(linePaths(svg), []);
    assert.match(svg, /^<svg/);
  });
});

test('y tick labels stay short: whole tens, and a constant series labelled by its value', async () => {
  const ramp = await renderSVG(
    lineChartSpec({ metric: 'cpu', width: 300, points: series('a', 9, (i) => 40 + i * 5) }),
  );
  const labels = [...ramp.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.ok(labels.includes('80'), `labels ${JSON.stringify(labels)}`);
  assert.ok(!labels.some((l) => l.includes('e+')), 'no exponent notation for whole tens');
  const flat = await renderSVG(
    lineChartSpec({ metric: 'threads', width: 300, points: series('a', 5, () => 22) }),
  );
  assert.match(flat, /<text[^>]*>22<\/text>/);
});
