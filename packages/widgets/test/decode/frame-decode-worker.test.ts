import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { fixturePath } from '@spyglass/protocol/fixtures';
import { DamagedFrameError, readFramedLog } from '@spyglass/store';
import { FrameDecodeWorker, type WorkerLike } from '../../src/decode/FrameDecodeWorker.js';

const WORKER_SCRIPT = new URL('../../src/decode/frame-decode-worker.js', import.meta.url).href;

/** Node's worker_threads behind the browser Worker surface the class uses; `script` runs with a `self` shim. */
function nodeWorker(script: string): { worker: WorkerLike; exited: () => boolean } {
  const source = `
    const { parentPort } = require('node:worker_threads');
    globalThis.self = {
      postMessage: (m, t) => parentPort.postMessage(m, t),
      set onmessage(fn) { parentPort.on('message', (data) => fn({ data })); },
    };
    ${script}`;
  const thread = new Worker(source, { eval: true });
  let exited = false;
  thread.on('exit', () => {
    exited = true;
  });
  const worker: WorkerLike = {
    postMessage: (message, transfer) => thread.postMessage(message, transfer as never),
    addEventListener: ((type: string, listener: (event: unknown) => void) => {
      if (type === 'message') thread.on('message', (data) => listener({ data }));
      else thread.on('error', (error: Error) => listener({ message: error.message }));
    }) as WorkerLike['addEventListener'],
    terminate: () => void thread.terminate(),
  };
  return { worker, exited: () => exited };
}

const frames = (name: string) =>
  readFramedLog(new Uint8Array(readFileSync(fixturePath('framed-log', name)))).frames.map((f) => ({
    seq: f.seq,
    payload: f.payload,
  }));

test('frames are planned in the worker; the hostile frame comes back as a DamagedFrameError naming it', async () => {
  const decoder = new FrameDecodeWorker({
    spawn: () => nodeWorker(`import(${JSON.stringify(WORKER_SCRIPT)});`).worker,
  });
  try {
    const plan = await decoder.plan('r', frames('valid.sglog'), '_step');
    assert.deepEqual(plan.metrics, ['loss', 'acc']);
    assert.equal(
      plan.groups.reduce((n, g) => n + g.frames.reduce((m, f) => m + f.rows, 0), 0),
      6,
    );
    assert.ok(plan.groups[0].ipc instanceof Uint8Array && plan.groups[0].ipc.byteLength > 0);
    const started = performance.now();
    await assert.rejects(
      decoder.plan('h', frames('hostile-arrow.sglog'), '_step'),
      (e: unknown) => e instanceof DamagedFrameError && e.seq === 1 && /malformed/.test(e.reason),
    );
    assert.ok(performance.now() - started < 2000, 'refused without running into the time budget');
    assert.equal(decoder.started, 1, 'a refused frame does not cost the worker');
  } finally {
    decoder.dispose();
  }
});

test('a decode past its time budget stops the worker, fails as damaged, and the next decode gets a new worker', async () => {
  const spawned: { exited: () => boolean }[] = [];
  const decoder = new FrameDecodeWorker({
    budget: { baseMs: 300, msPerMiB: 0 },
    spawn: () => {
      // The first worker says it is ready and then never answers (as a decoder spinning on a payload would).
      const script =
        spawned.length === 0
          ? `self.postMessage({ type: 'ready' }); self.onmessage = () => { for (;;) {} };`
          : `import(${JSON.stringify(WORKER_SCRIPT)});`;
      const started = nodeWorker(script);
      spawned.push(started);
      return started.worker;
    },
  });
  try {
    const started = performance.now();
    await assert.rejects(
      decoder.plan('r', frames('valid.sglog'), '_step'),
      (e: unknown) => e instanceof DamagedFrameError && e.seq === 0 && /longer than/.test(e.reason),
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 3000, `gave up after ${elapsed.toFixed(0)} ms`);
    for (let i = 0; i < 50 && !spawned[0].exited(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(spawned[0].exited(), 'the spinning worker was terminated');
    const plan = await decoder.plan('r', frames('valid.sglog'), '_step');
    assert.equal(plan.metrics.length, 2);
    assert.equal(decoder.started, 2);
  } finally {
    decoder.dispose();
  }
});

test('a frame above the size limit is damaged without being decoded', async () => {
  let spawned = 0;
  const decoder = new FrameDecodeWorker({
    budget: { maxFrameBytes: 100 },
    spawn: () => {
      spawned += 1;
      return nodeWorker(`import(${JSON.stringify(WORKER_SCRIPT)});`).worker;
    },
  });
  await assert.rejects(
    decoder.plan('r', frames('valid.sglog'), '_step'),
    (e: unknown) => e instanceof DamagedFrameError && /decode limit/.test(e.reason),
  );
  assert.equal(spawned, 0);
  decoder.dispose();
});
