import { el } from '../dom.js';
import { isRecord } from '../is-record.js';
import { summarizeValue } from './call-format.js';
import { renderChatContent } from './chat-content.js';
import { type ChatMessage, chatMessages } from './chat-messages.js';

/** Objects and lists deeper than this start folded. */
const OPEN_DEPTH = 1;
/** Children drawn per object or list; the rest behind a "show all" button (a 1,000-item preview stays quick). */
const CHILDREN_SHOWN = 200;

/** How a view reaches what a call stored by reference. */
export interface ValueViewOptions {
  /** The server URL of an image a call stored (`objects/<sha>.png`), or null when it cannot be served. */
  imageUrl?: (path: string) => string | null;
}

/**
 * A recorded value as inert DOM: chat messages as a chat (their text as markdown through DOMPurify), images
 * stored by reference inline (from the server, never from a URL in the value), anything else as folded JSON
 * with every text through textContent: model output and tool arguments are untrusted
 * (docs/traces.md#trace-panel).
 */
export function renderValue(doc: Document, value: unknown, options: ValueViewOptions = {}): HTMLElement {
  const chat = chatMessages(value);
  if (chat) return renderChat(doc, chat);
  return renderJson(doc, value, 0, options);
}

/** A value a call stored by reference as an image file: {"_type": "ref", "kind": "image", "path", ...}. */
function imageReference(value: unknown): { path: string; width?: number; height?: number } | null {
  if (!isRecord(value) || value._type !== 'ref' || value.kind !== 'image' || typeof value.path !== 'string')
    return null;
  const size = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return { path: value.path, width: size(value.width), height: size(value.height) };
}

function renderImage(doc: Document, url: string, ref: { width?: number; height?: number }): HTMLElement {
  const figure = el(doc, 'figure', 'jp-SpyglassTraces-image');
  const img = el(doc, 'img');
  img.src = url;
  img.alt = 'an image the call stored';
  img.loading = 'lazy';
  const size = ref.width && ref.height ? `${ref.width} × ${ref.height} image` : 'image';
  figure.append(img, el(doc, 'figcaption', undefined, `${size}, stored by reference`));
  return figure;
}

function renderChat(doc: Document, messages: ChatMessage[]): HTMLElement {
  const list = el(doc, 'div', 'jp-SpyglassTraces-chat');
  list.setAttribute('data-spyglass-chat', '');
  for (const message of messages) {
    const item = el(doc, 'div', 'jp-SpyglassTraces-message');
    item.dataset.role = message.role;
    item.append(el(doc, 'div', 'jp-SpyglassTraces-role', message.role));
    if (message.content) item.append(renderChatContent(doc, message.content));
    for (const call of message.toolCalls) {
      const tool = el(doc, 'div', 'jp-SpyglassTraces-toolCall');
      tool.append(el(doc, 'span', 'jp-SpyglassTraces-toolName', `${call.name}(`));
      tool.append(el(doc, 'span', 'jp-SpyglassTraces-toolArgs', call.arguments));
      tool.append(doc.createTextNode(')'));
      item.append(tool);
    }
    list.append(item);
  }
  return list;
}

function renderJson(doc: Document, value: unknown, depth: number, options: ValueViewOptions): HTMLElement {
  const image = imageReference(value);
  const url = image && options.imageUrl ? options.imageUrl(image.path) : null;
  if (image && url) return renderImage(doc, url, image);
  if (typeof value !== 'object' || value === null) {
    const leaf = el(doc, 'span', `jp-SpyglassTraces-json jp-SpyglassTraces-json-${leafKind(value)}`);
    leaf.textContent = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    return leaf;
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const details = el(doc, 'details', 'jp-SpyglassTraces-fold');
  details.open = depth < OPEN_DEPTH;
  details.append(el(doc, 'summary', undefined, summarizeValue(value)));
  const body = el(doc, 'div', 'jp-SpyglassTraces-foldBody');
  // Children are built when first opened: a folded 1,000-item value costs one summary line.
  const fill = (count: number) => {
    body.replaceChildren();
    for (const [key, item] of entries.slice(0, count)) {
      const row = el(doc, 'div', 'jp-SpyglassTraces-entry');
      row.append(
        el(doc, 'span', 'jp-SpyglassTraces-key', `${key}: `),
        renderJson(doc, item, depth + 1, options),
      );
      body.append(row);
    }
    if (entries.length > count) {
      const more = el(
        doc,
        'button',
        'jp-SpyglassTraces-more',
        `show all ${entries.length.toLocaleString('en')}`,
      );
      more.type = 'button';
      more.addEventListener('click', () => fill(entries.length));
      body.append(more);
    }
  };
  if (details.open) fill(CHILDREN_SHOWN);
  else
    details.addEventListener('toggle', () => body.childElementCount === 0 && fill(CHILDREN_SHOWN), {
      once: true,
    });
  details.append(body);
  return details;
}

function leafKind(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}
