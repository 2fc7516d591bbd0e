// The table explorer in headless Chromium inside a real JupyterLab (e2e support): a notebook logs and shows a
// 1M-row × 10-column table; prints the time from the output's render to the first rows, sort and filter
// latencies (click → grid shows the new first row), the DOM row count while scrolling, and the naive way
// (every row of the same DuckDB table materialised as JS objects in the page) with the ratio.
//   node bench/table-explorer/browser.mjs [repeats]      (after `npm run build`)
import { join } from 'node:path';
import { launchBrowser } from '../../e2e/support/browser.mjs';
import { startJupyterLab } from '../../e2e/support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from '../../e2e/support/lab-page.mjs';
import { writeNotebook } from '../../e2e/support/notebook-file.mjs';

const REPEATS = Number(process.argv[2] ?? 3);
const CELL = `import numpy as np, pandas as pd, spyglass as sg
run = sg.init(project="bench")
n = 1_000_000
i = np.arange(n)
labels = np.array(["class_%d" % k for k in range(17)], dtype=object)
t = sg.Table(dataframe=pd.DataFrame({"id": i, "bucket": i % 1000, "shuffled": (i * 7919) % 1000003,
    "x": i / 1000, "y": np.sin(i), "label": labels[i % 17], "name": pd.Series(i).map("item {}".format),
    "even": i % 2 == 0, "score": ((i * 31) % 100) / 100, "tag": labels[(i * 7) % 17]}))
run.log({"preds": t})
t`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const firstCell = (page, column) =>
  page.evaluate((c) => {
    const e = document.querySelector('.sg-table-explorer');
    if (!e) return null;
    const heads = [...e.querySelectorAll('.sg-grid-header-row:first-child .sg-grid-head')].map(
      (h) => h.dataset.column,
    );
    const row = [...e.querySelectorAll('.sg-grid-row:not(.sg-loading)')].find((r) => r.dataset.index === '0');
    return row ? row.querySelectorAll('.sg-grid-cell')[heads.indexOf(c)]?.textContent : null;
  }, column);

async function timed(page, action, column, expected) {
  const t0 = performance.now();
  await action();
  await waitFor(
    async () => (await firstCell(page, column)) === expected,
    `${column} = ${expected}`,
    60_000,
    5,
  );
  return performance.now() - t0;
}

const lab = await startJupyterLab();
const browser = await launchBrowser();
try {
  const { page } = browser;
  writeNotebook(join(lab.rootDir, 'bench.ipynb'), [CELL]);
  await openLab(page, lab.url);
  await openNotebook(page, 'bench.ipynb');
  await runAllCells(page);
  await waitFor(
    () => page.evaluate(() => document.querySelector('.jp-SpyglassTableOutput')?.dataset.readyMs),
    'the whole table',
    180_000,
    20,
  );
  await waitFor(async () => (await firstCell(page, 'id')) === '0', 'the first rows', 60_000, 20);
  const { fetched, preview, ready } = await page.evaluate(() => {
    const o = document.querySelector('.jp-SpyglassTableOutput');
    return {
      fetched: Number(o.dataset.fetchedMs),
      preview: Number(o.dataset.previewMs),
      ready: Number(o.dataset.readyMs),
    };
  });

  const explorer = page.locator('.sg-table-explorer').first();
  const sorts = [];
  const filters = [];
  for (let r = 0; r < REPEATS; r++) {
    const sort = explorer.locator('.sg-grid-head[data-column="shuffled"] .sg-sort');
    sorts.push(await timed(page, () => sort.click(), 'shuffled', '0')); // ascending
    await explorer.locator('.sg-grid-head[data-column="shuffled"] .sg-sort').click(); // descending
    await explorer.locator('.sg-grid-head[data-column="shuffled"] .sg-sort').click(); // off
    await waitFor(async () => (await firstCell(page, 'id')) === '0', 'unsorted', 60_000, 5);
    const input = explorer.locator('input.sg-grid-filter[data-column="label"]');
    await input.fill(`=class_${r + 3}`);
    filters.push(await timed(page, () => input.press('Enter'), 'id', String(r + 3)));
    await input.fill('');
    await input.press('Enter');
    await waitFor(async () => (await firstCell(page, 'id')) === '0', 'unfiltered', 60_000, 5);
  }

  let maxDomRows = 0;
  for (let k = 0; k <= 20; k++) {
    maxDomRows = Math.max(
      maxDomRows,
      await page.evaluate((f) => {
        const g = document.querySelector('.sg-table-explorer .sg-grid');
        g.scrollTop = (g.scrollHeight - g.clientHeight) * f;
        return new Promise((resolve) =>
          setTimeout(() => resolve(document.querySelectorAll('.sg-table-explorer .sg-grid-row').length), 100),
        );
      }, k / 20),
    );
  }

  const naive = await page.evaluate(async () => {
    const run = (sql) => window.jupyterapp.commands.execute('spyglass:query', { sql });
    // The whole table's data (the preview's holds only the first rows).
    const [{ name }] = await run(
      "SELECT table_name AS name FROM duckdb_tables() WHERE table_name LIKE 'spyglass_table_%_data' ORDER BY estimated_size DESC LIMIT 1",
    );
    const t0 = performance.now();
    const rows = await run(`SELECT * FROM "${name}"`);
    const materialise = performance.now() - t0;
    const t1 = performance.now();
    rows.sort((a, b) => a.shuffled - b.shuffled);
    const sort = performance.now() - t1;
    const t2 = performance.now();
    const hits = rows.filter((r) => r.label === 'class_3').length;
    return { materialise, sort, filter: performance.now() - t2, rows: rows.length, hits };
  });

  const line = (name, ours, theirs) =>
    console.log(
      `${name.padEnd(42)} ${ours.toFixed(0).padStart(8)} ms ${theirs === null ? '' : `${theirs.toFixed(0).padStart(9)} ms   ${(theirs / ours).toFixed(1)}×`}`,
    );
  console.log(
    `${'1M rows × 10 columns, headless Chromium'.padEnd(42)} ${'explorer'.padStart(11)} ${'naive'.padStart(12)}   ratio`,
  );
  line('first rows after the table arrives (preview)', preview - fetched, naive.materialise);
  line('whole table queryable after it arrives', ready - fetched, naive.materialise);
  line('  the file fetch before that', fetched, null);
  line(`sort (click → new first row, median of ${REPEATS})`, median(sorts), naive.sort);
  line(`filter (Enter → new first row, median of ${REPEATS})`, median(filters), naive.filter);
  console.log(
    `DOM rows while scrolling through 1M rows: at most ${maxDomRows} (naive: ${naive.rows.toLocaleString()})`,
  );
  console.log(
    'naive = SELECT * of the same DuckDB table as JS objects in the page, then Array.sort / Array.filter',
  );
  console.log(
    '(the naive sort and filter start after the materialisation; both columns exclude the kernel time).',
  );
} finally {
  await browser.close();
  await lab.stop();
}
