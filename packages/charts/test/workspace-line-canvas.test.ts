import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { runColor } from '../src/palette.js';
import { EXTENT_DATASET, lineExtent, workspaceLineFrameSpec } from '../src/workspace/line-frame.js';
import { LINE_PARAMS, type LineRow, workspaceLineSpec } from '../src/workspace/line-plot.js';
import { drawnLineOf, drawOrder, lineStrokes, tracePolyline } from '../src/workspace/line-strokes.js';
import { strokes } from './support/render.js';

const f64 = (values: number[]) => Float64Array.from(values);
const drawn = (run: string, xs: number[], ys: number[], smoothed: number[] | null = null) => ({
  run,
  xs: f64(xs),
  ys: f64(ys),
  smoothed: smoothed ? f64(smoothed) : null,
});

async function view(spec: ReturnType<typeof workspaceLineSpec>, signals: Record<string, unknown> = {}) {
  const v = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  for (const [name, value] of Object.entries(signals)) v.signal(name, value);
  await v.runAsync();
  return v;
}

describe('workspaceLineFrameSpec', () => {
  test('scales its axes to the extent rows and draws no vertex of its own', async () => {
    const extent = lineExtent([drawn('a', [0, 10, 20], [1, 5, 2]), drawn('b', [5, 30], [-1, 3])], {});
    const spec = workspaceLineFrameSpec({
      metric: 'loss',
      runs: ['a', 'b'],
      width: 400,
      height: 180,
      extent,
    });
    const v = await view(spec);
    assert.deepEqual(v.scale('x').domain(), [0, 30]);
    const [lo, hi] = v.scale('y').domain();
    assert.ok(lo <= -1 && hi >= 5, `y domain ${lo}..${hi}`);
    assert.equal(v.data(EXTENT_DATASET).length, 2);
    const svg = await v.toSVG();
    assert.equal(strokes(svg).filter((s) => s.vertices > 2).length, 0, 'no line is drawn by Vega');
    v.finalize();
  });

  test('keeps the legend in run colours at full opacity, labelled by name', async () => {
    const spec = workspaceLineFrameSpec({
      metric: 'loss',
      runs: ['r1', 'r2'],
      labels: { r1: '<i>alpha</i>' },
      width: 400,
      extent: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
    });
    const svg = await (await view(spec)).toSVG();
    const legend = (svg.match(/<g class="mark-symbol role-legend-symbol[\s\S]*?<\/g>/g) ?? []).join('');
    assert.match(legend, new RegExp(`stroke="${runColor('r1')}"`));
    assert.match(legend, new RegExp(`stroke="${runColor('r2')}"`));
    assert.doesNotMatch(legend, /opacity="0"/);
    assert.match(svg, /&lt;i&gt;alpha&lt;\/i&gt;/);
  });

  test('carries the brush and the highlight param the widget drives', async () => {
    const spec = workspaceLineFrameSpec({ metric: 'm', runs: ['a'], width: 300, highlight: ['a'] });
    const v = await view(spec);
    assert.deepEqual(v.signal(LINE_PARAMS.brush), {});
    assert.deepEqual(v.signal(LINE_PARAMS.highlight), ['a']);
    v.finalize();
  });
});

describe('lineExtent', () => {
  test('spans raw and smoothed values; a zoom sets the x range', () => {
    const lines = [drawn('a', [1, 2, 3], [4, 9, 5], [3, 6, 7])];
    assert.deepEqual(lineExtent(lines, {}), [
      { x: 1, y: 3 },
      { x: 3, y: 9 },
    ]);
    assert.deepEqual(lineExtent(lines, { range: [0, 10] }), [
      { x: 0, y: 3 },
      { x: 10, y: 9 },
    ]);
  });

  test('ignores what a log axis cannot show and is empty without a drawable point', () => {
    const lines = [drawn('a', [0, 1, 2], [-1, 0, 10]), drawn('b', [3], [Number.NaN])];
    assert.deepEqual(lineExtent(lines, { logY: true }), [
      { x: 2, y: 10 },
      { x: 2, y: 10 },
    ]);
    assert.deepEqual(lineExtent([drawn('b', [3], [Number.NaN])], {}), []);
  });
});

describe('tracePolyline', () => {
  const trace = (xs: number[], ys: number[], axes = {}) => {
    const calls: string[] = [];
    const n = tracePolyline(
      xs,
      ys,
      (x) => x * 10,
      (y) => 100 - y,
      { moveTo: (x, y) => calls.push(`M${x},${y}`), lineTo: (x, y) => calls.push(`L${x},${y}`) },
      axes,
    );
    return { n, path: calls.join(' ') };
  };

  test('maps every point through the scales in order', () => {
    assert.deepEqual(trace([0, 1, 2], [5, 7, 6]), { n: 3, path: 'M0,95 L10,93 L20,94' });
  });

  test('skips points the axes cannot place, joining their neighbours', () => {
    assert.deepEqual(trace([0, 1, 2, 3], [5, Number.NaN, 6, Number.POSITIVE_INFINITY]), {
      n: 2,
      path: 'M0,95 L20,94',
    });
    assert.deepEqual(trace([0, 1, 2], [-1, 0, 10], { logY: true }).path, 'M20,90');
    assert.deepEqual(trace([0, 1], [1, 2], { logX: true }).path, 'M10,98');
  });

  test('an empty line traces nothing', () => {
    assert.deepEqual(trace([], []), { n: 0, path: '' });
  });
});

describe('line styles mirror the exported spec', () => {
  const rows = (run: string, n: number, smoothed: boolean): LineRow[] =>
    Array.from({ length: n }, (_, i) => ({ run, x: i, y: 1 + (i % 3), smoothed: smoothed ? 2 : null }));

  for (const smoothing of [false, true])
    test(`highlighted and dimmed strokes match Vega's (smoothing ${smoothing})`, async () => {
      const runs = ['r1', 'r2', 'r3'];
      const spec = workspaceLineSpec({
        metric: 'loss',
        runs,
        width: 300,
        smoothing,
        lines: runs.flatMap((r, k) => rows(r, 7 + k, smoothing)),
      });
      const v = await view(spec, { [LINE_PARAMS.highlight]: ['r2'] });
      const vegaStrokes = strokes(await v.toSVG());
      v.finalize();
      const highlight = new Set(['r2']);
      runs.forEach((run, k) => {
        const ours = lineStrokes(run, highlight, smoothing);
        const theirs = vegaStrokes.filter((s) => s.stroke === runColor(run) && s.vertices === 7 + k);
        const expected = [ours.raw, ...(ours.smoothed ? [ours.smoothed] : [])];
        assert.deepEqual(
          theirs.map((s) => [s.opacity, s.width]).sort(),
          expected.map((s) => [s.opacity, s.width]).sort(),
          run,
        );
      });
    });

  test('highlighted runs are painted last', () => {
    const lines = ['a', 'b', 'c'].map((run) => ({ run }));
    assert.deepEqual(
      drawOrder(lines, new Set(['a'])).map((l) => l.run),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(
      drawOrder(lines, new Set()).map((l) => l.run),
      ['a', 'b', 'c'],
    );
  });
});

describe('drawnLineOf', () => {
  test('sorts by x, converts to display units and drops non-finite x', () => {
    const line = drawnLineOf(
      'r',
      [
        { x: 2, y: 20 },
        { x: Number.NaN, y: 0 },
        { x: 1, y: 10 },
      ],
      null,
      (x) => x * 1000,
    );
    assert.deepEqual([...line.xs], [1000, 2000]);
    assert.deepEqual([...line.ys], [10, 20]);
    assert.equal(line.smoothed, null);
  });

  test('with smoothing the points are the EMA and `raw` the values under it', () => {
    const line = drawnLineOf(
      'r',
      [
        { x: 0, y: 1.5 },
        { x: 1, y: 2.5 },
      ],
      [{ y: 1 }, { y: 3 }],
      (x) => x,
    );
    assert.deepEqual([...line.ys], [1, 3]);
    assert.deepEqual([...(line.smoothed ?? [])], [1.5, 2.5]);
  });
});
