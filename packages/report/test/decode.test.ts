import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { base64Bytes, decodeSeries, inflate } from '../src/decode.js';

describe('decode', () => {
  test('inflates zlib data and reads i32-delta x with float32 y, as the Python builder writes them', async () => {
    const block = Buffer.alloc(3 * 4 + 3 * 4);
    for (const [i, d] of [0, 10, 10].entries()) block.writeInt32LE(d, i * 4);
    for (const [i, v] of [1.5, -2, 3].entries()) block.writeFloatLE(v, 12 + i * 4);
    const text = deflateSync(block).toString('base64');
    const bytes = await inflate(base64Bytes(text));
    const { x, y } = decodeSeries(bytes, {
      run: 'r',
      n: 3,
      x: 'i32-delta',
      offset: 0,
      m4: false,
      raw_points: 3,
    });
    assert.deepEqual([...x], [0, 10, 20]);
    assert.deepEqual([...y], [1.5, -2, 3]);
  });

  test('refuses a series that lies outside the block', () => {
    assert.throws(() =>
      decodeSeries(new Uint8Array(8), { run: 'r', n: 3, x: 'f64', offset: 0, m4: false, raw_points: 3 }),
    );
  });
});
