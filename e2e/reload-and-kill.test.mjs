// Reload the page while a run logs, and SIGKILL a kernel mid-loop: the panel ends exact, with no duplicates, and
// the store keeps every row the page had seen.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  openLab,
  openNotebook,
  panelRows,
  querySpyglass,
  runAllCells,
  saveNotebook,
  waitFor,
} from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { listRuns, readStoredHistory } from './support/store.mjs';

const session = useLabAndBrowser();

// With `gate`, the loop pauses halfway until the test creates that file, so the reload surely lands mid-run
// however slow the machine is.
function loggingNotebook(path, project, steps, gate = null) {
  const pause = gate
    ? `    if step == ${Math.floor(steps / 2)}:\n        while not os.path.exists("${gate}"):\n            time.sleep(0.05)\n`
    : '';
  writeNotebook(path, [
    `import os, time\nimport spyglass as sg\nopen("${project}.pid", "w").write(str(os.getpid()))\nrun = sg.init(project="${project}")\nrun.display()`,
    `for step in range(${steps}):\n${pause}    run.log({"loss": 1 / (step + 1), "step_seen": step})\n    time.sleep(0.02)\nrun.finish()`,
  ]);
}

test('reloading the page mid-run shows every row exactly once', async () => {
  const STEPS = 400;
  loggingNotebook(join(session.lab.rootDir, 'reload.ipynb'), 'reload', STEPS, 'reload.go');
  const { page } = session.browser;
  await openLab(page, session.lab.url);
  await openNotebook(page, 'reload.ipynb');
  await runAllCells(page);
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'reload')[0], 'the run to start');
  await waitFor(async () => (await panelRows(page, run.run_id)) >= 50, 'the panel to show 50 rows');
  await saveNotebook(page); // the saved output is what the reloaded page renders

  await page.reload();
  await openLab(page, session.lab.url);
  await openNotebook(page, 'reload.ipynb', { anyKernelState: true });
  const rowsAfterReload = await waitFor(async () => {
    const rows = await panelRows(page, run.run_id);
    return Math.max(rows, 0);
  }, 'the reloaded panel to show rows');
  assert.ok(rowsAfterReload <= STEPS / 2, 'the reload happens while the run is paused halfway');
  writeFileSync(join(session.lab.rootDir, 'reload.go'), ''); // let the loop log its second half

  await waitFor(() => listRuns(storeRoot, 'reload')[0]?.state === 'finished', 'the run to finish', 60_000);
  await waitFor(
    async () => (await panelRows(page, run.run_id)) === STEPS,
    `the panel to reach ${STEPS} rows`,
  );
  const [counts] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS points, count(DISTINCT step)::INTEGER AS steps
       FROM points WHERE run_id = '${run.run_id}' AND metric = 'loss'`,
  );
  assert.deepEqual(counts, { points: STEPS, steps: STEPS });
  const [frames] = await querySpyglass(
    page,
    `SELECT count(*)::INTEGER AS frames, count(DISTINCT seq)::INTEGER AS seqs FROM frames WHERE run_id = '${run.run_id}'`,
  );
  assert.equal(frames.frames, frames.seqs, 'no frame may be ingested twice');
});

test('a kernel killed with SIGKILL mid-loop leaves every row the page saw in the store', async () => {
  loggingNotebook(join(session.lab.rootDir, 'kill.ipynb'), 'kill', 100_000);
  const { page } = session.browser;
  await openNotebook(page, 'kill.ipynb');
  await runAllCells(page);
  const storeRoot = join(session.lab.rootDir, 'spyglass');
  const run = await waitFor(() => listRuns(storeRoot, 'kill')[0], 'the run to start');
  await waitFor(async () => (await panelRows(page, run.run_id)) >= 100, 'the panel to show 100 rows');
  const seenByPage = await panelRows(page, run.run_id);
  const pid = Number(readFileSync(join(session.lab.rootDir, 'kill.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');

  const stored = readStoredHistory(join(storeRoot, 'kill', run.run_id));
  assert.ok(
    stored.steps.length >= seenByPage,
    `the store holds ${stored.steps.length} rows but the page had already seen ${seenByPage}`,
  );
  assert.deepEqual(
    stored.steps,
    Array.from({ length: stored.steps.length }, (_, i) => i),
    'the stored rows must be the contiguous prefix 0..n-1',
  );
});
