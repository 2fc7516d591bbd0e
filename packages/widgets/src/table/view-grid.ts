import {
  type CellValue,
  COMPARE_STATUS,
  changedFlag,
  isHidden,
  sideName,
  type TableColumn,
  type TableView,
  type ViewWindows,
} from '@spyglass/store';
import type { GridColumn, GridSource } from './VirtualGrid.js';

/** A column's width in pixels, the same in the grid and its header. */
export function columnWidth(column: TableColumn): number {
  return column.kind === 'number' ? 110 : column.kind === 'boolean' ? 70 : 180;
}

/** The columns a view shows: all but the hidden ones (row id, compare status, change flags). */
export function shownColumns(columns: readonly TableColumn[]): TableColumn[] {
  return columns.filter((c) => !isHidden(c.name));
}

/**
 * In compare mode each side's column is flagged by the hidden changed-column of its base name: maps every side's
 * column name to the index of that flag in `names` (the row arrays' column order).
 */
export function compareFlags(
  names: readonly string[],
  labels: readonly [string, string],
): Map<string, number> {
  const flags = new Map<string, number>();
  const prefix = changedFlag('');
  names.forEach((name, i) => {
    if (!name.startsWith(prefix)) return;
    const base = name.slice(prefix.length);
    for (const label of labels) flags.set(sideName(base, label), i);
  });
  return flags;
}

/**
 * The grid source for a planned view: its shown columns over full rows paged by `windows` (hidden columns too, so
 * cells are found by name), each cell drawn by `renderValue` and marked when its compare flag says it changed,
 * each row classed by its compare status.
 */
export function viewGridSource(
  view: TableView,
  windows: ViewWindows,
  compareLabels: readonly [string, string],
  renderValue: (cell: HTMLElement, value: CellValue, column: string) => void,
): GridSource {
  const names = view.columns.map((c) => c.name);
  const indexOf = new Map(names.map((n, i) => [n, i]));
  const flags = compareFlags(names, compareLabels);
  const statusIndex = indexOf.get(COMPARE_STATUS);
  const columns: GridColumn[] = shownColumns(view.columns).map((c) => ({
    name: c.name,
    numeric: c.kind === 'number',
    width: columnWidth(c),
  }));
  return {
    count: view.count,
    columns,
    fetch: (offset, limit, isWanted) => windows.fetch(offset, limit, isWanted),
    renderCell: (cell, _value, column, row) => {
      const index = indexOf.get(column.name) ?? -1;
      renderValue(cell, row[index] ?? null, column.name);
      const flag = flags.get(column.name);
      if (flag !== undefined && row[flag] === true) cell.classList.add('sg-changed');
    },
    rowClass: (row) => (statusIndex !== undefined ? `sg-status-${String(row[statusIndex])}` : null),
  };
}
