// Histograms over time: keys logged as sg.Histogram (as sg.watch logs gradients/… and parameters/…) show in the
// run panel as one heat strip per key, in a section per prefix, with a column of cells per logged step; and in the
// workspace as a "Histograms over time" panel stacking one strip per run.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, querySpyglass, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, runPython } from './support/store.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for light and dark screenshots of the strips

const session = useLabAndBrowser();

const INIT_CELL = `import numpy as np
import spyglass as sg

run = sg.init(project="histograms")
run`;

// Every 10th of 60 steps, three layers' histograms join that step's row (commit=False), as watch's hooks do.
const LOG_CELL = `rng = np.random.default_rng(0)
for step in range(60):
    if step % 10 == 9:
        spread = 1 + step / 60
        run.log({
            "gradients/conv1.weight": sg.Histogram(rng.normal(0, spread, 500)),
            "gradients/fc.weight": sg.Histogram(rng.normal(0, spread / 10, 800)),
            "parameters/fc.bias": sg.Histogram(rng.uniform(-1, 1, 10), num_bins=16),
        }, commit=False)
    run.log({"loss": 1 / (step + 1)})
run.finish()`;

/** The heat strips of a run panel: section -> key -> what the strip says it drew and how many cells. */
function heatStrips(page, runId) {
  return page.evaluate((id) => {
    const panel = document.querySelector(`[data-spyglass-run-id="${id}"]`);
    if (!panel) return null;
    return Object.fromEntries(
      [...panel.querySelectorAll('[data-histogram-section]')].map((section) => [
        section.getAttribute('data-histogram-section'),
        Object.fromEntries(
          [...section.querySelectorAll('.jp-SpyglassHeatStrip')].map((strip) => [
            strip.getAttribute('data-metric'),
            {
              steps: Number(strip.getAttribute('data-steps')),
              cells: strip.querySelectorAll('.mark-rect path').length,
              fills: new Set(
                [...strip.querySelectorAll('.mark-rect path')].map((p) => p.getAttribute('fill')),
              ).size,
              error: strip.getAttribute('data-error'),
            },
          ]),
        ),
      ]),
    );
  }, runId);
}

test('the run panel draws a heat strip per histogram key, a section per prefix, a column per logged step', async () => {
  writeNotebook(join(session.lab.rootDir, 'histograms.ipynb'), [INIT_CELL, LOG_CELL]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'histograms.ipynb');
  await runAllCells(page);

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'histograms')[0], 'the run to appear in the store');
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"]`, { timeout: 30_000 });
  await waitFor(
    () => listRuns(storeRoot, 'histograms')[0]?.state === 'finished',
    'the run to finish',
    60_000,
  );

  const strips = await waitFor(async () => {
    const s = await heatStrips(page, run.run_id);
    const all = Object.values(s ?? {}).flatMap((section) => Object.values(section));
    return all.length === 3 && all.every((strip) => strip.steps === 6) ? s : null;
  }, 'three heat strips with six logged steps each');

  assert.deepEqual(Object.keys(strips), ['gradients', 'parameters']);
  assert.deepEqual(Object.keys(strips.gradients), ['gradients/conv1.weight', 'gradients/fc.weight']);
  assert.deepEqual(Object.keys(strips.parameters), ['parameters/fc.bias']);
  for (const [key, strip] of Object.entries({ ...strips.gradients, ...strips.parameters })) {
    assert.equal(strip.error, null, key);
    // One rect per non-empty bin: six columns of at most 64 (16 for the bias) bins, most of them filled.
    const bins = key === 'parameters/fc.bias' ? 16 : 64;
    assert.ok(strip.cells >= 6 * 5 && strip.cells <= 6 * bins, `${key}: ${strip.cells} cells`);
    assert.ok(strip.fills > 1, `${key}: counts are coloured by value (${strip.fills} colours)`);
  }
  const [stored] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS n, count(DISTINCT step)::INTEGER AS steps FROM histograms WHERE run_id = '${run.run_id}'`,
  );
  assert.deepEqual(stored, { n: 18, steps: 6 });
  const lineSections = await page.evaluate(
    (id) =>
      [...document.querySelectorAll(`[data-spyglass-run-id="${id}"] [data-section]`)].map((s) =>
        s.getAttribute('data-section'),
      ),
    run.run_id,
  );
  assert.ok(!lineSections.includes('gradients'), 'histograms are not drawn as line charts');

  // Strip colours follow the JupyterLab theme: switching it redraws them in the new theme's colours.
  const fillsOf = () =>
    page.evaluate(
      (id) =>
        [
          ...document.querySelectorAll(
            `[data-spyglass-run-id="${id}"] .jp-SpyglassHeatStrip[data-metric="parameters/fc.bias"] .mark-rect path`,
          ),
        ]
          .map((p) => p.getAttribute('fill'))
          .join(' '),
      run.run_id,
    );
  const lightFills = await fillsOf();
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
  );
  await waitFor(async () => {
    const fills = await fillsOf();
    return fills !== '' && fills !== lightFills ? fills : null;
  }, 'the strips to be redrawn in the dark theme');

  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1400, height: 2000 });
    const sections = page.locator(`[data-spyglass-run-id="${run.run_id}"] .jp-SpyglassHistogramSections`);
    await sections.scrollIntoViewIfNeeded();
    await sections.screenshot({ path: join(SHOTS, 'histogram-strips-dark.png') });
  }
  // The theme is a user setting: later tests start in the light one again.
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Light' }),
  );
});

// Two plain-script runs of another project logging one key every 5 of 40 steps (8 histograms each).
const WORKSPACE_RUNS = `
import sys
import numpy as np
import spyglass as sg
rng = np.random.default_rng(1)
for name in ("wide", "narrow"):
    run = sg.init(project="hist-ws", dir=sys.argv[1], name=name, settings={"x_disable_stats": True})
    for step in range(40):
        if step % 5 == 0:
            spread = 2.0 if name == "wide" else 0.5
            run.log({"gradients/fc.weight": sg.Histogram(rng.normal(0, spread, 300))}, commit=False)
        run.log({"loss": 1 / (step + 1)})
    run.finish()
