/**
 * Zoom arithmetic of a workspace line chart (DOM-free, unit-tested): every zoom — Ctrl/⌘+wheel, the zoom buttons,
 * a pan — is clamped to the data's x extent, so zooming out stops at the whole data instead of running into empty
 * negative steps.
 */
export type Range = [number, number];

/**
 * `range` moved and shrunk to lie within `extent`: wider than the extent gives the extent itself (null: nothing to
 * zoom), otherwise the range keeps its width and slides back inside. Invalid input gives null (show everything).
 */
export function clampRange(range: Range | null, extent: Range | null): Range | null {
  if (!range) return null;
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return null;
  if (!extent || !(extent[1] > extent[0])) return range;
  const [min, max] = extent;
  const width = hi - lo;
  if (width >= max - min) return null;
  if (lo < min) return [min, min + width];
  if (hi > max) return [max - width, max];
  return range;
}

/**
 * Zooms `range` by `factor` (< 1 in, > 1 out) about the point `fraction` (0..1) of the way across it, clamped to
 * `extent`. A null result means the whole extent is shown.
 */
export function zoomRange(
  range: Range,
  fraction: number,
  factor: number,
  extent: Range | null,
): Range | null {
  const [lo, hi] = range;
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0.5));
  const pivot = lo + f * (hi - lo);
  return clampRange([pivot - (pivot - lo) * factor, pivot + (hi - pivot) * factor], extent);
}

/** Pans `range` by `shift` times its width, clamped to `extent`. */
export function panRange(range: Range, shift: number, extent: Range | null): Range | null {
  const width = range[1] - range[0];
  return clampRange([range[0] + shift * width, range[1] + shift * width], extent);
}

/** The x extent of drawn lines (sorted xs), or null when none has a point. */
export function linesExtent(lines: readonly { xs: ArrayLike<number> }[]): Range | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { xs } of lines) {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (!Number.isFinite(x)) continue;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? [min, max] : null;
}
