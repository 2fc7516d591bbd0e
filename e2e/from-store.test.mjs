// A notebook executed headless (nbclient, no browser) writes its run to the store; opening it afterwards in
// JupyterLab shows the panel rebuilt from the store, and the saved file carries a static picture for viewers
// without the extension. A run whose history log is hostile (valid CRCs, an Arrow payload whose headers lie) shows
// as damaged with its reason while the rest of the page keeps working.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RUN_MIME_TYPE as RUN_MIME } from '@spyglass/protocol';
import { repoRoot, venvBin } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, panelRows, querySpyglass, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, runPython } from './support/store.mjs';

const STEPS = 300;
/** Three flipped bits in frame 1's Arrow headers, CRCs valid: apache-arrow alone spins for minutes on it. */
const HOSTILE_LOG = join(repoRoot, 'packages', 'protocol', 'fixtures', 'framed-log', 'hostile-arrow.sglog');

// A finished run whose history.sglog is then replaced by the hostile golden log (its Parquet copy removed, so
// every reader goes to the log); prints the run's output bundle for a saved notebook.
const HOSTILE_RUN = `
import json, sys
import spyglass as sg
run = sg.init(project="hostile", dir=sys.argv[1], name="hostile-run")
for step in range(6):
    run.log({"loss": 1.0 / (step + 1)})
run.finish()
print(json.dumps({"run_id": run.id, "run_dir": run.dir}))
`;

const session = useLabAndBrowser({
  prepare: async (lab) => {
    const notebook = join(lab.rootDir, 'quickstart.ipynb');
    copyFileSync(join(repoRoot, 'notebooks', 'quickstart.ipynb'), notebook);
    execFileSync(join(venvBin, 'python'), [join(repoRoot, 'scripts', 'run_notebook.py'), notebook], {
      encoding: 'utf8',
      env: { ...process.env, SPYGLASS_DIR: '' },
    });
    const hostile = JSON.parse(runPython(HOSTILE_RUN, [join(lab.rootDir, 'spyglass')]));
    copyFileSync(HOSTILE_LOG, join(hostile.run_dir, 'history.sglog'));
    rmSync(join(hostile.run_dir, 'history.parquet'), { force: true });
    const output = {
      output_type: 'display_data',
      metadata: {},
      data: {
        [RUN_MIME]: { ...hostile, project: 'hostile', name: 'hostile-run', protocol: { major: 1, minor: 0 } },
        'text/plain': 'hostile-run',
      },
    };
    writeNotebook(join(lab.rootDir, 'hostile.ipynb'), ['# the run was logged elsewhere']);
    const saved = JSON.parse(readFileSync(join(lab.rootDir, 'hostile.ipynb'), 'utf8'));
    saved.cells[0].outputs = [output];
    writeFileSync(join(lab.rootDir, 'hostile.ipynb'), JSON.stringify(saved));
    session.hostile = hostile;
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
  // The system section starts collapsed: its charts are there, drawn when it is opened.
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"] [data-section="system"] [data-metric]`, {
    state: 'attached',
  });
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

test('a run whose log is hostile shows as damaged with its reason; its good frames and the page stay usable', async () => {
  const { run_id: runId } = session.hostile;
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'hostile.ipynb');
  const panel = `[data-spyglass-run-id="${runId}"]`;
  await page.waitForSelector(`${panel}[data-status="damaged"]`, { timeout: 30_000 });
  // Frames 0 and 2 (3 + 1 rows) are shown; frame 1 is left out.
  await waitFor(async () => (await panelRows(page, runId)) === 4, 'the good frames (4 rows) in the panel');
  const badge = await page.$eval(`${panel} .jp-SpyglassRunPanel-damaged`, (e) => ({
    hidden: e.hidden,
    title: e.title,
  }));
  assert.equal(badge.hidden, false, 'the header shows the damaged badge');
  assert.match(badge.title, /frame 1 .*malformed/, badge.title);
  const message = await page.$eval(`${panel} .jp-SpyglassRunPanel-message`, (e) => e.textContent);
  assert.match(message, /cannot be read.*malformed/);
  // The decode ran in the frame decode worker, and the tab answers at once.
  const stats = await page.evaluate(() => window.jupyterapp.commands.execute('spyglass:stats'));
  assert.ok(stats.decodeWorkers >= 1, `frames were decoded in a worker: ${JSON.stringify(stats)}`);
  const started = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  assert.ok(Date.now() - started < 1000, 'the page answers within a second');
  // The workspace row for the run says damaged, with the reader's reason, and the quickstart run still loads.
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'hostile' }),
  );
  const row = await page.waitForSelector(`.jp-SpyglassRunsTable-row[data-run-id="${runId}"][data-damaged]`, {
    timeout: 30_000,
  });
  assert.match(await row.getAttribute('data-damaged'), /history cannot be read/);
  const [quickstart] = listRuns(join(session.lab.rootDir, 'spyglass'), 'quickstart');
  await openNotebook(page, 'quickstart.ipynb');
  await waitFor(
    async () => (await panelRows(page, quickstart.run_id)) === STEPS,
    'the healthy run beside it',
  );
});
