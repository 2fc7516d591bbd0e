import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { IngestError } from '../../src/errors.js';
import { planIngest } from '../../src/live/ingest-plan.js';
import { historyIPC } from '../support/history-batch.js';

test('consecutive frames with the same numeric columns are concatenated into one stream', () => {
  const frames = [
    { seq: 0, payload: historyIPC([0, 1], { loss: [1, 2] }) },
    { seq: 1, payload: historyIPC([2], { loss: [3] }) },
    { seq: 2, payload: historyIPC([3], { loss: [4], acc: [5] }) },
    { seq: 3, payload: historyIPC([4], { loss: [6] }) },
  ];
  const plan = planIngest('r', frames);
  assert.deepEqual(plan.metrics, ['loss', 'acc']);
  assert.deepEqual(
    plan.groups.map((g) => [g.slots, g.frames]),
    [
      [
        [0],
        [
          { seq: 0, rows: 2 },
          { seq: 1, rows: 1 },
        ],
      ],
      [[0, 1], [{ seq: 2, rows: 1 }]],
      [[0], [{ seq: 3, rows: 1 }]],
    ],
  );
  const merged = tableFromIPC(plan.groups[0].ipc);
  assert.deepEqual(
    merged.schema.fields.map((f) => f.name),
    ['_step', '_timestamp', 'm0'],
  );
  assert.deepEqual(Array.from(merged.getChild('m0') ?? [], Number), [1, 2, 3]);
});

test('metric columns are staged under slot names, so names that differ only in case stay apart', () => {
  const payload = tableToIPC(
    tableFromArrays({ _step: BigInt64Array.of(0n), Loss: [1], loss: [2] }),
    'stream',
  );
  const plan = planIngest('r', [{ seq: 0, payload }]);
  assert.deepEqual(plan.metrics, ['Loss', 'loss']);
  const staged = tableFromIPC(plan.groups[0].ipc);
  assert.deepEqual([staged.getChild('m0')?.get(0), staged.getChild('m1')?.get(0)], [1, 2]);
});

test('string and reserved columns are dropped before concatenating, so dictionaries never need merging', () => {
  const frame = (seq: number, phase: string) => ({
    seq,
    payload: tableToIPC(
      tableFromArrays({ _step: BigInt64Array.of(BigInt(seq)), _runtime: [0.5], loss: [seq], phase: [phase] }),
      'stream',
    ),
  });
  const { groups } = planIngest('r', [frame(0, 'train'), frame(1, 'eval')]);
  assert.equal(groups.length, 1);
  assert.deepEqual(
    tableFromIPC(groups[0].ipc).schema.fields.map((f) => f.name),
    ['_step', 'm0'],
  );
  assert.equal(groups[0].hasTimestamp, false);
});

test('a frame without _step or not in Arrow format is an IngestError naming its seq', () => {
  assert.throws(
    () => planIngest('r', [{ seq: 7, payload: Uint8Array.of(0, 1, 2) }]),
    (e: unknown) => e instanceof IngestError && e.seq === 7 && e.runId === 'r',
  );
  const noStep = tableToIPC(tableFromArrays({ loss: [1] }), 'stream');
  assert.throws(
    () => planIngest('r', [{ seq: 8, payload: noStep }]),
    /frame 8 of run r: the payload has no _step/,
  );
});
