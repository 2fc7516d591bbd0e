// Starts a real JupyterLab server (from the project's .venv) on a free loopback port, in its own root directory,
// with an isolated config that disables the plugins that would reach the network.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const venvBin = join(repoRoot, '.venv', 'bin');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitUntilUp(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`jupyter lab exited early with code ${proc.exitCode}`);
    try {
      const response = await fetch(`${url}/api/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`jupyter lab did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * A fresh server root with an isolated Jupyter config; returns {url, rootDir, stop()}. `env` adds to (or
 * overrides) the server's environment, e.g. SPYGLASS_DIR=s3://... and the AWS variables of a bucket store.
 */
export async function startJupyterLab({ env = {} } = {}) {
  const base = mkdtempSync(join(tmpdir(), 'spyglass-e2e-'));
  const rootDir = join(base, 'root');
  const configDir = join(base, 'config');
  mkdirSync(rootDir);
  mkdirSync(join(configDir, 'labconfig'), { recursive: true });
  writeFileSync(
    join(configDir, 'labconfig', 'page_config.json'),
    JSON.stringify({
      disabledExtensions: {
        '@jupyterlab/apputils-extension:announcements': true,
        '@jupyterlab/extensionmanager-extension:plugin': true,
      },
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const proc = spawn(
    join(venvBin, 'jupyter'),
    [
      'lab',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--ServerApp.token=',
      '--ServerApp.password=',
      '--ServerApp.disable_check_xsrf=True',
      '--LabApp.expose_app_in_browser=True',
      '--JupyterNotebookApp.expose_app_in_browser=True', // Notebook 7's page (e2e/notebook7.test.mjs)
      `--ServerApp.root_dir=${rootDir}`,
      `--LabApp.workspaces_dir=${join(base, 'workspaces')}`,
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    {
      cwd: rootDir,
      env: {
        ...process.env,
        PATH: `${venvBin}:${process.env.PATH}`,
        JUPYTER_CONFIG_DIR: configDir,
        JUPYTER_RUNTIME_DIR: join(base, 'runtime'),
        JUPYTER_PLATFORM_DIRS: '1',
        SPYGLASS_DIR: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk) => log.push(chunk.toString());
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  try {
    await waitUntilUp(url, proc, 60_000);
  } catch (error) {
    proc.kill('SIGKILL');
    throw new Error(`${error.message}\n${log.join('')}`, { cause: error });
  }
  return {
    url,
    rootDir,
    serverLog: () => log.join(''),
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
