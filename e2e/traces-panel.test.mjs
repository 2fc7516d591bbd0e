// The trace panel in a real JupyterLab: a traced agent loop (nested @sg.op calls: an llm op answering with chat
// messages and tool calls, a tool op) is written to the store by a script; spyglass:open-traces lists its root
// calls with latency, tokens, cost and status, filters them, opens the agent's tree and shows a call's chat.
// Model outputs and tool arguments carry an XSS corpus: window.__xss stays unset and nothing active is drawn.
// A call made while the panel is open shows up by polling.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { runPython } from './support/store.mjs';

const PROJECT = 'agent-demo';
const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '[click me](javascript:window.__xss=1)',
  '<a href="javascript:window.__xss=1">link</a>',
  '"><svg onload="window.__xss=1">',
  '<details open ontoggle="window.__xss=1">',
];

const AGENT = `
import json, sys
import spyglass as sg
from spyglass.traces import current_call

XSS = json.loads(sys.argv[1])
sg.init_traces("${PROJECT}")

@sg.op
def llm(messages, model="tiny"):
    current_call().usage = {"input_tokens": 10, "output_tokens": 4}
    current_call().cost = 0.25
    args = json.dumps({"query": " ".join(XSS)})
    return {"role": "assistant", "content": "Let me look that up. " + XSS[0] + " " + XSS[2],
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "search", "arguments": args}}]}

@sg.op
def search(query):
    return {"hits": [{"title": x, "url": "javascript:window.__xss=1"} for x in XSS]}

@sg.op
def agent(question):
    messages = [{"role": "system", "content": "You are helpful. " + XSS[1]}, {"role": "user", "content": question}]
    for _ in range(2):
        reply = llm(messages)
        messages.append(reply)
        messages.append({"role": "tool", "content": json.dumps(search(reply["tool_calls"][0]["function"]["arguments"]))})
    return messages

@sg.op
def summarize(n):
    # Each string stays inline (under 65,536 characters), the whole output is over the view's limit.
    return ["a" * 30000, "b" * 30000, XSS[0] * 1000]

@sg.op
def broken(x):
    raise ValueError("bad input " + XSS[0])

summarize(3)
agent("why is the sky blue? " + XSS[3])
try:
    broken(1)
except ValueError:
    pass
sg.finish_traces()
`;

const LATER = `
import spyglass as sg
sg.init_traces("${PROJECT}")

@sg.op
def late_arrival(n):
    return n

late_arrival(7)
sg.finish_traces()
`;

const session = useLabAndBrowser({
  prepare: (lab) => {
    runPython(AGENT, [JSON.stringify(XSS)], { cwd: lab.rootDir });
  },
});

/** What the panel shows: the list's rows, the tree's rows and the detail's text. */
function panelState(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-spyglass-traces]');
    if (!panel) return null;
    const text = (el) => el?.textContent ?? '';
    return {
      total: Number(panel.getAttribute('data-total') ?? -1),
      rows: [...panel.querySelectorAll('tr[data-spyglass-call-row]')].map((row) => ({
        op: row.getAttribute('data-spyglass-call-row'),
        status: row.getAttribute('data-status'),
        cells: [...row.querySelectorAll('td')].map(text),
      })),
      tree: [...panel.querySelectorAll('[data-spyglass-tree-row]')].map((row) =>
        row.getAttribute('data-spyglass-tree-row'),
      ),
      detail: text(panel.querySelector('[data-spyglass-call-detail]')),
      chat: [...panel.querySelectorAll('[data-spyglass-chat] .jp-SpyglassTraces-message')].map((m) =>
        m.getAttribute('data-role'),
      ),
      notice: panel.querySelector('.jp-SpyglassTraces-notice:not([hidden])')?.textContent ?? '',
      // Anything active a payload could have made: elements, handlers, script URLs.
      active: panel.querySelectorAll('img, script, svg, iframe, a, [onerror], [onload], [ontoggle]').length,
    };
  });
}

