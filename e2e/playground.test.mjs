// The playground in a real JupyterLab against the tests' real model server (`transformers serve` over a tiny
// model, e2e/support/llm-server.mjs): spyglass:open-playground, a prompt with a {{variable}}, two models side by
// side (the one served model through two providers of the table, `vllm` and `custom`, with different parameters)
// showing output, tokens and latency; columns that cannot run (a provider without its key, an unreachable one)
// say why; a hostile provider's XSS corpus stays inert as text and as markdown; the runs are traced calls the trace
// panel lists; "Save" stores the prompt and the runs, and a notebook cell reads both back with sg.inference.Prompt
// and sg.Dataset.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './support/browser.mjs';
import { startJupyterLab } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { startLlmServer } from './support/llm-server.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const PROJECT = 'playground';
const PANEL = '[data-spyglass-playground]';
const COLUMN = `${PANEL} section[data-spyglass-playground-column]`;
const session = { llm: undefined, hostile: undefined, lab: undefined, browser: undefined };
const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '[click me](javascript:window.__xss=1)',
  '<a href="javascript:window.__xss=1">link</a>',
  '"><svg onload="window.__xss=1">',
  '<details open ontoggle="window.__xss=1">',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '**bold** and [a link](https://example.org)',
];

/**
 * An OpenAI-compatible provider whose model answers every request with the XSS corpus, as a prompt-injected or
 * compromised model could (the local model's random weights only ever write whitespace).
 */
function startHostileProvider() {
  const answer = (response, body) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url.endsWith('/models')) {
        return answer(response, {
          object: 'list',
          data: [{ id: 'hostile', object: 'model', created: 0, owned_by: 'e2e' }],
        });
      }
      answer(response, {
        id: 'chatcmpl-hostile',
        object: 'chat.completion',
        created: 0,
        model: 'hostile',
        choices: [
          { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: XSS.join('\n\n') } },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ baseUrl: `http://127.0.0.1:${server.address().port}/v1`, server }),
    );
  });
}

before(async () => {
  session.llm = await startLlmServer();
  session.hostile = await startHostileProvider();
  // The served model through two providers; openai without its key; llamacpp pointed at a closed port.
  session.lab = await startJupyterLab({
    env: {
      VLLM_BASE_URL: session.llm.baseUrl,
      SPYGLASS_INFERENCE_BASE_URL: session.llm.baseUrl,
      OPENAI_API_KEY: '',
      WANDB_API_KEY: '',
      OPENROUTER_API_KEY: '',
      LLAMACPP_BASE_URL: 'http://127.0.0.1:9/v1',
      OLLAMA_BASE_URL: session.hostile.baseUrl,
    },
  });
  session.browser = await launchBrowser();
});

after(async () => {
  await session.browser?.close();
  await session.lab?.stop();
  await session.llm?.stop();
  session.hostile?.server.close();
});

/** What each column shows. */
function columns(page) {
  return page.evaluate((selector) => {
    const text = (root, s) => root.querySelector(s)?.textContent ?? null;
    return [...document.querySelectorAll(selector)].map((column) => ({
      state: column.getAttribute('data-state'),
      provider: column.querySelector('select[aria-label="provider"]').value,
      hint: column.querySelector('.jp-SpyglassPlayground-hint:not([hidden])')?.textContent ?? '',
      models: [...column.querySelectorAll('datalist option')].map((o) => o.value),
      output: text(column, '[data-spyglass-output]'),
      tokens: text(column, '[data-spyglass-tokens]'),
      latency: text(column, '[data-spyglass-latency]'),
      cost: text(column, '[data-spyglass-cost]'),
      error: column.querySelector('[data-spyglass-error]:not([hidden])')?.textContent ?? null,
    }));
  }, COLUMN);
}

async function setColumn(page, index, { provider, model, maxTokens, temperature }) {
  const column = page.locator(COLUMN).nth(index);
  await column.locator('select[aria-label="provider"]').selectOption(provider);
  if (model !== undefined) await column.locator('input[aria-label="model"]').fill(model);
  if (maxTokens !== undefined) await column.locator('input[aria-label="max_tokens"]').fill(String(maxTokens));
  if (temperature !== undefined)
    await column.locator('input[aria-label="temperature"]').fill(String(temperature));
}

