import { LINE_PARAMS } from '@spyglass/charts';
import type { View } from 'vega';

/** What the zoom gestures read and drive on a line chart. */
export interface ZoomTarget {
  view(): View | null;
  /** The x range shown (data units), or null for everything. */
  range(): [number, number] | null;
  zoomTo(range: [number, number] | null): void;
  /** Display x (epoch ms on a wall-time axis) to data units. */
  fromDisplay(x: number): number;
  /** True when a plain wheel must scroll the page (charts in a notebook): zoom needs Ctrl/⌘ then. */
  wheelNeedsModifier(): boolean;
}

const asNumber = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));

/** Brush to zoom (on pointer-up), wheel to zoom about the pointer, shift+wheel to pan, double-click to reset. */
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
    target.zoomTo([Math.min(a, b), Math.max(a, b)]);
  });
  plot.addEventListener('dblclick', () => target.zoomTo(null));
  plot.addEventListener('wheel', (event) => wheel(plot, target, event), { passive: false });
}

function wheel(plot: HTMLElement, target: ZoomTarget, event: WheelEvent): void {
  const view = target.view();
  if (!view) return;
  if (target.wheelNeedsModifier() && !event.ctrlKey && !event.metaKey) return;
  const domain = (view.scale('x')?.domain() ?? []).map((v: unknown) => target.fromDisplay(asNumber(v)));
  const [lo, hi] = target.range() ?? [domain[0], domain[domain.length - 1]];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return;
  event.preventDefault();
  const width = hi - lo;
  const surface = plot.querySelector('.vega-embed > svg, .vega-embed > canvas');
  const left = (surface?.getBoundingClientRect().left ?? 0) + view.origin()[0];
  const plotWidth = Math.max(1, view.width());
  const fraction = Math.min(1, Math.max(0, (event.clientX - left) / plotWidth));
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    const delta = (event.shiftKey ? event.deltaY : event.deltaX) / plotWidth;
    target.zoomTo([lo + delta * width, hi + delta * width]);
    return;
  }
  const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002)));
  const pivot = lo + fraction * width;
  target.zoomTo([pivot - (pivot - lo) * factor, pivot + (hi - pivot) * factor]);
}
