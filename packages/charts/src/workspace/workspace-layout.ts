import { sectionsFromMetrics } from '../metric-sections.js';
import { LayoutValidationError } from './errors.js';
import { EMPTY_TABLE_STATE, type TableState } from './runs-table.js';

/**
 * Version of the saved layout JSON; a newer one is refused with a message instead of being misread.
 * 2 added the embedded panel kinds (table, sweep, lineage); a version 1 layout still loads as it was.
 */
export const LAYOUT_VERSION = 2;
/** The oldest layout version this one still reads. */
export const OLDEST_LAYOUT_VERSION = 1;

/**
 * What the line plots put on x, as WorkspaceData names it: 'step', 'wall' (wall time), 'relative' (seconds since
 * the run's first row), or the name of a define_metric step metric.
 */
export type LayoutXAxis = string;

/** Panels the user added; default panels (one line plot per metric) are derived, not saved. */
export type AddedPanel =
  | { id: string; kind: 'line'; section: string; metric: string }
  /** A logged histogram key (sg.Histogram, watch's gradients/…) over time: a heat strip per run. */
  | { id: string; kind: 'histogram'; section: string; metric: string }
  | { id: string; kind: 'scatter'; section: string; x: string; y: string }
  | { id: string; kind: 'bar'; section: string; column: string }
  | {
      id: string;
      kind: 'custom';
      section: string;
      title: string;
      sql: string;
      spec: Record<string, unknown>;
    };

/**
 * Panels that embed a notebook output's widget (table explorer, sweep panel, lineage graph) instead of a chart;
 * the page that hosts the workspace supplies their views (see EmbeddedPanelHost in packages/widgets).
 */
export type EmbeddedPanel =
  /** One logged table of a run; `step` null follows the latest logged version. */
  | { id: string; kind: 'table'; section: string; runId: string; key: string; step: number | null }
  | { id: string; kind: 'sweep'; section: string; sweepId: string }
  /** The project's lineage graph, around `focus` (a node id) or whole when null. */
  | { id: string; kind: 'lineage'; section: string; focus: string | null };

/** Every panel a layout can hold. */
export type LayoutPanel = AddedPanel | EmbeddedPanel;

export const EMBEDDED_PANEL_KINDS: readonly EmbeddedPanel['kind'][] = ['table', 'sweep', 'lineage'];

export function isEmbeddedPanel<P extends { kind: string }>(
  panel: P,
): panel is Extract<P, { kind: EmbeddedPanel['kind'] }> {
  return (EMBEDDED_PANEL_KINDS as readonly string[]).includes(panel.kind);
}

export interface ChartSettings {
  xAxis: LayoutXAxis;
  /** EMA weight 0 (off) … 0.99, as wandb's smoothing slider. */
  smoothing: number;
  logX: boolean;
  logY: boolean;
}

