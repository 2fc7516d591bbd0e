// Frames/s through the page hub's ingest path on the DuckDB-WASM Node bundle (run on demand, after
// `npm run build:ts`):  node bench/hub-ingest.mjs [frames]
// "per frame" is the hub's former path (SequenceTracker, then one RunDatabase.ingestFrame per frame, chained);
// "pipeline" is FramePipeline, which RunHub now delegates to (one ingestFrames per run per drain). Two arrival
// patterns: a catch-up (a whole store slice offered at once) and a live stream (one frame per event-loop turn). The
// Node bundle answers synchronously, so for the live stream each engine call first yields a turn, as the browser's
// worker round trip does; otherwise no frame could ever arrive during an ingest.

import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { FramePipeline, RunDatabase, SequenceTracker } from '@spyglass/store';
import { createNodeEngine } from '@spyglass/store/node';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

const FRAMES = Number(process.argv[2] ?? 5000);
const ROWS = 4;

function payload(seq) {
  const steps = Array.from({ length: ROWS }, (_, i) => seq * ROWS + i);
  return tableToIPC(
    tableFromArrays({
      _step: BigInt64Array.from(steps, BigInt),
      _timestamp: Float64Array.from(steps, (s) => 1.76e9 + s / 100),
      loss: Float64Array.from(steps, (s) => 1 / (s + 1)),
      acc: Float64Array.from(steps, (s) => s / 1e5),
    }),
    'stream',
  );
}
const frames = Array.from({ length: FRAMES }, (_, seq) => ({ seq, payload: payload(seq) }));

/** The hub before batching: every released frame became its own ingestFrame call on one promise chain. */
function perFrameHub(database) {
  const tracker = new SequenceTracker();
  let chain = Promise.resolve();
  return {
    offer(runId, frame) {
      for (const ready of tracker.offer(runId, frame.seq, frame.payload).ready) {
        chain = chain.then(() => database.ingestFrame(runId, ready.seq, ready.payload));
      }
    },
    settled: () => chain,
  };
}

function pipelineHub(database) {
  const pipeline = new FramePipeline(async () => database, {
    ingested() {},
    failed: (_, e) => console.error(e),
  });
  return { offer: (runId, frame) => pipeline.offerFrames(runId, [frame]), settled: () => pipeline.settled() };
}

/** The engine with a macrotask hop before every call, like DuckDB-WASM in a worker. */
function workerLike(engine) {
  return {
    async query(sql) {
      await setImmediate();
      return engine.query(sql);
    },
    async insertArrowIPC(table, ipc) {
      await setImmediate();
      return engine.insertArrowIPC(table, ipc);
    },
    close: () => engine.close(),
  };
}

async function measure(label, makeHub, live) {
  const node = await createNodeEngine();
  const engine = live ? workerLike(node) : node;
  const database = new RunDatabase(engine);
  await database.init();
  const hub = makeHub(database);
  const t0 = performance.now();
  for (const frame of frames) {
    hub.offer('run', frame);
    if (live) await setImmediate();
  }
  await hub.settled();
  const seconds = (performance.now() - t0) / 1000;
  const rows = await database.rowCount('run');
  if (rows !== FRAMES * ROWS) throw new Error(`${label}: ${rows} rows, expected ${FRAMES * ROWS}`);
  console.log(
    `${label.padEnd(28)} ${FRAMES} frames in ${seconds.toFixed(2)} s = ${Math.round(FRAMES / seconds).toLocaleString()} frames/s`,
  );
  await engine.close();
}

await measure('catch-up, per frame (before)', perFrameHub, false);
await measure('catch-up, pipeline (after)', pipelineHub, false);
await measure('live, per frame (before)', perFrameHub, true);
await measure('live, pipeline (after)', pipelineHub, true);
