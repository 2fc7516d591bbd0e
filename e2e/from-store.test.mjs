// A notebook executed headless (nbclient, no browser) writes its run to the store; opening it afterwards in
// JupyterLab shows the panel rebuilt from the store, and the saved file carries a static picture for viewers
// without the extension.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, venvBin } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, panelRows, querySpyglass, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { listRuns } from './support/store.mjs';

const STEPS = 300;
const RUN_MIME = 'application/vnd.spyglass.run.v1+json';

const session = useLabAndBrowser({
  prepare: async (lab) => {
    const notebook = join(lab.rootDir, 'quickstart.ipynb');
    copyFileSync(join(repoRoot, 'notebooks', 'quickstart.ipynb'), notebook);
    execFileSync(join(venvBin, 'python'), [join(repoRoot, 'scripts', 'run_notebook.py'), notebook], {
      encoding: 'utf8',
      env: { ...process.env, SPYGLASS_DIR: '' },
    });
  },
});

test('the headless run is complete on disk and its saved output carries a static SVG fallback', () => {
  const [run] = listRuns(join(session.lab.rootDir, 'spyglass'), 'quickstart');
  assert.equal(run.state, 'finished');
  const notebook = JSON.parse(readFileSync(join(session.lab.rootDir, 'quickstart.ipynb'), 'utf8'));
  const outputs = notebook.cells.flatMap((cell) => cell.outputs ?? []);
  const panel = outputs.find((o) => o.data?.[RUN_MIME]);
  assert.ok(panel, 'the run output is saved with its Spyglass MIME bundle');
  assert.equal(panel.data[RUN_MIME].run_id, run.run_id);
  const svg = [panel.data['image/svg+xml']].flat().join('');
  assert.match(svg, /^<svg[\s>]/, 'the static fallback is an SVG document');
  assert.doesNotMatch(svg, /<script/i, 'the static fallback carries no script');
  for (const metric of ['train/loss', 'train/accuracy', 'learning_rate'])
    assert.ok(svg.includes(metric), metric);
});

test('opening the executed notebook rebuilds the panel from the store', async () => {
  const [run] = listRuns(join(session.lab.rootDir, 'spyglass'), 'quickstart');
  const { page, requests } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'quickstart.ipynb');
  await waitFor(async () => (await panelRows(page, run.run_id)) === STEPS, `the panel to show ${STEPS} rows`);
  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS points, count(DISTINCT step)::INTEGER AS steps
       FROM points WHERE run_id = '${run.run_id}' AND metric = 'train/loss'`,
  );
  assert.deepEqual(counts, { points: STEPS, steps: STEPS });
  assert.ok(
    requests.some((u) => u.includes('/spyglass/api/v1/history')),
    'the history came from the store through the server extension',
  );
  // The system metrics log is read from the store too, into its own section, each sample once.
  assert.ok(requests.some((u) => u.includes('/spyglass/api/v1/history') && u.includes('stream=system')));
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"] [data-section="system"] [data-metric]`);
  const [system] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS n, count(DISTINCT runtime)::INTEGER AS times
       FROM system_points WHERE run_id = '${run.run_id}' AND metric = 'system/cpu.percent'`,
  );
  assert.ok(
    system.n >= 1 && system.n === system.times,
    `system samples once each: ${JSON.stringify(system)}`,
  );
});
