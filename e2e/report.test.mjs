// Published reports opened from disk (file://) in headless Chromium with every non-file request aborted:
// notebooks/report-example.ipynb executed and published, a 10-chart × 20-run report, and the XSS corpus of
// kernel-bridge/tests/report/report_fixtures.py. Charts render with their series, zoom and legend work, tables
// sort and filter, nothing leaves the page and no script from the data runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './support/browser.mjs';
import { repoRoot, venvBin } from './support/jupyter-lab.mjs';
import { openReportPage } from './support/report-page.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for a screenshot of the example report
const work = mkdtempSync(join(tmpdir(), 'spyglass-report-e2e-'));
let browser;

function python(...args) {
  return execFileSync(join(venvBin, 'python'), args, { cwd: work, encoding: 'utf8', timeout: 120_000 });
}

before(() => {
  copyFileSync(join(repoRoot, 'notebooks', 'report-example.ipynb'), join(work, 'report-example.ipynb'));
  python(join(repoRoot, 'scripts', 'run_notebook.py'), 'report-example.ipynb');
  execFileSync(join(venvBin, 'spyglass'), ['report', 'report-example.ipynb', '-o', 'example.report.html'], {
    cwd: work,
  });
  python(join(repoRoot, 'kernel-bridge', 'tests', 'report', 'report_fixtures.py'), work);
});

after(async () => {
  await browser?.close();
});

/** Opens a report with the network cut off; returns what the page requested and every CSP violation. */
async function openReport(file) {
  browser ??= await launchBrowser();
  return openReportPage(browser, join(work, file));
}

/** Every chart: its expected series count (from the data) and the lines Vega drew. */
function charts(page) {
  return page.$$eval('.sg-chart', (elements) =>
    elements.map((c) => ({
      metric: c.dataset.metric,
      rendered: c.dataset.rendered === 'true',
      expected: Number(c.dataset.seriesCount),
      lines: c.querySelectorAll('.mark-line path').length,
      domain: c.dataset.xDomain,
    })),
  );
}

test('the example report draws every chart with one line per run, zooms, toggles runs and sorts its table', async () => {
  const { page, requests, errors, violations } = await openReport('example.report.html');
  const drawn = await charts(page);
  assert.equal(drawn.length, 6); // workspace: 3 metrics × 4 runs; best run: 3 metrics × 1 run
  for (const chart of drawn) {
    assert.ok(chart.rendered, chart.metric);
    assert.equal(chart.lines, chart.expected, chart.metric);
  }
  assert.deepEqual(
    drawn.map((c) => c.expected),
    [4, 4, 4, 1, 1, 1],
  );
  assert.ok((await page.$$('nav.sg-toc a')).length >= 5, 'table of contents from the headings');
  assert.match(await page.textContent('.sg-title'), /Learning-rate study[\s\S]*Runs \(4\)/);

  if (SHOTS) {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.locator('h2', { hasText: 'All runs compared' }).evaluate((h) => h.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'report-example.png') });
  }
  const chart = page.locator('.sg-chart').first();
  await chart.scrollIntoViewIfNeeded();
  const before = await chart.getAttribute('data-x-domain');
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  // A plain wheel scrolls the page and leaves the chart's x domain alone.
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.mouse.wheel(0, 200);
  await page.waitForFunction((y) => window.scrollY !== y, scrolled);
  assert.equal(await chart.getAttribute('data-x-domain'), before, 'a plain wheel does not zoom');
  // Ctrl+wheel zooms in.
  const zoomAt = await chart.boundingBox();
  await page.mouse.move(zoomAt.x + zoomAt.width / 2, zoomAt.y + zoomAt.height / 3);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await page.waitForFunction((b) => document.querySelector('.sg-chart').dataset.xDomain !== b, before);
  const [lo, hi] = JSON.parse(await chart.getAttribute('data-x-domain'));
  const [lo0, hi0] = JSON.parse(before);
  assert.ok(hi - lo < hi0 - lo0, `zoomed in: ${before} → [${lo}, ${hi}]`);
  // Zooming out far stops at the data's extent (the unzoomed domain), never beyond it.
  await page.keyboard.down('Control');
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 600);
  await page.keyboard.up('Control');
  await page.waitForFunction((b) => document.querySelector('.sg-chart').dataset.xDomain === b, before, {
    timeout: 10_000,
  });
  const [outLo, outHi] = JSON.parse(await chart.getAttribute('data-x-domain'));
  assert.ok(outLo >= lo0 && outHi <= hi0, `zoomed out to [${outLo}, ${outHi}], the data spans ${before}`);

  // A legend click keeps one run: the other lines fade.
  await chart.locator('.role-legend-label text').first().click();
  await page.waitForFunction(() =>
    [...document.querySelector('.sg-chart').querySelectorAll('.mark-line path')].some(
      (p) => Number(p.getAttribute('opacity') ?? p.style.opacity ?? 1) < 0.5,
    ),
  );

  const table = page.locator('.sg-table').first();
  const firstColumn = () => table.locator('tbody tr td:first-child').allTextContents();
  await table.locator('th button', { hasText: 'val/loss' }).click();
  const sorted = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  assert.deepEqual(
    sorted.map(Number),
    [...sorted.map(Number)].sort((a, b) => a - b),
  );
  await table.locator('input[type=search]').fill('0.03');
  assert.deepEqual(await firstColumn(), ['lr-0.03']);

  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('ten charts over twenty runs all render with twenty lines each', async () => {
  const { page, requests, violations } = await openReport('budget.report.html');
  const drawn = await charts(page);
  assert.equal(drawn.length, 10);
  for (const chart of drawn) assert.deepEqual([chart.rendered, chart.lines], [true, 20], chart.metric);
  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  assert.deepEqual(await violations(), []);
  await page.close();
});

