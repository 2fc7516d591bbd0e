import { isEmbeddedPanel, type PanelSection, type PlannedEmbed, type PlannedPanel } from '@spyglass/charts';
import { EmbeddedPanelFrame, type EmbeddingContext } from './EmbeddedPanelFrame.js';
import { HistogramPanel } from './HistogramPanel.js';
import { type ChartContext, type ChartEvents, WorkspaceChart } from './WorkspaceChart.js';

/** A chart or an embedded panel: what the grid keeps per panel id. */
interface GridCell {
  readonly panel: unknown;
  readonly node: HTMLElement;
  dispose(): void;
}

/**
 * The panel grid: collapsible sections (by metric prefix, plus added ones), each a responsive grid of charts.
 * Charts are kept by panel id across updates, so a redraw reuses their vega views; only charts scrolled into view
 * (and in an open section) load and draw, so a project with many metrics loads what is seen.
 */
export class PanelGrid {
  readonly node: HTMLElement;
  private readonly charts = new Map<string, WorkspaceChart>();
  /** Histogram-over-time panels by id, kept across updates like the charts. */
  private readonly histograms = new Map<string, HistogramPanel>();
  /** Embedded panels (table, sweep, lineage) by id, kept across updates like the charts. */
  private readonly embeds = new Map<string, EmbeddedPanelFrame>();
  private readonly sections = new Map<string, HTMLDetailsElement>();
  private readonly visible = new Set<string>();
  private readonly observer: IntersectionObserver;
  private readonly resizer: ResizeObserver;
  private gridWidth = 0;
  private context: ChartContext | null = null;

  constructor(
    private readonly events: ChartEvents & { collapse(section: string, collapsed: boolean): void },
    private readonly embedding: EmbeddingContext = {
      host: null,
      run: () => null,
      remove: (id) => events.remove(id),
    },
  ) {
    this.node = document.createElement('div');
    this.node.className = 'jp-SpyglassWorkspace-grid';
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.panelId ?? '';
        if (entry.isIntersecting) {
          this.visible.add(id);
          const chart = this.charts.get(id) ?? this.histograms.get(id);
          if (chart && this.context) chart.update(this.context);
          this.embeds.get(id)?.ensure();
        } else this.visible.delete(id);
      }
    });
    this.resizer = new ResizeObserver(() => this.onResize());
    this.resizer.observe(this.node);
  }

  private onResize(): void {
    if (this.node.clientWidth === this.gridWidth) return;
    this.gridWidth = this.node.clientWidth;
    for (const [id, chart] of this.charts) {
      if (this.visible.has(id)) chart.resize().catch((error) => console.warn('Spyglass:', error));
    }
    for (const [id, panel] of this.histograms) if (this.visible.has(id)) panel.resize();
  }

  /** Lays out these sections and hands every visible chart the new context. */
  update(plan: PanelSection[], context: ChartContext): void {
    this.context = context;
    const wanted = new Set(plan.flatMap((s) => s.panels.map((p) => p.id)));
    this.dropUnwanted(this.charts, wanted);
    this.dropUnwanted(this.embeds, wanted);
    this.dropUnwanted(this.histograms, wanted);
    const sectionNodes: HTMLElement[] = [];
    for (const section of plan) {
      const node = this.sectionNode(section.name);
      node.open = !section.collapsed;
      const grid = node.querySelector('.jp-SpyglassWorkspace-sectionGrid') as HTMLElement;
      (node.querySelector('summary') as HTMLElement).dataset.count = String(section.panels.length);
      grid.replaceChildren(...section.panels.map((p) => this.cell(p).node));
      sectionNodes.push(node);
    }
    for (const name of [...this.sections.keys()]) {
      if (!plan.some((s) => s.name === name)) this.sections.delete(name);
    }
    this.node.replaceChildren(...sectionNodes);
    for (const [id, chart] of this.charts) if (this.visible.has(id)) chart.update(context);
    for (const [id, panel] of this.histograms) if (this.visible.has(id)) panel.update(context);
    for (const [id, frame] of this.embeds) if (this.visible.has(id)) frame.ensure();
  }

  embedsById(): ReadonlyMap<string, EmbeddedPanelFrame> {
    return this.embeds;
  }

  /** Linked selection for every chart. */
  setHighlight(runIds: string[]): void {
    for (const chart of this.charts.values()) chart.setHighlight(runIds).catch(() => undefined);
  }

  /** New live points for a metric: re-query its visible line panels. */
  refreshMetric(metric: string): void {
    if (!this.context) return;
    for (const [id, chart] of this.charts) {
      if (this.visible.has(id) && chart.panel.kind === 'line' && chart.panel.metric === metric)
        chart.update(this.context);
    }
  }

  chartsById(): ReadonlyMap<string, WorkspaceChart> {
    return this.charts;
  }

  dispose(): void {
    this.observer.disconnect();
    this.resizer.disconnect();
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
    for (const frame of this.embeds.values()) frame.dispose();
    this.embeds.clear();
    for (const panel of this.histograms.values()) panel.dispose();
    this.histograms.clear();
  }

  /** The grid cell drawing a planned panel: an embedded view, a histogram panel or a chart. */
  private cell(panel: PlannedPanel | PlannedEmbed): GridCell {
    if (isEmbeddedPanel(panel)) return this.embed(panel);
    if (panel.kind === 'histogram') {
      const spec = panel;
      return this.kept(this.histograms, spec, () => new HistogramPanel(spec, this.events));
    }
    return this.chart(panel);
  }

  private embed(panel: PlannedEmbed): EmbeddedPanelFrame {
    return this.kept(this.embeds, panel, () => new EmbeddedPanelFrame(panel, this.embedding));
  }

  private chart(panel: PlannedPanel): WorkspaceChart {
    return this.kept(this.charts, panel, () => new WorkspaceChart(panel, this.events));
  }

  /** The cell kept for this panel id, made anew (and observed) when missing or when the panel changed. */
  private kept<T extends GridCell>(cells: Map<string, T>, panel: { id: string }, make: () => T): T {
    let cell = cells.get(panel.id);
    if (cell && JSON.stringify(cell.panel) !== JSON.stringify(panel)) {
      this.observer.unobserve(cell.node);
      cell.dispose();
      cell = undefined;
    }
    if (!cell) {
      cell = make();
      cells.set(panel.id, cell);
      this.observer.observe(cell.node);
    }
    return cell;
  }

  /** Disposes the cells whose panels left the plan (an embedded view stops its polling here). */
  private dropUnwanted(cells: Map<string, GridCell>, wanted: Set<string>): void {
    for (const [id, cell] of cells) {
      if (wanted.has(id)) continue;
      this.observer.unobserve(cell.node);
      cell.dispose();
      cells.delete(id);
      this.visible.delete(id);
    }
  }

  private sectionNode(name: string): HTMLDetailsElement {
    let node = this.sections.get(name);
    if (!node) {
      node = document.createElement('details');
      node.className = 'jp-SpyglassWorkspace-section';
      node.dataset.section = name;
      const summary = document.createElement('summary');
      summary.textContent = name;
      const grid = document.createElement('div');
      grid.className = 'jp-SpyglassWorkspace-sectionGrid';
      node.append(summary, grid);
      const details = node;
      details.addEventListener('toggle', () => this.events.collapse(name, !details.open));
      this.sections.set(name, node);
    }
    return node;
  }
}
