import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { runColor } from '../src/palette.js';
import {
  BANDS_DATASET,
  type BandRow,
  groupColor,
  LINE_PARAMS,
  LINES_DATASET,
  type LineRow,
  workspaceLineSpec,
} from '../src/workspace/line-plot.js';
import { strokes } from './support/render.js';

const line = (run: string, n: number, smoothed = false): LineRow[] =>
  Array.from({ length: n }, (_, i) => ({ run, x: i, y: 1 + Math.cos(i / 5), smoothed: smoothed ? 1 : null }));

async function render(spec: ReturnType<typeof workspaceLineSpec>, signals: Record<string, unknown> = {}) {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  for (const [name, value] of Object.entries(signals)) view.signal(name, value);
  await view.runAsync();
  const svg = await view.toSVG();
  return { view, svg };
}

describe('workspaceLineSpec', () => {
  test('draws one line per run in the run colour, every row a vertex', async () => {
    const spec = workspaceLineSpec({
      metric: 'loss',
      runs: ['r1', 'r2'],
      width: 400,
      lines: [...line('r1', 30), ...line('r2', 12)],
    });
    const { svg, view } = await render(spec);
    const drawn = strokes(svg).filter((s) => s.vertices > 2);
    assert.deepEqual(
      drawn.map((s) => s.vertices).sort((a, b) => a - b),
      [12, 30],
    );
    assert.ok(drawn.some((s) => s.stroke === runColor('r1')));
    assert.ok(drawn.some((s) => s.stroke === runColor('r2')));
    assert.equal(view.data(LINES_DATASET).length, 42);
    view.finalize();
  });

  test('the legend names runs by their label, drawn as escaped text', async () => {
    const spec = workspaceLineSpec({
      metric: 'loss',
      runs: ['r1', 'r2'],
      labels: { r1: '<b>alpha</b>', r2: 'beta' },
      width: 400,
      lines: [...line('r1', 5), ...line('r2', 5)],
    });
    const { svg } = await render(spec);
    assert.match(svg, /&lt;b&gt;alpha&lt;\/b&gt;/);
    assert.match(svg, />beta</);
    assert.ok(!svg.includes('<b>'));
  });

  test('highlighting a run dims the others and thickens it', async () => {
    const spec = workspaceLineSpec({
      metric: 'loss',
      runs: ['r1', 'r2', 'r3'],
      width: 400,
      lines: [...line('r1', 10), ...line('r2', 10), ...line('r3', 10)],
    });
    const { svg } = await render(spec, { [LINE_PARAMS.highlight]: ['r2'] });
    const drawn = strokes(svg).filter((s) => s.vertices === 10);
    const r2 = drawn.find((s) => s.stroke === runColor('r2'));
    const r1 = drawn.find((s) => s.stroke === runColor('r1'));
    assert.equal(r2?.width, 3);
    assert.ok((r1?.opacity ?? 1) < 0.5, `dimmed: ${JSON.stringify(r1)}`);
  });

  test('with smoothing the raw line is faded under the smoothed one', async () => {
    const spec = workspaceLineSpec({
      metric: 'loss',
      runs: ['r1'],
      width: 300,
      smoothing: true,
      lines: line('r1', 8, true),
    });
    const { svg } = await render(spec);
    const drawn = strokes(svg).filter((s) => s.vertices === 8);
    assert.equal(drawn.length, 2);
    assert.deepEqual(drawn.map((s) => s.opacity).sort(), [0.25, 1]);
  });

  test('a log y scale drops non-positive values instead of failing', async () => {
    const rows: LineRow[] = [-1, 0, 1, 10, 100].map((y, x) => ({ run: 'r', x, y, smoothed: null }));
    const spec = workspaceLineSpec({ metric: 'loss', runs: ['r'], width: 300, logY: true, lines: rows });
    const { svg } = await render(spec);
    assert.deepEqual(
      strokes(svg)
        .filter((s) => s.vertices > 1)
        .map((s) => s.vertices),
      [3],
    );
  });

  test('grouped runs draw a min/max band and a mean line per group', async () => {
    const bands: BandRow[] = Array.from({ length: 20 }, (_, x) => ({
      group: 'g',
      x,
      min: 0,
      max: 2,
      mean: 1,
    }));
    const spec = workspaceLineSpec({ metric: 'loss', runs: [], groups: ['g'], width: 300, bands });
    const { svg, view } = await render(spec);
    assert.match(svg, /mark-area/);
    // A group's colour is its palette slot in legend order.
    assert.equal(
      strokes(svg).filter((s) => s.vertices === 20 && s.stroke === groupColor('g', ['g'])).length,
      1,
    );
    assert.equal(view.data(BANDS_DATASET).length, 20);
  });

  test('the brush signal carries the x range the widget zooms to', async () => {
    const spec = workspaceLineSpec({ metric: 'loss', runs: ['r1'], width: 300, lines: line('r1', 50) });
    const { view } = await render(spec);
    assert.ok(view.getState().signals !== undefined);
    // An empty brush is an empty object; a drag fills {x: [lo, hi]} (see docs/workspace.md).
    assert.deepEqual(view.signal(LINE_PARAMS.brush), {});
  });

  test('non-finite values are skipped and the spec holds no URL', () => {
    const spec = workspaceLineSpec({ metric: 'loss', runs: ['r'] });
    const text = JSON.stringify({ ...spec, $schema: undefined });
    assert.ok(!/https?:/.test(text));
    assert.match(text, /isFinite\(datum\.y\)/);
  });
});
