import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES, type ErrorCode, isErrorCode } from '../src/error-codes.js';
import { fixturePath } from '../src/fixtures.js';
import * as protocol from '../src/index.js';

const fixture = JSON.parse(readFileSync(fixturePath('constants.json'), 'utf8'));

test('the exported constants are the values of fixtures/constants.json', () => {
  assert.deepEqual(
    { major: protocol.PROTOCOL_MAJOR, minor: protocol.PROTOCOL_MINOR },
    fixture.protocolVersion,
  );
  assert.equal(protocol.COMM_TARGET, fixture.commTarget);
  assert.equal(protocol.MAX_MESSAGE_BYTES, fixture.maxMessageBytes);
  assert.deepEqual(protocol.MIME_TYPES, fixture.mimeTypes);
  assert.deepEqual(
    {
      run: protocol.RUN_MIME_TYPE,
      table: protocol.TABLE_MIME_TYPE,
      sweep: protocol.SWEEP_MIME_TYPE,
      workspace: protocol.WORKSPACE_MIME_TYPE,
      lineage: protocol.LINEAGE_MIME_TYPE,
      traces: protocol.TRACES_MIME_TYPE,
      evals: protocol.EVALS_MIME_TYPE,
    },
    fixture.mimeTypes,
  );
  assert.deepEqual(protocol.RUN_PALETTE, fixture.palette);
});

test('every Spyglass MIME type is a versioned vnd.spyglass JSON type', () => {
  for (const [what, mime] of Object.entries(protocol.MIME_TYPES)) {
    assert.equal(mime, `application/vnd.spyglass.${what}.v1+json`);
  }
});

test('the palette holds 20 distinct hex colours', () => {
  assert.equal(protocol.RUN_PALETTE.length, 20);
  assert.equal(new Set(protocol.RUN_PALETTE).size, 20);
  for (const colour of protocol.RUN_PALETTE) assert.match(colour, /^#[0-9a-f]{6}$/);
});

test('the ErrorCode union and the fixture list the same error codes', () => {
  // A Record over the union: the compiler refuses a missing or an extra code here.
  const union: Record<ErrorCode, true> = {
    bad_message: true,
    internal: true,
    protocol_major: true,
    unknown_run: true,
  };
  assert.deepEqual([...ERROR_CODES].sort(), Object.keys(union).sort());
  assert.deepEqual([...ERROR_CODES].sort(), Object.keys(fixture.errorCodes).sort());
  for (const meaning of Object.values(fixture.errorCodes)) assert.ok(String(meaning).length > 0);
});

test('isErrorCode accepts the listed codes only', () => {
  for (const code of ERROR_CODES) assert.ok(isErrorCode(code));
  for (const other of ['', 'x', 'UNKNOWN_RUN', 1, null, undefined]) assert.equal(isErrorCode(other), false);
});

test('an error message with a code outside the list is refused, naming the field', () => {
  assert.throws(
    () => protocol.parseMessage({ kind: 'error', code: 'teapot', message: 'm', reply_to: null }, 0),
    (error: unknown) => error instanceof protocol.ProtocolError && error.field === 'code',
  );
});
