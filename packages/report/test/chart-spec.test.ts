import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from 'vega-lite';
import {
  distinctRunColors,
  HOVER_PARAM,
  LEGEND_PARAM,
  reportChartSpec,
  ZOOM_X_SIGNAL,
} from '../src/chart-spec.js';

const points = [
  { step: 0, value: 1, run: 'a' },
  { step: 1, value: 0.5, run: 'a' },
  { step: 0, value: 2, run: 'b' },
];

describe('reportChartSpec', () => {
  test('compiles with x zoom bound to the scales, legend picking and hover highlighting', () => {
    const spec = reportChartSpec({
      metric: 'loss',
      xTitle: 'step',
      runs: ['a', 'b'],
      runNames: {},
      points,
      dark: false,
    });
    const vg = compile(spec).spec;
    const signals = (vg.signals ?? []).map((s) => s.name);
    for (const name of [ZOOM_X_SIGNAL, HOVER_PARAM, LEGEND_PARAM]) assert.ok(signals.includes(name), name);
  });

  test('labels legend entries with run names while colours key on ids', () => {
    const spec = reportChartSpec({
      metric: 'loss',
      xTitle: 'step',
      runs: ['a', 'b'],
      runNames: { a: '<b>alpha</b>', b: 'beta' },
      points,
      dark: true,
    }) as { encoding: { color: { legend: { labelExpr: string }; scale: { domain: string[] } } } };
    assert.deepEqual(spec.encoding.color.scale.domain, ['a', 'b']);
    assert.match(spec.encoding.color.legend.labelExpr, /"<b>alpha<\/b>"/);
  });

  test('a single run gets no legend and no legend param', () => {
    const spec = reportChartSpec({
      metric: 'm',
      xTitle: 'step',
      runs: ['a'],
      runNames: {},
      points,
      dark: false,
    });
    const params = (spec as { params: { name: string }[] }).params.map((p) => p.name);
    assert.ok(!params.includes(LEGEND_PARAM));
  });
});

describe('distinctRunColors', () => {
  test('gives every run of a group its own colour', () => {
    const runs = Array.from({ length: 10 }, (_, i) => `run-${i}`);
    const colors = distinctRunColors(runs);
    assert.equal(new Set(Object.values(colors)).size, 10);
  });
});
