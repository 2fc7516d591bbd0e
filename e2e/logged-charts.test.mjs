// A chart logged by spyglass.sklearn (an sg.plot chart: a table plus its Vega-Lite spec) shows in a workspace
// table panel as the chart above its rows, as the notebook shows it; a plain logged table shows rows only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { runPython } from './support/store.mjs';

const PROJECT = 'charts';
const GENERATOR = `
import spyglass as sg

with sg.init(project="${PROJECT}", name="classifier", settings={"x_disable_stats": True}):
    sg.sklearn.plot_confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ["cat", "dog"])
    sg.log({"plain": sg.Table(columns=["a"], data=[[1], [2]])})
`;

const session = useLabAndBrowser({ prepare: (lab) => runPython(GENERATOR, [], { cwd: lab.rootDir }) });
const EMBED = '.jp-SpyglassWorkspace .jp-SpyglassWorkspaceEmbed[data-kind="table"]';

async function addTablePanel(page, key) {
  await page.click('.jp-SpyglassWorkspace-addPanel');
  await page.selectOption('.jp-SpyglassPanelEditor-kind', 'table');
  await page.selectOption('.jp-SpyglassPanelEditor-tableKey', key);
  await page.waitForSelector('.jp-SpyglassPanelEditor[data-steps-loaded="true"]');
  await page.click('.jp-SpyglassPanelEditor-add');
}

/** Per table panel: rows shown by its explorer, rows bound to its chart (null: no chart) and whether it drew. */
function panels(page) {
  return page.$$eval(EMBED, (cells) =>
    cells.map((cell) => {
      const plot = cell.querySelector('.jp-SpyglassTablePlot');
      const explorer = cell.querySelector('.sg-table-explorer[data-state="ready"]');
      return {
        rows: explorer ? explorer.querySelectorAll('.sg-grid-row:not(.sg-loading)').length : null,
        plotRows: plot?.dataset.spyglassPlotRows ? Number(plot.dataset.spyglassPlotRows) : null,
        drawn: Boolean(plot?.querySelector('svg, canvas')),
        error: plot?.querySelector('.jp-SpyglassTablePlot-error')?.textContent ?? null,
      };
    }),
  );
}

test('a spyglass.sklearn chart in a workspace table panel is drawn above its table', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-workspace', { project }),
    PROJECT,
  );
  await page.waitForSelector('.jp-SpyglassWorkspace[data-status="ready"]', { timeout: 60_000 });

  await addTablePanel(page, 'confusion_matrix');
  const [chart] = await waitFor(async () => {
    const state = await panels(page);
    return state[0]?.rows === 4 && (state[0].plotRows !== null || state[0].error) ? state : null;
  }, 'the confusion matrix panel with its chart');
  assert.deepEqual(chart, { rows: 4, plotRows: 4, drawn: true, error: null });

  await addTablePanel(page, 'plain');
  const state = await waitFor(async () => {
    const shown = await panels(page);
    return shown.length === 2 && shown[1].rows === 2 ? shown : null;
  }, 'the plain table panel');
  assert.equal(state[1].plotRows, null, 'a plain table has no chart');
  assert.equal(state[1].drawn, false);
});
