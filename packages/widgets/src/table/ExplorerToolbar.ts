import {
  AGGREGATE_FUNCTIONS,
  type AggregateFunction,
  type ExportFormat,
  type TableColumn,
} from '@spyglass/store';
import { button, el, select, setOptions } from '../dom.js';
import { ROW_SIZES, type RowSize, thumbHeight } from './grid-geometry.js';
import { tableText } from './messages.js';

const TABLE_BUTTON = 'sg-table-button';

/** Option values meaning "no compare" and "join by row position" (never a version index or a column name). */
const COMPARE_OFF = '';
const BY_POSITION = '';

/** How long the copy button says "Copied". */
const COPIED_MS = 1200;

export interface ExplorerToolbarActions {
  runWhere(): void;
  runSql(): void;
  clearQueries(): void;
  applyGroup(): void;
  /** Called on the first focus of the compare menu: versions are listed on demand. */
  listVersions(): void;
  applyCompare(): void;
  export(format: ExportFormat): void;
  copyFocused(): void;
  setRowSize(size: RowSize): void;
}

/**
 * The explorer's two toolbars: the query bar (WHERE box, SQL box, clear) and the tools bar (group by, aggregate,
 * compare with, join key, exports, copy cell). It holds the controls' values; the explorer acts on them.
 */
export class ExplorerToolbar {
  readonly queryBar: HTMLDivElement;
  readonly toolsBar: HTMLDivElement;
  private readonly whereInput: HTMLInputElement;
  private readonly sqlInput: HTMLTextAreaElement;
  private readonly groupSelect: HTMLSelectElement;
  private readonly aggregateSelect: HTMLSelectElement;
  private readonly compareSelect: HTMLSelectElement;
  private readonly keySelect: HTMLSelectElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly rowSizeSelect: HTMLSelectElement;

  constructor(doc: Document, actions: ExplorerToolbarActions) {
    this.whereInput = el(doc, 'input', 'sg-table-where');
    this.whereInput.placeholder = tableText.wherePlaceholder;
    this.whereInput.addEventListener('keydown', (e) => e.key === 'Enter' && actions.runWhere());
    this.sqlInput = el(doc, 'textarea', 'sg-table-sql');
    this.sqlInput.placeholder = tableText.sqlPlaceholder;
    this.sqlInput.rows = 1;
    this.sqlInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || e.shiftKey)) {
        e.preventDefault();
        actions.runSql();
      }
    });
    this.groupSelect = select(doc, [], 'sg-table-groupby');
    this.groupSelect.addEventListener('change', () => actions.applyGroup());
    this.aggregateSelect = select(
      doc,
      AGGREGATE_FUNCTIONS.filter((f) => f !== 'count').map((f) => [f, f]),
      'sg-table-aggregate',
    );
    this.aggregateSelect.addEventListener('change', () => actions.applyGroup());
    this.compareSelect = select(doc, [[COMPARE_OFF, tableText.compareOff]], 'sg-table-compare');
    this.compareSelect.addEventListener('focus', () => actions.listVersions(), { once: true });
    this.compareSelect.addEventListener('change', () => actions.applyCompare());
    this.keySelect = select(doc, [[BY_POSITION, tableText.byPosition]], 'sg-table-compare-key');
    this.keySelect.addEventListener('change', () => actions.applyCompare());
    this.copyButton = button(doc, tableText.copyCell, () => actions.copyFocused(), TABLE_BUTTON);
    this.copyButton.disabled = true;
    this.rowSizeSelect = select(
      doc,
      (Object.keys(ROW_SIZES) as RowSize[]).map((size) => [
        size,
        tableText.rowSize(size, thumbHeight(ROW_SIZES[size])),
      ]),
      'sg-table-rowsize',
    );
    this.rowSizeSelect.addEventListener('change', () =>
      actions.setRowSize(this.rowSizeSelect.value as RowSize),
    );

    const label = (text: string, ...controls: HTMLElement[]) => {
      const group = el(doc, 'label', 'sg-table-control');
      group.append(el(doc, 'span', 'sg-table-control-label', text), ...controls);
      return group;
    };
    this.queryBar = el(doc, 'div', 'sg-table-toolbar');
    this.queryBar.append(
      label(tableText.where, this.whereInput),
      button(doc, tableText.run, () => actions.runWhere(), TABLE_BUTTON),
      label(tableText.sql, this.sqlInput),
      button(doc, tableText.run, () => actions.runSql(), TABLE_BUTTON),
      button(doc, tableText.clear, () => actions.clearQueries(), TABLE_BUTTON),
    );
    this.toolsBar = el(doc, 'div', 'sg-table-toolbar');
    this.toolsBar.append(
      label(tableText.groupBy, this.groupSelect),
      label(tableText.aggregate, this.aggregateSelect),
      label(tableText.compare, this.compareSelect),
      label(tableText.compareKey, this.keySelect),
      button(doc, tableText.exportCsv, () => actions.export('csv'), TABLE_BUTTON),
      button(doc, tableText.exportParquet, () => actions.export('parquet'), TABLE_BUTTON),
      this.copyButton,
      label(tableText.rowHeight, this.rowSizeSelect),
    );
  }

  get where(): string {
    return this.whereInput.value;
  }

  get sql(): string {
    return this.sqlInput.value;
  }

  /** The group-by column, empty for none. */
  get groupKey(): string {
    return this.groupSelect.value;
  }

  get aggregate(): AggregateFunction {
    return this.aggregateSelect.value as AggregateFunction;
  }

  /** Index of the version chosen to compare with (in the list given to `setVersions`), null when off. */
  get compareChoice(): number | null {
    const choice = this.compareSelect.value;
    return choice === COMPARE_OFF ? null : Number(choice);
  }

  /** The label of the chosen compare entry, if the menu has one selected. */
  get compareLabel(): string | null {
    return this.compareSelect.selectedOptions[0]?.textContent ?? null;
  }

  /** The column to join compared rows on, null for row position. */
  get compareKey(): string | null {
    return this.keySelect.value || null;
  }

  /** Offers the table's visible columns in the group-by and join-key menus. */
  setColumns(columns: readonly TableColumn[]): void {
    setOptions(this.groupSelect, [
      ['', tableText.none],
      ...columns.map((c): [string, string] => [c.name, c.name]),
    ]);
    setOptions(this.keySelect, [
      [BY_POSITION, tableText.byPosition],
      ...columns.map((c): [string, string] => [c.name, c.name]),
    ]);
  }

  /** Lists the versions to compare with, by label; `compareChoice` indexes this list. */
  setVersions(labels: readonly string[]): void {
    setOptions(this.compareSelect, [
      [COMPARE_OFF, tableText.compareOff],
      ...labels.map((label, i): [string, string] => [String(i), label]),
    ]);
  }

  /** An SQL query replaces the WHERE box and grouping, so they are emptied. */
  sqlRan(): void {
    this.whereInput.value = '';
    this.groupSelect.value = '';
  }

  clearQueries(): void {
    this.whereInput.value = '';
    this.sqlInput.value = '';
    this.groupSelect.value = '';
  }

  /** Copy needs a focused cell, so the button starts disabled. */
  enableCopy(): void {
    this.copyButton.disabled = false;
  }

  showCopied(): void {
    this.copyButton.textContent = tableText.copied;
    setTimeout(() => {
      this.copyButton.textContent = tableText.copyCell;
    }, COPIED_MS);
  }
}
