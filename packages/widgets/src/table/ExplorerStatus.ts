import { el } from '../dom.js';
import { describeError } from '../errors.js';
import { tableText } from './messages.js';

/** The explorer's status line under the grid (row counts, selection, progress) and its error alert above it. */
export class ExplorerStatus {
  readonly line: HTMLDivElement;
  readonly alert: HTMLDivElement;

  constructor(doc: Document) {
    this.line = el(doc, 'div', 'sg-table-status');
    this.alert = el(doc, 'div', 'sg-table-error');
    this.alert.setAttribute('role', 'alert');
    this.alert.hidden = true;
  }

  show(text: string): void {
    this.line.textContent = text;
  }

  /** How many rows the view has of the table's, and how many are selected. */
  showRows(shown: number, total: number, selected: number): void {
    const parts = [tableText.rows(shown, total)];
    if (selected) parts.push(tableText.selection(selected));
    this.line.textContent = parts.join(' · ');
  }

  showError(error: unknown): void {
    this.alert.hidden = false;
    this.alert.textContent = tableText.queryFailed(describeError(error));
  }

  hideError(): void {
    this.alert.hidden = true;
  }
}
