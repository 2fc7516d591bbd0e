// One JupyterLab server and one Chromium per test file, started before its tests and stopped after them.
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { startJupyterLab } from './jupyter-lab.mjs';

/**
 * Registers before/after hooks; the returned object's `lab` and `browser` are set once `before` has run.
 * `prepare(lab)` runs before the browser starts, `ready(session)` after; both inside the one `before` hook,
 * since node's runner does not wait for one root-level hook before starting the next. `labOptions()` (awaited
 * first) gives startJupyterLab's options, e.g. the environment of a bucket store started for the test.
 */
export function useLabAndBrowser({ labOptions, prepare, ready } = {}) {
  const session = { lab: undefined, browser: undefined };
  before(async () => {
    session.lab = await startJupyterLab(labOptions ? await labOptions() : {});
    if (prepare) await prepare(session.lab);
    session.browser = await launchBrowser();
    if (ready) await ready(session);
  });
  after(async () => {
    await session.browser?.close();
    await session.lab?.stop();
  });
  return session;
}
