import { Marked, type Tokens } from 'marked';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Only these link targets stay links; anything else (javascript:, data:, file:, relative paths) is text. */
const LINK_URL = /^(?:https?:|mailto:)/i;

/**
 * Model text as markdown, with nothing active: raw HTML in the text is shown as its characters, an image is
 * shown as its alt text and address (a model's image URL is never loaded: data: and tracking URLs stay inert),
 * and only http(s) and mailto links stay links. The HTML still goes through DOMPurify before it is shown
 * (value-view.ts); this is the first of two guards.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image): string {
      return escapeHtml(`[image: ${token.text || 'untitled'} ${token.href}]`);
    },
    link(token: Tokens.Link): string | false {
      if (LINK_URL.test(token.href)) return false; // marked's own link, which DOMPurify checks again
      return escapeHtml(`${token.text} (${token.href})`);
    },
  },
});

/** A chat message's text as HTML from markdown (DOM-free: the caller sanitizes and inserts it). */
export function chatMarkdownHtml(text: string): string {
  return markdown.parse(text, { async: false }) as string;
}
