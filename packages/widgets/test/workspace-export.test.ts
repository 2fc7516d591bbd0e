import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scatterSpec, workspaceLineSpec } from '@spyglass/charts';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { panelSpecForFile, safeFileName, specWithData } from '../src/workspace/export-files.js';
import { bucketsFor } from '../src/workspace/WorkspaceChart.js';

test('M4 buckets keep every line at 1000 points or fewer, whatever the width', () => {
  assert.equal(bucketsFor(10), 50);
  assert.equal(bucketsFor(400), 200);
  assert.equal(bucketsFor(5000), 250);
  assert.ok(bucketsFor(1e9) * 4 <= 1000);
});

test('file names from panel titles keep only safe characters', () => {
  assert.equal(safeFileName('train/loss <b>', 'png'), 'train_loss_b.png');
  assert.equal(safeFileName('../..', 'svg'), 'panel.svg');
});

test('the exported spec carries the rows the view shows', async () => {
  const spec = workspaceLineSpec({ metric: 'loss', runs: ['a'], width: 200 });
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  view.data('lines', [{ run: 'a', x: 1, y: 2, smoothed: null }]);
  await view.runAsync();
  const out = specWithData(spec, view) as { datasets: Record<string, object[]> };
  assert.deepEqual(JSON.parse(JSON.stringify(out.datasets.lines)), [
    { run: 'a', x: 1, y: 2, smoothed: null },
  ]);
  view.finalize();
});

test('a panel drawn without its title (the header shows it) exports with it; a spec with its own keeps that', async () => {
  const spec = scatterSpec({
    title: 'acc vs lr',
    xTitle: 'lr',
    yTitle: 'acc',
    runs: ['a'],
    showTitle: false,
  });
  assert.equal('title' in spec, false, 'the workspace draws no Vega title');
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  assert.equal((panelSpecForFile(spec, view, 'acc vs lr') as { title?: unknown }).title, 'acc vs lr');
  const own = { ...spec, title: 'mine' } as typeof spec;
  assert.equal((panelSpecForFile(own, view, 'acc vs lr') as { title?: unknown }).title, 'mine');
  view.finalize();
});
