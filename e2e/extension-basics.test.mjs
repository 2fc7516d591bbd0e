// The built extension in a real JupyterLab: it loads without console errors, DuckDB-WASM starts from the
// extension's own static files (nothing leaves 127.0.0.1), and a kernel package speaking a newer protocol major
// is refused with a polite message instead of a crash.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { RUN_MIME_TYPE } from '@spyglass/protocol';
import { openLab, openNotebook, querySpyglass, runAllCells } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const session = useLabAndBrowser({ ready: ({ lab, browser }) => openLab(browser.page, lab.url) });

test('DuckDB-WASM starts from the files shipped inside the extension', async () => {
  const { page, requests } = session.browser;
  const started = Date.now();
  const [answer] = await querySpyglass(page, 'SELECT 42 AS answer');
  assert.deepEqual(answer, { answer: 42 });
  const { engineStartMs } = await page.evaluate(() => window.jupyterapp.commands.execute('spyglass:stats'));
  console.log(
    `DuckDB-WASM engine start ${Math.round(engineStartMs)} ms, first answer ${Date.now() - started} ms`,
  );
  const shipped = requests.filter((u) => u.includes('/lab/extensions/@spyglass/labextension/static/'));
  assert.ok(
    shipped.some((u) => /duckdb-eh\.[0-9a-f]+\.wasm/.test(u)),
    'the wasm comes from the extension',
  );
  assert.ok(
    shipped.some((u) => /duckdb-browser-eh\.worker\./.test(u)),
    'the worker comes from the extension',
  );
  const outside = requests.filter((u) => !u.startsWith(session.lab.url) && !/^(data|blob):/.test(u));
  assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
  assert.deepEqual(session.browser.consoleErrors, [], 'no console errors');
});

test('a kernel package speaking a newer protocol major is refused politely', async () => {
  writeNotebook(join(session.lab.rootDir, 'future.ipynb'), [
    'from comm import create_comm\nfrom IPython.display import display\n' +
      "future = create_comm(target_name='spyglass', data={'kind': 'hello', 'protocol': {'major': 2, 'minor': 0}, " +
      "'package_version': '9.0', 'runs': []})\n" +
      `display({${JSON.stringify(RUN_MIME_TYPE)}: {'run_id': 'future', 'project': 'p', 'name': 'n', ` +
      "'run_dir': '/nowhere', 'protocol': {'major': 2, 'minor': 0}}, 'text/plain': 'future run'}, raw=True)",
  ]);
  const { page } = session.browser;
  await openNotebook(page, 'future.ipynb');
  await runAllCells(page);
  const notice = await page.waitForSelector('.jp-SpyglassRunOutput-notice', { timeout: 30_000 });
  assert.match(await notice.textContent(), /newer Spyglass \(protocol 2\.0\)/);
  assert.deepEqual(session.browser.consoleErrors, [], 'the refusal is a message, not an error');
});
