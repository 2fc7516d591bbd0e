// Charts logged by spyglass.sklearn (sg.plot charts: a table plus its Vega-Lite spec) show as charts: in a
// workspace table panel above the table's rows (a plain logged table shows rows only), and in the run panel's
// "Logged charts" section, each drawn from its table file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, runPython } from './support/store.mjs';

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

const CLASSIFIER_CELL = `import spyglass as sg
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

X, y = make_classification(120, 4, random_state=0)
clf = RandomForestClassifier(n_estimators=5, random_state=0).fit(X[:90], y[:90])
run = sg.init(project="notebook-charts", settings={"x_disable_stats": True})
sg.sklearn.plot_classifier(
    clf, X[:90], X[90:], y[:90], y[90:], clf.predict(X[90:]), clf.predict_proba(X[90:]), ["no", "yes"]
)
run.finish()
run`;

/** The run panel's logged charts: section count and, per chart key, the rows its plot drew (null: not yet). */
function loggedChartsOf(page, runId) {
  return page.evaluate((id) => {
    const section = document.querySelector(`[data-spyglass-run-id="${id}"] .jp-SpyglassLoggedCharts`);
    if (!section) return null;
    const charts = Object.fromEntries(
      [...section.querySelectorAll('[data-spyglass-chart-key]')].map((view) => {
        const plot = view.querySelector('.jp-SpyglassTablePlot');
        const drawn = plot?.querySelector('svg, canvas') && plot.dataset.spyglassPlotRows;
        return [view.dataset.spyglassChartKey, drawn ? Number(plot.dataset.spyglassPlotRows) : null];
      }),
    );
    return { count: Number(section.dataset.spyglassCharts ?? 0), hidden: section.hidden, charts };
  }, runId);
}

test('the run panel of a run that plotted a classifier draws each logged chart from its table', async () => {
  writeNotebook(join(session.lab.rootDir, 'classifier.ipynb'), [CLASSIFIER_CELL]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'classifier.ipynb');
  await runAllCells(page);

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(
    () => listRuns(storeRoot, 'notebook-charts')[0],
    'the run to appear in the store',
  );
  const shown = await waitFor(
    async () => {
      const state = await loggedChartsOf(page, run.run_id);
      return state && state.count === 7 && Object.values(state.charts).every((rows) => rows !== null)
        ? state
        : null;
    },
    'the seven classifier charts drawn in the run panel',
    90_000,
  );
  assert.equal(shown.hidden, false);
  assert.deepEqual(Object.keys(shown.charts), [
    'calibration_curve',
    'class_proportions',
    'confusion_matrix',
    'feature_importances',
    'precision_recall',
    'roc',
    'summary_metrics',
  ]);
  assert.equal(shown.charts.confusion_matrix, 4, 'a 2 x 2 confusion matrix');
  assert.equal(shown.charts.summary_metrics, 4, 'accuracy, precision, recall, f1');

  if (!process.env.SPYGLASS_SCREENSHOTS) return; // opt-in: a folder for a screenshot of the section
  await page.setViewportSize({ width: 1400, height: 2600 });
  const section = page.locator(`[data-spyglass-run-id="${run.run_id}"] .jp-SpyglassLoggedCharts`);
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(process.env.SPYGLASS_SCREENSHOTS, 'logged-charts.png') });
});
