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

/** Writes a one-cell notebook, opens it beside the others and runs it. */
async function runNotebook(path, cell) {
  const { lab, browser } = session;
  const { page } = browser;
  writeNotebook(join(lab.rootDir, path), [cell]);
  // docmanager:open resolves to the widget, which page.evaluate cannot return once a second notebook is open.
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute('docmanager:open', { path: p });
  }, path);
  await page.waitForFunction(
    (p) => {
      const widget = window.jupyterapp.shell.currentWidget;
      return widget?.context?.path === p && widget.sessionContext?.session?.kernel?.status === 'idle';
    },
    path,
    { timeout: 60_000 },
  );
  await runAllCells(page);
}

test('pause, resume, stop a trial and the sweep from the panel; errors on click; an unreachable server keeps the last snapshot', async () => {
  const { page } = session.browser;
  await runNotebook('stop-sweep.ipynb', STOP_CELL);
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

// Issue 14: a one-parameter random sweep with no run_cap, run by sg.agent(count=8).
const COUNTED_CELL = `import spyglass as sg

config = {
    "method": "random",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1}},
}
sweep_id = sg.sweep(config, project="counted")

def train():
    run = sg.init()
    for step in range(3):
        run.log({"loss": run.config.lr * 10 + 1 / (step + 1)})

sg.agent(sweep_id, function=train, count=8)`;

/** What the visible sweep panel shows of its header, importance chart and parallel-coordinate labels. */
function finishedPanel(page) {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget?.node.querySelector('[data-spyglass-sweep]');
    if (!panel) return null;
    // WCAG contrast of a CSS colour (alpha blended) on the panel's background.
    const rgba = (css) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const backgroundOf = (node) => {
      for (let n = node; n; n = n.parentElement) {
        const [r, g, b, a = 1] = rgba(getComputedStyle(n).backgroundColor);
        if (a > 0) return [r, g, b];
      }
      return [255, 255, 255];
    };
    const contrast = (text, node) => {
      const [r, g, b, a = 1] = rgba(text);
      const bg = backgroundOf(node);
      const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const parallel = panel.querySelector('[data-spyglass-sweep-parallel]');
    const ticks = [...parallel.querySelectorAll('g.mark-text.role-mark text')].map((t) => ({
      size: Number.parseFloat(getComputedStyle(t).fontSize),
      contrast: contrast(getComputedStyle(t).fill, parallel),
    }));
    const importance = panel.querySelector('[data-spyglass-sweep-importance]');
    return {
      state: panel.getAttribute('data-sweep-state'),
      badge: panel.querySelector('.jp-SpyglassSweep-state').textContent,
      counts: panel.querySelector('.jp-SpyglassSweep-counts').textContent,
      complete: panel.querySelector('.jp-SpyglassSweep-progress').getAttribute('data-complete'),
      paths: parallel.querySelectorAll('g.mark-line path').length,
      importanceBars: importance.hidden ? 0 : importance.querySelectorAll('g.mark-rect path').length,
      ticks,
      legendTitles: [...panel.querySelectorAll('.role-legend-title text')].map((t) => t.textContent),
      runIds: Object.fromEntries(
        [...panel.querySelectorAll('[data-spyglass-sweep-table] tr[data-trial]')].map((tr) => [
          tr.getAttribute('data-trial'),
          tr.title.replace(/^run (\S+).*$/, '$1'),
        ]),
      ),
      kernelIdle: window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
    };
  });
}

/** The caption (project / run id) of the main-area run tabs. */
function runTabs(page) {
  return page.evaluate(() =>
    [...window.jupyterapp.shell.widgets('main')]
      .filter((w) => w.hasClass('jp-SpyglassRunTab'))
      .map((w) => w.title.caption),
  );
}

test('a count=8 sweep ends finished "8 of 8", draws its one parameter’s bars and readable ticks, and a click opens a trial’s run', async () => {
  const { page } = session.browser;
  await runNotebook('counted-sweep.ipynb', COUNTED_CELL);
  let last = null;
  await waitFor(
    async () => {
      last = await finishedPanel(page);
      return (
        last?.kernelIdle &&
        last.state === 'finished' &&
        last.paths === 8 &&
        last.importanceBars > 0 &&
        last.ticks.length > 0
      );
    },
    'the counted sweep to finish with 8 lines and its importance drawn',
    120_000,
    250,
  );
  assert.equal(last.state, 'finished');
  assert.equal(last.badge, 'finished', 'the badge says finished (shown upper-case), not running');
  assert.match(last.counts, /^8 done · 0 running · 8 of 8 trials$/);
  assert.doesNotMatch(last.counts, /no cap/);
  assert.equal(last.complete, 'true', 'the progress bar shows the sweep done');
  assert.equal(last.importanceBars, 2, 'the single parameter has an importance bar and a correlation bar');
  for (const tick of last.ticks) {
    assert.ok(tick.size >= 11, `tick label font size ${tick.size}px`);
    assert.ok(tick.contrast >= 4.5, `tick label contrast ${tick.contrast.toFixed(2)}:1`);
  }
  assert.ok(last.legendTitles.includes('Trial state'), `legend titles: ${last.legendTitles}`);
  assert.ok(!last.legendTitles.includes('trial'));

  // The dark theme: the ticks are redrawn in its text colour and stay readable.
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
  );
  let dark = null;
  try {
    await waitFor(
      async () => {
        dark = await finishedPanel(page);
        return dark.ticks.length > 0 && dark.ticks.every((t) => t.contrast >= 4.5 && t.size >= 11);
      },
      'readable tick labels in the dark theme',
      20_000,
      250,
    );
  } finally {
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Light' }),
    );
  }
  assert.equal(dark.ticks.length, last.ticks.length);
  await waitFor(
    async () => (await finishedPanel(page)).ticks.every((t) => t.contrast >= 4.5),
    'the charts redrawn in the light theme',
    20_000,
    250,
  );
  // JupyterLab covers the page with its splash screen while it changes theme.
  await page.waitForFunction(() => !document.getElementById('jupyterlab-splash'), null, { timeout: 20_000 });

  // A real mouse click on trial 3's line opens that trial's run beside the notebook.
  const before = await runTabs(page);
  /** The run tabs opened since `before` (tabs split to the right are not in creation order). */
  const opened = async () => (await runTabs(page)).filter((c) => !before.includes(c));
  const point = await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget.node.querySelector('[data-spyglass-sweep]');
    const path = [...panel.querySelectorAll('[data-spyglass-sweep-parallel] g.mark-line path')].find(
      (p) => p.__data__?.datum?.trial === 3,
    );
    path.scrollIntoView({ block: 'center' });
    // Lines cross: take the first point along the line where it is the topmost element.
    for (let f = 0.5; f < 1; f += 0.02) {
      for (const g of [f, 1 - f]) {
        const at = path.getPointAtLength(path.getTotalLength() * g);
        const screen = new DOMPoint(at.x, at.y).matrixTransform(path.getScreenCTM());
        if (document.elementFromPoint(screen.x, screen.y) === path) return { x: screen.x, y: screen.y };
      }
    }
    return null;
  });
  assert.ok(point, "a visible point on trial 3's line");
  await page.mouse.click(point.x, point.y);
  await waitFor(async () => (await opened()).length === 1, 'a run tab for the clicked line', 15_000);
  assert.deepEqual(await opened(), [`counted / ${last.runIds['3']}`]);

  // The trial's index in the table is a link to its run, too.
  await page.evaluate(() =>
    window.jupyterapp.shell.activateById(
      [...window.jupyterapp.shell.widgets('main')].find((w) => w.context?.path === 'counted-sweep.ipynb').id,
    ),
  );
  await page.locator('tr[data-trial="5"] button[data-action="open_run"]:visible').click();
  await waitFor(async () => (await opened()).length === 2, 'a run tab for the clicked row', 15_000);
  assert.deepEqual(
    (await opened()).sort(),
    [`counted / ${last.runIds['3']}`, `counted / ${last.runIds['5']}`].sort(),
  );
});
