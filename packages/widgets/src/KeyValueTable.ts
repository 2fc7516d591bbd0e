import { type KeyValueRow, truncate } from '@spyglass/charts';
import { el } from './dom.js';

/** Values longer than this are cut in the table; the whole text is the cell's tooltip. */
const MAX_VALUE_CHARS = 80;

/**
 * A two-column table of dotted keys and values (run config or summary). All text goes in through textContent, so
 * a value holding markup shows as text. Rows carry `data-key` for tests.
 */
export class KeyValueTable {
  readonly node: HTMLElement;
  private readonly body = el(document, 'tbody');
  private readonly empty: HTMLElement;
  private shown = '';

  constructor(title: string, attribute: string, emptyText: string) {
    this.node = el(document, 'section', 'jp-SpyglassKeyValues');
    const table = el(document, 'table');
    table.setAttribute(attribute, '');
    table.append(this.body);
    this.empty = el(document, 'p', 'jp-SpyglassKeyValues-empty', emptyText);
    this.node.append(el(document, 'h3', 'jp-SpyglassKeyValues-title', title), table, this.empty);
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
  const tr = el(document, 'tr');
  tr.setAttribute('data-key', key);
  const keyCell = el(document, 'th', undefined, key);
  keyCell.scope = 'row';
  keyCell.title = key;
  const valueCell = el(document, 'td', undefined, truncate(value, MAX_VALUE_CHARS));
  if (value.length > MAX_VALUE_CHARS) valueCell.title = value;
  tr.append(keyCell, valueCell);
  return tr;
}
