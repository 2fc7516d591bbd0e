import type { WallTimeOf } from './hover-readout.js';
import { MetricChart } from './MetricChart.js';
import { messages } from './messages.js';
import { sectionFrame } from './section-frame.js';

/** A chart wanted in a section: the metric and what its x axis shows. */
export interface ChartRequest {
  metric: string;
  xTitle: string;
  /** When a step was logged (the hover readout shows it), for charts over the step. */
  wallTime?: WallTimeOf | null;
}

/**
 * One collapsible group of charts in a run panel (`train`, `val`, `system`...), like a wandb panel section:
 * a `<details>` whose summary names the section and counts its charts, over a grid of MetricCharts.
 */
export class ChartSection {
  readonly node: HTMLDetailsElement;
  private readonly count: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly charts = new Map<string, MetricChart>();

  constructor(
    readonly name: string,
    private readonly runId: string,
    /** Whether the section starts expanded; a collapsed one draws nothing until it is opened. */
    open = true,
    /** Called when the user expands the section (its charts are then drawn). */
    onOpen: () => void = () => undefined,
  ) {
    ({ node: this.node, count: this.count, grid: this.grid } = sectionFrame(name));
    this.node.open = open;
    this.node.addEventListener('toggle', () => {
      if (this.node.open) onOpen();
    });
    this.node.setAttribute('data-section', name);
  }

  /** Makes the section hold exactly these charts, in this order; a chart whose x axis changed is rebuilt. */
  setCharts(requests: readonly ChartRequest[]): MetricChart[] {
    const wanted = new Set(requests.map((r) => r.metric));
    for (const [metric, chart] of this.charts) {
      if (!wanted.has(metric)) {
        chart.dispose();
        this.charts.delete(metric);
      }
    }
    let previous: HTMLElement | null = null;
    const ordered: MetricChart[] = [];
    for (const { metric, xTitle, wallTime } of requests) {
      let chart = this.charts.get(metric);
      if (chart && chart.xTitle !== xTitle) {
        chart.dispose();
        chart = undefined;
      }
      if (!chart) {
        chart = new MetricChart(metric, this.runId, xTitle, wallTime ?? null);
        this.charts.set(metric, chart);
      }
      if (previous) {
        if (previous.nextSibling !== chart.node) previous.after(chart.node);
      } else if (this.grid.firstChild !== chart.node) {
        this.grid.prepend(chart.node);
      }
      previous = chart.node;
      ordered.push(chart);
    }
    this.count.textContent = messages.sectionCount(ordered.length);
    return ordered;
  }

  /** Whether the section is expanded (its charts are drawn only then). */
  get isOpen(): boolean {
    return this.node.open;
  }

  setColumns(columns: number): void {
    this.grid.style.setProperty('--jp-spyglass-columns', String(columns));
  }

  *allCharts(): Iterable<MetricChart> {
    yield* this.charts.values();
  }

  dispose(): void {
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
    this.node.remove();
  }
}