test('sg.plot outputs draw their Vega-Lite spec over the embedded rows, above their table', async () => {
  const { page, requests, errors, violations } = await openReport('plots.report.html');
  const plots = await page.$$eval('.sg-plot-chart', (elements) =>
    elements.map((e) => ({
      rendered: e.dataset.rendered === 'true',
      rows: Number(e.dataset.rows),
      marks: e.querySelectorAll('svg .mark-line path, svg .mark-rect path').length,
      table: e.nextElementSibling?.classList.contains('sg-table') ?? false,
    })),
  );
  assert.equal(plots.length, 2);
  assert.deepEqual([plots[0].rendered, plots[0].rows, plots[0].table], [true, 20, true]);
  assert.ok(plots[0].marks >= 1, 'the line is drawn');
  assert.deepEqual([plots[1].rendered, plots[1].table], [true, true]);
  assert.ok(plots[1].marks >= 1, 'the confusion matrix cells are drawn');
  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('no script from the XSS corpus runs, and the payloads show as text', async () => {
  const { page, requests, errors, violations } = await openReport('xss.report.html');
  const text = await page.textContent('#sg-report');
  assert.match(text, /window\.__xss='run-name'/); // the run name, shown as text
  assert.match(text, /<script>window\.__xss='cell-script'<\/script>/); // a table cell, as text
  // Hover and click everything a payload could hang a handler on.
  for (const selector of ['.sg-markdown a', '.sg-table td', '.sg-chart']) {
    for (const element of await page.$$(selector)) {
      await element.hover().catch(() => {});
      await element.click({ trial: false }).catch(() => {});
    }
  }
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(
    await page.$$eval(
      '#sg-report [onerror], #sg-report [onload], #sg-report [onclick], #sg-report script',
      (n) => n.length,
    ),
    0,
  );
  // DOMPurify parses the payloads in an inert document; Chromium still reports their inline handlers as blocked.
  // Anything else (a script, eval, a load) would be a different directive.
  for (const v of await violations()) assert.equal(v.directive, 'script-src-attr', JSON.stringify(v));
  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('the theme follows the system setting, charts included', async () => {
  const { page } = await openReport('example.report.html');
  const colours = () =>
    page.evaluate(() => ({
      background: getComputedStyle(document.body).backgroundColor,
      label: document.querySelector('.sg-chart .role-axis-label text')?.getAttribute('fill'),
    }));
  const light = await colours();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((l) => {
    const label = document.querySelector('.sg-chart .role-axis-label text')?.getAttribute('fill');
    return label && label !== l;
  }, light.label);
  const dark = await colours();
  assert.notEqual(dark.background, light.background);
  assert.equal(dark.label, '#d4d4d4');
  await page.close();
});
