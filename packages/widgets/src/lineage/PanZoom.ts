import { autoScale, fitScale, type Size, scrollToShow, wheelZoomFactor, zoomAbout } from '@spyglass/lineage';

/** Pointer travel (px) below which a press counts as a click, not a drag. */
const CLICK_SLOP = 4;
const KEY_STEP = 40;

/** How the view was last sized: by the panel (readable or fitting), by the fit button, or by the user. */
type Mode = 'auto' | 'fit' | 'user';

/**
 * Shows an SVG at a scale inside a scrolling viewport: the SVG's size is the content's size times the scale
 * (its viewBox stays the content), so the browser scrolls it. A plain wheel scrolls as anywhere else;
 * Ctrl/Cmd + wheel (and a trackpad pinch) zooms about the pointer; a mouse drag pans; on the focused SVG the
 * arrow keys pan, + and - zoom and 0 fits.
 */
export class PanZoom {
  scale = 1;
  private mode: Mode = 'auto';
  private drag: { pointer: number; left: number; top: number; startX: number; startY: number } | null = null;
  private moved = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly scroller: HTMLElement,
    private readonly svg: SVGSVGElement,
    private readonly contentSize: () => Size,
  ) {
    const signal = this.abort.signal;
    scroller.addEventListener('wheel', (e) => this.onWheel(e), { passive: false, signal });
    scroller.addEventListener('pointerdown', (e) => this.onPointerDown(e), { signal });
    scroller.addEventListener('pointermove', (e) => this.onPointerMove(e), { signal });
    scroller.addEventListener('pointerup', (e) => this.onPointerUp(e), { signal });
    scroller.addEventListener('pointercancel', (e) => this.onPointerUp(e), { signal });
    svg.addEventListener('keydown', (e) => this.onKeyDown(e), { signal });
  }

  /** True right after a drag, so the click that ends it does not select a node. */
  get dragged(): boolean {
    return this.moved;
  }

  /** The user zoomed or panned: a resize keeps their view. */
  get touched(): boolean {
    return this.mode === 'user';
  }

  /**
   * The panel's own choice: the whole graph when it fits with labels of at least 11 px, else 1:1 (readable),
   * scrolled so `centre` (a content point, e.g. the focus node) is in the middle.
   */
  autoFit(centre?: { x: number; y: number }): void {
    const box = this.box();
    const content = this.contentSize();
    if (!box || content.width === 0) return;
    this.mode = 'auto';
    this.setScale(autoScale(content, box));
    const point = centre ?? { x: 0, y: content.height / 2 };
    this.scrollTo(scrollToShow(point, { x: box.width / 2, y: box.height / 2 }, this.scale, content, box));
  }

  /** The fit button: the whole graph in view, however small its labels get (the user asked for it). */
  fit(): void {
    const box = this.box();
    const content = this.contentSize();
    if (!box || content.width === 0) return;
    this.mode = 'fit';
    this.setScale(fitScale(content, box));
    this.scrollTo({ scrollLeft: 0, scrollTop: 0 });
  }

  /** Re-applies the panel's or the fit button's sizing after a resize; a view the user made is kept. */
  refit(centre?: { x: number; y: number }): void {
    if (this.mode === 'auto') this.autoFit(centre);
    else if (this.mode === 'fit') this.fit();
  }

  /** Keeps the scale and scroll position when the drawn graph changes (a refresh, an expansion). */
  contentChanged(): void {
    this.setScale(this.scale);
  }

  /** Zooms by `factor` about a point of the viewport (its centre when omitted). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const box = this.box();
    if (!box) return;
    const anchor = at ?? { x: box.width / 2, y: box.height / 2 };
    const view = {
      scale: this.scale,
      scrollLeft: this.scroller.scrollLeft,
      scrollTop: this.scroller.scrollTop,
    };
    const next = zoomAbout(view, factor, anchor, this.contentSize(), box);
    this.mode = 'user';
    this.setScale(next.scale);
    this.scrollTo(next);
  }

  panBy(dx: number, dy: number): void {
    this.mode = 'user';
    this.scroller.scrollLeft -= dx;
    this.scroller.scrollTop -= dy;
  }

  dispose(): void {
    this.abort.abort();
  }

  private box(): Size | null {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    return width > 0 && height > 0 ? { width, height } : null;
  }

  private setScale(scale: number): void {
    const { width, height } = this.contentSize();
    this.scale = scale;
    this.svg.setAttribute('viewBox', `0 0 ${width.toFixed(1)} ${height.toFixed(1)}`);
    this.svg.setAttribute('width', (width * scale).toFixed(1));
    this.svg.setAttribute('height', (height * scale).toFixed(1));
    this.svg.setAttribute('data-scale', scale.toFixed(3));
  }

  private scrollTo(view: { scrollLeft: number; scrollTop: number }): void {
    this.scroller.scrollLeft = view.scrollLeft;
    this.scroller.scrollTop = view.scrollTop;
  }

  private onWheel(event: WheelEvent): void {
    // A plain wheel scrolls the viewport (and the page past its edge); only Ctrl/Cmd + wheel zooms.
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const box = this.scroller.getBoundingClientRect();
    this.zoomBy(wheelZoomFactor(event.deltaY, event.deltaMode), {
      x: event.clientX - box.left - this.scroller.clientLeft,
      y: event.clientY - box.top - this.scroller.clientTop,
    });
  }

  private onPointerDown(event: PointerEvent): void {
    // Touch scrolls natively; the mouse and pen drag to pan.
    if (event.button !== 0 || event.pointerType === 'touch') return;
    this.moved = false;
    this.drag = {
      pointer: event.pointerId,
      left: this.scroller.scrollLeft,
      top: this.scroller.scrollTop,
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
    if (!this.moved) this.scroller.setPointerCapture(event.pointerId);
    this.moved = true;
    this.mode = 'user';
    this.scroller.classList.add('jp-mod-dragging');
    this.scroller.scrollLeft = drag.left - dx;
    this.scroller.scrollTop = drag.top - dy;
  }

  private onPointerUp(event: PointerEvent): void {
    if (!this.drag || this.drag.pointer !== event.pointerId) return;
    this.drag = null;
    this.scroller.classList.remove('jp-mod-dragging');
    if (this.scroller.hasPointerCapture(event.pointerId))
      this.scroller.releasePointerCapture(event.pointerId);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // Arrow keys on a node move between nodes (the panel handles them); on the canvas they pan.
    if (event.key.startsWith('Arrow') && event.target !== this.svg) return;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.panBy(KEY_STEP, 0),
      ArrowRight: () => this.panBy(-KEY_STEP, 0),
      ArrowUp: () => this.panBy(0, KEY_STEP),
      ArrowDown: () => this.panBy(0, -KEY_STEP),
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
