// Starts the test S3 server (SeaweedFS on 127.0.0.1, built by scripts/setup-s3.sh) for an end-to-end test, through
// kernel-bridge/tests/s3_server.py's script mode (e2e/support/script-server.mjs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptServer } from './script-server.mjs';

/**
 * Starts a server with a fresh bucket per entry of `buckets` (names made unique; see `.buckets`). Returns
 * {endpoint, buckets, env(identity), stop()}: env('writer' | 'viewer' | 'admin') gives the AWS_* variables of that
 * identity, to spread into a child process's environment (with its own SPYGLASS_CACHE_DIR per "machine").
 */
export async function startS3Server({ buckets = ['e2e'] } = {}) {
  const workdir = mkdtempSync(join(tmpdir(), 'spyglass-s3-'));
  const server = await startScriptServer('s3_server.py', [workdir, ...buckets], {
    what: 'S3 server',
    startTimeoutMs: 90_000,
    stopTimeoutMs: 15_000,
  });
  const { answer } = server;
  return {
    endpoint: answer.endpoint,
    buckets: answer.buckets,
    env: (identity = 'writer') => ({ ...answer.env[identity] }),
    stop: () => server.stop(),
  };
}
