import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMessageFixtures } from '../src/fixtures.js';
import { parseMessage } from '../src/guards.js';
import type { Message } from '../src/messages.js';
import { PROTOCOL_MAJOR } from '../src/version.js';

const fixtures = loadMessageFixtures();

/** What each golden message named in the contract must decode to, beyond passing the guard. */
const expectations: Record<string, (message: Message, buffers: Uint8Array[]) => void> = {
  hello(m) {
    assert.equal(m.kind, 'hello');
    if (m.kind !== 'hello') return;
    assert.equal(m.protocol.major, PROTOCOL_MAJOR);
    assert.ok(m.package_version.length > 0);
  },
  run_updated(m) {
    assert.equal(m.kind, 'run_updated');
    if (m.kind !== 'run_updated') return;
    assert.ok(m.run.run_id && m.run.project && m.run.run_dir);
  },
  run_updated_degraded(m) {
    assert.equal(m.kind, 'run_updated');
    if (m.kind !== 'run_updated') return;
    assert.equal(m.run.degraded?.reason, 'disk full');
    assert.ok(m.run.degraded?.path.endsWith('history.sglog'));
    assert.ok((m.run.degraded?.unstored_rows ?? 0) > 0);
  },
  frames(m, buffers) {
    assert.equal(m.kind, 'frames');
    if (m.kind !== 'frames') return;
    assert.equal(m.chunks.length, 1);
    assert.equal(m.chunks[0].offset, 0);
    assert.equal(m.chunks[0].total_bytes, buffers[0].byteLength, 'one whole frame per buffer');
    assert.ok(m.chunks[0].rows > 0);
  },
  frames_chunked(m, buffers) {
    assert.equal(m.kind, 'frames');
    if (m.kind !== 'frames') return;
    assert.equal(m.chunks.length, 2);
    const [a, b] = m.chunks;
    assert.equal(a.run_id, b.run_id);
    assert.equal(a.seq, b.seq);
    assert.equal(a.total_bytes, b.total_bytes);
    assert.equal(a.offset, 0);
    assert.equal(b.offset, buffers[0].byteLength, 'the second chunk starts where the first ends');
    assert.equal(b.offset + buffers[1].byteLength, b.total_bytes, 'the chunks cover the payload exactly');
  },
  frames_system(m, buffers) {
    assert.equal(m.kind, 'frames');
    if (m.kind !== 'frames') return;
    const [system, history] = m.chunks;
    assert.equal(system.stream, 'system');
    assert.equal(history.stream, undefined, 'a history chunk carries no stream (absent means history)');
    assert.equal(system.seq, history.seq, 'each stream numbers its frames on its own');
    assert.equal(system.total_bytes, buffers[0].byteLength);
  },
  calls(m, buffers) {
    assert.equal(m.kind, 'calls');
    if (m.kind !== 'calls') return;
    assert.equal(m.frames.length, buffers.length);
    assert.equal(m.frames[0].total_bytes, buffers[0].byteLength, 'one whole frame per buffer');
    assert.equal(m.unsent_frames, 0);
    assert.ok(m.project && m.session_id && m.store_root);
  },
  replay_system(m) {
    assert.equal(m.kind, 'replay');
    if (m.kind !== 'replay') return;
    assert.equal(m.stream, 'system');
  },
  replay(m) {
    assert.equal(m.kind, 'replay');
    if (m.kind !== 'replay') return;
    assert.ok(m.request_id.length > 0);
    assert.ok(m.after_seq >= -1);
  },
  error(m) {
    assert.equal(m.kind, 'error');
    if (m.kind !== 'error') return;
    assert.ok(m.code.length > 0 && m.message.length > 0);
  },
};

test('the golden message fixtures exist, including every one the contract names', () => {
  assert.ok(fixtures.length > 0, 'packages/protocol/fixtures/messages/ holds no *.json fixtures');
  const names = new Set(fixtures.map((f) => f.name));
  for (const name of Object.keys(expectations)) assert.ok(names.has(name), `missing fixture ${name}.json`);
});

for (const fixture of fixtures) {
  test(`golden message ${fixture.name}.json passes the guard and decodes as described`, () => {
    assert.equal(typeof fixture.description, 'string');
    const message = parseMessage(fixture.data, fixture.buffers.length);
    assert.equal(message.kind, (fixture.data as { kind: string }).kind);
    // Guards return a fresh object of known fields only; a fixture with extra keys would differ here.
    assert.deepEqual(message, fixture.data);
    expectations[fixture.name]?.(message, fixture.buffers);
  });
}
