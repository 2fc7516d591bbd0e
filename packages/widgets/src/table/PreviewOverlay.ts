import type { MediaReference } from '@spyglass/store';
import { describeError } from '../errors.js';
import { setCellText } from './cell-text.js';
import type { BlobUrlCache } from './media-loader.js';
import { tableText } from './messages.js';
import { HTML_PREVIEW_CSP, previewDocument } from './preview-html.js';

/**
 * The explorer's preview layer: a larger image, an audio or video player, a sanitized html page in a sandboxed
 * frame, or a long text in full. It covers the explorer (not the page) and closes on Escape or its button.
 */
export class PreviewOverlay {
  readonly node: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly title: HTMLSpanElement;

  constructor(
    doc: Document,
    private readonly blobs: BlobUrlCache,
  ) {
    this.node = doc.createElement('div');
    this.node.className = 'sg-table-preview';
    this.node.hidden = true;
    this.node.tabIndex = -1;
    const bar = doc.createElement('div');
    bar.className = 'sg-table-preview-bar';
    this.title = doc.createElement('span');
    const close = doc.createElement('button');
    close.type = 'button';
    close.textContent = tableText.close;
    close.addEventListener('click', () => this.close());
    bar.append(this.title, close);
    this.body = doc.createElement('div');
    this.body.className = 'sg-table-preview-body';
    this.node.append(bar, this.body);
    this.node.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
  }

  close(): void {
    this.node.hidden = true;
    this.body.replaceChildren();
  }

  /** Shows a long text value in full (still as text). */
  showText(title: string, text: string): void {
    const pre = this.node.ownerDocument.createElement('pre');
    pre.className = 'sg-table-preview-text';
    setCellText(pre, text);
    this.open(title, pre);
  }

  /** Shows one media reference. */
  showMedia(media: MediaReference): void {
    const doc = this.node.ownerDocument;
    const title = media.caption ?? media.path ?? media.type;
    if (!media.path) return;
    if (!this.blobs.available) {
      this.showMessage(title, tableText.noMediaAccess);
      return;
    }
    if (media.type === 'html') {
      const frame = doc.createElement('iframe');
      // No allow-scripts, no allow-same-origin: even markup DOMPurify lets through cannot run or reach the page.
      frame.setAttribute('sandbox', '');
      // Embedded enforcement: the policy binds the frame's document from its creation, before the meta is parsed.
      frame.setAttribute('csp', HTML_PREVIEW_CSP);
      frame.className = 'sg-table-preview-frame';
      this.open(title, frame);
      this.blobs
        .text(media.path)
        .then((html) => {
          frame.srcdoc = previewDocument(html);
        })
        .catch((error) => this.showMessage(title, tableText.mediaFailed(describeError(error))));
      return;
    }
    const element =
      media.type === 'image'
        ? Object.assign(doc.createElement('img'), { alt: title, className: 'sg-table-preview-image' })
        : media.type === 'audio' || media.type === 'video'
          ? Object.assign(doc.createElement(media.type), { controls: true })
          : null;
    if (!element) {
      this.showMessage(title, `${media.type}: ${media.path}`);
      return;
    }
    this.open(title, element);
    this.blobs
      .url(media.path, element)
      .then((url) => {
        element.src = url;
      })
      .catch((error) => this.showMessage(title, tableText.mediaFailed(describeError(error))));
  }

  dispose(): void {
    this.close();
    this.node.remove();
  }

  private showMessage(title: string, text: string): void {
    const p = this.node.ownerDocument.createElement('p');
    p.textContent = text;
    this.open(title, p);
  }

  private open(title: string, content: HTMLElement): void {
    this.title.textContent = title;
    this.body.replaceChildren(content);
    this.node.hidden = false;
    this.node.focus();
  }
}
