// The table explorer's life cycle and image cells in a real JupyterLab: closing a notebook while its large table
// still loads logs nothing; scrolling a table of 400 images (more than the blob URL cache holds) never loads a
// revoked blob URL; the row-height control makes thumbnails larger; hovering a thumbnail shows a larger image;
// header names carry their full text as a tooltip.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const session = useLabAndBrowser();

const LARGE_CELL = `import numpy as np, pandas as pd, spyglass as sg
run = sg.init(project="closing")
i = np.arange(1_000_000)
df = pd.DataFrame({"id": i, "x": i / 7, "name": pd.Series(i % 5000).map("item {}".format)})
big = sg.Table(dataframe=df)
run.log({"big": big})
big`;

const LONG_NAME = 'a_rather_long_column_name_that_the_header_cuts_off';

const IMAGES_CELL = `import numpy as np, spyglass as sg
run = sg.init(project="thumbs")
rows = []
for k in range(400):
    pixels = np.zeros((16, 16, 3), dtype=np.uint8)
    pixels[:, : (k % 16) + 1] = (k * 37) % 256
    rows.append([k, sg.Image(pixels, caption=f"img {k}"), k / 3])
t = sg.Table(columns=["k", "image", "${LONG_NAME}"], data=rows)
run.log({"thumbs": t})
t`;

/**
 * Opens a notebook and waits for its idle kernel, returning nothing from the page (lab-page's openNotebook
 * returns the widget, which fails to serialize once another notebook was closed in this page).
 */
async function openQuietly(page, path) {
  await page.evaluate((p) => {
    void window.jupyterapp.commands.execute('docmanager:open', { path: p });
  }, path);
  await page.waitForFunction(
    (p) => {
      const widget = window.jupyterapp.shell.currentWidget;
      return widget?.context?.path === p && widget.sessionContext?.session?.kernel?.status === 'idle';
    },
    path,
    { timeout: 60_000 },
  );
}

test('closing a notebook while its table loads logs no error', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  // Close at three moments of the load: as soon as the output appears, mid-transfer, and once a preview shows.
  for (const moment of ['output', 'bytes', 'explorer']) {
    // One notebook (and kernel) per moment: each starts from a fresh output.
    writeNotebook(join(session.lab.rootDir, `closing-${moment}.ipynb`), [LARGE_CELL]);
    await openQuietly(page, `closing-${moment}.ipynb`);
    const before = session.browser.consoleErrors.length;
    await runAllCells(page);
    await page.waitForFunction(
      (when) => {
        const output = document.querySelector('.jp-SpyglassTableOutput');
        if (when === 'output' || !output) return !!output;
        // Mid-transfer shows "… MB"; a fast transfer may skip straight to the next steps.
        if (when === 'bytes')
          return /MB|Preparing/.test(output.textContent) || !!output.querySelector('.sg-table-explorer');
        return !!output.querySelector('.sg-table-explorer');
      },
      moment,
      { timeout: 120_000 },
    );
    const state = await page.evaluate(() => {
      const widget = window.jupyterapp.shell.currentWidget;
      const text = document.querySelector('.jp-SpyglassTableOutput')?.textContent?.slice(0, 60) ?? '';
      widget.context.model.dirty = false; // closes without the "save changes?" dialog
      widget.close();
      return text;
    });
    // Let the abandoned load run to its end (fetch, decode, register, query).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    // JupyterLab's debugger logs this when a notebook closes before the kernel answered its debug_request.
    const errors = session.browser.consoleErrors
      .slice(before)
      .filter((e) => !/^Error: Canceled future for debug_request message/.test(e));
    assert.deepEqual(errors, [], `closed at ${moment} (${state}): ${errors.join(' | ')}`);
  }
});

