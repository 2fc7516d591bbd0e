import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolError, ProtocolVersionError } from '../src/errors.js';
import { parseMessage } from '../src/guards.js';
import { PROTOCOL_MAJOR, PROTOCOL_MINOR } from '../src/version.js';

const run = {
  run_id: 'k3x9q2ab',
  project: 'demo',
  name: 'k3x9q2ab',
  run_dir: '/tmp/spyglass/demo/k3x9q2ab',
  state: 'running',
  created_at: 1764280000.5,
  config: { lr: 0.001 },
};
const hello = {
  kind: 'hello',
  protocol: { major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR },
  package_version: '0.1.0',
  runs: [run],
};
const chunk = { run_id: 'k3x9q2ab', seq: 0, rows: 3, total_bytes: 100, offset: 0 };

/** Asserts that parsing `value` throws a ProtocolError for `field` (named in the text too), not another error. */
function rejects(value: unknown, field: string, buffers = 0): void {
  // A value that is not an object at all is blamed on 'kind' without quoting it in the text.
  const wholeMessage = typeof value !== 'object' || value === null || Array.isArray(value);
  assert.throws(
    () => parseMessage(value, buffers),
    (e: unknown) =>
      e instanceof ProtocolError && e.field === field && (wholeMessage || e.message.includes(field)),
    `expected a ProtocolError naming '${field}'`,
  );
}

describe('parseMessage', () => {
  test('accepts every kind of well-formed message', () => {
    assert.deepEqual(parseMessage(hello), hello);
    assert.deepEqual(parseMessage({ kind: 'run_updated', run }), { kind: 'run_updated', run });
    const frames = { kind: 'frames', chunks: [chunk], reply_to: null };
    assert.deepEqual(parseMessage(frames, 1), frames);
    const replay = { kind: 'replay', request_id: 'r1', run_id: 'k3x9q2ab', after_seq: -1 };
    assert.deepEqual(parseMessage(replay), replay);
    const error = { kind: 'error', code: 'unknown_run', message: 'no such run', reply_to: 'r1' };
    assert.deepEqual(parseMessage(error), error);
  });

  test('a hello from a newer minor is accepted (minors are additive)', () => {
    const newer = { ...hello, protocol: { major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR + 5 }, extra: true };
    assert.equal(parseMessage(newer).kind, 'hello');
  });

  test('a hello from a newer major is refused with a ProtocolVersionError that says what to do', () => {
    const newer = { ...hello, protocol: { major: PROTOCOL_MAJOR + 1, minor: 0 } };
    assert.throws(
      () => parseMessage(newer),
      (e: unknown) =>
        e instanceof ProtocolVersionError &&
        e instanceof ProtocolError &&
        e.theirs.major === PROTOCOL_MAJOR + 1 &&
        e.ours.major === PROTOCOL_MAJOR &&
        /Upgrade/.test(e.message) &&
        /reload/.test(e.message),
    );
  });

  test('malformed messages throw ProtocolError naming the field', () => {
    rejects(null, 'kind');
    rejects([hello], 'kind');
    rejects({ kind: 'bogus' }, 'kind');
    rejects({ ...hello, protocol: '1.0' }, 'protocol');
    rejects({ ...hello, protocol: { major: '1', minor: 0 } }, 'major');
    rejects({ ...hello, runs: {} }, 'runs');
    rejects({ ...hello, package_version: 1 }, 'package_version');
    rejects({ kind: 'run_updated', run: { ...run, state: 'paused' } }, 'state');
    rejects({ kind: 'run_updated', run: { ...run, config: [] } }, 'config');
    rejects({ kind: 'run_updated', run: { ...run, created_at: '2026' } }, 'created_at');
    rejects({ kind: 'run_updated', run: { ...run, run_dir: undefined } }, 'run_dir');
    rejects({ kind: 'frames', chunks: [{ ...chunk, seq: 1.5 }], reply_to: null }, 'seq', 1);
    rejects({ kind: 'frames', chunks: [{ ...chunk, total_bytes: null }], reply_to: null }, 'total_bytes', 1);
    rejects({ kind: 'frames', chunks: [chunk], reply_to: 3 }, 'reply_to', 1);
    rejects({ kind: 'replay', request_id: 'r1', run_id: 'x', after_seq: '3' }, 'after_seq');
    rejects({ kind: 'error', code: 'x', reply_to: null }, 'message');
  });

  test('protocol 1.1: a chunk or replay may name a stream, kept only when present', () => {
    const frames = { kind: 'frames', chunks: [{ ...chunk, stream: 'system' }, chunk], reply_to: null };
    assert.deepEqual(parseMessage(frames, 2), frames);
    const replay = { kind: 'replay', request_id: 'r1', run_id: 'k3x9q2ab', after_seq: -1, stream: 'system' };
    assert.deepEqual(parseMessage(replay), replay);
    const plain = parseMessage({ kind: 'replay', request_id: 'r1', run_id: 'x', after_seq: -1 });
    assert.ok(!('stream' in plain), 'a 1.0 replay decodes without a stream field');
  });

  test('protocol 1.2: a run may carry degraded (kept only when present); a malformed one is refused', () => {
    const degraded = {
      reason: 'disk full',
      path: '/tmp/spyglass/demo/k3x9q2ab/history.sglog',
      message: 'could not append frame 3: disk full',
      since: 1764280010.5,
      unstored_rows: 120,
      dropped_rows: 0,
    };
    const updated = { kind: 'run_updated', run: { ...run, degraded } };
    assert.deepEqual(parseMessage(updated), updated);
    const healthy = parseMessage({ kind: 'run_updated', run: { ...run, degraded: null } });
    assert.ok(healthy.kind === 'run_updated' && !('degraded' in healthy.run), 'null reads as healthy');
    rejects({ kind: 'run_updated', run: { ...run, degraded: 'disk full' } }, 'degraded');
    rejects({ kind: 'run_updated', run: { ...run, degraded: { path: '/x' } } }, 'degraded');
  });

  test('a stream other than history or system is refused naming the field', () => {
    rejects({ kind: 'frames', chunks: [{ ...chunk, stream: 'gpu' }], reply_to: null }, 'stream', 1);
    rejects({ kind: 'frames', chunks: [{ ...chunk, stream: null }], reply_to: null }, 'stream', 1);
    rejects({ kind: 'replay', request_id: 'r1', run_id: 'x', after_seq: -1, stream: 1 }, 'stream');
  });

  test('a frames message whose chunk count differs from its buffer count is refused', () => {
    rejects({ kind: 'frames', chunks: [chunk, chunk], reply_to: null }, 'chunks', 1);
    rejects({ kind: 'frames', chunks: [chunk], reply_to: null }, 'chunks', 0);
  });
});
