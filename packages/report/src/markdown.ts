import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Markdown to sanitised DOM: marked parses (GFM), DOMPurify removes scripts, handlers, forms and every URL that
 * is not local (the page's CSP would block remote loads anyway, this keeps them from even being attempted).
 */
export function renderMarkdown(text: string): DocumentFragment {
  const html = marked.parse(text, { async: false, gfm: true }) as string;
  const clean = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOWED_URI_REGEXP: /^(?:#|data:image\/(?:png|jpeg|gif|webp);|https?:|mailto:)/i,
  });
  // Remote images would be blocked by the CSP; drop them so the reader sees no broken icons.
  for (const img of clean.querySelectorAll('img')) {
    if (!(img.getAttribute('src') ?? '').startsWith('data:')) img.remove();
  }
  for (const a of clean.querySelectorAll('a[href^="http"]')) a.setAttribute('rel', 'noopener noreferrer');
  return clean;
}

/** An SVG output, sanitised, shown as an image (an <img> never runs script, even if something slipped through). */
export function svgImage(svg: string): HTMLImageElement {
  const clean = DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true } });
  const img = document.createElement('img');
  img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(clean)))}`;
  img.alt = '';
  return img;
}
