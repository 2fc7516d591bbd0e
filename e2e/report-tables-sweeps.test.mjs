// Report tables and sweeps opened from disk in headless Chromium (network cut off): image cells draw as
// thumbnails or placeholders, a cut table says how many rows it leaves out, numbers show significant digits.
// The notebooks come from kernel-bridge/tests/report/report_media_fixtures.py (the real spyglass API).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './support/browser.mjs';
import { repoRoot, venvBin } from './support/jupyter-lab.mjs';
import { openReportPage } from './support/report-page.mjs';

const work = mkdtempSync(join(tmpdir(), 'spyglass-report-tables-'));
let browser;

before(async () => {
  const fixtures = join(repoRoot, 'kernel-bridge', 'tests', 'report', 'report_media_fixtures.py');
  execFileSync(join(venvBin, 'python'), [fixtures, work], { cwd: work, encoding: 'utf8', timeout: 180_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

function offPage(requests) {
  return requests.filter((url) => !url.startsWith('file://'));
}

test('image cells show as loaded thumbnails, then placeholders once the media budget is used up', async () => {
  const { page, requests, errors, violations } = await openReportPage(
    browser,
    join(work, 'media.report.html'),
  );
  const table = page.locator('.sg-table').first();
  const cells = await table.locator('tbody tr td:nth-child(2)').evaluateAll((tds) =>
    tds.map((td) => ({
      text: td.textContent,
      thumbs: [...td.querySelectorAll('img.sg-thumb')].map((img) => ({
        loaded: img.complete && img.naturalWidth > 0,
        width: img.naturalWidth,
        shown: img.getBoundingClientRect().width,
        alt: img.alt,
      })),
      placeholders: td.querySelectorAll('.sg-media-placeholder').length,
    })),
  );
  assert.equal(cells.length, 2000);
  assert.ok(
    cells.every((c) => !c.text.includes('_type')),
    'no reference JSON in any cell',
  );
  const withThumb = cells.filter((c) => c.thumbs.length === 1);
  assert.ok(withThumb.length > 100, `${withThumb.length} thumbnails`);
  // Images scrolled far below may not be decoded yet; the first rows are.
  for (const { thumbs } of withThumb.slice(0, 20)) {
    assert.ok(thumbs[0].loaded && thumbs[0].width <= 96 && thumbs[0].shown <= 96, JSON.stringify(thumbs[0]));
  }
  assert.equal(withThumb[0].thumbs[0].alt, '#0');
  const rest = cells.slice(withThumb.length);
  assert.ok(rest.length > 0 && rest.every((c) => c.placeholders === 1 && /used up/.test(c.text)));

  const status = await table.locator('.sg-table-status').textContent();
  assert.equal(status, 'Showing 2,000 of 3,000 rows; 1,000 rows are left out of the report');
  assert.match(await table.locator('.sg-note').textContent(), /^Showing 2,000 of 3,000 rows: 1,000 rows/);
  // score = id / 3: six significant digits, the full value as the cell's tooltip.
  const score = table.locator('tbody tr:nth-child(2) td:nth-child(3)');
  assert.equal(await score.textContent(), '0.333333');
  assert.equal(await score.getAttribute('title'), String(1 / 3));
  await table.locator('input[type=search]').fill('#7');
  assert.match(
    await table.locator('.sg-table-status').textContent(),
    /^Showing [\d,]+ of 3,000 rows \([\d,]+ filtered out\)/,
  );

  assert.deepEqual(offPage(requests), []);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Every sweep chart of the page: its name, whether Vega drew it, and the labels of its x axis. */
function sweepCharts(page) {
  return page.$$eval('[data-sweep-chart]', (elements) =>
    elements.map((e) => {
      const axis = [...e.querySelectorAll('[aria-roledescription="axis"]')].find((a) =>
        a.getAttribute('aria-label')?.startsWith('X-axis'),
      );
      return {
        name: e.dataset.sweepChart,
        rendered: e.dataset.rendered === 'true',
        marks: e.querySelectorAll('svg .role-mark path, svg .role-mark line').length,
        xLabels: axis ? [...axis.querySelectorAll('.role-axis-label text')].map((t) => t.textContent) : [],
      };
    }),
  );
}

test("a sweep saved mid-run publishes the finished sweep with the sweep panel's charts", async () => {
  const { page, requests, errors, violations } = await openReportPage(
    browser,
    join(work, 'sweep.report.html'),
  );
  const title = await page.textContent('section.sg-sweep h4');
  assert.match(title, /\(grid, finished\): 6 done, 0 failed$/);
  assert.equal(await page.$$eval('section.sg-sweep .sg-note', (n) => n.length), 0);
  const charts = await sweepCharts(page);
  assert.deepEqual(
    charts.map((c) => c.name),
    ['parallel', 'by-trial', 'scatter:lr', 'scatter:batch', 'importance'],
  );
  for (const chart of charts) assert.ok(chart.rendered && chart.marks > 0, JSON.stringify(chart));
  const byTrial = charts.find((c) => c.name === 'by-trial');
  assert.ok(byTrial.xLabels.length >= 2);
  assert.ok(
    byTrial.xLabels.every((label) => /^\d+$/.test(label)),
    `whole trials: ${byTrial.xLabels}`,
  );
  assert.equal(await page.$$eval('.sg-chart', (n) => n.length), 0, 'no line chart over trial numbers');
  // The trials table: six rows, metrics to six significant digits.
  const trials = page.locator('.sg-table').first();
  assert.equal(await trials.locator('tbody tr').count(), 6);
  const metrics = await trials.locator('tbody tr td:nth-child(3)').allTextContents();
  // loss = (log10(lr) + 2)² + batch / 100 + 1/3, as report_media_fixtures.sweep_notebook logs it.
  const expected = [0.001, 0.01, 0.1].flatMap((lr) =>
    [16, 32].map((batch) => String(Number(((Math.log10(lr) + 2) ** 2 + batch / 100 + 1 / 3).toPrecision(6)))),
  );
  assert.deepEqual([...metrics].sort(), expected.sort());

  assert.deepEqual(offPage(requests), []);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a sweep whose directory is gone shows the saved snapshot and says so', async () => {
  const { page, errors } = await openReportPage(browser, join(work, 'sweep-saved.report.html'));
  assert.match(await page.textContent('section.sg-sweep h4'), /\(grid, running\): 3 done, 0 failed$/);
  assert.match(
    await page.textContent('section.sg-sweep .sg-note'),
    /^The sweep's directory is not reachable \(looked in .*\): this is the snapshot saved with the notebook/,
  );
  const charts = await sweepCharts(page);
  assert.ok(charts.length >= 2 && charts.every((c) => c.rendered));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lineage output is drawn as a graph image, the runs that used the dataset after the save included', async () => {
  const { page, requests, errors, violations } = await openReportPage(
    browser,
    join(work, 'lineage.report.html'),
  );
  const image = page.locator('section.sg-svg img').first();
  await image.waitFor();
  const drawn = await image.evaluate((img) => ({
    loaded: img.complete && img.naturalWidth > 100 && img.naturalHeight > 50,
    source: img.src.slice(0, 26),
  }));
  assert.deepEqual(drawn, { loaded: true, source: 'data:image/svg+xml;base64,' });
  assert.equal(
    await page.$$eval('section.sg-notice', (n) => n.length),
    0,
    'the store was reachable: no note',
  );
  assert.deepEqual(offPage(requests), []);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});
