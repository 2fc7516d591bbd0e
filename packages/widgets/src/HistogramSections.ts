import { sectionsFromMetrics } from '@spyglass/charts';
import type { HistogramPoint } from '@spyglass/protocol';
import { HistogramChart } from './HistogramChart.js';
import { onThemeChange } from './heat-theme.js';
import { messages } from './messages.js';
import { type SectionFrame, sectionFrame } from './section-frame.js';

/** Where a run panel's heat strips come from (the run's data source). */
export interface HistogramSource {
  histogramCount(): Promise<number>;
  histogramNames(): Promise<string[]>;
  histogramSeries(metric: string, maxSteps: number): Promise<HistogramPoint[]>;
}

/** Columns a strip keeps at most: one histogram per few pixels of a panel's width. */
const MAX_STEPS = 200;

/**
 * The run panel's histogram sections: one collapsible section per key prefix (watch's `gradients` and
 * `parameters`), holding a heat strip per key (per layer). Histograms are re-read only when the run has new ones.
 */
export class HistogramSections {
  readonly node = document.createElement('div');
  private readonly sections = new Map<string, SectionFrame>();
  private readonly charts = new Map<string, HistogramChart>();
  private drawn = -1;
  private columns = 2;
  private last: [HistogramSource, number] | null = null;
  private readonly stopThemeWatch: () => void;

  constructor() {
    this.node.className = 'jp-SpyglassHistogramSections';
    // Strip colours come from the theme: a theme switch redraws them with the new one.
    this.stopThemeWatch = onThemeChange(() => {
      this.drawn = -1;
      if (this.last) this.update(...this.last).catch((error) => console.warn('Spyglass:', error));
    });
  }

  /** Draws the run's histograms if it has new ones since the last call; `known` is a count already read. */
  async update(source: HistogramSource, plotWidth: number, known?: number): Promise<void> {
    this.last = [source, plotWidth];
    const count = known ?? (await source.histogramCount());
    if (count === this.drawn) return;
    const names = await source.histogramNames();
    this.place(names);
    const series = await Promise.all(names.map((name) => source.histogramSeries(name, MAX_STEPS)));
    const drawn = await Promise.allSettled(
      names.map((name, i) => this.charts.get(name)?.update(series[i], plotWidth)),
    );
    for (const result of drawn) if (result.status === 'rejected') console.warn('Spyglass:', result.reason);
    this.drawn = drawn.every((r) => r.status === 'fulfilled') ? count : -1;
  }

  /** Keys drawn as strips. */
  get keyCount(): number {
    return this.charts.size;
  }

  setColumns(columns: number): void {
    this.columns = columns;
    for (const section of this.sections.values()) {
      section.grid.style.setProperty('--jp-spyglass-columns', String(columns));
    }
  }

  resize(plotWidth: number): void {
    for (const chart of this.charts.values())
      chart.resize(plotWidth).catch((e) => console.warn('Spyglass:', e));
  }

  dispose(): void {
    this.stopThemeWatch();
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
    this.node.remove();
  }

  /** Sections and strips for exactly these keys, in order. */
  private place(names: string[]): void {
    const wanted = new Set(names);
    for (const [name, chart] of this.charts) {
      if (!wanted.has(name)) {
        chart.dispose();
        this.charts.delete(name);
      }
    }
    const planned = sectionsFromMetrics(names);
    const keep = new Set(planned.map((s) => s.name));
    for (const [name, section] of this.sections) {
      if (!keep.has(name)) {
        section.node.remove();
        this.sections.delete(name);
      }
    }
    for (const { name, metrics } of planned) {
      const section = this.section(name);
      this.node.append(section.node);
      for (const metric of metrics) {
        let chart = this.charts.get(metric);
        if (!chart) {
          chart = new HistogramChart(metric);
          this.charts.set(metric, chart);
        }
        section.grid.append(chart.node);
      }
      section.count.textContent = messages.histogramCount(metrics.length);
    }
  }

  private section(name: string) {
    const known = this.sections.get(name);
    if (known) return known;
    const section = sectionFrame(name, 'jp-SpyglassSection jp-SpyglassHistogramSection');
    section.node.open = true;
    section.node.setAttribute('data-histogram-section', name);
    section.grid.style.setProperty('--jp-spyglass-columns', String(this.columns));
    this.sections.set(name, section);
    return section;
  }
}
