import { clampRange, LINE_PARAMS, panRange, type Range, zoomRange } from '@spyglass/charts';
import type { View } from 'vega';

/** What the zoom gestures read and drive on a line chart. */
export interface ZoomTarget {
  view(): View | null;
  /** The x range shown (data units), or null for everything. */
  range(): [number, number] | null;
  /** The data's x extent (data units), or null before anything is drawn: no zoom goes beyond it. */
  extent(): [number, number] | null;
  zoomTo(range: [number, number] | null): void;
  /** Display x (epoch ms on a wall-time axis) to data units. */
  fromDisplay(x: number): number;
}

const asNumber = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));
/** How much one press of a zoom button zooms (in: × ½, out: × 2). */
export const BUTTON_ZOOM = 0.5;

/**
 * Brush to zoom (on pointer-up), Ctrl/⌘+wheel to zoom about the pointer, Shift+Ctrl/⌘+wheel to pan, double-click
 * to reset. A plain wheel is left to the page, so it scrolls past the charts as everywhere else.
 */
export function listenForZoom(plot: HTMLElement, target: ZoomTarget): void {
  plot.addEventListener('pointerup', () => {
    const view = target.view();
    const brush = view?.signal(LINE_PARAMS.brush) as { x?: unknown[] } | undefined;
    const x = brush?.x;
    if (!view || !Array.isArray(x) || x.length !== 2) return;
    const [a, b] = x.map((v) => target.fromDisplay(asNumber(v)));
    if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return;
    // Clear the brush rectangle: the zoomed chart shows the new range instead.
    view
      .signal(`${LINE_PARAMS.brush}_x`, [])
      .runAsync()
      .catch(() => undefined);
    target.zoomTo(clampRange([Math.min(a, b), Math.max(a, b)], target.extent()));
  });
  plot.addEventListener('dblclick', () => target.zoomTo(null));
  plot.addEventListener('wheel', (event) => wheel(plot, target, event), { passive: false });
}

/** Zooms about the middle of what is shown by `factor` (< 1 in, > 1 out): the zoom buttons. */
export function zoomStep(target: ZoomTarget, factor: number): void {
  const shown = shownRange(target);
  if (shown) target.zoomTo(zoomRange(shown, 0.5, factor, target.extent()));
}

/** The x range shown, in data units: the zoom, else the axis's domain. */
function shownRange(target: ZoomTarget): Range | null {
  const view = target.view();
  if (!view) return null;
  const domain = (view.scale('x')?.domain() ?? []).map((v: unknown) => target.fromDisplay(asNumber(v)));
  const [lo, hi] = target.range() ?? [domain[0], domain[domain.length - 1]];
  return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? [lo, hi] : null;
}

function wheel(plot: HTMLElement, target: ZoomTarget, event: WheelEvent): void {
  if (!event.ctrlKey && !event.metaKey) return;
  const view = target.view();
  const shown = shownRange(target);
  if (!view || !shown) return;
  event.preventDefault();
  const surface = plot.querySelector('.vega-embed > svg, .vega-embed > canvas');
  const left = (surface?.getBoundingClientRect().left ?? 0) + view.origin()[0];
  const plotWidth = Math.max(1, view.width());
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    const delta = (event.shiftKey ? event.deltaY : event.deltaX) / plotWidth;
    target.zoomTo(panRange(shown, delta, target.extent()));
    return;
  }
  const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002)));
  target.zoomTo(zoomRange(shown, (event.clientX - left) / plotWidth, factor, target.extent()));
}
