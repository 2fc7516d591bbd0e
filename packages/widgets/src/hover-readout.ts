import { formatNumber } from '@spyglass/charts';
import type { SeriesPoint } from '@spyglass/store';
import type { View } from 'vega';

/** The point whose x is nearest `x` in points sorted by x (binary search), or null when there are none. */
export function nearestPoint(points: readonly SeriesPoint[], x: number): SeriesPoint | null {
  if (points.length === 0 || Number.isNaN(x)) return null;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle].step < x) low = middle + 1;
    else high = middle;
  }
  const after = points[low];
  const before = points[Math.max(0, low - 1)];
  return Math.abs(before.step - x) <= Math.abs(after.step - x) ? before : after;
}

/** The readout's text: the x title and value of a point, numbers short, and the wall time it was logged at. */
export function readoutText(point: SeriesPoint, xTitle: string, loggedAt: number | null = null): string {
  const text = `${xTitle} ${formatNumber(point.step)} · ${formatNumber(point.value)}`;
  return loggedAt === null ? text : `${text} · ${wallClock(loggedAt)}`;
}

/** A Unix time in seconds as the local wall clock, HH:MM:SS. */
export function wallClock(seconds: number): string {
  const date = new Date(seconds * 1000);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/** When the row of a step was logged (Unix seconds), or null when unknown. */
export type WallTimeOf = (step: number) => Promise<number | null>;

/**
 * A hover readout over a line chart: where the pointer is, a dashed rule at the nearest logged x and a label with
 * its x and value, drawn in the page (not as Vega marks, which would add a mark per point to every redraw).
 */
export class HoverReadout {
  private readonly rule: HTMLDivElement;
  private readonly label: HTMLDivElement;

  constructor(
    private readonly host: HTMLElement,
    private readonly view: () => View | null,
    private readonly points: () => readonly SeriesPoint[],
    private readonly xTitle: string,
    /** Looks up when the hovered step was logged; absent for charts whose x is not the step. */
    private readonly wallTime: WallTimeOf | null = null,
  ) {
    const doc = host.ownerDocument;
    this.rule = doc.createElement('div');
    this.rule.className = 'jp-SpyglassHover-rule';
    this.label = doc.createElement('div');
    this.label.className = 'jp-SpyglassHover-label';
    this.label.setAttribute('role', 'status');
    this.hide();
    host.append(this.rule, this.label);
    host.addEventListener('pointermove', (event) => this.show(event));
    host.addEventListener('pointerleave', () => this.hide());
  }

  private show(event: PointerEvent): void {
    const left = this.place(event);
    if (left === null) this.hide();
  }

  /** Moves the rule and label to the point nearest the pointer; returns its position, or null for none. */
  private place(event: PointerEvent): number | null {
    const view = this.view();
    const svg = this.host.querySelector('svg');
    if (!view || !svg) return null;
    const [originX] = view.origin();
    const box = svg.getBoundingClientRect();
    const hostBox = this.host.getBoundingClientRect();
    const scale = view.scale('x') as ((value: number) => number) & { invert(pixel: number): number };
    const point = nearestPoint(this.points(), scale.invert(event.clientX - box.left - originX));
    if (!point) return null;
    const left = box.left - hostBox.left + originX + scale(point.step);
    if (!Number.isFinite(left)) return null;
    this.rule.style.left = `${left}px`;
    this.rule.hidden = false;
    this.label.hidden = false;
    if (this.host.getAttribute('data-hover-step') !== String(point.step)) {
      this.host.setAttribute('data-hover-step', String(point.step));
      this.label.textContent = readoutText(point, this.xTitle);
      this.showWallTime(point);
    }
    return left;
  }

  /** Adds the wall time once it is known, if the pointer is still on the same point. */
  private showWallTime(point: SeriesPoint): void {
    if (!this.wallTime) return;
    this.wallTime(point.step)
      .then((loggedAt) => {
        if (loggedAt === null || this.host.getAttribute('data-hover-step') !== String(point.step)) return;
        this.label.textContent = readoutText(point, this.xTitle, loggedAt);
      })
      .catch((error) => console.warn('Spyglass: hover wall time', error));
  }

  private hide(): void {
    this.rule.hidden = true;
    this.label.hidden = true;
    this.host.removeAttribute('data-hover-step');
  }
}
