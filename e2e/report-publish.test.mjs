// "Publish report" in a real JupyterLab: the notebook toolbar button saves the notebook, the server writes
// <notebook>.report.html beside it, and that file opens from disk with its chart drawn and no request sent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const session = useLabAndBrowser({
  prepare: (lab) =>
    writeNotebook(join(lab.rootDir, 'publish.ipynb'), [
      'import spyglass as sg\nrun = sg.init(project="publish", config={"lr": 0.1})\nfor i in range(50):\n    run.log({"loss": 1 / (i + 1)})\nrun.finish()\nrun',
    ]),
});

test('the toolbar button publishes the notebook as a report that opens offline', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'publish.ipynb');
  await runAllCells(page);
  await page.waitForSelector('[data-spyglass-run-id]', { timeout: 60_000 });
  await waitFor(
    () =>
      page.evaluate(
        () => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle',
      ),
    'the cell to finish',
  );
  await page.click('.jp-NotebookPanel-toolbar [data-jp-item-name="spyglass-publish-report"] button');
  const report = join(session.lab.rootDir, 'publish.report.html');
  await waitFor(() => existsSync(report), 'the report file', 60_000);

  const viewer = await session.browser.context.newPage();
  const requests = [];
  viewer.on('request', (request) => requests.push(request.url()));
  await viewer.route('**/*', (route) =>
    route.request().url().startsWith('file://') ? route.continue() : route.abort('blockedbyclient'),
  );
  await viewer.goto(`file://${report}`);
  await viewer.waitForFunction(() => document.getElementById('sg-report')?.dataset.ready === 'true', null, {
    timeout: 30_000,
  });
  const charts = await viewer.$$eval('.sg-chart', (elements) =>
    elements.map((c) => [c.dataset.metric, c.querySelectorAll('.mark-line path').length]),
  );
  assert.deepEqual(charts, [['loss', 1]]);
  assert.match(await viewer.textContent('.sg-title'), /lr=0\.1/);
  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  await viewer.close();
});
