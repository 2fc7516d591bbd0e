import type { ChartSettings, RunColumn } from '@spyglass/charts';
import { el, button as plainButton, setOptions } from '../dom.js';
import { styledButton, styledControl } from '../styled-controls.js';
import { workspaceMessages as text } from './workspace-messages.js';

export interface ToolbarEvents {
  search(value: string): void;
  where(clause: string): void;
  groupBy(column: string | null): void;
  toggleColumn(column: string): void;
  moveColumn(column: string, by: -1 | 1): void;
  chart(settings: Partial<ChartSettings>): void;
  addPanel(): void;
  exportTable(format: 'csv' | 'parquet'): void;
}

const MAX_CHOICES = 500;

function button(label: string, onClick: () => void, className?: string): HTMLButtonElement {
  return styledButton(plainButton(document, label, onClick, className));
}

function labelled(label: string, control: HTMLElement): HTMLLabelElement {
  const wrap = el(document, 'label', 'jp-SpyglassWorkspace-control');
  wrap.append(el(document, 'span', undefined, label), control);
  return wrap;
}

/**
 * The controls above the runs table and charts: quick search, SQL WHERE box (with its error or match count),
 * group-by picker, column chooser, x-axis picker, smoothing slider, log toggles, add-panel and table export.
 */
export class WorkspaceToolbar {
  readonly node: HTMLElement;
  readonly status = el(document, 'span', 'jp-SpyglassWorkspace-status');
  private readonly search = el(document, 'input', 'jp-SpyglassWorkspace-search');
  private readonly where = el(document, 'input', 'jp-SpyglassWorkspace-where');
  private readonly whereStatus = el(document, 'span', 'jp-SpyglassWorkspace-whereStatus');
  private readonly groupBy = el(document, 'select', 'jp-SpyglassWorkspace-groupBy');
  private readonly columnList = el(document, 'div', 'jp-SpyglassWorkspace-columnList');
  private readonly xAxis = el(document, 'select', 'jp-SpyglassWorkspace-xAxis');
  private readonly smoothing = el(document, 'input', 'jp-SpyglassWorkspace-smoothing');
  private readonly smoothingValue = el(document, 'span');
  private readonly logX = el(document, 'input', 'jp-SpyglassWorkspace-logX');
  private readonly logY = el(document, 'input', 'jp-SpyglassWorkspace-logY');

