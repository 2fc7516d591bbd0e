import { readFileSync } from 'node:fs';
import { parseSweepSnapshot, type SweepSnapshot } from '@spyglass/protocol';
import { fixturePath } from '@spyglass/protocol/fixtures';

/** The golden sweep snapshot (12 trials: finished, running, failed, stopped early), parsed afresh each call. */
export function sweepFixture(): SweepSnapshot {
  return parseSweepSnapshot(JSON.parse(readFileSync(fixturePath('sweep', 'snapshot.json'), 'utf8')));
}

/** The `d` attributes of every path of one mark type (line, rect, area, rule) in an SVG. */
export function markPaths(svg: string, type: string): string[] {
  const marks = svg.match(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>.*?</g>`, 'gs')) ?? [];
  return marks.flatMap((g) => [...g.matchAll(/<path [^>]*d="([^"]*)"/g)].map((m) => m[1]));
}

/** How many items a mark group of `type` drew (symbols, rects, texts: one element each). */
export function markCount(svg: string, type: string, element = 'path'): number {
  const marks = svg.match(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>.*?</g>`, 'gs')) ?? [];
  return marks.reduce((n, g) => n + (g.match(new RegExp(`<${element}[ >]`, 'g')) ?? []).length, 0);
}

/** The snapshot as it looked when only the first `n` trials existed (for update-in-place tests). */
export function firstTrials(snapshot: SweepSnapshot, n: number): SweepSnapshot {
  return { ...snapshot, trials: snapshot.trials.slice(0, n) };
}
