import { formatNumber } from '@spyglass/charts';
import { messages } from './messages.js';
import type { MediaItem, TableCell } from './report-data.js';

/** The only image sources a table cell may carry: base64 raster data (no SVG, no URL), as the builder writes. */
const THUMBNAIL_SRC = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

export function isMediaCell(cell: TableCell): cell is { media: MediaItem[]; more: number } {
  return typeof cell === 'object' && cell !== null && Array.isArray((cell as { media?: unknown }).media);
}

/** A thumbnail's data: URI, or null when the item has none or carries anything but base64 raster data. */
export function thumbnailSource(item: MediaItem): string | null {
  return typeof item.src === 'string' && THUMBNAIL_SRC.test(item.src) ? item.src : null;
}

/** What a placeholder says: the caption and why the item is not shown. */
export function placeholderText(item: MediaItem): string {
  const reason = item.note ?? messages.mediaLeftOut(item.kind);
  return item.caption ? `${item.caption} (${reason})` : reason;
}

/** A cell as text, for display, filtering and sorting: numbers to 6 significant digits, media by caption. */
export function cellText(cell: TableCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  if (isMediaCell(cell)) {
    const parts = cell.media.map((item) => item.caption ?? item.kind);
    return cell.more > 0 ? [...parts, messages.moreMedia(cell.more)].join(' ') : parts.join(' ');
  }
  return String(cell);
}
