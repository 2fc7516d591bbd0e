import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ProtocolError } from '../src/errors.js';
import { fixturePath } from '../src/fixtures.js';
import { isSweepLive, parseSweepOutput, parseSweepSnapshot } from '../src/sweep-snapshot.js';

const golden = () => JSON.parse(readFileSync(fixturePath('sweep', 'snapshot.json'), 'utf8'));

test('the golden sweep snapshot parses to exactly what it holds', () => {
  const raw = golden();
  const snapshot = parseSweepSnapshot(raw);
  assert.deepEqual(snapshot, raw);
});

test('the golden snapshot covers every trial state the panel distinguishes, and the counts agree with it', () => {
  const { trials, counts, sweep } = parseSweepSnapshot(golden());
  assert.equal(trials.length, 12);
  const states = (s: string) => trials.filter((t) => t.state === s).length;
  assert.equal(states('finished'), counts.done);
  assert.equal(states('running'), counts.running);
  assert.equal(states('failed'), counts.failed);
  assert.equal(states('stopped_early'), counts.stopped_early);
  assert.equal(counts.total, sweep.run_cap);
  assert.equal(counts.left, (counts.total ?? 0) - trials.length);
  assert.ok(trials.find((t) => t.state === 'failed')?.error?.startsWith('Traceback'));
  assert.ok(trials.filter((t) => t.state === 'stopped_early').every((t) => t.stopped_reason));
  assert.deepEqual(
    sweep.parameters.map((p) => [p.name, p.kind, p.log]),
    [
      ['optimizer.lr', 'continuous', true],
      ['optimizer.name', 'categorical', false],
      ['model.layers', 'integer', false],
      ['model.dropout', 'continuous', false],
      ['train.epochs', 'constant', false],
    ],
  );
  for (const t of trials)
    assert.deepEqual(Object.keys(t.params).sort(), sweep.parameters.map((p) => p.name).sort());
});

test('a wrong field is named in the error', () => {
  const raw = golden();
  raw.trials[3].state = 'exploded';
  assert.throws(
    () => parseSweepSnapshot(raw),
    (e: unknown) => e instanceof ProtocolError && e.field === 'trials[3].state',
  );
  const noCounts = { ...golden(), counts: undefined };
  assert.throws(() => parseSweepSnapshot(noCounts), /'counts'/);
  const badParam = golden();
  badParam.trials[0].params['optimizer.lr'] = { nested: true };
  assert.throws(() => parseSweepSnapshot(badParam), /trials\[0\]\.params\.optimizer\.lr/);
});

test('optional fields may be missing (an older writer) and read as null or empty', () => {
  const raw = golden();
  delete raw.importance;
  delete raw.warnings;
  delete raw.sweep.early_terminate;
  delete raw.trials[0].agent;
  const snapshot = parseSweepSnapshot(raw);
  assert.equal(snapshot.importance, null);
  assert.deepEqual(snapshot.warnings, []);
  assert.equal(snapshot.sweep.early_terminate, null);
  assert.equal(snapshot.trials[0].agent, null);
});

test('the output bundle carries the sweep directory and a valid snapshot', () => {
  const data = parseSweepOutput({
    sweep_dir: '/s/p/.sweeps/k3',
    sweep_id: 'k3',
    project: 'p',
    snapshot: golden(),
  });
  assert.equal(data.snapshot.trials.length, 12);
  assert.throws(() => parseSweepOutput({ sweep_id: 'k3', project: 'p', snapshot: golden() }), /sweep_dir/);
});

test('a running or paused sweep is live; a stopped or finished one is not', () => {
  assert.deepEqual((['running', 'paused', 'stopped', 'finished'] as const).map(isSweepLive), [
    true,
    true,
    false,
    false,
  ]);
});
