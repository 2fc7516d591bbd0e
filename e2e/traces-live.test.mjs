// The live trace view in a real JupyterLab + ipykernel + Chromium: a traced agent loop (a plain Python fake LLM
// answering with markdown and tool calls, tools returning text and an image) runs in the cell that shows
// sg.display_traces(); its tree grows in the cell output while the cell runs, from the calls the kernel streams
// over the comm (not from the panel's poll: no /calls/trace request while it grows). The chat's markdown is
// drawn sanitized, the tool's image inline from the server, a 10 MB output is cut in the view and whole in the
// store, and a reloaded page rebuilds the same tree from the store.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, saveNotebook, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const STEPS = 5;

const SETUP = `
import json, time
import numpy as np
from PIL import Image
import spyglass as sg

sg.init_traces("live-agent")

@sg.op
def fake_llm(messages):
    """A plain Python stand-in for a chat model: asks for a tool until it has ${STEPS} results."""
    time.sleep(0.6)
    done = sum(1 for m in messages if m["role"] == "tool")
    sg.traces.current_call().usage = {"input_tokens": 20 + done, "output_tokens": 7}
    if done < ${STEPS}:
        args = json.dumps({"city": f"city-{done}"})
        return {"role": "assistant", "content": f"**Step {done}**: looking up \`weather\`",
                "tool_calls": [{"id": f"c{done}", "type": "function",
                                "function": {"name": "weather", "arguments": args}}]}
    return {"role": "assistant", "content": "All *done*."}

@sg.op
def weather(city):
    time.sleep(0.4)
    return {"city": city, "sky": "clear"}

@sg.op
def radar(city):
    return Image.fromarray(np.full((24, 32, 3), 200, np.uint8))

@sg.op
def archive(n):
    # 200 strings of 50,000 characters: each stays inline, the whole output is 10 MB.
    return ["y" * 50_000 for _ in range(n)]

@sg.op
def agent(question):
    messages = [{"role": "user", "content": question}]
    while True:
        reply = fake_llm(messages)
        messages.append(reply)
        if not reply.get("tool_calls"):
            break
        call = reply["tool_calls"][0]["function"]
        messages.append({"role": "tool", "content": json.dumps(weather(**json.loads(call["arguments"])))})
    radar("city-0")
    archive(200)
    return messages
`;

const RUN = `sg.display_traces()
result = agent("What is the weather?")
print("agent done", len(result))`;

const CHECK = `stored = [c for c in sg.Api().calls("live-agent") if c.op_name == "archive"][0]
print("archive stored", sum(len(s) for s in stored.output))`;

const session = useLabAndBrowser({
  prepare: (lab) => writeNotebook(join(lab.rootDir, 'live.ipynb'), [SETUP, RUN, CHECK]),
});

/** What the cell output's trace panel shows. */
function outputPanel(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('.jp-SpyglassTracesOutput [data-spyglass-traces]');
    if (!panel) return null;
    return {
      tree: [...panel.querySelectorAll('[data-spyglass-tree-row]')].map((row) => [
        row.getAttribute('data-spyglass-tree-row'),
        row.getAttribute('data-status'),
      ]),
      detail: panel.querySelector('[data-spyglass-call-detail]')?.textContent ?? '',
      roots: panel.querySelectorAll('tr[data-spyglass-call-row]').length,
    };
  });
}

function cellText(page, index) {
  return page.evaluate((i) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    return notebook.widgets[i].outputArea.node.textContent;
  }, index);
}

