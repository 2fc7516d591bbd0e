import DOMPurify from 'dompurify';
import { el } from '../dom.js';
import { chatMarkdownHtml } from './chat-markdown.js';

/** Links a message may keep; the rest lose their href (DOMPurify) or were made text (chat-markdown.ts). */
const LINK_URL = /^(?:https?:|mailto:)/i;

/**
 * A chat message's text drawn as markdown through DOMPurify: no script, handler, style, form, frame or image
 * survives, links open in a new tab without the page as referrer (docs/traces.md#trace-panel).
 */
export function renderChatContent(doc: Document, text: string): HTMLElement {
  const node = el(doc, 'div', 'jp-SpyglassTraces-content jp-SpyglassTraces-markdown');
  const clean = DOMPurify.sanitize(chatMarkdownHtml(text), {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'srcset', 'src', 'action', 'formaction', 'background'],
    ALLOWED_URI_REGEXP: LINK_URL,
  });
  for (const media of clean.querySelectorAll('img, video, audio, source, picture, svg, math')) media.remove();
  for (const link of clean.querySelectorAll('a')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer nofollow';
  }
  node.append(doc.importNode(clean, true));
  return node;
}
