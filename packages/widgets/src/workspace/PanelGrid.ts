import type { PanelSection, PlannedPanel } from '@spyglass/charts';
import { type ChartContext, type ChartEvents, WorkspaceChart } from './WorkspaceChart.js';

/**
 * The panel grid: collapsible sections (by metric prefix, plus added ones), each a responsive grid of charts.
 * Charts are kept by panel id across updates, so a redraw reuses their vega views; only charts scrolled into view
 * (and in an open section) load and draw, so a project with many metrics loads what is seen.
 */
export class PanelGrid {
  readonly node: HTMLElement;
  private readonly charts = new Map<string, WorkspaceChart>();
  private readonly sections = new Map<string, HTMLDetailsElement>();
  private readonly visible = new Set<string>();
  private readonly observer: IntersectionObserver;
  private readonly resizer: ResizeObserver;
  private gridWidth = 0;
  private context: ChartContext | null = null;

  constructor(
    private readonly events: ChartEvents & { collapse(section: string, collapsed: boolean): void },
  ) {
    this.node = document.createElement('div');
    this.node.className = 'jp-SpyglassWorkspace-grid';
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.panelId ?? '';
        if (entry.isIntersecting) {
          this.visible.add(id);
          const chart = this.charts.get(id);
          if (chart && this.context) chart.update(this.context);
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
  }

  /** Lays out these sections and hands every visible chart the new context. */
  update(plan: PanelSection[], context: ChartContext): void {
    this.context = context;
    const wanted = new Set(plan.flatMap((s) => s.panels.map((p) => p.id)));
    for (const [id, chart] of this.charts) {
      if (!wanted.has(id)) {
        this.observer.unobserve(chart.node);
        chart.dispose();
        this.charts.delete(id);
        this.visible.delete(id);
      }
    }
    const sectionNodes: HTMLElement[] = [];
    for (const section of plan) {
      const node = this.sectionNode(section.name);
      node.open = !section.collapsed;
      const grid = node.querySelector('.jp-SpyglassWorkspace-sectionGrid') as HTMLElement;
      (node.querySelector('summary') as HTMLElement).dataset.count = String(section.panels.length);
      grid.replaceChildren(...section.panels.map((p) => this.chart(p).node));
      sectionNodes.push(node);
    }
    for (const name of [...this.sections.keys()]) {
      if (!plan.some((s) => s.name === name)) this.sections.delete(name);
    }
    this.node.replaceChildren(...sectionNodes);
    for (const [id, chart] of this.charts) if (this.visible.has(id)) chart.update(context);
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
  }

  private chart(panel: PlannedPanel): WorkspaceChart {
    let chart = this.charts.get(panel.id);
    if (chart && JSON.stringify(chart.panel) !== JSON.stringify(panel)) {
      this.observer.unobserve(chart.node);
      chart.dispose();
      chart = undefined;
    }
    if (!chart) {
      chart = new WorkspaceChart(panel, this.events);
      this.charts.set(panel.id, chart);
      this.observer.observe(chart.node);
    }
    return chart;
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