export interface WorkspaceLayout {
  version: typeof LAYOUT_VERSION;
  table: TableState;
  chart: ChartSettings;
  panels: LayoutPanel[];
  /** Default metric panels the user removed. */
  hiddenMetrics: string[];
  collapsedSections: string[];
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = {
  xAxis: 'step',
  smoothing: 0,
  logX: false,
  logY: false,
};

/** The layout of a workspace nobody has arranged yet. */
export function defaultLayout(): WorkspaceLayout {
  return {
    version: LAYOUT_VERSION,
    table: { ...EMPTY_TABLE_STATE },
    chart: { ...DEFAULT_CHART_SETTINGS },
    panels: [],
    hiddenMetrics: [],
    collapsedSections: [],
  };
}

/** A panel the grid shows: default ones per metric (id `metric:<name>`) and added ones. */
export type PlannedPanel =
  | { id: string; kind: 'line'; metric: string; added: boolean }
  | (AddedPanel & { added: true });

/** An embedded panel in the grid. */
export type PlannedEmbed = EmbeddedPanel & { added: true };

export interface PanelSection {
  name: string;
  collapsed: boolean;
  panels: (PlannedPanel | PlannedEmbed)[];
}

/** Section for added panels whose section names no metric prefix. */
export const CUSTOM_SECTION = 'Custom panels';

/**
 * The panel grid: one line plot per metric in sections by `/` prefix (as the run page), minus those the user
 * removed; added panels join the section they name, or new sections after the metric ones.
 */
export function planPanels(metrics: readonly string[], layout: WorkspaceLayout): PanelSection[] {
  const hidden = new Set(layout.hiddenMetrics);
  const collapsed = new Set(layout.collapsedSections);
  const sections = new Map<string, (PlannedPanel | PlannedEmbed)[]>();
  for (const section of sectionsFromMetrics(metrics.filter((m) => !hidden.has(m)))) {
    sections.set(
      section.name,
      section.metrics.map((metric) => ({ id: `metric:${metric}`, kind: 'line', metric, added: false })),
    );
  }
  for (const panel of layout.panels) {
    const name = panel.section || CUSTOM_SECTION;
    const list = sections.get(name);
    const planned = { ...panel, added: true } as PlannedPanel | PlannedEmbed;
    if (list) list.push(planned);
    else sections.set(name, [planned]);
  }
  return [...sections.entries()].map(([name, panels]) => ({ name, collapsed: collapsed.has(name), panels }));
}

/** A fresh id for an added panel, unique within the layout. */
export function newPanelId(layout: WorkspaceLayout, kind: LayoutPanel['kind']): string {
  const taken = new Set(layout.panels.map((p) => p.id));
  for (let i = 1; ; i++) if (!taken.has(`${kind}-${i}`)) return `${kind}-${i}`;
}

/** The layout as saved: plain JSON with its version. */
export function serialiseLayout(layout: WorkspaceLayout): string {
  return JSON.stringify(layout, null, 1);
}

// ---- validation of saved layouts (workspace files and notebook metadata are untrusted input) ----

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LayoutValidationError(path, 'expected an object');
  }
  return value as Json;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new LayoutValidationError(path, 'expected a string');
  return value;
}

function boolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new LayoutValidationError(path, 'expected true or false');
  return value;
}

function strings(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new LayoutValidationError(path, 'expected a list of strings');
  return value.map((v, i) => string(v, `${path}[${i}]`));
}

function parseXAxis(value: unknown, path: string): LayoutXAxis {
  if (value === undefined) return 'step';
  const axis = string(value, path);
  if (axis === '') throw new LayoutValidationError(path, 'expected a non-empty x axis name');
  return axis;
}

function parseTable(value: unknown, path: string): TableState {
  if (value === undefined) return { ...EMPTY_TABLE_STATE };
  const o = object(value, path);
  let sort: TableState['sort'] = EMPTY_TABLE_STATE.sort;
  if (o.sort === null) sort = null;
  else if (o.sort !== undefined) {
    const s = object(o.sort, `${path}.sort`);
    sort = {
      column: string(s.column, `${path}.sort.column`),
      descending: boolean(s.descending, `${path}.sort.descending`, false),
    };
  }
  return {
    columns: o.columns === null || o.columns === undefined ? null : strings(o.columns, `${path}.columns`),
    sort,
    groupBy: o.groupBy === null || o.groupBy === undefined ? null : string(o.groupBy, `${path}.groupBy`),
    pinned: strings(o.pinned, `${path}.pinned`),
    selected: strings(o.selected, `${path}.selected`),
    search: o.search === undefined ? '' : string(o.search, `${path}.search`),
    states: strings(o.states, `${path}.states`),
    where: o.where === undefined ? '' : string(o.where, `${path}.where`),
  };
}

function nonEmpty(value: unknown, path: string): string {
  const s = string(value, path);
  if (s === '') throw new LayoutValidationError(path, 'expected a non-empty string');
  return s;
}

function parseStep(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new LayoutValidationError(path, 'expected a step (an integer from 0) or null for the latest');
  }
  return value;
}

