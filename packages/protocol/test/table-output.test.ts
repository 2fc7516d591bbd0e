import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTableOutput } from '../src/table-output.js';

const logged = {
  run_dir: '/store/p/r1',
  path: 'media/table/preds_0_abcd1234.parquet',
  key: 'preds',
  step: 0,
  nrows: 3,
  columns: [{ name: 'id', type: 'integer' }],
  inline_arrow: null,
  spec: null,
};

test('a logged table output parses as is', () => {
  assert.deepEqual(parseTableOutput(logged), { kind: 'ok', data: logged });
});

test('an inline table needs no run directory', () => {
  const inline = { ...logged, run_dir: null, path: null, key: null, step: null, inline_arrow: 'QUJD' };
  assert.equal(parseTableOutput(inline).kind, 'ok');
});

test('an sg.plot output keeps its Vega-Lite spec; a spec that is not an object is dropped', () => {
  const spec = { mark: 'line', data: { name: 'table' } };
  const plot = parseTableOutput({ ...logged, spec });
  assert.deepEqual(plot.kind === 'ok' && plot.data.spec, spec);
  const odd = parseTableOutput({ ...logged, spec: 'alert(1)' });
  assert.equal(odd.kind === 'ok' && odd.data.spec, null);
});

test('malformed outputs are refused with a reason', () => {
  const cases: [unknown, RegExp][] = [
    [null, /object/],
    [{ ...logged, nrows: -1 }, /nrows/],
    [{ ...logged, columns: [{ name: 1 }] }, /columns/],
    [{ ...logged, step: 1.5 }, /step/],
    [{ ...logged, run_dir: null, inline_arrow: null }, /neither/],
  ];
  for (const [value, reason] of cases) {
    const parsed = parseTableOutput(value);
    assert.equal(parsed.kind, 'invalid');
    if (parsed.kind === 'invalid') assert.match(parsed.reason, reason);
  }
});
