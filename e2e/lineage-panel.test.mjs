// The lineage panel in a real JupyterLab: notebooks/artifacts.ipynb logs a dataset, trains two models from it and
// registers one; the panel it displays shows the five nodes and four edges, highlights the path through a clicked
// model, opens its details, moves by keyboard, opens a run panel, pans and zooms, refreshes and exports SVG.
// A three-run pipeline, wider than the panel, is drawn with readable labels in a viewport that scrolls and pans,
// and its text keeps a 4.5:1 contrast in the light and the dark theme.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contrastRatio } from './support/color-contrast.mjs';
import { repoRoot } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns } from './support/store.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for a screenshot of the panel
const session = useLabAndBrowser();
const PROJECT = 'artifacts-demo';
const DATASET = `artifact:${PROJECT}/iris:v0`;
const MODEL_V0 = `artifact:${PROJECT}/iris-classifier:v0`;
const MODEL_V1 = `artifact:${PROJECT}/iris-classifier:v1`;

/** With SPYGLASS_SCREENSHOTS set, a screenshot of the first element matching `selector`. */
async function screenshotPanel(page, selector, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const panel = page.locator(selector).first();
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(SHOTS, name) });
}

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

const PIPELINE = 'pipeline-demo';
// Three runs in a row, each consuming the previous run's output: six nodes, one per column.
const PIPELINE_CELL = `
import spyglass as sg

quiet = {"x_disable_stats": True}
previous = None
for stage, job in [("prepare-data", "prep"), ("train-model", "train"), ("evaluate-model", "eval")]:
    with sg.init(project="${PIPELINE}", name=stage, job_type=job, settings=quiet) as run:
        if previous is not None:
            run.use_artifact(previous)
        output = sg.Artifact(f"{stage}-output", "dataset")
        output.add({"stage": stage}, "summary")
        run.log_artifact(output)
        previous = f"{stage}-output:latest"
output.lineage(depth=5)`;

/** The three-run panel's viewport, scale, label sizes (computed and on screen) and colours of every label. */
function pipelineState(page) {
  return page.evaluate((project) => {
    const panel = document.querySelector(`[data-spyglass-lineage="${project}"]`);
    const viewport = panel?.querySelector('.jp-SpyglassLineage-viewport');
    const nodes = [...(panel?.querySelectorAll('.jp-SpyglassLineage-node') ?? [])];
    if (!viewport || nodes.length === 0) return null;
    const labels = [];
    for (const node of nodes) {
      const box = getComputedStyle(node.querySelector('.jp-SpyglassLineage-box')).fill;
      for (const text of node.querySelectorAll('text')) {
        const style = getComputedStyle(text);
        const chip = text.closest('.jp-SpyglassLineage-chip')?.querySelector('rect');
        labels.push({
          node: node.getAttribute('data-spyglass-node-id'),
          text: text.textContent,
          fontPx: Number.parseFloat(style.fontSize),
          screenPx: Number.parseFloat(style.fontSize) * text.getScreenCTM().a,
          color: style.fill,
          background: chip ? getComputedStyle(chip).fill : box,
        });
      }
    }
    const focus = panel.querySelector('.jp-SpyglassLineage-node.jp-mod-focus')?.getBoundingClientRect();
    const view = viewport.getBoundingClientRect();
    return {
      nodes: nodes.length,
      scale: Number(panel.querySelector('.jp-SpyglassLineage-canvas').getAttribute('data-scale')),
      scrollLeft: viewport.scrollLeft,
      scrollWidth: viewport.scrollWidth,
      clientWidth: viewport.clientWidth,
      focusInView: Boolean(focus && focus.left >= view.left && focus.right <= view.right),
      page: getComputedStyle(viewport).backgroundColor,
      theme: document.body.dataset.jpThemeName,
      labels,
    };
  }, PIPELINE);
}

/** The labels whose contrast with their background is under 4.5:1. */
function lowContrast(state) {
  return state.labels
    .map((l) => ({ ...l, ratio: contrastRatio(l.color, l.background, state.page) }))
    .filter((l) => l.ratio < 4.5)
    .map((l) => `${l.text} (${l.color} on ${l.background}: ${l.ratio.toFixed(2)})`);
}

async function switchTheme(page, theme) {
  await page.evaluate(
    (t) => window.jupyterapp.commands.execute('apputils:change-theme', { theme: t }),
    theme,
  );
  await waitFor(
    async () => (await pipelineState(page))?.theme === theme,
    `the ${theme} theme to apply`,
    15_000,
  );
}

