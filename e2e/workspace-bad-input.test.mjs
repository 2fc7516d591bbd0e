// The workspace over awkward runs: one with 3,000 metric keys, a metric that is NaN in every run, and config values
// of mixed types across runs. Every run is listed, the panels are laid out by section, the charts in view draw,
// the NaN metric says why it is empty, and nothing reaches the console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { runPython } from './support/store.mjs';

const KEYS = 3000;
const SECTIONS = 40;
const GENERATOR = `
import math, sys
import spyglass as sg
store = sys.argv[1]
wide = sg.init(project="odd", dir=store, name="wide", config={"seed": 1, "size": 3},
               settings={"x_disable_stats": True})
for step in range(20):
    row = {f"group{k % ${SECTIONS}}/m{k}": step * 0.1 + k for k in range(${KEYS})}
    row["always_nan"] = math.nan
    wide.log(row, step=step)
wide.finish()
narrow = sg.init(project="odd", dir=store, name="narrow", config={"seed": "abc", "size": [1, 2]},
                 settings={"x_disable_stats": True})
for step in range(20):
    narrow.log({"group0/m0": -step, "always_nan": math.nan}, step=step)
narrow.finish()
`;

const session = useLabAndBrowser({
  prepare: (lab) => runPython(GENERATOR, [join(lab.rootDir, 'spyglass')]),
});

const WORKSPACE = '.jp-SpyglassWorkspace';

test('thousands of metric keys, an all-NaN metric and mixed config types', async () => {
  const { page, consoleErrors } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'odd' }),
  );
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="2"]`, { timeout: 60_000 });

  // Both runs are listed; the mixed-type config keys show each run's own value.
  const rows = await page.$$eval('.jp-SpyglassRunsTable-row', (els) => els.map((e) => e.textContent));
  assert.equal(rows.length, 2);
  assert.ok(rows.some((t) => t.includes('wide') && t.includes('1')));
  assert.ok(rows.some((t) => t.includes('narrow') && t.includes('abc')));

  // One panel per metric, in one section per prefix (plus the unprefixed one); only the charts in view load.
  const charts = await page.$$eval(
    `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-kind="line"]`,
    (n) => n.length,
  );
  assert.equal(charts, KEYS + 1);
  const sections = await page.$$eval(`${WORKSPACE} .jp-SpyglassWorkspace-grid details`, (n) => n.length);
  assert.equal(sections, SECTIONS + 1);
  const first = `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="group0/m0"]`;
  await page.waitForSelector(`${first}[data-state="ready"]`, { timeout: 30_000 });
  assert.equal(await page.$eval(first, (n) => n.dataset.lines), '2');
  const drawn = await page.$$eval(
    `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-state="ready"]`,
    (n) => n.length,
  );
  assert.ok(drawn > 0 && drawn < KEYS / 10, `${drawn} charts drawn: only those in view`);

  // The all-NaN metric explains itself instead of drawing an empty frame.
  const nan = `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="always_nan"]`;
  await page.locator(nan).scrollIntoViewIfNeeded();
  await waitFor(
    () => page.$eval(`${nan} .jp-SpyglassWorkspaceChart-message`, (n) => !n.hidden && n.textContent),
    'the all-NaN message',
  );
  assert.match(
    await page.$eval(`${nan} .jp-SpyglassWorkspaceChart-message`, (n) => n.textContent),
    /always_nan is NaN or infinite/,
  );
  assert.deepEqual(
    consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
  );
});

test('a project name in the wrong case says the project does not exist and names the close match', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'Odd' }),
  );
  const missing = `${WORKSPACE}[data-project="Odd"][data-status="ready"]`;
  await page.waitForSelector(missing, { timeout: 60_000 });
  const message = `${missing} .jp-SpyglassWorkspace-message`;
  await waitFor(
    () => page.$eval(message, (n) => !n.hidden && n.textContent.includes('Did you mean')),
    'the no-such-project message',
  );
  const said = await page.$eval(message, (n) => n.textContent);
  assert.match(said, /no project "Odd" in this store yet\. Did you mean "odd"\?/);
  assert.doesNotMatch(said, /No runs in this project yet/);
});
