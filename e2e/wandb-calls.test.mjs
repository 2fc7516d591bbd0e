// wandb calls seen from the page: run.url opens the run panel in JupyterLab, which lists the files run.save()
// copied and the alerts run.alert() recorded; run.project_url opens the project's workspace, whose runs table
// shows the alerts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns } from './support/store.mjs';

const session = useLabAndBrowser();

const CELL = `import json, pathlib
import spyglass as wandb

run = wandb.init(project="calls")
pathlib.Path("weights.bin").write_bytes(b"0123456789")
wandb.save("weights.bin", policy="now")
wandb.alert("loss high", "loss is <b>3.2</b>", level=wandb.AlertLevel.WARN)
for i in range(5):
    wandb.log({"iter": i * 10})
pathlib.Path("urls.json").write_text(json.dumps({"run": run.url, "project": run.project_url}))
wandb.join()`;

/** The Files and Alerts tables of a run panel, as {key: value}, or null while the panel is not there. */
function filesAndAlerts(page, runId) {
  return page.evaluate((id) => {
    const panel = document.querySelector(`[data-spyglass-run-id="${id}"]`);
    if (!panel) return null;
    const table = (attr) => {
      const node = panel.querySelector(`[${attr}]`);
      if (!node || node.closest('section')?.hidden) return null;
      return Object.fromEntries(
        [...node.querySelectorAll('tr[data-key]')].map((tr) => [
          tr.getAttribute('data-key'),
          tr.querySelector('td')?.textContent,
        ]),
      );
    };
    return { files: table('data-spyglass-files'), alerts: table('data-spyglass-alerts') };
  }, runId);
}

test('run.url opens the run panel with its saved files and alerts; run.project_url opens the workspace', async () => {
  const { rootDir, url } = session.lab;
  writeNotebook(join(rootDir, 'calls.ipynb'), [CELL]);
  const { page } = session.browser;
  await openLab(page, url);
  await openNotebook(page, 'calls.ipynb');
  await runAllCells(page);
  const storeRoot = join(rootDir, 'spyglass');
  const run = await waitFor(
    () => listRuns(storeRoot, 'calls').find((r) => r.state === 'finished'),
    'the run',
  );
  const urls = await waitFor(() => {
    try {
      return JSON.parse(readFileSync(join(rootDir, 'urls.json'), 'utf8'));
    } catch {
      return null;
    }
  }, 'run.url written by the kernel');
  // The kernel runs under this server, so its URLs open JupyterLab on it (no token in them).
  assert.ok(urls.run.startsWith(`${url}/lab?`), urls.run);
  assert.equal(new URL(urls.run).searchParams.get('spyglass-run'), `calls/${run.run_id}`);

  // Leaving a page with an open notebook asks "leave the page?"; accept it, as a user following the link would.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(urls.run);
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  const shown = await waitFor(
    async () => {
      const c = await filesAndAlerts(page, run.run_id);
      return c?.files && Object.keys(c.files).length > 0 && c?.alerts ? c : null;
    },
    'the run panel opened from run.url with its files and alerts',
    60_000,
  );
  assert.deepEqual(shown.files, { 'weights.bin': '10 bytes (now)' });
  const [[alertKey, alertText]] = Object.entries(shown.alerts);
  assert.equal(alertKey, 'WARN · loss high');
  assert.ok(alertText.startsWith('loss is <b>3.2</b>'), alertText); // shown as text, never as markup
  assert.equal(
    await page.evaluate(() => new URL(window.location.href).searchParams.has('spyglass-run')),
    false,
  );

  await page.goto(urls.project);
  await page.waitForSelector('.jp-SpyglassWorkspace', { timeout: 60_000 });
  // The runs table gets an alerts column (count, latest level and title) since a run of the project has alerts.
  const cell = `.jp-SpyglassWorkspace [data-run-id="${run.run_id}"] [data-column="alerts"]`;
  await page.waitForSelector(cell, { timeout: 60_000 });
  assert.equal((await page.textContent(cell))?.trim(), '1 · WARN loss high');
});
