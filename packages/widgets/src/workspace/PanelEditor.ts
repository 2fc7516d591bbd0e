import {
  CUSTOM_PANELS_SECTION,
  DEFAULT_CUSTOM_SPEC,
  DEFAULT_CUSTOM_SQL,
  isEmbeddedPanel,
  type LayoutPanel,
  parseCustomSpec,
  type RunColumn,
} from '@spyglass/charts';
import type { WorkspaceRun } from '@spyglass/protocol';
import { button, el, option } from '../dom.js';
import { describeError } from '../errors.js';
import { styledButton, styledControl } from '../styled-controls.js';
import { type EmbeddedPanelHost, tableKeys } from './embedded-panels.js';
import { workspaceMessages as text } from './workspace-messages.js';

type Kind = LayoutPanel['kind'];
/** A panel as the editor produces it; the workspace gives it an id. */
export type NewPanel = LayoutPanel extends infer P ? (P extends LayoutPanel ? Omit<P, 'id'> : never) : never;

/** What the editor needs to offer the embedded kinds: the page's host and the project's runs. */
export interface EditorEmbedding {
  host: EmbeddedPanelHost;
  runs: readonly WorkspaceRun[];
}

/** Replaces a select's options; the first becomes selected (unlike setOptions, which keeps the value). */
function fill(s: HTMLSelectElement, values: [string, string][]): void {
  s.replaceChildren(...values.map(([value, label]) => option(document, value, label)));
}

function field(label: string, control: HTMLElement, name: string): HTMLLabelElement {
  const wrap = el(document, 'label', 'jp-SpyglassPanelEditor-field');
  wrap.dataset.field = name;
  wrap.append(el(document, 'span', undefined, label), control);
  return wrap;
}

