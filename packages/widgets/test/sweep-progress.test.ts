import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSweepSnapshot, type SweepSnapshot } from '@spyglass/protocol';
import { fixturePath } from '@spyglass/protocol/fixtures';
import {
  availableControls,
  bestTrial,
  isSnapshotBehind,
  isTrialStoppable,
  sweepProgress,
  sweepWarnings,
} from '../src/sweep/sweep-progress.js';

const fixture = (): SweepSnapshot =>
  parseSweepSnapshot(JSON.parse(readFileSync(fixturePath('sweep', 'snapshot.json'), 'utf8')));

test('progress counts done, running and left, with bar segments as fractions of the total', () => {
  const p = sweepProgress(fixture());
  assert.deepEqual([p.done, p.running, p.left, p.failed, p.stoppedEarly], [7, 2, 8, 1, 2]);
  assert.deepEqual(
    p.segments.map((s) => [s.kind, s.fraction]),
    [
      ['done', 7 / 20],
      ['stopped_early', 2 / 20],
      ['failed', 1 / 20],
      ['running', 2 / 20],
    ],
  );
});

test('the bar never overflows when counts add up to more than the total', () => {
  const s = fixture();
  s.counts = { ...s.counts, done: 30, total: 20, left: 0 };
  const sum = sweepProgress(s).segments.reduce((a, b) => a + b.fraction, 0);
  assert.ok(sum <= 1 + 1e-12, `segments sum to ${sum}`);
});

test('controls follow the sweep state, and only live trials of a live sweep can be stopped', () => {
  assert.deepEqual(availableControls('running'), { pause: true, resume: false, stop: true });
  assert.deepEqual(availableControls('paused'), { pause: false, resume: true, stop: true });
  assert.deepEqual(availableControls('finished'), { pause: false, resume: false, stop: false });
  const s = fixture();
  assert.deepEqual(
    s.trials.filter((t) => isTrialStoppable(t, 'running')).map((t) => t.index),
    [10, 11],
  );
  assert.equal(isTrialStoppable(s.trials[10], 'stopped'), false);
});

test('the best trial follows the goal and ignores failed trials', () => {
  const s = fixture();
  assert.equal(bestTrial(s)?.index, 8);
  s.sweep.metric = { name: 'val/loss', goal: 'maximize' };
  assert.equal(bestTrial(s)?.index, 4);
});

test('a metric no trial ever logged is warned about, once', () => {
  const s = fixture();
  for (const t of s.trials) t.metric = null;
  s.warnings = [];
  const warnings = sweepWarnings(s, (m) => `never logged ${m}`);
  assert.deepEqual(warnings, ['never logged val/loss']);
  s.warnings = ['The metric "val/loss" was never logged; bayes falls back to random.'];
  assert.equal(sweepWarnings(s, (m) => `never logged ${m}`).length, 1);
  assert.equal(sweepWarnings(fixture(), (m) => m).length, 1, 'the fixture warning only');
});

test('a late snapshot with fewer trials, or fewer ended, is behind; a state change alone is not', () => {
  const now = fixture();
  const older = { ...now, trials: now.trials.slice(0, 11) };
  assert.equal(isSnapshotBehind(older, now), true);
  assert.equal(isSnapshotBehind(now, older), false);
  const unfinished = fixture();
  unfinished.trials[9].ended_at = null;
  assert.equal(isSnapshotBehind(unfinished, now), true);
  const paused = fixture();
  paused.sweep.state = 'paused';
  assert.equal(isSnapshotBehind(paused, now), false);
});
