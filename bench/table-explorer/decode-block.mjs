// How long the page's main thread is blocked while a logged 1M-row × 10-column table loads into the explorer
// (headless Chromium, real JupyterLab): the Parquet decode in the extension's Web Worker against the same build
// decoding on the main thread (its fallback, forced by refusing to start the decode worker). Per load: the longest
// long task (PerformanceObserver 'longtask'), their blocking time (each task's time past 50 ms), the longest gap
// between animation frames, and the load time after the file arrived; medians of N loads, side by side, ratio.
//   node bench/table-explorer/decode-block.mjs [repeats]      (after `npm run build`)
import { join } from 'node:path';
import { launchBrowser } from '../../e2e/support/browser.mjs';
import { startJupyterLab } from '../../e2e/support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells, waitFor } from '../../e2e/support/lab-page.mjs';
import { writeNotebook } from '../../e2e/support/notebook-file.mjs';

const REPEATS = Number(process.argv[2] ?? 5);
// The frame is built once per kernel; every run of the notebook logs and shows it again (a fresh load).
const CELLS = [
  `import numpy as np, pandas as pd, spyglass as sg
run = sg.init(project="bench")
n = 1_000_000
i = np.arange(n)
labels = np.array(["class_%d" % k for k in range(17)], dtype=object)
df = pd.DataFrame({"id": i, "bucket": i % 1000, "shuffled": (i * 7919) % 1000003,
    "x": i / 1000, "y": np.sin(i), "label": labels[i % 17], "name": pd.Series(i).map("item {}".format),
    "even": i % 2 == 0, "score": ((i * 31) % 100) / 100, "tag": labels[(i * 7) % 17]})`,
  `t = sg.Table(dataframe=df)
run.log({"preds": t})
t`,
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Records long tasks and animation-frame gaps from page start; `__blockProbe.reset()` starts a new window. */
function installProbe() {
  const probe = { tasks: [], maxFrameGap: 0, last: 0 };
  probe.reset = () => {
    probe.tasks = [];
    probe.maxFrameGap = 0;
    probe.last = 0;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.tasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  const frame = (now) => {
    if (probe.last) probe.maxFrameGap = Math.max(probe.maxFrameGap, now - probe.last);
    probe.last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.__blockProbe = probe;
}

/** The "before" build: the decode worker cannot start, so the explorer decodes on the main thread. */
function refuseDecodeWorker() {
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      if (options?.name === 'spyglass-parquet-decode') throw new Error('decode worker refused (benchmark)');
      super(url, options);
    }
  };
}

async function loadOnce(page) {
  await page.evaluate(() => {
    for (const o of document.querySelectorAll('.jp-SpyglassTableOutput')) o.dataset.benchOld = 'true';
    window.__blockProbe.reset();
  });
  await runAllCells(page);
  const output = await waitFor(
    () =>
      page.evaluate(() => {
        const o = document.querySelector('.jp-SpyglassTableOutput:not([data-bench-old])');
        const explorer = o?.querySelector('.sg-table-explorer:not([data-preview])');
        if (!o?.dataset.readyMs || !explorer) return null;
        return {
          afterFile: Number(o.dataset.readyMs) - Number(o.dataset.fetchedMs),
          decoder: explorer.dataset.decoder,
        };
      }),
    'the whole table',
    180_000,
    20,
  );
  // A few frames after the grid shows, so the last tasks of the load are observed.
  await page.waitForTimeout(500);
  const probe = await page.evaluate(() => {
    const { tasks, maxFrameGap } = window.__blockProbe;
    return {
      longest: Math.max(0, ...tasks),
      blocking: tasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      maxFrameGap,
    };
  });
  return { ...output, ...probe };
}

async function measure(context, labUrl, notebook, mode) {
  const page = await context.newPage();
  try {
    await page.addInitScript(installProbe);
    if (mode === 'main-thread') await page.addInitScript(refuseDecodeWorker);
    await openLab(page, labUrl);
    await openNotebook(page, notebook);
    const loads = [];
    for (let r = 0; r < REPEATS; r++) {
      const load = await loadOnce(page);
      if (load.decoder !== mode)
        throw new Error(`expected the ${mode} decoder, the explorer says ${load.decoder}`);
      loads.push(load);
    }
    return loads;
  } finally {
    await page.close();
  }
}

const lab = await startJupyterLab();
const browser = await launchBrowser();
try {
  const results = {};
  for (const mode of ['main-thread', 'worker']) {
    const notebook = `decode-${mode}.ipynb`;
    writeNotebook(join(lab.rootDir, notebook), CELLS);
    results[mode] = await measure(browser.context, lab.url, notebook, mode);
  }
  const stat = (mode, key) => median(results[mode].map((load) => load[key]));
  const line = (name, key) => {
    const before = stat('main-thread', key);
    const after = stat('worker', key);
    console.log(
      `${name.padEnd(44)} ${before.toFixed(0).padStart(9)} ms ${after.toFixed(0).padStart(9)} ms   ${(before / Math.max(after, 1)).toFixed(1)}×`,
    );
  };
  console.log(
    `${`1M rows × 10 columns, median of ${REPEATS} loads`.padEnd(44)} ${'main thread'.padStart(12)} ${'worker'.padStart(12)}   ratio`,
  );
  line('longest main-thread task during the load', 'longest');
  line('total blocking time (task time past 50 ms)', 'blocking');
  line('longest gap between animation frames', 'maxFrameGap');
  line('whole table queryable after the file arrives', 'afterFile');
  for (const mode of ['main-thread', 'worker']) {
    const tasks = results[mode].map((load) => load.longest.toFixed(0)).join(', ');
    console.log(`  ${mode}: longest task per load ${tasks} ms`);
  }
  console.log(
    'main thread = the same build with the decode worker refused (its fallback: the decode as it was before).',
  );
} finally {
  await browser.close();
  await lab.stop();
}
