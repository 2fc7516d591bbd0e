// The workspace's first hour: the launcher card's icon, the run browser as a searchable tree with state badges,
// the runs table's grouped header (config `lr` and summary `lr` read apart), labelled controls, and keyboard
// navigation in the runs table and in the table explorer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { contrastRatio } from './support/color-contrast.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { runPython } from './support/store.mjs';

// Project "nav": two finished runs, a failed one, one whose heartbeat stopped (crashed) and one still beating
// (running); each logs a metric "lr" while its config also has "lr". Project "other": one run.
const GENERATOR = `
import json, os, sys, time
import spyglass as sg
store = sys.argv[1]
def make(project, name, lr, exit_code=0):
    run = sg.init(project=project, dir=store, name=name, config={"lr": lr, "opt": "adam"},
                  settings={"x_disable_stats": True})
    for step in range(5):
        run.log({"lr": lr / (step + 1), "loss": 1 / (step + 1)}, step=step)
    run.finish(exit_code=exit_code)
    return run.dir if hasattr(run, "dir") else os.path.join(store, project, run.id)
def rewrite(run_dir, **fields):
    path = os.path.join(run_dir, "run.json")
    meta = json.load(open(path))
    meta.update(fields)
    meta.pop("pid", None)
    json.dump(meta, open(path, "w"))
make("nav", "fin-a", 0.1)
make("nav", "fin-b", 0.01)
make("nav", "bad", 0.3, exit_code=1)
rewrite(make("nav", "gone", 0.2), state="running", heartbeat_at=1.0)
rewrite(make("nav", "live", 0.05), state="running", heartbeat_at=time.time() + 30 * 86400)
make("other", "alpha-special", 0.5)
`;

const session = useLabAndBrowser({
  prepare: (lab) => runPython(GENERATOR, [join(lab.rootDir, 'spyglass')]),
});

const WORKSPACE = '.jp-SpyglassWorkspace';
const BROWSER = '#spyglass-run-browser';

test('the launcher card of the workspace shows its icon', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(() => window.jupyterapp.commands.execute('launcher:create'));
  // The new launcher's card: the one JupyterLab opened for the empty main area stays behind it, hidden.
  const card = page.locator('.jp-LauncherCard:visible', { hasText: 'Open Spyglass workspace' }).first();
  await card.waitFor({ timeout: 30_000 });
  const icon = await card.evaluate((node) => {
    const svg = node.querySelector('.jp-LauncherCard-icon svg');
    return svg
      ? { paths: svg.querySelectorAll('path').length, box: svg.getBoundingClientRect().width }
      : null;
  });
  assert.ok(icon, 'the launcher card has an SVG icon');
  assert.ok(icon.paths > 0 && icon.box > 0, `icon drawn: ${JSON.stringify(icon)}`);
});

/** The run browser's tree as data: projects (count, expanded) and their runs (name, badge, created). */
function browserTree(page) {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector);
    return [...root.querySelectorAll('.jp-SpyglassRunBrowser-project')].map((p) => ({
      project: p.dataset.project,
      count: p.querySelector('.jp-SpyglassRunBrowser-count').textContent,
      expanded: p.getAttribute('aria-expanded') === 'true',
      runs: [...p.querySelectorAll('.jp-SpyglassRunBrowser-run')].map((r) => ({
        name: r.querySelector('.jp-SpyglassRunBrowser-name').textContent,
        state: r.dataset.state,
        badge: r.querySelector('.jp-SpyglassRunBrowser-badge').textContent,
        created: r.querySelector('.jp-SpyglassRunBrowser-created').textContent,
        createdFull: r.querySelector('.jp-SpyglassRunBrowser-created').title,
      })),
    }));
  }, BROWSER);
}

