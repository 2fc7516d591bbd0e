import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { tableVersions } from '../../src/table/table-versions.js';
import { framedLog } from '../support/framed-log-writer.js';

/** A history frame as the flusher writes it: steps and string cells holding table references. */
function historyFrame(steps: number[], cells: (string | null)[]): Uint8Array {
  return tableToIPC(tableFromArrays({ _step: BigInt64Array.from(steps.map(BigInt)), roc: cells }), 'stream');
}

const spec = {
  mark: 'line',
  data: { name: 'table' },
  encoding: { x: { field: 'fpr' }, y: { field: 'tpr' } },
};
const reference = (path: string, extra: object = {}) =>
  JSON.stringify({ _type: 'table', path, nrows: 3, ...extra });

test('every logged version of a table comes back in step order, with the sg.plot spec it was logged with', () => {
  const log = framedLog([
    historyFrame([0, 1], [reference('media/table/roc_0.parquet', { spec }), null]),
    historyFrame([2, 3], ['{"_type":"image","path":"media/x.png"}', reference('media/table/roc_3.parquet')]),
  ]);
  assert.deepEqual(tableVersions(log, 'roc'), [
    { step: 0, path: 'media/table/roc_0.parquet', spec },
    { step: 3, path: 'media/table/roc_3.parquet' },
  ]);
});

test('a spec that is not an object is left out; a key never logged has no versions', () => {
  const log = framedLog([
    historyFrame([0], [reference('media/table/roc_0.parquet', { spec: 'wandb/line/v0' })]),
  ]);
  assert.deepEqual(tableVersions(log, 'roc'), [{ step: 0, path: 'media/table/roc_0.parquet' }]);
  assert.deepEqual(tableVersions(log, 'missing'), []);
});
