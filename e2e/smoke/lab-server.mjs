// Starts `jupyter lab` from the project's .venv on a free loopback port with an isolated config and a fresh
// root directory under /tmp. Adds --allow-root when running as root (CI containers), which Jupyter requires.
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

/** Returns {url, rootDir, serverLog(), stop()} once /api/status answers. */
export async function startLab() {
  const base = mkdtempSync(join(tmpdir(), 'spyglass-smoke-'));
  const rootDir = join(base, 'root');
  const configDir = join(base, 'config');
  mkdirSync(rootDir);
  mkdirSync(join(configDir, 'labconfig'), { recursive: true });
  // The announcements toast covers the page and the extension manager queries PyPI: both off.
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
  const args = [
    'lab',
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--ServerApp.token=',
    '--ServerApp.password=',
  ];
  args.push('--LabApp.expose_app_in_browser=True', `--ServerApp.root_dir=${rootDir}`);
  if (process.getuid?.() === 0) args.push('--allow-root');
  const log = [];
  const proc = spawn(join(venvBin, 'jupyter'), args, {
    cwd: rootDir,
    env: {
      ...process.env,
      PATH: `${venvBin}:${process.env.PATH}`,
      JUPYTER_CONFIG_DIR: configDir,
      JUPYTER_RUNTIME_DIR: join(base, 'runtime'),
      SPYGLASS_DIR: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (c) => log.push(c.toString()));
  proc.stderr.on('data', (c) => log.push(c.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter lab exited with ${proc.exitCode}\n${log.join('')}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`jupyter lab did not start\n${log.join('')}`);
    }
    try {
      if ((await fetch(`${url}/api/status`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
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
