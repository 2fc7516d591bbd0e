import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPanelSpecs, toChartPoints } from '../src/run-panel.js';
import { linePaths, renderSVG, vertexCount } from './support/render.js';

test('a run panel has one chart per metric, in the order given, each with its own rows', async () => {
  const points = {
    loss: toChartPoints('r1', [
      { step: 0, value: 2 },
      { step: 1, value: 1 },
    ]),
    acc: toChartPoints('r1', [
      { step: 0, value: 0.1 },
      { step: 1, value: 0.5 },
      { step: 2, value: 0.7 },
    ]),
  };
  const charts = runPanelSpecs(['loss', 'acc', 'lr'], { points, width: 250, height: 120 });
  assert.deepEqual(
    charts.map((c) => c.metric),
    ['loss', 'acc', 'lr'],
  );
  const svgs = await Promise.all(charts.map((c) => renderSVG(c.spec)));
  assert.deepEqual(
    svgs.map((s) => linePaths(s).map(vertexCount)),
    [[2], [3], []],
  );
});

test('toChartPoints attaches the run id to every row', () => {
  assert.deepEqual(toChartPoints('x', [{ step: 3, value: 4 }]), [{ step: 3, value: 4, run: 'x' }]);
});
