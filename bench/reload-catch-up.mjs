// Time for a reloaded page to rebuild a long run from the store, in a real JupyterLab and headless Chromium (run on
// demand after `npm run build`):  PATH=$PWD/.venv/bin:$PATH node bench/reload-catch-up.mjs [frames]
// A plain script writes a run of `frames` one-row frames (default 2,500); a saved notebook shows it through its
// output bundle, so the panel loads it from the store. Reports the time from opening the notebook until the panel
// shows every row, for a cold page and after a reload, and the bytes the history endpoint sent. Then a notebook
// logs the same run in its kernel and the page reloads: the kernel's comm and the store can both serve the history,
// so it also reports the bytes that came over the websocket; last, the same with the page reloaded while the kernel
// is still busy logging (it answers comm requests late). To measure another build of the extension, point
// JUPYTER_PATH at a directory holding labextensions/@spyglass/labextension (the first one found wins).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchBrowser } from '../e2e/support/browser.mjs';
import { startJupyterLab, venvBin } from '../e2e/support/jupyter-lab.mjs';
import {
  openLab,
  openNotebook,
  panelRows,
  runAllCells,
  saveNotebook,
  waitFor,
} from '../e2e/support/lab-page.mjs';
import { writeNotebook } from '../e2e/support/notebook-file.mjs';
import { listRuns } from '../e2e/support/store.mjs';

const FRAMES = Number(process.argv[2] ?? 2500);
const RUN_MIME = 'application/vnd.spyglass.run.v1+json';

const WRITE_RUN = `
import json, sys
import spyglass as sg
run = sg.init(project="big", dir=sys.argv[2])
for step in range(int(sys.argv[1])):
    run.log({"loss": 1 / (step + 1), "acc": step / 10000})
    run.flush()  # one frame per row: the worst case for catch-up
run.finish()
print(json.dumps(run.output_data()))
`;

function savedNotebook(path, output) {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      {
        cell_type: 'code',
        id: 'show',
        metadata: {},
        execution_count: 1,
        source: 'run',
        outputs: [{ output_type: 'display_data', metadata: {}, data: { [RUN_MIME]: output } }],
      },
    ],
  };
  writeFileSync(path, JSON.stringify(notebook));
}

async function timeLoad(page, runId, historyBytes, path) {
  historyBytes.length = 0;
  const started = performance.now();
  await page.evaluate((p) => window.jupyterapp.commands.execute('docmanager:open', { path: p }), path);
  await waitFor(async () => (await panelRows(page, runId)) === FRAMES, `${FRAMES} rows`, 600_000, 50);
  return { seconds: (performance.now() - started) / 1000, bytes: historyBytes.reduce((a, b) => a + b, 0) };
}

