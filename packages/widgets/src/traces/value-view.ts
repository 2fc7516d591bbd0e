import { el } from '../dom.js';
import { summarizeValue } from './call-format.js';
import { type ChatMessage, chatMessages } from './chat-messages.js';

/** Objects and lists deeper than this start folded. */
const OPEN_DEPTH = 1;
/** Children drawn per object or list; the rest behind a "show all" button (a 1,000-item preview stays quick). */
const CHILDREN_SHOWN = 200;

/**
 * A recorded value as inert DOM: chat messages as a chat, anything else as folded JSON. Every text goes in
 * through textContent: model output and tool arguments are untrusted (docs/traces.md#trace-panel).
 */
export function renderValue(doc: Document, value: unknown): HTMLElement {
  const chat = chatMessages(value);
  if (chat) return renderChat(doc, chat);
  return renderJson(doc, value, 0);
}

function renderChat(doc: Document, messages: ChatMessage[]): HTMLElement {
  const list = el(doc, 'div', 'jp-SpyglassTraces-chat');
  list.setAttribute('data-spyglass-chat', '');
  for (const message of messages) {
    const item = el(doc, 'div', 'jp-SpyglassTraces-message');
    item.dataset.role = message.role;
    item.append(el(doc, 'div', 'jp-SpyglassTraces-role', message.role));
    if (message.content) item.append(el(doc, 'div', 'jp-SpyglassTraces-content', message.content));
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

function renderJson(doc: Document, value: unknown, depth: number): HTMLElement {
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
      row.append(el(doc, 'span', 'jp-SpyglassTraces-key', `${key}: `), renderJson(doc, item, depth + 1));
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
