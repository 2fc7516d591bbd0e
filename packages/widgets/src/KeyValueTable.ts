import { type KeyValueRow, truncate } from '@spyglass/charts';

/** Values longer than this are cut in the table; the whole text is the cell's tooltip. */
const MAX_VALUE_CHARS = 80;

/**
 * A two-column table of dotted keys and values (run config or summary). All text goes in through textContent, so
 * a value holding markup shows as text. Rows carry `data-key` for tests.
 */
export class KeyValueTable {
  readonly node: HTMLElement;
  private readonly body = document.createElement('tbody');
  private readonly empty = document.createElement('p');
  private shown = '';

  constructor(title: string, attribute: string, emptyText: string) {
    this.node = document.createElement('section');
    this.node.className = 'jp-SpyglassKeyValues';
    const heading = document.createElement('h3');
    heading.className = 'jp-SpyglassKeyValues-title';
    heading.textContent = title;
    const table = document.createElement('table');
    table.setAttribute(attribute, '');
    table.append(this.body);
    this.empty.className = 'jp-SpyglassKeyValues-empty';
    this.empty.textContent = emptyText;
    this.node.append(heading, table, this.empty);
  }

  /** Shows these rows (replacing the previous ones only if they changed). */
  update(rows: readonly KeyValueRow[]): void {
    const text = JSON.stringify(rows);
    if (text === this.shown) return;
    this.shown = text;
    this.body.replaceChildren(...rows.map(row));
    this.empty.hidden = rows.length > 0;
  }
}

function row({ key, value }: KeyValueRow): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.setAttribute('data-key', key);
  const keyCell = document.createElement('th');
  keyCell.scope = 'row';
  keyCell.textContent = key;
  keyCell.title = key;
  const valueCell = document.createElement('td');
  valueCell.textContent = truncate(value, MAX_VALUE_CHARS);
  if (value.length > MAX_VALUE_CHARS) valueCell.title = value;
  tr.append(keyCell, valueCell);
  return tr;
}
