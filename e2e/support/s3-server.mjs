// Starts the test S3 server (SeaweedFS on 127.0.0.1, built by scripts/setup-s3.sh) for an end-to-end test, through
// kernel-bridge/tests/s3_server.py's script mode, so pytest and e2e share one way of running it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, venvBin } from './jupyter-lab.mjs';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts a server with a fresh bucket per entry of `buckets` (names made unique; see `.buckets`). Returns
 * {endpoint, buckets, env(identity), stop()}: env('writer' | 'viewer' | 'admin') gives the AWS_* variables of that
 * identity, to spread into a child process's environment (with its own SPYGLASS_CACHE_DIR per "machine").
 */
export async function startS3Server({ buckets = ['e2e'] } = {}) {
  const workdir = mkdtempSync(join(tmpdir(), 'spyglass-s3-'));
  const script = join(repoRoot, 'kernel-bridge', 'tests', 's3_server.py');
  const child = spawn(join(venvBin, 'python'), [script, workdir, ...buckets], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const answer = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`S3 server did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, newline)));
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`S3 server exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    endpoint: answer.endpoint,
    buckets: answer.buckets,
    env: (identity = 'writer') => ({ ...answer.env[identity] }),
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end(); // the script stops the server when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
