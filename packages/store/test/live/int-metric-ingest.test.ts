import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { useRunDatabase } from '../support/run-database.js';

// The Python writer stores a metric that only held ints as int64 and, once it receives a float, as float64 in
// later frames (docs/store-format.md): one catch-up batch then holds both schemas for the same metric.
function frame(steps: bigint[], iter: BigInt64Array | Float64Array): Uint8Array {
  return tableToIPC(
    tableFromArrays({
      _step: BigInt64Array.from(steps),
      _timestamp: Float64Array.from(steps, (s) => 1_764_280_000 + Number(s)),
      _runtime: Float64Array.from(steps, Number),
      iter,
    }),
    'stream',
  );
}

const store = useRunDatabase();

test('a metric stored as int64, then as float64, is ingested in one batch with every point kept', async () => {
  await store.db.ingestFrames('promoted', [
    { seq: 0, payload: frame([0n, 1n, 2n], BigInt64Array.of(0n, 10n, 20n)) },
    { seq: 1, payload: frame([3n, 4n], Float64Array.of(2.5, 40)) },
  ]);
  assert.deepEqual(await store.db.series('promoted', 'iter'), [
    { step: 0, value: 0 },
    { step: 1, value: 10 },
    { step: 2, value: 20 },
    { step: 3, value: 2.5 },
    { step: 4, value: 40 },
  ]);
});