async function runAndWait(page, count) {
  await page.click(`${PANEL} .jp-SpyglassPlayground-run`);
  return waitFor(
    async () => {
      const shown = await columns(page);
      return shown.length === count && shown.every((c) => c.state === 'done' || c.state === 'error')
        ? shown
        : null;
    },
    `${count} columns answered`,
    180_000,
    250,
  );
}

test('two models run side by side, bad columns say why, and the saved prompt and rows read back in a cell', {
  timeout: 900_000,
}, async () => {
  const { page } = session.browser;
  const { model } = session.llm;
  await openLab(page, session.lab.url);
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-playground', { project }),
    PROJECT,
  );
  // One column to start with, on the first provider the server can use (vllm here), its models listed.
  const first = await waitFor(async () => {
    const shown = await columns(page);
    return shown.length === 1 && shown[0].models.length > 0 ? shown[0] : null;
  }, 'the first column with its model list');
  assert.equal(first.provider, 'vllm');
  assert.deepEqual(first.models, [model]);

  await page.fill(`${PANEL} textarea[aria-label="system message"]`, 'Answer in one word.');
  await page.fill(`${PANEL} textarea[aria-label="user message"]`, 'Why is the {{thing}} blue?');
  await page.fill(`${PANEL} .jp-SpyglassPlayground-variables input[aria-label="thing"]`, 'sky');
  await setColumn(page, 0, { provider: 'vllm', model, maxTokens: 3 });
  await page.click(`${PANEL} .jp-SpyglassPlayground-add`);
  await setColumn(page, 1, { provider: 'custom', model, maxTokens: 6, temperature: 0 });

  const started = Date.now();
  const [left, right] = await runAndWait(page, 2);
  const wall = (Date.now() - started) / 1000;
  for (const column of [left, right]) {
    assert.equal(column.state, 'done', JSON.stringify(column));
    assert.equal(typeof column.output, 'string'); // the tiny model's text (whitespace, from random weights)
    assert.match(column.latency, /^\d+(\.\d+)? (ms|s)$/);
    assert.equal(column.cost, 'no price');
  }
  assert.match(left.tokens, /^\d+ in · 3 out$/);
  assert.match(right.tokens, /^\d+ in · 6 out$/);

  // Columns that cannot run (a provider without its key, one whose server is not there), and a hostile model.
  await page.click(`${PANEL} .jp-SpyglassPlayground-add`);
  await setColumn(page, 2, { provider: 'openai', model: 'gpt-4o-mini' });
  await page.click(`${PANEL} .jp-SpyglassPlayground-add`);
  await setColumn(page, 3, { provider: 'llamacpp', model: 'any' });
  await page.click(`${PANEL} .jp-SpyglassPlayground-add`);
  await setColumn(page, 4, { provider: 'ollama', model: 'hostile' });
  const withBad = await runAndWait(page, 5);
  assert.match(withBad[2].hint, /\$OPENAI_API_KEY/);
  assert.match(withBad[2].error, /provider 'openai' needs .*\$OPENAI_API_KEY .*Jupyter server's environment/);
  assert.match(withBad[3].error, /^cannot reach provider 'llamacpp': is its server running\?/);
  assert.deepEqual(
    withBad.map((c) => c.state),
    ['done', 'done', 'error', 'error', 'done'],
  );
  assert.equal(withBad[4].output, XSS.join('\n\n'), 'the hostile output shown as text, whole');

  // Markdown view: the model's HTML goes through DOMPurify; nothing it wrote becomes active.
  await page.check(`${PANEL} input[aria-label="markdown"]`);
  const markdown = await waitFor(
    () =>
      page.evaluate((s) => {
        const output = document.querySelectorAll(`${s} [data-spyglass-output]`)[4];
        if (output?.dataset.format !== 'markdown' || !output.querySelector('strong')) return null;
        return {
          xss: window.__xss ?? null,
          active: output.querySelectorAll('img, script, svg, iframe, [onerror], [onload], [ontoggle]').length,
          links: [...output.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        };
      }, COLUMN),
    'the hostile output as markdown',
  );
  await new Promise((r) => setTimeout(r, 500)); // a handler that would fire late (onerror, ontoggle)
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.equal(markdown.active, 0);
  assert.ok(
    markdown.links.every((href) => href === null || href.startsWith('https:')),
    String(markdown.links),
  );

  // Every run is a traced call in the project: 2 + 4 (the openai column made no request).
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-traces', { project }),
    PROJECT,
  );
  const traced = await waitFor(async () => {
    const ops = await page.evaluate(() =>
      [...document.querySelectorAll('[data-spyglass-traces] tr[data-spyglass-call-row]')].map((row) => [
        row.getAttribute('data-spyglass-call-row'),
        row.getAttribute('data-status'),
      ]),
    );
    return ops.length === 6 ? ops : null;
  }, 'six playground.run calls in the trace panel');
  assert.ok(traced.every(([op]) => op === 'playground.run'));
  assert.equal(traced.filter(([, status]) => status === 'error').length, 1);

  // Save the prompt and the seven runs, then read both back in a notebook cell.
  const playgroundTab = await page.evaluate(
    () =>
      [...window.jupyterapp.shell.widgets('main')].find((w) => w.title.label.startsWith('Playground'))?.id,
  );
  await page.evaluate((id) => window.jupyterapp.shell.activateById(id), playgroundTab);
  await page.fill(`${PANEL} input[aria-label="prompt name"]`, 'why-blue');
  await page.fill(`${PANEL} input[aria-label="dataset name"]`, 'why-blue-runs');
  await page.click(`${PANEL} .jp-SpyglassPlayground-save`);
  const status = await waitFor(async () => {
    const text = await page.textContent(`${PANEL} [data-spyglass-playground-status]`);
    return text?.startsWith('Saved') ? text : null;
  }, 'the save');
  assert.equal(status, 'Saved playground/why-blue:v0 and 7 run(s) as playground/why-blue-runs:v0');

  writeNotebook(join(session.lab.rootDir, 'read-playground.ipynb'), [
    [
      'import json',
      'import spyglass as sg',
      'from spyglass.inference import Prompt',
      'prompt = Prompt.get("playground/why-blue:latest")',
      'rows = sg.Dataset.get("why-blue-runs", project="playground")',
      'print("READBACK " + json.dumps({"messages": prompt.format(thing="sea"), "rows": [',
      '    {k: r[k] for k in ("thing", "provider", "output_tokens", "error")} for r in rows]}))',
    ].join('\n'),
  ]);
  await openNotebook(page, 'read-playground.ipynb');
  await runAllCells(page);
  const printed = await waitFor(
    () =>
      page.evaluate(() => {
        const text = [...document.querySelectorAll('.jp-OutputArea-output')]
          .map((o) => o.textContent)
          .join('\n');
        const line = text.split('\n').find((l) => l.startsWith('READBACK '));
        return line ? JSON.parse(line.slice('READBACK '.length)) : null;
      }),
    'the cell reading the prompt and rows back',
    120_000,
  );
  assert.deepEqual(printed.messages, [
    { role: 'system', content: 'Answer in one word.' },
    { role: 'user', content: 'Why is the sea blue?' },
  ]);
  assert.equal(printed.rows.length, 7);
  assert.deepEqual(
    printed.rows.slice(0, 2).map((r) => [r.thing, r.provider, r.output_tokens, r.error]),
    [
      ['sky', 'vllm', 3, null],
      ['sky', 'custom', 6, null],
    ],
  );
  assert.match(printed.rows[4].error, /\$OPENAI_API_KEY/);
  assert.deepEqual(printed.rows[6].provider, 'ollama');
  console.log(
    `two columns answered in ${wall.toFixed(1)} s wall (free memory ${Math.round(freemem() / 2 ** 20)} MiB)`,
  );
});