test('the trace panel lists the agent, opens its tree and shows its chat inert', {
  timeout: 240_000,
}, async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-traces', { project }),
    PROJECT,
  );
  const listed = await waitFor(async () => {
    const state = await panelState(page);
    return state?.rows.length === 3 ? state : null;
  }, 'the three root calls listed');
  assert.equal(listed.total, 3);
  assert.deepEqual(
    listed.rows.map((r) => [r.op, r.status]),
    [
      ['broken', 'error'],
      ['agent', 'success'],
      ['summarize', 'success'],
    ],
  );
  const agentRow = listed.rows[1];
  // Op, started, latency, tokens (2 llm calls x 14), cost (2 x 0.25), calls (agent + 2 llm + 2 search), status.
  assert.equal(agentRow.cells[3], '28');
  assert.equal(agentRow.cells[4], '$0.5000');
  assert.equal(agentRow.cells[5], '5');
  assert.match(agentRow.cells[2], /ms|s$/);

  // Filters: status, then text (searches inputs, outputs and errors).
  await page.selectOption('[data-spyglass-traces] select[aria-label="status"]', 'error');
  await waitFor(async () => (await panelState(page))?.rows.length === 1, 'the error filter');
  assert.equal((await panelState(page)).rows[0].op, 'broken');
  await page.selectOption('[data-spyglass-traces] select[aria-label="status"]', '');
  await page.fill('[data-spyglass-traces] input[type="search"]', 'SKY BLUE');
  await waitFor(async () => {
    const state = await panelState(page);
    return state?.rows.length === 1 && state.rows[0].op === 'agent';
  }, 'the text filter');
  await page.fill('[data-spyglass-traces] input[type="search"]', '');
  await waitFor(async () => (await panelState(page))?.rows.length === 3, 'the filter cleared');

  // The agent's tree, then an llm call's output as a chat with its tool call.
  await page.click('[data-spyglass-traces] tr[data-spyglass-call-row="agent"]');
  const tree = await waitFor(async () => {
    const state = await panelState(page);
    return state?.tree.length === 5 ? state : null;
  }, "the agent's tree");
  assert.deepEqual(tree.tree, ['agent', 'llm', 'search', 'llm', 'search']);
  assert.match(tree.detail, /why is the sky blue\?/);
  assert.deepEqual(tree.chat, ['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
  await page.click('[data-spyglass-traces] [data-spyglass-tree-row="llm"]');
  const llm = await waitFor(async () => {
    const state = await panelState(page);
    return state?.detail.includes('search(') ? state : null;
  }, "the llm call's output");
  assert.ok(llm.detail.includes(XSS[0]), 'the payload is shown as text');
  assert.ok(llm.detail.includes('javascript:window.__xss=1'), 'the tool arguments are shown as text');
  assert.match(llm.detail, /input_tokens/);

  // The tool's output: open every fold so every payload is drawn.
  await page.click('[data-spyglass-traces] [data-spyglass-tree-row="search"]');
  await waitFor(async () => (await panelState(page))?.detail.includes('hits'), "the tool's output");
  for (let round = 0; round < 4; round++) {
    await page.evaluate(() => {
      for (const fold of document.querySelectorAll('[data-spyglass-traces] details')) fold.open = true;
    });
    await page.waitForTimeout(100);
  }
  const opened = await panelState(page);
  assert.ok(opened.detail.includes(XSS[1]), 'the deepest payloads are drawn');
  assert.equal(opened.active, 0, 'no element a payload could make active');

  // A value over the view's limit: cut, with its stored length said.
  await page.click('[data-spyglass-traces] tr[data-spyglass-call-row="summarize"]');
  const cut = await waitFor(async () => {
    const state = await panelState(page);
    return state?.detail.includes('Cut short in this view') ? state : null;
  }, 'the cut value');
  assert.match(cut.detail, /\(9\d,\d{3} characters stored\); the store keeps the whole value/);
  assert.match(cut.detail, /more characters\)/);
  assert.equal(cut.active, 0);

  // The failed call: its exception in full.
  await page.click('[data-spyglass-traces] tr[data-spyglass-call-row="broken"]');
  await waitFor(
    async () => (await panelState(page))?.detail.includes('ValueError: bad input'),
    'the exception',
  );
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('a call made while the panel is open is listed by polling', { timeout: 120_000 }, async () => {
  const { page } = session.browser;
  // The command focuses the panel already open for the project.
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-traces', { project }),
    PROJECT,
  );
  await waitFor(async () => (await panelState(page))?.total === 3, 'the panel open on three root calls');
  runPython(LATER, [], { cwd: session.lab.rootDir });
  const state = await waitFor(
    async () => {
      const s = await panelState(page);
      return s?.total === 4 ? s : null;
    },
    'the new root call',
    20_000,
  );
  assert.equal(state.rows[0].op, 'late_arrival');
  assert.equal(state.notice, '');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

const READ_BACK = `
import json
import spyglass as sg
[agent] = sg.Api().calls("${PROJECT}", filters={"op_name": "agent"})
print("FEEDBACK:" + json.dumps([[e["kind"], e["value"], e["source"]] for e in agent.feedback]))
`;

/** The feedback view, the SQL box and the agent row's feedback cell. */
function toolsState(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-spyglass-traces]');
    const feedback = panel?.querySelector('[data-spyglass-feedback]');
    const sql = panel?.querySelector('[data-spyglass-sql]');
    const agent = panel?.querySelector('tr[data-spyglass-call-row="agent"]');
    return {
      feedbackShown: feedback ? !feedback.hidden : false,
      feedbackCall: feedback?.getAttribute('data-call-id') ?? null,
      entries: [...(feedback?.querySelectorAll('li') ?? [])].map((li) => li.textContent),
      agentFeedback: agent ? (agent.querySelectorAll('td')[7]?.textContent ?? '') : null,
      sqlState: sql?.getAttribute('data-state') ?? null,
      sqlStatus: sql?.querySelector('[data-spyglass-sql-status]')?.textContent ?? '',
      sqlHead: [...(sql?.querySelectorAll('[data-spyglass-sql-result] th') ?? [])].map(
        (th) => th.textContent,
      ),
      sqlRows: [...(sql?.querySelectorAll('[data-spyglass-sql-result] tbody tr') ?? [])].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ),
      active: panel?.querySelectorAll('img, script, svg, iframe, a, [onerror], [onload]').length ?? -1,
    };
  });
}

