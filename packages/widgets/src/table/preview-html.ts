import DOMPurify from 'dompurify';

/**
 * The policy of an sg.Html preview, as a report's page has: nothing from any host (images, styles, fonts, media,
 * frames), only inline styles and data:/blob: images.
 */
export const HTML_PREVIEW_CSP =
  "default-src 'none'; img-src data: blob:; media-src data: blob:; style-src 'unsafe-inline'; font-src data:";

/** URLs a preview may keep: fragments and inline data. Anything that names a host is dropped. */
const LOCAL_URL = /^(?:#|data:|blob:)/i;
/** A CSS url() whose target is not inline data (the quote, if any, is optional). */
const REMOTE_CSS_URL = /url\(\s*(?!['"]?\s*(?:data:|blob:|#))/i;

/**
 * A logged page made safe to show: DOMPurify removes scripts and handlers, and every URL that would reach a
 * host (src, href, srcset, CSS url()) is removed too. The frame's policy would block those loads; removing them
 * means the browser never even starts one (a blocked load still shows up in the network log).
 */
export function sanitizePreviewHtml(html: string): string {
  const root = DOMPurify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    FORBID_TAGS: ['style', 'link', 'base', 'meta'],
    FORBID_ATTR: ['srcset'],
    ALLOWED_URI_REGEXP: LOCAL_URL,
  });
  for (const element of root.querySelectorAll('[style]')) {
    if (REMOTE_CSS_URL.test(element.getAttribute('style') ?? '')) element.removeAttribute('style');
  }
  return root.outerHTML;
}

/** The srcdoc of a preview frame: the policy first, so it holds before any element of the page is parsed. */
export function previewDocument(html: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${HTML_PREVIEW_CSP}">${sanitizePreviewHtml(html)}`;
}
