import { performance } from 'node:perf_hooks';
import { RunDatabase } from '@spyglass/store';
import { createNodeEngine } from '@spyglass/store/node';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
const inner = await createNodeEngine();
const stats = new Map();
const rec = (k, t) => stats.set(k, (stats.get(k) ?? 0) + t);
const engine = {
  async query(sql) { const t = performance.now(); const r = await inner.query(sql); rec(sql.slice(0, 22), performance.now() - t); return r; },
  async insertArrowIPC(n, ipc) { const t = performance.now(); await inner.insertArrowIPC(n, ipc); rec('insertIPC', performance.now() - t); },
  close: () => inner.close(),
};
const db = new RunDatabase(engine); await db.init();
const rows = 1000, metrics = 10;
const payloads = [];
for (let seq = 0; seq < 100; seq++) {
  const cols = { _step: BigInt64Array.from({ length: rows }, (_, i) => BigInt(seq * rows + i)), _timestamp: new Float64Array(rows) };
  for (let m = 0; m < metrics; m++) cols[`m${m}`] = Float64Array.from({ length: rows }, Math.random);
  payloads.push(tableToIPC(tableFromArrays(cols), 'stream'));
}
const t = performance.now();
for (let seq = 0; seq < 100; seq++) await db.ingestFrame('run', seq, payloads[seq]);
rec('TOTAL', performance.now() - t);
for (const [k, v] of stats) console.log(k.padEnd(24), v.toFixed(0), 'ms');