test('thumbs and a note given in the panel are read back in a notebook; the SQL box answers', {
  timeout: 240_000,
}, async () => {
  const { page } = session.browser;
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-traces', { project }),
    PROJECT,
  );
  await waitFor(async () => (await panelState(page))?.rows.some((r) => r.op === 'agent'), 'the agent listed');
  await page.click('[data-spyglass-traces] tr[data-spyglass-call-row="agent"]');
  await waitFor(async () => (await toolsState(page)).feedbackShown, "the agent's feedback view");
  const view = '[data-spyglass-traces] [data-spyglass-feedback]';
  await page.click(`${view} button[aria-label="thumbs up"]`);
  await waitFor(async () => (await toolsState(page)).entries.length === 1, 'the thumbs stored');
  const note = `answer is fine ${XSS[0]}`;
  await page.fill(`${view} textarea[aria-label="note"]`, note);
  await page.click(`${view} button:has-text("Add note")`);
  const given = await waitFor(async () => {
    const state = await toolsState(page);
    return state.entries.length === 2 && state.agentFeedback === '👍 1 ✎ 1' ? state : null;
  }, 'the note stored and the list showing both');
  given.rows = (await panelState(page)).rows.length;
  assert.match(given.entries[0], /thumbs: 👍/);
  assert.ok(given.entries[1].includes(note), 'the note is shown as its characters');
  assert.equal(given.active, 0);

  // The list filters on it.
  await page.selectOption('[data-spyglass-traces] select[aria-label="feedback"]', 'up');
  await waitFor(async () => (await panelState(page))?.rows.length === 1, 'the thumbs-up filter');
  assert.equal((await panelState(page)).rows[0].op, 'agent');
  await page.selectOption('[data-spyglass-traces] select[aria-label="feedback"]', '');
  await waitFor(async () => (await panelState(page))?.rows.length === given.rows, 'the filter cleared');

  // The SQL box: a SELECT answers a table of text; anything else is refused with the server's reason.
  // Opened directly: the first test opened every fold of the panel (a click could close it again).
  await page.evaluate(() => {
    document.querySelector('[data-spyglass-traces] [data-spyglass-sql]').open = true;
  });
  const sqlBox = '[data-spyglass-traces] [data-spyglass-sql] textarea';
  await page.fill(
    sqlBox,
    "select op_name, output from calls where op_name = 'llm' order by started_at limit 1",
  );
  await page.click('[data-spyglass-traces] [data-spyglass-sql] button[aria-label="run SQL"]');
  const answered = await waitFor(async () => {
    const state = await toolsState(page);
    return state.sqlState === 'done' ? state : null;
  }, 'the SQL answer');
  assert.deepEqual(answered.sqlHead, ['op_name', 'output']);
  assert.equal(answered.sqlRows.length, 1);
  assert.ok(answered.sqlRows[0][1].includes(XSS[2]), 'the model output is a cell of text');
  assert.equal(answered.active, 0);
  await page.fill(sqlBox, "copy calls to '/tmp/stolen.csv'");
  await page.click('[data-spyglass-traces] [data-spyglass-sql] button[aria-label="run SQL"]');
  const refused = await waitFor(async () => {
    const state = await toolsState(page);
    return state.sqlState === 'error' ? state : null;
  }, 'the refused SQL');
  assert.match(refused.sqlStatus, /only a SELECT/);

  // Read back from Python in a notebook of the same server.
  writeNotebook(join(session.lab.rootDir, 'feedback.ipynb'), [READ_BACK]);
  await openNotebook(page, 'feedback.ipynb');
  await runAllCells(page);
  const printed = await waitFor(
    () =>
      page.evaluate(() => {
        const outputs = [...document.querySelectorAll('.jp-OutputArea-output')].map((o) => o.textContent);
        return outputs.find((text) => text.includes('FEEDBACK:')) ?? null;
      }),
    'the feedback printed by the notebook',
    90_000,
  );
  const entries = JSON.parse(printed.slice(printed.indexOf('FEEDBACK:') + 9).trim());
  assert.deepEqual(entries, [
    ['thumbs', 'up', 'ui'],
    ['note', note, 'ui'],
  ]);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('the command names what is missing', async () => {
  const { page } = session.browser;
  const message = await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-traces', {}).then(
      () => 'opened',
      (error) => String(error),
    ),
  );
  assert.match(message, /needs a non-empty string argument 'project'/);
});
