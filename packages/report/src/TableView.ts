import { messages } from './messages.js';
import type { TableBlock } from './report-data.js';

type Cell = string | number | boolean | null;

/** A sortable, filterable table of text cells (never HTML: every cell goes through textContent). */
export function renderTable(block: TableBlock): HTMLElement {
  const root = document.createElement('div');
  root.className = 'sg-table';
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.placeholder = messages.filter;
  filter.setAttribute('aria-label', messages.filter);
  const status = document.createElement('div');
  status.className = 'sg-table-status';
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  const rowCount = block.data[0]?.length ?? 0;
  const rows: Cell[][] = Array.from({ length: rowCount }, (_, r) => block.data.map((column) => column[r]));
  const texts = rows.map((row) =>
    row
      .map((cell) => (cell === null ? '' : String(cell)))
      .join('\u0000')
      .toLowerCase(),
  );
  let order = rows.map((_, i) => i);
  let sort: { column: number; descending: boolean } | null = null;

  const draw = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = order.filter((i) => needle === '' || texts[i].includes(needle));
    body.replaceChildren(
      ...shown.map((i) => {
        const tr = document.createElement('tr');
        for (const cell of rows[i]) {
          const td = tr.insertCell();
          td.textContent = cell === null ? '' : String(cell);
          if (typeof cell === 'number') td.className = 'sg-num';
        }
        return tr;
      }),
    );
    status.textContent = messages.rowsShown(shown.length, rowCount, block.nrows);
  };

  block.columns.forEach((column, index) => {
    const th = document.createElement('th');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = column.name;
    button.title = messages.sortBy(column.name);
    button.addEventListener('click', () => {
      sort = { column: index, descending: sort?.column === index ? !sort.descending : false };
      const sign = sort.descending ? -1 : 1;
      order = rows.map((_, i) => i).sort((a, b) => sign * compare(rows[a][index], rows[b][index]) || a - b);
      for (const other of head.querySelectorAll('th')) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      draw();
    });
    th.append(button);
    head.append(th);
  });
  filter.addEventListener('input', draw);
  draw();
  const scroller = document.createElement('div');
  scroller.className = 'sg-table-scroll';
  scroller.append(table);
  root.append(filter, status, scroller);
  if (block.note) {
    const note = document.createElement('p');
    note.className = 'sg-note';
    note.textContent = block.note;
    root.append(note);
  }
  return root;
}

/** Nulls last; numbers numerically; everything else as text. */
function compare(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}
