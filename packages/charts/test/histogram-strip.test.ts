import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HeatStripTheme, type HistogramStep, heatCells, heatStripSpec } from '../src/histogram-strip.js';
import { LayoutValidationError } from '../src/workspace/errors.js';
import { defaultLayout, parseLayout } from '../src/workspace/workspace-layout.js';
import { renderSVG } from './support/render.js';
import { markCount } from './support/sweep-fixture.js';

const theme: HeatStripTheme = { text: '#123456', line: '#654321', low: '#ffffff', high: '#ff0000' };

/** A histogram of 4 bins over [step/100, step/100 + 4) with the given counts. */
const histogram = (step: number, values: number[], run?: string): HistogramStep => ({
  step,
  bins: [0, 1, 2, 3, 4].map((edge) => edge + step / 100),
  values,
  ...(run ? { run } : {}),
});

/** '#ff0000' as Vega writes a fill it interpolated: 'rgb(255, 0, 0)'. */
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** The fill colours of the rects a heat strip drew. */
const rectFills = (svg: string): string[] => {
  const marks = svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>.*?<\/g>/gs) ?? [];
  return marks.flatMap((g) => [...g.matchAll(/<path [^>]*fill="([^"]*)"/g)].map((m) => m[1]));
};

describe('heatCells', () => {
  test('one cell per non-empty bin, spanning its step to the next logged step, the last as wide as the gap', () => {
    const cells = heatCells([
      histogram(200, [1, 0, 2, 3]),
      histogram(0, [4, 4, 0, 0]),
      histogram(100, [1, 1, 1, 1]),
    ]);
    assert.equal(cells.length, 3 + 2 + 4);
    const first = cells.filter((c) => c.step === 0);
    assert.deepEqual(
      first.map((c) => [c.x0, c.x1, c.y0, c.y1, c.count]),
      [
        [0, 100, 0, 1, 4],
        [0, 100, 1, 2, 4],
      ],
    );
    const last = cells.filter((c) => c.step === 200);
    assert.ok(last.every((c) => c.x0 === 200 && c.x1 === 300));
    assert.deepEqual(
      last.map((c) => c.count),
      [1, 2, 3],
    );
  });

  test('a single histogram spans one step; runs are spanned separately and labelled by name', () => {
    const cells = heatCells(
      [histogram(5, [1, 0, 0, 0], 'a'), histogram(0, [0, 0, 0, 2], 'b'), histogram(10, [1, 0, 0, 0], 'b')],
      {
        a: 'first run',
      },
    );
    assert.deepEqual(
      cells.map((c) => [c.run, c.label, c.x0, c.x1]),
      [
        ['a', 'first run', 5, 6],
        ['b', 'b', 0, 10],
        ['b', 'b', 10, 20],
      ],
    );
  });
});

describe('heatStripSpec', () => {
  test('draws one rect per cell, the largest count in the theme high colour and text in the theme colour', async () => {
    const cells = heatCells([
      histogram(0, [1, 2, 3, 9]),
      histogram(50, [9, 0, 1, 1]),
      histogram(100, [0, 0, 0, 4]),
    ]);
    const svg = await renderSVG(
      heatStripSpec({ metric: 'gradients/conv1.weight', cells, width: 300, theme }),
    );
    assert.equal(markCount(svg, 'rect'), cells.length);
    const fills = rectFills(svg);
    assert.equal(
      fills.filter((f) => f === rgb(theme.high)).length,
      2,
      'both bins of count 9 in the high colour',
    );
    assert.ok(!fills.includes(rgb(theme.low)), 'no cell is empty, so none has the colour of zero');
    assert.match(svg, /<text[^>]*fill="#123456"[^>]*>gradients\/conv1\.weight<\/text>/);
    assert.match(svg, /<text[^>]*>step<\/text>/);
  });

  test('cells streamed in with view.data replace the inline ones', async () => {
    const cells = heatCells([histogram(0, [1, 1, 1, 1]), histogram(10, [1, 0, 0, 1])]);
    const view = await import('vega');
    const { compile } = await import('vega-lite');
    const v = new view.View(view.parse(compile(heatStripSpec({ metric: 'm', width: 200 })).spec), {
      renderer: 'none',
    });
    v.data('cells', cells);
    await v.runAsync();
    const svg = await v.toSVG();
    v.finalize();
    assert.equal(markCount(svg, 'rect'), 6);
  });

  test('stacked runs draw one labelled strip each; names are escaped text, never markup', async () => {
    const cells = heatCells([histogram(0, [1, 1, 0, 0], 'r1'), histogram(0, [0, 1, 1, 1], 'r2')], {
      r1: 'alpha',
      r2: '<b>beta</b>',
    });
    const svg = await renderSVG(
      heatStripSpec({ metric: 'parameters/fc.bias', cells, width: 300, stacked: true, theme }),
    );
    assert.equal(markCount(svg, 'rect'), 5);
    assert.match(svg, />alpha<\/text>/);
    assert.match(svg, />&lt;b&gt;beta&lt;\/b&gt;<\/text>/);
    assert.ok(!svg.includes('<b>'));
  });

  test('the spec fetches nothing and evaluates no expression built from data', () => {
    const spec = heatStripSpec({ metric: `a"b'c`, cells: heatCells([histogram(0, [1, 1, 1, 1])]) });
    const text = JSON.stringify({ ...spec, $schema: undefined });
    assert.ok(!/"url"/.test(text));
    assert.ok(!/"calculate"|"filter"|"expr"/.test(text));
  });
});

describe('histogram panels in a workspace layout', () => {
  test('a saved histogram panel reads back as it was; one without a key is refused with its path', () => {
    const panel = {
      id: 'histogram-1',
      kind: 'histogram',
      section: 'gradients',
      metric: 'gradients/fc.weight',
    };
    const layout = parseLayout({ ...defaultLayout(), panels: [panel] });
    assert.deepEqual(layout.panels, [panel]);
    assert.throws(
      () => parseLayout({ ...defaultLayout(), panels: [{ ...panel, metric: '' }] }),
      (error: Error) => error instanceof LayoutValidationError && /panels\[0\]\.metric/.test(error.message),
    );
  });
});
