// Drives JupyterLab through its own command registry (window.jupyterapp, exposed by the test server).

/** Loads /lab and waits until the application has restored its layout and its main area holds a widget. */
export async function openLab(page, url) {
  await page.goto(`${url}/lab`);
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  // An empty main area gets JupyterLab's launcher only once the file browser has listed its folder, which can be
  // a second after `restored` on a busy machine; the launcher then takes the focus (and closes an open palette).
  await page.waitForFunction(() => !window.jupyterapp.shell.isEmpty('main'), null, { timeout: 60_000 });
}

/**
 * Opens a notebook and waits until its kernel is idle; with `anyKernelState`, only until the notebook is open
 * (after a reload, a kernel busy in a cell answers JupyterLab's kernel_info request only when the cell ends).
 */
export async function openNotebook(page, path, { anyKernelState = false } = {}) {
  // The command's result (the notebook widget) stays in the page: Playwright cannot serialize a widget, and an
  // already open notebook's came back as "object reference chain is too long".
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute('docmanager:open', { path: p });
  }, path);
  await page.waitForFunction(
    ([p, any]) => {
      const widget = window.jupyterapp.shell.currentWidget;
      const kernel = widget?.sessionContext?.session?.kernel;
      return widget?.context?.path === p && (any || kernel?.status === 'idle');
    },
    [path, anyKernelState],
    { timeout: 60_000 },
  );
}

/** Runs every cell of the current notebook (returns at once; the kernel keeps running). */
export async function runAllCells(page) {
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('notebook:run-all-cells');
  });
}

/** Saves the current notebook to disk. */
export async function saveNotebook(page) {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('docmanager:save');
  });
}

/** Runs SQL against the page's DuckDB-WASM database through the extension's command. */
export function querySpyglass(page, sql) {
  return page.evaluate((s) => window.jupyterapp.commands.execute('spyglass:query', { sql: s }), sql);
}

/** The rows count a run panel shows (data-rows), or -1 when the panel is not on the page. */
export function panelRows(page, runId) {
  return page.evaluate((id) => {
    const panel = document.querySelector(`[data-spyglass-run-id="${id}"]`);
    return panel ? Number(panel.getAttribute('data-rows')) : -1;
  }, runId);
}

/** Polls fn until it returns a truthy value; throws with `what` after timeoutMs. */
export async function waitFor(fn, what, timeoutMs = 30_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what} (last value: ${JSON.stringify(last)})`,
  );
}
