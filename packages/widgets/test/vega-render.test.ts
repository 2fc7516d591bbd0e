import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineChartSpec, POINTS_DATASET } from '@spyglass/charts';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { RefusedLoadError } from '../src/errors.js';
import { refusingLoader, replaceDataset, resizeChart } from '../src/vega-render.js';

function headlessView() {
  const spec = lineChartSpec({ metric: 'loss', runs: ['r1'], width: 300, height: 100 });
  return new View(parse(compile(spec).spec), { renderer: 'none' });
}

test('the loader refuses every URL, so a spec cannot make the page fetch anything', async () => {
  const loader = refusingLoader();
  await assert.rejects(loader.load('https://example.com/data.json'), RefusedLoadError);
  await assert.rejects(
    loader.sanitize('data.csv', { context: 'dataflow', response: 'csv' }),
    RefusedLoadError,
  );
});

test('replaceDataset swaps the points of a live view in place', async () => {
  const view = headlessView();
  await view.runAsync();
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ step: i, value: i * 2, run: 'r1' }));
  await replaceDataset(view, POINTS_DATASET, rows(10));
  assert.equal(view.data(POINTS_DATASET).length, 10);
  await replaceDataset(view, POINTS_DATASET, rows(25));
  assert.equal(view.data(POINTS_DATASET).length, 25);
  assert.match(await view.toSVG(), /<path/);
  view.finalize();
});

test('resizeChart sets the total chart width, axes included (autosize fit-x)', async () => {
  const view = headlessView();
  await view.runAsync();
  await resizeChart(view, 420);
  assert.match(await view.toSVG(), /^<svg[^>]* width="420"/);
  view.finalize();
});

test('the plot area shrinks to make room when longer axis labels arrive with the data', async () => {
  const view = headlessView();
  await view.runAsync();
  const emptyPlotWidth = view.width();
  await replaceDataset(view, POINTS_DATASET, [
    { step: 0, value: 0.000123456, run: 'r1' },
    { step: 100000, value: 0.000987654, run: 'r1' },
  ]);
  // Without a re-run of autosize the plot keeps its empty-data width and the y labels overflow the chart.
  assert.ok(view.width() < emptyPlotWidth, `plot width ${view.width()} should be below ${emptyPlotWidth}`);
  view.finalize();
});