function select(values: [string, string][], className: string): HTMLSelectElement {
  const s = el(document, 'select', className);
  fill(s, values);
  return styledControl(s);
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
  private readonly section = el(document, 'input', 'jp-SpyglassPanelEditor-section');
  private readonly title = el(document, 'input');
  private readonly sql = el(document, 'textarea', 'jp-SpyglassPanelEditor-sql');
  private readonly spec = el(document, 'textarea', 'jp-SpyglassPanelEditor-spec');
  private readonly error = el(document, 'p', 'jp-SpyglassPanelEditor-error');
  private readonly run = select([], 'jp-SpyglassPanelEditor-run');
  private readonly tableKey = select([], 'jp-SpyglassPanelEditor-tableKey');
  private readonly step = select([], 'jp-SpyglassPanelEditor-step');
  private readonly sweep = select([], 'jp-SpyglassPanelEditor-sweep');
  private readonly focus = el(document, 'input', 'jp-SpyglassPanelEditor-focus');
  private readonly histogramKey = el(document, 'input', 'jp-SpyglassPanelEditor-histogramKey');
  private readonly notes = el(document, 'p', 'jp-SpyglassPanelEditor-notes');

  constructor(
    metrics: string[],
    columns: RunColumn[],
    private readonly done: (panel: NewPanel | null) => void,
    private readonly embedding: EditorEmbedding | null = null,
  ) {
    this.node = el(document, 'form', 'jp-SpyglassPanelEditor');
    const heading = el(document, 'h3', undefined, text.editorTitle);
    this.kind = select(
      (Object.keys(text.panelKinds) as Kind[])
        .filter((k) => embedding !== null || !isEmbeddedPanel({ kind: k }))
        .map((k) => [k, text.panelKinds[k]]),
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
    this.title.value = 'Custom panel';
    this.sql.value = DEFAULT_CUSTOM_SQL;
    this.sql.rows = 3;
    this.spec.value = JSON.stringify(DEFAULT_CUSTOM_SPEC, null, 1);
    this.spec.rows = 8;
    for (const area of [this.sql, this.spec]) area.spellcheck = false;
    this.error.hidden = true;

    const fields: Record<Kind, HTMLElement[]> = {
      line: [field(text.editorMetric, this.metric, 'metric')],
      histogram: [field(text.editorHistogramKey, this.histogramKey, 'histogramKey')],
      scatter: [field(text.editorX, this.x, 'x'), field(text.editorY, this.y, 'y')],
      bar: [field(text.editorColumn, this.column, 'column')],
      custom: [
        field(text.editorTitleField, this.title, 'title'),
        field(text.editorSql, this.sql, 'sql'),
        field(text.editorSpec, this.spec, 'spec'),
      ],
      table: [
        field(text.editorRun, this.run, 'run'),
        field(text.editorTableKey, this.tableKey, 'tableKey'),
        field(text.editorStep, this.step, 'step'),
      ],
      sweep: [field(text.editorSweep, this.sweep, 'sweep')],
      lineage: [field(text.editorFocus, this.focus, 'focus')],
    };
    this.histogramKey.placeholder = 'gradients/fc.weight';
    if (embedding) this.prepareEmbedded(embedding);
    const body = el(document, 'div');
    const showFields = () => {
      body.replaceChildren(...fields[this.kind.value as Kind]);
      const embedded = isEmbeddedPanel({ kind: this.kind.value });
      if (embedded) body.append(this.notes);
      if (embedded && this.kind.value === 'sweep') this.loadSweeps();
    };
    this.kind.addEventListener('change', showFields);
    showFields();

    const add = el(document, 'button', 'jp-SpyglassPanelEditor-add', text.editorAdd);
    add.type = 'submit';
    const cancel = button(document, text.editorCancel, () => done(null));
    styledButton(add);
    styledButton(cancel);
    for (const input of [this.section, this.title, this.sql, this.spec, this.focus, this.histogramKey]) {
      styledControl(input);
    }
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

  /** Runs that logged a table, and their keys and steps as the user picks. */
  private prepareEmbedded({ runs }: EditorEmbedding): void {
    const withTables = runs.filter((r) => tableKeys(r).length > 0);
    fill(
      this.run,
      withTables.map((r) => [r.run_id, r.name && r.name !== r.run_id ? `${r.name} (${r.run_id})` : r.run_id]),
    );
    const pickRun = () => {
      const run = withTables.find((r) => r.run_id === this.run.value);
      fill(
        this.tableKey,
        (run ? tableKeys(run) : []).map((k) => [k, k]),
      );
      this.loadSteps();
    };
    this.run.addEventListener('change', pickRun);
    this.tableKey.addEventListener('change', () => this.loadSteps());
    if (withTables.length === 0) this.note(text.editorNoTables);
    pickRun();
  }

  private loadSteps(): void {
    const embedding = this.embedding;
    fill(this.step, [['', text.editorLatestStep]]);
    const run = embedding?.runs.find((r) => r.run_id === this.run.value);
    const key = this.tableKey.value;
    if (!embedding || !run || !key) return;
    this.node.dataset.stepsLoaded = 'false';
    embedding.host
      .tableSteps(run, key)
      .then((steps) => {
        if (this.run.value !== run.run_id || this.tableKey.value !== key) return;
        const chosen = this.step.value;
        fill(this.step, [
          ['', text.editorLatestStep],
          ...[...steps].reverse().map((s): [string, string] => [String(s), String(s)]),
        ]);
        this.step.value = chosen;
        this.node.dataset.stepsLoaded = 'true';
      })
      .catch((error) => this.note(text.editorListFailed(describeError(error))));
  }

  private sweepsRequested = false;

  private loadSweeps(): void {
    if (!this.embedding || this.sweepsRequested) return;
    this.sweepsRequested = true;
    fill(this.sweep, [['', text.editorLoading]]);
    this.embedding.host
      .listSweeps()
      .then((sweeps) => {
        fill(
          this.sweep,
          sweeps.map((s) => [s.id, `${s.name ?? s.id} (${s.id}, ${s.state})`]),
        );
        if (sweeps.length === 0) this.note(text.editorNoSweeps);
        this.node.dataset.sweepsLoaded = String(sweeps.length);
      })
      .catch((error) => {
        fill(this.sweep, []);
        this.note(text.editorListFailed(describeError(error)));
      });
  }

  private note(message: string): void {
    this.notes.textContent = message;
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
      case 'histogram': {
        const key = this.histogramKey.value.trim();
        if (!key) throw new Error(text.editorNeedHistogramKey);
        return { kind: 'histogram', section, metric: key };
      }
      case 'scatter':
        if (!this.x.value || !this.y.value) throw new Error(text.editorNeedColumns);
        return { kind: 'scatter', section, x: this.x.value, y: this.y.value };
      case 'bar':
        if (!this.column.value) throw new Error(text.editorNeedColumns);
        return { kind: 'bar', section, column: this.column.value };
      case 'table':
        if (!this.run.value || !this.tableKey.value) throw new Error(text.editorNoTables);
        return {
          kind: 'table',
          section,
          runId: this.run.value,
          key: this.tableKey.value,
          step: this.step.value === '' ? null : Number(this.step.value),
        };
      case 'sweep':
        if (!this.sweep.value) throw new Error(text.editorNoSweeps);
        return { kind: 'sweep', section, sweepId: this.sweep.value };
      case 'lineage':
        return { kind: 'lineage', section, focus: this.focus.value.trim() || null };
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
