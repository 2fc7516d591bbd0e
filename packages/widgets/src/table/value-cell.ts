import { type CellValue, parseMediaReference } from '@spyglass/store';
import { button } from '../dom.js';
import { cellText, displayText, setCellText } from './cell-text.js';
import { renderMediaCell } from './media-cells.js';
import type { BlobUrlCache } from './media-loader.js';
import { tableText } from './messages.js';
import type { PreviewOverlay } from './PreviewOverlay.js';
import type { ThumbHover } from './ThumbHover.js';

/**
 * Fills a grid cell with one value of `column`: null as an empty marked cell, a media reference as a thumbnail,
 * anything else as text, cut with a "…" button that shows the whole value in the preview.
 */
export function renderValueCell(
  cell: HTMLElement,
  value: CellValue,
  column: string,
  blobs: BlobUrlCache,
  preview: PreviewOverlay,
  hover?: ThumbHover,
): void {
  if (value === null) {
    cell.classList.add('sg-null');
    cell.replaceChildren();
    return;
  }
  if (typeof value === 'string') {
    const media = parseMediaReference(value);
    if (media) {
      renderMediaCell(cell, media, blobs, (m) => preview.showMedia(m), hover);
      return;
    }
  }
  const shown = displayText(value);
  setCellText(cell, shown.text);
  cell.title = shown.truncated ? tableText.truncated(shown.length) : shown.text.length > 20 ? shown.text : '';
  if (shown.truncated) {
    // Before the text: the cell clips its overflow, and the text of a long value always overflows.
    const expand = button(
      cell.ownerDocument,
      '…',
      () => preview.showText(column, cellText(value)),
      'sg-table-expand',
    );
    expand.title = tableText.expand;
    cell.prepend(expand);
  }
}
