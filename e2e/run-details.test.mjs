// The run panel laid out like wandb's run page: header (state, tags, notes), config and summary tables, and
// charts grouped into sections by metric prefix, with the system metrics stream charted in a "system" section.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, querySpyglass, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns } from './support/store.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for light and dark screenshots of the panel

const session = useLabAndBrowser();

const INIT_CELL = `import time
import spyglass as sg

run = sg.init(
    project="details",
    config={"lr": 0.01, "optimizer": {"name": "adam"}},
    tags=["baseline"],
    notes="first try <b>not bold</b>",
    settings=sg.Settings(system_interval=0.5),
)
run`;

// About 3 s of logging, so the system monitor samples several times.
const LOG_CELL = `for step in range(60):
    run.log({"train/loss": 1 / (step + 1), "train/acc": step / 60, "val/loss": 2 / (step + 1)})
    time.sleep(0.05)
run.summary["best_acc"] = 0.93
run.finish()`;

/** What the panel shows: sections with their charts' point counts, table rows, tags, notes and state. */
function panelContents(page, runId) {
  return page.evaluate((id) => {
    const panel = document.querySelector(`[data-spyglass-run-id="${id}"]`);
    if (!panel) return null;
    const table = (attr) =>
      Object.fromEntries(
        [...panel.querySelectorAll(`[${attr}] tr[data-key]`)].map((tr) => [
          tr.getAttribute('data-key'),
          tr.querySelector('td')?.textContent,
        ]),
      );
    const sections = Object.fromEntries(
      [...panel.querySelectorAll('[data-section]')].map((s) => [
        s.getAttribute('data-section'),
        [...s.querySelectorAll('[data-metric]')].map((c) => Number(c.getAttribute('data-points'))),
      ]),
    );
    return {
      state: panel.getAttribute('data-state'),
      sections,
      sectionOrder: [...panel.querySelectorAll('[data-section]')].map((s) => s.getAttribute('data-section')),
      config: table('data-spyglass-config'),
      summary: table('data-spyglass-summary'),
      tags: [...panel.querySelectorAll('[data-tag]')].map((t) => t.textContent),
      notes: panel.querySelector('.jp-SpyglassRunPanel-notes')?.textContent ?? null,
      notesMarkup: panel.querySelector('.jp-SpyglassRunPanel-notes b') !== null,
    };
  }, runId);
}

