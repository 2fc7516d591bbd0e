import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixturePath } from '@spyglass/protocol/fixtures';
import { tableFromIPC } from 'apache-arrow';
import { CorruptLogError } from '../src/errors.js';
import { readFramedLog, readFramedLogPrefix } from '../src/framed-log.js';

/** cases.json, written by the Python storage tests: what every reader must return for each golden file. */
interface GoldenCase {
  frames: { seq: number; rows: number; columns: Record<string, unknown[]> }[];
  valid_end: number;
  torn: { offset: number; reason: string } | null;
  corrupt: { offset: number } | null;
}

const CONTRACT_FILES = [
  'valid.sglog',
  'torn-header.sglog',
  'torn-payload.sglog',
  'zero-tail.sglog',
  'bad-crc-last.sglog',
  'corrupt-middle.sglog',
  'empty.sglog',
];

function loadCases(): Record<string, GoldenCase> | null {
  try {
    return JSON.parse(readFileSync(fixturePath('framed-log', 'cases.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Arrow values as JSON would hold them: 64-bit integers as numbers. */
const plain = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

const cases = loadCases();

test('the golden framed logs exist, including every file the contract names', () => {
  assert.ok(cases, 'packages/protocol/fixtures/framed-log/cases.json is missing');
  for (const file of CONTRACT_FILES) assert.ok(file in cases, `cases.json has no entry for ${file}`);
});

for (const [file, expected] of Object.entries(cases ?? {})) {
  test(`golden framed log ${file} reads exactly as cases.json says`, () => {
    const bytes = new Uint8Array(readFileSync(fixturePath('framed-log', file)));
    const prefix = readFramedLogPrefix(bytes);
    assert.equal(prefix.validEnd, expected.valid_end, 'valid_end');
    assert.deepEqual(prefix.torn, expected.torn, 'torn tail (offset and reason)');
    assert.equal(prefix.corrupt?.offset ?? null, expected.corrupt?.offset ?? null, 'corrupt offset');
    if (expected.corrupt) {
      assert.throws(
        () => readFramedLog(bytes),
        (e: unknown) => e instanceof CorruptLogError && e.offset === expected.corrupt?.offset,
      );
    }
    assert.deepEqual(
      prefix.frames.map((f) => f.seq),
      expected.frames.map((f) => f.seq),
      'seqs',
    );
    prefix.frames.forEach((frame, i) => {
      const table = tableFromIPC(frame.payload);
      const want = expected.frames[i];
      assert.equal(table.numRows, want.rows, `rows of frame ${frame.seq}`);
      for (const [name, values] of Object.entries(want.columns)) {
        const column = table.getChild(name);
        assert.ok(column, `frame ${frame.seq} has column ${name}`);
        assert.deepEqual(Array.from(column, plain), values, `frame ${frame.seq} column ${name}`);
      }
    });
  });
}
