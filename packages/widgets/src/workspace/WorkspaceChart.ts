import {
  BANDS_DATASET,
  type BandRow,
  barSpec,
  type ChartSettings,
  customPanelSpec,
  LINE_PARAMS,
  LINES_DATASET,
  type LineRow,
  numericValue,
  type PlannedPanel,
  QUERY_DATASET,
  RUN_POINTS_DATASET,
  type RunColumn,
  type RunPointRow,
  scatterSpec,
  type TableRun,
  WORKSPACE_LINE_RENDERER,
  workspaceLineSpec,
} from '@spyglass/charts';
import { type WorkspaceData, WorkspaceMemoryError } from '@spyglass/store';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { describeError } from '../errors.js';
import { Throttle } from '../throttle.js';
import { embedChart, refillDataset, replaceDataset, resizeChart } from '../vega-render.js';
import { exportImage, exportSpec } from './export-files.js';
import { type HoverLine, nearestPoint } from './line-hover.js';
import { workspaceMessages as text } from './workspace-messages.js';

/** What every panel draws from: the data layer, the runs the filters keep, and the shared chart settings. */
export interface ChartContext {
  data: WorkspaceData;
  /** Runs to draw, in table order (damaged runs excluded). */
  runs: TableRun[];
  columns: RunColumn[];
  labels: Record<string, string>;
  /** Groups of `runs` when the table is grouped (line plots draw bands), else null. */
  groups: { key: string; runIds: string[] }[] | null;
  settings: ChartSettings;
  highlight: string[];
  /** Settles once the `visible_runs` SQL view matches `runs` (custom panels query it). */
  visibleRunsView: Promise<void>;
}

export interface ChartEvents {
  hover(runId: string | null): void;
  remove(panelId: string): void;
}

const BUILT_IN_AXES = new Set(['step', 'wall', 'relative']);
/** The fields of a LineRow a zoom changes (the run is the tuple's identity). */
const LINE_ROW_FIELDS = ['x', 'y', 'smoothed'];
const HEIGHT = 180;
const MIN_WIDTH = 240;

/** M4 buckets for a plot width: half a bucket per pixel keeps every line at ≤ ~1000 points, spikes intact. */
export function bucketsFor(plotWidth: number): number {
  return Math.max(50, Math.min(250, Math.round(plotWidth / 2)));
}

/**
 * One panel of the workspace grid. Line plots re-query the data layer for the visible x range on every zoom
 * (brush, wheel, shift+wheel pan, double-click reset), so the view only ever holds downsampled rows. Data
 * attributes say what is drawn (data-lines, data-max-points, data-highlighted...) and `node.spyglassView` is the
 * vega view, for tests.
 */
export class WorkspaceChart {
  readonly node: HTMLElement;
  private readonly plot = document.createElement('div');
  private readonly message = document.createElement('p');
  /** Line plots' tooltip: text only, placed by the nearest-point lookup (no per-vertex tooltip in the spec). */
  private readonly tooltip = document.createElement('div');
  /** What the line plot draws, per run sorted by x, for the hover lookup. */
  private hoverLines: HoverLine[] = [];
  private hoverFrame = 0;
  private hoveredRun: string | null = null;
  private view: View | null = null;
  private spec: TopLevelSpec | null = null;
  private specKey = '';
  private context: ChartContext | null = null;
  private range: [number, number] | null = null;
  /** Width last given to the view (its `width` signal reads back smaller under autosize fit-x). */
  private width = 0;
  private readonly throttle: Throttle;
  private generation = 0;
  private disposed = false;

