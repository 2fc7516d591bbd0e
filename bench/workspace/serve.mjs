// The servers a workspace benchmark runs against: a real Jupyter server with the Spyglass extension (token auth),
// and a small HTTP server for the benchmark page and DuckDB-WASM's files that proxies /spyglass/ to it.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
export const python = join(repo, '.venv/bin/python');
const TOKEN = 'spyglass-bench';

function freePort() {
  return new Promise((ok) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Starts `jupyter server` over `store` (SPYGLASS_DIR) with its config and runtime under `base`. */
export async function startJupyter(base, store) {
  const config = join(base, 'jupyter');
  mkdirSync(config, { recursive: true });
  writeFileSync(
    join(config, 'jupyter_server_config.json'),
    JSON.stringify({ ServerApp: { jpserver_extensions: { spyglass: true } } }),
  );
  const port = await freePort();
  const child = spawn(
    python,
    [
      '-m',
      'jupyter_server',
      '--no-browser',
      '--allow-root',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.token=${TOKEN}`,
      `--ServerApp.root_dir=${base}`,
    ],
    {
      env: {
        ...process.env,
        SPYGLASS_DIR: store,
        JUPYTER_CONFIG_DIR: config,
        JUPYTER_RUNTIME_DIR: join(config, 'rt'),
      },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${url}/api/status`, { headers: { Authorization: `token ${TOKEN}` } });
      if (r.ok) return { child, url };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('jupyter server did not start');
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Serves the page and DuckDB-WASM's files, and proxies /spyglass/ to the Jupyter server with the token. */
export function startPageServer(jupyterUrl) {
  const roots = {
    '/page/': join(here, 'page'),
    '/duckdb/': join(repo, 'node_modules/@duckdb/duckdb-wasm/dist'),
  };
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/spyglass/')) {
      // The method and body go through as they are (the zoom windows are POSTs).
      const upstream = http.request(
        `${jupyterUrl}${req.url}`,
        { method: req.method, headers: { Authorization: `token ${TOKEN}` } },
        (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (e) => res.destroy(e));
      return req.pipe(upstream);
    }
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!req.url.startsWith(prefix)) continue;
      const file = join(dir, decodeURIComponent(req.url.slice(prefix.length).split('?')[0]));
      if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      return createReadStream(file).pipe(res);
    }
    res.writeHead(404).end();
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })),
  );
}