`;

test('a workspace histogram panel stacks one labelled heat strip per run of the project', async () => {
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  runPython(WORKSPACE_RUNS, [storeRoot]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await page.waitForFunction(() => window.jupyterapp.commands.hasCommand('spyglass:open-workspace'), null, {
    timeout: 30_000,
  });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'hist-ws' }),
  );
  await page.waitForSelector('.jp-SpyglassWorkspace[data-status="ready"]', { timeout: 60_000 });
  await page.click('.jp-SpyglassWorkspace-addPanel');
  await page.selectOption('.jp-SpyglassPanelEditor-kind', 'histogram');
  await page.fill('.jp-SpyglassPanelEditor-histogramKey', 'gradients/fc.weight');
  await page.click('.jp-SpyglassPanelEditor-add');
  const panel = '.jp-SpyglassWorkspace .jp-SpyglassWorkspaceChart[data-kind="histogram"]';
  await page.waitForSelector(panel, { timeout: 30_000 });
  await page.locator(panel).scrollIntoViewIfNeeded();
  const drawn = await waitFor(
    () =>
      page.evaluate((selector) => {
        const node = document.querySelector(selector);
        if (node?.dataset.state !== 'ready') return null;
        const texts = [...node.querySelectorAll('svg text')].map((t) => t.textContent);
        return {
          runs: Number(node.dataset.runs),
          histograms: Number(node.dataset.histograms),
          cells: node.querySelectorAll('.mark-rect path').length,
          labels: ['wide', 'narrow'].filter((name) => texts.includes(name)),
          titles: [
            ...[...node.querySelectorAll('.jp-SpyglassWorkspaceChart-title')].map((t) => t.textContent),
            ...texts.filter((t) => t === 'gradients/fc.weight'),
          ],
        };
      }, panel),
    'the histogram panel to draw both runs',
  );
  assert.equal(drawn.runs, 2);
  assert.equal(drawn.histograms, 16, 'eight histograms per run');
  assert.ok(drawn.cells >= 16 * 10, `${drawn.cells} cells`);
  assert.deepEqual(drawn.labels.sort(), ['narrow', 'wide'], 'each strip is labelled with its run name');
  assert.deepEqual(drawn.titles, ['gradients/fc.weight'], 'one title: the panel header');
});
