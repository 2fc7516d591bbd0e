// The workspace's embedded panels over a generated store: one run that logged a table at two steps, a three-trial
// sweep and an artifact lineage (prep run → data:v0 → train run). Each panel is added through the panel editor and
// shows its content (the latest table's rows, the three trials, the lineage nodes); after a reload the three
// panels are restored from the saved layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { runPython } from './support/store.mjs';

const PROJECT = 'panels';
const GENERATOR = `
import json
import spyglass as sg

quiet = {"x_disable_stats": True}
run = sg.init(project="${PROJECT}", name="tabled", settings=quiet)
run.log({"loss": 1.0, "evals": sg.Table(columns=["case", "answer"], data=[["a", "x"], ["b", "y"]])}, step=0)
rows = [["a", "x2"], ["b", "y2"], ["c", "z2"], ["d", "w2"]]
run.log({"loss": 0.5, "evals": sg.Table(columns=["case", "answer"], data=rows)}, step=1)
run.finish()

grid = {"x": {"values": [1, 2, 3]}}
sweep_id = sg.sweep({"method": "grid", "metric": {"name": "loss", "goal": "minimize"}, "parameters": grid},
                    project="${PROJECT}")

def train():
    with sg.init(settings=quiet) as trial:
        trial.log({"loss": trial.config.x ** 2})

sg.agent(sweep_id, function=train, count=3)

with sg.init(project="${PROJECT}", name="prep", job_type="prep", settings=quiet) as prep:
    data = sg.Artifact("data", "dataset")
    data.add({"k": 1}, "labels")
    prep.log_artifact(data)
with sg.init(project="${PROJECT}", name="train", job_type="train", settings=quiet) as consumer:
    consumer.use_artifact("data:latest")

# A sweep no agent runs: it stays "running", so its panel polls until disposed.
idle = sg.sweep({"method": "random", "parameters": grid, "name": "idle"}, project="${PROJECT}")
print(json.dumps({"finished": sweep_id, "idle": idle}))
`;

const sweeps = { finished: '', idle: '' };
const session = useLabAndBrowser({
  prepare: (lab) => {
    const out = runPython(GENERATOR, [], { cwd: lab.rootDir });
    Object.assign(sweeps, JSON.parse(out.trim().split('\n').at(-1)));
  },
});

const WORKSPACE = '.jp-SpyglassWorkspace';
const embed = (kind) => `${WORKSPACE} .jp-SpyglassWorkspaceEmbed[data-kind="${kind}"]`;

async function openWorkspace(page) {
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('spyglass:open-workspace', { project: 'panels' }),
  );
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"]`, { timeout: 60_000 });
}

/** What each embedded panel shows: table rows (answers), sweep trial count, lineage node ids. */
function embedded(page) {
  return page.evaluate((ws) => {
    const cell = (kind) => document.querySelector(`${ws} .jp-SpyglassWorkspaceEmbed[data-kind="${kind}"]`);
    const table = cell('table')?.querySelector('.sg-table-explorer[data-state="ready"]');
    const rows = table
      ? [...table.querySelectorAll('.sg-grid-row:not(.sg-loading)')].map((r) => r.textContent ?? '')
      : null;
    const sweep = cell('sweep')?.querySelector('[data-spyglass-sweep]');
    const lineage = cell('lineage')?.querySelector('[data-spyglass-lineage]');
    return {
      rows,
      trials: sweep ? Number(sweep.getAttribute('data-spyglass-sweep-trials')) : null,
      nodes: lineage
        ? [...lineage.querySelectorAll('[data-spyglass-node-id]')].map((n) =>
            n.getAttribute('data-spyglass-node-id'),
          )
        : null,
    };
  }, WORKSPACE);
}

async function addPanel(page, kind, choose) {
  await page.click('.jp-SpyglassWorkspace-addPanel');
  await page.selectOption('.jp-SpyglassPanelEditor-kind', kind);
  if (choose) await choose();
  await page.click('.jp-SpyglassPanelEditor-add');
  await page.waitForSelector(embed(kind), { timeout: 30_000 });
  await page.locator(embed(kind)).scrollIntoViewIfNeeded();
}

function shown(page, what, predicate) {
  return waitFor(async () => {
    const state = await embedded(page);
    return predicate(state) ? state : null;
  }, what);
}

