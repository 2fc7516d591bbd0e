// The sweep panel (issue 7): a 12-trial random sweep run from notebooks/sweep.ipynb fills the parallel coordinates
// and the trials table live, and a second sweep is paused, resumed and stopped from the panel's buttons.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for a screenshot of the finished panel

const session = useLabAndBrowser({
  prepare: (lab) =>
    copyFileSync(join(repoRoot, 'notebooks', 'sweep.ipynb'), join(lab.rootDir, 'sweep.ipynb')),
  ready: ({ lab, browser }) => openLab(browser.page, lab.url),
});

// A sweep long enough to press buttons in: up to 40 trials of about 3 s each (the panel polls about once a
// second, so a trial it shows as running has time left to be stopped); the second one fails.
const STOP_CELL = `import time
import spyglass as sg

config = {
    "method": "random",
    "metric": {"name": "loss", "goal": "minimize"},
    "run_cap": 40,
    "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1}},
}
sweep_id = sg.sweep(config, project="stoppable")

started = 0

def train():
    global started
    started += 1
    run = sg.init()
    if started == 2:
        raise ValueError("diverged <on purpose>")
    for step in range(25):
        if run.should_stop:
            break
        run.log({"loss": run.config.lr * 10 + 1 / (step + 1)})
        time.sleep(0.12)
    run.finish()

sg.agent(sweep_id, function=train, count=40)`;

/** What the sweep panel of the current notebook shows, or null while it is not on the page. */
function panelState(page) {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget;
    const panel = widget?.node.querySelector('[data-spyglass-sweep]');
    if (!panel) return null;
    const parallel = panel.querySelector('[data-spyglass-sweep-parallel]');
    const notice = panel.querySelector('[data-spyglass-sweep-notice]');
    return {
      state: panel.getAttribute('data-sweep-state'),
      trials: Number(panel.getAttribute('data-spyglass-sweep-trials')),
      rows: panel.querySelectorAll('[data-spyglass-sweep-table] tr[data-trial]').length,
      lines: Number(parallel?.getAttribute('data-spyglass-sweep-lines') ?? -1),
      // Paths Vega actually drew: one per trial in the parallel coordinates.
      paths: parallel?.querySelectorAll('g.mark-line path').length ?? 0,
      notice: notice && !notice.hidden ? notice.textContent : '',
      picked: panel.querySelector('[data-spyglass-sweep-param]')?.value ?? null,
      scatterTitle: [...panel.querySelectorAll('[data-spyglass-sweep-scatter] .role-axis-title text')].map(
        (t) => t.textContent,
      ),
      // Marked on first sight: still there at the end means the chart was updated in place, never re-embedded.
      sameSvg: (() => {
        const svg = parallel?.querySelector('svg');
        if (!svg) return false;
        window.__sweepSvg ??= svg;
        return window.__sweepSvg === svg;
      })(),
      states: Object.fromEntries(
        [...panel.querySelectorAll('[data-spyglass-sweep-table] tr[data-trial]')].map((tr) => [
          tr.getAttribute('data-trial'),
          tr.getAttribute('data-state'),
        ]),
      ),
      buttons: [...panel.querySelectorAll('.jp-SpyglassSweep-controls button')]
        .filter((b) => !b.hidden)
        .map((b) => b.getAttribute('data-action')),
      kernelIdle: widget.sessionContext?.session?.kernel?.status === 'idle',
    };
  });
}

/** Samples the panel until `done(state)` holds; returns every sample (the live history of the panel). */
async function samplePanel(page, done, what, timeoutMs) {
  const samples = [];
  await waitFor(
    async () => {
      const state = await panelState(page);
      if (state) samples.push(state);
      return state && done(state);
    },
    what,
    timeoutMs,
    150,
  );
  return samples;
}

test('a 12-trial random sweep fills the parallel coordinates and the trials table while it runs', async () => {
  const { page } = session.browser;
  await openNotebook(page, 'sweep.ipynb');
  await runAllCells(page);
  const early = await samplePanel(
    page,
    (s) => s.rows >= 2 && s.picked,
    'the first trials in the panel',
    60_000,
  );
  // The user picks a parameter for the scatter while the sweep runs; the choice must survive every update.
  const picker = page.locator('[data-spyglass-sweep-param]:visible');
  const options = await picker.locator('option').evaluateAll((nodes) => nodes.map((o) => o.value));
  const choice = options.find((o) => o !== early.at(-1).picked);
  await picker.selectOption(choice);
  const samples = early.concat(
    await samplePanel(
      page,
      (s) => s.state === 'finished' && s.kernelIdle && s.paths === 12,
      'the sweep to finish with 12 trials drawn',
      100_000,
    ),
  );
  const last = samples.at(-1);
  assert.equal(last.trials, 12);
  assert.equal(last.rows, 12, 'one table row per trial');
  assert.equal(last.lines, 12, 'one parallel-coordinates line per trial');
  assert.equal(last.paths, 12);
  assert.deepEqual(last.buttons, [], 'a finished sweep offers no controls');
  assert.equal(last.picked, choice, 'the picked parameter is kept');
  assert.ok(last.scatterTitle.includes(choice), `scatter axes: ${last.scatterTitle}`);
  assert.ok(last.sameSvg, 'the parallel coordinates were updated in place');
  const seen = [...new Set(samples.map((s) => s.rows))];
  assert.ok(
    seen.filter((n) => n > 0 && n < 12).length >= 2,
    `the table grew while the sweep ran (row counts seen: ${seen.join(', ')})`,
  );
  const drawn = samples.map((s) => s.paths).filter((n) => n > 0 && n < 12);
  assert.ok(drawn.length > 0, 'the parallel coordinates showed a partial sweep before the end');
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1400, height: 2000 });
    await new Promise((r) => setTimeout(r, 800));
    await page.locator('[data-spyglass-sweep]:visible').screenshot({ path: join(SHOTS, 'sweep-panel.png') });
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
    );
    await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false', null, {
      timeout: 10_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    await page
      .locator('[data-spyglass-sweep]:visible')
      .screenshot({ path: join(SHOTS, 'sweep-panel-dark.png') });
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Light' }),
    );
  }
  const counts = samples.map((s) => s.rows);
  assert.ok(
    counts.every((n, i) => i === 0 || n >= counts[i - 1]),
    `the trial count never goes back: ${counts.join(' ')}`,
  );
});