const lab = await startJupyterLab();
const browser = await launchBrowser();
try {
  const output = JSON.parse(
    execFileSync(join(venvBin, 'python'), ['-c', WRITE_RUN, String(FRAMES), join(lab.rootDir, 'spyglass')], {
      encoding: 'utf8',
      cwd: lab.rootDir,
    }),
  );
  savedNotebook(join(lab.rootDir, 'big.ipynb'), output);
  const { page } = browser;
  const historyBytes = [];
  let project = 'big';
  page.on('response', async (response) => {
    const url = decodeURIComponent(response.url());
    if (!url.includes('/spyglass/api/v1/history') || !url.includes(`/${project}/`)) return;
    historyBytes.push((await response.body().catch(() => Buffer.alloc(0))).length);
  });
  await openLab(page, lab.url);
  const cold = await timeLoad(page, output.run_id, historyBytes, 'big.ipynb');
  console.log(
    `cold page: ${FRAMES} frames in ${cold.seconds.toFixed(2)} s (history endpoint sent ${cold.bytes} B)`,
  );
  await page.reload();
  await openLab(page, lab.url);
  const warm = await timeLoad(page, output.run_id, historyBytes, 'big.ipynb');
  console.log(
    `reloaded:  ${FRAMES} frames in ${warm.seconds.toFixed(2)} s (history endpoint sent ${warm.bytes} B)`,
  );
  const stats = await page.evaluate(() => window.jupyterapp.commands.execute('spyglass:stats'));
  console.log('hub stats after the reload:', JSON.stringify(stats));

  // A run logged by the notebook's kernel and still live there (the cell ended, the run did not), so the
  // reloaded page's comm is answered at once and both the store and a comm replay can serve the history.
  // Close big.ipynb so the reload does not restore it; its model may be marked dirty by the re-rendered output.
  await page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget;
    widget.context.model.dirty = false;
    return widget.close();
  });
  project = 'kernel';
  writeNotebook(join(lab.rootDir, 'kernel.ipynb'), [
    `import spyglass as sg\nrun = sg.init(project="kernel")\nrun.display()`,
    `for step in range(${FRAMES}):\n    run.log({"loss": 1 / (step + 1), "acc": step / 10000})\n    run.flush()`,
  ]);
  await openNotebook(page, 'kernel.ipynb');
  await runAllCells(page);
  const storeRoot = join(lab.rootDir, 'spyglass');
  const kernelRun = await waitFor(() => listRuns(storeRoot, 'kernel')[0], 'the kernel run to start');
  await waitFor(async () => (await panelRows(page, kernelRun.run_id)) === FRAMES, 'the live panel', 600_000);
  await saveNotebook(page);
  await page.reload();
  let wsBytes = 0;
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      wsBytes += payload.length;
    }),
  );
  await openLab(page, lab.url);
  const live = await timeLoad(page, kernelRun.run_id, historyBytes, 'kernel.ipynb');
  await new Promise((r) => setTimeout(r, 3000)); // a late replay answer would still count
  console.log(
    `live kernel run reloaded: ${FRAMES} frames in ${live.seconds.toFixed(2)} s (history endpoint sent ` +
      `${historyBytes.reduce((a, b) => a + b, 0)} B, websockets received ${wsBytes} B)`,
  );

  // Reloaded while the kernel is busy: a burst of FRAMES one-row frames, then ~8 s more of slow logging.
  await page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget;
    widget.context.model.dirty = false;
    return widget.close();
  });
  project = 'busy';
  const TAIL = 150;
  writeNotebook(join(lab.rootDir, 'busy.ipynb'), [
    `import time\nimport spyglass as sg\nrun = sg.init(project="busy")\nrun.display()`,
    `for step in range(${FRAMES}):\n    run.log({"loss": 1 / (step + 1)})\n    run.flush()\n` +
      `for step in range(${TAIL}):\n    run.log({"loss": 0.5})\n    time.sleep(0.05)\nrun.finish()`,
  ]);
  await openNotebook(page, 'busy.ipynb');
  await runAllCells(page);
  const busyRun = await waitFor(() => listRuns(storeRoot, 'busy')[0], 'the busy run to start');
  await waitFor(async () => (await panelRows(page, busyRun.run_id)) >= FRAMES, 'the burst', 600_000);
  await saveNotebook(page);
  await page.reload();
  await openLab(page, lab.url);
  historyBytes.length = 0;
  wsBytes = 0;
  const started = performance.now();
  await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:open', { path: 'busy.ipynb' }));
  await waitFor(async () => (await panelRows(page, busyRun.run_id)) >= FRAMES, 'the history', 600_000, 50);
  const caughtUp = (performance.now() - started) / 1000;
  await waitFor(() => listRuns(storeRoot, 'busy')[0]?.state === 'finished', 'the busy run to end', 600_000);
  await waitFor(async () => (await panelRows(page, busyRun.run_id)) === FRAMES + TAIL, 'every row', 60_000);
  await new Promise((r) => setTimeout(r, 3000));
  console.log(
    `busy kernel run reloaded: history (${FRAMES} frames) shown after ${caughtUp.toFixed(2)} s; until the end the ` +
      `history endpoint sent ${historyBytes.reduce((a, b) => a + b, 0)} B, websockets received ${wsBytes} B`,
  );
} finally {
  await browser.close();
  await lab.stop();
}
