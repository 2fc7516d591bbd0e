// The table explorer's query layer on 1M rows × 10 columns (DuckDB-WASM Node bundle + parquet-wasm), against the
// naive way (every row materialised as a JS object, sorted and filtered in JS). Run after `npm run build:ts`:
//   node bench/table-explorer/query.mjs [repeats]
// Medians of `repeats` runs; the ratio is naive / explorer.
import { performance } from 'node:perf_hooks';
import { fetchWindow, parseQuickFilter, planView, registerParquet, viewWindows } from '@spyglass/store';
import { createNodeEngine } from '@spyglass/store/node';
import { createNodeParquetCodec } from '../../packages/store/lib/src/table/parquet-node.js';
import { MILLION_ROWS } from '../../packages/store/lib/test/table/support.js';

const REPEATS = Number(process.argv[2] ?? 5);
const WINDOW = 128;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const runs = [];
  let result;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    result = await fn(i);
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), result };
}
const fmt = (ms) => `${ms.toFixed(1).padStart(9)} ms`;

const engine = await createNodeEngine();
const codec = createNodeParquetCodec();
const parquet = codec.fromArrowTable(await engine.query(MILLION_ROWS));
console.log(
  `table: 1,000,000 rows × 10 columns, Parquet ${(parquet.byteLength / 1e6).toFixed(1)} MB (zstd)\n`,
);

const t0 = performance.now();
const source = await registerParquet(engine, parquet, codec);
const registerMs = performance.now() - t0;
const first = await time(async () => fetchWindow(engine, await planView(engine, source, {}), 0, WINDOW));
const column = (name) => source.columns.find((c) => c.name === name);
const sort = await time((i) =>
  planView(engine, source, { sort: [{ column: i % 2 ? 'shuffled' : 'y', descending: true }] }).then((v) =>
    fetchWindow(engine, v, 0, WINDOW),
  ),
);
const filter = await time((i) =>
  planView(engine, source, { filters: [parseQuickFilter(column('name'), `item ${i}99`)] }).then((v) =>
    fetchWindow(engine, v, 0, WINDOW),
  ),
);
const range = await time(() =>
  planView(engine, source, { filters: [parseQuickFilter(column('score'), '0.2..0.3')] }).then((v) =>
    fetchWindow(engine, v, 0, WINDOW),
  ),
);
const sorted = await planView(engine, source, { sort: [{ column: 'shuffled' }] });
// Deep windows: the ordered temp table (built once per sort/filter change) against ORDER BY ... OFFSET each window.
const deepOffset = await time((i) => fetchWindow(engine, sorted, 100_000 * (i + 1), WINDOW));
const windows = viewWindows(engine, sorted);
const tc = performance.now();
await windows.fetch(100_000, WINDOW); // waits for the ordered copy
const orderMs = performance.now() - tc;
const deep = await time((i) => windows.fetch(100_000 * (i + 1) + 50_000, WINDOW));
await windows.dispose();
const group = await time(() =>
  planView(engine, source, {
    groupBy: { columns: ['label'], aggregates: [{ fn: 'count' }, { fn: 'mean', column: 'score' }] },
  }).then((v) => fetchWindow(engine, v, 0, WINDOW)),
);

// Naive: every row as a JS object, then Array.sort / Array.filter.
const tm = performance.now();
const objects = (await engine.query(`SELECT * FROM ${source.relation}`)).toArray().map((r) => r.toJSON());
const materialiseMs = performance.now() - tm;
const naiveSort = await time((i) => {
  const key = i % 2 ? 'shuffled' : 'y';
  return [...objects].sort((a, b) => Number(b[key]) - Number(a[key])).slice(0, WINDOW);
});
const naiveFilter = await time((i) =>
  objects.filter((o) => o.name.toLowerCase().includes(`item ${i}99`)).slice(0, WINDOW),
);

const rows = [
  ['first rows after the table arrives', registerMs + first.ms, materialiseMs],
  ['  of which decode + ingest once', registerMs, null],
  ['sort (top window of 128)', sort.ms, naiveSort.ms],
  ['text filter (contains)', filter.ms, naiveFilter.ms],
  ['range filter', range.ms, null],
  ['window 128 rows deep in a sort', deep.ms, deepOffset.ms],
  ['  ordered copy, once per sort/filter', orderMs, null],
  ['group by label (count, mean)', group.ms, null],
];
console.log(`${'operation'.padEnd(36)} ${'explorer'.padStart(12)} ${'naive JS'.padStart(12)}   ratio`);
for (const [name, ours, naive] of rows) {
  const ratio = naive === null ? '' : `${(naive / ours).toFixed(1)}×`;
  console.log(`${name.padEnd(36)} ${fmt(ours)} ${naive === null ? ''.padStart(12) : fmt(naive)}   ${ratio}`);
}
console.log(
  '\ndeep window: the alternative is ORDER BY ... LIMIT/OFFSET per window (before the ordered copy).',
);
console.log(
  `naive = SELECT * into ${objects.length.toLocaleString()} JS objects, then Array.sort/filter; medians of ${REPEATS}.`,
);
await engine.close();
