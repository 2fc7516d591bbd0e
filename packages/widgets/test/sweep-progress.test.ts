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
  progressText,
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

/** The fixture as a random sweep with no run_cap after `sg.agent(..., count=8)` ran its eight trials. */
function countedSweep(state: 'running' | 'finished', total: number | null): SweepSnapshot {
  const s = fixture();
  s.sweep.state = state;
  s.sweep.run_cap = null;
  s.trials = s.trials.slice(0, 8).map((t) => ({ ...t, state: 'finished', ended_at: t.started_at ?? 1 }));
  s.counts = { done: 8, running: 0, failed: 0, stopped_early: 0, left: total === null ? null : 0, total };
  return s;
}

test('a sweep whose agent count ran out reads finished: "8 of 8 trials", no "no cap", a complete bar', () => {
  const s = countedSweep('finished', 8);
  assert.equal(progressText(s), '8 done · 0 running · 8 of 8 trials');
  const p = sweepProgress(s);
  assert.equal(p.complete, true);
  assert.deepEqual(
    p.segments.map((x) => [x.kind, x.fraction]),
    [['done', 1]],
  );
});

test('a live capped sweep says how far it is and what is left; an uncapped one says "no cap"', () => {
  const s = fixture();
  assert.equal(progressText(s), '7 done · 2 running · 12 of 20 trials · 8 left · 2 stopped early · 1 failed');
  assert.equal(sweepProgress(s).complete, false);
  const uncapped = countedSweep('running', null);
  assert.equal(progressText(uncapped), '8 done · 0 running · no cap');
  assert.equal(sweepProgress(uncapped).complete, false, 'an uncapped running sweep may start more');
  const stopped = countedSweep('finished', null);
  stopped.sweep.state = 'stopped';
  assert.equal(progressText(stopped), '8 done · 0 running', 'an ended sweep without a cap shows no cap text');
});
