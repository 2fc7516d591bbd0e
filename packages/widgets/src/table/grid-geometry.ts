/** Browsers cap element heights (Chrome ~33M px, Firefox ~17M px); past this the scrollbar is scaled. */
export const MAX_SCROLL_PX = 8_000_000;

/** The row heights the explorer offers (px); image thumbnails are `thumbHeight` of them (20, 48 and 96 px). */
export const ROW_SIZES = { small: 26, medium: 54, large: 102 } as const;
export type RowSize = keyof typeof ROW_SIZES;
/** Vertical room around a thumbnail inside its row. */
const THUMB_INSET_PX = 6;

export function thumbHeight(rowHeight: number): number {
  return rowHeight - THUMB_INSET_PX;
}

export interface GridGeometry {
  /** Rows that fit in the viewport, plus one for a partly shown row. */
  visible: number;
  /** Index of the first row in view. */
  first: number;
  /** The y (px, in the spacer) of row `index`. */
  y(index: number): number;
  /** True when the rows are taller than MAX_SCROLL_PX and the scrollbar maps by fraction. */
  scaled: boolean;
  maxScroll: number;
  /** The spacer's height. */
  height: number;
}

/**
 * Where rows sit for a scroll position: every row is `rowHeight` tall, so the scroll position maps to a row by
 * division and no row is ever measured. Past MAX_SCROLL_PX the scrollbar's fraction picks the first row, and rows
 * are drawn from the current scroll position.
 */
export function gridGeometry(
  count: number,
  rowHeight: number,
  viewportPx: number,
  scrollTop: number,
): GridGeometry {
  const viewport = Math.max(rowHeight, viewportPx);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  const total = count * rowHeight;
  const scaled = total > MAX_SCROLL_PX;
  const height = Math.min(total, MAX_SCROLL_PX);
  const maxScroll = Math.max(1, height - viewport);
  const exact = scaled
    ? (Math.min(scrollTop, maxScroll) / maxScroll) * Math.max(0, count - visible + 1)
    : scrollTop / rowHeight;
  const first = Math.floor(exact);
  const y = (index: number) => (scaled ? scrollTop + (index - exact) * rowHeight : index * rowHeight);
  return { visible, first, y, scaled, maxScroll, height };
}

/** The scroll position that puts row `index` at the top. */
export function scrollTopOfRow(
  geometry: GridGeometry,
  count: number,
  rowHeight: number,
  index: number,
): number {
  return geometry.scaled
    ? (index / Math.max(1, count - geometry.visible + 1)) * geometry.maxScroll
    : index * rowHeight;
}