test('a three-run pipeline wider than the panel keeps 11 px labels, scrolls and pans, and reads in light and dark', async () => {
  const { page } = session.browser;
  assert.equal(page.viewportSize().width, 1400);
  const shoot = (name) => screenshotPanel(page, `[data-spyglass-lineage="${PIPELINE}"]`, name);
  writeNotebook(join(session.lab.rootDir, 'pipeline.ipynb'), [PIPELINE_CELL]);
  await openLab(page, session.lab.url);
  await openNotebook(page, 'pipeline.ipynb');
  await runAllCells(page);
  const state = await waitFor(
    async () => {
      const s = await pipelineState(page);
      return s?.nodes === 6 && s.clientWidth > 0 ? s : null;
    },
    'the pipeline lineage with six nodes',
    90_000,
  );

  // Every label at 11 px or more, as computed and as drawn on screen; the graph is wider than the viewport.
  const small = state.labels.filter((l) => l.fontPx < 11 || l.screenPx < 10.95);
  assert.deepEqual(small, [], 'labels under 11 px');
  assert.ok(state.labels.length >= 12, `${state.labels.length} labels`);
  assert.ok(
    state.scrollWidth > state.clientWidth,
    `content ${state.scrollWidth} px in ${state.clientWidth} px`,
  );
  assert.ok(state.focusInView, 'the displayed artifact (the focus, rightmost) is scrolled into view');
  await shoot('lineage-pipeline.png');

  // A plain wheel never zooms; a sideways one scrolls the viewport.
  const view = await page
    .locator(`[data-spyglass-lineage="${PIPELINE}"] .jp-SpyglassLineage-viewport`)
    .boundingBox();
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  await page.mouse.wheel(0, 120);
  await page.mouse.wheel(-200, 0);
  const wheeled = await waitFor(async () => {
    const s = await pipelineState(page);
    return s.scrollLeft < state.scrollLeft ? s : null;
  }, 'a sideways wheel to scroll the viewport');
  assert.equal(wheeled.scale, state.scale, 'a plain wheel does not zoom');

  // Dragging pans: the content follows the pointer.
  await page.mouse.move(view.x + 100, view.y + 20);
  await page.mouse.down();
  await page.mouse.move(view.x + 200, view.y + 20, { steps: 5 });
  await page.mouse.up();
  const dragged = await pipelineState(page);
  assert.ok(
    Math.abs(dragged.scrollLeft - (wheeled.scrollLeft - 100)) <= 2 || dragged.scrollLeft === 0,
    `dragging 100 px right scrolls 100 px left: ${wheeled.scrollLeft} -> ${dragged.scrollLeft}`,
  );

  // Ctrl + wheel zooms; the fit button shows the whole graph, smaller, as asked.
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await waitFor(async () => (await pipelineState(page)).scale > state.scale, 'Ctrl + wheel to zoom in');
  await page.click(`[data-spyglass-lineage="${PIPELINE}"] button[data-action="Fit"]`);
  const fitted = await pipelineState(page);
  assert.ok(fitted.scale < 1 && fitted.scrollWidth <= fitted.clientWidth + 1, JSON.stringify(fitted.scale));

  await shoot('lineage-pipeline-fit.png');
  // Text contrast of every label on its box (or chip), from the computed colours, in both themes.
  assert.deepEqual(lowContrast(fitted), [], `light theme (${fitted.theme})`);
  await switchTheme(page, 'JupyterLab Dark');
  const dark = await pipelineState(page);
  assert.notEqual(dark.page, fitted.page, 'the viewport follows the theme');
  assert.deepEqual(lowContrast(dark), [], 'dark theme');
  await page.click(`[data-spyglass-lineage="${PIPELINE}"] [data-spyglass-node-id^="run:"]`);
  await shoot('lineage-pipeline-dark.png');
  // The theme is a user setting: the next test starts in the light one again, with this notebook closed (its
  // unsaved outputs would hold up the next page load).
  await switchTheme(page, 'JupyterLab Light');
  await page.evaluate(() => window.jupyterapp.shell.currentWidget?.dispose());
});

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
  await screenshotPanel(page, '[data-spyglass-lineage]', 'lineage-panel.png');

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

  // Zoom with Ctrl + wheel over the graph (a plain wheel scrolls: the three-run test checks that).
  const before = Number((await panelState(page)).scale);
  const box = await page.locator('.jp-SpyglassLineage-viewport').first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await waitFor(async () => Number((await panelState(page)).scale) > before, 'Ctrl + wheel to zoom in');

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
