import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from 'vega-lite';
import {
  paramScatterSpec,
  scatterAxisKind,
  scatterParameters,
  scatterRows,
} from '../src/sweep/param-scatter.js';
import { renderSVG } from './support/render.js';
import { markCount, sweepFixture } from './support/sweep-fixture.js';

test('every varying parameter can be picked; the constant one cannot', () => {
  assert.deepEqual(scatterParameters(sweepFixture()), [
    'optimizer.lr',
    'optimizer.name',
    'model.layers',
    'model.dropout',
  ]);
});

test('a log-sampled parameter is drawn on a log axis, a categorical one on a nominal axis', () => {
  const snapshot = sweepFixture();
  assert.equal(scatterAxisKind(snapshot, 'optimizer.lr'), 'log');
  assert.equal(scatterAxisKind(snapshot, 'optimizer.name'), 'nominal');
  assert.equal(scatterAxisKind(snapshot, 'model.dropout'), 'linear');
  const scales = compile(paramScatterSpec({ snapshot, param: 'optimizer.lr', width: 300 })).spec.scales ?? [];
  assert.equal(scales.find((s) => s.name === 'x')?.type, 'log');
});

test('draws a point per trial that has a metric, for numeric and categorical parameters alike', async () => {
  const snapshot = sweepFixture();
  for (const param of ['optimizer.lr', 'optimizer.name', 'model.layers']) {
    const svg = await renderSVG(paramScatterSpec({ snapshot, param, width: 300 }));
    assert.equal(markCount(svg, 'symbol'), 10, param);
  }
  assert.deepEqual([...new Set(scatterRows(snapshot, 'optimizer.name').map((r) => r.x))].sort(), [
    'adam',
    'adamw',
    'sgd',
  ]);
});

test('a categorical parameter of numbers keeps its values as axis labels (each at six digits)', () => {
  const snapshot = sweepFixture();
  const lr = snapshot.sweep.parameters.find((p) => p.name === 'optimizer.lr');
  assert.ok(lr);
  Object.assign(lr, { kind: 'categorical', log: false, min: null, max: null, values: [0.001, 0.01, 1 / 3] });
  const spec = paramScatterSpec({ snapshot, param: 'optimizer.lr', width: 300 }) as {
    encoding: { x: { scale: { domain: string[] } } };
  };
  assert.deepEqual(spec.encoding.x.scale.domain, ['0.001', '0.01', '0.333333']);
});

test('tooltips show a numeric parameter and the metric to six significant digits', () => {
  const spec = paramScatterSpec({ snapshot: sweepFixture(), param: 'model.dropout', width: 300 }) as {
    encoding: { tooltip: { field: string; format?: string }[] };
  };
  const formats = Object.fromEntries(spec.encoding.tooltip.map((t) => [t.field, t.format]));
  assert.equal(formats.x, '.6~g');
  assert.equal(formats.metric, '.6~g');
});
