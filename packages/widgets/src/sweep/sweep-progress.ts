import type { SweepSnapshot, SweepState, SweepTrial } from '@spyglass/protocol';
import { sweepMessages as m } from './sweep-messages.js';

/** What the header's progress bar and counts show. Widths are fractions of the bar, summing to at most 1. */
export interface SweepProgress {
  done: number;
  running: number;
  failed: number;
  stoppedEarly: number;
  stopped: number;
  left: number | null;
  total: number | null;
  /** Every planned trial has ended (the bar is all results, nothing running or to come). */
  complete: boolean;
  segments: { kind: 'done' | 'stopped_early' | 'failed' | 'running'; fraction: number }[];
}

/**
 * Progress from the snapshot's counts ('done' includes trials stopped by hand; the trials list tells how many).
 * The bar is scaled to the total, or to the sum when counts disagree, so it never overflows.
 */
export function sweepProgress(snapshot: SweepSnapshot): SweepProgress {
  const { counts, trials } = snapshot;
  const stopped = trials.filter((t) => t.state === 'stopped').length;
  const parts = {
    done: counts.done,
    stopped_early: counts.stopped_early,
    failed: counts.failed,
    running: counts.running,
  };
  const used = Object.values(parts).reduce((a, b) => a + b, 0);
  const scale = Math.max(counts.total ?? 0, used + (counts.left ?? 0), 1);
  return {
    done: counts.done,
    running: counts.running,
    failed: counts.failed,
    stoppedEarly: counts.stopped_early,
    stopped,
    left: counts.left,
    total: counts.total,
    complete:
      counts.running === 0 &&
      (snapshot.sweep.state === 'finished' || (counts.total !== null && trials.length >= counts.total)),
    segments: (Object.entries(parts) as [SweepProgress['segments'][number]['kind'], number][])
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => ({ kind, fraction: count / scale })),
  };
}

/**
 * The header's count line: done and running, then how far the sweep is ("3 of 8 trials", or "no cap" while an
 * unbounded sweep runs), then left (while live), stopped early, failed and stopped by hand when there are any.
 */
export function progressText(snapshot: SweepSnapshot): string {
  const p = sweepProgress(snapshot);
  // An ended sweep starts nothing more: what it did not run is not "left".
  const live = snapshot.sweep.state === 'running' || snapshot.sweep.state === 'paused';
  const parts = [m.done(p.done), m.running(p.running)];
  if (p.total !== null) parts.push(m.ofTotal(snapshot.trials.length, p.total));
  else if (live) parts.push(m.noCap);
  if (live && p.left !== null && p.left > 0) parts.push(m.left(p.left));
  if (p.stoppedEarly > 0) parts.push(m.stoppedEarly(p.stoppedEarly));
  if (p.failed > 0) parts.push(m.failed(p.failed));
  if (p.stopped > 0) parts.push(m.stopped(p.stopped));
  return parts.join(' · ');
}

/** Which sweep controls make sense in a state. */
export function availableControls(state: SweepState): { pause: boolean; resume: boolean; stop: boolean } {
  return {
    pause: state === 'running',
    resume: state === 'paused',
    stop: state === 'running' || state === 'paused',
  };
}

/** A trial that can still be stopped (while the sweep itself is live). */
export function isTrialStoppable(trial: SweepTrial, sweepState: SweepState): boolean {
  return (
    (trial.state === 'running' || trial.state === 'claimed') &&
    (sweepState === 'running' || sweepState === 'paused')
  );
}

/** The best trial by the sweep's goal among those with a metric, or null. */
export function bestTrial(snapshot: SweepSnapshot): SweepTrial | null {
  const sign = snapshot.sweep.metric?.goal === 'maximize' ? -1 : 1;
  let best: SweepTrial | null = null;
  for (const t of snapshot.trials) {
    if (t.metric === null || t.state === 'failed') continue;
    if (best === null || sign * t.metric < sign * (best.metric as number)) best = t;
  }
  return best;
}

/**
 * Warnings to show: the snapshot's own, plus one when trials have ended but none logged the metric (older writers
 * may not say so themselves).
 */
export function sweepWarnings(snapshot: SweepSnapshot, neverLogged: (metric: string) => string): string[] {
  const warnings = [...snapshot.warnings];
  const metric = snapshot.sweep.metric?.name;
  const ended = snapshot.trials.some((t) => t.ended_at !== null || t.state === 'finished');
  const logged = snapshot.trials.some((t) => t.metric !== null);
  if (metric && ended && !logged && !warnings.some((w) => w.includes(metric)))
    warnings.push(neverLogged(metric));
  return warnings;
}

/**
 * True when `candidate` shows less of the sweep than `current`: fewer trials, or fewer of them ended. Trials never
 * disappear, so such a snapshot is an old one that arrived late (a poll overtaken by a display update, or back).
 */
export function isSnapshotBehind(candidate: SweepSnapshot, current: SweepSnapshot): boolean {
  const ended = (s: SweepSnapshot) => s.trials.filter((t) => t.ended_at !== null).length;
  if (candidate.trials.length !== current.trials.length)
    return candidate.trials.length < current.trials.length;
  return ended(candidate) < ended(current);
}
