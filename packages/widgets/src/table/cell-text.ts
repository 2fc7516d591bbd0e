import type { CellValue } from '@spyglass/store';

/** Longest text a cell shows inline; the rest is behind an expand action (a 1 MB string must not reach layout). */
export const MAX_CELL_CHARS = 300;

const compact = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });

/** The full text of a cell value (what Copy puts on the clipboard). */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  return String(value);
}

/** The shown text of a cell: numbers compacted, long text cut with the full length known. */
export function displayText(value: CellValue): { text: string; truncated: boolean; length: number } {
  if (typeof value === 'number') {
    const text = Number.isInteger(value) || !Number.isFinite(value) ? String(value) : compact.format(value);
    return { text, truncated: false, length: text.length };
  }
  const text = cellText(value);
  if (text.length <= MAX_CELL_CHARS) return { text, truncated: false, length: text.length };
  return { text: text.slice(0, MAX_CELL_CHARS), truncated: true, length: text.length };
}

/**
 * Writes text into an element as inert text inside a bidi-isolating <bdi>: HTML stays literal (textContent), and
 * right-to-left overrides inside the value cannot reorder the rest of the row.
 */
export function setCellText(element: HTMLElement, text: string): HTMLElement {
  const bdi = element.ownerDocument.createElement('bdi');
  bdi.textContent = text;
  element.replaceChildren(bdi);
  return bdi;
}
