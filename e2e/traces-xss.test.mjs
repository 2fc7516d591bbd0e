// An XSS corpus through a traced agent's model outputs (chat markdown), tool arguments, tool outputs, inputs and
// exceptions: drawn in the live trace panel of a cell output, with every call of the tree opened and every fold
// expanded, and in the report published from the notebook. Oracles: window.__xss stays unset in JupyterLab and
// in the report, the panel holds no element a payload could make active (links only to http(s)), and the
// browser requests nothing outside the machine.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, saveNotebook, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { openReportPage } from './support/report-page.mjs';
import { XSS as CORPUS } from './support/xss-corpus.mjs';

/** Payloads that set window.__xss if any of them ever runs: the torture corpus, and markdown's own. */
const XSS = [
  ...CORPUS,
  '[click me](javascript:window.__xss=1)',
  '![pic](javascript:window.__xss=1)',
  '![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xIj48L3N2Zz4=)',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)',
  '<javascript:window.__xss=1>',
  '[ref][x]\n\n[x]: javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1">link</a>',
  '<form><button formaction="javascript:window.__xss=1">go</button></form>',
  '```html\n<script>window.__xss=1</script>\n```',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
];

const SETUP = `
import json
import spyglass as sg

XSS = json.loads(${JSON.stringify(JSON.stringify(XSS))})
sg.init_traces("xss-traces")

@sg.op
def model(messages):
    # A chat model whose every answer is hostile markdown, asking for a tool with hostile arguments.
    text = "\\n\\n".join(XSS)
    args = json.dumps({"query": XSS})
    return {"role": "assistant", "content": [{"type": "text", "text": text}],
            "tool_calls": [{"id": "t", "type": "function", "function": {"name": XSS[0], "arguments": args}}]}

@sg.op
def tool(query):
    return {payload: payload for payload in query}

@sg.op
def failing(x):
    raise RuntimeError(" ".join(XSS))

@sg.op
def agent(question):
    messages = [{"role": "system", "content": "\\n".join(XSS)}, {"role": "user", "content": question}]
    reply = model(messages)
    messages.append(reply)
    result = tool(json.loads(reply["tool_calls"][0]["function"]["arguments"])["query"])
    messages.append({"role": "tool", "content": json.dumps(result)})
    try:
        failing(XSS)
    except RuntimeError:
        pass
    return messages
`;

const RUN = `sg.display_traces()
agent(" ".join(XSS))
sg.flush_traces()
print("traced")`;

const session = useLabAndBrowser({
  prepare: (lab) => writeNotebook(join(lab.rootDir, 'xss-traces.ipynb'), [SETUP, RUN]),
});

/** Elements and attributes a payload could make active in the cell output's panel. */
function activeInPanel(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('.jp-SpyglassTracesOutput');
    const active = [
      ...panel.querySelectorAll(
        'script, img, svg, math, iframe, object, embed, form, button[formaction], style, link, [onerror], [onload], [ontoggle], [style*="url("]',
      ),
    ].filter((e) => e.tagName !== 'BUTTON' || e.hasAttribute('formaction'));
    const links = [...panel.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
    return {
      active: active.map((e) => e.outerHTML.slice(0, 120)),
      badLinks: links.filter((href) => !/^(https?:|mailto:)/i.test(href)),
      text: panel.textContent,
    };
  });
}

test('an XSS corpus in model outputs and tool arguments stays inert in the live panel and the report', {
  timeout: 300_000,
}, async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'xss-traces.ipynb');
  await runAllCells(page);
  const tree = await waitFor(
    () =>
      page
        .evaluate(() =>
          [...document.querySelectorAll('.jp-SpyglassTracesOutput [data-spyglass-tree-row]')].map((row) => [
            row.getAttribute('data-spyglass-tree-row'),
            row.getAttribute('data-status'),
          ]),
        )
        .then((rows) => (rows.length === 4 && rows[0][1] === 'success' ? rows : null)),
    "the agent's tree in the cell output",
    90_000,
  );
  assert.deepEqual(
    tree.map(([op]) => op),
    ['agent', 'model', 'tool', 'failing'],
  );

  const seen = [];
  for (const op of ['agent', 'model', 'tool', 'failing']) {
    await page.click(`.jp-SpyglassTracesOutput [data-spyglass-tree-row="${op}"]`);
    await waitFor(
      () =>
        page.evaluate(
          (o) =>
            document.querySelector(
              '.jp-SpyglassTracesOutput [data-spyglass-call-detail] .jp-SpyglassTraces-opName',
            )?.textContent === o,
          op,
        ),
      `the ${op} call's detail`,
    );
    for (let round = 0; round < 5; round++) {
      await page.evaluate(() => {
        for (const fold of document.querySelectorAll('.jp-SpyglassTracesOutput details')) fold.open = true;
        for (const more of document.querySelectorAll('.jp-SpyglassTracesOutput .jp-SpyglassTraces-more'))
          more.click();
      });
      await page.waitForTimeout(100);
    }
    const state = await activeInPanel(page);
    assert.deepEqual(state.active, [], `active elements in the ${op} call's view`);
    assert.deepEqual(state.badLinks, [], `script or data links in the ${op} call's view`);
    seen.push(state.text);
  }
  const all = seen.join('\n');
  // The payloads are there, as text: raw HTML as its characters, markdown links and images as text.
  assert.ok(all.includes('<img src=x onerror="window.__xss=1">'), 'raw HTML shown as its characters');
  assert.ok(all.includes('click me (javascript:window.__xss=1)'), 'a script link shown as text');
  assert.ok(all.includes('[image: pic javascript:window.__xss=1]'), 'a markdown image shown as text');
  assert.ok(all.includes('RuntimeError'), "the failing call's exception");
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'a payload ran in JupyterLab');

  // Publish the report from the saved notebook and open it from disk.
  await waitFor(
    () =>
      page.evaluate(() =>
        window.jupyterapp.shell.currentWidget.content.widgets[1].outputArea.node.textContent.includes(
          'traced',
        ),
      ),
    'the cell to end',
    60_000,
  );
  await saveNotebook(page);
  const answer = await fetch(`${session.lab.url}/spyglass/api/v1/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: 'xss-traces.ipynb' }),
  });
  assert.equal(answer.status, 200, await answer.text());
  const reportPath = join(session.lab.rootDir, 'xss-traces.report.html');
  await waitFor(() => existsSync(reportPath), 'the report file', 60_000);
  const report = await openReportPage(session.browser, reportPath);
  const body = await report.page.textContent('body');
  assert.match(body, /traces · xss-traces · root calls/);
  assert.match(body, /call tree · agent/);
  assert.ok(body.includes('window.__xss=1'), 'the payloads are in the report as text');
  const reportActive = await report.page.evaluate(
    () =>
      document.querySelectorAll(
        '#sg-report iframe, #sg-report object, #sg-report embed, #sg-report [onerror], #sg-report [onload], #sg-report a[href^="javascript"]',
      ).length,
  );
  assert.equal(reportActive, 0);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await report.page.evaluate(() => window.__xss), undefined, 'a payload ran in the report');
  assert.deepEqual(report.errors, []);
  await report.page.close();

  const outside = session.browser.requests.filter(
    (u) =>
      !u.startsWith(session.lab.url) &&
      !u.startsWith('data:') &&
      !u.startsWith('blob:') &&
      u !== `file://${reportPath}`, // the report itself, opened from disk
  );
  assert.deepEqual(outside, [], 'nothing requested outside the machine');
});