  constructor(
    readonly panel: PlannedPanel,
    private readonly events: ChartEvents,
  ) {
    this.node = document.createElement('figure');
    this.node.className = 'jp-SpyglassWorkspaceChart';
    this.node.dataset.panelId = panel.id;
    this.node.dataset.kind = panel.kind;
    if (panel.kind === 'line') this.node.dataset.metric = panel.metric;
    this.node.dataset.state = 'loading';
    this.plot.className = 'jp-SpyglassWorkspaceChart-plot';
    this.message.className = 'jp-SpyglassWorkspaceChart-message';
    this.message.hidden = true;
    this.tooltip.className = 'jp-SpyglassWorkspaceChart-tooltip';
    this.tooltip.hidden = true;
    Object.assign(this.tooltip.style, {
      position: 'fixed',
      pointerEvents: 'none',
      whiteSpace: 'pre',
      zIndex: '1000',
      padding: '2px 6px',
      font: '11px sans-serif',
      background: 'var(--jp-layout-color0, #fff)',
      color: 'var(--jp-ui-font-color0, #000)',
      border: '1px solid var(--jp-border-color1, #ccc)',
    });
    this.node.append(this.renderHeader(), this.plot, this.message, this.tooltip);
    this.throttle = new Throttle(() => this.redraw(), 60);
    if (panel.kind === 'line') this.listenForZoom();
  }

  get title(): string {
    const p = this.panel;
    if (p.kind === 'line') return p.metric;
    if (p.kind === 'scatter') return `${p.y} vs ${p.x}`;
    if (p.kind === 'bar') return p.column;
    return p.title;
  }

  /** The x range shown (data units), or null for everything. */
  get visibleRange(): [number, number] | null {
    return this.range;
  }

  /** New runs, filters or settings: redraw (throttled). A changed x axis forgets the zoom. */
  update(context: ChartContext): void {
    if (this.context && this.context.settings.xAxis !== context.settings.xAxis) this.range = null;
    this.context = context;
    this.throttle.request();
  }

  /** Zooms to an x range (data units; null resets) and re-queries. */
  zoomTo(range: [number, number] | null): void {
    this.range = range;
    this.throttle.request();
  }

  /** Follows a change of the grid's column width (the next re-query also uses it for the bucket count). */
  async resize(): Promise<void> {
    const width = this.plotWidth();
    if (!this.view || width === this.width) return;
    this.width = width;
    await resizeChart(this.view, width);
  }

  /** Linked selection: emphasises these runs without re-querying. */
  async setHighlight(runIds: string[]): Promise<void> {
    if (this.context) this.context = { ...this.context, highlight: runIds };
    this.node.dataset.highlighted = runIds.join(',');
    if (!this.view) return;
    await this.view.signal(LINE_PARAMS.highlight, runIds).runAsync();
  }

  dispose(): void {
    this.disposed = true;
    this.throttle.dispose();
    cancelAnimationFrame(this.hoverFrame);
    this.view?.finalize();
    this.view = null;
    this.node.remove();
  }

  private renderHeader(): HTMLElement {
    const header = document.createElement('figcaption');
    header.className = 'jp-SpyglassWorkspaceChart-header';
    const title = document.createElement('span');
    title.className = 'jp-SpyglassWorkspaceChart-title';
    title.textContent = this.title;
    title.title = this.title;
    header.append(title);
    const actions: [string, string, () => void][] = [
      [text.exportPng, 'png', () => this.exportAs('png')],
      [text.exportSvg, 'svg', () => this.exportAs('svg')],
      [text.exportSpec, 'spec', () => this.exportAs('spec')],
    ];
    if (this.panel.kind === 'line') actions.unshift([text.resetZoom, 'reset', () => this.zoomTo(null)]);
    if (this.panel.added) actions.push(['×', 'remove', () => this.events.remove(this.panel.id)]);
    for (const [label, action, run] of actions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'jp-SpyglassWorkspaceChart-action';
      b.dataset.action = action;
      b.textContent = label;
      if (action === 'remove') b.title = text.removePanel;
      b.addEventListener('click', run);
      header.append(b);
    }
    return header;
  }

