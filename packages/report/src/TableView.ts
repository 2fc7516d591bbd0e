import { messages } from './messages.js';
import type { TableBlock, TableCell } from './report-data.js';
import { cellText, isMediaCell, placeholderText, thumbnailSource } from './table-cells.js';

type Cell = TableCell;

/**
 * A sortable, filterable table (never HTML: text goes through textContent, images are data: URIs of raster
 * thumbnails checked again here). Numbers show 6 significant digits; the full value is their tooltip.
 */
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
  const texts = rows.map((row) => row.map(cellText).join('\u0000').toLowerCase());
  let order = rows.map((_, i) => i);
  let sort: { column: number; descending: boolean } | null = null;

  const draw = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = order.filter((i) => needle === '' || texts[i].includes(needle));
    body.replaceChildren(
      ...shown.map((i) => {
        const tr = document.createElement('tr');
        for (const cell of rows[i]) fillCell(tr.insertCell(), cell);
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

function fillCell(td: HTMLTableCellElement, cell: Cell): void {
  if (!isMediaCell(cell)) {
    td.textContent = cellText(cell);
    if (typeof cell === 'number') {
      td.className = 'sg-num';
      if (td.textContent !== String(cell)) td.title = String(cell);
    }
    return;
  }
  td.className = 'sg-media';
  for (const item of cell.media) {
    const src = thumbnailSource(item);
    if (src) {
      const img = document.createElement('img');
      img.className = 'sg-thumb';
      img.src = src;
      img.alt = item.caption ?? item.kind;
      if (item.caption) img.title = item.caption;
      td.append(img);
    } else {
      const placeholder = document.createElement('span');
      placeholder.className = 'sg-media-placeholder';
      placeholder.textContent = placeholderText(item);
      td.append(placeholder);
    }
  }
  if (cell.more > 0) td.append(messages.moreMedia(cell.more));
}

/** Nulls last; numbers numerically; everything else (media by caption) as text. */
function compare(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return cellText(a).localeCompare(cellText(b), 'en', { numeric: true });
}
