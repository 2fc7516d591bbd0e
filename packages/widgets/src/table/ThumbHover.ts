import type { BlobUrlCache } from './media-loader.js';

/** Side of the square the hover image is drawn in (px). */
const HOVER_PX = 192;
const GAP_PX = 8;

/**
 * A larger copy of an image thumbnail, floating beside it while the pointer is over it, hidden on leave, click
 * (which opens the modal preview) or Escape. It lives in the explorer (positioned relative to it), so a notebook's
 * scrolling and containment never misplace it.
 */
export class ThumbHover {
  readonly node: HTMLDivElement;
  private readonly image: HTMLImageElement;
  private current: HTMLElement | null = null;
  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !this.node.hidden) this.hide();
  };

  constructor(
    private readonly doc: Document,
    private readonly blobs: BlobUrlCache,
    private readonly container: HTMLElement,
  ) {
    this.node = doc.createElement('div');
    this.node.className = 'sg-table-hover';
    this.node.hidden = true;
    // A larger copy of what the thumbnail (with its alt text) already shows.
    this.node.setAttribute('aria-hidden', 'true');
    this.image = doc.createElement('img');
    this.image.alt = '';
    this.node.append(this.image);
    doc.addEventListener('keydown', this.onKey, true);
  }

  /** Shows `path` larger while the pointer is over `thumb`. */
  attach(thumb: HTMLElement, path: string): void {
    thumb.addEventListener('mouseenter', () => this.show(thumb, path));
    thumb.addEventListener('mouseleave', () => this.hide());
    thumb.addEventListener('click', () => this.hide());
  }

  hide(): void {
    this.current = null;
    this.node.hidden = true;
  }

  dispose(): void {
    this.hide();
    this.doc.removeEventListener('keydown', this.onKey, true);
    this.node.remove();
  }

  private show(thumb: HTMLElement, path: string): void {
    this.current = thumb;
    this.blobs
      .url(path, this.image)
      .then((url) => {
        if (this.current !== thumb || !thumb.isConnected) return;
        if (this.image.src !== url) this.image.src = url;
        this.place(thumb);
        this.node.hidden = false;
      })
      .catch(() => this.hide());
  }

  /** Right of the thumbnail, or left of it when the explorer has no room on the right. */
  private place(thumb: HTMLElement): void {
    const box = thumb.getBoundingClientRect();
    const frame = this.container.getBoundingClientRect();
    const right = box.right - frame.left + GAP_PX;
    const left =
      right + HOVER_PX <= frame.width ? right : Math.max(0, box.left - frame.left - GAP_PX - HOVER_PX);
    const top = Math.max(0, Math.min(box.top - frame.top, frame.height - HOVER_PX));
    this.node.style.left = `${left}px`;
    this.node.style.top = `${top}px`;
  }
}
