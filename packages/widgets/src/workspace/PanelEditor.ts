import {
  type AddedPanel,
  CUSTOM_PANELS_SECTION,
  DEFAULT_CUSTOM_SPEC,
  DEFAULT_CUSTOM_SQL,
  parseCustomSpec,
  type RunColumn,
} from '@spyglass/charts';
import { describeError } from '../errors.js';
import { workspaceMessages as text } from './workspace-messages.js';

type Kind = AddedPanel['kind'];
/** A panel as the editor produces it; the workspace gives it an id. */
export type NewPanel = AddedPanel extends infer P ? (P extends AddedPanel ? Omit<P, 'id'> : never) : never;

function field(label: string, control: HTMLElement, name: string): HTMLLabelElement {
  const wrap = document.createElement('label');
  wrap.className = 'jp-SpyglassPanelEditor-field';
  wrap.dataset.field = name;
  const span = document.createElement('span');
  span.textContent = label;
  wrap.append(span, control);
  return wrap;
}

function select(values: [string, string][], className: string): HTMLSelectElement {
  const s = document.createElement('select');
  s.className = className;
  for (const [value, label] of values) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    s.append(o);
  }
  return s;
}

/**
 * The add-panel form: a line plot of a metric, a scatter of two run columns, a bar of one, or a custom Vega-Lite
 * spec over a SQL query. It validates what it can (the custom spec's JSON, no URLs) and reports in words.
 */
export class PanelEditor {
  readonly node: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly metric: HTMLSelectElement;
  private readonly x: HTMLSelectElement;
  private readonly y: HTMLSelectElement;
  private readonly column: HTMLSelectElement;
  private readonly section = document.createElement('input');
  private readonly title = document.createElement('input');
  private readonly sql = document.createElement('textarea');
  private readonly spec = document.createElement('textarea');
  private readonly error = document.createElement('p');

  constructor(
    metrics: string[],
    columns: RunColumn[],
    private readonly done: (panel: NewPanel | null) => void,
  ) {
    this.node = document.createElement('form');
    this.node.className = 'jp-SpyglassPanelEditor';
    const heading = document.createElement('h3');
    heading.textContent = text.editorTitle;
    this.kind = select(
      (Object.keys(text.panelKinds) as Kind[]).map((k) => [k, text.panelKinds[k]]),
      'jp-SpyglassPanelEditor-kind',
    );
    this.metric = select(
      metrics.map((m) => [m, m]),
      'jp-SpyglassPanelEditor-metric',
    );
    // Scatter and bar panels plot run-level numbers: config values and summary metrics.
    const numeric: [string, string][] = columns
      .filter((c) => c.kind !== 'run' || c.id === 'created' || c.id === 'duration')
      .slice(0, 1000)
      .map((c) => [c.id, c.id]);
    this.x = select(numeric, 'jp-SpyglassPanelEditor-x');
    this.y = select(numeric, 'jp-SpyglassPanelEditor-y');
    if (numeric.length > 1) this.y.selectedIndex = 1;
    this.column = select(numeric, 'jp-SpyglassPanelEditor-column');
    this.section.value = CUSTOM_PANELS_SECTION;
    this.section.className = 'jp-SpyglassPanelEditor-section';
    this.title.value = 'Custom panel';
    this.sql.className = 'jp-SpyglassPanelEditor-sql';
    this.sql.value = DEFAULT_CUSTOM_SQL;
    this.sql.rows = 3;
    this.spec.className = 'jp-SpyglassPanelEditor-spec';
    this.spec.value = JSON.stringify(DEFAULT_CUSTOM_SPEC, null, 1);
    this.spec.rows = 8;
    for (const area of [this.sql, this.spec]) area.spellcheck = false;
    this.error.className = 'jp-SpyglassPanelEditor-error';
    this.error.hidden = true;

    const fields: Record<Kind, HTMLElement[]> = {
      line: [field(text.editorMetric, this.metric, 'metric')],
      scatter: [field(text.editorX, this.x, 'x'), field(text.editorY, this.y, 'y')],
      bar: [field(text.editorColumn, this.column, 'column')],
      custom: [
        field(text.editorTitleField, this.title, 'title'),
        field(text.editorSql, this.sql, 'sql'),
        field(text.editorSpec, this.spec, 'spec'),
      ],
    };
    const body = document.createElement('div');
    const showFields = () => body.replaceChildren(...fields[this.kind.value as Kind]);
    this.kind.addEventListener('change', showFields);
    showFields();

    const add = document.createElement('button');
    add.type = 'submit';
    add.className = 'jp-SpyglassPanelEditor-add';
    add.textContent = text.editorAdd;
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = text.editorCancel;
    cancel.addEventListener('click', () => done(null));
    this.node.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.node.append(
      heading,
      field(text.editorKind, this.kind, 'kind'),
      body,
      field(text.editorSection, this.section, 'section'),
      this.error,
      add,
      cancel,
    );
  }

  private submit(): void {
    try {
      this.done(this.read());
    } catch (error) {
      this.error.textContent = describeError(error);
      this.error.hidden = false;
    }
  }

  private read(): NewPanel {
    const section = this.section.value.trim() || CUSTOM_PANELS_SECTION;
    switch (this.kind.value as Kind) {
      case 'line':
        if (!this.metric.value) throw new Error(text.noMetrics);
        return { kind: 'line', section, metric: this.metric.value };
      case 'scatter':
        if (!this.x.value || !this.y.value) throw new Error(text.editorNeedColumns);
        return { kind: 'scatter', section, x: this.x.value, y: this.y.value };
      case 'bar':
        if (!this.column.value) throw new Error(text.editorNeedColumns);
        return { kind: 'bar', section, column: this.column.value };
      default:
        return {
          kind: 'custom',
          section,
          title: this.title.value.trim() || 'Custom panel',
          sql: this.sql.value,
          spec: parseCustomSpec(this.spec.value),
        };
    }
  }
}
