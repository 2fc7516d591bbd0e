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
