// Torture (issue 15: 6): XSS and off-host payloads in every field a run carries, rendered in a real JupyterLab
// (run panel, workspace runs table, table explorer with its sg.Html preview, sg.plot_table charts) and in the
// published report opened in Chromium. A canary HTTP server on another loopback port records any request; the
// payloads aim at it with CSS url() paint, <img>/<link>/style URLs, href and image marks, data.url and tooltip
// images. Oracles: window.__xss stays unset everywhere and the canary (and the browser's own request log) sees
// no request to its port.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { XSS } from './support/xss-corpus.mjs';

const canary = { server: null, port: 0, hits: [] };

before(async () => {
  canary.server = createServer((request, response) => {
    canary.hits.push(request.url);
    response.writeHead(200, { 'content-type': 'image/svg+xml' });
    response.end('<svg xmlns="http://www.w3.org/2000/svg"><g id="g"/></svg>');
  });
  await new Promise((ok) => canary.server.listen(0, '127.0.0.1', ok));
  canary.port = canary.server.address().port;
});
after(() => new Promise((ok) => canary.server.close(ok)));

/** Payloads that would make the browser contact the canary (filled in with its port). */
// sg.plot_table's field placeholders (wandb's custom chart syntax): plain strings, not template literals.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder the plot_table fields replace
const FIELD_X = '${field:x}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder the plot_table fields replace
const FIELD_Y = '${field:y}';

const offHost = (base) => [
  `url(${base}/paint.svg#g)`,
  `<img src="${base}/img.png">`,
  `<div style="background:url(${base}/bg.png)">bg</div>`,
  `<link rel="stylesheet" href="${base}/style.css">`,
  `<a href="${base}/href">link</a>`,
  `${base}/plain`,
];

function notebookCells(base) {
  const all = [...XSS, ...offHost(base)];
  const list = JSON.stringify(all);
  const paint = `url(${base}/mark.svg#g)`;
  const spec = {
    title: XSS[0],
    description: XSS[2],
    layer: [
      {
        mark: {
          type: 'point',
          fill: paint,
          stroke: `URL(${base}/stroke.svg#g)`,
          cursor: `url(${base}/c.png), auto`,
        },
        encoding: {
          x: { field: FIELD_X, type: 'quantitative', title: XSS[1] },
          y: { field: FIELD_Y, type: 'quantitative' },
          color: { field: 'paint', type: 'nominal', scale: null },
          href: { value: `${base}/mark-href` },
          tooltip: [{ field: 'paint', title: 'image' }, { field: 'text' }],
        },
      },
      {
        mark: { type: 'image', width: 12, height: 12, url: `${base}/image-mark.png` },
        encoding: {
          x: { field: FIELD_X, type: 'quantitative' },
          y: { field: FIELD_Y, type: 'quantitative' },
        },
      },
      {
        mark: { type: 'text', text: { expr: `'u' + 'rl(${base}/expr.svg#g)'` } },
        encoding: {
          x: { field: FIELD_X, type: 'quantitative' },
          y: { field: FIELD_Y, type: 'quantitative' },
          color: { value: { expr: `'u' + 'rl(${base}/expr-paint.svg#g)'` } },
        },
      },
    ],
  };
  const remote = { data: { url: `${base}/rows.csv` }, mark: 'point' };
  return [
    `import spyglass as sg
P = ${list}
run = sg.init(project="xss", name=P[0], config={f"k{i}": p for i, p in enumerate(P)} | {P[1]: 1},
              tags=[p[:60] for p in P[:4]], notes=P[5] + P[7])
for step in range(12):
    run.log({"loss": 1 / (step + 1), **{f"m{i} {p[:40]}": step * 0.5 for i, p in enumerate(P[:6])}})
run.finish()
run`,
    `page = sg.Html("<p>hi</p>" + "".join(reversed(P)))  # off-host markup first: an unclosed XSS tag swallows what follows
t = sg.Table(columns=["text", "x", "y", "paint", "page"],
             data=[[p, i, i % 5, "url(${base}/cell.svg#g)" if i % 2 else "red", page] for i, p in enumerate(P)])
trun = sg.init(project="xss-tables", name=P[2])
trun.log({"hostile": t})
t`,
    `import json
chart = sg.plot_table(json.loads(${JSON.stringify(JSON.stringify(spec))}), t, {"x": "x", "y": "y"})
trun.log({"hostile_chart": chart})
display(chart)
remote = sg.plot_table(json.loads(${JSON.stringify(JSON.stringify(remote))}), t, {})
trun.log({"remote_chart": remote})
remote`,
  ];
}

const session = useLabAndBrowser({
  prepare: (lab) => {
    const base = `http://127.0.0.1:${canary.port}`;
    writeNotebook(join(lab.rootDir, 'xss.ipynb'), notebookCells(base));
  },
});

/** Requests the browser made to the canary's port (a second witness besides the server). */
const browserHits = () =>
  session.browser.requests.filter(
    (url) => url.includes(`127.0.0.1:${canary.port}`) && !url.endsWith('/control'),
  );

