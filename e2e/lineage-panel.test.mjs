// The lineage panel in a real JupyterLab: notebooks/artifacts.ipynb logs a dataset, trains two models from it and
// registers one; the panel it displays shows the five nodes and four edges, highlights the path through a clicked
// model, opens its details, moves by keyboard, opens a run panel, pans and zooms, refreshes and exports SVG.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { listRuns } from './support/store.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for a screenshot of the panel
const session = useLabAndBrowser();
const PROJECT = 'artifacts-demo';
const DATASET = `artifact:${PROJECT}/iris:v0`;
const MODEL_V0 = `artifact:${PROJECT}/iris-classifier:v0`;
const MODEL_V1 = `artifact:${PROJECT}/iris-classifier:v1`;

/** What the panel draws: nodes by id with kind and classes, edges by key with kind and classes, details. */
function panelState(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-spyglass-lineage]');
    if (!panel) return null;
    const classes = (el) => ({
      path: el.classList.contains('jp-mod-path'),
      dimmed: el.classList.contains('jp-mod-dimmed'),
      selected: el.classList.contains('jp-mod-selected'),
    });
    const nodes = Object.fromEntries(
      [...panel.querySelectorAll('[data-spyglass-node-id]')].map((n) => [
        n.getAttribute('data-spyglass-node-id'),
        { kind: n.getAttribute('data-kind'), aliases: n.getAttribute('data-aliases'), ...classes(n) },
      ]),
    );
    const edges = Object.fromEntries(
      [...panel.querySelectorAll('[data-spyglass-edge]')].map((e) => [
        e.getAttribute('data-spyglass-edge'),
        { kind: e.getAttribute('data-kind'), ...classes(e) },
      ]),
    );
    const details = panel.querySelector('[data-spyglass-details]');
    const fields = Object.fromEntries(
      [...(details?.querySelectorAll('[data-field]') ?? [])].map((cell) => [
        cell.getAttribute('data-field'),
        cell.textContent,
      ]),
    );
    return {
      nodes,
      edges,
      selected: panel.getAttribute('data-selected'),
      details: details?.getAttribute('data-spyglass-details') ?? null,
      fields,
      actions: [...(details?.querySelectorAll('button[data-action]') ?? [])].map((b) =>
        b.getAttribute('data-action'),
      ),
      message: panel.querySelector('.jp-SpyglassLineage-message:not([hidden])')?.textContent ?? '',
      scale: panel.querySelector('svg')?.getAttribute('data-scale'),
    };
  });
}

