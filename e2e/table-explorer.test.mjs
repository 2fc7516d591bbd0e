// The table explorer in a real JupyterLab: a logged 1M-row × 10-column table (numbers, strings, a few images)
// scrolls with only the visible rows in the DOM, sorts, filters, groups and previews images; two logged steps of
// a table compare with changed cells flagged; and hostile cell values stay inert text.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const session = useLabAndBrowser();

const BIG_CELL = `import numpy as np, pandas as pd, spyglass as sg
run = sg.init(project="tables")
n = 1_000_000
i = np.arange(n)
labels = np.array(["class_%d" % k for k in range(17)], dtype=object)
df = pd.DataFrame({"id": i, "bucket": i % 1000, "shuffled": (i * 7919) % 1000003, "x": i / 1000,
    "y": np.sin(i), "label": labels[i % 17], "name": pd.Series(i).map("item {}".format),
    "even": i % 2 == 0, "score": ((i * 31) % 100) / 100})
pixels = np.zeros((8, 8, 3), dtype=np.uint8)
pixels[:, :4] = 255
images = [None] * n
for k in range(5):
    images[k * 3] = sg.Image(pixels, caption=f"img {k}")
df["image"] = images
preds = sg.Table(dataframe=df)
run.log({"preds": preds})
preds`;

const COMPARE_CELL = `evals = sg.Table(columns=["case", "answer", "score"],
    data=[[f"c{k}", "yes" if k % 2 else "no", k / 10] for k in range(20)])
run.log({"evals": evals})
later = sg.Table(columns=["case", "answer", "score"],
    data=[[f"c{k}", "yes" if k % 2 else "no", (k / 10) + (1 if k in (3, 7) else 0)] for k in range(20)])
run.log({"evals": later})
later`;

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  'javascript:window.__xss=1',
  '=HYPERLINK("http://x")',
  'abc\u202edcba\u2066x',
];

const XSS_CELL = `import spyglass as sg
hostile = ${JSON.stringify(PAYLOADS)}
long = "L" * 1_000_000
html = sg.Html('<p id="inert">hello</p><script>window.__xss=1</script><img src=x onerror="window.__xss=1">')
t = sg.Table(columns=['<img src=x onerror="window.__xss=1">', "link", "page"],
    data=[[p, p, html] for p in hostile] + [[long, "javascript:window.__xss=1", html]])
xrun = sg.init(project="xss")
xrun.log({"hostile": t})
t`;

