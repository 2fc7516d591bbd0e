/**
 * How a workspace chart paints its per-run lines (DOM-free so it is unit-tested; the widget hands it a canvas
 * context). The styles mirror `workspaceLineSpec`, which draws the same lines in exported files.
 */

/** One run's line as drawn: points sorted by x in display units; `smoothed` (EMA) is drawn over a faded raw line. */
export interface DrawnLine {
  run: string;
  xs: Float64Array;
  ys: Float64Array;
  smoothed: Float64Array | null;
}

export interface Stroke {
  opacity: number;
  width: number;
}

/** What a path is traced into: a CanvasRenderingContext2D, or a recorder in tests. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/** The raw line's opacity under its smoothed line. */
export const FADED_RAW = 0.25;
/** The most a run not highlighted shows while others are. */
export const DIMMED = 0.12;
/**
 * One CSS pixel: at that width the rasterizer strokes 100 long lines as hairlines, several times faster than
 * 1.5 px outlines (on a software canvas it decides whether a zoom repaints within budget).
 */
export const LINE_WIDTH = 1;
export const HIGHLIGHT_WIDTH = 3;

/** The strokes of one run: the raw line, and the smoothed one when smoothing (null otherwise). */
export function lineStrokes(
  run: string,
  highlight: ReadonlySet<string>,
  smoothing: boolean,
): { raw: Stroke; smoothed: Stroke | null } {
  const active = highlight.size > 0;
  const lit = highlight.has(run);
  const width = active && lit ? HIGHLIGHT_WIDTH : LINE_WIDTH;
  const stroke = (base: number): Stroke => ({
    opacity: active && !lit ? Math.min(base, DIMMED) : base,
    width,
  });
  return smoothing ? { raw: stroke(FADED_RAW), smoothed: stroke(1) } : { raw: stroke(1), smoothed: null };
}

/** Highlighted runs are painted last, so they stay on top of the dimmed ones. */
export function drawOrder<T extends { run: string }>(
  lines: readonly T[],
  highlight: ReadonlySet<string>,
): T[] {
  if (highlight.size === 0) return [...lines];
  return [...lines.filter((l) => !highlight.has(l.run)), ...lines.filter((l) => highlight.has(l.run))];
}

/**
 * Traces one line through the chart's scales. A point the scales cannot place (not finite, or ≤ 0 on a log axis)
 * is skipped and the line joins its neighbours, as the exported spec's filter does. Returns the vertices traced.
 */
export function tracePolyline(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  scaleX: (x: number) => number,
  scaleY: (y: number) => number,
  sink: PathSink,
  axes: { logX?: boolean; logY?: boolean } = {},
): number {
  let traced = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y) || (axes.logX && x <= 0) || (axes.logY && y <= 0))
      continue;
    const px = scaleX(x);
    const py = scaleY(y);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    if (traced === 0) sink.moveTo(px, py);
    else sink.lineTo(px, py);
    traced++;
  }
  return traced;
}

/** A series as the data layer returns it, sorted by x and converted to display units, non-finite x dropped. */
export function drawnLineOf(
  run: string,
  points: readonly { x: number; y: number }[],
  raw: readonly { y: number }[] | null,
  toDisplay: (x: number) => number,
): DrawnLine {
  const order: number[] = [];
  for (let i = 0; i < points.length; i++) if (Number.isFinite(points[i].x)) order.push(i);
  if (order.some((i, k) => k > 0 && points[i].x < points[order[k - 1]].x))
    order.sort((a, b) => points[a].x - points[b].x);
  const xs = Float64Array.from(order, (i) => toDisplay(points[i].x));
  if (!raw) return { run, xs, ys: Float64Array.from(order, (i) => points[i].y), smoothed: null };
  return {
    run,
    xs,
    ys: Float64Array.from(order, (i) => raw[i]?.y ?? Number.NaN),
    smoothed: Float64Array.from(order, (i) => points[i].y),
  };
}