  private exportAs(format: 'png' | 'svg' | 'spec'): void {
    if (!this.view || !this.spec) return;
    if (format === 'spec') exportSpec(this.spec, this.view, this.title);
    else
      exportImage(this.view, this.title, format).catch((e) =>
        this.showMessage(text.exportFailed(describeError(e)), true),
      );
  }

  private plotWidth(): number {
    return Math.max(MIN_WIDTH, Math.floor(this.plot.clientWidth || this.node.clientWidth || 400));
  }

  private async redraw(): Promise<void> {
    const context = this.context;
    if (this.disposed || !context) return;
    const generation = ++this.generation;
    try {
      const drawn = await this.build(context);
      if (this.disposed || generation !== this.generation || drawn === null) return;
      await this.show(drawn.key, drawn.spec, drawn.datasets, drawn.renderer ?? 'svg');
      this.node.dataset.state = 'ready';
      this.node.removeAttribute('data-error');
      this.showMessage(drawn.notice ?? '', false);
    } catch (error) {
      if (this.disposed || generation !== this.generation) return;
      const message =
        error instanceof WorkspaceMemoryError
          ? text.memoryLimit(error.message)
          : text.panelFailed(describeError(error));
      this.node.dataset.state = 'error';
      this.node.dataset.error = message;
      this.showMessage(message, true);
    }
  }

  private async build(context: ChartContext): Promise<Drawn | null> {
    const p = this.panel;
    if (p.kind === 'line') return this.buildLine(p.metric, context);
    if (p.kind === 'custom') {
      await context.visibleRunsView;
      const rows = await context.data.sql(p.sql);
      const spec = customPanelSpec(p.spec, []);
      this.node.dataset.rows = String(rows.length);
      return { key: JSON.stringify(p.spec), spec, datasets: { [QUERY_DATASET]: rows } };
    }
    const byId = new Map(context.columns.map((c) => [c.id, c]));
    const value = (id: string, run: TableRun) => {
      const column = byId.get(id);
      return column ? numericValue(column.value(run)) : null;
    };
    const runs = context.runs.map((r) => r.run_id);
    const common = {
      runs,
      labels: context.labels,
      highlight: context.highlight,
      width: this.plotWidth(),
      height: HEIGHT,
    };
    if (p.kind === 'scatter') {
      const rows: RunPointRow[] = context.runs.flatMap((run) => {
        const x = value(p.x, run);
        const y = value(p.y, run);
        return x === null || y === null ? [] : [{ run: run.run_id, x, y }];
      });
      const spec = scatterSpec({
        ...common,
        title: this.title,
        xTitle: p.x,
        yTitle: p.y,
        logX: context.settings.logX,
        logY: context.settings.logY,
      });
      this.node.dataset.points = String(rows.length);
      return {
        key: JSON.stringify(['scatter', runs, context.settings.logX, context.settings.logY]),
        spec,
        datasets: { [RUN_POINTS_DATASET]: rows },
        notice: rows.length === 0 ? text.notNumeric(`${p.x} / ${p.y}`) : undefined,
      };
    }
    const rows: RunPointRow[] = context.runs.flatMap((run) => {
      const x = value(p.column, run);
      return x === null ? [] : [{ run: run.run_id, x, y: 0 }];
    });
    const spec = barSpec({ ...common, title: this.title, xTitle: p.column, logX: context.settings.logX });
    this.node.dataset.points = String(rows.length);
    return {
      key: JSON.stringify(['bar', runs, context.settings.logX]),
      spec,
      datasets: { [RUN_POINTS_DATASET]: rows },
      notice: rows.length === 0 ? text.notNumeric(p.column) : undefined,
    };
  }