/** The visible rows of the nth explorer on the page as {column: text} objects, in row order. */
function gridRows(page, nth = 0) {
  return page.evaluate((index) => {
    const explorer = document.querySelectorAll('.sg-table-explorer')[index];
    if (explorer?.dataset.state !== 'ready' || explorer.dataset.preview) return null;
    const heads = [...explorer.querySelectorAll('.sg-grid-header-row:first-child .sg-grid-head')].map(
      (h) => h.dataset.column,
    );
    const rows = [...explorer.querySelectorAll('.sg-grid-row:not(.sg-loading)')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((r) => {
        const cells = [...r.querySelectorAll('.sg-grid-cell')];
        return Object.fromEntries(heads.map((h, i) => [h, cells[i]?.textContent ?? null]));
      });
    return {
      rows,
      domRows: explorer.querySelectorAll('.sg-grid-row').length,
      status: explorer.querySelector('.sg-table-status')?.textContent ?? '',
      error: explorer.querySelector('.sg-table-error[role=alert]:not([hidden])')?.textContent ?? null,
      heads,
      grid: { ...explorer.querySelector('.sg-grid')?.dataset },
    };
  }, nth);
}

async function waitRows(page, nth, check, what, timeoutMs = 30_000) {
  let last = null;
  try {
    return await waitFor(
      async () => {
        last = await gridRows(page, nth);
        return last && last.rows.length > 0 && check(last) ? last : null;
      },
      what,
      timeoutMs,
    );
  } catch (error) {
    const { rows = [], ...rest } = last ?? {};
    throw new Error(
      `${error.message}; grid: ${JSON.stringify({ ...rest, rows: rows.slice(0, 3) })}; console: ${session.browser.consoleErrors.slice(0, 5).join(' | ')}`,
    );
  }
}

test('a 1M-row table scrolls, sorts, filters, groups, previews images and compares two steps', async () => {
  writeNotebook(join(session.lab.rootDir, 'tables.ipynb'), [BIG_CELL, COMPARE_CELL]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'tables.ipynb');
  await runAllCells(page);

  // First rows, in logged order, and only a screenful of rows in the DOM.
  let grid = await waitRows(
    page,
    0,
    (g) => g.rows[0]?.id === '0',
    'the first rows of the 1M-row table',
    120_000,
  );
  assert.equal(grid.rows[1].label, 'class_1');
  assert.equal(grid.rows[0].name, 'item 0');
  assert.match(grid.status, /1,000,000 rows/);
  assert.ok(grid.domRows > 5 && grid.domRows < 60, `DOM rows: ${grid.domRows}`);
  // The whole file was decoded in the Parquet worker, not on the page's main thread.
  const decoder = await page.evaluate(() => document.querySelector('.sg-table-explorer')?.dataset.decoder);
  assert.equal(decoder, 'worker');

  // Scroll to the middle: other rows show, the DOM stays small.
  await page.evaluate(() => {
    const g = document.querySelector('.sg-table-explorer .sg-grid');
    g.scrollTop = g.scrollHeight / 2;
  });
  grid = await waitRows(page, 0, (g) => Number(g.rows[0]?.id) > 400_000, 'rows from the middle of the table');
  assert.ok(grid.domRows < 60, `DOM rows after scrolling: ${grid.domRows}`);

  // Sort by a shuffled column, descending (ascending first, then descending).
  const explorer = page.locator('.sg-table-explorer').first();
  const sortButton = explorer.locator('.sg-grid-head[data-column="shuffled"] .sg-sort');
  await sortButton.click();
  await waitRows(page, 0, (g) => g.rows[0]?.shuffled === '0', 'the ascending sort');
  await explorer.locator('.sg-grid-head[data-column="shuffled"] .sg-sort').click();
  let max = 0;
  for (let i = 0; i < 1_000_000; i++) max = Math.max(max, (i * 7919) % 1000003);
  grid = await waitRows(page, 0, (g) => g.rows[0]?.shuffled === String(max), 'the descending sort');
  assert.ok(Number(grid.rows[1].shuffled) < max);

  // Quick filter on the label column: exact match.
  await explorer.locator('input.sg-grid-filter[data-column="label"]').fill('=class_3');
  await explorer.locator('input.sg-grid-filter[data-column="label"]').press('Enter');
  grid = await waitRows(page, 0, (g) => /58,824 of 1,000,000/.test(g.status), 'the label filter');
  assert.ok(grid.rows.every((r) => r.label === 'class_3'));

  // WHERE box on top of the filter.
  await explorer.locator('input.sg-table-where').fill('id < 1000');
  await explorer.locator('input.sg-table-where').press('Enter');
  grid = await waitRows(page, 0, (g) => /59 of 1,000,000/.test(g.status), 'the WHERE condition');
  // A bad WHERE shows DuckDB's message and keeps the rows.
  await explorer.locator('input.sg-table-where').fill('nope > 1');
  await explorer.locator('input.sg-table-where').press('Enter');
  grid = await waitRows(page, 0, (g) => g.error?.includes('nope'), 'the WHERE error');

  // Clear, then group by label: 17 groups with counts.
  await explorer.locator('button', { hasText: 'Clear' }).click();
  await waitRows(page, 0, (g) => /^1,000,000 rows/.test(g.status), 'the cleared view');
  await explorer.locator('select.sg-table-groupby').selectOption('label');
  grid = await waitRows(
    page,
    0,
    (g) => g.heads.includes('count') && /^17 of/.test(g.status),
    'the grouped view',
  );
  assert.equal(grid.rows[0].label, 'class_0');
  assert.equal(grid.rows[0].count, '58824');
  assert.ok(grid.heads.includes('mean(score)'), grid.heads.join(','));
  await explorer.locator('select.sg-table-groupby').selectOption('');
  await waitRows(page, 0, (g) => g.rows[0]?.id === '0', 'the ungrouped view');

  // Image cells are thumbnails; a click opens the larger preview from a blob URL.
  const thumb = explorer.locator('img.sg-table-thumb').first();
  await thumb.waitFor({ timeout: 30_000 });
  await thumb.click();
  await page.waitForFunction(
    () => {
      const img = document.querySelector('.sg-table-preview:not([hidden]) img');
      return img?.src.startsWith('blob:') && img.naturalWidth === 8;
    },
    null,
    { timeout: 30_000 },
  );
  await explorer.locator('.sg-table-preview button', { hasText: 'Close' }).click();

  // Compare the second table's two logged steps: exactly the two changed scores are flagged.
  const evals = page.locator('.sg-table-explorer').nth(1);
  await waitRows(page, 1, (g) => g.rows[0]?.case === 'c0', 'the evals table');
  const compare = evals.locator('select.sg-table-compare');
  await compare.focus();
  await waitFor(
    () =>
      compare
        .locator('option')
        .count()
        .then((n) => n > 1),
    'the other versions of evals',
  );
  // preds took step 0, so the two evals versions are steps 1 and 2 (the displayed one).
  await compare.selectOption({ label: 'step 1' });
  grid = await waitRows(page, 1, (g) => g.heads.includes('score [step 1]'), 'the compare view');
  const changed = await evals.locator('.sg-grid-cell.sg-changed').count();
  assert.equal(changed, 4, 'two rows × both sides of the changed score column');
  const row3 = grid.rows.find((r) => r.row === '3');
  assert.equal(row3['score [step 2]'], '1.3');
  assert.equal(row3['score [step 1]'], '0.3');
});

test('hostile cell values and column names render as inert text; no script runs', async () => {
  writeNotebook(join(session.lab.rootDir, 'xss.ipynb'), [XSS_CELL]);
  const { page } = session.browser;
  // Only this notebook's outputs on the page (a reload would restore the first test's notebook).
  await page.evaluate(() => window.jupyterapp?.commands.execute('application:close-all'));
  await openLab(page, session.lab.url);
  await openNotebook(page, 'xss.ipynb');
  await runAllCells(page);
  const grid = await waitRows(page, 0, (g) => g.rows.length >= 6, 'the hostile table', 60_000);
  const first = grid.heads[0];
  assert.equal(first, '<img src=x onerror="window.__xss=1">', 'the column name is text');
  const texts = grid.rows.map((r) => r[first]);
  for (const payload of [
    '<img src=x onerror="window.__xss=1">',
    '<script>window.__xss=1</script>',
    'javascript:window.__xss=1',
    '=HYPERLINK("http://x")',
    'abc\u202edcba\u2066x',
  ]) {
    assert.ok(texts.includes(payload), `shown literally: ${payload}`);
  }
  const long = texts.find((t) => t.includes('LLLL'));
  assert.ok(long.length < 400, `a 1 MB string is cut for display (${long.length} chars)`);
  const facts = await page.evaluate(() => ({
    xss: window.__xss,
    injectedImg: document.querySelectorAll('.sg-table-explorer img[src="x"]').length,
    scripts: document.querySelectorAll('.sg-table-explorer script').length,
    links: document.querySelectorAll('.sg-table-explorer a[href]').length,
    bidiIsolated: [...document.querySelectorAll('.sg-grid-cell bdi')].some((b) =>
      b.textContent.includes('\u202e'),
    ),
  }));
  assert.deepEqual(facts, { xss: undefined, injectedImg: 0, scripts: 0, links: 0, bidiIsolated: true });

  // The html cell opens sanitized in a sandboxed frame: the script is gone and could not run anyway.
  await page.locator('.sg-table-explorer .sg-table-media-button', { hasText: 'html' }).first().click();
  const frame = await page.waitForFunction(
    () => {
      const f = document.querySelector('.sg-table-preview:not([hidden]) iframe');
      return f?.srcdoc ? { sandbox: f.getAttribute('sandbox'), srcdoc: f.srcdoc } : null;
    },
    null,
    { timeout: 30_000 },
  );
  const { sandbox, srcdoc } = await frame.jsonValue();
  assert.equal(sandbox, '');
  assert.match(srcdoc, /hello/);
  assert.doesNotMatch(srcdoc, /<script|onerror/i);
  // The long value expands in the preview, still as text.
  await page.locator('.sg-table-preview button', { hasText: 'Close' }).click();
  await page.locator('.sg-table-explorer .sg-table-expand').first().click();
  const shown = await page.waitForFunction(
    () => document.querySelector('.sg-table-preview:not([hidden]) pre')?.textContent.length,
  );
  assert.equal(await shown.jsonValue(), 1_000_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

const PLOT_CELL = `import numpy as np, spyglass as sg
prun = sg.init(project="plots")
curve = sg.Table(columns=["epoch", "loss"], data=[[k, 1 / (k + 1)] for k in range(30)])
line = sg.plot.line(curve, "epoch", "loss", title="loss")
prun.log({"loss_curve": line})
display(line)
rng = np.random.default_rng(0)
truth = rng.integers(0, 3, 200)
guess = np.where(rng.random(200) < 0.8, truth, rng.integers(0, 3, 200))
cm = sg.plot.confusion_matrix(y_true=truth, preds=guess, class_names=["cat", "dog", "owl"])
cm`;

test('sg.plot outputs draw their chart above their table', async () => {
  writeNotebook(join(session.lab.rootDir, 'plots.ipynb'), [PLOT_CELL]);
  const { page } = session.browser;
  const errorsBefore = session.browser.consoleErrors.length;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'plots.ipynb');
  await runAllCells(page);

  const drawn = await waitFor(
    () =>
      page.evaluate(() => {
        const plots = [...document.querySelectorAll('.jp-SpyglassTablePlot[data-spyglass-plot-rows]')];
        return plots.length === 2
          ? plots.map((plot) => ({
              rows: Number(plot.dataset.spyglassPlotRows),
              lines: plot.querySelectorAll('.mark-line.role-mark path').length,
              cells: plot.querySelectorAll('.mark-rect.role-mark path').length,
              explorerBelow: plot.nextElementSibling?.classList.contains('sg-table-explorer') ?? false,
            }))
          : null;
      }),
    'two sg.plot charts to draw',
  );
  // The line preset draws its 30 rows as one line; the confusion matrix one cell per (true, predicted) pair seen.
  assert.deepEqual(
    { rows: drawn[0].rows, lines: drawn[0].lines, explorerBelow: drawn[0].explorerBelow },
    { rows: 30, lines: 1, explorerBelow: true },
  );
  assert.ok(drawn[1].rows > 0 && drawn[1].rows <= 9, `confusion rows: ${drawn[1].rows}`);
  assert.equal(drawn[1].cells, drawn[1].rows);
  assert.deepEqual(session.browser.consoleErrors.slice(errorsBefore), []);
});