test('the run browser is a searchable tree of projects and runs with state badges', async () => {
  const { page } = session.browser;
  await page.evaluate(() => window.jupyterapp.shell.activateById('spyglass-run-browser'));
  await page.waitForSelector(`${BROWSER}[data-loaded="true"]`, { timeout: 30_000 });
  let tree = await browserTree(page);
  assert.deepEqual(
    tree.map((p) => [p.project, p.count]),
    [
      ['nav', '5'],
      ['other', '1'],
    ],
  );
  // Projects start closed; the caret opens one and shows its runs with their badges and times.
  assert.ok(tree.every((p) => !p.expanded && p.runs.length === 0));
  await page.click(
    `${BROWSER} .jp-SpyglassRunBrowser-project[data-project="nav"] .jp-SpyglassRunBrowser-caret`,
  );
  tree = await browserTree(page);
  const nav = tree.find((p) => p.project === 'nav');
  assert.equal(nav.expanded, true);
  const badges = Object.fromEntries(nav.runs.map((r) => [r.name, [r.state, r.badge]]));
  assert.deepEqual(badges, {
    'fin-a': ['finished', 'finished'],
    'fin-b': ['finished', 'finished'],
    bad: ['failed', 'failed'],
    gone: ['crashed', 'crashed'],
    live: ['running', 'running'],
  });
  assert.ok(
    nav.runs.every(
      (r) =>
        /^\d\d-\d\d \d\d:\d\d$/.test(r.created) &&
        /^\d{4}-/.test(r.createdFull) &&
        r.createdFull.endsWith(r.created),
    ),
    JSON.stringify(nav.runs),
  );
  // Each badge is legible: its text colour differs from its background (theme variables resolved).
  const colours = await page.$$eval(`${BROWSER} .jp-SpyglassRunBrowser-badge`, (nodes) =>
    nodes.map((n) => [getComputedStyle(n).color, getComputedStyle(n).borderTopColor]),
  );
  assert.ok(colours.every(([text, border]) => text && border && text !== 'rgba(0, 0, 0, 0)'));

  // Search by run name: only the matching run's project, opened to show it.
  const search = page.locator(`${BROWSER} input.jp-SpyglassRunBrowser-search`);
  assert.ok(await search.getAttribute('aria-label'));
  await search.fill('special');
  tree = await browserTree(page);
  assert.deepEqual(
    tree.map((p) => [p.project, p.expanded, p.runs.map((r) => r.name)]),
    [['other', true, ['alpha-special']]],
  );
  // Search by project name keeps the whole project; a search matching nothing says so.
  await search.fill('NAV');
  tree = await browserTree(page);
  assert.deepEqual(
    tree.map((p) => [p.project, p.runs.length]),
    [['nav', 5]],
  );
  await search.fill('no-such-thing');
  assert.deepEqual(await browserTree(page), []);
  assert.match(
    await page.textContent(`${BROWSER} .jp-SpyglassRunBrowser-status`),
    /No project or run matches/,
  );
  await search.fill('');

  // Keyboard: the tree has one tab stop; Down moves into the runs, Left returns to the project, Enter opens.
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('role') === 'treeitem' ? (el.dataset.runId ?? el.dataset.project) : null;
    });
  const tabStops = await page.$$eval(`${BROWSER} [role="treeitem"][tabindex="0"]`, (n) => n.length);
  assert.equal(tabStops, 1);
  await page.focus(`${BROWSER} [role="treeitem"][tabindex="0"]`);
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'nav');
  await page.keyboard.press('ArrowDown');
  const firstRun = await focused();
  assert.ok(firstRun && firstRun !== 'nav', `focus moved to a run: ${firstRun}`);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), 'nav');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await waitFor(
    () =>
      page.evaluate(
        (id) =>
          [...document.querySelectorAll('.jp-SpyglassWorkspaceWidget .jp-SpyglassWorkspace')].some(
            (n) => n.dataset.selected === id && n.dataset.status === 'ready',
          ),
        firstRun,
      ),
    'Enter on a run to open the workspace with it selected',
  ).catch(async (error) => {
    const state = await page.$$eval('.jp-SpyglassWorkspace', (nodes) =>
      nodes.map((n) => ({ ...n.dataset, text: n.textContent.slice(0, 300) })),
    );
    throw new Error(
      `${error.message}; run ${firstRun}; workspaces ${JSON.stringify(state)}; console ${session.browser.consoleErrors.join(' | ')}`,
    );
  });
});

