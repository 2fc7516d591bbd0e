// Runs a Python test server in its script mode (kernel-bridge/tests/s3_server.py, llm_server.py) for an end-to-end
// test: the script prints one JSON line once the server is up and stops it when its stdin closes, so pytest and
// e2e share one way of running each server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, venvBin } from './jupyter-lab.mjs';

/**
 * Starts `kernel-bridge/tests/<script>` with `args`; resolves {answer (the parsed JSON line), stop()} once it
 * printed, or rejects with its stderr when it exits first or says nothing within `startTimeoutMs`.
 */
export async function startScriptServer(script, args, { what, startTimeoutMs, stopTimeoutMs }) {
  const path = join(repoRoot, 'kernel-bridge', 'tests', script);
  const child = spawn(join(venvBin, 'python'), [path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const answer = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${startTimeoutMs} ms:\n${stderr}`)),
      startTimeoutMs,
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
      reject(new Error(`${what} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    answer,
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end(); // the script stops the server when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
