// A published report opened from disk (file://) with every other request aborted: what it requested, its page
// errors and every CSP violation, once the runtime has drawn it.
import assert from 'node:assert/strict';

/** Opens `path` in a new page of `browser` (launchBrowser()); returns {page, requests, errors, violations()}. */
export async function openReportPage(browser, path) {
  const page = await browser.context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.route('**/*', (route) =>
    route.request().url().startsWith('file://') ? route.continue() : route.abort('blockedbyclient'),
  );
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI }),
    );
  });
  await page.goto(`file://${path}`);
  await page.waitForFunction(() => document.getElementById('sg-report')?.dataset.ready, null, {
    timeout: 60_000,
  });
  assert.equal(await page.evaluate(() => document.getElementById('sg-report').dataset.ready), 'true');
  return { page, requests, errors, violations: () => page.evaluate(() => window.__violations) };
}