/** Waits until every thumbnail in the explorer's visible rows has drawn its 16 px image; returns their count. */
async function thumbsLoaded(page, what, timeoutMs = 30_000) {
  let last = null;
  const state = () =>
    page.evaluate(() => {
      const explorer = document.querySelector('.sg-table-explorer');
      const rows = explorer?.querySelectorAll('.sg-grid-row') ?? [];
      const thumbs = [...(explorer?.querySelectorAll('img.sg-table-thumb') ?? [])];
      return {
        state: explorer?.dataset.state,
        preview: explorer?.dataset.preview ?? null,
        rows: rows.length,
        loading: explorer?.querySelectorAll('.sg-grid-row.sg-loading').length ?? 0,
        thumbs: thumbs.length,
        drawn: thumbs.filter((i) => i.complete && i.naturalWidth === 16).length,
      };
    });
  try {
    return await waitFor(
      async () => {
        last = await state();
        const ok = last.state === 'ready' && !last.preview && last.rows > 0 && last.loading === 0;
        return ok && last.thumbs === last.rows && last.drawn === last.rows ? last.drawn : null;
      },
      what,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${error.message}: ${JSON.stringify(last)}`);
  }
}

function scrollGrid(page, top) {
  return page.evaluate((y) => {
    const grid = document.querySelector('.sg-table-explorer .sg-grid');
    grid.scrollTop = y === 'end' ? grid.scrollHeight : y;
  }, top);
}

test('400 image thumbnails scroll without a revoked blob URL; row height, hover preview, header tooltips', async () => {
  writeNotebook(join(session.lab.rootDir, 'thumbs.ipynb'), [IMAGES_CELL]);
  const { page } = session.browser;
  const failed = [];
  page.on('requestfailed', (request) => {
    if (request.url().startsWith('blob:')) failed.push(`${request.url()} ${request.failure()?.errorText}`);
  });
  const before = session.browser.consoleErrors.length;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'thumbs.ipynb');
  await runAllCells(page);
  await thumbsLoaded(page, 'the first thumbnails', 120_000);

  // Scroll through all 400 rows and back (the cache holds 300 URLs), then re-render by sorting twice.
  const rowPx = await page.evaluate(
    () => document.querySelector('.sg-table-explorer .sg-grid-row').getBoundingClientRect().height,
  );
  for (let top = 0; top <= 400 * rowPx; top += 8 * rowPx) {
    await scrollGrid(page, top);
    await thumbsLoaded(page, `thumbnails at ${top}px`);
  }
  await scrollGrid(page, 0);
  await thumbsLoaded(page, 'the first thumbnails again');
  const explorer = page.locator('.sg-table-explorer').first();
  for (let i = 0; i < 2; i++) {
    await explorer.locator('.sg-grid-head[data-column="k"] .sg-sort').click();
    await thumbsLoaded(page, 'thumbnails after sorting');
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(failed, [], 'failed blob: requests');
  const notFound = session.browser.consoleErrors.slice(before).filter((e) => /ERR_FILE_NOT_FOUND/.test(e));
  assert.deepEqual(notFound, []);

  // Row height: large rows draw 96 px thumbnails, rows sit at index × height, and the choice outlives a sort.
  const rowHeight = explorer.getByLabel('Row height');
  const measure = () =>
    page.evaluate(() => {
      const explorer = document.querySelector('.sg-table-explorer');
      const rows = [...explorer.querySelectorAll('.sg-grid-row')];
      const row = rows.find((r) => r.dataset.index === '3');
      return {
        row: row?.getBoundingClientRect().height,
        y: row?.style.transform,
        thumb: row?.querySelector('img.sg-table-thumb')?.getBoundingClientRect().height,
        spacer: explorer.querySelector('.sg-grid-spacer').getBoundingClientRect().height,
      };
    });
  const expectSize = async (thumb, what) => {
    const row = thumb + 6;
    const m = await waitFor(async () => {
      const got = await measure();
      return got.thumb === thumb ? got : null;
    }, what);
    assert.ok(m.row >= row && m.row <= row + 1, `row box ${m.row} px for ${row} px rows`);
    assert.equal(m.y, `translateY(${3 * row}px)`);
    assert.equal(m.spacer, 400 * row);
  };
  await rowHeight.selectOption('large');
  await expectSize(96, 'large thumbnails');
  await explorer.locator('.sg-grid-head[data-column="k"] .sg-sort').click();
  await explorer.locator('.sg-grid-head[data-column="k"] .sg-sort').click();
  await thumbsLoaded(page, 'large thumbnails after sorting');
  await expectSize(96, 'large thumbnails after sorting');
  await scrollGrid(page, 'end');
  await waitFor(
    () => page.evaluate(() => !!document.querySelector('.sg-table-explorer .sg-grid-row[data-index="399"]')),
    'the last row at large height',
  );
  await scrollGrid(page, 0);
  await rowHeight.selectOption('medium');
  await expectSize(48, 'medium thumbnails');
  await thumbsLoaded(page, 'medium thumbnails');

  // Hovering a thumbnail shows a larger image beside it; leaving or Escape hides it.
  const hover = explorer.locator('.sg-table-hover');
  const thumb = explorer.locator('.sg-grid-row[data-index="2"] img.sg-table-thumb');
  await thumb.hover();
  await page.waitForFunction(() => {
    const img = document.querySelector('.sg-table-hover:not([hidden]) img');
    return img?.src.startsWith('blob:') && img.complete && img.getBoundingClientRect().width >= 128;
  });
  await page.mouse.move(1, 1);
  await hover.waitFor({ state: 'hidden' });
  await thumb.hover();
  await hover.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden' });
  // The modal preview still opens on click.
  await thumb.click();
  await explorer.locator('.sg-table-preview:not([hidden]) img').waitFor();
  await explorer.locator('.sg-table-preview button', { hasText: 'Close' }).click();

  // A header name cut off by its column width carries the full name as its tooltip.
  const head = await page.evaluate((name) => {
    const span = document.querySelector(`.sg-grid-head[data-column="${name}"] .sg-grid-head-name`);
    return { cut: span.scrollWidth > span.clientWidth, title: span.title };
  }, LONG_NAME);
  assert.ok(head.cut, 'the long header is truncated');
  assert.ok(head.title.startsWith(LONG_NAME), head.title);

  // Closing the notebook while thumbnails of a fresh scroll position load: no load of a revoked URL.
  await page.evaluate(() => {
    const grid = document.querySelector('.sg-table-explorer .sg-grid');
    grid.scrollTop = grid.scrollHeight / 2;
    const widget = window.jupyterapp.shell.currentWidget;
    setTimeout(() => {
      widget.context.model.dirty = false;
      widget.close();
    }, 60);
  });
  await page.waitForSelector('.sg-table-explorer', { state: 'detached' });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.deepEqual(failed, [], 'failed blob: requests');
  assert.deepEqual(session.browser.consoleErrors.slice(before), []);
});