test("a traced agent loop's tree grows live in the cell output while the cell runs", {
  timeout: 300_000,
}, async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'live.ipynb');
  const traceRequests = () =>
    session.browser.requests.filter((u) => u.includes('/spyglass/api/v1/calls/trace')).length;
  await runAllCells(page);

  // Sample the tree while the agent runs: it must grow in several steps before the agent ends.
  const sizes = new Set();
  let requestsAtFirstSight = null;
  let sawRunningAgent = false;
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const state = await outputPanel(page);
    if (state && state.tree.length > 0) {
      requestsAtFirstSight ??= traceRequests();
      sizes.add(state.tree.length);
      if (state.tree[0][0] === 'agent' && state.tree[0][1] === 'running') sawRunningAgent = true;
      if (state.tree[0][1] === 'success') break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const partial = [...sizes].filter((n) => n < 2 * STEPS + 4);
  assert.ok(sawRunningAgent, 'the agent shows as running while its calls arrive');
  assert.ok(partial.length >= 4, `the tree should grow live; it showed sizes ${JSON.stringify([...sizes])}`);
  // The growth came over the comm: the trace was read from the server at most twice (its first sight and the
  // frame too large for a message, which the panel reads from the store), not once a second.
  assert.ok(
    traceRequests() - requestsAtFirstSight <= 2,
    `${traceRequests() - requestsAtFirstSight} /calls/trace requests while the tree grew`,
  );
  const done = await waitFor(
    async () => {
      const state = await outputPanel(page);
      return state?.tree.length === 2 * STEPS + 4 ? state : null;
    },
    'the whole tree',
    60_000,
  );
  const ops = done.tree.map(([op]) => op);
  assert.deepEqual(ops.slice(0, 3), ['agent', 'fake_llm', 'weather']);
  assert.deepEqual(ops.slice(-3), ['fake_llm', 'radar', 'archive']);
  assert.ok(
    done.tree.every(([, status]) => status === 'success'),
    JSON.stringify(done.tree),
  );
  await waitFor(async () => /agent done/.test(await cellText(page, 1)), 'the cell to end', 60_000);

  // The fake LLM's markdown, sanitized: bold and code drawn, nothing active.
  const llmRow = '.jp-SpyglassTracesOutput [data-spyglass-tree-row="fake_llm"]';
  await page.click(llmRow);
  const chat = await waitFor(
    () =>
      page.evaluate(() => {
        const detail = document.querySelector('.jp-SpyglassTracesOutput [data-spyglass-call-detail]');
        const strong = detail?.querySelector('.jp-SpyglassTraces-markdown strong');
        return strong
          ? { strong: strong.textContent, code: detail.querySelector('code')?.textContent }
          : null;
      }),
    'the chat drawn as markdown',
  );
  assert.deepEqual(chat, { strong: 'Step 0', code: 'weather' });

  // The tool's image, inline from the server's file endpoint.
  await page.click('.jp-SpyglassTracesOutput [data-spyglass-tree-row="radar"]');
  const image = await waitFor(
    () =>
      page.evaluate(async () => {
        const img = document.querySelector('.jp-SpyglassTracesOutput .jp-SpyglassTraces-image img');
        if (!img) return null;
        await img.decode().catch(() => undefined);
        return { src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight };
      }),
    'the inline image',
  );
  assert.match(image.src, /\/spyglass\/api\/v1\/file\?run_dir=.*objects%2F[0-9a-f]{32}\.png$/);
  assert.deepEqual([image.width, image.height], [32, 24]);

  // The 10 MB output: cut in the view, whole in the store.
  await page.click('.jp-SpyglassTracesOutput [data-spyglass-tree-row="archive"]');
  const cut = await waitFor(async () => {
    const state = await outputPanel(page);
    return state?.detail.includes('Cut short in this view') ? state : null;
  }, 'the cut output');
  assert.match(cut.detail, /\(10,\d{3},\d{3} characters stored\)/);
  await waitFor(
    async () => /archive stored 10000000/.test(await cellText(page, 2)),
    'the stored output',
    60_000,
  );

  // A reloaded page rebuilds the same tree from the store.
  await saveNotebook(page);
  await page.reload();
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  await openNotebook(page, 'live.ipynb', { anyKernelState: true });
  const rebuilt = await waitFor(
    async () => {
      const state = await outputPanel(page);
      return state?.tree.length === done.tree.length ? state : null;
    },
    'the tree after a reload',
    60_000,
  );
  assert.deepEqual(rebuilt.tree, done.tree);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});
