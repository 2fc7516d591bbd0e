import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHistogramsAnswer } from '@spyglass/protocol';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { useRunDatabase } from './support/run-database.js';

/** A history frame as the flusher writes it: steps, a numeric loss and histogram references as strings. */
function frameWithHistograms(steps: number[], keys: Record<string, (string | null)[]>): Uint8Array {
  const table = tableFromArrays({
    _step: BigInt64Array.from(steps.map(BigInt)),
    _timestamp: Float64Array.from(steps, (s) => 1_700_000_000 + s),
    loss: Float64Array.from(steps, (s) => 1 / (s + 1)),
    ...keys,
  });
  return tableToIPC(table, 'stream');
}

const reference = (bins: number[], values: number[]) => JSON.stringify({ _type: 'histogram', bins, values });

describe('RunDatabase histograms', () => {
  const store = useRunDatabase();

  test('histogram references in string columns become histograms; other strings and numbers do not', async () => {
    const frame = frameWithHistograms([0, 1, 2], {
      'gradients/fc.weight': [reference([0, 1, 2], [3, 4]), null, reference([-1, 0, 1], [5, 2])],
      phase: ['train', '{"_type":"image","path":"media/x.png"}', 'eval'],
    });
    await store.db.ingestFrame('h1', 0, frame);
    assert.deepEqual(await store.db.histogramNames('h1'), ['gradients/fc.weight']);
    assert.deepEqual(await store.db.metricNames('h1'), ['loss'], 'a histogram is not a line metric');
    assert.equal(await store.db.histogramCount('h1'), 2);
    assert.deepEqual(await store.db.histogramSeries('h1', 'gradients/fc.weight'), [
      { step: 0, bins: [0, 1, 2], values: [3, 4] },
      { step: 2, bins: [-1, 0, 1], values: [5, 2] },
    ]);
  });

  test('a frame ingested twice adds its histograms once', async () => {
    const frame = frameWithHistograms([0], { 'parameters/b': [reference([0, 1], [7])] });
    await store.db.ingestFrames('h2', [
      { seq: 0, payload: frame },
      { seq: 0, payload: frame },
    ]);
    await store.db.ingestFrame('h2', 0, frame);
    assert.equal(await store.db.histogramCount('h2'), 1);
  });

  test('a long series is thinned to about maxSteps histograms, first and last kept', async () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i * 10);
    const frame = frameWithHistograms(steps, { h: steps.map((s) => reference([s, s + 1], [1])) });
    await store.db.ingestFrame('h3', 0, frame);
    const series = await store.db.histogramSeries('h3', 'h', 100);
    assert.ok(series.length >= 100 && series.length <= 101, `${series.length} histograms`);
    assert.equal(series[0].step, 0);
    assert.equal(series.at(-1)?.step, 9990);
    const gaps = new Set(series.slice(1, -1).map((p, i) => p.step - series[i].step));
    assert.deepEqual([...gaps], [100], 'evenly spaced');
  });

  test('a malformed reference is skipped, the rest drawn', async () => {
    const frame = frameWithHistograms([0, 1], {
      h: ['{"_type":"histogram","bins":[0,1,2],"values":[1]}', reference([0, 1], [2])],
    });
    await store.db.ingestFrame('h4', 0, frame);
    assert.deepEqual(await store.db.histogramSeries('h4', 'h'), [{ step: 1, bins: [0, 1], values: [2] }]);
  });
});

describe('parseHistogramsAnswer', () => {
  test('keeps well-formed histograms per run, drops malformed ones, refuses an answer without runs', () => {
    const answer = parseHistogramsAnswer({
      runs: {
        a: [
          { step: 0, bins: [0, 1, 2], values: [1, 2] },
          { step: 5, bins: [0, 1], values: [1, 2] },
          { step: 'x', bins: [0, 1], values: [1] },
        ],
        b: 'not a list',
      },
      skipped: { c: 'no such run (deleted?)' },
    });
    assert.deepEqual(answer, {
      runs: { a: [{ step: 0, bins: [0, 1, 2], values: [1, 2] }] },
      skipped: { c: 'no such run (deleted?)' },
    });
    assert.throws(() => parseHistogramsAnswer({ skipped: {} }), /no "runs" object/);
  });
});