test('XSS and off-host payloads in every run field stay inert in JupyterLab and in the published report', async () => {
  const { page } = session.browser;
  const inputs = (XSS.length + offHost('').length) * 9; // payloads × fields (name, config, tags, notes, metrics, cells, html, spec, report)
  const failures = [];
  await openLab(page, session.lab.url);
  await openNotebook(page, 'xss.ipynb');
  await runAllCells(page);

  // Run panel (name, config, tags, notes, metric names), table explorer, both plot_table charts.
  await page.waitForSelector('.jp-SpyglassRunPanel[data-rows="12"]', { timeout: 90_000 });
  await waitFor(
    () =>
      page.evaluate(() => document.querySelectorAll('.sg-table-explorer[data-state="ready"]').length >= 1),
    'the hostile table',
    90_000,
  );
  const plots = await waitFor(
    () =>
      page.evaluate(() => {
        const drawn = document.querySelectorAll('.jp-SpyglassTablePlot[data-spyglass-plot-rows]').length;
        const refused = document.querySelectorAll('.jp-SpyglassTablePlot-error').length;
        return drawn + refused >= 2 ? { drawn, refused } : null;
      }),
    'both plot_table charts drawn or refused',
    90_000,
  );
  assert.ok(plots.drawn >= 1, `the hostile spec still draws its points: ${JSON.stringify(plots)}`);
  const marks = await page.evaluate(
    () =>
      [...document.querySelectorAll('.jp-SpyglassTablePlot svg *')].filter((e) =>
        e.getAttributeNames().some((n) => /url\(/i.test(e.getAttribute(n) ?? '')),
      ).length,
  );
  if (marks > 0) failures.push(`${marks} chart elements keep a url() attribute`);

  // Hover a point (tooltip with an `image` entry), then the sg.Html preview.
  const point = page.locator('.jp-SpyglassTablePlot .mark-symbol path').first();
  if (await point.count()) await point.hover({ force: true }).catch(() => undefined);
  await page.locator('.sg-table-explorer .sg-table-media-button', { hasText: 'html' }).first().click();
  const frame = await page.waitForFunction(
    () => document.querySelector('.sg-table-preview:not([hidden]) iframe')?.srcdoc ?? null,
    null,
    { timeout: 30_000 },
  );
  const srcdoc = await frame.jsonValue();
  assert.match(srcdoc, /Content-Security-Policy/);
  // The hostile page reached the preview (its text is there) with every URL that names a host removed: the
  // frame's policy would block such a load, but a blocked load still starts a request in the browser's log.
  assert.ok(
    srcdoc.includes('>bg</div>') && srcdoc.includes('>link</a>'),
    'the hostile page is in the preview',
  );
  assert.doesNotMatch(
    srcdoc,
    /(?:src|href|srcset)\s*=\s*["']?[a-z]+:\/\/|style\s*=\s*["'][^"']*url\(\s*["']?[a-z]+:/i,
  );

  // The workspace's runs table shows the run names, tags and config as text.
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'xss' }),
  );
  await page.waitForSelector('.jp-SpyglassRunsTable-row', { timeout: 60_000 });
  await new Promise((r) => setTimeout(r, 1500));
  if ((await page.evaluate(() => window.__xss)) !== undefined) failures.push('a payload ran in JupyterLab');

  // Publish the report and open it from disk.
  // Save the executed notebook (outputs included): the report is built from the file.
  await page.evaluate(async () => {
    const notebook = [...window.jupyterapp.shell.widgets('main')].find(
      (w) => w.context?.path === 'xss.ipynb',
    );
    await notebook.context.save();
  });
  const answer = await fetch(`${session.lab.url}/spyglass/api/v1/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: 'xss.ipynb' }),
  });
  assert.equal(answer.status, 200, await answer.text());
  const report = join(session.lab.rootDir, 'xss.report.html');
  await waitFor(() => existsSync(report), 'the report file', 60_000);
  const viewer = await session.browser.context.newPage();
  await viewer.goto(`file://${report}`);
  await viewer.waitForFunction(() => document.getElementById('sg-report')?.dataset.ready === 'true', null, {
    timeout: 60_000,
  });
  const reportPlots = await viewer.$$eval('.sg-plot-chart', (elements) =>
    elements.map((e) => ({
      rendered: e.dataset.rendered === 'true',
      error: e.classList.contains('sg-error'),
    })),
  );
  assert.ok(
    reportPlots.some((p) => p.rendered),
    `the hostile chart is drawn in the report: ${JSON.stringify(reportPlots)}`,
  );
  // The data.url chart never reaches the page: the report builder replaces it with a notice.
  assert.match(await viewer.textContent('body'), /loads data from elsewhere/);
  const reportPoint = viewer.locator('.mark-symbol path').first();
  if (await reportPoint.count()) await reportPoint.hover({ force: true }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500));
  if ((await viewer.evaluate(() => window.__xss)) !== undefined) failures.push('a payload ran in the report');
  await viewer.close();

  // Control: the canary and the request log do see a request the page really makes.
  await page.evaluate(
    (port) =>
      new Promise((done) => {
        const img = new Image();
        img.onload = img.onerror = done;
        img.src = `http://127.0.0.1:${port}/control`;
      }),
    canary.port,
  );
  await waitFor(() => canary.hits.includes('/control'), 'the control request at the canary');
  for (const hit of canary.hits.filter((h) => h !== '/control'))
    failures.push(`the canary was asked for ${hit}`);
  for (const url of browserHits()) failures.push(`the browser requested ${url}`);
  console.log(`torture xss-offhost: ${inputs} inputs, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});