test('the run panel shows state, tags, notes, config, summary and train/val/system chart sections', async () => {
  writeNotebook(join(session.lab.rootDir, 'details.ipynb'), [INIT_CELL, LOG_CELL]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'details.ipynb');
  await runAllCells(page);

  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'details')[0], 'the run to appear in the store');
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"]`, { timeout: 30_000 });
  await waitFor(() => listRuns(storeRoot, 'details')[0]?.state === 'finished', 'the run to finish', 60_000);

  // The system section starts collapsed with its charts undrawn; opening it draws them.
  const systemSection = `[data-spyglass-run-id="${run.run_id}"] [data-section="system"]`;
  await page.waitForSelector(`${systemSection} [data-metric]`, { state: 'attached', timeout: 30_000 });
  const collapsed = await page.$eval(systemSection, (section) => ({
    open: section.open,
    drawn: [...section.querySelectorAll('[data-metric]')].filter((c) => c.getAttribute('data-points') !== '0')
      .length,
  }));
  assert.deepEqual(collapsed, { open: false, drawn: 0 }, 'the system section starts collapsed, undrawn');
  await page.click(`${systemSection} > summary`);

  const contents = await waitFor(async () => {
    const c = await panelContents(page, run.run_id);
    const systemReady = (c?.sections.system ?? []).some((points) => points >= 2);
    // The header can show the finished state a redraw before the charts take the last frame; the final contents
    // are checked once every train chart has drawn (a panel that never gets there times out here).
    const chartsDrawn =
      (c?.sections.train ?? []).length > 0 && c.sections.train.every((points) => points >= 60);
    return c?.state === 'finished' && c.summary.best_acc !== undefined && systemReady && chartsDrawn
      ? c
      : null;
  }, 'the panel to show the finished run with its summary and system charts');

  assert.deepEqual(contents.sectionOrder, ['train', 'val', 'system']);
  assert.deepEqual(contents.sections.train, [60, 60]);
  assert.deepEqual(contents.sections.val, [60]);
  assert.ok(contents.sections.system.length >= 1, 'at least one system chart');
  const cpuDomain = await page.$$eval(
    `${systemSection} [data-metric="system/cpu.percent"] .role-axis-label text`,
    (labels) => labels.map((t) => t.textContent),
  );
  assert.ok(cpuDomain.includes('0') && cpuDomain.includes('100'), `CPU % spans 0-100: ${cpuDomain}`);

  // Hovering a chart shows the nearest logged step, its value and when it was logged.
  const loss = page.locator(`[data-spyglass-run-id="${run.run_id}"] [data-metric="train/loss"]`);
  const box = await loss.locator('svg').boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  const readout = await waitFor(
    () =>
      loss.evaluate((chart) => {
        const label = chart.querySelector('.jp-SpyglassHover-label');
        // The wall time joins the readout once it has been looked up.
        return label && !label.hidden && /\d\d:\d\d:\d\d$/.test(label.textContent)
          ? { text: label.textContent, step: chart.dataset.hoverStep }
          : null;
      }),
    'the hover readout',
  );
  const hoverStep = Number(readout.step);
  assert.ok(hoverStep > 0 && hoverStep < 59, `a step inside the run: ${JSON.stringify(readout)}`);
  const expected = 1 / (hoverStep + 1);
  assert.match(
    readout.text,
    new RegExp(`^step ${hoverStep} · ${String(Number(expected.toPrecision(6)))} · \\d\\d:\\d\\d:\\d\\d$`),
  );
  await page.mouse.move(0, 0);
  assert.equal(contents.config['optimizer.name'], 'adam');
  assert.equal(contents.config.lr, '0.01');
  assert.equal(contents.summary.best_acc, '0.93');
  assert.deepEqual(contents.tags, ['baseline']);
  assert.equal(contents.notes, 'first try <b>not bold</b>', 'notes show as text');
  assert.equal(contents.notesMarkup, false, 'notes are never parsed as markup');

  const [system] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS n, count(DISTINCT runtime)::INTEGER AS times
       FROM system_points WHERE run_id = '${run.run_id}' AND metric = 'system/cpu.percent'`,
  );
  assert.ok(
    system.n >= 2 && system.n === system.times,
    `system samples once each: ${JSON.stringify(system)}`,
  );

  if (!SHOTS) return;
  // A viewport tall enough for the whole panel, so the shot is not cut by the notebook's scroll area.
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 2600 });
  await new Promise((r) => setTimeout(r, 500));
  const panel = page.locator(`[data-spyglass-run-id="${run.run_id}"]`);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(SHOTS, 'run-details.png') });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
  );
  await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false', null, { timeout: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  await panel.screenshot({ path: join(SHOTS, 'run-details-dark.png') });
});

// A run whose directory is deleted while it logs cannot store its rows: the kernel says so over the comm
// (RunInfo.degraded) and the header shows why at once, with the error in the badge's title.
const DEGRADED_CELLS = [
  `import shutil, time
import spyglass as sg

run = sg.init(project="degraded", settings=sg.Settings(system_metrics=False))
run`,
  `run.log({"loss": 1.0})
run.flush()
shutil.rmtree(run.dir)
for step in range(20):
    run.log({"loss": 1 / (step + 2)})
    time.sleep(0.05)`,
];

test('a run that cannot store its rows shows why in the run panel header', async () => {
  writeNotebook(join(session.lab.rootDir, 'degraded.ipynb'), DEGRADED_CELLS);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'degraded.ipynb');
  await runAllCells(page);
  const badge = await waitFor(
    () =>
      page.evaluate(() => {
        const node = document.querySelector('.jp-SpyglassRunPanel-degraded[data-degraded]');
        return node && !node.hidden
          ? { reason: node.getAttribute('data-degraded'), text: node.textContent, title: node.title }
          : null;
      }),
    'the degraded badge in the run panel header',
    60_000,
  );
  assert.equal(badge.reason, 'directory deleted');
  assert.equal(badge.text, 'not stored: directory deleted');
  assert.match(
    badge.title,
    /history\.sglog.*directory deleted/s,
    'the title carries the error naming the path',
  );
  assert.match(badge.title, /rows? wait/, 'and how many rows wait');
});
