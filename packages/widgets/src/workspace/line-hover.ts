import { xTitleOf } from './chart-context.js';

/** One drawn line, its points sorted by x (display units), as the hover lookup searches them. */
export interface HoverLine {
  run: string;
  xs: Float64Array;
  ys: Float64Array;
}

export interface HoverHit {
  run: string;
  x: number;
  y: number;
  /** Pixel distance from the pointer. */
  distance: number;
}

/** Index of the x in a sorted array closest to `x` (binary search). */
function closestIndex(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x) ? lo - 1 : lo;
}

/**
 * The drawn point nearest the pointer (pixel coordinates inside the plot), within `maxDistance` pixels.
 * Replaces a per-vertex tooltip layer: one binary search per line instead of 100k encoded tooltip objects.
 */
export function nearestPoint(
  lines: readonly HoverLine[],
  px: number,
  py: number,
  xScale: (x: number) => number,
  xInvert: (px: number) => number,
  yScale: (y: number) => number,
  maxDistance = 12,
): HoverHit | null {
  const target = xInvert(px);
  let best: HoverHit | null = null;
  for (const line of lines) {
    if (line.xs.length === 0) continue;
    // The vertex closest in x and its neighbours: on a steep segment the nearest in y can be one step away.
    const at = closestIndex(line.xs, target);
    for (let i = Math.max(0, at - 1); i <= Math.min(line.xs.length - 1, at + 1); i++) {
      const dx = xScale(line.xs[i]) - px;
      const dy = yScale(line.ys[i]) - py;
      const distance = Math.hypot(dx, dy);
      if (Number.isFinite(distance) && distance <= maxDistance && (!best || distance < best.distance))
        best = { run: line.run, x: line.xs[i], y: line.ys[i], distance };
    }
  }
  return best;
}

/** The tooltip text of a hovered point: run name, x (a date on the wall-time axis) and the metric's value. */
export function describeHit(
  hit: { x: number; y: number },
  shown: { axis: string; name: string; metric: string },
): string {
  const xText =
    shown.axis === 'wall'
      ? new Date(hit.x).toISOString().replace('T', ' ').slice(0, 19)
      : formatNumber(hit.x);
  return `${shown.name}\n${xTitleOf(shown.axis)}: ${xText}\n${shown.metric}: ${formatNumber(hit.y)}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
