const MIN_SCALE = 0.1;
const MAX_SCALE = 4;
/** Pointer travel (px) below which a press counts as a click, not a drag. */
const CLICK_SLOP = 4;

/**
 * Pans and zooms one SVG group inside its SVG: wheel zooms about the pointer, dragging pans, and the keyboard
 * (when the SVG has focus) pans with the arrow keys, zooms with + and -, and fits with 0.
 */
export class PanZoom {
  x = 0;
  y = 0;
  scale = 1;
  /** The user panned or zoomed: the view is theirs, so a resize no longer re-fits it. */
  touched = false;
  private drag: { pointer: number; x: number; y: number; startX: number; startY: number } | null = null;
  private moved = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly viewport: SVGGElement,
    private readonly contentSize: () => { width: number; height: number },
  ) {
    const signal = this.abort.signal;
    svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false, signal });
    svg.addEventListener('pointerdown', (e) => this.onPointerDown(e), { signal });
    svg.addEventListener('pointermove', (e) => this.onPointerMove(e), { signal });
    svg.addEventListener('pointerup', (e) => this.onPointerUp(e), { signal });
    svg.addEventListener('pointercancel', (e) => this.onPointerUp(e), { signal });
    svg.addEventListener('keydown', (e) => this.onKeyDown(e), { signal });
  }

  /** True right after a drag, so the click that ends it does not select a node. */
  get dragged(): boolean {
    return this.moved;
  }

  /** Scales and centres the content to fit the SVG (never enlarging past 1:1). */
  fit(): void {
    const { width, height } = this.contentSize();
    const box = this.svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || width === 0 || height === 0) return;
    this.scale = clamp(Math.min(box.width / width, box.height / height, 1));
    this.x = (box.width - width * this.scale) / 2;
    this.y = (box.height - height * this.scale) / 2;
    this.touched = false;
    this.apply(false);
  }

  /** Zooms by `factor` about a point in SVG pixels (the centre when omitted). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const box = this.svg.getBoundingClientRect();
    const px = at?.x ?? box.width / 2;
    const py = at?.y ?? box.height / 2;
    const next = clamp(this.scale * factor);
    this.x = px - ((px - this.x) * next) / this.scale;
    this.y = py - ((py - this.y) * next) / this.scale;
    this.scale = next;
    this.apply();
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.apply();
  }

  /** Pans so a content point (e.g. a node's centre) is in view. */
  reveal(cx: number, cy: number): void {
    const box = this.svg.getBoundingClientRect();
    const sx = this.x + cx * this.scale;
    const sy = this.y + cy * this.scale;
    const margin = 40;
    if (sx < margin || sx > box.width - margin) this.x += box.width / 2 - sx;
    if (sy < margin || sy > box.height - margin) this.y += box.height / 2 - sy;
    this.apply();
  }

  dispose(): void {
    this.abort.abort();
  }

  private apply(byUser = true): void {
    if (byUser) this.touched = true;
    this.viewport.setAttribute(
      'transform',
      `translate(${this.x.toFixed(1)} ${this.y.toFixed(1)}) scale(${this.scale.toFixed(4)})`,
    );
    this.svg.setAttribute('data-scale', this.scale.toFixed(3));
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const box = this.svg.getBoundingClientRect();
    this.zoomBy(Math.exp(-event.deltaY * 0.0015), {
      x: event.clientX - box.left,
      y: event.clientY - box.top,
    });
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.moved = false;
    this.drag = {
      pointer: event.pointerId,
      x: this.x,
      y: this.y,
      startX: event.clientX,
      startY: event.clientY,
    };
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointer !== event.pointerId) return;
    const dx = event.clientX - drag.startX;
    const dy = event.clientY - drag.startY;
    if (!this.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
    if (!this.moved) this.svg.setPointerCapture(event.pointerId);
    this.moved = true;
    this.svg.classList.add('jp-mod-dragging');
    this.x = drag.x + dx;
    this.y = drag.y + dy;
    this.apply();
  }

  private onPointerUp(event: PointerEvent): void {
    if (!this.drag || this.drag.pointer !== event.pointerId) return;
    this.drag = null;
    this.svg.classList.remove('jp-mod-dragging');
    if (this.svg.hasPointerCapture(event.pointerId)) this.svg.releasePointerCapture(event.pointerId);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // Arrow keys on a node move between nodes (the panel handles them); on the canvas they pan.
    if (event.key.startsWith('Arrow') && event.target !== this.svg) return;
    const step = 40;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.panBy(step, 0),
      ArrowRight: () => this.panBy(-step, 0),
      ArrowUp: () => this.panBy(0, step),
      ArrowDown: () => this.panBy(0, -step),
      '+': () => this.zoomBy(1.25),
      '=': () => this.zoomBy(1.25),
      '-': () => this.zoomBy(0.8),
      '0': () => this.fit(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}

function clamp(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}
