import type { MediaReference } from '@spyglass/store';
import { setCellText } from './cell-text.js';
import type { BlobUrlCache } from './media-loader.js';
import type { ThumbHover } from './ThumbHover.js';

const SVG = 'http://www.w3.org/2000/svg';

/** A histogram cell as a tiny inline SVG of bars (drawn from numbers only; nothing from the data is markup). */
export function histogramSvg(
  doc: Document,
  values: readonly number[],
  width = 80,
  height = 18,
): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'sg-table-histogram');
  const finite = values.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
  const max = Math.max(1e-12, ...finite);
  const bar = width / Math.max(1, finite.length);
  finite.forEach((v, i) => {
    const h = (v / max) * height;
    const rect = doc.createElementNS(SVG, 'rect');
    rect.setAttribute('x', (i * bar).toFixed(2));
    rect.setAttribute('y', (height - h).toFixed(2));
    rect.setAttribute('width', Math.max(0.5, bar - 0.5).toFixed(2));
    rect.setAttribute('height', h.toFixed(2));
    svg.append(rect);
  });
  return svg;
}

/**
 * Fills a grid cell with a media reference: an image thumbnail (blob URL from the file endpoint), a histogram
 * sparkline, or a labelled button for audio, video, html and 3D files. `open` shows the larger preview; `hover`,
 * when given, shows a larger image while the pointer is over a thumbnail.
 */
export function renderMediaCell(
  cell: HTMLElement,
  media: MediaReference,
  blobs: BlobUrlCache,
  open: (media: MediaReference) => void,
  hover?: ThumbHover,
): void {
  const doc = cell.ownerDocument;
  cell.replaceChildren();
  cell.classList.add('sg-table-media');
  if (media.type === 'histogram') {
    cell.append(histogramSvg(doc, media.values ?? []));
    cell.title = 'histogram';
    return;
  }
  if (media.type === 'image' && blobs.available && media.path) {
    const img = doc.createElement('img');
    img.className = 'sg-table-thumb';
    img.alt = media.caption ?? 'image';
    img.decoding = 'async';
    const path = media.path;
    blobs
      .url(path, img)
      .then((url) => {
        // A cell a newer render replaced never loads (its URL may be revoked by then: a failed load).
        if (img.isConnected) img.src = url;
      })
      .catch(() => {
        img.replaceWith(doc.createTextNode('⚠ image'));
      });
    img.addEventListener('click', () => open(media));
    hover?.attach(img, path);
    cell.append(img);
    if (media.caption) {
      const caption = doc.createElement('span');
      caption.className = 'sg-table-caption';
      setCellText(caption, media.caption);
      cell.append(caption);
    }
    return;
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'sg-table-media-button';
  button.textContent = {
    image: '🖼 image',
    audio: '▶ audio',
    video: '▶ video',
    html: '⟨/⟩ html',
    object3d: '◈ 3D',
    table: '▦ table',
    histogram: '',
  }[media.type];
  button.addEventListener('click', () => open(media));
  cell.append(button);
}