  constructor(private readonly events: ToolbarEvents) {
    this.node = el(document, 'div', 'jp-SpyglassWorkspace-toolbar');

    this.search.type = 'search';
    this.search.placeholder = text.searchPlaceholder;
    styledControl(this.search, text.searchLabel);
    this.search.addEventListener('input', () => events.search(this.search.value));

    this.where.type = 'text';
    this.where.placeholder = text.wherePlaceholder;
    this.where.spellcheck = false;
    styledControl(this.where, text.whereLabel);
    this.where.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') events.where(this.where.value);
    });
    const whereRow = el(document, 'div', 'jp-SpyglassWorkspace-whereRow');
    whereRow.append(
      this.where,
      button(text.whereApply, () => events.where(this.where.value), 'jp-SpyglassWorkspace-whereApply'),
      button(text.whereClear, () => {
        this.where.value = '';
        events.where('');
      }),
      this.whereStatus,
    );

    styledControl(this.groupBy);
    this.groupBy.addEventListener('change', () =>
      events.groupBy(this.groupBy.value === '' ? null : this.groupBy.value),
    );

    const chooser = el(document, 'details', 'jp-SpyglassWorkspace-columns');
    chooser.append(el(document, 'summary', undefined, text.columns), this.columnList);

    styledControl(this.xAxis);
    this.xAxis.addEventListener('change', () => events.chart({ xAxis: this.xAxis.value }));

    this.smoothing.type = 'range';
    this.smoothing.min = '0';
    this.smoothing.max = '0.99';
    this.smoothing.step = '0.01';
    this.smoothing.addEventListener('input', () => {
      this.smoothingValue.textContent = this.smoothing.value;
      events.chart({ smoothing: Number(this.smoothing.value) });
    });
    for (const [box, key] of [
      [this.logX, 'logX'],
      [this.logY, 'logY'],
    ] as const) {
      box.type = 'checkbox';
      styledControl(box);
      box.addEventListener('change', () => events.chart({ [key]: box.checked }));
    }

    const exports = el(document, 'span', 'jp-SpyglassWorkspace-exports');
    exports.append(
      document.createTextNode(`${text.exportTable}: `),
      button(text.exportCsv, () => events.exportTable('csv'), 'jp-SpyglassWorkspace-exportCsv'),
      button(text.exportParquet, () => events.exportTable('parquet'), 'jp-SpyglassWorkspace-exportParquet'),
    );

    const tableRow = el(document, 'div', 'jp-SpyglassWorkspace-toolbarRow');
    tableRow.append(this.search, labelled(text.groupBy, this.groupBy), chooser, exports, this.status);
    const chartRow = el(document, 'div', 'jp-SpyglassWorkspace-toolbarRow');
    chartRow.append(
      labelled(text.xAxis, this.xAxis),
      labelled(text.smoothing, this.smoothing),
      this.smoothingValue,
      labelled(text.logX, this.logX),
      labelled(text.logY, this.logY),
      button(text.addPanel, () => events.addPanel(), 'jp-SpyglassWorkspace-addPanel'),
    );
    this.node.append(tableRow, whereRow, chartRow);
  }

  /** Shows the current state (after a load or restore) without firing events. */
  update(options: {
    search: string;
    where: string;
    groupBy: string | null;
    all: RunColumn[];
    visible: RunColumn[];
    chart: ChartSettings;
    xAxes: string[];
  }): void {
    if (document.activeElement !== this.search) this.search.value = options.search;
    if (document.activeElement !== this.where) this.where.value = options.where;
    setOptions(this.groupBy, [
      ['', text.noGrouping],
      ...options.all
        .slice(0, MAX_CHOICES)
        .map((c): [string, string] => [c.id, c.kind === 'run' ? c.label : c.id]),
    ]);
    this.groupBy.value = options.groupBy ?? '';
    this.renderColumns(options.all, options.visible);
    const builtIn: [string, string][] = [
      ['step', text.xStep],
      ['wall', text.xWall],
      ['relative', text.xRelative],
    ];
    const axes: [string, string][] = [...builtIn, ...options.xAxes.map((m): [string, string] => [m, m])];
    if (!axes.some(([value]) => value === options.chart.xAxis)) {
      axes.push([options.chart.xAxis, options.chart.xAxis]);
    }
    setOptions(this.xAxis, axes);
    this.xAxis.value = options.chart.xAxis;
    this.smoothing.value = String(options.chart.smoothing);
    this.smoothingValue.textContent = String(options.chart.smoothing);
    this.logX.checked = options.chart.logX;
    this.logY.checked = options.chart.logY;
  }

  /** The WHERE box's outcome: an error (red) or how many runs it kept; empty clears it. */
  setWhereStatus(message: string, isError: boolean): void {
    this.whereStatus.textContent = message;
    this.whereStatus.classList.toggle('jp-mod-error', isError);
    this.where.classList.toggle('jp-mod-error', isError);
  }

  private renderColumns(all: RunColumn[], visible: RunColumn[]): void {
    const shown = new Set(visible.map((c) => c.id));
    // Thousands of metric keys would make thousands of rows: offer the first ones; the rest stay reachable by SQL.
    const ordered = [...visible, ...all.filter((c) => !shown.has(c.id))].slice(0, MAX_CHOICES);
    this.columnList.replaceChildren(
      ...ordered.map((column) => {
        const row = el(document, 'div', 'jp-SpyglassWorkspace-columnItem');
        row.dataset.column = column.id;
        const box = el(document, 'input');
        box.type = 'checkbox';
        box.checked = shown.has(column.id);
        styledControl(box, text.showColumn(column.id));
        box.addEventListener('change', () => this.events.toggleColumn(column.id));
        row.append(box, el(document, 'span', undefined, column.kind === 'run' ? column.label : column.id));
        if (shown.has(column.id)) {
          row.append(
            button('←', () => this.events.moveColumn(column.id, -1)),
            button('→', () => this.events.moveColumn(column.id, 1)),
          );
          (row.lastChild as HTMLElement).title = text.moveRight;
          (row.lastChild as HTMLElement).setAttribute('aria-label', `${text.moveRight}: ${column.id}`);
          (row.children[2] as HTMLElement).title = text.moveLeft;
          (row.children[2] as HTMLElement).setAttribute('aria-label', `${text.moveLeft}: ${column.id}`);
        }
        return row;
      }),
    );
  }
}
