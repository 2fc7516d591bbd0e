import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { FuzzKind } from './support/reader-fuzz-cases.js';
import type { FuzzResult, FuzzWork } from './support/reader-fuzz-worker.js';

const SEED = 15;
const PLAN: [FuzzKind, number][] = [
  ['flip-crc', 900],
  ['message-length', 300],
  ['truncate', 300],
  ['length-lie', 300],
  ['overwrite', 300],
];
/** Longest wait for one input's answer on a loaded machine before it counts as a hang. */
const HANG_MS = 15_000;

/** Runs inputs from `from` in a worker; resolves with the results and, if it hung or died, where. */
function runFrom(from: number): Promise<{ results: FuzzResult[]; stoppedAt: number | null; why: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./support/reader-fuzz-worker.js', import.meta.url), {
      workerData: { seed: SEED, plan: PLAN, from } satisfies FuzzWork,
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    const results: FuzzResult[] = [];
    let next = from;
    let timer: ReturnType<typeof setTimeout>;
    const finish = (stoppedAt: number | null, why: string) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ results, stoppedAt, why });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(next, `no answer in ${HANG_MS} ms (hang)`), HANG_MS);
    };
    worker.on('message', (result: FuzzResult) => {
      results.push(result);
      next = result.i + 1;
      arm();
    });
    worker.on('error', (error) => finish(next, `the worker died: ${error.message}`));
    worker.on('exit', () => finish(null, 'done'));
    arm();
  });
}

test('the framed-log reader, the stream check and the decode survive 2,100 mutated logs in bounded time', async () => {
  const total = PLAN.reduce((n, [, count]) => n + count, 0);
  const failures: string[] = [];
  let tried = 0;
  let slowest = 0;
  for (let from = 0; from < total; ) {
    const { results, stoppedAt, why } = await runFrom(from);
    for (const r of results) {
      tried += 1;
      slowest = Math.max(slowest, r.ms);
      if (r.problem) failures.push(`${r.kind} #${r.i} on ${r.source}: ${r.problem}`);
      else if (r.ms > 1000) failures.push(`${r.kind} #${r.i} on ${r.source}: took ${r.ms.toFixed(0)} ms`);
    }
    if (stoppedAt === null) break;
    tried += 1;
    failures.push(`input #${stoppedAt}: ${why}`);
    from = stoppedAt + 1;
  }
  console.log(
    `torture ts-reader-fuzz: ${tried} inputs, ${failures.length} failures (slowest ${slowest.toFixed(1)} ms)`,
  );
  assert.equal(tried, total);
  assert.deepEqual(failures.slice(0, 5), []);
});