function parsePanel(value: unknown, path: string, version: number): LayoutPanel {
  const o = object(value, path);
  if (version < 2 && typeof o.kind === 'string' && isEmbeddedPanel({ kind: o.kind })) {
    throw new LayoutValidationError(`${path}.kind`, `panel kind ${o.kind} needs layout version 2`);
  }
  const id = string(o.id, `${path}.id`);
  const section = o.section === undefined ? CUSTOM_SECTION : string(o.section, `${path}.section`);
  switch (o.kind) {
    case 'line':
      return { id, kind: 'line', section, metric: string(o.metric, `${path}.metric`) };
    case 'histogram':
      return { id, kind: 'histogram', section, metric: nonEmpty(o.metric, `${path}.metric`) };
    case 'scatter':
      return { id, kind: 'scatter', section, x: string(o.x, `${path}.x`), y: string(o.y, `${path}.y`) };
    case 'bar':
      return { id, kind: 'bar', section, column: string(o.column, `${path}.column`) };
    case 'custom':
      return {
        id,
        kind: 'custom',
        section,
        title: o.title === undefined ? 'Custom panel' : string(o.title, `${path}.title`),
        sql: string(o.sql, `${path}.sql`),
        spec: object(o.spec, `${path}.spec`),
      };
    case 'table':
      return {
        id,
        kind: 'table',
        section,
        runId: nonEmpty(o.runId, `${path}.runId`),
        key: nonEmpty(o.key, `${path}.key`),
        step: parseStep(o.step, `${path}.step`),
      };
    case 'sweep':
      return { id, kind: 'sweep', section, sweepId: nonEmpty(o.sweepId, `${path}.sweepId`) };
    case 'lineage':
      return {
        id,
        kind: 'lineage',
        section,
        focus: o.focus === undefined || o.focus === null ? null : nonEmpty(o.focus, `${path}.focus`),
      };
    default:
      throw new LayoutValidationError(`${path}.kind`, `unknown panel kind ${JSON.stringify(o.kind)}`);
  }
}

/**
 * Reads a saved layout, throwing LayoutValidationError (with the path of the bad part) for anything malformed or
 * from a newer version. Missing optional parts take their defaults, so older files keep loading.
 */
export function parseLayout(value: unknown): WorkspaceLayout {
  const o = object(value, 'layout');
  const version = o.version;
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < OLDEST_LAYOUT_VERSION ||
    version > LAYOUT_VERSION
  ) {
    const detail =
      typeof o.version === 'number' && o.version > LAYOUT_VERSION
        ? `version ${o.version} was written by a newer Spyglass (this one reads ${LAYOUT_VERSION})`
        : `unsupported version ${JSON.stringify(o.version)}`;
    throw new LayoutValidationError('layout.version', detail);
  }
  const chart = o.chart === undefined ? {} : object(o.chart, 'layout.chart');
  const smoothing = chart.smoothing ?? 0;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing < 1)) {
    throw new LayoutValidationError('layout.chart.smoothing', 'expected a number from 0 to below 1');
  }
  const panels = o.panels === undefined ? [] : o.panels;
  if (!Array.isArray(panels)) throw new LayoutValidationError('layout.panels', 'expected a list');
  const parsed = panels.map((p, i) => parsePanel(p, `layout.panels[${i}]`, version));
  const ids = new Set<string>();
  for (const [i, panel] of parsed.entries()) {
    if (ids.has(panel.id))
      throw new LayoutValidationError(`layout.panels[${i}].id`, `duplicate id ${panel.id}`);
    ids.add(panel.id);
  }
  return {
    version: LAYOUT_VERSION,
    table: parseTable(o.table, 'layout.table'),
    chart: {
      xAxis: parseXAxis(chart.xAxis, 'layout.chart.xAxis'),
      smoothing,
      logX: boolean(chart.logX, 'layout.chart.logX', false),
      logY: boolean(chart.logY, 'layout.chart.logY', false),
    },
    panels: parsed,
    hiddenMetrics: strings(o.hiddenMetrics, 'layout.hiddenMetrics'),
    collapsedSections: strings(o.collapsedSections, 'layout.collapsedSections'),
  };
}
