import {
  assignedRunColor,
  BANDS_DATASET,
  groupColor,
  LINE_PARAMS,
  linesExtent,
  type PlannedPanel,
} from '@spyglass/charts';
import { WorkspaceMemoryError } from '@spyglass/store';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { describeError } from '../errors.js';
import { Throttle } from '../throttle.js';
import { embedChart, replaceDataset, resizeChart } from '../vega-render.js';
import { ChartLegend } from './ChartLegend.js';
import { bucketsFor, type ChartContext, type ChartEvents } from './chart-context.js';
import { BUTTON_ZOOM, listenForZoom, type ZoomTarget, zoomStep } from './chart-zoom.js';
import { exportChart, panelSpecForFile } from './export-files.js';
import { LinePlotView } from './LinePlotView.js';
import { LineTooltip } from './LineTooltip.js';
import { describeHit, type HoverLine } from './line-hover.js';
import { type LineDrawing, type LineStats, lineDrawing } from './line-panel-data.js';
import { type PanelAction, panelHeader, removeAction } from './panel-header.js';
import { runPanelDrawing, type VegaDrawing } from './run-panel-drawing.js';
import { workspaceMessages as text } from './workspace-messages.js';

export { bucketsFor, type ChartContext, type ChartEvents } from './chart-context.js';

const HEIGHT = 180;
const MIN_WIDTH = 240;

/**
 * One panel of the workspace grid. Line plots re-query the data layer for the visible x range on every zoom
 * (brush, wheel, shift+wheel pan, double-click reset), so the chart only ever holds downsampled rows; their
 * per-run lines are painted by a LinePlotView. Data attributes say what is drawn (data-lines, data-max-points,
 * data-highlighted...); `node.spyglassView` is the vega view and `node.spyglassLines` the lines painted, for tests.
 */