  private async buildLine(metric: string, context: ChartContext): Promise<Drawn | null> {
    const { settings, data } = context;
    const xMetric = BUILT_IN_AXES.has(settings.xAxis) ? undefined : settings.xAxis;
    const runIds = context.runs.filter((r) => r.metrics.includes(metric)).map((r) => r.run_id);
    if (this.node.dataset.state !== 'ready') this.showMessage(text.loadingMetric(metric), false);
    await data.loadMetric(metric, xMetric ? { xMetric } : undefined);
    const wall = settings.xAxis === 'wall';
    const toDisplay = (x: number) => (wall ? x * 1000 : x);
    const smoothing = settings.smoothing > 0 ? { ema: settings.smoothing } : undefined;
    const buckets = bucketsFor(this.plotWidth());
    const range = this.range ?? undefined;
    const groups =
      context.groups
        ?.map((g) => ({ key: g.key, runIds: g.runIds.filter((id) => runIds.includes(id)) }))
        .filter((g) => g.runIds.length > 0) ?? null;
    let lines: LineRow[] = [];
    let bands: BandRow[] = [];
    let notice: string | undefined;
    const perLine = new Map<string, number>();
    this.hoverLines = [];
    if (groups) {
      const result = await data.groupBands({
        metric,
        groups,
        xAxis: settings.xAxis,
        range,
        buckets,
        smoothing,
      });
      bands = result.flatMap((band) =>
        band.points.map((p) => ({
          group: band.key,
          x: toDisplay(p.x),
          min: p.min,
          max: p.max,
          mean: p.mean,
        })),
      );
      for (const band of result) perLine.set(band.key, band.points.length);
      if (bands.length === 0 && runIds.length > 0) notice = text.allNaN(metric);
    } else if (runIds.length > 0) {
      const series = await data.lineSeries({
        metric,
        runIds,
        xAxis: settings.xAxis,
        range,
        buckets,
        smoothing,
      });
      const hoverLines: HoverLine[] = [];
      for (const s of series) {
        perLine.set(s.runId, s.points.length);
        hoverLines.push(hoverLineOf(s.runId, s.points, toDisplay));
        s.points.forEach((p, i) => {
          const raw = s.raw?.[i];
          lines.push({
            run: s.runId,
            x: toDisplay(p.x),
            y: raw ? raw.y : p.y,
            smoothed: smoothing ? p.y : null,
          });
        });
      }
      this.hoverLines = hoverLines;
      if (lines.length === 0 && series.some((s) => s.emptyReason !== null)) notice = text.allNaN(metric);
    }
    if (runIds.length === 0) notice = text.noRunsToChart;
    const counts = [...perLine.values()];
    this.node.dataset.lines = String(counts.filter((n) => n > 0).length);
    this.node.dataset.maxPoints = String(counts.length ? Math.max(...counts) : 0);
    this.node.dataset.points = String(lines.length + bands.length);
    this.node.dataset.groups = groups ? String(groups.length) : '0';
    this.node.dataset.range = this.range ? JSON.stringify(this.range) : '';
    this.node.dataset.yMax = String(lines.reduce((m, r) => Math.max(m, r.y), Number.NEGATIVE_INFINITY));
    const groupKeys = groups?.map((g) => g.key) ?? null;
    const options = {
      metric,
      runs: runIds,
      labels: context.labels,
      groups: groupKeys,
      xType: wall ? ('temporal' as const) : ('quantitative' as const),
      xTitle: xTitleOf(settings.xAxis),
      logX: settings.logX,
      logY: settings.logY,
      smoothing: smoothing !== undefined,
      highlight: context.highlight,
      width: this.plotWidth(),
      height: HEIGHT,
    };
    lines = lines.filter((r) => Number.isFinite(r.x));
    return {
      key: JSON.stringify([
        options.runs,
        options.groups,
        options.xType,
        options.xTitle,
        options.logX,
        options.logY,
        options.smoothing,
        options.labels,
      ]),
      spec: workspaceLineSpec(options),
      // Vega-Lite drops a dataset no layer reads, so only the one drawn is refilled.
      datasets: groups ? { [BANDS_DATASET]: bands } : { [LINES_DATASET]: lines },
      // Bands are a few hundred rows and stay SVG; one line per run is up to 100k vertices: canvas.
      renderer: groups ? 'svg' : WORKSPACE_LINE_RENDERER,
      notice,
    };
  }