test('table, sweep and lineage panels are added through the editor, show their data and survive a reload', async () => {
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openWorkspace(page);

  await addPanel(page, 'table', async () => {
    const runs = await page.$$eval('.jp-SpyglassPanelEditor-run option', (os) =>
      os.map((o) => o.textContent),
    );
    assert.equal(runs.length, 1, 'only the run that logged a table is offered');
    assert.match(runs[0], /tabled/);
    assert.deepEqual(
      await page.$$eval('.jp-SpyglassPanelEditor-tableKey option', (os) => os.map((o) => o.value)),
      ['evals'],
    );
    await page.waitForSelector('.jp-SpyglassPanelEditor[data-steps-loaded="true"]');
    const steps = await page.$$eval('.jp-SpyglassPanelEditor-step option', (os) => os.map((o) => o.value));
    assert.deepEqual(steps, ['', '1', '0'], 'latest first, then the logged steps newest first');
  });
  const table = await shown(page, 'the latest table rows', (s) => s.rows?.length === 4);
  assert.ok(
    table.rows.some((r) => r.includes('w2')),
    'the step 1 table (the latest) is shown',
  );

  await addPanel(page, 'sweep', async () => {
    await page.waitForSelector('.jp-SpyglassPanelEditor[data-sweeps-loaded="2"]');
    await page.selectOption('.jp-SpyglassPanelEditor-sweep', sweeps.finished);
  });
  await shown(page, 'the sweep panel with its three trials', (s) => s.trials === 3);

  await addPanel(page, 'lineage');
  const lineage = await shown(page, 'the lineage nodes', (s) => (s.nodes?.length ?? 0) >= 3);
  assert.ok(lineage.nodes.includes(`artifact:${PROJECT}/data:v0`), JSON.stringify(lineage.nodes));
  assert.equal(lineage.nodes.filter((n) => n.startsWith('run:')).length, 2);

  await waitFor(async () => {
    const body = await fetch(`${session.lab.url}/spyglass/api/v1/workspace_layout?project=${PROJECT}`).then(
      (r) => r.json(),
    );
    const kinds = (body.layout?.panels ?? []).map((p) => p.kind).sort();
    return JSON.stringify(kinds) === JSON.stringify(['lineage', 'sweep', 'table']);
  }, 'the three panels saved in the layout');

  await page.reload();
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  if (!(await page.$(WORKSPACE))) await openWorkspace(page);
  for (const kind of ['table', 'sweep', 'lineage']) {
    await page.waitForSelector(embed(kind), { timeout: 60_000 });
    await page.locator(embed(kind)).scrollIntoViewIfNeeded();
  }
  const restored = await shown(
    page,
    'the three panels restored with their data',
    (s) => s.rows?.length === 4 && s.trials === 3 && (s.nodes?.length ?? 0) >= 3,
  );
  assert.equal(restored.trials, 3);
});

test('a removed sweep panel stops polling its live sweep', async () => {
  const { page } = session.browser;
  const polls = [];
  const onRequest = (request) => {
    if (request.url().includes('/spyglass/api/v1/sweep?')) polls.push(Date.now());
  };
  page.on('request', onRequest);
  try {
    await page.click('.jp-SpyglassWorkspace-addPanel');
    await page.selectOption('.jp-SpyglassPanelEditor-kind', 'sweep');
    await page.waitForSelector('.jp-SpyglassPanelEditor[data-sweeps-loaded="2"]');
    await page.selectOption('.jp-SpyglassPanelEditor-sweep', sweeps.idle);
    await page.click('.jp-SpyglassPanelEditor-add');
    const cell = `${WORKSPACE} .jp-SpyglassWorkspaceEmbed[data-panel-id="sweep-2"]`;
    await page.waitForSelector(cell, { timeout: 30_000 });
    await page.locator(cell).scrollIntoViewIfNeeded();
    await page.waitForSelector(`${cell} [data-spyglass-sweep="${sweeps.idle}"]`, { timeout: 30_000 });
    await waitFor(() => polls.length >= 3, 'the live sweep polled', 15_000);
    await page.click(`${cell} [data-action="remove"]`);
    await page.waitForSelector(cell, { state: 'detached' });
    const removedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.deepEqual(
      polls.filter((t) => t > removedAt + 100),
      [],
      'no sweep request after the panel was removed',
    );
  } finally {
    page.off('request', onRequest);
  }
});
