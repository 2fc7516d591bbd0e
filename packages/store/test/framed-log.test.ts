import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CorruptLogError, UnsupportedLogVersionError } from '../src/errors.js';
import { readFramedLog, readFramedLogPrefix } from '../src/framed-log.js';
import { concat, fileHeader, frame, framedLog } from './support/framed-log-writer.js';

const payloads = [
  Uint8Array.of(1, 2, 3),
  Uint8Array.of(),
  Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
];
const log = framedLog(payloads);
const lastStart = log.length - (24 + 300);

describe('readFramedLog', () => {
  test('an empty file has no frames and no torn tail', () => {
    assert.deepEqual(readFramedLog(new Uint8Array(0)), { frames: [], validEnd: 0, torn: null });
  });

  test('a file shorter than the header is a torn tail at 0', () => {
    for (let n = 1; n < 16; n++) {
      const result = readFramedLog(fileHeader().subarray(0, n));
      assert.deepEqual(result.torn?.offset, 0);
      assert.equal(result.validEnd, 0);
    }
  });

  test('a bad file magic or header checksum is corruption at 0', () => {
    for (const at of [0, 7, 12]) {
      const bad = fileHeader();
      bad[at] ^= 1;
      assert.throws(
        () => readFramedLog(bad),
        (e: unknown) => e instanceof CorruptLogError && e.offset === 0,
      );
    }
  });

  test('a newer format version is refused, not misread', () => {
    assert.throws(() => readFramedLog(fileHeader(2)), UnsupportedLogVersionError);
  });

  test('a valid log returns every frame with its seq, offset and payload', () => {
    const { frames, validEnd, torn } = readFramedLog(log);
    assert.deepEqual(
      frames.map((f) => [f.seq, f.offset, [...f.payload]]),
      payloads.map((p, i) => [i, [16, 43, 67][i], [...p]]),
    );
    assert.equal(validEnd, log.length);
    assert.equal(torn, null);
  });

  test('payloads are views into the input, not copies', () => {
    const { frames } = readFramedLog(log);
    assert.equal(frames[2].payload.buffer, log.buffer);
    assert.equal(frames[2].payload.byteOffset, lastStart + 24);
  });

  test('a log cut at any byte of the last frame returns the earlier frames and a torn tail', () => {
    for (let cut = lastStart; cut < log.length; cut++) {
      const result = readFramedLog(log.subarray(0, cut));
      assert.equal(result.frames.length, 2, `cut at ${cut}`);
      assert.equal(result.validEnd, lastStart);
      if (cut === lastStart) assert.equal(result.torn, null);
      else
        assert.equal(
          result.torn?.reason,
          cut - lastStart < 24 ? 'incomplete frame header' : 'incomplete frame payload',
        );
    }
  });

  test('a zero-filled tail after the last frame is a torn tail', () => {
    const result = readFramedLog(concat(log, new Uint8Array(100)));
    assert.equal(result.frames.length, 3);
    assert.deepEqual(result.torn, { offset: log.length, reason: 'zero-filled tail' });
  });

  test('a payload checksum mismatch in the last frame is a torn tail', () => {
    const bad = log.slice();
    bad[bad.length - 1] ^= 0x80;
    const result = readFramedLog(bad);
    assert.equal(result.frames.length, 2);
    assert.equal(result.torn?.offset, lastStart);
  });

  test('a flipped bit in a middle frame is corruption naming the offset and file', () => {
    const bad = log.slice();
    bad[16 + 24 + 1] ^= 0x04;
    assert.throws(
      () => readFramedLog(bad, { source: 'demo/run/history.sglog' }),
      (e: unknown) =>
        e instanceof CorruptLogError &&
        e.offset === 16 &&
        /demo\/run\/history\.sglog.*byte 16/.test(e.message),
    );
  });

  test('a damaged middle frame header is corruption, and the prefix API still returns what precedes it', () => {
    const bad = log.slice();
    bad[43 + 5] ^= 0x01;
    assert.throws(
      () => readFramedLog(bad),
      (e: unknown) => e instanceof CorruptLogError && e.offset === 43,
    );
    const prefix = readFramedLogPrefix(bad);
    assert.equal(prefix.frames.length, 1);
    assert.equal(prefix.validEnd, 43);
    assert.equal(prefix.corrupt?.offset, 43);
  });

  test('a sequence number that does not follow the previous one is corruption', () => {
    const skipped = concat(fileHeader(), frame(0, payloads[0]), frame(2, payloads[1]));
    assert.throws(
      () => readFramedLog(skipped),
      (e: unknown) => e instanceof CorruptLogError && e.offset === 43,
    );
    assert.throws(() => readFramedLog(framedLog(payloads, 5)), CorruptLogError);
  });

  test('anyFirstSeq accepts a slice that starts mid-log but still checks continuity', () => {
    const { frames } = readFramedLog(framedLog(payloads, 5), { anyFirstSeq: true });
    assert.deepEqual(
      frames.map((f) => f.seq),
      [5, 6, 7],
    );
    const gap = concat(fileHeader(), frame(5, payloads[0]), frame(7, payloads[1]));
    assert.throws(() => readFramedLog(gap, { anyFirstSeq: true }), CorruptLogError);
  });
});
