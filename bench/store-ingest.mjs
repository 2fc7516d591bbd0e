// Ingest and M4 query speed of RunDatabase on the DuckDB-WASM Node bundle (run on demand, after `npm run build:ts`):
//   node bench/store-ingest.mjs
import { performance } from 'node:perf_hooks';
import { RunDatabase } from '@spyglass/store';
import { createNodeEngine } from '@spyglass/store/node';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

function batch(start, rows, metrics) {
  const columns = {
    _step: BigInt64Array.from({ length: rows }, (_, i) => BigInt(start + i)),
    _timestamp: Float64Array.from({ length: rows }, (_, i) => 1.76e9 + (start + i) / 100),
  };
  for (let m = 0; m < metrics; m++) {
    columns[`metric_${m}`] = Float64Array.from({ length: rows }, (_, i) => Math.sin((start + i) / 1000 + m));
  }
  return tableToIPC(tableFromArrays(columns), 'stream');
}

async function ingest(label, totalRows, metrics, rowsPerFrame) {
  const engine = await createNodeEngine();
  const db = new RunDatabase(engine);
  await db.init();
  const payloads = [];
  for (let start = 0; start < totalRows; start += rowsPerFrame)
    payloads.push(batch(start, rowsPerFrame, metrics));
  const t0 = performance.now();
  for (let seq = 0; seq < payloads.length; seq++) await db.ingestFrame('run', seq, payloads[seq]);
  const seconds = (performance.now() - t0) / 1000;
  const points = totalRows * metrics;
  console.log(
    `${label}: ${points.toLocaleString()} points (${totalRows.toLocaleString()} rows × ${metrics} metrics, ` +
      `${payloads.length} frames of ${rowsPerFrame} rows) in ${seconds.toFixed(2)} s = ` +
      `${Math.round(totalRows / seconds).toLocaleString()} rows/s, ${Math.round(points / seconds).toLocaleString()} points/s`,
  );
  return { engine, db };
}

async function replay(frames, rows, metrics) {
  const engine = await createNodeEngine();
  const db = new RunDatabase(engine);
  await db.init();
  const payloads = Array.from({ length: frames }, (_, seq) => ({
    seq,
    payload: batch(seq * rows, rows, metrics),
  }));
  const t0 = performance.now();
  await db.ingestFrames('run', payloads);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `replay with ingestFrames: ${frames} frames of ${rows} rows × ${metrics} metrics in ${seconds.toFixed(2)} s = ` +
      `${((seconds * 1000) / frames).toFixed(2)} ms per frame, ${Math.round((frames * rows * metrics) / seconds).toLocaleString()} points/s`,
  );
  await engine.close();
}

await replay(2_000, 10, 10);
await replay(100, 10_000, 1);
await ingest('ingest', 100_000, 10, 1_000);
await ingest('ingest', 100_000, 10, 10_000);
const { engine, db } = await ingest('ingest', 1_000_000, 1, 10_000);
for (const maxPoints of [1000, 4000]) {
  const times = [];
  let n = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    n = (await db.series('run', 'metric_0', { maxPoints })).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `series of 1,000,000 points, maxPoints ${maxPoints}: ${n} points, median ${times[2].toFixed(0)} ms`,
  );
}
await engine.close();