test('the lineage panel shows the artifacts notebook lineage and the path through a clicked model', async () => {
  copyFileSync(join(repoRoot, 'notebooks', 'artifacts.ipynb'), join(session.lab.rootDir, 'artifacts.ipynb'));
  const { page, requests } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'artifacts.ipynb');
  await runAllCells(page);

  const state = await waitFor(
    async () => {
      const s = await panelState(page);
      return s && Object.keys(s.nodes).length === 5 ? s : null;
    },
    'the lineage panel with five nodes',
    90_000,
  );
  const runs = listRuns(join(session.lab.rootDir, 'spyglass'), PROJECT).sort(
    (a, b) => a.created_at - b.created_at,
  );
  assert.equal(runs.length, 2, 'two training runs in the store');
  const [train1, train2] = runs.map((r) => `run:${PROJECT}/${r.run_id}`);

  assert.deepEqual(Object.fromEntries(Object.entries(state.nodes).map(([id, n]) => [id, n.kind])), {
    [DATASET]: 'artifact',
    [train1]: 'run',
    [train2]: 'run',
    [MODEL_V0]: 'artifact',
    [MODEL_V1]: 'artifact',
  });
  assert.deepEqual(Object.fromEntries(Object.entries(state.edges).map(([key, e]) => [key, e.kind])), {
    [`${DATASET}->${train1}`]: 'consumed',
    [`${DATASET}->${train2}`]: 'consumed',
    [`${train1}->${MODEL_V0}`]: 'produced',
    [`${train2}->${MODEL_V1}`]: 'produced',
  });
  assert.equal(state.nodes[MODEL_V1].aliases, 'latest');

  // Click the registered model: its path (dataset → train 2 → model v1) is highlighted, the rest dimmed.
  await page.click(`[data-spyglass-node-id="${MODEL_V1}"]`);
  const picked = await waitFor(async () => {
    const s = await panelState(page);
    return s?.details === MODEL_V1 ? s : null;
  }, 'the details of the clicked model');
  assert.equal(picked.selected, MODEL_V1);
  const onPath = (items) =>
    Object.entries(items)
      .filter(([, v]) => v.path)
      .map(([k]) => k)
      .sort();
  assert.deepEqual(onPath(picked.nodes), [DATASET, MODEL_V1, train2].sort());
  assert.deepEqual(onPath(picked.edges), [`${DATASET}->${train2}`, `${train2}->${MODEL_V1}`].sort());
  assert.ok(picked.nodes[train1].dimmed && picked.nodes[MODEL_V0].dimmed && picked.nodes[MODEL_V1].selected);
  assert.equal(picked.fields.Type, 'model');
  assert.equal(picked.fields.Version, 'v1');
  assert.equal(picked.fields.Aliases, 'latest');
  assert.equal(picked.fields['Registry links'], 'model/iris-classifier:v0');
  assert.match(picked.fields.Digest, /\S/);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    const panel = page.locator('[data-spyglass-lineage]').first();
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'lineage-panel.png') });
  }

  // Keyboard: from the model, ArrowLeft follows its edge back to the run that produced it; Enter selects it.
  await page.focus(`[data-spyglass-node-id="${MODEL_V1}"]`);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const run = await waitFor(async () => {
    const s = await panelState(page);
    return s?.details === train2 ? s : null;
  }, 'the run selected by keyboard');
  assert.equal(run.fields['Run id'], runs[1].run_id);
  assert.equal(run.fields['Job type'], 'train');
  assert.deepEqual(onPath(run.nodes), [DATASET, MODEL_V1, train2].sort());

  // Zoom with the wheel over the graph.
  const before = Number((await panelState(page)).scale);
  const box = await page.locator('.jp-SpyglassLineage-canvas').first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await waitFor(async () => Number((await panelState(page)).scale) > before, 'the wheel to zoom in');

  // Refresh asks the lineage endpoint and draws the same five nodes.
  await page.click('.jp-SpyglassLineage-toolbar button[data-action="Refresh"]');
  await waitFor(() => requests.some((url) => url.includes('/spyglass/api/v1/lineage?')), 'a lineage request');
  await waitFor(
    () => page.evaluate(() => !document.querySelector('.jp-SpyglassLineage-toolbar[data-busy]')),
    'the refresh to finish',
  );
  const refreshed = await panelState(page);
  assert.equal(Object.keys(refreshed.nodes).length, 5);
  assert.equal(refreshed.message, '');
  assert.equal(refreshed.selected, train2, 'the selection survives a refresh');
  assert.equal(refreshed.details, train2);

  // Exploring a node asks the endpoint for its neighbourhood and merges it in (nothing new here: still five).
  await page.click(`[data-spyglass-node-id="${train1}"]`);
  await page.waitForSelector(`[data-spyglass-details="${train1}"]`);
  await page.click('[data-spyglass-details] button[data-action="Show its neighbourhood"]');
  const focusParam = `focus=${encodeURIComponent(train1)}`;
  await waitFor(
    () => requests.some((url) => url.includes('/spyglass/api/v1/lineage?') && url.includes(focusParam)),
    'a lineage request around the explored run',
  );
  await waitFor(
    () => page.evaluate(() => !document.querySelector('.jp-SpyglassLineage-toolbar[data-busy]')),
    'the neighbourhood to load',
  );
  const explored = await panelState(page);
  assert.equal(Object.keys(explored.nodes).length, 5);
  assert.equal(Object.keys(explored.edges).length, 4);
  assert.equal(explored.message, '');

  // Export: a standalone SVG file with every node.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('.jp-SpyglassLineage-toolbar button[data-action="Export SVG"]'),
  ]);
  const svg = readFileSync(await download.path(), 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(svg.match(/data-spyglass-node-id=/g)?.length, 5);
  assert.ok(svg.includes('iris-classifier:v1'));

  // Last, as the tab it opens beside the notebook narrows the panel: a run's details open its run panel.
  await page.click(`[data-spyglass-node-id="${train2}"]`);
  await page.waitForSelector(`[data-spyglass-details="${train2}"]`);
  await page.click('[data-spyglass-details] button[data-action="Open run panel"]');
  await page.waitForSelector(`.jp-SpyglassRunTab [data-spyglass-run-id="${runs[1].run_id}"]`, {
    timeout: 30_000,
  });
});