test('pause, resume, stop a trial and the sweep from the panel; errors on click; an unreachable server keeps the last snapshot', async () => {
  const { lab, browser } = session;
  const { page } = browser;
  writeNotebook(join(lab.rootDir, 'stop-sweep.ipynb'), [STOP_CELL]);
  // docmanager:open resolves to the widget, which page.evaluate cannot return once a second notebook is open.
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute('docmanager:open', { path: p });
  }, 'stop-sweep.ipynb');
  await page.waitForFunction(
    () => {
      const widget = window.jupyterapp.shell.currentWidget;
      return (
        widget?.context?.path === 'stop-sweep.ipynb' &&
        widget.sessionContext?.session?.kernel?.status === 'idle'
      );
    },
    null,
    { timeout: 60_000 },
  );
  await runAllCells(page);
  // The first notebook stays open in a hidden tab: only the visible panel's buttons count.
  const button = (action) => page.locator(`[data-spyglass-sweep] button[data-action="${action}"]:visible`);
  await samplePanel(
    page,
    (s) => s.state === 'running' && s.rows >= 2,
    'two trials of the second sweep',
    30_000,
  );

  // The server goes away: the panel says so and keeps what it showed.
  await page.route('**/spyglass/api/v1/sweep?*', (route) => route.abort());
  const cut = await samplePanel(page, (s) => s.notice !== '', 'the unreachable-server notice', 15_000);
  assert.match(cut.at(-1).notice, /Cannot reach the Jupyter server/);
  assert.ok(cut.at(-1).rows >= 2, 'the last snapshot stays on screen');
  await page.unroute('**/spyglass/api/v1/sweep?*');
  await samplePanel(page, (s) => s.notice === '', 'the notice to clear once the server answers', 15_000);

  await button('pause').click();
  await samplePanel(
    page,
    (s) => s.state === 'paused' && s.buttons.includes('resume'),
    'the paused state',
    15_000,
  );
  await button('resume').click();
  await samplePanel(
    page,
    (s) => s.state === 'running' && s.buttons.includes('pause'),
    'the running state',
    15_000,
  );

  // The failed trial's traceback shows on click, as text.
  await samplePanel(page, (s) => s.states['1'] === 'failed', 'the failed second trial', 15_000);
  await page.locator('tr[data-trial="1"] [data-action="toggle_error"]:visible').click();
  const traceback = await page.locator('[data-spyglass-sweep-error="1"]:visible').textContent();
  assert.match(traceback, /Traceback[\s\S]*ValueError: diverged <on purpose>/);

  // Stop one running trial: it ends as stopped and the sweep goes on. The victim is a trial that started after
  // this point, so it cannot finish on its own before the click lands.
  const known = Math.max(...Object.keys((await panelState(page)).states).map(Number));
  const fresh = (s) =>
    Object.entries(s.states).find(([index, state]) => state === 'running' && Number(index) > known);
  const running = await samplePanel(page, (s) => fresh(s) !== undefined, 'a trial that just started', 15_000);
  const victim = fresh(running.at(-1))[0];
  // Rows are updated in place: the row (and its Stop button) a user is pointing at never gets swapped out.
  const victimRow = (index) =>
    window.jupyterapp.shell.currentWidget.node.querySelector(
      `[data-spyglass-sweep] tr[data-trial="${index}"]`,
    );
  await page.evaluate(`window.__victimRow = (${victimRow})(${victim})`);
  await page.locator(`tr[data-trial="${victim}"] button[data-action="stop_trial"]:visible`).click();
  await samplePanel(page, (s) => s.states[victim] === 'stopped', `trial ${victim} to stop`, 15_000);
  assert.ok(
    await page.evaluate(`window.__victimRow === (${victimRow})(${victim})`),
    'the stopped trial keeps the row it had while running',
  );

  page.once('dialog', (dialog) => dialog.accept());
  await button('stop').click();
  const stopped = await samplePanel(
    page,
    (s) => s.state === 'stopped' && s.kernelIdle && !Object.values(s.states).includes('running'),
    'the sweep to stop, its last trial to end and the agent to return',
    30_000,
  );
  const last = stopped.at(-1);
  if (SHOTS)
    await page
      .locator('[data-spyglass-sweep]:visible')
      .screenshot({ path: join(SHOTS, 'sweep-stopped.png') });
  assert.ok(last.trials >= 2 && last.trials < 40, `stopped after ${last.trials} of 40 trials`);
  assert.equal(last.rows, last.trials);
  assert.deepEqual(last.buttons, [], 'a stopped sweep offers no controls');
});
