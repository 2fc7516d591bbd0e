import type { CellValue, TableColumn } from '@spyglass/store';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { el, select, setOptions } from '../dom.js';
import { describeError } from '../errors.js';
import { embedChart } from '../vega-render.js';
import { tableText } from './messages.js';

/**
 * A small chart of the selected rows, in the same output: a scatter when x is numeric, otherwise the mean of y
 * per x value as bars. Data go in inline under fixed field names, so column names never reach a Vega field path.
 */
export class LinkedChart {
  readonly node: HTMLDivElement;
  private readonly xSelect: HTMLSelectElement;
  private readonly ySelect: HTMLSelectElement;
  private readonly chart: HTMLDivElement;
  private readonly hint: HTMLDivElement;
  private columns: TableColumn[] = [];
  private rows: (readonly CellValue[])[] = [];
  private names: string[] = [];
  private view: View | null = null;
  private drawing = Promise.resolve();

  constructor(private readonly doc: Document) {
    this.node = el(doc, 'div', 'sg-table-linked');
    const controls = el(doc, 'div', 'sg-table-linked-controls');
    this.xSelect = select(doc, []);
    this.ySelect = select(doc, []);
    this.xSelect.addEventListener('change', () => this.draw());
    this.ySelect.addEventListener('change', () => this.draw());
    controls.append(
      el(doc, 'label', '', tableText.chartX),
      this.xSelect,
      el(doc, 'label', '', tableText.chartY),
      this.ySelect,
    );
    this.hint = el(doc, 'div', 'sg-table-muted', tableText.chartHint);
    this.chart = el(doc, 'div', 'sg-table-linked-chart');
    this.node.append(controls, this.hint, this.chart);
  }

  /** The columns of the current view (`names` are the row arrays' column order). */
  setColumns(columns: TableColumn[], names: string[]): void {
    this.columns = columns;
    this.names = names;
    const numeric = columns.filter((c) => c.kind === 'number');
    setOptions(
      this.xSelect,
      columns.map((c) => [c.name, c.name]),
    );
    setOptions(
      this.ySelect,
      numeric.map((c) => [c.name, c.name]),
    );
    if (!this.xSelect.value && columns[0]) this.xSelect.value = columns[0].name;
    if (numeric.length > 1 && this.ySelect.value === this.xSelect.value) this.ySelect.value = numeric[1].name;
    this.setRows([]);
  }

  setRows(rows: (readonly CellValue[])[]): void {
    this.rows = rows;
    this.draw();
  }

  dispose(): void {
    this.view?.finalize();
  }

  private draw(): void {
    this.drawing = this.drawing.then(() => this.drawNow()).catch(() => undefined);
  }

  private async drawNow(): Promise<void> {
    this.view?.finalize();
    this.view = null;
    this.chart.replaceChildren();
    const xi = this.names.indexOf(this.xSelect.value);
    const yi = this.names.indexOf(this.ySelect.value);
    this.hint.hidden = this.rows.length > 0;
    if (this.rows.length === 0 || xi < 0 || yi < 0) return;
    const xNumeric = this.columns.find((c) => c.name === this.xSelect.value)?.kind === 'number';
    const values = this.rows.map((r) => ({ x: xNumeric ? r[xi] : String(r[xi] ?? ''), y: r[yi] }));
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 320,
      height: 160,
      data: { values },
      mark: xNumeric ? { type: 'point', filled: true, tooltip: true } : { type: 'bar', tooltip: true },
      encoding: xNumeric
        ? {
            x: { field: 'x', type: 'quantitative', title: this.xSelect.value, scale: { zero: false } },
            y: { field: 'y', type: 'quantitative', title: this.ySelect.value, scale: { zero: false } },
          }
        : {
            x: { field: 'x', type: 'nominal', title: this.xSelect.value },
            y: { field: 'y', type: 'quantitative', aggregate: 'mean', title: `mean ${this.ySelect.value}` },
          },
    };
    try {
      this.view = await embedChart(this.chart, spec);
    } catch (error) {
      this.chart.replaceChildren(el(this.doc, 'div', 'sg-table-error', describeError(error)));
    }
  }
}