  /** Embeds when the spec's shape changed, else swaps the rows in through changesets. */
  private async show(
    key: string,
    spec: TopLevelSpec,
    datasets: Record<string, object[]>,
    renderer: 'svg' | 'canvas',
  ): Promise<void> {
    if (!this.view || key !== this.specKey) {
      this.view?.finalize();
      this.view = null;
      this.plot.replaceChildren();
      const view = await embedChart(this.plot, spec, { renderer });
      if (this.disposed) {
        view.finalize();
        return;
      }
      this.view = view;
      this.spec = spec;
      this.specKey = key;
      this.width = this.plotWidth();
      (this.node as HTMLElement & { spyglassView?: View }).spyglassView = view;
      // Line plots find the hovered run by lookup (see listenForHover); picking 100 long canvas paths per
      // pointer move would cost more than a redraw.
      if (this.panel.kind !== 'line') {
        view.addEventListener('pointerover', (_event, item) => {
          const run = (item as { datum?: { run?: unknown } } | null)?.datum?.run;
          if (typeof run === 'string') this.events.hover(run);
        });
        view.addEventListener('pointerout', () => this.events.hover(null));
      }
    }
    const view = this.view;
    view.signal(LINE_PARAMS.highlight, this.context?.highlight ?? []);
    this.node.dataset.highlighted = (this.context?.highlight ?? []).join(',');
    for (const [name, rows] of Object.entries(datasets)) {
      // Lines keep their tuples across zooms (refilled in place); other datasets are small.
      if (name === LINES_DATASET)
        await refillDataset(view, name, rows as Record<string, unknown>[], 'run', LINE_ROW_FIELDS);
      else await replaceDataset(view, name, rows);
    }
    this.spec = { ...spec };
  }

  private showMessage(message: string, isError: boolean): void {
    this.message.textContent = message;
    this.message.hidden = message === '';
    this.message.classList.toggle('jp-mod-error', isError);
  }

