import DOMPurify from 'dompurify';
import { el } from '../dom.js';

/** Markdown to HTML, e.g. JupyterLab's own parser (IMarkdownParser.render); its HTML is sanitised here. */
export type MarkdownToHtml = (text: string) => Promise<string>;

/**
 * A model's output: inert text by default (textContent), or as markdown whose HTML went through DOMPurify with
 * no scripts, handlers, forms, styles or remote URLs. Model output is untrusted (docs/playground.md#safety).
 */
export class OutputView {
  readonly node: HTMLElement;
  private readonly body: HTMLElement;
  private text = '';
  private asMarkdown = false;
  private generation = 0;

  constructor(
    doc: Document,
    private readonly markdown: MarkdownToHtml | null,
  ) {
    this.node = el(doc, 'div', 'jp-SpyglassPlayground-output');
    this.body = el(doc, 'div', 'jp-SpyglassPlayground-outputBody');
    this.body.setAttribute('data-spyglass-output', '');
    this.node.append(this.body);
  }

  show(text: string): void {
    this.text = text;
    void this.draw();
  }

  clear(): void {
    this.show('');
  }

  /** Switches between inert text and sanitised markdown (without a parser, text only). */
  setMarkdown(on: boolean): Promise<void> {
    this.asMarkdown = on && this.markdown !== null;
    return this.draw();
  }

  private async draw(): Promise<void> {
    const generation = ++this.generation;
    this.body.dataset.format = this.asMarkdown ? 'markdown' : 'text';
    if (!this.asMarkdown || this.markdown === null || this.text === '') {
      this.body.textContent = this.text;
      return;
    }
    let html: string;
    try {
      html = await this.markdown(this.text);
    } catch {
      html = '';
      this.body.dataset.format = 'text';
    }
    if (generation !== this.generation) return;
    if (this.body.dataset.format === 'text') this.body.textContent = this.text;
    else this.body.replaceChildren(sanitizedFragment(html));
  }
}

/** HTML made inert: DOMPurify keeps text formatting and local links only; remote images are dropped. */
export function sanitizedFragment(html: string): DocumentFragment {
  const clean = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOWED_URI_REGEXP: /^(?:#|data:image\/(?:png|jpeg|gif|webp);|https?:|mailto:)/i,
  });
  for (const img of clean.querySelectorAll('img')) {
    if (!(img.getAttribute('src') ?? '').startsWith('data:')) img.remove();
  }
  for (const a of clean.querySelectorAll('a[href]')) {
    a.setAttribute('rel', 'noopener noreferrer');
    a.setAttribute('target', '_blank');
  }
  return clean;
}
