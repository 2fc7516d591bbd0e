import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runColor } from '../src/palette.js';
import { barSpec } from '../src/workspace/bar-plot.js';
import { customPanelSpec, parseCustomSpec, QUERY_DATASET } from '../src/workspace/custom-panel.js';
import { CustomSpecError } from '../src/workspace/errors.js';
import { RUN_POINTS_DATASET, scatterSpec } from '../src/workspace/scatter-plot.js';
import { renderSVG } from './support/render.js';

async function svgOf(spec: Parameters<typeof renderSVG>[0]) {
  return renderSVG(spec);
}

describe('run-level panels', () => {
  test('a scatter draws one point per run in the run colour', async () => {
    const spec = scatterSpec({
      title: 'lr vs loss',
      xTitle: 'config.lr',
      yTitle: 'summary.loss',
      runs: ['a', 'b', 'c'],
      width: 300,
      rows: [
        { run: 'a', x: 0.1, y: 1 },
        { run: 'b', x: 0.01, y: 2 },
        { run: 'c', x: Number.NaN, y: 3 },
      ],
    });
    const svg = await svgOf(spec);
    const points = svg.match(/<path [^>]*class="?[^"]*"?[^>]*>/g) ?? [];
    assert.ok(svg.includes(`fill="${runColor('a')}"`));
    assert.ok(svg.includes(`fill="${runColor('b')}"`));
    assert.ok(!svg.includes(`fill="${runColor('c')}"`), 'a NaN coordinate is not drawn');
    assert.ok(points.length > 0);
    assert.ok((spec as { datasets: Record<string, unknown[]> }).datasets[RUN_POINTS_DATASET].length === 3);
  });

  test('a bar panel keys bars by run id and labels them by name', async () => {
    const spec = barSpec({
      title: 'loss',
      xTitle: 'summary.loss',
      runs: ['a', 'b'],
      labels: { a: 'same', b: 'same' },
      width: 300,
      rows: [
        { run: 'a', x: 1, y: 0 },
        { run: 'b', x: 2, y: 0 },
      ],
    });
    const svg = await svgOf(spec);
    assert.equal((svg.match(/>same</g) ?? []).length, 2, 'two bars, both labelled with the shared name');
    assert.ok(svg.includes(`fill="${runColor('a')}"`));
  });
});

describe('custom Vega-Lite panels', () => {
  test('draw the SQL rows through the named dataset, whatever data the spec named', async () => {
    const spec = customPanelSpec(
      {
        data: { values: [{ a: 99 }] },
        mark: 'bar',
        encoding: { x: { field: 'name' }, y: { field: 'n', type: 'quantitative' } },
      },
      [
        { name: 'x', n: 1 },
        { name: 'y', n: 2 },
      ],
    );
    assert.deepEqual((spec as { data: unknown }).data, { name: QUERY_DATASET });
    const svg = await svgOf({ ...spec, width: 200 } as typeof spec);
    assert.equal((svg.match(/role-mark[^"]*"/g) ?? []).length >= 1, true);
    assert.match(svg, />y</);
  });

  test('a spec with a URL anywhere is refused with the path', () => {
    assert.throws(
      () => customPanelSpec({ layer: [{ data: { url: 'https://example.com/x.csv' }, mark: 'point' }] }),
      (e: unknown) => e instanceof CustomSpecError && /spec\.layer\[0\]\.data\.url/.test(e.message),
    );
  });

  test('text that is not a JSON object is refused with a readable message', () => {
    assert.throws(() => parseCustomSpec('{nope'), CustomSpecError);
    assert.throws(() => parseCustomSpec('[1, 2]'), /must be a JSON object/);
  });
});