  /** Brush to zoom (on pointer-up), wheel to zoom about the pointer, shift+wheel to pan, double-click to reset. */
  private listenForZoom(): void {
    this.listenForHover();
    this.plot.addEventListener('pointerup', () => {
      const brush = this.view?.signal(LINE_PARAMS.brush) as { x?: unknown[] } | undefined;
      const x = brush?.x;
      if (!Array.isArray(x) || x.length !== 2) return;
      const [a, b] = x.map((v) => this.fromDisplay(v instanceof Date ? v.getTime() : Number(v)));
      if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return;
      // Clear the brush rectangle: the zoomed chart shows the new range instead.
      this.view
        ?.signal(`${LINE_PARAMS.brush}_x`, [])
        .runAsync()
        .catch(() => undefined);
      this.zoomTo([Math.min(a, b), Math.max(a, b)]);
    });
    this.plot.addEventListener('dblclick', () => this.zoomTo(null));
    this.plot.addEventListener(
      'wheel',
      (event) => {
        const view = this.view;
        if (!view) return;
        const domain = (view.scale('x')?.domain() ?? []).map((v: unknown) =>
          this.fromDisplay(v instanceof Date ? v.getTime() : Number(v)),
        );
        const [lo, hi] = this.range ?? [domain[0], domain[domain.length - 1]];
        if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return;
        event.preventDefault();
        const width = hi - lo;
        const surface = this.plot.querySelector('canvas, svg');
        const left = (surface?.getBoundingClientRect().left ?? 0) + view.origin()[0];
        const fraction = Math.min(1, Math.max(0, (event.clientX - left) / Math.max(1, view.width())));
        if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          const delta = (event.shiftKey ? event.deltaY : event.deltaX) / Math.max(1, view.width());
          this.zoomTo([lo + delta * width, hi + delta * width]);
          return;
        }
        const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002)));
        const pivot = lo + fraction * width;
        this.zoomTo([pivot - (pivot - lo) * factor, pivot + (hi - pivot) * factor]);
      },
      { passive: false },
    );
  }

  /** Tooltip and hover highlight from the nearest drawn point, at most once per animation frame. */
  private listenForHover(): void {
    let last: PointerEvent | null = null;
    this.plot.addEventListener('pointermove', (event) => {
      last = event;
      if (this.hoverFrame) return;
      this.hoverFrame = requestAnimationFrame(() => {
        this.hoverFrame = 0;
        if (last) this.hoverAt(last);
      });
    });
    this.plot.addEventListener('pointerleave', () => {
      last = null;
      this.tooltip.hidden = true;
      this.setHovered(null);
    });
  }

  private hoverAt(event: PointerEvent): void {
    const view = this.view;
    const surface = this.plot.querySelector('canvas, svg');
    if (!view || !surface || this.hoverLines.length === 0) return;
    const box = surface.getBoundingClientRect();
    const [ox, oy] = view.origin();
    const x = view.scale('x') as ((v: number) => number) & { invert?: (p: number) => number };
    const y = view.scale('y') as (v: number) => number;
    if (!x?.invert || !y) return;
    const invert = x.invert;
    const hit = nearestPoint(
      this.hoverLines,
      event.clientX - box.left - ox,
      event.clientY - box.top - oy,
      (v) => x(v),
      (p) => Number(invert(p)),
      (v) => y(v),
    );
    this.setHovered(hit?.run ?? null);
    if (!hit) {
      this.tooltip.hidden = true;
      return;
    }
    const wall = this.context?.settings.xAxis === 'wall';
    const name = this.context?.labels[hit.run] ?? hit.run;
    const xText = wall ? new Date(hit.x).toISOString().replace('T', ' ').slice(0, 19) : formatNumber(hit.x);
    const xTitle = xTitleOf(this.context?.settings.xAxis ?? 'step');
    const metric = this.panel.kind === 'line' ? this.panel.metric : '';
    this.tooltip.textContent = `${name}\n${xTitle}: ${xText}\n${metric}: ${formatNumber(hit.y)}`;
    this.tooltip.style.left = `${event.clientX + 12}px`;
    this.tooltip.style.top = `${event.clientY + 12}px`;
    this.tooltip.hidden = false;
  }

  private setHovered(run: string | null): void {
    if (run === this.hoveredRun) return;
    this.hoveredRun = run;
    this.node.dataset.hovered = run ?? '';
    this.events.hover(run);
  }

  private fromDisplay(value: number): number {
    return this.context?.settings.xAxis === 'wall' ? value / 1000 : value;
  }
}

interface Drawn {
  key: string;
  renderer?: 'svg' | 'canvas';
  spec: TopLevelSpec;
  datasets: Record<string, object[]>;
  notice?: string;
}

/** A line's points for the hover lookup: display x, the value drawn on top (smoothed when smoothing), by x. */
function hoverLineOf(
  run: string,
  points: { x: number; y: number }[],
  toDisplay: (x: number) => number,
): HoverLine {
  const order = points
    .map((_, i) => i)
    .filter((i) => Number.isFinite(points[i].x) && Number.isFinite(points[i].y));
  if (order.some((i, k) => k > 0 && points[i].x < points[order[k - 1]].x))
    order.sort((a, b) => points[a].x - points[b].x);
  return {
    run,
    xs: Float64Array.from(order, (i) => toDisplay(points[i].x)),
    ys: Float64Array.from(order, (i) => points[i].y),
  };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function xTitleOf(axis: string): string {
  if (axis === 'wall') return text.xWall;
  if (axis === 'relative') return text.xRelative;
  return axis;
}
