import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../src/crc32c.js';

const ascii = (s: string) => new TextEncoder().encode(s);

test('crc32c of "123456789" is the Castagnoli check value 0xE3069283', () => {
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
});

test('crc32c matches the RFC 3720 test vectors', () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('crc32c of nothing is 0', () => {
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('crc32c continued over pieces equals crc32c of the whole, at every split and alignment', () => {
  const data = Uint8Array.from({ length: 77 }, (_, i) => (i * 31 + 7) & 0xff);
  const whole = crc32c(data);
  for (let cut = 0; cut <= data.length; cut++) {
    assert.equal(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut))), whole, `split at ${cut}`);
  }
});
