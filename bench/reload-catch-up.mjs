// Time for a reloaded page to rebuild a long run from the store, in a real JupyterLab and headless Chromium (run on
// demand after `npm run build`):  PATH=$PWD/.venv/bin:$PATH node bench/reload-catch-up.mjs [frames] [scenarios]
// A plain script writes a run of `frames` one-row frames (default 2,500); a saved notebook shows it through its
// output bundle, so the panel loads it from the store. Reports the time from opening the notebook until the panel
// shows every row, for a cold page and after a reload, and the bytes the history endpoint sent. Then a notebook
// logs the same run in its kernel and the page reloads: the kernel's comm and the store can both serve the history,
// so it also reports the bytes that came over the websocket; last, the same with the page reloaded while the kernel
// is still busy logging (it answers comm requests late). `scenarios` picks some of store,idle,busy (default all).
// Comm bytes count only `frames` messages answering a replay. To measure another build of the extension, point
// JUPYTER_PATH at a directory holding labextensions/@spyglass/labextension (the first one found wins).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RUN_MIME_TYPE as RUN_MIME } from '@spyglass/protocol';
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
const SCENARIOS = new Set((process.argv[3] ?? 'store,idle,busy').split(','));

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

/** Closes the current notebook without a prompt (a re-rendered output may have marked its model dirty). */
function closeCurrent(page) {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget;
    if (!widget?.context) return;
    widget.context.model.dirty = false;
    return widget.close();
  });
}

const lab = await startJupyterLab();
const browser = await launchBrowser();
const storeRoot = join(lab.rootDir, 'spyglass');
try {
  const { page } = browser;
  const historyBytes = [];
  let project = 'big';
  let replayBytes = 0;
  const sum = () => historyBytes.reduce((a, b) => a + b, 0);
  page.on('response', async (response) => {
    const url = decodeURIComponent(response.url());
    if (!url.includes('/spyglass/api/v1/history') || !url.includes(`/${project}/`)) return;
    historyBytes.push((await response.body().catch(() => Buffer.alloc(0))).length);
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('latin1');
      if (/"kind":\s*"frames"/.test(text) && /"reply_to":\s*"[0-9a-f-]{36}"/.test(text)) {
        replayBytes += payload.length;
      }
    }),
  );
  await openLab(page, lab.url);

  if (SCENARIOS.has('store')) {
    const output = JSON.parse(
      execFileSync(join(venvBin, 'python'), ['-c', WRITE_RUN, String(FRAMES), storeRoot], {
        encoding: 'utf8',
        cwd: lab.rootDir,
      }),
    );
    savedNotebook(join(lab.rootDir, 'big.ipynb'), output);
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
    await closeCurrent(page);
  }

  if (SCENARIOS.has('idle')) {
    // A run logged by the notebook's kernel and still live there (the cell ended, the run did not), so the
    // reloaded page's comm is answered at once and both the store and a comm replay can serve the history.
    project = 'kernel';
    writeNotebook(join(lab.rootDir, 'kernel.ipynb'), [
      `import spyglass as sg\nrun = sg.init(project="kernel")\nrun.display()`,
      `for step in range(${FRAMES}):\n    run.log({"loss": 1 / (step + 1), "acc": step / 10000})\n    run.flush()`,
    ]);
    await openNotebook(page, 'kernel.ipynb');
    await runAllCells(page);
    const run = await waitFor(() => listRuns(storeRoot, 'kernel')[0], 'the kernel run to start');
    await waitFor(async () => (await panelRows(page, run.run_id)) === FRAMES, 'the live panel', 600_000);
    await saveNotebook(page);
    await page.reload();
    await openLab(page, lab.url);
    replayBytes = 0;
    const live = await timeLoad(page, run.run_id, historyBytes, 'kernel.ipynb');
    await new Promise((r) => setTimeout(r, 3000)); // a late replay answer would still count
    console.log(
      `idle kernel, live run reloaded: ${FRAMES} frames in ${live.seconds.toFixed(2)} s (history endpoint sent ` +
        `${sum()} B, comm replays sent ${replayBytes} B)`,
    );
    await closeCurrent(page);
  }

  if (SCENARIOS.has('busy')) {
    // Reloaded while the kernel is busy: a burst of FRAMES one-row frames, then ~8 s more of slow logging; the
    // page reloads as soon as the burst is stored (busy.flag), whatever the old page had shown by then.
    project = 'busy';
    const TAIL = 150;
    writeNotebook(join(lab.rootDir, 'busy.ipynb'), [
      `import time\nimport spyglass as sg\nrun = sg.init(project="busy")\nrun.display()`,
      `for step in range(${FRAMES}):\n    run.log({"loss": 1 / (step + 1)})\n    run.flush()\n` +
        `open("busy.flag", "w").close()\n` +
        `for step in range(${TAIL}):\n    run.log({"loss": 0.5})\n    time.sleep(0.05)\nrun.finish()`,
    ]);
    await openNotebook(page, 'busy.ipynb');
    await runAllCells(page);
    await waitFor(() => existsSync(join(lab.rootDir, 'busy.flag')), 'the burst', 600_000, 20);
    const run = listRuns(storeRoot, 'busy')[0];
    await saveNotebook(page);
    await page.reload();
    await openLab(page, lab.url);
    historyBytes.length = 0;
    replayBytes = 0;
    const started = performance.now();
    await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:open', { path: 'busy.ipynb' }));
    await waitFor(async () => (await panelRows(page, run.run_id)) >= FRAMES, 'the history', 600_000, 50);
    const caughtUp = (performance.now() - started) / 1000;
    const stillBusy = listRuns(storeRoot, 'busy')[0]?.state === 'running';
    await waitFor(() => listRuns(storeRoot, 'busy')[0]?.state === 'finished', 'the busy run to end', 600_000);
    await waitFor(async () => (await panelRows(page, run.run_id)) === FRAMES + TAIL, 'every row', 120_000);
    const complete = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    console.log(
      `busy kernel run reloaded: ${FRAMES} stored frames shown after ${caughtUp.toFixed(2)} s ` +
        `(kernel ${stillBusy ? 'still' : 'no longer'} busy), all ${FRAMES + TAIL} rows after ` +
        `${complete.toFixed(2)} s; history endpoint sent ${sum()} B, comm replays sent ${replayBytes} B`,
    );
  }
} finally {
  await browser.close();
  await lab.stop();
}
