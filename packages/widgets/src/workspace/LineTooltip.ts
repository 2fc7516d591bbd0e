import type { View } from 'vega';
import { type HoverLine, nearestPoint } from './line-hover.js';

/** What the hover reads from its chart. */
export interface HoverSource {
  view(): View | null;
  lines(): readonly HoverLine[];
  /** Tooltip text of a hit (run name, x, value). */
  describe(hit: { run: string; x: number; y: number }): string;
  /** The hovered run changed (null: none), for the linked highlight of its table row. */
  hovered(run: string | null): void;
}

/**
 * A line chart's tooltip and hovered run, from the nearest drawn point at most once per animation frame: picking
 * through 100 long paths per pointer move would cost more than a redraw, and a per-vertex tooltip layer more still.
 */
export class LineTooltip {
  readonly node = document.createElement('div');
  private frame = 0;
  private run: string | null = null;

  constructor(
    private readonly plot: HTMLElement,
    private readonly source: HoverSource,
  ) {
    this.node.className = 'jp-SpyglassWorkspaceChart-tooltip';
    this.node.hidden = true;
    Object.assign(this.node.style, {
      position: 'fixed',
      pointerEvents: 'none',
      whiteSpace: 'pre',
      zIndex: '1000',
      padding: '2px 6px',
      font: '11px sans-serif',
      background: 'var(--jp-layout-color0, #fff)',
      color: 'var(--jp-ui-font-color0, #000)',
      border: '1px solid var(--jp-border-color1, #ccc)',
    });
    let last: PointerEvent | null = null;
    plot.addEventListener('pointermove', (event) => {
      last = event;
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (last) this.hoverAt(last);
      });
    });
    plot.addEventListener('pointerleave', () => {
      last = null;
      this.node.hidden = true;
      this.setHovered(null);
    });
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
  }

  private hoverAt(event: PointerEvent): void {
    const view = this.source.view();
    const surface = this.plot.querySelector('.vega-embed > svg, .vega-embed > canvas');
    const lines = this.source.lines();
    if (!view || !surface || lines.length === 0) return;
    const box = surface.getBoundingClientRect();
    const [ox, oy] = view.origin();
    const x = view.scale('x') as ((v: number) => number) & { invert?: (p: number) => number };
    const y = view.scale('y') as (v: number) => number;
    if (!x?.invert || !y) return;
    const invert = x.invert;
    const hit = nearestPoint(
      lines,
      event.clientX - box.left - ox,
      event.clientY - box.top - oy,
      (v) => x(v),
      (p) => Number(invert(p)),
      (v) => y(v),
    );
    this.setHovered(hit?.run ?? null);
    if (!hit) {
      this.node.hidden = true;
      return;
    }
    this.node.textContent = this.source.describe(hit);
    this.node.style.left = `${event.clientX + 12}px`;
    this.node.style.top = `${event.clientY + 12}px`;
    this.node.hidden = false;
  }

  private setHovered(run: string | null): void {
    if (run === this.run) return;
    this.run = run;
    this.source.hovered(run);
  }
}