export class WorkspaceChart {
  readonly node: HTMLElement;
  private readonly plot = document.createElement('div');
  private readonly message = document.createElement('p');
  private readonly tooltip: LineTooltip | null = null;
  /** Scatter, bar, custom and grouped-band panels. */
  private vega: View | null = null;
  private vegaSpec: TopLevelSpec | null = null;
  private vegaKey = '';
  /** Per-run line panels. */
  private linePlot: LinePlotView | null = null;
  private hoverLines: HoverLine[] = [];
  private context: ChartContext | null = null;
  private range: [number, number] | null = null;
  /** The data's x extent (data units) as last drawn unzoomed: zooms stay within it. */
  private extent: [number, number] | null = null;
  private readonly legend: ChartLegend;
  /** Width last drawn at (the view's `width` signal reads back smaller under autosize fit-x). */
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
    this.legend = new ChartLegend((key) => {
      if (this.context?.groups == null) this.events.hover(key);
    });
    this.node.append(this.renderHeader(), this.plot, this.legend.node, this.message);
    this.throttle = new Throttle(() => this.redraw(), 60);
    if (panel.kind === 'line') {
      this.tooltip = new LineTooltip(this.plot, {
        view: () => this.view,
        lines: () => this.hoverLines,
        describe: (hit) =>
          describeHit(hit, {
            axis: this.context?.settings.xAxis ?? 'step',
            name: this.context?.labels[hit.run] ?? hit.run,
            metric: this.panel.kind === 'line' ? this.panel.metric : '',
          }),
        hovered: (run) => {
          this.node.dataset.hovered = run ?? '';
          this.events.hover(run);
        },
      });
      this.node.append(this.tooltip.node);
      listenForZoom(this.plot, this.zoomTarget);
      this.plot.title = text.zoomHint;
    }
  }

  get title(): string {
    const p = this.panel;
    if (p.kind === 'line') return p.metric;
    if (p.kind === 'scatter') return `${p.y} vs ${p.x}`;
    if (p.kind === 'bar') return p.column;
    if (p.kind === 'histogram') return p.metric;
    return p.title;
  }

  /** The x range shown (data units), or null for everything. */
  get visibleRange(): [number, number] | null {
    return this.range;
  }

  /** What the zoom gestures and buttons drive. */
  private readonly zoomTarget: ZoomTarget = {
    view: () => this.view,
    range: () => this.range,
    extent: () => this.extent,
    zoomTo: (range) => this.zoomTo(range),
    fromDisplay: (x) => this.fromDisplay(x),
  };

  private fromDisplay(x: number): number {
    return this.context?.settings.xAxis === 'wall' ? x / 1000 : x;
  }

  /** The vega view drawing the panel (a line panel's frame), once shown. */
  private get view(): View | null {
    return this.linePlot?.view ?? this.vega;
  }

  /** New runs, filters or settings: redraw (throttled). A changed x axis forgets the zoom. */
  update(context: ChartContext): void {
    if (this.context && this.context.settings.xAxis !== context.settings.xAxis) {
      this.range = null;
      this.extent = null;
    }
    this.context = context;
    this.throttle.request();
  }

  /** Zooms to an x range (data units; null resets) and re-queries. */
  zoomTo(range: [number, number] | null): void {
    this.range = range;
    this.throttle.request();
  }

  /** Follows a change of the grid's column width; a line plot re-queries when its bucket count changes. */
  async resize(): Promise<void> {
    const width = this.plotWidth();
    if (!this.view || width === this.width) return;
    const rebucket = this.panel.kind === 'line' && bucketsFor(width) !== bucketsFor(this.width);
    this.width = width;
    if (rebucket) this.throttle.request();
    else if (this.linePlot) await this.linePlot.resize(width);
    else if (this.vega) await resizeChart(this.vega, width);
  }

  /** Linked selection: emphasises these runs without re-querying. */
  async setHighlight(runIds: string[]): Promise<void> {
    if (this.context) this.context = { ...this.context, highlight: runIds };
    this.node.dataset.highlighted = runIds.join(',');
    if (this.linePlot) await this.linePlot.setHighlight(runIds);
    else if (this.vega) await this.vega.signal(LINE_PARAMS.highlight, runIds).runAsync();
  }

  dispose(): void {
    this.disposed = true;
    this.throttle.dispose();
    this.tooltip?.dispose();
    this.vega?.finalize();
    this.vega = null;
    this.linePlot?.dispose();
    this.linePlot = null;
    this.node.remove();
  }

  private renderHeader(): HTMLElement {
    const actions: PanelAction[] = [
      [text.exportPng, 'png', () => this.exportAs('png')],
      [text.exportSvg, 'svg', () => this.exportAs('svg')],
      [text.exportSpec, 'spec', () => this.exportAs('spec')],
    ];
    if (this.panel.kind === 'line')
      actions.unshift(
        ['+', 'zoom-in', () => zoomStep(this.zoomTarget, BUTTON_ZOOM), text.zoomIn],
        ['−', 'zoom-out', () => zoomStep(this.zoomTarget, 1 / BUTTON_ZOOM), text.zoomOut],
        [text.resetZoom, 'reset', () => this.zoomTo(null)],
      );
    if (this.panel.added) actions.push(removeAction(() => this.events.remove(this.panel.id)));
    return panelHeader(this.title, actions);
  }

  /** Exports what the panel shows (a line panel: its lines as a Vega spec; others: their spec with their rows). */
  private exportAs(format: 'png' | 'svg' | 'spec'): void {
    const spec = this.linePlot
      ? this.linePlot.exportSpec()
      : this.vega && this.vegaSpec
        ? panelSpecForFile(this.vegaSpec, this.vega, this.title)
        : null;
    if (spec)
      exportChart(spec, this.title, format).catch((e) =>
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
    const stale = () => this.disposed || generation !== this.generation;
    try {
      if (this.panel.kind === 'line' && this.node.dataset.state !== 'ready')
        this.showMessage(text.loadingMetric(this.panel.metric), false);
      const width = this.plotWidth();
      const drawing =
        this.panel.kind === 'line'
          ? await lineDrawing(this.panel.metric, context, {
              width,
              height: HEIGHT,
              buckets: bucketsFor(width),
              range: this.range,
            })
          : await runPanelDrawing(this.panel, this.title, context, { width, height: HEIGHT });
      if (stale()) return;
      this.width = width;
      await this.show(drawing, context.highlight);
      if (stale()) return;
      this.node.dataset.state = 'ready';
      this.node.removeAttribute('data-error');
      this.showMessage(drawing.notice ?? '', false);
    } catch (error) {
      if (stale()) return;
      const message =
        error instanceof WorkspaceMemoryError
          ? text.memoryLimit(error.message)
          : text.panelFailed(describeError(error));
      this.node.dataset.state = 'error';
      this.node.dataset.error = message;
      this.showMessage(message, true);
    }
  }

  private async show(drawing: VegaDrawing | LineDrawing, highlight: string[]): Promise<void> {
    if (drawing.kind !== 'vega') this.report(drawing.stats);
    else Object.assign(this.node.dataset, drawing.attributes);
    if (drawing.kind === 'lines') {
      if (!this.linePlot) {
        this.dropVega();
        this.linePlot = new LinePlotView();
        this.plot.replaceChildren(this.linePlot.node);
      }
      await this.linePlot.show(drawing.options, drawing.lines, drawing.range, highlight);
      this.noteExtent(linesExtent(drawing.lines));
      const colors = drawing.options.colors;
      this.legend.show(
        drawing.lines.filter((l) => l.xs.length > 0).map((l) => l.run),
        (run) => this.context?.labels[run] ?? run,
        (run) => assignedRunColor(run, colors),
      );
      this.hoverLines = drawing.lines.map((l) => ({ run: l.run, xs: l.xs, ys: l.smoothed ?? l.ys }));
      this.expose({ spyglassView: this.linePlot.view, spyglassLines: this.linePlot.drawn });
      return;
    }
    this.hoverLines = [];
    if (drawing.kind === 'bands') {
      await this.showVega(drawing.key, drawing.spec, { [BANDS_DATASET]: drawing.bands }, highlight);
      this.noteExtent(linesExtent([{ xs: drawing.bands.map((b) => b.x) }]));
      const groups = drawing.groups;
      this.legend.show(
        groups,
        (group) => group,
        (group) => groupColor(group, groups),
      );
    } else {
      await this.showVega(drawing.key, drawing.spec, drawing.datasets, highlight);
      this.legend.clear();
    }
  }

  /** Keeps the data's x extent: set by an unzoomed drawing, widened by a zoomed one (live runs grow). */
  private noteExtent(display: [number, number] | null): void {
    if (!display) return;
    const drawn: [number, number] = [this.fromDisplay(display[0]), this.fromDisplay(display[1])];
    if (this.range === null || !this.extent) this.extent = drawn;
    else this.extent = [Math.min(this.extent[0], drawn[0]), Math.max(this.extent[1], drawn[1])];
  }

  /** Embeds when the spec's shape changed, else swaps the rows in through changesets. */
  private async showVega(
    key: string,
    spec: TopLevelSpec,
    datasets: Record<string, object[]>,
    highlight: string[],
  ): Promise<void> {
    if (!this.vega || key !== this.vegaKey) {
      this.dropVega();
      this.linePlot?.dispose();
      this.linePlot = null;
      const host = document.createElement('div');
      this.plot.replaceChildren(host);
      const view = await embedChart(host, spec);
      if (this.disposed) {
        view.finalize();
        return;
      }
      this.vega = view;
      this.vegaKey = key;
      if (this.panel.kind !== 'line') {
        view.addEventListener('pointerover', (_event, item) => {
          const run = (item as { datum?: { run?: unknown } } | null)?.datum?.run;
          if (typeof run === 'string') this.events.hover(run);
        });
        view.addEventListener('pointerout', () => this.events.hover(null));
      }
    }
    const view = this.vega;
    view.signal(LINE_PARAMS.highlight, highlight);
    for (const [name, rows] of Object.entries(datasets)) await replaceDataset(view, name, rows);
    this.vegaSpec = spec;
    this.expose({ spyglassView: view, spyglassLines: [] });
  }

  private dropVega(): void {
    this.vega?.finalize();
    this.vega = null;
    this.vegaKey = '';
  }

  private report(stats: LineStats): void {
    const d = this.node.dataset;
    d.lines = String(stats.lines);
    d.maxPoints = String(stats.maxPoints);
    d.points = String(stats.points);
    d.groups = String(stats.groups);
    d.range = this.range ? JSON.stringify(this.range) : '';
    d.yMax = String(stats.yMax);
  }

  private expose(drawn: { spyglassView: View | null; spyglassLines: unknown }): void {
    Object.assign(this.node, drawn);
    this.node.dataset.highlighted = (this.context?.highlight ?? []).join(',');
  }

  private showMessage(message: string, isError: boolean): void {
    this.message.textContent = message;
    this.message.hidden = message === '';
    this.message.classList.toggle('jp-mod-error', isError);
  }
}