test('the runs table groups its header so config lr and summary lr read apart', async () => {
  const { page } = session.browser;
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="5"]`, { timeout: 60_000 });
  const header = await page.evaluate(() => {
    const table = document.querySelector('.jp-SpyglassWorkspaceWidget .jp-SpyglassRunsTable');
    const bands = [...table.querySelectorAll('.jp-SpyglassRunsTable-band')].map((b) => ({
      label: b.textContent,
      start: Number(b.dataset.start),
      span: Number(b.dataset.span),
      left: b.getBoundingClientRect().left,
      right: b.getBoundingClientRect().right,
    }));
    const cells = [...table.querySelectorAll('.jp-SpyglassRunsTable-sort')].map((c) => {
      const box = c.getBoundingClientRect();
      return {
        label: c.textContent.replace(/ [▲▼]$/, ''),
        aria: c.getAttribute('aria-label'),
        x: box.left + 2,
      };
    });
    return { bands, cells, bandsHidden: table.querySelector('.jp-SpyglassRunsTable-bands').hidden };
  });
  assert.equal(header.bandsHidden, false);
  assert.deepEqual(
    header.bands.map((b) => b.label),
    ['Run', 'Config', 'Summary'],
  );
  // Every visible label sits under a band (by position on screen), and no band has two equal labels.
  const bandOf = (cell) => header.bands.find((b) => cell.x >= b.left - 1 && cell.x <= b.right + 1)?.label;
  const seen = new Set();
  for (const cell of header.cells) {
    const band = bandOf(cell);
    assert.ok(band, `header cell ${cell.label} is under a band`);
    const key = `${band}/${cell.label}`;
    assert.ok(!seen.has(key), `two "${cell.label}" headers under ${band}`);
    seen.add(key);
  }
  const lr = header.cells.filter((c) => c.label === 'lr');
  assert.deepEqual(
    lr.map((c) => [bandOf(c), c.aria]),
    [
      ['Config', 'Config lr'],
      ['Summary', 'Summary lr'],
    ],
  );
});

test('workspace controls are JupyterLab-styled and every button and input has a name', async () => {
  const { page } = session.browser;
  const unnamed = await page.evaluate(() => {
    const root = document.querySelector('.jp-SpyglassWorkspaceWidget .jp-SpyglassWorkspace');
    const controls = root.querySelectorAll(
      '.jp-SpyglassWorkspace-toolbar button, .jp-SpyglassWorkspace-toolbar input, .jp-SpyglassWorkspace-toolbar select, .jp-SpyglassRunsTable button, .jp-SpyglassRunsTable input',
    );
    const name = (el) =>
      el.getAttribute('aria-label') || el.closest('label')?.textContent.trim() || el.textContent.trim() || '';
    return {
      count: controls.length,
      unnamed: [...controls].filter((el) => name(el) === '').map((el) => el.outerHTML.slice(0, 120)),
      styled: ['search', 'where', 'groupBy', 'xAxis'].map((k) =>
        root.querySelector(`.jp-SpyglassWorkspace-${k}`).classList.contains('jp-mod-styled'),
      ),
      buttons: [...root.querySelectorAll('.jp-SpyglassWorkspace-toolbar button')].every((b) =>
        b.classList.contains('jp-Button'),
      ),
    };
  });
  assert.ok(unnamed.count > 10, `controls found: ${unnamed.count}`);
  assert.deepEqual(unnamed.unnamed, []);
  assert.deepEqual(unnamed.styled, [true, true, true, true]);
  assert.equal(unnamed.buttons, true);
});

test('arrow keys move the focused row of the runs table and Space selects its run', async () => {
  const { page } = session.browser;
  const table = '.jp-SpyglassWorkspaceWidget .jp-SpyglassRunsTable';
  const focusedRow = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.classList.contains('jp-SpyglassRunsTable-row')
        ? { run: el.dataset.runId, index: Number(el.getAttribute('aria-rowindex')) }
        : null;
    });
  const stops = await page.$$eval(`${table} .jp-SpyglassRunsTable-row[tabindex="0"]`, (n) => n.length);
  assert.equal(stops, 1, 'one row is in the tab order');
  await page.focus(`${table} .jp-SpyglassRunsTable-row[tabindex="0"]`);
  const start = await focusedRow();
  await page.keyboard.press('Home');
  assert.equal(
    (await focusedRow()).index,
    3,
    `first data row after the two header rows (from ${start.index})`,
  );
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const third = await focusedRow();
  assert.equal(third.index, 5);
  await page.keyboard.press('End');
  assert.equal((await focusedRow()).index, 7);
  await page.keyboard.press('ArrowUp');
  const fourth = await focusedRow();
  assert.equal(fourth.index, 6);
  const before = await page.$eval(
    `${table} .jp-SpyglassRunsTable-row[data-run-id="${fourth.run}"]`,
    (r) => r.dataset.selected,
  );
  await page.keyboard.press(' ');
  await waitFor(
    () =>
      page.$eval(
        `${table} .jp-SpyglassRunsTable-row[data-run-id="${fourth.run}"]`,
        (r, was) => r.dataset.selected !== was && r.getAttribute('aria-selected') === r.dataset.selected,
        before,
      ),
    'Space to toggle the focused run',
  );
  // Focus stays on the row after the table re-renders for the selection.
  assert.equal((await focusedRow())?.run, fourth.run);
});

const TABLE_CELL = `import numpy as np, spyglass as sg
run = sg.init(project="keys")
pixels = np.zeros((8, 8, 3), dtype=np.uint8)
t = sg.Table(columns=["n", "word", "image"],
    data=[[k, f"w{k}", sg.Image(pixels, caption="pic") if k == 2 else None] for k in range(40)])
run.log({"t": t})
t`;

test('arrow keys move the focused cell of the table explorer and Enter opens its media', async () => {
  writeNotebook(join(session.lab.rootDir, 'keys.ipynb'), [TABLE_CELL]);
  const { page } = session.browser;
  await openNotebook(page, 'keys.ipynb');
  await runAllCells(page);
  const grid = '.jp-Notebook .sg-table-explorer[data-state="ready"] .sg-grid';
  await page.waitForSelector(`${grid} .sg-grid-row:not(.sg-loading)`, { timeout: 120_000 });
  const active = () =>
    page.$eval(grid, (g) => {
      const id = g.getAttribute('aria-activedescendant');
      const cell = id ? document.getElementById(id) : null;
      if (!cell) return null;
      const row = cell.closest('[role="row"]');
      return {
        row: Number(row.getAttribute('aria-rowindex')),
        column: [...row.querySelectorAll('.sg-grid-cell')].indexOf(cell),
        text: cell.textContent,
        focused: cell.classList.contains('sg-focused'),
      };
    });
  assert.equal(await page.$eval(grid, (g) => g.getAttribute('role')), 'grid');
  await page.focus(grid);
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await active(), { row: 4, column: 0, text: '1', focused: true });
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await active(), { row: 4, column: 1, text: 'w1', focused: true });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const image = await active();
  assert.equal(image.row, 5);
  assert.equal(image.column, 2);
  await page.keyboard.press('End');
  assert.equal((await active())?.row, 42, 'End reaches the last of 40 rows (two header rows first)');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal((await active()).row, 5);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.sg-table-preview:not([hidden]) img', { timeout: 15_000 });
  await page.locator('.sg-table-preview button', { hasText: 'Close' }).click();
  // Space selects the focused row (as a click on its number does).
  await page.focus(grid);
  await page.keyboard.press(' ');
  await page.waitForSelector(`${grid} .sg-grid-row.sg-selected[aria-rowindex="5"]`, { timeout: 10_000 });
  const labelled = await page.$$eval('.jp-Notebook .sg-table-explorer .sg-grid-head button', (buttons) =>
    buttons.every((b) => b.getAttribute('aria-label')),
  );
  assert.equal(labelled, true);
});

/** Text and background colours of the new parts, as computed in the current theme. */
function partColours(page) {
  return page.evaluate(() => {
    // The first opaque background behind an element: what shows through its own translucent one.
    const behind = (el) => {
      for (let n = el; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (!/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const pick = (selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const style = getComputedStyle(el);
      return { text: style.color, own: style.backgroundColor, behind: behind(el.parentElement) };
    };
    const browser = '#spyglass-run-browser';
    const workspace = '.jp-SpyglassWorkspaceWidget';
    return {
      running: pick(`${browser} .jp-SpyglassRunBrowser-badge.jp-mod-running`),
      failed: pick(`${browser} .jp-SpyglassRunBrowser-badge.jp-mod-failed`),
      crashed: pick(`${browser} .jp-SpyglassRunBrowser-badge.jp-mod-crashed`),
      finished: pick(`${browser} .jp-SpyglassRunBrowser-badge.jp-mod-finished`),
      search: pick(`${browser} input.jp-SpyglassRunBrowser-search`),
      band: pick(`${workspace} .jp-SpyglassRunsTable-band.jp-mod-config`),
      where: pick(`${workspace} .jp-SpyglassWorkspace-where`),
      groupBy: pick(`${workspace} .jp-SpyglassWorkspace-groupBy`),
      addPanel: pick(`${workspace} .jp-SpyglassWorkspace-addPanel`),
    };
  });
}

test('badges, header groups and controls keep 4.5:1 contrast in JupyterLab Light and Dark', async () => {
  const { page } = session.browser;
  await page.evaluate(() => window.jupyterapp.shell.activateById('spyglass-run-browser'));
  for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
    await page.evaluate(
      (t) => window.jupyterapp.commands.execute('apputils:change-theme', { theme: t }),
      theme,
    );
    const light = theme.endsWith('Light');
    await page.waitForFunction((l) => document.body.dataset.jpThemeLight === String(l), light, {
      timeout: 30_000,
    });
    // The theme's stylesheet lands after the flag: wait until the sidebar's background follows it.
    await waitFor(
      () =>
        page.$eval(
          '#spyglass-run-browser',
          (n, l) => {
            const [r] = getComputedStyle(n).backgroundColor.match(/\d+/g).map(Number);
            return l ? r > 200 : r < 80;
          },
          light,
        ),
      `the ${theme} colours`,
    );
    const colours = await partColours(page);
    for (const [part, colour] of Object.entries(colours)) {
      assert.ok(colour, `${part} is on the page`);
      const ratio = contrastRatio(colour.text, colour.own, colour.behind);
      assert.ok(ratio >= 4.5, `${theme}: ${part} contrast ${ratio.toFixed(2)} (${JSON.stringify(colour)})`);
    }
  }
});

test('in Notebook 7 the run browser opens beside the notebook and a project opens its workspace in JupyterLab', async () => {
  const { page, context } = session.browser;
  await page.goto(`${session.lab.url}/notebooks/keys.ipynb`);
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  assert.equal(await page.evaluate(() => window.jupyterapp.name), 'Jupyter Notebook');
  await page.evaluate(() => window.jupyterapp.shell.activateById('spyglass-run-browser'));
  await page.waitForSelector(`${BROWSER}[data-loaded="true"]`, { timeout: 30_000 });
  const tree = await browserTree(page);
  assert.deepEqual(
    tree.map((p) => [p.project, p.count]),
    [
      ['keys', '1'],
      ['nav', '5'],
      ['other', '1'],
    ],
  );
  assert.ok(await page.$eval(BROWSER, (n) => n.offsetWidth > 150), 'the sidebar is open and wide enough');
  // The notebook page keeps its one main widget: the workspace opens in JupyterLab, in a new tab.
  const opened = context.waitForEvent('page', { timeout: 30_000 });
  await page.click(
    `${BROWSER} .jp-SpyglassRunBrowser-project[data-project="other"] .jp-SpyglassRunBrowser-name`,
  );
  const lab = await opened;
  await lab.waitForLoadState();
  assert.match(lab.url(), /\/lab\?/);
  await lab.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="1"]`, { timeout: 60_000 });
  assert.equal(await lab.evaluate(() => window.jupyterapp.name), 'JupyterLab');
  await lab.close();
});
