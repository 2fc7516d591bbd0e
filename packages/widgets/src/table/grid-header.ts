import type { SortKey, TableColumn } from '@spyglass/store';
import { button, el } from '../dom.js';
import { setCellText } from './cell-text.js';
import { tableText } from './messages.js';
import { columnWidth } from './view-grid.js';

/** Width of the row-number column the header rows start with. */
const ROW_NUMBER_WIDTH = 48;
/** Typing in a filter box applies after this pause (Enter applies at once). */
const FILTER_DELAY_MS = 250;

export interface GridHeaderState {
  sort: SortKey | undefined;
  /** Columns that get a filter box. */
  filterable: ReadonlySet<string>;
  /** The text a column's filter box starts with. */
  filterText(column: string): string;
  filtersDisabled: boolean;
}

export interface GridHeaderActions {
  cycleSort(column: string): void;
  /** `left` is the column's offset in the unscrolled grid. */
  showSummary(column: string, left: number): void;
  filter(column: string, text: string): void;
}

/** The grid's two header rows: each column's name with sort and summary buttons, then its quick-filter box. */
export function gridHeaderRows(
  doc: Document,
  columns: readonly TableColumn[],
  state: GridHeaderState,
  actions: GridHeaderActions,
): [titles: HTMLDivElement, filters: HTMLDivElement] {
  const sort = state.sort;
  const titles = el(doc, 'div', 'sg-grid-header-row');
  const filters = el(doc, 'div', 'sg-grid-header-row sg-grid-filters');
  titles.setAttribute('role', 'row');
  titles.setAttribute('aria-rowindex', '1');
  filters.setAttribute('role', 'row');
  filters.setAttribute('aria-rowindex', '2');
  titles.append(el(doc, 'div', 'sg-grid-rownum', '#'));
  filters.append(el(doc, 'div', 'sg-grid-rownum'));
  let left = ROW_NUMBER_WIDTH;
  for (const column of columns) {
    const width = columnWidth(column);
    const head = el(doc, 'div', 'sg-grid-head');
    head.style.width = `${width}px`;
    head.dataset.column = column.name;
    head.setAttribute('role', 'columnheader');
    const name = el(doc, 'span', 'sg-grid-head-name');
    setCellText(name, column.name);
    name.title = `${column.name} (${column.sqlType})`;
    const arrow = sort?.column === column.name ? (sort.descending ? ' ▼' : ' ▲') : '';
    const sortButton = button(
      doc,
      arrow || '↕',
      () => actions.cycleSort(column.name),
      'sg-table-icon sg-sort',
    );
    sortButton.setAttribute('aria-label', tableText.sortBy(column.name));
    const at = left;
    const summaryButton = button(
      doc,
      'Σ',
      () => actions.showSummary(column.name, at),
      'sg-table-icon sg-summary-button',
    );
    summaryButton.title = tableText.summary;
    summaryButton.setAttribute('aria-label', tableText.summaryOf(column.name));
    head.append(name, sortButton, summaryButton);
    titles.append(head);
    const cell = el(doc, 'div', 'sg-grid-head');
    cell.style.width = `${width}px`;
    if (state.filterable.has(column.name)) cell.append(filterInput(doc, column, state, actions));
    filters.append(cell);
    left += width;
  }
  return [titles, filters];
}

function filterInput(
  doc: Document,
  column: TableColumn,
  state: GridHeaderState,
  actions: GridHeaderActions,
): HTMLInputElement {
  const input = el(doc, 'input', 'sg-grid-filter');
  input.disabled = state.filtersDisabled;
  input.placeholder = tableText.filterPlaceholder(column.kind);
  input.setAttribute('aria-label', tableText.filterColumn(column.name));
  input.dataset.column = column.name;
  input.value = state.filterText(column.name);
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => actions.filter(column.name, input.value), FILTER_DELAY_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      clearTimeout(timer);
      actions.filter(column.name, input.value);
    }
  });
  return input;
}
