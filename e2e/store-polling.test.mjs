// A run logged by a plain Python script (no kernel, so no comm) and shown in a notebook through its output bundle:
// the panel polls the store while run.json says 'running', grows while the script logs, ends exact with no
// duplicates, and its header follows the state to 'finished'.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RUN_MIME_TYPE } from '@spyglass/protocol';
import {
  openLab,
  openNotebook,
  panelRows,
  querySpyglass,
  runAllCells,
  waitFor,
} from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, startPython } from './support/store.mjs';

const STEPS = 300;
const session = useLabAndBrowser();
let script;

after(() => {
  if (script && script.exitCode === null) script.kill('SIGKILL');
});

// ~6 s of logging; the flusher stores a frame every 250 ms.
const LOGGING_SCRIPT = `import time
import spyglass as sg

run = sg.init(project="script")
for step in range(${STEPS}):
    run.log({"loss": 1 / (step + 1)})
    time.sleep(0.02)
run.finish()
`;

// Shows the script's run by its output bundle, as a notebook saved elsewhere would.
const SHOW_RUN_CELL = `import glob, json, os, time
from IPython.display import display
from spyglass.transport.protocol import protocol_version

while not glob.glob("spyglass/script/*/run.json"):
    time.sleep(0.05)
run_dir = os.path.abspath(os.path.dirname(glob.glob("spyglass/script/*/run.json")[0]))
meta = json.load(open(os.path.join(run_dir, "run.json")))
display({${JSON.stringify(RUN_MIME_TYPE)}: {"run_id": meta["run_id"], "project": meta["project"],
         "name": meta["name"], "run_dir": run_dir, "protocol": protocol_version()}}, raw=True)`;

function panelState(page, runId) {
  return page.evaluate(
    (id) => document.querySelector(`[data-spyglass-run-id="${id}"]`)?.getAttribute('data-state') ?? null,
    runId,
  );
}

test('a run logged by a plain script is polled from the store until it finishes, every row exactly once', async () => {
  writeFileSync(join(session.lab.rootDir, 'log_script.py'), LOGGING_SCRIPT);
  writeNotebook(join(session.lab.rootDir, 'script.ipynb'), [SHOW_RUN_CELL]);
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'script.ipynb');

  const logger = startPython(['log_script.py'], { cwd: session.lab.rootDir });
  script = logger.child;
  await runAllCells(page);
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'script')[0], 'the script run to start');
  await page.waitForSelector(`[data-spyglass-run-id="${run.run_id}"]`, { timeout: 30_000 });

  // Sample the panel while the script is still logging: the count must grow with no kernel delivering it.
  const partial = new Set();
  const states = new Set();
  while (script.exitCode === null) {
    const rows = await panelRows(page, run.run_id);
    if (script.exitCode !== null) break;
    if (rows > 0 && rows < STEPS) partial.add(rows);
    states.add(await panelState(page, run.run_id));
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await logger.exited, 0, `the script failed: ${logger.stderr()}`);
  assert.ok(
    partial.size >= 2,
    `the panel should grow while the script runs; it showed ${JSON.stringify([...partial])}`,
  );
  assert.ok(
    states.has('running'),
    `the header should show the run as running; saw ${JSON.stringify([...states])}`,
  );

  await waitFor(async () => (await panelRows(page, run.run_id)) === STEPS, `the panel to show ${STEPS} rows`);
  await waitFor(
    async () => (await panelState(page, run.run_id)) === 'finished',
    'the header to say finished',
  );
  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS points, count(DISTINCT step)::INTEGER AS steps, min(step)::INTEGER AS first,
            max(step)::INTEGER AS last
       FROM points WHERE run_id = '${run.run_id}' AND metric = 'loss'`,
  );
  assert.deepEqual(counts, { points: STEPS, steps: STEPS, first: 0, last: STEPS - 1 });
  const [frames] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS frames, count(DISTINCT seq)::INTEGER AS seqs FROM frames WHERE run_id = '${run.run_id}'`,
  );
  assert.equal(frames.frames, frames.seqs, 'no frame may be ingested twice');

  // Once the run is finished the panel stops polling: no history request follows the one that saw the end.
  const polls = () => session.browser.requests.filter((u) => u.includes('/spyglass/api/v1/history')).length;
  const settled = polls();
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(polls(), settled, 'a finished run is not polled');
});
