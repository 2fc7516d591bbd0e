import { rowAfterKey } from '../row-keys.js';

/** The focused cell of the explorer's grid: a row index and a column position among the shown columns. */
export interface GridCursor {
  row: number;
  column: number;
}

/**
 * Where a key moves the focused cell in a grid of `rows` × `columns`: the row keys of `rowAfterKey` and
 * Left/Right across columns; null when the key does not move it.
 */
export function cursorAfterKey(
  key: string,
  cursor: GridCursor,
  rows: number,
  columns: number,
  page: number,
): GridCursor | null {
  if (rows <= 0 || columns <= 0) return null;
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const column = Math.min(columns - 1, Math.max(0, cursor.column + (key === 'ArrowLeft' ? -1 : 1)));
    return { row: Math.min(cursor.row, rows - 1), column };
  }
  const row = rowAfterKey(key, cursor.row, rows, page);
  return row === null ? null : { row, column: Math.min(cursor.column, columns - 1) };
}
